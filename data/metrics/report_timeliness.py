"""Reports owed and how they came in: on time, late, missing, not yet due.

A ``report_schedule`` row is owed by every unit of its ``from_level`` at or under
its jurisdiction that exists on the due date, or that existed on the period's
last day and was abolished before the due date (``data.calendar.owes``: its
successor files it, and it counts for the abolished unit).  Only the FIRST
submission of a (schedule, unit) counts: a correction sent after the deadline
does not turn an on-time report late, and a late one cannot be made on time.
``deadline_at`` is the first late instant (``data.periods.deadline_instant``),
so the test is one comparison; "missing" needs the deadline to have passed at ``now``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import (
    CTE,
    Connection,
    Integer,
    and_,
    case,
    cast,
    func,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement, Subquery
from sqlalchemy.sql.elements import Cast

from data.calendar import filed_for, owing
from data.db import AnySelect, as_utc
from data.metrics.rollup import (
    MAX_DEPTH,
    UNIT,
    as_int,
    per_target,
    ratio,
    read_listing_and_row,
    reads_kept_sums,
    rollup,
    targets_under,
    tree_units,
)
from data.models import ReportOwed, ReportSchedule, ReportSubmission
from data.periods import VN_TZ, Period
from data.scope import FULL, Scope

SCHEDULE = ReportSchedule.__table__
SENT = ReportSubmission.__table__
SUMMARY = ReportOwed.__table__
OUTCOMES = ("on_time", "late", "missing", "not_due")
COUNTS = ["owed", "expected", *OUTCOMES]


def utc_now(now: dt.datetime | None) -> dt.datetime:
    """``now`` in UTC (naive means UTC, as SQLite stores it); default: the clock."""
    return dt.datetime.now(dt.UTC) if now is None else as_utc(now)


def schedules_due(start: dt.date, end: dt.date) -> CTE:
    """Schedules whose due date falls in [start, end]."""
    return (
        select(SCHEDULE)
        .where(SCHEDULE.c.due_date >= start, SCHEDULE.c.due_date <= end)
        .cte("schedules")
    )


def _lineage(r: CTE) -> Subquery:
    """(target_id, unit_id, ancestor_id): each rolled-up unit, itself and above."""
    unit = UNIT.alias("l0")
    joined = r.join(unit, unit.c.id == r.c.unit_id)
    branches = [select(r.c.target_id, r.c.unit_id, r.c.unit_id.label("ancestor_id"))]
    for depth in range(1, MAX_DEPTH + 1):
        above = UNIT.alias(f"l{depth}")
        joined = joined.join(above, above.c.id == unit.c.parent_id)
        branches.append(
            select(r.c.target_id, r.c.unit_id, above.c.id).select_from(joined)
        )
        unit = above
    return union_all(*branches).subquery("lineage")


def _owed(targets: CTE, schedules: CTE) -> Subquery:
    """Every report owed at or under a target, with its deadline.

    Walked upwards, from each unit under a target to the schedule's jurisdiction:
    walking down from the jurisdictions made SQLite search units by level, and
    PostgreSQL (expecting a handful of units) loop over the submissions.
    """
    line, unit = _lineage(rollup(targets)), UNIT.alias("owing")
    owes = owing(unit, schedules)
    joined = schedules.join(
        line, line.c.ancestor_id == schedules.c.jurisdiction_id
    ).join(unit, unit.c.id == line.c.unit_id)
    return (
        select(
            line.c.target_id,
            schedules.c.id.label("schedule_id"),
            line.c.unit_id,
            schedules.c.deadline_at,
            # owed by a unit abolished before the due date: its successor files
            case((filed_for(unit, schedules), 1), else_=0).label("filed"),
        )
        .select_from(joined)
        .where(owes)
        .subquery("owed")
    )


def first_submissions(targets: CTE, schedules: CTE) -> Subquery:
    """Each owed report, its deadline and first submission (None: nothing sent).

    The deadline rides along in the GROUP BY so that no second join with the
    schedules is needed: PostgreSQL, expecting one row from a CTE, would loop.
    """
    owed = _owed(targets, schedules)
    sent = and_(
        SENT.c.schedule_id == owed.c.schedule_id, SENT.c.unit_id == owed.c.unit_id
    )
    keys = (
        owed.c.target_id,
        owed.c.schedule_id,
        owed.c.unit_id,
        owed.c.deadline_at,
        owed.c.filed,
    )
    return (
        select(*keys, func.min(SENT.c.submitted_at).label("sent_at"))
        .select_from(owed.outerjoin(SENT, sent))
        .group_by(*keys)
        .subquery("first_sent")
    )


def _count(test: ColumnElement[bool]) -> Cast[int]:
    return cast(func.sum(case((test, 1), else_=0)), Integer)


def _grouped_raw(targets: CTE, schedules: CTE, now: dt.datetime) -> Subquery:
    """Per target: reports owed and their outcome, from the submissions."""
    first = first_submissions(targets, schedules)
    sent_at, deadline = first.c.sent_at, first.c.deadline_at
    none = sent_at.is_(None)
    outcome = {
        "on_time": sent_at < deadline,
        "late": sent_at >= deadline,
        "missing": and_(none, deadline <= now),
        "not_due": and_(none, deadline > now),
    }
    sums = [_count(test).label(name) for name, test in outcome.items()]
    filed = cast(func.sum(first.c.filed), Integer).label("filed_for")
    return (
        select(first.c.target_id, func.count().label("owed"), *sums, filed)
        .group_by(first.c.target_id)
        .subquery("grouped")
    )


def summary_rows(dialect: str, tree: str, ids: list[int] | None) -> AnySelect:
    """The kept rows (``ReportOwed``) of the units of ``tree`` (of ``ids`` when
    given), from every schedule and the submissions (``data.metrics.summary``;
    ``dialect`` unused: no date arithmetic)."""
    first = first_submissions(tree_units(tree, ids), select(SCHEDULE).cte("schedules"))
    sent_at, deadline = first.c.sent_at, first.c.deadline_at
    return select(
        first.c.target_id.label("unit_id"),
        first.c.schedule_id,
        cast(func.count(), Integer).label("owed"),
        _count(sent_at < deadline).label("on_time"),
        _count(sent_at >= deadline).label("late"),
        _count(sent_at.is_(None)).label("unsent"),
        cast(func.sum(first.c.filed), Integer).label("filed"),
    ).group_by(first.c.target_id, first.c.schedule_id)


def _grouped(targets: CTE, schedules: CTE, now: dt.datetime) -> Subquery:
    """``_grouped_raw``, read from the targets' kept rows of the schedules: the
    same counts.  Former-district groups, not kept there, read the submissions."""
    if not reads_kept_sums(targets):
        return _grouped_raw(targets, schedules, now)
    k, deadline = SUMMARY, schedules.c.deadline_at

    def unsent(test: ColumnElement[bool]) -> Cast[int]:
        return cast(func.sum(case((test, k.c.unsent), else_=0)), Integer)

    return (
        select(
            k.c.unit_id.label("target_id"),
            cast(func.sum(k.c.owed), Integer).label("owed"),
            cast(func.sum(k.c.on_time), Integer).label("on_time"),
            cast(func.sum(k.c.late), Integer).label("late"),
            unsent(deadline <= now).label("missing"),
            unsent(deadline > now).label("not_due"),
            cast(func.sum(k.c.filed), Integer).label("filed_for"),
        )
        .select_from(k.join(schedules, schedules.c.id == k.c.schedule_id))
        .where(k.c.unit_id.in_(select(targets.c.id)))
        .group_by(k.c.unit_id)
        .subquery("grouped")
    )


def timeliness_frame(
    conn: Connection, targets: CTE, schedules: CTE, now: dt.datetime
) -> pd.DataFrame:
    """Owed, expected, on time, late, missing, not due, on-time share, received,
    reporting rate (received share) and ``filed_for`` (of those owed, the reports
    of units abolished before the due date, filed by their successors) per
    target."""
    frame = per_target(conn, targets, _grouped(targets, schedules, now))
    frame["expected"] = frame["owed"] - frame["not_due"]
    filed = frame["filed_for"]
    frame = add_rates(as_int(frame[["code", "name", *COUNTS]].copy(), COUNTS))
    frame["filed_for"] = filed.fillna(0).astype("int64").to_numpy()
    return frame


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The on-time share and the reporting rate (received, on time or late, of
    those expected; expected counts only units that existed on the due date, so
    neither rate exceeds 100 %), NaN where nothing was expected."""
    frame["on_time_share"] = ratio(frame["on_time"], frame["expected"])
    frame["received"] = frame["on_time"] + frame["late"]
    frame["received_share"] = ratio(frame["received"], frame["expected"])
    return frame


def timeliness(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    now: dt.datetime | None = None,
    only: str | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """Per unit of ``level`` under ``parent_code``: reports owed and their outcome."""
    now = utc_now(now)
    today = now.astimezone(VN_TZ).date()
    targets = targets_under(tree, level, parent_code, period.as_of(today), only, scope)
    schedules = schedules_due(period.start, period.end(today))
    return timeliness_frame(conn, targets, schedules, now)


def timeliness_with_unit(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    unit_level: str,
    unit_parent: str,
    period: Period,
    now: dt.datetime | None = None,
    scope: Scope = FULL,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``timeliness`` of the units under ``parent_code`` and of ``parent_code``
    itself (its row of the listing of ``unit_level`` under ``unit_parent``,
    ``only=parent_code``), read by one statement."""
    now = utc_now(now)
    today = now.astimezone(VN_TZ).date()
    schedules = schedules_due(period.start, period.end(today))
    return read_listing_and_row(
        lambda targets: timeliness_frame(conn, targets, schedules, now),
        tree=tree,
        level=level,
        parent_code=parent_code,
        unit_level=unit_level,
        unit_parent=unit_parent,
        day=period.as_of(today),
        scope=scope,
    )
