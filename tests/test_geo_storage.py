"""Boundary storage (data/boundaries.py) and the approximate build, on both backends."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import Engine

from data.boundaries import (
    boundary_version,
    delete_boundaries,
    has_boundaries,
    load_boundaries,
    replace_boundaries,
)
from data.db import transaction
from data.units import units_frame
from geo.pipeline import build_approximate


def _ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        units = units_frame(conn)
    return dict(zip(units["code"], units["id"].astype(int), strict=True))


def _row(unit_id: int, size: float, source: str = "test") -> dict:
    geom = shapely.box(108, 14, 108 + size, 14 + size)
    return {
        "unit_id": unit_id,
        "geom_wkb": shapely.to_wkb(geom),
        "approximate": False,
        "source": source,
    }


def _version(engine: Engine) -> str:
    with engine.connect() as conn:
        return boundary_version(conn)


def test_round_trip_keeps_geometry_flags_and_source(gia_lai: Engine) -> None:
    ids = _ids(gia_lai)
    with transaction(gia_lai) as session:
        rows = [_row(ids["622"], 0.1), _row(ids["623"], 0.2)]
        written = replace_boundaries(session, rows)
    assert written == 2
    with gia_lai.connect() as conn:
        frame = load_boundaries(conn, tree="legacy", level="district")
    assert list(frame["code"]) == ["622", "623"]
    assert list(frame["parent_code"]) == ["64", "64"]
    assert list(frame["name"]) == ["Thành phố Pleiku", "Thị xã An Khê"]
    assert not frame["approximate"].any()
    assert set(frame["source"]) == {"test"}
    geoms = shapely.from_wkb(frame["geom_wkb"].to_numpy())
    assert shapely.equals(geoms[1], shapely.box(108, 14, 108.2, 14.2))


def test_replace_overwrites_and_delete_removes(gia_lai: Engine) -> None:
    ids = _ids(gia_lai)
    with transaction(gia_lai) as session:
        replace_boundaries(session, [_row(ids["622"], 0.1, "old")])
    with transaction(gia_lai) as session:
        replace_boundaries(session, [_row(ids["622"], 0.3, "new")])
    with gia_lai.connect() as conn:
        frame = load_boundaries(conn, tree="legacy", level=None)
    assert list(frame["source"]) == ["new"]
    with transaction(gia_lai) as session:
        assert delete_boundaries(session, [ids["622"], ids["623"]]) == 1
    with gia_lai.connect() as conn:
        assert load_boundaries(conn, tree="legacy", level=None).empty


def test_same_unit_twice_is_refused(gia_lai: Engine) -> None:
    ids = _ids(gia_lai)
    with pytest.raises(ValueError, match="same unit twice"), transaction(gia_lai) as s:
        replace_boundaries(s, [_row(ids["622"], 0.1), _row(ids["622"], 0.2)])


def test_version_changes_on_every_write(gia_lai: Engine) -> None:
    ids = _ids(gia_lai)
    seen = [_version(gia_lai)]
    assert seen[0] == "0"
    with transaction(gia_lai) as session:
        replace_boundaries(session, [_row(ids["622"], 0.1)])
    seen.append(_version(gia_lai))
    with transaction(gia_lai) as session:
        replace_boundaries(session, [_row(ids["622"], 0.2)])
    seen.append(_version(gia_lai))
    with transaction(gia_lai) as session:
        delete_boundaries(session, [ids["622"]])
    seen.append(_version(gia_lai))
    assert len(set(seen[:3])) == 3
    assert seen[3] == "0"


def test_build_approximate_stores_every_unit(gia_lai: Engine) -> None:
    steps: list[tuple[str, int, int]] = []
    report = build_approximate(gia_lai, progress=lambda *a: steps.append(a))
    assert report.counts["commune"] == 218
    assert steps[-1] == ("done", 3, 3)
    with gia_lai.connect() as conn:
        stored = load_boundaries(conn, tree="legacy", level=None)
        communes = load_boundaries(conn, tree="legacy", level="commune")
        pleiku = load_boundaries(
            conn, tree="legacy", level="commune", parent_code="622"
        )
    assert len(stored) == 237
    assert stored["approximate"].all()
    assert stored["source"].str.startswith("approximate: Voronoi").all()
    assert len(communes) == 218
    assert len(pleiku) == 21 and set(pleiku["parent_code"]) == {"622"}
    geoms = shapely.from_wkb(communes["geom_wkb"].to_numpy())
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)


def test_building_twice_replaces(gia_lai: Engine) -> None:
    build_approximate(gia_lai)
    first = _version(gia_lai)
    build_approximate(gia_lai, extent="closed_boxes")
    assert _version(gia_lai) != first
    with gia_lai.connect() as conn:
        stored = load_boundaries(conn, tree="legacy", level=None)
    assert len(stored) == 237
    assert stored["source"].str.contains("closed_boxes").all()


def test_has_boundaries(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        assert not has_boundaries(conn)
    build_approximate(gia_lai)
    with gia_lai.connect() as conn:
        assert has_boundaries(conn) and has_boundaries(conn, "legacy")
        assert not has_boundaries(conn, "2025")
