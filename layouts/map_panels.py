"""Panels beside the map: breadcrumb, headline card, ranking, unit detail (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.formatting import (
    billions,
    counted,
    dong,
    number,
    percent,
    rate_interval_text,
    rate_text,
)
from layouts.graph_config import graph_config
from layouts.i18n import t


def breadcrumb(chain: Sequence[tuple[str, str]], selected: str | None) -> html.Ol:
    """Tỉnh Gia Lai › Huyện Chư Sê › Xã Ia Blang: every item but the last goes back."""
    items = []
    for i, (code, name) in enumerate(chain):
        last = i == len(chain) - 1 and selected is None
        if last:
            items.append(
                html.Li(
                    name, className="breadcrumb-item active", **{"aria-current": "page"}
                )
            )
        else:
            button = html.Button(
                name,
                id={"type": ids.CRUMB, "unit": code},
                className="btn btn-link p-0 align-baseline",
            )
            items.append(html.Li(button, className="breadcrumb-item"))
    if selected:
        items.append(
            html.Li(
                selected, className="breadcrumb-item active", **{"aria-current": "page"}
            )
        )
    return html.Ol(items, className="breadcrumb mb-0")


def _card(title: str, big: str, lines: Sequence[str]) -> list:
    return [
        html.Div(title, className="text-muted small"),
        html.Div(big, className="fs-2 fw-semibold"),
        *[html.Div(line, className="small") for line in lines if line],
    ]


def summary_share(name: str, row: dict, lang: str) -> list:
    line = t(
        "summary_share",
        lang,
        recognised=number(row["recognised"], lang),
        communes=number(row["communes"], lang),
    )
    if row.get("assessed") == 0:  # July-2025 communes before their first round
        line = t(
            "summary_share_not_assessed", lang, communes=number(row["communes"], lang)
        )
    return _card(name, percent(row["share"], lang), [line])


def summary_fund(name: str, head: dict, lang: str) -> list:
    """Mobilised against target; for a year in progress also the pace of an even
    year (where it should be by now) and a straight-line projection of its end."""
    total, target = head["total"], head["target"]
    by_kind = t(
        "fund_by_kind",
        lang,
        **{k: billions(v, lang, 2) for k, v in head["by_kind"].items()},
    )
    moved = transfer_lines(head, lang)
    if not target:
        line = t("summary_fund_no_target", lang, total=dong(total, lang))
        return _card(name, billions(total, lang, 2), [line, by_kind, *moved])
    lines = [
        t(
            "summary_fund",
            lang,
            total=billions(total, lang, 2),
            target=billions(target, lang, 1),
        )
    ]
    if head["elapsed"] < 1:
        day = head["as_of"]
        lines += [
            t(
                "fund_pace",
                lang,
                day=f"{day.day}/{day.month}/{day.year}",
                expected=billions(head["expected"], lang, 2),
                pace=percent(100 * head["pace"], lang, 0),
            ),
            t(
                "fund_projection",
                lang,
                projection=billions(head["projection"], lang, 2),
                pct=percent(100 * head["projection"] / target, lang, 0),
            ),
        ]
    return _card(name, percent(100 * total / target, lang), [*lines, by_kind, *moved])


def transfer_lines(fund: dict, lang: str) -> list[str]:
    """A unit's transfers between fund levels (``data.metrics.fund``): what it
    received from outside its area (in its total) and what moved within it (not
    counted again); nothing when there were none."""
    return [
        t(f"fund_{name}", lang, amount=dong(fund[name], lang))
        for name in ("transfer_in", "transfer_within")
        if fund.get(name)
    ]


def cf_status_label(
    status_label: str | None,
    awaiting_round: object,
    contradicts: object,
    lang: str,
) -> str | None:
    """A commune's child-friendly status as shown: "Công nhận mới (quyết định
    khác với điểm chấm) · đợt 11/2024 đã đánh giá, chờ quyết định"; None for a
    commune without any round."""
    parts = []
    if status_label:
        flag = f" ({t('cf_contradicts', lang)})" if contradicts is True else ""
        parts.append(status_label + flag)
    if isinstance(awaiting_round, dt.date):
        day = f"{awaiting_round.month}/{awaiting_round.year}"
        text = t("cf_awaiting", lang, round=day)
        parts.append(text if parts else text[:1].upper() + text[1:])
    return " · ".join(parts) if parts else None


def summary_incidents(name: str, row: dict, lang: str, measure: str) -> list:
    return _card(name, *incident_lines(row, lang, measure))


def incident_lines(row: dict, lang: str, measure: str = "rate") -> tuple[str, list]:
    """(headline, lines) of an incident row; abuse figures as the user may see
    them ("<5", "≈ 25" when rounded: ``data.suppression``)."""
    rounded = bool(row.get("rounded"))
    partial = bool(row.get("partial"))
    rate = rate_text(row.get("rate"), lang)
    if partial and rate != "–":
        rate = f"≥ {rate}"
    count = counted(row.get("count"), lang, rounded, partial)
    lines = [
        t(
            "summary_incidents",
            lang,
            count=count,
            abuse=counted(row.get("abuse"), lang, rounded),
            injury=number(row["injury"], lang),
        ),
        t("summary_rate", lang, rate=rate),
    ]
    interval = rate_interval_text(
        row.get("count"),
        row.get("children"),
        lang,
        suppressed=row.get("suppressed"),
        partial=partial,
    )
    if interval:  # a sentence of its own: "Khoảng tin cậy 95%: …"
        lines.append(interval[:1].upper() + interval[1:])
    if rounded:
        lines.append(t("note_suppressed", lang))
    return (count if measure == "count" else rate), lines


def summary_timeliness(name: str, row: dict, lang: str) -> list:
    return _card(name, percent(row["on_time_share"], lang), timeliness_lines(row, lang))


def timeliness_lines(row: dict, lang: str) -> list[str]:
    """On time, late and missing of the reports owed; those not yet due."""
    return [
        t(
            "summary_timeliness",
            lang,
            on_time=row["on_time"],
            expected=row["expected"],
            late=row["late"],
            missing=row["missing"],
        ),
        _received(row, lang),
        t("summary_not_due", lang, n=row["not_due"]) if row.get("not_due") else "",
        t("summary_filed_for", lang, n=row["filed_for"])
        if row.get("filed_for")
        else "",
    ]


def _received(row: dict, lang: str) -> str:
    """The reporting rate (received of expected), when there is one."""
    share = row.get("received_share")
    if share is None or share != share or not row.get("expected"):
        return ""
    return t(
        "summary_received",
        lang,
        rate=percent(share, lang),
        received=row.get("received", row["on_time"] + row["late"]),
        expected=row["expected"],
    )


def ranking_table(lang: str) -> html.Div:
    """The ranking beside the map; its rows are filled in the browser from the
    map's own values (see callbacks/map_page.py), so they cost no extra bytes."""
    header = html.Thead(
        html.Tr(
            [
                html.Th(t("col_unit", lang)),
                html.Th(t("col_value", lang), className="text-end"),
            ]
        )
    )
    return html.Div(
        [
            html.H3(t("ranking", lang), className="h6"),
            dbc.Table(
                [header, html.Tbody(id=ids.RANKING)],
                size="sm",
                striped=True,
                hover=True,
                responsive=True,
                className="small",
            ),
        ]
    )


def detail_panel(
    title: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    trend: object | None,
    lang: str,
    notes: Sequence[str] = (),
) -> html.Div:
    """A unit's figures for the period, section by section, its trend chart and
    notes on how the trend was obtained."""
    body: list = [html.H3(t("detail_title", lang, name=title), className="h6 mb-2")]
    for heading, lines in sections:
        body.append(html.Div(heading, className="fw-semibold small mt-2"))
        body += [html.Div(line, className="small") for line in lines if line]
    if trend is not None:
        body.append(
            html.Div(t("detail_trend", lang), className="fw-semibold small mt-2")
        )
        body.append(
            dcc.Graph(figure=trend, config=graph_config(lang, displayModeBar=False))
        )
    body += [html.Div(note, className="small text-muted reform-note") for note in notes]
    return html.Div(body)


def view_notes(notes: Sequence[str]) -> list:
    """Notes above the map: the user's area, the July-2025 reform (empty: none),
    one line each in one box, so that the map keeps the first screen."""
    if not notes:
        return []
    lines = [html.Div(note, className="reform-note") for note in notes]
    return [dbc.Alert(lines, color="light", className="small lh-sm py-1 px-2 mb-1")]


def not_allowed(name: str, lang: str) -> html.Div:
    """The detail card of a commune outside the user's area."""
    return html.Div(
        [
            html.H3(t("detail_title", lang, name=name), className="h6 mb-2"),
            html.Div(t("detail_not_allowed", lang), className="small text-muted"),
        ]
    )
