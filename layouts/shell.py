"""The frame around every page: the page container (each page has its own top bar,
in its own language)."""

from __future__ import annotations

import dash
from dash import html


def layout() -> html.Div:
    return html.Div([dash.page_container])
