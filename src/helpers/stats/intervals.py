"""Confidence intervals for proportions, counts, rates and directly standardised rates.

These follow the OHID Fingertips technical guidance ("Public health methods",
https://fingertips.phe.org.uk/profile/guidance) as implemented in the UKHSA/OHID R
package PHEindicatormethods, which is the reference implementation:

* proportions: Wilson score interval (``phe_proportion``, ``wilson_lower``/``wilson_upper``);
* counts and crude rates: Byar's approximation for 10 or more events, otherwise the
  exact Poisson interval from the chi-square distribution (``phe_rate``,
  ``byars_lower``/``byars_upper``);
* directly standardised rates: Dobson's method (``phe_dsr`` / ``calculate_dsr``).

Two-sided intervals throughout: a ``confidence`` of 0.95 uses z = 1.959964 (the 97.5th
normal percentile) and 0.998 uses z = 3.090232, Fingertips' "95%" and "99.8%" limits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import (
    as_float_array,
    broadcast,
    check_confidence,
    check_multiplier,
    check_non_negative,
    check_not_above,
    check_positive,
    shape_like,
)

#: Events below this use the exact Poisson interval instead of Byar's (phe_rate).
BYARS_MINIMUM_COUNT = 10

#: A DSR is not published when the total events are below this (phe_dsr).
DSR_MINIMUM_COUNT = 10

#: The two levels Fingertips reports: "95%" and "99.8%".
FINGERTIPS_LEVELS = {"95": 0.95, "998": 0.998}


def _z(confidence: float) -> float:
    """Two-sided normal critical value: z = Phi^-1(1 - (1 - confidence) / 2)."""
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def wilson_ci(numerator: Any, denominator: Any, confidence: float = 0.95, multiplier: float = 1.0):
    """Wilson score confidence interval for a proportion.

    Units: the limits are proportions of 1 times ``multiplier`` (use 100 for percentages).

    Formula (z = two-sided normal critical value, x = numerator, n = denominator)::

        lower, upper = (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    Source: OHID Fingertips technical guidance, "Confidence intervals for proportions";
    PHEindicatormethods ``phe_proportion`` / ``wilson_lower`` / ``wilson_upper``
    (Wilson 1927; Newcombe & Altman 2000).

    Args:
        numerator: cases with the attribute (x); >= 0 and <= denominator. Need not be whole.
        denominator: the population or sample size (n); > 0.
        confidence: two-sided level strictly between 0 and 1 (0.95, 0.998).
        multiplier: scale for the output (1 = proportion, 100 = percentage).

    Returns:
        (lower, upper): floats for scalar input, Series for Series input, else arrays.
        Missing numerators or denominators give NaN limits.

    Raises:
        ValueError: negative numerator, denominator <= 0, numerator > denominator, or a
            confidence outside (0, 1).
    """
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    x = as_float_array(numerator, "numerator")
    n = as_float_array(denominator, "denominator")
    x, n = broadcast(x, n, names=("numerator", "denominator"))
    check_non_negative(x, "numerator")
    check_positive(n, "denominator")
    check_not_above(x, n, "numerator", "denominator")

    z = _z(level)
    centre = 2 * x + z**2
    half_width = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    lower = (centre - half_width) / (2 * (n + z**2))
    upper = (centre + half_width) / (2 * (n + z**2))
    # guard against rounding just outside [0, 1] at x = 0 and x = n
    lower = np.clip(lower, 0.0, 1.0)
    upper = np.clip(upper, 0.0, 1.0)
    return shape_like(lower * scale, numerator, denominator), shape_like(upper * scale, numerator, denominator)


def byars_lower(count: Any, confidence: float = 0.95):
    """Byar's approximation to the lower confidence limit of a Poisson count.

    Units: events (same units as ``count``).

    Formula: ``O * (1 - 1/(9 O) - z / (3 sqrt(O)))^3`` for observed count O. Where this
    goes negative (very small counts or very high confidence) the result is NaN, as in
    the package; use :func:`byars_ci`, which switches to the exact method below 10 events.

    Source: Breslow & Day (1987); PHEindicatormethods ``byars_lower``.
    """
    level = check_confidence(confidence)
    o = as_float_array(count, "count")
    check_non_negative(o, "count")
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    result = np.where(result < 0, np.nan, result)
    result = np.where(o == 0, np.nan, result)  # undefined at zero: use the exact interval
    return shape_like(result, count)


def byars_upper(count: Any, confidence: float = 0.95):
    """Byar's approximation to the upper confidence limit of a Poisson count.

    Units: events.

    Formula: ``(O + 1) * (1 - 1/(9 (O + 1)) + z / (3 sqrt(O + 1)))^3``.

    Source: Breslow & Day (1987); PHEindicatormethods ``byars_upper``.
    """
    level = check_confidence(confidence)
    o = as_float_array(count, "count")
    check_non_negative(o, "count")
    z = _z(level)
    result = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return shape_like(result, count)


def exact_poisson_ci(count: Any, confidence: float = 0.95):
    """Exact (Garwood) Poisson confidence interval for an observed count.

    Units: events.

    Formula (alpha = 1 - confidence, chi2_q(df) the chi-square quantile)::

        lower = chi2_{alpha/2}(2 O) / 2          (0 when O = 0)
        upper = chi2_{1 - alpha/2}(2 O + 2) / 2

    Source: Armitage & Berry (2002); the small-count branch of PHEindicatormethods
    ``phe_rate`` (``qchisq((1-confidence)/2, 2x)/2`` and
    ``qchisq(confidence+(1-confidence)/2, 2x+2)/2``).

    Returns:
        (lower, upper) in events. NaN counts give NaN limits.
    """
    level = check_confidence(confidence)
    o = as_float_array(count, "count")
    check_non_negative(o, "count")
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, stats.chi2.ppf(alpha / 2, np.where(o > 0, 2 * o, 1.0)) / 2, 0.0)
    lower = np.where(np.isnan(o), np.nan, lower)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return shape_like(lower, count), shape_like(upper, count)


def byars_ci(count: Any, denominator: Any = None, confidence: float = 0.95, multiplier: float = 1.0):
    """Confidence interval for a count or crude rate, as Fingertips publishes it.

    Counts of 10 or more use Byar's approximation (:func:`byars_lower` /
    :func:`byars_upper`); counts below 10 use the exact Poisson interval
    (:func:`exact_poisson_ci`).

    Units: without a denominator the limits are events; with one they are the rate
    ``limit / denominator * multiplier`` (e.g. multiplier 100000 for "per 100,000").
    Rates may exceed the denominator (numerator > denominator is allowed).

    Source: OHID Fingertips technical guidance, "Confidence intervals for rates";
    PHEindicatormethods ``phe_rate`` (which uses exactly this switch at 10 events).

    Raises:
        ValueError: negative count, denominator <= 0 or confidence outside (0, 1).
    """
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    o = as_float_array(count, "count")
    check_non_negative(o, "count")
    if denominator is None:
        n = np.ones_like(o)
    else:
        n = as_float_array(denominator, "denominator")
        check_positive(n, "denominator")
    o, n = broadcast(o, n, names=("count", "denominator"))

    exact_low, exact_high = exact_poisson_ci(o, level)
    use_byars = o >= BYARS_MINIMUM_COUNT
    safe = np.where(use_byars, o, BYARS_MINIMUM_COUNT)  # avoid evaluating Byar's where it is not used
    lower = np.where(use_byars, byars_lower(safe, level), exact_low)
    upper = np.where(use_byars, byars_upper(safe, level), exact_high)
    lower = np.where(np.isnan(o), np.nan, lower)
    upper = np.where(np.isnan(o), np.nan, upper)
    return (
        shape_like(lower / n * scale, count, denominator),
        shape_like(upper / n * scale, count, denominator),
    )


def dobson_dsr(
    counts: Any,
    populations: Any,
    standard_populations: Any,
    confidence: float = 0.95,
    multiplier: float = 100000,
):
    """Directly standardised rate with Dobson confidence limits, for one area's age bands.

    Units: events per ``multiplier`` standard population (default per 100,000).

    Formula, summing over age bands i with events O_i, population n_i and standard
    population w_i (e.g. the 2013 European Standard Population)::

        DSR     = sum(w_i O_i / n_i) / sum(w_i)
        var     = sum(w_i^2 O_i / n_i^2) / sum(w_i)^2
        O       = sum(O_i)
        limit   = DSR + sqrt(var / O) * (Byars_limit(O) - O)

    each then times ``multiplier``. When the total count is below 10 Fingertips does not
    publish a DSR, so all three results are NaN.

    Source: Dobson et al. (1991); OHID Fingertips technical guidance, "Directly
    standardised rates"; PHEindicatormethods ``phe_dsr`` / ``calculate_dsr``.

    Missing data: a NaN count or population in any band makes all three results NaN
    (fill bands that truly had no events with 0 before calling; PHEindicatormethods does
    that fill itself).

    Returns:
        (dsr, lower, upper) as floats.

    Raises:
        ValueError: negative counts, populations <= 0, negative standard populations,
            mismatched lengths, or confidence outside (0, 1).
    """
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    o = as_float_array(counts, "counts").ravel()
    n = as_float_array(populations, "populations").ravel()
    w = as_float_array(standard_populations, "standard_populations").ravel()
    if not len(o) == len(n) == len(w):
        raise ValueError(
            f"counts, populations and standard_populations must have one value per age band "
            f"(got {len(o)}, {len(n)}, {len(w)}); align them on the age band first"
        )
    check_non_negative(o, "counts")
    check_positive(n, "populations")
    check_non_negative(w, "standard_populations")
    if np.isnan(o).any() or np.isnan(n).any() or np.isnan(w).any():
        return np.nan, np.nan, np.nan

    total = o.sum()
    if total < DSR_MINIMUM_COUNT:
        return np.nan, np.nan, np.nan
    dsr = np.sum(w * o / n) / np.sum(w)
    variance = np.sum(w**2 * o / n**2) / np.sum(w) ** 2
    spread = np.sqrt(variance / total)
    lower = dsr + spread * (byars_lower(total, level) - total)
    upper = dsr + spread * (byars_upper(total, level) - total)
    return float(dsr * scale), float(lower * scale), float(upper * scale)


def _add_limits(df: pd.DataFrame, value: Any, interval_fn, x: Any, n: Any, multiplier: float) -> pd.DataFrame:
    out = df.copy()
    out["value"] = np.asarray(value, dtype=float)
    for suffix, level in FINGERTIPS_LEVELS.items():
        lower, upper = interval_fn(x, n, level, multiplier)
        out[f"lower_{suffix}"] = np.asarray(lower, dtype=float)
        out[f"upper_{suffix}"] = np.asarray(upper, dtype=float)
    return out


def proportion_table(df: pd.DataFrame, numerator: str, denominator: str, multiplier: float = 100) -> pd.DataFrame:
    """Add a proportion and its Wilson 95% and 99.8% limits to a copy of ``df``.

    Units: ``numerator / denominator * multiplier`` (default percentages).

    Adds columns ``value, lower_95, upper_95, lower_998, upper_998``.

    Source: PHEindicatormethods ``phe_proportion(confidence = c(0.95, 0.998))``;
    see :func:`wilson_ci`.
    """
    scale = check_multiplier(multiplier)
    x = as_float_array(df[numerator], numerator)
    n = as_float_array(df[denominator], denominator)
    check_non_negative(x, numerator)
    check_positive(n, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * scale
    return _add_limits(df, value, wilson_ci, x, n, scale)


def rate_table(df: pd.DataFrame, count: str, denominator: str, multiplier: float = 100000) -> pd.DataFrame:
    """Add a crude rate and its 95% and 99.8% limits (Byar's / exact) to a copy of ``df``.

    Units: events per ``multiplier`` of the denominator (default per 100,000).

    Adds columns ``value, lower_95, upper_95, lower_998, upper_998``.

    Source: PHEindicatormethods ``phe_rate(confidence = c(0.95, 0.998))``;
    see :func:`byars_ci`.
    """
    scale = check_multiplier(multiplier)
    x = as_float_array(df[count], count)
    n = as_float_array(df[denominator], denominator)
    check_non_negative(x, count)
    check_positive(n, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * scale
    return _add_limits(df, value, byars_ci, x, n, scale)
