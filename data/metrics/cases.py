"""Abuse and injury cases: counts and rates per 100,000 children under 16.

The rate is of the cases dated in the period, not annualised: a quarter's rate is
about a quarter of the year's.  The denominator is the unit's children under 16
(DOMAIN.md section 0: a child is under 16) in the period's year: its
``unit_children`` row for that year, else its own ``children_u16``
(``data.metrics.rollup.year_children``); without it there is no rate.

On the July-2025 tree numerator and denominator come from the same population
(``_children``): cases booked before 1 July 2025 are those of the legacy
communes the unit inherits, a divided commune's by area share where its shares
are known (``data.reform.inheritance(apportion=True)``), and so are the children
they are divided by.  For a period before the reform the denominator is those
legacy children; after it, the unit's own; a period across the date weights the
two by its days on each side.  Apportioned counts may be fractional: the rate is
computed from them, the counts are shown rounded to whole cases (the rate of a
restricted role is then recomputed from its shown counts: ``data.suppression``),
and the denominator is rounded to whole children.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Connection,
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import Subquery
from sqlalchemy.sql.elements import Label

from data import suppression
from data.db import AnySelect, kept, read_df
from data.metrics import batch
from data.metrics.months import whole_months
from data.metrics.reported import (
    REPORTS_FLAG,
    UNAPPROVED,
    Reported,
    any_reports,
    reported,
    reports_in,
)
from data.metrics.rollup import (
    CHILDREN,
    UNIT,
    per_target_statement,
    period_span,
    read_with_unit,
    reads_kept_sums,
    rollup,
    target_place,
    target_tree,
    targets_under,
    today_or_vn,
)
from data.models import Incident, IncidentMonth
from data.periods import Period
from data.reform import LEGACY_TREE, NEW_TREE, REFORM_DATE
from data.scope import FULL, Scope
from data.vocabulary import (
    ABUSE_TYPES,
    INCIDENT_CATEGORIES,
    INJURY_TYPES,
    PER_CHILDREN,
)

CASES = Incident.__table__
SUMMARY = IncidentMonth.__table__  # kept with the cases: data.metrics.summary
DEFAULT_CATEGORIES = ("abuse", "injury")


def _codes(
    values: Iterable[str] | str, known: tuple[str, ...], what: str
) -> tuple[Any, ...]:
    """``values`` as a tuple, or ValueError naming the codes that do not exist."""
    codes = (values,) if isinstance(values, str) else tuple(values)
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(map(repr, unknown))}")
    return codes


@dataclass(frozen=True)
class CaseFilter:
    """The cases of a theme query: dated in [start, end], of ``categories`` (and
    ``types`` when given); reports whose period ends by ``last`` may stand in for
    a unit without case records (``data.metrics.reported``)."""

    start: dt.date
    end: dt.date
    last: dt.date
    categories: tuple[str, ...]
    types: tuple[str, ...] | None

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on the case records."""
        conditions = [
            CASES.c.occurred_on >= self.start,
            CASES.c.occurred_on <= self.end,
            CASES.c.category.in_(self.categories),
        ]
        if self.types:
            conditions.append(CASES.c.type_code.in_(self.types))
        return conditions

    def on_days(
        self, spans: list[tuple[dt.date, dt.date]]
    ) -> list[ColumnElement[bool]]:
        """``conditions`` for the days of ``spans`` (within the period) only."""
        days = [
            and_(CASES.c.occurred_on >= first, CASES.c.occurred_on <= last)
            for first, last in spans
        ]
        return [*self.conditions(), or_(*days)]

    def codes(self, category: str) -> tuple[str, ...]:
        """The type codes of ``category`` wanted (none when it is not wanted)."""
        if category not in self.categories:
            return ()
        known = ABUSE_TYPES if category == "abuse" else INJURY_TYPES
        return tuple(c for c in known if not self.types or c in self.types)


def case_filter(
    period: Period,
    today: dt.date | None,
    categories: Iterable[str],
    types: Iterable[str] | None,
) -> CaseFilter:
    """The cases of ``period`` in ``categories`` and ``types``; ValueError naming
    unknown codes."""
    wanted = _codes(categories, INCIDENT_CATEGORIES, "incident category")
    codes = _codes(types, ABUSE_TYPES + INJURY_TYPES, "incident type") if types else ()
    start, end = period_span(period, today)
    last = period.end(today_or_vn(today))
    return CaseFilter(start, end, last, wanted, codes or None)


# A weight this far below 1 is a share of a divided commune (sums of shares that
# make a whole may miss 1 by rounding).
_WHOLE = 1e-9


def _grouped_raw(
    targets: CTE, conditions: list[ColumnElement[bool]], name: str = "grouped"
) -> Subquery:
    """Cases per target, each weighted by the part of its unit the target takes
    (``rollup(apportion=True)``); the record keys of every case that counts at
    all (``data.suppression``).  From the case records themselves."""
    r = rollup(targets, f"{name}_rollup", apportion=True)

    def of(category: str) -> Label[float]:
        hit = case((CASES.c.category == category, r.c.weight), else_=literal(0.0))
        return cast(func.sum(hit), Float).label(category)

    abuse = CASES.c.category == "abuse"
    abuse_key = func.sum(case((abuse, CASES.c.record_key), else_=0))
    return (
        select(
            r.c.target_id,
            cast(func.sum(r.c.weight), Float).label("count"),
            *map(of, DEFAULT_CATEGORIES),
            cast(abuse_key, BigInteger).label("abuse_key"),
        )
        .select_from(r.join(CASES, CASES.c.unit_id == r.c.unit_id))
        .where(*conditions)
        .group_by(r.c.target_id)
        .subquery(name)
    )


def _summed(
    targets: CTE, cases: CaseFilter, months: tuple[dt.date, dt.date]
) -> AnySelect:
    """As ``_grouped_raw`` for the whole ``months`` (first days of the first and
    the last), from the targets' own summary rows (``data.metrics.summary``)."""
    s = SUMMARY

    def of(category: str) -> Label[float]:
        hit = case((s.c.category == category, s.c.cases), else_=literal(0.0))
        return cast(func.sum(hit), Float).label(category)

    abuse_key = func.sum(case((s.c.category == "abuse", s.c.key_sum), else_=0))
    return (
        select(
            s.c.unit_id.label("target_id"),
            cast(func.sum(s.c.cases), Float).label("count"),
            *map(of, DEFAULT_CATEGORIES),
            cast(abuse_key, BigInteger).label("abuse_key"),
        )
        .where(*_summary_conditions(targets, cases, months))
        .group_by(s.c.unit_id)
    )


def _summary_conditions(
    targets: CTE, cases: CaseFilter, months: tuple[dt.date, dt.date]
) -> list[ColumnElement[bool]]:
    s = SUMMARY
    conditions = [
        s.c.unit_id.in_(select(targets.c.id)),
        s.c.month >= months[0],
        s.c.month <= months[1],
        s.c.category.in_(cases.categories),
    ]
    if cases.types:
        conditions.append(s.c.type_code.in_(cases.types))
    return conditions


def _grouped(targets: CTE, cases: CaseFilter) -> Subquery:
    """``_grouped_raw``, its whole months read from the summary: the same sums
    (weighted counts up to the order of adding).  Former-district groups,
    not stored there, read the case records."""
    return _grouped_kept(targets, cases, reads_kept_sums(targets))


@kept
def _grouped_kept(targets: CTE, cases: CaseFilter, summary: bool) -> Subquery:
    """``_grouped``; ``summary``: whether the targets' kept sums may be read."""
    months, rest = whole_months(cases.start, cases.end)
    if months is None or not summary:
        return _grouped_raw(targets, cases.conditions())
    summed = _summed(targets, cases, months)
    if not rest:
        return summed.subquery("grouped")
    raw = _grouped_raw(targets, cases.on_days(rest), "outside")
    parts = union_all(summed, select(raw)).subquery("parts")
    return (
        select(
            parts.c.target_id,
            cast(func.sum(parts.c["count"]), Float).label("count"),
            *(cast(func.sum(parts.c[k]), Float).label(k) for k in DEFAULT_CATEGORIES),
            cast(func.sum(parts.c.abuse_key), BigInteger).label("abuse_key"),
        )
        .group_by(parts.c.target_id)
        .subquery("grouped")
    )


def _reported(
    conn: Connection,
    targets: CTE,
    cases: CaseFilter,
    any_report: bool | None = None,
) -> Reported:
    """The case figures of reports that count for the targets (``any_report``:
    whether any report lies in the period, when already asked)."""
    return reported(
        conn,
        targets,
        section="case",
        codes=[c for category in DEFAULT_CATEGORIES for c in cases.codes(category)],
        records=CASES,
        date_column="occurred_on",
        first=cases.start,
        last=cases.last,
        apportion=True,
        any_report=any_report,
    )


@kept
def _legacy_children(targets: CTE, year: int) -> Subquery:
    """Per target of the July-2025 tree: the children in ``year`` of the legacy
    communes it inherits (a commune's ``unit_children`` row for the year, else its
    own figure), weighted like their cases (NULL when one of them has none), and
    ``apportioned`` (1 when one of them counts by an area share)."""
    r = rollup(targets, "children_rollup", apportion=True)
    legacy = UNIT.alias("legacy_commune")
    row = CHILDREN.alias("legacy_children_row")
    kids = func.coalesce(row.c.children_u16, legacy.c.children_u16)
    known = func.count() == func.count(kids)
    weighted = func.sum(r.c.weight * kids)
    split = case((r.c.weight < 1 - _WHOLE, 1), else_=0)
    return (
        select(
            r.c.target_id,
            cast(case((known, weighted)), Float).label("children_before"),
            func.max(split).label("apportioned"),
        )
        .select_from(
            r.join(legacy, legacy.c.id == r.c.unit_id).outerjoin(
                row, and_(row.c.unit_id == legacy.c.id, row.c.year == year)
            )
        )
        .where(legacy.c.tree == LEGACY_TREE, legacy.c.level == "commune")
        .group_by(r.c.target_id)
        .subquery("legacy_children")
    )


def before_reform_share(start: dt.date, end: dt.date) -> float:
    """The share of the days [start, end] that lie before 1 July 2025."""
    days = (end - start).days + 1
    before = (min(end, REFORM_DATE - dt.timedelta(days=1)) - start).days + 1
    return min(max(before, 0) / days, 1.0) if days > 0 else 0.0


def _missing(value: Any) -> bool:
    """None or NaN (a NULL read into a frame)."""
    return value is None or value != value


def _children(
    read: dict[str, list[Any]], cases: CaseFilter
) -> tuple[list[int | None], list[bool]]:
    """The rate's denominator per row (whole children, None when unknown) and
    whether it is ``apportioned`` (the figures before 1 July 2025 include a
    divided commune's area share), from the targets' own ``children`` and, on
    the July-2025 tree, ``children_before`` (``_legacy_children``)."""
    own = read["children"]
    if "children_before" not in read:  # the legacy tree: the unit's own
        return [None if _missing(v) else int(v) for v in own], [False] * len(own)
    share = before_reform_share(cases.start, cases.end)
    children: list[int | None] = []
    for now, before in zip(own, read["children_before"], strict=True):
        now = math.nan if _missing(now) else float(now)
        before = math.nan if _missing(before) else float(before)
        if share >= 1:
            blended = before
        elif share <= 0:
            blended = now
        else:
            blended = share * before + (1 - share) * now
        children.append(None if math.isnan(blended) else round(blended))
    split = [not _missing(v) and float(v) > 0 for v in read["apportioned"]]
    return children, [s and share > 0 for s in split]


def incident_frame(conn: Connection, targets: CTE, cases: CaseFilter) -> pd.DataFrame:
    """Count, abuse, injury, children, rate and ``reported`` (the figures include
    a submitted report's) per target: records, else reports
    (``data.metrics.reported``)."""
    return _as_frame(*_incident_columns(conn, targets, cases))


def shown_incident_frame(
    conn: Connection,
    targets: CTE,
    cases: CaseFilter,
    scope: Scope,
    categories: Iterable[str],
) -> pd.DataFrame:
    """``incident_frame`` as ``scope`` may see it (``data.suppression``): for a
    scope that sees exact counts, made so at once (one frame, not a frame and a
    copy of it with the flags)."""
    columns, attrs = _incident_columns(conn, targets, cases)
    if scope.exact:
        return suppression.exact_incidents(columns, attrs)
    return suppression.incidents(_as_frame(columns, attrs), scope, categories)


def _as_frame(columns: dict[str, Any], attrs: dict[Any, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.attrs = attrs
    return frame


COUNTS = ("count", *DEFAULT_CATEGORIES)


def _incident_columns(
    conn: Connection, targets: CTE, cases: CaseFilter
) -> tuple[dict[str, Any], dict[Any, Any]]:
    """The columns and ``attrs`` of ``incident_frame``.  A listing has a few
    dozen rows at most: they are finished row by row and made a frame once
    (column by column in pandas, that cost more than the statement)."""
    grouped = [_grouped(targets, cases)]
    year = cases.start.year  # the denominator is the period's year's
    if target_tree(targets) == NEW_TREE:
        grouped.append(_legacy_children(targets, year))
    flag = {REPORTS_FLAG: reports_in("case", cases.start, cases.last)}
    stmt = per_target_statement(
        targets, *grouped, extra=("children",), year=year, flags=flag
    )
    read = batch.read_columns(conn, stmt)
    from_reports = _reported(conn, targets, cases, any_reports(read))
    codes = read["code"]
    counts = {k: [0.0 if _missing(v) else float(v) for v in read[k]] for k in COUNTS}
    keys = [0 if _missing(v) else int(v) for v in read["abuse_key"]]
    if from_reports.targets:  # else nothing to add: the records' figures alone
        _add_reported(codes, counts, keys, from_reports, cases)
    children, apportioned = _children(read, cases)
    # the rate from the (possibly fractional) apportioned cases; counts shown whole
    rate = [
        math.nan if n is None or n <= 0 else PER_CHILDREN * c / n
        for c, n in zip(counts["count"], children, strict=True)
    ]
    whole = {k: [round(v) for v in counts[k]] for k in DEFAULT_CATEGORIES}
    columns = {
        # the text columns' types inferred as a read frame's are
        "code": pd.Series(codes),
        "name": pd.Series(read["name"]),
        "count": np.array(
            [a + i for a, i in zip(whole["abuse"], whole["injury"], strict=True)],
            dtype=np.int64,
        ),
        **{k: np.array(whole[k], dtype=np.int64) for k in DEFAULT_CATEGORIES},
        "abuse_key": np.array(keys, dtype=np.int64),
        "children": pd.array(children, dtype="Int64"),
        "reported": np.array([c in from_reports.targets for c in codes], bool),
        "rate": np.array(rate, dtype=np.float64),
        "apportioned": np.array(apportioned, dtype=bool),
    }
    return columns, {"unapproved": from_reports.unapproved}  # reported.UNAPPROVED


def _add_reported(
    codes: list[str],
    counts: dict[str, list[float]],
    keys: list[int],
    from_reports: Reported,
    cases: CaseFilter,
) -> None:
    """The counted reports' figures and record keys added to the rows'."""
    for category in DEFAULT_CATEGORIES:
        added = from_reports.by_code(cases.codes(category)).sum(axis=1).to_dict()
        for row, code in enumerate(codes):
            found = added.get(code, 0.0)
            extra = 0.0 if _missing(found) else float(found)
            counts[category][row] += extra
            counts["count"][row] += extra
    reported_keys = from_reports.key_by_code(cases.codes("abuse")).to_dict()
    for row, code in enumerate(codes):
        keys[row] += int(reported_keys.get(code, 0))


def incidents(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    categories: Iterable[str] = DEFAULT_CATEGORIES,
    types: Iterable[str] | None = None,
    today: dt.date | None = None,
    only: str | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """Per unit of ``level`` under ``parent_code``: cases, by category, rate, and
    ``suppressed`` (abuse figures as ``scope`` may see them: ``data.suppression``).

    ``types`` (codes of ``data.vocabulary``) narrows ``categories`` further;
    unknown categories or types raise ValueError.  Abuse types are not broken down
    for users who do not see exact counts: they get all abuse.
    """
    day = period.as_of(today_or_vn(today))
    targets = targets_under(tree, level, parent_code, day, only, scope)
    return _shown(conn, targets, period, categories, types, today, scope)


def incidents_of_unit(
    conn: Connection,
    *,
    tree: str,
    code: str,
    period: Period,
    categories: Iterable[str] = DEFAULT_CATEGORIES,
    types: Iterable[str] | None = None,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """The row of ``incidents`` for one unit (any level, the root too) or
    former-district group, computed alone; empty when it is unknown or outside
    ``scope``."""
    day = period.as_of(today_or_vn(today))
    targets = target_place(conn, tree, code, day, scope)
    return _shown(conn, targets, period, categories, types, today, scope)


def incidents_with_unit(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    categories: Iterable[str] = DEFAULT_CATEGORIES,
    types: Iterable[str] | None = None,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``incidents(...)`` and ``incidents_of_unit(code=parent_code, ...)`` -- a
    map's listing and its headline -- from one statement (``with_unit``): the
    same frames, each suppressed alone as when computed apart."""
    day = period.as_of(today_or_vn(today))
    listed = targets_under(tree, level, parent_code, day, None, scope)
    head = target_place(conn, tree, parent_code, day, scope)
    cases = case_filter(period, today, categories, allowed_types(types, scope))
    # suppressed before the split: row by row, so each part is as suppressed alone
    return read_with_unit(
        listed,
        head,
        parent_code,
        lambda targets: shown_incident_frame(
            conn, targets, cases, scope, cases.categories
        ),
        code_sets=(UNAPPROVED,),
    )


def _shown(
    conn: Connection,
    targets: CTE,
    period: Period,
    categories: Iterable[str],
    types: Iterable[str] | None,
    today: dt.date | None,
    scope: Scope,
) -> pd.DataFrame:
    """The targets' incident rows as ``scope`` may see them."""
    cases = case_filter(period, today, categories, allowed_types(types, scope))
    return shown_incident_frame(conn, targets, cases, scope, cases.categories)


def allowed_types(types: Iterable[str] | None, scope: Scope) -> tuple[Any, ...] | None:
    """The type filter ``scope`` may use: no abuse type unless it sees exact
    counts (an empty result means every type)."""
    if types is None:
        return None
    kept = tuple(c for c in types if scope.exact or c not in ABUSE_TYPES)
    return kept or None


def top_types(
    conn: Connection, targets: CTE, cases: CaseFilter, limit: int
) -> pd.DataFrame:
    """The ``limit`` most frequent (category, type_code) of the targets' cases,
    records and counted reports together, with the sum of their record keys
    (``key``: ``data.suppression``)."""
    return _top_types(conn, targets, cases, limit, _by_type(targets, cases))


def _by_type_raw(
    targets: CTE, conditions: list[ColumnElement[bool]], name: str = "by_type"
) -> AnySelect:
    """Weighted count and record keys per (category, type_code) of the targets'
    case records (``_grouped_raw``)."""
    r = rollup(targets, f"{name}_rollup", apportion=True)
    count = cast(func.sum(r.c.weight), Float).label("count")
    key = cast(func.sum(CASES.c.record_key), BigInteger).label("key")
    return (
        select(CASES.c.category, CASES.c.type_code, count, key)
        .select_from(r.join(CASES, CASES.c.unit_id == r.c.unit_id))
        .where(*conditions)
        .group_by(CASES.c.category, CASES.c.type_code)
    )


def _by_type(targets: CTE, cases: CaseFilter) -> AnySelect:
    """``_by_type_raw``, its whole months read from the summary (``_grouped``)."""
    months, rest = whole_months(cases.start, cases.end)
    if months is None or not reads_kept_sums(targets):
        return _by_type_raw(targets, cases.conditions())
    s = SUMMARY
    summed = (
        select(
            s.c.category,
            s.c.type_code,
            cast(func.sum(s.c.cases), Float).label("count"),
            cast(func.sum(s.c.key_sum), BigInteger).label("key"),
        )
        .where(*_summary_conditions(targets, cases, months))
        .group_by(s.c.category, s.c.type_code)
    )
    if not rest:
        return summed
    raw = _by_type_raw(targets, cases.on_days(rest), "outside").subquery("outside")
    parts = union_all(summed, select(raw)).subquery("parts")
    return select(
        parts.c.category,
        parts.c.type_code,
        cast(func.sum(parts.c["count"]), Float).label("count"),
        cast(func.sum(parts.c.key), BigInteger).label("key"),
    ).group_by(parts.c.category, parts.c.type_code)


def _top_types(
    conn: Connection, targets: CTE, cases: CaseFilter, limit: int, stmt: AnySelect
) -> pd.DataFrame:
    """``top_types`` with the counts per type of the records ``stmt`` (which
    also asks whether any report lies in the period: known when it has rows)."""
    flag = reports_in("case", cases.start, cases.last).label(REPORTS_FLAG)
    frame = read_df(conn, stmt.add_columns(flag))
    values = _reported(conn, targets, cases, any_reports(frame)).values
    if not values.empty:
        category = {c: k for k in DEFAULT_CATEGORIES for c in cases.codes(k)}
        extra = values.groupby("code", as_index=False)[["value", "key"]].sum()
        extra = pd.DataFrame(
            {
                "category": extra["code"].map(category),
                "type_code": extra["code"],
                "count": extra["value"],
                "key": extra["key"],
            }
        )
        frame = (
            pd.concat([frame, extra])
            .groupby(["category", "type_code"], as_index=False)[["count", "key"]]
            .sum()
        )
    # an apportioned count (``rollup``) is shown whole, like the theme's
    frame["count"] = frame["count"].astype("float64").round()
    frame = frame[frame["count"] > 0].astype({"count": "int64", "key": "int64"})
    ordered = frame.sort_values(["count", "type_code"], ascending=[False, True])
    return ordered.head(limit).reset_index(drop=True)
