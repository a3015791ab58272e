"""Reading an uploaded file of facts row by row: a workbook (openpyxl read-only,
after ``data.xlsx_guard`` has checked what parsing it costs) or a CSV file
(UTF-8, comma or semicolon), never the whole file at once.  The file is the
bytes of an upload (``PAGE`` limits) or a file on disk (``Source``: read as it
is streamed, up to ``LARGE`` limits for a background job or the command line).

``open_rows`` checks the file and its header row; a problem there (a header
that would carry personal data, an unknown or missing column, a broken file)
refuses the whole file and no row is read.  Otherwise it yields each non-blank
row: its number (as a spreadsheet shows it), its raw values by column key, and
the columns holding a value under no header.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from data import xlsx_guard
from data.cells import FORMULA_STARTS, QUOTE
from data.fact_import.spec import (
    PAGE,
    FileLimits,
    Kind,
    fold,
    header_keys,
    personal,
)
from data.problems import Problem

log = logging.getLogger(__name__)
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
READ_SIZE = 1024 * 1024  # bytes read at once from a file on disk


def workbook_limits(limits: FileLimits) -> xlsx_guard.Limits:
    """What one workbook of facts may hold: ``limits.rows`` rows of up to 30
    values (150 MB unpacked for the page's 50,000 rows, as much per row for a
    large file)."""
    per_row = 3_000  # unpacked bytes a row of about 20 filled cells takes
    return xlsx_guard.Limits(
        unpacked_bytes=max(150 * 1024 * 1024, limits.rows * per_row),
        rows=limits.rows + 1,
        columns=60,
        cells=limits.rows * 30,
        elements=limits.rows * 80,
    )


@dataclass(frozen=True)
class Source:
    """A file of facts on disk (a large upload kept by a background job, a file
    named on the command line): read in pieces, never whole."""

    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def head(self, n: int) -> bytes:
        with self.path.open("rb") as f:
            return f.read(n)

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as f:
            while piece := f.read(READ_SIZE):
                digest.update(piece)
        return digest.hexdigest()

    def open(self) -> IO[bytes]:
        return self.path.open("rb")


Data = bytes | Source  # an uploaded file's bytes, or a file on disk


def sha256_of(data: Data) -> str:
    if isinstance(data, Source):
        return data.sha256()
    return hashlib.sha256(data).hexdigest()


def _size(data: Data) -> int:
    return data.size if isinstance(data, Source) else len(data)


def _head(data: Data, n: int) -> bytes:
    return data.head(n) if isinstance(data, Source) else data[:n]


def _binary(data: Data) -> IO[bytes]:
    return data.open() if isinstance(data, Source) else io.BytesIO(data)


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
    layout: Layout,
    lines: Iterator[Sequence[object]],
    problems: list[Problem],
    limit: int,
) -> Iterator[RawRow]:
    """The non-blank rows after the header (row 1), at most ``limit``."""
    seen = 0
    for number, cells in enumerate(lines, start=2):
        if all(_blank(c) for c in cells):
            continue
        seen += 1
        if seen > limit:
            problems.append(Problem("fact_too_many_rows", {"limit": limit}))
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
    data: Data, kind: Kind, problems: list[Problem], limits: FileLimits
) -> tuple[Layout, Iterator[RawRow]] | None:
    guarded = data.path if isinstance(data, Source) else data
    found = xlsx_guard.problems(guarded, workbook_limits(limits))
    if found:
        problems.extend(found)
        return None
    try:
        book = load_workbook(
            data.path if isinstance(data, Source) else io.BytesIO(data),
            read_only=True,
            data_only=True,
        )
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
    return layout, _closing(book, _rows(layout, lines, problems, limits.rows))


def _closing(book: Workbook | IO[bytes], rows: Iterator[RawRow]) -> Iterator[RawRow]:
    """``rows``, then the read-only workbook (or the file) closed."""
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
    data: Data, kind: Kind, problems: list[Problem], limits: FileLimits
) -> tuple[Layout, Iterator[RawRow]] | None:
    binary = _binary(data)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        problems.append(Problem("fact_csv_encoding"))
        text.close()
        return None
    lines = _csv_lines(text, first, problems)
    layout = _layout(kind, next(lines, []), None, problems)
    if layout is None:
        text.close()
        return None
    return layout, _closing(text, _rows(layout, lines, problems, limits.rows))


def open_rows(
    data: Data,
    file_name: str,
    kind: Kind,
    problems: list[Problem],
    limits: FileLimits = PAGE,
) -> tuple[Layout, Iterator[RawRow]] | None:
    """The layout and the rows of a file of ``kind`` (an upload's bytes or a
    ``Source`` on disk); None when the file itself is refused (its problems
    appended to ``problems``).  Problems met while the rows are read (a broken
    line, too many rows) are appended as the iteration meets them."""
    size = _size(data)
    if not size:
        problems.append(Problem("form_file_empty"))
        return None
    if size > limits.size:
        mb = {"size": size, "limit": limits.size}
        problems.append(
            Problem(
                "fact_file_too_large",
                {k: round(n / 1024 / 1024, 1) for k, n in mb.items()},
            )
        )
        return None
    head = _head(data, len(OLE))
    if head.startswith(OLE):
        problems.append(Problem("form_file_ole"))
        return None
    if head.startswith(ZIP):
        return _xlsx(data, kind, problems, limits)
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        problems.append(Problem("form_file_unreadable"))
        return None
    return _csv(data, kind, problems, limits)
