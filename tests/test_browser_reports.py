"""Submitting a report in headless Chromium: download the template, fill it,
upload it, sign it off as the district office, and see the map's timeliness of
that commune change."""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import pytest
from selenium.webdriver.common.by import By

from data import report_forms, submissions
from data.db import make_engine
from data.scope import Scope
from layouts import ids
from tests.conftest import click_when_clear, seeded_copy, sign_in_browser

pytestmark = pytest.mark.browser

CUSTOM = """
const gd = document.querySelector('#map .js-plotly-plot');
const trace = gd && gd.data && gd.data.find(d => d.customdata && d.locations);
const i = trace ? trace.locations.indexOf(arguments[0]) : -1;
return i < 0 ? null : trace.customdata[i];
"""


@pytest.fixture
def duo(dash_duo, pristine_sqlite, tmp_path_factory, make_app):
    conf = seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("browser_reports"))
    dash_duo.conf = conf
    dash_duo.start_server(make_app(conf), navigate=False)
    return dash_duo


def _missing_report(conf: dict) -> dict:
    """A 2024 report of a Chư Sê commune that nobody sent."""
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        district = conn.exec_driver_sql(
            "SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = '633'"
        ).scalar()
        rows = submissions.choices(conn, Scope("district", district), 2024)
    engine.dispose()
    return next(r for r in rows if r["versions"] == 0 and len(r["unit_code"]) == 5)


def _downloaded(folder: Path, timeout: float = 30) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = list(folder.glob("*.xlsx"))
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError("no template downloaded")


def _overdue(duo) -> int:
    """The count in the overdue list's title ("… Huyện Chư Sê: 12")."""
    text = duo.find_element(f"#{ids.REPORT_OVERDUE}").text
    return int(re.search(r"Huyện Chư Sê: (\d+)", text).group(1))


def _timeliness(duo, code: str) -> list:
    duo.driver.get(duo.server.url + "/?unit=633&period=2024&theme=timeliness")
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    end = time.monotonic() + 30
    while (row := duo.driver.execute_script(CUSTOM, code)) is None:
        assert time.monotonic() < end, "the map has no value for the commune"
        time.sleep(0.3)
    return row


def test_reports001_template_upload_and_the_map_follows(duo, tmp_path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    duo.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(downloads)},
    )
    report = _missing_report(duo.conf)
    sign_in_browser(duo, "district")
    before = _timeliness(
        duo, report["unit_code"]
    )  # value, on time, expected, late, missing
    duo.driver.get(duo.server.url + "/reports?year=2024")
    duo.wait_for_element(f"#{ids.REPORT_CHOICE}", timeout=30).click()
    search = duo.wait_for_element("input.dash-dropdown-search", timeout=10)
    search.send_keys(report["unit_name"])
    time.sleep(0.5)
    options = duo.driver.find_elements(By.CSS_SELECTOR, "[role='option']")
    wanted = [
        o
        for o in options
        if o.text.startswith(
            {
                "Q1": "Báo cáo quý I",
                "H1": "Báo cáo 6 tháng",
                "M9": "Báo cáo 9 tháng",
                "ANNUAL": "Báo cáo năm",
            }[report["report_type"]]
        )
    ]
    assert wanted, [o.text for o in options]
    wanted[0].click()
    duo.wait_for_contains_text(f"#{ids.REPORT_DEADLINE}", "Hạn:", timeout=20)
    duo.wait_for_contains_text(
        f"#{ids.REPORT_APPROVAL}", "Cấp phê duyệt: Huyện Chư Sê", timeout=20
    )
    overdue_before = _overdue(duo)
    duo.find_element(f"#{ids.REPORT_TEMPLATE}").click()
    template = _downloaded(downloads)
    book = openpyxl.load_workbook(template)
    assert book[report_forms.INFO]["B4"].value == report["unit_code"]
    book[report_forms.GROUPS]["C4"] = book[report_forms.GROUPS]["C18"] = 3
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    upload = duo.find_element(f"#{ids.REPORT_UPLOAD} input[type=file]")
    upload.send_keys(str(filled))
    duo.wait_for_contains_text(f"#{ids.REPORT_RESULT}", "Đã nhận báo cáo", timeout=30)
    assert "phiên bản 1" in duo.find_element(f"#{ids.REPORT_RESULT}").text
    assert "filled.xlsx" in duo.find_element(f"#{ids.REPORT_HISTORY}").text
    # the overdue list right under the receipt no longer counts it, no reload
    end = time.monotonic() + 10
    while _overdue(duo) != overdue_before - 1:
        assert time.monotonic() < end, (overdue_before, _overdue(duo))
        time.sleep(0.3)
    # the district office signs its commune's report off right there: locked
    duo.wait_for_contains_text(
        f"#{ids.REPORT_APPROVAL}", "Phiên bản 1: Chờ phê duyệt", timeout=20
    )
    duo.find_element(f"#{ids.REPORT_APPROVE}").click()
    duo.wait_for_contains_text(
        f"#{ids.REPORT_DECISION_RESULT}", "Đã phê duyệt phiên bản 1", timeout=20
    )
    duo.wait_for_contains_text(f"#{ids.REPORT_APPROVAL}", "khóa", timeout=20)
    assert "Phê duyệt phiên bản 1" in duo.find_element(f"#{ids.REPORT_HISTORY}").text
    assert duo.find_element(f"#{ids.REPORT_APPROVE}").get_attribute("disabled")
    after = _timeliness(duo, report["unit_code"])
    # the report was missing; now it is late (sent after the deadline)
    assert after[4] == before[4] - 1 and after[3] == before[3] + 1
    assert duo.get_logs() == []


def _waiting_count(duo) -> int:
    text = duo.find_element(f"#{ids.APPROVAL_COUNT}").text
    return int(re.search(r"(\d+)", text).group(1))


def test_reports002_the_province_approves_from_its_queue_and_pages_it(duo) -> None:
    """The province's queue: more reports wait than a page lists; one approved
    from the list leaves it and the navbar's count; the next page lists the
    rest."""
    sign_in_browser(duo, "province")
    duo.driver.get(duo.server.url + "/reports")
    duo.wait_for_contains_text(f"#{ids.APPROVAL_QUEUE}", "Báo cáo 1–50", timeout=30)
    before = _waiting_count(duo)
    assert before > 50
    rows = duo.find_elements(f"#{ids.APPROVAL_QUEUE} tbody tr")
    assert len(rows) == 50
    approve = rows[0].find_element(By.CSS_SELECTOR, "button.btn-success")
    click_when_clear(duo, approve)
    duo.wait_for_contains_text(f"#{ids.APPROVAL_QUEUE_RESULT}", "phê duyệt", 30)
    end = time.monotonic() + 30
    while _waiting_count(duo) != before - 1:
        assert time.monotonic() < end, "the navbar's count did not follow"
        time.sleep(0.3)
    duo.wait_for_contains_text(
        f"#{ids.APPROVAL_QUEUE}", f"trong số {before - 1}", timeout=30
    )
    next_page = [
        b
        for b in duo.find_elements(f"#{ids.APPROVAL_QUEUE} button")
        if "Trang sau" in b.text
    ]
    assert len(next_page) == 1
    click_when_clear(duo, next_page[0])
    shown = min(before - 1, 100)
    duo.wait_for_contains_text(
        f"#{ids.APPROVAL_QUEUE}", f"Báo cáo 51–{shown} trong số {before - 1}", 30
    )
    rest = duo.find_elements(f"#{ids.APPROVAL_QUEUE} tbody tr")
    assert len(rest) == shown - 50
