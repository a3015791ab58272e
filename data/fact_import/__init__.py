"""Importing a province's own facts instead of the demo data: incident cases,
the fund's yearly targets and its bookings, children under 16 per unit and
year, child-friendly assessments, plan targets and indicator values
(``kinds``).

- ``spec``: the forms of the kinds (columns, Vietnamese texts), ``Kind`` and
  ``Store``, the headers refused as personal data;
- ``kinds``: the kinds, each with its form, unit levels, row checker and store;
- ``template``: the template to fill (workbook or CSV);
- ``read``: the file read row by row (workbook or CSV), its header checked;
- ``check``: every row checked (units and their validity, the importer's area,
  dates, codes, references, amounts); the incidents' checker;
- ``fund``: the checkers of fund targets and bookings;
- ``children``: the checker of children counts, their check against the cases
  stored, their writer;
- ``assessments``: the checker of child-friendly assessments, the recognition
  rule deciding their status and threshold, their scores read and written;
- ``indicators``: the checkers of plan targets and indicator values;
- ``apply``: the dry run and the import in one transaction, audited;
- ``export``: the stored rows of a kind in the import's own form, to edit and
  import back.

Problems are ``data.problems.Problem`` codes (``fact_*``; messages in
layouts/messages/fact_import.py) naming sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence

from data.db import Runner
from data.fact_import import template as _template
from data.fact_import.apply import Change, Summary, UnitCount, apply, dry_run
from data.fact_import.check import ImportRefused, Units, check_role
from data.fact_import.indicators import choices
from data.fact_import.kinds import (
    CF_ASSESSMENTS,
    CHILDREN,
    FUND_BOOKINGS,
    FUND_TARGETS,
    INCIDENTS,
    INDICATOR_TARGETS,
    INDICATOR_VALUES,
    KINDS,
)
from data.fact_import.spec import Kind
from data.fact_import.template import Offered
from data.scope import Scope

__all__ = [
    "CF_ASSESSMENTS",
    "CHILDREN",
    "FUND_BOOKINGS",
    "FUND_TARGETS",
    "INCIDENTS",
    "INDICATOR_TARGETS",
    "INDICATOR_VALUES",
    "KINDS",
    "Change",
    "ImportRefused",
    "Kind",
    "Offered",
    "Summary",
    "UnitCount",
    "apply",
    "check_role",
    "choices",
    "dry_run",
    "template",
    "units",
]


def units(runner: Runner, scope: Scope, kind: Kind) -> list[Offered]:
    """The units ``scope`` may import rows of ``kind`` for (ImportRefused when
    none may be imported at all)."""
    check_role(scope)
    return [
        Offered(u.code, u.name, u.tree, u.validity(), u.level)
        for u in Units.load(runner, scope, kind.levels).allowed()
    ]


def template(
    kind: Kind,
    fmt: str,
    offered: Sequence[Offered],
    choices: _template.Choices | None = None,
) -> bytes:
    """The template of ``kind`` as "xlsx" or "csv" (``choices``: the defined
    values of database-coded columns, ``choices()``)."""
    if fmt == "csv":
        return _template.csv_text(kind)
    if fmt == "xlsx":
        return _template.xlsx(kind, offered, choices=choices)
    raise ValueError(f"no template format {fmt!r}")
