"""Callbacks of the tables page: the filters choose a table and its rows; the
grid asks for its rows block by block; the export links follow the grid."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import ClientsideFunction, Input, Output, State, callback_context, no_update
from dash.exceptions import PreventUpdate
from flask import current_app
from werkzeug.exceptions import HTTPException

from callbacks import import_page, table_export
from callbacks.context import asking, conn
from callbacks.inputs import preferred_provinces
from callbacks.registry import Declared, declare, declare_clientside
from data import export_jobs, places, tables
from data.export_jobs import CANCELLED
from data.fact_import import KINDS
from data.fact_import import export as fact_export
from data.periods import Period, today_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, NEW_TREE, tree_for
from data.scope import Scope
from data.tables.grid import check_filter_model, check_sort_model, models_json
from layouts import ids, tables_page
from layouts.formatting import number, place_label
from layouts.i18n import language, t

_declared: list[Declared] = []
MAX_BLOCK = 1_000  # rows the grid may ask for at once


def columns(table: str, lang: str) -> list[tables_page.GridColumn]:
    return [
        tables_page.GridColumn(
            c.key,
            tables_page.column_header(table, c.key, lang),
            c.kind,
            c.filter_type,
            c.width,
        )
        for c in tables.TABLES[table].columns
    ]


def _area_label(row: dict, lang: str) -> str:
    label = place_label(row, lang) if row["level"] == FORMER_DISTRICT else row["name"]
    if row["level"] == "commune" and row.get("parent"):
        return f"{label} ({row['parent']})"
    return label


def area_options(tree: str, scope: Scope, period: Period, lang: str) -> list:
    day = period.as_of(today_vn())
    rows = tables.areas(conn(), tree, scope, day)
    return [(r["code"], _area_label(r, lang)) for r in rows]


def _home(scope: Scope, tree: str, options: list) -> str | None:
    """The user's own unit on ``tree`` when offered, else the first place."""
    codes = [code for code, _label in options]
    if scope.unit_id is not None:
        own = places.code_of(conn(), scope.unit_id)
        if own in codes:
            return own
        moved, _sel = places.translate(
            conn(), code=own or "", selected=None, to_tree=tree
        )
        if moved in codes:
            return moved
    root = places.default_root(conn(), tree)
    return root if root in codes else (codes[0] if codes else None)


def _same_area(
    code: str | None, tree: str, options: list, scope: Scope, from_tree: str | None
) -> str | None:
    """``code`` (a place of ``from_tree``) on ``tree``: codes repeat across the
    reform (legacy Bình Định and the new Gia Lai are both 52), so a place of the
    other tree is translated, never looked up by its code."""
    codes = [c for c, _label in options]
    if code in codes and from_tree in (None, tree):
        return code
    if code:
        moved, _sel = places.translate(conn(), code=code, selected=None, to_tree=tree)
        if moved in codes:
            return moved
        source = from_tree or (NEW_TREE if tree == LEGACY_TREE else LEGACY_TREE)
        near = places.counterpart(  # the province, say, when the country is not
            conn(),
            code=code,
            from_tree=source,
            to_tree=tree,
            prefer=preferred_provinces(scope, tree),
        )
        if near in codes:
            return near
    return _home(scope, tree, options)


def state(
    scope: Scope,
    lang: str,
    *,
    table: str | None,
    unit: str | None,
    period: str,
    type_: str | None = None,
    status: str | None = None,
    from_tree: str | None = None,
) -> tables_page.TablesState:
    """Everything the page shows for these filters (ValueError: not acceptable)."""
    table = table if table in tables.TABLES else "child_friendly"
    parsed = Period.parse(period)
    tree = tree_for(parsed, today_vn())
    options = area_options(tree, scope, parsed, lang)
    area = _same_area(unit, tree, options, scope, from_tree)
    if area is None:
        raise ValueError("unit: no area to show")
    types = tables.type_options(table, scope, lang)
    statuses = tables.status_options(table, lang)
    type_ = type_ if type_ in dict(types) else None
    status = status if status in dict(statuses) else None
    filters = tables.resolve(
        conn(),
        table,
        unit=area,
        period=parsed.key,
        type=type_,
        status=status,
        scope=scope,
        today=today_vn(),
    )
    query = {
        "table": table,
        "unit": filters.unit,
        "tree": filters.tree,  # the unit's tree: codes repeat across the reform
        "period": parsed.key,
        "type": filters.type,
        "status": filters.status,
    }
    return tables_page.TablesState(
        table=table,
        tables=[(key, tables_page.table_title(key, lang)) for key in tables.TABLES],
        unit=area,
        units=options,
        period=parsed.key,
        types=types,
        statuses=statuses,
        columns=columns(table, lang),
        query=query,
        restricted=not scope.exact,
        reimport=reimport_kind(table, scope),
    )


def reimport_kind(table: object, scope: Scope | None) -> str:
    """The import kind holding ``table``'s records when ``scope`` may import
    and download them ("": not offered)."""
    kind = fact_export.TABLE_KINDS.get(str(table), "")
    if not kind or scope is None or not import_page.allowed(scope):
        return ""
    return "" if import_page.export_refused(scope, KINDS[kind], "vi") else kind


@declare(
    _declared,
    Output(ids.TABLE_REIMPORT, "href"),
    Output(ids.TABLE_REIMPORT_LINE, "className"),
    Input(ids.TABLE_CHOICE, "value"),
    State(ids.TABLE_LANG, "data"),
    prevent_initial_call=True,
)
def reimport_link(table, lang):
    """The chosen table's records in the import's form (for roles that import)."""
    kind = reimport_kind(table, asking())
    shown = tables_page.REIMPORT_SHOWN if kind else tables_page.REIMPORT_HIDDEN
    return tables_page.reimport_href(kind, language(lang)), shown


@declare(
    _declared,
    Output(ids.TABLE_HOLDER, "children"),
    Output(ids.TABLE_QUERY, "data"),
    Output(ids.TABLE_UNIT, "options"),
    Output(ids.TABLE_UNIT, "value"),
    Output(ids.TABLE_TYPE, "options"),
    Output(ids.TABLE_TYPE, "value"),
    Output(ids.TABLE_TYPE, "disabled"),
    Output(ids.TABLE_STATUS, "options"),
    Output(ids.TABLE_STATUS, "value"),
    Output(ids.TABLE_STATUS, "disabled"),
    Output(ids.TABLE_JOB_STATUS, "children", allow_duplicate=True),
    Output(ids.TABLE_JOB_POLL, "disabled", allow_duplicate=True),
    Output(ids.TABLE_ADDRESS, "data"),
    Input(ids.TABLE_CHOICE, "value"),
    Input(ids.TABLE_UNIT, "value"),
    Input(ids.TABLE_PERIOD, "value"),
    Input(ids.TABLE_TYPE, "value"),
    Input(ids.TABLE_STATUS, "value"),
    State(ids.TABLE_LANG, "data"),
    State(ids.TABLE_QUERY, "data"),
    prevent_initial_call=True,
)
def choose(table, unit, period, type_, status, lang, before):
    """A filter changed: the table, its filters' options, a new grid (and no
    more the file prepared for the previous view)."""
    scope = asking()
    if not scope.sees_tables or table not in tables.TABLES:
        raise PreventUpdate
    lang = language(lang)
    if ids.TABLE_CHOICE in {
        p.split(".")[0] for p in callback_context.triggered_prop_ids
    }:
        type_, status = None, None  # another table: its own types and statuses
    try:
        shown = state(
            scope,
            lang,
            table=table,
            unit=str(unit) if unit else None,
            period=str(period),
            type_=type_ if isinstance(type_, str) else None,
            status=status if isinstance(status, str) else None,
            from_tree=_tree_of(before),
        )
    except (TypeError, ValueError) as exc:
        raise PreventUpdate from exc
    holder = tables_page.grid(
        shown.columns, lang, key=tables_page.grid_key(shown.query)
    )
    units = [{"label": lab, "value": code} for code, lab in shown.units]
    types = [{"label": lab, "value": code} for code, lab in shown.types]
    statuses = [{"label": lab, "value": code} for code, lab in shown.statuses]
    return (
        holder,
        shown.query,
        units,
        shown.unit,
        types,
        shown.query["type"],
        not types,
        statuses,
        shown.query["status"],
        not statuses,
        None,  # another view: a file prepared for the last one is not offered
        True,
        tables_page.address(shown.query, lang),
    )


def _tree_of(query: object) -> str | None:
    """The tree the previous query's place belongs to (None: unknown)."""
    if isinstance(query, dict) and query.get("tree") in (LEGACY_TREE, NEW_TREE):
        return str(query["tree"])
    key = query.get("period") if isinstance(query, dict) else None
    try:
        period = Period.parse(str(key))
    except ValueError:
        return None
    return tree_for(period, today_vn())


def _records(frame: pd.DataFrame) -> list[dict]:
    def plain(value: Any) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, dt.datetime | pd.Timestamp):
            return value.isoformat(timespec="seconds")
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "item"):  # numpy scalars
            return value.item()
        return value

    return [
        {key: plain(value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def export_links(query: dict, lang: str, filter_model: dict, sort_model: list) -> tuple:
    """The three download links for exactly this view."""
    filters_json, sort_json = models_json(filter_model, sort_model)
    base = {
        "unit": query["unit"],
        **({"tree": query["tree"]} if query.get("tree") else {}),
        "period": query["period"],
        "lang": lang,
    }
    one = {
        **base,
        **({"type": query["type"]} if query.get("type") else {}),
        **({"status": query["status"]} if query.get("status") else {}),
        **({"filter": filters_json} if filter_model else {}),
        **({"sort": sort_json} if sort_model else {}),
    }
    table = query["table"]
    return (
        f"/export/{table}.xlsx?{urlencode(one)}",
        f"/export/{table}.csv?{urlencode(one)}",
        f"/export/all.xlsx?{urlencode(base)}",
    )


@declare(
    _declared,
    Output(ids.TABLE_GRID, "getRowsResponse"),
    Output(ids.TABLE_COUNT, "children"),
    Output(ids.TABLE_XLSX, "href"),
    Output(ids.TABLE_CSV, "href"),
    Output(ids.TABLE_ALL, "href"),
    Output(ids.TABLE_XLSX, "style"),
    Output(ids.TABLE_JOB_START, "style"),
    Output(ids.TABLE_TOTAL, "data"),
    Input(ids.TABLE_GRID, "getRowsRequest"),
    State(ids.TABLE_QUERY, "data"),
    State(ids.TABLE_LANG, "data"),
)
def rows(request, query, lang):
    """One block of rows for the grid, the row count and the export links."""
    scope = asking()
    if (
        not scope.sees_tables
        or not isinstance(request, dict)
        or not isinstance(query, dict)
    ):
        raise PreventUpdate
    lang = language(lang)
    table = query.get("table")
    start, end = request.get("startRow"), request.get("endRow")
    if table not in tables.TABLES or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in (start, end)
    ):
        raise PreventUpdate
    if not 0 <= start < end or end - start > MAX_BLOCK:
        raise PreventUpdate
    spec = tables.TABLES[table]
    try:
        filters = tables.resolve(
            conn(),
            table,
            unit=query.get("unit"),
            period=query.get("period"),
            type=query.get("type"),
            status=query.get("status"),
            scope=scope,
            today=today_vn(),
            unit_tree=query.get("tree"),
        )
        filter_model = check_filter_model(spec, request.get("filterModel"))
        sort_model = check_sort_model(spec, request.get("sortModel"))
    except (TypeError, ValueError) as exc:
        raise PreventUpdate from exc
    frame, total, sums = tables.page_with_sums(
        conn(),
        table,
        filters,
        scope,
        start,
        end,
        lang=lang,
        filter_model=filter_model,
        sort_model=sort_model,
    )
    key = "tables_rows_filtered" if filter_model else "tables_rows"
    key = "tables_rows_none" if total == 0 and not filter_model else key
    count = t(key, lang, n=number(total, lang))
    large = total >= current_app.config["EXPORT_JOB_ROWS"]
    count = tables_page.count_line(
        count,
        t("tables_large", lang) if large else "",
        tables_page.sums_text(sums, columns(table, lang), lang),
    )
    links = export_links(query, lang, filter_model, sort_model)
    response = {
        "rowData": _records(tables_page.shown_rows(frame, lang)),
        "rowCount": total,
    }
    shown, hidden = {}, {"display": "none"}
    return (
        response,
        count,
        *links,
        hidden if large else shown,
        shown if large else hidden,
        total,
    )


@declare(
    _declared,
    Output(ids.TABLE_JOB, "data"),
    Output(ids.TABLE_JOB_POLL, "disabled"),
    Output(ids.TABLE_JOB_STATUS, "children"),
    Input(ids.TABLE_JOB_START, "n_clicks"),
    State(ids.TABLE_XLSX, "href"),
    State(ids.TABLE_TOTAL, "data"),
    State(ids.TABLE_LANG, "data"),
    prevent_initial_call=True,
)
def start_export(clicks, href, total, lang):
    """Write the view's workbook in the background; poll its progress."""
    scope = asking()
    if not clicks or not scope.sees_tables or not isinstance(href, str):
        raise PreventUpdate
    expected = total if isinstance(total, int) and total >= 0 else None
    try:
        started = table_export.start_job(href, expected)
    except HTTPException as exc:
        raise PreventUpdate from exc
    except export_jobs.TooManyJobs as exc:  # the page's own job, if any, goes on
        text = t("jobs_too_many", language(lang), running=exc.running, limit=exc.limit)
        return no_update, no_update, tables_page.job_refused(text)
    if not isinstance(started, str):  # refused: the link is not acceptable
        raise PreventUpdate
    panel = tables_page.job_panel(
        "running", 0, expected, started, language(lang), waiting=True
    )
    return started, False, panel


@declare(
    _declared,
    Output(ids.TABLE_JOB_STATUS, "children", allow_duplicate=True),
    Output(ids.TABLE_JOB_POLL, "disabled", allow_duplicate=True),
    Input(ids.TABLE_JOB_POLL, "n_intervals"),
    State(ids.TABLE_JOB, "data"),
    State(ids.TABLE_LANG, "data"),
    prevent_initial_call=True,
)
def poll_export(_ticks, job_id, lang):
    """How far the background export got; its link once written."""
    asking()
    job = table_export.job_status(job_id)
    if job is None:
        raise PreventUpdate
    panel = tables_page.job_panel(
        job["status"],
        job["rows_done"],
        job["rows_expected"],
        job["id"],
        language(lang),
        job["error"] or "",
        waiting=job["waiting"],
    )
    return panel, job["status"] != "running"


@declare(
    _declared,
    Output(ids.TABLE_JOB_STATUS, "children", allow_duplicate=True),
    Output(ids.TABLE_JOB_POLL, "disabled", allow_duplicate=True),
    Output(ids.TABLE_JOB, "data", allow_duplicate=True),
    Input(ids.TABLE_JOB_CANCEL, "n_clicks"),
    State(ids.TABLE_JOB, "data"),
    State(ids.TABLE_LANG, "data"),
    prevent_initial_call=True,
)
def cancel_export(clicks, job_id, lang):
    """Cancel the background export (the user's own only): its worker stops
    at its next step and keeps no file."""
    if not clicks:
        raise PreventUpdate  # the panel drawn anew, not a click
    asking()
    if not table_export.cancel(job_id):
        raise PreventUpdate
    lang = language(lang)
    panel = tables_page.job_panel("failed", 0, None, "", lang, CANCELLED)
    return panel, True, None  # the page follows it no more


# The address bar follows the filters: replaceState changes it without a
# navigation (Dash Pages would otherwise rebuild the page); so does the link to
# the other language (dashboard/assets/tables_page.js).
declare_clientside(
    _declared,
    ClientsideFunction("tables", "address"),
    Output(ids.TABLE_LANG_LINK, "href"),
    Input(ids.TABLE_ADDRESS, "data"),
)

CALLBACKS = tuple(_declared)
