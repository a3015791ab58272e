"""Fund progress (booked at province, district and commune level) and the headline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import metrics
from data.metrics.fund import year_elapsed
from data.periods import Period
from tests.test_metrics_tree import TREE, build_small

AMOUNTS = ["cash", "in_kind", "programme", "total"]  # transfers: test_fund_transfers


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


def progress(engine: Engine, level: str, parent: str, period: str) -> dict:
    with engine.connect() as conn:
        frame = metrics.fund_progress(
            conn,
            tree=TREE,
            level=level,
            parent_code=parent,
            period=Period.parse(period),
            today=dt.date(2025, 2, 1),
        )
    transfers = ["transfer_in", "transfer_within"]
    columns = ["code", "name", *AMOUNTS, *transfers, "target", "pct", "reported"]
    assert list(frame.columns) == columns
    assert not frame["reported"].any()  # bookings only
    assert (frame[transfers] == 0).all().all()  # no transfers on the small tree
    assert all(frame[name].dtype == "int64" for name in AMOUNTS)
    return {row["code"]: row for row in frame.to_dict("records")}


def test_a_district_includes_its_communes(small: Engine) -> None:
    rows = progress(small, "district", "91", "2024")
    # 911: its own 500,000 in kind + 91101's 300,000 cash and 200,000 in kind
    # (31 December counts; 2023 and 2025 do not)
    first = rows["911"]
    assert [first[k] for k in AMOUNTS] == [300_000, 700_000, 0, 1_000_000]
    assert (first["target"], first["pct"]) == (4_000_000, 25.0)
    second = rows["912"]  # 91201's programme; no target
    assert [second[k] for k in AMOUNTS] == [0, 0, 700_000, 700_000]
    assert pd.isna(second["target"]) and pd.isna(second["pct"])


def test_a_province_includes_everything_in_it(small: Engine) -> None:
    rows = progress(small, "province", "VN", "2024")
    # own 1,000,000 cash + 2,000,000 programme, plus both districts
    assert [rows["91"][k] for k in AMOUNTS] == [
        1_300_000,
        700_000,
        2_700_000,
        4_700_000,
    ]
    assert (rows["91"]["target"], rows["91"]["pct"]) == (10_000_000, 47.0)
    assert [rows["92"][k] for k in AMOUNTS] == [0, 0, 0, 0]


def test_a_quarter_is_measured_against_the_annual_target(small: Engine) -> None:
    rows = progress(small, "province", "VN", "2024-Q1")
    # 1 Jan - 31 Mar: 1,000,000 + 300,000 + 700,000 (on 31 March)
    assert rows["91"]["total"] == 2_000_000 and rows["91"]["pct"] == 20.0
    districts = progress(small, "district", "91", "2024-Q1")
    assert (districts["911"]["total"], districts["911"]["pct"]) == (300_000, 7.5)
    assert districts["912"]["total"] == 700_000


def test_communes_have_amounts_but_no_target(small: Engine) -> None:
    rows = progress(small, "commune", "911", "2024")
    assert [rows[c]["total"] for c in ("91101", "91102", "91103")] == [500_000, 0, 0]
    assert all(pd.isna(rows[c]["target"]) for c in rows)


def headline(engine: Engine, code: str, year: int, today: dt.date) -> dict:
    with engine.connect() as conn:
        return metrics.fund_headline(
            conn, tree=TREE, unit_code=code, year=year, today=today
        )


def test_headline_of_a_year_in_progress(small: Engine) -> None:
    # 1 July 2024: 183 of 366 days gone; 4,500,000 mobilised up to that day
    out = headline(small, "91", 2024, dt.date(2024, 7, 1))
    assert out["total"] == 4_500_000
    assert out["by_kind"] == {
        "cash": 1_300_000,
        "in_kind": 500_000,
        "programme": 2_700_000,
    }
    assert (out["target"], out["elapsed"], out["expected"]) == (10_000_000, 0.5, 5e6)
    assert out["pace"] == pytest.approx(0.9)
    assert out["projection"] == 9_000_000
    assert out["as_of"] == dt.date(2024, 7, 1)


def test_headline_of_a_past_year_and_of_a_unit_without_target(small: Engine) -> None:
    out = headline(small, "91", 2024, dt.date(2025, 3, 1))
    assert (out["total"], out["elapsed"], out["expected"]) == (4_700_000, 1.0, 1e7)
    assert out["pace"] == pytest.approx(0.47)
    assert out["projection"] == out["total"]
    assert out["as_of"] == dt.date(2024, 12, 31)
    plain = headline(small, "912", 2024, dt.date(2025, 3, 1))
    assert plain["total"] == 700_000
    assert plain["target"] is plain["expected"] is plain["pace"] is None
    future = headline(small, "91", 2026, dt.date(2025, 3, 1))
    assert (future["total"], future["elapsed"], future["projection"]) == (0, 0.0, None)
    with pytest.raises(ValueError, match="no unit"):
        headline(small, "99", 2024, dt.date(2025, 3, 1))


def test_year_elapsed() -> None:
    assert year_elapsed(2023, dt.date(2023, 12, 31)) == 1.0
    assert year_elapsed(2023, dt.date(2023, 1, 1)) == 1 / 365
    assert year_elapsed(2022, dt.date(2023, 1, 1)) == 1.0
