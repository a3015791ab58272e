"""Which properties of a file hold codes, names and parents, and at which level.

Nothing is guessed from field names: each candidate property is scored by how many
units its values actually match, so ``code_2025`` beats ``code`` in the shared Gia
Lai file (it also places the four merged communes) and a district file is told
from a commune file by the number of units it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from geo.matching import code_values, code_width, keyed_units, match_codes, match_names
from geo.reading import ROW

PARENT_LEVEL = MappingProxyType(
    {"commune": "district", "district": "province", "province": "country"}
)
AUTO_LEVELS = ("commune", "district")
# An automatically chosen code field must match at least this share of features
# (numbers such as areas or counts can hit a few codes by chance), and a parent
# field must place at least this share.
_CODE_MIN_SHARE = 0.5
_PARENT_MIN_SHARE = 0.5
# Features scored when choosing the parent and name fields.
_SAMPLE = 500


class MatchError(ValueError):
    """The file's fields cannot be matched to units (the importer adds the file)."""


@dataclass(frozen=True)
class Fields:
    """The properties used for matching (``None``: not used)."""

    code: str | None = None
    name: str | None = None
    parent: str | None = None


@dataclass
class Matched:
    """Unit id and method per feature (NA: unmatched), and what was used for it."""

    level: str
    unit_ids: pd.Series
    methods: pd.Series
    fields: Fields

    @property
    def unit_count(self) -> int:
        """How many distinct units the file's features reached."""
        return int(self.unit_ids.nunique())


def properties(frame: pd.DataFrame) -> list[str]:
    """The feature properties of a file (no geometry, no row number)."""
    geometry = frame.geometry.name if hasattr(frame, "geometry") else None
    return [c for c in frame.columns if c not in {ROW, geometry}]


def _require(frame: pd.DataFrame, field: str | None, what: str) -> None:
    if field is not None and field not in properties(frame):
        raise MatchError(
            f"no {what} field {field!r}; the fields are {', '.join(properties(frame))}"
        )


def best_code_field(frame: pd.DataFrame, keyed: pd.DataFrame) -> str | None:
    """The property whose values match the most unit codes (then the most features)."""
    width, codes = code_width(keyed["code"]), set(keyed["code"])
    scores = {}
    for column in properties(frame):
        values = code_values(frame[column], width)
        hit = values.isin(codes)
        if hit.sum() >= _CODE_MIN_SHARE * len(frame):
            scores[column] = (values[hit].nunique(), int(hit.sum()))
    return max(scores, key=lambda c: scores[c], default=None)


def parent_ids(values: pd.Series, parents: pd.DataFrame) -> pd.Series:
    """Parent unit id per feature, from a property holding parent codes or names."""
    by_code = match_codes(values, parents)
    unknown = pd.Series(pd.NA, index=values.index, dtype="Float64")
    by_name, _ = match_names(values, unknown, parents)
    return by_code.fillna(by_name).astype("Int64")


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    """A fixed sample: enough to tell fields apart, cheap on a national file."""
    if len(frame) <= _SAMPLE:
        return frame
    return frame.sample(n=_SAMPLE, random_state=0)


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values)


def detect_parent_field(
    frame: pd.DataFrame, parents: pd.DataFrame, skip: set[str | None]
) -> str | None:
    """The property that places most features in a parent unit (at least half)."""
    frame = _sample(frame)
    placed = {
        c: int(parent_ids(frame[c], parents).notna().sum())
        for c in properties(frame)
        if c not in skip and not pd.api.types.is_float_dtype(frame[c])
    }
    best = max(placed, key=lambda c: placed[c], default=None)
    if best is None or placed[best] < _PARENT_MIN_SHARE * len(frame):
        return None
    return best


def detect_name_field(
    frame: pd.DataFrame, keyed: pd.DataFrame, parents: pd.Series, skip: set[str | None]
) -> str | None:
    """The text property whose values name the most units."""
    frame = _sample(frame)
    parents = parents.loc[frame.index]
    found = {
        c: int(match_names(frame[c], parents, keyed, similar=False)[0].nunique())
        for c in properties(frame)
        if c not in skip and _is_text(frame[c])
    }
    best = max(found, key=lambda c: found[c], default=None)
    return best if best is not None and found[best] > 0 else None


def match_level(
    frame: pd.DataFrame, units: pd.DataFrame, level: str, given: Fields
) -> Matched:
    """Match every feature to a unit of ``level`` (``units``: ``keyed_units``)."""
    for field, what in (
        (given.code, "code"),
        (given.name, "name"),
        (given.parent, "parent"),
    ):
        _require(frame, field, what)
    keyed = units[units["level"] == level]
    code_field = given.code
    if code_field is None and given.name is None:
        code_field = best_code_field(frame, keyed)
    ids = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if code_field is not None:
        ids = match_codes(frame[code_field], keyed)
    methods = pd.Series(pd.NA, index=frame.index, dtype="string")
    methods[ids.notna()] = f"code ({code_field})"
    if ids.notna().all():
        return Matched(level, ids, methods, Fields(code=code_field))
    fields = _match_rest(frame, units, level, given, code_field, ids, methods, keyed)
    return Matched(level, ids, methods, fields)


def _parents_of(units: pd.DataFrame, level: str) -> pd.DataFrame:
    """The units that are parents of ``level`` in this tree (``keyed_units``).

    Read from the tree, not from ``PARENT_LEVEL``: a July-2025 commune's parent
    is its province, a legacy commune's its district.
    """
    parent_ids = units.loc[units["level"] == level, "parent"].dropna()
    return units[units["id"].isin(parent_ids.astype(int))]


def _match_rest(
    frame: pd.DataFrame,
    units: pd.DataFrame,
    level: str,
    given: Fields,
    code_field: str | None,
    ids: pd.Series,
    methods: pd.Series,
    keyed: pd.DataFrame,
) -> Fields:
    """Name matching for the features no code matched, among units still free."""
    parents = _parents_of(units, level)
    skip = {code_field, given.name}
    parent_field = given.parent or detect_parent_field(frame, parents, skip)
    parent = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if parent_field is not None:
        parent = parent_ids(frame[parent_field], parents)
    free = keyed[~keyed["id"].isin(ids.dropna())]
    todo = ids.isna()
    name_field = given.name or detect_name_field(
        frame[todo], free, parent[todo], skip | {parent_field}
    )
    if name_field is not None:
        found, how = match_names(frame.loc[todo, name_field], parent[todo], free)
        hit = found.notna()
        ids.loc[found.index[hit]] = found[hit]
        methods.loc[found.index[hit]] = how[hit]
    return Fields(code_field, name_field, parent_field if name_field else None)


def match_features(
    frame: pd.DataFrame, units: pd.DataFrame, level: str | None, given: Fields
) -> Matched:
    """Match at ``level``, or at the level (commune or district) that fits best."""
    levels = [level] if level else list(AUTO_LEVELS)
    present = [lv for lv in levels if (units["level"] == lv).any()]
    if not present:
        raise MatchError(f"no units at level {', '.join(levels)} are loaded")
    keyed = keyed_units(units)
    results = [match_level(frame, keyed, lv, given) for lv in present]
    best = max(results, key=lambda m: m.unit_count)  # ties: the finer level
    if best.unit_count:
        return best
    raise MatchError(_nothing_matched(frame, given))


def _nothing_matched(frame: pd.DataFrame, given: Fields) -> str:
    """Why no feature matched, as precisely as the file allows."""
    for column in [given.code] if given.code else properties(frame):
        values = frame[column].astype("string").str.strip()
        if values.str.fullmatch(r"\d{2,6}").mean() > _CODE_MIN_SHARE:
            examples = ", ".join(values.dropna().unique()[:3])
            return (
                f"field {column} looks like codes but none is a loaded unit "
                f"(e.g. {examples}); is the right province loaded?"
            )
    if given != Fields():
        return f"none of the {len(frame)} features matches a unit"
    return (
        "no field holds unit codes or names; the fields are "
        f"{', '.join(properties(frame)) or '(none)'}"
    )
