"""The ranking page and the published ranks (PCRI)."""

from __future__ import annotations

RANKING_MESSAGES: dict[str, dict[str, str]] = {
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
    # chance variation: plausible ranks, the funnel (data.uncertainty)
    "rank_range": {"vi": "hạng {low}–{high}", "en": "rank {low}–{high}"},
    "rank_range_one": {"vi": "hạng {low}", "en": "rank {low}"},
    "versus_within": {"vi": "≈ mức chung", "en": "≈ overall"},
    "versus_high": {"vi": "cao hơn mức chung", "en": "above overall"},
    "versus_very_high": {"vi": "cao bất thường", "en": "unusually high"},
    "versus_low": {"vi": "thấp hơn mức chung", "en": "below overall"},
    "versus_very_low": {"vi": "thấp bất thường", "en": "unusually low"},
    "rank_uncertainty": {
        "vi": "Hạng có thể (dưới mỗi hạng, ví dụ “hạng 3–9”): số vụ việc của mỗi đơn "
        "vị được mô phỏng lại {draws} lần theo phân phối Poisson (hậu nghiệm Gamma, "
        "hạt giống cố định), mỗi lần chấm điểm và xếp hạng lại như trên; khoảng là 95% "
        "ở giữa các hạng mô phỏng. Các thành phần khác là số đếm đầy đủ nên giữ "
        "nguyên. “≈ mức chung”: tỷ lệ vụ việc không khác biệt có ý nghĩa thống kê so "
        "với tỷ lệ chung của {name} ({rate} vụ / 100.000 trẻ em): nằm trong giới hạn "
        "95% của biểu đồ phễu; “cao/thấp hơn mức chung”: ngoài giới hạn 95%; “bất "
        "thường”: ngoài giới hạn 99,8%.",
        "en": "Plausible rank (under each rank, e.g. “rank 3–9”): each unit's cases are "
        "drawn again {draws} times from a Poisson model (Gamma posterior, fixed seed), "
        "each draw scored and ranked as above; the range is the middle 95% of the "
        "simulated ranks. The other components are complete counts and stay as they "
        "are. “≈ overall”: the case rate is not statistically distinguishable from "
        "that of {name} ({rate} per 100,000 children): inside the funnel's 95% "
        "limits; “above/below overall”: outside the 95% limits; “unusually”: outside "
        "the 99.8% limits.",
    },
    "rank_uncertainty_hidden": {
        "vi": "Với tài khoản chỉ thấy số vụ xâm hại dạng <5, khoảng tin cậy, hạng có "
        "thể và biểu đồ phễu tính từ số hiển thị: phần <5 là 0–4.",
        "en": "For accounts that see abuse counts as <5, the intervals, plausible "
        "ranks and the funnel are computed from the counts shown: a <5 part is 0–4.",
    },
    "funnel_title": {
        "vi": "Biểu đồ phễu: vụ việc / 100.000 trẻ em theo số trẻ em dưới 16 tuổi",
        "en": "Funnel plot: cases per 100,000 children by children under 16",
    },
    "funnel_x": {"vi": "Số trẻ em dưới 16 tuổi", "en": "Children under 16"},
    "funnel_y": {"vi": "Vụ việc / 100.000 trẻ em", "en": "Cases per 100,000 children"},
    "funnel_target": {
        "vi": "Tỷ lệ chung {name}: {rate}",
        "en": "Overall, {name}: {rate}",
    },
    "funnel_95": {"vi": "Giới hạn 95%", "en": "95% limits"},
    "funnel_998": {"vi": "Giới hạn 99,8%", "en": "99.8% limits"},
    "funnel_units": {"vi": "Đơn vị", "en": "Units"},
    "funnel_range": {
        "vi": "Khoảng do số xâm hại <5",
        "en": "Range from an abuse count shown <5",
    },
    "funnel_hover": {
        "vi": "{rate} vụ / 100.000 trẻ em<br>{children} trẻ em dưới 16 tuổi",
        "en": "{rate} per 100,000 children<br>{children} children under 16",
    },
    "funnel_note": {
        "vi": "Mỗi chấm là một đơn vị. Đơn vị ít trẻ em có tỷ lệ dao động mạnh do "
        "ngẫu nhiên nên phễu rộng ở bên trái. Chấm nằm trong phễu 95%: không khác "
        "biệt thật sự so với mức chung; chấm nằm ngoài phễu 99,8%: khác biệt rõ, cần "
        "xem xét (phương pháp Spiegelhalter 2005, giới hạn Poisson chính xác).",
        "en": "Each dot is a unit. Units with few children have rates that jump by "
        "chance, so the funnel is wide on the left. A dot inside the 95% funnel is "
        "not truly different from overall; outside the 99.8% funnel it is clearly "
        "different and worth a look (Spiegelhalter 2005, exact Poisson limits).",
    },
    "funnel_none": {
        "vi": "Chưa có tỷ lệ vụ việc để vẽ biểu đồ phễu.",
        "en": "No case rates to draw the funnel plot.",
    },
}
