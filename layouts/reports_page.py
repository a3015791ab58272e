"""The page where a unit submits a periodic report: choose it, download its
template, upload the filled file, see the receipt or every problem, and the
versions sent so far.  Pure functions; ``callbacks/reports_page.py`` fills them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.controls import labelled, options
from layouts.i18n import DROPDOWN_LABELS, t
from layouts.shell import PageInfo, navbar

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ReportsState:
    year: int
    years: Sequence[int]
    choices: Sequence[tuple[str, str]]  # (value, label)
    overdue: object = None  # the overdue list (``overdue``), or None
    max_bytes: int = MAX_BYTES  # the largest file the upload box takes


def layout(state: ReportsState | None, info: PageInfo, note: str = "") -> html.Div:
    lang = info.lang
    other = "en" if lang == "vi" else "vi"
    if state is None:
        body = dbc.Container(dbc.Alert(note, color="warning", className="mt-3"))
        return html.Div([navbar(info, lang, f"/reports?lang={other}"), body])
    year = dbc.Select(
        id=ids.REPORT_YEAR,
        options=[{"label": str(y), "value": str(y)} for y in state.years],
        value=str(state.year),
    )
    choice = dcc.Dropdown(
        id=ids.REPORT_CHOICE,
        options=choice_options(state.choices),
        placeholder=t("reports_choose", lang),
        labels=DROPDOWN_LABELS[lang],
        searchable=True,
    )
    body = dbc.Container(
        [
            html.H1(t("reports_title", lang), className="h4 mt-3 mb-2"),
            dcc.Store(id=ids.REPORT_LANG, data=lang),
            dbc.Row(
                [
                    labelled(t("reports_year", lang), year, xs=12, md=2),
                    labelled(t("reports_choice", lang), choice, xs=12, md=10),
                ],
                className="g-2 mb-2",
            ),
            html.Div(id=ids.REPORT_DEADLINE, className="small text-muted mb-2"),
            html.A(
                t("reports_template", lang),
                id=ids.REPORT_TEMPLATE,
                href="#",
                className="btn btn-outline-primary btn-sm mb-2 disabled",
                download="",
            ),
            dcc.Upload(
                html.Div(t("reports_upload", lang)),
                id=ids.REPORT_UPLOAD,
                accept=".xlsx",
                max_size=state.max_bytes,
                multiple=False,
                className="border border-2 border-secondary rounded p-4 mb-2 "
                "text-center bg-light",
                disabled=True,
            ),
            html.Div(id=ids.REPORT_RESULT),
            html.H2(t("reports_history", lang), className="h6 mt-3"),
            html.Div(id=ids.REPORT_HISTORY),
            html.P(t("reports_first_counts", lang), className="small text-muted"),
            html.Div(state.overdue, id=ids.REPORT_OVERDUE, className="mt-3"),
        ],
        fluid=True,
    )
    return html.Div([navbar(info, lang, f"/reports?lang={other}"), body])


def choice_options(choices: Sequence[tuple[str, str]]) -> list[dict]:
    """Options of the report dropdown from (value, label) pairs."""
    return options(choices)


def received(
    text: str, note: str, uses: Sequence[str] = (), uses_title: str = ""
) -> dbc.Alert:
    """The receipt: when it was received, and which figures count on the map."""
    listed = (
        [
            html.Div(uses_title, className="small fw-semibold mt-2"),
            html.Ul([html.Li(u) for u in uses], className="small mb-1"),
        ]
        if uses
        else []
    )
    return dbc.Alert(
        [html.Div(text), html.Small(note), *listed],
        color="success",
        id=ids.REPORT_RECEIPT,
    )


def refused(title: str, problems: Sequence[str] = ()) -> dbc.Alert:
    listed = [html.Ul([html.Li(p) for p in problems])] if problems else []
    return dbc.Alert(
        [html.Div(title, className="fw-semibold"), *listed], color="danger"
    )


def _table(keys: Sequence[str], rows: Sequence[Sequence[str]], lang: str) -> dbc.Table:
    """A small bordered table: headers from message ``keys``, then the rows."""
    head = html.Thead(html.Tr([html.Th(t(key, lang)) for key in keys]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])
    return dbc.Table([head, body], size="sm", bordered=True, className="w-auto")


HISTORY = (
    "reports_col_version",
    "reports_col_at",
    "reports_col_file",
    "reports_col_timing",
)
OVERDUE = (
    "reports_col_unit",
    "reports_col_report",
    "reports_col_due",
    "reports_col_overdue",
)


def history(rows: Sequence[tuple[str, str, str, str]], lang: str) -> html.Div:
    """(version, submitted at, file, on time or days late) per version."""
    if not rows:
        return html.P(t("reports_none", lang), className="small")
    return _table(HISTORY, rows, lang)


def overdue(
    rows: Sequence[tuple[str, str, str, str]],
    total: int,
    place: str,
    more_href: str,
    lang: str,
) -> html.Div:
    """Reports still missing after their deadline: unit, report, due date, days
    overdue, most overdue first; the count and a link to the whole list."""
    title = html.H2(t("reports_overdue", lang, place=place, n=total), className="h6")
    if not rows:
        return html.Div(
            [title, html.P(t("reports_overdue_none", lang), className="small")]
        )
    link = html.A(t("reports_overdue_all", lang), href=more_href, className="small")
    return html.Div(
        [title, _table(OVERDUE, rows, lang), link if total > len(rows) else None]
    )
