"""The indicator glossary (/chi-so): one entry per indicator the dashboard shows.

``ENTRIES`` holds, per glossary key, the six fields of ``FIELDS`` in both
languages; ``GLOSSARY_MESSAGES`` is the same text as messages of the table
(``gloss_<key>_<field>``), so ``render`` and the table's own tests see it.  The
keys are the map themes' measures (``callbacks.themes.GLOSSARY``), the ranking's
composite and the plan targets' indicator codes (``data.demo.indicators``).
Legal acts are written in full, as ``data.legal_acts`` gives them.
"""

from __future__ import annotations

FIELDS = ("name", "definition", "formula", "unit", "basis", "limits")

QD06 = (
    "Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ",
    "Decision 06/QD-TTg of 3 January 2019 of the Prime Minister",
)
QD34 = (
    "Quyết định 34/2014/QĐ-TTg ngày 30/5/2014 của Thủ tướng Chính phủ",
    "Decision 34/2014/QD-TTg of 30 May 2014 of the Prime Minister",
)
QD37 = (
    "Quyết định 37/2010/QĐ-TTg ngày 22/4/2010 của Thủ tướng Chính phủ",
    "Decision 37/2010/QD-TTg of 22 April 2010 of the Prime Minister",
)
QD23 = (
    "Quyết định 23/QĐ-TTg ngày 7/1/2021 của Thủ tướng Chính phủ",
    "Decision 23/QD-TTg of 7 January 2021 of the Prime Minister",
)
LAW = (
    "Luật Trẻ em số 102/2016/QH13 của Quốc hội, có hiệu lực từ 1/6/2017",
    "Law on Children No. 102/2016/QH13 of the National Assembly, "
    "in force from 1 June 2017",
)
ND56 = (
    "Nghị định 56/2017/NĐ-CP của Chính phủ",
    "Decree 56/2017/ND-CP of the Government",
)
TT28 = (
    "Thông tư 28/2019/TT-BLĐTBXH của Bộ Lao động – Thương binh và Xã hội",
    "Circular 28/2019/TT-BLDTBXH of the Ministry of Labour, Invalids and Social "
    "Affairs",
)
# The plans whose targets the scorecard holds: two district plans, one province plan.
TAM_DUONG = (
    "Kế hoạch cấp huyện Tam Đường (Lai Châu) năm 2018",
    "the Tam Đường (Lai Châu) district plan of 2018",
)
NAM_DONG = (
    "Kế hoạch cấp huyện Nam Đông năm 2014",
    "the Nam Đông district plan of 2014",
)
GIA_LAI = ("Kế hoạch của tỉnh Gia Lai năm 2021", "the Gia Lai province plan of 2021")


def _cap(text: str) -> str:
    """``text`` with its first letter upper case (the rest as written)."""
    return text[:1].upper() + text[1:]


def _texts(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


PERCENT = _texts("% (phần trăm)", "% (per cent)")
COUNT_CASES = _texts("vụ (số trường hợp)", "cases")
COMMUNES = _texts("xã (số đơn vị)", "communes (a number of units)")
DONG = _texts("đồng", "đồng (VND)")

# What every plan target's value and assessment mean (appended to its limits).
_SCORED = (
    "Kết quả so với chỉ tiêu theo dấu của chỉ tiêu (≥, ≤, <, =); chỉ tiêu và kết "
    "quả của từng đơn vị, từng năm ở bảng Chỉ tiêu kế hoạch. Kết quả chỉ có cho "
    "các năm đã kết thúc.",
    "The value is compared with the target by the target's sign (≥, ≤, <, =); "
    "each unit's target and value per year are in the Plan targets table. Values "
    "exist for completed years only.",
)


def _plan_share(
    name: tuple[str, str],
    who: tuple[str, str],
    what: tuple[str, str],
    plan: tuple[str, str],
    target: str,
    limits: tuple[str, str] = ("", ""),
) -> dict[str, dict[str, str]]:
    """A plan target given as a share of a group (``who``) that does ``what``."""
    return {
        "name": {"vi": name[0], "en": name[1]},
        "definition": {
            "vi": f"Tỷ lệ {who[0]} {what[0]}.",
            "en": f"The share of {who[1]} {what[1]}.",
        },
        "formula": {
            "vi": f"Số {who[0]} {what[0]} / tổng số {who[0]} × 100.",
            "en": f"{_cap(who[1])} {what[1]} / all {who[1]} × 100.",
        },
        "unit": PERCENT,
        "basis": {
            "vi": f"{plan[0]}: chỉ tiêu {target}.",
            "en": f"{_cap(plan[1])}: target {target}.",
        },
        "limits": {
            "vi": " ".join(filter(None, (limits[0], _SCORED[0]))),
            "en": " ".join(filter(None, (limits[1], _SCORED[1]))),
        },
    }


_CF_REGIMES = (
    f"Các đợt từ 3/1/2019 theo {QD06[0]}; đợt trước đó theo {QD34[0]} (từ "
    f"15/7/2014) hoặc {QD37[0]}.",
    f"Rounds from 3 January 2019 under {QD06[1]}; earlier rounds under {QD34[1]} "
    f"(from 15 July 2014) or {QD37[1]}.",
)
_SMALL = (
    "Đơn vị có dưới 2.000 trẻ em: tỷ lệ dao động mạnh do ngẫu nhiên.",
    "Units with fewer than 2,000 children: rates jump by chance.",
)
_HIDDEN = (
    "Trừ tài khoản quản trị và cấp tỉnh, số vụ xâm hại được làm nhiễu nhẹ (±2) và "
    "dưới 5 hiển thị là <5.",
    "Except for administrator and province accounts, abuse counts carry small "
    "noise (±2) and under 5 show as <5.",
)
_INCIDENT_BASIS = (
    f"Trẻ em là người dưới 16 tuổi ({LAW[0]}); mục tiêu giảm xâm hại và tai nạn "
    f"thương tích trẻ em của chương trình quốc gia ({QD23[0]}) và chỉ tiêu của "
    f"{GIA_LAI[0]}: số trẻ em bị xâm hại, bị tai nạn thương tích thấp hơn năm 2020.",
    f"A child is a person under 16 ({LAW[1]}); the national programme's aim of "
    f"fewer abused and injured children ({QD23[1]}) and the target of "
    f"{GIA_LAI[1]}: fewer abused and injured children than in 2020.",
)

THEME_ENTRIES: dict[str, dict[str, dict[str, str]]] = {
    "cf_share": {
        "name": {
            "vi": "Tỷ lệ xã được công nhận phù hợp với trẻ em",
            "en": "Share of communes recognised child-friendly",
        },
        "definition": {
            "vi": "Trong các xã, phường, thị trấn của đơn vị: tỷ lệ xã đang được "
            "công nhận xã, phường, thị trấn phù hợp với trẻ em (công nhận mới hoặc "
            "giữ vững) theo đợt đánh giá gần nhất có hiệu lực đến cuối kỳ.",
            "en": "Of the unit's communes, wards and townships: the share currently "
            "recognised child-friendly (newly or maintained) by the latest "
            "assessment round in effect at the end of the period.",
        },
        "formula": {
            "vi": "Số xã được công nhận (mới + giữ vững) / số xã của đơn vị có hiệu "
            "lực tại thời điểm đó × 100. Xã chưa từng đánh giá vẫn tính ở mẫu số.",
            "en": "Communes recognised (new + maintained) / the unit's communes "
            "valid at that date × 100. A commune never assessed still counts in the "
            "denominator.",
        },
        "unit": PERCENT,
        "basis": {"vi": _CF_REGIMES[0], "en": _CF_REGIMES[1]},
        "limits": {
            "vi": "Công nhận giữ nguyên đến đợt đánh giá sau (hai năm một lần) và có "
            "hiệu lực từ ngày quyết định của Chủ tịch UBND cấp huyện, không từ ngày "
            "chấm. Công nhận không chuyển qua sắp xếp đơn vị hành chính 1/7/2025: xã "
            "mới chưa đánh giá thì chưa có tỷ lệ. Quyết định khác với điểm chấm vẫn "
            "được tính theo quyết định và được đánh dấu.",
            "en": "A recognition holds until the next round (every two years) and "
            "counts from the district chairman's decision date, not the round date. "
            "Recognition is not carried across the 1 July 2025 reform: a new commune "
            "not yet assessed gives no share. A decision that disagrees with the "
            "scores counts as decided and is flagged.",
        },
    },
    "cf_status": {
        "name": {
            "vi": "Tình trạng xã phù hợp với trẻ em",
            "en": "Child-friendly status of a commune",
        },
        "definition": {
            "vi": "Kết quả đợt đánh giá gần nhất có hiệu lực của xã: chưa đăng ký, "
            "đã đăng ký, không được công nhận, công nhận mới, giữ vững.",
            "en": "The commune's latest round in effect: not registered, registered, "
            "not recognised, recognised new, maintained.",
        },
        "formula": {
            "vi": "Được công nhận khi tổng điểm 13 tiêu chí đạt ngưỡng của xã "
            "(800, 850 hoặc 900 điểm) và không tiêu chí nào 0 điểm; giữ vững khi đợt "
            "trước cũng được công nhận.",
            "en": "Recognised when the total of the 13 criteria reaches the "
            "commune's tier (800, 850 or 900 points) and no criterion scores 0; "
            "maintained when the previous round also recognised it.",
        },
        "unit": {"vi": "tình trạng (phân loại)", "en": "status (a category)"},
        "basis": {"vi": _CF_REGIMES[0], "en": _CF_REGIMES[1]},
        "limits": {
            "vi": "Ngưỡng phụ thuộc danh sách xã miền núi, hải đảo, đặc biệt khó "
            "khăn mà dữ liệu không có: mặc định theo loại đơn vị, có thể ghi ngưỡng "
            "thật. Với hai quy định cũ chỉ biết ngưỡng điểm, nên phải ghi quyết định. "
            "Điểm của các quy định khác nhau không so sánh với nhau. Từ khi chấm đến "
            "khi có quyết định, xã giữ kết quả đợt trước.",
            "en": "The tier depends on the lists of mountainous, island and "
            "extremely difficult communes, which the data do not hold: it defaults "
            "by the unit's kind and the real tier can be given. For the two older "
            "regimes only the thresholds are known, so the decision must be stated. "
            "Scores of different regimes are never compared. Between the round and "
            "the decision the commune keeps its earlier result.",
        },
    },
    "fund_pct": {
        "name": {
            "vi": "Quỹ Bảo trợ trẻ em: huy động so với chỉ tiêu năm (%)",
            "en": "Child Protection Fund: % of the annual target mobilised",
        },
        "definition": {
            "vi": "Số đã vận động cho Quỹ Bảo trợ trẻ em (tiền mặt, hiện vật, chương "
            "trình hỗ trợ) của đơn vị và các đơn vị trực thuộc trong kỳ, so với chỉ "
            "tiêu vận động cả năm của đơn vị.",
            "en": "What the unit and the units under it mobilised for the Child "
            "Protection Fund in the period (cash, in kind, support programmes), "
            "against the unit's target for the whole year.",
        },
        "formula": {
            "vi": "Tổng vận động trong kỳ / chỉ tiêu năm × 100. Khoản chuyển giữa hai "
            "quỹ trong địa bàn không tính lại; khoản nhận từ quỹ ngoài địa bàn được "
            "tính.",
            "en": "Total mobilised in the period / the annual target × 100. A "
            "transfer between two funds of the area is not counted again; money "
            "received from a fund outside the area is counted.",
        },
        "unit": PERCENT,
        "basis": {
            "vi": "Chỉ tiêu vận động Quỹ hằng năm của từng đơn vị; "
            f"{GIA_LAI[0]} lấy chỉ tiêu này làm chỉ tiêu vận động Quỹ của tỉnh.",
            "en": "Each unit's yearly fund target; "
            f"{GIA_LAI[1]} takes it as the province's fund target.",
        },
        "limits": {
            "vi": "Với quý hoặc từ đầu năm, là tỷ lệ của chỉ tiêu CẢ NĂM đã đạt đến "
            "nay (không chia chỉ tiêu theo quý). Xã không có chỉ tiêu. Sau 1/7/2025, "
            "chỉ tiêu của đơn vị mới cho năm đến 2025 là tổng chỉ tiêu các đơn vị cũ "
            "hợp thành nếu đơn vị không có chỉ tiêu riêng. Các đơn vị cùng cấp cộng "
            "lại có thể lớn hơn đơn vị cấp trên do các khoản chuyển giữa chúng.",
            "en": "For a quarter or a year to date it is the share of the WHOLE "
            "year's target reached so far (the target is not split by quarter). "
            "Communes have no target. After 1 July 2025 a new unit's target for a "
            "year up to 2025 is the sum of its predecessors' when it has none of its "
            "own. Sibling units may add up to more than their parent by the "
            "transfers between them.",
        },
    },
    "fund_amount": {
        "name": {
            "vi": "Quỹ Bảo trợ trẻ em: số tiền huy động",
            "en": "Child Protection Fund: amount mobilised",
        },
        "definition": {
            "vi": "Số đã vận động cho Quỹ Bảo trợ trẻ em (tiền mặt, hiện vật, chương "
            "trình hỗ trợ) ghi nhận tại đơn vị trong kỳ; dùng cho xã, vì xã không có "
            "chỉ tiêu.",
            "en": "What was mobilised for the Child Protection Fund in the period "
            "(cash, in kind, support programmes), booked at the unit; shown for "
            "communes, which have no target.",
        },
        "formula": {
            "vi": "Tổng các khoản vận động trong kỳ (tiền mặt + hiện vật + chương "
            "trình hỗ trợ) / 1.000.000, không tính khoản chuyển giữa hai quỹ trong "
            "địa bàn.",
            "en": "The sum of the period's contributions (cash + in kind + support "
            "programmes) / 1,000,000, without transfers between two funds of the "
            "area.",
        },
        "unit": {"vi": "triệu đồng", "en": "million đồng"},
        "basis": {
            "vi": "Các khoản vận động Quỹ do đơn vị ghi nhận (sổ vận động của Quỹ).",
            "en": "The fund contributions the unit booked (the fund's records).",
        },
        "limits": {
            "vi": "Hiện vật và chương trình hỗ trợ được tính theo giá trị quy ra "
            "đồng khi ghi nhận. Số tiền không so sánh được giữa xã đông và xã ít dân.",
            "en": "In-kind gifts and support programmes count at the value in đồng "
            "booked for them. Amounts do not compare large and small communes.",
        },
    },
    "incident_rate": {
        "name": {
            "vi": "Số vụ xâm hại, tai nạn thương tích trên 100.000 trẻ em",
            "en": "Abuse and injury cases per 100,000 children",
        },
        "definition": {
            "vi": "Số vụ trẻ em bị xâm hại, bị tai nạn thương tích hoặc cả hai (theo "
            "loại đã chọn) xảy ra trong kỳ, trên 100.000 trẻ em dưới 16 tuổi của "
            "đơn vị. Bảng xếp hạng dùng cả xâm hại và tai nạn thương tích; ít hơn là "
            "tốt hơn.",
            "en": "Cases of abused or injured children, or both (of the chosen "
            "types), dated in the period, per 100,000 children under 16 of the "
            "unit. The ranking uses abuse and injury together; fewer is better.",
        },
        "formula": {
            "vi": "Số vụ trong kỳ / số trẻ em dưới 16 tuổi của đơn vị trong năm của "
            "kỳ × 100.000.",
            "en": "Cases in the period / the unit's children under 16 in the "
            "period's year × 100,000.",
        },
        "unit": {"vi": "vụ / 100.000 trẻ em", "en": "cases per 100,000 children"},
        "basis": {"vi": _INCIDENT_BASIS[0], "en": _INCIDENT_BASIS[1]},
        "limits": {
            "vi": "Không quy ra năm: tỷ lệ của một quý khoảng một phần tư của năm. "
            f"{_SMALL[0]} {_HIDDEN[0]} Khi đó tỷ lệ tính từ số vụ hiển thị; trong "
            "xếp hạng, số vụ ẩn được tính là 2. Vụ của xã cũ bị chia tách trước "
            "1/7/2025 được chia theo tỷ lệ diện tích.",
            "en": "Not annualised: a quarter's rate is about a quarter of the "
            f"year's. {_SMALL[1]} {_HIDDEN[1]} The rate is then computed from the "
            "counts shown; in the ranking a hidden count is taken as 2. Cases of a "
            "divided former commune before 1 July 2025 are shared by area.",
        },
    },
    "incident_count": {
        "name": {
            "vi": "Số vụ xâm hại, tai nạn thương tích",
            "en": "Abuse and injury cases",
        },
        "definition": {
            "vi": "Số vụ trẻ em bị xâm hại, bị tai nạn thương tích hoặc cả hai (theo "
            "loại đã chọn) xảy ra trong kỳ tại đơn vị.",
            "en": "Cases of abused or injured children, or both (of the chosen "
            "types), dated in the period in the unit.",
        },
        "formula": {
            "vi": "Đếm các vụ có ngày xảy ra trong kỳ, cộng từ các xã lên.",
            "en": "The cases dated in the period, summed up from the communes.",
        },
        "unit": COUNT_CASES,
        "basis": {"vi": _INCIDENT_BASIS[0], "en": _INCIDENT_BASIS[1]},
        "limits": {
            "vi": "Số vụ không so sánh được giữa đơn vị đông và ít trẻ em: dùng tỷ "
            f"lệ trên 100.000 trẻ em. {_HIDDEN[0]} “≥” là tổng khi phần xâm hại là "
            "<5. Số vụ chia theo diện tích được làm tròn.",
            "en": "Counts do not compare units with many and few children: use the "
            f"rate per 100,000 children. {_HIDDEN[1]} “≥” marks a total whose abuse "
            "part is <5. Counts shared by area are rounded.",
        },
    },
    "on_time_share": {
        "name": {"vi": "Tỷ lệ báo cáo đúng hạn", "en": "Reports on time"},
        "definition": {
            "vi": "Trong các báo cáo đơn vị phải nộp cho kỳ và đã đến hạn: tỷ lệ báo "
            "cáo đến trước hạn nộp.",
            "en": "Of the reports the unit owes for the period that are already "
            "due: the share that arrived by their deadline.",
        },
        "formula": {
            "vi": "Số báo cáo đúng hạn / số báo cáo đã đến hạn × 100. Chỉ lần nộp "
            "đầu tiên được tính.",
            "en": "Reports on time / reports due × 100. Only the first submission "
            "counts.",
        },
        "unit": PERCENT,
        "basis": {
            "vi": "Lịch báo cáo của các kế hoạch (mẫu Tam Đường 2018: xã nộp huyện; "
            f"{GIA_LAI[0]}: huyện nộp tỉnh) và báo cáo Tháng hành động vì trẻ em "
            f"theo {TT28[0]}.",
            "en": "The plans' reporting calendar (the Tam Đường 2018 pattern: "
            f"communes to the district; {GIA_LAI[1]}: districts to the province) "
            f"and the Action Month for Children report under {TT28[1]}.",
        },
        "limits": {
            "vi": "Bản sửa gửi sau hạn không làm báo cáo đúng hạn thành trễ, và "
            "ngược lại. Báo cáo chưa đến hạn không tính. Đơn vị bị giải thể trước "
            "hạn nộp: đơn vị kế thừa nộp thay và báo cáo tính cho đơn vị cũ.",
            "en": "A correction sent after the deadline does not make an on-time "
            "report late, nor the reverse. Reports not yet due are left out. A unit "
            "abolished before the due date: its successor files it and it counts "
            "for the abolished unit.",
        },
    },
    "rank_composite": {
        "name": {"vi": "Chỉ số tổng hợp xếp hạng", "en": "Ranking composite"},
        "definition": {
            "vi": "Trung bình có trọng số của bốn thành phần (xã phù hợp với trẻ em, "
            "Quỹ, vụ việc trên 100.000 trẻ em, báo cáo đúng hạn), mỗi thành phần "
            "quy về thang 0–100 giữa các đơn vị được xếp hạng cùng nhau.",
            "en": "The weighted mean of four components (child-friendly communes, "
            "the fund, cases per 100,000 children, reports on time), each scaled to "
            "0–100 among the units ranked together.",
        },
        "formula": {
            "vi": "Điểm thành phần = 100 × (giá trị − nhỏ nhất) / (lớn nhất − nhỏ "
            "nhất); với vụ việc = 100 × (lớn nhất − giá trị) / (lớn nhất − nhỏ "
            "nhất). Chỉ số = Σ(trọng số × điểm) / Σ trọng số của các thành phần có "
            "số liệu. Bằng nhau (làm tròn 0,1) thì cùng hạng.",
            "en": "Component score = 100 × (value − min) / (max − min); for cases "
            "100 × (max − value) / (max − min). Composite = Σ(weight × score) / Σ "
            "weights of the components with figures. Equal composites (to 0.1) "
            "share a rank.",
        },
        "unit": {"vi": "điểm (0–100)", "en": "points (0–100)"},
        "basis": {
            "vi": "Cách tính của bảng điều khiển này, không phải chỉ số chính thức; "
            "chỉ số xếp hạng địa phương về thực hiện quyền trẻ em (PCRI) do Bộ công "
            "bố không được tính lại.",
            "en": "This dashboard's own method, not an official index; the "
            "published provincial child-rights index (PCRI) is not recomputed.",
        },
        "limits": {
            "vi": "Điểm là tương đối: đơn vị tốt nhất được 100, kém nhất 0, dù khoảng "
            "cách nhỏ. Thành phần thiếu bị bỏ qua và trọng số các thành phần khác "
            f"được chia lại. {_SMALL[0]}",
            "en": "Scores are relative: the best unit gets 100 and the worst 0, "
            "however small the gap. A missing component is left out and the others "
            f"re-weighted. {_SMALL[1]}",
        },
    },
}

_CF_DISTRICT = (
    "Chỉ tiêu cấp huyện tính trên các xã, thị trấn của huyện.",
    "A district target counts the district's communes.",
)
_IN_KIND = (
    "Số liệu do đơn vị báo cáo, không tính từ các chủ đề khác.",
    "Reported by the units, not computed from the other themes.",
)

PLAN_ENTRIES: dict[str, dict[str, dict[str, str]]] = {
    "SC_CARED_REGULARLY": _plan_share(
        (
            "Trẻ em có hoàn cảnh đặc biệt được chăm sóc, giúp đỡ thường xuyên",
            "Special-circumstance children regularly cared for or helped",
        ),
        ("trẻ em có hoàn cảnh đặc biệt", "children in special circumstances"),
        ("được chăm sóc, giúp đỡ thường xuyên", "regularly cared for or helped"),
        TAM_DUONG,
        "≥ 82%",
        (
            f"Nhóm trẻ em có hoàn cảnh đặc biệt theo {LAW[0]}. {_IN_KIND[0]}",
            f"The groups of special circumstances of {LAW[1]}. {_IN_KIND[1]}",
        ),
    ),
    "DISABLED_CHILDREN_SERVICES": _plan_share(
        (
            "Trẻ em khuyết tật được tiếp cận dịch vụ y tế, phục hồi chức năng dựa "
            "vào cộng đồng và giáo dục hòa nhập",
            "Disabled children reaching health care, community-based rehabilitation "
            "and inclusive education",
        ),
        ("trẻ em khuyết tật", "disabled children"),
        (
            "được tiếp cận dịch vụ y tế, phục hồi chức năng dựa vào cộng đồng và "
            "giáo dục hòa nhập",
            "reaching health care, community-based rehabilitation and inclusive "
            "education",
        ),
        TAM_DUONG,
        "≥ 75%",
        _IN_KIND,
    ),
    "U6_HEALTH_INSURANCE": _plan_share(
        (
            "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế",
            "Children under 6 with a health-insurance card",
        ),
        ("trẻ em dưới 6 tuổi", "children under 6"),
        ("được cấp thẻ bảo hiểm y tế", "with a health-insurance card"),
        TAM_DUONG,
        "≥ 100%",
        _IN_KIND,
    ),
    "U5_MALNUTRITION": _plan_share(
        ("Tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi", "Malnutrition of children under 5"),
        ("trẻ em dưới 5 tuổi", "children under 5"),
        ("bị suy dinh dưỡng", "malnourished"),
        TAM_DUONG,
        "≤ 23,5%",
        (
            f"Thấp hơn là tốt hơn. {_IN_KIND[0]}",
            f"Lower is better. {_IN_KIND[1]}",
        ),
    ),
    "RIGHT_AGE_SCHOOLING": _plan_share(
        (
            "Trẻ em đi học mẫu giáo, tiểu học đúng độ tuổi",
            "Preschool and primary attendance at the right age",
        ),
        (
            "trẻ em trong độ tuổi mẫu giáo, tiểu học",
            "children of preschool and primary age",
        ),
        ("đi học đúng độ tuổi", "attending at the right age"),
        TAM_DUONG,
        "≥ 98,8%",
        _IN_KIND,
    ),
    "COMMUNE_FUND_AND_PLAY": _plan_share(
        (
            "Xã, thị trấn xây dựng Quỹ Bảo trợ trẻ em và tổ chức hoạt động vui chơi "
            "có sự tham gia của trẻ em",
            "Communes with a child fund and play activities with children",
        ),
        ("xã, thị trấn", "communes"),
        (
            "có Quỹ Bảo trợ trẻ em và tổ chức hoạt động vui chơi có trẻ em tham gia",
            "with a Child Protection Fund and play activities children take part in",
        ),
        TAM_DUONG,
        "≥ 100%",
        (
            f"{_CF_DISTRICT[0]} Tính từ các khoản vận động Quỹ của xã trong năm.",
            f"{_CF_DISTRICT[1]} Computed from the communes' fund contributions of "
            "the year.",
        ),
    ),
    "CF_COMMUNES_MAINTAINED": {
        "name": {
            "vi": "Xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em",
            "en": "Child-friendly communes (all to be maintained)",
        },
        "definition": {
            "vi": "Số xã, thị trấn của huyện đang được công nhận phù hợp với trẻ em; "
            "chỉ tiêu là giữ vững tất cả các xã.",
            "en": "The district's communes currently recognised child-friendly; the "
            "target is to keep every commune recognised.",
        },
        "formula": {
            "vi": "Đếm các xã được công nhận (mới hoặc giữ vững) theo đợt đánh giá "
            "gần nhất đến hết năm; chỉ tiêu = số xã của huyện.",
            "en": "The communes recognised (new or maintained) by the latest round "
            "up to the year's end; target = the district's number of communes.",
        },
        "unit": COMMUNES,
        "basis": {
            "vi": f"{TAM_DUONG[0]}: tất cả các xã, thị trấn giữ vững; công nhận theo "
            f"{QD06[0]}.",
            "en": f"{_cap(TAM_DUONG[1])}: every commune to stay recognised; "
            f"recognition under {QD06[1]}.",
        },
        "limits": {
            "vi": f"{_CF_DISTRICT[0]} {_SCORED[0]}",
            "en": f"{_CF_DISTRICT[1]} {_SCORED[1]}",
        },
    },
    "CF_COMMUNES_700_POINTS": _plan_share(
        ("Xã, thị trấn đạt từ 700 điểm trở lên", "Communes scoring 700 points or more"),
        ("xã, thị trấn", "communes"),
        (
            "có tổng điểm đánh giá từ 700 điểm trở lên",
            "whose assessment total is 700 points or more",
        ),
        TAM_DUONG,
        "≥ 86%",
        (
            f"Theo tổng điểm của đợt gần nhất ({QD06[0]}). {_CF_DISTRICT[0]}",
            f"By the latest round's total ({QD06[1]}). {_CF_DISTRICT[1]}",
        ),
    ),
    "CF_RECOGNITIONS_GAIN": {
        "name": {
            "vi": "Số xã, thị trấn phù hợp với trẻ em tăng so với kỳ trước",
            "en": "Child-friendly recognitions gained since the previous round",
        },
        "definition": {
            "vi": "Số xã, thị trấn được công nhận phù hợp với trẻ em tăng thêm so "
            "với đợt đánh giá trước.",
            "en": "How many more communes are recognised child-friendly than in the "
            "previous round.",
        },
        "formula": {
            "vi": "Số xã được công nhận theo đợt gần nhất − số xã được công nhận "
            "theo đợt trước.",
            "en": "Communes recognised by the latest round − communes recognised "
            "by the round before.",
        },
        "unit": COMMUNES,
        "basis": {
            "vi": f"{NAM_DONG[0]}: chỉ tiêu tăng ít nhất 1 xã; công nhận theo "
            f"{QD06[0]}.",
            "en": f"{_cap(NAM_DONG[1])}: target at least 1 more commune; "
            f"recognition under {QD06[1]}.",
        },
        "limits": {
            "vi": f"Có thể âm khi xã mất công nhận. {_CF_DISTRICT[0]} {_SCORED[0]}",
            "en": f"Negative when communes lose recognition. {_CF_DISTRICT[1]} "
            f"{_SCORED[1]}",
        },
    },
    "CF_UNITS_REGISTERED": _plan_share(
        (
            "Xã, thị trấn đăng ký xây dựng xã, thị trấn phù hợp với trẻ em",
            "Communes registered for child-friendly recognition",
        ),
        ("xã, thị trấn", "communes"),
        (
            "đăng ký xây dựng xã, thị trấn phù hợp với trẻ em",
            "registered for child-friendly recognition",
        ),
        NAM_DONG,
        "≥ 100%",
        (
            f"Đăng ký theo {QD06[0]}. {_CF_DISTRICT[0]}",
            f"Registration under {QD06[1]}. {_CF_DISTRICT[1]}",
        ),
    ),
    "CF_UNITS_RECOGNISED": _plan_share(
        (
            "Xã, thị trấn được công nhận phù hợp với trẻ em (giữ vững và mới)",
            "Communes recognised child-friendly (maintained and new)",
        ),
        ("xã, thị trấn", "communes"),
        (
            "được công nhận phù hợp với trẻ em (giữ vững và mới)",
            "recognised child-friendly (maintained and new)",
        ),
        NAM_DONG,
        "≥ 63,64%",
        (
            f"Công nhận theo {QD06[0]}; cùng cách tính với tỷ lệ trên bản đồ. "
            f"{_CF_DISTRICT[0]}",
            f"Recognition under {QD06[1]}; computed as the map's share. "
            f"{_CF_DISTRICT[1]}",
        ),
    ),
    "DISTRICT_BUDGET_PER_UNIT": {
        "name": {
            "vi": "Ngân sách huyện hỗ trợ mỗi xã, thị trấn đăng ký",
            "en": "District budget support per registered commune",
        },
        "definition": {
            "vi": "Số tiền ngân sách huyện hỗ trợ cho mỗi xã, thị trấn đăng ký xây "
            "dựng xã phù hợp với trẻ em.",
            "en": "The district budget's support to each commune registered for "
            "child-friendly recognition.",
        },
        "formula": {
            "vi": "Mức hỗ trợ cho một xã đăng ký (không cộng dồn).",
            "en": "The amount per registered commune (not a total).",
        },
        "unit": DONG,
        "basis": {
            "vi": f"{NAM_DONG[0]}: 500.000 đồng mỗi xã đăng ký.",
            "en": f"{_cap(NAM_DONG[1])}: 500,000 đồng per registered commune.",
        },
        "limits": {
            "vi": f"Không có chiều tốt hơn: chỉ tiêu là đúng mức (=). {_IN_KIND[0]} "
            f"{_SCORED[0]}",
            "en": f"No better direction: the target is the exact amount (=). "
            f"{_IN_KIND[1]} {_SCORED[1]}",
        },
    },
    "PROVINCE_BUDGET_PER_UNIT": {
        "name": {
            "vi": "Ngân sách tỉnh hỗ trợ mỗi xã, thị trấn được công nhận",
            "en": "Provincial budget support per recognised commune",
        },
        "definition": {
            "vi": "Số tiền ngân sách tỉnh hỗ trợ cho mỗi xã, thị trấn được công nhận "
            "phù hợp với trẻ em.",
            "en": "The provincial budget's support to each commune recognised "
            "child-friendly.",
        },
        "formula": {
            "vi": "Mức hỗ trợ cho một xã được công nhận (không cộng dồn).",
            "en": "The amount per recognised commune (not a total).",
        },
        "unit": DONG,
        "basis": {
            "vi": f"{NAM_DONG[0]}: 500.000 đồng mỗi xã được công nhận; công nhận là "
            f"quyết định của Chủ tịch UBND cấp huyện theo {QD06[0]}.",
            "en": f"{_cap(NAM_DONG[1])}: 500,000 đồng per recognised commune; "
            f"recognition is the district chairman's decision under {QD06[1]}.",
        },
        "limits": {
            "vi": f"Không có chiều tốt hơn: chỉ tiêu là đúng mức (=). {_IN_KIND[0]} "
            f"{_SCORED[0]}",
            "en": f"No better direction: the target is the exact amount (=). "
            f"{_IN_KIND[1]} {_SCORED[1]}",
        },
    },
    "SC_SUPPORTED": _plan_share(
        (
            "Trẻ em có hoàn cảnh đặc biệt được trợ giúp dưới nhiều hình thức",
            "Special-circumstance children supported in any form",
        ),
        ("trẻ em có hoàn cảnh đặc biệt", "children in special circumstances"),
        ("được trợ giúp dưới nhiều hình thức", "supported in any form"),
        GIA_LAI,
        "≥ 98,5%",
        (
            f"Nhóm trẻ em có hoàn cảnh đặc biệt theo {LAW[0]}. {_IN_KIND[0]}",
            f"The groups of special circumstances of {LAW[1]}. {_IN_KIND[1]}",
        ),
    ),
    "DISTRICTS_CHILD_EVENTS": _plan_share(
        (
            "Huyện, thị xã, thành phố tổ chức Tháng hành động vì trẻ em, Tết Trung "
            "thu, Diễn đàn trẻ em",
            "Districts running the Action Month, Mid-Autumn and a Children's Forum",
        ),
        ("huyện, thị xã, thành phố", "districts"),
        (
            "tổ chức Tháng hành động vì trẻ em, Tết Trung thu và Diễn đàn trẻ em",
            "running the Action Month for Children, the Mid-Autumn festival and a "
            "Children's Forum",
        ),
        GIA_LAI,
        "≥ 100%",
        (
            f"Tháng hành động vì trẻ em theo {TT28[0]}. Giá trị của huyện là có "
            "(100%) hoặc không (0%).",
            f"The Action Month for Children under {TT28[1]}. A district's own value "
            "is done (100%) or not (0%).",
        ),
    ),
    "STAFF_TRAINED": _plan_share(
        (
            "Cán bộ làm công tác trẻ em các cấp được bồi dưỡng, tập huấn",
            "Child-work staff at every level trained",
        ),
        ("cán bộ làm công tác trẻ em", "child-work staff"),
        ("được bồi dưỡng, tập huấn", "trained"),
        GIA_LAI,
        "≥ 100%",
        _IN_KIND,
    ),
    "ABUSED_SUPPORTED_IN_TIME": _plan_share(
        (
            "Trẻ em bị xâm hại được hỗ trợ, quản lý, can thiệp kịp thời khi phát hiện",
            "Abused children supported, managed or helped in time once detected",
        ),
        ("trẻ em bị xâm hại", "abused children"),
        (
            "được hỗ trợ, can thiệp kịp thời khi phát hiện",
            "supported or helped in time once detected",
        ),
        GIA_LAI,
        "≥ 100%",
        (
            f"Thời hạn xử lý theo {ND56[0]}. Tính từ các vụ xâm hại có ghi được hỗ "
            "trợ kịp thời. Ẩn với các tài khoản không thấy số vụ xâm hại chính xác.",
            f"Response deadlines under {ND56[1]}. Computed from the abuse cases "
            "marked supported in time. Hidden from accounts that do not see exact "
            "abuse counts.",
        ),
    ),
    "INJURED_CHILDREN": {
        "name": {"vi": "Trẻ em bị tai nạn thương tích", "en": "Injured children"},
        "definition": {
            "vi": "Số trẻ em bị tai nạn thương tích trong năm tại tỉnh.",
            "en": "Children injured in the year in the province.",
        },
        "formula": {
            "vi": "Đếm các vụ tai nạn thương tích của năm; chỉ tiêu: thấp hơn số của "
            "năm 2020.",
            "en": "The injury cases of the year; target: fewer than in 2020.",
        },
        "unit": COUNT_CASES,
        "basis": {
            "vi": f"{GIA_LAI[0]}: thấp hơn năm 2020; mục tiêu giảm tai nạn thương "
            f"tích trẻ em của chương trình quốc gia ({QD23[0]}).",
            "en": f"{_cap(GIA_LAI[1])}: fewer than in 2020; the national "
            f"programme's aim of fewer injured children ({QD23[1]}).",
        },
        "limits": {
            "vi": "Cùng số liệu với chủ đề Xâm hại và tai nạn thương tích. Số đếm "
            f"không tính theo số trẻ em. {_SCORED[0]}",
            "en": "The same figures as the Abuse and injuries theme. A count takes "
            f"no account of the number of children. {_SCORED[1]}",
        },
    },
    "ABUSED_CHILDREN": {
        "name": {"vi": "Trẻ em bị xâm hại", "en": "Abused children"},
        "definition": {
            "vi": "Số trẻ em bị xâm hại trong năm tại tỉnh.",
            "en": "Children abused in the year in the province.",
        },
        "formula": {
            "vi": "Đếm các vụ xâm hại của năm; chỉ tiêu: thấp hơn số của năm 2020.",
            "en": "The abuse cases of the year; target: fewer than in 2020.",
        },
        "unit": COUNT_CASES,
        "basis": {
            "vi": f"{GIA_LAI[0]}: thấp hơn năm 2020; mục tiêu giảm xâm hại trẻ em "
            f"của chương trình quốc gia ({QD23[0]}).",
            "en": f"{_cap(GIA_LAI[1])}: fewer than in 2020; the national "
            f"programme's aim of fewer abused children ({QD23[1]}).",
        },
        "limits": {
            "vi": f"{_HIDDEN[0]} Cùng số liệu với chủ đề Xâm hại và tai nạn thương "
            f"tích. {_SCORED[0]}",
            "en": f"{_HIDDEN[1]} The same figures as the Abuse and injuries theme. "
            f"{_SCORED[1]}",
        },
    },
    "FUND_MOBILISED": {
        "name": {
            "vi": "Vận động Quỹ Bảo trợ trẻ em (tiền mặt, hiện vật, chương trình hỗ "
            "trợ)",
            "en": "Child protection fund mobilised (cash, in kind and programmes)",
        },
        "definition": {
            "vi": "Tổng số đã vận động cho Quỹ Bảo trợ trẻ em trong năm trên toàn "
            "tỉnh (quỹ tỉnh, huyện và xã).",
            "en": "Everything mobilised for the Child Protection Fund in the year "
            "across the province (province, district and commune funds).",
        },
        "formula": {
            "vi": "Tổng vận động của năm (tiền mặt + hiện vật + chương trình hỗ "
            "trợ), không tính lại khoản chuyển giữa các quỹ trong tỉnh; chỉ tiêu: "
            "chỉ tiêu vận động Quỹ của năm.",
            "en": "The year's total (cash + in kind + support programmes), not "
            "counting transfers between funds in the province twice; target: the "
            "year's fund target.",
        },
        "unit": DONG,
        "basis": {
            "vi": f"{GIA_LAI[0]}: đạt chỉ tiêu vận động Quỹ của năm.",
            "en": f"{_cap(GIA_LAI[1])}: reach the year's fund target.",
        },
        "limits": {
            "vi": f"Cùng số liệu với chủ đề Quỹ Bảo trợ trẻ em. {_SCORED[0]}",
            "en": f"The same figures as the Child Protection Fund theme. {_SCORED[1]}",
        },
    },
}

ENTRIES: dict[str, dict[str, dict[str, str]]] = {**THEME_ENTRIES, **PLAN_ENTRIES}

# The page /chi-so and the "?" beside every indicator.
PAGE_MESSAGES: dict[str, dict[str, str]] = {
    "gloss_link": {"vi": "Chỉ số", "en": "Indicators"},
    "gloss_title": {"vi": "Giải thích các chỉ số", "en": "Indicator glossary"},
    "gloss_intro": {
        "vi": "Mỗi chỉ số trên bản đồ, bảng xếp hạng và bảng chỉ tiêu kế hoạch: định "
        "nghĩa, cách tính, đơn vị, căn cứ và giới hạn. Dấu “?” bên cạnh một chỉ số "
        "mở mục của nó ở đây.",
        "en": "Every indicator of the map, the ranking and the plan-target "
        "scorecard: its definition, formula, unit, basis and limits. The “?” beside "
        "an indicator opens its entry here.",
    },
    "gloss_section_themes": {"vi": "Bản đồ", "en": "The map"},
    "gloss_section_ranking": {"vi": "Xếp hạng", "en": "The ranking"},
    "gloss_section_plan": {"vi": "Chỉ tiêu kế hoạch", "en": "Plan targets"},
    "gloss_contents": {"vi": "Mục lục", "en": "Contents"},
    "gloss_ranking_uses": {
        "vi": "Các thành phần của bảng xếp hạng là các chỉ số của bản đồ: {names}.",
        "en": "The ranking's components are the map's indicators: {names}.",
    },
    "gloss_field_definition": {"vi": "Định nghĩa", "en": "Definition"},
    "gloss_field_formula": {"vi": "Cách tính", "en": "Formula"},
    "gloss_field_unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "gloss_field_basis": {"vi": "Căn cứ", "en": "Basis"},
    "gloss_field_limits": {"vi": "Giới hạn", "en": "Limits"},
    "gloss_help": {
        "vi": "Giải thích chỉ số: {name} (mở trong thẻ mới)",
        "en": "About this indicator: {name} (opens in a new tab)",
    },
    "gloss_back": {"vi": "↑ Về mục lục", "en": "↑ Back to contents"},
}

GLOSSARY_MESSAGES: dict[str, dict[str, str]] = {
    **PAGE_MESSAGES,
    **{
        f"gloss_{key}_{field}": entry[field]
        for key, entry in ENTRIES.items()
        for field in FIELDS
    },
}
