"""The case sums kept with the cases (``incident_month``, data/metrics/summary.py):
the figures read from them equal those summed from the raw cases, they follow
every write, and ``rebuild-summaries --check`` tells when they do not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import (
    CTE,
    Connection,
    Engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)

from data import demo, metrics, suppression
from data.db import transaction
from data.metrics import cases as C
from data.metrics import summary
from data.metrics.months import from_facts, whole_months
from data.metrics.rollup import target_place, targets_under
from data.models import AdminUnit, Incident, IncidentMonth
from data.periods import Period
from data.reform import FORMER_DISTRICT
from data.scope import FULL, Scope

TODAY = dt.date(2025, 8, 14)  # a year to date and a quarter still running
PERIODS = [
    Period(2024),
    Period(2024, 2),
    Period(2024, ytd=True),
    Period(2025, ytd=True),
    Period(2025, 3),
    Period(2025, 1),
]
FILTERS = [
    (("abuse",), None),
    (("injury",), None),
    (("abuse", "injury"), None),
    (("abuse", "injury"), ("AB_SEX", "INJ_DROWN")),
]
INTEGERS = ["count", "abuse", "injury", "abuse_key", "children"]


def _code(conn: Connection, tree: str, level: str, parent: str | None = None) -> str:
    """The smallest code of a unit of ``level`` on ``tree`` (under ``parent``)."""
    unit, up = AdminUnit.__table__, AdminUnit.__table__.alias("up")
    stmt = select(func.min(unit.c.code)).where(
        unit.c.tree == tree, unit.c.level == level
    )
    if parent is not None:
        stmt = stmt.join(up, up.c.id == unit.c.parent_id).where(up.c.code == parent)
    code = conn.execute(stmt).scalar_one()
    assert code is not None, (tree, level, parent)
    return str(code)


def _listings(conn: Connection) -> list[tuple[str, str, str]]:
    """(tree, level, parent code) of every level of both trees."""
    old_country = _code(conn, "legacy", "country")
    old_province = _code(conn, "legacy", "province", old_country)
    old_district = _code(conn, "legacy", "district", old_province)
    new_country = _code(conn, "2025", "country")
    new_province = _code(conn, "2025", "province", new_country)
    return [
        ("legacy", "province", old_country),
        ("legacy", "district", old_province),
        ("legacy", "commune", old_district),
        ("2025", "province", new_country),
        ("2025", FORMER_DISTRICT, new_province),
        ("2025", "commune", new_province),
    ]


def _scopes(conn: Connection) -> list[Scope]:
    district = conn.execute(
        select(AdminUnit.id).where(AdminUnit.tree == "legacy", AdminUnit.code == "633")
    ).scalar_one()
    return [FULL, Scope("district", district), Scope("viewer")]


def _assert_same(fast: pd.DataFrame, raw: pd.DataFrame, what: object) -> None:
    assert list(fast.columns) == list(raw.columns), what
    for name in fast.columns:
        if name in INTEGERS or fast[name].dtype == object:
            assert fast[name].equals(raw[name]), (what, name)
    pd.testing.assert_frame_equal(fast, raw, check_exact=False, rtol=1e-12, obj=what)


def _both(
    conn: Connection,
    make: Callable[[], CTE],
    period: Period,
    categories: tuple[str, ...],
    types: tuple[str, ...] | None,
    scope: Scope,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The incidents frame as ``scope`` sees it: from the summary, and summed
    from the raw cases."""
    cases = C.case_filter(period, TODAY, categories, C.allowed_types(types, scope))
    fast = C.incident_frame(conn, make(), cases)
    with from_facts():
        raw = C.incident_frame(conn, make(), cases)
    shown = cases.categories
    seen = suppression.incidents(fast, scope, shown)
    # as the app reads it: for an exact scope made so at once, the same frame
    at_once = C.shown_incident_frame(conn, make(), cases, scope, shown)
    pd.testing.assert_frame_equal(at_once, seen, check_exact=True)
    assert at_once.attrs == seen.attrs
    return seen, suppression.incidents(raw, scope, shown)


def test_the_summary_gives_the_raw_figures_on_every_level(conn: Connection) -> None:
    """Both trees, every level, year / quarter / year to date / quarter still
    running, each category and a type filter, three scopes."""
    scopes = _scopes(conn)
    nonzero = 0
    for tree, level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)
            for scope in scopes:
                for categories, types in FILTERS:

                    def make(
                        tree: str = tree,
                        level: str = level,
                        parent: str = parent,
                        day: dt.date = day,
                        scope: Scope = scope,
                    ) -> CTE:
                        return targets_under(tree, level, parent, day, None, scope)

                    what = (tree, level, parent, period.key, scope, categories, types)
                    fast, raw = _both(conn, make, period, categories, types, scope)
                    _assert_same(fast, raw, what)
                    nonzero += int(raw["count"].sum() > 0)
    assert nonzero > 100  # the comparisons are of real figures, not of zeros


def test_the_parents_own_row_and_top_types_equal_the_raw_ones(
    conn: Connection,
) -> None:
    for tree, _level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)

            def make(tree: str = tree, parent: str = parent, day: dt.date = day) -> CTE:
                return target_place(conn, tree, parent, day)

            fast, raw = _both(conn, make, period, ("abuse", "injury"), None, FULL)
            _assert_same(fast, raw, (tree, parent, period.key))
            cases = C.case_filter(period, TODAY, ("abuse", "injury"), None)
            top = C.top_types(conn, make(), cases, 50)
            with from_facts():
                expected = C.top_types(conn, make(), cases, 50)
            pd.testing.assert_frame_equal(top, expected)


def test_whole_months_and_the_days_outside_them() -> None:
    d = dt.date
    assert whole_months(d(2024, 1, 1), d(2024, 12, 31)) == (
        (d(2024, 1, 1), d(2024, 12, 1)),
        [],
    )
    assert whole_months(d(2025, 1, 1), d(2025, 8, 14)) == (
        (d(2025, 1, 1), d(2025, 7, 1)),
        [(d(2025, 8, 1), d(2025, 8, 14))],
    )
    assert whole_months(d(2025, 7, 1), d(2025, 7, 20)) == (
        None,
        [(d(2025, 7, 1), d(2025, 7, 20))],
    )
    assert whole_months(d(2025, 7, 5), d(2025, 9, 30)) == (
        (d(2025, 8, 1), d(2025, 9, 1)),
        [(d(2025, 7, 5), d(2025, 7, 31))],
    )
    assert whole_months(d(2024, 12, 1), d(2024, 12, 31)) == (
        (d(2024, 12, 1), d(2024, 12, 1)),
        [],
    )


def test_the_seeded_summary_matches_the_cases(conn: Connection) -> None:
    assert summary.check(conn) is None
    conn.rollback()
    try:  # a case changed behind the summary's back, never committed
        first = conn.execute(select(func.min(Incident.id))).scalar_one()
        conn.execute(update(Incident).where(Incident.id == first).values(record_key=7))
        difference = summary.check(conn)
        assert difference is not None and "key_sum" in difference
    finally:
        conn.rollback()


# --- the writers keep it current, the command checks and rebuilds ---------------------


def _seeded_gia_lai(engine: Engine) -> None:
    with transaction(engine) as session:
        demo.generate(session, seed=7, years=[2023, 2024], today=TODAY)


def _province_cases(engine: Engine, year: int = 2024) -> int:
    with engine.connect() as conn:
        frame = C.incidents(
            conn,
            tree="legacy",
            level="province",
            parent_code="VN",
            period=Period(year),
            today=TODAY,
        )
    return int(frame["count"].sum())


def test_a_write_keeps_the_summary_current(gia_lai: Engine) -> None:
    _seeded_gia_lai(gia_lai)
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
        rows = conn.execute(select(func.count()).select_from(IncidentMonth)).scalar()
        assert rows
    before = _province_cases(gia_lai)
    with transaction(gia_lai) as session:
        commune, other = session.scalars(
            select(AdminUnit.id).where(AdminUnit.level == "commune").limit(2)
        ).all()
        session.execute(
            insert(Incident),
            {
                "unit_id": commune,
                "occurred_on": dt.date(2024, 5, 1),
                "category": "injury",
                "type_code": "INJ_FALL",
                "sex": "M",
                "age_band": "6_10",
            },
        )
        summary.refresh_incidents(session, [commune])
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    assert _province_cases(gia_lai) == before + 1
    with transaction(gia_lai) as session:  # moved to another commune, then deleted
        session.execute(
            update(Incident).where(Incident.unit_id == commune).values(unit_id=other)
        )
        summary.refresh_incidents(session, {commune, other})
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    with transaction(gia_lai) as session:
        session.execute(delete(Incident).where(Incident.unit_id == other))
        summary.refresh_incidents(session, [other])
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    assert _province_cases(gia_lai) < before
    with transaction(gia_lai) as session:  # the demo again, replacing everything
        demo.generate(session, seed=7, years=[2023, 2024], today=TODAY, replace=True)
    with gia_lai.connect() as conn:
        assert summary.check(conn) is None
    assert _province_cases(gia_lai) == before


def test_the_command_checks_and_rebuilds(gia_lai: Engine, gia_lai_cli) -> None:
    _seeded_gia_lai(gia_lai)
    result = gia_lai_cli("rebuild-summaries", "--check")
    assert result.exit_code == 0, result.output
    assert "match the records" in result.output
    with gia_lai.begin() as conn:
        first = conn.execute(select(func.min(Incident.id))).scalar_one()
        conn.execute(
            update(Incident)
            .where(Incident.id == first)
            .values(occurred_on=dt.date(2019, 3, 3))
        )
    result = gia_lai_cli("rebuild-summaries", "--check")
    assert result.exit_code == 1
    assert "summary differs: incident_month, unit " in result.output
    assert "2019-03" in result.output
    result = gia_lai_cli("rebuild-summaries")
    assert result.exit_code == 0, result.output
    assert gia_lai_cli("rebuild-summaries", "--check").exit_code == 0


def test_from_facts_reads_the_records_and_no_kept_sum(conn: Connection) -> None:
    """``from_facts`` (the checks' and the benchmark naive way's switch): the
    same figures, with no statement reading a kept sum; outside it every theme
    with kept sums reads them."""
    tree, level, parent = _listings(conn)[0]
    args = {"tree": tree, "level": level, "parent_code": parent, "period": PERIODS[0]}
    statements: list[str] = []
    now = dt.datetime(2025, 8, 14, 3, tzinfo=dt.UTC)

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    def read() -> tuple[str, list[pd.DataFrame]]:
        statements.clear()
        frames = [
            metrics.incidents(conn, today=TODAY, **args),
            metrics.fund_progress(conn, today=TODAY, **args),
            metrics.timeliness(conn, now=now, **args),
        ]
        return " ".join(statements), frames

    event.listen(conn.engine, "before_cursor_execute", seen)
    try:
        kept, fast = read()
        with from_facts():
            facts, raw = read()
        again, _ = read()
    finally:
        event.remove(conn.engine, "before_cursor_execute", seen)
    for table in ("incident_month", "fund_month", "report_owed"):
        assert table in kept and table in again, table
        assert table not in facts, table
    for one, other in zip(fast, raw, strict=True):
        pd.testing.assert_frame_equal(one, other, check_exact=False, rtol=1e-12)
