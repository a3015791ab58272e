"""Signing in and out in headless Chromium, as each role."""

from __future__ import annotations

import pytest

from layouts import ids
from tests.conftest import TEST_PASSWORD, TEST_USERS, sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def duo(dash_duo, seeded_sqlite, make_app):  # type: ignore[no-untyped-def]
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    return dash_duo


def test_auth001_wrong_password_then_sign_in_and_out(duo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = duo.server.url
    duo.driver.get(base + "/?unit=633")  # a bookmark: sign in first, then there
    duo.wait_for_element("#username", timeout=20).send_keys("t_admin")
    duo.find_element("#password").send_keys("not-the-password")
    duo.driver.save_screenshot(str(tmp_path / "login.png"))
    duo.find_element("#login-submit").click()
    duo.wait_for_contains_text(".alert-danger", "không đúng", timeout=20)
    assert "t_admin" not in duo.find_element(".alert-danger").text
    duo.find_element("#password").send_keys(TEST_PASSWORD)
    duo.find_element("#login-submit").click()
    duo.wait_for_contains_text("nav", "t_admin (Quản trị)", timeout=30)
    assert "unit=633" in duo.driver.current_url
    duo.wait_for_contains_text(f"#{ids.BREADCRUMB}", "Huyện Chư Sê", timeout=30)
    duo.find_element(f"#{ids.LOGOUT}").click()
    duo.wait_for_element("#login-submit", timeout=20)
    duo.driver.get(base + "/")
    duo.wait_for_element("#login-submit", timeout=20)  # signed out for good


@pytest.mark.parametrize("role", list(TEST_USERS))
def test_auth002_every_role_signs_in_and_sees_the_map(duo, role) -> None:  # type: ignore[no-untyped-def]
    sign_in_browser(duo, role)
    duo.wait_for_contains_text("nav", TEST_USERS[role][0], timeout=30)
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    assert duo.get_logs() == []
