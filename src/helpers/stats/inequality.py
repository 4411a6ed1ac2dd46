"""Inequality measures: how deprived an area's neighbourhoods are, and the slope index.

* :func:`deprivation_spread` summarises where a council's small areas (LSOAs) sit in
  the national Index of Multiple Deprivation ranking.
* :func:`slope_index_of_inequality` / :func:`relative_index_of_inequality` follow
  PHEindicatormethods ``phe_sii`` (the OHID Fingertips method, Low & Low 2004).
* :func:`rank_by_inequality` orders areas by any of these measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import as_float_array, check_confidence

#: Number of LSOAs in England in the IMD 2019 (2011 LSOAs).
N_LSOA_ENGLAND_IMD2019 = 32844
#: Number of LSOAs in England in the IMD 2025 (2021 LSOAs).
N_LSOA_ENGLAND_IMD2025 = 33755

VALUE_TYPES = ("normal", "rate", "proportion")


# ---------------------------------------------------------------------------
# Deprivation spread
# ---------------------------------------------------------------------------


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile with weights, interpolating between the mid-points of each value's weight.

    Each value occupies a share of the total weight; its plotting position is the middle
    of that share, ``(cumsum(w) - w/2) / sum(w)``. With equal weights this is the
    "Hazen" quantile (numpy ``method="hazen"``), so weighted and unweighted results are
    directly comparable.
    """
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    positions = (np.cumsum(w) - w / 2) / w.sum()
    return float(np.interp(q, positions, v))


def deprivation_spread(
    lsoa: pd.DataFrame,
    group: str = "area_code",
    rank: str = "imd_rank",
    decile: str = "imd_decile",
    population: str | None = None,
    n_england: int | None = None,
) -> pd.DataFrame:
    """Summarise how each group's small areas (LSOAs) spread across national deprivation.

    ``lsoa`` has one row per LSOA with its group (e.g. local authority code), national
    IMD rank (1 = most deprived in England) and national decile (1 = most deprived 10%).

    Output, one row per group (units in brackets):
        * n_small_areas: number of LSOAs (count);
        * share_most_deprived_10: share of the group in England's most deprived decile
          (decile 1) (%);
        * share_most_deprived_20: share in deciles 1-2 (%);
        * rank_iqr_pct: inter-quartile range of the national ranks, as a percentage of
          the number of English LSOAs, so groups and IMD editions are comparable (%);
        * weighting: "population" or "small areas".

    Weighting: with ``population`` (a column of resident counts) the shares are the
    percentage of the group's *residents* living in those LSOAs and the IQR uses
    population-weighted quartiles; without it, each LSOA counts once. Quartiles use
    mid-point plotting positions (numpy's "hazen" method when unweighted).

    ``n_england`` is the number of LSOAs in England for the IMD edition used
    (:data:`N_LSOA_ENGLAND_IMD2019` = 32,844; :data:`N_LSOA_ENGLAND_IMD2025` = 33,755).
    If omitted it is taken as the largest rank in ``lsoa``, which is only right when the
    frame covers all of England.

    Missing values: a group with any missing decile, rank or population gets NaN for the
    measures that need it.

    Source: MHCLG English Indices of Deprivation technical report (ranks and deciles);
    "proportion of LSOAs in the most deprived 10% nationally" is the MHCLG local
    authority summary measure.

    Raises:
        ValueError: missing columns, deciles outside 1-10, ranks outside 1..n_england,
            or negative populations.
    """
    needed = [group, rank, decile] + ([population] if population else [])
    absent = [c for c in needed if c not in lsoa.columns]
    if absent:
        raise ValueError(f"lsoa is missing columns {absent}; pass the right names via group/rank/decile/population")
    ranks_all = as_float_array(lsoa[rank], rank)
    deciles_all = as_float_array(lsoa[decile], decile)
    if np.any((deciles_all < 1) | (deciles_all > 10)):
        raise ValueError(f"{decile} must be national deciles 1-10 (1 = most deprived); check the column")
    if n_england is None:
        n_england = int(np.nanmax(ranks_all))
    if n_england <= 0:
        raise ValueError("n_england must be a positive number of LSOAs, e.g. N_LSOA_ENGLAND_IMD2019")
    if np.any((ranks_all < 1) | (ranks_all > n_england)):
        raise ValueError(f"{rank} must lie between 1 and n_england ({n_england}); pass the right n_england")
    if population:
        pops_all = as_float_array(lsoa[population], population)
        if np.any(pops_all < 0):
            raise ValueError(f"{population} must be >= 0; negative populations are data errors")

    rows = []
    for key, part in lsoa.groupby(group, sort=True, dropna=False):
        ranks = as_float_array(part[rank], rank)
        deciles = as_float_array(part[decile], decile)
        weights = as_float_array(part[population], population) if population else np.ones(len(part))
        shares = (np.nan, np.nan)
        if not (np.isnan(deciles).any() or np.isnan(weights).any()) and weights.sum() > 0:
            shares = tuple(100 * weights[deciles <= top].sum() / weights.sum() for top in (1, 2))
        iqr = np.nan
        if not (np.isnan(ranks).any() or np.isnan(weights).any()) and weights.sum() > 0:
            q1 = _weighted_quantile(ranks, weights, 0.25)
            q3 = _weighted_quantile(ranks, weights, 0.75)
            iqr = 100 * (q3 - q1) / n_england
        rows.append(
            {
                group: key,
                "n_small_areas": len(part),
                "share_most_deprived_10": shares[0],
                "share_most_deprived_20": shares[1],
                "rank_iqr_pct": iqr,
                "weighting": "population" if population else "small areas",
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Slope and relative index of inequality
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SIIResult:
    """Slope and relative index of inequality for one area.

    ``sii`` is the fitted value at the least deprived end (relative rank 1) minus the
    fitted value at the most deprived end (relative rank 0), times ``multiplier``;
    ``rii`` is their ratio; ``intercept`` is the fitted value at rank 0 (before the
    multiplier). Limits come from the Monte Carlo simulation.
    """

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    intercept: float
    n_quantiles: int
    confidence: float
    repetitions: int
    method: str


def _forward(values: np.ndarray, value_type: str) -> np.ndarray:
    """Scale on which the indicator's sampling error is treated as normal."""
    if value_type == "rate":
        return np.log(values)
    if value_type == "proportion":
        return np.log(values / (1 - values))
    return values


def _backward(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def _relative_ranks(populations: np.ndarray) -> np.ndarray:
    """Mid-point of each quantile's share of the cumulative population (0 to 1)."""
    shares = populations / populations.sum()
    return np.cumsum(shares) - shares / 2


def _order_statistic(samples: np.ndarray, confidence: float) -> tuple[float, float]:
    """Lower and upper limits as PHEindicatormethods picks them from sorted samples.

    With R = number of samples and c = confidence + (1 - confidence)/2, the limits are
    the round(R (1 - c))-th and round(R c)-th smallest values (1-based).
    """
    ordered = np.sort(samples)
    upper_point = confidence + (1 - confidence) / 2
    reps = len(ordered)
    low_pos = max(int(np.round(reps * (1 - upper_point))), 1)
    high_pos = min(int(np.round(reps * upper_point)), reps)
    return float(ordered[low_pos - 1]), float(ordered[high_pos - 1])


def slope_index_of_inequality(
    values: Any,
    populations: Any,
    quantile_order: Any,
    confidence: float = 0.95,
    se: Any = None,
    lower_cl: Any = None,
    upper_cl: Any = None,
    value_type: str = "normal",
    transform: bool = False,
    multiplier: float = 1.0,
    repetitions: int = 100_000,
    seed: int = 1,
) -> SIIResult:
    """Slope index of inequality (SII) and relative index (RII) across deprivation quantiles.

    Method (PHEindicatormethods ``phe_sii``; Low & Low 2004; OHID Fingertips):

    1. Order the quantiles by ``quantile_order`` (1 = most deprived, so relative rank 0
       is the most deprived end).
    2. Relative rank b_i = mid-point of quantile i in the cumulative population share;
       weight a_i = quantile population share.
    3. Fit Y_i = c + s b_i by least squares weighted by a_i (the package fits
       Y sqrt(a) on sqrt(a) and b sqrt(a), which is the same model).
    4. SII = fitted(1) - fitted(0) = s; RII = fitted(1) / fitted(0) = (c + s) / c.
       With ``transform=True`` (rates and proportions only) the fit is on log(Y)
       (rates) or logit(Y) (proportions) and the fitted values are back-transformed
       before taking the difference and ratio.
    5. Confidence limits by simulation: each quantile's value is redrawn ``repetitions``
       times from a normal distribution with its standard error (on the log scale for
       rates, logit for proportions), the regression is refitted, and the limits are
       order statistics of the simulated SIIs and RIIs. A fixed ``seed`` makes the
       limits reproducible; they differ from R's by Monte Carlo error only (about 1% of
       the interval width at 100,000 repetitions).
    6. ``multiplier`` scales SII and its limits (e.g. 100 for percentages). A negative
       multiplier flips the sign (for "lower is better" indicators): the SII limits
       swap, and RII and its limits are inverted.

    Units: SII in the indicator's units times ``multiplier``; RII is a ratio.

    Args:
        values: indicator value per quantile (proportions as 0-1 when value_type is
            "proportion").
        populations: population per quantile (> 0).
        quantile_order: quantile label per row, e.g. decile 1-10 with 1 most deprived.
        confidence: level for the SII/RII limits.
        se: standard error per quantile, on the transformed scale for rates (log) and
            proportions (logit). If omitted, computed from ``lower_cl``/``upper_cl``
            (95% limits) as (T(upper) - T(lower)) / (2 * 1.959964).
        value_type: "normal", "rate" or "proportion".
        transform: regress on log/logit values (package argument ``transform``).
        multiplier: scale factor, see step 6.
        repetitions: number of simulations (>= 1000).
        seed: seed for numpy's random generator.

    Returns:
        :class:`SIIResult`. Any missing value, population or standard error gives NaNs.

    Raises:
        ValueError: fewer than 5 or more than 100 quantiles, duplicate quantile labels,
            populations <= 0, negative standard errors, proportions outside (0, 1),
            rates <= 0, no way to get standard errors, or bad confidence/repetitions.
    """
    level = check_confidence(confidence)
    if value_type not in VALUE_TYPES:
        raise ValueError(f"value_type must be one of {', '.join(VALUE_TYPES)} (got {value_type!r})")
    if transform and value_type == "normal":
        raise ValueError("transform=True needs value_type 'rate' or 'proportion'; leave transform off otherwise")
    if int(repetitions) < 1000:
        raise ValueError(f"repetitions must be at least 1000 (got {repetitions}); the default is 100,000")
    if multiplier == 0:
        raise ValueError("multiplier must be non-zero (use -1 to flip the sign for lower-is-better indicators)")

    y = as_float_array(values, "values").ravel()
    pops = as_float_array(populations, "populations").ravel()
    labels = np.asarray(quantile_order).ravel()
    if not len(y) == len(pops) == len(labels):
        raise ValueError("values, populations and quantile_order need one entry per quantile")
    k = len(y)
    if not 5 <= k <= 100:
        raise ValueError(f"need between 5 and 100 quantiles (got {k}), as phe_sii requires")
    if len(pd.unique(labels)) != k:
        raise ValueError("quantile_order labels must be unique, one row per quantile; aggregate first")
    if np.any(np.isnan(pops) | (pops <= 0)):
        raise ValueError("populations must all be > 0 and not missing; SII needs every quantile populated")

    if se is not None:
        errors = as_float_array(se, "se").ravel()
    elif lower_cl is not None and upper_cl is not None:
        lo = as_float_array(lower_cl, "lower_cl").ravel()
        hi = as_float_array(upper_cl, "upper_cl").ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            errors = (_forward(hi, value_type) - _forward(lo, value_type)) / (2 * stats.norm.ppf(0.975))
    else:
        raise ValueError("give either se or both lower_cl and upper_cl (95% limits) to get standard errors")
    if len(errors) != k:
        raise ValueError("se / confidence limits need one entry per quantile")
    if np.any(errors < 0):
        raise ValueError("se must be >= 0 (or upper_cl must be >= lower_cl); check the input limits")
    if value_type == "proportion" and np.any((y <= 0) | (y >= 1)):
        raise ValueError("proportions must lie strictly between 0 and 1 for value_type='proportion'")
    if value_type == "rate" and np.any(y <= 0):
        raise ValueError("rates must be > 0 for value_type='rate' (log scale)")

    method = f"simulation, {int(repetitions)} repetitions, seed {seed}"
    if np.isnan(y).any() or np.isnan(errors).any():
        nan = float("nan")
        return SIIResult(nan, nan, nan, nan, nan, nan, nan, k, level, int(repetitions), method)

    order = np.argsort(labels, kind="stable")
    y, pops, errors = y[order], pops[order], errors[order]

    shares = pops / pops.sum()
    ranks = _relative_ranks(pops)
    design = np.column_stack([np.ones(k), ranks])
    weighted = design.T * shares  # X'W
    solver = np.linalg.solve(weighted @ design, weighted)  # (X'WX)^-1 X'W, shape (2, k)

    def sii_rii(responses: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        intercept, slope = solver @ responses
        if transform:
            at_zero = _backward(intercept, value_type)
            at_one = _backward(intercept + slope, value_type)
            return at_one - at_zero, at_one / at_zero, at_zero
        return slope, (intercept + slope) / intercept, intercept

    sii, rii, intercept = sii_rii(_forward(y, value_type) if transform else y)

    rng = np.random.default_rng(seed)
    draws = rng.normal(_forward(y, value_type)[:, None], errors[:, None], size=(k, int(repetitions)))
    sim_sii, sim_rii, _ = sii_rii(draws if transform else _backward(draws, value_type))
    sii_lower, sii_upper = _order_statistic(sim_sii, level)
    rii_lower, rii_upper = _order_statistic(sim_rii, level)

    sii, sii_lower, sii_upper = multiplier * sii, multiplier * sii_lower, multiplier * sii_upper
    if multiplier < 0:
        sii_lower, sii_upper = sii_upper, sii_lower
        rii, rii_lower, rii_upper = 1 / rii, 1 / rii_upper, 1 / rii_lower

    return SIIResult(
        sii=float(sii),
        sii_lower=float(sii_lower),
        sii_upper=float(sii_upper),
        rii=float(rii),
        rii_lower=float(rii_lower),
        rii_upper=float(rii_upper),
        intercept=float(intercept),
        n_quantiles=k,
        confidence=level,
        repetitions=int(repetitions),
        method=method,
    )


def relative_index_of_inequality(values: Any, populations: Any, quantile_order: Any, **kwargs: Any):
    """Relative index of inequality and its limits: fitted(1) / fitted(0).

    Units: a ratio (1 = no gradient). Same arguments and method as
    :func:`slope_index_of_inequality` (PHEindicatormethods ``phe_sii(rii = TRUE)``).

    Returns:
        (rii, lower, upper).
    """
    result = slope_index_of_inequality(values, populations, quantile_order, **kwargs)
    return result.rii, result.rii_lower, result.rii_upper


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------


def rank_by_inequality(summary: pd.DataFrame, measure: str, absolute: bool = False) -> pd.DataFrame:
    """Sort areas from most to least unequal and add a ``rank`` column (1 = most unequal).

    Larger values of ``measure`` count as more unequal (e.g. rank_iqr_pct,
    share_most_deprived_10, SII for a higher-is-worse gap). With ``absolute=True`` the
    size of the measure is used regardless of sign (useful for SIIs whose sign depends
    on polarity). Ties share the lowest rank (pandas ``rank(method="min")``: 1, 2, 2, 4).
    Missing measures get no rank and go last.
    """
    if measure not in summary.columns:
        raise ValueError(f"summary has no column {measure!r}; choose one of {list(summary.columns)}")
    out = summary.copy()
    key = pd.to_numeric(out[measure], errors="coerce")
    if absolute:
        key = key.abs()
    out["rank"] = key.rank(method="min", ascending=False).astype("Int64")
    out["_key"] = key
    out = out.sort_values(["rank", "_key"], ascending=[True, False], na_position="last", kind="stable")
    return out.drop(columns="_key")
