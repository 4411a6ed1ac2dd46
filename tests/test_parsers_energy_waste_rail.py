"""Parsers of the renewable generation, waste and rail station datasets, against values read by hand from the raw
files (and the publishers' check values in each source.yaml)."""

from __future__ import annotations

import pytest

from helpers import la_names
from helpers.datasets import load

pytestmark = pytest.mark.needs_mirror

CAMBS = ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]


def test_renewables_cambridgeshire_totals_match_source_check():
    g = load("renewable_electricity_generation_la_2018_2022_2024", "generation")
    cam = g[g["area_code"].isin(CAMBS)].groupby("year")["mwh"].sum()
    # source.yaml cambridgeshire_check: county_total_generation_mwh
    assert cam.loc[2018] == pytest.approx(1374356, abs=1)
    assert cam.loc[2022] == pytest.approx(1480738, abs=1)
    assert cam.loc[2024] == pytest.approx(1615781, abs=1)
    pv = g[g["area_code"].isin(CAMBS) & (g["technology"] == "Photovoltaics")].groupby("year")["mwh"].sum()
    assert pv.loc[2024] == pytest.approx(671640, abs=1)
    # raw 2018 file, first English row: Adur photovoltaics 2690.02 MWh
    adur = g[(g["area_code"] == "E07000223") & (g["year"] == 2018) & (g["technology"] == "Photovoltaics")]
    assert adur["mwh"].iloc[0] == pytest.approx(2690.02)


def test_household_recycling_fenland_and_financial_years():
    r = load("household_waste_recycling_rate_la_2015_16_to_2023_24", "household_recycling")
    fen = r[r["area_code"] == "E07000010"].set_index("period")["value"]
    assert fen.loc["2015-16"] == pytest.approx(49.4) and fen.loc["2017-18"] == pytest.approx(38.8)
    assert fen.loc["2023-24"] == pytest.approx(40.0)
    assert r[r["period"] == "2019-20"]["year"].unique().tolist() == [2020]
    # Greater Cambridge reports jointly after 2015-16 (source.yaml): only one year for Cambridge
    assert r[r["area_code"] == "E07000008"]["period"].tolist() == ["2015-16"]


def test_lacw_management_cambridgeshire_and_england():
    m = load("lacw_management_by_waste_authority_sdg_11_6_1_2000_01_to_2020_21", "management")
    rc = m[m["method"] == "Recycled-composted"]
    cam = rc[rc["authority"] == "Cambridgeshire County Council"].set_index("period")["pct"]
    assert cam.round(1).to_dict()["2014-15"] == 58.7 and round(cam.loc["2020-21"], 1) == 53.9
    eng = rc[rc["level"] == "england"].set_index("period")["pct"]
    assert round(eng.loc["2014-15"], 1) == 42.9 and round(eng.loc["2020-21"], 1) == 41.4
    assert la_names.current_code("Cambridgeshire County Council") == "E10000003"
    assert la_names.current_code("Bexley LB") == "E09000004"


def test_rail_station_usage_against_raw_workbook():
    st = load("rail_station_usage_orr_2017_18_2018_19", "stations").set_index("tlc")
    assert st.loc["CBG", "entries_exits_1819"] == 11983320 and st.loc["CBG", "entries_exits_1718"] == 11530238
    assert st.loc["MCH", "entries_exits_1819"] == 407914
    fenland = st[st["local_authority"] == "Fenland"]["entries_exits_1819"].sum()
    assert fenland == 458850  # source.yaml: Fenland 458,850 (3 stations)
    # ORR names pre-2019 districts: Corby is mapped to North Northamptonshire
    assert la_names.current_code("Corby") == "E06000061"
    assert la_names.current_code("City of Peterborough") == "E06000031"
