"""Importing children under 16 per unit and year (``unit_children``): the
template, the checks of every row (a count below the cases recorded there that
year refused, the cases' number said only to roles that see exact counts), the
dry run, the import, a correction, the importer's area, the command line and
the import page."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import Engine, select

from data import fact_import
from data.fact_import import CHILDREN, INCIDENTS
from data.fact_import.spec import CHILDREN_SHEET, HELP_SHEET, LIST_SHEET
from data.metrics.dataset import facts_version
from data.models import AdminUnit, UnitChildren
from tests import test_import_page
from tests.conftest import create_test_users, signed_client
from tests.test_fact_import import GOOD, audits, import_file, texts
from tests.test_fact_import import workbook as incident_workbook
from tests.test_fact_import_fund import (
    ADMIN,
    TODAY,
    _lists,
    _rules,
    _scope,
    csv_file,
    district,
    workbook,
)

own_db = test_import_page.own_db  # its database, Gia Lai's demo data cleared
HEADERS = [c.header for c in CHILDREN.columns]
# year, unit, children
ROWS = [
    [2024, "64", 450_000],
    ["2024", "633 – Huyện Chư Sê", "38.500"],
    [2024.0, "23941", 5_200],
]


def run(engine, data, scope=ADMIN, write=False, name="tre-em.xlsx", today=TODAY):
    return import_file(engine, CHILDREN, data, scope, write, name, today)


def stored(engine: Engine) -> dict[tuple[str, int], tuple[int, str]]:
    with engine.connect() as conn:
        codes = dict(conn.execute(select(AdminUnit.id, AdminUnit.code)).all())
        rows = conn.execute(select(UnitChildren.__table__)).all()
    return {(codes[r.unit_id], r.year): (r.children_u16, r.source) for r in rows}


def with_cases(engine: Engine) -> None:
    """Gia Lai's cases of ``GOOD``: 23941 two in 2024, 23944 one in 2024 (both
    of district 633), 23590 one in 2025."""
    done = import_file(
        engine, INCIDENTS, incident_workbook(GOOD), ADMIN, True, "vv.xlsx", TODAY
    )
    assert done.written


# --- the template ---------------------------------------------------------------------


def test_template_has_headers_instructions_and_the_unit_list(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        offered = fact_import.units(conn, ADMIN, CHILDREN)
    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(CHILDREN, "xlsx", offered))
    )
    assert book.sheetnames == [CHILDREN_SHEET, LIST_SHEET, HELP_SHEET]
    ws = book[CHILDREN_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert HEADERS == ["Năm", "Mã đơn vị", "Số trẻ em dưới 16 tuổi"]
    assert _rules(ws) == {"B"}
    assert "64 – Tỉnh Gia Lai" in _lists(book)["Mã đơn vị"]
    help_text = " ".join(
        str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value
    )
    assert "không ít hơn số vụ việc" in help_text and "họ tên" in help_text
    data = fact_import.template(CHILDREN, "csv", [])
    assert data.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == HEADERS


# --- a good file, twice, corrected ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_dry_run_then_apply(gia_lai: Engine, fmt: str) -> None:
    data = workbook(CHILDREN, ROWS) if fmt == "xlsx" else csv_file(CHILDREN, ROWS)
    with gia_lai.connect() as conn:
        version = int(facts_version(conn) or 0)
    summary = run(gia_lai, data, name=f"tre-em.{fmt}")
    assert summary.ok, texts(summary)
    assert (summary.rows, summary.new, summary.updated) == (3, 3, 0)
    assert summary.measure == "children"
    assert [(u.code, u.year, u.before, u.after) for u in summary.units] == [
        ("64", 2024, None, 450_000),
        ("633", 2024, None, 38_500),
        ("23941", 2024, None, 5_200),
    ]
    assert stored(gia_lai) == {}  # a dry run writes nothing
    done = run(gia_lai, data, write=True, name=f"tre-em.{fmt}")
    assert done.written
    source = f"import tre-em.{fmt}"
    assert stored(gia_lai) == {
        ("64", 2024): (450_000, source),
        ("633", 2024): (38_500, source),
        ("23941", 2024): (5_200, source),
    }
    with gia_lai.connect() as conn:
        assert int(facts_version(conn)) == version + 1
    (entry,) = audits(gia_lai)
    assert (entry["kind"], entry["new"], entry["file"]) == (
        "children",
        3,
        f"tre-em.{fmt}",
    )


def test_twice_changes_nothing_and_a_correction_updates(gia_lai: Engine) -> None:
    data = workbook(CHILDREN, ROWS)
    run(gia_lai, data, write=True)
    with gia_lai.connect() as conn:
        version = facts_version(conn)
    again = run(gia_lai, data, write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    with gia_lai.connect() as conn:
        assert facts_version(conn) == version
    fixed = [[2024, "633", 39_000], [2025, "633", 39_400]]
    summary = run(gia_lai, csv_file(CHILDREN, fixed), write=True, name="sua.csv")
    assert (summary.new, summary.updated, summary.unchanged) == (1, 1, 0)
    assert [(u.year, u.before, u.after) for u in summary.units] == [
        (2024, 38_500, 39_000),
        (2025, None, 39_400),
    ]
    assert stored(gia_lai)[("633", 2024)] == (39_000, "import sua.csv")
    assert stored(gia_lai)[("64", 2024)] == (450_000, "import tre-em.xlsx")
    assert audits(gia_lai)[-1]["changes"] == [
        {
            "row": 2,
            "year": "2024",
            "unit": "633",
            "before": {"children_u16": 38_500},
            "after": {"children_u16": 39_000},
        }
    ]


BAD = [
    ((2, -5), ["ô C2", "không được âm"]),
    ((2, "nhiều"), ["ô C2", "không phải số nguyên"]),
    ((2, 12.5), ["ô C2", "không phải số nguyên"]),
    ((0, 2009), ["ô A2", "từ 2010 đến 2026"]),
    ((1, "99999"), ["ô B2", "không có đơn vị mã '99999'"]),
    ((1, "VN"), ["ô B2", "cấp country"]),
    ((2, None), ["ô C2", "chưa nhập"]),
]


@pytest.mark.parametrize(("change", "pieces"), BAD)
def test_each_bad_row_is_refused_naming_row_and_column(
    gia_lai: Engine, change, pieces
) -> None:
    col, value = change
    bad = list(ROWS[0])
    bad[col] = value
    summary = run(gia_lai, workbook(CHILDREN, [bad, ROWS[1]]), write=True)
    assert not summary.written and (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert f"Trang '{CHILDREN_SHEET}'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text, text
    assert stored(gia_lai) == {}
    assert "row 2" in summary.problems[0].text("en")


def test_a_unit_and_year_twice(gia_lai: Engine) -> None:
    summary = run(gia_lai, workbook(CHILDREN, [ROWS[0], [2024, "64", 1]]))
    (text,) = texts(summary)
    assert "ô A3" in text and "năm 2024 đã có ở dòng 2" in text


# --- no fewer children than cases -----------------------------------------------------


def test_fewer_children_than_cases_is_refused_with_the_count(gia_lai: Engine) -> None:
    with_cases(gia_lai)
    rows = [
        [2024, "23941", 1],  # 2 cases
        [2024, "633", 2],  # 3 cases in its communes
        [2024, "64", 3],  # 3 cases: as many children is possible
        [2025, "23941", 0],  # none that year
        [2024, "23944", 1],  # 1 case
    ]
    summary = run(gia_lai, workbook(CHILDREN, rows), write=True)
    assert not summary.written and summary.refused == 2
    first, second = texts(summary)
    assert "ô C2" in first and "ít hơn 2 vụ việc" in first and "'23941'" in first
    assert "xã" in first and "năm 2024" in first
    assert "ô C3" in second and "ít hơn 3 vụ việc" in second
    assert "fewer than the 3 cases" in summary.problems[1].text("en")
    assert run(gia_lai, workbook(CHILDREN, rows[2:]), write=True).written


def test_a_district_is_checked_against_what_its_map_shows(gia_lai: Engine) -> None:
    """23941 has one injury and one abuse case in 2024.  A district sees the
    injury and "<5" for abuse: below one child it is refused, without the count;
    one child passes (refusing it would tell one abuse case from none, which
    repeated dry runs would then pin).  Exact roles are held to both cases."""
    with_cases(gia_lai)
    scope = district(gia_lai)
    summary = run(gia_lai, workbook(CHILDREN, [[2024, "23941", 0]]), scope=scope)
    (text,) = texts(summary)
    assert "ít hơn số vụ việc đã ghi nhận" in text
    assert "1 vụ việc" not in text and "2 vụ việc" not in text
    assert not texts(
        run(gia_lai, workbook(CHILDREN, [[2024, "23941", 1]]), scope=scope)
    )
    (exact,) = texts(run(gia_lai, workbook(CHILDREN, [[2024, "23941", 1]])))
    assert "ít hơn 2 vụ việc" in exact


def test_a_district_imports_its_own_area_row_by_row(gia_lai: Engine) -> None:
    scope = district(gia_lai)
    rows = [*ROWS, [2024, "622", 40_000], [2024, "23590", 4_000]]
    summary = run(gia_lai, workbook(CHILDREN, rows), scope=scope)
    assert summary.refused == 3
    joined = "\n".join(texts(summary))
    for cell, code in (("ô B2", "'64'"), ("ô B5", "'622'"), ("ô B6", "'23590'")):
        assert cell in joined and code in joined
    assert joined.count("ngoài phạm vi") == 3
    ok = run(gia_lai, workbook(CHILDREN, ROWS[1:]), scope=scope, write=True)
    assert ok.written and ok.new == 2
    assert set(stored(gia_lai)) == {("633", 2024), ("23941", 2024)}


# --- the command line -----------------------------------------------------------------


def test_cli_template_and_import(gia_lai: Engine, gia_lai_cli, tmp_path) -> None:
    create_test_users(gia_lai)
    out = tmp_path / "mau.xlsx"
    result = gia_lai_cli(
        "fact-template", "children", "--out", str(out), "--user", "t_district"
    )
    assert result.exit_code == 0, result.output
    assert _lists(openpyxl.load_workbook(out))["Mã đơn vị"][0] == "633 – Huyện Chư Sê"
    good = tmp_path / "tre-em.xlsx"
    good.write_bytes(workbook(CHILDREN, ROWS))
    result = gia_lai_cli("import-facts", "children", str(good), "--user", "t_province")
    assert result.exit_code == 0, result.output
    assert "64 Tỉnh Gia Lai (2024): – → 450.000" in result.output
    assert stored(gia_lai) == {}
    result = gia_lai_cli(
        "import-facts", "children", str(good), "--user", "t_province", "--apply"
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi: 3 số trẻ em mới" in result.output
    result = gia_lai_cli(
        "import-facts", "children", str(good), "--user", "t_province", "--apply"
    )
    assert "Không có gì thay đổi" in result.output
    result = gia_lai_cli(
        "import-facts", "children", str(good), "--user", "t_district", "--apply"
    )
    assert result.exit_code != 0 and "ô B2" in result.output
    assert "Chưa ghi gì" in result.output


def test_district_scope_helper_is_the_fund_tests(gia_lai: Engine) -> None:
    """The district of these tests is Chư Sê (633), as the fund tests have it."""
    create_test_users(gia_lai)
    with gia_lai.connect() as conn:
        scope = _scope(conn, "district")
    with gia_lai.connect() as conn:
        codes = {u.code for u in fact_import.units(conn, scope, CHILDREN)}
    assert "633" in codes and "23941" in codes and "64" not in codes


# --- the import page ------------------------------------------------------------------


def test_the_import_page_offers_and_imports_children(own_db, make_app) -> None:
    """The page lists the kind; a district office sees its units' children
    before and after (children counts are not protected) and confirms."""
    from layouts import ids
    from tests.test_import_page import _page, _text

    app = make_app(own_db)
    client = signed_client(app, "district")
    layout = _text(_page(app, client, "/import"))
    assert "Số trẻ em dưới 16 tuổi (theo đơn vị và năm)" in layout
    xlsx = client.get("/import/template/children.xlsx")
    assert xlsx.status_code == 200
    assert CHILDREN_SHEET in openpyxl.load_workbook(io.BytesIO(xlsx.data)).sheetnames
    data = workbook(CHILDREN, [[2023, "633", "41.250"]])
    answer = test_import_page.check(client, data, name="tre-em.xlsx", kind="children")
    shown = _text(answer[(ids.IMPORT_SUMMARY, "children")])
    assert "633 Huyện Chư Sê (2023)" in shown and "41.250" in shown
    assert "Hiện có" in shown
    pending = answer[(ids.IMPORT_PENDING, "data")]
    assert pending["kind"] == "children"
    done = test_import_page.confirm(client, pending, data)
    assert "Đã ghi: 1 số trẻ em mới" in _text(done[(ids.IMPORT_RESULT, "children")])
