"""Briefing 06 — Transport and connectivity (manifesto §6): the section's analysis functions.

Pure functions on frames, called from ``notebooks/06_transport.ipynb``:

* a composite **transport-poverty index** across every English lower-tier / single-tier council
  (z-scores of a few public indicators, weighted; higher = more transport-poor) and the verdict rule
  for the claim that a district (Fenland, in the manifesto) is transport-poor;
* bus passenger journeys per head for the area's local transport authority (a county, unitary, the
  metropolitan county of a met district, or London), with a pre-Covid log-linear trend;
* walking and cycling rates with Wilson 95% intervals against England.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import areas
from ..datasets import load
from ..stats import compare_with_benchmark, fit_trend, wilson_ci

ELS = "ons_explore_local_statistics"
BUS = "bus_passenger_journeys_la_2010_2024"
TTW = "census2021_travel_to_work_method_ts061_la"
CARS = "census2021_car_van_availability_ts045_la"
RURAL = "la_urban_rural_profile"
CYCLING = "cycling_proportion_adults_la_cw0302_2016_2021"
WALK_CYCLE = "walking_cycling_proportion_adults_la_cw0301_0303_2015_16_to_2017_18"
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

#: Metropolitan districts -> the integrated transport authority area that BUS01 reports.
MET_COUNTY_ITA = {
    **{f"E0800000{i}": "E11000001" for i in range(1, 10)},
    "E08000010": "E11000001",  # Greater Manchester
    **{f"E080000{i}": "E11000002" for i in range(11, 16)},  # Merseyside
    **{f"E080000{i}": "E11000003" for i in range(16, 20)},  # South Yorkshire
    **{f"E080000{i}": "E11000007" for i in range(21, 25)},
    "E08000037": "E11000007",  # Tyne and Wear
    **{f"E080000{i}": "E11000005" for i in range(25, 32)},  # West Midlands
    **{f"E080000{i}": "E11000006" for i in range(32, 37)},  # West Yorkshire
}
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


def transport_poverty_verdict(rank_in_county: int | None, n_in_county: int | None, quintile: float | None) -> str:
    """Verdict on 'this district is transport-poor'.

    Supported: most transport-poor in its county *and* in England's most transport-poor fifth (quintile 1).
    Partly supported: only one of the two (for a single-tier council, which has no county comparison:
    quintile 2, i.e. the more transport-poor 40%). Not supported: neither. No index: cannot be tested.
    """
    if quintile is None or (isinstance(quintile, float) and np.isnan(quintile)):
        return "cannot be tested with public data"
    worst_fifth = int(quintile) == 1
    if rank_in_county is None or not n_in_county or n_in_county < 2:
        if worst_fifth:
            return "supported"
        return "partly supported" if int(quintile) == 2 else "not supported"
    worst_in_county = int(rank_in_county) == 1
    if worst_in_county and worst_fifth:
        return "supported"
    if worst_in_county or worst_fifth:
        return "partly supported"
    return "not supported"


def _latest_els(table: str, indicator: str | None = None) -> pd.Series:
    d = load(ELS, table)
    if indicator:
        d = d[d["indicator"] == indicator]
    d = d[d["year"] == d["year"].max()]
    d = d.assign(code=areas.harmonise_codes(d["area_code"]))
    return d.groupby("code")["value"].mean()


def component_frame() -> pd.DataFrame:
    """One row per current English district / single-tier council with the index components."""
    t = areas.areas_table()
    out = t[t["code"].str[:3].isin(TILING_PREFIXES)][["code", "name", "parent", "la_code"]].copy()
    pt = _latest_els("average-travel-time", "Public transport or walk to work")
    station = _latest_els("railway-station-walk")
    ttw = load(TTW)
    ttw = ttw.assign(code=areas.harmonise_codes(ttw["area_code"])).groupby("code")[["drive", "in_employment"]].sum()
    rural = load(RURAL)
    rural = rural.assign(code=areas.gss_for_la_codes(rural["la_code"])).dropna(subset=["code"]).set_index("code")
    out["pt_minutes"] = out["code"].map(pt)
    out["no_station_pct"] = 100 - out["code"].map(station)
    out["drive_pct"] = 100 * out["code"].map(ttw["drive"] / ttw["in_employment"])
    out["rural_pct"] = 100 * out["code"].map(rural["rural_share"] + rural["highly_rural_share"])
    return out.reset_index(drop=True)


def focus_district(area: areas.Area, index: pd.DataFrame, preferred: str = "Fenland") -> str:
    """The council the transport-poverty claim is tested on: the manifesto's district if it is in the
    county, else the county's most rural district; a single-tier council itself."""
    districts = index[index["parent"] == area.code]
    if districts.empty:
        return area.code
    named = districts[districts["name"] == preferred]
    if not named.empty:
        return str(named["code"].iloc[0])
    return str(districts.sort_values("rural_pct", ascending=False)["code"].iloc[0])


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
    """Log-linear trend of journeys per head over years ending March up to ``last_year`` (pre-Covid)."""
    s = series[series["year"] <= last_year].sort_values("year")
    return fit_trend(s["year"], s["value"], kind="loglinear")


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
