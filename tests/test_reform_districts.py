"""Former-district (huyện cũ) groups of the new Gia Lai's communes, on both backends."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from data.db import transaction
from data.reform import crosswalk_frame, former_district_groups, load_2025_tree


@pytest.fixture
def groups(engine: Engine):
    with transaction(engine) as session:
        load_2025_tree(session, ["52"])
    with engine.connect() as conn:
        return (
            former_district_groups(conn, "52").set_index("new_code"),
            crosswalk_frame(conn, new_province_code="52"),
        )


def test_each_new_commune_gets_one_former_district_or_none(groups) -> None:
    table, crosswalk = groups
    assert len(table) == 135
    assert (table["predecessors"] >= 1).all()
    single = table["former_districts"] == 1
    assert table.loc[single, "former_district_code"].notna().all()
    assert table.loc[~single, "former_district_code"].isna().all()
    assert table.loc[~single, "former_district_name"].isna().all()
    # The same answer worked out from the crosswalk rows in pandas.
    districts = crosswalk.groupby("new_code")["legacy_district_code"].agg(set)
    expected = districts.map(lambda s: min(s) if len(s) == 1 else "several")
    got = table["former_district_code"].fillna("several")
    assert got.to_dict() == expected.to_dict()
    assert (single.sum(), (~single).sum()) == (129, 6)


def test_hand_checked_examples(groups) -> None:
    table, _ = groups
    # Phường Quy Nhơn Bắc <- Phường Nhơn Phú + Phường Trần Quang Diệu, both of
    # Thành phố Quy Nhơn (540).
    quy_nhon_bac = table.loc["21553"]
    assert quy_nhon_bac["former_district_code"] == "540"
    assert quy_nhon_bac["former_district_name"] == "Thành phố Quy Nhơn"
    assert quy_nhon_bac["predecessors"] == 2
    # Xã An Toàn <- Xã An Toàn + part of the divided Xã An Nghĩa, both of Huyện
    # An Lão (542): a piece of a divided commune counts as a predecessor.
    assert table.loc["21622", "former_district_code"] == "542"
    # Xã Gào <- Xã Ia Kênh, Xã Gào (Thành phố Pleiku, 622) and Xã Ia Pếch
    # (Huyện Ia Grai, 628): spans two former districts.
    gao = table.loc["23611"]
    assert gao["former_districts"] == 2
    assert pd.isna(gao["former_district_code"])
    # Xã Biển Hồ spans three: Pleiku, Đak Đoa, Chư Păh.
    assert table.loc["23590", "former_districts"] == 3


def test_unknown_province_is_named(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(ValueError, match="'64'"):
        former_district_groups(conn, "64")
