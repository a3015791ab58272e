"""The grid's column filters and sort, checked and applied on the server.

The tables page uses AG Grid's infinite row model: the browser sends its
``filterModel`` and ``sortModel`` and the server answers with rows.  The same two
models go into an export link, so a file holds exactly the rows the grid shows, in
its order.  Both come from the browser: every key, operator and value is checked
here and anything unknown is refused with a ValueError naming it.

Filters follow AG Grid's own semantics (community filters): text matching is
case-insensitive; ``inRange`` excludes both bounds; blank / notBlank test for an
empty cell; a column may hold two conditions joined by AND or OR.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from data.tables.spec import Table

TEXT_OPS = (
    "contains",
    "notContains",
    "equals",
    "notEqual",
    "startsWith",
    "endsWith",
    "blank",
    "notBlank",
)
NUMBER_OPS = (
    "equals",
    "notEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "lessThan",
    "lessThanOrEqual",
    "inRange",
    "blank",
    "notBlank",
)
DATE_OPS = (
    "equals",
    "notEqual",
    "greaterThan",
    "lessThan",
    "inRange",
    "blank",
    "notBlank",
)
OPS = {"text": TEXT_OPS, "number": NUMBER_OPS, "date": DATE_OPS}
MAX_TEXT = 200


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: not a number")
    if not np.isfinite(value):
        raise ValueError(f"{where}: not a finite number")
    return float(value)


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"{where}: not a date")
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise ValueError(f"{where}: not a date ({value[:20]!r})") from exc


def _condition(kind: str, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: not a filter")
    op = raw.get("type")
    if op not in OPS[kind]:
        raise ValueError(f"{where}: unknown filter {op!r}")
    out: dict[str, Any] = {"type": op}
    if op in ("blank", "notBlank"):
        return out
    if kind == "text":
        value = raw.get("filter")
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValueError(f"{where}: text filter must be text")
        out["filter"] = value
    elif kind == "number":
        out["filter"] = _number(raw.get("filter"), where)
        if op == "inRange":
            out["filterTo"] = _number(raw.get("filterTo"), where)
    else:
        out["dateFrom"] = _date(raw.get("dateFrom"), where)
        if op == "inRange":
            out["dateTo"] = _date(raw.get("dateTo"), where)
    return out


def check_filter_model(table: Table, model: Any) -> dict[str, Any]:
    """A clean copy of a grid ``filterModel`` for ``table`` (ValueError if bad)."""
    if model in (None, "", {}):
        return {}
    if not isinstance(model, Mapping) or len(model) > len(table.columns):
        raise ValueError("filter: not a filter model")
    clean: dict[str, dict[str, Any]] = {}
    for key, raw in model.items():
        column = table.column(key) if isinstance(key, str) else None
        if column is None:
            raise ValueError(f"filter: unknown column {str(key)[:40]!r}")
        where = f"filter on {column.key!r}"  # the UI names the column
        if not isinstance(raw, Mapping) or raw.get("filterType") != column.filter_type:
            raise ValueError(f"{where}: wrong filter type")
        if "conditions" in raw:
            operator = raw.get("operator")
            conditions = raw.get("conditions")
            if operator not in ("AND", "OR") or not isinstance(conditions, list):
                raise ValueError(f"{where}: bad combination")
            if not 1 <= len(conditions) <= 2:
                raise ValueError(f"{where}: one or two conditions")
            clean[key] = {
                "filterType": column.filter_type,
                "operator": operator,
                "conditions": [
                    _condition(column.filter_type, c, where) for c in conditions
                ],
            }
        else:
            clean[key] = {
                "filterType": column.filter_type,
                "conditions": [_condition(column.filter_type, raw, where)],
            }
    return clean


def check_sort_model(table: Table, model: Any) -> list[tuple[str, bool]]:
    """[(column key, ascending)] from a grid ``sortModel`` (ValueError if bad)."""
    if model in (None, "", []):
        return []
    if not isinstance(model, list) or len(model) > len(table.columns):
        raise ValueError("sort: not a sort model")
    out = []
    for item in model:
        if not isinstance(item, Mapping):
            raise ValueError("sort: not a sort model")
        key, direction = item.get("colId"), item.get("sort")
        if not isinstance(key, str) or table.column(key) is None:
            raise ValueError(f"sort: unknown column {str(key)[:40]!r}")
        if direction not in ("asc", "desc"):
            raise ValueError(f"sort: unknown direction {str(direction)[:10]!r}")
        out.append((key, direction == "asc"))
    return out


def parse_models(
    table: Table, filters: str | None, sort: str | None
) -> tuple[dict[str, Any], list[tuple[str, bool]]]:
    """Both models from their JSON text (as an export link carries them)."""
    try:
        filter_model = json.loads(filters) if filters else {}
        sort_model = json.loads(sort) if sort else []
    except (TypeError, ValueError) as exc:
        raise ValueError("filter or sort: not JSON") from exc
    return check_filter_model(table, filter_model), check_sort_model(table, sort_model)


def models_json(
    filter_model: dict[str, Any], sort_model: list[tuple[str, bool]]
) -> tuple[str, str]:
    """The checked models as JSON text for a link (dates as ISO text)."""
    sort = [{"colId": k, "sort": "asc" if asc else "desc"} for k, asc in sort_model]
    filters = {}
    for key, spec in filter_model.items():
        kind = spec["filterType"]
        conditions = [
            {
                "filterType": kind,
                **{
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in c.items()
                },
            }
            for c in spec["conditions"]
        ]
        operator = spec.get("operator", "AND")
        filters[key] = {
            "filterType": kind,
            "operator": operator,
            "conditions": conditions,
        }
    return json.dumps(filters, ensure_ascii=False), json.dumps(sort)


def _text_test(values: pd.Series, c: dict[str, Any]) -> pd.Series:
    text = values.fillna("").astype(str)
    empty = text.str.strip() == ""
    op = c["type"]
    if op == "blank":
        return empty
    if op == "notBlank":
        return ~empty
    low, wanted = text.str.lower(), c["filter"].lower()
    tests: dict[str, Callable[[], pd.Series]] = {
        "contains": lambda: low.str.contains(wanted, regex=False),
        "notContains": lambda: ~low.str.contains(wanted, regex=False),
        "equals": lambda: low == wanted,
        "notEqual": lambda: low != wanted,
        "startsWith": lambda: low.str.startswith(wanted),
        "endsWith": lambda: low.str.endswith(wanted),
    }
    return tests[op]()


def _ordered_test(
    values: pd.Series, c: dict[str, Any], low: Any, high: Any
) -> pd.Series:
    empty = values.isna()
    op = c["type"]
    if op == "blank":
        return empty
    if op == "notBlank":
        return ~empty
    tests = {
        "equals": lambda: values == low,
        "notEqual": lambda: values != low,
        "greaterThan": lambda: values > low,
        "greaterThanOrEqual": lambda: values >= low,
        "lessThan": lambda: values < low,
        "lessThanOrEqual": lambda: values <= low,
        "inRange": lambda: (values > low) & (values < high),
    }
    return tests[op]().fillna(False).astype(bool) & ~empty


def _test(values: pd.Series, kind: str, c: dict[str, Any]) -> pd.Series:
    if kind == "text":
        return _text_test(values, c)
    if kind == "number":
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        return _ordered_test(numbers, c, c.get("filter"), c.get("filterTo"))
    days = pd.to_datetime(values, errors="coerce").dt.normalize()
    low = pd.Timestamp(c["dateFrom"]) if "dateFrom" in c else None
    high = pd.Timestamp(c["dateTo"]) if "dateTo" in c else None
    return _ordered_test(days, c, low, high)


def apply_filters(
    frame: pd.DataFrame, table: Table, model: dict[str, Any]
) -> pd.DataFrame:
    """The rows of ``frame`` (displayed values) that pass every column filter."""
    if not model or frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    for key, spec in model.items():
        column = table.column(key)
        assert column is not None  # checked
        tests = [_test(frame[key], column.filter_type, c) for c in spec["conditions"]]
        combined = tests[0]
        for more in tests[1:]:
            combined = (
                combined | more if spec.get("operator") == "OR" else combined & more
            )
        keep &= combined
    return frame[keep]
