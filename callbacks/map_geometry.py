"""The map's boundary collections, simplified and cached per boundary version,
and their index (codes, names, boxes, label points) cached on its own so that a
callback never unpickles the geometry just to read them."""

from __future__ import annotations

from callbacks.context import boundary_version, cache, conn
from geo.geojson import bounds, feature_bounds, label_points, level_geojson


def cached_geojson(tree: str, level: str, parent: str) -> dict:
    """Simplified boundaries of ``level`` under ``parent``, built once per version."""
    key = f"geo:{tree}:{level}:{parent}:{boundary_version()}"
    collection = cache.get(key)
    if collection is None:
        collection = level_geojson(conn(), tree=tree, level=level, parent_code=parent)
        cache.set(key, collection)
    return collection


def geojson_index(tree: str, level: str, parent: str) -> dict:
    """Codes, names and bbox of the same collection, cached on their own so that a
    callback never unpickles the geometry just to read them."""
    key = f"geoidx2:{tree}:{level}:{parent}:{boundary_version()}"
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
            "version": boundary_version(),
        }
        cache.set(key, index)
    return index
