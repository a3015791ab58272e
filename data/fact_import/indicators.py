"""Plan targets and indicator values (``indicator_target``, ``indicator_value``):
the rows' checkers and their check against the indicators defined (table
``indicator``).

- a row: a year, a unit (province, district or commune) existing in that year
  inside the importer's area, an indicator's code, a number (not negative; a
  percentage up to 100); a unit, indicator and year once per file;
- the indicator must be defined; a target without a comparison takes the
  indicator's direction (higher is better: ">=", lower: "<=", else "=").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from data.db import Runner, read_rows
from data.fact_import.check import Bad, Record, RowCheck, Units
from data.fact_import.read import Layout
from data.fact_import.spec import Kind
from data.models import Indicator
from data.problems import Problem
from data.scope import Scope

BY_DIRECTION = {"higher": ">=", "lower": "<="}
PERCENT_TOP = 100.0


class _PlanCheck(RowCheck):
    """What targets and values share: year, unit, indicator, the number."""

    number = ""  # the field of the number

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        year = self._year("year", values.get("year"), bad)
        figure = self._number(self.number, values.get(self.number), bad)
        code = values.get("indicator_code")
        indicator = None if code is None else str(code).strip().upper()
        more = self._more(values, bad)
        span = None if year is None else (dt.date(year, 1, 1), dt.date(year, 12, 31))
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        if None in (unit, year, figure, indicator) or more is None:
            return None
        assert unit is not None
        first = self.refs.setdefault(f"{unit.id}/{indicator}/{year}", row)
        if first != row:
            bad(
                "year",
                "fact_indicator_twice",
                code=unit.code,
                indicator=indicator,
                year=year,
                first=first,
            )
            return None
        return Record(
            row,
            {
                "unit_id": unit.id,
                "indicator_code": indicator,
                "year": year,
                self.number: figure,
                **more,
            },
        )

    def _more(self, values: dict[str, object], bad: Bad) -> dict[str, object] | None:
        return {}


class TargetCheck(_PlanCheck):
    """A unit's target of an indicator in a year (and how it is met)."""

    number = "target_value"

    def _more(self, values: dict[str, object], bad: Bad) -> dict[str, object] | None:
        raw = values.get("comparator")
        if raw is None:
            return {"comparator": None}  # the indicator's direction: ``vet``
        found = self._coded("comparator", raw, bad)
        return None if found is None else {"comparator": found}


class ValueCheck(_PlanCheck):
    """A unit's value of an indicator in a year."""

    number = "value"


def vet(
    runner: Runner, scope: Scope, layout: Layout, units: Units, records: list[Record]
) -> dict[int, list[Problem]]:
    """Rows naming an indicator not defined, or a percentage above 100; a
    target's comparison from the indicator's direction when not given."""
    table = Indicator.__table__
    defined = {
        r.code: r
        for r in read_rows(
            runner, select(table.c.code, table.c.measure, table.c.direction)
        )
    }
    number = "target_value" if "target_value" in records[0].values else "value"
    found: dict[int, list[Problem]] = {}
    for record in records:
        values = record.values
        indicator = defined.get(values["indicator_code"])
        if indicator is None:
            where = layout.where(record.row, layout.col("indicator_code"))
            known = ", ".join(sorted(defined)[:12]) + (
                ", …" if len(defined) > 12 else ""
            )
            found[record.row] = [
                Problem(
                    "fact_indicator_unknown",
                    {"where": where, "code": values["indicator_code"], "known": known},
                )
            ]
            continue
        if indicator.measure == "percent" and values[number] > PERCENT_TOP:
            where = layout.where(record.row, layout.col(number))
            found[record.row] = [
                Problem(
                    "fact_percent_large",
                    {"where": where, "value": values[number], "code": indicator.code},
                )
            ]
            continue
        if "comparator" in values and values["comparator"] is None:
            values["comparator"] = BY_DIRECTION.get(indicator.direction, "=")
    return found


def choices(runner: Runner, kind: Kind) -> dict[str, list[tuple[str, str]]]:
    """The defined indicators (code, Vietnamese name) for each column of
    ``kind`` naming one: the template's drop-down list."""
    keys = [c.key for c in kind.columns if c.form == "indicator"]
    if not keys:
        return {}
    table = Indicator.__table__
    found = [
        (r.code, r.name_vi)
        for r in read_rows(
            runner, select(table.c.code, table.c.name_vi).order_by(table.c.code)
        )
    ]
    return dict.fromkeys(keys, found)
