"""How full the database is: row counts that decide what first-run setup still does."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, func, insert, select

from data.db import lock, read_scalar, write
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
    Meta,
    PublishedRank,
    ReportApproval,
    ReportFigure,
    ReportFile,
    ReportSchedule,
    ReportSubmission,
    UnitChildren,
)

# Tables of facts about units, in deleting order (rows that point at others first).
FACT_MODELS = (
    ChildFriendlyScore,
    ChildFriendlyAssessment,
    FundContribution,
    FundTarget,
    Incident,
    ReportApproval,
    ReportFigure,
    ReportFile,
    ReportSubmission,
    ReportSchedule,
    IndicatorValue,
    IndicatorTarget,
    PublishedRank,
    UnitChildren,
)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the schema."""
    return {
        name: read_scalar(conn, select(func.count()).select_from(table))
        for name, table in sorted(Base.metadata.tables.items())
    }


def fact_counts(conn: Connection) -> dict[str, int]:
    """Rows in each non-empty fact table."""
    counts = {
        m.__tablename__: read_scalar(conn, select(func.count()).select_from(m))
        for m in FACT_MODELS
    }
    return {name: n for name, n in counts.items() if n}


def units_in_tree(conn: Connection, tree: str = "legacy") -> int:
    stmt = select(func.count()).select_from(AdminUnit).where(AdminUnit.tree == tree)
    return int(read_scalar(conn, stmt))


def has_facts(conn: Connection) -> bool:
    return bool(fact_counts(conn))


DATABASE_ID = "database_id"


def database_id(conn: Connection) -> str:
    """A random id given to the database once: caches shared between databases
    (one Redis for several deployments, or a rebuilt database) never mix entries."""
    stmt = select(Meta.value).where(Meta.key == DATABASE_ID)
    return read_scalar(conn, stmt) or "none"


def ensure_database_id(conn: Connection) -> str:
    """The database's id, created on first use (call inside a transaction; two
    first uses at once agree on one id)."""
    lock(conn, "meta", DATABASE_ID)
    current = database_id(conn)
    if current == "none":
        current = uuid.uuid4().hex
        write(conn, insert(Meta).values(key=DATABASE_ID, value=current))
    return current
