"""Sign-off on the reports page: the queue of reports awaiting the user's
decision (approve, or return with a reason, from the list), the chosen report's
decision panel and history, the navbar's count, the map's "chưa phê duyệt"."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import text

from data import approvals
from data.db import make_engine
from data.scope import Scope
from layouts import ids
from tests.conftest import TEST_USERS, post_callback, seeded_copy, signed_client
from tests.test_reports_page import _audited, _choices, _filled, _upload

DECIDE = [
    (ids.REPORT_DECISION_RESULT, "children"),
    (ids.REPORT_HISTORY, "children"),
    (ids.REPORT_COMMENT, "value"),
    (ids.APPROVAL_QUEUE, "children"),
    (ids.APPROVAL_COUNT, "children"),
]
PANEL = [
    (ids.REPORT_APPROVAL, "children"),
    (ids.REPORT_DECISION, "hidden"),
    (ids.REPORT_APPROVE, "disabled"),
    (ids.REPORT_RETURN, "disabled"),
    (ids.REPORT_WITHDRAW, "disabled"),
    (ids.REPORT_UPLOAD, "disabled"),
    (ids.REPORT_SEEN, "data"),
]
QUEUE = [
    (ids.APPROVAL_QUEUE_RESULT, "children"),
    (ids.APPROVAL_QUEUE, "children"),
    (ids.APPROVAL_COUNT, "children"),
    (ids.REPORT_HISTORY, "children"),
]


@pytest.fixture(scope="module")
def own_db(pristine_sqlite, tmp_path_factory) -> dict:
    """A seeded database of its own: these tests decide on reports in it."""
    return seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("approvals"))


@pytest.fixture
def app(own_db, make_app):
    return make_app(own_db)


def _text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def _scope(conf: dict, role: str) -> Scope:
    engine = make_engine(conf["DATABASE_URL"])
    code = TEST_USERS[role][1]
    with engine.connect() as conn:
        unit = (
            conn.execute(
                text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
                {"c": code},
            ).scalar_one()
            if code
            else None
        )
    engine.dispose()
    return Scope(role, unit)


def _waiting(conf: dict, role: str) -> list[dict]:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = approvals.waiting(conn, _scope(conf, role))
    engine.dispose()
    return found


def _report(conf: dict, code: str, report: str = "Q1") -> dict:
    return next(
        c
        for c in _choices(conf, "district", 2024)
        if c["unit_code"] == code and c["report_type"] == report
    )


def _open(conf: dict, row: dict) -> int:
    """Let a new version of the report be sent: the demo's reports of 2024 came
    in and were approved, so the province withdraws that approval first.  The
    number of versions sent so far."""
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = approvals.report(conn, row["schedule_id"], row["unit_id"])
    if found is not None and found.state == approvals.APPROVED:
        approvals.decide(
            engine,
            submission_id=found.submission_id,
            action="withdraw",
            scope=Scope("province"),
            user_id=None,
            comment="Mở lại để gửi bản mới",
        )
    engine.dispose()
    return found.version if found is not None else 0


def _send(client, row: dict, cash: int | None = None) -> dict:
    url = f"/reports/template/{row['schedule_id']}/{row['unit_id']}.xlsx"
    template = client.get(url).data
    data = _filled(template)
    if cash is not None:
        book = openpyxl.load_workbook(io.BytesIO(data))
        book["Quỹ"]["C4"] = book["Quỹ"]["C7"] = cash
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    return _upload(client, f"{row['schedule_id']}:{row['unit_id']}", data)


def _queue_click(
    client,
    kind: str,
    submission: int,
    reasons: dict[int, str],
    chosen: str | None = None,
):
    """Click approve or return on a row of the queue, with the reasons typed
    (``chosen``: the report chosen in the page's panel)."""
    listed = sorted(set(reasons) | {submission})

    def items(type_: str, prop: str, value) -> list[dict]:
        return [
            {
                "id": {"type": type_, "submission": n},
                "property": prop,
                "value": value(n),
            }
            for n in listed
        ]

    def clicked(of: str):
        return lambda n: 1 if (of == kind and n == submission) else None

    key = next(
        k
        for k in client.dash_app.callback_map
        if k.startswith("..approval-queue-result")
    )
    changed = json.dumps({"submission": submission, "type": kind}).replace(" ", "")
    payload = {
        "output": key,
        "outputs": [{"id": c, "property": p} for c, p in QUEUE],
        "inputs": [
            items(ids.QUEUE_APPROVE, "n_clicks", clicked(ids.QUEUE_APPROVE)),
            items(ids.QUEUE_RETURN, "n_clicks", clicked(ids.QUEUE_RETURN)),
        ],
        "state": [
            items(ids.QUEUE_REASON, "value", lambda n: reasons.get(n)),
            {"id": ids.REPORT_LANG, "property": "data", "value": "vi"},
            {"id": ids.QUEUE_PAGE, "property": "data", "value": 0},
            {"id": ids.REPORT_CHOICE, "property": "value", "value": chosen},
        ],
        "changedPropIds": [f"{changed}.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    if response.status_code == 204:
        return None
    assert response.status_code == 200, response.data[:300]
    body = response.get_json()["response"]
    return {(c, p): body.get(c, {}).get(p) for c, p in QUEUE}


def _panel(client, row: dict) -> dict:
    return post_callback(
        client,
        PANEL,
        [(ids.REPORT_HISTORY, "children", None)],
        [
            (ids.REPORT_CHOICE, "value", f"{row['schedule_id']}:{row['unit_id']}"),
            (ids.REPORT_LANG, "data", "vi"),
        ],
    )


def _decide(client, row: dict, button: str, seen: int, comment: str = ""):
    return post_callback(
        client,
        DECIDE,
        [
            (
                ids.REPORT_APPROVE,
                "n_clicks",
                1 if button == ids.REPORT_APPROVE else None,
            ),
            (ids.REPORT_RETURN, "n_clicks", 1 if button == ids.REPORT_RETURN else None),
            (
                ids.REPORT_WITHDRAW,
                "n_clicks",
                1 if button == ids.REPORT_WITHDRAW else None,
            ),
        ],
        [
            (ids.REPORT_SEEN, "data", seen),
            (ids.REPORT_CHOICE, "value", f"{row['schedule_id']}:{row['unit_id']}"),
            (ids.REPORT_COMMENT, "value", comment),
            (ids.REPORT_LANG, "data", "vi"),
            (ids.QUEUE_PAGE, "data", 0),
        ],
        changed=f"{button}.n_clicks",
        partial=True,
    )


def test_the_queue_returns_and_approves_and_the_panel_locks(app, own_db) -> None:
    """A district office: its commune's report waits in its queue, oldest
    first; returned from the list (a reason needed), resubmitted, approved from
    the decision panel, locked; withdrawn by the province; the history says
    it all."""
    district = signed_client(app, "district")
    row = _report(own_db, "23962")
    v = _open(own_db, row) + 1
    _send(district, row)
    # the upload's receipt shown: the district's own queue and count anew
    after = post_callback(
        district,
        [(ids.APPROVAL_QUEUE, "children"), (ids.APPROVAL_COUNT, "children")],
        [(ids.REPORT_RESULT, "children", "receipt")],
        [(ids.REPORT_LANG, "data", "vi"), (ids.QUEUE_PAGE, "data", 0)],
    )
    assert "Ia Blang" in _text(after[(ids.APPROVAL_QUEUE, "children")])
    counted = f"Chờ phê duyệt: {len(_waiting(own_db, 'district'))}"
    assert after[(ids.APPROVAL_COUNT, "children")] == counted
    commune = signed_client(app, "commune")
    assert (
        post_callback(
            commune,
            [(ids.APPROVAL_QUEUE, "children"), (ids.APPROVAL_COUNT, "children")],
            [(ids.REPORT_RESULT, "children", "receipt")],
            [(ids.REPORT_LANG, "data", "vi"), (ids.QUEUE_PAGE, "data", 0)],
        )
        is None
    )
    mine = _waiting(own_db, "district")
    sent = next(w for w in mine if w["unit_id"] == row["unit_id"])
    assert sent["version"] == v
    times = [w["submitted_at"] for w in mine]
    assert times == sorted(times)  # oldest first
    assert all(w["unit_id"] != row["unit_id"] for w in _waiting(own_db, "province"))

    # returned from the list without a reason: told, nothing changes
    said = _queue_click(district, ids.QUEUE_RETURN, sent["submission_id"], {})
    assert "ghi lý do" in _text(said[(ids.APPROVAL_QUEUE_RESULT, "children")])
    assert sent in _waiting(own_db, "district")
    said = _queue_click(
        district,
        ids.QUEUE_RETURN,
        sent["submission_id"],
        {sent["submission_id"]: "Thiếu số liệu Quỹ"},
        chosen=f"{row['schedule_id']}:{row['unit_id']}",  # open in the panel too
    )
    result = _text(said[(ids.APPROVAL_QUEUE_RESULT, "children")])
    assert f"Đã trả lại phiên bản {v}" in result
    # the panel's report was the one decided: its history (and so the panel,
    # which follows the history) anew
    assert "Thiếu số liệu Quỹ" in _text(said[(ids.REPORT_HISTORY, "children")])
    listed = _text(said[(ids.APPROVAL_QUEUE, "children")])
    assert f'"submission": {sent["submission_id"]},' not in listed
    count = len(_waiting(own_db, "district"))
    assert said[(ids.APPROVAL_COUNT, "children")] == f"Chờ phê duyệt: {count}"

    # resubmitted, then approved on the panel
    _send(district, row)
    panel = _panel(district, row)
    state = _text(panel[(ids.REPORT_APPROVAL, "children")])
    assert f"Phiên bản {v + 1}: Chờ phê duyệt." in state
    assert panel[(ids.REPORT_DECISION, "hidden")] is False
    assert panel[(ids.REPORT_APPROVE, "disabled")] is False
    assert panel[(ids.REPORT_WITHDRAW, "disabled")] is True
    seen = panel[(ids.REPORT_SEEN, "data")]
    done = _decide(district, row, ids.REPORT_APPROVE, seen)
    result = _text(done[(ids.REPORT_DECISION_RESULT, "children")])
    assert f"Đã phê duyệt phiên bản {v + 1}" in result
    history = _text(done[(ids.REPORT_HISTORY, "children")])
    assert "gửi lại sau khi bị trả lại" in history
    assert f"Trả lại phiên bản {v}: Thiếu số liệu Quỹ" in history
    assert f"Phê duyệt phiên bản {v + 1}" in history
    assert TEST_USERS["district"][0] in history
    # twice: told, and the same
    again = _decide(district, row, ids.REPORT_APPROVE, seen)
    result = _text(again[(ids.REPORT_DECISION_RESULT, "children")])
    assert "đã được phê duyệt rồi" in result

    # locked: the upload is closed, and refused when sent anyway
    panel = _panel(district, row)
    assert panel[(ids.REPORT_UPLOAD, "disabled")] is True
    assert panel[(ids.REPORT_APPROVE, "disabled")] is True
    assert panel[(ids.REPORT_WITHDRAW, "disabled")] is False
    refused = _send(district, row)
    assert "đã khóa" in _text(refused[(ids.REPORT_RESULT, "children")])

    # a commune office decides nothing: told, audited
    before = len(_audited(own_db, "scope_refused"))
    out = _decide(commune, _report(own_db, "23941"), ids.REPORT_WITHDRAW, seen, "x")
    result = _text(out[(ids.REPORT_DECISION_RESULT, "children")])
    assert "không thuộc quyền phê duyệt" in result
    assert len(_audited(own_db, "scope_refused")) == before + 1
    # the province, a level above, withdraws it with a reason
    withdrawn = len(_audited(own_db, "report_approval_withdrawn"))
    province = signed_client(app, "province")
    out = _decide(province, row, ids.REPORT_WITHDRAW, seen, "Sai số trẻ mồ côi")
    result = _text(out[(ids.REPORT_DECISION_RESULT, "children")])
    assert f"Đã rút phê duyệt phiên bản {v + 1}" in result
    assert out[(ids.REPORT_COMMENT, "value")] == ""
    (latest, *_older) = _audited(own_db, "report_approval_withdrawn")
    assert len(_older) == withdrawn
    assert latest["username"] == TEST_USERS["province"][0]
    assert latest["detail"]["comment"] == "Sai số trẻ mồ côi"
    state = _text(_panel(district, row)[(ids.REPORT_APPROVAL, "children")])
    assert "Chờ phê duyệt" in state


def _page(app, role: str) -> str:
    """The reports page as ``role`` sees it (rendered as Dash renders a page)."""
    from flask_login import login_user
    from plotly.utils import PlotlyJSONEncoder

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import reports_view
    from data import users

    with app.server.test_request_context("/reports"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        return json.dumps(reports_view(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_the_queue_and_the_count_show_for_approvers_only(app, own_db) -> None:
    row = _report(own_db, "23944")
    _open(own_db, row)
    _send(signed_client(app, "district"), row)
    count = len(_waiting(own_db, "district"))
    assert count >= 1
    page = _page(app, "district")
    assert f"Chờ phê duyệt: {count}" in page
    assert f"Báo cáo chờ bạn phê duyệt: {count}" in page
    assert ids.QUEUE_APPROVE in page and "Ia Tiêm" in page
    province = _page(app, "province")
    assert f"Chờ phê duyệt: {len(_waiting(own_db, 'province'))}" in province
    commune = _page(app, "commune")
    assert "Báo cáo chờ bạn phê duyệt" not in commune
    assert ids.QUEUE_APPROVE not in commune
    assert _hidden_badge(commune) and not _hidden_badge(page)


def _hidden_badge(page: str) -> bool:
    found = json.loads(page)

    def walk(node) -> bool:
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == ids.APPROVAL_COUNT:
                return props.get("hidden") is True
            return any(walk(v) for v in node.values())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False

    return walk(found)


def _without_bookings(conf: dict) -> str:
    """A commune of Chư Sê with no fund bookings in 2024 (Ia Blang)."""
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT u.code FROM admin_unit u JOIN admin_unit d "
                "ON d.id = u.parent_id WHERE d.code = '633' AND u.tree = 'legacy' "
                "AND NOT EXISTS (SELECT 1 FROM fund_contribution f WHERE "
                "f.unit_id = u.id AND f.contributed_on BETWEEN '2024-01-01' "
                "AND '2024-12-31') ORDER BY u.code"
            )
        ).scalars()
        codes = list(found)
    engine.dispose()
    assert codes, "the demo has no commune of Chư Sê without 2024 bookings"
    return codes[0]


def test_the_map_marks_unapproved_figures_and_the_setting_drops_them(
    own_db, make_app
) -> None:
    """Ia Blang's fund figures of a report not yet approved: counted and marked
    "chưa phê duyệt" by default; with COUNT_UNAPPROVED off not counted until
    approved."""
    from tests.test_app import patched, post_map

    def hover(app) -> dict:
        client = signed_client(app, "district")
        body = post_map(
            client,
            f"{ids.MAP_SIZE}.data",
            view={"unit": "633"},
            theme="fund",
            period="2024-Q1",
        )
        figure = patched(body[ids.MAP]["figure"])
        codes = figure["data"]["0"]["locations"]
        return dict(zip(codes, figure["data"]["1"]["customdata"], strict=True))

    counting, strict = make_app(own_db), make_app(own_db, COUNT_UNAPPROVED=False)
    code = _without_bookings(own_db)
    row = _report(own_db, code)
    _open(own_db, row)
    _send(signed_client(counting, "district"), row, cash=640_000)
    shown = hover(counting)
    assert shown[code][1] == 640_000
    assert "chưa phê duyệt" in shown[code][-1]
    assert shown[code][1] != hover(strict)[code][1]
    sent = next(
        w for w in _waiting(own_db, "district") if w["unit_id"] == row["unit_id"]
    )
    _queue_click(
        signed_client(counting, "district"),
        ids.QUEUE_APPROVE,
        sent["submission_id"],
        {},
    )
    assert hover(strict)[code][1] == 640_000
    assert "chưa phê duyệt" not in hover(counting)[code][-1]
    assert "báo cáo đã nộp" in hover(counting)[code][-1]


def test_the_queue_pages_through_every_waiting_report(app, own_db) -> None:
    """More reports wait than a page lists: the pages before and after, each
    oldest first, the last one ending with the total; a page past the end is
    the last."""
    waiting = _waiting(own_db, "province")
    total = len(waiting)
    assert total > 50, "the demo should keep more than a page waiting"
    client = signed_client(app, "province")
    first = _page(app, "province")
    assert f"Báo cáo 1–50 trong số {total}" in first

    def go(page: int) -> tuple[int, str]:
        found = post_callback(
            client,
            [(ids.APPROVAL_QUEUE, "children"), (ids.QUEUE_PAGE, "data")],
            [({"type": ids.QUEUE_TO, "page": page}, "n_clicks", 1)],
            [(ids.REPORT_LANG, "data", "vi")],
            changed=json.dumps(
                {"page": page, "type": ids.QUEUE_TO}, separators=(",", ":")
            )
            + ".n_clicks",
        )
        return found[(ids.QUEUE_PAGE, "data")], _text(
            found[(ids.APPROVAL_QUEUE, "children")]
        )

    def listed(shown: str) -> set[int]:
        return {int(n) for n in re.findall(r'"submission": (\d+)', shown)}

    page, shown = go(1)
    assert page == 1
    assert f"Báo cáo 51–{min(total, 100)} trong số {total}" in shown
    assert listed(shown) == {w["submission_id"] for w in waiting[50:100]}
    last = (total - 1) // 50
    for asked in (last, last + 1):
        page, shown = go(asked)
        assert page == asked  # kept as asked: the queue shows the last page
        assert f"Báo cáo {last * 50 + 1}–{total} trong số {total}" in shown
        assert listed(shown) == {w["submission_id"] for w in waiting[last * 50 :]}
