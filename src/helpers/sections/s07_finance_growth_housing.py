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

from .. import areas, national, predecessors, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..stats import compare_with_benchmark
from ..stats.trends import TrendResult, try_fit_trend
from ..text import fmt_interval, fy, listing

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


def pay_gap_words(gap0: float, gap1: float) -> str:
    """How the gap to England moved between two values (no interval: a direction only)."""
    return verdicts.change_direction(gap0, gap1, "higher_is_better")


def listing_names(codes: list[str], names: dict[str, str]) -> str:
    return listing(names.get(c, c) for c in codes)


def interval_text(lower: float, upper: float, unit: str = "", dp: int = 1) -> str:
    return fmt_interval(lower, upper, unit, dp)


# --- charts ---------------------------------------------------------------------------------------------


def spending_chart(frame: pd.DataFrame, highlight: str, title: str):
    """Spending power per resident (£, cash) in two panels, one per definition (2011-12 to 2015-16 spending
    power; 2016-17 to 2020-21 core spending power), so no line joins the two series across the break.
    ``frame`` from :func:`chart_frame`; ``highlight`` is the council's name (drawn in colour, others grey)."""
    import matplotlib.pyplot as plt

    from .. import charts

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
