"""The first page in headless Chromium: map, Vietnamese labels, notes, no errors."""

from __future__ import annotations

import time

import pytest

from layouts import ids
from tests.conftest import sign_in_browser
from tests.test_app import direct_shares

pytestmark = pytest.mark.browser


def test_brow001_province_map_renders(
    dash_duo, seeded_sqlite, make_app, tmp_path
) -> None:
    app = make_app(seeded_sqlite)
    dash_duo.start_server(app, navigate=False)
    sign_in_browser(dash_duo, "admin")
    dash_duo.driver.get(dash_duo.server_url + "/?unit=64&period=2024")  # old Gia Lai
    dash_duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "trên 218", timeout=20)
    time.sleep(2.5)  # let MapLibre paint (software WebGL)

    body = dash_duo.find_element("body").text
    assert "Tỉnh Gia Lai" in body
    assert "Xã, phường, thị trấn phù hợp với trẻ em" in body
    assert "Số liệu minh họa" in body  # demo data note
    assert "Ranh giới gần đúng" not in body  # real boundaries: no such note
    assert len(dash_duo.find_elements(f"#{ids.RANKING} tr")) == 17

    # the legend (colour bar) names the measure and the period
    legend = dash_duo.find_element(f"#{ids.MAP_LEGEND}").text
    assert "Tỷ lệ xã được công nhận" in legend and "Năm 2024" in legend

    # choosing another period recolours; the headline follows it
    dash_duo.driver.execute_script(
        "const s=document.getElementById(arguments[0]);"
        "s.value=arguments[1]; s.dispatchEvent(new Event('change',{bubbles:true}));",
        ids.PERIOD,
        "2022",
    )
    dash_duo.wait_for_contains_text(f"#{ids.MAP_LEGEND}", "Năm 2022", timeout=20)
    recognised_2022 = sum(
        r
        for _n, r in direct_shares(seeded_sqlite["DATABASE_URL"], "2022-12-31").values()
    )
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", f"{recognised_2022} trên 218")

    shot = tmp_path / "province_map.png"
    dash_duo.find_element(f"#{ids.MAP}").screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert dash_duo.get_logs() == []
