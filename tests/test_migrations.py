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

    from sqlalchemy import insert, select

    from data.models import AdminUnit, ReportSchedule

    engine = make_engine(backend_url)
    province = {
        "id": 1,
        "tree": "legacy",
        "code": "64",
        "level": "province",
        "kind": "tỉnh",
        "name": "Tỉnh Gia Lai",
        "short_name": "Gia Lai",
        "source": "test",
    }
    schedule = {
        "plan_code": "P",
        "report_type": "H1",
        "from_level": "district",
        "to_level": "province",
        "period_start": dt.date(2021, 1, 1),
        "period_end": dt.date(2021, 6, 30),
        "due_date": dt.date(2021, 5, 25),
        "jurisdiction_id": 1,
    }
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:  # rows written before 0002 existed
            conn.execute(insert(AdminUnit.__table__), [province])
            conn.execute(
                insert(ReportSchedule.__table__),
                [
                    {**schedule, "id": 1, "plan_code": "A", "due_inclusive": True},
                    {**schedule, "id": 2, "plan_code": "B", "due_inclusive": False},
                ],
            )
        migrate.upgrade(engine)
        table = ReportSchedule.__table__
        with engine.connect() as conn:
            got = dict(conn.execute(select(table.c.id, table.c.deadline_at)).all())
        utc = {k: v.replace(tzinfo=None) for k, v in got.items()}
        # "vào ngày 25/5": late from 26/5 00:00 in Viet Nam = 25/5 17:00 UTC
        assert utc[1] == dt.datetime(2021, 5, 25, 17, 0)
        # "trước ngày 25/5": late from 25/5 00:00 in Viet Nam = 24/5 17:00 UTC
        assert utc[2] == dt.datetime(2021, 5, 24, 17, 0)
    finally:
        engine.dispose()
