"""Outlier flags for the approver, and the reporting status: how fresh the
figures are, the reports still missing or awaiting sign-off, the countdown per
deadline."""

from __future__ import annotations

STATUS_MESSAGES: dict[str, dict[str, str]] = {
    # outlier flags (data.outliers): the reason of a flag, by what it compares
    "outlier_history_high": {
        "vi": "gấp {ratio} lần trung vị {n} năm trước ({median})",
        "en": "{ratio} times the median of the {n} years before ({median})",
    },
    "outlier_history_low": {
        "vi": "chỉ bằng {share} trung vị {n} năm trước ({median})",
        "en": "only {share} of the median of the {n} years before ({median})",
    },
    "outlier_history_zero": {
        "vi": "{value} trong khi trung vị {n} năm trước là 0",
        "en": "{value} while the median of the {n} years before is 0",
    },
    "outlier_peers_high": {
        "vi": "gấp {ratio} lần trung vị của {n} đơn vị cùng cấp, tính trên 100.000 "
        "trẻ em ({rate} so với {median})",
        "en": "{ratio} times the median of {n} units of the same level, per "
        "100,000 children ({rate} against {median})",
    },
    "outlier_peers_low": {
        "vi": "chỉ bằng {share} trung vị của {n} đơn vị cùng cấp, tính trên "
        "100.000 trẻ em ({rate} so với {median})",
        "en": "only {share} of the median of {n} units of the same level, per "
        "100,000 children ({rate} against {median})",
    },
    "outlier_peers_zero": {
        "vi": "{rate} trên 100.000 trẻ em trong khi trung vị của {n} đơn vị cùng cấp "
        "là 0",
        "en": "{rate} per 100,000 children while the median of {n} units of the "
        "same level is 0",
    },
    "outlier_min": {
        "vi": "dưới mức tối thiểu {bound}",
        "en": "below the minimum {bound}",
    },
    "outlier_max": {"vi": "vượt mức tối đa {bound}", "en": "above the maximum {bound}"},
    "outlier_z": {"vi": " (z hiệu chỉnh {z})", "en": " (modified z {z})"},
    "outlier_line": {
        "vi": "{figure}: {value} — {reason}",
        "en": "{figure}: {value} — {reason}",
    },
    "outlier_title": {
        "vi": "Số liệu bất thường cần xem trước khi phê duyệt ({n})",
        "en": "Unusual figures to look at before approving ({n})",
    },
    "outlier_none": {
        "vi": "Không có số liệu bất thường so với các năm trước và các đơn vị cùng cấp.",
        "en": "No figure is unusual against the years before and the units of the "
        "same level.",
    },
    "outlier_note": {
        "vi": "Cảnh báo không ngăn việc phê duyệt; khi phê duyệt, các cảnh báo đang "
        "hiển thị được ghi lại là đã xem.",
        "en": "Flags never block an approval; when approving, the flags shown are "
        "recorded as seen.",
    },
    "outlier_more": {"vi": "… và {n} cảnh báo khác", "en": "… and {n} more flags"},
    "approval_col_flags": {"vi": "Số liệu bất thường", "en": "Unusual figures"},
    "approval_flags_seen": {
        "vi": " (đã xem {n} cảnh báo số liệu bất thường)",
        "en": " ({n} outlier flags seen)",
    },
    # a figure of a report, as a flag names it
    "figure_case": {"vi": "{type}, {sex}, {age}", "en": "{type}, {sex}, {age}"},
    "figure_fund": {"vi": "Quỹ — {kind} (đồng)", "en": "Fund — {kind} (đồng)"},
    "figure_events": {"vi": "{activity}: số hoạt động", "en": "{activity}: events"},
    "figure_children": {
        "vi": "{activity}: số trẻ em tham gia",
        "en": "{activity}: children taking part",
    },
    "figure_staff": {"vi": "Cán bộ được tập huấn", "en": "Staff trained"},
    # the reporting status banner (map, review): data.freshness
    "status_written": {
        "vi": "Số liệu cập nhật lần cuối: {at} (giờ Việt Nam)",
        "en": "Figures last written: {at} (Viet Nam time)",
    },
    "status_never": {
        "vi": "Chưa có số liệu nào được ghi",
        "en": "No figures written yet",
    },
    "status_reports": {
        "vi": "Báo cáo có hạn trong {period}: {missing} chưa nộp, đã quá hạn; "
        "{awaiting} chờ phê duyệt (trên {owed} báo cáo phải nộp)",
        "en": "Reports due in {period}: {missing} missing past their deadline; "
        "{awaiting} awaiting sign-off (of {owed} owed)",
    },
    "status_link": {
        "vi": "Danh sách đơn vị chưa nộp",
        "en": "Units still to report",
    },
    # the countdown per deadline on the reports page
    "countdown_title": {
        "vi": "Đơn vị chưa nộp báo cáo theo hạn, năm {year} — {place} ({n})",
        "en": "Units still to report, by deadline, {year} — {place} ({n})",
    },
    "countdown_none": {
        "vi": "Mọi báo cáo có hạn trong năm đã được nộp.",
        "en": "Every report due in the year has been sent.",
    },
    "countdown_deadline": {
        "vi": "{report} {year} — hạn {due} ({rule})",
        "en": "{report} {year} — due {due} ({rule})",
    },
    "countdown_left": {"vi": "còn {n} ngày", "en": "{n} days left"},
    "countdown_today": {"vi": "hạn hôm nay", "en": "due today"},
    "countdown_overdue": {"vi": "quá hạn {n} ngày", "en": "{n} days overdue"},
    "countdown_xlsx": {"vi": "Tải Excel", "en": "Download Excel"},
    "countdown_more": {
        "vi": "Hiển thị {shown} trên {n} dòng; tệp Excel có đủ.",
        "en": "Showing {shown} of {n} rows; the Excel file has them all.",
    },
    "countdown_col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "countdown_col_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "countdown_col_report": {"vi": "Báo cáo", "en": "Report"},
    "countdown_col_due": {"vi": "Hạn nộp", "en": "Due"},
    "countdown_col_days": {"vi": "Còn lại / quá hạn", "en": "Left / overdue"},
    "countdown_col_days_number": {
        "vi": "Số ngày còn lại (âm: quá hạn)",
        "en": "Days left (negative: overdue)",
    },
    "countdown_col_office": {"vi": "Cơ quan liên hệ", "en": "Office to contact"},
    "countdown_sheet": {"vi": "Chưa nộp", "en": "Still to report"},
    "countdown_file_title": {
        "vi": "Đơn vị chưa nộp báo cáo theo hạn, năm {year} — {place}",
        "en": "Units still to report, by deadline, {year} — {place}",
    },
    "countdown_file_as_of": {
        "vi": "Tính đến {at} (giờ Việt Nam); cơ quan liên hệ: cơ quan nhận và phê "
        "duyệt báo cáo",
        "en": "As of {at} (Viet Nam time); office to contact: the office that "
        "receives and signs off the report",
    },
    "countdown_file_total": {"vi": "Tổng số: {n} báo cáo", "en": "Total: {n} reports"},
    "countdown_bad_year": {
        "vi": "Năm không hợp lệ: “{value}” (cần 4 chữ số, ví dụ year=2024).",
        "en": "Not a year: “{value}” (4 digits, e.g. year=2024).",
    },
}
