"""One request context: a theme change on the map asks the database only for
what it shows.  Counted with a SQLAlchemy event listener on the app's engine
(statements, not time), warm (the aggregates cached) and cold (the cache
emptied: each theme's listing and a unit's own row are one statement each)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from callbacks import context
from layouts import ids
from tests.conftest import post_callback, signed_client

WARM_MAX = 4
COLD_MAX = 10
VIEW = {"unit": "64", "tree": "legacy"}


@contextmanager
def counted(app) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = context.engine(app.server)

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def theme_change(client, theme: str) -> list[Callable[[], object]]:
    """The server callbacks a click on a theme fires: the map, the notes under
    it and the incident controls (the ranked list and legend are drawn in the
    browser from the map's figure)."""
    changed = f"{ids.THEME}.value"
    view_inputs = [
        (ids.VIEW, "data", VIEW),
        (ids.SELECTED, "data", {"code": None}),
        (ids.THEME, "value", theme),
        (ids.PERIOD, "value", "2024"),
        (ids.CATEGORY, "value", "both"),
        (ids.TYPES, "value", []),
        (ids.MEASURE, "value", "rate"),
        (ids.CLASSES, "value", "quantile"),
        (ids.MAP_SIZE, "data", [800, 560]),
    ]
    lang = [(ids.LANG, "data", "vi")]
    return [
        lambda: post_callback(
            client,
            [
                (ids.MAP, "figure"),
                (ids.SUMMARY, "children"),
                (ids.BREADCRUMB, "children"),
                (ids.HINT, "children"),
                (ids.MAP_LABELS, "data"),
            ],
            view_inputs,
            lang,
            changed=changed,
            partial=True,
        ),
        lambda: post_callback(
            client,
            [(ids.REFORM_NOTES, "children"), (ids.GROUPS_BOX, "style")],
            [
                (ids.VIEW, "data", VIEW),
                (ids.PERIOD, "value", "2024"),
                (ids.THEME, "value", theme),
            ],
            lang,
            changed=changed,
            partial=True,
        ),
        lambda: post_callback(
            client,
            [
                (ids.INCIDENT_CONTROLS, "style"),
                (ids.TYPES, "options"),
                (ids.TYPES, "value"),
            ],
            [(ids.THEME, "value", theme), (ids.CATEGORY, "value", "both")],
            [(ids.TYPES, "value", []), *lang],
            changed=changed,
            partial=True,
        ),
    ]


def _sign_in_checks(statements: list[str]) -> list[str]:
    """The guard's per-request check of the session (the account and its session
    generation: what ends a stolen session), not part of the request's work."""
    return [s for s in statements if "FROM app_user" in " ".join(s.split())]


def run(app, requests: list[Callable[[], object]]) -> tuple[list, list[list[str]]]:
    """The requests' answers, and the statements each of them ran."""
    answers, statements = [], []
    for request in requests:
        with counted(app) as seen:
            answers.append(request())
        statements.append(seen)
    return answers, statements


def _work(statements: list[str]) -> list[str]:
    checks = _sign_in_checks(statements)
    return [s for s in statements if s not in checks]


@pytest.mark.parametrize("theme", ["fund", "incidents", "child_friendly", "timeliness"])
def test_a_theme_change_runs_few_statements(seeded, make_app, theme) -> None:
    app = make_app(seeded)
    client = signed_client(app, "admin")
    run(app, theme_change(client, theme))  # the page's first view of the theme
    with app.server.app_context():
        context.cache.clear()
    first, cold = run(app, theme_change(client, theme))
    again, warm = run(app, theme_change(client, theme))
    print(
        f"\n{theme}, statements per request (map, notes, controls) beyond the"
        f" sign-in check: warm {[len(_work(s)) for s in warm]},"
        f" cold {[len(_work(s)) for s in cold]}"
    )
    assert first == again
    assert all(len(_sign_in_checks(s)) == 1 for s in warm)
    work = [s for request in warm for s in _work(request)]
    assert len(work) <= WARM_MAX, "\n".join(work)
    work = [s for request in cold for s in _work(request)]
    assert len(work) <= COLD_MAX, "\n".join(work)


def test_the_in_process_cache_holds_a_meetings_walk(seeded_sqlite, make_app) -> None:
    """Without Redis the cache keeps CACHE_ENTRIES entries (a meeting's walk
    touches about 1,400), not flask-caching's default of 500."""
    app = make_app(seeded_sqlite, CACHE_REDIS_URL="")
    with app.server.app_context():
        context.cache.clear()
        for n in range(2000):
            context.cache.set(f"walk:{n}", n)
        kept = sum(context.cache.get(f"walk:{n}") is not None for n in range(2000))
    assert kept == 2000
    small = make_app(seeded_sqlite, CACHE_REDIS_URL="", CACHE_ENTRIES=100)
    with small.server.app_context():
        context.cache.clear()
        for n in range(2000):
            context.cache.set(f"walk:{n}", n)
        kept = sum(context.cache.get(f"walk:{n}") is not None for n in range(2000))
    assert kept < 200  # past the limit the oldest are dropped


DETAIL_COLD_MAX = 15


def detail_of(client, code: str) -> Callable[[], object]:
    """The server callback a click on a commune fires: its detail panel (its
    figures for the period, and its trend over the years)."""
    return lambda: post_callback(
        client,
        [(ids.DETAIL, "children"), (ids.DETAIL_BOX, "style")],
        [(ids.SELECTED, "data", {"code": code}), (ids.PERIOD, "value", "2024")],
        [
            (ids.VIEW, "data", {"unit": "633", "tree": "legacy"}),
            (ids.LANG, "data", "vi"),
        ],
    )


def test_a_cold_commune_detail_panel_runs_few_statements(seeded, make_app) -> None:
    app = make_app(seeded)
    client = signed_client(app, "admin")
    with app.server.app_context():
        context.cache.clear()
    (first,), (cold,) = run(app, [detail_of(client, "23944")])
    (again,), (warm,) = run(app, [detail_of(client, "23944")])
    print(f"\ndetail panel: cold {len(_work(cold))}, warm {len(_work(warm))}")
    assert first == again
    card = json.dumps(first[ids.DETAIL, "children"], ensure_ascii=False)
    assert "Ia Tiêm" in card and "không được xem" not in card
    work = _work(cold)
    assert len(work) <= DETAIL_COLD_MAX, "\n".join(
        " ".join(s.split())[:160] for s in work
    )


# Per theme: the table only its listing and headline read.
THEME_TABLES = {
    "incidents": "incident_month",
    "timeliness": "report_owed",
    "child_friendly": "child_friendly_assessment",
}


@pytest.mark.parametrize("theme", sorted(THEME_TABLES))
def test_a_cold_map_reads_its_listing_and_headline_together(
    seeded, make_app, theme
) -> None:
    """Cold, a map's listing (the province's districts) and its headline (the
    province's own row) come from one statement (``metrics.*_with_unit``),
    then both are found in the cache."""
    app = make_app(seeded)
    client = signed_client(app, "admin")
    run(app, theme_change(client, theme))
    with app.server.app_context():
        context.cache.clear()
    _, cold = run(app, theme_change(client, theme)[:1])
    read = [s for s in cold[0] if THEME_TABLES[theme] in s]
    assert len(read) == 1, "\n\n".join(read)
    _, warm = run(app, theme_change(client, theme)[:1])
    assert not [s for s in warm[0] if THEME_TABLES[theme] in s]
