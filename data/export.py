"""Writing tables to files Vietnamese offices open without fixing anything.

- ``.xlsx`` (openpyxl, write-only: rows go to disk as they come, so memory stays
  flat however many rows): a title block (the table, the filters, the exporting
  user's scope, the data-as-of time, "demo data" when it is), a bold header row
  frozen under the block, numbers and đồng amounts as numbers with a number
  format, dates as dates, column widths from the table's spec, one sheet per
  table.  A table longer than a sheet holds (1,048,576 rows) continues on the
  next sheet, with the same block and header.
- ``.csv``: UTF-8 with a byte-order mark (Excel reads the diacritics), a header
  row, ISO dates, raw numbers (no separators), one table.

Both write a suppressed abuse count as "<5", never as a number, and no text as
a formula: text beginning with a formula character gets a leading single quote
(``data.cells.safe_text``) and is written to ``.xlsx`` as a string cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data.cells import QUOTE, CellValue, safe_text
from data.suppression import SHOWN
from data.tables import SUPPRESSED, Table

EXCEL_MAX_ROWS = 1_048_576
PROGRESS_EVERY = 10_000  # rows between two progress reports
NUMBER_FORMATS = {
    "int": "#,##0",
    "money": '#,##0 "đ"',
    "score": "0",
    "number": "#,##0.##",
    "date": "dd/mm/yyyy",
    "month": "mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
BOM = "\ufeff"


@dataclass(frozen=True)
class Sheet:
    """One table to write: its spec (keys, kinds, widths), the words the caller
    renders for it (its title, the workbook sheet's name, a header per column),
    the lines of its title block, its rows."""

    table: Table
    title: str
    name: str  # "": the table's key
    headers: tuple[str, ...]
    lines: tuple[str, ...]
    frames: Iterable[pd.DataFrame]

    def __post_init__(self) -> None:
        if len(self.headers) != len(self.table.columns):
            raise ValueError(f"{self.table.key}: one header per column")


def _value(value: CellValue, kind: str) -> object:
    """A cell value as openpyxl and csv want it (None for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind in ("int", "year", "score", "money"):
        return int(value)
    if kind == "number":
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind in ("date", "month"):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return pd.Timestamp(value).date()
    if kind == "datetime":
        return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
    return safe_text(value if type(value) is str else str(value))


def _rows(table: Table, frames: Iterable[pd.DataFrame]) -> Iterator[list[Any]]:
    kinds = [c.kind for c in table.columns]
    keys = table.keys
    count_at = keys.index("count") if "count" in keys else None
    for frame in frames:
        hidden = frame[SUPPRESSED].to_numpy() if SUPPRESSED in frame else None
        columns = [frame[k].to_numpy(dtype=object) for k in keys]
        pairs = list(zip(columns, kinds, strict=True))
        for i in range(len(frame)):
            row = [_value(col[i], kind) for col, kind in pairs]
            if count_at is not None and hidden is not None and hidden[i]:
                row[count_at] = SHOWN
            yield row


# --- csv -------------------------------------------------------------------------


def csv_chunks(
    table: Table, headers: Sequence[str], frames: Iterable[pd.DataFrame]
) -> Iterator[str]:
    """The CSV text in pieces (a streaming response sends each as it comes):
    ``headers`` (one per column of ``table``), then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(header) for header in headers])
    yield BOM + buffer.getvalue()
    pending = 0
    for row in _rows(table, frames):
        if pending == 0:
            buffer.seek(0)
            buffer.truncate()
        writer.writerow(
            [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in row]
        )
        pending += 1
        if pending == 5_000:
            yield buffer.getvalue()
            pending = 0
    if pending:
        yield buffer.getvalue()


# --- xlsx ------------------------------------------------------------------------

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")
RIGHT = Alignment(horizontal="right")


def _text_cell(ws: Worksheet, text: str) -> WriteOnlyCell:
    """``text`` (made safe) in a cell stored as a string, whatever it looks like."""
    cell = WriteOnlyCell(ws, value=safe_text(text))
    cell.data_type = "s"
    return cell


def _plain(ws: Worksheet, value: object) -> object:
    """A value of a row as ``ws.append`` takes it: text that openpyxl would store
    as something else (a quoted formula, an error code such as "#N/A") as a
    string cell; anything else as it is (the common case, and the fast one)."""
    if type(value) is str and (value[:1] == QUOTE or value in ERROR_CODES):
        return _text_cell(ws, value)
    return value


def _safe_sheet_name(name: str, used: set[str]) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()[:31]
    candidate, n = cleaned or "Sheet", 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


class _SheetWriter:
    def __init__(self, book: Workbook, sheet: Sheet, used: set[str]) -> None:
        self.book, self.sheet, self.used = book, sheet, used
        self.part = 0
        self.ws: Worksheet | None = None
        self.rows_left = 0

    def new_part(self) -> Worksheet:
        self.part += 1
        table = self.sheet.table
        name = self.sheet.name or table.key
        if self.part > 1:
            name = f"{name} ({self.part})"
        ws = self.book.create_sheet(_safe_sheet_name(name, self.used))
        for i, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width + 2
        top = len(self.sheet.lines) + 3  # title, lines, blank, header
        ws.freeze_panes = f"A{top + 1}"
        title = _text_cell(ws, self.sheet.title)
        title.font = TITLE_FONT
        ws.append([title])
        for line in self.sheet.lines:
            ws.append([_text_cell(ws, line)])
        ws.append([])
        header = []
        for text in self.sheet.headers:
            cell = _text_cell(ws, text)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            header.append(cell)
        ws.append(header)
        # room for the rows, a blank line and the total line under them
        self.ws, self.rows_left = ws, EXCEL_MAX_ROWS - top - 2
        return ws

    def write(self, done: Callable[[int], None] | None = None) -> int:
        """Write the rows; ``done(n)`` after every ``PROGRESS_EVERY`` rows."""
        table = self.sheet.table
        formats = [NUMBER_FORMATS.get(c.kind) for c in table.columns]
        ws = self.new_part()
        count = 0
        for row in _rows(table, self.sheet.frames):
            if self.rows_left == 0:
                ws = self.new_part()
            cells = []
            for value, fmt in zip(row, formats, strict=True):
                if fmt is None or value is None:
                    cells.append(_plain(ws, value))
                elif isinstance(value, str):  # "<5"
                    cell = WriteOnlyCell(ws, value=value)
                    cell.alignment = RIGHT
                    cells.append(cell)
                else:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt
                    cells.append(cell)
            ws.append(cells)
            self.rows_left -= 1
            count += 1
            if done is not None and count % PROGRESS_EVERY == 0:
                done(count)
        return count


def write_xlsx(
    target: str | os.PathLike[str] | IO[bytes],
    sheets: Iterable[Sheet],
    total_line: Callable[[int], str] = str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``sheets`` to ``target`` (a path or a binary file); rows per table.

    ``total_line(n)`` is written under each table's rows (the count is only
    known once the rows are written); ``progress(rows so far)`` is called as the
    rows are written, for a background job to report."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    counts: dict[str, int] = {}
    before = 0
    for sheet in sheets:
        writer = _SheetWriter(book, sheet, used)
        report = None if progress is None else (lambda n, b=before: progress(b + n))
        n = writer.write(report)
        before += n
        assert writer.ws is not None
        writer.ws.append([])
        writer.ws.append([_text_cell(writer.ws, total_line(n))])
        counts[sheet.table.key] = n
    book.save(target)
    return counts
