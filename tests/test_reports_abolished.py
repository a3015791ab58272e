"""Reports across the July-2025 reform, and the Action Month in the calendar.

A unit abolished between its period's end and the due date still owes the
report (``data.calendar.owes``); its successor files it (``data.calendar.filers``)
and it counts for the abolished unit.  On the small pair of trees of
``tests/test_metrics_reform`` (legacy 81: districts 811 {A, B}, 812 {C, D};
legacy 82: 821 {F}; new 81: X <- A, B, C; Y <- D (default), Z <- D; W <- F),
with a half-year report from the districts "trước ngày 10/7" and the default
calendar's Action Month (communes "trước ngày 10/7", districts "trước ngày 20/7").
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, text

from callbacks.reports_page import option_label
from data import calendar, metrics, submissions, tables
from data.db import transaction
from data.metrics import summary
from data.models import ReportOwed, ReportSchedule, ReportSubmission
from data.periods import VN_TZ, Period
from data.scope import Scope
from layouts.map_panels import timeliness_lines
from layouts.tables_page import shown_rows
from tests.test_metrics_reform import NEW, OLD, A, B, C, D, F, W, X, Y, insert_trees
from tests.test_submissions import _filled

H1_DUE_10_7 = """
[[report]]
plan = "TEST_H1"
type = "H1"
from = "district"
to = "province"
period = ["01/01", "30/06"]
due = "10/07"
rule = "trước ngày"
basis = "Kế hoạch thử"
"""
TT28 = "Thông tư 28/2019/TT-BLĐTBXH, Điều 5"
FILED_BY_81 = "(đã giải thể 01/07/2025) — do Unit 81 nộp thay"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


def _action_month() -> list[calendar.Entry]:
    return [e for e in calendar.read() if e.report_type == "ACTION_MONTH"]


@pytest.fixture
def reform(engine: Engine) -> dict:
    """The two trees, the test half-year and the Action Month loaded for 2025."""
    with engine.begin() as conn:
        ids = insert_trees(conn)
    with transaction(engine) as session:
        entries = calendar.parse(H1_DUE_10_7) + _action_month()
        counts = calendar.load(session, entries, [2025])
    # legacy 81 and 82 ended on 30/6, but June happened while they existed: the
    # half-year and both Action Month reports, for each; the new tree's Action
    # Month begins in 2026
    assert counts == {"added": 6, "updated": 0, "unchanged": 0}
    return {"engine": engine, "ids": ids}


def _schedule(engine: Engine, report: str, level: str, province: int) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(ReportSchedule.id).where(
                ReportSchedule.report_type == report,
                ReportSchedule.from_level == level,
                ReportSchedule.jurisdiction_id == province,
            )
        ).scalar_one()


def _submit(engine: Engine, schedule: int, unit: int, at: dt.datetime):
    return submissions.submit(
        engine,
        schedule_id=schedule,
        unit_id=unit,
        data=_filled(engine, schedule, unit),
        file_name="bao-cao.xlsx",
        user_id=None,
        now=at,
    )


def test_an_abolished_district_owes_its_half_year_filed_by_the_province(
    reform: dict,
) -> None:
    engine, ids = reform["engine"], reform["ids"]
    h1 = _schedule(engine, "H1", "district", ids[(OLD, "81")])
    with engine.connect() as conn:
        due = submissions.owed(conn, h1, ids[(OLD, "811")])
        # the province's account may submit it (and a new commune's may not)
        assert submissions.may_submit(conn, Scope("province"), ids[(OLD, "811")])
        x_user = Scope("commune", ids[(NEW, X)])
        assert not submissions.may_submit(conn, x_user, ids[(OLD, "811")])
    assert (due.due_date, due.due_inclusive) == (dt.date(2025, 7, 10), False)
    assert due.deadline_at == local(2025, 7, 10, 0, 0)  # "trước ngày 10/7"
    assert (due.abolished_on, due.filer, due.basis) == (
        dt.date(2025, 7, 1),
        "Unit 81",  # the new province the legacy province went into
        "Kế hoạch thử",
    )
    on_time = _submit(engine, h1, ids[(OLD, "811")], local(2025, 7, 9, 16, 0))
    late = _submit(engine, h1, ids[(OLD, "812")], local(2025, 7, 10, 8, 0))
    assert (on_time.on_time, late.on_time, late.days_late) == (True, False, 1)
    with engine.connect() as conn:  # recorded against the abolished districts
        owners = conn.execute(select(ReportSubmission.unit_id)).scalars().all()
        # the calendar load and both uploads kept the reports owed current
        assert summary.check(conn) is None
        kept = conn.execute(
            select(ReportOwed.on_time, ReportOwed.late, ReportOwed.unsent).where(
                ReportOwed.unit_id == ids[(OLD, "81")], ReportOwed.schedule_id == h1
            )
        ).one()
    assert sorted(owners) == sorted([ids[(OLD, "811")], ids[(OLD, "812")]])
    assert tuple(kept) == (1, 1, 0)


def test_a_new_commune_files_for_the_legacy_communes_it_succeeds(reform: dict) -> None:
    engine, ids = reform["engine"], reform["ids"]
    month = _schedule(engine, "ACTION_MONTH", "commune", ids[(OLD, "81")])
    x_user = Scope("commune", ids[(NEW, X)])
    with engine.connect() as conn:
        listed = submissions.choices(conn, x_user, 2025)
        # D went to Y by default (part of it to Z): Y files, X may not
        assert not submissions.may_submit(conn, x_user, ids[(OLD, D)])
        y_user = Scope("commune", ids[(NEW, Y)])
        assert submissions.may_submit(conn, y_user, ids[(OLD, D)])
    mine = sorted((r["report_type"], r["unit_code"], r["filer"]) for r in listed)
    # X's own predecessors A, B, C: their June Action Month, filed by X
    assert mine == [
        ("ACTION_MONTH", A, "Unit 81001"),
        ("ACTION_MONTH", B, "Unit 81001"),
        ("ACTION_MONTH", C, "Unit 81001"),
    ]
    row = next(r for r in listed if r["unit_code"] == A)
    assert (row["due_date"], row["abolished_on"], row["basis"]) == (
        dt.date(2025, 7, 10),
        dt.date(2025, 7, 1),
        TT28,
    )
    assert "Unit 81101 (đã giải thể 01/07/2025) — do Unit 81001 nộp thay" in (
        option_label(row, "vi")
    )
    assert "Unit 81101 (abolished 01/07/2025) — filed by Unit 81001" in (
        option_label(row, "en")
    )
    receipt = _submit(engine, month, ids[(OLD, A)], local(2025, 7, 9, 9, 0))
    assert receipt.on_time


def test_timeliness_and_the_overdue_list_count_them_for_the_new_province(
    reform: dict,
) -> None:
    """Q3 2025 on the new tree: due in it, the half-year (811, 812, 821), the
    districts' Action Month (the same three) and the communes' (A, B, C, D, F):
    11 owed.  811's half-year and A's Action Month on time, 812's half-year
    (10/7, 08:00: the due day itself is late) and D's Action Month (12/7) late;
    the other 7 missing on 1 August."""
    engine, ids = reform["engine"], reform["ids"]
    h1 = _schedule(engine, "H1", "district", ids[(OLD, "81")])
    month = _schedule(engine, "ACTION_MONTH", "commune", ids[(OLD, "81")])
    _submit(engine, h1, ids[(OLD, "811")], local(2025, 7, 9, 16, 0))
    _submit(engine, h1, ids[(OLD, "812")], local(2025, 7, 10, 8, 0))
    _submit(engine, month, ids[(OLD, A)], local(2025, 7, 9, 9, 0))
    _submit(engine, month, ids[(OLD, D)], local(2025, 7, 12, 9, 0))
    now = local(2025, 8, 1, 0, 0)
    quarter = Period(2025, 3)
    with engine.connect() as conn:
        row = metrics.timeliness(
            conn,
            tree=NEW,
            level="province",
            parent_code="VN",
            period=quarter,
            now=now,
        ).iloc[0]
        filters = tables.Filters(tree=NEW, unit="81", period=quarter, status="missing")
        rows, total = tables.page(
            conn,
            "reports",
            filters,
            Scope("admin"),
            0,
            50,
            lang="vi",
            sort_model=[("days_late", False)],
            now=now,
        )
    counts = [row[k] for k in ("owed", "expected", "on_time", "late", "missing")]
    assert counts == [11, 11, 2, 2, 7]
    assert row["filed_for"] == 11  # every one owed by a unit abolished on 1/7
    lines = timeliness_lines(row.to_dict(), "vi")
    assert "Gồm 11 báo cáo của đơn vị đã giải thể, do đơn vị kế thừa nộp thay" in lines
    assert row["on_time_share"] == pytest.approx(100 * 2 / 11)
    assert total == 7
    # the rows hold the successor and the day; the grid and the files say the note
    filed_for = rows[rows["filed_by"].notna()]
    assert set(filed_for[tables.ABOLISHED_ON]) == {dt.date(2025, 7, 1)}
    notes = shown_rows(rows, "vi")["filed_by"]
    listed = sorted(zip(rows["code"], rows["report"], notes, strict=True))
    month_vi = "Báo cáo kết quả Tháng hành động vì trẻ em"
    filed = {
        A: None,
        B: "(đã giải thể 01/07/2025) — do Unit 81001 nộp thay",
        C: "(đã giải thể 01/07/2025) — do Unit 81001 nộp thay",
        F: "(đã giải thể 01/07/2025) — do Unit 81004 nộp thay",
    }
    assert listed == sorted(
        [
            ("811", month_vi, FILED_BY_81),
            ("812", month_vi, FILED_BY_81),
            ("821", month_vi, FILED_BY_81),  # 82 went into the new 81 (F -> W)
            ("821", "Báo cáo 6 tháng", FILED_BY_81),
            (B, month_vi, filed[B]),
            (C, month_vi, filed[C]),
            (F, month_vi, filed[F]),
        ]
    )
    bases = dict(zip(rows["report"], rows["basis"], strict=False))
    assert bases == {month_vi: TT28, "Báo cáo 6 tháng": "Kế hoạch thử"}
    # "trước ngày 10/7": 10/7 is the first late day, 1 August the 23rd; 20/7 -> 13th
    keys = zip(rows["code"], rows["report"], strict=True)
    days = dict(zip(keys, rows["days_late"], strict=True))
    assert days == {
        ("811", month_vi): 13,
        ("812", month_vi): 13,
        ("821", month_vi): 13,
        ("821", "Báo cáo 6 tháng"): 23,
        (B, month_vi): 23,
        (C, month_vi): 23,
        (F, month_vi): 23,
    }
    assert rows.iloc[0]["days_late"] == 23  # most overdue first


def test_a_unit_born_after_the_period_owes_nothing_for_it(reform: dict) -> None:
    """The new communes exist on 10/7/2025 but did not in June: the 2025 Action
    Month is their predecessors' (and the new tree's entry begins in 2026)."""
    engine, ids = reform["engine"], reform["ids"]
    month = _schedule(engine, "ACTION_MONTH", "commune", ids[(OLD, "81")])
    with engine.connect() as conn:
        with pytest.raises(submissions.NotOwed):
            submissions.owed(conn, month, ids[(NEW, W)])
    june, due = dt.date(2025, 6, 30), dt.date(2025, 7, 10)
    assert not calendar.owes(dt.date(2025, 7, 1), None, june, due)  # born 1/7
    assert calendar.owes(None, dt.date(2025, 6, 30), june, due)  # abolished 1/7
    # a 6-month report due before its period ends (25/5): a unit abolished on 2/5
    # was gone on the due date and the period's end alike
    assert not calendar.owes(None, dt.date(2025, 5, 1), june, dt.date(2025, 5, 25))


def test_the_action_month_in_the_default_calendar(gia_lai: Engine) -> None:
    """Gia Lai, 2024: communes "trước ngày 10/7", districts "trước ngày 20/7", for
    the month of June, under TT 28/2019 Điều 5; on 1 August every one is missing,
    and they are the whole overdue list of the third quarter (M9 is not due)."""
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2024])
    with gia_lai.connect() as conn:
        found = conn.execute(
            select(
                ReportSchedule.from_level,
                ReportSchedule.to_level,
                ReportSchedule.period_start,
                ReportSchedule.period_end,
                ReportSchedule.due_date,
                ReportSchedule.due_inclusive,
                ReportSchedule.basis,
            )
            .where(ReportSchedule.report_type == "ACTION_MONTH")
            .order_by(ReportSchedule.due_date)
        ).all()
        units = dict(
            conn.execute(
                text(
                    "SELECT level, COUNT(*) FROM admin_unit WHERE tree = 'legacy' "
                    "AND level IN ('commune', 'district') GROUP BY level"
                )
            ).all()
        )
        filters = tables.Filters(
            tree="legacy", unit="64", period=Period(2024, 3), status="missing"
        )
        rows, total = tables.page(
            conn,
            "reports",
            filters,
            Scope("admin"),
            0,
            10_000,
            lang="en",
            now=local(2024, 8, 1, 0, 0),
        )
    june = (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert [tuple(r) for r in found] == [
        ("commune", "district", *june, dt.date(2024, 7, 10), False, TT28),
        ("district", "province", *june, dt.date(2024, 7, 20), False, TT28),
    ]
    assert total == units["commune"] + units["district"]
    assert set(rows["report"]) == {"Action Month for Children results"}
    assert set(rows["basis"]) == {TT28}
    assert rows["filed_by"].isna().all()  # nobody abolished in 2024
    late = dict(zip(rows["code"].str.len() > 3, rows["days_late"], strict=False))
    # "trước ngày 10/7": 10/7 is the first late day, 1/8 the 23rd; 20/7 -> 13th
    assert late == {True: 23, False: 13}


def test_without_the_new_tree_the_province_files_for_its_districts(
    gia_lai: Engine,
) -> None:
    """Only the legacy tree loaded: the June 2025 Action Month of a district
    abolished on 1/7 is filed by its own (legacy) province."""
    with transaction(gia_lai) as session:
        calendar.load(session, _action_month(), [2025])
    with gia_lai.connect() as conn:
        rows = [
            r
            for r in submissions.choices(conn, Scope("admin"), 2025)
            if r["unit_code"] == "633"
        ]
    assert [(r["due_date"], r["filer"], r["abolished_on"]) for r in rows] == [
        (dt.date(2025, 7, 20), "Tỉnh Gia Lai", dt.date(2025, 7, 1))
    ]
