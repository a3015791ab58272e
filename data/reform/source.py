"""The July-2025 tree and its old-to-new crosswalk as ``vietnamadminunits`` ships them.

Pure reads of the package (no database): the new tree comes from its table
``admin_units``; the crosswalk from ``converter_2025.json``, which names units by
keys ("tinhgialai_huyenchuprong_xaiale" for a legacy commune, "xaiale" for a new
one inside a new province).  Keys are resolved to GSO codes through the package's
own tables, and every key that resolves to nothing is returned, never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from importlib.resources import files
from typing import Any, Protocol, cast

import pandas as pd

from data.units import ISLAND_PREFIX, source_label

CONVERTER_FILE = "converter_2025.json"
PAIR_COLUMNS = ["legacy_key", "new_province_key", "new_ward_key", "is_default"]

_NEW_COLUMNS = (
    "provinceCode, province, provinceShort, provinceLat, provinceLon, provinceKey, "
    "wardCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2, wardKey"
)


def crosswalk_source() -> str:
    """The ``source`` written on crosswalk rows: package, version and file."""
    return f"{source_label()} {CONVERTER_FILE}"


def _package_rows(sql: str) -> pd.DataFrame:
    from vietnamadminunits.database import query

    rows = pd.DataFrame(query(sql))
    return rows.astype(object).where(rows.notna(), None)


def converter_data() -> dict[str, Any]:
    """The package's crosswalk file, parsed.

    Read as a file: importing ``vietnamadminunits.converter`` would also load the
    address parser and its geocoding code, which the dashboard never uses.
    """
    text = files("vietnamadminunits").joinpath("data", CONVERTER_FILE).read_text()
    return json.loads(text)


def known_new_provinces() -> pd.DataFrame:
    """Code, name and key of every province of the July-2025 tree."""
    return _package_rows(
        "SELECT DISTINCT provinceCode AS code, province AS name, provinceKey AS key "
        "FROM admin_units ORDER BY provinceCode"
    )


def check_new_codes(codes: Iterable[str] | None) -> pd.DataFrame:
    """The requested new provinces (``None``: all); ValueError naming unknown ones."""
    known = known_new_provinces()
    if codes is None:
        return known
    wanted = sorted({codes} if isinstance(codes, str) else set(codes))
    bad = [c for c in wanted if not re.fullmatch(r"\d{2}", str(c))]
    unknown = [c for c in wanted if c not in bad and c not in set(known["code"])]
    if bad or unknown or not wanted:
        named = ", ".join(map(repr, bad + unknown)) or "(none given)"
        raise ValueError(
            f"unknown new province code(s) {named}; codes of the July-2025 tree are "
            f"two digits, one of {', '.join(known['code'])}"
        )
    return known[known["code"].isin(wanted)].reset_index(drop=True)


def new_rows(province_codes: Iterable[str]) -> pd.DataFrame:
    """One row per commune of the given new provinces (codes already checked)."""
    listed = ", ".join(f"'{c}'" for c in sorted(province_codes))
    return _package_rows(
        f"SELECT {_NEW_COLUMNS} FROM admin_units WHERE provinceCode IN ({listed}) "
        "ORDER BY provinceCode, wardCode"
    )


class _NewProvince(Protocol):
    """A row of ``known_new_provinces`` (pandas' ``itertuples``: untyped fields)."""

    key: str
    code: str
    name: str


def legacy_province_codes(
    converter: dict[str, Any], new_provinces: pd.DataFrame
) -> dict[str, list[str]]:
    """Per new province code, the codes of the legacy provinces that formed it."""
    legacy = _package_rows(
        "SELECT DISTINCT provinceKey AS key, provinceCode AS code "
        "FROM admin_units_legacy"
    )
    code_of = dict(zip(legacy["key"], legacy["code"], strict=True))
    out: dict[str, list[str]] = {}
    for row in cast("Iterator[_NewProvince]", new_provinces.itertuples()):
        keys = converter["DICT_PROVINCE"].get(row.key, [])
        missing = [k for k in keys if k not in code_of]
        if missing or not keys:
            raise ValueError(
                f"the package names no legacy province for {row.code} {row.name}"
                f" (unknown keys: {', '.join(missing) or 'none listed'})"
            )
        out[row.code] = sorted(code_of[k] for k in keys)
    return out


def crosswalk_pairs(
    converter: dict[str, Any], new_province_keys: Iterable[str]
) -> pd.DataFrame:
    """Every (legacy key, new ward key) pair the package lists for these provinces.

    ``divided`` marks legacy units the package splits between several new ones;
    a unit merged whole has one pair, which is its default.
    """
    whole, split = [], []
    for pkey in new_province_keys:
        for ward, olds in (
            converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(pkey, {}).items()
        ):
            whole += [(old, pkey, ward, True) for old in olds]
        for old, pieces in (
            converter["DICT_PROVINCE_WARD_DIVIDED"].get(pkey, {}).items()
        ):
            split += [
                (old, pkey, p["newWardKey"], bool(p["isDefaultNewWard"]))
                for p in pieces
            ]
    frame = pd.concat(
        [
            pd.DataFrame(whole, columns=PAIR_COLUMNS).assign(divided=False),
            pd.DataFrame(split, columns=PAIR_COLUMNS).assign(divided=True),
        ],
        ignore_index=True,
    )
    return frame.astype({"is_default": bool, "divided": bool})


def legacy_key_codes() -> pd.DataFrame:
    """Legacy key -> commune-level code (island stand-ins: ``D`` + district code)."""
    rows = _package_rows(
        "SELECT provinceCode, provinceKey, districtKey, wardKey, districtCode, "
        "wardCode, ward, district, districtShort FROM admin_units_legacy"
    )
    ward = rows["wardKey"].fillna("")
    stand_in = rows["wardCode"].isna()
    return pd.DataFrame(
        {
            "legacy_key": rows["provinceKey"] + "_" + rows["districtKey"] + "_" + ward,
            "legacy_code": rows["wardCode"].where(
                ~stand_in, ISLAND_PREFIX + rows["districtCode"]
            ),
            "legacy_name": rows["ward"].where(~stand_in, rows["district"]),
            "legacy_province_code": rows["provinceCode"],
            "stand_in": stand_in,
            "district_name": rows["district"],
            "district_short": rows["districtShort"],
        }
    )


def new_key_codes() -> pd.DataFrame:
    """(New province key, ward key) -> new commune code, kind and short name."""
    return _package_rows(
        "SELECT provinceKey AS new_province_key, wardKey AS new_ward_key, "
        "wardCode AS new_code, wardType AS new_kind, wardShort AS new_short, "
        "ward AS new_name FROM admin_units"
    )


def new_province_of_legacy(legacy_code: str) -> str:
    """The July-2025 province that a legacy province became part of ("64" -> "52"),
    read from the package (nothing needs to be loaded)."""
    formed_from = legacy_province_codes(converter_data(), known_new_provinces())
    found = [new for new, olds in formed_from.items() if legacy_code in olds]
    if len(found) != 1:
        raise ValueError(
            f"no July-2025 province found for legacy province {legacy_code!r}"
        )
    return found[0]
