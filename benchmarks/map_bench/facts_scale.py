"""Does a map aggregate keep its time when the facts grow?  ``--facts-scale N``.

Two copies of one database (``scaling``): the facts as they are (1x) and the
incident cases and fund bookings N times.  On both, in one run, for every theme
of the map: a theme change and a period change at country level, the app's
``update_map`` cold -- the facts version moved on before each call, so every
cached aggregate misses while the geometry stays cached.  The two databases
take turns within each repeat (1x, Nx, 1x, Nx, ...), so that a busy spell of
the machine falls on both; each step is called once untimed on each first (the
pages it reads come into the OS cache).  A row per theme and step: the median
times, their ratio Nx / 1x and the verdict against ``GOAL_SCALE_RATIO``.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dash import Dash
from flask.testing import FlaskClient

from callbacks.context import engine
from callbacks.themes import THEMES
from dashboard import create_app

from .config import GOAL_SCALE_RATIO, UPDATE
from .databases import app_settings
from .measure import clear_cache
from .payloads import Step, map_payload, theme_steps
from .signin import ensure_admin, signed_client


@dataclass
class Served:
    """The app of one of the two databases, with its signed-in test client."""

    app: Dash
    client: FlaskClient

    def call(self, step: Step) -> tuple[float, int]:
        """One cold ``update_map`` of ``step``: (ms, response bytes)."""
        payload = map_payload(self.app, step)
        clear_cache(self.app)()
        started = time.perf_counter()
        response = self.client.post(UPDATE, json=payload)
        ms = (time.perf_counter() - started) * 1e3
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.data[:500]!r}")
        return ms, len(response.data)


def _served(db: Path, workdir: Path) -> Served:
    app = create_app(app_settings(workdir, db))
    return Served(app, signed_client(app, ensure_admin(engine(app.server))))


def measure_facts_scale(
    base: Path, scaled: Path, scale: int, workdir: Path, repeats: int
) -> list[dict[str, Any]]:
    """Per theme and step, the cold times on ``base`` (1x) and ``scaled`` (Nx)."""
    sides = {"base": _served(base, workdir), "scaled": _served(scaled, workdir)}
    rows = []
    for step in theme_steps(THEMES):
        print(f"  [facts x{scale}] {step.label} to {step.theme} ...", flush=True)
        times: dict[str, list[float]] = {name: [] for name in sides}
        sizes: dict[str, int] = {}
        for side in sides.values():
            side.call(step)  # untimed: the pages it reads into the OS cache
        for _ in range(repeats):
            for name, side in sides.items():
                ms, sizes[name] = side.call(step)
                times[name].append(ms)
        base_ms = statistics.median(times["base"])
        scaled_ms = statistics.median(times["scaled"])
        ratio = scaled_ms / base_ms
        rows.append(
            {
                "theme": step.theme,
                "step": step.key,
                "interaction": step.label,
                "view": step.unit,
                "period": step.period,
                "base_ms": base_ms,
                "scaled_ms": scaled_ms,
                "ratio": ratio,
                "met": ratio <= GOAL_SCALE_RATIO,
                "base_all_ms": times["base"],
                "scaled_all_ms": times["scaled"],
                "base_bytes": sizes["base"],
                "scaled_bytes": sizes["scaled"],
            }
        )
    return rows
