"""The five tables of the tables page and of the exports: their columns.

A column has a key (the field in the grid and the frame), its header in
Vietnamese and English, and a kind that decides its filter, its format in the
grid and in Excel, and how it is written to CSV.  Headers are domain vocabulary,
read by the grid and by both exporters, so a header exists in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.vocabulary import QD06_CRITERIA

# kinds: text | date | month | datetime | int | money | score | number | flag
TEXT_KINDS = ("text", "flag")
NUMBER_KINDS = ("int", "money", "score", "number")
DATE_KINDS = ("date", "month", "datetime")
# hidden column of the reports table: the day the unit was abolished when its
# successor files for it (``filed_by`` holds the successor's name); the UI
# writes the note of the two (``layouts.tables_page.shown_rows``)
ABOLISHED_ON = "abolished_on"


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str = "text"
    width: int = 14  # characters, for Excel

    def header(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    @property
    def filter_type(self) -> str:
        if self.kind in NUMBER_KINDS:
            return "number"
        if self.kind in DATE_KINDS:
            return "date"
        return "text"


@dataclass(frozen=True)
class Table:
    key: str
    vi: str
    en: str
    columns: tuple[Column, ...]
    sheet: tuple[str, str] = ("", "")  # short name for a workbook sheet (vi, en)
    # carried in the rows for the layer that writes them, never a column
    hidden: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def sheet_name(self, lang: str) -> str:
        return self.sheet[0] if lang == "vi" else self.sheet[1]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", "Unit code", width=10),
    Column("unit", "Đơn vị", "Unit", width=26),
    Column("parent", "Thuộc", "Part of", width=24),
)

CHILD_FRIENDLY = Table(
    "child_friendly",
    "Đánh giá xã, phường, thị trấn phù hợp với trẻ em",
    "Child-friendly commune assessments",
    (
        *UNIT_COLUMNS,
        Column("round_date", "Kỳ đánh giá", "Assessment round", "date", 12),
        Column("regime", "Quy định áp dụng", "Regulation", width=20),
        Column("status", "Kết quả", "Result", width=24),
        Column("total_score", "Tổng điểm", "Total score", "score", 10),
        Column("threshold", "Điểm chuẩn", "Threshold", "score", 10),
        Column("zero_criterion", "Có tiêu chí 0 điểm", "A criterion at 0", "flag", 10),
        Column("decided_on", "Ngày quyết định", "Decided on", "date", 12),
        Column(
            "contradicts_scores",
            "Quyết định khác với điểm chấm",
            "Decision differs from the scores",
            "flag",
            12,
        ),
        *(
            Column(c.code.lower(), f"{c.code}. {c.vi}", f"{c.code}. {c.en}", "score")
            for c in QD06_CRITERIA
        ),
    ),
    sheet=("Xã phù hợp trẻ em", "Child-friendly"),
)

FUND = Table(
    "fund",
    "Vận động Quỹ Bảo trợ trẻ em theo đơn vị, tháng và hình thức",
    "Child protection fund by unit, month and kind",
    (
        *UNIT_COLUMNS,
        Column("level", "Cấp", "Level", width=10),
        Column("month", "Tháng", "Month", "month", 10),
        Column("kind", "Hình thức", "Kind", width=20),
        Column("origin", "Nguồn tiền", "Origin", width=24),
        Column("transfer_from", "Chuyển từ quỹ của", "Transferred from", width=24),
        Column("contributions", "Số lượt đóng góp", "Contributions", "int", 12),
        Column("amount", "Số tiền (đồng)", "Amount (đồng)", "money", 18),
        # a transfer between funds of the chosen area counts 0 (data.metrics.fund)
        Column(
            "counted",
            "Tính vào tổng địa bàn (đồng)",
            "Counted in the area's total (đồng)",
            "money",
            18,
        ),
    ),
    sheet=("Quỹ Bảo trợ trẻ em", "Fund"),
)

INCIDENTS = Table(
    "incidents",
    "Vụ việc xâm hại và tai nạn thương tích trẻ em (tổng hợp)",
    "Abuse and injury cases (aggregated)",
    (
        *UNIT_COLUMNS,
        Column("month", "Tháng", "Month", "month", 10),
        Column("category", "Nhóm", "Category", width=18),
        Column("type", "Loại", "Type", width=26),
        Column("sex", "Giới tính", "Sex", width=10),
        Column("age_band", "Nhóm tuổi", "Age band", width=12),
        Column("count", "Số vụ", "Cases", "int", 10),
    ),
    sheet=("Vụ việc", "Cases"),
)

REPORTS = Table(
    "reports",
    "Tình hình gửi báo cáo định kỳ",
    "Periodic report submissions",
    (
        *UNIT_COLUMNS,
        Column("report", "Báo cáo", "Report", width=22),
        Column("period_start", "Kỳ báo cáo từ", "Period from", "date", 12),
        Column("period_end", "Kỳ báo cáo đến", "Period to", "date", 12),
        Column("due_date", "Hạn gửi", "Due date", "date", 12),
        Column("due_rule", "Quy định hạn", "Deadline rule", width=14),
        Column(
            "submitted_at",
            "Thời điểm gửi (giờ Việt Nam)",
            "Submitted at (Viet Nam time)",
            "datetime",
            18,
        ),
        Column("status", "Tình trạng", "Status", width=14),
        Column("days_late", "Số ngày chậm", "Days late", "int", 10),
        # an abolished unit's successor (its name; ``ABOLISHED_ON`` says when)
        Column("filed_by", "Đơn vị nộp thay", "Filed by", width=30),
        Column("basis", "Căn cứ", "Basis", width=30),
    ),
    sheet=("Báo cáo", "Reports"),
    hidden=(ABOLISHED_ON,),
)

SCORECARD = Table(
    "scorecard",
    "Kết quả thực hiện chỉ tiêu kế hoạch",
    "Plan-target scorecard",
    (
        Column("indicator", "Chỉ tiêu", "Indicator", width=44),
        *UNIT_COLUMNS,
        Column("year", "Năm", "Year", "int", 8),
        Column("direction", "Chiều tốt", "Better when", width=14),
        Column("target", "Chỉ tiêu kế hoạch", "Target", width=14),
        Column("value", "Kết quả", "Value", "number", 14),
        Column("measure", "Đơn vị tính", "Measure", width=10),
        Column("met", "Đánh giá", "Assessment", width=16),
    ),
    sheet=("Chỉ tiêu kế hoạch", "Plan targets"),
)

TABLES: dict[str, Table] = {
    t.key: t for t in (CHILD_FRIENDLY, FUND, INCIDENTS, REPORTS, SCORECARD)
}
