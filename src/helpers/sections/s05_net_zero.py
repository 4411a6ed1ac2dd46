"""Briefing 05 — Environment and net zero by 2030 (manifesto §5): the section's analysis functions.

Pure functions on frames, called from ``notebooks/05_net_zero.ipynb``:

* loading helpers that put the emissions data on GSS codes and add England and region totals;
* sector shares, per-person and per-km² figures;
* the net-zero trajectory: a log-linear trend (``helpers.stats.fit_trend``) projected to the target
  year (``forecast``) against the constant-percentage path needed to reach the residual
  (``required_annual_change`` / ``on_track``);
* the claim and pledge tests named in the register (``manifestos/<id>/05_net_zero.yaml``): each returns a
  :class:`helpers.verdicts.Outcome` decided by the one rule set in :mod:`helpers.verdicts`.

Series breaks
-------------
Trends are never fitted across the breaks declared in each dataset's registry file (``breaks:``): the CO2 file's
2020 (Covid-19 lockdowns) and the greenhouse-gas series' 2020 and 2021 are left out, and the required path to net
zero starts from the latest year that is not a break (2019 for the CO2 subset), so a lockdown dip neither flatters
the start point nor steepens the fitted fall. :attr:`Trajectory.years_text` says which years were used.

Net zero as a number
--------------------
A constant percentage cut never reaches zero, so the target is a *residual*: ``residual_share`` of the
baseline (first observed year, 2005) emissions, the rest assumed offset by removals. With
``residual_share = 0`` the comparison switches to straight-line (absolute) rates: the observed change
comes from an OLS trend in kt per year and the required rate is ``(0 - latest) / years left``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import areas, charts, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..errors import ParameterError
from ..panels import Figure, Panel, Table
from ..stats import compare_with_benchmark, fit_trend, forecast, on_track, try_fit_trend
from ..text import direction, fmt, fmt_interval, listing

DATASET = "la_co2_emissions_by_sector_mysociety_2005_2020"
ELS = "ons_explore_local_statistics"
GHG_TABLE = "greenhouse-gas-emissions"
#: GSS prefixes of the councils that tile England without double counting (districts, unitaries,
#: metropolitan districts, London boroughs); counties (E10) are sums of their districts.
TILING_PREFIXES = ("E06", "E07", "E08", "E09")
RENEWABLES = "renewable_electricity_generation_la_2018_2022_2024"
RECYCLING = "household_waste_recycling_rate_la_2015_16_to_2023_24"
LACW = "lacw_management_by_waste_authority_sdg_11_6_1_2000_01_to_2020_21"
SECTORS = ["Industry", "Commercial", "Public Sector", "Domestic", "Transport", "Agriculture", "Waste Management"]

#: What a council can do about each sector (after BEIS's "scope of influence" note and the
#: Climate Change Committee's 2020 local authorities report); a description, not a measurement.
INFLUENCE = {
    "Public Sector": "direct: includes the councils' own buildings, schools and street lighting",
    "Transport": "strong: local roads, parking, Park and Ride, bus and active-travel schemes (motorways excluded)",
    "Domestic": "partial: planning, council housing, retrofit schemes and fuel-poverty programmes",
    "Commercial": "partial: planning, business-rates and procurement levers",
    "Industry": "limited: planning and partnerships (large EU ETS sites excluded from this subset)",
    "Agriculture": "limited: county farms estate and advice; land-use (LULUCF) emissions excluded",
    "Waste Management": "partial: waste disposal contracts (county) and collection (districts)",
}


def breaks_for(dataset_id: str, table: str | None = None) -> tuple[dict, ...]:
    """The series breaks declared in a dataset's registry file; a break with a ``table:`` key applies only to
    that table (the ONS Explore Local Statistics file holds many indicators)."""
    return tuple(b for b in registry.get(dataset_id).breaks if b.get("table") in (None, table))


def co2_breaks() -> tuple[dict, ...]:
    """Breaks of the CO2-by-sector series (2020: Covid-19 lockdowns)."""
    return breaks_for(DATASET)


def ghg_breaks() -> tuple[dict, ...]:
    """Breaks of the greenhouse-gas per resident series (2020 and 2021: Covid-19)."""
    return breaks_for(ELS, GHG_TABLE)


# --- data on GSS codes -----------------------------------------------------------------------------


def _with_gss(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(area_code=areas.gss_for_la_codes(frame["la_code"]))
    return out.dropna(subset=["area_code"])


def council_totals() -> pd.DataFrame:
    """Total CO2 (kt), population, t per person, km² and kt per km² by current English council and year."""
    return _with_gss(load(DATASET, "totals"))


def sector_long() -> pd.DataFrame:
    """Sector totals (component ``Total``) and components, kt CO2, by English council and year."""
    return _with_gss(load(DATASET, "by_sector"))


def benchmark_totals(totals: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """England and region rows made by summing councils that tile England (E06-E09) per year.

    ``table`` maps council code -> region (default :func:`helpers.areas.areas_table`). Per-person and
    per-km² values are recomputed from the sums (a ratio of sums, not a mean of ratios).
    """
    table = areas.areas_table() if table is None else table
    region_of = dict(zip(table["code"], table["region"], strict=False))
    tiles = totals[totals["area_code"].str[:3].isin(TILING_PREFIXES)].copy()
    tiles["region"] = tiles["area_code"].map(region_of)
    sums = ["total_kt_co2", "population", "area_km2"]
    england = (
        tiles.groupby("year", as_index=False)[sums].sum().assign(area_code=areas.ENGLAND_CODE, area_name="England")
    )
    regions = tiles.dropna(subset=["region"]).groupby(["region", "year"], as_index=False)[sums].sum()
    regions["area_code"] = regions["region"].map(areas.REGION_CODES)
    regions["area_name"] = regions["region"]
    out = pd.concat([england, regions.drop(columns="region")], ignore_index=True)
    out["per_person_t"] = out["total_kt_co2"] * 1000 / out["population"]
    out["per_km2_kt"] = out["total_kt_co2"] / out["area_km2"]
    out["la_code"] = None
    return out[
        [
            "la_code",
            "area_name",
            "year",
            "total_kt_co2",
            "population",
            "per_person_t",
            "area_km2",
            "per_km2_kt",
            "area_code",
        ]
    ]


def sector_benchmarks(long: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """England and region sector totals (component ``Total``) summed over councils that tile England."""
    table = areas.areas_table() if table is None else table
    region_of = dict(zip(table["code"], table["region"], strict=False))
    tiles = long[(long["component"] == "Total") & long["area_code"].str[:3].isin(TILING_PREFIXES)].copy()
    tiles["region"] = tiles["area_code"].map(region_of)
    eng = (
        tiles.groupby(["year", "sector"], as_index=False)["kt_co2"]
        .sum()
        .assign(area_code=areas.ENGLAND_CODE, area_name="England", component="Total")
    )
    reg = tiles.dropna(subset=["region"]).groupby(["region", "year", "sector"], as_index=False)["kt_co2"].sum()
    reg = reg.assign(area_code=reg["region"].map(areas.REGION_CODES), area_name=reg["region"], component="Total")
    return pd.concat([eng, reg.drop(columns="region")], ignore_index=True)


# --- shares ------------------------------------------------------------------------------------------


def sector_shares(long: pd.DataFrame, area_code: str, year: int) -> pd.DataFrame:
    """Each sector's kt CO2 and % share of the area's total in ``year`` (largest first)."""
    rows = long[(long["area_code"] == area_code) & (long["year"] == year) & (long["component"] == "Total")]
    out = rows.groupby("sector", as_index=False)["kt_co2"].sum()
    total = out["kt_co2"].sum()
    out["share_pct"] = 100 * out["kt_co2"] / total if total > 0 else np.nan
    return out.sort_values("kt_co2", ascending=False, ignore_index=True)


# --- trajectories ------------------------------------------------------------------------------------


def check_target_year(target_year, last_year: int) -> int:
    """The target year as an int, which must lie after the last observed year."""
    try:
        target = int(target_year)
    except (TypeError, ValueError):
        raise ParameterError(f"target_year must be a year such as 2030, not {target_year!r}") from None
    if target <= last_year:
        raise ParameterError(
            f"target_year {target} must be after the last year of data ({last_year}); choose e.g. 2030, 2040 or 2050"
        )
    return target


def check_residual_share(residual_share) -> float:
    """The residual share as a float in [0, 1)."""
    try:
        share = float(residual_share)
    except (TypeError, ValueError):
        raise ParameterError(f"residual_share must be a number between 0 and 1, not {residual_share!r}") from None
    if not 0 <= share < 1:
        raise ParameterError(f"residual_share must be at least 0 and below 1 (got {share}); e.g. 0.05 for 5% of 2005")
    return share


def change_kind(target_value: float) -> str:
    """'percent' (constant % cut) when the target is above zero, else 'linear' (constant kt cut)."""
    return "percent" if target_value > 0 else "linear"


def required_path(start_value: float, start_year: int, target_value: float, target_year: int) -> pd.DataFrame:
    """Year-by-year values of the path at the required rate (constant % or constant absolute change)."""
    years = np.arange(int(start_year), int(target_year) + 1)
    span = float(target_year - start_year)
    if change_kind(target_value) == "percent":
        values = start_value * (target_value / start_value) ** ((years - start_year) / span)
    else:
        values = start_value + (target_value - start_value) * (years - start_year) / span
    return pd.DataFrame({"year": years, "value": values})


def year_trend_reaches(trend, target_value: float) -> float:
    """Year at which a log-linear trend's fitted line reaches ``target_value`` (inf if it never does)."""
    if target_value <= 0 or trend.kind == "ols":
        if trend.kind == "ols" and trend.slope < 0:
            intercept = float(trend.results.params[0])
            return trend.year_origin + (target_value - intercept) / trend.slope
        return math.inf
    if trend.slope >= 0:
        return math.inf
    intercept = float(trend.results.params[0])
    return trend.year_origin + (math.log(target_value) - intercept) / trend.slope


@dataclass
class Trajectory:
    """A series' trend, its projection to the target year and the path the target needs.

    ``last_year``/``last_value`` are the start of the required path: the latest year used in the fit (the latest
    year that is not a declared break). ``data_last_year`` is the latest year in the data (it may be a break).
    """

    trend: object  # helpers.stats.TrendResult, log-linear (used for the projection)
    test_trend: object  # the trend tested against the required rate (log-linear, or OLS for a zero target)
    projection: pd.DataFrame  # year, mean, ci_*, pi_* from the start year to the target year
    path: pd.DataFrame  # year, value: the required path
    first_year: int
    first_value: float
    last_year: int
    last_value: float
    target_value: float
    target_year: int
    required: float
    result: object  # helpers.stats.OnTrackResult
    reach_year: float
    data_last_year: int = 0
    excluded_years: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def units(self) -> str:
        return self.result.units

    @property
    def years_text(self) -> str:
        """The years fitted, e.g. "2005 to 2019 (2020 left out as a series break)"."""
        return self.trend.years_text

    @property
    def at_target(self) -> pd.Series:
        """The projection row for the target year (mean and 95% prediction interval)."""
        return self.projection.iloc[-1]


def trajectory(
    years, values, target_year: int, residual_share: float = 0.05, confidence: float = 0.95, breaks=()
) -> Trajectory:
    """Trend, projection and required path of an annual series towards a net-zero target.

    The target is ``residual_share`` x the first observed value (the baseline, 2005 for the CO2 and greenhouse-gas
    series). The trend is fitted without the ``breaks`` (``{year, kind, reason}``, from the registry) and the
    required rate runs from the latest year used in the fit to the target in ``target_year``. Status ("on track" /
    "off track" / "uncertain") from :func:`helpers.stats.on_track` with the trend's 95% interval.
    """
    s = pd.DataFrame({"year": np.asarray(years, dtype=float), "value": np.asarray(values, dtype=float)})
    s = s.dropna().sort_values("year")
    if len(s) < 3:
        raise ParameterError(f"a trend needs at least 3 years of data (got {len(s)})")
    first = s.iloc[0]
    trend = fit_trend(s["year"], s["value"], kind="loglinear", confidence=confidence, breaks=breaks)
    used = s[s["year"].round().astype(int).between(trend.first_year, trend.last_year)]
    used = used[~used["year"].round().astype(int).isin(trend.excluded_years)]
    last = used.iloc[-1]
    target_year = check_target_year(target_year, int(last["year"]))
    target_value = check_residual_share(residual_share) * float(first["value"])
    test_trend = (
        trend
        if target_value > 0
        else fit_trend(s["year"], s["value"], kind="ols", confidence=confidence, breaks=breaks)
    )
    # emissions: a ceiling target, so a level already at or below the residual has met it whatever the trend
    result = on_track(
        test_trend, float(last["value"]), int(last["year"]), target_value, target_year, lower_is_better=True
    )
    projection = forecast(trend, np.arange(int(last["year"]), target_year + 1), confidence=confidence)
    return Trajectory(
        trend=trend,
        test_trend=test_trend,
        projection=projection,
        path=required_path(float(last["value"]), int(last["year"]), target_value, target_year),
        first_year=int(first["year"]),
        first_value=float(first["value"]),
        last_year=int(last["year"]),
        last_value=float(last["value"]),
        target_value=target_value,
        target_year=target_year,
        required=result.required_change,
        result=result,
        reach_year=year_trend_reaches(test_trend, target_value),
        data_last_year=int(s["year"].iloc[-1]),
        excluded_years=tuple(trend.excluded_years),
    )


def sector_trajectories(
    long: pd.DataFrame, area_code: str, target_year: int, residual_share: float, breaks=()
) -> pd.DataFrame:
    """One row per sector: first and latest kt, latest share, observed change with its 95% CI, the
    change required for ``target_year``, status and the projected kt in the target year.

    Sectors with a zero or missing year cannot take a log-linear trend and get status "not assessed". The trend
    leaves out the ``breaks``; the required change runs from the latest year that is not a break.
    """
    rows = long[(long["area_code"] == area_code) & (long["component"] == "Total")]
    latest_total = rows[rows["year"] == rows["year"].max()]["kt_co2"].sum()
    out = []
    for sector in SECTORS:
        s = rows[rows["sector"] == sector].sort_values("year")
        if s.empty:
            continue
        base = {
            "sector": sector,
            "first_kt": float(s["kt_co2"].iloc[0]),
            "latest_kt": float(s["kt_co2"].iloc[-1]),
            "latest_share_pct": 100 * float(s["kt_co2"].iloc[-1]) / latest_total if latest_total else np.nan,
        }
        if (s["kt_co2"] <= 0).any() or len(s) < 3:
            out.append(
                {
                    **base,
                    "observed": np.nan,
                    "observed_lower": np.nan,
                    "observed_upper": np.nan,
                    "required": np.nan,
                    "units": "",
                    "status": "not assessed",
                    "projected_kt": np.nan,
                }
            )
            continue
        t = trajectory(s["year"], s["kt_co2"], target_year, residual_share, breaks=breaks)
        out.append(
            {
                **base,
                "observed": t.result.observed_change,
                "observed_lower": t.result.observed_lower,
                "observed_upper": t.result.observed_upper,
                "required": t.required,
                "units": t.units,
                "status": t.status,
                "projected_kt": float(t.at_target["mean"]),
            }
        )
    return pd.DataFrame(out)


def trend_comparison(
    frame: pd.DataFrame,
    codes: list[str],
    value: str,
    benchmark_code: str = areas.ENGLAND_CODE,
    names: dict | None = None,
    breaks=(),
) -> pd.DataFrame:
    """Annual % change (log-linear trend without the ``breaks``, 95% CI) of ``value`` for each code, labelled
    against the benchmark's point estimate (falling faster = "better", Fingertips interval rule)."""
    names = names or areas.names()
    rows = []
    for code in dict.fromkeys(codes):
        s = frame[frame["area_code"] == code].dropna(subset=[value]).sort_values("year")
        if len(s) < 3 or (s[value] <= 0).any():
            continue
        t = try_fit_trend(s["year"], s[value], kind="loglinear", breaks=breaks)
        if not t:
            continue
        rows.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "first_year": t.first_year,
                "last_year": t.last_year,
                "apc": t.annual_pct_change,
                "apc_lower": t.apc_lower,
                "apc_upper": t.apc_upper,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    bench = out.loc[out["area_code"] == benchmark_code, "apc"]
    bench_value = float(bench.iloc[0]) if len(bench) else np.nan
    out["vs_benchmark"] = compare_with_benchmark(
        out["apc_lower"], out["apc_upper"], bench_value, polarity="lower_is_better"
    )
    out.loc[out["area_code"] == benchmark_code, "vs_benchmark"] = "benchmark"
    return out


# --- small frame helpers ---------------------------------------------------------------------------------


def latest_rows(frame: pd.DataFrame, codes: list[str], value: str = "value") -> pd.DataFrame:
    """The latest non-missing row of each code (order of ``codes`` kept; codes without data dropped)."""
    d = frame[frame["area_code"].isin(codes)].dropna(subset=[value])
    d = d.sort_values("year").groupby("area_code").tail(1)
    order = {c: i for i, c in enumerate(dict.fromkeys(codes))}
    return d.sort_values("area_code", key=lambda s: s.map(order)).reset_index(drop=True)


def change_between(frame: pd.DataFrame, code: str, value: str = "value") -> tuple[int, float, int, float] | None:
    """(first year, first value, last year, last value) of a code's series, or None without data."""
    s = frame[frame["area_code"] == code].dropna(subset=[value]).sort_values("year")
    if s.empty:
        return None
    return int(s["year"].iloc[0]), float(s[value].iloc[0]), int(s["year"].iloc[-1]), float(s[value].iloc[-1])


# --- chart -------------------------------------------------------------------------------------------


def sector_gap_chart(table: pd.DataFrame, *, title: str, xlabel: str):
    """Per sector: the fall achieved a year (bar, 95% CI whisker) against the fall needed (diamond),
    with the status written at the row's right end. ``table`` is :func:`sector_trajectories` output;
    changes are drawn as falls (positive = falling), in the project's chart style."""
    import matplotlib.pyplot as plt

    from .. import charts

    d = table[table["status"] != "not assessed"].copy()
    d["fall"], d["fall_lo"], d["fall_hi"] = -d["observed"], -d["observed_upper"], -d["observed_lower"]
    d["need"] = -d["required"]
    d = d.sort_values("latest_kt")
    y = np.arange(len(d))
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(d) + 1.4)))
    ax.barh(y, d["fall"], color=charts.FOCUS, height=0.55, label="fall achieved a year (95% CI)")
    ax.errorbar(
        d["fall"],
        y,
        xerr=np.vstack([d["fall"] - d["fall_lo"], d["fall_hi"] - d["fall"]]),
        fmt="none",
        ecolor="#3D3D3D",
        elinewidth=1,
        capsize=2,
    )
    ax.scatter(d["need"], y, marker="D", s=40, color=charts.CATEGORICAL[3], zorder=3, label="fall needed a year")
    right = float(np.nanmax(np.r_[d["need"].to_numpy(), d["fall_hi"].to_numpy(), 0])) * 1.05
    for yi, (_need, status) in enumerate(zip(d["need"], d["status"], strict=False)):
        ax.text(right, yi, f"  {status}", va="center", fontsize=9, color="#3D3D3D")
    ax.set_xlim(min(0.0, float(np.nanmin(d["fall_lo"])) * 1.1), right)
    ax.set_yticks(y, [f"{s} ({share:.0f}%)" for s, share in zip(d["sector"], d["latest_share_pct"], strict=False)])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_title(title)
    # below the x-axis label: about 0.6 inch under the axes, in axes fractions
    below = -0.6 / (fig.get_figheight() * (fig.subplotpars.top - fig.subplotpars.bottom))
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, below), ncol=2)
    return fig


# --- status words from the rule set (never typed here) -------------------------------------------------------

#: "off track", as the rule set spells it (for chart titles that count sectors by status)
OFF_TRACK = verdicts.Status.OFF_TRACK
#: "on track", as the rule set spells it
ON_TRACK = verdicts.Status.ON_TRACK


# --- claim and pledge tests named in the register (manifesto §5) ---------------------------------------------


def _area_series(frame: pd.DataFrame, code: str, value: str) -> pd.DataFrame:
    return frame[frame["area_code"] == code].dropna(subset=[value]).sort_values("year")


def ghg_per_resident() -> pd.DataFrame:
    """DESNZ greenhouse-gas emissions per resident (t CO2e, all territorial sources), ONS Explore Local Statistics."""
    return load(ELS, GHG_TABLE)


def _rate(value: float, units: str, dp: int = 1) -> str:
    """A change per year as text: "-2.6% a year" (log-linear trends) or "-12.3 a year" (straight-line)."""
    return f"{fmt(value, '%' if units.startswith('%') else '', dp)} a year"


def _rate_ci(lower: float, upper: float, units: str, dp: int = 1) -> str:
    return fmt_interval(lower, upper, "%" if units.startswith("%") else "", dp)


def _faster_cuts_outcome(traj: Trajectory, measure: str, manifesto_year: int) -> verdicts.Outcome:
    r = traj.result
    evidence = (
        f"{measure}: changed {_rate(r.observed_change, r.units)} "
        f"{_rate_ci(r.observed_lower, r.observed_upper, r.units)} over {traj.years_text}; reaching net zero "
        f"({fmt(100 * traj.target_value / traj.first_value, '%', 0)} of "
        f"{traj.first_year}) by {traj.target_year} needs {_rate(r.required_change, r.units)} from {traj.last_year}."
    )
    # the claim: the fall achieved is slower than the fall needed, i.e. the observed change is ABOVE the required one
    return verdicts.claim(
        verdicts.judge(
            r.observed_change, r.required_change, claimed="above", lower=r.observed_lower, upper=r.observed_upper
        ),
        evidence,
        period=f"{traj.first_year} to {traj.last_year}",
        period_end=traj.last_year,
        value=r.observed_change - r.required_change,
    )


@claim_test
def claim_faster_cuts_needed(ctx, target_year: int = 2030, residual_share: float = 0.05) -> verdicts.Outcome:
    """Claim (manifesto §5): net zero by ``target_year`` needs faster cuts than achieved so far.

    Tested on CO2 within council influence (2005-2019, 2020 left out) and, as what has happened since, greenhouse
    gases per resident (2005-2023, 2020-21 left out): supported when the trend's whole 95% interval lies above
    (is slower than) the constant-% fall needed from the latest non-break year to ``residual_share`` of 2005 by
    ``target_year`` (:func:`helpers.verdicts.judge`). One verdict from :func:`helpers.verdicts.combine_periods`.
    """
    outcomes = []
    co2 = _area_series(council_totals(), ctx.area.code, "total_kt_co2")
    if len(co2) >= 3:
        t = trajectory(co2["year"], co2["total_kt_co2"], target_year, residual_share, breaks=co2_breaks())
        outcomes.append((t.last_year, _faster_cuts_outcome(t, "CO2 within council influence", ctx.manifesto_year)))
    ghg = _area_series(ghg_per_resident(), ctx.area.code, "value")
    if len(ghg) >= 3:
        t = trajectory(ghg["year"], ghg["value"], target_year, residual_share, breaks=ghg_breaks())
        outcomes.append((t.last_year, _faster_cuts_outcome(t, "Greenhouse gases per resident", ctx.manifesto_year)))
    if not outcomes:
        raise verdicts.NoData(f"no CO2 or greenhouse-gas series for {ctx.area.name}")
    return verdicts.combine_periods(outcomes, ctx.manifesto_year)


def renewable_generation(area: areas.Area, technology: str | None = None) -> pd.DataFrame:
    """Renewable electricity generation (MWh) of a council by year: a single-tier council's own rows, a county's
    districts summed (years where a district is missing are dropped: a partial sum is not the county's).
    Codes of earlier vintages (e.g. Corby in 2018) are moved to today's councils first."""
    gen = load(RENEWABLES, "generation")
    if technology:
        gen = gen[gen["technology"] == technology]
    gen = gen.assign(code=areas.harmonise_codes(gen["area_code"]))
    members = [d.code for d in areas.districts_of(area)] or [area.code]
    rows = gen[gen["code"].isin(members)]
    by_year = rows.groupby("year").agg(mwh=("mwh", "sum"), n=("code", "nunique")).reset_index()
    return by_year[by_year["n"] == len(members)][["year", "mwh"]].reset_index(drop=True)


def household_recycling(codes: list[str]) -> pd.DataFrame:
    """% of household waste reused, recycled or composted (DEFRA ENV18, collection authorities) for ``codes``."""
    r = load(RECYCLING, "household_recycling")
    return r[r["area_code"].isin(codes)].sort_values(["area_code", "year"])


def disposal_authority_recycling(area: areas.Area) -> pd.DataFrame:
    """% of ALL local-authority-collected waste recycled or composted, by year, for the council as waste disposal
    authority (DEFRA ENV18 tables 2/2a via UK SDG 11.6.1, 2014-15 to 2020-21; names mapped to codes), with
    England's value beside it (``england``)."""
    from .. import la_names

    m = load(LACW, "management")
    m = m[m["method"] == "Recycled-composted"]
    eng = m[m["level"] == "england"].set_index("year")["pct"]
    auth = m[m["level"] == "authority"]
    codes = la_names.current_codes(auth["authority"])
    own = auth[codes == area.code].sort_values("year")
    return own.assign(england=own["year"].map(eng))[["authority", "period", "year", "pct", "england"]]


@claim_test
def pledge_waste(ctx) -> verdicts.Outcome:
    """Pledge (manifesto §5): less plastic and other waste. No public series counts plastic by council; the proxy is
    the share of waste recycled or composted (higher is better), trend without the Covid year 2020-21:

    * a single-tier council (it collects and disposes): its household recycling rate, 2015-16 to 2023-24;
    * a county (the waste disposal authority; its districts collect): % of all local-authority-collected waste
      recycled or composted, 2014-15 to 2020-21, with the districts' household rates in the evidence.
    """
    breaks_h, breaks_l = breaks_for(RECYCLING), breaks_for(LACW)
    districts = [d.code for d in areas.districts_of(ctx.area)]
    if not districts:
        s = household_recycling([ctx.area.code])
        label, breaks = "household waste reused, recycled or composted", breaks_h
    else:
        s = disposal_authority_recycling(ctx.area).rename(columns={"pct": "value"})
        label, breaks = "local-authority-collected waste recycled or composted (county as disposal authority)", breaks_l
    if s.empty:
        raise verdicts.NoData(f"DEFRA's waste tables have no rows for {ctx.area.name} (joint or renamed authority)")
    trend = try_fit_trend(s["year"], s["value"], kind="ols", breaks=breaks)
    last = s.iloc[-1]
    extra = ""
    if districts:
        d = household_recycling(districts)
        d = d[d["year"] == d["year"].max()]
        if not d.empty:
            extra = (
                f" Household recycling by the districts in {d['period'].iloc[0]}: {fmt(d['value'].min(), '%', 1)} "
                f"({d.loc[d['value'].idxmin(), 'area_name']}) to {fmt(d['value'].max(), '%', 1)} "
                f"({d.loc[d['value'].idxmax(), 'area_name']}); {len(districts) - len(d)} of {len(districts)} districts "
                "report jointly or not at all."
            )
    latest = f"{fmt(float(last['value']), '%', 1)} ({last['period']})"
    if not trend:
        return verdicts.pledge_baseline(
            latest=latest,
            evidence=f"{label}: {latest}.{extra}",
            period=str(last["period"]),
            period_end=int(last["year"]),
        )
    first = s.iloc[0]
    return verdicts.pledge_from_trend(
        trend,
        polarity="higher_is_better",
        latest=latest,
        evidence=(
            f"{label[0].upper() + label[1:]}: {fmt(float(first['value']), '%', 1)} in {first['period']}, "
            f"{latest}; trend "
            f"{fmt(trend.slope, 'points', 2)} a year "
            f"{fmt_interval(trend.slope_lower, trend.slope_upper, '', 2)} over "
            f"financial years ending {trend.years_text}.{extra}"
        ),
        period=f"{first['period']} to {last['period']}",
        period_end=int(last["year"]),
    )


def change_text(estimate: float, lower: float, upper: float, units: str = "% per year", dp: int = 1) -> str:
    """A fitted change in words that never claims a direction its 95% interval does not support:
    "fell 2.6% a year (95% CI 2.2% to 3.1%)", "rose ...", or "showed no clear change (-0.2% a year; the 95% CI,
    -0.7% to +0.3%, includes no change)". ``units`` "% per year" (log-linear) or "per year" (straight-line)."""
    unit = "%" if units.startswith("%") else ""
    if upper < 0:
        return f"fell {fmt(-estimate, unit, dp)} a year {fmt_interval(-upper, -lower, unit, dp)}"
    if lower > 0:
        return f"rose {fmt(estimate, unit, dp)} a year {fmt_interval(lower, upper, unit, dp)}"
    return (
        f"showed no clear change ({fmt(estimate, unit, dp)} a year; the 95% CI, {fmt(lower, unit, dp)} to "
        f"{'+' if upper > 0 else ''}{fmt(upper, unit, dp)}, includes no change)"
    )


def years_phrase(trend) -> str:
    """ "2005 to 2019, without 2020" — the years a trend used, for captions and titles."""
    left = f", without {', '.join(map(str, trend.excluded_years))}" if trend.excluded_years else ""
    return f"{trend.first_year} to {trend.last_year}{left}"


#: The net-zero level when the register states none: 5% of 2005 (the rest offset by removals).
DEFAULT_RESIDUAL = 0.05
#: The net-zero year when the register states none: the UK's statutory date.
STATUTORY_NET_ZERO = 2050


def net_zero_target(manifesto, override: int | None = None, section: str = "05_net_zero") -> tuple[int, float]:
    """The net-zero year and residual share (of 2005) the register states: the first pledge of ``section``
    tracked with a target on the greenhouse-gas index (2005 = 100), e.g. target 5 by 2030 -> (2030, 0.05).
    ``override`` (a notebook parameter) replaces the year; with no such pledge, the statutory 2050 and 5%."""
    reg = manifesto.sections.get(section)
    year, residual = STATUTORY_NET_ZERO, DEFAULT_RESIDUAL
    for entry in reg.pledges if reg is not None else []:
        chk = entry.check.parsed() if entry.check is not None else None
        if (
            chk is not None
            and chk.kind == "since"
            and chk.target_year
            and chk.indicator == "ghg-per-resident-index-2005"
        ):
            year, residual = int(chk.target_year), float(chk.target) / 100
            break
    year = int(override) if override is not None else year
    return check_target_year(year, 2005), check_residual_share(residual)


# --- panels: one question of the briefing each (shown by notebooks/05_net_zero.ipynb) ------------------------


@dataclass
class Scope:
    """Who and what a net-zero briefing looks at: the council, its districts, region and similar councils, the
    net-zero year and residual the register states (or the notebook's override), and the CO2 data on GSS codes
    (council totals with England and region benchmarks, sectors and components), read once."""

    area: areas.Area
    districts: list[str]
    similar: list[str]
    region: areas.Area
    names: dict[str, str]
    target_year: int
    residual_share: float
    comparison_year: int
    totals: pd.DataFrame
    every: pd.DataFrame
    long: pd.DataFrame

    @property
    def first_year(self) -> int:
        return int(self.totals["year"].min())

    @property
    def last_year(self) -> int:
        return int(self.totals["year"].max())

    @property
    def series(self) -> pd.DataFrame:
        """The council's CO2 totals by year."""
        return self.totals[self.totals["area_code"] == self.area.code].sort_values("year")

    @property
    def has_area(self) -> bool:
        return len(self.series) >= 3

    @property
    def in_region(self) -> str:
        return f"in {self.region.name}" if self.region.name == "London" else f"in the {self.region.name}"

    @property
    def co2_years(self) -> str:
        """The years a CO2 trend uses, e.g. "2005 to 2019, without 2020"."""
        breaks = sorted(b["year"] for b in co2_breaks() if self.first_year <= b["year"] <= self.last_year)
        fit_last = max(y for y in range(self.first_year, self.last_year + 1) if y not in breaks)
        return f"{self.first_year} to {fit_last}" + (f", without {', '.join(map(str, breaks))}" if breaks else "")

    def trajectory(self, target_year: int | None = None) -> Trajectory:
        """The council's CO2 trajectory to ``target_year`` (default: the register's)."""
        year = self.target_year if target_year is None else target_year
        s = self.series
        return trajectory(s["year"], s["total_kt_co2"], year, self.residual_share, breaks=co2_breaks())


def scope(
    area: areas.Area, manifesto, k_similar: int = 5, target_year: int | None = None, comparison_year: int = 2050
) -> Scope:
    """The :class:`Scope` of a net-zero briefing (``target_year``: a notebook override of the register's year)."""
    year, residual = net_zero_target(manifesto, target_year)
    totals = council_totals()
    return Scope(
        area=area,
        districts=[d.code for d in areas.districts_of(area)],
        similar=[a.code for a in areas.comparators(area, k_similar)["similar"]],
        region=areas.region_of(area),
        names=areas.names(),
        target_year=year,
        residual_share=residual,
        comparison_year=comparison_year,
        totals=totals,
        every=pd.concat([totals, benchmark_totals(totals)], ignore_index=True),
        long=sector_long(),
    )


def _pct(units: str) -> str:
    return "%" if units.startswith("%") else ""


def _plotted(frame: pd.DataFrame, v: Scope, value: str, **extra) -> pd.DataFrame:
    """A chart's plotted values: area code and name, period, value (and any ``extra`` columns)."""
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"] if "area_code" in frame else v.area.code,
            "area_name": frame["area_code"].map(v.names) if "area_code" in frame else v.area.name,
            "period": frame["year"].astype(int).astype(str),
            "value": frame[value],
        }
    )
    return out.assign(**{k: frame[c].to_numpy() for k, c in extra.items()}).reset_index(drop=True)


def overview(v: Scope) -> Panel:
    """Who the briefing covers."""
    similar = ", ".join(v.names[c] for c in v.similar)
    p = Panel("Area", frame=pd.DataFrame({"area_code": v.similar, "area_name": [v.names[c] for c in v.similar]}))
    return p.say(f"**Area:** {v.area} — {v.area.kind}, {v.region.name}; similar councils: {similar}.")


def sources_by_sector(v: Scope) -> Panel:
    """Where the area's CO2 comes from: sectors over time and their shares against England's."""
    last, a = v.last_year, v.area
    p = Panel("Where the emissions come from")
    if not v.has_area:
        return p.gap(
            f"{a.name} has no row in the CO2-by-sector file ({v.first_year}-{last}); sector, trend and "
            "projection sections below are skipped for it and only the greenhouse-gas and energy indicators are shown."
        )
    shares = sector_shares(v.long, a.code, last)
    eng_shares = sector_shares(sector_benchmarks(v.long), areas.ENGLAND_CODE, last).set_index("sector")["share_pct"]
    table = shares.assign(england_share_pct=shares["sector"].map(eng_shares), influence=shares["sector"].map(INFLUENCE))
    p.frame = table
    top, second = shares.iloc[0], shares.iloc[1]
    order = list(shares["sector"])
    over_time = v.long[(v.long["area_code"] == a.code) & (v.long["component"] == "Total")]
    over_time = over_time.assign(sector=pd.Categorical(over_time["sector"], order)).sort_values(["sector", "year"])
    over_time = over_time.assign(sector=over_time["sector"].astype(str))
    fig = charts.trend_lines(
        over_time,
        x="year",
        y="kt_co2",
        group="sector",
        highlight=order[:6],
        title=f"{top['sector']} is the largest source of CO2 in {a.name} ({fmt(top['share_pct'], '%', 0)} in {last})",
        ylabel="kt CO2 a year",
    )
    alt = (
        f"Line chart of {a.name}'s CO2 emissions within council influence by sector, {v.first_year} to {last}, "
        f"in kilotonnes. {top['sector']} is largest at {fmt(top['kt_co2'], 'kt', 0)} in {last}."
    )
    p.add(Figure(fig, alt, _plotted(over_time, v, "kt_co2", sector="sector"), [DATASET]))
    cols = {
        "sector": "Sector",
        "kt_co2": f"kt CO2 {last}",
        "share_pct": "% of area total",
        "england_share_pct": "% of England total",
        "influence": "What a council can do",
    }
    formats = {cols["kt_co2"]: "dp0", "% of area total": "pct", "% of England total": "pct"}
    caption = f"CO2 within council influence by sector, {a.name} and England, {last}"
    p.add(Table(table.rename(columns=cols), caption, [DATASET], {**formats, "What a council can do": "text"}))
    s = v.series["total_kt_co2"]
    moved = direction(s.iloc[-1] - s.iloc[0], up="risen", down="fallen", flat="not changed")
    p.say(
        f"In {last} {a.name}'s emissions within council influence were {fmt(s.iloc[-1], 'kt CO2', 0)}. "
        f"{top['sector']} made up {fmt(top['share_pct'], '%')} (England: {fmt(eng_shares.get(top['sector']), '%')}) "
        f"and {second['sector']} {fmt(second['share_pct'], '%')} (England: "
        f"{fmt(eng_shares.get(second['sector']), '%')}). Since {v.first_year} the total has {moved} by "
        f"{fmt(100 * (1 - s.iloc[-1] / s.iloc[0]), '%')}."
    )
    return p.finding(
        f"{top['sector']} was the largest source of {a.name}'s CO2 within council influence in {last}: "
        f"{fmt(top['kt_co2'], 'kt', 0)}, {fmt(top['share_pct'], '%')} of the total "
        f"(England {fmt(eng_shares.get(top['sector']), '%')})."
    )


def _latest_per_resident(v: Scope) -> pd.DataFrame:
    codes = [v.area.code, v.region.code, areas.ENGLAND_CODE, *v.similar, *v.districts]
    latest = latest_rows(v.every, codes, "per_person_t")
    return latest[latest["year"] == v.last_year].assign(name=lambda d: d["area_code"].map(v.names))


def per_resident(v: Scope) -> Panel:
    """CO2 per resident and per km² against England, the region and similar councils."""
    last, a, eng = v.last_year, v.area, areas.ENGLAND_CODE
    latest = _latest_per_resident(v)
    p = Panel("Per resident and per km²", frame=latest)
    if not v.has_area:
        return p
    compare = [a.code, v.region.code, eng, *v.similar]
    focus = latest[latest["area_code"].isin(compare)]
    row = focus.set_index("area_code")
    fig = charts.ranked_bars(
        focus,
        "name",
        "per_person_t",
        highlight=[a.name],
        benchmark=row.loc[eng, "per_person_t"],
        title=(
            f"{a.name}: {fmt(row.loc[a.code, 'per_person_t'], 't', 1)} CO2 per resident in {last}, "
            f"England {fmt(row.loc[eng, 'per_person_t'], 't', 1)}"
        ),
        xlabel="tonnes CO2 per resident (within council influence)",
    )
    alt = (
        f"Bar chart of CO2 per resident in {last}: {a.name} {row.loc[a.code, 'per_person_t']:.1f} t, "
        f"{v.region.name} {row.loc[v.region.code, 'per_person_t']:.1f} t, England {row.loc[eng, 'per_person_t']:.1f} "
        "t, "
        f"and {len(v.similar)} similar councils."
    )
    p.add(Figure(fig, alt, _plotted(focus, v, "per_person_t"), [DATASET]))
    cols = {
        "name": "Area",
        "total_kt_co2": "kt CO2",
        "population": "residents",
        "per_person_t": "t CO2 per resident",
        "per_km2_kt": "kt CO2 per km²",
    }
    formats = {"kt CO2": "dp0", "residents": "int", "t CO2 per resident": "dp1", "kt CO2 per km²": "dp2"}
    caption = f"CO2 within council influence, {last}: area, region, England, similar councils and districts"
    p.add(Table(latest[list(cols)].rename(columns=cols), caption, [DATASET], formats))
    sim = focus[focus["area_code"].isin([*v.similar, a.code])].sort_values("per_person_t")
    rank = int((sim["area_code"] == a.code).to_numpy().nonzero()[0][0]) + 1
    ratio = row.loc[a.code, "per_person_t"] / row.loc[eng, "per_person_t"]
    place = (
        "the highest"
        if rank == len(sim)
        else "the lowest"
        if rank == 1
        else f"number {rank} of {len(sim)}, lowest first,"
    )
    p.say(
        f"Per resident, {a.name} emitted {fmt(row.loc[a.code, 'per_person_t'], 't', 2)} of CO2 in {last}, "
        f"{fmt(100 * abs(ratio - 1), '%', 0)} {'above' if ratio >= 1 else 'below'} England "
        f"({fmt(row.loc[eng, 'per_person_t'], 't', 2)}) and against "
        f"{fmt(row.loc[v.region.code, 'per_person_t'], 't', 2)} "
        f"{v.in_region}; per resident it is {place} among itself and its {len(sim) - 1} similar councils. Per km² the "
        f"figure is {fmt(row.loc[a.code, 'per_km2_kt'], 'kt', 2)} (England "
        f"{fmt(row.loc[eng, 'per_km2_kt'], 'kt', 2)}), "
        "which mostly reflects how densely the area is settled (published totals: no sampling interval applies)."
    )
    return p.finding(
        f"{a.name} emitted {fmt(row.loc[a.code, 'per_person_t'], 't', 2)} CO2 per resident in {last} within council "
        f"influence, {'more' if ratio >= 1 else 'less'} than England's {fmt(row.loc[eng, 'per_person_t'], 't', 2)}."
    )


def _ghg(v: Scope) -> pd.DataFrame:
    ghg = ghg_per_resident()
    ghg = ghg[ghg["area_code"].isin([v.area.code, v.region.code, areas.ENGLAND_CODE, *v.similar])]
    return ghg.assign(name=ghg["area_code"].map(v.names))


def greenhouse_gases(v: Scope) -> Panel:
    """All territorial greenhouse gases per resident (DESNZ, via ONS), the longer and wider series."""
    a, sel = v.area, _ghg(v)
    own = sel[sel["area_code"] == a.code].sort_values("year")
    p = Panel("The longer greenhouse-gas series", frame=sel)
    if len(own) < 3:
        return p.gap(f"The ONS Explore Local Statistics greenhouse-gas series has no rows for {a.name}.")
    first, last = own.iloc[0], own.iloc[-1]
    eng = sel[(sel["area_code"] == areas.ENGLAND_CODE) & (sel["year"] == last["year"])]["value"].iloc[0]
    fell = direction(last["value"] - first["value"], up="rose", down="fell")
    fig = charts.trend_lines(
        sel.sort_values(["area_code", "year"]),
        x="year",
        y="value",
        group="name",
        highlight=[a.name, v.region.name, "England"],
        title=(
            f"{a.name}'s greenhouse gases per resident {fell} from {first['value']:.1f} t in "
            f"{first['year']} to {last['value']:.1f} t in {last['year']}"
        ),
        ylabel="t CO2e per resident",
    )
    alt = (
        f"Line chart of greenhouse-gas emissions per resident {first['year']} to {last['year']} for {a.name} "
        f"({last['value']:.1f} t in {last['year']}), {v.region.name}, England ({eng:.1f} t) and similar councils in "
        "grey."
    )
    p.add(Figure(fig, alt, _plotted(sel, v, "value"), [ELS]))
    return p.say(
        f"On the wider greenhouse-gas measure {a.name} emitted {fmt(last['value'], 't CO2e')} per resident in "
        f"{last['year']} against {fmt(eng, 't CO2e')} for England, "
        f"{direction(last['value'] - first['value'], up='up', down='down')} "
        f"{fmt(100 * abs(1 - last['value'] / first['value']), '%', 0)} since {first['year']}. It also counts farming's "
        "methane and nitrous oxide and land use such as drained peat, which is why rural and fen areas stand higher "
        "on it."
    )


def by_district(v: Scope) -> Panel:
    """CO2 per resident and its trend by district (a county only)."""
    a, last = v.area, v.last_year
    p = Panel("By district")
    if not v.has_area:
        return p
    if not v.districts:
        return p.say(
            f"{a.name} is a single-tier council ({a.kind}) with no districts: the council-level figures above are the "
            "local view."
        )
    latest = _latest_per_resident(v)
    d_latest = latest[latest["area_code"].isin(v.districts)]
    fig = charts.ranked_bars(
        d_latest,
        "name",
        "per_person_t",
        benchmark=latest.set_index("area_code").loc[a.code, "per_person_t"],
        benchmark_label=a.name,
        title=(
            f"{d_latest.sort_values('per_person_t').iloc[-1]['name']} has the highest CO2 per resident "
            f"of {a.name}'s districts in {last}"
        ),
        xlabel="tonnes CO2 per resident (within council influence)",
    )
    alt = (
        f"Bar chart of CO2 per resident in {last} for the {len(d_latest)} districts of {a.name}, from "
        f"{d_latest['per_person_t'].min():.1f} to {d_latest['per_person_t'].max():.1f} tonnes, with the county value "
        "marked."
    )
    p.add(Figure(fig, alt, _plotted(d_latest, v, "per_person_t"), [DATASET]))
    trends = trend_comparison(
        v.every, [a.code, areas.ENGLAND_CODE, *v.districts], "total_kt_co2", names=v.names, breaks=co2_breaks()
    )
    p.frame = trends
    cols = {
        "area": "Area",
        "first_year": "from",
        "last_year": "to",
        "apc": "% change a year",
        "apc_lower": "95% CI lower",
        "apc_upper": "95% CI upper",
        "vs_benchmark": "vs England (falling faster = better)",
    }
    formats = {"from": "year", "to": "year", "% change a year": "dp1", "95% CI lower": "dp1", "95% CI upper": "dp1"}
    caption = f"Trend in CO2 within council influence, {v.co2_years}: annual % change by district"
    p.add(Table(trends[list(cols)].rename(columns=cols), caption, [DATASET], formats))
    ordered = trends[trends["area_code"].isin(v.districts)].sort_values("apc")
    fastest, slowest = ordered.iloc[0], ordered.iloc[-1]
    return p.say(
        f"Across the districts, CO2 per resident in {last} ranged from {fmt(d_latest['per_person_t'].min(), 't', 2)} "
        "to "
        f"{fmt(d_latest['per_person_t'].max(), 't', 2)}. Over {v.co2_years}, emissions in {fastest['area']} "
        f"{change_text(fastest['apc'], fastest['apc_lower'], fastest['apc_upper'])}, the fastest fall, and in "
        f"{slowest['area']} {change_text(slowest['apc'], slowest['apc_lower'], slowest['apc_upper'])}, the slowest."
    )


def _both(traj: Trajectory, traj_cmp: Trajectory) -> list[Trajectory]:
    return [traj] if traj_cmp.target_year == traj.target_year else [traj, traj_cmp]


def _trajectory_rows(traj: Trajectory, traj_cmp: Trajectory, yrs: str) -> pd.DataFrame:
    rows = []
    for t in _both(traj, traj_cmp):
        r = t.result
        reach = f"{t.reach_year:.0f}" if np.isfinite(t.reach_year) else "never (no fall)"
        rows.append(
            {
                "target year": t.target_year,
                "net-zero level (kt)": t.target_value,
                f"required change from {t.last_year} ({r.units})": r.required_change,
                f"achieved {yrs} ({r.units})": r.observed_change,
                "95% CI lower": r.observed_lower,
                "95% CI upper": r.observed_upper,
                "status": r.status,
                "projected kt in target year": t.at_target["mean"],
                "95% PI lower": t.at_target["pi_lower"],
                "95% PI upper": t.at_target["pi_upper"],
                "trend reaches net-zero level in": reach,
            }
        )
    return pd.DataFrame(rows)


def _trajectory_data(v: Scope, traj: Trajectory, traj_cmp: Trajectory) -> pd.DataFrame:
    """The trajectory chart's plotted values: observed, projected (95% PI) and the required paths."""
    s, proj = v.series, traj_cmp if traj_cmp.target_year > traj.target_year else traj
    parts = [
        pd.DataFrame({"period": s["year"], "series": "observed", "value": s["total_kt_co2"]}),
        pd.DataFrame(
            {
                "period": proj.projection["year"],
                "series": "trend projection",
                "value": proj.projection["mean"],
                "lower": proj.projection["pi_lower"],
                "upper": proj.projection["pi_upper"],
            }
        ),
    ]
    for t in _both(traj, traj_cmp):
        parts.append(
            pd.DataFrame(
                {"period": t.path["year"], "series": f"required path to {t.target_year}", "value": t.path["value"]}
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["period"] = out["period"].astype(int).astype(str)
    return out.assign(area_code=v.area.code, area_name=v.area.name)[
        ["area_code", "area_name", "period", "series", "value", "lower", "upper"]
    ]


def net_zero_path(v: Scope) -> Panel:
    """Net zero by the target year: the CO2 trend against the required path (and the comparison year's)."""
    a, year, cmp_year = v.area, v.target_year, v.comparison_year
    p = Panel(f"Net zero by {year}: trend against the required path")
    if not v.has_area:
        return p
    traj, traj_cmp = v.trajectory(), v.trajectory(cmp_year)
    longer, end = max((traj, traj_cmp), key=lambda t: t.target_year), traj.at_target
    fig = charts.forecast_chart(
        v.series,
        longer.projection,
        x="year",
        y="total_kt_co2",
        title=(
            f"On its {traj.trend.first_year}-{traj.trend.last_year} trend {a.name} would still emit about "
            f"{fmt(end['mean'], 'kt', 0)} of CO2 in {year};\nnet zero needs {fmt(traj.target_value, 'kt', 0)}"
        ),
        ylabel="kt CO2 a year (within council influence)",
        target=traj.target_value,
        target_label=f"net zero (residual {v.residual_share:.0%} of {v.first_year})",
        path=traj.path.rename(columns={"value": "total_kt_co2"}),
        path_label=f"required path to {year}",
    )
    if cmp_year != year:
        ax = fig.axes[0]
        label = f"required path to {cmp_year}"
        ax.plot(traj_cmp.path["year"], traj_cmp.path["value"], color=charts.CATEGORICAL[2], linestyle="-.", label=label)
        ax.legend(frameon=False, fontsize=9)
    fig.axes[0].set_ylim(bottom=0)
    alt = (
        f"Line chart: {a.name}'s CO2 fell from {traj.first_value:.0f} kt in {v.first_year} to {traj.last_value:.0f} kt "
        f"in {v.last_year}. The trend projection reaches about {end['mean']:.0f} kt in {year} (95% prediction "
        f"interval {end['pi_lower']:.0f} to {end['pi_upper']:.0f}), while the required path falls to "
        f"{traj.target_value:.0f} kt by {year}."
    )
    p.add(Figure(fig, alt, _trajectory_data(v, traj, traj_cmp), [DATASET]))
    table = _trajectory_rows(traj, traj_cmp, f"{traj.trend.first_year}-{traj.trend.last_year}")
    p.frame = table
    formats = {"target year": "year", "net-zero level (kt)": "dp0", "projected kt in target year": "dp0"}
    formats |= {"95% PI lower": "dp0", "95% PI upper": "dp0"}
    caption = f"{a.name}: cut needed for net zero against the cut achieved, trend fitted on {years_phrase(traj.trend)}"
    p.add(Table(table, caption, [DATASET], formats))
    r, rc = traj.result, traj_cmp.result
    reach = f"around {traj.reach_year:.0f}" if np.isfinite(traj.reach_year) else "never on the current trend"
    need = fmt(-r.required_change, _pct(r.units), 1)
    p.say(
        f"Over {traj.years_text} {a.name}'s emissions "
        f"{change_text(r.observed_change, r.observed_lower, r.observed_upper, r.units)}. "
        f"Reaching the net-zero level of {fmt(traj.target_value, 'kt', 0)} by {year} needs a fall of {need} a year "
        "from "
        f"{traj.last_year}: the area is **{r.status}**. "
        + (
            f"For {cmp_year} the fall needed is {fmt(-rc.required_change, _pct(rc.units), 1)} a year "
            f"(**{rc.status}**). "
            if cmp_year != year
            else ""
        )
        + f"The fitted trend reaches the net-zero level {reach}; on it {a.name} would emit about "
        f"{fmt(end['mean'], 'kt', 0)} "
        f"in {year} (95% prediction interval {fmt(end['pi_lower'], '', 0)} to {fmt(end['pi_upper'], 'kt', 0)})."
    )
    log = "on the log scale " if traj.test_trend.kind == "loglinear" else ""
    p.details.append(f"Model: {traj.test_trend.assumptions}; R² {log}{traj.test_trend.fit_stat:.2f}.")
    return p.finding(
        f"To reach net zero by {year} {a.name} would need to cut CO2 by {need} a year from {traj.last_year}; over "
        f"{years_phrase(traj.trend)} its emissions "
        f"{change_text(r.observed_change, r.observed_lower, r.observed_upper, r.units)}, so it is {r.status}."
    )


def sectors_on_path(v: Scope) -> Panel:
    """By sector: the fall achieved against the fall needed for net zero by the target year."""
    a, year = v.area, v.target_year
    p = Panel("By sector: which are on which path")
    if not v.has_area:
        return p
    traj = v.trajectory()
    by_sector = sector_trajectories(v.long, a.code, year, v.residual_share, breaks=co2_breaks())
    p.frame = by_sector
    assessed = by_sector[by_sector["status"] != "not assessed"]
    first, last = v.first_year, v.last_year
    fig = sector_gap_chart(
        by_sector,
        title=(
            f"{len(assessed[assessed['status'] == OFF_TRACK])} of {len(assessed)} sectors in {a.name} are "
            f"{OFF_TRACK} for net zero by {year}"
        ),
        xlabel=(
            f"fall in CO2, % a year (bars: achieved {traj.trend.first_year}-{traj.trend.last_year}; diamonds: needed "
            f"from {traj.last_year})"
        )
        if (assessed["units"] == "% per year").all()
        else "fall in CO2, kt a year",
    )
    alt = (
        f"Bar chart of the yearly fall in CO2 by sector in {a.name}, {first}-{last}, with 95% intervals, against the "
        f"fall needed for net zero by {year}, each row labelled with its status. "
        + "; ".join(
            f"{s.sector}: fell {-s.observed:.1f} a year, needs {-s.required:.1f}, {s.status}"
            for s in assessed.itertuples()
        )
    )
    data = pd.DataFrame(
        {
            "area_code": a.code,
            "area_name": a.name,
            "period": traj.years_text,
            "sector": assessed["sector"],
            "value": -assessed["observed"],
            "lower": -assessed["observed_upper"],
            "upper": -assessed["observed_lower"],
            "needed": -assessed["required"],
            "status": assessed["status"],
        }
    ).reset_index(drop=True)
    p.add(Figure(fig, alt, data, [DATASET]))
    cols = {
        "sector": "Sector",
        "first_kt": f"kt {first}",
        "latest_kt": f"kt {last}",
        "latest_share_pct": f"% of total {last}",
        "observed": "achieved change",
        "observed_lower": "95% CI lower",
        "observed_upper": "95% CI upper",
        "required": f"required change to {year}",
        "units": "units",
        "status": "status",
        "projected_kt": f"projected kt {year}",
    }
    formats = {f"kt {first}": "dp0", f"kt {last}": "dp0", f"% of total {last}": "pct", "achieved change": "dp2"}
    formats |= {"95% CI lower": "dp2", "95% CI upper": "dp2", f"required change to {year}": "dp1"}
    formats |= {f"projected kt {year}": "dp0"}
    labels = {
        f"kt {first}": f"CO2 {first} (kt)",
        f"kt {last}": f"CO2 {last} (kt)",
        "units": "Units",
        "status": "Status",
    }
    caption = (
        f"{a.name}: CO2 trend ({years_phrase(traj.trend)}) and required cut by sector (net-zero level "
        f"{v.residual_share:.0%} of each sector's {first} value)"
    )
    p.add(Table(by_sector.rename(columns=cols), caption, [DATASET], formats, labels, collapsed=True))
    pace = assessed.assign(pace_pct=100 * assessed["observed"] / assessed["required"]).sort_values("pace_pct")
    slow, fast = pace.iloc[0], pace.iloc[-1]
    on = assessed[assessed["status"] == ON_TRACK]["sector"].tolist()
    slow_change = change_text(slow["observed"], slow["observed_lower"], slow["observed_upper"], slow["units"])
    slow_need = fmt(-slow["required"], _pct(slow["units"]), 1)
    p.say(
        f"{slow['sector']} ({fmt(slow['latest_share_pct'], '%', 0)} of the total) is furthest from the pace needed: it "
        f"{slow_change} against a fall of {slow_need} a year needed. {fast['sector']} came closest "
        f"({fmt(fast['pace_pct'], '%', 0)} of the pace needed). Sectors {ON_TRACK} for {year}: "
        f"{listing(on) if on else 'none'}."
    )
    return p.finding(
        f"{slow['sector']} emissions in {a.name} {slow_change} over {years_phrase(traj.trend)}, against a fall of "
        f"{slow_need} a year needed for net zero by {year}."
    )


def against_england(v: Scope) -> Panel:
    """The CO2 trend against England, the region and similar councils (annual % change, 95% CI)."""
    a, eng = v.area, areas.ENGLAND_CODE
    p = Panel("Against England, the region and similar councils")
    if not v.has_area:
        return p
    traj = v.trajectory()
    trends = trend_comparison(
        v.every, [a.code, v.region.code, eng, *v.similar], "total_kt_co2", names=v.names, breaks=co2_breaks()
    )
    p.frame = trends
    words = {"better": "faster than England", "worse": "slower than England", "similar": "similar to England"}
    falls = trends.assign(
        fall=-trends["apc"],
        fall_lo=-trends["apc_upper"],
        fall_hi=-trends["apc_lower"],
        label=trends["vs_benchmark"].replace({**words, "benchmark": ""}),
    )
    fall = falls.set_index("area_code")["fall"]
    fig = charts.ranked_bars(
        falls,
        "area",
        "fall",
        lower="fall_lo",
        upper="fall_hi",
        comparison="label",
        highlight=[a.name],
        benchmark=fall.loc[eng],
        title=f"{a.name}'s CO2 fell {fmt(fall.loc[a.code], '%', 1)} a year, England {fmt(fall.loc[eng], '%', 1)}",
        xlabel=f"fall in CO2 within council influence, % a year, {traj.years_text} (95% CI)",
    )
    alt = (
        f"Bar chart of the annual % change in CO2 within council influence, {traj.years_text}, with 95% intervals: "
        + "; ".join(f"{x.area} fell {-x.apc:.1f}% a year ({x.vs_benchmark})" for x in trends.itertuples())
    )
    data = falls.assign(area_name=falls["area"], period=traj.years_text, value=falls["fall"])
    data = data.assign(lower=falls["fall_lo"], upper=falls["fall_hi"])
    p.add(
        Figure(
            fig, alt, data[["area_code", "area_name", "period", "value", "lower", "upper", "vs_benchmark"]], [DATASET]
        )
    )
    tr = trends.set_index("area_code")
    word = {
        "better": "significantly faster than",
        "worse": "significantly slower than",
        "similar": "not significantly different from",
    }.get(tr.loc[a.code, "vs_benchmark"], "compared with")
    change = change_text(tr.loc[a.code, "apc"], tr.loc[a.code, "apc_lower"], tr.loc[a.code, "apc_upper"])
    p.say(
        f"{a.name}'s emissions {change}, {word} England's fall of {fmt(-tr.loc[eng, 'apc'], '%', 1)} (95% interval "
        f"against England's point estimate). {v.region.name}: {fmt(-tr.loc[v.region.code, 'apc'], '%', 1)} a year."
    )
    return p.finding(
        f"{a.name}'s CO2 within council influence {change} over {years_phrase(traj.trend)}, {word} England "
        f"({fmt(-tr.loc[eng, 'apc'], '%', 1)})."
    )


def greenhouse_gas_path(v: Scope) -> Panel:
    """Cross-check: the greenhouse-gas series per resident against the net-zero path."""
    own = _ghg(v)
    own = own[own["area_code"] == v.area.code].sort_values("year")
    p = Panel("Cross-check: the greenhouse-gas series", frame=own)
    if len(own) < 3:
        return p
    year = max(v.target_year, int(own["year"].max()) + 1)
    t = trajectory(own["year"], own["value"], year, v.residual_share, breaks=ghg_breaks())
    r = t.result
    p.say(
        f"Per resident, greenhouse gases {change_text(r.observed_change, r.observed_lower, r.observed_upper, r.units)} "
        f"over {t.years_text}; net zero ({v.residual_share:.0%} of {t.first_year}) by {t.target_year} needs a fall "
        f"of {fmt(-r.required_change, '%', 1)} a year from {t.last_year}: **{r.status}**. The pledge tracker below "
        "tracks the register's date on this series."
    )
    p.details.append(f"Model: {t.test_trend.assumptions}.")
    return p


def components(v: Scope) -> Panel:
    """What the council can influence: the latest CO2 by component within the subset."""
    a, last, long = v.area, v.last_year, v.long
    p = Panel("What the council can influence")
    if not v.has_area:
        return p
    comp = long[(long["area_code"] == a.code) & (long["year"] == last) & (long["component"] != "Total")].copy()
    comp["share_pct"] = 100 * comp["kt_co2"] / comp["kt_co2"].sum()
    comp = comp.sort_values(["sector", "kt_co2"], ascending=[True, False])
    p.frame = comp
    cols = {"sector": "Sector", "component": "Component", "kt_co2": f"kt CO2 {last}", "share_pct": "% of total"}
    caption = f"{a.name}: CO2 within council influence by component, {last}"
    formats = {f"kt CO2 {last}": "dp1", "% of total": "pct"}
    p.add(Table(comp[list(cols)].rename(columns=cols), caption, [DATASET], formats, collapsed=True))
    lii = long[(long["area_code"] == a.code) & (long["component"] == "Large Industrial Installations")]["kt_co2"]
    c = comp.set_index(["sector", "component"])["kt_co2"]
    public, total, roads = c.loc["Public Sector"].sum(), comp["kt_co2"].sum(), c.loc["Transport"]
    return p.say(
        (
            f"Large industrial installations: the file records no emissions from them in {a.name} within the subset. "
            if lii.sum() == 0
            else f"Large industrial installations: {fmt(lii.sum(), 'kt', 0)} over {v.first_year}-{last}, counted in "
            "Industry. "
        )
        + f"The public sector — the councils' own buildings, schools and street lighting among it — emitted "
        f"{fmt(public, 'kt', 0)} ({fmt(100 * public / total, '%')} of the total in {last}): even a fully decarbonised "
        f"council estate removes only this share. Road transport on A roads emitted "
        f"{fmt(roads.get('Road Transport (A roads)', np.nan), 'kt', 0)} and on minor roads "
        f"{fmt(roads.get('Road Transport (Minor roads)', np.nan), 'kt', 0)}; motorways are outside the subset."
    )


HOME_ENERGY = {"gas": "domestic-gas-consumption", "electricity": "domestic-electricity-consumption"}


def home_energy(v: Scope) -> Panel:
    """Average home gas and electricity use per meter, the council (or its districts), the region and England."""
    a, eng_code = v.area, areas.ENGLAND_CODE
    p = Panel("Home energy use")
    notes, frames = [], []
    for fuel, table in HOME_ENERGY.items():
        e = load(ELS, table)
        local = [a.code] if (e["area_code"] == a.code).any() else v.districts
        shown = e[e["area_code"].isin([*local, v.region.code, eng_code])]
        shown = shown.assign(name=shown["area_code"].map(v.names), fuel=fuel)
        if shown[shown["area_code"].isin(local)]["value"].dropna().empty:
            p.gap(f"No domestic {fuel} consumption figures for {a.name} or its districts.")
            continue
        frames.append(shown)
        eng = change_between(e, eng_code)
        fig = charts.trend_lines(
            shown.sort_values(["area_code", "year"]),
            x="year",
            y="value",
            group="name",
            highlight=[v.names[c] for c in local][:4] + ["England"],
            title=(
                f"Average home {fuel} use per meter fell in England from {eng[1]:,.0f} kWh ({eng[0]}) to "
                f"{eng[3]:,.0f} kWh ({eng[2]})"
            ),
            ylabel="kWh per meter a year",
        )
        alt = (
            f"Line chart of average domestic {fuel} consumption per meter, {eng[0]} to {eng[2]}, for "
            f"{listing(v.names[c] for c in local)}, {v.region.name} and England."
        )
        p.add(Figure(fig, alt, _plotted(shown, v, "value"), [ELS]))
        if local == [a.code]:
            ch = change_between(e, a.code)
            if ch is None:
                p.gap(f"The domestic {fuel} table has no values for {a.name} (suppressed or not published).")
                continue
            notes.append(
                f"home {fuel} use per meter {direction(ch[3] - ch[1])} from {ch[1]:,.0f} to {ch[3]:,.0f} kWh "
                f"({ch[0]}-{ch[2]}; England {eng[3]:,.0f})"
            )
        else:
            lt = latest_rows(e, local)
            notes.append(
                f"home {fuel} use per meter in {lt['year'].max()} ranged across the districts from "
                f"{lt['value'].min():,.0f} to {lt['value'].max():,.0f} kWh (England {eng[3]:,.0f})"
            )
    p.frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if notes:
        p.say(
            (
                "Home energy use is published for districts and unitaries only (an average per meter cannot be summed "
                "without meter counts), so the districts are shown. "
                if v.districts and a.kind == "county"
                else ""
            )
            + f"In {a.name}, "
            + "; ".join(notes)
            + ". Consumption per meter reflects weather, prices and house size as well as efficiency."
        )
    return p


def ev_chargers(v: Scope) -> Panel:
    """Public electric-vehicle chargers per 100,000 residents, latest count."""
    a, eng = v.area, areas.ENGLAND_CODE
    ev = load(ELS, "public-electric-vehicle-chargers")
    latest = latest_rows(ev, [a.code, v.region.code, eng, *v.similar, *v.districts])
    latest = latest.assign(name=latest["area_code"].map(v.names))
    p = Panel("Public electric-vehicle chargers", frame=latest)
    if a.code not in set(latest["area_code"]):
        return p.gap(f"The public electric-vehicle charger table has no row for {a.name}.")
    row = latest.set_index("area_code")
    when, own, england = row.loc[a.code, "period"], row.loc[a.code, "value"], row.loc[eng, "value"]
    fig = charts.ranked_bars(
        latest,
        "name",
        "value",
        highlight=[a.name],
        benchmark=england,
        title=f"{a.name} had {own:.0f} public EV chargers per 100,000 residents ({when}), England {england:.0f}",
        xlabel="public electric-vehicle chargers per 100,000 residents",
    )
    alt = (
        f"Bar chart of public electric-vehicle chargers per 100,000 residents at {when}: {a.name} {own:.0f}, England "
        f"{england:.0f}, with the region, similar councils and districts."
    )
    data = latest.assign(area_name=latest["name"])[["area_code", "area_name", "period", "value"]]
    p.add(Figure(fig, alt, data, [ELS]))
    return p.say(
        f"At {when} {a.name} had {fmt(own, '', 0)} public chargers per 100,000 residents, against "
        f"{fmt(row.loc[v.region.code, 'value'], '', 0)} {v.in_region} and {fmt(england, '', 0)} in England "
        "(a count of devices, not a sample: no interval applies)."
    )


def renewables(v: Scope) -> Panel:
    """Renewable electricity generated in the area, by year and technology (DESNZ)."""
    a = v.area
    gen = renewable_generation(a)
    p = Panel("Renewable generation", frame=gen)
    if gen.empty:
        return p.gap(f"DESNZ's renewable electricity tables have no complete rows for {a.name}.")
    techs = load(RENEWABLES, "generation")
    techs = techs.assign(code=areas.harmonise_codes(techs["area_code"]))
    by_tech = (
        techs[techs["code"].isin(v.districts or [a.code])]
        .groupby(["technology", "year"])["mwh"]
        .sum()
        .div(1000)
        .unstack("year")
        .fillna(0)
        .sort_values(int(gen["year"].max()), ascending=False)
    )
    by_tech = by_tech[by_tech.sum(axis=1) > 0].reset_index()
    by_tech.columns = [str(c) for c in by_tech.columns]
    caption = (
        f"Renewable electricity generated in {a.name} by technology, GWh (solar on schools and Park and Ride sites is "
        "not separated)"
    )
    formats = {c: "dp1" for c in by_tech.columns if c != "technology"}
    p.add(Table(by_tech, caption, [RENEWABLES], formats, {"technology": "Technology"}))
    return p.say(
        f"Renewable electricity generated in {a.name}: "
        + "; ".join(f"{int(y)} {fmt(x / 1000, 'GWh', 0)}" for y, x in zip(gen["year"], gen["mwh"], strict=True))
        + ". Generation only (capacity and number of sites are not in the data); each year is from a different DESNZ "
        "edition."
    )


def caveats(v: Scope) -> str:
    """The section's caveats (Markdown list)."""
    return "\n".join(
        [
            "- Covid-19: 2020 is left out of the CO2 trend, and 2020-21 of the greenhouse-gas trend, as declared "
            "series "
            "breaks; the required path starts from the latest year that is not a break.",
            "- CO2 only, and only the part within a council's scope of influence (no motorways, railways, large "
            "emissions-trading sites or land use); the greenhouse-gas series is wider (all territorial sources) and "
            "per resident.",
            f"- 'Net zero' is read as emissions cut to {v.residual_share:.0%} of the {v.first_year} level by the "
            "target "
            "year, the rest offset.",
            "- Projections assume the fitted constant % fall continues; far beyond the data they are illustrative.",
            "- England and regional CO2 totals are sums of the districts and single-tier councils, on today's "
            "boundaries.",
        ]
    )
