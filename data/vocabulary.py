"""Codes of the domain (DOMAIN.md) with their Vietnamese and English names.

The schema's CHECK constraints, the demo generator and the UI all read these tuples,
so a code exists in exactly one place.  UI chrome (buttons, notes) lives in
``layouts/messages/``; this module holds the vocabulary of the domain itself.
"""

from __future__ import annotations

from typing import NamedTuple

from data import legal_acts as acts


class Term(NamedTuple):
    code: str
    vi: str
    en: str


def codes(terms: tuple[Term, ...]) -> tuple[str, ...]:
    return tuple(t.code for t in terms)


def names(terms: tuple[Term, ...], lang: str) -> dict[str, str]:
    """Map code -> display name in ``lang`` ('vi' or 'en')."""
    return {t.code: (t.vi if lang == "vi" else t.en) for t in terms}


TREES = ("legacy", "2025")
LEVELS = ("country", "province", "district", "commune")

# --- child-friendly communes (DOMAIN.md section 1) ---------------------------------
CF_REGIME_TERMS = (  # written as data.legal_acts gives them (number, date, issuer)
    Term("QD37_2010", acts.QD37_2010.vi, acts.QD37_2010.en),
    Term("QD34_2014", acts.QD34_2014.vi, acts.QD34_2014.en),
    Term("QD06_2019", acts.QD06_2019.vi, acts.QD06_2019.en),
)
CF_REGIMES = codes(CF_REGIME_TERMS)
CF_STATUS_TERMS = (
    Term("NOT_REGISTERED", "Chưa đăng ký", "Not registered"),
    Term("REGISTERED", "Đã đăng ký, chưa đánh giá", "Registered, not yet assessed"),
    Term("SELF_ASSESSED", "Đã tự đánh giá", "Self-assessed"),
    Term("SUBMITTED", "Đã đề nghị công nhận", "Submitted for recognition"),
    Term("RECOGNISED_NEW", "Công nhận mới", "Recognised (new)"),
    Term("RECOGNISED_MAINTAINED", "Giữ vững công nhận", "Recognised (maintained)"),
    Term("NOT_RECOGNISED", "Không công nhận", "Not recognised"),
    Term("UNIT_ABOLISHED", "Đơn vị đã sáp nhập", "Unit merged"),
)
CF_STATUSES = codes(CF_STATUS_TERMS)
CF_RECOGNISED = ("RECOGNISED_NEW", "RECOGNISED_MAINTAINED")
# the district chairman's decision: these statuses need its date (decided_on)
CF_DECIDED = (*CF_RECOGNISED, "NOT_RECOGNISED")


class Criterion(NamedTuple):
    code: str
    vi: str
    en: str
    max_points: int


# Quyết định 06/QĐ-TTg (3/1/2019): 13 criteria, 1,000 points in all.  CF01 (100), CF06 (125) and
# CF07 (50) are verified; the other maxima are not published in DOMAIN.md and are an
# assumption that keeps the total at 1,000 (see docs/data-model.md, "Demo data").
QD06_CRITERIA = (
    Criterion(
        "CF01",
        "Nguồn lực thực hiện quyền trẻ em",
        "Resources for children's rights",
        100,
    ),
    Criterion(
        "CF02", "Trẻ em được khai sinh đúng quy định", "Timely birth registration", 50
    ),
    Criterion("CF03", "Trẻ em bị xâm hại", "Abused children", 100),
    Criterion(
        "CF04",
        "Trẻ em vi phạm pháp luật, nghiện ma túy",
        "Children in conflict with the law or using drugs",
        50,
    ),
    Criterion("CF05", "Trẻ em bị tai nạn, thương tích", "Child injuries", 100),
    Criterion(
        "CF06",
        "Trẻ em có hoàn cảnh đặc biệt được trợ giúp",
        "Special-circumstance children supported",
        125,
    ),
    Criterion(
        "CF07",
        "Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ",
        "Full immunisation under 1",
        50,
    ),
    Criterion(
        "CF08",
        "Trẻ em dưới 5 tuổi suy dinh dưỡng",
        "Under-5 underweight and stunting",
        75,
    ),
    Criterion(
        "CF09", "Trẻ em được khám sức khỏe định kỳ", "Periodic health checks", 50
    ),
    Criterion("CF10", "Trẻ em đến trường, lớp mầm non", "Preschool attendance", 75),
    Criterion(
        "CF11", "Trẻ em được thực hiện quyền tham gia", "Child participation", 75
    ),
    Criterion(
        "CF12",
        "Hoạt động vui chơi, giải trí, văn hóa, thể thao",
        "Play, culture and sport",
        50,
    ),
    Criterion(
        "CF13",
        "Mức độ hài lòng của trẻ em và người dân",
        "Satisfaction of children and residents",
        100,
    ),
)
QD06_TIERS = (800, 850, 900)
QD37_TIERS = (650, 750, 850)  # 37/2010/QĐ-TTg; 34/2014's lower tiers are not known

# --- children in special circumstances (section 2: Luật Trẻ em 2016, Điều 10) --------
SPECIAL_GROUP_TERMS = (
    Term("ORPHAN", "a) Trẻ em mồ côi cả cha và mẹ", "a) Orphaned of both parents"),
    Term("ABANDONED", "b) Trẻ em bị bỏ rơi", "b) Abandoned"),
    Term("NO_CARER", "c) Trẻ em không nơi nương tựa", "c) Without any carer"),
    Term("DISABLED", "d) Trẻ em khuyết tật", "d) With disabilities"),
    Term("HIV", "đ) Trẻ em nhiễm HIV/AIDS", "đ) Living with HIV/AIDS"),
    Term("LAW_VIOL", "e) Trẻ em vi phạm pháp luật", "e) In conflict with the law"),
    Term("DRUG", "g) Trẻ em nghiện ma túy", "g) Drug-addicted"),
    Term(
        "DROPOUT_WORK",
        "h) Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục THCS",
        "h) Left school to earn a living before lower secondary",
    ),
    Term(
        "VIOLENCE_HARM",
        "i) Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
        "i) Seriously harmed by violence",
    ),
    Term("EXPLOITED", "k) Trẻ em bị bóc lột", "k) Exploited"),
    Term("SEX_ABUSE", "l) Trẻ em bị xâm hại tình dục", "l) Sexually abused"),
    Term("TRAFFICKED", "m) Trẻ em bị mua bán", "m) Trafficked"),
    Term(
        "ILL_POOR",
        "n) Trẻ em mắc bệnh hiểm nghèo hoặc điều trị dài ngày thuộc hộ nghèo, cận nghèo",
        "n) Severe or long-term illness in a poor or near-poor household",
    ),
    Term(
        "MIGRANT_REFUGEE",
        "o) Trẻ em di cư, lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có "
        "người chăm sóc",
        "o) Migrant or refugee child, parents unknown or no carer",
    ),
)
SPECIAL_GROUPS = codes(SPECIAL_GROUP_TERMS)
# activities a report counts (DOMAIN.md section 4: Action Month, Mid-Autumn, forum)
ACTIVITY_TERMS = (
    Term("ACTION_MONTH", "Tháng hành động vì trẻ em", "Action Month for Children"),
    Term("MID_AUTUMN", "Tết Trung thu", "Mid-Autumn Festival"),
    Term("CHILDREN_FORUM", "Diễn đàn trẻ em", "Children's Forum"),
)
ACTIVITIES = codes(ACTIVITY_TERMS)
# what a submitted report's figures are (data.report_forms, report_figure.section)
FIGURE_SECTIONS = (
    "group",
    "case",
    "fund",
    "activity_events",
    "activity_children",
    "staff_trained",
)

# --- child protection fund (section 4) ---------------------------------------------
FUND_KIND_TERMS = (
    Term("cash", "Tiền mặt", "Cash"),
    Term("in_kind", "Hiện vật", "In kind"),
    Term("programme", "Chương trình hỗ trợ", "Support programme"),
)
FUND_KINDS = codes(FUND_KIND_TERMS)
FUND_SOURCE_TERMS = (
    Term("enterprise", "Doanh nghiệp", "Enterprise"),
    Term("individual", "Cá nhân", "Individual"),
    Term("organisation", "Tổ chức", "Organisation"),
    Term("state_budget", "Ngân sách nhà nước", "State budget"),
    Term("international", "Viện trợ quốc tế", "International aid"),
    # money another fund level handed over (transfer_from_unit_id says which):
    # not counted again where the giver's money is already counted (data.metrics.fund)
    Term(
        "transfer",
        "Chuyển từ quỹ cấp dưới/cấp khác",
        "Transfer from another fund level",
    ),
)
FUND_SOURCES = codes(FUND_SOURCE_TERMS)
FUND_TRANSFER = "transfer"
# where a booking's money comes from, as the fund table shows it
FUND_ORIGIN_TERMS = (
    Term("raised", "Vận động tại đơn vị", "Raised by the unit"),
    Term(FUND_TRANSFER, FUND_SOURCE_TERMS[-1].vi, FUND_SOURCE_TERMS[-1].en),
)

# --- incidents (section 3) -----------------------------------------------------------
# Rates of cases are per this many children under 16 (DOMAIN.md section 0).
PER_CHILDREN = 100_000
INCIDENT_CATEGORY_TERMS = (
    Term("abuse", "Xâm hại", "Abuse"),
    Term("injury", "Tai nạn thương tích", "Injury"),
)
INCIDENT_CATEGORIES = codes(INCIDENT_CATEGORY_TERMS)
ABUSE_TYPE_TERMS = (
    Term("AB_VIOL", "Bạo lực", "Violence"),
    Term("AB_EXPL", "Bóc lột", "Exploitation"),
    Term("AB_SEX", "Xâm hại tình dục", "Sexual abuse"),
    Term("AB_TRAF", "Mua bán", "Trafficking"),
    Term("AB_ABAND", "Bỏ rơi", "Abandonment"),
    Term("AB_NEGL", "Bỏ mặc", "Neglect"),
    Term("AB_OTHER", "Hình thức gây tổn hại khác", "Other harm"),
)
ABUSE_TYPES = codes(ABUSE_TYPE_TERMS)
INJURY_TYPE_TERMS = (
    Term("INJ_DROWN", "Đuối nước", "Drowning"),
    Term("INJ_TRAFFIC", "Tai nạn giao thông", "Road traffic"),
    Term("INJ_FALL", "Ngã", "Fall"),
    Term("INJ_BURN", "Bỏng", "Burn"),
    Term("INJ_POISON", "Ngộ độc", "Poisoning"),
    Term("INJ_ANIMAL", "Động vật cắn, húc, đốt", "Animal bite or sting"),
    Term("INJ_ELEC", "Điện giật", "Electric shock"),
    Term("INJ_CHOKE", "Hóc, sặc, ngạt", "Choking or suffocation"),
    Term("INJ_SHARP", "Vật sắc nhọn", "Sharp object"),
    Term("INJ_MACHINE", "Máy móc", "Machinery"),
    Term("INJ_EXPLOSIVE", "Bom mìn, vật nổ", "Explosives"),
    Term("INJ_VIOL", "Bạo lực", "Violence"),
    Term("INJ_SELF", "Tự gây thương tích, tự tử", "Self-harm or suicide"),
    Term("INJ_OTHER", "Khác", "Other"),
)
INJURY_TYPES = codes(INJURY_TYPE_TERMS)
SEX_TERMS = (
    Term("F", "Nữ", "Female"),
    Term("M", "Nam", "Male"),
)
SEXES = codes(SEX_TERMS)
AGE_BAND_TERMS = (
    Term("0_5", "0–5 tuổi", "0–5 years"),
    Term("6_10", "6–10 tuổi", "6–10 years"),
    Term("11_15", "11–15 tuổi", "11–15 years"),
)
AGE_BANDS = codes(AGE_BAND_TERMS)
ABUSE_ENVIRONMENT_TERMS = (
    Term("FAMILY", "Gia đình", "Family"),
    Term("SCHOOL", "Trường học", "School"),
    Term("COMMUNITY", "Cộng đồng", "Community"),
    Term("ONLINE", "Môi trường mạng", "Online"),
)
ABUSE_ENVIRONMENTS = codes(ABUSE_ENVIRONMENT_TERMS)
INJURY_INTENT_TERMS = (
    Term("unintentional", "Không cố ý", "Unintentional"),
    Term("intentional", "Cố ý", "Intentional"),
)
INJURY_INTENTS = codes(INJURY_INTENT_TERMS)
INJURY_OUTCOME_TERMS = (
    Term("fatal", "Tử vong", "Fatal"),
    Term("non_fatal", "Không tử vong", "Non-fatal"),
)
INJURY_OUTCOMES = codes(INJURY_OUTCOME_TERMS)
# a row of the incidents table that counts every value of a column together
# (restricted roles see abuse so: ``data.tables.queries.ALL``), by column
ALL_VALUES_TERMS = (
    Term("type", "Mọi hình thức", "All forms"),
    Term("sex", "Cả nam và nữ", "Both sexes"),
    Term("age_band", "Mọi nhóm tuổi", "All ages"),
)

# --- reporting (section 5) -----------------------------------------------------------
REPORT_TYPE_TERMS = (
    Term("Q1", "Báo cáo quý I", "Quarter I report"),
    Term("H1", "Báo cáo 6 tháng", "6-month report"),
    Term("M9", "Báo cáo 9 tháng", "9-month report"),
    Term("ANNUAL", "Báo cáo năm", "Annual report"),
    Term("ADHOC", "Báo cáo đột xuất", "Ad hoc report"),
    Term("THEMATIC", "Báo cáo chuyên đề", "Thematic report"),
    # reports the plans and TT 28/2019 require besides the periodic ones
    Term(
        "ACTION_MONTH",
        "Báo cáo kết quả Tháng hành động vì trẻ em",
        "Action Month for Children results",
    ),
    Term(
        "CF_REGISTER",
        "Đăng ký xây dựng xã phù hợp với trẻ em",
        "Child-friendly commune registration",
    ),
    Term(
        "CF_RESULTS",
        "Báo cáo kết quả xây dựng xã phù hợp với trẻ em",
        "Child-friendly commune results",
    ),
)
REPORT_TYPES = codes(REPORT_TYPE_TERMS)
# how a report owed came in (data.metrics.report_timeliness)
REPORT_STATUS_TERMS = (
    Term("on_time", "Đúng hạn", "On time"),
    Term("late", "Muộn", "Late"),
    Term("missing", "Chưa gửi, quá hạn", "Missing, overdue"),
    Term("not_due", "Chưa đến hạn", "Not yet due"),
)
REPORT_STATUSES = codes(REPORT_STATUS_TERMS)
# the sign-off of a submitted version (data.approvals, report_submission.approval)
APPROVAL_STATE_TERMS = (
    Term("pending", "Chờ phê duyệt", "Awaiting sign-off"),
    Term("approved", "Đã phê duyệt", "Approved"),
    Term("returned", "Đã trả lại", "Returned"),
)
APPROVAL_STATES = codes(APPROVAL_STATE_TERMS)
# a step of the sign-off (report_approval.action)
APPROVAL_ACTION_TERMS = (
    Term("approve", "Phê duyệt", "Approved"),
    Term("return", "Trả lại", "Returned"),
    Term("withdraw", "Rút phê duyệt", "Approval withdrawn"),
)
APPROVAL_ACTIONS = codes(APPROVAL_ACTION_TERMS)
# a report's sign-off in the reports table: its latest version's state, and
# whether that version was sent again after a return (data.approvals.sign_off)
SIGN_OFF_TERMS = (
    *APPROVAL_STATE_TERMS,
    Term(
        "pending_resubmitted",
        "Chờ phê duyệt (gửi lại sau khi bị trả lại)",
        "Awaiting sign-off (resubmitted after a return)",
    ),
    Term(
        "approved_resubmitted",
        "Đã phê duyệt (gửi lại sau khi bị trả lại)",
        "Approved (resubmitted after a return)",
    ),
)
# "vào ngày X" (the day itself counts) / "trước ngày X" (the day itself is late)
DUE_RULE_TERMS = (
    Term("inclusive", "Chậm nhất vào ngày hạn", "On the due date at the latest"),
    Term("exclusive", "Trước ngày hạn", "Before the due date"),
)
# how a plan words its deadline, as a calendar file's ``rule`` gives it
# (data.calendar): True when the day itself still counts ("inclusive")
DUE_RULE_WORDINGS = {"vào ngày": True, "chậm nhất ngày": True, "trước ngày": False}

# --- indicators (section 6) ----------------------------------------------------------
MEASURES = ("percent", "count", "vnd")
DIRECTIONS = ("higher", "lower", "none")
COMPARATORS = (">=", "<=", ">", "<", "=")
DIRECTION_TERMS = (
    Term("higher", "Càng cao càng tốt", "Higher is better"),
    Term("lower", "Càng thấp càng tốt", "Lower is better"),
    Term("none", "Không xếp chiều", "No direction"),
)
MEASURE_TERMS = (
    Term("percent", "%", "%"),
    Term("count", "Số lượng", "Count"),
    Term("vnd", "Đồng", "Đồng"),
)
TARGET_RESULT_TERMS = (
    Term("met", "Đạt", "Met"),
    Term("not_met", "Không đạt", "Not met"),
    Term("no_value", "Chưa có số liệu", "No value yet"),
    # a figure of abused children a restricted role may not see (data.suppression)
    Term("hidden", "Ẩn để bảo vệ trẻ em", "Hidden to protect children"),
)
TARGET_RESULTS = codes(TARGET_RESULT_TERMS)

# --- published ranks (section 8) -------------------------------------------------------
# Indices published by others and entered as given, never recomputed here: the
# provincial child-rights index (PCRI), whose method is not published.
PUBLISHED_INDEXES = ("pcri",)

# --- people ---------------------------------------------------------------------------
ROLE_TERMS = (
    Term("admin", "Quản trị", "Administrator"),
    Term("province", "Cấp tỉnh", "Province"),
    Term("district", "Cấp huyện", "District"),
    Term("commune", "Cấp xã", "Commune"),
    Term("viewer", "Xem tại phòng họp", "Meeting-room viewer"),
)
ROLES = codes(ROLE_TERMS)

# --- answers --------------------------------------------------------------------------
# a yes/no column of the tables page (``data.tables.shape``)
YES_NO_TERMS = (
    Term("yes", "Có", "Yes"),
    Term("no", "Không", "No"),
)
EXPORT_JOB_STATUSES = ("running", "done", "failed")

# --- unit kinds -----------------------------------------------------------------------
KIND_TERMS = (
    Term("quốc gia", "Quốc gia", "Country"),
    Term("tỉnh", "Tỉnh", "Province"),
    Term("thành phố trực thuộc trung ương", "Thành phố", "Centrally-run city"),
    Term("thành phố", "Thành phố", "City"),
    Term("thị xã", "Thị xã", "Town"),
    Term("huyện", "Huyện", "District"),
    Term("quận", "Quận", "Urban district"),
    Term("xã", "Xã", "Commune"),
    Term("phường", "Phường", "Ward"),
    Term("thị trấn", "Thị trấn", "Township"),
    Term("đặc khu", "Đặc khu", "Special zone"),
    Term("huyện đảo", "Huyện đảo", "Island district"),
)
