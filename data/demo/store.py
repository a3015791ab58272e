"""Writing the demo: guards, deletes, bulk inserts with explicit ids, meta rows.

Ids are assigned here (1, 2, 3 ... per table, in generation order) rather than by
the database, so the same seed gives the same ids on every backend and after a
``replace``; on PostgreSQL the id sequences are then moved past the demo rows so
that rows added later by the application do not collide.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from data import demo_marks, inventory
from data.db import read_scalar, write
from data.demo.sampling import Province
from data.inventory import FACT_MODELS
from data.metrics import summary
from data.models import (
    RECORD_KEY_MODULUS,
    AdminUnit,
    Base,
    Indicator,
    Meta,
)

ID_MODELS = tuple(m for m in FACT_MODELS if "id" in m.__table__.c)
CHUNK = 20_000
Progress = Callable[[str, int, int], None]


def fact_counts(session: Session) -> dict[str, int]:
    """Rows already in each non-empty fact table."""
    return inventory.fact_counts(session.connection())


def foreign_children(session: Session) -> int:
    """Units whose children count came from somewhere other than the demo."""
    stmt = (
        select(func.count())
        .select_from(AdminUnit)
        .where(
            AdminUnit.children_source.is_not(None), AdminUnit.children_source != "demo"
        )
    )
    return int(read_scalar(session, stmt))


def delete_facts(session: Session, indicator_codes: Iterable[str]) -> None:
    """Delete every fact row (the sums kept with them first) and the demo's
    indicator definitions."""
    summary.empty_all(session)
    for model in FACT_MODELS:
        write(session, delete(model))
    demo_marks.unmark_all(session)
    write(session, delete(Indicator).where(Indicator.code.in_(list(indicator_codes))))


def _dates(values: np.ndarray) -> list[Any]:
    missing = pd.isna(values)
    days = np.where(missing, 0, values).astype("int64").astype("datetime64[D]")
    out = days.astype(object)
    out[missing] = None
    return out.tolist()


def _datetimes(values: np.ndarray) -> list[Any]:
    moments = values.astype("int64").astype("datetime64[s]").astype(object)
    return [m.replace(tzinfo=dt.UTC) for m in moments]


def _python(column: Column[Any], values: np.ndarray) -> list[Any]:
    """Column values as the Python objects the drivers expect."""
    kind = column.type
    if isinstance(kind, DateTime):
        return _datetimes(values)
    if isinstance(kind, Date):
        return _dates(values)
    if values.dtype != object:
        return values.tolist()
    cast = next(
        (
            c
            for t, c in ((Boolean, bool), (Integer, int), (Float, float))
            if isinstance(kind, t)
        ),
        str,
    )
    missing = pd.isna(values)
    return [None if m else cast(v) for v, m in zip(values, missing, strict=True)]


def records(model: type[Base], frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts holding only ``model``'s columns."""
    columns = [c for c in model.__table__.columns if c.name in frame.columns]
    values = [_python(c, frame[c.name].to_numpy()) for c in columns]
    names = [c.name for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _record_keys(table: str, first_row: int, n: int) -> np.ndarray:
    """Record keys (data.suppression) of the demo's rows: uniform like real ones,
    and the same on every run, so the demo always shows the same figures."""
    seed = [zlib.crc32(table.encode()), first_row]
    rng = np.random.default_rng(seed)
    return rng.integers(0, RECORD_KEY_MODULUS, size=n, dtype="int64")


class Writer:
    """Inserts frames in chunks, numbering ids per table and counting rows."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next_id: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def add(self, model: type[Base], frame: pd.DataFrame) -> np.ndarray:
        """Insert ``frame`` into ``model``'s table; returns the ids given (if any)."""
        name = model.__tablename__
        frame = frame.reset_index(drop=True)
        first_row = self.counts.get(name, 0)
        ids = np.array([], dtype="int64")
        if "id" in model.__table__.c:
            first = self.next_id.get(name, 1)
            ids = np.arange(first, first + len(frame), dtype="int64")
            frame = frame.assign(id=ids)
            self.next_id[name] = first + len(frame)
        if "record_key" in model.__table__.c and "record_key" not in frame:
            frame = frame.assign(record_key=_record_keys(name, first_row, len(frame)))
        for start in range(0, len(frame), CHUNK):
            rows = records(model, frame.iloc[start : start + CHUNK])
            # the Core table insert: one executemany per chunk (the ORM bulk path
            # splits a chunk into many batches whenever the pattern of NULLs changes)
            write(self.session, insert(model.__table__), rows)
        self.counts[name] = self.counts.get(name, 0) + len(frame)
        return ids


def set_province_children(session: Session, prov: Province, kids: np.ndarray) -> None:
    """Children of the communes; districts and the province get their sums."""
    n_d = len(prov.districts)
    per_district = np.bincount(prov.district_of, weights=kids, minlength=n_d)
    ids = np.r_[
        prov.communes["id"].to_numpy(), prov.districts["id"].to_numpy(), prov.id
    ]
    counts = np.r_[kids, per_district, kids.sum()].astype("int64")
    rows = [
        {"id": int(i), "children_u16": int(c), "children_source": "demo"}
        for i, c in zip(ids, counts, strict=True)
    ]
    write(session, update(AdminUnit), rows)


def set_children(session: Session, ids: np.ndarray, counts: np.ndarray) -> None:
    """Children of the given units (``children_source = 'demo'``)."""
    rows = [
        {"id": int(i), "children_u16": int(c), "children_source": "demo"}
        for i, c in zip(ids, counts, strict=True)
    ]
    write(session, update(AdminUnit), rows)


def set_country_children(session: Session, tree: str = "legacy") -> None:
    """The country row of ``tree`` (if loaded) gets the sum of its provinces."""
    provinces = aliased(AdminUnit)
    total = (
        select(func.coalesce(func.sum(provinces.children_u16), 0))
        .where(provinces.parent_id == AdminUnit.id, provinces.level == "province")
        .scalar_subquery()
    )
    write(
        session,
        update(AdminUnit)
        .where(AdminUnit.tree == tree, AdminUnit.level == "country")
        .values(children_u16=total, children_source="demo")
        .execution_options(synchronize_session=False),
    )


def write_meta(session: Session, values: dict[str, str]) -> None:
    """Replace the given ``meta`` keys."""
    write(session, delete(Meta).where(Meta.key.in_(list(values))))
    write(session, insert(Meta), [{"key": k, "value": v} for k, v in values.items()])


def reset_sequences(session: Session) -> None:
    """PostgreSQL: move each id sequence past the highest id (explicit ids skip it)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in ID_MODELS:
        table = model.__table__
        top = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, "id")
        write(session, select(func.setval(sequence, top, False)))
