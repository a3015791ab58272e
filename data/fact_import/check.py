"""Checking the rows of a file of facts against the units, the vocabulary, the
calendar and the importer's area, before anything is written.

``RowCheck`` holds what every kind checks (empty required cells, values under no
header, references, dates, years, amounts, codes, unit codes); each kind's checker
(``IncidentCheck`` here, the fund's in ``data.fact_import.fund``) turns a row into
a ``Record``: the values to store, its unit first.

A unit code names a unit of either tree: the row's date (or year) picks the one
valid then (legacy units until 30/06/2025, the new ones from 01/07/2025).  A row
outside the importer's area (``data.scope``: a district office writes its own
communes, and those they went to across the reform, and for the fund its own
district) is refused on its own; the other rows are still checked, so every
problem is listed at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from data.db import Runner, read_rows, read_scalars
from data.fact_import.read import Layout, RawRow
from data.fact_import.spec import (
    CURRENCY,
    FIRST_DAY,
    MAX_DONG,
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
LEVELS = ("country", "province", "district", "commune")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_CODE_END = re.compile(r"\s+[-\u2010-\u2015]\s+")
_GROUPED = re.compile(r"\d{1,3}([.,\s])\d{3}(\1\d{3})*")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
MAX_COUNT = 100_000_000  # the largest count of one row (children of a unit)
TYPES = {"abuse": lookup(ABUSE_TYPE_TERMS), "injury": lookup(INJURY_TYPE_TERMS)}
ONLY = {"environment": "abuse", "intent": "injury", "outcome": "injury"}


def _decimal(text: str) -> str:
    """``text`` with a decimal point and no grouping: of "." and ",", the last
    one written is the decimal mark unless it comes more than once."""
    text = text.replace(" ", "")
    marks = [c for c in text if c in ".,"]
    if not marks:
        return text
    last = marks[-1]
    if marks.count(last) > 1:  # "1.234.567": grouping only
        return text.replace(last, "")
    group = "," if last == "." else "."
    return text.replace(group, "").replace(last, ".")


class ImportRefused(ProblemError):
    """The user may not import facts at all; nothing was read or written."""


def check_role(scope: Scope) -> None:
    """ImportRefused unless ``scope`` may import facts: admins and the province
    for the whole database, a district office for its own area."""
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
    allowed: bool  # a row of the kind may name it: inside the importer's area
    parent_id: int | None = None
    kind: str = ""  # "xã", "phường", ... (``data.units``)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_between(day, day)

    def valid_between(self, first: dt.date, last: dt.date) -> bool:
        """Valid on some day from ``first`` to ``last``."""
        return (self.valid_from is None or self.valid_from <= last) and (
            self.valid_to is None or first <= self.valid_to
        )

    def validity(self) -> str:
        first = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        last = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{first} – {last}"


class Units:
    """Every unit by code (both trees), and which the importer may write rows of
    a kind for."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.by_code: dict[str, list[Unit]] = {}
        self.by_id: dict[int, Unit] = {}
        for unit in units:
            self.by_code.setdefault(unit.code, []).append(unit)
            self.by_id[unit.id] = unit

    @classmethod
    def load(
        cls, conn: Runner, scope: Scope, levels: tuple[str, ...] = ("commune",)
    ) -> Units:
        """The units; rows may name those of ``levels`` in ``scope``'s area:
        any for admins and the province, a district office's communes and (when
        ``levels`` has districts) its own district."""
        u = AdminUnit.__table__
        visible = visible_communes(scope)
        communes = None if visible is None else set(read_scalars(conn, visible))

        def allowed(unit_id: int, level: str) -> bool:
            if level not in levels:
                return False
            if communes is None:
                return True
            if level == "commune":
                return unit_id in communes
            return level == "district" and unit_id == scope.unit_id

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
                u.c.parent_id,
                u.c.kind,
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
                allowed(r.id, r.level),
                r.parent_id,
                r.kind,
            )
            for r in rows
        )

    def allowed(self) -> list[Unit]:
        """The units the importer may write, legacy first, from the province
        down, by code."""
        found = [u for units in self.by_code.values() for u in units if u.allowed]
        order = {level: n for n, level in enumerate(LEVELS)}
        return sorted(
            found, key=lambda u: (u.tree != "legacy", order.get(u.level, 9), u.code)
        )


@dataclass(frozen=True)
class Record:
    """A row that passed every check: its number and the values to store (the
    unit's id under ``unit_id``, the natural key, the fields)."""

    row: int
    values: dict[str, Any]


class Checker(Protocol):
    """Checks one row: the record, or None and the problems."""

    def __call__(self, raw: RawRow) -> tuple[Record | None, list[Problem]]: ...


class Bad(Protocol):
    """Says a problem at a column of the row being checked."""

    def __call__(self, key: str, code: str, /, **values: object) -> None: ...


class RowCheck:
    """The checks of one file's rows; remembers the references seen.
    ``record`` is the kind's own: the row's values checked, the record when
    it may be written."""

    def __init__(self, kind: Kind, layout: Layout, units: Units, today: dt.date):
        self.kind, self.layout, self.units, self.today = kind, layout, units, today
        self.refs: dict[str, int] = {}  # reference (folded) -> first row
        self.lookups = {c.key: lookup(c.terms) for c in kind.columns if c.terms}

    def __call__(self, raw: RawRow) -> tuple[Record | None, list[Problem]]:
        problems = [
            Problem("fact_value_no_header", {"where": self.layout.where(raw.number, c)})
            for c in raw.stray
        ]

        def bad(key: str, code: str, /, **values: object) -> None:
            where = self.layout.where(raw.number, self.layout.col(key))
            problems.append(Problem(code, {"where": where, **values}))

        for column in self.kind.columns:
            if column.required and raw.values.get(column.key) is None:
                bad(column.key, "fact_empty")
        record = self.record(raw.number, raw.values, bad)
        if problems or record is None:
            return None, problems
        return record, problems

    def record(
        self, row: int, values: dict[str, object], bad: Bad
    ) -> Record | None:  # pragma: no cover - every kind has its own
        raise NotImplementedError

    # --- the values every kind may have ---------------------------------------------

    def _ref(self, key: str, value: object, row: int, bad: Bad) -> str | None:
        if value is None:
            return None
        ref = str(
            int(value) if isinstance(value, float) and value.is_integer() else value
        )
        ref = ref.strip()
        if len(ref) > MAX_REF:
            bad(key, "fact_ref_long", length=len(ref), limit=MAX_REF)
            return None
        first = self.refs.setdefault(fold(ref), row)
        if first != row:
            bad(key, "fact_ref_twice", ref=ref, first=first)
            return None
        return ref

    def _date(self, key: str, value: object, bad: Bad) -> dt.date | None:
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
            bad(key, "fact_date_invalid", value=str(value)[:30])
            return None
        if not FIRST_DAY <= day <= self.today:
            bad(
                key,
                "fact_date_range",
                value=f"{day:%d/%m/%Y}",
                first=f"{FIRST_DAY:%d/%m/%Y}",
                last=f"{self.today:%d/%m/%Y}",
            )
            return None
        return day

    def _whole(self, value: object) -> int | None:
        """``value`` as a whole number (1500000, 1.500.000, 1,500,000, "1 500
        000 đ"), None when it is none."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value) if value.is_integer() else None
        text = CURRENCY.sub("", fold(value))
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("-+").strip()
        if _GROUPED.fullmatch(text):
            text = re.sub(r"[.,\s]", "", text)
        return sign * int(text) if text.isdigit() else None

    def _year(self, key: str, value: object, bad: Bad) -> int | None:
        if value is None:
            return None
        year = self._whole(value)
        if year is None:
            bad(key, "fact_year_invalid", value=str(value)[:30])
            return None
        first, last = FIRST_DAY.year, self.today.year + 1
        if not first <= year <= last:
            bad(key, "fact_year_range", value=year, first=first, last=last)
            return None
        return year

    def _amount(self, key: str, value: object, bad: Bad, *, zero: bool) -> int | None:
        """A whole number of đồng, up to ``MAX_DONG``; 0 allowed when ``zero``."""
        if value is None:
            return None
        amount = self._whole(value)
        if amount is None:
            bad(key, "fact_amount_invalid", value=str(value)[:30])
            return None
        if amount < 0 or (amount == 0 and not zero):
            code = "fact_amount_negative" if zero else "fact_amount_positive"
            bad(key, code, value=amount)
            return None
        if amount > MAX_DONG:
            bad(key, "fact_amount_large", value=amount, limit=MAX_DONG)
            return None
        return amount

    def _count(
        self, key: str, value: object, bad: Bad, *, top: int | None = None
    ) -> int | None:
        """A whole number, not negative (up to ``top``): children, points."""
        if value is None:
            return None
        count = self._whole(value)
        if count is None:
            bad(key, "fact_count_invalid", value=str(value)[:30])
            return None
        if count < 0:
            bad(key, "fact_count_negative", value=count)
            return None
        limit = MAX_COUNT if top is None else top
        if count > limit:
            bad(key, "fact_count_large", value=count, limit=limit)
            return None
        return count

    def _number(self, key: str, value: object, bad: Bad) -> float | None:
        """A number, not negative, its decimals after a point or a comma
        ("82.5", "82,5", "1.234,5"; "1.234.567" grouped)."""
        if value is None:
            return None
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            text = _decimal(fold(value).rstrip("%").strip())
            if _DECIMAL.fullmatch(text):
                number = float(text)
        if number is None or not math.isfinite(number):
            bad(key, "fact_number_invalid", value=str(value)[:30])
            return None
        if number < 0:
            bad(key, "fact_number_negative", value=str(value)[:30])
            return None
        if number > MAX_DONG:
            bad(key, "fact_number_large", value=str(value)[:30], limit=MAX_DONG)
            return None
        return number

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

    def _unit(
        self,
        key: str,
        value: object,
        span: tuple[dt.date, dt.date] | None,
        bad: Bad,
        *,
        levels: tuple[str, ...] | None = None,
        own: bool = True,
    ) -> Unit | None:
        """The unit ``value`` names, of ``levels`` (the kind's), valid in
        ``span`` (one day, or a year); when ``own``, inside the importer's
        area.  None (and a problem) when there is none, or no span to check."""
        if value is None:
            return None
        levels = levels or self.kind.levels
        what = Problem(
            "fact_word_commune" if levels == ("commune",) else "fact_word_unit"
        )
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        code = _CODE_END.split(str(value).strip(), maxsplit=1)[0].strip()
        found = self.units.by_code.get(code)
        if found is None and code.isdigit():
            found = self.units.by_code.get(code.zfill(5))
        if not found:
            bad(key, "fact_unit_unknown", code=code[:20])
            return None
        fitting = [u for u in found if u.level in levels]
        if not fitting:
            need = Problem(
                "fact_need_commune" if levels == ("commune",) else "fact_need_unit"
            )
            bad(key, "fact_unit_level", code=code, level=found[0].level, need=need)
            return None
        if span is None:
            return None
        first, last = span
        valid = [u for u in fitting if u.valid_between(first, last)]
        if not valid:
            spans = "; ".join(u.validity() for u in fitting)
            if first == last:
                when = {"date": f"{first:%d/%m/%Y}"}
                bad(
                    key,
                    "fact_unit_not_valid",
                    code=code,
                    valid=spans,
                    what=what,
                    **when,
                )
            else:
                bad(key, "fact_unit_not_valid_year", code=code, valid=spans,
                    what=what, year=first.year)  # fmt: skip
            return None
        # the same code in both trees, both valid (units without dates, or a
        # year across the reform): the importer's own first, then the tree of
        # the row's date (of the year's first day)
        tree = "2025" if first > LEGACY_VALID_TO else "legacy"
        valid.sort(key=lambda u: (own and not u.allowed, u.tree != tree))
        if own and not valid[0].allowed:
            bad(key, "fact_unit_outside", code=code, name=valid[0].name, what=what)
            return None
        return valid[0]


class IncidentCheck(RowCheck):
    """An incident case: reference, date, commune, category and type, the
    child's sex and age band, the abuse setting or the injury's intent and
    outcome, support in time."""

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        ref = self._ref("case_ref", values.get("case_ref"), row, bad)
        day = self._date("occurred_on", values.get("occurred_on"), bad)
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
        span = None if day is None else (day, day)
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        if unit is None or ref is None:
            return None
        return Record(row, {"unit_id": unit.id, "case_ref": ref, **fields})

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
