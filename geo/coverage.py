"""Coverage operations shared by the generator, the importer and the checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pandas.core.groupby import SeriesGroupBy

from geo.hierarchy import BOTTOM_UP

# Area (deg²) of gaps or overlaps tolerated in a coverage: about 12 m² at the
# equator, i.e. floating-point noise, never a visible sliver.
AREA_TOLERANCE = 1e-9
# Holes smaller than this (deg², about 0.12 km²) in a union of raw polygons are the
# slivers between neighbours that were simplified one at a time, not real enclaves:
# no commune is that small.  They would otherwise make up most of the vertices of a
# province dissolved from a raw national file.
SLIVER_HOLE = 1e-5


Geometries = npt.NDArray[np.object_]


class BoundaryRow(TypedDict):
    """One stored boundary, as ``data.boundaries.replace_boundaries`` writes it."""

    unit_id: int
    geom_wkb: bytes
    approximate: bool
    source: str


def geometry_array(values: object) -> Geometries:
    """``values`` as a 1-D array of geometries (no copy when it already is one)."""
    return np.asarray(values, dtype=object)


def point_array(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> Geometries:
    """One point per pair of coordinates (the stubs also allow a single Point)."""
    return geometry_array(shapely.points(x, y))


def coverage_clean(geoms: Geometries, **options: float) -> Geometries:
    """``shapely.coverage_clean`` (shapely 2.2; the installed stubs end at 2.1)."""
    return geometry_array(shapely.coverage_clean(geoms, **options))  # type: ignore[attr-defined]


def dissolve(geoms: npt.ArrayLike) -> shapely.Geometry:
    """Union of polygons: the fast exact coverage union when they form one."""
    array = geometry_array(geoms)
    if len(array) == 1:
        first: shapely.Geometry = array[0]
        return first
    if shapely.coverage_is_valid(array):
        return shapely.coverage_union_all(array)
    return without_small_holes(shapely.make_valid(shapely.union_all(array)))


def dissolve_groups(
    grouped: SeriesGroupBy[Any, Any],
    union: Callable[[Geometries], shapely.Geometry] = dissolve,
) -> pd.Series:
    """The union of each group of a grouped Series of polygons, by group key."""
    return grouped.agg(lambda g: union(geometry_array(g.to_numpy())))


def without_small_holes(
    geom: shapely.Geometry, max_area: float = SLIVER_HOLE
) -> shapely.Geometry:
    """``geom`` with interior rings smaller than ``max_area`` filled."""
    parts = shapely.get_parts(geom)
    kept: list[shapely.Geometry] = []
    for part in parts:
        if shapely.get_type_id(part) != 3:  # not a polygon (e.g. a stray line)
            kept.append(part)
            continue
        holes = [
            ring
            for ring in shapely.get_interior_ring(
                part, range(shapely.get_num_interior_rings(part))
            )
            if shapely.area(shapely.polygons(ring)) >= max_area
        ]
        kept.append(
            shapely.polygons(shapely.get_exterior_ring(part), holes=holes or None)
        )
    if len(kept) == 1:
        return kept[0]
    polygons = [k for k in kept if isinstance(k, shapely.Polygon)]
    if len(polygons) == len(kept):  # disjoint parts of one shape
        return shapely.multipolygons(polygons)
    return shapely.union_all(kept)


def gaps_and_overlaps(geoms: np.ndarray, area: shapely.Geometry) -> tuple[float, float]:
    """Area of ``area`` no polygon covers, and area covered more than once (deg²)."""
    union = shapely.union_all(np.asarray(geoms, dtype=object))
    overlap = float(shapely.area(geoms).sum() - shapely.area(union))
    gap = float(shapely.area(shapely.difference(area, union)))
    return gap, overlap


def dissolve_up(units: pd.DataFrame, geoms: pd.Series) -> pd.Series:
    """Geometry per unit id: the given ones plus every ancestor as its children's union.

    ``geoms`` maps unit id to geometry (usually the communes).  Units that already
    have a geometry keep it; a parent gets the union of its children that have one.
    """
    geoms = geoms.copy()
    for level in BOTTOM_UP[1:]:
        targets = set(units.loc[units["level"] == level, "id"]) - set(geoms.index)
        has_geom = units["id"].isin(geoms.index)
        children = units[units["parent_id"].isin(targets) & has_geom]
        if children.empty:
            continue
        grouped = pd.Series(
            geoms.loc[children["id"]].to_numpy(), index=children["parent_id"]
        )
        merged = dissolve_groups(grouped.groupby(level=0))
        merged.index = merged.index.astype(int)
        geoms = pd.concat([geoms, merged])
    return geoms


def to_frame(units: pd.DataFrame, geoms: pd.Series) -> gpd.GeoDataFrame:
    """Units that have a geometry, as a GeoDataFrame (EPSG:4326) in ``units`` order."""
    rows = units[units["id"].isin(geoms.index)]
    frame = pd.DataFrame(
        {
            "unit_id": rows["id"].astype(int).to_numpy(),
            "code": rows["code"].to_numpy(),
            "level": rows["level"].to_numpy(),
            "name": rows["name"].to_numpy(),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=geoms.loc[rows["id"]].to_numpy(), crs=4326)
