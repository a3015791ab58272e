"""How close approximate boundaries come to real ones: intersection over union."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

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
    a = left.geometry.loc[codes].to_numpy()
    b = right.geometry.loc[codes].to_numpy()
    union = shapely.area(shapely.union(a, b))
    iou = shapely.area(shapely.intersection(a, b)) / union
    names = left["name"].loc[codes] if "name" in left else pd.Series("", index=codes)
    return pd.DataFrame({"code": codes, "name": names.to_numpy(), "iou": iou})


def summarise(table: pd.DataFrame) -> IouSummary:
    """Summary of an ``iou_per_unit`` table."""
    if table.empty:
        raise ValueError("no unit in common: nothing to compare")
    worst = table.loc[table["iou"].idxmin()]
    return IouSummary(
        count=len(table),
        mean=float(table["iou"].mean()),
        median=float(table["iou"].median()),
        worst=float(worst["iou"]),
        worst_code=str(worst["code"]),
        worst_name=str(worst["name"]),
    )
