"""Deterministic demo data for every legacy unit loaded in the database.

``generate(session, seed=...)`` fills the fact tables (children per commune,
child-friendly rounds, fund, incidents, reporting calendar and submissions,
indicators) province by province.  Each theme of each province draws from its own
random stream (``sampling.stream``: seed + theme name + province code), so a
province's demo does not depend on which other provinces are loaded, and adding
a theme leaves the others unchanged.  The same seed and years give the same rows
(ids included) on SQLite and PostgreSQL, as long as every year is over; for a
year in progress nothing is dated on or after ``today``.

The numbers are plausible, never real: the assumptions are listed in each theme's
module docstring.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data import approvals, demo_marks, recognition
from data.db import write
from data.demo import (
    child_friendly,
    fund,
    incidents,
    indicator_values,
    indicators,
    population,
    reform_years,
    reports,
    store,
    successors,
)
from data.demo.sampling import DemoError, Province, check_years, day_of, load_provinces
from data.demo.sampling import stream as _stream
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import refresh_all
from data.models import (
    ChildFriendlyAssessment,
    ChildFriendlyScore,
    FundContribution,
    FundTarget,
    Incident,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ReportSchedule,
    ReportSubmission,
)

__all__ = ["DemoError", "DemoReport", "generate"]

Progress = Callable[[str, int, int], None]
DEFAULT_YEARS = range(2021, 2025)  # the Gia Lai 2021 plan's first four years
# ... and, when the July-2025 tree is loaded, the two years across the reform
REFORM_YEARS = range(2025, 2027)


@dataclass
class DemoReport:
    """What ``generate`` wrote: rows per table."""

    seed: int
    years: tuple[int, ...]
    provinces: int = 0
    successors: int = 0  # provinces of the July-2025 tree that got facts
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def format(self) -> str:
        """A few lines of text for the command line."""
        span = f"{self.years[0]}-{self.years[-1]}" if self.years else "-"
        later = f" + {self.successors} after the reform" if self.successors else ""
        lines = [
            f"Demo data: seed {self.seed}, years {span}, {self.provinces} province(s)"
            f"{later}, {self.seconds:.1f} s"
        ]
        lines += [f"  {name:<28} {n:>10,}" for name, n in self.counts.items()]
        return "\n".join(lines)


def generate(
    session: Session,
    *,
    seed: int,
    years: Iterable[int] | None = None,
    progress: Progress | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> DemoReport:
    """Fill the fact tables with demo data for every unit in the database.

    Legacy units get facts on the days they exist (to 30 June 2025); when the
    July-2025 tree is loaded, its provinces continue from 1 July 2025
    (``reform_years``).  A year in which no loaded unit exists is refused.
    Refuses (``DemoError``) when facts already exist unless ``replace`` is true,
    which deletes them first in the same transaction.  ``today`` (default: the
    clock) only matters for years not over yet: nothing is dated on or after it.
    ``years`` default: ``DEFAULT_YEARS``, plus ``REFORM_YEARS`` when the July-2025
    tree is loaded.
    """
    started = time.perf_counter()
    seed = _check_seed(seed)
    if years is not None:
        check_years(years)
    _make_room(session, replace)
    provinces = load_provinces(session.connection())
    if not provinces:
        raise DemoError("no legacy units with communes loaded: load the units first")
    later = successors.load(session.connection(), provinces)
    if years is None:
        years = [*DEFAULT_YEARS, *(REFORM_YEARS if later else ())]
    report = DemoReport(seed, check_years(years))
    steps = reform_years.plan(report.years, provinces, later)
    write(session, insert(Indicator), indicators.definitions())
    writer = store.Writer(session)
    today = today or dt.date.today()
    total = len(provinces) + len(steps.successors)
    kids = []
    for i, prov in enumerate(provinces):
        if progress:
            progress(f"province {prov.code}", i, total)
        kids.append(_province(writer, prov, report.seed, steps.whole[i], today))
    reform_years.write(
        writer,
        steps,
        provinces,
        kids,
        report.seed,
        day_of(today),
        progress and (lambda label, i: progress(label, len(provinces) + i, total)),
    )
    store.set_country_children(session)
    store.reset_sequences(session)
    approvals.approve_demo(session, today)
    demo_marks.mark(
        session,
        [p.id for p in provinces] + [s.id for s, _ in steps.successors],
        report.seed,
        # the day generated for, not the clock: the same seed, the same rows
        dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC),
    )
    store.write_meta(
        session,
        {
            "demo_seed": str(report.seed),
            "demo_years": ",".join(str(y) for y in report.years),
        },
    )
    refresh_all(session)
    record_facts_changed(session)
    report.provinces = len(provinces)
    report.successors = len(steps.successors)
    report.counts = {"indicator": len(indicators.INDICATORS), **writer.counts}
    report.seconds = time.perf_counter() - started
    if progress:
        progress("done", total, total)
    return report


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise DemoError(f"the seed must be a non-negative integer, not {seed!r}")
    return int(seed)


def _make_room(session: Session, replace: bool) -> None:
    """Refuse to mix demo and existing facts; with ``replace``, delete them."""
    existing = store.fact_counts(session)
    foreign = store.foreign_children(session)
    if (existing or foreign) and not replace:
        held = ", ".join(f"{name}: {n:,}" for name, n in existing.items())
        if foreign:
            held += f"{', ' if held else ''}non-demo children counts: {foreign:,}"
        raise DemoError(
            f"the database already holds data ({held}); "
            "pass replace=True to delete the facts first"
        )
    store.delete_facts(session, indicators.CODES)


def _province(
    writer: store.Writer,
    prov: Province,
    seed: int,
    years: tuple[int, ...],
    today: dt.date,
) -> np.ndarray:
    """Generate and write every theme of one province in ``years``; its children.

    ``years``: the years wholly inside the province's validity (maybe none).
    """
    now = day_of(today)

    def rng(theme: str) -> np.random.Generator:
        return _stream(seed, theme, prov.code)

    kids = population.children(prov, rng("population"))
    store.set_province_children(writer.session, prov, kids)
    if not years:
        return kids
    assessments, scores = child_friendly.generate(
        prov, years, rng("child_friendly"), now
    )
    if len(assessments):  # the rule every writer of assessments follows
        recognition.check_rows(assessments, scores)
    ids = writer.add(ChildFriendlyAssessment, assessments)
    if len(scores):
        writer.add(
            ChildFriendlyScore,
            scores.assign(assessment_id=ids[scores["assessment_row"]]),
        )
    targets = fund.targets(prov, kids, years)
    writer.add(FundTarget, targets)
    money = fund.contributions(prov, kids, targets, years, rng("fund"), now)
    writer.add(FundContribution, money)
    handed = fund.transfers(prov, money, years, rng("fund transfers"), now)
    writer.add(FundContribution, handed)
    cases = incidents.generate(prov, kids, years, rng("incidents"), now)
    writer.add(Incident, cases.rows)
    calendar = reports.schedules(prov.id, years, code=prov.code)
    schedule_ids = writer.add(ReportSchedule, calendar)
    main = rng("reports")
    table = reports.tendencies(prov, main)
    sent = reports.by_stream(
        calendar,
        lambda rows, extra: reports.submissions(
            prov, rows, rng(f"reports {extra}") if extra else main, now, table
        ),
    )
    writer.add(
        ReportSubmission, sent.assign(schedule_id=schedule_ids[sent["schedule_row"]])
    )
    facts = indicator_values.Facts(prov, kids, assessments, targets, money, cases)
    goals, values = indicator_values.generate(
        facts, years, lambda code: rng(f"indicator {code}"), today.year - 1
    )
    writer.add(IndicatorTarget, goals)
    writer.add(IndicatorValue, values)
    return kids
