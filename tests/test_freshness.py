"""The reporting status (``data.freshness``): missing and awaiting counts of a
place and period as a scope may see them, when the figures were last written,
and the countdown per deadline with days left or overdue and the office to
contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from data import freshness
from data.periods import Period
from data.scope import Scope
from tests.test_approvals import CHU_SE, PLEIKU, TOWN, _scope, _send, local, reporting

__all__ = ["reporting"]  # the fixture, from the sign-off tests
NOW = local(2024, 3, 25, 9, 0)  # Q1 of communes due 20/3: overdue; H1 not yet


def _status(engine: Engine, scope: Scope, unit: str = "64") -> freshness.Status:
    with engine.connect() as conn:
        return freshness.status(
            conn,
            tree="legacy",
            unit_code=unit,
            period=Period.parse("2024"),
            scope=scope,
            now=NOW,
        )


def _countdown(engine: Engine, scope: Scope, unit: str = "64") -> list[dict]:
    with engine.connect() as conn:
        return freshness.countdown(
            conn, tree="legacy", unit_code=unit, year=2024, scope=scope, now=NOW
        )


def test_missing_and_awaiting_follow_a_submission(reporting: Engine) -> None:
    admin = Scope("admin")
    before = _status(reporting, admin)
    assert before.owed > before.missing > 0
    assert before.awaiting == 0
    _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 22, 8, 0))
    after = _status(reporting, admin)
    assert after.missing == before.missing - 1
    assert after.awaiting == 1
    assert after.written_at is not None
    assert after.written_at.tzinfo is not None


def test_a_district_counts_its_own_communes_only(reporting: Engine) -> None:
    admin = _status(reporting, Scope("admin"))
    chu_se = _status(reporting, _scope(reporting, "district", CHU_SE))
    assert 0 < chu_se.missing < admin.missing
    # its own district: the same count as the province department sees there
    own = _status(reporting, _scope(reporting, "district", CHU_SE), CHU_SE)
    assert own.missing == _status(reporting, Scope("admin"), CHU_SE).missing


def test_the_countdown_lists_who_is_still_to_report(reporting: Engine) -> None:
    _send(reporting, "Q1", "commune", TOWN, local(2024, 3, 22, 8, 0))
    rows = _countdown(reporting, Scope("admin"))
    q1 = [r for r in rows if r["report_type"] == "Q1" and r["unit_id"]]
    assert q1 and all(r["unit_code"] != TOWN for r in q1)
    # due "vào ngày 20/03": 25/03 is the 5th day overdue
    assert {r["days"] for r in q1} == {-5}
    chu_se_communes = [r for r in q1 if r["office"] == "Huyện Chư Sê"]
    assert chu_se_communes  # a commune's report goes to its district office
    h1 = [r for r in rows if r["report_type"] == "H1" and r["due_date"].month == 5]
    assert h1 and {r["office"] for r in h1} == {"Tỉnh Gia Lai"}
    # "trước ngày 25/05": 24/05 is the last day, 60 days after 25/03
    assert {r["days"] for r in h1} == {60}
    ordered = [(r["due_date"], r["report_type"], r["unit_code"]) for r in rows]
    assert ordered == sorted(ordered)


def test_a_district_is_listed_its_own_communes_only(reporting: Engine) -> None:
    rows = _countdown(reporting, _scope(reporting, "district", CHU_SE))
    communes = {r["office"] for r in rows if r["report_type"] == "Q1"}
    assert communes == {"Huyện Chư Sê"}
    # district reports (aggregates of every district) stay listed
    assert PLEIKU in {r["unit_code"] for r in rows}


def test_days_left_and_overdue() -> None:
    today = dt.date(2024, 3, 20)
    inclusive = dt.datetime(2024, 3, 20, 17, tzinfo=dt.UTC)  # late from 21/3
    assert freshness.days_left(inclusive, today) == 0
    assert freshness.days_left(inclusive, dt.date(2024, 3, 21)) == -1
    assert freshness.days_left(inclusive, dt.date(2024, 3, 18)) == 2


def _workbook(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Báo cáo")
    body = [r for r in rows[header + 1 :] if r and r[1] is not None]
    return rows, rows[header], body


def test_the_countdown_workbook_is_the_users_own_area(client_as, db) -> None:
    from data.models import AuditLog

    admin = client_as("admin").get("/reports/countdown.xlsx?year=2024&lang=vi")
    rows, header, everything = _workbook(admin)
    assert rows[0][0].startswith("Đơn vị chưa nộp báo cáo theo hạn, năm 2024")
    assert header == [
        "Báo cáo",
        "Hạn nộp",
        "Mã đơn vị",
        "Đơn vị",
        "Số ngày còn lại (âm: quá hạn)",
        "Còn lại / quá hạn",
        "Cơ quan liên hệ",
    ]
    assert everything, "the demo leaves reports unsent"
    assert all(isinstance(r[1], dt.datetime) for r in everything)  # a date cell
    assert all(isinstance(r[4], int) for r in everything)
    assert all(r[4] < 0 for r in everything)  # 2024 is over: all overdue
    assert all(r[5].startswith("quá hạn ") for r in everything)
    district = client_as("district").get("/reports/countdown.xlsx?year=2024")
    _rows, _header, own = _workbook(district)
    assert 0 < len(own) < len(everything)
    # communes of Chư Sê (their district office) and districts (the province)
    assert {r[6] for r in own} <= {"Huyện Chư Sê", "Tỉnh Gia Lai"}
    logged = db.execute(
        select(AuditLog.detail).where(AuditLog.action == "export")
    ).scalars()
    assert sum('"countdown"' in (d or "") for d in logged) >= 2
    assert (
        client_as("viewer").get("/reports/countdown.xlsx?year=2024").status_code == 403
    )
    bad = client_as("district").get("/reports/countdown.xlsx?year=20x4")
    assert bad.status_code == 400 and "Năm không hợp lệ" in bad.get_data(as_text=True)
