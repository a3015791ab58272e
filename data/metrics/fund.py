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
from sqlalchemy import CTE, BigInteger, Connection, and_, case, cast, func, select
from sqlalchemy.sql import ColumnElement, Subquery
from sqlalchemy.sql.elements import Cast

from data.metrics.reported import REPORTS_FLAG, any_reports, reported, reports_in
from data.metrics.rollup import (
    UNIT,
    as_int,
    per_target,
    period_span,
    ratio,
    rollup,
    target_place,
    target_tree,
    targets_under,
    today_or_vn,
)
from data.models import FundContribution, FundTarget
from data.periods import Period
from data.reform import NEW_TREE, REFORM_DATE, inheritance
from data.scope import FULL, Scope
from data.vocabulary import FUND_KINDS

MONEY = FundContribution.__table__
TARGET = FundTarget.__table__
AMOUNTS = [*FUND_KINDS, "total"]
# transfers booked in a unit's area: from a fund outside it (counted, in the kinds
# and the total) and between funds inside it (not counted again)
TRANSFERS = ["transfer_in", "transfer_within"]


def _dong(expr: ColumnElement[Any]) -> Cast[int]:
    # PostgreSQL sums a bigint as numeric (Decimal): bring it back to whole đồng
    return cast(func.sum(expr), BigInteger)


def _fund_grouped(targets: CTE, start: dt.date, end: dt.date) -> Subquery:
    """Per target: đồng by kind and in total, transfers within its area left out
    (the module's rule), and the transfers received from outside and within."""
    r, m = rollup(targets), MONEY
    # the giving fund, when it lies in the same target's area (each unit once)
    giver = r.alias("giver")
    within = giver.c.unit_id.is_not(None)
    received = m.c.transfer_from_unit_id.is_not(None)
    amount = m.c.amount_dong

    def counted(condition: ColumnElement[bool]) -> Cast[int]:
        return _dong(case((within, 0), (condition, amount), else_=0))

    by_kind = [counted(m.c.kind == kind).label(kind) for kind in FUND_KINDS]
    return (
        select(
            r.c.target_id,
            *by_kind,
            _dong(case((within, 0), else_=amount)).label("total"),
            counted(received).label("transfer_in"),
            _dong(case((within, amount), else_=0)).label("transfer_within"),
        )
        .select_from(
            r.join(m, m.c.unit_id == r.c.unit_id).outerjoin(
                giver,
                and_(
                    giver.c.target_id == r.c.target_id,
                    giver.c.unit_id == m.c.transfer_from_unit_id,
                ),
            )
        )
        .where(m.c.contributed_on >= start, m.c.contributed_on <= end)
        .group_by(r.c.target_id)
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
