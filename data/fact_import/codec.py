"""A dry run's or an import's ``Summary`` as JSON and back: a background job
writes it beside its file, the web reads it to show the check and to confirm.

Problems keep their codes and values (a value may itself be a problem: the
cell it names); dates are ISO strings marked as dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from data.demo_marks import MarkedProvince
from data.fact_import.apply import Change, Restated, Summary, UnitCount
from data.problems import Problem

_PROBLEM, _DATE = "__problem__", "__date__"


def _plain(value: Any) -> Any:
    if isinstance(value, Problem):
        return {_PROBLEM: value.code, "values": _plain(dict(value.values))}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if _PROBLEM in value:
            return Problem(value[_PROBLEM], _typed(value.get("values", {})))
        if _DATE in value:
            return dt.date.fromisoformat(value[_DATE])
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def dumps(summary: Summary, **extra: Any) -> str:
    """``summary`` (and ``extra`` values, e.g. the file it was made from)."""
    fields = {f.name: getattr(summary, f.name) for f in dataclasses.fields(summary)}
    fields["units"] = [dataclasses.asdict(u) for u in summary.units]
    fields["changes"] = [dataclasses.asdict(c) for c in summary.changes]
    fields["restated"] = [dataclasses.asdict(r) for r in summary.restated]
    fields["demo"] = [dataclasses.asdict(p) for p in summary.demo]
    return json.dumps({"summary": _plain(fields), "extra": _plain(extra)})


def loads(text: str) -> tuple[Summary, dict[str, Any]]:
    """The summary and the extra values ``dumps`` was given."""
    found = _typed(json.loads(text))
    fields = dict(found["summary"])
    fields["problems"] = list(fields["problems"])
    fields["units"] = [UnitCount(**u) for u in fields["units"]]
    fields["changes"] = [Change(**c) for c in fields["changes"]]
    fields["restated"] = [Restated(**r) for r in fields["restated"]]
    fields["demo"] = [MarkedProvince(**p) for p in fields["demo"]]
    return Summary(**fields), dict(found["extra"])
