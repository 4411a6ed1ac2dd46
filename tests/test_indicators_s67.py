"""Catalogue entries of briefings 06 and 07 (transport, finance, growth and housing) against the raw files in the
mirror: a county, a district, a merged council and a metropolitan district, values read independently of the
parsers; one real-terms value against a hand computation with the GDP deflator; and the derivations' rules
(transport authority for metropolitan districts, business rates retention pilots left out) on known cases."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from helpers import indicators

from .conftest import MIRROR

pytestmark = pytest.mark.needs_mirror

CAMBS, FENLAND, MANCHESTER, NORTH_YORKS, CUMBERLAND = "E10000003", "E07000010", "E08000003", "E06000065", "E06000063"


def _value(indicator_id: str, code: str, period: str, column: str = "value") -> float:
    d = indicators.get(indicator_id, areas=[code], periods=[period])
    assert len(d) == 1, f"{indicator_id} {code} {period}: {len(d)} rows"
    return float(d[column].iloc[0])


def _bus_raw(code: str, year_end: str) -> float:
    raw = pd.read_excel(
        MIRROR / "bus_passenger_journeys_la_2010_2024" / "bus01.ods", sheet_name="BUS01f", header=8, engine="calamine"
    )
    col = next(c for c in raw.columns if str(c).startswith(year_end))  # the latest year carries notes: "2024 [r] ..."
    return float(raw[raw["Local Authority (LA) Code"] == code].iloc[0][col])


def test_bus_per_head_county_from_the_raw_sheet_and_period_as_people_write_it():
    # DfT's column "2024" is the year ending March 2024: the store's 2023-24
    assert _value("bus-journeys-per-head", CAMBS, "2023-24") == pytest.approx(_bus_raw(CAMBS, "2024"))


def test_metropolitan_district_takes_its_transport_authoritys_bus_figure():
    d = indicators.get("bus-journeys-per-head", areas=[MANCHESTER], periods=["2019-20"])
    assert float(d["value"].iloc[0]) == pytest.approx(_bus_raw("E11000001", "2020"))  # Greater Manchester
    assert d["obtained"].iloc[0] == "transport authority"


def _ttw_raw(codes: set[str]) -> float:
    drive = total = 0.0
    path = MIRROR / "census2021_travel_to_work_method_ts061_la" / "TS061-2021-1.csv"
    for r in csv.DictReader(open(path, encoding="utf-8-sig")):
        if r["Lower Tier Local Authorities Code"] in codes:
            method = int(r["Method used to travel to workplace (12 categories) Code"])
            if method != 12:  # 12 = not in employment or aged 15 and under
                total += float(r["Observation"])
                drive += float(r["Observation"]) * (method == 7)  # 7 = driving a car or van
    return 100 * drive / total


def test_car_commuting_share_district_county_and_merged_council_from_the_raw_census_file():
    assert _value("car-commuting-share", FENLAND, "Census 2021") == pytest.approx(_ttw_raw({FENLAND}))
    cambs = {"E07000008", "E07000009", "E07000010", "E07000011", "E07000012"}
    assert _value("car-commuting-share", CAMBS, "Census 2021") == pytest.approx(_ttw_raw(cambs))
    # Cumberland (2023) pooled from Allerdale, Carlisle and Copeland, as published on 2021 boundaries
    assert _value("car-commuting-share", CUMBERLAND, "Census 2021") == pytest.approx(
        _ttw_raw({"E07000026", "E07000028", "E07000029"})
    )


def _spending_raw() -> dict[str, dict[str, float]]:
    path = MIRROR / "la_spending_power_2011_12_to_2020_21" / "SpendingMillions.csv"
    return {r["ons_code"]: r for r in csv.DictReader(open(path, encoding="utf-8-sig"))}


def test_core_spending_power_of_a_county_and_of_a_merged_council_from_the_raw_file():
    raw = _spending_raw()
    # the authors' column "2021" is 2020-21
    assert _value("core-spending-power", CAMBS, "2020-21") == pytest.approx(float(raw[CAMBS]["2021"]))
    # North Yorkshire (2023) = the county council plus its seven districts, each a body with its own budget
    former = ["E10000023", *(f"E0700016{i}" for i in range(3, 10))]
    assert _value("core-spending-power", NORTH_YORKS, "2020-21") == pytest.approx(
        sum(float(raw[c]["2021"]) for c in former)
    )


def _deflator_fy(first_year: int) -> float:
    """Mean of the four quarters of a financial year, read from ONS's YBGB csv."""
    path = MIRROR / "gdp_deflator_ybgb_ons_1948_2025" / "gdp_deflators_ybgb.csv"
    q = {r[0]: float(r[1]) for r in csv.reader(open(path, encoding="utf-8-sig")) if len(r) == 2 and " Q" in r[0]}
    quarters = [f"{first_year} Q2", f"{first_year} Q3", f"{first_year} Q4", f"{first_year + 1} Q1"]
    return sum(q[k] for k in quarters) / 4


def test_real_terms_value_against_a_hand_computation_with_the_gdp_deflator():
    assert _deflator_fy(2016) == pytest.approx(85.65)  # the dataset notes: 2016-17 = 85.65 (2022 = 100)
    assert _deflator_fy(2020) == pytest.approx(95.825, abs=0.005)  # 2020-21 = 95.83
    raw = float(_spending_raw()[CAMBS]["2017"])  # 2016-17, £ million cash
    d = indicators.get("core-spending-power", areas=[CAMBS], periods=["2016-17"]).iloc[0]
    assert d["price_base"] == "2024-25 prices"
    assert d["value_real"] == pytest.approx(raw * _deflator_fy(2024) / 85.65)


def _els_raw(table: str, code: str, indicator: str, period: str) -> tuple[float, str, str]:
    path = MIRROR / "ons_explore_local_statistics" / f"{table}.csv"
    for r in csv.DictReader(open(path, encoding="utf-8-sig")):
        if r["areacd"] == code and r["indicator"] == indicator and r["period"] == period:
            return float(r["observation"]), r["lci_95"], r["uci_95"]
    raise AssertionError(f"{table}: no row for {code} {period}")


def test_travel_time_gdhi_and_employment_from_the_raw_explore_local_statistics_files():
    v, _, _ = _els_raw("average-travel-time", FENLAND, "Public transport or walk to work", "2019-01-01/P1Y")
    assert _value("travel-time-public-transport-work", FENLAND, "2019") == pytest.approx(v)
    v, _, _ = _els_raw("gross-disposable-household-income-per-head", CAMBS, "Gross disposable household income",
                       "2019-01-01/P1Y")  # fmt: skip
    assert _value("gdhi-per-head", CAMBS, "2019") == pytest.approx(v)
    v, lo, hi = _els_raw("employment-rate", CAMBS, "Employment rate", "2019-01-01/P1Y")
    row = indicators.get("employment-rate", areas=[CAMBS], periods=["2019"]).iloc[0]
    assert (row["value"], row["lower"], row["upper"]) == pytest.approx((v, float(lo), float(hi)))


def test_rail_station_use_of_a_district_is_the_sum_of_its_stations_in_the_raw_workbook():
    from openpyxl import load_workbook

    wb = load_workbook(
        MIRROR / "rail_station_usage_orr_2017_18_2018_19" / "estimates-of-station-usage-2018-19.xlsx",
        read_only=True,
        data_only=True,
    )
    total = 0.0
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        for head in rows:
            if head and "Local Authority" in head and "1819 Entries & Exits" in head:
                la, col = head.index("Local Authority"), head.index("1819 Entries & Exits")
                total += sum(float(r[col] or 0) for r in rows if r and r[la] == "Fenland")
                break
        if total:
            break
    assert total > 0
    assert _value("rail-station-entries-exits", FENLAND, "2018-19") == pytest.approx(total)


def test_walking_interval_is_wilson_on_the_weighted_sample():
    from helpers.stats import wilson_ci

    row = indicators.get("walking-weekly-adults", areas=[FENLAND]).iloc[0]
    n = row["denominator"]
    lo, hi = wilson_ci([row["value"] / 100 * n], [n], multiplier=100)
    assert (row["lower"], row["upper"]) == pytest.approx((lo[0], hi[0]))
    assert row["lower"] < row["value"] < row["upper"]


def test_rsg_of_business_rates_retention_pilots_is_left_out_in_2017_18_only():
    from helpers.indicators.derive.finance import RATES_RETENTION_PILOTS_2017

    assert len(set(RATES_RETENTION_PILOTS_2017)) == 27
    rsg = indicators.get("revenue-support-grant", areas=[MANCHESTER, "E06000052", CAMBS])
    by = rsg.groupby("area_code")["period"].apply(set)
    assert "2013-14" in by[MANCHESTER] and "2017-18" not in by[MANCHESTER]
    assert "2017-18" not in by["E06000052"]  # Cornwall
    assert {"2013-14", "2017-18"} <= by[CAMBS]
    assert "caveats" in indicators.entry("revenue-support-grant").model_dump()
    assert "pilots" in indicators.entry("revenue-support-grant").caveats


def test_transport_poverty_index_is_for_lower_tier_councils_only():
    d = indicators.get("transport-poverty-index")
    assert set(d["area_type"]) <= {"district", "unitary", "metropolitan district", "london borough"}
    assert CAMBS not in set(d["area_code"]) and FENLAND in set(d["area_code"])
    assert d["period"].unique().tolist() == ["2019 to 2024"]


def test_catalogue_entries_of_this_section_validate_and_declare_their_breaks():
    ours = [
        "bus-journeys-per-head", "cycling-weekly-travel", "core-spending-power", "core-spending-power-per-head",
        "revenue-support-grant", "house-building-rate", "affordable-housing-completions-rate", "gdhi-per-head",
    ]  # fmt: skip
    kinds = {i: {(b.year, b.kind) for b in indicators.entry(i).breaks} for i in ours}
    assert {(2020, "exclude"), (2021, "exclude")} <= kinds["bus-journeys-per-head"]
    assert {(2020, "exclude"), (2021, "exclude")} <= kinds["cycling-weekly-travel"]
    assert (2016, "definition") in kinds["core-spending-power"]
    for money in ("core-spending-power", "council-tax-band-d", "revenue-support-grant", "gdhi-per-head"):
        assert indicators.entry(money).price_basis == "cash"
