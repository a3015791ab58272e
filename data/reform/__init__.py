"""The July-2025 reform: the old-to-new commune crosswalk and the queries over it.

The new tree (34 provinces, communes directly under them) is loaded with
``load_2025_tree`` (data/reform/load.py) together with the legacy provinces that
formed it; ``unit_crosswalk`` links each legacy commune to its successor(s).

Carrying rule for divided communes.  A legacy commune merged whole into one new
commune carries everything to it.  A legacy commune divided between several new
communes carries its fund and reports to its *default* successor, the one
``vietnamadminunits`` flags ``isDefaultNewWard``.  Its cases and its children (the
numerator and denominator of a rate) move together, by one rule
(``inheritance(apportion=True)``): where its polygon and every successor's polygon
are real boundaries, each successor takes the share of its area that it took
(``unit_crosswalk.area_share``, measured by ``geo/shares.py``); otherwise all of
them go to the default successor.  Either way the legacy commune's own rate is
what each successor shows for it.  The app states this rule in its message table
(``reform_divided``; a share shown where ``data.metrics.APPORTIONED_KEY`` is set).

"Former district" (huyện cũ) grouping: a new commune belongs to the legacy district
of its predecessors only when they all lie in one; otherwise it spans several
former districts and gets none (``former_district_groups``).  For the map, those
communes form a group of their own per new province, coded ``MIXED-<province>``
(``former_district_membership``).

Figures across the reform.  A period that ends before 1 July 2025 is shown on the
legacy tree, any later one on the new tree (``tree_for``); on the new tree a unit
inherits the legacy units listed by ``inheritance()``, so that what was booked
before July still counts ("legacy figures carried over", ``spans_reform``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import (
    Connection,
    Float,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from data.db import (
    AnySelect,
    kept,
    read_df,
    read_one,
    read_rows,
    read_scalars,
    write,
)
from data.models import AdminUnit, UnitCrosswalk
from data.periods import Period
from data.reform.load import (
    LEGACY_TREE,
    NEW_TREE,
    NEW_VALID_FROM,
    ReformLoadReport,
    load_2025_tree,
)

__all__ = [
    "FORMER_DISTRICT",
    "LEGACY_TREE",
    "MIXED_NAME_VI",
    "MIXED_PREFIX",
    "NEW_TREE",
    "REFORM_DATE",
    "ReformLoadReport",
    "crosswalk_frame",
    "former_district_groups",
    "former_district_membership",
    "inheritance",
    "load_2025_tree",
    "predecessor_boxes",
    "predecessor_names",
    "predecessor_provinces",
    "predecessors",
    "reform_province_for",
    "spans_reform",
    "store_area_shares",
    "successor_of",
    "tree_for",
]

# The first day of the two-tier government: the new tree's units are valid from it.
REFORM_DATE = NEW_VALID_FROM
# The map's level between a new province and its communes: "former district" groups.
FORMER_DISTRICT = "former_district"
MIXED_PREFIX = "MIXED-"
# The name rows give that group (a name of the data, like a unit's); the app names
# it by its code (message ``mixed_group``).
MIXED_NAME_VI = "Xã, phường thuộc nhiều huyện cũ"

_unit = AdminUnit.__table__
_cw = UnitCrosswalk.__table__
_old = _unit.alias("old")
_old_district = _unit.alias("old_district")
_old_province = _unit.alias("old_province")
_new = _unit.alias("new")
_new_province = _unit.alias("new_province")

_JOINED = (
    _cw.join(_old, _old.c.id == _cw.c.legacy_unit_id)
    .join(_new, _new.c.id == _cw.c.new_unit_id)
    .outerjoin(_old_district, _old_district.c.id == _old.c.parent_id)
    .outerjoin(_old_province, _old_province.c.id == _old_district.c.parent_id)
    .outerjoin(_new_province, _new_province.c.id == _new.c.parent_id)
)


def _crosswalk_select() -> AnySelect:
    return (
        select(
            _old.c.code.label("legacy_code"),
            _old.c.name.label("legacy_name"),
            _old_district.c.code.label("legacy_district_code"),
            _old_district.c.name.label("legacy_district_name"),
            _old_province.c.code.label("legacy_province_code"),
            _new.c.code.label("new_code"),
            _new.c.name.label("new_name"),
            _new_province.c.code.label("new_province_code"),
            _cw.c.is_default,
            _cw.c.divided,
        )
        .select_from(_JOINED)
        .order_by(_new.c.code, _old.c.code)
    )


def _frame(conn: Connection, stmt: AnySelect) -> pd.DataFrame:
    frame = read_df(conn, stmt)
    return frame.astype({"is_default": bool, "divided": bool})


def crosswalk_frame(
    conn: Connection, *, new_province_code: str | None = None
) -> pd.DataFrame:
    """Legacy -> new commune pairs (of one new province when given)."""
    stmt = _crosswalk_select()
    if new_province_code is not None:
        _require(conn, NEW_TREE, "province", new_province_code)
        stmt = stmt.where(_new_province.c.code == new_province_code)
    return _frame(conn, stmt)


def predecessors(conn: Connection, new_code: str) -> pd.DataFrame:
    """The legacy communes a new commune was formed from (``crosswalk_frame`` rows)."""
    _require(conn, NEW_TREE, "commune", new_code)
    return _frame(conn, _crosswalk_select().where(_new.c.code == new_code))


def successor_of(conn: Connection, legacy_code: str) -> str:
    """Code of the new commune that carries a legacy commune's figures."""
    _require(conn, LEGACY_TREE, "commune", legacy_code)
    stmt = (
        select(_new.c.code)
        .select_from(_JOINED)
        .where(_old.c.code == legacy_code, _cw.c.is_default)
    )
    found = read_scalars(conn, stmt)
    if len(found) != 1:
        raise ValueError(
            f"legacy commune {legacy_code} has {len(found)} default successors "
            "loaded (expected one; is the new tree loaded for its province?)"
        )
    return found[0]


def _require(conn: Connection, tree: str, level: str, code: str) -> None:
    stmt = select(_unit.c.id).where(
        _unit.c.tree == tree, _unit.c.level == level, _unit.c.code == code
    )
    if read_one(conn, stmt) is None:
        raise ValueError(f"no {level} {code!r} is loaded in the {tree} tree")


def former_district_groups(conn: Connection, new_province_code: str) -> pd.DataFrame:
    """Per new commune: the one legacy district of its predecessors, else NULL.

    Columns: new_code, new_name, predecessors, former_districts (how many legacy
    districts its predecessors lie in), former_district_code/_name (NULL when
    that number is not one: the commune spans several former districts).
    """
    _require(conn, NEW_TREE, "province", new_province_code)
    m, commune = former_district_membership(new_province_code), _unit.alias("commune")
    single = m.c.former_districts == 1
    stmt = (
        select(
            commune.c.code.label("new_code"),
            commune.c.name.label("new_name"),
            m.c.predecessors,
            m.c.former_districts,
            case((single, m.c.group_code)).label("former_district_code"),
            case((single, m.c.group_name)).label("former_district_name"),
        )
        .join(commune, commune.c.id == m.c.new_unit_id)
        .order_by(commune.c.code)
    )
    return read_df(conn, stmt)


def reform_province_for(
    conn_or_rows: Connection | pd.DataFrame, legacy_province_code: str
) -> str:
    """The new province a legacy province went into ("64" -> "52").

    From the database, or from ``crosswalk_frame`` rows already at hand.
    """
    if isinstance(conn_or_rows, pd.DataFrame):
        rows = conn_or_rows
        found = rows.loc[
            rows["legacy_province_code"] == legacy_province_code, "new_province_code"
        ]
        codes = sorted(set(found.dropna()))
    else:
        stmt = (
            select(_new_province.c.code)
            .distinct()
            .select_from(_JOINED)
            .where(_old_province.c.code == legacy_province_code)
        )
        codes = sorted(read_scalars(conn_or_rows, stmt))
    if len(codes) != 1:
        raise ValueError(
            f"legacy province {legacy_province_code!r} went into "
            f"{len(codes)} loaded new provinces ({', '.join(codes) or 'none'}); "
            "expected one: is it a legacy province code, and is the new tree loaded?"
        )
    return codes[0]


def predecessor_provinces(conn: Connection) -> pd.DataFrame:
    """Per new province: the ids and codes of the legacy provinces that formed it."""
    stmt = (
        select(
            _new_province.c.id.label("new_province_id"),
            _new_province.c.code.label("new_province_code"),
            _old_province.c.id.label("legacy_province_id"),
            _old_province.c.code.label("legacy_province_code"),
        )
        .distinct()
        .select_from(_JOINED)
        .order_by(_new_province.c.code, _old_province.c.code)
    )
    return read_df(conn, stmt)


def predecessor_boxes(conn: Connection) -> pd.DataFrame:
    """Per new commune: the box around its predecessors' boxes (the package's)."""
    stmt = (
        select(
            _new.c.id.label("new_unit_id"),
            func.min(_old.c.bbox_west).label("west"),
            func.min(_old.c.bbox_south).label("south"),
            func.max(_old.c.bbox_east).label("east"),
            func.max(_old.c.bbox_north).label("north"),
        )
        .select_from(_JOINED)
        .group_by(_new.c.id)
        .order_by(_new.c.id)
    )
    return read_df(conn, stmt)


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(period)


def tree_for(period: Period | str, today: dt.date | None = None) -> str:
    """The tree a period is shown on: "legacy" when it ends before 1 July 2025
    (2024, 2025-Q1, 2025-Q2), else "2025" (2025, 2025-Q3, 2026...).

    A period that spans the reform is shown on the new tree, with the legacy
    figures carried over (``inheritance``).  A year to date ends on today's day
    and month of its year (``Period.end``), so 2025-YTD is "legacy" until July.
    """
    return LEGACY_TREE if _as_period(period).end(today) < REFORM_DATE else NEW_TREE


def spans_reform(period: Period | str, today: dt.date | None = None) -> bool:
    """True when the period starts before 1 July 2025 and ends on or after it:
    its figures on the new tree include legacy figures carried over."""
    period = _as_period(period)
    return period.start < REFORM_DATE <= period.end(today)


def _province_heirs() -> Subquery:
    """(legacy_unit_id, new_unit_id): each legacy province and the new province
    its communes' default successors lie in; should they ever lie in two, the one
    with the lowest id, so that a legacy province is never inherited twice."""
    old, district = _unit.alias("heir_old"), _unit.alias("heir_district")
    new = _unit.alias("heir_new")
    return (
        select(
            district.c.parent_id.label("legacy_unit_id"),
            func.min(new.c.parent_id).label("new_unit_id"),
        )
        .select_from(
            _cw.join(old, old.c.id == _cw.c.legacy_unit_id)
            .join(district, district.c.id == old.c.parent_id)
            .join(new, new.c.id == _cw.c.new_unit_id)
        )
        .where(_cw.c.is_default)
        .group_by(district.c.parent_id)
        .subquery("heirs")
    )


def inheritance(apportion: bool = False) -> Subquery:
    """(new_unit_id, legacy_unit_id): the legacy units whose OWN bookings count
    for a new unit on the new tree (the roll-up of ``data.metrics`` adds them).

    - a new commune: the legacy communes whose DEFAULT successor it is (a divided
      commune goes whole to its default successor, the others get none of it);
    - a new province: the legacy provinces that formed it (``_province_heirs``)
      and their districts;
    - the new country: the legacy country.
    Each unit is listed alone, not with what lies under it: a legacy commune
    reaches a new province through the new commune that inherits it.  Every
    legacy unit appears at most once, so nothing is counted twice.

    ``apportion`` (cases and children): a third column ``weight``, the part of
    the legacy unit's figures that the new unit takes: a divided commune with area
    shares (``unit_crosswalk.area_share``) is listed once per successor with a
    positive share, weighted by it (its weights sum to 1); every other row weighs 1.
    """
    heirs, district = _province_heirs(), _unit.alias("heir_districts")
    new_root, old_root = _unit.alias("new_root"), _unit.alias("old_root")
    one = () if not apportion else (cast(literal(1.0), Float).label("weight"),)
    if apportion:
        shared = _cw.c.area_share.is_not(None)
        weight = case((shared, _cw.c.area_share), else_=cast(literal(1.0), Float))
        communes = select(
            _cw.c.new_unit_id, _cw.c.legacy_unit_id, weight.label("weight")
        ).where(or_(_cw.c.area_share > 0, and_(~shared, _cw.c.is_default)))
    else:
        communes = select(_cw.c.new_unit_id, _cw.c.legacy_unit_id).where(
            _cw.c.is_default
        )
    provinces = select(heirs.c.new_unit_id, heirs.c.legacy_unit_id, *one)
    districts = select(heirs.c.new_unit_id, district.c.id, *one).select_from(
        heirs.join(district, district.c.parent_id == heirs.c.legacy_unit_id)
    )
    country = (
        select(new_root.c.id, old_root.c.id, *one)
        .select_from(new_root.join(old_root, old_root.c.level == new_root.c.level))
        .where(
            new_root.c.tree == NEW_TREE,
            new_root.c.level == "country",
            old_root.c.tree == LEGACY_TREE,
        )
    )
    name = "inheritance_weighted" if apportion else "inheritance"
    return union_all(communes, provinces, districts, country).subquery(name)


_SHARE_DIGITS = 9  # shares equal to this many digits are the same shares


def store_area_shares(session: Session, shares: pd.DataFrame) -> bool:
    """Replace every crosswalk row's ``area_share`` by ``shares`` (legacy_code,
    new_code, area_share: ``geo.shares.area_shares``); rows not listed get NULL.
    Returns whether anything changed (nothing is written otherwise)."""
    conn = session.connection()
    ids = read_df(
        conn,
        select(_unit.c.id, _unit.c.code, _unit.c.tree).where(
            _unit.c.level == "commune"
        ),
    )
    legacy = ids[ids["tree"] == LEGACY_TREE].set_index("code")["id"]
    new = ids[ids["tree"] == NEW_TREE].set_index("code")["id"]
    rows = [
        {
            "old": int(legacy[str(r.legacy_code)]),
            "new": int(new[str(r.new_code)]),
            "share": s,
        }
        for r, s in zip(shares.itertuples(), shares["area_share"], strict=True)
    ]
    stored = read_rows(
        conn,
        select(_cw.c.legacy_unit_id, _cw.c.new_unit_id, _cw.c.area_share).where(
            _cw.c.area_share.is_not(None)
        ),
    )
    digits = _SHARE_DIGITS
    before = {(o, n, round(float(s), digits)) for o, n, s in stored}
    after = {(r["old"], r["new"], round(float(r["share"]), digits)) for r in rows}
    if before == after:
        return False
    write(session, update(_cw).values(area_share=None))
    if not rows:
        return True
    write(
        session,
        update(_cw)
        .where(
            _cw.c.legacy_unit_id == bindparam("old"),
            _cw.c.new_unit_id == bindparam("new"),
        )
        .values(area_share=bindparam("share")),
        rows,
    )
    return True


@kept
def former_district_membership(new_province_code: str | None = None) -> Subquery:
    """Per new commune (of one new province when given): its former-district group.

    Columns: new_unit_id, children_u16, valid_from, valid_to, new_province_code,
    predecessors (crosswalk rows), former_districts (legacy districts they lie
    in), group_id, group_code, group_name.  The group is the one legacy district of
    all its predecessors (code and name of that district); a commune whose
    predecessors lie in several districts (or that has none) goes to the group
    ``MIXED-<new province code>``.  ``group_id`` is minus the district's id (minus
    the province's for the mixed group): negative, so it never names a unit.
    Kept (``data.db.kept``): a ranking or a breadcrumb asks it on every call.
    """
    commune, province = _unit.alias("fd_commune"), _unit.alias("fd_province")
    old, district = _unit.alias("fd_old"), _unit.alias("fd_district")
    districts = func.count(func.distinct(district.c.id))
    single = districts == 1
    stmt = (
        select(
            commune.c.id.label("new_unit_id"),
            *(commune.c[n] for n in ("children_u16", "valid_from", "valid_to")),
            province.c.code.label("new_province_code"),
            func.count(_cw.c.legacy_unit_id).label("predecessors"),
            districts.label("former_districts"),
            case((single, -func.min(district.c.id)), else_=-province.c.id).label(
                "group_id"
            ),
            case(
                (single, func.min(district.c.code)),
                else_=literal(MIXED_PREFIX) + province.c.code,
            ).label("group_code"),
            case((single, func.min(district.c.name)), else_=MIXED_NAME_VI).label(
                "group_name"
            ),
        )
        .select_from(
            commune.join(province, province.c.id == commune.c.parent_id)
            .outerjoin(_cw, _cw.c.new_unit_id == commune.c.id)
            .outerjoin(old, old.c.id == _cw.c.legacy_unit_id)
            .outerjoin(district, district.c.id == old.c.parent_id)
        )
        .where(commune.c.tree == NEW_TREE, commune.c.level == "commune")
        .group_by(
            *(commune.c[n] for n in ("id", "children_u16", "valid_from", "valid_to")),
            province.c.id,
            province.c.code,
        )
    )
    if new_province_code is not None:
        stmt = stmt.where(province.c.code == new_province_code)
    return stmt.subquery("membership")


def predecessor_names(conn: Connection, *, code: str) -> list[str]:
    """Names of the legacy units whose figures a July-2025 unit continues: for a
    commune, the legacy communes whose default successor it is; for a province,
    the legacy provinces that formed it.  Empty for anything else."""
    unit = read_one(
        conn,
        select(_unit.c.id, _unit.c.level).where(
            _unit.c.tree == NEW_TREE, _unit.c.code == code
        ),
    )
    if unit is None:
        return []
    if unit.level == "commune":
        stmt = (
            select(_old.c.name)
            .select_from(_JOINED)
            .where(_new.c.id == unit.id, _cw.c.is_default)
            .order_by(_old.c.code)
        )
    elif unit.level == "province":
        stmt = (
            select(_old_province.c.name, _old_province.c.code)
            .distinct()
            .select_from(_JOINED)
            .where(_new_province.c.id == unit.id)
            .order_by(_old_province.c.code)
        )
    else:
        return []
    return [str(row[0]) for row in read_rows(conn, stmt)]
