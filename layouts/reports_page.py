"""The page where a unit submits a periodic report: choose it, download its
template, upload the filled file, see the receipt or every problem, and the
versions sent so far.  Pure functions; ``callbacks/reports_page.py`` fills them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.outliers import Flag
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    ACTIVITY_TERMS,
    AGE_BAND_TERMS,
    FUND_KIND_TERMS,
    INJURY_TYPE_TERMS,
    SEX_TERMS,
    SPECIAL_GROUP_TERMS,
    names,
)
from layouts import ids
from layouts.controls import labelled, options
from layouts.formatting import number
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
    queue: object = None  # the reports awaiting the user's sign-off (``queue``)
    countdown: object = None  # reports not sent yet, by deadline (layouts.status)


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
            dcc.Store(id=ids.REPORT_SEEN),
            html.Div(state.queue, id=ids.APPROVAL_QUEUE, className="mb-2"),
            dcc.Store(id=ids.QUEUE_PAGE, data=0),
            html.Div(id=ids.APPROVAL_QUEUE_RESULT),
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
            explain(lang),
            decision(lang),
            html.H2(t("reports_history", lang), className="h6 mt-3"),
            html.Div(id=ids.REPORT_HISTORY),
            html.P(t("reports_first_counts", lang), className="small text-muted"),
            html.Div(state.overdue, id=ids.REPORT_OVERDUE, className="mt-3"),
            html.Div(state.countdown, id=ids.COUNTDOWN, className="mt-3"),
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


def warned(title: str, warnings: Sequence[str]) -> dbc.Alert:
    """The warning rules an upload broke, before it is sent with an explanation."""
    return dbc.Alert(
        [
            html.Div(title, className="fw-semibold"),
            html.Ul([html.Li(w) for w in warnings], className="mb-0"),
        ],
        color="warning",
    )


def explain(lang: str) -> html.Div:
    """The submitter's explanation of the warnings and the button that sends the
    report with it (shown by ``callbacks.reports_page`` when an upload breaks
    warning rules)."""
    return html.Div(
        [
            dbc.Label(t("rules_explain_label", lang), html_for=ids.REPORT_EXPLANATION),
            dbc.Textarea(
                id=ids.REPORT_EXPLANATION,
                maxLength=1000,
                rows=3,
                className="mb-1",
            ),
            dbc.Button(
                t("rules_explain_send", lang),
                id=ids.REPORT_EXPLAIN_SEND,
                color="warning",
                className="btn-sm",
            ),
        ],
        id=ids.REPORT_EXPLAIN,
        hidden=True,
        className="mb-2",
    )


def warnings_cell(warnings: Sequence[str], explanation: str | None) -> html.Div | str:
    """The warnings a version was sent with and the submitter's explanation, in
    words (a cell of the history or of the queue)."""
    if not warnings and not explanation:
        return ""
    listed = [html.Div(w) for w in warnings]
    if explanation:
        listed.append(html.Div(explanation, className="fst-italic"))
    return html.Div(listed, className="small")


def _table(
    keys: Sequence[str], rows: Sequence[Sequence[object]], lang: str
) -> dbc.Table:
    """A small bordered table: headers from message ``keys``, then the rows."""
    head = html.Thead(html.Tr([html.Th(t(key, lang)) for key in keys]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])
    return dbc.Table([head, body], size="sm", bordered=True, className="w-auto")


HISTORY = (
    "reports_col_version",
    "reports_col_at",
    "reports_col_file",
    "reports_col_timing",
    "reports_col_approval",
    "reports_col_warnings",
)
STEPS = ("approval_col_at", "approval_col_by", "approval_col_step")
QUEUE = (
    "reports_col_unit",
    "reports_col_report",
    "reports_col_version",
    "approval_col_flags",
    "approval_col_waiting",
    "reports_col_warnings",
    "approval_col_reason",
    "approval_col_decide",
)
OVERDUE = (
    "reports_col_unit",
    "reports_col_report",
    "reports_col_due",
    "reports_col_overdue",
)


def history(
    rows: Sequence[tuple[str, str, str, str, str, object]],
    lang: str,
    steps: Sequence[tuple[str, str, str]] = (),
) -> html.Div:
    """(version, submitted at, file, on time or days late, sign-off, warnings
    and explanation: ``warnings_cell``) per version; then the sign-off steps
    (at, by, what), when there are any."""
    if not rows:
        return html.P(t("reports_none", lang), className="small")
    listed = [_table(HISTORY, rows, lang)]
    if steps:
        listed.append(html.Div(t("approval_steps_title", lang), className="small"))
        listed.append(_table(STEPS, steps, lang))
    return html.Div(listed)


# the sign-off's buttons: message, id, colour (enabled by the callbacks)
DECISION_BUTTONS = (
    ("approval_approve", ids.REPORT_APPROVE, "success"),
    ("approval_return", ids.REPORT_RETURN, "warning"),
    ("approval_withdraw", ids.REPORT_WITHDRAW, "secondary"),
)


def decision(lang: str) -> html.Div:
    """The chosen report's sign-off: its state and approver, and for the
    approver the comment box and the buttons (shown and enabled by
    ``callbacks.reports_page``)."""
    return html.Div(
        [
            html.Div(id=ids.REPORT_APPROVAL, className="small mb-1"),
            html.Div(
                [
                    dbc.Textarea(
                        id=ids.REPORT_COMMENT,
                        placeholder=t("approval_comment", lang),
                        maxLength=1000,
                        rows=2,
                        className="mb-1",
                    ),
                    *(
                        dbc.Button(
                            t(label, lang),
                            id=button_id,
                            color=color,
                            className="btn-sm me-2",
                            disabled=True,
                        )
                        for label, button_id, color in DECISION_BUTTONS
                    ),
                ],
                id=ids.REPORT_DECISION,
                hidden=True,
            ),
            html.Div(id=ids.REPORT_DECISION_RESULT, className="mt-1"),
        ],
        className="mt-2",
    )


@dataclass(frozen=True)
class Waiting:
    """A report awaiting the user's sign-off, as the queue lists it."""

    submission_id: int
    unit: str
    report: str
    version: int
    since: str
    warnings: Sequence[str] = ()  # the warning rules it broke, in words
    explanation: str | None = None  # the submitter's explanation of them
    flags: Sequence[Flag] = ()


def queue(
    rows: Sequence[Waiting], total: int, lang: str, page: int = 0, size: int = 50
) -> html.Div:
    """The reports awaiting the user's sign-off, oldest first: each with the
    warning rules it broke and the submitter's explanation, a reason box and
    approve and return buttons."""
    title = html.H2(t("approval_queue_title", lang, n=total), className="h6")
    if not rows:
        return html.Div(
            [title, html.P(t("approval_queue_none", lang), className="small")]
        )

    def key(kind: str, row: Waiting) -> dict:
        return {"type": kind, "submission": row.submission_id}

    def buttons(row: Waiting) -> html.Div:
        return html.Div(
            [
                dbc.Button(
                    t("approval_approve", lang),
                    id=key(ids.QUEUE_APPROVE, row),
                    color="success",
                    size="sm",
                    className="me-1",
                ),
                dbc.Button(
                    t("approval_return", lang),
                    id=key(ids.QUEUE_RETURN, row),
                    color="warning",
                    size="sm",
                ),
            ],
            className="text-nowrap",
        )

    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in QUEUE]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(row.unit),
                    html.Td(row.report),
                    html.Td(str(row.version)),
                    html.Td(flag_list(row.flags, lang, FLAGS_IN_QUEUE)),
                    html.Td(row.since),
                    html.Td(warnings_cell(row.warnings, row.explanation)),
                    html.Td(
                        dbc.Input(
                            id=key(ids.QUEUE_REASON, row),
                            size="sm",
                            maxLength=1000,
                            placeholder=t("approval_col_reason", lang),
                        )
                    ),
                    html.Td(buttons(row)),
                ]
            )
            for row in rows
        ]
    )
    table = dbc.Table([head, body], size="sm", bordered=True, className="w-auto")
    return html.Div([title, table, pages(page, size, len(rows), total, lang)])


def pages(page: int, size: int, shown: int, total: int, lang: str) -> html.Div | None:
    """Which of the waiting reports are listed, and buttons to the pages
    before and after (None: they all fit)."""
    if total <= size:
        return None
    first = page * size + 1
    last = first + shown - 1

    def to(target: int, label: str, enabled: bool) -> dbc.Button:
        return dbc.Button(
            label,
            id={"type": ids.QUEUE_TO, "page": target},
            color="secondary",
            outline=True,
            size="sm",
            className="me-1",
            disabled=not enabled,
        )

    return html.Div(
        [
            html.Span(
                t(
                    "approval_queue_more",
                    lang,
                    first=first,
                    last=first + shown - 1,
                    n=total,
                ),
                className="small text-muted me-2",
            ),
            to(page - 1, t("approval_queue_before", lang), page > 0),
            to(page + 1, t("approval_queue_after", lang), last < total),
        ],
        className="d-flex align-items-center",
    )


def notice(text: str, ok: bool) -> dbc.Alert:
    """What a sign-off did, or why it was refused."""
    return dbc.Alert(text, color="success" if ok else "danger", className="py-2")


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


# --- outlier flags (data.outliers) ---------------------------------------------
FLAGS_IN_QUEUE = 3  # flags a queue row lists (then "and n more")


def _amount(value: float | None, lang: str) -> str:
    """A figure, median or rate: whole when it is, else one decimal."""
    if value is None:
        return ""
    whole = float(value).is_integer()
    return number(value, lang, 0 if whole else 1)


def figure_label(flag: Flag, lang: str) -> str:
    """The figure a flag is about, in words: "Xâm hại tình dục, Nữ, 11–15 tuổi"."""
    if flag.section == "group":
        return names(SPECIAL_GROUP_TERMS, lang).get(flag.code, flag.code)
    if flag.section == "case":
        kinds = names(ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS, lang)
        return t(
            "figure_case",
            lang,
            type=kinds.get(flag.code, flag.code),
            sex=names(SEX_TERMS, lang).get(flag.sex or "", ""),
            age=names(AGE_BAND_TERMS, lang).get(flag.age_band or "", ""),
        )
    if flag.section == "fund":
        return t("figure_fund", lang, kind=names(FUND_KIND_TERMS, lang)[flag.code])
    activity = names(ACTIVITY_TERMS, lang).get(flag.code, flag.code)
    if flag.section == "activity_events":
        return t("figure_events", lang, activity=activity)
    if flag.section == "activity_children":
        return t("figure_children", lang, activity=activity)
    return t("figure_staff", lang)


def flag_reason(flag: Flag, lang: str) -> str:
    """Why a figure is flagged, in words: "gấp 3,8 lần trung vị 4 năm trước (10)"."""
    if flag.kind in ("min", "max"):
        return t(f"outlier_{flag.kind}", lang, bound=_amount(flag.bound, lang))
    ratio = flag.ratio
    values = {
        "n": flag.n,
        "median": _amount(flag.centre, lang),
        "value": _amount(flag.value, lang),
        "rate": _amount(flag.rate, lang),
    }
    if ratio is None:
        key = f"outlier_{flag.kind}_zero"
    elif flag.direction == "high":
        key = f"outlier_{flag.kind}_high"
        values["ratio"] = number(ratio, lang, 1)
    else:
        key = f"outlier_{flag.kind}_low"
        values["share"] = f"{number(100 * ratio, lang, 0)}%"
    said = t(key, lang, **values)
    if flag.z is not None:
        said += t("outlier_z", lang, z=number(flag.z, lang, 1))
    return said


def flag_line(flag: Flag, lang: str) -> str:
    """A flag beside its figure: "Trẻ em mồ côi...: 40 — gấp 4,0 lần ..."."""
    return t(
        "outlier_line",
        lang,
        figure=figure_label(flag, lang),
        value=_amount(flag.value, lang),
        reason=flag_reason(flag, lang),
    )


def flag_list(flags: Sequence[Flag], lang: str, limit: int | None = None):
    """The flags of a report as a small list (at most ``limit``, then "and n
    more"); "" when there are none."""
    if not flags:
        return ""
    shown = list(flags if limit is None else flags[:limit])
    items = [html.Li(flag_line(f, lang)) for f in shown]
    if len(flags) > len(shown):
        items.append(html.Li(t("outlier_more", lang, n=len(flags) - len(shown))))
    return html.Ul(items, className="small mb-0 ps-3 outlier-flags")


def flags_panel(flags: Sequence[Flag], lang: str) -> html.Div:
    """The chosen report's flags for its approver, before the buttons."""
    if not flags:
        return html.Div(t("outlier_none", lang), className="small text-muted my-1")
    return dbc.Alert(
        [
            html.Div(t("outlier_title", lang, n=len(flags)), className="fw-semibold"),
            flag_list(flags, lang),
            html.Div(t("outlier_note", lang), className="small text-muted mt-1"),
        ],
        color="warning",
        className="py-2 my-1",
        id=ids.REPORT_FLAGS,
    )
