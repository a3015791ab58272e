"""Warming the cache: a change of the facts queues one warming job (never two
waiting), which fills the shared cache with what a meeting's first screens read
(each theme's map, the ranking, the review of the last quarter), so that those
screens then compute nothing; none is queued when CACHE_WARM is off or the cache
is not shared.  The cost of a file-cache hit is measured against an in-process
one (printed, not asserted)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cachelib import FileSystemCache, SimpleCache

from callbacks import context
from callbacks.themes import THEMES
from dashboard import jobs, warming
from data.db import make_engine, transaction
from data.metrics.dataset import record_facts_changed
from layouts import ids
from tests.conftest import post_callback, signed_client
from tests.test_first_screen import _signed_in
from tests.test_ranking_page import rank
from tests.test_request_context import _work, counted


def _conf(seeded: dict, tmp_path, **more) -> dict:
    """``seeded`` with a queue and a file cache of the test's own."""
    return {
        **seeded,
        "INSTANCE_PATH": str(tmp_path),
        "CACHE_DIR": str(tmp_path / "cache"),
        "JOB_QUEUE_URL": "",
        "CACHE_REDIS_URL": "",
        **more,
    }


def _cli_write(conf: dict) -> None:
    """A write outside the web (the command line, a job): the facts version moves."""
    engine = make_engine(conf["DATABASE_URL"])
    try:
        with transaction(engine) as session:
            record_facts_changed(session)
    finally:
        engine.dispose()


def _web_write(app) -> None:
    """A request that writes facts and says so (as a submission or an approval
    does)."""
    with app.server.test_request_context("/"):
        context.conn()  # the request has read the old version already
        context.facts_key()
        with transaction(context.engine()) as session:
            record_facts_changed(session)
        context.facts_changed()


def _run_queued(queue: jobs.JobQueue) -> None:
    """Run the waiting jobs now, in a thread as a worker does (its threads start
    without the main thread's context variables)."""
    failed: list[BaseException] = []
    while (task := queue.huey.dequeue()) is not None:

        def run(task=task) -> None:
            try:
                queue.huey.execute(task)
            except BaseException as exc:
                failed.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        assert not failed, failed


@contextmanager
def computed(app) -> Iterator[tuple[list[str], list[str]]]:
    """(cache keys set, statements run) while the block runs: a request that
    finds everything cached sets no key."""
    keys: list[str] = []
    with app.server.app_context():
        backend = context.cache.cache
    original = backend.set

    def set_(key, value, timeout=None, **more):
        if not more.get("mgmt_element"):  # the file cache's own count
            keys.append(key)
        return original(key, value, timeout, **more)

    backend.set = set_
    try:
        with counted(app) as statements:
            yield keys, statements
    finally:
        backend.set = original


def _page(app, build: Callable[[], object]) -> dict[str, dict]:
    """A page built as the signed-in province user (the props by id)."""
    with app.server.test_request_context("/"):
        _signed_in(app, "province")
        return warming._props(build())


def first_screens(app, client) -> list[tuple[str, Callable[[], object]]]:
    """What a meeting opens first, as requests of the province user: the map
    page and its map, then each theme clicked; the ranking page and its table;
    the review."""
    from dashboard import pages

    map_page = _page(app, pages.map_view)
    view, period = map_page[ids.VIEW]["data"], map_page[ids.PERIOD]["value"]

    def draw(theme: str, changed: str) -> object:
        return post_callback(
            client,
            [
                (ids.MAP, "figure"),
                (ids.SUMMARY, "children"),
                (ids.BREADCRUMB, "children"),
                (ids.HINT, "children"),
                (ids.MAP_LABELS, "data"),
            ],
            [
                (ids.VIEW, "data", view),
                (ids.SELECTED, "data", map_page[ids.SELECTED]["data"]),
                (ids.THEME, "value", theme),
                (ids.PERIOD, "value", period),
                (ids.CATEGORY, "value", map_page[ids.CATEGORY]["value"]),
                (ids.TYPES, "value", map_page[ids.TYPES]["value"]),
                (ids.MEASURE, "value", map_page[ids.MEASURE]["value"]),
                (ids.CLASSES, "value", map_page[ids.CLASSES]["value"]),
                (ids.MAP_SIZE, "data", [800, 560]),
            ],
            [(ids.LANG, "data", "vi")],
            changed=changed,
            partial=True,
        )

    def notes(theme: str) -> object:
        return post_callback(
            client,
            [(ids.REFORM_NOTES, "children"), (ids.GROUPS_BOX, "style")],
            [
                (ids.VIEW, "data", view),
                (ids.PERIOD, "value", period),
                (ids.THEME, "value", theme),
            ],
            [(ids.LANG, "data", "vi")],
        )

    ranking_page = _page(app, pages.ranking_view)
    screens: list[tuple[str, Callable[[], object]]] = [
        ("map page", lambda: _page(app, pages.map_view)),
        ("map", lambda: draw(THEMES[0], f"{ids.VIEW}.data")),
        ("map notes", lambda: notes(THEMES[0])),
    ]
    for theme in THEMES[1:]:
        screens += [
            (f"map {theme}", lambda th=theme: draw(th, f"{ids.THEME}.value")),
            (f"map notes {theme}", lambda th=theme: notes(th)),
        ]
    return [
        *screens,
        ("ranking page", lambda: _page(app, pages.ranking_view)),
        (
            "ranking",
            lambda: rank(
                client,
                ranking_page[ids.RANK_UNIT]["data"],
                ranking_page[ids.RANK_PERIOD]["value"],
            ),
        ),
        ("review", lambda: _page(app, pages.present_view)),
    ]


def _measure(app, screens) -> dict[str, tuple[list[str], list[str]]]:
    """Each screen's (keys set, statements beyond the sign-in check)."""
    found = {}
    for name, screen in screens:
        with computed(app) as (keys, statements):
            screen()
        found[name] = (list(keys), _work(list(statements)))
    return found


def _versions_reads(statements: list[str]) -> list[str]:
    """The request's one read of the versions (``context.facts_key``)."""
    return [s for s in statements if "meta" in s.lower() and "boundary" in s.lower()]


def test_a_change_queues_one_warming_that_fills_the_first_screens(
    seeded, make_app, tmp_path
) -> None:
    conf = _conf(seeded, tmp_path)
    app = make_app(conf)
    client = signed_client(app, "province")
    queue: jobs.JobQueue = app.server.extensions["job_queue"]
    screens = first_screens(app, client)  # the first request sees the version
    _run_queued(queue)  # (warming the version the app started on)

    _web_write(app)  # a submission, an approval...
    assert queue.pending() == 1
    _cli_write(conf)  # and one from the command line, seen by the next request
    _web_write(app)
    assert queue.pending() == 1  # one waits: no second
    _run_queued(queue)
    assert queue.pending() == 0
    assert queue._warmer is not None and queue._warmer.last is not None
    print(f"warming: {queue._warmer.last}")
    assert queue._warmer.last.views > 0 and queue._warmer.last.failed == []

    found = _measure(app, screens)
    for name, (keys, statements) in found.items():
        print(f"{name}: {len(keys)} entries computed, {len(statements)} statements")
    assert {name: keys for name, (keys, _s) in found.items() if keys} == {}
    # the map's callbacks read nothing beyond the request's versions (the
    # ranking reads the published ranks as entered: never cached)
    for name in ["map", *(f"map {t}" for t in THEMES[1:])]:
        statements = found[name][1]
        assert statements == _versions_reads(statements), (name, statements)

    # and the next change: the warming follows it
    _cli_write(conf)
    before = _measure(app, screens[:2])
    assert all(keys for keys, _s in before.values())  # not warmed: computed
    _cli_write(conf)
    screens[0][1]()  # a request sees the new version: a warming is queued
    assert queue.pending() == 1
    _run_queued(queue)
    after = _measure(app, screens)
    assert {name: keys for name, (keys, _s) in after.items() if keys} == {}


def test_no_warming_when_it_is_off_or_the_cache_is_not_shared(
    seeded_sqlite, make_app, tmp_path
) -> None:
    off = make_app(_conf(seeded_sqlite, tmp_path, CACHE_WARM=False))
    queue: jobs.JobQueue = off.server.extensions["job_queue"]
    client = signed_client(off, "province")
    screens = first_screens(off, client)
    _web_write(off)
    _cli_write(seeded_sqlite)
    found = _measure(off, screens)
    assert queue.pending() == 0
    assert found["map"][0] and found["ranking"][0]  # computed by the requests

    # in-process (test mode without CACHE_DIR): a worker could not fill it
    own = make_app({**_conf(seeded_sqlite, tmp_path / "own"), "CACHE_DIR": ""})
    with own.server.app_context():
        assert type(context.cache.cache).__name__ == "SimpleCache"
    _web_write(own)
    assert own.server.extensions["job_queue"].pending() == 0


def test_an_interrupted_warming_waits_again_once(tmp_path) -> None:
    """A worker stopped during a warming puts it back (it has no job row), once."""
    queue = jobs.JobQueue(
        {"INSTANCE_PATH": str(tmp_path), "JOB_QUEUE_URL": "", "CACHE_REDIS_URL": ""}
    )
    assert queue.warm_soon() and not queue.warm_soon()
    task = queue.huey.dequeue()
    assert task.name == jobs.WARM
    queue.huey.get(jobs.WARM_WAITING)  # it started
    queue._interrupted("interrupted", task)
    assert queue.pending() == 1
    queue._interrupted("interrupted", task)  # another stopped one: still one
    assert queue.pending() == 1


def test_the_cost_of_a_file_cache_hit(seeded_sqlite, make_app, tmp_path) -> None:
    """A typical map frame (the fund theme's district listing) read from the file
    cache and from the in-process one; the times are printed, not asserted."""
    from data import metrics
    from data.periods import Period, today_vn
    from data.scope import FULL

    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            start = time.perf_counter()
            frame = metrics.fund_progress(
                conn,
                tree="legacy",
                level="district",
                parent_code="64",
                period=Period(2024),
                today=today_vn(),
                scope=FULL,
            )
            computed_ms = (time.perf_counter() - start) * 1000
    finally:
        engine.dispose()
    caches = {
        "in-process": SimpleCache(threshold=5000),
        "file": FileSystemCache(str(tmp_path / "cache"), threshold=5000),
    }
    rounds = 200
    for name, cache in caches.items():
        cache.set("frame", frame)
        start = time.perf_counter()
        for _ in range(rounds):
            got = cache.get("frame")
        took = (time.perf_counter() - start) / rounds * 1000
        assert got.equals(frame)
        print(f"{name} hit: {took:.3f} ms")
    size = len(json.dumps(frame.to_dict("records"), default=str))
    print(f"computed: {computed_ms:.1f} ms; {len(frame)} rows, ~{size} bytes as JSON")
