"""The fund sums kept with the bookings (``fund_month``, data/metrics/summary.py):
the fund figures read from them equal those summed from the raw bookings on
every level of both trees and every kind of period, they follow every write,
and ``rebuild-summaries --check`` tells when they do not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import CTE, Connection, Engine, delete, func, insert, select, update

from data import demo
from data.db import transaction
from data.metrics import fund as F
from data.metrics import summary
from data.metrics.months import from_facts
from data.metrics.rollup import target_place, targets_under
from data.models import AdminUnit, FundContribution, FundMonth
from data.periods import Period
from tests.test_incident_summary import PERIODS, TODAY, _listings


def _both(
    conn: Connection,
    make: Callable[[], CTE],
    period: Period,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fund frame read from the kept sums, and summed from the bookings."""
    fast = F.fund_frame(conn, make(), period, TODAY)
    with from_facts():
        raw = F.fund_frame(conn, make(), period, TODAY)
    return fast, raw


def test_the_summary_gives_the_raw_figures_on_every_level(
    conn: Connection,
) -> None:
    """Both trees, every level (former-district groups read the bookings),
    year / quarter / year to date / quarter still running: the same frame, to
    the đồng."""
    nonzero = 0
    for tree, level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)

            def make(
                tree: str = tree,
                level: str = level,
                parent: str = parent,
                day: dt.date = day,
            ) -> CTE:
                return targets_under(tree, level, parent, day)

            fast, raw = _both(conn, make, period)
            pd.testing.assert_frame_equal(fast, raw, obj=(tree, level, period.key))
            nonzero += int((raw["total"] > 0).sum())
    assert nonzero > 100  # the comparisons are of real figures, not of zeros


def test_whole_months_are_read_from_the_summary(conn: Connection) -> None:
    """A year reads the kept rows alone; a year to date also the bookings of
    its last, unfinished month; a former-district group the bookings alone."""
    tree, level, parent = _listings(conn)[0]
    year = str(F._fund_grouped(targets_under(tree, level, parent, TODAY), *_span(2024)))
    assert "fund_month" in year and "fund_contribution" not in year
    running = str(
        F._fund_grouped(
            targets_under(tree, level, parent, TODAY), dt.date(2025, 1, 1), TODAY
        )
    )
    assert "fund_month" in running and "fund_contribution" in running
    tree, level, parent = _listings(conn)[4]  # the former districts of a province
    groups = str(
        F._fund_grouped(targets_under(tree, level, parent, TODAY), *_span(2024))
    )
    assert "fund_month" not in groups and "fund_contribution" in groups


def _span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def test_a_places_own_row_equals_the_raw_one(
    conn: Connection,
) -> None:
    for tree, _level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)

            def make(tree: str = tree, parent: str = parent, day: dt.date = day) -> CTE:
                return target_place(conn, tree, parent, day)

            fast, raw = _both(conn, make, period)
            pd.testing.assert_frame_equal(fast, raw, obj=(tree, parent, period.key))


def test_the_seeded_summary_matches_the_bookings(conn: Connection) -> None:
    assert summary.check(conn) is None
    assert conn.execute(select(func.count()).select_from(FundMonth)).scalar()
    conn.rollback()
    try:  # a booking changed behind the summary's back, never committed
        first = conn.execute(select(func.min(FundContribution.id))).scalar_one()
        conn.execute(
            update(FundContribution)
            .where(FundContribution.id == first)
            .values(amount_dong=FundContribution.amount_dong + 1)
        )
        difference = summary.check(conn)
        assert difference is not None and difference.startswith("fund_month, unit ")
        assert "amount" in difference
    finally:
        conn.rollback()


# --- the writers keep it current, the command checks and rebuilds ---------------------


def _province_total(engine: Engine, year: int = 2024) -> int:
    with engine.connect() as conn:
        frame = F.fund_progress(
            conn,
            tree="legacy",
            level="province",
            parent_code="VN",
            period=Period(year),
            today=TODAY,
        )
    return int(frame["total"].sum())


def test_a_write_keeps_the_summary_current(gia_lai: Engine) -> None:
    with transaction(gia_lai) as session:
        demo.generate(session, seed=7, years=[2023, 2024], today=TODAY)
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    before = _province_total(gia_lai)
    with transaction(gia_lai) as session:
        commune, other = session.scalars(
            select(AdminUnit.id).where(AdminUnit.level == "commune").limit(2)
        ).all()
        session.execute(
            insert(FundContribution),
            {
                "unit_id": commune,
                "contributed_on": dt.date(2024, 5, 1),
                "kind": "cash",
                "source_type": "individual",
                "amount_dong": 1_234_000,
            },
        )
        summary.refresh_fund(session, [commune])
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    assert _province_total(gia_lai) == before + 1_234_000
    with transaction(gia_lai) as session:  # moved to another commune, then deleted
        session.execute(
            update(FundContribution)
            .where(FundContribution.unit_id == commune)
            .values(unit_id=other)
        )
        summary.refresh_fund(session, {commune, other})
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    with transaction(gia_lai) as session:
        session.execute(
            delete(FundContribution).where(FundContribution.unit_id == other)
        )
        summary.refresh_fund(session, [other])
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    assert _province_total(gia_lai) < before


def test_the_command_names_a_fund_difference_and_rebuilds(
    gia_lai: Engine, gia_lai_cli
) -> None:
    with transaction(gia_lai) as session:
        demo.generate(session, seed=7, years=[2023, 2024], today=TODAY)
    with gia_lai.begin() as conn:
        first = conn.execute(select(func.min(FundContribution.id))).scalar_one()
        conn.execute(
            update(FundContribution)
            .where(FundContribution.id == first)
            .values(contributed_on=dt.date(2019, 3, 3))
        )
    result = gia_lai_cli("rebuild-summaries", "--check")
    assert result.exit_code == 1
    assert "summary differs: fund_month, unit " in result.output
    assert "2019-03" in result.output
    result = gia_lai_cli("rebuild-summaries")
    assert result.exit_code == 0, result.output
    assert "fund_month" in result.output
    assert gia_lai_cli("rebuild-summaries", "--check").exit_code == 0
