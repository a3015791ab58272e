"""The kinds of facts a province imports: each its form (columns, texts), the
unit levels its rows name, its row checker and its store (natural key, fields,
what the summary adds up per unit).

- ``incidents``: one anonymous case per row, known by its commune and case
  reference; the summary counts cases per commune;
- ``fund_targets``: a unit's yearly fund target, known by unit and year; the
  summary shows each unit's target of the year before and after;
- ``fund_bookings``: one booking per row, known by its unit and booking
  reference; the summary shows each unit's bookings in đồng before and after;
- ``children``: a unit's children under 16 in a year, known by unit and year;
  the summary shows each unit's figure of the year before and after;
- ``cf_assessments``: a commune's child-friendly round (06/QĐ-TTg), known by
  commune and round date; the status and threshold are the rule's; the summary
  shows each round's total points before and after, and the status after;
- ``indicator_targets``, ``indicator_values``: a unit's plan target of an
  indicator in a year, and its value, known by unit, indicator and year; the
  summary shows each figure before and after (values are protected like case
  counts: some count abused children).
"""

from __future__ import annotations

from data.fact_import import assessments, children, indicators
from data.fact_import.check import IncidentCheck
from data.fact_import.fund import BookingCheck, TargetCheck
from data.fact_import.spec import (
    BOOKING_FORM,
    CF_FORM,
    CHILDREN_FORM,
    INCIDENT_FORM,
    PLAN_TARGET_FORM,
    PLAN_VALUE_FORM,
    TARGET_FORM,
    Kind,
    Store,
)
from data.models import (
    ChildFriendlyAssessment,
    FundContribution,
    FundTarget,
    Incident,
    IndicatorTarget,
    IndicatorValue,
    UnitChildren,
    new_record_key,
)

FUND_LEVELS = ("province", "district", "commune")

INCIDENTS = Kind(
    name="incidents",
    form=INCIDENT_FORM,
    levels=("commune",),
    measure="cases",
    sensitive=True,
    checker=IncidentCheck,
    store=Store(
        Incident,
        key=("unit_id", "case_ref"),
        fields=(
            "occurred_on",
            "category",
            "type_code",
            "sex",
            "age_band",
            "environment",
            "intent",
            "outcome",
            "supported_in_time",
        ),
        measure=None,
        fresh=lambda: {"record_key": new_record_key()},
    ),
)
FUND_TARGETS = Kind(
    name="fund_targets",
    form=TARGET_FORM,
    levels=FUND_LEVELS,
    measure="dong",
    sensitive=False,
    checker=TargetCheck,
    store=Store(
        FundTarget,
        key=("unit_id", "year"),
        fields=("amount_dong",),
        measure="amount_dong",
        group=("unit_id", "year"),
        none_when_absent=True,
    ),
)
FUND_BOOKINGS = Kind(
    name="fund_bookings",
    form=BOOKING_FORM,
    levels=FUND_LEVELS,
    measure="dong",
    sensitive=False,
    checker=BookingCheck,
    store=Store(
        FundContribution,
        key=("unit_id", "booking_ref"),
        fields=(
            "contributed_on",
            "kind",
            "source_type",
            "amount_dong",
            "transfer_from_unit_id",
        ),
        measure="amount_dong",
    ),
)
CHILDREN = Kind(
    name="children",
    form=CHILDREN_FORM,
    levels=FUND_LEVELS,
    measure="children",
    sensitive=False,
    checker=children.ChildrenCheck,
    store=Store(
        UnitChildren,
        key=("unit_id", "year"),
        fields=("children_u16",),
        measure="children_u16",
        group=("unit_id", "year"),
        none_when_absent=True,
        ident=None,
        writer=children.write,
    ),
    vet=children.vet,
)
CF_ASSESSMENTS = Kind(
    name="cf_assessments",
    form=CF_FORM,
    levels=("commune",),
    measure="points",
    sensitive=False,
    checker=assessments.AssessmentCheck,
    store=Store(
        ChildFriendlyAssessment,
        key=("unit_id", "round_date"),
        fields=(
            "regime",
            "status",
            "total_score",
            "threshold",
            "has_zero_criterion",
            "decided_on",
            "decision_ref",
            "contradicts_scores",
            "scores",
        ),
        measure="total_score",
        group=("unit_id", "round_date"),
        none_when_absent=True,
        label="status",
        loader=assessments.load,
        writer=assessments.write,
    ),
    vet=assessments.vet,
    foresee=assessments.foresee,
)
INDICATOR_TARGETS = Kind(
    name="indicator_targets",
    form=PLAN_TARGET_FORM,
    levels=FUND_LEVELS,
    measure="number",
    sensitive=False,
    checker=indicators.TargetCheck,
    store=Store(
        IndicatorTarget,
        key=("unit_id", "indicator_code", "year"),
        fields=("comparator", "target_value"),
        measure="target_value",
        group=("unit_id", "indicator_code", "year"),
        none_when_absent=True,
        whole=False,
    ),
    vet=indicators.vet,
)
INDICATOR_VALUES = Kind(
    name="indicator_values",
    form=PLAN_VALUE_FORM,
    levels=FUND_LEVELS,
    measure="number",
    sensitive=True,  # some are counts of abused children (data.suppression)
    checker=indicators.ValueCheck,
    store=Store(
        IndicatorValue,
        key=("unit_id", "indicator_code", "year"),
        fields=("value",),
        measure="value",
        group=("unit_id", "indicator_code", "year"),
        none_when_absent=True,
        whole=False,
        fresh=lambda: {"record_key": new_record_key()},
    ),
    vet=indicators.vet,
)
KINDS = {
    kind.name: kind
    for kind in (
        INCIDENTS,
        FUND_TARGETS,
        FUND_BOOKINGS,
        CHILDREN,
        CF_ASSESSMENTS,
        INDICATOR_TARGETS,
        INDICATOR_VALUES,
    )
}
