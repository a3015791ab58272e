"""The report submission page: what each role may submit, the template route,
the upload callback (received, or every problem and nothing stored)."""

from __future__ import annotations

import base64
import io
import json
import re
import time

import openpyxl
import pytest
from sqlalchemy import func, select, text

from callbacks import reports_page as callbacks
from data import audit, report_forms, submissions
from data.db import Busy, make_engine
from data.models import ReportSubmission
from data.scope import Scope
from layouts import ids
from tests.conftest import TEST_USERS, post_callback, seeded_copy, signed_client
from tests.test_report_forms import cell_bomb, rewritten


@pytest.fixture(scope="module")
def own_db(pristine_sqlite, tmp_path_factory) -> dict:
    """A seeded database of its own: these tests submit reports into it, new
    versions of the demo's too, whose sign-off (``data.approvals``: an approved
    report takes no new version) is undone here (tests/test_approval_page.py
    tests the lock)."""
    conf = seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("reports"))
    engine = make_engine(conf["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM report_approval"))
        conn.execute(text("UPDATE report_submission SET approval = 'pending'"))
    engine.dispose()
    return conf


@pytest.fixture
def app(own_db, make_app):
    return make_app(own_db)


def _unit_id(conf: dict, code: str) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
            {"c": code},
        ).scalar_one()
    engine.dispose()
    return found


def _choices(conf: dict, role: str, year: int) -> list[dict]:
    engine = make_engine(conf["DATABASE_URL"])
    code = TEST_USERS[role][1]
    with engine.connect() as conn:
        scope = Scope(role, _unit_id(conf, code) if code else None)
        found = submissions.choices(conn, scope, year)
    engine.dispose()
    return found


def _filled(template: bytes, orphans: int = 2) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template))
    groups = book[report_forms.GROUPS]
    groups["C4"] = groups["C18"] = orphans
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UPLOAD = [
    (ids.REPORT_RESULT, "children"),
    (ids.REPORT_HISTORY, "children"),
    (ids.REPORT_CHOICE, "options"),
    (ids.REPORT_OVERDUE, "children"),
    (ids.REPORT_UPLOAD, "contents"),
    (ids.REPORT_EXPLAIN, "hidden"),
    (ids.REPORT_EXPLANATION, "value"),
]


def _upload(client, choice: str, data: bytes, explanation: str | None = None):
    """Drop ``data`` in the upload box; with ``explanation``, then press the
    button that sends it with the explanation of its warnings."""
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    sent: list[tuple[str, str, object]] = [(ids.REPORT_UPLOAD, "contents", contents)]
    clicks = 1 if explanation is not None else None
    sent.append((ids.REPORT_EXPLAIN_SEND, "n_clicks", clicks))
    return post_callback(
        client,
        UPLOAD,
        sent,
        [
            (ids.REPORT_UPLOAD, "filename", "bao-cao.xlsx"),
            (ids.REPORT_CHOICE, "value", choice),
            (ids.REPORT_YEAR, "value", "2024"),
            (ids.REPORT_LANG, "data", "vi"),
            (ids.REPORT_EXPLANATION, "value", explanation),
        ],
        changed=(
            f"{ids.REPORT_EXPLAIN_SEND}.n_clicks" if explanation is not None else None
        ),
        partial=True,  # a file kept for its explanation is not sent back
    )


def _versions(conf: dict) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(ReportSubmission)).scalar()
    engine.dispose()
    return n


def test_what_each_role_may_submit(own_db) -> None:
    commune = _choices(own_db, "commune", 2024)
    assert {c["unit_code"] for c in commune} == {"23941"}
    assert sorted(c["report_type"] for c in commune) == [
        "ACTION_MONTH",
        "ANNUAL",
        "CF_REGISTER",
        "CF_RESULTS",
        "H1",
        "M9",
        "Q1",
    ]
    district = _choices(own_db, "district", 2024)
    # its 15 communes' seven reports, its own four (H1, year, Action Month,
    # child-friendly results)
    assert len(district) == 15 * 7 + 4
    assert _choices(own_db, "viewer", 2024) == []


def test_the_template_route_checks_who_asks(app, own_db) -> None:
    mine = _choices(own_db, "commune", 2024)[0]
    other = next(
        c for c in _choices(own_db, "district", 2024) if c["unit_code"] != "23941"
    )
    client = signed_client(app, "commune")
    response = client.get(
        f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book[report_forms.INFO]["B4"].value == "23941"
    assert (
        client.get(
            f"/reports/template/{other['schedule_id']}/{other['unit_id']}.xlsx"
        ).status_code
        == 403
    )
    assert (
        client.get(f"/reports/template/999999/{mine['unit_id']}.xlsx").status_code
        == 404
    )
    viewer = signed_client(app, "viewer")
    url = f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    assert viewer.get(url).status_code == 403


def test_upload_received_or_refused_with_every_problem(app, own_db) -> None:
    mine = _choices(own_db, "commune", 2024)[0]
    choice = f"{mine['schedule_id']}:{mine['unit_id']}"
    client = signed_client(app, "commune")
    template = client.get(
        f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    ).data
    before = _versions(own_db)
    broken = openpyxl.load_workbook(io.BytesIO(_filled(template)))
    broken[report_forms.GROUPS]["C5"] = "hai"
    broken[report_forms.GROUPS]["C18"] = 7
    out = io.BytesIO()
    broken.save(out)
    refused = _upload(client, choice, out.getvalue())
    text_ = json.dumps(refused[ids.REPORT_RESULT, "children"], ensure_ascii=False)
    assert "Chưa nhận báo cáo" in text_ and "ô C5" in text_ and "'hai'" in text_
    assert _versions(own_db) == before
    received = _upload(client, choice, _filled(template))
    text_ = json.dumps(received[ids.REPORT_RESULT, "children"], ensure_ascii=False)
    assert f"phiên bản {mine['versions'] + 1}" in text_
    assert _versions(own_db) == before + 1
    history = json.dumps(received[ids.REPORT_HISTORY, "children"], ensure_ascii=False)
    assert "bao-cao.xlsx" in history
    # a district user cannot submit for a commune of another district
    stranger = signed_client(app, "district")
    others = _choices(own_db, "admin", 2024)
    foreign = next(c for c in others if c["unit_code"].startswith("235"))
    assert (
        _upload(stranger, f"{foreign['schedule_id']}:{foreign['unit_id']}", template)
        is None
    )
    assert _versions(own_db) == before + 1


def test_an_upload_kept_waiting_says_so_and_stores_nothing(
    app, own_db, monkeypatch
) -> None:
    def busy(*_args: object) -> None:
        raise Busy("report_submission")

    mine = _choices(own_db, "commune", 2024)[0]
    client = signed_client(app, "commune")
    template = client.get(
        f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    ).data
    before = _versions(own_db)
    monkeypatch.setattr(submissions, "lock", busy)
    said = _upload(
        client, f"{mine['schedule_id']}:{mine['unit_id']}", _filled(template)
    )
    text_ = json.dumps(said[ids.REPORT_RESULT, "children"], ensure_ascii=False)
    assert "Hệ thống đang bận" in text_ and "chưa lưu gì" in text_
    assert _versions(own_db) == before


def _overdue_shown(app, role: str, year: int) -> str:
    """The reports page's overdue list of ``year`` as ``role`` sees it, as JSON."""
    from flask_login import login_user

    from callbacks import reports_page as callbacks
    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from data import users

    with app.server.test_request_context("/reports"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        scope = Scope(role, account.scope_unit_id)
        return json.dumps(
            callbacks.overdue(scope, year, "vi").to_plotly_json(),
            default=lambda c: c.to_plotly_json(),
            ensure_ascii=False,
        )


def test_the_overdue_list_of_a_district(app, own_db) -> None:
    missing = [c for c in _choices(own_db, "district", 2024) if c["versions"] == 0]
    shown = _overdue_shown(app, "district", 2024)
    assert f"Huyện Chư Sê: {len(missing)}" in shown
    for report in missing:
        assert report["unit_name"] in shown


def test_the_overdue_list_names_units_without_a_stray_nan(app, own_db) -> None:
    """2025: reports of units still there and of units abolished on 1 July side
    by side; only the latter carry who files them, the former nothing (a missing
    note once came out as "nan" after the name)."""
    shown = _overdue_shown(app, "province", 2025)
    names = re.findall(r'"children": "((?:Xã|Phường|Thị trấn|Huyện)[^"]*)"', shown)
    assert names and not [n for n in names if "nan" in n.split()], names[:5]


def test_a_reported_fund_figure_shows_on_the_map(app, own_db) -> None:
    """Ia Blang (Chư Sê) has no fund bookings in the demo's 2024: the fund its
    district office reports for it counts on the map, and the hover says so."""
    from tests.test_app import patched, post_map

    reports = _choices(own_db, "district", 2024)
    q1 = next(
        c for c in reports if c["unit_code"] == "23962" and c["report_type"] == "Q1"
    )
    client = signed_client(app, "district")
    url = f"/reports/template/{q1['schedule_id']}/{q1['unit_id']}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).data))
    book[report_forms.FUND]["C4"] = book[report_forms.FUND]["C7"] = 750_000
    out = io.BytesIO()
    book.save(out)
    _upload(client, f"{q1['schedule_id']}:{q1['unit_id']}", out.getvalue())

    body = post_map(
        client,
        f"{ids.MAP_SIZE}.data",  # the whole figure, geometry layer too
        view={"unit": "633"},
        theme="fund",
        period="2024-Q1",
    )
    figure = patched(body[ids.MAP]["figure"])
    codes = figure["data"]["0"]["locations"]
    rows = dict(zip(codes, figure["data"]["1"]["customdata"], strict=True))
    assert rows["23962"][1] == 750_000  # total, đồng
    assert "báo cáo đã nộp" in rows["23962"][-1]
    assert not any(row[-1] for code, row in rows.items() if code != "23962")


def test_a_unit_named_like_a_formula_gets_a_plain_text_template(app, own_db) -> None:
    """The unit's name is written as quoted text, never a formula, and the
    template still comes back as this unit's report."""
    from tests.test_exports import TRAPS

    mine = _choices(own_db, "commune", 2024)[0]
    engine = make_engine(own_db["DATABASE_URL"])
    rename = text("UPDATE admin_unit SET name = :n WHERE id = :i")
    with engine.connect() as conn:
        real = conn.execute(
            text("SELECT name FROM admin_unit WHERE id = :i"), {"i": mine["unit_id"]}
        ).scalar_one()
    client = signed_client(app, "commune")
    url = f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    try:
        for trap in TRAPS:
            with engine.begin() as conn:
                conn.execute(rename, {"n": trap, "i": mine["unit_id"]})
            data = client.get(url).data
            book = openpyxl.load_workbook(io.BytesIO(data))
            cell = book[report_forms.INFO]["B5"]
            assert cell.data_type == "s" and cell.value == "'" + trap
            formulas = {
                (ws.title, c.row, c.column)
                for ws in book.worksheets
                for row in ws.iter_rows()
                for c in row
                if c.data_type == "f"
            }  # the totals only
            assert formulas and all(
                report_forms.total_formula(*where) for where in formulas
            )
        received = _upload(
            client, f"{mine['schedule_id']}:{mine['unit_id']}", _filled(data)
        )
        shown = json.dumps(received[ids.REPORT_RESULT, "children"], ensure_ascii=False)
        assert "phiên bản" in shown and "Chưa nhận" not in shown
    finally:
        with engine.begin() as conn:
            conn.execute(rename, {"n": real, "i": mine["unit_id"]})
        engine.dispose()


# --- what one upload may cost -------------------------------------------------------


def _refusal(response) -> str:
    return json.dumps(response[ids.REPORT_RESULT, "children"], ensure_ascii=False)


def _mine(app, own_db):
    mine = _choices(own_db, "commune", 2024)[1]
    client = signed_client(app, "commune")
    url = f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    return client, f"{mine['schedule_id']}:{mine['unit_id']}", client.get(url).data


def _refusals(conf: dict) -> list[dict]:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = audit.rows(conn, action="report_refused")
    engine.dispose()
    return [{**r, "detail": json.loads(r["detail"])} for r in found]


def test_broken_uploads_are_refused_with_a_message_and_audited(app, own_db) -> None:
    client, choice, template = _mine(app, own_db)
    before = _versions(own_db)
    broken = rewritten(
        _filled(template),
        "xl/worksheets/sheet2.xml",
        lambda body: body.replace(b"</sheetData>", b"<row><c></sheetData>"),
    )
    shown = _refusal(_upload(client, choice, broken))
    assert "Chưa nhận báo cáo" in shown and "trang 'Trẻ em HCĐB'" in shown
    assert "XML lỗi" in shown
    started = time.perf_counter()
    bomb = cell_bomb(_filled(template), rows=8_000, per_row=26, dimension="A1:Z5000000")
    shown = _refusal(_upload(client, choice, bomb))
    took = time.perf_counter() - started
    print(f"cell bomb of {len(bomb):,} bytes refused in {took:.2f} s")
    assert "Trang 'Quỹ'" in shown and "A1:Z5000000" in shown
    shown = _refusal(_upload(client, choice, b"%PDF-1.7 a scanned report"))
    assert "không phải tệp Excel (.xlsx)" in shown
    assert _versions(own_db) == before  # nothing stored
    refusals = _refusals(own_db)[:3]
    assert [r["username"] for r in refusals] == [None] * 3
    reasons = [r["detail"]["reason"][0] for r in reversed(refusals)]
    assert "trang 'Trẻ em HCĐB'" in reasons[0] and "A1:Z5000000" in reasons[1]
    assert "không phải tệp Excel" in reasons[2]
    assert {r["detail"]["unit"] for r in refusals} == {"23941"}
    assert refusals[0]["user_id"] is not None and refusals[0]["remote_addr"]


class Unread(io.RawIOBase):
    """A request body that must never be read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


def test_a_body_over_the_limit_is_refused_before_it_is_read(app) -> None:
    client = signed_client(app, "commune")
    response = client.post(
        "/_dash-update-component",
        content_type="application/json",
        environ_overrides={
            "wsgi.input": Unread(),
            "CONTENT_LENGTH": str(52 * 1024 * 1024),
        },
    )
    assert response.status_code == 413, response.data[:500]


def test_a_full_size_report_fits_the_request_limit(app, own_db) -> None:
    """A file as large as the form allows still reaches the checks (base64 in
    JSON fits MAX_CONTENT_LENGTH); a larger one is refused without decoding."""
    client, choice, _template = _mine(app, own_db)
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert callbacks.upload_limit(limit) == report_forms.MAX_BYTES
    full = b"\x00" * (report_forms.MAX_BYTES - 1024)
    assert "không phải tệp Excel" in _refusal(_upload(client, choice, full))
    over = b"\x00" * (report_forms.MAX_BYTES + 1024 * 1024)
    shown = _refusal(_upload(client, choice, over))
    assert "Tệp quá lớn (6,0 MB)" in shown
    assert _refusals(own_db)[0]["detail"]["size"] == len(over)
    small = callbacks.upload_limit(2 * 1024 * 1024)  # a lower request limit
    assert small < 1.5 * 1024 * 1024  # the upload box takes less


# --- the audit of template downloads and out-of-area refusals ----------------------


def _audited(conf: dict, action: str) -> list[dict]:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = audit.rows(conn, action=action)
    engine.dispose()
    return [{**r, "detail": json.loads(r["detail"])} for r in found]


def test_template_downloads_and_out_of_area_refusals_are_audited(app, own_db) -> None:
    mine = _choices(own_db, "commune", 2024)[0]
    foreign = next(
        c for c in _choices(own_db, "admin", 2024) if c["unit_code"].startswith("235")
    )
    templates, refusals = (
        len(_audited(own_db, a)) for a in ("report_template", "scope_refused")
    )
    commune = signed_client(app, "commune")
    url = f"/reports/template/{mine['schedule_id']}/{mine['unit_id']}.xlsx"
    assert commune.get(url).status_code == 200
    (row, *older) = _audited(own_db, "report_template")
    assert len(older) == templates
    assert row["username"] == TEST_USERS["commune"][0]
    assert row["detail"] == {
        "schedule": mine["schedule_id"],
        "unit": "23941",
        "report": mine["report_type"],
        "year": 2024,
    }
    # a unit outside the user's area: the template route, then the upload
    district = signed_client(app, "district")
    other = f"/reports/template/{foreign['schedule_id']}/{foreign['unit_id']}.xlsx"
    assert district.get(other).status_code == 403
    choice = f"{foreign['schedule_id']}:{foreign['unit_id']}"
    assert _upload(district, choice, b"PK") is None
    found = _audited(own_db, "scope_refused")
    assert len(found) == refusals + 2
    upload, template = found[:2]
    assert template["username"] == upload["username"] == TEST_USERS["district"][0]
    assert template["detail"] == {
        "what": "report_template",
        "schedule": foreign["schedule_id"],
        "unit_id": foreign["unit_id"],
    }
    assert upload["detail"] == {
        "what": "report",
        "schedule": foreign["schedule_id"],
        "unit": foreign["unit_code"],
    }
    assert len(_audited(own_db, "report_template")) == templates + 1


def test_a_commune_outside_the_area_on_the_map_is_refused_and_audited(
    app, own_db
) -> None:
    before = len(_audited(own_db, "scope_refused"))
    client = signed_client(app, "commune")  # Thị trấn Chư Sê only

    def detail(code: str):
        return post_callback(
            client,
            [(ids.DETAIL, "children"), (ids.DETAIL_BOX, "style")],
            [
                (ids.SELECTED, "data", {"code": code}),
                (ids.PERIOD, "value", "2024"),
            ],
            [
                (ids.VIEW, "data", {"tree": "legacy", "unit": "633"}),
                (ids.LANG, "data", "vi"),
            ],
        )

    own = json.dumps(detail("23941")[ids.DETAIL, "children"], ensure_ascii=False)
    assert "không được xem" not in own
    shown = json.dumps(detail("23944")[ids.DETAIL, "children"], ensure_ascii=False)
    assert "không được xem chi tiết" in shown
    (row, *older) = _audited(own_db, "scope_refused")
    assert len(older) == before
    assert row["username"] == TEST_USERS["commune"][0]
    assert row["detail"] == {
        "what": "detail",
        "unit": "23944",
        "tree": "legacy",
        "period": "2024",
    }


def _text(response, output: str) -> str:
    return json.dumps(response[output, "children"], ensure_ascii=False)


def _overdue_count(text_: str) -> int:
    return int(re.search(r"Huyện Chư Sê: (\d+)", text_).group(1))


def test_an_upload_updates_the_overdue_list_and_history_at_once(app, own_db) -> None:
    """The report just received leaves the overdue list in the same response:
    no reload, no "received" above a list that still names it."""
    missing = [c for c in _choices(own_db, "district", 2024) if c["versions"] == 0]
    late = max(missing, key=lambda c: (c["unit_code"], c["report_type"]))
    client = signed_client(app, "district")
    url = f"/reports/template/{late['schedule_id']}/{late['unit_id']}.xlsx"
    said = _upload(
        client, f"{late['schedule_id']}:{late['unit_id']}", client.get(url).data
    )
    result = _text(said, ids.REPORT_RESULT)
    assert "Đã nhận báo cáo (phiên bản 1)" in result and "muộn" in result
    overdue = _text(said, ids.REPORT_OVERDUE)
    assert _overdue_count(overdue) == len(missing) - 1
    history = _text(said, ids.REPORT_HISTORY)
    assert "bao-cao.xlsx" in history and "muộn" in history
    options = json.dumps(said[ids.REPORT_CHOICE, "options"], ensure_ascii=False)
    assert "đã gửi 1 lần" in options


def _with_records(conf: dict, table: str, column: str, year: int) -> set[str]:
    """Codes of Chư Sê's communes with records in ``table`` dated in ``year``."""
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text(
                f"SELECT DISTINCT u.code FROM {table} r "  # noqa: S608 - test names
                "JOIN admin_unit u ON u.id = r.unit_id "
                f"WHERE r.{column} BETWEEN :a AND :b"
            ),
            {"a": f"{year}-01-01", "b": f"{year}-12-31"},
        ).scalars()
        codes = set(found)
    engine.dispose()
    return codes


def test_the_receipt_says_which_figures_count_and_why_records_win(app, own_db) -> None:
    reports = _choices(own_db, "district", 2024)
    cases = _with_records(own_db, "incident", "occurred_on", 2024)
    money = _with_records(own_db, "fund_contribution", "contributed_on", 2024)
    # a commune of Chư Sê with case records in 2024 and none of the fund
    chosen = next(
        c
        for c in reports
        if c["report_type"] == "ANNUAL"
        and c["unit_code"] in cases
        and c["unit_code"] not in money
    )
    client = signed_client(app, "district")
    url = f"/reports/template/{chosen['schedule_id']}/{chosen['unit_id']}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).data))
    book[report_forms.CASES]["C11"] = 2  # drowning, girls 0-5: injury only
    book[report_forms.FUND]["C4"] = 500_000  # the totals stay formulas
    out = io.BytesIO()
    book.save(out)
    said = _upload(
        client, f"{chosen['schedule_id']}:{chosen['unit_id']}", out.getvalue()
    )
    receipt = _text(said, ids.REPORT_RESULT)
    assert "Đã nhận báo cáo" in receipt
    assert (
        "Số liệu tai nạn thương tích của xã đã có hồ sơ vụ việc năm 2024 nên bản "
        "ghi được dùng, không dùng số báo cáo." in receipt
    )
    assert "Số tiền vận động Quỹ của báo cáo được tính trên bản đồ" in receipt
    assert "chưa có bản ghi đóng góp Quỹ năm 2024" in receipt
    assert "không hiển thị trên bản đồ" in receipt


def test_a_report_sent_leaves_the_countdown(app, own_db) -> None:
    """The countdown of units still to report follows an upload at once."""
    client = signed_client(app, "district")
    owed = next(
        c
        for c in _choices(own_db, "district", 2024)
        if c["versions"] == 0 and len(c["unit_code"]) == 5
    )

    def countdown() -> str:
        found = post_callback(
            client,
            [(ids.COUNTDOWN, "children")],
            [(ids.REPORT_RESULT, "children", "receipt")],
            [(ids.REPORT_YEAR, "value", "2024"), (ids.REPORT_LANG, "data", "vi")],
        )
        return json.dumps(found[ids.COUNTDOWN, "children"], ensure_ascii=False)

    before = countdown().count(owed["unit_name"])
    assert before >= 1
    template = client.get(
        f"/reports/template/{owed['schedule_id']}/{owed['unit_id']}.xlsx"
    ).data
    sent = _upload(
        client, f"{owed['schedule_id']}:{owed['unit_id']}", _filled(template)
    )
    assert "phiên bản 1" in json.dumps(
        sent[ids.REPORT_RESULT, "children"], ensure_ascii=False
    )
    assert countdown().count(owed["unit_name"]) == before - 1
