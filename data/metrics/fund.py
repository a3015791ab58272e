"""Child protection fund: đồng mobilised against the yearly target (DOMAIN.md 4).

Money is booked on the unit that raised it, at province, district or commune
level; a unit's total is its own bookings plus everything booked under it, so a
district includes its communes and a province everything in it.  Targets are
yearly: for a quarter or a year to date, ``pct`` is the share of the ANNUAL target
reached so far (the UI says so), not of a quarter of it.

Transfers between fund levels (source ``transfer``, DOMAIN.md 4: "avoid double
counting transfers between levels"): a district that hands 150 million it raised
to the province fund keeps its 150 million, and the province's booking of it is
not counted again.  The rule, per unit shown: a transfer booked in its area counts
only when the giving fund lies OUTSIDE that area (money brought into the area,
e.g. from the national fund or another province); a transfer between two funds of
the area is an internal movement, left out of the kinds and the total
(``transfer_within``).  So a province's figure never counts a district's money
twice, and the country's figure counts no transfer at all; the figures of
sibling units may then add up to more than their parent's by the transfers
between them (each sibling did receive that money).  ``transfer_in`` is the part
of the total received from outside the area.

On the July-2025 tree a unit's total includes what its legacy predecessors raised
(the roll-up, ``data.metrics.rollup``).  Its target for a year up to 2025 is its
own when one is stored, else the SUM of the targets its predecessors of the same
level had for that year (a new province: the legacy provinces that formed it);
``target_from_predecessors`` says which.  From 2026 only its own target counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import (
    CTE,
    BigInteger,
    Connection,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement, FromClause, Subquery
from sqlalchemy.sql.elements import Cast

from data.db import AnySelect
from data.metrics.months import month_start, whole_months
from data.metrics.reported import REPORTS_FLAG, any_reports, reported, reports_in
from data.metrics.rollup import (
    UNIT,
    as_int,
    per_target,
    period_span,
    ratio,
    reads_kept_sums,
    rollup,
    target_place,
    target_tree,
    targets_under,
    today_or_vn,
    tree_units,
)
from data.models import FundContribution, FundMonth, FundTarget
from data.periods import Period
from data.reform import NEW_TREE, REFORM_DATE, inheritance
from data.scope import FULL, Scope
from data.vocabulary import FUND_KINDS

MONEY = FundContribution.__table__
SUMMARY = FundMonth.__table__
TARGET = FundTarget.__table__
AMOUNTS = [*FUND_KINDS, "total"]
# transfers booked in a unit's area: from a fund outside it (counted, in the kinds
# and the total) and between funds inside it (not counted again)
TRANSFERS = ["transfer_in", "transfer_within"]


def _dong(expr: ColumnElement[Any]) -> Cast[int]:
    # PostgreSQL sums a bigint as numeric (Decimal): bring it back to whole đồng
    return cast(func.sum(expr), BigInteger)


def _booked(
    targets: CTE, name: str
) -> tuple[FromClause, dict[str, ColumnElement[Any]]]:
    """The bookings at or under each target (``rollup``), each with what it
    counts for that target (the module's rule): ``amount`` (nothing for a
    transfer between two funds of the target's area), ``transfer_in`` (received
    from a fund outside the area) and ``transfer_within`` (moved inside it)."""
    r, m = rollup(targets, name), MONEY
    # the giving fund, when it lies in the same target's area (each unit once)
    giver = r.alias(f"{name}_giver")
    within = giver.c.unit_id.is_not(None)
    received = m.c.transfer_from_unit_id.is_not(None)
    amount = m.c.amount_dong
    joined = r.join(m, m.c.unit_id == r.c.unit_id).outerjoin(
        giver,
        and_(
            giver.c.target_id == r.c.target_id,
            giver.c.unit_id == m.c.transfer_from_unit_id,
        ),
    )
    parts = {
        "target_id": r.c.target_id,
        "amount": case((within, 0), else_=amount),
        "transfer_in": case((within, 0), (received, amount), else_=0),
        "transfer_within": case((within, amount), else_=0),
    }
    return joined, parts


def _grouped_raw(
    targets: CTE, spans: list[tuple[dt.date, dt.date]], name: str = "grouped"
) -> AnySelect:
    """Per target: đồng by kind and in total, transfers within its area left out
    (the module's rule), and the transfers received from outside and within;
    from the bookings dated in ``spans``."""
    joined, parts = _booked(targets, f"{name}_rollup")
    day = MONEY.c.contributed_on
    by_kind = [
        _dong(case((MONEY.c.kind == kind, parts["amount"]), else_=0)).label(kind)
        for kind in FUND_KINDS
    ]
    return (
        select(
            parts["target_id"],
            *by_kind,
            _dong(parts["amount"]).label("total"),
            *(_dong(parts[t]).label(t) for t in TRANSFERS),
        )
        .select_from(joined)
        .where(or_(*(and_(day >= a, day <= b) for a, b in spans)))
        .group_by(parts["target_id"])
    )


def summary_rows(dialect: str, tree: str, ids: list[int] | None) -> AnySelect:
    """The kept monthly rows (``FundMonth``) of the units of ``tree`` (of
    ``ids`` when given), computed from the bookings (``data.metrics.summary``)."""
    joined, parts = _booked(tree_units(tree, ids), "fund_summary_rollup")
    month = month_start(dialect, MONEY.c.contributed_on).label("month")
    return (
        select(
            parts["target_id"].label("unit_id"),
            month,
            MONEY.c.kind,
            _dong(parts["amount"]).label("amount"),
            *(_dong(parts[t]).label(t) for t in TRANSFERS),
        )
        .select_from(joined)
        .group_by(parts["target_id"], month, MONEY.c.kind)
    )


def _summed(targets: CTE, months: tuple[dt.date, dt.date]) -> AnySelect:
    """As ``_grouped_raw`` for the whole ``months`` (first days of the first and
    the last), from the targets' own kept rows."""
    s = SUMMARY
    by_kind = [
        _dong(case((s.c.kind == kind, s.c.amount), else_=0)).label(kind)
        for kind in FUND_KINDS
    ]
    return (
        select(
            s.c.unit_id.label("target_id"),
            *by_kind,
            _dong(s.c.amount).label("total"),
            *(_dong(s.c[t]).label(t) for t in TRANSFERS),
        )
        .where(
            s.c.unit_id.in_(select(targets.c.id)),
            s.c.month >= months[0],
            s.c.month <= months[1],
        )
        .group_by(s.c.unit_id)
    )


def _fund_grouped(targets: CTE, start: dt.date, end: dt.date) -> Subquery:
    """``_grouped_raw`` for [start, end], its whole months read from the kept
    rows: the same sums.  Former-district groups, not kept there, read the
    bookings."""
    months, rest = whole_months(start, end)
    if months is None or not reads_kept_sums(targets):
        return _grouped_raw(targets, [(start, end)]).subquery("grouped")
    summed = _summed(targets, months)
    if not rest:
        return summed.subquery("grouped")
    parts = union_all(summed, _grouped_raw(targets, rest, "outside")).subquery()
    return (
        select(
            parts.c.target_id,
            *(_dong(parts.c[k]).label(k) for k in [*AMOUNTS, *TRANSFERS]),
        )
        .group_by(parts.c.target_id)
        .subquery("grouped")
    )


def _targets_of(targets: CTE, year: int) -> Subquery:
    """Each target's own fund target for ``year`` (none for most communes)."""
    return (
        select(
            TARGET.c.unit_id.label("target_id"), TARGET.c.amount_dong.label("target")
        )
        .where(TARGET.c.unit_id.in_(select(targets.c.id)), TARGET.c.year == year)
        .subquery("fund_targets")
    )


def _predecessor_targets(targets: CTE, year: int) -> Subquery:
    """Per target: the sum of the ``year`` targets of the legacy units of its own
    level it inherits (``data.reform.inheritance``); no row when they have none."""
    inherited, legacy = inheritance(), UNIT.alias("predecessor")
    return (
        select(
            targets.c.id.label("target_id"),
            _dong(TARGET.c.amount_dong).label("predecessors_target"),
        )
        .select_from(
            targets.join(inherited, inherited.c.new_unit_id == targets.c.id)
            .join(legacy, legacy.c.id == inherited.c.legacy_unit_id)
            .join(TARGET, TARGET.c.unit_id == legacy.c.id)
        )
        .where(legacy.c.level == targets.c.level, TARGET.c.year == year)
        .group_by(targets.c.id)
        .subquery("predecessor_targets")
    )


def _fill_target(frame: pd.DataFrame) -> pd.DataFrame:
    """A missing own target replaced by the predecessors' sum, and which it is."""
    inherited = (
        frame.pop("predecessors_target") if "predecessors_target" in frame else None
    )
    inherited = pd.Series(inherited, index=frame.index, dtype="Int64")
    frame["target_from_predecessors"] = frame["target"].isna() & inherited.notna()
    frame["target"] = frame["target"].fillna(inherited)
    return frame


def _last(period: Period, today: dt.date | None) -> dt.date:
    return period.end(today_or_vn(today))


def _with_reports(
    conn: Connection,
    targets: CTE,
    frame: pd.DataFrame,
    period: Period,
    today: dt.date | None,
) -> pd.DataFrame:
    """The fund figures of counted reports added (``data.metrics.reported``:
    units without bookings in the period's year), and ``reported``."""
    from_reports = reported(
        conn,
        targets,
        section="fund",
        codes=FUND_KINDS,
        records=MONEY,
        date_column="contributed_on",
        first=period.start,
        last=_last(period, today),
        any_report=any_reports(frame),
    )
    added = from_reports.by_code(FUND_KINDS)
    for kind in FUND_KINDS:
        extra = frame["code"].map(added[kind]).fillna(0).astype("int64")
        frame[kind] += extra
        frame["total"] += extra
    frame["reported"] = frame["code"].isin(from_reports.targets)
    frame.attrs["unapproved"] = from_reports.unapproved  # ``reported.UNAPPROVED``
    return frame


def fund_frame(
    conn: Connection, targets: CTE, period: Period, today: dt.date | None
) -> pd.DataFrame:
    """Cash, in kind, programme, total, the transfers (``TRANSFERS``: received
    from outside the area, counted; moved within it, not counted), target, pct
    (of the year's target) and ``reported`` (the figures include a submitted
    report's: units without bookings, ``data.metrics.reported``).

    On the July-2025 tree also ``target_from_predecessors`` (see the module).
    """
    start, end = period_span(period, today)
    new_tree = target_tree(targets) == NEW_TREE
    goals = [_targets_of(targets, period.year)]
    # the predecessors existed (and had targets) up to the reform's year only
    if new_tree and period.year <= REFORM_DATE.year:
        goals.append(_predecessor_targets(targets, period.year))
    sums = _fund_grouped(targets, start, end)
    flag = {REPORTS_FLAG: reports_in("fund", period.start, _last(period, today))}
    frame = per_target(conn, targets, sums, *goals, flags=flag)
    frame = as_int(frame, [*AMOUNTS, *TRANSFERS])
    frame = _with_reports(conn, targets, frame, period, today)
    frame["target"] = frame["target"].astype("Int64")
    if new_tree:
        frame = _fill_target(frame)
    frame["pct"] = ratio(frame["total"], frame["target"].astype("float64"))
    frame["reported"] = frame.pop("reported")  # last, after the figures
    return frame


def fund_progress(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    today: dt.date | None = None,
    only: str | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """Per unit of ``level`` under ``parent_code``: đồng by kind, total, target, pct.

    ``pct`` is always of the unit's ANNUAL target, also for a quarter or a YTD.
    """
    day = period.as_of(today_or_vn(today))
    targets = targets_under(tree, level, parent_code, day, only, scope)
    return fund_frame(conn, targets, period, today)


def year_elapsed(year: int, today: dt.date) -> float:
    """Share of ``year`` gone by the end of ``today`` (1.0 past, 0.0 future)."""
    if year != today.year:
        return float(year < today.year)
    days = 366 if calendar.isleap(year) else 365
    return ((today - dt.date(year, 1, 1)).days + 1) / days


def fund_headline(
    conn: Connection,
    *,
    tree: str,
    unit_code: str,
    year: int,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> dict[str, Any]:
    """Total, kinds, transfers, target, pace and a straight-line projection for
    one unit's year."""
    today = today_or_vn(today)
    period = Period(year)
    targets = target_place(conn, tree, unit_code, period.as_of(today), scope)
    frame = fund_frame(conn, targets, period, today)
    if frame.empty:
        raise ValueError(f"no unit {unit_code!r} in tree {tree!r}")
    row = frame.iloc[0]
    total, elapsed = int(row["total"]), year_elapsed(year, today)
    target = None if pd.isna(row["target"]) else int(row["target"])
    expected = None if target is None else round(target * elapsed)
    return {
        "total": total,
        "by_kind": {kind: int(row[kind]) for kind in FUND_KINDS},
        **{name: int(row[name]) for name in TRANSFERS},
        "target": target,
        "elapsed": elapsed,
        "expected": expected,
        "pace": total / expected if expected else None,
        "projection": round(total / elapsed) if elapsed else None,
        "as_of": period.as_of(today),
    }
