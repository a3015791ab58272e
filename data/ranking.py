"""The composite ranking of units (districts of a province, communes of a district).

Four components, each normalised to 0-100 among the units ranked together
(min-max: the best unit scores 100, the worst 0; all equal: every unit 100):

- ``child_friendly``: share of communes recognised (%), higher is better;
- ``fund``: % of the unit's annual target mobilised, higher is better;
- ``burden``: abuse and injury cases per 100,000 children under 16, LOWER is
  better (score = 100 * (max - x) / (max - min));
- ``timeliness``: reports on time (%), higher is better.

The composite is the weighted mean of the scores a unit has (weights default to
equal; a missing component is left out and the others' weights re-scaled, and the
row says which are missing).  Ranks are "1, 2, 2, 4": units whose composites are
equal at one decimal share a rank.  The change of rank is against the same ranking
for the previous period (positive: moved up).  ``gaps`` gives, per component, a
unit's distance to the median unit and to the unit ranked just above it.

The provincial child-rights index (PCRI, DOMAIN.md section 8) is not recomputed
here: its method is not published; a province's published rank is shown as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TypedDict

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from data import metrics, uncertainty
from data.periods import Period, start_of_day_vn
from data.scope import FULL, Scope
from data.suppression import THRESHOLD
from data.vocabulary import PER_CHILDREN

COMPONENTS = ("child_friendly", "fund", "burden", "timeliness")
LOWER_IS_BETTER = frozenset({"burden"})
EQUAL_WEIGHTS = {c: 1.0 for c in COMPONENTS}
DECIMALS = 1  # composites equal at this precision share a rank
SMALL_CHILDREN = 2_000  # fewer children under 16: rates jump by chance


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weights of the four components (missing ones 0); ValueError when one is
    negative, unknown, or they sum to 0."""
    if weights is None:
        return dict(EQUAL_WEIGHTS)
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ValueError(f"unknown component(s): {', '.join(unknown)}")
    out = {c: float(weights.get(c, 0.0)) for c in COMPONENTS}
    if any(w < 0 or np.isnan(w) for w in out.values()):
        raise ValueError("weights must be 0 or more")
    if sum(out.values()) <= 0:
        raise ValueError("at least one weight must be above 0")
    return out


def normalised(values: pd.Series, lower_is_better: bool = False) -> pd.Series:
    """0-100 min-max score of ``values`` (NaN stays NaN; all equal: 100)."""
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    low, high = x.min(), x.max()
    if pd.isna(low):
        return x
    if high == low:
        return x.where(x.isna(), 100.0)
    score = (high - x) if lower_is_better else (x - low)
    return 100.0 * score / (high - low)


def shared_ranks(composite: pd.Series) -> pd.Series:
    """1, 2, 2, 4 ranks of ``composite`` (higher is better; NaN: no rank)."""
    rounded = composite.round(DECIMALS)
    return rounded.rank(method="min", ascending=False).astype("Int64")


def rank(
    frame: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """``frame`` (code, name, children and the four components) with one score
    column per component (``<component>_score``, from ``<component>_basis`` when
    the frame has one), ``composite``, ``missing`` (components left out), ``rank``
    and ``small`` (few children), ordered by rank then name."""
    w = check_weights(weights)
    out = frame.reset_index(drop=True)
    scores = pd.DataFrame(
        {
            c: normalised(out.get(f"{c}_basis", out[c]), c in LOWER_IS_BETTER)
            for c in COMPONENTS
        },
        index=out.index,
    )
    for c in COMPONENTS:
        out[f"{c}_score"] = scores[c]
    weight = pd.Series(w)
    present = scores.notna() & (weight > 0)
    total_weight = present.mul(weight).sum(axis=1)
    weighted = scores.fillna(0.0).mul(weight).sum(axis=1)
    out["composite"] = (weighted / total_weight).where(total_weight > 0)
    blank = scores.isna()
    out["missing"] = [
        tuple(c for c in COMPONENTS if w[c] > 0 and bool(blank.at[i, c]))
        for i in out.index
    ]
    out["rank"] = shared_ranks(out["composite"])
    children = pd.to_numeric(out["children"], errors="coerce")
    out["small"] = (children < SMALL_CHILDREN).fillna(False).astype(bool)
    return out.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


def with_change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """``current`` ranking with ``previous_rank`` and ``change`` (places moved up;
    negative: down; NA when the unit had no rank then)."""
    before = previous.set_index("code")["rank"]
    out = current.copy()
    out["previous_rank"] = out["code"].map(before).astype("Int64")
    out["change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    return out


def gaps(ranked: pd.DataFrame, code: str) -> pd.DataFrame:
    """What moves a unit's rank: per component, its score, the median score, the
    score of the unit just above it (the best-ranked unit with a better rank), and
    the gaps (the unit's score minus each; negative: behind)."""
    row = ranked.set_index("code").loc[code]
    better = ranked[ranked["rank"] < row["rank"]]
    above = better.iloc[-1] if len(better) else None
    rows = []
    for c in COMPONENTS:
        score = row[f"{c}_score"]
        median = ranked[f"{c}_score"].median()
        next_up = None if above is None else above[f"{c}_score"]
        rows.append(
            {
                "component": c,
                "score": score,
                "median": median,
                "above": next_up,
                "gap_median": score - median,
                "gap_above": None if next_up is None else score - next_up,
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs["above"] = None if above is None else above["code"]
    return frame


def previous(period: Period) -> Period:
    """The period a rank change is measured against: the year before, the quarter
    before, or the same year to date of the year before."""
    if period.quarter:
        if period.quarter == 1:
            return Period(period.year - 1, 4)
        return Period(period.year, period.quarter - 1)
    return Period(period.year - 1, ytd=period.ytd)


class Units(TypedDict):
    """The units an aggregate lists, as every theme's aggregate takes them."""

    tree: str
    level: str
    parent_code: str
    scope: Scope


class _ThemeArgs(Units):
    period: Period


def components(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> pd.DataFrame:
    """The four components of every unit of ``level`` under ``parent_code``, from
    the map's own aggregates (the same scope and suppression: a burden computed
    from a suppressed abuse count is missing for that user)."""
    args: _ThemeArgs = {
        "tree": tree,
        "level": level,
        "parent_code": parent_code,
        "period": period,
        "scope": scope,
    }
    cf = metrics.child_friendly_share(conn, **args, today=today)
    fund = metrics.fund_progress(conn, **args, today=today)
    cases = metrics.incidents(conn, **args, today=today)
    # reports are judged as of the start of ``today`` in Viet Nam (as the map does)
    now = None if today is None else start_of_day_vn(today)
    reports = metrics.timeliness(conn, **args, now=now)
    # the burden shown is the rate of the counts this user sees (a lower bound
    # where the abuse part shows "<5": ``burden_partial``); the score is computed
    # from ``burden_basis`` (``_burden``)
    frame = cases[["code", "name", "children"]].assign(
        burden=cases["rate"],
        burden_partial=cases["partial"].astype(bool),
        burden_basis=_burden(cases),
        **_burden_counts(cases),
    )
    frame = frame.merge(
        cf[["code", "share"]].rename(columns={"share": "child_friendly"}), on="code"
    )
    frame = frame.merge(
        fund[["code", "pct"]].rename(columns={"pct": "fund"}), on="code"
    )
    return frame.merge(
        reports[["code", "on_time_share"]].rename(
            columns={"on_time_share": "timeliness"}
        ),
        on="code",
    )


HIDDEN_ABUSE = 2.0  # a "<5" abuse count, for the burden score of restricted users


def _burden(cases: pd.DataFrame) -> pd.Series:
    """What the burden score is computed from: cases per 100,000 children.  For
    users who see abuse counts as "<5" the rate of a unit whose abuse shows "<5"
    is only a lower bound; their score counts a hidden abuse count as 2 (the
    middle of the 0-4 that "<5" shows) beside the exact injuries, and says nothing
    about the hidden count.  Only the 0-100 score is delivered from it: the burden
    shown is the rate of the shown counts (``components``)."""
    if not cases["rounded"].any():
        return cases["rate"]
    abuse = cases["abuse"].astype("float64").fillna(HIDDEN_ABUSE)
    children = pd.to_numeric(cases["children"], errors="coerce").astype("float64")
    burden = PER_CHILDREN * (cases["injury"].astype("float64") + abuse) / children
    return burden.where(children > 0)


def _burden_counts(cases: pd.DataFrame) -> dict[str, pd.Series]:
    """The counts of cases the burden stands on, as the user sees them:
    ``burden_low`` to ``burden_high`` (the same for an exact count; a hidden "<5"
    abuse part adds 0 to 4: ``uncertainty.shown_range``)."""
    pairs = [
        uncertainty.shown_range(count, False, partial, HIDDEN_HIGH)
        for count, partial in zip(
            cases["count"].tolist(), cases["partial"].tolist(), strict=True
        )
    ]
    low = [np.nan if p is None else p[0] for p in pairs]
    high = [np.nan if p is None else p[1] for p in pairs]
    return {
        "burden_low": pd.Series(low, index=cases.index, dtype="float64"),
        "burden_high": pd.Series(high, index=cases.index, dtype="float64"),
    }


HIDDEN_HIGH = THRESHOLD - 1  # "<5": a shown count of 0 to 4


def with_uncertainty(
    ranked: pd.DataFrame,
    overall: Mapping[str, float | None],
    weights: Mapping[str, float] | None = None,
    draws: int = uncertainty.DRAWS,
) -> pd.DataFrame:
    """``ranked`` (from ``rank``) with the chance variation of its burden:
    ``burden_ci_low``/``burden_ci_high`` (the 95 % interval of the rate from the
    counts shown), ``versus`` (where the rate stands in the funnel around the
    rate of the place ranked, ``overall["rate"]``: ``uncertainty.compare``), and
    ``rank_low``/``rank_high`` (the plausible ranks: the burden's counts drawn
    again, every draw scored and ranked as ``rank`` does; the other components
    are complete counts, not samples, and stay as they are)."""
    w = check_weights(weights)
    out = ranked.copy()
    intervals = [uncertainty.rate_interval(lo, hi, n) for lo, hi, n in _triples(out)]
    out["burden_ci_low"] = [np.nan if i is None else i[0] for i in intervals]
    out["burden_ci_high"] = [np.nan if i is None else i[1] for i in intervals]
    target = overall.get("rate")
    target = np.nan if target is None else float(target)
    out["versus"] = [
        uncertainty.compare(lo, hi, n, target) for lo, hi, n in _triples(out)
    ]
    ranges = _rank_ranges(out, w, draws)
    out["rank_low"] = pd.array([None if r is None else r[0] for r in ranges], "Int64")
    out["rank_high"] = pd.array([None if r is None else r[1] for r in ranges], "Int64")
    out.attrs["overall"] = dict(overall)
    return out


def _triples(out: pd.DataFrame) -> list[tuple[object, object, object]]:
    """(low count, high count, children) of every row."""
    columns = (out["burden_low"], out["burden_high"], out["children"])
    return list(zip(*(c.tolist() for c in columns), strict=True))


def _rank_ranges(
    out: pd.DataFrame, w: Mapping[str, float], draws: int
) -> list[tuple[int, int] | None]:
    """The plausible rank range of every unit (``with_uncertainty``)."""
    shown = [None if pd.isna(r) else int(r) for r in out["rank"]]
    if not len(out):
        return []
    children = pd.to_numeric(out["children"], errors="coerce").to_numpy("float64")
    counts = uncertainty.count_draws(
        out["burden_low"].to_numpy("float64"),
        out["burden_high"].to_numpy("float64"),
        draws,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = PER_CHILDREN * counts / np.where(children > 0, children, np.nan)
    # the burden score of every draw, min-max among the units (``normalised``)
    low = np.nanmin(np.where(np.isnan(rates), np.inf, rates), axis=1, keepdims=True)
    high = np.nanmax(np.where(np.isnan(rates), -np.inf, rates), axis=1, keepdims=True)
    span = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        burden = np.where(span > 0, 100.0 * (high - rates) / span, 100.0)
    burden[np.isnan(rates)] = np.nan
    # the burden as ranked is missing for this user where its basis is missing
    burden[:, out["burden_score"].isna().to_numpy()] = np.nan
    weighted = np.zeros_like(burden)
    total = np.zeros_like(burden)
    for c in COMPONENTS:
        if w[c] <= 0:
            continue
        if c == "burden":
            score = burden
        else:
            fixed = out[f"{c}_score"].to_numpy("float64")
            score = np.broadcast_to(fixed, burden.shape)
        present = ~np.isnan(score)
        weighted += np.where(present, score, 0.0) * w[c]
        total += present * w[c]
    with np.errstate(divide="ignore", invalid="ignore"):
        composite = np.where(total > 0, weighted / total, np.nan)
    ranks = uncertainty.ranks_of(np.round(composite, DECIMALS))
    return uncertainty.rank_range(ranks, shown)


def ranked(
    conn: Connection,
    *,
    tree: str,
    level: str,
    parent_code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
    weights: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
) -> pd.DataFrame:
    """``rank`` of the units for ``period``, with the change against ``previous``
    (while ``period`` runs, the same number of its days; the same units; across
    the July-2025 reform the new units did not exist the period before, so their
    change is NA)."""
    weights = None if weights is None else dict(weights)
    args: Units = {
        "tree": tree,
        "level": level,
        "parent_code": parent_code,
        "scope": scope,
    }
    now = rank(components(conn, **args, period=period, today=today), weights)
    earlier = previous(period)
    # a period in progress is set against the same days of the one before
    cut = period.comparison_today(earlier, today)
    before = rank(components(conn, **args, period=earlier, today=cut), weights)
    place = overall(
        conn, tree=tree, code=parent_code, period=period, today=today, scope=scope
    )
    changed = with_change(now, before)
    return with_uncertainty(changed, place, weights)


def overall(
    conn: Connection,
    *,
    tree: str,
    code: str,
    period: Period,
    today: dt.date | None = None,
    scope: Scope = FULL,
) -> dict[str, float | None]:
    """The rate of the place whose units are ranked, as ``scope`` sees it (its
    own figures: for a restricted role, its own perturbed abuse count, a hidden
    "<5" part counted as ``HIDDEN_ABUSE`` as in the burden score): {"rate",
    "count", "children"}; the centre of the funnel."""
    frame = metrics.incidents_of_unit(
        conn, tree=tree, code=code, period=period, today=today, scope=scope
    )
    if frame.empty:
        return {"rate": None, "count": None, "children": None}
    row = frame.iloc[0]
    count = float(row["count"]) if pd.notna(row["count"]) else None
    if count is not None and bool(row["partial"]):
        count += HIDDEN_ABUSE
    children = float(row["children"]) if pd.notna(row["children"]) else None
    rate = None
    if count is not None and children:
        rate = PER_CHILDREN * count / children
    return {"rate": rate, "count": count, "children": children}
