"""Callbacks of the report submission page: the year's reports, the chosen one's
template and history, the upload; the sign-off of the chosen report and the
queue of reports awaiting the user's decision (``data.approvals``)."""

from __future__ import annotations

import datetime as dt

from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask import request

from callbacks import context, inputs
from callbacks import status as status_callbacks
from callbacks import tables_page as tables_callbacks
from callbacks.context import asking, conn
from callbacks.registry import Declared, declare
from data import (
    approvals,
    outliers,
    places,
    report_forms,
    submissions,
    tables,
    validation,
)
from data.db import Busy
from data.metrics import reported
from data.periods import VN_TZ, today_vn
from data.report_forms import FormError
from data.scope import Scope
from data.vocabulary import (
    APPROVAL_STATE_TERMS,
    DUE_RULE_TERMS,
    REPORT_TYPE_TERMS,
    names,
)
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


def warning_lines(records: list[dict], scope: Scope, lang: str) -> list[str]:
    """The warning rules a version broke, in words: with their values, except a
    rule reading a count of abused children for a role that does not see exact
    abuse counts (its name only)."""
    lines = []
    for record in records:
        if record.get("abuse") and not scope.exact:
            lines.append(t("rules_warning_hidden", lang, name=record["name"]))
            continue
        lines.append(
            t(
                "rules_warning",
                lang,
                name=record["name"],
                left=record["left"],
                op=validation.SYMBOLS.get(record["op"], record["op"]),
                right=record["right"],
            )
        )
    return lines


def _explanation(comment: str | None, lang: str) -> str | None:
    """The submitter's explanation of a version's warnings: "Giải trình: …"."""
    return t("rules_explanation", lang, comment=comment) if comment else None


def _history(due: submissions.Owed, scope: Scope, lang: str):
    """The report's versions (on time or late, resubmitted after a return, the
    sign-off of each, the warnings it was sent with and their explanation) and
    its sign-off steps."""
    versions = submissions.history(conn(), due.schedule_id, due.unit_id)
    steps = approvals.steps(conn(), due.schedule_id, due.unit_id)
    returned = {s["version"] for s in steps if s["action"] == approvals.RETURN}
    latest = versions[-1]["version"] if versions else None
    states = names(APPROVAL_STATE_TERMS, lang)
    rows = []
    for version in versions:
        late = submissions.days_late(version["submitted_at"], due.deadline_at)
        timing = (
            t("reports_on_time", lang)
            if late is None
            else t("reports_late", lang, days=late)
        )
        number = version["version"]
        if number == 1 and len(versions) > 1:
            timing = t("reports_timing_counts", lang, timing=timing)
        if number - 1 in returned:
            timing = f"{timing} — {t('reports_resubmitted', lang)}"
        # a version replaced before any decision awaits none
        state = version["approval"]
        shown = "" if state == approvals.PENDING and number != latest else states[state]
        rows.append(
            (
                str(number),
                _when(version["submitted_at"]),
                version["file_name"] or "",
                timing,
                shown,
                reports_page.warnings_cell(
                    warning_lines(version["rule_warnings"], scope, lang),
                    _explanation(version["warning_comment"], lang),
                ),
            )
        )
    done = [(_when(s["at"]), s["username"] or "", _step(s, lang)) for s in steps]
    return reports_page.history(rows, lang, done)


def _step(step: dict, lang: str) -> str:
    """A sign-off step in words: "Trả lại phiên bản 1: <lý do>"."""
    key = f"approval_step_{step['action']}"
    if step["action"] == approvals.APPROVE and step["comment"]:
        key = "approval_step_comment"
    said = t(key, lang, version=step["version"], comment=step["comment"] or "")
    seen = step.get("flags_seen")
    if seen:  # the outlier flags the approver was shown (data.outliers)
        said += t("approval_flags_seen", lang, n=len(seen))
    return said


QUEUE_SHOWN = 50


def _report_label(row: dict, lang: str) -> str:
    report = names(REPORT_TYPE_TERMS, lang).get(row["report_type"], "")
    return f"{report} {row['period_start'].year}"


def queue(scope: Scope, lang: str, page: object = 0):
    """The reports awaiting ``scope``'s sign-off, oldest first, ``QUEUE_SHOWN``
    a page (None for a user who signs off nothing); a page past the last is
    the last."""
    if not approvals.is_approver(scope):
        return None
    total = approvals.waiting_count(conn(), scope) or 0
    last = max(0, (total - 1) // QUEUE_SHOWN)
    page = min(max(page if isinstance(page, int) else 0, 0), last)
    rows = approvals.waiting(conn(), scope, QUEUE_SHOWN, offset=page * QUEUE_SHOWN)
    flagged = outliers.flags_of(conn(), [r["submission_id"] for r in rows], scope)
    listed = [
        reports_page.Waiting(
            submission_id=r["submission_id"],
            unit=r["unit_name"],
            report=_report_label(r, lang),
            version=r["version"],
            since=_when(r["submitted_at"]),
            warnings=warning_lines(validation.stored(r["rule_warnings"]), scope, lang),
            explanation=_explanation(r["warning_comment"], lang),
            flags=flagged.get(r["submission_id"], []),
        )
        for r in rows
    ]
    return reports_page.queue(listed, total, lang, page, QUEUE_SHOWN)


def _badge(scope: Scope, lang: str) -> str:
    """The navbar's count of reports awaiting the user's sign-off."""
    return t("approval_nav", lang, n=approvals.waiting_count(conn(), scope) or 0)


def _decide(scope: Scope, submission_id: int, action: str, comment: object, lang: str):
    """Take one sign-off decision; (done, what to say)."""
    who = context.user()
    try:
        step = approvals.decide(
            context.engine(),
            submission_id=submission_id,
            action=action,
            scope=scope,
            user_id=who.account.id if who is not None else None,
            username=who.username if who is not None else None,
            comment=None if comment is None else str(comment),
            remote_addr=request.remote_addr,
        )
    except approvals.ApprovalError as exc:
        if exc.code == "approval_outside_scope":
            context.refused_outside_area(
                "report_approval", {"submission": submission_id, "action": action}
            )
        return False, exc.message(lang)
    except Busy:
        return False, t("db_busy", lang)
    context.facts_changed()
    return True, t(f"approval_done_{action}", lang, version=step.version)


@declare(
    _declared,
    Output(ids.REPORT_CHOICE, "options"),
    Output(ids.REPORT_CHOICE, "value"),
    Output(ids.REPORT_OVERDUE, "children"),
    Output(ids.COUNTDOWN, "children"),
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
    listed = status_callbacks.countdown(scope, int(year), lang)
    return options, None, overdue(scope, int(year), lang), listed


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
    return href, opened, False, deadline, _history(due, scope, lang)


@declare(
    _declared,
    Output(ids.REPORT_APPROVAL, "children"),
    Output(ids.REPORT_DECISION, "hidden"),
    Output(ids.REPORT_APPROVE, "disabled"),
    Output(ids.REPORT_RETURN, "disabled"),
    Output(ids.REPORT_WITHDRAW, "disabled"),
    Output(ids.REPORT_UPLOAD, "disabled", allow_duplicate=True),
    Output(ids.REPORT_SEEN, "data"),
    Input(ids.REPORT_HISTORY, "children"),
    State(ids.REPORT_CHOICE, "value"),
    State(ids.REPORT_LANG, "data"),
    prevent_initial_call=True,
)
def show_sign_off(_history_shown, choice, lang):
    """The chosen report's sign-off, whenever its history is shown anew: its
    state and approver; for its approver the outlier flags of a version
    awaiting a decision; the buttons the user may use; the upload closed while
    it is approved; which version the buttons decide on."""
    scope = asking()
    lang = language(lang)
    if not choice:
        return None, True, True, True, True, True, None
    due = _chosen(choice, scope)
    found = approvals.report(conn(), due.schedule_id, due.unit_id)
    signer = approvals.approver(conn(), due.schedule_id, due.unit_id)
    if signer is None:
        return None, True, True, True, True, False, None
    if signer.level == "district":
        by = t("approval_by_district", lang, unit=signer.name or "")
    else:
        by = t("approval_by_province", lang)
    if found is None:  # nothing sent yet: who will sign it off
        return by, True, True, True, True, False, None
    state = names(APPROVAL_STATE_TERMS, lang)[found.state]
    said = [html.Span(t("approval_state", lang, version=found.version, state=state))]
    said.append(html.Span(" " + by))
    locked = found.state == approvals.APPROVED
    if locked:
        said.append(html.Div(t("approval_locked_note", lang), className="fw-semibold"))
    decides = approvals.may_decide(scope, signer)
    withdraws = approvals.may_withdraw(scope, signer)
    pending = found.state == approvals.PENDING
    if decides and pending:  # the outlier flags, seen before approving
        found_flags = outliers.flags(conn(), found.submission_id, scope)
        said.append(reports_page.flags_panel(found_flags, lang))
    return (
        said,
        not (decides or withdraws),
        not (decides and pending),
        not (decides and pending),
        not (withdraws and locked),
        locked,
        found.submission_id,
    )


@declare(
    _declared,
    Output(ids.REPORT_DECISION_RESULT, "children"),
    Output(ids.REPORT_HISTORY, "children", allow_duplicate=True),
    Output(ids.REPORT_COMMENT, "value"),
    Output(ids.APPROVAL_QUEUE, "children", allow_duplicate=True),
    Output(ids.APPROVAL_COUNT, "children", allow_duplicate=True),
    Input(ids.REPORT_APPROVE, "n_clicks"),
    Input(ids.REPORT_RETURN, "n_clicks"),
    Input(ids.REPORT_WITHDRAW, "n_clicks"),
    State(ids.REPORT_SEEN, "data"),
    State(ids.REPORT_CHOICE, "value"),
    State(ids.REPORT_COMMENT, "value"),
    State(ids.REPORT_LANG, "data"),
    State(ids.QUEUE_PAGE, "data"),
    prevent_initial_call=True,
)
def decide_chosen(_approve, _return, _withdraw, seen, choice, comment, lang, page):
    """Approve, return or withdraw the approval of the version shown (with the
    comment); say what happened or why not; refresh the history (and so the
    sign-off), the queue and the navbar's count."""
    scope = asking()
    lang = language(lang)
    action = {
        ids.REPORT_APPROVE: approvals.APPROVE,
        ids.REPORT_RETURN: approvals.RETURN,
        ids.REPORT_WITHDRAW: approvals.WITHDRAW,
    }.get(str(ctx.triggered_id))
    if action is None or not scope.sees_tables or not str(seen).isdigit():
        raise PreventUpdate
    due = _chosen(choice, scope)
    done, said = _decide(scope, int(str(seen)), action, comment, lang)
    refreshed = (queue(scope, lang, page), _badge(scope, lang))
    if not approvals.is_approver(scope):
        refreshed = (no_update, no_update)
    return (
        reports_page.notice(said, done),
        _history(due, scope, lang),
        "" if done else no_update,
        *refreshed,
    )


def _clicked(kind: str) -> int | None:
    """The submission whose queue button of ``kind`` was clicked (None: none)."""
    found = ctx.triggered_id
    if not isinstance(found, dict) or found.get("type") != kind:
        return None
    if not any(item.get("value") for item in ctx.triggered):
        return None  # the queue drawn anew, not a click
    submission = found.get("submission")
    return submission if isinstance(submission, int) else None


@declare(
    _declared,
    Output(ids.APPROVAL_QUEUE_RESULT, "children"),
    Output(ids.APPROVAL_QUEUE, "children", allow_duplicate=True),
    Output(ids.APPROVAL_COUNT, "children", allow_duplicate=True),
    Output(ids.REPORT_HISTORY, "children", allow_duplicate=True),
    Input({"type": ids.QUEUE_APPROVE, "submission": ALL}, "n_clicks"),
    Input({"type": ids.QUEUE_RETURN, "submission": ALL}, "n_clicks"),
    State({"type": ids.QUEUE_REASON, "submission": ALL}, "value"),
    State(ids.REPORT_LANG, "data"),
    State(ids.QUEUE_PAGE, "data"),
    State(ids.REPORT_CHOICE, "value"),
    prevent_initial_call=True,
)
def decide_listed(_approve, _return, _reasons, lang, page, choice):
    """Approve or return (with the reason typed beside it) a report of the
    queue; say what happened or why not; the queue and the count anew, and the
    chosen report's history (its decision panel follows it)."""
    scope = asking()
    lang = language(lang)
    if not scope.sees_tables:
        raise PreventUpdate
    approve, send_back = _clicked(ids.QUEUE_APPROVE), _clicked(ids.QUEUE_RETURN)
    submission = approve if approve is not None else send_back
    if submission is None:
        raise PreventUpdate
    action = approvals.APPROVE if approve is not None else approvals.RETURN
    reasons = {
        item["id"].get("submission"): item.get("value")
        for item in (ctx.states_list[0] if ctx.states_list else [])
        if isinstance(item.get("id"), dict)
    }
    done, said = _decide(scope, submission, action, reasons.get(submission), lang)
    history = no_update
    if done and choice:
        try:
            history = _history(_chosen(choice, scope), scope, lang)
        except PreventUpdate:
            history = no_update
    if not approvals.is_approver(scope):
        return reports_page.notice(said, done), no_update, no_update, history
    shown = queue(scope, lang, page)
    return reports_page.notice(said, done), shown, _badge(scope, lang), history


@declare(
    _declared,
    Output(ids.APPROVAL_QUEUE, "children", allow_duplicate=True),
    Output(ids.QUEUE_PAGE, "data"),
    Input({"type": ids.QUEUE_TO, "page": ALL}, "n_clicks"),
    State(ids.REPORT_LANG, "data"),
    prevent_initial_call=True,
)
def queue_page(_clicks, lang):
    """Another page of the approver's queue."""
    found = ctx.triggered_id
    if not isinstance(found, dict) or not any(i.get("value") for i in ctx.triggered):
        raise PreventUpdate  # the buttons drawn anew, not a click
    scope = asking()
    if not scope.sees_tables or not approvals.is_approver(scope):
        raise PreventUpdate
    page = found.get("page")
    page = page if isinstance(page, int) and page >= 0 else 0
    return queue(scope, language(lang), page), page


@declare(
    _declared,
    Output(ids.APPROVAL_QUEUE, "children", allow_duplicate=True),
    Output(ids.APPROVAL_COUNT, "children", allow_duplicate=True),
    Input(ids.REPORT_RESULT, "children"),
    State(ids.REPORT_LANG, "data"),
    State(ids.QUEUE_PAGE, "data"),
    prevent_initial_call=True,
)
def queue_after_upload(_result, lang, page):
    """An upload may add to the approver's own queue (a district office sending
    its commune's report): the queue and the count anew."""
    scope = asking()
    if not scope.sees_tables or not approvals.is_approver(scope):
        raise PreventUpdate
    lang = language(lang)
    return queue(scope, lang, page), _badge(scope, lang)


@declare(
    _declared,
    Output(ids.COUNTDOWN, "children", allow_duplicate=True),
    Input(ids.REPORT_RESULT, "children"),
    State(ids.REPORT_YEAR, "value"),
    State(ids.REPORT_LANG, "data"),
    prevent_initial_call=True,
)
def countdown_after_upload(_result, year, lang):
    """A report sent leaves the countdown of units still to report."""
    scope = asking()
    if not scope.sees_tables or not str(year).isdigit():
        raise PreventUpdate
    return status_callbacks.countdown(scope, int(year), language(lang))


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
    Output(ids.REPORT_EXPLAIN, "hidden"),
    Output(ids.REPORT_EXPLANATION, "value"),
    Input(ids.REPORT_UPLOAD, "contents"),
    Input(ids.REPORT_EXPLAIN_SEND, "n_clicks"),
    State(ids.REPORT_UPLOAD, "filename"),
    State(ids.REPORT_CHOICE, "value"),
    State(ids.REPORT_YEAR, "value"),
    State(ids.REPORT_LANG, "data"),
    State(ids.REPORT_EXPLANATION, "value"),
    prevent_initial_call=True,
)
def upload(contents, _send, filename, choice, year, lang, explanation):
    """Check and store the uploaded report (all or nothing); say what happened
    and which of its figures count on the map; refresh everything the page shows
    that the upload changes (history, the choices' counts, the overdue list).
    A report breaking warning rules is kept in the upload box, its warnings
    listed with the explanation box; the button sends it again with the
    explanation (a new file is checked without one)."""
    scope = asking()
    lang = language(lang)
    explained = ctx.triggered_id == ids.REPORT_EXPLAIN_SEND
    if explained and not contents:
        raise PreventUpdate
    encoded = inputs.encoded_upload(contents)
    due = _chosen(choice, scope)
    who = context.user()
    user_id = who.account.id if who is not None else None
    name = str(filename or "bao-cao.xlsx")
    size = inputs.decoded_size(encoded)
    closed = (None, True, "")  # the upload box emptied, no explanation asked

    def answer(result, rest=closed):
        return result, *_refreshed(scope, due, year, lang), *rest

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
            explanation=str(explanation or "") if explained else None,
        )
        context.facts_changed()
    except FormError as exc:
        title = t("reports_refused", lang, n=len(exc.problems))
        return answer(reports_page.refused(title, exc.messages(lang)))
    except submissions.NeedsExplanation as exc:
        title = t("rules_explain_title", lang, n=len(exc.warnings))
        said = exc.messages(lang)
        if explained:  # sent again, still without a (short enough) explanation
            said = [exc.reason.text(lang), *said]
        kept = (no_update, False, no_update if explained else "")
        return answer(reports_page.warned(title, said), kept)
    except submissions.Locked as exc:
        return answer(reports_page.refused(exc.message(lang)))
    except Busy:
        return answer(reports_page.refused(t("db_busy", lang)))
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
    if receipt.warnings:
        text = f"{text} {t('rules_explained', lang, n=receipt.warnings)}"
    result = reports_page.received(
        text,
        t("reports_first_counts", lang),
        map_uses(due, receipt.figures, lang),
        t("reports_uses_title", lang),
    )
    return answer(result)


@declare(
    _declared,
    Output(ids.REPORT_EXPLAIN, "hidden", allow_duplicate=True),
    Output(ids.REPORT_UPLOAD, "contents", allow_duplicate=True),
    Output(ids.REPORT_RESULT, "children", allow_duplicate=True),
    Input(ids.REPORT_CHOICE, "value"),
    prevent_initial_call=True,
)
def forget_upload(_choice):
    """Another report chosen: a file kept for its explanation is dropped, with
    its warnings and the explanation box."""
    if not asking().sees_tables:
        raise PreventUpdate
    return True, None, None


def _refreshed(scope: Scope, due: submissions.Owed, year: object, lang: str) -> tuple:
    """What the page shows that an upload may change: the report's history, the
    choices (their "sent n times") and the overdue list."""
    listed = overdue(scope, int(str(year)), lang) if str(year).isdigit() else None
    return _history(due, scope, lang), _options(scope, year, lang), listed


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
