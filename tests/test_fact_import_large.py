"""Large files of facts: read from disk as they stream, compared and written
chunk by chunk in one transaction (a problem in a late row rolls back what
earlier chunks wrote), new rows by COPY on PostgreSQL, progress told chunk by
chunk, the page's limits below the command line's, and the changes of a large
correction file audited in entries of their own."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data import fact_import
from data.db import insert_many, transaction
from data.fact_import import INCIDENTS
from data.fact_import.read import Source
from data.fact_import.spec import LARGE, FileLimits
from data.metrics.dataset import facts_version
from data.metrics.summary import check as summary_check
from data.models import AdminUnit, AuditLog, Incident
from tests.test_fact_import import ADMIN, HEADERS, TODAY, audits, incidents

applying = importlib.import_module("data.fact_import.apply")  # not the function
COMMUNES = ("23941", "23944", "23590")  # legacy Gia Lai communes
N = 1_230  # rows: 12 full chunks of 100 and a part


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(applying, "CHUNK_RECORDS", 100)


def row(i: int, *, month: int = 3, sex: str = "Nữ") -> list[str]:
    return [
        f"L-{i:06d}",
        f"{1 + i % 28:02d}/{month:02d}/2024",
        COMMUNES[i % len(COMMUNES)],
        "Tai nạn thương tích",
        "Đuối nước",
        sex,
        "6–10 tuổi",
        "",
        "Không cố ý",
        "Không tử vong",
        "",
    ]


def write_csv(path: Path, rows: list[list[str]]) -> Source:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        out.writerows(rows)
    return Source(path)


def run(engine: Engine, source: Source, *, write: bool, **kw):
    how = fact_import.apply if write else fact_import.dry_run
    extra = {"user_id": None} if write else {}
    return how(
        engine,
        INCIDENTS,
        source,
        file_name=source.path.name,
        scope=ADMIN,
        username="t_admin",
        today=TODAY,
        limits=kw.pop("limits", LARGE),
        **extra,
        **kw,
    )


def version_of(engine: Engine) -> str:
    with engine.connect() as conn:
        return facts_version(conn)


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Incident)).scalar_one()


def test_a_file_on_disk_is_checked_and_written_chunk_by_chunk(
    gia_lai: Engine, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "lon.csv", [row(i) for i in range(N)])
    told: list[int] = []
    summary = run(gia_lai, source, write=False, progress=told.append)
    assert summary.ok and (summary.rows, summary.new) == (N, N)
    assert told == [*range(100, N, 100), N]  # after each chunk, then the end
    assert count(gia_lai) == 0
    # per commune, the cases before and after
    assert sorted((u.code, u.before, u.after) for u in summary.units) == sorted(
        (c, 0, len(range(i, N, 3))) for i, c in enumerate(COMMUNES)
    )

    version = version_of(gia_lai)
    summary = run(gia_lai, source, write=True, progress=told.append)
    assert summary.written and summary.new == N
    stored = incidents(gia_lai)
    assert len(stored) == N
    assert len({r["record_key"] for r in stored}) == N  # each its own key
    assert version_of(gia_lai) != version
    with gia_lai.connect() as conn:
        assert summary_check(conn) is None  # the month summary follows the cases

    again = run(gia_lai, source, write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, N)
    assert count(gia_lai) == N


def test_a_problem_in_a_late_row_rolls_back_what_earlier_chunks_wrote(
    gia_lai: Engine, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(N)]
    rows[-1][2] = "99999"  # no such commune, in the last chunk
    source = write_csv(tmp_path / "hong.csv", rows)
    version = version_of(gia_lai)
    summary = run(gia_lai, source, write=True)
    assert not summary.written and summary.refused == 1
    assert "99999" in summary.problems[0].text("vi")
    assert count(gia_lai) == 0 and version_of(gia_lai) == version
    assert audits(gia_lai) == []
    with gia_lai.connect() as conn:
        refused = conn.execute(
            select(AuditLog.detail).where(AuditLog.action == "facts_import_refused")
        ).scalars()
        assert [json.loads(d)["rows"] for d in refused] == [N]


def test_a_reference_repeated_in_another_chunk_is_refused(
    gia_lai: Engine, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(N)]
    rows[N - 5][0] = rows[3][0]  # row N-3 of the file repeats row 5's reference
    summary = run(gia_lai, write_csv(tmp_path / "lap.csv", rows), write=True)
    assert not summary.written and summary.refused == 1
    text = summary.problems[0].text("vi")
    assert rows[3][0] in text and "dòng 5" in text.lower()
    assert count(gia_lai) == 0


def test_the_pages_limits_are_below_the_command_lines(
    gia_lai: Engine, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "nhieu.csv", [row(i) for i in range(300)])
    small = FileLimits(rows=250, size=LARGE.size)
    summary = run(gia_lai, source, write=False, limits=small)
    assert not summary.ok
    assert "250" in summary.problems[0].text("vi")
    tiny = FileLimits(rows=LARGE.rows, size=1_000)
    summary = run(gia_lai, source, write=False, limits=tiny)
    assert "MB" in summary.problems[0].text("vi") and summary.rows == 0
    assert run(gia_lai, source, write=False).ok


def test_changes_beyond_those_kept_are_audited_in_entries_of_their_own(
    gia_lai: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applying, "CHANGES_KEPT", 150)
    first = write_csv(tmp_path / "dau.csv", [row(i) for i in range(N)])
    assert run(gia_lai, first, write=True).written
    corrected = [row(i, sex="Nam") if i % 2 else row(i) for i in range(N)]
    summary = run(gia_lai, write_csv(tmp_path / "sua.csv", corrected), write=True)
    changed = N // 2
    assert summary.written and summary.updated == changed
    entry = audits(gia_lai)[-1]
    assert len(entry["changes"]) == 150
    assert entry["changes_continued"] == changed - 150
    with gia_lai.connect() as conn:
        later = [
            json.loads(d)
            for d in conn.execute(
                select(AuditLog.detail).where(AuditLog.action == "facts_import_changes")
            ).scalars()
        ]
    assert {e["sha256"] for e in later} == {summary.sha256}
    shown = entry["changes"] + [c for e in later for c in e["changes"]]
    assert sorted(c["row"] for c in shown) == [i + 2 for i in range(1, N, 2)]
    assert {c["after"]["sex"] for c in shown} == {"M"}
    assert sum(r["sex"] == "M" for r in incidents(gia_lai)) == changed


def test_insert_many_fills_python_defaults(gia_lai: Engine) -> None:
    """The rows leave out ``record_key``: its default is computed per row, on
    PostgreSQL's COPY as on an INSERT."""
    with gia_lai.connect() as conn:
        unit_id = conn.execute(
            select(AdminUnit.id).where(AdminUnit.code == COMMUNES[0])
        ).scalar_one()
    base = {
        "unit_id": unit_id,
        "category": "injury",
        "type_code": "INJ_DROWN",
        "sex": "F",
        "age_band": "6_10",
    }
    rows = [
        {**base, "occurred_on": dt.date(2024, 1, 1 + i), "case_ref": f"D-{i}"}
        for i in range(5)
    ]
    with transaction(gia_lai) as session:
        assert insert_many(session, Incident.__table__, rows) == 5
        assert insert_many(session, Incident.__table__, []) == 0
    stored = incidents(gia_lai)
    assert [r["case_ref"] for r in stored] == [f"D-{i}" for i in range(5)]
    assert all(r["record_key"] is not None for r in stored)
    assert len({r["record_key"] for r in stored}) == 5


def test_a_dry_run_keeps_no_row_once_compared(gia_lai: Engine, tmp_path: Path) -> None:
    """Bounded memory: a dry run of a streamed kind counts the rows it would
    write and keeps none of them."""
    source = write_csv(tmp_path / "kho.csv", [row(i) for i in range(N)])
    with gia_lai.connect() as conn:
        plan = applying._plan(conn, INCIDENTS, source, "kho.csv", ADMIN, TODAY)
    assert plan.summary.new == N
    assert (plan.inserts, plan.updates) == ([], [])
