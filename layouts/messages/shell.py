"""The application's frame: title, sign-in, administration, notes, busy writes."""

from __future__ import annotations

SHELL_MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {"vi": "Bảo vệ, chăm sóc trẻ em", "en": "Child protection and care"},
    "other_language": {"vi": "English", "en": "Tiếng Việt"},
    "loading": {"vi": "Đang tải…", "en": "Loading…"},
    "map_labels": {"vi": "Tên đơn vị", "en": "Unit names"},
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
    # a write that waited too long for another write of the same thing
    "db_busy": {
        "vi": "Hệ thống đang bận lưu một lần gửi khác của cùng nội dung; chưa lưu "
        "gì. Vui lòng thử lại sau ít phút.",
        "en": "Another save of the same thing is still in progress; nothing was "
        "saved. Please try again in a moment.",
    },
}
