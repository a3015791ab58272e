"""The ranking page: units ranked by the composite index, what moves a rank.

Pure functions; ``callbacks/ranking_page.py`` fills the table and the gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from data import uncertainty
from layouts import figures, ids
from layouts.busy import busy
from layouts.controls import input_group, options
from layouts.formatting import number
from layouts.glossary import named
from layouts.graph_config import graph_config
from layouts.i18n import published_error, t
from layouts.shell import PageInfo, navbar

COMPONENT_KEYS = {
    "child_friendly": "rank_cf",
    "fund": "rank_fund",
    "burden": "rank_burden",
    "timeliness": "rank_timeliness",
}
# Each component's glossary entry (/chi-so): the map's measure it ranks by.
COMPONENT_GLOSSARY = {
    "child_friendly": "cf_share",
    "fund": "fund_pct",
    "burden": "incident_rate",
    "timeliness": "on_time_share",
}
COMPOSITE_GLOSSARY = "rank_composite"


@dataclass(frozen=True)
class RankingState:
    unit: str  # whose children are ranked
    unit_name: str
    period: str
    informal: bool = False  # former-district groups (July-2025 tree)
    tree: str = "legacy"  # the tree ``unit`` belongs to (codes repeat across trees)
    can_enter: bool = False  # may enter published (PCRI) ranks: the form is shown


def layout(state: RankingState, info: PageInfo) -> html.Div:
    lang = info.lang
    weights = [
        input_group(
            t(key, lang),
            dbc.Input(
                id={"type": ids.RANK_WEIGHT, "component": component},
                type="number",
                min=0,
                max=10,
                step=1,
                value=1,
            ),
            3,
        )
        for component, key in COMPONENT_KEYS.items()
    ]
    period = dbc.Select(
        id=ids.RANK_PERIOD, options=options(info.periods), value=state.period
    )
    body = dbc.Container(
        [
            html.H1(
                title(state.unit_name, lang),
                id=ids.RANK_TITLE,
                className="h4 mt-3 mb-1",
            ),
            html.Div(
                informal_note(state.informal, lang),
                id=ids.RANK_INFORMAL,
                className="small text-muted mb-2",
            ),
            dcc.Store(id=ids.RANK_UNIT, data={"tree": state.tree, "code": state.unit}),
            dcc.Store(id=ids.RANK_LANG, data=lang),
            dbc.Row(
                [
                    input_group(t("period", lang), period, 4),
                    html.A(
                        t("admin_back", lang),
                        id=ids.RANK_BACK,
                        href=map_href(state.unit, state.tree, state.period),
                        className="col-auto small align-self-center",
                    ),
                ],
                className="g-2 mb-2",
            ),
            html.Div(t("rank_weights", lang), className="small fw-semibold"),
            dbc.Row(weights, className="g-2 mb-3"),
            busy(
                [
                    html.Div(id=ids.RANK_GAPS),
                    html.Div(id=ids.RANK_TABLE),
                    html.Div(id=ids.RANK_FUNNEL),
                ],
                {
                    ids.RANK_TABLE: "children",
                    ids.RANK_GAPS: "children",
                    ids.RANK_FUNNEL: "children",
                },
                lang,
            ),
            html.P(t("rank_formula", lang), className="small text-muted mt-2"),
            html.P(t("rank_pcri", lang), className="small text-muted mb-1"),
            html.Div(id=ids.RANK_PUBLISHED, className="small mb-2"),
            dcc.Store(id=ids.RANK_SAVED, data=0),
            entry_form(lang) if state.can_enter else None,
        ],
        fluid=True,
    )
    other = "en" if lang == "vi" else "vi"
    href = (
        f"/ranking?unit={state.unit}&tree={state.tree}&period={state.period}"
        f"&lang={other}"
    )
    return html.Div([navbar(info, lang, href), body])


def title(name: str, lang: str) -> str:
    return t("rank_title", lang, name=name)


def informal_note(informal: bool, lang: str) -> str:
    return t("rank_informal", lang) if informal else ""


def map_href(unit: str, tree: str, period: str) -> str:
    """The map of the place ranked (its tree named: codes repeat across trees)."""
    return f"/?unit={unit}&tree={tree}&period={period}"


def _score(value: float | None, lang: str) -> str:
    return "–" if value is None or value != value else number(value, lang, 1)


def _change(value: int | None) -> html.Span:
    if value is None or value != value or value == 0:
        return html.Span("=" if value == 0 else "–", className="text-muted")
    arrow, colour = ("▲", "text-success") if value > 0 else ("▼", "text-danger")
    return html.Span(f"{arrow} {abs(int(value))}", className=colour)


def table(
    rows: Sequence[dict],
    lang: str,
    own: str | None,
    raw: dict[str, str],
    published: dict[str, Sequence[dict]] | None = None,
) -> dbc.Table:
    """Rank, change, unit, the four components (value and 0-100 score), composite.

    ``raw``: how each component's own value is printed (e.g. "%").  ``published``:
    {code: published ranks, newest first}; when any unit has one, a last column
    shows them as given (they take no part in the composite)."""
    given = published or {}
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("rank_col_rank", lang)),
                html.Th(t("rank_col_change", lang)),
                html.Th(t("col_unit", lang)),
                *[
                    html.Th(named(t(key, lang), COMPONENT_GLOSSARY[c], lang))
                    for c, key in COMPONENT_KEYS.items()
                ],
                html.Th(named(t("rank_col_composite", lang), COMPOSITE_GLOSSARY, lang)),
                html.Th(t("pr_col", lang)) if given else None,
            ]
        )
    )
    body = []
    for row in rows:
        cells = [
            html.Td(
                [
                    "–" if row["rank"] is None else str(row["rank"]),
                    *_rank_range(row, lang),
                ]
            ),
            html.Td(_change(row["change"])),
            html.Td(
                [
                    row["name"],
                    html.Span(" *", title=t("note_small_numbers", lang))
                    if row["small"]
                    else "",
                ]
            ),
        ]
        for component in COMPONENT_KEYS:
            value = row[component]
            shown = (
                "–"
                if value is None or value != value
                else (number(value, lang, 1) + raw.get(component, ""))
            )
            if shown != "–" and row.get(f"{component}_partial"):
                shown = f"≥ {shown}"  # the abuse part shows "<5": a lower bound
            extra = _versus(row, lang) if component == "burden" else []
            cells.append(
                html.Td(
                    [
                        html.Span(shown, title=_interval(row, lang))
                        if component == "burden"
                        else shown,
                        html.Br(),
                        html.Small(
                            _score(row[f"{component}_score"], lang),
                            className="text-muted",
                        ),
                        *extra,
                    ]
                )
            )
        cells.append(html.Td(html.Strong(_score(row["composite"], lang))))
        if given:
            cells.append(html.Td(_given_cell(given.get(row["code"], ()))))
        body.append(
            html.Tr(
                cells,
                className="table-primary" if row["code"] == own else "",
                id={"type": ids.RANK_ROW, "code": row["code"]},
            )
        )
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, responsive=True)


def _rank_range(row: dict, lang: str) -> list:
    """Under the rank, its plausible range: "hạng 3–9" (``data.uncertainty``)."""
    low, high = row.get("rank_low"), row.get("rank_high")
    if low is None or high is None or low != low or high != high:
        return []
    key = "rank_range_one" if low == high else "rank_range"
    text = t(key, lang, low=int(low), high=int(high))
    return [html.Br(), html.Small(text, className="text-muted rank-range")]


VERSUS_CLASS = {
    "within": "text-muted",
    "high": "text-danger",
    "very_high": "text-danger fw-bold",
    "low": "text-primary",
    "very_low": "text-primary fw-bold",
}


def _versus(row: dict, lang: str) -> list:
    """Under the case rate, where it stands against the rate of the place ranked
    ("≈ mức chung": not distinguishable; ``data.uncertainty.compare``)."""
    versus = row.get("versus")
    if not isinstance(versus, str):
        return []
    return [
        html.Br(),
        html.Small(
            t(f"versus_{versus}", lang),
            className=f"rank-versus rank-versus-{versus} {VERSUS_CLASS[versus]}",
        ),
    ]


def _interval(row: dict, lang: str) -> str | None:
    """The rate's 95 % interval, as the tooltip of the case rate."""
    low, high = row.get("burden_ci_low"), row.get("burden_ci_high")
    if low is None or high is None or low != low or high != high:
        return None
    key = "ci95_hidden" if row.get("burden_partial") else "ci95"
    text = t(key, lang, low=number(low, lang, 1), high=number(high, lang, 1))
    return text[:1].upper() + text[1:]


def uncertainty_note(overall: dict, place: str, hidden: bool, lang: str) -> html.P:
    """How the plausible ranks and the marks are obtained."""
    rate = overall.get("rate")
    text = t(
        "rank_uncertainty",
        lang,
        draws=number(uncertainty.DRAWS, lang),
        name=place,
        rate="–" if rate is None or rate != rate else number(rate, lang, 1),
    )
    if hidden:
        text += " " + t("rank_uncertainty_hidden", lang)
    return html.P(text, className="small text-muted mt-1", id=ids.RANK_METHOD)


def funnel_units(rows: Sequence[dict], lang: str) -> list[dict]:
    """The funnel's points from the ranking's rows (counts as the user sees
    them)."""
    return [
        {
            "name": row["name"],
            "children": row.get("children"),
            "low": row.get("burden_low"),
            "high": row.get("burden_high"),
            "versus": row.get("versus"),
            "ci": _interval(row, lang),
        }
        for row in rows
    ]


def funnel(rows: Sequence[dict], overall: dict, place: str, lang: str) -> html.Div:
    """The funnel plot of the ranked units' case rates, with its reading."""
    figure = figures.funnel_spec(funnel_units(rows, lang), overall, place, lang)
    if figure is None:
        return html.Div(t("funnel_none", lang), className="small text-muted")
    return html.Div(
        [
            html.H2(t("funnel_title", lang), className="h6 mt-3"),
            dcc.Graph(
                id=ids.RANK_FUNNEL_GRAPH,
                figure=figure,
                config=graph_config(lang),
                style={"height": "460px"},
            ),
            html.P(t("funnel_note", lang), className="small text-muted"),
        ]
    )


def gaps_card(
    name: str, rows: Sequence[dict], above: str | None, lang: str
) -> dbc.Card:
    """What moves the rank of ``name``: per component, the gap to the median unit
    and to the unit just above."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(""),
                html.Th(t("rank_gap_median", lang)),
                html.Th(t("rank_gap_above", lang, name=above) if above else ""),
            ]
        )
    )
    body = [
        html.Tr(
            [
                html.Td(t(COMPONENT_KEYS[r["component"]], lang)),
                html.Td(_signed(r["gap_median"], lang)),
                html.Td(_signed(r["gap_above"], lang)),
            ]
        )
        for r in rows
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("rank_moves", lang, name=name), className="h6"),
                dbc.Table([head, html.Tbody(body)], size="sm", className="mb-1"),
                html.Small(t("rank_gap_unit", lang), className="text-muted"),
            ]
        ),
        className="mb-3 border-primary",
        id=ids.RANK_GAPS_CARD,
    )


def _signed(value: float | None, lang: str) -> str:
    if value is None or value != value:
        return "–"
    sign = "+" if value > 0 else ""
    return sign + number(value, lang, 1)


# --- published ranks (PCRI), shown as given ------------------------------------------


def _day(day: dt.date, lang: str) -> str:
    return f"{day:%d/%m/%Y}" if lang == "vi" else f"{day.day} {day:%b} {day.year}"


def _given_cell(rows: Sequence[dict]) -> list:
    """Per round, newest first, one a line: 45/63 (2016–2017)."""
    cell: list = []
    for row in rows:
        if cell:
            cell.append(html.Br())
        cell.append(f"{row['rank']}/{row['out_of']} ({row['round_label']})")
    return cell


def published_lines(rows: Sequence[dict], lang: str) -> list[html.Div]:
    """One line per published rank of the place shown, exactly as entered."""
    return [
        html.Div(
            t(
                "pr_line",
                lang,
                round=row["round_label"],
                rank=row["rank"],
                out_of=row["out_of"],
                source=row["source"],
                day=_day(row["entered_on"], lang),
            ),
            className="pr-line",
        )
        for row in rows
    ]


def unit_options(units: Sequence[tuple[str, str]]) -> list[dict]:
    """Options of the unit dropdown from (value, name) pairs."""
    return options(units)


def entry_form(lang: str) -> dbc.Card:
    """Enter a published PCRI rank (admin and province accounts); the unit list is
    filled by a callback for the period's tree."""
    row = [
        input_group(t("pr_unit", lang), dbc.Select(id=ids.RANK_PR_UNIT, options=[]), 4),
        input_group(
            t("pr_round", lang),
            dbc.Input(
                id=ids.RANK_PR_ROUND, type="text", placeholder="2016–2017", maxLength=32
            ),
            3,
        ),
        input_group(
            t("pr_rank", lang),
            dbc.Input(id=ids.RANK_PR_RANK, type="number", min=1, step=1),
            2,
        ),
        input_group(
            t("pr_out_of", lang),
            dbc.Input(id=ids.RANK_PR_OUT_OF, type="number", min=1, step=1),
            3,
        ),
        input_group(
            t("pr_source", lang),
            dbc.Input(
                id=ids.RANK_PR_SOURCE,
                type="text",
                placeholder=t("pr_source_hint", lang),
                maxLength=255,
            ),
            10,
        ),
        dbc.Col(
            dbc.Button(
                t("pr_save", lang), id=ids.RANK_PR_SAVE, size="sm", color="primary"
            ),
            xs=12,
            md=2,
        ),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("pr_form_title", lang), className="h6"),
                dbc.Row(row, className="g-2"),
                html.P(t("pr_form_note", lang), className="small text-muted mt-2 mb-1"),
                html.Div(id=ids.RANK_PR_MESSAGE),
            ]
        ),
        id=ids.RANK_PR_FORM,
        className="mb-3",
    )


def saved_message(
    name: str,
    round_label: str,
    rank: int,
    out_of: int,
    replaced: dict | None,
    lang: str,
) -> dbc.Alert:
    """What was saved, and what it replaced (entering a round again replaces it)."""
    text = t("pr_saved", lang, round=round_label, name=name, rank=rank, out_of=out_of)
    if replaced is not None:
        text += " " + t(
            "pr_replaced", lang, rank=replaced["rank"], out_of=replaced["out_of"]
        )
    return dbc.Alert(text, color="success", className="small py-2 mb-0")


def error_message(field: str, problem: str, lang: str) -> dbc.Alert:
    """An entry refused, in words: the field at fault and what is wrong with it."""
    return dbc.Alert(
        published_error(field, problem, lang),
        color="danger",
        className="small py-2 mb-0",
    )


def coverage_note(
    missing: Sequence[str], lang: str, compared: str | None = None
) -> dbc.Alert | None:
    """What the ranking stands on: the components no unit has a value for (the
    composite uses the others: n of 4) and, for a period in progress, the days
    the rank change is measured against."""
    lines = []
    if missing:
        lines.append(
            t(
                "rank_components_missing",
                lang,
                names=", ".join(t(COMPONENT_KEYS[c], lang) for c in missing),
                used=len(COMPONENT_KEYS) - len(missing),
                total=len(COMPONENT_KEYS),
            )
        )
    if compared:  # inside a sentence: 'năm 2025 đến ngày 02/12'
        inline = compared[:1].lower() + compared[1:] if lang == "vi" else compared
        lines.append(t("rank_change_against", lang, period=inline))
    if not lines:
        return None
    colour = "warning" if missing else "light"
    return dbc.Alert([html.Div(line) for line in lines], color=colour, id="rank-note")
