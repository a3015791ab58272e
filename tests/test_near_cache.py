"""The shared cache with each process's reads kept near (``dashboard.near_cache``):
a value read once is served from the process's memory, each reader getting a
copy of its own, within a byte budget and for at most a few minutes; a write
of the key drops the copy; the map answers the same with and without it."""

from __future__ import annotations

import redis

from callbacks import context
from dashboard.near_cache import NearCopies, NearFileSystemCache, NearRedisCache
from dashboard.redis_cache import TolerantRedisCache
from tests.conftest import signed_client
from tests.test_request_context import run, theme_change


def test_copies_are_kept_within_the_budget_least_recently_read_first() -> None:
    near = NearCopies(budget=4000)
    for n in range(4):
        near.put(f"k{n}", b"x" * 400)  # each a little over 400 bytes pickled
    assert len(near) == 4
    near.get("k0")  # read: now the most recent
    for n in range(4, 12):
        near.put(f"k{n}", b"x" * 400)
    assert near.size <= 4000
    assert near.get("k0") is not None  # read again and again, kept
    near.get("k0")
    assert near.get("k1") is None and near.get("k2") is None  # the oldest went
    near.put("big", b"x" * 600)  # more than an eighth of the budget
    assert near.get("big") is None
    near.discard("k0")
    assert near.get("k0") is None
    near.clear()
    assert len(near) == 0 and near.size == 0


def test_a_copy_expires_and_each_reader_gets_its_own() -> None:
    near = NearCopies(budget=1 << 20, seconds=0.0)
    near.put("gone", {"a": 1})
    assert near.get("gone") is None and near.size == 0
    near = NearCopies(budget=1 << 20)
    near.put("rows", [1, 2])
    import pickle

    first = pickle.loads(near.get("rows") or b"")
    first.append(3)  # a caller changing its copy changes no other
    assert pickle.loads(near.get("rows") or b"") == [1, 2]


def test_a_value_read_once_needs_no_round_trip(seeded, make_app, redis_url) -> None:
    app = make_app(seeded, CACHE_REDIS_URL=redis_url)
    with app.server.app_context():
        backend = app.server.extensions["cache"][context.cache]
        assert isinstance(backend, NearRedisCache)
        store = redis.Redis.from_url(redis_url)
        context.cache.set("near-test", {"rows": [1, 2]})
        assert context.cache.get("near-test") == {"rows": [1, 2]}  # from Redis
        store.delete("cpd:near-test")  # Redis no longer has it: the copy answers
        assert context.cache.get("near-test") == {"rows": [1, 2]}
        assert context.cache.has("near-test")
        context.cache.set("near-test", {"rows": [3]})  # a write drops the copy
        assert context.cache.get("near-test") == {"rows": [3]}
        context.cache.delete("near-test")
        assert context.cache.get("near-test") is None


def test_without_a_budget_the_shared_cache_is_read_as_before(
    seeded, make_app, redis_url, tmp_path
) -> None:
    short = make_app(seeded, CACHE_REDIS_URL=redis_url, CACHE_TIMEOUT=60)
    backend = short.server.extensions["cache"][context.cache]
    assert backend.near.seconds == 60  # never longer than the shared entries
    plain = make_app(seeded, CACHE_REDIS_URL=redis_url, CACHE_LOCAL_MB=0)
    backend = plain.server.extensions["cache"][context.cache]
    assert type(backend) is TolerantRedisCache
    files = make_app(
        seeded, CACHE_REDIS_URL="", CACHE_DIR=str(tmp_path / "c"), CACHE_ENTRIES=50
    )
    backend = files.server.extensions["cache"][context.cache]
    assert isinstance(backend, NearFileSystemCache)
    with files.server.app_context():
        for n in range(200):  # the file count is read past the copies
            context.cache.set(f"walk:{n}", n)
            assert context.cache.get(f"walk:{n}") == n
    # as cachelib keeps it: at most one past the threshold, and its count
    assert len(list((tmp_path / "c").iterdir())) <= 52


def test_the_map_answers_the_same_with_copies_kept_near(
    seeded, make_app, redis_url
) -> None:
    near = make_app(seeded, CACHE_REDIS_URL=redis_url)
    here = make_app(seeded, CACHE_REDIS_URL="")
    for theme in ("incidents", "fund", "incidents"):  # the last from the copies
        answers, _ = run(near, theme_change(signed_client(near, "admin"), theme))
        expected, _ = run(here, theme_change(signed_client(here, "admin"), theme))
        assert answers == expected and answers[0] is not None
