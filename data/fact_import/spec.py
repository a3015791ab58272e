"""What a fact import reads: the kinds of facts, their columns, the headers that
would carry personal data, and how a typed value is compared with a code.

A column has a key (the field of the row), its Vietnamese header (the template's
and the file's), whether it must be present, the terms of a coded column (its
drop-down list offers their Vietnamese names; codes, Vietnamese and English names
are all accepted, in any case, with any dash) and a line of instructions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from data.vocabulary import (
    ABUSE_ENVIRONMENT_TERMS,
    ABUSE_TYPE_TERMS,
    AGE_BAND_TERMS,
    INCIDENT_CATEGORY_TERMS,
    INJURY_INTENT_TERMS,
    INJURY_OUTCOME_TERMS,
    INJURY_TYPE_TERMS,
    SEX_TERMS,
    Term,
)

FIRST_DAY = dt.date(2010, 1, 1)  # the earliest date a case may carry
MAX_REF = 32  # characters of a case reference (incident.case_ref)
MAX_ROWS = 50_000  # data rows of one file
MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED = 200  # problems listed; the rest are counted
DATA_SHEET = "Vụ việc"
HELP_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
YES, NO = "Có", "Không"
YES_WORDS = frozenset({"có", "co", "yes", "true", "1"})
NO_WORDS = frozenset({"không", "khong", "no", "false", "0"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str  # Vietnamese, for the instructions sheet
    terms: tuple[Term, ...] = ()
    width: int = 18


@dataclass(frozen=True)
class Kind:
    """One kind of fact a province imports."""

    name: str  # on the command line
    table: str
    title: str  # Vietnamese, for the template
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


INCIDENTS = Kind(
    name="incidents",
    table="incident",
    title="Vụ việc trẻ em bị xâm hại, bị tai nạn thương tích (không ghi tên, "
    "ngày sinh, địa chỉ của trẻ)",
    columns=(
        Column(
            "case_ref",
            "Mã vụ việc",
            True,
            "Mã riêng của cơ quan cho vụ việc, không quá 32 ký tự, không trùng "
            "trong tệp. Nhập lại cùng mã (cùng xã) để sửa vụ việc đã nhập. "
            "Không dùng họ tên, ngày sinh hay số giấy tờ của trẻ làm mã.",
            width=16,
        ),
        Column(
            "occurred_on",
            "Ngày xảy ra",
            True,
            "Ngày xảy ra vụ việc (ngày/tháng/năm), từ 01/01/2010 đến hôm nay.",
            width=14,
        ),
        Column(
            "unit_code",
            "Mã xã",
            True,
            "Mã đơn vị hành chính cấp xã nơi xảy ra vụ việc (theo danh mục; "
            "trước 01/7/2025 là mã xã cũ, từ 01/7/2025 là mã xã mới). Chọn "
            "trong danh sách hoặc gõ mã.",
            width=30,
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
KINDS = {kind.name: kind for kind in (INCIDENTS,)}

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
