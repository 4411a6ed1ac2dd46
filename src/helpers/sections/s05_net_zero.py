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

from .. import areas, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..errors import ParameterError
from ..indicators import tidy
from ..stats import compare_with_benchmark, fit_trend, forecast, on_track, required_annual_change, try_fit_trend
from ..text import fmt, fmt_interval

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


def emissions_indicators(totals: pd.DataFrame) -> pd.DataFrame:
    """Totals in the project's indicator shape: kt CO2, t CO2 per person and kt CO2 per km²."""
    base = totals.assign(period=totals["year"].astype(str))
    parts = [
        base.assign(indicator="CO2 emissions within LA influence", value=base["total_kt_co2"], unit="kt CO2"),
        base.assign(
            indicator="CO2 emissions within LA influence per person",
            value=base["per_person_t"],
            unit="t CO2 per person",
            numerator=base["total_kt_co2"] * 1000,
            denominator=base["population"],
        ),
        base.assign(
            indicator="CO2 emissions within LA influence per km²",
            value=base["per_km2_kt"],
            unit="kt CO2 per km²",
            numerator=base["total_kt_co2"],
            denominator=base["area_km2"],
        ),
    ]
    cols = ["area_code", "area_name", "period", "year", "indicator", "value", "unit", "numerator", "denominator"]
    return tidy(pd.concat([p.reindex(columns=cols) for p in parts], ignore_index=True), DATASET)


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


def required_rate(start_value: float, start_year: int, target_value: float, target_year: int) -> float:
    """Change per year needed from the latest value to the target: % per year for a residual above zero,
    value units per year for a target of zero (see :func:`helpers.stats.required_annual_change`)."""
    return required_annual_change(start_value, start_year, target_value, target_year, change_kind(target_value))


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


def _gwh(value: float) -> str:
    return fmt(value, "GWh", 0 if abs(value) >= 10 else 1 if abs(value) >= 1 else 2)


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


@claim_test
def pledge_net_zero(ctx, target_year: int = 2030, residual_share: float = 0.05) -> verdicts.Outcome:
    """Pledge (manifesto §5): net zero by ``target_year`` instead of 2050.

    Tracked by greenhouse gases per resident (t CO2e, 2005-2023 without the 2020-21 Covid years): the trend's 95%
    interval against the constant-% fall needed from the latest non-break year to ``residual_share`` of the 2005
    level by ``target_year`` (:func:`helpers.verdicts.pledge_from_trend`, lower is better).
    """
    ghg = _area_series(ghg_per_resident(), ctx.area.code, "value")
    if len(ghg) < 3:
        raise verdicts.NoData(f"the greenhouse-gas series has fewer than 3 years for {ctx.area.name}")
    t = trajectory(ghg["year"], ghg["value"], target_year, residual_share, breaks=ghg_breaks())
    r = t.result
    return verdicts.pledge_from_trend(
        t.trend,
        polarity="lower_is_better",
        latest=f"{fmt(float(ghg['value'].iloc[-1]), 't CO2e', 1)} per resident ({int(ghg['year'].iloc[-1])})",
        evidence=(
            f"Greenhouse gases per resident changed {_rate(r.observed_change, r.units)} "
            f"{_rate_ci(r.observed_lower, r.observed_upper, r.units)} over {t.years_text}; net zero "
            f"({fmt(100 * residual_share, '%', 0)} of {t.first_year}: {fmt(t.target_value, 't', 2)}) by {target_year} "
            f"needs {_rate(r.required_change, r.units)} from {t.last_year} ({fmt(t.last_value, 't', 1)})."
        ),
        period=f"{t.trend.first_year} to {t.trend.last_year}",
        period_end=t.trend.last_year,
        target=t.target_value,
        target_year=target_year,
        start_value=t.last_value,
        start_year=t.last_year,
    )


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


@claim_test
def pledge_renewables(ctx, technology: str | None = None, label: str = "Renewable electricity") -> verdicts.Outcome:
    """Pledges (manifesto §5) on green energy and solar: renewable (or one ``technology``'s) electricity generated in
    the council's area, DESNZ, 2018, 2022 and 2024. Three years give a log-linear trend with an interval
    (:func:`helpers.verdicts.pledge_from_trend`, higher is better, no target); fewer, a change or a baseline."""
    s = renewable_generation(ctx.area, technology)
    s = s[s["mwh"] > 0]
    if s.empty:
        raise verdicts.NoData(f"DESNZ's renewable generation tables have no complete rows for {ctx.area.name}")
    gwh = s["mwh"] / 1000
    latest = f"{_gwh(float(gwh.iloc[-1]))} ({int(s['year'].iloc[-1])})"
    values = "; ".join(f"{int(y)}: {_gwh(v)}" for y, v in zip(s["year"], gwh, strict=False))
    period = f"{int(s['year'].iloc[0])} to {int(s['year'].iloc[-1])}"
    end = int(s["year"].iloc[-1])
    if len(s) >= 3:
        trend = fit_trend(s["year"], gwh, kind="loglinear")
        return verdicts.pledge_from_trend(
            trend,
            polarity="higher_is_better",
            latest=latest,
            evidence=(
                f"{label} generated in {ctx.area.name}: {values}; trend {fmt(trend.annual_pct_change, '%', 1)} a year "
                f"{fmt_interval(trend.apc_lower, trend.apc_upper, '%', 1)} (three editions of the DESNZ tables, "
                "so a wide interval)."
            ),
            period=period,
            period_end=end,
        )
    if len(s) == 2:
        return verdicts.pledge_from_change(
            float(gwh.iloc[0]), float(gwh.iloc[-1]), polarity="higher_is_better", latest=latest,
            evidence=f"{label} generated in {ctx.area.name}: {values}.", period=period, period_end=end,
        )  # fmt: skip
    return verdicts.pledge_baseline(latest=latest, evidence=f"{label} generated in {ctx.area.name}: {values}.",
                                    period=period, period_end=end)  # fmt: skip


@claim_test
def pledge_heating_oil(ctx) -> verdicts.Outcome:
    """Pledge (manifesto §5): green energy for communities that heat with oil. Tracked by domestic 'other fuels'
    CO2 (oil, LPG, solid fuel; kt, 2005-2019 with 2020 left out): log-linear trend, lower is better."""
    long = sector_long()
    s = long[
        (long["area_code"] == ctx.area.code) & (long["sector"] == "Domestic") & (long["component"] == "Other Fuels")
    ]
    s = s.dropna(subset=["kt_co2"]).sort_values("year")
    if s.empty or (s["kt_co2"] <= 0).all():
        raise verdicts.NoData(f"the CO2-by-sector file has no domestic 'other fuels' rows for {ctx.area.name}")
    kind = "loglinear" if (s["kt_co2"] > 0).all() else "ols"
    trend = try_fit_trend(s["year"], s["kt_co2"], kind=kind, breaks=co2_breaks())
    if not trend:
        raise verdicts.NoData(f"{ctx.area.name}: {trend.reason}")
    change = (
        f"{fmt(trend.annual_pct_change, '%', 1)} a year {fmt_interval(trend.apc_lower, trend.apc_upper, '%', 1)}"
        if kind == "loglinear"
        else f"{fmt(trend.slope, 'kt', 2)} a year {fmt_interval(trend.slope_lower, trend.slope_upper, 'kt', 2)}"
    )
    first, last = s.iloc[0], s[s["year"] == trend.last_year].iloc[-1]
    return verdicts.pledge_from_trend(
        trend,
        polarity="lower_is_better",
        latest=f"{fmt(float(last['kt_co2']), 'kt CO2', 0)} ({int(last['year'])})",
        evidence=(
            f"CO2 from heating oil, LPG and solid fuel in homes: {fmt(float(first['kt_co2']), 'kt', 0)} in "
            f"{int(first['year'])}, {fmt(float(last['kt_co2']), 'kt', 0)} in {int(last['year'])}; trend {change} over "
            f"{trend.years_text}. The data end before the manifesto (2021)."
        ),
        period=f"{trend.first_year} to {trend.last_year}",
        period_end=trend.last_year,
    )


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
