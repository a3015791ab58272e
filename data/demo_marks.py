"""Which provinces still hold the demo's facts (table ``demo_province``).

The demo generator (``data.demo``) marks every province it fills; clearing a
province's demo (``data.demo.clear``) removes its mark.  Demo and real data never
mix silently: a view says "demo data" only when a province it shows holds demo
facts (``in_view``), and an import into a province holding them is refused until
they are cleared (``data.fact_import``).

A province of the July-2025 tree shows its legacy predecessors' facts for the
days before 1 July 2025, so it counts as holding demo facts while one of those
predecessors does (``held``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, union

from data.db import Runner, read_rows, read_scalars, write
from data.models import AdminUnit, DemoProvince, UnitCrosswalk
from data.places import place
from data.units import ancestors

_unit = AdminUnit.__table__
_mark = DemoProvince.__table__
_cw = UnitCrosswalk.__table__
COUNTRY = "VN"


@dataclass(frozen=True)
class MarkedProvince:
    id: int
    tree: str
    code: str
    name: str


def mark(
    runner: Runner,
    province_ids: Iterable[int],
    seed: int | None,
    at: dt.datetime | None = None,
) -> None:
    """Mark the provinces ``province_ids`` as holding the demo's facts, seeded
    ``at`` (default: now)."""
    ids = sorted(set(province_ids))
    write(runner, delete(_mark).where(_mark.c.province_id.in_(ids)))
    if not ids:
        return
    when = at or dt.datetime.now(dt.UTC)
    rows = [{"province_id": i, "seeded_at": when, "seed": seed} for i in ids]
    write(runner, insert(_mark), rows)


def unmark(runner: Runner, province_id: int) -> None:
    write(runner, delete(_mark).where(_mark.c.province_id == province_id))


def unmark_all(runner: Runner) -> None:
    write(runner, delete(_mark))


def marked(runner: Runner) -> list[MarkedProvince]:
    """Every province holding demo facts, by tree and code."""
    stmt = (
        select(_unit.c.id, _unit.c.tree, _unit.c.code, _unit.c.name)
        .select_from(_mark.join(_unit, _unit.c.id == _mark.c.province_id))
        .order_by(_unit.c.tree, _unit.c.code)
    )
    return [
        MarkedProvince(r.id, r.tree, r.code, r.name) for r in read_rows(runner, stmt)
    ]


def held(runner: Runner, tree: str) -> frozenset[str]:
    """Codes of the provinces of ``tree`` that show demo facts: marked
    themselves, or (a later tree) one of their legacy predecessors is."""
    own = (
        select(_unit.c.code)
        .select_from(_mark.join(_unit, _unit.c.id == _mark.c.province_id))
        .where(_unit.c.tree == tree)
    )
    old, district, new = _unit.alias("old"), _unit.alias("district"), _unit.alias("new")
    heirs = (
        select(_unit.c.code)
        .select_from(
            _cw.join(old, old.c.id == _cw.c.legacy_unit_id)
            .join(district, district.c.id == old.c.parent_id)
            .join(_mark, _mark.c.province_id == district.c.parent_id)
            .join(new, new.c.id == _cw.c.new_unit_id)
            .join(_unit, _unit.c.id == new.c.parent_id)
        )
        .where(_unit.c.tree == tree, _unit.c.level == "province")
    )
    return frozenset(read_scalars(runner, union(own, heirs)))


def province_code(runner: Runner, tree: str, code: str) -> str | None:
    """The province of ``tree`` that the place ``code`` lies in (itself when it
    is one); None for the country or an unknown place."""
    found = ancestors(runner, tree=tree, code=code)
    provinces = [u["code"] for u in found if u["level"] == "province"]
    if provinces:
        return str(provinces[0])
    if code.startswith("MIXED-"):  # a former-district group: MIXED-<province>
        return code.removeprefix("MIXED-")
    return None


def in_view(runner: Runner, tree: str, code: str | None) -> bool:
    """Whether a view of the place ``code`` on ``tree`` shows demo facts: the
    country (or no place) when any province of the tree holds them, a province
    or a unit under it when that province does."""
    codes = held(runner, tree)
    if not codes:
        return False
    if not code or code == COUNTRY:
        return True
    province = province_code(runner, tree, code)
    if province is None:  # a former-district group by its legacy district code
        found = place(runner, tree=tree, code=code)
        province = (found or {}).get("parent_code")
    return province is None or province in codes


def provinces_of(runner: Runner, unit_ids: Iterable[int]) -> dict[int, int]:
    """The province id of each unit id (a commune's, a district's, itself)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    up1, up2 = _unit.alias("up1"), _unit.alias("up2")
    stmt = select(
        _unit.c.id,
        _unit.c.level,
        up1.c.id.label("p1"),
        up1.c.level.label("l1"),
        up2.c.id.label("p2"),
        up2.c.level.label("l2"),
    ).select_from(
        _unit.outerjoin(up1, up1.c.id == _unit.c.parent_id).outerjoin(
            up2, up2.c.id == up1.c.parent_id
        )
    )
    found: dict[int, int] = {}
    for start in range(0, len(ids), 1_000):
        chunk = ids[start : start + 1_000]
        for r in read_rows(runner, stmt.where(_unit.c.id.in_(chunk))):
            for unit, level in ((r.id, r.level), (r.p1, r.l1), (r.p2, r.l2)):
                if level == "province":
                    found[r.id] = unit
                    break
    return found


def holding(runner: Runner, unit_ids: Iterable[int]) -> list[MarkedProvince]:
    """The provinces holding demo facts among those of ``unit_ids``."""
    provinces = set(provinces_of(runner, unit_ids).values())
    return [p for p in marked(runner) if p.id in provinces]
