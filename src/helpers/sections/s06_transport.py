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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import areas, national, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..indicators.derive.transport import MET_COUNTY_ITA  # metropolitan district -> its transport authority
from ..stats import compare_with_benchmark, try_fit_trend, wilson_ci
from ..text import fmt, fmt_interval

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


@dataclass
class BusTrend:
    trend: object  # helpers.stats.TrendResult (log-linear, pre-Covid years)
    first_year: int
    last_pre_covid: int
    label: str  # better / similar / worse than England's annual % change


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
