"""The ranking's period control across 1 July 2025 and back, in headless Chromium
as a district user: the province stays the same province on each tree (never
old Bình Định, which shares code 52 with the new Gia Lai) and the user's own row
and "what moves your rank" stay."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import Select

from layouts import ids
from tests.conftest import sign_in_browser

pytestmark = pytest.mark.browser

ROWS = f"return document.querySelectorAll('#{ids.RANK_TABLE} tbody tr').length;"
OWN = f"return document.querySelectorAll('#{ids.RANK_TABLE} tr.table-primary').length;"


def _settled(duo, period: str, rows: int) -> None:
    Select(duo.find_element(f"#{ids.RANK_PERIOD}")).select_by_value(period)
    end = time.monotonic() + 40
    while duo.driver.execute_script(ROWS) != rows:
        assert time.monotonic() < end, (period, duo.driver.execute_script(ROWS))
        time.sleep(0.3)


def test_ranking001_period_across_the_reform_and_back(
    dash_duo, seeded_sqlite, make_app
) -> None:
    duo = dash_duo
    duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(duo, "district")
    duo.driver.get(duo.server.url + "/ranking?period=2024")
    duo.wait_for_element(f"#{ids.RANK_TABLE} tbody tr", timeout=40)
    # 2024: old Gia Lai's 17 districts; 2026: the new Gia Lai's 29 groups; back
    for period, rows in (("2024", 17), ("2026", 29), ("2024", 17)):
        _settled(duo, period, rows)
        duo.wait_for_contains_text(
            f"#{ids.RANK_TITLE}", "Xếp hạng: Tỉnh Gia Lai", timeout=20
        )
        assert duo.driver.execute_script(OWN) == 1, period  # the user's own row
        assert "Huyện Chư Sê" in duo.find_element(f"#{ids.RANK_GAPS}").text
    assert [e for e in duo.get_logs() if e["level"] == "SEVERE"] == []
