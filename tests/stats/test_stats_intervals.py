"""Tests for helpers.stats.intervals against the PHEindicatormethods reference tables.

Row numbers are Excel rows (row 1 is the header). Reference values are stored as full
doubles, so they are checked to rtol 1e-10.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.stats import (
    byars_ci,
    byars_lower,
    byars_upper,
    dobson_dsr,
    exact_poisson_ci,
    proportion_table,
    rate_table,
    wilson_ci,
)

RTOL = 1e-10

# 2013 European Standard Population, 19 bands 0-4 ... 90+ (also the stdpop column of
# testdata_DSR_ISR.xlsx, sheet testdata_err1, rows 2-20).
ESP2013 = [
    5000,
    5500,
    5500,
    5500,
    6000,
    6000,
    6500,
    7000,
    7000,
    7000,
    7000,
    6500,
    6000,
    5500,
    5000,
    4000,
    2500,
    1500,
    1000,
]


# ---------------------------------------------------------------------------
# Wilson: literal cases
# ---------------------------------------------------------------------------

WILSON_CASES = [
    # (x, n, confidence, multiplier, lower, upper, source)
    (1, 100, 0.95, 1, 0.0017674320641406511, 0.054486196178705294, "testdata_Proportion.xlsx testdata_Prop row 2"),
    (1, 100, 0.998, 1, 0.000873065697299977, 0.1045544528370582, "testdata_Proportion.xlsx testdata_Prop row 2"),
    (65, 100, 0.95, 100, 55.25444329688797, 73.63575175690247, "testdata_Proportion.xlsx testdata_Prop row 13"),
    (9856, 12345, 0.998, 1, 0.7869924108419063, 0.8093061412589626, "testdata_Proportion.xlsx testdata_Prop row 6"),
    (
        7776456,
        7564336677,
        0.95,
        1,
        0.0010273201001641094,
        0.0010287644578977231,
        "testdata_Proportion.xlsx testdata_Prop row 7",
    ),
    (1045, 5000, 0.998, 1, 0.19179381799015244, 0.22731562902525818, "testdata_Byars_Wilson.xlsx testdata_B_W row 12"),
    (0.445, 1, 0.95, 1, 0.04381744772058822, 0.9334621276979156, "testdata_Byars_Wilson.xlsx testdata_B_W row 10"),
]


@pytest.mark.parametrize("x, n, conf, mult, lower, upper, source", WILSON_CASES)
def test_wilson_literal_cases(x, n, conf, mult, lower, upper, source):
    got_lower, got_upper = wilson_ci(x, n, conf, mult)
    assert got_lower == pytest.approx(lower, rel=RTOL), source
    assert got_upper == pytest.approx(upper, rel=RTOL), source


# ---------------------------------------------------------------------------
# Byar's and exact Poisson: literal cases
# ---------------------------------------------------------------------------

BYARS_FORMULA_CASES = [
    # (x, confidence, lower, upper, source): Byar's formula applied directly
    (65, 0.95, 50.163187710459454, 82.84913854593984, "testdata_Byars_Wilson.xlsx testdata_B_W row 2"),
    (1045, 0.95, 982.5932018073325, 1110.33121298565, "testdata_Byars_Wilson.xlsx testdata_B_W row 3"),
    (1, 0.95, 0.01307213290150435, 5.5637555824752605, "testdata_Byars_Wilson.xlsx testdata_B_W row 4"),
    (1045, 0.998, 947.9407035610374, 1148.806160988033, "testdata_Byars_Wilson.xlsx testdata_B_W row 6"),
    (10, 0.998, 2.916318374695686, 24.193724927880535, "testdata_Byars_Wilson.xlsx testdata_B_W row 7"),
]


@pytest.mark.parametrize("x, conf, lower, upper, source", BYARS_FORMULA_CASES)
def test_byars_formula_literal_cases(x, conf, lower, upper, source):
    assert byars_lower(x, conf) == pytest.approx(lower, rel=RTOL), source
    assert byars_upper(x, conf) == pytest.approx(upper, rel=RTOL), source


def test_byars_lower_negative_is_missing():
    # testdata_Byars_Wilson.xlsx testdata_B_W row 14: x = 1 at 99.8% has no lower limit
    assert math.isnan(byars_lower(1, 0.998))
    assert byars_upper(1, 0.998) == pytest.approx(9.362180217908362, rel=RTOL)


RATE_CASES = [
    # (x, n, confidence, multiplier, lower, upper, source): phe_rate switch at 10 events
    (1, 100, 0.95, 100, 0.025317807984289897, 5.571643390938898, "testdata_Rate.xlsx testdata_Rate row 2 (exact)"),
    (5, 100, 0.998, 100, 0.739371731917839, 16.454745203680105, "testdata_Rate.xlsx testdata_Rate row 3 (exact)"),
    (20, 100, 0.95, 100000, 12211.428834875936, 30889.880369197064, "testdata_Rate.xlsx testdata_Rate row 12 (Byars)"),
    (9856, 12345, 0.998, 100, 77.37590543271052, 82.3544727709543, "testdata_Rate.xlsx testdata_Rate row 6 (Byars)"),
    (250, 220, 0.998, 100000, 92710.00554438953, 137651.23772147458, "testdata_Rate.xlsx testdata_Rate row 21 (x > n)"),
    (2, 200, 0.95, 100000, 121.10463927198258, 3612.3438338619794, "testdata_Rate.xlsx testdata_Rate_g row 2 (exact)"),
]


@pytest.mark.parametrize("x, n, conf, mult, lower, upper, source", RATE_CASES)
def test_rate_literal_cases(x, n, conf, mult, lower, upper, source):
    got_lower, got_upper = byars_ci(x, n, conf, mult)
    assert got_lower == pytest.approx(lower, rel=RTOL), source
    assert got_upper == pytest.approx(upper, rel=RTOL), source


def test_exact_poisson_literal():
    # testdata_Rate.xlsx testdata_Rate row 2: 1 event per 100 -> limits per 100 equal the count limits
    lower, upper = exact_poisson_ci(1, 0.95)
    assert lower == pytest.approx(0.025317807984289897, rel=RTOL)
    assert upper == pytest.approx(5.571643390938898, rel=RTOL)
    # row 3 at 99.8%: 5 events per 100
    lower, upper = exact_poisson_ci(5, 0.998)
    assert lower == pytest.approx(0.739371731917839, rel=RTOL)
    assert upper == pytest.approx(16.454745203680105, rel=RTOL)


# ---------------------------------------------------------------------------
# Dobson DSR: literal cases
# ---------------------------------------------------------------------------

# testdata_DSR_ISR.xlsx, sheet testdata_multiarea: rows 2-20 (testdata_big) and 21-39 (testdata_small)
BIG_COUNTS = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91]
SMALL_COUNTS = [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4]
POPS = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]

DSR_CASES = [
    # (counts, confidence, multiplier, (value, lower, upper), source) - sheet testresults_DSR
    (BIG_COUNTS, 0.95, 100000, (10430.247991469423, 9717.709067985681, 11178.94091547925), "row 6"),
    (BIG_COUNTS, 0.998, 100000, (10430.247991469423, 9323.287880219903, 11620.595999522058), "row 6"),
    (SMALL_COUNTS, 0.95, 10000, (110.3212025300104, 87.7455767536709, 136.70882227251795), "row 3"),
    (SMALL_COUNTS, 0.998, 100000, (1103.212025300104, 763.6420357939879, 1530.0328948244762), "row 7"),
]


@pytest.mark.parametrize("counts, conf, mult, expected, source", DSR_CASES)
def test_dsr_literal_cases(counts, conf, mult, expected, source):
    got = dobson_dsr(counts, POPS, ESP2013, conf, mult)
    assert got == pytest.approx(expected, rel=RTOL), f"testdata_DSR_ISR.xlsx testresults_DSR {source}"


def test_dsr_1976_standard_population():
    # testdata_DSR_ISR.xlsx sheet testdata_1976 rows 2-19 (18 bands, 85+ last) and
    # testresults_DSR row 5 (95% limits per 10,000)
    counts = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82]
    pops = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123]
    esp1976 = [
        8000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        6000,
        5000,
        4000,
        3000,
        2000,
        1000,
        1000,
    ]
    got = dobson_dsr(counts, pops, esp1976, 0.95, 10000)
    assert got == pytest.approx((859.2097585022366, 799.1160931442103, 922.5253880318318), rel=RTOL)


def test_dsr_below_ten_events_is_not_published():
    # testdata_DSR_ISR.xlsx testresults_DSR row 4: testdata_tiny has 9 events -> NA
    tiny = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3]
    assert all(math.isnan(v) for v in dobson_dsr(tiny, POPS, ESP2013))


def test_dsr_missing_count_propagates():
    counts = list(BIG_COUNTS)
    counts[2] = np.nan
    assert all(math.isnan(v) for v in dobson_dsr(counts, POPS, ESP2013))


def test_dsr_invalid_inputs():
    with pytest.raises(ValueError, match="counts"):
        dobson_dsr([-1] + BIG_COUNTS[1:], POPS, ESP2013)
    with pytest.raises(ValueError, match="populations"):
        dobson_dsr(BIG_COUNTS, [0] + POPS[1:], ESP2013)
    with pytest.raises(ValueError, match="standard_populations"):
        dobson_dsr(BIG_COUNTS, POPS, [-5000] + ESP2013[1:])
    with pytest.raises(ValueError, match="age band"):
        dobson_dsr(BIG_COUNTS, POPS[:-1], ESP2013)


# ---------------------------------------------------------------------------
# Whole reference workbooks (skipped when shared/ is absent)
# ---------------------------------------------------------------------------


def test_proportion_workbook(read_sheet):
    df = read_sheet("testdata_Proportion.xlsx", "testdata_Prop")
    for row in df.itertuples():
        for conf, low_col, up_col in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
            x = np.nan if pd.isna(row.Numerator) else row.Numerator
            n = np.nan if pd.isna(row.Denominator) else row.Denominator
            lower, upper = wilson_ci(x, n, conf, row.multiplier)
            want_lower, want_upper = getattr(row, low_col), getattr(row, up_col)
            if pd.isna(want_lower):
                assert math.isnan(lower) and math.isnan(upper), row.Area
            else:
                assert lower == pytest.approx(want_lower, rel=RTOL), row.Area
                assert upper == pytest.approx(want_upper, rel=RTOL), row.Area


def test_proportion_table_matches_workbook(read_sheet):
    df = read_sheet("testdata_Proportion.xlsx", "testdata_Prop")
    percent = df[df["multiplier"] == 100]
    out = proportion_table(percent, "Numerator", "Denominator", multiplier=100)
    pairs = [
        ("value", "value"),
        ("lower_95", "lower95_0cl"),
        ("upper_95", "upper95_0cl"),
        ("lower_998", "lower99_8cl"),
        ("upper_998", "upper99_8cl"),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(out[ours], percent[theirs].astype(float), rtol=RTOL)


def test_proportion_grouped_workbook(read_sheet):
    df = read_sheet("testdata_Proportion.xlsx", "testdata_Prop_g")
    lower, upper = wilson_ci(df["Numerator"], df["Denominator"], 0.95)
    np.testing.assert_allclose(lower, df["lowercl"].astype(float), rtol=RTOL)
    np.testing.assert_allclose(upper, df["uppercl"].astype(float), rtol=RTOL)


def test_rate_workbook(read_sheet):
    df = read_sheet("testdata_Rate.xlsx", "testdata_Rate")
    for multiplier, part in df.groupby("multiplier"):
        out = rate_table(part, "Numerator", "Denominator", multiplier=multiplier)
        pairs = [
            ("value", "value"),
            ("lower_95", "lower95_0cl"),
            ("upper_95", "upper95_0cl"),
            ("lower_998", "lower99_8cl"),
            ("upper_998", "upper99_8cl"),
        ]
        for ours, theirs in pairs:
            np.testing.assert_allclose(out[ours], part[theirs].astype(float), rtol=RTOL, err_msg=ours)


def test_rate_grouped_workbook(read_sheet):
    df = read_sheet("testdata_Rate.xlsx", "testdata_Rate_g")
    lower, upper = byars_ci(df["Numerator"], df["Denominator"], 0.95, 100000)
    np.testing.assert_allclose(lower, df["lowercl"].astype(float), rtol=RTOL)
    np.testing.assert_allclose(upper, df["uppercl"].astype(float), rtol=RTOL)


def test_byars_wilson_workbook(read_sheet):
    df = read_sheet("testdata_Byars_Wilson.xlsx", "testdata_B_W").dropna(how="all")
    for row in df.itertuples():
        conf = 0.95 if row.confidence == "95%" else 0.998
        if row.method == "Byars":
            lower, upper = byars_lower(row.x, conf), byars_upper(row.x, conf)
        else:
            lower, upper = wilson_ci(row.x, row.n, conf)
        if pd.isna(row.lowercl):
            assert math.isnan(lower)
        else:
            assert lower == pytest.approx(row.lowercl, rel=RTOL)
        assert upper == pytest.approx(row.uppercl, rel=RTOL)


def test_dsr_workbook(read_sheet):
    data = read_sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea")
    results = read_sheet("testdata_DSR_ISR.xlsx", "testresults_DSR")
    results = results[results["area"].isin(data["area"].unique())]
    assert len(results) == 6
    for row in results.itertuples():
        part = data[data["area"] == row.area]
        counts = part["count"].fillna(0)  # the package treats a missing band count as 0
        # statistic reads "dsr per 10000" / "dsr per 100000", or "dsr NA ..." for testdata_tiny
        multiplier = int(row.statistic.split()[-1]) if row.statistic.startswith("dsr per") else 100000
        for conf, low_col, up_col in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
            got = dobson_dsr(counts, part["pop"], ESP2013, conf, multiplier)
            want = (row.value, getattr(row, low_col), getattr(row, up_col))
            if pd.isna(row.value):
                assert all(math.isnan(v) for v in got)
            else:
                assert got == pytest.approx(want, rel=RTOL), row.area


# ---------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------


def test_zero_numerator_and_full_numerator():
    lower, upper = wilson_ci(0, 50)
    assert lower == 0.0 and 0 < upper < 1
    lower, upper = wilson_ci(50, 50)
    assert 0 < lower < 1 and upper == pytest.approx(1.0, abs=1e-15)
    lower, upper = byars_ci(0, 1000, multiplier=1000)
    assert lower == 0.0
    # exact upper for 0 events: chi2_0.975(2) / 2 = -ln(0.025)
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)


def test_tiny_denominator():
    lower, upper = wilson_ci(1, 1)
    assert 0 < lower < upper <= 1
    lower, upper = byars_ci(3, 0.5, multiplier=1)
    assert lower < 6 < upper


def test_missing_values_propagate():
    lower, upper = wilson_ci([1, np.nan, 3], [10, 10, np.nan])
    assert not np.isnan(lower[0]) and np.isnan(lower[1:]).all() and np.isnan(upper[1:]).all()
    lower, upper = byars_ci(np.nan, 100)
    assert math.isnan(lower) and math.isnan(upper)
    lower, upper = exact_poisson_ci([np.nan, 0])
    assert math.isnan(lower[0]) and lower[1] == 0


def test_series_in_series_out():
    x = pd.Series([5, 20], index=["E06000001", "E06000002"])
    n = pd.Series([100, 200], index=x.index)
    lower, upper = wilson_ci(x, n, multiplier=100)
    assert isinstance(lower, pd.Series) and list(lower.index) == list(x.index)
    rate_lower, _ = byars_ci(x, n, multiplier=100000)
    assert isinstance(rate_lower, pd.Series)


def test_scalar_in_float_out():
    lower, upper = wilson_ci(5, 100)
    assert isinstance(lower, float) and isinstance(upper, float)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: wilson_ci(-1, 10), "numerator"),
        (lambda: wilson_ci(1, 0), "denominator"),
        (lambda: wilson_ci(11, 10), "numerator"),
        (lambda: wilson_ci(1, 10, confidence=95), "confidence"),
        (lambda: wilson_ci(1, 10, confidence=1.0), "confidence"),
        (lambda: byars_ci(-3, 100), "count"),
        (lambda: byars_ci(3, -100), "denominator"),
        (lambda: byars_ci(3, 100, confidence=0), "confidence"),
        (lambda: exact_poisson_ci(-1), "count"),
        (lambda: wilson_ci(1, 10, multiplier=-100), "multiplier"),
    ],
)
def test_invalid_inputs_name_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_tables_keep_original_columns_and_handle_missing():
    df = pd.DataFrame({"area": ["A", "B", "C"], "num": [5, np.nan, 0], "den": [100, 100, 40]})
    out = proportion_table(df, "num", "den")
    assert list(out.columns) == ["area", "num", "den", "value", "lower_95", "upper_95", "lower_998", "upper_998"]
    assert "value" not in df.columns  # a copy, not modified in place
    assert np.isnan(out.loc[1, "lower_95"]) and out.loc[2, "lower_95"] == 0
    rates = rate_table(df, "num", "den")
    assert rates.loc[0, "value"] == pytest.approx(5000)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

counts_and_sizes = st.integers(min_value=1, max_value=10**7).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=100, deadline=None)
@given(counts_and_sizes)
def test_wilson_contains_value_and_nests(pair):
    k, n = pair
    low95, up95 = wilson_ci(k, n, 0.95)
    low998, up998 = wilson_ci(k, n, 0.998)
    p = k / n
    assert low95 <= p + 1e-12 and p <= up95 + 1e-12
    assert low998 <= low95 + 1e-15 and up95 <= up998 + 1e-15


@settings(max_examples=100, deadline=None)
@given(counts_and_sizes)
def test_wilson_is_symmetric(pair):
    k, n = pair
    lower, _ = wilson_ci(k, n)
    _, upper_complement = wilson_ci(n - k, n)
    assert lower == pytest.approx(1 - upper_complement, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.floats(min_value=1, max_value=1e8))
def test_rate_interval_contains_value_and_nests(count, population):
    low95, up95 = byars_ci(count, population, 0.95, 100000)
    low998, up998 = byars_ci(count, population, 0.998, 100000)
    rate = count / population * 100000
    assert low95 <= rate * (1 + 1e-12) and rate <= up95 * (1 + 1e-12)
    assert low998 <= low95 * (1 + 1e-12) and up95 <= up998 * (1 + 1e-12)
