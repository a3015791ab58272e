"""The four map themes: which aggregate each reads and how its values are shown.

Each theme turns one cached aggregate from data/metrics into a ``ThemeView``: the
value per unit (aligned to the map's unit codes), its legend class, the hover data,
and the headline for the unit being looked at.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from callbacks.context import cached
from data import metrics
from data.metrics.reported import unapproved
from data.periods import Period, start_of_day_vn
from data.scope import Scope
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    CF_STATUS_TERMS,
    INCIDENT_CATEGORY_TERMS,
    INJURY_TYPE_TERMS,
    names,
)
from layouts import legend, map_panels
from layouts.formatting import (
    SUPPRESSED,
    at_least,
    number,
    period_label,
    rate_interval_text,
)
from layouts.i18n import t

THEMES = ("child_friendly", "fund", "incidents", "timeliness")
# Each theme's measures, as glossary entries (layouts.glossary, /chi-so): a view
# names the one its legend shows.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "child_friendly": ("cf_share", "cf_status"),
    "fund": ("fund_pct", "fund_amount"),
    "incidents": ("incident_rate", "incident_count"),
    "timeliness": ("on_time_share",),
}
STATUS_CLASSES = (
    "NOT_REGISTERED",
    "REGISTERED",
    "NOT_RECOGNISED",
    "RECOGNISED_NEW",
    "RECOGNISED_MAINTAINED",
)


@dataclass(frozen=True)
class Query:
    """Everything a theme needs to know about the view."""

    theme: str
    tree: str
    unit: str  # the unit whose children are on the map
    level: str  # the children's level
    period: Period
    today: dt.date
    lang: str
    scope: Scope  # who is asking: from the session, never from the browser
    category: str = "both"  # incidents: abuse | injury | both
    types: tuple[str, ...] = ()
    measure: str = "rate"  # incidents: rate | count
    method: str = "quantile"  # legend classes: equal | quantile

    def args(self, **extra: object) -> dict:
        """Keyword arguments of the data/metrics functions for this view."""
        return {
            "tree": self.tree,
            "level": self.level,
            "parent_code": self.unit,
            "period": self.period,
            "today": self.today,
            "scope": self.scope,
            **extra,
        }


@dataclass(frozen=True)
class ThemeView:
    values: list[float | None]
    classes: list[int | None]
    custom: list[list]
    hovertemplate: str
    legend: legend.Legend
    # how the ranking beside the map prints a value: {"decimals", "suffix"} or
    # {"label": True} when customdata[0] is already the text to show
    display: dict
    glossary: str  # the measure's glossary entry (one of GLOSSARY[theme])


def _aligned(frame: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """``frame`` re-ordered to the map's codes; units missing from it get NaN."""
    return frame.set_index("code").reindex(list(codes))


def _custom(frame: pd.DataFrame | Rows, columns: Sequence[str]) -> list[list]:
    """Hover data rows (of a frame's columns, or of ``Rows``); NaN, NA and NaT
    become None (JSON null).  Row by row in Python: for a map's few dozen units
    pandas' ``where`` over an object copy cost more than the rest of a warm map
    call."""
    if not columns:
        return [[] for _ in range(len(frame))]
    values = [_listed(frame[c]) for c in columns]
    rows = zip(*values, strict=True)
    return [[None if _missing(v) else v for v in row] for row in rows]


Rows = dict[str, list]  # columns as lists, one item per unit of the map


def _listed(column: pd.Series | list) -> list:
    return column if isinstance(column, list) else column.tolist()


def _rows(frame: pd.DataFrame, codes: Sequence[str], columns: Sequence[str]) -> Rows:
    """``_aligned`` as lists: the ``columns`` of ``frame`` (those it has) in the
    order of the map's ``codes``, None for a unit missing from it and for a
    missing value (for a few dozen units, cheaper than reindexing a frame)."""
    at = {code: i for i, code in enumerate(frame["code"].tolist())}
    where = [at.get(code) for code in codes]
    out: Rows = {}
    for name in columns:
        if name in frame:
            values = frame[name].tolist()
            out[name] = [
                None if i is None or _missing(values[i]) else values[i] for i in where
            ]
    return out


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _source(
    reported: Sequence, codes: Sequence[str], pending: frozenset[str], lang: str
) -> list[str | None]:
    """The hover's last line: that a unit's figures include a submitted report's
    (one not approved yet, its code in ``pending``: "chưa phê duyệt")."""
    lines = (t("hover_from_reports", lang), t("hover_from_unapproved", lang))
    # a unit without figures (outside the user's area) gets nothing at all
    return [
        None if _missing(r) else lines[code in pending] if r else ""
        for code, r in zip(codes, reported, strict=True)
    ]


def _flags(rows: Rows, column: str, count: int) -> list[bool]:
    """A flag column (False where missing, or when ``rows`` have none)."""
    return [bool(v) for v in rows[column]] if column in rows else [False] * count


def _values(series: pd.Series, decimals: int = 1) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), decimals) for v in series]


PERCENT = {"decimals": 1, "suffix": "%"}


def _period_label(q: Query) -> str:
    p = q.period
    ytd_end = p.end(q.today) if p.ytd else None
    return period_label(p.year, q.lang, quarter=p.quarter, ytd_end=ytd_end)


def child_friendly(q: Query, codes: Sequence[str]) -> ThemeView:
    if q.level != "commune":
        frame = _aligned(cached(metrics.child_friendly_share, **q.args()), codes)
        values = _values(frame["share"])
        classes, leg = legend.continuous(
            values,
            method=q.method,
            palette=legend.GOOD_HIGH,
            lang=q.lang,
            title=t("legend_share", q.lang, period=_period_label(q)),
        )
        return ThemeView(
            values,
            classes,
            _custom(frame.assign(share=values), ["share", "recognised", "communes"]),
            t("hover_share", q.lang),
            leg,
            PERCENT,
            "cf_share",
        )
    args = {k: v for k, v in q.args().items() if k != "level"}
    frame = _aligned(cached(metrics.child_friendly_status, **args), codes)
    labels = names(CF_STATUS_TERMS, q.lang)
    classes = [None if pd.isna(c) else int(c) for c in frame["status_class"]]
    status = [
        labels.get(s, "") if isinstance(s, str) else None for s in frame["status"]
    ]
    zero = [  # "none" only for an assessed commune; no data stays None
        (z if z else t("none", q.lang)) if s is not None else None
        for s, z in zip(status, frame["zero_criteria"].fillna(""), strict=True)
    ]
    shown = [  # flagged decisions, rounds awaiting their decision
        map_panels.cf_status_label(s, w, c, q.lang)
        for s, w, c in zip(
            status, frame["awaiting_round"], frame["contradicts_scores"], strict=True
        )
    ]
    hover = frame.assign(label=shown, zero=zero)
    leg = legend.discrete(
        [labels[s] for s in STATUS_CLASSES],
        legend.STATUS_COLOURS,
        t("legend_status", q.lang, period=_period_label(q)),
    )
    return ThemeView(
        [None if c is None else float(c) for c in classes],
        classes,
        _custom(hover, ["label", "total_score", "threshold", "zero"]),
        t("hover_status", q.lang),
        leg,
        {"label": True},
        "cf_status",
    )


def fund(q: Query, codes: Sequence[str]) -> ThemeView:
    frame = _aligned(cached(metrics.fund_progress, **q.args()), codes)
    with_target = frame["target"].notna().any()
    if with_target:
        values = _values(frame["pct"])
        key, title, display = "hover_fund_pct", "legend_fund_pct", PERCENT
        entry = "fund_pct"
    else:  # communes have no targets: show the amount, in millions
        values = _values(frame["total"] / 1e6)
        key, title = "hover_fund_amount", "legend_fund_amount"
        entry = "fund_amount"
        display = {"decimals": 1, "suffix": t("unit_million", q.lang)}
    classes, leg = legend.continuous(
        values,
        method=q.method,
        palette=legend.GOOD_HIGH,
        lang=q.lang,
        title=t(title, q.lang, period=_period_label(q)),
    )
    # the hover's last lines: the transfers (data.metrics.fund), then the source
    source = [
        None if s is None else _transfer_hover(row, q.lang) + s
        for s, row in zip(
            _frame_source(frame, q.lang), frame.to_dict("records"), strict=True
        )
    ]
    custom = _custom(
        frame.assign(value=values, source=source),
        ["value", "total", "cash", "in_kind", "programme", "source"],
    )
    return ThemeView(values, classes, custom, t(key, q.lang), leg, display, entry)


def _frame_source(frame: pd.DataFrame, lang: str) -> list[str | None]:
    """``_source`` of an aligned frame (indexed by the map's codes)."""
    reported = frame["reported"].astype(object).tolist()
    return _source(reported, list(frame.index), unapproved(frame), lang)


def _transfer_hover(row: dict, lang: str) -> str:
    """Hover lines of a unit's transfers between fund levels ("" without any)."""
    known = {k: row[k] for k in ("transfer_in", "transfer_within") if pd.notna(row[k])}
    return "".join(f"<br>{line}" for line in map_panels.transfer_lines(known, lang))


def incident_args(q: Query) -> dict:
    categories = ("abuse", "injury") if q.category == "both" else (q.category,)
    return q.args(categories=categories, types=tuple(q.types) or None)


INCIDENT_COLUMNS = (
    "count",
    "rate",
    "children",
    "suppressed",
    "partial",
    "reported",
    "apportioned",
)


def incidents(q: Query, codes: Sequence[str]) -> ThemeView:
    listing = cached(metrics.incidents, **incident_args(q))
    rows = _rows(listing, codes, INCIDENT_COLUMNS)
    what = _incident_label(q)
    hidden = _flags(rows, "suppressed", len(codes))
    partial = _flags(rows, "partial", len(codes))
    counts = _values(rows["count"], 0)
    # a suppressed count travels as "<5" (hover, ranking), never as a number; a
    # total whose abuse part is "<5" as "≥ n" (data.suppression)
    count = [
        SUPPRESSED if h else at_least(v, q.lang) if p else v
        for v, h, p in zip(counts, hidden, partial, strict=True)
    ]
    source = _incident_source(rows, codes, unapproved(listing), q.lang)
    intervals = _intervals(rows, hidden, partial, q.lang)
    if q.measure == "count":
        values = counts
        # the rate beside a count, as text: "≥ 488,4" where the count is "≥ n",
        # "–" where it is "<5" (no rate is computed from a hidden count), nothing
        # where the unit has no figure at all (e.g. outside the user's area)
        rates = [
            ("–" if h else None)
            if v is None
            else at_least(v, q.lang, 1)
            if p
            else number(v, q.lang, 1)
            for v, h, p in zip(_values(rows["rate"]), hidden, partial, strict=True)
        ]
        hover = {"value": count, "rate": rates, "source": source, "ci": intervals}
        custom = _custom(hover, ["value", "rate", "source", "ci"])
        key, title, decimals = "hover_count", "legend_count", 0
        entry = "incident_count"
    else:
        values = _values(rows["rate"])
        shown = [
            SUPPRESSED if h else at_least(v, q.lang, 1) if p else v
            for v, h, p in zip(values, hidden, partial, strict=True)
        ]
        # the hover prints the rate as text: a lower bound "≥ 488,4" is no number
        text = [
            v
            if isinstance(v, str)
            else None
            if v is None or v != v
            else number(v, q.lang, 1)
            for v in shown
        ]
        hover = {
            "value": shown,
            "count": count,
            "children": rows["children"],
            "source": source,
            "text": text,
            "ci": intervals,
        }
        custom = _custom(hover, ["value", "count", "children", "source", "text", "ci"])
        key, title, decimals = "hover_rate", "legend_rate", 1
        entry = "incident_rate"
    classes, leg = legend.continuous(
        values,
        method=q.method,
        palette=legend.BAD_HIGH,
        lang=q.lang,
        decimals=decimals,
        title=t(title, q.lang, what=what, period=_period_label(q)),
        suppressed=None if q.scope.exact else hidden,
        suppressed_label=t("legend_suppressed", q.lang),
    )
    display = {"decimals": decimals, "suffix": ""}
    return ThemeView(values, classes, custom, t(key, q.lang), leg, display, entry)


def _intervals(
    rows: Rows, hidden: list[bool], partial: list[bool], lang: str
) -> list[str | None]:
    """The hover's interval line of each unit's rate, from the counts the user
    sees ("" without one; None for a unit without figures)."""
    out: list[str | None] = []
    units = zip(rows["count"], rows["children"], hidden, partial, strict=True)
    for count, children, suppressed, part in units:
        if children is None and count is None:
            out.append(None)
            continue
        text = rate_interval_text(
            count, children, lang, suppressed=suppressed, partial=part
        )
        out.append(f"<br>{text[:1].upper()}{text[1:]}" if text else "")
    return out


def _incident_source(
    rows: Rows, codes: Sequence[str], pending: frozenset[str], lang: str
) -> list[str | None]:
    """``_source`` and, for a unit whose figures before 1 July 2025 include a
    divided former commune's area share, a line saying so."""
    note = t("hover_apportioned", lang)
    split = _flags(rows, "apportioned", len(codes))
    return [
        s if s is None or not a else s + note
        for s, a in zip(
            _source(rows["reported"], codes, pending, lang), split, strict=True
        )
    ]


def _incident_label(q: Query) -> str:
    if q.types:
        type_names = names(ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS, q.lang)
        return ", ".join(type_names[c] for c in q.types)
    if q.category == "both":
        return t("category_both", q.lang)
    return names(INCIDENT_CATEGORY_TERMS, q.lang)[q.category]


def now_of(q: Query) -> dt.datetime:
    """ "Now" at day granularity (``data.periods.start_of_day_vn``)."""
    return start_of_day_vn(q.today)


def timeliness_args(q: Query) -> dict:
    args = q.args(now=now_of(q))
    del args["today"]
    return args


def timeliness(q: Query, codes: Sequence[str]) -> ThemeView:
    frame = _aligned(cached(metrics.timeliness, **timeliness_args(q)), codes)
    values = _values(frame["on_time_share"])
    classes, leg = legend.continuous(
        values,
        method=q.method,
        palette=legend.GOOD_HIGH,
        lang=q.lang,
        title=t("legend_timeliness", q.lang, period=_period_label(q)),
    )
    custom = _custom(
        frame.assign(value=values),
        ["value", "on_time", "expected", "late", "missing", "received_share"],
    )
    return ThemeView(
        values,
        classes,
        custom,
        t("hover_timeliness", q.lang),
        leg,
        PERCENT,
        "on_time_share",
    )


VIEWS: dict[str, Callable[[Query, Sequence[str]], ThemeView]] = {
    "child_friendly": child_friendly,
    "fund": fund,
    "incidents": incidents,
    "timeliness": timeliness,
}
