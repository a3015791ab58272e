"""Callbacks of the province map page."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, get_relative_path

from callbacks.registry import Declared, declare
from dashboard.database import get_conn
from dashboard.routes import cached_geojson
from data import metrics
from data.boundaries import boundary_version
from geo.geojson import bounds
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import figures, ids
from layouts import map_page as page
from layouts.i18n import t

_declared: list[Declared] = []
TREE = "legacy"


def year_end(year: int) -> dt.date:
    """The reference date of a year: its last day, or today for the current year."""
    return min(dt.date(year, 12, 31), dt.date.today())


@declare(
    _declared,
    Output(ids.MAP, "figure"),
    Output(ids.KPI, "children"),
    Output(ids.DISTRICT_TABLE, "children"),
    Input(ids.YEAR, "value"),
    State(ids.UNIT, "data"),
    State(ids.LANG, "data"),
)
def show_child_friendly(year: str, unit: str, lang: str):  # type: ignore[no-untyped-def]
    """Colour the province's districts by the share of communes recognised."""
    conn = get_conn()
    frame = metrics.child_friendly_share(
        conn, tree=TREE, level="district", parent_code=unit, as_of=year_end(int(year))
    )
    collection = cached_geojson(TREE, "district", unit)
    center, zoom = fit_view(bounds(collection) or VIETNAM_BOUNDS)
    url = get_relative_path(f"/geo/{TREE}/district/{unit}.json")
    figure = figures.choropleth(
        geojson=f"{url}?v={boundary_version(conn)}",
        codes=frame["code"],
        values=frame["share"].round(1),
        hover=page.hover_texts(frame, lang),
        colorbar_title=t("legend_share_recognised", lang, year=year),
        center=center,
        zoom=zoom,
        all_codes=[f["id"] for f in collection["features"]],
        no_data_label=t("no_data", lang),
    )
    communes, recognised = int(frame["communes"].sum()), int(frame["recognised"].sum())
    share = 100.0 * recognised / communes if communes else None
    kpi = page.kpi(
        lang,
        title=t("share_recognised", lang),
        share=share,
        recognised=recognised,
        communes=communes,
    )
    return figure, kpi, page.share_table(frame, lang)


CALLBACKS = tuple(_declared)
