"""Briefing 02 - adult social care (manifesto section 2): pure functions on frames.

* demand: age shares and growth of the 65+, 75+ and 85+ populations (:func:`age_profile`, :func:`age_growth`);
* the Covid-19 claim: care-home share of Covid-19 deaths with Wilson intervals and a comparison with England
  (:func:`care_home_share`), and the verdict rule (:func:`claim_verdict`);
* outcomes and spend: Oflog adult social care measures (:func:`asc_position`) and RSX spend per adult
  (:func:`spend_per_adult`).

Every function takes frames loaded with ``helpers.datasets.load`` and returns frames; the notebook stays thin.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import areas
from ..stats import proportion_table, significance_labels

#: The manifesto's claim (manifesto section 2): share of the county's Covid-19 deaths that were in care homes.
CLAIMED_CARE_HOME_SHARE = 0.42
#: The period the claim names: deaths "up to late January 2021" (we read it as 2020 to 31 January 2021).
CLAIM_PERIOD = (pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-31"))

#: Age groups of the demand question: label -> first age of the group.
AGE_GROUPS = {"65+": 65, "75+": 75, "85+": 85}

#: Oflog measure code -> (short label, unit, polarity for helpers.stats.compare_with_benchmark).
ASC_MEASURES = {
    "ASC1": ("Carer-reported quality of life (score 0-12)", "score", "higher_is_better"),
    "ASC2": ("Service users' social-care-related quality of life (index)", "index", "higher_is_better"),
    "ASC3": ("Service users who find it easy to find information (%)", "%", "higher_is_better"),
    "ASC4": ("Carers who find it easy to find information (%)", "%", "higher_is_better"),
    "ASC5": (
        "New clients with no further or lower-level support after short-term services (%)",
        "%",
        "higher_is_better",
    ),
    "ASC6": ("Requests for support resulting in a service (unit not stated by Oflog)", "", "no_judgement"),
    "ASC7": ("Adult social care workforce turnover (%)", "%", "lower_is_better"),
}

_LOWER_TIER = r"^E0[6789]\d{6}$"


# --- geography: put any lower-tier frame onto today's briefing areas ---------------------------------


def aggregate_to_areas(
    frame: pd.DataFrame, values: list[str], codes: list[str], by: list[str] = (), code_col: str = "area_code"
) -> pd.DataFrame:
    """Sum ``values`` onto the requested current areas (councils, counties, regions, England).

    A published row for the requested code is used when the frame has one (e.g. a county or England
    total). Otherwise lower-tier rows (E06/E07/E08/E09) are re-coded to today's councils with
    :func:`helpers.areas.harmonise_codes` (so 2019 districts add up to a 2023 unitary) and summed: a
    county from its districts, a region from its councils, England from all of them. Areas with no rows
    are left out. ``by`` are extra grouping columns (e.g. ``year``).
    """
    by = list(by)
    published = frame[frame[code_col].isin(codes)]
    lower = frame[frame[code_col].astype(str).str.match(_LOWER_TIER)].copy()
    lower[code_col] = areas.harmonise_codes(lower[code_col])
    table = areas.areas_table().set_index("code")
    lower["_region"] = lower[code_col].map(table["region"])
    lower["_parent"] = lower[code_col].map(table["parent"])
    pieces = [published[[code_col, *by, *values]]]
    have = set(published[code_col])
    for code in codes:
        if code in have:
            continue
        if code == areas.ENGLAND_CODE:
            members = lower
        elif code in table.index and table.loc[code, "kind"] == "region":
            members = lower[lower["_region"] == table.loc[code, "region"]]
        elif code in table.index and table.loc[code, "kind"] == "county":
            members = lower[lower["_parent"] == code]
        else:
            members = lower[lower[code_col] == code]
        if members.empty:
            continue
        summed = (
            members.groupby(by, dropna=False)[values].sum(min_count=1).reset_index()
            if by
            else members[values].sum(min_count=1).to_frame().T
        )
        summed[code_col] = code
        pieces.append(summed[[code_col, *by, *values]])
    out = pd.concat(pieces, ignore_index=True)
    names = areas.names()
    out.insert(1, "area_name", out[code_col].map(names).fillna(out[code_col]))
    order = {c: i for i, c in enumerate(codes)}
    return out.sort_values([code_col, *by], key=lambda s: s.map(order) if s.name == code_col else s).reset_index(
        drop=True
    )


# --- demand: the very old population ------------------------------------------------------------------


def band_start(band: str) -> int | None:
    """First age of a 5-year band label ('0_4', '05_09', '85_89', '90+'); None for the overlapping
    aggregates '00_59' and '60+' (and anything that is not a 5-year band)."""
    m = re.fullmatch(r"(\d+)_(\d+)", str(band))
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return lo if hi - lo == 4 else None
    return 90 if str(band) == "90+" else None


def age_profile(bands: pd.DataFrame, codes: list[str], year: int = 2020) -> pd.DataFrame:
    """Population, counts aged 65+, 75+, 85+ and their shares of all residents, per area, in ``year``.

    ``bands``: columns area_code, year, age_band, population (5-year bands plus aggregates, which are
    ignored). Shares are proportions (0-1). Columns: area_code, area_name, population, aged_65+,
    aged_75+, aged_85+, share_65+, share_75+, share_85+.
    """
    d = bands[bands["year"] == year].copy()
    d["start"] = d["age_band"].map(band_start)
    d = d.dropna(subset=["start"])
    wide = pd.DataFrame({"area_code": d["area_code"].unique()}).set_index("area_code")
    wide["population"] = d.groupby("area_code")["population"].sum()
    for label, start in AGE_GROUPS.items():
        wide[f"aged_{label}"] = d[d["start"] >= start].groupby("area_code")["population"].sum()
    wide = wide.fillna(0).reset_index()
    out = aggregate_to_areas(wide, ["population", *[f"aged_{g}" for g in AGE_GROUPS]], codes)
    for label in AGE_GROUPS:
        out[f"share_{label}"] = out[f"aged_{label}"] / out["population"]
    return out


def age_growth(bands: pd.DataFrame, codes: list[str], start: int = 2019, end: int = 2020) -> pd.DataFrame:
    """Growth of each age group between two years, in % of the start year's count, per area.

    Columns: area_code, area_name, group ('all ages', '65+', '75+', '85+'), start, end, change, growth_pct.
    """
    a = age_profile(bands, codes, start).set_index("area_code")
    b = age_profile(bands, codes, end).set_index("area_code")
    rows = []
    for group, col in [("all ages", "population"), *[(g, f"aged_{g}") for g in AGE_GROUPS]]:
        for code in [c for c in codes if c in a.index and c in b.index]:
            s, e = float(a.loc[code, col]), float(b.loc[code, col])
            rows.append(
                {
                    "area_code": code,
                    "area_name": b.loc[code, "area_name"],
                    "group": group,
                    "start": s,
                    "end": e,
                    "change": e - s,
                    "growth_pct": 100 * (e - s) / s if s > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def population_series(totals: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Total population by year for the requested areas from the 3-letter-coded totals (2005-2020).

    Councils are mapped to GSS codes with :func:`helpers.areas.gss_for_la_codes`; county rows are used
    as published, England and regions are summed from the lower/single-tier councils.
    """
    t = totals.copy()
    t["area_code"] = areas.gss_for_la_codes(t["la_code"])
    t = t.dropna(subset=["area_code"])
    t = t[~t["area_code"].str.startswith("E10") | t["area_code"].isin(codes)]  # no double counting
    return aggregate_to_areas(t[["area_code", "year", "population"]], ["population"], codes, by=["year"])


# --- the Covid-19 claim -----------------------------------------------------------------------------------


def care_home_share(
    counts: pd.DataFrame,
    numerator: str = "care_home",
    denominator: str = "all_places",
    benchmark_code: str = areas.ENGLAND_CODE,
) -> pd.DataFrame:
    """Share of deaths in ``numerator`` out of ``denominator`` per area, with Wilson 95% and 99.8% limits
    and Fingertips labels against the benchmark area's share (polarity "no_judgement": higher/similar/lower).

    ``counts``: one row per area (area_code, area_name, numerator and denominator columns). Shares are
    proportions (0-1). Areas with no deaths, or more numerator than denominator deaths (mixed editions),
    get missing limits and "not compared".
    """
    d = counts.copy()
    ok = (d[denominator] > 0) & (d[numerator] <= d[denominator])
    valid = proportion_table(d[ok], numerator, denominator, multiplier=1)
    out = d.join(valid[["value", "lower_95", "upper_95", "lower_998", "upper_998"]]).rename(columns={"value": "share"})
    bench = out.loc[out["area_code"] == benchmark_code, "share"]
    benchmark = float(bench.iloc[0]) if len(bench) else np.nan
    return significance_labels(out, benchmark, polarity="no_judgement")


def deaths_by_place_totals(
    weekly: pd.DataFrame, codes: list[str], cause: str = "covid", weeks: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Deaths by place summed over weeks (all weeks, or ``weeks`` = (first, last) inclusive) per area."""
    d = weekly[weekly["cause"] == cause]
    if weeks is not None:
        d = d[d["week"].between(*weeks)]
    places = ["care_home", "hospital", "home", "hospice", "elsewhere", "all_places"]
    summed = d.groupby("area_code", as_index=False)[places].sum()
    return aggregate_to_areas(summed, places, codes)


def period_coverage(data_start, data_end, claim_start=CLAIM_PERIOD[0], claim_end=CLAIM_PERIOD[1]) -> str:
    """'full' if the data period covers the claim's period, 'none' if they do not overlap, else 'partial'."""
    data_start, data_end = pd.Timestamp(data_start), pd.Timestamp(data_end)
    if data_start <= claim_start and data_end >= claim_end:
        return "full"
    if data_end < claim_start or data_start > claim_end:
        return "none"
    return "partial"


#: The verdict rule, in words, for the notebook and the caveats.
VERDICT_RULE = (
    "Claim verdict rule: if the data cover the whole period the claim names, the claim is 'supported' when "
    "the claimed share lies inside the 95% confidence interval of the observed share, 'partly supported' "
    "when it lies outside the 95% but inside the 99.8% interval, and 'not supported' when it lies outside "
    "the 99.8% interval. If the data cover only part of the named period, the best possible verdict is "
    "'partly supported' (claimed share inside the 95% interval for the covered part); outside it the claim "
    "is 'not supported' by the available data for the covered part, and the uncovered part stays untested. "
    "With no data for the period or area the claim 'cannot be tested with public data'. Where the wording admits "
    "a second reading (deaths of care-home residents wherever they died, rather than deaths that happened in care "
    "homes), that reading is tested by the same rule; if it does better than the literal reading, the verdict is "
    "'partly supported' at most, never 'supported'."
)

#: Verdicts from best to worst (for combining readings).
VERDICT_ORDER = ("supported", "partly supported", "not supported", "cannot be tested with public data")


def claim_verdict(
    claimed: float, lower_95: float, upper_95: float, lower_998: float, upper_998: float, coverage: str
) -> str:
    """Verdict for a claimed share against an observed share's intervals; see :data:`VERDICT_RULE`.

    ``coverage`` is 'full', 'partial' or 'none' (from :func:`period_coverage`).
    """
    if coverage not in ("full", "partial", "none"):
        raise ValueError(f"coverage must be 'full', 'partial' or 'none', not {coverage!r}")
    limits = [lower_95, upper_95, lower_998, upper_998]
    if coverage == "none" or any(v is None or (isinstance(v, float) and np.isnan(v)) for v in limits):
        return "cannot be tested with public data"
    in_95 = lower_95 <= claimed <= upper_95
    in_998 = lower_998 <= claimed <= upper_998
    if coverage == "full":
        return "supported" if in_95 else "partly supported" if in_998 else "not supported"
    return "partly supported" if in_95 else "not supported"


def combine_readings(literal: str, alternatives: list[str] = ()) -> str:
    """Verdict of a claim tested on its literal reading and on alternative readings; see :data:`VERDICT_RULE`.

    The literal verdict stands unless an alternative reading does better, in which case the verdict is
    that alternative's, capped at 'partly supported'. 'cannot be tested' alternatives are ignored.
    """
    for v in (literal, *alternatives):
        if v not in VERDICT_ORDER:
            raise ValueError(f"unknown verdict {v!r}: one of {VERDICT_ORDER}")
    usable = [v for v in alternatives if v != "cannot be tested with public data"]
    if not usable:
        return literal
    best_alt = min(usable, key=VERDICT_ORDER.index)
    if literal == "cannot be tested with public data" or VERDICT_ORDER.index(best_alt) < VERDICT_ORDER.index(literal):
        return max(best_alt, "partly supported", key=VERDICT_ORDER.index)
    return literal


# --- outcomes and spend -----------------------------------------------------------------------------------


def asc_position(measures: pd.DataFrame, code: str, similar: list[str]) -> pd.DataFrame:
    """Latest value of each Oflog measure for the area, the median of its similar councils and of all
    councils, the area's rank among all councils (1 = best by the measure's polarity) and the change
    since the measure's first year.

    Columns: code, measure, unit, polarity, period, value, similar_median, all_median, rank, of, first_period,
    first_value.
    """
    rows = []
    for mcode, (label, unit, polarity) in ASC_MEASURES.items():
        m = measures[(measures["code"] == mcode) & measures["value"].notna()]
        mine = m[m["area_code"] == code].sort_values("year")
        if mine.empty:
            continue
        last = mine.iloc[-1]
        same_year = m[m["year"] == last["year"]]
        sim = same_year[same_year["area_code"].isin(similar)]["value"]
        if polarity == "no_judgement":
            rank = np.nan
        else:
            ascending = polarity == "lower_is_better"
            rank = float(
                same_year["value"].rank(ascending=ascending, method="min")[same_year["area_code"] == code].iloc[0]
            )
        rows.append(
            {
                "code": mcode,
                "measure": label,
                "unit": unit,
                "polarity": polarity,
                "period": last["period"],
                "year": int(last["year"]),
                "value": float(last["value"]),
                "similar_median": float(sim.median()) if len(sim) else np.nan,
                "all_median": float(same_year["value"].median()),
                "rank": rank,
                "of": len(same_year),
                "first_period": mine.iloc[0]["period"],
                "first_value": float(mine.iloc[0]["value"]),
                "n_years": len(mine),
            }
        )
    return pd.DataFrame(rows)


def adults_18_plus(bands: pd.DataFrame, codes: list[str], year: int = 2020) -> pd.Series:
    """Residents aged 18 and over per area (index area_code): all 5-year bands from 20-24 up, plus two
    fifths of the 15-19 band (ages 18 and 19, assuming an even spread within the band)."""
    d = bands[bands["year"] == year].copy()
    d["start"] = d["age_band"].map(band_start)
    d = d.dropna(subset=["start"])
    weight = np.where(d["start"] >= 20, 1.0, np.where(d["start"] == 15, 0.4, 0.0))
    d["adults"] = d["population"] * weight
    summed = d.groupby("area_code", as_index=False)["adults"].sum()
    return aggregate_to_areas(summed, ["adults"], codes).set_index("area_code")["adults"]


def spend_per_adult(rsx: pd.DataFrame, adults: pd.Series) -> pd.DataFrame:
    """Adult social care net current expenditure per resident aged 18+ (£ per adult, nominal), for the
    rows of ``rsx`` (£ thousand) whose area has an adult population in ``adults``."""
    d = rsx[rsx["area_code"].isin(adults.index)].copy()
    d["adults"] = d["area_code"].map(adults)
    d["net_per_adult"] = d["asc_net_current_expenditure"] * 1000 / d["adults"]
    d["gross_per_adult"] = d["asc_total_expenditure"] * 1000 / d["adults"]
    d["asc_share_of_service_spend"] = d["asc_net_current_expenditure"] / d["total_net_current_expenditure"]
    return d
