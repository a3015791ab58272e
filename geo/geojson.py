"""GeoJSON of one level for the map, simplified as a coverage.

Pure function of the stored boundaries: the app caches the result (flask-caching,
keyed on ``data.boundaries.boundary_version``); nothing is cached here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import Connection

from data.boundaries import load_boundaries, load_group_boundaries
from data.reform import FORMER_DISTRICT, NEW_TREE
from geo.derive import edge_approximate

# Degrees; about 300 m for districts and 100 m for communes at this latitude, which
# is below a pixel at the zoom each level is shown at.  Measured sizes for Gia Lai
# are in benchmarks/boundary_iou.py.
LEVEL_TOLERANCE: Mapping[str, float] = MappingProxyType(
    {
        "country": 0.01,
        "province": 0.005,
        "district": 0.003,
        FORMER_DISTRICT: 0.003,
        "commune": 0.001,
    }
)
DECIMALS = 5  # about 1 m

# A GeoJSON object as json.dumps writes it (FeatureCollection, Feature, geometry).
GeoJson = dict[str, Any]


def level_geojson(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str | None = None,
    tolerance: float | None = None,
) -> GeoJson:
    """FeatureCollection of the units of ``level`` (children of ``parent_code``).

    On the July-2025 tree, ``FORMER_DISTRICT`` under a new province gives its
    former-district groups (their communes dissolved), and ``"commune"`` under a
    group code the communes of that group.
    """
    if tolerance is None:
        tolerance = LEVEL_TOLERANCE[level]
    if tree == NEW_TREE and level == FORMER_DISTRICT:
        communes = load_group_boundaries(conn, province_code=parent_code)
        return feature_collection(dissolved_groups(communes), tolerance)
    frame = load_boundaries(conn, tree=tree, level=level, parent_code=parent_code)
    if frame.empty and tree == NEW_TREE and level == "commune" and parent_code:
        frame = load_group_boundaries(conn, group_code=parent_code)
    return feature_collection(frame, tolerance)


def dissolved_groups(communes: pd.DataFrame) -> pd.DataFrame:
    """One row per former-district group: the union of its communes' polygons,
    as ``load_boundaries`` rows (code, name, geom_wkb, approximate)."""
    if communes.empty:
        return pd.DataFrame(columns=["code", "name", "geom_wkb", "approximate"])
    geoms = shapely.from_wkb(communes["geom_wkb"].to_numpy())
    approximate = communes["approximate"].astype(bool).to_numpy()
    edges = _edge_flags(communes)
    rows = []
    for key, idx in communes.groupby(
        ["group_code", "group_name"], sort=True
    ).indices.items():
        code, name = cast(tuple[str, str], key)
        # the communes form a coverage: its union has no slivers along shared edges
        union = shapely.coverage_union_all(geoms[idx])
        rows.append(
            {
                "code": code,
                "name": name,
                "geom_wkb": shapely.to_wkb(union),
                "approximate": bool(approximate[idx].any()),
                "edge_approximate": bool(edges[idx].any()),
            }
        )
    return pd.DataFrame(rows)


def _edge_flags(frame: pd.DataFrame) -> np.ndarray:
    """Per row: an edge estimated when deriving it (geo/derive.py), from its
    ``edge_approximate`` column or its stored ``source``."""
    if "edge_approximate" in frame:
        return frame["edge_approximate"].astype(bool).to_numpy()
    if "source" in frame:
        return frame["source"].map(edge_approximate).astype(bool).to_numpy()
    return np.zeros(len(frame), dtype=bool)


def simplified(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Coverage-simplified, rounded, RFC 7946-oriented copies of ``geoms``."""
    if tolerance > 0 and len(geoms):
        # Simplifying the coverage as a whole keeps shared edges shared: no gaps.
        geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    return shapely.orient_polygons(geoms, exterior_cw=False)


def feature_collection(frame: pd.DataFrame, tolerance: float) -> GeoJson:
    """FeatureCollection of a ``load_boundaries`` frame, ``id`` = unit code."""
    geoms = simplified(shapely.from_wkb(frame["geom_wkb"].to_numpy()), tolerance)
    edges = _edge_flags(frame)
    features = [
        {
            "type": "Feature",
            "id": code,
            # edge_approximate only where true: most units carry nothing extra
            "properties": {"code": code, "name": name}
            | ({"edge_approximate": True} if edge else {}),
            "geometry": mapping(geom),
        }
        for code, name, geom, edge in zip(
            frame["code"], frame["name"], geoms, edges, strict=True
        )
    ]
    collection: GeoJson = {
        "type": "FeatureCollection",
        "approximate": bool(frame["approximate"].astype(bool).any()),
        "features": features,
    }
    if len(geoms):  # RFC 7946 "bbox": lets the map fit its view without parsing
        collection["bbox"] = [
            round(float(b), DECIMALS) for b in shapely.total_bounds(geoms)
        ]
    return collection


def bounds(collection: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a FeatureCollection; ``None`` when it is empty."""
    if "bbox" in collection:
        west, south, east, north = collection["bbox"]
        return float(west), float(south), float(east), float(north)
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    if not geoms:
        return None
    west, south, east, north = shapely.total_bounds(geoms)
    return float(west), float(south), float(east), float(north)


def label_points(collection: Mapping[str, Any]) -> list[tuple[float, float]]:
    """(lon, lat) of a point inside each feature, in order: where its name goes."""
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    return [
        (round(p.x, 5), round(p.y, 5))
        for p in shapely.point_on_surface(geoms)  # inside, even for a concave unit
    ]


def feature_bounds(
    collection: Mapping[str, Any],
) -> list[tuple[float, float, float, float]]:
    """(west, south, east, north) of each feature, in order."""
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    return [
        (float(west), float(south), float(east), float(north))
        for west, south, east, north in shapely.bounds(geoms)
    ]
