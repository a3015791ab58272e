"""What a new browser costs the server: CPU seconds of the web worker per sign-in
and per first visit, with the static files served ahead of the app (the folder
prepared once, ``dashboard/static_files.py``) and through the app itself
(``STATIC_DIR=off``), side by side in one run.

One gunicorn sync worker per way (the Procfile's command), visits one after the
other from one client, so that nothing queues: the worker's own CPU time (user +
system, from psutil) before and after each sign-in and each first visit is what
that request sequence cost, whatever else the machine is doing.  The first visit
is the load benchmark's own (``payloads.first_visit``: the page, Dash's layout
and dependencies, every script and style with Brotli accepted, the opening
callbacks, the province's GeoJSON).  Bytes are those on the wire.

Then, on the prepared way's worker, the same client repeats each of the
meeting's interactions (theme, period, drill, detail, ranking: the load
benchmark's own requests) as many times: the worker's CPU per interaction with
the cache warm, what a meeting in progress costs per click.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any

import psutil
import requests

from benchmarks.load_bench import server

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ASSET = re.compile(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"')
HEADERS = {"Accept-Encoding": "br, gzip"}
WAYS = {"prepared": "", "through the app": "off"}  # STATIC_DIR
INTERACTIONS = ("theme", "period", "drill", "detail", "ranking")


@dataclass
class Cost:
    way: str
    visits: int
    sign_in_ms: float  # CPU ms of the worker per sign-in (mean)
    visit_ms: float  # CPU ms of the worker per first visit (mean)
    static_ms: float  # of which the scripts and styles
    visit_bytes: int  # bytes on the wire of one first visit
    requests: int  # requests of one first visit
    # CPU ms of the worker per interaction, cache warm (mean; the prepared way)
    interaction_ms: dict[str, float]


def _cpu(worker: psutil.Process) -> float:
    times = worker.cpu_times()
    return times.user + times.system


def _get(client: requests.Session, url: str) -> int:
    answer = client.get(url, headers=HEADERS, stream=True)
    answer.raise_for_status()
    return len(answer.raw.read(decode_content=False))


def _sign_in(client: requests.Session, host: str, user: str, password: str) -> None:
    page = client.get(f"{host}/login")
    token = CSRF.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    form = {"csrf_token": token.group(1), "username": user, "password": password}
    answer = client.post(f"{host}/login", data=form, allow_redirects=False)
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in: HTTP {answer.status_code}")


def _visit(
    client: requests.Session, host: str, step: dict, worker: psutil.Process
) -> tuple[float, int, int]:
    """One first visit: (CPU s of its static files, bytes, requests)."""
    pages = [client.get(host + path, headers=HEADERS) for path in step["get"]]
    size = sum(len(p.content) for p in pages)
    count = len(pages)
    before = _cpu(worker)
    for path in sorted(set(ASSET.findall(pages[0].text))) + step["assets"]:
        size += _get(client, host + path)
        count += 1
    static = _cpu(worker) - before
    for body in step["post"]:
        size, count = size + _post(client, host, body), count + 1
    for path in step.get("then_get", []):
        size, count = size + _get(client, host + path), count + 1
    return static, size, count


def _post(client: requests.Session, host: str, body: dict) -> int:
    """One callback request; the bytes of its answer."""
    answer = client.post(f"{host}/_dash-update-component", json=body, headers=HEADERS)
    if answer.status_code not in (200, 204):
        raise RuntimeError(f"{body['output'][:60]}: HTTP {answer.status_code}")
    return len(answer.content)


def _interact(client: requests.Session, host: str, step: dict) -> None:
    """One interaction as the load benchmark's users make it (no scripts), in
    their order: its GETs, its callbacks, then what they lead to."""
    for path in step["get"]:
        _get(client, host + path)
    for body in step["post"]:
        _post(client, host, body)
    for path in step.get("then_get", []):
        _get(client, host + path)


def _interactions(
    client: requests.Session,
    host: str,
    payloads: dict[str, Any],
    worker: psutil.Process,
    repeats: int,
) -> dict[str, float]:
    """CPU ms of the worker per interaction (mean of ``repeats``), after one
    untimed round that fills the cache."""
    for name in INTERACTIONS:
        _interact(client, host, payloads[name])
    spent: dict[str, float] = {}
    for name in INTERACTIONS:
        before = _cpu(worker)
        for _ in range(repeats):
            _interact(client, host, payloads[name])
        spent[name] = round((_cpu(worker) - before) / repeats * 1000, 1)
    return spent


def measure(
    env: dict[str, str],
    port: int,
    payloads: dict[str, Any],
    users: tuple[str, ...],
    password: str,
    visits: int,
) -> list[Cost]:
    """Each way in turn on its own gunicorn (one worker): ``visits`` sign-ins and
    first visits, each by a new client (a new browser), accounts taken in turn."""
    costs = []
    for way, setting in WAYS.items():
        web = server.Gunicorn(
            {**env, "WEB_CONCURRENCY": "1", "STATIC_DIR": setting}, port
        )
        web.start()
        try:
            worker = web.processes()[1]
            host = web.url
            # one untimed visit: the worker's first requests set Dash up
            warmup = requests.Session()
            _sign_in(warmup, host, users[0], password)
            _visit(warmup, host, payloads["first visit"], worker)
            signs, whole, static = [], [], []
            size = count = 0
            for n in range(visits):
                client = requests.Session()
                before = _cpu(worker)
                _sign_in(client, host, users[n % len(users)], password)
                middle = _cpu(worker)
                part, size, count = _visit(
                    client, host, payloads["first visit"], worker
                )
                signs.append(middle - before)
                whole.append(_cpu(worker) - middle)
                static.append(part)
            clicks = (
                _interactions(client, host, payloads, worker, visits)
                if way == "prepared"
                else {}
            )
            costs.append(
                Cost(
                    way,
                    visits,
                    # means: the CPU clock ticks in hundredths of a second
                    round(statistics.fmean(signs) * 1000, 1),
                    round(statistics.fmean(whole) * 1000, 1),
                    round(statistics.fmean(static) * 1000, 1),
                    size,
                    count,
                    clicks,
                )
            )
        finally:
            web.stop()
    return costs


def table(costs: list[Cost]) -> str:
    head = (
        "way              visits  sign-in CPU ms  first visit CPU ms  "
        "of which static  requests  bytes"
    )
    rows = [
        f"{c.way:<16} {c.visits:>6}  {c.sign_in_ms:>14.1f}  {c.visit_ms:>18.1f}  "
        f"{c.static_ms:>15.1f}  {c.requests:>8}  {c.visit_bytes:>9,}"
        for c in costs
    ]
    if len(costs) == 2 and costs[0].visit_ms:
        ratio = costs[1].visit_ms / costs[0].visit_ms
        rows.append(f"first visit CPU, through the app / prepared: {ratio:.2f}x")
    for c in costs:
        if c.interaction_ms:
            each = ", ".join(f"{k} {v:.1f}" for k, v in c.interaction_ms.items())
            rows.append(f"CPU ms per interaction, cache warm ({c.way}): {each}")
    return "\n".join([head, *rows])
