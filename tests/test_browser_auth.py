"""Signing in and out in headless Chromium, as each role."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from layouts import ids
from tests.conftest import TEST_PASSWORD, TEST_USERS, sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def duo(dash_duo, seeded_sqlite, make_app):
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    return dash_duo


def test_auth001_wrong_password_then_sign_in_and_out(duo, tmp_path) -> None:
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
def test_auth002_every_role_signs_in_and_sees_the_map(duo, role) -> None:
    sign_in_browser(duo, role)
    duo.wait_for_contains_text("nav", TEST_USERS[role][0], timeout=30)
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    assert duo.get_logs() == []


def test_auth003_what_each_role_sees(duo, tmp_path) -> None:
    """A district user: small abuse counts hidden in their district, no figures
    and no details for another district's communes; the province user: exact."""
    sign_in_browser(duo, "district")
    base = duo.server.url
    duo.driver.get(
        base + "/?unit=633&period=2024&theme=incidents&cat=abuse&measure=count"
    )
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "<5 (ẩn)", timeout=30)
    notes = duo.find_element(f"#{ids.REFORM_NOTES}").text
    assert "Tài khoản cấp huyện" in notes
    duo.find_element(f"#{ids.MAP}").screenshot(str(tmp_path / "district_abuse.png"))
    duo.driver.get(base + "/?unit=622&sel=23557&period=2024")  # Pleiku: not theirs
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "không được xem", timeout=30)
    assert "Trẻ em dưới 16 tuổi" not in duo.find_element(f"#{ids.DETAIL}").text
    duo.driver.get(base + "/?unit=633&sel=23941&period=2024")  # theirs
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "Trẻ em dưới 16 tuổi", timeout=30)
    assert duo.get_logs() == []


def test_auth004_the_province_sees_exact_figures(duo) -> None:
    sign_in_browser(duo, "province")
    duo.driver.get(
        duo.server.url
        + "/?unit=633&period=2024&theme=incidents&cat=abuse&measure=count"
    )
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Năm 2024", timeout=30)
    assert "<5" not in duo.find_element(f"#{ids.MAP_LEGEND}").text
    assert "Tài khoản" not in duo.find_element(f"#{ids.REFORM_NOTES}").text
    duo.driver.get(duo.server.url + "/?unit=622&sel=23557&period=2024")
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "Trẻ em dưới 16 tuổi", timeout=30)


def test_auth005_a_viewer_sees_aggregates_only(duo) -> None:
    sign_in_browser(duo, "viewer")
    duo.driver.get(duo.server.url + "/?unit=633&sel=23941&period=2024")
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "không được xem", timeout=30)
    assert "phòng họp" in duo.find_element(f"#{ids.REFORM_NOTES}").text


def test_auth006_ranking_for_a_district_user(duo, tmp_path) -> None:
    sign_in_browser(duo, "district")
    duo.find_element(f"#{ids.RANK_LINK}").click()
    duo.driver.get(duo.server.url + "/ranking?period=2024")
    duo.wait_for_contains_text(
        f"#{ids.RANK_GAPS}", "Điều gì thay đổi thứ hạng của Huyện Chư Sê", timeout=30
    )
    rows = duo.find_elements(f"#{ids.RANK_TABLE} tbody tr")
    assert len(rows) == 17
    own = duo.find_elements(f"#{ids.RANK_TABLE} tr.table-primary")
    assert len(own) == 1 and "Huyện Chư Sê" in own[0].text
    before = duo.find_element(f"#{ids.RANK_TABLE}").text
    weight = duo.find_element('input[id*="fund"]')
    weight.clear()
    weight.send_keys("5")
    WebDriverWait(duo.driver, 20).until(
        lambda _d: duo.find_element(f"#{ids.RANK_TABLE}").text != before
    )
    duo.driver.save_screenshot(str(tmp_path / "ranking.png"))
    assert duo.get_logs() == []
