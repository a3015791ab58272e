"""Real boundaries by default: the shipped legacy files, the July-2025 communes
derived from them, and the command that cuts a province from a national file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard.cli import main
from data.boundaries import load_boundaries
from data.db import make_engine, transaction
from data.reform import crosswalk_frame, load_2025_tree
from data.units import legacy_rows, units_frame
from geo.coverage import AREA_TOLERANCE
from geo.derive import DERIVED_PREFIX, edge_approximate, split_divided
from geo.geojson import level_geojson
from geo.pipeline import build_approximate, import_boundaries
from geo.shipped import BINH_DINH_COMMUNES, GIA_LAI_COMMUNES

# Degrees²: the derived communes are cleaned into one coverage, which moves the
# shared edges by floating-point noise only (1e-6 deg² is about 0.01 km²).
UNION_TOLERANCE = 1e-6


def _stored(engine: Engine, tree: str, level: str) -> gpd.GeoDataFrame:
    with engine.connect() as conn:
        rows = load_boundaries(conn, tree=tree, level=level)
    geoms = shapely.from_wkb(rows.pop("geom_wkb").to_numpy())
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


@pytest.fixture
def demo(seeded: dict):
    """The database as the first run leaves it (``make run``)."""
    engine = make_engine(seeded["DATABASE_URL"])
    yield engine
    engine.dispose()


def test_first_run_stores_real_legacy_boundaries(demo: Engine) -> None:
    communes = _stored(demo, "legacy", "commune")
    assert not communes["approximate"].any()
    by_province = communes["code"].map(_province_of_communes())
    assert by_province.value_counts().to_dict() == {"64": 218, "52": 155}
    sources = communes.groupby(by_province)["source"].agg(set).to_dict()
    assert sources == {
        "64": {GIA_LAI_COMMUNES.name},
        "52": {BINH_DINH_COMMUNES.name},
    }
    for level in ("district", "province", "country"):
        assert not _stored(demo, "legacy", level)["approximate"].any(), level


def _province_of_communes() -> dict[str, str]:
    rows = legacy_rows(["52", "64"])
    return dict(zip(rows["wardCode"], rows["provinceCode"], strict=True))


def test_new_communes_are_derived_and_tile_the_old_provinces(demo: Engine) -> None:
    communes = _stored(demo, "2025", "commune")
    assert len(communes) == 135 and not communes["approximate"].any()
    assert communes["source"].str.startswith(DERIVED_PREFIX).all()
    geoms = communes.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    old = shapely.union_all(_stored(demo, "legacy", "province").geometry.to_numpy())
    new = shapely.union_all(geoms)
    assert shapely.area(shapely.symmetric_difference(old, new)) < UNION_TOLERANCE
    overlap = shapely.area(geoms).sum() - shapely.area(new)
    assert overlap < AREA_TOLERANCE
    province = _stored(demo, "2025", "province").geometry.iloc[0]
    assert shapely.area(shapely.symmetric_difference(province, new)) < UNION_TOLERANCE


def test_divided_communes_are_split_inside_their_polygon(demo: Engine) -> None:
    with demo.connect() as conn:
        pairs = crosswalk_frame(conn)
        centres = units_frame(conn, tree="2025").set_index("code")
    divided = pairs[pairs["divided"]]
    assert divided["legacy_code"].nunique() == 3  # all in old Bình Định
    legacy = _stored(demo, "legacy", "commune").set_index("code").geometry
    new = _stored(demo, "2025", "commune").set_index("code")
    for code, group in divided.groupby("legacy_code"):
        heirs = sorted(set(group["new_code"]))
        polygon = legacy[code]
        points = shapely.points(
            centres.loc[heirs, "lon"].astype(float),
            centres.loc[heirs, "lat"].astype(float),
        )
        pieces = split_divided(polygon, points)
        assert len(pieces) == len(heirs)
        # inside the legacy polygon, no overlaps, nothing missing
        assert all(shapely.area(shapely.difference(pieces, polygon)) < 1e-12)
        total = shapely.area(pieces).sum()
        assert abs(total - shapely.area(polygon)) < AREA_TOLERANCE
        union = shapely.union_all(pieces)
        assert shapely.area(shapely.symmetric_difference(union, polygon)) < 1e-12
        # the stored successors cover the legacy polygon once between them
        stored = new.loc[heirs].geometry.to_numpy()
        inside = shapely.area(shapely.intersection(stored, polygon)).sum()
        assert abs(inside - shapely.area(polygon)) < UNION_TOLERANCE
        assert new.loc[heirs, "source"].map(edge_approximate).all()
    whole = new[~new.index.isin(divided["new_code"])]
    assert not whole["source"].map(edge_approximate).any()


def test_split_of_a_square_between_three_points() -> None:
    square = shapely.box(0, 0, 2, 1)
    # one successor's centre lies outside the legacy polygon, two share a spot
    points = shapely.points([(0.5, 0.5), (1.5, 0.5), (1.5, 0.5), (5, 5)])
    pieces = split_divided(square, points)
    assert len(pieces) == 4
    assert shapely.coverage_is_valid(pieces)
    assert shapely.area(pieces).sum() == pytest.approx(2.0)
    assert shapely.equals(shapely.union_all(pieces), square)


def test_the_map_hover_says_which_edges_are_estimated(demo: Engine) -> None:
    from callbacks.map_page import _edge_notes
    from layouts.i18n import t

    with demo.connect() as conn:
        collection = level_geojson(conn, tree="2025", level="commune", parent_code="52")
        groups = level_geojson(
            conn, tree="2025", level="former_district", parent_code="52"
        )
    flagged = [
        f["id"]
        for f in collection["features"]
        if f["properties"].get("edge_approximate")
    ]
    assert len(flagged) == 5
    assert not collection["approximate"]
    assert any(f["properties"].get("edge_approximate") for f in groups["features"])
    index = {"codes": [f["id"] for f in collection["features"]]}
    index["edge_approximate"] = flagged
    notes = _edge_notes(index, "vi")
    assert notes.count(t("hover_edge_approximate", "vi")) == 5
    assert "ước tính" in t("hover_edge_approximate", "vi")
    assert notes.count("") == 130


def test_import_rederives_only_provinces_with_real_predecessors(
    sqlite_engine: Engine,
) -> None:
    # the new Gia Lai (old 52 + 64) and the new Đắk Lắk (old 66 + Phú Yên 54)
    with transaction(sqlite_engine) as session:
        load_2025_tree(session, ["52", "66"])
    build_approximate(sqlite_engine, tree="legacy")
    build_approximate(sqlite_engine, tree="2025")
    report = import_boundaries(
        sqlite_engine, [GIA_LAI_COMMUNES, BINH_DINH_COMMUNES], level="commune"
    )
    assert report.derived.provinces == ["52"]
    assert set(report.derived.skipped) == {"66"}
    assert len(report.derived.divided) == 3
    communes = _stored(sqlite_engine, "2025", "commune")
    derived = communes["source"].str.startswith(DERIVED_PREFIX)
    assert (communes.loc[derived, "parent_code"] == "52").all()
    assert derived.sum() == 135
    assert communes.loc[~derived, "approximate"].all()  # Đắk Lắk stays Voronoi
    # rebuilding the July-2025 tree keeps what can be derived
    again = build_approximate(sqlite_engine, tree="2025")
    assert again.derived.provinces == ["52"]
    rebuilt = _stored(sqlite_engine, "2025", "commune")
    assert rebuilt["source"].str.startswith(DERIVED_PREFIX).sum() == 135


# --- extract-boundaries on a tiny national file built here ---------------------


def _tiny_national(path: Path) -> None:
    """Four Quy Nhơn wards as rough squares (overlaps, a gap), one merged ward
    (no unit of 2025-01), and a ward of another province."""
    rows = legacy_rows(["52"])
    quy_nhon = rows[rows["districtCode"] == rows["districtCode"].iloc[0]]
    names = list(quy_nhon["ward"].iloc[:4])
    cells = [
        shapely.box(0, 0, 1.02, 1),  # overlaps its right neighbour
        shapely.box(1, 0, 2, 1),
        shapely.box(0, 1, 1, 2),
        shapely.box(1.001, 1, 2, 1.6),  # a thin gap on its left, enclosed
        shapely.box(1, 1.6, 2, 2),  # "Phường Lê Lợi": merged since
        shapely.box(5, 5, 6, 6),
    ]
    cells = [shapely.affinity.translate(c, 109.0, 13.7) for c in cells]
    cells = [shapely.affinity.scale(c, 0.01, 0.01, origin=(109, 13.7)) for c in cells]
    frame = gpd.GeoDataFrame(
        {
            "province_vn": ["Bình Định"] * 5 + ["Gia Lai"],
            "district_vn": [quy_nhon["district"].iloc[0]] * 5 + ["Thành phố Pleiku"],
            "commune_vn": [*names, "Phường Lê Lợi", "Phường Yên Đỗ"],
            "commune_id": [5070101, 5070102, 5070103, 5070104, 5070105, 6030101],
        },
        geometry=cells,
        crs=4326,
    )
    frame.to_file(path, driver="GPKG")


def test_extract_command_is_deterministic(tmp_path: Path) -> None:
    source = tmp_path / "national.gpkg"
    _tiny_national(source)
    runner = CliRunner()
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name / "binh_dinh.geojson"
        out.parent.mkdir()
        result = runner.invoke(
            main,
            ["extract-boundaries", "--province", "52", "--source", str(source)]
            + ["--out", str(out)],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert "Phường Lê Lợi -> merged into" in result.output
    frame = gpd.read_file(tmp_path / "a" / "binh_dinh.geojson")
    assert len(frame) == 4  # the merged ward joined a neighbour; Gia Lai left out
    assert set(frame["province_code"]) == {"52"}
    assert (frame["code"] == frame["code_2025"]).all()
    geoms = frame.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms) and shapely.is_valid(geoms).all()
    union = shapely.union_all(geoms)
    assert shapely.get_num_interior_rings(union) == 0  # the gap was closed
    whole = shapely.affinity.scale(
        shapely.affinity.translate(shapely.box(0, 0, 2, 2), 109.0, 13.7),
        0.01,
        0.01,
        origin=(109, 13.7),
    )
    assert shapely.area(shapely.symmetric_difference(union, whole)) < 1e-9
    # the file is importable as it is
    assert np.all(frame["area_km2"] > 0)
