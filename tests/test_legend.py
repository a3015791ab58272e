"""Legend classes: equal intervals, quantiles, discrete statuses, no data."""

from __future__ import annotations

import pytest

from layouts import legend


def test_equal_intervals_split_the_range_evenly() -> None:
    edges = legend.class_edges([0, 10, 20, 30, 40, 50], "equal", k=5)
    assert edges == pytest.approx([0, 10, 20, 30, 40, 50])


def test_quantiles_put_as_many_units_in_each_class() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]
    edges = legend.class_edges(values, "quantile", k=5)
    classes = legend.classify(values, edges)
    assert [classes.count(c) for c in range(5)] == [2, 2, 2, 2, 2]


def test_no_data_stays_unclassified_and_repeats_collapse() -> None:
    values = [None, float("nan"), 3.0, 3.0]
    edges = legend.class_edges(values, "quantile")
    assert edges == [3.0, 4.0]
    assert legend.classify(values, edges) == [None, None, 0, 0]
    assert legend.class_edges([None], "equal") == [0.0, 1.0]


def test_highest_value_falls_in_the_last_class() -> None:
    edges = legend.class_edges([0.0, 50.0, 100.0], "equal", k=4)
    assert legend.classify([100.0, 0.0], edges) == [3, 0]


def test_continuous_legend_labels_ranges_the_vietnamese_way() -> None:
    classes, leg = legend.continuous(
        [0.5, 1.5, 2.5], method="equal", palette=legend.GOOD_HIGH, title="T", lang="vi"
    )
    assert leg.ticktext[0] == "0,5–0,9"
    assert leg.tickvals == list(range(len(leg.ticktext)))
    assert len(leg.colorscale) == 2 * len(leg.ticktext)  # one flat block per class


def test_discrete_legend_has_one_block_per_status() -> None:
    leg = legend.discrete(["a", "b", "c"], legend.STATUS_COLOURS[:3], "S")
    assert leg.zmax == 2.5 and leg.ticktext == ["a", "b", "c"]


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="class method"):
        legend.class_edges([1, 2], "jenks")
