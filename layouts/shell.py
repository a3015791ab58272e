"""The frame around every page: the page container (each page has its own top bar,
in its own language)."""

from __future__ import annotations

import dash
from dash import html

from layouts.busy import busy


def layout() -> html.Div:
    # a page that takes a while to build (the review's slides) shows it is coming
    return html.Div([busy(dash.page_container, {"_pages_content": "children"}, None)])
