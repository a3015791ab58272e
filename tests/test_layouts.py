"""Layouts are pure functions of their parameters; formatting is Vietnamese first."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from plotly.utils import PlotlyJSONEncoder

from geo.geojson import bounds
from geo.viewport import fit_view
from layouts import figures, ids, map_page
from layouts.formatting import billions, dong, number, percent
from layouts.i18n import MESSAGES, t


def render(component) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def page(**overrides):  # type: ignore[no-untyped-def]
    params = dict(
        lang="vi",
        unit_code="64",
        unit_name="Tỉnh Gia Lai",
        years=(2021, 2022, 2023, 2024),
        year=None,
        is_demo=True,
        approximate=True,
        units_source="vietnamadminunits 1.0.4",
    )
    return map_page.layout(**{**params, **overrides})


def test_map_page_carries_its_ids_and_notes() -> None:
    text = render(page())
    for component_id in (ids.MAP, ids.YEAR, ids.KPI, ids.DISTRICT_TABLE, ids.NOTES):
        assert f'"id": "{component_id}"' in text
    assert t("note_demo") in text and t("note_approximate") in text
    assert '"value": "2024"' in text  # latest year by default


def test_notes_follow_the_data() -> None:
    text = render(page(is_demo=False, approximate=False))
    assert t("note_demo") not in text and t("note_approximate") not in text


def test_english_page_has_no_vietnamese_chrome() -> None:
    text = render(page(lang="en"))
    assert "Year" in text and "Năm" not in text


def test_every_message_has_both_languages() -> None:
    assert all(set(m) == {"vi", "en"} for m in MESSAGES.values())


@pytest.mark.parametrize(
    ("func", "value", "vi", "en"),
    [
        (number, 1234567, "1.234.567", "1,234,567"),
        (dong, 1234567, "1.234.567 đ", "1,234,567 VND"),
        (billions, 4_200_000_000, "4,2 tỷ đồng", "4.2 billion VND"),
        (percent, 62.54, "62,5%", "62.5%"),
    ],
)
def test_number_formats(func, value, vi, en) -> None:  # type: ignore[no-untyped-def]
    assert func(value, "vi") == vi and func(value, "en") == en


def test_share_table_sorts_by_share() -> None:
    frame = pd.DataFrame(
        {
            "code": ["1", "2"],
            "name": ["A", "B"],
            "communes": [4, 5],
            "recognised": [1, 5],
            "share": [25.0, 100.0],
        }
    )
    text = render(map_page.share_table(frame, "vi"))
    assert text.index('"B"') < text.index('"A"') and "100,0%" in text


def test_choropleth_uses_the_offline_style() -> None:
    fig = figures.choropleth(
        geojson="/geo/x.json",
        codes=["1"],
        values=[50.0],
        hover=["x"],
        colorbar_title="T",
        center={"lon": 1, "lat": 2},
        zoom=7,
        all_codes=["1", "2"],
    )
    style = fig.layout.map.style
    assert style["sources"] and "http" not in json.dumps(style)
    assert list(fig.data[0].locations) == ["1", "2"]  # grey "no data" layer under all


def test_fit_view_centres_and_zooms() -> None:
    collection = {
        "features": [
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [107.0, 13.0],
                            [109.0, 13.0],
                            [109.0, 15.0],
                            [107.0, 15.0],
                            [107.0, 13.0],
                        ]
                    ],
                }
            }
        ]
    }
    box = bounds(collection)
    assert box == (107.0, 13.0, 109.0, 15.0)
    center, zoom = fit_view(box, 800, 560)
    assert center["lon"] == pytest.approx(108.0) and 13.9 < center["lat"] < 14.1
    assert 7 < zoom < 8.5
