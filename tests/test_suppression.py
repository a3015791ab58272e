"""Disclosure control of abuse figures (the cell key method): the perturbation
table, SQL and Python alike, a hand-made fixture where no total gives a hidden
cell back, and the map as a district user sees it."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from data import metrics
from data.db import transaction
from data.metrics.summary import refresh_incidents
from data.models import RECORD_KEY_MODULUS, AdminUnit, Incident
from data.periods import Period
from data.scope import FULL, Scope
from data.suppression import (
    BOUNDS,
    MAX_NOISE,
    NOISE,
    THRESHOLD,
    interval,
    noise,
    perturbed,
    perturbed_sql,
    shown_count,
)
from layouts import ids
from tests.test_app import callback_payload, patched

TODAY = dt.date(2025, 2, 1)
# commune: (abuse cases in 2024, injury cases in 2024)
CASES = {"91101": (0, 3), "91102": (1, 2), "91103": (4, 0), "91104": (5, 7)}


# A record key whose sums over 1, 4, 5 and 10 records all draw the noise 0: the
# fixture's cells then show their true counts (or "<5"), so the tests below can
# name what each cell shows.
NO_NOISE_KEY = int(0.34 * RECORD_KEY_MODULUS)


def test_the_perturbation_table() -> None:
    assert abs(sum(p for _, p in NOISE) - 1) < 1e-12
    assert sum(d * p for d, p in NOISE) == pytest.approx(0)  # no bias
    assert BOUNDS[-1] == RECORD_KEY_MODULUS
    # the noise each part of the key range gives, at its edges
    assert noise(0) == -2 and noise(BOUNDS[0] - 1) == -2 and noise(BOUNDS[0]) == -1
    assert noise(RECORD_KEY_MODULUS // 2) == 0
    assert noise(RECORD_KEY_MODULUS - 1) == 2
    assert noise(RECORD_KEY_MODULUS + 5) == noise(5)  # the key sum wraps


@pytest.mark.parametrize("key", [0, BOUNDS[0], BOUNDS[1], BOUNDS[2], BOUNDS[3]])
def test_rule(key: int) -> None:
    # 0 and anything that ends under 5 show as "<5": 0 looks like 1-4
    for n in (0, 1, 2):
        assert shown_count(n, key) is None
    for n in range(3, 40):
        shown = shown_count(n, key)
        value = perturbed(n, key)
        assert value is not None and abs(value - n) <= MAX_NOISE
        assert shown == (None if value < THRESHOLD else value)
        low, high = interval(shown)
        assert low <= n <= high  # what docs/administration.md says a shown value allows
    assert perturbed(0, key) == 0 and interval(None) == (0, 6)
    assert interval(5) == (3, 7) and interval(20) == (18, 22)


def test_the_documentation_states_what_a_shown_value_allows() -> None:
    doc = Path(__file__).resolve().parents[1] / "docs" / "administration.md"
    text = " ".join(doc.read_text(encoding="utf-8").split())
    found = re.search(
        r'What a figure allows: "<5" means a true count of (\d+) to (\d+); '
        r"a shown \*p\* means \*p\*−(\d+) to \*p\*\+(\d+)\.",
        text,
    )
    assert found, "the passage on what a shown value allows has moved"
    low, high, below, above = map(int, found.groups())
    assert interval(None) == (low, high)
    for p in (THRESHOLD, 20, 137):
        assert interval(p) == (p - below, p + above)


def test_the_same_cell_always_shows_the_same_value() -> None:
    keys = [12345, 999_999_999, 3_000_000_000]
    assert {shown_count(17, sum(keys)) for _ in range(5)} == {
        shown_count(17, sum(reversed(keys)))
    }


def test_noise_follows_the_table_for_random_keys() -> None:
    import random

    draw = random.Random(7)
    counts = {d: 0 for d, _ in NOISE}
    for _ in range(20000):
        counts[noise(draw.randrange(RECORD_KEY_MODULUS))] += 1
    for d, p in NOISE:
        assert counts[d] / 20000 == pytest.approx(p, abs=0.015)


def test_sql_and_python_perturb_alike(engine: Engine) -> None:
    from sqlalchemy import literal, select

    pairs = [(n, k) for n in (0, 1, 2, 3, 4, 5, 9, 40) for k in (0, *BOUNDS[:-1])]
    pairs += [(7, k + RECORD_KEY_MODULUS * 3) for k in BOUNDS[:-1]]
    with engine.connect() as conn:
        for n, k in pairs:
            sql = perturbed_sql(literal(n), literal(k))
            assert conn.execute(select(sql)).scalar_one() == perturbed(n, k), (n, k)


@pytest.fixture
def small(engine: Engine) -> Engine:
    """Province 91 > district 911 > four communes, with the cases of ``CASES``."""
    with transaction(engine) as s:
        ids_ = {}
        rows = [
            ("VN", "country", None),
            ("91", "province", "VN"),
            ("911", "district", "91"),
        ]
        rows += [(code, "commune", "911") for code in CASES]
        for n, (code, level, parent) in enumerate(rows, 1):
            s.execute(
                insert(AdminUnit),
                {
                    "id": n,
                    "tree": "legacy",
                    "code": code,
                    "level": level,
                    "kind": "xã",
                    "name": f"Unit {code}",
                    "short_name": code,
                    "parent_id": ids_.get(parent),
                    "children_u16": 1000,
                    "source": "test",
                },
            )
            ids_[code] = n
        cases = []
        for code, (abuse, injury) in CASES.items():
            for i in range(abuse + injury):
                category = "abuse" if i < abuse else "injury"
                cases.append(
                    {
                        "unit_id": ids_[code],
                        "occurred_on": dt.date(2024, 1 + i % 12, 1 + i),
                        "category": category,
                        "type_code": "AB_VIOL" if category == "abuse" else "INJ_FALL",
                        "sex": "F",
                        "age_band": "11_15",
                        "environment": "FAMILY",
                        "record_key": NO_NOISE_KEY,
                    }
                )
        s.execute(insert(Incident), cases)
        refresh_incidents(s)
    return engine


def _frame(
    engine: Engine, scope: Scope, level: str, parent: str, **args
) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = metrics.incidents(
            conn,
            tree="legacy",
            level=level,
            parent_code=parent,
            period=Period(2024),
            today=TODAY,
            scope=scope,
            **args,
        )
    return frame.set_index("code")


DISTRICT_USER = Scope("district", 3)  # unit 3 is district 911


def test_exact_for_the_province_shown_for_the_others(small: Engine) -> None:
    exact = _frame(small, Scope("province"), "commune", "911", categories=("abuse",))
    assert exact["abuse"].tolist() == [0, 1, 4, 5]
    assert not exact["suppressed"].any() and not exact["rounded"].any()
    shown = _frame(small, DISTRICT_USER, "commune", "911", categories=("abuse",))
    # 0 is hidden like 1-4: "<5" says nothing about whether there was a case
    assert shown["suppressed"].tolist() == [True, True, True, False]
    assert shown["abuse"].fillna(-1).tolist() == [-1, -1, -1, 5]
    assert shown["count"].fillna(-1).tolist() == [-1, -1, -1, 5]
    assert shown["rate"].isna().tolist() == [True, True, True, False]
    assert shown["rounded"].all()
    # abuse and injury together: the injuries (exact) plus the abuse shown, and
    # only "at least" the injuries where the abuse part is "<5"
    both = _frame(small, DISTRICT_USER, "commune", "911")
    assert both["count"].tolist() == [3, 2, 0, 12]
    assert both["partial"].tolist() == [True, True, True, False]
    assert not both["suppressed"].any()
    assert both["injury"].tolist() == [3, 2, 0, 7]
    rate = both["rate"].tolist()
    assert rate == [100_000 * c / 1000 for c in (3, 2, 0, 12)]  # agrees with count
    # injuries alone are never perturbed
    injury = _frame(small, DISTRICT_USER, "commune", "911", categories=("injury",))
    assert injury["count"].tolist() == [3, 2, 0, 7] and not injury["suppressed"].any()
    # the district's total is perturbed from its own records (here by 0)
    total = _frame(small, DISTRICT_USER, "district", "91", categories=("abuse",))
    assert total.loc["911", "abuse"] == 10
    # a meeting-room viewer: aggregates only, perturbed the same way
    viewer = Scope("viewer")
    assert _frame(small, viewer, "commune", "911").empty
    shown = _frame(small, viewer, "district", "91", categories=("abuse",))
    assert shown.loc["911", "abuse"] == 10 and shown["rounded"].all()
    exact = _frame(small, Scope("province"), "district", "91", categories=("abuse",))
    assert exact.loc["911", "abuse"] == 10 and not exact["rounded"].any()


def test_one_more_record_moves_the_noise_not_the_rule(small: Engine) -> None:
    """Another abuse record in commune 91104 (5 -> 6): the cell key changes, so the
    shown value is 6 plus a fresh noise, never a difference an attacker can read."""
    with transaction(small) as s:
        s.execute(
            insert(Incident),
            {
                "unit_id": 7,
                "occurred_on": dt.date(2024, 6, 1),
                "category": "abuse",
                "type_code": "AB_VIOL",
                "sex": "M",
                "age_band": "11_15",
                "record_key": (BOUNDS[0] - 5 * NO_NOISE_KEY) % RECORD_KEY_MODULUS,
            },
        )
        refresh_incidents(s, [7])
    shown = _frame(small, DISTRICT_USER, "commune", "911", categories=("abuse",))
    # the six keys now sum to BOUNDS[0] (mod 2^32): noise -1
    assert shown.loc["91104", "abuse"] == 5
    exact = _frame(small, Scope("province"), "commune", "911", categories=("abuse",))
    assert exact.loc["91104", "abuse"] == 6


def test_no_shown_figure_gives_a_hidden_cell_back(small: Engine) -> None:
    """Every assignment of true values to the cells that agrees with all the user
    sees (the cells, the district's and the province's totals, each within its
    shown range): each cell of 1-4 still has at least two possible values."""
    cells = _frame(small, DISTRICT_USER, "commune", "911", categories=("abuse",))
    district = _frame(small, DISTRICT_USER, "district", "91", categories=("abuse",))
    province = _frame(small, DISTRICT_USER, "province", "VN", categories=("abuse",))
    ranges = {c: interval(cells.loc[c, "abuse"]) for c in cells.index}
    totals = [
        interval(district.loc["911", "abuse"]),
        interval(province.loc["91", "abuse"]),
    ]
    possible: dict[str, set[int]] = {c: set() for c in cells.index}
    spans = [range(low, high + 1) for low, high in ranges.values()]
    for guess in itertools.product(*spans):
        if all(low <= sum(guess) <= high for low, high in totals):
            for c, v in zip(cells.index, guess, strict=True):
                possible[c].add(v)
    exact = {"91101": 0, "91102": 1, "91103": 4, "91104": 5}
    for c, true in exact.items():
        assert true in possible[c]
        if 1 <= true <= 4:
            assert len(possible[c]) >= 2, (c, possible[c])


def test_abuse_types_are_not_broken_down_for_restricted_users(small: Engine) -> None:
    by_type = _frame(
        small,
        DISTRICT_USER,
        "commune",
        "911",
        categories=("abuse",),
        types=("AB_VIOL",),
    )
    all_abuse = _frame(small, DISTRICT_USER, "commune", "911", categories=("abuse",))
    pd.testing.assert_frame_equal(by_type, all_abuse)


def test_detail_and_trend_as_a_restricted_user(small: Engine) -> None:
    with small.connect() as conn:
        detail = metrics.unit_detail(
            conn,
            tree="legacy",
            code="91103",
            period=Period(2024),
            today=TODAY,
            scope=DISTRICT_USER,
        )
        exact = metrics.unit_detail(
            conn,
            tree="legacy",
            code="91103",
            period=Period(2024),
            today=TODAY,
            scope=FULL,
        )
        trend = metrics.unit_trend(
            conn,
            tree="legacy",
            code="91103",
            years=[2024],
            today=TODAY,
            scope=DISTRICT_USER,
        )
    assert detail is not None and exact is not None
    assert detail["incidents"]["abuse"] is None and exact["incidents"]["abuse"] == 4
    assert all(r["category"] == "injury" for r in detail["incidents"]["top_types"])
    assert pd.isna(trend.loc[0, "abuse"]) and pd.isna(trend.loc[0, "incident_rate"])


@pytest.fixture
def district_client(seeded, make_app):
    from tests.conftest import sign_in

    def client(role: str):
        c = make_app(seeded).server.test_client()
        assert sign_in(c, role).status_code == 302
        return c

    return client


def test_the_map_as_a_district_user_and_as_the_province(district_client) -> None:
    def values(role: str) -> tuple[list, list]:
        client = district_client(role)
        payload = callback_payload(
            f"{ids.MAP_SIZE}.data",
            view={"unit": "633", "tree": "legacy"},
            theme="incidents",
            category="abuse",
            measure="count",
            period="2024",
        )
        body = client.post("/_dash-update-component", json=payload).get_json()
        layer = patched(body["response"][ids.MAP]["figure"])["data"]["1"]
        return [row[0] for row in layer["customdata"]], layer["colorbar"]["ticktext"]

    shown, ticks = values("district")
    exact, exact_ticks = values("province")
    assert len(shown) == len(exact) == 15
    assert "<5 (ẩn)" in ticks and "<5 (ẩn)" not in exact_ticks
    for s, e in zip(shown, exact, strict=True):
        if e <= 2:
            assert s == "<5"  # 0 included
        elif s != "<5":
            assert s >= THRESHOLD and abs(s - e) <= MAX_NOISE
    assert any(1 <= e <= 4 for e in exact)  # the seeded data has small counts


def test_abuse_types_are_not_offered_to_restricted_users(district_client) -> None:
    from tests.test_app_reform import call

    def offered(role: str) -> list[str]:
        body = call(
            district_client(role),
            [
                (ids.INCIDENT_CONTROLS, "style"),
                (ids.TYPES, "options"),
                (ids.TYPES, "value"),
            ],
            [(ids.THEME, "value", "incidents"), (ids.CATEGORY, "value", "both")],
            [(ids.TYPES, "value", ["AB_SEX"]), (ids.LANG, "data", "vi")],
            f"{ids.CATEGORY}.value",
        )
        return [o["value"] for o in body[ids.TYPES]["options"]], body[ids.TYPES][
            "value"
        ]

    restricted, kept = offered("district")
    assert restricted and not any(c.startswith("AB_") for c in restricted)
    assert kept == []  # a chosen abuse type is dropped
    exact, _ = offered("province")
    assert "AB_SEX" in exact
