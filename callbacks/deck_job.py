"""The quarterly review's deck (.pptx or .pdf), built in the background.

A click starts a job (a row of ``export_job``, as large Excel exports do, so that
any web worker can answer the progress poll and send the file) and puts it on the
job queue (``dashboard.jobs``): a worker process gathers the review as the user's
scope may see it, draws the maps as the printed map draws them
(``layouts.map_print``) and the charts with the Chromium it keeps
(``callbacks.chromium``), and writes the file into the instance folder.  The job
can be cancelled, also while it waits: the worker looks between steps and stops,
leaving no file.  Only the user who asked may download it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from flask import Flask, abort
from flask.typing import ResponseReturnValue
from sqlalchemy import Engine

from callbacks import chromium, context, table_export
from data import export_jobs, review
from data.periods import Period, today_vn
from data.scope import Scope
from geo.geojson import level_geojson
from layouts import deck, map_print, review_slides

log = logging.getLogger(__name__)
FORMATS = ("pptx", "pdf")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
CANCELLED = export_jobs.CANCELLED


Cancelled = table_export.Cancelled  # the user cancelled the job


def init_app(server: Flask) -> None:
    server.add_url_rule("/review/deck/<job_id>.<fmt>", view_func=download)


def start(quarter: Period, province: str, lang: str, fmt: str) -> str:
    """Start building the deck of the review of ``quarter`` for the signed-in
    user; the job's id.  ValueError for an unknown format; TooManyJobs when the
    user already has ``JOBS_PER_USER`` jobs (decks or exports) running."""
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt!r} (use pptx or pdf)")
    who, scope = context.user(), context.scope()
    if who is None or scope is None:
        abort(403)
    db = context.engine()
    table_export.clean_old(db)
    path = str(table_export.job_folder() / f"{uuid.uuid4().hex}.{fmt}")
    name = f"so-ket-{province}-{quarter.key}.{fmt}"
    job_id = export_jobs.create(  # TooManyJobs: the user's limit is reached
        db,
        user_id=who.account.id,
        download_name=name,
        path=path,
        rows_expected=None,
        limit=table_export.jobs_per_user(),
    )
    context.audit(
        "export",
        {
            "table": "review_deck",
            "format": fmt,
            "area": province,
            "period": quarter.key,
            "job": job_id,
        },
    )
    payload = {
        "scope": scope,
        "quarter": quarter,
        "province": province,
        "lang": lang,
        "fmt": fmt,
        "path": path,
        "today": today_vn(),
    }
    table_export.enqueue("deck", job_id, payload)
    return job_id


def cancel(job_id: object) -> bool:
    """Cancel the signed-in user's running deck; whether there was one."""
    return table_export.cancel(job_id)


def download(job_id: str, fmt: str) -> ResponseReturnValue:
    """The finished deck, to the user who asked only."""
    if fmt not in FORMATS:
        abort(404)
    return table_export.send_job(job_id, f".{fmt}", MIME[fmt])


def with_maps(r: review.Review, collection: dict, lang: str) -> list:
    """The review's slides, their maps laid out as the printed map ("Tải bản
    đồ") over the boundaries ``collection``."""
    return review_slides.slides(
        r, lang, lambda theme: review_slides.printed_map(r, theme, collection, lang)
    )


def pictures(slides: list, step) -> dict[int, bytes]:
    """PNG of every slide's map or chart, by slide index (``step`` after each):
    maps by the printed map's renderer, charts by Chromium."""
    width, height = deck.PICTURE_PIXELS
    out = {}
    for i, slide in enumerate(slides):
        if slide.printed is not None:
            out[i] = map_print.picture(
                slide.printed, deck.PICTURE_PIXELS, deck.picture_inches(), k=1.3
            )
            step()
    drawn = [i for i, slide in enumerate(slides) if slide.figure is not None]
    figures = [slides[i].figure for i in drawn]
    for i, png in zip(drawn, chromium.pngs(figures, width, height), strict=True):
        out[i] = png
        step()
    return dict(sorted(out.items()))


class Steps:
    """Progress of a job, one step at a time; raises Cancelled once the job is
    no longer wanted (no job: a plain count)."""

    def __init__(self, db: Engine, job_id: str | None) -> None:
        self.db, self.job_id, self.done = db, job_id, 0

    def expect(self, total: int) -> None:
        if self.job_id is not None:
            export_jobs.expect(self.db, self.job_id, total)

    def __call__(self) -> None:
        self.done += 1
        if self.job_id is None:
            return
        if table_export.STOPPING.is_set():
            raise table_export.Interrupted
        with self.db.connect() as conn:
            if not export_jobs.running(conn, self.job_id):
                raise Cancelled
        export_jobs.progress(self.db, self.job_id, self.done)


def build(
    db: Engine,
    steps: Steps,
    scope: Scope,
    quarter: Period,
    province: str,
    lang: str,
    fmt: str,
    today: dt.date,
) -> bytes:
    """The deck's bytes: the review (1 step), each picture, each page."""
    with db.connect() as conn:
        r = review.review(
            conn,
            province=province,
            quarter=quarter,
            today=today,
            scope=scope,
            lang=lang,
        )
        collection = level_geojson(
            conn, tree=r.tree, level=r.level, parent_code=province
        )
    slides = with_maps(r, collection, lang)
    drawn = sum(1 for s in slides if s.figure is not None or s.printed is not None)
    steps.expect(1 + drawn + len(slides))
    steps()
    images = pictures(slides, steps)
    writer = deck.pptx_bytes if fmt == "pptx" else deck.pdf_bytes
    return writer(slides, images, progress=lambda _n: steps())


def run_job(db: Engine, job_id: str, payload: dict) -> None:
    """Build the deck of the queued job ``job_id`` (in a worker process); a job
    cancelled (or given up) while it waited is left as it is."""
    if export_jobs.begin(db, job_id):
        _run(db, job_id, **payload)


def _run(
    db: Engine,
    job_id: str,
    scope: Scope,
    quarter: Period,
    province: str,
    lang: str,
    fmt: str,
    path: str,
    today: dt.date,
) -> None:
    steps = Steps(db, job_id)
    try:
        data = build(db, steps, scope, quarter, province, lang, fmt, today)
        Path(path).write_bytes(data)
        export_jobs.finish(db, job_id, rows_done=steps.done)
    except Cancelled:
        Path(path).unlink(missing_ok=True)
    except Exception as exc:  # the job says it failed; the log says why
        Path(path).unlink(missing_ok=True)
        if table_export.STOPPING.is_set():
            return  # interrupted: the next worker builds it again
        log.exception("deck job %s failed", job_id)
        try:
            export_jobs.finish(db, job_id, steps.done, error=str(exc)[:200])
        except Exception:
            log.exception("deck job %s: could not record the failure", job_id)
