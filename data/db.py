"""Engines, transactions and the one choke point every read query goes through."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Executable

log = logging.getLogger(__name__)

# How long a write waits for another write of the same thing (the lock below on
# PostgreSQL, SQLite's busy timeout, read when it connects) before giving up.
LOCK_WAIT_MS = 10_000


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int | None = None,
    pool_timeout: float | None = None,
) -> Engine:
    """An engine for SQLite (foreign keys on, WAL for files) or PostgreSQL.
    ``pool_timeout``: seconds to wait for a free pooled connection before
    ``sqlalchemy.exc.TimeoutError`` (SQLAlchemy's default: 30)."""
    parsed = make_url(url)
    pooled: dict[str, Any] = (
        {} if pool_timeout is None else {"pool_timeout": pool_timeout}
    )
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            kwargs.update(pooled)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(in_memory))
        return engine
    connect_args = {}
    if statement_timeout_ms:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **pooled)


def _sqlite_pragmas(in_memory: bool):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_MS)}")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    return on_connect


def read_df(conn: Connection, stmt: Executable) -> pd.DataFrame:
    """Run a SELECT and return its rows as a DataFrame (logged with its duration)."""
    started = time.perf_counter()
    result = conn.execute(stmt)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    log.debug(
        "query %.1f ms, %d rows", (time.perf_counter() - started) * 1e3, len(frame)
    )
    return frame


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


def refresh_statistics(engine: Engine) -> None:
    """Give PostgreSQL's planner statistics of what a bulk load just wrote.

    Autovacuum analyses a table some time after it changes; until then the planner
    guesses row counts, and the roll-up queries of a freshly seeded database pick
    nested loops that take a page from about 1 s of SQL to 15 s.  SQLite plans
    from its indexes alone and is left as it is.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("admin_unit")


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` as an aware UTC datetime (naive means UTC, as SQLite returns it)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
