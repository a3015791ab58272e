"""Migration 0004 (unit_crosswalk, admin_unit.area_km2) on a database with data."""

from __future__ import annotations

from sqlalchemy import insert, inspect, select

from data import migrate
from data.db import make_engine
from data.models import AdminUnit, UnitCrosswalk

_UNIT = {"level": "commune", "kind": "xã", "short_name": "A", "source": "test"}


def test_0004_adds_the_crosswalk_and_keeps_existing_units(backend_url: str) -> None:
    engine = make_engine(backend_url)
    units = AdminUnit.__table__
    try:
        migrate.upgrade(engine, "0003")
        with engine.begin() as conn:  # a unit written before 0004 existed
            conn.execute(
                insert(units),
                [{**_UNIT, "id": 1, "tree": "legacy", "code": "23590", "name": "Xã"}],
            )
        migrate.upgrade(engine, "0004")
        assert migrate.current(engine) == "0004"
        with engine.begin() as conn:
            assert conn.execute(select(units.c.area_km2)).scalar_one() is None
            conn.execute(
                insert(units),
                [{**_UNIT, "id": 2, "tree": "2025", "code": "23590", "name": "Xã"}],
            )
            conn.execute(
                insert(UnitCrosswalk.__table__),
                [
                    {
                        "legacy_unit_id": 1,
                        "new_unit_id": 2,
                        "is_default": True,
                        "divided": False,
                        "source": "test",
                    }
                ],
            )
        migrate.downgrade(engine, "0003")
        inspector = inspect(engine)
        assert "unit_crosswalk" not in inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("admin_unit")}
        assert "area_km2" not in columns
        with engine.connect() as conn:
            codes = conn.execute(select(units.c.tree, units.c.code)).all()
        assert sorted(codes) == [("2025", "23590"), ("legacy", "23590")]
    finally:
        engine.dispose()
