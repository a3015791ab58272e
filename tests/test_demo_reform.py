"""Demo data across the July-2025 reform: old Gia Lai and old Bình Định up to 30
June 2025, the new Gia Lai (52) from 1 July, continuous with the years before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data import demo, metrics
from data.db import make_engine, read_df, transaction
from data.models import (
    AdminUnit,
    Base,
    ChildFriendlyAssessment,
    FundContribution,
    FundTarget,
    Incident,
    ReportSchedule,
    ReportSubmission,
)
from data.periods import Period
from data.reform import load_2025_tree

SEED = 20210318
TODAY = dt.date(2026, 11, 30)
REFORM = dt.date(2025, 7, 1)
YEARS = range(2021, 2027)


def _new_gia_lai(path: Path, years: range) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with transaction(engine) as session:
        load_2025_tree(session, ["52"])
    with transaction(engine) as session:
        demo.generate(session, seed=SEED, years=years, today=TODAY)
    return engine


@pytest.fixture(scope="module")
def across(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _new_gia_lai(tmp_path_factory.mktemp("reform") / "demo.db", YEARS)
    yield engine
    engine.dispose()


def _facts(engine: Engine, model: type, day: str) -> pd.DataFrame:
    """Rows of a fact table with the tree and level of the unit they are booked on."""
    table, unit = model.__table__, AdminUnit.__table__
    stmt = select(table, unit.c.tree, unit.c.level.label("unit_level")).join(
        unit, unit.c.id == table.c.unit_id
    )
    with engine.connect() as conn:
        frame = read_df(conn, stmt)
    frame[day] = pd.to_datetime(frame[day])
    return frame


@pytest.mark.parametrize(
    ("model", "day"),
    [(Incident, "occurred_on"), (FundContribution, "contributed_on")],
)
def test_legacy_facts_end_on_the_eve_of_the_reform_and_new_ones_start_on_it(
    across: Engine, model: type, day: str
) -> None:
    frame = _facts(across, model, day)
    old, new = frame[frame.tree == "legacy"], frame[frame.tree == "2025"]
    assert old[day].max() < pd.Timestamp(REFORM) <= new[day].min()
    assert new[day].max() < pd.Timestamp(TODAY)
    # both halves of 2025 are there
    assert (old[day].dt.year == 2025).any() and (new[day].dt.year == 2025).any()
    # after the reform nothing is booked on a district: there are none
    assert set(new["unit_level"]) <= {"province", "commune"}


def test_years_before_the_reform_do_not_change_when_later_years_are_added(
    across: Engine, tmp_path: Path
) -> None:
    short = _new_gia_lai(tmp_path / "short.db", range(2021, 2025))
    try:
        tables = [(Incident, "occurred_on"), (FundContribution, "contributed_on")]
        for model, day in tables:
            before = _facts(short, model, day)
            longer = _facts(across, model, day)
            longer = longer[longer[day] < pd.Timestamp(2025, 1, 1)]
            pd.testing.assert_frame_equal(
                before.reset_index(drop=True), longer.reset_index(drop=True)
            )
    finally:
        short.dispose()


def _children(conn, tree: str, level: str) -> pd.DataFrame:
    u = AdminUnit.__table__
    stmt = select(u.c.code, u.c.name, u.c.children_u16).where(
        u.c.tree == tree, u.c.level == level
    )
    return read_df(conn, stmt)


def test_the_new_province_has_exactly_its_predecessors_children(
    across: Engine,
) -> None:
    with across.connect() as conn:
        old = _children(conn, "legacy", "province").set_index("code")
        new = _children(conn, "2025", "province").set_index("code")
        communes = _children(conn, "2025", "commune")
        old_communes = _children(conn, "legacy", "commune")
    assert new.loc["52", "children_u16"] == old.loc[["52", "64"], "children_u16"].sum()
    assert communes["children_u16"].sum() == old_communes["children_u16"].sum()
    assert len(communes) == 135 and (communes["children_u16"] > 0).all()


def test_no_child_friendly_round_after_the_reform(across: Engine) -> None:
    frame = _facts(across, ChildFriendlyAssessment, "round_date")
    assert not frame.empty
    assert set(frame.tree) == {"legacy"}
    assert frame["round_date"].max() < pd.Timestamp(2025, 1, 1)


def test_after_the_reform_communes_report_to_the_province(across: Engine) -> None:
    s, u = ReportSchedule.__table__, AdminUnit.__table__
    sub = ReportSubmission.__table__
    with across.connect() as conn:
        sched = read_df(
            conn,
            select(s, u.c.tree, u.c.code.label("jurisdiction"))
            .join(u, u.c.id == s.c.jurisdiction_id)
            .where(s.c.due_date >= REFORM),
        )
        sent = read_df(
            conn,
            select(sub.c.submitted_at, u.c.tree, u.c.level)
            .join(s, s.c.id == sub.c.schedule_id)
            .join(u, u.c.id == sub.c.unit_id)
            .where(s.c.due_date >= REFORM),
        )
        legacy = read_df(
            conn,
            select(s.c.report_type, s.c.period_end, s.c.due_date)
            .join(u, u.c.id == s.c.jurisdiction_id)
            .where(u.c.tree == "legacy", s.c.period_end >= dt.date(2025, 1, 1)),
        )
    new = sched[sched.tree == "2025"]
    assert set(new.jurisdiction) == {"52"}
    assert set(zip(new.from_level, new.to_level, strict=True)) == {
        ("commune", "province")
    }
    # 2025 after the reform: the annual report only; 2026: 6-month, annual and
    # the Action Month
    year = pd.to_datetime(new["period_end"]).dt.year
    assert sorted(zip(year, new.report_type, strict=True)) == [
        (2025, "ANNUAL"),
        (2026, "ACTION_MONTH"),
        (2026, "ANNUAL"),
        (2026, "H1"),
    ]
    # due after the reform on the legacy tree: the June 2025 Action Month only,
    # owed by the abolished communes and districts and filed by their successors
    old = sched[sched.tree == "legacy"]
    due = pd.to_datetime(old.due_date)
    found = zip(old.jurisdiction, old.report_type, old.from_level, due, strict=True)
    assert sorted(found) == [
        (province, "ACTION_MONTH", level, pd.Timestamp(2025, 7, day))
        for province in ("52", "64")  # old Bình Định and old Gia Lai
        for level, day in (("commune", 10), ("district", 20))
    ]
    assert set(zip(sent.tree, sent.level, strict=True)) == {
        ("2025", "commune"),
        ("legacy", "commune"),
        ("legacy", "district"),
    }
    after = pd.to_datetime(sent.loc[sent.tree == "2025", "submitted_at"])
    assert after.dt.date.min() >= REFORM
    # the legacy calendar of 2025 stops with the districts: a period that ends
    # later is owed only when due before (the child-friendly registration, 10/4)
    later = pd.to_datetime(legacy["period_end"]) > pd.Timestamp(2025, 6, 30)
    assert set(legacy.loc[later, "report_type"]) == {"CF_REGISTER"}
    due = pd.to_datetime(legacy.loc[later, "due_date"])
    assert (due == pd.Timestamp(2025, 4, 10)).all()


def test_the_reform_year_target_is_the_sum_of_the_predecessors(across: Engine) -> None:
    t, u = FundTarget.__table__, AdminUnit.__table__
    with across.connect() as conn:
        rows = read_df(
            conn,
            select(u.c.tree, u.c.code, t.c.year, t.c.amount_dong)
            .join(u, u.c.id == t.c.unit_id)
            .where(u.c.level == "province", t.c.year == 2025),
        ).set_index(["tree", "code"])["amount_dong"]
        fund = metrics.fund_progress(
            conn,
            tree="2025",
            level="province",
            parent_code="VN",
            period=Period(2025),
            today=TODAY,
        ).set_index("code")
    assert rows[("2025", "52")] == rows[("legacy", "52")] + rows[("legacy", "64")]
    assert fund.loc["52", "target"] == rows[("2025", "52")]
    # 2025 on the new tree: what the legacy units raised in the first half counts
    assert fund.loc["52", "total"] > 0


def test_the_new_province_continues_the_trend_of_the_old_ones(across: Engine) -> None:
    with across.connect() as conn:
        trend = metrics.unit_trend(
            conn, tree="2025", code="52", years=YEARS, today=TODAY
        ).set_index("year")
        old = {
            year: metrics.incidents(
                conn,
                tree="legacy",
                level="province",
                parent_code="VN",
                period=Period(year),
                today=TODAY,
            )
            for year in (2023, 2024)
        }
    # before the reform the new province's figures are its predecessors' sums
    for year, frame in old.items():
        assert trend.loc[year, "abuse"] == frame["abuse"].sum()
        assert trend.loc[year, "injury"] == frame["injury"].sum()
    rate_2024 = trend.loc[2024, "incident_rate"]
    # 2025 straddles the reform, 2026 is new units only, to the end of November
    assert 0.7 * rate_2024 < trend.loc[2025, "incident_rate"] < 1.3 * rate_2024
    assert 0.5 * rate_2024 < trend.loc[2026, "incident_rate"] < 1.3 * rate_2024
    assert trend["cf_share"].loc[2025:].isna().all()  # not carried, no new round
    assert trend.attrs["cf_carried_over"] is False
