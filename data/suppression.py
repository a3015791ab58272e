"""Disclosure control of abuse figures for the roles that may not see them exactly.

Users other than ``admin`` and ``province`` (``Scope.exact``) never receive an
exact count of abused children, in any cell, total, rate, share, sort order or
row count.  Every abuse count they receive goes through this module, by the
**cell key method** (ABS TableBuilder, ONS 2021 census; see DISCLOSURE.md):

1. Every case record (``incident.record_key``) and every submitted report figure
   (``report_figure.record_key``) carries a record key: a random integer in
   [0, 2^32) drawn once when it is written, never changed, never shown.
2. A cell (the abuse cases of one unit, period and filter) has the cell key
   ``(sum of its records' keys) mod 2^32``.  The same records always give the same
   cell key, whatever query produced the cell, so the same cell always shows the
   same value and asking again averages nothing away.
3. The perturbation table ``NOISE`` turns the cell key into a noise ``d`` in
   -2..+2 (probabilities 5 %, 20 %, 50 %, 20 %, 5 %); the perturbed count is
   ``max(n + d, 0)`` (0 stays 0: an empty cell has no records).
4. A perturbed count under ``THRESHOLD`` (5) is shown as "<5", a true 0 included:
   0 cannot be told from 1-4.  Anything else is shown as the perturbed count.

What a shown value allows: "<5" means a true count of 0 to 6; a shown ``p``
means ``p - 2`` to ``p + 2`` (never below 1).  Every cell is perturbed from its
own records, so a total is not the sum of its shown parts and subtracting shown
cells gives noise, not a count.  Derived figures come from the perturbed count
only: a rate or share is computed from it (none when it shows "<5"); a count of
abuse and injury together is the exact injury count plus the shown abuse count,
and only "at least" the injuries when the abuse part shows "<5"; table rows of
abuse that show "<5" are not listed (so whether a row exists says nothing), and
their sort order is that of the shown values.  Abuse types are not broken down.

The guarantee, and its limit: no single figure and no subtraction of figures
gives a small count; the attacker test (``tests/test_disclosure_attack.py``)
harvests everything a district and a meeting-room account can receive and
propagates every sum between the cells (parent = sum of children, year = sum of
quarters, year-to-date within the year) with the ranges above, and pins no cell
of 1-4.  Many overlapping cells that differ by one record still each carry
bounded noise; the noise is small (at most 2) so that large counts stay useful.
Injury figures are never perturbed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, ColumnElement, Integer, case, cast, literal

from data.models import RECORD_KEY_MODULUS
from data.scope import Scope
from data.vocabulary import PER_CHILDREN

THRESHOLD = 5  # perturbed counts under this show as "<5"
SHOWN = "<5"
# The perturbation table: (noise, probability), drawn by the cell key.
NOISE = ((-2, 0.05), (-1, 0.20), (0, 0.50), (1, 0.20), (2, 0.05))
MAX_NOISE = max(abs(d) for d, _ in NOISE)
# Upper ends of the noise intervals, in key units: key < BOUNDS[i] -> NOISE[i].
BOUNDS = tuple(
    round(RECORD_KEY_MODULUS * float(np.cumsum([p for _, p in NOISE])[i]))
    for i in range(len(NOISE))
)
# Plan indicators (data.vocabulary / the indicator table) whose value counts
# abused children, and those whose value is a share of abused children: the first
# are perturbed like any abuse count (with the stored value's own record key), the
# second are not shown to restricted roles at all (district figures of a few
# children each: a share such as 33.3 % or 75 % would pin the count).
ABUSE_COUNT_INDICATORS = ("ABUSED_CHILDREN",)
ABUSE_SHARE_INDICATORS = ("ABUSED_SUPPORTED_IN_TIME",)


def noise(key_sum: int) -> int:
    """The noise the perturbation table gives a cell whose record keys sum to
    ``key_sum``."""
    cell_key = int(key_sum) % RECORD_KEY_MODULUS
    for (d, _), bound in zip(NOISE, BOUNDS, strict=True):
        if cell_key < bound:
            return d
    return NOISE[-1][0]


def perturbed(count: float | None, key_sum: float | None) -> float | None:
    """The perturbed count of a cell (None when the count is unknown)."""
    if count is None or pd.isna(count):
        return None
    n = int(count)
    if n == 0:
        return 0.0
    key = 0 if key_sum is None or pd.isna(key_sum) else int(key_sum)
    return float(max(n + noise(key), 0))


def shown_count(count: float | None, key_sum: float | None) -> float | None:
    """The abuse count a restricted user sees: None ("<5": perturbed 0-4, a true
    0 included) or the perturbed count."""
    value = perturbed(count, key_sum)
    if value is None or value < THRESHOLD:
        return None
    return value


def shown_counts(counts: pd.Series, key_sums: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(shown values, "<5" flags) of a column of exact counts and their cells'
    key sums."""
    keys = pd.to_numeric(key_sums, errors="coerce").fillna(0)
    shown = [
        shown_count(n, k) for n, k in zip(counts.tolist(), keys.tolist(), strict=True)
    ]
    values = pd.Series(shown, index=counts.index, dtype="float64")
    known = pd.to_numeric(counts, errors="coerce").notna()
    return values, (values.isna() & known)


def interval(shown: float | None) -> tuple[int, int]:
    """The true counts a shown value allows: (low, high).  The attacker test
    propagates these; docs/administration.md states them."""
    if shown is None or pd.isna(shown):
        return 0, THRESHOLD - 1 + MAX_NOISE
    value = int(shown)
    return max(value - MAX_NOISE, 1), value + MAX_NOISE


def perturbed_sql(
    count: ColumnElement[Any], key_sum: ColumnElement[Any]
) -> ColumnElement[Any]:
    """``perturbed`` as a SQL expression (both backends), for queries that sort,
    filter or count rows by the shown value: integer arithmetic only, so SQL and
    Python give the same value."""
    cell_key = cast(key_sum, BigInteger) % literal(RECORD_KEY_MODULUS, BigInteger)
    whens = [
        (cell_key < literal(bound, BigInteger), literal(d))
        for (d, _), bound in zip(NOISE[:-1], BOUNDS[:-1], strict=True)
    ]
    d = case(*whens, else_=literal(NOISE[-1][0]))
    raw = cast(count, Integer) + d
    return case(
        (cast(count, Integer) == 0, literal(0)),
        (raw < 0, literal(0)),
        else_=raw,
    )


FLAGS = ("rounded", "suppressed", "partial")


def exact_incidents(
    columns: Mapping[str, Any], attrs: Mapping[Any, Any]
) -> pd.DataFrame:
    """An incident frame's ``columns`` as a scope that sees exact counts sees
    them: as they are, without the record keys, the three flags of
    ``incidents`` all False."""
    rows = len(columns["code"])
    kept = {k: v for k, v in columns.items() if k != "abuse_key"}
    flags = {flag: np.zeros(rows, dtype=bool) for flag in FLAGS}
    frame = pd.DataFrame({**kept, **flags})
    frame.attrs = dict(attrs)
    return frame


def incidents(
    frame: pd.DataFrame, scope: Scope, categories: Iterable[str]
) -> pd.DataFrame:
    """An incident frame (count, abuse, injury, abuse_key, children, rate) as
    ``scope`` may see it, with ``suppressed`` (True where the count shown is
    "<5"), ``partial`` (True where a count of abuse and injury shows only the
    injuries because its abuse part is "<5": a lower bound) and ``rounded`` (True
    for every row of a restricted scope: abuse figures are perturbed)."""
    if scope.exact:
        return exact_incidents({c: frame[c] for c in frame.columns}, frame.attrs)
    frame = frame.copy()
    frame["rounded"] = True
    categories = tuple(categories)
    abuse, hidden = shown_counts(frame["abuse"], frame["abuse_key"])
    frame["abuse"] = abuse
    if "abuse" in categories and "injury" in categories:
        frame["count"] = frame["injury"].astype("float64") + abuse.fillna(0)
        frame["suppressed"] = False
        frame["partial"] = hidden
    elif "abuse" in categories:
        frame["count"] = abuse
        frame["suppressed"] = hidden
        frame["partial"] = False
    else:
        frame["suppressed"] = False
        frame["partial"] = False
    children = pd.to_numeric(frame["children"], errors="coerce").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = PER_CHILDREN * frame["count"].astype("float64") / children
    frame["rate"] = rate.where(children > 0)
    return frame.drop(columns=["abuse_key"])
