"""Child-friendly assessments (``child_friendly_assessment``, Quyết định
06/QĐ-TTg): the row's checker, the recognition rule applied to each row, the
stored rows with their scores, and the writer (``data.recognition``'s).

- a row: the round date (from 03/01/2019, when the 13 criteria apply), a
  commune valid on that day inside the importer's area, the 13 criterion scores
  (whole points from 0 to each criterion's maximum) and, once decided, the
  number and date of the district chairman's decision (both or neither; the
  date not before the round, not after today); a commune and round once per
  file;
- the status and the threshold are the rule's (``data.recognition``), never
  the file's: the commune's tier by its kind, recognised when the total reaches
  it with no criterion at 0; with a decision "recognised (new)", "recognised
  (maintained)" after a recognised round before (stored, or earlier in the
  file) or "not recognised"; without one "submitted".  A file with a status or
  threshold column that disagrees with the rule is refused at that row, naming
  both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import recognition
from data.db import Runner, lock, read_rows
from data.fact_import.apply import Restated, stored_rows
from data.fact_import.check import Bad, Record, RowCheck, Units
from data.fact_import.read import Layout
from data.fact_import.spec import MAX_DECISION, Store
from data.models import AdminUnit, ChildFriendlyAssessment, ChildFriendlyScore
from data.problems import Problem
from data.scope import Scope
from data.units import CENTRALLY_RUN
from data.vocabulary import CF_RECOGNISED, CF_STATUS_TERMS, QD06_CRITERIA

if TYPE_CHECKING:
    from data.fact_import.apply import Plan

CRITERIA = tuple(c.code for c in QD06_CRITERIA)
DECISION = ("decision_ref", "decided_on")
REGIME = recognition.QD06
_STATUS = {t.code: t for t in CF_STATUS_TERMS}


def _named(code: str) -> dict[str, str]:
    """A status in each language (a message value)."""
    return {"vi": _STATUS[code].vi, "en": _STATUS[code].en}


class AssessmentCheck(RowCheck):
    """One commune's round: its scores and, once decided, the decision."""

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        day = self._date("round_date", values.get("round_date"), bad)
        if day is not None and day < REGIME.since:
            bad("round_date", "fact_cf_before_rule", since=f"{REGIME.since:%d/%m/%Y}")
            day = None
        span = None if day is None else (day, day)
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        scores = [
            self._count(c.code, values.get(c.code), bad, top=c.max_points)
            for c in QD06_CRITERIA
        ]
        ref = self._decision(values.get("decision_ref"), bad)
        decided = self._date("decided_on", values.get("decided_on"), bad)
        has_ref, has_day = (values.get(k) is not None for k in DECISION)
        if has_ref != has_day:
            bad("decided_on" if has_ref else "decision_ref", "fact_cf_decision_pair")
            return None
        if decided is not None and day is not None and decided < day:
            bad(
                "decided_on",
                "fact_cf_decided_before_round",
                day=f"{decided:%d/%m/%Y}",
                round=f"{day:%d/%m/%Y}",
            )
            return None
        stated = self._coded("status", values.get("status"), bad)
        threshold = self._count("threshold", values.get("threshold"), bad)
        if unit is None or day is None or None in scores:
            return None
        if values.get("status") is not None and stated is None:
            return None
        if values.get("threshold") is not None and threshold is None:
            return None
        first = self.refs.setdefault(f"{unit.id}/{day}", row)
        if first != row:
            bad(
                "round_date",
                "fact_cf_twice",
                code=unit.code,
                day=f"{day:%d/%m/%Y}",
                first=first,
            )
            return None
        return Record(
            row,
            {
                "unit_id": unit.id,
                "round_date": day,
                "scores": tuple(scores),
                "decision_ref": ref,
                "decided_on": decided,
                "stated_status": stated,
                "stated_threshold": threshold,
            },
        )

    def _decision(self, value: object, bad: Bad) -> str | None:
        if value is None:
            return None
        text = " ".join(str(value).split())
        if len(text) > MAX_DECISION:
            bad("decision_ref", "fact_ref_long", length=len(text), limit=MAX_DECISION)
            return None
        return text


def tier(units: Units, unit_id: int) -> int:
    """The commune's threshold under 06/QĐ-TTg (``recognition.default_tier``)."""
    unit = units.by_id[unit_id]
    up = unit
    while up.level != "province" and up.parent_id in units.by_id:
        up = units.by_id[up.parent_id]
    found = recognition.default_tier(REGIME, unit.kind, up.kind == CENTRALLY_RUN)
    assert found is not None  # 06/QĐ-TTg knows every kind's tier
    return found


def _recognised_before(
    runner: Runner, unit_ids: Sequence[int]
) -> dict[int, list[tuple[dt.date, bool]]]:
    """Per commune its stored rounds: (date, recognised), by date."""
    table = ChildFriendlyAssessment.__table__
    found: dict[int, list[tuple[dt.date, bool]]] = {}
    stmt = (
        select(table.c.unit_id, table.c.round_date, table.c.status)
        .where(table.c.unit_id.in_(sorted(unit_ids)))
        .order_by(table.c.unit_id, table.c.round_date)
    )
    for row in read_rows(runner, stmt):
        found.setdefault(row.unit_id, []).append(
            (row.round_date, row.status in CF_RECOGNISED)
        )
    return found


def vet(
    runner: Runner, scope: Scope, layout: Layout, units: Units, records: list[Record]
) -> dict[int, list[Problem]]:
    """The rule's status and threshold of every row (its values completed);
    a row whose file states another status or threshold refused, naming both."""
    unit_ids = sorted({r.values["unit_id"] for r in records})
    if isinstance(runner, Session):  # the import: the rounds before read locked
        for unit_id in unit_ids:
            lock(runner, "child_friendly_assessment", unit_id)
    rounds = _recognised_before(runner, unit_ids)
    ordered = sorted(
        records, key=lambda r: (r.values["unit_id"], r.values["round_date"])
    )
    found: dict[int, list[Problem]] = {}
    for record in ordered:
        values = record.values
        unit_id, day = values["unit_id"], values["round_date"]
        scores = values["scores"]
        total, threshold = sum(scores), tier(units, unit_id)
        zeros = tuple(c for c, p in zip(CRITERIA, scores, strict=True) if p == 0)
        passes = bool(recognition.meets(REGIME, total, threshold, bool(zeros)))
        past = [ok for when, ok in rounds.get(unit_id, []) if when < day]
        before = bool(past) and past[-1]
        status = "SUBMITTED"
        stated = values.pop("stated_status")
        if values["decided_on"] is not None:
            status = recognition.decided_status(passes, before)
        elif stated in recognition.STAGES:
            status = stated
        stated_tier = values.pop("stated_threshold")
        problems = []
        why = {"total": total, "threshold": threshold, "zeros": ", ".join(zeros) or "–"}
        if stated is not None and stated != status:
            problems.append(
                Problem(
                    "fact_cf_status_differs",
                    {
                        "where": layout.where(record.row, layout.col("status")),
                        "stated": _named(stated),
                        "rule": _named(status),
                        **why,
                    },
                )
            )
        if stated_tier is not None and stated_tier != threshold:
            problems.append(
                Problem(
                    "fact_cf_threshold_differs",
                    {
                        "where": layout.where(record.row, layout.col("threshold")),
                        "stated": stated_tier,
                        "rule": threshold,
                        "kind": units.by_id[unit_id].kind,
                    },
                )
            )
        if problems:
            found[record.row] = problems
            continue
        values.update(
            regime=REGIME.code,
            status=status,
            total_score=total,
            threshold=threshold,
            has_zero_criterion=bool(zeros),
            contradicts_scores=False,
        )
        # a later round of the file follows this one (in place of the round
        # stored that day, which it corrects)
        kept = [r for r in rounds.get(unit_id, []) if r[0] != day]
        rounds[unit_id] = sorted([*kept, (day, status in CF_RECOGNISED)])
    return found


def load(runner: Runner, store: Store, records: Sequence[Record]) -> dict[Any, Any]:
    """The stored assessments of the records' communes and rounds, with their
    scores (in criterion order; empty when none are stored)."""
    found = stored_rows(runner, store, records)
    ids = [row.id for row in found.values()]
    points: dict[int, dict[str, int]] = {}
    table = ChildFriendlyScore.__table__
    for start in range(0, len(ids), 1_000):
        stmt = select(table).where(
            table.c.assessment_id.in_(ids[start : start + 1_000])
        )
        for row in read_rows(runner, stmt):
            points.setdefault(row.assessment_id, {})[row.criterion_code] = row.score
    return {
        key: SimpleNamespace(
            **row._mapping,
            scores=tuple(points[row.id][c] for c in CRITERIA)
            if set(points.get(row.id, {})) >= set(CRITERIA)
            else (),
        )
        for key, row in found.items()
    }


def foresee(runner: Runner, plan: Plan, units: Units) -> None:
    """The stored rounds the file's new and corrected rounds would restate
    (``recognition.restated``: a recognition after them turning new or
    maintained), in the summary: the dry run says them."""
    mine: dict[int, dict[dt.date, str]] = {}
    for values in (*plan.inserts, *plan.updates):
        day, status = values["round_date"], values["status"]
        mine.setdefault(values["unit_id"], {})[day] = status
    if not mine:
        return
    table = ChildFriendlyAssessment.__table__
    stored: dict[int, dict[dt.date, str]] = {}
    ids = sorted(mine)
    for start in range(0, len(ids), 1_000):
        stmt = select(table.c.unit_id, table.c.round_date, table.c.status).where(
            table.c.unit_id.in_(ids[start : start + 1_000])
        )
        for row in read_rows(runner, stmt):
            stored.setdefault(row.unit_id, {})[row.round_date] = row.status
    found = []
    for unit_id, rounds in sorted(mine.items()):
        merged = {**stored.get(unit_id, {}), **rounds}
        for day, before, after in recognition.restated(
            sorted(merged.items()), min(rounds)
        ):
            if day not in rounds:  # the file's own rounds are said as its rows
                found.append(Restated(units.by_id[unit_id].code, day, before, after))
    plan.summary.restated = found


def write(session: Session, plan: Plan) -> None:
    """The new and changed assessments with their scores (``data.recognition``);
    the stored rounds after them restated (new or maintained) are added to the
    summary, by commune code."""
    found = recognition.write_assessments(session, plan.inserts, plan.updates)
    if not found:
        return
    table = AdminUnit.__table__
    stmt = select(table.c.id, table.c.code).where(
        table.c.id.in_(sorted({r.unit_id for r in found}))
    )
    codes = {row.id: row.code for row in read_rows(session, stmt)}
    plan.summary.restated = [
        Restated(codes[r.unit_id], r.round_date, r.before, r.after) for r in found
    ]
