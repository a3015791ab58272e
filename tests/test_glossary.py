"""The indicator glossary (/chi-so): every indicator shown has a complete entry in
both languages, the page shows each entry at its anchor, and the map's legend,
the ranking's headers and the scorecard's rows carry the "?" to the right one.

The indicators are read from the code's own lists (the themes' measures, the
ranking's components, the plan targets' indicators, the indicators the database
holds), never from a list kept here."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from plotly.utils import PlotlyJSONEncoder

from callbacks.tables_page import columns
from callbacks.themes import GLOSSARY, THEMES
from data import ranking, tables
from data.db import make_engine
from data.demo import indicators
from data.legal_acts import uncited_forms
from data.periods import Period
from data.scope import FULL
from data.tables import Filters
from layouts import glossary, ids, ranking_page, tables_page
from layouts.messages import LANGUAGES, MESSAGES
from layouts.messages.glossary import ENTRIES, FIELDS
from layouts.shell import PageInfo, navbar
from tests.conftest import sign_in
from tests.test_app import callback_payload, patched

VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]"
)


def _shown_keys() -> set[str]:
    """Every glossary key the UI links to, from the code's registries."""
    themes = {key for theme in THEMES for key in GLOSSARY[theme]}
    ranked = {ranking_page.COMPONENT_GLOSSARY[c] for c in ranking.COMPONENTS}
    return themes | ranked | {ranking_page.COMPOSITE_GLOSSARY} | set(indicators.CODES)


def test_every_theme_and_ranking_component_names_its_entry() -> None:
    assert set(GLOSSARY) == set(THEMES)
    assert all(GLOSSARY[theme] for theme in THEMES)
    assert set(ranking_page.COMPONENT_GLOSSARY) == set(ranking.COMPONENTS)
    # a ranking component ranks by one of the map's measures
    themes = {key for keys in GLOSSARY.values() for key in keys}
    assert set(ranking_page.COMPONENT_GLOSSARY.values()) <= themes


@pytest.mark.parametrize("key", sorted(_shown_keys()))
def test_every_indicator_has_a_complete_entry_in_both_languages(key: str) -> None:
    assert glossary.has_entry(key), key
    for field in FIELDS:
        texts = MESSAGES[f"gloss_{key}_{field}"]
        assert set(texts) == set(LANGUAGES), (key, field)
        for lang in LANGUAGES:
            assert len(texts[lang].strip()) >= 3, (key, field, lang)
            # a legal act, when cited, is cited in full
            assert uncited_forms(texts[lang]) == [], (key, field, lang)
        if field != "unit":
            assert texts["vi"] != texts["en"], (key, field)
            assert VIETNAMESE.search(texts["vi"].lower()), (key, field)


def test_the_message_table_holds_no_entry_nothing_shows() -> None:
    assert set(ENTRIES) == _shown_keys()
    gloss = {k for k in MESSAGES if k.startswith("gloss_")}
    entry_keys = {f"gloss_{key}_{field}" for key in ENTRIES for field in FIELDS}
    assert entry_keys <= gloss
    # the rest are the page's own words
    assert all(k.count("_") <= 3 for k in gloss - entry_keys)


def test_a_missing_field_is_not_a_complete_entry(monkeypatch) -> None:
    monkeypatch.delitem(MESSAGES, "gloss_fund_pct_limits")
    assert not glossary.has_entry("fund_pct")
    assert glossary.has_entry("fund_amount")


def test_the_plan_entries_name_the_plan_target_of_the_seeds() -> None:
    # the basis of a plan target names its plan and the seed's target
    plans = {
        "000 Tam Đường 2018": "Tam Đường",
        "001 Nam Đông 2014": "Nam Đông",
        "004 Gia Lai 2021": "Gia Lai",
    }
    for spec in indicators.INDICATORS:
        basis = MESSAGES[f"gloss_{spec.code}_basis"]
        assert plans[spec.source] in basis["vi"], spec.code
        assert plans[spec.source] in basis["en"], spec.code
        assert MESSAGES[f"gloss_{spec.code}_name"]["vi"] == spec.name_vi
        assert MESSAGES[f"gloss_{spec.code}_name"]["en"] == spec.name_en


@pytest.fixture
def app(seeded_sqlite, make_app):
    return make_app(seeded_sqlite)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_shows_every_entry_at_its_anchor(app, lang: str) -> None:
    from dashboard.pages import glossary_sections, glossary_view

    listed = [key for _title, keys in glossary_sections() for key in keys]
    assert set(listed) == _shown_keys() and len(listed) == len(set(listed))
    with app.server.test_request_context("/chi-so"):
        page = json.dumps(
            glossary_view(lang=lang), cls=PlotlyJSONEncoder, ensure_ascii=False
        )
    for key in listed:
        assert f'"id": "{key}"' in page, key
        assert f'"href": "#{key}"' in page, key  # the contents link to it
        for field in FIELDS:
            shown = MESSAGES[f"gloss_{key}_{field}"][lang]
            assert json.dumps(shown, ensure_ascii=False) in page, (key, field)
    assert MESSAGES["gloss_title"][lang] in page
    other = "en" if lang == "vi" else "vi"
    assert f'"href": "/chi-so?lang={other}"' in page  # the language switch


def test_the_page_needs_sign_in_and_is_in_the_navbar(app) -> None:
    client = app.server.test_client()
    response = client.get("/chi-so")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert sign_in(client).status_code == 302
    assert client.get("/chi-so?lang=en").status_code == 200
    for lang in LANGUAGES:
        info = PageInfo(lang, "", [], False, False, "", signed_in_as="x (y)")
        bar = json.dumps(navbar(info, lang, "/"), cls=PlotlyJSONEncoder)
        link = re.search(f'"id": "{ids.GLOSSARY_LINK}"[^}}]*', bar)
        assert link is not None and f'"href": "/chi-so?lang={lang}"' in link.group()


def _anchor(href: str) -> str:
    return href.rsplit("#", 1)[1]


def _map_help(client, lang: str = "vi", **values: object) -> dict:
    payload = callback_payload(f"{ids.MAP_SIZE}.data", **values)
    payload["state"] = [{"id": ids.LANG, "property": "data", "value": lang}]
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:300]
    figure = patched(response.get_json()["response"][ids.MAP]["figure"])
    return figure["layout"]["meta"]["help"]


def test_the_map_legend_links_each_measure_to_its_entry(app) -> None:
    client = app.server.test_client()
    assert sign_in(client).status_code == 302
    seen: dict[str, set[str]] = {theme: set() for theme in THEMES}
    # the province's districts, and a district's communes
    for view in ({"unit": "64"}, {"unit": "633"}):
        for theme in THEMES:
            for measure in ("rate", "count") if theme == "incidents" else ("rate",):
                help_ = _map_help(client, view=view, theme=theme, measure=measure)
                key = _anchor(help_["href"])
                assert key in GLOSSARY[theme], (theme, view, key)
                assert help_["href"] == f"/chi-so?lang=vi#{key}"
                assert help_["label"].startswith("Giải thích chỉ số: ")
                assert MESSAGES[f"gloss_{key}_name"]["vi"] in help_["label"]
                seen[theme].add(key)
    # every measure the registry names is one a legend shows
    assert seen == {theme: set(keys) for theme, keys in GLOSSARY.items()}
    english = _map_help(client, "en", view={"unit": "64"}, theme="fund")
    assert english["href"] == "/chi-so?lang=en#fund_pct"
    assert english["label"].startswith("About this indicator: ")


def _links(component: object) -> list[dict]:
    """The props of every "?" link under a layout (as JSON)."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("className") == "gloss-help":
                found.append(props)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(json.dumps(component, cls=PlotlyJSONEncoder)))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_ranking_column_carries_its_question_mark(lang: str) -> None:
    table = ranking_page.table([], lang, None, {})
    links = _links(table.children[0])  # the header
    wanted = [
        *(ranking_page.COMPONENT_GLOSSARY[c] for c in ranking_page.COMPONENT_KEYS),
        ranking_page.COMPOSITE_GLOSSARY,
    ]
    assert [_anchor(link["href"]) for link in links] == wanted
    for link in links:
        assert link["href"].startswith(f"/chi-so?lang={lang}#")
        assert link["target"] == "_blank" and link["rel"] == "noopener"
        assert link["aria-label"] == link["title"] != ""
        assert link["children"] == "?"


def test_every_scorecard_row_carries_its_question_mark(seeded_sqlite) -> None:
    spec = tables.TABLES["scorecard"]
    assert "indicator_code" in spec.hidden  # in the rows, never in the files
    for lang in LANGUAGES:
        defs = tables_page.column_defs(columns("scorecard", lang), lang)
        cell = next(d for d in defs if d["field"] == "indicator")
        assert cell["cellRenderer"] == "GlossaryLink"
        params = cell["cellRendererParams"]
        assert params["field"] == "indicator_code"
        assert params["href"] == f"/chi-so?lang={lang}#"
        assert "{name}" in params["label"]
        assert set(params["keys"]) == set(glossary.KEYS)
    # the indicators the database holds (not only the seeds') all have an entry
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            now = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
            frames = list(
                tables.stream(
                    conn,
                    "scorecard",
                    Filters("legacy", "64", Period(2024)),
                    FULL,
                    now=now,
                )
            )
    finally:
        engine.dispose()
    rows = pd.concat(frames)
    assert len(rows) > 0
    codes = set(rows["indicator_code"])
    assert codes <= set(glossary.KEYS)
