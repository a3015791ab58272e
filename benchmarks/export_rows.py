"""Exporting the incidents table at 100,000 and 1,000,000 rows: time and peak memory.

What it measures, for ``data.tables.stream`` (the SQL GROUP BY read with
``yield_per`` and shaped chunk by chunk) feeding ``data.export``:

* a fixture per size N: a fresh SQLite database in the work folder with a
  synthetic legacy tree (country "VN", province "99", 20 districts and as many
  communes as N needs) and N incidents in 2024, each a distinct (commune, month,
  category and type, sex, age band), so that the aggregate the table shows for
  the province and the year has exactly N rows (checked in SQL);
* for each N, side by side in ONE run (machines are noisy: only ratios within a
  run mean anything):

  - ``app csv``: ``csv_chunks`` over ``stream`` (the default chunk), written to a
    file as the pieces come, as the CSV download does;
  - ``app xlsx``: ``write_xlsx`` (write-only openpyxl) over ``stream``, as the
    Excel download does;
  - ``naive csv``: the whole aggregate in one DataFrame (``stream`` with one
    chunk of N, concatenated), then ``DataFrame.to_csv(encoding="utf-8-sig")``
    (with the app's CRLF line ends, so that both files can be compared byte for
    byte);
  - ``naive xlsx``: the same DataFrame, then ``DataFrame.to_excel(engine=
    "openpyxl")`` (a normal, in-memory workbook);

* every measurement runs in a fresh child process (this script with
  ``--child``), so that its peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``) is
  its own; the parent only orchestrates and imports nothing heavy, since a
  child's ``ru_maxrss`` starts at its parent's RSS at fork time on Linux.  An
  idle child that only imported the modules gives the baseline.  Times are taken
  inside the child after the imports: from opening the database connection to
  the file closed.

Checks (asserted): the app CSV and xlsx hold exactly N data rows (the xlsx read
back with openpyxl ``read_only``: rows between the header and the blank line
above the total line, plus the total line itself and a sample of values), and
the naive xlsx N + 1 rows.  Whether the naive CSV is byte-identical to the app
CSV is reported.

Run (about 12 minutes for both sizes on a 2-core machine, most of it writing
and reading back the xlsx files at 1,000,000 rows; ``--sizes 100000`` takes about
a minute).  Results of a full run are kept in ``benchmarks/export_rows.txt``:

    python benchmarks/export_rows.py [--sizes 100000 1000000] [--workdir DIR]
        [--naive-xlsx-max N] [--timeout S] [--profile METHOD]

``--profile app_csv`` (or app_xlsx, naive_csv, naive_xlsx) also prints a
cProfile of that method at the smallest size.
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
PROVINCE = "99"
DISTRICTS = 20
YEAR = 2024
LANG = "vi"
METHODS = ("app_csv", "naive_csv", "app_xlsx", "naive_xlsx")
LABELS = {
    "idle": "idle (imports)",
    "app_csv": "app csv",
    "naive_csv": "naive csv",
    "app_xlsx": "app xlsx",
    "naive_xlsx": "naive xlsx",
}
TITLE_LINES = (
    "Khu vực: Tỉnh Đo Lường (99)",
    "Kỳ: năm 2024",
    "Phạm vi: toàn bộ dữ liệu",
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
    import openpyxl  # noqa: F401
    import pandas as pd  # noqa: F401

    from data import export, tables
    from data.db import make_engine
    from data.periods import Period
    from data.scope import FULL
    from layouts import tables_page

    return tables, export, make_engine, Period, FULL, tables_page


def _combinations():  # type: ignore[no-untyped-def]
    """(category, type) x sex x age band of one commune and month."""
    from data.vocabulary import ABUSE_TYPES, AGE_BANDS, INJURY_TYPES, SEXES

    kinds = [("abuse", t) for t in ABUSE_TYPES] + [("injury", t) for t in INJURY_TYPES]
    return [(c, t, s, a) for c, t in kinds for s in SEXES for a in AGE_BANDS]


def build(db: Path, n: int) -> dict[str, Any]:
    """The fixture database of ``n`` aggregate rows; returns what it holds."""
    from sqlalchemy import text

    from data.db import make_engine
    from data.models import AdminUnit, Base, new_record_key

    started = time.perf_counter()
    combos = _combinations()
    per_commune = 12 * len(combos)
    communes = -(-n // per_commune)
    engine = make_engine(f"sqlite:///{db}")
    Base.metadata.create_all(engine)
    unit = AdminUnit.__table__
    valid_to = dt.date(2025, 6, 30)

    def record(level: str, code: str, kind: str, name: str, parent: int | None):  # type: ignore[no-untyped-def]
        return {
            "tree": "legacy",
            "level": level,
            "code": code,
            "kind": kind,
            "name": f"{kind.capitalize()} {name}",
            "short_name": name,
            "parent_id": parent,
            "valid_to": valid_to,
            "source": "benchmark",
        }

    with engine.begin() as conn:
        conn.execute(
            unit.insert(), [record("country", "VN", "quốc gia", "Việt Nam", None)]
        )
        country = conn.execute(text("SELECT id FROM admin_unit")).scalar_one()
        conn.execute(
            unit.insert(), [record("province", PROVINCE, "tỉnh", "Đo Lường", country)]
        )
        province = conn.execute(
            text("SELECT id FROM admin_unit WHERE code = :c"), {"c": PROVINCE}
        ).scalar_one()
        conn.execute(
            unit.insert(),
            [
                record("district", f"9{d:02d}", "huyện", f"Số {d + 1:02d}", province)
                for d in range(DISTRICTS)
            ],
        )
        district_ids = [
            row[0]
            for row in conn.execute(
                text("SELECT id FROM admin_unit WHERE level = 'district' ORDER BY code")
            )
        ]
        conn.execute(
            unit.insert(),
            [
                record(
                    "commune",
                    f"9{k:04d}",
                    "xã",
                    f"Hòa Bình {k + 1:04d}",
                    district_ids[k % DISTRICTS],
                )
                for k in range(communes)
            ],
        )
        commune_ids = [
            row[0]
            for row in conn.execute(
                text("SELECT id FROM admin_unit WHERE level = 'commune' ORDER BY code")
            )
        ]
        # Raw SQL for speed: the record key the model's default would draw.
        insert = (
            "INSERT INTO incident (unit_id, occurred_on, category, type_code, sex,"
            " age_band, record_key) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        batch: list[tuple] = []
        for i in range(n):
            k, rest = divmod(i, per_commune)
            month, j = divmod(rest, len(combos))
            day = dt.date(YEAR, month + 1, 1 + i % 28).isoformat()
            batch.append((commune_ids[k], day, *combos[j], new_record_key()))
            if len(batch) == 100_000:
                conn.exec_driver_sql(insert, batch)
                batch = []
        if batch:
            conn.exec_driver_sql(insert, batch)
        rows = conn.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT 1 FROM incident GROUP BY unit_id,"
                " strftime('%Y-%m', occurred_on), category, type_code, sex, age_band)"
            )
        ).scalar_one()
    engine.dispose()
    assert rows == n, f"the aggregate has {rows} rows, not {n}"
    return {
        "communes": communes,
        "incidents": n,
        "aggregate_rows": rows,
        "db_mb": db.stat().st_size / 1e6,
        "seconds": time.perf_counter() - started,
    }


def _frames(tables, conn, Period, FULL, chunk: int | None = None):  # type: ignore[no-untyped-def]
    filters = tables.Filters("legacy", PROVINCE, Period(YEAR))
    kwargs = {} if chunk is None else {"chunk": chunk}
    return tables.stream(conn, "incidents", filters, FULL, lang=LANG, **kwargs)


def _total_line(n: int) -> str:
    return f"Tổng số: {n:,} dòng".replace(",", ".")


def measure(method: str, db: Path, out: Path, n: int) -> dict[str, Any]:
    """Run one method once; time from connecting to the file closed."""
    tables, export, make_engine, Period, FULL, words = _imports()
    if method == "idle":
        return {"seconds": 0.0, "rows": 0, "bytes": 0, **_peak()}
    import pandas as pd

    spec = tables.TABLES["incidents"]
    headers = words.column_headers(spec.key, LANG)
    engine = make_engine(f"sqlite:///{db}")
    extra: dict[str, Any] = {}
    started = time.perf_counter()
    with engine.connect() as conn:
        if method == "app_csv":
            rows = 0
            with out.open("w", encoding="utf-8", newline="") as f:
                frames = _frames(tables, conn, Period, FULL)

                def counted():  # type: ignore[no-untyped-def]
                    nonlocal rows
                    for frame in frames:
                        rows += len(frame)
                        yield frame

                for piece in export.csv_chunks(spec, headers, counted()):
                    f.write(piece)
        elif method == "app_xlsx":
            sheet = export.Sheet(
                spec,
                title=words.table_title(spec.key, LANG),
                name=words.sheet_name(spec.key, LANG),
                headers=headers,
                lines=TITLE_LINES,
                frames=_frames(tables, conn, Period, FULL),
            )
            rows = export.write_xlsx(out, [sheet], _total_line)["incidents"]
        elif method in ("naive_csv", "naive_xlsx"):
            frame = pd.concat(list(_frames(tables, conn, Period, FULL, chunk=n)))
            extra["load_seconds"] = time.perf_counter() - started
            frame = frame[spec.keys].set_axis(list(headers), axis=1)
            rows = len(frame)
            if method == "naive_csv":
                frame.to_csv(
                    out, index=False, encoding="utf-8-sig", lineterminator="\r\n"
                )
            else:
                frame.to_excel(
                    out,
                    index=False,
                    engine="openpyxl",
                    sheet_name=words.sheet_name(spec.key, LANG),
                )
        else:
            raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "seconds": seconds,
        "rows": rows,
        "bytes": out.stat().st_size,
        **extra,
        **_peak(),
    }


def verify_xlsx(path: Path, n: int, naive: bool) -> dict[str, Any]:
    """Data rows of an exported workbook, read back with openpyxl read_only."""
    from openpyxl import load_workbook

    from data.vocabulary import INCIDENT_CATEGORY_TERMS, names
    from layouts.tables_page import column_headers

    started = time.perf_counter()
    headers = list(column_headers("incidents", LANG))
    book = load_workbook(path, read_only=True)
    assert len(book.worksheets) == 1, book.sheetnames
    ws = book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    if naive:  # header, then the rows; nothing else
        count = sum(1 for _ in rows)
        book.close()
        assert count == n + 1, f"naive xlsx: {count} rows, expected {n + 1}"
        return {"data_rows": count - 1, "seconds": time.perf_counter() - started}
    before = 0
    for row in rows:  # title block, then the header row
        before += 1
        if list(row[: len(headers)]) == headers:
            break
    else:
        raise AssertionError("no header row")
    assert before == len(TITLE_LINES) + 3, before
    count, sample = 0, []
    for row in rows:
        if not row or all(v is None for v in row):
            break
        if count < 3:
            sample.append(row)
        count += 1
    tail = [row for row in rows if row and any(v is not None for v in row)]
    book.close()
    assert count == n, f"app xlsx: {count} data rows, expected {n}"
    assert [r[0] for r in tail] == [_total_line(n)], tail
    first = sample[0]  # the first commune, January, an abuse row of one case
    assert first[0] == "90000" and first[3] == dt.datetime(YEAR, 1, 1), first
    assert first[4] == names(INCIDENT_CATEGORY_TERMS, LANG)["abuse"], first
    assert first[-1] == 1, first
    return {"data_rows": count, "seconds": time.perf_counter() - started}


def child(argv: list[str]) -> None:
    """``--child ACTION ...``: one measurement, printed as one JSON line."""
    action = argv[0]
    if action == "build":
        result = build(Path(argv[1]), int(argv[2]))
    elif action == "verify":
        result = verify_xlsx(Path(argv[1]), int(argv[2]), argv[3] == "naive")
    elif action == "profile":
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        measure(argv[1], Path(argv[2]), Path(argv[3]), int(argv[4]))
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(
            30
        )
        result = {}
    else:
        result = measure(action, Path(argv[1]), Path(argv[2]), int(argv[3]))
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
    if done.stderr.strip():
        sys.stderr.write(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def mb(kb: float) -> float:
    return kb / 1024


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "-"
    return f"{a / b:.1f}x"


def print_machine() -> None:
    import importlib.metadata as md

    versions = ", ".join(
        f"{p} {md.version(p)}" for p in ("pandas", "openpyxl", "SQLAlchemy", "numpy")
    )
    print(f"date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(
        f"machine: {platform.machine()}, nproc {os.cpu_count()},"
        f" {platform.system()} {platform.release()}"
    )
    print(f"python {platform.python_version()}; {versions}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="row counts"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep the databases and files here (default: temp)"
    )
    parser.add_argument(
        "--naive-xlsx-max",
        type=int,
        default=None,
        help="skip the naive xlsx above this many rows (default: never)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per measurement"
    )
    parser.add_argument("--profile", choices=METHODS, help="cProfile one method")
    args = parser.parse_args()
    started = time.perf_counter()
    print_machine()
    temp = None
    if args.workdir is None:
        temp = tempfile.mkdtemp(prefix="export-rows-")
        workdir = Path(temp)
    else:
        workdir = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, workdir)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all.")


def run(args: argparse.Namespace, workdir: Path) -> None:
    sizes = sorted(set(args.sizes))
    idle = run_child(["idle", "-", "-", "0"], args.timeout)
    assert idle is not None
    base_kb = idle["maxrss_kb"]
    print(
        "baseline: an idle child that imported the modules peaks at"
        f" {mb(base_kb):.0f} MB"
    )
    results: dict[tuple[int, str], dict[str, Any] | None] = {}
    notes: list[str] = []
    for n in sizes:
        db = workdir / f"incidents_{n}.sqlite"
        if db.exists():
            db.unlink()
        print(f"\nN = {n:,}: building the fixture ...", flush=True)
        meta = run_child(["build", str(db), str(n)], args.timeout)
        assert meta is not None
        print(
            f"  {meta['communes']} communes in {DISTRICTS} districts of province"
            f" {PROVINCE}, {meta['incidents']:,} incidents in {YEAR},"
            f" aggregate {meta['aggregate_rows']:,} rows (checked);"
            f" database {meta['db_mb']:.0f} MB, built in {meta['seconds']:.0f} s"
        )
        for method in METHODS:
            ext = "csv" if method.endswith("csv") else "xlsx"
            out = workdir / f"{method}_{n}.{ext}"
            if (
                method == "naive_xlsx"
                and args.naive_xlsx_max
                and n > args.naive_xlsx_max
            ):
                results[(n, method)] = None
                notes.append(f"naive xlsx at {n:,}: skipped (--naive-xlsx-max)")
                continue
            print(f"  {LABELS[method]} ...", end=" ", flush=True)
            result = run_child([method, str(db), str(out), str(n)], args.timeout)
            results[(n, method)] = result
            if result is None:
                print(f"timed out after {args.timeout:.0f} s")
                notes.append(
                    f"{LABELS[method]} at {n:,}: timed out ({args.timeout:.0f} s)"
                )
                continue
            if (
                abs(result.get("hwm_kb", result["maxrss_kb"]) - result["maxrss_kb"])
                > 4096
            ):
                notes.append(f"{LABELS[method]} at {n:,}: ru_maxrss and VmHWM differ")
            print(f"{result['seconds']:.1f} s, peak {mb(result['maxrss_kb']):.0f} MB")
            assert result["rows"] == n, (method, result["rows"], n)
        checks = check_files(workdir, n, results, args.timeout)
        print(f"  checks: {checks}")
        db.unlink()
        for wal in workdir.glob(f"{db.name}-*"):
            wal.unlink()
        if args.profile and n == sizes[0]:
            ext = "csv" if args.profile.endswith("csv") else "xlsx"
            db_again = workdir / f"profile_{n}.sqlite"
            run_child(["build", str(db_again), str(n)], args.timeout)
            out = workdir / f"profile_{n}.{ext}"
            print(f"\ncProfile of {args.profile} at {n:,} (stderr):", flush=True)
            run_child(["profile", args.profile, str(db_again), str(out), str(n)], None)
            db_again.unlink()
        for method in METHODS:
            ext = "csv" if method.endswith("csv") else "xlsx"
            (workdir / f"{method}_{n}.{ext}").unlink(missing_ok=True)
    print_table(sizes, results, base_kb, notes)


def check_files(workdir: Path, n: int, results: dict, timeout: float) -> str:
    """Assert the files hold the N rows; read before the files are removed."""
    done = []
    app_csv, naive_csv = workdir / f"app_csv_{n}.csv", workdir / f"naive_csv_{n}.csv"
    with app_csv.open("rb") as f:
        lines = sum(1 for _ in f)
    assert lines == n + 1, f"app csv: {lines} lines, expected {n + 1}"
    done.append("app csv N+1 lines")
    if results.get((n, "naive_csv")):
        same = sha256(app_csv) == sha256(naive_csv)
        done.append(f"naive csv {'byte-identical' if same else 'DIFFERS'}")
    app = run_child(
        ["verify", str(workdir / f"app_xlsx_{n}.xlsx"), str(n), "app"], timeout
    )
    assert app is not None and app["data_rows"] == n
    done.append(
        f"app xlsx {app['data_rows']:,} data rows (read back in {app['seconds']:.0f} s)"
    )
    if results.get((n, "naive_xlsx")):
        naive = run_child(
            ["verify", str(workdir / f"naive_xlsx_{n}.xlsx"), str(n), "naive"], timeout
        )
        assert naive is not None and naive["data_rows"] == n
        done.append(f"naive xlsx {naive['data_rows']:,} data rows")
    return "; ".join(done)


def print_table(
    sizes: list[int], results: dict, base_kb: int, notes: list[str]
) -> None:
    print(
        "\nPeak RSS is the child's ru_maxrss; '+base' is it minus the idle child's"
        f" ({mb(base_kb):.0f} MB)."
    )
    head = (
        f"{'N':>9}  {'method':<11}{'seconds':>9}{'rows/s':>10}"
        f"{'peak MB':>9}{'+base MB':>9}{'file MB':>9}"
    )
    print(head)
    print("-" * len(head))
    for n in sizes:
        for method in METHODS:
            r = results.get((n, method))
            if r is None:
                print(f"{n:>9,}  {LABELS[method]:<11}{'(not measured)':>20}")
                continue
            load = (
                f"  (read into a DataFrame: {r['load_seconds']:.1f} s)"
                if "load_seconds" in r
                else ""
            )
            print(
                f"{n:>9,}  {LABELS[method]:<11}{r['seconds']:>9.1f}"
                f"{n / r['seconds']:>10,.0f}{mb(r['maxrss_kb']):>9.0f}"
                f"{mb(r['maxrss_kb'] - base_kb):>9.0f}{r['bytes'] / 1e6:>9.1f}{load}"
            )
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        print(
            f"\nGrowth from {lo:,} to {hi:,} rows ({hi / lo:.0f}x the rows):"
            " time, and memory above the baseline"
        )
        for method in METHODS:
            a, b = results.get((lo, method)), results.get((hi, method))
            if a is None or b is None:
                print(f"  {LABELS[method]:<11} -")
                continue
            time_ratio = fmt_ratio(b["seconds"], a["seconds"])
            above = fmt_ratio(b["maxrss_kb"] - base_kb, a["maxrss_kb"] - base_kb)
            peak = fmt_ratio(b["maxrss_kb"], a["maxrss_kb"])
            print(
                f"  {LABELS[method]:<11} time {time_ratio:>6},"
                f" memory {above:>6} (peak RSS {peak})"
            )
    print("\nNaive / app at each N: memory above the baseline (peak RSS), time")
    for n in sizes:
        for fmt in ("csv", "xlsx"):
            a, b = results.get((n, f"app_{fmt}")), results.get((n, f"naive_{fmt}"))
            if a is None or b is None:
                print(f"  {n:>9,} {fmt:<5} -")
                continue
            print(
                f"  {n:>9,} {fmt:<5} memory"
                f" {fmt_ratio(b['maxrss_kb'] - base_kb, a['maxrss_kb'] - base_kb):>6}"
                f" ({fmt_ratio(b['maxrss_kb'], a['maxrss_kb'])}),"
                f" time {fmt_ratio(b['seconds'], a['seconds']):>6}"
            )
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(sys.argv[2:])
    else:
        main()
