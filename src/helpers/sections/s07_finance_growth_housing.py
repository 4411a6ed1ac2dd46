"""Briefing 07 - Finance, growth, housing and pay (manifesto §7): analysis functions and the register's tests.

The notebook ``notebooks/07_finance_growth_housing.ipynb`` shows the evidence; the claims and pledges of §7 are
listed once in ``manifestos/cambridgeshire-labour-2021/07_finance_growth_housing.yaml`` and tested here by the
``claim_*`` / ``pledge_*`` functions (signature ``fn(ctx, **params) -> verdicts.Outcome``). Every verdict and
status comes from :mod:`helpers.verdicts`; trends from :mod:`helpers.stats` with the series breaks declared in
the registry. Councils created by mergers are added up from their former councils (:mod:`helpers.predecessors`).

Units: spending power £ million (cash) and £ per resident (cash); completions in dwellings (calendar years);
house price to earnings ratio (times); pay £ a week; GDHI £ per head. Figures here are cash; real terms come from
the indicator store (``helpers.indicators.get``: ``value_real``, ONS GDP deflator), which the register's money
checks use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import areas, charts, national, predecessors, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..panels import Figure, Panel, Table
from ..stats import compare_with_benchmark
from ..stats.trends import TrendResult, try_fit_trend
from ..text import fmt, fmt_interval, fy, listing

ELS = "ons_explore_local_statistics"
SPEND = "la_spending_power_2011_12_to_2020_21"
POP = "la_population_totals_2005_2020"
HOUSE = "housebuilding_by_tenure_incl_affordable_la_cfc_1974_2023"
CTAX = "council_tax_requirement_band_d_asc_la_2014_15_to_2023_24"
RS = "la_revenue_outturn_summary_rs_2010_11_to_2017_18"
#: Financial years (first calendar year) of the grant comparison: the first year of business rates retention
#: (Revenue Support Grant redefined) and the last year in the revenue outturn files loaded.
RSG_YEARS = (2013, 2017)
AFFORD = "housing-affordability-ratio"
NET_ADD = "net-additions-to-the-housing-stock"
PAY = "gross-median-weekly-pay"
GDHI = "gross-disposable-household-income-per-head"
EMP = "employment-rate"
APPS = "apprenticeships"
#: Financial years (first calendar year) of the two consistent spending-power series.
OLD_SERIES = (2011, 2015)  # 'spending power', 2011-12 to 2015-16
NEW_SERIES = (2016, 2020)  # 'core spending power', 2016-17 to 2020-21
KIND_PLURAL = {
    "county": "county councils",
    "unitary": "unitary councils",
    "metropolitan district": "metropolitan districts",
    "london borough": "London boroughs",
}
# --- data -----------------------------------------------------------------------------------------


def breaks(dataset: str, table: str | None = None) -> list[dict]:
    """Series breaks declared in the dataset's registry entry (those for ``table`` or for every table)."""
    return [b for b in registry.get(dataset).breaks if b.get("table") in (None, table)]


def local_codes(area: areas.Area) -> list[str]:
    """The district codes making up a council's area: a county's districts, or the council itself."""
    return [a.code for a in areas.local_areas(area)]


def same_kind_codes(area: areas.Area) -> list[str]:
    """Every current council of the same kind (counties with counties, unitaries with unitaries ...)."""
    return [a.code for a in areas.briefing_areas() if a.kind == area.kind]


@national.table(prime_with=[(AFFORD,), (PAY,), (GDHI,), (EMP,), (APPS,)])
def els(table: str) -> pd.DataFrame:
    """An ONS Explore Local Statistics table on today's councils: merged councils get their predecessors' rows
    where the area is the same (a county taken over whole); a ratio cannot be added up, so other years are
    missing with the reason in ``unavailable``."""
    return predecessors.aggregate(load(ELS, table), county_is="area", sums=[], by=["indicator"])


@national.table
def spending_power() -> pd.DataFrame:
    """Spending power by current council and financial year (£ million, cash), former councils added up (county
    council + district councils); with ``population`` (ONS mid-year at the start of the year, mySociety's
    current-boundary series) and ``per_head`` (£ per resident). Rows with no figure say why in ``unavailable``."""
    sp = predecessors.aggregate(load(SPEND, "spending_power"), county_is="body", sums=["value"])
    pop = load(POP)
    pop = pop.assign(area_code=areas.gss_for_la_codes(pop["la_code"])).dropna(subset=["area_code"])
    pop = pop.drop_duplicates(["area_code", "year"])[["area_code", "year", "population"]]
    out = sp.merge(pop, on=["area_code", "year"], how="left")
    out["per_head"] = out["value"] * 1e6 / out["population"]
    out["period"] = out["year"].map(fy)
    return out


@national.table
def housebuilding() -> pd.DataFrame:
    """Centre for Cities new-build completions by district (2023 boundaries), calendar years."""
    return load(HOUSE, "housebuilding")


def housing_supply(area: areas.Area) -> pd.DataFrame:
    """New-build and affordable completions for a council's area by calendar year (a county: its districts added
    up; the counts are summed and the rates recomputed), with ``stock_before`` (dwellings at the end of the year
    before) and rates per 1,000 existing dwellings: ``new_per_1000`` and ``affordable_per_1000``. Years in which
    any district lacks a figure are left out."""
    codes = local_codes(area)
    d = housebuilding()
    d = d[d["area_code"].isin(codes)]
    cols = ["all_new", "affordable", "social_rent", "stock"]
    complete = d.groupby("year")[cols].count().min(axis=1) == len(codes)
    tot = d.groupby("year")[cols].sum(min_count=len(codes))[complete]
    tot = tot.reset_index()
    tot["stock_before"] = tot["stock"].shift(1).where(tot["year"].diff() == 1)
    tot["new_per_1000"] = 1000 * tot["all_new"] / tot["stock_before"]
    tot["affordable_per_1000"] = 1000 * tot["affordable"] / tot["stock_before"]
    return tot


def housing_supply_england() -> pd.DataFrame:
    """The same as :func:`housing_supply` for all English districts added up (England)."""
    d = housebuilding()
    tot = d.groupby("year")[["all_new", "affordable", "social_rent", "stock"]].sum(min_count=1).reset_index()
    tot["stock_before"] = tot["stock"].shift(1)
    tot["new_per_1000"] = 1000 * tot["all_new"] / tot["stock_before"]
    tot["affordable_per_1000"] = 1000 * tot["affordable"] / tot["stock_before"]
    return tot


# --- selections ------------------------------------------------------------------------------------


def one_per_year(frame: pd.DataFrame, code: str, indicator: str | None = None) -> pd.DataFrame:
    """The rows of one area (optionally one indicator) with a value, one per year (first kept), by year."""
    d = frame[frame["area_code"] == code]
    if indicator is not None:
        d = d[d["indicator"] == indicator]
    return d.dropna(subset=["value"]).drop_duplicates("year").sort_values("year").reset_index(drop=True)


def value_in(frame: pd.DataFrame, code: str, year: int, column: str = "value") -> float:
    """The value of one area in one year (NaN if absent)."""
    d = frame[(frame["area_code"] == code) & (frame["year"] == year)].dropna(subset=[column])
    return float(d[column].iloc[0]) if len(d) else float("nan")


def latest_year(frame: pd.DataFrame, code: str) -> int | None:
    """The latest year with a value for ``code`` (None when the area has none)."""
    years = frame.loc[(frame["area_code"] == code) & frame["value"].notna(), "year"]
    return int(years.max()) if len(years) else None


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


def unavailable_reason(frame: pd.DataFrame, code: str) -> str:
    """Why a merged council has no figures in an aggregated frame (the first reason recorded), or ""."""
    if "unavailable" not in frame.columns:
        return ""
    r = frame.loc[(frame["area_code"] == code) & (frame["unavailable"] != ""), "unavailable"]
    return str(r.iloc[0]) if len(r) else ""


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


def trend_words(trend: TrendResult, up: str, down: str, digits: int = 2, unit: str = "") -> str:
    """A trend in words that never claims a direction its 95% interval does not support:
    "rising 0.12 a year (95% CI 0.05 to 0.19)" or "no clear change (-0.03 a year, 95% CI -0.10 to 0.04)"."""
    est, lo, hi = trend.change
    per = "% a year" if trend.kind != "ols" else f"{unit} a year"
    ci = f"95% CI {lo:+.{digits}f} to {hi:+.{digits}f}"
    if lo > 0:
        return f"{up} {abs(est):.{digits}f}{per} ({ci})"
    if hi < 0:
        return f"{down} {abs(est):.{digits}f}{per} ({ci})"
    return f"no clear change ({est:+.{digits}f}{per}, {ci})"


# --- council funding ----------------------------------------------------------------------------------


def pct_change(series: pd.DataFrame, start: int, end: int, value: str = "value") -> float:
    """Percentage change of ``value`` from year ``start`` to ``end`` (NaN if either is missing)."""
    s = series.dropna(subset=[value]).drop_duplicates("year").set_index("year")[value]
    if start not in s.index or end not in s.index or s[start] == 0:
        return float("nan")
    return float(100 * (s[end] / s[start] - 1))


def balanced_change(
    frame: pd.DataFrame, codes: list[str], start: int, end: int, value: str = "value"
) -> tuple[float, int]:
    """Percentage change of the total of ``value`` over the councils in ``codes`` that have a figure in BOTH
    years (a balanced panel, so councils appearing or disappearing do not move the total), and how many."""
    d = frame[frame["area_code"].isin(codes) & frame["year"].isin([start, end])].dropna(subset=[value])
    wide = d.drop_duplicates(["area_code", "year"]).pivot(index="area_code", columns="year", values=value)
    if start not in wide.columns or end not in wide.columns:
        return float("nan"), 0
    wide = wide[[start, end]].dropna()
    if wide.empty:
        return float("nan"), 0
    return float(100 * (wide[end].sum() / wide[start].sum() - 1)), len(wide)


def unbalanced_change(frame: pd.DataFrame, start: int, end: int, value: str = "value") -> float:
    """The old benchmark (kept only to show why it was wrong): change in the sum over whichever councils
    report in each year, so councils that appear or vanish move the total."""
    tot = frame.dropna(subset=[value]).groupby("year")[value].sum()
    if start not in tot.index or end not in tot.index:
        return float("nan")
    return float(100 * (tot[end] / tot[start] - 1))


def funding_changes(area: areas.Area) -> pd.DataFrame:
    """For each consistent series (2011-12 to 2015-16 spending power; 2016-17 to 2020-21 core spending power):
    the council's cash change (%), the change for the other councils of its kind (balanced panel) and for all
    English councils with figures in both years (balanced panel), the panel sizes, and the council's £ per
    resident at both ends. NaN where the council has no figures (with ``unavailable`` saying why)."""
    sp = spending_power()
    own = sp[sp["area_code"] == area.code]
    peers = [c for c in same_kind_codes(area) if c != area.code]
    every = sorted(set(sp["area_code"]) - {areas.ENGLAND_CODE})
    rows = []
    for label, (start, end) in (("spending power", OLD_SERIES), ("core spending power", NEW_SERIES)):
        peer, n_peer = balanced_change(sp, peers, start, end)
        eng, n_eng = balanced_change(sp, every, start, end)
        rows.append(
            {
                "series": label,
                "start": start,
                "end": end,
                "period": f"{fy(start)} to {fy(end)}",
                "change": pct_change(own, start, end),
                "peer_change": peer,
                "peer_n": n_peer,
                "england_change": eng,
                "england_n": n_eng,
                "per_head_start": value_in(own, area.code, start, "per_head"),
                "per_head_end": value_in(own, area.code, end, "per_head"),
                "unavailable": unavailable_reason(own, area.code),
            }
        )
    return pd.DataFrame(rows)


def chart_frame(codes: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Spending power per resident for ``codes``, with ``series`` so a chart can break the line at 2016-17
    (the definition changes: plot each series separately, never join them)."""
    sp = spending_power()
    d = sp[sp["area_code"].isin(codes)].dropna(subset=["per_head"]).copy()
    d["name"] = d["area_code"].map(names).fillna(d["area_name"])
    d["series"] = np.where(d["year"] >= NEW_SERIES[0], "core spending power", "spending power")
    return d[["area_code", "name", "year", "period", "series", "value", "population", "per_head"]]


def band_d(area: areas.Area) -> pd.DataFrame:
    """The council's own average Band D council tax (£, cash, incl. the adult social care precept; a county's is
    its precept only), by financial year 2014-15 to 2023-24 (DLUHC council tax returns)."""
    ct = load(CTAX, "band_d")
    return (
        ct[ct["area_code"] == area.code]
        .dropna(subset=["band_d"])
        .sort_values("year")[["area_code", "year", "financial_year", "band_d", "council_tax_requirement", "tax_base"]]
    )


# --- register tests: claims -----------------------------------------------------------------------------


@national.table
def grant() -> pd.DataFrame:
    """Revenue Support Grant and net revenue expenditure (£ thousand, cash) by current council and financial year
    (MHCLG revenue outturn, RS: 2013-14, 2014-15, 2017-18), former councils added up (county + districts)."""
    return predecessors.aggregate(load(RS, "rsg"), county_is="body", sums=["rsg", "net_revenue_expenditure"])


def grant_changes(area: areas.Area, start: int = RSG_YEARS[0], end: int = RSG_YEARS[1]) -> dict:
    """The council's grant and net revenue expenditure at ``start`` and ``end`` (£ thousand), their % changes, the
    grant lost as a % of the start year's net revenue expenditure, and the same changes for the other councils of
    its kind (balanced panel). Values are NaN where the council has no figures (``unavailable`` says why)."""
    g = grant()
    own = g[g["area_code"] == area.code]
    peers = [c for c in same_kind_codes(area) if c != area.code]
    out = {
        "rsg_start": value_in(own, area.code, start, "rsg"),
        "rsg_end": value_in(own, area.code, end, "rsg"),
        "nre_start": value_in(own, area.code, start, "net_revenue_expenditure"),
        "nre_end": value_in(own, area.code, end, "net_revenue_expenditure"),
        "unavailable": unavailable_reason(g, area.code),
    }
    out["rsg_change"] = pct_change(own.rename(columns={"rsg": "v"}), start, end, "v")
    out["nre_change"] = pct_change(own.rename(columns={"net_revenue_expenditure": "v"}), start, end, "v")
    out["lost_share"] = 100 * (out["rsg_start"] - out["rsg_end"]) / out["nre_start"]
    out["peer_rsg_change"], out["peer_n"] = balanced_change(g, peers, start, end, "rsg")
    out["peer_nre_change"], _ = balanced_change(g, peers, start, end, "net_revenue_expenditure")
    return out


def affordability_trend(code: str, first: int, last: int | None = None):
    """The straight-line trend of the house price to earnings ratio of one area from ``first`` (to ``last``),
    with the declared 2020 break left out: the one fit the briefing draws for the area and for England."""
    own = one_per_year(els(AFFORD), code)
    own = own[(own["year"] >= first) & (own["year"] <= (last if last is not None else own["year"].max()))]
    return try_fit_trend(own["year"], own["value"], kind="ols", breaks=breaks(ELS, AFFORD))


# --- register tests: pledges ----------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Fewest yearly points for a quasi-Poisson trend: its dispersion is estimated from n - 2 residual degrees of
#: freedom and its interval uses the normal distribution, so three points would give a falsely narrow interval.
@claim_test
def pledge_grow_fairly(ctx, since: int | None = None) -> verdicts.Outcome:
    """Grow the economy fairly: the spread of household income per head (GDHI) across a county's districts
    (coefficient of variation, %; lower = fairer), trend from the manifesto year. A single-tier council has no
    districts, so it is tracked by its GDHI per head relative to England (higher = catching up)."""
    area = ctx.area
    gdhi = els(GDHI)
    first = since or ctx.manifesto_year - 1  # GDHI for 2020 was the latest known in 2021
    if area.kind == "county":
        disp = dispersion_by_year(gdhi, local_codes(area), "value")
        d = disp[disp["year"] >= first].rename(columns={"cv": "value"})
        what, polarity, unit = (
            f"the spread of GDHI per head across {area.name}'s districts (CV)",
            "lower_is_better",
            "%",
        )
    else:
        rel = gdhi[gdhi["area_code"].isin([area.code, areas.ENGLAND_CODE])].drop_duplicates(["area_code", "year"])
        rel = rel.pivot(index="year", columns="area_code", values="value")
        if area.code not in rel.columns:
            raise verdicts.NoData(unavailable_reason(gdhi, area.code) or f"no GDHI per head for {area.name}")
        rel = (100 * rel[area.code] / rel[areas.ENGLAND_CODE]).dropna()
        d = rel[rel.index >= first].rename("value").reset_index()
        what, polarity, unit = f"GDHI per head in {area.name} as a % of England's", "higher_is_better", "%"
    if d.empty:
        raise verdicts.NoData(f"no GDHI per head for {area.name} since {first}")
    last = d.iloc[-1]
    latest = f"{last['value']:.1f}{unit} ({int(last['year'])})"
    trend = try_fit_trend(d["year"], d["value"], kind="ols", breaks=breaks(ELS, GDHI))
    if trend:
        return verdicts.pledge_from_trend(
            trend,
            polarity=polarity,
            latest=latest,
            evidence=f"{_cap(what)}: {trend_words(trend, 'rising', 'falling', 2, ' points')} over "
            f"{trend.years_text}. GDHI is modelled by ONS with no published intervals.",
            period=f"{trend.first_year} to {trend.last_year}",
            period_end=trend.last_year,
        )
    raise verdicts.NoData(f"too few years of GDHI per head for {area.name} since {first} for a trend")


# --- charts ---------------------------------------------------------------------------------------------


def spending_chart(frame: pd.DataFrame, highlight: str, title: str):
    """Spending power per resident (£, cash) in two panels, one per definition (2011-12 to 2015-16 spending
    power; 2016-17 to 2020-21 core spending power), so no line joins the two series across the break.
    ``frame`` from :func:`chart_frame`; ``highlight`` is the council's name (drawn in colour, others grey)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, sharey=True, figsize=(9, 4.2))
    for ax, (label, (start, end)) in zip(
        axes, (("Spending power", OLD_SERIES), ("Core spending power", NEW_SERIES)), strict=True
    ):
        d = frame[(frame["year"] >= start) & (frame["year"] <= end)]
        for name, g in sorted(d.groupby("name"), key=lambda item: item[0] == highlight):
            g = g.sort_values("year")
            main = name == highlight
            ax.plot(
                g["year"],
                g["per_head"],
                color=charts.FOCUS if main else charts.CONTEXT,
                linewidth=2.2 if main else 1,
                marker="o",
                markersize=3,
                zorder=3 if main else 2,
                label=name if main else None,
            )
        ax.set_title(f"{label}, {fy(start)} to {fy(end)}", loc="left", fontsize=10)
        ax.set_xlim(start - 0.3, end + 0.3)
        charts.year_axis(ax.xaxis, d["year"], financial_year=True)
        ax.tick_params(axis="x", labelrotation=45)
    axes[0].set_ylabel("£ per resident (cash)")
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    handles = [plt.Line2D([], [], color=charts.FOCUS, linewidth=2.2), plt.Line2D([], [], color=charts.CONTEXT)]
    fig.legend(handles, [highlight, "similar councils"], loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    fig.briefing_data = frame.reset_index(drop=True)
    fig.briefing_note = (
        "The definition changes in 2016-17, so the two series are drawn apart and never joined; cash, not "
        "adjusted for inflation."
    )
    return fig


def real_change(indicator_id: str, code: str, start: int, end: int) -> dict:
    """Cash and real-terms % change of a money indicator of the store between two financial years (start years),
    with the price base ("2024-25 prices"); NaN where a year is missing."""
    from ..indicators import get

    d = get(indicator_id, areas=[code], periods=[start, end]).set_index("year")
    if not {start, end} <= set(d.index):
        return {"cash": float("nan"), "real": float("nan"), "price_base": ""}
    return {
        "cash": 100 * (d.at[end, "value"] / d.at[start, "value"] - 1),
        "real": 100 * (d.at[end, "value_real"] / d.at[start, "value_real"] - 1),
        "price_base": str(d.at[end, "price_base"]),
        "period": f"{d.at[start, 'period']} to {d.at[end, 'period']}",
    }


# --- panels: one question of the briefing each ------------------------------------------------------------

#: The caveats of the briefing, one bullet each (shown collapsed under "Caveats on the data").
CAVEATS = [
    "**Affordability** ratios (ONS, residence-based) divide median house price by median resident earnings; "
    "earnings come from a survey and ONS publishes no interval for the ratio.",
    "**Housebuilding** (MHCLG and DLUHC statistics compiled by Centre for Cities on 2023 boundaries) counts new "
    "build only, converted from financial to calendar years; affordable homes bought or converted are not "
    "included, and homes built by council-owned companies cannot be told apart.",
    "**Pay** (ASHE) and **employment** (Annual Population Survey) are sample surveys; intervals are ONS's 95% limits.",
    "**GDHI per head** is modelled by ONS with no intervals; the spread weights every area equally.",
    "**Spending power** comes from academic replication data (Pike and Robinson) compiled from MHCLG settlement "
    "tables; the repository has no licence file (the MHCLG data are OGL). The definition changes in 2016-17, so the "
    "two series are compared and drawn separately. Per-resident figures use ONS mid-year populations on today's "
    "boundaries.",
    "**Revenue Support Grant** comes from MHCLG's revenue outturn (RS) returns for 2013-14 (the first year of "
    "business rates retention) and 2017-18; 2015-16 and 2016-17 are not in the files loaded. In 2017-18 some areas "
    "piloted full business rates retention, in which the grant was replaced by retained rates.",
    "**Money** is shown in cash in the charts and tables; real terms (ONS GDP deflator, latest financial year's "
    "prices) are given where stated and used by the claim check.",
]
VS_WORDS = {"similar": "similar to", "better": "higher than", "worse": "lower than"}


def caveats_markdown() -> str:
    return "\n".join(f"- {c}" for c in CAVEATS)


class _Setting:
    """The comparison set of a briefing: the area, its districts, region, England and similar councils."""

    def __init__(self, area: areas.Area, k_similar: int = 5):
        self.area = area
        self.similar = areas.comparators(area, k_similar)["similar"]
        self.districts = areas.districts_of(area)
        self.district_codes = [d.code for d in self.districts]
        self.region = areas.region_of(area)
        self.is_county = area.kind == "county"
        self.names = areas.names()
        self.codes = (
            [area.code] + self.district_codes + [self.region.code, areas.ENGLAND_CODE] + [a.code for a in self.similar]
        )


def _period_frame(t: pd.DataFrame) -> pd.DataFrame:
    """A latest-year table as figure data: labelled area and period columns."""
    out = t.rename(columns={"name": "area_name"}).assign(period=lambda d: d["year"].astype(int).astype(str))
    return out[["area_code", "area_name", "period", "value", "lower", "upper"]]


def setting(area: areas.Area, k_similar: int = 5) -> Panel:
    """The area, its similar councils, districts and former councils, in one paragraph."""
    s = _Setting(area, k_similar)
    former = predecessors.predecessors(area.code)
    text = (
        f"**Area:** {area.name} ({area.code}), a {area.kind} in {s.region.name}. **Similar councils** "
        f"(nearest-neighbour model, same kind of council): {listing(a.name for a in s.similar)}."
    )
    if s.is_county:
        text += f" **Districts:** {listing(d.name for d in s.districts)}."
    else:
        text += (
            " As a single-tier council it has no districts: where a question is about districts, the council is "
            "compared with all English councils instead."
        )
    if former:
        text += (
            f" **Formed from** {listing(sorted({p.name for p in former}))}: figures from before it existed are added "
            "up from these former councils where the data allow (counts summed, rates recomputed), and the briefing "
            "says where they cannot be."
        )
    frame = pd.DataFrame([{"area_code": a.code, "area_name": a.name, "role": "similar"} for a in s.similar])
    return Panel("The area and its comparators", frame=frame).say(text)


def affordability(area: areas.Area, k_similar: int = 5, trend_from: int = 2010) -> Panel:
    """Question 1: house price to earnings ratio in the latest year against the comparators, and its straight-line
    trend since ``trend_from`` against England's. ``frame``: the latest-year table."""
    s = _Setting(area, k_similar)
    aff = els(AFFORD)
    ay = latest_year(aff, area.code)
    p = Panel("Housing affordability")
    if ay is None:
        why = unavailable_reason(aff, area.code)
        return p.gap(
            f"ONS publishes no house price to earnings ratio for {area.name}{f' ({why})' if why else ''}, so "
            "affordability cannot be shown."
        )
    at = latest_table(aff, s.codes, s.names, ay, areas.ENGLAND_CODE, polarity="lower_is_better")
    p.frame = at
    a_aff, e_aff = value_in(aff, area.code, ay), value_in(aff, areas.ENGLAND_CODE, ay)
    fig = charts.ranked_bars(
        at,
        "name",
        "value",
        highlight=[area.name],
        benchmark=e_aff,
        title=f"{area.name}: homes cost {a_aff:.1f} times annual earnings in {ay} (England {e_aff:.1f})",
        xlabel="Median house price / median annual earnings of residents (ratio)",
    )
    p.add(
        Figure(
            fig,
            f"Bar chart of the ratio of median house price to median resident earnings in {ay} for {area.name}"
            + (", its districts" if s.is_county else "")
            + f", {s.region.name}, England and similar councils.",
            _period_frame(at),
            [ELS],
            caption="A higher ratio means homes are less affordable for people earning locally. ONS publishes no "
            "interval for the ratio.",
        )
    )
    p.say(
        f"In {ay} a median home in {area.name} cost {fmt(a_aff, 'times', 1)} median annual resident earnings, against "
        f"{fmt(e_aff, 'times', 1)} in England and {fmt(value_in(aff, s.region.code, ay), 'times', 1)} in "
        f"{s.region.name}. {_affordability_where(s, aff, at, ay, a_aff)}"
    )
    return _affordability_trend(p, s, aff, ay, trend_from)


def _affordability_where(s: _Setting, aff: pd.DataFrame, at: pd.DataFrame, ay: int, a_aff: float) -> str:
    dd = at[at["area_code"].isin(s.district_codes)].sort_values("value")
    if s.is_county and len(dd):
        return (
            f"Within the county it is least affordable in {dd['name'].iloc[-1]} ({dd['value'].iloc[-1]:.1f}) and most "
            f"affordable in {dd['name'].iloc[0]} ({dd['value'].iloc[0]:.1f})."
        )
    if s.is_county:
        return ""
    single = [a.code for a in areas.briefing_areas() if a.kind in areas.SINGLE_TIER_KINDS]
    pool = (
        aff[(aff["year"] == ay) & aff["area_code"].isin(single)].dropna(subset=["value"]).drop_duplicates("area_code")
    )
    rank = int((pool["value"] > a_aff).sum()) + 1
    return f"Among {len(pool)} single-tier councils it ranks {rank} (1 = least affordable)."


def _affordability_trend(p: Panel, s: _Setting, aff: pd.DataFrame, ay: int, trend_from: int) -> Panel:
    area = s.area
    aff_trend, eng_trend = (
        affordability_trend(area.code, trend_from),
        affordability_trend(areas.ENGLAND_CODE, trend_from),
    )
    lines = aff[aff["area_code"].isin([area.code, s.region.code, areas.ENGLAND_CODE] + s.district_codes)]
    lines = lines.dropna(subset=["value"]).drop_duplicates(["area_code", "year"]).copy()
    lines["name"] = lines["area_code"].map(s.names).fillna(lines["area_name"])
    words = trend_words(aff_trend, "rising", "falling") if aff_trend else "too few years for a trend"
    fig = charts.trend_lines(
        lines[["year", "name", "value"]],
        "year",
        "value",
        "name",
        highlight=[area.name, "England", s.region.name],
        title=f"Affordability in {area.name} since {trend_from}: {words.split(' (')[0]}",
        ylabel="House price to earnings ratio",
    )
    data = lines.assign(area_name=lines["name"], period=lines["year"].astype(int).astype(str))
    p.add(
        Figure(
            fig,
            f"Line chart of the house price to earnings ratio from {int(lines['year'].min())} to {ay} for "
            f"{area.name}, {s.region.name} and England" + (", with its districts in grey." if s.is_county else "."),
            data[["area_code", "area_name", "period", "value"]],
            [ELS],
            caption="Rising lines mean homes became less affordable. 2020 is left out of the trend: earnings were "
            "surveyed in lockdown, with many employees furloughed.",
        )
    )
    if not aff_trend:
        return p.gap(f"Affordability trend for {area.name}: {aff_trend.reason}.")
    eng_words = trend_words(eng_trend, "rising", "falling") if eng_trend else "not estimable"
    p.say(
        f"A straight-line trend over {aff_trend.years_text} puts {area.name}'s ratio {words}; England's was "
        f"{eng_words}."
    )
    p.details.append(
        f"Model: {aff_trend.assumptions}. Annual ratios are autocorrelated, so the interval is if anything too narrow."
    )
    a_aff, e_aff = value_in(aff, area.code, ay), value_in(aff, areas.ENGLAND_CODE, ay)
    return p.finding(
        f"Housing: in {ay} a median home in {area.name} cost {a_aff:.1f} times median resident earnings "
        f"(England {e_aff:.1f}); over {aff_trend.years_text} the ratio was {words}."
    )


def housing_supply_panel(area: areas.Area) -> Panel:
    """Question 2: new-build and affordable completions per 1,000 existing homes, against England."""
    hs, he = housing_supply(area), housing_supply_england()
    p = Panel("Housing supply: new homes and affordable homes", frame=hs)
    if hs.empty:
        return p.gap(f"The housebuilding series has no complete figures for {area.name}'s area.")
    plot = pd.concat(
        [
            hs.assign(area_code=area.code, area_name=area.name),
            he.assign(area_code=areas.ENGLAND_CODE, area_name="England"),
        ]
    )
    plot = plot[plot["year"] >= 2001].melt(
        id_vars=["year", "area_code", "area_name"],
        value_vars=["new_per_1000", "affordable_per_1000"],
        var_name="measure",
    )
    kind = plot["measure"].map({"new_per_1000": "all new homes", "affordable_per_1000": "affordable"})
    plot = plot.assign(line=plot["area_name"] + ": " + kind, period=plot["year"].astype(int).astype(str))
    last = hs.dropna(subset=["new_per_1000"]).iloc[-1]
    year = int(last["year"])
    e_last = he[he["year"] == last["year"]].iloc[0]
    fig = charts.trend_lines(
        plot[["year", "line", "value"]],
        "year",
        "value",
        "line",
        title=f"{area.name}: {last['new_per_1000']:.1f} new homes per 1,000 in {year}, "
        f"{last['affordable_per_1000']:.1f} of them affordable",
        ylabel="New-build completions per 1,000 existing homes",
    )
    p.add(
        Figure(
            fig,
            "Line chart of new-build completions and affordable new-build completions per 1,000 existing homes, "
            f"2001 to {year}, for {area.name} and England.",
            plot[["area_code", "area_name", "period", "measure", "value"]],
            [HOUSE],
            caption="Calendar years; affordable = social rent plus other affordable tenures, new build only (homes "
            "bought or converted are not counted). 2020 was cut by the spring lockdown.",
        )
    )
    cols = ["year", "all_new", "affordable", "social_rent", "new_per_1000", "affordable_per_1000"]
    p.add(
        Table(
            hs[hs["year"] >= year - 5][cols],
            f"New-build completions in {area.name}" + (" (its districts added up)" if area.kind == "county" else ""),
            [HOUSE],
            formats=dict(zip(cols, ["year", "int", "int", "int", "dp1", "dp1"], strict=True)),
            labels=dict(zip(cols, ["Year", "New homes", "Affordable homes", "Of which social rent",
                                   "New homes per 1,000", "Affordable per 1,000"], strict=True)),
        )
    )  # fmt: skip
    share = 100 * last["affordable"] / last["all_new"] if last["all_new"] else float("nan")
    p.say(
        f"In {year}, {fmt(last['all_new'], '', 0)} new homes were completed in {area.name} "
        f"({last['new_per_1000']:.1f} per 1,000 existing homes; England {e_last['new_per_1000']:.1f}), of which "
        f"{fmt(last['affordable'], '', 0)} ({fmt(share, '%', 0)}) were affordable and "
        f"{fmt(last['social_rent'], '', 0)} "
        "for social rent. The statistics do not say who built the homes (a council-owned company's homes cannot be "
        "told apart)."
    )
    return p.finding(
        f"Housing supply: {area.name} completed {last['new_per_1000']:.1f} new homes per 1,000 existing in "
        f"{year} (England {e_last['new_per_1000']:.1f}), {last['affordable_per_1000']:.1f} of them "
        f"affordable (England {e_last['affordable_per_1000']:.1f})."
    )


def pay_panel(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 3: median full-time weekly pay (95% intervals) against England, the region and similar councils."""
    s = _Setting(area, k_similar)
    pay = els(PAY)
    py = latest_year(pay, area.code)
    pt = latest_table(pay, s.codes, s.names, py, areas.ENGLAND_CODE, "higher_is_better") if py else pd.DataFrame()
    p = Panel("Pay", frame=pt)
    if py is None or area.code not in set(pt["area_code"]):
        return p.gap(
            f"ONS publishes no median weekly pay for {area.name} (the survey sample is too small or the estimate "
            "suppressed)."
        )
    a_pay, e_pay = value_in(pay, area.code, py), value_in(pay, areas.ENGLAND_CODE, py)
    a_row = pt[pt["area_code"] == area.code].iloc[0]
    fig = charts.ranked_bars(
        pt,
        "name",
        "value",
        lower="lower",
        upper="upper",
        highlight=[area.name],
        benchmark=e_pay,
        comparison="vs_england",
        title=f"{area.name}: median full-time weekly pay £{a_pay:,.0f} in {py} (England £{e_pay:,.0f})",
        xlabel="Median gross weekly pay, full-time employees (£)",
    )
    p.add(
        Figure(
            fig,
            f"Bar chart with 95% intervals of median gross weekly pay in {py} for {area.name}"
            + (", its districts" if s.is_county else "")
            + ", its region, England and similar councils, each labelled better, similar or worse than England.",
            _period_frame(pt),
            [ELS],
            caption="Pay of employees working full time who live in the area (survey estimates).",
        )
    )
    p0 = one_per_year(pay, area.code).iloc[0]
    gap0 = p0["value"] - value_in(pay, areas.ENGLAND_CODE, int(p0["year"]))
    vs = VS_WORDS.get(a_row["vs_england"], "")
    compared = (
        f"**{vs}** England's {fmt(e_pay, '£', 0)} at 95%"
        if vs
        else f"against England's {fmt(e_pay, '£', 0)} (ONS publishes no interval here, so no comparison at 95%)"
    )
    interval = f" {fmt_interval(a_row['lower'], a_row['upper'], '', 0)}" if pd.notna(a_row["lower"]) else ""
    dist = pt[pt["area_code"].isin(s.district_codes)]["value"]
    ranged = (
        f" Districts ranged from {fmt(dist.min(), '£', 0)} to {fmt(dist.max(), '£', 0)}; district estimates are "
        "imprecise."
        if s.is_county and len(dist)
        else ""
    )
    p.say(
        f"In {py}, median gross weekly pay of full-time employees in {area.name} was {fmt(a_pay, '£', 0)}{interval}: "
        f"{compared}. The gap to England was {fmt(gap0, '£', 0)} in {int(p0['year'])} and "
        f"{fmt(a_pay - e_pay, '£', 0)} in {py} (two survey estimates: no interval is published for the change)."
        f"{ranged} Median pay is context for pledges on low pay, not a measure of the council's own pay."
    )
    return p.finding(
        f"Pay: median full-time weekly pay in {area.name} was £{a_pay:,.0f} in {py}, "
        + (f"{vs} England's £{e_pay:,.0f} (95% interval)." if vs else f"against England's £{e_pay:,.0f}.")
    )


def growth_spread(area: areas.Area, trend_from: int = 2010) -> Panel:
    """Question 4: the spread (coefficient of variation) of household income per head across a county's districts
    (a single-tier council: across all English councils), by year, and its trend since ``trend_from``."""
    gdhi = els(GDHI)
    gy = int(gdhi["year"].max())
    if area.kind == "county":
        pool, pool_label = [d.code for d in areas.districts_of(area)], f"the districts of {area.name}"
    else:
        latest = gdhi[(gdhi["year"] == gy) & gdhi["area_code"].str.match(r"^E0[6789]")]
        pool, pool_label = sorted(latest["area_code"].unique()), "all English district and single-tier councils"
    disp = dispersion_by_year(gdhi, pool)
    p = Panel("Is growth spread fairly?", frame=disp)
    if disp.empty:
        return p.gap(f"No year has household income per head for every one of {pool_label}.")
    since = disp[disp["year"] >= trend_from]
    disp_trend = try_fit_trend(since["year"], since["cv"], breaks=breaks(ELS, GDHI))
    spread = trend_words(disp_trend, "widening", "narrowing") if disp_trend else "too few years for a trend"
    d_now, d_then = disp.iloc[-1], (since.iloc[0] if len(since) else disp.iloc[0])
    fig = charts.trend_lines(
        disp.assign(series="coefficient of variation")[["year", "series", "cv"]],
        "year",
        "cv",
        "series",
        title=f"Household income per head across {pool_label}: {spread.split(' (')[0]} since {trend_from}",
        ylabel="Coefficient of variation of GDHI per head (%)",
    )
    data = disp.assign(area_code=area.code, area_name=pool_label, period=disp["year"].astype(str), value=disp["cv"])
    p.add(
        Figure(
            fig,
            "Line chart of the coefficient of variation of gross disposable household income per head across "
            f"{pool_label} from {int(disp['year'].min())} to {gy}; it was {d_now['cv']:.1f}% in {gy}.",
            data[["area_code", "area_name", "period", "value", "n"]],
            [ELS],
            caption="The coefficient of variation is the standard deviation divided by the mean: higher means "
            "incomes further apart. Every area counts equally whatever its population.",
        )
    )
    names = areas.names()
    a_g, e_g = value_in(gdhi, area.code, gy), value_in(gdhi, areas.ENGLAND_CODE, gy)
    p.say(
        f"Across {pool_label}, household income per head (GDHI) varied by {fmt(d_now['cv'], '%')} around the average "
        f"in {gy} (highest {names.get(d_now['max_code'], d_now['max_code'])}, lowest "
        f"{names.get(d_now['min_code'], d_now['min_code'])}), against {fmt(d_then['cv'], '%')} in "
        f"{int(d_then['year'])}; "
        + (f"the trend over {disp_trend.years_text} is {spread}. " if disp_trend else f"{spread}. ")
        + f"{area.name}'s GDHI per head was {fmt(a_g, '£', 0)} in {gy}, against {fmt(e_g, '£', 0)} in England. "
        "The pledge tracker below follows this spread."
    )
    if disp_trend:
        p.details.append(f"Model: {disp_trend.assumptions}. GDHI is modelled by ONS and published without intervals.")
    return p.finding(f"Spread of growth: the spread of household income per head across {pool_label}: {spread}.")


def employment(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 4 (context): the employment rate of people aged 16-64, with 95% intervals, against England."""
    s = _Setting(area, k_similar)
    emp = els(EMP)
    emp = emp[emp["indicator"] == "Employment rate"]
    ey = latest_year(emp, area.code)
    et = latest_table(emp, s.codes, s.names, ey, areas.ENGLAND_CODE, "higher_is_better") if ey else pd.DataFrame()
    p = Panel("Employment", frame=et)
    if ey is None or area.code not in set(et["area_code"]):
        return p.gap(f"The Annual Population Survey publishes no employment rate for {area.name} (sample too small).")
    cols = ["name", "value", "lower", "upper", "gap_to_england", "vs_england"]
    p.add(
        Table(
            et[cols],
            f"Employment rate of people aged 16-64, {ey}, with 95% intervals",
            [ELS],
            formats=dict(zip(cols[1:], ["pct", "pct", "pct", "pp", "text"], strict=True)),
            labels=dict(zip(cols, ["Area", "Employment rate (%)", "95% lower (%)", "95% upper (%)", "Gap to England",
                                   "Compared with England (95%)"], strict=True)),
            collapsed=True,
        )
    )  # fmt: skip
    row = et[et["area_code"] == area.code].iloc[0]
    interval = f" {fmt_interval(row['lower'], row['upper'], '%')}" if pd.notna(row["lower"]) else ""
    return p.say(
        f"The employment rate in {area.name} was {fmt(row['value'], '%')}{interval} in {ey}, "
        f"{VS_WORDS.get(row['vs_england'], 'against')} England's {fmt(value_in(emp, areas.ENGLAND_CODE, ey), '%')}."
    )


_FUNDING_COLS = ["series", "period", "change", "peer_change", "peer_n", "england_change", "england_n",
                 "per_head_start", "per_head_end"]  # fmt: skip


def _funding_table(area: areas.Area, ch: pd.DataFrame, kinds: str) -> Table:
    return Table(
        ch[_FUNDING_COLS],
        f"Change in spending power, {area.name} against other {kinds} and all English councils (cash; each "
        "comparison uses only councils with figures in both years)",
        [SPEND, POP],
        formats=dict(zip(_FUNDING_COLS, "text text pct pct int pct int gbp gbp".split(), strict=True)),
        labels=dict(zip(_FUNDING_COLS, ["Series", "Years", f"{area.name} (%)", f"Other {kinds} (%)",
                                        "Councils compared", "All English councils (%)", "Councils (England)",
                                        "£ per resident, first year", "£ per resident, last year"], strict=True)),
    )  # fmt: skip


def funding(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 5: spending power per resident (two series, drawn apart) against similar councils; its change
    against other councils of the same kind and all English councils (balanced panels); the Revenue Support Grant
    lost 2013-14 to 2017-18; core spending power in real terms. ``frame``: the changes by series."""
    ch = funding_changes(area)
    cf = chart_frame([area.code] + [a.code for a in areas.comparators(area, k_similar)["similar"]], areas.names())
    own = cf[cf["area_code"] == area.code].sort_values("year")
    kinds = KIND_PLURAL.get(area.kind, "councils of its kind")
    p = Panel("Council funding after the Revenue Support Grant", frame=ch)
    if own.empty:
        why = unavailable_reason(spending_power(), area.code) or "the council is not in the 2011-12 to 2020-21 series"
        p.gap(f"No spending power per resident can be shown for {area.name}: {why}.")
    else:
        first, last = own.iloc[0], own.iloc[-1]
        title = (
            f"{area.name}: spending power per resident, £{first['per_head']:,.0f} in {first['period']} "
            f"and £{last['per_head']:,.0f} in {last['period']} (cash)"
        )
        data = cf.rename(columns={"name": "area_name", "per_head": "value"})
        p.add(
            Figure(
                spending_chart(cf, area.name, title=title),
                f"Two-panel line chart of spending power per resident in cash terms for {area.name} and similar "
                "councils: 2011-12 to 2015-16 on the left, core spending power 2016-17 to 2020-21 on the right.",
                data[["area_code", "area_name", "period", "series", "value"]],
                [SPEND, POP],
            )
        )
    if ch["change"].notna().any():
        p.add(_funding_table(area, ch, kinds))
        p.say(
            "Spending power adds up government grant, retained business rates and council tax: the money available, "
            "not the grant alone."
        )
        new = ch.iloc[-1]
        old_way = unbalanced_change(load(SPEND, "spending_power"), *NEW_SERIES)
        p.details.append(
            "**Comparing like with like.** Each comparison uses the same councils at both ends (a balanced panel). An "
            f"England total over whichever councils report each year moved {fmt(old_way, '%')} from 2016-17 to "
            f"2020-21, against {fmt(new['england_change'], '%')} for the {int(new['england_n'])} councils with figures "
            "in both years: councils that merged drop out of the later total. Councils formed by mergers are added up "
            "from their former councils; a county council whose budget was split between two new councils cannot be."
        )
    gc = grant_changes(area)
    _grant_and_real_terms(p, area, gc, kinds)
    return _funding_finding(p, area, ch, gc, kinds)


def _grant_and_real_terms(p: Panel, area: areas.Area, gc: dict, kinds: str) -> None:
    if pd.notna(gc["rsg_start"]) and pd.notna(gc["rsg_end"]):
        p.say(
            f"Revenue Support Grant to {area.name} went from £{gc['rsg_start'] / 1000:,.1f}m in {fy(RSG_YEARS[0])} to "
            f"£{max(gc['rsg_end'], 0.0) / 1000 + 0.0:,.1f}m in {fy(RSG_YEARS[1])} ({gc['rsg_change']:+.0f}%; other "
            f"{kinds} {gc['peer_rsg_change']:+.0f}%), a loss equal to {gc['lost_share']:.0f}% of its "
            f"{fy(RSG_YEARS[0])} net revenue expenditure (MHCLG revenue outturn, cash)."
        )
    else:
        why = gc["unavailable"] or f"no revenue outturn figures for {fy(RSG_YEARS[0])} and {fy(RSG_YEARS[1])}"
        p.gap(f"Revenue Support Grant for {area.name}: {why}.")
    rc = real_change("core-spending-power", area.code, *NEW_SERIES)
    if pd.notna(rc["real"]):
        p.say(
            f"In real terms ({rc['price_base']}, ONS GDP deflator) {area.name}'s core spending power changed "
            f"{rc['real']:+.1f}% over {rc['period']}, against {rc['cash']:+.1f}% in cash."
        )


def _funding_finding(p: Panel, area: areas.Area, ch: pd.DataFrame, gc: dict, kinds: str) -> Panel:
    if not ch["change"].notna().any():
        return p
    new = ch.iloc[-1]
    if pd.isna(new["change"]):
        return p.finding(f"Funding: {area.name} has no core spending power series for {new['period']}.")
    grant = (
        f"; its Revenue Support Grant fell {abs(gc['rsg_change']):.0f}% from {fy(RSG_YEARS[0])} to {fy(RSG_YEARS[1])}."
        if pd.notna(gc["rsg_change"])
        else "."
    )
    return p.finding(
        f"Funding: {area.name}'s core spending power changed {new['change']:+.1f}% in cash from {new['period']}, "
        f"against {new['peer_change']:+.1f}% for the other {int(new['peer_n'])} {kinds}{grant}"
    )


CTAX_CAPTION = (
    "The county council's own precept, without district, police and fire precepts. Includes the adult social care "
    "precept."
)


def council_tax(area: areas.Area) -> Panel:
    """Question 5 (council tax): the council's own Band D council tax (cash) by financial year."""
    bd = band_d(area)
    p = Panel("Band D council tax", frame=bd)
    if len(bd) < 2:
        return p.gap(
            f"Band D council tax is published for {area.name} for fewer than two years (a council formed recently)."
        )
    first, last = bd.iloc[0], bd.iloc[-1]
    fig = charts.trend_lines(
        bd.assign(series=area.name)[["year", "series", "band_d"]],
        "year",
        "band_d",
        "series",
        title=f"{area.name}: Band D council tax £{first['band_d']:,.0f} in {first['financial_year']}, "
        f"£{last['band_d']:,.0f} in {last['financial_year']} (cash)",
        ylabel="Band D council tax (£, cash)",
        xlabel="Financial year",
        financial_year=True,
    )
    data = bd.assign(area_name=area.name, period=bd["financial_year"], value=bd["band_d"])
    p.add(
        Figure(
            fig,
            f"Line chart of {area.name}'s average Band D council tax, cash, from {first['financial_year']} to "
            f"{last['financial_year']}.",
            data[["area_code", "area_name", "period", "value"]],
            [CTAX],
            caption=CTAX_CAPTION if area.kind == "county" else CTAX_CAPTION.split(". ", 1)[1],
        )
    )
    return p.say(
        f"{area.name}'s Band D council tax rose {fmt(100 * (last['band_d'] / first['band_d'] - 1), '%')} in cash from "
        f"{first['financial_year']} to {last['financial_year']}: as grant fell, more of the council's money came from "
        "local taxpayers."
    )
