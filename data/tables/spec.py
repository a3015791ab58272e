"""The five tables of the tables page and of the exports: their columns.

A column has a key (the field in the grid and the frame), a kind that decides
its filter, its format in the grid and in Excel and how it is written to CSV,
and a width in Excel.  A table has a key, its columns and the hidden columns its
rows carry besides them.  Titles, sheet names and headers are words of the UI:
``layouts/messages/tables.py`` holds them by these keys, and
``layouts.tables_page`` renders them for the grid and both exporters.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.vocabulary import QD06_CRITERIA, Criterion

# kinds: text | date | month | datetime | int | year | money | score | number | flag
# (a year is a whole number written without grouping: 2024, not 2.024)
TEXT_KINDS = ("text", "flag")
NUMBER_KINDS = ("int", "year", "money", "score", "number")
DATE_KINDS = ("date", "month", "datetime")
# hidden column of the reports table: the day the unit was abolished when its
# successor files for it (``filed_by`` holds the successor's name); the UI
# writes the note of the two (``layouts.tables_page.shown_rows``)
ABOLISHED_ON = "abolished_on"


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = "text"
    width: int = 14  # characters, for Excel

    @property
    def filter_type(self) -> str:
        if self.kind in NUMBER_KINDS:
            return "number"
        if self.kind in DATE_KINDS:
            return "date"
        return "text"


@dataclass(frozen=True)
class Table:
    key: str
    columns: tuple[Column, ...]
    # carried in the rows for the layer that writes them, never a column
    hidden: tuple[str, ...] = ()

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


# the first columns of every table: the unit, as every table names it
UNIT_COLUMNS = (
    Column("code", width=10),
    Column("unit", width=26),
    Column("parent", width=24),
)
# the child-friendly table's column of each QĐ 06 criterion, headed by its name
CRITERION_COLUMNS: dict[str, Criterion] = {c.code.lower(): c for c in QD06_CRITERIA}

CHILD_FRIENDLY = Table(
    "child_friendly",
    (
        *UNIT_COLUMNS,
        Column("round_date", "date", 12),
        Column("regime", width=20),
        Column("status", width=24),
        Column("total_score", "score", 10),
        Column("threshold", "score", 10),
        Column("zero_criterion", "flag", 10),
        Column("decided_on", "date", 12),
        Column("contradicts_scores", "flag", 12),
        *(Column(key, "score") for key in CRITERION_COLUMNS),
    ),
)

FUND = Table(
    "fund",
    (
        *UNIT_COLUMNS,
        Column("level", width=10),
        Column("month", "month", 10),
        Column("kind", width=20),
        Column("origin", width=24),
        Column("transfer_from", width=24),
        Column("contributions", "int", 12),
        Column("amount", "money", 18),
        # a transfer between funds of the chosen area counts 0 (data.metrics.fund)
        Column("counted", "money", 18),
    ),
)

INCIDENTS = Table(
    "incidents",
    (
        *UNIT_COLUMNS,
        Column("month", "month", 10),
        Column("category", width=18),
        Column("type", width=26),
        Column("sex", width=10),
        Column("age_band", width=12),
        Column("count", "int", 10),
    ),
)

REPORTS = Table(
    "reports",
    (
        *UNIT_COLUMNS,
        Column("report", width=22),
        Column("period_start", "date", 12),
        Column("period_end", "date", 12),
        Column("due_date", "date", 12),
        Column("due_rule", width=14),
        Column("submitted_at", "datetime", 18),  # Viet Nam time
        Column("status", width=14),
        Column("days_late", "int", 10),
        # an abolished unit's successor (its name; ``ABOLISHED_ON`` says when)
        Column("filed_by", width=30),
        Column("basis", width=30),
        # versions sent, and the sign-off (data.approvals)
        Column("versions", "int", 8),
        Column("sign_off", width=24),
    ),
    hidden=(ABOLISHED_ON,),
)

SCORECARD = Table(
    "scorecard",
    (
        Column("indicator", width=44),
        *UNIT_COLUMNS,
        Column("year", "year", 8),
        Column("direction", width=14),
        Column("target", width=14),
        Column("value", "number", 14),
        Column("measure", width=10),
        Column("met", width=16),
    ),
    # the indicator's code: its glossary entry (the grid's "?" beside the name)
    hidden=("indicator_code",),
)

TABLES: dict[str, Table] = {
    t.key: t for t in (CHILD_FRIENDLY, FUND, INCIDENTS, REPORTS, SCORECARD)
}
