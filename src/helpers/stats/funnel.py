"""Funnel plot control limits and outlier labels, as Fingertips draws them.

A funnel plot shows each area's value against its size, with control limits around a
benchmark that narrow as the denominator grows. Limits are at 95% (about 2 standard
deviations; 2.5% in each tail, labelled "0.025") and 99.8% (about 3 standard
deviations; 0.1% in each tail, labelled "0.001").

Source: OHID Fingertips technical guidance, "Funnel plots"; PHEindicatormethods
``calculate_funnel_limits`` (older name ``phe_funnels``), ``assign_funnel_significance``
(older ``phe_funnel_significance``) and ``calculate_funnel_points``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import (
    as_float_array,
    broadcast,
    check_multiplier,
    check_non_negative,
    check_not_above,
    check_positive,
    shape_like,
)
from .intervals import byars_ci

#: Tail probability for each limit: "95" -> 0.025 each side, "998" -> 0.001 each side.
TAILS = {"95": 0.025, "998": 0.001}

#: Labels in the package's order of severity.
SIGNIFICANCE_LABELS = ("High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)", "Not significant")
DSR_TOO_FEW = "Not applicable for events less than 10 for dsrs"
STATISTICS = ("proportion", "rate", "ratio")


# ---------------------------------------------------------------------------
# Points along the x axis
# ---------------------------------------------------------------------------


def _round_down_neatly(x: float) -> float:
    """95% of x rounded down to its leading digit (package ``signif.floor``)."""
    if x <= 0:
        return 0.0
    digits = len(str(int(math.floor(x * 0.95)))) - 1
    return math.floor(x * 0.95 / 10**digits) * 10**digits


def _round_up_neatly(x: float) -> float:
    """105% of x rounded up to two leading digits (package ``signif.ceiling``)."""
    if x <= 0:
        return 0.0
    digits = len(str(int(math.ceil(x * 1.05)))) - 2
    return math.ceil(x * 1.05 / 10**digits) * 10**digits


def _axis_points(minimum: float, maximum: float, n_points: int) -> np.ndarray:
    """Whole numbers from max(1, minimum) to about maximum, spaced geometrically.

    Each point is round((maximum / previous) ** (1 / (n_points + 1 - j)) * previous), and
    at least previous + 1 (package ``calculate_funnel_limits``).
    """
    points = [max(1, minimum)]
    for j in range(2, n_points + 1):
        previous = points[-1]
        step = (maximum / previous) ** (1 / (n_points + 1 - j)) * previous
        points.append(max(round(step), previous + 1))
    return np.asarray(points, dtype=float)


def funnel_denominators(denominators: Any, n_points: int = 100) -> np.ndarray:
    """Denominators at which to draw proportion funnel limits (the package's x axis).

    The axis runs from 0 (or, when the largest denominator is under twice the smallest,
    95% of the smallest rounded down) to 105% of the largest rounded up, in
    ``n_points`` geometrically spaced whole numbers.

    Source: PHEindicatormethods ``calculate_funnel_limits(statistic = "proportion")``.
    """
    n = as_float_array(denominators, "denominators").ravel()
    n = n[~np.isnan(n)]
    check_positive(n, "denominators")
    low, high = n.min(), n.max()
    start = 0 if high > 2 * low else _round_down_neatly(low)
    return _axis_points(start, _round_up_neatly(high), n_points)


def funnel_events(counts: Any, denominators: Any, years_of_data: float = 1, n_points: int = 100) -> np.ndarray:
    """Event counts at which to draw rate funnel limits (the package's x axis).

    The axis in population (per year, then times ``years_of_data``) is converted to
    events with the overall rate sum(counts) / sum(denominators).

    Source: PHEindicatormethods ``calculate_funnel_limits(statistic = "rate")``.
    """
    x = as_float_array(counts, "counts").ravel()
    n = as_float_array(denominators, "denominators").ravel()
    x, n = broadcast(x, n, names=("counts", "denominators"))
    check_non_negative(x, "counts")
    check_positive(n, "denominators")
    average = np.nansum(x) / np.nansum(n[~np.isnan(x)])
    n = n[~np.isnan(n)]
    low, high = n.min(), n.max()
    start = 0 if high > 2 * low else _round_down_neatly(low / years_of_data) * years_of_data
    end = _round_up_neatly(high / years_of_data) * years_of_data
    return _axis_points(math.floor(start * average), math.ceil(end * average), n_points)


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------


def funnel_limits_proportion(benchmark: float, denominators: Any, multiplier: float = 100) -> pd.DataFrame:
    """Funnel control limits for a proportion at each denominator.

    Units: same as ``benchmark``, i.e. a proportion times ``multiplier`` (default
    percentages). ``benchmark`` is usually sum(numerators) / sum(denominators) times
    ``multiplier``.

    Formula, with p = benchmark / multiplier, n = denominator, z = 1.959964 (95%) or
    3.090232 (99.8%)::

        limit = p -/+ z * sqrt(p (1 - p) / n)

    clipped to [0, multiplier]. These are the observed proportions whose Wilson score
    interval just touches the benchmark; the package writes the same solution as the
    root of a quadratic (``sigma_adjustment``).

    Source: PHEindicatormethods ``calculate_funnel_limits(statistic = "proportion")``.

    Returns:
        DataFrame with ``denominator, lower_95, upper_95, lower_998, upper_998, baseline``.
    """
    scale = check_multiplier(multiplier)
    p = float(benchmark) / scale
    if not 0 <= p <= 1:
        raise ValueError(
            f"benchmark must lie between 0 and multiplier ({scale:g}); got {benchmark} - "
            "give the benchmark in the same units as the output"
        )
    n = as_float_array(denominators, "denominators").ravel()
    check_positive(n, "denominators")
    out = pd.DataFrame({"denominator": n})
    for suffix, tail in TAILS.items():
        z = stats.norm.ppf(1 - tail)
        half_width = z * np.sqrt(p * (1 - p) / n)
        out[f"lower_{suffix}"] = np.clip(p - half_width, 0, 1) * scale
        out[f"upper_{suffix}"] = np.clip(p + half_width, 0, 1) * scale
    out = out[["denominator", "lower_95", "upper_95", "lower_998", "upper_998"]]
    out["baseline"] = p * scale
    return out


def funnel_limits_rate(
    benchmark: float,
    events: Any,
    multiplier: float = 100000,
    years_of_data: float = 1,
) -> pd.DataFrame:
    """Funnel control limits for a rate, drawn at each number of events.

    Units: rates per ``multiplier`` (same as ``benchmark``, e.g. per 100,000);
    populations are per year (total person-years / ``years_of_data``).

    Method (exact Poisson, r = benchmark / multiplier per person, e = events, tail q):
        * the lower limit passes through the population N at which e events is the
          lower control limit: expected events N r = chi2_{1-q}(2e + 2) / 2, so
          N = that / r and the limit rate is e / N * multiplier;
        * the upper limit uses N r = chi2_q(2e) / 2.

    Source: PHEindicatormethods ``calculate_funnel_limits(statistic = "rate")``. The
    package finds these Poisson quantiles by bisection (to about 1e-7 in a transformed
    scale); here they come from scipy's chi-square quantiles, which agree to about 1e-6
    relative.

    Returns:
        DataFrame with ``events``, then for each of ``lower_95, upper_95, lower_998,
        upper_998`` a ``*_population`` column (per year) and the limit itself, and
        ``baseline``.
    """
    scale = check_multiplier(multiplier)
    if not float(benchmark) > 0:
        raise ValueError(f"benchmark must be a rate > 0 per multiplier (got {benchmark})")
    if not float(years_of_data) > 0:
        raise ValueError(f"years_of_data must be > 0 (got {years_of_data})")
    rate = float(benchmark) / scale
    e = as_float_array(events, "events").ravel()
    check_positive(e, "events")
    out = pd.DataFrame({"events": e})
    for suffix, tail in TAILS.items():
        expected_low = stats.chi2.ppf(1 - tail, 2 * e + 2) / 2  # e sits at the lower limit
        expected_high = stats.chi2.ppf(tail, 2 * e) / 2  # e sits at the upper limit
        for side, expected in (("lower", expected_low), ("upper", expected_high)):
            population = expected / rate
            out[f"{side}_{suffix}_population"] = population / years_of_data
            out[f"{side}_{suffix}"] = e / population * scale
    out["baseline"] = rate * scale
    return out


# ---------------------------------------------------------------------------
# Significance labels
# ---------------------------------------------------------------------------


def denominator_from_rate(counts: Any, rates: Any, multiplier: float = 100000):
    """Population implied by a count and a rate: counts / rates * multiplier.

    Used for funnel plots of directly standardised rates, whose true denominator is not
    a head count. Zero counts give NaN (the implied population is undefined).

    Source: PHEindicatormethods ``calculate_funnel_points`` / ``assign_funnel_significance``
    (``denominator_derived``).
    """
    scale = check_multiplier(multiplier)
    x = as_float_array(counts, "counts")
    r = as_float_array(rates, "rates")
    x, r = broadcast(x, r, names=("counts", "rates"))
    check_non_negative(x, "counts")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.where(x == 0, np.nan, x / r * scale)
    return shape_like(implied, counts, rates)


def funnel_significance(
    numerator: Any,
    denominator: Any,
    statistic: str = "proportion",
    benchmark: float | None = None,
    multiplier: float = 1,
    rate_type: str = "crude",
):
    """Label each area "High"/"Low" at 0.001 or 0.025, or "Not significant", on a funnel.

    * proportion: the area's numerator / denominator is compared with limits
      p -/+ z sqrt(p (1 - p) / n) around the benchmark p (see
      :func:`funnel_limits_proportion`).
    * rate: the benchmark rate is compared with the area's own 95% and 99.8% limits from
      :func:`helpers.stats.byars_ci` (exact Poisson below 10 events, Byar's above): a
      benchmark below the area's lower 99.8% limit is "High (0.001)", and so on. With
      ``rate_type="dsr"`` areas with fewer than 10 events are "Not applicable for events
      less than 10 for dsrs"; use :func:`denominator_from_rate` for the denominators.
    * ratio (observed / expected counts, e.g. ISRs): as for rates with the benchmark
      fixed at 1.

    The benchmark defaults to sum(numerator) / sum(denominator) over rows with both
    present (the funnel's baseline). If given, it is per ``multiplier`` (e.g. 80.6 with
    multiplier 100, or 116.2 with multiplier 100000).

    Units: labels only. Missing numerators or denominators give a missing (NaN) label.

    Source: PHEindicatormethods ``assign_funnel_significance``.

    Raises:
        ValueError: unknown statistic or rate_type, negative numerators, denominators
            <= 0, or numerator > denominator for proportions.
    """
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(STATISTICS)} (got {statistic!r})")
    if rate_type not in ("crude", "dsr"):
        raise ValueError(f"rate_type must be 'crude' or 'dsr' (got {rate_type!r})")
    scale = check_multiplier(multiplier)
    x = as_float_array(numerator, "numerator").ravel()
    n = as_float_array(denominator, "denominator").ravel()
    x, n = broadcast(x, n, names=("numerator", "denominator"))
    check_non_negative(x, "numerator")
    check_positive(n, "denominator")
    if statistic == "proportion":
        check_not_above(x, n, "numerator", "denominator")

    both = ~(np.isnan(x) | np.isnan(n))
    if statistic == "ratio":
        reference = 1.0
    elif benchmark is None:
        reference = x[both].sum() / n[both].sum()
    else:
        reference = float(benchmark) / scale

    labels = np.full(len(x), np.nan, dtype=object)
    if statistic == "proportion":
        with np.errstate(invalid="ignore", divide="ignore"):
            observed = x / n
            spread = {s: stats.norm.ppf(1 - t) * np.sqrt(reference * (1 - reference) / n) for s, t in TAILS.items()}
        conditions = [
            observed < reference - spread["998"],
            observed < reference - spread["95"],
            observed > reference + spread["998"],
            observed > reference + spread["95"],
        ]
        outcomes = ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"]
    else:
        lower_998, upper_998 = byars_ci(x, n, 0.998)
        lower_95, upper_95 = byars_ci(x, n, 0.95)
        conditions = [reference < lower_998, reference < lower_95, reference > upper_998, reference > upper_95]
        outcomes = ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"]
    chosen = np.select(conditions, outcomes, default="Not significant").astype(object)
    labels[both] = chosen[both]
    if statistic == "rate" and rate_type == "dsr":
        too_few = x < 10  # NaN counts stay missing
        labels[too_few] = DSR_TOO_FEW
    if isinstance(numerator, pd.Series):
        return pd.Series(labels, index=numerator.index, dtype=object)
    if np.ndim(numerator) == 0 and np.ndim(denominator) == 0:
        return labels[0]
    return labels
