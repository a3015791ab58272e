"""Child protection fund: yearly targets and contributions (DOMAIN.md section 4).

Assumptions:
- the province target covers everything mobilised in the province, at every level
  (province fund, district funds, commune funds), in cash, in kind and as support
  programmes: max(4 billion đồng, 8,000 đồng per child under 16 grown 5 % a year
  from 2021), rounded to 100 million.  The 4-billion floor is the Gia Lai 2021 plan
  (seed 004) applied as the default floor to every province;
- the province's own fund raises 30 % of it; the other 70 % is split between the
  districts in proportion to their children, so **district targets sum to 70 % of
  the province target, not to all of it**;
- a district (its own fund plus its communes') achieves its target times a
  persistent district tendency (mean 1.03, sd 0.09) and a yearly swing (sd 0.07),
  kept within 70-135 %; 30-50 % of a district's money is raised by its communes,
  75-100 % of which raise something in a year;
- money is booked on the unit that mobilised it, in rows of about 40 million
  (province), 12 million (district) and 2.5 million đồng (commune), never below
  100,000 đồng, in whole thousands of đồng;
- dates: 25 % in the four weeks before Tết, 25 % from 20 May to 30 June (Action
  Month), 20 % in the 25 days up to Mid-Autumn, 30 % any day of the year; nothing
  is dated on or after ``today``;
- transfers (``transfers``, drawn from a stream of their own so that the money
  raised stays as it was): in a year, a district fund hands part of what it
  raised itself (20-50 %, in whole millions) to the province fund with
  probability 0.25, in cash on one of 1-20 December, booked on the province with
  source ``transfer``.  They move money within the province, so no province or
  district figure changes (``data.metrics.fund``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.demo.festivals import festival_windows
from data.demo.sampling import Communes, Province, day, district_sums, pick, pick_rows
from data.vocabulary import FUND_KINDS, FUND_SOURCES, FUND_TRANSFER

FLOOR_DONG = 4_000_000_000
PER_CHILD_DONG = 8_000
GROWTH, GROWTH_FROM = 0.05, 2021
TARGET_STEP = 100_000_000
PROVINCE_OWN_SHARE = 0.30
TENDENCY, TENDENCY_SD, SWING_SD, ACHIEVEMENT = 1.03, 0.09, 0.07, (0.70, 1.35)
COMMUNE_SHARE, PARTICIPATION = (0.30, 0.50), (0.75, 1.00)
ROW_SIZE = np.array([40e6, 12e6, 2.5e6])  # province, district, commune
MIN_AMOUNT = 100_000

# source probabilities by level (province, district, commune), in FUND_SOURCES order:
# enterprise, individual, organisation, state_budget, international (a transfer is
# drawn apart: ``transfers``)
SOURCE_BY_LEVEL = np.array(
    [
        [0.40, 0.10, 0.25, 0.13, 0.12],
        [0.35, 0.25, 0.25, 0.12, 0.03],
        [0.20, 0.50, 0.20, 0.10, 0.00],
    ]
)
# kind probabilities by source, in FUND_KINDS order: cash, in_kind, programme
KIND_BY_SOURCE = np.array(
    [
        [0.50, 0.35, 0.15],
        [0.75, 0.25, 0.00],
        [0.40, 0.35, 0.25],
        [0.80, 0.00, 0.20],
        [0.10, 0.20, 0.70],
    ]
)
EVENT_SHARES = np.array([0.25, 0.25, 0.20, 0.30])  # Tết, Action Month, Mid-Autumn, any
HANDS_OVER, HANDED_PART, HANDED_DAYS = 0.25, (0.20, 0.50), (1, 20)
MILLION = 1_000_000


def province_target(children_total: int, year: int) -> int:
    """The province's fund target for ``year`` in đồng."""
    scaled = children_total * PER_CHILD_DONG * (1 + GROWTH) ** (year - GROWTH_FROM)
    return max(FLOOR_DONG, int(round(scaled / TARGET_STEP)) * TARGET_STEP)


def split(total: int, weights: np.ndarray, step: int = 1_000_000) -> np.ndarray:
    """``total`` split in proportion to ``weights``, in whole ``step``s, exact sum."""
    exact = total / step * weights / weights.sum()
    out = np.floor(exact).astype("int64")
    short = int(round(total / step)) - int(out.sum())
    out[np.argsort(out - exact, kind="stable")[:short]] += 1
    return out * step


def targets(prov: Province, kids: np.ndarray, years: Sequence[int]) -> pd.DataFrame:
    """``fund_target`` rows: the province and each district, every year."""
    per_district = district_sums(kids, prov.district_of, len(prov.districts))
    frames = []
    for year in years:
        total = province_target(int(kids.sum()), year)
        districts = split(round(total * (1 - PROVINCE_OWN_SHARE)), per_district)
        frames.append(
            pd.DataFrame(
                {
                    "unit_id": np.r_[prov.id, prov.districts["id"].to_numpy()],
                    "year": year,
                    "amount_dong": np.r_[total, districts],
                    "district": np.r_[-1, np.arange(len(prov.districts))],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def tendencies(rng: np.random.Generator, n_districts: int) -> np.ndarray:
    """Persistent achievement tendency of the province and each district.

    The first draw of a province's fund stream, so that it can be drawn again.
    """
    return rng.normal(TENDENCY, TENDENCY_SD, n_districts + 1)


def _raised(
    prov: Province,
    kids: np.ndarray,
    target: pd.DataFrame,
    rng: np.random.Generator,
    tendency: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Money raised in one year by the province, each district and each commune."""
    n_d, district = len(prov.districts), prov.district_of
    goal = target["amount_dong"].to_numpy().astype(float)
    goal[0] *= PROVINCE_OWN_SHARE  # the province's own fund; districts raise the rest
    achieved = np.clip(tendency + rng.normal(0, SWING_SD, n_d + 1), *ACHIEVEMENT)
    raised = goal * achieved
    commune_part = raised[1:] * rng.uniform(*COMMUNE_SHARE, n_d)
    joins = rng.random(len(kids)) < rng.uniform(*PARTICIPATION, n_d)[district]
    weight = kids * rng.lognormal(0, 0.5, len(kids)) * joins
    weight_sum = district_sums(weight, district, n_d)
    share = np.divide(
        weight,
        weight_sum[district],
        out=np.zeros(len(kids)),
        where=weight_sum[district] > 0,
    )
    communes = commune_part[district] * share
    districts = raised[1:] - np.where(weight_sum > 0, commune_part, 0)
    return raised[:1], districts, communes


def _rows(
    rng: np.random.Generator, totals: np.ndarray, typical: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Split each unit's total into rows of whole thousands that sum exactly."""
    totals = (np.floor(totals / 1000) * 1000).astype("int64")
    n = np.minimum(np.maximum(1, rng.poisson(totals / typical)), totals // MIN_AMOUNT)
    unit = np.repeat(np.arange(len(totals)), n)
    w = rng.gamma(0.8, size=len(unit)) + 1e-9
    w_sum = np.bincount(unit, w, minlength=len(totals))
    spare = (totals - n * MIN_AMOUNT).astype(float)
    amount = MIN_AMOUNT + np.floor(spare[unit] * w / w_sum[unit] / 1000) * 1000
    amount = amount.astype("int64")
    short = totals - np.bincount(unit, amount, minlength=len(totals)).astype("int64")
    first = (np.cumsum(n) - n)[n > 0]
    amount[first] += short[n > 0]
    return unit, amount


def _labels(rng: np.random.Generator, level: np.ndarray) -> tuple[np.ndarray, ...]:
    source = pick_rows(rng, SOURCE_BY_LEVEL[level])
    kind = pick_rows(rng, KIND_BY_SOURCE[source])
    return np.array(FUND_KINDS)[kind], np.array(FUND_SOURCES)[source]


def _dates(rng: np.random.Generator, year: int, size: int) -> np.ndarray:
    windows = festival_windows(year)  # (start, end) day numbers per event
    event = pick(rng, EVENT_SHARES, size)
    start, end = windows[event, 0], windows[event, 1]
    return start + np.floor(rng.random(size) * (end - start + 1)).astype("int64")


def contributions(
    prov: Province,
    kids: np.ndarray,
    target: pd.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
    today: int,
    tendency: np.ndarray | None = None,
) -> pd.DataFrame:
    """``fund_contribution`` rows of every unit of ``prov`` (dates before ``today``).

    ``tendency`` (province, then each district): drawn first from ``rng`` when not
    given; a year cut by the reform passes the one its earlier years were drawn with.
    """
    unit_ids = np.r_[
        prov.id, prov.districts["id"].to_numpy(), prov.communes["id"].to_numpy()
    ]
    level = np.r_[
        0, np.ones(len(prov.districts), "int64"), np.full(len(kids), 2, "int64")
    ]
    district = np.r_[-1, np.arange(len(prov.districts)), prov.district_of]
    if tendency is None:
        tendency = tendencies(rng, len(prov.districts))
    frames = []
    for year in years:
        goal = target[target["year"] == year]
        totals = np.concatenate(_raised(prov, kids, goal, rng, tendency))
        unit, amount = _rows(rng, totals, ROW_SIZE[level])
        kind, source = _labels(rng, level[unit])
        frames.append(
            pd.DataFrame(
                {
                    "unit_id": unit_ids[unit],
                    "contributed_on": _dates(rng, year, len(unit)),
                    "kind": kind,
                    "source_type": source,
                    "amount_dong": amount,
                    "year": year,
                    "order": unit,
                    "district": district[unit],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out = out[out["contributed_on"] < today]
    return out.sort_values(["year", "order", "contributed_on"], kind="stable")


def transfers(
    prov: Province,
    money: pd.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
    today: int,
) -> pd.DataFrame:
    """District funds handing part of what they raised themselves to the province
    fund in December (see the module): ``fund_contribution`` rows of the province,
    with the giving district in ``transfer_from_unit_id``; dates before ``today``.
    ``money``: the province's rows from ``contributions``."""
    districts = prov.districts["id"].to_numpy()
    frames = []
    for year in years:
        own = money[(money["year"] == year) & money["unit_id"].isin(districts)]
        raised = (
            own.groupby("unit_id")["amount_dong"]
            .sum()
            .reindex(districts)
            .fillna(0)
            .to_numpy(float)
        )
        hands = rng.random(len(districts)) < HANDS_OVER
        part = rng.uniform(*HANDED_PART, len(districts))
        first, last = HANDED_DAYS
        on = day(year, 12, first) + rng.integers(0, last - first + 1, len(districts))
        amount = (np.floor(raised * part / MILLION) * MILLION).astype("int64")
        keep = hands & (amount > 0) & (on < today)
        frames.append(
            pd.DataFrame(
                {
                    "unit_id": prov.id,
                    "contributed_on": on[keep],
                    "kind": "cash",
                    "source_type": FUND_TRANSFER,
                    "amount_dong": amount[keep],
                    "transfer_from_unit_id": districts[keep],
                    "year": year,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["unit_id", "transfer_from_unit_id"])
    return pd.concat(frames, ignore_index=True)


# --- a province formed by the July-2025 reform (no districts) ---------------------


def successor_targets(
    prov_id: int,
    predecessor_kids: Sequence[int],
    kids_total: int,
    years: Sequence[int],
    first_day: int,
) -> pd.DataFrame:
    """``fund_target`` rows of a province formed by a reform: the province only.

    In the year it is formed (``first_day`` after 1 January) its target is the sum
    of its predecessor provinces' targets for that year (each computed from its
    own children, as its legacy row is); later years follow ``province_target`` of
    its own children.  No district targets: there are no districts any more.
    """
    amounts = [
        sum(province_target(int(k), y) for k in predecessor_kids)
        if day(y, 1, 1) < first_day
        else province_target(kids_total, y)
        for y in years
    ]
    return pd.DataFrame(
        {"unit_id": prov_id, "year": list(years), "amount_dong": amounts}
    )


def _successor_raised(
    rng: np.random.Generator,
    kids: np.ndarray,
    goal: float,
    tendency: float,
    participation: float,
) -> np.ndarray:
    """Money raised in one year: the province's fund first, then each commune."""
    raised = goal * np.clip(tendency + rng.normal(0, SWING_SD), *ACHIEVEMENT)
    commune_part = raised * (1 - PROVINCE_OWN_SHARE) * rng.uniform(*COMMUNE_SHARE)
    joins = rng.random(len(kids)) < participation
    weight = kids * rng.lognormal(0, 0.5, len(kids)) * joins
    total = float(weight.sum())
    communes = commune_part * weight / total if total > 0 else np.zeros(len(kids))
    return np.r_[raised - communes.sum(), communes]


def successor_contributions(
    prov_id: int,
    communes: Communes,
    target: pd.DataFrame,
    rng: np.random.Generator,
    days: tuple[int, int],
) -> pd.DataFrame:
    """``fund_contribution`` rows of a reformed province, dated in ``days`` [from, to).

    Each year of ``target`` is drawn whole and only the days the units exist are
    kept (in the reform year the legacy units raised the first half).
    """
    n = len(communes.ids)
    unit_ids = np.r_[prov_id, communes.ids]
    level = np.r_[0, np.full(n, 2, "int64")]
    tendency = rng.normal(TENDENCY, TENDENCY_SD)
    participation = rng.uniform(*PARTICIPATION)
    frames = []
    for year, goal in zip(target["year"], target["amount_dong"], strict=True):
        totals = _successor_raised(rng, communes.kids, goal, tendency, participation)
        unit, amount = _rows(rng, totals, ROW_SIZE[level])
        kind, source = _labels(rng, level[unit])
        frames.append(
            pd.DataFrame(
                {
                    "unit_id": unit_ids[unit],
                    "contributed_on": _dates(rng, int(year), len(unit)),
                    "kind": kind,
                    "source_type": source,
                    "amount_dong": amount,
                    "year": year,
                    "order": unit,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    on = out["contributed_on"]
    out = out[(on >= days[0]) & (on < days[1])]
    return out.sort_values(["year", "order", "contributed_on"], kind="stable")
