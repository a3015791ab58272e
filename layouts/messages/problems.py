"""Problems data/ reports by code (``data.problems``): refused uploads, accounts,
recognition decisions, calendars.  The values named in ``{...}`` are the ones the
problem carries; ``{n:,}`` is a number written the language's way."""

from __future__ import annotations

PROBLEM_MESSAGES: dict[str, dict[str, str]] = {
    # accounts (data.users.UserError)
    "user_password_invalid": {
        "vi": "Mật khẩu không hợp lệ.",
        "en": "The password is not valid.",
    },
    "user_password_short": {
        "vi": "Mật khẩu phải có ít nhất {minimum} ký tự.",
        "en": "The password must have at least {minimum} characters.",
    },
    "user_password_long": {
        "vi": "Mật khẩu không được dài quá {maximum} ký tự.",
        "en": "The password must not be longer than {maximum} characters.",
    },
    "user_unit_required": {
        "vi": "Đơn vị: vai trò '{role}' phải gắn với một đơn vị.",
        "en": "Unit: the role '{role}' must be tied to a unit.",
    },
    "user_unit_none": {
        "vi": "Đơn vị: vai trò '{role}' không gắn với đơn vị nào.",
        "en": "Unit: the role '{role}' is tied to no unit.",
    },
    "user_tree_invalid": {
        "vi": "Cây đơn vị không hợp lệ: '{tree}' (legacy hoặc 2025).",
        "en": "Not a unit tree: '{tree}' (legacy or 2025).",
    },
    "user_unit_district_abolished": {
        "vi": "Đơn vị: từ 1/7/2025 không còn cấp huyện; tài khoản cấp huyện gắn "
        "với một huyện cũ (cây legacy).",
        "en": "Unit: there are no districts from 1 July 2025; a district account "
        "is tied to a former district (the legacy tree).",
    },
    "user_unit_unknown": {
        "vi": "Đơn vị: không tìm thấy mã '{code}' trong cây {tree}.",
        "en": "Unit: no code '{code}' in the {tree} tree.",
    },
    "user_unit_level": {
        "vi": "Đơn vị: mã '{code}' là cấp {level}, vai trò '{role}' cần "
        "một đơn vị cấp {needed}.",
        "en": "Unit: '{code}' is a {level}; the role '{role}' needs a {needed}.",
    },
    "user_unknown": {
        "vi": "Tên đăng nhập: không có tài khoản '{username}'.",
        "en": "Username: no account '{username}'.",
    },
    "user_name_invalid": {
        "vi": "Tên đăng nhập phải dài 3–64 ký tự, gồm chữ cái không dấu, chữ số "
        "và . _ - (bắt đầu bằng chữ cái hoặc chữ số).",
        "en": "A username has 3–64 characters: unaccented letters, digits and "
        ". _ - (starting with a letter or a digit).",
    },
    "user_role_invalid": {
        "vi": "Vai trò không hợp lệ: '{role}' (chọn một trong: {roles}).",
        "en": "Not a role: '{role}' (choose one of: {roles}).",
    },
    "user_name_taken": {
        "vi": "Tên đăng nhập '{username}' đã được dùng.",
        "en": "The username '{username}' is taken.",
    },
}
