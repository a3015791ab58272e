"""Flask extensions, created unbound here and bound to a server in ``create_app``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_caching import Cache

cache = Cache()


def cache_config(conf: Mapping[str, Any]) -> dict[str, Any]:
    """Redis when CACHE_REDIS_URL is set (shared by all workers), else in-process."""
    timeout = int(conf["CACHE_TIMEOUT"])
    if conf.get("CACHE_REDIS_URL"):
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": conf["CACHE_REDIS_URL"],
            "CACHE_KEY_PREFIX": "cpd:",
            "CACHE_DEFAULT_TIMEOUT": timeout,
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout}
