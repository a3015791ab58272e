"""The map in headless Chromium: polygons, themes, drill-down, breadcrumb, URL state,
language, phone width.  Screenshots land in the test's temporary folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dash.testing import wait
from selenium.webdriver.common.action_chains import ActionChains

from layouts import ids
from tests.conftest import sign_in_browser

pytestmark = pytest.mark.browser

RENDERED = """
const gd = document.querySelector('#map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const fill = gd._fullData[1].uid;
const seen = {};
map.queryRenderedFeatures().forEach(f => {
  if (f.layer.id.endsWith('-fill') && f.layer.id.includes(fill)) {
    seen[f.id] = {colour: f.properties.fc, centre: f.properties.ct};
  }
});
return seen;
"""
GEO_REQUESTS = """
return performance.getEntriesByType('resource').map(e => e.name)
  .filter(n => n.includes('/geo/')).length;
"""


def settle(duo, seconds: float = 2.5) -> None:
    """Let MapLibre paint (software WebGL in headless Chromium)."""
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=20)
    time.sleep(seconds)
    still(duo)


STILL = (
    "const gd = document.querySelector('#map .js-plotly-plot');"
    "const map = gd && gd._fullLayout.map && gd._fullLayout.map._subplot.map;"
    "return !!map && map.loaded() && !map.isMoving();"
)


def still(duo, timeout: float = 20) -> None:
    """Wait until the map has loaded and stopped moving (a fit to a new unit
    animates: a click computed mid-flight lands on a neighbour)."""
    end = time.monotonic() + timeout
    while not duo.driver.execute_script(STILL):
        assert time.monotonic() < end, "the map kept moving"
        time.sleep(0.2)


def rendered(duo) -> dict:
    return duo.driver.execute_script(RENDERED)


def shoot(duo, folder: Path, name: str) -> None:
    duo.find_element(f"#{ids.MAP}").screenshot(str(folder / f"{name}.png"))


def choose(duo, select_id: str, value: str) -> None:
    duo.driver.execute_script(
        "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
        "s.dispatchEvent(new Event('change', {bubbles: true}));",
        select_id,
        value,
    )


def click_unit(duo, centre) -> None:
    """A real mouse click on the map at a polygon's centre."""
    canvas = duo.find_element(f"#{ids.MAP} .maplibregl-canvas")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    where = (
        "const gd = document.querySelector('#map .js-plotly-plot');"
        "const p = gd._fullLayout.map._subplot.map.project(arguments[0]);"
        "const box = arguments[1].getBoundingClientRect();"
        "return [box.left + p.x, box.top + p.y];"
    )
    # the same screen point twice in a row: the map is not moving any more
    point, end = None, time.monotonic() + 20
    while True:
        still(duo)
        now = duo.driver.execute_script(where, centre, canvas)
        if now == point:
            break
        assert time.monotonic() < end, "the map kept moving"
        point = now
        time.sleep(0.4)
    ActionChains(duo.driver).move_to_location(*point).click().perform()


def central(duo, units: dict) -> dict:
    """The unit whose centre is drawn nearest the middle of the map."""
    points = duo.driver.execute_script(
        "const gd = document.querySelector('#map .js-plotly-plot');"
        "const map = gd._fullLayout.map._subplot.map;"
        "const c = map.getCanvas();"
        "return arguments[0].map(ct => { const p = map.project(ct);"
        "  return Math.hypot(p.x - c.clientWidth / 2, p.y - c.clientHeight / 2); });",
        [u["centre"] for u in units.values()],
    )
    return min(zip(points, units.values(), strict=True), key=lambda pu: pu[0])[1]


# Old Gia Lai in 2024 (the default view is the latest year, on the July-2025 tree)
LEGACY = "/?unit=64&period=2024"


@pytest.fixture
def duo(dash_duo, seeded_sqlite, make_app):
    dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
    sign_in_browser(dash_duo, "admin")
    dash_duo.driver.get(dash_duo.server_url + LEGACY)
    return dash_duo


def test_map001_themes_recolour_without_refetching_geometry(duo, tmp_path) -> None:
    settle(duo)
    first = rendered(duo)
    assert len(first) == 17  # every district of Gia Lai is drawn
    assert duo.driver.execute_script(GEO_REQUESTS) == 1
    shoot(duo, tmp_path, "province_child_friendly")
    legends = {}
    for theme in ("fund", "incidents", "timeliness"):
        choose(duo, ids.THEME, theme)
        duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "·", timeout=20)
        time.sleep(2.5)
        legends[theme] = duo.find_element(f"#{ids.MAP_LEGEND}").text
        now = rendered(duo)
        assert len(now) == 17
        assert {k: v["colour"] for k, v in now.items()} != {
            k: v["colour"] for k, v in first.items()
        }
        shoot(duo, tmp_path, f"province_{theme}")
    assert duo.driver.execute_script(GEO_REQUESTS) == 1  # boundaries fetched once
    elsewhere = duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => !n.startsWith(location.origin));"
    )
    assert elsewhere == []  # offline: no tile, style, font or CDN request
    assert "Huy động so với chỉ tiêu năm" in legends["fund"]
    assert "số vụ / 100.000 trẻ em dưới 16 tuổi" in legends["incidents"]
    assert "Tỷ lệ báo cáo đúng hạn" in legends["timeliness"]
    assert duo.get_logs() == []


def test_map002_drill_down_breadcrumb_and_back(duo, tmp_path, seeded_sqlite) -> None:
    settle(duo)
    districts = rendered(duo)
    assert "633" in districts
    click_unit(duo, inside(seeded_sqlite, "legacy", "district", "64", "633"))
    duo.wait_for_contains_text(f"#{ids.BREADCRUMB}", "Huyện Chư Sê", timeout=20)
    settle(duo)
    communes = rendered(duo)
    assert len(communes) == 15  # Chư Sê's communes
    assert "Tỉnh Gia Lai" in duo.find_element(f"#{ids.BREADCRUMB}").text
    for theme in ("child_friendly", "fund", "incidents", "timeliness"):
        choose(duo, ids.THEME, theme)
        time.sleep(3)
        shoot(duo, tmp_path, f"district_{theme}")
    choose(duo, ids.THEME, "child_friendly")
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Tình trạng công nhận")
    time.sleep(2)

    commune = central(duo, rendered(duo))
    click_unit(duo, commune["centre"])  # a commune: its detail panel opens
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "Chi tiết", timeout=20)
    detail = duo.find_element(f"#{ids.DETAIL}").text
    assert "Trẻ em dưới 16 tuổi" in detail and "Diễn biến qua các năm" in detail
    duo.find_element(f"#{ids.DETAIL_CLOSE}").click()
    duo.wait_for_style_to_equal(f"#{ids.DETAIL_BOX}", "display", "none")

    crumbs = duo.find_elements(f"#{ids.BREADCRUMB} button")
    assert [c.text for c in crumbs] == ["Việt Nam", "Tỉnh Gia Lai"]  # 2 in 2024
    # Bootstrap scrolls smoothly: jump to the top and wait there before clicking,
    # or the crumb is hit while still above the viewport.
    duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    wait.until(
        lambda: duo.driver.execute_script("return window.scrollY") == 0, timeout=10
    )
    crumbs[1].click()  # back to the province
    duo.wait_for_text_to_equal(f"#{ids.BREADCRUMB} li.active", "Tỉnh Gia Lai")
    settle(duo)
    assert len(rendered(duo)) == 17
    assert duo.get_logs() == []


def test_map003_bookmarked_url_restores_the_view(duo) -> None:
    url = (
        f"{duo.server_url}/?unit=633&theme=incidents&period=2023&cat=injury"
        "&types=INJ_DROWN&measure=count&classes=equal&lang=vi"
    )
    duo.driver.get(url)
    settle(duo)
    assert len(rendered(duo)) == 15
    legend = duo.find_element(f"#{ids.MAP_LEGEND}").text
    assert "Đuối nước: số vụ" in legend and "Năm 2023" in legend
    assert duo.find_element(f"#{ids.THEME}").get_attribute("value") == "incidents"
    assert duo.find_element(f"#{ids.PERIOD}").get_attribute("value") == "2023"
    # the address bar keeps following the view
    choose(duo, ids.PERIOD, "2022")
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Năm 2022", timeout=20)
    current = duo.driver.current_url
    assert "period=2022" in current and "types=INJ_DROWN" in current
    duo.driver.get(current)  # reload: the same view again
    settle(duo)
    assert "Năm 2022" in duo.find_element(f"#{ids.MAP_LEGEND}").text
    assert "Huyện Chư Sê" in duo.find_element(f"#{ids.BREADCRUMB}").text


def test_map004_english_everywhere(duo) -> None:
    settle(duo)
    duo.find_element(f"#{ids.LANG_LINK}").click()
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Communes recognised", 20)
    text = duo.find_element("body").text
    for vietnamese in ("Chủ đề", "Kỳ", "Phân vị", "Xếp theo", "Số liệu minh họa"):
        assert vietnamese not in text
    assert "Demo data" in text and "Approximate boundaries" not in text  # real ones


def test_map005_phone_width(duo, tmp_path) -> None:
    duo.driver.set_window_size(390, 844)
    duo.driver.get(duo.server_url + LEGACY + "&theme=fund")
    settle(duo)
    assert len(rendered(duo)) == 17
    width = duo.driver.execute_script("return document.documentElement.scrollWidth")
    viewport = duo.driver.execute_script("return window.innerWidth")
    assert width <= viewport  # nothing sticks out sideways
    # the map starts on the first screen, and the legend's title is whole
    top = duo.driver.execute_script(
        f"return document.getElementById('{ids.MAP}').getBoundingClientRect().top"
    )
    screen = duo.driver.execute_script("return window.innerHeight")
    print(f"map top at {top:.0f} px of {screen} px")
    # the map starts in the upper part of the first screen (most of it visible)
    assert top < screen * 0.6
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "·", timeout=20)
    title = duo.find_element(f"#{ids.MAP_LEGEND} .map-legend-title")
    fits = duo.driver.execute_script(
        "const e = arguments[0], r = e.getBoundingClientRect();"
        "return e.scrollWidth <= e.clientWidth && r.left >= 0"
        " && r.right <= window.innerWidth;",
        title,
    )
    assert fits and "Năm 2024" in title.text
    # the toolbar speaks Vietnamese and has no button that uploads the figure
    tips = duo.driver.execute_script(
        "return [...document.querySelectorAll('#map .modebar-btn')]"
        ".map(b => b.getAttribute('data-title'));"
    )
    assert "Phóng to" in tips and "Tải biểu đồ dạng ảnh PNG" in tips
    assert not [tip for tip in tips if "Share" in tip or "Zoom" in tip]
    duo.driver.save_screenshot(str(tmp_path / "phone_fund.png"))


def _switch_groups(duo) -> None:
    switch = duo.find_element(f"#{ids.GROUPS}")
    duo.driver.execute_script("arguments[0].click()", switch)


def inside(conf: dict, tree: str, level: str, parent: str, code: str) -> list:
    """A point surely inside a drawn unit (its centre may lie in a neighbour
    when the polygon is concave): [lon, lat]."""
    from shapely.geometry import shape

    from data.db import make_engine
    from geo.geojson import level_geojson

    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        collection = level_geojson(conn, tree=tree, level=level, parent_code=parent)
    engine.dispose()
    feature = next(f for f in collection["features"] if f["id"] == code)
    point = shape(feature["geometry"]).representative_point()
    return [point.x, point.y]


def test_map006_across_the_reform(duo, tmp_path, seeded_sqlite) -> None:
    settle(duo)
    assert len(rendered(duo)) == 17  # 2024: old Gia Lai's districts
    assert not duo.find_element(f"#{ids.GROUPS_BOX}").is_displayed()
    choose(duo, ids.PERIOD, "2026")  # after the reform: the new Gia Lai
    duo.wait_for_contains_text(f"#{ids.SUMMARY}", "135 xã, phường", timeout=20)
    assert "unit=52" in duo.driver.current_url
    # no new commune assessed yet, nothing carried over: all "no data", and said
    assert "không được chuyển sang" in duo.find_element(f"#{ids.REFORM_NOTES}").text
    choose(duo, ids.THEME, "incidents")
    duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Năm 2026", timeout=20)
    settle(duo)
    assert len(rendered(duo)) == 135
    shoot(duo, tmp_path, "new_province_2026")

    _switch_groups(duo)  # former districts, labelled as an informal grouping
    duo.wait_for_contains_text(f"#{ids.REFORM_NOTES}", "không chính thức", timeout=20)
    settle(duo)
    groups = rendered(duo)
    assert len(groups) == 29
    shoot(duo, tmp_path, "former_districts")
    assert "633" in groups
    chu_se = inside(seeded_sqlite, "2025", "former_district", "52", "633")
    click_unit(duo, chu_se)  # Chư Sê, as a former district
    duo.wait_for_contains_text(f"#{ids.BREADCRUMB}", "Huyện Chư Sê (huyện cũ)", 20)
    settle(duo)
    communes = rendered(duo)
    assert 0 < len(communes) < 15  # merged: fewer new communes than the 15 old
    assert "groups=1" in duo.driver.current_url and "unit=633" in duo.driver.current_url

    choose(duo, ids.PERIOD, "2025")  # spans the reform: figures carried over
    duo.wait_for_contains_text(f"#{ids.REFORM_NOTES}", "bảng chuyển đổi", timeout=20)
    time.sleep(2)
    commune = central(duo, rendered(duo))
    click_unit(duo, commune["centre"])
    duo.wait_for_contains_text(f"#{ids.DETAIL}", "Tiếp nối số liệu của", timeout=20)
    detail = duo.find_element(f"#{ids.DETAIL}").text
    assert "Diễn biến qua các năm" in detail and "tính lại" in detail
    shoot(duo, tmp_path, "former_district_2025_detail")

    choose(duo, ids.PERIOD, "2024")  # back before the reform: the legacy district
    duo.wait_for_contains_text(f"#{ids.REFORM_NOTES}", "đơn vị hành chính cũ", 20)
    settle(duo)
    assert len(rendered(duo)) == 15
    assert "Huyện Chư Sê" in duo.find_element(f"#{ids.BREADCRUMB}").text
    assert "(huyện cũ)" not in duo.find_element(f"#{ids.BREADCRUMB}").text
    assert duo.get_logs() == []
