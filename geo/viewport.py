"""Map camera: the centre and zoom that fit a bounding box (cameraForBounds)."""

from __future__ import annotations

import math

TILE = 512  # MapLibre's world size in pixels at zoom 0
# Shown when there is nothing to fit (no boundaries stored yet).
VIETNAM_BOUNDS = (102.1, 8.2, 109.5, 23.4)


def _mercator_y(lat: float) -> float:
    return 0.5 - math.asinh(math.tan(math.radians(lat))) / (2 * math.pi)


def fit_view(
    bounds: tuple[float, float, float, float],
    width_px: int = 800,
    height_px: int = 560,
    padding: float = 0.9,
) -> tuple[dict[str, float], float]:
    """Centre {'lon', 'lat'} and zoom showing ``bounds`` (west, south, east, north)."""
    west, south, east, north = bounds
    span_x = max(east - west, 1e-6)
    span_y = max(abs(_mercator_y(south) - _mercator_y(north)), 1e-9)
    zoom = math.log2(
        padding * min(width_px * 360 / (TILE * span_x), height_px / (TILE * span_y))
    )
    mid_y = (_mercator_y(south) + _mercator_y(north)) / 2
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * mid_y))))
    return {"lon": (west + east) / 2, "lat": lat}, zoom
