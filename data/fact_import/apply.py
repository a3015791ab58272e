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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Engine, cast, func, select, tuple_, update
from sqlalchemy.orm import Session

from data import audit, demo_marks
from data.db import (
    Runner,
    insert_many,
    lock,
    read_rows,
    refresh_statistics,
    transaction,
    write,
)
from data.fact_import.check import Record, Units, check_role
from data.fact_import.read import Data, Layout, open_rows, sha256_of
from data.fact_import.spec import MAX_LISTED, PAGE, FileLimits, Kind, Store
from data.metrics import summary as kept_sums
from data.metrics.dataset import record_facts_changed
from data.periods import today_vn
from data.problems import Problem
from data.scope import Scope

CHUNK = 1_000  # keys asked at once
CHUNK_RECORDS = 5_000  # rows of a file compared (and written) at once
CHANGES_KEPT = 10_000  # changed rows held for the file's audit entry
REFUSED = "facts_import_refused"  # the audit action of a refused file
CHANGES = "facts_import_changes"  # the audit of changes beyond CHANGES_KEPT
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
    keys = sorted({tuple(r.values[k] for k in store.key) for r in records}, key=str)
    columns = [table.c[k] for k in store.key]
    if store.ident is not None:
        columns.insert(0, table.c[store.ident])
    columns += [table.c[name] for name in store.fields if name in table.c]
    # by the whole natural key: its unique index answers each (the reference
    # alone is not indexed: asking by it scans the table)
    keyed = tuple_(*(table.c[k] for k in store.key))
    for chunk in _chunks(keys):
        stmt = select(*columns).where(keyed.in_(chunk))
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
    # per summary group: what the file adds, its label, the stored total before
    added: dict[tuple[Any, ...], int | float] = field(default_factory=dict)
    labels: dict[tuple[Any, ...], str] = field(default_factory=dict)
    before: dict[tuple[Any, ...], int | float] = field(default_factory=dict)
    counted: set[int] = field(default_factory=set)  # units whose totals are read
    changes_flushed: int = 0  # changes already audited in continuation entries


Progress = Callable[[int], None]  # told the rows read so far, chunk by chunk


class _Refused(Exception):
    """The file had a problem: what the import wrote is rolled back."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(plan.summary.file_name)
        self.plan = plan


def _plan(
    runner: Runner,
    kind: Kind,
    data: Data,
    file_name: str,
    scope: Scope,
    today: dt.date | None,
    *,
    limits: FileLimits = PAGE,
    session: Session | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read, check and compare every row.  With ``session`` (an import), the
    rows of a kind that is streamed (no rule over the whole file) are written
    chunk by chunk as long as no problem has been met; the caller rolls back
    when one is met later.  Other kinds are written by the caller, once."""
    check_role(scope)
    summary = Summary(kind.name, file_name, sha256_of(data), measure=kind.measure)
    plan = Plan(kind, summary, scope)
    file_problems: list[Problem] = []
    opened = open_rows(data, file_name, kind, file_problems, limits)
    if opened is None:
        summary.add(file_problems)
        return plan
    layout, rows = opened
    units = Units.load(runner, scope, kind.levels)
    check = kind.checker(kind, layout, units, today or today_vn())
    streamed = kind.foresee is None
    records: list[Record] = []
    for raw in rows:
        summary.rows += 1
        record, problems = check(raw)
        if problems:
            summary.refused += 1
            summary.add(problems)
        elif record is not None:
            records.append(record)
        if streamed and len(records) >= CHUNK_RECORDS:
            _chunk(runner, plan, layout, units, records, session, forget=True)
            records = []
            if progress is not None:
                progress(summary.rows)
    _chunk(
        runner,
        plan,
        layout,
        units,
        records,
        session if streamed else None,
        forget=streamed,
    )
    if progress is not None:
        progress(summary.rows)
    if file_problems:  # met while reading (a broken line, too many rows): first
        _first(summary, file_problems)
    if summary.demo:  # demo and real facts are never mixed: said first
        _first(
            summary,
            [
                Problem(
                    "demo_held", {"province": p.name, "code": p.code, "tree": p.tree}
                )
                for p in summary.demo
            ],
        )
    _summarise(plan, units)
    if kind.foresee is not None and summary.ok:
        kind.foresee(runner, plan, units)
    return plan


def _first(summary: Summary, problems: list[Problem]) -> None:
    """``problems`` listed before those already listed."""
    listed, counted = summary.problems, summary.problem_count
    summary.problems, summary.problem_count = [], 0
    summary.add(problems)
    summary.add(listed)
    summary.problem_count += counted - len(listed)


def _chunk(
    runner: Runner,
    plan: Plan,
    layout: Layout,
    units: Units,
    records: list[Record],
    session: Session | None,
    forget: bool = False,
) -> None:
    """Check ``records`` against what is stored, compare them, and (with
    ``session``, while the file has no problem) write them; ``forget``: a
    dry run of a streamed kind keeps no row once compared (bounded memory)."""
    kind, summary = plan.kind, plan.summary
    if not records:
        return
    if kind.vet is not None:  # against what is stored
        found = kind.vet(runner, plan.scope, layout, units, records)
        for record in records:
            if found.get(record.row):
                summary.refused += 1
                summary.add(found[record.row])
        records = [r for r in records if not found.get(r.row)]
    _hold_demo(runner, summary, records)
    _compare(runner, plan, records, units)
    if session is not None and summary.ok and not summary.demo:
        _write_rows(session, plan)
        _flush_changes(session, plan)
    elif session is None and len(summary.changes) > CHANGES_KEPT:
        del summary.changes[CHANGES_KEPT:]  # a dry run shows the first ones
    if session is None and forget:  # a dry run: counted, nothing to write later
        plan.inserts, plan.updates = [], []


def _hold_demo(runner: Runner, summary: Summary, records: Sequence[Record]) -> None:
    """The provinces of ``records`` that still hold demo facts, added to those
    already found."""
    known = {p.code for p in summary.demo}
    for held in demo_marks.holding(runner, [r.values["unit_id"] for r in records]):
        if held.code not in known:
            summary.demo.append(held)
            known.add(held.code)


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
    # the stored totals of the records' units, read before any of their rows
    # is written
    fresh_units = sorted({r.values["unit_id"] for r in records} - plan.counted)
    plan.before.update(_totals(runner, store, fresh_units))
    plan.counted.update(fresh_units)

    def measure(values: Any) -> int | float:
        if store.measure is None:
            return 1
        value = values[store.measure] or 0
        return int(value) if store.whole else float(value)

    added = plan.added
    for record in records:
        values = record.values
        group = tuple(values[g] for g in store.group)
        added.setdefault(group, 0)
        if store.label is not None:
            plan.labels[group] = str(values[store.label])
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


def _summarise(plan: Plan, units: Units) -> None:
    """One line per summary group: its stored total before and after."""
    store, summary = plan.kind.store, plan.summary
    for group in sorted(plan.added):
        unit = units.by_id[group[0]]
        before_total = plan.before.get(group)
        if before_total is None and not store.none_when_absent:
            before_total = 0
        years = [g for g in group[1:] if isinstance(g, int)]
        words = [_word(g) for g in group[1:] if not isinstance(g, int)]
        summary.units.append(
            UnitCount(
                unit.code,
                unit.name,
                before_total,
                (before_total or 0) + plan.added[group],
                years[0] if years else None,
                " ".join(words),
                plan.labels.get(group, ""),
            )
        )


def _word(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)


def dry_run(
    engine: Engine,
    kind: Kind,
    data: Data,
    *,
    file_name: str,
    scope: Scope,
    today: dt.date | None = None,
    user_id: int | None = None,
    username: str | None = None,
    remote_addr: str | None = None,
    limits: FileLimits = PAGE,
    progress: Progress | None = None,
) -> Summary:
    """What importing the file would do, and every problem; no fact written
    (ImportRefused when ``scope`` may not import at all).  A refused file is
    audited (``REFUSED``).  ``data``: an upload's bytes or a ``Source`` on disk
    (read as it is streamed); ``progress`` is told the rows read, chunk by
    chunk."""
    with engine.connect() as conn:
        summary = _plan(
            conn,
            kind,
            data,
            file_name,
            scope,
            today,
            limits=limits,
            progress=progress,
        ).summary
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


def _write_rows(session: Session, plan: Plan) -> None:
    """The plan's new and changed rows (then forgotten): new rows of a plain
    table by ``insert_many`` (COPY on PostgreSQL), changed ones by UPDATE."""
    store = plan.kind.store
    if store.writer is not None:
        store.writer(session, plan)
    else:
        insert_many(session, store.table, plan.inserts)
        for chunk in _chunks(plan.updates):
            write(session, update(store.model), list(chunk))
    plan.inserts, plan.updates = [], []


def _flush_changes(session: Session, plan: Plan) -> None:
    """Changes beyond the first ``CHANGES_KEPT`` audited now, in entries of
    their own (``facts_import_changes``), so that a large correction file is
    not held in memory: the file's entry says how many followed."""
    summary = plan.summary
    if len(summary.changes) <= CHANGES_KEPT:
        return
    later = summary.changes[CHANGES_KEPT:]
    del summary.changes[CHANGES_KEPT:]
    where = "commune" if plan.kind.communes_only else "unit"
    audit.record(
        session,
        CHANGES,
        detail={
            "kind": summary.kind,
            "sha256": summary.sha256,
            "changes": [_change(c, plan.kind, where) for c in later],
        },
    )
    plan.changes_flushed += len(later)


def _change(change: Change, kind: Kind, where: str) -> dict[str, Any]:
    return {
        "row": change.row,
        kind.store.ref: change.ref,
        where: change.unit,
        "before": change.before,
        "after": change.after,
    }


def _detail(summary: Summary, kind: Kind) -> dict[str, Any]:
    where = "commune" if kind.communes_only else "unit"
    return {
        "kind": summary.kind,
        "file": summary.file_name[:255],
        "sha256": summary.sha256,
        **summary.counts(),
        "changes": [_change(c, kind, where) for c in summary.changes],
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
    data: Data,
    *,
    file_name: str,
    scope: Scope,
    user_id: int | None,
    username: str | None,
    remote_addr: str | None = None,
    today: dt.date | None = None,
    limits: FileLimits = PAGE,
    progress: Progress | None = None,
) -> Summary:
    """Check the file and, when it has no problem, write it in one transaction
    (``Summary.written``); with any problem nothing is written.  Rows are
    written chunk by chunk as they are checked (``_plan``): a problem met in a
    later row rolls the whole transaction back."""
    check_role(scope)
    kept = kept_sums.kept_for(kind.table)  # the sums the map reads, if any
    try:
        with transaction(engine) as session:
            lock(session, "fact_import", kind.table)  # read and write alone
            plan = _plan(
                session,
                kind,
                data,
                file_name,
                scope,
                today,
                limits=limits,
                session=session,
                progress=progress,
            )
            summary = plan.summary
            if not summary.ok:
                raise _Refused(plan)
            _write_rows(session, plan)  # a kind written once; else the last rows
            changed = bool(summary.new or summary.updated)
            if kept is not None and plan.units:
                kept_sums.refresh(session, kept, plan.units)
            if changed:
                record_facts_changed(session)
            detail = _detail(summary, kind)
            if plan.changes_flushed:
                detail["changes_continued"] = plan.changes_flushed
            audit.record(
                session,
                "facts_import",
                user_id=user_id,
                username=username,
                detail=detail,
                remote_addr=remote_addr,
            )
            summary.written = True
    except _Refused as refused:
        summary = refused.plan.summary
        with transaction(engine) as session:
            _audit_refused(session, summary, user_id, username, remote_addr, False)
        return summary
    if changed:
        refresh_statistics(engine, kind.table)
        if kept is not None:
            refresh_statistics(engine, kept.name)
    return summary
