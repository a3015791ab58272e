"""The SQL of each table: one GROUP BY per table, rows of the chosen area only.

Every query lists the facts booked at or under the chosen place (its roll-up, so
that on the July-2025 tree the legacy units it inherits count too, as on the map),
in the period, with the user's scope applied to commune rows.  Codes stay codes
here; ``data.tables.shape`` turns them into labels.  Each builder returns the
statement and, per column key, the SQL expression the table sorts by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.selectable import NamedFromClause

from data import approvals, calendar, suppression
from data.db import AnySelect
from data.metrics.report_timeliness import SCHEDULE, first_submissions, schedules_due
from data.metrics.rollup import UNIT, rollup, target_place
from data.models import (
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    Incident,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
)
from data.periods import VN_TZ, Period
from data.scope import Scope, commune_rows_allowed
from data.vocabulary import (
    ABUSE_TYPES,
    CF_REGIMES,
    CF_STATUSES,
    FUND_KINDS,
    FUND_TRANSFER,
    INCIDENT_CATEGORIES,
    INJURY_TYPES,
    QD06_CRITERIA,
    REPORT_STATUSES,
    REPORT_TYPES,
    TARGET_RESULTS,
)

CFA = ChildFriendlyAssessment.__table__
CFS = ChildFriendlyScore.__table__
GIFT = FundContribution.__table__
CASE_ = Incident.__table__
IND = Indicator.__table__
GOAL = IndicatorTarget.__table__
VALUE = IndicatorValue.__table__
ALL = "*"  # abuse rows of restricted roles: every type, sex and age band together


@dataclass(frozen=True)
class Filters:
    """The page's filters, checked: the place (on ``tree``), the period, a type
    and a status whose meaning depends on the table (None: all)."""

    tree: str
    unit: str
    period: Period
    type: str | None = None
    status: str | None = None


@dataclass
class Built:
    stmt: AnySelect
    sort: dict[str, ColumnElement[Any]] = field(default_factory=dict)
    natural: Sequence[ColumnElement[Any]] = field(default_factory=list)


def type_codes(table: str, scope: Scope) -> tuple[str, ...]:
    """The values the "type" filter takes for ``table`` (restricted roles get no
    single abuse type: per-type abuse figures are not broken down for them)."""
    if table == "child_friendly":
        return CF_REGIMES
    if table == "fund":
        return FUND_KINDS
    if table == "incidents":
        abuse = ABUSE_TYPES if scope.exact else ()
        return (*INCIDENT_CATEGORIES, *abuse, *INJURY_TYPES)
    if table == "reports":
        return REPORT_TYPES
    return ()


def status_codes(table: str) -> tuple[str, ...]:
    return {
        "child_friendly": CF_STATUSES,
        "reports": REPORT_STATUSES,
        "scorecard": TARGET_RESULTS,
    }.get(table, ())


def check_filters(table: str, filters: Filters, scope: Scope) -> Filters:
    """``filters`` itself, or ValueError naming the filter that is not allowed."""
    if filters.type is not None and filters.type not in type_codes(table, scope):
        raise ValueError(f"type: {str(filters.type)[:30]!r} is not a type of {table}")
    if filters.status is not None and filters.status not in status_codes(table):
        raise ValueError(f"status: {str(filters.status)[:30]!r} is not allowed here")
    return filters


def _area(conn: Connection, filters: Filters, day: dt.date) -> AnySelect:
    """Ids of every unit at or under the chosen place (and what it inherits)."""
    r = rollup(target_place(conn, filters.tree, filters.unit, day), "area")
    return select(r.c.unit_id)


def _units() -> tuple[NamedFromClause, NamedFromClause, list[ColumnElement[Any]]]:
    u, p = UNIT.alias("u"), UNIT.alias("up")
    return u, p, [u.c.code, u.c.name.label("unit"), p.c.name.label("parent")]


def _scoped(stmt: Select[Any], u: NamedFromClause, scope: Scope) -> Select[Any]:
    allowed = commune_rows_allowed(scope, u.c.id, u.c.level)
    return stmt if allowed is None else stmt.where(allowed)


def _unit_sort(u: NamedFromClause, p: NamedFromClause) -> dict[str, ColumnElement[Any]]:
    return {"code": u.c.code, "unit": u.c.name, "parent": p.c.name}


def child_friendly(
    conn: Connection, filters: Filters, scope: Scope, span: tuple[dt.date, dt.date]
) -> Built:
    a, s = CFA, CFS
    u, p, unit_cols = _units()
    scores = [
        func.max(case((s.c.criterion_code == c.code, s.c.score))).label(c.code.lower())
        for c in QD06_CRITERIA
    ]
    own = [
        a.c.round_date,
        a.c.regime,
        a.c.status,
        a.c.total_score,
        a.c.threshold,
        a.c.has_zero_criterion.label("zero_criterion"),
        a.c.decided_on,
        a.c.contradicts_scores,
    ]
    stmt = (
        select(*unit_cols, *own, *scores)
        .select_from(
            a.join(u, u.c.id == a.c.unit_id)
            .outerjoin(p, p.c.id == u.c.parent_id)
            .outerjoin(s, s.c.assessment_id == a.c.id)
        )
        .where(
            a.c.unit_id.in_(_area(conn, filters, span[1])),
            a.c.round_date >= span[0],
            a.c.round_date <= span[1],
        )
        .group_by(a.c.id, u.c.code, u.c.name, p.c.name, *own)
    )
    if filters.type:
        stmt = stmt.where(a.c.regime == filters.type)
    if filters.status:
        stmt = stmt.where(a.c.status == filters.status)
    sort = {
        **_unit_sort(u, p),
        **{c.key: c for c in own},
        "zero_criterion": a.c.has_zero_criterion,
    }
    for c, score in zip(QD06_CRITERIA, scores, strict=True):
        sort[c.code.lower()] = score.element
    return Built(_scoped(stmt, u, scope), sort, [u.c.code, a.c.round_date])


def _month_parts(
    column: ColumnElement[Any],
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    return (
        cast(extract("year", column), Integer).label("y"),
        cast(extract("month", column), Integer).label("m"),
    )


def fund(
    conn: Connection, filters: Filters, scope: Scope, span: tuple[dt.date, dt.date]
) -> Built:
    """Bookings per unit, month, kind and origin (raised, or a transfer from the
    fund named in ``transfer_from``).  ``counted``: what the place's total counts
    of them, as on the map (``data.metrics.fund``): a transfer from a fund inside
    the place's area counts 0, the giver's money being counted already."""
    g = GIFT
    u, p, unit_cols = _units()
    giver = UNIT.alias("giver")
    area = _area(conn, filters, span[1])
    year, month = _month_parts(g.c.contributed_on)
    origin = case((g.c.source_type == FUND_TRANSFER, FUND_TRANSFER), else_="raised")
    within = g.c.transfer_from_unit_id.in_(area)
    counted = func.sum(case((within, 0), else_=g.c.amount_dong))
    keys = [u.c.id, u.c.code, u.c.name, p.c.name, u.c.kind, year, month, g.c.kind]
    keys += [origin, giver.c.id, giver.c.name]
    stmt = (
        select(
            *unit_cols,
            u.c.kind.label("level"),
            year,
            month,
            g.c.kind.label("kind"),
            origin.label("origin"),
            giver.c.name.label("transfer_from"),
            func.count().label("contributions"),
            func.sum(g.c.amount_dong).label("amount"),
            counted.label("counted"),
        )
        .select_from(
            g.join(u, u.c.id == g.c.unit_id)
            .outerjoin(p, p.c.id == u.c.parent_id)
            .outerjoin(giver, giver.c.id == g.c.transfer_from_unit_id)
        )
        .where(
            g.c.unit_id.in_(area),
            g.c.contributed_on >= span[0],
            g.c.contributed_on <= span[1],
        )
        .group_by(*keys)
    )
    if filters.type:
        stmt = stmt.where(g.c.kind == filters.type)
    sort = {
        **_unit_sort(u, p),
        "level": u.c.kind,
        "month": year.element * 100 + month.element,
        "kind": g.c.kind,
        "origin": origin,
        "transfer_from": giver.c.name,
        "contributions": func.count(),
        "amount": func.sum(g.c.amount_dong),
        "counted": counted,
    }
    natural = [u.c.code, year.element, month.element, g.c.kind, origin, giver.c.id]
    return Built(_scoped(stmt, u, scope), sort, natural)


def incidents(
    conn: Connection, filters: Filters, scope: Scope, span: tuple[dt.date, dt.date]
) -> Built:
    """Cases per commune, month, category, type, sex and age band.  Roles that
    see no exact abuse figures get one abuse row per commune and month (every
    type, sex and age band together) with its perturbed count, and none where
    that shows "<5" (``data.suppression``)."""
    c = CASE_
    u, p, unit_cols = _units()
    year, month = _month_parts(c.c.occurred_on)
    parts: dict[str, ColumnElement[Any]] = {
        "type": c.c.type_code,
        "sex": c.c.sex,
        "age_band": c.c.age_band,
    }
    if not scope.exact:
        parts = {
            key: case((c.c.category == "abuse", literal(ALL)), else_=column)
            for key, column in parts.items()
        }
    labelled = [column.label(key) for key, column in parts.items()]
    keys = [u.c.id, u.c.code, u.c.name, p.c.name, year, month, c.c.category]
    count: ColumnElement[Any] = func.count()
    if not scope.exact:
        # abuse rows carry their perturbed count (data.suppression) in the value,
        # the sort and the row count; those that show "<5" are not listed
        abuse = c.c.category == "abuse"
        shown = suppression.perturbed_sql(func.count(), func.sum(c.c.record_key))
        count = case((abuse, shown), else_=func.count())
    stmt = (
        select(
            *unit_cols,
            year,
            month,
            c.c.category.label("category"),
            *labelled,
            count.label("count"),
        )
        .select_from(
            c.join(u, u.c.id == c.c.unit_id).outerjoin(p, p.c.id == u.c.parent_id)
        )
        .where(
            c.c.unit_id.in_(_area(conn, filters, span[1])),
            c.c.occurred_on >= span[0],
            c.c.occurred_on <= span[1],
        )
        .group_by(*keys, *parts.values())
    )
    if not scope.exact:
        stmt = stmt.having(or_(~abuse, shown >= suppression.THRESHOLD))
    if filters.type in INCIDENT_CATEGORIES:
        stmt = stmt.where(c.c.category == filters.type)
    elif filters.type:
        stmt = stmt.where(c.c.type_code == filters.type)
    sort = {
        **_unit_sort(u, p),
        "month": year.element * 100 + month.element,
        "category": c.c.category,
        **parts,
        "count": count,
    }
    natural = [u.c.code, year.element, month.element, c.c.category, *parts.values()]
    return Built(_scoped(stmt, u, scope), sort, natural)


def _days(
    dialect: str, later: ColumnElement[Any], deadline: ColumnElement[Any]
) -> ColumnElement[Any]:
    """Whole days from ``deadline`` (a local midnight) to ``later``, counting the
    first late day as 1."""
    if dialect == "sqlite":
        span = func.julianday(later) - func.julianday(deadline)
    else:
        span = extract("epoch", later - deadline) / 86400
    return cast(func.floor(span), Integer) + 1


def reports(
    conn: Connection,
    filters: Filters,
    scope: Scope,
    span: tuple[dt.date, dt.date],
    now: dt.datetime,
) -> Built:
    """Every report owed at or under the place whose due date falls in the
    period, with its first submission (the one that counts, as on the map), its
    basis, and for a unit abolished before the due date who files for it
    (``data.calendar.filers``; ``filed_by`` is written in ``shape``); how many
    versions were sent and its sign-off (``data.approvals.sign_off``: a report
    returned and sent again says so)."""
    targets = target_place(conn, filters.tree, filters.unit, span[1])
    today = now.astimezone(VN_TZ).date()
    due = schedules_due(filters.period.start, filters.period.end(today))
    first = first_submissions(targets, due)
    s = SCHEDULE
    u, p, unit_cols = _units()
    sent, deadline = first.c.sent_at, first.c.deadline_at
    at = literal(now, DateTime(timezone=True))
    status = case(
        (and_(sent.is_(None), deadline <= at), "missing"),
        (sent.is_(None), "not_due"),
        (sent < deadline, "on_time"),
        else_="late",
    )
    dialect = conn.dialect.name
    days = case(
        (and_(sent.is_not(None), sent >= deadline), _days(dialect, sent, deadline)),
        (and_(sent.is_(None), deadline <= at), _days(dialect, at, deadline)),
    )
    filers = calendar.filers()
    filer = case((calendar.filed_for(u, s), filers.c.filer_name))
    versions = approvals.versions_sent(first.c.schedule_id, first.c.unit_id)
    signed = approvals.sign_off(first.c.schedule_id, first.c.unit_id)
    stmt = select(
        *unit_cols,
        s.c.report_type.label("report"),
        s.c.period_start,
        s.c.period_end,
        s.c.due_date,
        s.c.due_inclusive.label("due_rule"),
        sent.label("submitted_at"),
        status.label("status"),
        days.label("days_late"),
        filer.label("filer"),
        u.c.valid_to.label("unit_valid_to"),
        s.c.basis,
        versions.label("versions"),
        signed.label("sign_off"),
    ).select_from(
        first.join(s, s.c.id == first.c.schedule_id)
        .join(u, u.c.id == first.c.unit_id)
        .outerjoin(p, p.c.id == u.c.parent_id)
        .outerjoin(filers, filers.c.unit_id == u.c.id)
    )
    if filters.type:
        stmt = stmt.where(s.c.report_type == filters.type)
    if filters.status:
        stmt = stmt.where(status == filters.status)
    sort = {
        **_unit_sort(u, p),
        "report": s.c.report_type,
        "period_start": s.c.period_start,
        "period_end": s.c.period_end,
        "due_date": s.c.due_date,
        "due_rule": s.c.due_inclusive,
        "submitted_at": sent,
        "status": status,
        "days_late": days,
        "filed_by": filer,
        "basis": s.c.basis,
        "versions": versions,
        "sign_off": signed,
    }
    natural = [s.c.due_date, s.c.report_type, u.c.code, s.c.id]
    return Built(_scoped(stmt, u, scope), sort, natural)


_TESTS: dict[
    str, Callable[[ColumnElement[Any], ColumnElement[Any]], ColumnElement[bool]]
] = {
    ">=": lambda v, t: v >= t,
    "<=": lambda v, t: v <= t,
    ">": lambda v, t: v > t,
    "<": lambda v, t: v < t,
    "=": lambda v, t: v == t,
}


def scorecard(
    conn: Connection, filters: Filters, scope: Scope, span: tuple[dt.date, dt.date]
) -> Built:
    """Plan targets of the period's year at or under the place, with the value
    reached and whether the target is met (by its comparator)."""
    g, i, v = GOAL, IND, VALUE
    u, p, unit_cols = _units()
    year = filters.period.year
    value: ColumnElement[Any] = v.c.value
    hidden: ColumnElement[Any] = literal(False)
    if not scope.exact:
        # figures of abused children as data.suppression lets this role see them
        counts = i.c.code.in_(suppression.ABUSE_COUNT_INDICATORS)
        shown = suppression.perturbed_sql(v.c.value, v.c.record_key)
        hidden = or_(
            i.c.code.in_(suppression.ABUSE_SHARE_INDICATORS),
            and_(counts, v.c.value.is_not(None), shown < suppression.THRESHOLD),
        )
        value = case(
            (hidden, literal(None)), (counts, cast(shown, Float)), else_=v.c.value
        )
    met = case(
        (and_(hidden, v.c.value.is_not(None)), "hidden"),
        (value.is_(None), "no_value"),
        *(
            (and_(g.c.comparator == op, test(value, g.c.target_value)), "met")
            for op, test in _TESTS.items()
        ),
        else_="not_met",
    )
    stmt = (
        select(
            i.c.code.label("indicator_code"),
            i.c.name_vi,
            i.c.name_en,
            *unit_cols,
            g.c.year,
            i.c.direction,
            g.c.comparator,
            g.c.target_value,
            value.label("value"),
            i.c.measure,
            met.label("met"),
        )
        .select_from(
            g.join(i, i.c.code == g.c.indicator_code)
            .join(u, u.c.id == g.c.unit_id)
            .outerjoin(p, p.c.id == u.c.parent_id)
            .outerjoin(
                v,
                and_(
                    v.c.indicator_code == g.c.indicator_code,
                    v.c.unit_id == g.c.unit_id,
                    v.c.year == g.c.year,
                ),
            )
        )
        .where(g.c.unit_id.in_(_area(conn, filters, span[1])), g.c.year == year)
    )
    if filters.status:
        stmt = stmt.where(met == filters.status)
    sort = {
        **_unit_sort(u, p),
        "indicator": i.c.code,
        "year": g.c.year,
        "direction": i.c.direction,
        "target": g.c.target_value,
        "value": value,
        "measure": i.c.measure,
        "met": met,
    }
    return Built(_scoped(stmt, u, scope), sort, [i.c.code, u.c.code])
