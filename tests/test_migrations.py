"""Alembic migrations: from empty to head and back, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from data import migrate
from data.db import make_engine
from data.models import Base


def test_upgrade_from_empty_matches_the_models_and_downgrades(backend_url: str) -> None:
    engine = make_engine(backend_url)
    try:
        assert inspect(engine).get_table_names() == []
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"

        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert migrate.current(engine) is None

        migrate.upgrade(engine)  # and up again: downgrade left nothing behind
        assert migrate.current(engine) == migrate.head()
    finally:
        engine.dispose()


def test_0002_fills_deadlines_of_existing_schedules(backend_url: str) -> None:
    import datetime as dt

    from sqlalchemy import text

    engine = make_engine(backend_url)
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO admin_unit (id, tree, code, level, kind, name, short_name,"
                    " source) VALUES (1, 'legacy', '64', 'province', 'tỉnh', 'Tỉnh Gia Lai',"
                    " 'Gia Lai', 'test')"
                )
            )
            for id_, inclusive in ((1, True), (2, False)):
                conn.execute(
                    text(
                        "INSERT INTO report_schedule (id, plan_code, report_type,"
                        " period_start, period_end, from_level, to_level, due_date,"
                        " due_inclusive, jurisdiction_id) VALUES (:id, :plan, 'H1',"
                        " '2021-01-01', '2021-06-30', 'district', 'province', '2021-05-25',"
                        " :inc, 1)"
                    ),
                    {"id": id_, "inc": inclusive, "plan": f"P{id_}"},
                )
        migrate.upgrade(engine)
        with engine.connect() as conn:
            got = dict(
                conn.execute(text("SELECT id, deadline_at FROM report_schedule")).all()
            )
        as_utc = {
            k: (
                v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)
            ).replace(tzinfo=None)
            for k, v in got.items()
        }
        # "vào ngày 25/5": late from 26/5 00:00 in Viet Nam = 25/5 17:00 UTC
        assert as_utc[1] == dt.datetime(2021, 5, 25, 17, 0)
        # "trước ngày 25/5": late from 25/5 00:00 in Viet Nam = 24/5 17:00 UTC
        assert as_utc[2] == dt.datetime(2021, 5, 24, 17, 0)
    finally:
        engine.dispose()
