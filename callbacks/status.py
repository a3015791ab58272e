"""The reporting status for the pages (``data.freshness``): the banner of the
map and the review, the countdown of the reports page and its workbook.  Every
reader takes the signed-in user's scope; the place of the countdown is the
user's own area (never one the browser names)."""

from __future__ import annotations

import datetime as dt

from callbacks import tables_page as tables_callbacks
from callbacks.context import conn
from data import freshness
from data.periods import VN_TZ, Period, today_vn
from data.scope import Scope
from data.vocabulary import DUE_RULE_TERMS, REPORT_TYPE_TERMS, names
from layouts import status
from layouts.formatting import number, period_label
from layouts.i18n import t

COUNTDOWN_SHOWN = 200  # rows of the countdown on the page (the workbook has all)


def when(moment: dt.datetime | None) -> str | None:
    """A UTC instant as Viet Nam time, "25/03/2024 09:00" (None: none)."""
    return (
        None if moment is None else moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _period_words(period: Period, lang: str) -> str:
    end = period.as_of(today_vn()) if period.ytd else None
    return period_label(period.year, lang, quarter=period.quarter, ytd_end=end)


def banner(scope: Scope, tree: str, unit: str, period: Period, lang: str):
    """The banner of a place and period as ``scope`` sees it."""
    found = freshness.status(
        conn(), tree=tree, unit_code=unit, period=period, scope=scope, now=now()
    )
    href = f"/reports?year={period.year}&lang={lang}" if scope.sees_tables else None
    return status.banner(
        when(found.written_at),
        _period_words(period, lang).lower()
        if lang == "vi"
        else _period_words(period, lang),
        found.missing,
        found.awaiting,
        found.owed,
        href,
        lang,
    )


def place(scope: Scope, year: int, lang: str) -> tuple[str, str, str]:
    """(tree, unit code, name) of the user's own area in ``year``: the area the
    tables page opens on for them (ValueError: none)."""
    shown = tables_callbacks.state(
        scope, lang, table="reports", unit=None, period=str(year)
    )
    tree = shown.query["tree"]
    return tree, shown.unit, dict(shown.units).get(shown.unit, shown.unit)


def days_text(days: int, lang: str) -> str:
    if days > 0:
        return t("countdown_left", lang, n=number(days, lang))
    if days == 0:
        return t("countdown_today", lang)
    return t("countdown_overdue", lang, n=number(-days, lang))


def deadline_text(row: dict, lang: str) -> str:
    rule = names(DUE_RULE_TERMS, lang)[
        "inclusive" if row["due_inclusive"] else "exclusive"
    ].lower()
    return t(
        "countdown_deadline",
        lang,
        report=names(REPORT_TYPE_TERMS, lang).get(row["report_type"], ""),
        year=row["period_start"].year,
        rule=rule,
        due=row["due_date"].strftime("%d/%m/%Y"),
    )


def countdown_rows(scope: Scope, year: int, lang: str) -> tuple[list[dict], str]:
    """The reports of ``year`` not sent yet in the user's area, and its name."""
    tree, unit, name = place(scope, year, lang)
    rows = freshness.countdown(
        conn(), tree=tree, unit_code=unit, year=year, scope=scope, now=now()
    )
    return rows, name


def countdown(scope: Scope, year: int, lang: str):
    """The countdown section of the reports page (None: nothing to show)."""
    if not scope.sees_tables:
        return None
    try:
        rows, name = countdown_rows(scope, year, lang)
    except ValueError:
        return None
    listed = [
        status.Outstanding(
            deadline=deadline_text(r, lang),
            unit=r["unit_name"],
            days=days_text(r["days"], lang),
            overdue=r["days"] < 0,
            office=r["office"] or "",
        )
        for r in rows[:COUNTDOWN_SHOWN]
    ]
    title = t("countdown_title", lang, year=year, place=name, n=len(rows))
    href = f"/reports/countdown.xlsx?year={year}&lang={lang}"
    return status.countdown(listed, len(rows), title, href, lang)
