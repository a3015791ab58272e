"""Cases per unit shown and month, kept current with the cases: ``incident_month``.

The incidents theme rolls every case up the unit tree (``data.metrics.rollup``):
a province's figure sums the cases of its thousands of communes, and on the
July-2025 tree also those of the legacy communes they inherit, weighted by area
share.  Summing the raw ``incident`` rows for every map call is the slow part of
a cold map.  This table holds, for every unit of both trees, what the roll-up
gives that unit as a target (``rollup(apportion=True)`` joined to its cases),
per month, category and type: the weighted count (``cases``) and the plain sum
of the record keys (``key_sum``).  A theme query then reads its targets' own rows
for the whole months of its period, and the raw cases only for the days outside
them (a year to date, a period still running): ``data.metrics.cases``.

The roll-up of a unit depends on the unit tree and the crosswalk's area shares,
not on the period, nor on which units are valid when: so the rows stand for any
period.  Former-district groups (not units) are not stored; they read the raw
cases.

Kept current in the writer's transaction: every writer of ``incident`` rows
calls ``refresh_incidents`` with the units it wrote to (or None for all); so does
a writer of the area shares.  ``check`` compares the table with the raw cases
(``python -m dashboard rebuild-summaries --check``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    Float,
    cast,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from data.db import AnySelect, Runner, lock, read_df, read_scalars, write
from data.metrics.rollup import MAX_DEPTH, UNIT, rollup, tree_units
from data.models import Incident, IncidentMonth
from data.reform import LEGACY_TREE, NEW_TREE, inheritance

SUMMARY = IncidentMonth.__table__
CASES = Incident.__table__
TREES = (LEGACY_TREE, NEW_TREE)
KEYS = ["unit_id", "month", "category", "type_code"]
# More units to refresh than this: every row is rebuilt (one statement per tree,
# no long list of ids).
MAX_UNITS = 5_000
# Weighted counts summed in another order may differ in the last digits.
_TOLERANCE = 1e-9


def month_start(dialect: str, day: ColumnElement[dt.date]) -> ColumnElement[dt.date]:
    """SQL: the first day of the month of ``day``."""
    if dialect == "sqlite":
        return func.date(day, "start of month")
    return cast(func.date_trunc("month", day), Date)


def whole_months(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The months lying wholly in [start, end] (first days of the first and the
    last, None when there is none) and the spans of days outside them."""
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end)
    stop = after if end == after - dt.timedelta(days=1) else end.replace(day=1)
    if first >= stop:
        return None, [(start, end)] if start <= end else []
    rest = [(start, first - dt.timedelta(days=1))] if start < first else []
    if stop <= end:
        rest.append((stop, end))
    last = (stop - dt.timedelta(days=1)).replace(day=1)
    return (first, last), rest


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _rows(dialect: str, tree: str, ids: list[int] | None) -> AnySelect:
    """The summary rows of the units of ``tree`` (of ``ids`` when given),
    computed from the cases."""
    r = rollup(tree_units(tree, ids), "summary_rollup", apportion=True)
    month = month_start(dialect, CASES.c.occurred_on).label("month")
    return (
        select(
            r.c.target_id.label("unit_id"),
            month,
            CASES.c.category,
            CASES.c.type_code,
            cast(func.sum(r.c.weight), Float).label("cases"),
            cast(func.sum(CASES.c.record_key), BigInteger).label("key_sum"),
        )
        .select_from(r.join(CASES, CASES.c.unit_id == r.c.unit_id))
        .group_by(r.c.target_id, month, CASES.c.category, CASES.c.type_code)
    )


def _connection(runner: Runner) -> Connection:
    return runner.connection() if isinstance(runner, Session) else runner


def _fill(runner: Runner, ids: list[int] | None) -> None:
    dialect = _connection(runner).dialect.name
    columns = [*KEYS, "cases", "key_sum"]
    for tree in TREES:
        write(runner, insert(SUMMARY).from_select(columns, _rows(dialect, tree, ids)))


def rebuild_all(runner: Runner) -> None:
    """Replace every summary row by rows computed from the cases."""
    write(runner, delete(SUMMARY))
    _fill(runner, None)


def affected_units(conn: Connection, unit_ids: Iterable[int]) -> set[int]:
    """The units whose roll-up reaches a case booked at one of ``unit_ids``: each
    unit and its ancestors, and on the July-2025 tree the units inheriting a
    legacy one (``data.reform.inheritance``) and their ancestors."""
    ids = {int(u) for u in unit_ids}
    if not ids:
        return set()
    heirs = inheritance(apportion=True)
    found = set(ids)
    found.update(
        read_scalars(
            conn,
            select(heirs.c.new_unit_id)
            .where(heirs.c.legacy_unit_id.in_(sorted(ids)))
            .distinct(),
        )
    )
    frontier = set(found)
    for _ in range(MAX_DEPTH):
        parents = read_scalars(
            conn,
            select(UNIT.c.parent_id)
            .where(UNIT.c.id.in_(sorted(frontier)), UNIT.c.parent_id.is_not(None))
            .distinct(),
        )
        frontier = {int(p) for p in parents} - found
        if not frontier:
            break
        found |= frontier
    return found


def refresh_incidents(
    session: Session | Connection, unit_ids: Iterable[int] | None = None
) -> None:
    """Bring the summary in line with the cases booked at ``unit_ids`` (None:
    every unit), in the caller's transaction: call it after writing, updating or
    deleting ``incident`` rows, with the ids of the units they were (or are now)
    booked at.  The rows of every unit those cases roll up to are deleted and
    computed again.  Refreshes run one at a time (two deleting and inserting
    the same rows at once would collide on PostgreSQL)."""
    lock(session, "incident_month")
    if unit_ids is None:
        rebuild_all(session)
        return
    units = affected_units(_connection(session), unit_ids)
    if not units:
        return
    if len(units) > MAX_UNITS:
        rebuild_all(session)
        return
    ids = sorted(units)
    write(session, delete(SUMMARY).where(SUMMARY.c.unit_id.in_(ids)))
    _fill(session, ids)


def _frame(conn: Connection, stmt: AnySelect) -> pd.DataFrame:
    frame = read_df(conn, stmt)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["unit_id"] = frame["unit_id"].astype("int64")
    frame["cases"] = frame["cases"].astype("float64")
    frame["key_sum"] = frame["key_sum"].astype("int64")
    return frame.sort_values(KEYS).reset_index(drop=True)


def check(conn: Connection) -> str | None:
    """None when the summary holds exactly what the cases give; else the first
    difference, in words."""
    stored = _frame(conn, select(SUMMARY))
    computed = pd.concat(
        [_frame(conn, _rows(conn.dialect.name, tree, None)) for tree in TREES]
    ).sort_values(KEYS)
    both = stored.merge(
        computed, on=KEYS, how="outer", suffixes=("_stored", "_cases"), indicator=True
    )
    cases = both["cases_stored"].fillna(0) - both["cases_cases"].fillna(0)
    differs = (
        (both["_merge"] != "both")
        | (cases.abs() > _TOLERANCE)
        | (both["key_sum_stored"] != both["key_sum_cases"])
    )
    if not differs.any():
        return None
    row = both[differs].sort_values(KEYS).iloc[0]
    where = (
        f"unit {row['unit_id']}, {row['month']:%Y-%m}, "
        f"{row['category']} {row['type_code']}"
    )
    if row["_merge"] == "left_only":
        return f"{where}: in the summary, not in the cases"
    if row["_merge"] == "right_only":
        return f"{where}: in the cases ({row['cases_cases']:g}), not in the summary"
    return (
        f"{where}: summary {row['cases_stored']:g} cases (keys {row['key_sum_stored']})"
        f", cases {row['cases_cases']:g} (keys {row['key_sum_cases']})"
    )
