"""Child-friendly commune rounds under QĐ 06/QĐ-TTg (DOMAIN.md section 1).

Verified rules: rounds in November of year 2 and year 4 of each 5-year
socio-economic plan (2021-2025 -> 11/2022 and 11/2024); 13 criteria, 1,000 points;
recognition needs the tier's total AND no criterion scored 0; tiers 900 (wards of
centrally-run cities), 800 (mountainous, island or extremely difficult communes),
850 (all others).  The rule, the tiers and the statuses come from
``data.recognition``, which every writer of assessments uses.

Assumptions:
- which communes are mountainous or extremely difficult is not in the data: in a
  province, xã, thị trấn and island stand-ins count as 800 and phường as 850; in a
  centrally-run city, phường count as 900 and everything else as 850 (island
  stand-ins 800);
- rounds are generated from 2019 on (QĐ 06 in force 3/1/2019) and stamped
  ``round_date`` = 1 November of the round year; each district's chairman decides
  for all its communes on one day in December (``decided_on``);
- ``RECOGNISED_MAINTAINED`` needs recognition in the previous round of the same
  cycle; in the first generated round nobody can be "maintained" (no earlier row);
- scores: a commune's level = tier + a margin (district effect, persistent commune
  effect, round noise, improving 0.7 points per 100 a year); each criterion scores
  that level +/- 4 % of its maximum; 3 % of assessed communes get one criterion at
  0 (mostly abuse or injury).  Registered ~93 % (2022) to ~96 % (2024), assessed
  95 % of registered: ~50 % of communes recognised in 2022, ~63 % in 2024.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data import recognition
from data.demo.sampling import Province, day, district_sums
from data.vocabulary import QD06_CRITERIA

REGIME = recognition.QD06.code
REGIME_FROM_YEAR = 2019
PLAN_START = 2016  # 5-year plans 2016-2020, 2021-2025, 2026-2030 ...
ROUND_PLAN_YEARS = (2, 4)
ROUND_MONTH = 11
CODES = np.array([c.code for c in QD06_CRITERIA])
MAX_POINTS = np.array([c.max_points for c in QD06_CRITERIA])
# which criterion falls to 0 when one does: abuse and injury most often
ZERO_WEIGHTS = np.where(np.isin(CODES, ["CF03", "CF05"]), 4.0, 1.0)

MARGIN_2024 = 0.026  # mean level above the tier, as a share of 1,000 points
MARGIN_PER_YEAR = 0.008
SD_DISTRICT, SD_COMMUNE, SD_ROUND, SD_CRITERION = 0.02, 0.03, 0.015, 0.04
P_REGISTERED_2024, P_REGISTERED_PER_YEAR, SD_REGISTERED = 0.96, 0.015, 0.03
P_ASSESSED = 0.95
P_ZERO = 0.03


def round_years(years: Sequence[int], today: int | None = None) -> list[int]:
    """Years of ``years`` holding a round (year 2 and 4 of each 5-year plan).

    With ``today`` (a day number), only rounds whose December decisions are over.
    """
    return [
        y
        for y in years
        if y >= REGIME_FROM_YEAR
        and (y - PLAN_START) % 5 + 1 in ROUND_PLAN_YEARS
        and (today is None or day(y + 1, 1, 1) <= today)
    ]


def previous_round(year: int) -> int:
    """The round before ``year``'s: year 4 of the previous plan, or year 2."""
    return year - 3 if (year - PLAN_START) % 5 + 1 == 2 else year - 2


def tiers(prov: Province) -> np.ndarray:
    """Recognition threshold (points) of each commune of ``prov``: the default
    tier of ``data.recognition`` (by the unit's kind and its province)."""
    kinds = prov.communes["kind"].to_numpy()
    return recognition.qd06_tiers(kinds, prov.centrally_run)


def _scores(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    """Points on the 13 criteria for communes at ``level`` (share of the maximum)."""
    n = len(level)
    share = level[:, None] + rng.normal(0, SD_CRITERION, (n, len(CODES)))
    scores = np.rint(MAX_POINTS * np.clip(share, 0.3, 1.0)).astype("int64")
    zero = rng.random(n) < P_ZERO
    which = rng.choice(len(CODES), n, p=ZERO_WEIGHTS / ZERO_WEIGHTS.sum())
    scores[zero, which[zero]] = 0
    return scores


def _round(
    prov: Province,
    rng: np.random.Generator,
    year: int,
    latent: np.ndarray,
    before: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    """One round: the assessment frame and the 13 scores of every commune."""
    n, district = len(prov.communes), prov.district_of
    tier = tiers(prov)
    p_reg = P_REGISTERED_2024 + P_REGISTERED_PER_YEAR * (year - 2024)
    p_reg = p_reg + rng.normal(0, SD_REGISTERED, len(prov.districts))[district]
    registered = rng.random(n) < np.clip(p_reg, 0.5, 0.995)
    assessed = registered & (rng.random(n) < P_ASSESSED)
    margin = MARGIN_2024 + MARGIN_PER_YEAR * (year - 2024)
    level = tier / 1000 + latent + margin + rng.normal(0, SD_ROUND, n)
    scores = _scores(rng, level)
    total, zero = scores.sum(1), (scores == 0).any(1)
    recognised = assessed & recognition.meets_many(total, tier, zero)
    decided = day(year, 12, 1) + rng.integers(4, 28, len(prov.districts))[district]
    frame = pd.DataFrame(
        {
            "unit_id": prov.communes["id"].to_numpy(),
            "regime": REGIME,
            "round_date": day(year, ROUND_MONTH, 1),
            "status": recognition.statuses(registered, assessed, recognised, before),
            "total_score": np.where(assessed, total, None),
            "threshold": tier,
            "has_zero_criterion": np.where(assessed, zero, None),
            "decided_on": np.where(assessed, decided, None),
            "year": year,
            "district": district,
            "assessed": assessed,
            "recognised": recognised,
        }
    )
    return frame, scores


def generate(
    prov: Province, years: Sequence[int], rng: np.random.Generator, today: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assessments (one per commune and round decided before ``today``) and scores.

    Scores carry ``assessment_row``, the row of their assessment in the first frame.
    """
    n = len(prov.communes)
    latent = rng.normal(0, SD_DISTRICT, len(prov.districts))[prov.district_of]
    latent = latent + rng.normal(0, SD_COMMUNE, n)
    frames: list[pd.DataFrame] = []
    score_frames: list[pd.DataFrame] = []
    before, last = np.zeros(n, bool), None
    for year in round_years(years, today):
        if last != previous_round(year):
            before = np.zeros(n, bool)
        frame, scores = _round(prov, rng, year, latent, before)
        frames.append(frame)
        score_frames.append(_score_rows(frame, scores, n * len(score_frames)))
        before, last = frame["recognised"].to_numpy(), year
    if not frames:
        return pd.DataFrame(), pd.DataFrame()
    return (
        pd.concat(frames, ignore_index=True),
        pd.concat(score_frames, ignore_index=True),
    )


def _score_rows(frame: pd.DataFrame, scores: np.ndarray, offset: int) -> pd.DataFrame:
    rows = np.flatnonzero(frame["assessed"].to_numpy())
    return pd.DataFrame(
        {
            "assessment_row": np.repeat(rows + offset, len(CODES)),
            "criterion_code": np.tile(CODES, len(rows)),
            "score": scores[rows].ravel(),
        }
    )


def recognised_share(frame: pd.DataFrame, n_districts: int) -> pd.DataFrame:
    """Per district and round year: communes, registered, recognised, >= 700 points."""
    out = []
    for year, part in frame.groupby("year", sort=True):
        d = part["district"].to_numpy()
        score = pd.to_numeric(part["total_score"], errors="coerce").fillna(-1)
        out.append(
            pd.DataFrame(
                {
                    "year": year,
                    "district": np.arange(n_districts),
                    "communes": district_sums(np.ones(len(d)), d, n_districts),
                    "registered": district_sums(
                        (part["status"] != "NOT_REGISTERED").to_numpy(float),
                        d,
                        n_districts,
                    ),
                    "recognised": district_sums(
                        part["recognised"].to_numpy(float), d, n_districts
                    ),
                    "over_700": district_sums(
                        (score >= 700).to_numpy(float), d, n_districts
                    ),
                }
            )
        )
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()
