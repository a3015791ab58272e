"""Submitted report figures feed the incidents and fund themes where a unit has
no records, and nothing is counted twice (``data.metrics.reported``)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, delete, insert, text

from data import calendar, metrics, report_forms, submissions
from data.db import transaction
from data.metrics.reported import _counted
from data.metrics.summary import refresh_fund, refresh_incidents
from data.models import (
    FundContribution,
    Incident,
    ReportFigure,
    ReportSchedule,
    ReportSubmission,
)
from data.periods import VN_TZ, Period, deadline_instant
from data.report_forms import CASE_PARTS
from data.scope import FULL, Scope

TODAY = dt.date(2025, 2, 1)  # every 2024 period is over
PROVINCE, CHU_SE = "64", "633"
TOWN, IA_TIEM, CHU_PONG = "23941", "23944", "23945"  # communes of Chư Sê
DROWN = ("INJ_DROWN", "M", "11_15")
FALL = ("INJ_FALL", "F", "0_5")
VIOLENCE = ("AB_VIOL", "F", "11_15")


@pytest.fixture
def reporting(gia_lai: Engine) -> Engine:
    """Gia Lai with the built-in calendar of 2024: communes report Q1, H1, M9 and
    the year to the district; districts H1 and the year to the province."""
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2024])
    return gia_lai


def _unit_id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
            {"c": code},
        ).scalar_one()


def _schedule(engine: Engine, report: str, level: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT id FROM report_schedule WHERE report_type = :r "
                "AND from_level = :l AND period_start = '2024-01-01'"
            ),
            {"r": report, "l": level},
        ).scalar_one()


def _workbook(
    engine: Engine, schedule: int, unit: int, cases: dict, fund: dict
) -> bytes:
    """The unit's template with ``cases`` {(type, sex, age): n} and ``fund``
    {kind: đồng} filled in, totals consistent."""
    with engine.connect() as conn:
        form = submissions.owed(conn, schedule, unit).form
    book = openpyxl.load_workbook(io.BytesIO(report_forms.template(form)))
    sheet = book[report_forms.CASES]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    parts = [(sex, age) for sex, age, _label in CASE_PARTS]
    for (code, sex, age), n in cases.items():
        sheet.cell(rows[code], 3 + parts.index((sex, age)), n)
    for row in rows.values():
        values = [sheet.cell(row, 3 + i).value for i in range(len(parts))]
        sheet.cell(row, 3 + len(parts), sum(values))
    sheet = book[report_forms.FUND]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    for kind, amount in fund.items():
        sheet.cell(rows[kind], 3, amount)
    kinds = [r for code, r in rows.items() if code != "TOTAL"]
    sheet.cell(rows["TOTAL"], 3, sum(sheet.cell(r, 3).value for r in kinds))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report(
    engine: Engine,
    report: str,
    unit: str,
    *,
    cases: dict | None = None,
    fund: dict | None = None,
    level: str = "commune",
    at: dt.datetime | None = None,
) -> submissions.Receipt:
    schedule, unit_id = _schedule(engine, report, level), _unit_id(engine, unit)
    data = _workbook(engine, schedule, unit_id, cases or {}, fund or {})
    return submissions.submit(
        engine,
        schedule_id=schedule,
        unit_id=unit_id,
        data=data,
        file_name=f"{report}-{unit}.xlsx",
        user_id=None,
        now=at or dt.datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ),
    )


def _record_case(engine: Engine, unit: str, day: dt.date, type_code: str) -> None:
    _record_case_on(engine, "legacy", unit, day, type_code)


def _record_case_on(
    engine: Engine, tree: str, unit: str, day: dt.date, type_code: str = "INJ_FALL"
) -> None:
    category = "abuse" if type_code.startswith("AB_") else "injury"
    with engine.connect() as conn:
        unit_id = conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = :t AND code = :c"),
            {"t": tree, "c": unit},
        ).scalar_one()
    with transaction(engine) as session:
        session.execute(
            insert(Incident),
            {
                "unit_id": unit_id,
                "occurred_on": day,
                "category": category,
                "type_code": type_code,
                "sex": "F",
                "age_band": "6_10",
            },
        )
        refresh_incidents(session, [unit_id])


def _book_fund(engine: Engine, unit: str, day: dt.date, amount: int) -> None:
    with transaction(engine) as session:
        session.execute(
            insert(FundContribution),
            {
                "unit_id": _unit_id(engine, unit),
                "contributed_on": day,
                "kind": "cash",
                "source_type": "individual",
                "amount_dong": amount,
            },
        )
        refresh_fund(session)


def _cases(
    engine: Engine, level: str, parent: str, period: str, **kw: object
) -> dict[str, dict]:
    with engine.connect() as conn:
        frame = metrics.incidents(
            conn,
            tree="legacy",
            level=level,
            parent_code=parent,
            period=Period.parse(period),
            today=TODAY,
            **kw,
        )
    return {row["code"]: row for row in frame.to_dict("records")}


def _fund(engine: Engine, level: str, parent: str, period: str) -> dict[str, dict]:
    with engine.connect() as conn:
        frame = metrics.fund_progress(
            conn,
            tree="legacy",
            level=level,
            parent_code=parent,
            period=Period.parse(period),
            today=TODAY,
        )
    return {row["code"]: row for row in frame.to_dict("records")}


def test_a_commune_without_records_shows_its_report(reporting: Engine) -> None:
    _report(
        reporting, "Q1", TOWN, cases={DROWN: 2, VIOLENCE: 1}, fund={"cash": 500_000}
    )
    _report(
        reporting,
        "ANNUAL",
        TOWN,
        cases={DROWN: 4, FALL: 1},
        fund={"cash": 1_500_000, "in_kind": 500_000},
        at=dt.datetime(2024, 12, 5, 9, 0, tzinfo=VN_TZ),
    )
    q1 = _cases(reporting, "commune", CHU_SE, "2024-Q1")
    assert (q1[TOWN]["abuse"], q1[TOWN]["injury"], q1[TOWN]["count"]) == (1, 2, 3)
    assert q1[TOWN]["reported"] and not q1[IA_TIEM]["reported"]
    assert q1[IA_TIEM]["count"] == 0
    year = _cases(reporting, "commune", CHU_SE, "2024")  # the annual report
    assert (year[TOWN]["abuse"], year[TOWN]["injury"]) == (0, 5)
    q2 = _cases(reporting, "commune", CHU_SE, "2024-Q2")  # no report of its own
    assert q2[TOWN]["count"] == 0 and not q2[TOWN]["reported"]
    drowning = _cases(reporting, "commune", CHU_SE, "2024", types=["INJ_DROWN"])
    assert drowning[TOWN]["count"] == 4
    assert _cases(reporting, "district", PROVINCE, "2024-Q1")[CHU_SE]["count"] == 3

    fund_q1, fund_year = (
        _fund(reporting, "commune", CHU_SE, p) for p in ("2024-Q1", "2024")
    )
    assert (fund_q1[TOWN]["cash"], fund_q1[TOWN]["total"]) == (500_000, 500_000)
    assert fund_year[TOWN]["total"] == 2_000_000 and fund_year[TOWN]["reported"]
    assert fund_year[IA_TIEM]["total"] == 0 and not fund_year[IA_TIEM]["reported"]
    assert _fund(reporting, "district", PROVINCE, "2024")[CHU_SE]["in_kind"] == 500_000


def test_records_win_over_a_report_theme_by_theme(reporting: Engine) -> None:
    _record_case(reporting, IA_TIEM, dt.date(2024, 2, 10), "AB_NEGL")
    _report(reporting, "Q1", IA_TIEM, cases={DROWN: 2}, fund={"cash": 300_000})
    q1 = _cases(reporting, "commune", CHU_SE, "2024-Q1")
    assert (q1[IA_TIEM]["abuse"], q1[IA_TIEM]["injury"]) == (1, 0)
    assert not q1[IA_TIEM]["reported"]
    # a type filter narrows the unit's one source: never more than the whole
    only = _cases(reporting, "commune", CHU_SE, "2024-Q1", types=["INJ_DROWN"])
    assert only[IA_TIEM]["count"] == 0
    # no fund bookings: the fund figures of the same report count
    assert _fund(reporting, "commune", CHU_SE, "2024-Q1")[IA_TIEM]["cash"] == 300_000
    _book_fund(reporting, IA_TIEM, dt.date(2024, 3, 1), 100_000)
    assert _fund(reporting, "commune", CHU_SE, "2024-Q1")[IA_TIEM]["cash"] == 100_000


def test_a_unit_keeps_one_source_for_every_period_of_a_year(reporting: Engine) -> None:
    """Records in the third quarter only: the first quarter does not take the
    report instead (it would show more than the year)."""
    _record_case(reporting, CHU_PONG, dt.date(2024, 8, 1), "INJ_FALL")
    _report(reporting, "Q1", CHU_PONG, cases={DROWN: 3})
    shown = {
        p: _cases(reporting, "commune", CHU_SE, p)[CHU_PONG]["count"]
        for p in ("2024-Q1", "2024-Q3", "2024")
    }
    assert shown == {"2024-Q1": 0, "2024-Q3": 1, "2024": 1}


def test_a_district_report_counts_once_above_its_communes(reporting: Engine) -> None:
    h1 = dt.datetime(2024, 5, 20, 9, 0, tzinfo=VN_TZ)
    _report(reporting, "H1", TOWN, cases={DROWN: 2}, at=h1)
    _report(reporting, "H1", CHU_PONG, cases={FALL: 1}, at=h1)
    _report(reporting, "H1", CHU_SE, level="district", cases={DROWN: 10}, at=h1)
    communes = _cases(reporting, "commune", CHU_SE, "2024")
    assert (communes[TOWN]["count"], communes[CHU_PONG]["count"]) == (2, 1)
    districts = _cases(reporting, "district", PROVINCE, "2024")
    assert districts[CHU_SE]["count"] == 10  # the district's own total, not 13
    assert sum(row["count"] for row in districts.values()) == 10
    with reporting.connect() as conn:
        province = metrics.incidents_of_unit(
            conn, tree="legacy", code=PROVINCE, period=Period(2024), today=TODAY
        )
    assert province["count"].tolist() == [10]
    # a record anywhere in the district: the district's report gives way to the
    # records and to its communes' reports
    _record_case(reporting, IA_TIEM, dt.date(2024, 4, 2), "INJ_BURN")
    assert _cases(reporting, "district", PROVINCE, "2024")[CHU_SE]["count"] == 4


def test_the_latest_version_counts_and_timeliness_keeps_the_first(
    reporting: Engine,
) -> None:
    on_time = dt.datetime(2024, 3, 20, 10, 0, tzinfo=VN_TZ)
    _report(reporting, "Q1", TOWN, cases={DROWN: 2}, at=on_time)
    again = _report(
        reporting,
        "Q1",
        TOWN,
        cases={DROWN: 3, FALL: 1},
        at=on_time + dt.timedelta(days=3),
    )
    assert again.version == 2 and not again.on_time
    assert _cases(reporting, "commune", CHU_SE, "2024-Q1")[TOWN]["injury"] == 4
    with reporting.connect() as conn:
        rows = metrics.timeliness(
            conn,
            tree="legacy",
            level="commune",
            parent_code=CHU_SE,
            period=Period(2024, 1),
            now=dt.datetime(2024, 4, 1, tzinfo=dt.UTC),
            only=TOWN,
        )
    assert rows.iloc[0]["on_time"] == 1 and rows.iloc[0]["late"] == 0


def test_reported_abuse_is_suppressed_like_recorded_abuse(reporting: Engine) -> None:
    _report(reporting, "Q1", TOWN, cases={VIOLENCE: 3, DROWN: 1})
    district = Scope("district", _unit_id(reporting, CHU_SE))
    shown = _cases(reporting, "commune", CHU_SE, "2024-Q1", scope=district)[TOWN]
    # the abuse part is "<5"; the total says only "at least the injury"
    assert pd.isna(shown["abuse"]) and shown["partial"] and shown["count"] == 1
    assert shown["injury"] == 1
    exact = _cases(reporting, "commune", CHU_SE, "2024-Q1", scope=FULL)[TOWN]
    assert (exact["abuse"], exact["count"]) == (3, 4)


def test_the_detail_panel_lists_reported_types(reporting: Engine) -> None:
    _report(reporting, "Q1", TOWN, cases={DROWN: 2, FALL: 1}, fund={"cash": 200_000})
    _record_case(reporting, IA_TIEM, dt.date(2024, 1, 5), "INJ_FALL")
    with reporting.connect() as conn:
        detail = metrics.unit_detail(
            conn, tree="legacy", code=CHU_SE, period=Period(2024, 1), today=TODAY
        )
    cases = detail["incidents"]
    assert cases["count"] == 4 and cases["reported"]
    top = [(r["type_code"], r["count"]) for r in cases["top_types"]]
    assert top == [("INJ_DROWN", 2), ("INJ_FALL", 2)]
    assert detail["fund"]["total"] == 200_000 and detail["fund"]["reported"]


def test_overlapping_reports_keep_the_larger_coverage_and_count_each_commune_once() -> (
    None
):
    """Across the reform: a legacy district's 6-month report (communes 1-3), a new
    commune's annual report (legacy commune 2 and itself, 100), and legacy commune
    3's 6-month report, all under one unit shown."""
    jan, jun, dec = dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 12, 31)
    chosen = pd.DataFrame(
        {
            "target": ["X", "X", "X"],
            "unit_id": [10, 100, 3],
            "period_start": [jan, jan, jan],
            "period_end": [jun, dec, jun],
        }
    )
    leaves = {
        10: frozenset({1, 2, 3, 10}),
        100: frozenset({2, 100}),
        3: frozenset({3}),
    }
    kept = chosen.loc[_counted(chosen, leaves), "unit_id"].tolist()
    assert sorted(kept) == [3, 100]  # the new commune covers most; 10 overlaps it
    # each (commune, day) covered at most once among the kept reports
    covered = [c for unit in kept for c in leaves[unit]]
    assert len(covered) == len(set(covered))
    # shown separately, each unit keeps its own report
    alone = chosen.assign(target=["D", "N", "C"])
    assert sorted(alone.loc[_counted(alone, leaves), "unit_id"]) == [3, 10, 100]


def _reform_reports(engine: Engine, reports: list[tuple]) -> None:
    """On the hand-made reform trees (``tests.test_metrics_reform``), without any
    case records: one schedule and one submission with a drowning count per
    (tree, unit, period start, period end, drownings)."""
    from tests.test_metrics_reform import build_reform

    build_reform(engine)
    with engine.begin() as conn:
        conn.execute(delete(Incident))
        refresh_incidents(conn)
        for n, (tree, code, start, end, drownings) in enumerate(reports, 100):
            unit = conn.execute(
                text("SELECT id, level FROM admin_unit WHERE tree = :t AND code = :c"),
                {"t": tree, "c": code},
            ).one()
            conn.execute(
                insert(ReportSchedule),
                {
                    "id": n,
                    "plan_code": "TEST",
                    "report_type": "ANNUAL",
                    "period_start": start,
                    "period_end": end,
                    "from_level": unit.level,
                    "to_level": "province",
                    "due_date": end,
                    "due_inclusive": True,
                    "deadline_at": deadline_instant(end, True),
                    "jurisdiction_id": unit.id,
                },
            )
            sent = conn.execute(
                insert(ReportSubmission)
                .values(
                    schedule_id=n,
                    unit_id=unit.id,
                    version=1,
                    submitted_at=deadline_instant(end, True),
                )
                .returning(ReportSubmission.id)
            ).scalar_one()
            conn.execute(
                insert(ReportFigure),
                {
                    "submission_id": sent,
                    "section": "case",
                    "code": "INJ_DROWN",
                    "sex": "M",
                    "age_band": "6_10",
                    "value": drownings,
                },
            )


def test_across_the_reform_a_commune_day_is_never_counted_twice(engine: Engine) -> None:
    from tests.test_metrics_reform import A, B, X, Y

    jan, jun, dec = dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 12, 31)
    _reform_reports(
        engine,
        [
            ("legacy", "812", jan, jun, 10),  # legacy communes C and D
            ("2025", X, jan, dec, 6),  # the new commune of A, B and C
            ("legacy", A, jan, jun, 1),
        ],
    )

    def count(level: str, parent: str) -> dict[str, int]:
        with engine.connect() as conn:
            frame = metrics.incidents(
                conn,
                tree="2025",
                level=level,
                parent_code=parent,
                period=Period(2025),
                today=dt.date(2026, 11, 30),
            )
        return dict(zip(frame["code"], frame["count"], strict=True))

    # X's year covers most (4 communes x 365 days); 812 and A overlap it in C, A
    assert count("province", "VN")["81"] == 6
    assert (count("commune", "81")[X], count("commune", "81")[Y]) == (6, 0)
    # a record in X's area (legacy B): X has another source, the others count
    _record_case_on(engine, "legacy", B, dt.date(2025, 3, 3))
    assert count("province", "VN")["81"] == 10 + 1 + 1
    assert count("commune", "81")[X] == 1 + 1  # the record and A's report
