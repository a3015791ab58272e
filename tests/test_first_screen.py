"""Every page opens on figures: the default period of each page has data after
first-run setup; a period in progress is set against the same days of the
earlier one; a legend with no value says "no data"."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import Engine, func, select

from data import metrics, ranking, review
from data.db import make_engine
from data.models import Incident
from data.periods import Period, today_vn
from data.scope import FULL
from layouts import legend, review_slides
from tests.conftest import TEST_USERS
from tests.test_review import small  # noqa: F401 - the hand-computed fixture

DEC_2 = dt.date(2026, 12, 2)


def test_a_period_in_progress_is_cut_to_the_same_days() -> None:
    q4 = Period(2026, 4)
    assert q4.in_progress(DEC_2) and not Period(2026, 3).in_progress(DEC_2)
    assert q4.comparison_today(Period(2025, 4), DEC_2) == dt.date(2025, 12, 2)
    # the quarter before: 1 October-2 December is 63 days, 1 July-1 September too
    assert q4.comparison_today(Period(2026, 3), DEC_2) == dt.date(2026, 9, 1)
    assert Period(2026).comparison_today(Period(2025), DEC_2) == dt.date(2025, 12, 2)
    # an ended period, and a year to date (it ends today), compare whole
    assert Period(2026, 3).comparison_today(Period(2025, 3), DEC_2) == DEC_2
    ytd = Period(2026, ytd=True)
    assert ytd.comparison_today(ytd.same_period_last_year(), DEC_2) == DEC_2
    leap = Period(2024, 1).comparison_today(Period(2023, 1), dt.date(2024, 2, 29))
    assert leap == dt.date(2023, 2, 28)


def test_the_default_period_rule() -> None:
    keys = ["2026-YTD", "2026", "2026-Q4", "2026-Q3", "2025", "2025-YTD", "2025-Q4"]
    has = {"2025", "2026-Q3", "2025-Q4"}
    check = lambda p: p.key in has  # noqa: E731
    assert metrics.default_period(keys, today=DEC_2) == "2026"
    assert metrics.default_period(keys, today=DEC_2, has_data=check) == "2025"
    assert metrics.default_period(keys, kind="quarter", today=DEC_2) == "2026-Q3"
    nothing = metrics.default_period(keys, today=DEC_2, has_data=lambda _p: False)
    assert nothing == "2026"  # the newest year, and the page says why it is empty
    assert metrics.default_period([], today=DEC_2) is None


@pytest.mark.parametrize("lang,label", [("vi", "Chưa có số liệu"), ("en", "No data")])
def test_a_legend_with_no_value_says_no_data(lang, label) -> None:
    for suppressed in (None, [False, False]):
        classes, leg = legend.continuous(
            [None, float("nan")],
            method="quantile",
            palette=legend.GOOD_HIGH,
            title="x",
            lang=lang,
            suppressed=suppressed,
            suppressed_label="<5",
        )
        assert classes == [None, None]
        assert leg.ticktext[0] == label and "0,0–1,0" not in leg.ticktext
        assert leg.colorscale[0][1] == legend.NO_DATA_COLOUR


def test_a_quarter_in_progress_against_the_same_days(small: Engine) -> None:  # noqa: F811
    """The small fixture: drownings 10/8 and 30/9/2024, and 5/8/2023."""

    def drownings(today: dt.date) -> float:
        with small.connect() as conn:
            table = review.incident_table(
                conn, "legacy", "64", Period(2024, 3), today, FULL
            )
        # a type with no case in any of the four columns has no row
        return table.set_index("type_code")["before"].get("INJ_DROWN", 0)

    assert drownings(dt.date(2024, 8, 4)) == 0  # 1/7-4/8/2023: not yet
    assert drownings(dt.date(2024, 8, 15)) == 1  # 1/7-15/8/2023: the 5/8
    assert drownings(dt.date(2024, 10, 15)) == 1  # the whole quarter


def _injuries(conn, first: dt.date, last: dt.date) -> int:
    stmt = select(func.count()).where(
        Incident.category == "injury", Incident.occurred_on.between(first, last)
    )
    return int(conn.execute(stmt).scalar())


def test_the_review_on_2_december_against_1_october_to_2_december(seeded) -> None:
    engine = make_engine(seeded["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            r = review.review(conn, province="52", quarter=Period(2026, 4), today=DEC_2)
            now = _injuries(conn, dt.date(2026, 10, 1), DEC_2)
            before = _injuries(conn, dt.date(2025, 10, 1), dt.date(2025, 12, 2))
            whole = _injuries(conn, dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    finally:
        engine.dispose()
    totals = review_slides.category_totals(r, "injury")
    print(f"injuries Q4/2026 to 2/12: {now}; 2025 to 2/12: {before}; whole: {whole}")
    assert (totals["now"], totals["before"]) == (now, before)
    assert before < whole  # the whole quarter would overstate the fall
    slides = {s.key: s for s in review_slides.slides(r, "vi", lambda _t: None)}
    head = slides["incidents_table"].table[0]
    assert head[1:3] == ["Quý 4/2026 đến ngày 02/12", "Quý 4/2025 đến ngày 02/12"]
    en = review_slides.slides(r, "en", lambda _t: None)
    assert (
        "Q4 2025 to 2 Dec" in next(s for s in en if s.key == "incidents_table").table[0]
    )


def _signed_in(app, role: str = "admin"):
    from flask_login import login_user

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from data import users

    login_user(SignedIn(users.get_account(get_conn(), username=TEST_USERS[role][0])))


def _find(node, wanted: str):
    """The props of the component with id ``wanted`` in a rendered page."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props, dict) and props.get("id") == wanted:
            return props
        for value in node.values():
            found = _find(value, wanted)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, wanted)
            if found is not None:
                return found
    return None


def _render(component) -> dict:
    return json.loads(json.dumps(component, cls=PlotlyJSONEncoder))


def test_every_page_opens_on_figures(seeded, make_app) -> None:
    from callbacks import context, map_views
    from callbacks.context import conn as get_conn
    from callbacks.present_page import figures_review
    from dashboard import pages
    from data import tables
    from layouts import ids

    app = make_app(seeded)
    today = today_vn()
    with app.server.test_request_context("/"):
        _signed_in(app)
        scope = context.scope()
        # the map: the child-friendly theme on a year whose headline has a share
        page = _render(pages.map_view())
        period = _find(page, ids.PERIOD)["value"]
        view = _find(page, ids.VIEW)["data"]
        q = map_views.query(
            view, "child_friendly", period, "both", [], "rate", "quantile", "vi"
        )
        headline = json.dumps(_render(map_views.summary(q)), ensure_ascii=False)
        print("map opens on", period, view)
        assert '"–"' not in headline and "%" in headline
        notes = map_views.view_notes(view, period, "child_friendly", "vi")
        assert any("chưa có" in n and f"{today.year}" in n for n in notes), notes
        assert any("tháng 11/2027" in n for n in notes) or today.year != 2026

        # the tables: the default table on a year with rows
        page = _render(pages.tables_view())
        query = _find(page, ids.TABLE_QUERY)["data"]
        filters = tables.resolve(
            get_conn(),
            query["table"],
            unit=query["unit"],
            period=query["period"],
            scope=scope,
            today=today,
        )
        _rows, total = tables.page(get_conn(), query["table"], filters, scope, 0, 5)
        print("tables open on", query, total, "rows")
        assert total > 0

        # the ranking: every component has figures
        page = _render(pages.ranking_view())
        period = Period.parse(_find(page, ids.RANK_PERIOD)["value"])
        unit = _find(page, ids.RANK_UNIT)["data"]  # the place with its tree
        from callbacks.ranking_page import ranked_place
        from data.reform import tree_for

        tree = tree_for(period, today)
        assert unit["tree"] == tree
        shown, level = ranked_place(unit["code"], tree)
        frame = ranking.components(
            get_conn(),
            tree=tree,
            level=level,
            parent_code=shown["code"],
            period=period,
            today=today,
            scope=scope,
        )
        print("ranking opens on", period.key, unit)
        assert all(frame[c].notna().any() for c in ranking.COMPONENTS)

        # the review: the last complete quarter, its key figures shown
        page = _render(pages.present_view())
        quarter = Period.parse(_find(page, ids.PRESENT_QUARTER)["value"])
        print("review opens on", quarter.key)
        assert quarter.end() < today
        r = figures_review(
            scope, quarter, _find(page, ids.PRESENT_PARAMS)["data"]["province"], "vi"
        )
        slides = {s.key: s for s in review_slides.slides(r, "vi", lambda _t: None)}
        for key in ("map_incidents", "map_fund"):
            assert slides[key].big not in ("", "–"), key
        assert r.maps["fund"]["value"].notna().any()  # amounts when no targets
        for theme in ("child_friendly", "timeliness"):  # a share, or why not
            slide = slides[f"map_{theme}"]
            assert slide.big not in ("", "–") or slide.lines, theme
