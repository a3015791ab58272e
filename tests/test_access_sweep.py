"""Every Dash callback and every Flask route, called without signing in: nothing
but the login page, a 401/403, or a file that holds no data.

The lists come from the app itself (``app.callback_map``, ``server.url_map``), so a
callback or route added later is swept without touching this file.
"""

from __future__ import annotations

import json
import re

import pytest

from layouts import ids
from tests.conftest import sign_in

# Routes anyone may fetch, and why they hold no data.
PUBLIC = {
    "/login": "the sign-in form",
    "/healthz": '{"status": "ok"}',
    "/_favicon.ico": "the icon",
    "/assets/<path:filename>": "CSS and the app's own static files",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": (
        "the JavaScript bundles of Dash and its components"
    ),
}
# Words that only the data holds: unit names and figures' labels.
DATA_WORDS = ("Chư Sê", "Gia Lai", "Pleiku", "children_u16", "customdata")
SAMPLE = {
    "tree": "legacy",
    "level": "district",
    "parent": "64",
    "filename": "bootstrap.min.css",
    "path": "anything",
    "package_name": "dash",
    "fingerprinted_path": "dash-renderer/build/dash_renderer.min.js",
}


@pytest.fixture
def app(seeded_sqlite, make_app):
    return make_app(seeded_sqlite)


def _url(rule: str) -> str:
    def fill(match: re.Match) -> str:
        return SAMPLE.get(match.group(1).split(":")[-1], "x")

    return re.sub(r"<([^>]+)>", fill, rule)


def test_every_route_refuses_anonymous_requests(app) -> None:
    client = app.server.test_client()
    rules = list(app.server.url_map.iter_rules())
    assert len(rules) >= 10  # the sweep sees Dash's routes and ours
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = _url(rule.rule)
            response = client.open(
                url, method=method, json={} if method == "POST" else None
            )
            body = response.get_data().decode("utf-8", errors="replace")
            where = f"{method} {rule.rule}"
            if rule.rule in PUBLIC:
                assert response.status_code in (200, 400, 404), where
            else:
                assert response.status_code in (302, 401, 403, 404, 405), where
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], where
            assert not any(word in body for word in DATA_WORDS), where


def test_every_callback_refuses_anonymous_requests(app) -> None:
    client = app.server.test_client()
    callbacks = app.callback_map
    assert len(callbacks) >= 8
    for output, spec in callbacks.items():
        payload = {
            "output": output,
            "outputs": [],
            "inputs": [
                {"id": i["id"], "property": i["property"], "value": None}
                for i in spec["inputs"]
            ],
            "state": [
                {"id": s["id"], "property": s["property"], "value": None}
                for s in spec["state"]
            ],
            "changedPropIds": [],
        }
        response = client.post("/_dash-update-component", json=payload)
        assert response.status_code == 401, output
        assert not any(word in response.get_data(as_text=True) for word in DATA_WORDS)


def test_the_login_page_is_the_only_page_without_sign_in(app) -> None:
    client = app.server.test_client()
    for path in ("/", "/?unit=633&theme=incidents", "/chi-so", "/anything/else"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path


# A district user (Huyện Chư Sê, 633) asking, through every input, for Pleiku (622)
# and one of its communes (23557).
HOSTILE = {
    (ids.VIEW, "data"): {"unit": "622", "tree": "legacy", "groups": False},
    (ids.SELECTED, "data"): {"code": "23557"},
    (ids.MAP, "clickData"): {"points": [{"location": "23557"}]},
    (ids.PERIOD, "value"): "2024",
    (ids.CATEGORY, "value"): "abuse",
    (ids.TYPES, "value"): [],
    (ids.MEASURE, "value"): "count",
    (ids.CLASSES, "value"): "quantile",
    (ids.MAP_SIZE, "data"): [800, 560],
    (ids.LANG, "data"): "vi",
    (ids.GROUPS, "value"): False,
    (ids.RANK_UNIT, "data"): "622",
    (ids.RANK_PERIOD, "value"): "2024",
    (ids.RANK_LANG, "data"): "vi",
    # the published-rank form: save a rank for Pleiku (admin and province only)
    (ids.RANK_SAVED, "data"): 1,
    (ids.RANK_PR_SAVE, "n_clicks"): 1,
    (ids.RANK_PR_UNIT, "value"): "legacy:622",
    (ids.RANK_PR_ROUND, "value"): "2016–2017",
    (ids.RANK_PR_RANK, "value"): 1,
    (ids.RANK_PR_OUT_OF, "value"): 63,
    (ids.RANK_PR_SOURCE, "value"): "hostile",
    # the tables page: Pleiku's rows, an abuse type, a block far too large
    (ids.TABLE_CHOICE, "value"): "incidents",
    (ids.TABLE_UNIT, "value"): "622",
    (ids.TABLE_PERIOD, "value"): "2024",
    (ids.TABLE_TYPE, "value"): "AB_SEX",
    (ids.TABLE_STATUS, "value"): None,
    (ids.TABLE_LANG, "data"): "vi",
    (ids.TABLE_QUERY, "data"): {
        "table": "incidents",
        "unit": "622",
        "period": "2024",
        "type": None,
        "status": None,
    },
    (ids.TABLE_JOB_START, "n_clicks"): 1,
    (ids.TABLE_XLSX, "href"): "/export/incidents.xlsx?unit=622&period=2024",
    (ids.TABLE_TOTAL, "data"): 5,
    (ids.TABLE_JOB, "data"): "0" * 32,
    (ids.TABLE_JOB_POLL, "n_intervals"): 1,
    # the report page: a report of a unit that is not theirs, a junk upload
    (ids.REPORT_YEAR, "value"): "2024",
    (ids.REPORT_CHOICE, "value"): "1:1",
    (ids.REPORT_UPLOAD, "contents"): "data:application/octet-stream;base64,AAAA",
    (ids.REPORT_UPLOAD, "filename"): "x.xlsx",
    (ids.REPORT_LANG, "data"): "vi",
    (ids.REPORT_EXPLAIN_SEND, "n_clicks"): 1,
    (ids.REPORT_EXPLANATION, "value"): "hostile",
    # sign-off: a decision on a report outside their area (submission 1)
    (ids.REPORT_HISTORY, "children"): None,
    (ids.REPORT_RESULT, "children"): None,
    (ids.REPORT_SEEN, "data"): 1,
    (ids.REPORT_COMMENT, "value"): "hostile",
    (ids.REPORT_APPROVE, "n_clicks"): 1,
    (ids.REPORT_RETURN, "n_clicks"): 1,
    (ids.REPORT_WITHDRAW, "n_clicks"): 1,
    (ids.TABLE_GRID, "getRowsRequest"): {
        "startRow": 0,
        "endRow": 100,
        "sortModel": [],
        "filterModel": {},
    },
}
DETAIL_BODY = "Trẻ em dưới 16 tuổi"  # only a detail card the user may see has it


def _hostile_payload(output: str, spec: dict, changed: str, theme: str) -> dict:
    def value(item: dict):
        if isinstance(item["id"], dict) or str(item["id"]).startswith("{"):
            return []  # pattern-matching inputs (breadcrumb buttons): none shown
        if (item["id"], item["property"]) == (ids.THEME, "value"):
            return theme
        return HOSTILE.get((item["id"], item["property"]))

    def entry(item: dict):
        found = value(item)
        if found == [] and str(item["id"]).startswith("{"):
            return []
        return {"id": item["id"], "property": item["property"], "value": found}

    return {
        "output": output,
        "outputs": _outputs(output),
        "inputs": [entry(i) for i in spec["inputs"]],
        "state": [entry(s) for s in spec["state"]],
        "changedPropIds": [changed],
    }


def _outputs(output: str) -> list[dict] | dict:
    """The outputs Dash expects for a callback_map key ("..a.b...c.d.." or "a.b")."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        specs.append({"id": cid, "property": prop.split("@")[0]})
    return specs if output.startswith("..") else specs[0]


def _values(node, found: list) -> None:
    """Every customdata / z array anywhere in a response."""
    if isinstance(node, dict):
        for key, item in node.items():
            if key in ("customdata", "z") and isinstance(item, list):
                found.append(item)
            _values(item, found)
    elif isinstance(node, list):
        for item in node:
            _values(item, found)


def _flat(values: list) -> list:
    out = []
    for item in values:
        out.extend(_flat(item) if isinstance(item, list) else [item])
    return out


@pytest.mark.parametrize("theme", ["child_friendly", "fund", "incidents", "timeliness"])
def test_a_district_user_gets_nothing_of_another_district(app, theme) -> None:
    client = app.server.test_client()
    assert sign_in(client, "district").status_code == 302
    swept = 0
    for output, spec in app.callback_map.items():
        if "callback" not in spec:
            continue  # clientside: runs in the browser on what it already holds
        for item in spec["inputs"]:
            if str(item["id"]).startswith("{"):
                continue
            changed = f"{item['id']}.{item['property']}"
            payload = _hostile_payload(output, spec, changed, theme)
            response = client.post("/_dash-update-component", json=payload)
            assert response.status_code in (200, 204), (output, changed)
            swept += 1
            if response.status_code == 204:
                continue
            body = response.get_json()
            found: list = []
            _values(body, found)
            leaked = [v for v in _flat(found) if v is not None]
            assert leaked == [], (output, changed)  # no commune of Pleiku has a value
            assert DETAIL_BODY not in json.dumps(body, ensure_ascii=False)
    assert swept >= 15
