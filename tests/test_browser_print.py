"""The browser's own print of the map page in headless Chromium (Ctrl+P, here
printed to PDF): the map is in the printout as a picture with the map's
colours, not an empty box, and the controls, menus and side panels are not."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from layouts import ids
from tests.conftest import sign_in_browser
from tests.test_browser_map import rendered, settle

pytestmark = pytest.mark.browser


def _printed(duo) -> PdfReader:
    result = duo.driver.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    return PdfReader(io.BytesIO(base64.b64decode(result["data"])))


def _coloured_share(image: Image.Image) -> float:
    """The share of pixels neither white, nor transparent, nor grey."""
    rgba = image.convert("RGBA")
    pixels = list(rgba.getdata())
    coloured = sum(
        1 for r, g, b, a in pixels if a > 0 and max(r, g, b) - min(r, g, b) > 24
    )
    return coloured / len(pixels)


def test_print001_the_printed_map_page_shows_the_map(dash_duo, seeded_sqlite, make_app):
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(dash_duo, "province")
    settle(dash_duo)
    assert rendered(dash_duo), "the map drew no polygons on screen"
    legend = dash_duo.find_element(f"#{ids.MAP_LEGEND}").text.splitlines()[0]
    reader = _printed(dash_duo)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert legend.removesuffix("?").strip() in text  # the legend title is printed
    assert "Chủ đề" not in text  # the controls are not
    assert "Tải bản đồ" not in text  # nor the print menu
    pictures = [Image.open(io.BytesIO(i.data)) for i in reader.pages[0].images]
    assert pictures, "nothing drawn was printed"
    largest = max(pictures, key=lambda p: p.width * p.height)
    assert largest.width >= 400
    # the polygons' colours: a blank canvas prints as white or transparent
    assert _coloured_share(largest) > 0.05
    # the printout's picture is gone again from the page
    assert not dash_duo.driver.find_elements("css selector", "img.map-print-snapshot")


FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done(
  [r.status, r.headers.get('content-type'), new Uint8Array(b.slice(0, 5)).join(',')]
)));
"""


def test_print002_the_download_menu_carries_the_view(dash_duo, seeded_sqlite, make_app):
    """'Tải bản đồ' → 'PDF A4 ngang': the link gets the view the page shows (its
    address) and whether names are on, and the browser's session downloads a PDF
    from it."""
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(dash_duo, "province")
    settle(dash_duo)
    dash_duo.driver.get(dash_duo.server.url + "/?unit=633&theme=fund&period=2024")
    dash_duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    toggle = dash_duo.find_element(".map-print .dropdown-toggle")
    assert toggle.text == "Tải bản đồ"
    toggle.click()
    link = dash_duo.wait_for_element("a.map-print-link", timeout=10)
    assert link.text == "PDF A4 ngang"
    link.click()  # the download itself is the browser's; the address is ours
    href = link.get_attribute("href")
    for part in ("paper=A4", "orient=landscape", "unit=633", "theme=fund"):
        assert part in href, (part, href)
    assert "period=2024" in href and "labels=0" in href
    status, kind, head = dash_duo.driver.execute_async_script(FETCH, href)
    assert (status, kind) == (200, "application/pdf")
    assert head == "37,80,68,70,45"  # %PDF-
