"""Anonymous abuse and injury cases in communes (rates in ``incident_mix``).

Counts per commune, year and type are Poisson draws: children / 100,000 x rate x
trend x the province's swing that year x the commune's risk (a district factor
times a commune factor, both lognormal with mean 1).  So most communes record no
abuse case in a year, non-zero cells are mostly 1-4, and small communes' rates
jump by chance.

The year before the first generated year is drawn the same way but not stored:
it is the baseline the 2021 plan compares with ("giảm ... so với năm 2020"), kept
in ``Incidents.baseline`` for the indicators.  Cases dated on or after ``today``
are dropped (a year in progress is partial).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo import incident_mix as mix
from data.demo.sampling import (
    Communes,
    Province,
    dates_by_month,
    lognormal_mean1,
    pick,
    pick_rows,
)
from data.vocabulary import ABUSE_ENVIRONMENTS, ABUSE_TYPES, AGE_BANDS, INJURY_TYPES


@dataclass(frozen=True)
class Incidents:
    """The incident rows and the baseline year's counts (not stored as rows)."""

    rows: pd.DataFrame
    baseline_year: int
    baseline: dict[str, int]  # category -> cases in the baseline year


def _risk(
    rng: np.random.Generator, prov: Province, kids: np.ndarray, sigma: float
) -> np.ndarray:
    """Relative risk of each commune, averaging 1 over the province's children.

    Normalised so that the province's expected total stays at the published rate:
    the spread is between communes, not a random shift of the whole province.
    """
    district = lognormal_mean1(rng, mix.DISTRICT_SD, len(prov.districts))
    risk = district[prov.district_of] * lognormal_mean1(rng, sigma, len(kids))
    return risk * kids.sum() / max(float((risk * kids).sum()), 1e-9)


def _expected(
    rng: np.random.Generator, weight: np.ndarray, years: np.ndarray, trend: float
) -> np.ndarray:
    """Expected cases at a rate of 1 per 100,000: (communes x years)."""
    swing = lognormal_mean1(rng, mix.YEAR_SD, len(years))
    level = (1 + trend) ** (years - mix.RATE_YEAR) * swing
    return (weight / 1e5)[:, None] * level[None, :]


def risks(
    rng: np.random.Generator, prov: Province, kids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Relative risk of each commune: abuse (communes) and injury (communes x types).

    The first draws of a province's incident stream, so they can be drawn again
    from a fresh stream to carry the same risks over to later years.
    """
    abuse = _risk(rng, prov, kids, mix.COMMUNE_SD["abuse"])
    injury = np.repeat(
        _risk(rng, prov, kids, mix.COMMUNE_SD["injury"])[:, None],
        len(INJURY_TYPES),
        axis=1,
    )
    injury[:, mix.DROWNING] = _risk(rng, prov, kids, mix.COMMUNE_SD["drowning"])
    return abuse, injury


def _counts(
    kids: np.ndarray,
    risk: tuple[np.ndarray, np.ndarray],
    years: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Abuse cases (communes x years) and injuries (communes x years x types)."""
    abuse_risk, injury_risk = risk
    abuse = _expected(rng, kids * abuse_risk, years, mix.ABUSE_TREND) * mix.ABUSE_RATE
    level = _expected(rng, kids, years, mix.INJURY_TREND)
    injury = level[:, :, None] * (injury_risk * mix.INJURY_RATE)[:, None, :]
    return rng.poisson(abuse), rng.poisson(injury)


def _abuse_rows(
    rng: np.random.Generator,
    commune: np.ndarray,
    year: np.ndarray,
    group: np.ndarray,
    n_groups: int,
) -> pd.DataFrame:
    """Abuse rows; P(supported in time) is drawn per group of communes (district)."""
    n = len(commune)
    form = pick(rng, mix.ABUSE_SHARE, n)
    mean, sd, floor = mix.SUPPORTED_IN_TIME
    p_time = np.clip(rng.normal(mean, sd, n_groups), floor, 1.0)
    return pd.DataFrame(
        {
            "commune": commune,
            "year": year,
            "category": "abuse",
            "type_code": np.array(ABUSE_TYPES)[form],
            "sex": np.where(rng.random(n) < mix.ABUSE_GIRL[form], "F", "M"),
            "age_band": np.array(AGE_BANDS)[pick_rows(rng, mix.ABUSE_AGE[form])],
            "environment": np.array(ABUSE_ENVIRONMENTS)[
                pick_rows(rng, mix.ABUSE_PLACE[form])
            ],
            "intent": None,
            "outcome": None,
            "supported_in_time": rng.random(n) < p_time[group[commune]],
            "occurred_on": dates_by_month(rng, year, np.array(mix.MONTHS["abuse"])),
        }
    )


def _injury_rows(
    rng: np.random.Generator, commune: np.ndarray, year: np.ndarray, kind: np.ndarray
) -> pd.DataFrame:
    n = len(commune)
    fatal = rng.random(n) < mix.INJURY_FATAL[kind]
    return pd.DataFrame(
        {
            "commune": commune,
            "year": year,
            "category": "injury",
            "type_code": np.array(INJURY_TYPES)[kind],
            "sex": np.where(rng.random(n) < mix.INJURY_BOY[kind], "M", "F"),
            "age_band": np.array(AGE_BANDS)[pick_rows(rng, mix.INJURY_AGE[kind])],
            "environment": None,
            "intent": np.where(
                np.isin(kind, [INJURY_TYPES.index(t) for t in mix.INTENTIONAL]),
                "intentional",
                "unintentional",
            ),
            "outcome": np.where(fatal, "fatal", "non_fatal"),
            "supported_in_time": None,
            "occurred_on": dates_by_month(rng, year, mix.INJURY_MONTHS[kind]),
        }
    )


def _cells(counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Index arrays with one entry per case, from a count array."""
    cells = np.nonzero(counts)
    repeat = counts[cells]
    return tuple(np.repeat(axis, repeat) for axis in cells)


def _case_rows(
    rng: np.random.Generator,
    counts: tuple[np.ndarray, np.ndarray],
    years: np.ndarray,
    group: np.ndarray,
    n_groups: int,
) -> pd.DataFrame:
    """One row per case of the (abuse, injury) count arrays (years as columns)."""
    a_commune, a_year = _cells(counts[0])
    i_commune, i_year, i_kind = _cells(counts[1])
    return pd.concat(
        [
            _abuse_rows(rng, a_commune, years[a_year], group, n_groups),
            _injury_rows(rng, i_commune, years[i_year], i_kind),
        ],
        ignore_index=True,
    )


def generate(
    prov: Province,
    kids: np.ndarray,
    years: Sequence[int],
    rng: np.random.Generator,
    today: int,
) -> Incidents:
    """Incidents of every commune of ``prov`` in ``years`` (before ``today``)."""
    all_years = np.array([years[0] - 1, *years], dtype="int64")
    abuse, injury = _counts(kids, risks(rng, prov, kids), all_years, rng)
    rows = _case_rows(
        rng,
        (abuse[:, 1:], injury[:, 1:]),
        all_years[1:],
        prov.district_of,
        len(prov.districts),
    )
    rows["unit_id"] = prov.communes["id"].to_numpy()[rows["commune"]]
    rows["district"] = prov.district_of[rows["commune"]]
    rows = rows[rows["occurred_on"] < today]
    rows = rows.sort_values(["occurred_on", "commune", "category"], kind="stable")
    baseline = {"abuse": int(abuse[:, 0].sum()), "injury": int(injury[:, 0].sum())}
    return Incidents(rows.reset_index(drop=True), int(all_years[0]), baseline)


def cases_between(
    communes: Communes,
    risk: tuple[np.ndarray, np.ndarray],
    years: Sequence[int],
    rng: np.random.Generator,
    days: tuple[int, int],
) -> pd.DataFrame:
    """Incident rows of whole ``years``, kept on days ``days[0] <= day < days[1]``.

    For years cut by the reform: each year is drawn whole (so its months keep
    their weights, e.g. the drowning peak of May-August) and only the days on
    which the units exist are kept.
    """
    yrs = np.asarray(years, dtype="int64")
    counts = _counts(communes.kids, risk, yrs, rng)
    rows = _case_rows(rng, counts, yrs, communes.group, communes.n_groups)
    rows["unit_id"] = communes.ids[rows["commune"]]
    day = rows["occurred_on"]
    rows = rows[(day >= days[0]) & (day < days[1])]
    rows = rows.sort_values(["occurred_on", "commune", "category"], kind="stable")
    return rows.reset_index(drop=True)
