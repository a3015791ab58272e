"""The dry run and the import of a file of incident cases.

``dry_run`` reads and checks every row and compares the good ones with the
database by commune and case reference: new, updated (some field differs),
unchanged; it writes nothing.  ``apply`` does the same inside one transaction,
under a lock that keeps two imports apart, and writes only when the file has no
problem at all: the new cases and the changed fields (in chunks), one audit
entry ``facts_import`` (kind, file, SHA-256, counts, and for each updated case
its fields before and after), and a new facts version so cached views refresh.
A file imported again changes nothing: every case is unchanged, no fact is
written and the facts version stays; its audit entry says so (zero new, zero
updated).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from data import audit, demo_marks
from data.db import Runner, lock, read_rows, refresh_statistics, transaction, write
from data.fact_import.check import Case, RowCheck, Units, check_role
from data.fact_import.read import open_rows
from data.fact_import.spec import MAX_LISTED, Kind
from data.metrics.dataset import record_facts_changed
from data.models import Incident, new_record_key
from data.periods import today_vn
from data.problems import Problem
from data.scope import Scope

FIELDS = (
    "occurred_on",
    "category",
    "type_code",
    "sex",
    "age_band",
    "environment",
    "intent",
    "outcome",
    "supported_in_time",
)
CHUNK = 1_000
_incident = Incident.__table__
T = TypeVar("T")


@dataclass(frozen=True)
class CommuneCount:
    code: str
    name: str
    before: int  # cases recorded in the commune now
    after: int  # and once the file is imported


@dataclass(frozen=True)
class Change:
    """An updated case: the fields that differ, before and after."""

    row: int
    case_ref: str
    commune: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class Summary:
    kind: str
    file_name: str
    sha256: str
    rows: int = 0  # non-blank data rows read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0  # rows with a problem
    problems: list[Problem] = field(default_factory=list)  # the first MAX_LISTED
    problem_count: int = 0
    communes: list[CommuneCount] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    written: bool = False
    # provinces of the file's rows that still hold demo facts: refused until
    # their demo is cleared (data.demo.clear)
    demo: list[demo_marks.MarkedProvince] = field(default_factory=list)

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


def _existing(runner: Runner, cases: Sequence[Case]) -> dict[tuple[int, str], Any]:
    """The stored incidents with the file's case references, by (unit, ref)."""
    found: dict[tuple[int, str], Any] = {}
    refs = sorted({c.case_ref for c in cases})
    columns = [_incident.c.id, _incident.c.unit_id, _incident.c.case_ref]
    columns += [_incident.c[name] for name in FIELDS]
    for chunk in _chunks(refs):
        stmt = select(*columns).where(_incident.c.case_ref.in_(chunk))
        for row in read_rows(runner, stmt):
            found[(row.unit_id, row.case_ref)] = row
    return found


def _counts(runner: Runner, unit_ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(unit_ids):
        stmt = (
            select(_incident.c.unit_id, func.count())
            .where(_incident.c.unit_id.in_(chunk))
            .group_by(_incident.c.unit_id)
        )
        found.update({unit: n for unit, n in read_rows(runner, stmt)})
    return found


@dataclass
class Plan:
    summary: Summary
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)


def _plan(
    runner: Runner,
    kind: Kind,
    data: bytes,
    file_name: str,
    scope: Scope,
    today: dt.date | None,
) -> Plan:
    check_role(scope)
    summary = Summary(kind.name, file_name, hashlib.sha256(data).hexdigest())
    plan = Plan(summary)
    file_problems: list[Problem] = []
    opened = open_rows(data, file_name, kind, file_problems)
    if opened is None:
        summary.add(file_problems)
        return plan
    layout, rows = opened
    units = Units.load(runner, scope)
    check = RowCheck(kind, layout, units, today or today_vn())
    cases: list[Case] = []
    for raw in rows:
        summary.rows += 1
        case, problems = check(raw)
        if problems:
            summary.refused += 1
            summary.add(problems)
        elif case is not None:
            cases.append(case)
    if file_problems:  # met while reading (a broken line, too many rows): first
        listed, counted = summary.problems, summary.problem_count
        summary.problems, summary.problem_count = [], 0
        summary.add(file_problems)
        summary.add(listed)
        summary.problem_count += counted - len(listed)
    _refuse_demo(runner, summary, cases)
    _compare(runner, plan, cases, units)
    return plan


def _refuse_demo(runner: Runner, summary: Summary, cases: Sequence[Case]) -> None:
    """One problem per province of the file's rows that still holds demo facts
    (listed first): demo and real facts are never mixed."""
    summary.demo = demo_marks.holding(runner, [c.unit_id for c in cases])
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


def _compare(runner: Runner, plan: Plan, cases: Sequence[Case], units: Units) -> None:
    summary = plan.summary
    existing = _existing(runner, cases)
    new_by_unit: dict[int, int] = {}
    for case in cases:
        stored = existing.get((case.unit_id, case.case_ref))
        if stored is None:
            summary.new += 1
            new_by_unit[case.unit_id] = new_by_unit.get(case.unit_id, 0) + 1
            plan.inserts.append(
                {
                    "unit_id": case.unit_id,
                    "case_ref": case.case_ref,
                    "record_key": new_record_key(),
                    **case.fields,
                }
            )
            continue
        before = {k: getattr(stored, k) for k in FIELDS}
        differ = [k for k in FIELDS if before[k] != case.fields[k]]
        if not differ:
            summary.unchanged += 1
            continue
        summary.updated += 1
        plan.updates.append({"id": stored.id, **case.fields})
        summary.changes.append(
            Change(
                case.row,
                case.case_ref,
                units.by_id[case.unit_id].code,
                {k: before[k] for k in differ},
                {k: case.fields[k] for k in differ},
            )
        )
    touched = sorted({c.unit_id for c in cases})
    now = _counts(runner, touched)
    summary.communes = [
        CommuneCount(
            units.by_id[u].code,
            units.by_id[u].name,
            now.get(u, 0),
            now.get(u, 0) + new_by_unit.get(u, 0),
        )
        for u in touched
    ]


def dry_run(
    engine: Engine,
    kind: Kind,
    data: bytes,
    *,
    file_name: str,
    scope: Scope,
    today: dt.date | None = None,
) -> Summary:
    """What importing the file would do, and every problem; nothing written
    (ImportRefused when ``scope`` may not import at all)."""
    with engine.connect() as conn:
        return _plan(conn, kind, data, file_name, scope, today).summary


def _write(session: Session, plan: Plan) -> None:
    for chunk in _chunks(plan.inserts):
        write(session, insert(Incident), list(chunk))
    for chunk in _chunks(plan.updates):
        write(session, update(Incident), list(chunk))


def _detail(summary: Summary) -> dict[str, Any]:
    return {
        "kind": summary.kind,
        "file": summary.file_name[:255],
        "sha256": summary.sha256,
        **summary.counts(),
        "changes": [
            {
                "row": c.row,
                "case_ref": c.case_ref,
                "commune": c.commune,
                "before": c.before,
                "after": c.after,
            }
            for c in summary.changes
        ],
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
            return summary
        _write(session, plan)
        if plan.inserts or plan.updates:
            record_facts_changed(session)
        audit.record(
            session,
            "facts_import",
            user_id=user_id,
            username=username,
            detail=_detail(summary),
            remote_addr=remote_addr,
        )
        summary.written = True
    if plan.inserts or plan.updates:
        refresh_statistics(engine, kind.table)
    return summary
