"""The quarterly review in headless Chromium: the slides, moved through with the
keyboard as a clicker does, in the meeting-room role."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys

from layouts import ids
from tests.conftest import job_worker, sign_in_browser
from tests.test_clientside_assets import declared_functions

pytestmark = pytest.mark.browser

ACTIVE = """
const s = document.querySelector('#present-slides > .slide.active');
return s ? s.getAttribute('data-key') : null;
"""


def _active(duo, wanted: str, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while (now := duo.driver.execute_script(ACTIVE)) != wanted:
        assert time.monotonic() < end, f"slide {now!r}, not {wanted!r}"
        time.sleep(0.1)


def test_present001_keyboard_moves_through_the_slides(
    dash_duo, seeded_sqlite, make_app, tmp_path
) -> None:
    duo = dash_duo
    duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(duo, "viewer")
    duo.driver.get(duo.server.url + "/present?quarter=2024-Q3")
    duo.wait_for_element("#present-slides .slide.active", timeout=30)
    _active(duo, "title")
    assert "Quý 3/2024" in duo.find_element(".slide.active .slide-title").text
    for function in declared_functions():  # the assets define every one
        name = f"{function.namespace}.{function.function_name}"
        defined = f"return typeof window.dash_clientside.{name};"
        assert duo.driver.execute_script(defined) == "function", function
    keys = duo.find_element("body")
    keys.send_keys(Keys.ARROW_RIGHT)
    _active(duo, "map_child_friendly")
    # the map of the slide has its polygons (the room sees a map, not a blank)
    duo.wait_for_element(".slide.active .maplibregl-canvas", timeout=30)
    keys.send_keys(Keys.PAGE_DOWN)  # what a presentation clicker sends
    _active(duo, "map_fund")
    keys.send_keys(Keys.PAGE_UP)
    _active(duo, "map_child_friendly")
    keys.send_keys(Keys.END)
    _active(duo, "points")
    total = len(duo.find_elements("#present-slides > .slide"))
    assert duo.find_element(f"#{ids.PRESENT_COUNTER}").text == f"{total}/{total}"
    keys.send_keys(Keys.ARROW_RIGHT)  # past the last: stays
    _active(duo, "points")
    duo.find_element(f"#{ids.PRESENT_PREV}").click()
    _active(duo, "scorecard")
    keys.send_keys(Keys.HOME)
    _active(duo, "title")
    duo.driver.save_screenshot(str(tmp_path / "title.png"))
    assert [e for e in duo.get_logs() if e["level"] == "SEVERE"] == []


def _downloaded(folder, timeout: float = 120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = list(folder.glob("*.pdf"))
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.3)
    raise AssertionError("no deck downloaded")


def test_present002_export_the_deck_with_progress_and_download(
    dash_duo, seeded_sqlite, make_app, tmp_path
) -> None:
    from pypdf import PdfReader

    duo = dash_duo
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    conf = {**seeded_sqlite, "INSTANCE_PATH": str(tmp_path)}  # a queue of its own
    duo.start_server(make_app(conf), navigate=False)
    duo.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(downloads)},
    )
    sign_in_browser(duo, "viewer")
    duo.driver.get(duo.server.url + "/present?quarter=2024-Q3")
    with job_worker(conf):  # builds the deck (python -m dashboard worker)
        duo.wait_for_element(f"#{ids.DECK_PDF}", timeout=30).click()
        # the progress bar shows while the deck is built, then the link
        duo.wait_for_contains_text(f"#{ids.DECK_STATUS}", "Đang tạo tệp", timeout=30)
        duo.wait_for_element("#deck-download", timeout=180).click()
    deck = _downloaded(downloads)
    pages = PdfReader(str(deck)).pages
    assert len(pages) == len(duo.find_elements("#present-slides > .slide"))
    assert "Sơ kết công tác trẻ em Quý 3/2024" in pages[0].extract_text()
    # the meeting-room role's deck: abuse as one rounded row, no commune named
    everything = " ".join(page.extract_text() for page in pages)
    assert "Xâm hại (mọi hình thức)" in everything
    assert "Phường Hội Thương" not in everything
