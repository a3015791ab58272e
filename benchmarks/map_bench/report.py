"""What the map-interactions benchmark prints.

The build timings of the two databases with the match counts of the 2013 file's
import, then per boundary set a table of the six interactions (times, bytes and
the naive-over-app ratios, the floor, the GeoJSON and the first load of a level,
the side callbacks) with the app's response bytes per output, the verdict on each
goal of the issue, and on request a cProfile of one cold app call.  With
``--facts-scale N``: the build of the two copies (1x, Nx) and a table of the
themes' cold theme and period changes on both, with the verdict per theme.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
from pathlib import Path
from typing import Any

from callbacks.context import engine
from dashboard import create_app

from .config import (
    DRILL_STEPS,
    GOAL_BYTES_RATIO,
    GOAL_FIRST_LOAD,
    GOAL_FLOOR_RATIO,
    GOAL_SCALE_RATIO,
    GOAL_TIME_RATIO,
    NATIONAL_FILE,
    REPO,
    UPDATE,
    VALUE_STEPS,
)
from .databases import app_settings
from .measure import clear_cache, pick_district
from .payloads import interactions, map_payload
from .signin import ensure_admin, signed_client

COLUMNS = (
    # header, row key, format spec
    ("interaction", "interaction", "<"),
    ("units", "units", ">"),
    ("app cold", "app_cold_ms", ">.1f"),
    ("apart", "app_apart_ms", ">.1f"),
    ("app warm", "app_warm_ms", ">.1f"),
    ("naive", "naive_ms", ">.1f"),
    ("n/a cold", "time_ratio_cold", ">.1f"),
    ("n/a warm", "time_ratio_warm", ">.1f"),
    ("naive S", "naive_sums_ms", ">.1f"),
    ("nS/a cold", "sums_ratio_cold", ">.1f"),
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


def _table(columns: list[str], cells: list[list[str]]) -> None:
    """Columns aligned: the first to the left, the others to the right."""
    widths = [
        max([len(header)] + [len(line[i]) for line in cells])
        for i, header in enumerate(columns)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    print(line(columns))
    for values in cells:
        print(line(values))


def print_build(meta: dict[str, Any]) -> None:
    when = "measured when built" if meta.get("reused") else "this run"
    print(f"\nBuild timings ({when}, {meta['built']}):")
    for step, seconds in meta["seconds"].items():
        print(f"  {step:22} {seconds:7.1f} s")
    print(f"Import of {NATIONAL_FILE.name} into B (match counts):")
    for key, value in meta["import"].items():
        print(f"  {key}: {value}")


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
    _table([header for header, _, _ in COLUMNS], cells)
    print(
        "app B = the whole update_map response (map patch + summary + ranking + "
        "breadcrumb + hint); apart = the app cold reading its listing and "
        "headline apart (not in the goals); naive = its aggregates summed from "
        "the fact records; "
        "naive S = the naive app reading the kept sums as the app does (not in the "
        "goals); map/fl = its map patch alone over the floor; floor = "
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
    drills = [by_step[s] for s in DRILL_STEPS]

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
            f"drills: >= {GOAL_TIME_RATIO:g}x less server time (cache cold)",
            all(r["time_ratio_cold"] >= GOAL_TIME_RATIO for r in drills),
            ", ".join(f"{r['step']} {r['time_ratio_cold']:.1f}x" for r in drills),
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


def print_scaled_builds(records: list[dict[str, Any]]) -> None:
    """The copies of the facts-scale comparison: rows before and after, steps."""
    for record in records:
        how = "reused, built" if record["reused"] else "built"
        print(f"\nFacts x{record['scale']} copy ({how} {record['built']}):")
        for table, before in record["rows before"].items():
            after = record["rows after"][table]
            print(f"  {table:20} {before:>12,} -> {after:>12,} rows")
        for step, seconds in record["seconds"].items():
            print(f"  {step:28} {seconds:7.1f} s")
        for said in record["rebuild-summaries said"]:
            print(f"  rebuild-summaries: {said}")


def print_facts_scale(rows: list[dict], scale: int, repeats: int) -> list[dict]:
    """The table of the facts-scale comparison and the verdict per theme."""
    print(
        f"\n=== facts x{scale}: update_map at country level, cache cold (median "
        f"of {repeats}, ms) ==="
    )
    goal = f"<= {GOAL_SCALE_RATIO:g}x"
    columns = ["theme", "interaction", "period", "1x ms", f"{scale}x ms"]
    columns += [f"{scale}x/1x", f"{goal}"]
    cells = [
        [
            row["theme"],
            row["interaction"],
            row["period"],
            f"{row['base_ms']:.1f}",
            f"{row['scaled_ms']:.1f}",
            f"{row['ratio']:.2f}",
            "met" if row["met"] else "NOT MET",
        ]
        for row in rows
    ]
    _table(columns, cells)
    print(f"Goals, facts x{scale}:")
    result = []
    for theme in dict.fromkeys(r["theme"] for r in rows):
        mine = [r for r in rows if r["theme"] == theme]
        met = all(r["met"] for r in mine)
        text = f"{theme}: server time {goal} when the facts grow {scale}x (cold)"
        numbers = ", ".join(f"{r['step']} {r['ratio']:.2f}x" for r in mine)
        print(f"  {'met    ' if met else 'NOT MET'}  {text}: {numbers}")
        result.append({"theme": theme, "goal": text, "met": met, "numbers": numbers})
    return result


def profile_step(db: Path, workdir: Path, key: str) -> None:
    """cProfile of one cold app call of ``key`` (the 25 costliest by cumulative)."""
    app = create_app(app_settings(workdir, db))
    client = signed_client(app, ensure_admin(engine(app.server)))
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
