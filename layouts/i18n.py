"""Every UI string, in Vietnamese (first) and English: one table for translators.

Names of domain terms (statuses, incident types, ...) live in data/vocabulary.py.
Plotly hover templates are here too: ``%{...}`` are Plotly placeholders, ``{...}``
are filled in by ``t``.
"""

from __future__ import annotations

# The reform's rules are stated once, where the figures are computed.
from data.metrics.child_friendly import CF_NOT_CARRIED_EN, CF_NOT_CARRIED_VI
from data.reform import (
    APPORTIONED_EN,
    APPORTIONED_VI,
    DIVIDED_RULE_EN,
    DIVIDED_RULE_VI,
    MIXED_NAME_EN,
    MIXED_NAME_VI,
)
from layouts.review_messages import REVIEW_MESSAGES

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {"vi": "Bảo vệ, chăm sóc trẻ em", "en": "Child protection and care"},
    "other_language": {"vi": "English", "en": "Tiếng Việt"},
    "loading": {"vi": "Đang tải…", "en": "Loading…"},
    "map_labels": {"vi": "Tên đơn vị", "en": "Unit names"},
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
        "vi": "<b>%{text}</b><br>%{customdata[4]} vụ / 100.000 trẻ em"
        "<br>Số vụ: %{customdata[1]}<br>Trẻ em dưới 16 tuổi: %{customdata[2]:,}"
        "%{customdata[3]}<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[4]} per 100,000 children"
        "<br>Cases: %{customdata[1]}<br>Children under 16: %{customdata[2]:,}"
        "%{customdata[3]}<extra></extra>",
    },
    "hover_count": {
        "vi": "<b>%{text}</b><br>%{customdata[0]} vụ"
        "<br>Tỷ lệ: %{customdata[1]} / 100.000 trẻ em%{customdata[2]}<extra></extra>",
        "en": "<b>%{text}</b><br>%{customdata[0]} cases"
        "<br>Rate: %{customdata[1]} per 100,000 children%{customdata[2]}<extra></extra>",
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
        "vi": f"<br><i>{APPORTIONED_VI}</i>",
        "en": f"<br><i>{APPORTIONED_EN}</i>",
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
    # sign-in
    "login_heading": {
        "vi": "Đăng nhập để xem số liệu",
        "en": "Sign in to see the figures",
    },
    "login_username": {"vi": "Tên đăng nhập", "en": "Username"},
    "login_password": {"vi": "Mật khẩu", "en": "Password"},
    "login_remember": {
        "vi": "Ghi nhớ đăng nhập trên máy này",
        "en": "Remember me on this device",
    },
    "login_submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "login_failed": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa "
        "(sau 5 lần nhập sai, tài khoản bị khóa 15 phút).",
        "en": "Wrong username or password, or the account is locked for now "
        "(5 failed attempts lock it for 15 minutes).",
    },
    "login_csrf": {
        "vi": "Phiên đăng nhập đã hết hạn. Vui lòng thử lại.",
        "en": "The form has expired. Please try again.",
    },
    "login_address_limit": {
        "vi": "Quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau 15 phút.",
        "en": "Too many sign-in attempts from this address. Try again in 15 minutes.",
    },
    "server_busy": {
        "vi": "Máy chủ đang bận. Vui lòng thử lại sau ít giây.",
        "en": "The server is busy. Please try again in a few seconds.",
    },
    "logout": {"vi": "Đăng xuất", "en": "Sign out"},
    # ranking
    "rank_link": {"vi": "Xếp hạng", "en": "Ranking"},
    "rank_title": {"vi": "Xếp hạng: {name}", "en": "Ranking: {name}"},
    "rank_informal": {
        "vi": "Từ 1/7/2025 không còn cấp huyện: xếp hạng theo huyện cũ (cách nhóm "
        "không chính thức).",
        "en": "No districts since 1 July 2025: ranked by former district (an "
        "informal grouping).",
    },
    "rank_weights": {"vi": "Trọng số (0–10)", "en": "Weights (0–10)"},
    "rank_cf": {"vi": "Phù hợp với trẻ em", "en": "Child-friendly"},
    "rank_fund": {"vi": "Quỹ (% chỉ tiêu)", "en": "Fund (% of target)"},
    "rank_burden": {
        "vi": "Vụ việc / 100.000 trẻ em",
        "en": "Cases per 100,000 children",
    },
    "rank_timeliness": {"vi": "Báo cáo đúng hạn", "en": "Reports on time"},
    "rank_col_rank": {"vi": "Hạng", "en": "Rank"},
    "rank_col_change": {"vi": "So với kỳ trước", "en": "Change"},
    "rank_col_composite": {"vi": "Chỉ số tổng hợp", "en": "Composite"},
    "rank_moves": {
        "vi": "Điều gì thay đổi thứ hạng của {name}",
        "en": "What moves the rank of {name}",
    },
    "rank_gap_median": {"vi": "So với trung vị", "en": "Gap to the median"},
    "rank_gap_unit": {
        "vi": "Chênh lệch tính bằng điểm trên thang 0–100.",
        "en": "Gaps are points on a 0–100 scale.",
    },
    "rank_gap_above": {
        "vi": "So với {name} (hạng trên)",
        "en": "Gap to {name} (above)",
    },
    "rank_formula": {
        "vi": "Cách tính: mỗi thành phần được quy về thang 0–100 giữa các đơn vị được "
        "xếp hạng (đơn vị tốt nhất 100, kém nhất 0; với vụ việc, ít hơn là tốt hơn: "
        "100 × (lớn nhất − giá trị) / (lớn nhất − nhỏ nhất)); chỉ số tổng hợp là "
        "trung bình có trọng số của các thành phần có số liệu; các đơn vị bằng điểm "
        "(làm tròn 0,1) cùng hạng. Dưới mỗi giá trị là điểm 0–100. Với tài khoản chỉ "
        "thấy số vụ xâm hại dạng <5, số vụ ẩn được tính là 2. * Ít trẻ em: tỷ lệ "
        "dao động mạnh do ngẫu nhiên.",
        "en": "How: each component is scaled to 0–100 among the units ranked (best "
        "100, worst 0; for cases, fewer is better: 100 × (max − value) / (max − "
        "min)); the composite is the weighted mean of the components a unit has; "
        "units with equal composites (to 0.1) share a rank. Under each value: its "
        "0–100 score. For accounts that see abuse counts as <5, a hidden count is "
        "taken as 2. * Few children: rates jump by chance.",
    },
    "rank_pcri": {
        "vi": "Chỉ số xếp hạng địa phương về thực hiện quyền trẻ em (PCRI) do Bộ công "
        "bố không được tính lại ở đây.",
        "en": "The published provincial child-rights index (PCRI) is not recomputed "
        "here.",
    },
    # published ranks (PCRI), entered as given
    "pr_line": {
        "vi": "PCRI công bố, kỳ {round}: hạng {rank}/{out_of} (nguồn: {source}; "
        "nhập ngày {day})",
        "en": "Published PCRI, round {round}: rank {rank}/{out_of} (source: "
        "{source}; entered {day})",
    },
    "pr_col": {"vi": "PCRI công bố", "en": "Published PCRI"},
    "pr_form_title": {
        "vi": "Nhập hạng PCRI đã công bố",
        "en": "Enter a published PCRI rank",
    },
    "pr_unit": {"vi": "Đơn vị", "en": "Unit"},
    "pr_round": {"vi": "Kỳ", "en": "Round"},
    "pr_rank": {"vi": "Hạng", "en": "Rank"},
    "pr_out_of": {"vi": "Trên tổng số", "en": "Out of"},
    "pr_source": {"vi": "Nguồn", "en": "Source"},
    "pr_source_hint": {
        "vi": "Cơ quan công bố, ngày (vd. Bộ LĐ-TB&XH, 17/6/2014)",
        "en": "Who published it, when (e.g. Bộ LĐ-TB&XH, 17/6/2014)",
    },
    "pr_save": {"vi": "Lưu", "en": "Save"},
    "pr_form_note": {
        "vi": "Hạng được lưu và hiển thị đúng như đã công bố: không tính lại, không "
        "dùng trong chỉ số tổng hợp. Nhập lại cùng một kỳ cho cùng đơn vị sẽ thay thế "
        "hạng đã nhập.",
        "en": "The rank is kept and shown exactly as published: never recomputed, "
        "never used in the composite. Entering the same round again for the same "
        "unit replaces the rank entered before.",
    },
    "pr_saved": {
        "vi": "Đã lưu: PCRI kỳ {round} của {name}: hạng {rank}/{out_of}.",
        "en": "Saved: PCRI round {round} of {name}: rank {rank}/{out_of}.",
    },
    "pr_replaced": {
        "vi": "Đã thay thế hạng {rank}/{out_of} nhập trước đó cho kỳ này.",
        "en": "This replaces the rank {rank}/{out_of} entered before for this round.",
    },
    "pr_error": {
        "vi": "Không lưu được ({field}: {problem}).",
        "en": "Not saved ({field}: {problem}).",
    },
    "pr_error_database_busy": {
        "vi": "Hệ thống đang bận lưu một lần nhập khác của kỳ này; chưa lưu gì. "
        "Vui lòng thử lại sau ít phút.",
        "en": "Another entry of this round is still being saved; nothing was "
        "saved. Please try again in a moment.",
    },
    "pr_error_unit_unknown": {
        "vi": "Đơn vị: chọn một tỉnh hoặc huyện trong danh sách.",
        "en": "Unit: choose a province or district from the list.",
    },
    "pr_error_unit_level": {
        "vi": "Đơn vị: chỉ nhập hạng cho tỉnh hoặc huyện.",
        "en": "Unit: ranks are entered for a province or a district only.",
    },
    "pr_error_unit_forbidden": {
        "vi": "Đơn vị: tài khoản này không được nhập hạng cho đơn vị này.",
        "en": "Unit: this account may not enter a rank for this unit.",
    },
    "pr_error_index_unknown": {
        "vi": "Chỉ số: chỉ nhập được PCRI.",
        "en": "Index: only the PCRI can be entered.",
    },
    "pr_error_round_missing": {
        "vi": "Kỳ: bắt buộc (vd. 2016–2017).",
        "en": "Round: required (e.g. 2016–2017).",
    },
    "pr_error_round_format": {
        "vi": "Kỳ: ghi một năm hoặc các năm liền nhau, vd. 2020 hoặc 2016–2017 (từ "
        "năm 1990, không quá 5 năm).",
        "en": "Round: a year or a span of years, e.g. 2020 or 2016–2017 (from 1990, "
        "at most 5 years).",
    },
    "pr_error_round_outside_unit": {
        "vi": "Kỳ: đơn vị đã chọn không tồn tại trong kỳ này. Tỉnh, huyện trước và "
        "sau ngày 1/7/2025 là những đơn vị khác nhau: với một kỳ trước đó, mở bảng "
        "xếp hạng của một năm trước 2025 và chọn đơn vị cũ.",
        "en": "Round: the unit chosen did not exist in this round. Provinces and "
        "districts before and after 1 July 2025 are different units: for an earlier "
        "round, open the ranking of a year before 2025 and choose the former unit.",
    },
    "pr_error_rank_missing": {"vi": "Hạng: bắt buộc.", "en": "Rank: required."},
    "pr_error_rank_not_whole": {
        "vi": "Hạng: phải là số nguyên.",
        "en": "Rank: must be a whole number.",
    },
    "pr_error_rank_too_small": {
        "vi": "Hạng: phải từ 1 trở lên.",
        "en": "Rank: must be 1 or more.",
    },
    "pr_error_out_of_missing": {
        "vi": "Trên tổng số: bắt buộc.",
        "en": "Out of: required.",
    },
    "pr_error_out_of_not_whole": {
        "vi": "Trên tổng số: phải là số nguyên.",
        "en": "Out of: must be a whole number.",
    },
    "pr_error_out_of_below_rank": {
        "vi": "Trên tổng số: không được nhỏ hơn hạng.",
        "en": "Out of: may not be less than the rank.",
    },
    "pr_error_out_of_too_large": {
        "vi": "Trên tổng số: không quá 10.000.",
        "en": "Out of: at most 10,000.",
    },
    "pr_error_source_missing": {
        "vi": "Nguồn: bắt buộc (cơ quan công bố, ngày).",
        "en": "Source: required (who published it, when).",
    },
    "pr_error_source_too_long": {
        "vi": "Nguồn: không quá 255 ký tự.",
        "en": "Source: at most 255 characters.",
    },
    "pr_error_user_unknown": {
        "vi": "Tài khoản đang đăng nhập không còn tồn tại.",
        "en": "The signed-in account no longer exists.",
    },
    # administration
    "admin_link": {"vi": "Quản trị", "en": "Administration"},
    "admin_title": {"vi": "Quản trị hệ thống", "en": "Administration"},
    "admin_back": {"vi": "← Về bản đồ", "en": "← Back to the map"},
    "admin_users": {"vi": "Người dùng", "en": "Users"},
    "admin_audit": {"vi": "Nhật ký hoạt động", "en": "Audit log"},
    "admin_all": {"vi": "Tất cả", "en": "All"},
    "admin_forbidden": {
        "vi": "Chỉ tài khoản quản trị được xem trang này.",
        "en": "Only administrators may see this page.",
    },
    "col_username": {"vi": "Tên đăng nhập", "en": "Username"},
    "col_role": {"vi": "Vai trò", "en": "Role"},
    "col_state": {"vi": "Trạng thái", "en": "State"},
    "col_time": {"vi": "Thời điểm", "en": "Time"},
    "col_action": {"vi": "Hoạt động", "en": "Action"},
    "col_detail": {"vi": "Chi tiết", "en": "Detail"},
    "col_address": {"vi": "Địa chỉ", "en": "Address"},
    "state_active": {"vi": "Đang hoạt động", "en": "Active"},
    "state_inactive": {"vi": "Đã khóa vĩnh viễn", "en": "Deactivated"},
    "state_locked": {"vi": "Tạm khóa đến {until}", "en": "Locked until {until}"},
    "signed_in_as": {"vi": "{name} ({role})", "en": "{name} ({role})"},
    # notes
    "note_approximate": {
        "vi": "Ranh giới gần đúng, dựng từ tọa độ trung tâm của các xã; "
        "không dùng để đo đạc.",
        "en": "Approximate boundaries built from the communes' centre points; "
        "not for measurement.",
    },
    "note_demo": {
        "vi": "Số liệu minh họa (dữ liệu giả lập), không phải số liệu thật.",
        "en": "Demo data: generated figures, not real ones.",
    },
    "note_suppressed": {
        "vi": "Số vụ xâm hại được làm nhiễu nhẹ (±2) để bảo vệ trẻ em; dưới 5 "
        "(kể cả 0) hiển thị là <5; “≥” là tổng khi phần xâm hại là <5.",
        "en": "Abuse counts carry small noise (±2) to protect children; under 5 "
        "(0 included) shows as <5; “≥” marks a total whose abuse part is <5.",
    },
    "legend_suppressed": {"vi": "<5 (ẩn)", "en": "<5 (hidden)"},
    "note_small_numbers": {
        "vi": "Xã ít trẻ em: tỷ lệ dao động mạnh do ngẫu nhiên.",
        "en": "Communes with few children: rates jump by chance.",
    },
    # the July-2025 reform
    "groups_switch": {
        "vi": "Nhóm theo huyện cũ (không chính thức)",
        "en": "Group by former district (informal)",
    },
    "mixed_group": {"vi": MIXED_NAME_VI, "en": MIXED_NAME_EN},
    "former_district_crumb": {
        "vi": "{name} (huyện cũ)",
        "en": "{name} (former district)",
    },
    "reform_carried": {
        "vi": "Kỳ này gồm cả thời gian trước ngày 1/7/2025: số liệu của các đơn vị cũ "
        "được cộng vào đơn vị mới theo bảng chuyển đổi đơn vị hành chính.",
        "en": "This period includes time before 1 July 2025: the former units' "
        "figures are added to the new units through the old-to-new crosswalk.",
    },
    "reform_divided": {"vi": DIVIDED_RULE_VI, "en": DIVIDED_RULE_EN},
    "reform_apportioned": {"vi": APPORTIONED_VI, "en": APPORTIONED_EN},
    "reform_cf_not_carried": {"vi": CF_NOT_CARRIED_VI, "en": CF_NOT_CARRIED_EN},
    "reform_groups_informal": {
        "vi": "Huyện cũ là cách nhóm không chính thức: từ 1/7/2025 không còn cấp "
        "huyện. Một xã, phường mới thuộc một huyện cũ khi mọi xã cũ hợp thành nó "
        "đều thuộc huyện đó; các xã, phường còn lại được xếp vào nhóm riêng.",
        "en": "Former districts are an informal grouping: there are no districts "
        "since 1 July 2025. A new commune belongs to a former district when all the "
        "communes it was formed from lay in it; the others form a group of their own.",
    },
    "reform_legacy_view": {
        "vi": "Kỳ trước ngày 1/7/2025: bản đồ theo đơn vị hành chính cũ (tỉnh, huyện, "
        "xã); các tỉnh đã hợp nhất được hiển thị riêng như khi đó.",
        "en": "A period before 1 July 2025: the map shows the former units (province, "
        "district, commune); provinces merged since are shown apart, as they were.",
    },
    "reform_trend_carried": {
        "vi": "Các năm trước 1/7/2025 là số liệu của các đơn vị cũ, cộng lại theo bảng "
        "chuyển đổi; các tỷ lệ được tính lại từ tổng số vụ và tổng số trẻ em của "
        "cùng các đơn vị cũ đó.",
        "en": "Years before 1 July 2025 are the former units' figures added up "
        "through the crosswalk; rates are recomputed from the summed cases and the "
        "summed children of those same former units.",
    },
    "reform_predecessors": {
        "vi": "Tiếp nối số liệu của: {names}",
        "en": "Continues the figures of: {names}",
    },
    "reform_legacy_ends": {
        "vi": "Đơn vị này tồn tại đến 30/6/2025; năm 2025 chỉ gồm nửa đầu năm.",
        "en": "This unit existed until 30 June 2025; 2025 covers the first half only.",
    },
    "no_data_hint": {
        "vi": "Cơ sở dữ liệu chưa có số liệu. Chạy: python -m dashboard setup",
        "en": "The database holds no figures yet. Run: python -m dashboard setup",
    },
    "source_units": {
        "vi": "Danh mục đơn vị hành chính: {source}",
        "en": "Administrative units: {source}",
    },
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
    # a write that waited too long for another write of the same thing
    "db_busy": {
        "vi": "Hệ thống đang bận lưu một lần gửi khác của cùng nội dung; chưa lưu "
        "gì. Vui lòng thử lại sau ít phút.",
        "en": "Another save of the same thing is still in progress; nothing was "
        "saved. Please try again in a moment.",
    },
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
    "jobs_too_many": {
        "vi": "Chưa bắt đầu: bạn đang có {running} tệp đang được tạo (mỗi người tối "
        "đa {limit} tệp cùng lúc). Hãy chờ tệp đó xong, hoặc hủy nó, rồi thử lại.",
        "en": "Not started: you already have {running} file(s) being built (at most "
        "{limit} at once per person). Wait for it to finish, or cancel it, and try "
        "again.",
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
}


# dcc.Dropdown's own words (search box, select all, ...)
DROPDOWN_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "select_all": "Chọn tất cả",
        "deselect_all": "Bỏ chọn tất cả",
        "selected_count": "Đã chọn {num_selected}",
        "search": "Tìm",
        "clear_search": "Xóa ô tìm",
        "clear_selection": "Bỏ chọn",
        "no_options_found": "Không có lựa chọn phù hợp",
    },
    "en": {
        "select_all": "Select all",
        "deselect_all": "Deselect all",
        "selected_count": "{num_selected} selected",
        "search": "Search",
        "clear_search": "Clear search",
        "clear_selection": "Clear selection",
        "no_options_found": "No options found",
    },
}

# AG Grid's own words (filter menus, loading), in each language
GRID_LOCALE: dict[str, dict[str, str]] = {
    "vi": {
        "loadingOoo": "Đang tải…",
        "noRowsToShow": "Không có dòng nào",
        "filterOoo": "Lọc…",
        "contains": "Chứa",
        "notContains": "Không chứa",
        "equals": "Bằng",
        "notEqual": "Khác",
        "startsWith": "Bắt đầu bằng",
        "endsWith": "Kết thúc bằng",
        "blank": "Để trống",
        "notBlank": "Không trống",
        "greaterThan": "Lớn hơn",
        "greaterThanOrEqual": "Lớn hơn hoặc bằng",
        "lessThan": "Nhỏ hơn",
        "lessThanOrEqual": "Nhỏ hơn hoặc bằng",
        "inRange": "Trong khoảng",
        "inRangeStart": "Từ",
        "inRangeEnd": "Đến",
        "before": "Trước",
        "after": "Sau",
        "andCondition": "VÀ",
        "orCondition": "HOẶC",
        "applyFilter": "Áp dụng",
        "resetFilter": "Đặt lại",
        "clearFilter": "Xóa",
        "cancelFilter": "Hủy",
        "dateFormatOoo": "dd/mm/yyyy",
        "sortAscending": "Sắp xếp tăng dần",
        "sortDescending": "Sắp xếp giảm dần",
        "sortUnSort": "Bỏ sắp xếp",
        "columnFilter": "Lọc cột",
        "ariaFilterInput": "Ô nhập bộ lọc",
    },
    "en": {},  # AG Grid's defaults are English
}


def language(value: object) -> str:
    """``value`` when it is a UI language, else Vietnamese (the first language)."""
    return value if value in LANGUAGES else "vi"


MESSAGES.update(REVIEW_MESSAGES)


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = MESSAGES[key][lang if lang in LANGUAGES else "vi"]
    return text.format(**values) if values else text


def published_error(field: str, problem: str, lang: str = "vi") -> str:
    """Why a published rank was refused (``data.published.PublishedRankError``'s
    field and problem codes), in words."""
    key = f"pr_error_{field}_{problem}"
    if key in MESSAGES:
        return t(key, lang)
    return t("pr_error", lang, field=field, problem=problem)
