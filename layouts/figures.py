"""Figures: pure functions from values to ``go.Figure`` or ``Patch`` (no I/O).

The map is one figure with two Choroplethmap traces over the same GeoJSON (sent by
URL, fetched once by the browser): trace 0 paints every unit grey ("no data"),
trace 1 paints the units that have a value in their class colour.  Changing theme or
period patches trace 1's values only; drilling patches the GeoJSON URL and the view.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from dash import Patch

from data import uncertainty
from data.vocabulary import PER_CHILDREN
from layouts.formatting import number
from layouts.i18n import t
from layouts.legend import NO_DATA_COLOUR, Legend

# An offline MapLibre style: a plain background and one unused empty source.  A
# style with "sources": {} renders once and then breaks every update (plotly.js drops
# the empty object), and the default style fetches tiles from the internet.
BLANK_STYLE = {
    "version": 8,
    "sources": {
        "blank": {
            "type": "geojson",
            "data": {"type": "FeatureCollection", "features": []},
        }
    },
    "layers": [
        {"id": "bg", "type": "background", "paint": {"background-color": "#f4f6f8"}}
    ],
}
NO_DATA, VALUES = 0, 1  # trace indices
# Vietnamese writes 1.234.567,5: plotly's separators are "decimal, thousands".
SEPARATORS = {"vi": ",.", "en": ".,"}
# Each unit's own hover line (its edge is approximate, or nothing): ``hovertext``.
_EXTRA = "<extra></extra>"


def with_unit_note(template: str) -> str:
    """``template`` followed by the unit's own note (``hovertext``)."""
    if _EXTRA in template:
        return template.replace(_EXTRA, "%{hovertext}" + _EXTRA)
    return template + "%{hovertext}"


def empty_map(lang: str) -> dict[str, Any]:
    """The map before its first update: offline style, two empty layers; the
    figure's JSON form, built once per language (plotly's validation of a new
    figure took ~10 ms of every opening of the map page), a copy each time."""
    return copy.deepcopy(_empty_map(lang))


@lru_cache(maxsize=4)
def _empty_map(lang: str) -> dict[str, Any]:
    base = go.Choroplethmap(
        locations=[],
        z=[],
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        showscale=False,
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        name="no-data",
    )
    layer = go.Choroplethmap(
        locations=[],
        z=[],
        marker={"line": {"width": 0.8, "color": "#ffffff"}, "opacity": 0.95},
        # the legend is drawn under the map in HTML (ids.MAP_LEGEND: body-size
        # text that wraps on phones) from this colour bar's ticks and title
        showscale=False,
        colorbar={
            "orientation": "h",
            "thickness": 12,
            "len": 0.95,
            "x": 0.5,
            "xanchor": "center",
            "y": 0,
            "yanchor": "top",
            "title": {"side": "top"},
            "tickfont": {"size": 11},
        },
        name="values",
    )
    fig = go.Figure([base, layer])
    fig.update_layout(
        map={"style": BLANK_STYLE, "center": {"lon": 106.0, "lat": 16.0}, "zoom": 4},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="#ffffff",
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        uirevision="map",
    )
    return fig.to_plotly_json()


def geometry_patch(
    patch: Patch,
    *,
    geojson_url: str,
    codes: Sequence[str],
    names: Sequence[str],
    no_data_hover: str,
    center: dict[str, float],
    zoom: float,
    notes: Sequence[str] | None = None,
) -> Patch:
    """Point both layers at new boundaries and move the view to them.

    ``notes``: one hover line per unit (e.g. that its edge is approximate; "")."""
    for i in (NO_DATA, VALUES):
        patch["data"][i]["geojson"] = geojson_url
        patch["data"][i]["locations"] = list(codes)
        patch["data"][i]["text"] = list(names)
        patch["data"][i]["hovertext"] = list(notes or [""] * len(codes))
    patch["data"][NO_DATA]["z"] = [0] * len(codes)
    patch["data"][NO_DATA]["hovertemplate"] = with_unit_note(no_data_hover)
    patch["layout"]["map"]["center"] = center
    patch["layout"]["map"]["zoom"] = zoom
    return patch


def outline(patch: Patch, codes: Sequence[str], selected: str | None) -> Patch:
    """Draw the selected unit's border dark and thick (the others thin, white)."""
    line = patch["data"][VALUES]["marker"]["line"]
    if selected in codes:
        line["width"] = [3.0 if c == selected else 0.8 for c in codes]
        line["color"] = ["#212529" if c == selected else "#ffffff" for c in codes]
    else:
        line["width"], line["color"] = 0.8, "#ffffff"
    return patch


def values_patch(
    patch: Patch,
    *,
    classes: Sequence[int | None],
    custom: Sequence[Sequence],
    legend: Legend,
    hovertemplate: str,
    display: dict,
    restyle: bool = True,
) -> Patch:
    """New values for the coloured layer: classes, hover data, legend labels.

    ``restyle`` also sends what only changes with the theme (colours, hover
    template); a change of period leaves it out.  ``display`` tells the ranking
    beside the map how to print the values (it is built in the browser from this
    figure: the values travel once).
    """
    # two merge operations rather than one assignment per key: on a change of
    # period the operations' own wrapping is a good part of the response
    values = {
        "z": list(classes),
        "customdata": [list(row) for row in custom],
        "zmax": legend.zmax,
    }
    if restyle:
        values.update(
            colorscale=legend.colorscale,
            zmin=-0.5,
            hovertemplate=with_unit_note(hovertemplate),
        )
        patch["layout"]["meta"] = display
    patch["data"][VALUES].update(values)
    patch["data"][VALUES]["colorbar"].update(
        tickvals=legend.tickvals,
        ticktext=legend.ticktext,
        title={"text": legend.title, "side": "top"},
    )
    return patch


def trend_spec(
    years: Sequence[int], series: dict[str, Sequence[float | None]], lang: str
) -> dict[str, Any]:
    """Small multiples of a unit's yearly figures, one line per series, one
    panel under the other, every panel's axis ticked at the whole years.

    A figure's JSON as plotly would make it from a ``go.Figure`` (a test holds
    them equal), built as plain data as ``funnel_spec`` is: a ``go.Figure``'s
    validation and template copy were most of a detail panel's time.  Its
    template is plotly's default with the scatter traces' defaults only."""
    x = list(years)
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    for i, (label, values) in enumerate(series.items()):
        axis = "" if i == 0 else str(i + 1)
        data.append(
            {
                "type": "scatter",
                "x": x,
                "y": list(values),
                "name": label,
                "mode": "lines+markers",
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "showlegend": False,
            }
        )
        annotations.append(
            {
                "text": label,
                "xref": f"x{axis} domain",
                "yref": f"y{axis} domain",
                "x": 0,
                "y": 1.18,
                "showarrow": False,
                "xanchor": "left",
                "font": {"size": 11},
            }
        )
        # the whole years on every panel, not only the first (plotly's own ticks)
        layout[f"xaxis{axis}"] = {"tickmode": "array", "tickvals": x, "tickformat": "d"}
        whole = _whole_ticks(values)
        if whole:
            layout[f"yaxis{axis}"] = whole
    n = max(len(series), 1)
    layout.update(
        template=_template("plotly", "scatter"),
        grid={"rows": n, "columns": 1, "pattern": "independent"},
        height=110 * n + 30,
        margin={"l": 48, "r": 8, "t": 8, "b": 24},
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        annotations=annotations,
    )
    return {"data": data, "layout": layout}


# Counts over a range this small get plotly's ticks at halves ("0,5" cases).
WHOLE_TICKS_UP_TO = 5


def _whole_ticks(values: Sequence[float | None]) -> dict[str, Any]:
    """A panel of counts ticked at whole numbers only, where plotly's own
    ticks would fall between them (a small range); {} otherwise."""
    known = [float(v) for v in values if v is not None and v == v]
    if not known or not all(v.is_integer() for v in known):
        return {}
    if max(known) - min(known) > WHOLE_TICKS_UP_TO:
        return {}
    return {"tick0": 0, "dtick": 1}


VERSUS_COLOURS = {
    "very_low": "#08519c",
    "low": "#4292c6",
    "within": "#868e96",
    "high": "#f03b20",
    "very_high": "#bd0026",
}


_POSITIONS = ("top center", "bottom center", "middle right", "middle left")


def _label_positions(
    xs: Sequence[float], ys: Sequence[float], labels: Sequence[str]
) -> list[str]:
    """Where each named point's name goes: names of points close to an earlier
    named one (in order of height) take the next place round the point, so that
    neighbours' names do not print over each other."""
    positions = ["top center"] * len(xs)
    width = (max(xs) - min(xs)) or 1.0
    height = (max(ys) - min(ys)) or 1.0
    placed: list[tuple[float, float, int]] = []
    for i in sorted(range(len(xs)), key=lambda k: -ys[k]):
        if not labels[i]:
            continue
        near = [
            p
            for x, y, p in placed
            if abs(x - xs[i]) < 0.12 * width and abs(y - ys[i]) < 0.08 * height
        ]
        choice = next(
            (k for k in range(len(_POSITIONS)) if k not in near), len(placed) % 4
        )
        positions[i] = _POSITIONS[choice]
        placed.append((xs[i], ys[i], choice))
    return positions


def funnel_figure(
    units: Sequence[dict],
    overall: dict,
    place: str,
    lang: str,
    font: int = 13,
) -> go.Figure | None:
    """``funnel_spec`` as a ``go.Figure`` (the deck's picture, tests)."""
    spec = funnel_spec(units, overall, place, lang, font)
    return None if spec is None else go.Figure(spec)


def funnel_spec(
    units: Sequence[dict],
    overall: dict,
    place: str,
    lang: str,
    font: int = 13,
) -> dict[str, Any] | None:
    """Spiegelhalter's funnel plot of case rates: each unit's rate per 100,000
    against its children under 16, the rate of ``place`` (``overall["rate"]``)
    and its 95 % and 99.8 % exact Poisson control limits
    (``data.uncertainty.funnel_curve``).

    ``units``: {name, children, low, high (counts as the user sees them: a range
    where an abuse part shows "<5"), versus, ci (text)}.  Units outside the 95 %
    limits are named on the plot.  None without a rate to centre on or a unit
    to show.

    A figure's JSON as plotly would make it from a ``go.Figure`` (a test holds
    them equal), built as plain data: validating the traces and copying the
    template into a ``go.Figure`` cost more than everything else of a ranking.
    Its template is plotly_white with the scatter traces' defaults only (the
    only traces drawn: the same picture)."""
    target = overall.get("rate")
    shown = [
        u
        for u in units
        if u.get("children") and u.get("low") is not None and u["low"] == u["low"]
    ]
    if target is None or target != target or not shown:
        return None
    children = [float(u["children"]) for u in shown]
    curve = uncertainty.funnel_curve(
        float(target), min(children) * 0.8, max(children) * 1.1
    )
    grid = list(curve["children"])
    rate = [PER_CHILDREN * float(u["low"]) / float(u["children"]) for u in shown]
    top = [PER_CHILDREN * float(u["high"]) / float(u["children"]) for u in shown]
    data: list[dict[str, Any]] = []
    for level, dash, width in (("998", "solid", 1.6), ("95", "dash", 1.4)):
        name = t(f"funnel_{level}", lang)
        for side in ("low", "high"):
            data.append(
                {
                    "type": "scatter",
                    "x": grid,
                    "y": list(curve[f"{side}{level}"]),
                    "mode": "lines",
                    "line": {"color": "#495057", "dash": dash, "width": width},
                    "name": name,
                    "legendgroup": level,
                    "showlegend": side == "high",
                    "hoverinfo": "skip",
                }
            )
    target_text = t("funnel_target", lang, name=place, rate=number(target, lang, 1))
    data.append(
        {
            "type": "scatter",
            "x": [grid[0], grid[-1]],
            "y": [target, target],
            "mode": "lines",
            "line": {"color": "#212529", "width": 2},
            "name": target_text,
            "hoverinfo": "skip",
        }
    )
    ranges = [(c, r, h) for c, r, h in zip(children, rate, top, strict=True) if h > r]
    if ranges:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for c, r, h in ranges:
            xs += [c, c, None]
            ys += [r, h, None]
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": "#adb5bd", "width": 5},
                "name": t("funnel_range", lang),
                "hoverinfo": "skip",
            }
        )
    versus = [u.get("versus") or "within" for u in shown]
    labels = [
        u["name"] if v != "within" else "" for u, v in zip(shown, versus, strict=True)
    ]
    hover = [
        f"<b>{u['name']}</b><br>"
        + t(
            "funnel_hover",
            lang,
            rate=(("≥ " if h > r else "") + number(r, lang, 1)),
            children=number(c, lang),
        )
        + (f"<br>{u['ci']}" if u.get("ci") else "")
        + f"<br>{t('versus_' + v, lang)}"
        for u, c, r, h, v in zip(shown, children, rate, top, versus, strict=True)
    ]
    data.append(
        {
            "type": "scatter",
            "x": children,
            "y": rate,
            "mode": "markers+text",
            "text": labels,
            "textposition": _label_positions(children, rate, labels),
            "textfont": {"size": font},
            "marker": {
                "size": 11,
                "color": [VERSUS_COLOURS.get(v, "#868e96") for v in versus],
                "line": {"width": 1, "color": "#ffffff"},
            },
            "name": t("funnel_units", lang),
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    )
    highest = max([*top, *curve["high95"]])
    layout = {
        "template": _template("plotly_white", "scatter"),
        "separators": SEPARATORS.get(lang, SEPARATORS["vi"]),
        "font": {"size": font},
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "xaxis": {"title": {"text": t("funnel_x", lang)}, "tickformat": ",d"},
        "yaxis": {
            "title": {"text": t("funnel_y", lang)},
            "rangemode": "tozero",
            "range": [0, min(highest, 3 * max([*top, target])) * 1.08],
            "tickformat": ",d",
        },
    }
    return {"data": data, "layout": layout}


@lru_cache(maxsize=4)
def _template(name: str, *traces: str) -> dict[str, Any]:
    """A plotly template as a figure's JSON carries it, its trace defaults for
    ``traces`` only (the others' are 60 % of its 7 kB, for trace types the
    figure does not draw); made once, read only."""
    whole = pio.templates[name].to_plotly_json()
    data = {kind: whole["data"][kind] for kind in traces if kind in whole["data"]}
    return {"data": data, "layout": whole["layout"]}
