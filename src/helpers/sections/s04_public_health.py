"""Briefing 04 - public health, wellbeing and health inequality: the section's analysis functions.

Pure functions on frames (selections, significance tables, the deprivation regression, the district gap,
and the verdict rules of the claim check), called by ``notebooks/04_public_health.ipynb`` and tested in
``tests/test_s04_public_health.py``. Interval and comparison maths come from :mod:`helpers.stats`; the one
exception is :func:`rescale_interval`, which turns a published symmetric 95% interval into the 99.8% one
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

from ..stats import compare_with_benchmark

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


# --- claim verdict rules ----------------------------------------------------------------------------


def claim_verdict(observed: Mapping[str, str], expected) -> str:
    """Verdict on a claim that each of several (area, sex) items has a given comparison label.

    ``observed`` maps an item (e.g. "Fenland, male") to its label ("better"/"similar"/"worse"/...,
    "not compared" or missing when there is no estimate). ``expected`` is the label the claim states, a
    set of acceptable labels (e.g. {"worse", "similar"}), or a mapping item -> label or set of labels
    when the claim says different things about different items.

    Rule: items without an estimate are ignored; none left -> "cannot be tested with public data";
    every item matches -> "supported"; at least one matches -> "partly supported"; none ->
    "not supported".
    """

    def allowed(item):
        e = expected.get(item) if isinstance(expected, Mapping) else expected
        return {e} if isinstance(e, str) else set(e or ())

    tested = {
        k: v
        for k, v in observed.items()
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and v != "not compared"
    }
    if not tested:
        return "cannot be tested with public data"
    hits = sum(v in allowed(k) for k, v in tested.items())
    if hits == len(tested):
        return "supported"
    return "partly supported" if hits else "not supported"


def pledge_status(lower: float, upper: float, good: str = "down") -> str:
    """Status of a pledge with no numeric target from the confidence interval of its indicator's trend
    slope since the baseline: interval wholly in the good direction -> "on track", wholly in the bad
    direction -> "off track", otherwise (or missing) -> "uncertain"."""
    if lower is None or upper is None or not (np.isfinite(lower) and np.isfinite(upper)):
        return "uncertain"
    sign = -1 if good == "down" else 1
    lo, hi = sorted((sign * lower, sign * upper))
    if lo > 0:
        return "on track"
    if hi < 0:
        return "off track"
    return "uncertain"


def outcome_tendency(n_better: int, n_similar: int, n_worse: int) -> str:
    """Summarise a council's Fingertips comparisons with England across several indicators.

    "better" when more than half are significantly better; "worse or similar" when at most a quarter
    are better; otherwise "mixed". No comparisons -> "not compared".
    """
    total = n_better + n_similar + n_worse
    if total == 0:
        return "not compared"
    if n_better * 2 > total:
        return "better"
    if n_better * 4 <= total:
        return "worse or similar"
    return "mixed"


def indirect_county_verdict(
    districts: pd.DataFrame, england_value: float, expected: str = "better"
) -> tuple[str, float, float]:
    """Test a claim about a whole county when only its districts have estimates.

    ``districts`` has ``value``, ``population`` and ``label`` (significance vs England). Returns
    (verdict, population-weighted mean of district values, share of population in districts whose label is
    ``expected``). Rule, for ``expected="better"``: weighted mean above England and districts holding more
    than half of the population significantly better -> "supported"; weighted mean above England otherwise
    -> "partly supported"; else "not supported" (mirror image for "worse"). No districts ->
    "cannot be tested with public data".
    """
    d = districts.dropna(subset=["value", "population"])
    if d.empty or not np.isfinite(england_value):
        return "cannot be tested with public data", float("nan"), float("nan")
    weighted = float(np.average(d["value"], weights=d["population"]))
    share = float(d.loc[d["label"] == expected, "population"].sum() / d["population"].sum())
    right_side = weighted > england_value if expected == "better" else weighted < england_value
    if right_side and share > 0.5:
        return "supported", weighted, share
    return ("partly supported" if right_side else "not supported"), weighted, share


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
    """Count better/similar/worse flags per council (risk factors plus, optionally, life expectancy
    flags with columns area_code, flag) and apply :func:`outcome_tendency`. Flags without a judgement
    (higher/lower) are left out."""
    parts = [rows[["area_code", "flag"]]]
    if le_flags is not None:
        parts.append(le_flags[["area_code", "flag"]])
    flags = pd.concat(parts, ignore_index=True)
    flags = flags[flags["area_code"] != ENGLAND]
    counts = pd.crosstab(flags["area_code"], flags["flag"]).reindex(
        columns=["better", "similar", "worse"], fill_value=0
    )
    counts["tendency"] = [
        outcome_tendency(*row) for row in counts[["better", "similar", "worse"]].itertuples(index=False)
    ]
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
    for ax, key in zip(axes[0], panels):
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


def combine_verdicts(verdicts: Iterable[str]) -> str:
    """One verdict from several (e.g. male and female): verdicts that cannot be tested are ignored; all
    the same -> that verdict; otherwise "partly supported"."""
    tested = [v for v in verdicts if v != "cannot be tested with public data"]
    if not tested:
        return "cannot be tested with public data"
    return tested[0] if len(set(tested)) == 1 else "partly supported"


def sex_from_indicator(indicator: pd.Series) -> pd.Series:
    """'Male healthy life expectancy' -> 'Male'."""
    return indicator.str.split(" ").str[0].str.capitalize()


def versus(label: str, benchmark: str = "England") -> str:
    """'better' -> 'better than England'; 'similar' -> 'similar to England'; 'not compared' -> 'not compared with England'."""
    if label == "similar":
        return f"similar to {benchmark}"
    if label == "not compared":
        return f"not compared with {benchmark}"
    return f"{label} than {benchmark}"


def verdict_summary(claims: pd.DataFrame, column: str = "verdict") -> str:
    """'2 supported, 1 partly supported' style count of a claims frame's verdict column."""
    counts = claims[column].value_counts()
    return ", ".join(f"{n} {v}" for v, n in counts.items())
