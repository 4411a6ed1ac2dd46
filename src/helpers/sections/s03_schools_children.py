"""Briefing 03 - schools, children and young people: the section's analysis functions.

Pure functions on frames (code look-ups, rankings, gaps to a benchmark, district spreads, interval
tables, direction of travel and the verdict rules), called by ``notebooks/03_schools_children.ipynb``
and tested in ``tests/test_s03_schools_children.py``. Interval, comparison and trend maths come from
:mod:`helpers.stats`.

Verdict rule for "the county's schools are among the lowest funded" (manifesto §3)
--------------------------------------------------------------------------------
Authorities are ranked by real-terms grant funding per pupil (NEU, 2022-23 prices), rank 1 = lowest funded,
among every education authority in the file. With ``share = rank / n``:

* **supported** - in the latest year (2020-21) the area is in the lowest-funded fifth (share <= 0.2);
* **partly supported** - in the latest year it is in the lowest-funded two fifths (share <= 0.4), or it was
  in the lowest fifth in the earlier year (2015-16) only;
* **not supported** - otherwise;
* **cannot be tested with public data** - the area has no row (e.g. a council created after 2020-21).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats import compare_with_benchmark, proportion_table, rate_table, significance_labels
from ..stats.compare import direction_of_travel  # noqa: F401  (re-exported for notebooks)

ENGLAND = "E92000001"
NEU = "school_funding_per_pupil_neu_2015_16_2020_21"
CLA = "children_looked_after_la_2019_2025"
NEET = "neet_participation_16_17_la_2021_2025"
LAIT = "dfe_lait_la_indicators_2016_2025"
ELS = "ons_explore_local_statistics"

#: Share of authorities counted as "the lowest funded" (the lowest fifth) and as "below average-ish".
LOWEST_SHARE = 0.2
LOWER_SHARE = 0.4

#: ONS Explore Local Statistics tables on school outcomes: table -> (short label, polarity).
OUTCOME_TABLES = {
    "early-years": ("Early years: expected level (by area of learning)", "higher_is_better"),
    "pupils-at-expected-standards-by-end-of-primary-school": (
        "End of primary: expected standard in RWM",
        "higher_is_better",
    ),
    "gcses-in-english-and-maths": ("GCSE English and maths by age 19", "higher_is_better"),
    "persistent-absences-for-all-pupils": ("Persistent absence: all pupils", "lower_is_better"),
    "persistent-absences-for-pupils-eligible-for-free-school-meals": (
        "Persistent absence: FSM pupils",
        "lower_is_better",
    ),
    "persistent-absences-for-pupils-looked-after-by-local-authorities": (
        "Persistent absence: looked-after pupils",
        "lower_is_better",
    ),
}

#: LAIT gap pairs: label -> (disadvantaged measure, other pupils measure).
LAIT_GAPS = {
    "Good level of development at age 5 (FSM vs non-FSM)": ("FSP_Gooddev_FSM", "FSP_Gooddev_FSM_Other"),
    "KS2 reading, writing and maths (disadvantaged vs others)": ("DAP_NEW_KS2_RWM", "NonDAP_NEW_KS2_RWM"),
    "KS4 Attainment 8 score (disadvantaged vs others)": ("DAP_KS4_ATT8", "NonDAP_KS4_ATT8"),
}

#: GSS codes of the councils ranked against each other: counties and single-tier councils.
COUNCIL_CODES = r"^E(06|08|09|10)\d{6}$"

#: LAIT region and England names -> GSS codes (LAIT writes 'Yorkshire and the Humber').
LAIT_AREA_NAMES = {
    "England": ENGLAND,
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and the Humber": "E12000003",
    "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
}


# --- codes ------------------------------------------------------------------------------------------


def la_number_lookup(lookup: pd.DataFrame) -> dict[int, str]:
    """DfE 3-digit LA number -> GSS code, taking the latest code where an authority was re-coded
    (e.g. North Yorkshire 815: E10000023 until 2020, E06000065 from 2023)."""
    latest = lookup.sort_values("last_year", ascending=False).drop_duplicates("la_number")
    return dict(zip(latest["la_number"].astype(int), latest["area_code"]))


def add_gss_codes(
    frame: pd.DataFrame, lookup: pd.DataFrame, number_col: str = "la_number", name_col: str = "area_name"
) -> pd.DataFrame:
    """Add ``area_code`` to a frame keyed by DfE LA number; England and regions are matched by name.
    Rows matched by neither (e.g. Inner/Outer London) get a missing code."""
    codes = la_number_lookup(lookup)
    out = frame.copy()
    by_number = pd.to_numeric(out[number_col], errors="coerce").map(
        lambda n: codes.get(int(n)) if pd.notna(n) else None
    )
    by_name = out[name_col].map(LAIT_AREA_NAMES)
    out["area_code"] = by_name.where(by_name.notna(), by_number)
    return out


# --- rankings and gaps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """Position of one area among ``n`` (rank 1 = lowest value)."""

    rank: int | None
    n: int
    value: float | None

    @property
    def share(self) -> float | None:
        """rank / n: 0.2 or less means the lowest fifth."""
        return None if self.rank is None or self.n == 0 else self.rank / self.n

    @property
    def from_top(self) -> int | None:
        """Rank counted from the highest value (1 = highest)."""
        return None if self.rank is None else self.n - self.rank + 1


def rank_lowest(frame: pd.DataFrame, code: str, value: str, key: str = "area_code") -> Rank:
    """Rank of ``code`` among all rows with a value (1 = lowest; ties share the lowest rank)."""
    data = frame.dropna(subset=[value])
    n = int(len(data))
    if code not in set(data[key]):
        return Rank(None, n, None)
    ranks = data[value].rank(method="min", ascending=True)
    row = data[key].eq(code).to_numpy()
    return Rank(int(ranks[row].iloc[0]), n, float(data.loc[row, value].iloc[0]))


def weighted_benchmark(frame: pd.DataFrame, total: str, count: str) -> float:
    """Sum of ``total`` over sum of ``count`` (e.g. England funding per pupil from every authority)."""
    data = frame.dropna(subset=[total, count])
    return float(data[total].sum() / data[count].sum()) if data[count].sum() > 0 else math.nan


def funding_verdict(latest: Rank, earlier: Rank | None = None) -> tuple[str, str]:
    """Verdict on "among the lowest funded" from the area's ranks (see the module docstring).

    Returns (verdict, one-sentence reason).
    """
    if latest.rank is None:
        return "cannot be tested with public data", "the area has no row in the school funding table"
    where = f"ranked {latest.rank} of {latest.n} from the lowest-funded"
    if latest.share <= LOWEST_SHARE:
        return "supported", f"{where}, within the lowest-funded fifth"
    if latest.share <= LOWER_SHARE:
        return "partly supported", f"{where}: in the lowest two fifths but not the lowest fifth"
    if earlier is not None and earlier.rank is not None and earlier.share <= LOWEST_SHARE:
        return "partly supported", (
            f"{where}; it had been in the lowest-funded fifth in the earlier year (rank {earlier.rank} of {earlier.n})"
        )
    return "not supported", f"{where}, outside the lowest-funded two fifths"


def gap_to_benchmark(
    frame: pd.DataFrame,
    code: str,
    benchmark: str = ENGLAND,
    value: str = "value",
    by: tuple[str, ...] = ("indicator", "year"),
) -> pd.DataFrame:
    """Area value, benchmark value and the gap (area minus benchmark) for each ``by`` group."""
    by = list(by)
    area = frame[frame["area_code"] == code][by + [value]].rename(columns={value: "area"})
    bench = frame[frame["area_code"] == benchmark][by + [value]].rename(columns={value: "benchmark"})
    out = area.merge(bench, on=by, how="left")
    out["gap"] = out["area"] - out["benchmark"]
    return out.reset_index(drop=True)


def district_spread(frame: pd.DataFrame, codes: list[str], value: str = "value", name: str = "area_name") -> dict:
    """Highest and lowest of the given areas: names, values and the range (max - min).

    Returns an empty dict when fewer than two of the areas have a value.
    """
    data = frame[frame["area_code"].isin(codes)].dropna(subset=[value])
    if len(data) < 2:
        return {}
    hi = data.loc[data[value].idxmax()]
    lo = data.loc[data[value].idxmin()]
    return {
        "max_name": hi[name],
        "max": float(hi[value]),
        "min_name": lo[name],
        "min": float(lo[value]),
        "range": float(hi[value] - lo[value]),
        "n": int(len(data)),
    }


def disadvantage_gaps(lait: pd.DataFrame, codes: list[str], year: int | None = None) -> pd.DataFrame:
    """For each LAIT gap pair (:data:`LAIT_GAPS`), the disadvantaged and other pupils' values and the gap
    (others minus disadvantaged) for each area code, in the latest year both are published (or ``year``)."""
    rows = []
    for label, (dis, other) in LAIT_GAPS.items():
        pair = lait[lait["measure"].isin([dis, other]) & lait["area_code"].isin(codes)]
        wide = pair.pivot_table(index=["area_code", "year"], columns="measure", values="value").dropna()
        if wide.empty or dis not in wide or other not in wide:
            continue
        wide = wide.reset_index()
        pick = year if year is not None else int(wide["year"].max())
        for _, r in wide[wide["year"] == pick].iterrows():
            rows.append(
                {
                    "measure": label,
                    "area_code": r["area_code"],
                    "year": pick,
                    "disadvantaged": r[dis],
                    "others": r[other],
                    "gap": r[other] - r[dis],
                }
            )
    return pd.DataFrame(rows, columns=["measure", "area_code", "year", "disadvantaged", "others", "gap"])


# --- intervals --------------------------------------------------------------------------------------


def cla_rate_table(
    cla: pd.DataFrame, codes: list[str], year: int, indicator: str = "Children looked after on 31 March"
) -> pd.DataFrame:
    """Looked-after rate per 10,000 with Byar's 95%/99.8% limits for the given areas and year, labelled
    higher/similar/lower than England (no judgement: a higher rate is not in itself better or worse)."""
    data = cla[(cla["indicator"] == indicator) & (cla["year"] == year)]
    data = data.dropna(subset=["numerator", "denominator"])
    data = data[data["denominator"] > 0]
    table = rate_table(data, "numerator", "denominator", multiplier=10000)
    england = table.loc[table["area_code"] == ENGLAND]
    bench = float(england["numerator"].iloc[0] / england["denominator"].iloc[0] * 10000) if len(england) else np.nan
    table = significance_labels(table, bench, polarity="no_judgement")
    keep = table[table["area_code"].isin(codes)].copy()
    keep["england_rate"] = bench
    return keep


def neet_table(neet: pd.DataFrame, codes: list[str], year: int, column: str = "neet_or_not_known_pct") -> pd.DataFrame:
    """NEET (or NEET/not known) share of the 16-17 cohort with Wilson 95%/99.8% limits, labelled against
    England (lower is better). Counts are reconstructed as round(percent x cohort / 100): the published
    percentages are rounded to one decimal, so the interval is approximate."""
    data = neet[(neet["year"] == year)].dropna(subset=[column, "cohort"]).copy()
    data = data[data["cohort"] > 0]
    data["count"] = (data[column] * data["cohort"] / 100).round()
    table = proportion_table(data, "count", "cohort", multiplier=100)
    england = table[table["area_code"] == ENGLAND]
    bench = float(england["value"].iloc[0]) if len(england) else np.nan
    table = significance_labels(table, bench, polarity="lower_is_better")
    keep = table[table["area_code"].isin(codes)].copy()
    keep["england_value"] = bench
    return keep


def label_against(value_lower, value_upper, benchmark, polarity: str) -> str:
    """Thin wrapper on :func:`helpers.stats.compare_with_benchmark` for one interval."""
    return str(compare_with_benchmark(value_lower, value_upper, benchmark, polarity))


# --- direction of travel and pledge status -----------------------------------------------------------

# direction_of_travel lives in helpers.stats.compare (shared by every section)


def pledge_status(direction: str) -> str:
    """Map a direction of travel to a pledge-tracker status."""
    return {"improving": "on track", "worsening": "off track", "no change": "uncertain"}.get(direction, "uncertain")


def latest_pair(series: pd.DataFrame, value: str = "value", year: str = "year") -> tuple:
    """(first year, first value, last year, last value) of a series with values, or Nones."""
    data = series.dropna(subset=[value]).sort_values(year)
    if data.empty:
        return None, None, None, None
    return (int(data[year].iloc[0]), float(data[value].iloc[0]), int(data[year].iloc[-1]), float(data[value].iloc[-1]))


def spend_pledge_status(change: float, pledged: float) -> str:
    """Status of a pledge to add ``pledged`` (£) to a budget, from the change in published spending.

    A fall is "off track". A rise of at least the pledged sum is only "uncertain": published spending is
    cash, demand-led and cannot be attributed to the pledge. A smaller rise is also "uncertain".
    """
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "no public indicator"
    return "off track" if change < 0 else "uncertain"


#: LAIT measures added to the outcomes table (upper-tier councils only): measure -> (label, polarity).
LAIT_OUTCOMES = {
    "FSP_NEW_GOODDEV": ("Good level of development at age 5 (LAIT)", "higher_is_better"),
    "EngMaths9-4": ("GCSE English and maths grade 4+ at age 16 (LAIT)", "higher_is_better"),
}


def academic_label(start_year: int) -> str:
    """``2024`` -> ``'2024/25'`` (an academic or financial year from its first calendar year)."""
    return f"{int(start_year)}/{(int(start_year) + 1) % 100:02d}"


def overdispersion(trend) -> float:
    """Pearson chi-square / residual df of a fitted Poisson trend (> 1.5: intervals are too narrow)."""
    res = trend.results
    return float(res.pearson_chi2 / res.df_resid) if getattr(res, "df_resid", 0) else math.nan


def outcome_row(
    frame: pd.DataFrame,
    code: str,
    *,
    label: str,
    polarity: str,
    period: str,
    england: str,
    region: str,
    similar: list[str],
    districts: list[str],
    upper_tier: pd.Series,
) -> dict:
    """One row of the outcomes table for one indicator and year: the area, England, region, similar councils'
    mean, gap to England, rank among upper-tier councils (1 = best by ``polarity``) and the district range.

    ``frame`` holds one indicator and one year (``area_code``, ``area_name``, ``value``); ``upper_tier`` is a
    boolean mask over ``frame`` selecting the councils to rank among.
    """
    val = lambda c: frame.loc[frame["area_code"] == c, "value"].mean()  # noqa: E731
    r = rank_lowest(frame[upper_tier], code, "value")
    best = (r.from_top if polarity == "higher_is_better" else r.rank) if r.rank else None
    spread = district_spread(frame, districts) if districts else {}
    gap = val(code) - val(england)
    if pd.isna(gap):
        comparison = "not compared"
    elif abs(gap) < 0.05:
        comparison = "same as England"
    else:
        better = gap > 0 if polarity == "higher_is_better" else gap < 0
        comparison = "better than England" if better else "worse than England"
    return {
        "Indicator": label,
        "Year": period,
        "polarity": polarity,
        "Area": val(code),
        "England": val(england),
        "Region": val(region),
        "Similar councils (mean)": frame.loc[frame["area_code"].isin(similar), "value"].mean(),
        "Gap to England": gap,
        "comparison": comparison,
        "Rank (1 = best)": best,
        "of": r.n,
        "Districts: lowest": spread.get("min"),
        "Districts: highest": spread.get("max"),
        "low_name": spread.get("min_name"),
        "high_name": spread.get("max_name"),
    }
