"""The quarterly review of one province: every figure its slides show, as the
asking user may see them.

The review is of a quarter and of the year to the quarter's reference date
(``as_of``: the quarter's last day, or today while it runs).  Each comparison is
"cùng kỳ": the same quarter, and the same part of the year, a year earlier.  The
figures come from the map's own aggregates (``data.metrics``), the ranking
(``data.ranking``) and the tables (``data.tables``), always with the user's scope:
abuse counts are perturbed ("<5" under 5: ``data.suppression``) for the roles
that see them so and abuse types are not broken down for them; commune rows
(overdue communes, communes that lost recognition) are left out for users who
may not see them (the meeting-room role sees aggregates only).  Reports overdue
are those due in the quarter and still missing now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from data import demo_marks, metrics, places, ranking, suppression, tables
from data.cells import records
from data.db import read_rows
from data.metrics.cases import DEFAULT_CATEGORIES, case_filter, top_types
from data.metrics.child_friendly import in_effect_from
from data.metrics.rollup import CFA, UNIT, commune_ancestry, target_place
from data.periods import Period, same_day_last_year, start_of_day_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, tree_for
from data.scope import FULL, Scope, commune_rows_allowed
from data.vocabulary import ABUSE_TYPES, INJURY_TYPES, TARGET_RESULT_TERMS

THEMES = ("child_friendly", "fund", "incidents", "timeliness")
RECOGNISED = ("RECOGNISED_NEW", "RECOGNISED_MAINTAINED")
ABUSE_ALL = "AB_ALL"  # every abuse type together, for users without the breakdown
ABUSE_KEY = "_abuse_key"  # the sum of the abuse cases' record keys (by type)
PERIODS = ("now", "before", "ytd", "ytd_before")  # the incident table's columns
OVERDUE_SHOWN = 8
LOST_SHOWN = 12
SCORECARD_ROWS = 2_000  # every target of a province and its districts
SLOW_PACE = 0.9  # the fund below 90 % of the straight-line pace is a point
POINTS_EACH = 2
FUNNEL_COLUMNS = (
    "code",
    "name",
    "children",
    "burden_low",
    "burden_high",
    "burden_ci_low",
    "burden_ci_high",
    "burden_partial",
    "versus",
)  # at most this many units or types per kind of point


@dataclass(frozen=True)
class Review:
    tree: str
    province: dict[str, Any]  # code, name
    level: str  # of the units mapped and ranked: districts (former districts later)
    quarter: Period
    as_of: dt.date
    data_as_of: dt.datetime | None
    demo: bool
    exact: bool  # the user sees exact abuse counts
    headline: dict[str, float | None]  # per theme, the province's key figure
    maps: dict[
        str, pd.DataFrame
    ]  # per theme: code, name, value (incidents: suppressed)
    fund: dict[
        str, Any
    ]  # the year to as_of (``fund_headline``), the quarter, last year
    incidents: pd.DataFrame  # category, type_code and PERIODS (NaN: "<5")
    timeliness: dict[str, Any]  # the province's row for the quarter
    # unit, parent, report, due_date, days_late, filed_by and abolished_on (an
    # abolished unit's report: the successor who files it, and the day the unit
    # was abolished; else None: ``data.tables.spec.ABOLISHED_ON``)
    overdue: pd.DataFrame
    overdue_total: int  # every report due in the quarter still missing (a count)
    ranking: pd.DataFrame  # rank, code, name, composite, change
    scorecard: pd.DataFrame  # indicator, code, unit, target, value, measure, met (code)
    lost: pd.DataFrame  # code, name, parent, status, round_date (communes shown)
    lost_total: int  # every commune of the province that lost recognition
    points: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # the funnel of the quarter's case rates (``data.ranking.with_uncertainty``):
    # code, name, children, burden_low/high (counts as the user sees them),
    # burden_ci_low/high, burden_partial, versus; ``overall``: the province's
    # rate, the funnel's centre
    funnel: pd.DataFrame = field(default_factory=pd.DataFrame)
    overall: dict[str, Any] = field(default_factory=dict[str, Any])
    # child-friendly rounds: the latest held (any tree, and on this tree) and
    # the next due under QĐ 06, to say why a map has no recognition figures
    cf_rounds: dict[str, Any] = field(default_factory=dict[str, Any])


def _first(frame: pd.DataFrame) -> dict[str, Any]:
    if frame.empty:
        return {}
    row = frame.iloc[0]
    # the row's labels are the frame's column names: text
    return cast(
        "dict[str, Any]", {k: (None if pd.isna(v) else v) for k, v in row.items()}
    )


def _now(today: dt.date) -> dt.datetime:
    """Reports are judged as of the start of ``today`` in Viet Nam (as the map)."""
    return start_of_day_vn(today)


def _province(conn: Connection, tree: str, code: str) -> dict[str, Any]:
    place = places.place(conn, tree=tree, code=code)
    if place is None or place["level"] != "province":
        raise ValueError(f"no province {code!r} in the {tree} tree")
    return place


def _maps(
    conn: Connection, args: ranking.Units, quarter: Period, today: dt.date
) -> dict[str, pd.DataFrame]:
    """Per theme the value of each unit: recognised share at the quarter's end,
    fund % of the year's target to the quarter's end (millions of đồng raised
    when no unit has a target: ``attrs["amount"]``), cases per 100,000 children
    in the quarter, reports on time in the quarter."""
    as_of = quarter.as_of(today)
    ytd = Period(quarter.year, ytd=True)
    cf = metrics.child_friendly_share(conn, **args, period=quarter, today=today)
    fund = metrics.fund_progress(conn, **args, period=ytd, today=as_of)
    cases = metrics.incidents(conn, **args, period=quarter, today=today)
    reports = metrics.timeliness(conn, **args, period=quarter, now=_now(today))
    pick = {
        "child_friendly": (cf, "share"),
        "fund": (fund, "pct"),
        "incidents": (cases, "rate"),
        "timeliness": (reports, "on_time_share"),
    }
    maps = {
        theme: frame[["code", "name"]].assign(value=frame[column].astype("float64"))
        for theme, (frame, column) in pick.items()
    }
    if maps["fund"]["value"].isna().all():  # no unit has a target: the amounts
        millions = fund["total"].astype("float64") / 1e6
        maps["fund"] = maps["fund"].assign(value=millions.where(millions > 0))
        maps["fund"].attrs["amount"] = True
    # a rate whose abuse part is "<5" is only a lower bound: the slide's map has
    # no hover to say "≥", so it shows those units in the "<5" class
    hidden = cases["suppressed"].astype(bool) | cases["partial"].astype(bool)
    maps["incidents"]["suppressed"] = hidden.to_numpy()
    # ... and carries no rate for them: no number beside a count shown as "<5"
    maps["incidents"].loc[hidden.to_numpy(), "value"] = float("nan")
    return maps


def _headline(
    conn: Connection, one: dict[str, Any], quarter: Period, today: dt.date, code: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The province's key figure per theme, its fund, its timeliness row."""
    as_of = quarter.as_of(today)
    ytd = Period(quarter.year, ytd=True)
    cf = _first(metrics.child_friendly_share(conn, **one, period=quarter, today=today))
    fund = metrics.fund_headline(
        conn,
        tree=one["tree"],
        unit_code=code,
        year=quarter.year,
        today=as_of,
        scope=one["scope"],
    )
    of_quarter = _first(metrics.fund_progress(conn, **one, period=quarter, today=today))
    last_year = _first(
        metrics.fund_progress(
            conn, **one, period=ytd.same_period_last_year(), today=as_of
        )
    )
    cases = _first(metrics.incidents(conn, **one, period=quarter, today=today))
    reports = _first(metrics.timeliness(conn, **one, period=quarter, now=_now(today)))
    target = fund["target"]
    headline = {
        "child_friendly": cf.get("share"),
        "fund": None if not target else 100 * fund["total"] / target,
        "incidents": cases.get("count"),
        "timeliness": reports.get("on_time_share"),
        # the count is a lower bound: its abuse part shows "<5"
        "incidents_partial": bool(cases.get("partial")),
    }
    fund = {
        **fund,
        "quarter_total": int(of_quarter.get("total") or 0),
        "last_year_total": int(last_year.get("total") or 0),
    }
    return headline, fund, reports


def _by_type(
    conn: Connection, tree: str, code: str, period: Period, today: dt.date
) -> pd.Series:
    """Exact cases per type code of the province in ``period`` and, as
    ``ABUSE_KEY``, the sum of the abuse cases' record keys (``data.suppression``)."""
    targets = target_place(conn, tree, code, period.as_of(today))
    cases = case_filter(period, today, DEFAULT_CATEGORIES, None)
    frame = top_types(conn, targets, cases, limit=len(ABUSE_TYPES + INJURY_TYPES))
    counts = frame.set_index("type_code")["count"].astype("float64")
    abuse = frame["category"] == "abuse"
    counts[ABUSE_KEY] = float(frame.loc[abuse, "key"].sum())
    return counts


def incident_table(
    conn: Connection,
    tree: str,
    code: str,
    quarter: Period,
    today: dt.date,
    scope: Scope,
) -> pd.DataFrame:
    """Cases per type: the quarter (``now``), the same quarter last year
    (``before``), the year to the quarter's end and the same part of last year.
    While the quarter runs, ``before`` is the same days of last year's quarter
    (1 October to 2 December against 1 October to 2 December), never the whole.

    Types with no case in any of the four are left out.  For users who do not see
    exact abuse counts the abuse types are one row (``ABUSE_ALL``), each figure
    as ``data.suppression`` shows it (NaN: "<5")."""
    as_of = quarter.as_of(today)
    ytd = Period(quarter.year, ytd=True)
    earlier = quarter.same_period_last_year()
    spans = {
        "now": (quarter, today),
        "before": (earlier, quarter.comparison_today(earlier, today)),
        "ytd": (ytd, as_of),
        "ytd_before": (ytd.same_period_last_year(), as_of),
    }
    counts = pd.DataFrame(
        {name: _by_type(conn, tree, code, *span) for name, span in spans.items()}
    )
    keys = counts.loc[ABUSE_KEY] if ABUSE_KEY in counts.index else None
    counts = counts.reindex(list(ABUSE_TYPES + INJURY_TYPES)).fillna(0)
    counts = counts.astype("float64")
    if not scope.exact:
        abuse = counts.loc[list(ABUSE_TYPES)].sum()
        # cells of the frames of counts and of key sums: numbers
        shown = [
            suppression.shown_count(
                cast(float, abuse[name]), 0 if keys is None else cast(float, keys[name])
            )
            for name in counts.columns
        ]
        abuse_row = pd.DataFrame(
            [shown], index=[ABUSE_ALL], columns=counts.columns, dtype="float64"
        )
        counts = pd.concat([abuse_row, counts.loc[list(INJURY_TYPES)]])
    counts = counts[counts.fillna(1).sum(axis=1) > 0]  # "<5" rows stay
    category = ["injury" if c in INJURY_TYPES else "abuse" for c in counts.index]
    out = counts.reset_index(names="type_code")
    out.insert(0, "category", category)
    return out[["category", "type_code", *PERIODS]]


def _table_rows(
    conn: Connection,
    table: str,
    filters: tables.Filters,
    scope: Scope,
    limit: int,
    today: dt.date,
    lang: str,
    sort: list[tuple[str, bool]] | None = None,
) -> pd.DataFrame:
    """The first ``limit`` rows of a table of the tables page, as ``scope`` may
    see them (the same rows its grid and exports give)."""
    checked = tables.check_filters(table, filters, scope)
    rows, _total = tables.page(
        conn,
        table,
        checked,
        scope,
        0,
        limit,
        lang=lang,
        sort_model=sort,
        now=_now(today),
    )
    return rows.reset_index(drop=True)


def lost_recognition(
    conn: Connection, tree: str, province_id: int, as_of: dt.date, scope: Scope
) -> tuple[pd.DataFrame, int]:
    """Communes of the province whose latest round in effect on ``as_of`` (a
    decision counts from its date), held in the year to ``as_of``, did
    not recognise them while the round before did: those ``scope`` may see
    (code, name, parent, status, round_date) and how many there are in all."""
    ranked_rounds = select(
        CFA.c.unit_id,
        CFA.c.status,
        CFA.c.round_date,
        func.row_number()
        .over(partition_by=CFA.c.unit_id, order_by=CFA.c.round_date.desc())
        .label("n"),
    ).where(CFA.c.round_date <= as_of, in_effect_from(CFA) <= as_of)
    rounds = ranked_rounds.subquery("rounds")
    latest, before = rounds.alias("latest"), rounds.alias("before")
    ancestry = commune_ancestry(tree, as_of)
    commune, parent = UNIT.alias("commune"), UNIT.alias("parent")
    stmt = (
        select(
            commune.c.code,
            commune.c.name,
            parent.c.name.label("parent"),
            latest.c.status,
            latest.c.round_date,
        )
        .select_from(
            ancestry.join(commune, commune.c.id == ancestry.c.commune)
            .join(parent, parent.c.id == commune.c.parent_id)
            .join(latest, and_(latest.c.unit_id == commune.c.id, latest.c.n == 1))
            .join(before, and_(before.c.unit_id == commune.c.id, before.c.n == 2))
        )
        .where(
            ancestry.c.province == province_id,
            latest.c.round_date > same_day_last_year(as_of),
            latest.c.status.not_in(RECOGNISED),
            before.c.status.in_(RECOGNISED),
        )
        .order_by(latest.c.round_date.desc(), commune.c.code)
    )
    every = pd.DataFrame([r._mapping for r in read_rows(conn, stmt)])
    if every.empty:
        return pd.DataFrame(
            columns=["code", "name", "parent", "status", "round_date"]
        ), 0
    allowed = commune_rows_allowed(scope, commune.c.id, commune.c.level)
    shown = every
    if allowed is not None:
        visible = [r._mapping for r in read_rows(conn, stmt.where(allowed))]
        shown = pd.DataFrame(visible, columns=every.columns)
    return shown.head(LOST_SHOWN).reset_index(drop=True), len(every)


def direction_points(r: Review) -> list[tuple[str, dict[str, Any]]]:
    """What needs the meeting's direction, from the figures: the largest
    increases of cases against the same quarter last year, the units that fell
    most in the ranking, the lowest on-time reporting, the fund behind pace, the
    communes that lost recognition, the plan targets not met."""
    points: list[tuple[str, dict[str, Any]]] = []
    rising = r.incidents.assign(rise=r.incidents["now"] - r.incidents["before"])
    rising = rising[rising["rise"] > 0].sort_values("rise", ascending=False)
    for row in records(rising.head(POINTS_EACH)):
        points.append(("point_cases_up", row))
    fell = r.ranking[r.ranking["change"].fillna(0) < 0].sort_values("change")
    for row in records(fell.head(POINTS_EACH)):
        points.append(("point_rank_down", row))
    slow = r.maps["timeliness"].dropna(subset=["value"])
    slow = slow[slow["value"] < 100].sort_values("value")
    for row in records(slow.head(POINTS_EACH)):
        points.append(("point_late_reports", row))
    if r.overdue_total:
        points.append(("point_overdue", {"count": r.overdue_total}))
    pace = r.fund.get("pace")
    if pace is not None and pace < SLOW_PACE:
        points.append(("point_fund_slow", r.fund))
    if r.lost_total:
        names = r.lost["name"].tolist()
        points.append(("point_lost_cf", {"count": r.lost_total, "names": names}))
    missed = r.scorecard[r.scorecard["met"] == "not_met"]
    if len(missed):
        points.append(("point_targets_missed", {"count": len(missed)}))
    return points


def review(
    conn: Connection,
    *,
    province: str,
    quarter: Period,
    today: dt.date,
    scope: Scope = FULL,
    lang: str = "vi",
) -> Review:
    """The review of ``quarter`` for the province ``province`` (a code of the tree
    the quarter is shown on), as ``scope`` may see it; ValueError for a period that
    is not a quarter or an unknown province."""
    if not quarter.quarter:
        raise ValueError(f"not a quarter: {quarter.key}")
    tree = tree_for(quarter, today)
    place = _province(conn, tree, province)
    level = "district" if tree == LEGACY_TREE else FORMER_DISTRICT
    as_of = quarter.as_of(today)
    parent = place["parent_code"]
    one = {
        "tree": tree,
        "level": "province",
        "parent_code": parent,
        "only": province,
        "scope": scope,
    }
    under: ranking.Units = {
        "tree": tree,
        "level": level,
        "parent_code": province,
        "scope": scope,
    }
    headline, fund, reports = _headline(conn, one, quarter, today, province)
    # the list holds the rows the user may see; the count is an aggregate (the
    # province's timeliness row), the same for every role
    missing = tables.Filters(tree=tree, unit=province, period=quarter, status="missing")
    overdue = _table_rows(
        conn,
        "reports",
        missing,
        scope,
        OVERDUE_SHOWN,
        today,
        lang,
        sort=[("days_late", False)],
    )[
        [
            "unit",
            "parent",
            "report",
            "due_date",
            "days_late",
            "filed_by",
            tables.ABOLISHED_ON,
        ]
    ]
    targets = tables.Filters(tree=tree, unit=province, period=Period(quarter.year))
    scorecard = _table_rows(
        conn, "scorecard", targets, scope, SCORECARD_ROWS, today, lang
    )[["indicator", "code", "unit", "target", "value", "measure", "met"]]
    # the result as its code (the table gives it in words)
    result_code = {getattr(term, lang): term.code for term in TARGET_RESULT_TERMS}
    scorecard["met"] = scorecard["met"].map(result_code)
    lost, lost_total = lost_recognition(conn, tree, place["id"], as_of, scope)
    ranked = ranking.ranked(conn, **under, period=quarter, today=today)
    result = Review(
        tree=tree,
        province={"code": province, "name": place["name"]},
        level=level,
        quarter=quarter,
        as_of=as_of,
        data_as_of=metrics.data_as_of(conn),
        demo=demo_marks.in_view(conn, tree, province),
        exact=scope.exact,
        headline=headline,
        maps=_maps(conn, under, quarter, today),
        fund=fund,
        incidents=incident_table(conn, tree, province, quarter, today, scope),
        timeliness=reports,
        overdue=overdue,
        overdue_total=int(reports.get("missing") or 0),
        ranking=ranked[
            ["rank", "code", "name", "composite", "change", "rank_low", "rank_high"]
        ],
        funnel=ranked[list(FUNNEL_COLUMNS)],
        overall=dict(ranked.attrs.get("overall") or {}),
        scorecard=scorecard,
        lost=lost,
        lost_total=lost_total,
        cf_rounds={
            **metrics.last_rounds(conn, tree=tree),
            "next": metrics.next_round(as_of),
        },
    )
    return Review(**{**result.__dict__, "points": direction_points(result)})
