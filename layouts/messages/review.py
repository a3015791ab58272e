"""The quarterly review's strings (presentation view and deck), Vietnamese first;
merged into ``layouts.messages.MESSAGES``."""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, dict[str, str]] = {
    "review_nav": {"vi": "Họp giao ban quý", "en": "Quarterly review"},
    "review_page_title": {
        "vi": "Sơ kết công tác bảo vệ, chăm sóc trẻ em",
        "en": "Quarterly review of child protection and care",
    },
    "review_title": {
        "vi": "Sơ kết công tác trẻ em {quarter}",
        "en": "Child protection review, {quarter}",
    },
    "review_quarter": {"vi": "Quý", "en": "Quarter"},
    "review_province": {"vi": "Tỉnh", "en": "Province"},
    "review_source": {
        "vi": "Nguồn: hệ thống theo dõi công tác bảo vệ, chăm sóc trẻ em",
        "en": "Source: child protection and care monitoring system",
    },
    "review_data_as_of": {"vi": "Số liệu đến {stamp}", "en": "Data as of {stamp}"},
    "review_demo": {"vi": "DỮ LIỆU MẪU", "en": "DEMO DATA"},
    "review_demo_long": {
        "vi": "DỮ LIỆU MẪU: số liệu do máy tạo để trình diễn, không phải số liệu thật",
        "en": "DEMO DATA: generated for demonstration, not real figures",
    },
    "review_as_of": {"vi": "Tính đến ngày {day}", "en": "As of {day}"},
    "review_ytd": {"vi": "từ đầu năm đến {day}", "en": "year to {day}"},
    "review_ytd_short": {"vi": "Lũy kế {year}", "en": "YTD {year}"},
    "review_key_child_friendly": {
        "vi": "xã, phường, thị trấn được công nhận phù hợp với trẻ em",
        "en": "of communes recognised child-friendly",
    },
    "review_key_fund": {
        "vi": "chỉ tiêu năm đã huy động ({ytd})",
        "en": "of the year's target mobilised ({ytd})",
    },
    "review_key_incidents": {
        "vi": "vụ xâm hại và tai nạn thương tích trẻ em trong {quarter}",
        "en": "abuse and injury cases in {quarter}",
    },
    "review_key_timeliness": {
        "vi": "báo cáo đến hạn trong {quarter} được gửi đúng hạn",
        "en": "of the reports due in {quarter} sent on time",
    },
    "review_legend_child_friendly": {
        "vi": "Tỷ lệ xã được công nhận (%)",
        "en": "Communes recognised (%)",
    },
    "review_legend_fund_amount": {
        "vi": "Quỹ: đã huy động, triệu đồng (lũy kế; chưa có chỉ tiêu)",
        "en": "Fund: raised, million VND (YTD; no targets set)",
    },
    "review_legend_fund": {
        "vi": "Quỹ: % chỉ tiêu năm (lũy kế)",
        "en": "Fund: % of annual target (YTD)",
    },
    "review_legend_incidents": {
        "vi": "Số vụ / 100.000 trẻ em trong quý",
        "en": "Cases per 100,000 children in the quarter",
    },
    "review_legend_timeliness": {
        "vi": "Báo cáo đúng hạn (%)",
        "en": "Reports on time (%)",
    },
    "review_fund_title": {
        "vi": "Vận động Quỹ Bảo trợ trẻ em – {quarter}",
        "en": "Child Protection Fund – {quarter}",
    },
    "review_fund_big": {
        "vi": "đã huy động, chỉ tiêu năm {target}",
        "en": "mobilised, annual target {target}",
    },
    "review_fund_quarter": {
        "vi": "Huy động trong quý: {amount}",
        "en": "Mobilised in the quarter: {amount}",
    },
    "review_fund_pace": {
        "vi": "Tiến độ so với kế hoạch theo thời gian: {pace}",
        "en": "Pace against the straight-line plan: {pace}",
    },
    "review_fund_projection_line": {
        "vi": "Dự báo cả năm theo tiến độ hiện nay: {amount}",
        "en": "Whole-year projection at this pace: {amount}",
    },
    "review_fund_last_year_line": {
        "vi": "Cùng kỳ năm trước: {amount}",
        "en": "Same period last year: {amount}",
    },
    "review_fund_raised": {"vi": "Đã huy động", "en": "Mobilised"},
    "review_fund_expected": {"vi": "Theo tiến độ", "en": "On pace"},
    "review_fund_projection": {"vi": "Dự báo cả năm", "en": "Projection"},
    "review_fund_target": {"vi": "Chỉ tiêu năm", "en": "Annual target"},
    "review_fund_last_year": {
        "vi": "Cùng kỳ năm trước",
        "en": "Last year, same period",
    },
    "review_billion": {"vi": "tỷ đồng", "en": "billion VND"},
    "review_incidents_title": {
        "vi": "Xâm hại và tai nạn thương tích trẻ em – {quarter}",
        "en": "Child abuse and injury – {quarter}",
    },
    "review_no_reports_due": {
        "vi": "Theo lịch báo cáo, không có báo cáo nào đến hạn trong quý này.",
        "en": "By the reporting calendar no report falls due in this quarter.",
    },
    "review_no_data": {
        "vi": "Chưa có số liệu của các đơn vị cho quý này.",
        "en": "No figures of the units for this quarter yet.",
    },
    "review_same_period": {
        "vi": "So với cùng kỳ năm trước",
        "en": "Against the same period last year",
    },
    "review_rounded": {
        "vi": 'Số vụ xâm hại được làm nhiễu nhẹ (±2); "<5": dưới 5, kể cả 0',
        "en": 'Abuse counts carry small noise (±2); "<5": under 5, 0 included',
    },
    "review_abuse_all": {"vi": "Xâm hại (mọi hình thức)", "en": "Abuse (all forms)"},
    "review_type": {"vi": "Loại vụ việc", "en": "Type"},
    "review_abuse_type": {"vi": "Xâm hại: {name}", "en": "Abuse: {name}"},
    "review_injury_type": {"vi": "TNTT: {name}", "en": "Injury: {name}"},
    "review_incidents_table_title": {
        "vi": "Vụ việc theo loại – {quarter} và cùng kỳ",
        "en": "Cases by type – {quarter} and the same period last year",
    },
    "review_category_line": {
        "vi": "{category}: {now} vụ (cùng kỳ {before}); lũy kế {ytd} "
        "(cùng kỳ {ytd_before})",
        "en": "{category}: {now} cases (last year {before}); YTD {ytd} "
        "(last year {ytd_before})",
    },
    "review_province_targets": {"vi": "Tỉnh", "en": "Province"},
    "review_units_met": {"vi": "Các huyện đạt", "en": "Districts met"},
    "review_met_of": {"vi": "{met}/{total}", "en": "{met} of {total}"},
    "review_change": {"vi": "Tăng/giảm", "en": "Change"},
    "review_timeliness_title": {
        "vi": "Tình hình gửi báo cáo – {quarter}",
        "en": "Report timeliness – {quarter}",
    },
    "review_on_time": {"vi": "báo cáo gửi đúng hạn", "en": "of reports on time"},
    "review_received": {
        "vi": "Tỷ lệ báo cáo (đã nhận/phải nộp): {share} ({received}/{expected})",
        "en": "Reporting rate (received/expected): {share} ({received}/{expected})",
    },
    "review_overdue_count": {
        "vi": "Còn {count} báo cáo quá hạn chưa gửi",
        "en": "{count} reports overdue, not yet sent",
    },
    "review_part_of": {"vi": "Thuộc", "en": "Part of"},
    "review_ranking_title": {
        "vi": "Xếp hạng các huyện – {quarter}",
        "en": "District ranking – {quarter}",
    },
    "review_ranking_note": {
        "vi": "Điểm tổng hợp 4 tiêu chí; ▲▼: thay đổi thứ hạng so với quý trước",
        "en": "Composite of four components; ▲▼: places moved since the quarter before",
    },
    "review_composite": {"vi": "Điểm", "en": "Score"},
    "review_movement": {"vi": "Thay đổi", "en": "Movement"},
    "review_scorecard_title": {
        "vi": "Kết quả thực hiện chỉ tiêu kế hoạch năm {year}",
        "en": "Plan targets {year}",
    },
    "review_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "review_target": {"vi": "Kế hoạch", "en": "Target"},
    "review_value": {"vi": "Kết quả", "en": "Value"},
    "review_result": {"vi": "Đánh giá", "en": "Assessment"},
    "review_no_targets": {
        "vi": "Chưa có chỉ tiêu kế hoạch cho năm này",
        "en": "No plan targets for this year",
    },
    "review_points_title": {
        "vi": "Những vấn đề cần chỉ đạo",
        "en": "Points needing direction",
    },
    "review_no_points": {
        "vi": "Không có vấn đề nổi bật trong kỳ",
        "en": "Nothing stands out this period",
    },
    "point_cases_up": {
        "vi": "{type}: {now} vụ, tăng so với cùng kỳ ({before} vụ)",
        "en": "{type}: {now} cases, up from {before} in the same period last year",
    },
    "point_rank_down": {
        "vi": "{name} tụt {places} bậc trong xếp hạng (nay hạng {rank})",
        "en": "{name} fell {places} places in the ranking (now {rank})",
    },
    "point_late_reports": {
        "vi": "{name}: chỉ {share} báo cáo đúng hạn",
        "en": "{name}: only {share} of reports on time",
    },
    "point_overdue": {
        "vi": "{count} báo cáo đến hạn trong quý vẫn chưa gửi",
        "en": "{count} reports due in the quarter still not sent",
    },
    "point_fund_slow": {
        "vi": "Quỹ Bảo trợ trẻ em đạt {pace} tiến độ; dự báo cả năm {projection} "
        "so với chỉ tiêu {target}",
        "en": "The fund is at {pace} of its pace; projection {projection} against "
        "a target of {target}",
    },
    "point_lost_cf": {
        "vi": "{count} xã, phường, thị trấn không còn được công nhận "
        "phù hợp với trẻ em",
        "en": "{count} communes lost their child-friendly recognition",
    },
    "point_targets_missed": {
        "vi": "{count} chỉ tiêu kế hoạch của tỉnh và các huyện chưa đạt",
        "en": "{count} plan targets of the province and its districts not met",
    },
    "review_prev": {"vi": "‹ Trước", "en": "‹ Previous"},
    "review_next": {"vi": "Tiếp ›", "en": "Next ›"},
    "review_keys": {
        "vi": "Phím ← → (hoặc PageUp/PageDown) để chuyển trang; F để toàn màn hình",
        "en": "Keys ← → (or PageUp/PageDown) to move; F for full screen",
    },
    "review_back": {"vi": "Về bản đồ", "en": "Back to the map"},
    "review_export_pptx": {"vi": "Tải PowerPoint", "en": "Download PowerPoint"},
    "review_export_pdf": {"vi": "Tải PDF", "en": "Download PDF"},
    "review_export_cancel": {"vi": "Hủy", "en": "Cancel"},
    "review_export_running": {
        "vi": "Đang tạo tệp… {percent}%",
        "en": "Building the file… {percent}%",
    },
    "review_export_ready": {"vi": "Tệp đã sẵn sàng: ", "en": "The file is ready: "},
    "review_export_download": {"vi": "tải xuống", "en": "download"},
    "review_export_cancelled": {"vi": "Đã hủy.", "en": "Cancelled."},
    "review_export_failed": {
        "vi": "Không tạo được tệp: {reason}",
        "en": "The file could not be built: {reason}",
    },
    "review_no_province": {
        "vi": "Chưa có tỉnh nào để sơ kết.",
        "en": "No province to review.",
    },
    "review_funnel_title": {
        "vi": "Vụ việc / 100.000 trẻ em: đơn vị nào khác thường thật sự – {quarter}",
        "en": "Cases per 100,000 children: which units are truly unusual – {quarter}",
    },
    "review_funnel_subtitle": {
        "vi": "Biểu đồ phễu quanh tỷ lệ chung của {name} ({rate}); chấm trong phễu: "
        "khác biệt do ngẫu nhiên",
        "en": "Funnel plot around the rate of {name} ({rate}); dots inside the "
        "funnel: differences by chance",
    },
    "review_funnel_all_within": {
        "vi": "Không đơn vị nào khác biệt rõ so với tỷ lệ chung.",
        "en": "No unit differs clearly from the overall rate.",
    },
}
