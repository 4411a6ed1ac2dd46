"""Catalogue entries of briefings 03-05 against numbers read from the raw files in the data mirror.

Every figure below was read from the published file itself (csv module or the xlsx/parquet as shipped), not
from the parsed tables, so a parser, a derivation or the store that moves, rescales, relabels or mixes values
fails here. Covers a county, districts, single-tier councils and merged councils (North Yorkshire E06000065,
Cumberland E06000063, Somerset E06000066).
"""

from __future__ import annotations

import csv

import pytest

from helpers import config
from helpers import indicators as I

pytestmark = pytest.mark.needs_mirror

MIRROR = config.mirror_dir()


def _csv(dataset: str, name: str) -> list[dict]:
    assert MIRROR is not None
    with open(MIRROR / dataset / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(indicator: str, area: str, period: str):
    got = I.get(indicator, areas=[area], periods=[period])
    assert len(got) == 1, f"{indicator} {area} {period}: {len(got)} rows"
    return got.iloc[0]


def test_life_expectancy_keeps_ons_intervals_for_a_district():
    raw = [
        r
        for r in _csv("life_expectancy_ons_lad_2016_18_ci", "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["administrative-geography"] == "E07000008" and r["age-groups"] == "0-1"
    ]
    male = next(r for r in raw if r["Sex"] == "Male")
    row = _one("life-expectancy-male", "E07000008", "2016 to 2018")
    assert row["value"] == pytest.approx(float(male["v4_2"]))
    assert (row["lower"], row["upper"]) == (
        pytest.approx(float(male["Lower CI"])),
        pytest.approx(float(male["Upper CI"])),
    )
    assert row["period_kind"] == "rolling_years" and row["year"] == 2016


def test_life_expectancy_merged_council_is_its_own_published_row():
    raw = _csv("life_expectancy_fingertips_la_2015_2025", "life_expectancy.csv")
    want = next(
        float(r["value"])
        for r in raw
        if r["area_code"] == "E06000065" and r["period"] == "2015 - 17" and r["inequality"] == "Female"
    )
    assert _one("life-expectancy-female", "E06000065", "2015 to 2017")["value"] == pytest.approx(want)


def test_life_expectancy_county_is_the_population_weighted_mean_of_its_districts():
    from helpers.indicators.derive.health import population_weights

    raw = [
        r
        for r in _csv("life_expectancy_ons_lad_2016_18_ci", "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["Sex"] == "Female" and r["age-groups"] == "0-1"
    ]
    districts = ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]
    vals = {r["administrative-geography"]: float(r["v4_2"]) for r in raw if r["administrative-geography"] in districts}
    assert len(vals) == 5
    w = population_weights()
    mean = sum(vals[d] * w[d] for d in districts) / sum(w[d] for d in districts)
    row = _one("life-expectancy-female", "E10000003", "2016 to 2018")
    assert row["value"] == pytest.approx(mean)
    assert row["lower"] < row["value"] < row["upper"]
    assert row["upper"] - row["lower"] < 1.0  # narrower than any one district's interval
    assert "population-weighted" in row["obtained"]


@pytest.mark.parametrize(
    ("indicator", "table", "raw_indicator", "area", "raw_period", "period"),
    [
        (
            "healthy-life-expectancy-male",
            "healthy-life-expectancy",
            "Male healthy life expectancy",
            "E10000003",
            "2022-01-01/P3Y",
            "2022 to 2024",
        ),
        (
            "adult-obesity",
            "adult-obesity-prevalence",
            "Adult obesity prevalence",
            "E10000003",
            "2024-11-16/P1Y",
            "2024/25",
        ),
        (
            "healthy-life-expectancy-female",
            "healthy-life-expectancy",
            "Female healthy life expectancy",
            "E06000066",
            "2022-01-01/P3Y",
            "2022 to 2024",
        ),
    ],
)
def test_explore_local_statistics_values_and_intervals(indicator, table, raw_indicator, area, raw_period, period):
    raw = _csv("ons_explore_local_statistics", f"{table}.csv")
    r = next(x for x in raw if x["areacd"] == area and x["indicator"] == raw_indicator and x["period"] == raw_period)
    row = _one(indicator, area, period)
    assert row["value"] == pytest.approx(float(r["observation"]))
    assert row["lower"] == pytest.approx(float(r["lci_95"]))
    assert row["upper"] == pytest.approx(float(r["uci_95"]))
    assert "P1Y" not in row["period"] and "P3Y" not in row["period"]


def test_greenhouse_gases_and_the_2005_index():
    raw = _csv("ons_explore_local_statistics", "greenhouse-gas-emissions.csv")
    per = {(r["areacd"], r["period"][:4]): float(r["observation"]) for r in raw}
    for area in ("E10000003", "E06000065"):
        assert _one("ghg-per-resident", area, 2023)["value"] == pytest.approx(per[(area, "2023")])
        idx = _one("ghg-per-resident-index-2005", area, 2023)["value"]
        assert idx == pytest.approx(100 * per[(area, "2023")] / per[(area, "2005")])
    assert {b.year for b in I.entry("ghg-per-resident").breaks if b.kind == "exclude"} == {2020, 2021}


def _renewables(year: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in _csv("renewable_electricity_generation_la_2018_2022_2024", f"renewable_electricity_generation_{year}.csv"):
        if r["value"] not in ("", "NA"):
            out[r["area_code"]] = out.get(r["area_code"], 0.0) + float(r["value"])
    return out


def test_renewable_generation_single_tier_merged_and_county():
    r2024, r2018 = _renewables(2024), _renewables(2018)
    # a merged council publishing its own row (2024) and built from its seven former districts (2018)
    assert _one("renewable-generation", "E06000065", 2024)["value"] == pytest.approx(r2024["E06000065"] / 1000)
    ny = ["E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"]
    row = _one("renewable-generation", "E06000065", 2018)
    assert row["value"] == pytest.approx(sum(r2018[c] for c in ny) / 1000)
    assert row["obtained"] == "sum of its 7 former councils"
    # Somerset's 2018 edition lacks Taunton Deane and West Somerset: no partial sum stands in for the council
    assert I.get("renewable-generation", areas=["E06000066"], periods=[2018]).empty
    # the county is the sum of its five districts
    cambs = ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]
    assert _one("renewable-generation", "E10000003", 2024)["value"] == pytest.approx(
        sum(r2024[c] for c in cambs) / 1000
    )


def test_renewable_generation_offshore_break_separates_the_editions():
    r2018, r2022 = _renewables(2018), _renewables(2022)
    norfolk = [
        c
        for c in r2018
        if c in {"E07000143", "E07000144", "E07000145", "E07000146", "E07000147", "E07000148", "E07000149"}
    ]
    assert len(norfolk) == 7
    g = I.get("renewable-generation", areas=["E10000020"]).set_index("year")
    assert g.at[2018, "value"] == pytest.approx(sum(r2018[c] for c in norfolk) / 1000)  # about 4,716 GWh
    assert g.at[2022, "value"] == pytest.approx(sum(r2022[c] for c in norfolk) / 1000)  # about 749 GWh
    assert g.at[2018, "value"] > 4 * g.at[2022, "value"]
    assert g.at[2018, "series"] != g.at[2022, "series"] == g.at[2024, "series"]


def test_neet_for_a_merged_council_and_a_county():
    raw = _csv("neet_participation_16_17_la_2021_2025", "neet_nk_la_2025.csv")
    by_code = {r["new_la_code"]: r for r in raw}
    for area in ("E06000066", "E10000003"):
        want = float(by_code[area]["NEET_not_known_percent"])
        row = _one("neet-or-not-known-16-17", area, "2024/25")
        assert row["value"] == pytest.approx(want)


def test_lait_attainment_and_spending_against_the_parquet():
    import pandas as pd

    raw = pd.read_parquet(MIRROR / "dfe_lait_la_indicators_2016_2025" / "bds_long_0.parquet")
    cambs = raw[raw["LA and Regions"].astype(str) == "Cambridgeshire"]

    def value(short: str, years: str) -> float:
        hit = cambs[(cambs["Short Desc"] == short) & (cambs["Years"].astype(str) == years)]
        assert len(hit) == 1, (short, years)
        return float(hit["Values"].iloc[0])

    assert _one("ks2-expected-standard-rwm", "E10000003", "2018/19")["value"] == pytest.approx(
        value("KS2RWM_Expected_STD", "2019")
    )
    assert _one("ks2-expected-standard-rwm", "E10000003", "2021/22")["value"] == pytest.approx(
        value("KS2RWM_Expected_STD", "2022")
    )
    spend = _one("lac-gross-spending", "E10000003", "2020-21")
    assert spend["value"] == pytest.approx(
        value("TotalLACFinance", "2020-21 (OT)") / 1e6
    )  # published in £, shown in £ million
    assert spend["value_real"] > spend["value"]  # real terms in later prices


def test_dsg_deficit_county_and_merged_council():
    import pandas as pd

    raw = pd.read_excel(MIRROR / "dsg_deficit_la_2019_20_to_2021_22" / "dsg_deficit_derived.xlsx", engine="openpyxl")
    r = raw[(raw["la_name"] == "Cambridgeshire") & (raw["financial_year"] == "2020-21")]
    assert _one("dsg-cumulative-deficit", "E10000003", "2020-21")["value"] == pytest.approx(float(r["deficit"].iloc[0]))
    ny = raw[(raw["la_name"] == "North Yorkshire") & (raw["financial_year"] == "2021-22")]
    assert _one("dsg-cumulative-deficit", "E06000065", "2021-22")["value"] == pytest.approx(
        float(ny["deficit"].iloc[0])
    )
