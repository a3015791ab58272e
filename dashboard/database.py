"""One database engine per app; one connection per request, closed on teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine

from data.db import make_engine

_KEY = "cpd_engine"


def init_app(server: Flask) -> None:
    server.extensions[_KEY] = make_engine(
        server.config["DATABASE_URL"],
        statement_timeout_ms=server.config["STATEMENT_TIMEOUT_MS"],
        pool_timeout=server.config["DB_POOL_TIMEOUT"],
    )
    server.teardown_appcontext(close_conn)


def engine(server: Flask | None = None) -> Engine:
    app = server or current_app
    return app.extensions[_KEY]  # type: ignore[no-any-return]


def get_conn() -> Connection:
    """The request's read connection (opened on first use)."""
    if "db_conn" not in g:
        g.db_conn = engine().connect()
    return g.db_conn  # type: ignore[no-any-return]


def close_conn(_exc: BaseException | None = None) -> None:
    conn = g.pop("db_conn", None)
    if conn is not None:
        conn.close()
