"""The requests a meeting's users send, built as the browser builds them.

Each interaction is a list of ``/_dash-update-component`` bodies (and, for a
drill, the GET of the new level's GeoJSON), taken from the app's own callback
map (``benchmarks/map_bench/payloads.py`` builds the map's), so the load replays
what the page really sends.  Written to a JSON file the Locust users read.
"""

from __future__ import annotations

from typing import Any

from dash import Dash

from benchmarks.map_bench.payloads import (
    Step,
    _key,
    _payload,
    map_payload,
    side_payloads,
)
from layouts import ids

PROVINCE, DISTRICT, COMMUNE = "64", "633", "23941"  # Gia Lai, Chư Sê, its town
RANK_COMPONENTS = ("child_friendly", "fund", "burden", "timeliness")


def _steps() -> dict[str, Step]:
    theme, period, view = (
        f"{ids.THEME}.value",
        f"{ids.PERIOD}.value",
        f"{ids.VIEW}.data",
    )
    cf, inc = "child_friendly", "incidents"
    return {
        "open": Step(
            "open", "open", PROVINCE, cf, "2024", f"{ids.MAP_SIZE}.data", True
        ),
        "theme": Step("theme", "theme", PROVINCE, inc, "2024", theme, False),
        "period": Step("period", "period", PROVINCE, inc, "2023", period, False),
        "drill": Step("district", "drill", DISTRICT, inc, "2023", view, True, PROVINCE),
    }


def _detail(app: Dash) -> dict[str, Any]:
    return _payload(
        _key(app, f"{ids.DETAIL}.children"),
        [(ids.SELECTED, "data", {"code": COMMUNE}), (ids.PERIOD, "value", "2024")],
        [(ids.VIEW, "data", {"unit": DISTRICT}), (ids.LANG, "data", "vi")],
        [f"{ids.SELECTED}.data"],
    )


def _ranking(app: Dash) -> dict[str, Any]:
    weights = [
        {
            "id": {"type": ids.RANK_WEIGHT, "component": c},
            "property": "value",
            "value": 1,
        }
        for c in RANK_COMPONENTS
    ]
    return _payload(
        _key(app, f"{ids.RANK_TABLE}.children"),
        [(ids.RANK_PERIOD, "value", "2024"), weights, (ids.RANK_SAVED, "data", 0)],
        [(ids.RANK_UNIT, "data", PROVINCE), (ids.RANK_LANG, "data", "vi")],
        [f"{ids.RANK_PERIOD}.value"],
    )


PAGES = ".._pages_content.children..._pages_store.data.."  # Dash pages' router
# what the map page loads lazily, named by no tag of the page: the graph's and
# the dropdown's chunks, and plotly.js
LAZY = [
    "/_dash-component-suites/dash/dcc/async-graph.js",
    "/_dash-component-suites/dash/dcc/async-dropdown.js",
    "/_dash-component-suites/plotly/package_data/plotly.min.js",
]


def _page(path: str, search: str = "") -> dict[str, Any]:
    """The router callback Dash's renderer posts to draw the page at ``path``."""
    return _payload(
        PAGES,
        [("_pages_location", "pathname", path), ("_pages_location", "search", search)],
        [],
        ["_pages_location.pathname"],
    )


def interactions(app: Dash) -> dict[str, dict[str, Any]]:
    """Per interaction: the paths it GETs and the callbacks it POSTs, in order.
    ``first visit`` also GETs every script and style sheet the page names, and
    those it loads lazily (``assets``)."""
    steps = _steps()
    out: dict[str, dict[str, Any]] = {}
    for name, step in steps.items():
        posts = [map_payload(app, step)]
        posts += [body for _name, body in side_payloads(app, step)]
        geo = [f"/geo/legacy/commune/{DISTRICT}.json"] if name == "drill" else []
        out[name] = {"get": geo, "post": posts}
    opened = out.pop("open")
    out["first visit"] = {
        "get": ["/", "/_dash-layout", "/_dash-dependencies"],
        "post": [_page("/"), *opened["post"]],
        "then_get": [f"/geo/legacy/district/{PROVINCE}.json"],
        "assets": LAZY,
    }
    out["detail"] = {"get": [], "post": [_detail(app)]}
    out["ranking"] = {
        "get": [],
        "post": [_page("/ranking", f"?unit={PROVINCE}"), _ranking(app)],
    }
    return out
