"""A restricted role (district, commune, meeting room) never gets a rate that
disagrees with the count it is shown (``data.suppression``): every rate it
receives is its shown count over the children (rounded as displayed), a lower
bound marked "≥" where the count is one, and no rate at all beside a "<5".
Harvested on the demo through the map's callback (hover, both measures), the
detail panel, the trend, the review and the ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from data import metrics, ranking, review
from data.periods import Period
from data.scope import Scope
from data.suppression import SHOWN
from layouts import ids, ranking_page
from tests.test_app import callback_payload, patched
from tests.test_disclosure_regressions import TODAY
from tests.test_scope import scope_of

PER = 100_000
ROLES = ("district", "commune", "viewer")
# (view, period): legacy province and district, the new province and its groups
VIEWS = [
    ({"unit": "64", "tree": "legacy"}, "2024"),
    ({"unit": "64", "tree": "legacy"}, "2023-Q2"),
    ({"unit": "633", "tree": "legacy"}, "2024"),
    ({"unit": "52", "tree": "2025"}, "2025"),
    ({"unit": "52", "tree": "2025"}, "2026-Q1"),
    ({"unit": "52", "tree": "2025", "groups": True}, "2025"),
]


def _number(text: str) -> float:
    """A Vietnamese number as shown ("≥ 1.234,5" -> 1234.5)."""
    return float(text.removeprefix("≥ ").replace(".", "").replace(",", "."))


def _close(shown: float, count: float, children: float) -> bool:
    """``shown`` is count / children per 100,000 at one decimal."""
    return abs(shown - count / children * PER) <= 0.05 + 1e-9


def _map(client, view: dict, period: str, category: str, measure: str) -> list:
    body = client.post(
        "/_dash-update-component",
        json=callback_payload(
            f"{ids.MAP_SIZE}.data",
            view=view,
            theme="incidents",
            category=category,
            measure=measure,
            period=period,
        ),
    )
    assert body.status_code == 200
    figure = patched(body.get_json()["response"][ids.MAP]["figure"])
    return figure["data"]["1"]["customdata"]


def _check_pair(count: object, rate: object, children: object) -> str:
    """Which kind of pair (count, rate) is; AssertionError when they disagree."""
    if count == SHOWN:
        assert rate in (SHOWN, "–"), (count, rate)
        return "hidden"
    if not children:
        assert rate in (None, "–"), (count, rate, children)
        return "no children"
    if isinstance(count, str):  # a lower bound "≥ n": its rate one too
        assert isinstance(rate, str) and rate.startswith("≥ "), (count, rate)
        assert _close(_number(rate), _number(count), children), (count, rate)
        return "lower bound"
    value = _number(rate) if isinstance(rate, str) else rate
    assert _close(value, count, children), (count, rate, children)
    return "shown"


@pytest.mark.parametrize("role", ROLES)
def test_the_map_gives_the_rate_of_the_shown_count(client_as, role: str) -> None:
    client = client_as(role)
    kinds: dict[str, int] = {}
    for view, period in VIEWS:
        for category in ("abuse", "both"):
            by_rate = _map(client, view, period, category, "rate")
            by_count = _map(client, view, period, category, "count")
            assert len(by_rate) == len(by_count)
            for (value, count, children, _s, _t, ci), (shown, rate, _s2, ci2) in zip(
                by_rate, by_count, strict=True
            ):
                assert shown == count  # both measures show one count
                assert ci == ci2  # and one interval, of the count shown
                if count == "<5" or str(count).startswith("≥"):
                    assert ci and "tính cho 0–4" in ci, (count, ci)
                elif ci:
                    assert "tính cho" not in ci
                kind = _check_pair(count, value, children)
                assert _check_pair(shown, rate, children) == kind
                kinds[kind] = kinds.get(kind, 0) + 1
    # each kind of pair was met (so that the test checks something)
    assert kinds.get("hidden") and kinds.get("shown"), kinds
    assert kinds.get("lower bound"), kinds


def _detail_pairs(db, scope: Scope, codes: list[tuple[str, str, str]]) -> int:
    checked = 0
    for tree, code, period in codes:
        d = metrics.unit_detail(
            db,
            tree=tree,
            code=code,
            period=Period.parse(period),
            today=TODAY,
            scope=scope,
        )
        if d is None:  # outside the user's area
            continue
        cases = d["incidents"]
        abuse = cases["abuse"]
        assert cases["count"] == cases["injury"] + (abuse or 0)
        assert bool(cases["partial"]) == (abuse is None)
        if cases["children"]:
            assert cases["rate"] == pytest.approx(
                cases["count"] / cases["children"] * PER
            )
        checked += 1
    return checked


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_and_trend_give_the_rate_of_the_shown_count(
    db,
    role: str,
) -> None:
    scope = scope_of(db, role)
    units = [
        ("legacy", "64", "2024"),
        ("legacy", "633", "2024"),
        ("legacy", "23941", "2024"),
        ("2025", "52", "2025"),
        ("2025", "52", "2026"),
    ]
    assert _detail_pairs(db, scope, units) >= 3
    for tree, code in [("legacy", "633"), ("2025", "52")]:
        trend = metrics.unit_trend(
            db, tree=tree, code=code, years=range(2022, 2027), today=TODAY, scope=scope
        )
        for row in trend.to_dict("records"):
            cases = metrics.incidents_of_unit(
                db,
                tree=tree,
                code=code,
                period=Period(row["year"]),
                today=TODAY,
                scope=scope,
            ).iloc[0]
            if pd.isna(row["abuse"]):  # "<5": the rate would be a lower bound
                assert row["incident_rate"] is None or pd.isna(row["incident_rate"])
                continue
            count = row["abuse"] + row["injury"]
            assert row["incident_rate"] == pytest.approx(
                count / cases["children"] * PER
            )


def test_the_review_map_has_no_rate_beside_a_hidden_count(db) -> None:
    viewer = Scope("viewer")
    quarter = Period(2024, 3)
    r = review.review(db, province="64", quarter=quarter, today=TODAY, scope=viewer)
    cases = metrics.incidents(
        db,
        tree="legacy",
        level="district",
        parent_code="64",
        period=quarter,
        today=TODAY,
        scope=viewer,
    ).set_index("code")
    slide = r.maps["incidents"].set_index("code")
    hidden = slide["suppressed"].astype(bool)
    # a quarter's abuse counts are small: every district's shows "<5"
    assert hidden.any()
    assert slide.loc[hidden, "value"].isna().all()
    shown = cases.loc[slide.index[~hidden]]
    expected = PER * shown["count"].astype(float) / shown["children"].astype(float)
    assert slide.loc[~hidden, "value"].tolist() == pytest.approx(expected.tolist())


def test_the_ranking_shows_the_burden_of_the_shown_counts(db) -> None:
    viewer = Scope("viewer")
    args = {"tree": "legacy", "level": "district", "parent_code": "64"}
    frame = ranking.ranked(db, **args, period=Period(2024), today=TODAY, scope=viewer)
    cases = metrics.incidents(
        db, **args, period=Period(2024), today=TODAY, scope=viewer
    ).set_index("code")
    rows = frame.set_index("code")
    shown = cases["injury"] + cases["abuse"].fillna(0)
    expected = PER * shown / cases["children"].astype(float)
    assert rows["burden"].tolist() == pytest.approx(expected.loc[rows.index].tolist())
    partial = cases["abuse"].isna().loc[rows.index]
    assert rows["burden_partial"].tolist() == partial.tolist()
    assert partial.any()
    # the table marks those burdens as lower bounds
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    html = str(ranking_page.table(records, "vi", None, {}))
    for code in rows.index[partial]:
        value = rows.loc[code, "burden"]
        assert (
            f"≥ {value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
            in html
        )
