"""Aggregates from data/, cached per arguments and facts version.

Every worker shares the cache when Redis is configured; the key carries
``facts_version``, so new facts (a demo seed, a report submitted) are never served
from an old entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from dashboard.database import get_conn
from dashboard.extensions import cache
from data import metrics, state

T = TypeVar("T")


def _key(func: Callable[..., Any], version: str, kwargs: dict[str, Any]) -> str:
    args = ",".join(f"{k}={kwargs[k]!r}" for k in sorted(kwargs))
    return f"agg:{func.__module__}.{func.__qualname__}:{version}:{args}"


def cached(func: Callable[..., T], **kwargs: Any) -> T:
    """``func(conn, **kwargs)`` on the request's connection, through the cache."""
    conn = get_conn()
    version = f"{state.database_id(conn)}.{metrics.facts_version(conn)}"
    key = _key(func, version, kwargs)
    value = cache.get(key)
    if value is None:
        value = func(conn, **kwargs)
        cache.set(key, value)
    return value
