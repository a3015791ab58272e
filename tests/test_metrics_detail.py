"""The detail panel and the trend of one unit; the facts version the demo writes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy import Engine

from data import demo, metrics
from data.db import transaction
from data.periods import Period
from tests.test_metrics_tree import TREE, build_small


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


def detail(engine: Engine, code: str, today: dt.date) -> dict | None:
    with engine.connect() as conn:
        return metrics.unit_detail(
            conn, tree=TREE, code=code, period=Period(2024), today=today
        )


def test_detail_of_a_commune(small: Engine) -> None:
    out = detail(small, "91101", dt.date(2024, 12, 1))
    assert out is not None
    assert (out["name"], out["level"], out["kind"]) == ("Unit 91101", "commune", "xã")
    assert (out["parent_code"], out["parent_name"]) == ("911", "Unit 911")
    assert (out["children"], out["period"], out["as_of"]) == (
        2000,
        "2024",
        dt.date(2024, 12, 1),
    )
    # the November round is decided on 10 December: the 2022 recognition holds
    assert out["child_friendly"]["status"] == "RECOGNISED_NEW"
    assert out["child_friendly"]["status_class"] == 3
    assert out["child_friendly"]["awaiting_round"] == dt.date(2024, 11, 1)
    fund = out["fund"]  # the 31 December gift has not come yet on 1 December
    assert (fund["total"], fund["cash"], fund["target"]) == (300_000, 300_000, None)
    cases = out["incidents"]
    assert (cases["count"], cases["abuse"], cases["injury"]) == (4, 1, 3)
    assert cases["rate"] == 200.0
    assert cases["top_types"][0] == {
        "category": "injury",
        "type_code": "INJ_DROWN",
        "count": 2,
    }
    assert len(cases["top_types"]) == 3
    reports = out["timeliness"]
    assert (reports["owed"], reports["on_time"], reports["late"]) == (3, 2, 1)
    assert isinstance(reports["owed"], int)


def test_detail_of_a_district_and_of_nothing(small: Engine) -> None:
    out = detail(small, "911", dt.date(2025, 2, 1))
    assert out is not None
    assert out["child_friendly"]["communes"] == 3
    assert out["child_friendly"]["share"] == pytest.approx(100 / 3)
    assert (out["fund"]["total"], out["fund"]["pct"]) == (1_000_000, 25.0)
    assert out["timeliness"]["owed"] == 10
    empty = detail(small, "92", dt.date(2025, 2, 1))
    assert empty is not None and empty["incidents"]["top_types"] == []
    assert empty["fund"]["total"] == 0 and empty["timeliness"]["on_time_share"] is None
    assert detail(small, "99", dt.date(2025, 2, 1)) is None


def test_trend_of_a_commune(small: Engine) -> None:
    with small.connect() as conn:
        frame = metrics.unit_trend(
            conn,
            tree=TREE,
            code="91101",
            years=[2024, 2022, 2023],
            today=dt.date(2025, 1, 15),
        )
    assert list(frame.columns) == [
        "year",
        "cf_status",
        "fund_total",
        "abuse",
        "injury",
        "incident_rate",
        "on_time_share",
    ]
    rows = frame.to_dict("records")
    assert [r["year"] for r in rows] == [2022, 2023, 2024]
    assert [r["cf_status"] for r in rows] == [
        "RECOGNISED_NEW",
        "RECOGNISED_NEW",
        "RECOGNISED_MAINTAINED",
    ]
    assert [r["fund_total"] for r in rows] == [0, 9_999_000, 500_000]
    assert [(r["abuse"], r["injury"]) for r in rows] == [(0, 0), (0, 1), (1, 3)]
    assert rows[2]["incident_rate"] == 200.0
    assert math.isnan(rows[0]["on_time_share"])
    assert rows[2]["on_time_share"] == pytest.approx(200 / 3)


def test_trend_of_a_province(small: Engine) -> None:
    with small.connect() as conn:
        frame = metrics.unit_trend(
            conn,
            tree=TREE,
            code="91",
            years=range(2023, 2025),
            today=dt.date(2025, 1, 15),
        )
        with pytest.raises(ValueError, match="no unit"):
            metrics.unit_trend(conn, tree=TREE, code="99", years=[2024])
    assert list(frame["cf_share"]) == [pytest.approx(100 / 4), 40.0]
    assert list(frame["fund_total"]) == [9_999_000, 4_700_000]


def test_the_demo_writes_and_bumps_the_facts_version(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        assert metrics.facts_version(conn) == "0"
    for expected in ("1", "2"):
        with transaction(gia_lai) as session:
            demo.generate(session, seed=1, years=[2024], replace=True)
        with gia_lai.connect() as conn:
            assert metrics.facts_version(conn) == expected
