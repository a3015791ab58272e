"""The simulated users of the load benchmark (Locust, headless).

Each user signs in with an account of its own through the login form (CSRF
token and all), makes a first
visit (the page, Dash's layout and dependencies, every script and style sheet
the page names or loads lazily (plotly.js) -- six at a time with compression
accepted, as a browser does --
the page router, the map's opening callbacks and the province's GeoJSON), then
repeats the interactions of a meeting with 1-3 s of thought between them:
theme, period, drill into a district, a commune's detail panel, the ranking.
Each interaction is reported as one request (``interaction`` type) whose time
is the whole sequence; a failed request fails it.  Payloads come from the file
``LOAD_PAYLOADS`` names (``benchmarks/load_bench/payloads.py``).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time

import gevent.pool
from locust import HttpUser, between, task

PAYLOADS = json.loads(open(os.environ["LOAD_PAYLOADS"], encoding="utf-8").read())
USERNAME = os.environ["LOAD_USER"]
# one account per simulated user (``load_test.accounts``), taken in turn
ACCOUNTS = int(os.environ.get("LOAD_USERS", "1"))
_TURN = itertools.count()
PASSWORD = os.environ["LOAD_PASSWORD"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ASSET = re.compile(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"')
HEADERS = {"Accept-Encoding": "br, gzip"}


class MeetingUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self._timed("sign-in", self._sign_in)
        self._timed("first visit", lambda: self._run(PAYLOADS["first visit"]))

    def _sign_in(self) -> None:
        page = self._get("/login")
        found = CSRF.search(page.text)
        if found is None:
            raise RuntimeError("no CSRF token on the login page")
        form = {
            "csrf_token": found.group(1),
            "username": f"{USERNAME}-{next(_TURN) % ACCOUNTS + 1:03d}",
            "password": PASSWORD,
        }
        with self.client.post(
            "/login",
            data=form,
            allow_redirects=False,
            name="POST /login",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in: HTTP {answer.status_code}")
                raise RuntimeError(f"sign-in: HTTP {answer.status_code}")

    def _get(self, path: str):
        answer = self.client.get(path, headers=HEADERS, name=_name(path))
        answer.raise_for_status()
        return answer

    def _post(self, body: dict) -> None:
        answer = self.client.post(
            "/_dash-update-component",
            json=body,
            headers=HEADERS,
            name="POST " + body["output"][:60],
        )
        if answer.status_code not in (200, 204):
            raise RuntimeError(f"{body['output'][:60]}: HTTP {answer.status_code}")

    def _run(self, step: dict) -> None:
        pages = [self._get(path) for path in step["get"]]
        if step.get("assets"):
            assets = sorted(set(ASSET.findall(pages[0].text))) + step["assets"]
            pool = gevent.pool.Pool(6)
            for found in pool.imap_unordered(self._get, assets):
                found.raise_for_status()
        for body in step["post"]:
            self._post(body)
        for path in step.get("then_get", []):
            self._get(path)

    def _timed(self, name: str, action) -> None:
        started, error = time.perf_counter(), None
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - reported as the interaction's failure
            error = exc
        self.environment.events.request.fire(
            request_type="interaction",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    @task(3)
    def theme(self) -> None:
        self._timed("theme", lambda: self._run(PAYLOADS["theme"]))

    @task(3)
    def period(self) -> None:
        self._timed("period", lambda: self._run(PAYLOADS["period"]))

    @task(2)
    def drill(self) -> None:
        self._timed("drill", lambda: self._run(PAYLOADS["drill"]))

    @task(2)
    def detail(self) -> None:
        self._timed("detail", lambda: self._run(PAYLOADS["detail"]))

    @task(1)
    def ranking(self) -> None:
        self._timed("ranking", lambda: self._run(PAYLOADS["ranking"]))


def _name(path: str) -> str:
    """Requests grouped by kind in Locust's own table (not in the report)."""
    if path.startswith(("/assets/", "/_dash-component-suites/")):
        return "GET static file"
    if path.startswith("/geo/"):
        return "GET /geo/…"
    return "GET " + path.split("?")[0]
