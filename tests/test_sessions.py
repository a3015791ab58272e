"""Sessions that end: signing out, a new password and deactivation end every
earlier session cookie and "remember me" cookie of the account; a sign-in restored
from the remember cookie is audited.  On both backends."""

from __future__ import annotations

import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from dashboard.cli import main
from data import users
from data.db import make_engine, transaction
from data.models import AuditLog
from tests.conftest import CSRF_FIELD
from tests.test_auth import form_token

PASSWORD = "phiên-đăng-nhập-2026"


@pytest.fixture
def app(seeded, make_app):
    return make_app(seeded)


@pytest.fixture
def account(seeded) -> str:
    """A fresh viewer account of its own (the seeded database is shared)."""
    name = f"s_{uuid.uuid4().hex[:10]}"
    engine = make_engine(seeded["DATABASE_URL"])
    with transaction(engine) as s:
        users.create_user(s, username=name, password=PASSWORD, role="viewer")
    engine.dispose()
    return name


def sign_in(client, username: str, password: str = PASSWORD, remember: bool = True):
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "username": username, "password": password}
    if remember:
        form["remember"] = "on"
    return client.post("/login", data=form)


def cookies(client) -> dict[str, str]:
    """The session and remember cookies the client holds now."""
    names = ("session", "remember_token")
    return {n: c.value for n in names if (c := client.get_cookie(n)) is not None}


def replay(app, **stolen: str):
    """A new browser presenting only the given cookies."""
    thief = app.server.test_client()
    for name, value in stolen.items():
        thief.set_cookie(name, value)
    return thief


def signed_in(client) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def cli(seeded, *args: str, password: str | None = None):
    env = {
        "DATABASE_URL": seeded["DATABASE_URL"],
        "INSTANCE_PATH": seeded["INSTANCE_PATH"],
    }
    if password is not None:
        env["NEW_PASSWORD"] = password
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def actions_of(url: str, username: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            select(AuditLog.action)
            .where(AuditLog.username == username)
            .order_by(AuditLog.id)
        ).scalars()
        result = list(found)
    engine.dispose()
    return result


def test_sign_out_with_remember_me_signs_out(app, account) -> None:
    client = app.server.test_client()
    assert sign_in(client, account).status_code == 302
    before = cookies(client)
    assert set(before) == {"session", "remember_token"}
    out = client.post("/logout", data={"csrf_token": form_token(client)})
    assert out.status_code == 302
    assert client.get_cookie("remember_token") is None  # deleted by the answer
    assert not signed_in(client)
    # the cookies captured before signing out no longer work, together or alone
    assert not signed_in(replay(app, **before))
    assert not signed_in(replay(app, session=before["session"]))
    assert not signed_in(replay(app, remember_token=before["remember_token"]))


def test_signing_out_ends_the_account_s_other_sessions(app, account) -> None:
    office, home = app.server.test_client(), app.server.test_client()
    assert sign_in(office, account).status_code == 302
    assert sign_in(home, account, remember=False).status_code == 302
    assert signed_in(home)
    office.post("/logout", data={"csrf_token": form_token(office)})
    assert not signed_in(home)


def test_a_new_password_from_the_command_line_ends_earlier_sessions(
    app, account, seeded
) -> None:
    client = app.server.test_client()
    assert sign_in(client, account).status_code == 302
    stolen = cookies(client)
    assert signed_in(replay(app, **stolen))  # the stolen cookies work until then
    new_password = "một-mật-khẩu-mới-2026"
    cli(seeded, "set-password", account, password=new_password)
    assert not signed_in(client)
    assert not signed_in(replay(app, session=stolen["session"]))
    assert not signed_in(replay(app, remember_token=stolen["remember_token"]))
    fresh = app.server.test_client()
    assert sign_in(fresh, account, PASSWORD).status_code == 401
    assert sign_in(fresh, account, new_password).status_code == 302
    assert signed_in(fresh)


def test_deactivation_ends_sessions(app, account, seeded) -> None:
    client = app.server.test_client()
    assert sign_in(client, account).status_code == 302
    stolen = cookies(client)
    cli(seeded, "deactivate-user", account)
    assert not signed_in(client)
    assert not signed_in(replay(app, remember_token=stolen["remember_token"]))


def test_a_sign_in_restored_from_remember_me_is_audited(app, account, seeded) -> None:
    client = app.server.test_client()
    assert sign_in(client, account).status_code == 302
    # the browser was closed: only the remember cookie is left
    later = replay(app, remember_token=cookies(client)["remember_token"])
    assert signed_in(later)
    assert signed_in(later)  # one restore, then an ordinary session
    url = seeded["DATABASE_URL"]
    assert actions_of(url, account) == ["login_ok", "login_remembered"]
    # a cookie of an ended generation restores nothing and is not audited as one
    later.post("/logout", data={"csrf_token": form_token(later)})
    assert not signed_in(replay(app, remember_token=cookies(client)["remember_token"]))
    assert actions_of(url, account) == ["login_ok", "login_remembered", "logout"]


def test_session_ids_carry_the_generation(app, account, seeded) -> None:
    client = app.server.test_client()
    sign_in(client, account, remember=False)
    with client.session_transaction() as sess:
        user_id, generation = sess["_user_id"].split(":")
    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as conn:
        found = users.get_account(conn, username=account)
    engine.dispose()
    assert (int(user_id), int(generation)) == (found.id, found.session_generation)
    with client.session_transaction() as sess:  # a cookie without a generation
        sess["_user_id"] = user_id
    assert not signed_in(client)
