"""The quarterly review as slides: pure functions from a ``data.review.Review`` to
``Slide`` records that the presentation view (HTML) and the deck (PPTX, PDF)
draw alike, so that the room and the file show the same words and numbers.

Every slide carries the same footer: the source, the data-as-of date, and
"demo data" when it is.  Maps are ``go.Figure`` objects over GeoJSON given by URL
(the browser) or inline (the deck's image export).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from data.periods import VN_TZ, Period
from data.review import ABUSE_ALL, PERIODS, Review
from data.tables import ABOLISHED_ON
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    INCIDENT_CATEGORY_TERMS,
    INJURY_TYPE_TERMS,
    TARGET_RESULT_TERMS,
    names,
)
from layouts import figures, legend
from layouts.figures import BLANK_STYLE, NO_DATA_COLOUR, SEPARATORS
from layouts.formatting import (
    SUPPRESSED,
    at_least,
    billions,
    number,
    percent,
    period_label,
    to_day,
    unit_and_filer,
)
from layouts.i18n import t
from layouts.map_print import PrintMap, coloured

MAP_THEMES = ("child_friendly", "fund", "incidents", "timeliness")
PALETTES = {
    "child_friendly": legend.GOOD_HIGH,
    "fund": legend.GOOD_HIGH,
    "incidents": legend.BAD_HIGH,
    "timeliness": legend.GOOD_HIGH,
}
TYPES_CHARTED = 8
SCORECARD_SHOWN = 8


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    footer: str
    subtitle: str = ""
    big: str = ""  # the one key figure, large
    big_label: str = ""
    lines: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    figure: go.Figure | None = None  # a chart or the screen's map
    printed: PrintMap | None = None  # the map, drawn as the printed map is


def quarter_label(quarter: Period, lang: str) -> str:
    return period_label(quarter.year, lang, quarter=quarter.quarter)


def cut_day(r: Review) -> dt.date | None:
    """The day the review's quarter is counted to while it runs (and the same
    days of last year's quarter with it); None for a quarter that has ended."""
    return r.as_of if r.as_of < r.quarter.end() else None


def compared_label(r: Review, lang: str) -> str:
    """The quarter the review is set against: 'Quý 4/2025 đến ngày 02/12'."""
    earlier = quarter_label(r.quarter.same_period_last_year(), lang)
    return to_day(earlier, cut_day(r), lang)


def stamp(r: Review, lang: str) -> str:
    """When the figures were last written, in Viet Nam time."""
    if r.data_as_of is None:
        return t("export_unknown", lang)
    return r.data_as_of.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def footer(r: Review, lang: str) -> str:
    parts = [
        t("review_source", lang),
        t("review_data_as_of", lang, stamp=stamp(r, lang)),
    ]
    if r.demo:
        parts.append(t("review_demo", lang))
    return " · ".join(parts)


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _count(value: float | None, lang: str) -> str:
    return SUPPRESSED if value is None or value != value else number(value, lang)


def type_name(code: str, lang: str) -> str:
    """'Xâm hại: Bạo lực', 'TNTT: Đuối nước' (both lists have a "violence")."""
    if code == ABUSE_ALL:
        return t("review_abuse_all", lang)
    if code in names(ABUSE_TYPE_TERMS, lang):
        return t("review_abuse_type", lang, name=names(ABUSE_TYPE_TERMS, lang)[code])
    return t("review_injury_type", lang, name=names(INJURY_TYPE_TERMS, lang)[code])


def _amount(frame: object) -> str:
    """The fund map in amounts (no unit has a target): its own legend title."""
    return "_amount" if getattr(frame, "attrs", {}).get("amount") else ""


def _classes(
    r: Review, theme: str, lang: str
) -> tuple[list[int | None], legend.Legend]:
    """Each unit's class on the theme's map and the legend (quantile classes;
    a figure hidden from the user in the suppressed class)."""
    frame = r.maps[theme]
    values = [None if v != v else float(v) for v in frame["value"]]
    hidden = None
    if "suppressed" in frame and not r.exact:
        hidden = [bool(h) for h in frame["suppressed"]]
    return legend.continuous(
        values,
        method="quantile",
        palette=PALETTES[theme],
        lang=lang,
        title=t(f"review_legend_{theme}" + _amount(frame), lang),
        suppressed=hidden,
        suppressed_label=t("legend_suppressed", lang),
    )


def printed_map(r: Review, theme: str, collection: dict, lang: str) -> PrintMap:
    """The theme's map as the printed map draws it (``layouts.map_print``): the
    deck's map slides are drawn by the same renderer as "Tải bản đồ"."""
    frame = r.maps[theme]
    classes, leg = _classes(r, theme, lang)
    by_code = {f["id"]: f for f in collection["features"]}
    shown = [i for i, code in enumerate(frame["code"]) if code in by_code]
    units, entries = coloured(
        [by_code[frame["code"].iloc[i]] for i in shown],
        [str(frame["name"].iloc[i]) for i in shown],
        [classes[i] for i in shown],
        leg,
        t("no_data", lang),
    )
    return PrintMap(
        title="",
        subtitle="",
        units=units,
        legend_title=leg.title,
        legend=entries,
        footer=(),
        north=t("print_north", lang),
        labels=len(units) <= 40,
        lang=lang,
    )


def map_figure(
    r: Review, theme: str, geojson: str | dict, view: tuple[dict, float], lang: str
) -> go.Figure:
    """The province's units coloured by ``theme`` (no hover needed in a room)."""
    frame = r.maps[theme]
    classes, leg = _classes(r, theme, lang)
    codes, unit_names = list(frame["code"]), list(frame["name"])
    center, zoom = view
    base = go.Choroplethmap(
        geojson=geojson,
        locations=codes,
        z=[0] * len(codes),
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        showscale=False,
        marker={"line": {"width": 0.8, "color": "#ffffff"}},
        hoverinfo="skip",
    )
    layer = go.Choroplethmap(
        geojson=geojson,
        locations=codes,
        z=classes,
        text=unit_names,
        marker={"line": {"width": 0.8, "color": "#ffffff"}},
        hovertemplate="<b>%{text}</b><extra></extra>",
        **leg.trace_props(),
    )
    layer.colorbar.update(
        orientation="h",
        x=0.5,
        xanchor="center",
        y=0,
        yanchor="top",
        thickness=14,
        len=0.95,
        title={"text": leg.title, "side": "top"},
        tickfont={"size": 16},
    )
    fig = go.Figure([base, layer])
    fig.update_layout(
        map={"style": BLANK_STYLE, "center": center, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 80},
        paper_bgcolor="#ffffff",
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        font={"size": 18},
    )
    return fig


def _bar_layout(fig: go.Figure, lang: str) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        margin={"l": 10, "r": 20, "t": 30, "b": 10},
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        font={"size": 20},
        legend={"orientation": "h", "y": 1.08, "x": 0},
    )
    return fig


def fund_figure(r: Review, lang: str) -> go.Figure:
    f = r.fund
    bars = [
        (t("review_fund_raised", lang), f["total"], "#2c7fb8"),
        (t("review_fund_expected", lang), f.get("expected"), "#a1dab4"),
        (t("review_fund_projection", lang), f.get("projection"), "#41b6c4"),
        (t("review_fund_target", lang), f.get("target"), "#253494"),
        (t("review_fund_last_year", lang), f.get("last_year_total"), "#c8c8c8"),
    ]
    shown = [(label, v, c) for label, v, c in bars if v is not None]
    fig = go.Figure(
        go.Bar(
            y=[label for label, _v, _c in shown],
            x=[v / 1e9 for _label, v, _c in shown],
            orientation="h",
            marker_color=[c for _l, _v, c in shown],
            text=[billions(v, lang) for _l, v, _c in shown],
            textposition="auto",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t("review_billion", lang))
    return _bar_layout(fig, lang)


def incidents_figure(r: Review, lang: str) -> go.Figure:
    top = r.incidents.sort_values("now", ascending=False).head(TYPES_CHARTED)
    labels = [type_name(c, lang) for c in top["type_code"]]
    fig = go.Figure(
        [
            go.Bar(
                y=labels,
                x=top["before"],
                name=compared_label(r, lang),
                orientation="h",
                marker_color="#c8c8c8",
            ),
            go.Bar(
                y=labels,
                x=top["now"],
                name=to_day(quarter_label(r.quarter, lang), cut_day(r), lang),
                orientation="h",
                marker_color="#f03b20",
            ),
        ]
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group")
    return _bar_layout(fig, lang)


def category_totals(r: Review, category: str) -> dict[str, float]:
    """The category's cases per period of the incident table (NaN: "<5")."""
    rows = r.incidents[r.incidents["category"] == category]
    if rows.empty:
        return dict.fromkeys(PERIODS, 0.0)
    # a suppressed row (NaN) makes its total unknown too
    return {p: float(rows[p].sum(skipna=False)) for p in PERIODS}


def _value(value: object, lang: str) -> str:
    if value is None or value != value:
        return "–"
    return number(float(value), lang, 0 if float(value).is_integer() else 1)  # type: ignore[arg-type, unused-ignore]


def _target(text: object, lang: str) -> str:
    """'≥ 4300000000' -> '≥ 4.300.000.000' (the comparator kept)."""
    if not isinstance(text, str) or not text.strip():
        return "–"
    comparator, _, amount = text.strip().rpartition(" ")
    try:
        shown = _value(float(amount), lang)
    except ValueError:
        return text
    return f"{comparator} {shown}".strip()


def scorecard_rows(r: Review, lang: str) -> list[list[str]]:
    """Per indicator: the province's target, value and result, and how many of
    the units under it with the same indicator met theirs; the province's own
    indicators first, at most ``SCORECARD_SHOWN``."""
    rows = []
    card = r.scorecard
    results = names(TARGET_RESULT_TERMS, lang)
    for indicator in dict.fromkeys(card["indicator"]):
        of = card[card["indicator"] == indicator]
        own = of[of["code"] == r.province["code"]]
        others = of[of["code"] != r.province["code"]]
        first = own.iloc[0] if len(own) else None
        met = int((others["met"] == "met").sum())
        rows.append(
            (
                first is None,
                [
                    indicator,
                    "–" if first is None else _target(first["target"], lang),
                    "–" if first is None else _value(first["value"], lang),
                    "–" if first is None else results[first["met"]],
                    t("review_met_of", lang, met=met, total=len(others))
                    if len(others)
                    else "–",
                ],
            )
        )
    rows.sort(key=lambda pair: pair[0])  # stable: the province's own first
    return [row for _other, row in rows[:SCORECARD_SHOWN]]


def _change(now: float, before: float, lang: str) -> str:
    if now != now or before != before:
        return "–"
    diff = now - before
    sign = "+" if diff > 0 else ""
    return f"{sign}{number(diff, lang)}"


def _rank_change(change: object, lang: str) -> str:
    if change is None or change != change:
        return "–"
    value = int(change)  # type: ignore[call-overload]
    if value > 0:
        return f"▲ {value}"
    if value < 0:
        return f"▼ {-value}"
    return "="


def _point(key: str, values: dict, lang: str) -> str:
    if key == "point_cases_up":
        return t(
            key,
            lang,
            type=type_name(values["type_code"], lang),
            now=_count(values["now"], lang),
            before=_count(values["before"], lang),
        )
    if key == "point_rank_down":
        return t(
            key,
            lang,
            name=values["name"],
            places=-int(values["change"]),
            rank=int(values["rank"]),
        )
    if key == "point_late_reports":
        return t(key, lang, name=values["name"], share=percent(values["value"], lang))
    if key == "point_fund_slow":
        return t(
            key,
            lang,
            pace=percent(100 * values["pace"], lang, 0),
            projection=billions(values["projection"], lang),
            target=billions(values["target"], lang),
        )
    if key == "point_lost_cf":
        listed = ", ".join(values["names"])
        return t(key, lang, count=values["count"]) + (f": {listed}" if listed else "")
    return t(key, lang, **values)


def _month(day: dt.date) -> str:
    return f"{day.month:02d}/{day.year}"


def map_notes(r: Review, theme: str, lang: str) -> list[str]:
    """Why a theme's map slide has no figures, and what comes next."""
    if r.maps[theme]["value"].notna().any():
        return []
    if theme == "timeliness":
        return [t("review_no_reports_due", lang)]
    if theme != "child_friendly" or not r.cf_rounds:
        return [t("review_no_data", lang)]
    rounds = r.cf_rounds
    if rounds["last"] is None:
        return [t("cf_no_round", lang, next=_month(rounds["next"]))]
    key = "cf_no_round_since_reform" if rounds["last_here"] is None else "cf_last_round"
    return [t(key, lang, last=_month(rounds["last"]), next=_month(rounds["next"]))]


@dataclass(frozen=True)
class _Review:
    """What every slide of one review shares: the review, the language, the
    footer and the quarter's, year's and province's names."""

    r: Review
    lang: str
    foot: str
    quarter: str
    ytd: str
    province: str

    @classmethod
    def of(cls, r: Review, lang: str) -> _Review:
        return cls(
            r=r,
            lang=lang,
            foot=footer(r, lang),
            quarter=quarter_label(r.quarter, lang),
            ytd=t("review_ytd", lang, day=_day(r.as_of)),
            province=r.province["name"],
        )

    def slide(self, key: str, title: str, **parts: Any) -> Slide:
        """A slide of this review: its key and title, the shared footer."""
        return Slide(key, title, self.foot, **parts)


def slides(
    r: Review, lang: str, map_for: Callable[[str], go.Figure | PrintMap | None]
) -> list[Slide]:
    """Every slide of the review, in order.  ``map_for(theme)`` gives the theme's
    map: a figure (the screen), a printed map (the deck's files) or None (the
    slide shows the figure without a map)."""
    c = _Review.of(r, lang)
    return [
        title_slide(c),
        *(map_slide(c, theme, map_for(theme)) for theme in MAP_THEMES),
        fund_slide(c),
        incidents_slide(c),
        incidents_table_slide(c),
        timeliness_slide(c),
        ranking_slide(c),
        funnel_slide(c),
        scorecard_slide(c),
        points_slide(c),
    ]


def title_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    return c.slide(
        "title",
        t("review_title", lang, quarter=c.quarter),
        subtitle=c.province,
        lines=[
            t("review_as_of", lang, day=_day(r.as_of)),
            t("review_data_as_of", lang, stamp=stamp(r, lang)),
            *([t("review_demo_long", lang)] if r.demo else []),
        ],
    )


def key_figure(r: Review, theme: str, lang: str) -> str:
    """The theme's one figure for the province: a share, or a count of cases
    ("≥ 53" while part of it is not known)."""
    headline = r.headline
    if theme != "incidents":
        return percent(headline[theme], lang)
    partial = (
        at_least(headline["incidents"], lang)
        if headline.get("incidents_partial")
        else None
    )
    return partial or _count(headline["incidents"], lang)


def map_slide(c: _Review, theme: str, drawn: go.Figure | PrintMap | None) -> Slide:
    lang = c.lang
    printed = drawn if isinstance(drawn, PrintMap) else None
    return c.slide(
        f"map_{theme}",
        t(f"theme_{theme}", lang) + f" – {c.quarter}",
        subtitle=c.province,
        big=key_figure(c.r, theme, lang),
        big_label=t(f"review_key_{theme}", lang, quarter=c.quarter, ytd=c.ytd),
        lines=map_notes(c.r, theme, lang),
        figure=None if printed is not None else drawn,
        printed=printed,
    )


def fund_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    f = r.fund
    pace = f.get("pace")
    target = billions(f["target"], lang) if f.get("target") else "–"
    projection = billions(f["projection"], lang) if f.get("projection") else "–"
    return c.slide(
        "fund",
        t("review_fund_title", lang, quarter=c.quarter),
        subtitle=c.ytd,
        big=billions(f["total"], lang),
        big_label=t("review_fund_big", lang, target=target),
        lines=[
            t("review_fund_quarter", lang, amount=billions(f["quarter_total"], lang)),
            t(
                "review_fund_pace",
                lang,
                pace=percent(100 * pace, lang, 0) if pace is not None else "–",
            ),
            t("review_fund_projection_line", lang, amount=projection),
            t(
                "review_fund_last_year_line",
                lang,
                amount=billions(f["last_year_total"], lang),
            ),
        ],
        figure=fund_figure(r, lang),
    )


def incidents_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    totals = [
        t(
            "review_category_line",
            lang,
            category=names(INCIDENT_CATEGORY_TERMS, lang)[category],
            **{k: _count(v, lang) for k, v in category_totals(r, category).items()},
        )
        for category in ("abuse", "injury")
    ]
    compared = f" ({compared_label(r, lang)})" if cut_day(r) else ""
    return c.slide(
        "incidents",
        t("review_incidents_title", lang, quarter=c.quarter),
        subtitle=t("review_same_period", lang) + compared,
        lines=totals + ([] if r.exact else [t("review_rounded", lang)]),
        figure=incidents_figure(r, lang),
    )


def incidents_table_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    head = [
        t("review_type", lang),
        to_day(c.quarter, cut_day(r), lang),
        compared_label(r, lang),
        t("review_change", lang),
        t("review_ytd_short", lang, year=r.quarter.year),
        t("review_ytd_short", lang, year=r.quarter.year - 1),
    ]
    rows = [
        [
            type_name(row["type_code"], lang),
            _count(row["now"], lang),
            _count(row["before"], lang),
            _change(row["now"], row["before"], lang),
            _count(row["ytd"], lang),
            _count(row["ytd_before"], lang),
        ]
        for row in r.incidents.to_dict("records")
    ]
    return c.slide(
        "incidents_table",
        t("review_incidents_table_title", lang, quarter=c.quarter),
        subtitle=c.province,
        table=(head, rows),
    )


def _table(
    head: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]] | None:
    """A slide's table, or None when it has no rows."""
    return (head, rows) if rows else None


def timeliness_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    tl = r.timeliness
    head = [
        t("col_unit", lang),
        t("review_part_of", lang),
        t("reports_col_report", lang),
        t("reports_col_due", lang),
        t("reports_col_overdue", lang),
    ]
    overdue = [
        [
            unit_and_filer(
                row["unit"], row.get("filed_by"), row.get(ABOLISHED_ON), lang
            ),
            row["parent"] or "",
            row["report"],
            _day(row["due_date"]),
            number(row["days_late"], lang),
        ]
        for row in r.overdue.to_dict("records")
    ]
    return c.slide(
        "timeliness",
        t("review_timeliness_title", lang, quarter=c.quarter),
        subtitle=c.province,
        big=percent(tl.get("on_time_share"), lang),
        big_label=t("review_on_time", lang),
        lines=[
            t(
                "review_received",
                lang,
                share=percent(tl.get("received_share"), lang),
                received=tl.get("received", 0),
                expected=tl.get("expected", 0),
            ),
            t("review_overdue_count", lang, count=r.overdue_total),
        ],
        table=_table(head, overdue),
    )


def ranking_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    head = [
        t("rank_col_rank", lang),
        t("col_unit", lang),
        t("review_composite", lang),
        t("review_movement", lang),
    ]
    rows = [
        [
            str(int(row["rank"])),
            row["name"],
            number(row["composite"], lang, 1),
            _rank_change(row["change"], lang),
        ]
        for row in r.ranking.to_dict("records")
        if row["rank"] == row["rank"]  # not NaN: ranked
    ]
    return c.slide(
        "ranking",
        t("review_ranking_title", lang, quarter=c.quarter),
        subtitle=t("review_ranking_note", lang),
        table=(head, rows),
    )


def funnel_units(r: Review, lang: str) -> list[dict]:
    """The funnel's points: each unit's cases as the user sees them."""
    out = []
    for row in r.funnel.to_dict("records"):
        low, high = row["burden_ci_low"], row["burden_ci_high"]
        ci = None
        if low == low and high == high and low is not None and high is not None:
            key = "ci95_hidden" if row["burden_partial"] else "ci95"
            ci = t(key, lang, low=number(low, lang, 1), high=number(high, lang, 1))
        out.append(
            {
                "name": row["name"],
                "children": None
                if row["children"] != row["children"]
                else row["children"],
                "low": row["burden_low"],
                "high": row["burden_high"],
                "versus": row["versus"],
                "ci": ci,
            }
        )
    return out


def funnel_slide(c: _Review) -> Slide:
    """The quarter's case rates in a funnel around the province's: which units
    are truly unusual rather than small."""
    r, lang = c.r, c.lang
    figure = figures.funnel_figure(
        funnel_units(r, lang), r.overall, c.province, lang, 18
    )
    lines = []
    for versus in ("very_high", "high", "low", "very_low"):
        named = r.funnel.loc[r.funnel["versus"] == versus, "name"].tolist()
        if named:
            lines.append(f"{t('versus_' + versus, lang)}: {', '.join(named)}")
    if figure is None:
        lines.append(t("funnel_none", lang))
    elif not lines:
        lines.append(t("review_funnel_all_within", lang))
    rate = r.overall.get("rate")
    return c.slide(
        "funnel",
        t("review_funnel_title", lang, quarter=c.quarter),
        subtitle=t(
            "review_funnel_subtitle",
            lang,
            name=c.province,
            rate="–" if rate is None or rate != rate else number(rate, lang, 1),
        ),
        lines=lines + ([] if r.exact else [t("rank_uncertainty_hidden", lang)]),
        figure=figure,
    )


def scorecard_slide(c: _Review) -> Slide:
    r, lang = c.r, c.lang
    head = [
        t("review_indicator", lang),
        t("review_target", lang),
        t("review_value", lang),
        t("review_result", lang),
        t("review_units_met", lang),
    ]
    rows = scorecard_rows(r, lang)
    return c.slide(
        "scorecard",
        t("review_scorecard_title", lang, year=r.quarter.year),
        subtitle=c.province,
        table=_table(head, rows),
        lines=[] if rows else [t("review_no_targets", lang)],
    )


def points_slide(c: _Review) -> Slide:
    lang = c.lang
    points = [_point(key, values, lang) for key, values in c.r.points]
    return c.slide(
        "points",
        t("review_points_title", lang),
        subtitle=c.quarter,
        lines=points or [t("review_no_points", lang)],
    )
