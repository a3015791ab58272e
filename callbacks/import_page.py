"""Callbacks of the import page: the kind's template links and those of its
stored rows in the same form (or why they are not offered), the check of an
uploaded file (a dry run: nothing written), and the confirmed import of that same
file (``data.fact_import``: checked again and written in one transaction)."""

from __future__ import annotations

import hashlib

from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask import request

from callbacks import context, import_job, inputs
from callbacks.context import asking
from callbacks.registry import Declared, declare
from data import export_jobs, fact_import
from data.db import Busy, transaction
from data.demo import clear
from data.fact_import import export
from data.problems import ProblemError
from data.scope import Scope
from layouts import ids, import_page
from layouts.formatting import dong, number
from layouts.i18n import language, t

_declared: list[Declared] = []

HIDDEN, SHOWN = "mb-2 d-none", "mb-2"
CHANGES_LISTED = 20


def kinds(lang: str) -> list[tuple[str, str]]:
    """(key, label) of every kind of facts the page imports."""
    return [(key, t(f"import_kind_{key}", lang)) for key in fact_import.KINDS]


def allowed(scope: Scope | None) -> bool:
    """Whether ``scope`` may import at all (``data.fact_import``'s rule)."""
    if scope is None:
        return False
    try:
        fact_import.check_role(scope)
    except ProblemError:
        return False
    return True


def _kind(key: object) -> fact_import.Kind:
    found = fact_import.KINDS.get(str(key))
    if found is None:
        raise PreventUpdate
    return found


def export_refused(scope: Scope, kind: fact_import.Kind, lang: str) -> str:
    """Why ``scope`` may not download the stored rows of ``kind`` ("": it
    may): incident cases and indicator values need exact counts."""
    try:
        export.check_export(scope, kind)
    except ProblemError as exc:
        return exc.message(lang)
    return ""


@declare(
    _declared,
    Output(ids.IMPORT_TEMPLATE_XLSX, "href"),
    Output(ids.IMPORT_TEMPLATE_CSV, "href"),
    Output(ids.IMPORT_EXPORT_XLSX, "href"),
    Output(ids.IMPORT_EXPORT_CSV, "href"),
    Output(ids.IMPORT_EXPORT, "className"),
    Output(ids.IMPORT_EXPORT_REFUSED, "children"),
    Output(ids.IMPORT_LARGE_LINK, "href"),
    Input(ids.IMPORT_KIND, "value"),
    Input(ids.IMPORT_EXPORT_YEAR, "value"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def choose_kind(kind, year, lang):
    """The chosen kind's templates, and its stored rows (of the chosen year, or
    all) in the same form unless they are protected from the user (then
    why)."""
    spec = _kind(kind)
    scope = asking()
    lang = language(lang)
    key = spec.name
    refused = export_refused(scope, spec, lang)
    shown = import_page.EXPORT_HIDDEN if refused else import_page.EXPORT_SHOWN
    return (
        import_page.template_href(key, "xlsx"),
        import_page.template_href(key, "csv"),
        import_page.export_href(key, "xlsx", lang, year),
        import_page.export_href(key, "csv", lang, year),
        shown,
        import_page.export_refused(refused),
        import_page.large_href(key, lang),
    )


def _value(key: str, value: object, lang: str, kind: fact_import.Kind) -> str:
    if key == "amount_dong" and isinstance(value, int):
        return dong(value, lang)
    if key == kind.store.label and isinstance(value, str):
        return kind.term(key, value, lang)
    if isinstance(value, tuple):  # an assessment's criterion scores
        return ", ".join(map(str, value))
    return str(value)


def _fields(change: fact_import.Change, kind: fact_import.Kind, lang: str) -> str:
    headers = {c.stored: c.header for c in kind.columns}
    return "; ".join(
        f"{headers.get(key, key)}: "
        f"{_value(key, change.before.get(key), lang, kind)} → "
        f"{_value(key, change.after.get(key), lang, kind)}"
        for key in change.after
    )


def _figure(value: float | None, measure: str, lang: str) -> str:
    """A unit's figure in the summary: cases, children, points, đồng
    (1.234.567 đ), an indicator's value (82,5)."""
    if value is None:
        return "–"
    if measure == "dong":
        return dong(int(value), lang)
    return number(value, lang, 0 if float(value).is_integer() else 2)


def _label(kind: fact_import.Kind, code: str, lang: str) -> str:
    """The status a group's figure leads to (an assessment's), or ""."""
    label = kind.store.label
    return f" – {kind.term(label, code, lang)}" if label and code else ""


def _unit_line(unit: fact_import.UnitCount) -> str:
    when = [unit.detail] if unit.detail else []
    when += [] if unit.year is None else [str(unit.year)]
    return f"{unit.code} {unit.name}" + (f" ({' '.join(when)})" if when else "")


def _checked(
    summary: fact_import.Summary, kind: fact_import.Kind, lang: str, exact: bool
) -> import_page.CheckedFile:
    """The dry run in words.  A role that does not see exact counts learns
    nothing of the cases already stored (how many per commune, whether a case
    reference exists, what it holds): only what its own file brings.  The
    fund's figures are not protected (``Kind.sensitive``): every role that
    imports them sees them in full."""
    unlisted = summary.problem_count - len(summary.problems)
    problems = [p.text(lang) for p in summary.problems]
    problems_title = t("fact_problems", lang, n=summary.problem_count)
    more_problems = t("fact_more_problems", lang, n=unlisted) if unlisted else ""
    title = t("import_checked", lang, file=summary.file_name)
    if not exact:
        counts = {
            "rows": summary.rows,
            "accepted": summary.new + summary.updated + summary.unchanged,
            "refused": summary.refused,
        }
        return import_page.CheckedFile(
            title=title,
            counts=[
                (t(f"import_count_{k}", lang), number(n, lang, 0))
                for k, n in counts.items()
            ],
            communes=[],
            more_communes="",
            changes=[],
            problems=problems,
            problems_title=problems_title,
            more_problems=more_problems,
            note=t("import_restricted_note", lang),
        )
    listed = summary.units[: import_page.COMMUNES_LISTED]
    more = len(summary.units) - len(listed)
    measure, more_key = summary.measure, "import_more_communes"
    if not kind.communes_only:
        more_key = "import_more_units"
    return import_page.CheckedFile(
        title=title,
        counts=[
            (t(f"import_count_{k}", lang), number(n, lang, 0))
            for k, n in summary.counts().items()
        ],
        communes=[
            (
                _unit_line(c),
                _figure(c.before, measure, lang),
                _figure(c.after, measure, lang) + _label(kind, c.label, lang),
            )
            for c in listed
        ],
        more_communes=t(more_key, lang, n=more) if more > 0 else "",
        changes=[
            t(
                "import_change",
                lang,
                row=c.row,
                what=t(f"import_ref_{kind.name}", lang),
                ref=c.ref,
                unit=c.unit,
                fields=_fields(c, kind, lang),
            )
            for c in summary.changes[:CHANGES_LISTED]
        ]
        + import_page.restated(summary.restated, lang, done=False),
        problems=problems,
        problems_title=problems_title,
        more_problems=more_problems,
        units_title=t(f"import_units_{kind.name}", lang),
        unit_header=t(
            "import_col_commune" if kind.communes_only else "import_col_unit", lang
        ),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@declare(
    _declared,
    Output(ids.IMPORT_SUMMARY, "children"),
    Output(ids.IMPORT_PENDING, "data"),
    Output(ids.IMPORT_CONFIRM, "children"),
    Output(ids.IMPORT_CONFIRM, "className"),
    Output(ids.IMPORT_CONFIRM, "disabled"),
    Output(ids.IMPORT_RESULT, "children"),
    Output(ids.IMPORT_DEMO, "children"),
    Input(ids.IMPORT_UPLOAD, "contents"),
    State(ids.IMPORT_UPLOAD, "filename"),
    State(ids.IMPORT_KIND, "value"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def check_file(contents, filename, kind, lang):
    """Check the uploaded file and say what importing it would change, or list
    every problem; nothing is written.  The confirm button shows only for a file
    without problems that changes something.  When a province of the file still
    holds demo data (the check refuses the file): the offer to clear it, or to
    ask the province."""
    scope = asking()
    lang = language(lang)
    spec = _kind(kind)
    encoded = inputs.encoded_upload(contents)
    name = str(filename or f"{spec.name}.xlsx")
    hidden = (None, t("import_confirm", lang, n=0), HIDDEN, True)
    who = context.user()
    try:
        summary = fact_import.dry_run(
            context.engine(),
            spec,
            inputs.decode_upload(encoded),
            file_name=name,
            scope=scope,
            user_id=who.account.id if who is not None else None,
            username=who.username if who is not None else None,
            remote_addr=request.remote_addr,
        )
    except ProblemError as exc:
        return import_page.message(exc.message(lang), "danger"), *hidden, None, None
    except Busy:
        busy = import_page.message(t("db_busy", lang), "warning")
        return busy, *hidden, None, None
    return _after_check(summary, spec, scope, lang)


def _after_check(
    summary: fact_import.Summary, spec: fact_import.Kind, scope: Scope, lang: str
) -> tuple:
    """A checked file in words: the summary, what to confirm (None: nothing),
    the confirm button's label, class and disabled flag, a closing message,
    and the offer to clear demo data."""
    hidden = (None, t("import_confirm", lang, n=0), HIDDEN, True)
    exact = scope.exact or not spec.sensitive
    shown = import_page.checked(_checked(summary, spec, lang, exact), lang)
    demo = _demo_offer(summary.demo, scope, lang)
    if not summary.ok:
        return shown, *hidden, None, demo
    accepted = summary.new + summary.updated + summary.unchanged
    if exact and not (summary.new or summary.updated):
        what = t(f"fact_rows_{spec.name}", lang)
        done = import_page.message(
            t("import_nothing_to_do", lang, what=what), "secondary"
        )
        return shown, *hidden, done, demo
    if not accepted:
        return shown, *hidden, None, demo
    pending = {"kind": spec.name, "file": summary.file_name, "sha256": summary.sha256}
    rows = summary.new + summary.updated if exact else accepted
    label = t("import_confirm", lang, n=rows)
    return shown, pending, label, SHOWN, False, None, demo


@declare(
    _declared,
    Output(ids.IMPORT_RESULT, "children", allow_duplicate=True),
    Output(ids.IMPORT_PENDING, "data", allow_duplicate=True),
    Output(ids.IMPORT_CONFIRM, "className", allow_duplicate=True),
    Output(ids.IMPORT_CONFIRM, "disabled", allow_duplicate=True),
    Input(ids.IMPORT_CONFIRM, "n_clicks"),
    State(ids.IMPORT_PENDING, "data"),
    State(ids.IMPORT_UPLOAD, "contents"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def confirm(clicks, pending, contents, lang):
    """Import the file just checked: checked again as it is written, in one
    transaction; nothing is written when it is not the same file or has a problem
    now (another import got there first)."""
    if not clicks or not isinstance(pending, dict):
        raise PreventUpdate
    scope = asking()
    lang = language(lang)
    spec = _kind(pending.get("kind"))
    data = inputs.decode_upload(inputs.encoded_upload(contents))
    done = (None, HIDDEN, True)
    if _sha256(data) != pending.get("sha256"):
        return import_page.message(t("import_file_changed", lang), "danger"), *done
    who = context.user()
    try:
        summary = fact_import.apply(
            context.engine(),
            spec,
            data,
            file_name=str(pending.get("file") or spec.name),
            scope=scope,
            user_id=who.account.id if who is not None else None,
            username=who.username if who is not None else None,
            remote_addr=request.remote_addr,
        )
    except ProblemError as exc:
        return import_page.message(exc.message(lang), "danger"), *done
    except Busy:
        return import_page.message(t("db_busy", lang), "warning"), no_update, *done[1:]
    if summary.written:
        context.facts_changed()
    return _imported(summary, spec, scope, lang), *done


def _imported(
    summary: fact_import.Summary, spec: fact_import.Kind, scope: Scope, lang: str
):
    """What an import did, in words: written, or refused (another import got
    there first, or the file has a problem now)."""
    if not summary.written:
        problems = [p.text(lang) for p in summary.problems]
        title = t("fact_problems", lang, n=summary.problem_count)
        text = "\n".join([title, *problems, t("fact_nothing_written", lang)])
        return import_page.message(text, "danger")
    if scope.exact or not spec.sensitive:
        what = t(f"fact_rows_{spec.name}", lang)
        text = t(
            "import_done", lang, new=summary.new, updated=summary.updated, what=what
        )
        text = "\n".join([text, *import_page.restated(summary.restated, lang)])
    else:  # as the check said: the file's rows, not what they replaced
        accepted = summary.new + summary.updated + summary.unchanged
        text = t("import_done_rows", lang, n=accepted)
    return import_page.message(text, "success")


# --- a large file, checked and imported by a background job --------------------------


def _job_view(job: dict, scope: Scope, lang: str) -> tuple:
    """The job's state in words: (status, poll disabled, confirm label, class,
    disabled, demo offer)."""
    off = (t("import_confirm", lang, n=0), HIDDEN, True)
    name = job["download_name"]
    if job["status"] == "running":
        if job["waiting"]:
            text, color = t("import_job_waiting", lang, file=name), "secondary"
        elif job["rows_expected"] is not None:  # an import: the check's rows known
            text = t(
                "import_job_importing",
                lang,
                file=name,
                rows=job["rows_read"],
                total=job["rows_expected"],
            )
            color = "info"
        else:
            text = t("import_job_checking", lang, file=name, rows=job["rows_read"])
            color = "info"
        return import_page.message(text, color), False, *off, no_update
    summary = job["summary"]
    if job["status"] != "done" or summary is None:
        if job["error"] == "file_changed":
            text = t("import_file_changed", lang)
        elif job["error"] == export_jobs.CANCELLED:
            text = t("import_job_cancelled", lang)
        else:
            text = t("import_job_failed", lang, file=name, error=job["error"] or "")
        return import_page.message(text, "danger"), True, *off, None
    spec = fact_import.KINDS[summary.kind]
    if job["extra"].get("applied"):
        if summary.written:
            context.facts_changed()
        return _imported(summary, spec, scope, lang), True, *off, None
    shown, pending, label, css, disabled, done, demo = _after_check(
        summary, spec, scope, lang
    )
    return html.Div([shown, done]), True, label, css, disabled, demo


@declare(
    _declared,
    Output(ids.IMPORT_JOB_STATUS, "children"),
    Output(ids.IMPORT_JOB_POLL, "disabled"),
    Output(ids.IMPORT_JOB_CONFIRM, "children"),
    Output(ids.IMPORT_JOB_CONFIRM, "className"),
    Output(ids.IMPORT_JOB_CONFIRM, "disabled"),
    Output(ids.IMPORT_DEMO, "children", allow_duplicate=True),
    Output(ids.IMPORT_JOB_CANCEL, "className"),
    Input(ids.IMPORT_JOB_POLL, "n_intervals"),
    State(ids.IMPORT_JOB, "data"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def poll_job(_ticks, job_id, lang):
    """How far the background check (or import) of a large file got; once
    checked, its summary and the confirm button, as for a small file.  The
    cancel button shows while the job runs."""
    scope = asking()
    if not allowed(scope):
        raise PreventUpdate
    job = import_job.status(job_id)
    if job is None:
        raise PreventUpdate
    running = job["status"] == "running"
    return *_job_view(job, scope, language(lang)), "mb-2" if running else HIDDEN


@declare(
    _declared,
    Output(ids.IMPORT_JOB_STATUS, "children", allow_duplicate=True),
    Output(ids.IMPORT_JOB_POLL, "disabled", allow_duplicate=True),
    Output(ids.IMPORT_JOB_CANCEL, "className", allow_duplicate=True),
    Input(ids.IMPORT_JOB_CANCEL, "n_clicks"),
    State(ids.IMPORT_JOB, "data"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def cancel_job(clicks, job_id, lang):
    """Cancel the running check or import of a large file (the user's own)."""
    if not clicks or not allowed(asking()) or not import_job.cancel(job_id):
        raise PreventUpdate
    text = t("import_job_cancelled", language(lang))
    return import_page.message(text, "secondary"), True, HIDDEN


@declare(
    _declared,
    Output(ids.IMPORT_JOB, "data", allow_duplicate=True),
    Output(ids.IMPORT_JOB_POLL, "disabled", allow_duplicate=True),
    Output(ids.IMPORT_JOB_CONFIRM, "className", allow_duplicate=True),
    Output(ids.IMPORT_JOB_CONFIRM, "disabled", allow_duplicate=True),
    Output(ids.IMPORT_JOB_STATUS, "children", allow_duplicate=True),
    Input(ids.IMPORT_JOB_CONFIRM, "n_clicks"),
    State(ids.IMPORT_JOB, "data"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def confirm_job(clicks, job_id, lang):
    """Queue the import of the large file just checked (that same file)."""
    if not clicks:
        raise PreventUpdate
    scope = asking()
    lang = language(lang)
    if not allowed(scope):
        raise PreventUpdate
    try:
        started = import_job.confirm(job_id)
    except export_jobs.TooManyJobs as exc:
        text = t("jobs_too_many", lang, running=exc.running, limit=exc.limit)
        return no_update, True, HIDDEN, True, import_page.message(text, "warning")
    if started is None:
        text = t("import_file_changed", lang)
        return no_update, True, HIDDEN, True, import_page.message(text, "danger")
    waiting = t("import_job_waiting", lang, file="")
    return started, False, HIDDEN, True, import_page.message(waiting, "secondary")


# --- a province of the file still holds demo data ---------------------------------


def _demo_offer(held: list, scope: Scope, lang: str):
    """What the page says of the provinces of the file still holding demo data:
    their counts and buttons (admin, province), or to ask the province."""
    if not held:
        return None
    if not clear.may_clear(scope):
        return import_page.demo_ask([p.name for p in held], lang)
    conn = context.conn()
    offers = []
    for province in held:
        found = clear.count_province(conn, province.code, province.tree)
        counts = [(t(f"demo_table_{k}", lang), n) for k, n in found.counts.items()]
        key = f"{province.tree}/{province.code}"
        offers.append(import_page.DemoOffer(key, province.name, counts))
    return import_page.demo_offer(offers, lang)


@declare(
    _declared,
    Output(ids.IMPORT_DEMO_RESULT, "children"),
    Output(ids.IMPORT_DEMO, "children", allow_duplicate=True),
    Input({"type": ids.IMPORT_DEMO_CLEAR, "province": ALL}, "submit_n_clicks"),
    State(ids.IMPORT_LANG, "data"),
    prevent_initial_call=True,
)
def clear_demo(clicks, lang):
    """Clear the confirmed province's demo data (admin, province only)."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(clicks or []):
        raise PreventUpdate
    scope = asking()
    lang = language(lang)
    if not clear.may_clear(scope):
        return import_page.message(t("demo_clear_role", lang), "danger"), no_update
    tree, _, code = str(trigger.get("province")).partition("/")
    who = context.user()
    try:
        with transaction(context.engine()) as session:
            done = clear.clear_province(
                session,
                code,
                tree,
                user_id=who.account.id if who is not None else None,
                username=who.username if who is not None else None,
                remote_addr=request.remote_addr,
            )
    except ProblemError as exc:
        return import_page.message(exc.message(lang), "danger"), None
    except Busy:
        return import_page.message(t("db_busy", lang), "warning"), no_update
    context.facts_changed()
    text = t("demo_clear_done", lang, province=done.name, total=done.total)
    return import_page.message(text, "success"), None


CALLBACKS = tuple(_declared)
