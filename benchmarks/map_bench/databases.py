"""The two SQLite databases of the whole country the benchmark measures on.

Database A is what ``dashboard.first_run.run`` builds for every province: the legacy
tree, the approximate boundaries and the demo facts.  Database B is a file copy of
A with the real 2013 national commune file imported, communes matched by name
within their district (units that do not match stay without geometry).  Both are
built once into the work folder, with their build timings and the import's match
counts in ``build.json``, and reused by later runs (migrated up first) unless a
rebuild is asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from dashboard import first_run, settings
from data import migrate
from data.db import make_engine
from geo.pipeline import import_boundaries

from .config import BOUNDARY_SETS, NATIONAL_FILE


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def app_settings(workdir: Path, db: Path) -> dict[str, Any]:
    """The app's settings for the whole country on the database ``db``."""
    return {
        "PROVINCES": "all",
        "DATABASE_URL": sqlite_url(db),
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
    """``dashboard.first_run.run`` for the whole country; seconds per setup step."""
    conf = settings.load(app_settings(workdir, db))
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

    first_run.run(engine, conf, echo)
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
    engine = make_engine(sqlite_url(db))
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


def _reuse(workdir: Path, meta_path: Path, dbs: dict[str, Path]) -> dict[str, Any]:
    """The stored build facts of databases already built, migrated up first."""
    meta = json.loads(meta_path.read_text())
    print(f"Reusing the databases in {workdir} (built {meta['built']}).")
    for db in dbs.values():  # a newer migration must not break the run
        engine = make_engine(sqlite_url(db))
        migrate.upgrade(engine)
        engine.dispose()
    meta["reused"] = True
    return meta


def prepare_databases(workdir: Path, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) the two databases; returns timings and the import counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    meta_path = workdir / "build.json"
    dbs = {name: workdir / file for name, file in BOUNDARY_SETS.items()}
    complete = meta_path.exists() and all(p.exists() for p in dbs.values())
    if complete and not rebuild:
        return _reuse(workdir, meta_path, dbs)
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
