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

from .. import charts, national, verdicts
from ..claims import claim_test
from ..stats import deprivation_spread, fit_trend, forecast, try_fit_trend, wilson_ci
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
    than 3 points). Returns (trend, forecast, direction): the direction of a claimant rate (lower is better)
    from :func:`helpers.verdicts.trend_direction` (improving / worsening only when the slope's 95% interval
    excludes no change), or "not known" with fewer than 3 points."""
    s = series.dropna(subset=[value]).sort_values(year)
    post = s[s[year] > recovery.peak_year]
    if len(post) < 3:
        post = s[s[year] >= recovery.peak_year]
    if len(post) < 3:
        return None, None, verdicts.DIRECTIONS[-1]
    trend = fit_trend(post[year], post[value], kind="ols")
    years = np.arange(int(post[year].min()), recovery.latest_year + horizon + 1)
    fc = forecast(trend, years)
    return trend, fc, verdicts.trend_direction(trend, "lower_is_better")


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
        for _definition, seg in d.groupby("definition"):
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
        for yi, v in zip(y + (1 - i) * h, vals, strict=True):
            ax.text(v, yi, f" {v:.0f}%", va="center", fontsize=7, color="#3D3D3D")
    ax.set_yticks(y, d[label])
    ax.set_xlabel("Share of the area total (%)")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(title)
    return fig


#: Words for a Fingertips comparison label in a sentence ("better than England's 13.1%").
COMPARISON_PHRASE = {
    "better": "better than",
    "worse": "worse than",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
    "not compared": "not compared with",
}


# --- the register's tests (manifestos/<id>/01_communities.yaml) -------------------------------------------
#
# Each takes the run's context (``ctx.area``) and the register's parameters and returns a helpers.verdicts
# Outcome; the verdict and status words come from helpers.verdicts only. Loads are cached per process.

#: Covid years left out of post-pandemic trends (breaks of kind "exclude"), with the reason shown to readers.
COVID_BREAKS = [
    {"year": 2020, "kind": "exclude", "reason": "Covid: claims rose with lockdowns and furlough"},
    {"year": 2021, "kind": "exclude", "reason": "Covid: furlough ran to September 2021"},
]


@national.table
def claimant_rates() -> pd.DataFrame:
    """Annual claimant rate (% of residents aged 16-64) by area and year, ONS Explore Local Statistics."""
    from ..datasets import load

    cc = load("ons_explore_local_statistics", "claimant-count")
    return cc.drop_duplicates(["area_code", "year"])[["area_code", "year", "value"]].reset_index(drop=True)


@national.table
def england_lsoas() -> pd.DataFrame:
    """:func:`lsoa_frame` for England: every IoD2019 small area with its current council, county and region."""
    from .. import areas
    from ..datasets import load

    table = areas.areas_table()
    table["region_code"] = table["region"].map(areas.REGION_CODES)
    councils = table.dropna(subset=["la_code"])
    return lsoa_frame(
        load("imd2019_lsoa_england"),
        load("uk_la_names_codes_hierarchy", "lsoa_lookup"),
        load("imd2019_scores_and_la_composite_mysociety", "lsoa_scores"),
        pd.Series(councils["code"].to_numpy(), index=councils["la_code"].to_numpy()),
        table,
    )


@national.table
def council_profile() -> pd.DataFrame:
    """:func:`deprivation_profile` of every current council, county, region and England (IoD2019), by code."""
    lsoa = england_lsoas()
    return (
        pd.concat([deprivation_profile(lsoa, g) for g in ("council", "county", "region_code", "england")])
        .drop_duplicates("area_code")
        .set_index("area_code")
    )


def covid_rise_model(claimant: pd.DataFrame, income_rate: pd.Series, baseline_year: int = BASELINE_YEAR):
    """OLS across every English district and single-tier council: rise in the claimant rate from
    ``baseline_year`` to its Covid peak (the higher of 2020 and 2021, percentage points) on income deprivation
    (% of residents, IoD2019). Returns (fitted statsmodels results, the frame fitted with columns rise and
    income_rate, indexed by area code)."""
    import statsmodels.api as sm

    lt = claimant[claimant["area_code"].str.match(r"^E0[6-9]") & claimant["year"].isin([baseline_year, 2020, 2021])]
    wide = lt.pivot_table(index="area_code", columns="year", values="value")
    wide["rise"] = wide[[2020, 2021]].max(axis=1) - wide[baseline_year]
    wide = wide.join(income_rate.rename("income_rate"), how="inner").dropna(subset=["rise", "income_rate"])
    model = sm.OLS(wide["rise"], sm.add_constant(wide["income_rate"])).fit()
    return model, wide


@claim_test
def claim_covid_hit_deprived_places_harder(ctx, baseline_year: int = BASELINE_YEAR) -> verdicts.Outcome:
    """ "Covid added to inequality": the slope of the Covid rise in the claimant rate on income deprivation across
    all English councils (:func:`covid_rise_model`), judged above zero with its 95% interval
    (:func:`helpers.verdicts.judge`). It links places, not workers; the council's own rise is in the evidence."""
    cc = claimant_rates()
    model, wide = covid_rise_model(cc, council_profile()["income_rate"], baseline_year)
    slope = float(model.params["income_rate"])
    lo, hi = (float(v) for v in model.conf_int().loc["income_rate"])
    mine = cc[cc["area_code"] == ctx.area.code].set_index("year")["value"]
    own = ""
    if baseline_year in mine.index and ({2020, 2021} & set(mine.index)):
        peak = max(mine.get(y, np.nan) for y in (2020, 2021))
        before = float(mine[baseline_year])
        own = f" {ctx.area.name}'s rate rose {peak - before:.1f} points ({before:.1f}% to {peak:.1f}%)."
    evidence = (
        f"Across {len(wide)} English councils, each extra point of income deprivation went with a {slope:.2f}-point "
        f"larger rise in the claimant rate from {baseline_year} to the 2020-21 peak (95% interval {lo:.2f} to "
        f"{hi:.2f}; {verdicts.p_text(float(model.pvalues['income_rate']))}). This compares places, not workers, "
        f"and unemployment claims, not health risks.{own}"
    )
    return verdicts.claim(
        verdicts.judge(slope, 0.0, claimed="above", lower=lo, upper=hi),
        evidence,
        period=f"{baseline_year} to 2021",
        period_end=2021,
        value=slope,
    )


@claim_test
def pledge_covid_recovery(ctx, baseline_year: int = BASELINE_YEAR, first_year: int = 2020) -> verdicts.Outcome:
    """Covid recovery, tracked by the claimant rate (lower is better) from ``first_year`` with the Covid years of
    :data:`COVID_BREAKS` left out: a trend of 3+ years gives :func:`helpers.verdicts.pledge_from_trend` (no
    target: the status follows the direction), 2 years :func:`~helpers.verdicts.pledge_from_change`. The gap
    to the pre-pandemic ``baseline_year`` is reported in the evidence."""
    s = claimant_rates()
    s = s[s["area_code"] == ctx.area.code].dropna(subset=["value"]).sort_values("year")
    if s.empty:
        raise verdicts.NoData(f"ONS publishes no claimant rate for {ctx.area.name}.")
    used = s[(s["year"] >= first_year) & ~s["year"].isin([b["year"] for b in COVID_BREAKS])]
    last = used.iloc[-1] if len(used) else s.iloc[-1]
    base = s.loc[s["year"] == baseline_year, "value"]
    gap = f"; {baseline_year}: {base.iloc[0]:.1f}%" if len(base) else ""
    latest = f"{last['value']:.1f}% ({int(last['year'])})"
    if len(used) < 2:
        raise verdicts.NoData(f"Fewer than two post-Covid years of claimant rates for {ctx.area.name}.")
    return verdicts.pledge_from_series(
        try_fit_trend(used["year"], used["value"], kind="ols"),
        list(used["value"]),
        polarity="lower_is_better",
        latest=latest,
        evidence=f"Claimant rate {used['value'].iloc[0]:.1f}% in {int(used['year'].iloc[0])} and {latest}{gap}.",
        describe_trend=lambda t: (
            f"Linear trend {t.slope:+.2f} points a year (95% interval {t.slope_lower:+.2f} to "
            f"{t.slope_upper:+.2f}), fitted to {t.years_text} (Covid years 2020-21 left out)."
        ),
        period=f"{int(used['year'].iloc[0])} to {int(last['year'])}",
        period_end=int(last["year"]),
    )


@national.table
def _fuel_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    from .. import areas
    from ..datasets import load

    lihc = load("fuel_poverty_la_2010_2019").copy()
    lilee = load("fuel_poverty_la_2020_2021_lilee").copy()
    lihc["area_code"] = areas.harmonise_codes(lihc["area_code"])
    lilee["area_code"] = areas.harmonise_codes(lilee["area_code"])
    return lihc, lilee


def fuel_poverty_for(members: dict[str, list[str]], strict: bool = True) -> pd.DataFrame:
    """:func:`fuel_poverty_aggregate` on the project's fuel poverty files (codes harmonised to today's councils)."""
    lihc, lilee = _fuel_inputs()
    return fuel_poverty_aggregate(lihc, lilee, members, strict=strict)


@claim_test
def claim_covid_fuel_poverty_rose(ctx, baseline_year: int = 2019) -> verdicts.Outcome:
    """ "Many faced fuel poverty during Covid": the share of households fuel poor (LILEE) in 2020 and in 2021, each
    with its Wilson 95% interval, judged above the ``baseline_year`` (2019, LILEE) value
    (:func:`helpers.verdicts.judge`); the two years are combined with :func:`~helpers.verdicts.combine_periods`.
    A county is the sum of its districts (2019: districts weighted by 2020 household counts, no interval)."""
    from .. import areas

    area = ctx.area
    members = {area.code: [d.code for d in areas.local_areas(area)]}
    fp = fuel_poverty_for(members)
    mine = fp[fp["area_code"] == area.code].set_index("year")
    if baseline_year not in mine.index:
        raise verdicts.NoData(f"No {baseline_year} fuel poverty figure covers all of {area.name}.")
    base = float(mine.loc[baseline_year, "value"])
    outcomes = []
    for yr in (2020, 2021):
        if yr not in mine.index or pd.isna(mine.loc[yr, "lower"]):
            continue
        r = mine.loc[yr]
        outcomes.append(
            (
                yr,
                verdicts.claim(
                    verdicts.judge(float(r["value"]), base, claimed="above", lower=r["lower"], upper=r["upper"]),
                    f"{area.name}: {r['value']:.1f}% of households fuel poor in {yr} (95% interval {r['lower']:.1f} "
                    f"to {r['upper']:.1f}%) against {base:.1f}% in {baseline_year} (LILEE definition).",
                    period=str(yr),
                    period_end=yr,
                    value=float(r["value"]),
                ),
            )
        )
    if not outcomes:
        raise verdicts.NoData(f"No 2020-21 fuel poverty counts cover all of {area.name}.")
    out = verdicts.combine_periods(outcomes, ctx.manifesto_year)
    out.evidence += (
        " The data end in 2021, before the 2022 energy price rise; the intervals treat modelled counts as exact."
    )
    return out


@claim_test
def pledge_child_poverty(ctx, indicator: str = "Children in relative poverty before housing costs") -> verdicts.Outcome:
    """Anti-poverty strategy, tracked by the share of children in relative low income before housing costs
    (DWP/HMRC via ONS; lower is better): a linear trend over the years published (all from 2021-22, so after the
    manifesto) gives :func:`helpers.verdicts.pledge_from_trend`; two years give
    :func:`~helpers.verdicts.pledge_from_change`."""
    from ..datasets import load

    child = load("ons_explore_local_statistics", "children-in-relative-poverty")
    s = (
        child[(child["indicator"] == indicator) & (child["area_code"] == ctx.area.code)]
        .dropna(subset=["value"])
        .drop_duplicates("year")
        .sort_values("year")
    )
    if s.empty:
        raise verdicts.NoData(f"ONS publishes no child poverty figure for {ctx.area.name}.")
    label = {int(y): f"{int(y)}-{(int(y) + 1) % 100:02d}" for y in s["year"]}
    first, last = s.iloc[0], s.iloc[-1]
    latest = f"{last['value']:.1f}% ({label[int(last['year'])]})"
    period = f"{label[int(first['year'])]} to {label[int(last['year'])]}"
    evidence = f"Children in relative low income: {first['value']:.1f}% in {label[int(first['year'])]}, {latest}"
    return verdicts.pledge_from_series(
        try_fit_trend(s["year"], s["value"], kind="ols"),
        list(s["value"]),
        polarity="lower_is_better",
        latest=latest,
        evidence=evidence + ".",
        describe_trend=lambda t: (
            f"Linear trend {t.slope:+.2f} points a year (95% interval {t.slope_lower:+.2f} to "
            f"{t.slope_upper:+.2f}), {len(s)} years. Published without intervals of its own."
        ),
        period=period,
        period_end=int(last["year"]) + 1,
    )


# --- libraries (DCMS basic dataset, 2010 and 2016) ----------------------------------------------------------


def libraries_by_council(authorities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statutory public libraries on 1 April 2010 and 1 July 2016 per current council (and England).

    The 2016 library authorities are mapped to today's councils with :func:`helpers.areas.harmonise_codes`;
    where several merged (Bournemouth and Poole into BCP) their counts are added up (``predecessors`` > 1).
    Counties split since 2016 (Northamptonshire, Cumbria) keep their old codes, so their successors have no
    row. Dorset and BCP are approximate: Christchurch moved from Dorset to BCP in 2019 (``boundary_note``).
    Columns: area_code, statutory_2010, statutory_2016, closed_2010_2016, predecessors, boundary_note."""
    from .. import areas
    from ..datasets import load

    a = load("public_libraries_england_la_2010_2016", "authorities") if authorities is None else authorities
    a = a.assign(current=areas.harmonise_codes(a["area_code"]))
    out = a.groupby("current", as_index=False).agg(
        statutory_2010=("statutory_2010", "sum"),
        statutory_2016=("statutory_2016", "sum"),
        closed_2010_2016=("closed_2010_2016", "sum"),
        predecessors=("area_code", "size"),
    )
    out = out.rename(columns={"current": "area_code"})
    out["boundary_note"] = (
        out["area_code"]
        .map(
            {
                "E06000059": "Christchurch, in Dorset's 2016 library service, has been part of BCP since 2019",
                "E06000058": "Christchurch's libraries were counted with Dorset in 2016",
            }
        )
        .fillna("")
    )
    england = pd.DataFrame(
        [
            {
                "area_code": areas.ENGLAND_CODE,
                "statutory_2010": int(a["statutory_2010"].sum()),
                "statutory_2016": int(a["statutory_2016"].sum()),
                "closed_2010_2016": int(a["closed_2010_2016"].sum()),
                "predecessors": len(a),
                "boundary_note": "",
            }
        ]
    )
    return pd.concat([out, england], ignore_index=True)


@claim_test
def pledge_libraries_open(ctx) -> verdicts.Outcome:
    """Keep all libraries open, tracked by the number of statutory public libraries on 1 April 2010 and
    1 July 2016 (:func:`libraries_by_council`): two counts without an interval, so
    :func:`helpers.verdicts.pledge_from_change` (direction only). The data end in 2016, five years before the
    manifesto: a pre-manifesto baseline, not a record of what happened after 2021."""
    lib = libraries_by_council().set_index("area_code")
    area = ctx.area
    if area.code not in lib.index:
        raise verdicts.NoData(
            f"{area.name} was not a library authority in the 2016 dataset (its libraries were run by another "
            "council, or the county that ran them has since been split)."
        )
    r, eng = lib.loc[area.code], lib.loc["E92000001"]
    change = lambda a, b: f"{100 * (b / a - 1):+.1f}%" if a else "n/a"  # noqa: E731
    note = f" Boundaries: {r['boundary_note']}." if r["boundary_note"] else ""
    merged = (
        f" Counts of {int(r['predecessors'])} former library authorities added up." if r["predecessors"] > 1 else ""
    )
    return verdicts.pledge_from_change(
        float(r["statutory_2010"]),
        float(r["statutory_2016"]),
        polarity="higher_is_better",
        latest=f"{int(r['statutory_2016'])} statutory libraries (July 2016)",
        evidence=(
            f"A baseline from before the manifesto (the DCMS dataset ends in July 2016): {area.name} had "
            f"{int(r['statutory_2010'])} statutory public libraries in April 2010 and {int(r['statutory_2016'])} in "
            f"July 2016 ({change(r['statutory_2010'], r['statutory_2016'])}; {int(r['closed_2010_2016'])} closures "
            f"recorded, some replaced by new libraries); England {int(eng['statutory_2010']):,} and "
            f"{int(eng['statutory_2016']):,} "
            f"({change(eng['statutory_2010'], eng['statutory_2016'])}). Book funds and charges are not in the "
            f"data.{merged}{note}"
        ),
        period="April 2010 to July 2016",
        period_end=2016,
        indicator="Statutory public libraries, April 2010 and July 2016 (DCMS Libraries Taskforce basic dataset)",
        value=float(r["statutory_2016"]),
    )


def linked_claims(briefing, ids: list[str]) -> list[str]:
    """Markdown links (``briefing.link_claim``) to the claims of other briefings among ``ids`` that apply to this
    council (a claim naming Cambridgeshire's districts is not tested, so not linked, elsewhere)."""
    from .. import register

    out = []
    for claim_id in ids:
        _, _, entry = briefing.manifesto.find(claim_id)
        if register.applies(entry, briefing.area.code) is not None:
            out.append(briefing.link_claim(claim_id))
    return out


@claim_test
def pledge_youth_services(ctx) -> verdicts.Outcome:
    """Reinstate children's and youth workers, tracked by the council's net current spending on services for young
    people (MHCLG revenue outturn RO3, £ thousand, cash) in 2023-24 and 2024-25: two values without an interval,
    so :func:`helpers.verdicts.pledge_from_change` (direction only). Staff numbers are not published; spending on
    Sure Start children's centres is reported beside it."""
    from ..datasets import load

    ro3 = load("la_revenue_outturn_rsx_ro3_2023_24_2024_25", "ro3_young_people")
    mine = ro3[ro3["area_code"] == ctx.area.code].set_index("year")
    if len(mine) < 2 or mine["young_people_net"].isna().any():
        raise verdicts.NoData(f"{ctx.area.name} has no revenue outturn for services for young people in both years.")
    eng = ro3[ro3["la_class"] == "Eng"].set_index("year")["young_people_net"]
    first, last = float(mine.loc[2023, "young_people_net"]), float(mine.loc[2024, "young_people_net"])

    def money(v: float) -> str:  # £ thousand -> readable
        return f"£{v / 1000:,.1f}m" if abs(v) >= 1000 else f"£{v:,.0f}k" if v else "£0"

    sure = mine["sure_start_net"]
    return verdicts.pledge_from_change(
        first,
        last,
        polarity="higher_is_better",
        latest=f"{money(last)} (2024-25)",
        evidence=(
            f"Net spending on services for young people: {money(first)} in 2023-24 and {money(last)} in 2024-25 "
            f"(cash; England {money(float(eng.loc[2023]))} and {money(float(eng.loc[2024]))}). Sure Start children's "
            f"centres and early years: {money(float(sure.loc[2023]))} and {money(float(sure.loc[2024]))}. Youth "
            "worker numbers are not published; earlier years' outturn is not loaded, so the decade of cuts is not "
            "shown."
        ),
        period="2023-24 to 2024-25",
        period_end=2025,
        value=last,
    )


@claim_test
def pledge_in_house_services(ctx) -> verdicts.Outcome:
    """Deliver essential frontline services in-house. Proxy: the share of the council's gross service expenditure
    outside education that is spent on its own employees (RSX revenue outturn, employees C1 over total expenditure
    C3, cash) in 2023-24 and 2024-25 — it rises when work moves from contractors and voluntary bodies (running
    expenses) to council staff. Education is left out because schools' staff leave the council's books when schools
    become academies. Two values without an interval: direction only."""
    from ..datasets import load

    rsx = load("la_revenue_outturn_rsx_ro3_2023_24_2024_25", "rsx_employees")
    mine = rsx[rsx["area_code"] == ctx.area.code].sort_values("year")
    mine = mine.assign(
        share=100
        * (mine["all_employees"] - mine["education_employees"])
        / (mine["all_total"] - mine["education_total"])
    ).dropna(subset=["share"])
    if len(mine) < 2:
        raise verdicts.NoData(f"{ctx.area.name} has no revenue outturn (RSX) for both 2023-24 and 2024-25.")
    first, last = mine.iloc[0], mine.iloc[-1]
    return verdicts.pledge_from_change(
        float(first["share"]),
        float(last["share"]),
        polarity="higher_is_better",
        latest=f"{last['share']:.1f}% ({last['period']})",
        evidence=(
            f"Council staff costs were {first['share']:.1f}% of service spending outside education in "
            f"{first['period']} and {last['share']:.1f}% in {last['period']} "
            "(the rest is running costs such as contracts, grants and benefits paid)."
        ),
        period=f"{first['period']} to {last['period']}",
        period_end=int(last["year"]) + 1,
        value=float(last["share"]),
    )
