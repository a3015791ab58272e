"""Every SQL statement of data/ goes through the helpers of data/db.py, so all of
them are timed, logged when slow, and bounded by the statement timeout."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, column, insert, select, table, text, update
from sqlalchemy.exc import OperationalError

from data import db
from data.db import (
    CHOKE_POINT_EXCEPTIONS,
    make_engine,
    read_df,
    read_one,
    read_rows,
    read_scalar,
    read_scalars,
    transaction,
    write,
)

DATA = Path(__file__).resolve().parent.parent / "data"
# Calls that run SQL when made on a connection, a session or a pandas module.
RUNS_SQL = {
    "execute",
    "exec_driver_sql",
    "executemany",
    "scalar",
    "scalars",
    "read_sql",
    "read_sql_query",
    "read_sql_table",
}


def direct_sql_calls() -> list[str]:
    """``path:line name`` of each call of a RUNS_SQL name made in data/ outside
    data/db.py and the documented exceptions."""
    found: list[tuple[str, int, str]] = []
    for path in sorted(DATA.rglob("*.py")):
        rel = path.relative_to(DATA.parent).as_posix()
        if rel in CHOKE_POINT_EXCEPTIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            if name in RUNS_SQL:
                found.append((rel, node.lineno, name))
    return [f"{rel}:{line} {name}" for rel, line, name in sorted(found)]


def test_no_sql_runs_outside_the_data_access_layer() -> None:
    calls = direct_sql_calls()
    assert not calls, "run these through data.db's helpers:\n" + "\n".join(calls)


def test_the_exceptions_exist_and_are_few() -> None:
    assert "data/db.py" in CHOKE_POINT_EXCEPTIONS
    assert len(CHOKE_POINT_EXCEPTIONS) <= 3
    for rel in CHOKE_POINT_EXCEPTIONS:
        assert (DATA.parent / rel).is_file(), rel


def test_the_check_sees_a_direct_call(tmp_path: Path) -> None:
    """The walk above finds a call on a connection, a session and pandas."""
    source = (
        "conn.execute(stmt)\nsession.scalars(q).all()\n"
        "x = s.connection().exec_driver_sql('x')\npd.read_sql(q, conn)\n"
    )
    names = [
        n.func.attr
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    ]
    assert {"execute", "scalars", "exec_driver_sql", "read_sql"} <= set(names)
    assert set(names) & RUNS_SQL == {
        "execute",
        "scalars",
        "exec_driver_sql",
        "read_sql",
    }


# ---- the helpers ---------------------------------------------------------

THING = table("thing", column("id"), column("name"))


@pytest.fixture
def things(engine: Engine) -> Engine:
    with engine.begin() as conn:
        write(conn, text("CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT)"))
        write(conn, insert(THING), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    return engine


def test_helpers_read_and_write_on_connection_and_session(things: Engine) -> None:
    by_id = select(THING.c.id, THING.c.name).order_by(THING.c.id)
    with things.connect() as conn:
        frame = read_df(conn, by_id)
        assert list(frame.columns) == ["id", "name"]
        assert frame["name"].tolist() == ["a", "b"]
        assert [tuple(r) for r in read_rows(conn, by_id)] == [(1, "a"), (2, "b")]
        assert read_one(conn, by_id).name == "a"
        assert read_one(conn, by_id.where(THING.c.id == 9)) is None
        assert read_scalar(conn, select(THING.c.name).where(THING.c.id == 2)) == "b"
        assert read_scalars(conn, select(THING.c.id).order_by(THING.c.id)) == [1, 2]
        named = text("SELECT name FROM thing WHERE id = :id")
        assert read_scalar(conn, named, {"id": 1}) == "a"
    with transaction(things) as session:
        result = write(session, update(THING).where(THING.c.id == 1).values(name="z"))
        assert result.rowcount == 1
        assert read_scalar(session, select(THING.c.name).where(THING.c.id == 1)) == (
            "z"
        )
        assert read_df(session, by_id)["name"].tolist() == ["z", "b"]


def test_write_returning(things: Engine) -> None:
    with things.begin() as conn:
        result = write(conn, insert(THING).values(id=3, name="c").returning(THING.c.id))
        assert result.scalar_one() == 3


@pytest.fixture
def app_engine(backend_url: str) -> Iterator[Engine]:
    """An engine as the app makes it: with a statement timeout."""
    engine = make_engine(backend_url, statement_timeout_ms=60_000)
    with engine.begin() as conn:
        write(conn, text("CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT)"))
    yield engine
    engine.dispose()


def test_slow_statement_logged_as_warning(
    app_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(db, "SLOW_QUERY_MS", 0)
    with caplog.at_level(logging.DEBUG, logger="data.db"):
        with app_engine.connect() as conn:
            read_rows(conn, select(THING.c.id).where(THING.c.name == "x"))
        with transaction(app_engine) as session:
            write(session, insert(THING).values(id=7, name="g"))
    slow = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(slow) == 2, slow
    assert slow[0].startswith("slow statement") and "FROM thing" in slow[0]
    assert "INSERT INTO thing" in slow[1]


def test_fast_statement_logged_at_debug_only(
    app_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="data.db"):
        with app_engine.connect() as conn:
            read_rows(conn, select(THING.c.id))
    levels = {r.levelno for r in caplog.records if r.name == "data.db"}
    assert levels == {logging.DEBUG}


def test_no_slow_warning_without_a_timeout(
    things: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Commands and seeding (engines without a timeout) run long bulk statements
    on purpose: their durations are logged at DEBUG only."""
    monkeypatch.setattr(db, "SLOW_QUERY_MS", 0)
    with caplog.at_level(logging.DEBUG, logger="data.db"), things.connect() as conn:
        read_rows(conn, select(THING.c.id))
    levels = {r.levelno for r in caplog.records if r.name == "data.db"}
    assert levels == {logging.DEBUG}


SLOW_CTE = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 100000000) SELECT count(*) FROM n"
)


def test_statement_timeout_interrupts_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}", statement_timeout_ms=50)
    try:
        with engine.connect() as conn:
            with pytest.raises(OperationalError, match="interrupted"):
                read_scalar(conn, SLOW_CTE)
            # the connection stays usable, and a quick statement is not cut short
            assert read_scalar(conn, text("SELECT 1")) == 1
    finally:
        engine.dispose()


def test_statement_timeout_interrupts_sqlite_in_memory() -> None:
    engine = make_engine("sqlite://", statement_timeout_ms=50)
    try:
        with engine.connect() as conn, pytest.raises(OperationalError):
            read_scalar(conn, SLOW_CTE)
    finally:
        engine.dispose()


def test_no_statement_timeout_without_setting(tmp_path: Path) -> None:
    """Engines of migrations and seeding have no timeout: a long statement runs."""
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    quick = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 200000) SELECT count(*) FROM n"
    )
    try:
        with engine.connect() as conn:
            assert read_scalar(conn, quick) == 200000
    finally:
        engine.dispose()


def test_statement_timeout_on_both_backends(backend_url: str) -> None:
    engine = make_engine(backend_url, statement_timeout_ms=50)
    slow = (
        text("SELECT pg_sleep(2)") if engine.dialect.name == "postgresql" else SLOW_CTE
    )
    try:
        with engine.connect() as conn, pytest.raises(OperationalError):
            read_scalar(conn, slow)
    finally:
        engine.dispose()
