"""Briefing 02 - adult social care (manifesto section 2): the section's frames and panels.

* demand: age shares and growth of the 65+, 75+ and 85+ populations (:func:`age_profile`, :func:`age_growth`);
* Covid-19 and care homes: care-home share of Covid-19 deaths with Wilson intervals and a comparison with England
  (:func:`care_home_share`, :func:`covid_shares`);
* outcomes and spend: Oflog adult social care measures (:func:`asc_position`) and RSX spend per adult
  (:func:`spend_per_adult`).

The panels at the end (:func:`demand`, :func:`population_trend`, :func:`covid_care_homes`, :func:`care_home_deaths`,
:func:`outcomes`, :func:`spending`, :func:`precept`) each answer one question of the notebook as a
:class:`helpers.panels.Panel`: prose, chart and table from one frame. The register's claims are checked by claim
kinds; the one hand-written tracker it names (:func:`pledge_use_asc_precept`) returns a
:class:`helpers.verdicts.Outcome`, or raises :class:`helpers.verdicts.NoData` when the council has no usable data.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import areas, registry, verdicts
from ..claims import claim_test
from ..datasets import load
from ..stats import proportion_table, significance_labels, try_fit_trend
from ..text import fmt, fmt_interval, fmt_share, fy

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
    columns = ["area_code", "area_name", "group", "start", "end", "change", "growth_pct"]
    return pd.DataFrame(rows, columns=columns)


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


# --- the claims register: claim tests and pledge trackers (manifesto §2) ----------------------------------
#
# Each function is named in manifestos/<id>/02_adult_social_care.yaml, takes the run's context (ctx.area, the
# manifesto and its year) and returns a verdicts.Outcome; the verdict or status always comes from helpers.verdicts.

COVID_BY_PLACE = "covid_deaths_by_place_of_death_la_2020_2021"
CARE_SECTOR = "covid_care_sector_deaths_la_2020"
CARE_HOME_DEATHS = "care_home_deaths_la_2010_2023"
ASC_OUTCOMES = "asc_outcomes_oflog_la_2015_2023"
COUNCIL_TAX = "council_tax_requirement_band_d_asc_la_2014_15_to_2023_24"
AGE_BANDS = "population_age_bands_la_mid2019_mid2020"
RSX = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"


def _money(pounds: float) -> str:
    """£ amounts for prose: millions to 1 dp, smaller sums in thousands."""
    return f"£{pounds / 1e6:,.1f} million" if abs(pounds) >= 1e6 else f"£{pounds / 1e3:,.0f} thousand"


def _share_row(counts: pd.DataFrame, code: str, numerator: str, denominator: str) -> pd.Series | None:
    shares = care_home_share(counts, numerator=numerator, denominator=denominator)
    row = shares[shares["area_code"] == code]
    if row.empty or pd.isna(row["share"].iloc[0]):
        return None
    return row.iloc[0]


def covid_shares(code: str) -> dict:
    """The care-home share of a council's Covid-19 deaths, 2020 weeks 1-36 (deaths that occurred in care homes),
    and the second reading (deaths of care-home residents wherever they died, first wave, weeks ending 6 March
    to 12 June 2020, against all Covid-19 deaths of residents in the same weeks), with Wilson 95% intervals.

    Returns ``{"place": row or None, "residents": row or None, "start", "end", "res_first", "res_last"}``;
    rows carry care_home/all_places (or resident_deaths), share, lower_95, upper_95 (proportions 0-1).
    """
    weekly = load(COVID_BY_PLACE, "weekly_by_place")
    place = _share_row(
        deaths_by_place_totals(weekly, [code, areas.ENGLAND_CODE], "covid"), code, "care_home", "all_places"
    )
    residents = load(CARE_SECTOR, "residents_weekly")
    res = residents[residents["cause"] == "covid"]
    first, last = res["week_ending"].min(), res["week_ending"].max()
    res_totals = aggregate_to_areas(res.groupby("area_code", as_index=False)["deaths"].sum(), ["deaths"], [code])
    weeks = weekly[(weekly["week_ending"] >= first) & (weekly["week_ending"] <= last)]["week"]
    same = deaths_by_place_totals(weekly, [code], "covid", (int(weeks.min()), int(weeks.max())))
    both = same.merge(res_totals[["area_code", "deaths"]].rename(columns={"deaths": "resident_deaths"}), on="area_code")
    resident = _share_row(both, code, "resident_deaths", "all_places") if len(both) else None
    return {
        "place": place,
        "residents": resident,
        "start": weekly["week_ending"].min() - pd.Timedelta(days=6),
        "end": weekly["week_ending"].max(),
        "res_first": first,
        "res_last": last,
    }


def _asc_precept() -> pd.DataFrame:
    return load(COUNCIL_TAX, "asc_precept")


@claim_test
def pledge_use_asc_precept(ctx) -> verdicts.Outcome:
    """Pledge: use the adult social care precept while it exists. Indicator: the council's ASC precept each year
    set after the manifesto (DLUHC CTR returns: the element added to Band D, £, and its percentage), and the
    cumulative ASC element on Band D since 2016-17; two points without an interval give direction only."""
    code, name = ctx.area.code, ctx.area.name
    a = _asc_precept()
    mine = a[a["area_code"] == code].set_index("year").sort_index()
    base_year = ctx.manifesto_year  # 2021-22 was set in February-March 2021, before the May 2021 manifesto
    after = mine[mine.index > base_year]
    if after.empty or base_year not in mine.index:
        raise verdicts.NoData(
            f"the DLUHC council tax returns have no ASC precept for {name} in {fy(base_year)} and after "
            "(a council created since, or no return)"
        )
    cumulative = mine["asc_element"].cumsum()
    years = ", ".join(
        f"{r.financial_year} {fmt(r.asc_percent, '%')} (£{r.asc_element:,.2f} on Band D, {_money(r.asc_precept_total)})"
        for r in after.itertuples()
    )
    last = after.index[-1]
    evidence = (
        f"{name} set an ASC precept in each year since the manifesto: {years}. The ASC element of its Band D, "
        f"added up since {mine['financial_year'].iloc[0]}, went from £{cumulative[base_year]:,.2f} in "
        f"{fy(base_year)} to £{cumulative[last]:,.2f} in {fy(last)}."
    )
    if (after["asc_element"] <= 0).any():
        evidence = evidence.replace("set an ASC precept in each year", "set these ASC precepts in the years")
    return verdicts.pledge_from_change(
        float(cumulative[base_year]),
        float(cumulative[last]),
        polarity="higher_is_better",
        latest=f"{fmt(after['asc_percent'].iloc[-1], '%')} ({fy(last)})",
        evidence=evidence,
        period=f"{fy(base_year)} to {fy(last)}",
        period_end=last + 1,
    )


# --- panels: one question of the briefing each (helpers.panels), shown by the notebook with ``b.show(p)`` -----

VERSUS = {"higher": "higher than", "lower": "lower than", "similar": "similar to"}

CAVEATS = "\n".join(
    [
        "- **Covid-19 deaths by place** end at 4 September 2020: the manifesto's period to late January 2021, "
        "including the second wave, is not covered. Counts are provisional, by place of occurrence "
        "(care-home residents who died in hospital count as hospital deaths) and by area of usual residence.",
        "- **Care-sector (residents) figures** are first-wave only (weeks ending 6 March to 12 June 2020) and come "
        "from a different ONS edition; City of London is merged with Hackney there.",
        "- **Annual care-home deaths** are all causes (no Covid-19 split); the 2020 and 2021 values are never part "
        "of a trend.",
        "- **Population** estimates are pre-Census-2021 ONS mid-year estimates; age bands exist for mid-2019 and "
        "mid-2020 only; the Isles of Scilly and City of London are not in the age-band file.",
        "- **Outcome measures** are the seven Oflog measures only, without numerators or sample sizes (no "
        "intervals); 2020-21 is left out of every trend (surveys paused, Covid-19); workforce turnover covers the "
        "whole care sector in the area, not only council staff.",
        "- **Spending** is cash, two years only, divided by mid-2020 adult populations; uncertified or missing "
        "returns are blank.",
        "- **The care precept** is as set in each year's council tax returns; a council in its first year after "
        "reorganisation reports in a separate block that is not read here.",
    ]
)


def _signed(v: float) -> str:
    """Whole-percent change, no "-0%"."""
    return f"{round(v):+d}%" if round(v) else "0%"


def _tidy(frame: pd.DataFrame, value: str, period, lower: str | None = None, upper: str | None = None):
    """A chart's data: area_code, area_name, period, value (and lower/upper) from ``frame``."""
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"].to_numpy(),
            "area_name": frame["area_name"].to_numpy(),
            "period": frame[period].to_numpy() if period in frame else period,
            "value": frame[value].to_numpy(),
        }
    )
    if lower and upper:
        out["lower"], out["upper"] = frame[lower].to_numpy(), frame[upper].to_numpy()
    return out


def _places(b):
    """The council, its districts, its similar councils and the codes compared (area, districts, region,
    England, similar)."""
    A = b.area
    local = areas.districts_of(A)
    similar = b.similar()
    codes = list(dict.fromkeys([A.code, *[d.code for d in local], b.region.code, areas.ENGLAND_CODE]))
    return A, local, similar, list(dict.fromkeys([*codes, *[a.code for a in similar]]))


def comparison_areas(b):
    """Which areas the council is compared with."""
    from ..panels import Panel
    from ..text import listing

    A, local, similar, _ = _places(b)
    p = Panel("Comparison areas")
    if local:
        return p.say(
            f"**{A.name}** is a county council; it is compared with its {len(local)} districts "
            f"({listing(d.name for d in local)}), the {b.region.name} region, England and five similar counties "
            f"({listing(a.name for a in similar)})."
        )
    return p.say(
        f"**{A.name}** is a single-tier council ({A.kind}), so there are no districts to break it down by: it is "
        f"compared with the {b.region.name} region, England and five similar councils "
        f"({listing(a.name for a in similar)})."
    )


def demand(b):
    """Question 1: the share of residents aged 85+ and the one-year growth of the 65+, 75+ and 85+ populations."""
    from .. import charts
    from ..panels import Figure, Panel, Table
    from .s00_inequality import claim_links

    A, local, _, codes = _places(b)
    bands = load(AGE_BANDS)
    profile, growth = age_profile(bands, codes, 2020), age_growth(bands, codes, 2019, 2020)
    table = growth.pivot_table(index=["area_code", "area_name"], columns="group", values="growth_pct", sort=False)
    table = table.reset_index().join(
        profile.set_index("area_code")[["share_65+", "share_75+", "share_85+"]] * 100, on="area_code"
    )
    table.columns.name = None
    p = Panel("Demand: a growing very old population", frame=table)
    if not (profile["area_code"] == A.code).any():
        return p.gap(f"The ONS mid-2019/mid-2020 age-band estimates have no rows for {A.name} or its predecessors.")
    me = table.set_index("area_code").loc[A.code]
    eng = table.set_index("area_code").loc[areas.ENGLAND_CODE]
    chart = profile.assign(share=100 * profile["share_85+"], period="mid-2020")
    fig = charts.ranked_bars(
        chart,
        "area_name",
        "share",
        highlight=[A.name],
        benchmark=eng["share_85+"],
        title=f"{fmt_share(me['share_85+'] / 100)} of {A.name} residents were 85 or over in mid-2020 "
        f"(England {fmt_share(eng['share_85+'] / 100)})",
        xlabel="Residents aged 85 and over, % of all residents (mid-2020)",
    )
    p.add(
        Figure(
            fig,
            alt=f"Horizontal bar chart of the share of residents aged 85 and over in mid-2020 for {A.name}, its "
            f"comparison areas and England: {A.name} {fmt_share(me['share_85+'] / 100)}, England "
            f"{fmt_share(eng['share_85+'] / 100)}.",
            data=_tidy(chart, "share", "period"),
            sources=[AGE_BANDS],
            caption="ONS mid-2020 estimates; the dashed line is England.",
        )
    )
    labels = {"area_name": "Area", "all ages": "Growth, all ages (%)"}
    labels |= {g: f"Growth {g} (%)" for g in AGE_GROUPS} | {f"share_{g}": f"Share {g} (%)" for g in AGE_GROUPS}
    p.add(
        Table(
            table.drop(columns="area_code"),
            caption="Population growth mid-2019 to mid-2020 by age group, and age shares in mid-2020",
            sources=[AGE_BANDS],
            labels=labels,
            formats={c: "pct" for c in table.columns if c not in ("area_name", "area_code")},
            collapsed=True,
        )
    )
    text = (
        f"Between mid-2019 and mid-2020 the number of {A.name} residents aged 65+ changed by {me['65+']:+.1f}%, "
        f"aged 75+ by {me['75+']:+.1f}% and aged 85+ by {me['85+']:+.1f}% (England {eng['65+']:+.1f}%, "
        f"{eng['75+']:+.1f}% and {eng['85+']:+.1f}%; all ages {me['all ages']:+.1f}% here, "
        f"{eng['all ages']:+.1f}% in England). "
    )
    districts = table[table["area_code"].isin([d.code for d in local])].sort_values("85+")
    if len(districts):
        top, low = districts.iloc[-1], districts.iloc[0]
        text += (
            f"Among the districts, the 85+ population grew fastest in {top['area_name']} ({top['85+']:+.1f}%) "
            f"and slowest in {low['area_name']} ({low['85+']:+.1f}%). "
        )
    p.say(
        text
        + "Only two years of age estimates are held, so this is a one-year change. "
        + claim_links(b, indicators=["population-aged-85-plus"])
    )
    p.details.append(
        "ONS mid-year estimates for mid-2019 and mid-2020 (pre-Census-2021 vintage). No confidence intervals are "
        "drawn: the estimates are census-based counts of the whole population, not a sample; their real uncertainty "
        "(migration and ageing-on assumptions) is not published with them."
    )
    return p.finding(
        f"{fmt_share(me['share_85+'] / 100)} of {A.name} residents were aged 85 or over in mid-2020 (England "
        f"{fmt_share(eng['share_85+'] / 100)}); the 85+ population changed by {me['85+']:+.1f}% in the year to "
        f"mid-2020 ({eng['85+']:+.1f}% in England)."
    )


def population_trend(b):
    """The total population 2005-2020 with a log-linear trend projected to 2025 (not an ONS projection)."""
    from .. import charts
    from ..panels import Figure, Panel
    from ..stats import forecast

    A = b.area
    series = population_series(load("la_population_totals_2005_2020"), [A.code, areas.ENGLAND_CODE])
    p = Panel("Trend in the total population", frame=series)
    hist = series[series["area_code"] == A.code].sort_values("year")
    pop_trend = try_fit_trend(hist["year"], hist["population"], kind="loglinear")
    if not pop_trend:
        return p.gap(f"The 2005-2020 population series for {A.name}: {pop_trend.reason}.")
    eng_hist = series[series["area_code"] == areas.ENGLAND_CODE].sort_values("year")
    eng_trend = try_fit_trend(eng_hist["year"], eng_hist["population"], kind="loglinear")
    proj = forecast(pop_trend, np.arange(int(hist["year"].min()), 2026))
    apc = pop_trend.annual_pct_change
    fig = charts.forecast_chart(
        hist,
        proj,
        x="year",
        y="population",
        title=f"{A.name}'s population grew about {fmt(apc, '%')} a year in {pop_trend.years_text}",
        ylabel="Residents (mid-year estimate)",
    )
    data = hist.assign(period=hist["year"].astype(int).astype(str), value=hist["population"])
    p.add(
        Figure(
            fig,
            alt=f"Line chart of {A.name}'s total population each year {pop_trend.years_text} with a log-linear trend "
            f"projected to 2025 and its 95% prediction interval; the trend is {fmt(apc, '%')} a year.",
            data=data[["area_code", "area_name", "period", "value"]],
            sources=["la_population_totals_2005_2020"],
            caption="The projection to 2025 is the fitted trend extended, not an ONS projection.",
        )
    )
    p.say(
        f"A log-linear trend fitted to {A.name}'s total population gives growth of {fmt(apc, '%', 2)} a year "
        f"{fmt_interval(pop_trend.apc_lower, pop_trend.apc_upper, '%', 2)}"
        + (
            f", against {fmt(eng_trend.annual_pct_change, '%', 2)} a year for England (summed from its councils)."
            if eng_trend
            else "."
        )
    )
    p.details.append(
        f"*Model:* {pop_trend.assumptions}. Consecutive years are strongly autocorrelated, so the interval is too "
        "narrow."
    )
    return p


def covid_care_homes(b):
    """Question 2: the share of Covid-19 deaths that occurred in care homes, 2020 to 4 September, with Wilson
    intervals against England; and the care-home residents' reading of the first wave."""
    from .. import charts
    from ..panels import Figure, Panel, Table

    A, local, _, codes = _places(b)
    shares = care_home_share(deaths_by_place_totals(load(COVID_BY_PLACE, "weekly_by_place"), codes, "covid"))
    p = Panel("Covid-19 and care homes", frame=shares)
    covid = covid_shares(A.code)
    me = covid["place"]
    if me is None:
        return p.gap(f"The ONS deaths-by-place series has no Covid-19 deaths for {A.name} or its predecessor councils.")
    eng = shares.set_index("area_code").loc[areas.ENGLAND_CODE]
    pct = shares.assign(**{c: 100 * shares[c] for c in ("share", "lower_95", "upper_95")}, period="2020 to 4 September")
    chart = pct.dropna(subset=["share"])
    fig = charts.ranked_bars(
        chart,
        "area_name",
        "share",
        lower="lower_95",
        upper="upper_95",
        highlight=[A.name],
        benchmark=100 * eng["share"],
        comparison="vs_benchmark_95",
        title=f"{fmt_share(me['share'])} of {A.name}'s Covid-19 deaths to 4 September 2020 were in care homes",
        xlabel="Covid-19 deaths that occurred in a care home, % (with 95% interval)",
    )
    p.add(
        Figure(
            fig,
            alt="Horizontal bar chart with 95% confidence intervals of the share of Covid-19 deaths that occurred in "
            f"care homes, 2020 to 4 September: {A.name} {fmt_share(me['share'])}, England {fmt_share(eng['share'])}; "
            "labels say whether each area is higher, similar or lower than England.",
            data=_tidy(chart, "share", "period", "lower_95", "upper_95"),
            sources=[COVID_BY_PLACE],
            caption="Labels compare each area with England at 95% (Wilson intervals); the dashed line is England.",
        )
    )
    p.add(
        Table(
            pct[["area_name", "care_home", "all_places", "share", "lower_95", "upper_95", "vs_benchmark_95"]],
            caption="Covid-19 deaths by place of occurrence, 2020 to 4 September 2020",
            sources=[COVID_BY_PLACE],
            labels={
                "area_name": "Area",
                "care_home": "Deaths in care homes",
                "all_places": "All Covid-19 deaths",
                "share": "Care-home share (%)",
                "lower_95": "95% lower (%)",
                "upper_95": "95% upper (%)",
                "vs_benchmark_95": "Compared with England (95%)",
            },
            formats={"care_home": "int", "all_places": "int"} | {c: "pct" for c in ("share", "lower_95", "upper_95")},
            collapsed=True,
        )
    )
    interval = fmt_interval(100 * me["lower_95"], 100 * me["upper_95"], "%")
    versus = VERSUS.get(me["vs_benchmark_95"], "not compared with")
    text = (
        f"From the start of 2020 to 4 September 2020, {fmt(me['care_home'], '', 0)} of the "
        f"{fmt(me['all_places'], '', 0)} deaths involving Covid-19 among {A.name} residents happened in a care home: "
        f"{fmt_share(me['share'])} {interval}, {versus} England's {fmt_share(eng['share'])}. "
    )
    r = covid["residents"]
    if r is not None:
        p.sources.append(CARE_SECTOR)
        text += (
            f"Counting deaths of care-home residents wherever they died (weeks ending {covid['res_first']:%-d %B} to "
            f"{covid['res_last']:%-d %B %Y}, a different ONS edition) gives {fmt_share(r['share'])} "
            f"{fmt_interval(100 * r['lower_95'], 100 * r['upper_95'], '%')} of residents' Covid-19 deaths in the "
            "same weeks."
        )
    p.say(text)
    d = shares[shares["area_code"].isin([x.code for x in local])].dropna(subset=["share"])
    if len(d):
        p.say(
            f"By district, the care-home share ranged from {fmt_share(d['share'].min())} "
            f"({d.loc[d['share'].idxmin(), 'area_name']}) to {fmt_share(d['share'].max())} "
            f"({d.loc[d['share'].idxmax(), 'area_name']})."
        )
    return p.finding(
        f"{fmt_share(me['share'])} {interval} of {A.name}'s Covid-19 deaths to 4 September 2020 occurred in care "
        f"homes, {versus} England's {fmt_share(eng['share'])}; the public data used here stop before the second wave."
    )


def care_home_deaths(b):
    """Deaths in care homes from all causes each year, indexed to the 2015-19 average (covers the second wave,
    not by cause)."""
    from .. import charts
    from ..panels import Figure, Panel

    A = b.area
    annual = load(CARE_HOME_DEATHS, "annual")
    ch = aggregate_to_areas(
        annual[annual["area_code"].str.startswith("E")], ["all_care_homes"], [A.code, areas.ENGLAND_CODE], by=["year"]
    )
    base = ch[ch["year"].between(2015, 2019)].groupby("area_code")["all_care_homes"].mean()
    ch = ch.assign(index=100 * ch["all_care_homes"] / ch["area_code"].map(base), period=ch["year"].astype(str))
    p = Panel("Deaths in care homes from all causes", frame=ch)
    mc = ch[ch["area_code"] == A.code].set_index("year")["all_care_homes"]
    ec = ch[ch["area_code"] == areas.ENGLAND_CODE].set_index("year")["all_care_homes"]
    mb, eb = base.get(A.code, np.nan), base.get(areas.ENGLAND_CODE, np.nan)
    if mc.empty or not (mb > 0) or not {2020, 2021} <= set(mc.index):
        return p.gap(f"The ONS annual care-home deaths table has no complete 2015-2021 series for {A.name}.")
    fig = charts.trend_lines(
        ch,
        "year",
        "index",
        "area_name",
        highlight=[A.name, "England"],
        title=f"Deaths in {A.name}'s care homes were {fmt(100 * (mc[2020] / mb - 1), '%', 0)} above the 2015-19 "
        "average in 2020",
        ylabel="Deaths in care homes, all causes (2015-19 average = 100)",
    )
    p.add(
        Figure(
            fig,
            alt="Line chart of deaths in care homes from all causes each year 2010-2023, indexed to the 2015-19 "
            f"average, for {A.name} and England; both peak in 2020.",
            data=_tidy(ch, "index", "period"),
            sources=[CARE_HOME_DEATHS],
            caption="All causes, by year of death registration; the 2015-19 average is 100.",
        )
    )
    return p.say(
        f"Deaths from all causes in {A.name}'s care homes were {fmt(mc[2020], '', 0)} in 2020 and "
        f"{fmt(mc[2021], '', 0)} in 2021 against a 2015-19 average of {fmt(mb, '', 0)} "
        f"({_signed(100 * (mc[2020] / mb - 1))} and {_signed(100 * (mc[2021] / mb - 1))} against that average; "
        f"England {_signed(100 * (ec[2020] / eb - 1))} and {_signed(100 * (ec[2021] / eb - 1))}). These counts "
        "include the second wave but do not separate Covid-19 from other causes."
    )


def outcomes(b):
    """Question 3a: the Oflog adult social care measures against similar councils and all councils, and the
    short-term services outcome's trend (its words follow the slope's 95% interval)."""
    from ..panels import Panel, Table

    A = b.area
    sim_codes = [a.code for a in b.similar()]
    measures = load(ASC_OUTCOMES, "measures")
    pos = asc_position(measures, A.code, sim_codes)
    p = Panel("Adult social care outcomes", frame=pos)
    if pos.empty:
        return p.gap(f"The Oflog adult social care extract has no rows for {A.name}.")
    tab = pos[["measure", "period", "value", "similar_median", "all_median", "rank", "of", "first_period"]].copy()
    tab["first_value"] = pos["first_value"]
    for col in ("value", "similar_median", "all_median", "first_value"):  # the index to 3 dp, the rest to 1
        tab[col] = [fmt(v, "", 3 if u == "index" else 1) for v, u in zip(tab[col], pos["unit"], strict=True)]
    tab["rank"] = ["" if pd.isna(r) else f"{int(r)} of {n}" for r, n in zip(tab["rank"], tab["of"], strict=True)]
    p.add(
        Table(
            tab.drop(columns="of"),
            caption=f"Adult social care outcome measures: {A.name} against similar councils and all councils",
            sources=[ASC_OUTCOMES],
            labels={
                "measure": "Measure",
                "period": "Latest year",
                "value": A.name,
                "similar_median": "Similar councils (median)",
                "all_median": "All councils (median)",
                "rank": "Rank (1 = best)",
                "first_period": "First year",
                "first_value": "First-year value",
            },
            formats={c: "text" for c in ("value", "similar_median", "all_median", "first_value", "rank")},
            collapsed=True,
        )
    )
    p.say(
        "The Oflog extract has no England figure, so the benchmark is the median of all councils with social "
        "services duties. It publishes neither numerators nor survey sample sizes, so no confidence intervals can "
        "be computed: small differences between councils should not be read as real."
    )
    _short_term_trend(p, measures, A, sim_codes)
    p7 = pos.set_index("code").loc["ASC7"] if "ASC7" in set(pos.get("code", [])) else None
    if p7 is not None and pd.notna(p7["rank"]):
        p.finding(
            f"Adult social care workforce turnover in {A.name} was {fmt(p7['value'], '%')} in {p7['period']} "
            f"against a median of {fmt(p7['all_median'], '%')} across councils (rank {int(p7['rank'])} of "
            f"{p7['of']}, 1 = lowest)."
        )
    return p


def _short_term_trend(p, measures: pd.DataFrame, A, sim_codes: list[str]) -> None:
    """The short-term services outcome (ASC5) of ``A`` with its similar councils and the all-council median,
    added to panel ``p``; the trend's words follow its 95% interval."""
    from .. import charts
    from ..panels import Figure

    asc5 = measures[measures["code"] == "ASC5"].dropna(subset=["value"])
    s5 = asc5[asc5["area_code"] == A.code].sort_values("year")
    t5 = try_fit_trend(s5["year"], s5["value"], kind="ols", breaks=registry.get(ASC_OUTCOMES).breaks)
    if not t5:
        p.gap(f"Short-term services outcome (Oflog ASC5) for {A.name}: {t5.reason}.")
        return
    clear = t5.slope_lower > 0 or t5.slope_upper < 0
    words = (
        f"{verdicts.trend_direction(t5, 'higher_is_better')}, {t5.slope:+.1f} percentage points a year"
        if clear
        else "no clear trend (the 95% interval includes no change)"
    )
    med = asc5.groupby("year", as_index=False)["value"].median().assign(area_name="All-council median", area_code="")
    lines = pd.concat([asc5[asc5["area_code"].isin([A.code, *sim_codes])], med], ignore_index=True)
    fig = charts.trend_lines(
        lines[["year", "value", "area_name"]],
        "year",
        "value",
        "area_name",
        highlight=[A.name, "All-council median"],
        title=f"{A.name}, short-term services outcome {t5.years_text}: {words}",
        ylabel="% of new clients with no further or lower-level support",
        xlabel="Financial year",
        financial_year=True,
    )
    p.add(
        Figure(
            fig,
            alt="Line chart of the share of new clients needing no further or lower-level support after short-term "
            f"services, 2015-16 to 2022-23, for {A.name}, its similar councils (grey) and the all-council median.",
            data=_tidy(lines.assign(period=[fy(int(y)) for y in lines["year"]]), "value", "period"),
            sources=[ASC_OUTCOMES],
            caption="Grey lines are the similar councils; 2020-21 is shown but left out of the trend (Covid-19).",
        )
    )
    p.details.append(
        f"Linear trend over {t5.years_text}: {t5.slope:+.2f} percentage points a year (95% CI {t5.slope_lower:+.2f} "
        f"to {t5.slope_upper:+.2f}; {verdicts.p_text(t5.p_value)}). *Model:* {t5.assumptions}."
    )


def spending(b):
    """Question 3b: adult social care net current expenditure per resident aged 18+ (RSX revenue outturn over
    mid-2020 adult populations), against similar councils and England, and its rank."""
    from .. import charts
    from ..panels import Figure, Panel

    A = b.area
    sim_codes = [a.code for a in b.similar()]
    rsx = load(RSX, "rsx_adult_social_care")
    pool = rsx[rsx["la_class"].isin(["SC", "UA", "MD", "LB", "Eng"])]
    spend_codes = list(dict.fromkeys([A.code, areas.ENGLAND_CODE, *sim_codes, *pool["area_code"]]))
    adults = pd.to_numeric(adults_18_plus(load(AGE_BANDS), spend_codes, 2020), errors="coerce").dropna()
    spend = spend_per_adult(pool, adults)
    p = Panel("Spending per adult", frame=spend)
    latest = spend[spend["year"] == spend["year"].max()]
    mine = spend[spend["area_code"] == A.code].set_index("period").dropna(subset=["net_per_adult"])
    if mine.empty:
        return p.gap(
            f"The RSX revenue outturn has no adult social care spend per adult for {A.name} (not in the file, no "
            "return, or no mid-2020 adult population in the age estimates)."
        )
    show = latest[latest["area_code"].isin([A.code, areas.ENGLAND_CODE, *sim_codes])].copy()
    show["area_name"] = show["area_code"].map(areas.names()).fillna(show["area_name"])
    eng = latest.set_index("area_code")["net_per_adult"].get(areas.ENGLAND_CODE, np.nan)
    per_adult, last = mine["net_per_adult"].iloc[-1], mine.index[-1]
    fig = charts.ranked_bars(
        show,
        "area_name",
        "net_per_adult",
        highlight=[A.name],
        benchmark=eng,
        title=f"{A.name} spent {fmt(per_adult, '£', 0)} net per adult on adult social care in {last}",
        xlabel="Adult social care net current expenditure, £ per resident aged 18+",
    )
    p.add(
        Figure(
            fig,
            alt="Horizontal bar chart of adult social care net current expenditure per resident aged 18 and over in "
            f"{last} for {A.name}, its similar councils and England (dashed line at {fmt(eng, '£', 0)}).",
            data=_tidy(show, "net_per_adult", "period"),
            sources=[RSX, AGE_BANDS],
            caption="Cash spending divided by mid-2020 adult populations, so per-adult levels are somewhat "
            "overstated where the adult population has grown since.",
        )
    )
    ranks = latest[latest["la_class"] != "Eng"].dropna(subset=["net_per_adult"])
    rank = ranks["net_per_adult"].rank(ascending=False, method="min")[ranks["area_code"] == A.code]
    chg = mine["asc_net_current_expenditure"]
    text = f"{A.name}'s adult social care net current expenditure was {fmt(chg.iloc[0] / 1000, '£', 1)} million in "
    text += f"{chg.index[0]}"
    if len(chg) > 1:
        text += (
            f" and {fmt(chg.iloc[-1] / 1000, '£', 1)} million in {chg.index[-1]} "
            f"({100 * (chg.iloc[-1] / chg.iloc[0] - 1):+.1f}% in cash terms)"
        )
    text += f", {fmt(per_adult, '£', 0)} per resident aged 18+ against {fmt(eng, '£', 0)} for England"
    text += (
        f", rank {int(rank.iloc[0])} of {len(ranks)} councils with social services duties (1 = highest)."
        if len(rank)
        else "."
    )
    share = fmt_share(mine["asc_share_of_service_spend"].iloc[-1])
    return p.say(text + f" Adult social care was {share} of the council's net service spending.")


def precept(b):
    """Question 3c: the adult social care precept each year, its cumulative part of Band D, against England."""
    from ..panels import Panel, Table
    from .s00_inequality import claim_links

    A = b.area
    rates = load(COUNCIL_TAX, "asc_precept")
    band_d = load(COUNCIL_TAX, "band_d")
    mp = rates[rates["area_code"] == A.code].sort_values("year")
    mp = mp.merge(band_d[["area_code", "year", "band_d"]], on=["area_code", "year"], how="left")
    mp["cumulative"] = mp["asc_element"].cumsum()
    england = rates[rates["area_code"] == areas.ENGLAND_CODE].set_index("year")["asc_percent"]
    mp["england_percent"] = mp["year"].map(england)
    p = Panel("The adult social care precept", frame=mp)
    if mp.empty:
        return p.gap(f"The DLUHC council tax returns have no adult social care precept for {A.name}.")
    labels = {
        "financial_year": "Year",
        "asc_percent": "ASC precept (% of previous Band D)",
        "england_percent": "England average (%)",
        "asc_element": "Added to Band D that year (£)",
        "cumulative": "ASC precept in Band D, cumulative (£)",
        "asc_precept_total": "Raised that year (£)",
        "band_d": "Council's Band D (£)",
    }
    p.add(
        Table(
            mp[list(labels)],
            caption=f"{A.name}'s adult social care precept each year (DLUHC council tax returns)",
            sources=[COUNCIL_TAX],
            labels=labels,
            formats={"financial_year": "text", "asc_percent": "pct", "england_percent": "pct"}
            | {"asc_element": "gbp2", "cumulative": "gbp2", "asc_precept_total": "gbp", "band_d": "gbp2"},
            collapsed=True,
        )
    )
    last = mp.iloc[-1]
    return p.say(
        f"In {last['financial_year']} {A.name} added {fmt(last['asc_percent'], '%')} for adult social care "
        f"(£{last['asc_element']:,.2f} on a Band D bill); the adult social care precepts levied since "
        f"{mp['financial_year'].iloc[0]} make up £{last['cumulative']:,.2f} of its Band D of £{last['band_d']:,.2f}. "
        "'Raised that year' is the new element only, not the cumulative precept. "
        + claim_links(b, functions=["s02_adult_social_care.pledge_use_asc_precept"])
    )


def care_home_claim_finding(b):
    """After the claim check: a finding with the verdict of each claim checked on the care-home share of Covid-19
    deaths (found through the register by its indicator, never by id)."""
    from ..panels import Panel

    ids = {
        entry.id
        for _, entry in b.manifesto.entries("claims")
        if entry.check is not None and entry.check.parsed().indicator == "covid-deaths-care-home-share"
    }
    p = Panel("The care-home share claim")
    for c in b.claims:
        if c.claim_id in ids:
            p.finding(
                f"The manifesto's care-home share of Covid-19 deaths, tested on the weeks the data cover: {c.verdict}."
            )
    return p
