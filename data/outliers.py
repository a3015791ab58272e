"""Outlier flags for the approver: each figure of a submitted report compared with
the unit's own earlier reports of the same kind and with its peers per 100,000
children, by the robust methods of DHIS2's outlier detection.  A flag never
blocks anything: the approver sees it beside the figure before deciding, and the
approval records which flags were shown (``report_approval.flags_seen``,
``data.approvals.decide``).

For every figure (a ``report_figure`` row: section, code, sex, age band) of a
submitted version:

- **history**: the same unit's earlier reports of the same type (Q1, 6 months,
  year...: one a year, so "4 years before" means the 4 earlier reports of the
  type), each by the latest version that counts (approved; pending too when
  unapproved figures count, ``data.approvals.counts_unapproved``; a returned
  version never).  With at least ``min_history`` earlier values, the figure
  ``x`` is compared with their median ``m`` and median absolute deviation
  ``MAD = median(|v - m|)`` by the modified z-score (Iglewicz and Hoaglin)
  ``z = 0.6745 * (x - m) / MAD``, flagged when ``|z| > threshold`` (3.5 by
  default, DHIS2's).
- **peers**: the figures of the same type and period of every other unit of the
  same level (and tree), each per 100,000 of its children under 16 (the
  period's year's ``unit_children`` row, else ``admin_unit.children_u16``; a
  unit with no children figure takes no part), compared the same way with the
  unit's own rate when at least ``min_peers`` peers reported.  The unit itself is
  not among its peers.
- **MAD = 0** (more than half of the values are equal, typically all 0): the
  z-score is undefined.  Then ``x`` is flagged when it is at least
  ``mad_zero_factor`` (3 by default) times the median, or the median at least
  that factor times ``x``; a median (or ``x``) below one unit counts as one unit
  (one child or case for history, the rate of one child of the unit for peers),
  so that against a median of 0 a figure is flagged from ``mad_zero_factor``
  children or cases up, not from the first.
- **bounds**: a figure below the ``min`` or above the ``max`` set for it in the
  rules file (``outliers.toml``: DHIS2's min-max values, by section and code,
  optionally by level).  None are set by default.

The rules (threshold, factor, the minimum numbers of values, the bounds) are the
TOML file ``data/outliers.toml``, read once; ``parse`` names the entry and field
of every problem.

Disclosure: a role that never gets an exact abuse count (``Scope.exact``) gets
no flag on an abuse figure (cases of an abuse type; the groups of children
abused, exploited, trafficked or abandoned): a flag with its median would pin
the count.  Those figures are checked at the province.
"""

from __future__ import annotations

import functools
import statistics
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select

from data.approvals import APPROVED, PENDING, counts_unapproved
from data.db import read_one, read_rows
from data.models import (
    AdminUnit,
    ReportFigure,
    ReportSchedule,
    ReportSubmission,
    UnitChildren,
)
from data.scope import Scope
from data.vocabulary import ABUSE_TYPES, PER_CHILDREN

RULES = Path(__file__).resolve().parent / "outliers.toml"
Z_FACTOR = 0.6745  # the modified z-score's constant (Iglewicz and Hoaglin)
# groups of children in special circumstances that count abused children
ABUSE_GROUPS = ("ABANDONED", "VIOLENCE_HARM", "EXPLOITED", "SEX_ABUSE", "TRAFFICKED")
KINDS = ("history", "peers", "min", "max")

_sent = ReportSubmission.__table__
_schedule = ReportSchedule.__table__
_figure = ReportFigure.__table__
_unit = AdminUnit.__table__
_children = UnitChildren.__table__


@dataclass(frozen=True)
class Bound:
    """A figure's allowed range (either end may be open), for one level or all."""

    section: str
    code: str
    minimum: float | None = None
    maximum: float | None = None
    level: str | None = None


@dataclass(frozen=True)
class Rules:
    threshold: float = 3.5
    mad_zero_factor: float = 3.0
    min_history: int = 3
    min_peers: int = 5
    bounds: tuple[Bound, ...] = ()

    def bound(self, section: str, code: str, level: str) -> Bound | None:
        """The bound of a figure at ``level`` (a level's own before a general one)."""
        found = [b for b in self.bounds if (b.section, b.code) == (section, code)]
        own = [b for b in found if b.level == level]
        general = [b for b in found if b.level is None]
        chosen = own or general
        return chosen[0] if chosen else None


METHOD_FIELDS = {
    "threshold": float,
    "mad_zero_factor": float,
    "min_history": int,
    "min_peers": int,
}
BOUND_FIELDS = {"section", "code", "level", "min", "max"}


def parse(text: str) -> Rules:
    """The rules of a TOML text; ValueError naming every problem (the entry's
    number and field)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"outlier rules: not TOML ({exc})") from exc
    problems: list[str] = []
    method = raw.get("method", {})
    values: dict[str, Any] = {}
    for key, value in method.items():
        kind = METHOD_FIELDS.get(key)
        if kind is None:
            problems.append(f"[method] {key}: unknown field")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"[method] {key}: a number, not {value!r}")
        elif value <= 0 or (kind is int and value != int(value)):
            problems.append(f"[method] {key}: a positive {kind.__name__}")
        else:
            values[key] = kind(value)
    bounds = []
    for n, entry in enumerate(raw.get("bounds", []), start=1):
        where = f"[[bounds]] entry {n}"
        for key in sorted(set(entry) - BOUND_FIELDS):
            problems.append(f"{where}, {key}: unknown field")
        if not isinstance(entry.get("section"), str) or not isinstance(
            entry.get("code"), str
        ):
            problems.append(f"{where}: section and code are required texts")
            continue
        ends = {}
        for key in ("min", "max"):
            value = entry.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                problems.append(f"{where}, {key}: a number, not {value!r}")
            else:
                ends[key] = value
        if ends.get("min") is None and ends.get("max") is None:
            problems.append(f"{where}: min or max is required")
            continue
        low, high = ends.get("min"), ends.get("max")
        if low is not None and high is not None and low > high:
            problems.append(f"{where}: min {low} is above max {high}")
            continue
        bounds.append(
            Bound(entry["section"], entry["code"], low, high, entry.get("level"))
        )
    if problems:
        raise ValueError("outlier rules: " + "; ".join(problems))
    return Rules(**values, bounds=tuple(bounds))


@functools.cache
def read(path: Path = RULES) -> Rules:
    """The rules of ``path`` (read once)."""
    return parse(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Flag:
    """Why one figure looks unusual: compared with what (``kind``), in which
    direction, with the median compared with (``centre``) over ``n`` values and
    the modified z-score (None: MAD was 0, the factor rule said so; or a bound)."""

    section: str
    code: str
    sex: str | None
    age_band: str | None
    value: float
    kind: str  # history | peers | min | max
    direction: str  # high | low
    centre: float | None = None  # the median (peers: per 100,000 children)
    n: int = 0
    z: float | None = None
    rate: float | None = None  # peers: the unit's own per 100,000 children
    bound: float | None = None

    @property
    def figure(self) -> str:
        """The figure's key: "case:AB_SEX:F:11_15"."""
        return ":".join(
            str(part or "")
            for part in (self.section, self.code, self.sex, self.age_band)
        )

    @property
    def ratio(self) -> float | None:
        """The figure (peers: its rate) over the median (None: the median is 0)."""
        own = self.rate if self.kind == "peers" else self.value
        if self.centre in (None, 0) or own is None:
            return None
        return own / self.centre

    def seen(self) -> dict[str, Any]:
        """What an approval records of a flag shown."""
        return {"figure": self.figure, "kind": self.kind, "direction": self.direction}


def judge(
    x: float, values: Sequence[float], rules: Rules, floor: float = 1.0
) -> tuple[str, float, float | None] | None:
    """(direction, median, modified z or None) when ``x`` is an outlier among
    ``values``; None when it is not or there are too few values (the caller
    checks the minimum).  ``floor``: the smallest median the MAD = 0 rule
    divides by (one child or case in the values' unit)."""
    if not values:
        return None
    m = statistics.median(values)
    mad = statistics.median(abs(v - m) for v in values)
    if mad > 0:
        z = Z_FACTOR * (x - m) / mad
        if abs(z) > rules.threshold:
            return ("high" if z > 0 else "low"), m, z
        return None
    if x == m:
        return None
    factor = rules.mad_zero_factor
    if x > m and x >= factor * max(m, floor):
        return "high", m, None
    if x < m and m >= factor * max(x, floor):
        return "low", m, None
    return None


def is_abuse(section: str, code: str) -> bool:
    """Whether a figure counts abused children (no flag for restricted roles)."""
    if section == "case":
        return code in ABUSE_TYPES
    return section == "group" and code in ABUSE_GROUPS


Key = tuple[str, str, str | None, str | None]


def _counted(conn: Connection) -> Any:
    """SQL: a version whose figures count (approved; pending when unapproved
    figures count) and that is the latest of its report."""
    later = _sent.alias("later")
    newer = (
        select(later.c.id)
        .where(
            later.c.schedule_id == _sent.c.schedule_id,
            later.c.unit_id == _sent.c.unit_id,
            later.c.version > _sent.c.version,
        )
        .exists()
    )
    states = [APPROVED, PENDING] if counts_unapproved(conn) else [APPROVED]
    return and_(~newer, _sent.c.approval.in_(states))


def _figures(conn: Connection, where: Any, *extra: Any) -> list[Any]:
    stmt = (
        select(
            _figure.c.section,
            _figure.c.code,
            _figure.c.sex,
            _figure.c.age_band,
            _figure.c.value,
            *extra,
        )
        .select_from(
            _figure.join(_sent, _sent.c.id == _figure.c.submission_id)
            .join(_schedule, _schedule.c.id == _sent.c.schedule_id)
            .join(_unit, _unit.c.id == _sent.c.unit_id)
        )
        .where(where)
    )
    return read_rows(conn, stmt)


def _key(row: Any) -> Key:
    return (row.section, row.code, row.sex, row.age_band)


def _children_of(year: int) -> Any:
    """SQL: a unit's children under 16 in ``year`` (the year's row, else its own)."""
    row = (
        select(_children.c.children_u16)
        .where(_children.c.unit_id == _unit.c.id, _children.c.year == year)
        .scalar_subquery()
    )
    return func.coalesce(row, _unit.c.children_u16)


def flags(
    conn: Connection,
    submission_id: int,
    scope: Scope | None = None,
    rules: Rules | None = None,
) -> list[Flag]:
    """The flags of one submitted version's figures, in the figures' order (as
    ``scope`` may see them: none on abuse figures for a role without exact
    counts; None: every flag)."""
    rules = rules or read()
    head = read_one(
        conn,
        select(
            _sent.c.unit_id,
            _schedule.c.report_type,
            _schedule.c.period_start,
            _schedule.c.period_end,
            _unit.c.level,
            _unit.c.tree,
        )
        .select_from(
            _sent.join(_schedule, _schedule.c.id == _sent.c.schedule_id).join(
                _unit, _unit.c.id == _sent.c.unit_id
            )
        )
        .where(_sent.c.id == submission_id),
    )
    if head is None:
        return []
    year = head.period_start.year
    own = read_rows(
        conn,
        select(
            _figure.c.section,
            _figure.c.code,
            _figure.c.sex,
            _figure.c.age_band,
            _figure.c.value,
        )
        .where(_figure.c.submission_id == submission_id)
        .order_by(_figure.c.id),
    )
    children = read_one(
        conn,
        select(_children_of(year)).select_from(_unit).where(_unit.c.id == head.unit_id),
    )
    unit_children = int(children[0]) if children and children[0] else 0
    counted = _counted(conn)
    history: dict[Key, list[float]] = defaultdict(list)
    for row in _figures(
        conn,
        and_(
            counted,
            _sent.c.unit_id == head.unit_id,
            _schedule.c.report_type == head.report_type,
            _schedule.c.period_start < head.period_start,
        ),
    ):
        history[_key(row)].append(float(row.value))
    peers: dict[Key, list[float]] = defaultdict(list)
    if unit_children > 0:
        many = _children_of(year)
        for row in _figures(
            conn,
            and_(
                counted,
                _sent.c.unit_id != head.unit_id,
                _schedule.c.report_type == head.report_type,
                _schedule.c.period_start == head.period_start,
                _schedule.c.period_end == head.period_end,
                _unit.c.level == head.level,
                _unit.c.tree == head.tree,
                many > 0,
            ),
            many.label("children"),
        ):
            peers[_key(row)].append(float(row.value) * PER_CHILDREN / row.children)
    exact = scope is None or scope.exact
    found: list[Flag] = []
    for row in own:
        if not exact and is_abuse(row.section, row.code):
            continue
        found += _flags_of(row, history, peers, unit_children, head.level, rules)
    return found


def _flags_of(
    row: Any,
    history: dict[Key, list[float]],
    peers: dict[Key, list[float]],
    children: int,
    level: str,
    rules: Rules,
) -> list[Flag]:
    key = _key(row)
    x = float(row.value)
    base = {
        "section": row.section,
        "code": row.code,
        "sex": row.sex,
        "age_band": row.age_band,
        "value": x,
    }
    found = []
    past, others = history.get(key, []), peers.get(key, [])
    compared: list[tuple[str, float, list[float], float, dict[str, Any]]] = []
    if len(past) >= rules.min_history:  # the unit's own earlier reports
        compared.append(("history", x, past, 1.0, {}))
    if children > 0 and len(others) >= rules.min_peers:  # per 100,000 children
        rate = x * PER_CHILDREN / children
        compared.append(
            ("peers", rate, others, PER_CHILDREN / children, {"rate": rate})
        )
    for kind, value, series, floor, more in compared:
        said = judge(value, series, rules, floor=floor)
        if said is not None:
            direction, m, z = said
            found.append(
                Flag(
                    **base,
                    kind=kind,
                    direction=direction,
                    centre=m,
                    n=len(series),
                    z=z,
                    **more,
                )
            )
    bound = rules.bound(row.section, row.code, level)
    if bound is not None:
        if bound.minimum is not None and x < bound.minimum:
            found.append(Flag(**base, kind="min", direction="low", bound=bound.minimum))
        if bound.maximum is not None and x > bound.maximum:
            found.append(
                Flag(**base, kind="max", direction="high", bound=bound.maximum)
            )
    return found


def flags_of(
    conn: Connection,
    submission_ids: Iterable[int],
    scope: Scope | None = None,
    rules: Rules | None = None,
) -> dict[int, list[Flag]]:
    """``flags`` of several versions (the approver's queue)."""
    return {i: flags(conn, i, scope, rules) for i in submission_ids}


def seen(found: Sequence[Flag]) -> list[dict[str, Any]]:
    """What an approval records of the flags shown."""
    return [f.seen() for f in found]
