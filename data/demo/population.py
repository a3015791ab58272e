"""Children under 16 per commune (demo numbers; ``children_source = 'demo'``).

Assumptions (no census figure is used):
- a commune's children follow a lognormal by kind of commune: wards (phường) are
  bigger than townships (thị trấn), which are bigger than rural communes (xã);
  wards of centrally-run cities are 1.4 times bigger again;
- 8 % of rural communes are small (median 450 children), so some communes have a
  few hundred children and their rates jump by chance;
- an island district standing in as a commune counts as small;
- each province is scaled so that its total is the expected total of its kinds of
  commune times a province factor drawn in [0.96, 1.04].  With these sizes Gia Lai
  (24 phường, 14 thị trấn, 180 xã) lands at about 460,000-500,000 children
  (~29 % of its ~1.6 million people) and the whole country near 24 million.
"""

from __future__ import annotations

import numpy as np

from data.demo.sampling import Province

# kind -> (median children, sigma of the log)
KIND_SIZE = {
    "phường": (3200.0, 0.35),
    "thị trấn": (2800.0, 0.35),
    "xã": (1900.0, 0.45),
    "huyện đảo": (450.0, 0.4),
}
SMALL_SIZE = (450.0, 0.4)
SMALL_SHARE = 0.08  # of rural communes (xã)
CITY_WARD_FACTOR = 1.4
PROVINCE_FACTOR = (0.96, 1.04)
MIN_CHILDREN = 60


def _mean(median: float, sigma: float) -> float:
    return median * float(np.exp(sigma * sigma / 2))


def expected_size(kind: str, city_ward: bool) -> float:
    """Expected children of one commune of ``kind``."""
    median, sigma = KIND_SIZE.get(kind, KIND_SIZE["xã"])
    mean = _mean(median, sigma)
    if kind == "xã":
        mean = (1 - SMALL_SHARE) * mean + SMALL_SHARE * _mean(*SMALL_SIZE)
    return mean * (CITY_WARD_FACTOR if city_ward else 1.0)


def children(prov: Province, rng: np.random.Generator) -> np.ndarray:
    """Children under 16 of every commune of ``prov`` (aligned with its communes)."""
    kinds = prov.communes["kind"].to_numpy()
    city_ward = prov.centrally_run & (kinds == "phường")
    medians = np.array([KIND_SIZE.get(k, KIND_SIZE["xã"])[0] for k in kinds])
    sigmas = np.array([KIND_SIZE.get(k, KIND_SIZE["xã"])[1] for k in kinds])
    small = (kinds == "xã") & (rng.random(len(kinds)) < SMALL_SHARE)
    medians = np.where(small, SMALL_SIZE[0], medians)
    sigmas = np.where(small, SMALL_SIZE[1], sigmas)
    raw = medians * np.exp(sigmas * rng.standard_normal(len(kinds)))
    raw *= np.where(city_ward, CITY_WARD_FACTOR, 1.0)
    expected = sum(expected_size(k, c) for k, c in zip(kinds, city_ward, strict=True))
    total = expected * rng.uniform(*PROVINCE_FACTOR)
    return np.maximum(MIN_CHILDREN, np.rint(raw * total / raw.sum())).astype("int64")
