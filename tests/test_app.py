"""The app starts, serves its first page, and its map shows what the database holds."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import text

from data.db import make_engine
from layouts import ids
from tests.conftest import sign_in

YEAR = "2024"

# Written independently of data/metrics.py on purpose: the map must agree with a
# plain SQL reading of the tables.
DIRECT_SHARE = text(
    """
    WITH ranked AS (
        SELECT unit_id, status,
               ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY round_date DESC) AS rn
        FROM child_friendly_assessment WHERE round_date <= :as_of
    )
    SELECT d.code,
           COUNT(*) AS communes,
           SUM(CASE WHEN r.status IN ('RECOGNISED_NEW', 'RECOGNISED_MAINTAINED')
                    THEN 1 ELSE 0 END) AS recognised
    FROM admin_unit d
    JOIN admin_unit p ON p.id = d.parent_id
    JOIN admin_unit c ON c.parent_id = d.id AND c.level = 'commune'
    LEFT JOIN ranked r ON r.unit_id = c.id AND r.rn = 1
    WHERE d.level = 'district' AND p.tree = 'legacy' AND p.code = '64'
    GROUP BY d.code ORDER BY d.code
    """
)


def direct_shares(url: str, as_of: str) -> dict[str, tuple[int, int]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(DIRECT_SHARE, {"as_of": as_of}).all()
    finally:
        engine.dispose()
    return {code: (int(n), int(r)) for code, n, r in rows}


def callback_payload(changed: str, **values: object) -> dict:
    """The request the browser sends for ``update_map``."""
    inputs = {
        (ids.VIEW, "data"): {"unit": "64"},
        (ids.SELECTED, "data"): {"code": None},
        (ids.THEME, "value"): "child_friendly",
        (ids.PERIOD, "value"): "2024",
        (ids.CATEGORY, "value"): "both",
        (ids.TYPES, "value"): [],
        (ids.MEASURE, "value"): "rate",
        (ids.CLASSES, "value"): "quantile",
        (ids.MAP_SIZE, "data"): [800, 560],
    }
    for (cid, prop), _ in list(inputs.items()):
        if cid.replace("-", "_") in values:
            inputs[(cid, prop)] = values[cid.replace("-", "_")]
    outputs = [
        (ids.MAP, "figure"),
        (ids.SUMMARY, "children"),
        (ids.BREADCRUMB, "children"),
        (ids.HINT, "children"),
        (ids.MAP_LABELS, "data"),
    ]
    return {
        "output": ".." + "...".join(f"{c}.{p}" for c, p in outputs) + "..",
        "outputs": [{"id": c, "property": p} for c, p in outputs],
        "inputs": [
            {"id": c, "property": p, "value": v} for (c, p), v in inputs.items()
        ],
        "state": [{"id": ids.LANG, "property": "data", "value": "vi"}],
        "changedPropIds": [changed],
    }


def patched(update: dict) -> dict:
    """The figure fields a Patch response assigns, as a nested dict."""
    out: dict = {}
    for op in update["operations"]:
        node = out
        location = [str(key) for key in op["location"]]
        if op["operation"] == "Merge":
            for key in location:
                node = node.setdefault(key, {})
            node.update(op["params"]["value"])
        elif op["operation"] == "Assign":
            *path, last = location
            for key in path:
                node = node.setdefault(key, {})
            node[last] = op["params"]["value"]
    return out


def post_map(client, changed: str, **values: object) -> dict:
    response = client.post(
        "/_dash-update-component", json=callback_payload(changed, **values)
    )
    assert response.status_code == 200, response.data[:500]
    return json.loads(response.data)["response"]


@pytest.fixture
def client(signed_in):
    return signed_in


def test_first_page_and_layout_return_200(client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert b"_dash-renderer" in page.data or b"dash_renderer" in page.data
    assert b"cdn" not in page.data.lower()  # every asset is served locally
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_map_values_equal_a_direct_sql_aggregate(client, seeded) -> None:
    body = post_map(client, f"{ids.MAP_SIZE}.data")
    figure = patched(body[ids.MAP]["figure"])
    layer = figure["data"]["1"]
    codes = figure["data"]["0"]["locations"]
    shown = {code: row[0] for code, row in zip(codes, layer["customdata"], strict=True)}
    counts = {
        code: (row[1], row[2])
        for code, row in zip(codes, layer["customdata"], strict=True)
    }

    expected = direct_shares(seeded["DATABASE_URL"], f"{YEAR}-12-31")
    assert set(shown) == set(expected) and len(shown) == 17
    for code, (communes, recognised) in expected.items():
        assert shown[code] == pytest.approx(round(100 * recognised / communes, 1))
        assert counts[code] == (recognised, communes)
    total_recognised = sum(r for _n, r in expected.values())
    summary = json.dumps(body[ids.SUMMARY]["children"], ensure_ascii=False)
    assert f"{total_recognised} trên 218" in summary
    assert figure["data"]["0"]["geojson"].startswith("/geo/legacy/district/64.json?v=")


def test_period_change_sends_values_only(client) -> None:
    body = post_map(client, f"{ids.PERIOD}.value", period="2023")
    figure = patched(body[ids.MAP]["figure"])
    assert "0" not in figure["data"]  # the no-data layer (geometry) is untouched
    layer = figure["data"]["1"]
    assert set(layer) <= {"z", "customdata", "zmax", "colorbar"}
    assert "Năm 2023" in layer["colorbar"]["title"]["text"]
    assert ids.BREADCRUMB not in body  # unchanged outputs are not sent


def test_crafted_inputs_change_nothing(client) -> None:
    for bad in ({"view": {"unit": "99999"}}, {"theme": "nope"}, {"period": "20x4"}):
        response = client.post(
            "/_dash-update-component",
            json=callback_payload(f"{ids.THEME}.value", **bad),
        )
        assert response.status_code == 204


def test_geojson_route_serves_the_province_districts(client) -> None:
    response = client.get("/geo/legacy/district/64.json")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    collection = response.get_json()
    assert len(collection["features"]) == 17
    assert {f["id"] for f in collection["features"]} >= {"622", "633", "639"}
    assert client.get("/geo/legacy/nowhere/64.json").status_code == 404
    assert client.get("/geo/legacy/district/6'4.json").status_code == 404
    assert client.get("/geo/legacy/district/99.json").get_json()["features"] == []


def test_empty_database_gets_a_hint_not_an_error(tmp_path, make_app) -> None:
    from dashboard.pages import map_view
    from data import migrate

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate.upgrade(make_engine(url))
    app = make_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})
    with app.server.test_request_context("/"):
        rendered = json.dumps(map_view(), cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "python -m dashboard setup" in rendered


def test_boundaries_are_cached_in_redis_when_configured(
    seeded_sqlite, make_app, redis_url
) -> None:
    import redis

    url = redis_url
    store = redis.Redis.from_url(url)
    store.flushdb()
    client = make_app(seeded_sqlite, CACHE_REDIS_URL=url).server.test_client()
    assert sign_in(client).status_code == 302
    assert len(client.get("/geo/legacy/district/64.json").get_json()["features"]) == 17
    keys = [k.decode() for k in store.keys("cpd:geo:legacy:district:64:*")]
    assert len(keys) == 1
    store.flushdb()


def test_map_labels_and_a_lower_bound_in_the_hover(seeded, make_app) -> None:
    """A district user's incident rates: a total whose abuse part is "<5" shows
    as "≥ n" in the hover (text, never NaN); the names' points come along."""
    from tests.conftest import signed_client

    client = signed_client(make_app(seeded), "district")
    body = post_map(
        client,
        f"{ids.MAP_SIZE}.data",
        view={"unit": "633"},
        theme="incidents",
    )
    figure = patched(body[ids.MAP]["figure"])
    rows = figure["data"]["1"]["customdata"]
    assert "%{customdata[4]}" in figure["data"]["1"]["hovertemplate"]
    texts = [row[4] for row in rows if row[4] is not None]
    assert texts and all("NaN" not in text for text in texts)
    assert any(text.startswith("≥") for text in texts)  # a lower bound
    assert all(
        isinstance(row[0], str) or row[0] is None
        for row in rows
        if "≥" in (row[4] or "")
    )
    labels = body[ids.MAP_LABELS]["data"]
    assert len(labels["codes"]) == len(labels["points"]) == 15
    assert all(len(point) == 2 for point in labels["points"])


def test_the_first_run_leaves_postgresql_with_planner_statistics(
    seeded_postgresql,
) -> None:
    """Without statistics the planner guesses row counts of the freshly loaded
    tables (reltuples -1 until analysed) and the roll-ups crawl (data.db)."""
    from sqlalchemy import text

    from data.db import make_engine

    engine = make_engine(seeded_postgresql["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = dict(
                conn.execute(
                    text(
                        "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                        "('admin_unit', 'incident', 'unit_crosswalk', 'boundary')"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert len(rows) == 4 and all(n > 0 for n in rows.values()), rows
