"""Small-count suppression of abuse figures for the roles that may not see them.

Users other than ``admin`` and ``province`` (``Scope.exact``) never get an exact
abuse count.  Every abuse count they see, in any cell or total, at any level and
for any period, is

- 0 when it is 0;
- suppressed ("<5", and coloured as suppressed on the map) when it is 1 to 4;
- rounded to the nearest multiple of 5 when it is 5 or more (7 -> 5, 8 -> 10).

Why rounding and not only complementary suppression: the same counts are seen at
several levels (communes, their district, the province) and for several periods (a
quarter, the year, the year to date), so a suppressed cell could otherwise be
worked out by subtracting exact figures.  A rounded figure r stands for a true
value in [r - 2, r + 2]; a difference of shown figures that should give a cell of
1-4 is then only known to lie in an interval at least 5 wide (more with more
terms), which always holds two or more of the values 1-4 (0 is shown exactly, and
any figure of 5 or more is shown as such) — no subtraction pins a suppressed cell.
A test enumerates this on a fixture.

Derived figures follow the shown counts: a rate is computed from the shown count
(none when it is suppressed); a count of abuse and injury together is the exact
injury count plus the shown abuse count (none when abuse is suppressed, since
injuries are shown exactly and would give the abuse count back).  Abuse types are
not broken down for these roles (the per-type figures are small by nature and
would subtract from the total).  Injury figures are never suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from data.scope import Scope
from data.vocabulary import PER_CHILDREN

SMALL_MAX = 4
BASE = 5
SHOWN = "<5"


def shown_count(value: float | None) -> float | None:
    """The count a restricted user sees: 0, None (suppressed: 1-4) or rounded."""
    if value is None or pd.isna(value):
        return None
    value = int(value)
    if value == 0:
        return 0.0
    if value <= SMALL_MAX:
        return None
    return float(BASE * ((value + BASE // 2) // BASE))


def shown_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(shown values, suppressed flags) of a column of exact counts."""
    exact = pd.to_numeric(values, errors="coerce")
    suppressed = exact.between(1, SMALL_MAX).fillna(False).astype(bool)
    rounded = BASE * np.floor((exact + BASE // 2) / BASE)
    shown = rounded.where(exact != 0, 0.0).where(~suppressed)
    return shown.astype("float64"), suppressed


def incidents(
    frame: pd.DataFrame, scope: Scope, categories: Iterable[str]
) -> pd.DataFrame:
    """An incident frame (count, abuse, injury, children, rate) as ``scope`` may
    see it, with ``suppressed`` (True where the abuse part is 1-4) and ``rounded``
    (True for every row of a restricted scope)."""
    frame = frame.copy()
    frame["rounded"] = not scope.exact  # abuse figures rounded to 5 (and "<5")
    if scope.exact:
        frame["suppressed"] = False
        return frame
    categories = tuple(categories)
    abuse, suppressed = shown_counts(frame["abuse"])
    frame["abuse"] = abuse
    if "abuse" in categories:
        injury = frame["injury"] if "injury" in categories else 0
        frame["count"] = (abuse + injury).where(~suppressed)
        frame["suppressed"] = suppressed
    else:
        frame["suppressed"] = False
    children = pd.to_numeric(frame["children"], errors="coerce").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = PER_CHILDREN * frame["count"].astype("float64") / children
    frame["rate"] = rate.where(children > 0)
    return frame
