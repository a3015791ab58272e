"""Dates of the festivals that drive fund-raising: Tết, Action Month, Mid-Autumn.

Tết Nguyên Đán (1/1 lunar) and Tết Trung thu (15/8 lunar) move with the lunar
calendar; the table covers 2016-2030.  Outside it, 5 February and 20 September
stand in (the middle of their ranges): an assumption good enough for demo data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from data.demo.sampling import day, day_of

TET = {
    2016: (2, 8),
    2017: (1, 28),
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
}
MID_AUTUMN = {
    2016: (9, 15),
    2017: (10, 4),
    2018: (9, 24),
    2019: (9, 13),
    2020: (10, 1),
    2021: (9, 21),
    2022: (9, 10),
    2023: (9, 29),
    2024: (9, 17),
    2025: (10, 6),
    2026: (9, 25),
    2027: (9, 15),
    2028: (10, 3),
    2029: (9, 22),
    2030: (9, 12),
}
TET_DEFAULT, MID_AUTUMN_DEFAULT = (2, 5), (9, 20)
BEFORE_TET, BEFORE_MID_AUTUMN = 28, 25
ACTION_MONTH = ((5, 20), (6, 30))  # launched late May, runs through June


def tet(year: int) -> dt.date:
    """Tết Nguyên Đán of ``year``."""
    return dt.date(year, *TET.get(year, TET_DEFAULT))


def mid_autumn(year: int) -> dt.date:
    """Tết Trung thu of ``year``."""
    return dt.date(year, *MID_AUTUMN.get(year, MID_AUTUMN_DEFAULT))


def festival_windows(year: int) -> np.ndarray:
    """(first, last) day numbers: before Tết, Action Month, before Mid-Autumn, year."""
    jan1, dec31 = day(year, 1, 1), day(year, 12, 31)
    t, m = day_of(tet(year)), day_of(mid_autumn(year))
    (am_m, am_d), (end_m, end_d) = ACTION_MONTH
    return np.array(
        [
            [max(jan1, t - BEFORE_TET), t - 1],
            [day(year, am_m, am_d), day(year, end_m, end_d)],
            [m - BEFORE_MID_AUTUMN, m],
            [jan1, dec31],
        ],
        dtype="int64",
    )
