"""The tables page: the page for each role, the grid's callback, the links."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import text

from data.db import make_engine
from layouts import ids
from tests.conftest import TEST_USERS, post_callback, signed_client
from tests.test_tables import CHU_SE


@pytest.fixture
def client_as(seeded_sqlite, make_app):
    app = make_app(seeded_sqlite)
    return lambda role: signed_client(app, role)


ROW_OUTPUTS = [
    (ids.TABLE_GRID, "getRowsResponse"),
    (ids.TABLE_COUNT, "children"),
    (ids.TABLE_XLSX, "href"),
    (ids.TABLE_CSV, "href"),
    (ids.TABLE_ALL, "href"),
    (ids.TABLE_XLSX, "style"),
    (ids.TABLE_JOB_START, "style"),
    (ids.TABLE_TOTAL, "data"),
]


def rows(client, query: dict, request: dict, lang: str = "vi"):
    out = post_callback(
        client,
        ROW_OUTPUTS,
        [(ids.TABLE_GRID, "getRowsRequest", request)],
        [(ids.TABLE_QUERY, "data", query), (ids.TABLE_LANG, "data", lang)],
    )
    if out is None:
        return None
    return {c: out[c, p] for c, p in ROW_OUTPUTS[:5]}  # the grid, count and links


QUERY = {
    "table": "incidents",
    "unit": "64",
    "period": "2024",
    "type": None,
    "status": None,
}
FIRST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def test_the_grid_gets_blocks_a_count_and_links(client_as) -> None:
    client = client_as("province")
    model = {"count": {"filterType": "number", "type": "greaterThan", "filter": 1}}
    out = rows(client, QUERY, {**FIRST, "filterModel": model})
    grid = out[ids.TABLE_GRID]
    assert 0 < len(grid["rowData"]) <= 100 and grid["rowCount"] >= len(grid["rowData"])
    assert all(r["count"] > 1 for r in grid["rowData"])
    assert out[ids.TABLE_COUNT][0].endswith("dòng (đã lọc theo cột)")
    link = urlparse(out[ids.TABLE_XLSX])
    assert link.path == "/export/incidents.xlsx"
    params = parse_qs(link.query)
    assert json.loads(params["filter"][0])["count"]["conditions"][0]["filter"] == 1
    assert out[ids.TABLE_ALL].startswith("/export/all.xlsx?")
    row = grid["rowData"][0]
    assert len(row["month"]) == 10 and row["month"].endswith("-01")


def test_a_district_user_gets_only_its_communes_whatever_it_asks(
    client_as, seeded_sqlite
) -> None:
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    with engine.connect() as conn:
        own = {r[0] for r in conn.execute(text(CHU_SE))}
    engine.dispose()
    client = client_as("district")
    mine = rows(client, QUERY, FIRST)[ids.TABLE_GRID]["rowData"]
    assert mine and {r["code"] for r in mine} <= own
    pleiku = rows(client, {**QUERY, "unit": "622"}, FIRST)[ids.TABLE_GRID]
    assert pleiku["rowData"] == [] and pleiku["rowCount"] == 0
    # an abuse type is not a filter a district user may use
    assert rows(client, {**QUERY, "type": "AB_SEX"}, FIRST) is None
    assert rows(client, QUERY, {**FIRST, "endRow": 100_000}) is None


def test_the_meeting_room_role_gets_no_rows_and_no_page(client_as) -> None:
    client = client_as("viewer")
    assert rows(client, QUERY, FIRST) is None
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200


def _page(app, role: str, **query: str) -> str:
    """The tables page as ``role`` sees it (rendered as Dash renders a page)."""
    from flask_login import login_user
    from plotly.utils import PlotlyJSONEncoder

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import tables_view
    from data import users

    with app.server.test_request_context("/tables"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        return json.dumps(
            tables_view(**query), cls=PlotlyJSONEncoder, ensure_ascii=False
        )


def test_the_page_for_each_role(seeded_sqlite, make_app) -> None:
    app = make_app(seeded_sqlite)
    province = _page(app, "province", table="fund", unit="633", period="2024-Q2")
    assert "Vận động Quỹ Bảo trợ trẻ em" in province and "Số tiền (đồng)" in province
    assert '"value": "633"' in province and '"value": "2024-Q2"' in province
    assert "Tải Excel (.xlsx)" in province and "Hình thức" in province
    english = _page(app, "province", table="reports", lang="en")
    assert "Periodic report submissions" in english and "Due date" in english
    # a district user opens on their district; an unknown table or place falls back
    district = _page(app, "district", table="nope", unit="622", period="2024")
    assert '"value": "633"' in district and '"value": "child_friendly"' in district
    assert "làm nhiễu" in district  # the disclosure rule is said
    viewer = _page(app, "viewer")
    assert "phòng họp" in viewer and "ag-grid" not in viewer.lower()
    assert "table-grid" not in viewer


CHOOSE_OUTPUTS = [
    (ids.TABLE_HOLDER, "children"),
    (ids.TABLE_QUERY, "data"),
    (ids.TABLE_UNIT, "options"),
    (ids.TABLE_UNIT, "value"),
    (ids.TABLE_TYPE, "options"),
    (ids.TABLE_TYPE, "value"),
    (ids.TABLE_TYPE, "disabled"),
    (ids.TABLE_STATUS, "options"),
    (ids.TABLE_STATUS, "value"),
    (ids.TABLE_STATUS, "disabled"),
    (ids.TABLE_JOB_STATUS, "children"),
    (ids.TABLE_JOB_POLL, "disabled"),
    (ids.TABLE_ADDRESS, "data"),
]


def choose(client, changed: str, before: dict, **values):
    inputs = {
        ids.TABLE_CHOICE: before["table"],
        ids.TABLE_UNIT: before["unit"],
        ids.TABLE_PERIOD: before["period"],
        ids.TABLE_TYPE: before["type"],
        ids.TABLE_STATUS: before["status"],
        **values,
    }
    out = post_callback(
        client,
        CHOOSE_OUTPUTS,
        [(k, "value", v) for k, v in inputs.items()],
        [(ids.TABLE_LANG, "data", "vi"), (ids.TABLE_QUERY, "data", before)],
        changed=f"{changed}.value",
    )
    return None if out is None else out[ids.TABLE_QUERY, "data"]


def choose_address(client, changed: str, before: dict, **values):
    """Like ``choose``, the address the page puts in the URL bar."""
    inputs = {
        ids.TABLE_CHOICE: before["table"],
        ids.TABLE_UNIT: before["unit"],
        ids.TABLE_PERIOD: before["period"],
        ids.TABLE_TYPE: before["type"],
        ids.TABLE_STATUS: before["status"],
        **values,
    }
    out = post_callback(
        client,
        CHOOSE_OUTPUTS,
        [(k, "value", v) for k, v in inputs.items()],
        [(ids.TABLE_LANG, "data", "vi"), (ids.TABLE_QUERY, "data", before)],
        changed=f"{changed}.value",
    )
    return out[ids.TABLE_QUERY, "data"], out[ids.TABLE_ADDRESS, "data"]


def test_crossing_the_reform_keeps_the_same_area(client_as) -> None:
    """The new Gia Lai and old Bình Định are both 52: going back to 2024 from
    the new Gia Lai shows the old provinces' area, never Bình Định alone."""
    client = client_as("province")
    now = {**QUERY, "unit": "52", "period": "2026", "table": "reports"}
    back = choose(client, ids.TABLE_PERIOD, now, **{ids.TABLE_PERIOD: "2024"})
    assert back["period"] == "2024" and back["unit"] != "52"
    again = choose(client, ids.TABLE_PERIOD, back, **{ids.TABLE_PERIOD: "2026"})
    assert again["unit"] == "52"
    # another table: its own filters (a report status is no CF status)
    late = {**now, "status": "late"}
    other = choose(client, ids.TABLE_CHOICE, late, **{ids.TABLE_CHOICE: "fund"})
    assert other["table"] == "fund" and other["status"] is None


def test_the_filters_travel_in_the_address_and_back(
    client_as, seeded_sqlite, make_app
) -> None:
    """A filter changed: the callback gives the URL's query string; opening that
    URL shows the same filters (a bookmark or a reload keeps them)."""
    client = client_as("province")
    before = {**QUERY, "table": "reports", "unit": "64", "period": "2024"}
    query, address = choose_address(
        client, ids.TABLE_STATUS, before, **{ids.TABLE_STATUS: "late"}
    )
    assert query["status"] == "late"
    params = {k: v[0] for k, v in parse_qs(address.lstrip("?")).items()}
    assert params == {
        "table": "reports",
        "unit": "64",
        "period": "2024",
        "status": "late",
        "lang": "vi",
    }
    page = _page(make_app(seeded_sqlite), "province", **params)
    assert f'"data": {json.dumps(query, ensure_ascii=False)}' in page
    assert f'"data": "{address}"' in page
    assert '"target_components": {"table-holder": "children"' in page  # loading
    # and an incident type too
    query, address = choose_address(
        client,
        ids.TABLE_CHOICE,
        QUERY,
        **{ids.TABLE_CHOICE: "incidents"},
    )
    typed = {**query, "type": "INJ_DROWN"}
    query, address = choose_address(
        client, ids.TABLE_TYPE, query, **{ids.TABLE_TYPE: "INJ_DROWN"}
    )
    assert query == typed and "type=INJ_DROWN" in address
    params = {k: v[0] for k, v in parse_qs(address.lstrip("?")).items()}
    page = _page(make_app(seeded_sqlite), "province", **params)
    assert '"value": "INJ_DROWN"' in page


def _sums(client, query: dict, model: dict | None = None) -> str:
    out = rows(client, query, {**FIRST, "filterModel": model or {}})
    line = out[ids.TABLE_COUNT]
    sums = [part for part in line if isinstance(part, dict)]
    found = [p for p in sums if p.get("props", {}).get("id") == ids.TABLE_SUMS]
    return found[0]["props"]["children"] if found else ""


def test_the_count_line_gives_the_total_of_the_filtered_rows(client_as) -> None:
    from data import tables

    client = client_as("province")
    text = _sums(client, QUERY)
    assert text.startswith("Tổng các dòng: Số vụ ")
    model = {"count": {"filterType": "number", "type": "greaterThan", "filter": 1}}
    filtered = _sums(client, QUERY, model)
    assert filtered != text  # the column filter changes the total
    fund = _sums(client, {**QUERY, "table": "fund"})
    assert "Số lượt đóng góp" in fund and "Số tiền (đồng)" in fund
    assert "Tính vào tổng địa bàn (đồng)" in fund  # transfers within: not again
    assert tables.SUMMED["incidents"] == ("count",)


@pytest.mark.parametrize(
    ("role", "table", "href"),
    [
        ("admin", "incidents", "/import?kind=incidents&lang=vi"),
        ("admin", "fund", "/import?kind=fund_bookings&lang=vi"),
        ("province", "child_friendly", "/import?kind=cf_assessments&lang=vi"),
        ("district", "fund", "/import?kind=fund_bookings&lang=vi"),
        ("district", "incidents", None),  # record-level cases: exact counts only
        ("admin", "reports", None),  # no import kind holds them
        ("viewer", "fund", None),  # imports nothing
    ],
)
def test_a_table_links_to_its_records_in_the_import_form(
    client_as, role: str, table: str, href: str | None
) -> None:
    got = post_callback(
        client_as(role),
        [(ids.TABLE_REIMPORT, "href"), (ids.TABLE_REIMPORT_LINE, "className")],
        [(ids.TABLE_CHOICE, "value", table)],
        [(ids.TABLE_LANG, "data", "vi")],
    )
    shown = "d-none" not in got[(ids.TABLE_REIMPORT_LINE, "className")]
    assert shown == (href is not None)
    if href is not None:
        assert got[(ids.TABLE_REIMPORT, "href")] == href


def test_years_are_written_without_grouping() -> None:
    """A year is 2024 in both languages, not "2.024": no number formatter in
    the grid, a whole number in the files; it still filters as a number."""
    from callbacks.tables_page import columns
    from data.export import _value
    from layouts.tables_page import column_defs

    for lang in ("vi", "en"):
        year = next(
            d
            for d in column_defs(columns("scorecard", lang), lang)
            if d["field"] == "year"
        )
        assert "valueFormatter" not in year
        assert year["filter"] == "agNumberColumnFilter"
        count = next(
            d
            for d in column_defs(columns("incidents", lang), lang)
            if d["field"] == "count"
        )
        assert "valueFormatter" in count  # counts keep their grouping
    assert _value(2024.0, "year") == 2024
