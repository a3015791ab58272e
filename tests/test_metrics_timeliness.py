"""Report timeliness: the first submission decides, against the first late instant.

The submissions of the small tree and the outcome each must give are listed in
``tests/test_metrics_tree.SUBMISSIONS``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import metrics
from data.periods import Period
from tests.test_metrics_tree import NOW, TREE, build_small, deadline

COUNTS = ["owed", "expected", "on_time", "late", "missing", "not_due"]


@pytest.fixture
def small(engine: Engine) -> Engine:
    return build_small(engine)


def reports(
    engine: Engine,
    level: str,
    parent: str,
    period: str = "2024",
    now: dt.datetime = NOW,
) -> dict:
    with engine.connect() as conn:
        frame = metrics.timeliness(
            conn,
            tree=TREE,
            level=level,
            parent_code=parent,
            period=Period.parse(period),
            now=now,
        )
    assert list(frame.columns) == [
        "code",
        "name",
        *COUNTS,
        "on_time_share",
        "received",
        "received_share",
        "filed_for",
    ]
    return {row["code"]: row for row in frame.to_dict("records")}


def counts(row: dict) -> list[int]:
    return [row[name] for name in COUNTS]


def test_each_commune(small: Engine) -> None:
    rows = reports(small, "commune", "911")
    # Q1 on time, H1 exactly at the deadline (late), annual sent early (on time)
    assert counts(rows["91101"]) == [3, 3, 2, 1, 0, 0]
    # Q1 on time, H1 one second early then corrected late (on time), annual not due
    assert counts(rows["91102"]) == [3, 2, 2, 0, 0, 1]
    assert rows["91102"]["on_time_share"] == 100.0
    # Q1 missing, H1 late, annual not due
    assert counts(rows["91103"]) == [3, 2, 0, 1, 1, 1]
    assert rows["91103"]["on_time_share"] == 0.0
    # reporting rate: received (on time or late) of those expected
    assert (rows["91103"]["received"], rows["91103"]["received_share"]) == (1, 50.0)
    assert rows["91101"]["received_share"] == 100.0


def test_a_unit_that_did_not_exist_on_the_due_date_owes_nothing(small: Engine) -> None:
    rows = reports(small, "commune", "912")
    assert counts(rows["91201"]) == [3, 2, 0, 1, 1, 1]
    # 91202 began on 1 April: its Q1 submission is not counted, not even as owed
    assert counts(rows["91202"]) == [2, 1, 1, 0, 0, 1]


def test_districts_add_their_own_office(small: Engine) -> None:
    rows = reports(small, "district", "91")
    # 911: its communes plus its own 9-month report, sent a second before
    # midnight of 25 May in Viet Nam ("trước ngày 25/5")
    assert counts(rows["911"]) == [10, 8, 5, 2, 1, 2]
    assert rows["911"]["on_time_share"] == 62.5
    # 912: sent at that midnight, which is already late
    assert counts(rows["912"]) == [6, 4, 1, 2, 1, 2]
    assert rows["912"]["on_time_share"] == 25.0


def test_the_province_adds_its_own_office(small: Engine) -> None:
    rows = reports(small, "province", "VN")
    assert counts(rows["91"]) == [17, 13, 6, 5, 2, 4]
    assert rows["91"]["on_time_share"] == pytest.approx(600 / 13)
    assert counts(rows["92"]) == [0] * 6 and pd.isna(rows["92"]["on_time_share"])


def test_a_quarter_counts_the_reports_due_in_it(small: Engine) -> None:
    rows = reports(small, "district", "91", period="2024-Q2")
    # due in April-June: H1 of 91101 (late), 91102 (on time), 91103 (late), and
    # the district's 9-month report (on time)
    assert counts(rows["911"]) == [4, 4, 2, 2, 0, 0]
    assert rows["911"]["on_time_share"] == 50.0


def test_missing_from_the_first_late_instant(small: Engine) -> None:
    before = reports(
        small, "commune", "911", now=deadline("ANNUAL") - dt.timedelta(seconds=1)
    )
    at = reports(small, "commune", "911", now=deadline("ANNUAL"))
    assert (before["91102"]["not_due"], before["91102"]["missing"]) == (1, 0)
    assert (at["91102"]["not_due"], at["91102"]["missing"]) == (0, 1)
    assert at["91102"]["on_time_share"] == pytest.approx(200 / 3)
    # a naive "now" is UTC, as SQLite stores instants
    naive = reports(
        small, "commune", "911", now=deadline("ANNUAL").replace(tzinfo=None)
    )
    assert naive["91102"]["missing"] == 1


def test_never_above_100_percent(small: Engine) -> None:
    for now in (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), NOW, dt.datetime(2030, 1, 1)):
        rows = reports(small, "commune", "911", now=now)
        for row in rows.values():
            assert row["on_time"] <= row["expected"] <= row["owed"]
            assert row["expected"] == row["on_time"] + row["late"] + row["missing"]
            for share in (row["on_time_share"], row["received_share"]):
                assert share != share or 0 <= share <= 100  # NaN: nothing expected
