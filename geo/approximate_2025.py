"""Approximate boundaries of the July-2025 tree, from the new communes' centroids.

The package gives the new communes centroids and areas but no boxes, and the new
provinces no outline.  Both come from the legacy tree:

* a new commune's box is the box around its predecessors' boxes (the crosswalk);
  with it the seed checks and duplicate nudging of geo/seeds.py work unchanged;
* a new province whose legacy predecessors all have a stored boundary is cut out
  of their union, with one Voronoi diagram per province, so its outline is exactly
  theirs (the new Gia Lai = old Gia Lai + old Bình Định) and the two trees agree
  on the map.  Other provinces fall back to the legacy generator's method: one
  diagram over them all, clipped to the extent guessed from the boxes, minus the
  outlines already taken.

A centroid outside its province's area is either moved just inside (when it lies
in another province's area: two approximations disagree and the stored outline
wins) or, when it lies outside every area (an island offshore), given a small disc
of its own.  Both are reported.  The guarantees are those of geo/approximate.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection

from data.boundaries import load_boundaries
from data.listing import anomaly_lines
from data.reform import predecessor_boxes, predecessor_provinces
from geo.approximate import (
    ApproximateReport,
    assembled,
    reassign_detached,
    voronoi_cells,
)
from geo.coverage import Geometries, coverage_clean, dissolve_groups, point_array
from geo.extent import DEFAULT_EXTENT, POINT_DISC, extent, spacing
from geo.seeds import ANOMALY_KINDS, Anomaly, seed_frame

OUTLINE_EXTENT = "predecessor outlines"
REFORM_ANOMALY_KINDS = {
    **ANOMALY_KINDS,
    "moved_inside": "centroid in another province's area: moved just inside its own",
    "island_disc": "centroid outside every province's area: given a disc of its own",
}
_BBOX = ["bbox_west", "bbox_south", "bbox_east", "bbox_north"]
_BOX = ["west", "south", "east", "north"]
_ENVELOPE = ["min", "min", "max", "max"]
# How far inside its area a moved seed lands, as a share of the commune spacing:
# clear of the edge, close to where the centroid was.
_INSET = 0.02


@dataclass
class ReformApproximateReport(ApproximateReport):
    """An ``ApproximateReport`` that also lists the seeds moved or given a disc."""

    outlined: int = 0
    fallback: int = 0

    def format(self, limit: int | None = 8) -> str:
        """The legacy summary plus the reform-only kinds of anomaly."""
        lines = [super().format(limit)]
        lines.append(
            f"{self.outlined} provinces cut from their predecessors' outlines, "
            f"{self.fallback} from the {DEFAULT_EXTENT} fallback"
        )
        for kind in ("moved_inside", "island_disc"):
            label = REFORM_ANOMALY_KINDS[kind]
            lines += anomaly_lines(label, self.of_kind(kind), limit)
        return "\n".join(lines)


def with_boxes(units: pd.DataFrame, boxes: pd.DataFrame) -> pd.DataFrame:
    """Units with empty boxes filled: communes from ``boxes``, parents from children."""
    units = units.copy()
    by_unit = boxes.set_index("new_unit_id")
    for column, side in zip(_BBOX, _BOX, strict=True):
        units[column] = (
            units[column].astype(float).fillna(units["id"].map(by_unit[side]))
        )
    for level in ("province", "country"):
        parents = units["level"] == level
        children = units[units["parent_id"].isin(units.loc[parents, "id"])]
        grouped = children.groupby("parent_id")[_BBOX].agg(
            dict(zip(_BBOX, _ENVELOPE, strict=True))
        )
        for column in _BBOX:
            filled = units.loc[parents, "id"].map(grouped[column])
            units.loc[parents, column] = units.loc[parents, column].fillna(filled)
    return units


def predecessor_outlines(conn: Connection) -> pd.Series:
    """New province id -> union of its legacy predecessors' stored boundaries.

    Only provinces whose predecessors all have one are listed.
    """
    pairs = predecessor_provinces(conn)
    stored = load_boundaries(conn, tree="legacy", level="province")
    geoms = pd.Series(
        shapely.from_wkb(stored["geom_wkb"].to_numpy()), index=stored["unit_id"]
    )
    complete = pairs.groupby("new_province_id")["legacy_province_id"].agg(
        lambda ids: set(ids) <= set(geoms.index)
    )
    pairs = pairs[pairs["new_province_id"].map(complete)]
    pieces = pd.Series(
        geoms.loc[pairs["legacy_province_id"]].to_numpy(),
        index=pairs["new_province_id"].to_numpy(),
    )
    outlines = dissolve_groups(pieces.groupby(level=0), shapely.union_all)
    outlines.index = outlines.index.astype(int)
    return outlines


def build_reform_approximate(
    conn: Connection, units: pd.DataFrame, *, extent_method: str = DEFAULT_EXTENT
) -> tuple[gpd.GeoDataFrame, ReformApproximateReport]:
    """Approximate polygons for every unit of the new tree held in ``units``."""
    units = with_boxes(units, predecessor_boxes(conn))
    return reform_boundaries(
        units, predecessor_outlines(conn), extent_method=extent_method
    )


def reform_boundaries(
    units: pd.DataFrame,
    outlines: pd.Series,
    *,
    extent_method: str = DEFAULT_EXTENT,
) -> tuple[gpd.GeoDataFrame, ReformApproximateReport]:
    """Polygons for the units (boxes filled), cut from ``outlines`` where given."""
    started = time.perf_counter()
    seeds, anomalies = seed_frame(units)
    if seeds.empty:
        raise ValueError("no commune-level units to build boundaries from")
    outlined = seeds["province_id"].isin(outlines.index)
    label = _label(outlined, extent_method)
    report = ReformApproximateReport(label, anomalies=anomalies)
    taken = shapely.union_all(outlines.to_numpy()) if len(outlines) else None
    cells: list[pd.Series] = []
    if taken is not None:  # else no seed is outlined
        cells = [
            _province_cells(group, outlines[pid], taken, report)
            for pid, group in seeds[outlined].groupby("province_id")
        ]
    if (~outlined).any():
        area = extent(seeds[~outlined], extent_method)
        if taken is not None:
            area = shapely.difference(area, taken)
        cells.append(_cells(seeds[~outlined], area, taken, report))
    report.outlined = int(seeds.loc[outlined, "province_id"].nunique())
    report.fallback = int(seeds.loc[~outlined, "province_id"].nunique())
    return _finish(units, pd.concat(cells), report, started)


def _label(outlined: pd.Series, method: str) -> str:
    if outlined.all():
        return OUTLINE_EXTENT
    return f"{OUTLINE_EXTENT} + {method}" if outlined.any() else method


def _province_cells(
    group: pd.DataFrame,
    outline: shapely.Geometry,
    taken: shapely.Geometry,
    report: ReformApproximateReport,
) -> pd.Series:
    return _cells(group, outline, shapely.difference(taken, outline), report)


def _cells(
    seeds: pd.DataFrame,
    area: shapely.Geometry,
    others: shapely.Geometry | None,
    report: ReformApproximateReport,
) -> pd.Series:
    """Voronoi cells of ``seeds`` covering ``area`` (seeds outside it fitted in)."""
    points, area = _fit_seeds(seeds, area, others, report)
    cells = voronoi_cells(points, area)
    report.reassigned_pieces += reassign_detached(cells, points)
    return pd.Series(cells, index=seeds["id"].astype(int).to_numpy())


def _fit_seeds(
    seeds: pd.DataFrame,
    area: shapely.Geometry,
    others: shapely.Geometry | None,
    report: ReformApproximateReport,
) -> tuple[Geometries, shapely.Geometry]:
    """Move seeds lying in ``others`` inside ``area``; give the rest a small disc."""
    points = point_array(seeds["x"].to_numpy(), seeds["y"].to_numpy())
    shapely.prepare(area)
    outside = ~shapely.contains_properly(area, points)
    if not outside.any():
        return points, area
    step = spacing(seeds)
    elsewhere = outside & (
        shapely.intersects(others, points) if others is not None else False
    )
    inner: shapely.Geometry = shapely.buffer(area, -_INSET * step)
    inner = area if shapely.is_empty(inner) else inner
    moved = shapely.get_point(shapely.shortest_line(inner, points[elsewhere]), 0)
    report.anomalies += _moved_notes(seeds[elsewhere], points[elsewhere], moved)
    points[elsewhere] = _apart(moved, points[~elsewhere], step)
    lone = outside & ~elsewhere
    discs = shapely.buffer(points[lone], POINT_DISC * step, quad_segs=4)
    if others is not None:
        discs = shapely.difference(discs, others)
    report.anomalies += [
        Anomaly(
            "island_disc", str(r.code), str(r.name), f"centroid ({r.x:.5f}, {r.y:.5f})"
        )
        for r in seeds[lone].itertuples()
    ]
    return points, shapely.union_all([area, *discs])


def _apart(moved: np.ndarray, fixed: np.ndarray, step: float) -> np.ndarray:
    """Moved seeds that landed on one spot (a corner) or on a seed, nudged apart."""
    taken = {(round(p.x, 7), round(p.y, 7)) for p in fixed}
    out = []
    for p in moved:
        x, y = p.x, p.y
        while (round(x, 7), round(y, 7)) in taken:
            x += 1e-3 * _INSET * step
        taken.add((round(x, 7), round(y, 7)))
        out.append(shapely.Point(x, y))
    return np.array(out, dtype=object)


def _moved_notes(
    seeds: pd.DataFrame, old: np.ndarray, new: np.ndarray
) -> list[Anomaly]:
    # Degrees to kilometres, roughly: only for the report.
    km = shapely.distance(old, new) * 111
    return [
        Anomaly(
            "moved_inside",
            str(r.code),
            str(r.name),
            f"centroid ({r.x:.5f}, {r.y:.5f}) moved {d:.1f} km",
        )
        for r, d in zip(seeds.itertuples(), km, strict=True)
    ]


def _finish(
    units: pd.DataFrame,
    cells: pd.Series,
    report: ReformApproximateReport,
    started: float,
) -> tuple[gpd.GeoDataFrame, ReformApproximateReport]:
    if not shapely.coverage_is_valid(cells.to_numpy()):
        # Provinces cut one by one each add their own vertices along a shared
        # border; cleaning makes the shared edges identical (moves ~1e-16 deg²),
        # which coverage_simplify needs to keep the map free of slivers.
        cells = pd.Series(coverage_clean(cells.to_numpy()), index=cells.index)
    report.coverage_valid = bool(shapely.coverage_is_valid(cells.to_numpy()))
    return assembled(units, cells, report, started)
