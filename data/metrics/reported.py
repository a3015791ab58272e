"""Figures submitted in reports (``data.submissions``) as a source for the incidents
and fund themes, for units that have no other.

The other source is the case and booking records (``incident``,
``fund_contribution``).  A report states figures for the reporting unit's whole
area (a district: itself and its communes) over the period it covers.  For a
period shown on the map, a report counts when all of these hold:

1. Its period lies within the period shown (first to last day, also for a period
   not yet over).  Reports run from 1 January (first quarter, 6 months, 9 months,
   year), so the year takes the annual report and the first quarter the Q1
   report; a later quarter has no report of its own (figures are never derived by
   subtracting one report from another).  Of a unit's reports that qualify, the
   one covering the most counts (the latest end, then the earliest start).
2. Of that report, the LATEST version counts: a resubmission corrects the figures
   (timeliness, ``data.metrics.report_timeliness``, counts the first).  When
   figures not yet approved do not count (``data.approvals.counts_unapproved``,
   the setting ``COUNT_UNAPPROVED``), only an approved version is a candidate;
   when they count, ``Reported.unapproved`` says where they were counted.
3. The reporting unit's area has no records of the theme in the YEAR of the
   period shown (any category, any type).  Records always win, and a unit keeps
   one source for every period of a year and every filter: a quarter never shows
   more than its year, a type never more than all types.
4. It does not cover a commune and a day that a report already counted for the
   same unit shown covers.  Reports are taken by coverage (communes x days, the
   largest first): a district's report counts instead of its communes' reports
   when the district is shown or anything above it; a commune shown alone takes
   its own.  Across the July-2025 reform a new commune's report and its legacy
   predecessors' (or their district's) reports of the same year overlap in the
   legacy communes it inherits: the larger coverage counts, the other not.

A report is thus booked, like a record, on the unit that made it, and rolls up
(``data.metrics.rollup.rollup``) to every unit shown above it, each at most once.
Which reports count is decided here over the candidate list (at most one report
per reporting unit and unit shown); the figures are summed in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from typing import cast as of_type

import pandas as pd
from sqlalchemy import (
    CTE,
    BigInteger,
    Connection,
    Exists,
    Table,
    cast,
    exists,
    func,
    select,
)

from data.approvals import APPROVED, counts_unapproved
from data.db import kept, read_df, read_rows, read_scalar, read_scalars
from data.metrics.rollup import UNIT, rollup, units_as_targets
from data.models import (
    FundContribution,
    Incident,
    ReportFigure,
    ReportSchedule,
    ReportSubmission,
)
from data.reform import LEGACY_TREE, NEW_TREE

SENT: Table = ReportSubmission.__table__
SCHEDULE: Table = ReportSchedule.__table__
FIGURE: Table = ReportFigure.__table__
COLUMNS = ["target", "code", "value", "key"]
REPORTS_FLAG = "any_report"  # the column of ``reports_in`` in a theme's frame
# the key of a theme's frame's ``attrs`` holding ``Reported.unapproved``: the
# targets whose counted figures include a version not approved yet
UNAPPROVED = "unapproved"


def unapproved(frame: pd.DataFrame) -> frozenset[str]:
    """The targets of a theme's frame whose figures include a report not
    approved yet (``UNAPPROVED``; none when the frame says nothing)."""
    return frozenset(frame.attrs.get(UNAPPROVED, ()))


class _Figure(Protocol):
    """A row of ``Reported.values`` (pandas' ``itertuples``: untyped fields)."""

    target: str
    code: str
    value: float


@dataclass(frozen=True)
class Reported:
    """``values``: per target code and figure code, the reported value that counts
    and the sum of its figures' record keys (columns ``target``, ``code``,
    ``value``, ``key``: ``data.suppression``); ``targets``: the targets with at
    least one counted report (figures of 0 included); ``unapproved``: the targets
    with a counted report not approved yet (``data.approvals``)."""

    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    targets: frozenset[str] = frozenset()
    unapproved: frozenset[str] = frozenset()

    def by_code(self, codes: Iterable[str]) -> pd.DataFrame:
        """One row per target with a counted report, one column per code (0 when
        not reported), indexed by target code."""
        codes = list(codes)
        values = self.values["value"]
        whole = values.empty or pd.api.types.is_integer_dtype(values)
        dtype, kind = ("int64", int) if whole else ("float64", float)
        wide = pd.DataFrame(0, index=sorted(self.targets), columns=codes, dtype=dtype)
        for row in of_type("Iterator[_Figure]", self.values.itertuples(index=False)):
            if row.code in wide.columns:
                # one cell (codes are distinct): a number
                now = of_type(float, wide.loc[row.target, row.code])
                wide.loc[row.target, row.code] = now + kind(row.value)
        return wide

    def key_by_code(self, codes: Iterable[str]) -> pd.Series:
        """Per target code, the sum of the record keys of the figures of ``codes``
        counted (``data.suppression``)."""
        wanted = self.values[self.values["code"].isin(list(codes))]
        return wanted.groupby("target")["key"].sum().astype("int64")


# What no report adds (read only, as every ``Reported``): made once, as an empty
# frame costs more to make than the statement that finds no report.
NOTHING_REPORTED = Reported()


def _with_figures(section: str) -> Exists:
    return exists().where(
        FIGURE.c.submission_id == SENT.c.id, FIGURE.c.section == section
    )


@kept
def reports_in(section: str, first: dt.date, last: dt.date) -> Exists:
    """Whether any report with figures of ``section`` lies in [first, last]: a
    flag to ask in the theme's own statement (``per_target``'s ``flags``).
    Asked from the section's figures (an index), as most submissions carry none
    of a given section."""
    return exists(
        select(FIGURE.c.id)
        .join(SENT, SENT.c.id == FIGURE.c.submission_id)
        .join(SCHEDULE, SCHEDULE.c.id == SENT.c.schedule_id)
        .where(
            FIGURE.c.section == section,
            SCHEDULE.c.period_start >= first,
            SCHEDULE.c.period_end <= last,
        )
    )


def any_reports(
    frame: pd.DataFrame | dict[str, list[Any]], flag: str = REPORTS_FLAG
) -> bool | None:
    """The flag ``reports_in`` asked as column ``flag`` of ``frame`` (a frame,
    or columns as lists; removed); None when the frame has no row to say it."""
    asked = list(frame.pop(flag))  # a few dozen rows: a list is cheaper
    return any(v for v in asked if v is not None and v == v) if asked else None


def _candidates(
    conn: Connection,
    targets: CTE,
    section: str,
    first: dt.date,
    last: dt.date,
    apportion: bool = False,
) -> pd.DataFrame:
    """Every stored version of every report with figures of ``section`` whose
    period lies in [first, last], made by a unit rolled up under each target
    (with ``apportion``, the ``weight`` of its figures for the target:
    ``rollup``)."""
    r = rollup(targets, "report_rollup", apportion=apportion)
    weight = (r.c.weight,) if apportion else ()
    stmt = (
        select(
            targets.c.code.label("target"),
            *weight,
            SENT.c.unit_id,
            SENT.c.id.label("submission_id"),
            SENT.c.version,
            SENT.c.schedule_id,
            SCHEDULE.c.period_start,
            SCHEDULE.c.period_end,
            UNIT.c.tree,
            SENT.c.approval,
        )
        .select_from(
            targets.join(r, r.c.target_id == targets.c.id)
            .join(SENT, SENT.c.unit_id == r.c.unit_id)
            .join(SCHEDULE, SCHEDULE.c.id == SENT.c.schedule_id)
            .join(UNIT, UNIT.c.id == SENT.c.unit_id)
        )
        .where(
            SCHEDULE.c.period_start >= first,
            SCHEDULE.c.period_end <= last,
            _with_figures(section),
        )
    )
    if not counts_unapproved(conn):  # only approved versions count
        stmt = stmt.where(SENT.c.approval == APPROVED)
    frame = read_df(conn, stmt)
    for name in ("period_start", "period_end"):
        frame[name] = pd.to_datetime(frame[name]).dt.date
    return frame


def _chosen(candidates: pd.DataFrame) -> pd.DataFrame:
    """Per (target, reporting unit): the report covering most, its latest version."""
    latest = candidates.sort_values("version").drop_duplicates(
        ["target", "unit_id", "schedule_id"], keep="last"
    )
    ordered = latest.sort_values(
        ["period_end", "period_start", "schedule_id"], ascending=[False, True, False]
    )
    return ordered.drop_duplicates(["target", "unit_id"], keep="first")


def _areas(
    conn: Connection,
    units: pd.DataFrame,
    records: Table,
    date_column: str,
    start: dt.date,
    end: dt.date,
) -> tuple[dict[int, frozenset[int]], set[int]]:
    """For each reporting unit: the communes of its area (itself too), and which
    units have records of the theme dated in [start, end] in their area."""
    leaves: dict[int, set[int]] = {}
    with_records: set[int] = set()
    for tree in (LEGACY_TREE, NEW_TREE):
        ids = sorted(set(units.loc[units["tree"] == tree, "unit_id"].astype(int)))
        if not ids:
            continue
        reporters = units_as_targets(ids, tree)
        area = rollup(reporters, "area")
        place = UNIT.alias("place")
        rows = read_rows(
            conn,
            select(area.c.target_id, area.c.unit_id)
            .select_from(area.join(place, place.c.id == area.c.unit_id))
            .where(place.c.level == "commune"),
        )
        for reporter, commune in rows:
            leaves.setdefault(reporter, set()).add(commune)
        dated = records.c[date_column]
        found = read_scalars(
            conn,
            select(area.c.target_id)
            .select_from(area.join(records, records.c.unit_id == area.c.unit_id))
            .where(dated >= start, dated <= end)
            .distinct(),
        )
        with_records.update(found)
    return {u: frozenset(leaves.get(u, set()) | {u}) for u in units["unit_id"]}, (
        with_records
    )


def _counted(chosen: pd.DataFrame, leaves: dict[int, frozenset[int]]) -> list[Hashable]:
    """Indexes of ``chosen`` that count: per target, by coverage, none covering a
    commune and a day already covered (rule 4 of the module)."""
    frame = chosen.assign(
        days=[
            (e - s).days + 1
            for s, e in zip(chosen["period_start"], chosen["period_end"], strict=True)
        ],
        communes=[len(leaves[u]) for u in chosen["unit_id"]],
    )
    frame["coverage"] = frame["days"] * frame["communes"]
    kept: list[Hashable] = []
    for _target, group in frame.groupby("target", sort=False):
        taken: dict[int, list[tuple[dt.date, dt.date]]] = {}
        ordered = group.sort_values(["coverage", "unit_id"], ascending=[False, True])
        for index, row in ordered.iterrows():
            span = (row["period_start"], row["period_end"])
            if any(
                s <= span[1] and span[0] <= e
                for commune in leaves[row["unit_id"]]
                for s, e in taken.get(commune, ())
            ):
                continue
            for commune in leaves[row["unit_id"]]:
                taken.setdefault(commune, []).append(span)
            kept.append(index)
    return kept


def reported(
    conn: Connection,
    targets: CTE,
    *,
    section: str,
    codes: Iterable[str],
    records: Table,
    date_column: str,
    first: dt.date,
    last: dt.date,
    apportion: bool = False,
    any_report: bool | None = None,
) -> Reported:
    """Per target code and figure code: the reported value that counts.

    ``section`` and ``codes``: the figures wanted (``data.vocabulary.
    FIGURE_SECTIONS``); ``records`` and ``date_column``: the theme's other source,
    looked for in the whole year of ``first``; [``first``, ``last``]: the period
    shown, first to last day, in which a counted report's period must lie.
    ``apportion`` (cases): a divided legacy commune's report counts for each of
    its successors by area share (``rollup``); the values are then floats.
    ``any_report``: whether ``reports_in`` holds, when the caller asked already.
    """
    if any_report is None:
        any_report = read_scalar(conn, select(reports_in(section, first, last)))
    if not any_report:  # the usual case: no roll-up
        return NOTHING_REPORTED
    candidates = _candidates(conn, targets, section, first, last, apportion)
    if candidates.empty:
        return NOTHING_REPORTED
    chosen = _chosen(candidates)
    year = (dt.date(first.year, 1, 1), dt.date(first.year, 12, 31))
    leaves, with_records = _areas(conn, chosen, records, date_column, *year)
    chosen = chosen[~chosen["unit_id"].isin(with_records)]
    wanted = ["target", "submission_id", "approval", *(["weight"] if apportion else [])]
    counted = chosen.loc[_counted(chosen, leaves), wanted]
    if counted.empty:
        return NOTHING_REPORTED
    submissions = sorted(set(counted["submission_id"].astype(int)))
    sums = read_df(
        conn,
        select(
            FIGURE.c.submission_id,
            FIGURE.c.code,
            cast(func.sum(FIGURE.c.value), BigInteger).label("value"),
            cast(func.sum(FIGURE.c.record_key), BigInteger).label("key"),
        )
        .where(
            FIGURE.c.submission_id.in_(submissions),
            FIGURE.c.section == section,
            FIGURE.c.code.in_(tuple(codes)),
        )
        .group_by(FIGURE.c.submission_id, FIGURE.c.code),
    )
    joined = counted.merge(sums, on="submission_id")
    joined["key"] = joined["key"].astype("int64")
    if apportion:
        joined["value"] = joined["value"].astype("float64") * joined["weight"]
    out = joined.groupby(["target", "code"], as_index=False)[["value", "key"]].sum()
    out["key"] = out["key"].astype("int64")
    out["value"] = out["value"].astype("float64" if apportion else "int64")
    unapproved = counted.loc[counted["approval"] != APPROVED, "target"]
    return Reported(out[COLUMNS], frozenset(counted["target"]), frozenset(unapproved))


# The map's themes a report's figures feed, with the records that take precedence
# (rule 3): section -> (records table, date column).  Other sections (groups of
# children, activities, staff trained) are stored with the report, not mapped.
MAPPED_SECTIONS = {
    "case": (Incident.__table__, "occurred_on"),
    "fund": (FundContribution.__table__, "contributed_on"),
}


@dataclass(frozen=True)
class Use:
    """Whether one section of a unit's report counts on the map for its year:
    ``counts`` False when the unit's area has records of the theme dated in
    ``year`` (rule 3: records win, for every period of that year)."""

    section: str
    counts: bool
    year: int


def uses(conn: Connection, unit_id: int, year: int) -> list[Use]:
    """For a report of the unit ``unit_id`` covering part of ``year``: per mapped
    section, whether its figures count on the map or records are used instead
    (rule 3 of the module; rules 1, 2 and 4 depend on the period and the place
    shown, not on the report alone)."""
    tree = read_scalar(conn, select(UNIT.c.tree).where(UNIT.c.id == unit_id))
    if tree is None:
        return []
    units = pd.DataFrame({"unit_id": [unit_id], "tree": [tree]})
    span = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    found = []
    for section, (records, date_column) in MAPPED_SECTIONS.items():
        _leaves, with_records = _areas(conn, units, records, date_column, *span)
        found.append(Use(section, unit_id not in with_records, year))
    return found
