"""How full the database is: row counts that decide what first-run setup still does."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from data.models import (
    AdminUnit,
    Base,
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    FundTarget,
    Incident,
    IndicatorTarget,
    IndicatorValue,
    ReportSchedule,
    ReportSubmission,
)

# Tables of facts about units, in deleting order (rows that point at others first).
FACT_MODELS = (
    ChildFriendlyScore,
    ChildFriendlyAssessment,
    FundContribution,
    FundTarget,
    Incident,
    ReportSubmission,
    ReportSchedule,
    IndicatorValue,
    IndicatorTarget,
)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the schema."""
    return {
        name: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in sorted(Base.metadata.tables.items())
    }


def fact_counts(conn: Connection) -> dict[str, int]:
    """Rows in each non-empty fact table."""
    counts = {
        m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
        for m in FACT_MODELS
    }
    return {name: n for name, n in counts.items() if n}


def units_in_tree(conn: Connection, tree: str = "legacy") -> int:
    stmt = select(func.count()).select_from(AdminUnit).where(AdminUnit.tree == tree)
    return conn.execute(stmt).scalar_one()


def has_facts(conn: Connection) -> bool:
    return bool(fact_counts(conn))
