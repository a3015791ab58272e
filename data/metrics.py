"""Aggregates for the map and its panels, computed in SQL (GROUP BY), never in pandas.

Every aggregate works the same way: take the communes valid on the reference date,
attach to each the ancestor at the requested level, and group by that ancestor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    Connection,
    Integer,
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

from data.db import read_df
from data.models import (
    AdminUnit,
    Boundary,
    ChildFriendlyAssessment,
    FundContribution,
    Incident,
    Meta,
)
from data.vocabulary import CF_RECOGNISED

UNIT = AdminUnit.__table__
CFA = ChildFriendlyAssessment.__table__


def valid_on(table, day: dt.date):  # type: ignore[no-untyped-def]
    """SQL condition: the unit existed on ``day``."""
    return and_(
        or_(table.c.valid_from.is_(None), table.c.valid_from <= day),
        or_(table.c.valid_to.is_(None), table.c.valid_to >= day),
    )


def commune_ancestry(tree: str, as_of: dt.date) -> Subquery:
    """Communes valid on ``as_of`` with the ids of their district, province, country."""
    c, d, p = UNIT.alias("c"), UNIT.alias("d"), UNIT.alias("p")
    return (
        select(
            c.c.id.label("commune"),
            d.c.id.label("district"),
            p.c.id.label("province"),
            p.c.parent_id.label("country"),
        )
        .select_from(
            c.join(d, c.c.parent_id == d.c.id).join(p, d.c.parent_id == p.c.id)
        )
        .where(c.c.tree == tree, c.c.level == "commune", valid_on(c, as_of))
        .subquery("ancestry")
    )


def latest_assessment(as_of: dt.date) -> Subquery:
    """Each commune's most recent assessment round on or before ``as_of``."""
    ranked = select(
        CFA.c.unit_id,
        CFA.c.status,
        func.row_number()
        .over(partition_by=CFA.c.unit_id, order_by=CFA.c.round_date.desc())
        .label("rn"),
    ).where(CFA.c.round_date <= as_of)
    ranked_sq = ranked.subquery("ranked")
    return (
        select(ranked_sq.c.unit_id, ranked_sq.c.status)
        .where(ranked_sq.c.rn == 1)
        .subquery("latest")
    )


def child_friendly_share(
    conn: Connection, *, tree: str, level: str, parent_code: str, as_of: dt.date
) -> pd.DataFrame:
    """Per unit of ``level`` under ``parent_code``: communes, recognised, share (%)."""
    anc = commune_ancestry(tree, as_of)
    latest = latest_assessment(as_of)
    unit, parent = UNIT.alias("u"), UNIT.alias("parent")
    recognised = func.sum(case((latest.c.status.in_(CF_RECOGNISED), 1), else_=0))
    stmt = (
        select(
            unit.c.code,
            unit.c.name,
            func.count(anc.c.commune).label("communes"),
            cast(func.coalesce(recognised, 0), Integer).label("recognised"),
        )
        .select_from(
            unit.join(parent, unit.c.parent_id == parent.c.id)
            .join(anc, anc.c[level] == unit.c.id)
            .outerjoin(latest, latest.c.unit_id == anc.c.commune)
        )
        .where(
            unit.c.level == level, parent.c.tree == tree, parent.c.code == parent_code
        )
        .group_by(unit.c.code, unit.c.name)
        .order_by(unit.c.code)
    )
    frame = read_df(conn, stmt)
    frame["share"] = 100.0 * frame["recognised"] / frame["communes"]
    return frame


def unit_row(conn: Connection, *, tree: str, code: str) -> dict | None:
    """One unit as a dict (None when the code is unknown in that tree)."""
    row = (
        conn.execute(select(UNIT).where(UNIT.c.tree == tree, UNIT.c.code == code))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def child_units(conn: Connection, *, tree: str, parent_code: str) -> pd.DataFrame:
    """Code, name and level of the units directly under ``parent_code``."""
    parent = UNIT.alias("parent")
    stmt = (
        select(UNIT.c.code, UNIT.c.name, UNIT.c.level)
        .join(parent, UNIT.c.parent_id == parent.c.id)
        .where(parent.c.tree == tree, parent.c.code == parent_code)
        .order_by(UNIT.c.code)
    )
    return read_df(conn, stmt)


@dataclass(frozen=True)
class DatasetInfo:
    """What the UI must say about the data: demo or not, boundaries approximate."""

    demo_seed: str | None
    approximate_boundaries: bool
    years: tuple[int, ...]
    provinces: tuple[tuple[str, str], ...]

    @property
    def is_demo(self) -> bool:
        return self.demo_seed is not None


def _fact_years(conn: Connection) -> tuple[int, ...]:
    dates = union_all(
        select(
            func.min(CFA.c.round_date).label("lo"),
            func.max(CFA.c.round_date).label("hi"),
        ),
        select(
            func.min(Incident.occurred_on).label("lo"),
            func.max(Incident.occurred_on).label("hi"),
        ),
        select(
            func.min(FundContribution.contributed_on).label("lo"),
            func.max(FundContribution.contributed_on).label("hi"),
        ),
    ).subquery()
    lo, hi = conn.execute(select(func.min(dates.c.lo), func.max(dates.c.hi))).one()
    if lo is None:
        return ()
    lo, hi = (dt.date.fromisoformat(str(x)[:10]) for x in (lo, hi))
    return tuple(range(lo.year, hi.year + 1))


def dataset_info(conn: Connection, *, tree: str = "legacy") -> DatasetInfo:
    """Facts about the whole dataset that every page shows."""
    seed = conn.execute(select(Meta.value).where(Meta.key == "demo_seed")).scalar()
    approx = conn.execute(
        select(literal(True)).where(Boundary.approximate.is_(True)).limit(1)
    ).scalar()
    provinces = conn.execute(
        select(UNIT.c.code, UNIT.c.name)
        .where(UNIT.c.tree == tree, UNIT.c.level == "province")
        .order_by(UNIT.c.code)
    ).all()
    return DatasetInfo(
        demo_seed=seed,
        approximate_boundaries=bool(approx),
        years=_fact_years(conn),
        provinces=tuple((c, n) for c, n in provinces),
    )
