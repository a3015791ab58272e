"""The report template (biểu mẫu) a unit fills in, and the checks of a filled one.

``template(form)`` writes the workbook for one unit, report and period, with the
unit and period filled in (and locked in the "Thông tin" sheet), every figure
cell at 0 and every total a formula (``=SUM(...)`` of its parts), so Excel adds
up.  ``read`` recomputes each total itself: a total that is a formula is taken as
the sum of its parts (a workbook written by a program has no value cached in it,
one saved by Excel has; neither is trusted), a typed total must equal the sum.
``read(data, form)`` reads a filled workbook back and returns its
figures, or raises ``FormError`` listing every problem (``data.problems``: a code
of the message table, ``form_*`` or ``xlsx_*``, with sheet, row and column):
another report's template, renamed or deleted headers, text or negative or
fractional numbers, empty cells, totals that differ from their parts,
another unit or period, a corrupt, password-protected, empty or too large file.
Before openpyxl parses anything, ``data.xlsx_guard`` checks what parsing it would
cost (zip bombs, millions of empty cells, absurd dimensions, broken XML).

Sheets: "Thông tin" (the form's identity), "Trẻ em HCĐB" (the 14 groups of
children in special circumstances and their total), "Vụ việc" (cases by type, sex
and age band, with row totals), "Quỹ" (fund mobilised by kind, in đồng, and the
total), "Hoạt động" (activities held and children taking part; staff trained).
The template's own texts (sheet names, titles, headers, row labels) are part of the
document's format, read back by ``read``: they stay here, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data import legal_acts, xlsx_guard
from data.cells import safe_text
from data.problems import Problem
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    ACTIVITY_TERMS,
    AGE_BAND_TERMS,
    FUND_KIND_TERMS,
    INJURY_TYPE_TERMS,
    REPORT_TYPE_TERMS,
    SEX_TERMS,
    SPECIAL_GROUP_TERMS,
    names,
)

log = logging.getLogger(__name__)
FORM_ID = "BVCSTE-BC-1"  # changes when the layout changes: old templates are refused
MAX_BYTES = 5 * 1024 * 1024
MAX_COUNT = 10_000_000
MAX_DONG = 10**13
INFO, GROUPS, CASES, FUND, ACTIVITIES = (
    "Thông tin",
    "Trẻ em HCĐB",
    "Vụ việc",
    "Quỹ",
    "Hoạt động",
)
SHEETS = (INFO, GROUPS, CASES, FUND, ACTIVITIES)
HEADER_ROW = 3  # every figure sheet: title in row 1, headers in row 3
INFO_ROWS = (
    ("form", "Mã biểu mẫu"),
    ("unit", "Mã đơn vị"),
    ("unit_name", "Tên đơn vị"),
    ("report", "Loại báo cáo"),
    ("start", "Kỳ báo cáo từ ngày"),
    ("end", "Kỳ báo cáo đến ngày"),
)
CASE_PARTS = [
    (sex.code, age.code, f"{sex.vi} {age.vi}")
    for sex in SEX_TERMS
    for age in AGE_BAND_TERMS
]
BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Form:
    """Whose report, which report, which period."""

    unit_code: str
    unit_name: str
    report_type: str
    start: dt.date
    end: dt.date


@dataclass
class Figures:
    groups: dict[str, int] = field(default_factory=dict)
    cases: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    fund: dict[str, int] = field(default_factory=dict)
    activities: dict[str, tuple[int, int]] = field(default_factory=dict)
    staff_trained: int = 0


class FormError(ValueError):
    """Every problem of an uploaded report (``issues``: codes and values;
    ``problems``: their Vietnamese texts); nothing is stored."""

    def __init__(self, issues: list[Problem]) -> None:
        self.issues = list(issues)
        self.problems = [str(issue) for issue in self.issues]
        super().__init__("\n".join(self.problems))

    def messages(self, lang: str = "vi") -> list[str]:
        """Every problem in words, in ``lang``."""
        return [issue.text(lang) for issue in self.issues]


def _case_rows() -> list[tuple[str, str, str]]:
    """(category, type code, label) of the rows of the cases sheet."""
    return [("abuse", t.code, f"Xâm hại: {t.vi}") for t in ABUSE_TYPE_TERMS] + [
        ("injury", t.code, f"Tai nạn thương tích: {t.vi}") for t in INJURY_TYPE_TERMS
    ]


# the layout of each figure sheet: headers, then (key, label) rows; the last
# column of a row (or the last row) is the total where there is one
LAYOUT = {
    GROUPS: (
        ["Mã", "Nhóm trẻ em có hoàn cảnh đặc biệt", "Số trẻ em"],
        [(t.code, t.vi) for t in SPECIAL_GROUP_TERMS] + [("TOTAL", "Tổng số")],
    ),
    CASES: (
        ["Mã", "Loại vụ việc", *[label for _s, _a, label in CASE_PARTS], "Tổng"],
        [(code, label) for _c, code, label in _case_rows()],
    ),
    FUND: (
        ["Mã", "Hình thức", "Số tiền (đồng)"],
        [(t.code, t.vi) for t in FUND_KIND_TERMS] + [("TOTAL", "Tổng cộng")],
    ),
    ACTIVITIES: (
        ["Mã", "Hoạt động", "Số hoạt động", "Số trẻ em tham gia"],
        [(t.code, t.vi) for t in ACTIVITY_TERMS]
        + [("STAFF_TRAINED", "Cán bộ được tập huấn (người)")],
    ),
}
TITLES = {
    GROUPS: "Trẻ em có hoàn cảnh đặc biệt theo 14 nhóm "
    f"(Điều 10 {legal_acts.CHILDREN_LAW.vi})",
    CASES: "Vụ việc xâm hại và tai nạn thương tích theo giới tính và nhóm tuổi",
    FUND: "Vận động Quỹ Bảo trợ trẻ em theo hình thức",
    ACTIVITIES: "Hoạt động đã tổ chức và cán bộ được tập huấn",
}


def _identity(form: Form) -> dict[str, object]:
    report = names(REPORT_TYPE_TERMS, "vi").get(form.report_type, form.report_type)
    return {
        "form": FORM_ID,
        "unit": form.unit_code,
        "unit_name": form.unit_name,
        "report": f"{form.report_type} – {report}",
        "start": form.start,
        "end": form.end,
    }


def _put(ws: Worksheet, row: int, col: int, value: object) -> Any:
    """Write ``value`` into a cell; text is made safe (``data.cells``: a unit
    named "=..." never becomes a formula) and stored as a string."""
    cell = ws.cell(row, col, safe_text(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def total_formula(sheet: str, row: int, col: int) -> str | None:
    """The formula of the cell (``sheet``, ``row``, ``col``) when it is a total
    (the groups' and the fund's last row, each case row's last column)."""
    headers, rows = LAYOUT.get(sheet, ((), ()))
    first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
    letter = get_column_letter(col)
    if sheet in (GROUPS, FUND) and row == last and col == 3:
        return f"=SUM({letter}{first}:{letter}{last - 1})"
    if sheet == CASES and first <= row <= last and col == len(headers):
        return f"=SUM(C{row}:{get_column_letter(col - 1)}{row})"
    return None


def template(form: Form) -> bytes:
    """The workbook to fill in for ``form`` (figures at 0)."""
    book = Workbook()
    info = book.active
    info.title = INFO
    title = _put(info, 1, 1, "BIỂU MẪU BÁO CÁO CÔNG TÁC BẢO VỆ, CHĂM SÓC TRẺ EM")
    title.font = Font(bold=True, size=13)
    for row, ((_key, label), value) in enumerate(
        zip(INFO_ROWS, _identity(form).values(), strict=True), start=HEADER_ROW
    ):
        _put(info, row, 1, label).font = BOLD
        cell = _put(info, row, 2, value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 24, 48
    info.protection.sheet = True  # the identity is not edited by hand
    for sheet in SHEETS[1:]:
        ws = book.create_sheet(sheet)
        headers, rows = LAYOUT[sheet]
        _put(ws, 1, 1, TITLES[sheet]).font = Font(bold=True, size=12)
        for col, text in enumerate(headers, start=1):
            cell = _put(ws, HEADER_ROW, col, text)
            cell.font, cell.fill = BOLD, HEAD
            ws.column_dimensions[get_column_letter(col)].width = 14
        ws.column_dimensions["B"].width = 60
        for row, (code, label) in enumerate(rows, start=HEADER_ROW + 1):
            _put(ws, row, 1, code)
            _put(ws, row, 2, label)
            for col in range(3, len(headers) + 1):
                formula = total_formula(sheet, row, col)
                cell = ws.cell(row, col, 0 if formula is None else formula)
                cell.number_format = "#,##0"
                if formula is None:
                    cell.protection = Protection(locked=False)
                else:
                    cell.font, cell.fill = BOLD, TOTAL_FILL
        ws.freeze_panes = f"C{HEADER_ROW + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _where(sheet: str, row: int, col: int) -> Problem:
    letter = get_column_letter(col)
    return Problem("form_where", {"sheet": sheet, "row": row, "column": letter})


def _problem(code: str, where: Problem, /, **values: object) -> Problem:
    return Problem(code, {"where": where, **values})


def _number(
    ws: Worksheet, row: int, col: int, limit: int, problems: list[Problem]
) -> int | None:
    value = ws.cell(row, col).value
    where = _where(ws.title, row, col)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(_problem("form_empty", where))
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(_problem("form_not_number", where, value=str(value)[:30]))
        return None
    if value < 0:
        problems.append(_problem("form_negative", where, value=value))
        return None
    if value != int(value):
        problems.append(_problem("form_fraction", where, value=value))
        return None
    if value > limit:
        problems.append(_problem("form_too_large", where, value=value))
        return None
    return int(value)


def too_large(size: int) -> Problem:
    """The problem of a file of ``size`` bytes over ``MAX_BYTES``."""
    return Problem("form_file_too_large", {"size": round(size / 1024 / 1024, 1)})


def _open(data: bytes, problems: list[Problem]) -> Workbook | None:
    if not data:
        problems.append(Problem("form_file_empty"))
        return None
    if len(data) > MAX_BYTES:
        problems.append(too_large(len(data)))
        return None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        problems.append(Problem("form_file_ole"))
        return None
    found = xlsx_guard.problems(data)  # what parsing it would cost, first
    if found:
        problems.extend(found)
        return None
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl trips on, the file is bad
        log.info("workbook refused by openpyxl", exc_info=True)
        problems.append(Problem("form_file_unreadable"))
        return None


def _identity_problems(book: Workbook, form: Form, problems: list[Problem]) -> None:
    ws = book[INFO]
    wanted = _identity(form)
    for row, (key, label) in enumerate(INFO_ROWS, start=HEADER_ROW):
        if ws.cell(row, 1).value != safe_text(label):
            problems.append(_problem("form_label", _where(INFO, row, 1), label=label))
            continue
        found = ws.cell(row, 2).value
        if isinstance(found, dt.datetime):
            found = found.date()
        if key == "unit_name":
            continue  # a name may be typed differently; the code decides
        if found not in (wanted[key], safe_text(wanted[key])):
            shown = found.strftime("%d/%m/%Y") if isinstance(found, dt.date) else found
            expected = wanted[key]
            if isinstance(expected, dt.date):
                expected = expected.strftime("%d/%m/%Y")
            what = "period" if key in ("start", "end") else key
            problems.append(
                _problem(
                    f"form_wrong_{what}",
                    _where(INFO, row, 2),
                    found=shown,
                    expected=expected,
                )
            )


def _headers(ws: Worksheet, sheet: str, problems: list[Problem]) -> bool:
    headers, rows = LAYOUT[sheet]
    ok = True
    for col, text in enumerate(headers, start=1):
        found = ws.cell(HEADER_ROW, col).value
        if found != safe_text(text):
            where = _where(sheet, HEADER_ROW, col)
            if found in (None, ""):
                problems.append(_problem("form_header_empty", where, header=text))
            else:
                problems.append(
                    _problem("form_header", where, header=text, found=found)
                )
            ok = False
    for row, (code, _label) in enumerate(rows, start=HEADER_ROW + 1):
        if ws.cell(row, 1).value != safe_text(code):
            problems.append(_problem("form_row", _where(sheet, row, 1), code=code))
            ok = False
    return ok


def _grid(
    ws: Worksheet,
    written: Worksheet | None,
    sheet: str,
    problems: list[Problem],
    limit: int,
) -> dict[str, list[int | None]]:
    """The sheet's figures by row code; a total written as a formula is None
    (``_totals`` recomputes it).  ``written``: the same sheet read for its
    formulas, not their cached values (None: not available)."""
    headers, rows = LAYOUT[sheet]
    return {
        code: [
            _figure(ws, written, sheet, row, col, limit, problems)
            for col in range(3, len(headers) + 1)
        ]
        for row, (code, _label) in enumerate(rows, start=HEADER_ROW + 1)
    }


def _figure(
    ws: Worksheet,
    written: Worksheet | None,
    sheet: str,
    row: int,
    col: int,
    limit: int,
    problems: list[Problem],
) -> int | None:
    formula = written.cell(row, col).value if written is not None else None
    if isinstance(formula, str) and formula.startswith("="):
        if total_formula(sheet, row, col) is not None:
            return None  # a total: the sum of its parts, whatever is cached
        if ws.cell(row, col).value is None:  # no value cached by a spreadsheet
            problems.append(
                _problem("form_uncached", _where(sheet, row, col), formula=formula[:30])
            )
            return None
    return _number(ws, row, col, limit, problems)


def _total_problem(sheet: str, row: int, col: int, total: int, parts: int) -> Problem:
    return _problem("form_total", _where(sheet, row, col), total=total, parts=parts)


def read(data: bytes, form: Form) -> Figures:
    """The figures of a filled template for ``form``; FormError with every
    problem (with sheet, row and column) when it cannot be taken."""
    problems: list[Problem] = []
    book = _open(data, problems)
    if book is None:
        raise FormError(problems)
    missing = [
        s
        for s in SHEETS
        if s not in book.sheetnames or not isinstance(book[s], Worksheet)
    ]
    if missing:
        sheets = ", ".join(f"'{s}'" for s in missing)
        problems.append(Problem("form_sheets_missing", {"sheets": sheets}))
        raise FormError(problems)
    _identity_problems(book, form, problems)
    written = _formulas(data)
    figures = Figures()
    grids = {}
    for sheet, limit in (
        (GROUPS, MAX_COUNT),
        (CASES, MAX_COUNT),
        (FUND, MAX_DONG),
        (ACTIVITIES, MAX_COUNT),
    ):
        if _headers(book[sheet], sheet, problems):
            formulas = written[sheet] if written and sheet in written else None
            grids[sheet] = _grid(book[sheet], formulas, sheet, problems, limit)
    if problems:
        raise FormError(problems)
    _totals(grids, problems)
    if problems:
        raise FormError(problems)
    groups = grids[GROUPS]
    figures.groups = {code: v[0] for code, v in groups.items() if code != "TOTAL"}  # type: ignore[misc]
    category = {code: cat for cat, code, _label in _case_rows()}
    for code, values in grids[CASES].items():
        for (sex, age, _label), value in zip(CASE_PARTS, values[:-1], strict=True):
            if value:
                figures.cases[category[code], code, sex, age] = value
    figures.fund = {k: v[0] for k, v in grids[FUND].items() if k != "TOTAL"}  # type: ignore[misc]
    activities = grids[ACTIVITIES]
    figures.staff_trained = activities.pop("STAFF_TRAINED")[0]  # type: ignore[assignment]
    figures.activities = {k: (v[0], v[1]) for k, v in activities.items()}  # type: ignore[misc]
    return figures


def _formulas(data: bytes) -> Workbook | None:
    """The workbook read for its formulas (not their cached values); None when
    openpyxl cannot (the values were read: the file is not refused for this)."""
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # noqa: BLE001 - read once already; nothing more to learn
        log.info("workbook formulas not read", exc_info=True)
        return None


def _totals(grids: dict[str, dict[str, list[Any]]], problems: list[Problem]) -> None:
    """Totals are recomputed from their parts (the groups' and the fund's last
    row, each case row's last column): a formula (None here) is the sum, a typed
    total must equal it (else the problem names the cell)."""
    for sheet in (GROUPS, FUND):
        values = grids[sheet]
        parts = sum(v[0] for k, v in values.items() if k != "TOTAL")
        total = values["TOTAL"][0]
        if total is not None and total != parts:
            row = HEADER_ROW + len(values)
            problems.append(_total_problem(sheet, row, 3, total, parts))
    width = len(CASE_PARTS)
    for row, (_code, cells) in enumerate(grids[CASES].items(), start=HEADER_ROW + 1):
        parts, total = sum(cells[:width]), cells[width]
        if total is not None and total != parts:
            problems.append(_total_problem(CASES, row, 3 + width, total, parts))
