"""Why the recognition rule refuses an assessment (``data.recognition``), Vietnamese
first; merged into ``layouts.messages.MESSAGES``.

A refusal about one commune's round is ``cf_at``: ``{where}`` is ``cf_where`` (the
commune and the round date), ``{why}`` one of the messages below.  ``{act}`` is a
legal act's name and ``{status}`` in ``cf_scores_require_recognition`` a status's
name, both given in each language; other values are numbers, criterion codes and
dates (dd/mm/yyyy) as they are written.
"""

from __future__ import annotations

RECOGNITION_MESSAGES: dict[str, dict[str, str]] = {
    "cf_at": {"vi": "{where}: {why}", "en": "{where}: {why}"},
    "cf_where": {"vi": "{unit}, đợt {round}", "en": "{unit}, round {round}"},
    # a row of a bulk writer names its unit by id
    "cf_unit_id": {"vi": "unit {unit_id}", "en": "unit {unit_id}"},
    # the unit
    "cf_no_unit": {"vi": "Không có đơn vị này.", "en": "No such unit."},
    "cf_not_a_commune": {
        "vi": "{unit}: chỉ xã, phường, thị trấn được đánh giá.",
        "en": "{unit}: only communes are assessed.",
    },
    "cf_unit_not_on_round_date": {
        "vi": "đơn vị không tồn tại vào ngày đánh giá",
        "en": "the unit did not exist on the round date",
    },
    # the regime and the tier
    "cf_before_any_rule": {
        "vi": "trước {act}, chưa có quy định công nhận",
        "en": "before {act}: no recognition rule",
    },
    "cf_wrong_regime": {"vi": "sai quy định áp dụng", "en": "wrong regime"},
    "cf_tier_unknown": {
        "vi": "chưa rõ ngưỡng của đơn vị theo {act}: ghi ngưỡng",
        "en": "the unit's threshold under {act} is not known: give it",
    },
    "cf_tier_not_allowed": {
        "vi": "ngưỡng {threshold} không có trong {act} ({allowed})",
        "en": "threshold {threshold} is not one of {act} ({allowed})",
    },
    "cf_no_such_tier": {
        "vi": "ngưỡng {threshold} không có",
        "en": "no threshold {threshold}",
    },
    # the scores
    "cf_criteria_not_coded": {
        "vi": "tiêu chí của {act} chưa được mã hóa: ghi tổng điểm",
        "en": "the criteria of {act} are not coded: give the total",
    },
    "cf_total_needed": {
        "vi": "cần tổng điểm từ 0 đến {maximum}",
        "en": "a total from 0 to {maximum} is needed",
    },
    "cf_criteria_missing": {
        "vi": "thiếu tiêu chí {codes}",
        "en": "missing criteria {codes}",
    },
    "cf_criteria_unknown": {
        "vi": "không có tiêu chí {codes}",
        "en": "unknown criteria {codes}",
    },
    "cf_points_not_whole": {
        "vi": "tiêu chí {criterion}: điểm phải là số nguyên",
        "en": "criterion {criterion}: points must be a whole number",
    },
    "cf_points_out_of_range": {
        "vi": "tiêu chí {criterion}: {points} điểm, ngoài khoảng 0–{top}",
        "en": "criterion {criterion}: {points} points, outside 0–{top}",
    },
    "cf_total_differs": {
        "vi": "tổng {total} điểm khác tổng các tiêu chí ({summed})",
        "en": "total {total} differs from the sum of the criteria ({summed})",
    },
    "cf_total_not_the_sum": {
        "vi": "tổng điểm khác tổng các tiêu chí",
        "en": "total is not the sum",
    },
    "cf_zero_flag_wrong": {
        "vi": "cờ tiêu chí 0 điểm sai",
        "en": "zero-criterion flag is wrong",
    },
    # the decision and its date
    "cf_decision_needs_date": {
        "vi": "quyết định công nhận/không công nhận cần ngày quyết định",
        "en": "a decision (recognised / not recognised) needs its date",
    },
    "cf_decision_date_of_decisions": {
        "vi": "quyết định cần ngày quyết định (và chỉ quyết định)",
        "en": "a decision needs its date (and only a decision has one)",
    },
    "cf_decided_before_round": {
        "vi": "quyết định trước đợt",
        "en": "decided before the round",
    },
    "cf_decision_date_before_round": {
        "vi": "ngày quyết định {day} trước ngày đánh giá",
        "en": "decision date {day} is before the round",
    },
    "cf_decision_date_future": {
        "vi": "ngày quyết định {day} chưa tới",
        "en": "decision date {day} is in the future",
    },
    "cf_stage_with_scores": {
        "vi": "trạng thái {status} không ghi kèm điểm được",
        "en": "status {status} cannot be recorded with scores",
    },
    "cf_dated_not_a_decision": {
        "vi": "có ngày quyết định thì trạng thái phải là quyết định, "
        "không phải {status}",
        "en": "with a decision date the status must be a decision, not {status}",
    },
    "cf_state_the_decision": {
        "vi": "điểm không đủ để xác định kết quả theo quy định này: ghi quyết định",
        "en": "the scores do not decide under this regime: state the decision",
    },
    "cf_maintained_needs_past": {
        "vi": "giữ vững công nhận cần được công nhận ở đợt trước",
        "en": "maintained recognition needs recognition in the previous round",
    },
    # a decision its scores contradict; {why} of cf_cannot_recognise is one of
    # cf_zero_*, cf_below_threshold or cf_reasons (both)
    "cf_cannot_recognise": {
        "vi": "{why} — không thể công nhận",
        "en": "{why} — cannot be recognised",
    },
    "cf_reasons": {"vi": "{first}; {second}", "en": "{first}; {second}"},
    "cf_zero_some": {"vi": "có tiêu chí 0 điểm", "en": "a criterion scored 0"},
    "cf_zero_criterion": {
        "vi": "tiêu chí {codes} 0 điểm",
        "en": "criterion {codes} scored 0",
    },
    "cf_zero_criteria": {
        "vi": "tiêu chí {codes} 0 điểm",
        "en": "criteria {codes} scored 0",
    },
    "cf_below_threshold": {
        "vi": "tổng {total} điểm dưới ngưỡng {threshold}",
        "en": "total {total} points below the threshold {threshold}",
    },
    "cf_scores_require_recognition": {
        "vi": "tổng {total} điểm đạt ngưỡng {threshold}, không tiêu chí nào 0 điểm — "
        "theo điểm phải công nhận, không thể ghi «{status}»",
        "en": "total {total} points reaches the threshold {threshold} and no "
        "criterion scored 0 — the scores require recognition, cannot record "
        "«{status}»",
    },
}
