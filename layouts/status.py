"""The reporting status: a banner on the map and the review (when the figures
were last written, the reports missing and awaiting sign-off, a link to the
list), and the countdown per deadline on the reports page.  Pure functions;
``callbacks/status.py`` fills them from ``data.freshness``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html

from layouts import ids
from layouts.formatting import number
from layouts.i18n import t


def banner(
    written: str | None,
    period: str,
    missing: int,
    awaiting: int,
    owed: int,
    href: str | None,
    lang: str,
) -> dbc.Alert:
    """ "Số liệu cập nhật lần cuối: 25/03/2024 09:00 (giờ Việt Nam) · Báo cáo có
    hạn trong Năm 2024: 12 chưa nộp, đã quá hạn; 3 chờ phê duyệt" and the link
    to the list (none for a user without it)."""
    when = t("status_written", lang, at=written) if written else t("status_never", lang)
    reports = t(
        "status_reports",
        lang,
        period=period,
        missing=number(missing, lang),
        awaiting=number(awaiting, lang),
        owed=number(owed, lang),
    )
    parts: list = [html.Span(when), html.Span(" · "), html.Span(reports)]
    if href:
        parts += [
            html.Span(" · "),
            html.A(t("status_link", lang), href=href, className="text-nowrap"),
        ]
    return dbc.Alert(
        parts,
        color="warning" if missing else "light",
        className="py-1 px-2 mb-2 small freshness-banner",
        id=ids.FRESHNESS + "-banner",
    )


@dataclass(frozen=True)
class Outstanding:
    """A report not sent yet, as the countdown lists it."""

    deadline: str  # "Báo cáo quý I 2024 — hạn vào ngày 20/03/2024"
    unit: str
    days: str  # "còn 3 ngày" | "quá hạn 5 ngày"
    overdue: bool
    office: str


COUNTDOWN = ("countdown_col_unit", "countdown_col_days", "countdown_col_office")


def countdown(
    rows: Sequence[Outstanding],
    total: int,
    title: str,
    href: str,
    lang: str,
) -> html.Div:
    """The reports not sent yet, under each deadline: unit, days left or
    overdue, the office to contact; the "Tải Excel" link."""
    head = html.Div(
        [
            html.H2(title, className="h6 d-inline me-2"),
            html.A(
                t("countdown_xlsx", lang),
                href=href,
                id=ids.COUNTDOWN_XLSX,
                className="btn btn-outline-success btn-sm",
                download="",
            ),
        ],
        className="mb-1",
    )
    if not rows:
        return html.Div([head, html.P(t("countdown_none", lang), className="small")])
    blocks: list = []
    current = None
    body: list = []

    def close() -> None:
        if current is not None:
            blocks.append(html.Div(current, className="small fw-semibold mt-2"))
            table_head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in COUNTDOWN]))
            blocks.append(
                dbc.Table(
                    [table_head, html.Tbody(list(body))],
                    size="sm",
                    bordered=True,
                    className="w-auto mb-1",
                )
            )

    for row in rows:
        if row.deadline != current:
            close()
            current, body = row.deadline, []
        body.append(
            html.Tr(
                [
                    html.Td(row.unit),
                    html.Td(row.days, className="text-danger" if row.overdue else ""),
                    html.Td(row.office),
                ]
            )
        )
    close()
    more = (
        html.P(
            t("countdown_more", lang, shown=len(rows), n=total),
            className="small text-muted",
        )
        if total > len(rows)
        else None
    )
    return html.Div([head, *blocks, more])
