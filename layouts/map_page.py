"""The province map page: districts coloured by the share of child-friendly communes."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import ids
from layouts.formatting import number, percent
from layouts.i18n import t


def layout(
    *,
    lang: str,
    unit_code: str,
    unit_name: str,
    years: Sequence[int],
    year: int | None,
    is_demo: bool,
    approximate: bool,
    units_source: str,
) -> html.Div:
    """The page for one province; ``years`` empty means the database has no facts."""
    if not years:
        return dbc.Container(dbc.Alert(t("no_data_hint", lang), color="warning"))
    return dbc.Container(
        [
            dcc.Store(id=ids.UNIT, data=unit_code),
            dcc.Store(id=ids.LANG, data=lang),
            html.H2(
                f"{unit_name} · {t('theme_child_friendly', lang)}", className="h4 my-3"
            ),
            dbc.Row(
                [
                    dbc.Col(_map_column(lang, years, year), lg=8),
                    dbc.Col(_side_column(lang), lg=4),
                ],
                className="g-3",
            ),
            notes(
                lang,
                is_demo=is_demo,
                approximate=approximate,
                units_source=units_source,
            ),
        ],
        fluid=True,
    )


def _map_column(lang: str, years: Sequence[int], year: int | None) -> html.Div:
    selector = dbc.InputGroup(
        [
            dbc.InputGroupText(t("year", lang)),
            dbc.Select(
                id=ids.YEAR,
                options=[{"label": str(y), "value": str(y)} for y in years],
                value=str(year if year in years else years[-1]),
            ),
        ],
        className="mb-2",
        style={"maxWidth": "14rem"},
    )
    graph = dcc.Graph(
        id=ids.MAP,
        config={"displaylogo": False, "scrollZoom": True, "displayModeBar": "hover"},
        style={"height": "min(70vh, 600px)", "minHeight": "360px"},
    )
    return html.Div([selector, graph])


def _side_column(lang: str) -> html.Div:
    return html.Div(
        [
            dbc.Card(dbc.CardBody(id=ids.KPI), className="mb-3"),
            html.H3(t("district_ranking", lang), className="h6"),
            html.Div(id=ids.DISTRICT_TABLE),
        ]
    )


def notes(
    lang: str, *, is_demo: bool, approximate: bool, units_source: str
) -> html.Div:
    """The footnotes every map carries: demo data, approximate boundaries, sources."""
    items = []
    if is_demo:
        items.append(
            dbc.Alert(t("note_demo", lang), color="warning", className="py-2 mb-2")
        )
    if approximate:
        items.append(
            dbc.Alert(t("note_approximate", lang), color="info", className="py-2 mb-2")
        )
    items.append(
        html.Small(t("source_units", lang, source=units_source), className="text-muted")
    )
    return html.Div(items, id=ids.NOTES, className="mt-3")


def kpi(
    lang: str, *, title: str, share: float | None, recognised: int, communes: int
) -> list:
    return [
        html.Div(title, className="text-muted small"),
        html.Div(percent(share, lang), className="display-6 fw-semibold"),
        html.Div(
            t(
                "kpi_recognised",
                lang,
                recognised=number(recognised, lang),
                communes=number(communes, lang),
            ),
            className="small",
        ),
    ]


def hover_texts(frame: pd.DataFrame, lang: str) -> list[str]:
    """One hover label per row of a share frame (name, share, counts)."""
    return [
        f"<b>{r.name}</b><br>{percent(r.share, lang)}<br>"
        + t("hover_share", lang, recognised=r.recognised, communes=r.communes)
        for r in frame.itertuples(index=False)
    ]


def share_table(frame: pd.DataFrame, lang: str) -> dbc.Table:
    """Units sorted by share, highest first (ties by name)."""
    ordered = frame.sort_values(["share", "name"], ascending=[False, True])
    header = html.Thead(
        html.Tr(
            [html.Th(t(k, lang)) for k in ("col_unit", "col_recognised", "col_share")]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(r.name),
                html.Td(f"{r.recognised}/{r.communes}"),
                html.Td(percent(r.share, lang), className="text-end"),
            ]
        )
        for r in ordered.itertuples(index=False)
    ]
    return dbc.Table(
        [header, html.Tbody(rows)], size="sm", striped=True, hover=True, responsive=True
    )
