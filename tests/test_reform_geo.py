"""Approximate and imported boundaries of the July-2025 tree (the new Gia Lai)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine

from data.boundaries import load_boundaries, replace_boundaries
from data.db import transaction
from data.reform import load_2025_tree, predecessor_boxes
from data.units import units_frame
from geo.approximate import approximate_boundaries
from geo.approximate_2025 import OUTLINE_EXTENT, reform_boundaries, with_boxes
from geo.coverage import AREA_TOLERANCE, gaps_and_overlaps
from geo.pipeline import build_approximate, import_boundaries


def _load(engine: Engine, codes: list[str]) -> None:
    with transaction(engine) as session:
        load_2025_tree(session, codes)


def _stored(engine: Engine, tree: str, level: str) -> gpd.GeoDataFrame:
    with engine.connect() as conn:
        rows = load_boundaries(conn, tree=tree, level=level)
    geoms = shapely.from_wkb(rows.pop("geom_wkb").to_numpy())
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def _centroids(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        units = units_frame(conn, tree="2025")
    return units[units["level"] == "commune"].set_index("code")


@pytest.fixture
def built(engine: Engine):
    """New Gia Lai loaded; legacy then July-2025 approximate boundaries built."""
    _load(engine, ["52"])
    build_approximate(engine, tree="legacy")
    report = build_approximate(engine, tree="2025")
    return engine, report


def _symmetric_area(a: shapely.Geometry, b: shapely.Geometry) -> float:
    return float(shapely.area(shapely.symmetric_difference(a, b)))


def test_new_gia_lai_is_cut_from_old_gia_lai_and_old_binh_dinh(built) -> None:
    engine, report = built
    assert report.extent_method == OUTLINE_EXTENT
    assert report.counts == {"country": 1, "province": 1, "commune": 135}
    assert report.coverage_valid and report.without_geometry == []
    communes = _stored(engine, "2025", "commune")
    assert len(communes) == 135
    geoms = communes.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert set(communes.geom_type) <= {"Polygon", "MultiPolygon"}
    assert communes["approximate"].all()
    old = shapely.union_all(_stored(engine, "legacy", "province").geometry.to_numpy())
    assert shapely.coverage_is_valid(geoms)
    gap, overlap = gaps_and_overlaps(geoms, old)
    assert gap < AREA_TOLERANCE and abs(overlap) < AREA_TOLERANCE
    assert _symmetric_area(shapely.union_all(geoms), old) < AREA_TOLERANCE
    province = _stored(engine, "2025", "province").set_index("code").geometry
    assert _symmetric_area(province["52"], old) < AREA_TOLERANCE
    assert _symmetric_area(province["52"], shapely.union_all(geoms)) < AREA_TOLERANCE


def test_each_new_commune_contains_its_centroid(built) -> None:
    engine, report = built
    # No shared spots among the new centroids and none outside the outline here,
    # so every seed is the official centroid itself.
    assert not report.of_kind("nudged") + report.of_kind("moved_inside")
    communes = _stored(engine, "2025", "commune").set_index("code")
    centroids = _centroids(engine).loc[communes.index]
    points = shapely.points(centroids["lon"].astype(float), centroids["lat"])
    assert shapely.contains(communes.geometry.to_numpy(), points).all()


def test_without_legacy_boundaries_the_extent_method_is_used(engine: Engine) -> None:
    _load(engine, ["52"])
    report = build_approximate(engine, tree="2025")
    assert report.extent_method == "concave_hull"
    assert report.coverage_valid
    communes = _stored(engine, "2025", "commune")
    assert len(communes) == 135 and shapely.is_valid(communes.geometry).all()
    assert "0 provinces cut from their predecessors' outlines, 1 from" in (
        report.format()
    )
    # Boxes came from the predecessors: five centroids lie outside theirs.
    assert len(report.of_kind("outside_box")) == 5


def test_a_province_without_stored_predecessors_falls_back(
    sqlite_engine: Engine,
) -> None:
    # Old Gia Lai and old Bình Định have outlines; old Kon Tum (part of the new
    # Quảng Ngãi) does not: new Quảng Ngãi falls back, minus the outlines taken.
    _load(sqlite_engine, ["52", "51"])
    with sqlite_engine.connect() as conn:
        legacy = units_frame(conn, tree="legacy")
    frame, _ = approximate_boundaries(legacy)
    keep = frame[frame["code"].isin(["52", "64"])]
    with transaction(sqlite_engine) as session:
        replace_boundaries(
            session,
            [
                {"unit_id": uid, "geom_wkb": shapely.to_wkb(g)}
                | {"approximate": True, "source": "test"}
                for uid, g in zip(keep["unit_id"], keep.geometry, strict=True)
            ],
        )
    report = build_approximate(sqlite_engine, tree="2025")
    assert report.extent_method == f"{OUTLINE_EXTENT} + concave_hull"
    assert (report.outlined, report.fallback) == (1, 1)
    provinces = _stored(sqlite_engine, "2025", "province").set_index("code").geometry
    old = shapely.union_all(keep.geometry.to_numpy())
    assert _symmetric_area(provinces["52"], old) < AREA_TOLERANCE
    assert shapely.area(shapely.intersection(provinces["52"], provinces["51"])) < (
        AREA_TOLERANCE
    )
    communes = _stored(sqlite_engine, "2025", "commune")
    assert shapely.coverage_is_valid(communes.geometry.to_numpy())


def test_centroids_outside_the_outline_are_moved_in_or_given_a_disc(
    sqlite_engine: Engine,
) -> None:
    _load(sqlite_engine, ["52"])
    with sqlite_engine.connect() as conn:
        units = with_boxes(units_frame(conn, tree="2025"), predecessor_boxes(conn))
    communes = units[units["level"] == "commune"].set_index("code")
    x = communes["lon"].astype(float)
    points = pd.Series(shapely.points(x, communes["lat"].astype(float)), x.index)
    # Made-up outlines: the points' hull without its eastern strip, which is a
    # neighbour's (3 centroids there), nor its western strip, which is nobody's
    # (2 centroids there: islands, as far as the generator can tell).
    xs = np.sort(x.to_numpy())
    east, west = (xs[-3] + xs[-4]) / 2, (xs[1] + xs[2]) / 2
    hull = shapely.buffer(shapely.convex_hull(shapely.multipoints(points)), 0.05)
    neighbour = shapely.intersection(hull, shapely.box(east, -90, 180, 90))
    own = shapely.intersection(hull, shapely.box(west, -90, east, 90))
    province = int(units.loc[units["level"] == "province", "id"].iloc[0])
    outlines = pd.Series([own, neighbour], index=[province, -1])
    frame, report = reform_boundaries(units, outlines)
    moved = sorted(a.code for a in report.of_kind("moved_inside"))
    discs = sorted(a.code for a in report.of_kind("island_disc"))
    assert moved == sorted(x.index[x > east]) and len(moved) == 3
    assert discs == sorted(x.index[x < west]) and len(discs) == 2
    assert report.coverage_valid
    geoms = frame[frame["level"] == "commune"].set_index("code").geometry
    assert geoms.is_valid.all() and len(geoms) == 135
    # Moved seeds: their cell stays out of the neighbour; disc seeds: their cell
    # holds the centroid, outside the made-up outline.
    assert (shapely.area(shapely.intersection(geoms[moved], neighbour)) < 1e-12).all()
    assert not shapely.contains(geoms[moved], points[moved]).any()
    assert shapely.contains(geoms[discs], points[discs]).all()
    whole = frame.loc[frame["level"] == "province"].geometry.iloc[0]
    assert shapely.area(shapely.difference(own, whole)) < AREA_TOLERANCE


def test_a_real_boundary_file_for_the_new_tree_is_imported(built, tmp_path) -> None:
    engine, _ = built
    approx = _stored(engine, "2025", "commune")
    path = tmp_path / "xa_2025.geojson"
    gpd.GeoDataFrame(
        {"ma_xa": approx["code"].astype(int), "ten_xa": approx["name"]},
        geometry=approx.geometry,
        crs=4326,
    ).to_file(path, driver="GeoJSON")
    report = import_boundaries(engine, [path], tree="2025", level="commune")
    assert len(report.matched) == 135 and report.unmatched == []
    assert {m.methods for m in report.matched} == {("code (ma_xa)",)}
    communes = _stored(engine, "2025", "commune")
    assert len(communes) == 135 and not communes["approximate"].any()
    province = _stored(engine, "2025", "province")
    assert province["source"].str.startswith("dissolve of").all()


def test_names_are_matched_within_the_new_province(
    sqlite_engine: Engine, tmp_path
) -> None:
    # "Xã Tây Sơn" exists in the new Gia Lai and in the new Đắk Lắk: only the
    # province field tells them apart (a July-2025 commune's parent).
    _load(sqlite_engine, ["52", "66"])
    build_approximate(sqlite_engine, tree="legacy")
    build_approximate(sqlite_engine, tree="2025")
    approx = _stored(sqlite_engine, "2025", "commune")
    approx = approx[approx["parent_code"] == "52"]
    path = tmp_path / "names.geojson"
    gpd.GeoDataFrame(
        {"ten": approx["name"], "tinh": "Tỉnh Gia Lai"},
        geometry=approx.geometry,
        crs=4326,
    ).to_file(path, driver="GeoJSON")
    report = import_boundaries(
        sqlite_engine, [path], tree="2025", level="commune", dry_run=True
    )
    assert len(report.matched) == 135 and report.unmatched == []
    assert report.files[0].parent_field == "tinh"
