"""The official unit tree loaded from vietnamadminunits."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, event, func, select

from data import places
from data.db import transaction
from data.models import AdminUnit
from data.reform import FORMER_DISTRICT, former_district_membership
from data.units import legacy_records, legacy_rows, load_legacy_tree, units_frame


def test_gia_lai_has_17_districts_and_218_communes(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        units = units_frame(conn)
    counts = units.groupby("level").size().to_dict()
    assert counts == {"country": 1, "province": 1, "district": 17, "commune": 218}
    assert units["code"].is_unique
    districts = set(units.loc[units.level == "district", "code"])
    communes = units[units.level == "commune"]
    assert set(communes["parent_code"]) == districts
    assert communes["parent_id"].notna().all()
    province = units[units.level == "province"].iloc[0]
    assert (province.code, province["name"]) == ("64", "Tỉnh Gia Lai")
    assert set(units.loc[units.level == "district", "parent_code"]) == {"64"}


def test_kinds_come_from_the_official_type() -> None:
    recs = legacy_records(legacy_rows(["64"]))
    kinds = {r["code"]: r["kind"] for r in recs["district"]}
    assert kinds["622"] == "thành phố"  # Pleiku
    assert kinds["623"] == "thị xã"  # An Khê
    assert kinds["633"] == "huyện"  # Chư Sê
    commune_kinds = {r["kind"] for r in recs["commune"]}
    assert commune_kinds == {"xã", "phường", "thị trấn"}


def test_loading_twice_updates_instead_of_duplicating(gia_lai: Engine) -> None:
    with transaction(gia_lai) as session:
        report = load_legacy_tree(session, ["64"])
    assert (report.inserted, report.updated) == (0, 237)
    with gia_lai.connect() as conn:
        assert len(units_frame(conn)) == 237


@pytest.mark.parametrize("bad", ["99", "6", "64; DROP TABLE x"])
def test_unknown_province_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown province code"):
        legacy_rows([bad])


@pytest.mark.slow
def test_whole_country_gives_63_696_10040(engine: Engine) -> None:
    with transaction(engine) as session:
        report = load_legacy_tree(session, None)
    assert report.counts == {
        "country": 1,
        "province": 63,
        "district": 696,
        "commune": 10040,
    }
    assert report.stand_ins == ["D318", "D471", "D498", "D536", "D755"]
    with engine.connect() as conn:
        units = units_frame(conn)
    assert units.groupby("level").size().to_dict() == report.counts
    assert units["code"].is_unique
    communes = units[units.level == "commune"]
    assert communes["parent_id"].notna().all()
    # every district has at least one commune-level unit
    assert set(units.loc[units.level == "district", "code"]) == set(
        communes["parent_code"]
    )


def test_a_places_chain_is_read_root_first(conn: Connection) -> None:
    """The breadcrumb's chain: a unit and its ancestors in one statement (it
    was two per level), a former-district group under its new province."""
    unit, up = AdminUnit.__table__, AdminUnit.__table__.alias("up")
    commune = conn.execute(
        select(func.min(unit.c.code))
        .join(up, up.c.id == unit.c.parent_id)
        .where(unit.c.tree == "legacy", up.c.code == "633")
    ).scalar_one()
    statements: list[str] = []
    event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
    found = places.chain(conn, tree="legacy", code=commune)
    assert [u["level"] for u in found] == ["country", "province", "district", "commune"]
    assert [u["code"] for u in found][1:] == ["64", "633", commune]
    assert len(statements) == 1
    assert places.chain(conn, tree="legacy", code="no-such-unit") == []
    m = former_district_membership()
    group = conn.execute(select(func.min(m.c.group_code))).scalar_one()
    grouped = places.chain(conn, tree="2025", code=group)
    assert [u["level"] for u in grouped] == ["country", "province", FORMER_DISTRICT]
    assert grouped[-1]["code"] == group
