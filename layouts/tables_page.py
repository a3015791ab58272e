"""The tables page: one table per theme, filtered, sorted and exported.

Pure functions: ``dashboard/pages.py`` and ``callbacks/tables_page.py`` give them
plain values.  The grid (dash-ag-grid, infinite row model) asks the server for
each block of rows with its column filters and sort, so the grid and the files
always hold the same rows.

The tables' words (titles, sheet names, headers: ``layouts/messages/tables.py``)
and the note of an abolished unit's report are rendered here for the grid and
both exporters (``table_title``, ``sheet_name``, ``column_header``,
``shown_rows``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from data.export_jobs import CANCELLED, NO_WORKER
from data.tables import ABOLISHED_ON, TABLES
from data.tables.spec import CRITERION_COLUMNS, UNIT_COLUMNS
from layouts import glossary, ids
from layouts.busy import busy
from layouts.controls import labelled, options
from layouts.formatting import filed_by, number
from layouts.i18n import DROPDOWN_LABELS, GRID_LOCALE, t
from layouts.shell import PageInfo, navbar

BLOCK = 100  # rows per request of the grid
FILTERS = {
    "text": "agTextColumnFilter",
    "number": "agNumberColumnFilter",
    "date": "agDateColumnFilter",
}
# JavaScript in dashboard/assets/dashAgGridFunctions.js
FORMATTERS = {
    "int": "tableNumber(params, '{lang}', '')",
    "score": "tableNumber(params, '{lang}', '')",
    "number": "tableNumber(params, '{lang}', '')",
    "money": "tableNumber(params, '{lang}', ' đ')",
    "date": "tableDate(params.value, 'day')",
    "month": "tableDate(params.value, 'month')",
    "datetime": "tableDate(params.value, 'minute')",
}


# --- the tables' words ----------------------------------------------------------------

_UNIT_KEYS = {c.key for c in UNIT_COLUMNS}


def table_title(table: str, lang: str) -> str:
    return t(f"table_{table}", lang)


def sheet_name(table: str, lang: str) -> str:
    """The short name of ``table``'s workbook sheet."""
    return t(f"sheet_{table}", lang)


def column_header(table: str, column: str, lang: str) -> str:
    """The header of ``table``'s column ``column`` (keys of data/tables/spec.py)."""
    if column in _UNIT_KEYS:
        return t(f"column_unit_{column}", lang)
    criterion = CRITERION_COLUMNS.get(column) if table == "child_friendly" else None
    if criterion is not None:
        name = criterion.en if lang == "en" else criterion.vi
        return t("column_criterion", lang, code=criterion.code, name=name)
    return t(f"column_{table}_{column}", lang)


def column_headers(table: str, lang: str) -> tuple[str, ...]:
    """The header of each of ``table``'s columns, in order."""
    return tuple(column_header(table, c.key, lang) for c in TABLES[table].columns)


def shown_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table's rows (``data.tables.stream``) as the grid and the files show
    them: the report of a unit abolished before its due date says who files it
    in its place (``formatting.filed_by_note``) and the hidden day goes."""
    if ABOLISHED_ON not in frame.columns:
        return frame
    shown = frame.drop(columns=ABOLISHED_ON)
    notes = [
        filed_by(filer, day, lang)
        for filer, day in zip(frame["filed_by"], frame[ABOLISHED_ON], strict=True)
    ]
    shown["filed_by"] = pd.Series(notes, index=frame.index, dtype=object)
    return shown


@dataclass(frozen=True)
class GridColumn:
    key: str
    header: str
    kind: str
    filter: str  # text | number | date
    width: int


@dataclass(frozen=True)
class TablesState:
    table: str
    tables: Sequence[tuple[str, str]]  # (key, title)
    unit: str
    units: Sequence[tuple[str, str]]  # (code, label)
    period: str
    types: Sequence[tuple[str, str]]
    statuses: Sequence[tuple[str, str]]
    columns: Sequence[GridColumn]
    query: dict  # the checked filters (ids.TABLE_QUERY)
    restricted: bool = False  # abuse counts rounded / suppressed for this role
    # the import page of the table's records ("": not offered to this role)
    reimport: str = ""


# Columns that name an indicator, and the row field holding its glossary key: the
# cell shows the name and a "?" opening the entry (assets/dashAgGridComponents.js).
GLOSSARY_COLUMNS = {"indicator": "indicator_code"}


def glossary_cell(field: str, lang: str) -> dict:
    """The "?" of an indicator's cell: where its entries are, and the label
    (``{name}``: the indicator's name, filled in the browser)."""
    return {
        "cellRenderer": "GlossaryLink",
        "cellRendererParams": {
            "field": field,
            "href": glossary.href("", lang),
            "label": t("gloss_help", lang, name="{name}"),
            "keys": list(glossary.KEYS),
        },
    }


def column_defs(columns: Sequence[GridColumn], lang: str) -> list[dict]:
    defs = []
    for c in columns:
        spec: dict = {
            "field": c.key,
            "headerName": c.header,
            "filter": FILTERS[c.filter],
            "filterParams": {"maxNumConditions": 2, "debounceMs": 400},
            "width": 48 + 7 * min(c.width, 32),
            "headerTooltip": c.header,
        }
        formatter = FORMATTERS.get(c.kind)
        if formatter:
            spec["valueFormatter"] = {"function": formatter.format(lang=lang)}
        if c.filter == "number":
            spec["type"] = "rightAligned"
        if c.key in GLOSSARY_COLUMNS:
            spec.update(glossary_cell(GLOSSARY_COLUMNS[c.key], lang))
        defs.append(spec)
    return defs


def address(query: dict, lang: str) -> str:
    """The page's query string for ``query`` (the checked filters): a bookmark
    or a reload shows the same rows (``dashboard.pages.tables_view`` reads it)."""
    keys = ("table", "unit", "period", "type", "status")
    params = {key: query[key] for key in keys if query.get(key)}
    return "?" + urlencode({**params, "lang": lang})


def grid_key(query: dict) -> str:
    """A key per query: React mounts a new grid when it changes."""
    return json.dumps(query, sort_keys=True)


def grid(columns: Sequence[GridColumn], lang: str, key: str) -> html.Div:
    """The grid, in a holder keyed by the query: a new query mounts a new grid,
    which asks for its rows from the start."""
    return html.Div(
        dag.AgGrid(
            id=ids.TABLE_GRID,
            rowModelType="infinite",
            columnDefs=column_defs(columns, lang),
            defaultColDef={
                "sortable": True,
                "resizable": True,
                "wrapHeaderText": True,
                "autoHeaderHeight": True,
            },
            dashGridOptions={
                "cacheBlockSize": BLOCK,
                "maxBlocksInCache": 50,
                "infiniteInitialRowCount": 1,
                "rowBuffer": 0,
                "localeText": GRID_LOCALE[lang],
                "tooltipShowDelay": 300,
            },
            style={"height": "62vh", "width": "100%"},
        ),
        key=key,
    )


def layout(state: TablesState | None, info: PageInfo, note: str = "") -> html.Div:
    """The page; ``state`` None with ``note``: the user may not see tables."""
    lang = info.lang
    if state is None:
        other = "en" if lang == "vi" else "vi"
        body = dbc.Container(dbc.Alert(note, color="warning", className="mt-3"))
        return html.Div([navbar(info, lang, f"/tables?lang={other}"), body])
    body = dbc.Container(
        [
            html.H1(t("tables_title", lang), className="h4 mt-3 mb-2"),
            dcc.Store(id=ids.TABLE_LANG, data=lang),
            dcc.Store(id=ids.TABLE_QUERY, data=state.query),
            dcc.Store(id=ids.TABLE_ADDRESS, data=address(state.query, lang)),
            filter_row(state, info),
            export_row(lang),
            html.Div(id=ids.TABLE_JOB_STATUS, className="mb-2"),
            busy(
                html.Div(
                    grid(state.columns, lang, key=grid_key(state.query)),
                    id=ids.TABLE_HOLDER,
                ),
                {ids.TABLE_HOLDER: "children", ids.TABLE_GRID: "getRowsResponse"},
                lang,
            ),
            *notes(state, info),
        ],
        fluid=True,
    )
    return html.Div(
        [navbar(info, lang, _other_language(state, lang), ids.TABLE_LANG_LINK), body]
    )


def _other_language(state: TablesState, lang: str) -> str:
    """The page as it opened, in the other language (the filters' callback keeps
    the link up to date after that)."""
    other = "en" if lang == "vi" else "vi"
    return (
        f"/tables?table={state.table}&unit={state.unit}"
        f"&tree={state.query.get('tree', '')}&period={state.period}&lang={other}"
    )


def _filter(label: str, control: Component, lg: int = 3) -> dbc.Col:
    return labelled(label, control, "small fw-semibold mb-0", xs=12, md=6, lg=lg)


def _any_of(
    component_id: str, choices: Sequence[tuple[str, str]], lang: str
) -> dcc.Dropdown:
    """A filter that may be left empty ("all"), off when there is nothing to pick."""
    return dcc.Dropdown(
        labels=DROPDOWN_LABELS[lang],
        id=component_id,
        options=options(choices),
        placeholder=t("tables_all", lang),
        disabled=not choices,
    )


def filter_row(state: TablesState, info: PageInfo) -> dbc.Row:
    """The table, the unit, the period, and the type and status filters."""
    lang = info.lang
    unit = dcc.Dropdown(
        labels=DROPDOWN_LABELS[lang],
        id=ids.TABLE_UNIT,
        options=options(state.units),
        value=state.unit,
        clearable=False,
        searchable=True,
    )
    table = dbc.Select(
        id=ids.TABLE_CHOICE, options=options(state.tables), value=state.table
    )
    period = dbc.Select(
        id=ids.TABLE_PERIOD, options=options(info.periods), value=state.period
    )
    return dbc.Row(
        [
            _filter(t("tables_table", lang), table),
            _filter(t("tables_unit", lang), unit),
            _filter(t("period", lang), period, lg=2),
            _filter(
                t("tables_type", lang), _any_of(ids.TABLE_TYPE, state.types, lang), 2
            ),
            _filter(
                t("tables_status", lang),
                _any_of(ids.TABLE_STATUS, state.statuses, lang),
                2,
            ),
        ],
        className="g-2 mb-2",
    )


def export_row(lang: str) -> html.Div:
    """The count and totals line (filled by the grid's callback), then the
    export buttons and the background export's stores."""
    return html.Div(
        [
            html.Span(id=ids.TABLE_COUNT, className="me-3 fw-semibold"),
            *export_buttons(lang),
            dcc.Store(id=ids.TABLE_TOTAL),
            dcc.Store(id=ids.TABLE_JOB),
            dcc.Interval(id=ids.TABLE_JOB_POLL, interval=1000, disabled=True),
        ],
        className="d-flex flex-wrap align-items-center gap-2 mb-2",
    )


def export_buttons(lang: str) -> list[Component]:
    """Excel and CSV of the rows shown, a background Excel export of many rows
    (shown by the callback when needed), and the whole table."""
    return [
        _download(ids.TABLE_XLSX, t("tables_export_xlsx", lang), "btn-success"),
        _download(ids.TABLE_CSV, t("tables_export_csv", lang), "btn-outline-success"),
        dbc.Button(
            t("tables_export_job", lang),
            id=ids.TABLE_JOB_START,
            color="success",
            size="sm",
            style={"display": "none"},
        ),
        _download(ids.TABLE_ALL, t("tables_export_all", lang), "btn-outline-secondary"),
    ]


def notes(state: TablesState, info: PageInfo) -> list[html.P]:
    """What the exports hold, the disclosure rule for this role, demo data."""
    lang = info.lang
    said = [html.P(t("tables_export_note", lang), className="small text-muted mb-1")]
    if state.restricted:
        said.append(html.P(t("tables_restricted", lang), className="small text-muted"))
    if info.is_demo:
        said.append(html.P(t("export_demo", lang), className="small text-danger mb-1"))
    said.append(reimport_line(state.reimport, lang))
    return said


REIMPORT_SHOWN, REIMPORT_HIDDEN = "small mb-1", "small mb-1 d-none"


def reimport_href(kind: str, lang: str) -> str:
    return f"/import?kind={kind}&lang={lang}" if kind else "#"


def reimport_line(kind: str, lang: str) -> html.P:
    """Where the table's records are, in the import's form, to correct and
    import back (hidden when the role may not)."""
    return html.P(
        [
            t("tables_reimport_note", lang),
            " ",
            html.A(
                t("tables_reimport", lang),
                id=ids.TABLE_REIMPORT,
                href=reimport_href(kind, lang),
            ),
        ],
        id=ids.TABLE_REIMPORT_LINE,
        className=REIMPORT_SHOWN if kind else REIMPORT_HIDDEN,
    )


def _download(component_id: str, label: str, style: str) -> html.A:
    return html.A(
        label,
        id=component_id,
        href="#",
        className=f"btn btn-sm {style}",
        download="",
        rel="nofollow",
    )


def count_line(count: str, note: str, sums: str = "") -> list:
    """The row count, the totals of the rows, and a quieter note beside them."""
    line: list = [count]
    if sums:
        line.append(html.Span(sums, id=ids.TABLE_SUMS, className="ms-3"))
    return [*line, html.Span(note, className="ms-2 small fw-normal text-muted")]


def sums_text(sums: dict, columns: Sequence[GridColumn], lang: str) -> str:
    """ "Total of the rows: Số vụ 146" from {column key: sum}."""
    headers = {c.key: c.header for c in columns}
    items = " · ".join(
        f"{headers.get(key, key)} {number(value, lang)}" for key, value in sums.items()
    )
    return t("tables_sums", lang, items=items) if items else ""


def job_refused(text: str) -> dbc.Alert:
    """A background export that was not started, and why."""
    return dbc.Alert(text, color="warning")


def job_panel(
    status: str,
    done: int,
    total: int | None,
    job_id: str,
    lang: str,
    error: str = "",
    waiting: bool = False,
) -> html.Div:
    """A background export's progress bar (``waiting``: no worker took it yet),
    its download link, or what failed."""
    if status == "failed" and error == CANCELLED:
        return dbc.Alert(t("tables_job_cancelled", lang), color="secondary")
    if status == "failed":
        reason = t("jobs_no_worker", lang) if error == NO_WORKER else error
        return dbc.Alert(t("tables_job_failed", lang, reason=reason), color="danger")
    if status == "done":
        return html.Div(
            [
                html.Span(
                    t("tables_job_done", lang, n=number(done, lang)), className="me-2"
                ),
                html.A(
                    t("tables_job_download", lang),
                    href=f"/export/job/{job_id}.xlsx",
                    id=ids.TABLE_JOB + "-file",
                    className="btn btn-sm btn-success",
                    download="",
                ),
            ]
        )
    share = min(99, int(100 * done / total)) if total else 0
    label = (
        t("jobs_waiting", lang)
        if waiting
        else t(
            "tables_job_running",
            lang,
            done=number(done, lang),
            total=number(total, lang) if total else "…",
        )
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Span(label, className="small me-2"),
                    dbc.Button(
                        t("tables_job_cancel", lang),
                        id=ids.TABLE_JOB_CANCEL,
                        color="secondary",
                        outline=True,
                        size="sm",
                        className="py-0",
                    ),
                ],
                className="mb-1",
            ),
            dbc.Progress(value=share, label=f"{share}%", striped=True, animated=True),
        ]
    )
