"""Across the reform: report timeliness, former-district groups, trends of new units.

The trees and facts are those of ``tests.test_metrics_reform.build_reform``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import metrics
from data.periods import Period
from tests.test_metrics_reform import (
    NEW,
    NOW,
    OLD,
    TODAY,
    Y2025,
    A,
    W,
    X,
    Y,
    Z,
    build_reform,
)

GROUPS = metrics.FORMER_DISTRICT
COUNTS = ["owed", "on_time", "late", "missing", "not_due"]


@pytest.fixture
def reform(engine: Engine) -> Engine:
    return build_reform(engine)


def _rows(frame: pd.DataFrame, columns: list[str]) -> dict[str, list]:
    return {r["code"]: [r[c] for c in columns] for r in frame.to_dict("records")}


def test_new_communes_owe_what_their_default_predecessors_owed(
    reform: Engine,
) -> None:
    with reform.connect() as conn:
        frame = metrics.timeliness(
            conn, tree=NEW, level="commune", parent_code="81", period=Y2025, now=NOW
        )
    # X: Q1 of A (on time), B (late), C (missing), and its own Q3 (on time)
    # Y: Q1 of D (on time), its own Q3 (late); Z: its own Q3 only (on time)
    # W: Q1 of F (on time), its own Q3 (missing)
    assert _rows(frame, COUNTS) == {
        X: [4, 2, 1, 1, 0],
        Y: [2, 1, 1, 0, 0],
        Z: [1, 1, 0, 0, 0],
        W: [2, 1, 0, 1, 0],
    }
    assert _rows(frame, ["on_time_share"])[X] == [50.0]


def test_the_new_province_includes_the_legacy_districts_up_to_june(
    reform: Engine,
) -> None:
    with reform.connect() as conn:
        frame = metrics.timeliness(
            conn, tree=NEW, level="province", parent_code="VN", period=Y2025, now=NOW
        )
    # 9 commune reports (above) + H1 of the districts 811 (on time), 812 (late),
    # 821 (missing); the December report of districts is owed by nobody
    assert _rows(frame, COUNTS) == {"81": [12, 6, 3, 3, 0]}


def test_legacy_districts_owe_nothing_after_june_2025(reform: Engine) -> None:
    def owed(tree: str, code: str, key: str) -> int:
        detail = metrics.unit_detail(
            conn, tree=tree, code=code, period=Period.parse(key), today=TODAY
        )
        assert detail is not None
        return detail["timeliness"]["owed"]

    with reform.connect() as conn:
        by_district = metrics.timeliness(
            conn,
            tree=OLD,
            level="district",
            parent_code="81",
            period=Period.parse("2025-Q2"),
            now=NOW,
        )
        # 812 has its H1 (Q2) report and C's, D's Q1 ones; nothing in Q3 or Q4
        assert [owed(OLD, "812", k) for k in ("2025-Q1", "2025-Q2")] == [2, 1]
        assert [owed(OLD, "811", k) for k in ("2025-Q3", "2025-Q4")] == [0, 0]
    assert _rows(by_district, ["owed", "on_time", "late"]) == {
        "811": [1, 1, 0],
        "812": [1, 0, 1],
    }


def test_one_row_per_former_district_group(reform: Engine) -> None:
    args = {"tree": NEW, "level": GROUPS, "parent_code": "81", "today": TODAY}
    with reform.connect() as conn:
        cases = metrics.incidents(conn, **args, period=Y2025)
        fund = metrics.fund_progress(conn, **args, period=Y2025)
        reports = metrics.timeliness(
            conn, tree=NEW, level=GROUPS, parent_code="81", period=Y2025, now=NOW
        )
        share = metrics.child_friendly_share(conn, **args, period=Period(2026))
        one = metrics.incidents(conn, **args, period=Y2025, only="812")
    # 812: Y and Z (D's cases once, through Y); 821: W; X spans 811 and 812.
    # Children: those of the legacy communes the cases come from for the 181 days
    # before July (812: D's 900 through Y; MIXED: A + B + C, 2,400), the groups'
    # own after (700 + 300; X's 2,000) for 184 days
    assert _rows(cases, ["name", "count", "children"]) == {
        "812": ["Unit 812", 3 + 1, round((181 * 900 + 184 * 1000) / 365)],  # 950
        "821": ["Unit 821", 1, 400],
        "MIXED-81": [metrics.MIXED_NAME_VI, 5, 2198],
    }
    assert _rows(cases, ["rate"])["812"] == [pytest.approx(4 / 950 * 100_000)]
    # a group also holds the own bookings of the legacy district it is named
    # after; 811 names no group (its communes all went into X): its 200,000 go to
    # the mixed group, so the groups together hold everything below the province
    assert _rows(fund, ["total"]) == {
        "812": [70_000 + 7_000 + 9_000],
        "821": [40_000],
        "MIXED-81": [185_000 + 200_000],
    }
    assert fund["target"].isna().all()
    # Y's and Z's, plus district 812's own 6-month report (late)
    assert _rows(reports, ["owed", "on_time", "late"])["812"] == [4, 2, 2]
    assert _rows(share, ["communes", "assessed"]) == {
        "812": [2, 0],
        "821": [1, 0],
        "MIXED-81": [1, 1],
    }
    assert _rows(share, ["share"])["MIXED-81"] == [100.0]
    assert _rows(one, ["count"]) == {"812": [4]}


def test_communes_of_a_former_district_group(reform: Engine) -> None:
    def codes(parent: str, fn=metrics.incidents) -> list[str]:
        args = {"tree": NEW, "parent_code": parent, "today": TODAY}
        if fn is metrics.incidents:
            args["level"] = "commune"
        return list(fn(conn, **args, period=Period(2026))["code"])

    with reform.connect() as conn:
        assert codes("812") == [Y, Z]
        assert codes("MIXED-81") == [X]
        assert codes("81") == [X, Y, Z, W]
        assert codes("812", metrics.child_friendly_status) == [Y, Z]
        assert codes("811") == []  # no new commune lies wholly in 811
        legacy = metrics.incidents(
            conn,
            tree=OLD,
            level=GROUPS,
            parent_code="81",
            period=Period(2024),
            today=TODAY,
        )
        before = metrics.incidents(
            conn,
            tree=NEW,
            level=GROUPS,
            parent_code="81",
            period=Period.parse("2025-Q2"),
            today=TODAY,
        )
    assert list(legacy["code"]) == ["811", "812"]  # before July: the districts
    assert before.empty  # no new commune exists yet, so no group


def test_trend_of_a_new_commune_across_the_reform(reform: Engine) -> None:
    with reform.connect() as conn:
        trend = metrics.unit_trend(
            conn, tree=NEW, code=X, years=range(2023, 2027), today=TODAY
        )
        legacy = metrics.unit_trend(conn, tree=OLD, code=A, years=[2024], today=TODAY)
    records = trend.astype(object).where(trend.notna(), None).to_dict("records")
    assert records == [
        {
            "year": 2023,
            "cf_status": None,
            "fund_total": 0,
            "abuse": 0,
            "injury": 0,
            "incident_rate": 0.0,
            "on_time_share": None,
        },
        {  # A's 2024 case and contribution; A's 2024 recognition is not X's;
            # the rate over the children of A, B and C (2,400), whose cases these are
            "year": 2024,
            "cf_status": None,
            "fund_total": 10_000,
            "abuse": 1,
            "injury": 0,
            "incident_rate": pytest.approx(1 / 2400 * 100_000),
            "on_time_share": None,
        },
        {
            "year": 2025,
            "cf_status": None,
            "fund_total": 185_000,
            "abuse": 2,
            "injury": 3,
            # 2,400 children for 181 days, X's 2,000 for 184: 2,198
            "incident_rate": pytest.approx(5 / 2198 * 100_000),
            "on_time_share": 50.0,
        },
        {  # its own first round (October 2026) and its own Q1 report
            "year": 2026,
            "cf_status": "RECOGNISED_NEW",
            "fund_total": 0,
            "abuse": 0,
            "injury": 1,
            "incident_rate": pytest.approx(1 / 2000 * 100_000),
            "on_time_share": 100.0,
        },
    ]
    assert trend.attrs[metrics.CF_CARRIED_KEY] is False
    assert legacy["cf_status"].tolist() == ["RECOGNISED_NEW"]
    assert metrics.CF_CARRIED_KEY not in legacy.attrs


def test_trend_of_the_new_province(reform: Engine) -> None:
    with reform.connect() as conn:
        trend = metrics.unit_trend(
            conn, tree=NEW, code="81", years=[2024, 2025, 2026], today=TODAY
        )
        detail = metrics.unit_detail(
            conn, tree=NEW, code="81", period=Y2025, today=TODAY
        )
    # legacy 81 and 82 in 2024: only A's 10,000; 2025: see the province test
    assert trend["fund_total"].tolist() == [10_000, 4_011_000, 3_000_000]
    assert trend["abuse"].tolist() == [1, 3, 0]
    # 2024: the history of its area (A of the 5 legacy communes A-D, F);
    # 2025: no share until its own communes have a round (2026: X of 4)
    assert trend["cf_share"].isna().tolist() == [False, True, False]
    assert trend["cf_share"].iloc[0] == pytest.approx(20.0)
    assert trend["cf_share"].iloc[2] == pytest.approx(25.0)
    assert detail is not None
    assert detail["child_friendly"]["share"] is None
    assert detail["child_friendly"][metrics.CF_CARRIED_KEY] is False
    assert detail["fund"]["target"] == 5_000_000
