"""Planning an import of real boundaries: read, match, dissolve, decide what changes.

``plan_import`` reads the database but never writes; geo/pipeline.py applies the
plan in one transaction.  Rules:

* several features matched to one unit are dissolved into its geometry;
* the import's scope is the provinces its matched units lie in; there, units of
  the imported level that matched nothing lose an *approximate* geometry (a mix of
  real and Voronoi polygons would overlap) and are listed as left without one;
  geometry imported earlier is kept;
* every ancestor in scope (and up to the root) that was not imported itself and
  holds an approximate or dissolved geometry is rebuilt as the union of its children;
* a file whose units land outside their official boxes (more than
  ``MISPLACED_MAX_SHARE`` of the matched units) is refused, with the CRS assumed
  and the one that would fit, unless ``force`` (then the report says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from sqlalchemy import Connection

from data.boundaries import load_boundaries
from data.units import units_frame
from data.vocabulary import LEVELS
from geo.coverage import BoundaryRow, dissolve_groups, dissolve_up
from geo.fields import Fields, Matched, MatchError, match_features
from geo.hierarchy import BOTTOM_UP, ancestor_ids, descendants
from geo.import_report import (
    FileSummary,
    ImportReport,
    MatchedUnit,
    UnitRef,
    UnmatchedFeature,
)
from geo.quality import (
    MISPLACED_MAX_SHARE,
    crs_label,
    outside_boxes,
    placement_hint,
)
from geo.reading import (
    ROW,
    BoundaryImportError,
    NotLonLatError,
    PlacementError,
    SourceFile,
    read_boundary_file,
)

DISSOLVE_PREFIX = "dissolve of "
_SOURCE_MAX = 255
# Rank of each level, coarsest first: which levels lie above the imported one.
_LEVEL_ORDER = MappingProxyType({level: i for i, level in enumerate(LEVELS)})
_BBOX = ["bbox_west", "bbox_south", "bbox_east", "bbox_north"]
_CRS_ORIGIN = MappingProxyType(
    {
        "given": "given with --crs",
        "declared": "declared by the file",
        "default": "the GeoJSON default",
    }
)


@dataclass
class ImportPlan:
    """What an import would write and delete, with its report."""

    report: ImportReport
    rows: list[BoundaryRow] = field(default_factory=list)
    delete_ids: list[int] = field(default_factory=list)


def read_and_match(
    path: str | Path,
    units: pd.DataFrame,
    *,
    level: str | None,
    fields: Fields,
    crs: str | None,
) -> tuple[SourceFile, Matched]:
    """Read one file and match its features, naming the file in any error."""
    try:
        source = read_boundary_file(path, crs)
    except NotLonLatError as exc:  # which CRS would fit, if the features match
        try:
            matched = match_features(exc.source.frame, units, level, fields)
        except MatchError:
            raise exc from None
        assert exc.source.native is not None
        boxes = _boxes(units, matched.unit_ids)
        hint = placement_hint(exc.source.native, None, boxes)
        raise BoundaryImportError(f"{exc}\n{hint}") from exc
    try:
        matched = match_features(source.frame, units, level, fields)
    except MatchError as exc:
        raise BoundaryImportError(f"{source.path}: {exc}") from exc
    return source, matched


def _boxes(units: pd.DataFrame, unit_ids: pd.Series) -> np.ndarray:
    """The official box of each feature's unit (None: unmatched, or no box)."""
    # float: a tree without boxes (July 2025) reads them as None, not NaN.
    bbox = units.set_index("id")[_BBOX].astype(float)
    bbox = bbox[bbox.notna().all(axis=1)]
    boxes = pd.Series(_box_array(bbox), bbox.index)
    found = [boxes.get(int(uid)) if pd.notna(uid) else None for uid in unit_ids]
    return np.array(found, dtype=object)


def _box_array(bbox: pd.DataFrame) -> npt.NDArray[np.object_]:
    """One box per row of ``_BBOX`` columns."""
    west, south, east, north = (bbox[c].to_numpy(dtype=float) for c in _BBOX)
    return shapely.box(west, south, east, north)


def _summary(source: SourceFile, matched: Matched) -> FileSummary:
    return FileSummary(
        path=source.path,
        features=len(source.frame) + len(source.empty_rows),
        crs=source.crs,
        level=matched.level,
        code_field=matched.fields.code,
        name_field=matched.fields.name,
        parent_field=matched.fields.parent,
        layer=source.layer,
        repaired_rows=tuple(source.repaired_rows),
        empty_rows=tuple(source.empty_rows),
    )


def _features(source: SourceFile, matched: Matched) -> pd.DataFrame:
    frame = source.frame
    return pd.DataFrame(
        {
            "file": source.path.name,
            "row": frame[ROW].astype(int).to_numpy(),
            "unit_id": matched.unit_ids.to_numpy(),
            "method": matched.methods.to_numpy(),
            "level": matched.level,
            "code": _text(frame, matched.fields.code),
            "name": _text(frame, matched.fields.name or _first_text(frame)),
            "geometry": frame.geometry.to_numpy(),
        }
    )


def _text(frame: pd.DataFrame, column: str | None) -> list[str | None]:
    if column is None:
        return [None] * len(frame)
    return [None if pd.isna(v) else str(v) for v in frame[column]]


def _first_text(frame: gpd.GeoDataFrame) -> str | None:
    """A property to show for unmatched features when no name field was used."""
    for column in frame.columns:
        if column != frame.geometry.name and frame[column].dtype == object:
            return str(column)
    return None


def _matched_units(features: pd.DataFrame, units: pd.DataFrame) -> list[MatchedUnit]:
    by_id = units.set_index("id")
    hits = features[features["unit_id"].notna()]
    return [
        MatchedUnit(
            unit_id=int(uid),
            code=str(by_id.at[uid, "code"]),
            name=str(by_id.at[uid, "name"]),
            level=str(by_id.at[uid, "level"]),
            methods=tuple(group["method"]),
            rows=tuple(zip(group["file"], group["row"].astype(int), strict=True)),
        )
        for uid, group in hits.groupby(hits["unit_id"].astype(int), sort=False)
    ]


def _unmatched(features: pd.DataFrame) -> list[UnmatchedFeature]:
    misses = features[features["unit_id"].isna()]
    return [
        UnmatchedFeature(file, row, code, name)
        for file, row, code, name in zip(
            misses["file"],
            misses["row"].astype(int),
            misses["code"],
            misses["name"],
            strict=True,
        )
    ]


def _scope(units: pd.DataFrame, unit_ids: set[int]) -> set[int]:
    """Every unit in the provinces the matched units lie in (all if no provinces)."""
    provinces = ancestor_ids(units, "province")[units["id"].isin(unit_ids)].dropna()
    if provinces.empty:
        return set(units["id"].astype(int))
    return descendants(units, set(provinces.astype(int)))


def plan_import(
    conn: Connection,
    paths: Sequence[str | Path],
    *,
    level: str | None = None,
    fields: Fields | None = None,
    crs: str | None = None,
    tree: str = "legacy",
    force: bool = False,
) -> ImportPlan:
    """Read and match the files and work out what the import changes (no writes).

    ``PlacementError`` when the units mostly land outside their official boxes,
    unless ``force``."""
    fields = fields or Fields()
    if not paths:
        raise BoundaryImportError("no file given")
    units = units_frame(conn, tree=tree)
    stored = load_boundaries(conn, tree=tree, level=None).set_index("unit_id")
    parts = [
        read_and_match(p, units, level=level, fields=fields, crs=crs) for p in paths
    ]
    features = pd.concat([_features(s, m) for s, m in parts], ignore_index=True)
    report = ImportReport(files=[_summary(s, m) for s, m in parts])
    report.matched = _matched_units(features, units)
    report.unmatched = _unmatched(features)
    imported = _dissolved(features)
    report.misplaced = _misplaced(units, imported)
    _check_placement(parts, units, imported, report, force)
    return _changes(units, stored, imported, features, report)


def _check_placement(
    parts: list[tuple[SourceFile, Matched]],
    units: pd.DataFrame,
    imported: pd.Series,
    report: ImportReport,
    force: bool,
) -> None:
    """Refuse files whose units mostly land outside their official boxes: say
    in which CRS they were read and which would fit (or that they look shifted).
    With ``force`` the report records the override instead."""
    bbox = units.set_index("id").loc[imported.index, _BBOX].astype(float)
    checked = int(bbox.notna().all(axis=1).sum())
    report.placement_checked = checked
    outside = len(report.misplaced)
    if outside <= MISPLACED_MAX_SHARE * checked:
        return
    if force:
        report.placement_forced = True
        return
    lines = []
    for source, matched in parts:
        boxes = _boxes(units, matched.unit_ids)
        geoms = source.frame.geometry.to_numpy()
        missed = int(outside_boxes(geoms, boxes).sum())
        known = int((~shapely.is_missing(boxes)).sum())
        if missed <= MISPLACED_MAX_SHARE * known:
            continue
        assert source.native is not None
        lines.append(
            f"{source.path}: {missed} of {known} matched features lie outside their "
            f"unit's official box with the coordinates read as "
            f"{crs_label(source.crs)}, {_CRS_ORIGIN[source.crs_origin]}; "
            + placement_hint(source.native, geoms, boxes)
        )
    limit = f"{MISPLACED_MAX_SHARE:.0%}".replace("%", " %")
    lines.append(
        f"{outside} of {checked} matched units lie outside their official boxes "
        f"(more than {limit}): a wrong CRS or shifted coordinates; --force "
        "imports the file(s) anyway."
    )
    raise PlacementError("\n".join(lines))


def _dissolved(features: pd.DataFrame) -> pd.Series:
    """One geometry per matched unit: its features' union."""
    hits = features[features["unit_id"].notna()]
    geoms = dissolve_groups(hits.groupby("unit_id")["geometry"])
    geoms.index = geoms.index.astype(int)
    return geoms


def _misplaced(units: pd.DataFrame, imported: pd.Series) -> list[UnitRef]:
    rows = units.set_index("id").loc[imported.index]
    # float: a tree without boxes (July 2025) reads them as None, not NaN.
    bbox = rows[_BBOX].astype(float)
    boxes = _box_array(bbox)
    known = bbox.notna().all(axis=1)
    apart = known.to_numpy() & ~shapely.intersects(imported.to_numpy(), boxes)
    return _refs(rows[apart])


def _refs(rows: pd.DataFrame) -> list[UnitRef]:
    return [
        UnitRef(str(code), str(name), str(level))
        for code, name, level in zip(
            rows["code"], rows["name"], rows["level"], strict=True
        )
    ]


def _changes(
    units: pd.DataFrame,
    stored: pd.DataFrame,
    imported: pd.Series,
    features: pd.DataFrame,
    report: ImportReport,
) -> ImportPlan:
    scope = _scope(units, set(imported.index))
    levels = set(features["level"])
    lost = _losing_units(units, stored, imported, scope, levels)
    targets = _rebuild_targets(units, stored, imported, scope, levels)
    geoms = _current_geometries(stored, set(lost) | targets | set(imported.index))
    geoms = dissolve_up(units, pd.concat([geoms, imported]))
    rebuilt = geoms[geoms.index.isin(targets)]
    gone = (set(lost) | targets) - set(imported.index) - set(rebuilt.index)
    by_id = units.set_index("id")
    report.left_without_geometry = _refs(_rows(by_id, gone))
    report.rebuilt = _refs(_rows(by_id, set(rebuilt.index)))
    files = ", ".join(sorted(set(features["file"])))
    rows = _import_rows(imported, features)
    flags = _approximate_flags(
        units, stored, imported, set(lost) | targets, set(rebuilt.index)
    )
    rows += _rebuild_rows(rebuilt, flags, files)
    delete_ids = sorted(i for i in gone if i in stored.index)
    report.written, report.deleted = len(rows), len(delete_ids)
    return ImportPlan(report, rows, delete_ids)


def _rows(by_id: pd.DataFrame, ids: set[int]) -> pd.DataFrame:
    rows = by_id.loc[sorted(ids)].reset_index()
    rows["rank"] = rows["level"].map(_LEVEL_ORDER)
    return rows.sort_values(["rank", "code"])


def _losing_units(
    units: pd.DataFrame,
    stored: pd.DataFrame,
    imported: pd.Series,
    scope: set[int],
    levels: set[str],
) -> list[int]:
    """Unmatched units of the imported levels in scope, unless already real."""
    candidates = units[units["level"].isin(levels) & units["id"].isin(scope)]
    ids = set(candidates["id"].astype(int)) - set(imported.index)
    return sorted(ids - set(stored.index[~stored["approximate"].astype(bool)]))


def _dissolved_ids(stored: pd.DataFrame) -> set[int]:
    return set(stored.index[stored["source"].str.startswith(DISSOLVE_PREFIX)])


def _rebuild_targets(
    units: pd.DataFrame,
    stored: pd.DataFrame,
    imported: pd.Series,
    scope: set[int],
    levels: set[str],
) -> set[int]:
    """Ancestors of the imported levels in scope, and the path up to the root."""
    finest = max(levels, key=_LEVEL_ORDER.__getitem__)
    above = [lv for lv in BOTTOM_UP if _LEVEL_ORDER[lv] < _LEVEL_ORDER[finest]]
    in_scope = units["id"].isin(scope) | units["level"].isin(["country"])
    candidates = set(units.loc[in_scope & units["level"].isin(above), "id"].astype(int))
    real = set(stored.index[~stored["approximate"].astype(bool)])
    keep = (real - _dissolved_ids(stored)) | set(imported.index)
    return candidates - keep


def _current_geometries(stored: pd.DataFrame, drop: set[int]) -> pd.Series:
    kept = stored[~stored.index.isin(drop)]
    return pd.Series(shapely.from_wkb(kept["geom_wkb"].to_numpy()), index=kept.index)


def _import_rows(imported: pd.Series, features: pd.DataFrame) -> list[BoundaryRow]:
    files = (
        features[features["unit_id"].notna()]
        .groupby("unit_id")["file"]
        .agg(lambda f: ", ".join(sorted(set(f))))
    )
    return [
        {
            "unit_id": int(uid),
            "geom_wkb": shapely.to_wkb(geom),
            "approximate": False,
            "source": files[uid][:_SOURCE_MAX],
        }
        for uid, geom in zip(imported.index, imported.to_numpy(), strict=True)
    ]


def _rebuild_rows(
    rebuilt: pd.Series, flags: pd.Series, files: str
) -> list[BoundaryRow]:
    source = (DISSOLVE_PREFIX + files)[:_SOURCE_MAX]
    return [
        {
            "unit_id": int(uid),
            "geom_wkb": shapely.to_wkb(geom),
            "approximate": bool(flags.get(uid, False)),
            "source": source,
        }
        for uid, geom in zip(rebuilt.index, rebuilt.to_numpy(), strict=True)
    ]


def _approximate_flags(
    units: pd.DataFrame,
    stored: pd.DataFrame,
    imported: pd.Series,
    dropped: set[int],
    rebuilt: set[int],
) -> pd.Series:
    """A rebuilt unit is approximate if any child it is built from is."""
    kept = (
        stored["approximate"]
        .astype(bool)
        .drop(list(dropped | set(imported.index)), errors="ignore")
    )
    flags = pd.concat([kept, pd.Series(False, index=imported.index)])
    for level in BOTTOM_UP[1:]:
        at_level = units[(units["level"] == level) & units["id"].isin(rebuilt)]
        children = units[units["parent_id"].isin(at_level["id"])]
        # children without a flag have no geometry: they are not part of the union
        child_flags = children.set_index("parent_id")["id"].map(flags).dropna()
        grouped = child_flags.astype(bool).groupby(level=0).any()
        grouped.index = grouped.index.astype(int)
        flags = pd.concat([flags, grouped])
    return flags
