"""Classes and legends for the map: pure functions of the values.

The map colours a unit by its class, not its raw value: ``z`` is the class index and
the colour bar shows one equal block per class, labelled with its range.  That keeps
the legend readable whatever the spread of the values (quantile classes of skewed
rates would otherwise be slivers), and the value itself travels in ``customdata``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from layouts.formatting import number
from layouts.i18n import t

CLASS_METHODS = ("equal", "quantile")
N_CLASSES = 5
# ColorBrewer sequential schemes, both safe for colour-blind readers.
GOOD_HIGH = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")  # YlGnBu
BAD_HIGH = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # YlOrRd
# Okabe-Ito colours for the child-friendly statuses (distinct for colour-blind
# readers): not registered, registered, not recognised, recognised new, maintained.
STATUS_COLOURS = ("#E69F00", "#F0E442", "#D55E00", "#56B4E9", "#0072B2")
# Small abuse counts a user may not see ("<5"): neither a class colour nor the
# grey of "no data".
SUPPRESSED_COLOUR = "#c2a5cf"
NO_DATA_COLOUR = "#c8c8c8"  # units without a value


@dataclass(frozen=True)
class Legend:
    """What the map trace needs: a stepped colour scale and its labelled bar."""

    colorscale: list[list]
    zmax: float
    tickvals: list[int]
    ticktext: list[str]
    title: str

    def trace_props(self) -> dict:
        return {
            "colorscale": self.colorscale,
            "zmin": -0.5,
            "zmax": self.zmax,
            "colorbar": {
                "tickvals": self.tickvals,
                "ticktext": self.ticktext,
                "title": {"text": self.title},
            },
        }


def class_edges(
    values: Sequence[float | None], method: str, k: int = N_CLASSES
) -> list[float]:
    """``k`` classes' edges (k + 1 numbers, fewer when values repeat)."""
    finite = np.array([v for v in values if v is not None and not _isnan(v)], float)
    if finite.size == 0:
        return [0.0, 1.0]
    low, high = float(finite.min()), float(finite.max())
    if high == low:
        return [low, low + 1.0]
    if method == "quantile":
        edges = np.unique(np.quantile(finite, np.linspace(0, 1, k + 1)))
    elif method == "equal":
        edges = np.linspace(low, high, k + 1)
    else:
        raise ValueError(f"unknown class method {method!r}; use one of {CLASS_METHODS}")
    return [float(e) for e in edges]


def classify(
    values: Sequence[float | None], edges: Sequence[float]
) -> list[int | None]:
    """Class index of each value (None stays None: no data)."""
    inner = np.asarray(edges[1:-1], float)
    return [
        None if v is None or _isnan(v) else int(np.searchsorted(inner, v, side="right"))
        for v in values
    ]


def stepped_scale(colours: Sequence[str]) -> list[list]:
    """A colour scale with one flat block per colour, for z = 0 .. n-1."""
    n = len(colours)
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def pick_colours(palette: Sequence[str], n: int) -> list[str]:
    """``n`` colours spread over ``palette`` (light to dark)."""
    if n >= len(palette):
        return list(palette)
    idx = np.round(np.linspace(0, len(palette) - 1, n)).astype(int)
    return [palette[i] for i in idx]


def range_labels(edges: Sequence[float], lang: str, decimals: int) -> list[str]:
    return [
        f"{number(lo, lang, decimals)}–{number(hi, lang, decimals)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]


def continuous(
    values: Sequence[float | None],
    *,
    method: str,
    palette: Sequence[str],
    title: str,
    lang: str,
    decimals: int = 1,
    suppressed: Sequence[bool] | None = None,
    suppressed_label: str = "",
) -> tuple[list[int | None], Legend]:
    """Classes of ``values`` and their legend.

    ``suppressed`` (one flag per value): those units get a class of their own after
    the others, in ``SUPPRESSED_COLOUR``, labelled ``suppressed_label``; the legend
    always shows it when ``suppressed`` is given, so that its colours do not shift
    from one period to the next.  With no value at all the legend is one grey
    "no data" block.
    """
    edges = class_edges(values, method)
    n = len(edges) - 1
    colours, labels = pick_colours(palette, n), range_labels(edges, lang, decimals)
    finite = {v for v in values if v is not None and not _isnan(v)}
    if not finite:  # nothing to class: say so, not a made-up "0,0–1,0"
        n, colours, labels = 1, [NO_DATA_COLOUR], [t("no_data", lang)]
    elif len(finite) == 1:  # one value for every unit: label it, not a made-up range
        labels = [number(finite.pop(), lang, decimals)]
    classes = classify(values, edges)
    if suppressed is not None:
        colours, labels = [*colours, SUPPRESSED_COLOUR], [*labels, suppressed_label]
        classes = [
            n if hidden else c for c, hidden in zip(classes, suppressed, strict=True)
        ]
    legend = Legend(
        colorscale=stepped_scale(colours),
        zmax=len(colours) - 0.5,
        tickvals=list(range(len(colours))),
        ticktext=labels,
        title=title,
    )
    return classes, legend


def discrete(labels: Sequence[str], colours: Sequence[str], title: str) -> Legend:
    """A legend of fixed categories (z = category index)."""
    return Legend(
        colorscale=stepped_scale(colours),
        zmax=len(labels) - 0.5,
        tickvals=list(range(len(labels))),
        ticktext=list(labels),
        title=title,
    )


def _isnan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)
