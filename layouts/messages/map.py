"""The map page: controls, themes, legends, hover templates, summary and detail.

Plotly hover templates are here too: ``%{...}`` are Plotly placeholders, ``{...}``
are filled in by ``t``."""

from __future__ import annotations

MAP_MESSAGES: dict[str, dict[str, str]] = {
    # controls
    "theme": {"vi": "Chủ đề", "en": "Theme"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "year": {"vi": "Năm", "en": "Year"},
    "period_year": {"vi": "Năm {year}", "en": "Year {year}"},
    "period_quarter": {"vi": "Quý {q}/{year}", "en": "Q{q} {year}"},
    "map_no_data_period": {
        "vi": "{period} chưa có số liệu {theme}. Kỳ gần nhất có số liệu: {latest} "
        "(chọn ở ô Kỳ).",
        "en": "{period} has no {theme} figures. The latest period with figures: "
        "{latest} (choose it under Period).",
    },
    "map_no_data_at_all": {
        "vi": "Chưa có số liệu {theme} cho kỳ nào. Hãy nhập số liệu hoặc chọn "
        "chủ đề khác.",
        "en": "No {theme} figures for any period yet. Load figures or choose "
        "another theme.",
    },
    "map_latest_with_data": {
        "vi": "Bản đồ mở ở {period}: kỳ gần nhất có số liệu {theme} "
        "(năm {year} chưa có).",
        "en": "The map opens on {period}: the latest period with {theme} figures "
        "({year} has none yet).",
    },
    "cf_no_round_since_reform": {
        "vi": "Chưa có đợt đánh giá xã, phường phù hợp với trẻ em nào sau sắp xếp "
        "đơn vị hành chính ngày 1/7/2025 (đợt gần nhất: {last}); đợt tiếp theo theo "
        "Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ: tháng {next}.",
        "en": "No child-friendly assessment round since the reorganisation of "
        "1 July 2025 (the latest: {last}); the next under "
        "Decision 06/QD-TTg of 3 January 2019 of the Prime Minister: {next}.",
    },
    "cf_last_round": {
        "vi": "Đợt đánh giá xã, phường phù hợp với trẻ em gần nhất: {last}; đợt "
        "tiếp theo theo Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ: "
        "tháng {next}.",
        "en": "The latest child-friendly assessment round: {last}; the next under "
        "Decision 06/QD-TTg of 3 January 2019 of the Prime Minister: {next}.",
    },
    "cf_no_round": {
        "vi": "Chưa có đợt đánh giá xã, phường phù hợp với trẻ em nào; đợt tiếp "
        "theo theo Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ: "
        "tháng {next}.",
        "en": "No child-friendly assessment round recorded; the next under "
        "Decision 06/QD-TTg of 3 January 2019 of the Prime Minister: {next}.",
    },
    "rank_components_missing": {
        "vi": "Chưa có số liệu cho kỳ này: {names}. Chỉ số tổng hợp tính từ "
        "{used}/{total} thành phần; chọn kỳ khác để có đủ {total}.",
        "en": "No figures for this period: {names}. The composite uses {used} of "
        "{total} components; choose another period for all {total}.",
    },
    "rank_change_against": {
        "vi": "Thay đổi thứ hạng so với {period}.",
        "en": "Rank change against {period}.",
    },
    "period_to_day": {"vi": "{period} đến ngày {day}", "en": "{period} to {day}"},
    "period_ytd": {
        "vi": "Từ đầu năm {year} đến {day}",
        "en": "{year} to date ({day})",
    },
    "category": {"vi": "Loại vụ việc", "en": "Incidents"},
    "category_both": {"vi": "Xâm hại và tai nạn", "en": "Abuse and injury"},
    "types": {"vi": "Hình thức / nguyên nhân", "en": "Types"},
    "types_all": {"vi": "Tất cả", "en": "All types"},
    "measure": {"vi": "Thể hiện", "en": "Show"},
    "measure_rate": {"vi": "Tỷ lệ / 100.000 trẻ em", "en": "Rate per 100,000 children"},
    "measure_count": {"vi": "Số vụ", "en": "Count"},
    "classes": {"vi": "Phân lớp", "en": "Classes"},
    "classes_equal": {"vi": "Khoảng đều", "en": "Equal intervals"},
    "classes_quantile": {"vi": "Phân vị", "en": "Quantiles"},
    # themes
    "theme_child_friendly": {
        "vi": "Xã, phường, thị trấn phù hợp với trẻ em",
        "en": "Child-friendly communes",
    },
    "theme_fund": {"vi": "Quỹ Bảo trợ trẻ em", "en": "Child Protection Fund"},
    "theme_incidents": {
        "vi": "Xâm hại, tai nạn thương tích",
        "en": "Abuse and injuries",
    },
    "theme_timeliness": {"vi": "Báo cáo đúng hạn", "en": "Reports on time"},
    # legend titles: {period} is the period label
    "legend_share": {
        "vi": "Tỷ lệ xã được công nhận (%) · {period}",
        "en": "Communes recognised (%) · {period}",
    },
    "legend_status": {
        "vi": "Tình trạng công nhận · {period}",
        "en": "Recognition status · {period}",
    },
    "legend_fund_pct": {
        "vi": "Huy động so với chỉ tiêu năm (%) · {period}",
        "en": "Mobilised vs annual target (%) · {period}",
    },
    "legend_fund_amount": {
        "vi": "Số tiền huy động (triệu đồng) · {period}",
        "en": "Amount mobilised (million VND) · {period}",
    },
    "legend_rate": {
        "vi": "{what}: số vụ / 100.000 trẻ em dưới 16 tuổi · {period}",
        "en": "{what}: cases per 100,000 children under 16 · {period}",
    },
    "legend_count": {
        "vi": "{what}: số vụ · {period}",
        "en": "{what}: number of cases · {period}",
    },
    "legend_timeliness": {
        "vi": "Tỷ lệ báo cáo đúng hạn (%) · {period}",
        "en": "Reports received on time (%) · {period}",
    },
    "no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    # hover templates (Plotly): customdata[0] is always the value shown; z is its
    # class on the map's legend
    "hover_share": {
        "vi": "<b>%{text}</b><br>%{customdata[0]:,.1f}% được công nhận"
        "<br>%{customdata[1]}/%{customdata[2]} xã<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]:,.1f}% recognised"
        "<br>%{customdata[1]} of %{customdata[2]} communes<extra></extra>",
    },
    "hover_status": {
        "vi": "<b>%{text}</b><br>%{customdata[0]}<br>Điểm: %{customdata[1]}"
        " (ngưỡng %{customdata[2]})<br>Tiêu chí 0 điểm: %{customdata[3]}"
        "<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]}<br>Score: %{customdata[1]}"
        " (threshold %{customdata[2]})<br>Criteria scored 0: %{customdata[3]}"
        "<extra></extra>",
    },
    # the last line of a fund or incident hover: where a unit's figures come from
    "hover_from_reports": {
        "vi": "<br><i>Gồm số liệu báo cáo đã nộp</i>",
        "en": "<br><i>Includes figures of submitted reports</i>",
    },
    "hover_from_unapproved": {
        "vi": "<br><i>Gồm số liệu báo cáo đã nộp, chưa phê duyệt</i>",
        "en": "<br><i>Includes figures of submitted reports not yet approved</i>",
    },
    "detail_from_unapproved": {
        "vi": "Gồm số liệu từ báo cáo đã nộp, chưa phê duyệt (nơi chưa có số liệu "
        "chi tiết)",
        "en": "Includes figures from submitted reports not yet approved (where no "
        "records exist)",
    },
    "detail_from_reports": {
        "vi": "Gồm số liệu từ báo cáo đã nộp (nơi chưa có số liệu chi tiết)",
        "en": "Includes figures from submitted reports (where no records exist)",
    },
    "hover_fund_pct": {
        "vi": "<b>%{text}</b><br>%{customdata[0]:,.1f}% chỉ tiêu năm"
        "<br>Tổng: %{customdata[1]:,.0f} đ<br>Tiền mặt: %{customdata[2]:,.0f} đ"
        "<br>Hiện vật: %{customdata[3]:,.0f} đ"
        "<br>Chương trình hỗ trợ: %{customdata[4]:,.0f} đ%{customdata[5]}<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]:,.1f}% of annual target"
        "<br>Total: %{customdata[1]:,.0f} VND<br>Cash: %{customdata[2]:,.0f} VND"
        "<br>In kind: %{customdata[3]:,.0f} VND"
        "<br>Support programmes: %{customdata[4]:,.0f} VND%{customdata[5]}<extra></extra>",
    },
    "hover_fund_amount": {
        "vi": "<b>%{text}</b><br>Tổng: %{customdata[1]:,.0f} đ"
        "<br>Tiền mặt: %{customdata[2]:,.0f} đ<br>Hiện vật: %{customdata[3]:,.0f} đ"
        "<br>Chương trình hỗ trợ: %{customdata[4]:,.0f} đ%{customdata[5]}<extra></extra>",
        "en": "<b>%{text}</b><br>Total: %{customdata[1]:,.0f} VND"
        "<br>Cash: %{customdata[2]:,.0f} VND<br>In kind: %{customdata[3]:,.0f} VND"
        "<br>Support programmes: %{customdata[4]:,.0f} VND%{customdata[5]}<extra></extra>",
    },
    "hover_rate": {
        "vi": "<b>%{text}</b><br>%{customdata[4]} vụ / 100.000 trẻ em%{customdata[5]}"
        "<br>Số vụ: %{customdata[1]}<br>Trẻ em dưới 16 tuổi: %{customdata[2]:,}"
        "%{customdata[3]}<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[4]} per 100,000 children"
        "%{customdata[5]}"
        "<br>Cases: %{customdata[1]}<br>Children under 16: %{customdata[2]:,}"
        "%{customdata[3]}<extra></extra>",
    },
    "hover_count": {
        "vi": "<b>%{text}</b><br>%{customdata[0]} vụ"
        "<br>Tỷ lệ: %{customdata[1]} / 100.000 trẻ em%{customdata[3]}"
        "%{customdata[2]}<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]} cases"
        "<br>Rate: %{customdata[1]} per 100,000 children%{customdata[3]}"
        "%{customdata[2]}<extra></extra>",
    },
    # the exact Poisson (Garwood) interval of a rate (data.uncertainty)
    "ci95": {
        "vi": "khoảng tin cậy 95%: {low}–{high}",
        "en": "95% CI: {low}–{high}",
    },
    "ci95_hidden": {
        "vi": "khoảng tin cậy 95%: {low}–{high} (số vụ xâm hại hiển thị <5: tính "
        "cho 0–4, tức cận trên 4)",
        "en": "95% CI: {low}–{high} (abuse shown as <5: computed for 0–4, i.e. "
        "its upper bound 4)",
    },
    "hover_timeliness": {
        "vi": "<b>%{text}</b><br>%{customdata[0]:,.1f}% đúng hạn"
        " (%{customdata[1]}/%{customdata[2]})<br>Trễ hạn: %{customdata[3]}"
        "<br>Chưa nộp: %{customdata[4]}<br>Tỷ lệ báo cáo (đã nhận/phải nộp): "
        "%{customdata[5]:,.1f}%<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]:,.1f}% on time (%{customdata[1]} of"
        " %{customdata[2]})<br>Late: %{customdata[3]}<br>Missing: %{customdata[4]}"
        "<br>Reporting rate (received of expected): %{customdata[5]:,.1f}%"
        "<extra></extra>",
    },
    # appended to every map hover of a unit whose edge was split by estimate
    "hover_edge_approximate": {
        "vi": "<br><i>Ranh giới ước tính một phần: xã cũ bị chia tách</i>",
        "en": "<br><i>Boundary partly estimated: a divided former commune</i>",
    },
    "hover_apportioned": {
        "vi": "<br><i>Số liệu trước 1/7/2025 của xã cũ bị chia được phân bổ theo tỷ "
        "lệ diện tích</i>",
        "en": "<br><i>Figures before 1 July 2025 of a divided former commune are "
        "apportioned by area share</i>",
    },
    "hover_no_data": {
        "vi": "<b>%{text}</b><br>Chưa có số liệu<extra></extra>",
        "en": "<b>%{text}</b><br>No data<extra></extra>",
    },
    "none": {"vi": "không", "en": "none"},
    "unit_million": {"vi": " triệu đ", "en": " million VND"},
    # summary card
    "summary_share": {
        "vi": "{recognised} trên {communes} xã, phường, thị trấn được công nhận",
        "en": "{recognised} of {communes} communes and wards recognised",
    },
    "summary_fund": {
        "vi": "Đã huy động {total} / chỉ tiêu {target}",
        "en": "Mobilised {total} of a {target} target",
    },
    "summary_fund_no_target": {
        "vi": "Đã huy động {total}",
        "en": "Mobilised {total}",
    },
    "fund_pace": {
        "vi": "Theo tiến độ đều, đến {day} cần đạt {expected} ({pace} so với tiến độ)",
        "en": "At an even pace {expected} were due by {day} ({pace} of pace)",
    },
    "fund_projection": {
        "vi": "Dự báo cả năm: {projection} ({pct} chỉ tiêu)",
        "en": "Projected for the year: {projection} ({pct} of target)",
    },
    "fund_by_kind": {
        "vi": "Tiền mặt {cash} · Hiện vật {in_kind} · Chương trình {programme}",
        "en": "Cash {cash} · In kind {in_kind} · Programmes {programme}",
    },
    # transfers between fund levels (data.metrics.fund): summary, detail, hover
    "fund_transfer_in": {
        "vi": "Trong đó nhận chuyển từ quỹ ngoài địa bàn: {amount}",
        "en": "Of which received from funds outside the area: {amount}",
    },
    "fund_transfer_within": {
        "vi": "Chuyển giữa các quỹ trong địa bàn: {amount} (không tính lại)",
        "en": "Moved between funds within the area: {amount} (not counted again)",
    },
    "summary_incidents": {
        "vi": "{count} vụ ({abuse} xâm hại, {injury} tai nạn thương tích)",
        "en": "{count} cases ({abuse} abuse, {injury} injury)",
    },
    "summary_rate": {
        "vi": "{rate} vụ / 100.000 trẻ em dưới 16 tuổi",
        "en": "{rate} per 100,000 children under 16",
    },
    "summary_timeliness": {
        "vi": "{on_time}/{expected} báo cáo đúng hạn · {late} trễ hạn · {missing} chưa nộp",
        "en": "{on_time} of {expected} on time · {late} late · {missing} missing",
    },
    "summary_received": {
        "vi": "Tỷ lệ báo cáo: {rate} (đã nhận {received}/{expected})",
        "en": "Reporting rate: {rate} ({received} of {expected} received)",
    },
    "summary_not_due": {
        "vi": "{n} báo cáo chưa đến hạn",
        "en": "{n} reports not yet due",
    },
    "ranking": {"vi": "Xếp theo giá trị", "en": "Ranked by value"},
    "col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "col_value": {"vi": "Giá trị", "en": "Value"},
    "click_hint_district": {
        "vi": "Bấm vào một huyện trên bản đồ để xem các xã.",
        "en": "Click a district on the map to see its communes.",
    },
    "summary_share_not_assessed": {
        "vi": "{communes} xã, phường chưa được đánh giá kể từ sắp xếp ngày 1/7/2025",
        "en": "{communes} communes not assessed since the 1 July 2025 reorganisation",
    },
    "cf_not_assessed_since_reform": {
        "vi": "Chưa được đánh giá kể từ sắp xếp ngày 1/7/2025",
        "en": "Not assessed since the 1 July 2025 reorganisation",
    },
    "click_hint_province": {
        "vi": "Bấm vào một tỉnh trên bản đồ để xem các đơn vị trực thuộc.",
        "en": "Click a province on the map to see its units.",
    },
    "click_hint_group": {
        "vi": "Bấm vào một huyện cũ để xem các xã, phường mới thuộc huyện đó.",
        "en": "Click a former district to see the new communes in it.",
    },
    "click_hint_commune": {
        "vi": "Bấm vào một xã để xem chi tiết.",
        "en": "Click a commune to see its details.",
    },
    # detail panel
    "detail_title": {"vi": "Chi tiết: {name}", "en": "Details: {name}"},
    "scope_note_district": {
        "vi": "Tài khoản cấp huyện: số liệu từng xã chỉ hiển thị trong huyện của bạn; "
        "số vụ xâm hại được làm nhiễu nhẹ, dưới 5 ghi <5.",
        "en": "District account: commune figures are shown inside your district "
        "only; abuse counts carry small noise, under 5 shows as <5.",
    },
    "scope_note_commune": {
        "vi": "Tài khoản cấp xã: số liệu từng xã chỉ hiển thị cho xã của bạn; số vụ "
        "xâm hại được làm nhiễu nhẹ, dưới 5 ghi <5.",
        "en": "Commune account: commune figures are shown for your commune only; "
        "abuse counts carry small noise, under 5 shows as <5.",
    },
    "scope_note_viewer": {
        "vi": "Tài khoản xem tại phòng họp: chỉ hiển thị số liệu tổng hợp cấp huyện "
        "trở lên; số vụ xâm hại được làm nhiễu nhẹ, dưới 5 ghi <5.",
        "en": "Meeting-room account: aggregates of districts and above only; small "
        "abuse counts carry small noise, under 5 shows as <5.",
    },
    "detail_not_allowed": {
        "vi": "Tài khoản của bạn không được xem chi tiết xã, phường này.",
        "en": "Your account may not see this commune's details.",
    },
    "detail_close": {"vi": "Đóng", "en": "Close"},
    "detail_children": {"vi": "Trẻ em dưới 16 tuổi", "en": "Children under 16"},
    "detail_cf": {"vi": "Phù hợp với trẻ em", "en": "Child-friendly"},
    "detail_round": {
        "vi": "Đợt đánh giá {round}: {score} điểm, ngưỡng {threshold}",
        "en": "Round {round}: {score} points, threshold {threshold}",
    },
    "cf_awaiting": {
        "vi": "đợt {round} đã đánh giá, chờ quyết định",
        "en": "round {round} assessed, awaiting decision",
    },
    "cf_contradicts": {
        "vi": "quyết định khác với điểm chấm",
        "en": "decision differs from the scores",
    },
    "detail_decided": {"vi": "Quyết định ngày {day}", "en": "Decided on {day}"},
    "detail_zero": {
        "vi": "Tiêu chí 0 điểm: {codes}",
        "en": "Criteria scored 0: {codes}",
    },
    "detail_fund": {"vi": "Quỹ Bảo trợ trẻ em", "en": "Child Protection Fund"},
    "detail_incidents": {"vi": "Vụ việc trong kỳ", "en": "Incidents in the period"},
    "detail_timeliness": {"vi": "Báo cáo", "en": "Reports"},
    "detail_trend": {"vi": "Diễn biến qua các năm", "en": "Trend over the years"},
    "trend_abuse": {"vi": "Xâm hại", "en": "Abuse"},
    "trend_injury": {"vi": "Tai nạn thương tích", "en": "Injury"},
    "trend_fund": {"vi": "Quỹ (triệu đồng)", "en": "Fund (million VND)"},
    "trend_on_time": {"vi": "Báo cáo đúng hạn (%)", "en": "Reports on time (%)"},
    "trend_cf": {"vi": "Công nhận", "en": "Recognised"},
    "trend_cf_share": {
        "vi": "Tỷ lệ xã được công nhận (%)",
        "en": "Communes recognised (%)",
    },
    # the printed map ("Tải bản đồ")
    "print_button": {"vi": "Tải bản đồ", "en": "Download map"},
    "print_paper": {"vi": "Khổ giấy", "en": "Paper"},
    "print_landscape": {"vi": "Ngang", "en": "Landscape"},
    "print_portrait": {"vi": "Dọc", "en": "Portrait"},
    "print_format": {"vi": "Định dạng", "en": "Format"},
    "print_north": {"vi": "B", "en": "N"},
    "print_title": {"vi": "{theme}: {place}", "en": "{theme}: {place}"},
    "print_mark": {
        "vi": "In bởi {user} lúc {time}",
        "en": "Printed by {user} at {time}",
    },
}
