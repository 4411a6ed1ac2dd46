"""Briefing 00 — inequality overview: analysis functions.

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

The claim tests (``claim_*``, ``pledge_*``, named in ``manifestos/.../00_inequality.yaml``) take their verdicts
and statuses from :mod:`helpers.verdicts`; nothing here decides a verdict word.

"One of the most unequal" is tested on ONE measure: the population-weighted inter-quartile range of the
national IMD ranks of the area's residents' small areas (:func:`weighted_spread`), ranked among councils of
the same kind; the unweighted spread (each small area counted once) is reported beside it as a sensitivity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import areas as _areas
from .. import national, verdicts
from ..claims import claim_test
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
    la = out["lsoa_code"].map(dict(zip(lookup["lsoa_code"], lookup["la_code"], strict=True)))
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
    """ONS ELS ISO 8601 period -> short label: '2024-01-01/P1Y' -> '2024'; '2024-04-01/P1Y' -> '2024-25';
    '2020-01-01/P3Y' -> '2020-22'; a plain date is kept as its year ('2025-04-30' -> '2025')."""
    if not isinstance(period, str) or not period:
        return "not published"
    start, _, span = period.partition("/")
    year = int(start[:4])
    years = int(span[1:-1]) if span.startswith("P") and span.endswith("Y") and span[1:-1].isdigit() else 1
    if years > 1:
        return f"{year}-{str(year + years - 1)[-2:]}"
    if span and start[5:7] not in ("", "01"):
        return f"{year}-{str(year + 1)[-2:]}"
    return str(year)


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
    for patch, median, lab in zip(box["boxes"], box["medians"], labels, strict=True):
        colour = charts.FOCUS if lab in highlight else charts.CONTEXT if lab in reference else charts.CATEGORICAL[1]
        patch.set_facecolor(colour)
        patch.set_edgecolor("#3D3D3D")
        median.set_color("#FFFFFF" if colour == charts.FOCUS else "#000000")
    ax.set_yticks(range(1, len(labels) + 1), [f"{k} ({len(d):,} areas)" for k, d in zip(labels, data, strict=True)])
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


# --- the register's tests (manifestos/<id>/00_inequality.yaml) --------------------------------------------
#
# Each takes the run's context (``ctx.area``: the council) and the register's parameters and returns a
# helpers.verdicts.Outcome; the verdict words come from helpers.verdicts only. Data are loaded through the
# data layer and cached for the process (a notebook and its claim checks share one load).

#: Fewest small areas an area needs for its spread of ranks to mean anything (City of London has 6, Scilly 1).
MIN_LSOAS_FOR_SPREAD = 10
#: What IoD2019 describes, for the period columns of claims.csv (most indicators are 2015-16 data).
IOD2019_PERIOD, IOD2019_END = "IoD2019 (mostly 2015-16 data)", 2016


@national.table
def lsoas_cached() -> pd.DataFrame:
    """:func:`load_lsoas`, loaded once per process (do not modify the frame returned)."""
    return load_lsoas()


def resident_share(lsoas: pd.DataFrame, group: str, decile: str = "imd_decile", top: int = 2) -> pd.Series:
    """% of each group's residents (mid-2015) living in small areas in England's most deprived ``top`` deciles
    of ``decile`` (e.g. ``health_decile``): population-weighted, so a large small area counts for more."""
    d = lsoas.dropna(subset=[group, decile, "population"])
    deprived = d["population"].where(d[decile] <= top, 0.0)
    return 100 * deprived.groupby(d[group]).sum() / d.groupby(group)["population"].sum()


def weighted_spread(lsoas: pd.DataFrame, group: str = "area_code") -> pd.DataFrame:
    """Population-weighted deprivation spread per group (:func:`helpers.stats.deprivation_spread` with
    ``population``): ``rank_iqr_pct`` is the inter-quartile range of the national IMD ranks of the group's
    residents' small areas, as % of England's 32,844 LSOAs; shares are % of residents. ``rank_iqr_unweighted``
    is the same IQR counting each small area once (the sensitivity). Groups with fewer than
    :data:`MIN_LSOAS_FOR_SPREAD` small areas get no spread (a spread of a handful of areas says nothing)."""
    d = lsoas.dropna(subset=[group])
    w = deprivation_spread(d, group=group, population="population", n_england=N_LSOA_ENGLAND_IMD2019)
    u = deprivation_spread(d, group=group, n_england=N_LSOA_ENGLAND_IMD2019)
    out = w.merge(u[[group, "rank_iqr_pct"]].rename(columns={"rank_iqr_pct": "rank_iqr_unweighted"}), on=group)
    few = out["n_small_areas"] < MIN_LSOAS_FOR_SPREAD
    out.loc[few, ["rank_iqr_pct", "rank_iqr_unweighted"]] = np.nan
    return out


def peer_kinds(kind: str) -> tuple[tuple[str, ...], str]:
    """(kinds of council compared, plural word for readers): counties with counties, single-tier with
    single-tier (unitaries, metropolitan districts and London boroughs)."""
    if kind == "county":
        return ("county",), "counties"
    return tuple(_areas.SINGLE_TIER_KINDS), "single-tier councils"


@national.table
def council_spread() -> pd.DataFrame:
    """:func:`weighted_spread` of every briefing area (county or single-tier council), with its name and kind."""
    table = _areas.areas_table()
    return weighted_spread(lsoas_cached(), "area_code").merge(
        table[["code", "name", "kind"]], left_on="area_code", right_on="code", how="left"
    )


@national.table
def council_measures() -> pd.DataFrame:
    """Every inequality measure of every briefing area, one row per council: :func:`inequality_measures` with the
    population-weighted (``rank_iqr_weighted``, the measure judged) and unweighted (``rank_iqr_unweighted``)
    spreads of residents' ranks, and the council's ``name`` and ``kind``."""
    spread = council_spread()[["area_code", "rank_iqr_pct", "code", "name", "kind"]]
    return (
        inequality_measures(lsoas_cached(), "area_code")
        .merge(spread, on="area_code", suffixes=("", "_w"))
        .rename(columns={"rank_iqr_pct": "rank_iqr_unweighted", "rank_iqr_pct_w": "rank_iqr_weighted"})
    )


def _spread_ranks(code: str, kind: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    spread = council_spread()
    kinds, word = peer_kinds(kind)
    pool = spread[spread["kind"].isin(kinds)].dropna(subset=["rank_iqr_pct"])
    weighted = rank_by_inequality(pool, "rank_iqr_pct")
    unweighted = rank_by_inequality(pool, "rank_iqr_unweighted")
    return weighted, unweighted, word


@claim_test
def claim_most_unequal(ctx) -> verdicts.Outcome:
    """ "{area} is one of the most unequal": the population-weighted spread of its residents' small-area IMD ranks
    (:func:`weighted_spread`) ranked among councils of the same kind (rank 1 = most unequal); "one of the most" =
    the most unequal group the reading table gives for "one of the most", judged by :func:`helpers.verdicts.judge_rank`.
    The unweighted spread is reported as a sensitivity, never instead."""
    area = ctx.area
    weighted, unweighted, word = _spread_ranks(area.code, area.kind)
    mine = weighted[weighted["area_code"] == area.code]
    if mine.empty:
        raise verdicts.NoData(
            f"{area.name} has fewer than {MIN_LSOAS_FOR_SPREAD} IoD2019 small areas, too few for a spread of ranks."
        )
    rank, n = int(mine["rank"].iloc[0]), len(weighted)
    from ..claims import read

    within, near = read("one of the most", "rank").group_size(n)  # the reading table's cut-off, not ours
    rank_u = int(unweighted.loc[unweighted["area_code"] == area.code, "rank"].iloc[0])
    top = weighted.iloc[0]
    value = float(mine["rank_iqr_pct"].iloc[0])
    evidence = (
        f"The middle half of {area.name}'s residents live in small areas spread across {value:.1f}% of England's "
        f"deprivation ranking (population-weighted inter-quartile range of IoD2019 ranks): rank {rank} of {n} "
        f"{word} (1 = most unequal; {top['name']} is first at {top['rank_iqr_pct']:.1f}%). 'One of the most' is "
        f"read through the reading table: ranks 1 to {within} (a partial fit to rank {near}). Sensitivity: counting "
        f"each small area once "
        f"instead of by residents, rank {rank_u} of {n}."
    )
    return verdicts.claim(
        verdicts.judge_rank(rank, n, within=within, near=near),
        evidence,
        period=IOD2019_PERIOD,
        period_end=IOD2019_END,
        value=value,
    )


@claim_test
def claim_named_outcomes_poorer(
    ctx, named: list[str], affluent: list[str], domains: list[str] = ("health", "barriers", "education")
) -> verdicts.Outcome:
    """ "People's health, access to services and life opportunities are poorer in <named> than in <affluent>":
    for each named district and IoD2019 domain (health and disability; barriers to housing and services;
    education, skills and training), the % of residents in England's most deprived 20% on that domain is
    compared with the highest ``affluent`` district (:func:`helpers.verdicts.judge`, above it), and the parts are
    combined with :func:`helpers.verdicts.judge_parts`."""
    lsoas = lsoas_cached()
    names = _areas.names()
    shares = {dom: resident_share(lsoas, "local_code", f"{dom}_decile") for dom in domains}
    codes = list(named) + list(affluent)
    if any(c not in shares[domains[0]].index for c in codes):
        raise verdicts.NoData(f"No IoD2019 small areas for {listing_names(codes, names)}.")
    judged, bits = [], []
    for dom in domains:
        s = shares[dom]
        ref = max(float(s[c]) for c in affluent)
        judged += [verdicts.judge(float(s[c]), ref, claimed="above") for c in named]
        bits.append(f"{DOMAINS[dom].lower()}: " + ", ".join(f"{names[c]} {s[c]:.1f}%" for c in codes))
    evidence = (
        "Residents in England's most deprived 20% of small areas on each IoD2019 domain — "
        + "; ".join(bits)
        + f". Each named district must be above {listing_names(affluent, names)} on each domain."
    )
    return verdicts.claim(
        verdicts.judge_parts(judged, "district-domain comparisons"),
        evidence,
        period=IOD2019_PERIOD,
        period_end=IOD2019_END,
    )


def listing_names(codes, names: dict[str, str]) -> str:
    """'A', 'A and B', 'A, B and C' from GSS codes (names from :func:`helpers.areas.names`)."""
    from ..text import listing

    return listing(names.get(c, c) for c in codes)


@national.table
def population_cached() -> pd.DataFrame:
    """:func:`population_by_area` on the project's data, once per process."""
    from ..datasets import load

    return population_by_area(load("la_population_totals_2005_2020"), _areas.areas_table())


@claim_test
def claim_fastest_growing(ctx, start: int = 2005, end: int = 2020, together_with: list[str] = ()) -> verdicts.Outcome:
    """ "{area} is one of the fastest growing areas in the country": % population growth ``start``-``end`` (ONS
    mid-year estimates) ranked among councils of the same kind; "one of the fastest" = the fastest group the
    reading table gives for those words, judged by :func:`helpers.verdicts.judge_rank` (estimates of every council:
    judged on the value). ``together_with`` (e.g. Peterborough for the JSNA's "Cambridgeshire and
    Peterborough") adds the combined area's growth to the evidence; it does not change the verdict."""
    area = ctx.area
    growth = growth_summary(population_cached(), start, end, trend_codes=[])
    kinds, word = peer_kinds(area.kind)
    peers = growth[growth["kind"].isin(kinds)].copy()
    if area.code not in set(peers["code"]):
        raise verdicts.NoData(
            f"The ONS {start}-{end} population series has no {area.name} (a council created after {end})."
        )
    peers["rank"] = peers["growth_pct"].rank(ascending=False, method="min").astype(int)
    me = peers[peers["code"] == area.code].iloc[0]
    n = len(peers)
    from ..claims import read

    within, near = read("one of the most", "rank").group_size(n)  # the reading table's cut-off, not ours
    eng = growth[growth["code"] == _areas.ENGLAND_CODE].iloc[0]
    top = peers.sort_values("rank").iloc[0]
    evidence = (
        f"{area.name}'s population grew {me['growth_pct']:.1f}% from {start} to {end} (England "
        f"{eng['growth_pct']:.1f}%): rank {int(me['rank'])} of {n} {word} (1 = fastest; {top['name']} first at "
        f"{top['growth_pct']:.1f}%). 'One of the fastest' is read through the reading table: ranks 1 to {within} "
        f"(partly to {near})."
    )
    together = [c for c in together_with if c in set(growth["code"])]
    if together:
        both = growth[growth["code"].isin([area.code, *together])]
        combined = 100 * (both["pop_end"].sum() / both["pop_start"].sum() - 1)
        names = _areas.names()
        evidence += (
            f" {area.name} and {listing_names(together, names)} together grew {combined:.1f}% (the JSNA finding "
            "speaks of both)."
        )
    return verdicts.claim(
        verdicts.judge_rank(int(me["rank"]), n, within=within, near=near),
        evidence,
        period=f"{start} to {end}",
        period_end=end,
        value=float(me["growth_pct"]),
    )


def deprivation_pledge_district(code: str, kind: str) -> str | None:
    """The district whose IoD2019 to IoD2025 change tracks the poverty pledge: a county's most deprived district
    by IoD2019 average score that exists in both editions, else the council itself (None if neither edition
    has it)."""
    from ..datasets import load

    summ = load("iod_lad_summaries_2019_2025")
    imd = summ[summ["domain"] == "imd"]
    both = set(imd.loc[imd["edition"] == 2019, "area_code"]) & set(imd.loc[imd["edition"] == 2025, "area_code"])
    if kind != "county":
        return code if code in set(imd["area_code"]) else None
    districts = [d.code for d in _areas.districts_of(code) if d.code in both]
    if not districts:
        return None
    d19 = imd[(imd["edition"] == 2019) & imd["area_code"].isin(districts)]
    return str(d19.sort_values("average_score", ascending=False)["area_code"].iloc[0])


@claim_test
def pledge_reduce_deprivation(ctx) -> verdicts.Outcome:
    """Reduce poverty and inequality, tracked by the % of small areas of the most deprived district (a county) or
    of the council (single-tier) in England's most deprived 10%, IoD2019 against IoD2025: two editions and no
    interval, so :func:`helpers.verdicts.pledge_from_change` (direction only). Ranks are relative within each
    edition and the small areas changed (2011 to 2021 LSOAs), so a change is relative to the rest of England."""
    from ..datasets import load

    area = ctx.area
    code = deprivation_pledge_district(area.code, area.kind)
    if code is None:
        raise verdicts.NoData(f"No IoD district summary covers {area.name} (boundaries changed between editions).")
    change = iod_change(load("iod_lad_summaries_2019_2025"), [code]).iloc[0]
    name = _areas.names().get(code, code)
    where = f"{name} ({area.name}'s most deprived district in IoD2019)" if code != area.code else area.name
    s19, s25 = change["share10_2019"], change["share10_2025"]
    if pd.isna(s19) and pd.isna(s25):
        raise verdicts.NoData(f"No IoD district summary for {area.name}.")
    indicator = f"% of small areas of {where} in England's most deprived 10% (IoD2019 and IoD2025)"
    if pd.isna(s25) or pd.isna(s19):
        only, ed = (s19, "IoD2019") if pd.notna(s19) else (s25, "IoD2025")
        return verdicts.pledge_baseline(
            latest=f"{only:.1f}% ({ed})",
            evidence=f"{where}: {only:.1f}% of small areas in England's most deprived 10% ({ed}); the other "
            "edition has no summary for these boundaries.",
            period=ed,
            period_end=2016 if ed == "IoD2019" else 2023,
            indicator=indicator,
        )
    return verdicts.pledge_from_change(
        float(s19),
        float(s25),
        polarity="lower_is_better",
        latest=f"{s25:.1f}% (IoD2025)",
        evidence=(
            f"{where}: {s19:.1f}% of small areas in England's most deprived 10% in IoD2019 (mostly 2015-16 data) "
            f"and {s25:.1f}% in IoD2025 (mostly 2021-23 data). Ranks are relative within each edition and the small "
            "areas were redrawn in 2021, so this shows movement relative to the rest of England only."
        ),
        period="IoD2019 to IoD2025",
        period_end=2023,
        indicator=indicator,
    )


def change_words(before: float, after: float, unit: str = "", dp: int = 1) -> str:
    """'rose from 7.3% to 8.9%', 'fell from …', or 'stayed at 0.0%' when the two round to the same value."""
    a, b = f"{before:.{dp}f}{unit}", f"{after:.{dp}f}{unit}"
    if a == b:
        return f"stayed at {a}"
    return f"{'rose' if after > before else 'fell'} from {a} to {b}"


def claim_links(b, *, indicators=(), functions=(), claims_only: bool = False) -> str:
    """Links (``b.link_claim``) to the register's entries that apply to this council and test one of
    ``indicators`` (a check's catalogue id) or name one of ``functions`` (a hand-written test), joined with "; ";
    "" when the register has none. Lets a notebook point at its claims without naming a claim id."""
    from .. import register

    found = []
    for what in ("claims",) if claims_only else ("claims", "pledges"):
        for _, entry in b.manifesto.entries(what):
            if register.applies(entry, b.area.code) is None:
                continue
            uses = (entry.check is not None and entry.check.parsed().indicator in indicators) or (
                entry.test is not None and entry.test.function in functions
            )
            if uses:
                found.append(b.link_claim(entry.id))
    return "; ".join(found)


# --- panels: one question of notebooks/00_inequality.ipynb each ------------------------------------------
#
# Each takes the briefing (its area, and its register for links to the claims) and returns a helpers.panels
# Panel: the frame behind the question, the sentences, tables and charts built from it, findings and gaps.

#: Datasets behind the small-area views.
IMD_SOURCES = ["imd2019_lsoa_england", "imd2019_scores_and_la_composite_mysociety", "uk_la_names_codes_hierarchy"]
#: The one measure the claim "one of the most unequal" is judged on (:func:`claim_most_unequal`).
JUDGED_MEASURE = "rank_iqr_weighted"
#: Measures shown in the ranking table: the judged one first, then the sensitivities.
SHOWN_MEASURES = {
    JUDGED_MEASURE: "Spread of residents' deprivation ranks (IQR, % of England) — the measure judged",
    "rank_iqr_unweighted": "Spread of small areas' ranks, each counted once (sensitivity)",
    "score_iqr": "Spread of IMD scores (IQR, score points; sensitivity)",
    "sii_score": "Slope index of inequality of IMD score (score points; sensitivity)",
}
#: How many of the most unequal councils the ranking chart shows (the area and its similar councils are added).
CHART_TOP = 20
CAVEATS = "\n".join(
    [
        "- **IoD2019 is a snapshot** of mostly 2015-16 data on 2011 small areas; it ranks neighbourhoods relative "
        "to each other, so a rank says nothing about absolute living standards, and scores are not a ratio scale.",
        "- **Small areas are assigned to today's councils** with mySociety's LSOA lookup, so councils created since "
        "2019 get their LSOAs; counties are the sum of their districts.",
        "- **One measure decides whether the area is among the most unequal**: the spread of its residents across "
        "England's deprivation ranking (the inter-quartile range of their small areas' ranks, weighted by "
        "mid-2015 population), ranked among councils of the same kind (counties with counties, single-tier councils "
        "with single-tier councils); 'one of the most' is read through the reading table (the most unequal tenth, "
        "partly the most unequal 15%). The other measures are "
        f"sensitivities. Areas with fewer than {MIN_LSOAS_FOR_SPREAD} small areas are not ranked.",
        "- **IoD2019 and IoD2025 are not directly comparable**: different small areas (2011 vs 2021), district "
        "boundaries and some indicators; ranks are relative within each edition.",
        "- **Population estimates 2005-2020** are ONS mid-year estimates before the Census 2021 revisions; England "
        "and regions are sums of councils; councils created after 2020 have no series.",
        "- **Outcomes** are the latest ONS Explore Local Statistics values; some are survey estimates with wide "
        "intervals for districts, and some are not published for districts at all.",
    ]
)


def _panels():
    from .. import panels

    return panels


def overview(b):
    """The area, its region and its similar councils."""
    from ..text import listing

    a = b.area
    _, word = peer_kinds(a.kind)
    similar = b.similar()
    frame = pd.DataFrame(
        {"area_code": [a.code] + [s.code for s in similar], "area_name": [a.name] + [s.name for s in similar]}
    )
    text = (
        f"**Area:** {a.name} ({a.code}), a {a.kind} in {a.region}. Similar {word} (project model): "
        f"{listing(s.name for s in similar)}."
    )
    return _panels().Panel("The area", frame=frame, parts=[text])


def small_areas(code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the council's IoD2019 small areas, inequality measures of each of its districts — the council itself for
    a single-tier council — with ``name`` and ``residents_20``, most deprived first)."""
    table = _areas.areas_table()
    lsoas = lsoas_cached()
    mine = lsoas[lsoas["area_code"] == code]
    local = inequality_measures(mine, "local_code").merge(
        table[["code", "name"]], left_on="local_code", right_on="code", how="left"
    )
    local["residents_20"] = local["local_code"].map(resident_share(mine, "local_code"))
    return mine, local.sort_values("mean_score", ascending=False).reset_index(drop=True)


def inside_the_area(b):
    """How unequal the area is inside itself: its small areas' IMD scores district by district against the region
    and England (chart), and each district's share of small areas and residents in England's most deprived 10%
    and 20% (table and sentence)."""
    from ..text import fmt, listing

    a, panels = b.area, _panels()
    is_county = a.kind == "county"
    lsoas = lsoas_cached()
    mine, local = small_areas(a.code)
    p = panels.Panel("How unequal is the area inside itself?", frame=local)
    if mine.empty:
        return p.gap(
            f"{a.name} has no IoD2019 small areas in the LSOA lookup, so the small-area questions cannot be answered."
        )
    if not is_county:
        p.say(
            f"{a.name} is a single-tier council: it has no districts, so the district view does not apply. "
            "Below, the council as a whole is set against its region and England."
        )
    groups = {d.name: mine.loc[mine["local_code"] == d.code, "imd_score"].to_numpy() for d in b.districts}
    if is_county:
        groups[a.name] = mine["imd_score"].to_numpy()
    groups[f"{a.region} (region)"] = lsoas.loc[lsoas["region"] == a.region, "imd_score"].to_numpy()
    groups["England"] = lsoas["imd_score"].to_numpy()
    most, least = local.iloc[0], local.iloc[-1]
    data = pd.DataFrame(
        [
            {"area_name": k, "period": "IoD2019", "value": np.nanmedian(v), "lower": np.nanpercentile(v, 25),
             "upper": np.nanpercentile(v, 75), "n_small_areas": len(v)}
            for k, v in groups.items()
        ]
    )  # fmt: skip
    title = (
        f"{most['name']}'s small areas are the most deprived in {a.name}"
        if is_county
        else f"{a.name}'s small areas compared with {a.region} and England"
    )
    fig = score_distribution_chart(
        groups, title=title, highlight=[d.name for d in b.districts] + [a.name],
        reference=["England", f"{a.region} (region)"],
    )  # fmt: skip
    med = data.set_index("area_name")["value"]
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Box plots of IoD2019 IMD scores of small areas for {listing(groups)}. Median score "
                f"{fmt(med[most['name']], '', 1)} in {most['name']} against {fmt(med['England'], '', 1)} in England."
            ),
            data=data,
            sources=IMD_SOURCES,
            caption="Distribution of small-area (LSOA) IMD 2019 scores; box = middle half, line = median.",
        )
    )
    cols = ["name", "n_small_areas", "mean_score", "share_most_deprived_10", "share_most_deprived_20", "residents_20"]
    view = local[cols]
    measures = council_measures()
    whole = measures[measures["area_code"] == a.code]
    if is_county:
        whole = whole.assign(name=f"{a.name} (all)", residents_20=resident_share(mine, "area_code").get(a.code))
        view = pd.concat([view, whole[cols]])
    p.add(
        panels.Table(
            view,
            caption=f"Small areas of {a.name} in England's most deprived 10% and 20% (IoD2019; England: 10% and 20% "
            "by definition)",
            sources=IMD_SOURCES,
            formats={"n_small_areas": "int", "mean_score": "dp1", "share_most_deprived_10": "pct",
                     "share_most_deprived_20": "pct", "residents_20": "pct"},
            labels={"name": "Area", "n_small_areas": "Small areas", "mean_score": "Average IMD score",
                    "share_most_deprived_10": "Small areas in most deprived 10% (%)",
                    "share_most_deprived_20": "Small areas in most deprived 20% (%)",
                    "residents_20": "Residents in most deprived 20% (%)"},
        )
    )  # fmt: skip
    if is_county:
        p.say(
            f"{most['name']} has the highest average IMD 2019 score in {a.name} ({fmt(most['mean_score'], '', 1)}, "
            f"population-weighted), with {fmt(most['share_most_deprived_10'], '%')} of its "
            f"{int(most['n_small_areas'])} small areas in England's most deprived 10% and "
            f"{fmt(most['share_most_deprived_20'], '%')} in the most deprived 20%. {least['name']} has the lowest "
            f"({fmt(least['mean_score'], '', 1)}; {fmt(least['share_most_deprived_20'], '%')} in the most deprived "
            "20%). These are counts of every small area, not samples, so no confidence interval applies. The claims "
            "about named districts are checked at the end of the page."
        )
        p.finding(
            f"{most['name']} is {a.name}'s most deprived district: {fmt(most['share_most_deprived_10'], '%')} of its "
            f"small areas are in England's most deprived 10% and {fmt(most['share_most_deprived_20'], '%')} in the "
            f"most deprived 20%, against {fmt(least['share_most_deprived_20'], '%')} in {least['name']} (IoD2019)."
        )
    else:
        row = whole.iloc[0]
        n = int(row["n_small_areas"])
        p.say(
            f"{fmt(row['share_most_deprived_10'], '%')} of {a.name}'s {n} small area{'s' if n != 1 else ''} "
            f"{'are' if n != 1 else 'is'} in England's most deprived 10% and {fmt(row['share_most_deprived_20'], '%')} "
            "in the most deprived 20% (England: 10% and 20% by definition); average IMD score "
            f"{fmt(row['mean_score'], '', 1)}. These are counts of every small area, not samples."
        )
        p.finding(
            f"{fmt(row['share_most_deprived_10'], '%')} of {a.name}'s small areas are in England's most "
            "deprived 10% (IoD2019), against 10% for England by definition."
        )
    return p


def domains(b):
    """Which IoD2019 domains lie behind the deprivation: % of small areas in England's most deprived 20% on each
    domain, by district, and a sentence on the most deprived district's leading domains."""
    from ..text import fmt, listing

    a, panels = b.area, _panels()
    mine, local = small_areas(a.code)
    is_county = a.kind == "county"
    group = "local_name" if is_county else "area_name"
    dom = domain_shares(mine, group).rename(columns={"imd": "IMD (overall)", **DOMAINS}).reset_index()
    dom = dom.rename(columns={group: "Area"})
    p = panels.Panel("Which domains lie behind it?", frame=dom)
    if dom.empty:
        return p
    p.add(
        panels.Table(
            dom,
            caption="% of small areas in England's most deprived 20% on each IoD2019 domain (England: 20% on every "
            "domain)",
            sources=["imd2019_lsoa_england", "uk_la_names_codes_hierarchy"],
            formats={c: "pct" for c in dom.columns if c != "Area"},
        )
    )
    focus = dom[dom["Area"] == (local.iloc[0]["name"] if is_county else a.name)].iloc[0]
    dom_only = focus[list(DOMAINS.values())].astype(float).sort_values(ascending=False)
    top_domains = dom_only[dom_only > 0].head(3)
    lead = (
        f"In {focus['Area']}, the domains with the largest share of small areas in England's most deprived 20% are "
        + listing(f"{k.lower()} ({fmt(v, '%')})" for k, v in top_domains.items())
    )
    if not len(top_domains):
        return p.say(f"None of {focus['Area']}'s small areas is in England's most deprived 20% on any domain.")
    if (dom_only == 0).any():
        return p.say(f"{lead}; {listing(k.lower() for k in dom_only[dom_only == 0].index)} have none.")
    return p.say(f"{lead}; the lowest is {dom_only.index[-1].lower()} ({fmt(dom_only.iloc[-1], '%')}).")


def _ranking_pool(kind: str) -> tuple[pd.DataFrame, pd.Series, str]:
    measures = council_measures()
    upper = measures[measures["kind"].isin(_areas.BRIEFING_KINDS)].copy()
    kinds, word = peer_kinds(kind)
    return upper, upper["kind"].isin(kinds), word


def inequality_ranking(b):
    """Is the area "one of the most unequal"? Its rank among councils of its kind on the judged measure and on
    the sensitivities (table), the most unequal councils with the area and its similar councils (chart), a
    finding and the link to the claim."""

    a, panels = b.area, _panels()
    upper, is_peer, word = _ranking_pool(a.kind)
    rows = []
    for m, label in SHOWN_MEASURES.items():
        rp, ra = rank_areas(upper, m, is_peer), rank_areas(upper, m)
        mine_p, mine_a = rp[rp["area_code"] == a.code], ra[ra["area_code"] == a.code]
        rows.append(
            {
                "measure": label,
                "value": upper.loc[upper["area_code"] == a.code, m].iloc[0],
                "rank_peer": mine_p["rank"].iloc[0] if len(mine_p) else pd.NA,
                "n_peer": int(rp["n_ranked"].iloc[0]),
                "rank_all": mine_a["rank"].iloc[0] if len(mine_a) else pd.NA,
                "n_all": int(ra["n_ranked"].iloc[0]),
            }
        )
    ranks = pd.DataFrame(rows)
    p = panels.Panel("How does the area's inequality rank in England?", frame=ranks)
    p.add(
        panels.Table(
            ranks,
            caption=f"{a.name}: within-area inequality, rank 1 = most unequal (IoD2019 small areas). Only the first "
            "measure decides the claim; the others show whether the rank depends on the measure.",
            sources=IMD_SOURCES,
            formats={"measure": "text", "value": "dp1", "rank_peer": "int", "n_peer": "int", "rank_all": "int",
                     "n_all": "int"},
            labels={"measure": "Measure", "value": "Value", "rank_peer": f"Rank among {word}",
                    "n_peer": f"{word.capitalize()} ranked", "rank_all": "Rank among all upper-tier",
                    "n_all": "Upper-tier ranked"},
        )
    )  # fmt: skip
    pm = JUDGED_MEASURE
    ranked = rank_areas(upper, pm, is_peer)
    ranked = ranked[ranked[pm].notna()]
    mine_rank = ranked.loc[ranked["area_code"] == a.code, "rank"]
    if mine_rank.empty:
        p.gap(f"{a.name} has too few small areas for a spread of deprivation ranks, so it is not ranked.")
    else:
        _ranking_chart(p, b, ranked, int(mine_rank.iloc[0]), word)
    links = claim_links(b, indicators=["imd2019-deprivation-spread"])
    if links:
        p.say(f"The claim is checked at the end of the page: {links}.")
    return p


def _ranking_chart(p, b, ranked: pd.DataFrame, rank: int, word: str) -> None:
    from .. import charts
    from ..text import fmt

    a, panels, pm = b.area, _panels(), JUDGED_MEASURE
    similar = {s.name for s in b.similar()}
    shown = pd.concat([ranked.head(CHART_TOP), ranked[ranked["name"].isin({a.name} | similar)]])
    shown = shown.drop_duplicates("area_code").copy()
    shown["label"] = shown["name"].map(lambda n: f"{n} (similar)" if n in similar else n)
    median, n, value = float(ranked[pm].median()), len(ranked), float(ranked.set_index("area_code").loc[a.code, pm])
    fig = charts.ranked_bars(
        shown, "label", pm, highlight=[a.name], benchmark=median, benchmark_label=f"median of {word}",
        title=f"{a.name} ranks {rank} of {n} {word} on the spread of its residents' deprivation ranks",
        xlabel="Inter-quartile range of residents' small-area IMD ranks "
        f"(% of England's {N_LSOA_ENGLAND_IMD2019:,} LSOAs)",
    )  # fmt: skip
    data = shown.rename(columns={"name": "area_name", pm: "value"}).assign(period="IoD2019")
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Bar chart of the population-weighted inter-quartile range of small-area IMD 2019 ranks for the "
                f"{min(CHART_TOP, n)} most unequal {word}, plus {a.name} (highlighted) and its similar councils. "
                f"{a.name}: {fmt(value, '%')}, rank {rank} of {n}; median {fmt(median, '%')}."
            ),
            data=data[["area_code", "area_name", "period", "value", "rank"]],
            sources=["imd2019_lsoa_england", "uk_la_names_codes_hierarchy"],
            caption=(
                f"A wider bar means the middle half of residents live in neighbourhoods further apart in England's "
                f"ranking. The {CHART_TOP} most unequal {word} are shown, with {a.name} and similar councils added "
                f"where outside them; the dashed line is the median of all {n}."
            ),
        )
    )
    top = ranked.iloc[0]
    p.finding(
        f"{a.name} ranks {rank} of {n} English {word} on how widely its residents are spread across England's "
        f"deprivation ranking (IoD2019); {top['name']} is the most unequal ({fmt(top[pm], '%')} against "
        f"{fmt(value, '%')})."
    )


def spread_and_deprivation(b):
    """Inequality within an area is not average deprivation: every council's average IMD score against the
    spread of its residents' ranks, with their rank correlation."""
    from .. import charts

    a, panels, pm = b.area, _panels(), JUDGED_MEASURE
    upper, _, _ = _ranking_pool(a.kind)
    frame = upper.dropna(subset=[pm])
    corr = float(frame[["mean_score", pm]].corr(method="spearman").iloc[0, 1])
    fig = charts.scatter_with_fit(
        frame, "mean_score", pm, label="name", highlight=[a.name],
        title="Inequality within an area is not the same as average deprivation",
        xlabel="Average IMD 2019 score (population-weighted; higher = more deprived)",
        ylabel="Spread of residents' ranks (IQR, %)",
    )  # fmt: skip
    data = frame.rename(columns={"name": "area_name", pm: "value"}).assign(period="IoD2019")
    data = data[["area_code", "area_name", "period", "mean_score", "value"]]
    p = panels.Panel("Inequality and average deprivation", frame=data)
    return p.add(
        panels.Figure(
            fig,
            alt=(
                f"Scatter of {len(frame)} counties and single-tier councils: average IMD score against the spread "
                f"of residents' small-area ranks, {a.name} highlighted. Spearman correlation {corr:.2f}."
            ),
            data=data,
            sources=IMD_SOURCES,
            caption=(
                f"Each dot is a county or single-tier council; {a.name} is highlighted. Average deprivation and "
                f"spread are only loosely related (Spearman correlation {corr:.2f}), so a deprived council need not "
                "be unequal."
            ),
        )
    )


def deprivation_change(b):
    """Did it change? IoD2019 against IoD2025 district summaries (scores, ranks, share in the most deprived 10%)."""
    from .. import areas
    from ..datasets import load
    from ..text import listing

    panels = _panels()
    change = iod_change(load("iod_lad_summaries_2019_2025"), [d.code for d in b.districts])
    change.insert(0, "Area", change["area_code"].map(areas.names()))
    n19, n25 = int(change["n_2019"].iloc[0]), int(change["n_2025"].iloc[0])
    p = panels.Panel("Did it change? IoD2019 against IoD2025", frame=change)
    labels = {
        "score_2019": "Avg score 2019", "score_2025": "Avg score 2025",
        "rank_score_2019": f"Rank 2019 (of {n19})", "rank_score_2025": f"Rank 2025 (of {n25})",
        "share10_2019": "% in most deprived 10%, 2019", "share10_2025": "% in most deprived 10%, 2025",
    }  # fmt: skip
    fmts = ["dp1", "dp1", "int", "int", "pct", "pct"]
    p.add(
        panels.Table(
            change[["Area", *labels]],
            caption="IoD2019 and IoD2025 district summaries (rank 1 = most deprived district; ranks are relative)",
            sources=["iod_lad_summaries_2019_2025"],
            formats=dict(zip(labels, fmts, strict=True)),
            labels=labels,
        )
    )
    missing = change[change[["score_2019", "score_2025"]].isna().any(axis=1)]
    if len(missing):
        p.say(
            f"No district summary in one edition for {listing(missing['Area'])}: council boundaries changed between "
            "2019 and 2024 (or the council is a county), so the two editions cannot be set side by side there."
        )
    p.say(
        "IoD2025 uses 2021 LSOAs and 2024 districts and a revised method; scores and ranks are relative to the rest "
        "of England at each edition, so a change means the area moved *relative to other areas*, not necessarily in "
        "absolute terms. No IoD2025 small-area file is held here, so the small-area spread cannot be recomputed for "
        "2025."
    )
    both = change.dropna(subset=["score_2019", "score_2025"])
    if len(both):
        w = both.sort_values("score_2025", ascending=False).iloc[0]
        p.finding(
            f"Between IoD2019 and IoD2025 the share of {w['Area']}'s small areas in England's most deprived 10% "
            f"{change_words(w['share10_2019'], w['share10_2025'], '%')}, and its rank among districts moved from "
            f"{int(w['rank_score_2019'])} of {n19} to {int(w['rank_score_2025'])} of {n25} (1 = most deprived)."
        )
    return p


def population_growth(b, start: int, end: int):
    """Population growth ``start``-``end``: the area, its region, England and similar councils indexed to
    ``start`` (chart), growth and rank among upper-tier councils (table), the log-linear trend (diagnostics)."""
    from .. import areas, charts
    from ..text import fmt

    a, panels = b.area, _panels()
    pop = population_cached()
    codes = [c for c in [a.code, b.region.code, areas.ENGLAND_CODE] + [s.code for s in b.similar()]
             if c in set(pop["code"])]  # fmt: skip
    growth = growth_summary(pop, start, end, trend_codes=codes)
    upper = growth[growth["kind"].isin(areas.BRIEFING_KINDS)].copy()
    upper["rank"] = upper["growth_pct"].rank(ascending=False, method="min")
    tab = growth[growth["code"].isin(codes)].copy()
    tab = tab.sort_values("code", key=lambda c: c.map({k: i for i, k in enumerate(codes)}))
    tab["rank"] = tab["code"].map(upper.set_index("code")["rank"])
    p = panels.Panel(f"Growth: population {start}-{end}", frame=tab)
    me = growth[growth["code"] == a.code]
    if me.empty:
        return p.gap(
            f"The population series has no {start}-{end} row for {a.name} (a council created after the "
            "source data), so its growth cannot be measured here."
        )
    me, eng = me.iloc[0], growth[growth["code"] == areas.ENGLAND_CODE].iloc[0]
    series = pop[pop["code"].isin(codes) & pop["year"].between(start, end)].copy()
    base = series[series["year"] == start].set_index("code")["population"]
    series["value"] = 100 * series["population"] / series["code"].map(base)
    series["area_name"] = series["code"].map(areas.names())
    fig = charts.trend_lines(
        series, "year", "value", "area_name", highlight=[a.name, b.region.name, "England"],
        title=f"{a.name} grew {fmt(me['growth_pct'], '%')} in {start}-{end}, England {fmt(eng['growth_pct'], '%')}",
        ylabel=f"Population, index {start} = 100",
    )  # fmt: skip
    spread_end_labels(fig.axes[0])
    data = series.rename(columns={"code": "area_code"}).assign(period=series["year"].astype(int).astype(str))
    p.add(
        panels.Figure(
            fig,
            alt=(
                f"Line chart of population indexed to {start} = 100 for {a.name}, {b.region.name}, England and "
                f"similar councils (grey) to {end}. {a.name} reaches {fmt(100 + me['growth_pct'], '', 1)}, England "
                f"{fmt(100 + eng['growth_pct'], '', 1)}."
            ),
            data=data[["area_code", "area_name", "period", "value", "population"]],
            sources=["la_population_totals_2005_2020", "uk_la_names_codes_hierarchy"],
            caption=f"Similar councils are drawn in grey; a line above England's grew faster from {start}.",
        )
    )
    p.add(
        panels.Table(
            tab[["name", "pop_start", "pop_end", "growth_pct", "rank"]],
            caption=f"Population growth {start} to {end} (ONS mid-year estimates; rank 1 = fastest)",
            sources=["la_population_totals_2005_2020", "uk_la_names_codes_hierarchy"],
            formats={"pop_start": "int", "pop_end": "int", "growth_pct": "pct", "rank": "int"},
            labels={"name": "Area", "pop_start": f"Population {start}", "pop_end": f"Population {end}",
                    "growth_pct": "Growth (%)", "rank": f"Rank of {len(upper)} upper-tier"},
        )
    )  # fmt: skip
    trend_rows = tab.dropna(subset=["apc"])
    if len(trend_rows):
        p.details.append(
            "Population trend. Log-linear trend in population, annual % change (95% interval): "
            + "; ".join(
                f"{r['name']} {r['apc']:.2f}% ({r['apc_lower']:.2f} to {r['apc_upper']:.2f})"
                for _, r in trend_rows.iterrows()
            )
            + f". Model: {trend_rows['assumptions'].iloc[0]}. Population estimates move smoothly from year to year, "
            "so the errors are autocorrelated and the intervals are too narrow; read them as the average pace, not a "
            "test. The claim uses the ranking of growth only."
        )
    kinds, word = peer_kinds(a.kind)
    peers = upper[upper["kind"].isin(kinds)]
    rank = int(peers["growth_pct"].rank(ascending=False, method="min")[peers["code"] == a.code].iloc[0])
    p.finding(
        f"{a.name}'s population grew {fmt(me['growth_pct'], '%')} between {start} and {end} "
        f"(England {fmt(eng['growth_pct'], '%')}), rank {rank} of {len(peers)} {word}."
    )
    links = claim_links(b, indicators=["population-growth-since-2005"])
    return p.say(f"Claim: {links}.") if links else p


def outcome_gap(b):
    """The gap in outcomes other briefings examine: the most against the least deprived district (a single-tier
    council against England), with 95% intervals compared with England where published."""
    from .. import areas
    from ..datasets import load
    from ..stats import compare_with_benchmark
    from ..text import fmt, listing

    a, panels = b.area, _panels()
    is_county = a.kind == "county"
    tables = {t: load("ons_explore_local_statistics", t) for t in dict.fromkeys(o[0] for o in GAP_OUTCOMES)}
    _, local = small_areas(a.code)
    if is_county and len(local):
        high, low = local.iloc[0]["local_code"], local.iloc[-1]["local_code"]
        high_name, low_name = local.iloc[0]["name"], local.iloc[-1]["name"]
    else:
        high, low, high_name, low_name = a.code, areas.ENGLAND_CODE, a.name, "England"
    gaps = gap_rows(tables, high, low, a.code)
    for who in ("high", "low", "area"):
        gaps[f"{who}_vs"] = [
            compare_with_benchmark(r[f"{who}_lower"], r[f"{who}_upper"], r["england"], r["polarity"])
            for _, r in gaps.iterrows()
        ]
    gaps["period"] = gaps["period"].map(period_label)
    p = panels.Panel("The gap in outcomes", frame=gaps)
    if not is_county:
        p.say(f"{a.name} has no districts, so the council is compared with England.")
    cols = {"indicator": "Outcome", "period": "Period", "unit": "Unit", "high": high_name,
            "high_vs": f"{high_name} vs England", "low": low_name, "gap": "Gap"}  # fmt: skip
    if is_county:
        cols |= {"low_vs": f"{low_name} vs England", "area": a.name, "area_vs": f"{a.name} vs England"}
        cols["england"] = "England"
    cols["deeper"] = "Briefing that goes deeper"
    p.add(
        panels.Table(
            gaps[list(cols)].rename(columns=cols),
            caption=f"Latest outcomes: {high_name} against {low_name} (95% intervals compared with England where "
            "published; 'not compared' where no interval is published)",
            sources=["ons_explore_local_statistics"],
        )
    )
    nodata = gaps[gaps["high"].isna() | gaps["low"].isna()]
    if len(nodata):
        p.say(
            f"Not published for {high_name} or {low_name}: {listing(nodata['indicator'])} (ONS publishes some "
            "outcomes only for counties and unitaries, e.g. healthy life expectancy)."
        )
    both = gaps.dropna(subset=["high", "low"])
    sentences = []
    for _, r in both.iterrows():
        unit = r["unit"] if r["unit"] in ("£", "%") else ""
        tail, dp = ("" if unit else f" {r['unit']}"), (0 if unit == "£" else 1)
        sentences.append(
            f"{r['indicator']}: {fmt(r['high'], unit, dp)}{tail} in {high_name} against {fmt(r['low'], unit, dp)}"
            f"{tail} in {low_name} ({r['period']})"
        )
    p.say("Gap in outcomes — " + "; ".join(sentences) + "." if sentences else "No outcome is published for both areas.")
    parts = []
    for _, g in both[both["table"] == "gcses-in-english-and-maths"].head(1).iterrows():
        parts.append(
            f"{fmt(g['high'], '%')} of pupils reached the GCSE English and maths standard in {high_name} "
            f"against {fmt(g['low'], '%')} in {low_name} ({g['period']})"
        )
    for _, g in both[both["table"] == "gross-median-weekly-pay"].head(1).iterrows():
        parts.append(f"median weekly pay was {fmt(g['high'], '£', 0)} against {fmt(g['low'], '£', 0)}")
    if is_county and parts:
        p.finding(
            f"The gap inside {a.name} is wide: " + " and ".join(parts) + f" ({high_name} is the most and "
            f"{low_name} the least deprived district by IoD2019 average score)."
        )
    return p
