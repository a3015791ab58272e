"""An area's totals recompute its shares from the summed counts (one rule with the
listed rows), never add up the listed shares."""

from __future__ import annotations

import pandas as pd

from data import metrics


def test_totals_recompute_the_reporting_rates() -> None:
    frame = pd.DataFrame(
        {
            "code": ["1", "2"],
            "name": ["A", "B"],
            "owed": [4, 6],
            "expected": [4, 6],
            "on_time": [3, 3],
            "late": [1, 0],
            "missing": [0, 3],
            "not_due": [0, 0],
            "filed_for": [0, 1],
        }
    )
    listed = metrics.report_timeliness.add_rates(frame.copy())
    assert list(listed["received_share"]) == [100.0, 50.0]
    row = metrics.totals(listed)
    assert row["on_time"] == 6 and row["expected"] == 10 and row["filed_for"] == 1
    assert row["on_time_share"] == 60.0
    assert row["received_share"] == 70.0  # 7 of 10, not 100 + 50


def test_totals_of_the_recognised_share() -> None:
    legacy = pd.DataFrame(
        {
            "code": ["1", "2"],
            "name": ["A", "B"],
            "communes": [10, 0],
            "recognised": [4, 0],
        }
    )
    assert metrics.totals(metrics.child_friendly.add_share(legacy))["share"] == 40.0
    new = legacy.assign(assessed=[0, 0])
    row = metrics.totals(metrics.child_friendly.add_share(new))
    assert row["share"] is None  # nothing assessed since the reform
    assert (
        metrics.own_row(metrics.child_friendly.add_share(legacy.iloc[[1]]))["share"]
        is None
    )  # no communes: no share
