"""Facts about the dataset as a whole: demo or not, years held, cache version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, literal, select, union_all

from data.metrics.common import CFA, UNIT, today_or_vn
from data.models import Boundary, FundContribution, Incident, Meta

FACTS_VERSION = "facts_version"


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
    # min and max only: each is one index probe or one short scan, where a list of
    # distinct years would read every fact row
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


def facts_version(conn: Connection) -> str:
    """A string that changes whenever the facts change ("0": never written)."""
    stmt = select(Meta.value).where(Meta.key == FACTS_VERSION)
    return conn.execute(stmt).scalar() or "0"


def next_facts_version(conn: Connection) -> str:
    """The version to write after changing facts: the current one plus 1."""
    current = facts_version(conn)
    return str(int(current) + 1 if current.isdigit() else 1)


def available_periods(conn: Connection, *, today: dt.date | None = None) -> list[str]:
    """Period keys to offer, newest first: years with facts, their quarters, YTD."""
    today = today_or_vn(today)
    keys: list[str] = []
    for year in sorted(_fact_years(conn), reverse=True):
        if year > today.year:
            continue  # facts dated in the future are an error, not a period
        started = 4 if year < today.year else (today.month - 1) // 3 + 1
        keys += [f"{year}-YTD"] if year == today.year else []
        keys += [str(year), *(f"{year}-Q{q}" for q in range(started, 0, -1))]
    return keys
