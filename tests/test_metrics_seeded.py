"""Consistency on the demo database (both backends): a unit equals its parts.

For every theme the province row under "VN" must equal the sum of its districts
where the value adds up (counts, đồng), plus what is booked on the province itself;
shares and rates must be recomputed from those sums, never averaged.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Connection, func, select

from data import metrics
from data.models import AdminUnit, FundContribution, ReportSchedule
from data.periods import Period

TREE = "legacy"
TODAY = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
PERIODS = [Period.parse(p) for p in ("2024", "2024-Q2", "2022")]


def theme(conn: Connection, name: str, level: str, parent: str, period: Period):
    args = {"tree": TREE, "level": level, "parent_code": parent, "period": period}
    if name == "timeliness":
        return metrics.timeliness(conn, **args, now=NOW)
    function = getattr(metrics, name)
    return function(conn, **args, today=TODAY)


def province_and_districts(conn: Connection, name: str, period: Period):
    """Each province row under VN with the sum of its district rows."""
    provinces = theme(conn, name, "province", "VN", period)
    assert len(provinces) >= 1
    for province in provinces.to_dict("records"):
        districts = theme(conn, name, "district", province["code"], period)
        assert len(districts) > 1
        yield province, districts.drop(columns=["code", "name"]).sum(numeric_only=True)


def own_bookings(conn: Connection, code: str, period: Period) -> tuple[int, int]:
    """Đồng booked on the province itself in the period: raised by its own fund,
    and handed over to it by other funds (the demo's: its districts')."""
    unit = select(AdminUnit.id).where(AdminUnit.tree == TREE, AdminUnit.code == code)
    handed = FundContribution.transfer_from_unit_id.is_not(None)
    stmt = (
        select(handed, func.sum(FundContribution.amount_dong))
        .where(
            FundContribution.unit_id == unit.scalar_subquery(),
            FundContribution.contributed_on >= period.start,
            FundContribution.contributed_on <= period.as_of(TODAY),
        )
        .group_by(handed)
    )
    sums = {bool(k): int(v) for k, v in conn.execute(stmt).all()}
    return sums.get(False, 0), sums.get(True, 0)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_child_friendly_share(conn: Connection, period: Period) -> None:
    for province, total in province_and_districts(conn, "child_friendly_share", period):
        assert province["communes"] == total["communes"] > 0
        assert province["recognised"] == total["recognised"]
        share = 100 * total["recognised"] / total["communes"]
        assert province["share"] == pytest.approx(share)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_fund(conn: Connection, period: Period) -> None:
    for province, total in province_and_districts(conn, "fund_progress", period):
        own, handed = own_bookings(conn, province["code"], period)
        assert own > 0  # the demo books money on the province's own fund
        # what its districts handed to the province fund is theirs, counted once
        assert province["total"] == total["total"] + own
        assert province["transfer_within"] == handed
        assert province["transfer_in"] == total["transfer_in"] == 0
        assert total["transfer_within"] == 0
        if period.key == "2024":  # December: some districts hand money over
            assert handed > 0
        kinds = province["cash"] + province["in_kind"] + province["programme"]
        assert kinds == province["total"]
        assert province["pct"] == pytest.approx(
            100 * province["total"] / province["target"]
        )


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_incidents(conn: Connection, period: Period) -> None:
    for province, total in province_and_districts(conn, "incidents", period):
        for name in ("count", "abuse", "injury", "children"):
            assert province[name] == total[name]
        assert province["count"] > 0
        rate = 100_000 * total["count"] / total["children"]
        assert province["rate"] == pytest.approx(rate)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_timeliness(conn: Connection, period: Period) -> None:
    # the demo's calendar has no report owed by a province's own office
    levels = conn.execute(select(ReportSchedule.from_level).distinct()).scalars()
    assert "province" not in set(levels)
    for province, total in province_and_districts(conn, "timeliness", period):
        for name in ("owed", "expected", "on_time", "late", "missing", "not_due"):
            assert province[name] == total[name]
        assert province["owed"] > 0
        share = 100 * total["on_time"] / total["expected"]
        assert province["on_time_share"] == pytest.approx(share)


def test_a_district_equals_its_communes(conn: Connection) -> None:
    period = PERIODS[0]
    district = theme(conn, "incidents", "district", "64", period).iloc[0]
    communes = theme(conn, "incidents", "commune", district["code"], period)
    assert district["count"] == communes["count"].sum() > 0
    statuses = metrics.child_friendly_status(
        conn, tree=TREE, parent_code=district["code"], period=period, today=TODAY
    )
    share = theme(conn, "child_friendly_share", "district", "64", period).iloc[0]
    recognised = statuses["status_class"].isin([3, 4]).sum()
    assert (share["communes"], share["recognised"]) == (len(statuses), recognised)
    assert not pd.isna(statuses["status_class"]).all()


@pytest.mark.parametrize(
    "name", ["child_friendly_share", "fund_progress", "incidents", "timeliness"]
)
def test_one_unit_alone_equals_its_row_in_the_listing(conn, name: str) -> None:
    period = PERIODS[0]
    listing = theme(conn, name, "district", "64", period).set_index("code")
    args = {
        "tree": TREE,
        "level": "district",
        "parent_code": "64",
        "period": period,
        "only": "633",
    }
    if name == "timeliness":
        alone = metrics.timeliness(conn, **args, now=NOW)
    else:
        alone = getattr(metrics, name)(conn, **args, today=TODAY)
    assert list(alone["code"]) == ["633"]
    pd.testing.assert_series_equal(
        alone.set_index("code").iloc[0], listing.loc["633"], check_names=False
    )
