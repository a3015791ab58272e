"""Importing a year of incident cases for the whole country: rows per second and
peak memory of the app's fact import against the naive way, on SQLite and
PostgreSQL.

What it measures:

* a CSV of N incident cases in the import's own form (the Vietnamese headers and
  terms of ``data.fact_import.INCIDENTS``), written as it is generated (never
  held in memory) with a fixed seed: dates over 2024, communes drawn uniformly
  over every legacy commune of the country valid all through 2024 (about
  10,000), the demo's mix of categories and types (``data.demo.incident_mix``:
  about 1.6 % abuse with its forms, settings, sexes and ages; injuries by their
  rates, intent and outcome), support in time mostly "Có";
* per backend, a database set up once: the schema by the migrations
  (``data.migrate.upgrade``, as deployed) and every legacy unit of the country
  (``data.units.load_legacy_tree``); no demo facts, so imports are allowed;
* per backend and size, side by side in ONE run (machines are noisy: only ratios
  within a run mean anything):

  - ``app dry run``: ``fact_import.dry_run`` with ``LARGE`` limits on a
    ``Source`` (the file streamed, every row checked, chunks of 5,000 compared
    with the stored rows; nothing written);
  - ``app import``: ``fact_import.apply`` (the same, each chunk written as it is
    checked, by COPY on PostgreSQL, the month summary refreshed, audited; one
    transaction), with a progress callback;
  - ``naive``: ``pandas.read_csv`` of the whole file into one DataFrame, the
    commune codes mapped to unit ids by a merge with the legacy communes and the
    Vietnamese terms to codes with ``Series.map``, a record key drawn per row
    (the column is NOT NULL; the app draws it too), then ``DataFrame.to_sql
    ("incident", if_exists="append", method=None)`` with pandas' default
    chunksize (all rows in one executemany; ``--naive-chunksize`` to change it).
    No validation, no month summary, no audit;

* every measurement runs in a fresh child process (this script with
  ``--child``), so that its peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``) is
  its own; the parent imports nothing heavy.  An idle child that only imported
  the modules gives the baseline.  Times are taken in the child after the
  imports, from creating the engine to the commit.  On PostgreSQL the server's
  own memory is not in these figures (it is another process).

Between methods the cases are removed: ``TRUNCATE incident, incident_month`` on
PostgreSQL (instant); on SQLite a fresh copy of the set-up database file (a few
MB, cheaper than deleting a million rows and leaves no free pages behind).

Checks (asserted), in a child of their own after each method: the incident
table holds exactly N rows (0 after the dry run, whose summary counts N new
rows), N distinct references, and a SHA-256 over the stored cases (reference,
commune code, date, codes; ordered by reference) that is the same for the app
import and the naive way, and on both backends; after the app import the month
summary's legacy country row adds up to N cases and progress was told N rows
last.

Run (26 minutes for ``--sizes 100000 1000000`` on both backends on a busy
2-core machine).  Results of a full
run are kept in ``benchmarks/import_facts.txt``:

    python benchmarks/import_facts.py [--sizes 1000000] [--backends sqlite
        postgresql] [--workdir DIR] [--timeout S] [--postgres-url URL]
        [--pg-database NAME] [--naive-chunksize N]

PostgreSQL: a database ``--pg-database`` (default ``cpd_bench_import``) is
created on the server of ``--postgres-url`` (default: ``TEST_POSTGRES_URL``, as
the tests reach it) and dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
SEED = 20240101
BLOCK = 50_000  # rows generated at once
METHODS = ("dry_run", "apply", "naive")
LABELS = {
    "idle": "idle (imports)",
    "dry_run": "app dry run",
    "apply": "app import",
    "naive": "naive",
}
BACKENDS = ("sqlite", "postgresql")
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


# --- child side: imports the project ----------------------------------------------


def _peak() -> dict[str, int]:
    """Peak RSS in kB: ru_maxrss, and VmHWM of /proc (the same on Linux)."""
    peak = {"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak["hwm_kb"] = int(line.split()[1])
    except OSError:
        pass
    return peak


def _imports():  # type: ignore[no-untyped-def]
    """Everything any measurement uses, imported before the timer starts."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import psycopg  # noqa: F401

    from data import fact_import
    from data.db import make_engine
    from data.fact_import.read import Source
    from data.fact_import.spec import LARGE
    from data.scope import Scope

    return fact_import, make_engine, Source, LARGE, Scope


def setup(url: str) -> dict[str, Any]:
    """The schema by the migrations and every legacy unit of the country."""
    from data import migrate
    from data.db import make_engine, transaction
    from data.units import load_legacy_tree

    started = time.perf_counter()
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        report = load_legacy_tree(session, None)
    engine.dispose()
    return {"units": dict(report.counts), "seconds": time.perf_counter() - started}


def _communes(url: str) -> list[str]:
    """The codes of the legacy communes valid on every day of the year."""
    from sqlalchemy import or_, select

    from data.db import make_engine
    from data.models import AdminUnit as U

    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    engine = make_engine(url)
    with engine.connect() as conn:
        codes = conn.execute(
            select(U.code)
            .where(U.tree == "legacy", U.level == "commune")
            .where(or_(U.valid_from.is_(None), U.valid_from <= first))
            .where(or_(U.valid_to.is_(None), U.valid_to >= last))
            .order_by(U.code)
        ).scalars()
        found = list(codes)
    engine.dispose()
    return found


def _terms(terms) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.vi for t in terms]


def write_csv(url: str, path: Path, n: int) -> dict[str, Any]:
    """N incident rows in the import's form, generated and written block by
    block with a fixed seed."""
    import csv

    import numpy as np

    from data.demo import incident_mix as mix
    from data.fact_import import INCIDENTS
    from data.fact_import.spec import NO, YES
    from data.vocabulary import (
        ABUSE_ENVIRONMENT_TERMS,
        ABUSE_TYPE_TERMS,
        AGE_BAND_TERMS,
        INCIDENT_CATEGORY_TERMS,
        INJURY_INTENT_TERMS,
        INJURY_OUTCOME_TERMS,
        INJURY_TYPE_TERMS,
        SEX_TERMS,
    )

    started = time.perf_counter()
    communes = np.array(_communes(url), dtype=object)
    rng = np.random.default_rng(SEED)
    category = dict(
        zip(("abuse", "injury"), _terms(INCIDENT_CATEGORY_TERMS), strict=True)
    )
    abuse_types = np.array(_terms(ABUSE_TYPE_TERMS), dtype=object)
    injury_types = np.array(_terms(INJURY_TYPE_TERMS), dtype=object)
    sexes = dict(zip(("F", "M"), _terms(SEX_TERMS), strict=True))
    ages = np.array(_terms(AGE_BAND_TERMS), dtype=object)
    places = np.array(_terms(ABUSE_ENVIRONMENT_TERMS), dtype=object)
    unintentional, intentional = _terms(INJURY_INTENT_TERMS)
    fatal, non_fatal = _terms(INJURY_OUTCOME_TERMS)
    intended = np.isin(np.array(INJURY_TYPE_TERMS, dtype=object)[:, 0], mix.INTENTIONAL)
    p_abuse = mix.ABUSE_RATE / (mix.ABUSE_RATE + mix.INJURY_RATE.sum())
    abuse_share = mix.ABUSE_SHARE / mix.ABUSE_SHARE.sum()
    injury_share = mix.INJURY_RATE / mix.INJURY_RATE.sum()
    abuse_months = np.array(mix.MONTHS["abuse"])
    days_in = np.array(
        [(dt.date(YEAR + m // 12, m % 12 + 1, 1) - dt.timedelta(1)).day for m in
         range(1, 13)]
    )  # fmt: skip

    def pick(p: np.ndarray) -> np.ndarray:
        """One index per row of the probability rows ``p``."""
        cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
        return np.minimum(
            (rng.random(len(p))[:, None] > cum).sum(axis=1), p.shape[1] - 1
        )

    counts = {"abuse": 0, "injury": 0}
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([c.header for c in INCIDENTS.columns])
        for start in range(0, n, BLOCK):
            size = min(BLOCK, n - start)
            abuse = rng.random(size) < p_abuse
            a_type = rng.choice(len(abuse_share), size, p=abuse_share)
            i_type = rng.choice(len(injury_share), size, p=injury_share)
            girl = np.where(
                abuse,
                rng.random(size) < mix.ABUSE_GIRL[a_type],
                rng.random(size) >= mix.INJURY_BOY[i_type],
            )
            age = np.where(
                abuse, pick(mix.ABUSE_AGE[a_type]), pick(mix.INJURY_AGE[i_type])
            )
            place = pick(mix.ABUSE_PLACE[a_type])
            month_w = np.where(
                abuse[:, None], abuse_months[None, :], mix.INJURY_MONTHS[i_type]
            )
            month = pick(month_w)
            day = 1 + (rng.random(size) * days_in[month]).astype(int)
            dies = rng.random(size) < mix.INJURY_FATAL[i_type]
            support = rng.random(size)
            unit = rng.integers(0, len(communes), size)
            counts["abuse"] += int(abuse.sum())
            counts["injury"] += int(size - abuse.sum())
            rows = []
            for k in range(size):
                injury = not abuse[k]
                rows.append(
                    (
                        f"VV-{YEAR}-{start + k + 1:07d}",
                        f"{day[k]:02d}/{month[k] + 1:02d}/{YEAR}",
                        communes[unit[k]],
                        category["injury" if injury else "abuse"],
                        injury_types[i_type[k]] if injury else abuse_types[a_type[k]],
                        sexes["F" if girl[k] else "M"],
                        ages[age[k]],
                        "" if injury else places[place[k]],
                        (intentional if intended[i_type[k]] else unintentional)
                        if injury
                        else "",
                        (fatal if dies[k] else non_fatal) if injury else "",
                        YES if support[k] < 0.85 else NO if support[k] < 0.9 else "",
                    )
                )
            out.writerows(rows)
    return {
        "rows": n,
        "communes": len(communes),
        **counts,
        "bytes": path.stat().st_size,
        "seconds": time.perf_counter() - started,
    }


def _naive(engine, path: Path, chunksize: int | None) -> int:  # type: ignore[no-untyped-def]
    """The whole file in one DataFrame, mapped to codes, ``to_sql``."""
    import numpy as np
    import pandas as pd

    from data.fact_import import INCIDENTS
    from data.models import RECORD_KEY_MODULUS
    from data.vocabulary import (
        ABUSE_ENVIRONMENT_TERMS,
        ABUSE_TYPE_TERMS,
        AGE_BAND_TERMS,
        INCIDENT_CATEGORY_TERMS,
        INJURY_INTENT_TERMS,
        INJURY_OUTCOME_TERMS,
        INJURY_TYPE_TERMS,
        SEX_TERMS,
    )

    names = {c.header: c.key for c in INCIDENTS.columns}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns=names)
    units = pd.read_sql(
        "SELECT id AS unit_id, code AS unit_code FROM admin_unit"
        " WHERE tree = 'legacy' AND level = 'commune'",
        engine,
    )
    frame = frame.merge(units, on="unit_code", how="left")

    def coded(terms) -> dict[str, str]:  # type: ignore[no-untyped-def]
        return {t.vi: t.code for t in terms}

    frame["occurred_on"] = pd.to_datetime(
        frame["occurred_on"], format="%d/%m/%Y"
    ).dt.date
    for key, terms in (
        ("category", INCIDENT_CATEGORY_TERMS),
        ("sex", SEX_TERMS),
        ("age_band", AGE_BAND_TERMS),
        ("environment", ABUSE_ENVIRONMENT_TERMS),
        ("intent", INJURY_INTENT_TERMS),
        ("outcome", INJURY_OUTCOME_TERMS),
    ):
        frame[key] = frame[key].map(coded(terms))
    # a type by its category: "Bạo lực" is a form of abuse and a kind of injury
    frame["type_code"] = (
        frame["type_code"]
        .map(coded(ABUSE_TYPE_TERMS))
        .where(
            frame["category"] == "abuse",
            frame["type_code"].map(coded(INJURY_TYPE_TERMS)),
        )
    )
    frame["supported_in_time"] = frame["supported_in_time"].map(
        {"Có": True, "Không": False}
    )
    frame["record_key"] = np.random.default_rng().integers(
        0, RECORD_KEY_MODULUS, len(frame), dtype=np.int64
    )
    frame = frame.drop(columns=["unit_code"])
    frame.to_sql(
        "incident",
        engine,
        if_exists="append",
        index=False,
        chunksize=chunksize,
        method=None,
    )
    return len(frame)


def measure(
    method: str, url: str, path: Path, n: int, chunksize: int | None
) -> dict[str, Any]:
    """Run one method once; time from creating the engine to the commit."""
    fact_import, make_engine, Source, LARGE, Scope = _imports()
    if method == "idle":
        return {"seconds": 0.0, "rows": 0, **_peak()}
    told: list[int] = []
    extra: dict[str, Any] = {}
    started = time.perf_counter()
    engine = make_engine(url)
    if method in ("dry_run", "apply"):
        how = fact_import.apply if method == "apply" else fact_import.dry_run
        kwargs = {"user_id": None} if method == "apply" else {}
        summary = how(
            engine,
            fact_import.INCIDENTS,
            Source(path),
            file_name=path.name,
            scope=Scope("admin"),
            username="bench",
            limits=LARGE,
            progress=told.append,
            **kwargs,
        )
        assert summary.ok, [p.text("en") for p in summary.problems[:5]]
        assert method == "dry_run" or summary.written
        rows = summary.new
        extra = {"progress": len(told), "progress_last": told[-1] if told else None}
    elif method == "naive":
        rows = _naive(engine, path, chunksize)
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - started
    peak = _peak()
    engine.dispose()
    return {"seconds": seconds, "rows": rows, **extra, **peak}


def verify(url: str) -> dict[str, Any]:
    """What the incident table holds: rows, distinct references, a digest of
    the cases; the month summary's cases at the legacy country."""
    from sqlalchemy import func, select

    from data.db import make_engine
    from data.models import AdminUnit as U
    from data.models import Incident as I
    from data.models import IncidentMonth as M

    started = time.perf_counter()
    engine = make_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        rows, refs = conn.execute(
            select(func.count(), func.count(func.distinct(I.case_ref)))
        ).one()
        country = conn.execute(
            select(func.coalesce(func.sum(M.cases), 0))
            .join(U, U.id == M.unit_id)
            .where(U.tree == "legacy", U.level == "country")
        ).scalar_one()
        stmt = (
            select(
                I.case_ref,
                U.code,
                I.occurred_on,
                I.category,
                I.type_code,
                I.sex,
                I.age_band,
                I.environment,
                I.intent,
                I.outcome,
                I.supported_in_time,
            )
            .join(U, U.id == I.unit_id)
            .order_by(I.case_ref)
            .execution_options(yield_per=20_000)
        )
        for row in conn.execute(stmt):
            digest.update(("|".join(map(str, row)) + "\n").encode())
    engine.dispose()
    return {
        "rows": rows,
        "refs": refs,
        "summary_cases": round(float(country), 6),
        "sha256": digest.hexdigest(),
        "seconds": time.perf_counter() - started,
    }


def reset(url: str) -> dict[str, Any]:
    """No case left (PostgreSQL: TRUNCATE, then ANALYZE)."""
    from sqlalchemy import text

    from data.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE incident, incident_month"))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE incident"))
    engine.dispose()
    return {}


def child(argv: list[str]) -> None:
    """``--child ACTION ...``: one step, printed as one JSON line."""
    action = argv[0]
    if action == "setup":
        result = setup(argv[1])
    elif action == "csv":
        result = write_csv(argv[1], Path(argv[2]), int(argv[3]))
    elif action == "verify":
        result = verify(argv[1])
    elif action == "reset":
        result = reset(argv[1])
    else:
        chunk = int(argv[4]) if argv[4] != "-" else None
        result = measure(action, argv[1], Path(argv[2]), int(argv[3]), chunk)
    print(json.dumps(result))


# --- parent side: standard library only -------------------------------------------


def run_child(args: list[str], timeout: float | None) -> dict[str, Any] | None:
    """This script with ``--child args`` in a fresh process; None on timeout."""
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {' '.join(args[:1])} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def must(args: list[str], timeout: float | None) -> dict[str, Any]:
    result = run_child(args, timeout)
    if result is None:
        raise SystemExit(f"child {args[0]} timed out after {timeout:.0f} s")
    return result


def mb(kb: float) -> float:
    return kb / 1024


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "-"
    return f"{a / b:.1f}x"


def print_machine(admin_url: str, backends: list[str]) -> None:
    import importlib.metadata as md

    versions = ", ".join(
        f"{p} {md.version(p)}" for p in ("pandas", "SQLAlchemy", "psycopg", "numpy")
    )
    print(f"date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(
        f"machine: {platform.machine()}, nproc {os.cpu_count()},"
        f" {platform.system()} {platform.release()}"
    )
    print(f"python {platform.python_version()}; {versions}")
    if "postgresql" in backends:
        out = subprocess.run(
            [sys.executable, "-c", _PG_VERSION, admin_url],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        print(out.stdout.strip() or f"PostgreSQL: {out.stderr.strip()[-200:]}")


_PG_VERSION = """
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
with engine.connect() as conn:
    version = conn.execute(text("SHOW server_version")).scalar_one()
    print(f"PostgreSQL {version}")
"""
_PG_DATABASE = """
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with engine.connect() as conn:
    conn.execute(text(f'DROP DATABASE IF EXISTS "{sys.argv[3]}" WITH (FORCE)'))
    if sys.argv[2] == "create":
        conn.execute(text(f'CREATE DATABASE "{sys.argv[3]}"'))
"""


def pg_database(admin_url: str, action: str, name: str) -> str:
    """Create (dropping any left over) or drop the benchmark's database; its URL."""
    subprocess.run(
        [sys.executable, "-c", _PG_DATABASE, admin_url, action, name],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    scheme, rest = admin_url.split("://", 1)
    server = rest.rsplit("/", 1)[0] if "/" in rest else rest
    return f"{scheme}://{server}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000_000], help="row counts"
    )
    parser.add_argument(
        "--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS)
    )
    parser.add_argument(
        "--workdir", type=Path, help="the CSV and SQLite files here (default: temp)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds per measurement"
    )
    parser.add_argument(
        "--postgres-url",
        default=PG_ADMIN_URL,
        help="a database of the PostgreSQL server to connect to first",
    )
    parser.add_argument("--pg-database", default="cpd_bench_import")
    parser.add_argument(
        "--naive-chunksize",
        type=int,
        default=None,
        help="to_sql's chunksize (default: pandas' own, every row at once)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    print_machine(args.postgres_url, args.backends)
    temp = None
    if args.workdir is None:
        temp = tempfile.mkdtemp(prefix="import-facts-")
        workdir = Path(temp)
    else:
        workdir = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    made_pg = False
    try:
        urls: dict[str, str] = {}
        for backend in args.backends:
            if backend == "sqlite":
                urls[backend] = f"sqlite:///{workdir / 'setup.sqlite'}"
            else:
                urls[backend] = pg_database(
                    args.postgres_url, "create", args.pg_database
                )
                made_pg = True
        run(args, workdir, urls)
    finally:
        if made_pg:
            pg_database(args.postgres_url, "drop", args.pg_database)
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all.")


def _fresh_sqlite(template: Path, target: Path) -> str:
    """A consistent copy of the set-up database (its WAL included)."""
    import sqlite3

    for old in target.parent.glob(f"{target.name}*"):
        old.unlink()
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return f"sqlite:///{target}"


def run(args: argparse.Namespace, workdir: Path, urls: dict[str, str]) -> None:
    sizes = sorted(set(args.sizes))
    backends = list(urls)
    chunk = str(args.naive_chunksize) if args.naive_chunksize else "-"
    idle = must(["idle", "-", "-", "0", "-"], args.timeout)
    base_kb = idle["maxrss_kb"]
    print(
        "baseline: an idle child that imported the modules peaks at"
        f" {mb(base_kb):.0f} MB"
    )
    template = workdir / "setup.sqlite"
    for backend in backends:
        meta = must(["setup", urls[backend]], args.timeout)
        units = ", ".join(f"{v:,} {k}" for k, v in meta["units"].items())
        print(f"{backend}: schema by the migrations, legacy units ({units})"
              f" in {meta['seconds']:.0f} s")  # fmt: skip
    results: dict[tuple[str, int, str], dict[str, Any] | None] = {}
    digests: dict[str, set[str]] = {}
    notes: list[str] = []
    for n in sizes:
        path = workdir / f"incidents_{n}.csv"
        source = urls["sqlite"] if "sqlite" in urls else urls[backends[0]]
        meta = must(["csv", source, str(path), str(n)], args.timeout)
        print(
            f"\nN = {n:,}: CSV of {meta['rows']:,} cases ({meta['abuse']:,} abuse,"
            f" {meta['injury']:,} injury) over {meta['communes']:,} communes,"
            f" {meta['bytes'] / 1e6:.0f} MB, written in {meta['seconds']:.0f} s"
        )
        for backend in backends:
            for method in METHODS:
                if backend == "sqlite":
                    url = _fresh_sqlite(template, workdir / "run.sqlite")
                else:
                    url = urls[backend]
                    must(["reset", url], args.timeout)
                print(f"  {backend} {LABELS[method]} ...", end=" ", flush=True)
                result = run_child(
                    [method, url, str(path), str(n), chunk], args.timeout
                )
                results[(backend, n, method)] = result
                if result is None:
                    print(f"timed out after {args.timeout:.0f} s")
                    notes.append(f"{backend} {LABELS[method]} at {n:,}: timed out")
                    continue
                if (
                    abs(result.get("hwm_kb", result["maxrss_kb"]) - result["maxrss_kb"])
                    > 4096
                ):
                    notes.append(
                        f"{backend} {LABELS[method]} at {n:,}:"
                        " ru_maxrss and VmHWM differ"
                    )
                print(
                    f"{result['seconds']:.1f} s, peak {mb(result['maxrss_kb']):.0f} MB",
                    flush=True,
                )
                check = must(["verify", url], args.timeout)
                print("    " + check_line(method, n, result, check), flush=True)
                if method != "dry_run":
                    digests.setdefault(f"{n}", set()).add(check["sha256"])
        for old in workdir.glob("run.sqlite*"):
            old.unlink()
        path.unlink()
        same = digests.get(f"{n}", set())
        assert len(same) == 1, f"the stored cases differ between methods: {same}"
        print(
            f"  checks at {n:,}: the same cases stored by the app and the naive way"
            f" on {' and '.join(backends)} (sha256 {next(iter(same))[:12]})"
        )
    for old in workdir.glob("setup.sqlite*"):
        old.unlink()
    print_table(backends, sizes, results, base_kb, notes)


def check_line(
    method: str, n: int, result: dict[str, Any], check: dict[str, Any]
) -> str:
    """The asserted checks of one method, in words."""
    if method == "dry_run":
        assert result["rows"] == n, ("new", result["rows"], n)
        assert check["rows"] == 0, ("stored after a dry run", check["rows"])
        assert result["progress_last"] == n, result
        return (
            f"check: {n:,} new rows counted, 0 stored;"
            f" progress told {result['progress']} times"
        )
    assert result["rows"] == n, (method, result["rows"], n)
    assert check["rows"] == n and check["refs"] == n, (method, check, n)
    words = f"check: {check['rows']:,} rows stored, {check['refs']:,} references"
    if method == "apply":
        assert result["progress_last"] == n, result
        assert abs(check["summary_cases"] - n) < 1e-6, check
        words += (
            f"; month summary {check['summary_cases']:,.0f} cases in the country;"
            f" progress told {result['progress']} times"
        )
    else:
        words += f"; month summary {check['summary_cases']:,.0f} cases (not kept)"
    return words


def print_table(
    backends: list[str], sizes: list[int], results: dict, base_kb: int, notes: list[str]
) -> None:
    print(
        "\nPeak RSS is the child's ru_maxrss; '+base' is it minus the idle child's"
        f" ({mb(base_kb):.0f} MB)."
    )
    head = (
        f"{'backend':<11}{'N':>10}  {'method':<12}{'seconds':>9}{'rows/s':>10}"
        f"{'peak MB':>9}{'+base MB':>9}"
    )
    print(head)
    print("-" * len(head))
    for backend in backends:
        for n in sizes:
            for method in METHODS:
                r = results.get((backend, n, method))
                if r is None:
                    missing = "(not measured)"
                    print(f"{backend:<11}{n:>10,}  {LABELS[method]:<12}{missing:>20}")
                    continue
                print(
                    f"{backend:<11}{n:>10,}  {LABELS[method]:<12}{r['seconds']:>9.1f}"
                    f"{n / r['seconds']:>10,.0f}{mb(r['maxrss_kb']):>9.0f}"
                    f"{mb(r['maxrss_kb'] - base_kb):>9.0f}"
                )
    print("\nApp / naive at each N: time, memory above the baseline (peak RSS)")
    for backend in backends:
        for n in sizes:
            naive = results.get((backend, n, "naive"))
            for method in ("dry_run", "apply"):
                a = results.get((backend, n, method))
                if a is None or naive is None:
                    print(f"  {backend:<11}{n:>10,}  {LABELS[method]:<12} -")
                    continue
                above = fmt_ratio(
                    a["maxrss_kb"] - base_kb, naive["maxrss_kb"] - base_kb
                )
                print(
                    f"  {backend:<11}{n:>10,}  {LABELS[method]:<12} time"
                    f" {fmt_ratio(a['seconds'], naive['seconds']):>6}, memory"
                    f" {above:>6} ({fmt_ratio(a['maxrss_kb'], naive['maxrss_kb'])})"
                )
    if len(backends) > 1:
        print("\nPostgreSQL / SQLite at each N: time")
        for n in sizes:
            for method in METHODS:
                a = results.get(("postgresql", n, method))
                b = results.get(("sqlite", n, method))
                ratio = fmt_ratio(a and a["seconds"], b and b["seconds"])
                print(f"  {n:>10,}  {LABELS[method]:<12} {ratio:>6}")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(sys.argv[2:])
    else:
        main()
