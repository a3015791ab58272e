"""Building the quarterly review's deck for one province: where the time goes.

The deck job (``callbacks.deck_job.build``) gathers the review, draws each map and
chart with kaleido (a headless Chromium started per picture by ``plotly.io``)
and writes the file.  This script builds both formats for the demo's province
(Gia Lai, 17 districts, on a fresh demo database in a temporary folder) and
times the stages side by side in ONE run (machines are noisy: compare within a
run):

* ``review``: ``data.review.review`` (every aggregate of the slides);
* ``pictures``: the six pictures (four maps, the fund and incident charts), one
  ``plotly.io.to_image`` call each, as the job draws them;
* ``pptx`` / ``pdf``: writing the file from the slides and pictures;
* ``job pptx`` / ``job pdf``: the whole ``build``, what a user waits for.

Run: ``python benchmarks/deck_export.py`` (about two minutes on 2 cores).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from callbacks import deck_job
from dashboard import first_run, settings
from data import review
from data.db import make_engine
from data.periods import Period
from data.scope import FULL
from geo.geojson import level_geojson
from layouts import deck

QUARTER, PROVINCE, TODAY = Period(2024, 3), "64", dt.date(2026, 11, 30)


def timed(what: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = what()
    return time.perf_counter() - start, result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        conf = settings.load({"DATABASE_URL": url, "INSTANCE_PATH": folder})
        engine = make_engine(url)
        first_run.run(engine, conf, lambda _msg: None)
        rows: list[tuple[str, float]] = []
        with engine.connect() as conn:
            seconds, r = timed(
                lambda: review.review(
                    conn, province=PROVINCE, quarter=QUARTER, today=TODAY, scope=FULL
                )
            )
            rows.append(("review", seconds))
            collection = level_geojson(
                conn, tree=r.tree, level=r.level, parent_code=PROVINCE
            )
        slides = deck_job.with_maps(r, collection, "vi")
        seconds, pictures = timed(lambda: deck_job.pictures(slides, lambda: None))
        rows.append((f"pictures ({len(pictures)})", seconds))
        for fmt, writer in (("pptx", deck.pptx_bytes), ("pdf", deck.pdf_bytes)):
            seconds, data = timed(lambda w=writer: w(slides, pictures))
            rows.append((f"{fmt} ({len(data) // 1024} KB)", seconds))
        for fmt in ("pptx", "pdf"):
            seconds, _data = timed(
                lambda f=fmt: deck_job.build(
                    engine,
                    deck_job.Steps(engine, None),
                    FULL,
                    QUARTER,
                    PROVINCE,
                    "vi",
                    f,
                    TODAY,
                )
            )
            rows.append((f"job {fmt}", seconds))
        engine.dispose()
    print(f"deck of {QUARTER.key} for province {PROVINCE}: {len(slides)} slides")
    for name, seconds in rows:
        print(f"  {name:<22} {seconds:6.1f} s")


if __name__ == "__main__":
    main()
