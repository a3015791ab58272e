"""Incident counts and rates per 100,000 children under 16, with filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import metrics
from data.periods import Period
from tests.test_metrics_tree import TREE, build_small


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


def cases(engine: Engine, level: str, parent: str, **filters) -> dict:
    period = Period.parse(filters.pop("period", "2024"))
    with engine.connect() as conn:
        frame = metrics.incidents(
            conn,
            tree=TREE,
            level=level,
            parent_code=parent,
            period=period,
            today=dt.date(2025, 2, 1),
            **filters,
        )
    columns = ["code", "name", "count", "abuse", "injury", "children", "reported"]
    columns += ["rate", "apportioned"]  # a divided commune's area share in it
    columns += ["rounded", "suppressed", "partial"]  # exact figures: none
    assert list(frame.columns) == columns
    return {row["code"]: row for row in frame.to_dict("records")}


def test_counts_and_rates_per_district(small: Engine) -> None:
    rows = cases(small, "district", "91")
    # 911: 91101's 4 cases of 2024 (not the one of 2023) and 91103's abuse case
    first = rows["911"]
    assert [first[k] for k in ("count", "abuse", "injury", "children")] == [
        5,
        2,
        3,
        3000,
    ]
    assert first["rate"] == pytest.approx(5 / 3000 * 100_000)
    assert (rows["912"]["count"], rows["912"]["rate"]) == (1, 200.0)


def test_a_commune_without_children_has_no_rate(small: Engine) -> None:
    rows = cases(small, "commune", "911")
    assert (rows["91101"]["count"], rows["91101"]["rate"]) == (4, 200.0)
    assert (rows["91102"]["count"], rows["91102"]["rate"]) == (0, 0.0)
    assert rows["91103"]["count"] == 1 and rows["91103"]["children"] == 0
    assert pd.isna(rows["91103"]["rate"])


def test_province_rates_and_a_province_without_children(small: Engine) -> None:
    rows = cases(small, "province", "VN")
    assert rows["91"]["count"] == 6
    assert rows["91"]["rate"] == pytest.approx(6 / 3500 * 100_000)
    assert rows["92"]["count"] == 0 and pd.isna(rows["92"]["rate"])


def test_only_drowning(small: Engine) -> None:
    rows = cases(small, "district", "91", types=("INJ_DROWN",))
    assert [rows["911"][k] for k in ("count", "abuse", "injury")] == [2, 0, 2]
    assert rows["911"]["rate"] == pytest.approx(2 / 3000 * 100_000)
    assert rows["912"]["count"] == 1


def test_one_category_and_types_on_top_of_it(small: Engine) -> None:
    abuse = cases(small, "district", "91", categories=("abuse",))
    assert [abuse["911"][k] for k in ("count", "abuse", "injury")] == [2, 2, 0]
    # a drowning type asked for within abuse only: nothing
    none = cases(small, "district", "91", categories=("abuse",), types=("INJ_DROWN",))
    assert none["911"]["count"] == 0


def test_a_quarter(small: Engine) -> None:
    rows = cases(small, "district", "91", period="2024-Q1")
    assert (rows["911"]["count"], rows["911"]["abuse"]) == (1, 1)
    assert rows["912"]["count"] == 1


def test_unknown_codes_are_refused(small: Engine) -> None:
    with pytest.raises(ValueError, match="INJ_NOPE"):
        cases(small, "district", "91", types=("INJ_DROWN", "INJ_NOPE"))
    with pytest.raises(ValueError, match="neglect"):
        cases(small, "district", "91", categories=("neglect",))
