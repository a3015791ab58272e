"""Loading the July-2025 tree, its legacy predecessors and the crosswalk between them.

``load_2025_tree`` writes, in the caller's session: the new country root, the new
provinces and their communes (no districts: a commune's parent is its province),
every legacy province that formed them (through ``data.units.load_legacy_tree``)
and one ``unit_crosswalk`` row per (legacy commune, new commune) pair.  A second
call updates the units in place and rewrites the crosswalk rows of its scope, so
nothing is ever duplicated.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import pandas as pd
from sqlalchemy import delete, insert, or_
from sqlalchemy.orm import Session

from data.db import write
from data.listing import anomaly_lines
from data.models import UnitCrosswalk
from data.reform.crosswalk import (
    ANOMALY_KINDS,
    SPECIAL_ZONE,
    ReformAnomaly,
    map_stand_ins,
    resolve_pairs,
    unmatched,
)
from data.reform.source import (
    check_new_codes,
    converter_data,
    crosswalk_pairs,
    crosswalk_source,
    legacy_key_codes,
    legacy_province_codes,
    new_key_codes,
    new_rows,
)
from data.units import (
    COUNTRY_CODE,
    LoadReport,
    Progress,
    load_legacy_tree,
    province_kind,
    unit_ids,
    upsert_units,
)

NEW_TREE = "2025"
LEGACY_TREE = "legacy"
NEW_VALID_FROM = dt.date(2025, 7, 1)
# Keeps every IN (...) list well under SQLite's bound-parameter limit.
_CHUNK = 900


@dataclass
class ReformLoadReport:
    """What ``load_2025_tree`` loaded and every anomaly it met."""

    predecessors: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    legacy: LoadReport = field(default_factory=LoadReport)
    inserted: int = 0
    updated: int = 0
    crosswalk_rows: int = 0
    divided: int = 0
    anomalies: list[ReformAnomaly] = field(default_factory=list)
    seconds: float = 0.0

    def of_kind(self, kind: str) -> list[ReformAnomaly]:
        """The anomalies of one kind (see ``data.reform.crosswalk.ANOMALY_KINDS``)."""
        return [a for a in self.anomalies if a.kind == kind]

    def format(self, limit: int | None = 8) -> str:
        """A human-readable summary: counts, then each kind of anomaly."""
        merged = "; ".join(
            f"{new} <- {', '.join(old)}" for new, old in self.predecessors.items()
        )
        counts = ", ".join(f"{n} {level}" for level, n in self.counts.items())
        lines = [
            f"July-2025 tree: {counts} in {self.seconds:.1f} s "
            f"({self.inserted} inserted, {self.updated} updated)",
            f"legacy predecessors: {merged}",
            f"crosswalk: {self.crosswalk_rows} rows, {self.divided} divided "
            "legacy communes",
        ]
        for kind, label in ANOMALY_KINDS.items():
            lines += anomaly_lines(label, self.of_kind(kind), limit)
        return "\n".join(lines)


def load_2025_tree(
    session: Session,
    new_province_codes: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ReformLoadReport:
    """Load new provinces (``None``: all), their legacy predecessors, the crosswalk."""
    started = time.perf_counter()
    provinces = check_new_codes(new_province_codes)
    converter = converter_data()
    report = ReformLoadReport(predecessors=legacy_province_codes(converter, provinces))
    legacy_codes = sorted({c for cs in report.predecessors.values() for c in cs})
    _step(progress, "legacy tree", 0)
    report.legacy = load_legacy_tree(session, legacy_codes)
    _step(progress, "new tree", 1)
    rows = new_rows(provinces["code"])
    _load_new_units(session, rows, report)
    _step(progress, "crosswalk", 2)
    pairs = crosswalk_pairs(converter, provinces["key"])
    crosswalk, scope = _resolved_crosswalk(pairs, rows, legacy_codes, report)
    _write_crosswalk(session, crosswalk, scope, report)
    _step(progress, "done", 3)
    report.seconds = time.perf_counter() - started
    return report


def _step(progress: Progress | None, step: str, done: int) -> None:
    if progress is not None:
        progress(step, done, 3)


class _NewRow(Protocol):
    """The columns of ``data.reform.source.new_rows`` read here (pandas' ``itertuples``
    gives named tuples whose fields pandas-stubs cannot type)."""

    provinceCode: str
    province: str
    provinceShort: str
    provinceLat: float | None
    provinceLon: float | None
    wardCode: str
    ward: str
    wardShort: str
    wardType: str
    wardLat: float | None
    wardLon: float | None
    wardAreaKm2: float | None


class _CrosswalkRow(Protocol):
    legacy_code: str
    new_code: str
    is_default: bool
    divided: bool


def _new_rows(rows: pd.DataFrame) -> Iterator[_NewRow]:
    return cast("Iterator[_NewRow]", rows.itertuples())


def _record(
    level: str, code: str, parent: str | None, **values: object
) -> dict[str, Any]:
    """A unit record of the new tree (no box: the package gives none)."""
    return {
        "tree": NEW_TREE,
        "level": level,
        "code": code,
        "valid_from": NEW_VALID_FROM,
        "valid_to": None,
        **dict.fromkeys(["bbox_west", "bbox_south", "bbox_east", "bbox_north"]),
        "area_km2": None,
        **values,
        "parent_code": parent,
    }


def new_records(rows: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Unit records of the new tree per level, each with ``parent_code``; pure."""
    country = _record(
        "country",
        COUNTRY_CODE,
        None,
        name="Việt Nam",
        short_name="Việt Nam",
        kind="quốc gia",
        lat=None,
        lon=None,
    )
    provinces = [
        _record(
            "province",
            r.provinceCode,
            COUNTRY_CODE,
            name=r.province,
            short_name=r.provinceShort,
            kind=province_kind(r.province),
            lat=r.provinceLat,
            lon=r.provinceLon,
        )
        for r in _new_rows(rows.drop_duplicates("provinceCode"))
    ]
    communes = [
        _record(
            "commune",
            r.wardCode,
            r.provinceCode,
            name=r.ward,
            short_name=r.wardShort,
            kind=r.wardType.lower(),
            lat=r.wardLat,
            lon=r.wardLon,
            area_km2=r.wardAreaKm2,
        )
        for r in _new_rows(rows)
    ]
    return {"country": [country], "province": provinces, "commune": communes}


def _load_new_units(
    session: Session, rows: pd.DataFrame, report: ReformLoadReport
) -> None:
    parent_level = {"province": "country", "commune": "province"}
    for level, recs in new_records(rows).items():
        upsert_units(session, NEW_TREE, level, recs, parent_level.get(level), report)
        report.counts[level] = len(recs)
    report.anomalies += [
        ReformAnomaly("no_area", r.wardCode, r.ward, "the package gives no area")
        for r in _new_rows(rows[rows["wardAreaKm2"].isna()])
    ]


def _resolved_crosswalk(
    pairs: pd.DataFrame,
    rows: pd.DataFrame,
    legacy_codes: list[str],
    report: ReformLoadReport,
) -> tuple[pd.DataFrame, tuple[list[str], list[str]]]:
    """Pairs as codes, and the legacy and new codes in scope (anomalies: ``report``)."""
    legacy = legacy_key_codes()
    legacy = legacy[legacy["legacy_province_code"].isin(legacy_codes)]
    new = new_key_codes()
    new = new[new["new_code"].isin(rows["wardCode"])]
    crosswalk, anomalies = resolve_pairs(pairs, legacy, new)
    zones = new[new["new_kind"].str.lower() == SPECIAL_ZONE]
    crosswalk, stand_ins = map_stand_ins(crosswalk, legacy[legacy["stand_in"]], zones)
    anomalies += stand_ins + unmatched(crosswalk, legacy, new)
    report.anomalies += anomalies
    return crosswalk, (list(legacy["legacy_code"]), list(new["new_code"]))


def _write_crosswalk(
    session: Session,
    crosswalk: pd.DataFrame,
    scope: tuple[list[str], list[str]],
    report: ReformLoadReport,
) -> None:
    """Replace the crosswalk rows of every unit in scope with ``crosswalk``."""
    old_ids = unit_ids(session, LEGACY_TREE, "commune")
    new_ids = unit_ids(session, NEW_TREE, "commune")
    source = crosswalk_source()
    records = [
        {
            "legacy_unit_id": old_ids[r.legacy_code],
            "new_unit_id": new_ids[r.new_code],
            "is_default": bool(r.is_default),
            "divided": bool(r.divided),
            "source": source,
        }
        for r in cast("Iterator[_CrosswalkRow]", crosswalk.itertuples())
    ]
    legacy = sorted(old_ids[c] for c in scope[0])
    new = sorted(new_ids[c] for c in scope[1])
    for start in range(0, max(len(legacy), len(new)), _CHUNK):
        write(
            session,
            delete(UnitCrosswalk).where(
                or_(
                    UnitCrosswalk.legacy_unit_id.in_(legacy[start : start + _CHUNK]),
                    UnitCrosswalk.new_unit_id.in_(new[start : start + _CHUNK]),
                )
            ),
        )
    if records:
        write(session, insert(UnitCrosswalk), records)
    report.crosswalk_rows = len(records)
    report.divided = int(crosswalk.loc[crosswalk["divided"], "legacy_code"].nunique())
