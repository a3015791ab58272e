"""The sign-off of submitted reports (``data.approvals``): the workflow, who
signs off what before and after the July-2025 reform, every refusal changing
nothing, two approvers at once, and whether unapproved figures count."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text

from data import approvals, audit, calendar, metrics, submissions
from data.approvals import ApprovalError
from data.db import transaction
from data.metrics.reported import unapproved
from data.models import AuditLog, ReportApproval, ReportSubmission
from data.periods import VN_TZ, Period
from data.scope import Scope
from tests.test_concurrent_writes import at_once
from tests.test_metrics_reform import OLD
from tests.test_reported_figures import _fund, _report
from tests.test_reports_abolished import (
    H1_DUE_10_7,
    A,
    _action_month,
    _schedule,
    _submit,
    insert_trees,
)
from tests.test_submissions import _filled, _ids

CHU_SE, PLEIKU, TOWN, IA_TIEM = "633", "622", "23941", "23944"


@pytest.fixture
def reporting(gia_lai: Engine) -> Engine:
    """Gia Lai with the built-in calendar of 2024: communes report Q1 to their
    district, districts H1 to the province."""
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2024])
    return gia_lai


@pytest.fixture
def reform(engine: Engine) -> dict:
    """The small pair of trees of tests/test_reports_abolished, 2025 loaded."""
    with engine.begin() as conn:
        ids = insert_trees(conn)
    with transaction(engine) as session:
        calendar.load(session, calendar.parse(H1_DUE_10_7) + _action_month(), [2025])
    return {"engine": engine, "ids": ids}


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


def _unit(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
            {"c": code},
        ).scalar_one()


def _scope(engine: Engine, role: str, code: str | None = None) -> Scope:
    return Scope(role, _unit(engine, code) if code else None)


def _send(engine: Engine, report: str, level: str, unit: str, at: dt.datetime):
    schedule, unit_id = _ids(engine, report, level, unit)
    return submissions.submit(
        engine,
        schedule_id=schedule,
        unit_id=unit_id,
        data=_filled(engine, schedule, unit_id),
        file_name=f"{report}-{unit}-{at:%d%H%M}.xlsx",
        user_id=None,
        now=at,
    )


def _decide(engine: Engine, receipt, action: str, scope: Scope, comment=None):
    return approvals.decide(
        engine,
        submission_id=receipt.submission_id,
        action=action,
        scope=scope,
        user_id=None,
        username=f"{scope.role}-user",
        comment=comment,
    )


def _state(engine: Engine, report: str, level: str, unit: str):
    with engine.connect() as conn:
        return approvals.report(conn, *_ids(engine, report, level, unit))


def _written(engine: Engine) -> tuple[int, int, list[str]]:
    """Steps, audit rows and every version's state: what a refusal must keep."""
    with engine.connect() as conn:
        steps = conn.execute(select(func.count()).select_from(ReportApproval))
        logged = conn.execute(select(func.count()).select_from(AuditLog))
        states = conn.execute(
            select(ReportSubmission.approval).order_by(ReportSubmission.id)
        )
        return steps.scalar_one(), logged.scalar_one(), list(states.scalars())


def test_submit_return_resubmit_approve_lock_withdraw_and_a_new_version(
    reporting: Engine,
) -> None:
    district = _scope(reporting, "district", CHU_SE)
    province = _scope(reporting, "province")
    first = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    found = _state(reporting, "Q1", "commune", TOWN)
    assert (found.version, found.state) == (1, approvals.PENDING)
    assert found.approver == approvals.Approver(
        "district", _unit(reporting, CHU_SE), "Huyện Chư Sê"
    )
    with reporting.connect() as conn:
        waiting = approvals.waiting(conn, district)
        assert [w["submission_id"] for w in waiting] == [first.submission_id]
        assert approvals.waiting_count(conn, district) == 1
        assert approvals.waiting(conn, province) == []  # not the province's

    step = _decide(reporting, first, "return", district, "  Thiếu số liệu Quỹ  ")
    assert (step.version, step.comment) == (1, "Thiếu số liệu Quỹ")
    with reporting.connect() as conn:
        assert approvals.waiting_count(conn, district) == 0  # back with the commune
    second = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 22, 9, 0))
    assert second.version == 2 and not second.on_time  # this version's own timing
    with reporting.connect() as conn:
        assert [w["version"] for w in approvals.waiting(conn, district)] == [2]
    _decide(reporting, second, "approve", district)
    assert _state(reporting, "Q1", "commune", TOWN).state == approvals.APPROVED

    # approved: locked, nothing stored
    with pytest.raises(submissions.Locked) as locked:
        _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 25, 9, 0))
    assert "rút phê duyệt" in str(locked.value)
    assert locked.value.message("en").startswith("Not received")
    with reporting.connect() as conn:
        assert len(submissions.history(conn, *_ids(reporting, "Q1", "commune", TOWN)))
        assert approvals.locked(conn, *_ids(reporting, "Q1", "commune", TOWN)) == 2

    # withdrawn by a level above, with a reason: pending again, a new version taken
    _decide(reporting, second, "withdraw", province, "Sai số trẻ mồ côi")
    assert _state(reporting, "Q1", "commune", TOWN).state == approvals.PENDING
    third = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 26, 9, 0))
    assert third.version == 3
    found = _state(reporting, "Q1", "commune", TOWN)
    assert (found.version, found.state) == (3, approvals.PENDING)

    with reporting.connect() as conn:
        steps = approvals.steps(conn, *_ids(reporting, "Q1", "commune", TOWN))
        logged = audit.rows(conn, limit=50)
        history = submissions.history(conn, *_ids(reporting, "Q1", "commune", TOWN))
        timely = metrics.timeliness(
            conn,
            tree="legacy",
            level="commune",
            parent_code=CHU_SE,
            period=Period.parse("2024"),
            now=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
            only=TOWN,
        )
    assert [(s["step"], s["version"], s["action"]) for s in steps] == [
        (1, 1, "return"),
        (2, 2, "approve"),
        (3, 2, "withdraw"),
    ]
    assert [s["username"] for s in steps] == ["district-user"] * 2 + ["province-user"]
    assert steps[0]["comment"] == "Thiếu số liệu Quỹ" and steps[1]["comment"] is None
    assert [h["approval"] for h in history] == ["returned", "pending", "pending"]
    actions = [r["action"] for r in logged if r["action"].startswith("report_")]
    assert actions.count("report_returned") == 1
    assert actions.count("report_approved") == 1
    assert actions.count("report_approval_withdrawn") == 1
    withdrawn = next(r for r in logged if r["action"] == "report_approval_withdrawn")
    assert json.loads(withdrawn["detail"])["comment"] == "Sai số trẻ mồ côi"
    # timeliness follows the first complete submission (on time), not the later
    row = timely.set_index("code").loc[TOWN]
    assert (row["on_time"], row["late"]) == (1, 0)


def test_who_signs_off_what(reporting: Engine) -> None:
    """A commune's report to its district: that district office, never another
    district, a commune, a meeting room or (for the decision) the province,
    which may still withdraw it; a district's report: the province."""
    commune = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    district = _send(reporting, "H1", "district", CHU_SE, local(2024, 5, 20, 9, 0))
    refused = [
        _scope(reporting, "district", PLEIKU),
        _scope(reporting, "commune", TOWN),
        _scope(reporting, "viewer"),
        _scope(reporting, "province"),
        _scope(reporting, "admin"),
    ]
    for scope in refused:
        with pytest.raises(ApprovalError) as exc:
            _decide(reporting, commune, "approve", scope)
        assert exc.value.code == "approval_outside_scope", scope
    for scope in [*refused[:3], _scope(reporting, "district", CHU_SE)]:
        with pytest.raises(ApprovalError) as exc:
            _decide(reporting, district, "return", scope, "no")
        assert exc.value.code == "approval_outside_scope", scope
    with reporting.connect() as conn:
        for scope in refused[:3]:
            assert approvals.waiting(conn, scope) == []
        assert approvals.waiting_count(conn, refused[1]) is None  # signs off none
        assert approvals.waiting_count(conn, refused[2]) is None
        listed = approvals.waiting(conn, _scope(reporting, "province"))
    assert [w["submission_id"] for w in listed] == [district.submission_id]
    _decide(reporting, commune, "approve", _scope(reporting, "district", CHU_SE))
    _decide(reporting, district, "approve", _scope(reporting, "admin"))
    with pytest.raises(ApprovalError) as exc:  # a district withdraws none of these
        _decide(reporting, commune, "withdraw", _scope(reporting, "commune", TOWN), "x")
    assert exc.value.code == "approval_outside_scope"
    _decide(reporting, commune, "withdraw", _scope(reporting, "province"), "Xem lại")


def test_after_the_reform_the_province_signs_off_a_communes_report(
    reform: dict,
) -> None:
    """The Action Month 2025 of a legacy commune, due after its district was
    abolished (1 July 2025): the province signs it off, the district does not."""
    engine, ids = reform["engine"], reform["ids"]
    schedule = _schedule(engine, "ACTION_MONTH", "commune", ids[(OLD, "81")])
    receipt = _submit(engine, schedule, ids[(OLD, A)], local(2025, 7, 3, 9, 0))
    with engine.connect() as conn:
        found = approvals.report(conn, schedule, ids[(OLD, A)])
    assert found.approver == approvals.Approver("province")
    district = Scope("district", ids[(OLD, "811")])
    with pytest.raises(ApprovalError) as exc:
        _decide(engine, receipt, "approve", district)
    assert exc.value.code == "approval_outside_scope"
    with engine.connect() as conn:
        assert approvals.waiting(conn, district) == []
        assert approvals.waiting_count(conn, Scope("province")) == 1
    _decide(engine, receipt, "approve", Scope("province"))


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("outside", "approval_outside_scope"),
        ("twice", "approval_already_approved"),
        ("superseded", "approval_superseded"),
        ("no_reason", "approval_reason_required_return"),
        ("blank_reason", "approval_reason_required_return"),
        ("withdraw_no_reason", "approval_reason_required_withdraw"),
        ("withdraw_pending", "approval_not_approved"),
        ("approve_returned", "approval_already_returned"),
        ("too_long", "approval_reason_too_long"),
    ],
)
def test_every_refusal_says_why_and_changes_nothing(
    reporting: Engine, case: str, code: str
) -> None:
    district = _scope(reporting, "district", CHU_SE)
    first = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    target, action, scope, comment = first, "approve", district, None
    if case == "outside":
        scope = _scope(reporting, "district", PLEIKU)
    elif case == "twice":
        _decide(reporting, first, "approve", district)
    elif case == "superseded":
        _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 20, 9, 0))
    elif case in ("no_reason", "blank_reason", "too_long"):
        action = "return"
        comment = {"no_reason": None, "blank_reason": " \n ", "too_long": "x" * 1001}
        comment = comment[case]
    elif case == "withdraw_no_reason":
        _decide(reporting, first, "approve", district)
        action, comment = "withdraw", ""
    elif case == "withdraw_pending":
        action, comment = "withdraw", "lý do"
    elif case == "approve_returned":
        _decide(reporting, first, "return", district, "lý do")
    before = _written(reporting)
    with pytest.raises(ApprovalError) as exc:
        _decide(reporting, target, action, scope, comment)
    assert exc.value.code == code
    assert exc.value.message("vi") and exc.value.message("en")
    assert exc.value.message("vi") != exc.value.message("en")
    assert _written(reporting) == before


def test_two_approvers_at_once_one_wins(reporting: Engine) -> None:
    """Four decisions on one version at the same moment (approve and return
    mixed): exactly one is taken, the others are told it was decided."""
    first = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    district = _scope(reporting, "district", CHU_SE)

    def act(i: int):
        action = "approve" if i % 2 else "return"
        return _decide(reporting, first, action, district, f"lý do {i}")

    done, errors = at_once(4, act)
    assert len(done) == 1 and len(errors) == 3, errors
    assert all(isinstance(e, ApprovalError) for e in errors), errors
    assert {e.code for e in errors} <= {
        "approval_already_approved",
        "approval_already_returned",
    }
    with reporting.connect() as conn:
        steps = approvals.steps(conn, *_ids(reporting, "Q1", "commune", TOWN))
    assert len(steps) == 1 and steps[0]["action"] == done[0].action


def test_an_approval_and_an_upload_at_once_never_both_land(reporting: Engine) -> None:
    first = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    schedule, unit = _ids(reporting, "Q1", "commune", TOWN)
    data = _filled(reporting, schedule, unit)
    district = _scope(reporting, "district", CHU_SE)

    def act(i: int):
        if i == 0:
            return _decide(reporting, first, "approve", district)
        return submissions.submit(
            reporting,
            schedule_id=schedule,
            unit_id=unit,
            data=data,
            file_name="x.xlsx",
            user_id=None,
            now=local(2024, 3, 20, 9, 0),
        )

    done, errors = at_once(2, act)
    assert len(done) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], ApprovalError | submissions.Locked), errors
    with reporting.connect() as conn:
        found = approvals.report(conn, schedule, unit)
    if isinstance(errors[0], submissions.Locked):  # approved first
        assert (found.version, found.state) == (1, approvals.APPROVED)
    else:  # the new version first: version 1 superseded, version 2 pending
        assert errors[0].code == "approval_superseded"
        assert (found.version, found.state) == (2, approvals.PENDING)


def test_the_setting_decides_whether_unapproved_figures_count(
    reporting: Engine,
) -> None:
    """Default: a pending report's fund figures count, marked unapproved; with
    COUNT_UNAPPROVED off they count only once approved (and unmarked)."""
    sent = _report(reporting, "Q1", TOWN, fund={"cash": 1_000_000})
    strict = reporting.execution_options(**{approvals.COUNT_UNAPPROVED_OPTION: False})

    def fund(engine: Engine):
        with engine.connect() as conn:
            assert approvals.counts_unapproved(conn) is (engine is reporting)
            frame = metrics.fund_progress(
                conn,
                tree="legacy",
                level="commune",
                parent_code=CHU_SE,
                period=Period.parse("2024-Q1"),
                today=dt.date(2025, 2, 1),
            )
        return frame.set_index("code"), unapproved(frame)

    counted, marked = fund(reporting)
    assert counted.loc[TOWN, "total"] == 1_000_000 and counted.loc[TOWN, "reported"]
    assert marked == {TOWN}
    skipped, marked = fund(strict)
    assert skipped.loc[TOWN, "total"] == 0 and not skipped.loc[TOWN, "reported"]
    assert marked == frozenset()
    # the district above: the same, rolled up
    assert _fund(reporting, "district", "64", "2024-Q1")[CHU_SE]["total"] >= 1_000_000

    _decide(reporting, sent, "approve", _scope(reporting, "district", CHU_SE))
    for engine in (reporting, strict):
        counted, marked = fund(engine)
        assert counted.loc[TOWN, "total"] == 1_000_000
        assert marked == frozenset()


def _demo_approved(engine: Engine, today: dt.date, approved: int) -> dict[int, str]:
    """The demo's sign-off run for ``today`` (``approved`` reports approved);
    the state of every version sent."""
    with transaction(engine) as session:
        assert approvals.approve_demo(session, today) == approved
    with engine.connect() as conn:
        rows = conn.execute(select(ReportSubmission.id, ReportSubmission.approval))
        return dict(rows.all())


def test_the_demo_signs_off_all_but_its_latest_fortnight(reporting: Engine) -> None:
    old = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    _send(reporting, "Q1", "commune", IA_TIEM, local(2024, 3, 19, 9, 0))
    again = _send(reporting, "Q1", "commune", IA_TIEM, local(2024, 3, 30, 9, 0))
    states = _demo_approved(reporting, dt.date(2024, 4, 10), 1)
    with reporting.connect() as conn:
        steps = approvals.steps(conn, *_ids(reporting, "Q1", "commune", TOWN))
    assert states[old.submission_id] == "approved"
    assert states[again.submission_id] == "pending"
    assert steps[0]["at"] == local(2024, 3, 22, 9, 0)  # three days after


def test_the_demo_keeps_a_province_queue_whatever_the_day(
    reporting: Engine, monkeypatch
) -> None:
    """Long after the last report came in, the province department still has
    its newest ``DEMO_PROVINCE_QUEUE`` reports waiting (a page and more of its
    queue on any day); a district's queue keeps only its fortnight."""
    monkeypatch.setattr(approvals, "DEMO_PROVINCE_QUEUE", 2)
    sent = [
        _send(reporting, "H1", "district", code, local(2024, 5, day, 9, 0))
        for day, code in ((6, PLEIKU), (7, CHU_SE), (8, "623"))
    ]
    commune = _send(reporting, "Q1", "commune", TOWN, local(2024, 5, 9, 9, 0))
    states = _demo_approved(reporting, dt.date(2025, 3, 1), 2)
    with reporting.connect() as conn:
        province = approvals.waiting(conn, Scope("province"))
    assert [states[s.submission_id] for s in sent] == [
        "approved",
        "pending",
        "pending",
    ]
    assert states[commune.submission_id] == "approved"
    assert [w["submission_id"] for w in province] == [s.submission_id for s in sent[1:]]


def test_the_reports_table_shows_a_return_and_the_resubmission(
    reporting: Engine,
) -> None:
    """The reports table (tables page, exports): versions sent and the sign-off,
    a report returned and sent again saying so; the status and the time still
    those of the first version."""
    from data.tables import Filters, stream

    district = _scope(reporting, "district", CHU_SE)
    first = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 19, 9, 0))
    _send(reporting, "Q1", "commune", IA_TIEM, local(2024, 3, 25, 9, 0))
    _decide(reporting, first, "return", district, "Thiếu số liệu")

    def rows(lang: str = "vi") -> dict:
        with reporting.connect() as conn:
            frames = stream(
                conn,
                "reports",
                Filters("legacy", CHU_SE, Period.parse("2024-Q1")),
                district,
                lang=lang,
                now=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
            )
            frame = pd.concat(list(frames))
        q1 = frame[frame["period_end"].astype(str) == "2024-03-31"]
        return {r["code"]: r for r in q1.to_dict("records")}

    shown = rows()
    assert (shown[TOWN]["versions"], shown[TOWN]["sign_off"]) == (1, "Đã trả lại")
    assert shown[IA_TIEM]["sign_off"] == "Chờ phê duyệt"
    assert shown[IA_TIEM]["status"] == "Muộn"
    assert pd.isna(shown["23945"]["sign_off"]) and shown["23945"]["versions"] == 0
    second = _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 28, 9, 0))
    shown = rows()
    assert shown[TOWN]["versions"] == 2
    assert shown[TOWN]["sign_off"] == "Chờ phê duyệt (gửi lại sau khi bị trả lại)"
    assert shown[TOWN]["status"] == "Đúng hạn"  # the first version counts
    _decide(reporting, second, "approve", district)
    assert rows("en")[TOWN]["sign_off"] == "Approved (resubmitted after a return)"
