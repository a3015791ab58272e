"""Chance variation in case rates (``data.uncertainty``): Garwood intervals against
published values, funnel limits and plausible ranks on a hand-made fixture, and
intervals of restricted roles computed from the counts they are shown."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from plotly.io.json import to_json_plotly

from data import ranking, uncertainty
from layouts import figures, map_panels
from layouts.formatting import rate_interval_text


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390), (100, 81.364, 121.627)],
)
def test_garwood_intervals_match_published_values(count, low, high) -> None:
    got_low, got_high = uncertainty.garwood(count)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-3)


def test_the_poisson_cdf_and_the_interval_definition() -> None:
    # the limits are where the tails are 2.5 %
    low, high = uncertainty.garwood(10)
    assert uncertainty.poisson_cdf(10, high) == pytest.approx(0.025, abs=1e-9)
    assert 1 - uncertainty.poisson_cdf(9, low) == pytest.approx(0.025, abs=1e-9)
    assert uncertainty.poisson_cdf(3, 2.0) == pytest.approx(
        sum(math.exp(-2) * 2**k / math.factorial(k) for k in range(4))
    )


def test_rate_intervals_per_100000_and_ranges_of_counts() -> None:
    low, high = uncertainty.rate_interval(10, 10, 10_000)
    assert (low, high) == pytest.approx((47.95, 183.90), abs=0.01)
    # a count shown only as 0-4: 0 to the upper limit of 4
    low, high = uncertainty.rate_interval(0, 4, 10_000)
    assert low == 0 and high == pytest.approx(100_000 * 10.242 / 10_000, abs=0.01)
    assert uncertainty.rate_interval(3, 3, 0) is None
    assert uncertainty.rate_interval(None, 3, 10) is None
    assert uncertainty.shown_range(None, True, False, 4) == (0, 4)
    assert uncertainty.shown_range(12.0, False, True, 4) == (12, 16)
    assert uncertainty.shown_range(12.0, False, False, 4) == (12, 12)


def test_funnel_limits_by_hand() -> None:
    # target 100 per 100,000, 10,000 children: expected 10 cases.  Poisson(10):
    # P(Y <= 16) = 0.97296, P(Y <= 17) = 0.98572 -> r = 17, alpha =
    # (0.98572 - 0.975) / P(Y = 17) = 0.8400 -> 16.160 cases = 161.60 per 100,000
    low, high = uncertainty.funnel_limits(100.0, 10_000, 0.95)
    assert high == pytest.approx(161.60, abs=0.01)
    # P(Y <= 3) = 0.01034, P(Y <= 4) = 0.02925 -> r = 4, alpha = 0.2248
    assert low == pytest.approx(37.75, abs=0.01)
    low998, high998 = uncertainty.funnel_limits(100.0, 10_000, 0.998)
    assert low998 < low and high998 > high
    # the funnel narrows as the children grow, around the target
    wide = uncertainty.funnel_limits(100.0, 1_000, 0.95)
    narrow = uncertainty.funnel_limits(100.0, 1_000_000, 0.95)
    assert wide[1] - wide[0] > high - low > narrow[1] - narrow[0]
    assert narrow[0] < 100.0 < narrow[1]
    curve = uncertainty.funnel_curve(100.0, 1_000, 50_000, points=10)
    assert len(curve["children"]) == 10
    assert all(
        a >= b for a, b in zip(curve["high95"], curve["high95"][1:], strict=False)
    )


def _quantile_from_zero(mean: float, p: float) -> float:
    """Spiegelhalter's interpolated quantile, summing P(Y = r) from r = 0."""
    cumulative, r = 0.0, 0
    while True:
        mass = math.exp(-mean + r * math.log(mean) - math.lgamma(r + 1))
        if cumulative + mass >= p:
            return max(r - (cumulative + mass - p) / mass, 0.0)
        cumulative += mass
        r += 1


@pytest.mark.parametrize("p", [0.001, 0.025, 0.5, 0.975, 0.999])
def test_the_quantile_walk_starts_near_the_quantile_and_finds_it(
    p, monkeypatch
) -> None:
    means = [0.01, 0.3, 1.0, 2.5, 7.0, 10.0, 33.3, 100.0, 250.0, 600.0]
    for mean in means:
        expected = _quantile_from_zero(mean, p)
        assert uncertainty.poisson_limit(mean, p) == pytest.approx(expected, rel=1e-9)
    # a start past the quantile (never chosen): walked from further down, same
    monkeypatch.setattr(uncertainty, "_walk_start", lambda mean, p: int(mean * 3 + 20))
    for mean in means:
        expected = _quantile_from_zero(mean, p)
        assert uncertainty.poisson_limit(mean, p) == pytest.approx(expected, rel=1e-9)


def test_the_funnel_curve_is_kept_and_cannot_be_changed_by_a_caller() -> None:
    curve = uncertainty.funnel_curve(100.0, 1_000, 50_000, points=10)
    curve["high95"] = ()
    again = uncertainty.funnel_curve(100.0, 1_000, 50_000, points=10)
    assert len(again["high95"]) == 10 and isinstance(again["children"], tuple)


def test_compare_against_the_funnel() -> None:
    # 10,000 children around 100 per 100,000: 95 % limits 3.8-16.2 cases,
    # 99.8 % limits about 2.0-20.7
    assert uncertainty.compare(10, 10, 10_000, 100.0) == "within"
    assert uncertainty.compare(17, 17, 10_000, 100.0) == "high"
    assert uncertainty.compare(30, 30, 10_000, 100.0) == "very_high"
    assert uncertainty.compare(3, 3, 10_000, 100.0) == "low"
    assert uncertainty.compare(0, 0, 10_000, 100.0) == "very_low"
    # a range is beyond a limit only when all of it is
    assert uncertainty.compare(15, 19, 10_000, 100.0) == "within"
    assert uncertainty.compare(0, 4, 10_000, 100.0) == "within"
    # small units: the same rate is not unusual
    assert uncertainty.compare(1, 1, 500, 100.0) == "within"
    assert uncertainty.compare(None, 1, 500, 100.0) is None


def _fixture() -> pd.DataFrame:
    """Four districts with only the burden weighted: A and B large and far
    apart, C and D small and close together."""
    return pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "name": ["A", "B", "C", "D"],
            "children": [100_000, 100_000, 2_000, 2_000],
            "child_friendly": [50.0] * 4,
            "fund": [50.0] * 4,
            "burden": [50.0, 400.0, 200.0, 300.0],
            "timeliness": [50.0] * 4,
            "burden_low": [50.0, 400.0, 4.0, 6.0],
            "burden_high": [50.0, 400.0, 4.0, 6.0],
            "burden_partial": [False] * 4,
        }
    )


def test_rank_ranges_on_a_hand_made_fixture() -> None:
    weights = {"burden": 1.0}
    ranked = ranking.rank(_fixture(), weights).assign(change=pd.NA)
    out = ranking.with_uncertainty(ranked, {"rate": 227.2}, weights).set_index("code")
    assert list(out["rank"].loc[["A", "C", "D", "B"]]) == [1, 2, 3, 4]
    # A (50 cases of 100,000 children) is surely the lowest burden; C and D (4
    # and 6 cases of 2,000) could be second to fourth, and B (400 of 100,000)
    # could be overtaken by D
    ranges = {c: (out.at[c, "rank_low"], out.at[c, "rank_high"]) for c in "ABCD"}
    assert ranges == {"A": (1, 1), "B": (3, 4), "C": (2, 4), "D": (2, 4)}
    # the same figures always give the same ranges (fixed seed)
    again = ranking.with_uncertainty(ranked, {"rate": 227.2}, weights)
    assert again["rank_low"].tolist() == out.reset_index()["rank_low"].tolist()
    # against the overall rate: A far below, B far above, C and D not distinct
    assert out.at["A", "versus"] == "very_low" and out.at["B", "versus"] == "very_high"
    assert out.at["C", "versus"] == "within" == out.at["D", "versus"]
    assert out.at["A", "burden_ci_low"] == pytest.approx(37.11, abs=0.01)


def test_simulated_ranks_follow_the_draws() -> None:
    ranks = uncertainty.ranks_of(np.array([[3.0, 2.0, 2.0, np.nan]]))
    assert ranks[0, :3].tolist() == [1.0, 2.0, 2.0] and np.isnan(ranks[0, 3])
    draws = uncertainty.count_draws([0.0, 5.0], [4.0, 5.0], draws=2_000)
    assert draws.shape == (2_000, 2) and (draws >= 0).all()
    assert draws[:, 1].mean() == pytest.approx(5.5, abs=0.2)  # Gamma(5.5, 1)


def test_restricted_intervals_come_from_the_counts_shown() -> None:
    # a restricted row: the abuse part shows "<5", the count shown is the 12
    # injuries; its interval is that of 12-16 cases, never the exact count's
    row = {
        "count": 12.0,
        "abuse": None,
        "injury": 12,
        "children": 10_000,
        "rate": 120.0,
        "rounded": True,
        "partial": True,
        "suppressed": False,
    }
    _head, lines = map_panels.incident_lines(row, "vi")
    low, high = uncertainty.rate_interval(12, 16, 10_000)
    expected = rate_interval_text(12, 10_000, "vi", partial=True)
    assert expected is not None and expected in " ".join(lines).lower()
    assert f"{high:.1f}".replace(".", ",") in expected
    assert f"{low:.1f}".replace(".", ",") in expected
    assert "tính cho 0–4" in expected
    # abuse alone shown "<5": 0 to the upper limit of 4
    hidden = rate_interval_text(None, 10_000, "vi", suppressed=True)
    assert hidden is not None and hidden.startswith("khoảng tin cậy 95%: 0,0–102,4")
    # an exact role's interval is of the exact count, in Vietnamese numbers
    assert rate_interval_text(10, 10_000, "vi") == "khoảng tin cậy 95%: 48,0–183,9"
    assert rate_interval_text(10, 10_000, "en") == "95% CI: 48.0–183.9"


def test_the_funnel_of_a_restricted_role_plots_the_counts_shown() -> None:
    units = [
        {"name": "A", "children": 10_000, "low": 12, "high": 16, "versus": "within"},
        {"name": "B", "children": 20_000, "low": 40, "high": 40, "versus": "high"},
    ]
    fig = figures.funnel_figure(units, {"rate": 100.0}, "Tỉnh X", "vi")
    assert fig is not None
    points = fig.data[-1]
    assert list(points.y) == pytest.approx([120.0, 200.0])  # shown counts only
    assert list(points.text) == ["", "B"]  # units beyond the limits are named
    ranges = [d for d in fig.data if d.name == "Khoảng do số xâm hại <5"]
    assert ranges and list(ranges[0].y) == pytest.approx([120.0, 160.0, None])
    assert figures.funnel_figure(units, {"rate": None}, "X", "vi") is None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_funnel_as_data_is_what_plotly_makes_of_it(lang) -> None:
    """The ranking page sends ``funnel_spec`` as it is: plotly's own figure of
    it (validated, its template resolved) has the same JSON."""
    units = [
        {"name": "A", "children": 10_000, "low": 12, "high": 16, "versus": "within"},
        {"name": "B", "children": 20_000, "low": 40, "high": 40, "versus": "high"},
        {"name": "C", "children": 3_500, "low": 0, "high": 4, "ci": "KTC 95%: 0–105"},
    ]
    spec = figures.funnel_spec(units, {"rate": 100.0}, "Tỉnh X", lang)
    assert spec is not None
    drawn = figures.funnel_figure(units, {"rate": 100.0}, "Tỉnh X", lang)
    assert json.loads(to_json_plotly(spec)) == json.loads(pio.to_json(drawn))
    assert spec["layout"]["template"]["layout"]  # the template carried whole
