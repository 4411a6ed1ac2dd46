"""Briefing 00 — "One of the most unequal counties": analysis functions.

Pure functions on frames (selections, shares, rankings, verdict rules); the notebook
``notebooks/00_inequality.ipynb`` calls them and stays thin. Interval, trend and inequality maths
come from :mod:`helpers.stats`; nothing here re-implements them.

Small areas and councils
------------------------
IoD2019 publishes LSOAs (2011) with 2019 district codes, which differ from today's councils
(Buckinghamshire, Northamptonshire, Cumbria, North Yorkshire, Somerset...). :func:`assign_lsoas`
puts every English LSOA in today's lower-tier or single-tier council with mySociety's LSOA lookup,
and in its *briefing area*: the county for a non-metropolitan district, else the council itself.

Inequality measures (one row per briefing area, see :data:`MEASURES`)
-----------------------------------------------------------------------
* ``rank_iqr_pct`` (**primary**): inter-quartile range of the area's LSOA national IMD ranks, as a % of
  England's 32,844 LSOAs (:func:`helpers.stats.deprivation_spread`, each LSOA counted once). It measures
  how far apart the area's middle half of neighbourhoods sit in the national ranking, and does not grow
  just because an area is more deprived on average.
* ``score_iqr``: inter-quartile range of LSOA IMD scores (score points; Hazen quartiles, as the
  stats module uses for ranks).
* ``sii_score``: slope index of inequality of the IMD score across the area's own deciles of LSOAs
  (most to least deprived), in score points (:func:`helpers.stats.slope_index_of_inequality`, sign
  flipped so a larger gap is a larger number). The IMD covers every LSOA, so no sampling interval is
  attached.
* ``share_most_deprived_10``: % of the area's LSOAs in England's most deprived 10%.

Verdict rules (documented here and in :func:`inequality_verdict`, :func:`growth_verdict`,
:func:`named_districts_verdict`) are fixed before looking at any area's result.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import areas as _areas
from ..stats import (
    N_LSOA_ENGLAND_IMD2019,
    deprivation_spread,
    fit_trend,
    rank_by_inequality,
    slope_index_of_inequality,
)

#: Inequality measures: column -> (label, unit). The first is the primary measure of the verdict.
MEASURES = {
    "rank_iqr_pct": ("Spread of national IMD ranks (IQR, % of England's LSOAs)", "%"),
    "score_iqr": ("Spread of IMD scores (IQR, score points)", "points"),
    "sii_score": ("Slope index of inequality of IMD score (score points)", "points"),
    "share_most_deprived_10": ("Small areas in England's most deprived 10% (%)", "%"),
}
PRIMARY_MEASURE = "rank_iqr_pct"
#: Short names of the measures for prose.
SHORT_LABELS = {
    "rank_iqr_pct": "spread of IMD ranks",
    "score_iqr": "spread of IMD scores",
    "sii_score": "slope index of IMD score",
    "share_most_deprived_10": "share in England's most deprived 10%",
}

#: IoD2019 domains in File 2 (short name -> label); crime is kept though the brief lists six.
DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
}

#: Fewest LSOAs an area needs for a within-area decile SII (two per decile).
MIN_LSOAS_FOR_SII = 20

#: Outcomes for the headline gap table: (ONS ELS table, indicator, polarity, briefing that goes deeper).
#: Briefing numbers follow the manifesto's seven sections (01 communities and Covid recovery: claimant
#: count and child poverty; 03 schools and children; 04 public health; 07 finance and growth, not yet written).
GAP_OUTCOMES = [
    ("healthy-life-expectancy", "Female healthy life expectancy", "higher_is_better", "04 public health"),
    (
        "children-in-relative-poverty",
        "Children in relative poverty before housing costs",
        "lower_is_better",
        "01 communities and Covid recovery",
    ),
    ("claimant-count", "Claimant Count", "lower_is_better", "01 communities and Covid recovery"),
    ("employment-rate", "Employment rate", "higher_is_better", "07 finance and growth"),
    ("gross-median-weekly-pay", "Gross median weekly pay", "higher_is_better", "07 finance and growth"),
    ("gcses-in-english-and-maths", "GCSEs in English and Maths", "higher_is_better", "03 schools and children"),
]


# --- small areas -> today's councils -------------------------------------------------------------


def assign_lsoas(imd: pd.DataFrame, scores: pd.DataFrame, lookup: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per English LSOA with IoD2019 ranks/deciles, score and population, and its council today.

    ``imd``: ``load("imd2019_lsoa_england")``; ``scores``: the ``lsoa_scores`` table; ``lookup``: the
    hierarchy's ``lsoa_lookup`` (LSOA -> 3-letter council code); ``table``: :func:`helpers.areas.areas_table`.
    Adds ``local_code``/``local_name``/``local_kind`` (the district or single-tier council) and
    ``area_code``/``area_name``/``area_kind`` (the briefing area: the county of a district, else the
    council), plus ``region``. LSOAs the lookup cannot place keep missing codes (none in practice).
    """
    t = table.dropna(subset=["la_code"]).set_index("la_code")
    by_code = table.set_index("code")
    out = imd.merge(scores[["lsoa_code", "imd_score"]], on="lsoa_code", how="left", validate="one_to_one")
    la = out["lsoa_code"].map(dict(zip(lookup["lsoa_code"], lookup["la_code"])))
    out["local_code"] = la.map(t["code"])
    out["local_name"] = out["local_code"].map(by_code["name"])
    out["local_kind"] = out["local_code"].map(by_code["kind"])
    parent = out["local_code"].map(by_code["parent"])
    out["area_code"] = parent.where(
        out["local_kind"].eq("non-metropolitan district") & parent.notna(), out["local_code"]
    )
    out["area_name"] = out["area_code"].map(by_code["name"])
    out["area_kind"] = out["area_code"].map(by_code["kind"])
    out["region"] = out["local_code"].map(by_code["region"])
    return out


def load_lsoas() -> pd.DataFrame:
    """:func:`assign_lsoas` on the project's data (IoD2019 File 2 + 6, mySociety scores and lookup)."""
    from ..datasets import load

    return assign_lsoas(
        load("imd2019_lsoa_england"),
        load("imd2019_scores_and_la_composite_mysociety", "lsoa_scores"),
        load("uk_la_names_codes_hierarchy", "lsoa_lookup"),
        _areas.areas_table(),
    )


# --- inequality measures ----------------------------------------------------------------------------


def _hazen_iqr(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return float("nan")
    q1, q3 = np.quantile(values, [0.25, 0.75], method="hazen")
    return float(q3 - q1)


def within_area_deciles(
    part: pd.DataFrame, score: str = "imd_score", population: str = "population", groups: int = 10
) -> pd.DataFrame:
    """The area's LSOAs cut into ``groups`` equal-count groups from most (1) to least deprived by score,
    with the population-weighted mean score and population of each group."""
    ordered = part.sort_values(score, ascending=False, kind="stable").reset_index(drop=True)
    ordered["quantile"] = np.floor(np.arange(len(ordered)) * groups / len(ordered)).astype(int) + 1
    ordered["weighted"] = ordered[score] * ordered[population]
    g = ordered.groupby("quantile").agg(weighted=("weighted", "sum"), population=(population, "sum"), n=(score, "size"))
    g["score"] = g["weighted"] / g["population"]
    return g.reset_index()[["quantile", "score", "population", "n"]]


def score_sii(part: pd.DataFrame, score: str = "imd_score", population: str = "population") -> float:
    """SII of the IMD score across the area's own deciles of LSOAs, as a positive gap in score points
    (fitted most deprived end minus fitted least deprived end); NaN below :data:`MIN_LSOAS_FOR_SII`."""
    part = part.dropna(subset=[score, population])
    if len(part) < MIN_LSOAS_FOR_SII or (part[population] <= 0).any():
        return float("nan")
    d = within_area_deciles(part, score, population)
    result = slope_index_of_inequality(
        d["score"], d["population"], d["quantile"], se=np.zeros(len(d)), multiplier=-1, repetitions=1000
    )
    return result.sii


def inequality_measures(lsoas: pd.DataFrame, group: str = "area_code") -> pd.DataFrame:
    """Every measure in :data:`MEASURES` for each ``group`` of LSOAs (one row per group), plus the number
    of LSOAs, the share in the most deprived 20%, the mean rank and the population-weighted mean score."""
    spread = deprivation_spread(
        lsoas.dropna(subset=[group]),
        group=group,
        rank="imd_rank",
        decile="imd_decile",
        n_england=N_LSOA_ENGLAND_IMD2019,
    )
    rows = []
    for key, part in lsoas.dropna(subset=[group]).groupby(group, sort=True):
        pop = part["population"].to_numpy(float)
        sc = part["imd_score"].to_numpy(float)
        rows.append(
            {
                group: key,
                "score_iqr": _hazen_iqr(sc),
                "sii_score": score_sii(part),
                "mean_score": float(np.nansum(sc * pop) / pop[~np.isnan(sc)].sum()) if pop.sum() else np.nan,
                "mean_rank": float(part["imd_rank"].mean()),
            }
        )
    out = spread.merge(pd.DataFrame(rows), on=group, how="left")
    return out[
        [
            group,
            "n_small_areas",
            "rank_iqr_pct",
            "score_iqr",
            "sii_score",
            "share_most_deprived_10",
            "share_most_deprived_20",
            "mean_score",
            "mean_rank",
        ]
    ]


def share_in_most_deprived(
    lsoas: pd.DataFrame, group: str = "local_code", top: int = 1, decile: str = "imd_decile"
) -> pd.Series:
    """% of each group's LSOAs in England's most deprived ``top`` deciles (LSOA count, no weighting)."""
    return lsoas.groupby(group)[decile].apply(lambda d: 100 * float((d <= top).mean()))


def domain_shares(lsoas: pd.DataFrame, group: str = "local_code", top: int = 2) -> pd.DataFrame:
    """For each group, % of its LSOAs in England's most deprived ``top`` deciles on the IMD and each
    domain (columns ``imd`` and the keys of :data:`DOMAINS`)."""
    cols = {"imd": share_in_most_deprived(lsoas, group, top, "imd_decile")}
    for key in DOMAINS:
        cols[key] = share_in_most_deprived(lsoas, group, top, f"{key}_decile")
    return pd.DataFrame(cols)


# --- rankings and the verdict -------------------------------------------------------------------------


def rank_areas(summary: pd.DataFrame, measure: str, pool: pd.Series | None = None) -> pd.DataFrame:
    """Areas (rows of ``summary``, restricted to ``pool`` if given) ranked most to least unequal on
    ``measure`` with :func:`helpers.stats.rank_by_inequality`; adds ``n_ranked`` (areas with a value)."""
    frame = summary if pool is None else summary[pool]
    out = rank_by_inequality(frame, measure)
    out["n_ranked"] = int(out[measure].notna().sum())
    return out


def area_ranks(
    summary: pd.DataFrame, code: str, pool: pd.Series | None = None, key: str = "area_code"
) -> dict[str, tuple[int | None, int]]:
    """measure -> (rank of ``code``, number ranked) for every measure in :data:`MEASURES`."""
    out = {}
    for m in MEASURES:
        r = rank_areas(summary, m, pool)
        row = r[r[key] == code]
        rank = row["rank"].iloc[0] if len(row) else None
        out[m] = (None if rank is None or pd.isna(rank) else int(rank), int(r["n_ranked"].iloc[0]) if len(r) else 0)
    return out


def in_top_fraction(rank: int | None, n: int, fraction: float = 0.25) -> bool:
    """True when ``rank`` (1 = most) is within the top ``fraction`` of ``n`` (ceil(n * fraction))."""
    return rank is not None and n > 0 and rank <= math.ceil(n * fraction)


def inequality_verdict(
    ranks: dict[str, tuple[int | None, int]], primary: str = PRIMARY_MEASURE, fraction: float = 0.25
) -> tuple[str, str]:
    """Verdict on "one of the most unequal" from the area's ranks among its peers.

    Rule: **supported** if the area is in the most unequal quarter (rank <= ceil(N/4)) of its peer group
    on the primary measure; **partly supported** if not, but in the most unequal quarter on at least one
    other measure; **not supported** otherwise; **cannot be tested with public data** if the area has no
    rank on any measure. Returns (verdict, the measures that met the bar, comma-separated).
    """
    if not ranks or all(r is None for r, _ in ranks.values()):
        return "cannot be tested with public data", ""
    top = [m for m, (r, n) in ranks.items() if in_top_fraction(r, n, fraction)]
    if primary in top:
        verdict = "supported"
    elif top:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    return verdict, ", ".join(top)


def named_districts_verdict(
    share20: dict[str, float], deprived: list[str], affluent: list[str], parts: list[str] = (), min_gap_pp: float = 10.0
) -> tuple[str, list[str]]:
    """Verdict on "deprivation in <deprived> and parts of <parts> is much higher than in <affluent>".

    ``share20``: district -> % of its LSOAs in England's most deprived 20%. Let A be the highest share
    among the ``affluent`` districts. A district named as a whole (``deprived``) meets the bar when its
    share is at least A + ``min_gap_pp`` percentage points; a district named only in part (``parts``)
    meets it when its share is above A (it has pockets of deprivation the affluent districts lack).
    **supported** if every named district meets its bar, **partly supported** if some do, **not
    supported** if none; **cannot be tested with public data** if any named district is missing.
    Returns (verdict, the named districts that met their bar).
    """
    named = list(deprived) + list(parts)
    if any(n not in share20 or share20[n] is None or pd.isna(share20[n]) for n in named + list(affluent)):
        return "cannot be tested with public data", []
    top = max(share20[a] for a in affluent)
    met = [d for d in deprived if share20[d] >= top + min_gap_pp] + [d for d in parts if share20[d] > top]
    verdict = "supported" if len(met) == len(named) else "partly supported" if met else "not supported"
    return verdict, met


# --- population growth ----------------------------------------------------------------------------------


def population_by_area(pop: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Population per current English council, region and England by year.

    ``pop``: ``load("la_population_totals_2005_2020")``; ``table``: :func:`helpers.areas.areas_table`.
    Councils are matched on their 3-letter code. England and each region are the sums of the current
    lower-tier and single-tier councils (the file has no England row; counties would double count).
    Returns columns code, name, kind, year, population.
    """
    t = table.dropna(subset=["la_code"])
    p = pop.merge(t[["la_code", "code", "name", "kind", "region"]], on="la_code", how="inner")
    base = p[p["kind"] != "county"]
    england = (
        base.groupby("year", as_index=False)["population"]
        .sum()
        .assign(code=_areas.ENGLAND_CODE, name="England", kind="country")
    )
    regions = base.groupby(["region", "year"], as_index=False)["population"].sum()
    regions["code"] = regions["region"].map(_areas.REGION_CODES)
    regions = regions.assign(name=regions["region"], kind="region")
    cols = ["code", "name", "kind", "year", "population"]
    return pd.concat([p[cols], england[cols], regions[cols]], ignore_index=True)


def growth_summary(series: pd.DataFrame, start: int = 2005, end: int = 2020, trend_codes=None) -> pd.DataFrame:
    """Per area: population in ``start`` and ``end`` and % growth; for areas in ``trend_codes`` (default
    all) also the log-linear trend's annual % change with its 95% CI (:func:`helpers.stats.fit_trend`,
    kind="loglinear"; missing for the others)."""
    d = series[(series["year"] >= start) & (series["year"] <= end)]
    wide = d.pivot_table(index="code", columns="year", values="population", aggfunc="sum")
    if start not in wide.columns or end not in wide.columns:
        return pd.DataFrame(
            columns=[
                "code",
                "name",
                "kind",
                "pop_start",
                "pop_end",
                "growth_pct",
                "apc",
                "apc_lower",
                "apc_upper",
                "assumptions",
            ]
        )
    wide = wide.dropna(subset=[start, end])
    meta = d.drop_duplicates("code").set_index("code")[["name", "kind"]]
    out = pd.DataFrame(
        {
            "code": wide.index,
            "name": meta.loc[wide.index, "name"].to_numpy(),
            "kind": meta.loc[wide.index, "kind"].to_numpy(),
            "pop_start": wide[start].to_numpy(float),
            "pop_end": wide[end].to_numpy(float),
        }
    )
    out["growth_pct"] = 100 * (out["pop_end"] / out["pop_start"] - 1)
    fits = {}
    for code in wide.index if trend_codes is None else [c for c in trend_codes if c in wide.index]:
        row = wide.loc[code].dropna()
        if len(row) >= 3:
            trend = fit_trend(row.index.to_numpy(float), row.to_numpy(float), kind="loglinear")
            fits[code] = (trend.annual_pct_change, trend.apc_lower, trend.apc_upper, trend.assumptions)
    for i, col in enumerate(["apc", "apc_lower", "apc_upper", "assumptions"]):
        out[col] = out["code"].map({c: f[i] for c, f in fits.items()})
    for col in ("apc", "apc_lower", "apc_upper"):
        out[col] = out[col].astype(float)
    return out


def period_label(period: str) -> str:
    """ONS ELS ISO 8601 period -> short label: '2024-01-01/P1Y' -> '2024'; '2024-04-01/P1Y' -> '2024/25';
    '2020-01-01/P3Y' -> '2020-22'; a plain date is kept as its year ('2025-04-30' -> '2025')."""
    if not isinstance(period, str) or not period:
        return "not published"
    start, _, span = period.partition("/")
    year = int(start[:4])
    years = int(span[1:-1]) if span.startswith("P") and span.endswith("Y") and span[1:-1].isdigit() else 1
    if years > 1:
        return f"{year}-{str(year + years - 1)[-2:]}"
    if span and start[5:7] not in ("", "01"):
        return f"{year}/{str(year + 1)[-2:]}"
    return str(year)


def growth_verdict(rank: int | None, n: int, apc_lower: float, england_apc: float, fraction: float = 0.25) -> str:
    """Verdict on "one of the fastest growing areas in the country".

    Rule: **supported** if the area is in the fastest-growing quarter (rank <= ceil(N/4)) of its peer group
    (counties for a county, single-tier councils otherwise) by 2005-2020 % growth *and* the lower 95% limit
    of its annual % change is above England's annual % change; **partly supported** if only one holds; **not supported** if neither;
    **cannot be tested with public data** if the area has no rank.
    """
    if rank is None:
        return "cannot be tested with public data"
    quick = in_top_fraction(rank, n, fraction)
    above = apc_lower is not None and england_apc is not None and apc_lower > england_apc
    return "supported" if quick and above else "partly supported" if quick or above else "not supported"


# --- IoD2019 vs IoD2025 -----------------------------------------------------------------------------------


def iod_change(summaries: pd.DataFrame, codes: list[str], domain: str = "imd") -> pd.DataFrame:
    """District summaries of both editions side by side for ``codes`` (average score, rank of average
    score out of N districts in that edition, proportion of LSOAs in the most deprived 10% as %)."""
    s = summaries[summaries["domain"] == domain]
    n = s.groupby("edition")["area_code"].nunique()
    out = []
    for code in codes:
        row = {"area_code": code}
        for ed in (2019, 2025):
            r = s[(s["area_code"] == code) & (s["edition"] == ed)]
            row[f"score_{ed}"] = float(r["average_score"].iloc[0]) if len(r) else np.nan
            row[f"rank_score_{ed}"] = float(r["rank_average_score"].iloc[0]) if len(r) else np.nan
            row[f"n_{ed}"] = int(n.get(ed, 0))
            row[f"share10_{ed}"] = 100 * float(r["proportion_most_deprived_10"].iloc[0]) if len(r) else np.nan
        out.append(row)
    return pd.DataFrame(out)


# --- headline gap table -------------------------------------------------------------------------------------


def latest_value(frame: pd.DataFrame, code: str, indicator: str) -> pd.Series | None:
    """The latest row of ``indicator`` for ``code`` in an ONS ELS table (None if absent)."""
    d = frame[(frame["area_code"] == code) & (frame["indicator"] == indicator) & frame["value"].notna()]
    if d.empty:
        return None
    return d.sort_values(["year", "period"]).iloc[-1]


def gap_rows(tables: dict[str, pd.DataFrame], high: str, low: str, area: str, outcomes=None) -> pd.DataFrame:
    """For each outcome, the latest value for ``high`` (most deprived), ``low`` (least deprived or
    England), the briefing ``area`` and England, in the period of ``high``'s latest value where all share it.

    Returns columns table, indicator, polarity, deeper, period, high, low, area, england (+ each one's
    lower/upper 95% limits where published) and gap (high minus low).
    """
    rows = []
    for table, indicator, polarity, deeper in outcomes or GAP_OUTCOMES:
        f = tables.get(table)
        if f is None:
            continue
        first = latest_value(f, high, indicator) if high else None
        period = first["period"] if first is not None else None
        row = {
            "table": table,
            "indicator": indicator,
            "polarity": polarity,
            "deeper": deeper,
            "period": period,
            "unit": first["unit"] if first is not None else None,
        }
        for label, code in (("high", high), ("low", low), ("area", area), ("england", _areas.ENGLAND_CODE)):
            d = f[(f["area_code"] == code) & (f["indicator"] == indicator) & f["value"].notna()]
            if period is not None:
                d = d[d["period"] == period]
            r = d.sort_values("year").iloc[-1] if len(d) else None
            row[label] = float(r["value"]) if r is not None else np.nan
            row[f"{label}_lower"] = float(r["lower"]) if r is not None else np.nan
            row[f"{label}_upper"] = float(r["upper"]) if r is not None else np.nan
        row["gap"] = row["high"] - row["low"]
        rows.append(row)
    return pd.DataFrame(rows)


# --- charts (the project's style: helpers.charts palette, finding-stating titles, units on axes) ------------


def score_distribution_chart(groups: dict[str, np.ndarray], *, title: str, highlight=(), reference=()):
    """Horizontal box plots of LSOA IMD scores, one per group (top to bottom in the given order).

    ``highlight`` groups are drawn in the focus colour, ``reference`` groups (e.g. England) in grey,
    others in the second categorical colour; whiskers at 1.5 IQR, outlying small areas as dots.
    """
    import matplotlib.pyplot as plt

    from .. import charts

    labels = list(groups)[::-1]
    data = [np.asarray(groups[k], float)[~np.isnan(np.asarray(groups[k], float))] for k in labels]
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(labels) + 1.2)))
    box = ax.boxplot(
        data,
        vert=False,
        patch_artist=True,
        widths=0.6,
        medianprops={"color": "#000000", "linewidth": 1.5},
        flierprops={
            "marker": "o",
            "markersize": 2.5,
            "markerfacecolor": "#3D3D3D",
            "markeredgecolor": "none",
            "alpha": 0.6,
        },
    )
    for patch, median, lab in zip(box["boxes"], box["medians"], labels):
        colour = charts.FOCUS if lab in highlight else charts.CONTEXT if lab in reference else charts.CATEGORICAL[1]
        patch.set_facecolor(colour)
        patch.set_edgecolor("#3D3D3D")
        median.set_color("#FFFFFF" if colour == charts.FOCUS else "#000000")
    ax.set_yticks(range(1, len(labels) + 1), [f"{k} ({len(d):,} areas)" for k, d in zip(labels, data)])
    ax.set_xlabel("IMD 2019 score of each small area (LSOA); higher = more deprived")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_title(title)
    return fig


def spread_end_labels(ax, min_gap_px: float = 14.0) -> None:
    """Move the end-of-line labels that :func:`helpers.charts.trend_lines` writes apart vertically so that
    labels of lines ending close together do not overprint (a display fix only; data are unchanged)."""
    anns = [t for t in ax.texts if hasattr(t, "xyann")]
    if len(anns) < 2:
        return
    fig = ax.figure
    fig.canvas.draw()
    ys = {a: ax.transData.transform(a.xy)[1] for a in anns}
    placed = []
    for a in sorted(anns, key=lambda a: ys[a]):
        y = ys[a] if not placed else max(ys[a], placed[-1] + min_gap_px)
        placed.append(y)
        a.xyann = (a.xyann[0], (y - ys[a]) * 72.0 / fig.dpi)
