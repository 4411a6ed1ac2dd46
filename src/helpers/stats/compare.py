"""Compare an area's confidence interval with a benchmark, Fingertips style.

Fingertips colours an area by whether its confidence interval lies wholly above,
wholly below, or overlaps the benchmark (usually England), then words the result
according to the indicator's polarity. Source: OHID Fingertips technical guidance,
"Comparing to a benchmark" (confidence-interval overlap with a point benchmark).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._validate import as_float_array, broadcast

#: The three polarities Fingertips uses.
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")

#: Words used for each polarity, ordered (interval above, overlapping, below the benchmark).
LABELS = {
    "higher_is_better": ("better", "similar", "worse"),
    "lower_is_better": ("worse", "similar", "better"),
    "no_judgement": ("higher", "similar", "lower"),
}

#: Label given when either limit is missing.
NOT_COMPARED = "not compared"


def _check_polarity(polarity: str) -> tuple[str, str, str]:
    if polarity not in LABELS:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)} (got {polarity!r})")
    return LABELS[polarity]


def compare_with_benchmark(lower: Any, upper: Any, benchmark: Any, polarity: str = "higher_is_better"):
    """Label each interval as better/similar/worse (or higher/similar/lower) than a benchmark.

    Rule (units: whatever the limits and benchmark share, e.g. per 100,000)::

        upper < benchmark  -> interval wholly below  -> "worse"  if higher is better
        lower > benchmark  -> interval wholly above  -> "better" if higher is better
        otherwise          -> "similar"

    With ``polarity="lower_is_better"`` the words swap; with ``"no_judgement"`` the
    labels are "higher"/"similar"/"lower". A missing (NaN) limit or benchmark gives
    "not compared". Pass the 95% limits for the usual Fingertips RAG comparison, or the
    99.8% limits for the stricter one.

    Source: OHID Fingertips technical guidance, benchmarking by confidence intervals.

    Returns:
        A string for scalar input, a Series (same index) for Series input, else an
        object numpy array.

    Raises:
        ValueError: unknown polarity (message lists the three valid values).
    """
    above, same, below = _check_polarity(polarity)
    lo = as_float_array(lower, "lower")
    hi = as_float_array(upper, "upper")
    bench = as_float_array(benchmark, "benchmark")
    lo, hi, bench = broadcast(lo, hi, bench, names=("lower", "upper", "benchmark"))
    missing = np.isnan(lo) | np.isnan(hi) | np.isnan(bench)
    labels = np.select(
        [missing, hi < bench, lo > bench],
        [NOT_COMPARED, below, above],
        default=same,
    ).astype(object)
    for item in (lower, upper, benchmark):
        if isinstance(item, pd.Series):
            return pd.Series(labels, index=item.index, dtype=object)
    if labels.ndim == 0:
        return str(labels[()])
    return labels


def significance_labels(df: pd.DataFrame, benchmark: Any, polarity: str = "higher_is_better") -> pd.DataFrame:
    """Add ``vs_benchmark_95`` and ``vs_benchmark_998`` to a copy of ``df``.

    ``df`` needs the columns ``lower_95, upper_95, lower_998, upper_998`` made by
    :func:`helpers.stats.proportion_table` or :func:`helpers.stats.rate_table`.
    ``benchmark`` may be one number (e.g. the England value) or one per row.

    Source: see :func:`compare_with_benchmark`.
    """
    _check_polarity(polarity)
    needed = ["lower_95", "upper_95", "lower_998", "upper_998"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"df is missing columns {missing}; build it with proportion_table or rate_table first")
    out = df.copy()
    bench = benchmark.to_numpy() if isinstance(benchmark, pd.Series) else benchmark
    for suffix in ("95", "998"):
        labels = compare_with_benchmark(
            out[f"lower_{suffix}"].to_numpy(dtype=float, na_value=np.nan),
            out[f"upper_{suffix}"].to_numpy(dtype=float, na_value=np.nan),
            bench,
            polarity,
        )
        out[f"vs_benchmark_{suffix}"] = np.array(np.broadcast_to(np.asarray(labels, dtype=object), (len(out),)))
    return out


def direction_of_travel(first: float, last: float, polarity: str = "higher_is_better", tolerance: float = 0.0) -> str:
    """Direction between two values of an indicator, judged by its polarity.

    Returns "improving" / "worsening" / "no change" ("rising" / "falling" for "no_judgement"),
    or "not known" when either value is missing. Changes within ``tolerance`` (same units as the
    values) count as "no change". Used for the pledge tracker's direction column.
    """
    _check_polarity(polarity)
    if first is None or last is None or np.isnan(first) or np.isnan(last):
        return "not known"
    change = last - first
    if abs(change) <= tolerance:
        return "no change"
    if polarity == "no_judgement":
        return "rising" if change > 0 else "falling"
    good = change > 0 if polarity == "higher_is_better" else change < 0
    return "improving" if good else "worsening"
