"""Derivations for adult social care, care homes and older people (briefing 02).

Population by age is ONS mid-2019 and mid-2020 (five-year bands); adults aged 18+ take two fifths of the 15-19
band. Care-home deaths are ONS registrations by place of occurrence on 2023 boundaries. Covid-19 deaths by place
are ONS weekly registrations for 2020 weeks 1-36 (to 4 September 2020), the weeks the mirror holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..store import derivation

AGE_BANDS = "population_age_bands_la_mid2019_mid2020"
CARE_HOME_DEATHS = "care_home_deaths_la_2010_2023"
COVID_BY_PLACE = "covid_deaths_by_place_of_death_la_2020_2021"
RSX = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"
COUNCIL_TAX = "council_tax_requirement_band_d_asc_la_2014_15_to_2023_24"


def _lower_tier(frame: pd.DataFrame) -> pd.DataFrame:
    """English district and single-tier rows (the store fills counties from districts and merged councils from
    their former councils)."""
    return frame[frame["area_code"].astype(str).str.match(r"^E0[6-9]")]


def _to_current(frame: pd.DataFrame, sums: list[str]) -> pd.DataFrame:
    """Former councils' rows added up onto today's councils (``sums`` columns), one row per code and year
    (:func:`helpers.predecessors.aggregate`, which knows which former councils cover a merged council's area): a
    workaround for the store, which keeps only the first former council's row of a merged council."""
    from ... import predecessors

    out = predecessors.aggregate(frame, county_is="area", sums=sums, keep_predecessors=False)
    out = out[out["unavailable"].fillna("") == ""]
    return out.groupby(["area_code", "year"], as_index=False)[sums].sum(min_count=1)


def _with_counties(frame: pd.DataFrame, sums: list[str]) -> pd.DataFrame:
    """Counties added as the sums of their districts (so a county's interval is computed on its own counts)."""
    from ... import areas

    t = areas.areas_table()
    parent = t[t["kind"] == "non-metropolitan district"].set_index("code")["parent"].dropna()
    d = frame[frame["area_code"].isin(parent.index)]
    counties = d.assign(area_code=d["area_code"].map(parent)).groupby(["area_code", "year"], as_index=False)[sums]
    return pd.concat([frame, counties.sum(min_count=1)], ignore_index=True)


def _weights(bands: pd.Series, lowest: int, fifteen: float = 1.0) -> np.ndarray:
    from ...sections.s02_adult_social_care import band_start

    start = bands.map(band_start)
    return np.where(start >= lowest, 1.0, np.where((start == 15) & (lowest == 20), fifteen, 0.0))


@derivation("population_age_group")
def population_age_group(lowest: int, share: bool = False) -> pd.DataFrame:
    """Residents aged ``lowest`` and over (``lowest`` 18 counts 20+ and two fifths of 15-19), or with ``share``
    their % of all residents; mid-2019 and mid-2020. Only the five-year bands are used (no double counting)."""
    from ...datasets import load
    from ...sections.s02_adult_social_care import band_start

    d = _lower_tier(load(AGE_BANDS))
    d = d[d["age_band"].map(band_start).notna() & ~d["age_band"].isin(["00_59", "60+"])]
    low = 20 if lowest == 18 else lowest
    w = _weights(d["age_band"], low, fifteen=0.4 if lowest == 18 else 0.0)
    d = d.assign(group=d["population"] * w)
    g = d.groupby(["area_code", "year"], as_index=False).agg(
        numerator=("group", "sum"), denominator=("population", "sum")
    )
    g = _to_current(g, ["numerator", "denominator"])
    if share:
        return g.assign(value=100 * g["numerator"] / g["denominator"])
    return g.assign(value=g["numerator"])[["area_code", "year", "value"]]


@derivation("care_home_deaths")
def care_home_deaths(column: str = "all_care_homes", share_of_all: bool = False) -> pd.DataFrame:
    """Deaths (all causes) in the area's care homes by calendar year, or with ``share_of_all`` the % of them in
    care homes of ``column`` (e.g. council-run homes)."""
    from ...datasets import load

    d = _to_current(_lower_tier(load(CARE_HOME_DEATHS, "annual")), list({column, "all_care_homes"}))
    if not share_of_all:
        return d[["area_code", "year"]].assign(value=d[column])
    out = d[["area_code", "year"]].assign(numerator=d[column], denominator=d["all_care_homes"])
    out = out[out["denominator"] > 0]
    return out.assign(value=100 * out["numerator"] / out["denominator"])


@derivation("care_home_deaths_above_average")
def care_home_deaths_above_average(year: int = 2020, baseline: tuple[int, int] = (2015, 2019)) -> pd.DataFrame:
    """% by which deaths in the area's care homes in ``year`` exceeded the ``baseline`` years' average, with the
    Byar's 95% interval of the ``year`` count carried onto the %. Computed after districts are summed, so a
    county's value is its own (every council and county, England)."""
    from ... import areas
    from ...datasets import load
    from ...sections.s02_adult_social_care import aggregate_to_areas
    from ...stats import byars_ci

    d = load(CARE_HOME_DEATHS, "annual")
    d = d[d["area_code"].astype(str).str.startswith("E")]
    codes = [a.code for a in areas.briefing_areas()] + [areas.ENGLAND_CODE]
    codes += list(areas.areas_table().query("kind == 'non-metropolitan district'")["code"])
    s = aggregate_to_areas(d, ["all_care_homes"], codes, by=["year"])
    wide = s.pivot_table(index="area_code", columns="year", values="all_care_homes", aggfunc="sum")
    span = list(range(baseline[0], baseline[1] + 1))
    if year not in wide.columns or not set(span) <= set(wide.columns):
        return pd.DataFrame(columns=["area_code", "year", "value"])
    wide = wide.dropna(subset=[year, *span])
    mean = wide[span].mean(axis=1)
    wide = wide[mean > 0]
    mean = mean[mean > 0]
    count = wide[year]
    lower, upper = byars_ci(count.to_numpy(float))
    return pd.DataFrame(
        {
            "area_code": wide.index,
            "year": year,
            "value": 100 * (count / mean - 1).to_numpy(float),
            "lower": 100 * (np.asarray(lower, float) / mean.to_numpy(float) - 1),
            "upper": 100 * (np.asarray(upper, float) / mean.to_numpy(float) - 1),
            "numerator": count.to_numpy(float),
            "denominator": mean.to_numpy(float),
        }
    )


@derivation("covid_deaths_care_home_share")
def covid_deaths_care_home_share() -> pd.DataFrame:
    """% of Covid-19 deaths (registrations, 2020 weeks 1-36) that occurred in care homes, with Wilson 95%
    intervals; district rows are pooled into counties and merged councils by the store (numerator/denominator)."""
    from ...datasets import load
    from ...stats import wilson_ci

    w = load(COVID_BY_PLACE, "weekly_by_place")
    w = _lower_tier(w[w["cause"] == "covid"])
    g = w.groupby("area_code", as_index=False)[["care_home", "all_places"]].sum().assign(year=2020)
    g = _with_counties(_to_current(g, ["care_home", "all_places"]), ["care_home", "all_places"]).drop(columns="year")
    g = g[g["all_places"] > 0]
    lo, hi = wilson_ci(g["care_home"].to_numpy(float), g["all_places"].to_numpy(float), multiplier=100)
    return g.assign(
        year=2020,
        numerator=g["care_home"],
        denominator=g["all_places"],
        value=100 * g["care_home"] / g["all_places"],
        lower=lo,
        upper=hi,
    )[["area_code", "year", "value", "lower", "upper", "numerator", "denominator"]]


@derivation("asc_spend_per_adult")
def asc_spend_per_adult(column: str = "asc_net_current_expenditure", population_year: int = 2020) -> pd.DataFrame:
    """Adult social care expenditure (RSX, £ thousand) per resident aged 18+, £ per adult, cash. The mirror's
    latest age estimates are mid-2020, used as the denominator for every year."""
    from ...datasets import load

    adults = population_age_group(18)
    adults = adults[adults["year"] == population_year]
    from ... import areas

    per_area: pd.Series = adults.groupby("area_code")["value"].sum()
    t = areas.areas_table()
    parents = t[t["kind"] == "non-metropolitan district"].set_index("code")["parent"]
    county = per_area[per_area.index.isin(parents.index)].groupby(parents).sum()
    per_area = pd.concat([per_area, county[~county.index.isin(per_area.index)]])
    rsx = load(RSX, "rsx_adult_social_care")
    rsx = rsx[rsx[column] > 0]
    out = rsx[["area_code", "year"]].assign(numerator=rsx[column] * 1000)
    out["area_code"] = areas.harmonise_codes(out["area_code"].astype(str))
    out["denominator"] = out["area_code"].map(per_area)
    out = out.dropna(subset=["denominator"])
    return out.assign(value=out["numerator"] / out["denominator"])


@derivation("asc_precept_median")
def asc_precept_median() -> pd.DataFrame:
    """The median adult social care precept (% of the previous year's Band D) across the councils that set one
    in the year, given as one row for England: the national policy as councils used it (the published England
    figure is an average over England's whole Band D, districts included, and so reads lower)."""
    from ... import areas
    from ...datasets import load

    d = load(COUNCIL_TAX, "asc_precept")
    d = d[~d["area_code"].eq(areas.ENGLAND_CODE) & (d["asc_percent"] > 0)]
    med = d.groupby("year")["asc_percent"].median().rename("value").reset_index()
    return med.assign(area_code=areas.ENGLAND_CODE)


@derivation("oflog_measure")
def oflog_measure(code: str, drop_zero: bool = True) -> pd.DataFrame:
    """One Oflog adult social care measure (``code`` such as ASC7) by council and year; with ``drop_zero`` a 0,
    which the extract uses for a value not collected (a survey skipped, a council too small), is left out."""
    from ...datasets import load

    d = load("asc_outcomes_oflog_la_2015_2023", "measures")
    d = d[d["code"] == code][["area_code", "year", "value"]]
    return d[d["value"] != 0] if drop_zero else d
