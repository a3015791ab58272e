"""Small-count suppression of abuse figures: the rule, a hand-made fixture where no
total gives a suppressed cell back, and the map as a district user sees it."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from data import metrics
from data.db import transaction
from data.models import AdminUnit, Incident
from data.periods import Period
from data.scope import FULL, Scope
from data.suppression import shown_count
from layouts import ids
from tests.test_app import callback_payload, patched

TODAY = dt.date(2025, 2, 1)
# commune: (abuse cases in 2024, injury cases in 2024)
CASES = {"91101": (0, 3), "91102": (1, 2), "91103": (4, 0), "91104": (5, 7)}


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (0, 0.0),
        (1, None),
        (2, None),
        (4, None),
        (5, 5.0),
        (7, 5.0),
        (8, 10.0),
        (13, 15.0),
    ],
)
def test_rule(exact: int, shown: float | None) -> None:
    assert shown_count(exact) == shown


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
                    }
                )
        s.execute(insert(Incident), cases)
    return engine


def _frame(
    engine: Engine, scope: Scope, level: str, parent: str, **args
) -> pd.DataFrame:  # type: ignore[no-untyped-def]
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
    assert shown["suppressed"].tolist() == [False, True, True, False]
    assert shown["abuse"].fillna(-1).tolist() == [0, -1, -1, 5]
    assert shown["count"].fillna(-1).tolist() == [0, -1, -1, 5]
    assert shown["rate"].isna().tolist() == [False, True, True, False]
    assert shown["rounded"].all()
    # abuse and injury together: injuries are exact, so the sum is hidden too
    both = _frame(small, DISTRICT_USER, "commune", "911")
    assert both["count"].fillna(-1).tolist() == [3, -1, -1, 12]
    assert both["injury"].tolist() == [3, 2, 0, 7]
    # injuries alone are never suppressed
    injury = _frame(small, DISTRICT_USER, "commune", "911", categories=("injury",))
    assert injury["count"].tolist() == [3, 2, 0, 7] and not injury["suppressed"].any()
    # the district's total (10) and the province's are rounded, not exact
    total = _frame(small, DISTRICT_USER, "district", "91", categories=("abuse",))
    assert total.loc["911", "abuse"] == 10
    # a meeting-room viewer: aggregates only, rounded the same way
    viewer = Scope("viewer")
    assert _frame(small, viewer, "commune", "911").empty
    shown = _frame(small, viewer, "district", "91", categories=("abuse",))
    assert shown.loc["911", "abuse"] == 10 and shown["rounded"].all()
    exact = _frame(small, Scope("province"), "district", "91", categories=("abuse",))
    assert exact.loc["911", "abuse"] == 10 and not exact["rounded"].any()


def test_no_shown_figure_gives_a_suppressed_cell_back(small: Engine) -> None:
    """Every assignment of true values to the hidden cells that agrees with all
    the user sees (cells, the district's and the province's totals, the combined
    counts): each hidden cell still has at least two possible values."""
    cells = _frame(small, DISTRICT_USER, "commune", "911", categories=("abuse",))
    district = _frame(small, DISTRICT_USER, "district", "91", categories=("abuse",))
    province = _frame(small, DISTRICT_USER, "province", "VN", categories=("abuse",))
    hidden = [c for c in cells.index if cells.loc[c, "suppressed"]]
    assert hidden == ["91102", "91103"]

    def agrees(values: dict[str, int]) -> bool:
        total = sum(values.values())
        for shown in (district.loc["911", "abuse"], province.loc["91", "abuse"]):
            if not shown - 2 <= total <= shown + 2:  # rounded to the nearest 5
                return False
        return True

    known = {c: int(cells.loc[c, "abuse"]) for c in cells.index if c not in hidden}
    # a shown 5 stands for 5, 6 or 7: the user does not know which either
    possible: dict[str, set[int]] = {c: set() for c in hidden}
    for guess in itertools.product(range(1, 5), repeat=len(hidden)):
        for shown_five in range(5, 8):
            guessed = dict(zip(hidden, guess, strict=True))
            values = {**known, "91104": shown_five, **guessed}
            if agrees(values):
                for c, v in zip(hidden, guess, strict=True):
                    possible[c].add(v)
    assert all(len(v) >= 2 for v in possible.values()), possible


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
def district_client(seeded, make_app):  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    def client(role: str):  # type: ignore[no-untyped-def]
        c = make_app(seeded).server.test_client()
        assert sign_in(c, role).status_code == 302
        return c

    return client


def test_the_map_as_a_district_user_and_as_the_province(district_client) -> None:  # type: ignore[no-untyped-def]
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
        if e == 0:
            assert s == 0
        elif 1 <= e <= 4:
            assert s == "<5"
        else:
            assert s % 5 == 0 and abs(s - e) <= 2
    assert any(1 <= e <= 4 for e in exact)  # the seeded data has small counts


def _possible(cells: list[int], rounded: bool) -> set[int]:
    """Values the one hidden cell of ``cells`` may take, given what is shown of
    the other cells and of the total: rounded to 5 (the rule) or exact (plain
    suppression of 1-4 only)."""
    hidden = [i for i, c in enumerate(cells) if 1 <= c <= 4]
    assert len(hidden) == 1
    spread = 2 if rounded else 0

    def candidates(value: int) -> list[int]:
        if value == 0 or not rounded:
            return [value]
        shown = int(shown_count(value))
        return [v for v in range(shown - 2, shown + 3) if v >= 5]

    shown_total = shown_count(sum(cells)) if rounded else sum(cells)
    others = [candidates(c) for i, c in enumerate(cells) if i not in hidden]
    out = set()
    for guess in range(1, 5):
        for rest in itertools.product(*others):
            if abs(guess + sum(rest) - shown_total) <= spread:
                out.add(guess)
    return out


@pytest.mark.parametrize("cells", [[0, 1, 5], [0, 4, 5], [3, 0, 0, 12], [2, 9, 0]])
def test_an_exact_total_would_give_the_cell_back_a_rounded_one_does_not(
    cells: list[int],
) -> None:
    assert len(_possible(cells, rounded=False)) == 1  # what the rule prevents
    assert len(_possible(cells, rounded=True)) >= 2


def test_abuse_types_are_not_offered_to_restricted_users(district_client) -> None:  # type: ignore[no-untyped-def]
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
