"""Child-friendly communes: each commune's status, and the share recognised above it.

A commune's status on a date is its latest assessment round in effect on that
date (DOMAIN.md section 1: under Quyết định 06/QĐ-TTg a recognition holds until
the next biennial round).  A decision (recognised, not recognised) takes effect
on the district chairman's decision date ``decided_on``, not on the round date:
between the two the commune keeps its earlier round's result and the status
frame says the new round is "assessed, awaiting decision" (``awaiting_round``).
A round still at a stage (registered, self-assessed, submitted) shows that stage
from its round date.  A decision recorded as given against its scores
(``contradicts_scores``, data.recognition) counts as decided and is flagged.  A
commune never assessed has no status: it counts in the denominator of a share
but is not "not recognised".

Recognition is NOT carried over the July-2025 reform (DOMAIN.md section 7): on
the new tree a commune's status comes only from rounds recorded on the new unit.
A share counts the communes valid on its date: before the reform the legacy
communes a new unit inherits (the history of its area, e.g. a trend's 2024), from
1 July 2025 only the new communes and their own rounds.  ``assessed`` counts the
communes with a round, and the share is NaN while that is 0 (2025-2026 until the
new communes are assessed) rather than a misleading 0 %.  ``CF_CARRIED_OVER``
states the rule for the app; new-tree frames also carry it as
``frame.attrs["cf_carried_over"]``.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any

import pandas as pd
from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Integer,
    ScalarSelect,
    and_,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.sql import FromClause, Subquery
from sqlalchemy.sql.functions import aggregate_strings

from data.metrics.rollup import (
    CFA,
    UNIT,
    as_int,
    per_target,
    ratio,
    read_listing_and_row,
    rollup,
    target_tree,
    targets_under,
    today_or_vn,
    valid_on,
)
from data.models import ChildFriendlyScore
from data.periods import Period
from data.reform import NEW_TREE
from data.scope import FULL, Scope
from data.vocabulary import CF_DECIDED, CF_RECOGNISED

SCORE = ChildFriendlyScore.__table__
# A legacy commune's recognition does not pass to the new commune it merged into.
CF_CARRIED_OVER = False
CF_CARRIED_KEY = "cf_carried_over"
# map classes: 0 not registered, 1 registered but not yet assessed (registered,
# self-assessed or submitted), 2 not recognised, 3 recognised new, 4 maintained
STATUS_CLASS = MappingProxyType(
    {
        "NOT_REGISTERED": 0,
        "REGISTERED": 1,
        "SELF_ASSESSED": 1,
        "SUBMITTED": 1,
        "NOT_RECOGNISED": 2,
        "RECOGNISED_NEW": 3,
        "RECOGNISED_MAINTAINED": 4,
    }
)


def in_effect_from(rounds: FromClause) -> ColumnElement[Any]:
    """The day a round takes effect: a decision on its decision date, a stage
    (registered, self-assessed, submitted) on its round date."""
    return case(
        (
            rounds.c.status.in_(CF_DECIDED),
            func.coalesce(rounds.c.decided_on, rounds.c.round_date),
        ),
        else_=rounds.c.round_date,
    )


def latest_id(unit_id: ColumnElement[Any], as_of: dt.date) -> ScalarSelect[Any]:
    """Id of the unit's latest round in effect on ``as_of`` (correlated, one row).

    One seek per commune on the (unit_id, round_date) unique index: ranking every
    round of the country with a window function costs more than the whole map.
    """
    rounds = CFA.alias("rounds")  # never correlated with an outer assessment table
    return (
        select(rounds.c.id)
        .where(
            rounds.c.unit_id == unit_id,
            rounds.c.round_date <= as_of,
            in_effect_from(rounds) <= as_of,
        )
        .order_by(rounds.c.round_date.desc())
        .limit(1)
        .scalar_subquery()
    )


def latest_assessment(as_of: dt.date) -> Subquery:
    """Each commune's most recent assessment round in effect on ``as_of``."""
    ranked = select(
        CFA.c.unit_id,
        CFA.c.status,
        func.row_number()
        .over(partition_by=CFA.c.unit_id, order_by=CFA.c.round_date.desc())
        .label("rn"),
    ).where(CFA.c.round_date <= as_of, in_effect_from(CFA) <= as_of)
    sq = ranked.subquery("ranked")
    return select(sq.c.unit_id, sq.c.status).where(sq.c.rn == 1).subquery("latest")


def _awaiting(targets: CTE, as_of: dt.date) -> Subquery:
    """Per target commune, its round held but not yet decided on ``as_of``."""
    return (
        select(
            targets.c.id.label("target_id"),
            func.max(CFA.c.round_date).label("awaiting_round"),
        )
        .select_from(targets.join(CFA, CFA.c.unit_id == targets.c.id))
        .where(
            CFA.c.round_date <= as_of,
            CFA.c.status.in_(CF_DECIDED),
            CFA.c.decided_on > as_of,
        )
        .group_by(targets.c.id)
        .subquery("awaiting")
    )


def reference_date(
    period: Period | None, as_of: dt.date | None, today: dt.date | None
) -> dt.date:
    """``as_of`` when given, else the period's reference date."""
    if period is not None and as_of is None:
        return period.as_of(today_or_vn(today))
    if period is None and as_of is not None:
        return as_of
    raise ValueError("pass exactly one of period= and as_of=")


def _share_grouped(targets: CTE, as_of: dt.date) -> Subquery:
    r, c, latest = rollup(targets), UNIT.alias("cf_c"), CFA.alias("latest")
    recognised = func.sum(case((latest.c.status.in_(CF_RECOGNISED), 1), else_=0))
    counts = [
        func.count(c.c.id).label("communes"),
        cast(recognised, Integer).label("recognised"),
    ]
    if target_tree(targets) == NEW_TREE:
        counts.append(func.count(latest.c.id).label("assessed"))
    return (
        select(r.c.target_id, *counts)
        .select_from(
            r.join(c, c.c.id == r.c.unit_id).outerjoin(
                latest, latest.c.id == latest_id(c.c.id, as_of)
            )
        )
        .where(c.c.level == "commune", valid_on(c, as_of))
        .group_by(r.c.target_id)
        .subquery("grouped")
    )


def share_frame(conn: Connection, targets: CTE, as_of: dt.date) -> pd.DataFrame:
    """Communes valid on ``as_of``, recognised, share (%) per target.

    On the July-2025 tree also ``assessed``; the share is NaN until one of the
    target's communes has a round of its own (nothing is carried over).
    """
    frame = per_target(conn, targets, _share_grouped(targets, as_of))
    if target_tree(targets) != NEW_TREE:
        return add_share(as_int(frame, ["communes", "recognised"]))
    frame = add_share(as_int(frame, ["communes", "recognised", "assessed"]))
    frame.attrs[CF_CARRIED_KEY] = CF_CARRIED_OVER
    return frame


def add_share(frame: pd.DataFrame) -> pd.DataFrame:
    """``share``: recognised of the communes (%), NaN without communes, and with an
    ``assessed`` column (the July-2025 tree) NaN until one of them was assessed."""
    share = ratio(frame["recognised"], frame["communes"])
    if "assessed" in frame:
        share = share.where(frame["assessed"] > 0)
    frame["share"] = share
    return frame


def child_friendly_share(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    only: str | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """Per unit of ``level`` under ``parent_code``: communes, recognised, share (%)."""
    day = reference_date(period, as_of, today)
    targets = targets_under(tree, level, parent_code, day, only, scope)
    return share_frame(conn, targets, day)


def child_friendly_share_with_unit(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    unit_level: str,
    unit_parent: str,
    period: Period | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``child_friendly_share`` of the units under ``parent_code`` and of
    ``parent_code`` itself (its row of the listing of ``unit_level`` under
    ``unit_parent``, ``only=parent_code``), read by one statement."""
    day = reference_date(period, as_of, today)
    return read_listing_and_row(
        lambda targets: share_frame(conn, targets, day),
        tree=tree,
        level=level,
        parent_code=parent_code,
        unit_level=unit_level,
        unit_parent=unit_parent,
        day=day,
        scope=scope,
    )


def _status_grouped(targets: CTE, as_of: dt.date) -> Subquery:
    latest = (
        select(CFA)
        .where(
            CFA.c.id.in_(select(latest_id(targets.c.id, as_of)).select_from(targets))
        )
        .cte("latest")
    )
    zero = (
        select(
            latest.c.id.label("assessment_id"),
            aggregate_strings(SCORE.c.criterion_code, ",").label("zero_criteria"),
        )
        .select_from(
            latest.join(
                SCORE, and_(SCORE.c.assessment_id == latest.c.id, SCORE.c.score == 0)
            )
        )
        .group_by(latest.c.id)
        .subquery("zero")
    )
    return (
        select(
            latest.c.unit_id.label("target_id"),
            *(latest.c[n] for n in ("status", "round_date", "regime")),
            *(latest.c[n] for n in ("total_score", "threshold", "decided_on")),
            latest.c.contradicts_scores,
            zero.c.zero_criteria,
        )
        .select_from(latest.outerjoin(zero, zero.c.assessment_id == latest.c.id))
        .subquery("grouped")
    )


def _sorted_codes(text: object) -> str:
    """Criterion codes in order ('' for none): string aggregates have no order."""
    codes = text.split(",") if isinstance(text, str) else []
    return ",".join(sorted(c for c in codes if c))


def status_frame(conn: Connection, targets: CTE, as_of: dt.date) -> pd.DataFrame:
    """The assessment of each target commune in effect on ``as_of`` (None: never
    assessed) and ``awaiting_round``, the date of a round held but not decided
    by then (None: none).  A commune whose first round awaits its decision has
    no status yet but the class of a round in progress (1)."""
    frame = per_target(
        conn, targets, _status_grouped(targets, as_of), _awaiting(targets, as_of)
    )
    assessed = frame["status"].notna()
    classes = frame["status"].map(STATUS_CLASS).astype(float)
    waiting = frame["awaiting_round"].notna()
    classes = classes.where(assessed | ~waiting, STATUS_CLASS["SUBMITTED"])
    frame.insert(3, "status_class", classes)
    for name in ("total_score", "threshold"):
        frame[name] = frame[name].astype("Int64")
    frame["zero_criteria"] = frame["zero_criteria"].map(_sorted_codes)
    frame["contradicts_scores"] = frame["contradicts_scores"].map(
        lambda x: None if pd.isna(x) else bool(x)
    )
    own = ("status", "round_date", "regime", "zero_criteria", "decided_on")
    for name in (*own, "contradicts_scores"):
        frame[name] = frame[name].astype(object).where(assessed, None)
    frame["awaiting_round"] = (
        frame["awaiting_round"].map(_as_date).astype(object).where(waiting, None)
    )
    if target_tree(targets) == NEW_TREE:  # the status is the new unit's own
        frame.attrs[CF_CARRIED_KEY] = CF_CARRIED_OVER
    return frame


def _as_date(value: Any) -> dt.date | None:
    """A date from a driver's date, datetime or ISO text (SQLite's max())."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def child_friendly_status(
    conn: Connection,
    *,
    tree: str,
    parent_code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """Status of each commune under district ``parent_code`` on the period's date.

    On the July-2025 tree ``parent_code`` is a new province or a former-district
    group code; a new commune without a round of its own has status None.
    """
    day = period.as_of(today_or_vn(today))
    targets = targets_under(tree, "commune", parent_code, day, scope=scope)
    return status_frame(conn, targets, day)


# QĐ 06/QĐ-TTg: rounds in November of year 2 and year 4 of each 5-year
# socio-economic plan (2021-2025: 11/2022 and 11/2024; DOMAIN.md section 1)
PLAN_START, ROUND_PLAN_YEARS, ROUND_MONTH = 2016, (2, 4), 11


def next_round(after: dt.date) -> dt.date:
    """The first day of the first QĐ 06 round month after ``after``."""
    year = after.year
    while True:
        start = dt.date(year, ROUND_MONTH, 1)
        if (year - PLAN_START) % 5 + 1 in ROUND_PLAN_YEARS and start > after:
            return start
        year += 1
