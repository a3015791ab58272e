"""Child-friendly commune recognition: the regime, the tier, the rule, the writer.

Every writer of ``child_friendly_assessment`` goes through this module: the
command line (``record-assessment``) through ``record_assessment``, the demo
through ``statuses`` and ``check_rows``, the import of a file of assessments
(``data.fact_import``) through ``write_assessments``.  A stored status
therefore follows the rule unless it is a district chairman's decision
recorded as given, which is kept and flagged (``contradicts_scores``).

Regime (DOMAIN.md section 1), by the round date:

- Quyết định 06/QĐ-TTg (3/1/2019, in force on signing) from 3/1/2019: 13 criteria
  CF01..CF13, tiers 800/850/900, recognised when the total reaches the tier AND no
  criterion scored 0.  The rule is complete: the scores decide both ways.
- Quyết định 34/2014/QĐ-TTg from 15/7/2014: 15 criteria (not coded here: a total
  is recorded), tier 850 for wards of centrally-run cities, lower tiers not
  verified (any threshold up to 1,000 is accepted, and must be given).
- Quyết định 37/2010/QĐ-TTg from 22/4/2010 (the signing day: DOMAIN.md gives no
  other): 25 criteria (not coded), tiers 850/750/650.
  For both older regimes only the threshold is known: a total below it cannot be
  recognised; a total reaching it does not decide (other conditions are not
  known), so the decision must be stated.

Tier: the threshold belongs to the commune (the official lists of mountainous,
island and extremely difficult communes), which the data do not hold.  The
default is a rule on the unit's kind and its province (``default_tier``): under
06/QĐ-TTg wards (phường) of centrally-run cities 900, other units of such cities
850; in a province, wards 850 and communes and townships 800; island stand-ins
(kind "huyện đảo") 800.  Under 37/2010 a ward of a centrally-run city is 850 and
an island unit 650; other units need their tier given, as under 34/2014 all but
wards of centrally-run cities do.  The writer takes an explicit threshold (one
of the regime's tiers) where the default is wrong.

Decision: RECOGNISED_NEW, RECOGNISED_MAINTAINED and NOT_RECOGNISED are the
chairman's decision and need its date (``decided_on``, on or after the round
date); it takes effect on that date (``data.metrics.child_friendly``).  Without
a date an assessment is SELF_ASSESSED or SUBMITTED.  MAINTAINED needs the
commune's previous round to have recognised it.  A stated decision that
contradicts the scores is refused, unless it is recorded as given
(``as_decided``): then it is kept, counted as decided (the decision is the legal
act) and flagged for the user ("quyết định khác với điểm chấm").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from data import audit, legal_acts
from data.db import lock, read_rows, read_scalar, write
from data.legal_acts import Act
from data.metrics.dataset import record_facts_changed
from data.models import AdminUnit, ChildFriendlyAssessment, ChildFriendlyScore
from data.periods import today_vn
from data.problems import Problem, ProblemError
from data.units import CENTRALLY_RUN, ISLAND, WARD
from data.vocabulary import (
    CF_DECIDED,
    CF_RECOGNISED,
    CF_STATUS_TERMS,
    QD06_CRITERIA,
    QD06_TIERS,
    QD37_TIERS,
    names,
)

MAX_TOTAL = 1000
STAGES = ("SELF_ASSESSED", "SUBMITTED")  # scored, not yet decided
CRITERION_MAX = {c.code: c.max_points for c in QD06_CRITERIA}


@dataclass(frozen=True)
class Regime:
    code: str
    act: Act
    since: dt.date  # first round date it governs
    tiers: tuple[int, ...] | None  # the known thresholds; None: not known
    criteria: tuple[str, ...] | None  # coded criteria; None: a total is recorded
    zero_rule: bool  # "no criterion scored 0" is part of the rule
    complete: bool  # the known rule decides recognition both ways


QD37 = Regime(
    "QD37_2010",
    legal_acts.QD37_2010,
    dt.date(2010, 4, 22),
    QD37_TIERS,
    None,
    zero_rule=False,
    complete=False,
)
QD34 = Regime(
    "QD34_2014",
    legal_acts.QD34_2014,
    dt.date(2014, 7, 15),
    None,
    None,
    zero_rule=False,
    complete=False,
)
QD06 = Regime(
    "QD06_2019",
    legal_acts.QD06_2019,
    dt.date(2019, 1, 3),
    QD06_TIERS,
    tuple(CRITERION_MAX),
    zero_rule=True,
    complete=True,
)
REGIMES = (QD37, QD34, QD06)
BY_CODE = {r.code: r for r in REGIMES}


def regime_on(day: dt.date) -> Regime | None:
    """The regime governing a round held on ``day`` (None before 22/4/2010)."""
    found = None
    for regime in REGIMES:
        if regime.since <= day:
            found = regime
    return found


# --- tiers ----------------------------------------------------------------------------


def default_tier(regime: Regime, kind: str, centrally_run: bool) -> int | None:
    """The threshold of a unit of ``kind`` (None: not known, give it)."""
    if regime is QD06:
        if kind == ISLAND:
            return 800
        if kind == WARD:
            return 900 if centrally_run else 850
        return 850 if centrally_run else 800
    if kind == WARD and centrally_run:
        return 850
    if regime is QD37 and kind == ISLAND:
        return 650
    return None


def qd06_tiers(kinds: np.ndarray, centrally_run: bool) -> np.ndarray:
    """``default_tier`` under 06/QĐ-TTg for many units of one province."""
    return np.array([default_tier(QD06, k, centrally_run) for k in kinds], "int64")


def tier_allowed(regime: Regime, threshold: int) -> bool:
    if regime.tiers is not None:
        return threshold in regime.tiers
    return 0 < threshold <= MAX_TOTAL


# --- the rule -------------------------------------------------------------------------


def meets(
    regime: Regime, total: int | None, threshold: int, has_zero: bool | None
) -> bool | None:
    """Whether the scores require recognition: True, False, or None where the
    regime's known rule cannot tell (older regimes at or above the threshold)."""
    if total is None:
        return None
    if total < threshold:
        return False
    if regime.zero_rule and has_zero is None:
        return None
    if regime.zero_rule and has_zero:
        return False
    return True if regime.complete else None


def meets_many(
    totals: np.ndarray, thresholds: np.ndarray, zeros: np.ndarray
) -> np.ndarray:
    """``meets`` under 06/QĐ-TTg for many assessments with all their scores."""
    return (np.asarray(totals) >= np.asarray(thresholds)) & ~np.asarray(zeros, bool)


def decided_status(recognised: bool, recognised_before: bool) -> str:
    if not recognised:
        return "NOT_RECOGNISED"
    return "RECOGNISED_MAINTAINED" if recognised_before else "RECOGNISED_NEW"


def statuses(
    registered: np.ndarray,
    assessed: np.ndarray,
    recognised: np.ndarray,
    before: np.ndarray,
) -> np.ndarray:
    """Statuses of many communes in one round: not registered, registered,
    decided (``recognised`` per ``meets_many``; maintained after ``before``)."""
    status = np.where(registered, "REGISTERED", "NOT_REGISTERED").astype(object)
    for i in np.flatnonzero(assessed):
        status[i] = decided_status(bool(recognised[i]), bool(before[i]))
    return status


# --- refusals -------------------------------------------------------------------------


class RecognitionError(ProblemError):
    """An assessment the rule refuses.  ``problem``: what is wrong ("contradicts",
    "regime", "tier", "decided_on", "status", "scores", "total", "zero", "unit",
    "round"); ``code`` and ``values``: why, in the message table's words
    (layouts/messages/recognition.py), naming the commune, the round and the
    criterion or total."""

    def __init__(self, problem: str, code: str, /, **values: object) -> None:
        super().__init__(code, **values)
        self.problem = problem


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _where(unit: str | Problem, round_date: dt.date) -> Problem:
    """The commune (its name, or a ``Problem`` naming it) and the round."""
    return Problem("cf_where", {"unit": unit, "round": _day(round_date)})


def _refuse(problem: str, where: Problem, why: Problem) -> RecognitionError:
    return RecognitionError(problem, "cf_at", where=where, why=why)


def _act(act: Act) -> dict[str, str]:
    """A legal act's name in each language (a message value)."""
    return {"vi": act.vi, "en": act.en}


def why_not(
    regime: Regime, total: int, threshold: int, zero_criteria: tuple[str, ...]
) -> Problem:
    """Why the scores cannot be recognised, e.g. a criterion at 0.

    ``zero_criteria``: the codes scored 0, or ("",) when only the flag is known."""
    reasons = []
    if zero_criteria and regime.zero_rule:
        codes = ", ".join(c for c in zero_criteria if c)
        if not codes:
            reasons.append(Problem("cf_zero_some"))
        else:
            plural = len(zero_criteria) > 1
            zero = "cf_zero_criteria" if plural else "cf_zero_criterion"
            reasons.append(Problem(zero, {"codes": codes}))
    if total < threshold:
        reasons.append(
            Problem("cf_below_threshold", {"total": total, "threshold": threshold})
        )
    why: Problem | str = ""  # no reason: the caller's rule lets the scores pass
    if len(reasons) == 2:
        why = Problem("cf_reasons", {"first": reasons[0], "second": reasons[1]})
    elif reasons:
        why = reasons[0]
    return Problem("cf_cannot_recognise", {"why": why})


def contradiction(
    status: str,
    regime: Regime,
    total: int | None,
    threshold: int,
    zero_criteria: tuple[str, ...] | None,
    where: Problem,
) -> RecognitionError | None:
    """The refusal of a stated decision its scores contradict (None: agrees).

    ``zero_criteria``: None when not known (older regimes)."""
    has_zero = None if zero_criteria is None else bool(zero_criteria)
    passes = meets(regime, total, threshold, has_zero)
    if status in CF_RECOGNISED and passes is False and total is not None:
        why = why_not(regime, total, threshold, zero_criteria or ())
        return _refuse("contradicts", where, why)
    if status == "NOT_RECOGNISED" and passes is True:
        label = {lang: names(CF_STATUS_TERMS, lang)[status] for lang in ("vi", "en")}
        why = Problem(
            "cf_scores_require_recognition",
            {"total": total, "threshold": threshold, "status": label},
        )
        return _refuse("contradicts", where, why)
    return None


# --- checking many rows (bulk writers) ------------------------------------------------


def _days(values: pd.Series) -> pd.Series:
    """Dates or day numbers (the demo's) as datetime64."""
    if pd.api.types.is_integer_dtype(values) or (
        values.dtype == object and values.map(lambda x: isinstance(x, int)).any()
    ):
        return pd.to_datetime(pd.to_numeric(values), unit="D")
    return pd.to_datetime(values)


class _Row(Protocol):
    """The columns of one row of ``check_rows``' frame read one by one (pandas'
    ``itertuples`` gives named tuples whose fields pandas-stubs cannot type); the
    nullable ones hold a number, None or NaN."""

    unit_id: int
    regime: str
    status: str
    total_score: Any
    threshold: Any
    has_zero_criterion: Any


def check_rows(frame: pd.DataFrame, scores: pd.DataFrame | None = None) -> None:
    """Refuse assessment rows that break the rule (RecognitionError on the first).

    ``frame``: unit_id, regime, round_date, status, total_score, threshold,
    has_zero_criterion, decided_on and optionally contradicts_scores (dates or
    day numbers).  ``scores``: assessment_row, criterion_code, score; they must
    sum to the total and hold a 0 exactly where ``has_zero_criterion`` says."""
    flagged = frame.get("contradicts_scores", pd.Series(False, index=frame.index))
    rounds, decided = _days(frame["round_date"]), _days(frame["decided_on"])
    for i, tup in enumerate(frame.itertuples(index=False)):
        row = cast(_Row, tup)
        unit = Problem("cf_unit_id", {"unit_id": row.unit_id})
        where = _where(unit, rounds.iloc[i].date())
        regime = BY_CODE[row.regime]
        if regime_on(rounds.iloc[i].date()) is not regime:
            raise _refuse("regime", where, Problem("cf_wrong_regime"))
        if pd.notna(row.threshold) and not tier_allowed(regime, int(row.threshold)):
            why = Problem("cf_no_such_tier", {"threshold": row.threshold})
            raise _refuse("tier", where, why)
        if (row.status in CF_DECIDED) != pd.notna(decided.iloc[i]):
            raise _refuse("decided_on", where, Problem("cf_decision_date_of_decisions"))
        if pd.notna(decided.iloc[i]) and decided.iloc[i] < rounds.iloc[i]:
            raise _refuse("decided_on", where, Problem("cf_decided_before_round"))
        if row.status not in CF_DECIDED or pd.isna(row.total_score):
            continue
        zero = None
        if pd.notna(row.has_zero_criterion):
            zero = ("",) if row.has_zero_criterion else ()
        refused = contradiction(
            row.status, regime, int(row.total_score), int(row.threshold), zero, where
        )
        if refused is not None and not bool(flagged.iloc[i]):
            raise refused
    if scores is not None and len(scores):
        per = scores.groupby("assessment_row")["score"].agg(["sum", "min"])
        mine = frame.iloc[per.index]
        if (
            per["sum"].to_numpy() != mine["total_score"].astype("int64").to_numpy()
        ).any():
            raise RecognitionError("total", "cf_total_not_the_sum")
        flags = mine["has_zero_criterion"].astype(bool).to_numpy()
        if ((per["min"].to_numpy() == 0) != flags).any():
            raise RecognitionError("zero", "cf_zero_flag_wrong")


# --- the writer -----------------------------------------------------------------------


def write_assessments(
    session: Session,
    inserts: Sequence[Mapping[str, Any]],
    updates: Sequence[Mapping[str, Any]],
) -> list[Restated]:
    """Write 06/QĐ-TTg assessments checked row by row elsewhere (the import of a
    file, ``data.fact_import.assessments``), with their criterion scores: each
    row its unit_id, round_date, the assessment's columns and ``scores`` (the
    13 points, in criterion order); an update also its ``id``.  The rule checks
    them again first (``check_rows``: RecognitionError, nothing written).  The
    stored rounds after the earliest written of a commune are restated
    (``restate_later``: a round before them now recognises the commune, or no
    longer does) and returned.  Not audited and the facts version left alone:
    the caller does both."""
    rows = [*inserts, *updates]
    if not rows:
        return []
    for unit_id in sorted({int(r["unit_id"]) for r in rows}):
        lock(session, "child_friendly_assessment", unit_id)
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "scores"} for r in rows])
    scores = pd.DataFrame(
        [
            {"assessment_row": i, "criterion_code": code, "score": points}
            for i, r in enumerate(rows)
            for code, points in zip(QD06.criteria or (), r["scores"], strict=True)
        ]
    )
    check_rows(frame, scores)
    table = ChildFriendlyAssessment.__table__
    plain = [{k: v for k, v in r.items() if k != "scores"} for r in inserts]
    if plain:
        write(session, insert(ChildFriendlyAssessment), plain)
    changed = [{k: v for k, v in r.items() if k != "scores"} for r in updates]
    if changed:
        write(session, update(ChildFriendlyAssessment), changed)
    units = sorted({int(r["unit_id"]) for r in rows})
    ids = {
        (r.unit_id, r.round_date): r.id
        for r in read_rows(
            session,
            select(table.c.id, table.c.unit_id, table.c.round_date).where(
                table.c.unit_id.in_(units)
            ),
        )
    }
    written = [ids[(r["unit_id"], r["round_date"])] for r in rows]
    write(
        session,
        delete(ChildFriendlyScore).where(ChildFriendlyScore.assessment_id.in_(written)),
    )
    write(
        session,
        insert(ChildFriendlyScore),
        [
            {"assessment_id": ident, "criterion_code": code, "score": points}
            for ident, r in zip(written, rows, strict=True)
            for code, points in zip(QD06.criteria or (), r["scores"], strict=True)
        ],
    )
    since: dict[int, dt.date] = {}
    for r in rows:
        unit_id, day = int(r["unit_id"]), r["round_date"]
        since[unit_id] = min(since.get(unit_id, day), day)
    return restate_later(session, since)


@dataclass(frozen=True)
class Restated:
    """A stored round whose recognition turned new or maintained again after
    a round before it was written."""

    unit_id: int
    round_date: dt.date
    before: str
    after: str


def restated(
    rounds: Sequence[tuple[dt.date, str]], since: dt.date
) -> list[tuple[dt.date, str, str]]:
    """The recognised rounds after ``since`` whose status the round before
    them now decides otherwise: (round date, status stored, status due).
    ``rounds``: a commune's rounds, (date, status).  A recognition is
    maintained when the round just before it recognised the commune, new
    otherwise; a changed round stays recognised, so the rounds after it
    depend on it as before."""
    found = []
    before = False
    for day, status in sorted(rounds):
        recognised = status in CF_RECOGNISED
        if recognised and day > since:
            due = decided_status(True, before)
            if due != status:
                found.append((day, status, due))
        before = recognised
    return found


def restate_later(session: Session, since: Mapping[int, dt.date]) -> list[Restated]:
    """Restate the recognised rounds of each commune of ``since`` held after
    its date (new or maintained, by the round before: ``restated``), once a
    round before them was written or corrected; the rounds restated.  The
    caller holds the communes' locks and audits."""
    if not since:
        return []
    table = ChildFriendlyAssessment.__table__
    stored: dict[int, list[tuple[dt.date, str, int]]] = {}
    for unit_ids in _chunked(sorted(since)):
        stmt = select(
            table.c.id, table.c.unit_id, table.c.round_date, table.c.status
        ).where(table.c.unit_id.in_(unit_ids))
        for row in read_rows(session, stmt):
            stored.setdefault(row.unit_id, []).append(
                (row.round_date, row.status, row.id)
            )
    found: list[Restated] = []
    changes: list[dict[str, Any]] = []
    for unit_id, rounds in sorted(stored.items()):
        ids = {day: ident for day, _status, ident in rounds}
        due = restated([(day, status) for day, status, _id in rounds], since[unit_id])
        for day, before, after in due:
            found.append(Restated(unit_id, day, before, after))
            changes.append({"id": ids[day], "status": after})
    if changes:
        write(session, update(ChildFriendlyAssessment), changes)
    return found


def _chunked(items: Sequence[int], size: int = 1_000) -> list[Sequence[int]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


@dataclass(frozen=True)
class Recorded:
    id: int
    unit_code: str
    unit_name: str
    round_date: dt.date
    regime: str
    status: str
    total: int
    threshold: int
    zero_criteria: tuple[str, ...]
    decided_on: dt.date | None
    contradicts_scores: bool
    replaced: dict[str, Any] | None
    restated: tuple[Restated, ...] = ()  # later rounds new or maintained again


def _unit(session: Session, unit_id: int) -> tuple[AdminUnit, bool]:
    """The commune and whether its province is a centrally-run city."""
    unit = session.get(AdminUnit, unit_id)
    if unit is None:
        raise RecognitionError("unit", "cf_no_unit")
    if unit.level != "commune":
        raise RecognitionError("unit", "cf_not_a_commune", unit=unit.name)
    up: AdminUnit | None = unit
    while up is not None and up.level != "province":
        up = session.get(AdminUnit, up.parent_id) if up.parent_id else None
    return unit, up is not None and up.kind == CENTRALLY_RUN


def unit_id_of(session: Session, *, tree: str, code: str) -> int | None:
    return read_scalar(
        session,
        select(AdminUnit.id).where(AdminUnit.tree == tree, AdminUnit.code == code),
    )


def _check_scores(
    regime: Regime,
    scores: Mapping[str, int] | None,
    total: int | None,
    where: Problem,
) -> tuple[int, tuple[str, ...]]:
    """The total and the criteria scored 0 (None-free under 06/QĐ-TTg)."""
    if regime.criteria is None:
        if scores:
            why = Problem("cf_criteria_not_coded", {"act": _act(regime.act)})
            raise _refuse("scores", where, why)
        if total is None or not 0 <= total <= MAX_TOTAL:
            why = Problem("cf_total_needed", {"maximum": MAX_TOTAL})
            raise _refuse("total", where, why)
        return total, ()
    given = dict(scores or {})
    missing = [c for c in regime.criteria if c not in given]
    extra = sorted(set(given) - set(regime.criteria))
    if missing or extra:
        codes = ", ".join(missing or extra)
        wrong = "cf_criteria_missing" if missing else "cf_criteria_unknown"
        raise _refuse("scores", where, Problem(wrong, {"codes": codes}))
    for code in regime.criteria:
        points, top = given[code], CRITERION_MAX[code]
        if isinstance(points, bool) or not isinstance(points, int):
            why = Problem("cf_points_not_whole", {"criterion": code})
            raise _refuse("scores", where, why)
        if not 0 <= points <= top:
            why = Problem(
                "cf_points_out_of_range",
                {"criterion": code, "points": points, "top": top},
            )
            raise _refuse("scores", where, why)
    summed = sum(given[c] for c in regime.criteria)
    if total is not None and total != summed:
        why = Problem("cf_total_differs", {"total": total, "summed": summed})
        raise _refuse("total", where, why)
    return summed, tuple(c for c in regime.criteria if given[c] == 0)


def _previous_recognised(session: Session, unit_id: int, round_date: dt.date) -> bool:
    before = read_scalar(
        session,
        select(ChildFriendlyAssessment.status)
        .where(
            ChildFriendlyAssessment.unit_id == unit_id,
            ChildFriendlyAssessment.round_date < round_date,
        )
        .order_by(ChildFriendlyAssessment.round_date.desc())
        .limit(1),
    )
    return before in CF_RECOGNISED


def _status(
    stated: str | None,
    decided_on: dt.date | None,
    passes: bool | None,
    before: bool,
    where: Problem,
) -> str:
    """The status to store (before the contradiction check)."""
    if decided_on is None:
        if stated in CF_DECIDED:
            raise _refuse("decided_on", where, Problem("cf_decision_needs_date"))
        if stated is not None and stated not in STAGES:
            why = Problem("cf_stage_with_scores", {"status": stated})
            raise _refuse("status", where, why)
        return stated or "SUBMITTED"
    if stated is not None and stated not in CF_DECIDED:
        why = Problem("cf_dated_not_a_decision", {"status": stated})
        raise _refuse("status", where, why)
    if stated is None:
        if passes is None:
            raise _refuse("status", where, Problem("cf_state_the_decision"))
        return decided_status(passes, before)
    if stated == "RECOGNISED_MAINTAINED" and not before:
        raise _refuse("status", where, Problem("cf_maintained_needs_past"))
    return stated


def record_assessment(
    session: Session,
    *,
    unit_id: int,
    round_date: dt.date,
    scores: Mapping[str, int] | None = None,
    total: int | None = None,
    decided_on: dt.date | None = None,
    status: str | None = None,
    as_decided: bool = False,
    threshold: int | None = None,
    user_id: int | None = None,
    remote_addr: str | None = None,
    today: dt.date | None = None,
) -> Recorded:
    """Check and save one commune's assessment in one round with its scores
    (replacing the same round), audit it and mark the facts changed.

    Every check runs before anything is written; RecognitionError says why a
    record is refused.  ``status`` is the decision as stated (derived from the
    scores when omitted); ``as_decided`` keeps a stated decision the scores
    contradict, flagged ``contradicts_scores``."""
    unit, centrally_run = _unit(session, unit_id)
    where = _where(unit.name, round_date)
    if (unit.valid_from and round_date < unit.valid_from) or (
        unit.valid_to and round_date > unit.valid_to
    ):
        raise _refuse("round", where, Problem("cf_unit_not_on_round_date"))
    regime = regime_on(round_date)
    if regime is None:
        why = Problem("cf_before_any_rule", {"act": _act(legal_acts.QD37_2010)})
        raise _refuse("round", where, why)
    if threshold is None:
        threshold = default_tier(regime, unit.kind, centrally_run)
        if threshold is None:
            why = Problem("cf_tier_unknown", {"act": _act(regime.act)})
            raise _refuse("tier", where, why)
    elif not tier_allowed(regime, threshold):
        allowed = "/".join(map(str, regime.tiers or ()))
        why = Problem(
            "cf_tier_not_allowed",
            {"threshold": threshold, "act": _act(regime.act), "allowed": allowed},
        )
        raise _refuse("tier", where, why)
    summed, zero_criteria = _check_scores(regime, scores, total, where)
    if decided_on is not None:
        if decided_on < round_date:
            why = Problem("cf_decision_date_before_round", {"day": _day(decided_on)})
            raise _refuse("decided_on", where, why)
        if decided_on > (today or today_vn()):
            why = Problem("cf_decision_date_future", {"day": _day(decided_on)})
            raise _refuse("decided_on", where, why)
    known_zeros = zero_criteria if regime.criteria is not None else None
    has_zero = None if known_zeros is None else bool(known_zeros)
    passes = meets(regime, summed, threshold, has_zero)
    # one writer of this commune's rounds at a time: the previous round and the
    # row replaced are read under the lock
    lock(session, "child_friendly_assessment", unit.id)
    before = _previous_recognised(session, unit.id, round_date)
    final = _status(status, decided_on, passes, before, where)
    contradicts = False
    if final in CF_DECIDED:
        refused = contradiction(final, regime, summed, threshold, known_zeros, where)
        if refused is not None and not as_decided:
            raise refused
        contradicts = refused is not None
    row = read_scalar(
        session,
        select(ChildFriendlyAssessment)
        .where(
            ChildFriendlyAssessment.unit_id == unit.id,
            ChildFriendlyAssessment.round_date == round_date,
        )
        .execution_options(populate_existing=True),
    )
    replaced = None
    if row is None:
        row = ChildFriendlyAssessment(unit_id=unit.id, round_date=round_date)
        session.add(row)
    else:
        replaced = {
            "status": row.status,
            "total_score": row.total_score,
            "decided_on": row.decided_on,
        }
    row.regime, row.status = regime.code, final
    row.total_score, row.threshold, row.has_zero_criterion = summed, threshold, has_zero
    row.decided_on, row.contradicts_scores = decided_on, contradicts
    session.flush()
    write(
        session,
        delete(ChildFriendlyScore).where(ChildFriendlyScore.assessment_id == row.id),
    )
    if regime.criteria is not None and scores:
        write(
            session,
            insert(ChildFriendlyScore),
            [
                {"assessment_id": row.id, "criterion_code": c, "score": scores[c]}
                for c in regime.criteria
            ],
        )
    detail = {
        "unit": unit.code,
        "tree": unit.tree,
        "round": round_date.isoformat(),
        "regime": regime.code,
        "status": final,
        "total": summed,
        "threshold": threshold,
        "decided_on": decided_on.isoformat() if decided_on else None,
        "contradicts_scores": contradicts,
    }
    if replaced is not None:
        detail["replaced"] = replaced
    later = restate_later(session, {unit.id: round_date})
    if later:
        detail["restated"] = [
            {"round": r.round_date.isoformat(), "before": r.before, "after": r.after}
            for r in later
        ]
    audit.record(
        session,
        "child_friendly_assessment",
        user_id=user_id,
        detail=detail,
        remote_addr=remote_addr,
    )
    record_facts_changed(session)
    return Recorded(
        id=row.id,
        unit_code=unit.code,
        unit_name=unit.name,
        round_date=round_date,
        regime=regime.code,
        status=final,
        total=summed,
        threshold=threshold,
        zero_criteria=zero_criteria,
        decided_on=decided_on,
        contradicts_scores=contradicts,
        replaced=replaced,
        restated=tuple(later),
    )
