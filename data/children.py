"""Children under 16 of a unit in a year (``unit_children``): the denominator of
that year's rates.  A year without a row falls back on ``admin_unit.children_u16``
(the latest known, or census, figure); ``data.metrics.rollup.year_children``
reads them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from data import audit
from data.db import lock, write
from data.metrics.dataset import record_facts_changed
from data.models import UnitChildren

CHILDREN = UnitChildren.__table__
ACTION = "children_set"


@dataclass(frozen=True)
class YearChildren:
    """One unit's children under 16 in one year, and where the figure comes from."""

    unit_id: int
    year: int
    children: int
    source: str


def _checked(row: YearChildren) -> dict[str, object]:
    if isinstance(row.children, bool) or not isinstance(row.children, int):
        raise ValueError(f"children must be a whole number, not {row.children!r}")
    if row.children < 0:
        raise ValueError(f"children must not be negative ({row.children})")
    if not row.source:
        raise ValueError("a children figure needs its source")
    return {
        "unit_id": int(row.unit_id),
        "year": int(row.year),
        "children_u16": row.children,
        "source": row.source[:64],
    }


def set_children(
    session: Session,
    rows: Iterable[YearChildren],
    *,
    user_id: int | None = None,
    username: str | None = None,
    remote_addr: str | None = None,
) -> int:
    """Write ``rows``, replacing a unit's figure of the same year (the last of
    several given for one unit and year wins); audited, and the facts' version
    moves on.  The number of (unit, year) figures written.  Only flushes: the
    caller owns the transaction."""
    by_key = upsert_children(session, rows)
    if not by_key:
        return 0
    record_facts_changed(session)
    years = sorted({year for _unit, year in by_key})
    audit.record(
        session,
        ACTION,
        user_id=user_id,
        username=username,
        detail={"rows": len(by_key), "years": years},
        remote_addr=remote_addr,
    )
    return len(by_key)


def upsert_children(
    session: Session, rows: Iterable[YearChildren]
) -> dict[tuple[int, int], dict[str, object]]:
    """Write ``rows`` (the last of several for one unit and year wins), each
    replacing the figure of its unit and year; not audited, the facts version
    left alone: for writers that do both themselves (``set_children``, the
    import of a file).  The rows written, by (unit, year)."""
    by_key = {(int(r.unit_id), int(r.year)): _checked(r) for r in rows}
    if not by_key:
        return by_key
    lock(session, CHILDREN.name)
    dialect = session.get_bind().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = make(CHILDREN)
    upsert = stmt.on_conflict_do_update(
        index_elements=[CHILDREN.c.unit_id, CHILDREN.c.year],
        set_={
            "children_u16": stmt.excluded.children_u16,
            "source": stmt.excluded.source,
        },
    )
    write(session, upsert, list(by_key.values()))
    return by_key
