"""The frame around every page: a top bar and the page container."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from layouts.i18n import t


def layout(lang: str = "vi") -> html.Div:
    bar = dbc.Navbar(
        dbc.Container(dbc.NavbarBrand(t("app_title", lang), href="/"), fluid=True),
        color="primary",
        dark=True,
        className="mb-2",
    )
    return html.Div([bar, dash.page_container])
