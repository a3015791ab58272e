"""The attacker test: everything a ``district`` and a ``viewer`` account can receive
on the demo, combined as a determined user would, pins no small abuse count.

The harvest goes through the same functions the pages and files call, as the
account's scope: the map's aggregates for every unit the account may see (the
province listing, the districts or former-district groups, its own communes), on
both trees, for every year, quarter and year to date, abuse alone and abuse and
injury together; the detail panel's trend; the tables page's incident rows
(each commune and month, sorted by count both ways) and scorecard; the quarterly
review of every quarter.  Every figure is turned into the range of true counts it
allows (``data.suppression.interval``) and every sum that holds between the cells
is propagated: a parent is the sum of its children (or at least that of the ones
listed), a year the sum of its quarters, a year to date within its year and at
least its whole quarters, a commune's quarter the sum of its months.  Cells whose
records are the same (a group and its legacy district, a review figure and the
map's) are one unknown.  A cell is pinned when its range closes on one value;
the test asserts that no cell whose true count is 1-4 is, and prints how many it
narrowed to two values.

``test_every_view_is_harvested_or_holds_no_abuse_figure`` keeps the harvest
complete: every callback output and every route of the app must be listed here as
harvested (and by which part) or as holding no abuse figure (and why), so a view
added later fails this file until it is classified.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import pytest
from sqlalchemy import Connection, func, select

from data import metrics, review, suppression, tables
from data.db import make_engine
from data.metrics.cases import case_filter, incident_frame
from data.metrics.rollup import target_place, targets_under
from data.models import AdminUnit, Incident, Indicator, IndicatorValue
from data.periods import Period
from data.reform import FORMER_DISTRICT, NEW_TREE, tree_for
from data.scope import FULL, Scope
from data.tables.shape import labels

TODAY = dt.date(2026, 12, 2)
ABUSE = ("abuse",)
BOTH = ("abuse", "injury")

# Every Dash callback (by the first output's component id) and every route: what
# part of the harvest covers it, or why it holds no abuse figure.
HARVESTED = {
    "map": "map aggregates (abuse, abuse and injury) of every unit and period",
    "ranking": "the map's ranked list: the same shown values, ordered",
    "rank-table": "the ranking: burdens from the map's shown values (harvested)",
    "detail": "detail panel and trend: the same cells as the map (checked equal)",
    "table-holder": "tables page: the incident rows and the scorecard",
    "table-grid": "tables page grid blocks: the same stream, sorted both ways",
    "deck-job": "the review deck: built from the review figures (harvested)",
    "/export/<table>.<fmt>": "exports: the same stream as the grid (harvested)",
    "/export/job/<job_id>.xlsx": "background Excel export: the same stream",
    "/review/deck/<job_id>.<fmt>": "the deck file: the review figures (harvested)",
    "/map/print.<fmt>": "the printed map: the map's own classes (checked equal "
    "in tests/test_map_print.py), the same listing as 'map'",
    "/<path:path>": "the pages' first render: the present view is the review",
    "/": "the map page's first render: map aggregates",
}
NO_ABUSE_FIGURES = {
    "view": "navigation state (unit codes, selection)",
    "reform-notes": "notes on the July-2025 reform, no figure",
    "demo-note": "whether the view shows demo data, no figure",
    "import-demo": "rows of demo data a clear removes, to admin and province "
    "only (exact roles); a district is told to ask, no figure",
    "import-demo-result": "the total of demo rows removed, admin and province only",
    "incident-controls": "which type filters are offered (no abuse type to these)",
    "map-size": "the browser's map size",
    "map-legend": "built in the browser from the map figure (harvested as 'map')",
    "map-labels-drawn": "unit names drawn in the browser (names only)",
    "table-lang-link": "the tables page's address in the other language (filters)",
    "lang-link": "a link to the other language",
    "rank-published": "published PCRI ranks, entered as given",
    "rank-title": "the ranking's heading, informal note and map link",
    "rank-pr-unit": "units offered for a published rank",
    "rank-pr-message": "the save message of a published rank",
    "table-job": "job status of a background export (row counts only)",
    "table-job-status": "job progress",
    "report-choice": "reports owed and overdue (timeliness, no case figure)",
    "report-template": "template link, deadline and the report's history (as "
    "for report-decision-result)",
    "report-result": "the upload's receipt (its own figures, the uploader's), "
    "or the rules it breaks (the uploader's own figures)",
    "report-explain": "a file kept for its explanation dropped when another "
    "report is chosen, no figure",
    "report-approval": "a report's sign-off state and approver; to its approver "
    "the outlier flags of its figures, none on an abuse figure for a role without "
    "exact counts (tests/test_outliers.py)",
    "report-decision-result": "what a sign-off did, and the report's history "
    "(versions, timing, steps, warning rules broken: values of a rule reading "
    "abuse counts to admin and province only)",
    "approval-queue-result": "what a sign-off from the queue did; the queue as "
    "approval-queue",
    "approval-queue": "the reports awaiting the user's sign-off: units, reports, "
    "times, the warning rules broken (values of a rule reading abuse counts to "
    "admin and province only: tests/test_validation_rules.py) and the outlier "
    "flags of their figures, none on an abuse figure for a role without exact "
    "counts (tests/test_outliers.py)",
    "present-counter": "slide counter",
    "import-summary": "a checked import file: roles without exact counts learn only "
    "the file's own rows (tests/test_import_page.py: a stored and a new case "
    "reference read the same)",
    "import-result": "the import's outcome: the file's rows only, for those roles",
    "import-job": "the id of the user's own background job of a large file",
    "import-job-status": "a large file's check or import (owner only), in the "
    "words of import-summary and import-result (the same functions: roles "
    "without exact counts learn only the file's own rows)",
    "table-reimport": "a link to the import page of the table's kind, no figure",
    "/import/large": "the large-file form; the posted file goes to a background "
    "job, the answer is a redirect (no figure)",
    "import-template-xlsx": "the template links of the chosen kind",
    "/import/template/<kind>.<fmt>": "an empty template with the user's units",
    "/import/export/<kind>.<fmt>": "stored rows in the import's form: incident "
    "cases and indicator values to admin and province only (exact counts), "
    "refused to a district (tests/test_fact_export.py); the fund, children, "
    "assessments and plan targets hold no abuse figure",
    "/static/<path:filename>": "static files",
    "/login": "the sign-in form",
    "/logout": "sign-out",
    "/geo/<tree>/<level>/<parent>.json": "boundaries only",
    "/healthz": "health check",
    "/reports/template/<int:schedule_id>/<int:unit_id>.xlsx": "an empty template",
    "countdown": "the countdown on the reports page: reports not sent yet in the "
    "user's own area (as /reports/countdown.xlsx), no figure",
    "/reports/countdown.xlsx": "reports not sent yet in the user's own area, by "
    "deadline: units, days, offices (reporting status), no figure",
    "freshness": "the reporting status banner: when figures were written, counts "
    "of reports missing and awaiting sign-off, no child figure",
    "/assets/<path:filename>": "CSS and scripts",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": "JS",
    "/_dash-layout": "the layout (no data: figures come from callbacks)",
    "/_dash-dependencies": "the callback graph",
    "/_dash-update-component": "every callback: classified one by one above",
    "/_reload-hash": "hot reload",
    "/_favicon.ico": "the icon",
}


def _first_id(output: str) -> str:
    first = output.strip(".").split("...")[0]
    return first.split(".")[0].split("@")[0]


def test_every_view_is_harvested_or_holds_no_abuse_figure(seeded_sqlite) -> None:
    from dashboard import create_app

    app = create_app({**seeded_sqlite, "TESTING": True})
    known = set(HARVESTED) | set(NO_ABUSE_FIGURES)
    views = {_first_id(o) for o in app.callback_map}
    views |= {r.rule for r in app.server.url_map.iter_rules()}
    unclassified = sorted(views - known)
    assert not unclassified, f"classify these views in this file: {unclassified}"


# --- the solver ---------------------------------------------------------------------

Var = tuple  # (count, key sum) of a cell's records: the same records, one unknown


@dataclass
class Solver:
    """Integer ranges of unknown counts and the sums between them."""

    lo: dict[Var, int] = field(default_factory=dict)
    hi: dict[Var, float] = field(default_factory=dict)
    equal: set[tuple[Var, tuple[Var, ...]]] = field(default_factory=set)
    within: set[tuple[Var, tuple[Var, ...]]] = field(default_factory=set)
    readings: int = 0

    def var(self, v: Var) -> Var:
        self.lo.setdefault(v, 0)
        self.hi.setdefault(v, float("inf"))
        return v

    def read(self, v: Var, shown: float | None) -> None:
        low, high = suppression.interval(shown)
        self.var(v)
        self.lo[v] = max(self.lo[v], low)
        self.hi[v] = min(self.hi[v], high)
        self.readings += 1

    def sum_of(self, parent: Var, children: Iterable[Var], exact: bool) -> None:
        """``parent`` is the sum of ``children`` (``exact``) or at least it; only
        sums the true counts obey are kept (the attacker knows the structure)."""
        kids = tuple(children)
        if not kids or parent in kids:
            return
        total = sum(truth(k) for k in kids)
        if exact and truth(parent) == total:
            self.equal.add((self.var(parent), tuple(map(self.var, kids))))
        elif truth(parent) >= total:
            self.within.add((self.var(parent), tuple(map(self.var, kids))))

    def solve(self, rounds: int = 200) -> None:
        lo, hi = self.lo, self.hi
        for _ in range(rounds):
            changed = False

            def tighten(v: Var, low: float, high: float) -> None:
                nonlocal changed
                if low > lo[v]:
                    lo[v], changed = int(low), True
                if high < hi[v]:
                    hi[v], changed = high, True

            for parent, kids in self.equal:
                sum_lo = sum(lo[k] for k in kids)
                sum_hi = sum(hi[k] for k in kids)
                tighten(parent, sum_lo, sum_hi)
                for k in kids:
                    tighten(
                        k, lo[parent] - (sum_hi - hi[k]), hi[parent] - (sum_lo - lo[k])
                    )
            for parent, kids in self.within:
                sum_lo = sum(lo[k] for k in kids)
                tighten(parent, sum_lo, float("inf"))
                for k in kids:
                    tighten(k, 0, hi[parent] - (sum_lo - lo[k]))
            if not changed:
                return


def truth(v: Var) -> int:
    return int(v[0])


# --- the harvest --------------------------------------------------------------------


FIRST = 2021  # the demo's first year


def _periods(first: int) -> list[Period]:
    out = []
    for year in range(first, TODAY.year + 1):
        out += [Period(year), Period(year, ytd=True)]
        last = 4 if year < TODAY.year else (TODAY.month - 1) // 3 + 1
        out += [Period(year, q) for q in range(1, last + 1)]
    return out


@dataclass
class Harvest:
    conn: Connection
    scope: Scope
    solver: Solver = field(default_factory=Solver)
    cells: dict[tuple[str, str, str], Var] = field(default_factory=dict)
    listed: dict[tuple[str, str, str, str], list[str]] = field(default_factory=dict)
    complete: dict[tuple[str, str, str, str], bool] = field(default_factory=dict)

    def view(self, tree: str, level: str, parent: str, period: Period) -> list[str]:
        """One map listing: read every unit's abuse count and its total with
        injuries; returns the codes listed."""
        args = {"tree": tree, "level": level, "parent_code": parent, "period": period}
        shown = metrics.incidents(
            self.conn, **args, categories=ABUSE, today=TODAY, scope=self.scope
        ).set_index("code")
        if shown.empty:
            return []
        both = metrics.incidents(
            self.conn, **args, today=TODAY, scope=self.scope
        ).set_index("code")
        day = period.as_of(TODAY)
        targets = targets_under(tree, level, parent, day, None, self.scope)
        cases = case_filter(period, TODAY, ABUSE, None)
        exact = incident_frame(self.conn, targets, cases).set_index("code")
        everyone = targets_under(tree, level, parent, day, None, FULL)
        full = self.conn.execute(select(func.count()).select_from(everyone)).scalar()
        for code in shown.index:
            v = (int(exact.loc[code, "abuse"]), int(exact.loc[code, "abuse_key"]))
            value = shown.loc[code, "abuse"]
            self.solver.read(v, None if pd.isna(value) else float(value))
            # the total with injuries says nothing more than the abuse shown
            row = both.loc[code]
            if row["partial"]:
                assert pd.isna(value), (tree, code, period)
                assert row["count"] == row["injury"]
            else:
                assert row["count"] - row["injury"] == value, (tree, code, period)
            self.cells[(tree, code, period.key)] = v
        key = (tree, level, parent, period.key)
        self.listed[key] = list(shown.index)
        self.complete[key] = len(shown) == full
        return list(shown.index)

    def hierarchy(self) -> None:
        for (tree, _level, parent, period), codes in self.listed.items():
            top = self.cells.get((tree, parent, period))
            kids = [self.cells[(tree, c, period)] for c in codes]
            if top is not None:
                self.solver.sum_of(
                    top, kids, self.complete[(tree, _level, parent, period)]
                )

    def periods(self) -> None:
        by_unit: dict[tuple[str, str], dict[str, Var]] = defaultdict(dict)
        for (tree, code, period), v in self.cells.items():
            by_unit[(tree, code)][period] = v
        for cells in by_unit.values():
            for year in range(FIRST, TODAY.year + 1):
                whole = cells.get(str(year))
                quarters = [cells.get(f"{year}-Q{q}") for q in range(1, 5)]
                ytd = cells.get(f"{year}-YTD")
                known = [q for q in quarters if q is not None]
                if whole is not None and known:
                    self.solver.sum_of(whole, known, exact=len(known) == 4)
                if ytd is not None:
                    end = Period(year, ytd=True).end(TODAY)
                    full = [
                        q
                        for n, q in enumerate(quarters, 1)
                        if q is not None and Period(year, n).end() <= end
                    ]
                    after = [
                        q
                        for n, q in enumerate(quarters, 1)
                        if q is not None and Period(year, n).start > end
                    ]
                    self.solver.sum_of(ytd, full, exact=False)
                    if whole is not None:
                        self.solver.sum_of(whole, [ytd, *after], exact=False)

    def months(self, district: str) -> None:
        """The tables page's incident rows of the account's own communes, each year
        of the legacy tree, sorted by count both ways."""
        for year in range(2021, 2025):
            filters = tables.Filters("legacy", district, Period(year), type="abuse")
            checked = tables.check_filters("incidents", filters, self.scope)
            rows = {}
            for ascending in (True, False):
                frames = list(
                    tables.stream(
                        self.conn,
                        "incidents",
                        checked,
                        self.scope,
                        sort_model=[("count", ascending)],
                    )
                )
                got = pd.concat(frames) if frames else pd.DataFrame()
                counts = got["count"].tolist() if len(got) else []
                # the order is that of the shown values, nothing else
                assert counts == sorted(counts, reverse=not ascending)
                rows = {
                    (r["code"], r["month"].month): r["count"] for _, r in got.iterrows()
                }
            cells = self._month_cells(district, year)
            for (code, month), v in cells.items():
                self.solver.read(v, rows.get((code, month)))  # not listed: "<5"
            for code in {c for c, _m in cells}:
                months = [cells[(code, m)] for m in range(1, 13)]
                for q in range(1, 5):
                    quarter = self.cells.get(("legacy", code, f"{year}-Q{q}"))
                    if quarter is not None:
                        self.solver.sum_of(quarter, months[3 * q - 3 : 3 * q], True)
                whole = self.cells.get(("legacy", code, str(year)))
                if whole is not None:
                    self.solver.sum_of(whole, months, True)

    def _month_cells(self, district: str, year: int) -> dict[tuple[str, int], Var]:
        parent = AdminUnit.__table__.alias("p")
        unit = AdminUnit.__table__
        communes = self.conn.execute(
            select(unit.c.id, unit.c.code)
            .join(parent, parent.c.id == unit.c.parent_id)
            .where(parent.c.tree == "legacy", parent.c.code == district)
        ).all()
        rows = self.conn.execute(
            select(Incident.unit_id, Incident.occurred_on, Incident.record_key).where(
                Incident.category == "abuse",
                Incident.unit_id.in_([i for i, _c in communes]),
                Incident.occurred_on.between(
                    dt.date(year, 1, 1), dt.date(year, 12, 31)
                ),
            )
        ).all()
        keys: dict[tuple[int, int], list[int]] = defaultdict(list)
        for unit_id, day, key in rows:
            keys[(unit_id, day.month)].append(int(key))
        return {
            (code, m): (len(keys[(i, m)]), sum(keys[(i, m)]))
            for i, code in communes
            for m in range(1, 13)
        }

    def scorecard(self, province: str) -> None:
        """The plan targets of the province's years: counts of abused children as
        one more reading of the province's year; shares of them never shown."""
        hidden = labels("scorecard", "vi")["met"]["hidden"]
        no_value = labels("scorecard", "vi")["met"]["no_value"]
        for year in range(2021, 2025):
            filters = tables.Filters("legacy", province, Period(year))
            checked = tables.check_filters("scorecard", filters, self.scope)
            frames = list(tables.stream(self.conn, "scorecard", checked, self.scope))
            rows = pd.concat(frames)
            names = dict(
                self.conn.execute(select(Indicator.name_vi, Indicator.code)).all()
            )
            rows["indicator_code"] = rows["indicator"].map(names)
            shares = rows[
                rows["indicator_code"].isin(suppression.ABUSE_SHARE_INDICATORS)
            ]
            assert len(shares) and shares["value"].isna().all()
            assert shares["met"].isin([hidden, no_value]).all()
            assert (shares["met"] == hidden).any()
            counts = rows[
                rows["indicator_code"].isin(suppression.ABUSE_COUNT_INDICATORS)
            ]
            for _, row in counts.iterrows():
                stored = self.conn.execute(
                    select(IndicatorValue.value, IndicatorValue.record_key)
                    .join(AdminUnit, AdminUnit.id == IndicatorValue.unit_id)
                    .where(
                        IndicatorValue.indicator_code == row["indicator_code"],
                        AdminUnit.tree == "legacy",
                        AdminUnit.code == row["code"],
                        IndicatorValue.year == year,
                    )
                ).one()
                v = (int(stored.value), ("indicator", int(stored.record_key)))
                value = row["value"]
                self.solver.read(v, None if pd.isna(value) else float(value))
                cell = self.cells.get(("legacy", row["code"], str(year)))
                if cell is not None:  # the same count, read twice
                    self.solver.sum_of(cell, [v], exact=True)
                    self.solver.sum_of(v, [cell], exact=True)

    def reviews(self, province: str, first: int) -> int:
        """The quarterly review of every quarter of the legacy tree: its abuse row
        (the quarter, the same quarter last year, the year to the quarter's end)."""
        read = 0
        for year in range(max(first, FIRST) + 1, 2025):
            for q in range(1, 5):
                quarter = Period(year, q)
                r = review.review(
                    self.conn,
                    province=province,
                    quarter=quarter,
                    today=TODAY,
                    scope=self.scope,
                )
                abuse = r.incidents[r.incidents["category"] == "abuse"]
                assert list(abuse["type_code"]) in ([], [review.ABUSE_ALL])
                if abuse.empty:
                    continue
                row = abuse.iloc[0]
                same = {
                    "now": (province, quarter.key),
                    "before": (province, Period(year - 1, q).key),
                }
                for column, (code, key) in same.items():
                    cell = self.cells[("legacy", code, key)]
                    value = row[column]
                    # the same records as the map's cell: the same value
                    expected = suppression.shown_count(*cell)
                    assert (pd.isna(value) and expected is None) or value == expected
                    read += 1
                # the year to the quarter's end: one more cell
                place = target_place(self.conn, "legacy", province, quarter.end())
                cases = case_filter(Period(year, ytd=True), quarter.end(), ABUSE, None)
                exact = incident_frame(self.conn, place, cases).iloc[0]
                v = (int(exact["abuse"]), int(exact["abuse_key"]))
                value = row["ytd"]
                self.solver.read(v, None if pd.isna(value) else float(value))
                quarters = [
                    self.cells[("legacy", province, f"{year}-Q{n}")]
                    for n in range(1, q + 1)
                ]
                self.solver.sum_of(v, quarters, exact=True)
                read += 1
        return read


def _attack(conn: Connection, scope: Scope, first: int = FIRST) -> tuple[Solver, dict]:
    """Harvest every period from ``first`` on as ``scope``, then solve."""
    h = Harvest(conn, scope)
    new_province = conn.execute(
        select(AdminUnit.code).where(
            AdminUnit.tree == NEW_TREE,
            AdminUnit.level == "province",
            AdminUnit.name.like("%Gia Lai%"),
        )
    ).scalar_one()
    district = None
    if scope.unit_id is not None:
        district = conn.execute(
            select(AdminUnit.code).where(AdminUnit.id == scope.unit_id)
        ).scalar_one()
    for period in _periods(first):
        tree = tree_for(period, TODAY)
        if tree == NEW_TREE:
            h.view(tree, "province", "VN", period)
            groups = h.view(tree, FORMER_DISTRICT, new_province, period)
            h.view(tree, "commune", new_province, period)
            for group in groups:
                h.view(tree, "commune", group, period)
        else:
            h.view(tree, "province", "VN", period)
            h.view(tree, "district", "64", period)
            if district:
                h.view(tree, "commune", district, period)
    h.hierarchy()
    h.periods()
    stats = {"views": len(h.listed)}
    if scope.sees_tables and district:
        h.months(district)
        h.scorecard("64")
    stats["review figures"] = h.reviews("64", first)
    h.solver.solve()
    return h.solver, stats


@pytest.fixture(scope="module")
def demo(seeded_sqlite):
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    with engine.connect() as conn:
        yield conn
    engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("role", ["district", "viewer"])
def test_no_combination_of_views_pins_a_small_count(demo, role: str) -> None:
    unit_id = None
    if role == "district":
        unit_id = demo.execute(
            select(AdminUnit.id).where(
                AdminUnit.tree == "legacy", AdminUnit.code == "633"
            )
        ).scalar_one()
    solver, stats = _attack(demo, Scope(role, unit_id))
    small = [v for v in solver.lo if 1 <= truth(v) <= 4]
    for v in solver.lo:  # the solver is sound: every true count stays possible
        assert solver.lo[v] <= truth(v) <= solver.hi[v], v
    pinned = [v for v in small if solver.lo[v] == solver.hi[v]]
    narrow = [v for v in small if solver.hi[v] - solver.lo[v] <= 1]
    print(
        f"\n{role}: {stats['views']} listings, {stats['review figures']} review "
        f"figures, {solver.readings} figures read, {len(solver.lo)} cells, "
        f"{len(solver.equal)} sums and {len(solver.within)} bounds; "
        f"{len(small)} cells of 1-4: {len(pinned)} pinned, {len(narrow)} narrowed "
        "to two values or fewer"
    )
    assert len(small) > 50  # the demo has many small cells to protect
    assert not pinned


def test_the_attack_pins_cells_of_the_old_rule(demo, monkeypatch) -> None:
    """The same harvest against the rule this module replaced (0 shown as 0, 1-4 as
    "<5", the rest rounded to 5, every cell on its own): the solver pins small
    cells, so the test above can fail."""

    def old_shown(count, key_sum=None):
        n = int(count)
        if n == 0:
            return 0.0
        return None if n <= 4 else float(5 * ((n + 2) // 5))

    def old_interval(shown):
        if shown is None or pd.isna(shown):
            return 1, 4
        value = int(shown)
        return (0, 0) if value == 0 else (max(value - 2, 5), value + 2)

    monkeypatch.setattr(suppression, "shown_count", old_shown)
    monkeypatch.setattr(suppression, "interval", old_interval)
    solver, _stats = _attack(demo, Scope("viewer"), first=2023)
    small = [v for v in solver.lo if 1 <= truth(v) <= 4]
    pinned = [v for v in small if solver.lo[v] == solver.hi[v]]
    print(f"\nold rule, viewer: {len(pinned)} of {len(small)} cells of 1-4 pinned")
    assert pinned
