"""Every benchmark in ``benchmarks/`` still runs: each is run end to end at a tiny
scale, as its README line runs it (a fresh process on this checkout's code), and
only the shape of its output is checked -- a row for each step, positive byte
counts, the verdict lines, the results file -- never a time.  None needs the raw
national file: the shared folder is pointed at an empty one, and the benchmarks
run on the seeded Gia Lai database or on what the repository ships.

A new script in ``benchmarks/`` needs a smoke test here (``@smoke("name.py")``):
``test_every_benchmark_has_a_smoke_test`` fails until it has one.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from callbacks.themes import THEMES
from geo.extent import DEFAULT_EXTENT, EXTENTS
from tests.conftest import PG_ADMIN_URL

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
SMOKED: set[str] = set()  # the scripts with a smoke test below

Test = TypeVar("Test", bound=Callable[..., Any])


def smoke(script: str) -> Callable[[Test], Test]:
    """Register the decorated test as the smoke test of ``benchmarks/<script>``."""

    def register(test: Test) -> Test:
        SMOKED.add(script)
        return test

    return register


def run(script: str, tmp_path: Path, *args: str) -> str:
    """``python benchmarks/<script> args`` on this checkout; its output. Fails
    with the end of its error output when it does not exit cleanly."""
    env = {
        **os.environ,
        # this checkout's packages first (not an installed copy elsewhere)
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
        ),
    }
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def database_copy(conf: dict, target: Path) -> Path:
    """A consistent file copy of a seeded SQLite database (its WAL included)."""
    source = make_url(conf["DATABASE_URL"]).database
    assert source is not None
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def test_every_benchmark_has_a_smoke_test() -> None:
    scripts = {path.name for path in BENCHMARKS.glob("*.py")}
    assert len(scripts) >= 4
    assert scripts - SMOKED == set(), "benchmarks without a smoke test here"
    assert SMOKED - scripts == set(), "smoke tests of benchmarks that are gone"


# --- map_interactions.py -------------------------------------------------------

MAP_STEPS = ["open", "theme", "period", "province", "district", "up"]
VERDICT = re.compile(r"^  (met    |NOT MET)  \S", re.MULTILINE)


@smoke("map_interactions.py")
def test_map_interactions_runs_on_the_seeded_database(
    seeded_sqlite: dict, tmp_path: Path
) -> None:
    # the run writes its admin account and the facts version: on a copy
    db = database_copy(seeded_sqlite, tmp_path / "map.db")
    work = tmp_path / "work"
    out = run(
        "map_interactions.py",
        tmp_path,
        *("--database", str(db), "--workdir", str(work), "--repeats", "1"),
    )
    results = json.loads((work / "map_interactions.json").read_text())
    assert results["repeats"] == 1 and list(results["sets"]) == ["map.db"]
    rows = results["sets"]["map.db"]["rows"]
    assert [r["step"] for r in rows] == MAP_STEPS
    for row in rows:
        assert row["units"] > 0, row["step"]
        for key in ("app_bytes", "app_map_bytes", "naive_bytes", "floor_bytes"):
            assert row[key] > 0, (row["step"], key)
        for key in (
            "app_cold_ms",
            "app_apart_ms",
            "app_warm_ms",
            "naive_ms",
            "naive_sums_ms",
            "side_ms",
        ):
            assert row[key] >= 0, (row["step"], key)
        assert row["side_callbacks"] and row["side_bytes"] > 0, row["step"]
        if row["step"] in ("open", "province", "district"):  # a level's first load
            assert row["geojson_bytes"] > 0, row["step"]
            assert row["first_load_bytes"] > row["app_bytes"], row["step"]
        else:
            assert row["geojson_bytes"] is None is row["first_load_bytes"], row
    assert [r["view"] for r in rows][3:5] == ["64", "633"]  # Gia Lai, Chư Sê
    goals = results["sets"]["map.db"]["goals"]
    assert len(goals) == 7 and all(isinstance(g["met"], bool) for g in goals)
    assert len(VERDICT.findall(out)) == len(goals)
    assert "=== map.db boundaries: update_map, app vs naive" in out
    for row in rows:
        assert re.search(rf"^{row['interaction']}\s+\d", out, re.MULTILINE), row


@smoke("map_interactions.py")
def test_map_interactions_scales_the_facts(seeded_sqlite: dict, tmp_path: Path) -> None:
    db = database_copy(seeded_sqlite, tmp_path / "map.db")
    work = tmp_path / "work"
    out = run(
        "map_interactions.py",
        tmp_path,
        *("--database", str(db), "--workdir", str(work), "--repeats", "1"),
        *("--facts-scale", "2", "--facts-only"),
    )
    results = json.loads((work / "map_interactions.json").read_text())
    assert results["sets"] == {}  # --facts-only: not the six interactions
    scaled = results["facts_scale"]
    assert scaled["scale"] == 2 and list(scaled["builds"]) == ["1x", "2x"]
    for name, factor in (("1x", 1), ("2x", 2)):
        build = scaled["builds"][name]
        copy = work / f"map-facts-x{factor}.db"
        with sqlite3.connect(copy) as conn:
            for table in ("incident", "fund_contribution"):
                before = build["rows before"][table]
                assert before > 0, (name, table)
                assert build["rows after"][table] == factor * before, (name, table)
                stored = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                assert stored[0] == factor * before, (name, table)
            assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0]
        said = build["rebuild-summaries said"]
        assert any(line.endswith("match the records.") for line in said), said
    with sqlite3.connect(db) as conn:  # the source keeps its rows
        for table in ("incident", "fund_contribution"):
            stored = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert stored == scaled["builds"]["1x"]["rows before"][table], table
    rows = scaled["rows"]
    expected = [(theme, step) for theme in THEMES for step in ("theme", "period")]
    assert [(r["theme"], r["step"]) for r in rows] == expected
    for row in rows:
        assert row["base_ms"] > 0 and row["scaled_ms"] > 0, row
        assert row["base_bytes"] > 0 and row["scaled_bytes"] > 0, row
        assert isinstance(row["met"], bool), row
    assert [g["theme"] for g in scaled["goals"]] == list(THEMES)
    assert "=== facts x2: update_map at country level" in out
    assert len(VERDICT.findall(out)) == len(THEMES)


# --- export_rows.py --------------------------------------------------------------

EXPORT_METHODS = ["app csv", "naive csv", "app xlsx", "naive xlsx"]


@smoke("export_rows.py")
def test_export_rows_runs_at_a_few_hundred_rows(tmp_path: Path) -> None:
    n = 300
    work = tmp_path / "work"
    out = run("export_rows.py", tmp_path, "--sizes", str(n), "--workdir", str(work))
    assert f"{n} incidents in 2024, aggregate {n} rows (checked)" in out
    assert (
        f"checks: app csv N+1 lines; naive csv byte-identical; app xlsx {n} data "
        "rows" in out
    )
    assert f"naive xlsx {n} data rows" in out
    table = re.findall(
        rf"^\s+{n}  (\w+ \w+)\s+([\d.]+)\s+([\d,]+)\s+(\d+)\s+(-?\d+)\s+([\d.]+)",
        out,
        re.MULTILINE,
    )
    assert [method for method, *_ in table] == EXPORT_METHODS
    assert all(int(peak) > 0 for _m, _s, _r, peak, _b, _f in table)
    assert len(re.findall(rf"^\s+{n} (csv|xlsx)\s+memory", out, re.MULTILINE)) == 2
    assert not list(work.iterdir())  # the fixture and the files are removed


# --- import_facts.py -------------------------------------------------------------

IMPORT_METHODS = ["app dry run", "app import", "naive"]
IMPORT_CSV = re.compile(
    r"^N = 2,000: CSV of 2,000 cases \([\d,]+ abuse, [\d,]+ injury\) over [\d,]+"
    r" communes",
    re.MULTILINE,
)


def postgres_reachable() -> bool:
    """Whether the tests' PostgreSQL server answers (under CI it must)."""
    admin = create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
        return False
    finally:
        admin.dispose()


def databases_named(name: str) -> int:
    admin = create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar_one()
    finally:
        admin.dispose()


@smoke("import_facts.py")
def test_import_facts_runs_at_two_thousand_rows(tmp_path: Path) -> None:
    """The app's dry run and import and the naive way, on both backends when
    PostgreSQL answers (its own database, dropped at the end)."""
    n = 2_000
    backends = ["sqlite", "postgresql"] if postgres_reachable() else ["sqlite"]
    database = f"cpd_bench_import_{uuid.uuid4().hex[:8]}"
    work = tmp_path / "work"
    out = run(
        "import_facts.py",
        tmp_path,
        *("--sizes", str(n), "--backends", *backends, "--workdir", str(work)),
        *("--postgres-url", PG_ADMIN_URL, "--pg-database", database),
    )
    assert IMPORT_CSV.search(out), out
    table = re.findall(
        r"^(sqlite|postgresql)\s+2,000  (app dry run|app import|naive)\s+"
        r"\d+\.\d\s+([\d,]+)\s+(\d+)\s+-?\d+$",
        out,
        re.MULTILINE,
    )
    assert [(b, m) for b, m, *_ in table] == [
        (b, m) for b in backends for m in IMPORT_METHODS
    ], out
    assert all(
        int(rate.replace(",", "")) > 0 and int(peak) > 0 for *_, rate, peak in table
    )
    assert out.count("check: 2,000 new rows counted, 0 stored;") == len(backends)
    assert out.count(
        "check: 2,000 rows stored, 2,000 references; month summary 2,000 cases in"
        " the country;"
    ) == len(backends)
    assert out.count(
        "check: 2,000 rows stored, 2,000 references; month summary 0 cases (not kept)"
    ) == len(backends)
    assert (
        "checks at 2,000: the same cases stored by the app and the naive way on "
        + " and ".join(backends)
    ) in out
    ratios = re.findall(
        r"^  (sqlite|postgresql)\s+2,000  app (dry run|import)\s+time\s+\d+\.\dx,"
        r" memory\s+-?\d+\.\dx",
        out,
        re.MULTILINE,
    )
    assert len(ratios) == 2 * len(backends), out
    assert not list(work.iterdir())  # the file and the databases are removed
    if "postgresql" in backends:
        assert databases_named(database) == 0  # dropped at the end


# --- deck_export.py --------------------------------------------------------------

DECK_HEAD = re.compile(r"^deck of 2024-Q3 for province 64: (\d+) slides$", re.M)
DECK_ROW = re.compile(r"^  (.+?)\s+(\d+\.\d) s$", re.M)


def deck_rows(out: str) -> list[str]:
    """The stage names of the deck benchmark's output, after its slide count."""
    head = DECK_HEAD.search(out)
    assert head is not None and int(head.group(1)) > 0, out
    return [name for name, _seconds in DECK_ROW.findall(out)]


def kilobytes(row: str) -> int:
    found = re.fullmatch(r"(?:pptx|pdf) \((\d+) KB\)", row)
    assert found is not None, row
    return int(found.group(1))


@smoke("deck_export.py")
def test_deck_export_runs_without_pictures(seeded_sqlite: dict, tmp_path: Path) -> None:
    """The review and both files, without Chromium (no pictures, no whole job)."""
    db = database_copy(seeded_sqlite, tmp_path / "deck.db")
    rows = deck_rows(
        run("deck_export.py", tmp_path, "--database", str(db), "--no-pictures")
    )
    assert rows[0] == "review" and len(rows) == 3, rows
    assert [r.split()[0] for r in rows[1:]] == ["pptx", "pdf"]
    assert all(kilobytes(r) > 0 for r in rows[1:])


@pytest.mark.browser
@pytest.mark.xdist_group("browser")  # a Chromium per picture: not beside another
def test_deck_export_draws_the_pictures(seeded_sqlite: dict, tmp_path: Path) -> None:
    """The pictures and the whole job, for one format: the maps drawn by Chromium
    (a Chromium each, then the kept one) and by the printed map's renderer."""
    db = database_copy(seeded_sqlite, tmp_path / "deck.db")
    rows = deck_rows(
        run("deck_export.py", tmp_path, "--database", str(db), "--formats", "pdf")
    )
    assert len(rows) == 8, rows
    assert rows[0] == "review" and rows[7] == "job pdf"
    each = re.fullmatch(r"pictures \((\d+)\), maps in Chromium, each", rows[1])
    kept = re.fullmatch(r"pictures \((\d+)\), maps in Chromium, kept", rows[4])
    printed = re.fullmatch(r"pictures \((\d+)\), maps printed, kept", rows[5])
    assert each and kept and printed, rows
    assert int(each[1]) == int(kept[1]) == int(printed[1]) > 4, rows
    assert rows[2] == "job pdf, a Chromium each"
    assert rows[3] == "start the kept Chromium"
    assert kilobytes(rows[6]) > 0


# --- boundary_iou.py -------------------------------------------------------------


@smoke("boundary_iou.py")
def test_boundary_iou_runs_on_the_shipped_files(tmp_path: Path) -> None:
    """Gia Lai and the July-2025 tree, on the files shipped in geo/boundaries/
    (the whole-country section needs the national file: left out)."""
    out = run("boundary_iou.py", tmp_path, "--gia-lai-only")
    triple = r"\d\.\d{3}/\d\.\d{3}/\d\.\d{3}"
    methods = re.findall(
        rf"^Gia Lai\s+(\w+)\s+\d+\.\d\d\s+{triple}\s+\d+\s+{triple}\s+\d\.\d{{3}}\s+-$",
        out,
        re.MULTILINE,
    )
    assert methods == list(EXTENTS)
    assert f"Gia Lai, {DEFAULT_EXTENT}: worst commune" in out
    reform = out.split("July-2025 tree: approximate cells vs derived", 1)[1]
    assert len(re.findall(rf"^ +\S.*?\s{triple}  worst: ", reform, re.M)) == 4
    assert "import of both shipped files" in reform
    assert f"default extent: {DEFAULT_EXTENT}" in out
    for kind in ("real", "approximate"):
        sizes = re.search(
            rf"^GeoJSON bytes, Gia Lai {kind}: province ([\d,]+), district "
            r"([\d,]+), commune ([\d,]+)$",
            out,
            re.MULTILINE,
        )
        assert sizes is not None, kind
        assert all(int(v.replace(",", "")) > 0 for v in sizes.groups())


# --- load_test.py ----------------------------------------------------------------

LOAD_INTERACTIONS = {"sign-in", "first visit", "theme", "period", "drill", "detail"}


@smoke("load_test.py")
def test_load_test_runs_two_users_against_gunicorn(
    seeded_sqlite: dict, tmp_path: Path
) -> None:
    """gunicorn (the Procfile's command), a private Redis, Locust: two users
    for a few seconds, cold then warm, on a copy of the seeded database."""
    db = database_copy(seeded_sqlite, tmp_path / "load.db")
    work = tmp_path / "work"
    out = run(
        "load_test.py",
        tmp_path,
        *("--database-url", f"sqlite:///{db}", "--workdir", str(work)),
        *("--users", "2", "--duration", "8", "--workers", "1", "--arrival", "2"),
        *("--port", "8098", "--redis-port", "6392", "--first-visits", "2"),
    )
    costs = json.loads((work / "first_visit.json").read_text())
    assert [c["way"] for c in costs] == ["prepared", "through the app"]
    for cost in costs:  # both ways ran the whole first visit
        assert cost["visits"] == 2 and cost["requests"] > 20, cost
        assert cost["visit_bytes"] > 500_000 and cost["visit_ms"] > 0, cost
    assert "through the app / prepared" in out
    # the meeting's interactions timed on the prepared way's worker
    clicks = costs[0]["interaction_ms"]
    assert set(clicks) == LOAD_INTERACTIONS - {"sign-in", "first visit"} | {"ranking"}
    assert all(ms >= 0 for ms in clicks.values()) and costs[1]["interaction_ms"] == {}
    assert "CPU ms per interaction, cache warm (prepared): theme" in out
    results = json.loads((work / "load.json").read_text())
    assert [(r["users"], r["cache"]) for r in results] == [(2, "cold"), (2, "warm")]
    assert all(r["arrival_s"] == 2 for r in results)
    for result in results:
        rows = {row["name"]: row for row in result["rows"]}
        # each user signs in and makes a first visit; then some interactions
        assert {"sign-in", "first visit"} <= set(rows), rows
        assert set(rows) <= LOAD_INTERACTIONS | {"ranking"}, rows
        assert rows["sign-in"]["count"] == 2 and rows["first visit"]["count"] == 2
        assert all(row["failures"] == 0 for row in rows.values()), result["failures"]
        assert all(row["p95"] > 0 for row in rows.values()), rows
        assert 0 <= result["cpu"] <= 100
    assert re.search(r"^\s+2  warm   first visit\s+2\s+0\s", out, re.MULTILINE), out
