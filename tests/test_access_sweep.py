"""Every Dash callback and every Flask route, called without signing in: nothing
but the login page, a 401/403, or a file that holds no data.

The lists come from the app itself (``app.callback_map``, ``server.url_map``), so a
callback or route added later is swept without touching this file.
"""

from __future__ import annotations

import re

import pytest

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
def app(seeded_sqlite, make_app):  # type: ignore[no-untyped-def]
    return make_app(seeded_sqlite)


def _url(rule: str) -> str:
    def fill(match: re.Match) -> str:
        return SAMPLE.get(match.group(1).split(":")[-1], "x")

    return re.sub(r"<([^>]+)>", fill, rule)


def test_every_route_refuses_anonymous_requests(app) -> None:  # type: ignore[no-untyped-def]
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


def test_every_callback_refuses_anonymous_requests(app) -> None:  # type: ignore[no-untyped-def]
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


def test_the_login_page_is_the_only_page_without_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    client = app.server.test_client()
    for path in ("/", "/?unit=633&theme=incidents", "/anything/else"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path
