"""The map across the July-2025 reform, through the app's own callbacks and routes:
the period picks the tree, the view follows it, former-district groups, notes."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from layouts import ids
from tests.test_app import callback_payload, patched, post_map


def call(client, outputs, inputs, state, changed):
    """POST one callback the way the browser does; the JSON response or None (204)."""
    body = {
        "output": ".." + "...".join(f"{c}.{p}" for c, p in outputs) + "..",
        "outputs": [{"id": c, "property": p} for c, p in outputs],
        "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
        "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
        "changedPropIds": [changed],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:500]
    return (
        json.loads(response.data)["response"] if response.status_code == 200 else None
    )


def navigate(client, view, period, selected=None, groups=False, changed=None):
    return call(
        client,
        [(ids.VIEW, "data"), (ids.SELECTED, "data"), (ids.GROUPS, "value")],
        [
            (ids.MAP, "clickData", None),
            ({"type": ids.CRUMB, "unit": "x"}, "n_clicks", None),
            (ids.DETAIL_CLOSE, "n_clicks", None),
            (ids.PERIOD, "value", period),
            (ids.GROUPS, "value", groups),
        ],
        [(ids.VIEW, "data", view), (ids.SELECTED, "data", {"code": selected})],
        changed or f"{ids.PERIOD}.value",
    )


def notes(client, view, period, theme="child_friendly"):
    body = call(
        client,
        [(ids.REFORM_NOTES, "children"), (ids.GROUPS_BOX, "style")],
        [
            (ids.VIEW, "data", view),
            (ids.PERIOD, "value", period),
            (ids.THEME, "value", theme),
        ],
        [(ids.LANG, "data", "vi")],
        f"{ids.PERIOD}.value",
    )
    text = json.dumps(body[ids.REFORM_NOTES]["children"], ensure_ascii=False)
    return text, body[ids.GROUPS_BOX]["style"]


@pytest.fixture
def client(signed_in):
    return signed_in


def _codes(body: dict) -> list[str]:
    return patched(body[ids.MAP]["figure"])["data"]["0"]["locations"]


def test_2026_shows_the_135_communes_of_the_new_province(client) -> None:
    view = {"unit": "52", "tree": "2025", "groups": False}
    body = post_map(client, f"{ids.MAP_SIZE}.data", view=view, period="2026")
    figure = patched(body[ids.MAP]["figure"])
    assert len(_codes(body)) == 135
    assert figure["data"]["0"]["geojson"].startswith("/geo/2025/commune/52.json?v=")
    summary = json.dumps(body[ids.SUMMARY]["children"], ensure_ascii=False)
    # recognition is not carried over and no commune has been assessed since
    assert "135 xã, phường chưa được đánh giá" in summary and "–" in summary


def test_2024_shows_the_old_provinces_apart(client) -> None:
    root = post_map(client, f"{ids.MAP_SIZE}.data", view={"unit": "VN"})
    assert sorted(_codes(root)) == ["52", "64"]  # old Bình Định, old Gia Lai
    districts = {
        code: len(_codes(post_map(client, f"{ids.MAP_SIZE}.data", view={"unit": code})))
        for code in ("64", "52")
    }
    assert districts == {"64": 17, "52": 11}


def test_former_district_groups_and_their_communes(client) -> None:
    grouped = {"unit": "52", "tree": "2025", "groups": True}
    body = post_map(client, f"{ids.MAP_SIZE}.data", view=grouped, period="2026")
    groups = _codes(body)
    assert len(groups) == 29 and "MIXED-52" in groups and "633" in groups
    figure = patched(body[ids.MAP]["figure"])
    assert "/geo/2025/former_district/52.json" in figure["data"]["0"]["geojson"]
    sizes = {}
    for code in groups:
        view = {"unit": code, "tree": "2025", "groups": True}
        inner = post_map(client, f"{ids.MAP_SIZE}.data", view=view, period="2026")
        sizes[code] = len(_codes(inner))
        crumbs = json.dumps(inner[ids.BREADCRUMB]["children"], ensure_ascii=False)
        mixed = code == "MIXED-52"
        assert ("thuộc nhiều huyện cũ" if mixed else "(huyện cũ)") in crumbs
    assert sum(sizes.values()) == 135 and all(sizes.values())
    route = client.get("/geo/2025/former_district/52.json").get_json()
    assert len(route["features"]) == 29
    mixed = client.get("/geo/2025/commune/MIXED-52.json").get_json()
    assert len(mixed["features"]) == sizes["MIXED-52"]


def test_the_view_follows_the_period_across_the_reform(client) -> None:
    legacy = {"unit": "64", "tree": "legacy"}
    moved = navigate(client, legacy, "2026")
    assert moved[ids.VIEW]["data"] == {"unit": "52", "tree": "2025", "groups": False}
    # a district becomes its former-district group, grouping switched on
    moved = navigate(client, {"unit": "633", "tree": "legacy"}, "2025")
    assert moved[ids.VIEW]["data"] == {"unit": "633", "tree": "2025", "groups": True}
    assert moved[ids.GROUPS]["value"] is True
    # ... and back: the group is the legacy district again
    back = navigate(client, moved[ids.VIEW]["data"], "2024")
    assert back[ids.VIEW]["data"]["unit"] == "633"
    assert back[ids.VIEW]["data"]["tree"] == "legacy"
    # the new province was formed from two: back to both, side by side
    back = navigate(client, {"unit": "52", "tree": "2025", "groups": False}, "2024")
    assert back[ids.VIEW]["data"]["unit"] == "VN"
    # same tree: nothing to do
    assert navigate(client, {"unit": "64", "tree": "legacy"}, "2023") is None


def test_a_selected_commune_follows_to_its_successor(client, seeded) -> None:
    from data.db import make_engine
    from data.reform import successor_of

    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as conn:
        heir = successor_of(conn, "23557")  # Phường Yên Đỗ, Pleiku
    engine.dispose()
    moved = navigate(client, {"unit": "622", "tree": "legacy"}, "2026", "23557")
    assert moved[ids.SELECTED]["data"] == {"code": heir}


def test_a_stale_view_waits_for_the_tree_of_the_period(client) -> None:
    payload = callback_payload(
        f"{ids.PERIOD}.value", view={"unit": "64", "tree": "legacy"}, period="2026"
    )
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 204


def test_notes_say_what_was_carried_over(client) -> None:
    new = {"unit": "52", "tree": "2025", "groups": False}
    spans, style = notes(client, new, "2025", theme="incidents")
    assert "được cộng vào đơn vị mới theo bảng chuyển đổi" in spans
    assert "đơn vị kế thừa mặc định" in spans  # the rule for divided communes
    assert style == {}  # the grouping switch shows on the new tree
    after, _ = notes(client, new, "2026", theme="incidents")
    assert "bảng chuyển đổi" not in after
    cf, _ = notes(client, new, "2026")
    assert "không được chuyển sang đơn vị mới" in cf
    grouped, _ = notes(client, {**new, "groups": True}, "2026", theme="fund")
    assert "không chính thức" in grouped
    old, style = notes(client, {"unit": "64", "tree": "legacy"}, "2024")
    assert "đơn vị hành chính cũ" in old and style == {"display": "none"}


def test_urls_of_either_tree_open_on_the_period_s_tree(
    client, make_app, seeded
) -> None:
    from dashboard.pages import map_view

    app = make_app(seeded)

    def state(**query: str) -> dict:
        with app.server.test_request_context("/"):
            page = json.dumps(map_view(**query), cls=PlotlyJSONEncoder)
        store = next(
            c
            for c in _walk(json.loads(page))
            if c.get("props", {}).get("id") == ids.VIEW
        )
        return store["props"]["data"]

    assert state() == {"unit": "52", "tree": "2025", "groups": False}  # 2026
    assert state(unit="64", period="2024") == {
        "unit": "64",
        "tree": "legacy",
        "groups": False,
    }
    assert state(unit="64", period="2026")["unit"] == "52"  # the same area
    assert state(unit="633", period="2026") == {
        "unit": "633",
        "tree": "2025",
        "groups": True,
    }


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_english_names_the_mixed_group_and_the_notes(client) -> None:
    view = {"unit": "MIXED-52", "tree": "2025", "groups": True}
    payload = callback_payload(f"{ids.MAP_SIZE}.data", view=view, period="2025")
    payload["state"] = [{"id": ids.LANG, "property": "data", "value": "en"}]
    body = client.post("/_dash-update-component", json=payload).get_json()["response"]
    crumbs = json.dumps(body[ids.BREADCRUMB]["children"], ensure_ascii=False)
    assert "Communes spanning several former districts" in crumbs
    assert "Xã, phường thuộc" not in crumbs
    summary = json.dumps(body[ids.SUMMARY]["children"], ensure_ascii=False)
    assert "Communes spanning several former districts" in summary
    grouped = {"unit": "52", "tree": "2025", "groups": True}
    payload = callback_payload(f"{ids.MAP_SIZE}.data", view=grouped, period="2025")
    payload["state"] = [{"id": ids.LANG, "property": "data", "value": "en"}]
    body = client.post("/_dash-update-component", json=payload).get_json()["response"]
    names = patched(body[ids.MAP]["figure"])["data"]["0"]["text"]
    assert "Communes spanning several former districts" in names
    body = call(
        client,
        [(ids.REFORM_NOTES, "children"), (ids.GROUPS_BOX, "style")],
        [
            (ids.VIEW, "data", grouped),
            (ids.PERIOD, "value", "2025"),
            (ids.THEME, "value", "child_friendly"),
        ],
        [(ids.LANG, "data", "en")],
        f"{ids.PERIOD}.value",
    )
    text = json.dumps(body[ids.REFORM_NOTES]["children"], ensure_ascii=False)
    assert "crosswalk" in text and "informal" in text and "not carried over" in text
    assert "đơn vị" not in text


@pytest.mark.parametrize("theme", ["child_friendly", "fund", "incidents", "timeliness"])
def test_every_theme_on_a_former_district_group(client, theme) -> None:
    view = {"unit": "633", "tree": "2025", "groups": True}
    body = post_map(
        client, f"{ids.MAP_SIZE}.data", view=view, period="2025", theme=theme
    )
    summary = json.dumps(body[ids.SUMMARY]["children"], ensure_ascii=False)
    assert "Huyện Chư Sê" in summary
    assert len(_codes(body)) > 0
