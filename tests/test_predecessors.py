"""helpers.predecessors: merged councils added up from their former councils, not relabelled.

Expected values are read by hand from the raw files in ../shared/data (SpendingMillions.csv of
la_spending_power_2011_12_to_2020_21; £ million, cash) or are closed forms on constructed frames.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import predecessors as P
from helpers.datasets import load

SPEND = "la_spending_power_2011_12_to_2020_21"


def _names(code: str) -> dict[str, bool]:
    return {p.name: p.whole for p in P.predecessors(code)}


def test_cumbria_split_between_cumberland_and_westmorland_and_furness():
    cumberland, wf = _names("E06000063"), _names("E06000064")
    assert {n for n, whole in cumberland.items() if whole} == {"Allerdale", "Carlisle", "Copeland"}
    assert {n for n, whole in wf.items() if whole} == {"Barrow-in-Furness", "Eden", "South Lakeland"}
    # the county went to both: it is a partial predecessor of each, never a whole one
    assert cumberland["Cumbria"] is False and wf["Cumbria"] is False


def test_somerset_chain_and_dorset_split_are_derived_from_the_hierarchy():
    somerset = _names("E06000066")
    # Taunton Deane and West Somerset became Somerset West and Taunton in 2019, which became Somerset in 2023
    assert {
        "Somerset",
        "Mendip",
        "Sedgemoor",
        "South Somerset",
        "Somerset West and Taunton",
        "Taunton Deane",
        "West Somerset",
    } == set(somerset)
    assert all(somerset.values())
    # Christchurch went to BCP, so Dorset County was split even though its successor is recorded as Dorset Council
    assert _names("E06000059")["Dorset County"] is False
    assert _names("E06000058") == {"Bournemouth": True, "Poole": True, "Christchurch": True}
    assert set(P.merged_councils()) >= {f"E0600006{i}" for i in range(6)} | {"E06000058", "E06000059"}


def test_councils_that_were_not_merged_have_no_predecessors():
    assert P.predecessors("E10000003") == []  # Cambridgeshire
    assert P.predecessors("E06000053") == []  # Isles of Scilly


def _spend(code: str, year: int, frame: pd.DataFrame) -> float:
    row = frame[(frame["area_code"] == code) & (frame["year"] == year)]
    assert len(row) == 1, f"{code} {year}: {len(row)} rows"
    return float(row["value"].iloc[0])


def test_somerset_spending_power_is_the_sum_of_its_six_former_councils():
    agg = P.aggregate(load(SPEND, "spending_power"), county_is="body", codes=["E06000066"])
    # raw file, column 2012 (= 2011-12): Somerset CC 359.93, Mendip 13.35, Sedgemoor 14.09, South Somerset 18.22,
    # Taunton Deane 12.55, West Somerset 4.98
    assert _spend("E06000066", 2011, agg) == pytest.approx(359.93 + 13.35 + 14.09 + 18.22 + 12.55 + 4.98)
    row = agg[(agg["area_code"] == "E06000066") & (agg["year"] == 2011)].iloc[0]
    assert row["aggregated_from"].split(",") == sorted(
        ["E10000027", "E07000187", "E07000188", "E07000189", "E07000190", "E07000191"]
    )
    # not Mendip's own figure relabelled (the bug of issue 18)
    assert _spend("E06000066", 2011, agg) != pytest.approx(13.35)
    # 2019-20: Somerset West and Taunton is not in the file ('..' for its predecessors): no total, with the reason
    gap = agg[(agg["area_code"] == "E06000066") & (agg["year"] == 2019)].iloc[0]
    assert math.isnan(gap["value"]) and "Taunton Deane" in gap["unavailable"]
    # former councils' own rows are dropped from the result
    assert not agg["area_code"].isin(["E07000187", "E10000027"]).any()


def test_north_yorkshire_2020_21_adds_the_county_and_seven_districts():
    agg = P.aggregate(load(SPEND, "spending_power"), county_is="body", codes=["E06000065"])
    # raw file, column 2021 (= 2020-21): North Yorkshire CC 433.46; Craven 6.43, Hambleton 8.8, Harrogate 21.41,
    # Richmondshire 6.8, Ryedale 7.61, Scarborough 14.27, Selby 11.09
    expected = 433.46 + 6.43 + 8.8 + 21.41 + 6.8 + 7.61 + 14.27 + 11.09
    assert _spend("E06000065", 2020, agg) == pytest.approx(expected)


def test_split_county_makes_a_council_budget_total_unavailable():
    agg = P.aggregate(load(SPEND, "spending_power"), county_is="body", codes=["E06000063"])
    row = agg[(agg["area_code"] == "E06000063") & (agg["year"] == 2016)].iloc[0]
    assert math.isnan(row["value"])
    assert "Cumbria" in row["unavailable"] and "Westmorland and Furness" in row["unavailable"]


def test_area_totals_never_add_a_county_to_its_districts_and_rates_are_recomputed():
    # constructed frame: Cumbria's three Cumberland districts with dwellings added (num) and stock (den)
    f = pd.DataFrame(
        {
            "area_code": ["E07000026", "E07000028", "E07000029", "E10000006"],
            "year": 2020,
            "added": [100.0, 300.0, 50.0, 999.0],
            "stock": [10_000.0, 20_000.0, 30_000.0, 120_000.0],
            "per_1000": [10.0, 15.0, 1 + 2 / 3, 8.3],
            "ratio": [5.0, 6.0, 7.0, 6.1],
        }
    )
    agg = P.aggregate(f, county_is="area", sums=["added", "stock"], rates={"per_1000": ("added", "stock", 1000)})
    row = agg[agg["area_code"] == "E06000063"].iloc[0]
    assert row["added"] == 450 and row["stock"] == 60_000
    assert row["per_1000"] == pytest.approx(7.5)  # 1000 * 450 / 60000, not the mean of the three rates (8.9)
    assert math.isnan(row["ratio"]) and "ratio" in row["unavailable"]


def test_a_county_taken_over_whole_stands_for_the_new_council_in_area_data():
    f = pd.DataFrame(
        {
            "area_code": ["E10000027", "E07000187", "E07000188", "E07000189", "E07000246"],
            "year": 2021,
            "ratio": [9.24, 8.0, 7.0, 9.0, 8.5],
        }
    )
    agg = P.aggregate(f, county_is="area", sums=[])
    row = agg[agg["area_code"] == "E06000066"].iloc[0]
    assert row["ratio"] == pytest.approx(9.24) and row["unavailable"] == ""
    assert row["aggregated_from"] == "E10000027"


def test_missing_part_makes_the_sum_missing_not_smaller():
    f = pd.DataFrame({"area_code": ["E07000026", "E07000028"], "year": 2020, "value": [1.0, 2.0]})
    agg = P.aggregate(f, county_is="area")
    row = agg[agg["area_code"] == "E06000063"].iloc[0]
    assert np.isnan(row["value"]) and "Copeland" in row["unavailable"]


def test_former_code_of_a_council_that_only_changed_code_is_relabelled():
    f = pd.DataFrame({"area_code": ["E07000100"], "year": [2015], "value": [3.0]})
    assert P.aggregate(f, county_is="area")["area_code"].tolist() == ["E07000240"]  # St Albans


def test_bad_arguments_are_one_line_errors():
    f = pd.DataFrame({"area_code": ["E07000026"], "year": [2020], "value": [1.0]})
    with pytest.raises(ValueError, match="county_is"):
        P.aggregate(f, county_is="tier")
    with pytest.raises(ValueError, match="column 'population'"):
        P.aggregate(f, county_is="area", rates={"x": ("value", "population", 1)})


def test_survey_rate_gap_names_the_merger():
    """A percentage published only for former councils is a stated gap for the merged council, not a relabel."""
    text = P.rate_gap_text("E06000066", "Somerset", "DfT's cycling table CW0302")
    assert text.startswith("Somerset was formed in 2023 from ")
    assert "Mendip" in text and "Sedgemoor" in text and "Taunton Deane" not in text  # 2019 round left out
    assert "cannot be added up" in text
    assert P.rate_gap_text("E10000003", "Cambridgeshire", "x") == ""
