"""The administration page: users and the audit log for admins, nothing for others."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from tests.conftest import TEST_USERS, sign_in


def _page(app, role: str, **query: str) -> str:
    """The admin page as ``role`` sees it (rendered as Dash renders a page)."""
    from flask_login import login_user

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import admin_view
    from data import users

    with app.server.test_request_context("/admin"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        return json.dumps(
            admin_view(**query), cls=PlotlyJSONEncoder, ensure_ascii=False
        )


@pytest.fixture
def app(seeded_sqlite, make_app):
    application = make_app(seeded_sqlite)
    client = application.server.test_client()
    sign_in(client, "viewer")  # leaves a login_ok row
    return application


def test_admins_see_users_and_the_audit_log(app) -> None:
    page = _page(app, "admin")
    for name, _unit in TEST_USERS.values():
        assert name in page
    assert "Nhật ký hoạt động" in page and "login_ok" in page
    assert "legacy 633" in page  # the district user's unit
    assert "scrypt$" not in page  # never a password hash
    only = _page(app, "admin", action="login_ok")
    assert "user_created" not in only.split("admin-audit")[-1]


@pytest.mark.parametrize("role", ["province", "district", "commune", "viewer"])
def test_everyone_else_is_refused(app, role) -> None:
    page = _page(app, role)
    assert "Chỉ tài khoản quản trị" in page
    assert "t_admin" not in page and "login_ok" not in page


def test_the_admin_link_only_for_admins(app) -> None:
    from flask_login import login_user

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import map_view
    from data import users

    for role, expected in (("admin", True), ("province", False)):
        with app.server.test_request_context("/"):
            account = users.get_account(get_conn(), username=TEST_USERS[role][0])
            login_user(SignedIn(account))
            page = json.dumps(map_view(), cls=PlotlyJSONEncoder)
        assert ('"admin-link"' in page) is expected
