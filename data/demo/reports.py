"""Reporting calendar (``report_schedule``) and submissions (DOMAIN.md section 5).

The calendar is data: ``REPORT_SPECS`` below, one spec per report of a plan.  Every
spec becomes one schedule row per province (the jurisdiction) and year; all units
of ``from_level`` in that province owe the report.  Both seed plans are applied to
every province and every year (an assumption: real calendars differ by place and
year, which is why they are configuration), as ``data.calendar.entries_for``
chooses them (an entry naming provinces replaces the general one there).  The
Action Month report's period is June; the others start on 1 January.

Submissions, assumptions: each district has a tendency (on time, late, missing)
around 79/11/10 %, and 15 % of districts (at least one when there are three or
more) are chronically late (45/45/10); a
commune follows its district's tendency with its own variation.  On-time reports
come in the last days before the deadline, late ones 1-30 days after it (the last
day that still counts: the due date when inclusive, the day before when "trước
ngày X"), on working days (Monday-Friday) at office hours in Asia/Ho_Chi_Minh
(7:30-11:30, 13:30-17:00); 5 % are resubmitted as version 2 within 10 days.  No
submission is dated on or after ``today``.

The periodic reports (``PERIODIC``: quarter, 6-month, 9-month, annual) draw from
the province's "reports" stream; the others (Action Month, child-friendly
dossiers) from "reports extra", with the same unit tendencies, so that adding a
report to the calendar does not redraw the periodic ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from data import calendar
from data.demo.sampling import Province, day, pick_rows, weekday


class ReportSpec(NamedTuple):
    plan_code: str
    report_type: str
    from_level: str
    to_level: str
    due: tuple[int, int]  # (month, day) in the year of the period
    due_inclusive: bool
    period_end: tuple[int, int]  # (month, day)
    period_start: tuple[int, int] = (1, 1)
    entry: calendar.Entry | None = None  # as the calendar has it


def specs(tree: str) -> tuple[ReportSpec, ...]:
    """The yearly reports of the default calendar (``data/calendars/default.toml``)
    on ``tree``: the demo owes exactly what a newcomer's calendar says."""
    return tuple(
        ReportSpec(
            e.plan,
            e.report_type,
            e.from_level,
            e.to_level,
            e.due,  # type: ignore[arg-type]
            e.inclusive,
            e.end,  # type: ignore[arg-type]
            e.start,  # type: ignore[arg-type]
            e,
        )
        for e in calendar.read()
        if e.tree == tree and not e.once
    )


# Gia Lai 2021 plan (seed 004): districts -> Sở, "trước ngày 25/5", "trước 20/11";
# Tam Đường 2018 plan (seed 000): communes -> district, "vào ngày ...";
# the Action Month (TT 28/2019) and the child-friendly dossiers (seeds 001, 000).
REPORT_SPECS = specs("legacy")
# After the July-2025 reform (two-tier government: no district), communes report
# straight to the province, on the seed-004 deadlines ("trước ngày 25/5", "trước
# ngày 20/11"), and the Action Month from 2026.  Owed from the first day of the
# new tree on.
SUCCESSOR_SPECS = specs("2025")
# drawn from the "reports" stream; the others from "reports extra"
PERIODIC = ("Q1", "H1", "M9", "ANNUAL")
EXTRA = "extra"

TENDENCY = np.array([0.79, 0.11, 0.10])  # on time, late, missing
CHRONIC, CHRONIC_SHARE = np.array([0.45, 0.45, 0.10]), 0.15
DISTRICT_SPREAD, COMMUNE_SPREAD = 40.0, 30.0  # Dirichlet concentrations
P_EARLY_DAY, P_LATE_DAY = 0.3, 0.12  # geometric: days before / after the deadline
P_RESUBMIT, RESUBMIT_DAYS = 0.05, 10
UTC_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving
OFFICE = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))  # minutes
P_MORNING = 0.6


def _chosen(specs: Sequence[ReportSpec], code: str | None, year: int) -> list[Any]:
    """The specs owed in province ``code`` in ``year`` (``calendar.entries_for``;
    a spec without its calendar entry is owed every year)."""
    entries = [s.entry for s in specs if s.entry is not None]
    owed = set()
    if entries:
        owed = set(calendar.entries_for(entries, code or "", entries[0].tree, year))
    return [s for s in specs if s.entry is None or s.entry in owed]


def schedules(
    jurisdiction_id: int,
    years: Sequence[int],
    specs: Sequence[ReportSpec] = REPORT_SPECS,
    code: str | None = None,
) -> pd.DataFrame:
    """``report_schedule`` rows: every spec owed in province ``code`` (every spec
    naming no province when None), every year, for one province."""
    rows = []
    for year in years:
        for spec in _chosen(specs, code, year):
            rows.append(
                {
                    "plan_code": spec.plan_code,
                    "report_type": spec.report_type,
                    "period_start": day(year, *spec.period_start),
                    "period_end": day(year, *spec.period_end),
                    "from_level": spec.from_level,
                    "to_level": spec.to_level,
                    "due_date": day(year, *spec.due),
                    "due_inclusive": spec.due_inclusive,
                    # first late instant, in seconds: local midnight after the last
                    # day that counts, as UTC
                    "deadline_at": (day(year, *spec.due) + spec.due_inclusive) * 86400
                    - UTC_OFFSET,
                    "jurisdiction_id": jurisdiction_id,
                    "basis": spec.entry.basis if spec.entry is not None else None,
                    "year": year,
                }
            )
    return pd.DataFrame(rows)


def by_stream(
    sched: pd.DataFrame,
    draw: Callable[[pd.DataFrame, str], pd.DataFrame],
) -> pd.DataFrame:
    """Submissions of ``sched``: ``draw(rows, stream)`` for the periodic reports
    (stream "", the province's own) and for the others (``EXTRA``), each with
    ``schedule_row`` pointing into ``sched``."""
    periodic = sched["report_type"].isin(PERIODIC).to_numpy()
    parts = []
    for mask, name in ((periodic, ""), (~periodic, EXTRA)):
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        sent = draw(sched.iloc[rows].reset_index(drop=True), name)
        parts.append(sent.assign(schedule_row=rows[sent["schedule_row"].to_numpy()]))
    if not parts:
        return draw(sched.iloc[:0], "")
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["schedule_row", "unit_id", "version"], kind="stable")


def tendencies(prov: Province, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """(on time, late, missing) probabilities of each district and commune.

    The first draws of a province's report stream, so they can be drawn again.
    """
    n_d = len(prov.districts)
    district = rng.dirichlet(TENDENCY * DISTRICT_SPREAD, n_d)
    # a fixed share of districts (at least one of three or more) is chronically late
    chronic = rng.choice(
        n_d, int(round(CHRONIC_SHARE * n_d)) or int(n_d >= 3), replace=False
    )
    district[chronic] = CHRONIC
    # a Dirichlet draw per commune, vectorised: normalised gamma variates
    alpha = np.maximum(district[prov.district_of] * COMMUNE_SPREAD, 1e-3)
    commune = rng.gamma(alpha)
    commune /= commune.sum(1, keepdims=True)
    return {"district": district, "commune": commune}


def _to_working_day(days: np.ndarray, backwards: np.ndarray) -> np.ndarray:
    """Move weekend days to Friday (``backwards``) or to Monday."""
    wd = weekday(days)
    weekend = wd >= 5
    back = np.where(weekend & backwards, days - (wd - 4), days)
    return np.where(weekend & ~backwards, days + (7 - wd), back)


def _days(
    rng: np.random.Generator,
    outcome: np.ndarray,
    start: np.ndarray,
    last_ok: np.ndarray,
) -> np.ndarray:
    """Submission day: on time (outcome 0) before ``last_ok``, else late 1-30 days."""
    n = len(outcome)
    early = np.maximum(start, last_ok - (rng.geometric(P_EARLY_DAY, n) - 1))
    early = _to_working_day(early, backwards=early - 2 >= start)  # stays on time
    late = last_ok + np.minimum(30, rng.geometric(P_LATE_DAY, n))
    friday = late - (weekday(late) - 4)
    late = _to_working_day(late, backwards=friday > last_ok)
    return np.where(outcome == 0, early, late)


def _at(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """UTC seconds of an office-hour moment on each (local) day."""
    morning = rng.random(len(days)) < P_MORNING
    (m0, m1), (a0, a1) = OFFICE
    lo, hi = np.where(morning, m0, a0), np.where(morning, m1, a1)
    minute = lo + np.floor(rng.random(len(days)) * (hi - lo)).astype("int64")
    seconds = rng.integers(0, 60, len(days))
    return days * 86400 + minute * 60 + seconds - UTC_OFFSET


def _owed(prov: Province, sched: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(schedule row, unit position) of every report owed."""
    size = {"district": len(prov.districts), "commune": len(prov.communes)}
    n = sched["from_level"].map(size).to_numpy()
    row = np.repeat(np.arange(len(sched)), n)
    first = np.repeat(np.cumsum(n) - n, n)
    return row, np.arange(len(row)) - first


def _by_level(
    level: np.ndarray, unit: np.ndarray, table: dict[str, np.ndarray]
) -> np.ndarray:
    """``table[level][unit]`` for each row, rows of different levels mixed."""
    first = next(iter(table.values()))
    out = np.zeros((len(unit), *first.shape[1:]), dtype=first.dtype)
    for name, values in table.items():
        mask = level == name
        out[mask] = values[unit[mask]]
    return out


def submissions(
    prov: Province,
    sched: pd.DataFrame,
    rng: np.random.Generator,
    today: int,
    table: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """``report_submission`` rows; ``schedule_row`` points into ``sched``.

    ``table``: the ``tendencies`` to use (drawn first from ``rng`` when not given;
    a year cut by the reform passes those its earlier years were drawn with).
    """
    table = tendencies(prov, rng) if table is None else table
    row, unit = _owed(prov, sched)
    level = sched["from_level"].to_numpy()[row]
    unit_id = _by_level(
        level,
        unit,
        {
            "district": prov.districts["id"].to_numpy(),
            "commune": prov.communes["id"].to_numpy(),
        },
    )
    probs = _by_level(level, unit, table)
    return _submitted(rng, sched, (row, unit_id, probs), today)


def _submitted(
    rng: np.random.Generator,
    sched: pd.DataFrame,
    owed: tuple[np.ndarray, np.ndarray, np.ndarray],
    today: int,
    earliest: int | None = None,
) -> pd.DataFrame:
    """Submissions of the owed reports: (schedule row, unit id, tendency) each.

    Nothing is sent before ``earliest`` (the day the units came into being).
    """
    row, unit_id, probs = owed
    outcome = pick_rows(rng, probs)
    due = sched["due_date"].to_numpy()[row]
    last_ok = np.where(sched["due_inclusive"].to_numpy()[row], due, due - 1)
    start = sched["period_start"].to_numpy()[row]
    if earliest is not None:
        start = np.maximum(start, earliest)
    first = _days(rng, outcome, start, last_ok)
    again = rng.random(len(row)) < P_RESUBMIT
    second = _to_working_day(
        first + rng.integers(1, RESUBMIT_DAYS + 1, len(row)),
        backwards=np.zeros(len(row), bool),
    )
    frame = pd.DataFrame(
        {
            "schedule_row": np.r_[row, row],
            "unit_id": np.r_[unit_id, unit_id],
            "version": np.repeat(np.array([1, 2], "int64"), len(row)),
            "day": np.r_[first, second],
            "submitted_at": np.r_[_at(rng, first), _at(rng, second)],
            "keep": np.r_[outcome < 2, (outcome < 2) & again],  # outcome 2: missing
        }
    )
    frame = frame[frame["keep"] & (frame["day"] < today)]
    return frame.sort_values(["schedule_row", "unit_id", "version"], kind="stable")


def successor_tendencies(rng: np.random.Generator, inherited: np.ndarray) -> np.ndarray:
    """(on time, late, missing) of each new commune around what it ``inherited``.

    ``inherited``: its predecessors' tendencies weighted by the children each
    brought (rows summing to 1); each commune then varies around it as a commune
    varied around its district (``COMMUNE_SPREAD``).
    """
    commune = rng.gamma(np.maximum(inherited * COMMUNE_SPREAD, 1e-3))
    return commune / commune.sum(1, keepdims=True)


def successor_submissions(
    sched: pd.DataFrame,
    communes: np.ndarray,
    probs: np.ndarray,
    rng: np.random.Generator,
    days: tuple[int, int],
) -> pd.DataFrame:
    """Submissions to a reformed province: every commune owes every row of ``sched``.

    Sent on days ``days[0] <= day < days[1]`` only (from the units' first day).
    """
    row = np.repeat(np.arange(len(sched)), len(communes))
    unit = np.tile(np.arange(len(communes)), len(sched))
    owed = (row, communes[unit], probs[unit])
    return _submitted(rng, sched, owed, days[1], earliest=days[0])
