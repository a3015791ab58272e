"""Figures across the July-2025 reform, on a small hand-made pair of trees.

``build_reform(engine)`` inserts, with SQLAlchemy Core (so it runs on both backends):

    legacy (valid to 30/6/2025)              2025 (valid from 1/7/2025)
    VN                                       VN
    ├── 81 L (target 2025: 4,000,000)        └── 81 N (target 2026: 6,000,000)
    │   ├── 811  A 81101, B 81102                ├── 81001 X <- A, B, C (2,000 children)
    │   └── 812  C 81201, D 81202                ├── 81002 Y <- D, default  (700)
    └── 82 M (target 2025: 1,000,000)            ├── 81003 Z <- D, not default (300)
        └── 821  F 82101                         └── 81004 W <- F  (400)

Legacy 81 and new 81 share a code, as old Bình Định and the new Gia Lai do.  X's
predecessors lie in two legacy districts (its former-district group is
``MIXED-81``); Y and Z form the group 812, W the group 821.  Facts are booked on
the legacy units before July 2025 and on the new ones after; the values each test
expects are worked out next to it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, insert

from data import metrics
from data.metrics.summary import refresh_all
from data.models import (
    AdminUnit,
    ChildFriendlyAssessment,
    FundContribution,
    FundTarget,
    Incident,
    ReportSchedule,
    ReportSubmission,
    UnitCrosswalk,
)
from data.periods import Period, deadline_instant

OLD, NEW = "legacy", "2025"
END_OLD, START_NEW = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
# (tree, code): (level, parent code, children)
UNITS = {
    (OLD, "VN"): ("country", None, None),
    (OLD, "81"): ("province", "VN", 3300),
    (OLD, "811"): ("district", "81", 1800),
    (OLD, "812"): ("district", "81", 1500),
    (OLD, "81101"): ("commune", "811", 1000),  # A
    (OLD, "81102"): ("commune", "811", 800),  # B
    (OLD, "81201"): ("commune", "812", 600),  # C
    (OLD, "81202"): ("commune", "812", 900),  # D
    (OLD, "82"): ("province", "VN", 400),
    (OLD, "821"): ("district", "82", 400),
    (OLD, "82101"): ("commune", "821", 400),  # F
    (NEW, "VN"): ("country", None, None),
    (NEW, "81"): ("province", "VN", 3400),
    (NEW, "81001"): ("commune", "81", 2000),  # X
    (NEW, "81002"): ("commune", "81", 700),  # Y
    (NEW, "81003"): ("commune", "81", 300),  # Z
    (NEW, "81004"): ("commune", "81", 400),  # W
}
A, B, C, D, F = "81101", "81102", "81201", "81202", "82101"
X, Y, Z, W = "81001", "81002", "81003", "81004"
# legacy commune, new commune, is_default, divided
CROSSWALK = [
    (A, X, True, False),
    (B, X, True, False),
    (C, X, True, False),
    (D, Y, True, True),
    (D, Z, False, True),
    (F, W, True, False),
]


def insert_trees(conn, units=UNITS, crosswalk=CROSSWALK) -> dict[tuple[str, str], int]:
    """Insert both trees' ``units`` and the ``crosswalk`` rows; their ids."""
    ids: dict[tuple[str, str], int] = {}
    for n, ((tree, code), (level, parent, kids)) in enumerate(units.items(), 1):
        conn.execute(
            insert(AdminUnit),
            {
                "id": n,
                "tree": tree,
                "code": code,
                "level": level,
                "kind": "xã" if level == "commune" else "tỉnh",
                "name": f"Unit {code}",
                "short_name": code,
                "parent_id": ids.get((tree, parent)),
                "valid_from": None if tree == OLD else START_NEW,
                "valid_to": END_OLD if tree == OLD else None,
                "children_u16": kids,
                "source": "test",
            },
        )
        ids[(tree, code)] = n
    conn.execute(
        insert(UnitCrosswalk),
        [
            {
                "legacy_unit_id": ids[(OLD, old)],
                "new_unit_id": ids[(NEW, new)],
                "is_default": default,
                "divided": divided,
                "source": "test",
            }
            for old, new, default, divided in crosswalk
        ],
    )
    return ids


# (tree, code, day, category, type)
CASES = [
    (OLD, A, dt.date(2024, 5, 10), "abuse", "AB_VIOL"),
    (OLD, A, dt.date(2025, 2, 1), "abuse", "AB_SEX"),
    (OLD, A, dt.date(2025, 5, 1), "injury", "INJ_DROWN"),
    (OLD, B, dt.date(2025, 3, 1), "injury", "INJ_FALL"),
    (OLD, C, dt.date(2025, 6, 30), "injury", "INJ_DROWN"),
    (OLD, D, dt.date(2025, 4, 1), "abuse", "AB_VIOL"),
    (OLD, D, dt.date(2025, 4, 2), "injury", "INJ_FALL"),
    (OLD, F, dt.date(2025, 1, 15), "injury", "INJ_DROWN"),
    (NEW, X, dt.date(2025, 8, 1), "abuse", "AB_SEX"),
    (NEW, Y, dt.date(2025, 9, 1), "injury", "INJ_FALL"),
    (NEW, Z, dt.date(2025, 10, 1), "injury", "INJ_DROWN"),
    (NEW, X, dt.date(2026, 3, 1), "injury", "INJ_FALL"),
]
# (tree, code, day, kind, đồng)
MONEY = [
    (OLD, "VN", dt.date(2025, 1, 10), "programme", 9_000_000),
    (OLD, "81", dt.date(2025, 3, 1), "cash", 1_000_000),
    (OLD, "811", dt.date(2025, 4, 1), "in_kind", 200_000),
    (OLD, A, dt.date(2024, 12, 1), "cash", 10_000),
    (OLD, A, dt.date(2025, 2, 10), "cash", 100_000),
    (OLD, B, dt.date(2025, 5, 10), "programme", 50_000),
    (OLD, C, dt.date(2025, 6, 1), "cash", 30_000),
    (OLD, D, dt.date(2025, 6, 15), "cash", 70_000),
    (OLD, F, dt.date(2025, 2, 20), "cash", 40_000),
    (OLD, "82", dt.date(2025, 5, 5), "cash", 500_000),
    (NEW, "81", dt.date(2025, 9, 1), "cash", 2_000_000),
    (NEW, X, dt.date(2025, 8, 15), "cash", 5_000),
    (NEW, Y, dt.date(2025, 9, 15), "in_kind", 7_000),
    (NEW, Z, dt.date(2025, 10, 15), "cash", 9_000),
    (NEW, "81", dt.date(2026, 2, 1), "cash", 3_000_000),
]
# (tree, code, year, đồng); the legacy 2026 target is a stray one, never used
TARGETS = [
    (OLD, "81", 2024, 3_000_000),
    (OLD, "81", 2025, 4_000_000),
    (OLD, "82", 2025, 1_000_000),
    (OLD, "811", 2025, 300_000),
    (OLD, "81", 2026, 999),
    (NEW, "81", 2026, 6_000_000),
]


def _facts(conn, ids) -> None:
    conn.execute(
        insert(Incident),
        [
            {
                "unit_id": ids[(tree, code)],
                "occurred_on": day,
                "category": category,
                "type_code": type_code,
                "sex": "M",
                "age_band": "6_10",
            }
            for tree, code, day, category, type_code in CASES
        ],
    )
    conn.execute(
        insert(FundContribution),
        [
            {
                "unit_id": ids[(tree, code)],
                "contributed_on": day,
                "kind": kind,
                "source_type": "individual",
                "amount_dong": amount,
            }
            for tree, code, day, kind, amount in MONEY
        ],
    )
    conn.execute(
        insert(FundTarget),
        [
            {"unit_id": ids[(tree, code)], "year": year, "amount_dong": amount}
            for tree, code, year, amount in TARGETS
        ],
    )
    rounds = [  # unit, round date, the chairman's decision
        ((OLD, A), dt.date(2024, 11, 1), dt.date(2024, 12, 10)),
        ((NEW, X), dt.date(2026, 10, 1), dt.date(2026, 10, 20)),
    ]
    conn.execute(
        insert(ChildFriendlyAssessment),
        [
            {
                "unit_id": ids[unit],
                "regime": "QD06_2019",
                "round_date": day,
                "status": "RECOGNISED_NEW",
                "total_score": 900,
                "threshold": 800,
                "decided_on": decided,
            }
            for unit, day, decided in rounds
        ],
    )


# report: (from level, jurisdiction, due date)
SCHEDULES = {
    "Q1": ("commune", (OLD, "VN"), dt.date(2025, 3, 20)),
    "H1": ("district", (OLD, "VN"), dt.date(2025, 6, 15)),
    "ANNUAL": ("district", (OLD, "VN"), dt.date(2025, 12, 10)),  # owed by nobody
    "Q3": ("commune", (NEW, "81"), dt.date(2025, 9, 20)),
    "Q1_2026": ("commune", (NEW, "81"), dt.date(2026, 3, 20)),
}
EARLY, LATE = -dt.timedelta(days=1), dt.timedelta(days=1)
# (report, tree, unit, offset from the deadline); C, 821 and W send nothing
SUBMISSIONS = [
    ("Q1", OLD, A, EARLY),
    ("Q1", OLD, B, LATE),
    ("Q1", OLD, D, EARLY),
    ("Q1", OLD, F, EARLY),
    ("H1", OLD, "811", EARLY),
    ("H1", OLD, "812", LATE),
    ("ANNUAL", OLD, "811", EARLY),  # sent, but a district owes nothing in December
    ("Q3", NEW, X, EARLY),
    ("Q3", NEW, Y, LATE),
    ("Q3", NEW, Z, EARLY),
    ("Q1_2026", NEW, X, EARLY),
]
NOW = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)


def _reports(conn, ids) -> None:
    numbers = {}
    for n, (report, (level, where, due)) in enumerate(SCHEDULES.items(), 1):
        conn.execute(
            insert(ReportSchedule),
            {
                "id": n,
                "plan_code": "TEST",
                "report_type": "ANNUAL" if report == "ANNUAL" else "Q1",
                "period_start": dt.date(due.year, n, 1),
                "period_end": dt.date(due.year, 12, 31),
                "from_level": level,
                "to_level": "province",
                "due_date": due,
                "due_inclusive": True,
                "deadline_at": deadline_instant(due, True),
                "jurisdiction_id": ids[where],
            },
        )
        numbers[report] = (n, deadline_instant(due, True))
    conn.execute(
        insert(ReportSubmission),
        [
            {
                "schedule_id": numbers[report][0],
                "unit_id": ids[(tree, code)],
                "version": 1,
                "submitted_at": numbers[report][1] + offset,
            }
            for report, tree, code, offset in SUBMISSIONS
        ],
    )


def build_reform(engine: Engine) -> Engine:
    """Insert both small trees, the crosswalk and the facts (module docstring)."""
    with engine.begin() as conn:
        ids = insert_trees(conn)
        _facts(conn, ids)
        _reports(conn, ids)
        refresh_all(conn)
    return engine


@pytest.fixture
def reform(engine: Engine) -> Engine:
    return build_reform(engine)


TODAY = dt.date(2026, 11, 30)
Y2025 = Period(2025)


def _by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("code")


@pytest.mark.parametrize(
    ("key", "today", "tree", "spans"),
    [
        ("2024", None, OLD, False),
        ("2025-Q1", None, OLD, False),
        ("2025-Q2", None, OLD, False),
        ("2025", None, NEW, True),
        ("2025-Q3", None, NEW, False),  # starts on the first day of the new tree
        ("2025-YTD", dt.date(2025, 11, 30), NEW, True),
        ("2025-YTD", dt.date(2026, 11, 30), NEW, True),
        ("2025-YTD", dt.date(2025, 5, 1), OLD, False),  # 1 Jan - 1 May 2025
        ("2026", None, NEW, False),
        ("2026-Q1", None, NEW, False),
    ],
)
def test_tree_for_and_spans_reform(key, today, tree, spans) -> None:
    assert metrics.tree_for(Period.parse(key), today) == tree
    assert metrics.tree_for(key, today) == tree
    assert metrics.spans_reform(Period.parse(key), today) is spans


def test_merged_and_divided_communes_carry_their_cases(reform: Engine) -> None:
    with reform.connect() as conn:
        frame = metrics.incidents(
            conn, tree=NEW, level="commune", parent_code="81", period=Y2025, today=TODAY
        )
    rows = _by_code(frame)
    assert list(frame["code"]) == [X, Y, Z, W]
    # X = A (2) + B (1) + C (1) before July + its own case in August
    assert rows.loc[X, ["count", "abuse", "injury"]].tolist() == [5, 2, 3]
    assert rows.loc[Y, "count"] == 2 + 1  # all of D, and its own
    assert rows.loc[Z, "count"] == 1  # its own only: nothing of D
    assert rows.loc[W, "count"] == 1  # F's
    assert frame["count"].sum() == 10  # every case once: D's are not counted twice


def test_rates_are_recomputed_over_the_new_units_children(reform: Engine) -> None:
    with reform.connect() as conn:
        new = metrics.incidents(
            conn, tree=NEW, level="commune", parent_code="81", period=Y2025, today=TODAY
        )
        old = metrics.incidents(
            conn,
            tree=OLD,
            level="commune",
            parent_code="811",
            period=Period.parse("2025-Q2"),
            today=TODAY,
        )
    x = _by_code(new).loc[X]
    # the year's cases come from A + B + C (2,400 children) for 181 days and from
    # X (2,000) for 184: the children weighted by those days, 2,198.4 -> 2,198
    assert x["children"] == round((181 * 2400 + 184 * 2000) / 365) == 2198
    assert x["rate"] == pytest.approx(5 / 2198 * 100_000)  # 227.5
    # an average of A's, B's and C's first-half rates would be 163.9
    first_half = {A: 2 / 1000, B: 1 / 800, C: 1 / 600}
    mean = 100_000 * sum(first_half.values()) / 3
    assert x["rate"] != pytest.approx(mean)
    assert _by_code(old).loc[A, "rate"] == pytest.approx(1 / 1000 * 100_000)


def _halves(conn, fn, column: str) -> int:
    """L and M in Q1 and Q2 on the legacy tree, N in Q3 and Q4 on the new one."""
    total = 0
    for key, tree in [("Q1", OLD), ("Q2", OLD), ("Q3", NEW), ("Q4", NEW)]:
        frame = fn(
            conn,
            tree=tree,
            level="province",
            parent_code="VN",
            period=Period.parse(f"2025-{key}"),
            today=TODAY,
        )
        assert list(frame["code"]) == (["81", "82"] if tree == OLD else ["81"])
        total += int(frame[column].sum())
    return total


def test_the_new_province_is_the_first_half_of_its_predecessors_plus_its_own(
    reform: Engine,
) -> None:
    args = {"tree": NEW, "level": "province", "parent_code": "VN", "today": TODAY}
    with reform.connect() as conn:
        cases = metrics.incidents(conn, **args, period=Y2025)
        fund = metrics.fund_progress(conn, **args, period=Y2025)
        halves = (
            _halves(conn, metrics.incidents, "count"),
            _halves(conn, metrics.fund_progress, "total"),
        )
    assert cases["count"].tolist() == [10] and halves[0] == 10
    # L 1,000,000 + district 811 200,000 + A..D 250,000 + M 500,000 + F 40,000
    # before July; N 2,000,000 + X, Y, Z 21,000 after
    assert fund["total"].tolist() == [4_011_000] and halves[1] == 4_011_000
    # children: the legacy communes' 3,700 (A..D, F) for the 181 days before July,
    # N's own 3,400 for the 184 after: 3,548.8 -> 3,549
    assert cases["children"].tolist() == [round((181 * 3700 + 184 * 3400) / 365)]
    assert cases["rate"].iloc[0] == pytest.approx(10 / 3549 * 100_000)


def test_a_new_province_without_its_own_2025_target_uses_its_predecessors(
    reform: Engine,
) -> None:
    args = {"tree": NEW, "level": "province", "parent_code": "VN", "today": TODAY}
    with reform.connect() as conn:
        y2025 = metrics.fund_progress(conn, **args, period=Y2025).iloc[0]
        y2026 = metrics.fund_progress(conn, **args, period=Period(2026)).iloc[0]
        headline = metrics.fund_headline(
            conn, tree=NEW, unit_code="81", year=2025, today=TODAY
        )
    # L 4,000,000 + M 1,000,000; district 811's target is not a province's
    assert (y2025["target"], bool(y2025["target_from_predecessors"])) == (
        5_000_000,
        True,
    )
    assert y2025["pct"] == pytest.approx(100 * 4_011_000 / 5_000_000)
    assert headline["target"] == 5_000_000 and headline["total"] == 4_011_000
    assert (y2026["total"], y2026["target"]) == (3_000_000, 6_000_000)
    assert not y2026["target_from_predecessors"]


def test_an_own_target_wins_and_2026_never_falls_back(reform: Engine) -> None:
    with reform.begin() as conn:
        conn.execute(
            insert(FundTarget), {"unit_id": 13, "year": 2025, "amount_dong": 7}
        )
        conn.execute(
            delete(FundTarget).where(FundTarget.year == 2026, FundTarget.unit_id == 13)
        )
    args = {"tree": NEW, "level": "province", "parent_code": "VN", "today": TODAY}
    with reform.connect() as conn:
        y2025 = metrics.fund_progress(conn, **args, period=Y2025).iloc[0]
        y2026 = metrics.fund_progress(conn, **args, period=Period(2026)).iloc[0]
    assert (y2025["target"], bool(y2025["target_from_predecessors"])) == (7, False)
    # legacy 81's stray 2026 target (999) is not taken: the predecessors are gone
    assert pd.isna(y2026["target"]) and pd.isna(y2026["pct"])
    assert not y2026["target_from_predecessors"]


def test_the_new_country_inherits_the_legacy_countrys_own_bookings(
    reform: Engine,
) -> None:
    with reform.connect() as conn:
        new = metrics.fund_headline(
            conn, tree=NEW, unit_code="VN", year=2025, today=TODAY
        )
        old = metrics.fund_headline(
            conn, tree=OLD, unit_code="VN", year=2025, today=TODAY
        )
    # the legacy country: 9,000,000 of its own + L, M and everything under them
    assert old["total"] == 9_000_000 + 1_990_000
    assert new["total"] == 9_000_000 + 4_011_000


def test_recognition_is_not_carried_over(reform: Engine) -> None:
    with reform.connect() as conn:
        legacy = metrics.child_friendly_status(
            conn, tree=OLD, parent_code="811", period=Period(2024), today=TODAY
        )
        y2025 = metrics.child_friendly_status(
            conn, tree=NEW, parent_code="81", period=Y2025, today=TODAY
        )
        y2026 = metrics.child_friendly_status(
            conn, tree=NEW, parent_code="81", period=Period(2026), today=TODAY
        )
        shares = {
            year: metrics.child_friendly_share(
                conn,
                tree=NEW,
                level="province",
                parent_code="VN",
                period=Period(year),
                today=TODAY,
            ).iloc[0]
            for year in (2025, 2026)
        }
        old_share = metrics.child_friendly_share(
            conn, tree=OLD, level="province", parent_code="VN", period=Period(2024)
        )
    assert _by_code(legacy).loc[A, "status"] == "RECOGNISED_NEW"  # still shown
    assert _by_code(old_share).loc["81", ["communes", "recognised"]].tolist() == [4, 1]
    assert y2025["status"].isna().all() and y2025["status_class"].isna().all()
    assert y2025.attrs[metrics.CF_CARRIED_KEY] is False
    assert metrics.CF_CARRIED_OVER is False
    assert _by_code(y2026).loc[X, "status"] == "RECOGNISED_NEW"  # its own round
    assert _by_code(y2026).loc[[Y, Z, W], "status"].isna().all()
    # no commune of N has a round of its own in 2025: no share, not 0 %
    assert shares[2025][["communes", "recognised", "assessed"]].tolist() == [4, 0, 0]
    assert pd.isna(shares[2025]["share"])
    assert shares[2026][["communes", "recognised", "assessed"]].tolist() == [4, 1, 1]
    assert shares[2026]["share"] == pytest.approx(25.0)
