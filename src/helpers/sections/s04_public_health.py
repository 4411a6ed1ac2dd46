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

from .. import areas, verdicts
from ..claims import claim_test
from ..datasets import load
from ..stats import compare_with_benchmark, try_fit_trend
from ..text import fmt, listing

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
def claim_le_county_higher(ctx, county: str = "E10000003") -> verdicts.Outcome:
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
def claim_le_named_lower(ctx, councils: list[str] | None = None) -> verdicts.Outcome:
    """JSNA claim: life expectancy is significantly lower than England's in the named councils (Peterborough and
    Fenland), males and females: one part per council and sex (verdicts.judge, below England, with the 95%
    interval), combined with verdicts.judge_parts; both periods with combine_periods."""
    councils = councils or ["E06000031", "E07000010"]
    return _judge_parts_by_area(ctx, {c: {s: "below" for s in SEXES} for c in councils})


@claim_test
def claim_le_cambridge_mixed(ctx, council: str = "E07000008") -> verdicts.Outcome:
    """JSNA claim: in Cambridge female life expectancy is similar to England's (verdicts.judge_similar: England
    inside the 95% interval) and male life expectancy significantly higher (verdicts.judge, above)."""
    return _judge_parts_by_area(ctx, {council: {"Female": "similar", "Male": "above"}})


@claim_test
def claim_health_outcomes_pattern(
    ctx,
    better: list[str] | None = None,
    not_better: list[str] | None = None,
    mixed: list[str] | None = None,
    county: str = "E10000003",
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
    better = better or [county, "E07000009", "E07000011", "E07000012"]
    not_better = not_better or ["E06000031", "E07000010"]
    mixed = mixed or ["E07000008"]
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


@claim_test
def pledge_prevention(ctx) -> verdicts.Outcome:
    """Pledge: improve health through prevention. Indicator: under-75 mortality from causes considered preventable
    (OHID 93721, per 100,000, persons), for a county the population-weighted mean of its districts, OLS trend
    since 2019; lower is better."""
    code, name = ctx.area.code, ctx.area.name
    local = [d.code for d in areas.local_areas(code)]
    pm = load(TDL, "mortality_rate")
    prefix = RISK_FACTORS["mortality_rate"][0]
    pm = pm[
        pm["area_code"].isin(local)
        & (pm["sex"] == "Persons")
        & (pm["category"].fillna("") == "")
        & pm["indicator"].str.startswith(prefix)
    ].dropna(subset=["value"])
    if pm.empty:
        raise verdicts.NoData(f"OHID publishes no preventable mortality rate for {name}")
    pop = population_by_code(load(AGE_BANDS))
    pm = pm.assign(w=pm["area_code"].map(pop).fillna(1.0))
    per = (
        pm.groupby(["period", "year"])
        .apply(lambda g: float(np.average(g["value"], weights=g["w"])), include_groups=False)
        .rename("value")
        .reset_index()
    )
    what = "preventable under-75 mortality rate" + (
        " (population-weighted mean of districts)" if len(local) > 1 else ""
    )
    return _pledge_trend(per, "value", polarity="lower_is_better", unit="per 100,000", what=what, name=name)


# --- spending pledges (RO3 revenue outturn, 2023-24 and 2024-25) ------------------------------------------


@claim_test
def pledge_scale_up_public_health(ctx) -> verdicts.Outcome:
    """Pledge: scale up public health. Indicator: the council's net current expenditure on public health (RO3 total,
    £ thousand, cash), 2023-24 against 2024-25; direction only. Partners' match funding is not in the outturn."""
    from .outturn_lines import ro3_change

    return ro3_change(
        ctx, ["public_health_total"], "net public health spending", note="partners' funding is not recorded"
    )


@claim_test
def pledge_mental_health_support(ctx) -> verdicts.Outcome:
    """Pledge: more funding for early intervention and support for residents with mental health issues. Indicator:
    net current expenditure on public mental health plus adult social care mental health support (ages 18-64 and
    65+), RO3 outturn, £ thousand, cash, 2023-24 against 2024-25; direction only."""
    from .outturn_lines import ro3_change

    return ro3_change(
        ctx,
        ["public_mental_health", "mental_health_support_18_64", "mental_health_support_65_plus"],
        "net spending on mental health (public health and social care)",
    )


@claim_test
def pledge_public_health_contracts(ctx) -> verdicts.Outcome:
    """Pledge: public health contracts benchmarked, fully funded and monitored. Proxy for funding only: public
    health running expenses (RO3 C2: contracts, supplies and payments to providers; contracts are not separated),
    £ thousand, cash, 2023-24 against 2024-25; direction only. Benchmarking and monitoring are not measured."""
    from .outturn_lines import ro3_change

    return ro3_change(
        ctx,
        ["public_health_total"],
        "public health running costs",
        measure="running",
        note="contracts are not separated",
    )


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
