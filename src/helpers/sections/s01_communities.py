"""Briefing 01 - Communities and Covid recovery (manifesto section 1): the section's analysis functions.

Pure functions on frames (selections, shares, recovery summaries, aggregation, verdict rules); the
notebook ``notebooks/01_communities.ipynb`` loads the data and calls these. Interval and trend maths
come from :mod:`helpers.stats` only.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import charts
from ..stats import compare_with_benchmark, deprivation_spread, fit_trend, forecast, wilson_ci
from ..stats.trends import TrendResult

#: Pre-pandemic baseline year for the claimant rate (the last full calendar year before Covid).
BASELINE_YEAR = 2019
#: The fuel-poverty definition changed from LIHC to LILEE with the 2019 data year.
FUEL_POVERTY_BREAK = 2019


# --- small areas ------------------------------------------------------------------------------------


def lsoa_frame(
    imd: pd.DataFrame, lookup: pd.DataFrame, scores: pd.DataFrame | None, council_of_la: pd.Series, table: pd.DataFrame
) -> pd.DataFrame:
    """One row per English LSOA (2011) with its current council, county (or the council itself if
    single-tier), region code and England, plus IMD ranks/deciles, populations and (optionally) the
    income and employment deprivation scores (% of residents / working-age residents deprived).

    ``council_of_la`` maps 3-letter council codes to current GSS codes (``areas.gss_for_la_codes``);
    ``table`` is ``areas.areas_table()`` (code, kind, region, parent) with ``region_code`` added.
    """
    out = imd.merge(lookup[["lsoa_code", "la_code"]], on="lsoa_code", how="left", validate="one_to_one")
    out["council"] = council_of_la.reindex(out["la_code"]).to_numpy()
    t = table.set_index("code")
    parent = out["council"].map(t["parent"])
    out["county"] = parent.where(parent.notna(), out["council"])
    out["region_code"] = out["council"].map(t["region_code"])
    out["england"] = "E92000001"
    if scores is not None:
        out = out.merge(
            scores[["lsoa_code", "income_score", "employment_score"]], on="lsoa_code", how="left", validate="one_to_one"
        )
    return out


def targeting_shares(
    lsoa: pd.DataFrame,
    group: str,
    population: str = "population",
    rank: str = "imd_rank",
    decile: str = "imd_decile",
    local_fraction: float = 0.2,
    england_deciles: int = 2,
) -> pd.DataFrame:
    """How a need-based formula would split money among the groups (e.g. a county's districts).

    ``lsoa`` holds the small areas of ONE pool (e.g. one county), one row each, with the group, the
    national rank (1 = most deprived in England), national decile and population.

    Per group (units in brackets):
      * ``n_lsoa`` (count) and ``population`` (persons); ``population_share`` (proportion of the pool);
      * ``n_local_most_deprived``: the group's LSOAs among the pool's own most deprived ``local_fraction``
        of LSOAs - the pool's LSOAs ranked by national rank, the first ``floor(local_fraction * N)``
        (count); ``share_local_most_deprived``: that count over the pool's total (proportion);
      * ``n_england_most_deprived``: LSOAs in England's most deprived ``england_deciles`` deciles (count);
        ``share_england_most_deprived``: proportion of the pool's such LSOAs (NaN if the pool has none);
      * ``need_ratio_local`` / ``need_ratio_england``: share of deprived LSOAs / population share
        (>1 means a deprivation-weighted formula would give the group more than a per-head one).

    The shares sum to 1 over the groups of a pool.
    """
    needed = [group, population, rank, decile]
    missing = [c for c in needed if c not in lsoa.columns]
    if missing:
        raise ValueError(f"lsoa is missing columns {missing}")
    if not 0 < local_fraction <= 1:
        raise ValueError("local_fraction must be in (0, 1], e.g. 0.2 for the most deprived 20%")
    d = lsoa[needed].copy()
    n_local = int(np.floor(local_fraction * len(d) + 1e-9))
    order = d[rank].rank(method="first")
    d["local"] = order <= n_local
    d["england"] = d[decile] <= england_deciles
    out = (
        d.groupby(group, sort=True)
        .agg(
            n_lsoa=(rank, "size"),
            population=(population, "sum"),
            n_local_most_deprived=("local", "sum"),
            n_england_most_deprived=("england", "sum"),
        )
        .reset_index()
    )
    out["population_share"] = out["population"] / out["population"].sum()
    total_local, total_eng = out["n_local_most_deprived"].sum(), out["n_england_most_deprived"].sum()
    out["share_local_most_deprived"] = out["n_local_most_deprived"] / total_local if total_local else np.nan
    out["share_england_most_deprived"] = out["n_england_most_deprived"] / total_eng if total_eng else np.nan
    out["need_ratio_local"] = out["share_local_most_deprived"] / out["population_share"]
    out["need_ratio_england"] = out["share_england_most_deprived"] / out["population_share"]
    return out


def deprivation_profile(lsoa: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per group: population-weighted income deprivation rate (% of residents income-deprived),
    employment deprivation rate (% of working-age residents), and the % of residents living in England's
    most deprived 10% / 20% of LSOAs on the IMD, income and employment domains (via
    :func:`helpers.stats.deprivation_spread`). Output keyed by ``area_code``."""
    d = lsoa.dropna(subset=[group])
    g = d.groupby(group)
    pop, work = g["population"].sum(), g["population_working_age"].sum()
    out = pd.DataFrame(
        {
            "population": pop,
            "income_rate": (d["income_score"] * d["population"]).groupby(d[group]).sum() / pop,
            "employment_rate": (d["employment_score"] * d["population_working_age"]).groupby(d[group]).sum() / work,
        }
    )
    for domain in ("imd", "income", "employment"):
        spread = deprivation_spread(
            d, group=group, rank=f"{domain}_rank", decile=f"{domain}_decile", population="population", n_england=32844
        ).set_index(group)
        out[f"{domain}_share_20"] = spread["share_most_deprived_20"]
        if domain == "imd":
            out["imd_share_10"] = spread["share_most_deprived_10"]
            out["imd_rank_iqr_pct"] = spread["rank_iqr_pct"]
    return out.rename_axis("area_code").reset_index()


# --- Covid shock and recovery in the claimant rate ----------------------------------------------------


@dataclass
class Recovery:
    """The claimant-rate shock and recovery of one area (values in % of residents aged 16-64)."""

    baseline_year: int
    baseline: float
    peak_year: int
    peak: float
    latest_year: int
    latest: float
    status: str
    share_recovered: float  # (peak - latest) / (peak - baseline): 1 = fully back, 0 = no fall from the peak

    @property
    def gap(self) -> float:
        """Latest minus pre-pandemic level (percentage points; > 0 means still above)."""
        return self.latest - self.baseline


def recovery_summary(
    series: pd.DataFrame, baseline_year: int = BASELINE_YEAR, year: str = "year", value: str = "value"
) -> Recovery:
    """Shock and recovery of an annual series against its pre-pandemic ``baseline_year``.

    Peak = the highest value after the baseline year (the latest such year if tied). Status:
    "back to pre-pandemic level" if latest <= baseline; "partly recovered" if latest is below the peak;
    "not recovered" otherwise; "no Covid rise" if the series never rose above the baseline.
    """
    s = series.dropna(subset=[value]).sort_values(year)
    if baseline_year not in set(s[year]):
        raise ValueError(f"the series has no value for the baseline year {baseline_year}")
    base = float(s.loc[s[year] == baseline_year, value].iloc[0])
    after = s[s[year] > baseline_year]
    if after.empty:
        raise ValueError(f"the series has no values after {baseline_year}")
    top = after[value].max()
    peak_row = after[after[value] == top].iloc[-1]
    last = after.iloc[-1]
    peak, latest = float(peak_row[value]), float(last[value])
    if peak <= base:
        status, recovered = "no Covid rise", np.nan
    else:
        recovered = (peak - latest) / (peak - base)
        status = (
            "back to pre-pandemic level" if latest <= base else "partly recovered" if latest < peak else "not recovered"
        )
    return Recovery(baseline_year, base, int(peak_row[year]), peak, int(last[year]), latest, status, float(recovered))


def recovery_trend(
    series: pd.DataFrame, recovery: Recovery, horizon: int = 3, year: str = "year", value: str = "value"
) -> tuple[TrendResult | None, pd.DataFrame | None, str]:
    """Fit a linear (OLS) trend to the post-peak years and project it ``horizon`` years with a 95%
    prediction interval. Post-peak = the years after the peak (from the peak itself if that gives fewer
    than 3 points). Returns (trend, forecast, direction) where direction is "still falling" (95% CI of
    the slope below 0), "rising again" (above 0), "flat" (CI spans 0) or "too few points"."""
    s = series.dropna(subset=[value]).sort_values(year)
    post = s[s[year] > recovery.peak_year]
    if len(post) < 3:
        post = s[s[year] >= recovery.peak_year]
    if len(post) < 3:
        return None, None, "too few points"
    trend = fit_trend(post[year], post[value], kind="ols")
    years = np.arange(int(post[year].min()), recovery.latest_year + horizon + 1)
    fc = forecast(trend, years)
    direction = "still falling" if trend.slope_upper < 0 else "rising again" if trend.slope_lower > 0 else "flat"
    return trend, fc, direction


def projected_return_year(fc: pd.DataFrame | None, baseline: float, after_year: int) -> int | None:
    """First projected year after ``after_year`` whose fitted mean is at or below the baseline."""
    if fc is None:
        return None
    hit = fc[(fc["year"] > after_year) & (fc["mean"] <= baseline)]
    return int(hit["year"].iloc[0]) if len(hit) else None


def recovery_table(
    claimant: pd.DataFrame, codes: list[str], names: dict[str, str], baseline_year: int = BASELINE_YEAR
) -> pd.DataFrame:
    """One row per area: 2019 level, peak, latest, gap, status and the post-peak trend (pp per year, 95% CI)."""
    rows = []
    for code in codes:
        s = claimant[claimant["area_code"] == code]
        if s.empty or baseline_year not in set(s["year"]):
            continue
        r = recovery_summary(s, baseline_year)
        trend, _, direction = recovery_trend(s, r)
        rows.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "pre-pandemic (2019) %": r.baseline,
                "peak year": r.peak_year,
                "peak %": r.peak,
                "latest year": r.latest_year,
                "latest %": r.latest,
                "gap to 2019 (pp)": r.gap,
                "share of rise reversed": r.share_recovered,
                "status": r.status,
                "post-peak trend (pp/yr)": trend.slope if trend else np.nan,
                "trend lower": trend.slope_lower if trend else np.nan,
                "trend upper": trend.slope_upper if trend else np.nan,
                "trend": direction,
            }
        )
    return pd.DataFrame(rows)


# --- fuel poverty -------------------------------------------------------------------------------------


def fuel_poverty_aggregate(
    lihc: pd.DataFrame, lilee: pd.DataFrame, members: dict[str, list[str]], strict: bool = True
) -> pd.DataFrame:
    """Fuel poverty for groups of councils (a county = its districts; a region; England; a council = itself).

    ``lihc`` (2010-2019 file) and ``lilee`` (2020-2021 counts) must carry harmonised current council codes
    in ``area_code``. Per group and year: for 2020-2021 households and fuel-poor households are summed
    (exact) and a Wilson 95% interval is added; for 2010-2019 (percentages only) the councils' values are
    weighted by their 2020 household counts (an approximation, flagged ``weighted_2020``). With ``strict``
    a group with a member missing from a year is left out of that year rather than partly summed; without
    it (regions, England) the members present are used and ``coverage`` gives the share of 2020 households
    they hold."""
    hh2020 = lilee[lilee["year"] == 2020].groupby("area_code")["denominator"].sum()
    lilee = lilee.groupby(["area_code", "year"], as_index=False)[["numerator", "denominator"]].sum(min_count=1)
    # former districts merged into one current council: unweighted mean (no household counts before 2020)
    lihc_one = lihc.groupby(["area_code", "year"], as_index=False)["value"].mean()
    rows = []
    for code, codes in members.items():
        codes = list(dict.fromkeys(codes))
        for yr, part in lilee[lilee["area_code"].isin(codes)].groupby("year"):
            if strict and set(part["area_code"]) != set(codes):
                continue
            x, n = part["numerator"].sum(), part["denominator"].sum()
            lo, hi = wilson_ci(x, n, multiplier=100)
            rows.append(
                {
                    "area_code": code,
                    "year": int(yr),
                    "value": 100 * x / n,
                    "lower": lo,
                    "upper": hi,
                    "numerator": x,
                    "denominator": n,
                    "definition": "LILEE",
                    "weighted_2020": False,
                    "coverage": hh2020.reindex(part["area_code"]).sum() / hh2020.reindex(codes).sum(),
                }
            )
        for yr, part in lihc_one[lihc_one["area_code"].isin(codes)].groupby("year"):
            part = part.dropna(subset=["value"])
            if part.empty or (strict and set(part["area_code"]) != set(codes)):
                continue
            w = hh2020.reindex(part["area_code"]).to_numpy(dtype=float)
            if len(codes) > 1 and np.isnan(w).any():
                if strict:
                    continue
                part, w = part[~np.isnan(w)], w[~np.isnan(w)]
            value = float(np.average(part["value"], weights=w)) if len(codes) > 1 else float(part["value"].iloc[0])
            rows.append(
                {
                    "area_code": code,
                    "year": int(yr),
                    "value": value,
                    "lower": np.nan,
                    "upper": np.nan,
                    "numerator": np.nan,
                    "denominator": np.nan,
                    "definition": "LIHC" if yr < FUEL_POVERTY_BREAK else "LILEE",
                    "weighted_2020": len(codes) > 1,
                    "coverage": np.nansum(w) / hh2020.reindex(codes).sum() if len(codes) > 1 else 1.0,
                }
            )
    return pd.DataFrame(rows).sort_values(["area_code", "year"]).reset_index(drop=True)


def fuel_poverty_chart(frame: pd.DataFrame, names: dict[str, str], highlight: list[str], *, title: str):
    """Fuel poverty over time, one line per area, drawn separately on each definition (LIHC 2010-2018,
    LILEE 2019-2021) with a dashed vertical line at the break, and 95% Wilson whiskers where counts exist."""
    fig, ax = plt.subplots(figsize=(8, 4.8))
    palette = {c: charts.CATEGORICAL[i % len(charts.CATEGORICAL)] for i, c in enumerate(highlight)}
    for code in frame["area_code"].unique():
        d = frame[frame["area_code"] == code].sort_values("year")
        colour = palette.get(code, charts.CONTEXT)
        for definition, seg in d.groupby("definition"):
            ax.plot(
                seg["year"],
                seg["value"],
                marker="o",
                markersize=3,
                color=colour,
                linewidth=2 if code in palette else 1,
                zorder=3 if code in palette else 2,
            )
            ci = seg.dropna(subset=["lower", "upper"])
            if len(ci) and code in palette:
                ax.errorbar(
                    ci["year"],
                    ci["value"],
                    yerr=[ci["value"] - ci["lower"], ci["upper"] - ci["value"]],
                    fmt="none",
                    ecolor=colour,
                    elinewidth=1,
                    capsize=2,
                )
        if code in palette:
            ax.annotate(
                names.get(code, code),
                (d["year"].iloc[-1], d["value"].iloc[-1]),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=8,
                color=colour,
                va="center",
            )
    ax.axvline(FUEL_POVERTY_BREAK - 0.5, color="#3D3D3D", linestyle="--", linewidth=1)
    top = ax.get_ylim()[1]
    ax.text(FUEL_POVERTY_BREAK - 0.55, top, "LIHC definition ", ha="right", va="top", fontsize=8)
    ax.text(
        FUEL_POVERTY_BREAK - 0.45, top, " LILEE definition\n (break: not comparable)", ha="left", va="top", fontsize=8
    )
    ax.set_xlim(frame["year"].min() - 0.5, frame["year"].max() + 2.5)
    ax.set_xlabel("Data year")
    ax.set_ylabel("Households in fuel poverty (%)")
    ax.set_title(title)
    return fig


def targeting_chart(shares: pd.DataFrame, label: str, *, title: str):
    """Grouped horizontal bars per group: share of population, of the pool's own most deprived 20% of
    small areas and of England's most deprived 20% (percentages, labelled at the bar ends)."""
    cols = [
        ("population_share", "Share of population"),
        ("share_local_most_deprived", "Share of the area's own most deprived 20% of LSOAs"),
        ("share_england_most_deprived", "Share of its LSOAs in England's most deprived 20%"),
    ]
    d = shares.sort_values("population_share")
    fig, ax = plt.subplots(figsize=(8, max(3, 0.9 * len(d) + 1.2)))
    y = np.arange(len(d))
    h = 0.26
    for i, (col, lab) in enumerate(cols):
        vals = 100 * d[col].fillna(0).to_numpy()
        ax.barh(y + (1 - i) * h, vals, height=h, color=charts.CATEGORICAL[i], label=lab)
        for yi, v in zip(y + (1 - i) * h, vals):
            ax.text(v, yi, f" {v:.0f}%", va="center", fontsize=7, color="#3D3D3D")
    ax.set_yticks(y, d[label])
    ax.set_xlabel("Share of the area total (%)")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(title)
    return fig


# --- verdict and status rules ------------------------------------------------------------------------


def verdict_named_more_deprived(
    profile: pd.DataFrame, named: list[str], reference: list[str], measure: str = "imd_share_20", factor: float = 2.0
) -> tuple[str, str]:
    """Are the ``named`` areas (rows of ``profile`` indexed by name) much more deprived than ``reference``?

    Supported: every named area's ``measure`` is at least ``factor`` times the highest reference value
    (or positive when the references are all 0). Partly supported: every named area is above the highest
    reference but not all by that factor, or only some named areas are above it. Not supported: none is.
    """
    ref = profile.loc[reference, measure].max()
    vals = profile.loc[named, measure]
    above = vals > ref
    much = vals >= factor * ref if ref > 0 else vals > 0
    if much.all():
        verdict = "supported"
    elif above.any():
        verdict = "partly supported"
    else:
        verdict = "not supported"
    parts = ", ".join(f"{n} {v:.1f}%" for n, v in vals.items())
    refs = ", ".join(f"{n} {profile.loc[n, measure]:.1f}%" for n in reference)
    return verdict, f"residents in England's most deprived 20% of small areas: {parts}; vs {refs}"


def verdict_rank(rank: int, n: int) -> str:
    """'supported' if in the top quarter of ``n`` (rank 1 = most), 'partly supported' if in the top half."""
    if rank <= n / 4:
        return "supported"
    if rank <= n / 2:
        return "partly supported"
    return "not supported"


def verdict_rise(lower: float, upper: float, before: float) -> str:
    """A claimed rise: 'supported' if the later interval lies wholly above the earlier value, else
    'not supported' (similar or lower), via :func:`helpers.stats.compare_with_benchmark`."""
    label = compare_with_benchmark(lower, upper, before, polarity="no_judgement")
    return {"higher": "supported", "similar": "not supported", "lower": "not supported"}.get(
        label, "cannot be tested with public data"
    )


def verdict_deprivation_gradient(lower: float, upper: float) -> str:
    """The claim that Covid hit the low-paid hardest, tested by the slope of the Covid rise in claims on
    income deprivation across councils (95% CI): a positive slope can only *partly* support it, because it
    links places, not individual workers; a slope not above zero does not support it."""
    if np.isnan(lower) or np.isnan(upper):
        return "cannot be tested with public data"
    return "partly supported" if lower > 0 else "not supported"


#: Words for a Fingertips comparison label in a sentence ("better than England's 13.1%").
COMPARISON_PHRASE = {
    "better": "better than",
    "worse": "worse than",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
    "not compared": "not compared with",
}


def status_from_trend(trend: TrendResult | None, polarity: str = "lower_is_better") -> str:
    """Pledge status from a trend's 95% CI: the whole interval in the good direction -> 'on track';
    wholly in the bad direction -> 'off track'; spanning 0 -> 'uncertain'; no trend -> 'baseline only'."""
    if trend is None:
        return "baseline only"
    good_down = polarity == "lower_is_better"
    if (trend.slope_upper < 0) if good_down else (trend.slope_lower > 0):
        return "on track"
    if (trend.slope_lower > 0) if good_down else (trend.slope_upper < 0):
        return "off track"
    return "uncertain"


def recovery_status(recovery: Recovery, direction: str) -> str:
    """Pledge status for Covid recovery: back at the 2019 level -> 'on track'; still falling -> 'uncertain'
    (recovering, not yet back); flat or rising while above 2019 -> 'off track'."""
    if recovery.status in ("back to pre-pandemic level", "no Covid rise"):
        return "on track"
    if direction == "still falling":
        return "uncertain"
    if direction == "too few points":
        return "baseline only"
    return "off track"
