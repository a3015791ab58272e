"""The geometry of a printed map: projection, scale bar, north arrow, inset, labels.

Pure functions of longitudes and latitudes, in the projection the screen's map
uses (spherical Web Mercator, EPSG:3857), so that the printed shapes are the
ones the user saw.  A map is fitted into a box of page points; the scale bar is
computed from Mercator's scale factor at the map's central latitude (1 / cos φ),
so that its length is a true ground distance there; the north arrow from the
direction of a meridian through the map's centre.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS = 6_378_137.0  # metres, the sphere of Web Mercator
MEAN_RADIUS = 6_371_008.8  # metres, for great-circle distances
NICE_STEPS = (1, 2, 5)

Box = tuple[float, float, float, float]  # west, south, east, north (or x0, y0, x1, y1)


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator metres of a longitude and latitude (degrees)."""
    lat = max(min(lat, 85.0), -85.0)
    x = EARTH_RADIUS * math.radians(lon)
    y = EARTH_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x, y


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points, in kilometres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * MEAN_RADIUS * math.asin(math.sqrt(h)) / 1000


@dataclass(frozen=True)
class Projection:
    """Longitude and latitude to page points: Mercator, scaled and moved so that
    ``bbox`` fills ``frame`` (kept in proportion, centred)."""

    bbox: Box  # west, south, east, north in degrees
    frame: Box  # x0, y0, x1, y1 in points (y up, as in PDF)
    scale: float  # points per Mercator metre
    offset: tuple[float, float]  # page point of Mercator (0, 0)

    @classmethod
    def fit(cls, bbox: Box, frame: Box, padding: float = 0.04) -> Projection:
        west, south, east, north = bbox
        x0, y0 = mercator(west, south)
        x1, y1 = mercator(east, north)
        width, height = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        fx0, fy0, fx1, fy1 = frame
        room_w = (fx1 - fx0) * (1 - 2 * padding)
        room_h = (fy1 - fy0) * (1 - 2 * padding)
        scale = min(room_w / width, room_h / height)
        cx, cy = (fx0 + fx1) / 2, (fy0 + fy1) / 2
        offset = (cx - scale * (x0 + x1) / 2, cy - scale * (y0 + y1) / 2)
        return cls(bbox, frame, scale, offset)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return self.offset[0] + self.scale * x, self.offset[1] + self.scale * y

    def ring(self, coords: Iterable[Sequence[float]]) -> list[tuple[float, float]]:
        return [self.point(c[0], c[1]) for c in coords]

    @property
    def centre_lat(self) -> float:
        """The latitude at the middle of the map's height."""
        fx0, fy0, fx1, fy1 = self.frame
        y = ((fy0 + fy1) / 2 - self.offset[1]) / self.scale
        return math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)

    def km_per_point(self, lat: float | None = None) -> float:
        """Ground kilometres one page point covers at ``lat`` (the centre's by
        default): Mercator stretches by 1 / cos(lat)."""
        lat = self.centre_lat if lat is None else lat
        return math.cos(math.radians(lat)) / self.scale / 1000


@dataclass(frozen=True)
class ScaleBar:
    km: float  # the ground distance the bar stands for
    length: float  # its length in points
    segments: int  # alternating blocks drawn along it


def nice_length(limit: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``limit`` (> 0)."""
    power = 10 ** math.floor(math.log10(limit))
    best = power
    for step in NICE_STEPS:
        if step * power <= limit:
            best = step * power
    return float(best)


def scale_bar(projection: Projection, longest: float) -> ScaleBar:
    """A bar of a round number of kilometres, at most ``longest`` points long,
    true at the map's central latitude."""
    per_point = projection.km_per_point()
    km = nice_length(longest * per_point)
    first = int(str(f"{km:g}".replace(".", "").lstrip("0"))[0])
    return ScaleBar(km=km, length=km / per_point, segments=2 if first == 1 else first)


def north_angle(projection: Projection) -> float:
    """Degrees from the page's up to true north at the map's centre (0: north is
    up; a conformal cylinder keeps every meridian vertical)."""
    west, south, east, north = projection.bbox
    lon, lat = (west + east) / 2, (south + north) / 2
    x0, y0 = projection.point(lon, lat)
    x1, y1 = projection.point(lon, min(lat + 0.1, 85.0))
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


def union(boxes: Iterable[Box | None]) -> Box | None:
    found = [b for b in boxes if b]
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    return not (
        a[2] + gap <= b[0]
        or b[2] + gap <= a[0]
        or a[3] + gap <= b[1]
        or b[3] + gap <= a[1]
    )


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    within: Box | None = None,
    taken: Sequence[Box] = (),
    gap: float = 1.0,
) -> list[Box | None]:
    """A box for each label centred on its anchor, or None where it would overlap
    a label placed before it (give the anchors in priority order: the largest
    unit first), a ``taken`` box, or leave ``within``."""
    placed: list[Box] = list(taken)
    out: list[Box | None] = []
    for (x, y), (w, h) in zip(anchors, sizes, strict=True):
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        outside = within is not None and not (
            box[0] >= within[0]
            and box[1] >= within[1]
            and box[2] <= within[2]
            and box[3] <= within[3]
        )
        if outside or any(overlaps(box, other, gap) for other in placed):
            out.append(None)
            continue
        placed.append(box)
        out.append(box)
    return out


def polygons(geometry: dict[str, Any]) -> list[list[list[Sequence[float]]]]:
    """The rings of a GeoJSON Polygon or MultiPolygon, as a list of polygons."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return list(coords)
    return []


def geometry_bounds(geometry: dict[str, Any]) -> Box | None:
    points = [p for poly in polygons(geometry) for ring in poly for p in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)
