"""Importing plan targets and indicator values (``indicator_target``,
``indicator_value``, known by unit, indicator and year): the templates, the
checks of every row (the indicator defined, numbers not negative, percentages up
to 100), the dry run, the import, a correction, the importer's area, the
command line and the import page."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import Engine, insert, select

from data import fact_import
from data.db import transaction
from data.fact_import import INDICATOR_TARGETS, INDICATOR_VALUES
from data.fact_import.spec import HELP_SHEET, PLAN_TARGET_SHEET, PLAN_VALUE_SHEET
from data.metrics.dataset import facts_version
from data.models import AdminUnit, Indicator, IndicatorTarget, IndicatorValue
from tests import test_import_page
from tests.conftest import create_test_users, post_callback, signed_client
from tests.test_fact_import import import_file, texts
from tests.test_fact_import_fund import ADMIN, TODAY, csv_file, district, workbook

own_db = test_import_page.own_db  # its database, Gia Lai's demo data cleared
INDICATORS = [
    ("SC_CARED_REGULARLY", "percent", "higher"),
    ("INJURED_CHILDREN", "count", "lower"),
    ("CF_COMMUNES_MAINTAINED", "count", "none"),
]
# year, unit, indicator, comparison, target
TARGETS = [
    [2024, "64", "SC_CARED_REGULARLY", None, "82,5"],
    ["2024", "633 – Huyện Chư Sê", "injured_children", "<=", 12],
    [2024, "633", "CF_COMMUNES_MAINTAINED", None, 14.0],
]
# year, unit, indicator, value
VALUES = [
    [2024, "64", "SC_CARED_REGULARLY", "84.2"],
    [2024, "633", "INJURED_CHILDREN", 9],
]


@pytest.fixture
def plan(gia_lai: Engine) -> Engine:
    with transaction(gia_lai) as session:
        session.execute(
            insert(Indicator),
            [
                {
                    "code": code,
                    "name_vi": code,
                    "name_en": code,
                    "measure": measure,
                    "direction": direction,
                    "level": "district",
                    "source": "test",
                }
                for code, measure, direction in INDICATORS
            ],
        )
    return gia_lai


def run(engine, kind, data, scope=ADMIN, write=False, name="ct.xlsx"):
    return import_file(engine, kind, data, scope, write, name, TODAY)


def stored(engine: Engine, model) -> dict[tuple[str, str, int], tuple]:
    with engine.connect() as conn:
        codes = dict(conn.execute(select(AdminUnit.id, AdminUnit.code)).all())
        rows = conn.execute(select(model.__table__)).all()
    return {
        (codes[r.unit_id], r.indicator_code, r.year): (
            (r.comparator, r.target_value) if model is IndicatorTarget else r.value
        )
        for r in rows
    }


def test_templates_read_back(plan: Engine) -> None:
    for kind, sheet, headers in (
        (INDICATOR_TARGETS, PLAN_TARGET_SHEET, ["Năm", "Mã đơn vị", "Mã chỉ tiêu",
                                                "So sánh", "Mức chỉ tiêu"]),
        (INDICATOR_VALUES, PLAN_VALUE_SHEET, ["Năm", "Mã đơn vị", "Mã chỉ tiêu",
                                              "Kết quả"]),
    ):  # fmt: skip
        with plan.connect() as conn:
            offered = fact_import.units(conn, ADMIN, kind)
        book = openpyxl.load_workbook(
            io.BytesIO(fact_import.template(kind, "xlsx", offered))
        )
        assert book.sheetnames[0] == sheet
        assert [c.value for c in book[sheet][1]] == headers
        data = fact_import.template(kind, "csv", [])
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == headers


def test_the_indicator_column_offers_the_defined_indicators(plan: Engine) -> None:
    """A drop-down of the indicators the database defines, and each listed
    with its name on the instructions sheet."""
    with plan.connect() as conn:
        listed = fact_import.choices(conn, INDICATOR_VALUES)
        assert fact_import.choices(conn, fact_import.INCIDENTS) == {}
    codes = sorted(code for code, _m, _d in INDICATORS)
    assert [code for code, _name in listed["indicator_code"]] == codes
    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(INDICATOR_VALUES, "xlsx", [], listed))
    )
    ws = book[PLAN_VALUE_SHEET]
    column = next(c.column_letter for c in ws[1] if c.value == "Mã chỉ tiêu")
    rules = [
        r for r in ws.data_validations.dataValidation if f"{column}2" in str(r.sqref)
    ]
    assert len(rules) == 1
    sheet, _, cells = rules[0].formula1.partition("!")
    found = [
        c.value for row in book[sheet.strip("'")][cells.replace("$", "")] for c in row
    ]
    assert found == codes
    help_text = " ".join(
        str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value
    )
    assert all(f"{code} – {code}" in help_text for code in codes)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_targets_dry_run_apply_twice_and_corrected(plan: Engine, fmt: str) -> None:
    data = (
        workbook(INDICATOR_TARGETS, TARGETS)
        if fmt == "xlsx"
        else csv_file(INDICATOR_TARGETS, TARGETS)
    )
    summary = run(plan, INDICATOR_TARGETS, data, name=f"ct.{fmt}")
    assert summary.ok, texts(summary)
    assert [(u.code, u.detail, u.year, u.before, u.after) for u in summary.units] == [
        ("64", "SC_CARED_REGULARLY", 2024, None, 82.5),
        ("633", "CF_COMMUNES_MAINTAINED", 2024, None, 14.0),
        ("633", "INJURED_CHILDREN", 2024, None, 12.0),
    ]
    assert stored(plan, IndicatorTarget) == {}
    assert run(plan, INDICATOR_TARGETS, data, write=True, name=f"ct.{fmt}").written
    assert stored(plan, IndicatorTarget) == {
        ("64", "SC_CARED_REGULARLY", 2024): (">=", 82.5),  # higher is better
        ("633", "INJURED_CHILDREN", 2024): ("<=", 12.0),
        ("633", "CF_COMMUNES_MAINTAINED", 2024): ("=", 14.0),
    }
    with plan.connect() as conn:
        version = facts_version(conn)
    again = run(plan, INDICATOR_TARGETS, data, write=True, name=f"ct.{fmt}")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    with plan.connect() as conn:
        assert facts_version(conn) == version
    fixed = [[2024, "64", "SC_CARED_REGULARLY", ">", "85"]]
    done = run(plan, INDICATOR_TARGETS, workbook(INDICATOR_TARGETS, fixed), write=True)
    assert (done.new, done.updated) == (0, 1)
    (change,) = done.changes
    assert change.ref == "SC_CARED_REGULARLY 2024"
    assert (change.before, change.after) == (
        {"comparator": ">=", "target_value": 82.5},
        {"comparator": ">", "target_value": 85.0},
    )


def test_values_dry_run_apply_and_corrected(plan: Engine) -> None:
    data = workbook(INDICATOR_VALUES, VALUES)
    assert run(plan, INDICATOR_VALUES, data, write=True).written
    assert stored(plan, IndicatorValue) == {
        ("64", "SC_CARED_REGULARLY", 2024): 84.2,
        ("633", "INJURED_CHILDREN", 2024): 9.0,
    }
    with plan.connect() as conn:
        keys = conn.execute(select(IndicatorValue.record_key)).scalars().all()
    assert all(k is not None for k in keys)
    again = run(plan, INDICATOR_VALUES, data, write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    fixed = [[2024, "633", "INJURED_CHILDREN", 11]]
    done = run(plan, INDICATOR_VALUES, workbook(INDICATOR_VALUES, fixed), write=True)
    assert [(u.before, u.after) for u in done.units] == [(9.0, 11.0)]
    assert stored(plan, IndicatorValue)[("633", "INJURED_CHILDREN", 2024)] == 11.0


BAD = [
    ({2: "NO_SUCH"}, ["ô C2", "không có chỉ tiêu mã 'NO_SUCH'", "SC_CARED"]),
    ({4: "101"}, ["ô E2", "lớn hơn 100", "phần trăm"]),
    ({4: -1}, ["ô E2", "không được âm"]),
    ({4: "nhiều"}, ["ô E2", "không phải số"]),
    ({3: "≈"}, ["ô D2", "không có trong danh mục"]),
    ({1: "99999"}, ["ô B2", "không có đơn vị mã '99999'"]),
    ({0: 2009}, ["ô A2", "từ 2010 đến 2026"]),
]


@pytest.mark.parametrize(("change", "pieces"), BAD)
def test_each_bad_target_is_refused(plan: Engine, change, pieces) -> None:
    bad = list(TARGETS[0])
    for col, value in change.items():
        bad[col] = value
    rows = [bad, TARGETS[1]]
    summary = run(
        plan, INDICATOR_TARGETS, workbook(INDICATOR_TARGETS, rows), write=True
    )
    assert not summary.written and (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert f"Trang '{PLAN_TARGET_SHEET}'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text, text
    assert stored(plan, IndicatorTarget) == {}


def test_twice_in_a_file_and_a_district_row_by_row(plan: Engine) -> None:
    summary = run(
        plan, INDICATOR_VALUES, workbook(INDICATOR_VALUES, [VALUES[1], VALUES[1]])
    )
    (text,) = texts(summary)
    assert "ô A3" in text and "đã có ở dòng 2" in text
    scope = district(plan)
    rows = [*VALUES, [2024, "622", "INJURED_CHILDREN", 3]]
    summary = run(plan, INDICATOR_VALUES, workbook(INDICATOR_VALUES, rows), scope=scope)
    assert summary.refused == 2
    joined = "\n".join(texts(summary))
    assert "ô B2" in joined and "ô B4" in joined and "ngoài phạm vi" in joined
    ok = run(
        plan, INDICATOR_VALUES, workbook(INDICATOR_VALUES, VALUES[1:]), scope=scope,
        write=True,
    )  # fmt: skip
    assert ok.written


def test_cli_imports_targets(plan: Engine, gia_lai_cli, tmp_path) -> None:
    create_test_users(plan)
    good = tmp_path / "ct.csv"
    good.write_bytes(csv_file(INDICATOR_TARGETS, TARGETS))
    result = gia_lai_cli(
        "import-facts", "indicator_targets", str(good), "--user", "t_province",
        "--apply",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "64 Tỉnh Gia Lai (SC_CARED_REGULARLY 2024): – → 82,50" in result.output
    assert "Đã ghi: 3 mức chỉ tiêu mới" in result.output
    out = tmp_path / "kq.xlsx"
    result = gia_lai_cli("fact-template", "indicator_values", "--out", str(out))
    assert result.exit_code == 0 and openpyxl.load_workbook(out).sheetnames[0] == (
        PLAN_VALUE_SHEET
    )


def test_the_page_hides_stored_values_from_a_district(own_db, make_app) -> None:
    """Indicator values include counts of abused children: a district sees the
    file's rows, not the values stored; targets are not protected."""
    from layouts import ids
    from tests.test_import_page import CHECK, _contents, _page, _text

    app = make_app(own_db)
    client = signed_client(app, "district")
    layout = _text(_page(app, client, "/import"))
    assert "Chỉ tiêu kế hoạch (mức phải đạt" in layout
    assert "Kết quả thực hiện chỉ tiêu kế hoạch" in layout
    assert client.get("/import/template/indicator_values.xlsx").status_code == 200

    def check(kind, rows):
        data = workbook(kind, rows)
        answer = post_callback(
            client,
            CHECK,
            [(ids.IMPORT_UPLOAD, "contents", _contents(data))],
            [
                (ids.IMPORT_UPLOAD, "filename", "x.xlsx"),
                (ids.IMPORT_KIND, "value", kind.name),
                (ids.IMPORT_LANG, "data", "vi"),
            ],
        )
        return _text(answer[(ids.IMPORT_SUMMARY, "children")])

    shown = check(INDICATOR_VALUES, [[2024, "633", "ABUSED_CHILDREN", 3]])
    assert "Hiện có" not in shown and "Hợp lệ" in shown
    shown = check(INDICATOR_TARGETS, [[2024, "633", "ABUSED_CHILDREN", None, 3]])
    assert "Hiện có" in shown and "633 Huyện Chư Sê (ABUSED_CHILDREN 2024)" in shown
