"""Each page's first screen, opened with no period in the address after setup,
shows figures (headless Chromium, as the admin).  Screenshots land in the
test's temporary folder."""

from __future__ import annotations

import time

import pytest

from layouts import ids
from tests.conftest import sign_in_browser

pytestmark = pytest.mark.browser

BIG = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);"


def _until(duo, script: str, *args, timeout: float = 30):
    """The script's value once it is truthy."""
    end = time.monotonic() + timeout
    while not (value := duo.driver.execute_script(script, *args)):
        assert time.monotonic() < end, f"never true: {script}"
        time.sleep(0.3)
    return value


def test_first001_every_page_opens_on_figures(
    dash_duo, seeded_sqlite, make_app, tmp_path
) -> None:
    duo = dash_duo
    duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(duo, "admin")

    duo.driver.get(duo.server.url + "/")
    duo.wait_for_contains_text(f"#{ids.SUMMARY}", "%", timeout=30)
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    time.sleep(3)  # software WebGL paints
    legend = _until(
        duo,
        "const e = document.getElementById(arguments[0]);"
        "return e && e.textContent.trim() ? e.textContent : null;",
        ids.MAP_LEGEND,
    )
    assert "0,0–1,0" not in legend
    duo.driver.save_screenshot(str(tmp_path / "map.png"))

    duo.driver.get(duo.server.url + "/tables")
    count = _until(
        duo,
        "const e = document.getElementById(arguments[0]);"
        "return e && /\\d/.test(e.textContent) ? e.textContent : null;",
        ids.TABLE_COUNT,
    )
    assert not count.startswith("0 "), count
    duo.driver.save_screenshot(str(tmp_path / "tables.png"))

    duo.driver.get(duo.server.url + "/ranking")
    rows = _until(duo, BIG, f"#{ids.RANK_TABLE} tbody tr td strong")
    assert any(any(ch.isdigit() for ch in r) for r in rows), rows
    duo.driver.save_screenshot(str(tmp_path / "ranking.png"))

    duo.driver.get(duo.server.url + "/present")
    # the page puts the quarter it opened on in the address (one reload)
    _until(duo, "return window.location.search.includes('quarter=');", timeout=60)
    duo.wait_for_element("#present-slides .slide.active", timeout=60)
    big = duo.driver.execute_script(
        BIG, "#present-slides .slide[data-key=map_incidents] .slide-big"
    )
    assert big and big[0].strip() not in ("", "–"), big
    duo.driver.save_screenshot(str(tmp_path / "present.png"))
    print("screenshots in", tmp_path)
    assert [e for e in duo.get_logs() if e["level"] == "SEVERE"] == []
