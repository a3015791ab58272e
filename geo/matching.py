"""Matching feature values to official units: by code, or by name within a parent.

Names are tried from strict to loose (see geo/names.py): the normalised full name,
then the name without its type prefix, then without accents, then, last and only
inside a known parent, a clearly most similar name ("Đăk Roong" / "Đăk Rong").
The looser steps only accept a unit that is the only candidate.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import numpy as np
import pandas as pd

from geo.names import bare_key, full_key, loose_key

NAME_KEYS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("name", full_key),
    ("name without type", bare_key),
    ("name without accents", loose_key),
)
SIMILAR = "similar name"
# Similarity (difflib ratio of the accentless keys) a fuzzy match needs, and the
# lead it needs over the runner-up; "dakroong"/"dakrong" scores 0.93.
SIMILAR_MIN = 0.85
SIMILAR_LEAD = 0.1


def keyed_units(units: pd.DataFrame) -> pd.DataFrame:
    """Units with their three name keys (computed once per import)."""
    table = pd.DataFrame(
        {
            "id": units["id"].astype(int).to_numpy(),
            "parent": units["parent_id"].astype("Float64").to_numpy(),
            "code": units["code"].to_numpy(),
            "level": units["level"].to_numpy(),
        }
    )
    for method, key in NAME_KEYS:
        table[method] = units["name"].map(key).to_numpy()
    return table


def code_width(codes: pd.Series) -> int:
    """Usual width of the numeric codes of a level (communes: 5)."""
    digits = codes[codes.str.fullmatch(r"\d+")]
    return int(digits.str.len().mode().iloc[0]) if len(digits) else 0


def code_values(values: pd.Series, width: int) -> pd.Series:
    """Codes as text: 23557.0 -> "23557"; numbers (not text) padded: 1378 -> "01378"."""
    numeric = pd.api.types.is_numeric_dtype(values)
    text = values.astype("string").str.strip()
    if numeric:
        # Only numbers lost their leading zeros; text "622" is a district code.
        text = text.str.replace(r"\.0+$", "", regex=True).str.zfill(width)
    return text.mask(text == "")


def match_codes(values: pd.Series, keyed: pd.DataFrame) -> pd.Series:
    """Unit id per value (NA where the value is not a code of ``keyed``)."""
    codes = code_values(values, code_width(keyed["code"]))
    return codes.map(keyed.set_index("code")["id"]).astype("Int64")


def _unique(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return table[~table.duplicated(by, keep=False)]


def _lookup(keys: pd.Series, parents: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Ids of the only unit with each key: under the parent, or anywhere if unknown."""
    features = pd.DataFrame(
        {
            "feature": keys.index,
            "key": keys.to_numpy(),
            "parent": parents.astype("Float64").to_numpy(),
        }
    )
    known = features["parent"].notna()
    pairs = ["parent", "key"]
    within = features[known].merge(_unique(table, pairs), on=pairs)
    anywhere = features[~known].merge(_unique(table, ["key"])[["key", "id"]], on="key")
    found = pd.concat([within, anywhere])
    return pd.Series(found["id"].to_numpy(), index=found["feature"], dtype="Int64")


def _keys(names: pd.Series, key: Callable[[str], str]) -> pd.Series:
    """Key per name, computed once per distinct name."""
    distinct = names.drop_duplicates()
    return names.map(pd.Series(distinct.map(key).to_numpy(), index=distinct.to_numpy()))


def match_names(
    names: pd.Series, parents: pd.Series, keyed: pd.DataFrame, similar: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Unit id and method per name, within the parent where it is known."""
    ids = pd.Series(pd.NA, index=names.index, dtype="Int64")
    methods = pd.Series(pd.NA, index=names.index, dtype="string")
    text = names.astype("string").str.strip()
    usable = text.notna() & (text != "")
    for method, key in NAME_KEYS:
        todo = usable & ids.isna()
        if not todo.any():
            break
        table = keyed[["id", "parent", method]].rename(columns={method: "key"})
        found = _lookup(_keys(text[todo].astype(str), key), parents[todo], table)
        ids.loc[found.index] = found
        methods.loc[found.index] = method
    if similar:
        _match_similar(text, parents, keyed, ids, methods)
    return ids, methods


def _match_similar(
    names: pd.Series,
    parents: pd.Series,
    keyed: pd.DataFrame,
    ids: pd.Series,
    methods: pd.Series,
) -> None:
    """Last resort inside a known parent: a free unit clearly closer than any other.

    Every unit of the parent competes, taken or not, so a typo is never pushed
    onto a unit just because its look-alike was matched already.
    """
    todo = names.notna() & ids.isna() & parents.notna()
    taken = set(ids.dropna().astype(int))
    by_parent = dict(list(keyed.groupby("parent")))
    empty = keyed.iloc[:0]
    for i in names.index[todo]:
        candidates = by_parent.get(float(parents[i]), empty)
        unit = _most_similar(loose_key(str(names[i])), candidates)
        if unit is not None and unit not in taken:
            ids[i], methods[i] = unit, SIMILAR
            taken.add(unit)


def _most_similar(key: str, candidates: pd.DataFrame) -> int | None:
    if not key or candidates.empty:
        return None
    loose = candidates[NAME_KEYS[-1][0]].to_numpy()
    ratios = np.array([difflib.SequenceMatcher(None, key, c).ratio() for c in loose])
    order = np.argsort(-ratios, kind="stable")
    best = ratios[order[0]]
    runner_up = ratios[order[1]] if len(order) > 1 else 0.0
    if best < SIMILAR_MIN or best - runner_up < SIMILAR_LEAD:
        return None
    return int(candidates["id"].to_numpy()[order[0]])
