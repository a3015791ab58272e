"""The July-2025 communes from their predecessors' real boundaries.

Where every legacy commune that went into a new province has a real (imported,
not approximate) boundary, the new province's communes are drawn from them through
the crosswalk instead of from Voronoi cells:

* a legacy commune that went whole into one new commune gives it its polygon;
* a **divided** legacy commune (several successors) is split by the rule
  ``SPLIT_RULE``: the Voronoi diagram of its successors' official centre points,
  clipped to the legacy polygon, so the pieces lie inside it and tile it; the
  areas of the real pieces are not known, so the edges between the pieces are
  approximate and the successors' source says so (``EDGE_APPROXIMATE``);
* a new commune is the union of its pieces; the communes are then cleaned into one
  coverage (legacy files cleaned one province at a time do not share vertices
  along the province border), and the province and the country are their union.

The stored rows are real (``approximate`` false); ``edge_approximate`` tells from
a boundary's source whether one of its edges is a split of that kind.  Provinces
that lack a real predecessor boundary keep their approximate cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection

from data.boundaries import load_boundaries
from data.reform import crosswalk_frame
from data.reform.load import LEGACY_TREE, NEW_TREE
from data.units import units_frame
from geo.approximate import voronoi_cells
from geo.coverage import (
    BoundaryRow,
    coverage_clean,
    dissolve_groups,
    dissolve_up,
)
from geo.hierarchy import ancestor_ids

SPLIT_RULE = "Voronoi of the successors' centre points, clipped to the legacy polygon"
DERIVED_PREFIX = "derived from legacy boundaries"
EDGE_APPROXIMATE = f"edge approximate (divided commune split by {SPLIT_RULE})"
_SOURCE_MAX = 255
# Successors sharing one centre point are moved this far apart (degrees, ~1 m).
_APART = 1e-5


def edge_approximate(source: str | None) -> bool:
    """Whether a stored boundary's source says one of its edges is approximate."""
    return bool(source) and EDGE_APPROXIMATE in str(source)


def is_derived(source: str | None) -> bool:
    return bool(source) and str(source).startswith(DERIVED_PREFIX)


@dataclass
class DeriveReport:
    """Which new provinces were derived, and which divided communes were split."""

    provinces: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # code -> communes missing
    communes: int = 0
    divided: list[str] = field(default_factory=list)  # legacy codes split
    edge_approximate: int = 0
    coverage_valid: bool = True

    def format(self) -> str:
        if not self.provinces and not self.skipped:
            return "no July-2025 province to derive from real legacy boundaries"
        lines = []
        if self.provinces:
            lines.append(
                f"July-2025 communes derived from real legacy boundaries: "
                f"{self.communes} in province(s) {', '.join(self.provinces)}; "
                f"coverage valid: {self.coverage_valid}"
            )
        if self.divided:
            lines.append(
                f"  {len(self.divided)} divided legacy communes split by {SPLIT_RULE} "
                f"({', '.join(self.divided)}): {self.edge_approximate} new communes "
                "have an approximate edge"
            )
        for code, missing in self.skipped.items():
            lines.append(
                f"  province {code} kept approximate: {missing} predecessor "
                "communes have no real boundary"
            )
        return "\n".join(lines)


def split_divided(legacy: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """``legacy`` split among successors at ``points`` (one piece per point)."""
    points = _apart(np.asarray(points, dtype=object))
    return voronoi_cells(points, legacy)


def _apart(points: np.ndarray) -> np.ndarray:
    seen: set[tuple[float, float]] = set()
    out = []
    for p in points:
        x, y = p.x, p.y
        while (round(x, 7), round(y, 7)) in seen:
            x += _APART
        seen.add((round(x, 7), round(y, 7)))
        out.append(shapely.Point(x, y))
    return np.array(out, dtype=object)


def derive_rows(conn: Connection) -> tuple[list[BoundaryRow], DeriveReport]:
    """Boundary rows of the new communes, provinces and country that can be derived
    from real legacy boundaries (none written here)."""
    report = DeriveReport()
    units = units_frame(conn, tree=NEW_TREE)
    if units.empty:
        return [], report
    pairs = crosswalk_frame(conn)
    legacy = load_boundaries(conn, tree=LEGACY_TREE, level="commune")
    real = legacy[~legacy["approximate"].astype(bool)]
    geoms = pd.Series(
        shapely.from_wkb(real["geom_wkb"].to_numpy()), index=real["code"].to_numpy()
    )
    sources = pd.Series(real["source"].to_numpy(), index=real["code"].to_numpy())
    stored = load_boundaries(conn, tree=NEW_TREE, level=None).set_index("unit_id")
    provinces = _derivable(units, pairs, set(geoms.index), stored, report)
    if not provinces:
        return [], report
    communes = units[(units["level"] == "commune")]
    province_of = ancestor_ids(units, "province")
    communes = communes[province_of.loc[communes.index].isin(provinces)]
    pairs = pairs[pairs["new_code"].isin(communes["code"])]
    pieces, split = _pieces(pairs, geoms, units)
    report.divided = sorted(split)
    by_code = dissolve_groups(pieces.groupby(level=0))
    cells = shapely.make_valid(by_code.to_numpy())
    if not shapely.coverage_is_valid(cells):
        cells = coverage_clean(cells)
    report.coverage_valid = bool(shapely.coverage_is_valid(cells))
    ids = units.set_index("code")["id"]
    derived = pd.Series(cells, index=ids.loc[by_code.index].astype(int).to_numpy())
    rows = _commune_rows(derived, by_code.index, pairs, split, sources, report)
    rows += _parent_rows(units, stored, derived, provinces)
    report.provinces = sorted(units.set_index("id").loc[list(provinces), "code"])
    report.communes = len(derived)
    return rows, report


def _derivable(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    real: set[str],
    stored: pd.DataFrame,
    report: DeriveReport,
) -> set[int]:
    """Ids of the new provinces whose every commune has real predecessors only
    (and no real boundary of its own imported for the new tree)."""
    communes = units[units["level"] == "commune"]
    province = ancestor_ids(units, "province").loc[communes.index]
    has_pairs = communes["code"].isin(pairs["new_code"])
    missing = pairs[~pairs["legacy_code"].isin(real)].groupby("new_code").size()
    own = stored[
        ~stored["approximate"].astype(bool) & ~stored["source"].map(is_derived)
    ].index
    out = set()
    for pid, group in communes.groupby(province):
        lacking = int(group["code"].map(missing).fillna(0).sum())
        lacking += int((~has_pairs.loc[group.index]).sum())
        if lacking:
            report.skipped[str(units.set_index("id").at[int(pid), "code"])] = lacking
        elif not group["id"].isin(own).any():
            out.add(int(pid))
    return out


def _pieces(
    pairs: pd.DataFrame, geoms: pd.Series, units: pd.DataFrame
) -> tuple[pd.Series, set[str]]:
    """Pieces of the legacy polygons by new code; the legacy codes split."""
    centre = units.set_index("code")[["lon", "lat"]].astype(float)
    pieces: dict[str, list[shapely.Geometry]] = {}
    split: set[str] = set()
    heirs_of = pairs.groupby("legacy_code", sort=True)["new_code"].agg(set)
    for key, found in heirs_of.items():
        legacy_code = str(key)
        heirs = sorted(found)
        polygon = geoms[legacy_code]
        if len(heirs) == 1:
            pieces.setdefault(heirs[0], []).append(polygon)
            continue
        split.add(legacy_code)
        points = _centres(heirs, centre, polygon)
        for heir, piece in zip(heirs, split_divided(polygon, points), strict=True):
            if not shapely.is_empty(piece):
                pieces.setdefault(heir, []).append(piece)
    codes = [code for code, parts in pieces.items() for _ in parts]
    flat = [g for parts in pieces.values() for g in parts]
    return pd.Series(flat, index=codes, dtype=object), split


def _centres(
    heirs: list[str], centre: pd.DataFrame, polygon: shapely.Geometry
) -> np.ndarray:
    """The successors' official centre points (missing: the polygon's own)."""
    fallback = shapely.point_on_surface(polygon)
    out = []
    for code in heirs:
        coords = centre.loc[code, ["lon", "lat"]].to_numpy(dtype=float)
        lon, lat = float(coords[0]), float(coords[1])
        out.append(
            fallback if np.isnan(lon) or np.isnan(lat) else shapely.Point(lon, lat)
        )
    return np.array(out, dtype=object)


def _commune_rows(
    derived: pd.Series,
    codes: pd.Index,
    pairs: pd.DataFrame,
    split: set[str],
    sources: pd.Series,
    report: DeriveReport,
) -> list[BoundaryRow]:
    rows: list[BoundaryRow] = []
    by_new = pairs.groupby("new_code")["legacy_code"].agg(list).to_dict()
    source_of = sources.to_dict()
    for uid, code, geom in zip(derived.index, codes, derived.to_numpy(), strict=True):
        legacy = by_new[code]
        files = ", ".join(sorted({str(source_of[c]) for c in legacy}))
        approx_edge = any(c in split for c in legacy)
        report.edge_approximate += approx_edge
        source = DERIVED_PREFIX + (f"; {EDGE_APPROXIMATE}" if approx_edge else "")
        rows.append(
            {
                "unit_id": int(uid),
                "geom_wkb": shapely.to_wkb(geom),
                "approximate": False,
                "source": f"{source}: {files}"[:_SOURCE_MAX],
            }
        )
    return rows


def _parent_rows(
    units: pd.DataFrame,
    stored: pd.DataFrame,
    derived: pd.Series,
    provinces: set[int],
) -> list[BoundaryRow]:
    """The derived provinces and the country, as the union of their communes."""
    communes = set(units.loc[units["level"] == "commune", "id"].astype(int))
    kept = stored[stored.index.isin(communes) & ~stored.index.isin(derived.index)]
    geoms = pd.concat(
        [
            pd.Series(shapely.from_wkb(kept["geom_wkb"].to_numpy()), index=kept.index),
            derived,
        ]
    )
    flags = pd.concat(
        [kept["approximate"].astype(bool), pd.Series(False, index=derived.index)]
    )
    tops = units[units["level"].isin(["province", "country"])]
    tops = tops[(tops["level"] == "country") | tops["id"].isin(provinces)]
    whole = dissolve_up(units, geoms)
    province_of = ancestor_ids(units, "province")
    rows: list[BoundaryRow] = []
    for uid, level in zip(tops["id"].astype(int), tops["level"], strict=True):
        if uid not in whole.index:
            continue
        if level == "province":
            members = units.index[province_of == uid]
            approximate = bool(
                flags.reindex(units.loc[members, "id"]).fillna(False).any()
            )
        else:
            approximate = bool(flags.any())
        rows.append(
            {
                "unit_id": uid,
                "geom_wkb": shapely.to_wkb(whole[uid]),
                "approximate": approximate,
                "source": f"{DERIVED_PREFIX}: union of the communes",
            }
        )
    return rows
