"""The tables page and its exports.

The five tables (``data/tables/spec.py`` keeps their keys, kinds and widths)
have their words here, rendered by ``layouts.tables_page``:

- ``table_<table>``: the table's title (the page's table list, an export's
  first line);
- ``sheet_<table>``: the short name of its workbook sheet;
- ``column_<table>_<column>``: a column's header;
- ``column_unit_<column>``: the headers of the unit columns every table begins
  with (``code``, ``unit``, ``parent``);
- ``column_criterion``: the header of a QĐ 06 criterion's column, from the
  criterion's code and name (data/vocabulary.py).
"""

from __future__ import annotations

TABLES_MESSAGES: dict[str, dict[str, str]] = {
    # tables page and exports
    "tables_link": {"vi": "Bảng số liệu", "en": "Tables"},
    "tables_title": {"vi": "Bảng số liệu", "en": "Data tables"},
    "tables_table": {"vi": "Bảng", "en": "Table"},
    "tables_unit": {"vi": "Địa bàn", "en": "Area"},
    "tables_type": {"vi": "Loại", "en": "Type"},
    "tables_status": {"vi": "Tình trạng", "en": "Status"},
    "tables_all": {"vi": "Tất cả", "en": "All"},
    "tables_rows": {"vi": "{n} dòng", "en": "{n} rows"},
    "tables_rows_none": {
        "vi": "0 dòng: bảng này chưa có số liệu cho kỳ và địa bàn đã chọn. Hãy chọn "
        "kỳ khác (năm gần nhất có số liệu) hoặc bỏ bớt bộ lọc.",
        "en": "0 rows: this table has no figures for the chosen period and area. "
        "Choose another period (the latest year with figures) or clear filters.",
    },
    "tables_sums": {"vi": "Tổng các dòng: {items}", "en": "Total of the rows: {items}"},
    "tables_rows_filtered": {
        "vi": "{n} dòng (đã lọc theo cột)",
        "en": "{n} rows (column filters applied)",
    },
    "tables_export_xlsx": {"vi": "Tải Excel (.xlsx)", "en": "Download Excel (.xlsx)"},
    "tables_export_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "tables_export_all": {
        "vi": "Tải tất cả các bảng (.xlsx)",
        "en": "Download every table (.xlsx)",
    },
    "tables_export_note": {
        "vi": "Tệp tải về gồm đúng các dòng đang hiển thị: bộ lọc trên, bộ lọc "
        "và thứ tự sắp xếp của từng cột. Bảng lớn được ghi dần, có thể mất một lúc.",
        "en": "The file holds exactly the rows shown: the filters above and each "
        "column's filter and sort. Large tables are written as they are read and "
        "may take a while.",
    },
    "tables_export_job": {
        "vi": "Chuẩn bị tệp Excel (chạy nền)",
        "en": "Prepare the Excel file (in the background)",
    },
    "tables_job_running": {
        "vi": "Đang ghi tệp Excel: {done} / {total} dòng",
        "en": "Writing the Excel file: {done} of {total} rows",
    },
    "tables_job_done": {
        "vi": "Tệp Excel đã sẵn sàng ({n} dòng):",
        "en": "The Excel file is ready ({n} rows):",
    },
    "tables_job_download": {"vi": "Tải tệp Excel", "en": "Download the Excel file"},
    "jobs_waiting": {
        "vi": "Đang chờ đến lượt: tệp sẽ được tạo khi tiến trình chạy nền nhận việc…",
        "en": "Waiting its turn: the file is built once the background worker "
        "takes it…",
    },
    "jobs_no_worker": {
        "vi": "không có tiến trình chạy nền nào nhận việc trong một giờ",
        "en": "no background worker took it within an hour",
    },
    "jobs_too_many": {
        "vi": "Chưa bắt đầu: bạn đang có {running} tệp đang được tạo (mỗi người tối "
        "đa {limit} tệp cùng lúc). Hãy chờ tệp đó xong, hoặc hủy nó, rồi thử lại.",
        "en": "Not started: you already have {running} file(s) being built (at most "
        "{limit} at once per person). Wait for it to finish, or cancel it, and try "
        "again.",
    },
    "tables_job_cancel": {"vi": "Hủy", "en": "Cancel"},
    "tables_job_cancelled": {
        "vi": "Đã hủy bản xuất; không có tệp nào được giữ lại.",
        "en": "The export was cancelled; no file was kept.",
    },
    "tables_job_failed": {
        "vi": "Không ghi được tệp Excel ({reason}). Hãy thử lại hoặc tải CSV.",
        "en": "The Excel file could not be written ({reason}). Try again or "
        "download the CSV.",
    },
    "tables_large": {
        "vi": "Bảng lớn: tệp Excel được ghi ở chế độ chạy nền (khoảng 7.000 dòng "
        "mỗi giây), CSV tải dần ngay.",
        "en": "A large table: the Excel file is written in the background (about "
        "7,000 rows a second); the CSV streams at once.",
    },
    "tables_restricted": {
        "vi": "Số vụ xâm hại được làm nhiễu nhẹ (±2); dòng xâm hại dưới 5 (kể cả 0) "
        "không liệt kê; xâm hại không chia theo hình thức, giới tính, nhóm tuổi với "
        "vai trò của bạn.",
        "en": "Abuse counts carry small noise (±2); abuse rows under 5 (0 included) "
        "are not listed; abuse is not broken down by type, sex or age band for your "
        "role.",
    },
    "tables_not_for_viewer": {
        "vi": "Vai trò xem tại phòng họp không xem và không tải được bảng số liệu.",
        "en": "The meeting-room role cannot see or download data tables.",
    },
    "tables_scorecard_year": {
        "vi": "Chỉ tiêu kế hoạch theo năm của kỳ đã chọn.",
        "en": "Plan targets are yearly: the year of the chosen period.",
    },
    "export_filters": {
        "vi": "Bộ lọc: địa bàn {unit}; kỳ {period}; loại: {type}; tình trạng: {status}",
        "en": "Filters: area {unit}; period {period}; type: {type}; status: {status}",
    },
    "export_column_filters": {
        "vi": "Lọc theo cột: {text}",
        "en": "Column filters: {text}",
    },
    "export_sort": {"vi": "Sắp xếp: {text}", "en": "Sorted by: {text}"},
    "export_scope": {
        "vi": "Người xuất: {name} ({role}); phạm vi: {area}",
        "en": "Exported by: {name} ({role}); scope: {area}",
    },
    "export_scope_all": {"vi": "toàn bộ dữ liệu", "en": "all data"},
    "export_scope_area": {
        "vi": "các xã thuộc {area} và số liệu tổng hợp",
        "en": "communes of {area} and aggregate figures",
    },
    "export_as_of": {
        "vi": "Số liệu tính đến: {as_of} (giờ Việt Nam); xuất lúc {now}",
        "en": "Data as of: {as_of} (Viet Nam time); exported at {now}",
    },
    "export_demo": {
        "vi": "DỮ LIỆU MẪU (demo), không phải số liệu thật",
        "en": "DEMO DATA, not real figures",
    },
    "export_total": {"vi": "Tổng số dòng: {n}", "en": "Total rows: {n}"},
    "export_unknown": {"vi": "không rõ", "en": "unknown"},
    "export_bad_request": {
        "vi": "Không xuất được: {reason}",
        "en": "Cannot export: {reason}",
    },
    "export_bad_field": {
        "vi": "Không xuất được: tham số “{field}” ({label}) của đường dẫn không hợp "
        "lệ: {value}.",
        "en": "Cannot export: the link's “{field}” parameter ({label}) is not "
        "acceptable: {value}.",
    },
    "export_bad_json": {
        "vi": "Không xuất được: không đọc được tham số “filter” (bộ lọc cột) hoặc "
        "“sort” (sắp xếp) của đường dẫn (không phải JSON hợp lệ).",
        "en": "Cannot export: the link's “filter” (column filters) or “sort” "
        "parameter cannot be read (not valid JSON).",
    },
    "export_bad_column": {"vi": "Cột: {column}.", "en": "Column: {column}."},
    "export_bad_hint": {
        "vi": "Hãy mở lại trang Bảng số liệu và tải tệp từ đó.",
        "en": "Open the tables page again and download the file from there.",
    },
    "export_field_empty": {"vi": "để trống", "en": "empty"},
    "export_field_unit": {"vi": "đơn vị", "en": "unit"},
    "export_field_period": {"vi": "kỳ", "en": "period"},
    "export_field_type": {"vi": "hình thức / loại", "en": "type"},
    "export_field_status": {"vi": "tình trạng", "en": "status"},
    "export_field_filter": {"vi": "bộ lọc cột", "en": "column filter"},
    "export_field_sort": {"vi": "sắp xếp", "en": "sort order"},
    "export_asc": {"vi": "tăng dần", "en": "ascending"},
    "export_desc": {"vi": "giảm dần", "en": "descending"},
    "op_contains": {"vi": "chứa", "en": "contains"},
    "op_notContains": {"vi": "không chứa", "en": "does not contain"},
    "op_equals": {"vi": "bằng", "en": "equals"},
    "op_notEqual": {"vi": "khác", "en": "is not"},
    "op_startsWith": {"vi": "bắt đầu bằng", "en": "starts with"},
    "op_endsWith": {"vi": "kết thúc bằng", "en": "ends with"},
    "op_blank": {"vi": "để trống", "en": "is blank"},
    "op_notBlank": {"vi": "không trống", "en": "is not blank"},
    "op_greaterThan": {"vi": "lớn hơn", "en": "greater than"},
    "op_greaterThanOrEqual": {"vi": "từ", "en": "at least"},
    "op_lessThan": {"vi": "nhỏ hơn", "en": "less than"},
    "op_lessThanOrEqual": {"vi": "đến", "en": "at most"},
    "op_inRange": {"vi": "trong khoảng", "en": "between"},
    "op_AND": {"vi": "và", "en": "and"},
    "op_OR": {"vi": "hoặc", "en": "or"},
    # the five tables (data/tables/spec.py; the key scheme above)
    "column_unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "column_unit_unit": {"vi": "Đơn vị", "en": "Unit"},
    "column_unit_parent": {"vi": "Thuộc", "en": "Part of"},
    # child_friendly
    "table_child_friendly": {
        "vi": "Đánh giá xã, phường, thị trấn phù hợp với trẻ em",
        "en": "Child-friendly commune assessments",
    },
    "sheet_child_friendly": {"vi": "Xã phù hợp trẻ em", "en": "Child-friendly"},
    "column_child_friendly_round_date": {"vi": "Kỳ đánh giá", "en": "Assessment round"},
    "column_child_friendly_regime": {"vi": "Quy định áp dụng", "en": "Regulation"},
    "column_child_friendly_status": {"vi": "Kết quả", "en": "Result"},
    "column_child_friendly_total_score": {"vi": "Tổng điểm", "en": "Total score"},
    "column_child_friendly_threshold": {"vi": "Điểm chuẩn", "en": "Threshold"},
    "column_child_friendly_zero_criterion": {
        "vi": "Có tiêu chí 0 điểm",
        "en": "A criterion at 0",
    },
    "column_child_friendly_decided_on": {"vi": "Ngày quyết định", "en": "Decided on"},
    "column_child_friendly_contradicts_scores": {
        "vi": "Quyết định khác với điểm chấm",
        "en": "Decision differs from the scores",
    },
    # fund
    "table_fund": {
        "vi": "Vận động Quỹ Bảo trợ trẻ em theo đơn vị, tháng và hình thức",
        "en": "Child protection fund by unit, month and kind",
    },
    "sheet_fund": {"vi": "Quỹ Bảo trợ trẻ em", "en": "Fund"},
    "column_fund_level": {"vi": "Cấp", "en": "Level"},
    "column_fund_month": {"vi": "Tháng", "en": "Month"},
    "column_fund_kind": {"vi": "Hình thức", "en": "Kind"},
    "column_fund_origin": {"vi": "Nguồn tiền", "en": "Origin"},
    "column_fund_transfer_from": {"vi": "Chuyển từ quỹ của", "en": "Transferred from"},
    "column_fund_contributions": {"vi": "Số lượt đóng góp", "en": "Contributions"},
    "column_fund_amount": {"vi": "Số tiền (đồng)", "en": "Amount (đồng)"},
    "column_fund_counted": {
        "vi": "Tính vào tổng địa bàn (đồng)",
        "en": "Counted in the area's total (đồng)",
    },
    # incidents
    "table_incidents": {
        "vi": "Vụ việc xâm hại và tai nạn thương tích trẻ em (tổng hợp)",
        "en": "Abuse and injury cases (aggregated)",
    },
    "sheet_incidents": {"vi": "Vụ việc", "en": "Cases"},
    "column_incidents_month": {"vi": "Tháng", "en": "Month"},
    "column_incidents_category": {"vi": "Nhóm", "en": "Category"},
    "column_incidents_type": {"vi": "Loại", "en": "Type"},
    "column_incidents_sex": {"vi": "Giới tính", "en": "Sex"},
    "column_incidents_age_band": {"vi": "Nhóm tuổi", "en": "Age band"},
    "column_incidents_count": {"vi": "Số vụ", "en": "Cases"},
    # reports
    "table_reports": {
        "vi": "Tình hình gửi báo cáo định kỳ",
        "en": "Periodic report submissions",
    },
    "sheet_reports": {"vi": "Báo cáo", "en": "Reports"},
    "column_reports_report": {"vi": "Báo cáo", "en": "Report"},
    "column_reports_period_start": {"vi": "Kỳ báo cáo từ", "en": "Period from"},
    "column_reports_period_end": {"vi": "Kỳ báo cáo đến", "en": "Period to"},
    "column_reports_due_date": {"vi": "Hạn gửi", "en": "Due date"},
    "column_reports_due_rule": {"vi": "Quy định hạn", "en": "Deadline rule"},
    "column_reports_submitted_at": {
        "vi": "Thời điểm gửi (giờ Việt Nam)",
        "en": "Submitted at (Viet Nam time)",
    },
    "column_reports_status": {"vi": "Tình trạng", "en": "Status"},
    "column_reports_days_late": {"vi": "Số ngày chậm", "en": "Days late"},
    "column_reports_filed_by": {"vi": "Đơn vị nộp thay", "en": "Filed by"},
    "column_reports_basis": {"vi": "Căn cứ", "en": "Basis"},
    "column_reports_versions": {"vi": "Số lần gửi", "en": "Versions sent"},
    "column_reports_sign_off": {"vi": "Phê duyệt", "en": "Sign-off"},
    # scorecard
    "table_scorecard": {
        "vi": "Kết quả thực hiện chỉ tiêu kế hoạch",
        "en": "Plan-target scorecard",
    },
    "sheet_scorecard": {"vi": "Chỉ tiêu kế hoạch", "en": "Plan targets"},
    "column_scorecard_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "column_scorecard_year": {"vi": "Năm", "en": "Year"},
    "column_scorecard_direction": {"vi": "Chiều tốt", "en": "Better when"},
    "column_scorecard_target": {"vi": "Chỉ tiêu kế hoạch", "en": "Target"},
    "column_scorecard_value": {"vi": "Kết quả", "en": "Value"},
    "column_scorecard_measure": {"vi": "Đơn vị tính", "en": "Measure"},
    "column_scorecard_met": {"vi": "Đánh giá", "en": "Assessment"},
    "column_criterion": {"vi": "{code}. {name}", "en": "{code}. {name}"},
}
