"""Sign-in under load: the lockout holds under concurrent attempts, per-address
limits answer before any database work, a flood of failed sign-ins does not starve
a signed-in user, an exhausted pool answers 503; CSRF and security headers."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import event, select

from callbacks.context import engine as app_engine
from data import users
from data.db import make_engine, transaction
from data.models import AuditLog
from tests.conftest import CSRF_FIELD, TEST_PASSWORD, sign_in
from tests.test_app import callback_payload

PASSWORD = "giới-hạn-đăng-nhập-2026"
WRONG = "not-the-password-123"


@pytest.fixture
def account(seeded) -> str:
    """A fresh account of its own (the seeded database is shared)."""
    name = f"l_{uuid.uuid4().hex[:10]}"
    engine = make_engine(seeded["DATABASE_URL"])
    with transaction(engine) as s:
        users.create_user(s, username=name, password=PASSWORD, role="viewer")
    engine.dispose()
    return name


def client_from(app, address: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_login(client, username: str, password: str) -> int:
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "username": username, "password": password}
    return client.post("/login", data=form).status_code


def at_once(jobs: list[Callable[[], int]]) -> list[int]:
    """Run the jobs in threads released together; their results in order."""
    results: list[int] = [0] * len(jobs)
    gate = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        gate.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def reasons(url: str, username: str) -> Counter:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.action, AuditLog.detail).where(
                AuditLog.username == username
            )
        ).all()
    engine.dispose()
    return Counter(f"{action} {detail}" for action, detail in rows)


def test_concurrent_wrong_passwords_are_counted_at_most_to_the_limit(
    seeded, make_app, account
) -> None:
    app = make_app(seeded)
    clients = [client_from(app, f"10.0.0.{i}") for i in range(12)]
    for client in clients:  # each has its login page (and CSRF token) first
        client.get("/login")
    codes = at_once([lambda c=c: post_login(c, account, WRONG) for c in clients])
    assert codes == [401] * 12
    seen = reasons(seeded["DATABASE_URL"], account)
    print(f"\n12 concurrent wrong passwords: {dict(seen)}")
    checked = sum(n for what, n in seen.items() if "wrong password" in what)
    assert checked == users.MAX_FAILURES  # the rest were refused unchecked
    assert seen['lockout {"reason":"wrong password"}'] == 1
    assert seen['login_failed {"reason":"locked"}'] == 12 - users.MAX_FAILURES
    # locked: the right password is refused too
    assert post_login(client_from(app, "10.0.1.1"), account, PASSWORD) == 401


def test_concurrent_attempts_from_one_address_stop_at_its_limit(
    seeded, make_app
) -> None:
    app = make_app(seeded, LOGIN_ADDRESS_LIMIT=3)
    clients = [client_from(app, "10.0.2.1") for _ in range(10)]
    tokens = [
        CSRF_FIELD.search(c.get("/login").get_data(as_text=True)).group(1)
        for c in clients
    ]
    codes = at_once(
        [
            lambda c=c, t=t: (
                c.post(
                    "/login",
                    data={"csrf_token": t, "username": "nobody_x", "password": WRONG},
                ).status_code
            )
            for c, t in zip(clients, tokens, strict=True)
        ]
    )
    assert sorted(codes) == [401] * 3 + [429] * 7
    # another address is not affected
    assert post_login(client_from(app, "10.0.2.2"), "nobody_x", WRONG) == 401


def test_the_address_limit_answers_429_before_touching_the_database(
    seeded, make_app
) -> None:
    app = make_app(seeded, LOGIN_ADDRESS_LIMIT=2)
    client = client_from(app, "10.0.3.1")
    assert post_login(client, "nobody_q", WRONG) == 401
    assert post_login(client, "nobody_q", WRONG) == 401
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    touched: list[str] = []
    engine = app_engine(app.server)

    def checkout(*_args: object) -> None:
        touched.append("connection")

    event.listen(engine.pool, "checkout", checkout)
    try:
        refused = client.post(
            "/login",
            data={"csrf_token": token, "username": "nobody_q", "password": WRONG},
        )
    finally:
        event.remove(engine.pool, "checkout", checkout)
    assert refused.status_code == 429
    assert "15 phút" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert touched == []


def test_a_flood_of_failed_sign_ins_does_not_starve_a_signed_in_user(
    seeded, make_app, account
) -> None:
    app = make_app(seeded)
    admin = app.server.test_client()
    assert sign_in(admin, "admin").status_code == 302
    payload = callback_payload("theme.value")
    assert admin.post("/_dash-update-component", json=payload).status_code == 200
    started = time.perf_counter()  # warm, without the flood
    assert admin.post("/_dash-update-component", json=payload).status_code == 200
    quiet = time.perf_counter() - started
    names = [account, "nobody_a"]  # an account of its own: the database is shared
    flood = [client_from(app, f"10.1.{i // 200}.{i % 200}") for i in range(40)]
    for client in flood:
        client.get("/login")
    timed: dict[str, float | int] = {}

    def map_callback() -> int:
        time.sleep(0.05)  # while the flood is under way
        started = time.perf_counter()
        status = admin.post("/_dash-update-component", json=payload).status_code
        timed["seconds"], timed["status"] = time.perf_counter() - started, status
        return status

    jobs = [
        lambda c=c, i=i: post_login(c, names[i % len(names)], WRONG)
        for i, c in enumerate(flood)
    ]
    started = time.perf_counter()
    codes = at_once([*jobs, map_callback])
    flood_seconds = time.perf_counter() - started
    print(
        f"\n40 concurrent failed sign-ins: {dict(Counter(codes[:-1]))} in "
        f"{flood_seconds:.2f} s; the signed-in map callback took "
        f"{timed['seconds']:.2f} s ({quiet:.2f} s without the flood)"
    )
    assert timed["status"] == 200
    assert set(codes[:-1]) <= {401, 429, 503}
    assert 500 not in codes


def test_an_exhausted_pool_answers_503_at_once(seeded, make_app) -> None:
    app = make_app(seeded, DB_POOL_TIMEOUT=1)
    client = app.server.test_client()
    assert sign_in(client, "viewer").status_code == 302
    engine = app_engine(app.server)
    held = [engine.connect() for _ in range(engine.pool.size() + 10)]  # + overflow
    try:
        started = time.perf_counter()
        page = client.get("/")
        callback = client.post(
            "/_dash-update-component", json=callback_payload("theme.value")
        )
        seconds = time.perf_counter() - started
    finally:
        for conn in held:
            conn.close()
    print(f"\ntwo requests on an exhausted pool answered in {seconds:.2f} s")
    assert page.status_code == callback.status_code == 503
    assert "Máy chủ đang bận" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == callback.headers["Retry-After"]
    assert client.get("/").status_code == 200  # and fine again afterwards


def test_a_login_form_without_its_csrf_token_is_refused(
    seeded_sqlite, make_app
) -> None:
    client = make_app(seeded_sqlite).server.test_client()
    client.get("/login")
    form = {"username": "t_admin", "password": TEST_PASSWORD}
    refused = client.post("/login", data=form)
    assert refused.status_code == 400
    assert "Vui lòng thử lại" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_security_headers(seeded_sqlite, make_app) -> None:
    app = make_app(seeded_sqlite)
    client = app.server.test_client()
    for response in (client.get("/login"), client.get("/healthz")):
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "worker-src 'self' blob:" in policy
        assert "http" not in policy  # nothing from another site
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP by default
    for digest in app.csp_hashes():  # Dash's inline scripts, by their hashes
        assert digest in policy
    script_src = policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    signed = sign_in(client, "viewer")  # no HTTPS redirect; cookie not Secure
    assert signed.status_code == 302 and signed.headers["Location"] == "/"
    cookie = next(
        c for c in signed.headers.getlist("Set-Cookie") if c.startswith("session=")
    )
    assert "Secure" not in cookie


def test_force_https_redirects_and_sends_hsts(seeded_sqlite, make_app) -> None:
    client = make_app(seeded_sqlite, FORCE_HTTPS=True).server.test_client()
    plain = client.get("/login")
    assert plain.status_code in (301, 302)
    assert plain.headers["Location"].startswith("https://")
    secure = client.get("/login", base_url="https://localhost")
    assert secure.status_code == 200
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_address_limits_are_shared_by_workers_through_redis(
    seeded_sqlite, make_app, redis_url
) -> None:
    workers = [
        make_app(seeded_sqlite, CACHE_REDIS_URL=redis_url, LOGIN_ADDRESS_LIMIT=2)
        for _ in range(2)
    ]
    address = f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    first, second = (client_from(w, address) for w in workers)
    assert post_login(first, "nobody_r", WRONG) == 401
    assert post_login(second, "nobody_r", WRONG) == 401
    assert post_login(first, "nobody_r", WRONG) == 429  # counted across both
    assert post_login(second, "nobody_r", WRONG) == 429


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(
    seeded_sqlite, make_app
) -> None:
    app = make_app(seeded_sqlite, LOGIN_ADDRESS_LIMIT=1, PROXY_HOPS=1)
    proxy = client_from(app, "10.0.5.1")  # every request comes through it

    def attempt(client_address: str) -> int:
        proxy.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
        return post_login(proxy, "nobody_p", WRONG)

    assert attempt("203.0.113.7") == 401
    assert attempt("203.0.113.7") == 429
    assert attempt("203.0.113.8") == 401  # another client behind the same proxy
