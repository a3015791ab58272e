"""Official administrative units, loaded from the PyPI package ``vietnamadminunits``.

The package's legacy table (63 provinces, 696 districts, 10,035 communes; the state
of early 2025) is read through the package's own ``database.query``.  Five island
districts have no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo); each
gets one commune-level stand-in, coded ``D`` + the district code, so that every
district has at least one commune-level unit and the commune map has no hole:
10,040 commune-level units in all.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from types import SimpleNamespace
from typing import Any, Protocol, cast

import pandas as pd
from sqlalchemy import Connection, FromClause, bindparam, insert, select, update
from sqlalchemy.orm import Session

from data.db import AnySelect, Runner, read_df, read_one, read_rows, write
from data.models import AdminUnit

LEGACY_VALID_TO = dt.date(2025, 6, 30)
COUNTRY_CODE = "VN"
ISLAND_PREFIX = "D"
# Unit kinds (``AdminUnit.kind``) as the package writes them, lower case; ISLAND is
# the kind given to the island districts' commune-level stand-ins.
CENTRALLY_RUN = "thành phố trực thuộc trung ương"
PROVINCE = "tỉnh"
WARD = "phường"
ISLAND = "huyện đảo"

Progress = Callable[[str, int, int], None]

# The country root is not a row of the package; it has no coordinates.
_COUNTRY_ROW = SimpleNamespace(
    country="Việt Nam",
    countryShort="Việt Nam",
    countryLat=None,
    countryLon=None,
    countryBounds=None,
)

_COLUMNS = (
    "provinceCode, province, provinceShort, provinceLat, provinceLon, provinceBounds, "
    "districtCode, district, districtShort, districtType, districtLat, districtLon, "
    "districtBounds, wardCode, ward, wardShort, wardType, wardLat, wardLon, wardBounds"
)


@functools.cache
def source_label() -> str:
    """The units' source and its version (every page's footer shows it: read
    from the installed package's metadata once, not on every request)."""
    return f"vietnamadminunits {version('vietnamadminunits')}"


def _package_rows(sql: str) -> pd.DataFrame:
    from vietnamadminunits.database import query

    return pd.DataFrame(query(sql))


def known_provinces() -> pd.DataFrame:
    """Code and name of every legacy province in the package."""
    return _package_rows(
        "SELECT DISTINCT provinceCode AS code, province AS name "
        "FROM admin_units_legacy ORDER BY provinceCode"
    )


def legacy_rows(province_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per commune (or island district) of the requested provinces."""
    sql = f"SELECT {_COLUMNS} FROM admin_units_legacy"
    if province_codes is not None:
        wanted = sorted(set(province_codes))
        bad = [c for c in wanted if not re.fullmatch(r"\d{2}", c)]
        known = set(known_provinces()["code"])
        unknown = [c for c in wanted if c not in known]
        if bad or unknown:
            raise ValueError(
                f"unknown province code(s) {', '.join(bad + unknown)}; "
                f"legacy codes are two digits, e.g. 64 (Gia Lai)"
            )
        sql += " WHERE provinceCode IN ({})".format(", ".join(f"'{c}'" for c in wanted))
    rows = _package_rows(sql + " ORDER BY provinceCode, districtCode, wardCode")
    return rows.astype(object).where(rows.notna(), None)


def parse_bounds(text: str | None) -> tuple[float, float, float, float] | None:
    """'lat1,lon1 – lat2,lon2' -> (west, south, east, north)."""
    if not text:
        return None
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]
    if len(numbers) != 4:
        return None
    lat1, lon1, lat2, lon2 = numbers
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def province_kind(name: str) -> str:
    return CENTRALLY_RUN if name.startswith("Thành phố") else PROVINCE


class _LegacyRow(Protocol):
    """The columns of one row of ``legacy_rows`` read by ``legacy_records`` (pandas'
    ``itertuples`` gives named tuples whose fields pandas-stubs cannot type)."""

    provinceCode: str
    province: str
    districtCode: str
    districtType: str
    wardCode: str | None
    wardType: str


def _record(
    level: str, row: object, prefix: str, code: str, kind: str
) -> dict[str, Any]:
    """A unit record from the package's columns ``prefix``, ``prefix``Short, ..."""
    west, south, east, north = parse_bounds(getattr(row, f"{prefix}Bounds")) or (
        (None,) * 4
    )
    return {
        "tree": "legacy",
        "level": level,
        "code": code,
        "name": getattr(row, prefix),
        "short_name": getattr(row, f"{prefix}Short"),
        "kind": kind,
        "lat": getattr(row, f"{prefix}Lat"),
        "lon": getattr(row, f"{prefix}Lon"),
        "bbox_west": west,
        "bbox_south": south,
        "bbox_east": east,
        "bbox_north": north,
        "valid_from": None,
        "valid_to": LEGACY_VALID_TO,
    }


def legacy_records(rows: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Unit records per level, each with ``parent_code``; pure (no database)."""
    out: dict[str, list[dict[str, Any]]] = {
        "province": [],
        "district": [],
        "commune": [],
    }
    seen: set[str] = set()
    for t in rows.itertuples(index=False):
        r = cast(_LegacyRow, t)
        if "p" + r.provinceCode not in seen:
            seen.add("p" + r.provinceCode)
            kind = province_kind(r.province)
            rec = _record("province", r, "province", r.provinceCode, kind)
            out["province"].append({**rec, "parent_code": COUNTRY_CODE})
        if "d" + r.districtCode not in seen:
            seen.add("d" + r.districtCode)
            kind = r.districtType.lower()
            rec = _record("district", r, "district", r.districtCode, kind)
            out["district"].append({**rec, "parent_code": r.provinceCode})
        if r.wardCode is None:  # island district without communes: a stand-in
            code = ISLAND_PREFIX + r.districtCode
            rec = _record("commune", r, "district", code, ISLAND)
        else:
            rec = _record("commune", r, "ward", r.wardCode, r.wardType.lower())
        out["commune"].append({**rec, "parent_code": r.districtCode})
    return out


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    inserted: int = 0
    updated: int = 0
    stand_ins: list[str] = field(default_factory=list)


def load_legacy_tree(
    session: Session,
    province_codes: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Insert or update the legacy units of the given provinces (``None``: all)."""
    records = legacy_records(legacy_rows(province_codes))
    report = LoadReport()
    country = {
        **_record("country", _COUNTRY_ROW, "country", COUNTRY_CODE, "quốc gia"),
        "parent_code": None,
    }
    levels = [("country", [country])] + list(records.items())
    for i, (level, recs) in enumerate(levels):
        if progress:
            progress(level, i, len(levels))
        upsert_units(session, "legacy", level, recs, _PARENT_LEVEL.get(level), report)
        report.counts[level] = len(recs)
    report.stand_ins = [
        r["code"] for r in records["commune"] if r["code"].startswith(ISLAND_PREFIX)
    ]
    return report


def unit_ids(session: Session, tree: str, level: str) -> dict[str, int]:
    """code -> id of the loaded units of one level of a tree."""
    rows = read_rows(
        session,
        select(AdminUnit.code, AdminUnit.id).where(
            AdminUnit.tree == tree, AdminUnit.level == level
        ),
    )
    return {code: id_ for code, id_ in rows}


_PARENT_LEVEL = {"province": "country", "district": "province", "commune": "district"}


class UpsertCounts(Protocol):
    """Where ``upsert_units`` counts what it wrote."""

    inserted: int
    updated: int


def upsert_units(
    session: Session,
    tree: str,
    level: str,
    recs: list[dict[str, Any]],
    parent_level: str | None,
    report: UpsertCounts,
) -> None:
    """Insert the records of one level of ``tree`` (``parent_code`` resolved among
    the units of ``parent_level``), or update those already loaded by code;
    counts go to ``report``."""
    parents = unit_ids(session, tree, parent_level) if parent_level else {}
    existing = unit_ids(session, tree, level)
    source = source_label()
    new, changed = [], []
    for rec in recs:
        row = {k: v for k, v in rec.items() if k != "parent_code"}
        row["parent_id"] = (
            parents.get(rec["parent_code"]) if rec["parent_code"] else None
        )
        row["source"] = source
        if rec["code"] in existing:
            changed.append({**row, "id": existing[rec["code"]]})
        else:
            new.append(row)
    if new:
        write(session, insert(AdminUnit), new)
    if changed:
        write(session, update(AdminUnit), changed)
    report.inserted += len(new)
    report.updated += len(changed)


def units_frame(
    conn: Connection, *, tree: str = "legacy", as_of: dt.date | None = None
) -> pd.DataFrame:
    """All units of a tree (valid on ``as_of`` when given), with their parent's code."""
    parent = AdminUnit.__table__.alias("parent")
    u = AdminUnit.__table__
    stmt = (
        select(u, parent.c.code.label("parent_code"))
        .select_from(u.outerjoin(parent, u.c.parent_id == parent.c.id))
        .where(u.c.tree == tree)
        .order_by(u.c.id)
    )
    if as_of is not None:
        stmt = stmt.where(
            (u.c.valid_from.is_(None) | (u.c.valid_from <= as_of))
            & (u.c.valid_to.is_(None) | (u.c.valid_to >= as_of))
        )
    return read_df(conn, stmt)


# More levels than any tree has (country, province, district, commune).
_ANCESTRY = 6


def ancestors(conn: Runner, *, tree: str, code: str) -> list[dict[str, Any]]:
    """The unit and its ancestors, root first: [{code, name, level}, ...] (empty
    when ``tree`` has no unit ``code``); one statement, the unit joined to its
    parent, grandparent, ... up to ``_ANCESTRY`` levels."""
    row = read_one(conn, _ancestry(), {"tree": tree, "code": code})
    if row is None:
        return []
    values = tuple(row)
    chain = [
        {"code": values[i], "name": values[i + 1], "level": values[i + 2]}
        for i in range(0, len(values), 3)
        if values[i] is not None
    ]
    return chain[::-1]


@functools.cache
def _ancestry() -> AnySelect:
    """``ancestors``' statement, built once (its six aliases' columns are most
    of its cost), the unit's tree and code bound at each call."""
    table = AdminUnit.__table__
    steps = [table.alias(f"up{n}") for n in range(_ANCESTRY)]
    joined: FromClause = steps[0]
    for child, parent in itertools.pairwise(steps):
        joined = joined.outerjoin(parent, parent.c.id == child.c.parent_id)
    columns = [c for u in steps for c in (u.c.code, u.c.name, u.c.level)]
    unit = steps[0]
    asked = (unit.c.tree == bindparam("tree"), unit.c.code == bindparam("code"))
    return select(*columns).select_from(joined).where(*asked)


def _with_parent() -> tuple[AnySelect, FromClause]:
    """Id, code, name, level, kind, children of units with their parent's code,
    and the units' table to filter on."""
    u, parent = AdminUnit.__table__, AdminUnit.__table__.alias("parent")
    stmt = select(
        u.c.id,
        u.c.code,
        u.c.name,
        u.c.level,
        u.c.kind,
        u.c.children_u16,
        parent.c.code.label("parent_code"),
    ).select_from(u.outerjoin(parent, u.c.parent_id == parent.c.id))
    return stmt, u


def unit_with_parent(conn: Runner, *, tree: str, code: str) -> dict[str, Any] | None:
    """One unit (id, code, name, level, kind, children) with its parent's code."""
    row = read_one(conn, _one_with_parent(), {"tree": tree, "code": code})
    return dict(row._mapping) if row is not None else None


@functools.cache
def _one_with_parent() -> AnySelect:
    """``unit_with_parent``'s statement, built once, tree and code bound."""
    stmt, u = _with_parent()
    return stmt.where(u.c.tree == bindparam("tree"), u.c.code == bindparam("code"))


def tops_with_parent(conn: Runner) -> list[dict[str, Any]]:
    """The country and the provinces of every tree, as ``unit_with_parent``
    gives them with their ``tree`` (one statement), by tree and code."""
    stmt, u = _with_parent()
    top = u.c.level.in_(("country", "province"))
    stmt = stmt.add_columns(u.c.tree).where(top).order_by(u.c.tree, u.c.code)
    return [dict(row._mapping) for row in read_rows(conn, stmt)]
