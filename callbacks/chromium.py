"""One headless Chromium kept for the pictures of many decks.

``plotly.io.to_image`` starts a Chromium for every picture (about 3 s each on a
2-core machine, most of it the start).  A worker process (``python -m dashboard
worker``) starts ONE browser through kaleido when it starts (``start``) and draws
every picture of every job with it (``png``); a process that has not started it
(a test, a benchmark's comparison) still gets ``plotly.io.to_image``'s one
browser per picture.

The browser lives in an asyncio loop of its own thread; callers from any thread
hand it their pictures, which it draws ``TABS`` at a time (a deck's four maps take
about 1.8 s each on a 2-core machine, two side by side about 2.9 s), waiting at
most ``TIMEOUT`` for each.  Kaleido's
own ``start_sync_server`` is not used: its calls wait forever when the browser
failed to start or died, they are not safe from several threads, and it draws one
picture at a time.  A browser
that fails is dropped, and the next picture starts a new one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import plotly.io as pio

log = logging.getLogger(__name__)
TIMEOUT = 90.0  # seconds for one picture (or for the browser to start)
TABS = 2  # pictures drawn at once (a deck's maps side by side)


class KeptBrowser:
    """A kaleido (headless Chromium, ``TABS`` tabs) kept open across pictures and
    jobs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # starting and dropping the browser
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.kept = False  # started: every picture of this process uses it
        self.starts = 0  # browsers started (one, unless one failed)
        self.drawn = 0  # pictures drawn with a kept browser

    def _submit(self, coroutine: Any) -> Future:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def start(self) -> None:
        """Start the browser (once; ``kaleido.errors.ChromeNotFoundError`` or a
        time-out when it cannot start: nothing is kept then)."""
        with self._lock:
            self._start()
            self.kept = True

    def _start(self) -> Any:
        if self._kaleido is not None:
            return self._kaleido
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="kept-chromium", daemon=True
            )
            self._thread.start()

        async def open_browser() -> Any:
            import kaleido

            # no MathJax: no figure has formulas, and it would be fetched online
            browser = kaleido.Kaleido(n=TABS, timeout=TIMEOUT, mathjax=False)
            await browser.open()
            return browser

        self._kaleido = self._submit(open_browser()).result(timeout=TIMEOUT)
        self.starts += 1
        log.info("Chromium started for the pictures (kept, %d tabs)", TABS)
        return self._kaleido

    def pngs(self, figures: list, width: int, height: int) -> Iterator[bytes]:
        """The PNG of each plotly figure, in order, drawn by the kept browser in
        its tabs at once (started again if it failed before)."""
        opts = {"format": "png", "width": width, "height": height, "scale": 1}
        with self._lock:
            browser = self._start()
        futures = [
            self._submit(
                browser.calc_fig(
                    figure if isinstance(figure, dict) else figure.to_dict(),
                    opts,
                    topojson=pio.defaults.topojson,
                )
            )
            for figure in figures
        ]
        try:
            for future in futures:
                try:
                    data = future.result(timeout=TIMEOUT * len(figures))
                except Exception:
                    self._drop(browser)
                    raise
                self.drawn += 1
                yield bytes(data)
        finally:
            for future in futures:  # a job stopped half-way: the rest is not drawn
                future.cancel()

    def _drop(self, browser: Any) -> None:
        """Forget a browser that failed (closed as far as it still can be)."""
        with self._lock:
            if self._kaleido is not browser or browser is None:
                return  # already dropped (and perhaps started again)
            self._kaleido = None
            try:
                self._submit(browser.close()).result(timeout=TIMEOUT)
            except Exception:
                log.warning("the failed Chromium did not close cleanly", exc_info=True)

    def stop(self) -> None:
        """Close the browser and its loop."""
        self._drop(self._kaleido)
        with self._lock:
            self.kept = False
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(timeout=10)
                self._loop.close()
                self._loop, self._thread = None, None


KEPT = KeptBrowser()  # this process's browser, started by the worker


def pngs(figures: list, width: int, height: int) -> Iterator[bytes]:
    """Each figure's PNG, in order: with the kept browser when this process
    started it, else with a Chromium for each (``plotly.io.to_image``)."""
    if KEPT.kept:
        yield from KEPT.pngs(figures, width, height)
        return
    for figure in figures:
        yield pio.to_image(figure, format="png", width=width, height=height)
