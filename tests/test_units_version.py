"""The units version (migration 0029): every write of the units or their
crosswalk moves it on, whoever writes, and new facts do not; the places the
app looks up are cached by it, so a view after new facts asks the database
for none of them again, and a renamed unit shows at once."""

from __future__ import annotations

from sqlalchemy import Engine, delete, func, insert, select, update

from callbacks import context
from data import metrics, places
from data.db import transaction, write
from data.metrics.dataset import record_facts_changed
from data.models import AdminUnit, UnitCrosswalk
from tests.test_request_context import counted


def _units(engine: Engine) -> str:
    with engine.connect() as conn:
        return metrics.versions(conn).units


def test_every_write_of_the_units_moves_it_and_new_facts_do_not(
    engine_of: Engine,
) -> None:
    seen = [_units(engine_of)]
    with transaction(engine_of) as session:
        record_facts_changed(session)
    assert _units(engine_of) == seen[-1]  # new facts: the same units
    unit = AdminUnit.__table__
    writes = [
        update(unit).where(unit.c.code == "633").values(name="Huyện Chư Sê mới"),
        insert(unit).values(
            tree="legacy",
            code="99999",
            level="commune",
            kind="xã",
            name="Xã thử",
            short_name="Thử",
            source="test",
        ),
        delete(unit).where(unit.c.code == "99999"),
        delete(UnitCrosswalk).where(
            UnitCrosswalk.legacy_unit_id
            == select(func.min(UnitCrosswalk.legacy_unit_id)).scalar_subquery()
        ),
    ]
    for statement in writes:
        with transaction(engine_of) as session:
            write(session, statement)
        seen.append(_units(engine_of))
        assert seen[-1] not in seen[:-1], statement


def _chain(app) -> list[dict]:
    with app.server.test_request_context("/"):
        return context.cached(places.chain, tree="legacy", code="633")


def test_a_place_looked_up_is_kept_across_new_facts_not_across_a_rename(
    fresh, make_app, engine_of: Engine
) -> None:
    app = make_app(fresh)
    assert _chain(app)[-1]["name"] == "Huyện Chư Sê"
    with transaction(engine_of) as session:
        record_facts_changed(session)
    with counted(app) as statements:
        assert _chain(app)[-1]["name"] == "Huyện Chư Sê"
    assert len(statements) == 1  # the request's versions, no lookup
    unit = AdminUnit.__table__
    with transaction(engine_of) as session:
        write(session, update(unit).where(unit.c.code == "633").values(name="Mới"))
    assert _chain(app)[-1]["name"] == "Mới"
