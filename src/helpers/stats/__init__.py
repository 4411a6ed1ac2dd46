"""Indicator statistics following the OHID Fingertips methods (PHEindicatormethods).

Modules, one job each:

* :mod:`~helpers.stats.intervals` - Wilson, Byar's/exact Poisson and Dobson DSR limits;
* :mod:`~helpers.stats.compare` - better/similar/worse than a benchmark;
* :mod:`~helpers.stats.trends` - OLS / log-linear / Poisson trends, forecasts, targets;
* :mod:`~helpers.stats.inequality` - deprivation spread, slope and relative index of inequality;
* :mod:`~helpers.stats.funnel` - funnel plot control limits and outlier labels.
"""

from .compare import LABELS, POLARITIES, compare_with_benchmark, direction_of_travel, significance_labels
from .funnel import (
    denominator_from_rate,
    funnel_denominators,
    funnel_events,
    funnel_limits_proportion,
    funnel_limits_rate,
    funnel_significance,
)
from .inequality import (
    N_LSOA_ENGLAND_IMD2019,
    N_LSOA_ENGLAND_IMD2025,
    SIIResult,
    deprivation_spread,
    rank_by_inequality,
    relative_index_of_inequality,
    slope_index_of_inequality,
)
from .intervals import (
    byars_ci,
    byars_lower,
    byars_upper,
    dobson_dsr,
    exact_poisson_ci,
    proportion_table,
    rate_table,
    wilson_ci,
)
from .trends import (
    OnTrackResult,
    TooFewPoints,
    TrendGap,
    TrendNotFitted,
    TrendResult,
    fit_trend,
    forecast,
    on_track,
    required_annual_change,
    try_fit_trend,
)

__all__ = [
    "LABELS",
    "N_LSOA_ENGLAND_IMD2019",
    "N_LSOA_ENGLAND_IMD2025",
    "POLARITIES",
    "OnTrackResult",
    "SIIResult",
    "TooFewPoints",
    "TrendGap",
    "TrendNotFitted",
    "TrendResult",
    "try_fit_trend",
    "byars_ci",
    "byars_lower",
    "byars_upper",
    "compare_with_benchmark",
    "denominator_from_rate",
    "deprivation_spread",
    "dobson_dsr",
    "exact_poisson_ci",
    "fit_trend",
    "forecast",
    "funnel_denominators",
    "funnel_events",
    "funnel_limits_proportion",
    "funnel_limits_rate",
    "funnel_significance",
    "on_track",
    "proportion_table",
    "rank_by_inequality",
    "rate_table",
    "relative_index_of_inequality",
    "required_annual_change",
    "significance_labels",
    "direction_of_travel",
    "slope_index_of_inequality",
    "wilson_ci",
]
