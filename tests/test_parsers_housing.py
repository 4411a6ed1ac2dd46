"""Parser for the Centre for Cities housebuilding workbook, checked against cells read from the raw file
(LAs_2023_housebuilding_stocks_demos_rates_pop_1974_2023_CfC_release_2025_04_29.xlsx, sheets named below)."""

from __future__ import annotations

import pytest

from helpers.datasets import load
from helpers.parsers.housing import HOUSEBUILDING


@pytest.fixture(scope="module")
def hb():
    return load(HOUSEBUILDING, "housebuilding").set_index(["area_code", "year"])


@pytest.mark.parametrize(
    ("code", "year", "column", "expected"),
    [
        ("E07000008", 2020, "all_new", 453.5),  # all_new_building, Cambridge
        ("E07000008", 2023, "all_new", 422.0),
        ("E06000031", 2023, "all_new", 691.5),  # Peterborough
        ("E07000008", 2020, "affordable_not_social", 148.0),  # affordable_not_social
        ("E07000010", 2023, "affordable_not_social", 182.5),  # Fenland
        ("E07000008", 2010, "social_rent", 223.0),  # social_rented
        ("E07000008", 2023, "social_rent", 32.25),
        ("E06000031", 2023, "social_rent", 0.0),
        ("E07000011", 2020, "s106", 320.0),  # S106_delivered, Huntingdonshire
        ("E07000008", 2023, "stock", 57863.0),  # stocks
        ("E09000007", 1974, "all_new", -185.0),  # a negative cell kept as published (Camden)
    ],
)
def test_values_match_the_workbook(hb, code, year, column, expected):
    assert hb.loc[(code, year), column] == pytest.approx(expected)


def test_affordable_is_social_plus_other_affordable_and_missing_before_1991(hb):
    # Cambridge 2023: 195.25 affordable-not-social + 32.25 social rent (both sheets, row E07000008)
    assert hb.loc[("E07000008", 2023), "affordable"] == pytest.approx(227.5)
    assert hb.loc[("E07000008", 1985), "affordable"] != hb.loc[("E07000008", 1985), "affordable"]  # NaN


def test_one_row_per_district_on_2023_boundaries(hb):
    codes = hb.index.get_level_values("area_code").unique()
    assert len(codes) == 296  # the code-less row of the affordable sheets is dropped
    assert {"E06000063", "E06000066", "E06000061"} <= set(codes)  # new councils have back series
    assert not any(c.startswith("E10") for c in codes)  # no county rows
