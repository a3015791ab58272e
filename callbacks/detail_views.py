"""What the map's detail panel shows for one unit: its figures for the period (all
four themes) and its trend, as the signed-in user may see them."""

from __future__ import annotations

from callbacks import context
from callbacks.context import cached
from data import metrics, reform
from data.periods import Period, today_vn
from data.reform import LEGACY_TREE, NEW_TREE, REFORM_DATE
from data.scope import Scope
from data.vocabulary import CF_STATUS_TERMS, names
from layouts import detail_panel, map_panels
from layouts.formatting import number
from layouts.i18n import t


def _trend_frame(code: str, tree: str, years: tuple[int, ...], scope: Scope):
    """The unit's figures year by year (cached; the chart and the status line)."""
    return cached(
        metrics.unit_trend,
        tree=tree,
        code=code,
        years=years,
        today=today_vn(),
        scope=scope,
    )


def _status_by_year(
    code: str, tree: str, lang: str, years: tuple[int, ...], scope: Scope
) -> str:
    """'2022: Công nhận mới · 2024: Giữ vững công nhận' (years without a round
    are left out)."""
    frame = _trend_frame(code, tree, years, scope)
    labels = names(CF_STATUS_TERMS, lang)
    return " · ".join(
        f"{year}: {labels[status]}"
        for year, status in zip(frame["year"], frame["cf_status"], strict=True)
        if isinstance(status, str)
    )


def panel(unit: dict, tree: str, period: Period, lang: str, scope: Scope) -> object:
    """The card for ``unit`` of ``tree`` in ``period``, for a user of ``scope``."""
    d = cached(
        metrics.unit_detail,
        tree=tree,
        code=unit["code"],
        period=period,
        today=today_vn(),
        scope=scope,
    )
    if d is None:  # a commune outside the user's area
        context.refused_outside_area(
            "detail", {"unit": unit["code"], "tree": tree, "period": period.key}
        )
        return map_panels.not_allowed(unit["name"], lang)
    years = detail_panel.trend_years(tree, cached(metrics.fact_years))
    cf = detail_panel.cf_lines(d["child_friendly"], d["level"], lang)
    if (
        tree == NEW_TREE
        and d["level"] == "commune"
        and not d["child_friendly"].get("status")
        and not d["child_friendly"].get("awaiting_round")
    ):  # recognition is the new commune's own: none until it is assessed
        cf = [t("cf_not_assessed_since_reform", lang)]
    elif d["level"] == "commune" and years:
        cf.append(_status_by_year(unit["code"], tree, lang, years, scope))
    sections = [
        (t("detail_children", lang), [number(d["children"] or 0, lang)]),
        (t("detail_cf", lang), cf),
        (t("detail_fund", lang), detail_panel.fund_lines(d["fund"], lang)),
        (
            t("detail_incidents", lang),
            detail_panel.incident_lines(d["incidents"], lang),
        ),
        (
            t("detail_timeliness", lang),
            detail_panel.timeliness_lines(d["timeliness"], lang),
        ),
    ]
    notes = _reform_notes(unit["code"], tree, years, lang)
    if years and _trend_frame(unit["code"], tree, years, scope).attrs.get(
        metrics.APPORTIONED_KEY
    ):  # its trend's earlier years include a divided commune's area share
        notes.append(t("reform_apportioned", lang))
    chart = (
        detail_panel.trend(_trend_frame(unit["code"], tree, years, scope), lang)
        if years
        else None
    )
    return map_panels.detail_panel(d["name"], sections, chart, lang, notes)


def _reform_notes(code: str, tree: str, years: tuple[int, ...], lang: str) -> list:
    """Under the trend: how a July-2025 unit's earlier years were obtained, and
    which legacy communes it continues; a legacy unit's end."""
    if tree == LEGACY_TREE:
        return [t("reform_legacy_ends", lang)] if REFORM_DATE.year in years else []
    notes = [
        t("reform_trend_carried", lang),
        t("reform_divided", lang),
        t("reform_cf_not_carried", lang),
    ]
    before = cached(reform.predecessor_names, code=code)
    if before:
        notes.append(t("reform_predecessors", lang, names=", ".join(before)))
    return notes
