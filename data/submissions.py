"""Reports submitted through the app: the template to fill, the upload that stores
the file and its figures in one transaction, the versions.

A unit owes a schedule when it is of the schedule's ``from_level``, lies under its
jurisdiction and exists on the due date, or existed on the period's last day and
was abolished before the due date (``data.calendar.owes``).  The report of an
abolished unit is filed by its successor (``data.calendar.filers``: for a legacy
commune its default successor, whose commune account may submit it as
``data.scope`` lets it; for a legacy district the province) and recorded against
the abolished unit.  A later upload of the same report is a
new version (1, 2, ...); history is kept.  Timeliness counts the FIRST version (the
first complete report received: an upload that fails the checks stores nothing, so
every stored version is complete), as ``data.metrics.report_timeliness`` does.
A report whose latest version is approved (``data.approvals``) is locked: no new
version is taken (``Locked``) until the approval is withdrawn.
After the form's checks come the validation rules (``data.validation``): a broken
error rule refuses the report as the form's problems do (``FormError``, audited,
nothing stored); broken warning rules need the submitter's explanation
(``NeedsExplanation`` without one), kept with the version beside the warnings.
Uploads of one report at the same moment become successive versions: each takes
its number under a lock on that report (schedule and unit), held until it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    false,
    func,
    insert,
    or_,
    select,
)

from data import approvals, audit, calendar, report_forms, validation
from data.db import (
    as_utc,
    lock,
    read_one,
    read_rows,
    read_scalar,
    read_scalars,
    transaction,
    write,
)
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import refresh_reports
from data.models import (
    AdminUnit,
    ReportFigure,
    ReportFile,
    ReportSchedule,
    ReportSubmission,
)
from data.periods import VN_TZ
from data.problems import Problem, ProblemError
from data.report_forms import Figures, Form
from data.scope import Scope, visible_communes

_unit = AdminUnit.__table__
_schedule = ReportSchedule.__table__
_sent = ReportSubmission.__table__


class NotOwed(ValueError):
    """The unit does not owe this report (or one of them does not exist)."""


class Locked(ProblemError):
    """The report's latest version is approved: a new version needs the approval
    withdrawn first (``data.approvals``); nothing was stored."""


class NeedsExplanation(ValueError):
    """The report breaks warning rules and came without an explanation (or with
    one too long, ``reason``); nothing was stored."""

    def __init__(self, warnings: list[validation.Violation], reason: Problem) -> None:
        self.warnings = list(warnings)
        self.reason = reason
        self.issues = [w.problem() for w in self.warnings]
        super().__init__("\n".join([str(reason), *map(str, self.issues)]))

    def messages(self, lang: str = "vi") -> list[str]:
        """Every warning in words, in ``lang``."""
        return [issue.text(lang) for issue in self.issues]


EXPLANATION_MAX = approvals.COMMENT_MAX  # characters


@dataclass(frozen=True)
class Owed:
    schedule_id: int
    unit_id: int
    form: Form
    deadline_at: dt.datetime
    due_date: dt.date  # as the calendar wrote it
    due_inclusive: bool  # "vào ngày" (True) or "trước ngày"
    basis: str | None = None  # the plan or legal text that requires it
    # the unit was abolished before the due date: from when, and who files for it
    abolished_on: dt.date | None = None
    filer: str | None = None


@dataclass(frozen=True)
class Receipt:
    submission_id: int
    version: int
    submitted_at: dt.datetime
    on_time: bool  # of this version (timeliness counts the first)
    days_late: int | None
    figures: Figures | None = None  # as read from the workbook
    warnings: int = 0  # warning rules broken, explained by the submitter


def _is_under(conn: Connection, unit_id: int, ancestor_id: int) -> bool:
    current: int | None = unit_id
    for _ in range(5):
        if current is None:
            return False
        if current == ancestor_id:
            return True
        current = read_scalar(
            conn, select(_unit.c.parent_id).where(_unit.c.id == current)
        )
    return False


def owed(conn: Connection, schedule_id: int, unit_id: int) -> Owed:
    """The report ``unit_id`` owes under ``schedule_id``; NotOwed otherwise."""
    schedule = read_one(conn, select(_schedule).where(_schedule.c.id == schedule_id))
    unit = read_one(conn, select(_unit).where(_unit.c.id == unit_id))
    if schedule is None or unit is None:
        raise NotOwed("no such report or unit")
    due = schedule.due_date
    exists = calendar.owes(unit.valid_from, unit.valid_to, schedule.period_end, due)
    if unit.level != schedule.from_level or not exists:
        raise NotOwed(f"{unit.name} does not owe this report")
    if not _is_under(conn, unit_id, schedule.jurisdiction_id):
        raise NotOwed(f"{unit.name} is not under this report's jurisdiction")
    form = Form(
        unit_code=unit.code,
        unit_name=unit.name,
        report_type=schedule.report_type,
        start=schedule.period_start,
        end=schedule.period_end,
    )
    abolished_on = filer = None
    if unit.valid_to is not None and _day(unit.valid_to) < _day(due):
        abolished_on = _day(unit.valid_to) + dt.timedelta(days=1)
        found = calendar.filer_of(conn, unit_id)
        filer = found["name"] if found else None
    return Owed(
        schedule_id,
        unit_id,
        form,
        as_utc(schedule.deadline_at),
        due,
        schedule.due_inclusive,
        schedule.basis,
        abolished_on,
        filer,
    )


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _rows(submission_id: int, figures: Figures) -> list[dict[str, Any]]:
    def row(
        section: str,
        code: str,
        value: float,
        sex: str | None = None,
        age: str | None = None,
    ) -> dict[str, Any]:
        return {
            "submission_id": submission_id,
            "section": section,
            "code": code,
            "sex": sex,
            "age_band": age,
            "value": int(value),
        }

    rows = [row("group", code, n) for code, n in figures.groups.items()]
    rows += [
        row("case", code, n, sex, age)
        for (_category, code, sex, age), n in figures.cases.items()
    ]
    rows += [row("fund", kind, amount) for kind, amount in figures.fund.items()]
    for code, (events, children) in figures.activities.items():
        rows += [row("activity_events", code, events)]
        rows += [row("activity_children", code, children)]
    rows.append(row("staff_trained", "STAFF", figures.staff_trained))
    return rows


def days_late(submitted_at: dt.datetime, deadline_at: dt.datetime) -> int | None:
    """Days late counting the first late day (Viet Nam time) as 1; None if on time."""
    if submitted_at < deadline_at:
        return None
    first_late = deadline_at.astimezone(VN_TZ).date()
    return (submitted_at.astimezone(VN_TZ).date() - first_late).days + 1


def submit(
    engine: Engine,
    *,
    schedule_id: int,
    unit_id: int,
    data: bytes,
    file_name: str,
    user_id: int | None,
    remote_addr: str | None = None,
    now: dt.datetime | None = None,
    explanation: str | None = None,
) -> Receipt:
    """Check the workbook (report_forms.FormError, every problem of the form
    and every error rule broken) and store it with its figures as the next
    version, all in one transaction (db.Busy when other uploads of the same
    report kept it waiting too long; Locked when its latest version is
    approved).  Warning rules broken need ``explanation`` (NeedsExplanation),
    stored with the version."""
    with engine.connect() as conn:
        due = owed(conn, schedule_id, unit_id)
    digest = hashlib.sha256(data).hexdigest()

    def refuse(problems: list[str]) -> None:
        refused(
            engine,
            due,
            file_name=file_name,
            size=len(data),
            problems=problems,
            user_id=user_id,
            remote_addr=remote_addr,
            sha256=digest,
        )

    try:
        figures = report_forms.read(data, due.form)  # nothing written before this
        with engine.connect() as conn:
            broken = validation.check(conn, unit_id, due.form.start.year, figures)
        errors = [v.problem() for v in broken if v.importance == validation.ERROR]
        if errors:
            raise report_forms.FormError(errors)
    except report_forms.FormError as exc:
        refuse(exc.problems)
        raise
    warnings = [v for v in broken if v.importance == validation.WARNING]
    explained = (explanation or "").strip() if warnings else ""
    if warnings and (not explained or len(explained) > EXPLANATION_MAX):
        reason = (
            Problem("rules_explanation_required")
            if not explained
            else Problem("rules_explanation_too_long", {"maximum": EXPLANATION_MAX})
        )
        found = NeedsExplanation(warnings, reason)
        refuse([str(reason), *map(str, found.issues)])
        raise found
    at = as_utc(now or dt.datetime.now(dt.UTC))
    with transaction(engine) as session:
        # one upload of this report at a time: the next version is read under
        # the lock, so no two uploads take the same number
        lock(session, "report_submission", schedule_id, unit_id)
        approved = approvals.locked(session, schedule_id, unit_id)
        if approved is not None:
            raise Locked("approval_locked", version=approved)
        top = read_scalar(
            session,
            select(func.max(_sent.c.version)).where(
                _sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id
            ),
        )
        version = (top or 0) + 1
        new_id = write(
            session,
            insert(_sent)
            .values(
                schedule_id=schedule_id,
                unit_id=unit_id,
                version=version,
                submitted_at=at,
                submitted_by_id=user_id,
                file_name=file_name[:255],
                rule_warnings=validation.dumped(warnings),
                warning_comment=explained or None,
            )
            .returning(_sent.c.id),
        ).scalar_one()
        write(
            session,
            insert(ReportFile),
            {
                "submission_id": new_id,
                "file_name": file_name[:255],
                "size": len(data),
                "sha256": digest,
                "content": data,
            },
        )
        write(session, insert(ReportFigure), _rows(new_id, figures))
        if version == 1:  # the first submission decides on time or late
            refresh_reports(session, [unit_id])
        record_facts_changed(session)
        audit.record(
            session,
            "report_submitted",
            user_id=user_id,
            detail={
                "schedule": schedule_id,
                "unit": due.form.unit_code,
                "report": due.form.report_type,
                "version": version,
                "sha256": digest[:16],
                **({"warnings": [v.rule.id for v in warnings]} if warnings else {}),
            },
            remote_addr=remote_addr,
        )
    late = days_late(at, due.deadline_at)
    return Receipt(new_id, version, at, late is None, late, figures, len(warnings))


REASONS_KEPT = 5  # problems of a refused upload written to the audit log


def refused(
    engine: Engine,
    due: Owed,
    *,
    file_name: str,
    size: int,
    problems: list[str],
    user_id: int | None,
    remote_addr: str | None = None,
    sha256: str | None = None,
) -> None:
    """Audit an upload of ``due`` that was refused (nothing else is written):
    which report, which file, and why (the first problems)."""
    detail = {
        "schedule": due.schedule_id,
        "unit": due.form.unit_code,
        "report": due.form.report_type,
        "file": file_name[:255],
        "size": size,
        "problems": len(problems),
        "reason": [p[:300] for p in problems[:REASONS_KEPT]],
    }
    if sha256 is not None:
        detail["sha256"] = sha256[:16]
    with transaction(engine) as session:
        audit.record(
            session,
            "report_refused",
            user_id=user_id,
            detail=detail,
            remote_addr=remote_addr,
        )


def history(conn: Connection, schedule_id: int, unit_id: int) -> list[dict[str, Any]]:
    """Every version of one report, first first (with its sign-off state, and
    the warning rules it broke with the submitter's explanation)."""
    rows = read_rows(
        conn,
        select(
            _sent.c.id,
            _sent.c.version,
            _sent.c.submitted_at,
            _sent.c.file_name,
            _sent.c.submitted_by_id,
            _sent.c.approval,
            _sent.c.rule_warnings,
            _sent.c.warning_comment,
        )
        .where(_sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id)
        .order_by(_sent.c.version),
    )
    return [
        {
            **r._mapping,
            "submitted_at": as_utc(r.submitted_at),
            "rule_warnings": validation.stored(r.rule_warnings),
        }
        for r in rows
    ]


def figures_of(conn: Connection, submission_id: int) -> list[dict[str, Any]]:
    f = ReportFigure.__table__
    rows = read_rows(
        conn,
        select(f.c.section, f.c.code, f.c.sex, f.c.age_band, f.c.value)
        .where(f.c.submission_id == submission_id)
        .order_by(f.c.id),
    )
    return [dict(r._mapping) for r in rows]


def may_submit(conn: Connection, scope: Scope, unit_id: int) -> bool:
    """Whether ``scope`` may submit the reports of ``unit_id``: admins and the
    province for any unit, a district office for itself and its communes, a
    commune office for itself (across the July-2025 reform also the commune its
    own became, as ``data.scope`` has it); meeting rooms never."""
    allowed = _submittable(scope, _unit)
    if allowed is None:
        return True
    stmt = select(_unit.c.id).where(_unit.c.id == unit_id, allowed)
    return read_one(conn, stmt) is not None


def _submittable(scope: Scope, unit: FromClause) -> ColumnElement[bool] | None:
    """SQL condition: the units whose reports ``scope`` may submit (None: all)."""
    visible = visible_communes(scope)
    if visible is None:
        return None
    if scope.unit_id is None or scope.role not in ("district", "commune"):
        return false()
    return or_(unit.c.id == scope.unit_id, unit.c.id.in_(visible))


def choices(conn: Connection, scope: Scope, year: int) -> list[dict[str, Any]]:
    """Every (report, unit) of ``year`` that ``scope`` may submit: schedule id,
    report type, period, due date and rule, its basis, unit id, code and name,
    how many versions were sent, and for a unit abolished before the due date
    the day it was abolished (``abolished_on``) and who files for it
    (``filer``)."""
    s, u = _schedule, _unit.alias("owing")
    filers = calendar.filers()
    p1, p2 = _unit.alias("p1"), _unit.alias("p2")
    under = or_(
        u.c.parent_id == s.c.jurisdiction_id,
        p1.c.parent_id == s.c.jurisdiction_id,
        p2.c.parent_id == s.c.jurisdiction_id,
    )
    sent = (
        select(func.count())
        .where(_sent.c.schedule_id == s.c.id, _sent.c.unit_id == u.c.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            s.c.id.label("schedule_id"),
            s.c.report_type,
            s.c.period_start,
            s.c.period_end,
            s.c.due_date,
            s.c.due_inclusive,
            s.c.deadline_at,
            s.c.basis,
            u.c.id.label("unit_id"),
            u.c.code.label("unit_code"),
            u.c.name.label("unit_name"),
            sent.label("versions"),
            u.c.valid_to,
            calendar.filed_for(u, s).label("filed_for"),
            filers.c.filer_name,
        )
        .select_from(
            s.join(u, calendar.owing(u, s))
            .outerjoin(p1, p1.c.id == u.c.parent_id)
            .outerjoin(p2, p2.c.id == p1.c.parent_id)
            .outerjoin(filers, filers.c.unit_id == u.c.id)
        )
        .where(
            under,
            s.c.due_date >= dt.date(year, 1, 1),
            s.c.due_date <= dt.date(year, 12, 31),
        )
        .order_by(s.c.due_date, s.c.report_type, u.c.code)
    )
    allowed = _submittable(scope, u)
    if allowed is not None:
        stmt = stmt.where(allowed)
    rows = []
    for r in read_rows(conn, stmt):
        row = dict(r._mapping)
        row["deadline_at"] = as_utc(row["deadline_at"])
        valid_to, filed_for = row.pop("valid_to"), bool(row.pop("filed_for"))
        row["abolished_on"] = (
            _day(valid_to) + dt.timedelta(days=1) if filed_for else None
        )
        row["filer"] = row.pop("filer_name") if filed_for else None
        rows.append(row)
    return rows


def find_owed(
    conn: Connection, *, unit_code: str, tree: str, report_type: str, year: int
) -> Owed:
    """The report of type ``report_type`` due in ``year`` that the unit owes (for
    the command line); NotOwed naming what is wrong or ambiguous."""
    unit_id = read_scalar(
        conn, select(_unit.c.id).where(_unit.c.tree == tree, _unit.c.code == unit_code)
    )
    if unit_id is None:
        raise NotOwed(f"no unit {unit_code!r} in the {tree} tree")
    found = [
        c
        for c in choices(conn, Scope("admin"), year)
        if c["unit_id"] == unit_id and c["report_type"] == report_type
    ]
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise NotOwed(f"{what} {report_type} report of {year} owed by {unit_code}")
    return owed(conn, found[0]["schedule_id"], unit_id)


def schedule_years(conn: Connection) -> list[int]:
    """Years with reports due, newest first."""
    dues = read_scalars(conn, select(_schedule.c.due_date).distinct())
    return sorted({int(str(d)[:4]) for d in dues}, reverse=True)
