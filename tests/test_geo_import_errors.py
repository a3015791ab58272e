"""Bad boundary files: a clear BoundaryImportError, and the database unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import Engine

from data.boundaries import boundary_version, load_boundaries
from geo.pipeline import build_approximate, import_boundaries
from geo.quality import MISPLACED_MAX_SHARE
from geo.reading import BoundaryImportError, PlacementError
from tests.conftest import boundary_file


def _snapshot(engine: Engine) -> tuple[str, list]:
    with engine.connect() as conn:
        version = boundary_version(conn)
        rows = load_boundaries(conn, tree="legacy", level=None)
    rows = rows.sort_values("unit_id")
    columns = ["unit_id", "geom_wkb", "approximate", "source"]
    return version, rows[columns].values.tolist()


def _communes() -> gpd.GeoDataFrame:
    return gpd.read_file(boundary_file("gia_lai_communes.geojson"))


def _missing(tmp: Path) -> Path:
    return tmp / "nowhere.geojson"


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.geojson"
    path.write_bytes(b"")
    return path


def _invalid_json(tmp: Path) -> Path:
    path = tmp / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [ {"type": ', "utf-8")
    return path


def _no_features(tmp: Path) -> Path:
    path = tmp / "none.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    return path


def _points(tmp: Path) -> Path:
    path = tmp / "points.geojson"
    frame = _communes()
    frame.set_geometry(shapely.point_on_surface(frame.geometry.to_numpy())).to_file(
        path
    )
    return path


def _lines(tmp: Path) -> Path:
    path = tmp / "lines.geojson"
    frame = _communes()
    frame.set_geometry(shapely.boundary(frame.geometry.to_numpy())).to_file(path)
    return path


def _no_usable_field(tmp: Path) -> Path:
    path = tmp / "anonymous.geojson"
    frame = _communes()[["area_km2", "geometry"]].assign(colour="green")
    frame.to_file(path)
    return path


def _nothing_matches(tmp: Path) -> Path:
    path = tmp / "elsewhere.geojson"
    frame = _communes()[["code_2025", "geometry"]]
    frame.assign(code_2025="99" + frame["code_2025"].str[2:]).to_file(path)
    return path


def _shapefile(tmp: Path, name: str) -> Path:
    path = tmp / f"{name}.shp"
    _communes()[["code_2025", "name", "geometry"]].to_crs(3405).to_file(path)
    return path


def _garbage_prj(tmp: Path) -> Path:
    path = _shapefile(tmp, "garbage")
    path.with_suffix(".prj").write_text("this is not a projection", "utf-8")
    return path


def _no_prj(tmp: Path) -> Path:
    path = _shapefile(tmp, "noprj")
    path.with_suffix(".prj").unlink()
    return path


def _lon_lat_swapped_crs(tmp: Path) -> Path:
    """Projected metres in a GeoJSON that claims nothing (so lon/lat is assumed)."""
    path = tmp / "metres.geojson"
    frame = _communes()[["code_2025", "geometry"]].to_crs(3405)
    path.write_text(frame.set_crs(None, allow_override=True).to_json(), "utf-8")
    return path


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (_missing, r"nowhere\.geojson: file not found"),
    "empty": (_empty, r"empty\.geojson: the file is empty"),
    "invalid json": (_invalid_json, r"broken\.geojson: invalid JSON at line 2"),
    "no features": (_no_features, r"none\.geojson: .*no features"),
    "points": (_points, r"points\.geojson: row 1 is a Point, not a polygon"),
    "lines": (_lines, r"lines\.geojson: row 1 is a LineString, not a polygon"),
    "no usable field": (
        _no_usable_field,
        r"anonymous\.geojson: no field holds unit codes or names; "
        r"the fields are area_km2, colour",
    ),
    "nothing matches": (
        _nothing_matches,
        r"elsewhere\.geojson: field code_2025 looks like codes but none is a loaded "
        r"unit \(e\.g\. 99557",
    ),
    "garbage prj": (_garbage_prj, r"garbage\.shp: the \.prj file does not describe"),
    "no prj": (_no_prj, r"noprj\.shp: the file declares no CRS \(no \.prj\)"),
    "metres as degrees": (_lon_lat_swapped_crs, r"metres\.geojson: .*is the CRS right"),
}


@pytest.fixture
def approx(gia_lai: Engine) -> Engine:
    build_approximate(gia_lai)
    return gia_lai


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_file_is_refused_and_nothing_changes(
    approx: Engine, tmp_path, case
) -> None:
    make, message = BROKEN[case]
    path = make(tmp_path)
    before = _snapshot(approx)
    with pytest.raises(BoundaryImportError, match=message):
        import_boundaries(approx, [path])
    assert _snapshot(approx) == before


def test_one_bad_file_among_good_ones_writes_nothing(approx: Engine, tmp_path) -> None:
    before = _snapshot(approx)
    good = boundary_file("gia_lai_communes.geojson")
    with pytest.raises(BoundaryImportError, match="points.geojson"):
        import_boundaries(approx, [good, _points(tmp_path)])
    assert _snapshot(approx) == before


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"code_field": "gso"}, r"no code field 'gso'; the fields are code, name"),
        ({"name_field": "ten"}, r"no name field 'ten'"),
        ({"crs": "EPSG:999999"}, r"crs 'EPSG:999999' is not a known CRS"),
    ],
)
def test_bad_option_names_the_field(approx: Engine, option, message) -> None:
    before = _snapshot(approx)
    with pytest.raises(BoundaryImportError, match=message):
        import_boundaries(approx, [boundary_file("gia_lai_communes.geojson")], **option)
    assert _snapshot(approx) == before


def test_no_file_at_all(approx: Engine) -> None:
    with pytest.raises(BoundaryImportError, match="no file given"):
        import_boundaries(approx, [])


# --- files in the wrong place: refused, with the CRS assumed and the one that fits


def _shifted(tmp: Path) -> Path:
    """The real communes moved 140° west: valid lon/lat, nowhere near Gia Lai."""
    path = tmp / "shifted.geojson"
    frame = _communes()
    moved = shapely.transform(frame.geometry.to_numpy(), lambda xy: xy + [-140, 0])
    frame.set_geometry(moved).to_file(path)
    return path


def _utm48n(tmp: Path) -> Path:
    path = tmp / "utm48n.gpkg"
    _communes()[["code_2025", "name", "geometry"]].to_crs(32648).to_file(path)
    return path


def test_a_shifted_file_is_refused(approx: Engine, tmp_path) -> None:
    path = _shifted(tmp_path)
    before = _snapshot(approx)
    with pytest.raises(PlacementError) as refused:
        import_boundaries(approx, [path])
    message = str(refused.value)
    assert message.startswith(f"{path}: 222 of 222 matched features lie outside")
    assert "read as EPSG:4326 (WGS 84), declared by the file" in message
    assert "no usual CRS fits" in message
    assert "look shifted, about 140.0° west and 0.0° north" in message
    assert "218 of 218 matched units lie outside their official boxes" in message
    assert "--force" in message
    assert _snapshot(approx) == before


def test_a_wrong_crs_is_refused_and_the_right_one_named(
    approx: Engine, tmp_path
) -> None:
    path = _utm48n(tmp_path)
    before = _snapshot(approx)
    with pytest.raises(PlacementError) as refused:
        import_boundaries(approx, [path], crs="EPSG:32649")
    message = str(refused.value)
    assert "read as EPSG:32649 (WGS 84 / UTM zone 49N), given with --crs" in message
    assert "EPSG:32648 (WGS 84 / UTM zone 48N)" in message
    assert "--crs EPSG:32648" in message and "look shifted" not in message
    # metres read as degrees: not even lon/lat, and the fitting CRS is named too
    with pytest.raises(BoundaryImportError) as refused:
        import_boundaries(approx, [path], crs="EPSG:4326")
    message = str(refused.value)
    assert "not longitude/latitude after reading them as EPSG:4326" in message
    assert "--crs EPSG:32648" in message
    assert _snapshot(approx) == before


def test_force_imports_a_misplaced_file_and_says_so(approx: Engine, tmp_path) -> None:
    report = import_boundaries(
        approx, [_utm48n(tmp_path)], crs="EPSG:32649", force=True
    )
    assert report.placement_forced and report.written > 218
    assert len(report.misplaced) == report.placement_checked == 218
    assert "placement check overridden with --force: 218 of 218" in report.format()
    with approx.connect() as conn:
        stored = load_boundaries(conn, tree="legacy", level="commune")
    assert len(stored) == 218 and not stored["approximate"].any()


def test_a_few_units_outside_their_box_do_not_stop_an_import(
    approx: Engine, tmp_path
) -> None:
    """Up to the stated share may lie outside (loose official boxes, a unit
    moved by mistake): they are listed, the file is imported."""
    frame = _communes()
    allowed = int(MISPLACED_MAX_SHARE * 218) - 2  # the real file has 2 already
    moved = frame["code_2025"].isin(frame["code_2025"].unique()[:allowed])
    geoms = frame.geometry.to_numpy()
    geoms[moved.to_numpy()] = shapely.transform(
        geoms[moved.to_numpy()], lambda xy: xy + [-140, 0]
    )
    path = tmp_path / "some.geojson"
    frame.set_geometry(geoms).to_file(path)
    report = import_boundaries(approx, [path])
    assert not report.placement_forced
    assert len(report.misplaced) >= allowed and report.matched_count() == 218
