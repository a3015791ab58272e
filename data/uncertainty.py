"""Chance variation in case rates: intervals, plausible ranks, funnel limits.

Pure functions (no database).  A rate per 100,000 children is a count of cases
over the children under 16; the count is treated as Poisson.

- ``garwood``: the exact Poisson interval of a count (Garwood 1936): the lower
  limit of ``x`` is the mean whose chance of ``x`` or more is 2.5 %, the upper
  the mean whose chance of ``x`` or fewer is 2.5 % (0 has lower limit 0).  The
  chi-square form (``chi2.ppf(0.025, 2x) / 2``) is solved here on the Poisson
  distribution itself by bisection: no SciPy needed.  A rate's interval is the
  count's divided by the children.
- A count a user sees only as a range (abuse counts shown "<5" to restricted
  roles: ``data.suppression``) has the interval of the range: the lower limit
  of its smallest count to the upper limit of its largest (0-4: 0 to the upper
  limit of 4).  Never the exact count.
- ``funnel_limits``: Spiegelhalter (2005, Statistics in Medicine 24:1185-1202):
  around a target rate, for a unit of ``n`` children the expected count is
  ``target * n / 100,000``; its control limits are the Poisson quantiles of that
  mean at 2.5 % / 97.5 % (95 %) and 0.1 % / 99.9 % (99.8 %), interpolated
  between whole counts as the paper's appendix does, divided by ``n``.
- ``compare``: where a unit's rate (or range of rates) falls against the limits.
- ``count_draws``/``rank_range``: plausible ranks by simulation.  Each unit's
  true count is drawn ``DRAWS`` times from the Jeffreys posterior of a Poisson
  mean, Gamma(x + 1/2, 1) (a count shown as a range: x drawn uniformly in it
  first), with a fixed seed so the same figures give the same ranges; each
  draw is ranked again; the range is the 2.5th to 97.5th percentile of the
  unit's ranks (widened to include its rank as shown).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from data.vocabulary import PER_CHILDREN

LEVEL = 0.95
FUNNEL_LEVELS = (0.95, 0.998)
DRAWS = 1_000
SEED = 20050415  # fixed: the same figures always give the same ranges
JEFFREYS = 0.5
_ITERATIONS = 200


def _log_pmf(k: int, mean: float) -> float:
    return -mean + k * math.log(mean) - math.lgamma(k + 1)


def _lower_gamma_series(a: float, x: float) -> float:
    """The regularised lower incomplete gamma P(a, x) by its series (x < a + 1)."""
    term = total = 1.0 / a
    n = a
    for _ in range(10_000):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * 1e-15:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    """The regularised upper incomplete gamma Q(a, x) by its continued fraction
    (modified Lentz; x >= a + 1)."""
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def poisson_cdf(k: int, mean: float) -> float:
    """P(Y <= k) for Y ~ Poisson(mean): the regularised upper incomplete gamma
    Q(k + 1, mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    a = k + 1.0
    if mean < a + 1:
        return min(max(1.0 - _lower_gamma_series(a, mean), 0.0), 1.0)
    return min(max(_upper_gamma_fraction(a, mean), 0.0), 1.0)


def _solve(k: int, target: float) -> float:
    """The mean whose P(Y <= k) is ``target`` (decreasing in the mean)."""
    low, high = 0.0, k + 10.0 * math.sqrt(k + 1.0) + 10.0
    while poisson_cdf(k, high) > target:
        high *= 2
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        if poisson_cdf(k, middle) > target:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


@lru_cache(maxsize=4096)
def garwood_lower(count: int, level: float = LEVEL) -> float:
    """The lower exact Poisson limit of ``count`` (0 for 0)."""
    if count <= 0:
        return 0.0
    # P(Y >= count) = alpha/2  <=>  P(Y <= count - 1) = 1 - alpha/2
    return _solve(int(count) - 1, 1 - (1 - level) / 2)


@lru_cache(maxsize=4096)
def garwood_upper(count: int, level: float = LEVEL) -> float:
    """The upper exact Poisson limit of ``count``: P(Y <= count) = alpha/2."""
    return _solve(max(int(count), 0), (1 - level) / 2)


def garwood(count: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact (Garwood) interval of a Poisson count."""
    return garwood_lower(count, level), garwood_upper(count, level)


def whole(value: object) -> int | None:
    """A count as a whole number (None when unknown)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if number != number:
        return None
    return max(round(number), 0)


def rate_interval(
    low_count: object, high_count: object, children: object, level: float = LEVEL
) -> tuple[float, float] | None:
    """The interval of a rate per 100,000 whose count lies in [low, high] (the
    same for an exact count): None without children or counts."""
    low, high, n = whole(low_count), whole(high_count), whole(children)
    if low is None or high is None or not n:
        return None
    return (
        PER_CHILDREN * garwood_lower(low, level) / n,
        PER_CHILDREN * garwood_upper(high, level) / n,
    )


def shown_range(
    count: object, suppressed: object, partial: object, hidden_high: int
) -> tuple[int, int] | None:
    """The counts a shown incident figure allows, as its user sees it: a count
    shown "<5" (``suppressed``) is 0 to ``hidden_high``; a total whose abuse part
    shows "<5" (``partial``: the count shown is its injuries and shown abuse) is
    that count to ``hidden_high`` more; else the count itself."""
    if bool(suppressed):
        return 0, hidden_high
    n = whole(count)
    if n is None:
        return None
    return (n, n + hidden_high) if bool(partial) else (n, n)


# --- funnel plot --------------------------------------------------------------------


def poisson_limit(mean: float, p: float) -> float:
    """The ``p`` quantile of Poisson(mean), interpolated between whole counts
    (Spiegelhalter 2005, appendix A.1.1): r is the smallest count with
    P(Y <= r) >= p and the limit is r - (P(Y <= r) - p) / P(Y = r); never below
    0."""
    if mean <= 0:
        return 0.0
    cumulative, r = 0.0, 0
    start = _walk_start(mean, p)
    if start:
        cumulative = poisson_cdf(start - 1, mean)
        if cumulative >= p:  # past the quantile (never seen): from further down
            start = max(0, int(mean - 12 * math.sqrt(mean) - 5))
            cumulative = poisson_cdf(start - 1, mean) if start else 0.0
        r = start
    mass = math.exp(_log_pmf(r, mean))
    while not (cumulative + mass >= p or mass == 0 and r > mean):
        cumulative += mass
        r += 1
        mass *= mean / r  # P(Y = r) from P(Y = r - 1)
    alpha = (cumulative + mass - p) / mass if mass > 0 else 0.0
    return max(r - alpha, 0.0)


def _walk_start(mean: float, p: float) -> int:
    """A whole count below the ``p`` quantile of Poisson(mean), a few steps
    short of it: the normal approximation's quantile less one standard
    deviation and five (the quantile is within two counts of that
    approximation's, Cornish-Fisher), so the walk up to it is ~sqrt(mean)
    steps instead of ~15 sqrt(mean)."""
    spread = math.sqrt(mean)
    return max(0, int(mean + (_NORMAL.inv_cdf(p) - 1) * spread - 5))


_NORMAL = NormalDist()


@lru_cache(maxsize=4096)
def funnel_limits(
    target_rate: float, children: float, level: float
) -> tuple[float, float]:
    """(lower, upper) control limits of a rate per 100,000 for a unit of
    ``children`` children around ``target_rate``, at ``level`` (0.95, 0.998)."""
    if children <= 0:
        return math.nan, math.nan
    mean = target_rate * children / PER_CHILDREN
    tail = (1 - level) / 2
    low = poisson_limit(mean, tail)
    high = poisson_limit(mean, 1 - tail)
    return PER_CHILDREN * low / children, PER_CHILDREN * high / children


def funnel_curve(
    target_rate: float, smallest: float, largest: float, points: int = 120
) -> dict[str, tuple[float, ...]]:
    """The limits over children from ``smallest`` to ``largest`` (spaced evenly
    on a log scale): {"children", "low95", "high95", "low998", "high998"}.
    Kept per process (a meeting's ranking draws the same curve for everyone:
    ~500 quantiles)."""
    kept = _funnel_curve(float(target_rate), float(smallest), float(largest), points)
    return dict(kept)


@lru_cache(maxsize=256)
def _funnel_curve(
    target_rate: float, smallest: float, largest: float, points: int
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    first = max(smallest, 1.0)
    last = max(largest, first * 1.01)
    grid = tuple(np.geomspace(first, last, points).tolist())
    out: list[tuple[str, tuple[float, ...]]] = [("children", grid)]
    for level, name in zip(FUNNEL_LEVELS, ("95", "998"), strict=True):
        pairs = [funnel_limits(target_rate, n, level) for n in grid]
        out.append((f"low{name}", tuple(p[0] for p in pairs)))
        out.append((f"high{name}", tuple(p[1] for p in pairs)))
    return tuple(out)


WITHIN = "within"
VERSUS = ("very_low", "low", WITHIN, "high", "very_high")


def compare(
    low_count: object, high_count: object, children: object, target_rate: float
) -> str | None:
    """Where a unit stands against the funnel around ``target_rate``: "within"
    the 95 % limits (not distinguishable from the target), "high"/"low" beyond
    them, "very_high"/"very_low" beyond the 99.8 % limits.  A range of counts
    is beyond a limit only when all of it is."""
    low, high, n = whole(low_count), whole(high_count), whole(children)
    if low is None or high is None or not n or target_rate != target_rate:
        return None
    rate_low, rate_high = PER_CHILDREN * low / n, PER_CHILDREN * high / n
    lower95, upper95 = funnel_limits(target_rate, n, FUNNEL_LEVELS[0])
    lower998, upper998 = funnel_limits(target_rate, n, FUNNEL_LEVELS[1])
    if rate_low > upper998:
        return "very_high"
    if rate_low > upper95:
        return "high"
    if rate_high < lower998:
        return "very_low"
    if rate_high < lower95:
        return "low"
    return WITHIN


# --- plausible ranks ----------------------------------------------------------------


def count_draws(
    low: Sequence[float] | np.ndarray,
    high: Sequence[float] | np.ndarray,
    draws: int = DRAWS,
    seed: int = SEED,
) -> np.ndarray:
    """(draws x units) true counts drawn from Gamma(x + 1/2, 1), x the count (or
    drawn uniformly from the range [low, high]); NaN where the count is
    unknown."""
    rng = np.random.default_rng(seed)
    lo = np.asarray(low, dtype="float64")
    hi = np.asarray(high, dtype="float64")
    known = ~(np.isnan(lo) | np.isnan(hi))
    lo_k = np.where(known, np.round(lo), 0.0)
    hi_k = np.where(known, np.maximum(np.round(hi), lo_k), 0.0)
    counts = rng.integers(
        lo_k.astype("int64"), hi_k.astype("int64") + 1, (draws, lo.size)
    )
    out = rng.gamma(counts + JEFFREYS, 1.0)
    out[:, ~known] = np.nan
    return out


def ranks_of(values: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Per row of ``values`` (draws x units), "1, 2, 2, 4" ranks (1: the
    highest when ``higher_is_better``); NaN where a value is NaN."""
    v = values if higher_is_better else -values
    filled = np.where(np.isnan(v), -np.inf, v)
    better = filled[:, None, :] > filled[:, :, None]  # [d, i, j]: j beats i
    ranks = 1.0 + better.sum(axis=2)
    ranks[np.isnan(v)] = np.nan
    return ranks


def rank_range(
    ranks: np.ndarray, shown: Sequence[float | None], share: float = LEVEL
) -> list[tuple[int, int] | None]:
    """Per unit (column of ``ranks``), the central ``share`` of its simulated
    ranks, widened to include its rank as ``shown``; None without a rank."""
    tail = (1 - share) / 2
    out: list[tuple[int, int] | None] = []
    for i, rank in enumerate(shown):
        column = ranks[:, i]
        column = column[~np.isnan(column)]
        if rank is None or rank != rank or column.size == 0:
            out.append(None)
            continue
        low = float(np.quantile(column, tail, method="lower"))
        high = float(np.quantile(column, 1 - tail, method="higher"))
        out.append((int(min(low, rank)), int(max(high, rank))))
    return out
