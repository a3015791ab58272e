"""From query rows to what the grid and the files show: labels in the user's
language, months and local times as dates, suppressed abuse counts.  An
abolished unit's report keeps its successor's name (``filed_by``) and the day
of the abolition (``data.tables.spec.ABOLISHED_ON``): the note said of them is
the UI's (``layouts.tables_page.shown_rows``).

Works on one chunk at a time, row by row, so that a large export never holds
the whole table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from data.cells import CellValue
from data.periods import VN_TZ
from data.scope import Scope
from data.tables.queries import ALL
from data.tables.spec import ABOLISHED_ON
from data.vocabulary import (
    ABUSE_TYPE_TERMS,
    AGE_BAND_TERMS,
    ALL_VALUES_TERMS,
    CF_REGIME_TERMS,
    CF_STATUS_TERMS,
    DIRECTION_TERMS,
    DUE_RULE_TERMS,
    FUND_KIND_TERMS,
    FUND_ORIGIN_TERMS,
    INCIDENT_CATEGORY_TERMS,
    INJURY_TYPE_TERMS,
    KIND_TERMS,
    MEASURE_TERMS,
    REPORT_STATUS_TERMS,
    REPORT_TYPE_TERMS,
    SEX_TERMS,
    SIGN_OFF_TERMS,
    TARGET_RESULT_TERMS,
    YES_NO_TERMS,
    names,
)

SUPPRESSED = "suppressed"  # hidden column: True where a count shows as "<5"
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _map(frame: pd.DataFrame, key: str, labels: dict[str, Any]) -> None:
    frame[key] = frame[key].map(lambda code: labels.get(code, code))


def _months(frame: pd.DataFrame) -> None:
    frame["month"] = [
        dt.date(int(y), int(m), 1) for y, m in zip(frame["y"], frame["m"], strict=True)
    ]


def _local(value: CellValue) -> dt.datetime | None:
    """A stored instant as Viet Nam wall-clock time (Excel has no time zones)."""
    if value is None or pd.isna(value):
        return None
    moment = pd.Timestamp(value).to_pydatetime()
    if moment.tzinfo is None:  # SQLite keeps UTC without an offset
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN_TZ).replace(tzinfo=None, microsecond=0)


def _flag(values: pd.Series, lang: str) -> pd.Series:
    answers = names(YES_NO_TERMS, lang)
    yes, no = answers["yes"], answers["no"]
    return values.map(lambda v: None if v is None or pd.isna(v) else (yes if v else no))


def _number_text(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _abolished_on(filer: CellValue, valid_to: CellValue) -> dt.date | None:
    """The day a unit was abolished when its successor files the report for it
    (``filer`` set: it was abolished before the due date), else None."""
    if filer is None or pd.isna(filer) or valid_to is None or pd.isna(valid_to):
        return None
    return pd.Timestamp(valid_to).date() + dt.timedelta(days=1)


def labels(table: str, lang: str) -> dict[str, dict[str, Any]]:
    """Per column whose cells are codes: code -> label in ``lang``."""
    types = names(ABUSE_TYPE_TERMS + INJURY_TYPE_TERMS, lang)
    every = names(ALL_VALUES_TERMS, lang)
    return {
        "child_friendly": {
            "regime": names(CF_REGIME_TERMS, lang),
            "status": names(CF_STATUS_TERMS, lang),
        },
        "fund": {
            "level": names(KIND_TERMS, lang),
            "kind": names(FUND_KIND_TERMS, lang),
            "origin": names(FUND_ORIGIN_TERMS, lang),
        },
        "incidents": {
            "category": names(INCIDENT_CATEGORY_TERMS, lang),
            "type": {**types, ALL: every["type"]},
            "sex": {**names(SEX_TERMS, lang), ALL: every["sex"]},
            "age_band": {**names(AGE_BAND_TERMS, lang), ALL: every["age_band"]},
        },
        "reports": {
            "report": names(REPORT_TYPE_TERMS, lang),
            "status": names(REPORT_STATUS_TERMS, lang),
            "sign_off": names(SIGN_OFF_TERMS, lang),
        },
        "scorecard": {
            "direction": names(DIRECTION_TERMS, lang),
            "measure": names(MEASURE_TERMS, lang),
            "met": names(TARGET_RESULT_TERMS, lang),
        },
    }.get(table, {})


def shape(table: str, frame: pd.DataFrame, lang: str, scope: Scope) -> pd.DataFrame:
    """The displayed values of one chunk of ``table``'s rows."""
    frame = frame.copy()
    frame[SUPPRESSED] = False
    if "y" in frame.columns:
        _months(frame)
    if table == "child_friendly":
        frame["zero_criterion"] = _flag(frame["zero_criterion"], lang)
        frame["contradicts_scores"] = _flag(frame["contradicts_scores"], lang)
    elif table == "reports":
        rules = names(DUE_RULE_TERMS, lang)
        frame["due_rule"] = frame["due_rule"].map(
            lambda inclusive: rules["inclusive" if inclusive else "exclusive"]
        )
        frame["submitted_at"] = frame["submitted_at"].map(_local).astype(object)
        days = [
            _abolished_on(filer, valid_to)
            for filer, valid_to in zip(
                frame["filer"], frame["unit_valid_to"], strict=True
            )
        ]
        frame[ABOLISHED_ON] = pd.Series(days, index=frame.index, dtype=object)
        frame["filed_by"] = pd.Series(
            [
                None if day is None else str(filer)
                for filer, day in zip(frame["filer"], days, strict=True)
            ],
            index=frame.index,
            dtype=object,
        )
    elif table == "scorecard":
        frame["indicator"] = frame["name_vi" if lang == "vi" else "name_en"]
        frame["target"] = [
            f"{COMPARATOR_SIGNS.get(c, c)} {_number_text(float(t))}"
            for c, t in zip(frame["comparator"], frame["target_value"], strict=True)
        ]
    for key, mapping in labels(table, lang).items():
        _map(frame, key, mapping)
    return frame
