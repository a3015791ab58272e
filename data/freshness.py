"""Who is still to report, and how fresh the figures are: the reporting status
the map and the review show in a banner, and the countdown of reports still to
come per deadline that a district office works through by telephone.

``status``: for a place and period, as ``scope`` may see it, when the facts were
last written (``data.metrics.data_as_of``: the time the facts version last moved
on; with none recorded, the latest submission), how many reports owed whose due
date falls in the period are missing (the deadline passed, nothing sent) and how
many await sign-off (their latest version pending, ``data.approvals``).  The
reports are those of ``data.metrics.report_timeliness``: every report owed at or
under the place, commune reports only of the communes ``scope`` may see
(``data.scope.commune_rows_allowed``).

``countdown``: every report of a year's deadlines at or under a place not sent
yet, by deadline: the unit, the days left (0: due today) or overdue (negative),
and the office to contact, which is the office the report goes to and that signs
it off (``data.approvals``): the unit's district office for a commune's report
to its district that still existed on the due date, else the province (the
schedule's jurisdiction).  Reporting status only: no child figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from data import approvals
from data.db import as_utc, read_rows, read_scalar
from data.metrics.dataset import data_as_of
from data.metrics.report_timeliness import first_submissions, schedules_due
from data.metrics.rollup import target_place
from data.models import AdminUnit, ReportSchedule, ReportSubmission
from data.periods import VN_TZ, Period
from data.scope import Scope, commune_rows_allowed

_unit = AdminUnit.__table__
_schedule = ReportSchedule.__table__
_sent = ReportSubmission.__table__


@dataclass(frozen=True)
class Status:
    written_at: dt.datetime | None  # UTC; None: nothing written yet
    owed: int  # reports due in the period
    missing: int  # past their deadline, nothing sent
    awaiting: int  # latest version awaiting sign-off


def _owed(
    conn: Connection, tree: str, code: str, start: dt.date, end: dt.date, scope: Scope
) -> Any:
    """(first submissions of every report due in [start, end] at or under the
    place, the unit owing it) as ``scope`` may see them."""
    targets = target_place(conn, tree, code, end)
    first = first_submissions(targets, schedules_due(start, end))
    unit = _unit.alias("owing")
    joined = first.join(unit, unit.c.id == first.c.unit_id)
    allowed = commune_rows_allowed(scope, unit.c.id, unit.c.level)
    return first, unit, joined, allowed


def _latest_state(first: Any) -> Any:
    return (
        select(_sent.c.approval)
        .where(
            _sent.c.schedule_id == first.c.schedule_id,
            _sent.c.unit_id == first.c.unit_id,
        )
        .order_by(_sent.c.version.desc())
        .limit(1)
        .scalar_subquery()
    )


def status(
    conn: Connection,
    *,
    tree: str,
    unit_code: str,
    period: Period,
    scope: Scope,
    now: dt.datetime,
) -> Status:
    """The reporting status of a place and period, as ``scope`` may see it."""
    today = now.astimezone(VN_TZ).date()
    first, _unit_alias, joined, allowed = _owed(
        conn, tree, unit_code, period.start, period.end(today), scope
    )
    missing = and_(first.c.sent_at.is_(None), first.c.deadline_at <= now)
    waiting = _latest_state(first) == approvals.PENDING
    stmt = select(
        func.count(),
        func.coalesce(func.sum(case((missing, 1), else_=0)), 0),
        func.coalesce(func.sum(case((waiting, 1), else_=0)), 0),
    ).select_from(joined)
    if allowed is not None:
        stmt = stmt.where(allowed)
    owed, missed, awaiting = read_rows(conn, stmt)[0]
    written = data_as_of(conn)
    if written is None:
        latest = read_scalar(conn, select(func.max(_sent.c.submitted_at)))
        written = as_utc(latest) if latest is not None else None
    return Status(written, int(owed or 0), int(missed or 0), int(awaiting or 0))


def days_left(deadline_at: dt.datetime, today: dt.date) -> int:
    """Days left to a deadline (0: the last day is today), negative when overdue
    (-1: the first late day, as ``data.submissions.days_late`` counts it)."""
    first_late = as_utc(deadline_at).astimezone(VN_TZ).date()
    return (first_late - today).days - 1


def countdown(
    conn: Connection,
    *,
    tree: str,
    unit_code: str,
    year: int,
    scope: Scope,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Every report of ``year``'s deadlines at or under the place not sent yet,
    as ``scope`` may see them, by deadline then unit: schedule id, report type,
    period, due date, deadline, the unit (id, code, name), days left (negative:
    overdue) and the office to contact."""
    first, unit, joined, allowed = _owed(
        conn, tree, unit_code, dt.date(year, 1, 1), dt.date(year, 12, 31), scope
    )
    parent = _unit.alias("office")
    province = _unit.alias("jurisdiction")
    s = _schedule
    district = approvals.district_signs(s, parent)
    office = case((district, parent.c.name), else_=province.c.name)
    stmt = (
        select(
            s.c.id.label("schedule_id"),
            s.c.report_type,
            s.c.period_start,
            s.c.period_end,
            s.c.due_date,
            s.c.due_inclusive,
            first.c.deadline_at,
            unit.c.id.label("unit_id"),
            unit.c.code.label("unit_code"),
            unit.c.name.label("unit_name"),
            office.label("office"),
        )
        .select_from(
            joined.join(s, s.c.id == first.c.schedule_id)
            .outerjoin(parent, parent.c.id == unit.c.parent_id)
            .join(province, province.c.id == s.c.jurisdiction_id)
        )
        .where(first.c.sent_at.is_(None))
        .order_by(s.c.due_date, s.c.report_type, unit.c.code)
    )
    if allowed is not None:
        stmt = stmt.where(allowed)
    today = now.astimezone(VN_TZ).date()
    rows = []
    for r in read_rows(conn, stmt):
        row = dict(r._mapping)
        row["deadline_at"] = as_utc(row["deadline_at"])
        row["days"] = days_left(row["deadline_at"], today)
        rows.append(row)
    return rows
