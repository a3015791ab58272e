"""Child-friendly status per commune and share recognised, on the small tree."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy import Engine

from data import metrics
from data.periods import Period
from tests.test_metrics_tree import TREE, build_small


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


def status(engine: Engine, period: str, today: dt.date, parent: str = "911") -> dict:
    with engine.connect() as conn:
        frame = metrics.child_friendly_status(
            conn,
            tree=TREE,
            parent_code=parent,
            period=Period.parse(period),
            today=today,
        )
    assert list(frame.columns[:2]) == ["code", "name"]
    return {row["code"]: row for row in frame.to_dict("records")}


def test_statuses_by_round(small: Engine) -> None:
    rows = status(small, "2024", dt.date(2025, 1, 15))
    maintained, refused, never = rows["91101"], rows["91102"], rows["91103"]
    assert (maintained["status"], maintained["status_class"]) == (
        "RECOGNISED_MAINTAINED",
        4,
    )
    assert maintained["round_date"] == dt.date(2024, 11, 1)
    assert (maintained["regime"], maintained["total_score"]) == ("QD06_2019", 910)
    assert maintained["threshold"] == 800 and maintained["zero_criteria"] == ""
    assert (refused["status"], refused["status_class"]) == ("NOT_RECOGNISED", 2)
    assert refused["zero_criteria"] == "CF03,CF05"  # sorted, whatever the backend
    assert never["status"] is None and math.isnan(never["status_class"])
    assert never["zero_criteria"] is None and never["round_date"] is None


def test_a_year_between_rounds_shows_the_previous_round(small: Engine) -> None:
    rows = status(small, "2023", dt.date(2025, 1, 15))
    assert (rows["91101"]["status"], rows["91101"]["status_class"]) == (
        "RECOGNISED_NEW",
        3,
    )
    assert rows["91101"]["round_date"] == dt.date(2022, 11, 1)
    assert (rows["91102"]["status"], rows["91102"]["status_class"]) == (
        "REGISTERED",
        1,
    )
    assert rows["91102"]["zero_criteria"] == ""


def test_a_round_not_yet_held_on_the_reference_date(small: Engine) -> None:
    # Q3 2024 ends before the November round; so does 2024 up to 15 October
    for period, today in (
        ("2024-Q3", dt.date(2025, 1, 1)),
        ("2024", dt.date(2024, 10, 15)),
    ):
        rows = status(small, period, today)
        assert rows["91101"]["status"] == "RECOGNISED_NEW"


def test_a_commune_of_a_province_without_facts(small: Engine) -> None:
    rows = status(small, "2024", dt.date(2025, 1, 15), parent="921")
    assert list(rows) == ["92101"] and rows["92101"]["status"] is None


def share(engine: Engine, level: str, parent: str, **when) -> dict:
    with engine.connect() as conn:
        frame = metrics.child_friendly_share(
            conn, tree=TREE, level=level, parent_code=parent, **when
        )
    return {
        r["code"]: (r["communes"], r["recognised"], r["share"])
        for r in frame.to_dict("records")
    }


def test_share_recognised_per_district_and_province(small: Engine) -> None:
    when = {"period": Period(2024), "today": dt.date(2025, 1, 15)}
    districts = share(small, "district", "91", **when)
    assert districts["911"][:2] == (3, 1)
    assert districts["911"][2] == pytest.approx(100 / 3)
    assert districts["912"] == (2, 1, 50.0)
    assert share(small, "province", "VN", **when) == {
        "91": (5, 2, 40.0),
        "92": (1, 0, 0.0),
    }


def test_share_by_date_as_before_and_by_quarter(small: Engine) -> None:
    end_2023 = share(small, "district", "91", as_of=dt.date(2023, 12, 31))
    assert end_2023["911"][:2] == (3, 1)  # the 2022 round
    assert end_2023["912"] == (1, 0, 0.0)  # 91202 did not exist yet
    q1 = share(small, "district", "91", period=Period.parse("2024-Q1"))
    assert q1 == end_2023


def test_share_needs_exactly_one_date(small: Engine) -> None:
    with small.connect() as conn, pytest.raises(ValueError, match="exactly one"):
        metrics.child_friendly_share(
            conn, tree=TREE, level="district", parent_code="91"
        )
