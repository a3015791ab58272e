"""The shared cache with the values a process has read kept near, in its memory.

Every cached read of a figure asked Redis (a round trip: 12 % of a web worker's
time at a meeting's load, more than any query) or read a file of the file cache.
The value under a key never changes: a key names the database, the facts version
and the boundary version it was computed for (``callbacks.context.facts_key``),
and new facts make new keys.  So each process keeps the values it has read, as
pickled bytes (every reader gets a copy of its own, as from the shared cache),
for at most ``NEAR_SECONDS`` and within ``CACHE_LOCAL_MB`` megabytes, the least
recently read dropped first.  A write of a key drops the process's own copy;
deleting or clearing the shared cache does not reach the other processes'
copies, and nothing in the app relies on it (its keys move on instead).
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask
from flask_caching.backends.base import BaseCache
from flask_caching.backends.filesystemcache import FileSystemCache

from dashboard.redis_cache import Timeout, TolerantRedisCache

# Longest a process serves a value from its own copy (or the shared cache's
# timeout, when shorter): a value read near the end of the shared entry's life
# lives at most this much longer.
NEAR_SECONDS = 300.0


class NearCopies:
    """Pickled values by key, at most ``budget`` bytes in all, each for at most
    ``seconds``; the least recently read go first.  Safe across threads."""

    def __init__(self, budget: int, seconds: float = NEAR_SECONDS) -> None:
        self.budget = budget
        self.seconds = seconds
        self.size = 0
        self._kept: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """The pickled value of ``key`` (None: not kept, or kept too long)."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            until, data = found
            if time.monotonic() >= until:
                self._drop(key)
                return None
            self._kept.move_to_end(key)
            return data

    def put(self, key: str, value: Any) -> None:
        """Keep a copy of ``value``; one larger than an eighth of the budget is
        not kept (a whole country's boundaries would push out every figure)."""
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.budget // 8:
            return
        with self._lock:
            self._drop(key)
            self._kept[key] = (time.monotonic() + self.seconds, data)
            self.size += len(data)
            while self.size > self.budget:
                self._drop(next(iter(self._kept)))

    def discard(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._kept)

    def _drop(self, key: str) -> None:
        found = self._kept.pop(key, None)
        if found is not None:
            self.size -= len(found[1])


class _Near(BaseCache):
    """A cache backend whose reads are kept near (``NearCopies``): put before
    the shared backend's class, which does the rest."""

    # none kept until ``factory`` gives the instance its own (the file cache
    # reads and writes its count while it is being made)
    near = NearCopies(0)
    # the backend's own bookkeeping entries, read through ``get`` too: not kept
    own_entries: frozenset[str] = frozenset()

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        made = super().factory(app, config, args, kwargs)
        assert isinstance(made, _Near)
        shared = float(made.default_timeout or 0)  # 0: the shared entries stay
        seconds = min(NEAR_SECONDS, shared) if shared > 0 else NEAR_SECONDS
        made.near = NearCopies(int(config["CACHE_LOCAL_MB"]) * 2**20, seconds)
        return made

    def get(self, key: str) -> Any:
        if key in self.own_entries:
            return super().get(key)
        data = self.near.get(key)
        if data is not None:
            return pickle.loads(data)
        value = super().get(key)
        if value is not None:
            self.near.put(key, value)
        return value

    def has(self, key: str) -> bool:
        return self.near.get(key) is not None or bool(super().has(key))

    def set(self, key: str, value: Any, *more: Any, **named: Any) -> Any:
        self.near.discard(key)
        return super().set(key, value, *more, **named)

    def add(self, key: str, value: Any, timeout: Timeout = None) -> Any:
        self.near.discard(key)
        return super().add(key, value, timeout)

    def set_many(self, mapping: dict[str, Any], timeout: Timeout = None) -> Any:
        self.near.discard(*mapping)
        return super().set_many(mapping, timeout)

    def delete(self, key: str, *more: Any, **named: Any) -> Any:
        self.near.discard(key)
        return super().delete(key, *more, **named)

    def delete_many(self, *keys: str) -> Any:
        self.near.discard(*keys)
        return super().delete_many(*keys)

    def clear(self) -> Any:
        self.near.clear()
        return super().clear()


class NearRedisCache(_Near, TolerantRedisCache):
    """Redis (tolerant of its absence) with each process's reads kept near."""


class NearFileSystemCache(_Near, FileSystemCache):
    """The file cache with each process's reads kept near (not its count of
    files, which every process updates)."""

    own_entries = frozenset({FileSystemCache._fs_count_file})
