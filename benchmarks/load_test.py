"""A meeting's load on the deployed app: Locust users against gunicorn,
PostgreSQL and Redis.

What it does:

* a fresh PostgreSQL database set up as ``release`` sets it up (Gia Lai with the
  demo; or ``--database-url`` names an existing database), the benchmark's admin
  accounts (one per simulated user), a private Redis server (so that
  restarting it disturbs nothing else) and gunicorn started with the
  Procfile's own web command line;
* first, a new browser's cost in the web worker's CPU time -- per sign-in and
  per first visit, with the static files served ahead of the app and through
  it, side by side (``benchmarks/load_bench/first_visit.py``; one worker, one
  visit at a time, so that nothing queues);
* for each number of users (``--users``), a cold run (Redis emptied first: the
  cache as deployed after new facts) and then a warm run, each ``--duration``
  seconds of Locust users (headless), arriving over ``--arrival`` seconds
  (5: everyone at once, as when a meeting opens the link together), that sign
  in, make a first visit (the
  page, its scripts and style sheets with compression, the map's opening
  callbacks and GeoJSON) and then replay the meeting's interactions -- theme,
  period, drill, detail panel, ranking -- with 1-3 s of thought between them
  (``benchmarks/load_bench/locustfile.py``; payloads built from the app's
  callback map as the browser builds them);
* per interaction: requests, errors, p50/p95/p99 of the whole sequence (Locust's
  percentiles, rounded by Locust to two significant figures), and the machine's
  CPU use over the run;
* with ``--faults``: during an extra warm run, one web worker is killed (SIGKILL;
  gunicorn starts another) a third of the way in and Redis is stopped two
  thirds of the way in and started again ``REDIS_AWAY`` seconds later; the
  errors are reported, and how many times a web worker found the cache away
  (its log's warnings: it then computed from the database).

Results are printed and written to ``<workdir>/load.json`` (and
``first_visit.json``).  No time is
asserted anywhere.  Run:

    .venv/bin/python benchmarks/load_test.py [--users 10 25 50 100]
        [--duration 60] [--arrival 5] [--workers 4] [--faults] [--first-visits 20]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load_bench import first_visit, payloads, report, server  # noqa: E402
from benchmarks.map_bench.signin import USERNAME, ensure_admin  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "load_bench" / "locustfile.py"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, nargs="+", default=[10, 25, 50, 100])
    p.add_argument("--duration", type=int, default=60, help="seconds per run")
    p.add_argument(
        "--arrival",
        type=float,
        default=5.0,
        help="seconds over which the users arrive (sign in, first visit)",
    )
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--database-url", default="", help="use this database as is")
    p.add_argument("--pg-admin-url", default=PG_ADMIN)
    p.add_argument("--redis-port", type=int, default=6391)
    p.add_argument("--port", type=int, default=8097)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/cpd-load"))
    p.add_argument("--faults", action="store_true", help="kill a worker, restart Redis")
    p.add_argument(
        "--first-visits",
        type=int,
        default=20,
        help="first visits timed in worker CPU, static files prepared / through "
        "the app (0: none)",
    )
    return p.parse_args()


def accounts(count: int) -> tuple[str, ...]:
    """One account per simulated user, as at a meeting: concurrent sign-ins to
    one account are what the app's lockout counts as guessing (five at once)."""
    return tuple(f"{USERNAME}-{n:03d}" for n in range(1, count + 1))


def _environment(args: argparse.Namespace, database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CACHE_REDIS_URL=redis_url,
        INSTANCE_PATH=str(args.workdir / "instance"),
        SECRET_KEY=secrets.token_hex(32),
        WEB_CONCURRENCY=str(args.workers),
        PROVINCES="64",
        LOGIN_ADDRESS_LIMIT="100000",  # every simulated user signs in from here
        PYTHONPATH=str(server.REPO),
    )
    return env


def _database(args: argparse.Namespace, env: dict) -> str:
    if args.database_url:
        return args.database_url
    url = server.fresh_postgres(args.pg_admin_url, "cpd_load")
    started = time.monotonic()
    server.setup({**env, "DATABASE_URL": url})
    print(f"database set up with the demo in {time.monotonic() - started:.0f} s")
    return url


def _payload_file(env: dict, workdir: Path) -> Path:
    from dashboard import create_app

    conf = {k: env[k] for k in ("DATABASE_URL", "INSTANCE_PATH", "SECRET_KEY")}
    app = create_app({**conf, "CACHE_REDIS_URL": "", "CACHE_WARM": False})
    path = workdir / "payloads.json"
    path.write_text(json.dumps(payloads.interactions(app)), encoding="utf-8")
    return path


def _locust(
    env: dict, host: str, users: int, seconds: int, prefix: Path, arrival: float
) -> None:
    spawn = max(1.0, users / arrival)  # users arriving per second
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(spawn),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=Path(f"{prefix}.log").open("wb"),
    )


# Seconds Redis stays away in the faults run: long enough for requests to find it
# away (a restart alone took 0.17 s, between two requests).
REDIS_AWAY = 3.0


def _faults(web: server.Gunicorn, cache: server.PrivateRedis, seconds: int) -> dict:
    """Kill a worker a third of the way in, stop Redis at two thirds."""
    done: dict = {}

    def act() -> None:
        time.sleep(seconds / 3)
        done["worker_killed"] = web.kill_one_worker()
        time.sleep(seconds / 3)
        done["redis_away_s"] = round(cache.restart(REDIS_AWAY), 2)

    thread = threading.Thread(target=act, daemon=True)
    thread.start()
    done["thread"] = thread
    return done


def _first_visit_costs(args: argparse.Namespace, env: dict) -> None:
    """A new browser's cost in worker CPU, both ways of serving static files
    (``load_bench/first_visit.py``); printed and written to first_visit.json."""
    steps = json.loads(Path(env["LOAD_PAYLOADS"]).read_text(encoding="utf-8"))
    costs = first_visit.measure(
        env,
        args.port,
        steps,
        accounts(max(args.users)),
        env["LOAD_PASSWORD"],
        args.first_visits,
    )
    print(first_visit.table(costs), flush=True)
    out = args.workdir / "first_visit.json"
    out.write_text(json.dumps([c.__dict__ for c in costs], indent=1), "utf-8")


def run(args: argparse.Namespace) -> list[dict]:
    args.workdir.mkdir(parents=True, exist_ok=True)
    cache = server.PrivateRedis(args.redis_port)
    cache.start()
    web = None
    try:
        env = _environment(args, "", cache.url)
        env["DATABASE_URL"] = _database(args, env)
        from data.db import make_engine

        engine = make_engine(env["DATABASE_URL"])
        env.update(
            LOAD_USER=USERNAME,
            LOAD_USERS=str(max(args.users)),
            LOAD_PASSWORD=ensure_admin(engine, accounts(max(args.users))),
            LOAD_PAYLOADS=str(_payload_file(env, args.workdir)),
        )
        engine.dispose()
        if args.first_visits:
            _first_visit_costs(args, env)
        web = server.Gunicorn(env, args.port)
        web.start()
        runs = [
            (n, cache_state) for n in args.users for cache_state in ("cold", "warm")
        ]
        if args.faults:
            runs.append((args.users[0], "faults"))
        results = []
        for users, state in runs:
            web.drain()
            if state == "cold":
                server.flush_redis(cache.url)
            prefix = args.workdir / f"u{users}_{state}"
            psutil.cpu_percent(None)
            injected = _faults(web, cache, args.duration) if state == "faults" else {}
            _locust(env, web.url, users, args.duration, prefix, args.arrival)
            cpu = psutil.cpu_percent(None)
            if injected:
                injected.pop("thread").join()
                injected["cache_away_seen"] = web.log.read_text().count(
                    "cache unreachable"
                )
            rows = report.interactions(prefix)
            results.append(
                {
                    "users": users,
                    "arrival_s": args.arrival,
                    "cache": state,
                    "cpu": cpu,
                    "rows": [row.__dict__ for row in rows],
                    "failures": report.failures(prefix),
                    **injected,
                }
            )
            print(report.table(results[-1:]).split("\n", 1)[1], flush=True)
        return results
    finally:
        if web is not None:
            web.stop()
        cache.stop()


def main() -> None:
    args = _arguments()
    started = time.monotonic()
    results = run(args)
    print()
    print(report.table(results))
    for result in results:
        for line in result["failures"]:
            print(f"  {result['users']} users, {result['cache']}: {line}")
        if result["cache"] == "faults":
            print(
                f"  faults: worker {result.get('worker_killed')} killed, Redis away"
                f" {result.get('redis_away_s')} s, found away by web workers"
                f" {result.get('cache_away_seen')} times (computed without it)"
            )
    out = args.workdir / "load.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nResults written to {out}; {time.monotonic() - started:.0f} s in all.")


if __name__ == "__main__":
    main()
