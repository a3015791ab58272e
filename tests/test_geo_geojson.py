"""GeoJSON per level for the map: features, ids, rounding, bounds, size."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import Engine

from data.units import units_frame
from geo.geojson import DECIMALS, bounds, level_geojson
from geo.pipeline import build_approximate, import_boundaries
from tests.conftest import boundary_file


@pytest.fixture
def real(gia_lai: Engine) -> Engine:
    """Gia Lai with the shipped real commune boundaries (districts dissolved)."""
    build_approximate(gia_lai)
    import_boundaries(gia_lai, [boundary_file("gia_lai_communes.geojson")])
    return gia_lai


def _layer(engine: Engine, level: str, **kwargs) -> dict:
    with engine.connect() as conn:
        return level_geojson(conn, tree="legacy", level=level, **kwargs)


def _coordinates(collection: dict) -> list[float]:
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    return shapely.get_coordinates(geoms).ravel().tolist()


def test_district_layer_has_one_feature_per_district(real: Engine) -> None:
    layer = _layer(real, "district")
    with real.connect() as conn:
        units = units_frame(conn)
    districts = units[units["level"] == "district"]
    assert layer["type"] == "FeatureCollection"
    assert [f["id"] for f in layer["features"]] == sorted(districts["code"])
    names = dict(zip(districts["code"], districts["name"], strict=True))
    for feature in layer["features"]:
        assert feature["properties"] == {
            "code": feature["id"],
            "name": names[feature["id"]],
        }
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert layer["approximate"] is False


def test_coordinates_are_rounded(real: Engine) -> None:
    values = _coordinates(_layer(real, "commune"))
    assert values and all(round(v, DECIMALS) == v for v in values)
    assert any(round(v, DECIMALS - 1) != v for v in values)


def test_children_of_a_district(real: Engine) -> None:
    layer = _layer(real, "commune", parent_code="622")
    assert len(layer["features"]) == 21
    assert all(f["id"].startswith("23") for f in layer["features"])


def test_bounds_enclose_every_coordinate(real: Engine) -> None:
    layer = _layer(real, "district")
    west, south, east, north = bounds(layer)
    coords = shapely.get_coordinates([shape(f["geometry"]) for f in layer["features"]])
    assert (west, south) == tuple(coords.min(axis=0))
    assert (east, north) == tuple(coords.max(axis=0))
    assert 107.4 < west < east < 108.9 and 12.9 < south < north < 14.7


def test_simplified_layer_is_still_a_coverage(real: Engine) -> None:
    layer = _layer(real, "commune", tolerance=0.003)
    geoms = [shape(f["geometry"]) for f in layer["features"]]
    assert shapely.coverage_is_valid(geoms)


def test_district_layer_is_small_and_tolerance_shrinks_it(real: Engine) -> None:
    def size(**kwargs) -> int:
        layer = _layer(real, "district", **kwargs)
        return len(json.dumps(layer, separators=(",", ":")))

    exact, default, coarse = size(tolerance=0), size(), size(tolerance=0.01)
    assert coarse < default < exact
    assert default < 60_000  # bytes, for 17 districts


def test_approximate_layer_is_flagged(approx_only: Engine) -> None:
    layer = _layer(approx_only, "province")
    assert layer["approximate"] is True
    assert [f["id"] for f in layer["features"]] == ["64"]


@pytest.fixture
def approx_only(gia_lai: Engine) -> Engine:
    build_approximate(gia_lai)
    return gia_lai


def test_nothing_stored_gives_an_empty_collection(gia_lai: Engine) -> None:
    layer = _layer(gia_lai, "district")
    assert layer["features"] == []
    assert bounds(layer) is None
