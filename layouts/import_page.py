"""The page "Nhập số liệu": a province's or district's own records in place of the
demo's — choose the kind, download its template, upload the filled file, see
what it would change (or every problem), confirm.  Pure functions;
``callbacks/import_page.py`` fills them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.fact_import import CF_ASSESSMENTS
from data.fact_import.apply import Restated
from layouts import ids
from layouts.controls import labelled, options
from layouts.i18n import t
from layouts.shell import PageInfo, navbar

COMMUNES_LISTED = 50  # rows of the per-commune table; the rest counted


@dataclass(frozen=True)
class ImportState:
    kinds: Sequence[tuple[str, str]]  # (key, label)
    kind: str
    max_bytes: int  # the largest file the upload box takes
    refused: str = ""  # why the kind's stored rows are not offered ("": offered)
    job: str | None = None  # the background job of a large file to follow
    years: Sequence[int] = ()  # the years the stored rows may be asked for


EXPORT_SHOWN, EXPORT_HIDDEN = "mb-2", "mb-2 d-none"


def template_href(kind: str, fmt: str) -> str:
    return f"/import/template/{kind}.{fmt}"


def export_href(kind: str, fmt: str, lang: str, year: object = None) -> str:
    """The stored rows of ``kind`` in the import's form (of ``year`` only, when
    one is given)."""
    chosen = f"&year={year}" if str(year or "").isdigit() else ""
    return f"/import/export/{kind}.{fmt}?lang={lang}{chosen}"


def large_href(kind: str, lang: str) -> str:
    """The form sending a large file to a background job."""
    return f"/import/large?kind={kind}&lang={lang}"


def export_refused(text: str) -> dbc.Alert | None:
    """Why the chosen kind's stored rows are not offered (None: they are)."""
    return dbc.Alert(text, color="secondary", className="small") if text else None


def layout(state: ImportState | None, info: PageInfo, note: str = "") -> html.Div:
    lang = info.lang
    other = "en" if lang == "vi" else "vi"
    top = navbar(info, lang, f"/import?lang={other}")
    if state is None:
        body = dbc.Container(dbc.Alert(note, color="warning", className="mt-3"))
        return html.Div([top, body])
    kind = dbc.Select(
        id=ids.IMPORT_KIND, options=options(state.kinds), value=state.kind
    )
    link = "btn btn-outline-primary btn-sm me-2 mb-2"
    years = [{"label": t("import_export_all_years", lang), "value": ""}]
    years += [{"label": str(y), "value": str(y)} for y in state.years]
    body = dbc.Container(
        [
            html.H1(t("import_title", lang), className="h4 mt-3 mb-2"),
            html.P(t("import_intro", lang), className="small"),
            dcc.Store(id=ids.IMPORT_LANG, data=lang),
            dcc.Store(id=ids.IMPORT_PENDING, data=None),
            dbc.Row(
                labelled(t("import_kind", lang), kind, xs=12, md=6), className="mb-2"
            ),
            html.Div(
                [
                    html.A(
                        t("import_template_xlsx", lang),
                        id=ids.IMPORT_TEMPLATE_XLSX,
                        href=template_href(state.kind, "xlsx"),
                        className=link,
                        download="",
                    ),
                    html.A(
                        t("import_template_csv", lang),
                        id=ids.IMPORT_TEMPLATE_CSV,
                        href=template_href(state.kind, "csv"),
                        className=link,
                        download="",
                    ),
                ]
            ),
            html.Div(
                [
                    html.A(
                        t("import_export_xlsx", lang),
                        id=ids.IMPORT_EXPORT_XLSX,
                        href=export_href(state.kind, "xlsx", lang),
                        className=link,
                        download="",
                    ),
                    html.A(
                        t("import_export_csv", lang),
                        id=ids.IMPORT_EXPORT_CSV,
                        href=export_href(state.kind, "csv", lang),
                        className=link,
                        download="",
                    ),
                    html.Label(
                        t("import_export_year", lang),
                        htmlFor=ids.IMPORT_EXPORT_YEAR,
                        className="small me-1",
                    ),
                    dbc.Select(
                        id=ids.IMPORT_EXPORT_YEAR,
                        options=years,
                        value="",
                        size="sm",
                        className="d-inline-block w-auto me-2 mb-2",
                    ),
                    html.Span(
                        t("import_export_note", lang), className="small text-muted"
                    ),
                ],
                id=ids.IMPORT_EXPORT,
                className=EXPORT_HIDDEN if state.refused else EXPORT_SHOWN,
            ),
            html.Div(export_refused(state.refused), id=ids.IMPORT_EXPORT_REFUSED),
            dcc.Upload(
                html.Div(t("import_upload", lang, mb=max(1, state.max_bytes // 2**20))),
                id=ids.IMPORT_UPLOAD,
                accept=".xlsx,.csv",
                max_size=state.max_bytes,
                multiple=False,
                className="border border-2 border-secondary rounded p-4 mb-1 "
                "text-center bg-light",
            ),
            html.P(
                [
                    t("import_large_files", lang),
                    " ",
                    html.A(
                        t("import_large_link", lang),
                        id=ids.IMPORT_LARGE_LINK,
                        href=large_href(state.kind, lang),
                    ),
                ],
                className="small text-muted",
            ),
            dcc.Store(id=ids.IMPORT_JOB, data=state.job),
            dcc.Interval(
                id=ids.IMPORT_JOB_POLL, interval=1_000, disabled=state.job is None
            ),
            html.Div(id=ids.IMPORT_JOB_STATUS),
            dbc.Button(
                t("import_job_cancel", lang),
                id=ids.IMPORT_JOB_CANCEL,
                color="secondary",
                outline=True,
                size="sm",
                className="mb-2" if state.job else "mb-2 d-none",
            ),
            dbc.Button(
                t("import_confirm", lang, n=0),
                id=ids.IMPORT_JOB_CONFIRM,
                color="primary",
                className="mb-2 d-none",
                disabled=True,
            ),
            html.Div(id=ids.IMPORT_SUMMARY),
            html.Div(id=ids.IMPORT_DEMO),
            html.Div(id=ids.IMPORT_DEMO_RESULT),
            dbc.Button(
                t("import_confirm", lang, n=0),
                id=ids.IMPORT_CONFIRM,
                color="primary",
                className="mb-2 d-none",
                disabled=True,
            ),
            html.Div(id=ids.IMPORT_RESULT),
        ],
        fluid=True,
    )
    return html.Div([top, body])


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(h) for h in headers]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])
    return dbc.Table([head, body], size="sm", bordered=True, className="w-auto")


@dataclass(frozen=True)
class CheckedFile:
    """What the callback says about a checked file, in words and numbers."""

    title: str
    counts: Sequence[tuple[str, str]]  # (label, number)
    communes: Sequence[tuple[str, str, str]]  # (unit, before, after)
    more_communes: str  # "… and n more communes (units)", or ""
    changes: Sequence[str]  # updated rows, before → after
    problems: Sequence[str]  # every problem listed, in words
    problems_title: str
    more_problems: str
    note: str = ""  # what the page does not say, and why
    units_title: str = ""  # what the per-unit table adds up
    unit_header: str = ""  # its first column: "Xã", or "Đơn vị"


def checked(file: CheckedFile, lang: str) -> html.Div:
    """The dry run: the counts, every problem (refused) or the units' figures
    before and after and the updated rows (ready to confirm)."""
    counts = _table([label for label, _ in file.counts], [[n for _, n in file.counts]])
    parts: list = [html.Div(file.title, className="fw-semibold mb-1"), counts]
    if file.note:
        parts.append(html.P(file.note, className="small mb-1"))
    if file.problems:
        listed = [html.Li(p) for p in file.problems]
        more = (
            [html.P(file.more_problems, className="small")]
            if file.more_problems
            else []
        )
        return html.Div(
            dbc.Alert(
                [
                    *parts,
                    html.Div(file.problems_title, className="fw-semibold"),
                    html.Ul(listed, className="small mb-1"),
                    *more,
                ],
                color="danger",
            )
        )
    if file.communes:
        parts += [
            html.H2(file.units_title, className="h6 mt-2"),
            _table(
                [
                    file.unit_header,
                    t("import_col_before", lang),
                    t("import_col_after", lang),
                ],
                file.communes,
            ),
        ]
        if file.more_communes:
            parts.append(html.P(file.more_communes, className="small"))
    if file.changes:
        parts += [
            html.H2(t("import_changes", lang), className="h6 mt-2"),
            html.Ul([html.Li(c) for c in file.changes], className="small"),
        ]
    return html.Div(dbc.Alert(parts, color="info"))


def restated(rounds: Sequence[Restated], lang: str, *, done: bool = True) -> list[str]:
    """The stored rounds restated once a file of assessments was written (or,
    not ``done``, that writing it would restate)."""
    kind = CF_ASSESSMENTS
    return [
        t(
            "fact_restated" if done else "fact_restates",
            lang,
            round=f"{r.round_date:%d/%m/%Y}",
            code=r.unit,
            before=kind.term("status", r.before, lang),
            after=kind.term("status", r.after, lang),
        )
        for r in rounds
    ]


def message(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color)


@dataclass(frozen=True)
class DemoOffer:
    """A province of the file that still holds demo data, and what clearing it
    removes."""

    key: str  # "tree/code"
    name: str
    counts: Sequence[tuple[str, int]]  # (table, rows)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def demo_offer(offers: Sequence[DemoOffer], lang: str) -> html.Div:
    """For each province of the file still holding demo data: what clearing it
    removes, and the button that clears it (after a confirmation)."""
    parts = []
    for offer in offers:
        rows = [(table, f"{n:,}") for table, n in offer.counts if n]
        button = dcc.ConfirmDialogProvider(
            dbc.Button(
                t("demo_clear_button", lang, province=offer.name),
                color="danger",
                size="sm",
            ),
            id={"type": ids.IMPORT_DEMO_CLEAR, "province": offer.key},
            message=t(
                "demo_clear_confirm", lang, province=offer.name, total=offer.total
            ),
        )
        parts.append(
            dbc.Alert(
                [
                    html.Div(
                        t("demo_clear_title", lang, province=offer.name),
                        className="fw-semibold mb-1",
                    ),
                    html.P(
                        t("demo_clear_intro", lang, total=offer.total),
                        className="small mb-1",
                    ),
                    html.Ul(
                        [html.Li(f"{table}: {n}") for table, n in rows],
                        className="small mb-2",
                    ),
                    button,
                ],
                color="warning",
            )
        )
    return html.Div(parts)


def demo_ask(provinces: Sequence[str], lang: str) -> html.Div:
    """A district office is told to ask the province to clear its demo data."""
    return html.Div(
        [
            dbc.Alert(
                t("demo_clear_ask_province", lang, province=name), color="warning"
            )
            for name in provinces
        ]
    )
