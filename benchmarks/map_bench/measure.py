"""Timing and byte counts of the interactions on one boundary set, both ways.

Every request goes through the Flask test clients, so times are server times
without a network (the median of the repeats; for the app cold -- the facts
version moved on before each call, as new facts move it -- and warm) and sizes
are uncompressed bodies.  Per interaction this gives the app's ``update_map``
response and its bytes per output, the GeoJSON the browser then GETs, the app's
side callbacks, the naive app's response, and the floor: the compact JSON of the
shown units' ids and values alone, as the app computes and rounds them.
``measure_set`` turns that into one row per interaction, with the ratios of the
two ways.
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dash import Dash
from flask.testing import FlaskClient
from flask_login import login_user

from callbacks import map_views
from callbacks.context import SignedIn, engine
from callbacks.context import conn as get_conn
from callbacks.map_geometry import cached_geojson
from callbacks.themes import VIEWS
from dashboard import create_app
from data import users
from data.boundaries import load_boundaries
from data.db import transaction
from data.metrics.dataset import record_facts_changed
from data.units import unit_with_parent
from layouts import ids

from .config import DISTRICT, LANG, PROVINCE, TREE, UPDATE
from .databases import app_settings
from .naive import naive_app
from .payloads import Step, interactions, map_payload, naive_payload, side_payloads
from .signin import USERNAME, ensure_admin, signed_client


@dataclass
class Timed:
    ms: float  # median
    size: int  # bytes of the response body (the same on every repeat)
    body: bytes


def timed(call: Callable[[], Any], repeats: int, before: Callable[[], None]) -> Timed:
    """Median wall time of ``call()`` (a test-client request), ``before`` untimed."""
    times, response = [], None
    for _ in range(repeats):
        before()
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1e3)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.data[:500]!r}")
    assert response is not None
    return Timed(statistics.median(times), len(response.data), response.data)


def _nothing() -> None:
    pass


def post(client: FlaskClient, payload: dict) -> Callable[[], Any]:
    return lambda: client.post(UPDATE, json=payload)


def _operations(body: bytes) -> list[dict]:
    figure = json.loads(body)["response"][ids.MAP]["figure"]
    return figure.get("operations", [])


def geojson_url(body: bytes) -> str | None:
    """The GeoJSON URL the app's map patch points the layers at (None: unchanged)."""
    for op in _operations(body):
        if op["location"][-1] == "geojson":
            return str(op["params"]["value"])
    return None


def part_bytes(body: bytes) -> dict[str, int]:
    """Bytes of each output of a multi-output response (compact JSON, as Dash)."""
    response = json.loads(body)["response"]
    return {
        f"{cid}.{prop}": len(json.dumps(value, separators=(",", ":")))
        for cid, props in response.items()
        for prop, value in props.items()
    }


def floor_bytes(app: Dash, step: Step) -> tuple[int, int]:
    """(bytes, units) of ``{"ids": [...], "values": [...]}`` of the units shown."""
    with app.server.test_request_context():
        account = users.get_account(get_conn(), username=USERNAME)
        assert account is not None, "ensure_admin first"
        login_user(SignedIn(account))
        q = map_views.query(
            {"unit": step.unit},
            step.theme,
            step.period,
            "both",
            [],
            "rate",
            "quantile",
            LANG,
        )
        collection = cached_geojson(TREE, q.level, q.unit)
        codes = [f["id"] for f in collection["features"]]
        values = VIEWS[q.theme](q, codes).values
    floor = json.dumps({"ids": codes, "values": values}, separators=(",", ":"))
    return len(floor), len(codes)


def clear_cache(app: Dash) -> Callable[[], None]:
    """Cold as after new facts: the facts version moves on (as a submission or an
    import moves it), so every cached aggregate misses; the geometry, keyed by the
    boundary version, stays cached as it does in use."""

    def new_facts() -> None:
        with transaction(engine(app.server)) as session:
            record_facts_changed(session)

    return new_facts


def pick_district(app: Dash) -> str:
    """Chư Sê (633) if it is a district of Gia Lai, else the one with most communes."""
    with app.server.app_context():
        conn = get_conn()
        found = unit_with_parent(conn, tree=TREE, code=DISTRICT)
        if found and found["parent_code"] == PROVINCE:
            return DISTRICT
        districts = load_boundaries(
            conn, tree=TREE, level="district", parent_code=PROVINCE
        )["code"]
        communes = load_boundaries(conn, tree=TREE, level="commune")
    inside = communes[communes["parent_code"].isin(set(districts))]
    return str(inside["parent_code"].value_counts().idxmax())


def check_navigate(body: bytes, step: Step) -> None:
    """The drill / crumb payload really leads to the step's view (not a no-op)."""
    view = json.loads(body)["response"][ids.VIEW]["data"]
    if view != {"unit": step.unit}:
        raise RuntimeError(f"navigate went to {view}, expected {step.unit}")


@dataclass
class Bench:
    """The app and the naive app of one boundary set, with their test clients."""

    app: Dash
    client: FlaskClient
    naive: Dash
    naive_client: FlaskClient
    sums_client: FlaskClient  # the naive app reading the kept sums
    repeats: int


@dataclass
class Side:
    """The app's side callbacks of one interaction: summed times and bytes."""

    ms: float
    size: int
    names: list[str]


@dataclass
class Runs:
    """The timed requests of one interaction."""

    app_cold: Timed
    app_apart: Timed  # cold, listing and headline read apart (``apart``)
    app_warm: Timed
    url: str | None  # the GeoJSON URL in the app's map patch
    geojson: Timed | None  # the browser's GET of it, when it fetches one
    side: Side
    naive: Timed
    naive_sums: Timed


def _fetch_geojson(bench: Bench, step: Step, url: str | None) -> Timed | None:
    """The GET of the level's GeoJSON, when the browser fetches one after ``step``."""
    if not step.fetch:
        return None
    if url is None:
        raise RuntimeError(f"{step.label}: the map patch has no GeoJSON URL")
    return timed(lambda u=url: bench.client.get(u), bench.repeats, _nothing)


def _measure_side(bench: Bench, step: Step) -> Side:
    """The app's side callbacks of ``step``, one after the other."""
    total = Side(0.0, 0, [])
    for side_name, side_payload in side_payloads(bench.app, step):
        side = timed(post(bench.client, side_payload), bench.repeats, _nothing)
        if side_name == "navigate":
            check_navigate(side.body, step)
        total.ms, total.size = total.ms + side.ms, total.size + side.size
        total.names.append(side_name)
    return total


@contextmanager
def apart() -> Iterator[None]:
    """The app reading each view's listing and headline apart, as before
    ``map_views.read_together``: what reading them by one statement brings."""
    together = map_views.read_together
    map_views.read_together = lambda q: None
    try:
        yield
    finally:
        map_views.read_together = together


def interleaved(bench: Bench, step: Step) -> dict[str, Timed]:
    """The app cold (reading listing and headline together, and apart), warm,
    the naive app and the naive app reading the kept sums: one call each in turn,
    ``repeats`` times, so that the machine's drift (these machines slow down
    and speed up by 2x within seconds) falls on all alike and the ratios
    compare calls made at the same moment."""
    payload, naive_payload_ = (
        map_payload(bench.app, step),
        naive_payload(bench.naive, step),
    )
    clear = clear_cache(bench.app)
    calls = {
        "cold": (post(bench.client, payload), clear),
        "apart": (post(bench.client, payload), clear),
        "warm": (post(bench.client, payload), _nothing),  # after "apart" filled it
        "naive": (post(bench.naive_client, naive_payload_), _nothing),
        "naive_sums": (post(bench.sums_client, naive_payload_), _nothing),
    }
    runs: dict[str, list[Timed]] = {name: [] for name in calls}
    for _ in range(bench.repeats):
        for name, (call, before) in calls.items():
            if name == "apart":
                with apart():
                    runs[name].append(timed(call, 1, before))
            else:
                runs[name].append(timed(call, 1, before))
    return {name: _median(found) for name, found in runs.items()}


def _median(runs: list[Timed]) -> Timed:
    ms = statistics.median(run.ms for run in runs)
    return Timed(ms, runs[-1].size, runs[-1].body)


def run_step(bench: Bench, step: Step) -> Runs:
    """The app cold (and cold reading apart) and warm beside the naive app,
    then its GeoJSON and its side callbacks."""
    both = interleaved(bench, step)
    app_warm = both["warm"]
    url = geojson_url(app_warm.body)
    get = _fetch_geojson(bench, step, url)
    side = _measure_side(bench, step)
    return Runs(
        both["cold"],
        both["apart"],
        app_warm,
        url,
        get,
        side,
        both["naive"],
        both["naive_sums"],
    )


def step_row(step: Step, runs: Runs, floor: int, units: int) -> dict[str, Any]:
    """One row of the results: the step, its times, its bytes and their ratios."""
    app_cold, app_warm, naive = runs.app_cold, runs.app_warm, runs.naive
    get = runs.geojson
    parts = part_bytes(app_warm.body)
    map_bytes = parts[f"{ids.MAP}.figure"]
    return {
        "step": step.key,
        "interaction": step.label,
        "view": step.unit,
        "theme": step.theme,
        "period": step.period,
        "units": units,
        "app_cold_ms": app_cold.ms,
        "app_apart_ms": runs.app_apart.ms,
        "app_warm_ms": app_warm.ms,
        "naive_ms": naive.ms,
        "time_ratio_cold": naive.ms / app_cold.ms,
        "time_ratio_warm": naive.ms / app_warm.ms,
        "naive_sums_ms": runs.naive_sums.ms,
        "sums_ratio_cold": runs.naive_sums.ms / app_cold.ms,
        "app_bytes": app_warm.size,
        "app_bytes_by_output": parts,
        "app_map_bytes": map_bytes,
        "naive_bytes": naive.size,
        "bytes_ratio": naive.size / app_warm.size,
        "floor_bytes": floor,
        "app_over_floor": app_warm.size / floor,
        "map_over_floor": map_bytes / floor,
        "geojson_url": runs.url if step.fetch else None,
        "geojson_bytes": get.size if get else None,
        "geojson_ms": get.ms if get else None,
        "first_load_bytes": app_warm.size + get.size if get else None,
        # for reference only (the goals are on uncompressed bodies): gzip -6
        "app_gzip_bytes": len(gzip.compress(app_warm.body, 6)),
        "naive_gzip_bytes": len(gzip.compress(naive.body, 6)),
        "side_callbacks": runs.side.names,
        "side_ms": runs.side.ms,
        "side_bytes": runs.side.size,
    }


def measure_set(name: str, db: Path, workdir: Path, repeats: int) -> list[dict]:
    """All interactions on one database, both ways, side by side."""
    conf = app_settings(workdir, db)
    app = create_app(conf)
    client = signed_client(app, ensure_admin(engine(app.server)))
    naive = naive_app(conf["DATABASE_URL"])
    sums = naive_app(conf["DATABASE_URL"], kept_sums=True).server.test_client()
    bench = Bench(app, client, naive, naive.server.test_client(), sums, repeats)
    steps = interactions(pick_district(app))
    # One untimed request each: lazy imports and first-request setup of both apps.
    timed(post(client, map_payload(app, steps[0])), 1, _nothing)
    timed(post(bench.naive_client, naive_payload(naive, steps[0])), 1, _nothing)
    timed(post(bench.sums_client, naive_payload(naive, steps[0])), 1, _nothing)
    rows = []
    for step in steps:
        print(f"  [{name}] {step.label} (view {step.unit}) ...", flush=True)
        runs = run_step(bench, step)
        floor, units = floor_bytes(app, step)
        rows.append(step_row(step, runs, floor, units))
    return rows
