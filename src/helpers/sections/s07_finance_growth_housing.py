"""Briefing 07 - Finance, growth, housing and pay (manifesto section 7): the section's analysis functions.

Pure functions on frames (selections, dispersion across districts, funding change, verdict rules); the
notebook ``notebooks/07_finance_growth_housing.ipynb`` loads the data and calls these. Interval and trend
maths come from :mod:`helpers.stats` only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import compare_with_benchmark, fit_trend
from ..stats.compare import direction_of_travel  # noqa: F401  (re-exported for notebooks)
from ..stats.trends import TrendResult

ELS = "ons_explore_local_statistics"
SPEND = "la_spending_power_2011_12_to_2020_21"
POP = "la_population_totals_2005_2020"
AFFORD = "housing-affordability-ratio"
NET_ADD = "net-additions-to-the-housing-stock"
PAY = "gross-median-weekly-pay"
GDHI = "gross-disposable-household-income-per-head"
EMP = "employment-rate"
APPS = "apprenticeships"
#: Financial years (first calendar year) of the two consistent spending-power series.
OLD_SERIES = (2011, 2015)  # 'spending power', 2011-12 to 2015-16
NEW_SERIES = (2016, 2020)  # 'core spending power', 2016-17 to 2020-21


# --- selections ------------------------------------------------------------------------------------


def one_per_year(frame: pd.DataFrame, code: str, indicator: str | None = None) -> pd.DataFrame:
    """The rows of one area (optionally one indicator), one per year (first kept), sorted by year."""
    d = frame[frame["area_code"] == code]
    if indicator is not None:
        d = d[d["indicator"] == indicator]
    return d.dropna(subset=["value"]).drop_duplicates("year").sort_values("year").reset_index(drop=True)


def value_in(frame: pd.DataFrame, code: str, year: int, column: str = "value") -> float:
    """The value of one area in one year (NaN if absent)."""
    d = frame[(frame["area_code"] == code) & (frame["year"] == year)].dropna(subset=["value"])
    return float(d[column].iloc[0]) if len(d) else float("nan")


def latest_table(
    frame: pd.DataFrame,
    codes: list[str],
    names: dict[str, str],
    year: int,
    benchmark_code: str,
    polarity: str = "higher_is_better",
) -> pd.DataFrame:
    """One row per area present in ``year`` (order of ``codes`` kept): value, 95% limits where published,
    and the comparison with the benchmark area's value (``helpers.stats.compare_with_benchmark``)."""
    d = frame[(frame["year"] == year) & frame["area_code"].isin(codes)].dropna(subset=["value"])
    d = d.drop_duplicates("area_code").set_index("area_code")
    d = d.reindex([c for c in codes if c in d.index]).reset_index()
    bench = value_in(frame, benchmark_code, year)
    d["name"] = d["area_code"].map(names).fillna(d["area_name"])
    d["vs_england"] = compare_with_benchmark(d["lower"], d["upper"], bench, polarity)
    d["gap_to_england"] = d["value"] - bench
    return d[["area_code", "name", "year", "value", "lower", "upper", "gap_to_england", "vs_england"]]


# --- is growth spread fairly? dispersion across districts -----------------------------------------------


def dispersion_by_year(frame: pd.DataFrame, codes: list[str], value: str = "value", year: str = "year") -> pd.DataFrame:
    """Spread of a value across a set of areas (e.g. GDHI per head across a county's districts), by year.

    Only years in which every area in ``codes`` has a value are kept. Per year: ``n`` areas, ``mean``,
    ``sd`` (population SD, ddof=0), ``cv`` = 100 * sd / mean (coefficient of variation, %), ``max_min_ratio``
    (highest / lowest value), ``range`` (highest - lowest), and the codes of the highest and lowest areas.
    """
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ValueError("codes is empty: pass at least two areas")
    d = frame[frame["area_code"].isin(codes)].dropna(subset=[value]).drop_duplicates(["area_code", year])
    rows = []
    for y, g in d.groupby(year, sort=True):
        if len(g) < len(codes):
            continue
        v = g[value].to_numpy(dtype=float)
        hi, lo = g.loc[g[value].idxmax(), "area_code"], g.loc[g[value].idxmin(), "area_code"]
        rows.append(
            {
                "year": int(y),
                "n": len(v),
                "mean": v.mean(),
                "sd": v.std(ddof=0),
                "cv": 100 * v.std(ddof=0) / v.mean(),
                "max_min_ratio": v.max() / v.min(),
                "range": v.max() - v.min(),
                "max_code": hi,
                "min_code": lo,
            }
        )
    return pd.DataFrame(
        rows, columns=["year", "n", "mean", "sd", "cv", "max_min_ratio", "range", "max_code", "min_code"]
    )


def dispersion_trend(
    disp: pd.DataFrame, measure: str = "cv", since: int | None = None
) -> tuple[TrendResult | None, str]:
    """OLS trend of a dispersion measure over the years (from ``since``), and its direction:
    "widening" (95% CI of the slope above 0), "narrowing" (below 0), "no clear change" (CI spans 0),
    or "too few points" (fewer than 3 years)."""
    d = disp if since is None else disp[disp["year"] >= since]
    d = d.dropna(subset=[measure])
    if len(d) < 3:
        return None, "too few points"
    trend = fit_trend(d["year"], d[measure], kind="ols")
    return trend, trend_direction(trend, up="widening", down="narrowing")


def trend_direction(
    trend: TrendResult, up: str = "rising", down: str = "falling", flat: str = "no clear change"
) -> str:
    """Word for a fitted trend from the 95% CI of its slope: above 0 -> ``up``, below 0 -> ``down``."""
    if trend.slope_lower > 0:
        return up
    if trend.slope_upper < 0:
        return down
    return flat


# --- council funding ----------------------------------------------------------------------------------


def spending_per_head(spend: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Spending power per resident (£): ``spend`` (area_code, year, value in £m) joined to ``population``
    (area_code, year, population; the mid-year at the start of the financial year)."""
    pop = population.dropna(subset=["area_code"]).drop_duplicates(["area_code", "year"])
    out = spend.merge(pop[["area_code", "year", "population"]], on=["area_code", "year"], how="left")
    out["per_head"] = out["value"] * 1e6 / out["population"]
    return out


def pct_change(series: pd.DataFrame, start: int, end: int, value: str = "value") -> float:
    """Percentage change of ``value`` from year ``start`` to ``end`` (NaN if either is missing)."""
    s = series.dropna(subset=[value]).drop_duplicates("year").set_index("year")[value]
    if start not in s.index or end not in s.index or s[start] == 0:
        return float("nan")
    return float(100 * (s[end] / s[start] - 1))


def england_total_change(spend: pd.DataFrame, start: int, end: int) -> float:
    """Percentage change in the sum of all councils' spending power between two years (the England total;
    councils that merged in between enter through their successors)."""
    tot = spend.groupby("year")["value"].sum()
    if start not in tot.index or end not in tot.index:
        return float("nan")
    return float(100 * (tot[end] / tot[start] - 1))


def funding_claim_verdict(old_change: float, new_change: float, england_new_change: float) -> tuple[str, str]:
    """Verdict on 'the council has faced financial challenges from the loss of Revenue Support Grant'.

    Rule (cash £, two consistent series): test 1 - spending power fell over 2011-12 to 2015-16 (the
    years the grant was cut hardest); test 2 - core spending power grew less than England's total over
    2016-17 to 2020-21. Both -> "supported"; one -> "partly supported"; neither -> "not supported";
    a missing input -> "cannot be tested with public data". Returns (verdict, reason).
    """
    if any(v is None or np.isnan(v) for v in (old_change, new_change, england_new_change)):
        return "cannot be tested with public data", "the council has no complete spending power series"
    fell = old_change < 0
    lagged = new_change < england_new_change
    reason = (
        f"spending power {'fell' if fell else 'did not fall'} in cash terms in 2011-12 to 2015-16 "
        f"({old_change:+.1f}%), and core spending power grew {'less' if lagged else 'no less'} than "
        f"England's in 2016-17 to 2020-21 ({new_change:+.1f}% against {england_new_change:+.1f}%)"
    )
    verdict = "supported" if fell and lagged else "partly supported" if fell or lagged else "not supported"
    return verdict, reason


# direction_of_travel lives in helpers.stats.compare (shared by every section)
