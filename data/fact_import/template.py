"""The template of a kind of facts: a workbook (a data sheet with the Vietnamese
headers and drop-down lists, an instructions sheet, a hidden sheet of the lists)
or a CSV file (UTF-8 with a byte-order mark, so Excel reads the diacritics) with
the same columns.

The unit list holds the units the importing user may write rows of the kind
for (communes, or for the fund also districts and the province; both trees,
"code – name"; ``read`` takes the code before the dash).  Coded columns offer
the Vietnamese names of their terms; a value typed outside a list is allowed by
Excel with a warning and checked on import like any other.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data.cells import safe_text
from data.fact_import.spec import (
    HELP_SHEET,
    LIST_SHEET,
    MAX_ROWS,
    Column,
    Kind,
)

BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDEBF7")
DASH = " – "  # between a unit's code and its name in the list
FORMATS = {
    "ref": "@",
    "unit": "@",
    "date": "dd/mm/yyyy",
    "year": "0",
    "amount": "#,##0",
    "count": "#,##0",
    "points": "0",
}


@dataclass(frozen=True)
class Offered:
    """A unit the list offers."""

    code: str
    name: str
    tree: str
    valid: str  # its validity in words ("… – 30/06/2025", "01/07/2025 – …")
    level: str = "commune"


def offered(kind: Kind) -> tuple[Column, ...]:
    """The columns of the template (a file may have more: ``Column.offered``)."""
    return tuple(c for c in kind.columns if c.offered)


def unit_choice(unit: Offered) -> str:
    return f"{unit.code}{DASH}{unit.name}"


def _put(ws: Worksheet, row: int, col: int, value: object) -> None:
    cell = ws.cell(row, col, safe_text(value))
    if isinstance(value, str):
        cell.data_type = "s"


# column key -> (code, name) of the values the database defines (indicators)
Choices = Mapping[str, Sequence[tuple[str, str]]]


def _lists(
    book: Workbook, kind: Kind, units: Sequence[Offered], choices: Choices
) -> dict[str, str]:
    """Write the hidden list sheet; each coded column's range (key -> formula);
    the unit columns share one list."""
    ws = book.create_sheet(LIST_SHEET)
    ranges: dict[str, str] = {}
    col = 0
    unit_range = None
    for column in offered(kind):
        if column.form == "unit" and unit_range is not None:
            ranges[column.key] = unit_range
            continue
        if column.form == "unit":
            values = [unit_choice(c) for c in units]
        elif column.terms:
            values = list(dict.fromkeys(t.vi for t in column.terms))
        elif choices.get(column.key):
            values = [code for code, _name in choices[column.key]]
        else:
            continue
        col += 1
        _put(ws, 1, col, column.header)
        for row, value in enumerate(values, start=2):
            _put(ws, row, col, value)
        letter = get_column_letter(col)
        last = max(2, len(values) + 1)
        ranges[column.key] = f"'{LIST_SHEET}'!${letter}$2:${letter}${last}"
        if column.form == "unit":
            unit_range = ranges[column.key]
    ws.sheet_state = "hidden"
    return ranges


def _help(
    book: Workbook, kind: Kind, units: Sequence[Offered], choices: Choices
) -> None:
    ws = book.create_sheet(HELP_SHEET)
    _put(ws, 1, 1, f"HƯỚNG DẪN NHẬP: {kind.title}")
    ws.cell(1, 1).font = Font(bold=True, size=12)
    notes = (
        f"Mỗi dòng của trang '{kind.sheet}' là {kind.form.row}; dòng 1 là tiêu "
        "đề, không đổi tên, không thêm cột.",
        kind.form.privacy,
        "Tệp được kiểm tra toàn bộ trước khi ghi; còn lỗi thì không ghi dòng nào. "
        f"Tối đa {MAX_ROWS:_} dòng.".replace("_", "."),
        *kind.form.notes,
    )
    for row, note in enumerate(notes, start=2):
        _put(ws, row, 1, note)
    head = 2 + len(notes) + 1
    for col, text in enumerate(("Cột", "Bắt buộc", "Cách ghi", "Giá trị"), 1):
        _put(ws, head, col, text)
        ws.cell(head, col).font, ws.cell(head, col).fill = BOLD, HEAD
    for row, column in enumerate(offered(kind), start=head + 1):
        _put(ws, row, 1, column.header)
        _put(ws, row, 2, "Có" if column.required else "Không")
        _put(ws, row, 3, column.help)
        _put(ws, row, 4, _values(kind, column, units, choices))
        for col in (3, 4):
            ws.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (22, 10, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _values(
    kind: Kind, column: Column, units: Sequence[Offered], choices: Choices
) -> str:
    if column.form == "unit":
        word = "xã" if kind.communes_only else "đơn vị"
        return (
            f"{len(units)} {word} trong phạm vi của tài khoản (trang ẩn "
            f"'{LIST_SHEET}'), ví dụ: " + "; ".join(unit_choice(c) for c in units[:3])
        )
    if column.terms:
        return "; ".join(f"{t.vi} ({t.code})" for t in column.terms)
    if choices.get(column.key):
        return "; ".join(f"{code} – {name}" for code, name in choices[column.key])
    return column.example


def xlsx(
    kind: Kind,
    units: Sequence[Offered],
    rows: Sequence[Sequence[object]] = (),
    choices: Choices | None = None,
) -> bytes:
    """The workbook template of ``kind``, offering ``units`` (and the values
    of ``choices``: the defined indicators); ``rows`` (each its cells in the
    order of the template's columns: the stored rows,
    ``data.fact_import.export``) written into its data sheet."""
    choices = choices or {}
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = kind.sheet
    for col, column in enumerate(offered(kind), start=1):
        _put(ws, 1, col, column.header)
        cell = ws.cell(1, col)
        cell.font, cell.fill = BOLD, HEAD
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.freeze_panes = "A2"
    ranges = _lists(book, kind, units, choices)
    last = MAX_ROWS + 1
    for col, column in enumerate(offered(kind), start=1):
        letter = get_column_letter(col)
        if column.key in ranges:
            rule = DataValidation(
                type="list",
                formula1=ranges[column.key],
                allow_blank=not column.required,
                errorStyle="warning",
                showErrorMessage=True,
                error="Giá trị không có trong danh mục.",
                promptTitle=column.header[:32],
                prompt=column.help[:255],
                showInputMessage=True,
            )
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
        if column.form in FORMATS:  # codes as text, so 00123 keeps its zeros
            for row in range(2, max(202, len(rows) + 2)):
                ws.cell(row, col).number_format = FORMATS[column.form]
    for number, cells in enumerate(rows, start=2):
        for col, value in enumerate(cells, start=1):
            if value is not None:
                _put(ws, number, col, value)
    _help(book, kind, units, choices)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(kind: Kind, rows: Iterable[Iterable[object]] = ()) -> bytes:
    """The CSV template of ``kind``: its header line, UTF-8 with a BOM; then
    ``rows`` (their cells as text, in the columns' order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.header for c in offered(kind))
    writer.writerows([safe_text(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
