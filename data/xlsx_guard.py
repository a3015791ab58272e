"""What an uploaded ``.xlsx`` would cost, checked before openpyxl parses it.

openpyxl builds an object for every cell (and every cell of a merged range) it
reads, whatever the sheet's declared size: a file of a few hundred kilobytes can
hold millions of empty cells, and a zip entry can inflate a thousandfold.  So
``problems(data)`` looks first at the zip directory (parts, declared sizes,
encryption), then streams every XML part through a hardened SAX parser
(defusedxml: no DTD, no entities, no external references) counting what it
finds, and stops at the first limit crossed.  Each problem is a
``data.problems.Problem`` (a code of the message table, ``xlsx_*``) naming the
sheet, the part or the cell; an empty list means openpyxl may read the file.
Memory stays flat: nothing is kept but counters.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from openpyxl.utils.cell import (
    coordinate_from_string,
    get_column_letter,
    range_boundaries,
)
from openpyxl.utils.exceptions import CellCoordinatesException

from data.problems import Problem


@dataclass(frozen=True)
class Limits:
    """What one uploaded workbook may hold (generous for a report template)."""

    unpacked_bytes: int = 10 * 1024 * 1024  # every part, uncompressed
    parts: int = 200  # entries of the zip
    sheets: int = 50
    rows: int = 1_000  # the last row a sheet may use or declare
    columns: int = 100  # the last column (CV)
    cells: int = 50_000  # cells written in the whole workbook
    elements: int = 200_000  # XML elements of any one part


DEFAULT = Limits()
REL = "/relationships"  # the end of the relationship namespaces (both flavours)
OFFICE_DOCUMENT = "/officeDocument"
WORKSHEET = "/worksheet"


class _Stop(SAXException):
    """A limit was crossed: the problem is said, parsing stops."""

    def __init__(self, code: str, /, **values: object) -> None:
        super().__init__(code)
        self.problem = Problem(code, values)


def _mb(size: int) -> float:
    return round(size / 1024 / 1024, 1)


class _Bounded(io.RawIOBase):
    """A zip part's stream that refuses to yield more than ``limit`` bytes (the
    declared size may lie)."""

    def __init__(self, stream: IO[bytes], limit: int, part: str) -> None:
        self.stream, self.left, self.part = stream, limit, part

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(min(len(buffer), 64 * 1024))
        self.left -= len(data)
        if self.left < 0:
            raise _Stop("xlsx_part_larger", part=self.part)
        buffer[: len(data)] = data
        return len(data)


class _Counter(ContentHandler):
    """Counts elements of one part; for a worksheet also its cells, checks its
    declared dimension, every cell and row reference, and merged ranges."""

    def __init__(
        self, limits: Limits, part: str, sheet: str | None, budget: list[int]
    ) -> None:
        super().__init__()
        self.limits, self.part, self.sheet = limits, part, sheet
        self.budget = budget  # [cells left in the workbook], shared by sheets
        self.elements = 0
        self.in_data = False
        self.row = self.col = 0  # rows and cells without r count on from the last
        self.rels: dict[str, tuple[str, str]] = {}  # id -> (type, target)
        self.sheets: list[tuple[str, str | None]] = []  # (name, relationship id)

    # the sheet named in a problem ------------------------------------------------
    def _where(self) -> Problem:
        if self.sheet:
            return Problem("xlsx_where_sheet", {"sheet": self.sheet})
        return Problem("xlsx_where_part", {"part": self.part})

    def _outside(self, rows: int, columns: int) -> bool:
        return rows > self.limits.rows or columns > self.limits.columns

    def _bounds(self) -> Problem:
        last = get_column_letter(self.limits.columns)
        rows, columns = self.limits.rows, self.limits.columns
        return Problem("xlsx_bounds", {"rows": rows, "columns": columns, "last": last})

    def startElementNS(  # noqa: N802
        self, name: tuple[str | None, str], qname: str | None, attrs: Any
    ) -> None:
        uri, local = name
        self.elements += 1
        if self.elements > self.limits.elements:
            raise _Stop(
                "xlsx_elements", where=self._where(), limit=self.limits.elements
            )
        if local == "Relationship" and uri and uri.endswith(REL):
            self.rels[attrs.get((None, "Id"), "")] = (
                attrs.get((None, "Type"), ""),
                attrs.get((None, "Target"), ""),
            )
        elif local == "sheet" and self.sheet is None:
            rel = next(
                (v for (ns, key), v in attrs.items() if key == "id" and ns), None
            )
            self.sheets.append((attrs.get((None, "name"), "?"), rel))
        elif local == "si":  # a shared string: openpyxl keeps every one
            self._spend(1)
        if self.sheet is None:
            return
        if local == "dimension":
            self._dimension(attrs.get((None, "ref"), ""))
        elif local == "sheetData":
            self.in_data = True
        elif local == "mergeCell":
            self._merged(attrs.get((None, "ref"), ""))
        elif self.in_data and local == "row":
            self._row(attrs.get((None, "r")))
        elif self.in_data and local == "c":
            self._cell(attrs.get((None, "r")))

    def endElementNS(  # noqa: N802
        self, name: tuple[str | None, str], qname: str | None
    ) -> None:
        if name[1] == "sheetData":
            self.in_data = False

    def _dimension(self, ref: str) -> None:
        try:
            low_col, low_row, col, row = range_boundaries(ref.upper())
        except (ValueError, TypeError, CellCoordinatesException):
            raise _Stop(  # noqa: B904 - the problem is the message
                "xlsx_dimension_invalid", where=self._where(), ref=ref[:40]
            )
        col, row = col or low_col or 1, row or low_row or 1
        if self._outside(row, col):
            raise _Stop(
                "xlsx_dimension_outside",
                where=self._where(),
                ref=ref[:40],
                rows=row,
                columns=col,
                bounds=self._bounds(),
            )

    def _merged(self, ref: str) -> None:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.upper())
        except (ValueError, TypeError, CellCoordinatesException):
            raise _Stop(  # noqa: B904
                "xlsx_merged_invalid", where=self._where(), ref=ref[:40]
            )
        if None in (min_col, min_row, max_col, max_row) or self._outside(
            max_row, max_col
        ):
            raise _Stop(
                "xlsx_merged_outside",
                where=self._where(),
                ref=ref[:40],
                bounds=self._bounds(),
            )
        self._spend((max_row - min_row + 1) * (max_col - min_col + 1))

    def _row(self, ref: str | None) -> None:
        self.col = 0
        if ref is None:
            self.row += 1
        elif not ref.isdigit():
            raise _Stop("xlsx_row_invalid", where=self._where(), ref=ref[:20])
        else:
            self.row = int(ref)
        if self.row > self.limits.rows:
            raise _Stop(
                "xlsx_row_outside",
                where=self._where(),
                row=self.row,
                bounds=self._bounds(),
            )

    def _cell(self, ref: str | None) -> None:
        self._spend(1)
        if ref is None:  # its place follows the previous cell's
            row, self.col = self.row, self.col + 1
        else:
            try:
                letters, row = coordinate_from_string(ref.upper())
                self.col = range_boundaries(f"{letters}1")[0] or 1
            except (ValueError, TypeError, CellCoordinatesException):
                raise _Stop(  # noqa: B904
                    "xlsx_cell_invalid", where=self._where(), ref=ref[:20]
                )
        if self._outside(row, self.col):
            shown = ref[:20] if ref else f"{get_column_letter(self.col)}{row}"
            raise _Stop(
                "xlsx_cell_outside",
                where=self._where(),
                cell=shown,
                bounds=self._bounds(),
            )

    def _spend(self, cells: int) -> None:
        self.budget[0] -= cells
        if self.budget[0] < 0:
            raise _Stop("xlsx_cells", where=self._where(), limit=self.limits.cells)


def _parse(
    book: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: Limits,
    sheet: str | None = None,
    budget: list[int] | None = None,
) -> _Counter:
    """Stream one part through the hardened parser; _Stop on any problem."""
    part = info.filename
    handler = _Counter(limits, part, sheet, budget if budget is not None else [0])
    parser = DefusedExpatParser(forbid_dtd=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    where = (
        Problem("xlsx_in_sheet", {"sheet": sheet, "part": part})
        if sheet
        else Problem("xlsx_in_part", {"part": part})
    )
    try:
        with book.open(info) as raw:
            parser.parse(io.BufferedReader(_Bounded(raw, info.file_size, part)))
    except _Stop:
        raise
    except SAXParseException as exc:
        raise _Stop(
            "xlsx_xml_broken",
            where=where,
            line=exc.getLineNumber(),
            column=exc.getColumnNumber(),
        ) from exc
    except DefusedXmlException as exc:
        raise _Stop("xlsx_xml_entities", where=where) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, SAXException) as exc:
        raise _Stop("xlsx_unpack", where=where) from exc
    return handler


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a path inside the zip."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _check(data: bytes | Path, limits: Limits) -> None:
    try:
        book = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        infos = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _Stop("xlsx_not_zip") from exc
    if len(infos) > limits.parts:
        raise _Stop("xlsx_parts", parts=len(infos), limit=limits.parts)
    if any(info.flag_bits & 0x1 for info in infos):
        raise _Stop("xlsx_encrypted")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_bytes:
        raise _Stop(
            "xlsx_unpacked",
            size=_mb(unpacked),
            limit=_mb(limits.unpacked_bytes),
        )
    parts = {info.filename: info for info in infos}
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in parts:
        package = _parse(book, parts["_rels/.rels"], limits).rels
        workbook = next(
            (
                _resolve("", target)
                for kind, target in package.values()
                if kind.endswith(OFFICE_DOCUMENT)
            ),
            workbook,
        )
    if workbook not in parts:
        raise _Stop("xlsx_no_workbook", part=workbook[:60])
    sheets = _parse(book, parts[workbook], limits).sheets
    if len(sheets) > limits.sheets:
        raise _Stop("xlsx_sheets", sheets=len(sheets), limit=limits.sheets)
    rels_part = _rels_of(workbook)
    rels = _parse(book, parts[rels_part], limits).rels if rels_part in parts else {}
    budget = [limits.cells]
    checked = {"_rels/.rels", workbook, rels_part}
    for name, rel in sheets:
        kind, target = rels.get(rel or "", ("", ""))
        path = _resolve(workbook, target) if target else ""
        if path not in parts:
            shown = path or "?"
            raise _Stop("xlsx_no_sheet", sheet=name[:40], part=shown[:60])
        is_sheet = kind.endswith(WORKSHEET)
        _parse(book, parts[path], limits, name[:40] if is_sheet else None, budget)
        checked.add(path)
    for info in infos:  # the rest: shared strings, styles, drawings...
        if info.filename not in checked and info.filename.endswith((".xml", ".rels")):
            _parse(book, info, limits, budget=budget)


def problems(data: bytes | Path, limits: Limits = DEFAULT) -> list[Problem]:
    """What is wrong with ``data`` (the bytes of a workbook, or its file) as a
    workbook to read (empty: nothing)."""
    try:
        _check(data, limits)
    except _Stop as stop:
        return [stop.problem]
    return []
