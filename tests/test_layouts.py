"""Layouts are pure functions of their parameters; formatting is Vietnamese first."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from babel.numbers import format_decimal
from plotly.utils import PlotlyJSONEncoder

from geo.geojson import bounds
from geo.viewport import fit_view
from layouts import figures, ids, map_page, shell
from layouts.formatting import babel_number, billions, dong, number, percent
from layouts.i18n import MESSAGES, t


def render(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def page(lang: str = "vi", **overrides):
    info = shell.PageInfo(
        lang=lang,
        title=t("app_title", lang),
        periods=[("2024", "Năm 2024"), ("2023", "Năm 2023")],
        is_demo=overrides.pop("is_demo", True),
        approximate=overrides.pop("approximate", True),
        units_source="vietnamadminunits 1.0.4",
        categories={"abuse": "Xâm hại", "injury": "Tai nạn thương tích"},
        types={"INJ_DROWN": "Đuối nước"},
    )
    state = map_page.MapState(unit="64", period="2024", **overrides)
    return map_page.layout(state, info)


def test_map_page_carries_its_ids_and_notes() -> None:
    text = render(page())
    for component_id in (
        ids.MAP,
        ids.THEME,
        ids.PERIOD,
        ids.SUMMARY,
        ids.RANKING,
        ids.BREADCRUMB,
        ids.NOTES,
        ids.VIEW,
        ids.DETAIL_CLOSE,
    ):
        assert f'"id": "{component_id}"' in text
    assert t("note_demo") in text and t("note_approximate") in text
    assert '"data": {"unit": "64", "tree": "legacy", "groups": false}' in text


def test_state_sets_the_controls() -> None:
    text = render(page(theme="incidents", types=("INJ_DROWN",), measure="count"))
    assert '"value": "incidents"' in text and '"value": ["INJ_DROWN"]' in text
    assert '"value": "count"' in text
    hidden = render(page(theme="fund"))
    assert '"style": {"display": "none"}' in hidden  # incident filters hidden


def test_notes_follow_the_data() -> None:
    text = render(page(is_demo=False, approximate=False))
    assert t("note_demo") not in text and t("note_approximate") not in text


def test_english_page_has_no_vietnamese_chrome() -> None:
    text = render(page("en"))
    assert "Period" in text and "Kỳ" not in text and "Chủ đề" not in text


def test_empty_database_page_says_how_to_fill_it() -> None:
    info = shell.PageInfo(
        lang="vi",
        title="x",
        periods=[],
        is_demo=False,
        approximate=False,
        units_source="",
    )
    assert "python -m dashboard setup" in render(map_page.layout(None, info))


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
def test_number_formats(func, value, vi, en) -> None:
    assert func(value, "vi") == vi and func(value, "en") == en


def test_number_formats_as_babel_does() -> None:
    """The fast path of ``number`` gives Babel's text: halves to even on the
    decimal text, signs of values that round to zero, NumPy floats, and what it
    leaves to Babel (NaN, infinities, NumPy integers)."""
    rng = random.Random(2026)
    values: list[object] = [0, 0.0, -0.0, -0.04, 0.05, 0.15, 0.25, 0.35, 2.5, 3.5]
    values += [1.005, 0.045, 1e-9, -1e-9, 1e15, 123456789.125, -1234567.5]
    values += [float("nan"), float("inf"), np.int64(1234567), np.float64(1234.55)]
    values += [rng.uniform(-1e6, 1e6) for _ in range(1500)]
    values += [rng.randint(-(10**12), 10**12) for _ in range(500)]
    values += [round(rng.uniform(0, 1e3), 2) + 0.005 for _ in range(500)]
    for value in values:
        for lang in ("vi", "en"):
            for decimals in (0, 1, 2):
                expected = babel_number(value, lang, decimals)
                assert number(value, lang, decimals) == expected, (value, lang)
    assert babel_number(1234.5, "vi", 1) == format_decimal(
        1234.5, "#,##0.0", locale="vi_VN"
    )


def test_empty_map_uses_the_offline_style() -> None:
    fig = figures.empty_map("vi")
    style = fig["layout"]["map"]["style"]
    assert style["sources"] and "http" not in json.dumps(style)
    assert fig["layout"]["separators"] == ",."  # 1.234,5 in Vietnamese
    assert figures.empty_map("en")["layout"]["separators"] == ".,"
    assert len(fig["data"]) == 2  # the grey no-data layer under the values
    # a copy each time: a caller changing its figure changes no other page's
    fig["data"][1]["name"] = "changed"
    assert figures.empty_map("vi")["data"][1]["name"] == "values"


def test_values_patch_leaves_styling_out_unless_asked() -> None:
    from dash import Patch

    from layouts.legend import discrete

    legend = discrete(["a", "b"], ["#000000", "#ffffff"], "T")
    lean = figures.values_patch(
        Patch(),
        classes=[0, None],
        custom=[[1], [None]],
        legend=legend,
        hovertemplate="h",
        display={},
        restyle=False,
    )
    full = figures.values_patch(
        Patch(),
        classes=[0, None],
        custom=[[1], [None]],
        legend=legend,
        hovertemplate="h",
        display={},
    )
    assert len(json.dumps(full.to_plotly_json())) > len(
        json.dumps(lean.to_plotly_json())
    )


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


def _walk(component):
    """Every component under ``component`` (itself included)."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _every_graph(lang: str) -> list:
    """The dcc.Graphs of the app's layouts: the map, a unit's trend, a slide."""
    from dash import dcc

    from layouts import map_panels, present_page
    from layouts.review_slides import Slide

    trend = figures.trend_spec([2023, 2024], {"a": [1.0, 2.0]}, lang)
    detail = map_panels.detail_panel("X", [], trend, lang)
    slide = Slide(key="k", title="T", footer="F", figure=trend)
    slides = present_page.slide_div(slide, 0, 1, lang)
    graphs = [
        c
        for root in (page(lang), detail, slides)
        for c in _walk(root)
        if isinstance(c, dcc.Graph)
    ]
    assert len(graphs) == 3
    return graphs


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_graph_can_send_its_data_off_the_machine(lang) -> None:
    for graph in _every_graph(lang):
        config = graph.config
        assert config["showSendToCloud"] is False
        assert config["showEditInChartStudio"] is False
        assert config["plotlyServerURL"] == "" and config["displaylogo"] is False
        assert "sendChartToCloud" in config["modeBarButtonsToRemove"]
        assert config["locale"] == lang
        if lang == "vi":
            dictionary = config["locales"]["vi"]["dictionary"]
            assert dictionary["Zoom in"] == "Phóng to"
            assert dictionary["Download plot as a PNG"].startswith("Tải")
        assert "http" not in render(config)  # nothing points off the machine


def test_busy_areas_show_a_delayed_loading_sign() -> None:
    from dash import dcc

    from layouts import shell

    def loaders(root) -> dict:
        return {
            key: c.delay_show
            for c in _walk(root)
            if isinstance(c, dcc.Loading)
            for key in c.target_components
        }

    assert loaders(page()) == {ids.MAP: 400}
    assert loaders(shell.layout()) == {"_pages_content": 400}
    assert "Đang tải…" in render(page())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_trend_as_data_is_what_plotly_makes_of_it(lang) -> None:
    """A unit's trend is sent as plain data: plotly's own figure of it
    (validated, its template resolved) has the same JSON, one panel per
    series, and every panel's axis ticks the whole years, not only the first."""
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.io.json import to_json_plotly

    series = {"Quỹ": [1.5, None, 2.0], "Xâm hại": [0, 2, 1], "Đúng hạn": [0.5, 1, 1]}
    spec = figures.trend_spec([2022, 2023, 2024], series, lang)
    drawn = go.Figure(spec)
    assert json.loads(to_json_plotly(spec)) == json.loads(pio.to_json(drawn))
    assert [trace.yaxis for trace in drawn.data] == ["y", "y2", "y3"]
    assert [a.text for a in drawn.layout.annotations] == list(series)
    for axis in ("xaxis", "xaxis2", "xaxis3"):
        ticks = drawn.layout[axis]
        assert (list(ticks.tickvals), ticks.tickformat) == ([2022, 2023, 2024], "d")
    assert drawn.layout.separators == figures.SEPARATORS[lang]
    assert drawn.layout.height == 110 * 3 + 30
    # a few cases are ticked at whole numbers, not at halves; money and shares
    # (fractions) and counts over a wide range keep plotly's own ticks
    assert drawn.layout.yaxis2.dtick == 1 and drawn.layout.yaxis2.tick0 == 0
    assert "yaxis" not in spec["layout"] and "yaxis3" not in spec["layout"]
    wide = figures.trend_spec([2023, 2024], {"Tai nạn": [0, 40]}, lang)
    assert "dtick" not in wide["layout"].get("yaxis", {})
