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
