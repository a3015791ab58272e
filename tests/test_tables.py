"""The tables behind the tables page and the exports: every figure equals the
database's own aggregate, the scope and suppression rules hold, the grid's column
filters and sort are applied as AG Grid applies them, bad input is refused."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select, text

from data import tables
from data.models import AdminUnit, Incident
from data.periods import Period
from data.scope import FULL, Scope
from data.suppression import THRESHOLD, perturbed
from data.tables import SUPPRESSED, Filters, page, stream
from data.tables.grid import check_filter_model, check_sort_model

UNDER_64 = """
    SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = '64'
    UNION SELECT d.id FROM admin_unit d JOIN admin_unit p ON d.parent_id = p.id
      WHERE p.tree = 'legacy' AND p.code = '64'
    UNION SELECT c.id FROM admin_unit c JOIN admin_unit d ON c.parent_id = d.id
      JOIN admin_unit p ON d.parent_id = p.id WHERE p.tree = 'legacy' AND p.code = '64'
"""
CHU_SE = """SELECT c.code FROM admin_unit c JOIN admin_unit d ON c.parent_id = d.id
    WHERE d.tree = 'legacy' AND d.code = '633'"""
Y2024 = Filters("legacy", "64", Period(2024))
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


def _district(conn) -> Scope:
    unit_id = conn.execute(
        text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = '633'")
    ).scalar()
    return Scope("district", unit_id)


def _all(conn, table, filters=Y2024, scope=FULL, **kwargs) -> pd.DataFrame:
    frames = list(stream(conn, table, filters, scope, now=NOW, **kwargs))
    return pd.concat(frames) if frames else pd.DataFrame()


def _scalar(conn, sql: str) -> float:
    return conn.execute(text(sql)).scalar() or 0


def test_every_table_equals_the_database_for_the_province_year(conn) -> None:
    cases = _all(conn, "incidents")
    assert cases["count"].sum() == _scalar(
        conn,
        f"SELECT COUNT(*) FROM incident WHERE unit_id IN ({UNDER_64}) "
        "AND occurred_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    assert cases["count"].min() >= 1 and not cases[SUPPRESSED].any()
    fund = _all(conn, "fund")
    assert fund["amount"].sum() == _scalar(
        conn,
        f"SELECT SUM(amount_dong) FROM fund_contribution WHERE unit_id IN ({UNDER_64})"
        " AND contributed_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    assert fund["contributions"].sum() == _scalar(
        conn,
        f"SELECT COUNT(*) FROM fund_contribution WHERE unit_id IN ({UNDER_64})"
        " AND contributed_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    # the demo's transfers go from districts to the province: not counted again
    assert fund["counted"].sum() == _scalar(
        conn,
        f"SELECT SUM(amount_dong) FROM fund_contribution WHERE unit_id IN ({UNDER_64})"
        " AND contributed_on BETWEEN '2024-01-01' AND '2024-12-31'"
        " AND transfer_from_unit_id IS NULL",
    )
    assert fund["counted"].sum() < fund["amount"].sum()
    cf = _all(conn, "child_friendly")
    assert len(cf) == _scalar(
        conn,
        f"SELECT COUNT(*) FROM child_friendly_assessment WHERE unit_id IN ({UNDER_64})"
        " AND round_date BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    # criterion scores: the 13 columns add up to the stored total
    scored = cf.dropna(subset=["cf01"])
    parts = scored[[f"cf{i:02d}" for i in range(1, 14)]].sum(axis=1)
    assert (parts == scored["total_score"]).all() and len(scored) > 0
    goals = _all(conn, "scorecard")
    assert len(goals) == _scalar(
        conn,
        f"SELECT COUNT(*) FROM indicator_target WHERE unit_id IN ({UNDER_64})"
        " AND year = 2024",
    )
    assert set(goals["met"]) <= {"Đạt", "Không đạt", "Chưa có số liệu"}


def test_reports_follow_the_map_s_timeliness(conn) -> None:
    from data.metrics import timeliness

    shown = _all(conn, "reports")
    summary = timeliness(
        conn,
        tree="legacy",
        level="province",
        parent_code="VN",
        period=Period(2024),
        now=NOW,
        only="64",
    ).iloc[0]
    assert len(shown) == summary["owed"]
    counts = shown["status"].value_counts()
    assert counts.get("Đúng hạn", 0) == summary["on_time"]
    assert counts.get("Muộn", 0) == summary["late"]
    late = shown[shown["status"] == "Muộn"]
    assert (late["days_late"] >= 1).all()
    on_time = shown[shown["status"] == "Đúng hạn"]
    assert on_time["days_late"].isna().all()
    # days late counted from the deadline in Viet Nam time: check one row by hand
    row = late.iloc[0]
    due = row["due_date"]
    last_on_time = (
        due if row["due_rule"].startswith("Chậm nhất") else (due - dt.timedelta(days=1))
    )
    assert row["days_late"] == (row["submitted_at"].date() - last_on_time).days


def test_a_district_user_gets_its_own_communes_and_perturbed_abuse(conn) -> None:
    scope = _district(conn)
    own = {r[0] for r in conn.execute(text(CHU_SE))}
    cases = _all(conn, "incidents", scope=scope)
    assert set(cases["code"]) <= own and len(cases) > 0
    abuse = cases[cases["category"] == "Xâm hại"]
    assert set(abuse["type"]) <= {"Mọi hình thức"}
    assert set(abuse["sex"]) <= {"Cả nam và nữ"}
    assert not abuse[SUPPRESSED].any()  # rows that show "<5" are not listed
    assert (abuse["count"] >= THRESHOLD).all()
    # each listed cell is its perturbed count; exactly the cells perturbed to 5+
    # are listed, so whether a row exists says nothing about 0 or 1-4
    rows = conn.execute(
        select(AdminUnit.code, Incident.occurred_on, Incident.record_key)
        .join(AdminUnit, AdminUnit.id == Incident.unit_id)
        .where(
            Incident.category == "abuse",
            AdminUnit.code.in_(own),
            Incident.occurred_on.between(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        )
    ).all()
    cells: dict[tuple[str, str], list[int]] = {}
    for code, day, key in rows:
        cells.setdefault((code, day.strftime("%m/%Y")), []).append(int(key))
    truth = [(code, m, len(keys), sum(keys)) for (code, m), keys in cells.items()]
    expected = {
        (code, m): perturbed(n, key)
        for code, m, n, key in truth
        if perturbed(n, key) >= THRESHOLD
    }
    listed = {
        (r["code"], r["month"].strftime("%m/%Y")): r["count"]
        for _, r in abuse.iterrows()
    }
    assert listed == expected
    assert any(n <= 4 for _c, _m, n, _k in truth)  # the demo has small cells
    for table in ("child_friendly", "reports", "fund"):
        rows = _all(conn, table, scope=scope)
        communes = rows[rows["code"].str.len() == 5]
        assert set(communes["code"]) <= own, table


def test_column_filters_sort_and_blocks(conn) -> None:
    spec = tables.TABLES["incidents"]
    model = check_filter_model(
        spec,
        {
            "count": {"filterType": "number", "type": "greaterThan", "filter": 1},
            "type": {
                "filterType": "text",
                "operator": "OR",
                "conditions": [
                    {"filterType": "text", "type": "contains", "filter": "NGÃ"},
                    {"filterType": "text", "type": "startsWith", "filter": "đuối"},
                ],
            },
            "month": {
                "filterType": "date",
                "type": "inRange",
                "dateFrom": "2024-03-01 00:00:00",
                "dateTo": "2024-09-01 00:00:00",
            },
        },
    )
    sort = check_sort_model(spec, [{"colId": "count", "sort": "desc"}])
    rows = _all(conn, "incidents", filter_model=model, sort_model=sort)
    assert len(rows) > 0
    assert (rows["count"] > 1).all()
    assert rows["type"].isin(["Ngã", "Đuối nước"]).all()
    months = pd.to_datetime(rows["month"])
    assert (months > "2024-03-01").all() and (months < "2024-09-01").all()
    assert rows["count"].is_monotonic_decreasing
    full = _all(conn, "incidents", sort_model=sort)
    first, total = page(conn, "incidents", Y2024, FULL, 0, 50, now=NOW, sort_model=sort)
    second, _ = page(conn, "incidents", Y2024, FULL, 50, 100, now=NOW, sort_model=sort)
    assert total == len(full)
    blocks = pd.concat([first, second]).reset_index(drop=True)
    assert blocks.equals(full.iloc[:100].reset_index(drop=True))


def test_labels_sort_by_label_not_by_code(conn) -> None:
    spec = tables.TABLES["reports"]
    rows = _all(
        conn,
        "reports",
        sort_model=check_sort_model(spec, [{"colId": "status", "sort": "asc"}]),
    )
    seen = list(dict.fromkeys(rows["status"]))
    assert seen == sorted(seen, key=str.lower)


@pytest.mark.parametrize(
    ("model", "word"),
    [
        ({"nope": {"filterType": "text", "type": "contains", "filter": "x"}}, "nope"),
        ({"count": {"filterType": "text", "type": "contains", "filter": "x"}}, "type"),
        ({"count": {"filterType": "number", "type": "drop", "filter": 1}}, "drop"),
        (
            {"count": {"filterType": "number", "type": "equals", "filter": "1"}},
            "number",
        ),
        ({"month": {"filterType": "date", "type": "equals", "dateFrom": "x"}}, "date"),
        (
            {"type": {"filterType": "text", "type": "contains", "filter": "x" * 999}},
            "text",
        ),
        ([1, 2], "filter"),
    ],
)
def test_bad_filter_models_are_refused_by_name(model, word) -> None:
    with pytest.raises(ValueError, match=word):
        check_filter_model(tables.TABLES["incidents"], model)


def test_bad_sort_and_page_filters_are_refused(conn) -> None:
    spec = tables.TABLES["incidents"]
    with pytest.raises(ValueError, match="unknown column"):
        check_sort_model(spec, [{"colId": "name; DROP TABLE", "sort": "asc"}])
    with pytest.raises(ValueError, match="direction"):
        check_sort_model(spec, [{"colId": "count", "sort": "up"}])
    today = dt.date(2026, 11, 30)

    def resolve(**kwargs):
        base = {"unit": "64", "period": "2024", "scope": FULL, "today": today}
        return tables.resolve(conn, "incidents", **{**base, **kwargs})

    with pytest.raises(ValueError, match="unit"):
        resolve(unit="99999")
    with pytest.raises(ValueError, match="period"):
        resolve(period="2024-Q7")
    with pytest.raises(ValueError, match="type"):
        resolve(type="AB_SEX", scope=_district(conn))  # no abuse type for districts
    with pytest.raises(ValueError, match="status"):
        resolve(status="late")
    assert resolve(type="AB_SEX").type == "AB_SEX"
    assert resolve(period="2025-Q4", unit="52").tree == "2025"


def test_the_new_tree_lists_what_the_new_province_inherits(conn) -> None:
    """2025 on the new Gia Lai: legacy communes' cases before July, new after."""
    cases = _all(conn, "incidents", Filters("2025", "52", Period(2025)))
    months = pd.to_datetime(cases["month"])
    assert cases["count"].sum() == _scalar(
        conn,
        "SELECT COUNT(*) FROM incident WHERE occurred_on BETWEEN '2025-01-01' "
        "AND '2025-12-31'",
    )
    assert months.min() < pd.Timestamp("2025-07-01") <= months.max()


def test_areas_follow_the_scope(conn) -> None:
    day = dt.date(2024, 12, 31)
    everything = tables.areas(conn, "legacy", FULL, day)
    mine = tables.areas(conn, "legacy", _district(conn), day)
    own = {r[0] for r in conn.execute(text(CHU_SE))}
    assert {"64", "633", "622"} <= {r["code"] for r in everything}
    codes = {r["code"] for r in mine}
    assert "633" in codes and "622" not in codes
    assert {r["code"] for r in mine if r["level"] == "commune"} == own
    viewer = tables.areas(conn, "legacy", Scope("viewer"), day)
    assert {r["level"] for r in viewer} == {"country", "province"}  # two provinces
    assert everything[0]["code"] == "VN"


def test_the_totals_are_the_sums_of_the_rows_listed(conn) -> None:
    """The grid's totals: for the admin the database's own counts; for a district
    user the sum of the perturbed rows listed (never an exact count)."""
    _rows, n, sums = tables.page_with_sums(
        conn, "incidents", Y2024, FULL, 0, 10, now=NOW
    )
    assert n > 10 and sums["count"] == _scalar(
        conn,
        f"SELECT COUNT(*) FROM incident WHERE unit_id IN ({UNDER_64}) "
        "AND occurred_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    _rows, _n, fund = tables.page_with_sums(conn, "fund", Y2024, FULL, 0, 10, now=NOW)
    assert fund["amount"] == _scalar(
        conn,
        f"SELECT SUM(amount_dong) FROM fund_contribution WHERE unit_id IN ({UNDER_64})"
        " AND contributed_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    # a column filter: the total of the filtered rows only
    model = check_filter_model(
        tables.TABLES["incidents"],
        {"count": {"filterType": "number", "type": "greaterThan", "filter": 1}},
    )
    filtered = _all(conn, "incidents", filter_model=model)
    _rows, _n, some = tables.page_with_sums(
        conn, "incidents", Y2024, FULL, 0, 10, now=NOW, filter_model=model
    )
    assert some["count"] == filtered["count"].sum() < sums["count"]
    # a district user: the sum of the rows listed, perturbed abuse rows included
    scope = _district(conn)
    district = Filters("legacy", "633", Period(2024))
    listed = _all(conn, "incidents", filters=district, scope=scope)
    _rows, n, own = tables.page_with_sums(
        conn, "incidents", district, scope, 0, 5, now=NOW
    )
    assert n == len(listed) and own["count"] == listed["count"].sum()
    assert (listed[listed["category"] == "Xâm hại"]["count"] >= THRESHOLD).all()
    print(
        "district total",
        own["count"],
        "exact",
        _scalar(
            conn,
            "SELECT COUNT(*) FROM incident i JOIN admin_unit c ON c.id = i.unit_id "
            f"WHERE c.code IN ({CHU_SE}) "
            "AND occurred_on BETWEEN '2024-01-01' AND '2024-12-31'",
        ),
    )
