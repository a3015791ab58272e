"""The quarterly review's presentation view: its slides from the review figures
(cached per facts version), and moving to another quarter."""

from __future__ import annotations

from collections.abc import Sequence

from dash import Input, Output, State
from sqlalchemy import Connection

from callbacks.registry import Declared, declare_clientside
from dashboard.aggregates import cached
from dashboard.routes import geojson_index
from data import review
from data.periods import Period, today_vn
from data.scope import Scope
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import ids, present_page, review_slides
from layouts.present_page import PresentState

CALLBACKS: list[Declared] = []
SLIDE_MAP = (900, 420)  # pixels a map slide's map is fitted to (legend below)


def figures_review(
    conn: Connection, scope: Scope, quarter: Period, province: str, lang: str
) -> review.Review:
    """The review as ``scope`` may see it (cached; a new fact makes a new key)."""
    del conn  # the cache reads the request's connection
    return cached(
        review.review,
        province=province,
        quarter=quarter,
        today=today_vn(),
        scope=scope,
        lang=lang,
    )


def map_view(r: review.Review, size: tuple[int, int]) -> tuple[str, tuple]:
    """The boundary URL of the review's units and the view that fits them."""
    index = geojson_index(r.tree, r.level, r.province["code"])
    view = fit_view(index["bbox"] or VIETNAM_BOUNDS, *size)
    url = f"/geo/{r.tree}/{r.level}/{r.province['code']}.json?v={index['version']}"
    return url, view


def state(
    conn: Connection,
    scope: Scope,
    quarter: Period,
    province: str,
    lang: str,
    quarters: Sequence[tuple[str, str]],
) -> PresentState:
    r = figures_review(conn, scope, quarter, province, lang)
    url, view = map_view(r, SLIDE_MAP)
    slides = review_slides.slides(
        r, lang, lambda theme: review_slides.map_figure(r, theme, url, view, lang)
    )
    return present_page.PresentState(
        lang=lang,
        quarter=quarter.key,
        quarters=quarters,
        province=province,
        slides=slides,
    )


# another quarter: the same page for it (the address says which)
declare_clientside(
    CALLBACKS,
    """function (quarter, params) {
        if (!quarter || !params) { return window.dash_clientside.no_update; }
        const wanted = '/present?quarter=' + encodeURIComponent(quarter)
            + '&province=' + encodeURIComponent(params.province)
            + '&lang=' + encodeURIComponent(params.lang);
        const here = new URLSearchParams(window.location.search).get('quarter');
        if (here !== quarter && !(here === null && quarter === params.first)) {
            window.location.assign(wanted);
        }
        return window.dash_clientside.no_update;
    }""",
    Output(ids.PRESENT_COUNTER, "title"),
    Input(ids.PRESENT_QUARTER, "value"),
    State(ids.PRESENT_PARAMS, "data"),
)
