"""What the map callbacks show, assembled from data/ aggregates and layouts/ panels.

Every browser input is validated here: a crafted request with an unknown unit,
theme or period changes nothing (PreventUpdate) instead of reaching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dash.exceptions import PreventUpdate
from sqlalchemy import Connection

from callbacks.detail import panel
from callbacks.themes import (
    THEMES,
    Query,
    incident_args,
    timeliness_args,
)
from dashboard.aggregates import cached
from dashboard.database import get_conn
from data import metrics
from data.periods import Period, today_vn
from data.units import ancestors, unit_with_parent
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    ABUSE_TYPES,
    INJURY_TYPE_TERMS,
    INJURY_TYPES,
    names,
)
from layouts import map_panels
from layouts.i18n import LANGUAGES, t
from layouts.legend import CLASS_METHODS

TREE = "legacy"
CHILD_LEVEL = {"country": "province", "province": "district", "district": "commune"}
CATEGORIES = ("both", "abuse", "injury")
MEASURES = ("rate", "count")


def conn() -> Connection:
    return get_conn()


def unit(code: str) -> dict:
    """The unit ``code`` with its parent's code (PreventUpdate when unknown)."""
    row = unit_with_parent(conn(), tree=TREE, code=str(code))
    if row is None:
        raise PreventUpdate
    return row


def type_labels(category: str, lang: str) -> dict[str, str]:
    terms = {"abuse": ABUSE_TYPE_TERMS, "injury": INJURY_TYPE_TERMS}.get(
        category, ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS
    )
    return names(terms, lang)


def query(view, theme, period, category, types, measure, classes, lang) -> Query:  # type: ignore[no-untyped-def]
    """A validated Query from the page's inputs."""
    shown = unit((view or {}).get("unit", ""))
    if shown["level"] not in CHILD_LEVEL or theme not in THEMES:
        raise PreventUpdate
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise PreventUpdate from exc
    category = category if category in CATEGORIES else "both"
    allowed = {"abuse": ABUSE_TYPES, "injury": INJURY_TYPES}.get(
        category, ABUSE_TYPES + INJURY_TYPES
    )
    return Query(
        theme=theme,
        tree=TREE,
        unit=shown["code"],
        level=CHILD_LEVEL[shown["level"]],
        period=parsed,
        today=today_vn(),
        lang=lang if lang in LANGUAGES else "vi",
        category=category,
        types=tuple(c for c in (types or ()) if c in allowed),
        measure=measure if measure in MEASURES else "rate",
        method=classes if classes in CLASS_METHODS else "quantile",
    )


def _unit_row(q: Query, func: Callable, args: dict) -> dict:  # type: ignore[type-arg]
    """The shown unit's own row of ``func`` (its row in its parent's listing,
    computed alone), or for the root the sum of its children's additive columns."""
    shown = unit(q.unit)
    if shown["parent_code"] is None:
        frame = cached(func, **args)
        return frame.drop(columns=["code", "name"]).sum(numeric_only=True).to_dict()
    own = {"level": shown["level"], "parent_code": shown["parent_code"], "only": q.unit}
    return cached(func, **{**args, **own}).iloc[0].to_dict()


def summary(q: Query) -> list:
    """The headline card of the unit whose children are on the map."""
    name = unit(q.unit)["name"]
    if q.theme == "fund":
        head = cached(
            metrics.fund_headline,
            tree=TREE,
            unit_code=q.unit,
            year=q.period.year,
            today=q.today,
        )
        return map_panels.summary_fund(name, head, q.lang)
    if q.theme == "incidents":
        row = _unit_row(q, metrics.incidents, incident_args(q))
        if row.get("children"):
            row["rate"] = 1e5 * row["count"] / row["children"]
        return map_panels.summary_incidents(name, row, q.lang, q.measure)
    if q.theme == "timeliness":
        row = _timeliness_row(q)
        return map_panels.summary_timeliness(name, row, q.lang)
    row = _unit_row(q, metrics.child_friendly_share, q.args())
    row["share"] = (
        100 * row["recognised"] / row["communes"] if row["communes"] else None
    )
    return map_panels.summary_share(name, row, q.lang)


def _timeliness_row(q: Query) -> dict:
    row = _unit_row(q, metrics.timeliness, timeliness_args(q))
    row["on_time_share"] = (
        100 * row["on_time"] / row["expected"] if row["expected"] else None
    )
    return row


def breadcrumb(
    q: Query, selected: dict | None, unit_names: Sequence[str], codes: Sequence[str]
) -> object:
    chain = [
        (u["code"], u["name"])
        for u in ancestors(conn(), tree=TREE, code=q.unit)
        if u["level"] != "country" or _many_provinces()
    ]
    code = (selected or {}).get("code")
    name = dict(zip(codes, unit_names, strict=True)).get(code) if code else None
    return map_panels.breadcrumb(chain, name)


def _many_provinces() -> bool:
    return len(cached(metrics.dataset_info).provinces) > 1


def hint(q: Query) -> str:
    return t(
        "click_hint_commune" if q.level == "commune" else "click_hint_district", q.lang
    )


def clicked_code(click: dict | None) -> str | None:
    points = (click or {}).get("points") or []
    location = points[0].get("location") if points else None
    return str(location) if location else None


def drill(view: dict, code: str) -> tuple:
    """District (or province) clicked: show its children; commune: its details."""
    clicked = unit(code)
    current = unit((view or {}).get("unit", ""))
    if clicked["parent_code"] != current["code"]:
        raise PreventUpdate  # a stale click from the previous level
    if clicked["level"] == "commune":
        return {"unit": current["code"]}, {"code": code}
    return {"unit": code}, {"code": None}


def detail(code: str, period: str, lang: str) -> object:
    shown = unit(code)
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise PreventUpdate from exc
    return panel(shown, parsed, lang if lang in LANGUAGES else "vi")
