"""Briefing 07 - Finance, growth, housing and pay (manifesto §7): analysis functions and the register's tests.

The notebook ``notebooks/07_finance_growth_housing.ipynb`` shows the evidence; the claims and pledges of §7 are
listed once in ``manifestos/cambridgeshire-labour-2021/07_finance_growth_housing.yaml`` and tested here by the
``claim_*`` / ``pledge_*`` functions (signature ``fn(ctx, **params) -> verdicts.Outcome``). Every verdict and
status comes from :mod:`helpers.verdicts`; trends from :mod:`helpers.stats` with the series breaks declared in
the registry. Councils created by mergers are added up from their former councils (:mod:`helpers.predecessors`).

Units: spending power £ million (cash) and £ per resident (cash); completions in dwellings (calendar years);
house price to earnings ratio (times); pay £ a week; GDHI £ per head. Real terms would need a GDP deflator
(HM Treasury), which the collection does not load yet: every money figure here is cash.
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
#: Reason given wherever money is compared over time (issue 23 §5): real terms need a deflator not loaded here.
NO_DEFLATOR = (
    "figures are cash: real terms need a GDP deflator (HM Treasury's GDP deflators at market prices, from ONS "
    "national accounts), which this collection does not load yet"
)


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


@claim_test
def claim_rsg_loss(ctx, start: int = RSG_YEARS[0], end: int = RSG_YEARS[1]) -> verdicts.Outcome:
    """The council faced financial challenges because Revenue Support Grant was abolished (manifesto §7).

    Tested as two parts, each on administrative figures with no sampling error (judged on the value): the grant
    fell from ``start`` to ``end`` (financial years, MHCLG revenue outturn), and the council's net revenue
    expenditure fell over the same years (it had to spend less, in cash). Both: supported; one: partly supported.
    Spending power against councils of the same kind is reported beside it. Cash only: no deflator is loaded."""
    area = ctx.area
    gc = grant_changes(area, start, end)
    if any(np.isnan(gc[k]) for k in ("rsg_start", "rsg_end", "nre_start", "nre_end")):
        raise verdicts.NoData(
            gc["unavailable"] or f"no revenue outturn figures for {area.name} in both {fy(start)} and {fy(end)}"
        )
    parts = [
        verdicts.judge(gc["rsg_end"] - gc["rsg_start"], 0.0, claimed="below"),
        verdicts.judge(gc["nre_end"] - gc["nre_start"], 0.0, claimed="below"),
    ]
    verdict, rule = verdicts.judge_parts(parts, what="parts (the grant fell; the council's net spending fell)")
    kinds = KIND_PLURAL.get(area.kind, "councils of its kind")
    ch = funding_changes(area)
    sp = "; ".join(
        f"{r.series} {r.change:+.1f}% over {r.period} (other {kinds} {r.peer_change:+.1f}%)"
        for r in ch.itertuples()
        if not np.isnan(r.change)
    )
    m0, m1 = (max(gc[k], 0.0) / 1000 + 0.0 for k in ("rsg_start", "rsg_end"))  # £m; + 0.0 avoids "-0.0"
    evidence = (
        f"Revenue Support Grant to {area.name} went from £{m0:,.1f}m in {fy(start)} to £{m1:,.1f}m in {fy(end)} "
        f"({gc['rsg_change']:+.0f}%; the other {gc['peer_n']} "
        f"{kinds} {gc['peer_rsg_change']:+.0f}%), a loss equal to {gc['lost_share']:.0f}% of its {fy(start)} net "
        f"revenue expenditure, which went from £{gc['nre_start'] / 1000:,.1f}m to £{gc['nre_end'] / 1000:,.1f}m "
        f"({gc['nre_change']:+.1f}%; other {kinds} {gc['peer_nre_change']:+.1f}%). Cash: no GDP deflator is loaded "
        "for real terms." + (f" Spending power, which adds council tax and business rates: {sp}." if sp else "")
    )
    return verdicts.claim(
        (verdict, rule),
        evidence,
        period=f"{fy(start)} to {fy(end)}",
        period_end=end + 1,
        value=float(gc["lost_share"]),
    )


def _affordability_trend(code: str, first: int, last: int):
    aff = els(AFFORD)
    own = one_per_year(aff, code)
    own = own[(own["year"] >= first) & (own["year"] <= last)]
    return try_fit_trend(own["year"], own["value"], kind="ols", breaks=breaks(ELS, AFFORD))


@claim_test
def claim_housing_crisis(ctx, since: int = 2010) -> verdicts.Outcome:
    """The council has not helped to reduce the housing crisis (manifesto §7): tested on whether homes became
    less affordable (the house price to resident earnings ratio rose) from ``since`` to the last year known
    when the manifesto was written; the years since are reported as what happened next."""
    area = ctx.area
    year = ctx.manifesto_year
    aff = els(AFFORD)
    latest = latest_year(aff, area.code)
    if latest is None:
        raise verdicts.NoData(unavailable_reason(aff, area.code) or f"no affordability ratio for {area.name}")
    periods = []
    for first, last in ((since, year - 1), (year, latest)):
        trend = _affordability_trend(area.code, first, last)
        if not trend:
            continue
        words = trend_words(trend, "rising", "falling")
        evidence = f"House price to earnings ratio in {area.name}, {trend.years_text}: {words}."
        periods.append(
            (
                trend.last_year,
                verdicts.claim(
                    verdicts.judge_trend(trend, claimed="rising"),
                    evidence,
                    period=f"{trend.first_year} to {trend.last_year}",
                    period_end=trend.last_year,
                    value=float(trend.slope),
                ),
            )
        )
    if not periods:
        raise verdicts.NoData(f"too few years of affordability ratios for {area.name} for a trend")
    out = verdicts.combine_periods(periods, year)
    role = (
        " Planning and most housing powers sit with the district councils, so the trend shows the crisis, not the "
        "county council's part in it."
        if area.kind == "county"
        else " The trend shows the crisis, not the council's own part in it."
    )
    out.evidence += role
    return out


# --- register tests: pledges ----------------------------------------------------------------------------


@claim_test
def pledge_fair_funding(ctx) -> verdicts.Outcome:
    """Press for fair funding and the return of Revenue Support Grant: tracked by core spending power per
    resident. The data end in 2020-21, before the pledge (2021), so the status is a baseline; the council's
    Band D council tax since then is reported beside it."""
    area = ctx.area
    sp = spending_power()
    own = sp[(sp["area_code"] == area.code) & (sp["year"] >= NEW_SERIES[0])].dropna(subset=["per_head"])
    if own.empty:
        raise verdicts.NoData(
            unavailable_reason(sp, area.code)
            or f"{area.name} has no core spending power figures for 2016-17 to 2020-21"
        )
    last = own.sort_values("year").iloc[-1]
    bd = band_d(area)
    since = bd[bd["year"] >= ctx.manifesto_year]
    tax = (
        f" Since then its own Band D council tax went from £{since['band_d'].iloc[0]:,.2f} in "
        f"{since['financial_year'].iloc[0]} to £{since['band_d'].iloc[-1]:,.2f} in {since['financial_year'].iloc[-1]} "
        f"({100 * (since['band_d'].iloc[-1] / since['band_d'].iloc[0] - 1):+.1f}%, cash)."
        if len(since) >= 2
        else ""
    )
    return verdicts.pledge_baseline(
        latest=f"£{last['per_head']:,.0f} per resident ({last['period']}, cash)",
        evidence=(
            f"Core spending power was £{last['per_head']:,.0f} per resident in {last['period']}, the last year of the "
            f"series, before the pledge; no later spending-power figures are loaded, and {NO_DEFLATOR}.{tax}"
        ),
        period=str(last["period"]),
        period_end=int(last["year"]) + 1,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Fewest yearly points for a quasi-Poisson trend: its dispersion is estimated from n - 2 residual degrees of
#: freedom and its interval uses the normal distribution, so three points would give a falsely narrow interval.
MIN_POINTS_QUASIPOISSON = 5


def _supply_pledge(ctx, column: str, what: str) -> verdicts.Outcome:
    area = ctx.area
    hs = housing_supply(area).dropna(subset=[column])
    if hs.empty:
        raise verdicts.NoData(f"no housebuilding figures for {area.name}")
    count = "affordable" if column == "affordable_per_1000" else "all_new"
    skip = {int(b["year"]) for b in breaks(HOUSE) if b.get("kind") == "exclude"}
    after = hs[hs["year"] >= ctx.manifesto_year]
    before = hs[(hs["year"] >= ctx.manifesto_year - 6) & (hs["year"] < ctx.manifesto_year) & ~hs["year"].isin(skip)]
    before = before.tail(5)
    last = after.iloc[-1] if len(after) else hs.iloc[-1]
    latest = f"{last[column]:.1f} per 1,000 homes ({int(last['year'])}: {last[count]:,.0f} homes)"
    if len(after) >= MIN_POINTS_QUASIPOISSON and after[count].sum() > 0:
        trend = try_fit_trend(
            after["year"],
            after[count],
            kind="quasipoisson",
            exposure=after["stock_before"] / 1000,
            breaks=breaks(HOUSE),
        )
        if trend:
            return verdicts.pledge_from_trend(
                trend,
                polarity="higher_is_better",
                latest=latest,
                evidence=(
                    f"{_cap(what)} per 1,000 existing homes in {area.name} since {ctx.manifesto_year}: "
                    f"{trend_words(trend, 'rising', 'falling', 1)} over {trend.years_text} (quasi-Poisson trend "
                    "on the counts)."
                ),
                period=f"{trend.first_year} to {trend.last_year}",
                period_end=trend.last_year,
            )
    if len(before) and len(after):
        base = float(before[count].sum() * 1000 / before["stock_before"].sum())
        years = ", ".join(str(int(y)) for y in before["year"])
        left = (
            f"; {', '.join(map(str, sorted(skip)))} left out as a series break"
            if skip & set(range(int(before["year"].min()), ctx.manifesto_year))
            else ""
        )
        return verdicts.pledge_from_change(
            base,
            float(last[column]),
            polarity="higher_is_better",
            latest=latest,
            evidence=(
                f"{_cap(what)} per 1,000 existing homes in {area.name}: {last[column]:.1f} in {int(last['year'])} "
                f"against {base:.1f} a year before the manifesto ({years}{left}). Only "
                f"{len(after)} years since {ctx.manifesto_year}: too few for a trend with an honest interval."
            ),
            period=f"{int(before['year'].min())} to {int(last['year'])}",
            period_end=int(last["year"]),
        )
    return verdicts.pledge_baseline(
        latest=latest,
        evidence=f"{_cap(what)}: {latest}.",
        period=str(int(last["year"])),
        period_end=int(last["year"]),
    )


@claim_test
def pledge_affordable_housing(ctx) -> verdicts.Outcome:
    """Work with partners on affordable housing provision: new-build affordable completions (social rent and
    other affordable tenures) per 1,000 existing homes in the council's area, trend since the manifesto year."""
    return _supply_pledge(ctx, "affordable_per_1000", "new affordable homes completed")


@claim_test
def pledge_housing_supply(ctx) -> verdicts.Outcome:
    """Integrated planning for major sites: all new-build completions per 1,000 existing homes, trend since the
    manifesto year (context: the council is one partner among several)."""
    return _supply_pledge(ctx, "new_per_1000", "new homes completed")


@claim_test
def pledge_apprenticeships(ctx) -> verdicts.Outcome:
    """Create new apprenticeships for young people after Covid: apprenticeship starts per 100,000 residents, all
    employers (not only the council's own posts), academic years from the manifesto year."""
    area = ctx.area
    app = els(APPS)
    starts = app[app["indicator"].str.startswith("Apprenticeship starts")]
    own = one_per_year(starts, area.code)
    after = own[own["year"] >= ctx.manifesto_year]
    if after.empty:
        raise verdicts.NoData(
            unavailable_reason(starts, area.code) or f"no apprenticeship starts published for {area.name} since 2021"
        )
    last = after.iloc[-1]
    latest = f"{last['value']:,.0f} per 100,000 ({fy(last['year'])})"
    note = " All employers in the area, not only the council's own apprentices."
    trend = try_fit_trend(after["year"], after["value"], kind="ols", breaks=breaks(ELS, APPS))
    if trend:
        return verdicts.pledge_from_trend(
            trend,
            polarity="higher_is_better",
            latest=latest,
            evidence=f"Apprenticeship starts per 100,000 residents in {area.name}: "
            f"{trend_words(trend, 'rising', 'falling', 0)} over {fy(trend.first_year)} to {fy(trend.last_year)}.{note}",
            period=f"{fy(trend.first_year)} to {fy(trend.last_year)}",
            period_end=trend.last_year + 1,
        )
    if len(after) >= 2:
        first = after.iloc[0]
        return verdicts.pledge_from_change(
            float(first["value"]),
            float(last["value"]),
            polarity="higher_is_better",
            latest=latest,
            evidence=f"Apprenticeship starts per 100,000: {first['value']:,.0f} in {fy(first['year'])}, "
            f"{last['value']:,.0f} in {fy(last['year'])}.{note}",
            period=f"{fy(first['year'])} to {fy(last['year'])}",
            period_end=int(last["year"]) + 1,
        )
    return verdicts.pledge_baseline(
        latest=latest,
        evidence=f"Apprenticeship starts: {latest}.{note}",
        period=fy(last["year"]),
        period_end=int(last["year"]) + 1,
    )


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
