"""Cutting one legacy province out of a national commune file, as a clean coverage.

``python -m dashboard extract-boundaries`` runs ``extract_province`` and
``write_geojson``.  The national file (vietnam_communes_2013.gpkg and the like) has
no GSO codes and is not a clean coverage: neighbours were simplified one at a time.
The steps, each reproducible (no randomness, sorted output):

1. the features of the province (``province_vn``) are matched to the units of
   the 2025-01 list (``vietnamadminunits``, the app's legacy tree): districts by
   name, then communes by name within their district (geo/matching.py);
2. a feature matching no unit (a commune merged into a neighbour since the file
   was drawn) goes to the matched commune of its district with which it shares the
   longest border, and the report names it;
3. the matched polygons are made valid, the area of the ``neighbours`` files
   (real boundaries already shipped for an adjacent province) is cut away, and
   ``shapely.coverage_clean`` resolves overlaps and closes gaps narrower than
   ``GAP_WIDTH``; every remaining hole in the province (or between it and its
   neighbours) goes to the commune with the longest border on it, as do crumbs
   smaller than ``CRUMB_AREA`` cut off by the neighbours; the result is snapped to
   the grid of ``DECIMALS`` (a valid coverage on it);
4. one feature per unit, sorted by code, 7 decimals, exterior rings clockwise
   like the other files in geo/boundaries/.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.units import COUNTRY_CODE, legacy_records, legacy_rows
from geo.coverage import coverage_clean, dissolve_groups
from geo.matching import keyed_units, match_names
from geo.names import bare_key

# Degrees (about 200 m): gaps narrower than this between raw neighbours are slivers.
GAP_WIDTH = 0.002
# Degrees² (about 1,200 m²): smaller parts left by cutting a neighbour away.
CRUMB_AREA = 1e-7
DECIMALS = 7
# The national file's own fields.
SOURCE_FIELDS = {
    "province": "province_vn",
    "district": "district_vn",
    "commune": "commune_vn",
    "id": "commune_id",
}
_EQUAL_AREA = "EPSG:6933"


@dataclass
class ExtractReport:
    """What the extraction did, for the command to print."""

    province: str = ""
    features: int = 0
    matched: dict[str, int] = field(default_factory=dict)  # method -> count
    merged: list[tuple[str, str]] = field(default_factory=list)  # source -> unit
    units: int = 0
    without_geometry: list[str] = field(default_factory=list)
    holes_filled: int = 0
    crumbs_moved: int = 0
    coverage_valid: bool = False
    vertices: int = 0

    def format(self) -> str:
        lines = [
            f"{self.province}: {self.features} source features, "
            f"{self.units} units written ({self.vertices:,} vertices); "
            f"coverage valid: {self.coverage_valid}",
            "  matched by " + ", ".join(f"{m}: {n}" for m, n in self.matched.items()),
            f"  holes filled: {self.holes_filled}; crumbs moved: {self.crumbs_moved}",
        ]
        lines += [f"  {src} -> merged into {unit}" for src, unit in self.merged]
        if self.without_geometry:
            lines.append(
                f"  {len(self.without_geometry)} units without geometry: "
                + ", ".join(self.without_geometry)
            )
        return "\n".join(lines)


def legacy_units(province_code: str) -> pd.DataFrame:
    """The 2025-01 units of one legacy province, as a small ``units_frame``."""
    records = legacy_records(legacy_rows([province_code]))
    rows = [
        {**r, "level": level} for level in records for r in records[level]
    ]  # province, district, commune: parents come first
    units = pd.DataFrame(rows)
    units["id"] = np.arange(1, len(units) + 1)
    ids = dict(zip(units["code"], units["id"], strict=True))
    parent = units["parent_code"].map(ids)
    units["parent_id"] = parent.where(units["parent_code"] != COUNTRY_CODE)
    return units


def read_province(
    source: str | Path, name: str, fields: Mapping[str, str]
) -> gpd.GeoDataFrame:
    """The features of one province (by its name in the file), in EPSG:4326."""
    frame = gpd.read_file(source)
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    wanted = bare_key(name)
    keep = frame[fields["province"]].astype(str).map(bare_key) == wanted
    if not keep.any():
        raise ValueError(f"{source}: no feature of province {name!r}")
    frame = frame[keep].copy()
    frame["geometry"] = shapely.make_valid(frame.geometry.to_numpy())
    return frame.reset_index(drop=True)


def extract_province(
    source: str | Path,
    province_code: str,
    *,
    neighbours: Sequence[str | Path] = (),
    fields: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ExtractReport]:
    """One cleaned polygon per unit of the province, with the report."""
    fields = {**SOURCE_FIELDS, **(fields or {})}
    units = legacy_units(province_code)
    province = units[units["level"] == "province"].iloc[0]
    frame = read_province(source, province["name"], fields)
    report = ExtractReport(province=f"{province['name']} ({province_code})")
    report.features = len(frame)
    unit_ids = _match(frame, units, fields, report)
    by_unit = pd.Series(frame.geometry.to_numpy(), index=frame.index)
    grouped = dissolve_groups(by_unit.groupby(unit_ids.to_numpy()))
    cleaned = clean(grouped.to_numpy(), _neighbour_area(neighbours), report)
    geoms = pd.Series(cleaned, index=grouped.index.astype(int))
    communes = units[units["level"] == "commune"]
    report.without_geometry = sorted(
        communes.loc[~communes["id"].isin(geoms.index), "code"]
    )
    out = _frame(units, frame, unit_ids, geoms, fields)
    report.units = len(out)
    report.vertices = int(shapely.get_num_coordinates(out.geometry.to_numpy()).sum())
    report.coverage_valid = bool(shapely.coverage_is_valid(out.geometry.to_numpy()))
    return out, report


def _match(
    frame: gpd.GeoDataFrame,
    units: pd.DataFrame,
    fields: Mapping[str, str],
    report: ExtractReport,
) -> pd.Series:
    """Unit id per feature: by name within the district, else longest border."""
    keyed = keyed_units(units)
    province_id = float(units.loc[units["level"] == "province", "id"].iloc[0])
    everywhere = pd.Series(province_id, index=frame.index, dtype="Float64")
    districts, _ = match_names(
        frame[fields["district"]], everywhere, keyed[keyed["level"] == "district"]
    )
    ids, methods = match_names(
        frame[fields["commune"]], districts, keyed[keyed["level"] == "commune"]
    )
    counts = methods.fillna("longest border").value_counts()
    report.matched = {str(k): int(v) for k, v in counts.sort_index().items()}
    names = units.set_index("id")["name"]
    codes = units.set_index("id")["code"]
    todo = list(frame.index[ids.isna()])
    geoms = frame.geometry.to_numpy()
    while todo:  # a merged feature may only touch another merged one at first
        placed = False
        for i in list(todo):
            target = _longest_neighbour(geoms, i, ids, districts)
            if target is None:
                continue
            ids[i] = ids[target]
            uid = int(ids[i])
            report.merged.append(
                (str(frame.at[i, fields["commune"]]), f"{codes[uid]} {names[uid]}")
            )
            todo.remove(i)
            placed = True
        if not placed:
            missing = ", ".join(str(frame.at[i, fields["commune"]]) for i in todo)
            raise ValueError(f"features matching no unit and no neighbour: {missing}")
    return ids.astype(int)


def _longest_neighbour(
    geoms: np.ndarray, i: int, ids: pd.Series, districts: pd.Series
) -> int | None:
    """The matched feature (same district first) sharing the longest border."""
    candidates = np.flatnonzero(ids.notna().to_numpy())
    same = candidates[(districts.iloc[candidates] == districts.iloc[i]).to_numpy()]
    for pool in (same, candidates):
        if not len(pool):
            continue
        shared = shapely.length(
            shapely.intersection(shapely.buffer(geoms[i], 1e-5).boundary, geoms[pool])
        )
        if shared.max() > 0:
            return int(pool[int(np.argmax(shared))])
    return None


def _neighbour_area(paths: Sequence[str | Path]) -> shapely.Geometry | None:
    if not paths:
        return None
    frames = [gpd.read_file(p).to_crs(4326) for p in paths]
    return shapely.union_all(
        np.concatenate([shapely.make_valid(f.geometry.to_numpy()) for f in frames])
    )


def clean(
    geoms: np.ndarray,
    neighbours: shapely.Geometry | None,
    report: ExtractReport | None = None,
) -> np.ndarray:
    """A valid coverage from raw polygons: no overlaps, no holes, no crumbs."""
    report = report or ExtractReport()
    geoms = shapely.make_valid(np.asarray(geoms, dtype=object))
    if neighbours is not None:
        geoms = shapely.difference(geoms, neighbours)
    geoms = _polygonal(geoms)
    geoms = coverage_clean(geoms, gap_width=GAP_WIDTH)
    geoms = _polygonal(geoms)
    report.crumbs_moved += _move_crumbs(geoms)
    report.holes_filled += _fill_holes(geoms, neighbours)
    if not shapely.coverage_is_valid(geoms):
        geoms = _polygonal(coverage_clean(geoms))
    # On the grid of the written decimals, so the file is the coverage checked.
    geoms = shapely.set_precision(geoms, 10.0**-DECIMALS)
    if not shapely.coverage_is_valid(geoms):
        geoms = _polygonal(coverage_clean(geoms, snapping_distance=0))
    return geoms


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygon parts of each geometry (cuts can leave lines or points)."""
    out = []
    for g in geoms:
        # twice: a collection's members may themselves be multipolygons
        inner = shapely.get_parts(shapely.get_parts(g))
        parts = [p for p in inner if shapely.get_type_id(p) == 3]
        out.append(
            shapely.multipolygons(parts)
            if len(parts) > 1
            else (parts[0] if parts else shapely.Polygon())
        )
    return np.array(out, dtype=object)


def _give(geoms: np.ndarray, piece: shapely.Geometry, skip: int | None) -> bool:
    """Union ``piece`` into the polygon with the longest border on it."""
    edge = shapely.buffer(piece, 1e-7).boundary
    shared = shapely.length(shapely.intersection(edge, shapely.buffer(geoms, 1e-7)))
    if skip is not None:
        shared[skip] = 0
    if shared.max() <= 0:
        return False
    target = int(np.argmax(shared))
    geoms[target] = shapely.union(geoms[target], piece)
    return True


def _move_crumbs(geoms: np.ndarray) -> int:
    moved = 0
    for i in np.flatnonzero(shapely.get_num_geometries(geoms) > 1):
        parts = shapely.get_parts(geoms[i])
        small = shapely.area(parts) < CRUMB_AREA
        if small.all():
            continue
        kept = list(parts[~small])
        for piece in parts[small]:
            if not _give(geoms, piece, int(i)):
                kept.append(piece)
            else:
                moved += 1
        geoms[i] = shapely.multipolygons(kept) if len(kept) > 1 else kept[0]
    return moved


def _fill_holes(geoms: np.ndarray, neighbours: shapely.Geometry | None) -> int:
    """Holes of the province (with its neighbours): each to its longest border."""
    union = shapely.union_all(
        list(geoms) + ([neighbours] if neighbours is not None else [])
    )
    holes = [
        shapely.polygons(ring)
        for part in shapely.get_parts(union)
        for ring in shapely.get_interior_ring(
            part, range(shapely.get_num_interior_rings(part))
        )
    ]
    holes.sort(key=lambda h: shapely.get_coordinates(h)[0].tolist())
    return sum(_give(geoms, hole, None) for hole in holes)


def _frame(
    units: pd.DataFrame,
    frame: gpd.GeoDataFrame,
    unit_ids: pd.Series,
    geoms: pd.Series,
    fields: Mapping[str, str],
) -> gpd.GeoDataFrame:
    by_id = units.set_index("id")
    parent_of = by_id["parent_id"]
    sources = frame.groupby(unit_ids.to_numpy())
    rows = []
    for uid, geom in zip(geoms.index.astype(int), geoms.to_numpy(), strict=True):
        district_id = int(parent_of[uid])
        unit = by_id.loc[uid]
        district = by_id.loc[district_id]
        province = by_id.loc[int(parent_of[district_id])]
        src = sources.get_group(uid)
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "type": unit["kind"].capitalize(),
                "district_code": district["code"],
                "district_name": district["name"],
                "province_code": province["code"],
                "province_name": province["name"],
                "code_2025": unit["code"],
                "name_2025": unit["name"],
                "src_name": "; ".join(sorted(src[fields["commune"]].astype(str))),
                "src_id": "; ".join(
                    sorted(str(int(v)) for v in src[fields["id"]].dropna())
                ),
                "geometry": geom,
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    out.insert(
        len(out.columns) - 1,
        "area_km2",
        (out.to_crs(_EQUAL_AREA).area / 1e6).round(2),
    )
    return out


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path, name: str) -> int:
    """Compact GeoJSON like the shipped files (rings clockwise); returns bytes."""
    geoms = shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=True)
    features = []
    for props, geom in zip(
        frame.drop(columns="geometry").to_dict("records"), geoms, strict=True
    ):
        geometry = json.loads(shapely.to_geojson(geom))
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": _rounded(geometry),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": name,
        "crs_note": "EPSG:4326 lon/lat; exterior rings clockwise "
        "(d3/plotly geo convention)",
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode())


def _rounded(geometry: Mapping[str, Any]) -> dict[str, Any]:
    def walk(value: object) -> object:
        if isinstance(value, float):
            return round(value, DECIMALS)
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return {**geometry, "coordinates": walk(geometry["coordinates"])}
