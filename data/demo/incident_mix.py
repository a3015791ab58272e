"""Rates and mixes of the demo incidents (DOMAIN.md sections 3 and 10).

Published magnitudes [V, press]: ~2,000 detected abused children a year in the
country (~8-9 per 100,000 children under 16); abuse by form 74 % sexual, 10 %
violence, 1 % trafficking, 15 % other; > 90 % girls, ~66 % aged 13-16 (here the
11-15 band), ~7 % under 6; ~2,000 drowning deaths of children a year (~8 per
100,000), the leading cause of injury death; national injury target 550 per
100,000 by 2025 and injury deaths 16 per 100,000.

Assumptions (numbers of this module): the split of the "other" abuse forms, the
environments, the injury mix, the share of each injury that is fatal, sexes, age
bands and months below; recorded drowning cases are mostly deaths (75 % fatal:
near-drownings are rarely recorded), so 11 recorded drownings per 100,000 give
~8.3 deaths per 100,000 (~40 a year for ~480,000 children).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from data.vocabulary import ABUSE_TYPES, INJURY_TYPES

RATE_YEAR = 2021  # rates below are for this year; trends run from it
ABUSE_RATE = 9.0  # detected abused children per 100,000 children a year
ABUSE_TREND = -0.02  # a year
INJURY_TREND = -0.03
YEAR_SD = 0.06  # a province's year-to-year swing (multiplicative)
DISTRICT_SD = 0.25
COMMUNE_SD = {"abuse": 0.5, "injury": 0.4, "drowning": 0.7}

# form: (share, P(girl), P(age 0_5, 6_10, 11_15), P(FAMILY, SCHOOL, COMMUNITY, ONLINE))
ABUSE_MIX = {
    "AB_SEX": (0.74, 0.985, (0.03, 0.27, 0.70), (0.30, 0.05, 0.55, 0.10)),
    "AB_VIOL": (0.10, 0.75, (0.06, 0.30, 0.64), (0.65, 0.20, 0.15, 0.00)),
    "AB_TRAF": (0.01, 0.80, (0.00, 0.10, 0.90), (0.10, 0.00, 0.50, 0.40)),
    "AB_EXPL": (0.04, 0.70, (0.00, 0.20, 0.80), (0.30, 0.00, 0.60, 0.10)),
    "AB_ABAND": (0.03, 0.55, (0.90, 0.07, 0.03), (1.00, 0.00, 0.00, 0.00)),
    "AB_NEGL": (0.04, 0.65, (0.35, 0.40, 0.25), (0.90, 0.00, 0.10, 0.00)),
    "AB_OTHER": (0.04, 0.75, (0.05, 0.35, 0.60), (0.40, 0.15, 0.35, 0.10)),
}
SUPPORTED_IN_TIME = (0.90, 0.05, 0.70)  # mean, district sd, floor of P(in time)

# type: (rate per 100,000, P(fatal), P(boy), P(age 0_5, 6_10, 11_15), months)
INJURY_MIX = {
    "INJ_DROWN": (11.0, 0.75, 0.68, (0.25, 0.40, 0.35), "summer"),
    "INJ_TRAFFIC": (135.0, 0.035, 0.62, (0.15, 0.30, 0.55), "tet"),
    "INJ_FALL": (162.0, 0.005, 0.60, (0.45, 0.35, 0.20), "flat"),
    "INJ_BURN": (32.0, 0.01, 0.55, (0.60, 0.25, 0.15), "flat"),
    "INJ_POISON": (22.0, 0.02, 0.55, (0.40, 0.30, 0.30), "flat"),
    "INJ_ANIMAL": (59.0, 0.002, 0.60, (0.30, 0.40, 0.30), "flat"),
    "INJ_ELEC": (5.4, 0.20, 0.70, (0.20, 0.40, 0.40), "summer"),
    "INJ_CHOKE": (10.8, 0.05, 0.55, (0.80, 0.15, 0.05), "flat"),
    "INJ_SHARP": (48.5, 0.002, 0.62, (0.25, 0.40, 0.35), "flat"),
    "INJ_MACHINE": (10.8, 0.02, 0.75, (0.05, 0.25, 0.70), "flat"),
    "INJ_EXPLOSIVE": (1.1, 0.25, 0.85, (0.05, 0.35, 0.60), "flat"),
    "INJ_VIOL": (21.6, 0.01, 0.60, (0.10, 0.30, 0.60), "flat"),
    "INJ_SELF": (8.1, 0.15, 0.45, (0.00, 0.10, 0.90), "flat"),
    "INJ_OTHER": (23.3, 0.005, 0.60, (0.30, 0.35, 0.35), "flat"),
}
INTENTIONAL = ("INJ_VIOL", "INJ_SELF")

MONTHS = {  # relative weight of each month, January first
    "summer": (0.4, 0.5, 0.7, 1.1, 1.8, 2.2, 2.2, 1.7, 0.9, 0.7, 0.45, 0.35),
    "tet": (1.3, 1.3, 0.9, 0.9, 1.0, 1.1, 1.1, 1.0, 0.9, 0.9, 0.8, 1.0),
    "flat": (0.9, 1.0, 0.9, 0.9, 1.0, 1.2, 1.2, 1.1, 0.9, 0.9, 0.9, 0.9),
    "abuse": (0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2, 1.1, 1.0, 1.0, 0.9, 0.9),
}


def _table(mix: dict[str, Any], field: int, order: tuple[str, ...]) -> np.ndarray:
    return np.array([mix[code][field] for code in order], dtype=float)


ABUSE_SHARE = _table(ABUSE_MIX, 0, ABUSE_TYPES)
ABUSE_GIRL = _table(ABUSE_MIX, 1, ABUSE_TYPES)
ABUSE_AGE = _table(ABUSE_MIX, 2, ABUSE_TYPES)
ABUSE_PLACE = _table(ABUSE_MIX, 3, ABUSE_TYPES)
INJURY_RATE = _table(INJURY_MIX, 0, INJURY_TYPES)
INJURY_FATAL = _table(INJURY_MIX, 1, INJURY_TYPES)
INJURY_BOY = _table(INJURY_MIX, 2, INJURY_TYPES)
INJURY_AGE = _table(INJURY_MIX, 3, INJURY_TYPES)
INJURY_MONTHS = np.array([MONTHS[INJURY_MIX[t][4]] for t in INJURY_TYPES])
DROWNING = INJURY_TYPES.index("INJ_DROWN")
