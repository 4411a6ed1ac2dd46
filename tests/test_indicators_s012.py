"""Catalogue indicators of briefings 00-02 (deprivation, population, communities, adult social care): store values
checked against numbers read straight from the raw files in the mirror (not through the parsers), for a county,
a district and a council formed by merger; and the derivations' rules on constructed frames."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from helpers import config, indicators

CAMBRIDGESHIRE, FENLAND = "E10000003", "E07000010"
NORTH_YORKSHIRE, CUMBERLAND, SOMERSET = "E06000065", "E06000063", "E06000066"
OURS = [
    "imd2019-residents-most-deprived-20pct",
    "imd2019-deprivation-spread",
    "population-mid-year",
    "population-growth-since-2005",
    "population-aged-85-plus",
    "population-share-aged-65-plus",
    "fuel-poverty-lihc",
    "claimant-count-rate",
    "children-relative-poverty-bhc",
    "asc-workforce-turnover",
    "asc-precept-percent",
    "asc-precept-median-percent",
    "care-home-deaths",
    "care-home-deaths-council-run-share",
    "care-home-deaths-2020-above-average",
    "covid-deaths-care-home-share",
    "asc-net-spend-per-adult",
]


def _mirror(dataset: str, name: str) -> Path:
    root = config.mirror_dir()
    if root is None:
        pytest.skip("no data mirror")
    return root / dataset / name


def _rows(dataset: str, name: str, skip: int = 0) -> list[dict[str, str]]:
    with _mirror(dataset, name).open(encoding="utf-8-sig", newline="") as f:
        for _ in range(skip):
            next(f)
        return list(csv.DictReader(f))


def _value(indicator_id: str, code: str, period: str | int) -> float:
    got = indicators.get(indicator_id, areas=[code], periods=period)
    assert len(got) == 1, f"{indicator_id} {code} {period}: {len(got)} rows"
    return float(got["value"].iloc[0])


# --- catalogue metadata -----------------------------------------------------------------------------------


def test_our_entries_are_in_the_catalogue_with_a_period_kind_and_caveats():
    for iid in OURS:
        ind = indicators.entry(iid)
        assert ind.caveats, iid
        assert ind.period.kind in ("calendar_year", "financial_year", "mid_year"), iid


def test_population_entries_say_only_the_pre_census_series_is_held():
    for iid in ("population-mid-year", "population-growth-since-2005"):
        assert "Census 2021" in indicators.entry(iid).caveats


# --- values against the raw files (a county, a district, a merged council) -------------------------------


@pytest.mark.needs_mirror
def test_claimant_count_rate_matches_the_raw_csv():
    raw = {
        (r["areacd"], r["period"][:4]): float(r["observation"])
        for r in _rows("ons_explore_local_statistics", "claimant-count.csv")
        if r["observation"]
    }
    for code in (CAMBRIDGESHIRE, FENLAND, NORTH_YORKSHIRE, CUMBERLAND):
        for year in ("2019", "2022"):
            assert _value("claimant-count-rate", code, int(year)) == pytest.approx(raw[(code, year)])
    assert raw[(CAMBRIDGESHIRE, "2019")] == 1.2  # the number read by eye from the file


@pytest.mark.needs_mirror
def test_child_poverty_is_the_before_housing_costs_row_and_its_year_is_the_financial_year_start():
    raw = {
        r["areacd"]: float(r["observation"])
        for r in _rows("ons_explore_local_statistics", "children-in-relative-poverty.csv")
        if r["period"].startswith("2021-04-01") and "before" in r["indicator"]
    }
    for code in (CAMBRIDGESHIRE, FENLAND, NORTH_YORKSHIRE):
        assert _value("children-relative-poverty-bhc", code, "2021-22") == pytest.approx(raw[code])
    assert raw[FENLAND] == pytest.approx(22.04849309)


@pytest.mark.needs_mirror
def test_fuel_poverty_lihc_matches_the_raw_csv_and_leaves_merged_councils_empty():
    raw = {r["LACode"]: r for r in _rows("fuel_poverty_la_2010_2019", "fuelpoverty_data.csv")}
    assert _value("fuel-poverty-lihc", FENLAND, 2018) == pytest.approx(float(raw[FENLAND]["2018"]))
    assert _value("fuel-poverty-lihc", "E06000053", 2010) == pytest.approx(23.7)
    # 2019 in this file is LILEE: a different definition, left out of the LIHC series
    assert indicators.get("fuel-poverty-lihc", areas=[FENLAND], periods=2019).empty
    # the file has no household counts, so neither a county nor a merged council is made up from one district
    got = indicators.get("fuel-poverty-lihc", areas=[CAMBRIDGESHIRE, NORTH_YORKSHIRE, CUMBERLAND, SOMERSET])
    assert got.empty


@pytest.mark.needs_mirror
def test_oflog_turnover_matches_the_raw_csv_for_a_county_and_councils_formed_from_counties():
    raw = {
        (r["Local authority code"], r["Financial year"]): float(r["Value"])
        for r in _rows("asc_outcomes_oflog_la_2015_2023", "ASC_data.csv")
        if r["Code"] == "ASC7" and r["Grouping"] == "LA_Raw" and r["Value"] not in ("", "NA")
    }
    assert _value("asc-workforce-turnover", CAMBRIDGESHIRE, "2016-17") == pytest.approx(30.18560344)
    # North Yorkshire and Somerset county councils became unitary councils with new codes in 2023
    assert _value("asc-workforce-turnover", NORTH_YORKSHIRE, "2016-17") == pytest.approx(raw[("E10000023", "2016-17")])
    assert _value("asc-workforce-turnover", SOMERSET, "2016-17") == pytest.approx(raw[("E10000027", "2016-17")])
    assert "district" not in indicators.entry("asc-workforce-turnover").area_types


@pytest.mark.needs_mirror
def test_care_home_deaths_match_the_raw_csv_and_a_county_is_the_sum_of_its_districts():
    raw = _rows("care_home_deaths_la_2010_2023", "lanonladeaths20141021.csv", skip=4)
    by = {(r["Local Authority Code"], r["Year"]): r for r in raw if r.get("Year")}
    assert _value("care-home-deaths", FENLAND, 2019) == 242
    assert _value("care-home-deaths", CUMBERLAND, 2019) == float(by[(CUMBERLAND, "2019")]["All care homes"])
    districts = ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]
    total = sum(float(by[(d, "2019")]["All care homes"]) for d in districts)
    assert _value("care-home-deaths", CAMBRIDGESHIRE, 2019) == pytest.approx(total)
    la = sum(float(by[(d, "2019")]["LA care homes"]) for d in districts)
    assert _value("care-home-deaths-council-run-share", CAMBRIDGESHIRE, 2019) == pytest.approx(100 * la / total)


@pytest.mark.needs_mirror
def test_people_aged_85_plus_add_up_former_districts_for_a_merged_council():
    rows = _rows("population_age_bands_la_mid2019_mid2020", "population_mid2020_age_bands.csv")
    old = {r["areaCode"]: 0.0 for r in rows}
    for r in rows:
        if r["age"] in ("85_89", "90+"):
            old[r["areaCode"]] += float(r["population"])
    # Somerset (2023) = Mendip, Sedgemoor, South Somerset, Somerset West and Taunton
    somerset = sum(old[c] for c in ("E07000187", "E07000188", "E07000189", "E07000246"))
    assert 15_000 < somerset < 25_000
    assert _value("population-aged-85-plus", SOMERSET, 2020) == pytest.approx(somerset)
    assert _value("population-aged-85-plus", FENLAND, 2020) == pytest.approx(old[FENLAND])
    cambs = sum(old[c] for c in ("E07000008", "E07000009", "E07000010", "E07000011", "E07000012"))
    assert _value("population-aged-85-plus", CAMBRIDGESHIRE, 2020) == pytest.approx(cambs)


@pytest.mark.needs_mirror
def test_population_totals_and_growth_match_the_raw_csv():
    rows = _rows("la_population_totals_2005_2020", "local_authority_emissions_with_population.csv")
    col = next(c for c in rows[0] if "population" in c.lower())
    pop = {(r["local-authority-code"], r["Year"]): 1000 * float(r[col]) for r in rows if r[col]}  # thousands
    assert _value("population-mid-year", FENLAND, 2020) == pytest.approx(pop[("FEN", "2020")])
    assert _value("population-mid-year", NORTH_YORKSHIRE, 2005) == pytest.approx(pop[("NYE", "2005")])
    growth = 100 * (pop[("FEN", "2020")] / pop[("FEN", "2005")] - 1)
    assert _value("population-growth-since-2005", FENLAND, 2020) == pytest.approx(growth)
    assert _value("population-growth-since-2005", CAMBRIDGESHIRE, 2005) == 0


@pytest.mark.needs_mirror
def test_resident_share_in_most_deprived_fifth_matches_the_published_district_figure():
    # the spread and shares are computed from small areas; Fenland's share was 18.5% of residents
    assert _value("imd2019-residents-most-deprived-20pct", FENLAND, 2019) == pytest.approx(18.48, abs=0.01)
    eng = _value("imd2019-residents-most-deprived-20pct", "E92000001", 2019)
    assert 19 < eng < 21  # a fifth of small areas hold about a fifth of residents
    assert _value("imd2019-deprivation-spread", CAMBRIDGESHIRE, 2019) == pytest.approx(38.2, abs=0.05)
    # too few small areas for a spread
    assert indicators.get("imd2019-deprivation-spread", areas=["E09000001", "E06000053"]).empty


@pytest.mark.needs_mirror
def test_precept_median_is_one_england_row_per_year():
    med = indicators.get("asc-precept-median-percent")
    assert set(med["area_code"]) == {"E92000001"}
    assert _value("asc-precept-median-percent", "E92000001", "2020-21") == pytest.approx(2.0, abs=0.01)
    assert _value("asc-precept-percent", CAMBRIDGESHIRE, "2021-22") == pytest.approx(1.0, abs=0.01)


@pytest.mark.needs_mirror
def test_covid_care_home_share_has_wilson_intervals_around_it():
    got = indicators.get("covid-deaths-care-home-share", areas=[CAMBRIDGESHIRE, FENLAND])
    for r in got.itertuples():
        assert r.lower < r.value < r.upper
    cambs = got.set_index("area_code").loc[CAMBRIDGESHIRE]
    assert cambs["value"] == pytest.approx(100 * 133 / 412)


# --- derivations on constructed frames ---------------------------------------------------------------------


def test_to_current_adds_former_councils_onto_the_merged_council(monkeypatch):
    from helpers.indicators.derive import social_care

    frame = pd.DataFrame(
        {
            "area_code": ["E07000187", "E07000188", "E07000189", "E07000246", "E07000010"],
            "year": 2020,
            "numerator": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    out = social_care._to_current(frame, ["numerator"]).set_index("area_code")["numerator"]
    assert out[SOMERSET] == 10.0
    assert out[FENLAND] == 5.0
    assert not math.isnan(out.sum())


def test_nested_recorders_with_equal_contents_keep_the_outer_recording_whole(monkeypatch):
    from helpers import datasets

    monkeypatch.setattr(datasets, "LOADED", [])  # the made-up tables must not reach other tests' sources

    # the inner recorder ends with the same contents as the outer one: it must remove itself, not the outer
    with datasets.recording() as outer:
        datasets.note_loaded([("a", "t")])
        with datasets.recording() as inner:
            datasets.note_loaded([("a", "t")])
        assert inner == outer
        datasets.note_loaded([("b", "t")])
    assert outer == [("a", "t"), ("b", "t")]
