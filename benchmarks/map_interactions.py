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
  of ``--repeats``; for the app cold -- the facts version moved on before each
  call, as a submission or an import moves it, so every cached aggregate misses
  while the geometry stays cached -- and warm; the app's and the naive app's
  calls in turn within each repeat), the bytes of its response, the
  bytes of the GeoJSON the browser then GETs (none when going back up: the
  browser has that file cached), the "first load" of a level (callback +
  GeoJSON), and the floor: the JSON of the shown units' ids and values alone
  (values rounded as the app rounds them);
* the naive way: a minimal Dash app defined here whose callback reads the same
  aggregate (the same ``data.metrics`` functions, no cache) summed from the fact
  records, as an app without kept sums must (``data.metrics.months.from_facts``),
  loads the full, unsimplified GeoJSON of the level from the stored boundaries
  and returns a new ``px.choropleth_map`` figure every time; the same naive app
  reading the kept sums as the app does is timed beside it ("naive S": what the
  sums alone bring, not in the goals);
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
        [--workdir /tmp/cpd-bench] [--profile STEP] [--database FILE]
        [--facts-scale N [--facts-only]]

The national file is read from ``$SHARED_GEO_DIR`` or ``../shared/geo`` beside the
checkout.  Use ``--rebuild`` after a schema or demo change.  ``--database FILE``
measures that one SQLite database instead (e.g. a copy of the demo's Gia Lai that
``python -m dashboard setup`` leaves, as the test suite's smoke test does): nothing
is built and the national file is not needed.  The run writes into it, as into
its own databases: its admin account, and the facts version it moves on.

``--facts-scale N`` also asks whether an aggregate keeps its time when the facts
grow (map_bench.scaling, map_bench.facts_scale): two copies of database A (of
``--database FILE`` when given) are made in the work folder, one as it is and one
whose incident cases and fund bookings are copied N times in SQL, the summaries
rebuilt by ``python -m dashboard rebuild-summaries`` (``--check`` must pass), both
analysed; then for every theme of the map a theme change and a period change at
country level, cold, on both in turns: the times, Nx / 1x and the verdict against
2x.  The copies are reused while A's facts are the same (about 5 minutes to build
at N = 10).  ``--facts-only`` runs that part alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

# The parts live in the package map_bench beside this file, and ``benchmarks`` is
# not a package on the path: put this file's folder first on sys.path.  Python does
# so itself for a script, but not under -I / -P / PYTHONSAFEPATH, nor when this
# file is imported or run as ``python -m benchmarks.map_interactions``.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from map_bench.config import BOUNDARY_SETS, DEFAULT_WORKDIR, DISTRICT, NATIONAL_FILE
from map_bench.databases import prepare_databases
from map_bench.facts_scale import measure_facts_scale
from map_bench.measure import measure_set
from map_bench.payloads import interactions
from map_bench.report import (
    print_build,
    print_facts_scale,
    print_scaled_builds,
    print_table,
    print_verdicts,
    profile_step,
)
from map_bench.scaling import prepare_scaled


def facts_scale(
    source: Path, workdir: Path, scale: int, repeats: int, rebuild: bool
) -> dict[str, Any]:
    """The facts-scale comparison on copies of ``source``: build, measure, print."""
    print(f"\nFacts x{scale}: copies of {source.name} at 1x and {scale}x ...")
    base, base_record = prepare_scaled(source, workdir, 1, rebuild)
    scaled, scaled_record = prepare_scaled(source, workdir, scale, rebuild)
    print_scaled_builds([base_record, scaled_record])
    rows = measure_facts_scale(base, scaled, scale, workdir, repeats)
    goals = print_facts_scale(rows, scale, repeats)
    return {
        "scale": scale,
        "source": str(source),
        "builds": {"1x": base_record, f"{scale}x": scaled_record},
        "rows": rows,
        "goals": goals,
    }


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
    parser.add_argument(
        "--database",
        type=Path,
        help="measure this SQLite database only (it is written to), build nothing",
    )
    parser.add_argument(
        "--facts-scale",
        type=int,
        metavar="N",
        help="also compare the themes' cold changes on copies with the facts 1x / Nx",
    )
    parser.add_argument(
        "--facts-only",
        action="store_true",
        help="with --facts-scale: only that comparison (not the six interactions)",
    )
    args = parser.parse_args()
    if args.facts_only and not args.facts_scale:
        parser.error("--facts-only needs --facts-scale N")
    if args.facts_scale is not None and args.facts_scale < 2:
        parser.error("--facts-scale N needs N >= 2")
    if args.database is None and not NATIONAL_FILE.exists():
        raise SystemExit(f"missing {NATIONAL_FILE} (set SHARED_GEO_DIR)")
    started = time.perf_counter()
    if args.database is None:
        meta = prepare_databases(args.workdir, args.rebuild)
        print_build(meta)
        sets = {name: args.workdir / file for name, file in BOUNDARY_SETS.items()}
    else:
        if not args.database.is_file():
            raise SystemExit(f"missing {args.database}")
        args.workdir.mkdir(parents=True, exist_ok=True)
        meta = {"database": str(args.database.resolve())}
        sets = {args.database.name: args.database}
    results: dict[str, Any] = {"build": meta, "repeats": args.repeats, "sets": {}}
    tables = {}
    measured = {} if args.facts_only else sets
    for name, db in measured.items():
        print(f"\nMeasuring the {name} boundaries ...", flush=True)
        tables[name] = measure_set(name, db, args.workdir, args.repeats)
    for name, rows in tables.items():
        print_table(name, rows, args.repeats)
        goals = print_verdicts(name, rows)
        results["sets"][name] = {"rows": rows, "goals": goals}
    if args.profile and not args.facts_only:
        for db in sets.values():
            profile_step(db, args.workdir, args.profile)
    if args.facts_scale:
        source = next(iter(sets.values()))  # A, or the one database given
        results["facts_scale"] = facts_scale(
            source, args.workdir, args.facts_scale, args.repeats, args.rebuild
        )
    out = args.workdir / "map_interactions.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nResults written to {out}; {time.perf_counter() - started:.0f} s in all.")


if __name__ == "__main__":
    main()
