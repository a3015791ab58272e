"""The stored rows of a kind of facts in the import's own form: the template's
data sheet (its name, its headers, the units as its lists spell them, "code –
name", the coded values by their Vietnamese names, dates as dd/mm/yyyy), so
that the file can be edited and imported back; imported unchanged, every row
reads "unchanged".

- who: the roles that import (``check_role``), each for the rows of the units
  it may import for (``Units.allowed``: a district office its communes and, for
  the fund's, children's and plan kinds, its own district); a role that does
  not see exact case counts (``Scope.exact``) gets no kind whose figures are
  protected (``Kind.sensitive``: incident cases, indicator values), since rows
  would give away the counts its map suppresses;
- what: the template's columns only, so no name, birth date or address (the
  tables hold none); rows the import's form cannot hold are left out and
  counted: generated rows without a reference (incidents, bookings), rows of
  a unit or a date the import does not take (the national fund's, before
  2010, after today), and assessments the import does not write as stored
  (older regimes, scores missing, a decision without its number, a stage
  other than "submitted", a threshold other than the commune's tier, a
  decision recorded against the scores: ``record-assessment``'s);
- how many: at most ``MAX_ROWS`` (what one file may hold), one year at a time
  beyond that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, select

from data.db import Runner, read_rows
from data.fact_import.assessments import CRITERIA, tier
from data.fact_import.check import LEVELS, Units, check_role
from data.fact_import.spec import FIRST_DAY, MAX_ROWS, Column, Kind, fold, lookup
from data.fact_import.template import DASH, Choices, Offered, csv_text, offered
from data.fact_import.template import xlsx as template_xlsx
from data.models import ChildFriendlyAssessment, ChildFriendlyScore
from data.periods import today_vn
from data.problems import Problem, ProblemError
from data.recognition import QD06
from data.scope import Scope
from data.vocabulary import CF_DECIDED

CHUNK = 1_000
FORMATS = ("xlsx", "csv")
AUDIT = "facts_export"  # the audit action of a download
SUBMITTED = "SUBMITTED"  # the only stage the import gives (no decision yet)


# The tables page's table whose records a kind holds, in the import's form: the
# table's export is an aggregate; these are its records, to edit and import back.
TABLE_KINDS = {
    "incidents": "incidents",
    "fund": "fund_bookings",
    "child_friendly": "cf_assessments",
    "scorecard": "indicator_values",
}


class ExportRefused(ProblemError):
    """The user may not have the rows of this kind; nothing was read."""


def check_export(scope: Scope, kind: Kind) -> None:
    """ImportRefused unless ``scope`` imports facts; ExportRefused when the
    kind's figures are protected from it (``Kind.sensitive`` without
    ``Scope.exact``)."""
    check_role(scope)
    if kind.sensitive and not scope.exact:
        raise ExportRefused(
            "fact_export_protected",
            role=scope.role,
            what=Problem(f"fact_rows_{kind.name}"),
        )


@dataclass(frozen=True)
class Exported:
    """The rows of a kind as the import reads them."""

    kind: Kind
    columns: tuple[Column, ...]  # the template's
    rows: list[list[Any]]  # each row's cells in the columns' order
    left_out: int  # stored rows the import's form cannot hold
    year: int | None = None


def _date_column(kind: Kind) -> Column | None:
    return next((c for c in kind.columns if c.form == "date"), None)


def _year_filter(kind: Kind, year: int | None) -> list[ColumnElement[bool]]:
    if year is None:
        return []
    table = kind.store.table
    if "year" in table.c:
        return [table.c.year == year]
    column = _date_column(kind)
    assert column is not None  # every kind has a year or a date
    field = table.c[column.stored]
    return [field >= dt.date(year, 1, 1), field <= dt.date(year, 12, 31)]


def _stored(
    runner: Runner, kind: Kind, unit_ids: Sequence[int] | None, year: int | None
) -> list[Any]:
    """The kind's rows of ``unit_ids`` (every unit: None) in ``year``."""
    table = kind.store.table
    where = _year_filter(kind, year)
    if unit_ids is None:
        return read_rows(runner, select(table).where(*where))
    found: list[Any] = []
    for start in range(0, len(unit_ids), CHUNK):
        chunk = unit_ids[start : start + CHUNK]
        found += read_rows(
            runner, select(table).where(table.c.unit_id.in_(chunk), *where)
        )
    return found


def _scores(runner: Runner, ids: Sequence[int]) -> dict[int, dict[str, int]]:
    table = ChildFriendlyScore.__table__
    found: dict[int, dict[str, int]] = {}
    for start in range(0, len(ids), CHUNK):
        stmt = select(table).where(
            table.c.assessment_id.in_(ids[start : start + CHUNK])
        )
        for row in read_rows(runner, stmt):
            found.setdefault(row.assessment_id, {})[row.criterion_code] = row.score
    return found


def _importable_round(row: Any, scores: dict[str, int], units: Units) -> bool:
    """Whether importing the round as the export writes it stores it as it
    is: 06/QĐ-TTg with its 13 scores, the decision's number and date together,
    decided or submitted, the commune's tier, not recorded against the
    scores."""
    return (
        row.regime == QD06.code
        and set(scores) >= set(CRITERIA)
        and (row.decision_ref is None) == (row.decided_on is None)
        and (row.status in CF_DECIDED) == (row.decided_on is not None)
        and row.status in (SUBMITTED, *CF_DECIDED)  # not self-assessed, registered
        and not row.contradicts_scores
        and row.threshold == tier(units, row.unit_id)
    )


def _in_form(kind: Kind, row: Any, units: Units, today: dt.date) -> bool:
    """Whether the import takes the row's unit and date or year as they are:
    a unit of the kind's levels (not the national fund's), a date from
    ``FIRST_DAY`` to today, a year up to the next."""
    if units.by_id[row.unit_id].level not in kind.levels:
        return False
    column = _date_column(kind)
    if column is not None:
        return FIRST_DAY <= getattr(row, column.stored) <= today
    return FIRST_DAY.year <= row.year <= today.year + 1


def _spellings(column: Column) -> dict[str, str]:
    """code -> how the export writes it: its Vietnamese name (the template's
    list), or the code where that name would read back as another code."""
    back = lookup(column.terms)
    return {
        t.code: t.vi if back.get(fold(t.vi)) == t.code else t.code for t in column.terms
    }


def _unit(units: Units, unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    unit = units.by_id[unit_id]
    return f"{unit.code}{DASH}{unit.name}"  # as ``template.unit_choice``


def _cell(
    column: Column, row: Any, units: Units, spell: dict[str, dict[str, str]]
) -> object:
    """A stored row's value of ``column``, as the template spells it."""
    if column.form == "unit":
        field = "unit_id" if column.key == "unit_code" else column.stored
        return _unit(units, getattr(row, field))
    value = getattr(row, column.stored)
    if value is None:
        return None
    if column.terms:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        return spell[column.key].get(value, value)
    return value


def rows(runner: Runner, scope: Scope, kind: Kind, year: int | None = None) -> Exported:
    """The stored rows of ``kind`` in ``scope``'s area (of ``year``: the
    row's date or year) in the import's form, by date or year, unit (legacy
    first, from the province down) and reference.  ImportRefused or
    ExportRefused (``check_export``) when the scope may not have them,
    ExportRefused when there are more than one file takes."""
    check_export(scope, kind)
    units = Units.load(runner, scope, kind.levels)
    unit_ids = None
    if not scope.all_communes:
        unit_ids = sorted(u.id for u in units.allowed())
    stored = _stored(runner, kind, unit_ids, year)
    columns = offered(kind)
    spell = {c.key: _spellings(c) for c in columns if c.terms}
    rounds = kind.store.model is ChildFriendlyAssessment
    points = _scores(runner, sorted(r.id for r in stored)) if rounds else {}
    last = kind.store.key[-1]
    keyed: list[tuple[tuple[Any, ...], list[Any]]] = []
    left_out = 0
    today = today_vn()
    for row in stored:
        if getattr(row, last) is None or not _in_form(kind, row, units, today):
            left_out += 1
            continue
        scores = points.get(row.id, {}) if rounds else {}
        if rounds and not _importable_round(row, scores, units):
            left_out += 1
            continue
        cells = [
            scores.get(c.key) if c.form == "points" else _cell(c, row, units, spell)
            for c in columns
        ]
        refs = [str(getattr(row, k)) for k in kind.store.key[1:]]
        unit = units.by_id[row.unit_id]
        order = (unit.tree != "legacy", LEVELS.index(unit.level), unit.code)
        keyed.append(((_sort_when(kind, row), *order, *refs), cells))
    if len(keyed) > MAX_ROWS:
        raise ExportRefused("fact_export_too_many", rows=len(keyed), limit=MAX_ROWS)
    keyed.sort(key=lambda item: item[0])
    return Exported(kind, columns, [cells for _key, cells in keyed], left_out, year)


def _sort_when(kind: Kind, row: Any) -> dt.date:
    column = _date_column(kind)
    if column is not None:
        return getattr(row, column.stored)
    return dt.date(row.year, 1, 1)


# --- the files ----------------------------------------------------------------------


def xlsx(
    exported: Exported, offered: Sequence[Offered], choices: Choices | None = None
) -> bytes:
    """The kind's template (lists of ``offered`` units and ``choices``,
    instructions) with the rows written into its data sheet."""
    return template_xlsx(exported.kind, offered, exported.rows, choices)


def _text(value: object) -> object:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):  # no exponent, no trailing zeros: 82.5, 14
        return np.format_float_positional(value, trim="-")
    return value


def csv_bytes(exported: Exported) -> bytes:
    """The template's CSV (UTF-8 with a BOM, its header line) with the rows."""
    return csv_text(exported.kind, (map(_text, r) for r in exported.rows))


def detail(exported: Exported, fmt: str) -> dict[str, Any]:
    """What the audit log keeps of a download: the kind, the format, the year
    asked for and how many rows (no value)."""
    return {
        "kind": exported.kind.name,
        "format": fmt,
        "year": exported.year,
        "rows": len(exported.rows),
        "left_out": exported.left_out,
    }


def file(
    exported: Exported,
    fmt: str,
    offered: Sequence[Offered],
    choices: Choices | None = None,
) -> bytes:
    if fmt == "xlsx":
        return xlsx(exported, offered, choices)
    if fmt == "csv":
        return csv_bytes(exported)
    raise ValueError(f"no export format {fmt!r}")
