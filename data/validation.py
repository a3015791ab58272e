"""Validation rules of submitted reports, kept as configuration beside the
reporting calendar (``data/calendars/rules.toml``, loaded with ``python -m
dashboard load-rules``; docs/calendar.md describes the format).

A rule compares two sides over the cells of the report form (``data.
report_forms``) with an operator, and has an importance: an ``error`` blocks the
submission, a ``warning`` needs the submitter's explanation, stored with the
version (``data.submissions``).  Each rule has an id and a name in Vietnamese and
English::

    [[rule]]
    id = "abuse_within_children"
    name_vi = "..."
    name_en = "..."
    left = "cases.abuse.*.*.*"
    op = "<="
    right = "children_u16"
    importance = "warning"

Cells are named after the template's sheets and row codes (``cell_names``):

- ``groups.<GROUP>``: children in special circumstances by group (ORPHAN, ...);
- ``cases.<abuse|injury>.<TYPE>.<F|M>.<0_5|6_10|11_15>``: cases by type, sex and
  age band;
- ``fund.<cash|in_kind|programme>``: the fund mobilised by kind, in đồng;
- ``activities.<ACTIVITY>.events`` and ``.children``: activities held and the
  children taking part; ``staff_trained``;
- ``children_u16``: not a cell of the form but the unit's children under 16 in
  the report's year (``unit_children``, else the unit's own figure); a rule
  naming it is not checked when the unit has no such figure.

Totals are not cells: the form's reader already requires a typed total to equal
its parts.  A side is a sum of terms joined by ``+`` and ``-``: a whole number, a
cell, a pattern whose segments may hold ``*`` (``cases.abuse.*.F.*``: the sum of
every cell it matches), ``max(pattern)`` or ``min(pattern)`` (the largest or
smallest of the cells), each optionally multiplied by a whole number (``2 *
fund.cash``).  Operators: ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (also
``==``, ``≠``, ``≤``, ``≥``).

``parse`` checks every rule and lists every problem with the rule's number and
id: an unknown field, operator or importance, a duplicate id, a side that does
not parse, a cell or pattern the template does not have.  ``install`` stores a
checked set (its text and digest) as the active one, audited; ``active`` reads
it back (the built-in file when none was loaded).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from data import audit
from data.db import lock, read_one, read_scalar, write
from data.metrics.rollup import units_as_targets, year_children
from data.models import AdminUnit, ValidationRuleSet
from data.problems import Problem
from data.report_forms import (
    ACTIVITIES,
    CASE_PARTS,
    CASES,
    FUND,
    GROUPS,
    HEADER_ROW,
    LAYOUT,
    Figures,
)
from data.vocabulary import ABUSE_TYPES

log = logging.getLogger(__name__)
DEFAULT = Path(__file__).resolve().parent / "calendars" / "rules.toml"
FIELDS = ("id", "name_vi", "name_en", "left", "op", "right", "importance")
ERROR, WARNING = "error", "warning"
IMPORTANCES = (ERROR, WARNING)
# how a file may write an operator -> the operator
OPERATORS = {
    "=": "=",
    "==": "=",
    "!=": "!=",
    "≠": "!=",
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
}
SYMBOLS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
CHILDREN = "children_u16"
STAFF = "staff_trained"
NAME_LENGTH = 255
_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_*]+)*)|(.))")
FUNCTIONS = ("sum", "max", "min")
# children in special circumstances whose count is a count of abused children:
# shown, like cases of abuse, only to the roles that see exact abuse counts
ABUSE_GROUPS = ("VIOLENCE_HARM", "EXPLOITED", "SEX_ABUSE", "TRAFFICKED", "ABANDONED")
_SETS = ValidationRuleSet.__table__
_unit = AdminUnit.__table__


class RulesError(ValueError):
    """Every problem of a rule file, each naming its rule (number and id)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- the cells of the form ---------------------------------------------------------


@cache
def cell_names() -> dict[str, tuple[str, int, int]]:
    """Every cell a rule may name, with its place in the template (sheet, row,
    column); ``children_u16`` is not in the template."""
    cells: dict[str, tuple[str, int, int]] = {}
    first = HEADER_ROW + 1
    for row, (code, _label) in enumerate(LAYOUT[GROUPS][1], start=first):
        if code != "TOTAL":
            cells[f"groups.{code}"] = (GROUPS, row, 3)
    for row, (code, _label) in enumerate(LAYOUT[CASES][1], start=first):
        category = "abuse" if code in ABUSE_TYPES else "injury"
        for col, (sex, age, _part) in enumerate(CASE_PARTS, start=3):
            cells[f"cases.{category}.{code}.{sex}.{age}"] = (CASES, row, col)
    for row, (code, _label) in enumerate(LAYOUT[FUND][1], start=first):
        if code != "TOTAL":
            cells[f"fund.{code}"] = (FUND, row, 3)
    for row, (code, _label) in enumerate(LAYOUT[ACTIVITIES][1], start=first):
        if code == "STAFF_TRAINED":
            cells[STAFF] = (ACTIVITIES, row, 3)
        else:
            cells[f"activities.{code}.events"] = (ACTIVITIES, row, 3)
            cells[f"activities.{code}.children"] = (ACTIVITIES, row, 4)
    return cells


def matching(pattern: str) -> tuple[str, ...]:
    """The cells ``pattern`` names: itself, or every cell its ``*`` segments
    match (the same number of segments; ``children_u16`` only by name)."""
    if pattern == CHILDREN:
        return (CHILDREN,)
    if "*" not in pattern:
        return (pattern,) if pattern in cell_names() else ()
    parts = pattern.split(".")
    return tuple(
        name
        for name in cell_names()
        if len(name.split(".")) == len(parts)
        and all(
            fnmatch.fnmatchcase(segment, part)
            for segment, part in zip(name.split("."), parts, strict=True)
        )
    )


def where(cell: str) -> Problem | None:
    """Where ``cell`` is in the workbook (sheet, row, column), as the form's
    problems say it; None for ``children_u16``."""
    found = cell_names().get(cell)
    if found is None:
        return None
    sheet, row, col = found
    column = get_column_letter(col)
    return Problem("form_where", {"sheet": sheet, "row": row, "column": column})


def values_of(figures: Figures, children: int | None) -> dict[str, int]:
    """Every cell's value in ``figures`` (a figure not given is 0), and the
    unit's children under 16 when known."""
    values = dict.fromkeys(cell_names(), 0)
    for code, n in figures.groups.items():
        values[f"groups.{code}"] = n
    for (category, code, sex, age), n in figures.cases.items():
        values[f"cases.{category}.{code}.{sex}.{age}"] = n
    for kind, amount in figures.fund.items():
        values[f"fund.{kind}"] = amount
    for code, (events, taking_part) in figures.activities.items():
        values[f"activities.{code}.events"] = events
        values[f"activities.{code}.children"] = taking_part
    values[STAFF] = figures.staff_trained
    if children is not None:
        values[CHILDREN] = children
    return values


# --- sides and rules ---------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """``factor`` times a number (no cells), or the sum, max or min of cells."""

    factor: int
    kind: str  # "number" | "sum" | "max" | "min"
    cells: tuple[str, ...] = ()
    number: int = 0


@dataclass(frozen=True)
class Side:
    """One side of a rule: its text and its terms."""

    text: str
    terms: tuple[Term, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(cell for term in self.terms for cell in term.cells)

    def value(self, values: Mapping[str, int]) -> tuple[int, str | None]:
        """The side's value, and the cell a ``max`` or ``min`` found (None when
        there is none)."""
        total, found = 0, None
        for term in self.terms:
            if term.kind == "number":
                total += term.factor * term.number
                continue
            figures = [(values[cell], cell) for cell in term.cells]
            if term.kind == "sum":
                total += term.factor * sum(v for v, _cell in figures)
                continue
            pick = max if term.kind == "max" else min
            value, cell = pick(figures, key=lambda item: item[0])
            total += term.factor * value
            found = found or cell
        return total, found


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token: "number", "name" or "mark" (one character)."""
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(text.rstrip()):
        found = _TOKEN.match(text, position)
        if found is None:  # only trailing blanks are left
            break
        number, name, mark = found.groups()
        if number is not None:
            out.append(("number", number))
        elif name is not None:
            out.append(("name", name))
        else:
            out.append(("mark", mark))
        position = found.end()
    return out


def side(text: str) -> Side:
    """A side parsed: ValueError naming what is wrong (an unknown cell, a
    pattern that matches none, a misplaced mark)."""
    tokens = _tokens(text)
    terms: list[Term] = []
    at = 0

    def peek() -> tuple[str, str]:
        return tokens[at] if at < len(tokens) else ("end", "")

    def take(kind: str, value: str | None = None) -> str:
        nonlocal at
        got = peek()
        if got[0] != kind or (value is not None and got[1] != value):
            wanted = repr(value) if value is not None else f"a {kind}"
            seen = repr(got[1]) if got[0] != "end" else "the end"
            raise ValueError(f"{wanted} expected, found {seen}")
        at += 1
        return got[1]

    def cells(pattern: str) -> tuple[str, ...]:
        found = matching(pattern)
        if not found:
            what = "pattern" if "*" in pattern else "cell"
            raise ValueError(f"the template has no {what} {pattern!r}")
        return found

    def term(sign: int) -> Term:
        factor = sign
        if peek()[0] == "number":
            number = int(take("number"))
            if peek() != ("mark", "*"):
                return Term(sign, "number", number=number)
            take("mark", "*")
            factor = sign * number
        name = take("name")
        if name in FUNCTIONS and peek() == ("mark", "("):
            take("mark", "(")
            found = Term(factor, name, cells(take("name")))
            take("mark", ")")
            return found
        return Term(factor, "sum", cells(name))

    sign = 1
    if peek() in (("mark", "-"), ("mark", "+")):
        sign = -1 if take("mark") == "-" else 1
    while True:
        terms.append(term(sign))
        kind, mark = peek()
        if kind == "end":
            break
        if (kind, mark) not in (("mark", "+"), ("mark", "-")):
            raise ValueError(f"'+' or '-' expected, found {mark!r}")
        at += 1
        sign = -1 if mark == "-" else 1
    return Side(text.strip(), tuple(terms))


@dataclass(frozen=True)
class Rule:
    id: str
    name_vi: str
    name_en: str
    left: Side
    op: str  # one of SYMBOLS
    right: Side
    importance: str  # "error" | "warning"

    @property
    def name(self) -> dict[str, str]:
        """The name in each language (the message table renders it)."""
        return {"vi": self.name_vi, "en": self.name_en}

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left.cells + self.right.cells

    @property
    def abuse(self) -> bool:
        """Whether the rule reads a count of abused children (its values are
        then shown only to the roles that see exact abuse counts)."""
        groups = {f"groups.{code}" for code in ABUSE_GROUPS}
        return any(c.startswith("cases.abuse.") or c in groups for c in self.cells)

    def holds(self, left: int, right: int) -> bool:
        return {
            "=": left == right,
            "!=": left != right,
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[self.op]


def _rule(number: int, raw: object, problems: list[str]) -> Rule | None:
    given = raw.get("id") if isinstance(raw, dict) else None
    where = f"rule {number}" + (f" ({given})" if isinstance(given, str) else "")
    if not isinstance(raw, dict):
        problems.append(f"{where}: not a table of fields")
        return None
    before = len(problems)
    for key in sorted(set(raw) - set(FIELDS)):
        problems.append(f"{where}: unknown field {key!r}")
    for key in FIELDS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {key} is missing (text)")
    if len(problems) > before:
        return None
    if not _ID.fullmatch(raw["id"]):
        problems.append(
            f"{where}: id {raw['id']!r} is not lower-case letters, digits and _ "
            "(at most 64, a letter first)"
        )
    for key in ("name_vi", "name_en"):
        if len(raw[key]) > NAME_LENGTH:
            problems.append(f"{where}: {key} is longer than {NAME_LENGTH} characters")
    op = OPERATORS.get(raw["op"].strip())
    if op is None:
        known = ", ".join(OPERATORS)
        problems.append(f"{where}: op {raw['op']!r} is not an operator ({known})")
    importance = raw["importance"].strip()
    if importance not in IMPORTANCES:
        problems.append(
            f"{where}: importance {importance!r} is not 'error' or 'warning'"
        )
    sides = []
    for key in ("left", "right"):
        try:
            sides.append(side(raw[key]))
        except ValueError as exc:
            problems.append(f"{where}: {key} {raw[key]!r}: {exc}")
    if len(sides) == 2 and not sides[0].cells + sides[1].cells:
        problems.append(f"{where}: it names no cell (both sides are numbers)")
    if len(problems) > before or op is None:
        return None
    return Rule(
        raw["id"],
        raw["name_vi"].strip(),
        raw["name_en"].strip(),
        sides[0],
        op,
        sides[1],
        importance,
    )


def parse(text: str) -> tuple[Rule, ...]:
    """The rules of a rule file's text; RulesError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError([f"not a TOML file: {exc}"]) from exc
    problems = [f"unknown section {key!r} (only [[rule]])" for key in data]
    problems = [p for p in problems if "'rule'" not in p]
    raw = data.get("rule", [])
    if not isinstance(raw, list):
        raise RulesError([*problems, "'rule' must be a list of [[rule]] tables"])
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(raw, start=1):
        rule = _rule(number, item, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(
                f"rule {number} ({rule.id}): the id is taken by rule {seen[rule.id]}"
            )
            continue
        seen[rule.id] = number
        rules.append(rule)
    if problems:
        raise RulesError(problems)
    return tuple(rules)


def read(path: Path | None = None) -> tuple[Rule, ...]:
    """The rules of a file (default: the built-in one)."""
    return parse((path or DEFAULT).read_text(encoding="utf-8"))


# --- checking a report -------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """A rule a report breaks: the values of its sides, and the cell a ``max``
    or ``min`` side found."""

    rule: Rule
    left: int
    right: int
    cell: str | None = None

    @property
    def importance(self) -> str:
        return self.rule.importance

    def problem(self) -> Problem:
        """The violation in words (message ``rules_error`` or ``rules_warning``,
        ``..._at`` with the cell's place)."""
        values: dict[str, Any] = {
            "name": self.rule.name,
            "left": self.left,
            "right": self.right,
            "op": SYMBOLS[self.rule.op],
        }
        place = where(self.cell) if self.cell else None
        if place is None:
            return Problem(f"rules_{self.importance}", values)
        return Problem(f"rules_{self.importance}_at", {**values, "where": place})

    def record(self) -> dict[str, Any]:
        """What is kept with a version sent despite the warning."""
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "left": self.left,
            "op": self.rule.op,
            "right": self.right,
            "abuse": self.rule.abuse,
        }


def evaluate(
    rules: Sequence[Rule], figures: Figures, children: int | None
) -> list[Violation]:
    """The rules ``figures`` break (``children``: the unit's children under 16
    in the report's year; None: the rules naming it are not checked)."""
    values = values_of(figures, children)
    broken = []
    for rule in rules:
        if any(cell not in values for cell in rule.cells):
            continue
        left, left_cell = rule.left.value(values)
        right, right_cell = rule.right.value(values)
        if not rule.holds(left, right):
            broken.append(Violation(rule, left, right, left_cell or right_cell))
    return broken


def stored(text: str | None) -> list[dict[str, Any]]:
    """The warnings kept with a version (``Violation.record``), [] for none."""
    if not text:
        return []
    found = json.loads(text)
    return found if isinstance(found, list) else []


def dumped(warnings: Sequence[Violation]) -> str | None:
    """The warnings of a version as stored (None for none)."""
    if not warnings:
        return None
    records = [v.record() for v in warnings]
    return json.dumps(records, ensure_ascii=False, separators=(",", ":"))


def unit_children(conn: Connection, unit_id: int, year: int) -> int | None:
    """The unit's children under 16 in ``year`` (its ``unit_children`` row, else
    its own figure moved by its communes' rows); None when unknown."""
    tree = read_scalar(conn, select(_unit.c.tree).where(_unit.c.id == unit_id))
    if tree is None:
        return None
    targets = units_as_targets([unit_id], tree)
    children, source = year_children(targets, year)
    found = read_scalar(conn, select(children).select_from(source))
    return None if found is None else int(found)


def check(
    conn: Connection, unit_id: int, year: int, figures: Figures
) -> list[Violation]:
    """The active rules ``figures`` of ``unit_id``'s report of ``year`` break."""
    return evaluate(active(conn).rules, figures, unit_children(conn, unit_id, year))


# --- the active rule set -----------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    file_name: str
    sha256: str
    loaded_at: dt.datetime | None  # None: the built-in file, never loaded


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _parsed(text: str) -> tuple[Rule, ...]:
    return parse(text)


def active(conn: Connection | Session) -> RuleSet:
    """The rule set loaded last; the built-in file when none was (or when the
    one loaded no longer fits the template: logged as an error)."""
    row = read_one(conn, select(_SETS).order_by(_SETS.c.id.desc()).limit(1))
    if row is not None:
        try:
            return RuleSet(
                _parsed(row.content), row.file_name, row.sha256, row.loaded_at
            )
        except RulesError as exc:
            log.error(
                "the validation rules loaded from %s no longer fit the template; "
                "the built-in rules apply: %s",
                row.file_name,
                exc,
            )
    text = DEFAULT.read_text(encoding="utf-8")
    return RuleSet(_parsed(text), DEFAULT.name, digest(text), None)


def install(
    session: Session,
    text: str,
    file_name: str,
    *,
    user_id: int | None = None,
    remote_addr: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Check ``text`` (RulesError, nothing written) and make it the active rule
    set, audited (action ``import``).  Loading the active set again changes
    nothing but is audited too.  What was done: ``rules`` (how many),
    ``sha256``, ``changed``.  Only flushes: the caller owns the transaction."""
    rules = parse(text)
    sha = digest(text)
    lock(session, _SETS.name)
    latest = read_scalar(session, select(_SETS.c.sha256).order_by(_SETS.c.id.desc()))
    changed = latest != sha
    if changed:
        write(
            session,
            insert(_SETS).values(
                file_name=file_name[:255],
                sha256=sha,
                content=text,
                rules=len(rules),
                loaded_at=now or dt.datetime.now(dt.UTC),
            ),
        )
    done = {"rules": len(rules), "sha256": sha, "changed": changed}
    audit.record(
        session,
        "import",
        user_id=user_id,
        detail={
            "what": "validation_rules",
            "file": file_name[:255],
            "rules": len(rules),
            "sha256": sha[:16],
            "changed": changed,
        },
        remote_addr=remote_addr,
    )
    return done
