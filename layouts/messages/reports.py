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
    # sign-off (phê duyệt, data.approvals): refusals, by code
    "approval_reason_required_return": {
        "vi": "Chưa trả lại: hãy ghi lý do trả lại để đơn vị biết cần sửa gì.",
        "en": "Not returned: write the reason, so the unit knows what to correct.",
    },
    "approval_reason_required_withdraw": {
        "vi": "Chưa rút phê duyệt: hãy ghi lý do rút phê duyệt.",
        "en": "Approval not withdrawn: write the reason for withdrawing it.",
    },
    "approval_reason_too_long": {
        "vi": "Lý do dài quá {maximum} ký tự; hãy viết ngắn hơn.",
        "en": "The reason is longer than {maximum} characters; shorten it.",
    },
    "approval_not_found": {
        "vi": "Không tìm thấy phiên bản báo cáo này; không có gì thay đổi.",
        "en": "No such report version; nothing was changed.",
    },
    "approval_outside_scope": {
        "vi": "Báo cáo này không thuộc quyền phê duyệt của bạn (cấp huyện phê duyệt "
        "báo cáo của xã gửi huyện trước 1/7/2025; cấp tỉnh phê duyệt các báo cáo "
        "còn lại); không có gì thay đổi.",
        "en": "This report is not yours to decide on (a district office signs off "
        "its communes' reports addressed to it before 1 July 2025; the province "
        "department signs off the others); nothing was changed.",
    },
    "approval_superseded": {
        "vi": "Phiên bản {version} đã được thay bằng phiên bản {latest}; hãy xem và "
        "quyết định trên phiên bản mới nhất. Không có gì thay đổi.",
        "en": "Version {version} was replaced by version {latest}; look at the "
        "latest version and decide on that. Nothing was changed.",
    },
    "approval_already_approved": {
        "vi": "Phiên bản {version} đã được phê duyệt rồi; không có gì thay đổi.",
        "en": "Version {version} is approved already; nothing was changed.",
    },
    "approval_already_returned": {
        "vi": "Phiên bản {version} đã bị trả lại; đang chờ đơn vị gửi phiên bản mới. "
        "Không có gì thay đổi.",
        "en": "Version {version} was returned; a new version is awaited from the "
        "unit. Nothing was changed.",
    },
    "approval_not_approved": {
        "vi": "Phiên bản {version} chưa được phê duyệt nên không có gì để rút.",
        "en": "Version {version} is not approved, so there is nothing to withdraw.",
    },
    "approval_changed": {
        "vi": "Phiên bản {version} vừa được người khác quyết định; hãy tải lại "
        "trang. Không có gì thay đổi.",
        "en": "Someone else has just decided on version {version}; reload the "
        "page. Nothing was changed.",
    },
    "approval_locked": {
        "vi": "Chưa nhận: báo cáo đã được phê duyệt (phiên bản {version}) nên đã "
        "khóa. Muốn gửi phiên bản mới, cấp phê duyệt cần rút phê duyệt trước.",
        "en": "Not received: the report is approved (version {version}) and so "
        "locked. To send a new version, the approver must withdraw the approval "
        "first.",
    },
    # sign-off on the reports page
    "approval_title": {"vi": "Phê duyệt", "en": "Sign-off"},
    "approval_state": {
        "vi": "Phiên bản {version}: {state}.",
        "en": "Version {version}: {state}.",
    },
    "approval_by_district": {
        "vi": "Cấp phê duyệt: {unit}.",
        "en": "Signed off by: {unit}.",
    },
    "approval_by_province": {
        "vi": "Cấp phê duyệt: Sở/cấp tỉnh.",
        "en": "Signed off by: the province department.",
    },
    "approval_comment": {
        "vi": "Ý kiến, lý do (bắt buộc khi trả lại hoặc rút phê duyệt)",
        "en": "Comment, reason (required to return or withdraw)",
    },
    "approval_approve": {"vi": "Phê duyệt", "en": "Approve"},
    "approval_return": {"vi": "Trả lại", "en": "Return"},
    "approval_withdraw": {"vi": "Rút phê duyệt", "en": "Withdraw approval"},
    "approval_done_approve": {
        "vi": "Đã phê duyệt phiên bản {version}. Báo cáo được khóa.",
        "en": "Version {version} approved. The report is locked.",
    },
    "approval_done_return": {
        "vi": "Đã trả lại phiên bản {version}, kèm lý do; đơn vị sẽ gửi phiên bản mới.",
        "en": "Version {version} returned with the reason; the unit will send a "
        "new version.",
    },
    "approval_done_withdraw": {
        "vi": "Đã rút phê duyệt phiên bản {version}; đơn vị có thể gửi phiên bản mới.",
        "en": "Approval of version {version} withdrawn; the unit may send a new "
        "version.",
    },
    "approval_locked_note": {
        "vi": "Báo cáo đã được phê duyệt và khóa: muốn gửi phiên bản mới, cấp phê "
        "duyệt cần rút phê duyệt trước.",
        "en": "The report is approved and locked: to send a new version, the "
        "approver must withdraw the approval first.",
    },
    "approval_step_approve": {
        "vi": "Phê duyệt phiên bản {version}",
        "en": "Version {version} approved",
    },
    "approval_step_return": {
        "vi": "Trả lại phiên bản {version}: {comment}",
        "en": "Version {version} returned: {comment}",
    },
    "approval_step_withdraw": {
        "vi": "Rút phê duyệt phiên bản {version}: {comment}",
        "en": "Approval of version {version} withdrawn: {comment}",
    },
    "approval_step_comment": {
        "vi": "Phê duyệt phiên bản {version}: {comment}",
        "en": "Version {version} approved: {comment}",
    },
    "approval_steps_title": {
        "vi": "Các bước phê duyệt",
        "en": "Sign-off steps",
    },
    "approval_col_at": {"vi": "Thời điểm", "en": "At"},
    "approval_col_by": {"vi": "Người thực hiện", "en": "By"},
    "approval_col_step": {"vi": "Bước", "en": "Step"},
    "reports_col_approval": {"vi": "Phê duyệt", "en": "Sign-off"},
    "reports_resubmitted": {
        "vi": "gửi lại sau khi bị trả lại",
        "en": "resubmitted after being returned",
    },
    "reports_timing_counts": {
        "vi": "{timing} (tính đúng hạn theo lần này)",
        "en": "{timing} (timeliness counts this one)",
    },
    # the queue of reports waiting for the signed-in user's decision
    "approval_queue_title": {
        "vi": "Báo cáo chờ bạn phê duyệt: {n}",
        "en": "Reports awaiting your sign-off: {n}",
    },
    "approval_queue_none": {
        "vi": "Không có báo cáo nào chờ bạn phê duyệt.",
        "en": "No report awaits your sign-off.",
    },
    "approval_queue_more": {
        "vi": "Báo cáo {first:,}–{last:,} trong số {n:,} (chờ lâu nhất trước).",
        "en": "Reports {first:,}–{last:,} of {n:,} (longest waiting first).",
    },
    "approval_queue_before": {"vi": "‹ Trang trước", "en": "‹ Previous"},
    "approval_queue_after": {"vi": "Trang sau ›", "en": "Next ›"},
    "approval_col_waiting": {"vi": "Chờ từ", "en": "Waiting since"},
    "approval_col_reason": {
        "vi": "Lý do (khi trả lại)",
        "en": "Reason (to return)",
    },
    "approval_col_decide": {"vi": "Quyết định", "en": "Decision"},
    "approval_nav": {"vi": "Chờ phê duyệt: {n}", "en": "To sign off: {n}"},
    # validation rules of submitted reports (data.validation): an error refuses
    # the report, a warning needs the submitter's explanation
    "rules_error": {
        "vi": "Không đạt quy tắc «{name}»: {left:,} {op} {right:,} là sai",
        "en": "Rule “{name}” not met: {left:,} {op} {right:,} is false",
    },
    "rules_error_at": {
        "vi": "Không đạt quy tắc «{name}»: {left:,} {op} {right:,} là sai ({where})",
        "en": "Rule “{name}” not met: {left:,} {op} {right:,} is false ({where})",
    },
    "rules_warning": {
        "vi": "Cảnh báo — quy tắc «{name}»: {left:,} {op} {right:,} là sai",
        "en": "Warning — rule “{name}”: {left:,} {op} {right:,} is false",
    },
    "rules_warning_at": {
        "vi": "Cảnh báo — quy tắc «{name}»: {left:,} {op} {right:,} là sai ({where})",
        "en": "Warning — rule “{name}”: {left:,} {op} {right:,} is false ({where})",
    },
    "rules_warning_hidden": {
        "vi": "Cảnh báo — quy tắc «{name}» (số liệu xâm hại trẻ em không hiển thị "
        "với vai trò này)",
        "en": "Warning — rule “{name}” (abuse figures are not shown to this role)",
    },
    "rules_explanation_required": {
        "vi": "Báo cáo có cảnh báo chỉ được nhận kèm giải trình của đơn vị gửi.",
        "en": "A report with warnings is received only with the sender's explanation.",
    },
    "rules_explanation_too_long": {
        "vi": "Giải trình dài quá {maximum} ký tự; hãy viết ngắn hơn.",
        "en": "The explanation is longer than {maximum} characters; shorten it.",
    },
    "rules_explain_title": {
        "vi": "Chưa nhận báo cáo: tệp có {n} cảnh báo, chưa lưu gì. Nếu số liệu "
        "đúng, hãy ghi giải trình bên dưới rồi bấm «Gửi kèm giải trình»; nếu sai, "
        "hãy sửa tệp và gửi lại:",
        "en": "Not received yet: the file has {n} warnings and nothing was stored. "
        "If the figures are right, write an explanation below and press “Send "
        "with the explanation”; if not, correct the file and send it again:",
    },
    "rules_explain_label": {
        "vi": "Giải trình các cảnh báo (bắt buộc để gửi báo cáo có cảnh báo)",
        "en": "Explanation of the warnings (required to send a report with warnings)",
    },
    "rules_explain_send": {
        "vi": "Gửi kèm giải trình",
        "en": "Send with the explanation",
    },
    "rules_explained": {
        "vi": "Đã lưu kèm giải trình của {n} cảnh báo; cấp phê duyệt sẽ thấy.",
        "en": "Stored with the explanation of {n} warnings; the approver will see it.",
    },
    "rules_explanation": {
        "vi": "Giải trình: {comment}",
        "en": "Explanation: {comment}",
    },
    "reports_col_warnings": {
        "vi": "Cảnh báo và giải trình",
        "en": "Warnings and explanation",
    },
}
