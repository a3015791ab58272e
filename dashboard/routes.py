"""Plain Flask routes beside Dash: boundary files for the map, and a health check."""

from __future__ import annotations

import re

from flask import Flask, abort, jsonify, make_response
from flask.typing import ResponseReturnValue

from callbacks.context import conn
from callbacks.map_geometry import cached_geojson
from data.db import ping
from data.reform import FORMER_DISTRICT
from data.vocabulary import LEVELS, TREES

_CODE = re.compile(r"^[A-Za-z0-9-]{1,16}$")  # units, and groups "MIXED-52"


def init_app(server: Flask) -> None:
    server.add_url_rule("/geo/<tree>/<level>/<parent>.json", view_func=geojson)
    server.add_url_rule("/healthz", view_func=healthz)


def geojson(tree: str, level: str, parent: str) -> ResponseReturnValue:
    known = level in LEVELS or level == FORMER_DISTRICT
    if tree not in TREES or not known or not _CODE.match(parent):
        abort(404)
    response = make_response(jsonify(cached_geojson(tree, level, parent)))
    # Map figures ask for ``?v=<boundary version>``, so an import changes the URL
    # and a browser may keep each version for a day; only the browser (the route
    # needs a signed-in user: no shared cache keeps it for the next one).
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def healthz() -> ResponseReturnValue:
    ping(conn())
    return {"status": "ok"}
