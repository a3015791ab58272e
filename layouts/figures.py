"""Figures: pure functions from values to ``go.Figure`` (no I/O, no callbacks)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

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
NO_DATA_COLOUR = "#c8c8c8"
# Colour-blind-safe sequential scale (ColorBrewer YlGnBu), light = low.
SEQUENTIAL = "YlGnBu"


def choropleth(
    *,
    geojson: str | dict,
    codes: Sequence[str],
    values: Sequence[float | None],
    hover: Sequence[str],
    colorbar_title: str,
    center: dict[str, float],
    zoom: float,
    zrange: tuple[float, float] = (0.0, 100.0),
    all_codes: Sequence[str] | None = None,
    no_data_label: str = "",
) -> go.Figure:
    """A one-layer choropleth on the offline style; units without a value show grey."""
    base = go.Choroplethmap(
        geojson=geojson,
        locations=list(all_codes if all_codes is not None else codes),
        z=[0] * len(all_codes if all_codes is not None else codes),
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        showscale=False,
        hovertemplate=f"{no_data_label}<extra></extra>",
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        name="no-data",
    )
    layer = go.Choroplethmap(
        geojson=geojson,
        locations=list(codes),
        z=list(values),
        zmin=zrange[0],
        zmax=zrange[1],
        colorscale=SEQUENTIAL,
        text=list(hover),
        hovertemplate="%{text}<extra></extra>",
        marker={"line": {"width": 0.8, "color": "#ffffff"}, "opacity": 0.95},
        # A horizontal bar under the map leaves the map its full width on phones.
        colorbar={
            "title": {"text": colorbar_title, "side": "top"},
            "orientation": "h",
            "thickness": 12,
            "len": 0.9,
            "x": 0.5,
            "xanchor": "center",
            "y": 0,
            "yanchor": "top",
        },
        name="values",
    )
    fig = go.Figure([base, layer])
    fig.update_layout(
        map={"style": BLANK_STYLE, "center": center, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 64},
        paper_bgcolor="#ffffff",
        uirevision="map",
    )
    return fig
