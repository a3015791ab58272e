"""Plain Flask routes beside Dash: boundary files for the map, and a health check."""

from __future__ import annotations

import re

from flask import Flask, abort, jsonify, make_response
from flask.typing import ResponseReturnValue

from dashboard.database import get_conn
from dashboard.extensions import cache
from data.boundaries import boundary_version
from data.reform import FORMER_DISTRICT
from data.vocabulary import LEVELS, TREES
from geo.geojson import bounds, feature_bounds, label_points, level_geojson

_CODE = re.compile(r"^[A-Za-z0-9-]{1,16}$")  # units, and groups "MIXED-52"


def init_app(server: Flask) -> None:
    server.add_url_rule("/geo/<tree>/<level>/<parent>.json", view_func=geojson)
    server.add_url_rule("/healthz", view_func=healthz)


def cached_geojson(tree: str, level: str, parent: str) -> dict:
    """Simplified boundaries of ``level`` under ``parent``, built once per version."""
    conn = get_conn()
    key = f"geo:{tree}:{level}:{parent}:{boundary_version(conn)}"
    collection = cache.get(key)
    if collection is None:
        collection = level_geojson(conn, tree=tree, level=level, parent_code=parent)
        cache.set(key, collection)
    return collection  # type: ignore[no-any-return]


def geojson_index(tree: str, level: str, parent: str) -> dict:
    """Codes, names and bbox of the same collection, cached on their own so that a
    callback never unpickles the geometry just to read them."""
    conn = get_conn()
    key = f"geoidx2:{tree}:{level}:{parent}:{boundary_version(conn)}"
    index = cache.get(key)
    if index is None:
        collection = cached_geojson(tree, level, parent)
        features = collection["features"]
        index = {
            "codes": [f["id"] for f in features],
            "names": [f["properties"]["name"] for f in features],
            "edge_approximate": [
                f["id"] for f in features if f["properties"].get("edge_approximate")
            ],
            "bbox": bounds(collection),
            "bboxes": dict(
                zip(
                    (f["id"] for f in features),
                    feature_bounds(collection),
                    strict=True,
                )
            ),
            "points": label_points(collection),
            "version": boundary_version(conn),
        }
        cache.set(key, index)
    return index  # type: ignore[no-any-return]


def geojson(tree: str, level: str, parent: str) -> ResponseReturnValue:
    known = level in LEVELS or level == FORMER_DISTRICT
    if tree not in TREES or not known or not _CODE.match(parent):
        abort(404)
    response = make_response(jsonify(cached_geojson(tree, level, parent)))
    # Map figures ask for ``?v=<boundary version>``, so an import changes the URL
    # and a browser may keep each version for a day.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def healthz() -> ResponseReturnValue:
    get_conn().exec_driver_sql("SELECT 1")
    return {"status": "ok"}
