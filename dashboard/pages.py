"""Page registration.  Each page's layout is a pure function in layouts/; the
wrappers here read the URL, validate it, gather what the page needs from the
database (within the request) and pass it in."""

from __future__ import annotations

from typing import Any

import dash
from dash import Dash, html
from flask import current_app

from callbacks.map_views import CATEGORIES, CHILD_LEVEL, MEASURES, TREE, type_labels
from callbacks.themes import THEMES
from dashboard.database import get_conn
from data import metrics
from data.periods import Period, today_vn
from data.units import source_label, unit_with_parent
from data.vocabulary import INCIDENT_CATEGORY_TERMS, names
from layouts import map_page, shell
from layouts.formatting import period_label
from layouts.i18n import LANGUAGES, t
from layouts.legend import CLASS_METHODS


def _lang(requested: str | None) -> str:
    return requested if requested in LANGUAGES else current_app.config["LANGUAGE"]


def _pick(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


def _label(key: str, lang: str) -> str:
    period = Period.parse(key)
    end = period.end(today_vn()) if period.ytd else None
    return period_label(period.year, lang, quarter=period.quarter, ytd_end=end)


def _place(
    conn, unit: str | None, sel: str | None, default: str
) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    """(unit whose children are shown, selected commune) from the URL, validated."""
    row = unit_with_parent(conn, tree=TREE, code=unit) if unit else None
    if row is None:
        return default, None
    if row["level"] == "commune":  # a commune in the URL: its district, selected
        return row["parent_code"], row["code"]
    if row["level"] not in CHILD_LEVEL:
        return default, None
    chosen = unit_with_parent(conn, tree=TREE, code=sel) if sel else None
    if chosen is None or chosen["parent_code"] != row["code"]:
        return row["code"], None
    return row["code"], chosen["code"]


def map_state(
    conn, info: metrics.DatasetInfo, periods: list[str], q: dict
) -> map_page.MapState:  # type: ignore[no-untyped-def]
    """The view the URL asks for; anything unknown falls back to the default."""
    default = info.provinces[0][0] if len(info.provinces) == 1 else "VN"
    unit, selected = _place(conn, q.get("unit"), q.get("sel"), default)
    years = [p for p in periods if p.isdigit()]
    category = _pick(q.get("cat"), CATEGORIES, "both")
    allowed = type_labels(category, "vi")
    types = tuple(c for c in str(q.get("types") or "").split(",") if c in allowed)
    return map_page.MapState(
        unit=unit,
        selected=selected,
        period=_pick(
            q.get("period"), tuple(periods), years[0] if years else periods[0]
        ),
        theme=_pick(q.get("theme"), THEMES, "child_friendly"),
        category=category,
        types=types,
        measure=_pick(q.get("measure"), MEASURES, "rate"),
        classes=_pick(q.get("classes"), CLASS_METHODS, "quantile"),
    )


def map_view(**query: Any) -> html.Div:
    """The map page for the view the URL describes."""
    conn = get_conn()
    lang = _lang(query.get("lang"))
    info = metrics.dataset_info(conn)
    periods = metrics.available_periods(conn)
    state = (
        map_state(conn, info, periods, query) if periods and info.provinces else None
    )
    page = map_page.PageInfo(
        lang=lang,
        title=t("app_title", lang),
        periods=[(key, _label(key, lang)) for key in periods],
        is_demo=info.is_demo,
        approximate=info.approximate_boundaries,
        units_source=source_label(),
        categories=names(INCIDENT_CATEGORY_TERMS, lang),
        types=type_labels(state.category if state else "both", lang),
    )
    return map_page.layout(state, page)


def register(app: Dash) -> None:
    dash.register_page("map", path="/", name="Bản đồ", layout=map_view)
    app.layout = shell.layout
