"""The detail panel's lines for one unit: child-friendly status, fund, incidents,
reports, and its trend chart (pure: from the figures of ``data.metrics.unit_detail``
and ``unit_trend``)."""

from __future__ import annotations

from data.reform import LEGACY_TREE, REFORM_DATE
from data.vocabulary import ABUSE_TYPE_TERMS, CF_STATUS_TERMS, INJURY_TYPE_TERMS, names
from layouts import figures, map_panels
from layouts.formatting import dong, percent
from layouts.i18n import t


def cf_lines(cf: dict, level: str, lang: str) -> list[str]:
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


def fund_lines(fund: dict, lang: str) -> list[str]:
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
        lines.append(t(_from_reports(fund), lang))
    return lines


def _from_reports(figures: dict) -> str:
    """The source line's message: figures of submitted reports, approved or not
    (``data.approvals``)."""
    return (
        "detail_from_unapproved"
        if figures.get("unapproved")
        else ("detail_from_reports")
    )


def incident_lines(cases: dict, lang: str) -> list[str]:
    type_names = names(ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS, lang)
    top = ", ".join(
        f"{type_names[r['type_code']]} {r['count']}" for r in cases.get("top_types", [])
    )
    _headline, lines = map_panels.incident_lines(cases, lang)
    source = [t(_from_reports(cases), lang)] if cases.get("reported") else []
    if cases.get("apportioned"):
        source.append(t("reform_apportioned", lang))
    return [*lines, top, *source]


def timeliness_lines(row: dict, lang: str) -> list[str]:
    if not row.get("owed"):
        return [t("no_data", lang)]
    return map_panels.timeliness_lines(row, lang)


def trend_years(tree: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years a unit of ``tree`` has figures in: a legacy unit up to 2025 (it
    ends on 30 June), a July-2025 unit every year (earlier ones carried over)."""
    if tree == LEGACY_TREE:
        return tuple(y for y in years if y <= REFORM_DATE.year)
    return tuple(years)


def trend(frame, lang: str) -> object:
    """The unit's chart: fund (million đồng), abuse and injury cases, reports on
    time, year by year (``frame``: ``data.metrics.unit_trend``)."""
    series = {
        t("trend_fund", lang): list(frame["fund_total"] / 1e6),
        t("trend_abuse", lang): list(frame["abuse"]),
        t("trend_injury", lang): list(frame["injury"]),
        t("trend_on_time", lang): list(frame["on_time_share"]),
    }
    return figures.trend_spec(list(frame["year"]), series, lang)
