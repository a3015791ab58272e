"""Aggregates for the map and its panels, computed in SQL (GROUP BY), never in pandas
(only the choice of which submitted reports count, ``data.metrics.reported``, is
made in Python over the short list of candidate reports).

Every theme works the same way: take the units to show (those of ``level`` directly
under ``parent_code``, valid on the period's reference date), attach to each the
units at or under it, join the facts booked on those, and group by the unit shown.
Each function returns one row per unit shown, facts or not, ordered by code.
A map's listing and the shown unit's own row (its headline) can be read by one
statement (``*_with_unit``, ``rollup.read_with_unit``): the same two frames.

Across the July-2025 reform: ``tree_for(period)`` picks the tree a period is shown
on; on the new tree each new unit also rolls up the legacy units it inherits (see
``data.metrics.rollup``), child-friendly recognition excepted (``CF_CARRIED_OVER``);
``level=FORMER_DISTRICT`` under a new province gives one row per former-district
group, and ``level="commune"`` under a group code the new communes of that group.
"""

from data.metrics.cases import incidents, incidents_of_unit, incidents_with_unit
from data.metrics.child_friendly import (
    CF_CARRIED_KEY,
    CF_CARRIED_OVER,
    STATUS_CLASS,
    child_friendly_share,
    child_friendly_share_with_unit,
    child_friendly_status,
    latest_assessment,
    next_round,
)
from data.metrics.dataset import (
    DatasetInfo,
    Versions,
    available_periods,
    data_as_of,
    dataset_info,
    default_period,
    fact_years,
    facts_version,
    has_values,
    last_rounds,
    next_facts_version,
    theme_listing,
    versions,
)
from data.metrics.detail import (
    APPORTIONED_KEY,
    child_units,
    unit_detail,
    unit_trend,
)
from data.metrics.fund import fund_headline, fund_progress
from data.metrics.report_timeliness import timeliness, timeliness_with_unit
from data.metrics.rollup import commune_ancestry, valid_on
from data.metrics.rows import own_row, totals
from data.reform import (
    FORMER_DISTRICT,
    MIXED_NAME_VI,
    MIXED_PREFIX,
    REFORM_DATE,
    spans_reform,
    tree_for,
)

__all__ = [
    "own_row",
    "totals",
    "APPORTIONED_KEY",
    "CF_CARRIED_KEY",
    "CF_CARRIED_OVER",
    "FORMER_DISTRICT",
    "MIXED_NAME_VI",
    "MIXED_PREFIX",
    "REFORM_DATE",
    "STATUS_CLASS",
    "DatasetInfo",
    "available_periods",
    "child_friendly_share",
    "child_friendly_share_with_unit",
    "child_friendly_status",
    "child_units",
    "commune_ancestry",
    "dataset_info",
    "default_period",
    "last_rounds",
    "next_round",
    "has_values",
    "theme_listing",
    "Versions",
    "fact_years",
    "facts_version",
    "fund_headline",
    "fund_progress",
    "incidents",
    "incidents_of_unit",
    "incidents_with_unit",
    "latest_assessment",
    "next_facts_version",
    "versions",
    "data_as_of",
    "spans_reform",
    "timeliness",
    "timeliness_with_unit",
    "tree_for",
    "unit_detail",
    "unit_trend",
    "valid_on",
]
