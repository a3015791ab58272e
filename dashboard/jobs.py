"""The job queue: background work runs in worker processes, not in the web's.

Huey (a small, maintained task queue) keeps the queue: in Redis when
``JOB_QUEUE_URL`` (or else ``CACHE_REDIS_URL``) names one, so that workers may run
on other machines, and otherwise in a SQLite file ``jobs.db`` in the instance
folder (no Redis needed; web and worker on one machine).  The web side puts a job
on the queue (``JobQueue.enqueue``, reached by ``callbacks`` through the Flask
app's ``extensions["job_queue"]``); ``python -m dashboard worker`` (``work``) runs
them, ``JOB_WORKERS`` at once.  A job waits in the queue while no worker runs,
also across a restart of the web, and runs when a worker starts.

What a job does is a *kind* (``KINDS``: a function of the database engine, the
job's id and its payload); the row of ``export_job`` stays the job's progress,
its cancel flag and its file's owner.  A worker that is stopped puts the jobs it
was running back on the queue: they start again with the next worker.  The worker
keeps one Chromium for every picture of every job (``callbacks.chromium``).

One job is no kind and has no row: warming the cache after the facts change
(``warm_soon``, ``dashboard.warming``).  At most one waits at a time: a flag in
the queue's own storage says one waits, and the job clears it as it starts, so
that a change during a warming queues the next.  The worker keeps one app for
every warming.
"""

from __future__ import annotations

import contextvars
import logging
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, signals
from sqlalchemy import Engine

from callbacks import chromium, deck_job, import_job, table_export
from dashboard import warming
from data import export_jobs
from data.db import make_engine

log = logging.getLogger(__name__)
NAME = "dashboard-jobs"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
WARM = "warm"  # the warming job's task name
WARM_WAITING = "warm-waiting"  # set while a warming job waits

# What a job can be: run(engine, job id, payload) in a worker process.
KINDS: dict[str, Callable[[Engine, str, dict], None]] = {
    "export": table_export.run_job,  # a large Excel workbook of the tables page
    "deck": deck_job.run_job,  # the quarterly review's .pptx or .pdf
    "fact_import": import_job.run_job,  # a large file of facts checked or imported
}


def queue_url(conf: Mapping[str, Any]) -> str:
    """Where the queue lives: a Redis URL, or ``sqlite:///`` and a file."""
    url = str(conf.get("JOB_QUEUE_URL") or conf.get("CACHE_REDIS_URL") or "")
    if not url:
        return f"sqlite:///{Path(conf['INSTANCE_PATH']) / 'jobs.db'}"
    return url


def make_huey(conf: Mapping[str, Any]) -> Huey:
    url = queue_url(conf)
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(NAME, url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(NAME, filename=str(path), results=False)
    raise ValueError(
        f"JOB_QUEUE_URL must be a Redis URL (redis://...) or sqlite:///FILE, "
        f"not {url!r}"
    )


def describe(conf: Mapping[str, Any]) -> str:
    """The queue's place for people (no password)."""
    url = queue_url(conf)
    if url.startswith(REDIS_SCHEMES):
        head, _, tail = url.rpartition("@")
        return f"Redis {url.split('://')[0]}://{tail}" if head else f"Redis {url}"
    return f"the file {url.removeprefix('sqlite:///')}"


class JobQueue:
    """The queue of one configuration: enqueue on the web side, run in a worker."""

    def __init__(self, conf: Mapping[str, Any]) -> None:
        self.conf = dict(conf)
        self.huey = make_huey(conf)
        self._engine: Engine | None = None
        self._task = self.huey.task(name="job")(self._run)
        self._warm_task = self.huey.task(name=WARM)(self._warm)
        self._warmer: warming.Warmer | None = None
        # the context variables of the thread that made the queue, as Dash set
        # them when it was imported: a worker's threads start without them, and
        # Dash reads them while an app is built (the warming's app)
        self._context = contextvars.copy_context()
        self.huey.signal(signals.SIGNAL_INTERRUPTED)(self._interrupted)

    def enqueue(self, kind: str, job_id: str, payload: dict) -> None:
        """Queue the job ``job_id`` of ``kind`` (its row already written)."""
        if kind not in KINDS:
            raise ValueError(f"no such kind of job: {kind!r}")
        self._task(kind, job_id, payload)

    def warm_soon(self) -> bool:
        """Queue a warming of the cache, unless one waits already (True:
        queued)."""
        if not self.huey.put_if_empty(WARM_WAITING, "1"):
            return False
        self._warm_task()
        return True

    def _warm(self) -> None:
        self.huey.get(WARM_WAITING)  # taken: a change from now on queues another
        self._context.copy().run(self._warm_here)

    def _warm_here(self) -> None:
        if self._warmer is None:
            self._warmer = warming.Warmer(self.conf)
        self._warmer.run()

    def pending(self) -> int:
        """Jobs waiting for a worker."""
        return int(self.huey.pending_count())

    def engine(self) -> Engine:
        """The worker's engine (made on the first job)."""
        if self._engine is None:
            self._engine = make_engine(
                self.conf["DATABASE_URL"],
                statement_timeout_ms=self.conf["STATEMENT_TIMEOUT_MS"],
            )
        return self._engine

    def _run(self, kind: str, job_id: str, payload: dict) -> None:
        log.info("job %s (%s) starts", job_id, kind)
        KINDS[kind](self.engine(), job_id, payload)
        log.info("job %s (%s) ends", job_id, kind)

    def _interrupted(self, _signal: str, task: Any, *_args: Any) -> None:
        """A job the stopping worker did not finish goes back on the queue, and
        its row says it waits again."""
        if task.name == WARM:  # no row: queued again unless another waits
            self.warm_soon()
            log.warning("warming the cache was interrupted: queued again")
            return
        table_export.STOPPING.set()  # it records nothing more
        job_id = task.args[1]
        export_jobs.requeue(self.engine(), job_id)
        self.huey.enqueue(task)
        log.warning("job %s was interrupted: queued again", job_id)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def work(conf: Mapping[str, Any], workers: int, echo: Callable[[str], None]) -> None:
    """Run the queue's jobs until stopped (Ctrl-C or SIGTERM; SIGHUP restarts),
    ``workers`` at once, with one kept Chromium for their pictures."""
    # stopped before the consumer takes over its signals: stop as cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    queue = JobQueue(conf)
    try:
        try:
            chromium.KEPT.start()
            echo("Chromium started: every picture of every job is drawn with it.")
        except Exception as exc:  # no Chromium: decks fail with plotly's message
            echo(f"No Chromium for the pictures ({type(exc).__name__}: {exc}).")
        consumer = queue.huey.create_consumer(
            workers=workers,
            worker_type="thread",
            periodic=False,
            initial_delay=0.1,
            max_delay=1.0,  # an idle worker looks at the queue at least every second
            shutdown_timeout=10,
        )
        echo(
            f"Worker ready: {workers} job(s) at once from {describe(conf)}"
            f" ({queue.pending()} waiting)."
        )
        consumer.run()
    finally:
        table_export.STOPPING.set()  # jobs still running end without a word
        echo(
            f"Worker stopped: {chromium.KEPT.drawn} pictures drawn with "
            f"{chromium.KEPT.starts} Chromium start(s)."
        )
        chromium.KEPT.stop()
        queue.close()
