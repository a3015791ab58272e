"""Engines, transactions, and the one choke point every SQL statement of data/
goes through.

Every module of data/ runs its statements with the helpers below (``read_df``,
``read_rows``, ``read_one``, ``read_scalar``, ``read_scalars``, ``read_chunks``,
``write``), never with ``execute``, ``exec_driver_sql``, ``scalar(s)`` or pandas'
``read_sql`` on a connection or session of its own.  So every statement is timed
(DEBUG); on an engine with a statement timeout (the app's) every one is bounded by
it, and one slower than ``SLOW_QUERY_MS`` is logged as a warning with its SQL.
The only modules that call ``execute`` themselves are ``CHOKE_POINT_EXCEPTIONS``
(tests/test_db_choke_point.py checks).  The ORM's unit of work (``session.add``,
``flush``, ``session.get``) runs its own statements, under the same timeout.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias, TypeVar, overload

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    CursorResult,
    Engine,
    Row,
    Select,
    Table,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool
from sqlalchemy.sql import Executable, FromClause
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

T = TypeVar("T")

log = logging.getLogger(__name__)

# How long a write waits for another write of the same thing (the lock below on
# PostgreSQL, SQLite's busy timeout, read when it connects) before giving up.
LOCK_WAIT_MS = 10_000

# A statement that takes longer than this is logged as a warning, with its SQL, on
# an engine with a statement timeout: the app's, serving requests.  Engines without
# one (commands, migrations, seeding: long bulk statements expected) log at DEBUG.
SLOW_QUERY_MS = 500
# The execution option that marks such an engine.
_WATCH_SLOW = "cpd_watch_slow"

# The modules of data/ that call ``execute`` themselves: this one.  data/migrate.py
# hands its connection to Alembic, whose migrations (migrations/) run their own SQL.
CHOKE_POINT_EXCEPTIONS = frozenset({"data/db.py"})

# SQLite: how many virtual-machine steps between two looks at the clock while a
# statement runs (when the engine has a statement timeout).
_SQLITE_PROGRESS_STEPS = 10_000

# What the helpers run statements on.
Runner: TypeAlias = Connection | Session
# A row and a SELECT of any columns (SQLAlchemy types them by their columns).
AnyRow: TypeAlias = Row[*tuple[Any, ...]]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
Params: TypeAlias = dict[str, Any] | list[dict[str, Any]] | None


# Statements built by ``kept`` builders: the parts a kept statement may be made of.
_KEPT: weakref.WeakSet[Any] = weakref.WeakSet()
KEPT_STATEMENTS = 512  # per builder


def kept(builder: Callable[..., T]) -> Callable[..., T]:
    """A statement builder whose statements are kept and shared: called again
    with equal arguments (values, or statements that are themselves kept) it
    returns the same object.  A cold view then builds no statement, and
    SQLAlchemy, whose cache key of a statement object is computed once, finds
    its compiled form at once.  A subquery's columns are made before it is
    shared between requests; ``None`` is returned as is."""

    @functools.lru_cache(maxsize=KEPT_STATEMENTS)
    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> T:
        made = builder(*args, **kwargs)
        if isinstance(made, FromClause):
            _ = made.c
        if made is not None:
            _KEPT.add(made)
        return made

    return build


def is_kept(*parts: object) -> bool:
    """Whether every statement of ``parts`` comes from a ``kept`` builder."""
    return all(part in _KEPT for part in parts)


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int | None = None,
    pool_timeout: float | None = None,
) -> Engine:
    """An engine for SQLite (foreign keys on, WAL for files) or PostgreSQL.
    ``statement_timeout_ms``: longest a statement may run before it is cancelled
    (``OperationalError``), and slower than ``SLOW_QUERY_MS`` is logged as a
    warning; None for no limit (migrations, seeding, commands).
    ``pool_timeout``: seconds to wait for a free pooled connection before
    ``sqlalchemy.exc.TimeoutError`` (SQLAlchemy's default: 30)."""
    parsed = make_url(url)
    pooled: dict[str, Any] = (
        {} if pool_timeout is None else {"pool_timeout": pool_timeout}
    )
    watched: dict[str, Any] = (
        {"execution_options": {_WATCH_SLOW: True}} if statement_timeout_ms else {}
    )
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            kwargs.update(pooled)
        engine = create_engine(url, **kwargs, **watched)
        event.listen(engine, "connect", _sqlite_pragmas(in_memory))
        if statement_timeout_ms:
            _sqlite_statement_timeout(engine, int(statement_timeout_ms))
        return engine
    connect_args = {}
    if statement_timeout_ms:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    return create_engine(
        url, pool_pre_ping=True, connect_args=connect_args, **pooled, **watched
    )


def _sqlite_pragmas(
    in_memory: bool,
) -> Callable[[sqlite3.Connection, ConnectionPoolEntry], None]:
    def on_connect(
        dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry
    ) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_MS)}")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    return on_connect


def _sqlite_statement_timeout(engine: Engine, timeout_ms: int) -> None:
    """Interrupt a SQLite statement that runs longer than ``timeout_ms`` (as
    PostgreSQL's statement_timeout does): sqlite3 calls a progress handler every
    ``_SQLITE_PROGRESS_STEPS`` steps of a statement, and the statement fails with
    ``OperationalError: interrupted`` once the handler answers non-zero.

    The clock starts when a statement is sent and stops when the driver has
    executed it (its first step: where an aggregate, a grouping or a sort does
    its work); rows fetched later, at the caller's pace, are not timed, nor are
    COMMIT and ROLLBACK (sent by the driver, not as statements)."""

    def on_connect(dbapi_conn: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
        deadline: list[float | None] = [None]
        record.info["statement_deadline"] = deadline

        def over_time() -> int:
            end = deadline[0]
            return int(end is not None and time.monotonic() > end)

        dbapi_conn.set_progress_handler(over_time, _SQLITE_PROGRESS_STEPS)

    def started(
        conn: Connection,
        _cursor: object,
        _statement: object,
        _params: object,
        _context: object,
        _many: object,
    ) -> None:
        deadline = conn.connection.info.get("statement_deadline")
        if deadline is not None:
            deadline[0] = time.monotonic() + timeout_ms / 1e3

    def ended(conn: Connection, *_args: object) -> None:
        deadline = conn.connection.info.get("statement_deadline")
        if deadline is not None:
            deadline[0] = None

    def failed(context: ExceptionContext) -> None:
        if context.connection is not None and not context.is_disconnect:
            ended(context.connection)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "before_cursor_execute", started)
    event.listen(engine, "after_cursor_execute", ended)
    event.listen(engine, "handle_error", failed)


# --- the choke point ---------------------------------------------------------------


def _run(runner: Runner, stmt: Executable, params: Params) -> Any:
    if params is None:
        return runner.execute(stmt)
    return runner.execute(stmt, params)


def _timed(runner: Runner, stmt: Executable, started: float, rows: int | None) -> None:
    """Log a statement's duration (DEBUG), and its SQL when it was slow (WARNING,
    on an engine with a statement timeout)."""
    ms = (time.perf_counter() - started) * 1e3
    counted = "" if rows is None else f", {rows} rows"
    log.debug("query %.1f ms%s", ms, counted)
    if ms > SLOW_QUERY_MS and _watched(runner):
        log.warning("slow statement %.0f ms%s: %s", ms, counted, _sql(runner, stmt))


def _watched(runner: Runner) -> bool:
    try:
        bind = runner.get_bind() if isinstance(runner, Session) else runner
        return bool(bind.get_execution_options().get(_WATCH_SLOW))
    except Exception:  # noqa: BLE001 - only for the log line
        return False


def _sql(runner: Runner, stmt: Executable, limit: int = 500) -> str:
    """The statement's SQL on one line (its start, without parameter values)."""
    try:
        bind = runner.get_bind() if isinstance(runner, Session) else runner
        sql = str(stmt.compile(dialect=bind.dialect))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - only for the log line
        sql = type(stmt).__name__
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[:limit] + " …"


@contextmanager
def _timing(runner: Runner, stmt: Executable) -> Iterator[list[int | None]]:
    """Time the block (the statement and the fetching of its rows); it may note
    the number of rows in the yielded list.  Logged also when the block fails."""
    started = time.perf_counter()
    rows: list[int | None] = [None]
    try:
        yield rows
    finally:
        _timed(runner, stmt, started, rows[0])


def read_df(runner: Runner, stmt: Executable, params: Params = None) -> pd.DataFrame:
    """Run a SELECT and return its rows as a DataFrame."""
    with _timing(runner, stmt) as rows:
        result = _run(runner, stmt, params)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        rows[0] = len(frame)
    return frame


def read_columns(
    runner: Runner, stmt: Executable, params: Params = None
) -> dict[str, list[Any]]:
    """Run a SELECT and return its columns as lists, by name (``read_df``'s
    columns for a result of a few rows finished in Python: no frame is made
    only to be taken apart)."""
    with _timing(runner, stmt) as rows:
        result = _run(runner, stmt, params)
        names = list(result.keys())
        found = result.fetchall()
        rows[0] = len(found)
    return {name: [row[i] for row in found] for i, name in enumerate(names)}


def read_rows(runner: Runner, stmt: Executable, params: Params = None) -> list[AnyRow]:
    """Run a SELECT and return all its rows (``row.name``, ``row._mapping``)."""
    with _timing(runner, stmt) as rows:
        found = _run(runner, stmt, params).all()
        rows[0] = len(found)
    return found


def read_one(runner: Runner, stmt: Executable, params: Params = None) -> AnyRow | None:
    """Run a SELECT and return its first row, None when it has none."""
    with _timing(runner, stmt):
        return _run(runner, stmt, params).first()


def read_scalar(runner: Runner, stmt: Executable, params: Params = None) -> Any:
    """Run a SELECT and return the first column of its first row (None when it
    has no row)."""
    with _timing(runner, stmt):
        return _run(runner, stmt, params).scalar()


def read_scalars(runner: Runner, stmt: Executable, params: Params = None) -> list[Any]:
    """Run a SELECT and return the first column of every row."""
    with _timing(runner, stmt) as rows:
        found = _run(runner, stmt, params).scalars().all()
        rows[0] = len(found)
    return found


def read_chunks(
    runner: Runner, stmt: Executable, size: int
) -> tuple[list[str], Iterator[Sequence[AnyRow]]]:
    """Run a SELECT whose rows are read ``size`` at a time, not all held at once:
    its column names, and the chunks (lists of rows).  The statement is timed up
    to its first rows; the reading of the rest is the caller's."""
    with _timing(runner, stmt):
        result = _run(runner, stmt.execution_options(yield_per=size), None)
        keys = list(result.keys())
    return keys, result.partitions()


def write(
    runner: Runner, stmt: Executable, params: Params = None
) -> CursorResult[*tuple[Any, ...]]:
    """Run an INSERT, UPDATE, DELETE, DDL, or another statement run for what it
    does (PostgreSQL's ``SELECT setval(...)``); ``params`` a list of dicts runs
    it once per dict.  The result: ``rowcount``, and the rows of a RETURNING."""
    with _timing(runner, stmt):
        return _run(runner, stmt, params)


def insert_many(
    runner: Runner, table: Table, rows: Sequence[dict[str, Any]], chunk: int = 1_000
) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``table``; the count.
    PostgreSQL: one ``COPY ... FROM STDIN`` (psycopg's ``copy``) on the
    runner's connection, in its transaction; elsewhere INSERT, ``chunk`` rows at
    a time.  A column the rows leave out gets its Python-side default (as an
    INSERT would), computed per row; server defaults apply as usual."""
    if not rows:
        return 0
    columns = list(rows[0])
    defaults = [
        column
        for column in table.columns
        if column.name not in columns
        and column.default is not None
        and (column.default.is_scalar or column.default.is_callable)
    ]
    conn = runner.connection() if isinstance(runner, Session) else runner
    if conn.dialect.name != "postgresql":
        for start in range(0, len(rows), chunk):
            write(conn, insert(table), list(rows[start : start + chunk]))
        return len(rows)
    quote = conn.dialect.identifier_preparer
    names = [*columns, *(c.name for c in defaults)]
    sql = (
        f"COPY {quote.format_table(table)} "
        f"({', '.join(quote.quote(n) for n in names)}) FROM STDIN"
    )
    makers = [_default_of(c) for c in defaults]
    with _timing(conn, text(sql)) as counted:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        with dbapi.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row([*(row[c] for c in columns), *(m() for m in makers)])
        counted[0] = len(rows)
    return len(rows)


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    default = column.default
    assert isinstance(default, ScalarElementColumnDefault | CallableColumnDefault)
    if isinstance(default, CallableColumnDefault):
        return lambda: default.arg(None)  # type: ignore[arg-type]  # a wrapper: no context needed
    return lambda: default.arg


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


class Busy(RuntimeError):
    """A write waited too long for another write of the same thing; nothing was
    written, and trying again a moment later will do."""


def lock(session: Session | Connection, *key: object) -> None:
    """Make the rest of this transaction run alone among the transactions that
    lock the same ``key`` (e.g. "report_submission", schedule id, unit id): read
    what the write depends on AFTER this, and the read cannot go stale before
    the commit.  Held until the transaction ends; Busy after waiting too long.

    PostgreSQL: a transaction-level advisory lock on a 64-bit hash of ``key``.
    SQLite has one writer at a time: the database's write lock, taken now
    (BEGIN IMMEDIATE) unless the driver has begun the transaction already,
    which it does only at a write, that holds the lock already."""
    conn = session.connection() if isinstance(session, Session) else session
    try:
        if conn.dialect.name == "sqlite":
            if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(LOCK_WAIT_MS)}")
        conn.execute(select(func.pg_advisory_xact_lock(lock_key(*key))))
        conn.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError as exc:  # "database is locked", lock_timeout
        log.warning("lock %r not taken: %s", key, exc.orig)
        raise Busy(str(key)) from exc


def lock_key(*key: object) -> int:
    """A signed 64-bit number for ``key`` (the same across processes)."""
    text = "\x1f".join(str(part) for part in key).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def refresh_statistics(engine: Engine, table: str | None = None) -> None:
    """Give PostgreSQL's planner statistics of what a bulk load just wrote (to
    ``table`` only, when given).

    Autovacuum analyses a table some time after it changes; until then the planner
    guesses row counts, and the roll-up queries of a freshly seeded database pick
    nested loops that take a page from about 1 s of SQL to 15 s.  SQLite plans
    from its indexes alone and is left as it is.
    """
    if engine.dialect.name != "postgresql":
        return
    sql = "ANALYZE"
    if table is not None:
        sql += " " + engine.dialect.identifier_preparer.quote(table)
    with engine.begin() as conn:
        conn.execute(text(sql))


def ping(conn: Connection) -> None:
    """A statement that touches no table: the database answers."""
    read_scalar(conn, text("SELECT 1"))


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("admin_unit")


@overload
def as_utc(moment: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(moment: None) -> None: ...
@overload
def as_utc(moment: dt.datetime | None) -> dt.datetime | None: ...
def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` as an aware UTC datetime (naive means UTC, as SQLite returns it)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
