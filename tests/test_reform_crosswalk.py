"""Resolving the package's crosswalk: every problem reported, stand-ins mapped."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data.db import transaction
from data.reform import crosswalk_frame, load_2025_tree, successor_of
from data.reform.crosswalk import map_stand_ins, resolve_pairs, unmatched

LEGACY = pd.DataFrame(
    {
        "legacy_key": ["p_d_a", "p_d_b", "p_i_"],
        "legacy_code": ["00001", "00002", "D900"],
        "legacy_name": ["Xã A", "Xã B", "Huyện Đảo"],
        "stand_in": [False, False, True],
        "district_name": ["Huyện D", "Huyện D", "Huyện Đảo"],
        "district_short": ["D", "D", "Đảo"],
    }
)
NEW = pd.DataFrame(
    {
        "new_province_key": ["q", "q", "q"],
        "new_ward_key": ["xax", "xay", "dackhudao"],
        "new_code": ["10001", "10002", "10003"],
        "new_kind": ["Xã", "Xã", "Đặc khu"],
        "new_short": ["X", "Y", "Đảo"],
        "new_name": ["Xã X", "Xã Y", "Đặc khu Đảo"],
    }
)


def _pairs(rows: list[tuple]) -> pd.DataFrame:
    columns = ["legacy_key", "new_province_key", "new_ward_key", "is_default"]
    frame = pd.DataFrame([r[:4] for r in rows], columns=columns)
    frame["divided"] = [r[4] for r in rows]
    return frame


def test_keys_that_resolve_to_nothing_are_reported_and_skipped() -> None:
    pairs = _pairs(
        [
            ("p_d_a", "q", "xax", True, False),
            ("p_d_zz", "q", "xax", True, False),  # unknown legacy key
            ("p_d_b", "q", "nowhere", True, False),  # unknown new key
        ]
    )
    rows, anomalies = resolve_pairs(pairs, LEGACY, NEW)
    assert list(rows["legacy_code"]) == ["00001"]
    kinds = [(a.kind, a.code) for a in anomalies]
    assert kinds == [("unresolved_key", "p_d_zz"), ("unresolved_key", "00002")]
    assert "new key" in anomalies[1].detail


def test_a_divided_unit_gets_exactly_one_default() -> None:
    pairs = _pairs(
        [
            ("p_d_a", "q", "xax", False, True),
            ("p_d_a", "q", "xay", False, True),  # no default flagged
            ("p_d_b", "q", "xax", True, True),
            ("p_d_b", "q", "xay", True, True),  # two flagged
        ]
    )
    rows, anomalies = resolve_pairs(pairs, LEGACY, NEW)
    defaults = rows[rows["is_default"]].set_index("legacy_code")["new_code"]
    assert defaults.to_dict() == {"00001": "10001", "00002": "10001"}
    assert sorted(a.code for a in anomalies if a.kind == "default") == [
        "00001",
        "00002",
    ]


def test_a_unit_listed_twice_is_reported() -> None:
    pairs = _pairs(
        [
            ("p_d_a", "q", "xax", True, False),
            ("p_d_a", "q", "xax", True, False),
            ("p_d_b", "q", "xax", True, False),
            ("p_d_b", "q", "xay", True, True),
        ]
    )
    rows, anomalies = resolve_pairs(pairs, LEGACY, NEW)
    assert len(rows) == 3
    assert rows.loc[rows["legacy_code"] == "00002", "divided"].all()
    assert {(a.kind, a.code) for a in anomalies} >= {
        ("duplicate", "00001"),
        ("duplicate", "00002"),
    }


def test_a_stand_in_missing_from_the_package_is_mapped_by_name() -> None:
    rows = pd.DataFrame(
        {
            "legacy_code": ["00001"],
            "new_code": ["10001"],
            "is_default": [True],
            "divided": [False],
        }
    )
    zones = NEW[NEW["new_kind"] == "Đặc khu"]
    stand_ins = LEGACY[LEGACY["stand_in"]]
    mapped, anomalies = map_stand_ins(rows, stand_ins, zones)
    added = mapped[mapped["legacy_code"] == "D900"]
    assert added[["new_code", "is_default", "divided"]].values.tolist() == [
        ["10003", True, False]
    ]
    assert "mapped by name to 10003 Đặc khu Đảo" in anomalies[0].detail
    # Once mapped (by the package or by name), the check says so and adds nothing.
    again, notes = map_stand_ins(mapped, stand_ins, zones)
    assert len(again) == len(mapped)
    assert "the special zone of the same name" in notes[0].detail


def test_units_without_partner_are_listed() -> None:
    rows = pd.DataFrame({"legacy_code": ["00001"], "new_code": ["10001"]})
    found = unmatched(rows, LEGACY, NEW)
    assert [(a.kind, a.code) for a in found] == [
        ("no_successor", "00002"),
        ("no_successor", "D900"),
        ("no_predecessor", "10002"),
        ("no_predecessor", "10003"),
    ]


def test_island_stand_in_goes_to_the_special_zone_of_its_name(engine: Engine) -> None:
    # New Quảng Ngãi (51) = old Quảng Ngãi (51) + old Kon Tum (62); the island
    # district Lý Sơn had no communes and is now Đặc khu Lý Sơn.
    with transaction(engine) as session:
        report = load_2025_tree(session, ["51"])
    assert report.predecessors == {"51": ["51", "62"]}
    notes = report.of_kind("stand_in")
    assert [(a.code, a.name) for a in notes] == [("D536", "Huyện Lý Sơn")]
    assert "21548 Đặc khu Lý Sơn" in notes[0].detail
    assert {a.kind for a in report.anomalies} == {"stand_in"}
    with engine.connect() as conn:
        assert successor_of(conn, "D536") == "21548"
        crosswalk = crosswalk_frame(conn, new_province_code="51")
    lyson = crosswalk[crosswalk["legacy_code"] == "D536"]
    assert lyson["legacy_district_name"].tolist() == ["Huyện Lý Sơn"]
    assert not lyson["divided"].any()
