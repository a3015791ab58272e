"""One unit at a time: the detail panel and its trend over years.

The same SQL as the map's themes, with the targets narrowed to the one unit, so
the panel can never disagree with the map.  On the July-2025 tree that includes
the legacy figures the unit inherits, for every year of a trend (rates over the
new unit's own children), but never a legacy child-friendly recognition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import CTE, Connection, select

from data.cells import CellValue, records
from data.db import read_df, read_one
from data.metrics.batch import batched
from data.metrics.cases import (
    DEFAULT_CATEGORIES,
    CaseFilter,
    case_filter,
    shown_incident_frame,
    top_types,
)
from data.metrics.child_friendly import (
    CF_CARRIED_KEY,
    CF_CARRIED_OVER,
    share_frame,
    status_frame,
)
from data.metrics.fund import fund_frame
from data.metrics.report_timeliness import schedules_due, timeliness_frame, utc_now
from data.metrics.reported import unapproved
from data.metrics.rollup import (
    UNIT,
    period_span,
    target_unit,
    today_or_vn,
    year_children,
)
from data.periods import VN_TZ, Period, start_of_day_vn
from data.reform import NEW_TREE
from data.scope import FULL, Scope

TOP_TYPES = 5
TREND_VALUES = ["fund_total", "abuse", "injury", "incident_rate", "on_time_share"]
APPORTIONED_KEY = "apportioned"


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


def _plain(value: CellValue) -> object:
    """NaN/NA as None and numpy scalars as Python ones (JSON-ready)."""
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _record(frame: pd.DataFrame) -> dict[str, Any]:
    """The frame's only row as a plain dict, without code and name; with
    ``reported``, also ``unapproved`` (a counted report is not approved yet)."""
    row = records(frame.drop(columns=["code", "name"]))[0]
    out = {key: _plain(value) for key, value in row.items()}
    if "reported" in out:
        out["unapproved"] = bool(out["reported"]) and (
            frame["code"].iloc[0] in unapproved(frame)
        )
    return out


def _now(today: dt.date | None) -> dt.datetime:
    # with a given day, "now" is the start of that day in Viet Nam, as on the map
    if today is None:
        return utc_now(None)
    return start_of_day_vn(today)


def _child_friendly(
    conn: Connection, level: str, targets: CTE, as_of: dt.date
) -> dict[str, Any]:
    frame = (status_frame if level == "commune" else share_frame)(conn, targets, as_of)
    out = _record(frame)
    if CF_CARRIED_KEY in frame.attrs:  # the July-2025 tree: say it is not carried
        out[CF_CARRIED_KEY] = frame.attrs[CF_CARRIED_KEY]
    return out


def _cases(
    conn: Connection, targets: CTE, cases: CaseFilter, scope: Scope
) -> pd.DataFrame:
    """The incident row as ``scope`` may see it (``data.suppression``)."""
    return shown_incident_frame(conn, targets, cases, scope, DEFAULT_CATEGORIES)


def _incidents(
    conn: Connection, targets: CTE, period: Period, today: dt.date | None, scope: Scope
) -> dict[str, Any]:
    cases = case_filter(period, today, DEFAULT_CATEGORIES, None)
    out = _record(_cases(conn, targets, cases, scope))
    if not scope.exact:  # no abuse breakdown: injury types only
        cases = case_filter(period, today, ("injury",), None)
    # the key sums stay on the server: with them the noise could be undone
    types = top_types(conn, targets, cases, TOP_TYPES).drop(columns=["key"])
    out["top_types"] = [
        {k: _plain(v) for k, v in row.items()} for row in types.to_dict("records")
    ]
    return out


def _timeliness(
    conn: Connection, targets: CTE, period: Period, today: dt.date | None
) -> dict[str, Any]:
    now = _now(today)
    schedules = schedules_due(period.start, period.end(now.astimezone(VN_TZ).date()))
    return _record(timeliness_frame(conn, targets, schedules, now))


def unit_detail(
    conn: Connection,
    *,
    tree: str,
    code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> dict[str, Any] | None:
    """Everything the detail panel shows for one unit (None when it is unknown).

    Keys: the unit's identity (``children``: the period's year's figure),
    ``child_friendly`` (a commune's status row, else the share row), ``fund``,
    ``incidents`` (with ``top_types``), ``timeliness``.
    """
    targets = target_unit(tree, code, scope)
    children, source = year_children(targets, period.year)
    u, parent = UNIT.alias("u"), UNIT.alias("parent")
    unit = read_one(  # no row: unknown, or a commune outside the user's area
        conn,
        select(
            *(u.c[k] for k in ("code", "name", "short_name", "kind", "level")),
            parent.c.code.label("parent_code"),
            parent.c.name.label("parent_name"),
            children,  # the period's year's (``year_children``)
        ).select_from(
            source.join(u, u.c.id == targets.c.id).outerjoin(
                parent, parent.c.id == u.c.parent_id
            )
        ),
    )
    if unit is None:
        return None
    _start, as_of = period_span(period, today)
    return {
        **unit._mapping,
        "period": period.key,
        "as_of": as_of,
        "child_friendly": _child_friendly(conn, unit.level, targets, as_of),
        "fund": _record(fund_frame(conn, targets, period, today)),
        "incidents": _incidents(conn, targets, period, today, scope),
        "timeliness": _timeliness(conn, targets, period, today),
    }


def _trend_calls(
    conn: Connection,
    level: str,
    tree: str,
    code: str,
    year: int,
    today: dt.date,
    scope: Scope,
) -> list[Callable[[], dict[str, Any]]]:
    """One year's figures of the trend, a computation per theme (each builds its
    own targets: ``batch`` asks every year's statement of a theme as one)."""
    period = Period(year)
    _start, as_of = period_span(period, today)
    every_case = case_filter(period, today, DEFAULT_CATEGORIES, None)

    def targets() -> CTE:
        return target_unit(tree, code, scope)

    return [
        lambda: _child_friendly(conn, level, targets(), as_of),
        lambda: _record(_cases(conn, targets(), every_case, scope)),
        lambda: _record(fund_frame(conn, targets(), period, today)),
        lambda: _timeliness(conn, targets(), period, today),
    ]


def _trend_row(
    level: str, year: int, parts: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    cf, cases, fund, timeliness = parts
    return {
        "year": year,
        **({"cf_status": cf["status"]} if level == "commune" else {}),
        **({"cf_share": cf["share"]} if level != "commune" else {}),
        "fund_total": fund["total"],
        "abuse": cases["abuse"],
        "injury": cases["injury"],
        # a lower bound (abuse part "<5") is no point of a trend line
        "incident_rate": None if cases.get("partial") else cases["rate"],
        "on_time_share": timeliness["on_time_share"],
        "apportioned": bool(cases.get("apportioned")),
    }


def unit_trend(
    conn: Connection,
    *,
    tree: str,
    code: str,
    years: Iterable[int],
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """One row per year: child-friendly, fund total, incidents, timeliness.

    On the July-2025 tree every year is re-aggregated onto the new unit through
    the crosswalk (the same roll-up as the map), each rate over the children of
    the units its cases come from (``data.metrics.cases``); ``cf_status`` /
    ``cf_share`` stay None before its first own round, and
    ``frame.attrs["cf_carried_over"]`` is False.  ``frame.attrs["apportioned"]``:
    some year includes a divided commune's area share.
    """
    targets, today = target_unit(tree, code, scope), today_or_vn(today)
    found = read_one(
        conn,
        select(UNIT.c.level, targets.c.id)
        .select_from(UNIT.outerjoin(targets, targets.c.id == UNIT.c.id))
        .where(UNIT.c.tree == tree, UNIT.c.code == code),
    )
    if found is None:
        raise ValueError(f"no unit {code!r} in tree {tree!r}")
    if found.id is None:
        raise PermissionError(f"unit {code!r} is outside the user's area")
    level, years = found.level, sorted(int(y) for y in years)
    calls = [
        call
        for year in years
        for call in _trend_calls(conn, level, tree, code, year, today, scope)
    ]
    parts = batched(conn, calls)
    rows = [
        _trend_row(level, year, parts[4 * n : 4 * n + 4])
        for n, year in enumerate(years)
    ]
    cf = "cf_status" if level == "commune" else "cf_share"
    frame = pd.DataFrame(rows, columns=["year", cf, *TREND_VALUES])
    if tree == NEW_TREE:
        frame.attrs[CF_CARRIED_KEY] = CF_CARRIED_OVER
    # a year whose cases and children include a divided commune's area share
    frame.attrs[APPORTIONED_KEY] = any(row["apportioned"] for row in rows)
    return frame
