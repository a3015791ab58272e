"""What a fact import reads: the forms of the kinds of facts (their columns and
Vietnamese texts), where a kind's rows are stored, the headers that would carry
personal data, and how a typed value is compared with a code.

A column has a key (the field of the row), its Vietnamese header (the template's
and the file's), whether it must be present, the terms of a coded column (its
drop-down list offers their Vietnamese names; codes, Vietnamese and English names
are all accepted, in any case, with any dash), a line of instructions, what its
values are (``form``: a reference, a date, a unit code, a year, an amount) and
an example for the instructions.

A ``Kind`` (``data.fact_import.kinds``) puts together a form, the unit levels
its rows name, its row checker and its ``Store``: the table, the natural key a
re-imported row is matched on, the fields compared and written, and what the
summary adds up per unit (rows, or đồng).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

from data.models import Base
from data.vocabulary import (
    ABUSE_ENVIRONMENT_TERMS,
    ABUSE_TYPE_TERMS,
    AGE_BAND_TERMS,
    CF_STATUS_TERMS,
    FUND_KIND_TERMS,
    FUND_SOURCE_TERMS,
    INCIDENT_CATEGORY_TERMS,
    INJURY_INTENT_TERMS,
    INJURY_OUTCOME_TERMS,
    INJURY_TYPE_TERMS,
    QD06_CRITERIA,
    SEX_TERMS,
    Term,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from data.db import Runner
    from data.fact_import.apply import Plan
    from data.fact_import.check import Checker, Record, Units
    from data.fact_import.read import Layout
    from data.problems import Problem
    from data.scope import Scope

FIRST_DAY = dt.date(2010, 1, 1)  # the earliest date a row may carry
MAX_REF = 32  # characters of a reference (incident.case_ref, booking_ref)
MAX_DONG = 10**13  # the largest amount of one row, in đồng
MAX_ROWS = 50_000  # data rows of one file
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    """How large a file of facts may be: data rows and bytes."""

    rows: int
    size: int


# a file checked in a web request (the page's upload box)
PAGE = FileLimits(MAX_ROWS, MAX_BYTES)
# a file read from disk by a background job or the command line: a year of a
# country's cases (about 100 bytes a row in CSV) with room to spare
LARGE = FileLimits(2_000_000, 1024 * 1024 * 1024)
MAX_LISTED = 200  # problems listed; the rest are counted
DATA_SHEET = "Vụ việc"  # the incidents' data sheet
TARGET_SHEET = "Chỉ tiêu quỹ"
BOOKING_SHEET = "Khoản vận động"
CHILDREN_SHEET = "Trẻ em dưới 16 tuổi"
CF_SHEET = "Xã phù hợp với trẻ em"
PLAN_TARGET_SHEET = "Chỉ tiêu kế hoạch"
PLAN_VALUE_SHEET = "Kết quả chỉ tiêu"
COMPARATOR_TERMS = (
    Term(">=", ">=", ">="),
    Term("<=", "<=", "<="),
    Term(">", ">", ">"),
    Term("<", "<", "<"),
    Term("=", "=", "="),
)
MAX_DECISION = 64  # characters of a decision's number
HELP_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
YES, NO = "Có", "Không"
YES_WORDS = frozenset({"có", "co", "yes", "true", "1"})
CURRENCY = re.compile(r"\s*(đồng|dong|đ|vnđ|vnd)\.?$")  # after an amount, folded
NO_WORDS = frozenset({"không", "khong", "no", "false", "0"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str  # Vietnamese, for the instructions sheet
    terms: tuple[Term, ...] = ()
    width: int = 18
    form: str = ""  # "ref", "date", "unit", "year", "amount", "count", "number"
    example: str = ""  # Vietnamese, for the instructions sheet
    field: str = ""  # the stored field it fills, when not ``key``
    offered: bool = True  # in the template; False: read when a file has it

    @property
    def stored(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Form:
    """What an office fills in for one kind of facts (Vietnamese texts)."""

    title: str  # the template's title
    sheet: str  # the data sheet
    row: str  # what one row is ("một vụ việc")
    privacy: str  # the instructions' note on personal data
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = ()  # more lines for the instructions sheet


@dataclass(frozen=True)
class Store:
    """Where the rows of a kind go and how a row of a file meets a stored one."""

    model: type[Base]
    key: tuple[str, ...]  # the natural key, unit_id first; its last is the ref
    fields: tuple[str, ...]  # compared with the stored row, and written
    measure: str | None  # the field added up per unit in the summary; None: rows
    group: tuple[str, ...] = ("unit_id",)  # one summary line per these fields
    none_when_absent: bool = False  # a group without rows has no figure (not 0)
    fresh: Callable[[], dict[str, Any]] | None = None  # more values of a new row
    ident: str | None = "id"  # the surrogate key; None: the natural key is it
    label: str | None = None  # a coded field shown beside a group's new figure
    whole: bool = True  # the measure is a whole number (else a decimal one)
    # the stored rows of the records' keys (by key), when more than the table's
    # columns is compared; None: read from the table
    loader: Loader | None = None
    # writes the plan's new and changed rows, when plain INSERT and UPDATE
    # statements on the table do not do
    writer: Writer | None = None

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table

    @property
    def ref(self) -> str:
        """The key fields naming a row to the user (its reference, its year),
        as one name: "case_ref", "year", "indicator_code_year"."""
        return "_".join(self.key[1:])

    def ref_of(self, values: dict[str, Any]) -> str:
        """The row's key in words, its unit left out: "VV-001", "2024"."""
        return " ".join(_word(values[k]) for k in self.key[1:])


def _word(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)


CheckerFactory = Callable[["Kind", "Layout", "Units", dt.date], "Checker"]
# the records checked against what is stored (the cases of a unit, the rounds
# before): may complete their values; the problems by row
Vetter = Callable[
    ["Runner", "Scope", "Layout", "Units", "list[Record]"], "dict[int, list[Problem]]"
]
Loader = Callable[["Runner", "Store", "Sequence[Record]"], "dict[tuple[Any, ...], Any]"]
Writer = Callable[["Session", "Plan"], None]
Foresee = Callable[["Runner", "Plan", "Units"], None]


@dataclass(frozen=True)
class Kind:
    """One kind of fact a province imports: its form, the levels of the units
    its rows name, its row checker and where its rows go."""

    name: str  # on the command line, in the template's address
    form: Form
    levels: tuple[str, ...]  # the unit levels a row may name
    measure: str  # what the summary adds up per unit: "cases", "dong", ...
    sensitive: bool  # its counts are protected from restricted roles
    checker: CheckerFactory
    store: Store
    vet: Vetter | None = None
    # what writing the file would change beyond its rows (stored rounds after
    # an assessment's), added to the summary of a file without problems
    foresee: Foresee | None = None

    @property
    def table(self) -> str:
        return self.store.table.name

    @property
    def title(self) -> str:
        return self.form.title

    @property
    def sheet(self) -> str:
        return self.form.sheet

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.form.columns

    @property
    def communes_only(self) -> bool:
        return self.levels == ("commune",)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def term(self, key: str, code: str, lang: str) -> str:
        """The name of ``code`` of the coded column ``key`` in ``lang``."""
        for term in self.column(key).terms:
            if term.code == code:
                return term.en if lang == "en" else term.vi
        return code


INCIDENT_FORM = Form(
    title="Vụ việc trẻ em bị xâm hại, bị tai nạn thương tích (không ghi tên, "
    "ngày sinh, địa chỉ của trẻ)",
    sheet=DATA_SHEET,
    row="một vụ việc",
    privacy="Không ghi họ tên, ngày sinh, địa chỉ, số điện thoại hay số giấy tờ "
    "của trẻ: tệp có cột như vậy bị từ chối toàn bộ.",
    columns=(
        Column(
            "case_ref",
            "Mã vụ việc",
            True,
            "Mã riêng của cơ quan cho vụ việc, không quá 32 ký tự, không trùng "
            "trong tệp. Nhập lại cùng mã (cùng xã) để sửa vụ việc đã nhập. "
            "Không dùng họ tên, ngày sinh hay số giấy tờ của trẻ làm mã.",
            width=16,
            form="ref",
            example=f"Ví dụ VV-2024-001 (tối đa {MAX_REF} ký tự).",
        ),
        Column(
            "occurred_on",
            "Ngày xảy ra",
            True,
            "Ngày xảy ra vụ việc (ngày/tháng/năm), từ 01/01/2010 đến hôm nay.",
            width=14,
            form="date",
            example=f"Ví dụ 15/03/2024; sớm nhất {FIRST_DAY:%d/%m/%Y}.",
        ),
        Column(
            "unit_code",
            "Mã xã",
            True,
            "Mã đơn vị hành chính cấp xã nơi xảy ra vụ việc (theo danh mục; "
            "trước 01/7/2025 là mã xã cũ, từ 01/7/2025 là mã xã mới). Chọn "
            "trong danh sách hoặc gõ mã.",
            width=30,
            form="unit",
        ),
        Column(
            "category",
            "Loại vụ việc",
            True,
            "Xâm hại hoặc Tai nạn thương tích.",
            INCIDENT_CATEGORY_TERMS,
        ),
        Column(
            "type_code",
            "Hình thức",
            True,
            "Hình thức xâm hại hoặc loại tai nạn thương tích, phù hợp với loại "
            "vụ việc.",
            ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS,
            width=26,
        ),
        Column("sex", "Giới tính", True, "Nam hoặc Nữ.", SEX_TERMS, width=10),
        Column("age_band", "Nhóm tuổi", True, "Nhóm tuổi của trẻ.", AGE_BAND_TERMS),
        Column(
            "environment",
            "Môi trường xảy ra",
            False,
            "Chỉ với vụ xâm hại: nơi xảy ra. Để trống với tai nạn thương tích.",
            ABUSE_ENVIRONMENT_TERMS,
        ),
        Column(
            "intent",
            "Tính chủ ý",
            False,
            "Chỉ với tai nạn thương tích: cố ý hay không cố ý. Để trống với "
            "vụ xâm hại.",
            INJURY_INTENT_TERMS,
        ),
        Column(
            "outcome",
            "Hậu quả",
            False,
            "Chỉ với tai nạn thương tích: tử vong hay không. Để trống với vụ xâm hại.",
            INJURY_OUTCOME_TERMS,
        ),
        Column(
            "supported_in_time",
            "Được hỗ trợ kịp thời",
            False,
            "Trẻ được hỗ trợ, can thiệp kịp thời: Có, Không, hoặc để trống "
            "nếu chưa rõ.",
            (Term("yes", YES, "Yes"), Term("no", NO, "No")),
        ),
    ),
)

_UNIT_HELP = (
    "Mã đơn vị hành chính (tỉnh, huyện hoặc xã; trước 01/7/2025 là mã cũ, từ "
    "01/7/2025 là mã mới). Chọn trong danh sách hoặc gõ mã."
)
_AMOUNT_EXAMPLE = "Ví dụ 1500000 hoặc 1.500.000 (một triệu năm trăm nghìn đồng)."
TARGET_FORM = Form(
    title="Chỉ tiêu vận động Quỹ bảo trợ trẻ em theo năm (đồng)",
    sheet=TARGET_SHEET,
    row="chỉ tiêu của một đơn vị trong một năm",
    privacy="Không ghi họ tên, địa chỉ, số điện thoại hay số giấy tờ của ai: "
    "tệp có cột như vậy bị từ chối toàn bộ.",
    columns=(
        Column(
            "unit_code",
            "Mã đơn vị",
            True,
            f"{_UNIT_HELP} Mỗi đơn vị một dòng cho mỗi năm.",
            width=34,
            form="unit",
        ),
        Column(
            "year",
            "Năm",
            True,
            "Năm của chỉ tiêu, từ 2010 đến năm sau. Nhập lại cùng đơn vị và năm "
            "để sửa chỉ tiêu đã nhập.",
            width=8,
            form="year",
            example="Ví dụ 2025.",
        ),
        Column(
            "amount_dong",
            "Chỉ tiêu (đồng)",
            True,
            "Số tiền chỉ tiêu cả năm, bằng đồng (số nguyên, không âm).",
            width=20,
            form="amount",
            example=_AMOUNT_EXAMPLE,
        ),
    ),
)
BOOKING_FORM = Form(
    title="Các khoản vận động Quỹ bảo trợ trẻ em (tiền mặt, hiện vật, chương "
    "trình hỗ trợ; không ghi tên người đóng góp)",
    sheet=BOOKING_SHEET,
    row="một khoản vận động",
    privacy="Không ghi họ tên, địa chỉ, số điện thoại hay số giấy tờ của người "
    "đóng góp: tệp có cột như vậy bị từ chối toàn bộ.",
    columns=(
        Column(
            "booking_ref",
            "Mã khoản",
            True,
            "Mã riêng của cơ quan cho khoản vận động, không quá 32 ký tự, không "
            "trùng trong tệp. Nhập lại cùng mã (cùng đơn vị) để sửa khoản đã nhập.",
            width=16,
            form="ref",
            example=f"Ví dụ QBT-2024-001 (tối đa {MAX_REF} ký tự).",
        ),
        Column(
            "contributed_on",
            "Ngày",
            True,
            "Ngày vận động được (ngày/tháng/năm), từ 01/01/2010 đến hôm nay.",
            width=14,
            form="date",
            example=f"Ví dụ 15/03/2024; sớm nhất {FIRST_DAY:%d/%m/%Y}.",
        ),
        Column(
            "unit_code",
            "Mã đơn vị",
            True,
            f"{_UNIT_HELP} Đơn vị đã vận động được khoản này (nơi ghi sổ).",
            width=34,
            form="unit",
        ),
        Column(
            "kind",
            "Hình thức",
            True,
            "Tiền mặt, hiện vật hoặc chương trình hỗ trợ.",
            FUND_KIND_TERMS,
            width=20,
        ),
        Column(
            "source_type",
            "Nguồn",
            True,
            "Nguồn của khoản. 'Chuyển từ quỹ cấp dưới/cấp khác': tiền quỹ của "
            "đơn vị khác chuyển đến; khi đó phải ghi đơn vị chuyển.",
            FUND_SOURCE_TERMS,
            width=28,
        ),
        Column(
            "amount_dong",
            "Số tiền (đồng)",
            True,
            "Số tiền hoặc giá trị quy ra đồng (số nguyên, lớn hơn 0).",
            width=20,
            form="amount",
            example=_AMOUNT_EXAMPLE,
        ),
        Column(
            "giver_code",
            "Mã đơn vị chuyển",
            False,
            "Chỉ với nguồn 'Chuyển từ quỹ cấp dưới/cấp khác': mã đơn vị có quỹ "
            "đã chuyển tiền (khác đơn vị nhận; có thể ngoài danh sách, ví dụ "
            "quỹ của tỉnh hay VN cho quỹ trung ương). Để trống với nguồn khác.",
            width=34,
            form="unit",
            field="transfer_from_unit_id",
        ),
    ),
)

CHILDREN_FORM = Form(
    title="Số trẻ em dưới 16 tuổi theo đơn vị và năm (mẫu số của các tỷ lệ)",
    sheet=CHILDREN_SHEET,
    row="số trẻ em dưới 16 tuổi của một đơn vị trong một năm",
    privacy="Chỉ ghi số trẻ em, không ghi danh sách hay thông tin của từng trẻ: "
    "tệp có cột họ tên, ngày sinh, địa chỉ hay số giấy tờ bị từ chối toàn bộ.",
    columns=(
        Column(
            "year",
            "Năm",
            True,
            "Năm của số liệu, từ 2010 đến năm sau. Nhập lại cùng đơn vị và năm "
            "để sửa số đã nhập.",
            width=8,
            form="year",
            example="Ví dụ 2025.",
        ),
        Column(
            "unit_code",
            "Mã đơn vị",
            True,
            f"{_UNIT_HELP} Mỗi đơn vị một dòng cho mỗi năm.",
            width=34,
            form="unit",
        ),
        Column(
            "children",
            "Số trẻ em dưới 16 tuổi",
            True,
            "Số trẻ em dưới 16 tuổi của đơn vị trong năm (số nguyên, không âm; "
            "không ít hơn số vụ việc đã ghi nhận ở đơn vị trong năm đó).",
            width=22,
            form="count",
            example="Ví dụ 12500 hoặc 12.500.",
            field="children_u16",
        ),
    ),
)

CF_FORM = Form(
    title="Đánh giá xã, phường, thị trấn phù hợp với trẻ em (Quyết định "
    "06/QĐ-TTg: 13 tiêu chí)",
    sheet=CF_SHEET,
    row="kết quả đánh giá một xã trong một đợt",
    privacy="Chỉ ghi điểm của xã, không ghi tên hay thông tin của trẻ em hay "
    "người dân: tệp có cột như vậy bị từ chối toàn bộ.",
    columns=(
        Column(
            "round_date",
            "Ngày đánh giá",
            True,
            "Ngày của đợt đánh giá (ngày/tháng/năm), từ 03/01/2019 (Quyết định "
            "06/QĐ-TTg) đến hôm nay. Nhập lại cùng xã và ngày để sửa kết quả đã "
            "nhập.",
            width=14,
            form="date",
            example="Ví dụ 01/11/2024.",
        ),
        Column(
            "unit_code",
            "Mã xã",
            True,
            "Mã xã, phường, thị trấn được đánh giá, tồn tại vào ngày đánh giá "
            "(trước 01/7/2025 là mã xã cũ, từ 01/7/2025 là mã xã mới). Chọn "
            "trong danh sách hoặc gõ mã.",
            width=30,
            form="unit",
        ),
        *(
            Column(
                c.code,
                f"Tiêu chí {int(c.code[2:])} ({c.code})",
                True,
                f"Điểm tiêu chí {int(c.code[2:])}: {c.vi}; số nguyên từ 0 đến "
                f"{c.max_points}.",
                width=12,
                form="points",
                example=f"Từ 0 đến {c.max_points} điểm.",
            )
            for c in QD06_CRITERIA
        ),
        Column(
            "decision_ref",
            "Số quyết định",
            False,
            "Số quyết định công nhận (hoặc không công nhận) của Chủ tịch UBND cấp "
            "huyện; ghi cùng ngày quyết định. Để trống khi chưa có quyết định.",
            width=18,
            form="text",
            example=f"Ví dụ 125/QĐ-UBND (tối đa {MAX_DECISION} ký tự).",
        ),
        Column(
            "decided_on",
            "Ngày quyết định",
            False,
            "Ngày ký quyết định, không trước ngày đánh giá; ghi cùng số quyết định.",
            width=14,
            form="date",
            example="Ví dụ 15/12/2024.",
        ),
        Column(
            "status",
            "Kết quả",
            False,
            "Không cần ghi: kết quả do quy tắc công nhận quyết định từ điểm.",
            CF_STATUS_TERMS,
            offered=False,
        ),
        Column(
            "threshold",
            "Ngưỡng điểm",
            False,
            "Không cần ghi: ngưỡng do loại đơn vị quyết định.",
            width=10,
            form="points",
            offered=False,
        ),
    ),
    notes=(
        "Kết quả (công nhận mới, giữ vững, không công nhận) và ngưỡng điểm (800, "
        "850 hoặc 900) không ghi vào biểu mẫu: chúng do quy tắc của Quyết định "
        "06/QĐ-TTg quyết định từ điểm các tiêu chí và loại đơn vị (đạt ngưỡng và "
        "không tiêu chí nào 0 điểm thì được công nhận). Có ngày quyết định thì "
        "là kết quả đã quyết định; chưa có thì là đã đề nghị công nhận.",
        "Tệp có cột 'Kết quả' hoặc 'Ngưỡng điểm' (ví dụ chép từ sổ theo dõi): "
        "giá trị phải khớp với quy tắc, nếu không dòng bị từ chối.",
        "Đợt đánh giá trước 03/01/2019 (Quyết định 37/2010, 34/2014) không chấm "
        "13 tiêu chí: dùng lệnh record-assessment.",
    ),
)

_INDICATOR = Column(
    "indicator_code",
    "Mã chỉ tiêu",
    True,
    "Mã chỉ tiêu của kế hoạch (theo danh mục chỉ tiêu của hệ thống, ví dụ "
    "SC_CARED_REGULARLY). Mỗi đơn vị một dòng cho mỗi chỉ tiêu và năm.",
    width=28,
    form="indicator",
)
_PLAN_YEAR = Column(
    "year",
    "Năm",
    True,
    "Năm của chỉ tiêu, từ 2010 đến năm sau. Nhập lại cùng đơn vị, chỉ tiêu và "
    "năm để sửa số đã nhập.",
    width=8,
    form="year",
    example="Ví dụ 2025.",
)
_PLAN_UNIT = Column("unit_code", "Mã đơn vị", True, _UNIT_HELP, width=34, form="unit")
_NUMBER_HELP = (
    "Số không âm; phần thập phân sau dấu phẩy hoặc dấu chấm; chỉ tiêu tính "
    "bằng phần trăm không quá 100."
)
PLAN_TARGET_FORM = Form(
    title="Chỉ tiêu kế hoạch bảo vệ trẻ em theo đơn vị và năm",
    sheet=PLAN_TARGET_SHEET,
    row="mức chỉ tiêu của một đơn vị cho một chỉ tiêu trong một năm",
    privacy="Chỉ ghi số liệu tổng hợp, không ghi thông tin của từng trẻ: tệp có "
    "cột họ tên, ngày sinh, địa chỉ hay số giấy tờ bị từ chối toàn bộ.",
    columns=(
        _PLAN_YEAR,
        _PLAN_UNIT,
        _INDICATOR,
        Column(
            "comparator",
            "So sánh",
            False,
            "Đạt khi kết quả >=, <=, >, < hoặc = mức chỉ tiêu. Để trống: theo "
            "chiều của chỉ tiêu (càng cao càng tốt: >=; càng thấp càng tốt: <=).",
            COMPARATOR_TERMS,
            width=10,
        ),
        Column(
            "target_value",
            "Mức chỉ tiêu",
            True,
            f"Mức phải đạt. {_NUMBER_HELP}",
            width=14,
            form="number",
            example="Ví dụ 82,5 (phần trăm) hoặc 14 (số xã).",
        ),
    ),
)
PLAN_VALUE_FORM = Form(
    title="Kết quả thực hiện chỉ tiêu kế hoạch theo đơn vị và năm",
    sheet=PLAN_VALUE_SHEET,
    row="kết quả của một đơn vị cho một chỉ tiêu trong một năm",
    privacy=PLAN_TARGET_FORM.privacy,
    columns=(
        _PLAN_YEAR,
        _PLAN_UNIT,
        _INDICATOR,
        Column(
            "value",
            "Kết quả",
            True,
            f"Kết quả đạt được trong năm. {_NUMBER_HELP}",
            width=14,
            form="number",
            example="Ví dụ 84,2.",
        ),
    ),
)

# --- headers that would carry personal data -----------------------------------------
# (what, patterns on the header folded: lower case, no diacritics, one space)
PERSONAL = (
    (
        "name",
        re.compile(
            r"\b(ho (va )?ten|ten (tre|nan nhan|nguoi|be|em)|(full )?name)\b|^ten$"
        ),
    ),
    ("birth", re.compile(r"\b(ngay sinh|nam sinh|thang sinh|birth|dob)\b")),
    (
        "id",
        re.compile(
            r"\b(cccd|cmnd|can cuoc|chung minh|(so )?dinh danh|id|passport|ho chieu)\b"
        ),
    ),
    (
        "address",
        re.compile(r"\b(dia chi|address|noi o|cho o|thon|xom|to dan pho|so nha)\b"),
    ),
    ("phone", re.compile(r"\b(dien thoai|phone|mobile|sdt|so dt|dt lien he|email)\b")),
)


def fold(value: object) -> str:
    """``value`` as compared: NFC, lower case, dashes as "-", one space."""
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return " ".join(text.split())


def plain(value: object) -> str:
    """``fold`` without diacritics (đ as d)."""
    text = fold(value).replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def personal(header: str) -> str | None:
    """What personal data ``header`` names ("name", "birth", "id", "address",
    "phone"), None when it names none."""
    text = re.sub(r"[^a-z0-9 ]", " ", plain(header))
    text = " ".join(text.split())
    return next((what for what, pattern in PERSONAL if pattern.search(text)), None)


def lookup(terms: tuple[Term, ...]) -> dict[str, str]:
    """Every accepted spelling of ``terms`` (folded) -> its code."""
    found: dict[str, str] = {}
    for term in terms:
        for spelling in (term.code, term.vi, term.en):
            found.setdefault(fold(spelling), term.code)
    return found


def header_keys(kind: Kind) -> dict[str, str]:
    """Every accepted header (folded: the Vietnamese one, or the key) -> key."""
    found = {fold(c.header): c.key for c in kind.columns}
    found.update({fold(c.key): c.key for c in kind.columns})
    return found
