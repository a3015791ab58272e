"""The figures' cache in Redis (``dashboard.redis_cache``): while Redis is
away, reads miss and writes are dropped, and the app answers from the
database (a Redis restart at a meeting once turned map calls into HTTP 500)."""

from __future__ import annotations

import logging
import socket

from callbacks import context
from dashboard.redis_cache import TolerantRedisCache
from tests.conftest import signed_client
from tests.test_request_context import run, theme_change


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_redis_is_a_miss(caplog) -> None:
    from redis import from_url

    cache = TolerantRedisCache(
        host=from_url(f"redis://127.0.0.1:{_closed_port()}/0", socket_timeout=0.5),
        key_prefix="cpd-test:",
    )
    with caplog.at_level(logging.WARNING, logger="dashboard.redis_cache"):
        assert cache.get("a") is None
        assert cache.set("a", 1) is False
        assert cache.get_many("a", "b") == [None, None]
        assert cache.has("a") is False and cache.delete("a") is False
    warned = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warned) == 1  # once per outage, not once per call


def test_a_reachable_redis_keeps_values() -> None:
    from redis import from_url

    cache = TolerantRedisCache(
        host=from_url("redis://127.0.0.1:6379/15"), key_prefix="cpd-test:"
    )
    cache.set("kept", {"value": 1})
    assert cache.get("kept") == {"value": 1}
    cache.delete("kept")


def test_the_map_answers_while_redis_is_away(seeded, make_app) -> None:
    """The same answers with the cache in Redis unreachable as with the
    in-process cache."""
    away = make_app(seeded, CACHE_REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    backend = away.server.extensions["cache"][context.cache]
    assert isinstance(backend, TolerantRedisCache)
    here = make_app(seeded, CACHE_REDIS_URL="")
    for theme in ("incidents", "fund"):
        answers, _ = run(away, theme_change(signed_client(away, "admin"), theme))
        expected, _ = run(here, theme_change(signed_client(here, "admin"), theme))
        assert answers == expected and answers[0] is not None
