"""What the map can show on each tree, and the same place on the other tree.

A *place* is a unit of a tree or, on the July-2025 tree, a former-district group
(huyện cũ, ``data.reform.former_district_membership``): an informal grouping of
new communes, coded by the legacy district's code (or ``MIXED-<province>``),
whose parent is the new province.  Every place is a dict with ``code``, ``name``,
``level``, ``parent_code`` and ``informal`` (True for a group).

``translate`` finds, for a view on one tree, the view of the same area on the
other tree: the map follows it when the period crosses 1 July 2025.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.sql import Subquery

from data.db import Runner, read_one, read_scalar, read_scalars
from data.models import AdminUnit, UnitCrosswalk
from data.reform import (
    FORMER_DISTRICT,
    LEGACY_TREE,
    NEW_TREE,
    former_district_membership,
)
from data.units import COUNTRY_CODE, ancestors, tops_with_parent, unit_with_parent

_unit = AdminUnit.__table__
_cw = UnitCrosswalk.__table__


def group(conn: Runner, code: str) -> dict[str, Any] | None:
    """The former-district group ``code`` of the July-2025 tree, or None."""
    m = former_district_membership()
    row = read_one(
        conn,
        select(
            m.c.group_code,
            m.c.group_name,
            m.c.new_province_code,
            func.count().label("communes"),
        )
        .where(m.c.group_code == code)
        .group_by(m.c.group_code, m.c.group_name, m.c.new_province_code),
    )
    if row is None:
        return None
    return {
        "code": row.group_code,
        "name": row.group_name,
        "level": FORMER_DISTRICT,
        "parent_code": row.new_province_code,
        "informal": True,
        "communes": int(row.communes),
    }


def place(conn: Runner, *, tree: str, code: str) -> dict[str, Any] | None:
    """The unit ``code`` of ``tree`` (with its parent's code), else on the July-2025
    tree the former-district group of that code; None when neither exists."""
    row = unit_with_parent(conn, tree=tree, code=code)
    if row is not None:
        return {**row, "informal": False}
    return group(conn, code) if tree == NEW_TREE else None


def chain(conn: Runner, *, tree: str, code: str) -> list[dict[str, Any]]:
    """The place and the places above it, root first: [{code, name, level}, ...]."""
    units = ancestors(conn, tree=tree, code=code)
    if units or tree != NEW_TREE:
        return units
    here = group(conn, code)
    if here is None:
        return []
    above = ancestors(conn, tree=tree, code=here["parent_code"])
    return [*above, {k: here[k] for k in ("code", "name", "level")}]


def is_under(conn: Runner, child: dict[str, Any], parent: dict[str, Any]) -> bool:
    """Whether the place ``child`` is shown under the place ``parent`` (a commune
    of the July-2025 tree lies under its province and under its group)."""
    if child["parent_code"] == parent["code"]:
        return True
    if parent["level"] != FORMER_DISTRICT or child["level"] != "commune":
        return False
    own = group_of(conn, child["code"])
    return own is not None and own["code"] == parent["code"]


def provinces(conn: Runner, tree: str) -> list[str]:
    """Codes of the provinces loaded in ``tree``."""
    return sorted(read_scalars(conn, _provinces_select(), {"tree": tree}))


@functools.cache
def _provinces_select() -> Select[Any]:
    """``provinces``' statement, the tree bound per call: built once (every
    breadcrumb asks it)."""
    tree: BindParameter[str] = bindparam("tree")
    return select(_unit.c.code).where(_unit.c.tree == tree, _unit.c.level == "province")


def default_root(conn: Runner, tree: str) -> str | None:
    """The place a tree's map opens on: its only province, else the country."""
    return _root_code(provinces(conn, tree))


def _root_code(provinces: list[str]) -> str | None:
    if not provinces:
        return None
    return provinces[0] if len(provinces) == 1 else COUNTRY_CODE


def default_places(conn: Runner) -> dict[str, dict[str, Any] | None]:
    """Per tree, the place ``default_root`` names, as ``place`` gives it (one
    statement for both trees); None for a tree without a province (or, with
    several, without a country row)."""
    by_tree: dict[str, list[dict[str, Any]]] = {LEGACY_TREE: [], NEW_TREE: []}
    for row in tops_with_parent(conn):
        by_tree.setdefault(row.pop("tree"), []).append(row)
    return {tree: _opened_on(units) for tree, units in by_tree.items()}


def _opened_on(tops: list[dict[str, Any]]) -> dict[str, Any] | None:
    code = _root_code(sorted(u["code"] for u in tops if u["level"] == "province"))
    found = [{**u, "informal": False} for u in tops if u["code"] == code]
    return found[0] if found else None


def _province_links(default_only: bool = False) -> Subquery:
    """(legacy, new): codes of a legacy province and a new province that one of
    its communes went to (only as the default successor when ``default_only``)."""
    old, district = _unit.alias("old"), _unit.alias("old_district")
    prov, new, new_prov = (
        _unit.alias("old_province"),
        _unit.alias("new"),
        _unit.alias("new_province"),
    )
    stmt = (
        select(prov.c.code.label("legacy"), new_prov.c.code.label("new"))
        .distinct()
        .select_from(
            _cw.join(old, old.c.id == _cw.c.legacy_unit_id)
            .join(district, district.c.id == old.c.parent_id)
            .join(prov, prov.c.id == district.c.parent_id)
            .join(new, new.c.id == _cw.c.new_unit_id)
            .join(new_prov, new_prov.c.id == new.c.parent_id)
        )
    )
    if default_only:
        stmt = stmt.where(_cw.c.is_default)
    return stmt.subquery("links")


def _heir_province(conn: Runner, legacy_province: str) -> str | None:
    """The new province that the default successors of a legacy province's
    communes lie in (the first by code, should they lie in several)."""
    links = _province_links(default_only=True)
    stmt = select(func.min(links.c.new)).where(links.c.legacy == legacy_province)
    return read_scalar(conn, stmt)


def _predecessor_provinces(conn: Runner, new_province: str) -> list[str]:
    links = _province_links()
    stmt = select(links.c.legacy).where(links.c.new == new_province)
    return sorted(read_scalars(conn, stmt))


def _successor(conn: Runner, legacy_commune: str) -> str | None:
    old, new = _unit.alias("old"), _unit.alias("new")
    stmt = (
        select(new.c.code)
        .select_from(
            _cw.join(old, old.c.id == _cw.c.legacy_unit_id).join(
                new, new.c.id == _cw.c.new_unit_id
            )
        )
        .where(_cw.c.is_default, old.c.code == legacy_commune)
    )
    return read_scalar(conn, stmt)


def _main_predecessor(conn: Runner, new_commune: str) -> str | None:
    """The legacy commune with the most children among those a new commune
    inherits (whose default successor it is)."""
    old, new = _unit.alias("old"), _unit.alias("new")
    stmt = (
        select(old.c.code)
        .select_from(
            _cw.join(old, old.c.id == _cw.c.legacy_unit_id).join(
                new, new.c.id == _cw.c.new_unit_id
            )
        )
        .where(_cw.c.is_default, new.c.code == new_commune, new.c.tree == NEW_TREE)
        .order_by(old.c.children_u16.desc().nulls_last(), old.c.code)
        .limit(1)
    )
    return read_scalar(conn, stmt)


def translate(
    conn: Runner,
    *,
    code: str,
    selected: str | None,
    to_tree: str,
) -> tuple[str | None, str | None]:
    """The view (place shown, commune selected) on ``to_tree`` that covers the
    same area as (``code``, ``selected``) on the other tree.

    Legacy -> July 2025: a province becomes the new province it is part of, a
    district its former-district group (the new province when no new commune lies
    wholly in it), a selected commune its default successor (and the view that
    successor's group when it lies in another).  July 2025 -> legacy:
    a new province becomes its only predecessor province, or the country when it
    was formed from several; a group its legacy district; a selected commune its
    predecessor with the most children, when that lies in the district shown.
    """
    from_tree = NEW_TREE if to_tree == LEGACY_TREE else LEGACY_TREE
    here = place(conn, tree=from_tree, code=code)
    root = default_root(conn, to_tree)
    if here is None or root is None:
        return root, None
    if to_tree == NEW_TREE:
        target = _to_new(conn, here)
        pick = _successor(conn, selected) if selected else None
    else:
        target = _to_legacy(conn, here, root)
        pick = _main_predecessor(conn, selected) if selected else None
    shown = place(conn, tree=to_tree, code=target) if target else None
    if shown is None:
        return root, None
    chosen = place(conn, tree=to_tree, code=pick) if pick else None
    if chosen is None or not is_under(conn, chosen, shown):
        if chosen is not None and shown["level"] == FORMER_DISTRICT:
            # the successor lies in another group (it spans several districts):
            # show that group, with the successor selected
            own = group_of(conn, chosen["code"])
            if own is not None and own["parent_code"] == shown["parent_code"]:
                return own["code"], chosen["code"]
        return shown["code"], None
    return shown["code"], chosen["code"]


def group_of(conn: Runner, new_commune: str) -> dict[str, Any] | None:
    """The former-district group of a commune of the July-2025 tree."""
    m = former_district_membership()
    u = _unit.alias("gc")
    code = read_scalar(
        conn,
        select(m.c.group_code)
        .join(u, u.c.id == m.c.new_unit_id)
        .where(u.c.code == new_commune, u.c.tree == NEW_TREE),
    )
    return group(conn, code) if code else None


def _to_new(conn: Runner, here: dict[str, Any]) -> str | None:
    level = here["level"]
    if level == "country":
        return default_root(conn, NEW_TREE)
    if level == "province":
        return _heir_province(conn, here["code"])
    if level == "district":
        if group(conn, here["code"]) is not None:
            return str(here["code"])
        return _heir_province(conn, here["parent_code"])
    return None


def _to_legacy(conn: Runner, here: dict[str, Any], root: str) -> str | None:
    level = here["level"]
    if level == "country":
        return root
    if level == FORMER_DISTRICT:
        if place(conn, tree=LEGACY_TREE, code=here["code"]) is not None:
            return str(here["code"])
        parent = place(conn, tree=NEW_TREE, code=here["parent_code"])
        return _to_legacy(conn, parent, root) if parent else root
    if level == "province":
        before = _predecessor_provinces(conn, here["code"])
        return before[0] if len(before) == 1 else root
    return root


def code_of(conn: Runner, unit_id: int) -> str | None:
    """The code of a unit by id."""
    return read_scalar(conn, select(_unit.c.code).where(_unit.c.id == unit_id))


def counterpart(
    conn: Runner,
    *,
    code: str,
    from_tree: str,
    to_tree: str,
    prefer: tuple[str, ...] | list[str] = (),
) -> str | None:
    """The place of ``to_tree`` that stands for the place ``code`` of
    ``from_tree`` on a page that shows one province or district at a time
    (ranking, review): never another unit that merely shares the code (legacy
    Bình Định and the new Gia Lai are both 52).

    Same tree: the place itself.  Otherwise as ``translate``, except that a new
    province formed from several legacy provinces becomes one of them, not the
    country: the first of ``prefer`` among them (say the user's own province),
    else the one whose name it kept, else the first by code; and a group of
    communes spanning several former districts becomes its province's
    counterpart.  None when ``code`` is no place of ``from_tree``."""
    here = place(conn, tree=from_tree, code=code)
    if here is None:
        return None
    if from_tree == to_tree:
        return here["code"]
    if to_tree == LEGACY_TREE and here["level"] == FORMER_DISTRICT:
        if place(conn, tree=LEGACY_TREE, code=here["code"]) is None:
            return counterpart(
                conn,
                code=here["parent_code"],
                from_tree=from_tree,
                to_tree=to_tree,
                prefer=prefer,
            )
    if to_tree == LEGACY_TREE and here["level"] == "province":
        before = _predecessor_provinces(conn, here["code"])
        if before:
            wanted = [c for c in prefer if c in before]
            named = [
                c
                for c in before
                if (place(conn, tree=LEGACY_TREE, code=c) or {}).get("name")
                == here["name"]
            ]
            return (wanted or named or before)[0]
    shown, _sel = translate(conn, code=here["code"], selected=None, to_tree=to_tree)
    return shown


def province_of(conn: Runner, unit_id: int, tree: str) -> str | None:
    """The province of ``tree`` that holds the unit ``unit_id`` (of either tree):
    its own province, or that province's counterpart on the other tree."""
    row = unit_with_id(conn, unit_id)
    if row is None:
        return None
    provinces_above = [
        u["code"]
        for u in ancestors(conn, tree=row["tree"], code=row["code"])
        if u["level"] == "province"
    ]
    if not provinces_above:
        return None
    return counterpart(
        conn, code=provinces_above[0], from_tree=row["tree"], to_tree=tree
    )


def on_tree(conn: Runner, unit_id: int, tree: str) -> str | None:
    """The code of the unit ``unit_id`` on ``tree``: itself when it is of that
    tree, else its counterpart there (a commune its successor or predecessor, a
    district its former-district group, a province its counterpart)."""
    row = unit_with_id(conn, unit_id)
    if row is None:
        return None
    if row["tree"] == tree:
        return row["code"]
    if row["level"] == "commune" and row["parent_code"]:
        _shown, chosen = translate(
            conn, code=row["parent_code"], selected=row["code"], to_tree=tree
        )
        return chosen
    return counterpart(conn, code=row["code"], from_tree=row["tree"], to_tree=tree)


def unit_with_id(conn: Runner, unit_id: int) -> dict[str, Any] | None:
    """(tree, code, level, parent_code) of the unit ``unit_id``."""
    parent = _unit.alias("p")
    row = read_one(
        conn,
        select(
            _unit.c.tree,
            _unit.c.code,
            _unit.c.level,
            parent.c.code.label("parent_code"),
        )
        .select_from(_unit.outerjoin(parent, parent.c.id == _unit.c.parent_id))
        .where(_unit.c.id == unit_id),
    )
    return dict(row._mapping) if row is not None else None
