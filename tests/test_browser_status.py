"""The reporting status in headless Chromium: the banner over the map says when
the figures were last written and how many reports are missing or awaiting
sign-off, and its link opens the countdown on the reports page."""

from __future__ import annotations

import pytest

from layouts import ids
from tests.conftest import click_when_clear, sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def duo(dash_duo, seeded_sqlite, make_app):
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(dash_duo, "district")
    return dash_duo


def test_status001_the_banner_on_the_map_links_to_the_countdown(duo, tmp_path):
    banner = f"#{ids.FRESHNESS} .freshness-banner"
    duo.wait_for_contains_text(banner, "Số liệu cập nhật lần cuối", timeout=30)
    text = duo.find_element(banner).text
    assert "(giờ Việt Nam)" in text
    assert "chưa nộp, đã quá hạn" in text and "chờ phê duyệt" in text
    duo.driver.save_screenshot(str(tmp_path / "map_banner.png"))
    link = duo.find_element(f"{banner} a")
    assert "/reports?year=" in link.get_attribute("href")
    click_when_clear(duo, link)
    duo.wait_for_contains_text(f"#{ids.COUNTDOWN}", "Đơn vị chưa nộp báo cáo", 30)
    download = duo.find_element(f"#{ids.COUNTDOWN_XLSX}")
    assert "/reports/countdown.xlsx?year=" in download.get_attribute("href")
    assert download.text == "Tải Excel"
