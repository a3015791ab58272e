"""Map interactions on the whole country: the app's way against the naive Dash way.

What it measures, for the map callback ``update_map`` (callbacks/map_page.py):

* two databases of the whole country (legacy tree: 63 provinces, 696 districts,
  10,040 communes) with demo facts: A with the approximate boundaries, B a copy of
  A with the real 2013 national commune file (``vietnam_communes_2013.gpkg``)
  imported, matched by commune name within district (units that do not match stay
  without geometry).  Both are built once into the work folder and reused;
* six interactions, in order: open the country map (theme child-friendly, period
  2024), change theme (incidents), change period (2023), drill into a province
  (Gia Lai), drill into a district (Chư Sê), go back up to the country;
* for each, in ONE run and side by side: the server time of the callback (median
  of ``--repeats``; for the app with its cache cold -- cleared before each call --
  and warm), the bytes of its response, the bytes of the GeoJSON the browser then
  GETs (none when going back up: the browser has that file cached), the "first
  load" of a level (callback + GeoJSON), and the floor: the JSON of the shown
  units' ids and values alone (values rounded as the app rounds them);
* the naive way: a minimal Dash app defined here whose callback reads the same
  aggregate (the same ``data.metrics`` functions, no cache), loads the full,
  unsimplified GeoJSON of the level from the stored boundaries and returns a new
  ``px.choropleth_map`` figure every time;
* the small side callbacks an interaction also fires in the app (``navigate``,
  ``show_detail``, ``incident_controls``) are reported apart ("side").

Everything goes through the Flask test clients (``/_dash-update-component`` with
the payload the browser sends, ``changedPropIds`` naming the input that changed),
so times are server times without a network; bytes are uncompressed bodies.
Machines are noisy: only the ratios of the two ways measured in the same run mean
anything, and nothing here asserts on times.  Results also go to
``<workdir>/map_interactions.json``; ``--profile STEP`` prints a cProfile of one
cold app call (STEP: open, theme, period, province, district, up).

Run (the databases take about 70 s the first time; then about 2 minutes):

    .venv/bin/python benchmarks/map_interactions.py [--rebuild] [--repeats N]
        [--workdir /tmp/cpd-bench] [--profile STEP]

The national file is read from ``$SHARED_GEO_DIR`` or ``../shared/geo`` beside the
checkout.  Use ``--rebuild`` after a schema or demo change.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import io
import json
import os
import pstats
import re
import shutil
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.express as px
import shapely
from dash import Dash, Input, Output, dcc, html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine

from callbacks import map_views
from callbacks.themes import VIEWS, Query, incident_args, timeliness_args
from dashboard import create_app, settings, setup
from dashboard.database import get_conn
from dashboard.extensions import cache
from dashboard.routes import cached_geojson
from data import metrics, migrate
from data.boundaries import load_boundaries
from data.db import make_engine
from data.periods import Period, today_vn
from data.units import unit_with_parent
from geo.pipeline import import_boundaries
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import ids
from layouts.figures import BLANK_STYLE

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(
    os.environ.get(
        "SHARED_GEO_DIR", Path(__file__).resolve().parents[2] / "shared" / "geo"
    )
)
NATIONAL_FILE = SHARED / "vietnam_communes_2013.gpkg"
DEFAULT_WORKDIR = Path("/tmp/cpd-bench")
TREE = "legacy"
PROVINCE = "64"  # Gia Lai
DISTRICT = "633"  # Chư Sê (else Gia Lai's district with the most communes)
MAP_SIZE = [900, 550]  # the map's pixel size the page reports (ids.MAP_SIZE)
LANG = "vi"
UPDATE = "/_dash-update-component"
# The goals of the issue.
GOAL_BYTES_RATIO = 20.0  # naive bytes / app bytes on theme and period changes
GOAL_TIME_RATIO = 5.0  # naive time / app time on theme and period changes
GOAL_FLOOR_RATIO = 2.0  # app bytes / floor bytes
GOAL_FIRST_LOAD = 1_500_000  # callback + GeoJSON bytes of a level's first load
VALUE_STEPS = ("theme", "period")  # the interactions that only recolour
BOUNDARY_SETS = {"approximate": "approximate.db", "real 2013": "real2013.db"}


# --------------------------------------------------------------------------- build


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _settings(workdir: Path, db: Path) -> dict[str, Any]:
    return {
        "PROVINCES": "all",
        "DATABASE_URL": _sqlite_url(db),
        "INSTANCE_PATH": str(workdir),
        "TESTING": True,
    }


def _checkpoint(engine: Engine) -> None:
    """Fold the WAL into the database file, so that a file copy is complete."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_approximate_db(workdir: Path, db: Path) -> dict[str, float]:
    """``dashboard.setup.run`` for the whole country; seconds per setup step."""
    conf = settings.load(_settings(workdir, db))
    engine = make_engine(conf["DATABASE_URL"])
    started = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def echo(message: str) -> None:
        now = time.perf_counter() - started
        first = message.splitlines()[0] if message else ""
        print(f"    [{now:6.1f} s] {first}", flush=True)
        for step, prefix in (
            ("schema", "Schema is up to date"),
            ("units", "Units loaded"),
            ("boundaries", "Approximate boundaries"),
            ("demo", "Demo data"),
        ):
            if first.startswith(prefix):
                marks.append((step, now))

    setup.run(engine, conf, echo)
    total = time.perf_counter() - started
    _checkpoint(engine)
    steps, previous = {}, 0.0
    for step, at in marks:
        steps[f"setup: {step}"] = at - previous
        previous = at
    steps["setup: total"] = total
    return steps


def import_summary(report: Any) -> dict[str, Any]:
    """The match counts of an ``ImportReport``."""
    methods = Counter(m for unit in report.matched for m in unit.methods)
    summary = report.files[0]
    return {
        "features": summary.features,
        "fields": {
            "level": summary.level,
            "name": summary.name_field,
            "parent": summary.parent_field,
            "code": summary.code_field,
        },
        "units matched": report.matched_count("commune"),
        "features matched, by method": dict(methods.most_common()),
        "features not matched": len(report.unmatched),
        "units dissolved from several features": len(report.dissolves),
        "communes left without geometry": sum(
            1 for u in report.left_without_geometry if u.level == "commune"
        ),
        "units left without geometry": len(report.left_without_geometry),
        "ancestors rebuilt as unions": len(report.rebuilt),
        "geometry outside the unit's box": len(report.misplaced),
        "boundaries written": report.written,
        "boundaries deleted": report.deleted,
    }


def build_real_db(source: Path, db: Path) -> tuple[dict[str, float], dict]:
    """Copy of A with the 2013 national commune file imported (name in district)."""
    started = time.perf_counter()
    shutil.copyfile(source, db)
    copied = time.perf_counter() - started
    engine = make_engine(_sqlite_url(db))
    started = time.perf_counter()
    # No GSO codes in the file: communes by name within their district's name.
    report = import_boundaries(
        engine,
        [NATIONAL_FILE],
        level="commune",
        name_field="commune_vn",
        district_field="district_vn",
    )
    imported = time.perf_counter() - started
    _checkpoint(engine)
    return {"copy A": copied, "import 2013 file": imported}, import_summary(report)


def prepare_databases(workdir: Path, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) the two databases; returns timings and the import counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    meta_path = workdir / "build.json"
    dbs = {name: workdir / file for name, file in BOUNDARY_SETS.items()}
    complete = meta_path.exists() and all(p.exists() for p in dbs.values())
    if complete and not rebuild:
        meta = json.loads(meta_path.read_text())
        print(f"Reusing the databases in {workdir} (built {meta['built']}).")
        for db in dbs.values():  # a newer migration must not break the run
            engine = make_engine(_sqlite_url(db))
            migrate.upgrade(engine)
            engine.dispose()
        meta["reused"] = True
        return meta
    meta_path.unlink(missing_ok=True)
    for db in dbs.values():
        _remove_db(db)
    print(f"Building database A (whole country, approximate) in {workdir} ...")
    timings = build_approximate_db(workdir, dbs["approximate"])
    print(f"Building database B (A + {NATIONAL_FILE.name}) ...", flush=True)
    more, counts = build_real_db(dbs["approximate"], dbs["real 2013"])
    timings.update(more)
    meta = {
        "built": dt.datetime.now().isoformat(timespec="seconds"),
        "seconds": timings,
        "import": counts,
        "reused": False,
    }
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return meta


def print_build(meta: dict[str, Any]) -> None:
    when = "measured when built" if meta.get("reused") else "this run"
    print(f"\nBuild timings ({when}, {meta['built']}):")
    for step, seconds in meta["seconds"].items():
        print(f"  {step:22} {seconds:7.1f} s")
    print(f"Import of {NATIONAL_FILE.name} into B (match counts):")
    for key, value in meta["import"].items():
        print(f"  {key}: {value}")


# ---------------------------------------------------------------- the naive app

# Per theme: the aggregate's value column and the columns a naive app shows on hover.
NAIVE_COLUMNS = {
    "child_friendly": ("share", ["recognised", "communes"]),
    "child_friendly/commune": ("status_class", ["total_score", "threshold"]),
    "fund": ("pct", ["total", "target"]),
    "incidents": ("rate", ["count", "children"]),
    "timeliness": ("on_time_share", ["on_time", "expected"]),
}


def naive_frame(
    conn: Connection, theme: str, level: str, unit: str, period: str
) -> tuple[pd.DataFrame, str, list[str]]:
    """The same aggregate the app reads, straight from data.metrics (no cache)."""
    q = Query(
        theme=theme,
        tree=TREE,
        unit=unit,
        level=level,
        period=Period.parse(period),
        today=today_vn(),
        lang=LANG,
    )
    key = theme
    if theme == "child_friendly" and level == "commune":
        args = {k: v for k, v in q.args().items() if k != "level"}
        frame, key = metrics.child_friendly_status(conn, **args), f"{theme}/commune"
    elif theme == "child_friendly":
        frame = metrics.child_friendly_share(conn, **q.args())
    elif theme == "fund":
        frame = metrics.fund_progress(conn, **q.args())
    elif theme == "incidents":
        frame = metrics.incidents(conn, **incident_args(q))
    else:
        frame = metrics.timeliness(conn, **timeliness_args(q))
    value, hover = NAIVE_COLUMNS[key]
    frame[value] = pd.to_numeric(frame[value], errors="coerce")
    return frame, value, hover


def full_geojson(conn: Connection, level: str, unit: str) -> tuple[dict, tuple]:
    """Every stored boundary of the level, as is: no simplification, no rounding."""
    frame = load_boundaries(conn, tree=TREE, level=level, parent_code=unit)
    geoms = shapely.from_wkb(frame["geom_wkb"].to_numpy())
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"name": name},
            "geometry": geom.__geo_interface__,
        }
        for code, name, geom in zip(frame["code"], frame["name"], geoms, strict=True)
    ]
    box = tuple(float(v) for v in shapely.total_bounds(geoms)) if len(geoms) else ()
    return {"type": "FeatureCollection", "features": features}, box


def naive_app(db_url: str) -> Dash:
    """The way most Dash apps do it: one callback, a whole new figure every time."""
    engine = make_engine(db_url)
    app = Dash(__name__, server=Flask("naive"), serve_locally=True)
    app.layout = html.Div(
        [
            dcc.Store(id=ids.VIEW, data={"unit": "VN"}),
            dcc.Store(id=ids.MAP_SIZE, data=MAP_SIZE),
            dcc.Dropdown(id=ids.THEME, value="child_friendly"),
            dcc.Dropdown(id=ids.PERIOD, value="2024"),
            dcc.Graph(id=ids.MAP),
        ]
    )

    @app.callback(
        Output(ids.MAP, "figure"),
        Input(ids.VIEW, "data"),
        Input(ids.THEME, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.MAP_SIZE, "data"),
    )
    def update(view, theme, period, size):  # type: ignore[no-untyped-def]
        with engine.connect() as conn:
            shown = unit_with_parent(conn, tree=TREE, code=view["unit"])
            level = map_views.CHILD_LEVEL[shown["level"]]
            frame, value, hover = naive_frame(conn, theme, level, view["unit"], period)
            geojson, box = full_geojson(conn, level, view["unit"])
        width, height = size or MAP_SIZE
        center, zoom = fit_view(box or VIETNAM_BOUNDS, width, height)
        return px.choropleth_map(
            frame,
            geojson=geojson,
            locations="code",
            featureidkey="id",
            color=value,
            hover_name="name",
            hover_data=hover,
            map_style=BLANK_STYLE,
            center=center,
            zoom=zoom,
            opacity=0.95,
        )

    return app


# ------------------------------------------------------------- the interactions


@dataclass(frozen=True)
class Step:
    """One interaction: the page state after it and what the browser sends."""

    key: str
    label: str
    unit: str  # ids.VIEW: the unit whose children are on the map
    theme: str
    period: str
    trigger: str  # the prop id in changedPropIds of update_map
    fetch: bool  # the browser GETs the level's GeoJSON afterwards
    came_from: str | None = None  # the unit shown before a drill or a crumb click
    crumb: bool = False  # went up by the breadcrumb, not by a map click


def interactions(district: str) -> list[Step]:
    view, theme, period = (
        f"{ids.VIEW}.data",
        f"{ids.THEME}.value",
        f"{ids.PERIOD}.value",
    )
    cf, inc = "child_friendly", "incidents"
    return [
        Step("open", "open country", "VN", cf, "2024", f"{ids.MAP_SIZE}.data", True),
        Step("theme", "change theme", "VN", inc, "2024", theme, False),
        Step("period", "change period", "VN", inc, "2023", period, False),
        Step("province", "drill province", PROVINCE, inc, "2023", view, True, "VN"),
        Step("district", "drill district", district, inc, "2023", view, True, PROVINCE),
        Step("up", "back up", "VN", inc, "2023", view, False, district, crumb=True),
    ]


def _outputs(key: str) -> list[dict[str, str]] | dict[str, str]:
    """The ``outputs`` of a callback from its output string, as the browser sends
    them: a list for a multi-output callback, one object for a single output."""
    parts = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
        for p in key.strip(".").split("...")
    ]
    return parts if key.startswith("..") else parts[0]


def _key(app: Dash, output: str) -> str:
    """The callback_map key of the callback that has ``output`` ("id.prop")."""
    return next(k for k in app.callback_map if output in k.strip(".").split("..."))


def _payload(
    key: str,
    inputs: list[tuple[Any, str, Any] | list[dict]],
    state: list[tuple[Any, str, Any] | list[dict]],
    changed: list[str],
) -> dict[str, Any]:
    def item(entry: tuple | list) -> Any:
        if isinstance(entry, list):  # a pattern-matching ALL input: sent as is
            return entry
        component, prop, value = entry
        return {"id": component, "property": prop, "value": value}

    return {
        "output": key,
        "outputs": _outputs(key),
        "inputs": [item(i) for i in inputs],
        "state": [item(s) for s in state],
        "changedPropIds": changed,
    }


def map_payload(app: Dash, step: Step) -> dict[str, Any]:
    """What the browser posts for ``update_map`` after ``step``."""
    return _payload(
        _key(app, f"{ids.MAP}.figure"),
        [
            (ids.VIEW, "data", {"unit": step.unit}),
            (ids.SELECTED, "data", {"code": None}),
            (ids.THEME, "value", step.theme),
            (ids.PERIOD, "value", step.period),
            (ids.CATEGORY, "value", "both"),
            (ids.TYPES, "value", []),
            (ids.MEASURE, "value", "rate"),
            (ids.CLASSES, "value", "quantile"),
            (ids.MAP_SIZE, "data", MAP_SIZE),
        ],
        [(ids.LANG, "data", LANG)],
        [step.trigger],
    )


def naive_payload(app: Dash, step: Step) -> dict[str, Any]:
    return _payload(
        _key(app, f"{ids.MAP}.figure"),
        [
            (ids.VIEW, "data", {"unit": step.unit}),
            (ids.THEME, "value", step.theme),
            (ids.PERIOD, "value", step.period),
            (ids.MAP_SIZE, "data", MAP_SIZE),
        ],
        [],
        [step.trigger],
    )


def _crumb_id(unit: str) -> str:
    return json.dumps({"type": ids.CRUMB, "unit": unit}, separators=(",", ":"))


def side_payloads(app: Dash, step: Step) -> list[tuple[str, dict[str, Any]]]:
    """The app's other server callbacks the interaction fires (name, payload)."""
    detail = (
        "show_detail",
        _payload(
            _key(app, f"{ids.DETAIL}.children"),
            [
                (ids.SELECTED, "data", {"code": None}),
                (ids.PERIOD, "value", step.period),
            ],
            [(ids.LANG, "data", LANG)],
            [f"{ids.PERIOD}.value" if step.key == "period" else f"{ids.SELECTED}.data"],
        ),
    )
    controls = (
        "incident_controls",
        _payload(
            _key(app, f"{ids.INCIDENT_CONTROLS}.style"),
            [(ids.THEME, "value", step.theme), (ids.CATEGORY, "value", "both")],
            [(ids.TYPES, "value", []), (ids.LANG, "data", LANG)],
            [f"{ids.THEME}.value"],
        ),
    )
    if step.key == "open":
        return [detail, controls]
    if step.key == "theme":
        return [controls]
    if step.key == "period":
        return [detail]
    # The breadcrumb of the view left: country, province, district.
    chain = ["VN", PROVINCE, step.came_from]
    crumbs = chain[: chain.index(step.came_from) + 1]
    clicks = [
        {
            "id": {"type": ids.CRUMB, "unit": c},
            "property": "n_clicks",
            "value": 1 if step.crumb and c == step.unit else None,
        }
        for c in crumbs
    ]
    click = None if step.crumb else {"points": [{"location": step.unit}]}
    changed = _crumb_id(step.unit) + ".n_clicks" if step.crumb else "map.clickData"
    navigate = _payload(
        _key(app, f"{ids.VIEW}.data"),
        [
            (ids.MAP, "clickData", click),
            clicks,
            (ids.DETAIL_CLOSE, "n_clicks", None),
        ],
        [(ids.VIEW, "data", {"unit": step.came_from})],
        [changed],
    )
    return [("navigate", navigate), detail]


# ------------------------------------------------------------------- measuring


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
    def clear() -> None:
        with app.server.app_context():
            cache.clear()

    return clear


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


def measure_set(name: str, db: Path, workdir: Path, repeats: int) -> list[dict]:
    """All interactions on one database, both ways, side by side."""
    conf = _settings(workdir, db)
    app = create_app(conf)
    client = app.server.test_client()
    naive = naive_app(conf["DATABASE_URL"])
    naive_client = naive.server.test_client()
    cold = clear_cache(app)
    steps = interactions(pick_district(app))
    # One untimed request each: lazy imports and first-request setup of both apps.
    timed(post(client, map_payload(app, steps[0])), 1, _nothing)
    timed(post(naive_client, naive_payload(naive, steps[0])), 1, _nothing)
    rows = []
    for step in steps:
        print(f"  [{name}] {step.label} (view {step.unit}) ...", flush=True)
        payload = map_payload(app, step)
        app_cold = timed(post(client, payload), repeats, cold)
        app_warm = timed(post(client, payload), repeats, _nothing)
        url = geojson_url(app_warm.body)
        get = None
        if step.fetch:
            if url is None:
                raise RuntimeError(f"{step.label}: the map patch has no GeoJSON URL")
            get = timed(lambda u=url: client.get(u), repeats, _nothing)
        side_ms, side_bytes, side_names = 0.0, 0, []
        for side_name, side_payload in side_payloads(app, step):
            side = timed(post(client, side_payload), repeats, _nothing)
            if side_name == "navigate":
                check_navigate(side.body, step)
            side_ms, side_bytes = side_ms + side.ms, side_bytes + side.size
            side_names.append(side_name)
        naive_run = timed(
            post(naive_client, naive_payload(naive, step)), repeats, _nothing
        )
        floor, units = floor_bytes(app, step)
        parts = part_bytes(app_warm.body)
        map_bytes = parts[f"{ids.MAP}.figure"]
        row = {
            "step": step.key,
            "interaction": step.label,
            "view": step.unit,
            "theme": step.theme,
            "period": step.period,
            "units": units,
            "app_cold_ms": app_cold.ms,
            "app_warm_ms": app_warm.ms,
            "naive_ms": naive_run.ms,
            "time_ratio_cold": naive_run.ms / app_cold.ms,
            "time_ratio_warm": naive_run.ms / app_warm.ms,
            "app_bytes": app_warm.size,
            "app_bytes_by_output": parts,
            "app_map_bytes": map_bytes,
            "naive_bytes": naive_run.size,
            "bytes_ratio": naive_run.size / app_warm.size,
            "floor_bytes": floor,
            "app_over_floor": app_warm.size / floor,
            "map_over_floor": map_bytes / floor,
            "geojson_url": url if step.fetch else None,
            "geojson_bytes": get.size if get else None,
            "geojson_ms": get.ms if get else None,
            "first_load_bytes": app_warm.size + get.size if get else None,
            # for reference only (the goals are on uncompressed bodies): gzip -6
            "app_gzip_bytes": len(gzip.compress(app_warm.body, 6)),
            "naive_gzip_bytes": len(gzip.compress(naive_run.body, 6)),
            "side_callbacks": side_names,
            "side_ms": side_ms,
            "side_bytes": side_bytes,
        }
        rows.append(row)
    return rows


# -------------------------------------------------------------------- reporting

COLUMNS = (
    # header, row key, format spec
    ("interaction", "interaction", "<"),
    ("units", "units", ">"),
    ("app cold", "app_cold_ms", ">.1f"),
    ("app warm", "app_warm_ms", ">.1f"),
    ("naive", "naive_ms", ">.1f"),
    ("n/a cold", "time_ratio_cold", ">.1f"),
    ("n/a warm", "time_ratio_warm", ">.1f"),
    ("app B", "app_bytes", ">,"),
    ("naive B", "naive_bytes", ">,"),
    ("n/a B", "bytes_ratio", ">.1f"),
    ("floor B", "floor_bytes", ">,"),
    ("app/fl", "app_over_floor", ">.1f"),
    ("map/fl", "map_over_floor", ">.1f"),
    ("GeoJSON B", "geojson_bytes", ">,"),
    ("1st load B", "first_load_bytes", ">,"),
    ("side ms", "side_ms", ">.1f"),
    ("side B", "side_bytes", ">,"),
)


def print_table(name: str, rows: list[dict], repeats: int) -> None:
    print(
        f"\n=== {name} boundaries: update_map, app vs naive (times: median of "
        f"{repeats}, ms; n/a = naive / app) ==="
    )
    cells = [
        [
            "-" if row[key] is None else format(row[key], spec)
            for _, key, spec in COLUMNS
        ]
        for row in rows
    ]
    widths = [
        max([len(header)] + [len(line[i]) for line in cells])
        for i, (header, _, _) in enumerate(COLUMNS)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    print(line([header for header, _, _ in COLUMNS]))
    for values in cells:
        print(line(values))
    print(
        "app B = the whole update_map response (map patch + summary + ranking + "
        "breadcrumb + hint); map/fl = its map patch alone over the floor; floor = "
        '{"ids", "values"} of the units shown; 1st load = app B + GeoJSON B; side = '
        "the app's other callbacks of the interaction (not in the ratios)."
    )
    for row in rows:
        parts = ", ".join(f"{k} {v:,}" for k, v in row["app_bytes_by_output"].items())
        print(f"  {row['interaction']:15} app response by output: {parts}")


def verdicts(rows: list[dict]) -> list[tuple[str, bool, str]]:
    """(goal, met, numbers) per goal of the issue."""
    by_step = {r["step"]: r for r in rows}
    values = [by_step[s] for s in VALUE_STEPS]
    loads = [r for r in rows if r["first_load_bytes"] is not None]

    def listing(key: str, fmt: str) -> str:
        return ", ".join(f"{r['step']} {fmt.format(r[key])}" for r in values)

    out = [
        (
            f"theme/period: >= {GOAL_BYTES_RATIO:g}x fewer bytes than naive",
            all(r["bytes_ratio"] >= GOAL_BYTES_RATIO for r in values),
            listing("bytes_ratio", "{:.1f}x"),
        ),
        (
            f"theme/period: >= {GOAL_TIME_RATIO:g}x less server time (cache cold)",
            all(r["time_ratio_cold"] >= GOAL_TIME_RATIO for r in values),
            listing("time_ratio_cold", "{:.1f}x"),
        ),
        (
            f"theme/period: >= {GOAL_TIME_RATIO:g}x less server time (cache warm)",
            all(r["time_ratio_warm"] >= GOAL_TIME_RATIO for r in values),
            listing("time_ratio_warm", "{:.1f}x"),
        ),
        (
            f"theme/period: whole response within {GOAL_FLOOR_RATIO:g}x the floor",
            all(r["app_over_floor"] <= GOAL_FLOOR_RATIO for r in values),
            listing("app_over_floor", "{:.1f}x"),
        ),
        (
            f"theme/period: map patch alone within {GOAL_FLOOR_RATIO:g}x the floor",
            all(r["map_over_floor"] <= GOAL_FLOOR_RATIO for r in values),
            listing("map_over_floor", "{:.1f}x"),
        ),
        (
            f"first load of a level < {GOAL_FIRST_LOAD / 1e6:g} MB",
            all(r["first_load_bytes"] < GOAL_FIRST_LOAD for r in loads),
            ", ".join(f"{r['step']} {r['first_load_bytes']:,} B" for r in loads),
        ),
    ]
    return out


def print_verdicts(name: str, rows: list[dict]) -> list[dict]:
    print(f"Goals, {name} boundaries:")
    result = []
    for goal, met, numbers in verdicts(rows):
        print(f"  {'met    ' if met else 'NOT MET'}  {goal}: {numbers}")
        result.append({"goal": goal, "met": met, "numbers": numbers})
    return result


def profile_step(db: Path, workdir: Path, key: str) -> None:
    """cProfile of one cold app call of ``key`` (the 25 costliest by cumulative)."""
    app = create_app(_settings(workdir, db))
    client = app.server.test_client()
    step = next(s for s in interactions(pick_district(app)) if s.key == key)
    payload = map_payload(app, step)
    client.post(UPDATE, json=payload)
    clear_cache(app)()
    profiler = cProfile.Profile()
    profiler.enable()
    client.post(UPDATE, json=payload)
    profiler.disable()
    out = io.StringIO()
    # The project's own functions, SQL, geometry and caching; not the web stack.
    wanted = f"{re.escape(str(REPO))}|sqlite3|shapely|pickle|plotly/io"
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(wanted, 30)
    print(f"\ncProfile, {db.name}, {step.label}, cache cold:\n{out.getvalue()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild both databases")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per timing")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument(
        "--profile",
        choices=[s.key for s in interactions(DISTRICT)],
        help="also print a cProfile of one cold app call of this step, per set",
    )
    args = parser.parse_args()
    if not NATIONAL_FILE.exists():
        raise SystemExit(f"missing {NATIONAL_FILE} (set SHARED_GEO_DIR)")
    started = time.perf_counter()
    meta = prepare_databases(args.workdir, args.rebuild)
    print_build(meta)
    results: dict[str, Any] = {"build": meta, "repeats": args.repeats, "sets": {}}
    tables = {}
    for name, file in BOUNDARY_SETS.items():
        print(f"\nMeasuring the {name} boundaries ...", flush=True)
        tables[name] = measure_set(
            name, args.workdir / file, args.workdir, args.repeats
        )
    for name, rows in tables.items():
        print_table(name, rows, args.repeats)
        goals = print_verdicts(name, rows)
        results["sets"][name] = {"rows": rows, "goals": goals}
    if args.profile:
        for file in BOUNDARY_SETS.values():
            profile_step(args.workdir / file, args.workdir, args.profile)
    out = args.workdir / "map_interactions.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nResults written to {out}; {time.perf_counter() - started:.0f} s in all.")


if __name__ == "__main__":
    main()
