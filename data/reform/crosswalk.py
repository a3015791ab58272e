"""Resolving the package's crosswalk keys to unit codes, with every problem listed.

Pure (no database).  Input: the pairs of ``data.reform.source.crosswalk_pairs`` and the
key tables of the package; output: one row per (legacy code, new code) and the
anomalies met.  Nothing is dropped silently: a key that names no unit, a legacy
unit listed twice, a divided unit without exactly one default successor, and each
island-district stand-in are reported with what was done about them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol, cast

import pandas as pd

SPECIAL_ZONE = "đặc khu"
CROSSWALK_COLUMNS = ["legacy_code", "new_code", "is_default", "divided"]

ANOMALY_KINDS = MappingProxyType(
    {
        "unresolved_key": "crosswalk key that names no unit in scope",
        "duplicate": "legacy unit listed more than once",
        "default": "divided unit without exactly one default successor",
        "stand_in": "island-district stand-in (legacy 'D' unit)",
        "no_successor": "legacy commune with no successor",
        "no_predecessor": "new commune with no predecessor",
        "no_area": "new commune without an official area",
    }
)


# The columns read from rows of pandas' ``itertuples`` (named tuples whose fields
# pandas-stubs cannot type); a missing key or code is NaN.
class _KeyedPair(Protocol):
    legacy_key: str
    legacy_code: str | None
    new_province_key: str
    new_ward_key: str
    new_code: str | None
    new_name: str | None


class _CodePair(Protocol):
    legacy_code: str
    new_code: str


class _StandIn(Protocol):
    legacy_code: str
    district_name: str
    district_short: str


class _LegacyUnit(Protocol):
    legacy_code: str
    legacy_name: str


class _NewUnit(Protocol):
    new_code: str
    new_name: str


@dataclass(frozen=True)
class ReformAnomaly:
    """One problem of the crosswalk or the new tree and what was done about it."""

    kind: str
    code: str
    name: str
    detail: str


def resolve_pairs(
    pairs: pd.DataFrame, legacy_keys: pd.DataFrame, new_keys: pd.DataFrame
) -> tuple[pd.DataFrame, list[ReformAnomaly]]:
    """Codes for the keyed pairs; keys outside the given tables are reported."""
    merged = pairs.merge(legacy_keys, on="legacy_key", how="left").merge(
        new_keys, on=["new_province_key", "new_ward_key"], how="left"
    )
    lost = merged["legacy_code"].isna() | merged["new_code"].isna()
    anomalies = [
        ReformAnomaly(
            "unresolved_key",
            r.legacy_key if pd.isna(r.legacy_code) else r.legacy_code,
            "" if pd.isna(r.new_name) else r.new_name,
            f"{_which_side(r)} does not resolve to a loaded unit "
            f"({r.legacy_key} -> {r.new_province_key}/{r.new_ward_key}); pair skipped",
        )
        for r in cast("Iterator[_KeyedPair]", merged[lost].itertuples())
    ]
    rows = merged[~lost]
    rows, more = _drop_duplicates(rows)
    rows, defaults = _one_default_each(rows)
    return rows.reset_index(drop=True), anomalies + more + defaults


def _which_side(row: _KeyedPair) -> str:
    sides = [("legacy key", row.legacy_code), ("new key", row.new_code)]
    return " and ".join(name for name, code in sides if pd.isna(code))


def _drop_duplicates(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[ReformAnomaly]]:
    """One row per (legacy, new) pair; a unit both whole and divided is reported."""
    twice = rows.duplicated(["legacy_code", "new_code"], keep="first")
    mixed = rows.groupby("legacy_code")["divided"].transform("nunique") > 1
    mixed_codes = sorted(set(rows.loc[mixed, "legacy_code"]))
    anomalies = [
        ReformAnomaly(
            "duplicate",
            code,
            "",
            "listed both as merged whole and as divided; all its pairs are kept, "
            "marked divided",
        )
        for code in mixed_codes
    ]
    anomalies += [
        ReformAnomaly("duplicate", r.legacy_code, "", f"pair with {r.new_code} twice")
        for r in cast("Iterator[_CodePair]", rows[twice].itertuples())
    ]
    rows = rows[~twice].copy()
    rows.loc[rows["legacy_code"].isin(mixed_codes), "divided"] = True
    return rows, anomalies


def _one_default_each(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[ReformAnomaly]]:
    """Exactly one default per legacy unit: the first one listed when not so."""
    rows = rows.copy()
    count = rows.groupby("legacy_code")["is_default"].transform("sum")
    wrong = rows.loc[count != 1, "legacy_code"].drop_duplicates()
    anomalies: list[ReformAnomaly] = []
    for code in wrong:
        group = rows[rows["legacy_code"] == code]
        flagged = group.index[group["is_default"]]
        chosen = flagged[0] if len(flagged) else group.index[0]
        rows.loc[group.index, "is_default"] = group.index == chosen
        anomalies.append(
            ReformAnomaly(
                "default",
                code,
                "",
                f"{len(flagged)} successors flagged default; "
                f"{str(rows.at[chosen, 'new_code'])} (the first listed) carries its "
                "figures",
            )
        )
    return rows, anomalies


def _same_name(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return unicodedata.normalize("NFC", a).casefold().strip() == (
        unicodedata.normalize("NFC", b).casefold().strip()
    )


def map_stand_ins(
    rows: pd.DataFrame, stand_ins: pd.DataFrame, zones: pd.DataFrame
) -> tuple[pd.DataFrame, list[ReformAnomaly]]:
    """Check (or make) each island stand-in's link to the special zone of its name.

    ``stand_ins``: legacy_code, district_name, district_short; ``zones``: the new
    special zones in scope (new_code, new_name, new_short).  The package's own pair
    is kept; a stand-in the package leaves out is linked by name.
    """
    anomalies: list[ReformAnomaly] = []
    added: list[tuple[object, ...]] = []
    for s in cast("Iterator[_StandIn]", stand_ins.itertuples()):
        zone = zones[[_same_name(z, s.district_short) for z in zones["new_short"]]]
        mapped = set(rows.loc[rows["legacy_code"] == s.legacy_code, "new_code"])
        detail = _stand_in_detail(mapped, zone)
        if not mapped and len(zone) == 1:
            added.append((s.legacy_code, zone["new_code"].iloc[0], True, False))
        anomalies.append(
            ReformAnomaly("stand_in", s.legacy_code, s.district_name, detail)
        )
    if added:
        extra = pd.DataFrame(added, columns=CROSSWALK_COLUMNS)
        rows = pd.concat([rows, extra], ignore_index=True)
    return rows, anomalies


def _stand_in_detail(mapped: set[str], zone: pd.DataFrame) -> str:
    named = ", ".join(
        f"{c} {n}" for c, n in zip(zone["new_code"], zone["new_name"], strict=True)
    )
    if mapped and set(zone["new_code"]) <= mapped and len(zone) == 1:
        return f"mapped by the package to {named}, the special zone of the same name"
    if mapped:
        return (
            f"mapped by the package to {', '.join(sorted(mapped))}; special zone of "
            f"the same name: {named or 'none'} (the package's mapping is kept)"
        )
    if len(zone) == 1:
        return f"not in the package's crosswalk; mapped by name to {named}"
    return (
        f"not in the package's crosswalk and no single special zone named so ({named})"
    )


def unmatched(
    rows: pd.DataFrame, legacy: pd.DataFrame, new: pd.DataFrame
) -> list[ReformAnomaly]:
    """Legacy communes without a successor, new communes without a predecessor.

    ``legacy``: legacy_code, legacy_name; ``new``: new_code, new_name (in scope).
    """
    lone_old = legacy[~legacy["legacy_code"].isin(rows["legacy_code"])]
    lone_new = new[~new["new_code"].isin(rows["new_code"])]
    return [
        ReformAnomaly("no_successor", r.legacy_code, r.legacy_name, "no crosswalk row")
        for r in cast("Iterator[_LegacyUnit]", lone_old.itertuples())
    ] + [
        ReformAnomaly("no_predecessor", r.new_code, r.new_name, "no crosswalk row")
        for r in cast("Iterator[_NewUnit]", lone_new.itertuples())
    ]
