"""The demo of Gia Lai follows the domain rules (DOMAIN.md), on both backends."""

from __future__ import annotations

import datetime as dt
import operator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data import demo, vocabulary
from data.db import read_df, transaction
from data.models import (
    AdminUnit,
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    FundTarget,
    Incident,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ReportSchedule,
    ReportSubmission,
)

SEED = 42
YEARS = (2021, 2022, 2023, 2024)


@pytest.fixture
def demo_db(gia_lai: Engine) -> Engine:
    """Gia Lai with its demo data."""
    with transaction(gia_lai) as session:
        demo.generate(session, seed=SEED)
    return gia_lai


def table(engine: Engine, model: type) -> pd.DataFrame:
    with engine.connect() as conn:
        return read_df(conn, select(model.__table__))


def units(engine: Engine) -> pd.DataFrame:
    frame = table(engine, AdminUnit)
    frame["parent_id"] = frame["parent_id"].astype("Int64")
    return frame.set_index("id")


def test_children_add_up_and_look_plausible(demo_db: Engine) -> None:
    u = units(demo_db)
    assert (u["children_source"] == "demo").all() and (u["children_u16"] > 0).all()
    for level in ("district", "province", "country"):
        below = u[u["parent_id"].isin(u.index[u["level"] == level])]
        sums = below.groupby("parent_id")["children_u16"].sum()
        assert (u.loc[sums.index, "children_u16"].to_numpy() == sums).all(), level
    province = int(u.loc[u["level"] == "province", "children_u16"].iloc[0])
    assert 450_000 <= province <= 500_000
    communes = u[u["level"] == "commune"]
    assert (communes["children_u16"] < 600).sum() >= 3  # small communes exist
    by_kind = communes.groupby("kind")["children_u16"].mean()
    assert by_kind["phường"] > by_kind["xã"]


def test_child_friendly_rounds_follow_qd06(demo_db: Engine) -> None:
    u = units(demo_db)
    a = table(demo_db, ChildFriendlyAssessment).join(u["kind"], on="unit_id")
    assert sorted(a["round_date"].unique()) == [
        dt.date(2022, 11, 1),
        dt.date(2024, 11, 1),
    ]
    assert (a.groupby("round_date")["unit_id"].nunique() == 218).all()
    assert len(a) == 436 and set(a["regime"]) == {"QD06_2019"}
    assert (a["threshold"] == np.where(a["kind"] == "phường", 850, 800)).all()

    assessed = a["status"].isin(["NOT_RECOGNISED", *vocabulary.CF_RECOGNISED])
    recognised = a["status"].isin(vocabulary.CF_RECOGNISED)
    assert (
        a.loc[~assessed, ["total_score", "has_zero_criterion", "decided_on"]]
        .isna()
        .all()
        .all()
    )
    total, zero = a["total_score"], a["has_zero_criterion"].astype("boolean")
    meets = (total >= a["threshold"]) & ~zero
    assert meets[recognised].all()
    assert not meets[assessed & ~recognised].any()
    assert (zero & (total >= a["threshold"]))[assessed].any()  # the zero rule bites
    decided = pd.to_datetime(a.loc[assessed, "decided_on"])
    rounds = pd.to_datetime(a.loc[assessed, "round_date"])
    assert ((decided.dt.month == 12) & (decided.dt.year == rounds.dt.year)).all()

    scores = table(demo_db, ChildFriendlyScore)
    maxima = {c.code: c.max_points for c in vocabulary.QD06_CRITERIA}
    assert (scores["score"] >= 0).all()
    assert (scores["score"] <= scores["criterion_code"].map(maxima)).all()
    per = scores.groupby("assessment_id")["score"].agg(["sum", "size", "min"])
    mine = a[assessed].set_index("id")
    assert set(per.index) == set(mine.index) and (per["size"] == 13).all()
    assert (per["sum"] == mine.loc[per.index, "total_score"]).all()
    assert ((per["min"] == 0) == mine.loc[per.index, "has_zero_criterion"]).all()


def test_recognition_improves_and_is_maintained_only_after_recognition(
    demo_db: Engine,
) -> None:
    u = units(demo_db)
    a = table(demo_db, ChildFriendlyAssessment).join(u["parent_id"], on="unit_id")
    status = a.pivot(index="unit_id", columns="round_date", values="status")
    first, second = status.columns
    assert "RECOGNISED_MAINTAINED" not in set(status[first])
    kept = status[second] == "RECOGNISED_MAINTAINED"
    assert kept.any() and status.loc[kept, first].isin(vocabulary.CF_RECOGNISED).all()
    new = status[second] == "RECOGNISED_NEW"
    assert not status.loc[new, first].isin(vocabulary.CF_RECOGNISED).any()

    a["recognised"] = a["status"].isin(vocabulary.CF_RECOGNISED)
    share = a.groupby("round_date")["recognised"].mean()
    assert 0.50 <= share[second] <= 0.75 and share[first] < share[second]
    districts = a[a["round_date"] == second].groupby("parent_id")["recognised"].mean()
    assert districts.max() - districts.min() > 0.3  # districts differ


def test_fund_targets_and_contributions(demo_db: Engine) -> None:
    u = units(demo_db)
    t = table(demo_db, FundTarget).join(u["level"], on="unit_id")
    province = t[t["level"] == "province"].set_index("year")["amount_dong"]
    assert list(province.index) == list(YEARS) and (province >= 4_000_000_000).all()
    districts = t[t["level"] == "district"].groupby("year")["amount_dong"].sum()
    assert (districts == (province * 0.7).astype("int64")).all()

    booked = table(demo_db, FundContribution)
    booked = booked.join(u[["level", "parent_id"]], on="unit_id")
    assert (booked["amount_dong"] > 0).all()
    assert (booked["amount_dong"] % 1000 == 0).all()
    assert pd.api.types.is_integer_dtype(booked["amount_dong"])
    assert set(booked["source_type"]) <= set(vocabulary.FUND_SOURCES)
    handed = booked["source_type"] == vocabulary.FUND_TRANSFER
    # the money raised (transfers: test_fund_transfers_of_districts)
    c = booked[~handed].copy()
    assert set(c["level"]) == {"province", "district", "commune"}
    assert set(c["kind"]) == set(vocabulary.FUND_KINDS)
    assert c["transfer_from_unit_id"].isna().all()
    day = pd.to_datetime(c["contributed_on"])
    assert set(day.dt.year) == set(YEARS)
    achieved = c.groupby(day.dt.year)["amount_dong"].sum() / province
    assert achieved.between(0.8, 1.2).all()

    c["district"] = np.where(c["level"] == "commune", c["parent_id"], c["unit_id"])
    c["year"] = day.dt.year
    raised = c[c["level"] != "province"].groupby(["district", "year"])["amount_dong"]
    goal = t[t["level"] == "district"].set_index(["unit_id", "year"])["amount_dong"]
    ratio = raised.sum() / goal.rename_axis(["district", "year"])
    assert ratio.between(0.6, 1.5).all() and ratio.max() - ratio.min() > 0.2

    by_month = c.groupby(day.dt.month)["amount_dong"].sum()
    quiet = by_month[[3, 4, 10, 11]].mean()
    assert by_month[[1, 6, 9]].min() > 1.5 * quiet  # Tết, Action Month, Mid-Autumn


def test_fund_transfers_of_districts(demo_db: Engine) -> None:
    """Some district funds hand part of what they raised themselves to the
    province fund in December, in whole millions (data.demo.fund.transfers)."""
    u = units(demo_db)
    booked = table(demo_db, FundContribution)
    booked["year"] = pd.to_datetime(booked["contributed_on"]).dt.year
    handed = booked[booked["source_type"] == vocabulary.FUND_TRANSFER]
    giver = handed["transfer_from_unit_id"].astype("int64")
    province = u.index[u["level"] == "province"][0]
    assert (handed["unit_id"] == province).all()
    assert (u.loc[giver, "level"] == "district").all()
    assert (u.loc[giver, "parent_id"].to_numpy() == province).all()
    assert (pd.to_datetime(handed["contributed_on"]).dt.month == 12).all()
    assert set(handed["kind"]) == {"cash"}
    assert (handed["amount_dong"] % 1_000_000 == 0).all()
    n_districts = int((u["level"] == "district").sum())
    # about a quarter of the district-years, each district at most once a year
    assert 0.1 < len(handed) / (n_districts * len(YEARS)) < 0.45
    assert not handed.duplicated(["transfer_from_unit_id", "year"]).any()
    own = booked[booked["transfer_from_unit_id"].isna()]
    raised = own.groupby(["unit_id", "year"])["amount_dong"].sum()
    for row in handed.itertuples():
        part = row.amount_dong / raised[int(row.transfer_from_unit_id), row.year]
        assert 0.18 < part < 0.5  # whole millions, rounded down


def test_incidents_have_plausible_rates_and_valid_codes(demo_db: Engine) -> None:
    u = units(demo_db)
    i = table(demo_db, Incident).join(u["level"], on="unit_id")
    assert set(i["level"]) == {"commune"}
    day = pd.to_datetime(i["occurred_on"])
    assert set(day.dt.year) == set(YEARS)
    abuse, injury = i[i["category"] == "abuse"], i[i["category"] == "injury"]
    assert len(abuse) + len(injury) == len(i)
    assert set(abuse["type_code"]) <= set(vocabulary.ABUSE_TYPES)
    assert set(injury["type_code"]) <= set(vocabulary.INJURY_TYPES)
    assert abuse[["environment", "supported_in_time"]].notna().all().all()
    assert abuse[["intent", "outcome"]].isna().all().all()
    assert injury[["intent", "outcome"]].notna().all().all()
    assert injury[["environment", "supported_in_time"]].isna().all().all()

    per_year = abuse.groupby(day.dt.year).size()
    assert per_year.between(30, 70).all()
    drowned = injury[
        (injury["type_code"] == "INJ_DROWN") & (injury["outcome"] == "fatal")
    ]
    assert drowned.groupby(day.dt.year).size().between(25, 60).all()
    assert injury.groupby(day.dt.year).size().between(1_500, 5_000).all()
    summer = day[drowned.index].dt.month.between(5, 8).mean()
    assert summer > 0.5

    assert (abuse["sex"] == "F").mean() > 0.85
    ages = abuse["age_band"].value_counts(normalize=True)
    assert ages["11_15"] > 0.55 and ages["0_5"] < 0.15
    assert 0.6 < (abuse["type_code"] == "AB_SEX").mean() < 0.85
    assert 0.75 < abuse["supported_in_time"].astype(bool).mean() < 0.98
    cells = abuse.groupby(["unit_id", day.dt.year]).size()
    assert len(cells) < 0.4 * 218 * len(YEARS)  # most commune-years: no case
    assert cells.quantile(0.9) <= 4


MONTH = "TT28_2019_ACTION_MONTH"


def test_reports_follow_the_calendar(demo_db: Engine) -> None:
    u = units(demo_db)
    s = table(demo_db, ReportSchedule).set_index("id")
    # a year: 6 periodic reports, the Action Month's 2, the child-friendly 3 (Lai
    # Châu's own commune results are not Gia Lai's)
    assert len(s) == 11 * len(YEARS)
    assert set(s["jurisdiction_id"]) == set(u.index[u["level"] == "province"])
    due = pd.to_datetime(s["due_date"])
    specs = set(
        zip(
            s["plan_code"],
            s["report_type"],
            due.dt.month,
            due.dt.day,
            s["due_inclusive"],
            s["from_level"],
            s["to_level"],
            strict=True,
        )
    )
    assert specs == {
        ("004_GIA_LAI_2021", "H1", 5, 25, False, "district", "province"),
        ("004_GIA_LAI_2021", "ANNUAL", 11, 20, False, "district", "province"),
        ("000_TAM_DUONG_2018", "Q1", 3, 20, True, "commune", "district"),
        ("000_TAM_DUONG_2018", "H1", 6, 15, True, "commune", "district"),
        ("000_TAM_DUONG_2018", "M9", 9, 15, True, "commune", "district"),
        ("000_TAM_DUONG_2018", "ANNUAL", 12, 10, True, "commune", "district"),
        # "trước ngày 10/7", "trước ngày 20/7" (TT 28/2019, Điều 5)
        (MONTH, "ACTION_MONTH", 7, 10, False, "commune", "district"),
        (MONTH, "ACTION_MONTH", 7, 20, False, "district", "province"),
        ("001_NAM_DONG_2014", "CF_REGISTER", 4, 10, False, "commune", "district"),
        ("001_NAM_DONG_2014", "CF_RESULTS", 10, 20, False, "commune", "district"),
        ("001_NAM_DONG_2014", "CF_RESULTS", 10, 30, False, "district", "province"),
    }
    ends = {"Q1": (3, 31), "H1": (6, 30), "M9": (9, 30), "ACTION_MONTH": (6, 30)}
    for row in s.itertuples():
        start = (6, 1) if row.report_type == "ACTION_MONTH" else (1, 1)  # June
        assert (row.period_start.month, row.period_start.day) == start
        end = ends.get(row.report_type, (12, 31))
        assert (row.period_end.month, row.period_end.day) == end
        assert row.basis

    sub = table(demo_db, ReportSubmission).join(s, on="schedule_id")
    assert (sub["from_level"] == u.loc[sub["unit_id"], "level"].to_numpy()).all()
    at = pd.to_datetime(sub["submitted_at"], utc=True).dt.tz_convert("Asia/Ho_Chi_Minh")
    minutes = at.dt.hour * 60 + at.dt.minute
    office = minutes.between(450, 689) | minutes.between(810, 1019)
    assert office.all() and (at.dt.dayofweek < 5).all()
    local_day = at.dt.tz_localize(None).dt.normalize()
    assert (local_day >= pd.to_datetime(sub["period_start"])).all()
    assert sub.groupby(["schedule_id", "unit_id"])["version"].min().eq(1).all()

    first = sub[sub["version"] == 1].copy()
    last_ok = pd.to_datetime(first["due_date"]) - pd.to_timedelta(
        (~first["due_inclusive"].astype(bool)).astype(int), unit="D"
    )
    late_by = (local_day[first.index] - last_ok).dt.days
    assert late_by[late_by > 0].between(1, 30).all()
    owed = (s["from_level"].map(u["level"].value_counts())).sum()
    on_time = (late_by <= 0).sum() / owed
    assert 0.60 <= on_time <= 0.90 and 0.03 <= 1 - len(first) / owed <= 0.20

    first["district"] = np.where(
        first["from_level"] == "commune",
        u.loc[first["unit_id"], "parent_id"],
        first["unit_id"],
    )
    per_district = (late_by <= 0).groupby(first["district"]).mean()
    assert per_district.min() < 0.65 < 0.85 < per_district.max()  # tendencies


COMPARE = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}


def test_indicators_cover_the_targets_and_agree_with_the_facts(
    demo_db: Engine,
) -> None:
    u = units(demo_db)
    ind = table(demo_db, Indicator).set_index("code")
    assert len(ind) == 20 and set(ind["source"]) == {
        "000 Tam Đường 2018",
        "001 Nam Đông 2014",
        "004 Gia Lai 2021",
    }
    t = table(demo_db, IndicatorTarget).join(u["level"], on="unit_id")
    v = table(demo_db, IndicatorValue)
    assert set(t["indicator_code"]) == set(ind.index)
    assert set(t["year"]) == set(v["year"]) == set(YEARS)
    assert set(t.loc[t["indicator_code"] == "FUND_MOBILISED", "level"]) == {"province"}
    assert set(t.loc[t["indicator_code"] == "U5_MALNUTRITION", "level"]) == {"district"}
    both = t[t["indicator_code"] == "STAFF_TRAINED"]
    per_year = both.groupby(["year", "level"]).size().unstack()
    assert (per_year["province"] == 1).all() and (per_year["district"] == 17).all()

    merged = v.merge(t, on=["indicator_code", "unit_id", "year"], how="left")
    assert merged["comparator"].notna().all()
    met = [
        COMPARE[c](x, y)
        for c, x, y in zip(
            merged["comparator"], merged["value"], merged["target_value"], strict=True
        )
    ]
    assert 0.2 < np.mean(met) < 0.9  # some met, some not

    value = v.set_index(["indicator_code", "year"])["value"]
    target = t.set_index(["indicator_code", "year"])["target_value"]
    money = table(demo_db, FundContribution)
    # mobilised: transfers between the province's funds are not counted again
    money = money[money["source_type"] != vocabulary.FUND_TRANSFER]
    per_year = money.groupby(pd.to_datetime(money["contributed_on"]).dt.year)
    for year, amount in per_year["amount_dong"].sum().items():
        assert value["FUND_MOBILISED", year] == amount
    fund_target = table(demo_db, FundTarget).join(u["level"], on="unit_id")
    goal = fund_target[fund_target["level"] == "province"].set_index("year")
    for year in YEARS:
        assert target["FUND_MOBILISED", year] == goal.loc[year, "amount_dong"]

    cases = table(demo_db, Incident)
    cases["year"] = pd.to_datetime(cases["occurred_on"]).dt.year
    for code, category in (
        ("ABUSED_CHILDREN", "abuse"),
        ("INJURED_CHILDREN", "injury"),
    ):
        counts = cases[cases["category"] == category].groupby("year").size()
        assert all(value[code, y] == counts[y] for y in YEARS)
        baseline = target[code]
        assert baseline.nunique() == 1 and 0.8 < baseline.iloc[0] / counts.mean() < 1.3
