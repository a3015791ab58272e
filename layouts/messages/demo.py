"""The demo data of a province: the refusal to import into it, what clearing it
removes (data.demo.clear), the command line's and the import page's words."""

from __future__ import annotations

DEMO_MESSAGES: dict[str, dict[str, str]] = {
    # problems (data.fact_import, data.demo.clear)
    "demo_held": {
        "vi": "{province} ({tree} {code}) vẫn còn dữ liệu mẫu: số liệu thật "
        "không được nhập lẫn với dữ liệu mẫu. Hãy xoá dữ liệu mẫu của tỉnh trước "
        "(trang Nhập số liệu: nút “Xoá dữ liệu mẫu của tỉnh”, hoặc lệnh "
        "“python -m dashboard clear-demo --province {code} --tree {tree}”), rồi "
        "nhập lại tệp.",
        "en": "{province} ({tree} {code}) still holds demo data: real "
        "figures may not be mixed with it. Clear the province's demo data first "
        "(the import page's button “Clear the demo data of the province”, or "
        "“python -m dashboard clear-demo --province {code} --tree {tree}”), then "
        "import the file again.",
    },
    "demo_not_held": {
        "vi": "Tỉnh {province} ({tree} {code}) không còn dữ liệu mẫu; không có gì "
        "để xoá.",
        "en": "The province {province} ({tree} {code}) holds no demo data; there is "
        "nothing to clear.",
    },
    "demo_province_unknown": {
        "vi": "Không có tỉnh mã {code} trên cây đơn vị {tree}.",
        "en": "No province with the code {code} on the {tree} tree.",
    },
    "demo_clear_role": {
        "vi": "Chỉ quản trị viên và cấp tỉnh được xoá dữ liệu mẫu của tỉnh.",
        "en": "Only administrators and the province may clear a province's demo data.",
    },
    # the tables, as the counts name them
    "demo_table_child_friendly_score": {
        "vi": "Điểm chấm tiêu chí xã phù hợp với trẻ em",
        "en": "Child-friendly criterion scores",
    },
    "demo_table_child_friendly_assessment": {
        "vi": "Kết quả đánh giá xã phù hợp với trẻ em",
        "en": "Child-friendly assessments",
    },
    "demo_table_fund_contribution": {
        "vi": "Khoản vận động Quỹ bảo trợ trẻ em",
        "en": "Child fund bookings",
    },
    "demo_table_fund_target": {
        "vi": "Chỉ tiêu vận động Quỹ",
        "en": "Child fund targets",
    },
    "demo_table_incident": {
        "vi": "Vụ việc xâm hại, tai nạn thương tích (không có mã vụ việc)",
        "en": "Abuse and injury cases (without a case reference)",
    },
    "demo_table_report_approval": {
        "vi": "Bước phê duyệt báo cáo",
        "en": "Report sign-off steps",
    },
    "demo_table_report_figure": {
        "vi": "Số liệu trong báo cáo",
        "en": "Report figures",
    },
    "demo_table_report_submission": {
        "vi": "Báo cáo đã gửi (không kèm tệp)",
        "en": "Report submissions (without a file)",
    },
    "demo_table_indicator_value": {
        "vi": "Giá trị chỉ tiêu kế hoạch",
        "en": "Plan indicator values",
    },
    "demo_table_indicator_target": {
        "vi": "Mục tiêu chỉ tiêu kế hoạch",
        "en": "Plan indicator targets",
    },
    "demo_count_row": {"vi": "  {table}: {n:,}", "en": "  {table}: {n:,}"},
    # the command line
    "demo_clear_will": {
        "vi": "Xoá dữ liệu mẫu của tỉnh {province} ({tree} {code}) sẽ xoá "
        "{total:,} dòng:",
        "en": "Clearing the demo data of {province} ({tree} {code}) removes "
        "{total:,} rows:",
    },
    "demo_clear_dry": {
        "vi": "Chưa xoá gì. Chạy lại với --yes để xoá.",
        "en": "Nothing removed yet. Run again with --yes to remove them.",
    },
    "demo_cleared": {
        "vi": "Đã xoá dữ liệu mẫu của tỉnh {province} ({tree} {code}): {total:,} "
        "dòng. Tỉnh có thể nhập số liệu của mình.",
        "en": "Cleared the demo data of {province} ({tree} {code}): {total:,} rows. "
        "The province may import its own data.",
    },
    # the import page
    "demo_clear_title": {
        "vi": "Tỉnh {province} vẫn còn dữ liệu mẫu",
        "en": "{province} still holds demo data",
    },
    "demo_clear_intro": {
        "vi": "Trước khi nhập số liệu thật, cần xoá dữ liệu mẫu của tỉnh. Sẽ xoá "
        "{total:,} dòng:",
        "en": "Before importing real figures, the province's demo data must be "
        "cleared. This removes {total:,} rows:",
    },
    "demo_clear_button": {
        "vi": "Xoá dữ liệu mẫu của tỉnh {province}",
        "en": "Clear the demo data of {province}",
    },
    "demo_clear_confirm": {
        "vi": "Xoá vĩnh viễn {total:,} dòng dữ liệu mẫu của tỉnh {province}? Số liệu "
        "đã nhập (vụ việc có mã, báo cáo kèm tệp) được giữ nguyên.",
        "en": "Permanently remove {total:,} rows of demo data of {province}? "
        "Imported figures (cases with a reference, reports with a file) are kept.",
    },
    "demo_clear_done": {
        "vi": "Đã xoá {total:,} dòng dữ liệu mẫu của tỉnh {province}. Hãy tải tệp "
        "lên lại để kiểm tra và nhập.",
        "en": "Removed {total:,} rows of demo data of {province}. Upload the file "
        "again to check and import it.",
    },
    "demo_clear_ask_province": {
        "vi": "Tỉnh {province} vẫn còn dữ liệu mẫu. Hãy đề nghị cấp tỉnh (hoặc quản "
        "trị viên) xoá dữ liệu mẫu của tỉnh trước khi nhập số liệu.",
        "en": "{province} still holds demo data. Ask the province (or an "
        "administrator) to clear the province's demo data before importing.",
    },
}
