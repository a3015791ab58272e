"""The dry run and the import of a file of facts, for any kind.

``dry_run`` reads and checks every row and compares the good ones with the
database by the kind's natural key (a case's commune and reference, a target's
unit and year, a booking's unit and reference): new, updated (some field
differs), unchanged; it writes nothing.  Per unit (and year, for targets) the
summary says what the kind adds up there before and after: cases, or đồng.
``apply`` does the same inside one transaction, under a lock that keeps two
imports of a kind apart, and writes only when the file has no problem at all:
the new rows and the changed fields (in chunks), one audit entry
``facts_import`` (kind, file, SHA-256, counts, and for each updated row its
fields before and after), and a new facts version so cached views refresh.  A
file imported again changes nothing: every row is unchanged, no fact is written
and the facts version stays; its audit entry says so (zero new, zero updated).
A file refused (by the dry run or the import) is audited too
(``facts_import_refused``: kind, file name, SHA-256, counts; none of its values).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Engine, cast, func, insert, select, update
from sqlalchemy.orm import Session

from data import audit, demo_marks
from data.db import Runner, lock, read_rows, refresh_statistics, transaction, write
from data.fact_import.check import Record, Units, check_role
from data.fact_import.read import open_rows
from data.fact_import.spec import MAX_LISTED, Kind, Store
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import refresh_incidents
from data.models import Incident
from data.periods import today_vn
from data.problems import Problem
from data.scope import Scope

CHUNK = 1_000
REFUSED = "facts_import_refused"  # the audit action of a refused file
T = TypeVar("T")


@dataclass(frozen=True)
class UnitCount:
    """What a kind adds up in one unit (of one year, for targets): the cases
    recorded, the đồng, the children, the points, an indicator's value; now
    (None: no figure yet) and once imported.  ``detail``: what else the line
    is about (an indicator's code, an assessment's round date)."""

    code: str
    name: str
    before: int | float | None
    after: int | float
    year: int | None = None
    detail: str = ""
    label: str = ""  # the code of the group's ``Store.label`` once imported


@dataclass(frozen=True)
class Change:
    """An updated row: the fields that differ, before and after (a unit's id
    given as its code)."""

    row: int
    ref: str  # the row's reference (its year, for a target)
    unit: str  # the unit's code
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class Restated:
    """A stored round of a commune not in the file whose recognition turned
    new or maintained again once the file's rounds before it were written."""

    unit: str  # the commune's code
    round_date: dt.date
    before: str
    after: str


@dataclass
class Summary:
    kind: str
    file_name: str
    sha256: str
    measure: str = "cases"  # what ``units`` add up: "cases" or "dong"
    rows: int = 0  # non-blank data rows read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0  # rows with a problem
    problems: list[Problem] = field(default_factory=list)  # the first MAX_LISTED
    problem_count: int = 0
    units: list[UnitCount] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    written: bool = False
    # provinces of the file's rows that still hold demo facts: refused until
    # their demo is cleared (data.demo.clear)
    demo: list[demo_marks.MarkedProvince] = field(default_factory=list)
    # stored rounds the file restates (``Kind.foresee``; once written, those
    # the writer restated)
    restated: list[Restated] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problems: Sequence[Problem]) -> None:
        self.problem_count += len(problems)
        room = MAX_LISTED - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
        }


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(
    runner: Runner, store: Store, records: Sequence[Record]
) -> dict[tuple[Any, ...], Any]:
    """The stored rows with the file's natural keys, by key."""
    if store.loader is not None:
        return store.loader(runner, store, records)
    return stored_rows(runner, store, records)


def stored_rows(
    runner: Runner, store: Store, records: Sequence[Record]
) -> dict[tuple[Any, ...], Any]:
    """The table's rows with the records' natural keys, by key: the surrogate
    key, the natural key and the fields."""
    table = store.table
    found: dict[tuple[Any, ...], Any] = {}
    last = store.key[-1]
    refs = sorted({r.values[last] for r in records}, key=str)
    columns = [table.c[k] for k in store.key]
    if store.ident is not None:
        columns.insert(0, table.c[store.ident])
    columns += [table.c[name] for name in store.fields if name in table.c]
    for chunk in _chunks(refs):
        stmt = select(*columns).where(table.c[last].in_(chunk))
        for row in read_rows(runner, stmt):
            found[tuple(getattr(row, k) for k in store.key)] = row
    return found


def _totals(
    runner: Runner, store: Store, unit_ids: Sequence[int]
) -> dict[tuple[Any, ...], int | float]:
    """Per summary group of the units: the rows, or the measure's sum."""
    table = store.table
    group = [table.c[g] for g in store.group]
    if store.measure is None:
        total: Any = func.count()
    elif store.whole:  # PostgreSQL sums a bigint as numeric: back to whole đồng
        total = cast(func.sum(table.c[store.measure]), BigInteger)
    else:
        total = func.sum(table.c[store.measure])
    found: dict[tuple[Any, ...], int | float] = {}
    for chunk in _chunks(unit_ids):
        stmt = (
            select(*group, total.label("total"))
            .where(table.c.unit_id.in_(chunk))
            .group_by(*group)
        )
        for row in read_rows(runner, stmt):
            if row.total is not None:  # no figure in its rows (older rounds)
                whole = store.whole or store.measure is None
                found[tuple(row[:-1])] = int(row.total) if whole else row.total
    return found


@dataclass
class Plan:
    kind: Kind
    summary: Summary
    scope: Scope
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    units: set[int] = field(default_factory=set)  # of the rows written


def _plan(
    runner: Runner,
    kind: Kind,
    data: bytes,
    file_name: str,
    scope: Scope,
    today: dt.date | None,
) -> Plan:
    check_role(scope)
    sha256 = hashlib.sha256(data).hexdigest()
    summary = Summary(kind.name, file_name, sha256, measure=kind.measure)
    plan = Plan(kind, summary, scope)
    file_problems: list[Problem] = []
    opened = open_rows(data, file_name, kind, file_problems)
    if opened is None:
        summary.add(file_problems)
        return plan
    layout, rows = opened
    units = Units.load(runner, scope, kind.levels)
    check = kind.checker(kind, layout, units, today or today_vn())
    records: list[Record] = []
    for raw in rows:
        summary.rows += 1
        record, problems = check(raw)
        if problems:
            summary.refused += 1
            summary.add(problems)
        elif record is not None:
            records.append(record)
    if kind.vet is not None and records:  # against what is stored
        found = kind.vet(runner, scope, layout, units, records)
        for record in records:
            if found.get(record.row):
                summary.refused += 1
                summary.add(found[record.row])
        records = [r for r in records if not found.get(r.row)]
    if file_problems:  # met while reading (a broken line, too many rows): first
        listed, counted = summary.problems, summary.problem_count
        summary.problems, summary.problem_count = [], 0
        summary.add(file_problems)
        summary.add(listed)
        summary.problem_count += counted - len(listed)
    _refuse_demo(runner, summary, records)
    _compare(runner, plan, records, units)
    if kind.foresee is not None and summary.ok:
        kind.foresee(runner, plan, units)
    return plan


def _refuse_demo(runner: Runner, summary: Summary, records: Sequence[Record]) -> None:
    """One problem per province of the file's rows that still holds demo facts
    (listed first): demo and real facts are never mixed."""
    summary.demo = demo_marks.holding(runner, [r.values["unit_id"] for r in records])
    if not summary.demo:
        return
    listed, counted = summary.problems, summary.problem_count
    summary.problems, summary.problem_count = [], 0
    summary.add(
        [
            Problem("demo_held", {"province": p.name, "code": p.code, "tree": p.tree})
            for p in summary.demo
        ]
    )
    summary.add(listed)
    summary.problem_count += counted - len(listed)


def _shown(values: dict[str, Any], units: Units) -> dict[str, Any]:
    """``values`` with a unit's id given as its code."""
    return {
        k: units.by_id[v].code if k.endswith("unit_id") and v in units.by_id else v
        for k, v in values.items()
    }


def _compare(
    runner: Runner, plan: Plan, records: Sequence[Record], units: Units
) -> None:
    summary, store = plan.summary, plan.kind.store
    existing = _existing(runner, store, records)

    def measure(values: Any) -> int | float:
        if store.measure is None:
            return 1
        value = values[store.measure] or 0
        return int(value) if store.whole else float(value)

    added: dict[tuple[Any, ...], int | float] = {}  # the file adds, per group
    labels: dict[tuple[Any, ...], str] = {}
    for record in records:
        values = record.values
        group = tuple(values[g] for g in store.group)
        added.setdefault(group, 0)
        if store.label is not None:
            labels[group] = str(values[store.label])
        stored = existing.get(tuple(values[k] for k in store.key))
        if stored is None:
            summary.new += 1
            added[group] += measure(values)
            plan.units.add(values["unit_id"])
            fresh = store.fresh() if store.fresh is not None else {}
            plan.inserts.append({**fresh, **values})
            continue
        before = {k: getattr(stored, k, None) for k in store.fields}
        differ = [k for k in store.fields if before[k] != values[k]]
        if not differ:
            summary.unchanged += 1
            continue
        summary.updated += 1
        if store.measure is not None:
            added[group] += measure(values) - measure(before)
        plan.units.add(values["unit_id"])  # an update keeps its unit (the key)
        known = {store.ident: getattr(stored, store.ident)} if store.ident else {}
        if not known or store.writer is not None:  # its writer needs the key
            known.update({k: values[k] for k in store.key})
        plan.updates.append({**known, **{k: values[k] for k in store.fields}})
        summary.changes.append(
            Change(
                record.row,
                store.ref_of(values),
                units.by_id[values["unit_id"]].code,
                _shown({k: before[k] for k in differ}, units),
                _shown({k: values[k] for k in differ}, units),
            )
        )
    now = _totals(runner, store, sorted({g[0] for g in added}))
    for group in sorted(added):
        unit = units.by_id[group[0]]
        before_total = now.get(group)
        if before_total is None and not store.none_when_absent:
            before_total = 0
        years = [g for g in group[1:] if isinstance(g, int)]
        words = [_word(g) for g in group[1:] if not isinstance(g, int)]
        summary.units.append(
            UnitCount(
                unit.code,
                unit.name,
                before_total,
                (before_total or 0) + added[group],
                years[0] if years else None,
                " ".join(words),
                labels.get(group, ""),
            )
        )


def _word(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)


def dry_run(
    engine: Engine,
    kind: Kind,
    data: bytes,
    *,
    file_name: str,
    scope: Scope,
    today: dt.date | None = None,
    user_id: int | None = None,
    username: str | None = None,
    remote_addr: str | None = None,
) -> Summary:
    """What importing the file would do, and every problem; no fact written
    (ImportRefused when ``scope`` may not import at all).  A refused file is
    audited (``REFUSED``)."""
    with engine.connect() as conn:
        summary = _plan(conn, kind, data, file_name, scope, today).summary
    if not summary.ok:
        with transaction(engine) as session:
            _audit_refused(session, summary, user_id, username, remote_addr, True)
    return summary


def _audit_refused(
    session: Session,
    summary: Summary,
    user_id: int | None,
    username: str | None,
    remote_addr: str | None,
    dry: bool,
) -> None:
    """The audit entry of a refused file: its kind, name, SHA-256 and how many
    problems and rows; no value of the file (a refused file may hold what must
    not be stored)."""
    audit.record(
        session,
        REFUSED,
        user_id=user_id,
        username=username,
        detail={
            "kind": summary.kind,
            "file": summary.file_name[:255],
            "sha256": summary.sha256,
            "problems": summary.problem_count,
            "rows": summary.rows,
            "refused": summary.refused,
            "dry_run": dry,
        },
        remote_addr=remote_addr,
    )


def _write(session: Session, plan: Plan) -> None:
    store = plan.kind.store
    if store.writer is not None:
        store.writer(session, plan)
        return
    model = store.model
    for chunk in _chunks(plan.inserts):
        write(session, insert(model), list(chunk))
    for chunk in _chunks(plan.updates):
        write(session, update(model), list(chunk))
    if model is Incident and plan.units:  # the month summary the map reads
        refresh_incidents(session, plan.units)


def _detail(summary: Summary, kind: Kind) -> dict[str, Any]:
    where = "commune" if kind.communes_only else "unit"
    return {
        "kind": summary.kind,
        "file": summary.file_name[:255],
        "sha256": summary.sha256,
        **summary.counts(),
        "changes": [
            {
                "row": c.row,
                kind.store.ref: c.ref,
                where: c.unit,
                "before": c.before,
                "after": c.after,
            }
            for c in summary.changes
        ],
        **(
            {
                "restated": [
                    {
                        "commune": r.unit,
                        "round_date": _word(r.round_date),
                        "before": r.before,
                        "after": r.after,
                    }
                    for r in summary.restated
                ]
            }
            if summary.restated
            else {}
        ),
    }


def apply(
    engine: Engine,
    kind: Kind,
    data: bytes,
    *,
    file_name: str,
    scope: Scope,
    user_id: int | None,
    username: str | None,
    remote_addr: str | None = None,
    today: dt.date | None = None,
) -> Summary:
    """Check the file and, when it has no problem, write it in one transaction
    (``Summary.written``); with any problem nothing is written."""
    check_role(scope)
    with transaction(engine) as session:
        lock(session, "fact_import", kind.table)  # read and write alone
        plan = _plan(session, kind, data, file_name, scope, today)
        summary = plan.summary
        if not summary.ok:
            _audit_refused(session, summary, user_id, username, remote_addr, False)
            return summary
        _write(session, plan)
        if plan.inserts or plan.updates:
            record_facts_changed(session)
        audit.record(
            session,
            "facts_import",
            user_id=user_id,
            username=username,
            detail=_detail(summary, kind),
            remote_addr=remote_addr,
        )
        summary.written = True
    if plan.inserts or plan.updates:
        refresh_statistics(engine, kind.table)
    return summary
