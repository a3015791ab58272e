"""Approximate boundaries from commune centroids: geometry guarantees and anomalies."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine

from data.db import transaction
from data.units import load_legacy_tree, units_frame
from geo.approximate import approximate_boundaries
from geo.coverage import AREA_TOLERANCE, gaps_and_overlaps
from geo.extent import EXTENTS, extent
from geo.seeds import seed_frame

BBOX = ["bbox_west", "bbox_south", "bbox_east", "bbox_north"]


@pytest.fixture
def gia_lai_units(sqlite_engine: Engine) -> pd.DataFrame:
    with transaction(sqlite_engine) as session:
        load_legacy_tree(session, ["64"])
    with sqlite_engine.connect() as conn:
        return units_frame(conn)


@pytest.fixture
def built(gia_lai_units: pd.DataFrame):
    return approximate_boundaries(gia_lai_units)


def _communes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[frame["level"] == "commune"]


def _geometry_by_code(frame: gpd.GeoDataFrame) -> pd.Series:
    return frame.set_index("code").geometry


def test_every_unit_gets_a_valid_polygon(built, gia_lai_units) -> None:
    frame, report = built
    assert report.counts == {
        "country": 1,
        "province": 1,
        "district": 17,
        "commune": 218,
    }
    assert report.without_geometry == []
    assert set(frame["unit_id"]) == set(gia_lai_units["id"])
    assert shapely.is_valid(frame.geometry.to_numpy()).all()
    kinds = set(frame.geom_type)
    assert kinds <= {"Polygon", "MultiPolygon"}
    assert (shapely.area(frame.geometry.to_numpy()) > 0).all()


def test_each_commune_contains_its_seed_point(built, gia_lai_units) -> None:
    frame, _ = built
    seeds, _ = seed_frame(gia_lai_units)
    geoms = _communes(frame).set_index("unit_id").geometry.loc[seeds["id"]]
    points = shapely.points(seeds["x"].to_numpy(), seeds["y"].to_numpy())
    assert shapely.contains(geoms.to_numpy(), points).all()


def test_communes_tile_the_extent_without_gaps_or_overlaps(
    built, gia_lai_units
) -> None:
    frame, report = built
    geoms = _communes(frame).geometry.to_numpy()
    assert report.coverage_valid
    assert shapely.coverage_is_valid(geoms)
    seeds, _ = seed_frame(gia_lai_units)
    gap, overlap = gaps_and_overlaps(geoms, extent(seeds))
    assert gap < AREA_TOLERANCE
    assert abs(overlap) < AREA_TOLERANCE


def test_district_is_the_union_of_its_communes(built, gia_lai_units) -> None:
    frame, _ = built
    communes = _communes(frame).merge(
        gia_lai_units[["id", "parent_code"]], left_on="unit_id", right_on="id"
    )
    districts = _geometry_by_code(frame[frame["level"] == "district"])
    assert len(districts) == 17
    for code, group in communes.groupby("parent_code"):
        union = shapely.union_all(group.geometry.to_numpy())
        assert shapely.area(shapely.symmetric_difference(union, districts[code])) < (
            AREA_TOLERANCE
        ), code


def test_province_and_country_are_unions_of_their_children(built) -> None:
    frame, _ = built
    by_code = _geometry_by_code(frame)
    districts = frame[frame["level"] == "district"].geometry.to_numpy()
    union = shapely.union_all(districts)
    assert shapely.area(shapely.symmetric_difference(union, by_code["64"])) < (
        AREA_TOLERANCE
    )
    assert shapely.area(shapely.symmetric_difference(by_code["VN"], by_code["64"])) < (
        AREA_TOLERANCE
    )


def test_shared_points_are_nudged_apart_inside_their_boxes(
    built, gia_lai_units
) -> None:
    _, report = built
    nudged = {a.code for a in report.of_kind("nudged")}
    # Gia Lai has two spots shared by two communes each (geocoded to one place).
    assert nudged == {"23905", "23924", "23954", "23966"}
    seeds, _ = seed_frame(gia_lai_units)
    moved = seeds[seeds["code"].isin(nudged)]
    assert not moved.duplicated(["x", "y"]).any()
    inside = (moved["x"].between(moved["west"], moved["east"])) & (
        moved["y"].between(moved["south"], moved["north"])
    )
    assert inside.all()
    details = {a.code: a.detail for a in report.of_kind("nudged")}
    assert "23924" in details["23905"]


def test_nudging_is_deterministic(gia_lai_units) -> None:
    first, _ = seed_frame(gia_lai_units)
    second, _ = seed_frame(gia_lai_units.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(
        first.set_index("code").sort_index(), second.set_index("code").sort_index()
    )


def test_unit_without_coordinates_is_placed_from_its_district(gia_lai_units) -> None:
    units = gia_lai_units.copy()
    lost = units["code"] == "23557"  # Phường Yên Đỗ, Pleiku
    units.loc[lost, ["lat", "lon", *BBOX]] = np.nan
    frame, report = approximate_boundaries(units)
    placed = report.of_kind("placed")
    assert [(a.code, a.detail) for a in placed] == [
        ("23557", "centroid of 622 (Thành phố Pleiku)")
    ]
    assert [a.code for a in report.of_kind("no_box")] == ["23557"]
    assert report.counts["commune"] == 218
    pleiku = units[units["code"] == "622"].iloc[0]
    cell = frame.set_index("code").geometry["23557"]
    assert cell.contains(shapely.Point(pleiku["lon"], pleiku["lat"]))


def test_unit_with_a_box_but_no_point_is_placed_at_the_box_centre(
    gia_lai_units,
) -> None:
    units = gia_lai_units.copy()
    units.loc[units["code"] == "23557", ["lat", "lon"]] = np.nan
    _, report = approximate_boundaries(units)
    assert [(a.code, a.detail) for a in report.of_kind("placed")] == [
        ("23557", "box centre of 23557 (Phường Yên Đỗ)")
    ]


def test_centroid_outside_its_box_is_listed_and_still_in_its_cell(
    gia_lai_units,
) -> None:
    units = gia_lai_units.copy()
    row = units["code"] == "23557"
    units.loc[row, "lon"] = units.loc[row, "bbox_east"] + 0.01
    frame, report = approximate_boundaries(units)
    assert [a.code for a in report.of_kind("outside_box")] == ["23557"]
    point = shapely.Point(units.loc[row, "lon"].iloc[0], units.loc[row, "lat"].iloc[0])
    assert frame.set_index("code").geometry["23557"].contains(point)


def test_no_coordinates_anywhere_is_an_error_not_a_silent_drop(gia_lai_units) -> None:
    units = gia_lai_units.copy()
    units[["lat", "lon", *BBOX]] = np.nan
    with pytest.raises(ValueError, match="no coordinates"):
        approximate_boundaries(units)


@pytest.mark.parametrize("method", sorted(EXTENTS))
def test_every_extent_method_gives_a_clean_coverage(gia_lai_units, method) -> None:
    frame, report = approximate_boundaries(gia_lai_units, extent_method=method)
    assert report.coverage_valid
    assert shapely.is_valid(frame.geometry.to_numpy()).all()
    assert report.counts["commune"] == 218


def test_unknown_extent_method_is_refused(gia_lai_units) -> None:
    with pytest.raises(ValueError, match="unknown extent method"):
        approximate_boundaries(gia_lai_units, extent_method="nope")


def test_report_lists_anomalies(built) -> None:
    _, report = built
    text = report.format()
    assert "218 commune" in text
    assert "23905 Xã Ia Băng" in text


@pytest.mark.slow
def test_whole_country_in_one_voronoi(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        load_legacy_tree(session, None)
    with sqlite_engine.connect() as conn:
        units = units_frame(conn)
    frame, report = approximate_boundaries(units)
    assert report.counts == {
        "country": 1,
        "province": 63,
        "district": 696,
        "commune": 10040,
    }
    assert [a.code for a in report.of_kind("stand_in")] == [
        "D318",
        "D471",
        "D498",
        "D536",
        "D755",
    ]
    assert sorted(a.code for a in report.of_kind("outside_box")) == [
        "07033",
        "07537",
        "12100",
    ]
    assert report.of_kind("placed") == []
    nudged = report.of_kind("nudged")
    assert len(nudged) == 267  # 107 spots shared by 2 to 11 communes
    communes = _communes(frame)
    geoms = communes.geometry.to_numpy()
    assert report.coverage_valid and shapely.is_valid(geoms).all()
    seeds, _ = seed_frame(units)
    points = shapely.points(seeds["x"].to_numpy(), seeds["y"].to_numpy())
    by_id = communes.set_index("unit_id").geometry.loc[seeds["id"]].to_numpy()
    assert shapely.contains(by_id, points).all()
    gap, overlap = gaps_and_overlaps(geoms, extent(seeds))
    assert gap < AREA_TOLERANCE and abs(overlap) < AREA_TOLERANCE


def test_unions_of_raw_polygons_lose_sliver_holes_but_keep_real_ones() -> None:
    import shapely

    from geo.coverage import dissolve

    tiny = shapely.box(0.5, 0.5, 0.501, 0.501)  # 1e-6 deg²: a sliver
    big = shapely.box(2.2, 0.5, 2.8, 1.5)  # 0.6 deg²: a real hole
    left = shapely.box(0, 0, 2, 2).difference(tiny)
    right = shapely.box(1.5, 0, 3, 2).difference(big)  # overlaps left: raw input
    union = dissolve([left, right])
    assert union.geom_type == "Polygon"
    holes = [shapely.polygons(r).area for r in union.interiors]
    assert holes == [pytest.approx(0.6)]
