"""Walking the unit tree held in a ``units_frame`` (ids, parent ids, levels)."""

from __future__ import annotations

import pandas as pd

from data.vocabulary import LEVELS

# Bottom-up order in which geometries are dissolved into their parents.
BOTTOM_UP = tuple(reversed(LEVELS))


def ancestor_ids(units: pd.DataFrame, level: str) -> pd.Series:
    """Per unit, the id of its ancestor at ``level`` (itself if at it), else NA."""
    by_id = units.set_index("id")
    parent = by_id["parent_id"]
    levels = by_id["level"]
    current = pd.Series(units["id"].to_numpy(), index=units.index, dtype="Int64")
    found = pd.Series(pd.NA, index=units.index, dtype="Int64")
    for _ in LEVELS:  # a path is never longer than the number of levels
        known = current.notna()
        hit = known & (current.map(levels) == level)
        found = found.mask(hit & found.isna(), current)
        current = current.map(parent).astype("Int64")
    return found


def parent_codes(units: pd.DataFrame) -> pd.Series:
    """Code of each unit's parent (NA for roots), whatever ``units`` carries."""
    codes = units.set_index("id")["code"]
    return units["parent_id"].map(codes)


def descendants(units: pd.DataFrame, ids: set[int]) -> set[int]:
    """The given units and everything below them."""
    found = set(ids)
    frontier = set(ids)
    while frontier:
        children = units.loc[units["parent_id"].isin(frontier), "id"]
        frontier = set(children.astype(int)) - found
        found |= frontier
    return found
