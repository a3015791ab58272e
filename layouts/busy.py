"""A sign of work in progress: ``dcc.Loading`` that shows only after a short delay.

Quick answers (most recolours of the map) show nothing; a call that takes longer
than ``DELAY_MS`` dims the area and shows a small "loading" badge over it, while
what was there stays readable underneath.
"""

from __future__ import annotations

from dash import dcc, html

from layouts.i18n import t

DELAY_MS = 400
OVERLAY = {"visibility": "visible", "opacity": 0.55}


def badge(lang: str | None) -> html.Div:
    """The badge shown over a busy area (no text when the language is unknown)."""
    text = t("loading", lang) if lang else ""
    return html.Div(
        [html.Span(className="spinner-border spinner-border-sm text-primary"), text],
        className="busy-badge",
        role="status",
        **{"aria-label": text or "Đang tải / Loading"},
    )


def busy(
    children: object,
    targets: dict[str, str | list[str]],
    lang: str | None,
    component_id: str | None = None,
) -> dcc.Loading:
    """``children`` under a delayed loading sign, shown while a callback updates
    one of ``targets`` ({component id: property or properties})."""
    extra = {"id": component_id} if component_id else {}
    return dcc.Loading(
        children,
        target_components=targets,
        delay_show=DELAY_MS,
        overlay_style=OVERLAY,
        custom_spinner=badge(lang),
        show_initially=False,
        parent_className="busy",
        **extra,
    )
