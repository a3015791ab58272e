"""Background jobs (large Excel exports, review decks): a row per job in
``export_job``.

The web writes the row and puts the job on the job queue; the job worker that
takes it says so (``begin``), writes the file (in the instance folder) and the
progress; any web worker can then answer "how far" and send the file, and only to
the user who asked.  A job waiting for a worker is ``waiting`` (again after
``requeue``); one that no worker took within ``WAIT`` is reported as failed
(``NO_WORKER``) and is not started any more.  A job left running by a worker
that was killed is reported as failed once it has made no progress for
``STALE``.  One user may have at most ``limit`` jobs
waiting or running at once (``create`` refuses another with ``TooManyJobs``),
also when the requests arrive together on several web workers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from data.db import as_utc, read_one, read_rows, read_scalar, transaction, write
from data.models import ExportJob, User

JOB = ExportJob.__table__
_user = User.__table__
STALE = dt.timedelta(minutes=10)  # no progress for this long: the writer is gone
WAIT = dt.timedelta(hours=1)  # no worker took the job for this long: given up
NO_WORKER = "no_worker"  # the error of a job no worker took
CANCELLED = "cancelled"  # the error of a job its user cancelled
KEEP = dt.timedelta(hours=24)  # finished files are removed after this


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TooManyJobs(RuntimeError):
    """The user already has as many jobs running as allowed."""

    def __init__(self, running: int, limit: int) -> None:
        super().__init__(f"{running} jobs running; at most {limit} at once")
        self.running, self.limit = running, limit


def _running_of(user_id: int, now: dt.datetime) -> Select[int]:
    """Jobs of ``user_id`` waiting or running (a stale one, or one no worker
    took in time, no longer counts)."""
    return (
        select(func.count())
        .select_from(JOB)
        .where(
            JOB.c.user_id == user_id,
            JOB.c.status == "running",
            or_(
                and_(JOB.c.started_at.is_(None), JOB.c.updated_at >= now - WAIT),
                and_(JOB.c.started_at.is_not(None), JOB.c.updated_at >= now - STALE),
            ),
        )
    )


def create(
    engine: Engine,
    *,
    user_id: int,
    download_name: str,
    path: str,
    rows_expected: int | None,
    limit: int | None = None,
) -> str:
    """A new running job; its id (random: it names the download).  With
    ``limit``, TooManyJobs when the user already has that many running (and
    nothing is written)."""
    job_id = uuid.uuid4().hex
    with transaction(engine) as session:
        # Jobs of one user are counted one request at a time: PostgreSQL locks
        # the user's row until this transaction ends (FOR NO KEY UPDATE: rows
        # that merely refer to the user are not held up); SQLite, where FOR
        # UPDATE is dropped, serialises the insert below, the first write.
        read_rows(
            session,
            select(_user.c.id)
            .where(_user.c.id == user_id)
            .with_for_update(key_share=True),
        )
        write(
            session,
            insert(JOB).values(
                id=job_id,
                user_id=user_id,
                status="running",
                rows_done=0,
                rows_expected=rows_expected,
                download_name=download_name,
                path=path,
                created_at=_now(),
                updated_at=_now(),
            ),
        )
        if limit is not None:
            running = read_scalar(session, _running_of(user_id, _now()))
            if running > limit:  # this one included: undone with the transaction
                raise TooManyJobs(running - 1, limit)
    return job_id


def progress(engine: Engine, job_id: str, rows_done: int) -> None:
    with transaction(engine) as session:
        write(
            session,
            update(JOB)
            .where(JOB.c.id == job_id, JOB.c.status == "running")
            .values(rows_done=rows_done, updated_at=_now()),
        )


def finish(
    engine: Engine, job_id: str, rows_done: int, error: str | None = None
) -> None:
    with transaction(engine) as session:
        write(
            session,
            update(JOB)
            .where(JOB.c.id == job_id)
            .values(
                status="failed" if error else "done",
                rows_done=rows_done,
                error=error,
                updated_at=_now(),
                finished_at=_now(),
            ),
        )


def get(conn: Connection, job_id: object, user_id: int) -> dict[str, Any] | None:
    """The job ``job_id`` of user ``user_id`` (None: no such job of theirs)."""
    if not isinstance(job_id, str) or len(job_id) != 32:
        return None
    row = read_one(
        conn, select(JOB).where(JOB.c.id == job_id, JOB.c.user_id == user_id)
    )
    if row is None:
        return None
    job = dict(row._mapping)
    for key in ("created_at", "updated_at", "finished_at", "started_at"):
        job[key] = as_utc(job[key])
    job["waiting"] = job["status"] == "running" and job["started_at"] is None
    if job["waiting"]:
        if _now() - job["updated_at"] > WAIT:  # no worker took it
            job["status"], job["error"], job["waiting"] = "failed", NO_WORKER, False
    elif job["status"] == "running" and _now() - job["updated_at"] > STALE:
        job["status"], job["error"] = "failed", "stale"  # its writer stopped
    return job


def old_jobs(conn: Connection, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Jobs created more than ``KEEP`` ago (their files can go)."""
    limit = (now or _now()) - KEEP
    rows = read_rows(conn, select(JOB.c.id, JOB.c.path).where(JOB.c.created_at < limit))
    return [dict(r._mapping) for r in rows]


def forget(engine: Engine, job_ids: list[str]) -> None:
    if job_ids:
        with transaction(engine) as session:
            write(session, delete(JOB).where(JOB.c.id.in_(job_ids)))


def expect(engine: Engine, job_id: str, total: int) -> None:
    """How many steps (rows) the job will take, once it knows."""
    with transaction(engine) as session:
        write(
            session, update(JOB).where(JOB.c.id == job_id).values(rows_expected=total)
        )


def begin(engine: Engine, job_id: str) -> bool:
    """A job worker takes the job: whether it is still wanted (not cancelled, not
    finished, not given up for want of a worker).  A job taken before (its worker
    stopped half-way) is taken again."""
    now = _now()
    with transaction(engine) as session:
        given_up = write(
            session,
            update(JOB)
            .where(
                JOB.c.id == job_id,
                JOB.c.status == "running",
                JOB.c.started_at.is_(None),
                JOB.c.updated_at < now - WAIT,
            )
            .values(status="failed", error=NO_WORKER, updated_at=now, finished_at=now),
        )
        if given_up.rowcount:
            return False
        taken = write(
            session,
            update(JOB)
            .where(JOB.c.id == job_id, JOB.c.status == "running")
            .values(started_at=now, updated_at=now, rows_done=0),
        )
        return bool(taken.rowcount)


def requeue(engine: Engine, job_id: str) -> None:
    """The job's worker stopped before it finished and put it back on the
    queue: it waits again, from the start."""
    with transaction(engine) as session:
        write(
            session,
            update(JOB)
            .where(JOB.c.id == job_id, JOB.c.status == "running")
            .values(started_at=None, rows_done=0, updated_at=_now()),
        )


def running(conn: Connection, job_id: str) -> bool:
    """Whether the job is still wanted (not cancelled, not finished)."""
    status = read_scalar(conn, select(JOB.c.status).where(JOB.c.id == job_id))
    return status == "running"
