"""Pure pieces of the demo generator: calendars, tiers, splits, streams, conversion."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data import demo
from data.db import read_df, transaction
from data.demo import child_friendly, festivals, fund, incident_mix, sampling, store
from data.models import AdminUnit, Incident, ReportSubmission
from data.units import load_legacy_tree
from data.vocabulary import ABUSE_ENVIRONMENTS, AGE_BANDS


def province(kind: str, commune_kinds: list[str]) -> sampling.Province:
    n = len(commune_kinds)
    return sampling.Province(
        id=1,
        code="99",
        kind=kind,
        districts=pd.DataFrame({"id": [2], "code": ["999"], "kind": ["huyện"]}),
        communes=pd.DataFrame(
            {
                "id": np.arange(3, 3 + n),
                "code": [str(i) for i in range(n)],
                "kind": commune_kinds,
                "district": np.zeros(n, int),
            }
        ),
    )


def test_rounds_fall_in_year_2_and_4_of_each_plan_under_qd06() -> None:
    assert child_friendly.round_years(range(2016, 2031)) == [
        2019,
        2022,
        2024,
        2027,
        2029,
    ]
    assert [child_friendly.previous_round(y) for y in (2022, 2024, 2027)] == [
        2019,
        2022,
        2024,
    ]
    december = sampling.day(2025, 1, 1)
    assert child_friendly.round_years([2022, 2024], today=december) == [2022, 2024]
    assert child_friendly.round_years([2022, 2024], today=december - 1) == [2022]


def test_tiers_depend_on_city_and_kind() -> None:
    kinds = ["phường", "xã", "thị trấn", "huyện đảo"]
    assert child_friendly.tiers(province("tỉnh", kinds)).tolist() == [
        850,
        800,
        800,
        800,
    ]
    city = province(sampling.CENTRALLY_RUN, kinds)
    assert child_friendly.tiers(city).tolist() == [900, 850, 850, 800]


def test_fund_target_has_a_floor_and_districts_split_exactly() -> None:
    assert fund.province_target(100_000, 2021) == fund.FLOOR_DONG
    assert fund.province_target(1_000_000, 2021) == 8_000_000_000
    assert fund.province_target(1_000_000, 2022) == 8_400_000_000
    parts = fund.split(2_800_000_000, np.array([1.0, 2.0, 3.0, 7.0]))
    assert parts.sum() == 2_800_000_000 and (parts % 1_000_000 == 0).all()
    assert list(parts) == sorted(parts)


def test_festival_windows_stay_in_the_year() -> None:
    assert festivals.tet(2023) == dt.date(2023, 1, 22)
    assert festivals.mid_autumn(2024) == dt.date(2024, 9, 17)
    for year in (2021, 2023, 2035):
        w = festivals.festival_windows(year)
        assert (w[:, 0] <= w[:, 1]).all()
        assert w.min() >= sampling.day(year, 1, 1)
        assert w.max() <= sampling.day(year, 12, 31)


def test_streams_are_independent_and_repeatable() -> None:
    a = sampling.stream(5, "incidents", "64").random(3)
    assert np.array_equal(a, sampling.stream(5, "incidents", "64").random(3))
    assert not np.array_equal(a, sampling.stream(5, "fund", "64").random(3))
    assert not np.array_equal(a, sampling.stream(5, "incidents", "01").random(3))
    assert not np.array_equal(a, sampling.stream(6, "incidents", "64").random(3))


def test_mixes_match_the_vocabulary() -> None:
    assert incident_mix.ABUSE_SHARE.sum() == pytest.approx(1.0)
    assert incident_mix.ABUSE_PLACE.shape[1] == len(ABUSE_ENVIRONMENTS)
    assert incident_mix.ABUSE_AGE.shape[1] == len(AGE_BANDS)
    assert incident_mix.INJURY_AGE.shape[1] == len(AGE_BANDS)
    for probs in (
        incident_mix.ABUSE_PLACE,
        incident_mix.ABUSE_AGE,
        incident_mix.INJURY_AGE,
        fund.SOURCE_BY_LEVEL,
        fund.KIND_BY_SOURCE,
    ):
        assert np.allclose(probs.sum(1), 1.0)


def test_records_convert_days_seconds_and_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "occurred_on": [sampling.day(2024, 2, 29)],
            "environment": [None],
            "supported_in_time": np.array([True], dtype=object),
            "unit_id": [7],
        }
    )
    row = store.records(Incident, frame)[0]
    assert row == {
        "unit_id": 7,
        "occurred_on": dt.date(2024, 2, 29),
        "environment": None,
        "supported_in_time": True,
    }
    moment = store.records(ReportSubmission, pd.DataFrame({"submitted_at": [0]}))[0]
    assert moment["submitted_at"] == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@pytest.mark.slow
def test_whole_country(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        load_legacy_tree(session, None)
    with transaction(sqlite_engine) as session:
        report = demo.generate(session, seed=1)
    assert report.provinces == 63
    assert report.counts["child_friendly_assessment"] == 2 * 10_040
    with sqlite_engine.connect() as conn:
        u = read_df(conn, select(AdminUnit.level, AdminUnit.children_u16))
    country = int(u.loc[u["level"] == "country", "children_u16"].iloc[0])
    assert 20_000_000 < country < 28_000_000
    assert 300_000 < report.counts["incident"] < 800_000  # 4 years, ~550/100,000
