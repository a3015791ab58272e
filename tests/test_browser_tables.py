"""The tables page in headless Chromium: filter a table, export it, open the file."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import openpyxl
import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from layouts import ids
from tests.conftest import sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def duo(dash_duo, seeded_sqlite, make_app):
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    return dash_duo


def _downloaded(folder: Path, suffix: str, timeout: float = 60) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded into {folder}")


def _count(duo) -> int:
    text = duo.find_element(f"#{ids.TABLE_COUNT}").text
    return int(text.split(" ")[0].replace(".", ""))


def _settled_count(duo, timeout: float = 30) -> int:
    """The row count once it has stopped changing for a second: a choice of
    table and a period are two answers, and the count of the first can show
    while the second is on its way."""
    end = time.monotonic() + timeout
    seen = [_count(duo)]
    while time.monotonic() < end:
        time.sleep(0.25)
        seen.append(_count(duo))
        if len(seen) >= 5 and len(set(seen[-5:])) == 1:
            return seen[-1]
    raise AssertionError(f"the row count kept changing: {seen[-10:]}")


def test_tables001_filter_export_and_open(duo, tmp_path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(downloads)},
    )
    sign_in_browser(duo, "province")
    duo.find_element(f"#{ids.TABLES_LINK}").click()
    duo.wait_for_element(f"#{ids.TABLE_GRID} .ag-row", timeout=30)
    # the report table for 2024, late reports only
    Select(duo.find_element(f"#{ids.TABLE_PERIOD}")).select_by_value("2024")
    Select(duo.find_element(f"#{ids.TABLE_CHOICE}")).select_by_value("reports")
    duo.wait_for_contains_text(f"#{ids.TABLE_GRID}", "Hạn gửi", timeout=30)
    duo.wait_for_element(f"#{ids.TABLE_GRID} .ag-row", timeout=30)
    every = _settled_count(duo)
    duo.find_element(f"#{ids.TABLE_STATUS}").click()
    search = duo.wait_for_element("input.dash-dropdown-search", timeout=10)
    assert search.get_attribute("placeholder") == "Tìm"  # not "Search"
    search.send_keys("Muộn")
    search.send_keys(Keys.ENTER)
    end = time.monotonic() + 30
    while _count(duo) == every and time.monotonic() < end:
        time.sleep(0.2)
    late = _settled_count(duo)
    assert 0 < late < every
    # a column filter, as the grid's menu sets it: more than 3 days late
    duo.driver.execute_script(
        "dash_ag_grid.getApi(arguments[0]).setFilterModel("
        "{days_late: {filterType: 'number', type: 'greaterThan', filter: 3}});",
        ids.TABLE_GRID,
    )
    end = time.monotonic() + 30
    while "đã lọc" not in duo.find_element(f"#{ids.TABLE_COUNT}").text:
        assert time.monotonic() < end, "the column filter did not reach the server"
        time.sleep(0.2)
    shown = _count(duo)
    assert 0 < shown < late
    duo.driver.save_screenshot(str(tmp_path / "tables.png"))
    duo.find_element(f"#{ids.TABLE_XLSX}").click()
    book = openpyxl.load_workbook(_downloaded(downloads, ".xlsx"))
    ws = book.worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")
    data = [r for r in rows[header_at + 1 :] if r and r[0] and r[0][0].isdigit()]
    assert len(data) == shown
    assert {r[rows[header_at].index("Tình trạng")] for r in data} == {"Muộn"}
    assert all(r[rows[header_at].index("Số ngày chậm")] > 3 for r in data)
    assert any("Lọc theo cột: Số ngày chậm lớn hơn" in (r[0] or "") for r in rows)
    duo.find_element(f"#{ids.TABLE_CSV}").click()
    raw = _downloaded(downloads, ".csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))) == shown + 1
    assert duo.get_logs() == []
