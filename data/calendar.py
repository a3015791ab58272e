"""The reporting calendar as configuration (DOMAIN.md section 5).

Deadlines differ by place and year, so the calendar is a file (TOML, see
``data/calendars/default.toml`` for the format and the defaults: the Tam Đường 2018
pattern and the Gia Lai 2021 plan, and after the July-2025 reform communes straight
to the province).  ``parse`` checks every entry and lists every problem with the
entry's number and field; ``schedule_rows`` turns entries into ``report_schedule``
rows for the provinces and years wanted; ``load`` writes them in one transaction
(added or updated, never a half-written calendar).

Deadline semantics are explicit: "vào ngày X" (also "chậm nhất ngày X"): all of
day X still counts; "trước ngày X": day X itself is late.  Days are in
Asia/Ho_Chi_Minh time; ``deadline_at`` is the first late instant in UTC
(``data.periods.deadline_instant``).

Who owes a report (``owes``, ``owing``): a unit of the report's level under its
jurisdiction that exists on the due date, or that existed on the period's last
day and was abolished before the due date (the period happened while it
existed: a district abolished on 1 July 2025 still owes its Action Month report
for June, due "trước ngày 20/7").  A unit that came into being after its period
ended owes nothing for it (its predecessors do).  The same rule decides whether
a province's schedule is written at all.

Who files the report of an abolished unit (``filers``): its successor, as the
reform's inheritance has it (``data.reform.inheritance``): for a legacy commune
its default successor commune, for a legacy district (there is no district after
the reform) the new province its province went into, whose department files in
its place; when the new tree is not loaded, its own province.  The submission
is recorded against the abolished unit's obligation (``report_submission.
unit_id`` stays the abolished unit), sent from the filer's account.

A report an entry names ``provinces`` for replaces, in those provinces, a
general entry (no ``provinces``) of the same tree, type, level and period start:
the plan of the place wins over the general one.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    and_,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from data.db import lock, read_one, read_rows, write
from data.models import AdminUnit, ReportSchedule
from data.periods import deadline_instant
from data.reform import LEGACY_TREE, inheritance
from data.vocabulary import DUE_RULE_WORDINGS, REPORT_TYPES, TREES

DEFAULT = Path(__file__).resolve().parent / "calendars" / "default.toml"
FLOWS = {("commune", "district"), ("district", "province"), ("commune", "province")}
FIELDS = {
    "plan",
    "type",
    "from",
    "to",
    "period",
    "due",
    "rule",
    "years",
    "tree",
    "provinces",
    "name",
    "basis",
}
BASIS_LENGTH = 255
_SCHEDULE = ReportSchedule.__table__
_unit = AdminUnit.__table__


class CalendarError(ValueError):
    """Every problem of a calendar, each naming its entry and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """One report of a plan.  Days are (month, day) when every year, full dates
    when once (ad hoc)."""

    plan: str
    report_type: str
    from_level: str
    to_level: str
    start: tuple[int, int] | dt.date
    end: tuple[int, int] | dt.date
    due: tuple[int, int] | dt.date
    inclusive: bool
    years: tuple[int, int] | None = None
    tree: str = "legacy"
    provinces: tuple[str, ...] | None = None
    basis: str | None = None  # the plan or legal text that requires it

    @property
    def once(self) -> bool:
        return isinstance(self.due, dt.date)

    def dates(self, year: int) -> tuple[dt.date, dt.date, dt.date]:
        """(period start, period end, due date) of the ``year`` occurrence."""

        def at(value: tuple[int, int] | dt.date) -> dt.date:
            return value if isinstance(value, dt.date) else dt.date(year, *value)

        return at(self.start), at(self.end), at(self.due)

    def applies(self, year: int) -> bool:
        if self.once:
            return self.dates(year)[2].year == year
        return self.years is None or self.years[0] <= year <= self.years[1]


def _day(
    text: object, where: str, problems: list[str]
) -> tuple[int, int] | dt.date | None:
    """ "dd/mm" (every year) or "dd/mm/yyyy" (once)."""
    parts = str(text).strip().split("/") if isinstance(text, str) else []
    try:
        if len(parts) == 2:
            day, month = int(parts[0]), int(parts[1])
            dt.date(2024, month, day)  # a leap year: 29/02 is a day
            return month, day
        if len(parts) == 3:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    problems.append(f"{where}: {text!r} is not a day (dd/mm or dd/mm/yyyy)")
    return None


def _entry(number: int, raw: object, problems: list[str]) -> Entry | None:
    where = f"report {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: not a table of fields")
        return None
    found = len(problems)
    for name in sorted(set(raw) - FIELDS):
        problems.append(f"{where}: unknown field {name!r}")
    missing = [
        name
        for name in ("plan", "type", "from", "to", "period", "due", "rule")
        if name not in raw
    ]
    for name in missing:
        problems.append(f"{where}: field {name!r} is missing")
    if missing:
        return None
    plan = raw["plan"]
    if not isinstance(plan, str) or not 1 <= len(plan.strip()) <= 32:
        problems.append(f"{where}.plan: 1 to 32 characters")
    report_type = raw["type"]
    if report_type not in REPORT_TYPES:
        problems.append(
            f"{where}.type: {report_type!r} is not one of {', '.join(REPORT_TYPES)}"
        )
    flow = (raw["from"], raw["to"])
    if flow not in FLOWS:
        problems.append(
            f"{where}.from/to: {flow[0]!r} -> {flow[1]!r} is not a reporting line "
            "(commune -> district, district -> province, commune -> province)"
        )
    rule = raw["rule"]
    if rule not in DUE_RULE_WORDINGS:
        wordings = ", ".join(repr(w) for w in DUE_RULE_WORDINGS)
        problems.append(f"{where}.rule: {rule!r} is not one of {wordings}")
    period = raw["period"]
    start = end = None
    if not isinstance(period, list) or len(period) != 2:
        problems.append(f"{where}.period: two days [first, last]")
    else:
        start = _day(period[0], f"{where}.period", problems)
        end = _day(period[1], f"{where}.period", problems)
    due = _day(raw["due"], f"{where}.due", problems)
    years = raw.get("years")
    if years is not None:
        ok = (
            isinstance(years, list)
            and len(years) == 2
            and all(isinstance(y, int) and 1990 <= y <= 2100 for y in years)
            and years[0] <= years[1]
        )
        if not ok:
            problems.append(f"{where}.years: [first, last], from 1990 to 2100")
    tree = raw.get("tree", "legacy")
    if tree not in TREES:
        problems.append(f"{where}.tree: {tree!r} is not one of {', '.join(TREES)}")
    provinces = raw.get("provinces")
    if provinces is not None and not (
        isinstance(provinces, list)
        and provinces
        and all(isinstance(p, str) and p.isdigit() and len(p) <= 3 for p in provinces)
    ):
        problems.append(f"{where}.provinces: a list of GSO province codes")
    basis = raw.get("basis")
    if basis is not None and not (
        isinstance(basis, str) and 1 <= len(basis.strip()) <= BASIS_LENGTH
    ):
        problems.append(f"{where}.basis: 1 to {BASIS_LENGTH} characters")
    if len(problems) > found:
        return None
    kinds = {type(v) for v in (start, end, due)}
    if len(kinds) != 1:
        problems.append(
            f"{where}.period/due: all dd/mm (yearly) or all dd/mm/yyyy (once)"
        )
        return None
    entry = Entry(
        plan=plan.strip(),
        report_type=report_type,
        from_level=flow[0],
        to_level=flow[1],
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        due=due,  # type: ignore[arg-type]
        inclusive=DUE_RULE_WORDINGS[rule],
        years=tuple(years) if years else None,
        tree=tree,
        provinces=tuple(provinces) if provinces else None,
        basis=basis.strip() if basis else None,
    )
    first, last, deadline = entry.dates(2024)
    if first > last:
        problems.append(f"{where}.period: the first day is after the last")
    if deadline < first:
        problems.append(f"{where}.due: before the period starts")
    return entry


def parse(text: str) -> list[Entry]:
    """The entries of a calendar file; CalendarError listing every problem."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError([f"not a TOML file: {exc}"]) from exc
    reports = document.get("report")
    if set(document) - {"report"} or not isinstance(reports, list) or not reports:
        raise CalendarError(["the file must hold one or more [[report]] tables"])
    problems: list[str] = []
    entries = [_entry(i, raw, problems) for i, raw in enumerate(reports, start=1)]
    keys = [
        (e.plan, e.report_type, e.from_level, e.tree, e.start)
        for e in entries
        if e is not None
    ]
    for key in sorted({k for k in keys if keys.count(k) > 1}, key=str):
        problems.append(f"plan {key[0]!r}: {key[1]} from {key[2]} appears twice")
    if problems:
        raise CalendarError(problems)
    return [e for e in entries if e is not None]


def read(path: Path | str = DEFAULT) -> list[Entry]:
    return parse(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Jurisdiction:
    """A province reports are owed in, and when it existed (None: open)."""

    unit_id: int
    tree: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        after = self.valid_from is None or _date(self.valid_from) <= day
        return after and (self.valid_to is None or day <= _date(self.valid_to))

    def owes(self, period_end: dt.date, due: dt.date) -> bool:
        return owes(self.valid_from, self.valid_to, period_end, due)


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _exists(first: object, last: object, day: dt.date) -> bool:
    return (first is None or _date(first) <= day) and (
        last is None or day <= _date(last)
    )


def owes(
    valid_from: object, valid_to: object, period_end: dt.date, due: dt.date
) -> bool:
    """Whether a unit valid from ``valid_from`` to ``valid_to`` (None: open) owes a
    report of a period ending ``period_end`` due ``due``: it existed before the
    period ended, and it exists on the due date or it existed on the period's
    last day and was gone by the due date."""
    if valid_from is not None and _date(valid_from) > period_end:
        return False  # born after the period: its predecessors owe it
    if _exists(valid_from, valid_to, due):
        return True
    return period_end < due and _exists(valid_from, valid_to, period_end)


def _valid_on(unit: FromClause, day: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(
        or_(unit.c.valid_from.is_(None), unit.c.valid_from <= day),
        or_(unit.c.valid_to.is_(None), unit.c.valid_to >= day),
    )


def owing(unit: FromClause, schedule: FromClause) -> ColumnElement[bool]:
    """SQL condition: ``unit`` owes ``schedule`` (``owes``; level included)."""
    return and_(
        unit.c.level == schedule.c.from_level,
        or_(unit.c.valid_from.is_(None), unit.c.valid_from <= schedule.c.period_end),
        or_(
            _valid_on(unit, schedule.c.due_date),
            and_(
                schedule.c.period_end < schedule.c.due_date,
                _valid_on(unit, schedule.c.period_end),
            ),
        ),
    )


def filed_for(unit: FromClause, schedule: FromClause) -> ColumnElement[bool]:
    """SQL condition: ``unit`` was abolished before ``schedule``'s due date, so
    its successor files the report it owes (``filers``)."""
    return and_(unit.c.valid_to.is_not(None), unit.c.valid_to < schedule.c.due_date)


def filers() -> Subquery:
    """(unit_id, filer_id, filer_name): who files the reports of each legacy
    commune and district once it is abolished: the new unit that inherits it
    (``data.reform.inheritance``: a commune's default successor, a district's new
    province), else (the new tree not loaded) its legacy province."""
    heirs, heir = inheritance(), _unit.alias("heir")
    own, parent, grand = (
        _unit.alias("filed_unit"),
        _unit.alias("filed_parent"),
        _unit.alias("filed_grand"),
    )
    legacy_province = _unit.alias("filed_province")
    province_of = and_(
        legacy_province.c.level == "province",
        or_(
            and_(own.c.level == "district", legacy_province.c.id == parent.c.id),
            and_(own.c.level == "commune", legacy_province.c.id == grand.c.id),
        ),
    )
    joined = (
        own.outerjoin(parent, parent.c.id == own.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .outerjoin(legacy_province, province_of)
        .outerjoin(heirs, heirs.c.legacy_unit_id == own.c.id)
        .outerjoin(heir, heir.c.id == heirs.c.new_unit_id)
    )
    return (
        select(
            own.c.id.label("unit_id"),
            func.coalesce(heir.c.id, legacy_province.c.id).label("filer_id"),
            func.coalesce(heir.c.name, legacy_province.c.name).label("filer_name"),
        )
        .select_from(joined)
        .where(
            own.c.tree == LEGACY_TREE,
            own.c.level.in_(("commune", "district")),
            own.c.valid_to.is_not(None),
        )
        .subquery("filers")
    )


def filer_of(conn: Connection, unit_id: int) -> dict[str, Any] | None:
    """Id and name of who files the reports of ``unit_id`` once it is abolished
    (``filers``); None for a unit that is never abolished or has no filer."""
    f = filers()
    row = read_one(
        conn, select(f.c.filer_id, f.c.filer_name).where(f.c.unit_id == unit_id)
    )
    if row is None or row.filer_id is None:
        return None
    return {"id": row.filer_id, "name": row.filer_name}


def entries_for(entries: list[Entry], code: str, tree: str, year: int) -> list[Entry]:
    """The entries owed in province ``code`` of ``tree`` in ``year``: those of
    its tree that apply that year and name it or no province, a general one left
    out where an entry naming the province has the same type, level and period
    start (the plan of the place wins)."""
    mine = [
        e
        for e in entries
        if e.tree == tree
        and e.applies(year)
        and (not e.provinces or code in e.provinces)
    ]

    def key(e: Entry) -> tuple[str, str, dt.date]:
        return e.report_type, e.from_level, e.dates(year)[0]

    specific = {key(e) for e in mine if e.provinces}
    return [e for e in mine if e.provinces or key(e) not in specific]


def schedule_rows(
    entries: list[Entry], jurisdictions: dict[str, Jurisdiction], years: list[int]
) -> list[dict[str, Any]]:
    """``report_schedule`` rows: each entry, for each province it applies to
    (``jurisdictions``: province code -> Jurisdiction; ``entries_for``), each
    year, when the province owes it (``owes``: it exists on the due date, or it
    existed on the period's last day; legacy provinces end on 30 June 2025, the
    new ones begin on 1 July)."""
    rows = []
    for entry in entries:
        for code, place in sorted(jurisdictions.items()):
            for year in years:
                if entry not in entries_for(entries, code, place.tree, year):
                    continue
                start, end, due = entry.dates(year)
                if not place.owes(end, due):
                    continue
                rows.append(
                    {
                        "plan_code": entry.plan,
                        "report_type": entry.report_type,
                        "period_start": start,
                        "period_end": end,
                        "from_level": entry.from_level,
                        "to_level": entry.to_level,
                        "due_date": due,
                        "due_inclusive": entry.inclusive,
                        "deadline_at": deadline_instant(due, entry.inclusive),
                        "jurisdiction_id": place.unit_id,
                        "basis": entry.basis,
                    }
                )
    return rows


def provinces(session: Session, tree: str) -> dict[str, Jurisdiction]:
    """Every province loaded on ``tree``: code -> Jurisdiction."""
    u = _unit.c
    rows = read_rows(
        session,
        select(u.code, u.id, u.valid_from, u.valid_to).where(
            u.level == "province", u.tree == tree
        ),
    )
    return {r.code: Jurisdiction(r.id, tree, r.valid_from, r.valid_to) for r in rows}


def load(session: Session, entries: list[Entry], years: list[int]) -> dict[str, int]:
    """Write the calendar for every province loaded and ``years``: new schedules
    added, changed deadlines updated (submissions already made stay, and are
    judged against the new deadline).  Counts of rows added, updated and
    unchanged.  The caller owns the transaction: on any error nothing is kept.
    One load at a time: a second waits, then finds the first one's rows."""
    lock(session, "report_schedule")
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for tree in TREES:
        mine = [e for e in entries if e.tree == tree]
        for row in schedule_rows(mine, provinces(session, tree), years):
            key = (
                _SCHEDULE.c.plan_code == row["plan_code"],
                _SCHEDULE.c.report_type == row["report_type"],
                _SCHEDULE.c.period_start == row["period_start"],
                _SCHEDULE.c.from_level == row["from_level"],
                _SCHEDULE.c.jurisdiction_id == row["jurisdiction_id"],
            )
            found = read_one(session, select(_SCHEDULE).where(*key))
            if found is None:
                write(session, _SCHEDULE.insert().values(**row))
                counts["added"] += 1
            elif all(
                _same(found._mapping[name], row[name])
                for name in (
                    "period_end",
                    "to_level",
                    "due_date",
                    "due_inclusive",
                    "basis",
                )
            ):
                counts["unchanged"] += 1
            else:
                write(session, update(_SCHEDULE).where(*key).values(**row))
                counts["updated"] += 1
    session.flush()
    if counts["added"] or counts["updated"]:
        # the reports owed kept per unit follow, in this transaction (imported
        # here: the metrics read the calendar's rules of who owes what)
        from data.metrics.summary import refresh_reports

        refresh_reports(session)
    return counts


def _same(stored: object, wanted: object) -> bool:
    if isinstance(wanted, dt.date) and not isinstance(stored, dt.date):
        return str(stored)[:10] == wanted.isoformat()
    return stored == wanted
