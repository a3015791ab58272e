"""Facts about the dataset as a whole: demo or not, years held, cache version."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Select,
    case,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from data import demo_marks
from data.boundaries import version_of
from data.db import lock, read_one, read_rows, read_scalar, write
from data.inventory import DATABASE_ID
from data.metrics.rollup import CFA, UNIT, today_or_vn
from data.models import Boundary, FundContribution, Incident, Meta
from data.periods import Period, start_of_day_vn
from data.scope import FULL, Scope

FACTS_VERSION = "facts_version"
FACTS_UPDATED_AT = "facts_updated_at"  # ISO UTC instant the facts last changed
# moved on by every write of the units or their crosswalk (triggers: migration 0029)
UNITS_VERSION = "units_version"


@dataclass(frozen=True)
class DatasetInfo:
    """What the UI must say about the data: demo or not, boundaries approximate.

    ``demo_provinces``: the provinces of the tree that still show the demo's
    facts (``data.demo_marks.held``); a view of the whole tree is demo when any
    is, a view of one province when it is (``data.demo_marks.in_view``)."""

    demo_seed: str | None
    approximate_boundaries: bool
    years: tuple[int, ...]
    provinces: tuple[tuple[str, str], ...]
    demo_provinces: tuple[str, ...] = ()

    @property
    def is_demo(self) -> bool:
        return bool(self.demo_provinces)


_FACT_DATES = (CFA.c.round_date, Incident.occurred_on, FundContribution.contributed_on)


def fact_years(conn: Connection) -> tuple[int, ...]:
    """The years from the first to the last fact (assessment, case, booking)."""
    # a lone min() or max() over an indexed column is one index probe on both
    # backends: one scalar subquery each, all in one statement (a single SELECT
    # of all six aggregates, or a list of distinct years, would read every row)
    stmt = select(
        *(
            select(edge(column)).scalar_subquery()
            for column in _FACT_DATES
            for edge in (func.min, func.max)
        )
    )
    row = read_one(conn, stmt) or ()
    ends = [dt.date.fromisoformat(str(v)[:10]) for v in row if v is not None]
    if not ends:
        return ()
    return tuple(range(min(ends).year, max(ends).year + 1))


def dataset_info(conn: Connection, *, tree: str = "legacy") -> DatasetInfo:
    """Facts about the whole dataset that every page shows."""
    seed = read_scalar(conn, select(Meta.value).where(Meta.key == "demo_seed"))
    approx = read_scalar(
        conn, select(literal(True)).where(Boundary.approximate.is_(True)).limit(1)
    )
    provinces = read_rows(
        conn,
        select(UNIT.c.code, UNIT.c.name)
        .where(UNIT.c.tree == tree, UNIT.c.level == "province")
        .order_by(UNIT.c.code),
    )
    return DatasetInfo(
        demo_seed=seed,
        approximate_boundaries=bool(approx),
        years=fact_years(conn),
        provinces=tuple((c, n) for c, n in provinces),
        demo_provinces=tuple(sorted(demo_marks.held(conn, tree))),
    )


def facts_version(conn: Connection) -> str:
    """A string that changes whenever the facts change ("0": never written)."""
    stmt = select(Meta.value).where(Meta.key == FACTS_VERSION)
    return read_scalar(conn, stmt) or "0"


@dataclass(frozen=True)
class Versions:
    """What a cached figure depends on: which database, which facts, which
    boundaries (``data.boundaries.boundary_version``); what a place looked up
    depends on: which database, which units."""

    database: str
    facts: str
    boundaries: str
    units: str


@functools.cache
def _versions_select() -> Select[Any]:
    """``versions``' statement: the same on every request, built once."""

    def meta(key: str) -> ScalarSelect[str]:
        return select(Meta.value).where(Meta.key == key).scalar_subquery()

    return select(
        meta(DATABASE_ID),
        meta(FACTS_VERSION),
        select(func.count()).select_from(Boundary).scalar_subquery(),
        select(func.max(Boundary.updated_at)).scalar_subquery(),
        meta(UNITS_VERSION),
    )


def versions(conn: Connection) -> Versions:
    """The database's id, the facts, boundary and units versions, in one
    statement (read once per request by the app)."""
    row = read_one(conn, _versions_select())
    assert row is not None  # one row of scalar subqueries
    database, facts, count, latest, units = row
    return Versions(
        database or "none", facts or "0", version_of(count, latest), units or "0"
    )


def data_as_of(conn: Connection) -> dt.datetime | None:
    """When the facts last changed (UTC), None when no writer recorded it."""
    stmt = select(Meta.value).where(Meta.key == FACTS_UPDATED_AT)
    value = read_scalar(conn, stmt)
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
    write(session, delete(Meta).where(Meta.key.in_(list(values))))
    write(session, insert(Meta), [{"key": k, "value": v} for k, v in values.items()])


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
    for year in sorted(fact_years(conn), reverse=True):
        if year > today.year:
            continue  # facts dated in the future are an error, not a period
        started = 4 if year < today.year else (today.month - 1) // 3 + 1
        quarters = [f"{year}-Q{q}" for q in range(started, 0, -1)]
        if year == today.year:
            keys += [f"{year}-YTD", str(year), *quarters]
        else:
            keys += [str(year), f"{year}-YTD", *quarters]
    return keys


def default_period(
    periods: Sequence[str],
    *,
    kind: str = "year",
    today: dt.date | None = None,
    has_data: Callable[[Period], bool] | None = None,
) -> str | None:
    """The period a page opens on, of ``periods`` (newest first, as
    ``available_periods`` gives them): the newest whole year (``kind="year"``) or
    quarter that has ended on ``today`` (``kind="quarter"``) for which
    ``has_data`` holds; else the newest of that kind; else the first period
    (None when there is none).  The one rule for every page."""
    today = today_or_vn(today)
    parsed = [Period.parse(key) for key in periods]
    if kind == "quarter":
        wanted = [p for p in parsed if p.quarter and p.end(today) < today]
        wanted = wanted or [p for p in parsed if p.quarter]
    else:
        wanted = [p for p in parsed if not p.quarter and not p.ytd]
    if has_data is not None:
        for period in wanted:
            if has_data(period):
                return period.key
    if wanted:
        return wanted[0].key
    return periods[0] if periods else None


THEME_VALUE = {
    "child_friendly": "share",
    "fund": "total",
    "incidents": "count",
    "timeliness": "on_time_share",
}


def theme_listing(
    theme: str,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> tuple[Callable[..., pd.DataFrame], dict[str, Any]]:
    """The aggregate the map of ``theme`` draws for units of ``level`` under
    ``parent_code``, and its keyword arguments — the same as the map's own call
    (all incident categories and types), so that a cache keyed on them serves
    both the map and the check of whether it has anything to show."""
    from data import metrics  # the theme aggregates import this module

    today = today_or_vn(today)
    args: dict[str, Any] = {"tree": tree, "parent_code": parent_code}
    args |= {"period": period, "scope": scope}
    if theme == "child_friendly" and level == "commune":
        return metrics.child_friendly_status, {**args, "today": today}
    args["level"] = level
    if theme == "timeliness":
        return metrics.timeliness, {**args, "now": start_of_day_vn(today)}
    if theme == "incidents":
        every = {"categories": ("abuse", "injury"), "types": None}
        return metrics.incidents, {**args, "today": today, **every}
    func = {
        "child_friendly": metrics.child_friendly_share,
        "fund": metrics.fund_progress,
    }
    return func[theme], {**args, "today": today}


def has_values(theme: str, frame: pd.DataFrame, level: str = "") -> bool:
    """Whether a listing of ``theme`` (``theme_listing``) shows any unit with a
    value (not every cell "no data"); a count shown as "<5" is a value too."""
    if theme == "child_friendly" and level == "commune":
        return bool(frame["status"].notna().any())
    values = pd.to_numeric(frame[THEME_VALUE[theme]], errors="coerce")
    shown = values > 0 if theme in ("fund", "incidents") else values.notna()
    if "suppressed" in frame:
        shown |= frame["suppressed"].fillna(False).astype(bool)
    return bool(shown.any())


def _day(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def last_rounds(conn: Connection, *, tree: str) -> dict[str, dt.date | None]:
    """The dates of the latest child-friendly assessment round, of any unit
    (``last``) and of ``tree``'s units (``last_here``); None when none is
    recorded.  One statement."""
    on_tree = case((UNIT.c.tree == tree, CFA.c.round_date))
    row = read_one(
        conn,
        select(
            func.max(CFA.c.round_date).label("last"),
            func.max(on_tree).label("last_here"),
        ).select_from(CFA.join(UNIT, UNIT.c.id == CFA.c.unit_id)),
    )
    last, here = row if row is not None else (None, None)  # an aggregate: one row
    return {"last": _day(last), "last_here": _day(here)}
