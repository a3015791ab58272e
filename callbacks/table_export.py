"""Downloads of the tables page: ``/export/<table>.xlsx|csv`` and
``/export/all.xlsx`` (every table, one sheet each).

The link carries the page's filters and the grid's column filters and sort; all
of it is checked again here, and the scope comes from the signed-in account, never
from the link.  CSV streams row by row as the query yields them; the workbook is
written in write-only mode to a temporary file (memory stays flat) and then sent.
A large workbook (the page decides: ``EXPORT_JOB_ROWS``) is written by a background
job instead (``start_job``): the job goes to the job queue (``dashboard.jobs``) and
a worker process writes it (``run_job``); its progress is in the database, so that
the page can show it from any web worker, and ``/export/job/<id>.xlsx`` sends the
file to the user who started it.  Every export is written to the audit log before
any row leaves.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection, Engine

from callbacks import context
from data import demo_marks, export_jobs, metrics, places, tables
from data.export import Sheet, csv_chunks, write_xlsx
from data.periods import VN_TZ, today_vn
from data.scope import Scope
from data.tables.grid import parse_models
from data.vocabulary import ROLE_TERMS, names
from layouts.formatting import number, period_label, place_label
from layouts.i18n import t
from layouts.tables_page import (
    column_header,
    column_headers,
    sheet_name,
    shown_rows,
    table_title,
)

log = logging.getLogger(__name__)
FORMATS = ("xlsx", "csv")
JOB_LINK = re.compile(r"/export/(?P<table>[a-z_]{1,20})\.xlsx")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def init_app(server: Flask) -> None:
    server.add_url_rule("/export/<table>.<fmt>", view_func=export)
    server.add_url_rule("/export/job/<job_id>.xlsx", view_func=job_file)


# The link's parameter a refusal names, from the checks' "<field>: ..." reasons.
REFUSED_FIELDS = ("unit", "period", "type", "status", "filter", "sort")


def _refuse(
    lang: str,
    reason: str,
    args: Mapping[str, str] | None = None,
    table: str | None = None,
) -> Response:
    """A 400 in the user's language naming the parameter of the link at fault
    (the checks in data/tables say which: "type: ...", "filter on 'count': ...",
    a column of ``table`` by its key)."""
    head = reason.split(":", 1)[0]
    if head == "filter or sort":  # neither could be read
        text = t("export_bad_json", lang)
    else:
        field = next((f for f in REFUSED_FIELDS if head.startswith(f)), None)
        if field is None:
            text = t("export_bad_request", lang, reason=reason)
        else:
            value = str((args or {}).get(field) or "")[:40]
            text = t(
                "export_bad_field",
                lang,
                field=field,
                label=t(f"export_field_{field}", lang),
                value=f"“{value}”" if value else t("export_field_empty", lang),
            )
            column = re.match(r"filter on '([^']*)'", head)
            if column and table is not None:
                header = column_header(table, column.group(1), lang)
                text += " " + t("export_bad_column", lang, column=header)
    text += "\n" + t("export_bad_hint", lang)
    return Response(text, status=400, mimetype="text/plain; charset=utf-8")


def _when(moment: dt.datetime | None, lang: str) -> str:
    if moment is None:
        return t("export_unknown", lang)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _describe_filters(spec: tables.Table, model: dict, lang: str) -> str:
    parts = []
    for key, item in model.items():
        tests = []
        for c in item["conditions"]:
            value = c.get("filter", c.get("dateFrom"))
            upper = c.get("filterTo", c.get("dateTo"))
            text = t(f"op_{c['type']}", lang)
            if value is not None:
                text += f" “{_plain(value, lang)}”"
            if upper is not None:
                text += f" – “{_plain(upper, lang)}”"
            tests.append(text)
        joined = f" {t('op_' + item.get('operator', 'AND'), lang)} ".join(tests)
        parts.append(f"{column_header(spec.key, key, lang)} {joined}")
    return "; ".join(parts)


def _plain(value: object, lang: str) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return number(value, lang, 0 if value.is_integer() else 2)
    return str(value)


def _scope_text(scope: Scope, lang: str) -> str:
    who = context.user()
    assert who is not None
    role = names(ROLE_TERMS, lang)[scope.role]
    if scope.all_communes:
        area = t("export_scope_all", lang)
    else:
        code = places.code_of(context.conn(), scope.unit_id) if scope.unit_id else None
        row = (
            places.place(context.conn(), tree=str(who.account.scope_tree), code=code)
            if code
            else None
        )
        area = t("export_scope_area", lang, area=row["name"] if row else "–")
    return t("export_scope", lang, name=who.username, role=role, area=area)


def _lines(
    spec: tables.Table | None,
    filters: tables.Filters,
    scope: Scope,
    lang: str,
    filter_model: dict,
    sort_model: list,
) -> tuple[str, ...]:
    conn = context.conn()
    place = places.place(conn, tree=filters.tree, code=filters.unit)
    period = filters.period
    label = period_label(
        period.year,
        lang,
        quarter=period.quarter,
        ytd_end=period.end(today_vn()) if period.ytd else None,
    )
    everything = t("tables_all", lang)
    type_label = status_label = everything
    if spec is not None and filters.type:
        type_label = dict(tables.type_options(spec.key, scope, lang))[filters.type]
    if spec is not None and filters.status:
        status_label = dict(tables.status_options(spec.key, lang))[filters.status]
    lines = [
        t(
            "export_filters",
            lang,
            unit=place_label(place, lang) if place else filters.unit,
            period=label,
            type=type_label,
            status=status_label,
        )
    ]
    if spec is not None and filter_model:
        text = _describe_filters(spec, filter_model, lang)
        lines.append(t("export_column_filters", lang, text=text))
    if spec is not None and sort_model:
        text = ", ".join(
            f"{column_header(spec.key, k, lang)} "
            f"{t('export_asc' if asc else 'export_desc', lang)}"
            for k, asc in sort_model
        )
        lines.append(t("export_sort", lang, text=text))
    if not scope.exact:
        lines.append(t("tables_restricted", lang))
    lines.append(_scope_text(scope, lang))
    now = dt.datetime.now(dt.UTC)
    as_of = metrics.data_as_of(conn)
    lines.append(
        t("export_as_of", lang, as_of=_when(as_of, lang), now=_when(now, lang))
    )
    if demo_marks.in_view(conn, filters.tree, filters.unit):
        lines.append(t("export_demo", lang))
    return tuple(lines)


def _shown(
    frames: Generator[pd.DataFrame, None, None], lang: str
) -> Iterator[pd.DataFrame]:
    """The rows of ``frames`` as the files show them (``shown_rows``); the
    query's stream closes with them."""
    with closing(frames):
        for frame in frames:
            yield shown_rows(frame, lang)


@dataclass
class Prepared:
    """An export checked and described, ready to write (by any connection)."""

    fmt: str
    lang: str
    stem: str
    scope: Scope
    parts: list  # (table spec, filters, filter model, sort model, title lines)
    detail: dict

    def sheets(self, conn: Connection) -> list[Sheet]:
        lang = self.lang
        return [
            Sheet(
                spec,
                title=table_title(spec.key, lang),
                name=sheet_name(spec.key, lang),
                headers=column_headers(spec.key, lang),
                lines=lines,
                frames=_shown(
                    tables.stream(
                        conn,
                        spec.key,
                        filters,
                        self.scope,
                        lang=lang,
                        filter_model=fm,
                        sort_model=sm,
                    ),
                    lang,
                ),
            )
            for spec, filters, fm, sm, lines in self.parts
        ]

    def total_line(self, n: int) -> str:
        return t("export_total", self.lang, n=number(n, self.lang))


def prepare(table: str, fmt: str, args: Mapping[str, str]) -> Prepared | Response:
    """The export a link asks for, checked for the signed-in user; a refusal
    (a response) when it is not allowed or not acceptable."""
    scope = context.scope()
    if scope is None:
        abort(401)
    lang = context.language(args.get("lang"))
    if not scope.sees_tables:
        text = t("tables_not_for_viewer", lang)
        return Response(text, status=403, mimetype="text/plain; charset=utf-8")
    every = table == "all"
    if fmt not in FORMATS or not (table in tables.TABLES or (every and fmt == "xlsx")):
        abort(404)
    conn = context.conn()
    try:
        filters = tables.resolve(
            conn,
            "fund" if every else table,  # "all": no type or status filter
            unit=args.get("unit"),
            period=args.get("period"),
            type=None if every else args.get("type"),
            status=None if every else args.get("status"),
            scope=scope,
            today=today_vn(),
            unit_tree=args.get("tree"),
        )
        spec = None if every else tables.TABLES[table]
        filter_model, sort_model = (
            ({}, [])
            if spec is None
            else parse_models(spec, args.get("filter"), args.get("sort"))
        )
    except ValueError as exc:
        return _refuse(lang, str(exc), args, None if every else table)
    if spec is not None:
        lines = _lines(spec, filters, scope, lang, filter_model, sort_model)
        parts = [(spec, filters, filter_model, sort_model, lines)]
    else:  # every table, with the area and period only
        parts = [
            (each, filters, {}, [], _lines(each, filters, scope, lang, {}, []))
            for each in tables.TABLES.values()
        ]
    detail = {
        "table": table,
        "format": fmt,
        "unit": filters.unit,
        "tree": filters.tree,
        "period": filters.period.key,
        "type": filters.type,
        "status": filters.status,
        "filter": args.get("filter") or None,
        "sort": args.get("sort") or None,
    }
    stem = f"{table}_{filters.unit}_{filters.period.key}"
    return Prepared(fmt, lang, stem, scope, parts, detail)


def export(table: str, fmt: str) -> ResponseReturnValue:
    prepared = prepare(table, fmt, request.args)
    if isinstance(prepared, Response):
        return prepared
    context.audit("export", prepared.detail)
    if fmt == "csv":
        own_engine = context.engine()

        def body():
            # the response outlives the request's connection: the stream owns one
            with own_engine.connect() as own:
                (sheet,) = prepared.sheets(own)
                yield from csv_chunks(sheet.table, sheet.headers, sheet.frames)

        response = Response(body(), mimetype=MIME["csv"])
        disposition = f'attachment; filename="{prepared.stem}.csv"'
        response.headers["Content-Disposition"] = disposition
        return response
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, prepared.sheets(context.conn()), prepared.total_line)
        response = send_file(
            path,
            mimetype=MIME["xlsx"],
            as_attachment=True,
            download_name=f"{prepared.stem}.xlsx",
        )
    except BaseException:
        os.unlink(path)
        raise
    response.call_on_close(lambda: os.unlink(path))
    return response


# --- large workbooks: a background job --------------------------------------------


def jobs_per_user() -> int:
    """Background jobs one user may have running at once (``JOBS_PER_USER``)."""
    return int(current_app.config["JOBS_PER_USER"])


def job_folder() -> Path:
    """Where background jobs (large exports, review decks) write their files."""
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def enqueue(kind: str, job_id: str, payload: dict) -> None:
    """Hand the job ``job_id`` (a row of ``export_job``) to the job queue, for a
    worker process to run (``dashboard.jobs``: ``kind`` names what it runs)."""
    current_app.extensions["job_queue"].enqueue(kind, job_id, payload)


class Cancelled(Exception):
    """The user cancelled the job (or it is no longer running)."""


class Interrupted(Exception):
    """This worker process is stopping: the job goes back on the queue."""


# Set by a worker process that stops: its jobs end at their next step without
# recording anything (the queue gives them to the next worker).
STOPPING = threading.Event()


def start_job(href: str, rows_expected: int | None) -> str | Response:
    """Queue the workbook an export link asks for, for a worker process to write;
    the job's id, or a refusal (``TooManyJobs`` when the user has
    ``JOBS_PER_USER`` running).  Old jobs' files go."""
    parsed = urlsplit(href or "")
    match = JOB_LINK.fullmatch(parsed.path)
    if match is None:
        abort(404)
    args = dict(parse_qsl(parsed.query))
    prepared = prepare(match["table"], "xlsx", args)
    if isinstance(prepared, Response):
        return prepared
    who = context.user()
    assert who is not None
    db = context.engine()
    clean_old(db)
    folder = job_folder()
    path = str(folder / f"{uuid.uuid4().hex}.xlsx")
    job_id = export_jobs.create(  # TooManyJobs: the user's limit is reached
        db,
        user_id=who.account.id,
        download_name=f"{prepared.stem}.xlsx",
        path=path,
        rows_expected=rows_expected,
        limit=jobs_per_user(),
    )
    context.audit("export", {**prepared.detail, "job": job_id})
    enqueue("export", job_id, {"prepared": prepared, "path": path})
    return job_id


def run_job(db: Engine, job_id: str, payload: dict) -> None:
    """Write the workbook of the queued job ``job_id`` (in a worker process); a
    job cancelled meanwhile is left as it is, and one cancelled while it runs
    stops at the next progress report, leaving no file."""
    prepared: Prepared = payload["prepared"]
    path: str = payload["path"]
    written = 0

    def report(n: int) -> None:
        nonlocal written
        written = n
        if STOPPING.is_set():
            raise Interrupted
        with db.connect() as conn:
            if not export_jobs.running(conn, job_id):
                raise Cancelled
        export_jobs.progress(db, job_id, n)

    if not export_jobs.begin(db, job_id):
        return  # cancelled (or given up) while it waited in the queue
    try:
        with db.connect() as conn:
            counts = write_xlsx(
                path, prepared.sheets(conn), prepared.total_line, progress=report
            )
        export_jobs.finish(db, job_id, sum(counts.values()))
    except Cancelled:
        Path(path).unlink(missing_ok=True)
    except Exception as exc:  # the job says it failed; the log says why
        Path(path).unlink(missing_ok=True)
        if STOPPING.is_set():
            return  # interrupted: the next worker writes it again
        log.exception("export job %s failed", job_id)
        Path(path).unlink(missing_ok=True)
        try:
            export_jobs.finish(db, job_id, written, error=type(exc).__name__)
        except Exception:  # the database itself is gone: the job goes stale
            log.exception("export job %s: could not record the failure", job_id)


def clean_old(db: Engine) -> None:
    """Jobs older than a day go, with their files (the job's file and those
    beside it with the same name: a kept upload, a progress note)."""
    with db.connect() as conn:
        old = export_jobs.old_jobs(conn)
    for job in old:
        path = Path(job["path"])
        path.unlink(missing_ok=True)
        for sibling in path.parent.glob(f"{path.stem}.*"):
            sibling.unlink(missing_ok=True)
    export_jobs.forget(db, [job["id"] for job in old])


def job_status(job_id: object) -> dict | None:
    """The signed-in user's job ``job_id`` (None: not theirs, or none)."""
    who = context.user()
    if who is None:
        return None
    return export_jobs.get(context.conn(), job_id, who.account.id)


def cancel(job_id: object) -> bool:
    """Cancel the signed-in user's running (or waiting) job; whether there was
    one.  Its worker stops at its next step (``export_jobs.running``)."""
    job = job_status(job_id)
    if job is None or job["status"] != "running":
        return False
    db = context.engine()
    export_jobs.finish(db, job["id"], job["rows_done"], error=export_jobs.CANCELLED)
    return True


def send_job(job_id: str, suffix: str, mimetype: str) -> ResponseReturnValue:
    """The finished file (``suffix``) of a job, to the user who started it only."""
    job = job_status(job_id)
    if (
        job is None
        or job["status"] != "done"
        or not job["path"].endswith(suffix)
        or not Path(job["path"]).is_file()
    ):
        abort(404)
    return send_file(
        job["path"],
        mimetype=mimetype,
        as_attachment=True,
        download_name=job["download_name"],
    )


def job_file(job_id: str) -> ResponseReturnValue:
    """The finished workbook of a large export."""
    return send_job(job_id, ".xlsx", MIME["xlsx"])
