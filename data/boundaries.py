"""Stored unit boundaries: one WKB geometry per unit, approximate or imported.

Geometry is kept as plain WKB (EPSG:4326) so that SQLite and PostgreSQL without
PostGIS store it the same way; all geometry work happens in ``geo/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session

from data.db import lock, read_df, write
from data.models import AdminUnit, Boundary
from data.reform import former_district_membership

# Keeps every IN (...) list well under SQLite's bound-parameter limit.
_CHUNK = 900
_FIELDS = ("unit_id", "geom_wkb", "approximate", "source")


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def delete_boundaries(session: Session, unit_ids: Iterable[int]) -> int:
    """Delete the boundaries of the given units; returns how many rows went."""
    removed = 0
    for chunk in _chunks(sorted({int(i) for i in unit_ids})):
        result = write(session, delete(Boundary).where(Boundary.unit_id.in_(chunk)))
        removed += result.rowcount or 0
    return removed


def replace_boundaries(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write (unit_id, geom_wkb, approximate, source) rows, replacing older ones."""
    records = [{key: row[key] for key in _FIELDS} for row in rows]
    if not records:
        return 0
    ids = [int(r["unit_id"]) for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("replace_boundaries got the same unit twice")
    lock(session, "boundary")  # two imports at once: the later one replaces
    delete_boundaries(session, ids)
    # One timestamp per write, so boundary_version() moves on every change.
    now = dt.datetime.now(dt.UTC)
    write(
        session,
        insert(Boundary),
        [
            {
                **r,
                "unit_id": int(r["unit_id"]),
                "approximate": bool(r["approximate"]),
                "geom_wkb": bytes(r["geom_wkb"]),
                "updated_at": now,
            }
            for r in records
        ],
    )
    return len(records)


def load_boundaries(
    conn: Connection,
    *,
    tree: str,
    level: str | None,
    parent_code: str | None = None,
) -> pd.DataFrame:
    """Stored boundaries of one level (``None``: all) of a tree, ordered by code."""
    unit = AdminUnit.__table__
    parent = unit.alias("parent")
    stmt = (
        select(
            Boundary.unit_id,
            unit.c.code,
            unit.c.name,
            unit.c.level,
            parent.c.code.label("parent_code"),
            Boundary.geom_wkb,
            Boundary.approximate,
            Boundary.source,
        )
        .select_from(
            Boundary.__table__.join(unit, unit.c.id == Boundary.unit_id).outerjoin(
                parent, unit.c.parent_id == parent.c.id
            )
        )
        .where(unit.c.tree == tree)
        .order_by(unit.c.code)
    )
    if level is not None:
        stmt = stmt.where(unit.c.level == level)
    if parent_code is not None:
        stmt = stmt.where(parent.c.code == parent_code)
    return read_df(conn, stmt)


def boundary_version(conn: Connection) -> str:
    """A short key that changes whenever any boundary is written or deleted."""
    stmt = select(func.count(), func.max(Boundary.updated_at)).select_from(Boundary)
    count, latest = read_df(conn, stmt).iloc[0]
    return version_of(count, latest)


def version_of(count: int | None, latest: dt.datetime | str) -> str:
    """The boundary version of ``count`` stored boundaries, the latest written at
    ``latest`` (one formula for ``boundary_version`` and ``data.metrics.versions``)."""
    if not count:
        return "0"
    return f"{int(count)}-{pd.Timestamp(latest).isoformat()}"


def has_boundaries(conn: Connection, tree: str | None = None) -> bool:
    """Whether any boundary is stored (for units of ``tree`` when given)."""
    stmt = select(Boundary.unit_id).limit(1)
    if tree is not None:
        stmt = stmt.join(AdminUnit, AdminUnit.id == Boundary.unit_id).where(
            AdminUnit.tree == tree
        )
    return not read_df(conn, stmt).empty


def load_group_boundaries(
    conn: Connection,
    *,
    province_code: str | None = None,
    group_code: str | None = None,
) -> pd.DataFrame:
    """Stored boundaries of the July-2025 tree's communes with their former-district
    group (``data.reform.former_district_membership``), of one new province or one
    group, ordered by commune code: unit_id, code, name, group_code, group_name,
    geom_wkb, approximate, source."""
    m = former_district_membership(province_code)
    unit = AdminUnit.__table__
    stmt = (
        select(
            Boundary.unit_id,
            unit.c.code,
            unit.c.name,
            m.c.group_code,
            m.c.group_name,
            Boundary.geom_wkb,
            Boundary.approximate,
            Boundary.source,
        )
        .select_from(
            m.join(unit, unit.c.id == m.c.new_unit_id).join(
                Boundary.__table__, Boundary.unit_id == unit.c.id
            )
        )
        .order_by(unit.c.code)
    )
    if group_code is not None:
        stmt = stmt.where(m.c.group_code == group_code)
    return read_df(conn, stmt)
