"""The plan targets of DOMAIN.md section 6 as indicators, with their demo models.

``level`` is DOMAIN.md's "Level" column (what the target speaks about); the
schema has no "all", so the two targets set for "all" levels are stored as
'district' and, like every target in ``units``, get rows for the province and for
every district.  ``units`` says which units get targets and values: a province
plan's targets go on the province, a district plan's on every district (commune
targets of the district plans count the district's communes).

``target`` is a number or a rule: ``ALL_COMMUNES`` (every commune of the unit,
"14/14"), ``BASELINE:<category>`` (the incidents of the baseline year, "< 2020
value") or ``FUND_TARGET`` (the fund theme's target for the year).

``value`` is a demo model (assumptions): ``normal`` (mean, sd between units,
change a year, lowest, highest), ``shortfall`` (chance of 100 %, mean shortfall
otherwise, lowest), ``choice`` (values, chances), ``share`` (chance that a district
does it; the province's value is the share of districts), or ``fact``: computed
from the other themes so the numbers agree (see ``indicator_values``).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class IndicatorSpec(NamedTuple):
    code: str
    name_vi: str
    name_en: str
    measure: str
    direction: str
    level: str
    source: str
    comparator: str
    target: float | str
    units: tuple[str, ...]
    value: tuple[Any, ...]


S000, S001, S004 = "000 Tam Đường 2018", "001 Nam Đông 2014", "004 Gia Lai 2021"
D, P, PD = ("district",), ("province",), ("province", "district")

INDICATORS = (
    IndicatorSpec(
        "SC_CARED_REGULARLY",
        "Trẻ em có hoàn cảnh đặc biệt được chăm sóc, giúp đỡ thường xuyên",
        "Special-circumstance children regularly cared for or helped",
        "percent",
        "higher",
        "district",
        S000,
        ">=",
        82.0,
        D,
        ("normal", 82.5, 4.0, 0.8, 50.0, 100.0),
    ),
    IndicatorSpec(
        "DISABLED_CHILDREN_SERVICES",
        "Trẻ em khuyết tật được tiếp cận dịch vụ y tế, phục hồi chức năng dựa vào "
        "cộng đồng và giáo dục hòa nhập",
        "Disabled children reaching health care, community-based rehabilitation "
        "and inclusive education",
        "percent",
        "higher",
        "district",
        S000,
        ">=",
        75.0,
        D,
        ("normal", 74.0, 6.0, 1.2, 30.0, 100.0),
    ),
    IndicatorSpec(
        "U6_HEALTH_INSURANCE",
        "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế",
        "Children under 6 with a health-insurance card",
        "percent",
        "higher",
        "district",
        S000,
        ">=",
        100.0,
        D,
        ("shortfall", 0.55, 1.5, 85.0),
    ),
    IndicatorSpec(
        "U5_MALNUTRITION",
        "Tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi",
        "Malnutrition of children under 5",
        "percent",
        "lower",
        "district",
        S000,
        "<=",
        23.5,
        D,
        ("normal", 23.0, 3.5, -0.6, 5.0, 45.0),
    ),
    IndicatorSpec(
        "RIGHT_AGE_SCHOOLING",
        "Trẻ em đi học mẫu giáo, tiểu học đúng độ tuổi",
        "Preschool and primary attendance at the right age",
        "percent",
        "higher",
        "district",
        S000,
        ">=",
        98.8,
        D,
        ("shortfall", 0.35, 1.2, 90.0),
    ),
    IndicatorSpec(
        "COMMUNE_FUND_AND_PLAY",
        "Xã, thị trấn xây dựng Quỹ Bảo trợ trẻ em và tổ chức hoạt động vui chơi "
        "có sự tham gia của trẻ em",
        "Communes with a child fund and play activities with children",
        "percent",
        "higher",
        "commune",
        S000,
        ">=",
        100.0,
        D,
        ("fact", "commune_fund"),
    ),
    IndicatorSpec(
        "CF_COMMUNES_MAINTAINED",
        "Xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em",
        "Child-friendly communes (all to be maintained)",
        "count",
        "higher",
        "commune",
        S000,
        ">=",
        "ALL_COMMUNES",
        D,
        ("fact", "cf_recognised"),
    ),
    IndicatorSpec(
        "CF_COMMUNES_700_POINTS",
        "Xã, thị trấn đạt từ 700 điểm trở lên",
        "Communes scoring 700 points or more",
        "percent",
        "higher",
        "commune",
        S000,
        ">=",
        86.0,
        D,
        ("fact", "cf_over_700"),
    ),
    IndicatorSpec(
        "CF_RECOGNITIONS_GAIN",
        "Số xã, thị trấn phù hợp với trẻ em tăng so với kỳ trước",
        "Child-friendly recognitions gained since the previous round",
        "count",
        "higher",
        "commune",
        S001,
        ">=",
        1.0,
        D,
        ("fact", "cf_gain"),
    ),
    IndicatorSpec(
        "CF_UNITS_REGISTERED",
        "Xã, thị trấn đăng ký xây dựng xã, thị trấn phù hợp với trẻ em",
        "Communes registered for child-friendly recognition",
        "percent",
        "higher",
        "commune",
        S001,
        ">=",
        100.0,
        D,
        ("fact", "cf_registered"),
    ),
    IndicatorSpec(
        "CF_UNITS_RECOGNISED",
        "Xã, thị trấn được công nhận phù hợp với trẻ em (giữ vững và mới)",
        "Communes recognised child-friendly (maintained and new)",
        "percent",
        "higher",
        "commune",
        S001,
        ">=",
        63.64,
        D,
        ("fact", "cf_recognised_share"),
    ),
    IndicatorSpec(
        "DISTRICT_BUDGET_PER_UNIT",
        "Ngân sách huyện hỗ trợ mỗi xã, thị trấn đăng ký",
        "District budget support per registered commune",
        "vnd",
        "none",
        "commune",
        S001,
        "=",
        500_000.0,
        D,
        ("choice", (500_000.0, 300_000.0, 0.0), (0.80, 0.12, 0.08)),
    ),
    IndicatorSpec(
        "PROVINCE_BUDGET_PER_UNIT",
        "Ngân sách tỉnh hỗ trợ mỗi xã, thị trấn được công nhận",
        "Provincial budget support per recognised commune",
        "vnd",
        "none",
        "commune",
        S001,
        "=",
        500_000.0,
        P,
        ("choice", (500_000.0, 300_000.0), (0.85, 0.15)),
    ),
    IndicatorSpec(
        "SC_SUPPORTED",
        "Trẻ em có hoàn cảnh đặc biệt được trợ giúp dưới nhiều hình thức",
        "Special-circumstance children supported in any form",
        "percent",
        "higher",
        "province",
        S004,
        ">=",
        98.5,
        P,
        ("shortfall", 0.20, 1.5, 90.0),
    ),
    IndicatorSpec(
        "DISTRICTS_CHILD_EVENTS",
        "Huyện, thị xã, thành phố tổ chức Tháng hành động vì trẻ em, Tết Trung thu, "
        "Diễn đàn trẻ em",
        "Districts running the Action Month, Mid-Autumn and a Children's Forum",
        "percent",
        "higher",
        "district",
        S004,
        ">=",
        100.0,
        P,
        ("share", 0.92),
    ),
    IndicatorSpec(
        "STAFF_TRAINED",
        "Cán bộ làm công tác trẻ em các cấp được bồi dưỡng, tập huấn",
        "Child-work staff at every level trained",
        "percent",
        "higher",
        "district",
        S004,
        ">=",
        100.0,
        PD,
        ("shortfall", 0.50, 8.0, 50.0),
    ),
    IndicatorSpec(
        "ABUSED_SUPPORTED_IN_TIME",
        "Trẻ em bị xâm hại được hỗ trợ, quản lý, can thiệp kịp thời khi phát hiện",
        "Abused children supported, managed or helped in time once detected",
        "percent",
        "higher",
        "district",
        S004,
        ">=",
        100.0,
        PD,
        ("fact", "abuse_in_time"),
    ),
    IndicatorSpec(
        "INJURED_CHILDREN",
        "Trẻ em bị tai nạn thương tích",
        "Injured children",
        "count",
        "lower",
        "province",
        S004,
        "<",
        "BASELINE:injury",
        P,
        ("fact", "injury_count"),
    ),
    IndicatorSpec(
        "ABUSED_CHILDREN",
        "Trẻ em bị xâm hại",
        "Abused children",
        "count",
        "lower",
        "province",
        S004,
        "<",
        "BASELINE:abuse",
        P,
        ("fact", "abuse_count"),
    ),
    IndicatorSpec(
        "FUND_MOBILISED",
        "Vận động Quỹ Bảo trợ trẻ em (tiền mặt, hiện vật, chương trình hỗ trợ)",
        "Child protection fund mobilised (cash, in kind and programmes)",
        "vnd",
        "higher",
        "province",
        S004,
        ">=",
        "FUND_TARGET",
        P,
        ("fact", "fund_total"),
    ),
)
CODES = tuple(spec.code for spec in INDICATORS)


def definitions() -> list[dict[str, Any]]:
    """``indicator`` rows."""
    fields = ("code", "name_vi", "name_en", "measure", "direction", "level", "source")
    return [{f: getattr(spec, f) for f in fields} for spec in INDICATORS]
