"""The reform-aware aggregates on a real load: the new Gia Lai (52), no facts yet."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from data import metrics
from data.db import transaction
from data.periods import Period
from data.reform import former_district_groups, load_2025_tree

TODAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
THEMES = (metrics.incidents, metrics.fund_progress, metrics.child_friendly_share)


@pytest.fixture
def new_gia_lai(engine: Engine) -> Engine:
    with transaction(engine) as session:
        load_2025_tree(session, ["52"])
    return engine


def _every_theme(conn, **args) -> list:
    frames = [fn(conn, **args, today=TODAY) for fn in THEMES]
    args = {k: v for k, v in args.items()}
    frames.append(metrics.timeliness(conn, **args, now=NOW))
    return frames


def test_legacy_2024_and_new_2025_aggregates_of_the_same_empty_data(
    new_gia_lai: Engine,
) -> None:
    with new_gia_lai.connect() as conn:
        old = _every_theme(
            conn, tree="legacy", level="province", parent_code="VN", period=Period(2024)
        )
        new = _every_theme(
            conn, tree="2025", level="commune", parent_code="52", period=Period(2025)
        )
        province = _every_theme(
            conn, tree="2025", level="province", parent_code="VN", period=Period(2025)
        )
    for frame in old:
        assert list(frame["code"]) == ["52", "64"]  # old Bình Định and old Gia Lai
    for frame in new:
        assert len(frame) == 135 and frame["code"].is_unique
    for frame in province:
        assert list(frame["code"]) == ["52"]
    cases, fund, share, reports = province
    assert cases["count"].tolist() == [0] and fund["total"].tolist() == [0]
    assert fund["target"].isna().all() and not fund["target_from_predecessors"].any()
    assert share[["communes", "assessed"]].values.tolist() == [[135, 0]]
    assert share["share"].isna().all() and reports["owed"].tolist() == [0]


def test_former_district_groups_of_the_new_gia_lai(new_gia_lai: Engine) -> None:
    with new_gia_lai.connect() as conn:
        groups = former_district_groups(conn, "52")
        frames = _every_theme(
            conn,
            tree="2025",
            level=metrics.FORMER_DISTRICT,
            parent_code="52",
            period=Period(2025),
        )
        single = groups.dropna(subset=["former_district_code"])
        some = single["former_district_code"].iloc[0]
        communes = metrics.incidents(
            conn,
            tree="2025",
            level="commune",
            parent_code=some,
            period=Period(2025),
            today=TODAY,
        )
    expected = sorted(set(single["former_district_code"]))
    if len(single) < len(groups):
        expected.append("MIXED-52")
    assert len(expected) > 10  # 28 legacy districts, most of them a group
    for frame in frames:
        assert list(frame["code"]) == expected
    share = frames[2]
    assert share["communes"].sum() == 135  # every new commune in one group
    wanted = single.loc[single["former_district_code"] == some, "new_code"]
    assert sorted(communes["code"]) == sorted(wanted)
