"""Reading an uploaded file of facts row by row: a workbook (openpyxl read-only,
after ``data.xlsx_guard`` has checked what parsing it costs) or a CSV file
(UTF-8, comma or semicolon), never the whole file at once.

``open_rows`` checks the file and its header row; a problem there (a header
that would carry personal data, an unknown or missing column, a broken file)
refuses the whole file and no row is read.  Otherwise it yields each non-blank
row: its number (as a spreadsheet shows it), its raw values by column key, and
the columns holding a value under no header.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from data import xlsx_guard
from data.cells import FORMULA_STARTS, QUOTE
from data.fact_import.spec import (
    MAX_BYTES,
    MAX_ROWS,
    Kind,
    fold,
    header_keys,
    personal,
)
from data.problems import Problem

log = logging.getLogger(__name__)
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# what one workbook of facts may hold (generous: a year of a province's cases)
LIMITS = xlsx_guard.Limits(
    unpacked_bytes=150 * 1024 * 1024,
    rows=MAX_ROWS + 1,
    columns=60,
    cells=1_500_000,
    elements=4_000_000,
)


@dataclass(frozen=True)
class Layout:
    """Where the values are: the sheet (None for CSV), column -> key, and the
    header written above each column."""

    sheet: str | None
    keys: dict[int, str]
    headers: dict[int, str] = field(default_factory=dict)

    def where(self, row: int, col: int) -> Problem:
        """The cell (``row``, ``col``; 1-based) in a problem."""
        values = {
            "row": row,
            "column": get_column_letter(col),
            "header": self.headers.get(col, ""),
        }
        if self.sheet is None:
            return Problem("fact_where_csv", values)
        return Problem("fact_where", {"sheet": self.sheet, **values})

    def col(self, key: str) -> int:
        return next(c for c, k in self.keys.items() if k == key)


@dataclass(frozen=True)
class RawRow:
    number: int
    values: dict[str, object]  # key -> the cell's value (None when empty)
    stray: tuple[int, ...] = ()  # columns with a value but no header


def _unguarded(value: object) -> object:
    """``value`` without the quote a writer put before text a spreadsheet would
    take for a formula (``data.cells.safe_text``: "'=" is "=")."""
    if (
        isinstance(value, str)
        and value.startswith(QUOTE)
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _layout(
    kind: Kind, cells: Sequence[object], sheet: str | None, problems: list[Problem]
) -> Layout | None:
    """The columns of the header row ``cells``; None (and problems) when the
    file cannot be taken."""
    known = header_keys(kind)
    keys: dict[int, str] = {}
    headers: dict[int, str] = {}
    found: list[Problem] = []
    where = Layout(sheet, {}, headers)
    for col, cell in enumerate(cells, start=1):
        if _blank(cell):
            continue
        text = str(cell).strip()[:80]
        headers[col] = text
        key = known.get(fold(text))
        if key is not None and key in keys.values():
            first = get_column_letter(Layout(sheet, keys).col(key))
            found.append(
                Problem(
                    "fact_header_twice", {"where": where.where(1, col), "first": first}
                )
            )
        elif key is not None:
            keys[col] = key
        elif (what := personal(text)) is not None:
            found.append(
                Problem(
                    "fact_header_personal",
                    {
                        "where": where.where(1, col),
                        "what": Problem(f"fact_personal_{what}"),
                    },
                )
            )
        else:
            found.append(Problem("fact_header_unknown", {"where": where.where(1, col)}))
    if not headers:
        found.append(Problem("fact_no_header"))
    else:
        for column in kind.columns:
            if column.required and column.key not in keys.values():
                found.append(Problem("fact_header_missing", {"header": column.header}))
    problems.extend(found)
    return None if found else Layout(sheet, keys, headers)


def _rows(
    layout: Layout, lines: Iterator[Sequence[object]], problems: list[Problem]
) -> Iterator[RawRow]:
    """The non-blank rows after the header (row 1)."""
    seen = 0
    for number, cells in enumerate(lines, start=2):
        if all(_blank(c) for c in cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            problems.append(Problem("fact_too_many_rows", {"limit": MAX_ROWS}))
            return
        values: dict[str, object] = {key: None for key in layout.keys.values()}
        stray: list[int] = []
        for col, cell in enumerate(cells, start=1):
            key = layout.keys.get(col)
            if key is not None:
                values[key] = None if _blank(cell) else _unguarded(cell)
            elif not _blank(cell):
                stray.append(col)
        yield RawRow(number, values, tuple(stray))


def _xlsx(
    data: bytes, kind: Kind, problems: list[Problem]
) -> tuple[Layout, Iterator[RawRow]] | None:
    found = xlsx_guard.problems(data, LIMITS)
    if found:
        problems.extend(found)
        return None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl trips on, the file is bad
        log.info("workbook of facts refused by openpyxl", exc_info=True)
        problems.append(Problem("form_file_unreadable"))
        return None
    names, sheet = book.sheetnames, kind.sheet
    name = sheet if sheet in names else names[0] if len(names) == 1 else None
    if name is None:
        problems.append(Problem("fact_no_sheet", {"sheet": sheet}))
        return None
    ws = book[name]
    if not hasattr(ws, "reset_dimensions"):  # a chart sheet
        problems.append(Problem("fact_no_sheet", {"sheet": sheet}))
        return None
    ws.reset_dimensions()  # read every row written, whatever the file declares
    lines = ws.iter_rows(values_only=True)
    layout = _layout(kind, next(lines, ()), name, problems)
    if layout is None:
        book.close()
        return None
    return layout, _closing(book, _rows(layout, lines, problems))


def _closing(book: Workbook, rows: Iterator[RawRow]) -> Iterator[RawRow]:
    """``rows``, then the read-only workbook closed."""
    try:
        yield from rows
    finally:
        book.close()


def _csv_lines(
    text: io.TextIOWrapper, first: str, problems: list[Problem]
) -> Iterator[list[str]]:
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(itertools.chain([first], text), delimiter=delimiter)
    except UnicodeDecodeError:
        problems.append(Problem("fact_csv_encoding"))
    except csv.Error as exc:
        problems.append(Problem("fact_csv_broken", {"reason": str(exc)[:80]}))


def _csv(
    data: bytes, kind: Kind, problems: list[Problem]
) -> tuple[Layout, Iterator[RawRow]] | None:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        problems.append(Problem("fact_csv_encoding"))
        return None
    lines = _csv_lines(text, first, problems)
    layout = _layout(kind, next(lines, []), None, problems)
    if layout is None:
        return None
    return layout, _rows(layout, lines, problems)


def open_rows(
    data: bytes, file_name: str, kind: Kind, problems: list[Problem]
) -> tuple[Layout, Iterator[RawRow]] | None:
    """The layout and the rows of an uploaded file of ``kind``; None when the
    file itself is refused (its problems appended to ``problems``).  Problems
    met while the rows are read (a broken line, too many rows) are appended as
    the iteration meets them."""
    if not data:
        problems.append(Problem("form_file_empty"))
        return None
    if len(data) > MAX_BYTES:
        size, limit = (round(n / 1024 / 1024, 1) for n in (len(data), MAX_BYTES))
        problems.append(Problem("fact_file_too_large", {"size": size, "limit": limit}))
        return None
    if data.startswith(OLE):
        problems.append(Problem("form_file_ole"))
        return None
    if data.startswith(ZIP):
        return _xlsx(data, kind, problems)
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        problems.append(Problem("form_file_unreadable"))
        return None
    return _csv(data, kind, problems)
