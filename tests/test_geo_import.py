"""Importing real boundaries: the shipped Gia Lai files, other formats and CRSs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import Engine

import geo.pipeline
from data.boundaries import boundary_version, load_boundaries
from geo.importer import plan_import
from geo.pipeline import build_approximate, import_boundaries
from tests.conftest import boundary_file

MERGED = {"23586", "23590", "23674", "23761"}  # dissolved from two 2019 polygons


@pytest.fixture
def approx(gia_lai: Engine) -> Engine:
    """Gia Lai with its approximate boundaries stored."""
    build_approximate(gia_lai)
    return gia_lai


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    return gpd.read_file(boundary_file("gia_lai_communes.geojson"))


def _stored(engine: Engine, level: str | None = None):
    with engine.connect() as conn:
        return load_boundaries(conn, tree="legacy", level=level)


def _snapshot(engine: Engine) -> tuple[str, list]:
    with engine.connect() as conn:
        version = boundary_version(conn)
    rows = _stored(engine).sort_values("unit_id")
    columns = ["unit_id", "geom_wkb", "approximate", "source"]
    return version, rows[columns].values.tolist()


def _geoms(engine: Engine, level: str):
    frame = _stored(engine, level)
    return frame.set_index("code")["geom_wkb"].map(shapely.from_wkb)


def test_shipped_commune_file_gives_218_units(approx: Engine) -> None:
    report = import_boundaries(approx, [boundary_file("gia_lai_communes.geojson")])
    assert report.matched_count("commune") == 218
    assert report.files[0].level == "commune"
    assert report.files[0].code_field == "code_2025"
    assert report.unmatched == [] and report.left_without_geometry == []
    assert {m.code for m in report.dissolves} == MERGED
    assert all(len(m.rows) == 2 for m in report.dissolves)
    stored = _stored(approx)
    communes = stored[stored["level"] == "commune"]
    assert len(communes) == 218 and not communes["approximate"].any()
    assert {r.code for r in report.rebuilt} == set(
        stored.loc[stored["level"] != "commune", "code"]
    )
    assert not stored["approximate"].any()
    text = report.format()
    assert "matched units: 218" in text and "23674 Xã Kông Bơ La: rows 55, 56" in text


def test_districts_are_the_union_of_imported_communes(approx: Engine) -> None:
    import_boundaries(approx, [boundary_file("gia_lai_communes.geojson")])
    real = gpd.read_file(boundary_file("gia_lai_districts.geojson")).set_index("code")
    districts = _geoms(approx, "district")
    assert len(districts) == 17
    for code, geom in districts.items():
        diff = shapely.symmetric_difference(geom, real.geometry[code])
        assert shapely.area(diff) < 1e-6 * shapely.area(geom), code


def test_shipped_district_file_gives_17_units(approx: Engine) -> None:
    report = import_boundaries(approx, [boundary_file("gia_lai_districts.geojson")])
    assert report.files[0].level == "district"
    assert report.matched_count("district") == 17
    assert [r.code for r in report.rebuilt] == ["VN", "64"]
    stored = _stored(approx)
    # the communes keep their approximate polygons: only districts were imported
    assert stored.loc[stored["level"] == "commune", "approximate"].all()
    assert not stored.loc[stored["level"] != "commune", "approximate"].any()


def test_both_files_at_once_keep_the_imported_districts(approx: Engine) -> None:
    report = import_boundaries(
        approx,
        [
            boundary_file("gia_lai_communes.geojson"),
            boundary_file("gia_lai_districts.geojson"),
        ],
    )
    assert report.matched_count() == 235
    assert [r.code for r in report.rebuilt] == ["VN", "64"]
    sources = _stored(approx, "district")["source"]
    assert set(sources) == {"gia_lai_districts.geojson"}


def test_older_code_field_leaves_the_merged_communes_unmatched(approx: Engine) -> None:
    report = import_boundaries(
        approx, [boundary_file("gia_lai_communes.geojson")], code_field="code"
    )
    assert report.matched_count() == 218
    assert sorted(u.code for u in report.unmatched) == [
        "23587",
        "23593",
        "23671",
        "23758",
    ]
    assert sorted(u.row for u in report.unmatched) == [15, 17, 55, 87]
    assert report.dissolves == []


def test_dry_run_reports_and_writes_nothing(approx: Engine) -> None:
    before = _snapshot(approx)
    report = import_boundaries(
        approx, [boundary_file("gia_lai_communes.geojson")], dry_run=True
    )
    assert report.matched_count() == 218 and report.written == 237
    assert "would write 237" in report.format()
    assert _snapshot(approx) == before


def test_partial_file_removes_approximate_neighbours(
    approx: Engine, communes, tmp_path
) -> None:
    path = tmp_path / "pleiku.geojson"
    communes[communes["district_code"] == "622"].to_file(path)
    report = import_boundaries(approx, [path])
    assert report.matched_count() == 21
    lost = {(u.level, u.code) for u in report.left_without_geometry}
    assert len([u for u in lost if u[0] == "commune"]) == 218 - 21
    assert len([u for u in lost if u[0] == "district"]) == 16
    stored = _stored(approx)
    assert set(stored["level"]) == {"commune", "district", "province", "country"}
    assert len(stored) == 21 + 1 + 1 + 1 and not stored["approximate"].any()
    by_code = stored.set_index("code")["geom_wkb"].map(shapely.from_wkb)
    assert shapely.equals(by_code["64"], by_code["622"])


def test_name_only_matching_within_district(approx: Engine, communes, tmp_path) -> None:
    path = tmp_path / "names.geojson"
    communes.drop(columns=["code", "code_2025"]).to_file(path)
    by_gso = import_boundaries(approx, [path], name_field="name", dry_run=True)
    by_source = import_boundaries(approx, [path], name_field="src_name", dry_run=True)
    assert by_gso.files[0].parent_field == "district_code"
    # GSO names: all but Kông Bơ La (renamed in 2024); source names also miss
    # Đắk Kơ Ning (source "Kơ Ning").
    assert by_gso.matched_count() == 217
    assert by_source.matched_count() == 216
    missing = {u.code for u in by_gso.left_without_geometry if u.level == "commune"}
    assert missing == {"23674"}
    methods = {x for m in by_gso.matched for x in m.methods}
    assert {"name", "name without accents", "similar name"} <= methods


def test_name_matching_with_district_names(approx: Engine, communes, tmp_path) -> None:
    path = tmp_path / "names.geojson"
    communes[["name", "district_name", "geometry"]].to_file(path)
    report = import_boundaries(approx, [path], dry_run=True)
    assert report.files[0].name_field == "name"
    assert report.files[0].parent_field == "district_name"
    assert report.matched_count() == 217


def _reprojected(communes: gpd.GeoDataFrame, epsg: int) -> gpd.GeoDataFrame:
    frame = communes[["code_2025", "name", "district_code", "geometry"]]
    return frame.rename(columns={"district_code": "district"}).to_crs(epsg)


def _same_geometries(engine: Engine, path: Path, **kwargs) -> None:
    with engine.connect() as conn:
        reference = plan_import(conn, [boundary_file("gia_lai_communes.geojson")])
        other = plan_import(conn, [path], **kwargs)
    assert other.report.matched_count("commune") == 218
    a = {r["unit_id"]: shapely.from_wkb(r["geom_wkb"]) for r in reference.rows}
    b = {r["unit_id"]: shapely.from_wkb(r["geom_wkb"]) for r in other.rows}
    assert a.keys() == b.keys()
    worst = max(shapely.hausdorff_distance(a[k], b[k]) for k in a)
    assert worst < 1e-6  # degrees: about 0.1 m


def test_shapefile_in_vn2000(approx: Engine, communes, tmp_path) -> None:
    path = tmp_path / "vn2000.shp"
    _reprojected(communes, 3405).to_file(path)
    _same_geometries(approx, path)


def test_zipped_shapefile(approx: Engine, communes, tmp_path) -> None:
    _reprojected(communes, 3405).to_file(tmp_path / "vn2000.shp")
    archive = tmp_path / "vn2000.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("vn2000.*"):
            if part != archive:
                z.write(part, part.name)
    _same_geometries(approx, archive)


def test_geopackage_in_utm(approx: Engine, communes, tmp_path) -> None:
    path = tmp_path / "utm48n.gpkg"
    _reprojected(communes, 32648).to_file(path, layer="communes")
    _same_geometries(approx, path)


def test_shapefile_without_prj_with_crs_given(
    approx: Engine, communes, tmp_path
) -> None:
    path = tmp_path / "noprj.shp"
    _reprojected(communes, 3405).to_file(path)
    path.with_suffix(".prj").unlink()
    _same_geometries(approx, path, crs="EPSG:3405")


def test_failure_while_writing_rolls_everything_back(
    approx: Engine, communes, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "pleiku.geojson"
    communes[communes["district_code"] == "622"].to_file(path)
    with approx.connect() as conn:
        assert plan_import(conn, [path]).delete_ids  # deletes run before the writes
    before = _snapshot(approx)

    def broken(session, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(geo.pipeline, "replace_boundaries", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        import_boundaries(approx, [path])
    assert _snapshot(approx) == before


def test_partial_district_file_leaves_real_province(approx: Engine, tmp_path) -> None:
    districts = gpd.read_file(boundary_file("gia_lai_districts.geojson"))
    path = tmp_path / "two.geojson"
    districts[districts["code"].isin(["622", "623"])].to_file(path)
    report = import_boundaries(approx, [path])
    assert report.matched_count("district") == 2
    lost = [u.code for u in report.left_without_geometry]
    assert len(lost) == 15 and "622" not in lost
    stored = _stored(approx).set_index("code")
    assert not stored.loc["64", "approximate"]
    assert stored.loc["64", "source"] == "dissolve of two.geojson"
    assert stored.loc[stored["level"] == "commune", "approximate"].all()


def test_earlier_real_communes_are_kept(approx: Engine, communes, tmp_path) -> None:
    import_boundaries(approx, [boundary_file("gia_lai_communes.geojson")])
    path = tmp_path / "pleiku.geojson"
    communes[communes["district_code"] == "622"].to_file(path)
    report = import_boundaries(approx, [path])
    assert report.left_without_geometry == []
    stored = _stored(approx)
    assert len(stored) == 237 and not stored["approximate"].any()
    sources = stored.set_index("code")["source"]
    assert sources["23557"] == "pleiku.geojson"  # Pleiku: from the new file
    assert sources["23617"] == "gia_lai_communes.geojson"  # An Khê: kept
    assert sources["623"] == "dissolve of pleiku.geojson"
