"""Targets and values of the indicators for one province (specs in ``indicators``).

Values derived from facts agree with the other themes by construction: the fund
value is the sum of every contribution booked in the province that year (province,
district and commune funds: the number the fund theme shows), incident counts and
the in-time share come from the incident rows, child-friendly values from the
latest round on or before the year (a recognition holds until the next round).
Values are written for completed years only (before ``today``'s year); targets
for every generated year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from data.demo import child_friendly
from data.demo.incidents import Incidents
from data.demo.indicators import INDICATORS, IndicatorSpec
from data.demo.sampling import Province, district_sums


@dataclass(frozen=True)
class Facts:
    """What the other themes generated for a province."""

    prov: Province
    kids: np.ndarray
    assessments: pd.DataFrame
    fund_targets: pd.DataFrame
    contributions: pd.DataFrame
    incidents: Incidents

    @cached_property
    def rounds(self) -> pd.DataFrame:
        """Child-friendly counts per district and round (computed once)."""
        if self.assessments.empty:
            return pd.DataFrame()
        n_districts = len(self.prov.districts)
        return child_friendly.recognised_share(self.assessments, n_districts)


@dataclass(frozen=True)
class Units:
    """The units an indicator is set for: ids and district position (-1: province)."""

    ids: np.ndarray
    district: np.ndarray


def _units(prov: Province, levels: tuple[str, ...]) -> Units:
    ids, pos = [], []
    if "province" in levels:
        ids, pos = [prov.id], [-1]
    if "district" in levels:
        ids += prov.districts["id"].tolist()
        pos += list(range(len(prov.districts)))
    return Units(np.array(ids, "int64"), np.array(pos, "int64"))


def _spread(units: Units, by_district: np.ndarray) -> np.ndarray:
    """(units x years) from (districts x years): the province gets the sum."""
    total = by_district.sum(0, keepdims=True)
    return np.where(
        (units.district < 0)[:, None], total, by_district[np.maximum(units.district, 0)]
    )


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, np.round(100 * num / den, 1), np.nan)


def _by_year(
    frame: pd.DataFrame, n_d: int, years: Sequence[int], col: str | None
) -> np.ndarray:
    """(districts x years) sums of ``col`` (or row counts) in ``frame``."""
    out = np.zeros((n_d, len(years)))
    for j, year in enumerate(years):
        part = frame[(frame["year"] == year) & (frame["district"] >= 0)]
        weights = None if col is None else part[col].to_numpy(float)
        out[:, j] = district_sums(
            weights if weights is not None else np.ones(len(part)),
            part["district"].to_numpy("int64"),
            n_d,
        )
    return out


def _cf(facts: Facts, years: Sequence[int]) -> dict[str, np.ndarray]:
    """(districts x years) child-friendly counts as of the latest round (NaN: none)."""
    n_d = len(facts.prov.districts)
    keys = ("communes", "registered", "recognised", "over_700", "gain")
    out = {k: np.full((n_d, len(years)), np.nan) for k in keys}
    summary = facts.rounds
    if summary.empty:
        return out
    rounds = sorted(summary["year"].unique())
    for j, year in enumerate(years):
        done = [r for r in rounds if r <= year]
        if not done:
            continue
        part = summary[summary["year"] == done[-1]]
        for key in keys[:-1]:
            out[key][:, j] = part[key].to_numpy()
        if done[-1] == year and done[:-1][-1:] == [child_friendly.previous_round(year)]:
            before = summary[summary["year"] == done[-2]]["recognised"].to_numpy()
            out["gain"][:, j] = part["recognised"].to_numpy() - before
    return out


def _cf_share(key: str) -> Callable[[Facts, Units, Sequence[int]], np.ndarray]:
    def share(facts: Facts, units: Units, years: Sequence[int]) -> np.ndarray:
        cf = _cf(facts, years)
        return _ratio(_spread(units, cf[key]), _spread(units, cf["communes"]))

    return share


def _commune_fund(facts: Facts, units: Units, years: Sequence[int]) -> np.ndarray:
    """Share of communes that booked at least one contribution in the year."""
    prov, c = facts.prov, facts.contributions
    booked = c[c["unit_id"].isin(prov.communes["id"])]
    booked = booked.drop_duplicates(["year", "unit_id"])
    num = _by_year(booked, len(prov.districts), years, None)
    per_district = district_sums(
        np.ones(len(prov.communes)), prov.district_of, len(prov.districts)
    )
    den = np.repeat(per_district[:, None], len(years), axis=1)
    return _ratio(_spread(units, num), _spread(units, den))


def _abuse_in_time(facts: Facts, units: Units, years: Sequence[int]) -> np.ndarray:
    rows = facts.incidents.rows
    abuse = rows[rows["category"] == "abuse"]
    abuse = abuse.assign(in_time=abuse["supported_in_time"].astype(float))
    n_d = len(facts.prov.districts)
    num = _by_year(abuse, n_d, years, "in_time")
    den = _by_year(abuse, n_d, years, None)
    return _ratio(_spread(units, num), _spread(units, den))


def _count(category: str) -> Callable[[Facts, Units, Sequence[int]], np.ndarray]:
    def count(facts: Facts, units: Units, years: Sequence[int]) -> np.ndarray:
        rows = facts.incidents.rows
        part = rows[rows["category"] == category]
        return _spread(units, _by_year(part, len(facts.prov.districts), years, None))

    return count


def _fund_total(facts: Facts, units: Units, years: Sequence[int]) -> np.ndarray:
    """Money booked by the district and its communes; the province: everything."""
    c = facts.contributions
    by_district = _by_year(c, len(facts.prov.districts), years, "amount_dong")
    total = c.groupby("year")["amount_dong"].sum().reindex(list(years), fill_value=0)
    out = _spread(units, by_district)
    out[units.district < 0] = total.to_numpy(float)
    return out


FACTS = {
    "cf_recognised": lambda f, u, y: _spread(u, _cf(f, y)["recognised"]),
    "cf_gain": lambda f, u, y: _spread(u, _cf(f, y)["gain"]),
    "cf_over_700": _cf_share("over_700"),
    "cf_registered": _cf_share("registered"),
    "cf_recognised_share": _cf_share("recognised"),
    "commune_fund": _commune_fund,
    "abuse_in_time": _abuse_in_time,
    "injury_count": _count("injury"),
    "abuse_count": _count("abuse"),
    "fund_total": _fund_total,
}
TREND_FROM = 2021


def _random(
    model: tuple[Any, ...], n: int, years: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(n x years) values of a demo model (see ``indicators``)."""
    shape = (n, len(years))
    if model[0] == "normal":
        _, mean, sd, per_year, lo, hi = model
        level = mean + rng.normal(0, sd, n)[:, None] + per_year * (years - TREND_FROM)
        return np.round(np.clip(level + rng.normal(0, sd / 3, shape), lo, hi), 1)
    if model[0] == "shortfall":
        _, p_full, scale, lo = model
        p_unit = np.clip(p_full + rng.normal(0, 0.15, n), 0, 1)[:, None]
        short = np.maximum(lo, np.round(100 - rng.exponential(scale, shape), 1))
        return np.where(rng.random(shape) < p_unit, 100.0, short)
    if model[0] == "choice":
        _, values, probs = model
        return np.array(values)[rng.choice(len(values), shape, p=probs)]
    raise ValueError(f"unknown value model {model[0]!r}")


def _value(
    spec: IndicatorSpec,
    facts: Facts,
    units: Units,
    years: Sequence[int],
    rng: np.random.Generator,
) -> np.ndarray:
    kind = spec.value[0]
    if kind == "fact":
        return FACTS[spec.value[1]](facts, units, years)
    yrs = np.asarray(years)
    if kind == "share":  # a district did it (100) or not (0); the province: share
        shape = (len(facts.prov.districts), len(yrs))
        did = 100.0 * (rng.random(shape) < spec.value[1])
        out = _spread(units, did)
        out[units.district < 0] /= len(did)
        return np.round(out, 1)
    out = _random(spec.value, len(units.ids), yrs, rng)
    province, districts = units.district < 0, units.district >= 0
    if province.any() and districts.any():  # the province: mean of its districts
        prov = facts.prov
        kids = district_sums(facts.kids, prov.district_of, len(prov.districts))
        weights = kids[units.district[districts]]
        out[province] = np.round(weights @ out[districts] / weights.sum(), 1)
    return out


def _target(
    spec: IndicatorSpec, facts: Facts, units: Units, years: Sequence[int]
) -> np.ndarray:
    shape = (len(units.ids), len(years))
    if not isinstance(spec.target, str):
        return np.full(shape, float(spec.target))
    if spec.target == "ALL_COMMUNES":
        prov = facts.prov
        per = district_sums(
            np.ones(len(prov.communes)), prov.district_of, len(prov.districts)
        )
        return _spread(units, np.repeat(per[:, None], len(years), axis=1))
    if spec.target.startswith("BASELINE:"):
        return np.full(shape, float(facts.incidents.baseline[spec.target[9:]]))
    if spec.target == "FUND_TARGET":
        t = facts.fund_targets.set_index(["unit_id", "year"])["amount_dong"]
        keys = pd.MultiIndex.from_product([units.ids, list(years)])
        return t.reindex(keys).to_numpy(float).reshape(shape)
    raise ValueError(f"unknown target rule {spec.target!r}")


def _rows(
    spec: IndicatorSpec,
    units: Units,
    years: Sequence[int],
    matrix: np.ndarray,
    column: str,
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "indicator_code": spec.code,
            "unit_id": np.repeat(units.ids, len(years)),
            "year": np.tile(np.asarray(years, "int64"), len(units.ids)),
            column: matrix.ravel(),
        }
    )
    if column == "target_value":
        frame.insert(3, "comparator", spec.comparator)
    return frame[frame[column].notna()]


def generate(
    facts: Facts,
    years: Sequence[int],
    rng_for: Callable[[str], np.random.Generator],
    last_year: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``indicator_target`` and ``indicator_value`` rows (values to ``last_year``)."""
    targets, values = [], []
    done = [y for y in years if y <= last_year]
    for spec in INDICATORS:
        units = _units(facts.prov, spec.units)
        targets.append(
            _rows(
                spec, units, years, _target(spec, facts, units, years), "target_value"
            )
        )
        if done:
            value = _value(spec, facts, units, done, rng_for(spec.code))
            values.append(_rows(spec, units, done, value, "value"))
    empty = pd.DataFrame()
    return (
        pd.concat(targets, ignore_index=True),
        pd.concat(values, ignore_index=True) if values else empty,
    )
