"""Briefing 06 — Transport and connectivity (manifesto §6): the section's analysis functions.

Pure functions on frames, called from ``notebooks/06_transport.ipynb``:

* a composite **transport-poverty index** across every English lower-tier / single-tier council
  (z-scores of a few public indicators, weighted; higher = more transport-poor), catalogued as the indicator
  ``transport-poverty-index`` (``helpers.indicators.derive.transport``) for the register's rank checks;
* bus passenger journeys per head for the area's local transport authority (a county, unitary, the
  metropolitan county of a met district, or London), with a pre-Covid log-linear trend, against England and
  England outside London;
* walking and cycling rates with Wilson 95% intervals against England; rail station use (ORR);
* the one marked claim test still named in the register (children's activity, whose indicator is not in this
  section's catalogue); every other claim and pledge of §6 is a claim-kind check on the indicator catalogue.

Series breaks (Covid-19 years of bus and cycling data) come from the datasets' registry files and are never
fitted across.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import areas, charts, national, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..indicators.derive.transport import MET_COUNTY_ITA  # metropolitan district -> its transport authority
from ..panels import Figure, Panel, Table
from ..stats import compare_with_benchmark, try_fit_trend, wilson_ci
from ..text import fmt, fmt_interval, listing

ELS = "ons_explore_local_statistics"
BUS = "bus_passenger_journeys_la_2010_2024"
TTW = "census2021_travel_to_work_method_ts061_la"
CARS = "census2021_car_van_availability_ts045_la"
RURAL = "la_urban_rural_profile"
CYCLING = "cycling_proportion_adults_la_cw0302_2016_2021"
WALK_CYCLE = "walking_cycling_proportion_adults_la_cw0301_0303_2015_16_to_2017_18"
RAIL = "rail_station_usage_orr_2017_18_2018_19"
ENGLAND_EX_LONDON = "England outside London"
TILING_PREFIXES = ("E06", "E07", "E08", "E09")

#: Components of the transport-poverty index: column -> (description, weight). Every component is
#: oriented so that a higher value means more transport-poor; weights are relative (normalised to 1).
COMPONENTS = {
    "pt_minutes": (
        "Average minimum travel time to the nearest employment centre by public transport or on foot, "
        "minutes (DfT journey time statistics via ONS, 2019)",
        0.3,
    ),
    "no_station_pct": ("% of residents NOT within a 30-minute walk of a railway station (ONS, 2024)", 0.2),
    "drive_pct": ("% of working residents who drive to work (Census 2021)", 0.3),
    "rural_pct": ("% of residents living in rural or highly rural small areas (mySociety from ONS 2011 RUC)", 0.2),
}
COMPONENT_SOURCES = [ELS, TTW, RURAL]

LONDON = "E12000007"


# --- transport-poverty index ------------------------------------------------------------------------


def zscores(values: pd.Series) -> pd.Series:
    """(x - mean) / sd across the non-missing values (population sd, ddof=0)."""
    v = values.astype(float)
    sd = v.std(ddof=0)
    return (v - v.mean()) / sd if sd and np.isfinite(sd) else v * np.nan


def transport_poverty_index(
    frame: pd.DataFrame, components: dict | None = None, min_components: int = 3
) -> pd.DataFrame:
    """Add z-scores (``z_<component>``), the weighted ``index``, its ``rank`` (1 = most transport-poor)
    and ``quintile`` (1 = the most transport-poor fifth) to a frame with one row per council.

    ``components`` maps column -> (description, weight) or column -> weight. The index is the weighted
    mean of the available z-scores (weights renormalised over what a row has); rows with fewer than
    ``min_components`` components get no index.
    """
    components = COMPONENTS if components is None else components
    weights = {c: (w[1] if isinstance(w, tuple) else w) for c, w in components.items()}
    out = frame.copy()
    z = pd.DataFrame({c: zscores(out[c]) for c in weights}, index=out.index)
    w = pd.Series(weights, dtype=float)
    have = z.notna()
    weighted = (z.fillna(0) * w).sum(axis=1)
    total_w = (have * w).sum(axis=1)
    out["index"] = (weighted / total_w).where(have.sum(axis=1) >= min_components)
    for c in weights:
        out[f"z_{c}"] = z[c]
    out["rank"] = out["index"].rank(ascending=False, method="min")
    n = out["index"].notna().sum()
    out["quintile"] = np.ceil(5 * out["rank"] / n).clip(1, 5) if n else np.nan
    out["n_ranked"] = n
    return out


def _latest_els(table: str, indicator: str | None = None) -> pd.Series:
    d = load(ELS, table)
    if indicator:
        d = d[d["indicator"] == indicator]
    d = d[d["year"] == d["year"].max()]
    d = d.assign(code=areas.harmonise_codes(d["area_code"]))
    return d.groupby("code")["value"].mean()


def component_frame() -> pd.DataFrame:
    """One row per current English district / single-tier council with the index components."""
    # a table is loaded before the area lookups are first built: helpers.datasets.recording removes recorders by
    # equality, so a cold nested lookup with the same record as this table's would remove the wrong one
    pt = _latest_els("average-travel-time", "Public transport or walk to work")
    station = _latest_els("railway-station-walk")
    t = areas.areas_table()
    out = t[t["code"].str[:3].isin(TILING_PREFIXES)][["code", "name", "parent", "la_code"]].copy()
    ttw = load(TTW)
    ttw = ttw.assign(code=areas.harmonise_codes(ttw["area_code"])).groupby("code")[["drive", "in_employment"]].sum()
    rural = load(RURAL)
    rural = rural.assign(code=areas.gss_for_la_codes(rural["la_code"])).dropna(subset=["code"]).set_index("code")
    out["pt_minutes"] = out["code"].map(pt)
    out["no_station_pct"] = 100 - out["code"].map(station)
    out["drive_pct"] = 100 * out["code"].map(ttw["drive"] / ttw["in_employment"])
    out["rural_pct"] = 100 * out["code"].map(rural["rural_share"] + rural["highly_rural_share"])
    return out.reset_index(drop=True)


def focus_district(area: areas.Area, index: pd.DataFrame) -> str:
    """The council the briefing describes on the index: a county's most transport-poor district (highest index),
    a single-tier council itself. Descriptive only: claims are tested by the register's checks."""
    districts = index[index["parent"] == area.code].dropna(subset=["index"])
    if districts.empty:
        return area.code
    return str(districts.sort_values("index", ascending=False)["code"].iloc[0])


# --- buses ------------------------------------------------------------------------------------------


def bus_authority(area: areas.Area, available: set[str]) -> str | None:
    """The BUS01 row covering an area: itself, its metropolitan ITA, or London; None if absent."""
    for code in (area.code, MET_COUNTY_ITA.get(area.code), LONDON if area.kind == "london borough" else None):
        if code and code in available:
            return code
    return None


def pre_covid_trend(series: pd.DataFrame, last_year: int = 2020) -> object:
    """Log-linear trend of journeys per head over years ending March up to ``last_year`` (before Covid-19), with
    the dataset's declared breaks left out; a falsy :class:`helpers.stats.TrendGap` (with ``.reason``) when the
    authority has fewer than 3 such years (e.g. a council created in 2021)."""
    s = series[series["year"] <= last_year].sort_values("year")
    return try_fit_trend(s["year"], s["value"], kind="loglinear", breaks=registry.get(BUS).breaks)


def compare_trends(area_trend, england_trend) -> str:
    """Area's annual % change (95% CI) against England's point estimate (higher = better: more bus use)."""
    return str(
        compare_with_benchmark(
            area_trend.apc_lower, area_trend.apc_upper, england_trend.annual_pct_change, polarity="higher_is_better"
        )
    )


def recovery_pct(series: pd.DataFrame, base_year: int = 2020) -> float:
    """Latest journeys per head as % of the ``base_year`` value (year ending March 2020: before Covid)."""
    s = series.set_index("year")["value"]
    return float(100 * s.loc[s.index.max()] / s.loc[base_year]) if base_year in s.index else np.nan


# --- active travel ----------------------------------------------------------------------------------


def active_travel_with_ci(frame: pd.DataFrame, value: str, n: str = "sample_size") -> pd.DataFrame:
    """Add Wilson 95% limits (``lower``/``upper``, %) to a % column using the (weighted) sample size."""
    out = frame.copy()
    x = out[value] / 100 * out[n]
    lo, hi = wilson_ci(x.to_numpy(float), out[n].to_numpy(float), multiplier=100)
    out["lower"], out["upper"] = lo, hi
    return out


def label_vs(frame: pd.DataFrame, benchmark: float, polarity: str = "higher_is_better") -> pd.Series:
    return pd.Series(
        compare_with_benchmark(frame["lower"], frame["upper"], benchmark, polarity=polarity), index=frame.index
    )


def vs_words(label: str) -> str:
    """Prose for a Fingertips comparison label of a rate where higher is better."""
    return {
        "better": "significantly higher than",
        "worse": "significantly lower than",
        "similar": "not significantly different from",
    }.get(label, "compared with")


# --- fair comparator for buses: England outside London ------------------------------------------------------


def england_outside_london(per_head: pd.DataFrame, journeys: pd.DataFrame) -> pd.DataFrame:
    """Bus journeys per head for England outside London, by year: (England - London journeys) / (England - London
    population), each population recovered from BUS01e journeys (millions) / BUS01f journeys per head — a ratio of
    sums, as DfT computes its own per-head figures. Columns ``year, value, period, area_code, area_name``."""
    j = journeys.pivot_table(index="year", columns="area_code", values="value")
    h = per_head.pivot_table(index="year", columns="area_code", values="value")
    eng, ldn = areas.ENGLAND_CODE, LONDON
    pop_e, pop_l = j[eng] * 1e6 / h[eng], j[ldn] * 1e6 / h[ldn]
    value = (j[eng] - j[ldn]) * 1e6 / (pop_e - pop_l)
    periods = per_head.drop_duplicates("year").set_index("year")["period"]
    out = value.dropna().rename("value").reset_index()
    return out.assign(period=out["year"].map(periods), area_code="", area_name=ENGLAND_EX_LONDON)


# --- claim and pledge tests named in the register (manifesto §6) ---------------------------------------------


@national.table
def poverty_index() -> pd.DataFrame:
    """The transport-poverty index of every English district and single-tier council (cached for the run)."""
    return transport_poverty_index(component_frame())


def fy_label(period: str) -> str:
    """BUS01's "2023/24" as "2023-24"."""
    return str(period).replace("/", "-")


def rail_usage(area: areas.Area) -> pd.DataFrame:
    """ORR station entries and exits (2017-18, 2018-19) of the stations in a council's area (a county: in its
    districts). ORR names local authorities by name only: they are mapped to today's councils by
    :func:`helpers.la_names.current_codes`."""
    from .. import la_names

    st = load(RAIL, "stations")
    st = st.assign(code=la_names.current_codes(st["local_authority"]))
    members = [d.code for d in areas.districts_of(area)] + [area.code]
    return st[st["code"].isin(members)].sort_values("entries_exits_1819", ascending=False)


FINGERTIPS = "fingertips_la_health_indicators_tdl"
#: First academic year of the children's activity trend: 2019-20 and 2020-21 were disrupted by school closures.
CHILD_ACTIVITY_FROM = 2021


@claim_test
def pledge_school_active_travel(ctx, first_year: int = CHILD_ACTIVITY_FROM) -> verdicts.Outcome:
    """Pledge (manifesto §6): expand School Streets and fund Bikeability permanently. Proxy for their aim (more
    active children), not the schemes themselves: % of children and young people physically active (OHID
    Fingertips, Sport England Active Lives CYP), straight-line trend from ``first_year``-``first_year + 1`` (the
    Covid-disrupted school years are left out); higher is better."""
    ac = load(FINGERTIPS, "active_children")
    s = ac[(ac["area_code"] == ctx.area.code) & (ac["year"] >= first_year)].dropna(subset=["value"])
    s = s.sort_values("year")
    if s.empty:
        raise verdicts.NoData(f"OHID publishes no children's activity figure for {ctx.area.name} since {first_year}")
    last = s.iloc[-1]
    latest = f"{fmt(float(last['value']), '%', 1)} ({last['period'].replace('/', '-')})"
    trend = try_fit_trend(s["year"], s["value"], kind="ols")
    if not trend:
        return verdicts.pledge_baseline(
            latest=latest, evidence=f"Children and young people physically active: {latest}; {trend.reason}.",
            period=last["period"].replace("/", "-"), period_end=int(last["year"]) + 1,
        )  # fmt: skip
    values = ", ".join(
        f"{p.replace('/', '-')} {fmt(float(v), '%', 1)}" for p, v in zip(s["period"], s["value"], strict=True)
    )
    return verdicts.pledge_from_trend(
        trend,
        polarity="higher_is_better",
        latest=latest,
        evidence=(
            f"Children and young people physically active in {ctx.area.name}: {values}; trend "
            f"{fmt(trend.slope, '', 2)} points a year {fmt_interval(trend.slope_lower, trend.slope_upper, '', 2)}."
        ),
        period=f"{s['period'].iloc[0].replace('/', '-')} to {last['period'].replace('/', '-')}",
        period_end=int(last["year"]) + 1,
    )


# --- panels: one question of the briefing each ------------------------------------------------------------

#: The caveats of the briefing, one bullet each.
CAVEATS = [
    "The transport-poverty index is a screening measure from four indicators of different years (travel times 2019, "
    "station access 2024, Census 2021, rurality from the 2011 classification); the weights are a judgement, shown "
    "above.",
    "Census 2021 travel to work was taken during a lockdown: home working is high and public-transport shares low.",
    "Bus journeys are counted by transport authority (county, unitary, metropolitan ITA or London); years ending March "
    "2021 and 2022 are Covid-19 breaks, never fitted across; recent years are provisional.",
    "Walking and cycling rates come from the Active Lives Survey (a few hundred adults per district): intervals are "
    "wide.",
    "Station use is counted at the station, not by residents; only the 2017-18 and 2018-19 edition is in the "
    "collection.",
]

_INDEX_LABELS = {
    "name": "Council",
    "pt_minutes": "Minutes to work by public transport or walking",
    "no_station_pct": "% not within 30 minutes' walk of a station",
    "drive_pct": "% drive to work",
    "rural_pct": "% in rural areas",
    "index": "Index (z)",
}


def _similar_codes(area: areas.Area, k: int) -> list[str]:
    return [a.code for a in areas.comparators(area, k)["similar"]]


def caveats() -> Panel:
    """The briefing's caveats as one panel (a bulleted list)."""
    return Panel("Caveats").say("\n".join(f"- {c}" for c in CAVEATS))


def transport_poverty(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 1: the transport-poverty index of the area (a county: its districts, described by its most
    transport-poor one) and similar councils. ``frame``: the rows shown (components, index, rank)."""
    index = poverty_index()
    weights = pd.DataFrame([{"Component": v[0], "Weight": v[1]} for v in COMPONENTS.values()])
    focus = index.set_index("code").loc[focus_district(area, index)]
    n_ranked = int(focus["n_ranked"])
    county = index[index["parent"] == area.code].sort_values("rank")
    shown = pd.concat([county, index[index["code"].isin(_similar_codes(area, k_similar) + [area.code])]])
    shown = shown.drop_duplicates("code").reset_index(drop=True)
    cols = ["code", "name", "pt_minutes", "no_station_pct", "drive_pct", "rural_pct", "index", "rank"]
    p = Panel("Transport poverty: a composite index", frame=shown[cols])
    p.add(
        Table(
            weights,
            "Components and weights of the transport-poverty index (each higher = more transport-poor)",
            COMPONENT_SOURCES,
            formats={"Component": "text", "Weight": "dp1"},
        )
    )
    formats = {"pt_minutes": "dp1", "no_station_pct": "pct", "drive_pct": "pct", "rural_pct": "pct", "index": "dp2"}
    p.add(
        Table(
            shown[cols[1:]],
            f"Transport-poverty index: {'districts of ' + area.name if len(county) else area.name} and similar "
            "councils",
            COMPONENT_SOURCES,
            formats={**formats, "rank": "int"},
            labels={**_INDEX_LABELS, "rank": f"Rank of {n_ranked} (1 = most transport-poor)"},
        )
    )
    if pd.isna(focus["index"]):
        return p.gap(f"The transport-poverty index has too few components for {focus['name']} to be ranked.")
    bars = shown.dropna(subset=["index"]).assign(label=lambda d: d["name"])
    rank = int(focus["rank"])
    fig = charts.ranked_bars(
        bars,
        "label",
        "index",
        highlight=[focus["name"]],
        benchmark=0.0,
        benchmark_label="England average",
        title=f"{focus['name']} ranks {rank} of {n_ranked} English councils on transport poverty",
        xlabel="transport-poverty index (weighted mean z-score; higher = more transport-poor)",
    )
    data = bars.rename(columns={"code": "area_code", "name": "area_name", "index": "value"})
    p.add(
        Figure(
            fig,
            f"Bar chart of the transport-poverty index for {listing(bars['name'])}. {focus['name']} scores "
            f"{focus['index']:.2f}, rank {rank} of {n_ranked} English districts and single-tier councils.",
            data[["area_code", "area_name", "value", "rank"]],
            COMPONENT_SOURCES,
            caption="0 is the English average; +1 is one standard deviation more transport-poor.",
        )
    )
    worst = index.loc[index["rank"].idxmin()]
    p.say(
        f"{focus['name']} scores {fmt(focus['index'], '', 2)} on the index, rank {rank} of {n_ranked} English "
        "districts and single-tier councils. By public transport or on foot the nearest employment centre takes "
        f"{fmt(focus['pt_minutes'], 'minutes', 1)} on average; {fmt(focus['no_station_pct'], '%', 0)} of residents "
        f"live more than a 30-minute walk from a station; {fmt(focus['drive_pct'], '%', 1)} of working residents "
        f"drove to work in March 2021; {fmt(focus['rural_pct'], '%', 0)} live in rural areas. The most "
        f"transport-poor council in England on this index is {worst['name']} ({fmt(worst['index'], '', 2)})."
    )
    return p.finding(
        f"On a composite transport-poverty index {focus['name']} ranks {rank} of {n_ranked} English districts "
        f"and single-tier councils (1 = most transport-poor; the worst is {worst['name']})."
    )


def _trend_sentence(t_area, t_eng) -> str:
    from .s05_net_zero import change_text

    word = {
        "better": "significantly better than",
        "worse": "significantly worse than",
        "similar": "not significantly different from",
    }.get(compare_trends(t_area, t_eng), "compared with")
    return (
        f"Before Covid-19 ({t_area.years_text}, years ending March) bus use per head "
        f"{change_text(t_area.annual_pct_change, t_area.apc_lower, t_area.apc_upper)}; in England it "
        f"{change_text(t_eng.annual_pct_change, t_eng.apc_lower, t_eng.apc_upper).split(' (')[0]}: the area's trend "
        f"was {word} England's. "
    )


def bus_use(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 2: bus passenger journeys per head of the area's transport authority against its region, England,
    England outside London and similar councils, with the pre-Covid trend. ``frame``: the plotted series."""
    bus, journeys = load(BUS, "per_head"), load(BUS, "journeys")
    lta = bus_authority(area, set(bus["area_code"]))
    p = Panel("Bus passenger journeys per head")
    if lta is None:
        return p.gap(f"DfT's BUS01 has no row for {area.name} or a transport authority that contains it.")
    names = dict(zip(bus["area_code"], bus["area_name"], strict=False))
    exl = england_outside_london(bus, journeys)
    codes = [lta, areas.region_of(area).code, areas.ENGLAND_CODE] + _similar_codes(area, k_similar)
    series = bus[bus["area_code"].isin(codes)]
    series = pd.concat([series, exl], ignore_index=True).assign(area_name=lambda d: d["area_code"].map(names))
    series["area_name"] = series["area_name"].fillna(ENGLAND_EX_LONDON)
    series["period"] = series["period"].map(fy_label)
    series = series.sort_values(["area_name", "year"])[["area_code", "area_name", "period", "year", "value"]]
    p.frame = series.reset_index(drop=True)
    lt, eng = series[series["area_code"] == lta], series[series["area_code"] == areas.ENGLAND_CODE]
    first, last = lt.iloc[0], lt.iloc[-1]
    fig = charts.trend_lines(
        series.rename(columns={"area_name": "name"}),
        x="year",
        y="value",
        group="name",
        highlight=[names[lta], "England", ENGLAND_EX_LONDON],
        title=f"Bus journeys per head in {names[lta]}: {first['value']:.0f} in {first['period']}, "
        f"{last['value']:.0f} in {last['period']}",
        ylabel="bus journeys per resident a year",
        xlabel="year ending March",
    )
    p.add(
        Figure(
            fig,
            "Line chart of local bus passenger journeys per head, years ending March "
            f"{int(lt['year'].min())} to {int(lt['year'].max())}, for {listing(series['area_name'].unique())}; "
            "all fall sharply in 2020-21 (Covid-19).",
            p.frame,
            [BUS],
            caption="England outside London is computed from DfT's journeys and per-head tables (a ratio of sums).",
        )
    )
    note = "" if lta == area.code else f" (BUS01 reports {area.name} within {names[lta]})"
    exl_last = exl.set_index("year")["value"].get(int(lt["year"].max()))
    text = (
        f"In {names[lta]}{note} residents made {fmt(last['value'], '', 1)} bus journeys per head in "
        f"{last['period']} against {fmt(eng['value'].iloc[-1], '', 1)} in England and {fmt(exl_last, '', 1)} in "
        "England outside London (London's buses lift England's average). "
    )
    t_area, t_eng = pre_covid_trend(lt), pre_covid_trend(eng)
    if t_area:
        text += _trend_sentence(t_area, t_eng)
        p.details.append(f"Model: {t_area.assumptions}.")
    else:
        text += f"No pre-Covid trend for {names[lta]}: {t_area.reason}. "
    rec, rec_eng = recovery_pct(lt), recovery_pct(eng)
    if pd.notna(rec):
        text += (
            f"By {last['period']} bus use was {fmt(rec, '%', 0)} of its 2019-20 level (England {fmt(rec_eng, '%', 0)})."
        )
    p.say(text)
    return p.finding(
        f"Bus journeys per head in {names[lta]} were {fmt(last['value'], '', 1)} in {last['period']}, against "
        f"{fmt(exl_last, '', 1)} in England outside London and {fmt(eng['value'].iloc[-1], '', 1)} in England."
    )


def walking_cycling_rates(area: areas.Area, k_similar: int = 5) -> pd.DataFrame:
    """Weekly cycling and walking rates (2017-18) of the area's districts, the area, its region, England and
    similar councils, with Wilson 95% limits and the comparison with England: one row per area, columns
    ``area_code, area_name, period, cycle_pct, cycle_lower, cycle_upper, cycle_vs_england`` and the same for walk."""
    wc = load(WALK_CYCLE, "weekly_1718")
    local = [d.code for d in areas.local_areas(area)]
    codes = list(dict.fromkeys(local + [area.code, areas.region_of(area).code, areas.ENGLAND_CODE]))
    codes += [c for c in _similar_codes(area, k_similar) if c not in codes]
    names = areas.names()
    wcs = wc[wc["area_code"].isin(codes)].assign(area_name=lambda d: d["area_code"].map(names).fillna(d["area_name"]))
    eng = wc.set_index("area_code").loc[areas.ENGLAND_CODE]
    out = wcs[["area_code", "area_name"]].drop_duplicates("area_code").set_index("area_code")
    for mode in ("cycle", "walk"):
        t = active_travel_with_ci(wcs.dropna(subset=[f"{mode}_pct"]), f"{mode}_pct").set_index("area_code")
        out[f"{mode}_pct"], out[f"{mode}_lower"], out[f"{mode}_upper"] = t[f"{mode}_pct"], t["lower"], t["upper"]
        out[f"{mode}_vs_england"] = label_vs(t, eng[f"{mode}_pct"])
    out = out.reindex([c for c in codes if c in out.index]).dropna(subset=["cycle_pct"])
    return out.reset_index().assign(period="2017-18")


def walking_and_cycling(area: areas.Area, k_similar: int = 5) -> Panel:
    """Question 3: adults who walk and cycle at least once a week, with 95% intervals, against England."""
    t = walking_cycling_rates(area, k_similar)
    p = Panel("Walking and cycling", frame=t)
    local = [d.code for d in areas.local_areas(area)]
    if t.empty or not set(t["area_code"]) & set(local + [area.code]):
        return p.gap(f"DfT's walking and cycling tables (2017-18 boundaries) have no row for {area.name}.")
    cyc = t.set_index("area_code")
    eng = load(WALK_CYCLE, "weekly_1718").set_index("area_code").loc[areas.ENGLAND_CODE]
    hi, lo = cyc.loc[cyc["cycle_pct"].idxmax()], cyc.loc[cyc["cycle_pct"].idxmin()]
    fig = charts.ranked_bars(
        t,
        "area_name",
        "cycle_pct",
        lower="cycle_lower",
        upper="cycle_upper",
        comparison="cycle_vs_england",
        highlight=list(cyc.loc[[c for c in [area.code] + local if c in cyc.index], "area_name"]),
        benchmark=eng["cycle_pct"],
        title=f"Weekly cycling ranges from {lo['cycle_pct']:.0f}% ({lo['area_name']}) to {hi['cycle_pct']:.0f}% "
        f"({hi['area_name']})",
        xlabel="% of adults who cycle at least once a week, 2017-18 (95% CI)",
    )
    data = t[["area_code", "area_name", "period", "cycle_pct", "cycle_lower", "cycle_upper"]]
    data = data.set_axis(["area_code", "area_name", "period", "value", "lower", "upper"], axis=1)
    alt = "; ".join(f"{r.area_name} {r.value:.1f}% ({r.lower:.1f}-{r.upper:.1f})" for r in data.itertuples())
    p.add(
        Figure(
            fig,
            f"Bar chart of the % of adults who cycle at least once a week in 2017-18 with 95% intervals: {alt}",
            data,
            [WALK_CYCLE],
        )
    )
    pct = {c: "pct" for c in t.columns if c.endswith(("_pct", "_lower", "_upper"))}
    p.add(
        Table(
            t.drop(columns=["area_code", "period"]),
            "Adults walking and cycling at least once a week, 2017-18, with Wilson 95% intervals (weighted sample "
            "sizes)",
            [WALK_CYCLE],
            formats=pct,
            labels={
                "area_name": "Area",
                **{f"{m}_pct": f"% {w} weekly" for m, w in (("cycle", "cycle"), ("walk", "walk"))},
                **{f"{m}_{e}": f"{w} 95% CI {e}" for m, w in (("cycle", "cycling"), ("walk", "walking"))
                   for e in ("lower", "upper")},
                "cycle_vs_england": "cycling vs England",
                "walk_vs_england": "walking vs England",
            },
            collapsed=True,
        )
    )  # fmt: skip
    key = cyc.loc[area.code if area.code in cyc.index else next(c for c in local if c in cyc.index)]
    p.say(
        f"In 2017-18 {fmt(key['cycle_pct'], '%', 1)} {fmt_interval(key['cycle_lower'], key['cycle_upper'], '%', 1)} "
        f"of adults in {key['area_name']} cycled at least once a week ({vs_words(key['cycle_vs_england'])} England's "
        f"{fmt(eng['cycle_pct'], '%', 1)}) and {fmt(key['walk_pct'], '%', 1)} walked at least once a week (England "
        f"{fmt(eng['walk_pct'], '%', 1)}). Among the areas shown the highest cycling rate is {hi['area_name']} "
        f"({fmt(hi['cycle_pct'], '%', 1)}) and the lowest {lo['area_name']} ({fmt(lo['cycle_pct'], '%', 1)}). "
        "Intervals use the Active Lives weighted sample size as n (Wilson), which understates survey design effects "
        "slightly."
    )
    return p.finding(
        f"{fmt(key['cycle_pct'], '%', 1)} of adults in {key['area_name']} cycled at least weekly in 2017-18, "
        f"{vs_words(key['cycle_vs_england'])} England ({fmt(eng['cycle_pct'], '%', 1)}); the range across the areas "
        f"shown ran from {fmt(lo['cycle_pct'], '%', 1)} ({lo['area_name']}) to {fmt(hi['cycle_pct'], '%', 1)} "
        f"({hi['area_name']})."
    )


def road_emissions(area: areas.Area) -> Panel:
    """Question 4: road transport's share of the area's CO2 within council influence, latest year, against
    England (briefing 05's sector tables)."""
    from . import s05_net_zero as s05

    long = s05.sector_long()
    year = int(long["year"].max())
    p = Panel("Road transport emissions")
    if area.code not in set(long["area_code"]):
        return p.gap(f"The CO2-by-sector file has no row for {area.name}.")
    own = s05.sector_shares(long, area.code, year).set_index("sector").loc["Transport"]
    eng = s05.sector_shares(s05.sector_benchmarks(long), areas.ENGLAND_CODE, year).set_index("sector").loc["Transport"]
    p.frame = pd.DataFrame(
        {
            "area_code": [area.code, areas.ENGLAND_CODE],
            "area_name": [area.name, "England"],
            "period": [str(year)] * 2,
            "kt_co2": [own["kt_co2"], eng["kt_co2"]],
            "share_pct": [own["share_pct"], eng["share_pct"]],
        }
    )
    p.say(
        "Transport (A roads and minor roads; motorways are outside the council-influence subset) was "
        f"{fmt(own['kt_co2'], 'kt', 0)} of CO2 in {area.name} in {year}, {fmt(own['share_pct'], '%', 1)} of emissions "
        f"within council influence (England {fmt(eng['share_pct'], '%', 1)}). {year} was a lockdown year. Briefing "
        "05 tests the trend."
    )
    return p.finding(
        f"Road transport made up {fmt(own['share_pct'], '%', 1)} of {area.name}'s CO2 within council influence in "
        f"{year} (England {fmt(eng['share_pct'], '%', 1)})."
    )


def rail_stations(area: areas.Area) -> Panel:
    """Question 4 (rail): the busiest stations in the area, entries and exits 2017-18 and 2018-19 (ORR)."""
    stations = rail_usage(area)
    cols = ["station", "local_authority", "entries_exits_1718", "entries_exits_1819"]
    p = Panel("Rail station use", frame=stations[cols + ["code"]].reset_index(drop=True))
    if stations.empty:
        return p.gap(f"ORR lists no National Rail station in {area.name}.")
    return p.add(
        Table(
            stations[cols].head(15),
            f"Busiest railway stations in {area.name}: entries and exits, 2017-18 and 2018-19 (at most 15 shown)",
            [RAIL],
            formats={
                "entries_exits_1718": "int",
                "entries_exits_1819": "int",
                "station": "text",
                "local_authority": "text",
            },
            labels={
                "station": "Station",
                "local_authority": "Local authority (ORR)",
                "entries_exits_1718": "2017-18",
                "entries_exits_1819": "2018-19",
            },
        )
    )
