"""Sums kept current with the facts, per unit shown: cases per month
(``incident_month``), fund bookings per month (``fund_month``) and reports owed
per schedule (``report_owed``).

The incidents, fund and timeliness themes roll every record up the unit tree
(``data.metrics.rollup``): a province's figure sums the records of its thousands
of communes, and on the July-2025 tree also those of the legacy units they
inherit (cases weighted by a divided commune's area share).  Summing the raw
rows for every map call is the slow part of a cold map, and grows with the
records.  These tables hold, for every unit of both trees, what the roll-up
gives that unit as a target, per month or schedule and the dimensions the
themes filter on: cases per category and type (the weighted count ``cases`` and
the plain sum of the record keys ``key_sum``); đồng per kind
(``data.metrics.fund``: counted, received from outside the area, moved within
it); reports owed, sent on time, late and not sent, and filed by a successor
(``data.metrics.report_timeliness``; missing or not yet due is decided when
asked).  A theme query then reads its targets' own rows for the whole months of
its period (for reports: the schedules due in it), and the raw records only for
the days outside them (a year to date, a period still running).

The roll-up of a unit depends on the unit tree (and, for cases, the crosswalk's
area shares), not on the period, nor on which units are valid when: so the rows
stand for any period.  Former-district groups (not units) are not stored; they
read the raw records.

Kept current in the writer's transaction: every writer of ``incident`` rows
calls ``refresh_incidents`` with the units it wrote to (or None for all), of
``fund_contribution`` rows ``refresh_fund``, of ``report_submission`` rows
``refresh_reports`` (of ``report_schedule`` rows: with None); a change of the
unit tree calls ``refresh_all``, of the area shares ``refresh_incidents``.
``check`` compares the tables with the records (``python -m dashboard
rebuild-summaries --check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Connection,
    Float,
    Table,
    cast,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from data.db import AnySelect, Runner, lock, read_df, read_scalars, write
from data.metrics import fund, report_timeliness
from data.metrics.months import month_start
from data.metrics.rollup import MAX_DEPTH, UNIT, rollup, tree_units
from data.models import Incident, IncidentMonth
from data.reform import LEGACY_TREE, NEW_TREE, inheritance

CASES = Incident.__table__
TREES = (LEGACY_TREE, NEW_TREE)
# More units to refresh than this: every row is rebuilt (one statement per tree,
# no long list of ids).
MAX_UNITS = 5_000
# Weighted counts summed in another order may differ in the last digits.
_TOLERANCE = 1e-9


def _case_rows(dialect: str, tree: str, ids: list[int] | None) -> AnySelect:
    """The kept case rows of the units of ``tree`` (of ``ids`` when given),
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


@dataclass(frozen=True)
class Kept:
    """One kept table: its rows' keys, the figures it holds (``fractions``
    compared within a tolerance, the others exactly), how its rows are computed
    from the records, whether the roll-up weighs divided communes, and the
    table whose writes it follows (``source``)."""

    table: Table
    source: Table
    keys: tuple[str, ...]
    fractions: tuple[str, ...]
    whole: tuple[str, ...]
    rows: Callable[[str, str, list[int] | None], AnySelect]
    apportion: bool
    records: str  # what the rows are computed from, in words

    @property
    def name(self) -> str:
        return self.table.name


INCIDENTS = Kept(
    IncidentMonth.__table__,
    CASES,
    ("unit_id", "month", "category", "type_code"),
    ("cases",),
    ("key_sum",),
    _case_rows,
    apportion=True,
    records="the cases",
)
FUND = Kept(
    fund.SUMMARY,
    fund.MONEY,
    ("unit_id", "month", "kind"),
    (),
    ("amount", *fund.TRANSFERS),
    fund.summary_rows,
    apportion=False,
    records="the fund bookings",
)
REPORTS = Kept(
    report_timeliness.SUMMARY,
    report_timeliness.SENT,
    ("unit_id", "schedule_id"),
    (),
    ("owed", "on_time", "late", "unsent", "filed"),
    report_timeliness.summary_rows,
    apportion=False,
    records="the schedules and submissions",
)
KEPT = (INCIDENTS, FUND, REPORTS)


def kept_for(table: str) -> Kept | None:
    """The kept table that follows writes to the table named ``table``."""
    return next((kept for kept in KEPT if kept.source.name == table), None)


def _connection(runner: Runner) -> Connection:
    return runner.connection() if isinstance(runner, Session) else runner


def _fill(runner: Runner, kept: Kept, ids: list[int] | None) -> None:
    dialect = _connection(runner).dialect.name
    columns = [*kept.keys, *kept.fractions, *kept.whole]
    for tree in TREES:
        stmt = insert(kept.table).from_select(columns, kept.rows(dialect, tree, ids))
        write(runner, stmt)


def rebuild(runner: Runner, kept: Kept) -> None:
    """Replace every row of ``kept`` by rows computed from its records."""
    write(runner, delete(kept.table))
    _fill(runner, kept, None)


def affected_units(
    conn: Connection, unit_ids: Iterable[int], apportion: bool = True
) -> set[int]:
    """The units whose roll-up reaches a record booked at one of ``unit_ids``:
    each unit and its ancestors, and on the July-2025 tree the units inheriting
    a legacy one (``data.reform.inheritance``) and their ancestors."""
    ids = {int(u) for u in unit_ids}
    if not ids:
        return set()
    heirs = inheritance(apportion=apportion)
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


def refresh(
    session: Session | Connection, kept: Kept, unit_ids: Iterable[int] | None = None
) -> None:
    """Bring ``kept`` in line with the records booked at ``unit_ids`` (None:
    every unit), in the caller's transaction: call it after writing, updating or
    deleting records, with the ids of the units they were (or are now) booked
    at.  The rows of every unit those records roll up to are deleted and
    computed again.  Refreshes of one table run one at a time (two deleting and
    inserting the same rows at once would collide on PostgreSQL)."""
    lock(session, kept.name)
    if unit_ids is None:
        rebuild(session, kept)
        return
    units = affected_units(_connection(session), unit_ids, kept.apportion)
    if not units:
        return
    if len(units) > MAX_UNITS:
        rebuild(session, kept)
        return
    ids = sorted(units)
    write(session, delete(kept.table).where(kept.table.c.unit_id.in_(ids)))
    _fill(session, kept, ids)


def refresh_incidents(
    session: Session | Connection, unit_ids: Iterable[int] | None = None
) -> None:
    """``refresh`` of the case sums: after writing ``incident`` rows."""
    refresh(session, INCIDENTS, unit_ids)


def refresh_fund(
    session: Session | Connection, unit_ids: Iterable[int] | None = None
) -> None:
    """``refresh`` of the fund sums: after writing ``fund_contribution`` rows."""
    refresh(session, FUND, unit_ids)


def refresh_reports(
    session: Session | Connection, unit_ids: Iterable[int] | None = None
) -> None:
    """``refresh`` of the reports owed: after writing ``report_submission`` rows
    (None: after writing ``report_schedule`` rows)."""
    refresh(session, REPORTS, unit_ids)


def empty_all(runner: Runner) -> None:
    """Every kept row deleted (before the records they sum are deleted)."""
    for kept in KEPT:
        write(runner, delete(kept.table))


def refresh_all(session: Session | Connection) -> None:
    """Every kept table rebuilt: after a change of the unit tree or of records
    of several kinds."""
    for kept in KEPT:
        refresh(session, kept)


def _frame(conn: Connection, kept: Kept, stmt: AnySelect) -> pd.DataFrame:
    frame = read_df(conn, stmt)
    if "month" in kept.keys:
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["unit_id"] = frame["unit_id"].astype("int64")
    for column in kept.fractions:
        frame[column] = frame[column].astype("float64")
    for column in kept.whole:
        frame[column] = frame[column].astype("int64")
    return frame.sort_values(list(kept.keys)).reset_index(drop=True)


def check(conn: Connection) -> str | None:
    """None when every kept table holds exactly what its records give; else the
    first difference, in words ("incident_month, unit 12, 2024-03, ...")."""
    for kept in KEPT:
        difference = _difference(conn, kept)
        if difference is not None:
            return f"{kept.name}, {difference}"
    return None


def _difference(conn: Connection, kept: Kept) -> str | None:
    keys = list(kept.keys)
    stored = _frame(conn, kept, select(kept.table))
    computed = pd.concat(
        [_frame(conn, kept, kept.rows(conn.dialect.name, t, None)) for t in TREES]
    ).sort_values(keys)
    both = stored.merge(
        computed, on=keys, how="outer", suffixes=("_stored", "_records"), indicator=True
    )
    differs = both["_merge"] != "both"
    for column in kept.fractions:
        gap = both[f"{column}_stored"].fillna(0) - both[f"{column}_records"].fillna(0)
        differs |= gap.abs() > _TOLERANCE
    for column in kept.whole:
        differs |= both[f"{column}_stored"] != both[f"{column}_records"]
    if not differs.any():
        return None
    row = both[differs].sort_values(keys).iloc[0]
    where = ", ".join(
        f"{row[k]:%Y-%m}"
        if k == "month"
        else f"unit {row[k]}"
        if k == "unit_id"
        else str(row[k])
        for k in keys
    )

    def shown(side: str) -> str:
        fractions = [f"{c} {row[f'{c}_{side}']:g}" for c in kept.fractions]
        whole = [f"{c} {int(row[f'{c}_{side}'])}" for c in kept.whole]
        return ", ".join(fractions + whole)

    if row["_merge"] == "left_only":
        return f"{where}: in the summary, not in {kept.records}"
    if row["_merge"] == "right_only":
        return f"{where}: in {kept.records} ({shown('records')}), not in the summary"
    return f"{where}: summary {shown('stored')}; {kept.records} {shown('records')}"
