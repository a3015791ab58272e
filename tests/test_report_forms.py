"""The report template: generated, filled, read back; and the broken uploads that
must each be refused with a clear message."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest

from data import report_forms as rf
from data.report_forms import CASES, FUND, GROUPS, INFO, Form, FormError

FORM = Form("23941", "Thị trấn Chư Sê", "H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled() -> openpyxl.Workbook:
    """The template with figures typed in, totals kept right."""
    book = _book(rf.template(FORM))
    groups = book[GROUPS]
    groups["C4"], groups["C7"] = 3, 5  # orphans, disabled
    groups["C18"] = 8
    cases = book[CASES]
    cases["C4"], cases["F4"], cases["I4"] = 1, 2, 3  # violence: F 0-5, M 0-5
    drown = 3 + 7  # the first injury row: drowning
    cases[f"H{drown + 1}"], cases[f"I{drown + 1}"] = 4, 4
    fund = book[FUND]
    fund["C4"], fund["C6"], fund["C7"] = 1_500_000, 2_000_000, 3_500_000
    activities = book["Hoạt động"]
    activities["C4"], activities["D4"] = 2, 350
    activities["C7"] = 12  # staff trained
    return book


def test_the_template_carries_the_unit_and_period() -> None:
    book = _book(rf.template(FORM))
    assert book.sheetnames == list(rf.SHEETS)
    info = book[INFO]
    assert info["B3"].value == rf.FORM_ID and info["B4"].value == "23941"
    assert info["B6"].value == "H1 – Báo cáo 6 tháng"
    assert info["B7"].value.date() == dt.date(2024, 1, 1)
    assert info.protection.sheet
    assert book[GROUPS].max_row == 3 + 14 + 1  # 14 groups and the total
    assert book[CASES]["C3"].value == "Nữ 0–5 tuổi"


def test_round_trip_the_figures_are_what_was_filled() -> None:
    figures = rf.read(_save(filled()), FORM)
    assert figures.groups["ORPHAN"] == 3 and figures.groups["DISABLED"] == 5
    assert sum(figures.groups.values()) == 8 and len(figures.groups) == 14
    assert figures.cases == {
        ("abuse", "AB_VIOL", "F", "0_5"): 1,
        ("abuse", "AB_VIOL", "M", "0_5"): 2,
        ("injury", "INJ_DROWN", "M", "11_15"): 4,
    }
    assert figures.fund == {"cash": 1_500_000, "in_kind": 0, "programme": 2_000_000}
    assert figures.activities["ACTION_MONTH"] == (2, 350)
    assert figures.staff_trained == 12


def filled_with_formulas() -> openpyxl.Workbook:
    """The template with parts typed in and its totals left as formulas."""
    book = _book(rf.template(FORM))
    book[GROUPS]["C4"], book[GROUPS]["C7"] = 3, 5
    book[CASES]["C4"], book[CASES]["F4"] = 1, 2
    book[FUND]["C4"], book[FUND]["C6"] = 1_500_000, 2_000_000
    return book


def test_the_template_s_totals_are_formulas() -> None:
    book = _book(rf.template(FORM))
    assert book[GROUPS]["C18"].value == "=SUM(C4:C17)"
    assert book[FUND]["C7"].value == "=SUM(C4:C6)"
    assert book[CASES]["I4"].value == "=SUM(C4:H4)"
    last = 3 + len(rf.LAYOUT[CASES][1])
    assert book[CASES][f"I{last}"].value == f"=SUM(C{last}:H{last})"
    assert book[GROUPS]["C4"].value == 0  # parts stay typed zeros
    assert book["Hoạt động"]["C4"].value == 0  # no totals there
    assert not book[GROUPS]["C4"].protection.locked
    assert book[GROUPS]["C18"].protection.locked


def test_formula_totals_without_cached_values_are_recomputed() -> None:
    data = _save(filled_with_formulas())
    # written by a program: a formula cell read for its value holds nothing
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert cached[GROUPS]["C18"].value is None
    figures = rf.read(data, FORM)
    assert figures.groups["ORPHAN"] == 3 and sum(figures.groups.values()) == 8
    assert figures.cases == {
        ("abuse", "AB_VIOL", "F", "0_5"): 1,
        ("abuse", "AB_VIOL", "M", "0_5"): 2,
    }
    assert figures.fund == {"cash": 1_500_000, "in_kind": 0, "programme": 2_000_000}


def test_a_typed_wrong_total_is_refused_naming_the_cell() -> None:
    book = filled_with_formulas()
    book[FUND]["C7"] = 3_000_000  # the formula typed over, wrongly
    book[CASES]["I4"] = 3  # typed over, rightly
    problems = _problems(_save(book))
    assert problems == [
        "Trang 'Quỹ', ô C7 (dòng 7, cột C): tổng 3.000.000 khác tổng các phần 3.500.000"
    ]


def test_a_cached_total_is_not_trusted_either() -> None:
    """As saved by a spreadsheet: the formula with its value cached, here a stale
    one; the total is the sum of the parts all the same."""
    data = _save(filled_with_formulas())
    stale = rewritten(
        data,
        "xl/worksheets/sheet2.xml",  # the groups sheet
        lambda body: body.replace(
            b"<f>SUM(C4:C17)</f><v></v>", b"<f>SUM(C4:C17)</f><v>99</v>"
        ),
    )
    cached = openpyxl.load_workbook(io.BytesIO(stale), data_only=True)
    assert cached[GROUPS]["C18"].value == 99
    assert sum(rf.read(stale, FORM).groups.values()) == 8


def test_a_part_formula_without_a_value_is_named() -> None:
    book = filled_with_formulas()
    book[GROUPS]["C5"] = "=1+1"
    problems = _problems(_save(book))
    assert any("ô C5" in p and "công thức" in p for p in problems)


def _problems(data: bytes, form: Form = FORM) -> list[str]:
    with pytest.raises(FormError) as caught:
        rf.read(data, form)
    return caught.value.problems


def test_another_report_s_template_or_another_unit_or_period() -> None:
    other = Form("23944", "Xã Ia Tiêm", "ANNUAL", dt.date(2024, 1, 1), FORM.end)
    problems = _problems(rf.template(other))
    assert any("ô B4" in p and "Sai đơn vị" in p and "23944" in p for p in problems)
    assert any("Sai loại báo cáo" in p for p in problems)
    later = Form(*FORM.__dict__.values())
    problems = _problems(
        _save(filled()), Form("23941", "x", "H1", dt.date(2025, 1, 1), FORM.end)
    )
    assert any("ô B7" in p and "Sai kỳ báo cáo" in p for p in problems)
    assert rf.read(
        _save(filled()), later
    )  # the name may differ; code, report, period decide


def test_renamed_or_deleted_headers_and_rows() -> None:
    book = filled()
    book[CASES]["D3"] = "Nữ 6-10"
    book[GROUPS].delete_rows(5)  # a group's row deleted
    problems = _problems(_save(book))
    assert any("Trang 'Vụ việc', ô D3" in p and "Nữ 6–10 tuổi" in p for p in problems)
    assert any("Trang 'Trẻ em HCĐB', ô A5" in p and "ABANDONED" in p for p in problems)
    book = filled()
    del book[FUND]
    assert any("thiếu trang 'Quỹ'" in p for p in _problems(_save(book)))


def test_text_negative_fractional_and_empty_cells() -> None:
    book = filled()
    book[GROUPS]["C5"] = "ba"
    book[GROUPS]["C6"] = -1
    book[FUND]["C5"] = 2.5
    book[CASES]["E10"] = None
    problems = _problems(_save(book))
    assert any("ô C5" in p and "'ba' không phải là số" in p for p in problems)
    assert any("ô C6" in p and "số âm" in p for p in problems)
    assert any("Trang 'Quỹ', ô C5" in p and "số nguyên" in p for p in problems)
    assert any("Trang 'Vụ việc', ô E10" in p and "chưa nhập" in p for p in problems)


def test_parts_that_do_not_add_up() -> None:
    book = filled()
    book[GROUPS]["C18"] = 9
    book[CASES]["I4"] = 4
    book[FUND]["C7"] = 1
    problems = _problems(_save(book))
    assert any(
        "Trang 'Trẻ em HCĐB', ô C18" in p and "tổng 9 khác" in p for p in problems
    )
    assert any(
        "Trang 'Vụ việc', ô I4" in p and "tổng 4 khác tổng các phần 3" in p
        for p in problems
    )
    assert any("Trang 'Quỹ', ô C7" in p and "3.500.000" in p for p in problems)


def test_broken_files() -> None:
    assert "Tệp rỗng" in _problems(b"")[0]
    assert "bị hỏng" in _problems(b"PK\x03\x04 not really a zip")[0]
    assert "bị hỏng" in _problems(b"%PDF-1.7 a scanned report")[0]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512  # encrypted .xlsx or .xls
    assert "mật khẩu" in _problems(ole)[0]
    assert "quá lớn" in _problems(b"PK" + b"\0" * (rf.MAX_BYTES + 1))[0]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert "bị hỏng" in _problems(archive.getvalue())[0]
    blank = openpyxl.Workbook()
    assert "thiếu trang" in _problems(_save(blank))[0]


def test_every_problem_is_listed_at_once() -> None:
    book = filled()
    book[GROUPS]["C5"] = "x"
    book[FUND]["C4"] = -5
    book[CASES]["C3"] = "?"
    assert len(_problems(_save(book))) >= 3


# --- what an upload may cost: checked before openpyxl parses it -------------------


def rewritten(data: bytes, part: str, change) -> bytes:
    """``data`` (an .xlsx) with one zip part changed by ``change(bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(
                info.filename, change(body) if part == info.filename else body
            )
    return out.getvalue()


FUND_PART = "xl/worksheets/sheet4.xml"  # the template's fourth sheet: "Quỹ"


def cell_bomb(data: bytes, rows: int, per_row: int, dimension: str | None) -> bytes:
    """Empty cells (no address, no value) appended under the fund sheet's rows,
    and the sheet's declared dimension replaced: small on disk, costly to parse."""

    def change(body: bytes) -> bytes:
        if dimension is not None:
            start = body.index(b"<dimension ")
            end = body.index(b"/>", start) + 2
            body = (
                body[:start] + f'<dimension ref="{dimension}"/>'.encode() + body[end:]
            )
        extra = (b"<row>" + b"<c/>" * per_row + b"</row>") * rows
        return body.replace(b"</sheetData>", extra + b"</sheetData>")

    return rewritten(data, FUND_PART, change)


def _timed_problems(data: bytes) -> list[str]:
    started = time.perf_counter()
    problems = _problems(data)
    print(f"{len(data):,} bytes refused in {time.perf_counter() - started:.3f} s")
    return problems


def test_a_cell_bomb_is_refused_before_it_is_parsed() -> None:
    template = _save(filled())
    declared = cell_bomb(template, rows=8_000, per_row=26, dimension="A1:Z5000000")
    assert len(declared) < 100_000  # 208,000 cells in a few kilobytes
    (problem,) = _timed_problems(declared)
    assert "Trang 'Quỹ'" in problem and "A1:Z5000000" in problem
    assert "5.000.000 dòng" in problem
    # no dimension to betray it: the cells themselves are counted
    packed = cell_bomb(template, rows=900, per_row=60, dimension=None)
    (problem,) = _timed_problems(packed)
    assert "Trang 'Quỹ'" in problem and "50.000 ô" in problem
    # one cell far away is enough to be refused, with its address
    far = rewritten(
        template,
        FUND_PART,
        lambda b: b.replace(
            b"</sheetData>", b'<row r="70000"><c r="B70000"/></row></sheetData>'
        ),
    )
    (problem,) = _timed_problems(far)
    assert "Trang 'Quỹ'" in problem and "dòng 70.000" in problem
    # a merged range is as many cells for openpyxl
    merged = rewritten(
        template,
        FUND_PART,
        lambda b: b.replace(
            b"</worksheet>",
            b'<mergeCells count="1"><mergeCell ref="A20:CV990"/></mergeCells>'
            b"</worksheet>",
        ),
    )
    assert "50.000 ô" in _timed_problems(merged)[0]


def test_a_zip_bomb_is_refused_from_the_zip_directory() -> None:
    padding = b"<!--" + b" " * (11 * 1024 * 1024) + b"-->"
    bomb = rewritten(
        _save(filled()),
        FUND_PART,
        lambda b: b.replace(b"</sheetData>", padding + b"</sheetData>"),
    )
    assert len(bomb) < 100_000
    (problem,) = _timed_problems(bomb)
    assert "giải nén quá lớn" in problem and "bom nén" in problem


def test_broken_xml_names_the_sheet_and_the_place() -> None:
    broken = rewritten(
        _save(filled()),
        "xl/worksheets/sheet2.xml",
        lambda b: b.replace(b"</sheetData>", b"<row><c></sheetData>"),
    )
    (problem,) = _problems(broken)
    assert "Tệp bị hỏng" in problem and "trang 'Trẻ em HCĐB'" in problem
    assert "XML lỗi ở dòng 1, cột" in problem


def test_a_missing_sheet_part_entities_and_a_non_zip() -> None:
    template = _save(filled())
    missing = rewritten(
        template,
        "xl/_rels/workbook.xml.rels",
        lambda b: b.replace(b"sheet3.xml", b"sheet9.xml"),
    )
    (problem,) = _problems(missing)
    assert "thiếu nội dung của trang 'Vụ việc'" in problem
    entities = rewritten(
        template,
        "xl/styles.xml",
        lambda b: (
            b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaa">]>'
            + b[b.index(b"<styleSheet") :]
        ),
    )
    assert "DTD hoặc thực thể XML" in _problems(entities)[0]
    csv = "Mã biểu mẫu;Mã đơn vị\nBVCSTE-BC-1;23941\n".encode() * 20
    (problem,) = _problems(csv)
    assert "không phải tệp Excel (.xlsx)" in problem
