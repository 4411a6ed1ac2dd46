"""Briefing 05 — Environment and net zero by 2030 (manifesto §5): the section's analysis functions.

Pure functions on frames, called from ``notebooks/05_net_zero.ipynb``:

* loading helpers that put the emissions data on GSS codes and add England and region totals;
* sector shares, per-person and per-km² figures;
* the net-zero trajectory: a log-linear trend (``helpers.stats.fit_trend``) projected to the target
  year (``forecast``) against the constant-percentage path needed to reach the residual
  (``required_annual_change`` / ``on_track``);
* verdict and status rules for the claim check and pledge tracker.

Net zero as a number
--------------------
A constant percentage cut never reaches zero, so the target is a *residual*: ``residual_share`` of the
baseline (first observed year, 2005) emissions, the rest assumed offset by removals. With
``residual_share = 0`` the comparison switches to straight-line (absolute) rates: the observed change
comes from an OLS trend in kt per year and the required rate is ``(0 - latest) / years left``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import areas
from ..datasets import load
from ..errors import ParameterError
from ..indicators import tidy
from ..stats import compare_with_benchmark, fit_trend, forecast, on_track, required_annual_change

DATASET = "la_co2_emissions_by_sector_mysociety_2005_2020"
ELS = "ons_explore_local_statistics"
GHG_TABLE = "greenhouse-gas-emissions"
#: GSS prefixes of the councils that tile England without double counting (districts, unitaries,
#: metropolitan districts, London boroughs); counties (E10) are sums of their districts.
TILING_PREFIXES = ("E06", "E07", "E08", "E09")
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
    region_of = dict(zip(table["code"], table["region"]))
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
    region_of = dict(zip(table["code"], table["region"]))
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
    """A series' trend, its projection to the target year and the path the target needs."""

    trend: object  # helpers.stats.TrendResult, log-linear (used for the projection)
    test_trend: object  # the trend tested against the required rate (log-linear, or OLS for a zero target)
    projection: pd.DataFrame  # year, mean, ci_*, pi_* from the last observed year to the target year
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

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def units(self) -> str:
        return self.result.units

    @property
    def at_target(self) -> pd.Series:
        """The projection row for the target year (mean and 95% prediction interval)."""
        return self.projection.iloc[-1]


def trajectory(years, values, target_year: int, residual_share: float = 0.05, confidence: float = 0.95) -> Trajectory:
    """Trend, projection and required path of an annual series towards a net-zero target.

    The target is ``residual_share`` x the first observed value; the required rate runs from the last
    observed value and year to the target in ``target_year``. Status ("on track" / "off track" /
    "uncertain") from :func:`helpers.stats.on_track` with the trend's 95% interval.
    """
    s = pd.DataFrame({"year": np.asarray(years, dtype=float), "value": np.asarray(values, dtype=float)})
    s = s.dropna().sort_values("year")
    if len(s) < 3:
        raise ParameterError(f"a trend needs at least 3 years of data (got {len(s)})")
    first, last = s.iloc[0], s.iloc[-1]
    target_year = check_target_year(target_year, int(last["year"]))
    target_value = check_residual_share(residual_share) * float(first["value"])
    trend = fit_trend(s["year"], s["value"], kind="loglinear", confidence=confidence)
    test_trend = trend if target_value > 0 else fit_trend(s["year"], s["value"], kind="ols", confidence=confidence)
    result = on_track(test_trend, float(last["value"]), int(last["year"]), target_value, target_year)
    if float(last["value"]) <= target_value:
        # helpers.stats.on_track reads a target at or above the start as one to rise to; for emissions a
        # level already at or below the residual has met the target whatever the trend
        result = replace(
            result,
            status="on track",
            summary="on track: already at or below the target level; " + result.summary.split(": ", 1)[1],
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
    )


def sector_trajectories(long: pd.DataFrame, area_code: str, target_year: int, residual_share: float) -> pd.DataFrame:
    """One row per sector: first and latest kt, latest share, observed change with its 95% CI, the
    change required for ``target_year``, status and the projected kt in the target year.

    Sectors with a zero or missing year cannot take a log-linear trend and get status "not assessed".
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
        t = trajectory(s["year"], s["kt_co2"], target_year, residual_share)
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
) -> pd.DataFrame:
    """Annual % change (log-linear trend, 95% CI) of ``value`` for each code, labelled against the
    benchmark's point estimate (falling faster = "better", Fingertips interval rule)."""
    names = names or areas.names()
    rows = []
    for code in dict.fromkeys(codes):
        s = frame[frame["area_code"] == code].dropna(subset=[value]).sort_values("year")
        if len(s) < 3 or (s[value] <= 0).any():
            continue
        t = fit_trend(s["year"], s[value], kind="loglinear")
        rows.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "first_year": int(s["year"].iloc[0]),
                "last_year": int(s["year"].iloc[-1]),
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


# --- claim and pledge rules ----------------------------------------------------------------------------


def combine_status(primary: str | None, check: str | None) -> str:
    """Pledge status from two independent series: the shared status when they agree, else "uncertain"."""
    if not primary or primary == "not assessed":
        return check or "uncertain"
    if not check or check == "not assessed":
        return primary
    return primary if primary == check else "uncertain"


def faster_progress_verdict(status: str) -> str:
    """Claim 'reaching net zero by the target year needs faster cuts than now' (manifesto §5):
    supported when the trend is off track, partly when uncertain, not supported when on track."""
    return {"off track": "supported", "uncertain": "partly supported", "on track": "not supported"}.get(
        status, "cannot be tested with public data"
    )


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
    for yi, (need, status) in enumerate(zip(d["need"], d["status"])):
        ax.text(right, yi, f"  {status}", va="center", fontsize=9, color="#3D3D3D")
    ax.set_xlim(min(0.0, float(np.nanmin(d["fall_lo"])) * 1.1), right)
    ax.set_yticks(y, [f"{s} ({share:.0f}%)" for s, share in zip(d["sector"], d["latest_share_pct"])])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_title(title)
    # below the x-axis label: about 0.6 inch under the axes, in axes fractions
    below = -0.6 / (fig.get_figheight() * (fig.subplotpars.top - fig.subplotpars.bottom))
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, below), ncol=2)
    return fig
