"""Tests for helpers.stats.inequality: deprivation spread, SII/RII, ranking.

SII reference values come from testdata_SII.xlsx (sheet testdata_SII; Excel row
numbers, header in row 1). The SII, RII and intercept are exact regression results and
are checked to rtol 1e-9 (the literal inputs below carry the workbook's full digits).
Their confidence limits come from a Monte Carlo simulation in R, which numpy cannot
replay draw-for-draw; they are checked to the package's own test tolerance (relative
0.05, PHEindicatormethods tests/testthat/testSII.R). In practice they agree to about 2%.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.stats import (
    deprivation_spread,
    rank_by_inequality,
    relative_index_of_inequality,
    slope_index_of_inequality,
)

EXACT = 1e-9
SIMULATED = 0.05  # PHEindicatormethods testSII.R: tol <- 0.05

# ---------------------------------------------------------------------------
# Deprivation spread: a constructed example with known answers
# ---------------------------------------------------------------------------


def small_areas():
    return pd.DataFrame(
        {
            "area_code": ["A"] * 4 + ["B"] * 4 + ["C"] * 2,
            "imd_decile": [1, 1, 2, 3, 5, 6, 7, 8, 1, 1],
            "imd_rank": [10, 50, 150, 250, 100, 200, 300, 400, 20, 40],
            "population": [100, 100, 200, 600, 1500, 1500, 1500, 1500, 700, 900],
        }
    )


def test_shares_unweighted():
    out = deprivation_spread(small_areas(), n_england=1000).set_index("area_code")
    assert out.loc["A", "share_most_deprived_10"] == 50.0
    assert out.loc["B", "share_most_deprived_10"] == 0.0
    assert out.loc["C", "share_most_deprived_10"] == 100.0
    assert out.loc["A", "share_most_deprived_20"] == 75.0
    assert list(out["n_small_areas"]) == [4, 4, 2]
    assert set(out["weighting"]) == {"small areas"}


def test_rank_iqr_is_percent_of_england():
    out = deprivation_spread(small_areas(), n_england=1000).set_index("area_code")
    # B's ranks 100, 200, 300, 400: mid-point quartiles 150 and 350 -> IQR 200 of 1000 LSOAs
    assert out.loc["B", "rank_iqr_pct"] == pytest.approx(20.0)
    expected = np.subtract(*np.percentile([10, 50, 150, 250], [75, 25], method="hazen")) / 1000 * 100
    assert out.loc["A", "rank_iqr_pct"] == pytest.approx(expected)


def test_shares_population_weighted():
    out = deprivation_spread(small_areas(), population="population", n_england=1000).set_index("area_code")
    # A: 200 of 1000 residents in decile 1, 400 in deciles 1-2
    assert out.loc["A", "share_most_deprived_10"] == pytest.approx(20.0)
    assert out.loc["A", "share_most_deprived_20"] == pytest.approx(40.0)
    # equal populations reproduce the unweighted IQR
    assert out.loc["B", "rank_iqr_pct"] == pytest.approx(20.0)
    assert out.loc["A", "weighting"] == "population"


def test_default_n_england_is_largest_rank():
    out = deprivation_spread(small_areas()).set_index("area_code")
    assert out.loc["B", "rank_iqr_pct"] == pytest.approx(200 / 400 * 100)


def test_missing_decile_gives_missing_share():
    lsoa = small_areas()
    lsoa.loc[0, "imd_decile"] = np.nan
    out = deprivation_spread(lsoa, n_england=1000).set_index("area_code")
    assert math.isnan(out.loc["A", "share_most_deprived_10"])
    assert out.loc["B", "share_most_deprived_10"] == 0.0


@pytest.mark.parametrize(
    "change, kwargs, argument",
    [
        (("imd_decile", 11), {}, "imd_decile"),
        (("imd_rank", 5000), {"n_england": 1000}, "imd_rank"),
        (("population", -1), {"population": "population"}, "population"),
    ],
)
def test_deprivation_spread_invalid(change, kwargs, argument):
    lsoa = small_areas()
    lsoa.loc[0, change[0]] = change[1]
    with pytest.raises(ValueError, match=argument):
        deprivation_spread(lsoa, **kwargs)
    with pytest.raises(ValueError, match="missing columns"):
        deprivation_spread(small_areas(), rank="rank")


# ---------------------------------------------------------------------------
# SII: literal cases from testdata_SII.xlsx
# ---------------------------------------------------------------------------

DECILES = np.arange(1, 11)

# Rows 2-11 (RecordNo 1-10): "default (e.g. life expectancy)", area1
LE_POPULATION = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
LE_VALUE = [
    75.9334590103081,
    78.3442382727843,
    83.8360631041654,
    83.6375399664931,
    80.4655031529559,
    81.1156759857022,
    81.6930835718562,
    84.1900062060987,
    80.5955641081472,
    86.2894349578624,
]
LE_SE = [
    1.638472426358545,
    1.578192884542907,
    1.5134355059640296,
    1.7754906175801293,
    1.7013390591981388,
    1.56412107376755,
    1.3681148366878566,
    1.4001418005940802,
    2.4328463975781616,
    1.5665181695934678,
]

# Rows 72-81 (RecordNo 71-80): "rate (e.g. infant mortality)", area1; the same inputs
# recur in rows 307-316 for the log-transform cases.
RATE_POPULATION = [279012, 255993, 236961, 214315, 192812, 183546, 168593, 164822, 154836, 138165]
RATE_VALUE = [
    5.892219689475721,
    4.7345044591063035,
    3.827634083245766,
    3.8681380211371112,
    3.6771570234217785,
    3.1436261209723995,
    3.1258711808912585,
    2.942568346458604,
    2.82879950399132,
    2.7648101907140012,
]
RATE_LOWER = [
    5.614959662410748,
    4.475920770781004,
    3.586926055445024,
    3.6140791140579505,
    3.4166969870147965,
    2.8977176350029272,
    2.870493809285979,
    2.6924041297904315,
    2.57630573787527,
    2.501420619088458,
]
RATE_UPPER = [
    6.183085357576154,
    5.0079519402470885,
    4.0844291026854505,
    4.1399822998098585,
    3.9573934822289045,
    3.4103317188858107,
    3.4038909874130083,
    3.2159015715579464,
    3.1059621495836955,
    3.05584866618335,
]

# Rows 92-101 (RecordNo 91-100): "proportion (e.g. child obesity)", area1 (value = count / population)
PROP_POPULATION = [34353, 32112, 27715, 25372, 23889, 23260, 23180, 24193, 23609, 24488]
PROP_COUNT = [7287, 6881, 5656, 4868, 4176, 3876, 3617, 3546, 3314, 2960]
PROP_SE = [
    0.013197018471840493,
    0.013599402535469379,
    0.014903436058054755,
    0.015942525582502205,
    0.01703390526979317,
    0.017593885815626962,
    0.018098141690297317,
    0.018176743057472546,
    0.01873422095544007,
    0.019601724030759937,
]


def assert_sii(result, sii, rii, sii_ci, rii_ci, intercept=None):
    assert result.sii == pytest.approx(sii, rel=EXACT)
    assert result.rii == pytest.approx(rii, rel=EXACT)
    if intercept is not None:
        assert result.intercept == pytest.approx(intercept, rel=EXACT)
    assert (result.sii_lower, result.sii_upper) == pytest.approx(sii_ci, rel=SIMULATED)
    assert (result.rii_lower, result.rii_upper) == pytest.approx(rii_ci, rel=SIMULATED)


def test_sii_life_expectancy_literal():
    # row 2: sii, rii, 95% limits
    result = slope_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE)
    assert_sii(
        result,
        6.934616473668819,
        1.0888180804446217,
        (3.127594617650817, 10.7586873680794),
        (1.0383690591642838, 1.1412993360251238),
    )


def test_sii_rate_literal_from_confidence_limits():
    # row 72: rate, standard errors derived from the 95% limits on the log scale
    result = slope_index_of_inequality(
        RATE_VALUE, RATE_POPULATION, DECILES, lower_cl=RATE_LOWER, upper_cl=RATE_UPPER, value_type="rate"
    )
    assert_sii(
        result,
        -3.2752012326471758,
        0.40600068953980034,
        (-3.5868233016744155, -2.9653170017272723),
        (0.36888170199068804, 0.44624776652446996),
    )


def test_sii_rate_log_transform_literal():
    # row 307: "rate - log transform with intercept", area1
    result = slope_index_of_inequality(
        RATE_VALUE,
        RATE_POPULATION,
        DECILES,
        lower_cl=RATE_LOWER,
        upper_cl=RATE_UPPER,
        value_type="rate",
        transform=True,
    )
    assert_sii(
        result,
        -3.15590713895456,
        0.4418848436076823,
        (-3.4809615490242884, -2.833237344763632),
        (0.4082744080360723, 0.4785663265006931),
        intercept=5.65458060546947,
    )


def test_sii_proportion_multiplier_literal():
    values = np.divide(PROP_COUNT, PROP_POPULATION)
    # row 92: default proportion
    result = slope_index_of_inequality(values, PROP_POPULATION, DECILES, se=PROP_SE, value_type="proportion")
    assert_sii(
        result,
        -0.10720032333730493,
        0.5334015306465507,
        (-0.11220857220984691, -0.1021798062145461),
        (0.5171273196358018, 0.5501538412913004),
    )
    # row 132 ("multiplier x -100"): sign flips, limits swap, RII inverts
    flipped = slope_index_of_inequality(
        values, PROP_POPULATION, DECILES, se=PROP_SE, value_type="proportion", multiplier=-100
    )
    assert flipped.sii == pytest.approx(10.720032333730493, rel=EXACT)
    assert flipped.rii == pytest.approx(1 / 0.5334015306465507, rel=EXACT)
    assert flipped.sii_lower == pytest.approx(-100 * result.sii_upper)
    assert flipped.rii_upper == pytest.approx(1 / result.rii_lower)


def test_sii_quantile_order_not_row_order():
    shuffled = np.array([3, 0, 9, 5, 1, 8, 2, 7, 4, 6])
    result = slope_index_of_inequality(
        np.take(LE_VALUE, shuffled), np.take(LE_POPULATION, shuffled), DECILES[shuffled], se=np.take(LE_SE, shuffled)
    )
    assert result.sii == pytest.approx(6.934616473668819, rel=EXACT)


def test_sii_simulation_matches_normal_theory():
    # For untransformed values the SII is linear in the quantile values, so its sampling
    # distribution is exactly normal: the simulated limits must match sii +/- z * sd.
    result = slope_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE, confidence=0.95)
    pops = np.asarray(LE_POPULATION, float)
    shares = pops / pops.sum()
    ranks = np.cumsum(shares) - shares / 2
    design = np.column_stack([np.ones(10), ranks])
    weights = np.linalg.solve(design.T @ (design * shares[:, None]), design.T * shares)[1]
    sd = math.sqrt(np.sum(weights**2 * np.square(LE_SE)))
    z = stats.norm.ppf(0.975)
    width = 2 * z * sd
    assert result.sii_lower == pytest.approx(result.sii - z * sd, abs=0.01 * width)
    assert result.sii_upper == pytest.approx(result.sii + z * sd, abs=0.01 * width)


def test_sii_is_reproducible_and_seeded():
    first = slope_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE, repetitions=2000)
    again = slope_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE, repetitions=2000)
    other = slope_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE, repetitions=2000, seed=99)
    assert first == again
    assert first.sii == other.sii and first.sii_lower != other.sii_lower


def test_relative_index_of_inequality():
    rii, lower, upper = relative_index_of_inequality(LE_VALUE, LE_POPULATION, DECILES, se=LE_SE)
    assert rii == pytest.approx(1.0888180804446217, rel=EXACT)
    assert lower < rii < upper


def test_sii_missing_value_gives_nan():
    values = list(LE_VALUE)
    values[4] = np.nan
    result = slope_index_of_inequality(values, LE_POPULATION, DECILES, se=LE_SE)
    assert math.isnan(result.sii) and math.isnan(result.sii_lower) and math.isnan(result.rii)


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        # testdata_SII.xlsx "error handling - negative populations" (rows 152-161): one population of -200
        (dict(populations=[7291, -200, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]), "populations"),
        # "error handling - negative counts/standard error" (rows 162-171): a standard error of -5
        (dict(se=LE_SE[:2] + [-5] + LE_SE[3:]), "se"),
        # "error handling - missing confidence limits and se" (rows 192-201)
        (dict(se=None), "se"),
        # "error handling - invalid proportion in CLs" (rows 172-181): proportions must be in (0, 1)
        (dict(value_type="proportion"), "proportions"),
        (dict(quantile_order=[1, 1, 2, 3, 4, 5, 6, 7, 8, 9]), "quantile_order"),
        (
            dict(values=LE_VALUE[:4], populations=LE_POPULATION[:4], quantile_order=[1, 2, 3, 4], se=LE_SE[:4]),
            "quantiles",
        ),
        (dict(value_type="normal", transform=True), "transform"),
        (dict(repetitions=100), "repetitions"),
        (dict(confidence=95), "confidence"),
    ],
)
def test_sii_invalid_inputs(kwargs, argument):
    arguments = dict(values=LE_VALUE, populations=LE_POPULATION, quantile_order=DECILES, se=LE_SE)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=argument):
        slope_index_of_inequality(**arguments)


# ---------------------------------------------------------------------------
# SII: the whole workbook (skipped when shared/ is absent)
# ---------------------------------------------------------------------------

VALUE_TYPES = {0: "normal", 1: "rate", 2: "proportion"}


def _levels(description, confidence):
    """Confidence levels behind the workbook's *_1 and *_2 limit columns."""
    if "95 and 98" in description or "95% and 98%" in description:
        return [0.95, 0.98]
    if "98" in description:
        return [0.98]
    if str(confidence) == "c(95, 99)":
        return [0.95, 0.99]
    return [int(confidence) / 100]


def _multiplier(description):
    if "x -100" in description:
        return -100
    if "x 100" in description:
        return 100
    return -1 if "negative multiplier" in description else 1


def test_sii_workbook(read_sheet):
    data = read_sheet("testdata_SII.xlsx", "testdata_SII")
    cache = {}  # many test descriptions repeat the same inputs and settings

    def run(rows, **settings):
        errors = ["StandardError"] if "se" in settings else ["LowerCL", "UpperCL"]
        inputs = ["Value", "Population", "Quantile"] + errors
        key = (
            tuple(rows[inputs].to_numpy().ravel()),
            tuple(sorted((k, v) for k, v in settings.items() if k not in ("se", "lower_cl", "upper_cl"))),
        )
        if key not in cache:
            cache[key] = slope_index_of_inequality(rows["Value"], rows["Population"], rows["Quantile"], **settings)
        return cache[key]

    checked = 0
    for description, case in data.groupby("TestDescription", sort=False):
        if description.startswith(("error", "warning")):
            continue
        for area, rows in case.groupby("Area"):
            expected = rows.iloc[0]
            settings = dict(
                value_type=VALUE_TYPES[int(expected["ValueType"])],
                transform="transform" in description,
                multiplier=_multiplier(description),
            )
            for column, level in enumerate(_levels(description, expected["Confidence"]), start=1):
                label = f"{description} / {area} / {level}"
                result = run(
                    rows,
                    se=rows["StandardError"],
                    confidence=level,
                    repetitions=int(expected["Repetitions"]),
                    **settings,
                )
                # the same fit with standard errors derived from the 95% limits (point estimates only)
                from_limits = run(
                    rows,
                    lower_cl=rows["LowerCL"],
                    upper_cl=rows["UpperCL"],
                    confidence=level,
                    repetitions=1000,
                    **settings,
                )
                for fit in (result, from_limits):
                    assert fit.sii == pytest.approx(expected["sii"], rel=EXACT), label
                    if not pd.isna(expected["rii"]):
                        assert fit.rii == pytest.approx(expected["rii"], rel=EXACT), label
                    if not pd.isna(expected["Intercept"]):
                        assert fit.intercept == pytest.approx(expected["Intercept"], rel=EXACT), label
                limits = {
                    f"sii_lowercl_{column}": result.sii_lower,
                    f"sii_uppercl_{column}": result.sii_upper,
                    f"rii_lowercl_{column}": result.rii_lower,
                    f"rii_uppercl_{column}": result.rii_upper,
                }
                for name, ours in limits.items():
                    if not pd.isna(expected[name]):
                        assert ours == pytest.approx(expected[name], rel=SIMULATED), f"{label} {name}"
                checked += 1
    assert checked >= 50


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------


def test_rank_by_inequality_ties_and_missing():
    summary = pd.DataFrame({"area": list("ABCDE"), "gap": [5.0, 3.0, 5.0, 1.0, np.nan]})
    out = rank_by_inequality(summary, "gap")
    assert list(out["area"]) == ["A", "C", "B", "D", "E"]
    assert out["rank"].tolist()[:4] == [1, 1, 3, 4]
    assert pd.isna(out["rank"].iloc[-1])
    assert "rank" not in summary.columns


def test_rank_by_inequality_absolute():
    summary = pd.DataFrame({"area": list("ABC"), "sii": [-8.0, 3.0, 5.0]})
    assert list(rank_by_inequality(summary, "sii", absolute=True)["area"]) == ["A", "C", "B"]
    assert list(rank_by_inequality(summary, "sii")["area"]) == ["C", "B", "A"]
    with pytest.raises(ValueError, match="measure|column"):
        rank_by_inequality(summary, "missing")
