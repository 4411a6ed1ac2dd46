"""Tests for helpers.stats.trends: closed-form trends, forecasts, targets."""

import math

import numpy as np
import pytest
from scipy import stats

from helpers.stats import fit_trend, forecast, on_track, required_annual_change

YEARS = np.arange(2008, 2024)  # 16 annual points
T = YEARS - 2008


def noisy_series(seed=3, slope=-1.0, sd=4.0):
    rng = np.random.default_rng(seed)
    return 100 + slope * T + rng.normal(0, sd, len(T))


# ---------------------------------------------------------------------------
# fit_trend: closed forms
# ---------------------------------------------------------------------------


def test_exact_line_gives_exact_slope():
    trend = fit_trend(YEARS, 100 - 5 * T, kind="ols")
    assert trend.slope == pytest.approx(-5, abs=1e-10)
    assert trend.slope_upper - trend.slope_lower < 1e-9
    assert trend.fit_stat_name == "r2" and trend.fit_stat == pytest.approx(1.0)
    assert trend.annual_pct_change is None
    assert trend.n == 16 and "n=16" in trend.assumptions and trend.assumptions.startswith("OLS")
    assert trend.change == (trend.slope, trend.slope_lower, trend.slope_upper)


def test_exact_exponential_decay_gives_known_percentage_change():
    trend = fit_trend(YEARS, 200 * 0.95**T, kind="loglinear")
    assert trend.slope == pytest.approx(math.log(0.95), abs=1e-12)
    assert trend.annual_pct_change == pytest.approx(-5.0, abs=1e-9)
    assert trend.apc_lower == pytest.approx(-5.0, abs=1e-6) and trend.apc_upper == pytest.approx(-5.0, abs=1e-6)


@pytest.mark.filterwarnings("ignore:Perfect separation")  # exact data: statsmodels flags the perfect fit
def test_poisson_rate_with_exposure_recovers_percentage_change():
    exposure = np.linspace(50_000, 65_000, len(T))
    counts = exposure * 0.01 * 0.9**T  # a rate falling 10% a year, growing population
    trend = fit_trend(YEARS, counts, kind="poisson", exposure=exposure)
    assert trend.annual_pct_change == pytest.approx(-10.0, abs=1e-6)
    assert trend.apc_lower < -10 < trend.apc_upper
    assert trend.fit_stat_name == "deviance_r2" and trend.fit_stat == pytest.approx(1.0, abs=1e-9)
    assert "Poisson" in trend.assumptions and "dispersion" in trend.assumptions


def test_ols_interval_matches_textbook_formula():
    y = noisy_series()
    trend = fit_trend(YEARS, y, confidence=0.9)
    reference = stats.linregress(YEARS, y)
    half_width = stats.t.ppf(0.95, len(y) - 2) * reference.stderr
    assert trend.slope == pytest.approx(reference.slope, rel=1e-10)
    assert trend.slope_lower == pytest.approx(reference.slope - half_width, rel=1e-9)
    assert trend.slope_upper == pytest.approx(reference.slope + half_width, rel=1e-9)
    assert trend.p_value == pytest.approx(reference.pvalue, rel=1e-8)
    assert trend.fit_stat == pytest.approx(reference.rvalue**2, rel=1e-10)


def test_missing_points_are_dropped():
    y = (100 - 5 * T).astype(float)
    y[3] = np.nan
    trend = fit_trend(YEARS, y)
    assert trend.n == 15 and trend.slope == pytest.approx(-5)


def test_fewer_than_three_points_raise():
    with pytest.raises(ValueError, match="at least 3"):
        fit_trend([2020, 2021, 2022], [1.0, np.nan, 3.0])
    trend = fit_trend([2020, 2021, 2022, 2023], [1.0, np.nan, 3.0, 4.0])
    assert trend.n == 3


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        (dict(values=[1.0, 0.0, 2.0], kind="loglinear"), "values"),
        (dict(values=[1.0, -1.0, 2.0], kind="poisson"), "values"),
        (dict(values=[1.0, 2.0, 3.0], kind="poisson", exposure=[1, 0, 1]), "exposure"),
        (dict(values=[1.0, 2.0, 3.0], kind="ols", exposure=[1, 1, 1]), "exposure"),
        (dict(values=[1.0, 2.0, 3.0], kind="linear"), "kind"),
        (dict(values=[1.0, 2.0, 3.0], confidence=95), "confidence"),
    ],
)
def test_invalid_trend_inputs(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        fit_trend([2020, 2021, 2022], **kwargs)


# ---------------------------------------------------------------------------
# forecast
# ---------------------------------------------------------------------------


def test_ols_forecast_intervals_contain_mean_and_pi_is_wider():
    trend = fit_trend(YEARS, noisy_series())
    out = forecast(trend, [2024, 2025, 2030])
    assert list(out.columns) == ["year", "mean", "ci_lower", "ci_upper", "pi_lower", "pi_upper"]
    assert (out["ci_lower"] <= out["mean"]).all() and (out["mean"] <= out["ci_upper"]).all()
    assert (out["pi_lower"] < out["ci_lower"]).all() and (out["pi_upper"] > out["ci_upper"]).all()
    # further ahead, less certain
    widths = out["ci_upper"] - out["ci_lower"]
    assert widths.is_monotonic_increasing


def test_exact_line_forecast():
    trend = fit_trend(YEARS, 100 - 5 * T)
    out = forecast(trend, [2030])
    assert out.loc[0, "mean"] == pytest.approx(100 - 5 * 22)


def test_loglinear_forecast_is_back_transformed():
    trend = fit_trend(YEARS, 200 * 0.95**T, kind="loglinear")
    out = forecast(trend, [2028])
    assert out.loc[0, "mean"] == pytest.approx(200 * 0.95**20, rel=1e-9)

    noisy = fit_trend(
        YEARS, np.exp(np.log(200) - 0.05 * T + np.random.default_rng(1).normal(0, 0.05, len(T))), kind="loglinear"
    )
    out = forecast(noisy, [2024, 2026])
    assert (out["pi_lower"] < out["ci_lower"]).all() and (out["ci_lower"] < out["mean"]).all()
    assert (out["mean"] < out["ci_upper"]).all() and (out["ci_upper"] < out["pi_upper"]).all()
    assert (out["pi_lower"] > 0).all()


def test_poisson_forecast_counts_at_exposure():
    exposure = np.full(len(T), 100_000.0)
    counts = np.round(exposure * 0.002 * 0.97**T)
    trend = fit_trend(YEARS, counts, kind="poisson", exposure=exposure)
    out = forecast(trend, [2025, 2027])
    assert (out["exposure"] == 100_000).all()
    assert (out["pi_lower"] <= out["ci_lower"]).all() and (out["ci_lower"] < out["mean"]).all()
    assert (out["mean"] < out["ci_upper"]).all() and (out["ci_upper"] <= out["pi_upper"]).all()
    doubled = forecast(trend, [2025], exposure=200_000)
    assert doubled.loc[0, "mean"] == pytest.approx(2 * out.loc[0, "mean"])


# ---------------------------------------------------------------------------
# required_annual_change and on_track
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, start_year, target, target_year, kind, expected",
    [
        (100, 2020, 50, 2021, "percent", -50.0),
        (100, 2020, 25, 2022, "percent", -50.0),
        (100, 2020, 121, 2022, "percent", 10.0),
        (100, 2020, 0, 2030, "linear", -10.0),
        (40, 2023, 70, 2029, "linear", 5.0),
    ],
)
def test_required_annual_change_closed_forms(start, start_year, target, target_year, kind, expected):
    assert required_annual_change(start, start_year, target, target_year, kind) == pytest.approx(expected)


def test_percent_target_of_zero_needs_a_residual():
    with pytest.raises(ValueError, match="target_value") as excinfo:
        required_annual_change(100, 2020, 0, 2030, "percent")
    assert "residual" in str(excinfo.value)


def test_required_change_invalid():
    with pytest.raises(ValueError, match="target_year"):
        required_annual_change(100, 2030, 50, 2030)
    with pytest.raises(ValueError, match="kind"):
        required_annual_change(100, 2020, 50, 2030, "exponential")


def test_on_track_statuses_for_a_falling_target():
    trend = fit_trend(YEARS, 100 - 5 * T)  # -5 a year, essentially no uncertainty
    assert on_track(trend, 25, 2023, 5, 2033).status == "on track"  # needs -2 a year
    result = on_track(trend, 25, 2023, 0, 2024)  # needs -25 a year
    assert result.status == "off track"
    assert result.required_change == pytest.approx(-25) and result.units == "per year"
    assert "off track" in result.summary


def test_on_track_uncertain_when_interval_straddles_requirement():
    trend = fit_trend(YEARS, noisy_series(sd=8.0))
    assert trend.slope_lower < trend.slope < trend.slope_upper
    start = 90.0
    result = on_track(trend, start, 2023, start + 10 * trend.slope, 2033)  # requires exactly the observed slope
    assert result.status == "uncertain"
    assert result.observed_lower < result.required_change < result.observed_upper


def test_on_track_for_a_rising_target_uses_percent_change():
    trend = fit_trend(YEARS, 100 * 1.05**T, kind="loglinear")  # +5% a year
    assert on_track(trend, 100, 2023, 120, 2033).status == "on track"  # needs +1.8% a year
    result = on_track(trend, 100, 2023, 200, 2033)  # needs +7.2% a year
    assert result.status == "off track" and result.units == "% per year"
    assert result.observed_change == pytest.approx(5.0)


def test_on_track_when_a_ceiling_target_is_already_met():
    rising = fit_trend(YEARS, 10 + 2 * T)  # rising by 2 a year
    # without polarity a start below the target reads as "must rise to it", and the rise meets it
    assert on_track(rising, 4, 2023, 5, 2030).status == "on track"
    falling = fit_trend(YEARS, 100 - 5 * T)
    assert on_track(falling, 4, 2023, 5, 2030).status == "off track"  # read as a floor to rise to
    assert on_track(falling, 4, 2023, 5, 2030, lower_is_better=True).status == "on track"
    assert on_track(rising, 6, 2023, 5, 2030, lower_is_better=False).status == "on track"
