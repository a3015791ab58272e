"""Importing a province's own facts instead of the demo data: first, incident
cases (``spec.INCIDENTS``).

- ``spec``: the kinds of facts and their columns, the headers refused as
  personal data;
- ``template``: the template to fill (workbook or CSV);
- ``read``: the file read row by row (workbook or CSV), its header checked;
- ``check``: every row checked (units and their validity, the importer's area,
  dates, codes, case references);
- ``apply``: the dry run and the import in one transaction, audited.

Problems are ``data.problems.Problem`` codes (``fact_*``; messages in
layouts/messages/fact_import.py) naming sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence

from data.db import Runner
from data.fact_import import template as _template
from data.fact_import.apply import Change, CommuneCount, Summary, apply, dry_run
from data.fact_import.check import ImportRefused, Units, check_role
from data.fact_import.spec import INCIDENTS, KINDS, Kind
from data.fact_import.template import Commune
from data.scope import Scope

__all__ = [
    "INCIDENTS",
    "KINDS",
    "Change",
    "Commune",
    "CommuneCount",
    "ImportRefused",
    "Kind",
    "Summary",
    "apply",
    "check_role",
    "communes",
    "dry_run",
    "template",
]


def communes(runner: Runner, scope: Scope) -> list[Commune]:
    """The communes ``scope`` may import cases of (ImportRefused when none)."""
    check_role(scope)
    return [
        Commune(u.code, u.name, u.tree, u.validity())
        for u in Units.load(runner, scope).communes()
    ]


def template(kind: Kind, fmt: str, offered: Sequence[Commune]) -> bytes:
    """The template of ``kind`` as "xlsx" or "csv"."""
    if fmt == "csv":
        return _template.csv_text(kind)
    if fmt == "xlsx":
        return _template.xlsx(kind, offered)
    raise ValueError(f"no template format {fmt!r}")
