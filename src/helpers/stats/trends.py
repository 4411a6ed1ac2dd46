"""Trends over time and progress towards a target, with statsmodels.

Three models for a series of annual values:

* ``"ols"``: ordinary least squares on the raw values, a constant absolute change per
  year (the linear trend a council chart usually shows);
* ``"loglinear"``: least squares on log(value), a constant percentage change per year;
* ``"poisson"``: a Poisson GLM with log link for counts, optionally with an exposure
  (population) so that the modelled quantity is a rate; also a constant percentage
  change per year.

OHID's own trend test in Fingertips is the chi-square test for trend on the last five
points; these models are the broader regression approach described in the PHE
"Technical guide: Analysing trends" and used for annual percentage change (APC) in
cancer and mortality statistics (APC = 100 * (exp(b) - 1)).

Years are re-based to the first observed year before fitting (``year_origin``) so the
intercept is the fitted value in that year; slopes are unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import as_float_array, check_confidence

KINDS = ("ols", "loglinear", "poisson", "quasipoisson")
CHANGE_KINDS = ("linear", "percent")
MINIMUM_POINTS = 3


@dataclass(frozen=True)
class TrendResult:
    """A fitted trend.

    Attributes:
        kind: "ols", "loglinear" or "poisson".
        slope, slope_lower, slope_upper: change per year and its confidence interval,
            in the units of ``values`` for OLS, in log units per year otherwise.
        annual_pct_change, apc_lower, apc_upper: 100 * (exp(slope) - 1) and its interval
            (None for OLS).
        n: number of non-missing points used.
        fit_stat_name, fit_stat: "r2" for OLS/loglinear (loglinear on the log scale);
            "deviance_r2" (1 - deviance / null deviance) for Poisson.
        p_value: two-sided p-value for slope = 0.
        confidence: level used for the intervals.
        year_origin: the year subtracted from years before fitting.
        assumptions: one line stating what the model assumes.
        results: the fitted statsmodels results object.
    """

    kind: str
    slope: float
    slope_lower: float
    slope_upper: float
    annual_pct_change: float | None
    apc_lower: float | None
    apc_upper: float | None
    n: int
    fit_stat_name: str
    fit_stat: float
    p_value: float
    confidence: float
    year_origin: float
    assumptions: str
    last_exposure: float | None = None
    results: Any = field(default=None, repr=False, compare=False)
    #: first and last year used in the fit, and the years left out because of series breaks
    first_year: int | None = None
    last_year: int | None = None
    excluded_years: tuple[int, ...] = ()
    dispersion: float | None = None

    def __bool__(self) -> bool:  # a fitted trend is truthy; a TrendGap is falsy
        return True

    @property
    def years_text(self) -> str:
        """ "2012 to 2019 (2020 and 2021 left out: Covid-19 lockdowns)"-style description of the years used."""
        span = f"{self.first_year} to {self.last_year}" if self.first_year is not None else ""
        if self.excluded_years:
            left = ", ".join(str(y) for y in self.excluded_years)
            span += f" ({left} left out as a series break)"
        return span

    @property
    def change_units(self) -> str:
        """Describe the units of the headline change (for charts and text)."""
        return "per year" if self.kind == "ols" else "% per year"

    @property
    def change(self) -> tuple[float, float, float]:
        """Headline change per year and its interval: slope for OLS, APC otherwise."""
        if self.kind == "ols":
            return self.slope, self.slope_lower, self.slope_upper
        # the APC fields are None only for OLS
        return cast(tuple[float, float, float], (self.annual_pct_change, self.apc_lower, self.apc_upper))


class TooFewPoints(ValueError):
    """Raised by :func:`fit_trend` when fewer than three usable points remain (``n`` says how many)."""

    def __init__(self, message: str, n: int = 0):
        super().__init__(message)
        self.n = n


class TrendNotFitted(TooFewPoints):
    """Raised by :func:`fit_trend` when statsmodels cannot fit the model to the values (e.g. a Poisson model
    whose rates sit at a boundary); :func:`try_fit_trend` turns it into a :class:`TrendGap` with the reason."""


@dataclass(frozen=True)
class TrendGap:
    """What :func:`try_fit_trend` returns instead of a trend when none can be fitted: falsy, with a reason a
    reader can be shown ("only 2 years of data for Rutland: too few for a trend")."""

    reason: str
    n: int = 0

    def __bool__(self) -> bool:
        return False


def try_fit_trend(years: Any, values: Any, *args: Any, **kwargs: Any) -> TrendResult | TrendGap:
    """:func:`fit_trend`, but too few points give a falsy :class:`TrendGap` with the reason instead of an error.

    Use it wherever a council may have a short or missing series (a council created after 2019, suppressed
    counts): ``trend = try_fit_trend(...); if not trend: b.gap(trend.reason)``.
    """
    try:
        return fit_trend(years, values, *args, **kwargs)
    except TrendNotFitted as exc:
        return TrendGap(reason=str(exc), n=exc.n)
    except TooFewPoints as exc:
        return TrendGap(
            reason=f"too few years of data for a trend ({exc.n} usable; at least {MINIMUM_POINTS} needed)", n=exc.n
        )


def _fit_glm(sm, y, design, exposure, n: int, **fit_options):
    """A Poisson-family GLM fit; a numerical failure becomes :class:`TrendNotFitted` (one line, with n)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # a nan deviance is a failed fit, not a result
            return sm.GLM(y, design, family=sm.families.Poisson(), exposure=exposure).fit(**fit_options)
    except (ValueError, RuntimeWarning, np.linalg.LinAlgError) as exc:
        first = str(exc).split(".")[0]
        raise TrendNotFitted(f"the count model could not be fitted to these {n} years ({first})", n=n) from None


def _apc(log_slope: float) -> float:
    """Annual percentage change from a log-scale slope: 100 * (exp(b) - 1)."""
    return float(100 * np.expm1(log_slope))


def fit_trend(
    years: Any,
    values: Any,
    kind: str = "ols",
    exposure: Any = None,
    confidence: float = 0.95,
    breaks: Any = (),
    across_breaks: bool = False,
    use_t: bool | None = None,
) -> TrendResult:
    """Fit a straight-line trend through annual values.

    Units: ``slope`` is in value units per year for ``"ols"`` and log units per year
    otherwise; ``annual_pct_change`` (APC) is percent per year, computed as
    ``100 * (exp(b) - 1)`` with its interval from the interval of b.

    Models (t = year - first year):
        * ols:       value = a + b t + e,            e ~ N(0, s^2) independent
        * loglinear: log(value) = a + b t + e,       e ~ N(0, s^2) independent
        * poisson:   count ~ Poisson(exposure * exp(a + b t))

    Source: statsmodels ``OLS`` / ``GLM(family=Poisson)``; APC as in the PHE/OHID
    "Technical guide: Analysing trends" and NCI Joinpoint's APC definition.

    Args:
        years: calendar years (or any numeric time).
        values: the series; for "poisson" these must be counts (>= 0).
        kind: "ols", "loglinear", "poisson" or "quasipoisson" (Poisson mean, variance phi * mean: use it
            for counts that vary more than Poisson, such as a year-end stock of looked-after children).
        exposure: for "poisson"/"quasipoisson" only, optional population/person-years per year; the
            model is then for the rate count / exposure.
        confidence: level for the slope and APC intervals.
        breaks: series breaks, e.g. ``registry.get(dataset_id).breaks``: dicts ``{year, kind, reason}`` (or
            objects with those attributes). ``kind="exclude"`` drops that year (an abnormal year such as a Covid
            lockdown); ``kind="definition"`` means the series changes from that year, so only the years on the
            later side are fitted. With ``across_breaks=True`` breaks are ignored (say so in the text).
        use_t: for "quasipoisson", base the interval and p-value on Student's t with the residual degrees of
            freedom (the default, None = True for quasi-Poisson) instead of the normal distribution (the
            dispersion is estimated, so with few years the normal interval is too narrow: 4 points leave 2 df,
            t = 4.30 against z = 1.96).

    Raises:
        ValueError: unknown kind, fewer than 3 non-missing points, values <= 0 for
            loglinear, negative counts or exposure <= 0 for poisson.
    """
    import statsmodels.api as sm  # imported here: it is slow to load and only trends need it

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    level = check_confidence(confidence)
    t = as_float_array(years, "years").ravel()
    y = as_float_array(values, "values").ravel()
    if len(t) != len(y):
        raise ValueError(f"years and values must have the same length (got {len(t)} and {len(y)})")
    if exposure is not None:
        if kind not in ("poisson", "quasipoisson"):
            raise ValueError("exposure is only used with kind='poisson' or 'quasipoisson'; drop it or switch kind")
        e = as_float_array(exposure, "exposure").ravel()
        if len(e) != len(y):
            raise ValueError(f"exposure must have one value per year (got {len(e)} for {len(y)} years)")
    else:
        e = np.ones_like(y)

    keep = ~(np.isnan(t) | np.isnan(y) | np.isnan(e))
    excluded: list[int] = []
    if not across_breaks:
        for brk in breaks or ():
            year = int(brk["year"] if isinstance(brk, dict) else brk.year)
            kind_of = brk["kind"] if isinstance(brk, dict) else brk.kind
            if kind_of == "exclude":
                hit = keep & (np.round(t) == year)
                excluded += [year] if hit.any() else []
                keep &= np.round(t) != year
            elif kind_of == "definition":
                earlier = keep & (t < year)
                excluded += sorted({int(round(v)) for v in t[earlier]})
                keep &= t >= year
            else:
                raise ValueError(f"break kind must be 'exclude' or 'definition' (got {kind_of!r})")
    t, y, e = t[keep], y[keep], e[keep]
    n = int(keep.sum())
    if n < MINIMUM_POINTS:
        raise TooFewPoints(
            f"fit_trend needs at least {MINIMUM_POINTS} non-missing points (got {n}"
            + (f" after leaving out {', '.join(map(str, sorted(excluded)))} at series breaks" if excluded else "")
            + "); add more years",
            n=n,
        )
    if kind == "loglinear" and np.any(y <= 0):
        raise ValueError("values must be > 0 for kind='loglinear' (log of zero); use kind='poisson' for counts")
    if kind in ("poisson", "quasipoisson"):
        if np.any(y < 0):
            raise ValueError("values must be >= 0 counts for kind='poisson'")
        if np.any(e <= 0):
            raise ValueError("exposure must be > 0 for every year; drop years with no population")

    origin = float(t.min())
    design = sm.add_constant(t - origin, has_constant="add")
    alpha = 1 - level
    span = f"n={n} annual points {int(origin)}-{int(t.max())}"

    dispersion = None
    if kind == "quasipoisson":
        # Poisson mean model, variance = phi * mean with phi estimated from Pearson's chi-square (McCullagh &
        # Nelder): intervals widen by sqrt(phi) when counts vary more than Poisson (e.g. a year-end stock)
        results = _fit_glm(
            sm, y, design, e if exposure is not None else None, n, scale="X2", use_t=True if use_t is None else use_t
        )
        fit_name = "deviance_r2"
        fit_value = float(1 - results.deviance / results.null_deviance) if results.null_deviance > 0 else np.nan
        dispersion = float(results.scale)
        assumptions = (
            f"quasi-Poisson GLM, log link: constant % change per year in the "
            f"{'rate' if exposure is not None else 'count'}, variance proportional to the mean "
            f"(estimated dispersion {dispersion:.2f}, intervals widened accordingly); {span}, "
            f"no autocorrelation correction"
        )
    elif kind == "poisson":
        results = _fit_glm(sm, y, design, e if exposure is not None else None, n)
        fit_name = "deviance_r2"
        fit_value = float(1 - results.deviance / results.null_deviance) if results.null_deviance > 0 else np.nan
        dispersion = float(results.pearson_chi2 / results.df_resid) if results.df_resid > 0 else np.nan
        assumptions = (
            f"Poisson GLM, log link: constant % change per year in the "
            f"{'rate' if exposure is not None else 'count'}, variance equal to the mean "
            f"(Pearson dispersion {dispersion:.2f}; >1.5 suggests overdispersion and too-narrow intervals); "
            f"{span}, no autocorrelation correction"
        )
    else:
        response = np.log(y) if kind == "loglinear" else y
        results = sm.OLS(response, design).fit()
        fit_name = "r2"
        fit_value = float(results.rsquared)
        if kind == "ols":
            assumptions = (
                f"OLS: linear change per year, independent errors with constant variance; "
                f"{span}, no autocorrelation correction"
            )
        else:
            assumptions = (
                f"Log-linear OLS: constant % change per year, independent log-scale errors with constant variance; "
                f"{span}, no autocorrelation correction"
            )

    slope = float(results.params[1])
    slope_lower, slope_upper = (float(v) for v in np.asarray(results.conf_int(alpha))[1])
    p_value = float(results.pvalues[1])
    if kind == "ols":
        apc = apc_lower = apc_upper = None
    else:
        apc, apc_lower, apc_upper = _apc(slope), _apc(slope_lower), _apc(slope_upper)

    return TrendResult(
        kind=kind,
        slope=slope,
        slope_lower=slope_lower,
        slope_upper=slope_upper,
        annual_pct_change=apc,
        apc_lower=apc_lower,
        apc_upper=apc_upper,
        n=n,
        fit_stat_name=fit_name,
        fit_stat=fit_value,
        p_value=p_value,
        confidence=level,
        year_origin=origin,
        assumptions=assumptions,
        last_exposure=float(e[np.argmax(t)]) if exposure is not None else None,
        results=results,
        first_year=int(round(float(t.min()))),
        last_year=int(round(float(t.max()))),
        excluded_years=tuple(sorted(excluded)),
        dispersion=dispersion,
    )


def forecast(trend: TrendResult, years: Any, confidence: float = 0.95, exposure: Any = None) -> pd.DataFrame:
    """Project a fitted trend to other years, with confidence and prediction intervals.

    Returns a DataFrame with columns ``year, mean, ci_lower, ci_upper, pi_lower,
    pi_upper`` in the units of the fitted ``values``:

    * ols: the fitted line; the CI is for the line, the PI for a single new year's value
      (statsmodels ``get_prediction(...).summary_frame``: ``mean_ci_*`` and ``obs_ci_*``).
    * loglinear: the log-scale prediction back-transformed with exp(), so ``mean`` is
      the fitted geometric mean (median) and the intervals are exp() of the log-scale
      limits.
    * poisson: expected counts at ``exposure`` (default: the last fitted year's exposure,
      or 1 if the fit had none). The CI is the Wald interval for the mean; the PI is
      conservative: the alpha/2 Poisson quantile of the lower mean limit to the
      1 - alpha/2 quantile of the upper mean limit. An ``exposure`` column is added.

    Source: statsmodels ``RegressionResults.get_prediction`` / ``GLMResults.get_prediction``.

    Forecasts assume the straight-line trend continues; treat anything more than a
    few years beyond the data as illustrative.
    """
    import statsmodels.api as sm  # see fit_trend

    level = check_confidence(confidence)
    alpha = 1 - level
    target_years = as_float_array(years, "years").ravel()
    design = sm.add_constant(target_years - trend.year_origin, has_constant="add")

    if trend.kind in ("poisson", "quasipoisson"):
        if exposure is None:
            expo = np.full(len(target_years), trend.last_exposure if trend.last_exposure is not None else 1.0)
        else:
            expo = np.broadcast_to(as_float_array(exposure, "exposure"), target_years.shape).astype(float)
            if np.any(expo <= 0):
                raise ValueError("exposure must be > 0 for every forecast year")
        frame = trend.results.get_prediction(design, exposure=expo).summary_frame(alpha)
        mean = frame["mean"].to_numpy()
        ci_lower = frame["mean_ci_lower"].to_numpy()
        ci_upper = frame["mean_ci_upper"].to_numpy()
        if trend.kind == "poisson":
            pi_lower = stats.poisson.ppf(alpha / 2, ci_lower)
            pi_upper = stats.poisson.ppf(1 - alpha / 2, ci_upper)
        else:  # quasi-Poisson: normal approximation with variance phi * mean around the mean's interval
            z = stats.norm.ppf(1 - alpha / 2)
            phi = trend.dispersion or 1.0
            pi_lower = np.maximum(0.0, ci_lower - z * np.sqrt(phi * ci_lower))
            pi_upper = ci_upper + z * np.sqrt(phi * ci_upper)
        return pd.DataFrame(
            {
                "year": target_years,
                "mean": mean,
                "ci_lower": ci_lower,
                "ci_upper": ci_upper,
                "pi_lower": pi_lower,
                "pi_upper": pi_upper,
                "exposure": expo,
            }
        )

    frame = trend.results.get_prediction(design).summary_frame(alpha)
    columns = {
        "mean": "mean",
        "ci_lower": "mean_ci_lower",
        "ci_upper": "mean_ci_upper",
        "pi_lower": "obs_ci_lower",
        "pi_upper": "obs_ci_upper",
    }
    out = pd.DataFrame({"year": target_years})
    for name, source in columns.items():
        values = frame[source].to_numpy()
        out[name] = np.exp(values) if trend.kind == "loglinear" else values
    return out


def required_annual_change(
    start_value: float,
    start_year: float,
    target_value: float,
    target_year: float,
    kind: str = "linear",
) -> float:
    """Change per year needed to move from a start value to a target by the target year.

    Units and formulas (Y = target_year - start_year):
        * linear:  (target - start) / Y, in value units per year (a constant absolute
          change); e.g. 100 -> 0 over 10 years = -10 per year.
        * percent: 100 * ((target / start) ** (1 / Y) - 1), in % per year (a constant
          relative change); e.g. 100 -> 50 over 1 year = -50% per year.

    Source: compound-growth arithmetic, as used for Fingertips/OHID ambition trajectories.

    Raises:
        ValueError: target_year not after start_year, unknown kind, or for "percent" a
            start or target value <= 0 (a constant % change never reaches zero: set the
            target as a small residual level above 0, or use kind="linear").
    """
    if kind not in CHANGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CHANGE_KINDS)} (got {kind!r})")
    span = float(target_year) - float(start_year)
    if not span > 0:
        raise ValueError(f"target_year ({target_year}) must be after start_year ({start_year})")
    start, target = float(start_value), float(target_value)
    if kind == "linear":
        return (target - start) / span
    if start <= 0:
        raise ValueError(f"start_value must be > 0 for kind='percent' (got {start_value}); use kind='linear'")
    if target <= 0:
        raise ValueError(
            f"target_value must be > 0 for kind='percent' (got {target_value}): a constant % reduction never "
            "reaches zero, so set a residual target above 0 (e.g. 'fewer than 1 per 100,000') or use kind='linear'"
        )
    return float(100 * ((target / start) ** (1 / span) - 1))


@dataclass(frozen=True)
class OnTrackResult:
    """Observed change per year (with interval) set against the change a target needs.

    ``units`` is "per year" (compared on the absolute scale, OLS trends) or
    "% per year" (loglinear/poisson trends).
    """

    status: str
    observed_change: float
    observed_lower: float
    observed_upper: float
    required_change: float
    units: str
    confidence: float
    summary: str


def on_track(
    trend: TrendResult,
    start_value: float,
    start_year: float,
    target_value: float,
    target_year: float,
    lower_is_better: bool | None = None,
) -> OnTrackResult:
    """Is the observed trend fast enough to meet a target?

    ``lower_is_better`` says whether the target is a ceiling (emissions: True) or a floor
    (employment: False). When given and the start value already meets the target, the status is
    "on track" whatever the trend (otherwise a met ceiling would read as a target to rise to).

    The required change is :func:`required_annual_change` ("linear" for an OLS trend,
    "percent" for loglinear/poisson trends, compared with the APC). With the trend's
    confidence interval [lo, hi] and required rate r:

    * target below start (a fall is needed): "on track" if hi <= r, "off track" if
      lo > r, otherwise "uncertain";
    * target at or above start: "on track" if lo >= r, "off track" if hi < r, otherwise
      "uncertain".

    "Uncertain" therefore means the interval straddles the required rate.

    Source: the approach of OHID/NHS ambition monitoring (observed trend versus required
    trajectory); intervals from :func:`fit_trend`.
    """
    kind = "linear" if trend.kind == "ols" else "percent"
    required = required_annual_change(start_value, start_year, target_value, target_year, kind)
    observed, lower, upper = trend.change
    falling = float(target_value) < float(start_value)
    already_met = (lower_is_better is True and float(start_value) <= float(target_value)) or (
        lower_is_better is False and float(start_value) >= float(target_value)
    )
    if already_met:
        status = "on track"
    elif falling:
        status = "on track" if upper <= required else "off track" if lower > required else "uncertain"
    else:
        status = "on track" if lower >= required else "off track" if upper < required else "uncertain"
    units = trend.change_units
    summary = (
        f"{status}: observed {observed:+.3g} {units} "
        f"({trend.confidence:.0%} CI {lower:+.3g} to {upper:+.3g}) vs required {required:+.3g} {units} "
        f"to go from {start_value:g} in {start_year:g} to {target_value:g} by {target_year:g}"
    )
    return OnTrackResult(
        status=status,
        observed_change=float(observed),
        observed_lower=float(lower),
        observed_upper=float(upper),
        required_change=float(required),
        units=units,
        confidence=trend.confidence,
        summary=summary,
    )
