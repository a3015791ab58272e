"""The composite ranking on a hand-computed fixture: normalisation, weights, ties,
missing components, change against the previous period, and the gaps."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data import ranking

UNITS = pd.DataFrame(
    {
        "code": ["A", "B", "C", "D"],
        "name": ["Huyện A", "Huyện B", "Huyện C", "Huyện D"],
        "children": [30_000, 25_000, 1_500, 20_000],
        "child_friendly": [80.0, 60.0, 60.0, 20.0],
        "fund": [100.0, 120.0, 80.0, 100.0],
        "burden": [500.0, 400.0, 600.0, 400.0],
        "timeliness": [90.0, 70.0, 80.0, 50.0],
    }
)


def by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("code")


def test_normalisation_and_composite_by_hand() -> None:
    r = by_code(ranking.rank(UNITS))
    # child-friendly: min 20, max 80 -> A 100, B and C 66.7, D 0
    assert r["child_friendly_score"].round(2).to_dict() == {
        "A": 100.0,
        "B": 66.67,
        "C": 66.67,
        "D": 0.0,
    }
    # burden: lower is better -> B and D 100, A 50, C 0
    assert r["burden_score"].to_dict() == {"A": 50.0, "B": 100.0, "C": 0.0, "D": 100.0}
    # composites: A (100+50+50+100)/4, B (66.67+100+100+50)/4, C, D
    assert r.loc["A", "composite"] == pytest.approx(75.0)
    assert r.loc["B", "composite"] == pytest.approx((200 / 3 + 250) / 4)
    assert r.loc["C", "composite"] == pytest.approx((200 / 3 + 75) / 4)
    assert r.loc["D", "composite"] == pytest.approx(37.5)
    assert r["rank"].to_dict() == {"A": 2, "B": 1, "C": 4, "D": 3}
    assert r["small"].to_dict() == {"A": False, "B": False, "C": True, "D": False}
    assert list(ranking.rank(UNITS)["code"]) == ["B", "A", "D", "C"]


def test_ties_share_a_rank_and_weights_count() -> None:
    twin = pd.concat([UNITS, UNITS[UNITS.code == "A"].assign(code="E", name="Huyện E")])
    r = by_code(ranking.rank(twin))
    assert r.loc["A", "rank"] == r.loc["E", "rank"] == 2
    assert r.loc["D", "rank"] == 4  # 1, 2, 2, 4
    fund_only = by_code(ranking.rank(UNITS, {"fund": 1}))
    assert fund_only["rank"].to_dict() == {"A": 2, "B": 1, "C": 4, "D": 2}
    heavy = by_code(ranking.rank(UNITS, {"child_friendly": 3, "fund": 1}))
    assert heavy.loc["A", "composite"] == pytest.approx((3 * 100 + 50) / 4)
    with pytest.raises(ValueError, match="unknown component"):
        ranking.rank(UNITS, {"speed": 1})
    with pytest.raises(ValueError, match="above 0"):
        ranking.rank(UNITS, {"fund": 0})


def test_a_missing_component_is_left_out() -> None:
    gap = UNITS.copy()
    gap.loc[gap.code == "D", "timeliness"] = math.nan
    r = by_code(ranking.rank(gap))
    assert r.loc["D", "composite"] == pytest.approx((0 + 50 + 100) / 3)
    assert r.loc["D", "missing"] == ("timeliness",)
    assert r.loc["A", "missing"] == ()


def test_change_against_the_previous_period() -> None:
    now = ranking.rank(UNITS)
    before = pd.DataFrame({"code": ["A", "B", "C", "D"], "rank": [1, 2, 3, 4]})
    moved = by_code(ranking.with_change(now, before))
    assert moved["change"].to_dict() == {"A": -1, "B": 1, "C": -1, "D": 1}
    new = by_code(ranking.with_change(now, before[before.code != "C"]))
    assert pd.isna(new.loc["C", "change"])


def test_what_moves_the_rank() -> None:
    r = ranking.rank(UNITS)
    g = ranking.gaps(r, "A").set_index("component")
    assert g.attrs["above"] == "B"
    assert g.loc["child_friendly", "gap_median"] == pytest.approx(100 - 200 / 3)
    assert g.loc["child_friendly", "gap_above"] == pytest.approx(100 - 200 / 3)
    assert g.loc["fund", "gap_median"] == pytest.approx(0.0)
    assert g.loc["fund", "gap_above"] == pytest.approx(-50.0)
    assert g.loc["burden", "gap_above"] == pytest.approx(-50.0)
    top = ranking.gaps(r, "B")
    assert top.attrs["above"] is None and top["gap_above"].isna().all()


def test_ranking_the_seeded_districts(seeded) -> None:
    import datetime as dt

    from data.db import make_engine
    from data.periods import Period
    from data.scope import Scope

    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as conn:
        args = {"tree": "legacy", "level": "district", "parent_code": "64"}
        r = ranking.ranked(
            conn, **args, period=Period(2024), today=dt.date(2026, 11, 30)
        )
        parts = ranking.components(
            conn, **args, period=Period(2024), today=dt.date(2026, 11, 30)
        )
        viewer = ranking.ranked(
            conn,
            **args,
            period=Period(2024),
            today=dt.date(2026, 11, 30),
            scope=Scope("viewer"),
        )
    engine.dispose()
    assert len(r) == 17 and r["rank"].min() == 1 and r["rank"].max() <= 17
    assert r["change"].notna().all()  # 2023 ranked the same 17 districts
    assert parts[list(ranking.COMPONENTS)].notna().all().all()
    assert len(viewer) == 17  # district aggregates are for everyone
    assert ranking.previous(Period(2024, 1)) == Period(2023, 4)
    assert ranking.previous(Period(2024, ytd=True)) == Period(2023, ytd=True)


def test_restricted_burden_counts_a_hidden_abuse_count_as_two() -> None:
    cases = pd.DataFrame(
        {
            "abuse": [math.nan, 5.0, 0.0],
            "injury": [10, 10, 10],
            "children": [10_000, 10_000, 0],
            "rate": [math.nan, 150.0, math.nan],
            "rounded": [True, True, True],
        }
    )
    burden = ranking._burden(cases)
    assert burden.iloc[0] == pytest.approx(120.0) and burden.iloc[1] == 150.0
    assert pd.isna(burden.iloc[2])
    exact = cases.assign(rounded=False, rate=[110.0, 150.0, math.nan])
    assert ranking._burden(exact).iloc[0] == 110.0
