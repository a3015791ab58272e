"""The presentation view of the quarterly review: full-screen slides for the
meeting room, one at a time (the arrow keys, PageUp/PageDown and a clicker move
between them: ``dashboard/assets/present.js``), large type, no sidebar.  Pure
functions of the slides (``layouts.review_slides``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.graph_config import graph_config
from layouts.i18n import t
from layouts.review_slides import Slide

GRAPH_OPTIONS = {"displayModeBar": False, "scrollZoom": False, "responsive": True}


@dataclass(frozen=True)
class PresentState:
    lang: str
    quarter: str  # "2024-Q3"
    quarters: Sequence[tuple[str, str]]  # (key, label), newest first
    province: str
    slides: Sequence[Slide]
    can_export: bool = True
    tree: str = "legacy"  # the tree ``province`` belongs to (codes repeat)
    banner: object = None  # the reporting status (layouts.status.banner)


SPLIT_ROWS = 10  # a longer table is shown in two halves side by side


def _one_table(head: list[str], rows: list[list[str]]) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in head])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        className="slide-table",
    )


def _table(head: list[str], rows: list[list[str]]) -> html.Div:
    if len(rows) <= SPLIT_ROWS:
        return html.Div(_one_table(head, rows), className="slide-tables")
    half = (len(rows) + 1) // 2
    return html.Div(
        [_one_table(head, rows[:half]), _one_table(head, rows[half:])],
        className="slide-tables slide-tables-split",
    )


def slide_div(slide: Slide, index: int, total: int, lang: str = "vi") -> html.Section:
    """One slide: title, subtitle, the key figure, lines, a table, a figure."""
    body: list = []
    if slide.big:
        body.append(
            html.Div(
                [
                    html.Div(slide.big, className="slide-big"),
                    html.Div(slide.big_label, className="slide-big-label"),
                ],
                className="slide-key",
            )
        )
    if slide.lines:
        body.append(
            html.Ul([html.Li(line) for line in slide.lines], className="slide-lines")
        )
    if slide.table:
        body.append(_table(*slide.table))
    side = (
        [
            dcc.Graph(
                figure=slide.figure,
                config=graph_config(lang, **GRAPH_OPTIONS),
                className="slide-figure",
                id=f"slide-figure-{index}",
            )
        ]
        if slide.figure is not None
        else []
    )
    columns = (
        [html.Div(body, className="slide-text"), html.Div(side, className="slide-side")]
        if side
        else [html.Div(body, className="slide-text slide-wide")]
    )
    return html.Section(
        [
            html.Header(
                [
                    html.H1(slide.title, className="slide-title"),
                    html.Div(slide.subtitle, className="slide-subtitle"),
                ]
            ),
            html.Div(columns, className="slide-body"),
            html.Footer(
                [html.Span(slide.footer), html.Span(f"{index + 1}/{total}")],
                className="slide-footer",
            ),
        ],
        className="slide active" if index == 0 else "slide",
        id=f"slide-{index}",
        **{"data-key": slide.key},
    )


def toolbar(state: PresentState) -> html.Div:
    lang = state.lang
    export = (
        [
            dbc.Button(
                t("review_export_pptx", lang),
                id=ids.DECK_PPTX,
                size="sm",
                color="primary",
                className="me-1",
            ),
            dbc.Button(
                t("review_export_pdf", lang),
                id=ids.DECK_PDF,
                size="sm",
                color="primary",
                className="me-1",
            ),
            dbc.Button(
                t("review_export_cancel", lang),
                id=ids.DECK_CANCEL,
                size="sm",
                color="secondary",
                outline=True,
                className="me-2",
                style={"display": "none"},
            ),
            html.Div(
                dbc.Progress(
                    id=ids.DECK_PROGRESS, value=0, striped=True, animated=True
                ),
                className="present-progress",
                style={"display": "none"},
                id="deck-bar",
            ),
            html.Span(id=ids.DECK_STATUS, className="ms-2 small"),
            dcc.Store(id=ids.DECK_JOB),
            dcc.Interval(id=ids.DECK_POLL, interval=1000, disabled=True),
        ]
        if state.can_export
        else []
    )
    return html.Div(
        [
            html.A(
                t("review_back", lang),
                href=f"/?lang={lang}",
                className="btn btn-sm btn-outline-light me-2",
            ),
            dcc.Dropdown(
                id=ids.PRESENT_QUARTER,
                options=[
                    {"label": label, "value": key} for key, label in state.quarters
                ],
                value=state.quarter,
                clearable=False,
                searchable=False,
                className="present-quarter me-2",
            ),
            dbc.Button(
                t("review_prev", lang),
                id=ids.PRESENT_PREV,
                size="sm",
                color="light",
                className="me-1",
            ),
            dbc.Button(
                t("review_next", lang),
                id=ids.PRESENT_NEXT,
                size="sm",
                color="light",
                className="me-2",
            ),
            html.Span(
                f"1/{len(state.slides)}", id=ids.PRESENT_COUNTER, className="me-3"
            ),
            *export,
            html.Span(t("review_keys", lang), className="ms-auto small present-keys"),
            dcc.Store(
                id=ids.PRESENT_PARAMS,
                data={"province": state.province, "tree": state.tree, "lang": lang},
            ),
        ],
        className="present-toolbar",
    )


def layout(state: PresentState | None, lang: str, note: str = "") -> html.Div:
    if state is None:
        return dbc.Container(
            dbc.Alert(
                note or t("review_no_province", lang), color="warning", className="mt-3"
            )
        )
    total = len(state.slides)
    return html.Div(
        [
            toolbar(state),
            html.Div(state.banner, id=ids.FRESHNESS, className="present-status"),
            html.Div(
                [slide_div(s, i, total, lang) for i, s in enumerate(state.slides)],
                id=ids.PRESENT_SLIDES,
                className="present-slides",
                tabIndex="0",
            ),
        ],
        id=ids.PRESENT,
        className="present",
        lang=lang,
    )
