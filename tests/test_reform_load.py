"""The July-2025 tree and its crosswalk for the new Gia Lai (52), on both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data.db import transaction
from data.models import AdminUnit, UnitCrosswalk
from data.reform import (
    crosswalk_frame,
    load_2025_tree,
    predecessors,
    reform_province_for,
    successor_of,
)
from data.units import units_frame
from layouts.i18n import t


@pytest.fixture
def new_gia_lai(engine: Engine):
    """``engine`` with the new Gia Lai loaded, and the loader's report."""
    with transaction(engine) as session:
        report = load_2025_tree(session, ["52"])
    return engine, report


def _legacy(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        units = units_frame(conn, tree="legacy")
    by_id = units.set_index("id")
    units["province"] = units["parent_id"].map(by_id["parent_id"]).map(by_id["code"])
    return units


def test_new_gia_lai_has_135_communes_directly_under_the_province(
    new_gia_lai,
) -> None:
    engine, report = new_gia_lai
    with engine.connect() as conn:
        units = units_frame(conn, tree="2025")
    assert report.counts == {"country": 1, "province": 1, "commune": 135}
    assert units["level"].value_counts().to_dict() == {
        "commune": 135,
        "province": 1,
        "country": 1,
    }
    province = units[units["level"] == "province"].iloc[0]
    assert (province["code"], province["name"]) == ("52", "Tỉnh Gia Lai")
    assert province["kind"] == "tỉnh"
    communes = units[units["level"] == "commune"]
    assert set(communes["parent_code"]) == {"52"}
    assert set(communes["kind"]) <= {"xã", "phường", "đặc khu"}
    assert (communes["valid_from"] == dt.date(2025, 7, 1)).all()
    assert communes["valid_to"].isna().all()
    assert communes[["lat", "lon", "area_km2"]].notna().all().all()
    assert communes[["bbox_west", "bbox_north"]].isna().all().all()
    assert "Phường Quy Nhơn" in set(communes["name"])  # the provincial seat


def test_predecessors_are_exactly_old_gia_lai_and_old_binh_dinh(new_gia_lai) -> None:
    engine, report = new_gia_lai
    assert report.predecessors == {"52": ["52", "64"]}
    legacy = _legacy(engine)
    provinces = legacy[legacy["level"] == "province"]
    assert sorted(provinces["code"]) == ["52", "64"]
    districts = legacy[legacy["level"] == "district"]
    assert districts["parent_code"].value_counts().to_dict() == {"64": 17, "52": 11}
    communes = legacy[legacy["level"] == "commune"]
    assert communes["province"].value_counts().to_dict() == {"64": 218, "52": 155}
    with engine.connect() as conn:
        crosswalk = crosswalk_frame(conn, new_province_code="52")
    assert set(crosswalk["legacy_code"]) == set(communes["code"])
    assert set(crosswalk["legacy_province_code"]) == {"52", "64"}
    assert crosswalk["new_code"].nunique() == 135


def test_every_legacy_commune_has_exactly_one_default_successor(new_gia_lai) -> None:
    engine, report = new_gia_lai
    with engine.connect() as conn:
        crosswalk = crosswalk_frame(conn, new_province_code="52")
    per_unit = crosswalk.groupby("legacy_code").agg(
        rows=("new_code", "size"),
        defaults=("is_default", "sum"),
        divided=("divided", "all"),
    )
    assert (per_unit["defaults"] == 1).all()
    assert (per_unit.loc[per_unit["divided"], "rows"] >= 2).all()
    assert (per_unit.loc[~per_unit["divided"], "rows"] == 1).all()
    # Divided: three communes of old Bình Định, none of old Gia Lai.
    divided = crosswalk[crosswalk["divided"]]
    assert set(divided["legacy_code"]) == {"21634", "21997", "22000"}
    assert set(divided["legacy_province_code"]) == {"52"}
    assert report.divided == 3
    assert report.crosswalk_rows == len(crosswalk) == 376
    # Read from the package: Xã An Nghĩa (An Lão) went to An Toàn and An Hòa,
    # and An Hòa carries its figures.
    an_nghia = divided[divided["legacy_code"] == "21634"].set_index("new_code")
    assert an_nghia["is_default"].to_dict() == {"21622": False, "21628": True}


def test_loading_again_updates_and_never_duplicates(new_gia_lai) -> None:
    engine, _ = new_gia_lai

    def counts() -> tuple[int, int]:
        with engine.connect() as conn:
            units = conn.execute(select(func.count()).select_from(AdminUnit)).scalar()
            rows = conn.execute(
                select(func.count()).select_from(UnitCrosswalk)
            ).scalar()
        return units, rows

    before = counts()
    with transaction(engine) as session:
        again = load_2025_tree(session, ["52"])
    assert counts() == before == (1 + 2 + 28 + 373 + 1 + 1 + 135, 376)
    assert again.inserted == 0
    assert again.updated == 137
    assert again.legacy.inserted == 0


def test_queries_answer_from_the_stored_crosswalk(new_gia_lai) -> None:
    engine, _ = new_gia_lai
    with engine.connect() as conn:
        assert reform_province_for(conn, "64") == "52"
        assert reform_province_for(conn, "52") == "52"
        frame = crosswalk_frame(conn)
        assert reform_province_for(frame, "64") == "52"
        assert successor_of(conn, "21634") == "21628"
        # Phường Nhơn Phú and Phường Trần Quang Diệu became Phường Quy Nhơn Bắc.
        assert successor_of(conn, "21553") == "21553"
        assert successor_of(conn, "21559") == "21553"
        before = predecessors(conn, "21553")
        assert sorted(before["legacy_code"]) == ["21553", "21559"]
        assert set(before["legacy_district_name"]) == {"Thành phố Quy Nhơn"}
        with pytest.raises(ValueError, match="99999"):
            successor_of(conn, "99999")
        with pytest.raises(ValueError, match="'01'"):
            reform_province_for(conn, "01")
        with pytest.raises(ValueError, match="'21634'"):
            predecessors(conn, "21634")  # a legacy code, not a new one


@pytest.mark.parametrize(
    ("codes", "named"),
    [(["99"], "'99'"), (["52", "5x"], "'5x'"), (["64"], "'64'"), ([], "none")],
)
def test_unknown_or_malformed_codes_are_named(
    sqlite_engine: Engine, codes: list[str], named: str
) -> None:
    with transaction(sqlite_engine) as session, pytest.raises(ValueError, match=named):
        load_2025_tree(session, codes)


def test_report_of_gia_lai_has_no_anomaly_and_says_what_it_loaded(
    new_gia_lai,
) -> None:
    _, report = new_gia_lai
    assert report.anomalies == []
    text = report.format()
    assert "135 commune" in text
    assert "52 <- 52, 64" in text
    assert "376 rows, 3 divided" in text


def test_divided_rule_is_stated_in_both_languages() -> None:
    assert "mặc định" in t("reform_divided", "vi")
    assert "default successor" in t("reform_divided", "en")
