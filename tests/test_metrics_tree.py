"""A small tree with hand-placed facts for the metrics tests, and tests of its shape.

``build_small(engine)`` inserts, with SQLAlchemy Core (so it runs on both backends):

    VN  country
    ├── 91  province (target 2024: 10,000,000 đồng)
    │   ├── 911 district (target 2024: 4,000,000)
    │   │   ├── 91101 commune, 2,000 children
    │   │   ├── 91102 commune, 1,000 children
    │   │   └── 91103 commune, 0 children
    │   └── 912 district (no target)
    │       ├── 91201 commune, 500 children
    │       └── 91202 commune, children unknown, exists from 1 April 2024
    └── 92  province without any fact
        └── 921 district
            └── 92101 commune

The facts and the values they must give are written next to each test.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from data import metrics
from data.metrics.summary import refresh_all
from data.models import (
    AdminUnit,
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    FundTarget,
    Incident,
    ReportSchedule,
    ReportSubmission,
)
from data.periods import Period, deadline_instant

TREE = "legacy"
# code: (level, parent, children, valid_from)
UNITS = {
    "VN": ("country", None, 3500, None),
    "91": ("province", "VN", 3500, None),
    "911": ("district", "91", 3000, None),
    "91101": ("commune", "911", 2000, None),
    "91102": ("commune", "911", 1000, None),
    "91103": ("commune", "911", 0, None),
    "912": ("district", "91", 500, None),
    "91201": ("commune", "912", 500, None),
    "91202": ("commune", "912", None, dt.date(2024, 4, 1)),
    "92": ("province", "VN", None, None),
    "921": ("district", "92", None, None),
    "92101": ("commune", "921", None, None),
}
UTC = dt.UTC


def _units(conn) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, (code, (level, parent, kids, valid_from)) in enumerate(UNITS.items(), 1):
        conn.execute(
            insert(AdminUnit),
            {
                "id": n,
                "tree": TREE,
                "code": code,
                "level": level,
                "kind": "xã" if level == "commune" else "tỉnh",
                "name": f"Unit {code}",
                "short_name": code,
                "parent_id": ids.get(parent),
                "valid_from": valid_from,
                "valid_to": dt.date(2025, 6, 30),
                "children_u16": kids,
                "source": "test",
            },
        )
        ids[code] = n
    return ids


def _child_friendly(conn, ids: dict[str, int]) -> None:
    rounds = [  # commune, round, status, score, zero criteria (in insert order)
        ("91101", 2022, "RECOGNISED_NEW", 880, []),
        ("91101", 2024, "RECOGNISED_MAINTAINED", 910, []),
        ("91102", 2022, "REGISTERED", None, []),
        ("91102", 2024, "NOT_RECOGNISED", 820, ["CF05", "CF03"]),
        ("91201", 2024, "RECOGNISED_NEW", 860, []),
    ]
    for n, (code, year, status, score, zeros) in enumerate(rounds, 1):
        conn.execute(
            insert(ChildFriendlyAssessment),
            {
                "id": n,
                "unit_id": ids[code],
                "regime": "QD06_2019",
                "round_date": dt.date(year, 11, 1),
                "status": status,
                "total_score": score,
                "threshold": 800 if score else None,
                "has_zero_criterion": bool(zeros) if score else None,
                # the district chairman decides in December
                "decided_on": dt.date(year, 12, 10) if score else None,
            },
        )
        scores = [(c, 0) for c in zeros] + [("CF01", 90)] * (score is not None)
        for criterion, points in scores:
            conn.execute(
                insert(ChildFriendlyScore),
                {"assessment_id": n, "criterion_code": criterion, "score": points},
            )


def _fund(conn, ids: dict[str, int]) -> None:
    conn.execute(
        insert(FundTarget),
        [
            {"unit_id": ids["91"], "year": 2024, "amount_dong": 10_000_000},
            {"unit_id": ids["911"], "year": 2024, "amount_dong": 4_000_000},
        ],
    )
    money = [  # unit, day, kind, đồng
        ("91", dt.date(2024, 2, 10), "cash", 1_000_000),
        ("91", dt.date(2024, 6, 1), "programme", 2_000_000),
        ("911", dt.date(2024, 5, 20), "in_kind", 500_000),
        ("91101", dt.date(2024, 1, 5), "cash", 300_000),
        ("91101", dt.date(2024, 12, 31), "in_kind", 200_000),
        ("91201", dt.date(2024, 3, 31), "programme", 700_000),
        ("91101", dt.date(2023, 12, 31), "cash", 9_999_000),
        ("91101", dt.date(2025, 1, 1), "cash", 8_888_000),
    ]
    conn.execute(
        insert(FundContribution),
        [
            {
                "unit_id": ids[code],
                "contributed_on": day,
                "kind": kind,
                "source_type": "individual",
                "amount_dong": amount,
            }
            for code, day, kind, amount in money
        ],
    )


def _incidents(conn, ids: dict[str, int]) -> None:
    cases = [  # commune, day, category, type
        ("91101", dt.date(2024, 3, 1), "abuse", "AB_SEX"),
        ("91101", dt.date(2024, 6, 15), "injury", "INJ_DROWN"),
        ("91101", dt.date(2024, 7, 1), "injury", "INJ_DROWN"),
        ("91101", dt.date(2024, 8, 1), "injury", "INJ_FALL"),
        ("91101", dt.date(2023, 12, 31), "injury", "INJ_FALL"),
        ("91103", dt.date(2024, 5, 5), "abuse", "AB_VIOL"),
        ("91201", dt.date(2024, 2, 2), "injury", "INJ_DROWN"),
    ]
    conn.execute(
        insert(Incident),
        [
            {
                "unit_id": ids[code],
                "occurred_on": day,
                "category": category,
                "type_code": type_code,
                "sex": "F",
                "age_band": "6_10",
            }
            for code, day, category, type_code in cases
        ],
    )


# report type: (from level, jurisdiction, due date, inclusive)
SCHEDULES = {
    "Q1": ("commune", "91", dt.date(2024, 3, 20), True),
    "H1": ("commune", "91", dt.date(2024, 6, 15), True),
    "ANNUAL": ("commune", "91", dt.date(2024, 12, 10), True),
    "M9": ("district", "91", dt.date(2024, 5, 25), False),  # "trước ngày 25/5"
    "ADHOC": ("province", "91", dt.date(2024, 7, 20), True),
}


def deadline(report: str) -> dt.datetime:
    """The first late instant of one of SCHEDULES (UTC)."""
    _, _, due, inclusive = SCHEDULES[report]
    return deadline_instant(due, inclusive)


SECOND, HOUR, DAY = (dt.timedelta(seconds=1), dt.timedelta(hours=1), dt.timedelta(1))
# (report, unit, version, submitted at); the outcome each must give is commented
SUBMISSIONS = [
    ("Q1", "91101", 1, deadline("Q1") - 2 * HOUR),  # on time
    ("Q1", "91102", 1, deadline("Q1") - DAY),  # on time
    ("Q1", "91201", 1, deadline("Q1") + DAY),  # late; 91103 missing
    ("Q1", "91202", 1, deadline("Q1") - HOUR),  # not owed: 91202 began 1/4
    ("H1", "91101", 1, deadline("H1")),  # exactly the first late instant: late
    ("H1", "91102", 1, deadline("H1") - SECOND),  # one second before: on time
    ("H1", "91102", 2, deadline("H1") + 5 * DAY),  # a correction: still on time
    ("H1", "91103", 1, deadline("H1") + 3 * DAY),  # late; 91201 missing
    ("H1", "91202", 1, deadline("H1") - DAY),  # on time
    ("ANNUAL", "91101", 1, dt.datetime(2024, 11, 29, 3, 0, tzinfo=UTC)),  # on time
    ("M9", "911", 1, deadline("M9") - SECOND),  # on time (16:59:59 UTC on 24/5)
    ("M9", "912", 1, deadline("M9")),  # 00:00 on 25/5 in Viet Nam: late
    ("ADHOC", "91", 1, deadline("ADHOC") + DAY),  # the province's own office: late
]
NOW = dt.datetime(2024, 12, 1, tzinfo=UTC)  # the annual report is not due yet


def _reports(conn, ids: dict[str, int]) -> None:
    for n, (report, (level, where, due, inclusive)) in enumerate(SCHEDULES.items(), 1):
        conn.execute(
            insert(ReportSchedule),
            {
                "id": n,
                "plan_code": "TEST",
                "report_type": report,
                "period_start": dt.date(2024, 1, 1),
                "period_end": dt.date(2024, 12, 31),
                "from_level": level,
                "to_level": "province",
                "due_date": due,
                "due_inclusive": inclusive,
                "deadline_at": deadline_instant(due, inclusive),
                "jurisdiction_id": ids[where],
            },
        )
    numbers = {report: n for n, report in enumerate(SCHEDULES, 1)}
    conn.execute(
        insert(ReportSubmission),
        [
            {
                "schedule_id": numbers[report],
                "unit_id": ids[code],
                "version": version,
                "submitted_at": at,
            }
            for report, code, version, at in SUBMISSIONS
        ],
    )


def build_small(engine: Engine) -> Engine:
    """Insert the small tree and its facts (see the module docstring)."""
    with engine.begin() as conn:
        ids = _units(conn)
        _child_friendly(conn, ids)
        _fund(conn, ids)
        _incidents(conn, ids)
        _reports(conn, ids)
        refresh_all(conn)
    return engine


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


P2024 = Period(2024)
AFTER_2024 = dt.date(2025, 2, 10)


def test_every_theme_returns_every_unit_even_without_facts(small: Engine) -> None:
    common = {"tree": TREE, "level": "province", "parent_code": "VN"}
    with small.connect() as conn:
        frames = {
            "share": metrics.child_friendly_share(
                conn, **common, period=P2024, today=AFTER_2024
            ),
            "fund": metrics.fund_progress(
                conn, **common, period=P2024, today=AFTER_2024
            ),
            "incidents": metrics.incidents(
                conn, **common, period=P2024, today=AFTER_2024
            ),
            "timeliness": metrics.timeliness(conn, **common, period=P2024, now=NOW),
        }
    for frame in frames.values():
        assert list(frame.columns[:2]) == ["code", "name"]
        assert list(frame["code"]) == ["91", "92"]
    empty = {name: frame.iloc[1] for name, frame in frames.items()}
    assert (empty["share"]["communes"], empty["share"]["recognised"]) == (1, 0)
    assert empty["share"]["share"] == 0.0
    assert empty["fund"][["cash", "in_kind", "programme", "total"]].tolist() == [0] * 4
    assert pd.isna(empty["fund"]["target"]) and pd.isna(empty["fund"]["pct"])
    assert empty["incidents"]["count"] == 0 and pd.isna(empty["incidents"]["rate"])
    assert empty["timeliness"][["owed", "expected"]].tolist() == [0, 0]
    assert pd.isna(empty["timeliness"]["on_time_share"])


def test_units_not_valid_on_the_reference_date_are_left_out(small: Engine) -> None:
    with small.connect() as conn:
        q1 = metrics.incidents(
            conn,
            tree=TREE,
            level="commune",
            parent_code="912",
            period=Period.parse("2024-Q1"),
            today=AFTER_2024,
        )
        year = metrics.incidents(
            conn,
            tree=TREE,
            level="commune",
            parent_code="912",
            period=P2024,
            today=AFTER_2024,
        )
    assert list(q1["code"]) == ["91201"]  # 91202 began on 1 April
    assert list(year["code"]) == ["91201", "91202"]


def test_an_unknown_level_or_parent(small: Engine) -> None:
    with small.connect() as conn:
        with pytest.raises(ValueError, match="unknown level"):
            metrics.fund_progress(
                conn, tree=TREE, level="ward", parent_code="911", period=P2024
            )
        nothing = metrics.fund_progress(
            conn, tree=TREE, level="district", parent_code="99", period=P2024
        )
    assert nothing.empty and list(nothing.columns[:2]) == ["code", "name"]


def test_available_periods_newest_first(small: Engine) -> None:
    with small.connect() as conn:
        periods = metrics.available_periods(conn, today=dt.date(2025, 2, 10))
        past = metrics.available_periods(conn, today=dt.date(2026, 5, 1))
    # facts run from the 2022 round to a contribution on 1 January 2025
    assert periods[:5] == ["2025-YTD", "2025", "2025-Q1", "2024", "2024-YTD"]
    assert periods[5:9] == ["2024-Q4", "2024-Q3", "2024-Q2", "2024-Q1"]
    assert periods[-6:] == [
        "2022",
        "2022-YTD",
        "2022-Q4",
        "2022-Q3",
        "2022-Q2",
        "2022-Q1",
    ]
    assert len(periods) == 3 + 3 * 6
    assert past[:2] == ["2025", "2025-YTD"]  # no 2026 facts: nothing for 2026


def test_available_periods_and_version_of_an_empty_database(engine: Engine) -> None:
    with engine.connect() as conn:
        assert metrics.available_periods(conn) == []
        assert metrics.facts_version(conn) == "0"
        assert metrics.next_facts_version(conn) == "1"
