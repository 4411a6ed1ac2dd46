"""Briefing 04 - public health, wellbeing and health inequality: the section's analysis functions.

Pure functions on frames (selections, significance tables, the deprivation regression, the district gap),
called by ``notebooks/04_public_health.ipynb`` and tested in ``tests/test_s04_public_health.py``; and, at the
end, the claim tests and pledge trackers the register names (``manifestos/<id>/04_public_health.yaml``), which
decide nothing themselves: every verdict and status comes from :mod:`helpers.verdicts`. Interval and
comparison maths come from :mod:`helpers.stats`; the one exception is :func:`rescale_interval`, which turns
a published symmetric 95% interval into the 99.8% one
(Fingertips' second level) under the normal approximation the publishers use for life expectancy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.diagnostic import het_breuschpagan

from .. import areas, charts, register, verdicts
from ..claims import claim_test
from ..datasets import load
from ..panels import Figure, Panel, Table
from ..stats import compare_with_benchmark, try_fit_trend
from ..text import fmt, fmt_interval, listing
from ..text import period as period_text

ENGLAND = "E92000001"
LE_DATASET = "life_expectancy_fingertips_la_2015_2025"
ONS_LE_DATASET = "life_expectancy_ons_lad_2016_18_ci"
TDL = "fingertips_la_health_indicators_tdl"
ELS = "ons_explore_local_statistics"
#: The JSNA 2019 core dataset was published in spring 2019: periods ending in 2018 at the latest.
JSNA_LAST_YEAR = 2018

#: Fingertips risk-factor files used for the "health outcomes" profile, with the indicator to keep
#: (files mixing single-year and pooled versions) and a short label. Polarity is Fingertips' own (the
#: published Better/Similar/Worse flag); QOF depression is flagged Higher/Lower (no judgement).
RISK_FACTORS = {
    "mortality_rate": (
        "Under 75 mortality rate from causes considered preventable",
        "Preventable premature mortality (per 100,000)",
    ),
    "adults_smoking": ("Smoking Prevalence in adults (aged 18 and over)", "Adult smoking (%)"),
    "overweight_adult": ("Overweight (including obesity) prevalence in adults", "Adults overweight or obese (%)"),
    "inactive_adults": ("Percentage of physically inactive adults", "Physically inactive adults (%)"),
    "adults_depression": ("Depression: QOF prevalence", "Recorded depression, adults (%)"),
    "obese_reception": ("Reception prevalence of obesity (including severe obesity)", "Obesity at Reception (%)"),
    "obese_year6": ("Year 6 prevalence of obesity (including severe obesity)", "Obesity in Year 6 (%)"),
}

#: ONS Explore Local Statistics tables with 95% intervals: table -> (polarity by indicator, label).
ELS_RISK = {
    "personal-wellbeing-estimates": {
        "Satisfaction": "higher_is_better",
        "Worthwhile": "higher_is_better",
        "Happiness": "higher_is_better",
        "Anxiety": "lower_is_better",
    },
    "adult-obesity-prevalence": {"Adult obesity prevalence": "lower_is_better"},
    "cigarette-smokers": {"Cigarette smokers": "lower_is_better"},
    "preventable-cardiovascular-mortality-england": {
        "Preventable cardiovascular mortality (England)": "lower_is_better"
    },
}


# --- periods ----------------------------------------------------------------------------------------


def period_last_year(label: str) -> int:
    """Last calendar year covered by a Fingertips/ONS period label.

    ``"2016 - 18"`` and ``"2016-18"`` -> 2018; ``"2017/18"`` -> 2018; ``"2019"`` -> 2019;
    ``"2020/21 - 24/25"`` -> 2025; ISO ``"2020-01-01/P3Y"`` -> 2022.
    """
    text = str(label).strip()
    iso = re.fullmatch(r"(\d{4})-\d\d-\d\d/P(\d+)Y", text)  # ONS Explore Local Statistics intervals
    if iso:
        return int(iso.group(1)) + int(iso.group(2)) - 1
    start = re.match(r"(\d{4})", text)
    if not start:
        raise ValueError(f"period label {label!r} does not start with a year")
    century = int(start.group(1)) // 100 * 100
    last = re.search(r"(\d{2,4})\s*$", text)
    end = int(last.group(1))
    return end if end >= 1000 else century + end


# --- significance -----------------------------------------------------------------------------------


def rescale_interval(value, lower, upper, to_confidence: float = 0.998, from_confidence: float = 0.95):
    """Limits at ``to_confidence`` from published symmetric limits at ``from_confidence``.

    Assumes the published interval is value +/- z * SE (normal approximation, as ONS and OHID use for
    life expectancy), so SE = (upper - lower) / (2 z_from) and the new limits are value -/+ z_to * SE.
    Returns (lower, upper) as float arrays (NaN where any input is missing).
    """
    v, lo, hi = (np.asarray(x, dtype=float) for x in (value, lower, upper))
    z_from = sps.norm.ppf(0.5 + from_confidence / 2)
    z_to = sps.norm.ppf(0.5 + to_confidence / 2)
    se = (hi - lo) / (2 * z_from)
    return v - z_to * se, v + z_to * se


def significance_table(frame: pd.DataFrame, benchmark: Any, polarity: str = "higher_is_better") -> pd.DataFrame:
    """Add Fingertips-style comparisons with a benchmark at 95% and 99.8% to a frame with
    ``value, lower, upper`` (95% limits). 99.8% limits are derived with :func:`rescale_interval`.

    Columns added: ``lower_998, upper_998, vs_england_95, vs_england_998``.
    """
    out = frame.copy()
    lo998, hi998 = rescale_interval(out["value"], out["lower"], out["upper"])
    out["lower_998"], out["upper_998"] = lo998, hi998
    bench = benchmark.to_numpy(dtype=float) if isinstance(benchmark, pd.Series) else benchmark
    out["vs_england_95"] = compare_with_benchmark(
        out["lower"].to_numpy(float), out["upper"].to_numpy(float), bench, polarity
    )
    out["vs_england_998"] = compare_with_benchmark(lo998, hi998, bench, polarity)
    return out


def normalise_flag(flag: Any) -> str:
    """Fingertips' published flag in the words of :mod:`helpers.stats.compare` ("Better" -> "better",
    "Higher 99.8" -> "higher", "Not compared"/missing -> "not compared")."""
    if flag is None or (isinstance(flag, float) and np.isnan(flag)) or str(flag).strip() == "":
        return "not compared"
    word = str(flag).strip().split(" ")[0].lower()
    return word if word in {"better", "similar", "worse", "higher", "lower"} else "not compared"


# --- selections -------------------------------------------------------------------------------------


def latest_period(frame: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """Rows of the latest period in ``frame`` (optionally the latest ending by ``last_year``)."""
    if frame.empty:
        return frame
    ends = frame["period"].map(period_last_year)
    if last_year is not None:
        frame, ends = frame[ends <= last_year], ends[ends <= last_year]
        if frame.empty:
            return frame
    return frame[ends == ends.max()]


def risk_factor_rows(
    frames: Mapping[str, pd.DataFrame], codes: Iterable[str], last_year: int | None = None
) -> pd.DataFrame:
    """Whole-area, persons values of the :data:`RISK_FACTORS` for ``codes`` and England, in the latest
    period (ending by ``last_year`` if given) of each indicator, with the published flag normalised.

    Columns: file, label, area_code, area_name, period, value, unit, flag.
    """
    codes = list(codes)
    out = []
    for file, (prefix, label) in RISK_FACTORS.items():
        f = frames.get(file)
        if f is None:
            continue
        f = f[f["indicator"].str.startswith(prefix) & (f["category"].fillna("") == "") & (f["sex"] == "Persons")]
        if file.startswith("obese_"):
            f = f[~f["indicator"].str.contains("years data combined")]
        f = latest_period(f.dropna(subset=["value"]), last_year)
        f = f[f["area_code"].isin(codes + [ENGLAND])]
        out.append(f.assign(file=file, label=label, flag=f["compared_to_england"].map(normalise_flag)))
    if not out:
        return pd.DataFrame(columns=["file", "label", "area_code", "area_name", "period", "value", "unit", "flag"])
    return pd.concat(out, ignore_index=True)[
        ["file", "label", "area_code", "area_name", "period", "value", "unit", "flag"]
    ]


def outcome_profile(rows: pd.DataFrame, le_flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count better/similar/worse flags per council (risk factors plus, optionally, life expectancy flags with
    columns area_code, flag) and the share of judged comparisons that are better (``share_better``, 0-1). Flags
    without a judgement (higher/lower) are left out. Columns: area_code, better, similar, worse, judged,
    share_better."""
    parts = [rows[["area_code", "flag"]]]
    if le_flags is not None:
        parts.append(le_flags[["area_code", "flag"]])
    flags = pd.concat(parts, ignore_index=True)
    flags = flags[(flags["area_code"] != ENGLAND) & flags["flag"].isin(["better", "similar", "worse"])]
    counts = pd.crosstab(flags["area_code"], flags["flag"]).reindex(
        columns=["better", "similar", "worse"], fill_value=0
    )
    counts["judged"] = counts[["better", "similar", "worse"]].sum(axis=1)
    counts["share_better"] = counts["better"] / counts["judged"]
    return counts.reset_index()


def district_gap(le: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """Per period and sex, the best and worst of ``codes`` by life expectancy and the gap between them.

    Periods where any of ``codes`` lacks a value are dropped (so the gap is always over the same
    councils). Columns: period, year, sex, best, best_value, worst, worst_value, gap.
    """
    codes = list(codes)
    d = le[le["area_code"].isin(codes)].dropna(subset=["value"])
    rows = []
    for (period, sex), g in d.groupby(["period", "sex"]):
        if g["area_code"].nunique() < len(codes):
            continue
        best, worst = g.loc[g["value"].idxmax()], g.loc[g["value"].idxmin()]
        rows.append(
            {
                "period": period,
                "year": int(g["year"].iloc[0]),
                "sex": sex,
                "best": best["area_name"],
                "best_value": best["value"],
                "worst": worst["area_name"],
                "worst_value": worst["value"],
                "gap": float(best["value"] - worst["value"]),
            }
        )
    return (
        pd.DataFrame(rows).sort_values(["sex", "year"]).reset_index(drop=True)
        if rows
        else pd.DataFrame(columns=["period", "year", "sex", "best", "best_value", "worst", "worst_value", "gap"])
    )


def population_by_code(pop: pd.DataFrame, year: int = 2020) -> pd.Series:
    """Total resident population by GSS code from the age-band table (sum of 5-year bands)."""
    p = pop[pop["year"] == year]
    bands = p["age_band"].astype(str)
    five = bands.str.fullmatch(r"\d\d_\d\d") & ~bands.eq("00_59") | bands.eq("90+")
    return p[five].groupby("area_code")["population"].sum().astype(float)


# --- deprivation regression -------------------------------------------------------------------------


@dataclass
class GradientResult:
    """OLS of an outcome on deprivation across councils."""

    slope: float
    slope_lower: float
    slope_upper: float
    intercept: float
    r2: float
    n: int
    p_value: float
    bp_p_value: float
    assumptions: str
    points: pd.DataFrame = field(repr=False)
    line: pd.DataFrame = field(repr=False)
    results: Any = field(default=None, repr=False)


def deprivation_gradient(
    frame: pd.DataFrame, x: str = "imd_score", y: str = "value", confidence: float = 0.95, n_line: int = 50
) -> GradientResult:
    """Regress ``y`` on ``x`` across councils with statsmodels OLS.

    Returns the slope with its confidence interval, R², the Breusch-Pagan p-value for
    heteroscedasticity, a one-line statement of assumptions, ``points`` (the input rows with
    ``fitted``, ``residual``, ``pi_lower``/``pi_upper`` - the prediction interval for a council with that
    deprivation score - and ``outside_pi``: "above"/"below"/"within") and ``line`` (x, mean, ci_lower,
    ci_upper) for a chart.
    """
    d = frame.dropna(subset=[x, y]).copy()
    if len(d) < 3:
        raise ValueError(f"deprivation_gradient needs at least 3 councils with both {x} and {y} (got {len(d)})")
    design = sm.add_constant(d[x].to_numpy(float), has_constant="add")
    res = sm.OLS(d[y].to_numpy(float), design).fit()
    alpha = 1 - confidence
    pred = res.get_prediction(design).summary_frame(alpha)
    d["fitted"] = pred["mean"].to_numpy()
    d["residual"] = d[y].to_numpy(float) - d["fitted"]
    d["pi_lower"] = pred["obs_ci_lower"].to_numpy()
    d["pi_upper"] = pred["obs_ci_upper"].to_numpy()
    d["outside_pi"] = np.select([d[y] > d["pi_upper"], d[y] < d["pi_lower"]], ["above", "below"], "within")
    grid = np.linspace(d[x].min(), d[x].max(), n_line)
    g = res.get_prediction(sm.add_constant(grid, has_constant="add")).summary_frame(alpha)
    line = pd.DataFrame(
        {
            "x": grid,
            "mean": g["mean"].to_numpy(),
            "ci_lower": g["mean_ci_lower"].to_numpy(),
            "ci_upper": g["mean_ci_upper"].to_numpy(),
        }
    )
    lo, hi = np.asarray(res.conf_int(alpha))[1]
    bp = float(het_breuschpagan(res.resid, design)[1])
    assumptions = (
        f"OLS across n={len(d)} councils: linear relation, independent errors with constant variance "
        f"(Breusch-Pagan p={bp:.3f}{', constant variance doubtful' if bp < 0.05 else ''}), "
        "prediction intervals also assume normal errors; an ecological association, not a causal effect"
    )
    return GradientResult(
        slope=float(res.params[1]),
        slope_lower=float(lo),
        slope_upper=float(hi),
        intercept=float(res.params[0]),
        r2=float(res.rsquared),
        n=len(d),
        p_value=float(res.pvalues[1]),
        bp_p_value=bp,
        assumptions=assumptions,
        points=d,
        line=line,
        results=res,
    )


def imd_scores_current(imd: pd.DataFrame, harmonise) -> tuple[pd.DataFrame, list[str]]:
    """IMD 2019 average score per district on current codes.

    ``imd`` is ``load("iod_lad_summaries_2019_2025")``; ``harmonise`` is
    :func:`helpers.areas.harmonise_codes`. Councils formed by merging 2019 districts (several 2019 codes
    map to one current code) are left out - an average of their predecessors' scores is not their score -
    and their current codes are returned as the second item.
    """
    d = imd[(imd["edition"] == 2019) & (imd["domain"] == "imd")][["area_code", "area_name", "average_score"]].copy()
    d["current_code"] = harmonise(d["area_code"]).to_numpy()
    counts = d["current_code"].value_counts()
    merged = sorted(counts[counts > 1].index)
    d = d[~d["current_code"].isin(merged)]
    return d.rename(columns={"average_score": "imd_score"})[["current_code", "area_code", "imd_score"]], merged


# --- chart ------------------------------------------------------------------------------------------


def interval_panels(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    panel: str,
    title: str,
    xlabel: str,
    lower: str | None = None,
    upper: str | None = None,
    comparison: str | None = None,
    benchmark: Mapping[str, float] | None = None,
    highlight=(),
    benchmark_label: str = "England",
):
    """One panel per value of ``panel`` (e.g. sex): councils as dots sorted by value, 95% whiskers,
    a dashed benchmark line per panel, the comparison label written beside each dot (so colour is never
    the only carrier of meaning), highlighted councils in the focus colour. Built from the project's
    palette in :mod:`helpers.charts`."""
    import matplotlib.pyplot as plt

    from ..charts import COMPARISON_COLOURS, COMPARISON_MARKERS, CONTEXT, FOCUS

    panels = list(dict.fromkeys(frame[panel]))
    n = frame.groupby(panel)[label].nunique().max() if len(frame) else 1
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), max(2.6, 0.34 * n + 1.3)), squeeze=False)
    for ax, key in zip(axes[0], panels, strict=False):
        d = frame[frame[panel] == key].dropna(subset=[value]).sort_values(value).reset_index(drop=True)
        y = np.arange(len(d))
        for i, row in d.iterrows():
            cmp = row[comparison] if comparison else "not compared"
            colour = (
                COMPARISON_COLOURS.get(cmp, CONTEXT) if comparison else (FOCUS if row[label] in highlight else CONTEXT)
            )
            if lower and upper and pd.notna(row[lower]):
                ax.plot([row[lower], row[upper]], [i, i], color="#3D3D3D", linewidth=1)
            ax.scatter(
                [row[value]],
                [i],
                color=colour,
                marker=COMPARISON_MARKERS.get(cmp, "o"),
                s=40,
                zorder=3,
                edgecolor=FOCUS if row[label] in highlight else "none",
                linewidth=1.5,
            )
            right = row[upper] if upper and pd.notna(row.get(upper, np.nan)) else row[value]
            if comparison:
                ax.text(right, i, f"  {cmp}", va="center", fontsize=8, color="#3D3D3D")
        if benchmark and key in benchmark and np.isfinite(benchmark[key]):
            ax.axvline(benchmark[key], color="#3D3D3D", linestyle="--", linewidth=1)
            ax.text(benchmark[key], len(d) - 0.5, f" {benchmark_label} {benchmark[key]:.1f}", fontsize=8, va="bottom")
        ax.set_yticks(y, [f"{v}" for v in d[label]])
        for tick in ax.get_yticklabels():
            if tick.get_text() in highlight:
                tick.set_fontweight("bold")
        ax.set_title(str(key), fontsize=11, loc="left")
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        lo_x = np.nanmin(d[lower]) if lower and d[lower].notna().any() else d[value].min()
        hi_x = np.nanmax(d[upper]) if upper and d[upper].notna().any() else d[value].max()
        pad = (hi_x - lo_x) * 0.25 + 0.3
        ax.set_xlim(lo_x - 0.05 * pad, hi_x + pad)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=12)
    fig.tight_layout()
    return fig


def sex_from_indicator(indicator: pd.Series) -> pd.Series:
    """'Male healthy life expectancy' -> 'Male'."""
    return indicator.str.split(" ").str[0].str.capitalize()


def versus(label: str, benchmark: str = "England") -> str:
    """'better' -> 'better than England'; 'similar' -> 'similar to England';
    'not compared' -> 'not compared with England'."""
    if label == "similar":
        return f"similar to {benchmark}"
    if label == "not compared":
        return f"not compared with {benchmark}"
    return f"{label} than {benchmark}"


# --- the claims register: claim tests and pledge trackers (newsletter JSNA item, manifesto §4) -------------
#
# Named in manifestos/<id>/04_public_health.yaml; each takes the run's context and returns a verdicts.Outcome.
# A JSNA claim is tested at two periods, the JSNA's (2016-18, ONS intervals) and the latest (OHID Fingertips
# flags), and combined with verdicts.combine_periods: judged at the period available when it was made, the
# latest reported as what has happened since.

AGE_BANDS = "population_age_bands_la_mid2019_mid2020"
JSNA_PERIOD = "2016 - 18"
SEXES = ("Female", "Male")
#: first year of the baseline period a pledge is tracked from (2019-21, the last period before the manifesto)
PLEDGE_BASELINE = 2019
_Z95 = 1.959963984540054


def flag_interval(value: float, benchmark: float, flag: str) -> tuple[float, float]:
    """Bounds that stand in for a 95% interval when only the publisher's 95% comparison is published (OHID
    Fingertips): "better"/"worse" (or "higher"/"lower") mean the interval excludes the benchmark, so the value
    itself bounds it; "similar" means it includes the benchmark. Missing -> (nan, nan)."""
    if not (np.isfinite(value) and np.isfinite(benchmark)) or flag not in {
        "better",
        "worse",
        "higher",
        "lower",
        "similar",
    }:
        return float("nan"), float("nan")
    if flag == "similar":
        return min(value, benchmark) - 1e-9, max(value, benchmark) + 1e-9
    return value, value


def jsna_life_expectancy(period: str) -> pd.DataFrame:
    """Life expectancy at birth by council and sex for one period, with 95% bounds and England's value.

    ``period="jsna"``: ONS 2016-18 with published 95% intervals (England from OHID Fingertips, the ONS file has
    none); ``"latest"``: OHID Fingertips' latest period, whose published 95% comparison stands in for the
    interval (:func:`flag_interval`). Columns: area_code, sex, value, lower, upper, se, england, label, period.
    """
    le = load(LE_DATASET, "life_expectancy")
    if period == "jsna":
        eng = le[(le["area_code"] == ENGLAND) & (le["period"] == JSNA_PERIOD)].set_index("sex")["value"]
        d = load(ONS_LE_DATASET)[["area_code", "sex", "value", "lower", "upper"]].copy()
        d["england"] = d["sex"].map(eng)
        d["label"] = compare_with_benchmark(
            d["lower"].to_numpy(float), d["upper"].to_numpy(float), d["england"].to_numpy(float), "higher_is_better"
        )
        d["se"] = (d["upper"] - d["lower"]) / (2 * _Z95)
        d["period"] = "2016-18"
        return d
    latest = latest_period(le.dropna(subset=["value"]))
    eng = latest[latest["area_code"] == ENGLAND].set_index("sex")["value"]
    d = latest[latest["area_code"] != ENGLAND][["area_code", "sex", "value", "period"]].copy()
    d["england"] = d["sex"].map(eng)
    d["label"] = latest.loc[d.index, "compared_to_england"].map(normalise_flag)
    bounds = [flag_interval(v, e, f) for v, e, f in zip(d["value"], d["england"], d["label"], strict=True)]
    d["lower"], d["upper"] = [b[0] for b in bounds], [b[1] for b in bounds]
    d["se"] = np.nan
    d["period"] = d["period"].map(lambda p: re.sub(r"\s*-\s*", "-", str(p)))
    return d


def _row(le: pd.DataFrame, code: str, sex: str) -> pd.Series | None:
    r = le[(le["area_code"] == code) & (le["sex"] == sex)].dropna(subset=["value"])
    return None if r.empty else r.iloc[0]


def _name(code: str) -> str:
    return areas.names().get(code, code)


def _period_end(label: str) -> int:
    return period_last_year(label)


def _combine(ctx, tested: dict[str, verdicts.Outcome]) -> verdicts.Outcome:
    """Both periods into one verdict (verdicts.combine_periods); a period with no data is left out."""
    outcomes = [(o.period_end or 0, o) for o in tested.values()]
    return verdicts.combine_periods(outcomes, ctx.manifesto_year)


def _parts_outcome(parts, bits, what: str, period: str, label: str = "") -> verdicts.Outcome:
    verdict = parts[0] if len(parts) == 1 else verdicts.judge_parts(parts, what)
    evidence = f"{label or period}: " + "; ".join(bits) + "."
    return verdicts.claim(verdict, evidence, period=period, period_end=_period_end(period))


@claim_test
def claim_le_county_higher(ctx, county: str) -> verdicts.Outcome:
    """JSNA claim: life expectancy at birth is significantly higher than England's for males and females in the
    county as a whole. No county figure is published in these data: the county is the population-weighted mean
    of its districts (mid-2020 populations), with a 95% interval from the districts' standard errors (ONS 2016-18
    intervals; for the latest period, which has no intervals, the 2016-18 standard errors are reused as an
    approximation). One part per sex, combined with verdicts.judge_parts; both periods with combine_periods."""
    districts = [d.code for d in areas.districts_of(county)]
    pop = population_by_code(load(AGE_BANDS))
    jsna = jsna_life_expectancy("jsna")
    tested = {}
    for which in ("jsna", "latest"):
        le = jsna if which == "jsna" else jsna_life_expectancy("latest")
        parts, bits = [], []
        for sex in SEXES:
            d = le[le["area_code"].isin(districts) & (le["sex"] == sex)].dropna(subset=["value"])
            d = d.assign(w=d["area_code"].map(pop))
            se = d["area_code"].map(jsna[jsna["sex"] == sex].set_index("area_code")["se"])
            if len(d) < len(districts) or d["w"].isna().any() or se.isna().any():
                raise verdicts.NoData(f"life expectancy is missing for a district of {_name(county)}")
            w = d["w"] / d["w"].sum()
            mean = float((w * d["value"]).sum())
            half = _Z95 * float(np.sqrt((w**2 * se**2).sum()))
            eng = float(d["england"].iloc[0])
            parts.append(verdicts.judge(mean, eng, claimed="above", lower=mean - half, upper=mean + half))
            bits.append(
                f"{sex.lower()}s {fmt(mean, 'years', 2)} (95% CI {fmt(mean - half, '', 2)} to "
                f"{fmt(mean + half, 'years', 2)}) against England's {fmt(eng, 'years')}"
            )
        period = str(le["period"].iloc[0])
        label = f"{_name(county)} (population-weighted mean of its districts), {period}" + (
            "" if which == "jsna" else " (intervals approximated with the 2016-18 standard errors)"
        )
        tested[which] = _parts_outcome(parts, bits, "sexes", period, label)
    return _combine(ctx, tested)


def _judge_parts_by_area(ctx, expected: dict[str, dict[str, str]]) -> verdicts.Outcome:
    """``expected``: area code -> sex -> "above" / "below" / "similar" (England). One part per area and sex."""
    tested = {}
    for which in ("jsna", "latest"):
        le = jsna_life_expectancy(which)
        parts, bits = [], []
        for code, by_sex in expected.items():
            for sex, claim in by_sex.items():
                r = _row(le, code, sex)
                if r is None:
                    raise verdicts.NoData(f"no {sex.lower()} life expectancy for {_name(code)} in the {which} period")
                if claim == "similar":
                    parts.append(verdicts.judge_similar(r["england"], r["value"], r["lower"], r["upper"]))
                else:
                    parts.append(
                        verdicts.judge(r["value"], r["england"], claimed=claim, lower=r["lower"], upper=r["upper"])
                    )
                ci = (
                    f" (95% CI {fmt(r['lower'], '', 1)} to {fmt(r['upper'], '', 1)})"
                    if which == "jsna"
                    else f" ({r['label']} than England at 95%)".replace("similar than", "similar to")
                )
                bits.append(f"{_name(code)} {sex.lower()}s {fmt(r['value'], 'years')}{ci}")
        period = str(le["period"].iloc[0])
        eng = le.drop_duplicates("sex").set_index("sex")["england"]
        england = [f"{x.lower()}s {fmt(eng[x], 'years')}" for x in SEXES if x in eng]
        bits.append(f"England {listing(england)}")
        tested[which] = _parts_outcome(parts, bits, "council-sex estimates", period)
    return _combine(ctx, tested)


@claim_test
def claim_le_named_lower(ctx, councils: list[str]) -> verdicts.Outcome:
    """JSNA claim: life expectancy is significantly lower than England's in the named councils (Peterborough and
    Fenland), males and females: one part per council and sex (verdicts.judge, below England, with the 95%
    interval), combined with verdicts.judge_parts; both periods with combine_periods."""
    return _judge_parts_by_area(ctx, {c: {s: "below" for s in SEXES} for c in councils})


@claim_test
def claim_le_cambridge_mixed(ctx, council: str) -> verdicts.Outcome:
    """JSNA claim: in Cambridge female life expectancy is similar to England's (verdicts.judge_similar: England
    inside the 95% interval) and male life expectancy significantly higher (verdicts.judge, above)."""
    return _judge_parts_by_area(ctx, {council: {"Female": "similar", "Male": "above"}})


@claim_test
def claim_health_outcomes_pattern(
    ctx,
    better: list[str],
    not_better: list[str],
    mixed: list[str],
    county: str,
    better_share: float = 0.5,
    low_share: float = 0.25,
) -> verdicts.Outcome:
    """JSNA claim: health outcomes are better than England's in ``better`` (the county and three districts), worse
    or similar in ``not_better`` (Peterborough, Fenland) and mixed in ``mixed`` (Cambridge).

    Indicator: for each area, the share of its judged comparisons with England (life expectancy by sex and the
    Fingertips risk factors, OHID's published 95% comparisons) that are significantly better. "Better" means more
    than ``better_share`` of them; "worse or similar" fewer than ``low_share``; "mixed" between the two (two
    parts). The county has no rows of its own: its districts' comparisons are pooled. One part per area,
    combined with verdicts.judge_parts; both periods with combine_periods."""
    districts = [d.code for d in areas.districts_of(county)]
    frames = {f: load(TDL, f) for f in RISK_FACTORS}
    tested = {}
    for which, last_year in (("jsna", JSNA_LAST_YEAR), ("latest", None)):
        le = jsna_life_expectancy(which)
        rf = risk_factor_rows(frames, [*districts, *not_better, *mixed, *better], last_year)
        flags = le[["area_code", "label"]].rename(columns={"label": "flag"})
        prof = outcome_profile(rf, flags).set_index("area_code")
        pooled = prof.loc[prof.index.intersection(districts), ["better", "similar", "worse", "judged"]].sum()
        if pooled["judged"] > 0:
            prof.loc[county] = [*pooled.to_list(), pooled["better"] / pooled["judged"]]
        parts, bits = [], []
        for code in [*better, *not_better, *mixed]:
            if code not in prof.index or prof.loc[code, "judged"] == 0:
                raise verdicts.NoData(f"no judged health comparisons for {_name(code)} in the {which} period")
            share = float(prof.loc[code, "share_better"])
            if code in better:
                parts.append(verdicts.judge(share, better_share, claimed="above"))
            elif code in not_better:
                parts.append(verdicts.judge(share, low_share, claimed="below"))
            else:
                parts.append(
                    verdicts.judge_parts(
                        [
                            verdicts.judge(share, low_share, claimed="above"),
                            verdicts.judge(share, better_share, claimed="below"),
                        ]
                    )
                )
            r = prof.loc[code]
            bits.append(
                f"{_name(code)} {int(r['better'])} better, {int(r['similar'])} similar, {int(r['worse'])} worse"
            )
        period = str(le["period"].iloc[0])
        out = _parts_outcome(parts, bits, "areas", period)
        out.evidence = out.evidence.replace(": ", " (comparisons with England, life expectancy and risk factors): ", 1)
        tested[which] = out
    return _combine(ctx, tested)


# --- pledges ----------------------------------------------------------------------------------------------


def inequality_gap_series(code: str) -> tuple[pd.DataFrame, str]:
    """The life expectancy gap a council's pledges are tracked by, per 3-year period and sex: for a county the gap
    between its best and worst district (:func:`district_gap`), for a single-tier council its slope index of
    inequality (OHID 92901, the modelled gap between its most and least deprived areas). Returns (frame with
    period, year, sex, gap; a description)."""
    le = load(LE_DATASET, "life_expectancy")
    districts = [d.code for d in areas.districts_of(code)]
    if districts:
        return district_gap(le, districts), "gap in life expectancy between the best and worst district"
    sii = load(LE_DATASET, "sii")
    gap = sii[sii["area_code"] == code].dropna(subset=["value"]).rename(columns={"value": "gap"})
    return gap[["period", "year", "sex", "gap"]], "slope index of inequality in life expectancy"


#: single-year series are not fitted across the Covid-19 years
COVID_BREAKS = (
    {"year": 2020, "kind": "exclude", "reason": "Covid-19 pandemic"},
    {"year": 2021, "kind": "exclude", "reason": "Covid-19 pandemic"},
)


def _pledge_trend(frame: pd.DataFrame, value: str, *, polarity: str, unit: str, what: str, name: str):
    d = frame[frame["year"] >= PLEDGE_BASELINE].dropna(subset=[value]).sort_values("year")
    three_year = d["period"].astype(str).str.contains(r"\d\s*-\s*\d").any()
    if d.empty:
        raise verdicts.NoData(f"no {what} for {name} since the {PLEDGE_BASELINE} baseline")
    trend = try_fit_trend(d["year"], d[value], kind="ols", breaks=() if three_year else COVID_BREAKS)
    labels = [re.sub(r"\s*-\s*", "-", str(p)) for p in d["period"]]
    values = ", ".join(f"{p} {fmt(v, unit)}" for p, v in zip(labels, d[value], strict=True))
    if not trend:
        raise verdicts.NoData(f"{name}: {trend.reason} of the {what} ({values})")
    evidence = (
        f"The {what} in {name}: {values}. Linear trend from the {labels[0]} baseline"
        + (f" over {trend.years_text}" if trend.excluded_years else "")
        + f": {trend.slope:+.2f} {unit} a year (95% CI {trend.slope_lower:+.2f} to {trend.slope_upper:+.2f}; "
        f"{verdicts.p_text(trend.p_value)})"
        + (
            "; the 3-year periods overlap, so the interval is too narrow, and periods to 2021-23 include "
            "Covid-19 deaths."
            if three_year
            else "."
        )
    )
    out = verdicts.pledge_from_trend(
        trend,
        polarity=polarity,
        latest=f"{fmt(d[value].iloc[-1], unit)} ({labels[-1]})",
        evidence=evidence,
        period=f"{labels[0]} to {labels[-1]}",
        period_end=_period_end(labels[-1]),
    )
    return out


@claim_test
def pledge_reduce_health_inequality(ctx) -> verdicts.Outcome:
    """Pledges to reduce health inequalities: the inequality gap (:func:`inequality_gap_series`, mean of males and
    females where both are published) since the 2019-21 baseline, OLS trend; lower is better."""
    gap, what = inequality_gap_series(ctx.area.code)
    if gap.empty:
        raise verdicts.NoData(f"no {what} series for {ctx.area.name}")
    both = gap.groupby(["period", "year"]).filter(lambda g: g["sex"].nunique() == 2)
    persons = both.groupby(["period", "year"], as_index=False)["gap"].mean()
    return _pledge_trend(
        persons,
        "gap",
        polarity="lower_is_better",
        unit="years",
        what=f"{what} (mean of males and females)",
        name=ctx.area.name,
    )


# --- spending pledges (RO3 revenue outturn, 2023-24 and 2024-25) ------------------------------------------


def period_label(iso: str) -> str:
    """An ONS Explore Local Statistics period ("2023-11-16/P1Y", "2022-01-01/P3Y", "2019-01-01/P5Y") as people
    write it, as the indicator store labels periods: a calendar year "2023", a survey year starting mid-year
    "2023/24", a pooled period "2022 to 2024"."""
    text = str(iso)
    start, _, span = text.partition("/")
    try:
        year, month = int(start[:4]), int(start[5:7]) if len(start) >= 7 else 1
    except ValueError:
        return text
    years = int(span[1:-1]) if span.startswith("P") and span.endswith("Y") and span[1:-1].isdigit() else 1
    if years > 1:
        return f"{year} to {year + years - 1}"
    return str(year) if month == 1 else f"{year}/{(year + 1) % 100:02d}"


def place_claims(manifesto, section: str) -> list[str]:
    """Ids of a section's claims that name the councils they apply to (``applies_to``), in register order."""
    reg = manifesto.sections.get(section)
    return [e.id for e in reg.claims if e.applies_to != "all"] if reg is not None else []


# --- panels: one question of the briefing each (shown by notebooks/04_public_health.ipynb) -----------------


@dataclass
class Scope:
    """Who a briefing looks at: the council, the areas it breaks down by (a county's districts, or the council
    itself), the region and the similar councils."""

    area: areas.Area
    local: list[str]
    similar: list[str]
    region: areas.Area
    names: dict[str, str]

    @property
    def is_county(self) -> bool:
        return self.area.kind == "county"

    @property
    def local_names(self) -> list[str]:
        return [self.names[c] for c in self.local]

    @property
    def shown(self) -> list[str]:
        return list(dict.fromkeys(self.local + self.similar))


def scope(area: areas.Area, k_similar: int = 5) -> Scope:
    """The :class:`Scope` of a briefing for ``area`` with ``k_similar`` similar councils."""
    similar = [a.code for a in areas.comparators(area, k_similar)["similar"]]
    local = [a.code for a in areas.local_areas(area)]
    return Scope(area, local, similar, areas.region_of(area), areas.names())


def _figure_data(frame: pd.DataFrame, period: str, extra: Iterable[str] = ()) -> pd.DataFrame:
    """A chart's plotted values with labelled area and period columns."""
    out = frame.assign(area_name=frame["name"], period=period)
    cols = ["area_code", "area_name", "period", *extra, "value"]
    cols += [c for c in ("lower", "upper") if c in out]
    return out[cols].reset_index(drop=True)


def _short(p: Any) -> str:
    """'2015 - 17' -> '2015-17'."""
    return "".join(str(p).split())


def overview(v: Scope) -> Panel:
    """Who the briefing covers."""
    a = v.area
    p = Panel("Area", frame=pd.DataFrame({"area_code": v.shown, "area_name": [v.names[c] for c in v.shown]}))
    return p.say(
        f"**Area:** {a} — {a.kind}, {v.region.name}. "
        + (
            f"Districts: {listing(v.local_names)}. "
            if v.is_county
            else "A single-tier council: there are no districts, so the council-level view is shown. "
        )
        + f"Similar councils (the project's open nearest-neighbour model): {listing([v.names[c] for c in v.similar])}."
    )


def latest_life_expectancy(v: Scope) -> tuple[pd.DataFrame, pd.Series, str]:
    """The latest Fingertips life expectancy rows of the local and similar councils (with ``name`` and ``flag``),
    England's values by sex and the period label."""
    le_latest = latest_period(load(LE_DATASET, "life_expectancy"))
    label = period_text(le_latest["period"].iloc[0])
    eng = le_latest[le_latest["area_code"] == ENGLAND].set_index("sex")["value"]
    view = le_latest[le_latest["area_code"].isin(v.shown)].dropna(subset=["value"]).copy()
    view["name"] = view["area_code"].map(v.names)
    view["flag"] = view["compared_to_england"].map(normalise_flag)
    return view, eng, label


ENGLANDS = "England's"


def _le_sentence(loc: pd.DataFrame, eng: pd.Series, label: str) -> str:
    parts = []
    for sex in SEXES:
        d = loc[loc["sex"] == sex]
        groups = [
            ("significantly above England in", d.loc[d["flag"] == "better", "name"].tolist()),
            ("similar to England in", d.loc[d["flag"] == "similar", "name"].tolist()),
            ("significantly below England in", d.loc[d["flag"] == "worse", "name"].tolist()),
        ]
        values = ", ".join(f"{r.name} {fmt(r.value, 'years')}" for r in d.itertuples())
        parts.append(
            f"for {sex.lower()}s ({values}; England {fmt(eng.get(sex), 'years')}) it was "
            + ", ".join(f"{words} {listing(who)}" for words, who in groups if who)
        )
    return f"In {label}, life expectancy at birth: " + "; ".join(parts) + "."


def _le_finding(v: Scope, loc: pd.DataFrame, eng: pd.Series, label: str) -> str:
    if not v.is_county:
        return (
            f"In {label}, life expectancy at birth in {v.area.name} was "
            + " and ".join(
                f"{fmt(r.value, 'years')} for {r.sex.lower()}s ({versus(r.flag, ENGLANDS)} "
                f"{fmt(eng.get(r.sex), 'years')})"
                for r in loc.sort_values("sex").itertuples()
            )
            + "."
        )
    lo, hi = loc.loc[loc["value"].idxmin()], loc.loc[loc["value"].idxmax()]
    return (
        f"In {label}, life expectancy in the area ranged from {fmt(lo['value'], 'years')} "
        f"({lo['name']}, {lo['sex'].lower()}s, {versus(lo['flag'], ENGLANDS)} "
        f"{fmt(eng.get(lo['sex']), 'years')}) to {fmt(hi['value'], 'years')} "
        f"({hi['name']}, {hi['sex'].lower()}s, {versus(hi['flag'])})."
    )


def life_expectancy(v: Scope) -> Panel:
    """Life expectancy at birth by sex, latest period, with OHID's 95% comparison with England."""
    view, eng, label = latest_life_expectancy(v)
    p = Panel(f"Life expectancy at birth, {label}", frame=view)
    absent = [v.names[c] for c in v.shown if c not in set(view["area_code"])]
    if v.is_county:
        p.say(
            f"OHID publishes this life expectancy series for districts and unitaries only: there is no row for "
            f"{v.area.name} as a whole, nor for the similar counties, so the county is shown through its districts."
        )
    if absent:
        p.say(
            f"No life expectancy row for {listing(absent)} in {label} (a council formed or renamed after the "
            "source's geography, or suppressed)."
        )
    loc = view[view["area_code"].isin(v.local)]
    if loc.empty:
        return p.gap(
            f"No life expectancy estimate for {v.area.name} in {label} (suppressed or not published for this council)."
        )
    lowest = loc.loc[loc["value"].idxmin()]
    fig = interval_panels(
        view,
        label="name",
        value="value",
        panel="sex",
        comparison="flag",
        benchmark=eng.to_dict(),
        highlight=v.local_names,
        xlabel="Life expectancy at birth (years)",
        title=f"{lowest['name']} has the lowest {lowest['sex'].lower()} life expectancy of the area, {label}",
    )
    alt = (
        f"Dot chart, one panel per sex, of life expectancy at birth in {label} for {listing(view['name'].unique())}, "
        "with England's value as a dashed line and each council labelled better, similar or worse than England "
        "(Fingertips 95% flag)."
    )
    caption = f"Life expectancy at birth by sex, {label}; labels are OHID's published 95% comparison with England."
    p.add(Figure(fig, alt, _figure_data(view, label, ["sex", "flag"]), [LE_DATASET], caption))
    table = view.pivot_table(index=["area_code", "name"], columns="sex", values="value").reset_index()
    flags = view.pivot_table(index="area_code", columns="sex", values="flag", aggfunc="first")
    for sex in SEXES:
        table[f"{sex} vs England"] = table["area_code"].map(flags[sex]) if sex in flags else "not compared"
    table = pd.concat([table, pd.DataFrame([{"area_code": ENGLAND, "name": "England", **eng.to_dict()}])])
    p.add(
        Table(
            table[["name", "Female", "Female vs England", "Male", "Male vs England"]],
            f"Life expectancy at birth, {label}",
            [LE_DATASET],
            formats={"Female": "dp1", "Male": "dp1"},
            labels={"name": "Council", "Female": "Females (years)", "Male": "Males (years)"},
            collapsed=True,
        )
    )
    p.say(_le_sentence(loc, eng, label))
    return p.finding(_le_finding(v, loc, eng, label))


def jsna_period(v: Scope) -> Panel:
    """Life expectancy in the JSNA's period (ONS 2016-18) with 95% and 99.8% comparisons against England."""
    le = load(LE_DATASET, "life_expectancy")
    eng = le[(le["area_code"] == ENGLAND) & (le["period"] == JSNA_PERIOD)].set_index("sex")["value"]
    ons = load(ONS_LE_DATASET)
    ons = ons[ons["area_code"].isin(v.shown)].copy()
    ons["name"] = ons["area_code"].map(v.names)
    sig = significance_table(ons, ons["sex"].map(eng))
    p = Panel("Life expectancy in the JSNA's period, 2016-18", frame=sig)
    absent = [v.names[c] for c in v.shown if c not in set(ons["area_code"])]
    if absent:
        verb = "is" if len(absent) == 1 else "are"
        p.say(f"{listing(absent)} {verb} not in the ONS 2016-18 file (2019/2020 district codes).")
    if sig.empty:
        return p.gap(f"No ONS 2016-18 life expectancy for {v.area.name} or its comparators.")
    local = sig["area_code"].isin(v.local)
    narrow = sig[(sig["vs_england_95"] != sig["vs_england_998"]) & local]
    n_worse = int((local & (sig["vs_england_95"] == "worse")).sum())
    fig = interval_panels(
        sig,
        label="name",
        value="value",
        panel="sex",
        lower="lower",
        upper="upper",
        comparison="vs_england_95",
        benchmark=eng.to_dict(),
        highlight=v.local_names,
        xlabel="Life expectancy at birth (years), 95% CI",
        title=f"2016-18: {n_worse} of the area's council-sex estimates were significantly below England",
    )
    alt = (
        f"Dot chart with 95% confidence intervals of ONS life expectancy at birth in 2016-18 by sex for "
        f"{listing(sig['name'].unique())}, England's value dashed, each council labelled better, similar or worse."
    )
    caption = (
        "Life expectancy at birth, 2016-18, with 95% confidence intervals (ONS); "
        "England benchmark from OHID Fingertips."
    )
    sources = [ONS_LE_DATASET, LE_DATASET]
    p.add(Figure(fig, alt, _figure_data(sig, "2016-18", ["sex", "vs_england_95"]), sources, caption))
    cols = {
        "name": "Council",
        "value": "LE",
        "lower": "95% lower",
        "upper": "95% upper",
        "lower_998": "99.8% lower",
        "upper_998": "99.8% upper",
        "vs_england_95": "vs England (95%)",
        "vs_england_998": "vs England (99.8%)",
    }
    table = sig[["name", "sex", *list(cols)[1:]]].rename(columns=cols).sort_values(["sex", "LE"])
    p.add(
        Table(
            table,
            "Life expectancy at birth 2016 to 2018 (years), significance against England at 95% and 99.8%",
            sources,
            formats={k: "dp2" for k in ("LE", "95% lower", "95% upper", "99.8% lower", "99.8% upper")},
            labels={"LE": "Life expectancy (years)", "sex": "Sex"},
            collapsed=True,
        )
    )
    # cross-check against the flag OHID published for the same period
    ft = le[(le["period"] == JSNA_PERIOD) & le["area_code"].isin(sig["area_code"])]
    ft = ft.assign(ft_flag=ft["compared_to_england"].map(normalise_flag))[["area_code", "sex", "ft_flag"]]
    both = sig.merge(ft, on=["area_code", "sex"])
    agree = int((both["ft_flag"] == both["vs_england_95"]).sum())
    changed = listing([f"{r.name} ({r.sex.lower()}s)" for r in narrow.itertuples()])
    return p.say(
        f"The 95% comparisons from the ONS intervals agree with OHID's published flags for {agree} of {len(both)} "
        "council-sex estimates (the two use slightly different methods). "
        + (
            f"At the stricter 99.8% level the label changes for {changed}: "
            "those differences are significant at 95% but not at 99.8%."
            if len(narrow)
            else "No label of the area's councils changes at the stricter 99.8% level."
        )
    )


def healthy_life_expectancy(v: Scope) -> Panel:
    """Healthy life expectancy at birth by sex (ONS), latest 3-year period, against England at 95% and 99.8%."""
    h = load(ELS, "healthy-life-expectancy")
    h = h.assign(sex=sex_from_indicator(h["indicator"]))
    latest = latest_period(h[h["area_code"].str.startswith("E")])
    first = int(latest["year"].min()) if len(latest) else 0
    label = f"{first}-{str(first + 2)[-2:]}" if len(latest) else ""
    codes = list(dict.fromkeys([v.area.code, *v.local, v.region.code, *v.similar]))
    eng = latest[latest["area_code"] == ENGLAND].set_index("sex")["value"]
    view = latest[latest["area_code"].isin(codes)].copy()
    view["name"] = view["area_code"].map(v.names)
    sig = significance_table(view, view["sex"].map(eng))
    p = Panel(f"Healthy life expectancy, {label}", frame=sig)
    missing = [v.names[c] for c in v.local if c not in set(view["area_code"])]
    if v.is_county and missing:
        p.say(
            f"ONS publishes healthy life expectancy for counties and unitaries, not for non-metropolitan districts: "
            f"{listing(missing)} have no estimate, so the county-level view is shown."
        )
    own = sig[sig["area_code"] == v.area.code].sort_values("sex")
    if own.empty:
        return p.gap(f"No healthy life expectancy estimate for {v.area.name} in the ONS series.")
    words = "; ".join(
        f"{r.sex.lower()}s {fmt(r.value, 'years')} {fmt_interval(r.lower, r.upper, 'years')}, "
        f"{versus(r.vs_england_95)} ({fmt(eng.get(r.sex), 'years')}) at 95% and {r.vs_england_998} at 99.8%"
        for r in own.itertuples()
    )
    fig = interval_panels(
        sig,
        label="name",
        value="value",
        panel="sex",
        lower="lower",
        upper="upper",
        comparison="vs_england_95",
        benchmark=eng.to_dict(),
        highlight=[v.area.name],
        xlabel="Healthy life expectancy at birth (years), 95% CI",
        title=(
            f"Healthy life expectancy in {v.area.name}: {versus(own['vs_england_95'].iloc[0])} "
            f"({own['sex'].iloc[0].lower()}s), {label}"
        ),
    )
    alt = (
        f"Dot chart with 95% confidence intervals of healthy life expectancy at birth in {label} for "
        f"{listing(sig['name'].unique())}, by sex, England dashed, each labelled better, similar or worse than England."
    )
    caption = (
        f"Healthy life expectancy at birth, {label} (3-year period), with 95% CIs; labels compare with England at 95%."
    )
    p.add(Figure(fig, alt, _figure_data(sig, label, ["sex", "vs_england_95"]), [ELS], caption))
    p.say(f"Healthy life expectancy in {v.area.name}, {label}: {words}.")
    return p.finding(f"Healthy life expectancy in {v.area.name}, {label}: {words}.")


def named_claims(manifesto, v: Scope, link) -> Panel:
    """Which of the section's place-naming claims apply to this council (``link``: id -> Markdown link)."""
    named = place_claims(manifesto, "04_public_health")
    applying = [i for i in named if register.applies(manifesto.find(i)[2], v.area.code)]
    p = Panel("Claims that name places", frame=pd.DataFrame({"claim": named}))
    if applying:
        p.say("Tested in the claim check below: " + "; ".join(link(i) for i in applying) + ".")
    elif named:
        p.say(f"These claims name other places, so they are not tested for {v.area.name}.")
    return p


IMD = "iod_lad_summaries_2019_2025"


def deprivation(v: Scope) -> Panel:
    """Life expectancy against IMD 2019 across English councils (OLS by sex), and where the area's councils sit
    against the line. The frame holds the area's councils' residuals; the residual plot goes to the details."""
    le_latest = latest_period(load(LE_DATASET, "life_expectancy"))
    label = period_text(le_latest["period"].iloc[0])
    imd, merged = imd_scores_current(load(IMD), areas.harmonise_codes)
    gradients, rows = {}, []
    for sex in SEXES:
        d = le_latest[(le_latest["sex"] == sex) & (le_latest["area_code"] != ENGLAND)]
        d = d.merge(imd, left_on="area_code", right_on="current_code", suffixes=("", "_2019"))
        d["name"] = d["area_code"].map(v.names).fillna(d["area_name"])
        gradients[sex] = g = deprivation_gradient(d, x="imd_score", y="value")
        rows.append(g.points[g.points["area_code"].isin(v.local)].assign(sex=sex))
    resid = pd.concat(rows, ignore_index=True)
    gm, gf = gradients["Male"], gradients["Female"]
    p = Panel("The deprivation gradient across English councils", frame=resid)
    sources = [LE_DATASET, IMD]
    fig = charts.scatter_with_fit(
        gm.points,
        "imd_score",
        "value",
        label="name",
        highlight=v.local_names,
        fit=gm.line,
        title=(
            f"Male life expectancy falls {fmt(-gm.slope, 'years', 2)} per IMD point; deprivation explains "
            f"{fmt(100 * gm.r2, '%', 0)} of the variation"
        ),
        xlabel="IMD 2019 average score (higher = more deprived)",
        ylabel=f"Male life expectancy {label} (years)",
    )
    alt = (
        f"Scatter plot of male life expectancy {label} against IMD 2019 average score for {gm.n} English councils, "
        f"with the fitted OLS line and its 95% band; {listing(v.local_names)} highlighted."
    )
    data = gm.points.assign(area_name=gm.points["name"], period=label)[
        ["area_code", "area_name", "period", "imd_score", "value", "fitted"]
    ]
    p.add(
        Figure(
            fig, alt, data, sources, "Male life expectancy against deprivation, all English districts and unitaries."
        )
    )
    p.details.append(
        f"*Assumptions:* {gm.assumptions}. Breusch-Pagan test of constant variance: "
        f"{verdicts.p_text(gm.bp_p_value)} (males), {verdicts.p_text(gf.bp_p_value)} (females)."
    )
    if resid.empty:
        why = (
            "formed by merging 2019 districts, so it has no IMD 2019 district score"
            if v.area.code in merged
            else ("no life expectancy row")
        )
        p.say(f"{v.area.name} is not in the regression ({why}).")
        return p.finding(
            f"Across {gm.n} English councils, deprivation (IMD 2019) explains {fmt(100 * gm.r2, '%', 0)} of the "
            f"variation in male and {fmt(100 * gf.r2, '%', 0)} in female life expectancy ({label}); "
            f"{v.area.name} is not in the regression."
        )
    cols = {
        "name": "Council",
        "sex": "sex",
        "imd_score": "IMD 2019 score",
        "value": "Life expectancy",
        "fitted": "Expected from deprivation",
        "residual": "residual",
        "pi_lower": "95% PI lower",
        "pi_upper": "95% PI upper",
        "outside_pi": "vs prediction interval",
    }
    dp1 = ("IMD 2019 score", "Life expectancy", "Expected from deprivation", "residual", "95% PI lower", "95% PI upper")
    p.add(
        Table(
            resid[list(cols)].rename(columns=cols),
            f"Where the area's councils sit against the deprivation line, {label}",
            sources,
            formats={k: "dp1" for k in dp1},
            labels={"sex": "Sex", "residual": "Difference (years)", "Life expectancy": "Life expectancy (years)"},
            collapsed=True,
        )
    )
    low = resid.loc[resid["residual"].idxmin()]
    outside = int((resid["outside_pi"] != "within").sum())
    p.say(
        f"Across {gm.n} councils, each extra IMD point goes with {fmt(-gm.slope, 'years', 2)} lower male life "
        f"expectancy (95% CI {fmt(-gm.slope_upper, '', 2)} to {fmt(-gm.slope_lower, 'years', 2)}; R² {gm.r2:.2f}) "
        f"and {fmt(-gf.slope, 'years', 2)} lower female life expectancy (R² {gf.r2:.2f}). "
        + (
            "The lowest of the area's councils relative to the line is "
            if v.is_county
            else f"Relative to the line, the lower of {v.area.name}'s two estimates is "
        )
        + f"{low['name']} ({low['sex'].lower()}s, {fmt(abs(low['residual']), 'years', 2)} "
        f"{'below' if low['residual'] < 0 else 'above'} what its deprivation predicts); "
        f"{outside} of {len(resid)} estimates lie outside the 95% prediction interval. "
        f"{len(merged)} councils formed by merging 2019 districts are left out (no 2019 district score)."
    )
    return p.finding(
        f"Across {gm.n} English councils, deprivation (IMD 2019) explains {fmt(100 * gm.r2, '%', 0)} of the "
        f"variation in male and {fmt(100 * gf.r2, '%', 0)} in female life expectancy ({label}); {outside} of the "
        f"area's {len(resid)} council-sex estimates lie outside the 95% prediction interval."
    )


def _gap_series(v: Scope) -> tuple[pd.DataFrame, str]:
    """The area's gap series: a county's best-minus-worst district gap, or a single-tier council's slope index
    of inequality (OHID 92901), column ``gap``; and what the gap is."""
    if v.is_county:
        return district_gap(load(LE_DATASET, "life_expectancy"), v.local), "gap between the best and worst district"
    sii = load(LE_DATASET, "sii")
    gap = sii[sii["area_code"] == v.area.code].dropna(subset=["value"]).rename(columns={"value": "gap"})
    return gap, "slope index of inequality (gap between most and least deprived within the council)"


def _gap_words(gs: pd.DataFrame, t, sex: str, county: bool) -> str:
    sig = (
        "a clear change (the 95% interval excludes no change)"
        if t.slope_lower > 0 or t.slope_upper < 0
        else "no clear change (the 95% interval includes no change)"
    )
    extra = f" ({gs['worst'].iloc[-1]} lowest, {gs['best'].iloc[-1]} highest)" if county else ""
    return (
        f"for {sex.lower()}s the gap went from {fmt(gs['gap'].iloc[0], 'years')} in "
        f"{period_text(gs['period'].iloc[0])} "
        f"to {fmt(gs['gap'].iloc[-1], 'years')} in {period_text(gs['period'].iloc[-1])}{extra}, a trend of "
        f"{t.slope:+.2f} years per year (95% CI {t.slope_lower:+.2f} to {t.slope_upper:+.2f}; "
        f"{verdicts.p_text(t.p_value)}), {sig}"
    )


def gap_trend(v: Scope) -> Panel:
    """Has the gap in life expectancy between the area's best- and worst-off places widened or narrowed?"""
    gap, what = _gap_series(v)
    p = Panel("Has the gap widened or narrowed?", frame=gap)
    if not v.is_county:
        p.say(
            f"{v.area.name} is a single-tier council with no districts: the within-council slope index of inequality "
            "in life expectancy (OHID 92901: the modelled gap between its most and least deprived areas) is used "
            "instead."
        )
    if gap.empty:
        return p.gap(f"No {what} series for {v.area.name}.")
    trends = {}
    for sex in SEXES:
        gs = gap[gap["sex"] == sex].sort_values("year")
        t = try_fit_trend(gs["year"], gs["gap"], kind="ols")
        if t:
            trends[sex] = t
    span = f"{_short(gap['period'].min())} to {_short(gap['period'].max())}"
    shape = ", ".join(
        f"{sx.lower()}s "
        + ("widening" if t.slope_lower > 0 else "narrowing" if t.slope_upper < 0 else "no clear trend")
        for sx, t in trends.items()
    )
    fig = charts.trend_lines(
        gap.assign(series=gap["sex"] + "s", x=gap["year"] + 1),
        "x",
        "gap",
        "series",
        title=(
            f"The {'district' if v.is_county else 'within-council'} gap in life expectancy: "
            f"{shape or 'too few periods for a trend'}, {span}"
        ),
        ylabel="Gap (years)",
        xlabel="Middle year of 3-year period",
    )
    alt = f"Line chart of the {what} in life expectancy for {v.area.name}, by sex, for each 3-year period from {span}."
    data = gap.assign(area_code=v.area.code, area_name=v.area.name, value=gap["gap"])[
        ["area_code", "area_name", "period", "sex", "value"]
    ]
    p.add(Figure(fig, alt, data, [LE_DATASET], f"{what.capitalize()}, by sex."))
    words = {
        sex: _gap_words(gap[gap["sex"] == sex].sort_values("year"), t, sex, v.is_county) for sex, t in trends.items()
    }
    p.say(f"The {what}: " + "; ".join(words.values()) + ".")
    if trends:
        p.details.append(
            f"*Assumptions:* {next(iter(trends.values())).assumptions}; the 3-year periods overlap, so neighbouring "
            "points share two years of deaths and the interval is too narrow — read the trend as indicative."
        )
        sex = "Male" if "Male" in trends else next(iter(trends))
        t, gs = trends[sex], gap[gap["sex"] == sex].sort_values("year")
        p.finding(
            f"The {what} for {sex.lower()}s moved from {fmt(gs['gap'].iloc[0], 'years')} "
            f"({period_text(gs['period'].iloc[0])}) to {fmt(gs['gap'].iloc[-1], 'years')} "
            f"({period_text(gs['period'].iloc[-1])}); trend {t.slope:+.2f} years per year (95% CI "
            f"{t.slope_lower:+.2f} to {t.slope_upper:+.2f}), direction: "
            f"{verdicts.trend_direction(t, 'lower_is_better')}."
        )
    if v.is_county:
        sii = load(LE_DATASET, "sii")
        sii_latest = latest_period(sii[sii["area_code"].isin(v.local)].dropna(subset=["value"]))
        if len(sii_latest):
            top = sii_latest.loc[sii_latest["value"].idxmax()]
            p.say(
                f"Within districts, the widest slope index of inequality in {period_text(top['period'])} is in "
                f"{v.names.get(top['area_code'], top['area_name'])} ({top['sex'].lower()}s, "
                f"{fmt(top['value'], 'years')} between its most and least deprived areas)."
            )
    return p


def risk_factors(v: Scope) -> Panel:
    """Fingertips risk factors of the area's councils against England (OHID's published comparisons)."""
    codes = v.local + ([v.area.code] if v.is_county else [])
    rf = risk_factor_rows({f: load(TDL, f) for f in RISK_FACTORS}, codes)
    p = Panel("Risk factors against England", frame=rf)
    if rf.empty:
        return p.gap(f"No Fingertips risk-factor rows for {v.area.name}.")
    rf = rf.assign(council=rf["area_code"].map(v.names))
    rf["cell"] = rf["value"].map(lambda x: f"{x:,.1f}") + " (" + rf["flag"] + ")"
    rf.loc[rf["area_code"] == ENGLAND, "cell"] = rf["value"].map(lambda x: f"{x:,.1f}")
    wide = rf.pivot_table(index=["label", "period"], columns="council", values="cell", aggfunc="first").reset_index()
    order = [v.names[c] for c in codes if v.names[c] in wide.columns] + ["England"]
    p.add(
        Table(
            wide[["label", "period", *order]].rename(columns={"label": "Indicator", "period": "Period"}),
            "Risk factors, latest period: value (OHID's published comparison with England; depression is flagged "
            "higher/lower at 99.8%, no judgement)",
            [TDL],
            collapsed=True,
        )
    )
    loc = rf[rf["area_code"] != ENGLAND]
    worse = loc[loc["flag"] == "worse"]
    judged = int(loc["flag"].isin(["better", "similar", "worse"]).sum())
    which = listing([f"{v.names[r.area_code]} — {r.label.lower()}" for r in worse.itertuples()])
    return p.say(
        f"Of {judged} judged comparisons for {listing([v.names[c] for c in codes])}, "
        f"{int((loc['flag'] == 'better').sum())} show a significantly better value than England and {len(worse)} "
        "a significantly worse one" + (f": {which}." if len(worse) else ".")
    )


def survey_significance(v: Scope) -> pd.DataFrame:
    """The ONS Explore Local Statistics risk factors and wellbeing (ELS_RISK) of the area, its districts, region
    and similar councils, latest period, with 95% and 99.8% comparisons against England."""
    codes = list(dict.fromkeys([v.area.code, *v.local, v.region.code, *v.similar]))
    rows = []
    for table, polarities in ELS_RISK.items():
        t = load(ELS, table)
        for indicator, polarity in polarities.items():
            d = latest_period(t[t["indicator"] == indicator].dropna(subset=["value"]))
            eng = d.loc[d["area_code"] == ENGLAND, "value"]
            d = d[d["area_code"].isin(codes)]
            if d.empty or eng.empty:
                continue
            rows.append(significance_table(d, float(eng.iloc[0]), polarity).assign(england=float(eng.iloc[0])))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows, ignore_index=True)
    return out.assign(name=out["area_code"].map(v.names), period_label=out["period"].map(period_label))


def wellbeing(v: Scope) -> Panel:
    """Wellbeing, adult obesity, smoking and preventable cardiovascular mortality with intervals (ONS)."""
    sig = survey_significance(v)
    p = Panel("Wellbeing and survey risk factors against England", frame=sig)
    if sig.empty:
        return p.gap(f"No ONS Explore Local Statistics risk-factor estimates for {v.area.name}.")
    cols = {
        "indicator": "Indicator",
        "period_label": "Period",
        "name": "Council",
        "value": "Value",
        "lower": "95% lower",
        "upper": "95% upper",
        "england": "England",
        "vs_england_95": "vs England (95%)",
        "vs_england_998": "vs England (99.8%)",
    }
    p.add(
        Table(
            sig[list(cols)].rename(columns=cols),
            "Wellbeing, adult obesity, smoking and preventable cardiovascular mortality with 95% CIs (99.8% derived)",
            [ELS],
            formats={k: "dp2" for k in ("Value", "95% lower", "95% upper", "England")},
            collapsed=True,
        )
    )
    ob = sig[sig["indicator"] == "Adult obesity prevalence"]
    if len(ob):
        eng_ob, label = float(ob["england"].iloc[0]), period_label(ob["period"].iloc[0])
        own = fmt(ob.loc[ob["area_code"] == v.area.code, "value"].mean(), "%")
        fig = interval_panels(
            ob,
            label="name",
            value="value",
            panel="indicator",
            lower="lower",
            upper="upper",
            comparison="vs_england_95",
            benchmark={"Adult obesity prevalence": eng_ob},
            highlight=[v.area.name, *v.local_names],
            xlabel="Adults with obesity (%), 95% CI",
            title=f"Adult obesity {label}: {v.area.name} {own} vs England {fmt(eng_ob, '%')}",
        )
        alt = (
            f"Dot chart with 95% confidence intervals of adult obesity prevalence in {label} for "
            f"{listing(ob['name'].unique())}, England dashed, each labelled better, similar or worse than England."
        )
        caption = "Adult obesity prevalence (Active Lives survey) with 95% CIs; lower is better."
        p.add(Figure(fig, alt, _figure_data(ob, label, ["vs_england_95"]), [ELS], caption))
    anx = sig[(sig["indicator"] == "Anxiety") & (sig["area_code"] == v.area.code)]
    if len(anx):
        r = anx.iloc[0]
        p.say(
            f"Mean anxiety score (0-10) in {v.area.name}, {period_label(r['period'])}: {r['value']:.2f} "
            f"{fmt_interval(r['lower'], r['upper'], '', 2)}, {versus(r['vs_england_95'])} ({r['england']:.2f})."
        )
    return p


def jsna_tally(claims: list[verdicts.Outcome]) -> Panel:
    """How the newsletter's JSNA statements fared in the claim check (judged in the JSNA's period)."""
    jsna = [x for x in claims if x.claim_id.startswith("jsna-")]
    frame = pd.DataFrame({"claim": [x.claim_id for x in jsna], "verdict": [str(x.verdict) for x in jsna]})
    p = Panel("The JSNA statements", frame=frame)
    if jsna:
        tally = frame["verdict"].value_counts()
        p.finding(
            f"Of the newsletter's {len(jsna)} JSNA statements, judged in the JSNA's period (2016 to 2018): "
            + ", ".join(f"{n} {v}" for v, n in tally.items())
            + " (details and the latest data in the claim check)."
        )
    return p


def caveats(v: Scope) -> str:
    """The section's caveats and data notes (Markdown list)."""
    label = period_text(latest_period(load(LE_DATASET, "life_expectancy"))["period"].iloc[0])
    merged = imd_scores_current(load(IMD), areas.harmonise_codes)[1]
    return "\n".join(
        [
            "- Fingertips extracts carry values rounded to 1 dp and OHID's 95% flag, but no intervals; 99.8% "
            "comparisons are only possible where intervals are published (ONS 2016-18, ONS Explore Local "
            "Statistics), and there they are derived from the 95% limits assuming a symmetric normal interval.",
            "- There is no county life expectancy row (Fingertips area type 101); the county claim is tested "
            "indirectly through the districts with mid-2020 population weights, which approximates but does not "
            "equal a county life table.",
            "- ONS (2016-18) and OHID (Fingertips) life expectancy use slightly different methods; England's 2016-18 "
            "benchmark is OHID's.",
            f"- {label} is the latest period as extracted in May 2026 and may be provisional; 2020-22 and 2021-23 "
            "include COVID-19 deaths.",
            "- Rolling 3-year periods overlap, so trend intervals are too narrow; small districts have intervals of "
            "roughly ±0.6-1 year.",
            "- The deprivation regression is ecological (councils, not people) and uses IMD 2019 scores against "
            f"current life expectancy; {len(merged)} councils merged since 2019 are excluded.",
            "- Survey-based risk factors (smoking, activity, obesity, wellbeing) have wide district intervals; QOF "
            "depression is recorded, not true, prevalence.",
            "- Where OHID publishes only its 95% comparison with England (no interval), the comparison stands in for "
            "the interval in the claim tests.",
        ]
    )
