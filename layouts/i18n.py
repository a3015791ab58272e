"""Every UI string, in Vietnamese (first) and English: one table for translators.

Names of domain terms (statuses, incident types, ...) live in data/vocabulary.py.
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {
        "vi": "Bảo vệ, chăm sóc trẻ em",
        "en": "Child protection and care",
    },
    "year": {"vi": "Năm", "en": "Year"},
    "theme_child_friendly": {
        "vi": "Xã, phường, thị trấn phù hợp với trẻ em",
        "en": "Child-friendly communes",
    },
    "share_recognised": {
        "vi": "Tỷ lệ xã được công nhận",
        "en": "Share of communes recognised",
    },
    "legend_share_recognised": {
        "vi": "Tỷ lệ xã được công nhận (%), đến hết năm {year}",
        "en": "Communes recognised (%), as of the end of {year}",
    },
    "kpi_recognised": {
        "vi": "{recognised} trên {communes} xã, phường, thị trấn",
        "en": "{recognised} of {communes} communes and wards",
    },
    "hover_share": {
        "vi": "Được công nhận: {recognised}/{communes} xã",
        "en": "Recognised: {recognised}/{communes} communes",
    },
    "district_ranking": {
        "vi": "Theo huyện, thị xã, thành phố",
        "en": "By district",
    },
    "col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "col_recognised": {"vi": "Được công nhận", "en": "Recognised"},
    "col_share": {"vi": "Tỷ lệ", "en": "Share"},
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
    "no_data": {"vi": "Chưa có số liệu", "en": "No data yet"},
    "no_data_hint": {
        "vi": "Cơ sở dữ liệu chưa có số liệu. Chạy: python -m dashboard setup",
        "en": "The database holds no figures yet. Run: python -m dashboard setup",
    },
    "source_units": {
        "vi": "Danh mục đơn vị hành chính: {source}",
        "en": "Administrative units: {source}",
    },
}


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = MESSAGES[key][lang if lang in LANGUAGES else "vi"]
    return text.format(**values) if values else text
