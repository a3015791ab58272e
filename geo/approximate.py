"""Approximate boundaries from the official commune centroids.

One Voronoi diagram over all commune seed points (so neighbouring provinces never
overlap), clipped to an extent guessed from the communes' boxes (geo/extent.py);
districts, provinces and the country are exact coverage unions of their children.

Guarantees (tested in tests/test_geo_approximate.py): every polygon is valid, every
commune polygon contains its seed point, the communes form a valid coverage of the
extent (gaps and overlaps below ``AREA_TOLERANCE`` deg²), and every parent is the
union of its children.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.listing import anomaly_lines
from geo.coverage import dissolve_up, point_array, to_frame
from geo.extent import DEFAULT_EXTENT, extent
from geo.seeds import ANOMALY_KINDS, Anomaly, seed_frame

if TYPE_CHECKING:  # geo.derive imports this module
    from geo.derive import DeriveReport


@dataclass
class ApproximateReport:
    """What the generator built and which data problems it met on the way."""

    extent_method: str
    counts: dict[str, int] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)
    without_geometry: list[str] = field(default_factory=list)
    reassigned_pieces: int = 0
    coverage_valid: bool = True
    seconds: float = 0.0
    # July-2025 tree: the provinces then derived from real legacy boundaries
    derived: DeriveReport | None = None

    def of_kind(self, kind: str) -> list[Anomaly]:
        """The anomalies of one kind (see ``geo.seeds.ANOMALY_KINDS``)."""
        return [a for a in self.anomalies if a.kind == kind]

    def format(self, limit: int | None = 8) -> str:
        """A human-readable summary: each kind of anomaly with its first ``limit``."""
        counts = ", ".join(f"{n} {level}" for level, n in self.counts.items())
        lines = [
            f"Approximate boundaries ({self.extent_method} extent): {counts} "
            f"in {self.seconds:.1f} s; coverage valid: {self.coverage_valid}",
        ]
        if self.reassigned_pieces:
            lines.append(f"{self.reassigned_pieces} detached cell pieces reassigned")
        if self.without_geometry:
            lines.append(f"left without geometry: {', '.join(self.without_geometry)}")
        for kind, label in ANOMALY_KINDS.items():
            lines += anomaly_lines(label, self.of_kind(kind), limit)
        if self.derived is not None and self.derived.provinces:
            lines.append(self.derived.format())
        return "\n".join(lines)


def voronoi_cells(points: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """One cell per point (in input order), clipped to ``area``."""
    if len(points) == 1:
        return np.array([area], dtype=object)
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(points), extend_to=area, ordered=True
    )
    cells = np.asarray(shapely.get_parts(diagram), dtype=object)
    shapely.prepare(area)
    # Most cells lie well inside: only those on the edge need the costly overlay.
    edge = ~shapely.contains_properly(area, cells)
    cells[edge] = shapely.intersection(cells[edge], area)
    return cells


def reassign_detached(cells: np.ndarray, points: np.ndarray) -> int:
    """Give cell pieces cut off from their own point to the neighbour they touch most.

    A concave extent can split a cell; the far piece would float inside other
    communes.  Pieces touching no other cell (islands) stay with the nearest point.
    """
    moved = 0
    tree = shapely.STRtree(cells)
    for i in np.flatnonzero(shapely.get_num_geometries(cells) > 1):
        parts = shapely.get_parts(cells[i])
        keep = shapely.intersects(parts, points[i])
        for piece in parts[~keep]:
            target = _longest_border(piece, cells, tree, int(i))
            if target is None:
                keep[parts == piece] = True
                continue
            cells[target] = shapely.union(cells[target], piece)
            moved += 1
        kept = parts[keep]
        cells[i] = shapely.multipolygons(kept) if len(kept) > 1 else kept[0]
    return moved


def _longest_border(
    piece: shapely.Geometry, cells: np.ndarray, tree: shapely.STRtree, own: int
) -> int | None:
    near = [j for j in tree.query(piece, predicate="touches") if j != own]
    if not near:
        return None
    shared = shapely.length(shapely.intersection(shapely.boundary(piece), cells[near]))
    return int(near[int(np.argmax(shared))]) if shared.max() > 0 else None


R = TypeVar("R", bound=ApproximateReport)


def approximate_boundaries(
    units: pd.DataFrame, *, extent_method: str = DEFAULT_EXTENT
) -> tuple[gpd.GeoDataFrame, ApproximateReport]:
    """Polygons for every unit of a ``units_frame``, and the report of how they came."""
    started = time.perf_counter()
    seeds, anomalies = seed_frame(units)
    report = ApproximateReport(extent_method, anomalies=anomalies)
    if seeds.empty:
        raise ValueError("no commune-level units to build boundaries from")
    points = point_array(seeds["x"].to_numpy(), seeds["y"].to_numpy())
    cells = voronoi_cells(points, extent(seeds, extent_method))
    report.reassigned_pieces = reassign_detached(cells, points)
    report.coverage_valid = bool(shapely.coverage_is_valid(cells))
    by_unit = pd.Series(cells, index=seeds["id"].astype(int))
    return assembled(units, by_unit, report, started)


def assembled(
    units: pd.DataFrame, cells: pd.Series, report: R, started: float
) -> tuple[gpd.GeoDataFrame, R]:
    """Every unit's polygon from the commune cells (``cells``: by unit id), dissolved
    up the tree, and the report's counts and time."""
    frame = to_frame(units, dissolve_up(units, cells))
    sizes = frame.groupby("level", sort=False).size()
    report.counts = {str(level): int(n) for level, n in sizes.items()}
    report.without_geometry = sorted(set(units["code"]) - set(frame["code"]))
    report.seconds = time.perf_counter() - started
    return frame, report
