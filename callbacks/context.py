"""The request's context: who asks, what they may see, the database connection,
the language, and the version of the facts — each resolved once per request and
kept on ``flask.g``.

Callbacks, page builders and downloads import what they need from here and from
nowhere else: ``conn()`` for the request's connection, ``asking()`` for the scope
(PreventUpdate for nobody), ``cached(func, **kwargs)`` for an aggregate of data/
through the shared cache, ``audit(...)`` for the audit log.  The application
factory calls ``init_app`` once per server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from dash.exceptions import PreventUpdate
from flask import Flask, current_app, g, request
from flask_caching import Cache
from flask_login import UserMixin, current_user
from sqlalchemy import Connection, Engine

from data import approvals, metrics, places, users
from data import audit as audit_log
from data.approvals import COUNT_UNAPPROVED_OPTION
from data.db import make_engine, transaction
from data.scope import Scope, figures_scope
from layouts.i18n import LANGUAGES

T = TypeVar("T")
log = logging.getLogger(__name__)

# Aggregates and boundary collections, shared by every worker when Redis is set.
cache = Cache()

_ENGINE = "cpd_engine"
_PROVINCES = "cpd_provinces"
_WARMING = "cpd_warming"


def init_app(
    server: Flask, cache_config: Mapping[str, Any], provinces: list[str] | None
) -> None:
    """One engine per server, one connection per request (closed on teardown), the
    cache, and the provinces the app was set up with (``None``: the country)."""
    counted = {COUNT_UNAPPROVED_OPTION: bool(server.config["COUNT_UNAPPROVED"])}
    server.extensions[_ENGINE] = make_engine(
        server.config["DATABASE_URL"],
        statement_timeout_ms=server.config["STATEMENT_TIMEOUT_MS"],
        pool_timeout=server.config["DB_POOL_TIMEOUT"],
    ).execution_options(**counted)
    server.extensions[_PROVINCES] = provinces
    server.extensions[_WARMING] = None  # init_warming
    server.teardown_appcontext(_close_conn)
    cache.init_app(server, config=dict(cache_config))


# --- the database ------------------------------------------------------------------


def engine(server: Flask | None = None) -> Engine:
    app = server or current_app
    return app.extensions[_ENGINE]


def conn() -> Connection:
    """The request's read connection (opened on first use)."""
    if "db_conn" not in g:
        g.db_conn = engine().connect()
    return g.db_conn


def _close_conn(_exc: BaseException | None = None) -> None:
    connection = g.pop("db_conn", None)
    if connection is not None:
        connection.close()


def _versions() -> metrics.Versions:
    """The database's id, its facts version and its boundary version, read once
    per request (one statement)."""
    if "versions" not in g:
        g.versions = metrics.versions(conn())
        _seen(_facts_key(g.versions))
    return g.versions


def _facts_key(v: metrics.Versions) -> str:
    return f"{v.database}.{v.facts}.{v.boundaries}"


def facts_key() -> str:
    """Part of every cache key: which database, which facts, which boundaries —
    so new facts (a demo seed, a report submitted, boundaries imported) are
    never served from an old entry."""
    return _facts_key(_versions())


def facts_changed() -> None:
    """This request has just written facts: the next cached read asks again, and
    the cache is warmed for the new facts (``init_warming``)."""
    g.pop("versions", None)
    if current_app.extensions.get(_WARMING) is not None:
        _versions()


def init_warming(server: Flask, warm: Callable[[], object] | None) -> None:
    """``warm()`` puts a warming job on the queue (``dashboard.warming``); it is
    called when this process first sees a facts version: after a write of its
    own (``facts_changed``), of another process, of a job or of the command line
    (the next request reads the new version).  None: no warming."""
    server.extensions[_WARMING] = None if warm is None else _Warming(warm)


class _Warming:
    """The versions this process asked to warm (the last one: versions only
    move forward)."""

    def __init__(self, warm: Callable[[], object]) -> None:
        self.warm = warm
        self.seen: str | None = None


def _seen(key: str) -> None:
    warming = current_app.extensions.get(_WARMING)
    if warming is None or warming.seen == key:
        return
    warming.seen = key
    try:
        warming.warm()
    except Exception:  # the queue unreachable: the request goes on, unwarmed
        log.exception("could not queue the warming of the cache")


def boundary_version() -> str:
    """This request's boundary version (``data.boundaries.boundary_version``)."""
    return _versions().boundaries


# Lookups of places that read the units and their crosswalk and nothing else:
# keyed by the units version (moved on by any write of either: migration 0029)
# instead of the facts version, so a view after new facts finds its breadcrumb
# and its units without asking the database again.
ON_UNITS = frozenset(
    {
        places.place,
        places.chain,
        places.provinces,
        places.default_places,
        places.counterpart,
    }
)


def _key(func: Callable[..., Any], kwargs: dict[str, Any]) -> str:
    # full roles see the same figures: one entry for the admin and the province
    shown = {
        k: figures_scope(v) if isinstance(v, Scope) else v for k, v in kwargs.items()
    }
    args = ",".join(f"{k}={shown[k]!r}" for k in sorted(shown))
    if func in ON_UNITS:
        v = _versions()
        name = f"{func.__module__}.{func.__qualname__}"
        return f"place:{name}:{v.database}.{v.units}:{args}"
    # whether unapproved reports count (COUNT_UNAPPROVED) changes the figures
    counted = "" if approvals.counts_unapproved(conn()) else ":approved"
    return f"agg:{func.__module__}.{func.__qualname__}:{facts_key()}{counted}:{args}"


def cached(func: Callable[..., T], **kwargs: Any) -> T:
    """``func(conn, **kwargs)`` on the request's connection, through the cache
    (each caller gets its own copy: the cache keeps values pickled; a value
    ``cache_together`` has just computed in this request is handed to its
    first caller as it is, not read back)."""
    key = _key(func, kwargs)
    value = _computed().pop(key, None)
    if value is None:
        value = cache.get(key)
    if value is None:
        value = func(conn(), **kwargs)
        cache.set(key, value)
    return value


def cache_together(
    together: Callable[..., tuple], parts: Sequence[tuple[Callable, dict]], **kwargs
) -> None:
    """Fill the cache of ``cached(func, **kw)`` for each ``(func, kw)`` of
    ``parts`` at once: when any of them is missing, all are computed by
    ``together(conn, **kwargs)`` (a tuple in the order of ``parts``, each value
    what ``func`` would return) and each is kept under its own key, where
    ``cached`` then finds it.  Asks only whether they are there (no value is
    read twice on a warm call)."""
    keys = [_key(func, kw) for func, kw in parts]
    if all(cache.has(key) for key in keys):
        return
    values = together(conn(), **kwargs)
    computed = _computed()
    for key, value in zip(keys, values, strict=True):
        cache.set(key, value)
        computed[key] = value  # the cache keeps a pickled copy


def _computed() -> dict[str, Any]:
    """Values computed by ``cache_together`` in this request and not yet taken:
    their first ``cached`` caller takes the object itself (nobody else holds
    it), instead of unpickling the copy just stored."""
    if "computed" not in g:
        g.computed = {}
    return g.computed


def configured_provinces() -> list[str] | None:
    """Province codes the app was set up with (``PROVINCES``); None: the country."""
    return current_app.extensions[_PROVINCES]


# --- who asks ----------------------------------------------------------------------


class SignedIn(UserMixin):
    """The signed-in user as the app sees it: account, role and area.  Its id, kept
    in the session and the remember cookie, carries the session generation."""

    def __init__(self, account: users.Account) -> None:
        self.account = account
        self.id = f"{account.id}:{account.session_generation}"

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def role(self) -> str:
        return self.account.role


def user() -> SignedIn | None:
    """The signed-in user of this request, or None."""
    return current_user if current_user.is_authenticated else None


def scope() -> Scope | None:
    """What the signed-in user may see (None: nobody is signed in)."""
    who = user()
    if who is None:
        return None
    if g.get("scope_of") != who.id:
        g.scope = Scope(who.role, who.account.scope_unit_id)
        g.scope_of = who.id
    return g.scope


def asking() -> Scope:
    """The signed-in user's scope (PreventUpdate for nobody)."""
    found = scope()
    if found is None:
        raise PreventUpdate
    return found


def sees_exact() -> bool:
    found = scope()
    return found is not None and found.exact


def language(requested: object) -> str:
    """The language a page, link or callback asks for, else the configured one."""
    return requested if requested in LANGUAGES else current_app.config["LANGUAGE"]


# --- the audit log -----------------------------------------------------------------


def address() -> str:
    return request.remote_addr or "unknown"


def audit_as(action: str, user_id: int | None, username: str, detail: dict) -> None:
    """An audit row, written in its own transaction, from this request's address."""
    with transaction(engine()) as s:
        audit_log.record(
            s,
            action,
            user_id=user_id,
            username=username[:64] or None,
            detail=detail,
            remote_addr=address(),
        )


def audit(action: str, detail: dict) -> None:
    """An audit row for what the signed-in user just did (e.g. an export)."""
    who = user()
    if who is None:
        raise PermissionError("nobody is signed in")
    audit_as(action, who.account.id, who.username, detail)


def refused_outside_area(what: str, detail: dict) -> None:
    """Audit a request refused because it names a unit outside the signed-in
    user's area (``data.scope``): ``what`` was asked for, and of which unit.
    Every place that refuses on those grounds calls this one."""
    who = user()
    audit_as(
        "scope_refused",
        who.account.id if who is not None else None,
        who.username if who is not None else "",
        {"what": what, **detail},
    )
