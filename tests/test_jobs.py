"""Background jobs run in a worker process (``python -m dashboard worker``) through
the job queue: a job asked for while no worker runs waits, also across a restart
of the web app, and is done once a worker starts; a job cancelled while it waits
never runs; the file goes to its owner only; the queue lives in a file of the
instance folder, or in Redis when one is set; the worker draws every picture of
every deck with one Chromium."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from urllib.parse import urlencode

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import text

from dashboard import jobs
from data import export_jobs, users
from data.db import make_engine, transaction
from layouts import ids
from tests.conftest import job_worker, post_callback, signed_client
from tests.test_deck import DECK_OUTPUTS, _deck_callback
from tests.test_exports import _sheet_frame

HREF = "/export/incidents.xlsx?" + urlencode(
    {"unit": "64", "period": "2024", "lang": "vi"}
)
TABLE_POLL = [(ids.TABLE_JOB_STATUS, "children"), (ids.TABLE_JOB_POLL, "disabled")]


def _own(conf: dict, folder, **more) -> dict:
    """``conf`` with a queue and a job folder of the test's own."""
    return {**conf, "INSTANCE_PATH": str(folder), **more}


def _start_export(client) -> str:
    started = post_callback(
        client,
        [
            (ids.TABLE_JOB, "data"),
            (ids.TABLE_JOB_POLL, "disabled"),
            (ids.TABLE_JOB_STATUS, "children"),
        ],
        [(ids.TABLE_JOB_START, "n_clicks", 1)],
        [
            (ids.TABLE_XLSX, "href", HREF),
            (ids.TABLE_TOTAL, "data", 2_000),
            (ids.TABLE_LANG, "data", "vi"),
        ],
    )
    job = started[ids.TABLE_JOB, "data"]
    assert isinstance(job, str) and len(job) == 32, started
    return job


def _poll_export(client, job: str):
    return post_callback(
        client,
        TABLE_POLL,
        [(ids.TABLE_JOB_POLL, "n_intervals", 1)],
        [(ids.TABLE_JOB, "data", job), (ids.TABLE_LANG, "data", "vi")],
    )


def _export_done(client, job: str) -> str:
    """Poll as the page does until the job ends; the panel's text."""
    end = time.monotonic() + 180
    while True:
        out = _poll_export(client, job)
        if out[ids.TABLE_JOB_POLL, "disabled"]:
            return json.dumps(out[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False)
        assert time.monotonic() < end, "the job did not finish"
        time.sleep(0.3)


def _row(conf: dict, job: str) -> dict:
    engine = make_engine(conf["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT status, rows_done, error, path FROM export_job"
                    " WHERE id = :j"
                ),
                {"j": job},
            ).one()
        return dict(row._mapping)
    finally:
        engine.dispose()


def _rows_of(data: bytes) -> list:
    """The header and the data rows of a workbook's first sheet (the title block
    says when it was written: left out)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    _lines, header, rows, _at = _sheet_frame(sheet)
    return [header, *rows]


def test_an_export_asked_for_with_no_worker_is_written_once_one_starts(
    seeded, make_app, tmp_path
) -> None:
    """No worker runs: the job waits (nothing written); the web app restarts; a
    worker starts and writes it; its owner downloads it, nobody else."""
    conf = _own(seeded, tmp_path, EXPORT_JOB_ROWS=100)
    client = signed_client(make_app(conf), "province")
    job = _start_export(client)
    time.sleep(1)  # were anything to run it, it would have begun
    out = _poll_export(client, job)
    assert out[ids.TABLE_JOB_POLL, "disabled"] is False  # still waiting
    assert "Đang chờ đến lượt" in json.dumps(
        out[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False
    )
    row = _row(conf, job)
    assert row["status"] == "running" and row["rows_done"] == 0
    assert not os.path.exists(row["path"])
    assert jobs.JobQueue(conf).pending() == 1
    # the web app restarts (a new app, new sessions): the job is still queued
    app = make_app(conf)
    client = signed_client(app, "province")
    with job_worker(conf):
        panel = _export_done(client, job)
    assert "Tệp Excel đã sẵn sàng" in panel and f"/export/job/{job}.xlsx" in panel
    assert jobs.JobQueue(conf).pending() == 0
    made = client.get(f"/export/job/{job}.xlsx")
    assert made.status_code == 200
    direct = client.get(HREF)
    assert _rows_of(made.data) == _rows_of(direct.data)
    assert len(_rows_of(made.data)) > 100
    # the file is its owner's only: another user neither follows nor downloads it
    other = signed_client(app, "district")
    assert other.get(f"/export/job/{job}.xlsx").status_code == 404
    assert _poll_export(other, job) is None


def test_a_job_cancelled_while_it_waits_never_runs(seeded, make_app, tmp_path) -> None:
    """A deck asked for and cancelled before any worker ran: the worker skips it
    (no file, still cancelled) and goes on with the next job."""
    conf = _own(seeded, tmp_path, EXPORT_JOB_ROWS=100)
    client = signed_client(make_app(conf), "province")
    deck = _start_deck(client)
    cancelled = _deck_callback(client, deck, ids.DECK_CANCEL)
    assert cancelled[ids.DECK_POLL, "disabled"] is True
    export = _start_export(client)  # the cancelled deck no longer counts
    assert jobs.JobQueue(conf).pending() == 2
    with job_worker(conf) as worker:
        _export_done(client, export)
    row = _row(conf, deck)
    assert (row["status"], row["error"], row["rows_done"]) == (
        "failed",
        "cancelled",
        0,
    )
    assert not os.path.exists(row["path"])
    assert _row(conf, export)["status"] == "done"
    assert f"job {deck} (deck) starts" in worker.output  # taken, and left alone
    assert client.get(f"/review/deck/{deck}.pdf").status_code == 404


def test_jobs_wait_in_redis_when_it_is_set(
    seeded_sqlite, make_app, tmp_path, redis_url
) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    conf = _own(seeded_sqlite, tmp_path, EXPORT_JOB_ROWS=100)
    conf["JOB_QUEUE_URL"] = redis_url
    client = signed_client(make_app(conf), "province")
    job = _start_export(client)
    assert jobs.JobQueue(conf).pending() == 1
    assert not (tmp_path / "jobs.db").exists()  # not in the instance folder
    with job_worker(conf) as worker:
        panel = _export_done(client, job)
    assert "Redis redis://127.0.0.1:6379/" in worker.output
    assert f"/export/job/{job}.xlsx" in panel
    assert client.get(f"/export/job/{job}.xlsx").status_code == 200
    redis.Redis.from_url(redis_url).flushdb()


def _deck_done(client, job: str) -> dict:
    end = time.monotonic() + 240
    while True:
        out = _deck_callback(client, job, ids.DECK_POLL)
        if out[ids.DECK_POLL, "disabled"]:
            return out
        assert time.monotonic() < end, "the deck was not built"
        time.sleep(0.5)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")  # Chromium: not beside another
def test_the_worker_builds_decks_with_one_kept_chromium(
    seeded_sqlite, make_app, tmp_path
) -> None:
    """Two decks, one after the other, in the meeting-room role: both are built
    by the worker, with the one Chromium it started."""
    conf = _own(seeded_sqlite, tmp_path)
    client = signed_client(make_app(conf), "viewer")
    files = {}
    with job_worker(conf) as worker:
        for fmt in ("pdf", "pptx"):
            job = _start_deck(client, fmt)
            done = _deck_done(client, job)
            assert "deck-download" in json.dumps(done[ids.DECK_STATUS, "children"])
            response = client.get(f"/review/deck/{job}.{fmt}")
            assert response.status_code == 200
            files[fmt] = response.data
            stranger = signed_client(make_app(conf), "province")
            assert stranger.get(f"/review/deck/{job}.{fmt}").status_code == 404
    pages = PdfReader(io.BytesIO(files["pdf"])).pages
    slides = Presentation(io.BytesIO(files["pptx"])).slides
    assert len(pages) == len(slides) == 13
    assert "Sơ kết công tác trẻ em Quý 3/2024" in pages[0].extract_text()
    # the charts (3 a deck) by Chromium; the 4 maps a deck by the printed map's
    # renderer, without it
    assert "6 pictures drawn with 1 Chromium start(s)" in worker.output


def _start_deck(client, fmt: str = "pdf") -> str:
    button = ids.DECK_PDF if fmt == "pdf" else ids.DECK_PPTX
    start = [
        (ids.DECK_PPTX, "n_clicks", 1 if fmt == "pptx" else None),
        (ids.DECK_PDF, "n_clicks", 1 if fmt == "pdf" else None),
        (ids.DECK_CANCEL, "n_clicks", None),
        (ids.DECK_POLL, "n_intervals", None),
    ]
    state = [
        (ids.DECK_JOB, "data", None),
        (ids.PRESENT_QUARTER, "value", "2024-Q3"),
        (ids.PRESENT_PARAMS, "data", {"province": "64", "lang": "vi"}),
    ]
    started = post_callback(
        client, DECK_OUTPUTS, start, state, changed=f"{button}.n_clicks"
    )
    return started[ids.DECK_JOB, "data"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")  # Chromium: not beside another
def test_a_worker_stopped_in_the_middle_of_a_deck_hands_it_to_the_next(
    seeded_sqlite, make_app, tmp_path
) -> None:
    """SIGTERM (a deploy, a restart) while a deck is being built: the job goes
    back on the queue and waits again (no file, nothing failed); the next worker
    builds it."""
    conf = _own(seeded_sqlite, tmp_path)
    client = signed_client(make_app(conf), "viewer")
    with job_worker(conf) as first:
        job = _start_deck(client)
        end = time.monotonic() + 60
        while f"job {job} (deck) starts" not in first.output:
            assert time.monotonic() < end, first.output
            time.sleep(0.05)
        first.process.terminate()  # SIGTERM
        first.process.wait(timeout=30)
    assert f"job {job} was interrupted: queued again" in first.output
    row = _row(conf, job)
    assert (row["status"], row["error"], row["rows_done"]) == ("running", None, 0)
    assert not os.path.exists(row["path"])
    shown = _deck_callback(client, job, ids.DECK_POLL)
    assert "Đang chờ đến lượt" in shown[ids.DECK_STATUS, "children"]
    assert jobs.JobQueue(conf).pending() == 1
    with job_worker(conf):
        _deck_done(client, job)
    assert _row(conf, job)["status"] == "done"
    pages = PdfReader(io.BytesIO(client.get(f"/review/deck/{job}.pdf").data)).pages
    assert len(pages) == 13


def test_serve_starts_a_job_worker_and_stops_it(seeded_sqlite, tmp_path) -> None:
    """``make run``'s command: the development server and a job worker beside it,
    named in what it prints; both end with Ctrl-C."""
    import signal
    import socket
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import ROOT

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": seeded_sqlite["DATABASE_URL"],
        "INSTANCE_PATH": str(tmp_path),
        "JOB_QUEUE_URL": "",
        "CACHE_REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--no-setup", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    worker_pid = 0
    try:
        assert serve.stdout is not None
        for line in serve.stdout:
            lines.append(line)
            if "Worker ready" in line:
                break
        said = "".join(lines)
        assert "Job worker started (process " in said, said
        assert f"wait in the file {tmp_path / 'jobs.db'}" in said
        worker_pid = int(said.split("Job worker started (process ", 1)[1].split(")")[0])
        os.kill(worker_pid, 0)  # it runs
    finally:
        status = Path(f"/proc/{serve.pid}/status").read_text()
        signals = [s for s in status.splitlines() if s.startswith(("SigIgn", "SigCgt"))]
        serve.send_signal(signal.SIGINT)
        try:
            rest, _ = serve.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            if worker_pid:
                os.killpg(worker_pid, signal.SIGKILL)
            rest, _ = serve.communicate()
            pytest.fail(f"serve did not stop on SIGINT ({signals}): {rest[-3000:]}")
    said = "".join(lines) + rest
    assert "Worker stopped" in said, said[-3000:]
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # gone with the server


def test_the_queue_is_a_file_in_the_instance_folder_unless_redis_is_set(
    tmp_path,
) -> None:
    base = {"INSTANCE_PATH": str(tmp_path), "JOB_QUEUE_URL": "", "CACHE_REDIS_URL": ""}
    assert jobs.queue_url(base) == f"sqlite:///{tmp_path / 'jobs.db'}"
    cached = {**base, "CACHE_REDIS_URL": "redis://127.0.0.1:6379/3"}
    assert jobs.queue_url(cached) == "redis://127.0.0.1:6379/3"
    own = {**cached, "JOB_QUEUE_URL": "redis://:secret@queue.example:6379/1"}
    assert jobs.queue_url(own) == own["JOB_QUEUE_URL"]
    assert jobs.describe(own) == "Redis redis://queue.example:6379/1"  # no password
    with pytest.raises(ValueError, match="JOB_QUEUE_URL must be"):
        jobs.make_huey({**base, "JOB_QUEUE_URL": "amqp://rabbit"})
    with pytest.raises(ValueError, match="no such kind of job: 'print'"):
        jobs.JobQueue(base).enqueue("print", "0" * 32, {})


def _backdate(engine, job_id: str, **ago: dt.timedelta) -> None:
    """Move the job's times (created_at, updated_at) back by the given spans."""
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as session:
        for column, span in ago.items():
            session.execute(
                text(f"UPDATE export_job SET {column} = :t WHERE id = :j"),
                {"t": now - span, "j": job_id},
            )


def test_a_waiting_job_counts_until_no_worker_took_it_for_an_hour(gia_lai) -> None:
    with transaction(gia_lai) as session:
        users.create_user(session, username="room", password="x" * 16, role="viewer")
    with gia_lai.connect() as conn:
        user_id = users.get_account(conn, username="room").id

    def new_job() -> str:
        return export_jobs.create(
            gia_lai,
            user_id=user_id,
            download_name="so-ket.pdf",
            path="/nowhere/so-ket.pdf",
            rows_expected=None,
            limit=1,
        )

    def shown(job_id: str) -> dict:
        with gia_lai.connect() as conn:
            return export_jobs.get(conn, job_id, user_id)

    waiting = new_job()
    assert shown(waiting)["status"] == "running" and shown(waiting)["waiting"]
    _backdate(
        gia_lai,
        waiting,
        created_at=dt.timedelta(minutes=30),
        updated_at=dt.timedelta(minutes=30),
    )
    assert shown(waiting)["waiting"]  # waiting is not stale: it is in the queue
    with pytest.raises(export_jobs.TooManyJobs):
        new_job()  # a waiting job counts
    _backdate(gia_lai, waiting, updated_at=dt.timedelta(hours=2))  # queued then
    given_up = shown(waiting)
    assert (given_up["status"], given_up["error"]) == ("failed", export_jobs.NO_WORKER)
    taken = new_job()  # the given-up job no longer counts
    assert not export_jobs.begin(gia_lai, waiting)  # a worker now: too late
    assert shown(waiting)["error"] == export_jobs.NO_WORKER
    assert export_jobs.begin(gia_lai, taken)
    assert not shown(taken)["waiting"] and shown(taken)["status"] == "running"
    _backdate(gia_lai, taken, updated_at=dt.timedelta(minutes=11))
    assert shown(taken)["error"] == "stale"  # taken, then its worker went silent
    export_jobs.requeue(gia_lai, taken)  # its worker stopped: it waits again
    assert shown(taken)["waiting"] and shown(taken)["status"] == "running"
    assert export_jobs.begin(gia_lai, taken)  # and the next worker takes it
    export_jobs.finish(gia_lai, taken, 0, error="cancelled")
    assert not export_jobs.begin(gia_lai, taken)  # cancelled: not started again


def _cancel_export(client, job: str):
    return post_callback(
        client,
        [*TABLE_POLL, (ids.TABLE_JOB, "data")],
        [(ids.TABLE_JOB_CANCEL, "n_clicks", 1)],
        [(ids.TABLE_JOB, "data", job), (ids.TABLE_LANG, "data", "vi")],
    )


def test_an_export_cancelled_from_the_tables_page_writes_no_file(
    seeded, make_app, tmp_path
) -> None:
    """The running panel's "Hủy": only its owner cancels it; the worker then
    leaves it (no file), and the panel says so."""
    conf = _own(seeded, tmp_path, EXPORT_JOB_ROWS=100)
    app = make_app(conf)
    client = signed_client(app, "province")
    job = _start_export(client)
    waiting = json.dumps(
        _poll_export(client, job)[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False
    )
    assert ids.TABLE_JOB_CANCEL in waiting and "Hủy" in waiting
    assert _cancel_export(signed_client(app, "district"), job) is None  # not theirs
    assert _row(conf, job)["status"] == "running"
    out = _cancel_export(client, job)
    assert out[ids.TABLE_JOB_POLL, "disabled"] is True
    assert out[ids.TABLE_JOB, "data"] is None
    assert "Đã hủy bản xuất" in json.dumps(
        out[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False
    )
    with job_worker(conf):
        later = _start_export(client)  # the cancelled one no longer counts
        _export_done(client, later)
    row = _row(conf, job)
    assert (row["status"], row["error"]) == ("failed", "cancelled")
    assert not os.path.exists(row["path"])
    assert "Đã hủy bản xuất" in json.dumps(
        _poll_export(client, job)[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False
    )
