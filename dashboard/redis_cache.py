"""The figures' cache in Redis, for which an unreachable Redis is a miss.

flask-caching's ``RedisCache`` raises when Redis is restarting or unreachable,
and every map call then failed with HTTP 500 although the database could answer
it.  The cache only saves work: while Redis is away, reads miss and writes are
dropped (the figures are computed from the database, as cold), and each call
waits at most ``SOCKET_TIMEOUT`` seconds for it.  One warning per outage is
logged, and the next call that reaches Redis again logs its return.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

Timeout = int | timedelta | None  # of an entry (cachelib's)

# Seconds a cache call waits for Redis (connecting, then answering).
SOCKET_TIMEOUT = 0.5


class TolerantRedisCache(RedisCache):
    """``RedisCache`` whose reads miss and writes do nothing while Redis is
    unreachable (``CACHE_TYPE = "dashboard.redis_cache.TolerantRedisCache"``)."""

    _away = False

    def _failed(self, error: RedisError) -> None:
        if not self._away:
            log.warning("cache unreachable, computing without it: %s", error)
        self._away = True

    def _reached(self) -> None:
        if self._away:
            log.warning("cache reachable again")
        self._away = False

    def _call(self, name: str, missed: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            self._failed(error)
            return missed
        self._reached()
        return result

    def get(self, key: str) -> Any:
        return self._call("get", None, key)

    def get_many(self, *keys: str) -> list[Any]:
        return self._call("get_many", [None] * len(keys), *keys)

    def has(self, key: str) -> bool:
        return self._call("has", False, key)

    def set(self, key: str, value: Any, timeout: Timeout = None) -> Any:
        return self._call("set", False, key, value, timeout)

    def add(self, key: str, value: Any, timeout: Timeout = None) -> Any:
        return self._call("add", False, key, value, timeout)

    def set_many(self, mapping: dict[str, Any], timeout: Timeout = None) -> Any:
        return self._call("set_many", [], mapping, timeout)

    def delete(self, key: str) -> bool:
        return self._call("delete", False, key)

    def delete_many(self, *keys: str) -> Any:
        return self._call("delete_many", [], *keys)

    def clear(self) -> bool:
        return self._call("clear", False)
