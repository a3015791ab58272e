"""The whole country: 34 new provinces from the 63 legacy ones (slow, SQLite only)."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import Engine

from data.boundaries import load_boundaries
from data.db import transaction
from data.reform import crosswalk_frame, load_2025_tree
from data.units import units_frame
from geo.pipeline import build_approximate

pytestmark = pytest.mark.slow


def test_the_whole_country_loads_with_a_complete_crosswalk(
    sqlite_engine: Engine,
) -> None:
    with transaction(sqlite_engine) as session:
        report = load_2025_tree(session, None)
    print(f"\nwhole-country load: {report.seconds:.1f} s\n{report.format()}")
    assert report.counts == {"country": 1, "province": 34, "commune": 3321}
    assert report.legacy.counts == {
        "country": 1,
        "province": 63,
        "district": 696,
        "commune": 10040,  # 10,035 communes and 5 island-district stand-ins
    }
    with sqlite_engine.connect() as conn:
        crosswalk = crosswalk_frame(conn)
        legacy = units_frame(conn, tree="legacy")
        new = units_frame(conn, tree="2025")
    old_communes = set(legacy.loc[legacy["level"] == "commune", "code"])
    assert set(crosswalk["legacy_code"]) == old_communes
    assert set(crosswalk["new_code"]) == set(new.loc[new["level"] == "commune", "code"])
    assert crosswalk["legacy_province_code"].nunique() == 63
    assert (crosswalk.groupby("legacy_code")["is_default"].sum() == 1).all()
    assert len(crosswalk) == report.crosswalk_rows == 10602
    assert report.divided == 471
    kinds = new.loc[new["level"] == "commune", "kind"].value_counts().to_dict()
    assert kinds == {"xã": 2621, "phường": 687, "đặc khu": 13}
    # The only anomalies: the island stand-ins (each mapped by the package to the
    # special zone of its name) and two communes without an official area.
    assert {a.kind for a in report.anomalies} == {"stand_in", "no_area"}
    stand_ins = report.of_kind("stand_in")
    assert len(stand_ins) == 5
    assert all("the special zone of the same name" in a.detail for a in stand_ins)


def test_the_whole_country_gets_approximate_new_boundaries(
    sqlite_engine: Engine,
) -> None:
    with transaction(sqlite_engine) as session:
        load_2025_tree(session, None)
    build_approximate(sqlite_engine, tree="legacy")
    report = build_approximate(sqlite_engine, tree="2025")
    print(f"\n{report.format()}")
    assert report.counts == {"country": 1, "province": 34, "commune": 3321}
    assert report.coverage_valid and report.without_geometry == []
    assert (report.outlined, report.fallback) == (34, 0)
    # Hoàng Sa and Trường Sa lie far offshore from any mainland outline.
    discs = {a.code for a in report.of_kind("island_disc")}
    assert {"20333", "22736"} <= discs
    with sqlite_engine.connect() as conn:
        rows = load_boundaries(conn, tree="2025", level="province")
    provinces = shapely.from_wkb(rows["geom_wkb"].to_numpy())
    assert shapely.coverage_is_valid(provinces)
