"""Engines, transactions and the one choke point every read query goes through."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Executable

log = logging.getLogger(__name__)


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
        cur.execute("PRAGMA busy_timeout=10000")
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


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("admin_unit")


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` as an aware UTC datetime (naive means UTC, as SQLite returns it)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
