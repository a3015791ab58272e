"""The UI's languages and ``t``, which reads the message table (layouts/messages/).

Names of domain terms (statuses, incident types, ...) live in data/vocabulary.py.
"""

from __future__ import annotations

from layouts.messages import LANGUAGES, MESSAGES, render

__all__ = [
    "DROPDOWN_LABELS",
    "GRID_LOCALE",
    "LANGUAGES",
    "MESSAGES",
    "language",
    "published_error",
    "t",
]

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


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    return render(key, lang, **values)


def published_error(field: str, problem: str, lang: str = "vi") -> str:
    """Why a published rank was refused (``data.published.PublishedRankError``'s
    field and problem codes), in words."""
    key = f"pr_error_{field}_{problem}"
    if key in MESSAGES:
        return t(key, lang)
    return t("pr_error", lang, field=field, problem=problem)
