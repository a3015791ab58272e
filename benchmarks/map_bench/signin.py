"""The benchmark's own account: the app answers callbacks only to a signed-in
user, so each run makes sure an ``admin`` account exists in the benchmark
database with a password of this run, and signs the test client in through the
login form, as a browser does."""

from __future__ import annotations

import re
import secrets

from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy import Engine

from data import users
from data.db import transaction

USERNAME = "bench-admin"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def ensure_admin(engine: Engine, names: tuple[str, ...] = (USERNAME,)) -> str:
    """Create the benchmark's admin accounts ``names``, or give them a new
    password; the password of this run (the same for all)."""
    password = secrets.token_urlsafe(18)
    with transaction(engine) as session:
        for name in names:
            if users.get_account(session, username=name) is None:
                users.create_user(
                    session, username=name, password=password, role="admin"
                )
            else:
                users.set_password(session, name, password)
    return password


def signed_client(app: Dash, password: str) -> FlaskClient:
    """A test client of ``app`` signed in as the benchmark's admin."""
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    found = _CSRF.search(page)
    if found is None:
        raise RuntimeError("the login page has no CSRF token")
    answer = client.post(
        "/login",
        data={"csrf_token": found.group(1), "username": USERNAME, "password": password},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in refused: HTTP {answer.status_code}")
    return client
