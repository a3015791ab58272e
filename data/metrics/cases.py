"""Abuse and injury cases: counts and rates per 100,000 children under 16.

The rate is of the cases dated in the period, not annualised: a quarter's rate is
about a quarter of the year's.  The denominator is the unit's own ``children_u16``
(DOMAIN.md section 0: a child is under 16); without it there is no rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import CTE, ColumnElement, Connection, Integer, case, cast, func, select
from sqlalchemy.sql import Subquery

from data import suppression
from data.db import read_df
from data.metrics.common import (
    as_int,
    per_target,
    period_span,
    ratio,
    rollup,
    target_place,
    targets_under,
    today_or_vn,
)
from data.models import Incident
from data.periods import Period
from data.scope import FULL, Scope
from data.vocabulary import (
    ABUSE_TYPES,
    INCIDENT_CATEGORIES,
    INJURY_TYPES,
    PER_CHILDREN,
)

CASES = Incident.__table__
DEFAULT_CATEGORIES = ("abuse", "injury")


def _codes(values: Iterable[str] | str, known: tuple[str, ...], what: str) -> tuple:
    """``values`` as a tuple, or ValueError naming the codes that do not exist."""
    codes = (values,) if isinstance(values, str) else tuple(values)
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(map(repr, unknown))}")
    return codes


def case_filter(
    start: dt.date,
    end: dt.date,
    categories: Iterable[str],
    types: Iterable[str] | None,
) -> list[ColumnElement[bool]]:
    """SQL conditions: dated in [start, end], in ``categories`` and ``types``."""
    wanted = _codes(categories, INCIDENT_CATEGORIES, "incident category")
    conditions = [
        CASES.c.occurred_on >= start,
        CASES.c.occurred_on <= end,
        CASES.c.category.in_(wanted),
    ]
    if types:  # None or empty: every type of the categories
        codes = _codes(types, ABUSE_TYPES + INJURY_TYPES, "incident type")
        conditions.append(CASES.c.type_code.in_(codes))
    return conditions


def _grouped(targets: CTE, conditions: list[ColumnElement[bool]]) -> Subquery:
    r = rollup(targets)

    def of(category: str):  # type: ignore[no-untyped-def]
        hit = case((CASES.c.category == category, 1), else_=0)
        return cast(func.sum(hit), Integer).label(category)

    return (
        select(r.c.target_id, func.count().label("count"), *map(of, DEFAULT_CATEGORIES))
        .select_from(r.join(CASES, CASES.c.unit_id == r.c.unit_id))
        .where(*conditions)
        .group_by(r.c.target_id)
        .subquery("grouped")
    )


def incident_frame(
    conn: Connection, targets: CTE, conditions: list[ColumnElement[bool]]
) -> pd.DataFrame:
    """Count, abuse, injury, children and rate per target."""
    frame = per_target(
        conn, targets, _grouped(targets, conditions), extra=("children",)
    )
    frame = as_int(frame, ["count", *DEFAULT_CATEGORIES])
    frame = frame[["code", "name", "count", *DEFAULT_CATEGORIES, "children"]].copy()
    frame["children"] = frame["children"].astype("Int64")
    frame["rate"] = ratio(frame["count"], frame["children"], PER_CHILDREN)
    return frame


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
    types = allowed_types(types, scope)
    conditions = case_filter(*period_span(period, today), categories, types)
    frame = incident_frame(conn, targets, conditions)
    wanted = _codes(categories, INCIDENT_CATEGORIES, "incident category")
    return suppression.incidents(frame, scope, wanted)


def allowed_types(types: Iterable[str] | None, scope: Scope) -> tuple | None:
    """The type filter ``scope`` may use: no abuse type unless it sees exact
    counts (an empty result means every type)."""
    if types is None:
        return None
    kept = tuple(c for c in types if scope.exact or c not in ABUSE_TYPES)
    return kept or None


def top_types(
    conn: Connection, targets: CTE, conditions: list[ColumnElement[bool]], limit: int
) -> pd.DataFrame:
    """The ``limit`` most frequent (category, type_code) of the targets' cases."""
    r = rollup(targets)
    count = func.count().label("count")
    stmt = (
        select(CASES.c.category, CASES.c.type_code, count)
        .select_from(r.join(CASES, CASES.c.unit_id == r.c.unit_id))
        .where(*conditions)
        .group_by(CASES.c.category, CASES.c.type_code)
        .order_by(count.desc(), CASES.c.type_code)
        .limit(limit)
    )
    return read_df(conn, stmt)
