"""Tests for helpers.stats.compare (Fingertips benchmark comparison by interval overlap)."""

import numpy as np
import pandas as pd
import pytest

from helpers.stats import LABELS, POLARITIES, compare_with_benchmark, proportion_table, significance_labels

# intervals wholly above, overlapping, wholly below a benchmark of 50
LOWER = np.array([55.0, 45.0, 30.0])
UPPER = np.array([60.0, 52.0, 40.0])


@pytest.mark.parametrize(
    "polarity, expected",
    [
        ("higher_is_better", ["better", "similar", "worse"]),
        ("lower_is_better", ["worse", "similar", "better"]),
        ("no_judgement", ["higher", "similar", "lower"]),
    ],
)
def test_polarity_mapping(polarity, expected):
    assert list(compare_with_benchmark(LOWER, UPPER, 50, polarity)) == expected


def test_constants_describe_all_polarities():
    assert set(POLARITIES) == set(LABELS)
    for words in LABELS.values():
        assert words[1] == "similar"


def test_touching_the_benchmark_is_similar():
    assert compare_with_benchmark(50, 60, 50) == "similar"
    assert compare_with_benchmark(40, 50, 50) == "similar"


def test_missing_limits_are_not_compared():
    labels = compare_with_benchmark([np.nan, 55.0, 1.0], [60.0, np.nan, 2.0], [50, 50, np.nan])
    assert list(labels) == ["not compared"] * 3


def test_scalar_and_series_shapes():
    assert compare_with_benchmark(55, 60, 50) == "better"
    lower = pd.Series(LOWER, index=["a", "b", "c"])
    upper = pd.Series(UPPER, index=["a", "b", "c"])
    labels = compare_with_benchmark(lower, upper, 50)
    assert isinstance(labels, pd.Series) and list(labels.index) == ["a", "b", "c"]
    assert labels["c"] == "worse"


def test_benchmark_per_row():
    labels = compare_with_benchmark(LOWER, UPPER, [70, 40, 35])
    assert list(labels) == ["worse", "better", "similar"]


def test_unknown_polarity_lists_the_valid_values():
    with pytest.raises(ValueError) as excinfo:
        compare_with_benchmark(LOWER, UPPER, 50, "higher-is-better")
    message = str(excinfo.value)
    assert "polarity" in message
    for valid in POLARITIES:
        assert valid in message


def test_significance_labels_adds_both_levels():
    # 60/100 vs a benchmark of 50%: 95% interval excludes 50, 99.8% interval includes it
    df = pd.DataFrame({"area": ["A", "B", "C"], "num": [60, 50, np.nan], "den": [100, 100, 100]})
    table = proportion_table(df, "num", "den")
    out = significance_labels(table, benchmark=50.0, polarity="lower_is_better")
    assert list(out["vs_benchmark_95"]) == ["worse", "similar", "not compared"]
    assert list(out["vs_benchmark_998"]) == ["similar", "similar", "not compared"]
    assert "vs_benchmark_95" not in table.columns


def test_significance_labels_needs_limit_columns():
    with pytest.raises(ValueError, match="lower_95"):
        significance_labels(pd.DataFrame({"value": [1.0]}), 1.0, "higher_is_better")
    with pytest.raises(ValueError, match="polarity"):
        significance_labels(pd.DataFrame({"value": [1.0]}), 1.0, "up")
