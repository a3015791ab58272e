"""Every page's period control across 1 July 2025 and back, through the app's
own callbacks and page functions, as an admin and as a district user: the place
shown is the same area on each tree, never another unit with the same code
(legacy Bình Định and the new Gia Lai are both 52)."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from layouts import ids
from tests.conftest import TEST_USERS, signed_client
from tests.test_app_reform import call
from tests.test_ranking_page import rank

BEFORE, AFTER = "2025-Q2", "2025-Q3"  # the quarters either side of 1 July 2025


@pytest.fixture
def app(seeded, make_app):
    return make_app(seeded)


@pytest.fixture
def client_as(app):
    def make(role: str):
        return signed_client(app, role)

    return make


def page(app, role: str, view, **query: str) -> str:
    """A page function's layout as ``role`` sees it, as JSON text."""
    from flask_login import login_user

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from data import users

    with app.server.test_request_context("/"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        return json.dumps(view(**query), cls=PlotlyJSONEncoder, ensure_ascii=False)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def prop(text: str, component: str, name: str):
    """A property of the component ``component`` in a layout's JSON."""
    found = [
        c["props"][name]
        for c in _walk(json.loads(text))
        if isinstance(c.get("props"), dict) and c["props"].get("id") == component
    ]
    assert found, component
    return found[0]


# -- ranking ---------------------------------------------------------------


def heading(client, unit, period: str) -> tuple[str, str]:
    body = call(
        client,
        [
            (ids.RANK_TITLE, "children"),
            (ids.RANK_INFORMAL, "children"),
            (ids.RANK_BACK, "href"),
        ],
        [(ids.RANK_PERIOD, "value", period)],
        [(ids.RANK_UNIT, "data", unit), (ids.RANK_LANG, "data", "vi")],
        f"{ids.RANK_PERIOD}.value",
    )
    return body[ids.RANK_TITLE]["children"], body[ids.RANK_BACK]["href"]


def _rows(text: str | None) -> int:
    return 0 if text is None else text.count('"type": "rank-row"')


@pytest.mark.parametrize("role", ["admin", "district"])
def test_the_ranking_keeps_the_province_across_the_reform(app, client_as, role) -> None:
    from dashboard.pages import ranking_view

    # the default: the latest year whose components all have data (2024), old
    # Gia Lai; the place keeps its tree through every change below
    opened = page(app, role, ranking_view)
    unit = prop(opened, ids.RANK_UNIT, "data")
    assert unit == {"tree": "legacy", "code": "64"}
    client = client_as(role)
    district = role == "district"
    for period, title, rows, back in [
        (BEFORE, "Xếp hạng: Tỉnh Gia Lai", 17, "unit=64&tree=legacy"),
        (AFTER, "Xếp hạng: Tỉnh Gia Lai", 29, "unit=52&tree=2025"),
        ("2024", "Xếp hạng: Tỉnh Gia Lai", 17, "unit=64&tree=legacy"),
        ("2026", "Xếp hạng: Tỉnh Gia Lai", 29, "unit=52&tree=2025"),
    ]:
        shown, href = heading(client, unit, period)
        assert (shown, back in href) == (title, True), period
        table = rank(client, unit, period)
        assert _rows(table) == rows, period  # not old Bình Định's 11 districts
        # the district user's row and what moves its rank stay on both trees
        assert ("table-primary" in table) is district, period
        assert ("Điều gì thay đổi thứ hạng của" in table) is district, period


def test_a_legacy_province_becomes_its_successor_and_comes_back(app, client_as) -> None:
    from dashboard.pages import ranking_view

    opened = page(app, "admin", ranking_view, unit="52", period="2024")
    assert "Xếp hạng: Tỉnh Bình Định" in opened
    unit = prop(opened, ids.RANK_UNIT, "data")
    assert unit == {"tree": "legacy", "code": "52"}
    client = client_as("admin")
    assert heading(client, unit, AFTER)[0] == "Xếp hạng: Tỉnh Gia Lai"
    assert _rows(rank(client, unit, AFTER)) == 29
    assert heading(client, unit, BEFORE)[0] == "Xếp hạng: Tỉnh Bình Định"
    assert _rows(rank(client, unit, BEFORE)) == 11
    # the URL names the tree of its unit: a new-tree code for a legacy period
    moved = page(app, "admin", ranking_view, unit="52", tree="2025", period="2024")
    assert "Xếp hạng: Tỉnh Gia Lai" in moved
    assert prop(moved, ids.RANK_UNIT, "data") == {"tree": "legacy", "code": "64"}
    # a district: its former-district group on the new tree, and back
    group = {"tree": "legacy", "code": "633"}
    assert "Chư Sê" in heading(client, group, AFTER)[0]
    assert _rows(rank(client, group, AFTER)) > 0
    assert heading(client, group, BEFORE)[0] == "Xếp hạng: Huyện Chư Sê"


# -- map -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "district"])
def test_the_map_view_and_its_url_carry_the_tree(app, client_as, role) -> None:
    from dashboard.pages import map_view
    from tests.test_app_reform import navigate

    client = client_as(role)
    # old Gia Lai: the new Gia Lai after 1 July; back: both its predecessors
    # side by side (the new province was formed from two), never Bình Định alone
    view = navigate(client, {"unit": "64", "tree": "legacy"}, AFTER)[ids.VIEW]["data"]
    assert view == {"unit": "52", "tree": "2025", "groups": False}
    back = navigate(client, view, BEFORE)[ids.VIEW]["data"]
    assert (back["unit"], back["tree"]) == ("VN", "legacy")
    # Chư Sê: its former-district group, and back
    view = navigate(client, {"unit": "633", "tree": "legacy"}, AFTER)[ids.VIEW]["data"]
    assert (view["unit"], view["tree"]) == ("633", "2025")
    back = navigate(client, view, BEFORE)[ids.VIEW]["data"]
    assert (back["unit"], back["tree"]) == ("633", "legacy")

    def opened(**query: str) -> dict:
        return prop(page(app, role, map_view, **query), ids.VIEW, "data")

    # the URL names the tree of its unit: read on that tree, then carried over
    assert opened(unit="52", tree="2025", period=BEFORE)["unit"] == "VN"
    assert opened(unit="52", tree="legacy", period=BEFORE)["unit"] == "52"
    assert opened(unit="52", tree="legacy", period=AFTER)["unit"] == "52"
    assert opened(unit="64", tree="legacy", period=AFTER)["unit"] == "52"
    assert opened(unit="633", tree="2025", period=BEFORE)["unit"] == "633"


def test_the_map_url_names_the_tree() -> None:
    from callbacks import map_page
    from tests.test_clientside_assets import clientside_source

    scripts = [
        clientside_source(c.clientside) for c in map_page.CALLBACKS if c.clientside
    ]
    script = next(s for s in scripts if "replaceState" in s)
    assert "p.set('tree', view.tree" in script


# -- tables and their exports ------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "district"])
def test_the_tables_keep_the_area_and_their_links_name_the_tree(
    client_as, role
) -> None:
    from tests.test_tables_page import FIRST, choose, rows

    client = client_as(role)
    now = {
        "table": "reports",
        "unit": "52",
        "tree": "2025",
        "period": AFTER,
        "type": None,
        "status": None,
    }
    back = choose(client, ids.TABLE_PERIOD, now, **{ids.TABLE_PERIOD: BEFORE})
    # the old provinces' area (both, in the country): never old Bình Định
    # alone, which also has the code 52
    province = "VN"
    assert (back["unit"], back["tree"]) == (province, "legacy")
    links = rows(client, back, FIRST)
    assert f"unit={province}&tree=legacy&period={BEFORE}" in links[ids.TABLE_CSV]
    again = choose(client, ids.TABLE_PERIOD, back, **{ids.TABLE_PERIOD: AFTER})
    assert (again["unit"], again["tree"]) == ("52", "2025")
    assert "unit=52&tree=2025" in rows(client, again, FIRST)[ids.TABLE_ALL]
    # a code of one tree is never read on the other
    assert (
        client.get(
            f"/export/reports.csv?unit=52&tree=legacy&period={AFTER}"
        ).status_code
        == 400
    )
    assert (
        client.get(f"/export/reports.csv?unit=52&tree=2025&period={AFTER}").status_code
        == 200
    )


# -- the quarterly review -----------------------------------------------------


def _geo(text: str) -> str:
    """The boundary file of the review's map: /geo/<tree>/<level>/<province>."""
    start = text.index("/geo/")
    return text[start : text.index(".json", start)]


@pytest.mark.parametrize("role", ["admin", "district"])
def test_the_review_keeps_the_province_across_the_reform(app, role) -> None:
    from dashboard.pages import present_view

    after = page(app, role, present_view, quarter=AFTER)
    params = prop(after, ids.PRESENT_PARAMS, "data")
    assert (params["province"], params["tree"]) == ("52", "2025")
    assert _geo(after).startswith("/geo/2025/") and _geo(after).endswith("/52")
    # the quarter control goes to /present?quarter=..&province=..&tree=..
    before = page(app, role, present_view, quarter=BEFORE, **_q(params))
    assert _geo(before) == "/geo/legacy/district/64"  # not Bình Định's 52
    params = prop(before, ids.PRESENT_PARAMS, "data")
    assert (params["province"], params["tree"]) == ("64", "legacy")
    again = page(app, role, present_view, quarter=AFTER, **_q(params))
    assert _geo(again).startswith("/geo/2025/") and _geo(again).endswith("/52")
    # old Bình Định stays itself before the reform and becomes the new Gia Lai
    own = page(app, "admin", present_view, quarter=BEFORE, province="52", tree="legacy")
    assert _geo(own) == "/geo/legacy/district/52"


def _q(params: dict) -> dict:
    return {"province": params["province"], "tree": params["tree"]}


def test_the_counterpart_of_a_place(seeded) -> None:
    from data import places
    from data.db import make_engine

    engine = make_engine(seeded["DATABASE_URL"])
    try:
        with engine.connect() as conn:

            def on(code: str, src: str, dst: str, prefer=()) -> str | None:
                return places.counterpart(
                    conn, code=code, from_tree=src, to_tree=dst, prefer=prefer
                )

            # the new Gia Lai before July 2025: the province whose name it kept,
            # or the one preferred (the user's own), never "52" for its code alone
            assert on("52", "2025", "legacy") == "64"
            assert on("52", "2025", "legacy", ("52",)) == "52"
            assert on("52", "2025", "legacy", ("99",)) == "64"
            assert on("MIXED-52", "2025", "legacy") == "64"
            assert on("633", "2025", "legacy") == "633"  # a group: its district
            assert on("52", "legacy", "2025") == "52"  # old Bình Định: its heir
            assert on("64", "legacy", "2025") == "52"
            assert on("633", "legacy", "2025") == "633"
            assert on("52", "legacy", "legacy") == "52"
            assert on("nowhere", "legacy", "2025") is None
    finally:
        engine.dispose()
