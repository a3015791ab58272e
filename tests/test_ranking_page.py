"""The ranking page: layout for each tree, the callback for each role."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from layouts import ids
from tests.conftest import sign_in


@pytest.fixture
def client_as(seeded, make_app):
    def make(role: str):
        client = make_app(seeded).server.test_client()
        assert sign_in(client, role).status_code == 302
        return client

    return make


def rank(client, unit: str, period: str, weights=(1, 1, 1, 1)):
    """POST the ranking callback as the page does; its response as text (None: 204)."""
    components = ["child_friendly", "fund", "burden", "timeliness"]
    outputs = [
        (ids.RANK_TABLE, "children"),
        (ids.RANK_GAPS, "children"),
        (ids.RANK_FUNNEL, "children"),
    ]
    payload = {
        "output": ".." + "...".join(f"{c}.{p}" for c, p in outputs) + "..",
        "outputs": [{"id": c, "property": p} for c, p in outputs],
        "inputs": [
            {"id": ids.RANK_PERIOD, "property": "value", "value": period},
            [  # the pattern-matching weights: one entry per input found
                {
                    "id": {"type": ids.RANK_WEIGHT, "component": c},
                    "property": "value",
                    "value": w,
                }
                for c, w in zip(components, weights, strict=True)
            ],
            {"id": ids.RANK_SAVED, "property": "data", "value": 0},
        ],
        "state": [
            {"id": ids.RANK_UNIT, "property": "data", "value": unit},
            {"id": ids.RANK_LANG, "property": "data", "value": "vi"},
        ],
        "changedPropIds": [f"{ids.RANK_PERIOD}.value"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code in (200, 204), response.data[:300]
    if response.status_code == 204:
        return None
    return json.dumps(response.get_json()["response"], ensure_ascii=False)


def _rows(text: str) -> int:
    return text.count('"type": "rank-row"')


def test_the_province_ranks_17_districts_and_the_district_user_sees_its_gaps(
    client_as,
) -> None:
    province = rank(client_as("province"), "64", "2024")
    assert _rows(province) == 17 and "Điều gì thay đổi" not in province
    district = rank(client_as("district"), "64", "2024")
    assert _rows(district) == 17
    assert "table-primary" in district  # their own row
    assert "Điều gì thay đổi thứ hạng của Huyện Chư Sê" in district
    assert "Chênh lệch tính bằng điểm trên thang 0–100." in district  # the unit


def test_the_ranking_shows_plausible_ranks_marks_and_the_funnel(client_as) -> None:
    import re

    text = rank(client_as("province"), "64", "2024")
    assert text.count("text-muted rank-range") == 17  # under every rank
    ranges = re.findall(r'"hạng (\d+)(?:–(\d+))?"', text)
    assert len(ranges) == 17
    assert all(int(a) <= int(b or a) for a, b in ranges)
    assert any(b and int(a) < int(b) for a, b in ranges)  # some ranges are wide
    assert "rank-versus-" in text  # each case rate against the province's
    assert "≈ mức chung" in text or "cao hơn mức chung" in text
    assert "mô phỏng lại 1.000 lần" in text  # the method, in the page
    assert "Biểu đồ phễu" in text and ids.RANK_FUNNEL_GRAPH in text
    assert "Giới hạn 99,8%" in text and "Tỷ lệ chung Tỉnh Gia Lai" in text
    assert "Khoảng tin cậy 95%:" in text  # the rate's interval, as its tooltip
    assert "https://" not in text  # offline: no external address in the figure


def test_communes_of_another_district_are_not_ranked_for_a_district_user(
    client_as,
) -> None:
    assert _rows(rank(client_as("province"), "622", "2024")) > 0
    assert _rows(rank(client_as("district"), "622", "2024")) == 0
    assert _rows(rank(client_as("district"), "633", "2024")) == 15


def test_after_the_reform_former_districts_are_ranked(client_as) -> None:
    text = rank(client_as("province"), "52", "2026")
    assert _rows(text) == 29


def test_bad_weights_change_nothing(client_as) -> None:
    assert rank(client_as("province"), "64", "2024", weights=(0, 0, 0, 0)) is None
    assert rank(client_as("province"), "64", "2024", weights=(-1, 1, 1, 1)) is None


def test_the_page_for_each_tree(seeded, make_app) -> None:
    from dashboard.pages import ranking_view

    app = make_app(seeded)
    with app.server.test_request_context("/ranking"):
        legacy = json.dumps(
            ranking_view(period="2024"), cls=PlotlyJSONEncoder, ensure_ascii=False
        )
        new = json.dumps(ranking_view(), cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "Xếp hạng: Tỉnh Gia Lai" in legacy
    assert '"data": {"tree": "legacy", "code": "64"}' in legacy
    assert "Cách tính" in legacy and "PCRI" in legacy
    # the table and the gaps show a loading sign on a slow answer
    assert '"target_components": {"rank-table": "children"' in legacy
    assert '"data": {"tree": "2025", "code": "52"}' in new
    assert "không chính thức" in new
