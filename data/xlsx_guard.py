"""What an uploaded ``.xlsx`` would cost, checked before openpyxl parses it.

openpyxl builds an object for every cell (and every cell of a merged range) it
reads, whatever the sheet's declared size: a file of a few hundred kilobytes can
hold millions of empty cells, and a zip entry can inflate a thousandfold.  So
``problems(data)`` looks first at the zip directory (parts, declared sizes,
encryption), then streams every XML part through a hardened SAX parser
(defusedxml: no DTD, no entities, no external references) counting what it
finds, and stops at the first limit crossed.  Each problem is one Vietnamese
sentence naming the sheet, the part or the cell; an empty list means openpyxl
may read the file.  Memory stays flat: nothing is kept but counters.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO
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

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _vi(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


class _Bounded(io.RawIOBase):
    """A zip part's stream that refuses to yield more than ``limit`` bytes (the
    declared size may lie)."""

    def __init__(self, stream: IO[bytes], limit: int, part: str) -> None:
        self.stream, self.left, self.part = stream, limit, part

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.stream.read(min(len(buffer), 64 * 1024))
        self.left -= len(data)
        if self.left < 0:
            raise _Stop(
                f"Tệp bị hỏng: phần {self.part} lớn hơn kích thước khai báo "
                "trong tệp nén."
            )
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
    def _where(self) -> str:
        return f"Trang '{self.sheet}'" if self.sheet else f"Phần {self.part}"

    def _outside(self, rows: int, columns: int) -> bool:
        return rows > self.limits.rows or columns > self.limits.columns

    def _bounds(self) -> str:
        last = get_column_letter(self.limits.columns)
        return (
            f"{_vi(self.limits.rows)} dòng × {self.limits.columns} cột "
            f"(đến ô {last}{self.limits.rows})"
        )

    def startElementNS(self, name, qname, attrs) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        uri, local = name
        self.elements += 1
        if self.elements > self.limits.elements:
            raise _Stop(
                f"{self._where()} có hơn {_vi(self.limits.elements)} phần tử XML: "
                "quá lớn cho biểu mẫu này (tệp có thể đã bị làm phình to); hãy "
                "dùng biểu mẫu đã tải về."
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

    def endElementNS(self, name, qname) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if name[1] == "sheetData":
            self.in_data = False

    def _dimension(self, ref: str) -> None:
        try:
            low_col, low_row, col, row = range_boundaries(ref.upper())
        except (ValueError, TypeError, CellCoordinatesException):
            raise _Stop(  # noqa: B904 - the problem is the message
                f"{self._where()}: vùng dữ liệu khai báo '{ref[:40]}' không hợp lệ "
                "(tệp bị hỏng)."
            )
        col, row = col or low_col or 1, row or low_row or 1
        if self._outside(row, col):
            raise _Stop(
                f"{self._where()} khai báo vùng dữ liệu {ref[:40]} "
                f"({_vi(row)} dòng × {_vi(col)} cột), vượt giới hạn "
                f"{self._bounds()} của biểu mẫu: hãy xóa các dòng, cột thừa "
                "hoặc dùng biểu mẫu đã tải về."
            )

    def _merged(self, ref: str) -> None:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.upper())
        except (ValueError, TypeError, CellCoordinatesException):
            raise _Stop(  # noqa: B904
                f"{self._where()}: vùng gộp ô '{ref[:40]}' không hợp lệ (tệp bị hỏng)."
            )
        if None in (min_col, min_row, max_col, max_row) or self._outside(
            max_row, max_col
        ):
            raise _Stop(
                f"{self._where()}: vùng gộp ô {ref[:40]} vượt giới hạn "
                f"{self._bounds()} của biểu mẫu."
            )
        self._spend((max_row - min_row + 1) * (max_col - min_col + 1))

    def _row(self, ref: str | None) -> None:
        self.col = 0
        if ref is None:
            self.row += 1
        elif not ref.isdigit():
            raise _Stop(f"{self._where()}: số dòng '{ref[:20]}' không hợp lệ.")
        else:
            self.row = int(ref)
        if self.row > self.limits.rows:
            raise _Stop(
                f"{self._where()}, dòng {_vi(self.row)}: nằm ngoài giới hạn "
                f"{self._bounds()} của biểu mẫu: hãy xóa các dòng thừa."
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
                    f"{self._where()}: địa chỉ ô '{ref[:20]}' không hợp lệ."
                )
        if self._outside(row, self.col):
            shown = ref[:20] if ref else f"{get_column_letter(self.col)}{row}"
            raise _Stop(
                f"{self._where()}, ô {shown}: nằm ngoài giới hạn "
                f"{self._bounds()} của biểu mẫu: hãy xóa các dòng, cột thừa."
            )

    def _spend(self, cells: int) -> None:
        self.budget[0] -= cells
        if self.budget[0] < 0:
            raise _Stop(
                f"{self._where()}: tệp có hơn {_vi(self.limits.cells)} ô: quá nhiều "
                "cho biểu mẫu này (có thể là hàng triệu ô trống được thêm vào); "
                "hãy dùng biểu mẫu đã tải về."
            )


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
    where = f"trang '{sheet}' (phần {part})" if sheet else f"phần {part}"
    try:
        with book.open(info) as raw:
            parser.parse(io.BufferedReader(_Bounded(raw, info.file_size, part)))
    except _Stop:
        raise
    except SAXParseException as exc:
        raise _Stop(
            f"Tệp bị hỏng: {where} có nội dung XML lỗi ở dòng {exc.getLineNumber()}, "
            f"cột {exc.getColumnNumber()}; hãy mở tệp bằng Excel, lưu lại rồi gửi "
            "lại, hoặc dùng biểu mẫu đã tải về."
        ) from exc
    except DefusedXmlException as exc:
        raise _Stop(
            f"Tệp bị từ chối: {where} có khai báo DTD hoặc thực thể XML, điều tệp "
            "Excel không dùng đến."
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, SAXException) as exc:
        raise _Stop(
            f"Tệp bị hỏng: không giải nén được {where} (dữ liệu nén sai)."
        ) from exc
    return handler


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a path inside the zip."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _check(data: bytes, limits: Limits) -> None:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _Stop(
            "Tệp không phải tệp Excel (.xlsx) hoặc đã bị hỏng: không mở được như "
            "một tệp .xlsx. Hãy lưu lại dưới dạng .xlsx từ biểu mẫu đã tải về."
        ) from exc
    if len(infos) > limits.parts:
        raise _Stop(
            f"Tệp có {_vi(len(infos))} phần bên trong (tối đa {limits.parts}): "
            "không phải biểu mẫu báo cáo."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise _Stop(
            "Tệp có phần bị mã hóa (đặt mật khẩu): hãy bỏ mật khẩu rồi gửi lại."
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_bytes:
        raise _Stop(
            f"Tệp khi giải nén quá lớn ({_mb(unpacked)} MB, tối đa "
            f"{_mb(limits.unpacked_bytes)} MB): có thể là tệp “bom nén”; hãy dùng "
            "biểu mẫu đã tải về."
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
        raise _Stop(
            f"Tệp .xlsx bị hỏng: thiếu phần {workbook[:60]} (danh sách các trang)."
        )
    sheets = _parse(book, parts[workbook], limits).sheets
    if len(sheets) > limits.sheets:
        raise _Stop(f"Tệp có {len(sheets)} trang (tối đa {limits.sheets}).")
    rels_part = _rels_of(workbook)
    rels = _parse(book, parts[rels_part], limits).rels if rels_part in parts else {}
    budget = [limits.cells]
    checked = {"_rels/.rels", workbook, rels_part}
    for name, rel in sheets:
        kind, target = rels.get(rel or "", ("", ""))
        path = _resolve(workbook, target) if target else ""
        if path not in parts:
            shown = path or "?"
            raise _Stop(
                f"Tệp bị hỏng: thiếu nội dung của trang '{name[:40]}' "
                f"(phần {shown[:60]})."
            )
        is_sheet = kind.endswith(WORKSHEET)
        _parse(book, parts[path], limits, name[:40] if is_sheet else None, budget)
        checked.add(path)
    for info in infos:  # the rest: shared strings, styles, drawings...
        if info.filename not in checked and info.filename.endswith((".xml", ".rels")):
            _parse(book, info, limits, budget=budget)


def problems(data: bytes, limits: Limits = DEFAULT) -> list[str]:
    """What is wrong with ``data`` as a workbook to read (empty: nothing)."""
    try:
        _check(data, limits)
    except _Stop as stop:
        return [stop.problem]
    return []
