"""The database schema (SQLAlchemy 2.x typed ORM).

Units are versioned: the same GSO code can name different units before and after the
July-2025 reform (old Bình Định and the new Gia Lai are both "52"), so a unit's key
is a surrogate id and its identity is (tree, code).  Facts reference the unit id.

Child data are anonymous by construction: no table has a column for a child's name,
birth date or address.  Amounts of money are whole đồng (BigInteger).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

from data import vocabulary as v

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: tuple[str, ...] | list[str]) -> str:
    """SQL text of a CHECK that ``column`` holds one of ``values``."""
    quoted = ", ".join(f"'{x}'" for x in values)
    return f"{column} IN ({quoted})"


# Record keys of the cell key method (data.suppression): drawn once per record,
# never changed, never shown.
RECORD_KEY_MODULUS = 2**32


_KEYS: random.Random = secrets.SystemRandom()  # a seeded Random in tests


def new_record_key() -> int:
    """A record key: a uniform random integer in [0, RECORD_KEY_MODULUS)."""
    return _KEYS.randrange(RECORD_KEY_MODULUS)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model here is mapped to one Table (SQLAlchemy types it as any FromClause).
    __table__: ClassVar[Table]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Meta(Base):
    """Key/value facts about the dataset itself (demo seed, data-as-of, ...)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AdminUnit(Base):
    __tablename__ = "admin_unit"
    __table_args__ = (
        UniqueConstraint("tree", "code"),
        CheckConstraint(one_of("level", v.LEVELS), name="level"),
        CheckConstraint(one_of("tree", v.TREES), name="tree"),
        CheckConstraint("children_u16 IS NULL OR children_u16 >= 0", name="children"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to",
            name="validity",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    short_name: Mapped[str] = mapped_column(String(128))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_unit.id"), index=True
    )
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    bbox_west: Mapped[float | None] = mapped_column(Float)
    bbox_south: Mapped[float | None] = mapped_column(Float)
    bbox_east: Mapped[float | None] = mapped_column(Float)
    bbox_north: Mapped[float | None] = mapped_column(Float)
    children_u16: Mapped[int | None] = mapped_column(Integer)
    children_source: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    # Official area; the July-2025 tree gives it, the legacy tree does not.
    area_km2: Mapped[float | None] = mapped_column(Float)


class DemoProvince(Base):
    """A province (of either tree) whose facts came from the demo generator
    (``data.demo``) and have not been cleared (``data.demo.clear``): the pages
    say "demo data" for a view of it, and imports into it are refused."""

    __tablename__ = "demo_province"

    province_id: Mapped[int] = mapped_column(
        ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True
    )
    seeded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )
    seed: Mapped[int | None] = mapped_column(Integer)


class UnitChildren(Base):
    """Children under 16 of one unit in one year, the denominator of the year's
    rates; a year without a row uses ``admin_unit.children_u16`` (the latest
    known, or census, figure)."""

    __tablename__ = "unit_children"
    __table_args__ = (CheckConstraint("children_u16 >= 0", name="children"),)

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True
    )
    # indexed: a rate's denominator reads the year's rows of every commune
    # (data.metrics.rollup.year_children), most years few or none
    year: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    children_u16: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(64))


class Boundary(Base):
    __tablename__ = "boundary"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True
    )
    geom_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    approximate: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(255))
    # indexed: every request reads max(updated_at) for the boundary version
    # (``data.metrics.dataset.versions``), a scan of the table without it
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, index=True
    )


def cf_rule_checks() -> tuple[CheckConstraint, ...]:
    """What the recognition rule (data.recognition) asks of one assessment row
    (migration 0010 writes the same SQL): a decision has its date; thresholds are
    the regime's tiers; a recognised row reaches its threshold with no criterion
    at 0 (06/QĐ-TTg), a not-recognised 06/QĐ-TTg row does not, unless the row is
    a decision recorded as given (``contradicts_scores``)."""
    decided, recognised = (
        one_of("status", v.CF_DECIDED),
        one_of("status", v.CF_RECOGNISED),
    )
    return (
        CheckConstraint(
            f"NOT ({decided}) OR decided_on IS NOT NULL", name="decided_on"
        ),
        CheckConstraint(
            "threshold IS NULL OR threshold <= 1000 AND ("
            f"regime <> 'QD06_2019' OR threshold IN {v.QD06_TIERS}) AND ("
            f"regime <> 'QD37_2010' OR threshold IN {v.QD37_TIERS})",
            name="tier",
        ),
        CheckConstraint(
            f"contradicts_scores OR NOT ({recognised}) OR total_score IS NULL "
            "OR threshold IS NULL OR total_score >= threshold AND ("
            "regime <> 'QD06_2019' OR has_zero_criterion IS NULL "
            "OR NOT has_zero_criterion)",
            name="recognised_meets",
        ),
        CheckConstraint(
            "contradicts_scores OR status <> 'NOT_RECOGNISED' "
            "OR regime <> 'QD06_2019' OR total_score IS NULL OR threshold IS NULL "
            "OR has_zero_criterion IS NULL OR total_score < threshold "
            "OR has_zero_criterion",
            name="refused_fails",
        ),
    )


class ChildFriendlyAssessment(Base):
    """One commune in one assessment round, under one regime."""

    __tablename__ = "child_friendly_assessment"
    __table_args__ = (
        UniqueConstraint("unit_id", "round_date"),
        CheckConstraint(one_of("regime", v.CF_REGIMES), name="regime"),
        CheckConstraint(one_of("status", v.CF_STATUSES), name="status"),
        CheckConstraint(
            "total_score IS NULL OR (total_score >= 0 AND total_score <= 1000)",
            name="score",
        ),
        CheckConstraint("threshold IS NULL OR threshold > 0", name="threshold"),
        *cf_rule_checks(),
        Index("ix_cfa_round_unit", "round_date", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    round_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    total_score: Mapped[int | None] = mapped_column(Integer)
    threshold: Mapped[int | None] = mapped_column(Integer)
    has_zero_criterion: Mapped[bool | None] = mapped_column(Boolean)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    # a district chairman's decision recorded as given although its scores say
    # otherwise (data.recognition): kept, counted as decided, shown as such
    contradicts_scores: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # the number of the chairman's decision, when known ("125/QĐ-UBND")
    decision_ref: Mapped[str | None] = mapped_column(String(64))


class ChildFriendlyScore(Base):
    """Points on one criterion of an assessment (13 rows under QĐ 06/QĐ-TTg)."""

    __tablename__ = "child_friendly_score"
    __table_args__ = (CheckConstraint("score >= 0", name="score"),)

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("child_friendly_assessment.id", ondelete="CASCADE"),
        primary_key=True,
    )
    criterion_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class FundTarget(Base):
    __tablename__ = "fund_target"
    __table_args__ = (
        UniqueConstraint("unit_id", "year"),
        CheckConstraint("amount_dong >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    amount_dong: Mapped[int] = mapped_column(BigInteger)


# a transfer names the fund that handed the money, and only a transfer does
TRANSFER_HAS_GIVER = (
    f"(source_type = '{v.FUND_TRANSFER}' AND transfer_from_unit_id IS NOT NULL) OR "
    f"(source_type <> '{v.FUND_TRANSFER}' AND transfer_from_unit_id IS NULL)"
)


class FundContribution(Base):
    """Money or value mobilised for the fund, booked on the unit that raised it.

    A transfer (source ``transfer``) is money another unit's fund handed over,
    booked on the receiving unit with the giver in ``transfer_from_unit_id``; the
    totals leave it out wherever the giver's own bookings are counted already
    (``data.metrics.fund``)."""

    __tablename__ = "fund_contribution"
    __table_args__ = (
        CheckConstraint(one_of("kind", v.FUND_KINDS), name="kind"),
        CheckConstraint(one_of("source_type", v.FUND_SOURCES), name="source_type"),
        CheckConstraint("amount_dong > 0", name="amount"),
        CheckConstraint(TRANSFER_HAS_GIVER, name="transfer_from"),
        CheckConstraint(
            "transfer_from_unit_id IS NULL OR transfer_from_unit_id <> unit_id",
            name="transfer_not_to_itself",
        ),
        Index("ix_fund_contribution_unit_date", "unit_id", "contributed_on"),
        Index("ix_fund_contribution_date", "contributed_on"),
        # an imported booking is known by its office's own reference in its unit
        # (data.fact_import); several NULLs (generated or older rows) are allowed
        UniqueConstraint("unit_id", "booking_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    contributed_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    source_type: Mapped[str] = mapped_column(String(16))
    amount_dong: Mapped[int] = mapped_column(BigInteger)
    transfer_from_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_unit.id")
    )
    # the importing office's own reference of the booking, None for generated rows
    booking_ref: Mapped[str | None] = mapped_column(String(32))


class Incident(Base):
    """One anonymous case of abuse or injury: no name, birth date or address."""

    __tablename__ = "incident"
    __table_args__ = (
        CheckConstraint(one_of("category", v.INCIDENT_CATEGORIES), name="category"),
        CheckConstraint(
            f"(category = 'abuse' AND {one_of('type_code', v.ABUSE_TYPES)}) OR "
            f"(category = 'injury' AND {one_of('type_code', v.INJURY_TYPES)})",
            name="type_code",
        ),
        CheckConstraint(one_of("sex", v.SEXES), name="sex"),
        CheckConstraint(one_of("age_band", v.AGE_BANDS), name="age_band"),
        CheckConstraint(
            f"environment IS NULL OR {one_of('environment', v.ABUSE_ENVIRONMENTS)}",
            name="environment",
        ),
        CheckConstraint(
            f"intent IS NULL OR {one_of('intent', v.INJURY_INTENTS)}", name="intent"
        ),
        CheckConstraint(
            f"outcome IS NULL OR {one_of('outcome', v.INJURY_OUTCOMES)}",
            name="outcome",
        ),
        Index("ix_incident_unit_date", "unit_id", "occurred_on"),
        Index("ix_incident_date_category", "occurred_on", "category"),
        # an imported case is known by its office's own reference in its commune
        # (data.fact_import); several NULLs (generated or older rows) are allowed
        UniqueConstraint("unit_id", "case_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(8))
    type_code: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(1))
    age_band: Mapped[str] = mapped_column(String(8))
    environment: Mapped[str | None] = mapped_column(String(16))
    intent: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    supported_in_time: Mapped[bool | None] = mapped_column(Boolean)
    # the cell key method's record key (data.suppression)
    record_key: Mapped[int] = mapped_column(BigInteger, default=new_record_key)
    # the importing office's own reference of the case (mã vụ việc), None for
    # generated rows
    case_ref: Mapped[str | None] = mapped_column(String(32))


class IncidentMonth(Base):
    """Cases per unit shown, month, category and type, kept with the cases
    (``data.metrics.summary``): every case booked at or under the unit, on the
    July-2025 tree also those of the legacy units it inherits, as the map rolls
    them up (``data.metrics.rollup.rollup(apportion=True)``).

    ``cases`` is the weighted count (a divided commune's cases count for each
    successor by its area share: a fraction); ``key_sum`` the plain sum of the
    cases' record keys (``data.suppression``, reduced by its readers).  ``month``
    is the month's first day.
    """

    __tablename__ = "incident_month"
    __table_args__ = (
        CheckConstraint(one_of("category", v.INCIDENT_CATEGORIES), name="category"),
        Index("ix_incident_month_month", "month", "unit_id"),
    )

    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(8), primary_key=True)
    type_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    cases: Mapped[float] = mapped_column(Float)
    key_sum: Mapped[int] = mapped_column(BigInteger)


class FundMonth(Base):
    """Đồng per unit shown, month and kind, kept with the bookings
    (``data.metrics.summary``): every booking at or under the unit, on the
    July-2025 tree also those of the legacy units it inherits, as the fund theme
    rolls them up (``data.metrics.fund``).  ``amount`` is what counts for the
    unit (a transfer between two funds of its area left out), ``transfer_in``
    the part of it received from a fund outside the area, ``transfer_within``
    the transfers moved inside it (not counted).  ``month`` is the month's
    first day.
    """

    __tablename__ = "fund_month"
    __table_args__ = (
        CheckConstraint(one_of("kind", v.FUND_KINDS), name="kind"),
        Index("ix_fund_month_month", "month", "unit_id"),
    )

    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    transfer_in: Mapped[int] = mapped_column(BigInteger)
    transfer_within: Mapped[int] = mapped_column(BigInteger)


class ReportOwed(Base):
    """Reports owed per unit shown and schedule, and how they came in, kept
    with the schedules and submissions (``data.metrics.summary``): every report
    owed at or under the unit (on the July-2025 tree also by the legacy units
    it inherits), as the timeliness theme counts them
    (``data.metrics.report_timeliness``): sent before the deadline, after it,
    not sent (missing or not yet due, by the time of asking), and those filed
    by the successor of a unit abolished before the due date.
    """

    __tablename__ = "report_owed"

    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("report_schedule.id"), primary_key=True
    )
    owed: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    unsent: Mapped[int] = mapped_column(Integer)
    filed: Mapped[int] = mapped_column(Integer)


class ReportSchedule(Base):
    """One report owed by every unit of a level in a jurisdiction, with its deadline.

    ``due_inclusive`` keeps the wording of the plan: "vào ngày X" / "chậm nhất ngày X"
    (the day itself still counts) versus "trước ngày X" (the day itself is late).
    ``deadline_at`` is the first UTC instant that is late (``data.periods.
    deadline_instant``), so that timeliness is one comparison in SQL.
    """

    __tablename__ = "report_schedule"
    __table_args__ = (
        UniqueConstraint(
            "plan_code", "report_type", "period_start", "from_level", "jurisdiction_id"
        ),
        CheckConstraint(one_of("report_type", v.REPORT_TYPES), name="report_type"),
        CheckConstraint(one_of("from_level", v.LEVELS), name="from_level"),
        CheckConstraint(one_of("to_level", v.LEVELS), name="to_level"),
        CheckConstraint("period_start <= period_end", name="period"),
        Index("ix_report_schedule_period", "period_start", "period_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_code: Mapped[str] = mapped_column(String(32))
    report_type: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    from_level: Mapped[str] = mapped_column(String(16))
    to_level: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    due_inclusive: Mapped[bool] = mapped_column(Boolean)
    deadline_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    # the plan or legal text that requires the report, as the calendar gives it
    basis: Mapped[str | None] = mapped_column(String(255))


class ReportSubmission(Base):
    __tablename__ = "report_submission"
    __table_args__ = (
        UniqueConstraint("schedule_id", "unit_id", "version"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint(one_of("approval", v.APPROVAL_STATES), name="approval"),
        # a version sent despite warning rules carries the submitter's explanation
        CheckConstraint(
            "rule_warnings IS NULL OR warning_comment IS NOT NULL",
            name="warning_comment",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("report_schedule.id"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    file_name: Mapped[str | None] = mapped_column(String(255))
    # the sign-off of this version (data.approvals): pending, approved, returned
    approval: Mapped[str] = mapped_column(
        String(16), default="pending", server_default="pending"
    )
    # the warning rules it broke when sent (data.validation: JSON, a list of
    # rule, names, values) and the submitter's explanation of them
    rule_warnings: Mapped[str | None] = mapped_column(Text)
    warning_comment: Mapped[str | None] = mapped_column(Text)


class ReportApproval(Base):
    """One step of a report's sign-off (data.approvals): a version approved,
    returned with a reason, or its approval withdrawn with a reason; by whom and
    when.  ``step`` numbers the steps of one report (schedule, unit) from 1: two
    steps never take the same number."""

    __tablename__ = "report_approval"
    __table_args__ = (
        UniqueConstraint("schedule_id", "unit_id", "step"),
        CheckConstraint(one_of("action", v.APPROVAL_ACTIONS), name="action"),
        CheckConstraint(
            "action = 'approve' OR comment IS NOT NULL", name="comment_required"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("report_schedule.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    step: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("report_submission.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(Text)
    # an approval: the outlier flags shown to the approver (data.outliers), a
    # list of {figure, kind, direction}, [] when none; NULL for other steps
    flags_seen: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint(one_of("measure", v.MEASURES), name="measure"),
        CheckConstraint(one_of("direction", v.DIRECTIONS), name="direction"),
        CheckConstraint(one_of("level", v.LEVELS), name="level"),
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    measure: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))


class IndicatorTarget(Base):
    __tablename__ = "indicator_target"
    __table_args__ = (
        UniqueConstraint("indicator_code", "unit_id", "year"),
        CheckConstraint(one_of("comparator", v.COMPARATORS), name="comparator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    comparator: Mapped[str] = mapped_column(String(2))
    target_value: Mapped[float] = mapped_column(Float)


class IndicatorValue(Base):
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_code", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    # the cell key method's record key of the value (data.suppression)
    record_key: Mapped[int] = mapped_column(BigInteger, default=new_record_key)


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(one_of("role", v.ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Raised by sign-out, a new password and deactivation: every session and
    # "remember me" cookie carries the value it was issued under.
    session_generation: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))


class UnitCrosswalk(Base):
    """One legacy unit and one of its successors in the July-2025 tree."""

    __tablename__ = "unit_crosswalk"

    legacy_unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True
    )
    new_unit_id: Mapped[int] = mapped_column(
        ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The successor that carries the legacy unit's figures (exactly one per unit).
    is_default: Mapped[bool] = mapped_column(Boolean)
    # The legacy unit was split between several new units.
    divided: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(128))
    # Divided units only: the share of the legacy polygon's area lying in this
    # successor, where both boundaries are real (geo/shares.py); NULL otherwise.
    area_share: Mapped[float | None] = mapped_column(Float)


class PublishedRank(Base):
    """A rank published by others (the PCRI) for a province, or a district where
    one was published; shown as entered, never recomputed.  One row per round."""

    __tablename__ = "published_rank"
    __table_args__ = (
        UniqueConstraint("unit_id", "index_code", "round_label"),
        CheckConstraint(one_of("index_code", v.PUBLISHED_INDEXES), name="index_code"),
        CheckConstraint("round_label <> ''", name="round_label"),
        CheckConstraint("rank >= 1", name="rank"),
        CheckConstraint("out_of >= rank", name="out_of"),
        CheckConstraint("source <> ''", name="source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"))
    index_code: Mapped[str] = mapped_column(String(16))
    round_label: Mapped[str] = mapped_column(String(32))  # "2016–2017"
    rank: Mapped[int] = mapped_column(Integer)
    out_of: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(255))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )


class ExportJob(Base):
    """A background job (a large Excel export, a review deck): who asked, whether
    a job worker took it (``started_at``; NULL while it waits in the queue), how
    far it got, where the file is.  Rows in the database so that any web worker
    can report the progress and serve the file (the file lies in the instance
    folder)."""

    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint(one_of("status", v.EXPORT_JOB_STATUSES), name="status"),
        CheckConstraint("rows_done >= 0", name="rows_done"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_expected: Mapped[int | None] = mapped_column(Integer)
    download_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1024))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ValidationRuleSet(Base):
    """A set of validation rules of submitted reports as loaded (data.validation):
    the TOML text, its digest, the file it came from and when.  The latest row
    is the active set; with none, the built-in file is."""

    __tablename__ = "validation_rule_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    rules: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReportFile(Base):
    """The workbook a submission was made with, as uploaded."""

    __tablename__ = "report_file"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("report_submission.id", ondelete="CASCADE"), primary_key=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ReportFigure(Base):
    """One figure of a submitted report (data.report_forms): counts of children by
    group, cases by type, sex and age band, fund by kind, activities, staff."""

    __tablename__ = "report_figure"
    __table_args__ = (
        CheckConstraint(one_of("section", v.FIGURE_SECTIONS), name="section"),
        CheckConstraint("value >= 0", name="value"),
        # "is there any report with figures of this section in a period": from
        # the section's figures, never a scan of every submission
        Index("ix_report_figure_section", "section", "submission_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("report_submission.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(24))
    code: Mapped[str] = mapped_column(String(32))
    sex: Mapped[str | None] = mapped_column(String(1))
    age_band: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(BigInteger)
    # the cell key method's record key of the figure (data.suppression)
    record_key: Mapped[int] = mapped_column(BigInteger, default=new_record_key)
