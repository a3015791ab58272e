"""Callbacks of the report submission page: the year's reports, the chosen one's
template and history, the upload."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate
from flask import request

from callbacks import context, inputs
from callbacks import tables_page as tables_callbacks
from callbacks.context import asking, conn
from callbacks.registry import Declared, declare
from data import places, report_forms, submissions, tables
from data.db import Busy
from data.metrics import reported
from data.periods import VN_TZ, today_vn
from data.report_forms import FormError
from data.scope import Scope
from data.vocabulary import DUE_RULE_TERMS, REPORT_TYPE_TERMS, names
from layouts import ids, reports_page
from layouts.formatting import unit_and_filer
from layouts.i18n import language, t

_declared: list[Declared] = []


def _rule(inclusive: bool, lang: str) -> str:
    return names(DUE_RULE_TERMS, lang)["inclusive" if inclusive else "exclusive"]


def unit_label(name: str, abolished_on: object, filer: object, lang: str) -> str:
    """The unit, and for one abolished before the due date who files for it:
    "Huyện X (đã giải thể 01/07/2025) — do Tỉnh Y nộp thay"."""
    return unit_and_filer(name, filer, abolished_on, lang)


def option_label(row: dict, lang: str) -> str:
    sent = t("reports_sent", lang, n=row["versions"]) if row["versions"] else ""
    return t(
        "reports_option",
        lang,
        report=names(REPORT_TYPE_TERMS, lang)[row["report_type"]],
        year=row["period_start"].year,
        unit=unit_label(
            row["unit_name"], row.get("abolished_on"), row.get("filer"), lang
        ),
        due=row["due_date"].strftime("%d/%m/%Y"),
        rule=_rule(row["due_inclusive"], lang).lower(),
        sent=sent,
    )


def choices(scope: Scope, year: int, lang: str) -> list[tuple[str, str]]:
    rows = submissions.choices(conn(), scope, year)
    return [(f"{r['schedule_id']}:{r['unit_id']}", option_label(r, lang)) for r in rows]


def _chosen(choice: object, scope: Scope) -> submissions.Owed:
    """The report a choice names, when the user may submit it (else PreventUpdate;
    a unit outside the user's area is audited)."""
    try:
        schedule_id, unit_id = (int(x) for x in str(choice).split(":"))
        due = submissions.owed(conn(), schedule_id, unit_id)
    except (TypeError, ValueError, submissions.NotOwed) as exc:
        raise PreventUpdate from exc
    if not submissions.may_submit(conn(), scope, unit_id):
        context.refused_outside_area(
            "report",
            {"schedule": schedule_id, "unit": due.form.unit_code},
        )
        raise PreventUpdate
    return due


OVERDUE_SHOWN = 20


def overdue(scope: Scope, year: int, lang: str):
    """The reports of ``year`` still missing after their deadline in the user's
    area (their district or commune; the province for the province), most overdue
    first, with a link to the whole list on the tables page."""
    try:
        shown = tables_callbacks.state(
            scope, lang, table="reports", unit=None, period=str(year), status="missing"
        )
        filters = tables.resolve(
            conn(),
            "reports",
            unit=shown.unit,
            period=shown.period,
            status="missing",
            scope=scope,
            today=today_vn(),
        )
    except ValueError:
        return None
    rows, total = tables.page(
        conn(),
        "reports",
        filters,
        scope,
        0,
        OVERDUE_SHOWN,
        lang=lang,
        sort_model=[("days_late", False)],
    )
    listed = [
        (
            unit_and_filer(r["unit"], r["filed_by"], r[tables.ABOLISHED_ON], lang),
            r["report"],
            r["due_date"].strftime("%d/%m/%Y"),
            str(int(r["days_late"])),
        )
        for r in rows.to_dict("records")
    ]
    place = dict(shown.units).get(shown.unit, shown.unit)
    more = (
        f"/tables?table=reports&unit={shown.unit}&tree={filters.tree}"
        f"&period={shown.period}&lang={lang}"
    )
    return reports_page.overdue(listed, total, place, more, lang)


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _history(due: submissions.Owed, lang: str):
    rows = []
    for version in submissions.history(conn(), due.schedule_id, due.unit_id):
        late = submissions.days_late(version["submitted_at"], due.deadline_at)
        timing = (
            t("reports_on_time", lang)
            if late is None
            else t("reports_late", lang, days=late)
        )
        rows.append(
            (
                str(version["version"]),
                _when(version["submitted_at"]),
                version["file_name"] or "",
                timing,
            )
        )
    return reports_page.history(rows, lang)


@declare(
    _declared,
    Output(ids.REPORT_CHOICE, "options"),
    Output(ids.REPORT_CHOICE, "value"),
    Output(ids.REPORT_OVERDUE, "children"),
    Input(ids.REPORT_YEAR, "value"),
    State(ids.REPORT_LANG, "data"),
    prevent_initial_call=True,
)
def change_year(year, lang):
    scope = asking()
    if not scope.sees_tables or not str(year).isdigit():
        raise PreventUpdate
    lang = language(lang)
    options = reports_page.choice_options(choices(scope, int(year), lang))
    return options, None, overdue(scope, int(year), lang)


@declare(
    _declared,
    Output(ids.REPORT_TEMPLATE, "href"),
    Output(ids.REPORT_TEMPLATE, "className"),
    Output(ids.REPORT_UPLOAD, "disabled"),
    Output(ids.REPORT_DEADLINE, "children"),
    Output(ids.REPORT_HISTORY, "children"),
    Input(ids.REPORT_CHOICE, "value"),
    State(ids.REPORT_LANG, "data"),
)
def show_choice(choice, lang):
    """The chosen report: its template link, deadline and versions."""
    scope = asking()
    lang = language(lang)
    closed = "btn btn-outline-primary btn-sm mb-2 disabled"
    if not choice:
        return "#", closed, True, None, None
    due = _chosen(choice, scope)
    deadline = [
        html.Div(
            t(
                "reports_deadline",
                lang,
                rule=_rule(due.due_inclusive, lang),
                due=due.due_date.strftime("%d/%m/%Y"),
                late=_when(due.deadline_at),
            )
        )
    ]
    if due.basis:
        deadline.append(html.Div(t("reports_basis", lang, basis=due.basis)))
    if due.abolished_on is not None and due.filer:
        label = unit_label(due.form.unit_name, due.abolished_on, due.filer, lang)
        deadline.append(html.Div(label, className="fw-semibold"))
    href = f"/reports/template/{due.schedule_id}/{due.unit_id}.xlsx"
    opened = "btn btn-primary btn-sm mb-2"
    return href, opened, False, deadline, _history(due, lang)


def upload_limit(max_content_length: int) -> int:
    """The largest report file the upload box takes (``inputs.upload_limit``)."""
    return inputs.upload_limit(max_content_length, report_forms.MAX_BYTES)


@declare(
    _declared,
    Output(ids.REPORT_RESULT, "children"),
    Output(ids.REPORT_HISTORY, "children", allow_duplicate=True),
    Output(ids.REPORT_CHOICE, "options", allow_duplicate=True),
    Output(ids.REPORT_OVERDUE, "children", allow_duplicate=True),
    Output(ids.REPORT_UPLOAD, "contents"),
    Input(ids.REPORT_UPLOAD, "contents"),
    State(ids.REPORT_UPLOAD, "filename"),
    State(ids.REPORT_CHOICE, "value"),
    State(ids.REPORT_YEAR, "value"),
    State(ids.REPORT_LANG, "data"),
    prevent_initial_call=True,
)
def upload(contents, filename, choice, year, lang):
    """Check and store the uploaded report (all or nothing); say what happened
    and which of its figures count on the map; refresh everything the page shows
    that the upload changes (history, the choices' counts, the overdue list)."""
    scope = asking()
    lang = language(lang)
    encoded = inputs.encoded_upload(contents)
    due = _chosen(choice, scope)
    who = context.user()
    user_id = who.account.id if who is not None else None
    name = str(filename or "bao-cao.xlsx")
    size = inputs.decoded_size(encoded)
    try:
        if size > report_forms.MAX_BYTES:  # refused without decoding it
            problems = [report_forms.too_large(size)]
            submissions.refused(
                context.engine(),
                due,
                file_name=name,
                size=size,
                problems=[str(p) for p in problems],
                user_id=user_id,
                remote_addr=request.remote_addr,
            )
            raise FormError(problems)
        receipt = submissions.submit(
            context.engine(),
            schedule_id=due.schedule_id,
            unit_id=due.unit_id,
            data=inputs.decode_upload(encoded),
            file_name=name,
            user_id=user_id,
            remote_addr=request.remote_addr,
        )
        context.facts_changed()
    except FormError as exc:
        title = t("reports_refused", lang, n=len(exc.problems))
        return (
            reports_page.refused(title, exc.messages(lang)),
            *_refreshed(scope, due, year, lang),
            None,
        )
    except Busy:
        return (
            reports_page.refused(t("db_busy", lang)),
            *_refreshed(scope, due, year, lang),
            None,
        )
    timing = (
        t("reports_on_time", lang)
        if receipt.on_time
        else t("reports_late", lang, days=receipt.days_late)
    )
    text = t(
        "reports_received",
        lang,
        version=receipt.version,
        at=_when(receipt.submitted_at),
        timing=timing,
    )
    result = reports_page.received(
        text,
        t("reports_first_counts", lang),
        map_uses(due, receipt.figures, lang),
        t("reports_uses_title", lang),
    )
    return result, *_refreshed(scope, due, year, lang), None


def _refreshed(scope: Scope, due: submissions.Owed, year: object, lang: str) -> tuple:
    """What the page shows that an upload may change: the report's history, the
    choices (their "sent n times") and the overdue list."""
    listed = overdue(scope, int(str(year)), lang) if str(year).isdigit() else None
    return _history(due, lang), _options(scope, year, lang), listed


def map_uses(due: submissions.Owed, figures, lang: str) -> list[str]:
    """Which figures of a report count on the map, and why records take
    precedence where they do (``data.metrics.reported``, rule 3)."""
    unit = places.unit_with_id(conn(), due.unit_id)
    level = t(f"reports_level_{unit['level'] if unit else 'commune'}", lang)
    year = due.form.start.year
    said = []
    for use in reported.uses(conn(), due.unit_id, year):
        what = _case_words(figures, lang) if use.section == "case" else ""
        key = f"reports_{'counts' if use.counts else 'records'}_{use.section}"
        said.append(t(key, lang, what=what, level=level, year=year))
    return [*said, t("reports_not_mapped", lang)]


def _case_words(figures, lang: str) -> str:
    """The categories a report has cases of: "xâm hại", "tai nạn thương tích",
    both, or "vụ việc" when none."""
    found = {key[0] for key in (getattr(figures, "cases", None) or {})}
    if found == {"abuse"}:
        return t("reports_what_abuse", lang)
    if found == {"injury"}:
        return t("reports_what_injury", lang)
    return t("reports_what_both" if found else "reports_what_case", lang)


def _options(scope: Scope, year: object, lang: str) -> list[dict]:
    if not str(year).isdigit():
        return []
    return reports_page.choice_options(choices(scope, int(str(year)), lang))


CALLBACKS = tuple(_declared)
