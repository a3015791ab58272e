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
  while the geometry stays cached -- and warm), the bytes of its response, the
  bytes of the GeoJSON the browser then GETs (none when going back up: the
  browser has that file cached), the "first load" of a level (callback +
  GeoJSON), and the floor: the JSON of the shown units' ids and values alone
  (values rounded as the app rounds them);
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
from map_bench.measure import measure_set
from map_bench.payloads import interactions
from map_bench.report import print_build, print_table, print_verdicts, profile_step


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
