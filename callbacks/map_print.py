"""'Tải bản đồ': the map view the user sees, as a print-ready PDF, PNG or SVG.

``/map/print.<fmt>?<the map page's URL parameters>&paper=A4&orient=landscape``
reads the view exactly as the map callback does (``map_views.query``: the same
validation, the signed-in user's scope, the theme's own listing and classes),
so the printed map shows what the screen shows, with the same disclosure rule.
Every file is audited as an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dash.exceptions import PreventUpdate
from flask import Flask, Response, abort, request
from flask.typing import ResponseReturnValue

from callbacks import context, map_views
from callbacks.context import cached
from callbacks.inputs import unit
from callbacks.map_geometry import cached_geojson
from callbacks.themes import VIEWS
from data import metrics
from data.periods import VN_TZ
from layouts import map_print
from layouts.formatting import display_names, place_label
from layouts.i18n import language, t

MIME = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}


def init_app(server: Flask) -> None:
    server.add_url_rule("/map/print.<fmt>", "map_print", view_func=download)


def download(fmt: str) -> ResponseReturnValue:
    """The printed map of the view in the query string (404: a view the map
    would not draw either)."""
    if fmt not in map_print.FORMATS:
        abort(404)
    args = request.args
    paper = args.get("paper", "A4")
    orient = args.get("orient", "landscape")
    if paper not in map_print.PAPERS or orient not in map_print.ORIENTATIONS:
        abort(404)
    if context.scope() is None:
        abort(403)
    try:
        printed = print_map(args)
    except PreventUpdate:
        abort(404)
    data = map_print.render(printed.map, fmt, paper, orient)
    context.audit(
        "export",
        {
            "table": "map",
            "format": fmt,
            "theme": printed.theme,
            "area": printed.unit,
            "period": printed.period,
            "paper": f"{paper}-{orient}",
        },
    )
    name = f"ban-do-{printed.theme}-{printed.unit}-{printed.period}.{fmt}"
    return Response(
        data,
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class Printed:
    def __init__(self, m: map_print.PrintMap, theme: str, unit: str, period: str):
        self.map, self.theme, self.unit, self.period = m, theme, unit, period


def print_map(args: Mapping[str, str], now: dt.datetime | None = None) -> Printed:
    """What the printed page shows for the map page's URL parameters ``args``
    (PreventUpdate: a view the map would not draw)."""
    view = {
        "unit": args.get("unit", ""),
        "tree": args.get("tree", "legacy"),
        "groups": args.get("groups") == "1",
    }
    lang = language(args.get("lang", "vi"))
    theme, period = args.get("theme", ""), args.get("period", "")
    types = [x for x in args.get("types", "").split(",") if x]
    q = map_views.query(
        view,
        theme,
        period,
        args.get("cat", "both"),
        types,
        args.get("measure", "rate"),
        args.get("classes", "quantile"),
        lang,
    )
    collection = cached_geojson(q.tree, q.level, q.unit)
    features = collection["features"]
    codes = [f["id"] for f in features]
    names = display_names(codes, [f["properties"]["name"] for f in features], lang)
    result = VIEWS[q.theme](q, codes)
    leg = result.legend
    no_data = t("no_data", lang)
    units, entries = map_print.coloured(features, names, result.classes, leg, no_data)
    shown = unit(q.unit, q.tree)
    place = place_label(shown, lang)
    inset, focus = _inset(q.tree, shown)
    m = map_print.PrintMap(
        title=t("print_title", lang, theme=t(f"theme_{q.theme}", lang), place=place),
        subtitle=leg.title,
        units=units,
        legend_title=leg.title,
        legend=entries,
        footer=_footer(view, period, theme, lang),
        north=t("print_north", lang),
        inset=inset,
        inset_focus=focus,
        labels=args.get("labels", "1") != "0",
        mark=_mark(lang, now),
        lang=lang,
        selected=args.get("sel") or None,
    )
    return Printed(m, q.theme, q.unit, q.period.key)


def _inset(tree: str, shown: dict) -> tuple[list[dict], dict | None]:
    """The outlines of the area's own level under its parent (its neighbours),
    the area's among them; nothing for the country."""
    parent = shown.get("parent_code")
    if not parent:
        return [], None
    around = cached_geojson(tree, shown["level"], parent)["features"]
    focus = next((f["geometry"] for f in around if f["id"] == shown["code"]), None)
    return [f["geometry"] for f in around if f["id"] != shown["code"]], focus


def _footer(view: dict, period: str, theme: str, lang: str) -> list[str]:
    info = cached(metrics.dataset_info, tree=view["tree"])
    written = metrics.data_as_of(context.conn())
    stamp = (
        written.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
        if written is not None
        else t("export_unknown", lang)
    )
    lines = [
        f"{t('review_source', lang)}. {t('review_data_as_of', lang, stamp=stamp)}."
    ]
    if map_views.shows_demo(view):
        lines.append(t("note_demo", lang))
    if info.approximate_boundaries:
        lines.append(t("note_approximate", lang))
    lines += map_views.view_notes(view, period, theme, lang)
    return lines


def _mark(lang: str, now: dt.datetime | None) -> str:
    """Who printed the map and when, for roles that see protected figures."""
    scope, who = context.scope(), context.user()
    if scope is None or who is None or not scope.exact:
        return ""
    moment = (now or dt.datetime.now(VN_TZ)).astimezone(VN_TZ)
    return t(
        "print_mark", lang, user=who.username, time=moment.strftime("%d/%m/%Y %H:%M")
    )
