"""The land a set of communes covers, guessed from their boxes and points.

No province outline is available, so the area the Voronoi cells are clipped to is
derived per province from its communes and the pieces are unioned.  Several methods
are kept so the benchmark can compare them (benchmarks/boundary_iou.py); distances
scale with the province's typical commune size (``spacing``), so one set of factors
serves a rural highland province and a dense city alike.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

import numpy as np
import pandas as pd
import shapely

from geo.coverage import Geometries, geometry_array, point_array

# Factors of ``spacing`` (square root of the area per commune); chosen on Gia Lai,
# see benchmarks/boundary_iou.py for the comparison.
CLOSE_FACTOR = 1.3
SHRINK = 0.7
HULL_RATIO = 0.3
HULL_BUFFER = 0.6
CLUSTER_FACTOR = 2.0
# A seed point the method leaves outside (a centroid outside its own box) gets a
# small disc, so that it is inside the extent and inside its own cell.
POINT_DISC = 0.05
_QUAD_SEGS = 4


def spacing(seeds: pd.DataFrame) -> float:
    """Typical distance between neighbouring communes, in degrees."""
    area = shapely.area(shapely.union_all(_boxes(seeds)))
    return float(np.sqrt(area / len(seeds)))


def _boxes(seeds: pd.DataFrame) -> Geometries:
    return geometry_array(
        shapely.box(seeds["west"], seeds["south"], seeds["east"], seeds["north"])
    )


def _points(seeds: pd.DataFrame) -> Geometries:
    return point_array(seeds["x"].to_numpy(), seeds["y"].to_numpy())


def _close(area: shapely.Geometry, radius: float) -> shapely.Geometry:
    """Morphological closing: fills bays and notches narrower than 2 x radius."""
    grown = shapely.buffer(area, radius, quad_segs=_QUAD_SEGS)
    return shapely.buffer(grown, -radius, quad_segs=_QUAD_SEGS)


def boxes_union(seeds: pd.DataFrame, step: float) -> shapely.Geometry:
    """Union of the communes' own bounding boxes."""
    return shapely.union_all(_boxes(seeds))


def closed_boxes(seeds: pd.DataFrame, step: float) -> shapely.Geometry:
    """Union of the boxes, closed so the staircase between them is filled."""
    return _close(boxes_union(seeds, step), CLOSE_FACTOR * step)


def shrunk_boxes(seeds: pd.DataFrame, step: float) -> shapely.Geometry:
    """Boxes shrunk towards their point (a box overshoots its commune), then closed."""
    x, y = seeds["x"], seeds["y"]
    boxes = shapely.box(
        x - (x - seeds["west"]).clip(lower=0) * SHRINK,
        y - (y - seeds["south"]).clip(lower=0) * SHRINK,
        x + (seeds["east"] - x).clip(lower=0) * SHRINK,
        y + (seeds["north"] - y).clip(lower=0) * SHRINK,
    )
    return _close(shapely.union_all(boxes), CLOSE_FACTOR * step)


def concave_hull(seeds: pd.DataFrame, step: float) -> shapely.Geometry:
    """Concave hull of the points of each cluster (islands apart), buffered outwards."""
    points = _points(seeds)
    discs = shapely.buffer(points, CLUSTER_FACTOR * step / 2, quad_segs=_QUAD_SEGS)
    clusters = shapely.get_parts(shapely.union_all(discs))
    hulls = [
        shapely.concave_hull(shapely.multipoints(points[members]), HULL_RATIO)
        for members in (shapely.contains(c, points) for c in clusters)
    ]
    return shapely.union_all(shapely.buffer(geometry_array(hulls), HULL_BUFFER * step))


Method = Callable[[pd.DataFrame, float], shapely.Geometry]
EXTENTS: MappingProxyType[str, Method] = MappingProxyType(
    {
        "boxes": boxes_union,
        "closed_boxes": closed_boxes,
        "shrunk_boxes": shrunk_boxes,
        "concave_hull": concave_hull,
    }
)
# Best mean IoU against the real Gia Lai file when Gia Lai is built alone (districts
# 0.751, communes 0.448; shrunk_boxes 0.743 / 0.445).  In a whole-country build
# shrunk_boxes matches the 63 province outlines a little better (0.880 vs 0.862).
DEFAULT_EXTENT = "concave_hull"


def fill_holes(area: shapely.Geometry) -> shapely.Geometry:
    """The same area without interior holes (nothing inside a country is outside it)."""
    parts = shapely.get_parts(area)
    return shapely.union_all(shapely.polygons(shapely.get_exterior_ring(parts)))


def extent(seeds: pd.DataFrame, method: str = DEFAULT_EXTENT) -> shapely.Geometry:
    """The area to clip the cells to: one piece per province, unioned, holes filled."""
    if method not in EXTENTS:
        raise ValueError(f"unknown extent method {method!r}; one of {sorted(EXTENTS)}")
    pieces = []
    for _, group in seeds.groupby("province_id", dropna=False, sort=True):
        step = spacing(group)
        piece = EXTENTS[method](group, step)
        pieces += [piece, *_discs_outside(piece, _points(group), POINT_DISC * step)]
    return fill_holes(shapely.union_all(pieces))


def _discs_outside(
    area: shapely.Geometry, points: np.ndarray, radius: float
) -> np.ndarray:
    """Small discs around the points ``area`` does not hold in its interior."""
    shapely.prepare(area)
    outside = ~shapely.contains_properly(area, points)
    return shapely.buffer(points[outside], radius, quad_segs=_QUAD_SEGS)
