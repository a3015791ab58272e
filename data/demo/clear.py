"""Clearing the demo's facts of one province, before it imports its own.

``count_province`` says what would be removed (rows per table), nothing written;
``clear_province`` removes it in the caller's transaction, audited
(``demo_cleared`` with the counts), and moves the facts version on.  Only a
province still marked as holding demo facts (``data.demo_marks``) is cleared: a
province cleared once, or never seeded, is refused (``ProblemError``).

Which rows are the demo's, per table, among the rows of the province's units
(the province, its districts, their communes):

- ``incident``: cases without a case reference (an imported case always has
  one, ``data.fact_import``);
- ``report_submission``: submissions without the uploaded workbook (a report
  submitted on the reports page or the command line always keeps its file,
  ``data.submissions``), with their figures and sign-off steps;
- ``fund_target``, ``fund_contribution``, ``child_friendly_assessment`` (and its
  ``child_friendly_score`` rows), ``indicator_target``, ``indicator_value``:
  every row, since nothing is imported into a province that holds demo facts;
- kept: the reporting calendar (``report_schedule``: the obligations, loaded
  with the real calendar too), published ranks (entered by hand), the
  indicator definitions and the units' children counts (the only population
  figures there are; ``admin_unit.children_source`` says "demo").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from data import audit, demo_marks
from data.db import Runner, lock, read_one, read_scalar, read_scalars, write
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import KEPT, refresh
from data.models import (
    AdminUnit,
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    FundTarget,
    Incident,
    IndicatorTarget,
    IndicatorValue,
    Meta,
    ReportApproval,
    ReportFigure,
    ReportFile,
    ReportSubmission,
)
from data.problems import ProblemError
from data.scope import FULL_ROLES, Scope

# the tables cleared, in deleting order (rows that point at others first)
TABLES = (
    "child_friendly_score",
    "child_friendly_assessment",
    "fund_contribution",
    "fund_target",
    "incident",
    "report_approval",
    "report_figure",
    "report_submission",
    "indicator_value",
    "indicator_target",
)
_unit = AdminUnit.__table__


@dataclass(frozen=True)
class Clearing:
    """What clearing a province's demo removes (or removed): rows per table."""

    province_id: int
    tree: str
    code: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def may_clear(scope: Scope | None) -> bool:
    """Whether ``scope`` may clear a province's demo: admins and the province."""
    return scope is not None and scope.role in FULL_ROLES


def _province(runner: Runner, code: str, tree: str) -> Any:
    row = read_one(
        runner,
        select(_unit.c.id, _unit.c.code, _unit.c.name, _unit.c.tree).where(
            _unit.c.tree == tree, _unit.c.code == code, _unit.c.level == "province"
        ),
    )
    if row is None:
        raise ProblemError("demo_province_unknown", code=code, tree=tree)
    if not any(p.id == row.id for p in demo_marks.marked(runner)):
        raise ProblemError("demo_not_held", province=row.name, code=code, tree=tree)
    return row


def _units(province_id: int) -> Any:
    """The ids of the province and every unit under it (two levels down)."""
    districts = select(_unit.c.id).where(_unit.c.parent_id == province_id)
    return select(_unit.c.id).where(
        or_(
            _unit.c.id == province_id,
            _unit.c.parent_id == province_id,
            _unit.c.parent_id.in_(districts),
        )
    )


def _demo_submissions(units: Any) -> ColumnElement[bool]:
    sent = ReportSubmission.__table__
    kept = exists().where(ReportFile.__table__.c.submission_id == sent.c.id)
    return and_(sent.c.unit_id.in_(units), ~kept)


def _conditions(province_id: int) -> dict[str, tuple[Any, ColumnElement[bool]]]:
    """Each table and the condition its demo rows meet."""
    units = _units(province_id)
    cfa = ChildFriendlyAssessment.__table__
    sent = ReportSubmission.__table__
    demo_sent = select(sent.c.id).where(_demo_submissions(units))
    return {
        "child_friendly_score": (
            ChildFriendlyScore.__table__,
            ChildFriendlyScore.__table__.c.assessment_id.in_(
                select(cfa.c.id).where(cfa.c.unit_id.in_(units))
            ),
        ),
        "child_friendly_assessment": (cfa, cfa.c.unit_id.in_(units)),
        "fund_contribution": (
            FundContribution.__table__,
            FundContribution.__table__.c.unit_id.in_(units),
        ),
        "fund_target": (
            FundTarget.__table__,
            FundTarget.__table__.c.unit_id.in_(units),
        ),
        "incident": (
            Incident.__table__,
            and_(
                Incident.__table__.c.unit_id.in_(units),
                Incident.__table__.c.case_ref.is_(None),
            ),
        ),
        "report_approval": (
            ReportApproval.__table__,
            ReportApproval.__table__.c.submission_id.in_(demo_sent),
        ),
        "report_figure": (
            ReportFigure.__table__,
            ReportFigure.__table__.c.submission_id.in_(demo_sent),
        ),
        "report_submission": (sent, _demo_submissions(units)),
        "indicator_value": (
            IndicatorValue.__table__,
            IndicatorValue.__table__.c.unit_id.in_(units),
        ),
        "indicator_target": (
            IndicatorTarget.__table__,
            IndicatorTarget.__table__.c.unit_id.in_(units),
        ),
    }


def _count(runner: Runner, province_id: int) -> dict[str, int]:
    return {
        name: int(
            read_scalar(runner, select(func.count()).select_from(table).where(where))
        )
        for name, (table, where) in _conditions(province_id).items()
    }


def count_province(
    runner: Connection | Session, province_code: str, tree: str = "legacy"
) -> Clearing:
    """What clearing the demo of ``province_code`` (of ``tree``) would remove:
    rows per table; nothing written (ProblemError when the province is unknown
    or holds no demo facts)."""
    row = _province(runner, province_code, tree)
    return Clearing(row.id, row.tree, row.code, row.name, _count(runner, row.id))


def clear_province(
    session: Session,
    province_code: str,
    tree: str = "legacy",
    *,
    user_id: int | None = None,
    username: str | None = None,
    remote_addr: str | None = None,
) -> Clearing:
    """Delete the demo's facts of ``province_code`` (of ``tree``) in the
    session's transaction, unmark it, audit ``demo_cleared`` with the counts
    and move the facts version on.  When no province holds demo facts any
    more, the ``meta`` keys of the demo go too."""
    first = _province(session, province_code, tree)
    lock(session, "demo_clear", first.id)  # two clears of one province: one counts
    row = _province(session, province_code, tree)
    conditions = _conditions(row.id)
    counts: dict[str, int] = {}
    for name in TABLES:
        table, where = conditions[name]
        result = write(session, delete(table).where(where))
        counts[name] = int(result.rowcount or 0)
    # the sums the map reads follow, in this transaction
    emptied = [kept for kept in KEPT if counts.get(kept.source.name)]
    if emptied:
        units = read_scalars(session, _units(row.id))
        for kept in emptied:
            refresh(session, kept, units)
    demo_marks.unmark(session, row.id)
    if not demo_marks.marked(session):
        write(session, delete(Meta).where(Meta.key.in_(["demo_seed", "demo_years"])))
    record_facts_changed(session)
    audit.record(
        session,
        "demo_cleared",
        user_id=user_id,
        username=username,
        detail={"province": row.code, "tree": row.tree, "name": row.name, **counts},
        remote_addr=remote_addr,
    )
    return Clearing(row.id, row.tree, row.code, row.name, counts)


__all__ = ["TABLES", "Clearing", "clear_province", "count_province", "may_clear"]
