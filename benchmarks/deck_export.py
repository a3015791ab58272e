"""Building the quarterly review's deck for one province: where the time goes.

The deck job (``callbacks.deck_job.build``) gathers the review, draws each map as
the printed map draws it (``layouts.map_print``, no browser), each chart with
kaleido (headless Chromium), and writes the file.  A job worker (``python -m
dashboard worker``) keeps one Chromium for every chart of every job
(``callbacks.chromium``); without it ``plotly.io.to_image`` starts one per
picture.  This script builds the demo's province (Gia Lai, 17 districts, on a
fresh demo database in a temporary folder) and times the stages side by side in
ONE run (machines are noisy: compare within a run):

* ``review``: ``data.review.review`` (every aggregate of the slides);
* ``pictures, maps in Chromium, a Chromium each``: the seven pictures the way
  decks were first built (the four maps as the screen's figures, the charts),
  one ``plotly.io.to_image`` call each;
* ``job pdf, a Chromium each``: the whole ``build`` without a kept Chromium;
* ``start the kept Chromium``: once per worker process, before its first job;
* ``pictures, maps in Chromium, kept Chromium``: the seven pictures the way the
  worker drew them before the maps moved to the printed map's renderer;
* ``pictures, maps printed, kept Chromium``: what the job draws today;
* ``pptx`` / ``pdf``: writing the file from the slides and pictures;
* ``job pptx`` / ``job pdf``: the whole ``build`` with the kept browser, what a
  user waits for once a worker has taken the job.

Run: ``python benchmarks/deck_export.py`` (about two minutes on 2 cores).

Options: ``--database FILE`` reads an existing SQLite database holding the demo's
Gia Lai (as ``python -m dashboard setup`` leaves it; only read) instead of building
a fresh one; ``--formats pdf`` (or ``pptx``) writes and builds one format only;
``--no-pictures`` leaves out all that needs Chromium (the pictures and the whole
jobs) and writes the files without their pictures: a quick check that the rest
runs, as the test suite's smoke test does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from callbacks import chromium, deck_job
from dashboard import first_run, settings
from data import review
from data.db import make_engine
from data.periods import Period
from data.scope import FULL
from geo.geojson import bounds, level_geojson
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import deck, review_slides

QUARTER, PROVINCE, TODAY = Period(2024, 3), "64", dt.date(2026, 11, 30)


def timed(what: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = what()
    return time.perf_counter() - start, result


def measure(
    url: str, formats: list[str], draw: bool
) -> tuple[int, list[tuple[str, float]]]:
    """The slide count and the timed stages on the demo database at ``url``."""
    engine = make_engine(url)
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
    # the slides as first built: the maps as the screen's figures, for Chromium
    view = fit_view(bounds(collection) or VIETNAM_BOUNDS, 1000, 640)
    screen = review_slides.slides(
        r, "vi", lambda t: review_slides.map_figure(r, t, collection, view, "vi")
    )
    pictures: dict[int, bytes] = {}

    def job(fmt: str) -> bytes:
        steps = deck_job.Steps(engine, None)
        return deck_job.build(engine, steps, FULL, QUARTER, PROVINCE, "vi", fmt, TODAY)

    def draw_all(which: list) -> dict[int, bytes]:
        return deck_job.pictures(which, lambda: None)

    if draw:
        seconds, drawn = timed(lambda: draw_all(screen))
        rows.append((f"pictures ({len(drawn)}), maps in Chromium, each", seconds))
        seconds, _data = timed(lambda: job(formats[-1]))
        rows.append((f"job {formats[-1]}, a Chromium each", seconds))
        seconds, _none = timed(chromium.KEPT.start)
        rows.append(("start the kept Chromium", seconds))
        seconds, drawn = timed(lambda: draw_all(screen))
        rows.append((f"pictures ({len(drawn)}), maps in Chromium, kept", seconds))
        seconds, pictures = timed(lambda: draw_all(slides))
        rows.append((f"pictures ({len(pictures)}), maps printed, kept", seconds))
    writers = {"pptx": deck.pptx_bytes, "pdf": deck.pdf_bytes}
    for fmt in formats:
        seconds, data = timed(lambda w=writers[fmt]: w(slides, pictures))
        rows.append((f"{fmt} ({len(data) // 1024} KB)", seconds))
    for fmt in formats if draw else []:
        seconds, _data = timed(lambda f=fmt: job(f))
        rows.append((f"job {fmt}", seconds))
    chromium.KEPT.stop()
    engine.dispose()
    return len(slides), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", type=Path, help="an existing demo database (SQLite), only read"
    )
    parser.add_argument(
        "--formats", nargs="+", choices=["pptx", "pdf"], default=["pptx", "pdf"]
    )
    parser.add_argument(
        "--no-pictures",
        dest="draw",
        action="store_false",
        help="no Chromium: leave out the pictures and the whole jobs",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.database is None:
            url = f"sqlite:///{Path(folder) / 'demo.db'}"
            conf = settings.load({"DATABASE_URL": url, "INSTANCE_PATH": folder})
            engine = make_engine(url)
            first_run.run(engine, conf, lambda _msg: None)
            engine.dispose()
        elif args.database.is_file():
            url = f"sqlite:///{args.database.resolve()}"
        else:
            raise SystemExit(f"missing {args.database}")
        count, rows = measure(url, args.formats, args.draw)
    print(f"deck of {QUARTER.key} for province {PROVINCE}: {count} slides")
    for name, seconds in rows:
        print(f"  {name:<42} {seconds:6.1f} s")


if __name__ == "__main__":
    main()
