"""Children under 16 per unit and year (``unit_children``, the denominator of
that year's rates): the row's checker, the check against the cases stored, and
the writer (``data.children``'s).

- a row: a year, a unit (province, district or commune) existing in that year,
  the number of children (whole, not negative); a unit and year given once per
  file;
- a unit cannot have fewer children than the cases recorded there in the year:
  the cases of its communes (its own, for a commune) on its tree, dated in that
  year.  A role that does not see exact case counts (``Scope.exact``) is
  checked against the count its map shows for the unit and year (injuries, and
  the perturbed abuse count, "<5" as none) and told the figure is below them,
  not how many: repeated dry runs can find no more than the map shows;
- written through ``data.children.upsert_children``, its source the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from data.children import YearChildren, upsert_children
from data.db import Runner, read_rows
from data.fact_import.check import Bad, Record, RowCheck, Units
from data.fact_import.read import Layout
from data.models import Incident
from data.problems import Problem
from data.scope import Scope
from data.suppression import shown_count

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


@dataclass(frozen=True)
class _Cases:
    """Cases of a commune (or a sum of communes) in a year: injuries, abuse and
    the abuse records' key sum (``data.suppression``)."""

    injury: int = 0
    abuse: int = 0
    abuse_key: int = 0

    def __add__(self, other: _Cases) -> _Cases:
        return _Cases(
            self.injury + other.injury,
            self.abuse + other.abuse,
            self.abuse_key + other.abuse_key,
        )

    def as_seen(self, scope: Scope) -> int:
        """The cases ``scope`` is shown for the cell: exact, or injuries and
        the perturbed abuse count ("<5" as none), so that a refusal tells a
        restricted role nothing its map does not."""
        if scope.exact:
            return self.injury + self.abuse
        return self.injury + int(shown_count(self.abuse, self.abuse_key) or 0)


def _cases(runner: Runner, commune_ids: Iterable[int], year: int) -> dict[int, _Cases]:
    """Cases per commune dated in ``year``."""
    ids = sorted(set(commune_ids))
    table = Incident.__table__
    abuse = table.c.category == "abuse"
    found: dict[int, _Cases] = {}
    for start in range(0, len(ids), CHUNK):
        stmt = (
            select(
                table.c.unit_id,
                func.sum(case((abuse, 0), else_=1)).label("injury"),
                func.sum(case((abuse, 1), else_=0)).label("abuse"),
                func.sum(case((abuse, table.c.record_key), else_=0)).label("key"),
            )
            .where(
                table.c.unit_id.in_(ids[start : start + CHUNK]),
                table.c.occurred_on >= dt.date(year, 1, 1),
                table.c.occurred_on <= dt.date(year, 12, 31),
            )
            .group_by(table.c.unit_id)
        )
        found.update(
            {
                r.unit_id: _Cases(int(r.injury), int(r.abuse), int(r.key))
                for r in read_rows(runner, stmt)
            }
        )
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
        cells = (cases[year].get(c, _Cases()) for c in under[unit_id])
        recorded = sum(cells, _Cases()).as_seen(scope)
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
