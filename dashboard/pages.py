"""Page registration: each page's layout is a pure function in layouts/; the wrapper
here gathers what it needs from the database (within the request) and passes it in."""

from __future__ import annotations

from functools import partial
from typing import Any

import dash
from dash import Dash, html
from flask import current_app

from dashboard.database import get_conn
from data import metrics
from data.units import source_label
from layouts import map_page, shell
from layouts.i18n import LANGUAGES


def _lang(requested: str | None) -> str:
    return requested if requested in LANGUAGES else current_app.config["LANGUAGE"]


def map_view(
    unit: str | None = None,
    year: str | None = None,
    lang: str | None = None,
    **_query: Any,
) -> html.Div:
    """The map page for ``unit`` (default: the first province loaded)."""
    conn = get_conn()
    info = metrics.dataset_info(conn)
    language = _lang(lang)
    codes = dict(info.provinces)
    code = unit if unit in codes else next(iter(codes), None)
    if code is None:
        return map_page.layout(
            lang=language,
            unit_code="",
            unit_name="",
            years=(),
            year=None,
            is_demo=False,
            approximate=False,
            units_source="",
        )
    return map_page.layout(
        lang=language,
        unit_code=code,
        unit_name=codes[code],
        years=info.years,
        year=int(year) if year and year.isdigit() else None,
        is_demo=info.is_demo,
        approximate=info.approximate_boundaries,
        units_source=source_label(),
    )


def register(app: Dash) -> None:
    dash.register_page("map", path="/", name="Bản đồ", layout=map_view)
    app.layout = partial(shell.layout, lang=app.server.config["LANGUAGE"])
