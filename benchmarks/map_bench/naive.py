"""The naive Dash app the app's map is measured against.

The way most Dash apps draw a choropleth: one callback on the view, theme, period
and map size that reads the same aggregate as the app (the same ``data.metrics``
functions, no cache) summed from the fact records, as an app without kept sums
does (``data.metrics.months.from_facts``), loads the full, unsimplified GeoJSON of
the level from the stored boundaries and returns a whole new
``px.choropleth_map`` figure every time.  Its layout has only the components that
callback needs, under the app's ids, so that the same kind of payload reaches it.

``naive_app(url, kept_sums=True)`` is the same app reading the kept sums
(``data.metrics.summary``) as the app does: timed beside the other, it shows what
the sums alone bring and what the app's cache and patches bring on top.
"""

from __future__ import annotations

from contextlib import nullcontext

import pandas as pd
import plotly.express as px
import shapely
from dash import Dash, Input, Output, dcc, html
from flask import Flask
from sqlalchemy import Connection

from callbacks import inputs
from callbacks.themes import Query, incident_args, timeliness_args
from data import metrics
from data.boundaries import load_boundaries
from data.db import make_engine
from data.metrics.months import from_facts
from data.periods import Period, today_vn
from data.scope import FULL
from data.units import unit_with_parent
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import ids
from layouts.figures import BLANK_STYLE

from .config import LANG, MAP_SIZE, TREE

# Per theme: the aggregate's value column and the columns a naive app shows on hover.
NAIVE_COLUMNS = {
    "child_friendly": ("share", ["recognised", "communes"]),
    "child_friendly/commune": ("status_class", ["total_score", "threshold"]),
    "fund": ("pct", ["total", "target"]),
    "incidents": ("rate", ["count", "children"]),
    "timeliness": ("on_time_share", ["on_time", "expected"]),
}


def naive_frame(
    conn: Connection, theme: str, level: str, unit: str, period: str
) -> tuple[pd.DataFrame, str, list[str]]:
    """The same aggregate the app reads, straight from data.metrics (no cache)."""
    q = Query(
        theme=theme,
        tree=TREE,
        unit=unit,
        level=level,
        period=Period.parse(period),
        today=today_vn(),
        lang=LANG,
        scope=FULL,  # the benchmark's user is an admin
    )
    key = theme
    if theme == "child_friendly" and level == "commune":
        args = {k: v for k, v in q.args().items() if k != "level"}
        frame, key = metrics.child_friendly_status(conn, **args), f"{theme}/commune"
    elif theme == "child_friendly":
        frame = metrics.child_friendly_share(conn, **q.args())
    elif theme == "fund":
        frame = metrics.fund_progress(conn, **q.args())
    elif theme == "incidents":
        frame = metrics.incidents(conn, **incident_args(q))
    else:
        frame = metrics.timeliness(conn, **timeliness_args(q))
    value, hover = NAIVE_COLUMNS[key]
    frame[value] = pd.to_numeric(frame[value], errors="coerce")
    return frame, value, hover


def full_geojson(conn: Connection, level: str, unit: str) -> tuple[dict, tuple]:
    """Every stored boundary of the level, as is: no simplification, no rounding."""
    frame = load_boundaries(conn, tree=TREE, level=level, parent_code=unit)
    geoms = shapely.from_wkb(frame["geom_wkb"].to_numpy())
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"name": name},
            "geometry": geom.__geo_interface__,
        }
        for code, name, geom in zip(frame["code"], frame["name"], geoms, strict=True)
    ]
    box = tuple(float(v) for v in shapely.total_bounds(geoms)) if len(geoms) else ()
    return {"type": "FeatureCollection", "features": features}, box


def naive_app(db_url: str, *, kept_sums: bool = False) -> Dash:
    """The way most Dash apps do it: one callback, a whole new figure every time
    (its aggregates from the fact records, or with ``kept_sums`` as the app's)."""
    engine = make_engine(db_url)
    app = Dash(__name__, server=Flask("naive"), serve_locally=True)
    app.layout = html.Div(
        [
            dcc.Store(id=ids.VIEW, data={"unit": "VN"}),
            dcc.Store(id=ids.MAP_SIZE, data=MAP_SIZE),
            dcc.Dropdown(id=ids.THEME, value="child_friendly"),
            dcc.Dropdown(id=ids.PERIOD, value="2024"),
            dcc.Graph(id=ids.MAP),
        ]
    )

    @app.callback(
        Output(ids.MAP, "figure"),
        Input(ids.VIEW, "data"),
        Input(ids.THEME, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.MAP_SIZE, "data"),
    )
    def update(view, theme, period, size):  # type: ignore[no-untyped-def]
        with engine.connect() as conn, nullcontext() if kept_sums else from_facts():
            shown = unit_with_parent(conn, tree=TREE, code=view["unit"])
            level = inputs.CHILD_LEVEL[TREE][shown["level"]]
            frame, value, hover = naive_frame(conn, theme, level, view["unit"], period)
            geojson, box = full_geojson(conn, level, view["unit"])
        width, height = size or MAP_SIZE
        center, zoom = fit_view(box or VIETNAM_BOUNDS, width, height)
        return px.choropleth_map(
            frame,
            geojson=geojson,
            locations="code",
            featureidkey="id",
            color=value,
            hover_name="name",
            hover_data=hover,
            map_style=BLANK_STYLE,
            center=center,
            zoom=zoom,
            opacity=0.95,
        )

    return app
