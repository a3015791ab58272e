"""Submitting reports: the reports page and its upload."""

from __future__ import annotations

REPORTS_MESSAGES: dict[str, dict[str, str]] = {
    # submitting reports
    "reports_link": {"vi": "Nộp báo cáo", "en": "Submit a report"},
    "reports_title": {"vi": "Nộp báo cáo định kỳ", "en": "Submit a periodic report"},
    "reports_year": {"vi": "Năm", "en": "Year"},
    "reports_choice": {"vi": "Báo cáo và đơn vị", "en": "Report and unit"},
    "reports_choose": {
        "vi": "Chọn báo cáo cần nộp…",
        "en": "Choose the report to submit…",
    },
    "reports_option": {
        "vi": "{report} {year} — {unit} (hạn {due}, {rule}){sent}",
        "en": "{report} {year} — {unit} (due {due}, {rule}){sent}",
    },
    "reports_sent": {"vi": " — đã gửi {n} lần", "en": " — sent {n} times"},
    "reports_template": {
        "vi": "1. Tải biểu mẫu (.xlsx) đã điền sẵn đơn vị và kỳ báo cáo",
        "en": "1. Download the template (.xlsx) with unit and period filled in",
    },
    "reports_upload": {
        "vi": "2. Kéo thả vào đây hoặc bấm để chọn tệp biểu mẫu đã điền (.xlsx, tối "
        "đa 5 MB)",
        "en": "2. Drop the filled template here or click to choose it (.xlsx, at "
        "most 5 MB)",
    },
    "reports_deadline": {
        "vi": "Hạn: {rule} {due} (giờ Việt Nam); trễ hạn từ {late}.",
        "en": "Deadline: {rule} {due} (Viet Nam time); late from {late}.",
    },
    "reports_basis": {"vi": "Căn cứ: {basis}.", "en": "Basis: {basis}."},
    # after a unit abolished before a report's due date: its successor files it
    # (the report list, the tables page and its files, the review)
    "filed_by_note": {
        "vi": "(đã giải thể {day}) — do {filer} nộp thay",
        "en": "(abolished {day}) — filed by {filer}",
    },
    "summary_filed_for": {
        "vi": "Gồm {n} báo cáo của đơn vị đã giải thể, do đơn vị kế thừa nộp thay",
        "en": "Includes {n} reports of abolished units, filed by their successors",
    },
    "reports_received": {
        "vi": "Đã nhận báo cáo (phiên bản {version}) lúc {at}: {timing}.",
        "en": "Report received (version {version}) at {at}: {timing}.",
    },
    "reports_on_time": {"vi": "đúng hạn", "en": "on time"},
    "reports_late": {"vi": "muộn {days} ngày", "en": "{days} days late"},
    "reports_first_counts": {
        "vi": "Tính đúng hạn theo lần gửi đầu tiên; các lần sau được lưu làm phiên "
        "bản mới.",
        "en": "Timeliness counts the first submission; later ones are kept as new "
        "versions.",
    },
    "reports_uses_title": {
        "vi": "Số liệu nào được tính trên bản đồ:",
        "en": "Which figures count on the map:",
    },
    "reports_counts_case": {
        "vi": "Số liệu {what} của báo cáo được tính trên bản đồ cho kỳ báo cáo và "
        "các kỳ chứa trọn kỳ báo cáo trong năm {year} (phiên bản mới nhất được "
        "dùng), vì {level} chưa có hồ sơ vụ việc năm {year}.",
        "en": "The report's {what} figures count on the map for its period and the "
        "periods of {year} that contain it (the latest version is used), because "
        "the {level} has no case records in {year}.",
    },
    "reports_records_case": {
        "vi": "Số liệu {what} của {level} đã có hồ sơ vụ việc năm {year} nên bản "
        "ghi được dùng, không dùng số báo cáo.",
        "en": "The {level} has case records in {year}, so the map uses the records "
        "for {what}, not the reported figures.",
    },
    "reports_counts_fund": {
        "vi": "Số tiền vận động Quỹ của báo cáo được tính trên bản đồ cho kỳ báo "
        "cáo và các kỳ chứa trọn kỳ báo cáo trong năm {year} (phiên bản mới nhất "
        "được dùng), vì {level} chưa có bản ghi đóng góp Quỹ năm {year}.",
        "en": "The report's fund figures count on the map for its period and the "
        "periods of {year} that contain it (the latest version is used), because "
        "the {level} has no fund contribution records in {year}.",
    },
    "reports_records_fund": {
        "vi": "Số liệu Quỹ của {level} đã có bản ghi đóng góp năm {year} nên bản "
        "ghi được dùng, không dùng số báo cáo.",
        "en": "The {level} has fund contribution records in {year}, so the map "
        "uses the records, not the reported fund figures.",
    },
    "reports_not_mapped": {
        "vi": "Số trẻ em có hoàn cảnh đặc biệt, hoạt động và cán bộ được tập huấn "
        "được lưu cùng báo cáo, không hiển thị trên bản đồ.",
        "en": "Children in special circumstances, activities and staff trained are "
        "kept with the report; the map does not show them.",
    },
    "reports_what_abuse": {"vi": "xâm hại", "en": "abuse"},
    "reports_what_injury": {"vi": "tai nạn thương tích", "en": "injury"},
    "reports_what_both": {
        "vi": "xâm hại và tai nạn thương tích",
        "en": "abuse and injury",
    },
    "reports_what_case": {"vi": "vụ việc", "en": "case"},
    "reports_level_commune": {"vi": "xã", "en": "commune"},
    "reports_level_district": {"vi": "huyện", "en": "district"},
    "reports_level_province": {"vi": "tỉnh", "en": "province"},
    "reports_refused": {
        "vi": "Chưa nhận báo cáo: tệp có {n} lỗi, chưa lưu gì. Hãy sửa và gửi lại:",
        "en": "Not received: the file has {n} problems and nothing was stored. "
        "Correct them and send it again:",
    },
    "reports_not_owed": {
        "vi": "Đơn vị này không phải nộp báo cáo này, hoặc bạn không được nộp thay.",
        "en": "This unit does not owe this report, or you may not submit it.",
    },
    "reports_history": {"vi": "Các lần đã gửi", "en": "Submissions so far"},
    "reports_overdue": {
        "vi": "Báo cáo quá hạn chưa nộp — {place}: {n}",
        "en": "Reports overdue, not received — {place}: {n}",
    },
    "reports_overdue_none": {
        "vi": "Không có báo cáo nào quá hạn chưa nộp.",
        "en": "No report is overdue.",
    },
    "reports_overdue_all": {
        "vi": "Xem toàn bộ trong Bảng số liệu",
        "en": "See them all in the data tables",
    },
    "reports_col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "reports_col_report": {"vi": "Báo cáo", "en": "Report"},
    "reports_col_due": {"vi": "Hạn", "en": "Due"},
    "reports_col_overdue": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "reports_col_version": {"vi": "Phiên bản", "en": "Version"},
    "reports_col_at": {"vi": "Thời điểm gửi", "en": "Submitted at"},
    "reports_col_file": {"vi": "Tệp", "en": "File"},
    "reports_col_timing": {"vi": "Đúng hạn?", "en": "On time?"},
    "reports_none": {"vi": "Chưa gửi lần nào.", "en": "Not sent yet."},
    "reports_nothing": {
        "vi": "Không có báo cáo nào bạn được nộp trong năm này.",
        "en": "No report for you to submit in this year.",
    },
    "reports_not_for_viewer": {
        "vi": "Vai trò xem tại phòng họp không nộp báo cáo.",
        "en": "The meeting-room role does not submit reports.",
    },
}
