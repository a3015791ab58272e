"""Seed points for the approximate boundaries, with the data problems they had.

The official centroids are not clean: some communes share one geocoded spot, a few
centroids fall outside their own bounding box, island-district stand-ins carry the
district's coordinates, and a unit may have no coordinates at all.  Each case is
handled here and recorded as an ``Anomaly`` so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.units import ISLAND_PREFIX
from geo.hierarchy import ancestor_ids

BOX = ["west", "south", "east", "north"]
_BBOX_COLUMNS = ["bbox_west", "bbox_south", "bbox_east", "bbox_north"]
# Duplicates move this fraction of their own box's smaller side: far enough for a
# cell of a visible size, near enough to stay where the geocoder put them.
NUDGE_FRACTION = 0.1
# Keeps nudged points strictly inside their box rather than on its edge.
_BOX_MARGIN = 0.02
# Coordinates equal to this many decimals (about 1 cm) count as the same spot.
_SAME_SPOT_DECIMALS = 7

ANOMALY_KINDS = MappingProxyType(
    {
        "stand_in": "island-district stand-in: coordinates are the district's",
        "placed": "no coordinates: placed from an ancestor",
        "no_box": "no bounding box: the nearest ancestor's box is used",
        "outside_box": "centroid outside its own bounding box",
        # the parent is a district, or on the July-2025 tree the province
        "outside_district": "centroid outside its parent's bounding box",
        "nudged": "point shared with other units: nudged apart inside its box",
    }
)


@dataclass(frozen=True)
class Anomaly:
    """One data problem of one unit and what was done about it."""

    kind: str
    code: str
    name: str
    detail: str


def seed_frame(units: pd.DataFrame) -> tuple[pd.DataFrame, list[Anomaly]]:
    """Commune-level units with the seed point (x, y) and box of each cell."""
    communes = units[units["level"] == "commune"].copy()
    communes["x"] = communes["lon"].astype(float)
    communes["y"] = communes["lat"].astype(float)
    communes[BOX] = communes[_BBOX_COLUMNS].astype(float).to_numpy()
    anomalies = _stand_ins(communes)
    anomalies += _fill_from_ancestors(communes, units)
    anomalies += _outside_own_box(communes)
    anomalies += _outside_district(communes, units)
    anomalies += _nudge_duplicates(communes)
    communes["province_id"] = ancestor_ids(units, "province").loc[communes.index]
    keep = ["id", "code", "name", "parent_id", "province_id", "x", "y", *BOX]
    return communes[keep].reset_index(drop=True), anomalies


def _stand_ins(communes: pd.DataFrame) -> list[Anomaly]:
    rows = communes[communes["code"].str.startswith(ISLAND_PREFIX)]
    return [
        Anomaly("stand_in", code, name, f"stands for district {code[1:]}")
        for code, name in zip(
            rows["code"].astype(str), rows["name"].astype(str), strict=True
        )
    ]


def _ancestor_chain(units: pd.DataFrame, unit_ids: pd.Series) -> list[pd.DataFrame]:
    """Rows of the parent, grandparent, ... of each unit, aligned on ``unit_ids``."""
    by_id = units.set_index("id")
    chain, current = [], unit_ids.map(by_id["parent_id"])
    while current.notna().any():
        rows = by_id.reindex(current.astype("Int64").to_numpy())
        chain.append(rows.set_axis(unit_ids.index))
        current = current.map(by_id["parent_id"])
    return chain


def _fill_from_ancestors(communes: pd.DataFrame, units: pd.DataFrame) -> list[Anomaly]:
    """Give units without coordinates or box those of their nearest ancestor."""
    anomalies = _place_in_own_box(communes)
    if not (_missing_point(communes).any() or _missing_box(communes).any()):
        return anomalies
    for ancestor in _ancestor_chain(units, communes["id"]):
        anomalies += _place_from(communes, ancestor)
        box = ancestor[_BBOX_COLUMNS].astype(float)
        fill = _missing_box(communes) & box.notna().all(axis=1)
        anomalies += _note(communes[fill], ancestor[fill], "no_box", "box")
        communes.loc[fill, BOX] = box[fill].to_numpy()
    if _missing_point(communes).any():
        codes = ", ".join(communes.loc[_missing_point(communes), "code"])
        raise ValueError(f"no coordinates for {codes} nor for any ancestor")
    return anomalies


def _missing_point(communes: pd.DataFrame) -> pd.Series:
    return communes["x"].isna() | communes["y"].isna()


def _missing_box(communes: pd.DataFrame) -> pd.Series:
    return communes[BOX].isna().any(axis=1)


def _place_in_own_box(communes: pd.DataFrame) -> list[Anomaly]:
    rows = _missing_point(communes) & ~_missing_box(communes)
    communes.loc[rows, "x"] = communes.loc[rows, ["west", "east"]].mean(axis=1)
    communes.loc[rows, "y"] = communes.loc[rows, ["south", "north"]].mean(axis=1)
    return _note(communes[rows], communes[rows], "placed", "box centre")


def _place_from(communes: pd.DataFrame, ancestor: pd.DataFrame) -> list[Anomaly]:
    """The ancestor's centroid first, else the centre of its box."""
    box = ancestor[_BBOX_COLUMNS].astype(float)
    mid_x = (box["bbox_west"] + box["bbox_east"]) / 2
    mid_y = (box["bbox_south"] + box["bbox_north"]) / 2
    centre_x = ancestor["lon"].astype(float).fillna(mid_x)
    centre_y = ancestor["lat"].astype(float).fillna(mid_y)
    rows = _missing_point(communes) & centre_x.notna() & centre_y.notna()
    what = np.where(ancestor["lon"].notna(), "centroid", "box centre")[rows.to_numpy()]
    anomalies = [
        Anomaly("placed", str(r.code), str(r.name), f"{w} of {code} ({name})")
        for r, w, code, name in zip(
            communes[rows].itertuples(),
            what,
            ancestor.loc[rows, "code"],
            ancestor.loc[rows, "name"],
            strict=True,
        )
    ]
    communes.loc[rows, "x"] = centre_x[rows]
    communes.loc[rows, "y"] = centre_y[rows]
    return anomalies


def _note(
    rows: pd.DataFrame, source: pd.DataFrame, kind: str, what: str
) -> list[Anomaly]:
    return [
        Anomaly(kind, str(r.code), str(r.name), f"{what} of {src_code} ({src_name})")
        for r, src_code, src_name in zip(
            rows.itertuples(), source["code"], source["name"], strict=True
        )
    ]


def _inside(
    x: pd.Series[float], y: pd.Series[float], box: npt.NDArray[np.float64]
) -> pd.Series[bool]:
    west, south, east, north = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    return (x >= west) & (x <= east) & (y >= south) & (y <= north)


def _outside_own_box(communes: pd.DataFrame) -> list[Anomaly]:
    outside = ~_inside(communes["x"], communes["y"], communes[BOX].to_numpy())
    return [
        Anomaly(
            "outside_box", str(r.code), str(r.name), f"centroid ({r.x:.5f}, {r.y:.5f})"
        )
        for r in communes[outside].itertuples()
    ]


def _outside_district(communes: pd.DataFrame, units: pd.DataFrame) -> list[Anomaly]:
    parents = units.set_index("id").reindex(communes["parent_id"].astype("Int64"))
    box = parents[_BBOX_COLUMNS].astype(float).to_numpy()
    known = ~np.isnan(box).any(axis=1)
    outside = known & ~_inside(communes["x"], communes["y"], box).to_numpy()
    return [
        Anomaly(
            "outside_district", str(r.code), str(r.name), f"{level} {code} ({name})"
        )
        for r, level, code, name in zip(
            communes[outside].itertuples(),
            parents["level"][outside],
            parents["code"][outside],
            parents["name"][outside],
            strict=True,
        )
    ]


def _nudge_duplicates(communes: pd.DataFrame) -> list[Anomaly]:
    """Spread units that share one spot on a small circle, each inside its own box."""
    spot = communes[["x", "y"]].round(_SAME_SPOT_DECIMALS)
    shared = spot.duplicated(keep=False)
    if not shared.any():
        return []
    group = communes[shared].sort_values("code")
    keys = spot.loc[group.index].apply(tuple, axis=1)
    rank = group.groupby(keys).cumcount().to_numpy()
    size = keys.map(keys.value_counts()).to_numpy()
    old = group[["x", "y"]].to_numpy()
    new = _circle_positions(old, group[BOX].to_numpy(), rank, size)
    communes.loc[group.index, ["x", "y"]] = new
    _separate_leftovers(communes)
    return _nudge_notes(group, keys, old, communes.loc[group.index, ["x", "y"]])


def _circle_positions(
    points: np.ndarray, boxes: np.ndarray, rank: np.ndarray, size: np.ndarray
) -> np.ndarray:
    west, south, east, north = boxes.T
    width, height = east - west, north - south
    radius = NUDGE_FRACTION * np.minimum(width, height)
    angle = 2 * np.pi * rank / size + np.pi / 4  # diagonal: away from box edges
    x = points[:, 0] + radius * np.cos(angle)
    y = points[:, 1] + radius * np.sin(angle)
    x = np.clip(x, west + _BOX_MARGIN * width, east - _BOX_MARGIN * width)
    y = np.clip(y, south + _BOX_MARGIN * height, north - _BOX_MARGIN * height)
    return np.column_stack([x, y])


def _separate_leftovers(communes: pd.DataFrame) -> None:
    """Clamping into identical boxes can land two points together: split them."""
    spot = communes[["x", "y"]].round(_SAME_SPOT_DECIMALS)
    again = spot.duplicated(keep="first")
    if again.any():
        step = 10.0 ** -(_SAME_SPOT_DECIMALS - 2)
        offsets = step * (np.arange(int(again.sum())) + 1)
        communes.loc[again, "x"] = communes.loc[again, "x"] + offsets


def _nudge_notes(
    group: pd.DataFrame, keys: pd.Series, old: np.ndarray, new: pd.DataFrame
) -> list[Anomaly]:
    codes = group.groupby(keys)["code"].agg(list)
    # Degrees to metres, roughly: only for the report.
    moved_m = np.hypot(*(new.to_numpy() - old).T) * 111_000
    return [
        Anomaly(
            "nudged",
            str(r.code),
            str(r.name),
            f"shared ({o[0]:.5f}, {o[1]:.5f}) with "
            f"{', '.join(c for c in codes[k] if c != r.code)}; moved {m:,.0f} m",
        )
        for r, k, o, m in zip(group.itertuples(), keys, old, moved_m, strict=True)
    ]
