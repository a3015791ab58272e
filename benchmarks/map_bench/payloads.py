"""The six interactions measured and the request payloads the browser sends.

An interaction (``Step``) is the page state after it (the unit whose children are
on the map, the theme, the period), the input whose change fires ``update_map``,
whether the browser then GETs the level's GeoJSON, and where a drill or a
breadcrumb click came from.  From a step come the ``/_dash-update-component``
bodies: the app's ``update_map``, the naive app's one callback, and the app's
small side callbacks the same interaction fires (``navigate``, ``show_detail``,
``incident_controls``), each built as Dash's renderer builds it (``outputs``,
``inputs``, ``state``, ``changedPropIds``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dash import Dash

from layouts import ids

from .config import LANG, MAP_SIZE, PROVINCE


@dataclass(frozen=True)
class Step:
    """One interaction: the page state after it and what the browser sends."""

    key: str
    label: str
    unit: str  # ids.VIEW: the unit whose children are on the map
    theme: str
    period: str
    trigger: str  # the prop id in changedPropIds of update_map
    fetch: bool  # the browser GETs the level's GeoJSON afterwards
    came_from: str | None = None  # the unit shown before a drill or a crumb click
    crumb: bool = False  # went up by the breadcrumb, not by a map click


def interactions(district: str) -> list[Step]:
    view, theme, period = (
        f"{ids.VIEW}.data",
        f"{ids.THEME}.value",
        f"{ids.PERIOD}.value",
    )
    cf, inc = "child_friendly", "incidents"
    return [
        Step("open", "open country", "VN", cf, "2024", f"{ids.MAP_SIZE}.data", True),
        Step("theme", "change theme", "VN", inc, "2024", theme, False),
        Step("period", "change period", "VN", inc, "2023", period, False),
        Step("province", "drill province", PROVINCE, inc, "2023", view, True, "VN"),
        Step("district", "drill district", district, inc, "2023", view, True, PROVINCE),
        Step("up", "back up", "VN", inc, "2023", view, False, district, crumb=True),
    ]


def theme_steps(themes: tuple[str, ...]) -> list[Step]:
    """For each theme, at country level: the change to that theme (period 2024)
    and then of the period (2023), as the facts-scale comparison replays them."""
    theme, period = f"{ids.THEME}.value", f"{ids.PERIOD}.value"
    return [
        step
        for t in themes
        for step in (
            Step("theme", "change theme", "VN", t, "2024", theme, False),
            Step("period", "change period", "VN", t, "2023", period, False),
        )
    ]


def _outputs(key: str) -> list[dict[str, str]] | dict[str, str]:
    """The ``outputs`` of a callback from its output string, as the browser sends
    them: a list for a multi-output callback, one object for a single output."""
    parts = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
        for p in key.strip(".").split("...")
    ]
    return parts if key.startswith("..") else parts[0]


def _key(app: Dash, output: str) -> str:
    """The callback_map key of the callback that has ``output`` ("id.prop")."""
    return next(k for k in app.callback_map if output in k.strip(".").split("..."))


def _payload(
    key: str,
    inputs: list[tuple[Any, str, Any] | list[dict]],
    state: list[tuple[Any, str, Any] | list[dict]],
    changed: list[str],
) -> dict[str, Any]:
    def item(entry: tuple | list) -> Any:
        if isinstance(entry, list):  # a pattern-matching ALL input: sent as is
            return entry
        component, prop, value = entry
        return {"id": component, "property": prop, "value": value}

    return {
        "output": key,
        "outputs": _outputs(key),
        "inputs": [item(i) for i in inputs],
        "state": [item(s) for s in state],
        "changedPropIds": changed,
    }


def map_payload(app: Dash, step: Step) -> dict[str, Any]:
    """What the browser posts for ``update_map`` after ``step``."""
    return _payload(
        _key(app, f"{ids.MAP}.figure"),
        [
            (ids.VIEW, "data", {"unit": step.unit}),
            (ids.SELECTED, "data", {"code": None}),
            (ids.THEME, "value", step.theme),
            (ids.PERIOD, "value", step.period),
            (ids.CATEGORY, "value", "both"),
            (ids.TYPES, "value", []),
            (ids.MEASURE, "value", "rate"),
            (ids.CLASSES, "value", "quantile"),
            (ids.MAP_SIZE, "data", MAP_SIZE),
        ],
        [(ids.LANG, "data", LANG)],
        [step.trigger],
    )


def naive_payload(app: Dash, step: Step) -> dict[str, Any]:
    return _payload(
        _key(app, f"{ids.MAP}.figure"),
        [
            (ids.VIEW, "data", {"unit": step.unit}),
            (ids.THEME, "value", step.theme),
            (ids.PERIOD, "value", step.period),
            (ids.MAP_SIZE, "data", MAP_SIZE),
        ],
        [],
        [step.trigger],
    )


def _crumb_id(unit: str) -> str:
    return json.dumps({"type": ids.CRUMB, "unit": unit}, separators=(",", ":"))


def _detail_payload(app: Dash, step: Step) -> dict[str, Any]:
    """``show_detail``: fired by the period, else by the selection a view resets."""
    return _payload(
        _key(app, f"{ids.DETAIL}.children"),
        [
            (ids.SELECTED, "data", {"code": None}),
            (ids.PERIOD, "value", step.period),
        ],
        [(ids.VIEW, "data", {"unit": step.unit}), (ids.LANG, "data", LANG)],
        [f"{ids.PERIOD}.value" if step.key == "period" else f"{ids.SELECTED}.data"],
    )


def _controls_payload(app: Dash, step: Step) -> dict[str, Any]:
    """``incident_controls``: fired by the theme."""
    return _payload(
        _key(app, f"{ids.INCIDENT_CONTROLS}.style"),
        [(ids.THEME, "value", step.theme), (ids.CATEGORY, "value", "both")],
        [(ids.TYPES, "value", []), (ids.LANG, "data", LANG)],
        [f"{ids.THEME}.value"],
    )


def _navigate_payload(app: Dash, step: Step) -> dict[str, Any]:
    """``navigate``: a click on the map (a drill) or on the breadcrumb (up)."""
    # The breadcrumb of the view left: country, province, district.
    chain = ["VN", PROVINCE, step.came_from]
    crumbs = chain[: chain.index(step.came_from) + 1]
    clicks = [
        {
            "id": {"type": ids.CRUMB, "unit": c},
            "property": "n_clicks",
            "value": 1 if step.crumb and c == step.unit else None,
        }
        for c in crumbs
    ]
    click = None if step.crumb else {"points": [{"location": step.unit}]}
    changed = _crumb_id(step.unit) + ".n_clicks" if step.crumb else "map.clickData"
    return _payload(
        _key(app, f"{ids.VIEW}.data"),
        [
            (ids.MAP, "clickData", click),
            clicks,
            (ids.DETAIL_CLOSE, "n_clicks", None),
            (ids.PERIOD, "value", step.period),
            (ids.GROUPS, "value", False),
        ],
        [
            (ids.VIEW, "data", {"unit": step.came_from}),
            (ids.SELECTED, "data", {"code": None}),
        ],
        [changed],
    )


def side_payloads(app: Dash, step: Step) -> list[tuple[str, dict[str, Any]]]:
    """The app's other server callbacks the interaction fires (name, payload)."""
    detail = ("show_detail", _detail_payload(app, step))
    controls = ("incident_controls", _controls_payload(app, step))
    if step.key == "open":
        return [detail, controls]
    if step.key == "theme":
        return [controls]
    if step.key == "period":
        return [detail]
    return [("navigate", _navigate_payload(app, step)), detail]
