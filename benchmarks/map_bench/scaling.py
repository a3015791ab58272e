"""Copies of a benchmark database whose growing fact tables hold N times the rows.

The facts that grow with activity -- incident cases (``incident``) and fund
bookings (``fund_contribution``) -- are replicated in SQL: every existing row is
copied N - 1 more times (one ``INSERT ... SELECT`` per table), on the same day,
so that every period sees N times the rows.  The copies keep the unique keys
valid: a reference (``case_ref``, ``booking_ref``, unique within the unit; None
for generated rows) gets the suffix ``~k`` for the k-th copy, and a case's record
key (``data.suppression``) is moved by k times a large odd number modulo the
key modulus, so it stays a uniform key in range and differs from the original's.
The other tables (units, boundaries, targets, assessments, reports) are left as
they are.

Then the pre-aggregated summaries are brought in line by the app's own command,
``python -m dashboard rebuild-summaries`` on that database (whatever summaries it
rebuilds), ``rebuild-summaries --check`` must pass, and ``ANALYZE`` gives SQLite's
planner statistics.  The copy of scale 1 goes through the same steps (no row
added), so that the two databases compared differ only in their row counts.
Each copy gets a database id of its own: the file cache, shared by the apps of
one work folder, never mixes their entries.

A copy is reused while the source holds the same facts (row counts, highest ids,
schema revision) and its build record says it was built at that scale.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from data import migrate
from data.db import make_engine
from data.inventory import DATABASE_ID
from data.models import RECORD_KEY_MODULUS

from .config import REPO
from .databases import sqlite_url

# table -> (its reference column, unique within the unit; its record key column)
GROWING: dict[str, tuple[str, str | None]] = {
    "incident": ("case_ref", "record_key"),
    "fund_contribution": ("booking_ref", None),
}
KEY_STEP = 2_654_435_761  # odd: k * KEY_STEP differs modulo 2**32 for every k < 2**32


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` but its integer primary key (given anew)."""
    rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    return [name for _, name, _, _, _, pk in rows if not pk]


def _copy_expression(column: str, table: str) -> str:
    ref, key = GROWING[table]
    if column == ref:
        return f"CASE WHEN {ref} IS NULL THEN NULL ELSE {ref} || '~' || copies.k END"
    if column == key:
        return f"({key} + copies.k * {KEY_STEP}) % {RECORD_KEY_MODULUS}"
    return column


def replicate(conn: sqlite3.Connection, table: str, scale: int) -> None:
    """Every row of ``table`` copied ``scale - 1`` more times (one statement)."""
    if scale <= 1:
        return
    columns = _columns(conn, table)
    selected = ", ".join(_copy_expression(c, table) for c in columns)
    conn.execute(
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        "WITH RECURSIVE copies(k) AS "
        f"(SELECT 1 UNION ALL SELECT k + 1 FROM copies WHERE k < {scale - 1}) "
        f'SELECT {selected} FROM copies CROSS JOIN "{table}"'
    )


def _summaries(conn: sqlite3.Connection) -> list[str]:
    """The pre-aggregated monthly summaries the database holds (``*_month``),
    counted before and after for the record."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name LIKE '%\\_month' ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def fingerprint(db: Path) -> dict[str, Any]:
    """What identifies the source's facts: row counts and highest ids of the
    growing tables, and the schema revision."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found: dict[str, Any] = {}
        for table in GROWING:
            edges = conn.execute(f'SELECT count(*), max(id) FROM "{table}"')
            found[table] = list(edges.fetchone())
        found["revision"] = conn.execute(
            "SELECT version_num FROM alembic_version"
        ).fetchone()[0]
    finally:
        conn.close()
    return found


def _backup(source: Path, target: Path) -> None:
    """A consistent file copy of ``source`` (its WAL included) at ``target``."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _cli(db: Path, workdir: Path, *args: str) -> str:
    """``python -m dashboard ARGS`` on ``db``; its output (fails loudly)."""
    env = {
        **os.environ,
        "DATABASE_URL": sqlite_url(db),
        "INSTANCE_PATH": str(workdir),
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p
        ),
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"python -m dashboard {' '.join(args)} failed on {db}:\n"
            f"{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )
    return done.stdout.strip()


def build_scaled(source: Path, target: Path, workdir: Path, scale: int) -> dict:
    """``target``: a copy of ``source`` with the growing facts ``scale`` times,
    summaries rebuilt and checked, analysed; its row counts and step timings."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    _backup(source, target)
    seconds["copy"] = time.perf_counter() - started
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        before = {t: _count(conn, t) for t in (*GROWING, *_summaries(conn))}
        started = time.perf_counter()
        conn.execute("BEGIN")
        for table in GROWING:
            replicate(conn, table, scale)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (DATABASE_ID, uuid.uuid4().hex),
        )
        conn.execute("COMMIT")
        seconds["replicate"] = time.perf_counter() - started
        grown = {t: _count(conn, t) for t in GROWING}
    finally:
        conn.close()
    for table, rows in grown.items():
        if rows != scale * before[table]:
            raise RuntimeError(
                f"{table}: {rows} rows, expected {scale} x {before[table]}"
            )
    started = time.perf_counter()
    said = [_cli(target, workdir, "rebuild-summaries")]
    seconds["rebuild-summaries"] = time.perf_counter() - started
    started = time.perf_counter()
    said.append(_cli(target, workdir, "rebuild-summaries", "--check"))
    seconds["rebuild-summaries --check"] = time.perf_counter() - started
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        started = time.perf_counter()
        conn.execute("ANALYZE")
        seconds["ANALYZE"] = time.perf_counter() - started
        after = {t: _count(conn, t) for t in (*GROWING, *_summaries(conn))}
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {
        "scale": scale,
        "built": dt.datetime.now().isoformat(timespec="seconds"),
        "rows before": before,
        "rows after": after,
        "seconds": seconds,
        "rebuild-summaries said": said,
    }


def scaled_path(workdir: Path, source: Path, scale: int) -> Path:
    return workdir / f"{source.stem}-facts-x{scale}.db"


def prepare_scaled(
    source: Path, workdir: Path, scale: int, rebuild: bool = False
) -> tuple[Path, dict]:
    """The copy of ``source`` at ``scale``, built or reused; its build record."""
    target = scaled_path(workdir, source, scale)
    record_path = target.with_suffix(".json")
    facts = fingerprint(source)
    if not rebuild and target.exists() and record_path.exists():
        record = json.loads(record_path.read_text())
        if record.get("source facts") == json.loads(json.dumps(facts)):
            engine = make_engine(sqlite_url(target))  # a newer migration
            migrate.upgrade(engine)
            engine.dispose()
            print(f"  reusing {target.name} (built {record['built']})", flush=True)
            return target, {**record, "reused": True}
    print(f"  building {target.name} from {source.name} ...", flush=True)
    record = build_scaled(source, target, workdir, scale)
    record = {"source": str(source), "source facts": facts, **record}
    record_path.write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return target, {**record, "reused": False}
