"""The detail panel of one unit: all four themes for the period, and its trend."""

from __future__ import annotations

from callbacks import context
from callbacks.context import cached
from data import metrics, reform
from data.periods import Period, today_vn
from data.reform import LEGACY_TREE, NEW_TREE, REFORM_DATE
from data.scope import Scope
from data.vocabulary import ABUSE_TYPE_TERMS, CF_STATUS_TERMS, INJURY_TYPE_TERMS, names
from layouts import figures, map_panels
from layouts.formatting import dong, number, percent
from layouts.i18n import t


def _cf_lines(cf: dict, level: str, lang: str) -> list[str]:
    if level != "commune":
        return [
            t(
                "summary_share",
                lang,
                recognised=cf["recognised"],
                communes=cf["communes"],
            )
            + f" ({percent(cf['share'], lang)})"
        ]
    label = names(CF_STATUS_TERMS, lang)[cf["status"]] if cf.get("status") else None
    head = map_panels.cf_status_label(
        label, cf.get("awaiting_round"), cf.get("contradicts_scores"), lang
    )
    if head is None:
        return [t("no_data", lang)]
    lines = [head]
    if cf.get("decided_on"):
        day = cf["decided_on"]
        lines.append(t("detail_decided", lang, day=f"{day:%d/%m/%Y}"))
    if cf.get("status") and cf.get("total_score") is not None:
        day = cf["round_date"]
        lines.append(
            t(
                "detail_round",
                lang,
                round=f"{day.month}/{day.year}",
                score=cf["total_score"],
                threshold=cf["threshold"],
            )
        )
    if cf.get("zero_criteria"):
        lines.append(t("detail_zero", lang, codes=cf["zero_criteria"]))
    return lines


def _fund_lines(fund: dict, lang: str) -> list[str]:
    lines = [t("summary_fund_no_target", lang, total=dong(fund["total"], lang))]
    if fund.get("target"):
        lines[0] = t(
            "summary_fund",
            lang,
            total=dong(fund["total"], lang),
            target=dong(fund["target"], lang),
        )
    lines.append(
        t(
            "fund_by_kind",
            lang,
            **{k: dong(fund[k], lang) for k in ("cash", "in_kind", "programme")},
        )
    )
    lines += map_panels.transfer_lines(fund, lang)
    if fund.get("reported"):
        lines.append(t("detail_from_reports", lang))
    return lines


def _incident_lines(cases: dict, lang: str) -> list[str]:
    type_names = names(ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS, lang)
    top = ", ".join(
        f"{type_names[r['type_code']]} {r['count']}" for r in cases.get("top_types", [])
    )
    _headline, lines = map_panels.incident_lines(cases, lang)
    source = [t("detail_from_reports", lang)] if cases.get("reported") else []
    if cases.get("apportioned"):
        source.append(t("reform_apportioned", lang))
    return [*lines, top, *source]


def _timeliness_lines(row: dict, lang: str) -> list[str]:
    if not row.get("owed"):
        return [t("no_data", lang)]
    return map_panels.timeliness_lines(row, lang)


def trend_years(tree: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years a unit of ``tree`` has figures in: a legacy unit up to 2025 (it
    ends on 30 June), a July-2025 unit every year (earlier ones carried over)."""
    if tree == LEGACY_TREE:
        return tuple(y for y in years if y <= REFORM_DATE.year)
    return tuple(years)


def _trend(
    code: str, tree: str, lang: str, years: tuple[int, ...], scope: Scope
) -> object | None:
    if not years:
        return None
    frame = _trend_frame(code, tree, years, scope)
    series = {
        t("trend_fund", lang): list(frame["fund_total"] / 1e6),
        t("trend_abuse", lang): list(frame["abuse"]),
        t("trend_injury", lang): list(frame["injury"]),
        t("trend_on_time", lang): list(frame["on_time_share"]),
    }
    return figures.trend_figure(list(frame["year"]), series, lang)


def _trend_frame(code: str, tree: str, years: tuple[int, ...], scope: Scope):  # type: ignore[no-untyped-def]
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
    years = trend_years(tree, cached(metrics.dataset_info).years)
    cf = _cf_lines(d["child_friendly"], d["level"], lang)
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
        (t("detail_fund", lang), _fund_lines(d["fund"], lang)),
        (t("detail_incidents", lang), _incident_lines(d["incidents"], lang)),
        (t("detail_timeliness", lang), _timeliness_lines(d["timeliness"], lang)),
    ]
    notes = _reform_notes(unit["code"], tree, years, lang)
    if years and _trend_frame(unit["code"], tree, years, scope).attrs.get(
        metrics.APPORTIONED_KEY
    ):  # its trend's earlier years include a divided commune's area share
        notes.append(t("reform_apportioned", lang))
    return map_panels.detail_panel(
        d["name"], sections, _trend(unit["code"], tree, lang, years, scope), lang, notes
    )


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
