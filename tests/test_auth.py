"""Sign-in: the login page, lockout, CSRF, session cookie and expiry, the secret
key in production, and the audit rows each step writes."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select, update

from dashboard.settings import ConfigError
from data.db import make_engine, transaction
from data.models import AuditLog, Base, User
from tests.conftest import CSRF_FIELD, TEST_PASSWORD, TEST_USERS, sign_in

FAILED = "Tên đăng nhập hoặc mật khẩu không đúng"


@pytest.fixture
def app(seeded_sqlite, make_app):
    application = make_app(seeded_sqlite)
    yield application
    _reset(seeded_sqlite["DATABASE_URL"])


def _reset(url: str) -> None:
    """Unlock the shared test users again (the seeded database is shared)."""
    engine = make_engine(url)
    with transaction(engine) as s:
        s.execute(
            update(User)
            .where(User.username.like("t\\_%", escape="\\"))
            .values(failed_logins=0, locked_until=None, active=True)
        )
    engine.dispose()


@pytest.fixture
def client(app):
    return app.server.test_client()


def _last_audit_id(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        last = conn.execute(select(func.max(AuditLog.id))).scalar()
    engine.dispose()
    return int(last or 0)


def _audit(url: str, after: int) -> list[tuple[str, str | None, str | None]]:
    """Audit rows written after row ``after``: (action, username, detail)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.action, AuditLog.username, AuditLog.detail)
            .where(AuditLog.id > after)
            .order_by(AuditLog.id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def form_token(client) -> str:
    """The CSRF token the map page's sign-out form carries: flask-wtf's signed form
    of the session's token (made here when the session has none yet)."""
    with client.session_transaction() as sess:
        raw = sess.setdefault("csrf_token", secrets.token_hex(20))
    signer = URLSafeTimedSerializer(client.application.secret_key, "wtf-csrf-token")
    return signer.dumps(raw)


def _post_login(client, username: str, password: str, **extra: str):
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    data = {"csrf_token": token, "username": username, "password": password, **extra}
    return client.post("/login", data=data)


def test_anonymous_requests_get_the_login_page_or_401(client) -> None:
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].endswith("/login")
    deep = client.get("/?unit=633&theme=fund")
    assert deep.status_code == 302 and "next=" in deep.headers["Location"]
    login = client.get("/login")
    html = login.get_data(as_text=True)
    assert login.status_code == 200 and 'lang="vi"' in html
    for label in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Ghi nhớ đăng nhập"):
        assert label in html
    assert 'name="remember">' in html and "checked" not in html  # off by default
    assert "/assets/bootstrap.min.css" in html and "cdn" not in html.lower()
    for path in (
        "/_dash-layout",
        "/_dash-dependencies",
        "/geo/legacy/district/64.json",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert b"Gia Lai" not in response.data
    posted = client.post("/_dash-update-component", json={"output": "x"})
    assert posted.status_code == 401
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_sign_in_sets_a_safe_cookie_and_opens_the_map(client) -> None:
    response = sign_in(client, "province")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Expires=" in session_cookie  # ends with SESSION_HOURS of inactivity
    assert not any(c.startswith("remember_token=") for c in cookies)
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_remember_me_only_when_ticked(client) -> None:
    response = _post_login(client, "t_viewer", TEST_PASSWORD, remember="on")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember


def test_secure_cookie_when_configured(seeded_sqlite, make_app) -> None:
    client = make_app(seeded_sqlite, SESSION_COOKIE_SECURE=True).server.test_client()
    response = sign_in(client)
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")
    )
    assert "Secure" in cookie


def test_one_message_for_every_failure(client, app) -> None:
    wrong = _post_login(client, "t_district", "not-the-password-at-all")
    unknown = _post_login(client, "nobody_here", TEST_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401

    def alert(response) -> str:
        html = response.get_data(as_text=True)
        return re.search(r'role="alert">(.*?)</div>', html, re.S).group(1).strip()

    assert alert(wrong) == alert(unknown) and FAILED in alert(wrong)


def test_lockout_after_five_failures_for_fifteen_minutes(client, seeded_sqlite) -> None:
    url = seeded_sqlite["DATABASE_URL"]
    started = _last_audit_id(url)
    for _ in range(5):
        assert _post_login(client, "t_commune", "wrong-password-123").status_code == 401
    # locked: even the right password is refused, with the same message
    refused = _post_login(client, "t_commune", TEST_PASSWORD)
    assert refused.status_code == 401 and FAILED in refused.get_data(as_text=True)
    actions = [a for a, _u, _d in _audit(url, started)]
    assert actions.count("login_failed") == 5 and actions.count("lockout") == 1
    engine = make_engine(url)
    with transaction(engine) as s:  # 15 minutes later
        s.execute(
            update(User)
            .where(User.username == "t_commune")
            .values(locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    engine.dispose()
    assert _post_login(client, "t_commune", TEST_PASSWORD).status_code == 302


def test_csrf_is_required(client) -> None:
    no_token = client.post(
        "/login", data={"username": "t_admin", "password": TEST_PASSWORD}
    )
    assert no_token.status_code == 400
    client.get("/login")
    forged = client.post(
        "/login",
        data={"csrf_token": "x" * 43, "username": "t_admin", "password": TEST_PASSWORD},
    )
    assert forged.status_code == 400
    assert sign_in(client).status_code == 302
    assert client.post("/logout", data={}).status_code == 400  # still signed in
    assert client.get("/").status_code == 200
    # Dash's own POSTs: JSON from this origin only
    form_post = client.post("/_dash-update-component", data={"output": "map.figure"})
    assert form_post.status_code == 403
    foreign = client.post(
        "/_dash-update-component",
        json={"output": "map.figure"},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403


def test_logout_ends_the_session(client, seeded_sqlite) -> None:
    started = _last_audit_id(seeded_sqlite["DATABASE_URL"])
    sign_in(client, "viewer")
    out = client.post("/logout", data={"csrf_token": form_token(client)})
    assert out.status_code == 302 and out.headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302
    actions = [a for a, u, _d in _audit(seeded_sqlite["DATABASE_URL"], started)]
    assert actions == ["login_ok", "logout"]


def test_session_ends_twelve_hours_after_sign_in(client, seeded_sqlite) -> None:
    sign_in(client, "viewer")
    assert client.get("/").status_code == 200
    with client.session_transaction() as sess:
        sess["signed_in_at"] = time.time() - 13 * 3600
    started = _last_audit_id(seeded_sqlite["DATABASE_URL"])
    assert client.get("/").status_code == 302
    actions = [a for a, _u, _d in _audit(seeded_sqlite["DATABASE_URL"], started)]
    assert actions == ["session_expired"]


def test_next_only_goes_to_this_site(client) -> None:
    for target, expected in [
        ("/?unit=633", "/?unit=633"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ]:
        client.get("/logout")  # no effect (GET); start from a fresh client below
        fresh = client.application.test_client()
        response = _post_login(fresh, "t_admin", TEST_PASSWORD, next=target)
        assert response.headers["Location"] == expected, target


def test_inactive_accounts_cannot_sign_in(client, seeded_sqlite) -> None:
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    with transaction(engine) as s:
        s.execute(update(User).where(User.username == "t_viewer").values(active=False))
    engine.dispose()
    assert sign_in(client, "viewer").status_code == 401


def test_a_client_address_is_refused_after_too_many_failures(
    seeded_sqlite, make_app
) -> None:
    client = make_app(seeded_sqlite, LOGIN_ADDRESS_LIMIT=3).server.test_client()
    for name in ("t_admin", "t_viewer", "nobody"):  # across accounts
        assert _post_login(client, name, "wrong-password-123").status_code == 401
    refused = _post_login(client, "t_province", TEST_PASSWORD)
    assert refused.status_code == 429
    assert "15 phút" in refused.get_data(as_text=True)


def test_no_password_in_any_table(seeded_sqlite, client) -> None:
    # a password typed into the username box is not kept either
    _post_login(client, TEST_PASSWORD, "whatever-else-123")
    sign_in(client, "admin")
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                assert TEST_PASSWORD not in repr(tuple(row)), table.name
        hashes = conn.execute(select(User.password_hash)).scalars().all()
    engine.dispose()
    assert len(hashes) >= len(TEST_USERS) and all(
        h.startswith("scrypt$") for h in hashes
    )


@pytest.mark.parametrize("key", ["", "changeme", "short-key", "x" * 31])
def test_production_refuses_a_weak_or_missing_secret(key, seeded_sqlite) -> None:
    from dashboard import create_app

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**seeded_sqlite, "PRODUCTION": True, "SECRET_KEY": key})


def test_production_starts_with_a_real_secret(seeded_sqlite) -> None:
    from dashboard import create_app

    app = create_app({**seeded_sqlite, "PRODUCTION": True, "SECRET_KEY": "k" * 64})
    assert app.server.secret_key == "k" * 64
