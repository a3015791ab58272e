"""How good boundaries are: how close approximate ones come to real ones
(intersection over union), and whether an imported file lies where its units are
(their official boxes) or, if not, which CRS would put it there."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import CRS

# World Cylindrical Equal Area: areas comparable anywhere in Viet Nam.
EQUAL_AREA_CRS = 6933


@dataclass(frozen=True)
class IouSummary:
    """Mean, median and worst IoU over the units both sides have."""

    count: int
    mean: float
    median: float
    worst: float
    worst_code: str
    worst_name: str

    def format(self) -> str:
        """One line: n, mean, median and the worst unit."""
        return (
            f"n={self.count} mean={self.mean:.3f} median={self.median:.3f} "
            f"worst={self.worst:.3f} ({self.worst_code} {self.worst_name})"
        )


def iou_per_unit(approx: gpd.GeoDataFrame, real: gpd.GeoDataFrame) -> pd.DataFrame:
    """IoU per code present in both frames (each with ``code`` and geometry)."""
    left = approx.set_index("code").to_crs(EQUAL_AREA_CRS)
    right = real.set_index("code").to_crs(EQUAL_AREA_CRS)
    codes = left.index.intersection(right.index)
    a = left.loc[codes].geometry.to_numpy()
    b = right.loc[codes].geometry.to_numpy()
    union = shapely.area(shapely.union(a, b))
    iou = shapely.area(shapely.intersection(a, b)) / union
    names = left["name"].loc[codes] if "name" in left else pd.Series("", index=codes)
    return pd.DataFrame({"code": codes, "name": names.to_numpy(), "iou": iou})


def summarise(table: pd.DataFrame) -> IouSummary:
    """Summary of an ``iou_per_unit`` table."""
    if table.empty:
        raise ValueError("no unit in common: nothing to compare")
    worst = table.iloc[table["iou"].argmin()]
    return IouSummary(
        count=len(table),
        mean=float(table["iou"].mean()),
        median=float(table["iou"].median()),
        worst=float(worst["iou"]),
        worst_code=str(worst["code"]),
        worst_name=str(worst["name"]),
    )


# --- where an imported file lies ---------------------------------------------------

# More than this share of the matched units outside their official boxes and an
# import is refused (``force`` overrides): the whole file is in the wrong place
# (a wrong CRS, shifted coordinates), not a few units drawn loosely.
MISPLACED_MAX_SHARE = 0.2
# The CRSs boundary files of Viet Nam come in, tried in this order when a file
# lies in the wrong place: lon/lat (WGS 84, VN-2000), UTM 48N and 49N (VN-2000,
# WGS 84), the VN-2000 TM-3 zones (national and provincial), web Mercator.
CANDIDATE_CRS = (
    4326,
    4756,
    3405,
    3406,
    32648,
    32649,
    5896,
    5897,
    5898,
    5899,
    *range(9205, 9219),
    3857,
)
# A shift is "constant" when the units' offsets from their boxes agree this
# closely (degrees, interquartile range): far less than a province's extent.
SHIFT_SPREAD = 0.5
_NAMES_SHOWN = 3


@dataclass(frozen=True)
class Fit:
    """How many features land in their unit's box when read in ``crs``."""

    crs: str
    inside: int
    checked: int


def crs_label(crs: object) -> str:
    """``EPSG:32648 (WGS 84 / UTM zone 48N)``; the name alone without a code."""
    parsed = CRS.from_user_input(crs)
    found = parsed.to_authority()
    if found is None:
        return parsed.name
    return f"{found[0]}:{found[1]} ({parsed.name})"


def outside_boxes(
    geoms: npt.NDArray[np.object_], boxes: npt.NDArray[np.object_]
) -> npt.NDArray[np.bool_]:
    """Per geometry (EPSG:4326): it misses its box.  A missing box (None) is
    never missed: there is nothing to check against."""
    known = ~shapely.is_missing(boxes)
    return known & ~shapely.intersects(geoms, boxes)


def crs_fits(native: gpd.GeoSeries, boxes: np.ndarray) -> list[Fit]:
    """Each candidate CRS (but the one ``native`` is in), with the features that
    land in their box when ``native``'s coordinates are read in it; best first
    (ties: the order of ``CANDIDATE_CRS``).  Each feature's convex hull stands
    for it: far fewer vertices to reproject, and it meets the box whenever the
    feature does."""
    assumed = native.crs
    hulls = gpd.GeoSeries(shapely.convex_hull(native.to_numpy()))
    checked = int((~shapely.is_missing(boxes)).sum())
    fits = []
    for code in CANDIDATE_CRS:
        candidate = CRS.from_epsg(code)
        if assumed is not None and candidate.equals(assumed):
            continue
        try:
            moved = hulls.set_crs(candidate).to_crs(4326)
        except Exception:  # noqa: BLE001 - pyproj: coordinates out of the CRS
            continue
        missed = outside_boxes(moved.to_numpy(), boxes)
        fits.append(Fit(f"EPSG:{code}", checked - int(missed.sum()), checked))
    return sorted(fits, key=lambda f: -f.inside)  # stable: candidate order on ties


def shift(geoms: np.ndarray, boxes: np.ndarray) -> tuple[float, float] | None:
    """The constant (longitude, latitude) offset of the geometries (EPSG:4326)
    from their boxes, in degrees; None when they do not move together."""
    known = ~shapely.is_missing(boxes)
    if not known.any():
        return None
    centres = shapely.centroid(geoms[known])
    targets = shapely.centroid(boxes[known])
    dx = shapely.get_x(centres) - shapely.get_x(targets)
    dy = shapely.get_y(centres) - shapely.get_y(targets)
    if not (np.isfinite(dx).all() and np.isfinite(dy).all()):
        return None
    spread = max(np.subtract(*np.percentile(d, [75, 25])) for d in (dx, dy))
    if spread > SHIFT_SPREAD:
        return None
    return float(np.median(dx)), float(np.median(dy))


def _direction(dx: float, dy: float) -> str:
    east = f"{abs(dx):.1f}° {'east' if dx >= 0 else 'west'}"
    north = f"{abs(dy):.1f}° {'north' if dy >= 0 else 'south'}"
    return f"{east} and {north}"


def placement_hint(
    native: gpd.GeoSeries, geoms: np.ndarray | None, boxes: np.ndarray
) -> str:
    """Which CRS would put the features (``native``: as read, in the CRS
    assumed; ``geoms``: the same in EPSG:4326, None when they are not lon/lat)
    where their units are, or that none does and the coordinates look shifted."""
    fits = crs_fits(native, boxes)
    best = fits[0] if fits else None
    if best is not None and best.inside > (1 - MISPLACED_MAX_SHARE) * best.checked:
        good = [f for f in fits if f.inside == best.inside][:_NAMES_SHOWN]
        names = " or ".join(crs_label(f.crs) for f in good)
        options = " or ".join(f"--crs {f.crs}" for f in good)
        return (
            f"read as {names} instead, {best.inside} of {best.checked} features "
            f"lie inside their unit's official box: pass {options}"
        )
    tried = (
        f"tried {len(CANDIDATE_CRS)}: lon/lat in WGS 84 and VN-2000, UTM 48N and "
        "49N, the VN-2000 TM-3 zones, web Mercator"
    )
    moved = None if geoms is None else shift(geoms, boxes)
    if moved is not None:
        return (
            f"no usual CRS fits ({tried}); the coordinates look shifted, "
            f"about {_direction(*moved)} of where the units are: check the file"
        )
    return (
        f"no usual CRS fits ({tried}) and the coordinates are not simply "
        "shifted: check the file and its CRS"
    )
