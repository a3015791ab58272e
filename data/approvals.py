"""The sign-off (phê duyệt) of submitted reports, as DHIS2's data approval does it.

Who signs off a report (``approver``): the office the report goes to.  A
commune's report addressed to its district (the calendar's ``to_level``, before
the July-2025 reform) is signed off by that district office, as long as the
district still existed on the report's due date; every other report -- a
district's, a commune's after the reform, one whose district was abolished before
its due date -- by the province department (roles ``province`` and ``admin``).
A commune office and a meeting room (``viewer``) sign off nothing.

Each submitted version carries its state (``report_submission.approval``):

- ``pending`` (chờ phê duyệt): sent, no decision yet; the approver may approve it
  or return it with a reason (trả lại, kèm lý do);
- ``returned`` (đã trả lại): the submitter is to send a new version, which is
  pending in turn;
- ``approved`` (đã phê duyệt): the report is locked -- no new version is taken
  (``data.submissions.Locked``) until the approval is withdrawn, with a reason, by
  the approver or a level above (the province for a district's sign-off); the
  version is then pending again, and a new version may be sent.

Only the latest version of a report is decided on: a version replaced by a newer
one is superseded.  Every step (``report_approval``: which version, what, who,
when, the comment; for an approval the outlier flags the approver was shown,
``data.outliers``, which never block it) is kept, written to the audit log and
shown in the report's history.  A refusal (outside the user's area, approved
twice, a superseded version, no reason) is an ``ApprovalError`` naming why;
nothing is written.

Decisions on one report run one at a time, under the lock uploads of that report
take (``data.db.lock``), and each writes its state with a conditional UPDATE: of
two approvers acting at once one wins, the other is told the report was decided.

Whether figures not yet approved count on the map, the ranking and the review
(``data.metrics.reported``) is the engine's execution option
``COUNT_UNAPPROVED_OPTION`` (the app's setting ``COUNT_UNAPPROVED``; default: they
count, and the map marks them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    and_,
    case,
    func,
    insert,
    not_,
    or_,
    select,
    true,
    update,
)

from data import audit
from data.db import (
    AnySelect,
    as_utc,
    kept,
    lock,
    read_one,
    read_rows,
    read_scalar,
    transaction,
    write,
)
from data.models import (
    AdminUnit,
    ReportApproval,
    ReportSchedule,
    ReportSubmission,
)
from data.problems import ProblemError
from data.scope import FULL_ROLES, Scope
from data.vocabulary import APPROVAL_ACTIONS, APPROVAL_STATES

PENDING, APPROVED, RETURNED = APPROVAL_STATES
APPROVE, RETURN, WITHDRAW = APPROVAL_ACTIONS
COMMENT_MAX = 1000  # characters of a reason
FLAGS_AUDITED = 20  # outlier flags seen that an approval's audit row names
# the engine's execution option that says whether unapproved figures count
COUNT_UNAPPROVED_OPTION = "cpd_count_unapproved"
# the state a step leaves a version in, and the state it must find
_AFTER = {APPROVE: APPROVED, RETURN: RETURNED, WITHDRAW: PENDING}
_AUDIT = {
    APPROVE: "report_approved",
    RETURN: "report_returned",
    WITHDRAW: "report_approval_withdrawn",
}

_sent = ReportSubmission.__table__
_step = ReportApproval.__table__
_schedule = ReportSchedule.__table__
_unit = AdminUnit.__table__


class ApprovalError(ProblemError):
    """A decision refused (``code``: an ``approval_*`` message); nothing written."""


@dataclass(frozen=True)
class Approver:
    """Who signs a report off: a district office (``unit_id``) or the province
    department (``unit_id`` None)."""

    level: str  # "district" | "province"
    unit_id: int | None = None
    name: str | None = None  # the district's


@dataclass(frozen=True)
class Report:
    """A report's latest version and its sign-off."""

    schedule_id: int
    unit_id: int
    submission_id: int
    version: int
    state: str
    approver: Approver


@dataclass(frozen=True)
class Step:
    """A decision just taken."""

    schedule_id: int
    unit_id: int
    submission_id: int
    version: int
    action: str
    at: dt.datetime
    comment: str | None


def counts_unapproved(conn: Connection) -> bool:
    """Whether figures of versions not approved count (the connection's engine
    option ``COUNT_UNAPPROVED_OPTION``; default True)."""
    return bool(conn.get_execution_options().get(COUNT_UNAPPROVED_OPTION, True))


def _district_signs(schedule: FromClause, parent: FromClause) -> ColumnElement[bool]:
    """SQL: the report goes to the reporting unit's district (``parent``), which
    existed on its due date."""
    return and_(
        schedule.c.to_level == "district",
        parent.c.level == "district",
        or_(parent.c.valid_to.is_(None), parent.c.valid_to >= schedule.c.due_date),
    )


def district_signs(schedule: FromClause, parent: FromClause) -> ColumnElement[bool]:
    """SQL: the report goes to, and is signed off by, the reporting unit's
    district office (``parent``); else by the province department."""
    return _district_signs(schedule, parent)


def _awaits(
    scope: Scope, schedule: FromClause, unit: FromClause, parent: FromClause
) -> ColumnElement[bool] | None:
    """SQL: the reports ``scope`` is the approver of (None: it signs off none)."""
    district = _district_signs(schedule, parent)
    if scope.role in FULL_ROLES:
        return not_(district)
    if scope.role == "district" and scope.unit_id is not None:
        return and_(district, unit.c.parent_id == scope.unit_id)
    return None


def approver(conn: Connection, schedule_id: int, unit_id: int) -> Approver | None:
    """Who signs off the report of ``unit_id`` under ``schedule_id`` (None: no
    such report or unit)."""
    parent = _unit.alias("parent")
    row = read_one(
        conn,
        select(
            parent.c.id.label("district_id"),
            parent.c.name.label("district_name"),
            _district_signs(_schedule, parent).label("district"),
        )
        .select_from(
            _schedule.join(_unit, true()).outerjoin(
                parent, parent.c.id == _unit.c.parent_id
            )
        )
        .where(_schedule.c.id == schedule_id, _unit.c.id == unit_id),
    )
    if row is None:
        return None
    if row.district:
        return Approver("district", int(row.district_id), row.district_name)
    return Approver("province")


def is_approver(scope: Scope) -> bool:
    """Whether ``scope`` signs off any report (district and province offices)."""
    return scope.role in FULL_ROLES or (
        scope.role == "district" and scope.unit_id is not None
    )


def may_decide(scope: Scope, signer: Approver) -> bool:
    """Whether ``scope`` may approve or return a report signed off by ``signer``."""
    if signer.level == "district":
        return scope.role == "district" and scope.unit_id == signer.unit_id
    return scope.role in FULL_ROLES


def may_withdraw(scope: Scope, signer: Approver) -> bool:
    """Whether ``scope`` may withdraw an approval by ``signer``: the approver, or
    a level above (the province department above a district office)."""
    return may_decide(scope, signer) or scope.role in FULL_ROLES


def report(conn: Connection, schedule_id: int, unit_id: int) -> Report | None:
    """The report's latest version and its sign-off (None: nothing sent)."""
    signer = approver(conn, schedule_id, unit_id)
    row = read_one(
        conn,
        select(_sent.c.id, _sent.c.version, _sent.c.approval)
        .where(_sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id)
        .order_by(_sent.c.version.desc())
        .limit(1),
    )
    if row is None or signer is None:
        return None
    return Report(schedule_id, unit_id, row.id, row.version, row.approval, signer)


def steps(conn: Connection, schedule_id: int, unit_id: int) -> list[dict[str, Any]]:
    """Every sign-off step of one report, first first: step, submission id,
    version, action, username, at, comment, the outlier flags seen (an
    approval's; None otherwise)."""
    rows = read_rows(
        conn,
        select(
            _step.c.step,
            _step.c.submission_id,
            _step.c.version,
            _step.c.action,
            _step.c.username,
            _step.c.at,
            _step.c.comment,
            _step.c.flags_seen,
        )
        .where(_step.c.schedule_id == schedule_id, _step.c.unit_id == unit_id)
        .order_by(_step.c.step),
    )
    return [{**r._mapping, "at": as_utc(r.at)} for r in rows]


def _reason(action: str, comment: str | None) -> str | None:
    text = " ".join(str(comment or "").split())
    if action == APPROVE:
        return text or None
    if not text:
        raise ApprovalError(f"approval_reason_required_{action}")
    return text


def decide(
    engine: Engine,
    *,
    submission_id: int,
    action: str,
    scope: Scope,
    user_id: int | None,
    username: str | None = None,
    comment: str | None = None,
    remote_addr: str | None = None,
    now: dt.datetime | None = None,
) -> Step:
    """Approve, return (with a reason) or withdraw the approval of (with a
    reason) one submitted version, as ``scope``; ApprovalError when refused
    (nothing written), ``data.db.Busy`` when another write of the report kept
    it waiting too long.  Written with its step and audit row in one
    transaction; the facts version moves on (the map marks or counts it)."""
    if action not in APPROVAL_ACTIONS:
        raise ValueError(f"not a sign-off action: {action!r}")
    reason = _reason(action, comment)
    if reason is not None and len(reason) > COMMENT_MAX:
        raise ApprovalError("approval_reason_too_long", maximum=COMMENT_MAX)
    with engine.connect() as conn:
        sent = read_one(
            conn,
            select(_sent.c.schedule_id, _sent.c.unit_id, _sent.c.version).where(
                _sent.c.id == submission_id
            ),
        )
        signer = None if sent is None else approver(conn, *sent[:2])
    if sent is None or signer is None:
        raise ApprovalError("approval_not_found")
    allowed = may_withdraw if action == WITHDRAW else may_decide
    if not allowed(scope, signer):
        raise ApprovalError("approval_outside_scope", action=action)
    at = as_utc(now or dt.datetime.now(dt.UTC))
    schedule_id, unit_id, version = sent
    shown = None
    if action == APPROVE:  # the outlier flags the approver sees beside it
        from data import outliers

        with engine.connect() as conn:
            shown = outliers.seen(outliers.flags(conn, submission_id, scope))
    with transaction(engine) as session:
        # one write of this report at a time: uploads take the same lock, so a
        # version is never approved while a newer one is being stored
        lock(session, "report_submission", schedule_id, unit_id)
        latest = read_scalar(
            session,
            select(func.max(_sent.c.version)).where(
                _sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id
            ),
        )
        if latest != version:
            raise ApprovalError("approval_superseded", version=version, latest=latest)
        found = read_scalar(
            session, select(_sent.c.approval).where(_sent.c.id == submission_id)
        )
        _check(action, found, version)
        # the state changes only from the state read: a decision taken in the
        # meantime leaves no row to change
        changed = write(
            session,
            update(_sent)
            .where(_sent.c.id == submission_id, _sent.c.approval == found)
            .values(approval=_AFTER[action]),
        ).rowcount
        if changed != 1:
            raise ApprovalError("approval_changed", version=version)
        last = read_scalar(
            session,
            select(func.max(_step.c.step)).where(
                _step.c.schedule_id == schedule_id, _step.c.unit_id == unit_id
            ),
        )
        write(
            session,
            insert(_step).values(
                schedule_id=schedule_id,
                unit_id=unit_id,
                step=(last or 0) + 1,
                submission_id=submission_id,
                version=version,
                action=action,
                user_id=user_id,
                username=(username or None) and str(username)[:64],
                at=at,
                comment=reason,
                flags_seen=shown,
            ),
        )
        code = read_scalar(session, select(_unit.c.code).where(_unit.c.id == unit_id))
        detail: dict[str, Any] = {
            "schedule": schedule_id,
            "unit": code,
            "version": version,
        }
        if reason is not None:
            detail["comment"] = reason[:300]
        if shown is not None:
            detail["flags_seen"] = len(shown)
            if shown:
                detail["flagged"] = [
                    f"{f['figure']} {f['kind']} {f['direction']}"
                    for f in shown[:FLAGS_AUDITED]
                ]
        audit.record(
            session,
            _AUDIT[action],
            user_id=user_id,
            username=username,
            detail=detail,
            remote_addr=remote_addr,
        )
        from data.metrics.dataset import record_facts_changed

        record_facts_changed(session)
    return Step(schedule_id, unit_id, submission_id, version, action, at, reason)


def _check(action: str, found: str, version: int) -> None:
    """Refuse ``action`` on a version in state ``found``."""
    if action == WITHDRAW:
        if found != APPROVED:
            raise ApprovalError("approval_not_approved", version=version)
        return
    if found == APPROVED:
        raise ApprovalError("approval_already_approved", version=version)
    if found == RETURNED:
        raise ApprovalError("approval_already_returned", version=version)


def locked(session: Any, schedule_id: int, unit_id: int) -> int | None:
    """The approved latest version of a report (None: not locked).  Read by an
    upload under the report's lock (``data.submissions.submit``)."""
    row = read_one(
        session,
        select(_sent.c.version, _sent.c.approval)
        .where(_sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id)
        .order_by(_sent.c.version.desc())
        .limit(1),
    )
    return int(row.version) if row is not None and row.approval == APPROVED else None


def _latest() -> ColumnElement[bool]:
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
    return not_(newer)


def _waiting(scope: Scope) -> AnySelect | None:
    unit, parent = _unit.alias("owing"), _unit.alias("parent")
    awaits = _awaits(scope, _schedule, unit, parent)
    if awaits is None:
        return None
    return (
        select(
            _sent.c.id.label("submission_id"),
            _sent.c.schedule_id,
            _sent.c.unit_id,
            _sent.c.version,
            _sent.c.submitted_at,
            _sent.c.rule_warnings,
            _sent.c.warning_comment,
            _schedule.c.report_type,
            _schedule.c.period_start,
            _schedule.c.period_end,
            _schedule.c.due_date,
            unit.c.code.label("unit_code"),
            unit.c.name.label("unit_name"),
        )
        .select_from(_with_owner(unit, parent))
        .where(_sent.c.approval == PENDING, _latest(), awaits)
    )


def _with_owner(unit: FromClause, parent: FromClause) -> FromClause:
    """The versions sent, with their schedule, the sending ``unit`` and its
    ``parent`` (which of the two offices signs off: ``_district_signs``)."""
    return (
        _sent.join(_schedule, _schedule.c.id == _sent.c.schedule_id)
        .join(unit, unit.c.id == _sent.c.unit_id)
        .outerjoin(parent, parent.c.id == unit.c.parent_id)
    )


def waiting(
    conn: Connection, scope: Scope, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """The reports waiting for ``scope``'s decision (their latest version
    pending), oldest first (``limit`` of them after the first ``offset``):
    submission id, schedule id, unit id, version,
    submitted at, the warning rules it broke (as stored: ``data.validation.
    stored`` reads them) and the submitter's explanation, report type, period,
    due date, unit code and name."""
    stmt = _waiting(scope)
    if stmt is None:
        return []
    stmt = stmt.order_by(_sent.c.submitted_at, _sent.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return [
        {**r._mapping, "submitted_at": as_utc(r.submitted_at)}
        for r in read_rows(conn, stmt)
    ]


def waiting_count(conn: Connection, scope: Scope) -> int | None:
    """How many reports wait for ``scope``'s decision (None: it signs off none)."""
    stmt = _waiting_count(scope)
    if stmt is None:
        return None
    return int(read_scalar(conn, stmt) or 0)


@kept
def _waiting_count(scope: Scope) -> AnySelect | None:
    """``waiting_count``'s statement: every page's header asks it, built once
    per scope."""
    stmt = _waiting(scope)
    if stmt is None:
        return None
    return select(func.count()).select_from(stmt.subquery())


def versions_sent(
    schedule_id: ColumnElement[Any], unit_id: ColumnElement[Any]
) -> ColumnElement[int]:
    """SQL: how many versions of the report (schedule, unit) were sent."""
    return (
        select(func.count())
        .where(_sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id)
        .scalar_subquery()
    )


def sign_off(
    schedule_id: ColumnElement[Any], unit_id: ColumnElement[Any]
) -> ColumnElement[str]:
    """SQL: the sign-off of the report (schedule, unit) as a code of
    ``SIGN_OFF_TERMS`` (NULL: nothing sent): its latest version's state, with
    ``_resubmitted`` when that version came after a return."""
    latest = (
        select(_sent.c.approval)
        .where(_sent.c.schedule_id == schedule_id, _sent.c.unit_id == unit_id)
        .order_by(_sent.c.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    returned = (
        select(_step.c.id)
        .where(
            _step.c.schedule_id == schedule_id,
            _step.c.unit_id == unit_id,
            _step.c.action == RETURN,
        )
        .exists()
    )
    return case(
        (latest == RETURNED, RETURNED),
        (and_(latest == APPROVED, returned), f"{APPROVED}_resubmitted"),
        (and_(latest == PENDING, returned), f"{PENDING}_resubmitted"),
        else_=latest,
    )


DEMO_DECIDED_DAYS = 14  # a demo report older than this was approved
# the province department keeps at least this many of the newest demo reports
# it signs off waiting, more than a page of its queue lists (``callbacks.
# reports_page.QUEUE_SHOWN``), whatever the day
DEMO_PROVINCE_QUEUE = 60


def approve_demo(session: Any, today: dt.date) -> int:
    """Sign off the demo's reports as an office keeps up: the latest version of
    every report sent more than ``DEMO_DECIDED_DAYS`` before ``today`` approved
    (by no account) three days after it came, capped below the cut-off; newer
    ones await a decision, and so do the newest ``DEMO_PROVINCE_QUEUE`` the
    province department signs off (how many came in the last two weeks depends
    on the day: between two deadlines, few).  Run once after the demo's
    submissions are written; how many were approved."""
    cutoff = dt.datetime.combine(
        today - dt.timedelta(days=DEMO_DECIDED_DAYS), dt.time(), tzinfo=dt.UTC
    )
    parent = _unit.alias("parent")
    found = read_rows(
        session,
        select(
            _sent.c.id,
            _sent.c.schedule_id,
            _sent.c.unit_id,
            _sent.c.version,
            _sent.c.submitted_at,
            _district_signs(_schedule, parent).label("district"),
        )
        .select_from(_with_owner(_unit, parent))
        .where(_latest())
        .order_by(_sent.c.submitted_at.desc(), _sent.c.id.desc()),
    )
    kept, rows = 0, []
    for r in found:  # newest first
        province = r.district is not None and not r.district  # as ``_awaits``
        if province and kept < DEMO_PROVINCE_QUEUE:
            kept += 1
        elif as_utc(r.submitted_at) < cutoff:
            rows.append(r)
    steps = [
        {
            "schedule_id": r.schedule_id,
            "unit_id": r.unit_id,
            "step": 1,
            "submission_id": r.id,
            "version": r.version,
            "action": APPROVE,
            "at": min(as_utc(r.submitted_at) + dt.timedelta(days=3), cutoff),
        }
        for r in rows
    ]
    if steps:
        write(session, insert(_step), steps)
        decided = select(_step.c.submission_id)
        write(
            session,
            update(_sent).where(_sent.c.id.in_(decided)).values(approval=APPROVED),
        )
    return len(steps)
