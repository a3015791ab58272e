"""Transfers between fund levels are not counted twice (DOMAIN.md 4).

On the small tree of ``tests.test_metrics_tree`` (which has no fund facts in
2022), these bookings of 2022, in đồng:

    91    raised     1,000,000,000 cash       (the province's own fund)
    911   raised       800,000,000 in kind    (a district's own fund)
    91101 raised       370,000,000 cash       (a commune of 911)
    92    raised        30,000,000 cash       (the other province)
    91    transfer     150,000,000 cash   from 911 (a district hands money up)
    91    transfer      50,000,000 programme  from VN (the national fund)
    912   transfer      30,000,000 cash   from 92 (from another province)

Province 91 mobilised 2,170,000,000 (1,000 + 800 + 370 million); booking the
district's 150 million again would make it 2,320,000,000.  The rule
(``data.metrics.fund``): a transfer counts for a unit only when the giving fund
lies outside the unit's area.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from data import metrics, tables
from data.metrics.summary import refresh_fund
from data.models import AdminUnit, FundContribution
from data.periods import Period
from data.reform import FORMER_DISTRICT
from data.scope import FULL
from layouts import map_panels
from tests.test_metrics_reform import END_OLD, NEW, OLD, X, build_reform
from tests.test_metrics_tree import TREE, build_small

Y2022 = Period(2022)
TODAY = dt.date(2023, 3, 1)
MILLION = 1_000_000
# unit, day, kind, source, đồng, from unit
BOOKINGS = [
    ("91", dt.date(2022, 2, 10), "cash", "enterprise", 1_000 * MILLION, None),
    ("911", dt.date(2022, 5, 20), "in_kind", "individual", 800 * MILLION, None),
    ("91101", dt.date(2022, 1, 25), "cash", "individual", 370 * MILLION, None),
    ("92", dt.date(2022, 3, 1), "cash", "enterprise", 30 * MILLION, None),
    ("91", dt.date(2022, 12, 15), "cash", "transfer", 150 * MILLION, "911"),
    ("91", dt.date(2022, 6, 1), "programme", "transfer", 50 * MILLION, "VN"),
    ("912", dt.date(2022, 9, 1), "cash", "transfer", 30 * MILLION, "92"),
]
COLUMNS = ["cash", "in_kind", "programme", "total", "transfer_in", "transfer_within"]


def _ids(conn) -> dict[str, int]:
    return dict(conn.execute(select(AdminUnit.code, AdminUnit.id)).all())


def _row(ids: dict[str, int], unit, day, kind, source, amount, giver) -> dict:
    return {
        "unit_id": ids[unit],
        "contributed_on": day,
        "kind": kind,
        "source_type": source,
        "amount_dong": amount,
        "transfer_from_unit_id": ids[giver] if giver else None,
    }


@pytest.fixture
def moved(engine: Engine) -> Engine:
    build_small(engine)
    with engine.begin() as conn:
        ids = _ids(conn)
        conn.execute(insert(FundContribution), [_row(ids, *b) for b in BOOKINGS])
        refresh_fund(conn)
    return engine


def _progress(engine: Engine, level: str, parent: str) -> dict[str, list[int]]:
    with engine.connect() as conn:
        frame = metrics.fund_progress(
            conn, tree=TREE, level=level, parent_code=parent, period=Y2022, today=TODAY
        )
    return {r["code"]: [r[c] for c in COLUMNS] for r in frame.to_dict("records")}


def test_a_district_handing_money_to_the_province_is_counted_once(
    moved: Engine,
) -> None:
    provinces = _progress(moved, "province", "VN")
    # 1,000 + 800 + 370 million raised, + 50 from the national fund and 30 from
    # province 92 (to district 912): brought in from outside; the district's
    # 150 million is not counted again
    assert provinces["91"] == [
        1_400 * MILLION,  # cash: 1,000 + 370 + 30
        800 * MILLION,
        50 * MILLION,
        2_250 * MILLION,
        80 * MILLION,
        150 * MILLION,
    ]
    # province 92 raised 30 million; handing it on does not undo that
    assert provinces["92"] == [30 * MILLION, 0, 0, 30 * MILLION, 0, 0]
    districts = _progress(moved, "district", "91")
    # 911 keeps its 800 + 370 million; 912 received 30 million from outside
    assert districts["911"] == [370 * MILLION, 800 * MILLION, 0, 1_170 * MILLION, 0, 0]
    assert districts["912"] == [30 * MILLION, 0, 0, 30 * MILLION, 30 * MILLION, 0]


def test_the_country_counts_no_transfer_and_the_headline_follows(
    moved: Engine,
) -> None:
    with moved.connect() as conn:
        country = metrics.fund_headline(
            conn, tree=TREE, unit_code="VN", year=2022, today=TODAY
        )
        province = metrics.fund_headline(
            conn, tree=TREE, unit_code="91", year=2022, today=TODAY
        )
    # every transfer moved money between funds of the country: 2,200 million
    # raised (1,000 + 800 + 370 + 30), 230 million moved
    assert country["total"] == 2_200 * MILLION
    assert (country["transfer_in"], country["transfer_within"]) == (0, 230 * MILLION)
    assert country["by_kind"] == {
        "cash": 1_400 * MILLION,
        "in_kind": 800 * MILLION,
        "programme": 0,
    }
    assert province["total"] == 2_250 * MILLION
    assert province["transfer_in"] == 80 * MILLION
    assert province["transfer_within"] == 150 * MILLION


def test_the_transfer_alone_changes_nothing_above_the_giver(engine: Engine) -> None:
    """The issue's case: 2.17 billion before the district hands over 150 million,
    and still 2.17 billion after (not 2.32)."""
    build_small(engine)
    with engine.begin() as conn:
        ids = _ids(conn)
        conn.execute(insert(FundContribution), [_row(ids, *b) for b in BOOKINGS[:3]])
        refresh_fund(conn)
    before = _progress(engine, "province", "VN")["91"]
    with engine.begin() as conn:
        conn.execute(insert(FundContribution), [_row(_ids(conn), *BOOKINGS[4])])
        refresh_fund(conn)
    after = _progress(engine, "province", "VN")["91"]
    assert before[3] == after[3] == 2_170 * MILLION
    assert after[5] == 150 * MILLION and before[5] == 0


def test_the_table_shows_the_transfer_and_what_the_area_counts(moved: Engine) -> None:
    filters = tables.Filters(TREE, "91", Y2022)
    now = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    with moved.connect() as conn:
        rows, n, sums = tables.page_with_sums(
            conn, "fund", filters, FULL, 0, 50, now=now
        )
        english = next(tables.stream(conn, "fund", filters, FULL, lang="en", now=now))
    assert n == 6  # 92's own booking lies outside province 91
    moved_rows = rows[rows["transfer_from"].notna()].set_index("transfer_from")
    assert set(moved_rows["origin"]) == {"Chuyển từ quỹ cấp dưới/cấp khác"}
    district = moved_rows.loc["Unit 911"]
    assert (district["code"], district["amount"], district["counted"]) == (
        "91",
        150 * MILLION,
        0,
    )
    assert moved_rows.loc["Unit VN", "counted"] == 50 * MILLION
    assert moved_rows.loc["Unit 92", "counted"] == 30 * MILLION
    raised = rows[rows["transfer_from"].isna()]
    assert set(raised["origin"]) == {"Vận động tại đơn vị"}
    assert (raised["counted"] == raised["amount"]).all()
    # the rows' total equals the map's figure; the bookings are 150 million more
    assert sums["counted"] == 2_250 * MILLION
    assert sums["amount"] == 2_400 * MILLION
    assert set(english["origin"]) == {
        "Raised by the unit",
        "Transfer from another fund level",
    }


def test_the_table_of_the_receiving_district_counts_money_from_outside(
    moved: Engine,
) -> None:
    filters = tables.Filters(TREE, "912", Y2022)
    now = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    with moved.connect() as conn:
        rows, n, sums = tables.page_with_sums(
            conn, "fund", filters, FULL, 0, 50, now=now
        )
    assert n == 1
    assert rows.iloc[0]["transfer_from"] == "Unit 92"
    assert sums == {"contributions": 1, "amount": 30 * MILLION, "counted": 30 * MILLION}


@pytest.mark.parametrize(
    ("source", "giver", "unit"),
    [
        ("transfer", None, "province"),  # a transfer names the fund that gave it
        ("enterprise", "district", "province"),  # money raised has no giver
        ("transfer", "province", "province"),  # a fund cannot give to itself
    ],
)
def test_inconsistent_transfers_are_refused(
    gia_lai: Engine, source: str, giver: str | None, unit: str
) -> None:
    with gia_lai.connect() as conn:
        ids = {
            level: conn.execute(
                select(AdminUnit.id).where(AdminUnit.level == level).limit(1)
            ).scalar_one()
            for level in ("province", "district")
        }
    day = dt.date(2022, 12, 1)
    row = _row(ids, unit, day, "cash", source, MILLION, giver)
    with pytest.raises(IntegrityError), gia_lai.begin() as conn:
        conn.execute(insert(FundContribution), [row])
    # the consistent transfer is accepted
    good = _row(ids, "province", day, "cash", "transfer", MILLION, "district")
    with gia_lai.begin() as conn:
        conn.execute(insert(FundContribution), [good])
    with gia_lai.connect() as conn:
        assert conn.execute(select(FundContribution.amount_dong)).scalars().all() == [
            MILLION
        ]


def test_a_transfer_from_an_unknown_unit_is_refused(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        province = conn.execute(
            select(AdminUnit.id).where(AdminUnit.code == "64")
        ).scalar_one()
        unknown = conn.execute(select(AdminUnit.id).order_by(AdminUnit.id.desc()))
        missing = unknown.scalars().first() + 1000
    row = {
        "unit_id": province,
        "contributed_on": dt.date(2022, 12, 1),
        "kind": "cash",
        "source_type": "transfer",
        "amount_dong": MILLION,
        "transfer_from_unit_id": missing,
    }
    with pytest.raises(IntegrityError), gia_lai.begin() as conn:
        conn.execute(insert(FundContribution), [row])


def test_the_summary_card_names_both_kinds_of_transfer() -> None:
    head = {
        "total": 2_250 * MILLION,
        "target": None,
        "by_kind": {"cash": 0, "in_kind": 0, "programme": 0},
        "transfer_in": 80 * MILLION,
        "transfer_within": 150 * MILLION,
    }
    text = str(map_panels.summary_fund("Unit 91", head, "vi"))
    assert "Chuyển giữa các quỹ trong địa bàn: 150.000.000 đ (không tính lại)" in text
    assert "Trong đó nhận chuyển từ quỹ ngoài địa bàn: 80.000.000 đ" in text
    plain = str(
        map_panels.summary_fund(
            "Unit 92", {**head, "transfer_in": 0, "transfer_within": 0}, "en"
        )
    )
    assert "transfer" not in plain.lower() and "moved" not in plain.lower()
    assert map_panels.transfer_lines(head, "en") == [
        "Of which received from funds outside the area: 80,000,000 VND",
        "Moved between funds within the area: 150,000,000 VND (not counted again)",
    ]


def test_across_the_reform_the_area_decides(engine: Engine) -> None:
    """On the reform's pair of trees (``tests.test_metrics_reform``): legacy
    district 811 hands 150,000 to legacy province 81 L and legacy province 82 M
    300,000 to L before July 2025; the new province 81 N hands 4,000 to its
    commune X after.  New 81 N inherits L, M and their districts: every transfer
    moves money within it.  Legacy L got M's money from outside."""
    build_reform(engine)
    moves = [  # tree, receiver, giver, day, đồng
        (OLD, "81", "811", dt.date(2025, 6, 20), 150_000),
        (OLD, "81", "82", dt.date(2025, 6, 25), 300_000),
        (NEW, X, "81", dt.date(2025, 10, 1), 4_000),
    ]
    with engine.begin() as conn:
        ids = {
            (u.tree, u.code): u.id
            for u in conn.execute(select(AdminUnit.tree, AdminUnit.code, AdminUnit.id))
        }
        conn.execute(
            insert(FundContribution),
            [
                {
                    "unit_id": ids[(tree, receiver)],
                    "contributed_on": day,
                    "kind": "cash",
                    "source_type": "transfer",
                    "amount_dong": amount,
                    "transfer_from_unit_id": ids[(tree, giver)],
                }
                for tree, receiver, giver, day, amount in moves
            ],
        )
        refresh_fund(conn)

    def rows(tree: str, level: str, parent: str) -> dict[str, list[int]]:
        # the legacy units as they stood on their last day, 30 June 2025
        today = dt.date(2026, 11, 30) if tree == NEW else END_OLD
        with engine.connect() as conn:
            frame = metrics.fund_progress(
                conn,
                tree=tree,
                level=level,
                parent_code=parent,
                period=Period(2025),
                today=today,
            )
        return {
            r["code"]: [r[c] for c in COLUMNS[3:]] for r in frame.to_dict("records")
        }

    # as before the transfers (test_metrics_reform): 4,011,000; 454,000 moved
    assert rows(NEW, "province", "VN")["81"] == [4_011_000, 0, 454_000]
    # X: legacy A, B, C (100,000 + 50,000 + 30,000) + its own 5,000, and the
    # province fund's 4,000 from outside its area
    assert rows(NEW, "commune", "81")[X] == [189_000, 4_000, 0]
    # the group of X: 811's 200,000 too; 811's own transfer is booked on L
    assert rows(NEW, FORMER_DISTRICT, "81")["MIXED-81"] == [389_000, 4_000, 0]
    legacy = rows(OLD, "province", "VN")
    # L: 1,000,000 + 811 200,000 + A..D 250,000, and M's 300,000 from outside;
    # M raised 500,000 + F 40,000 and keeps them
    assert legacy["81"] == [1_750_000, 300_000, 150_000]
    assert legacy["82"] == [540_000, 0, 0]


def test_the_map_hover_shows_the_transfers_of_a_unit() -> None:
    from callbacks.themes import _transfer_hover

    row = {"transfer_in": 0, "transfer_within": 150 * MILLION}
    assert _transfer_hover(row, "vi") == (
        "<br>Chuyển giữa các quỹ trong địa bàn: 150.000.000 đ (không tính lại)"
    )
    assert _transfer_hover({"transfer_in": 0, "transfer_within": 0}, "vi") == ""
    nothing = {"transfer_in": float("nan"), "transfer_within": float("nan")}
    assert _transfer_hover(nothing, "en") == ""  # a unit outside the user's area
