"""The July-2025 reform: former-district groups and the rules of carrying figures."""

from __future__ import annotations

REFORM_MESSAGES: dict[str, dict[str, str]] = {
    # the July-2025 reform
    "groups_switch": {
        "vi": "Nhóm theo huyện cũ (không chính thức)",
        "en": "Group by former district (informal)",
    },
    # the name of the map's group of new communes spanning several former districts
    "mixed_group": {
        "vi": "Xã, phường thuộc nhiều huyện cũ",
        "en": "Communes spanning several former districts",
    },
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
    # the carrying rule for divided communes (data.reform's module docstring)
    "reform_divided": {
        "vi": "Xã, phường cũ được chia cho nhiều đơn vị mới: số vụ việc và số trẻ em "
        "của xã cũ trước 1/7/2025 được phân bổ cùng nhau theo tỷ lệ diện tích mỗi đơn "
        "vị mới nhận, nơi có ranh giới thực; nơi chưa có, và với các số liệu khác, "
        "toàn bộ được tính cho đơn vị kế thừa mặc định.",
        "en": "A former commune divided between several new communes: its cases and "
        "its children before 1 July 2025 are apportioned together by the share of its "
        "area each new commune took, where real boundaries exist; elsewhere, and for "
        "other figures, all go to its default successor.",
    },
    # where a unit's figures include such a share (data.metrics.APPORTIONED_KEY)
    "reform_apportioned": {
        "vi": "Số liệu trước 1/7/2025 của xã cũ bị chia được phân bổ theo tỷ lệ diện "
        "tích",
        "en": "Figures before 1 July 2025 of a divided former commune are apportioned "
        "by area share",
    },
    # data.metrics.CF_CARRIED_OVER is False (the frame's CF_CARRIED_KEY attr)
    "reform_cf_not_carried": {
        "vi": "Kết quả công nhận xã, phường phù hợp với trẻ em của đơn vị cũ không "
        "được chuyển sang đơn vị mới sau sắp xếp ngày 1/7/2025.",
        "en": "Child-friendly recognition of a former commune is not carried over to "
        "the new commune formed on 1 July 2025.",
    },
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
}
