"""Large files of facts, checked and imported by a background job.

A file too large for the page's upload box (up to ``LARGE``: 2,000,000 rows) is
sent to ``/import/large`` (``dashboard.import_large``), kept in the instance
folder, and checked by a job worker (``start``: a dry run).  The page follows
the job (``status``): the rows read so far, then the check's summary — the
same words as for a small file.  Confirming it queues a second job
(``confirm``) that imports that same file (its SHA-256 unchanged) in one
transaction, streamed and chunked as ``data.fact_import`` does.  Either can
be cancelled (``cancel``): an import cancelled midway rolls back.

Progress goes to a small file beside the job's (``<job>.progress``): during an
import the SQLite database is held by the import's transaction until it
commits, so the job's row is written only when the job begins and ends.  The
row of ``export_job`` stays the job's owner and state; its file (``path``) is the
summary as JSON (``data.fact_import.codec``), written when the job ends.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from flask import request
from sqlalchemy import Engine
from werkzeug.datastructures import FileStorage

from callbacks import context, table_export
from data import export_jobs, fact_import
from data.fact_import import codec
from data.fact_import.read import Source
from data.fact_import.spec import LARGE
from data.scope import Scope

log = logging.getLogger(__name__)
SUFFIXES = (".csv", ".xlsx")


def _progress_path(path: str) -> Path:
    return Path(path).with_suffix(".progress")


def _tell(path: str, rows: int) -> None:
    """The rows read so far, replaced atomically (a reader never sees half)."""
    target = _progress_path(path)
    partial = target.with_suffix(".progress-new")
    partial.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    os.replace(partial, target)


def rows_read(path: str) -> int:
    try:
        return int(json.loads(_progress_path(path).read_text("utf-8"))["rows"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def start(kind: fact_import.Kind, upload: FileStorage, file_name: str) -> str:
    """Keep the uploaded file and queue its check; the job's id (TooManyJobs
    when the user has ``JOBS_PER_USER`` jobs running; nothing kept then)."""
    who = context.user()
    assert who is not None
    scope = context.asking()
    fact_import.check_role(scope)
    db = context.engine()
    table_export.clean_old(db)
    folder = table_export.job_folder()
    stem = uuid.uuid4().hex
    suffix = Path(file_name).suffix.lower()
    source = folder / f"{stem}{suffix if suffix in SUFFIXES else '.csv'}"
    path = str(folder / f"{stem}.json")
    job_id = export_jobs.create(
        db,
        user_id=who.account.id,
        download_name=file_name[:255],
        path=path,
        rows_expected=None,
        limit=table_export.jobs_per_user(),
    )
    upload.save(source)  # streamed to disk
    context.audit(
        "facts_import_upload",
        {"kind": kind.name, "file": file_name[:255], "job": job_id},
    )
    payload = _payload(kind, scope, source, path, file_name=file_name)
    table_export.enqueue("fact_import", job_id, payload)
    return job_id


def _payload(
    kind: fact_import.Kind,
    scope: Scope,
    source: Path,
    path: str,
    *,
    file_name: str,
    sha256: str | None = None,
) -> dict[str, Any]:
    who = context.user()
    assert who is not None
    return {
        "kind": kind.name,
        "source": str(source),
        "file_name": file_name,
        "path": path,
        "role": scope.role,
        "unit_id": scope.unit_id,
        "user_id": who.account.id,
        "username": who.username,
        "remote_addr": request.remote_addr,
        "sha256": sha256,  # set for an import: the file the check saw
    }


def status(job_id: object) -> dict[str, Any] | None:
    """The signed-in user's job ``job_id`` (None: not theirs): its row, the
    rows read, and once done the summary and what it was made from."""
    job = table_export.job_status(job_id)
    if job is None:
        return None
    job["rows_read"] = rows_read(job["path"])
    job["summary"], job["extra"] = None, {}
    if job["status"] == "done":
        try:
            text = Path(job["path"]).read_text("utf-8")
        except OSError:  # removed with old jobs
            job["status"], job["error"] = "failed", "gone"
            return job
        job["summary"], job["extra"] = codec.loads(text)
    return job


def _cancel_path(path: str) -> Path:
    return Path(path).with_suffix(".cancel")


def cancel(job_id: object) -> bool:
    """Cancel the user's check or import of a large file: one still waiting
    is marked so at once; one running is asked to stop by a note beside its
    file (a running import on SQLite holds the database until it ends: the
    job's row could not be written now), and its worker stops after the chunk
    it is reading, rolls the import back and marks the row."""
    job = table_export.job_status(job_id)
    if job is None or job["status"] != "running":
        return False
    if job["waiting"]:
        return table_export.cancel(job_id)
    _cancel_path(job["path"]).touch()
    return True


def confirm(job_id: object) -> str | None:
    """Queue the import of the file a finished check of the user's approved
    (no problem); the new job's id, or None when there is no such check."""
    job = status(job_id)
    if job is None or job["summary"] is None or job["extra"].get("applied"):
        return None
    summary, extra = job["summary"], job["extra"]
    if not summary.ok:
        return None
    kind = fact_import.KINDS[summary.kind]
    scope = context.asking()
    who = context.user()
    assert who is not None
    db = context.engine()
    path = str(Path(job["path"]).with_name(f"{uuid.uuid4().hex}.json"))
    new_id = export_jobs.create(
        db,
        user_id=who.account.id,
        download_name=job["download_name"],
        path=path,
        rows_expected=summary.rows,
        limit=table_export.jobs_per_user(),
    )
    payload = _payload(
        kind,
        scope,
        Path(extra["source"]),
        path,
        file_name=summary.file_name,
        sha256=summary.sha256,
    )
    table_export.enqueue("fact_import", new_id, payload)
    return new_id


def run_job(db: Engine, job_id: str, payload: dict) -> None:
    """Check (or, with ``sha256``, import) the kept file, in a worker process;
    the summary is written as the job's file."""
    if not export_jobs.begin(db, job_id):
        return  # given up while it waited in the queue
    path, source = payload["path"], Source(Path(payload["source"]))
    kind = fact_import.KINDS[payload["kind"]]
    scope = Scope(payload["role"], payload["unit_id"])
    who = {
        "user_id": payload["user_id"],
        "username": payload["username"],
        "remote_addr": payload["remote_addr"],
    }
    expected = payload.get("sha256")
    try:
        if expected is not None and source.sha256() != expected:
            export_jobs.finish(db, job_id, 0, error="file_changed")
            return

        def progress(rows: int) -> None:  # told after each chunk
            _tell(path, rows)
            if table_export.STOPPING.is_set():
                raise table_export.Interrupted
            if _cancel_path(path).exists():
                raise table_export.Cancelled  # an import rolls back

        run = fact_import.apply if expected is not None else fact_import.dry_run
        summary = run(
            db,
            kind,
            source,
            file_name=payload["file_name"],
            scope=scope,
            limits=LARGE,
            progress=progress,
            **who,
        )
        Path(path).write_text(
            codec.dumps(summary, source=str(source.path), applied=expected is not None),
            encoding="utf-8",
        )
        export_jobs.finish(db, job_id, summary.rows)
    except table_export.Cancelled:  # an import wrote nothing
        export_jobs.finish(db, job_id, rows_read(path), error=export_jobs.CANCELLED)
    except Exception as exc:  # the job says it failed; the log says why
        if table_export.STOPPING.is_set():
            return  # interrupted: the next worker runs it again
        log.exception("fact import job %s failed", job_id)
        try:
            export_jobs.finish(db, job_id, rows_read(path), error=type(exc).__name__)
        except Exception:  # the database itself is gone: the job goes stale
            log.exception("fact import job %s: could not record the failure", job_id)
