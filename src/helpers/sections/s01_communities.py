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
from ..stats import deprivation_spread, fit_trend, forecast, wilson_ci
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
    notes = _split_authority_notes(set(a["area_code"]))
    out["boundary_note"] = [notes.get(c, "") for c in out["area_code"]]
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


def _split_authority_notes(authorities: set[str]) -> dict[str, str]:
    """Boundary notes for councils whose area was shared out when a 2016 library authority was split
    (:func:`helpers.predecessors.predecessor_table`): the council the authority's counts went to, and the councils
    that took part of its area without its counts. Found from the hierarchy data, not typed."""
    from .. import areas, predecessors

    names = areas.names()
    table = predecessors.predecessor_table()
    split = table[(table["split_between"] != "") & table["predecessor"].isin(authorities)]
    notes: dict[str, str] = {}
    for code, rows in split.groupby("predecessor"):
        to = str(areas.harmonise_codes(pd.Series([code])).iloc[0])
        if to == code:  # kept under its own code (split between several successors): no successor has its counts
            continue
        codes = {n: c for c, n in names.items()}
        shared = [codes.get(n, n) for n in str(rows["split_between"].iloc[0]).split("; ")]
        name, others = rows["name"].iloc[0], [c for c in shared if c != to]
        for other in others:
            notes[other] = (
                f"part of {names.get(other, other)} was in {name}'s 2016 library service, counted with "
                f"{names.get(to, to)}"
            )
        if others:
            notes[to] = f"{name}'s 2016 library service also covered part of today's {names.get(others[0], '')}"
    return notes


# --- panels: one question of notebooks/01_communities.ipynb each -----------------------------------------
#
# Each takes the briefing (its area, and its register for links to the claims tested in briefing 00) and returns
# a helpers.panels Panel: the frame behind the question, the sentences, tables and charts built from it, findings.

CHILD_POVERTY = "Children in relative poverty before housing costs"
#: The ONS child poverty file has no England row: the United Kingdom is the benchmark then.
UK_CODE = "K02000001"
#: First year drawn in the claimant-rate charts.
CLAIMANT_CHART_FROM = 2015
#: The LIHC years with one modelling method (2010-11 used older methods): the only run a trend is fitted to.
LIHC_TREND_YEARS = (2012, 2018)
IMD_SOURCES = ["imd2019_lsoa_england", "uk_la_names_codes_hierarchy"]
LOWER_TIER_KINDS = ["non-metropolitan district", "unitary", "metropolitan district", "london borough"]
RATE_LABEL = "Claimants, % of residents aged 16-64"


def _panels():
    from .. import panels

    return panels


def _names() -> dict[str, str]:
    from .. import areas

    return {**areas.names(), UK_CODE: "United Kingdom"}


def _context(b) -> tuple[bool, list[str], str, str]:
    """(is a county, district codes, region code, England code)."""
    from .. import areas

    return b.area.kind == "county", [d.code for d in b.districts], b.region.code, areas.ENGLAND_CODE


def _child_poverty() -> tuple[pd.DataFrame, int, str, pd.Series, str]:
    """(all years, latest year, its label, latest value by area code, benchmark code) of child poverty BHC."""
    from .. import areas
    from ..datasets import load

    child = load("ons_explore_local_statistics", "children-in-relative-poverty")
    bhc = child[child["indicator"] == CHILD_POVERTY]
    year = int(bhc["year"].max())
    latest = bhc[bhc["year"] == year].drop_duplicates("area_code").set_index("area_code")["value"]
    bench = areas.ENGLAND_CODE if areas.ENGLAND_CODE in latest.index else UK_CODE
    return bhc, year, f"{year}-{(year + 1) % 100:02d}", latest, bench


def overview(b):
    """The area, its region and its similar councils (and what a single-tier council sees instead of districts)."""
    from ..text import listing

    a, similar = b.area, b.similar()
    frame = pd.DataFrame(
        {"area_code": [a.code] + [s.code for s in similar], "area_name": [a.name] + [s.name for s in similar]}
    )
    text = (
        f"Briefing area: **{a.name}** ({a.kind}), {b.region.name}. Similar councils (open nearest-neighbour "
        f"model): {listing(s.name for s in similar)}."
    )
    if a.kind != "county":
        text += (
            f" {a.name} is a single-tier council with no districts, so the district views below show the council "
            "itself and the county-only view of targeting is replaced by a national one."
        )
    return _panels().Panel("The area", frame=frame, parts=[text])


def poverty(b):
    """Where poverty is concentrated: child poverty, income, employment and IMD deprivation for the area, its
    districts, region, England and similar councils (table); child poverty ranked (chart); its trend."""
    from .. import charts
    from ..text import fmt, listing

    a, panels, names = b.area, _panels(), _names()
    is_county, local_codes, region, england = _context(b)
    profile = council_profile()
    bhc, _, label, latest, bench = _child_poverty()
    rows = [c for c in b.comparison_codes() if c in profile.index or c in latest.index]
    at = rows.index(england) + 1
    rows = rows[:at] + ([bench] if bench != england else []) + rows[at:]
    frame = pd.DataFrame(
        {
            "area_code": rows,
            "area_name": [names.get(c, c) for c in rows],
            "period": label,
            "value": [latest.get(c, np.nan) for c in rows],
            "income_rate": [profile["income_rate"].get(c, np.nan) for c in rows],
            "employment_rate": [profile["employment_rate"].get(c, np.nan) for c in rows],
            "imd_share_20": [profile["imd_share_20"].get(c, np.nan) for c in rows],
        }
    )
    p = panels.Panel("Where is poverty concentrated?", frame=frame)
    labels = {
        "area_name": "area", "value": f"children in relative low income {label} (%)",
        "income_rate": "income deprived (%)", "employment_rate": "employment deprived (%)",
        "imd_share_20": "Residents in England's most deprived 20% (%)",
    }  # fmt: skip
    p.add(
        panels.Table(
            frame[list(labels)],
            caption=f"Poverty and deprivation: {a.name}{', its districts' if is_county else ''}, region, England and "
            "similar councils (IoD2019 rates are population-weighted; child poverty is DWP/HMRC via ONS)",
            sources=["ons_explore_local_statistics", "imd2019_lsoa_england",
                     "imd2019_scores_and_la_composite_mysociety", "uk_la_names_codes_hierarchy"],
            formats={c: "pct" for c in labels if c != "area_name"},
            labels=labels,
        )
    )  # fmt: skip
    links = s00_links(b, claims_only=True)
    if links:
        p.say("Tested once, in briefing 00: " + links + ".")
    bars = frame.dropna(subset=["value"])
    bench_value, bench_name, area_value = latest.get(bench, np.nan), names[bench], latest.get(a.code, np.nan)
    loc = bars[bars["area_code"].isin(local_codes)].sort_values("value")
    top, bottom = loc.iloc[-1], loc.iloc[0]
    title = (
        f"Child poverty in {top['area_name']} is {top['value'] / bottom['value']:.1f} times {bottom['area_name']}'s"
        if is_county
        else f"Child poverty in {a.name}: {fmt(area_value, '%')} against {fmt(bench_value, '%')} in the {bench_name}"
    )
    fig = charts.ranked_bars(
        bars, "area_name", "value", title=title, highlight=[a.name] + [d.name for d in b.districts],
        xlabel=f"Children in relative low income before housing costs, {label} (%)",
        benchmark=bench_value, benchmark_label=bench_name,
    )  # fmt: skip
    ordered = bars.sort_values("value", ascending=False)
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Bar chart of the share of children in relative low-income families in {label}: "
                f"{listing(f'{r.area_name} {r.value:.1f}%' for r in ordered.itertuples())}; dashed line "
                f"{bench_name} {bench_value:.1f}%."
            ),
            data=bars[["area_code", "area_name", "period", "value"]],
            sources=["ons_explore_local_statistics"],
        )
    )
    p.say(
        f"In {label}, {fmt(area_value, '%')} of children in {a.name} lived in relative low-income families before "
        f"housing costs, against {fmt(bench_value, '%')} in the {bench_name} (ONS publishes no England figure for "
        f"this indicator) and {fmt(latest.get(region), '%')} in {b.region.name}."
        + (
            f" Within the county the rate ranges from {fmt(bottom['value'], '%')} in {bottom['area_name']} to "
            f"{fmt(top['value'], '%')} in {top['area_name']}."
            if is_county
            else ""
        )
        + " ONS publishes these figures without confidence intervals, so differences are described, not tested."
    )
    _child_poverty_trend(p, a, bhc, bench, bench_name, label)
    if is_county:
        return p.finding(
            f"Child poverty is concentrated in {top['area_name']}: {fmt(top['value'], '%')} of children lived in "
            f"relative low-income families in {label}, against {fmt(bottom['value'], '%')} in "
            f"{bottom['area_name']}, {fmt(area_value, '%')} across {a.name} and {fmt(bench_value, '%')} in the "
            f"{bench_name}."
        )
    return p.finding(
        f"{fmt(area_value, '%')} of children in {a.name} lived in relative low-income families in {label}, against "
        f"{fmt(bench_value, '%')} in the {bench_name} and {fmt(latest.get(region), '%')} in {b.region.name}."
    )


def _child_poverty_trend(p, a, bhc: pd.DataFrame, bench: str, bench_name: str, label: str) -> None:
    """The linear trend of child poverty over the years published (OLS; few points) for the area and benchmark."""
    from ..text import fmt, fmt_interval

    fits = {}
    for code in (a.code, bench):
        s = bhc[bhc["area_code"] == code].drop_duplicates("year").sort_values("year")
        fits[code] = (s, fit_trend(s["year"], s["value"], kind="ols") if len(s) >= 3 else None)
    (s, t), (_, t_bench) = fits[a.code], fits[bench]
    if t is None:
        p.gap(f"Fewer than three years of child poverty figures for {a.name}: no trend is fitted.")
        return
    first = int(s["year"].iloc[0])
    p.say(
        f"Children in relative low income in {a.name}: {fmt(s['value'].iloc[0], '%')} in {first}-"
        f"{(first + 1) % 100:02d} and {fmt(s['value'].iloc[-1], '%')} in {label}; the linear trend over {len(s)} "
        f"years is {t.slope:+.2f} points a year {fmt_interval(t.slope_lower, t.slope_upper, 'pp', 2)}: "
        f"{verdicts.trend_direction(t, 'lower_is_better')} at 95%"
        + (f" ({bench_name} {t_bench.slope:+.2f})." if t_bench is not None else ".")
    )
    p.details.append(f"Child poverty trend. Model: {t.assumptions}.")


def s00_links(b, claims_only: bool = False) -> str:
    """Links to the register's inequality and deprivation claims, tested once in briefing 00."""
    from .s00_inequality import claim_links

    return claim_links(
        b,
        indicators=["imd2019-deprivation-spread", "imd2019-residents-most-deprived-20pct"],
        functions=["s00_inequality.claim_named_outcomes_poorer"],
        claims_only=claims_only,
    )


def _claimant_lines(b, cc: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The annual claimant rate of the area, its districts, region and England (with area_name and period), and
    the codes labelled in the charts: the area, England and a county's highest and lowest district."""
    is_county, local_codes, region, england = _context(b)
    names = _names()
    codes = [b.area.code] + [c for c in local_codes if c != b.area.code] + [region, england]
    lines = cc[cc["area_code"].isin(codes) & (cc["year"] >= CLAIMANT_CHART_FROM)].copy()
    latest = int(cc["year"].max())
    by_latest = lines[(lines["year"] == latest) & lines["area_code"].isin(local_codes)].sort_values("value")
    extra = (
        [by_latest["area_code"].iloc[-1], by_latest["area_code"].iloc[0]] if is_county and len(by_latest) else [region]
    )
    lines["area_name"] = lines["area_code"].map(names)
    lines["period"] = lines["year"].astype(int).astype(str)
    return lines, list(dict.fromkeys([b.area.code, england] + extra))


def claimant_recovery(b, baseline_year: int = BASELINE_YEAR, horizon: int = 3):
    """Did the claimant rate return to its pre-pandemic level? The rate since 2015 (chart), every comparator's
    recovery (table), the area's post-peak trend projected ``horizon`` years (chart), and its districts."""
    from .. import charts
    from ..text import fmt, listing

    a, panels, names = b.area, _panels(), _names()
    is_county, local_codes, _, england = _context(b)
    cc = claimant_rates()
    lines, labelled = _claimant_lines(b, cc)
    codes = list(dict.fromkeys(lines["area_code"])) + [s.code for s in b.similar()]
    rec = recovery_table(cc, list(dict.fromkeys([a.code] + local_codes + codes)), names, baseline_year)
    r = recovery_summary(cc[cc["area_code"] == a.code], baseline_year)
    p = panels.Panel("Covid shock and recovery in work", frame=rec)
    p.say(
        f"The claimant count file is **annual** (one value per calendar year, {int(cc['year'].min())}-"
        f"{r.latest_year}), as a percentage of residents aged 16-64; monthly figures are not in this source, so the "
        f"shape of the shock within 2020 cannot be seen. {baseline_year} is the pre-pandemic reference year."
    )
    fig = charts.trend_lines(
        lines, "year", "value", "area_name", ylabel=RATE_LABEL, highlight=[names[c] for c in labelled],
        title=f"Claimant rate in {a.name} is still {fmt(r.gap, '')} points above {baseline_year}" if r.gap > 0
        else f"Claimant rate in {a.name} is back to its {baseline_year} level",
    )  # fmt: skip
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Line chart of the annual claimant rate {CLAIMANT_CHART_FROM}-{r.latest_year} for "
                f"{listing(dict.fromkeys(lines['area_name']))} (labelled: {listing(names[c] for c in labelled)}; "
                f"others grey); {a.name} went from {r.baseline:.1f}% in {baseline_year} to a peak of {r.peak:.1f}% "
                f"in {r.peak_year} and {r.latest:.1f}% in {r.latest_year}."
            ),
            data=lines[["area_code", "area_name", "period", "value"]],
            sources=["ons_explore_local_statistics"],
        )
    )
    fmts = {"pre-pandemic (2019) %": "pct", "peak year": "year", "peak %": "pct", "latest year": "year",
            "latest %": "pct", "gap to 2019 (pp)": "pp", "share of rise reversed": "ratio",
            "post-peak trend (pp/yr)": "dp2", "trend lower": "dp2", "trend upper": "dp2", "status": "text",
            "trend": "text"}  # fmt: skip
    p.add(
        panels.Table(
            rec.drop(columns=["area_code"]),
            caption="Claimant rate: pre-pandemic level, Covid peak, latest year and post-peak linear trend (95% "
            "interval); the direction is improving or worsening only when the interval excludes no change",
            sources=["ons_explore_local_statistics"],
            formats=fmts,
            labels={"trend lower": "Lower 95% limit", "trend upper": "Upper 95% limit", "trend": "Direction"},
            collapsed=True,
        )
    )
    trend_dir = _recovery_projection(p, a, cc[cc["area_code"] == a.code].sort_values("year"), r, horizon)
    loc = rec[rec["area_code"].isin(local_codes)]
    if is_county and len(loc):
        back = loc[loc["status"] == "back to pre-pandemic level"]["area"].tolist()
        worst = loc.sort_values("gap to 2019 (pp)").iloc[-1]
        p.say(
            f"By district: {len(back)} of {len(loc)} districts are back to their {baseline_year} claimant rate"
            + (f" ({listing(back)})" if back else "")
            + f"; the largest remaining gap is in {worst['area']} ({worst['gap to 2019 (pp)']:+.1f} points, "
            f"{worst['latest %']:.1f}% in {int(worst['latest year'])})."
        )
    p.say(
        "Caveat: part of the rise since 2019 reflects the move of jobseekers onto Universal Credit, whose "
        "'searching for work' group is wider than the old Jobseeker's Allowance count, so the pre-pandemic level is "
        "not a clean target; comparison with England and similar councils (same definition everywhere) is the "
        "fairer test."
    )
    eng_gap = rec.set_index("area_code").loc[england, "gap to 2019 (pp)"]
    return p.finding(
        f"The claimant rate in {a.name} was {fmt(r.latest, '%')} in {r.latest_year}, {r.gap:+.1f} points on "
        f"{baseline_year} ({r.status}; England {eng_gap:+.1f}), and since the peak it shows {trend_dir} at 95%."
    )


def _recovery_projection(p, a, series: pd.DataFrame, r: Recovery, horizon: int) -> str:
    """The post-peak trend of the area's claimant rate projected ``horizon`` years (chart and sentence); returns
    its direction."""
    from .. import charts
    from ..text import fmt, fmt_interval

    panels = _panels()
    trend, fc, trend_dir = recovery_trend(series, r, horizon)
    if trend is None or fc is None:
        p.gap(f"Too few post-peak years to fit a recovery trend for {a.name}.")
        return trend_dir
    back_year = projected_return_year(fc, r.baseline, r.latest_year)
    shown = series[series["year"] >= CLAIMANT_CHART_FROM]
    fig = charts.forecast_chart(
        shown, fc, x="year", y="value", title=f"{a.name}: claimant rate since the Covid peak ({trend_dir})",
        ylabel=RATE_LABEL, target=r.baseline, target_label=f"pre-pandemic level ({r.baseline_year})",
    )  # fmt: skip
    last = fc.iloc[-1]
    data = pd.concat(
        [
            shown.assign(series="observed")[["area_code", "year", "value", "series"]],
            fc.rename(columns={"mean": "value", "pi_lower": "lower", "pi_upper": "upper"}).assign(
                area_code=a.code, series="trend and 95% prediction interval"
            )[["area_code", "year", "value", "lower", "upper", "series"]],
        ]
    ).assign(area_name=a.name)
    data["period"] = data.pop("year").astype(int).astype(str)
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Claimant rate in {a.name} {CLAIMANT_CHART_FROM}-{r.latest_year} with a linear trend fitted to "
                f"{int(trend.year_origin)}-{r.latest_year} projected to {int(last['year'])}: {last['mean']:.1f}% "
                f"(95% prediction interval {last['pi_lower']:.1f} to {last['pi_upper']:.1f}%) against the "
                f"{r.baseline_year} level of {r.baseline:.1f}%."
            ),
            data=data,
            sources=["ons_explore_local_statistics"],
        )
    )
    p.say(
        f"{a.name}'s claimant rate was {fmt(r.baseline, '%')} in {r.baseline_year}, peaked at {fmt(r.peak, '%')} in "
        f"{r.peak_year} and was {fmt(r.latest, '%')} in {r.latest_year}: {r.status}, with {r.share_recovered:.0%} "
        f"of the Covid rise reversed. Since the peak the rate has changed by {trend.slope:+.2f} points a year "
        f"{fmt_interval(trend.slope_lower, trend.slope_upper, 'pp', 2)} — {trend_dir} at 95%; projected to "
        f"{int(last['year'])} it would be {fmt(last['mean'], '%')} (95% prediction interval "
        f"{fmt(last['pi_lower'], '')} to {fmt(last['pi_upper'], '%')}), "
        + (
            f"reaching the {r.baseline_year} level around {back_year}."
            if back_year
            else f"not back to the {r.baseline_year} level within the projection."
        )
    )
    p.details.append(f"Claimant trend. Model: {trend.assumptions}.")
    return trend_dir


def covid_and_deprivation(b, baseline_year: int = BASELINE_YEAR):
    """Did the Covid rise hit more deprived places harder? Across every English district and single-tier
    council, the rise in the claimant rate from ``baseline_year`` to the Covid peak against income deprivation
    (:func:`covid_rise_model`), and the gap remaining in the latest year."""
    import statsmodels.api as sm

    from .. import charts
    from ..text import listing

    a, panels, names = b.area, _panels(), _names()
    _, local_codes, _, _ = _context(b)
    cc = claimant_rates()
    latest = int(cc["year"].max())
    model, wide = covid_rise_model(cc, council_profile()["income_rate"], baseline_year)
    now = cc[cc["year"] == latest].set_index("area_code")["value"]
    wide["gap_now"] = wide.index.map(now) - wide[baseline_year]
    gap_model = sm.OLS(wide["gap_now"], sm.add_constant(wide["income_rate"]), missing="drop").fit()
    slope, (slo, shi) = model.params["income_rate"], model.conf_int().loc["income_rate"]
    gslope, (glo, ghi) = gap_model.params["income_rate"], gap_model.conf_int().loc["income_rate"]
    grid = np.linspace(wide["income_rate"].min(), wide["income_rate"].max(), 50)
    pred = model.get_prediction(sm.add_constant(grid)).summary_frame(0.05)
    fit = pd.DataFrame({"x": grid, "mean": pred["mean"], "ci_lower": pred["mean_ci_lower"],
                        "ci_upper": pred["mean_ci_upper"]})  # fmt: skip
    pts = wide.reset_index().assign(area_name=lambda d: d["area_code"].map(names), period=f"{baseline_year} to peak")
    pts = pts.rename(columns={"rise": "value"})[["area_code", "area_name", "period", "income_rate", "value", "gap_now"]]
    _, labelled = _claimant_lines(b, cc)
    highlight = [names[c] for c in labelled if c in local_codes] or [a.name]
    rises = slo > 0
    fig = charts.scatter_with_fit(
        pts, "income_rate", "value", label="area_name", highlight=highlight, fit=fit,
        xlabel="Income deprivation, % of residents (IMD 2019)",
        ylabel=f"Rise in claimant rate, {baseline_year} to Covid peak (points)",
        title="More income-deprived councils saw bigger Covid rises in claims" if rises
        else "No clear link between deprivation and the Covid rise in claims",
    )  # fmt: skip
    p = panels.Panel("Did the Covid rise hit deprived places harder?", frame=pts)
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Scatter of {len(pts)} English districts and single-tier councils: rise in claimant rate from "
                f"{baseline_year} to the 2020/21 peak against income deprivation, with a fitted line of slope "
                f"{slope:.2f} points per point of deprivation; {listing(highlight)} highlighted."
            ),
            data=pts,
            sources=["ons_explore_local_statistics", "imd2019_scores_and_la_composite_mysociety"],
        )
    )
    links = _links(b, functions=["s01_communities.claim_covid_hit_deprived_places_harder"])
    p.say(
        f"Across {len(pts)} councils, each extra percentage point of residents income-deprived went with a "
        f"{slope:.3f}-point larger Covid rise in the claimant rate (95% CI {slo:.3f} to {shi:.3f}; R² "
        f"{model.rsquared:.2f}); by {latest} the remaining gap above {baseline_year} still rose with deprivation by "
        f"{gslope:.3f} points per point (95% CI {glo:.3f} to {ghi:.3f}). This is an association across places, not "
        "a cause." + (f" The claim is checked below: {links}." if links else "")
    )
    p.details.append(
        "Covid rise and deprivation. OLS across councils, linear, independent errors with constant variance, one "
        "cross-section."
    )
    return p.finding(
        "Across English councils, the Covid rise in claims was larger where income deprivation was higher "
        f"({slope:.3f} points per point, 95% CI {slo:.3f} to {shi:.3f})."
        if rises
        else "Across English councils, the Covid rise in claims showed no clear link with income deprivation "
        f"(95% CI {slo:.3f} to {shi:.3f})."
    )


def _links(b, **kw) -> str:
    from .s00_inequality import claim_links

    return claim_links(b, **kw)


def targeting(b):
    """Where would a need-based formula send money? For a county, each district's share of the county's
    population, of its own most deprived 20% of small areas and of its small areas in England's most deprived 20%
    (chart and table); for a single-tier council, its need ratio beside similar councils; and nationally."""
    a, panels, names = b.area, _panels(), _names()
    is_county = a.kind == "county"
    lsoa = england_lsoas()
    national_shares = targeting_shares(lsoa.dropna(subset=["council"]), "council")
    national_shares["area"] = national_shares["council"].map(names)
    if is_county:
        shares = targeting_shares(lsoa[lsoa["county"] == a.code], "council")
        shares["area"] = shares["council"].map(names)
        p = panels.Panel("Targeting: where would a need-based formula send money?", frame=shares)
        _county_targeting(p, b, shares)
    else:
        view = national_shares[national_shares["council"].isin([a.code] + [s.code for s in b.similar()])]
        p = panels.Panel("Targeting: where would a need-based formula send money?", frame=view)
        _council_targeting(p, b, view)
    nat = targeting_shares(lsoa.dropna(subset=["county"]), "county").set_index("county").loc[a.code]
    p.say(
        f"Nationally, {a.name} holds {nat['share_england_most_deprived']:.2%} of England's most deprived 20% of "
        f"small areas with {nat['population_share']:.2%} of England's residents (need ratio "
        f"{nat['need_ratio_england']:.2f})."
    )
    if not is_county:
        p.finding(
            f"{a.name} holds {nat['share_england_most_deprived']:.2%} of England's most deprived 20% of small areas "
            f"with {nat['population_share']:.2%} of its residents (need ratio {nat['need_ratio_england']:.2f})."
        )
    return p


def _county_targeting(p, b, shares: pd.DataFrame) -> None:
    from ..text import listing

    a, panels = b.area, _panels()
    over = shares[shares["need_ratio_local"] > 1].sort_values("need_ratio_local", ascending=False)
    lead = shares.sort_values("share_local_most_deprived").iloc[-1]
    fig = targeting_chart(
        shares, "area", title=f"{lead['area']} holds {lead['share_local_most_deprived']:.0%} of {a.name}'s most "
        f"deprived areas with {lead['population_share']:.0%} of its people",
    )  # fmt: skip
    data = shares.rename(columns={"council": "area_code", "area": "area_name"}).assign(period="IoD2019")
    cols = ["area_code", "area_name", "period", "population_share", "share_local_most_deprived",
            "share_england_most_deprived"]  # fmt: skip
    p.add(
        panels.Figure(
            fig,
            alt=(
                "Grouped bar chart by district of the share of the county's population, of the county's own most "
                "deprived 20% of small areas (LSOAs) and of its LSOAs in England's most deprived 20%: "
                + "; ".join(
                    f"{r.area} {r.population_share:.0%}, {r.share_local_most_deprived:.0%} and "
                    f"{r.share_england_most_deprived:.0%}"
                    for r in shares.itertuples()
                )
                + "."
            ),
            data=data[cols],
            sources=IMD_SOURCES,
        )
    )
    show = pd.DataFrame(
        {
            "district": shares["area"],
            "LSOAs": shares["n_lsoa"].astype(str),
            "population (mid-2015)": shares["population"].astype(int).map("{:,}".format),
            "share of population (%)": 100 * shares["population_share"],
            "LSOAs in county's most deprived 20%": shares["n_local_most_deprived"].astype(str),
            "share of them (%)": 100 * shares["share_local_most_deprived"],
            "LSOAs in England's most deprived 20%": shares["n_england_most_deprived"].astype(str),
            "share of them (%) ": 100 * shares["share_england_most_deprived"],
            "need ratio (county 20%)": shares["need_ratio_local"],
            "need ratio (England 20%)": shares["need_ratio_england"],
        }
    )
    p.add(
        panels.Table(
            show,
            caption="Need-based shares by district (shares sum to 100% across the county; need ratio > 1 = more "
            "than a per-head share)",
            sources=IMD_SOURCES,
        )
    )
    in_england = shares.sort_values("n_england_most_deprived", ascending=False)
    p.say(
        f"Of {a.name}'s {int(shares['n_lsoa'].sum())} small areas, the county's own most deprived 20% "
        f"({int(shares['n_local_most_deprived'].sum())} LSOAs) lie mostly in "
        + listing(
            f"{r.area} ({r.share_local_most_deprived:.0%} of them, {r.population_share:.0%} of residents)"
            for r in over.itertuples()
        )
        + f". Of its {int(shares['n_england_most_deprived'].sum())} LSOAs in England's most deprived 20%, "
        + listing(
            f"{r.area} has {int(r.n_england_most_deprived)}"
            for r in in_england.itertuples()
            if r.n_england_most_deprived > 0
        )
        + ". A formula weighted by either measure would move money towards these districts and away from a "
        "per-head split."
    )
    p.finding(
        f"A need-based formula would favour {lead['area']}, which holds {lead['share_local_most_deprived']:.0%} of "
        f"{a.name}'s own most deprived 20% of small areas but {lead['population_share']:.0%} of its residents."
    )


def _council_targeting(p, b, view: pd.DataFrame) -> None:
    from .. import charts

    a, panels = b.area, _panels()
    p.say(
        f"The county-only view (districts' shares of the county's most deprived areas) does not apply to {a.name}, "
        "a single-tier council with no districts. Shown instead: the council-level view — its share of England's "
        "most deprived 20% of small areas against its share of England's population, beside similar councils."
    )
    ratio = view.set_index("council").loc[a.code, "need_ratio_england"]
    fig = charts.ranked_bars(
        view, "area", "need_ratio_england", highlight=[a.name], benchmark=1.0, benchmark_label="per-head share",
        title=f"{a.name}: need ratio {ratio:.1f} on England's most deprived 20%",
        xlabel="Share of England's most deprived 20% of LSOAs / share of England's population",
    )  # fmt: skip
    data = view.rename(columns={"council": "area_code", "area": "area_name", "need_ratio_england": "value"})
    p.add(
        panels.Figure(
            fig,
            alt=(
                "Bar chart of need ratios (share of England's most deprived 20% of small areas divided by share "
                "of England's population): "
                + "; ".join(f"{r.area} {r.need_ratio_england:.2f}" for r in view.itertuples())
                + "."
            ),
            data=data.assign(period="IoD2019")[["area_code", "area_name", "period", "value"]],
            sources=IMD_SOURCES,
        )
    )


def fuel_poverty_frame(b) -> pd.DataFrame:
    """Fuel poverty of the area, its districts, similar councils, region and England, every year (LIHC to 2019,
    LILEE from 2019), with ``area_name``."""
    from .. import areas

    _, local_codes, region, england = _context(b)
    table = areas.areas_table()
    table["region_code"] = table["region"].map(areas.REGION_CODES)
    lower = table[table["kind"].isin(LOWER_TIER_KINDS)]
    members = {b.area.code: local_codes, **{c: [c] for c in local_codes}}
    for s in b.similar():
        members[s.code] = [d.code for d in areas.districts_of(s)] or [s.code]
    wider = {region: lower.loc[lower["region_code"] == region, "code"].tolist(), england: lower["code"].tolist()}
    fp = pd.concat([fuel_poverty_for(members), fuel_poverty_for(wider, strict=False)], ignore_index=True)
    fp["area_name"] = fp["area_code"].map(_names())
    return fp


def fuel_poverty(b):
    """Fuel poverty: level and trend, with the 2019 definition change (LIHC to LILEE) drawn as a break (chart),
    the latest year with Wilson 95% intervals against England (table), and the LIHC-only trend."""
    from ..stats import proportion_table, significance_labels
    from ..text import fmt, fmt_interval, listing

    a, panels, names = b.area, _panels(), _names()
    is_county, local_codes, region, england = _context(b)
    fp = fuel_poverty_frame(b)
    last_year = int(fp["year"].max())
    present = set(fp["area_code"])
    chart_codes = [c for c in [a.code] + [c for c in local_codes if c != a.code] + [england] if c in present]
    last = fp[(fp["year"] == last_year) & fp["area_code"].isin(local_codes)].sort_values("value")
    extra = [last["area_code"].iloc[-1], last["area_code"].iloc[0]] if is_county and len(last) else [region]
    labelled = [c for c in dict.fromkeys([a.code, england] + extra) if c in present]
    shown = fp[fp["area_code"].isin(chart_codes + [region])]
    fig = fuel_poverty_chart(
        shown, names, labelled, title=f"Fuel poverty in {a.name}: the 2019 definition change is a break, not a rise"
    )
    f_area = fp[fp["area_code"] == a.code].set_index("year")
    p = panels.Panel("Fuel poverty: level and trend", frame=fp)
    data = shown.assign(period=shown["year"].astype(int).astype(str))
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Line chart of the share of households in fuel poverty {int(fp['year'].min())}-{last_year} for "
                f"{listing(names[c] for c in chart_codes)} (labelled: {listing(names[c] for c in labelled)}; others "
                "grey), drawn as two separate series either side of a dashed line at 2019 where the definition "
                f"changed from LIHC to LILEE; {a.name} "
                + (
                    f"{f_area.loc[2018, 'value']:.1f}% in 2018 (LIHC) and {f_area.loc[last_year, 'value']:.1f}% in "
                    f"{last_year} (LILEE)."
                    if {2018, last_year} <= set(f_area.index)
                    else "series partly missing."
                )
            ),
            data=data[[c for c in ["area_code", "area_name", "period", "value", "lower", "upper", "definition"]
                       if c in data]],
            sources=["fuel_poverty_la_2010_2019", "fuel_poverty_la_2020_2021_lilee"],
        )
    )  # fmt: skip
    latest = fp[(fp["year"] == last_year) & fp["numerator"].notna()].copy()
    latest = proportion_table(latest.drop(columns=["value"]), "numerator", "denominator")
    eng = latest.set_index("area_code").loc[england, "value"]
    latest = significance_labels(latest, eng, polarity="lower_is_better")
    order = {c: i for i, c in enumerate(b.comparison_codes())}
    latest = latest.sort_values("area_code", key=lambda s: s.map(order))
    p.add(
        panels.Table(
            latest[["area_name", "denominator", "numerator", "value", "lower_95", "upper_95", "vs_benchmark_95",
                    "vs_benchmark_998"]],
            caption=f"Fuel poverty (LILEE), {last_year}, with Wilson 95% intervals",
            sources=["fuel_poverty_la_2020_2021_lilee"],
            formats={"denominator": "int", "numerator": "int", "value": "pct", "lower_95": "pct", "upper_95": "pct"},
            labels={"area_name": "area", "denominator": "households", "numerator": "fuel-poor households",
                    "value": "% fuel poor", "vs_benchmark_95": "vs England (95%)",
                    "vs_benchmark_998": "vs England (99.8%)"},
            collapsed=True,
        )
    )  # fmt: skip
    if a.code not in set(latest["area_code"]):
        p.gap(f"No complete LILEE fuel poverty figures for {a.name} in {last_year}.")
    else:
        fa = latest.set_index("area_code").loc[a.code]
        lilee_2019 = f_area["value"].get(FUEL_POVERTY_BREAK, np.nan)
        versus = COMPARISON_PHRASE[fa["vs_benchmark_95"]]
        p.say(
            f"In {last_year}, {fmt(fa['value'], '%')} of households in {a.name} were fuel poor on the LILEE "
            f"definition {fmt_interval(fa['lower_95'], fa['upper_95'], '%')}, {versus} England's {fmt(eng, '%')} at "
            f"95% ({fa['vs_benchmark_998']} at 99.8%). On the same definition the rate "
            f"{direction_words(fa['value'] - lilee_2019)} from {fmt(lilee_2019, '%')} in {FUEL_POVERTY_BREAK}"
            + (f" ({FUEL_POVERTY_BREAK} county value weighted by 2020 household counts)" if is_county else "")
            + "."
        )
        if is_county:
            fl = latest[latest["area_code"].isin(local_codes)].sort_values("value")
            p.say(
                f"By district, {last_year}: highest {fl.iloc[-1]['area_name']} {fmt(fl.iloc[-1]['value'], '%')}, "
                f"lowest {fl.iloc[0]['area_name']} {fmt(fl.iloc[0]['value'], '%')}."
            )
        p.finding(
            f"In {last_year}, {fmt(fa['value'], '%')} of households in {a.name} were fuel poor (LILEE) "
            f"{fmt_interval(fa['lower_95'], fa['upper_95'], '%')}, {versus} England's {fmt(eng, '%')}."
        )
    _lihc_trend(p, a, f_area)
    links = _links(b, indicators=["fuel-poverty-lilee"])
    p.say(
        "The Wilson intervals treat the modelled household counts as exact binomial counts: they show "
        "sampling-scale uncertainty only and understate the error of DESNZ's small-area model."
        + (
            f" The claim that many households faced fuel poverty during Covid is checked below: {links}."
            if links
            else ""
        )
    )
    return p


def direction_words(change: float) -> str:
    """'rose', 'fell' or 'stayed about the same' (within 0.05 points) for a change in a rate."""
    from ..text import direction

    return direction(change, 0.05)


def _lihc_trend(p, a, f_area: pd.DataFrame) -> None:
    """A trend only within one definition: LIHC over :data:`LIHC_TREND_YEARS` (one modelling method)."""
    from ..text import fmt_interval

    first, last = LIHC_TREND_YEARS
    run = f_area[(f_area.index >= first) & (f_area.index <= last)]
    trend = fit_trend(run.index, run["value"], kind="ols") if len(run) >= 3 else None
    if trend is None:
        return
    p.say(
        f"Within the old LIHC definition ({first}-{last}, same modelling method) fuel poverty in {a.name} changed by "
        f"{trend.slope:+.2f} points a year {fmt_interval(trend.slope_lower, trend.slope_upper, 'pp', 2)}: "
        f"{verdicts.trend_direction(trend, 'lower_is_better')} at 95%. No trend is fitted across the 2019 break."
    )
    p.details.append(f"Fuel poverty trend. Model: {trend.assumptions}.")


def libraries(b):
    """Statutory public libraries in April 2010 and July 2016 (the last public count, before the manifesto) for
    the area, its region, England and similar councils."""
    from .. import areas

    a, panels, names = b.area, _panels(), _names()
    lib = libraries_by_council()
    codes = [a.code, b.region.code, areas.ENGLAND_CODE] + [s.code for s in b.similar()]
    view = lib[lib["area_code"].isin(codes)].copy()
    view["area_name"] = view["area_code"].map(names)
    view["change_pct"] = 100 * (view["statutory_2016"] / view["statutory_2010"] - 1)
    view = view.sort_values("area_code", key=lambda c: c.map({k: i for i, k in enumerate(codes)}))
    p = panels.Panel("Libraries, 2010 to 2016", frame=view)
    if a.code not in set(lib["area_code"]):
        p.gap(
            f"{a.name} has no row in the 2016 libraries dataset (not a library authority then, or its county has "
            "since been split), so the libraries pledge cannot be tracked for it."
        )
    return p.add(
        panels.Table(
            view[["area_name", "statutory_2010", "statutory_2016", "change_pct", "closed_2010_2016"]],
            caption=f"Statutory public libraries on 1 April 2010 and 1 July 2016: {a.name}, England and similar "
            "councils (a pre-manifesto baseline; the public dataset ends in 2016)",
            sources=["public_libraries_england_la_2010_2016"],
            formats={"statutory_2010": "int", "statutory_2016": "int", "change_pct": "pct", "closed_2010_2016": "int"},
            labels={"area_name": "area", "statutory_2010": "Libraries, April 2010",
                    "statutory_2016": "Libraries, July 2016", "change_pct": "Change (%)",
                    "closed_2010_2016": "Closures recorded 2010-2016"},
        )
    )  # fmt: skip


def caveats(b, baseline_year: int = BASELINE_YEAR) -> str:
    """The section's caveats on data and method (Markdown list), with this run's coverage figures."""
    from .. import areas

    _, _, label, _, _ = _child_poverty()
    fp = fuel_poverty_frame(b)
    eng = fp[(fp["area_code"] == areas.ENGLAND_CODE) & (fp["year"] == FUEL_POVERTY_BREAK - 1)]
    coverage = f"{eng['coverage'].iloc[0]:.0%} of England's 2020 households" if len(eng) else "part of England"
    return "\n".join(
        [
            "- **Claimant count** is annual in this source (one value per year; the ONS metadata counts live claims "
            "on the second Thursday of the reference month), experimental, and includes Universal Credit claimants "
            "required to search for work, a wider group than the old Jobseeker's Allowance count: the "
            f"{baseline_year} level is a reference, not a clean target.",
            "- **Fuel poverty** changed definition with the 2019 data year (LIHC to LILEE); the two series are drawn "
            "separately and never modelled together. 2010-2011 used older modelling methods. County, region and "
            "England values for 2010-2019 are weighted by 2020 household counts (no counts are published for those "
            "years); the 2020-2021 files come from a student extraction of the DESNZ tables (checked against "
            "published district values).",
            f"- England and regional fuel poverty for 2010-2019 cover the councils in that file ({coverage}; "
            "councils with 2019-20 boundary changes are absent).",
            "- **Deprivation** (IMD 2019) describes mostly 2015/16 data on 2011 small areas, mapped to current "
            "councils; one edition cannot show change.",
            f"- **Children in relative low income** is published without intervals; ONS labels the year {label} by "
            "its start. Trends over four points are fragile.",
            "- **Similar councils** come from the project's open nearest-neighbour model, not CIPFA's.",
            "- **Libraries**: the DCMS Libraries Taskforce basic dataset counts statutory public libraries on 1 April "
            "2010 and 1 July 2016 only (LibrariesHacked's cleaning); later editions are not loaded, so it is a "
            "baseline from before the manifesto, not a record since 2021. Merged councils' predecessors are added "
            "up (see the libraries parser).",
        ]
    )
