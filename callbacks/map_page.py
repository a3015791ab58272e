"""Callbacks of the map page: recolour, drill down and up, detail, URL."""

from __future__ import annotations

from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    ctx,
    get_relative_path,
    no_update,
)
from dash.exceptions import PreventUpdate

from callbacks import map_views
from callbacks import status as status_callbacks
from callbacks.context import asking, sees_exact
from callbacks.inputs import type_labels, unit, view_tree
from callbacks.map_geometry import geojson_index
from callbacks.registry import Declared, declare, declare_clientside
from callbacks.themes import VIEWS
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import figures, glossary, ids, map_page, map_panels
from layouts.formatting import display_names
from layouts.i18n import language, t

_declared: list[Declared] = []


# What the values depend on beyond the data: these inputs change how the values are
# drawn (colours, hover text), the others only change the values.
RESTYLE = {ids.VIEW, ids.MAP_SIZE, ids.THEME, ids.MEASURE}
REGEOMETRY = {ids.VIEW, ids.MAP_SIZE}
# Everything the URL carries, in the order both the map and the URL callbacks take.
VIEW_INPUTS = (
    Input(ids.VIEW, "data"),
    Input(ids.SELECTED, "data"),
    Input(ids.THEME, "value"),
    Input(ids.PERIOD, "value"),
    Input(ids.CATEGORY, "value"),
    Input(ids.TYPES, "value"),
    Input(ids.MEASURE, "value"),
    Input(ids.CLASSES, "value"),
)


@declare(
    _declared,
    Output(ids.MAP, "figure"),
    Output(ids.SUMMARY, "children"),
    Output(ids.BREADCRUMB, "children"),
    Output(ids.HINT, "children"),
    Output(ids.MAP_LABELS, "data"),
    *VIEW_INPUTS,
    Input(ids.MAP_SIZE, "data"),
    State(ids.LANG, "data"),
)
def update_map(
    view, selected, theme, period, category, types, measure, classes, size, lang
):
    """Recolour the map (a patch of values only), or point it at new boundaries when
    the unit changes.  The geometry itself never travels in a callback."""
    # every input that changed: a period across the reform changes the view too,
    # and Dash calls this once with both (None: the first call, draw everything)
    fired = {key.split(".")[0] for key in ctx.triggered_prop_ids} or None
    return draw(
        view,
        selected,
        theme,
        period,
        category,
        types,
        measure,
        classes,
        size,
        lang,
        fired=fired,
    )


def draw(
    view,
    selected,
    theme,
    period,
    category,
    types,
    measure,
    classes,
    size,
    lang,
    *,
    fired: set[str] | None,
) -> tuple:
    """``update_map``'s answer when the inputs ``fired`` changed (None: the page's
    first call); also run by the cache's warming (``dashboard.warming``)."""
    q = map_views.query(view, theme, period, category, types, measure, classes, lang)
    index = geojson_index(q.tree, q.level, q.unit)
    patch = Patch()
    regeometry = fired is None or bool(fired & REGEOMETRY)
    names = display_names(index["codes"], index["names"], q.lang)
    code = (selected or {}).get("code")
    if regeometry or ids.SELECTED in (fired or ()):
        figures.outline(patch, index["codes"], code)
    if fired == {ids.SELECTED}:
        zoomed = _zoom_to(patch, index, code, size)
        crumbs = map_views.breadcrumb(q, selected, names, index["codes"])
        return zoomed, no_update, crumbs, no_update, no_update
    if regeometry:
        _geometry(patch, q, index, names, size)
    map_views.read_together(q)
    result = VIEWS[q.theme](q, index["codes"])
    figures.values_patch(
        patch,
        classes=result.classes,
        custom=result.custom,
        legend=result.legend,
        restyle=fired is None or bool(fired & RESTYLE),
        hovertemplate=result.hovertemplate,
        display={
            **result.display,
            "no_data": t("no_data", q.lang),
            # the legend's "?" (built in the browser: assets/map_page.js)
            "help": glossary.link_props(result.glossary, q.lang),
        },
    )
    moved = regeometry
    return (
        patch,
        map_views.summary(q),
        map_views.breadcrumb(q, selected, names, index["codes"])
        if moved
        else no_update,
        map_views.hint(q) if moved else no_update,
        _labels(index, names) if moved else no_update,
    )


def _labels(index: dict, names: list[str]) -> dict:
    """Where the units' names go on the map (a point inside each unit)."""
    points, boxes = index.get("points"), index["bboxes"]
    if not points:
        return {"codes": [], "names": [], "points": []}

    def area(code: str) -> float:
        west, south, east, north = boxes.get(code) or (0, 0, 0, 0)
        return (east - west) * (north - south)

    # the largest first: where names would overlap, the larger unit keeps its own
    order = sorted(range(len(points)), key=lambda i: -area(index["codes"][i]))
    return {
        "codes": [index["codes"][i] for i in order],
        "names": [names[i] for i in order],
        "points": [points[i] for i in order],
    }


def _geometry(patch, q, index, names, size) -> None:
    width, height = size or (800, 560)
    center, zoom = fit_view(index["bbox"] or VIETNAM_BOUNDS, width, height)
    url = get_relative_path(f"/geo/{q.tree}/{q.level}/{q.unit}.json")
    figures.geometry_patch(
        patch,
        geojson_url=f"{url}?v={index['version']}",
        codes=index["codes"],
        names=names,
        no_data_hover=t("hover_no_data", q.lang),
        center=center,
        zoom=zoom,
        notes=_edge_notes(index, q.lang),
    )


def _edge_notes(index: dict, lang: str) -> list[str]:
    """The hover line of units whose edge was estimated (geo/derive.py), else ""."""
    estimated = set(index.get("edge_approximate", ()))
    note = t("hover_edge_approximate", lang)
    return [note if code in estimated else "" for code in index["codes"]]


# A selected unit takes this share of the map, its neighbours around it.
SELECTED_SHARE = 0.3


def _zoom_to(patch, index, code, size):
    """Fit the view to one unit with its neighbours around it (never further out
    than the whole level), or back to the whole level."""
    box = index["bbox"] or VIETNAM_BOUNDS
    chosen = index["bboxes"].get(code)
    width, height = size or (800, 560)
    center, zoom = fit_view(box, width, height, padding=0.9)
    if chosen:
        center, close = fit_view(chosen, width, height, padding=SELECTED_SHARE)
        zoom = max(zoom, close)
    patch["layout"]["map"]["center"] = center
    patch["layout"]["map"]["zoom"] = zoom
    return patch


@declare(
    _declared,
    Output(ids.VIEW, "data"),
    Output(ids.SELECTED, "data"),
    Output(ids.GROUPS, "value"),
    Input(ids.MAP, "clickData"),
    Input({"type": ids.CRUMB, "unit": ALL}, "n_clicks"),
    Input(ids.DETAIL_CLOSE, "n_clicks"),
    Input(ids.PERIOD, "value"),
    Input(ids.GROUPS, "value"),
    State(ids.VIEW, "data"),
    State(ids.SELECTED, "data"),
    prevent_initial_call=True,
)
def navigate(click, crumbs, close, period, groups, view, selected):
    """Click a district to see its communes, a commune to open its details;
    a breadcrumb item goes back up; a period across 1 July 2025 moves the view to
    the same area on the other tree; the switch groups communes by former district.
    The only writer of the view."""
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == ids.CRUMB:
        if not any(crumbs):
            raise PreventUpdate
        return {**(view or {}), "unit": trigger["unit"]}, {"code": None}, no_update
    if trigger == ids.DETAIL_CLOSE:
        return no_update, {"code": None}, no_update
    if trigger == ids.PERIOD:
        moved, chosen = map_views.follow(view, selected, period)
        return moved, chosen, moved["groups"]
    if trigger == ids.GROUPS:
        return map_views.with_groups(view, bool(groups)), {"code": None}, no_update
    code = map_views.clicked_code(click)
    if code is None:
        raise PreventUpdate
    moved, chosen = map_views.drill(view, code)
    return (no_update if moved == view else moved), chosen, no_update


@declare(
    _declared,
    Output(ids.DETAIL, "children"),
    Output(ids.DETAIL_BOX, "style"),
    Input(ids.SELECTED, "data"),
    Input(ids.PERIOD, "value"),
    State(ids.VIEW, "data"),
    State(ids.LANG, "data"),
)
def show_detail(selected, period, view, lang):
    """The detail panel of the selected commune (empty when none is selected)."""
    code = (selected or {}).get("code")
    if not code:
        return None, {"display": "none"}
    return map_views.detail(code, view, period, lang), {}


@declare(
    _declared,
    Output(ids.DEMO_NOTE, "children"),
    Input(ids.VIEW, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def demo_note(view, lang):
    """The "demo data" note, for a view whose province still holds demo data."""
    return map_page.demo_note(map_views.shows_demo(view), language(lang))


@declare(
    _declared,
    Output(ids.REFORM_NOTES, "children"),
    Output(ids.GROUPS_BOX, "style"),
    Input(ids.VIEW, "data"),
    Input(ids.PERIOD, "value"),
    Input(ids.THEME, "value"),
    State(ids.LANG, "data"),
)
def view_notes(view, period, theme, lang):
    """Notes on the user's area and the July-2025 reform for this view; the
    grouping switch shows on the new tree only."""
    notes = map_views.view_notes(view, period, theme, lang)
    can_group = (view or {}).get("tree") == map_views.NEW_TREE
    return (
        map_panels.view_notes(notes),
        {} if can_group else {"display": "none"},
    )


@declare(
    _declared,
    Output(ids.FRESHNESS, "children"),
    Input(ids.VIEW, "data"),
    Input(ids.PERIOD, "value"),
    State(ids.LANG, "data"),
)
def reporting_status(view, period, lang):
    """The banner over the map: when the figures were last written, the reports
    of the period shown missing and awaiting sign-off in the place shown (as the
    user may see them), a link to the list."""
    scope = asking()
    parsed, tree = view_tree(view, period)
    shown = unit((view or {}).get("unit", ""), tree)
    return status_callbacks.banner(scope, tree, shown["code"], parsed, language(lang))


@declare(
    _declared,
    Output(ids.INCIDENT_CONTROLS, "style"),
    Output(ids.TYPES, "options"),
    Output(ids.TYPES, "value"),
    Input(ids.THEME, "value"),
    Input(ids.CATEGORY, "value"),
    State(ids.TYPES, "value"),
    State(ids.LANG, "data"),
)
def incident_controls(theme, category, chosen, lang):
    """Incident filters show only for that theme; types follow the category."""
    style = {} if theme == "incidents" else {"display": "none"}
    labels = type_labels(category, lang, sees_exact())
    kept = [c for c in (chosen or []) if c in labels]
    return style, [{"label": v, "value": k} for k, v in labels.items()], kept


# The browser's part of the page: dashboard/assets/map_page.js.
# The map's pixel size, for fitting the view, from the window's.
declare_clientside(
    _declared,
    ClientsideFunction("map", "size"),
    Output(ids.MAP_SIZE, "data"),
    Input(ids.LANG, "data"),
)

# The URL always says what the page shows (replaceState, no navigation); the
# link to the other language follows it.
declare_clientside(
    _declared,
    ClientsideFunction("map", "address"),
    Output(ids.LANG_LINK, "href"),
    *VIEW_INPUTS,
    State(ids.LANG, "data"),
)

# The ranking is built in the browser from the values the map already holds.
declare_clientside(
    _declared,
    ClientsideFunction("map", "ranking"),
    Output(ids.RANKING, "children"),
    Input(ids.MAP, "figure"),
    State(ids.LANG, "data"),
)

# The legend under the map, from the colour bar the figure carries.
declare_clientside(
    _declared,
    ClientsideFunction("map", "legend"),
    Output(ids.MAP_LEGEND, "children"),
    Input(ids.MAP, "figure"),
)

# Unit names over the map: HTML labels that follow the map (assets/map_labels.js).
# MapLibre text needs glyph files from the internet; these need nothing.
declare_clientside(
    _declared,
    ClientsideFunction("map", "labels"),
    Output(ids.MAP_LABELS_DRAWN, "data"),
    Input(ids.MAP_LABELS, "data"),
    Input(ids.MAP_LABELS_ON, "value"),
    Input(ids.MAP, "figure"),
)

CALLBACKS = tuple(_declared)
