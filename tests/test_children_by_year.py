"""Children under 16 per unit and year (``unit_children``): every rate of a
period in year Y divides by the year's figure where a unit has one, else by
``admin_unit.children_u16``; on both backends."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data import metrics, ranking
from data.children import YearChildren, set_children
from data.db import read_rows, transaction
from data.metrics.dataset import facts_version
from data.models import AdminUnit, AuditLog, UnitChildren
from data.periods import Period
from tests.test_metrics_reform import (
    NEW,
    OLD,
    TODAY,
    Y2025,
    A,
    D,
    X,
    Y,
    Z,
    build_reform,
)
from tests.test_metrics_tree import TREE, build_small

SMALL_TODAY = dt.date(2025, 2, 1)
Y2024, Y2023 = Period(2024), Period(2023)


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


@pytest.fixture
def reform(engine: Engine) -> Engine:
    return build_reform(engine)


def _ids(engine: Engine, tree: str) -> dict[str, int]:
    with engine.connect() as conn:
        rows = read_rows(
            conn, select(AdminUnit.code, AdminUnit.id).where(AdminUnit.tree == tree)
        )
    return {code: unit_id for code, unit_id in rows}


def _set(engine: Engine, tree: str, figures: dict[tuple[str, int], int]) -> None:
    ids = _ids(engine, tree)
    rows = [
        YearChildren(ids[code], year, kids, "test census")
        for (code, year), kids in figures.items()
    ]
    with transaction(engine) as session:
        set_children(session, rows, username="tester")


def _incidents(engine: Engine, level: str, parent: str, period: Period, **kw):
    tree, today = kw.pop("tree", TREE), kw.pop("today", SMALL_TODAY)
    with engine.connect() as conn:
        frame = metrics.incidents(
            conn,
            tree=tree,
            level=level,
            parent_code=parent,
            period=period,
            today=today,
        )
    return frame.set_index("code")


def _children(engine: Engine, level: str, parent: str, period: Period, **kw):
    return _incidents(engine, level, parent, period, **kw)["children"].to_dict()


# the small tree's figures of 2024 without any row (tests/test_metrics_incidents.py)
TODAY_2024 = {
    ("commune", "911"): {"91101": 2000, "91102": 1000, "91103": 0},
    ("district", "91"): {"911": 3000, "912": 500},
    ("province", "VN"): {"91": 3500, "92": None},
}


def test_without_rows_the_figures_are_todays(small: Engine) -> None:
    for (level, parent), expected in TODAY_2024.items():
        assert _children(small, level, parent, Y2024) == expected
    # a row of another year changes nothing in 2024
    _set(small, TREE, {("91101", 2022): 9999, ("911", 2022): 1})
    for (level, parent), expected in TODAY_2024.items():
        assert _children(small, level, parent, Y2024) == expected
    rows = _incidents(small, "district", "91", Y2024)
    assert rows.loc["911", "rate"] == pytest.approx(5 / 3000 * 100_000)


def test_a_communes_row_is_its_years_denominator_only(small: Engine) -> None:
    _set(small, TREE, {("91101", 2024): 4000})
    y2024 = _incidents(small, "commune", "911", Y2024)
    assert y2024.loc["91101", "children"] == 4000
    assert y2024.loc["91101", "rate"] == pytest.approx(4 / 4000 * 100_000)
    assert y2024.loc["91102", "children"] == 1000  # no row: its own figure
    y2023 = _incidents(small, "commune", "911", Y2023)
    assert y2023.loc["91101", "children"] == 2000
    assert y2023.loc["91101", "rate"] == pytest.approx(1 / 2000 * 100_000)
    # a quarter of 2024 is of the year 2024
    q2 = _incidents(small, "commune", "911", Period(2024, 2))
    assert q2.loc["91101", "children"] == 4000


def test_districts_and_provinces_sum_the_years_children(small: Engine) -> None:
    # 91101: 2,000 -> 4,000; 91202 (no figure of its own) 300 in 2024
    _set(small, TREE, {("91101", 2024): 4000, ("91202", 2024): 300})
    districts = _incidents(small, "district", "91", Y2024)
    # 911: 4,000 + 1,000 + 0; 912: 500 + 300
    assert districts["children"].to_dict() == {"911": 5000, "912": 800}
    assert districts.loc["911", "rate"] == pytest.approx(5 / 5000 * 100_000)
    assert _children(small, "province", "VN", Y2024) == {"91": 5800, "92": None}
    with small.connect() as conn:
        country = metrics.incidents_of_unit(
            conn, tree=TREE, code="VN", period=Y2024, today=SMALL_TODAY
        )
    assert country["children"].tolist() == [5800]
    # 2023 keeps the stored figures
    assert _children(small, "district", "91", Y2023) == {"911": 3000, "912": 500}


def test_a_units_own_row_wins_over_the_sum(small: Engine) -> None:
    _set(small, TREE, {("91101", 2024): 4000, ("911", 2024): 4500})
    assert _children(small, "district", "91", Y2024) == {"911": 4500, "912": 500}


def test_a_row_is_replaced_and_the_write_is_recorded(small: Engine) -> None:
    with small.connect() as conn:
        before = facts_version(conn)
    _set(small, TREE, {("91101", 2024): 4000})
    _set(small, TREE, {("91101", 2024): 2500, ("91102", 2024): 1200})
    with small.connect() as conn:
        rows = read_rows(
            conn,
            select(UnitChildren.year, UnitChildren.children_u16, UnitChildren.source),
        )
        audits = read_rows(
            conn,
            select(AuditLog.detail).where(AuditLog.action == "children_set"),
        )
        assert facts_version(conn) != before
    assert sorted(rows) == [(2024, 1200, "test census"), (2024, 2500, "test census")]
    assert [json.loads(a.detail)["rows"] for a in audits] == [1, 2]
    assert _children(small, "commune", "911", Y2024)["91101"] == 2500


def test_a_negative_figure_is_refused(small: Engine) -> None:
    with pytest.raises(ValueError), transaction(small) as session:
        set_children(session, [YearChildren(4, 2024, -1, "x")])


def test_the_detail_panel_shows_the_years_figure(small: Engine) -> None:
    _set(small, TREE, {("91101", 2024): 4000})
    with small.connect() as conn:
        kw = {"tree": TREE, "code": "911", "today": SMALL_TODAY}
        y2024 = metrics.unit_detail(conn, period=Y2024, **kw)
        y2023 = metrics.unit_detail(conn, period=Y2023, **kw)
        trend = metrics.unit_trend(conn, years=[2023, 2024], **kw)
    assert y2024 is not None and y2023 is not None
    assert (y2024["children"], y2023["children"]) == (5000, 3000)
    assert y2024["incidents"]["rate"] == pytest.approx(5 / 5000 * 100_000)
    assert trend["incident_rate"].tolist() == pytest.approx(
        [1 / 3000 * 100_000, 5 / 5000 * 100_000]
    )


def test_the_ranking_burden_uses_the_years_figure(small: Engine) -> None:
    def burden() -> dict[str, float]:
        with small.connect() as conn:
            parts = ranking.components(
                conn,
                tree=TREE,
                level="district",
                parent_code="91",
                period=Y2024,
                today=SMALL_TODAY,
            )
        return parts.set_index("code")["burden"].to_dict()

    assert burden()["911"] == pytest.approx(5 / 3000 * 100_000)
    _set(small, TREE, {("91101", 2024): 4000})
    assert burden()["911"] == pytest.approx(5 / 5000 * 100_000)


def test_the_july_2025_tree_apportions_the_years_legacy_children(
    reform: Engine,
) -> None:
    def new_communes() -> dict[str, int]:
        return _children(reform, "commune", "81", Y2025, tree=NEW, today=TODAY)

    def days(before: int, after: int) -> int:  # 181 days before July, 184 after
        return round((181 * before + 184 * after) / 365)

    untouched = new_communes()
    assert untouched[X] == days(2400, 2000)  # A + B + C, then X
    # rows of 2024 do not reach 2025
    _set(reform, OLD, {(A, 2024): 5000, (D, 2024): 5000})
    assert new_communes() == untouched
    # A 1,000 -> 1,500 and D 900 -> 1,000 in 2025; X 2,000 -> 2,200 after July
    _set(reform, OLD, {(A, 2025): 1500, (D, 2025): 1000})
    _set(reform, NEW, {(X, 2025): 2200})
    got = new_communes()
    assert got[X] == days(2900, 2200)
    assert got[Y] == days(1000, 700)  # all of D goes to its default successor
    assert pd.isna(got[Z]) and pd.isna(untouched[Z])  # no legacy commune of its own
    province = _incidents(reform, "province", "VN", Y2025, tree=NEW, today=TODAY)
    # legacy communes 3,700 + 500 + 100; N 3,400 + 200 of X
    assert province.loc["81", "children"] == days(4300, 3600)
    assert province.loc["81", "rate"] == pytest.approx(10 / days(4300, 3600) * 1e5)
    # the former-district groups: MIXED-81 is X; 812 is Y and Z
    groups = _children(reform, "former_district", "81", Y2025, tree=NEW, today=TODAY)
    assert groups["MIXED-81"] == days(2900, 2200)
    assert groups["812"] == days(1000, 1000)
