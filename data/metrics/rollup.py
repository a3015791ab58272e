"""What every theme shares: the units to return, their descendants, validity, dates.

A theme query has three parts: ``targets`` (the units to return, one row each),
``rollup(targets)`` (every unit at or under each target, so that facts booked at
any level reach the right ancestor) and the facts, grouped by target in SQL.  The
grouped rows are then outer-joined back to the targets, so that a unit without
facts still gets its row.

On the July-2025 tree the roll-up also takes the legacy units each new unit
inherits (``data.reform.inheritance``: a new commune its default-predecessor
communes, a new province the legacy provinces and districts that formed it), so
that facts booked before July 2025 count for the new units.  The target builders
here record which tree (and, for former-district groups, which communes) their
targets stand for; ``rollup`` reads that, so no theme has to.  The legacy tree's
SQL is unchanged.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Float,
    FromClause,
    Integer,
    Select,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import Subquery

from data.db import AnySelect, is_kept, kept, read_one
from data.metrics import batch
from data.metrics.months import kept_sums
from data.models import AdminUnit, ChildFriendlyAssessment, UnitChildren
from data.periods import Period, today_vn
from data.reform import (
    FORMER_DISTRICT,
    LEGACY_TREE,
    NEW_TREE,
    former_district_membership,
    inheritance,
)
from data.scope import FULL, Scope, commune_rows_allowed
from data.vocabulary import LEVELS

UNIT: Table = AdminUnit.__table__
CFA: Table = ChildFriendlyAssessment.__table__
CHILDREN: Table = UnitChildren.__table__
# country > province > district > commune: a target is at most 3 levels above a fact
MAX_DEPTH = len(LEVELS) - 1


@dataclass(frozen=True)
class _Spec:
    """What a targets CTE stands for: its tree, and for former-district groups
    the membership rows (group_id -> new commune) that replace the unit tree."""

    tree: str
    members: Subquery | None = None


# Filled by the target builders below; a CTE built elsewhere rolls up as legacy.
_SPECS: weakref.WeakKeyDictionary[CTE, _Spec] = weakref.WeakKeyDictionary()


def _registered(targets: CTE, tree: str, members: Subquery | None = None) -> CTE:
    _SPECS[targets] = _Spec(tree, members)
    return targets


def target_tree(targets: CTE) -> str:
    """The tree of targets made by ``targets_under`` or ``target_unit``."""
    spec = _SPECS.get(targets)
    return spec.tree if spec else LEGACY_TREE


def valid_on(
    table: FromClause, day: dt.date | ColumnElement[Any]
) -> ColumnElement[bool]:
    """SQL condition: the unit existed on ``day`` (a date or a date column)."""
    return and_(
        or_(table.c.valid_from.is_(None), table.c.valid_from <= day),
        or_(table.c.valid_to.is_(None), table.c.valid_to >= day),
    )


def commune_ancestry(tree: str, as_of: dt.date) -> Subquery:
    """Communes valid on ``as_of`` with the ids of their district, province, country."""
    c, d, p = UNIT.alias("c"), UNIT.alias("d"), UNIT.alias("p")
    return (
        select(
            c.c.id.label("commune"),
            d.c.id.label("district"),
            p.c.id.label("province"),
            p.c.parent_id.label("country"),
        )
        .select_from(
            c.join(d, c.c.parent_id == d.c.id).join(p, d.c.parent_id == p.c.id)
        )
        .where(c.c.tree == tree, c.c.level == "commune", valid_on(c, as_of))
        .subquery("ancestry")
    )


def check_level(level: str) -> str:
    """``level`` itself, or ValueError when it is not a level of the tree."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    return level


def today_or_vn(today: dt.date | None) -> dt.date:
    """``today`` as given, else today's date in Viet Nam."""
    return today or today_vn()


def period_span(period: Period, today: dt.date | None) -> tuple[dt.date, dt.date]:
    """First day and reference date (never after today) of ``period``."""
    return period.start, period.as_of(today_or_vn(today))


def _target_columns(u: FromClause) -> AnySelect:
    return select(
        u.c.id, u.c.code, u.c.name, u.c.level, u.c.children_u16.label("children")
    )


@kept
def targets_under(
    tree: str,
    level: str,
    parent_code: str,
    day: dt.date,
    only: str | None = None,
    scope: Scope = FULL,
) -> CTE:
    """Units of ``level`` directly under ``parent_code``, valid on ``day`` (just
    the unit ``only`` when given: one row of the same listing, computed alone).

    Former districts (``FORMER_DISTRICT``): on the July-2025 tree, one row per
    former-district group of the new province ``parent_code`` (``group_targets``);
    on the legacy tree they are its districts.  On the July-2025 tree the
    communes "under" a group code (a legacy district code, or ``MIXED-<province>``)
    are the new communes of that group.
    """
    if level == FORMER_DISTRICT:
        if tree != NEW_TREE:  # before the reform a former district is a district
            return targets_under(tree, "district", parent_code, day, only, scope)
        return group_targets(parent_code, day, only)
    u, parent = UNIT.alias("t"), UNIT.alias("tp")
    in_parent = parent.c.code == parent_code
    if tree == NEW_TREE and check_level(level) == "commune":
        # legacy district codes never name a unit of the new tree: no ambiguity
        groups = former_district_membership()
        of_group = select(groups.c.new_unit_id).where(
            groups.c.group_code == parent_code
        )
        in_parent = or_(in_parent, u.c.id.in_(of_group))
    stmt = (
        _target_columns(u)
        .select_from(u.join(parent, u.c.parent_id == parent.c.id))
        .where(
            parent.c.tree == tree,
            in_parent,
            u.c.level == check_level(level),
            valid_on(u, day),
        )
    )
    if only is not None:
        stmt = stmt.where(u.c.code == only)
    return _registered(_in_scope(stmt, u, scope).cte("targets"), tree)


def _in_scope(stmt: AnySelect, u: FromClause, scope: Scope) -> AnySelect:
    """Commune rows outside the user's area are left out (aggregates stay)."""
    allowed = commune_rows_allowed(scope, u.c.id, u.c.level)
    return stmt if allowed is None else stmt.where(allowed)


@kept
def group_targets(
    province_code: str | None, day: dt.date, only: str | None = None
) -> CTE:
    """One target per former-district group of a new province (of every new
    province when None), with the groups' communes valid on ``day`` (a group
    none of whose communes is valid is left out).

    Columns as for units: id (``group_id``, negative), code (the legacy district
    code, or ``MIXED-<province>``), name, level ``former_district``, children
    (the sum over the group's new communes; NULL when one of them has none).
    """
    m = former_district_membership(province_code)
    known = func.count() == func.count(m.c.children_u16)
    stmt = (
        select(
            m.c.group_id.label("id"),
            m.c.group_code.label("code"),
            m.c.group_name.label("name"),
            literal(FORMER_DISTRICT).label("level"),
            cast(case((known, func.sum(m.c.children_u16))), Integer).label("children"),
        )
        .where(valid_on(m, day))
        .group_by(m.c.group_id, m.c.group_code, m.c.group_name)
    )
    if only is not None:
        stmt = stmt.where(m.c.group_code == only)
    return _registered(stmt.cte("targets"), NEW_TREE, members=m)


def target_place(
    conn: Connection, tree: str, code: str, day: dt.date, scope: Scope = FULL
) -> CTE:
    """One unit by code (``target_unit``) or, on the July-2025 tree, the
    former-district group of that code when no unit has it."""
    targets = target_unit(tree, code, scope)
    if tree == NEW_TREE and read_one(conn, select(targets.c.id)) is None:
        return group_targets(None, day, only=code)
    return targets


@kept
def target_unit(tree: str, code: str, scope: Scope = FULL) -> CTE:
    """One unit by code, whatever its validity (a detail panel asked for it); no
    row for a commune outside the user's area."""
    u = UNIT.alias("t")
    stmt = _target_columns(u).where(u.c.tree == tree, u.c.code == code)
    return _registered(_in_scope(stmt, u, scope).cte("targets"), tree)


@kept
def with_unit(listed: CTE, head: CTE) -> CTE | None:
    """The targets ``listed`` and the unit ``head`` in one CTE: a map's listing
    and its headline from one statement (their rows told apart by code: a tree's
    codes are unique, and a unit is never listed under itself).  None for
    former-district groups (their roll-up is not the units' one)."""
    if is_group(listed) or is_group(head):
        return None
    parts = []
    for target in (listed, head):
        stmt = target.element
        assert isinstance(stmt, Select)  # targets are made of one SELECT
        parts.append(stmt)
    return _registered(union_all(*parts).cte("targets"), _SPECS[listed].tree)


def read_with_unit(
    listed: CTE,
    head: CTE,
    code: str,
    frame_of: Callable[[CTE], pd.DataFrame],
    code_sets: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(frame_of(listed), frame_of(head))`` -- ``head`` being the unit ``code``
    -- read by one statement (``with_unit``) where the targets allow, else apart.
    A target's row does not depend on the other targets, so the frames are the
    same; the ``attrs`` named in ``code_sets`` (sets of target codes) keep in
    each the codes of its own rows."""
    both = with_unit(listed, head)
    if both is None:
        return frame_of(listed), frame_of(head)
    frame = frame_of(both)
    codes = frame["code"].tolist()
    at = [i for i, found in enumerate(codes) if found == code]  # one row, or none
    listed_rows = [i for i, found in enumerate(codes) if found != code]
    parts = []
    for rows in (listed_rows, at):
        part = _rows(frame, rows)
        part.attrs = dict(frame.attrs)
        for name in code_sets:
            if name in frame.attrs:
                own = {codes[i] for i in rows}
                part.attrs[name] = frozenset(frame.attrs[name]) & own
        parts.append(part)
    return parts[0], parts[1]


def _rows(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """The ``rows`` of ``frame``, indexed from 0: a slice where they follow one
    another (the listing before or after the unit's own row; a quarter of what
    ``take`` costs), else taken."""
    if rows and rows == list(range(rows[0], rows[-1] + 1)):
        part = frame.iloc[rows[0] : rows[-1] + 1]
    else:
        part = frame.take(rows)
    part.index = pd.RangeIndex(len(rows))  # copy-on-write: ``frame`` keeps its own
    return part


def read_listing_and_row(
    frame_of: Callable[[CTE], pd.DataFrame],
    *,
    tree: str,
    level: str,
    parent_code: str,
    unit_level: str,
    unit_parent: str,
    day: dt.date,
    scope: Scope = FULL,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame_of`` of the units of ``level`` under ``parent_code`` and of
    ``parent_code``'s own row of the listing of ``unit_level`` under
    ``unit_parent`` (``only``), read by one statement (``read_with_unit``)."""
    listed = targets_under(tree, level, parent_code, day, None, scope)
    head = targets_under(tree, unit_level, unit_parent, day, parent_code, scope)
    return read_with_unit(listed, head, parent_code, frame_of)


def units_as_targets(ids: list[int], tree: str) -> CTE:
    """The units ``ids`` (all of ``tree``) as targets, to roll up what lies in
    their area (``data.metrics.reported``)."""
    stmt = _target_columns(UNIT).where(UNIT.c.id.in_(ids))
    return _registered(stmt.cte("units"), tree)


def tree_units(tree: str, ids: AnySelect | list[int] | None = None) -> CTE:
    """Every unit of ``tree`` (only those of ``ids`` when given: a list or a
    SELECT of ids) as targets, whatever its validity (``data.metrics.summary``)."""
    stmt = _target_columns(UNIT).where(UNIT.c.tree == tree)
    if ids is not None:
        stmt = stmt.where(UNIT.c.id.in_(ids))
    return _registered(stmt.cte("tree_units"), tree)


def is_group(targets: CTE) -> bool:
    """Whether ``targets`` are former-district groups (``group_targets``), not units."""
    spec = _SPECS.get(targets)
    return spec is not None and spec.members is not None


def reads_kept_sums(targets: CTE) -> bool:
    """Whether a theme reads the targets' kept sums (``data.metrics.summary``):
    units (former-district groups are not kept there), outside ``from_facts``."""
    return kept_sums() and not is_group(targets)


def _descendants(targets: CTE) -> list[AnySelect]:
    """(target_id, unit_id) selects: each target and every unit under it."""
    chain = [UNIT.alias(f"r{depth}") for depth in range(1, MAX_DEPTH + 1)]
    branches = [select(targets.c.id.label("target_id"), targets.c.id.label("unit_id"))]
    joined: FromClause = targets
    above = targets.c.id
    for unit in chain:
        joined = joined.join(unit, unit.c.parent_id == above)
        above = unit.c.id
        branches.append(select(targets.c.id, unit.c.id).select_from(joined))
    return branches


def _group_districts(targets: CTE) -> list[AnySelect]:
    """(target_id, unit_id) of the legacy districts whose OWN bookings (district
    fund, district reports, up to June 2025) count for a former-district group:
    the district a group is named after (``group_id`` is minus its id), and for
    the mixed group of a new province (``group_id`` minus the province's id) every
    district of its predecessor provinces that gave no group its name.  Each
    legacy district thus counts for exactly one group."""
    named, orphan = UNIT.alias("group_district"), UNIT.alias("orphan_district")
    inherited, groups = inheritance(), former_district_membership()
    return [
        select(targets.c.id, named.c.id)
        .select_from(targets.join(named, named.c.id == -targets.c.id))
        .where(named.c.tree == LEGACY_TREE, named.c.level == "district"),
        select(targets.c.id, orphan.c.id)
        .select_from(
            targets.join(inherited, inherited.c.new_unit_id == -targets.c.id).join(
                orphan, orphan.c.parent_id == inherited.c.legacy_unit_id
            )
        )
        .where(
            orphan.c.tree == LEGACY_TREE,
            orphan.c.level == "district",
            (-orphan.c.id).not_in(select(groups.c.group_id)),
        ),
    ]


def rollup(targets: CTE, name: str = "rollup", apportion: bool = False) -> CTE:
    """(target_id, unit_id) for every unit at or under each target, the target too.

    On the July-2025 tree, also every legacy unit those units inherit
    (``data.reform.inheritance``), each once; for former-district groups, the
    group's new communes, what they inherit, and the group's legacy districts
    (``_group_districts``).  A CTE: a query that reads it
    twice computes it once.

    ``apportion`` (cases and children only): a third column ``weight``, the part of
    each unit's figures that counts for the target (``inheritance(apportion=
    True)``: a divided legacy commune's area share; 1 elsewhere), one row per
    (target, unit) pair with the weights of its paths summed (a divided commune
    reaches a new province through each of its successors).
    """
    spec = _SPECS.get(targets, _Spec(LEGACY_TREE))
    if spec.tree != NEW_TREE and not apportion:
        return _own_units(targets, spec, name)
    own = _own_units(targets, spec, f"{name}_new")
    whole = (cast(literal(1.0), Float).label("weight"),) if apportion else ()
    if spec.tree != NEW_TREE:
        return select(own.c.target_id, own.c.unit_id, *whole).cte(name)
    inherited = inheritance(apportion)
    carried = select(
        own.c.target_id,
        inherited.c.legacy_unit_id,
        *((inherited.c.weight,) if apportion else ()),
    ).select_from(own.join(inherited, inherited.c.new_unit_id == own.c.unit_id))
    paths = union_all(select(own.c.target_id, own.c.unit_id, *whole), carried)
    if not apportion:
        return paths.cte(name)
    each = paths.subquery(f"{name}_paths")
    weight = cast(func.sum(each.c.weight), Float).label("weight")
    return (
        select(each.c.target_id, each.c.unit_id, weight)
        .group_by(each.c.target_id, each.c.unit_id)
        .cte(name)
    )


def _own_units(targets: CTE, spec: _Spec, name: str) -> CTE:
    """(target_id, unit_id) of the units of the targets' own tree at or under each
    target (a former-district group: its communes and legacy districts)."""
    if spec.members is None:
        branches = _descendants(targets)
    else:
        m = spec.members
        branches = [
            select(
                targets.c.id.label("target_id"), m.c.new_unit_id.label("unit_id")
            ).select_from(targets.join(m, m.c.group_id == targets.c.id)),
            *_group_districts(targets),
        ]
    return union_all(*branches).cte(name)


def year_children(targets: CTE, year: int) -> tuple[ColumnElement[Any], FromClause]:
    """The targets' children under 16 in ``year`` (labelled ``children``) and the
    FROM clause to select it from (the targets, outer-joined to what it reads).

    A target with a ``unit_children`` row for the year has that figure.  Else its
    own figure (``admin_unit.children_u16``, for a former-district group the sum
    over its communes), moved by the year's rows of the communes under it: each
    such commune counts its row instead of its own figure.  When the stored
    figures add up (a district's is the sum of its communes'), that is the sum
    over the communes of the year's figure where known, else their own; with no
    row for the year, it is the targets' own ``children``.
    """
    changes = _children_changes(targets, year)
    own = CHILDREN.alias("children_own")
    moved = targets.c.children + func.coalesce(changes.c.delta, 0)
    children = cast(func.coalesce(own.c.children_u16, moved), Integer)
    source = targets.outerjoin(
        own, and_(own.c.unit_id == targets.c.id, own.c.year == year)
    ).outerjoin(changes, changes.c.target_id == targets.c.id)
    return children.label("children"), source


def _children_changes(targets: CTE, year: int) -> Subquery:
    """(target_id, delta): per unit above a commune with a row for ``year`` (its
    district, province and country, or its former-district group), the sum of
    those rows less the communes' own figures.  Read from the year's rows
    upwards, not from the targets down: it does not depend on the targets, so
    it is computed once whatever the number of targets."""
    spec = _SPECS.get(targets, _Spec(LEGACY_TREE))
    if spec.members is None:
        return _unit_children_changes(year, None)
    return _build_children_changes(year, spec.members)


def _build_children_changes(year: int, members: Subquery | None) -> Subquery:
    row, commune = CHILDREN.alias("changed_row"), UNIT.alias("changed_commune")
    delta = (row.c.children_u16 - func.coalesce(commune.c.children_u16, 0)).label(
        "delta"
    )
    changed = (
        select(commune.c.id, commune.c.parent_id, delta)
        .select_from(row.join(commune, commune.c.id == row.c.unit_id))
        .where(row.c.year == year, commune.c.level == "commune")
        .cte("changed_communes")
    )
    if members is not None:  # former-district groups: their communes
        m = members
        branches: list[AnySelect] = [
            select(m.c.group_id.label("target_id"), changed.c.delta).select_from(
                changed.join(m, m.c.new_unit_id == changed.c.id)
            )
        ]
    else:
        branches = [select(changed.c.parent_id.label("target_id"), changed.c.delta)]
        below = changed.c.parent_id
        joined: FromClause = changed
        for depth in range(1, MAX_DEPTH):
            up = UNIT.alias(f"changed_up{depth}")
            joined = joined.join(up, up.c.id == below)
            branches.append(select(up.c.parent_id, changed.c.delta).select_from(joined))
            below = up.c.parent_id
    paths = union_all(*branches).subquery("changed_paths")
    return (
        select(paths.c.target_id, func.sum(paths.c.delta).label("delta"))
        .where(paths.c.target_id.is_not(None))
        .group_by(paths.c.target_id)
        .subquery("children_changes")
    )


# ``_children_changes`` for units: the same statement for every targets of a
# year (it reads nothing of them), kept.
_unit_children_changes = kept(_build_children_changes)


def per_target(
    conn: Connection,
    targets: CTE,
    *grouped: Subquery,
    extra: tuple[str, ...] = (),
    year: int | None = None,
    flags: Mapping[str, ColumnElement[Any]] | None = None,
) -> pd.DataFrame:
    """Code, name and ``extra`` columns of every target, with the grouped columns;
    with ``year``, an extra ``children`` is that year's (``year_children``);
    ``flags``: scalar subqueries asked in the same statement, one column each
    (the same value on every row).  Missing grouped rows give NaN/None.

    One statement: each grouped query is a MATERIALIZED common table expression
    (computed once, then joined back to the targets).  Inlined as a derived
    table, PostgreSQL, expecting one target, re-ran the whole aggregate once per
    target.  Made of kept parts (``kept``), the statement is kept too.
    """
    stmt = per_target_statement(targets, *grouped, extra=extra, year=year, flags=flags)
    return batch.read(conn, stmt)


def per_target_statement(
    targets: CTE,
    *grouped: Subquery,
    extra: tuple[str, ...] = (),
    year: int | None = None,
    flags: Mapping[str, ColumnElement[Any]] | None = None,
) -> Select[Any]:
    """``per_target``'s statement (to read as ``batch.read_columns``)."""
    asked = tuple((flags or {}).items())
    build = _per_target_kept
    if not is_kept(targets, *grouped, *(flag for _, flag in asked)):
        build = _per_target_statement
    return build(targets, grouped, extra, year, asked)


def _per_target_statement(
    targets: CTE,
    grouped: tuple[Subquery, ...],
    extra: tuple[str, ...],
    year: int | None,
    flags: tuple[tuple[str, ColumnElement[Any]], ...],
) -> Select[Any]:
    own: list[ColumnElement[Any]] = [targets.c[name] for name in extra]
    source: FromClause = targets
    if year is not None and "children" in extra:
        children, source = year_children(targets, year)
        own[extra.index("children")] = children
    values: list[ColumnElement[Any]] = []
    for query in grouped:
        part = query.element.cte(query.name).prefix_with("MATERIALIZED")
        source = source.outerjoin(part, part.c.target_id == targets.c.id)
        values += [c for c in part.c if c.name != "target_id"]
    asked = [subquery.label(name) for name, subquery in flags]
    stmt = select(targets.c.code, targets.c.name, *own, *values, *asked)
    return stmt.select_from(source).order_by(targets.c.code)


_per_target_kept = kept(_per_target_statement)


def as_int(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Missing counts or sums become 0, and the columns whole numbers."""
    for name in columns:
        frame[name] = frame[name].fillna(0).astype("int64")
    return frame


def ratio(num: pd.Series, den: pd.Series, scale: float = 100.0) -> pd.Series:
    """``scale * num / den`` as floats, NaN where the denominator is 0 or missing."""
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    out = scale * pd.to_numeric(num).astype("float64") / den.where(den > 0)
    return out.astype("float64")
