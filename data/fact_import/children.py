"""Children under 16 per unit and year (``unit_children``, the denominator of
that year's rates): the row's checker, the check against the cases stored, and
the writer (``data.children``'s).

- a row: a year, a unit (province, district or commune) existing in that year,
  the number of children (whole, not negative); a unit and year given once per
  file;
- a unit cannot have fewer children than the cases recorded there in the year:
  the cases of its communes (its own, for a commune) on its tree, dated in that
  year.  A role that does not see exact case counts (``Scope.exact``) is told
  the figure is below them, not how many there are;
- written through ``data.children.upsert_children``, its source the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from data.children import YearChildren, upsert_children
from data.db import Runner, read_rows
from data.fact_import.check import Bad, Record, RowCheck, Units
from data.fact_import.read import Layout
from data.models import Incident
from data.problems import Problem
from data.scope import Scope

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from data.fact_import.apply import Plan

CHUNK = 1_000
SOURCE = "import"  # the source of an imported figure, before the file's name


class ChildrenCheck(RowCheck):
    """A unit's children under 16 in a year; a unit and year once per file."""

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        year = self._year("year", values.get("year"), bad)
        children = self._count("children", values.get("children"), bad)
        span = None if year is None else (dt.date(year, 1, 1), dt.date(year, 12, 31))
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        if unit is None or year is None or children is None:
            return None
        first = self.refs.setdefault(f"{unit.id}/{year}", row)
        if first != row:
            bad("year", "fact_children_twice", code=unit.code, year=year, first=first)
            return None
        return Record(row, {"unit_id": unit.id, "year": year, "children_u16": children})


def communes_under(units: Units, unit_id: int) -> list[int]:
    """The communes of ``unit_id`` on its tree (itself, for a commune)."""
    below: dict[int, list[int]] = {}
    for unit in units.by_id.values():
        if unit.parent_id is not None:
            below.setdefault(unit.parent_id, []).append(unit.id)
    found, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        if units.by_id[current].level == "commune":
            found.append(current)
        todo.extend(below.get(current, ()))
    return found


def _cases(runner: Runner, commune_ids: Iterable[int], year: int) -> dict[int, int]:
    """Cases per commune dated in ``year``."""
    ids = sorted(set(commune_ids))
    table = Incident.__table__
    found: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        stmt = (
            select(table.c.unit_id, func.count().label("cases"))
            .where(
                table.c.unit_id.in_(ids[start : start + CHUNK]),
                table.c.occurred_on >= dt.date(year, 1, 1),
                table.c.occurred_on <= dt.date(year, 12, 31),
            )
            .group_by(table.c.unit_id)
        )
        found.update({r.unit_id: int(r.cases) for r in read_rows(runner, stmt)})
    return found


def vet(
    runner: Runner, scope: Scope, layout: Layout, units: Units, records: list[Record]
) -> dict[int, list[Problem]]:
    """The rows whose children are fewer than the cases recorded there that
    year; the count said only to roles that see exact counts."""
    under = {
        unit_id: communes_under(units, unit_id)
        for unit_id in {r.values["unit_id"] for r in records}
    }
    years = sorted({r.values["year"] for r in records})
    cases = {
        year: _cases(
            runner,
            (
                c
                for r in records
                if r.values["year"] == year
                for c in under[r.values["unit_id"]]
            ),
            year,
        )
        for year in years
    }
    found: dict[int, list[Problem]] = {}
    for record in records:
        unit_id, year = record.values["unit_id"], record.values["year"]
        recorded = sum(cases[year].get(c, 0) for c in under[unit_id])
        children = record.values["children_u16"]
        if children >= recorded:
            continue
        unit = units.by_id[unit_id]
        what = Problem(
            "fact_word_commune" if unit.level == "commune" else "fact_word_unit"
        )
        values: dict[str, object] = {
            "where": layout.where(record.row, layout.col("children")),
            "children": children,
            "code": unit.code,
            "what": what,
            "year": year,
        }
        if scope.exact:
            problem = Problem(
                "fact_children_below_cases", {**values, "cases": recorded}
            )
        else:
            problem = Problem("fact_children_below_some_cases", values)
        found[record.row] = [problem]
    return found


def write(session: Session, plan: Plan) -> None:
    """The new and changed figures, their source the file."""
    source = f"{SOURCE} {plan.summary.file_name}"[:64]
    upsert_children(
        session,
        (
            YearChildren(r["unit_id"], r["year"], r["children_u16"], source)
            for r in (*plan.inserts, *plan.updates)
        ),
    )
