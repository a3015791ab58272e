"""Demo facts across the July-2025 reform: one province continuing through it.

Which years go where (``plan``), for each loaded province:

- a year wholly inside a legacy province's validity (to 30 June 2025) is
  generated exactly as before (``data.demo._province``), and first: its rows,
  ids included, do not depend on later years being asked for;
- the year the legacy tree ends in (2025) is *cut*: the legacy units get its
  facts up to their last day (``_cut``), the provinces of the later tree from
  their first day, 1 July (``_successor``);
- a province of a later tree gets facts from its first day up to the day before
  ``today`` (or the end of the last year asked for);
- a year in which no loaded province is valid on any day is refused
  (``DemoError``): without the July-2025 tree loaded, 2021-2025 are generated
  (2025 to 30 June only) and 2026 is refused rather than left silently empty.

The cut year of the legacy units (assumptions):
- incidents: the whole year is drawn with the communes' risks of the earlier years
  and only the cases dated up to the last day are kept, so the months keep their
  weights (the drowning peak of May-August straddles the reform);
- fund: the province and its districts keep their targets for the whole year (set
  before the reform); the year's contributions are drawn whole with the units'
  tendencies and kept up to the last day: Tết and the Action Month fall in the
  first half, about 65 % of a year's money;
- reports: the schedules due on or before the last day (the communes' Q1 and
  6-month reports to the district, the districts' 6-month report to the
  province, the child-friendly registration) and those of a period that ended
  by the last day but due after it (the June Action Month: communes "trước ngày
  10/7", districts "trước ngày 20/7"; ``data.calendar.owes``), which the
  successors file for the abolished units up to today with the same mix of on
  time, late and missing; a late report due before the reform that would have
  come after the last day never comes;
- no child-friendly round (rounds are decided in December) and no indicator
  target or value (the plans' year is cut in two).

A province of a later tree (assumptions; children, risks and report tendencies of
its communes: ``successors``):
- incidents at the legacy rates, trend and month weights (``incidents``), each
  year drawn whole and kept from the first day: the rate per 100,000 continues;
- fund: ``fund.successor_targets`` (the reform year: the sum of the predecessors'
  targets; later years: the legacy rule on its children, 4-billion floor), no
  district targets; contributions booked on the province and its communes only:
  the communes raise the share communes raised before (30-50 % of the 70 % outside
  the province's own fund), the province's fund takes the rest, including what
  district funds used to raise (district funds ended with the districts);
- reports: ``reports.SUCCESSOR_SPECS``, communes straight to the province, owed
  from the first day on (2025: the annual report only; the Action Month from
  2026), same mix of on time, late
  and missing around the tendencies the communes inherited;
- child-friendly: no assessment round.  Under QĐ 06/QĐ-TTg rounds fall in November
  of years 2 and 4 of the 5-year plan: none in 2025-2026, the first for the new
  communes is November 2027 (plan 2026-2030), and recognition is not carried over
  to merged communes (DOMAIN.md section 7).  So a new commune's status is "not yet
  assessed": it has no ``child_friendly_assessment`` row, in any year (the
  recognising authority after the reform is not verified, so no later round is
  made up either);
- no indicator targets or values (the plans' indicators are set on districts).

Random streams: the cut year draws from theme + " " + year, keyed by the legacy
province code ("incidents 2025", "64"), after drawing again the first draws of
the legacy streams (risks, tendencies); a later tree's province draws from the
theme keyed by tree and code ("incidents", "2025/52").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from data.demo import fund, incidents, reports, store, successors
from data.demo.sampling import Communes, DemoError, Province, day, stream, year_days
from data.demo.successors import Inheritance, NewProvince
from data.models import (
    FundContribution,
    FundTarget,
    Incident,
    ReportSchedule,
    ReportSubmission,
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Plan:
    """The years each province gets: ``whole`` and ``cut`` per legacy province."""

    whole: list[tuple[int, ...]]
    cut: list[tuple[int, ...]]
    successors: list[tuple[NewProvince, tuple[int, ...]]]


def _overlaps(year: int, first: int | None, last: int | None) -> bool:
    jan1, dec31 = year_days(year)
    return (first is None or first <= dec31) and (last is None or jan1 <= last)


def plan(
    years: Sequence[int], legacy: Sequence[Province], later: Sequence[NewProvince]
) -> Plan:
    """Split ``years`` between the trees; refuse a year no loaded province covers."""
    whole = [
        tuple(y for y in years if p.valid_to is None or year_days(y)[1] <= p.valid_to)
        for p in legacy
    ]
    cut = [
        tuple(
            y
            for y in years
            if p.valid_to is not None and _overlaps(y, None, p.valid_to)
        )
        for p in legacy
    ]
    cut = [tuple(y for y in c if y not in w) for c, w in zip(cut, whole, strict=True)]
    active = [
        (s, tuple(y for y in years if _overlaps(y, s.valid_from, s.valid_to)))
        for s in later
    ]
    active = [(s, ys) for s, ys in active if ys]
    covered = {y for ys in [*whole, *cut] for y in ys}
    covered |= {y for _, ys in active for y in ys}
    missing = [y for y in years if y not in covered]
    if missing:
        raise DemoError(
            f"no loaded unit exists in {', '.join(map(str, missing))}: the legacy "
            "tree ends on 30 June 2025; load the July-2025 tree (load_2025_tree) "
            "to generate later years"
        )
    return Plan(whole, cut, active)


def _cut(
    writer: store.Writer,
    prov: Province,
    kids: np.ndarray,
    seed: int,
    year: int,
    today: int,
) -> None:
    """The legacy units' facts of the year the reform cuts, up to their last day."""
    assert prov.valid_to is not None
    until = min(today, prov.valid_to + 1)

    def own(theme: str) -> np.random.Generator:  # drawn again: the earlier years'
        return stream(seed, theme, prov.code)

    def rng(theme: str) -> np.random.Generator:
        return stream(seed, f"{theme} {year}", prov.code)

    risk = incidents.risks(own("incidents"), prov, kids)
    communes = Communes.of(prov, kids)
    days = (day(year, 1, 1), until)
    cases = incidents.cases_between(communes, risk, [year], rng("incidents"), days)
    writer.add(Incident, cases)
    targets = fund.targets(prov, kids, [year])
    writer.add(FundTarget, targets)
    tendency = fund.tendencies(own("fund"), len(prov.districts))
    money = fund.contributions(
        prov, kids, targets, [year], rng("fund"), until, tendency
    )
    writer.add(FundContribution, money)
    calendar = reports.schedules(prov.id, [year], code=prov.code)
    due, end = calendar["due_date"], calendar["period_end"]
    # owed: due while the units exist, or for a period that ended while they did
    after = (due > prov.valid_to) & (end < due) & (end <= prov.valid_to)
    calendar = calendar[(due <= prov.valid_to) | after].reset_index(drop=True)
    ids = writer.add(ReportSchedule, calendar)
    table = reports.tendencies(prov, own("reports"))
    main = rng("reports")
    sent = reports.by_stream(
        calendar,
        lambda rows, extra: reports.submissions(
            prov, rows, rng(f"reports {extra}") if extra else main, today, table
        ),
    )
    # a report due before the reform and not in by the last day never comes; one
    # due after it is filed by the successors, up to today
    filed_after = (calendar["due_date"] > prov.valid_to).to_numpy()
    last = np.where(filed_after[sent["schedule_row"].to_numpy()], today, until)
    sent = sent[sent["day"].to_numpy() < last]
    writer.add(ReportSubmission, sent.assign(schedule_id=ids[sent["schedule_row"]]))


def _successor(
    writer: store.Writer,
    new: NewProvince,
    heir: Inheritance,
    predecessor_kids: list[int],
    seed: int,
    years: tuple[int, ...],
    today: int,
) -> None:
    """Every theme of a province of a later tree, on the days it exists."""

    def rng(theme: str) -> np.random.Generator:
        return stream(seed, theme, new.key)

    days = new.days(today)
    ids = new.communes["id"].to_numpy()
    store.set_children(
        writer.session, np.r_[ids, new.id], np.r_[heir.kids, heir.kids.sum()]
    )
    communes = Communes.ungrouped(ids, heir.kids)
    writer.add(
        Incident,
        incidents.cases_between(communes, heir.risk, years, rng("incidents"), days),
    )
    total = int(heir.kids.sum())
    targets = fund.successor_targets(new.id, predecessor_kids, total, years, days[0])
    writer.add(FundTarget, targets)
    money = fund.successor_contributions(new.id, communes, targets, rng("fund"), days)
    writer.add(FundContribution, money)
    calendar = reports.schedules(new.id, years, reports.SUCCESSOR_SPECS, new.code)
    due = calendar["due_date"]
    last = new.valid_to if new.valid_to is not None else due.max()
    calendar = calendar[(due >= days[0]) & (due <= last)].reset_index(drop=True)
    schedule_ids = writer.add(ReportSchedule, calendar)
    stream_ = rng("reports")
    probs = reports.successor_tendencies(stream_, heir.tendency)
    sent = reports.by_stream(
        calendar,
        lambda rows, extra: reports.successor_submissions(
            rows, ids, probs, rng(f"reports {extra}") if extra else stream_, days
        ),
    )
    writer.add(
        ReportSubmission, sent.assign(schedule_id=schedule_ids[sent["schedule_row"]])
    )


def write(
    writer: store.Writer,
    steps: Plan,
    legacy: Sequence[Province],
    kids: Sequence[np.ndarray],
    seed: int,
    today: int,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """The cut year of every legacy province, then every later tree's province.

    ``progress(label, i)`` is called before the i-th later province.
    """
    for prov, k, cut in zip(legacy, kids, steps.cut, strict=True):
        for year in cut:
            _cut(writer, prov, k, seed, year, today)
    if not steps.successors:
        return
    later = [s for s, _ in steps.successors]
    flat = np.concatenate(kids)
    risk, tendency = successors.legacy_traits(seed, legacy, kids)
    carried = successors.carried(later, flat)
    trees = set()
    for i, ((new, years), parts) in enumerate(
        zip(steps.successors, carried, strict=True)
    ):
        if progress:
            progress(f"province {new.code} ({new.tree})", i)
        heir = successors.inherit(new, parts, risk, tendency)
        before = [int(kids[i].sum()) for i in new.predecessors]
        _successor(writer, new, heir, before, seed, years, today)
        trees.add(new.tree)
    for tree in sorted(trees):
        store.set_country_children(writer.session, tree)
