"""Reading a boundary file (GeoJSON, Shapefile, zipped Shapefile, GeoPackage).

Everything that can be wrong with the file itself is found here and raised as a
``BoundaryImportError`` naming the file and, where it applies, the row or field;
the result is polygons in EPSG:4326 with a 1-based ``row`` number per feature.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

ROW = "_row"
_JSON_SUFFIXES = {".geojson", ".json"}
_POLYGONAL = {"Polygon", "MultiPolygon"}


class BoundaryImportError(Exception):
    """A boundary file cannot be imported; the message says which file and why."""


class NotLonLatError(BoundaryImportError):
    """The coordinates, read in the CRS assumed, are not longitude/latitude;
    ``source`` holds the file as read (in that CRS), so that the importer can
    say which CRS would fit."""

    def __init__(self, message: str, source: SourceFile) -> None:
        super().__init__(message)
        self.source = source


class PlacementError(BoundaryImportError):
    """Too many units land outside their official boxes: a wrong CRS or shifted
    coordinates (``force`` imports the file anyway)."""


@dataclass
class SourceFile:
    """The features of one file, as polygons in EPSG:4326.

    ``native``: the same polygons in the CRS they were read in (``crs``, which
    came from ``crs_origin``: "given", "declared" by the file, or the GeoJSON
    "default"), for trying other CRSs when the file lands in the wrong place."""

    path: Path
    frame: gpd.GeoDataFrame
    crs: str
    layer: str | None = None
    repaired_rows: list[int] = field(default_factory=list)
    empty_rows: list[int] = field(default_factory=list)
    native: gpd.GeoSeries | None = None
    crs_origin: str = "declared"


def read_boundary_file(path: str | Path, crs: str | None = None) -> SourceFile:
    """Read one file; ``crs`` is the coordinates' CRS when the file declares none."""
    path = Path(path)
    declares_crs = _check_readable(path)
    layer = _polygon_layer(path)
    frame = _read(path, layer)
    if frame.empty:
        raise BoundaryImportError(f"{path}: the file has no features")
    frame[ROW] = np.arange(1, len(frame) + 1)
    origin = "given" if crs is not None else "declared" if declares_crs else "default"
    frame = _with_crs(frame, path, crs)
    _check_geometry_types(frame, path)
    assert frame.crs is not None  # _with_crs gives every frame one or raises
    source = SourceFile(path, frame, frame.crs.to_string(), layer, crs_origin=origin)
    source.frame = _repair(frame, source)
    source.native = source.frame.geometry
    source.frame = source.frame.to_crs(4326)
    _check_lon_lat(source)
    return source


def _check_readable(path: Path) -> bool:
    """Whether the file declares its CRS (a GeoJSON file without a "crs" member
    is lon/lat by default); BoundaryImportError when it cannot be read."""
    if not path.exists():
        raise BoundaryImportError(f"{path}: file not found")
    if path.is_file() and path.stat().st_size == 0:
        raise BoundaryImportError(f"{path}: the file is empty")
    if path.suffix.lower() in _JSON_SUFFIXES:
        return _check_json(path)
    return True


def _check_json(path: Path) -> bool:
    """Parse it once ourselves: GDAL's message for broken JSON is vague.  Whether
    it names its CRS (the old "crs" member)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BoundaryImportError(f"{path}: not UTF-8 text ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryImportError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict) or data.get("type") not in {
        "FeatureCollection",
        "Feature",
    }:
        raise BoundaryImportError(f"{path}: JSON but not a GeoJSON FeatureCollection")
    if data["type"] == "FeatureCollection" and not data.get("features"):
        raise BoundaryImportError(f"{path}: the FeatureCollection has no features")
    return "crs" in data


def _polygon_layer(path: Path) -> str | None:
    """The first layer with polygons (a GeoPackage may hold several)."""
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # noqa: BLE001 - GDAL raises several types here
        raise BoundaryImportError(
            f"{path}: cannot be read as GeoJSON, Shapefile or GeoPackage ({exc})"
        ) from exc
    if len(layers) <= 1:
        return None
    for name, geometry_type in layers:
        if geometry_type and "polygon" in str(geometry_type).lower():
            return str(name)
    return str(layers[0][0])


def _read(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - GDAL raises several types here
        raise BoundaryImportError(
            f"{path}: cannot be read as GeoJSON, Shapefile or GeoPackage ({exc})"
        ) from exc


def _has_prj(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return any(n.lower().endswith(".prj") for n in archive.namelist())
    return any(path.with_suffix(s).exists() for s in (".prj", ".PRJ"))


def _with_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> gpd.GeoDataFrame:
    if crs is not None:
        try:
            return frame.set_crs(CRS.from_user_input(crs), allow_override=True)
        except CRSError as exc:
            message = f"{path}: crs {crs!r} is not a known CRS"
            raise BoundaryImportError(message) from exc
    if frame.crs is not None:
        return frame
    if path.suffix.lower() in _JSON_SUFFIXES:
        return frame.set_crs(4326)  # RFC 7946: GeoJSON is lon/lat unless it says so
    if _has_prj(path):
        raise BoundaryImportError(
            f"{path}: the .prj file does not describe a CRS that can be read; "
            "pass the file's CRS explicitly (e.g. crs='EPSG:3405')"
        )
    raise BoundaryImportError(
        f"{path}: the file declares no CRS (no .prj); pass it explicitly, "
        "e.g. crs='EPSG:4326' or 'EPSG:3405' (VN-2000 / UTM 48N)"
    )


def _check_geometry_types(frame: gpd.GeoDataFrame, path: Path) -> None:
    kinds = frame.geometry.geom_type
    wrong = kinds.notna() & ~kinds.isin(_POLYGONAL | {"GeometryCollection"})
    if wrong.any():
        first = int(np.flatnonzero(wrong.to_numpy())[0])
        raise BoundaryImportError(
            f"{path}: row {first + 1} is a {kinds.iloc[first]}, not a polygon "
            f"({int(wrong.sum())} of {len(frame)} features are not polygons)"
        )


def _repair(frame: gpd.GeoDataFrame, source: SourceFile) -> gpd.GeoDataFrame:
    """Make geometries valid 2-D polygons; note rows repaired and rows left empty."""
    geoms = shapely.force_2d(frame.geometry.to_numpy())
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid])
    geoms = _polygons_only(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    source.repaired_rows = frame.loc[invalid, ROW].astype(int).tolist()
    source.empty_rows = frame.loc[empty, ROW].astype(int).tolist()
    if empty.all():
        raise BoundaryImportError(f"{source.path}: no feature has a polygon geometry")
    series = gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs)
    return frame.set_geometry(series)[~empty].copy()


def _polygons_only(geoms: np.ndarray) -> np.ndarray:
    """Drop the points and lines ``make_valid`` or a collection can leave behind."""
    mixed = shapely.get_type_id(geoms) == shapely.GeometryType.GEOMETRYCOLLECTION
    for i in np.flatnonzero(mixed):
        parts = shapely.get_parts(geoms[i])
        polygons = parts[shapely.get_dimensions(parts) == 2]
        geoms[i] = shapely.union_all(polygons) if len(polygons) else None
    return geoms


def _check_lon_lat(source: SourceFile) -> None:
    west, south, east, north = source.frame.total_bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        assert source.native is not None
        source.frame = source.frame.set_geometry(source.native)  # as read
        raise NotLonLatError(
            f"{source.path}: coordinates are not longitude/latitude after reading them "
            f"as {source.crs}; is the CRS right?",
            source,
        )
