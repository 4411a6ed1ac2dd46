"""Tests for helpers.stats.funnel against the PHEindicatormethods funnel test tables.

Proportion limits are published to 6 decimal places (checked to 1e-6 absolute). Rate
limits: the package finds Poisson quantiles by bisection to about 1e-7 on a transformed
scale, while we use exact chi-square quantiles, so they agree to about 1e-6 relative from
3 events up and to 1e-4 at 1-2 events, where the package's bisection is coarsest.
"""

import math

import numpy as np
import pandas as pd
import pytest

from helpers.stats import (
    denominator_from_rate,
    funnel_denominators,
    funnel_events,
    funnel_limits_proportion,
    funnel_limits_rate,
    funnel_significance,
)

PUBLISHED_6DP = 1.5e-6  # the csv rounding (5e-7) plus the rounding of the baseline itself

# ---------------------------------------------------------------------------
# Literal cases
# ---------------------------------------------------------------------------

# testdata_funnel_prop_outputs.csv rows 1, 3, 94 and 100 (data rows; baseline 80.642448)
PROPORTION_ROWS = [
    # denominator, lower 2s, upper 2s, lower 3s, upper 3s
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (58842, 80.323212, 80.961684, 80.139116, 81.14578),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize("n, low95, up95, low998, up998", PROPORTION_ROWS)
def test_proportion_limits_literal(n, low95, up95, low998, up998):
    out = funnel_limits_proportion(80.642448, [n]).iloc[0]
    assert out["lower_95"] == pytest.approx(low95, abs=PUBLISHED_6DP)
    assert out["upper_95"] == pytest.approx(up95, abs=PUBLISHED_6DP)
    assert out["lower_998"] == pytest.approx(low998, abs=PUBLISHED_6DP)
    assert out["upper_998"] == pytest.approx(up998, abs=PUBLISHED_6DP)
    assert out["baseline"] == pytest.approx(80.642448)


# testdata_funnel_rate_outputs.csv rows 1, 3 and 100: dsr per 100,000, 3 years of data,
# baseline 116.1720835
RATE_ROWS = [
    # events, lower_2s pop/yr, lower_2s, upper_2s pop/yr, upper_2s, lower_3s pop/yr, lower_3s, upper_3s pop/yr, upper_3s
    (1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943, 0.287087625, 116108.569),
    (3, 2515.599722, 39.75195225, 177.5159418, 563.3296872, 3747.958682, 26.68119061, 54.66984838, 1829.161832),
    (1360, 411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424, 106.9073359, 358342.3275, 126.5084525),
]


@pytest.mark.parametrize("row", RATE_ROWS)
def test_rate_limits_literal(row):
    events, *expected = row
    out = funnel_limits_rate(116.1720835, [events], multiplier=100000, years_of_data=3).iloc[0]
    columns = [
        "lower_95_population",
        "lower_95",
        "upper_95_population",
        "upper_95",
        "lower_998_population",
        "lower_998",
        "upper_998_population",
        "upper_998",
    ]
    tolerance = 1e-4 if events < 3 else 1e-6
    for column, value in zip(columns, expected, strict=True):
        assert out[column] == pytest.approx(value, rel=tolerance), column


def test_proportion_significance_literal():
    # testdata_funnel_prop_inputs.csv data rows 1-3 (benchmark 80.642448% from the whole file)
    numerators = [35078.4880000, 24803.6256000, 50050.7443000]
    denominators = [41980, 31824, 61921]
    labels = funnel_significance(numerators, denominators, benchmark=80.642448, multiplier=100)
    assert list(labels) == ["High (0.001)", "Low (0.001)", "Not significant"]


def test_ratio_significance_literal():
    # testdata_funnel_ratio_inputs.csv data rows 1-4 (observed, expected): benchmark ratio 1
    observed = [8, 151, 159, 191]
    expected = [6.239860227, 106.4429719, 232.9329036, 184.0963855]
    labels = funnel_significance(observed, expected, statistic="ratio")
    assert list(labels) == ["Not significant", "High (0.001)", "Low (0.001)", "Not significant"]


def test_dsr_significance_literal():
    # testdata_funnel_rate_dsr_inputs.csv: a 0-event row is "Not applicable" for DSRs, and
    # for crude rates with the population supplied it is "Low (0.001)" (last data row).
    counts = np.array([2419, 0])
    denominators = denominator_from_rate(counts, np.array([907.6174266, np.nan]), 100000)
    assert math.isnan(denominators[1])
    labels = funnel_significance(
        counts, denominators, statistic="rate", rate_type="dsr", benchmark=700.0, multiplier=100000
    )
    assert labels[1] == "Not applicable for events less than 10 for dsrs"
    crude = funnel_significance([0], [297820], statistic="rate", benchmark=700.0, multiplier=100000)
    assert list(crude) == ["Low (0.001)"]


# ---------------------------------------------------------------------------
# Whole reference tables (skipped when shared/ is absent)
# ---------------------------------------------------------------------------


def test_proportion_tables(reference_dir):
    inputs = pd.read_csv(reference_dir / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    outputs = pd.read_csv(reference_dir / "testdata_funnel_prop_outputs.csv", encoding="utf-8-sig")
    axis = funnel_denominators(inputs["denominator"])
    np.testing.assert_array_equal(axis, outputs["Population"])
    benchmark = inputs["numerator"].sum() / inputs["denominator"].sum() * 100
    limits = funnel_limits_proportion(benchmark, axis)
    for ours, theirs in [
        ("lower_95", "Lower2s0025limit"),
        ("upper_95", "Upper2s0025limit"),
        ("lower_998", "Lower3s0001limit"),
        ("upper_998", "Upper3s0001limit"),
        ("baseline", "Baseline"),
    ]:
        np.testing.assert_allclose(limits[ours], outputs[theirs], atol=5e-7 + 1e-12, rtol=0, err_msg=ours)
    labels = funnel_significance(inputs["numerator"], inputs["denominator"])
    assert (labels == inputs["significance"]).all()


def test_rate_tables(reference_dir):
    inputs = pd.read_csv(reference_dir / "testdata_funnel_rate_input_funnels.csv")
    outputs = pd.read_csv(reference_dir / "testdata_funnel_rate_outputs.csv")
    # the package's test: calculate_funnel_limits(ev, rate, multiplier = 1e5, rate_type = "dsr", years_of_data = 3)
    denominators = denominator_from_rate(inputs["ev"], inputs["rate"], 100000)
    published = inputs["denominator_derived"].notna()  # calculate_funnel_points leaves < 10 events blank
    np.testing.assert_allclose(denominators[published], inputs["denominator_derived"][published] * 3, rtol=1e-8)
    events = funnel_events(inputs["ev"], denominators, years_of_data=3)
    np.testing.assert_array_equal(events, outputs["Events"])
    benchmark = inputs["ev"].sum() / denominators.sum() * 100000
    limits = funnel_limits_rate(benchmark, events, multiplier=100000, years_of_data=3)
    np.testing.assert_allclose(limits["baseline"], outputs["baseline"], rtol=1e-9)
    few = outputs["Events"] < 3
    for stat, label in [("95", "2s"), ("998", "3s")]:
        for side in ("lower", "upper"):
            for ours, theirs in [
                (f"{side}_{stat}", f"{side}_{label}_limit"),
                (f"{side}_{stat}_population", f"{side}_{label}_population_1_year"),
            ]:
                np.testing.assert_allclose(limits[ours][~few], outputs[theirs][~few], rtol=1e-6, err_msg=ours)
                np.testing.assert_allclose(limits[ours][few], outputs[theirs][few], rtol=1e-4, err_msg=ours)


def test_ratio_significance_table(reference_dir):
    data = pd.read_csv(reference_dir / "testdata_funnel_ratio_inputs.csv", encoding="utf-8-sig")
    labels = funnel_significance(data["obs"], data["expected"], statistic="ratio")
    assert (labels == data["significance"]).all()


@pytest.mark.parametrize("with_zero", [True, False])
@pytest.mark.parametrize("per", [100000, 100])
def test_rate_significance_table(reference_dir, with_zero, per):
    data = pd.read_csv(reference_dir / "testdata_funnel_rate_dsr_inputs.csv")
    if not with_zero:
        data = data[data["count"] != 0]
    suffix = f"per_{per}_{'with' if with_zero else 'without'}_0"
    # DSRs: the denominator is implied by count / dsr (as the package's rate_type = "dsr")
    dsr_denominators = denominator_from_rate(data["count"], data["rate_dsr"], per)
    dsr = funnel_significance(data["count"], dsr_denominators, statistic="rate", rate_type="dsr")
    assert (dsr == data[f"dsr_{suffix}"]).all()
    # crude rates: implied by count / rate, or the population itself for 0 events
    crude_rate = data[f"rate_crude_per_{per}"]
    crude_denominators = denominator_from_rate(data["count"], crude_rate, per).fillna(data["pop"])
    crude = funnel_significance(data["count"], crude_denominators, statistic="rate")
    assert (crude == data[f"crude_{suffix}"]).all()


# ---------------------------------------------------------------------------
# Edge cases and validation
# ---------------------------------------------------------------------------


def test_limits_are_clipped_and_ordered():
    out = funnel_limits_proportion(2.0, [1, 10, 100, 10000])
    assert (out["lower_998"] >= 0).all() and (out["upper_998"] <= 100).all()
    assert (out["lower_998"] <= out["lower_95"]).all() and (out["upper_95"] <= out["upper_998"]).all()
    assert out["upper_95"].is_monotonic_decreasing


def test_missing_values_give_missing_labels():
    labels = funnel_significance(
        pd.Series([50, np.nan, 60]), pd.Series([100, 100, np.nan]), benchmark=50, multiplier=100
    )
    assert labels.iloc[0] == "Not significant"
    assert pd.isna(labels.iloc[1]) and pd.isna(labels.iloc[2])


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: funnel_limits_proportion(80.6, [100], multiplier=1), "benchmark"),
        (lambda: funnel_limits_proportion(0.5, [0, 100], multiplier=1), "denominators"),
        (lambda: funnel_limits_rate(-1, [10]), "benchmark"),
        (lambda: funnel_limits_rate(100, [10], years_of_data=0), "years_of_data"),
        (lambda: funnel_significance([65, 80, 30], [100, 100, 0]), "denominator"),
        (lambda: funnel_significance([65, -80, 30], [100, 100, 200]), "numerator"),
        (lambda: funnel_significance([65, 80, 30], [100, 100, 20]), "numerator"),
        (lambda: funnel_significance([1], [2], statistic="mean"), "statistic"),
        (lambda: funnel_significance([1], [2], statistic="rate", rate_type="isr"), "rate_type"),
    ],
)
def test_invalid_inputs(call, argument):
    # the three funnel_significance error cases mirror PHEindicatormethods testFunnels.R
    with pytest.raises(ValueError, match=argument):
        call()
