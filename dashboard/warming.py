"""Warming the cache: after the facts change, a job worker computes the views a
meeting opens first, so that the meeting's first clicks are answered from the
cache instead of the database.

What is warmed, for the configured language: the map of every theme, opened on
its default place and on each province of the default period's tree (on the
period the page opens on for that theme, and on the period of the page's first
theme, where a click on another theme lands); the ranking page of the default
place and of each province; the review of the last complete quarter, of the
default province and of each province.  Each view is computed by the same code a
request runs (the page builders of ``dashboard.pages`` and the callbacks' own
functions, fed with the values the page's layout carries), so the entries land
under exactly the keys the requests look up (``callbacks.context.cached``).

It runs as a signed-in admin: the meeting's roles (admin and province) see the
same figures and share their cache entries (``data.scope.figures_scope``).  The
worker keeps one app for every warming job (built on the first) and the cache is
shared with the web: Redis, or the file cache of one machine
(``dashboard.extensions.cache_config``).  Nothing is written to the database.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dash import Dash
from dash.exceptions import PreventUpdate
from flask_login import login_user
from plotly.utils import PlotlyJSONEncoder

from callbacks import context
from callbacks import map_page as map_callbacks
from callbacks import ranking_page as ranking_callbacks
from callbacks.themes import THEMES
from data import places, users
from layouts import ids

log = logging.getLogger(__name__)

# the user the views are computed for: an admin (every figure, exact)
MEETING = users.Account(
    id=0,
    username="cache-warming",
    role="admin",
    scope_unit_id=None,
    scope_tree=None,
    scope_code=None,
    scope_level=None,
    active=True,
    failed_logins=0,
    locked_until=None,
)


@dataclass
class Warmed:
    """What one warming did: the views computed, those that had nothing to show
    (PreventUpdate) or failed, and how long it took."""

    views: int = 0
    empty: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.views} views warmed ({self.empty} without figures,"
            f" {len(self.failed)} failed) in {self.seconds:.1f} s"
        )


def build_app(conf: Mapping[str, Any]) -> Dash:
    """The worker's app: the web's settings (its database and cache), without
    warming of its own (it would queue itself again)."""
    from dashboard import create_app

    return create_app({**conf, "CACHE_WARM": False})


@contextmanager
def _as_meeting(app: Dash, lang: str) -> Iterator[None]:
    """A request context of ``app`` signed in as ``MEETING``: what the page
    builders and callbacks read (user, scope, connection, versions) comes from
    it, as in a request."""
    with app.server.test_request_context(f"/?lang={lang}"):
        login_user(context.SignedIn(MEETING))
        yield


def _props(component: Any) -> dict[str, dict]:
    """The props of every component with an id in a rendered layout, by id (a
    pattern-matching id as its JSON)."""
    found: dict[str, dict] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "id" in props:
                key = props["id"]
                found[key if isinstance(key, str) else json.dumps(key)] = props
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(json.dumps(component, cls=PlotlyJSONEncoder)))
    return found


def _map(app: Dash, lang: str, unit: Place, theme: str) -> str | None:
    """The map page opened on ``unit`` (None: its default place) and ``theme``,
    and its first callbacks; the tree of the period it opened on."""
    from dashboard import pages

    with _as_meeting(app, lang):
        shown = _props(pages.map_view(lang=lang, theme=theme, **_where(unit)))
        if ids.VIEW not in shown:
            return None  # no figures at all yet
        period = shown[ids.PERIOD]["value"]
        _map_views(shown, shown[ids.THEME]["value"], period, fired=None)
        return str(shown[ids.VIEW]["data"]["tree"])


Place = tuple[str, str] | None  # (tree, code) of a province; None: the default


def _where(unit: Place) -> dict[str, str]:
    return {} if unit is None else {"tree": unit[0], "unit": unit[1]}


def _map_views(
    shown: dict[str, dict], theme: str, period: str, fired: set[str] | None
) -> None:
    """What the map's callbacks compute for the page's inputs with ``theme`` and
    ``period``: the map and its headline, the notes under it, the demo note."""
    view = shown[ids.VIEW]["data"]
    lang = shown[ids.LANG]["data"]
    map_callbacks.draw(
        view,
        shown[ids.SELECTED]["data"],
        theme,
        period,
        shown[ids.CATEGORY]["value"],
        shown[ids.TYPES]["value"],
        shown[ids.MEASURE]["value"],
        shown[ids.CLASSES]["value"],
        None,
        lang,
        fired=fired,
    )
    map_callbacks.view_notes(view, period, theme, lang)
    map_callbacks.demo_note(view, lang)


def _theme_click(app: Dash, lang: str, unit: Place, theme: str) -> None:
    """The map opened with its first theme, then ``theme`` chosen: the period
    stays the one the page opened on."""
    from dashboard import pages

    with _as_meeting(app, lang):
        shown = _props(pages.map_view(lang=lang, **_where(unit)))
        if ids.VIEW in shown:
            period = shown[ids.PERIOD]["value"]
            _map_views(shown, theme, period, fired={ids.THEME})


def _ranking(app: Dash, lang: str, unit: Place) -> None:
    """The ranking page and its first callbacks (the heading, the ranking with
    the weights the page starts with)."""
    from dashboard import pages

    with _as_meeting(app, lang):
        shown = _props(pages.ranking_view(lang=lang, **_where(unit)))
        if ids.RANK_PERIOD not in shown:
            return
        period = shown[ids.RANK_PERIOD]["value"]
        data = shown[ids.RANK_UNIT]["data"]
        weights = [
            props["value"]
            for key, props in shown.items()
            if key.startswith("{") and json.loads(key).get("type") == ids.RANK_WEIGHT
        ]
        ranking_callbacks.heading(period, data, lang)
        ranking_callbacks.update_ranking(period, weights, 0, data, lang)


def _review(app: Dash, lang: str, unit: Place) -> None:
    """The review's page of the last complete quarter (its slides and their
    figures are computed as the page is built)."""
    from dashboard import pages

    with _as_meeting(app, lang):
        if unit is None:
            pages.present_view(lang=lang)
        else:
            pages.present_view(lang=lang, tree=unit[0], province=unit[1])


def _provinces(app: Dash, lang: str, trees: set[str]) -> list[Place]:
    """The provinces of ``trees``."""
    with _as_meeting(app, lang):
        conn = context.conn()
        return [
            (tree, code)
            for tree in sorted(trees)
            for code in places.provinces(conn, tree)
        ]


def warm(app: Dash) -> Warmed:
    """Compute every view a meeting opens first into ``app``'s cache: each
    theme's map on the default place, then on each province of the trees those
    opened on; the ranking and the review of the default place and of each of
    those provinces."""
    lang = str(app.server.config["LANGUAGE"])
    done = Warmed()
    started = time.monotonic()
    trees: set[str] = set()

    def run(name: str, compute: Callable[..., object], unit: Place, *args) -> None:
        try:
            found = compute(app, lang, unit, *args)
            done.views += 1
            if isinstance(found, str):
                trees.add(found)
        except PreventUpdate:
            done.empty += 1
        except Exception:  # one view's failure leaves the others warmed
            log.exception("warming the %s of %s failed", name, unit or "default")
            done.failed.append(f"{name} {unit or ''}".strip())

    def maps(unit: Place) -> None:
        for theme in THEMES:
            run(f"map ({theme})", _map, unit, theme)
        for theme in THEMES[1:]:
            run(f"map (click on {theme})", _theme_click, unit, theme)

    maps(None)
    provinces = _provinces(app, lang, trees)
    for unit in provinces:
        maps(unit)
    for unit in [None, *provinces]:
        run("ranking", _ranking, unit)
        run("review", _review, unit)
    done.seconds = time.monotonic() - started
    return done


class Warmer:
    """The worker's warming: one app for every job."""

    def __init__(self, conf: Mapping[str, Any]) -> None:
        self.conf = conf
        self._app: Dash | None = None
        self.last: Warmed | None = None  # what the last warming did

    def run(self) -> Warmed:
        if self._app is None:
            self._app = build_app(self.conf)
        done = warm(self._app)
        log.info("cache warmed at %s: %s", dt.datetime.now(dt.UTC), done)
        self.last = done
        return done
