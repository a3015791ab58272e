"""The reports owed kept per unit shown and schedule (``report_owed``,
data/metrics/summary.py): the timeliness figures read from them equal those
counted from the schedules and submissions on every level of both trees, for
every kind of period and moment of asking; a first submission, a calendar load
and a demo clear keep them current; ``check`` tells when they are not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import CTE, Connection, func, insert, select

from data.metrics import report_timeliness as R
from data.metrics import summary
from data.metrics.months import from_facts
from data.metrics.rollup import target_place, targets_under
from data.models import ReportOwed, ReportSchedule, ReportSubmission
from tests.test_incident_summary import PERIODS, TODAY, _listings

MOMENTS = [
    dt.datetime(2024, 7, 1, 3, tzinfo=dt.UTC),  # half the year's deadlines ahead
    dt.datetime(2025, 8, 14, 3, tzinfo=dt.UTC),
]


def _both(
    conn: Connection,
    make: Callable[[], CTE],
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    fast = R.timeliness_frame(conn, make(), R.schedules_due(start, end), now)
    with from_facts():
        raw = R.timeliness_frame(conn, make(), R.schedules_due(start, end), now)
    return fast, raw


def test_the_kept_rows_give_the_raw_figures_on_every_level(
    conn: Connection,
) -> None:
    nonzero = 0
    for tree, level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)
            for now in MOMENTS:

                def make(
                    tree: str = tree,
                    level: str = level,
                    parent: str = parent,
                    day: dt.date = day,
                ) -> CTE:
                    return targets_under(tree, level, parent, day)

                end = period.end(TODAY)
                fast, raw = _both(conn, make, period.start, end, now)
                what = (tree, level, parent, period.key, now)
                pd.testing.assert_frame_equal(fast, raw, obj=str(what))
                nonzero += int((raw["late"] > 0).sum() + (raw["missing"] > 0).sum())
    assert nonzero > 100  # the comparisons are of real figures, not of zeros


def test_a_places_own_row_equals_the_raw_one(
    conn: Connection,
) -> None:
    for tree, _level, parent in _listings(conn):
        for period in PERIODS:
            day = period.as_of(TODAY)

            def make(tree: str = tree, parent: str = parent, day: dt.date = day) -> CTE:
                return target_place(conn, tree, parent, day)

            end = period.end(TODAY)
            fast, raw = _both(conn, make, period.start, end, MOMENTS[1])
            pd.testing.assert_frame_equal(fast, raw, obj=str((tree, parent)))


def test_units_read_the_kept_rows_groups_the_submissions(conn: Connection) -> None:
    schedules = R.schedules_due(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    tree, level, parent = _listings(conn)[0]
    now = MOMENTS[1]
    units = str(R._grouped(targets_under(tree, level, parent, TODAY), schedules, now))
    assert "report_owed" in units and "report_submission" not in units
    tree, level, parent = _listings(conn)[4]  # the former districts of a province
    groups = str(R._grouped(targets_under(tree, level, parent, TODAY), schedules, now))
    assert "report_owed" not in groups and "report_submission" in groups


def test_a_submission_behind_the_kept_rows_back_is_found(conn: Connection) -> None:
    assert summary.check(conn) is None
    assert conn.execute(select(func.count()).select_from(ReportOwed)).scalar()
    conn.rollback()
    try:  # a first submission written without the refresh, never committed
        sent = select(ReportSubmission.schedule_id, ReportSubmission.unit_id)
        owed = (
            select(ReportSchedule.id, ReportOwed.unit_id)
            .join(ReportOwed, ReportOwed.schedule_id == ReportSchedule.id)
            .where(ReportOwed.unsent > 0, ReportOwed.owed == 1)
            .except_(sent)
            .limit(1)
        )
        schedule_id, unit_id = conn.execute(owed).one()
        conn.execute(
            insert(ReportSubmission),
            {
                "schedule_id": schedule_id,
                "unit_id": unit_id,
                "version": 1,
                "submitted_at": dt.datetime(2020, 1, 1),
                "file_name": "x.xlsx",
            },
        )
        difference = summary.check(conn)
        assert difference is not None and difference.startswith("report_owed, unit ")
        summary.refresh_reports(conn, [unit_id])
        assert summary.check(conn) is None
    finally:
        conn.rollback()
