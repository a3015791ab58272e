"""Facts about the dataset as a whole: demo or not, years held, cache version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from data.db import lock
from data.metrics.common import CFA, UNIT, today_or_vn
from data.models import Boundary, FundContribution, Incident, Meta

FACTS_VERSION = "facts_version"
FACTS_UPDATED_AT = "facts_updated_at"  # ISO UTC instant the facts last changed


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


_FACT_DATES = (CFA.c.round_date, Incident.occurred_on, FundContribution.contributed_on)


def _fact_years(conn: Connection) -> tuple[int, ...]:
    # a lone min() or max() over an indexed column is one index probe on both
    # backends; both in one SELECT (or a list of distinct years) reads every row
    ends = []
    for column in _FACT_DATES:
        for edge in (func.min, func.max):
            value = conn.execute(select(edge(column))).scalar()
            if value is not None:
                ends.append(dt.date.fromisoformat(str(value)[:10]))
    if not ends:
        return ()
    return tuple(range(min(ends).year, max(ends).year + 1))


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


def data_as_of(conn: Connection) -> dt.datetime | None:
    """When the facts last changed (UTC), None when no writer recorded it."""
    stmt = select(Meta.value).where(Meta.key == FACTS_UPDATED_AT)
    value = conn.execute(stmt).scalar()
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def record_facts_changed(session: Session) -> None:
    """New facts were written: cached aggregates keyed on the old version go
    stale, and the data-as-of time moves to now.  One writer at a time moves
    the version on, so two changes never share a number."""
    lock(session, "meta", FACTS_VERSION)
    values = {
        FACTS_VERSION: next_facts_version(session.connection()),
        FACTS_UPDATED_AT: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    session.execute(delete(Meta).where(Meta.key.in_(list(values))))
    session.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])


def next_facts_version(conn: Connection) -> str:
    """The version to write after changing facts: the current one plus 1."""
    current = facts_version(conn)
    return str(int(current) + 1 if current.isdigit() else 1)


def available_periods(conn: Connection, *, today: dt.date | None = None) -> list[str]:
    """Period keys to offer, newest first: for each year with facts, its year to
    date (1 January to today's day and month: the "cùng kỳ" that reports compare
    with the same period of other years), the whole year and its quarters."""
    today = today_or_vn(today)
    keys: list[str] = []
    for year in sorted(_fact_years(conn), reverse=True):
        if year > today.year:
            continue  # facts dated in the future are an error, not a period
        started = 4 if year < today.year else (today.month - 1) // 3 + 1
        quarters = [f"{year}-Q{q}" for q in range(started, 0, -1)]
        if year == today.year:
            keys += [f"{year}-YTD", str(year), *quarters]
        else:
            keys += [str(year), f"{year}-YTD", *quarters]
    return keys
