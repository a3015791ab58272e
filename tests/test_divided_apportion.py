"""A divided legacy commune's cases and children move together
(docs/reform-2025.md, "Cases and children move together"): by area share where
the boundaries are real, else all to the default successor.  A hand-made pair of
trees, on both backends:

    legacy (to 30/6/2025)                    2025 (from 1/7/2025)
    VN                                       VN
    └── 71 (3,000 children)                  └── 71 (3,000)
        └── 711 (3,000)                          ├── 71001 S1 <- L, default (1,500)
            └── 71101 L (3,000)                  └── 71002 S2 <- L            (1,500)

L is a 1 x 1 square; S1 takes its western 0.6, S2 the eastern 0.4.  L had 4
cases in 2024 (2 abuse, 2 injuries): its own rate is 4 / 3,000 = 133.3 per
100,000.  Counted all in S1 over S1's own children it would be 266.7, and S2
would have none; apportioned, S1 has 2.4 cases of 1,800 children and S2 1.6 of
1,200, and both show L's 133.3.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, insert, select, update

from data import metrics
from data.boundaries import replace_boundaries
from data.db import transaction
from data.metrics.summary import refresh_incidents
from data.models import AdminUnit, Boundary, Incident, UnitCrosswalk
from data.periods import Period
from data.scope import Scope
from geo.shares import area_shares, refresh_area_shares
from tests.test_metrics_reform import insert_trees

OLD, NEW = "legacy", "2025"
END_OLD, START_NEW = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
TODAY = dt.date(2026, 12, 2)
L, S1, S2 = "71101", "71001", "71002"
UNITS = {
    (OLD, "VN"): ("country", None, None),
    (OLD, "71"): ("province", "VN", 3000),
    (OLD, "711"): ("district", "71", 3000),
    (OLD, L): ("commune", "711", 3000),
    (NEW, "VN"): ("country", None, None),
    (NEW, "71"): ("province", "VN", 3000),
    (NEW, S1): ("commune", "71", 1500),
    (NEW, S2): ("commune", "71", 1500),
}
# (code, west, east): the squares' x range, y from 0 to 1
SHAPES = {(OLD, L): (0.0, 1.0), (NEW, S1): (0.0, 0.6), (NEW, S2): (0.6, 1.0)}
LEGACY_RATE = 4 / 3000 * 100_000  # 133.3


def _box(west: float, east: float) -> bytes:
    return shapely.to_wkb(shapely.box(west, 0.0, east, 1.0))


@pytest.fixture
def divided(engine: Engine) -> Engine:
    crosswalk = [(L, S1, True, True), (L, S2, False, True)]
    with engine.begin() as conn:
        ids = insert_trees(conn, UNITS, crosswalk)
        conn.execute(
            insert(Incident),
            [
                {
                    "unit_id": ids[(OLD, L)],
                    "occurred_on": day,
                    "category": category,
                    "type_code": kind,
                    "sex": "F",
                    "age_band": "6_10",
                }
                for day, category, kind in [
                    (dt.date(2024, 2, 1), "abuse", "AB_VIOL"),
                    (dt.date(2024, 5, 1), "abuse", "AB_SEX"),
                    (dt.date(2024, 6, 1), "injury", "INJ_DROWN"),
                    (dt.date(2024, 9, 1), "injury", "INJ_FALL"),
                ]
            ],
        )
        refresh_incidents(conn)
    with transaction(engine) as session:
        replace_boundaries(
            session,
            [
                {
                    "unit_id": ids[key],
                    "geom_wkb": _box(*x),
                    "approximate": False,
                    "source": "test",
                }
                for key, x in SHAPES.items()
            ],
        )
        assert refresh_area_shares(session) == 1
    return engine


def _shares(engine: Engine) -> dict[str, float | None]:
    new = AdminUnit.__table__.alias("new")
    stmt = select(new.c.code, UnitCrosswalk.area_share).join(
        new, new.c.id == UnitCrosswalk.new_unit_id
    )
    with engine.connect() as conn:
        return {code: share for code, share in conn.execute(stmt)}


def _of_unit(engine: Engine, code: str, scope: Scope | None = None) -> dict:
    extra = {} if scope is None else {"scope": scope}
    with engine.connect() as conn:
        frame = metrics.incidents_of_unit(
            conn, tree=NEW, code=code, period=Period(2024), today=TODAY, **extra
        )
    return frame.iloc[0].to_dict()


def test_area_shares_of_the_legacy_polygon_in_each_successor() -> None:
    pairs = pd.DataFrame(
        {
            "legacy_code": [L, L, "99999"],
            "new_code": [S1, S2, S1],
            "divided": [True, True, False],
        }
    )
    legacy = pd.Series({L: shapely.box(0, 0, 1, 1)})
    # the successors reach beyond L: only the part inside L counts
    new = pd.Series({S1: shapely.box(-5, -5, 0.6, 5), S2: shapely.box(0.6, 0, 3, 1)})
    shares = area_shares(pairs, legacy, new)
    assert shares.to_dict("records") == [
        {"legacy_code": L, "new_code": S1, "area_share": pytest.approx(0.6)},
        {"legacy_code": L, "new_code": S2, "area_share": pytest.approx(0.4)},
    ]
    # a successor without a (real) polygon: no shares at all for L
    assert area_shares(pairs, legacy, new.drop(S2)).empty


def test_stored_shares_follow_the_real_boundaries(divided: Engine) -> None:
    assert _shares(divided) == {S1: pytest.approx(0.6), S2: pytest.approx(0.4)}


def test_each_successor_shows_the_legacy_communes_own_rate(divided: Engine) -> None:
    with divided.connect() as conn:
        legacy = metrics.incidents_of_unit(
            conn, tree=OLD, code=L, period=Period(2024), today=TODAY
        )
    assert legacy["rate"].iloc[0] == pytest.approx(LEGACY_RATE)  # 133.3
    s1, s2 = _of_unit(divided, S1), _of_unit(divided, S2)
    # 2.4 cases over 0.6 x 3,000 children; 1.6 over 0.4 x 3,000
    assert s1["children"] == 1800 and s2["children"] == 1200
    assert s1["rate"] == pytest.approx(LEGACY_RATE)
    assert s2["rate"] == pytest.approx(LEGACY_RATE)
    assert s1["apportioned"] and s2["apportioned"]
    # counts are shown whole: 1.2 abuse and 1.2 injuries -> 1 + 1; 0.8 -> 1 + 1
    assert [s1[k] for k in ("count", "abuse", "injury")] == [2, 1, 1]
    assert [s2[k] for k in ("count", "abuse", "injury")] == [2, 1, 1]


def test_the_documented_example_is_this_one() -> None:
    doc = Path(__file__).resolve().parents[1] / "docs" / "reform-2025.md"
    text = " ".join(doc.read_text(encoding="utf-8").split())
    found = re.search(
        r"\(([\d,]+) children and (\d+) cases split (\d+)/(\d+): ([\d.]+) cases "
        r"of ([\d,]+) and ([\d.]+) of ([\d,]+), both ([\d.]+) per 100,000",
        text,
    )
    assert found, "the example of a divided commune has moved"
    children, cases, west, east, c1, n1, c2, n2, rate = (
        float(g.replace(",", "")) for g in found.groups()
    )
    assert (children, cases) == (3000, 4) and round(LEGACY_RATE, 1) == rate
    west_edge = SHAPES[(NEW, S1)][1]
    assert (west, east) == (round(west_edge * 100), round((1 - west_edge) * 100))
    for share, count, kids in ((west, c1, n1), (east, c2, n2)):
        assert kids == pytest.approx(children * share / 100)
        assert count == pytest.approx(cases * share / 100)
        assert round(count / kids * 100_000, 1) == rate


def test_the_trend_across_the_reform_keeps_the_rate(divided: Engine) -> None:
    with divided.connect() as conn:
        trends = {
            code: metrics.unit_trend(
                conn, tree=NEW, code=code, years=[2024, 2026], today=TODAY
            )
            for code in (S1, S2, "71")
        }
    for code in (S1, S2, "71"):
        rates = trends[code]["incident_rate"].tolist()
        assert rates[0] == pytest.approx(LEGACY_RATE), code
        assert rates[1] == 0.0, code  # no case since, over its own children
    assert trends[S1].attrs[metrics.APPORTIONED_KEY]
    assert not trends["71"].attrs[metrics.APPORTIONED_KEY]  # whole L: no share
    # the province holds L once: its 4 cases of its 3,000 children
    assert trends["71"][["abuse", "injury"]].iloc[0].tolist() == [2, 2]


def test_without_real_boundaries_all_goes_to_the_default_successor(
    divided: Engine,
) -> None:
    s2_id = select(AdminUnit.id).where(AdminUnit.tree == NEW, AdminUnit.code == S2)
    with transaction(divided) as session:
        session.execute(
            update(Boundary)
            .where(Boundary.unit_id == s2_id.scalar_subquery())
            .values(approximate=True)
        )
        assert refresh_area_shares(session) == 0
    assert _shares(divided) == {S1: None, S2: None}
    s1, s2 = _of_unit(divided, S1), _of_unit(divided, S2)
    # cases and children both go to S1: L's own rate, not 4 / 1,500 = 266.7
    assert [s1["count"], s1["children"]] == [4, 3000]
    assert s1["rate"] == pytest.approx(LEGACY_RATE)
    assert not s1["apportioned"]
    # S2 took nothing of L: no case, no population before the reform, no rate
    assert s2["count"] == 0 and pd.isna(s2["children"]) and pd.isna(s2["rate"])


def test_a_restricted_role_gets_the_rate_of_its_shown_counts(divided: Engine) -> None:
    viewer = Scope("viewer")
    for code in ("71",):  # the viewer sees aggregates only
        row = _of_unit(divided, code, viewer)
        exact = _of_unit(divided, code)
        assert row["children"] == exact["children"] == 3000
        assert row["partial"]  # 2 abuse cases show "<5": only the injuries
        assert pd.isna(row["abuse"]) and row["count"] == row["injury"] == 2
        assert row["rate"] == pytest.approx(2 / 3000 * 100_000)
