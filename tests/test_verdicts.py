"""The one verdict rule set, on constructed cases with known answers (closed forms, not the code's formula)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import verdicts
from helpers.stats import fit_trend, try_fit_trend


def test_interval_wholly_beyond_threshold_is_supported():
    assert verdicts.judge(12.0, 10.0, lower=11.0, upper=13.0)[0] == "supported"


def test_interval_spanning_threshold_claims_no_more_than_partly():
    assert verdicts.judge(12.0, 10.0, lower=9.0, upper=15.0)[0] == "partly supported"
    assert verdicts.judge(9.5, 10.0, lower=8.0, upper=11.0)[0] == "not supported"


def test_claimed_below_mirrors_above():
    assert verdicts.judge(8.0, 10.0, claimed="below", lower=7.0, upper=9.0)[0] == "supported"
    assert verdicts.judge(8.0, 10.0, claimed="below", lower=7.0, upper=10.5)[0] == "partly supported"
    assert verdicts.judge(11.0, 10.0, claimed="below")[0] == "not supported"


def test_no_interval_judged_on_the_value_and_says_so():
    verdict, rule = verdicts.judge(10.1, 10.0)
    assert verdict == "supported" and "no sampling interval" in rule


def test_missing_estimate_is_refused():
    with pytest.raises(ValueError, match="untestable"):
        verdicts.judge(float("nan"), 1.0)


@pytest.mark.parametrize(
    ("rank", "n", "within", "expected"),
    [
        (1, 326, 1, "supported"),
        (5, 326, 1, "partly supported"),
        (200, 326, 1, "not supported"),
        (13, 21, 5, "not supported"),
        (10, 21, 5, "partly supported"),
        (4, 21, 5, "supported"),
    ],
)
def test_rank_rule(rank, n, within, expected):
    assert verdicts.judge_rank(rank, n, within=within)[0] == expected


def test_trend_whose_interval_spans_zero_claims_no_direction():
    years = np.arange(2010, 2020)
    rng = np.random.default_rng(1)
    flat = 50 + rng.normal(0, 5, len(years))  # no real trend
    trend = fit_trend(years, flat)
    assert trend.slope_lower < 0 < trend.slope_upper
    assert verdicts.trend_direction(trend, "higher_is_better") == "no clear change"
    out = verdicts.pledge_from_trend(trend, polarity="higher_is_better", latest="x", evidence="e")
    assert out.verdict == "no clear change" and out.direction == "no clear change"
    assert verdicts.judge_trend(trend, claimed="rising")[0] in ("partly supported", "not supported")


def test_clear_trend_gives_direction_and_status_by_polarity():
    years = np.arange(2010, 2020)
    trend = fit_trend(years, 2.0 * (years - 2010) + 10 + np.tile([0.3, -0.3], 5))
    assert verdicts.trend_direction(trend, "higher_is_better") == "improving"
    assert verdicts.trend_direction(trend, "lower_is_better") == "worsening"
    out = verdicts.pledge_from_trend(trend, polarity="lower_is_better", latest="x", evidence="e")
    assert (out.verdict, out.direction) == ("direction only", "worsening")  # no target: never off track
    assert verdicts.judge_trend(trend, claimed="rising")[0] == "supported"


def test_overdispersed_counts_get_a_wider_interval_with_quasi_poisson():
    years = np.arange(2013, 2023)
    counts = np.array([500, 610, 480, 650, 540, 700, 560, 720, 590, 760])  # far more variable than Poisson
    pois = fit_trend(years, counts, kind="poisson")
    quasi = fit_trend(years, counts, kind="quasipoisson", use_t=False)
    assert quasi.slope == pytest.approx(pois.slope)
    assert quasi.dispersion > 5
    width = lambda t: t.slope_upper - t.slope_lower  # noqa: E731
    # the interval widens by sqrt(dispersion) (statsmodels' scale = Pearson chi2 / df), up to t vs z quantiles
    assert width(quasi) / width(pois) == pytest.approx(np.sqrt(quasi.dispersion), rel=1e-6)
    # by default the estimated dispersion is allowed for with Student's t on the residual df (8 here)
    from scipy import stats

    default = fit_trend(years, counts, kind="quasipoisson")
    assert width(default) / width(quasi) == pytest.approx(stats.t.ppf(0.975, 8) / stats.norm.ppf(0.975), rel=1e-6)


def test_two_points_are_direction_only_never_on_track():
    out = verdicts.pledge_from_change(40.0, 45.0, polarity="higher_is_better", latest="45", evidence="e")
    assert out.verdict == "direction only" and out.direction == "improving"
    out = verdicts.pledge_from_change(40.0, 45.0, polarity="lower_is_better", latest="45", evidence="e")
    assert out.direction == "worsening"


def test_single_value_is_baseline_only():
    assert verdicts.pledge_baseline(latest="3", evidence="e").verdict == "baseline only"


def test_untestable_needs_a_kind_and_a_reason():
    out = verdicts.untestable(verdicts.NOT_YET_USED, "DfE section 251 outturn (high needs) is not loaded yet.")
    assert out.verdict == "cannot be tested" and out.untestable == "public data not yet used"
    with pytest.raises(ValueError):
        verdicts.untestable("no data", "x")
    with pytest.raises(ValueError):
        verdicts.untestable(verdicts.NO_PUBLIC_DATA, " ")


def test_two_periods_one_verdict_judged_at_the_manifesto_date():
    early = verdicts.claim(("supported", "r"), "In 2016-18 the gap was 10 years.", period="2016-18", period_end=2018)
    late = verdicts.claim(("not supported", "r"), "In 2023-25 it was 7 years.", period="2023-25", period_end=2025)
    out = verdicts.combine_periods([(2025, late), (2018, early)], manifesto_year=2021)
    assert out.verdict == "supported" and out.period == "2016-18"
    assert out.evidence.index("2016-18") < out.evidence.index("Since then: In 2023-25")
    only_late = verdicts.combine_periods([(2025, late)], manifesto_year=2021)
    assert only_late.verdict == "not supported" and "earliest" in only_late.rule


def test_breaks_are_not_fitted_across_and_the_years_are_reported():
    years = np.arange(2012, 2024)
    values = np.where(years == 2020, 5.0, 20.0 - 0.5 * (years - 2012))  # a lockdown dip in 2020
    fitted = fit_trend(years, values, breaks=[{"year": 2020, "kind": "exclude", "reason": "Covid"}])
    assert fitted.slope == pytest.approx(-0.5)  # the straight line without the dip, exactly
    assert fitted.excluded_years == (2020,) and "2020" in fitted.years_text
    across = fit_trend(years, values, breaks=[{"year": 2020, "kind": "exclude"}], across_breaks=True)
    assert across.slope != pytest.approx(-0.5)
    later = fit_trend(years, values, breaks=[{"year": 2021, "kind": "definition"}])
    assert (later.first_year, later.n) == (2021, 3)


def test_too_few_points_is_a_reason_not_a_crash():
    gap = try_fit_trend([2021, 2022], [1.0, 2.0])
    assert not gap and "2 usable" in gap.reason
    assert try_fit_trend([2020, 2021, 2022], [1.0, 2.0, 3.5])


def test_p_values_are_never_printed_as_zero():
    assert verdicts.p_text(1e-9) == "p < 0.001"
    assert verdicts.p_text(0.004) == "p = 0.004"
    assert verdicts.p_text(0.2) == "p = 0.20"


def test_a_count_model_that_cannot_be_fitted_is_a_reason_not_a_crash(monkeypatch):
    """statsmodels' own failure (seen for a real council: 'the first guess on the deviance function returned a
    nan') becomes a TrendGap with the reason, not a crashed briefing."""
    import statsmodels.api as sm

    def fail(self, *args, **kwargs):
        raise ValueError("The first guess on the deviance function returned a nan.  This could be a boundary")

    monkeypatch.setattr(sm.GLM, "fit", fail)
    gap = try_fit_trend([2019, 2020, 2021], [3.0, 5.0, 4.0], kind="quasipoisson", exposure=[40.0, 50.0, 45.0])
    assert not gap and "could not be fitted to these 3 years" in gap.reason and "deviance" in gap.reason
    with pytest.raises(ValueError):
        fit_trend([2019, 2020, 2021], [3.0, 5.0, 4.0], kind="poisson")  # fit_trend itself still says so loudly


def test_series_ladder_trend_then_change_then_baseline():
    """pledge_from_series: a fitted trend decides; without one, two values are direction only and one a baseline,
    each saying why no trend was fitted."""
    years = np.arange(2015, 2022)
    falling = 30 - 2.0 * (years - 2015) + np.array([0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0])
    kw = dict(polarity="lower_is_better", latest="x", evidence="Rate.", describe_trend=lambda t: "Fitted.")
    fitted = verdicts.pledge_from_series(try_fit_trend(years, falling, kind="ols"), list(falling), **kw)
    # no target: a direction, never on or off track
    assert (fitted.verdict, fitted.direction) == ("direction only", "improving") and fitted.evidence == "Rate. Fitted."
    two = try_fit_trend(years[:2], falling[:2], kind="ols")
    assert not two
    change = verdicts.pledge_from_series(two, list(falling[:2]), **kw)
    assert change.verdict == "direction only" and change.direction == "improving"
    assert change.evidence.startswith("Rate. No trend: too few years")
    one = verdicts.pledge_from_series(try_fit_trend(years[:1], falling[:1], kind="ols"), [falling[0]], **kw)
    assert one.verdict == "baseline only"
    with pytest.raises(verdicts.NoData):
        verdicts.pledge_from_series(try_fit_trend(years[:0], falling[:0], kind="ols"), [], **kw)
