"""Checking the rows of a file of incident cases against the units, the
vocabulary, the calendar and the importer's area, before anything is written.

A commune code names a unit of either tree: the row's date picks the one valid
that day (legacy communes until 30/06/2025, the new ones from 01/07/2025).  A
row outside the importer's area (``data.scope``: a district office writes its
own communes, and those they went to across the reform) is refused on its own;
the other rows are still checked, so every problem is listed at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from data.db import Runner, read_rows, read_scalars
from data.fact_import.read import Layout, RawRow
from data.fact_import.spec import (
    FIRST_DAY,
    MAX_REF,
    NO_WORDS,
    YES_WORDS,
    Kind,
    fold,
    lookup,
)
from data.models import AdminUnit
from data.problems import Problem, ProblemError
from data.scope import Scope, visible_communes
from data.units import LEGACY_VALID_TO
from data.vocabulary import ABUSE_TYPE_TERMS, INJURY_TYPE_TERMS

IMPORT_ROLES = ("admin", "province", "district")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_CODE_END = re.compile(r"\s+[-\u2010-\u2015]\s+")
TYPES = {"abuse": lookup(ABUSE_TYPE_TERMS), "injury": lookup(INJURY_TYPE_TERMS)}
ONLY = {"environment": "abuse", "intent": "injury", "outcome": "injury"}


class ImportRefused(ProblemError):
    """The user may not import facts at all; nothing was read or written."""


def check_role(scope: Scope) -> None:
    """ImportRefused unless ``scope`` may import facts: admins and the province
    for the whole database, a district office for its own communes."""
    if scope.role not in IMPORT_ROLES or (
        scope.role == "district" and scope.unit_id is None
    ):
        raise ImportRefused("fact_import_role", role=scope.role)


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    tree: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    allowed: bool  # inside the importer's area

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def validity(self) -> str:
        first = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        last = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{first} – {last}"


class Units:
    """Every unit by code (both trees), and which communes the importer may write."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.by_code: dict[str, list[Unit]] = {}
        self.by_id: dict[int, Unit] = {}
        for unit in units:
            self.by_code.setdefault(unit.code, []).append(unit)
            self.by_id[unit.id] = unit

    @classmethod
    def load(cls, conn: Runner, scope: Scope) -> Units:
        u = AdminUnit.__table__
        visible = visible_communes(scope)
        allowed = None if visible is None else set(read_scalars(conn, visible))
        rows = read_rows(
            conn,
            select(
                u.c.id,
                u.c.code,
                u.c.name,
                u.c.tree,
                u.c.level,
                u.c.valid_from,
                u.c.valid_to,
            ),
        )
        return cls(
            Unit(
                r.id,
                r.code,
                r.name,
                r.tree,
                r.level,
                r.valid_from,
                r.valid_to,
                r.level == "commune" and (allowed is None or r.id in allowed),
            )
            for r in rows
        )

    def communes(self) -> list[Unit]:
        """The communes the importer may write, legacy first, by code."""
        found = [u for units in self.by_code.values() for u in units if u.allowed]
        return sorted(found, key=lambda u: (u.tree != "legacy", u.code))


@dataclass(frozen=True)
class Case:
    """A row that passed every check."""

    row: int
    unit_id: int
    case_ref: str
    fields: dict[str, object]


class RowCheck:
    """The checks of one file's rows; remembers the case references seen."""

    def __init__(self, kind: Kind, layout: Layout, units: Units, today: dt.date):
        self.kind, self.layout, self.units, self.today = kind, layout, units, today
        self.refs: dict[str, int] = {}  # case reference (folded) -> first row
        self.lookups = {c.key: lookup(c.terms) for c in kind.columns if c.terms}

    def __call__(self, raw: RawRow) -> tuple[Case | None, list[Problem]]:
        problems = [
            Problem("fact_value_no_header", {"where": self.layout.where(raw.number, c)})
            for c in raw.stray
        ]

        def bad(key: str, code: str, /, **values: object) -> None:
            where = self.layout.where(raw.number, self.layout.col(key))
            problems.append(Problem(code, {"where": where, **values}))

        values = raw.values
        for column in self.kind.columns:
            if column.required and values.get(column.key) is None:
                bad(column.key, "fact_empty")
        ref = self._ref(values.get("case_ref"), raw.number, bad)
        day = self._date(values.get("occurred_on"), bad)
        fields: dict[str, object] = {"occurred_on": day}
        for key in ("category", "sex", "age_band", *ONLY, "supported_in_time"):
            fields[key] = self._coded(key, values.get(key), bad)
        category = fields["category"]
        fields["type_code"] = self._type(values.get("type_code"), category, bad)
        for key, only in ONLY.items():
            if fields[key] is not None and category is not None and category != only:
                bad(key, f"fact_{only}_only")
        if fields["supported_in_time"] is not None:
            fields["supported_in_time"] = fields["supported_in_time"] == "yes"
        unit = self._unit(values.get("unit_code"), day, bad)
        if problems or unit is None or ref is None:
            return None, problems
        return Case(raw.number, unit.id, ref, fields), problems

    def _ref(self, value: object, row: int, bad: Bad) -> str | None:
        if value is None:
            return None
        ref = str(
            int(value) if isinstance(value, float) and value.is_integer() else value
        )
        ref = ref.strip()
        if len(ref) > MAX_REF:
            bad("case_ref", "fact_ref_long", length=len(ref), limit=MAX_REF)
            return None
        first = self.refs.setdefault(fold(ref), row)
        if first != row:
            bad("case_ref", "fact_ref_twice", ref=ref, first=first)
            return None
        return ref

    def _date(self, value: object, bad: Bad) -> dt.date | None:
        if value is None:
            return None
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            for pattern in _DATE_FORMATS:
                try:
                    day = dt.datetime.strptime(value.strip(), pattern).date()
                    break
                except ValueError:
                    continue
        if day is None:
            bad("occurred_on", "fact_date_invalid", value=str(value)[:30])
            return None
        if not FIRST_DAY <= day <= self.today:
            bad(
                "occurred_on",
                "fact_date_range",
                value=f"{day:%d/%m/%Y}",
                first=f"{FIRST_DAY:%d/%m/%Y}",
                last=f"{self.today:%d/%m/%Y}",
            )
            return None
        return day

    def _coded(self, key: str, value: object, bad: Bad) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            value = "yes" if value else "no"
        text = fold(value)
        if key == "supported_in_time":
            text = "yes" if text in YES_WORDS else "no" if text in NO_WORDS else text
        code = self.lookups[key].get(text)
        if code is None:
            column = self.kind.column(key)
            choices = ", ".join(t.vi for t in column.terms)
            bad(key, "fact_code_invalid", value=str(value)[:40], choices=choices)
        return code

    def _type(self, value: object, category: object, bad: Bad) -> str | None:
        if value is None:
            return None
        text = fold(value)
        if category in TYPES:
            code = TYPES[str(category)].get(text)
            if code is not None:
                return code
            other = "injury" if category == "abuse" else "abuse"
            if text in TYPES[other]:
                bad("type_code", "fact_type_category", value=str(value)[:40])
                return None
        elif any(text in found for found in TYPES.values()):
            return None  # the category is wrong or empty: said already
        choices = ", ".join(t.vi for t in self.kind.column("type_code").terms)
        bad("type_code", "fact_code_invalid", value=str(value)[:40], choices=choices)
        return None

    def _unit(self, value: object, day: dt.date | None, bad: Bad) -> Unit | None:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        code = _CODE_END.split(str(value).strip(), maxsplit=1)[0].strip()
        found = self.units.by_code.get(code)
        if found is None and code.isdigit():
            found = self.units.by_code.get(code.zfill(5))
        if not found:
            bad("unit_code", "fact_unit_unknown", code=code[:20])
            return None
        communes = [u for u in found if u.level == "commune"]
        if not communes:
            bad("unit_code", "fact_unit_level", code=code, level=found[0].level)
            return None
        if day is None:
            return None
        valid = [u for u in communes if u.valid_on(day)]
        if not valid:
            spans = "; ".join(u.validity() for u in communes)
            bad(
                "unit_code",
                "fact_unit_not_valid",
                code=code,
                date=f"{day:%d/%m/%Y}",
                valid=spans,
            )
            return None
        # the same code in both trees, both valid (units without dates): the
        # importer's own first, then the tree of the row's date
        tree = "2025" if day > LEGACY_VALID_TO else "legacy"
        valid.sort(key=lambda u: (not u.allowed, u.tree != tree))
        if not valid[0].allowed:
            bad("unit_code", "fact_unit_outside", code=code, name=valid[0].name)
            return None
        return valid[0]


class Bad(Protocol):
    """Says a problem at a column of the row being checked."""

    def __call__(self, key: str, code: str, /, **values: object) -> None: ...
