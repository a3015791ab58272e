"""The map page: controls, the map, and the side panels (filled by callbacks)."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import figures, ids, map_panels
from layouts.busy import busy
from layouts.controls import input_group, options
from layouts.graph_config import graph_config
from layouts.i18n import DROPDOWN_LABELS, t
from layouts.shell import PageInfo, navbar

THEME_KEYS = {
    "child_friendly": "theme_child_friendly",
    "fund": "theme_fund",
    "incidents": "theme_incidents",
    "timeliness": "theme_timeliness",
}


@dataclass(frozen=True)
class MapState:
    """The state a URL carries (all of it validated before it gets here)."""

    unit: str
    period: str
    tree: str = "legacy"  # the tree of the period (data.reform.tree_for)
    groups: bool = False  # July-2025 tree: former-district groups under a province
    can_group: bool = False  # the tree has former-district groups (July 2025)
    theme: str = "child_friendly"
    selected: str | None = None
    category: str = "both"
    types: tuple[str, ...] = ()
    measure: str = "rate"
    classes: str = "quantile"


def layout(state: MapState | None, info: PageInfo) -> html.Div:
    """The whole page; ``state`` None means the database holds no facts yet."""
    lang = info.lang
    top = navbar(info, lang)
    if state is None:
        return html.Div(
            [top, dbc.Container(dbc.Alert(t("no_data_hint", lang), color="warning"))]
        )
    stores = [
        dcc.Store(
            id=ids.VIEW,
            data={"unit": state.unit, "tree": state.tree, "groups": state.groups},
        ),
        dcc.Store(id=ids.SELECTED, data={"code": state.selected}),
        dcc.Store(id=ids.LANG, data=lang),
        dcc.Store(id=ids.MAP_SIZE),
    ]
    body = dbc.Container(
        [
            html.Nav(
                id=ids.BREADCRUMB, className="my-2", **{"aria-label": "breadcrumb"}
            ),
            controls(state, info),
            html.Div(id=ids.REFORM_NOTES),
            dbc.Row(
                [
                    dbc.Col(map_column(lang), lg=8, className="map-column"),
                    dbc.Col(side_column(lang), lg=4, className="d-print-none"),
                ],
                className="g-3",
            ),
            # below the map: on a phone the map still starts on the first screen
            html.Div(id=ids.FRESHNESS, className="mt-2"),
            notes(info),
        ],
        fluid=True,
        className="map-body",
    )
    return html.Div([top, *stores, body])


def _radios(component_id: str, options: list[dict], value: str) -> dbc.Col:
    return dbc.Col(
        dbc.RadioItems(
            id=component_id,
            options=options,
            value=value,
            inline=True,
            className="small",
        ),
        xs=12,
        md="auto",
    )


def controls(state: MapState, info: PageInfo) -> html.Div:
    lang = info.lang
    themes = [
        {"label": t(key, lang), "value": theme} for theme, key in THEME_KEYS.items()
    ]
    periods = options(info.periods)
    first = dbc.Row(
        [
            input_group(
                t("theme", lang),
                dbc.Select(id=ids.THEME, options=themes, value=state.theme),
                "auto",
            ),
            input_group(
                t("period", lang),
                dbc.Select(id=ids.PERIOD, options=periods, value=state.period),
                "auto",
            ),
            _radios(
                ids.CLASSES,
                [
                    {"label": t("classes_quantile", lang), "value": "quantile"},
                    {"label": t("classes_equal", lang), "value": "equal"},
                ],
                state.classes,
            ),
        ],
        className="g-2 align-items-center mb-2",
    )
    return html.Div(
        [first, incident_controls(state, info), groups_control(state, lang)],
        className="map-controls d-print-none",
    )


def groups_control(state: MapState, lang: str) -> html.Div:
    """On the July-2025 tree: show a province's communes grouped by former
    district (an informal grouping, and it says so)."""
    return html.Div(
        dbc.Switch(
            id=ids.GROUPS,
            label=t("groups_switch", lang),
            value=state.groups,
            className="small mb-0",
        ),
        id=ids.GROUPS_BOX,
        className="mb-2",
        style={} if state.can_group else {"display": "none"},
    )


def incident_controls(state: MapState, info: PageInfo) -> dbc.Row:
    lang = info.lang
    categories = [{"label": t("category_both", lang), "value": "both"}]
    categories += options(info.categories.items())
    return dbc.Row(
        [
            _radios(ids.CATEGORY, categories, state.category),
            dbc.Col(
                dcc.Dropdown(
                    id=ids.TYPES,
                    options=options(info.types.items()),
                    value=list(state.types),
                    multi=True,
                    placeholder=t("types_all", lang),
                    labels=DROPDOWN_LABELS[lang],
                ),
                xs=12,
                md=4,
            ),
            _radios(
                ids.MEASURE,
                [
                    {"label": t("measure_rate", lang), "value": "rate"},
                    {"label": t("measure_count", lang), "value": "count"},
                ],
                state.measure,
            ),
        ],
        id=ids.INCIDENT_CONTROLS,
        className="g-2 align-items-center mb-2",
        style={} if state.theme == "incidents" else {"display": "none"},
    )


def map_column(lang: str) -> html.Div:
    graph = dcc.Graph(
        id=ids.MAP,
        figure=figures.empty_map(lang),
        config=graph_config(
            lang,
            scrollZoom=True,
            displayModeBar="hover",
            # selecting areas means nothing on this map
            modeBarButtonsToRemove=["select2d", "lasso2d"],
        ),
        style={"height": "min(68vh, 620px)", "minHeight": "380px"},
    )
    no_data = html.Span(
        [
            html.Span(
                className="legend-swatch",
                style={"backgroundColor": figures.NO_DATA_COLOUR},
            ),
            t("no_data", lang),
        ],
        className="small text-muted me-3",
    )
    labels = dbc.Switch(
        id=ids.MAP_LABELS_ON,
        label=t("map_labels", lang),
        value=False,
        className="mb-0 me-3",
    )
    return html.Div(
        [
            busy(graph, {ids.MAP: "figure"}, lang),
            print_menu(lang),
            dcc.Store(id=ids.MAP_LABELS),
            dcc.Store(id=ids.MAP_LABELS_DRAWN),
            html.Div(id=ids.MAP_LEGEND, className="map-legend"),
            html.Div(
                [labels, no_data, html.Span(id=ids.HINT)],
                className="map-under small text-muted d-print-none",
            ),
        ]
    )


PRINTS = (  # format, paper, orientation
    ("pdf", "A4", "landscape"),
    ("pdf", "A4", "portrait"),
    ("pdf", "A3", "landscape"),
    ("pdf", "A3", "portrait"),
    ("png", "A4", "landscape"),
    ("svg", "A4", "landscape"),
)


def print_menu(lang: str) -> dbc.DropdownMenu:
    """'Tải bản đồ': links to the printed map; the browser adds the view shown
    (the page's address) when one is clicked (assets/map_print.js)."""
    items = []
    for fmt, paper, orient in PRINTS:
        label = f"{fmt.upper()} {paper} {t(f'print_{orient}', lang).lower()}"
        if fmt == "png":
            label = "PNG 300 dpi"
        elif fmt == "svg":
            label = "SVG"
        items.append(
            dbc.DropdownMenuItem(
                label,
                href=f"/map/print.{fmt}?paper={paper}&orient={orient}",
                external_link=True,
                className="map-print-link",
            )
        )
    return dbc.DropdownMenu(
        items,
        label=t("print_button", lang),
        size="sm",
        color="secondary",
        # not on a phone: the map comes first there (and prints from a desktop)
        className="map-print d-print-none mt-2 d-none d-md-block",
    )


def side_column(lang: str) -> html.Div:
    detail = dbc.Card(
        dbc.CardBody(
            [
                dbc.Button(
                    t("detail_close", lang),
                    id=ids.DETAIL_CLOSE,
                    size="sm",
                    color="secondary",
                    outline=True,
                    className="float-end",
                ),
                html.Div(id=ids.DETAIL),
            ]
        ),
        id=ids.DETAIL_BOX,
        className="mb-3 border-primary",
        style={"display": "none"},
    )
    return html.Div(
        [
            detail,
            dbc.Card(dbc.CardBody(id=ids.SUMMARY), className="mb-3"),
            map_panels.ranking_table(lang),
        ]
    )


def demo_note(shown: bool, lang: str) -> dbc.Alert | None:
    """The note that the view shows demo data (None when it does not)."""
    if not shown:
        return None
    return dbc.Alert(t("note_demo", lang), color="warning", className="py-2 mb-2")


def notes(info: PageInfo) -> html.Div:
    """The footnotes every map carries: demo data, approximate boundaries, sources."""
    lang = info.lang
    items = [html.Div(demo_note(info.is_demo, lang), id=ids.DEMO_NOTE)]
    if info.approximate:
        items.append(
            dbc.Alert(t("note_approximate", lang), color="info", className="py-2 mb-2")
        )
    items += [html.Div(n, className="small text-muted") for n in info.notes]
    items.append(
        html.Small(
            t("source_units", lang, source=info.units_source), className="text-muted"
        )
    )
    return html.Div(items, id=ids.NOTES, className="mt-3")
