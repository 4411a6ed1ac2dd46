"""The RO3 service-line and RSX employees parsers (helpers.parsers.outturn_services) against cells read by hand from
the raw ODS files of la_revenue_outturn_rsx_ro3_2023_24_2024_25 (£ thousand, cash)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.datasets import load

pytestmark = pytest.mark.needs_mirror

OUTTURN = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"


@pytest.fixture(scope="module")
def ro3():
    return load(OUTTURN, "ro3_lines").set_index(["area_code", "year", "line"])


@pytest.fixture(scope="module")
def rsx():
    return load(OUTTURN, "rsx_employees").set_index(["area_code", "year"])


def test_ro3_cambridgeshire_2023_24_cells(ro3):
    # RO3_2023-24_data_by_LA.ods, sheet RO3_LA_Data_2023-24, row "Cambridgeshire CC" (E0521)
    c = "E10000003"
    assert ro3.loc[(c, 2023, "public_health_total"), ["running", "net"]].tolist() == [42550.0, 36896.0]
    assert ro3.loc[(c, 2023, "public_mental_health"), ["running", "net"]].tolist() == [1374.0, 1560.0]
    assert ro3.loc[(c, 2023, "physical_support_18_64"), "net"] == 13353.0
    assert ro3.loc[(c, 2023, "learning_disability_18_64"), "net"] == 77153.0
    assert ro3.loc[(c, 2023, "mental_health_support_18_64"), "net"] == 8212.0
    assert ro3.loc[(c, 2023, "mental_health_support_65_plus"), "net"] == 9207.0


def test_ro3_2024_25_cells(ro3):
    # RO3_LA_Data_2024-25_data_by_LA.ods, sheet RO3_LA_Data_202425 (one "<service> - <measure>" header row)
    assert ro3.loc[("E10000003", 2024, "public_health_total"), ["running", "net"]].tolist() == [43333.0, 35570.0]
    assert ro3.loc[("E10000003", 2024, "learning_disability_18_64"), "net"] == 80733.0
    assert ro3.loc[("E06000031", 2024, "public_health_total"), "net"] == 15251.0
    assert ro3.loc[("E06000031", 2024, "learning_disability_18_64"), "net"] == pytest.approx(26176.96)
    assert ro3.loc[("E92000001", 2024, "public_health_total"), "net"] == pytest.approx(4131934.85218)


def test_ro3_non_submitting_council_is_missing_not_zero(ro3):
    # Cumberland (E0901) shows '[x]' in 2024-25 and Westmorland and Furness in 2023-24
    assert ro3.loc[("E06000063", 2024, "public_health_total"), ["running", "net"]].isna().all()
    assert ro3.loc[("E06000063", 2023, "public_health_total"), "net"] > 0
    assert pd.isna(ro3.loc[("E06000064", 2023, "public_health_total"), "net"])


def test_rsx_employees_cells(rsx):
    # RSX_LA_Data_2024-25_data_by_LA.ods, sheet RSX_LA_Data_202425
    assert rsx.loc[
        ("E10000003", 2024), ["all_employees", "all_total", "education_employees", "education_total"]
    ].tolist() == [
        344864.0,
        1253513.0,
        192876.0,
        440577.0,
    ]
    assert rsx.loc[("E06000031", 2024), "all_employees"] == pytest.approx(154066.09)
    assert rsx.loc[("E06000031", 2024), "education_total"] == pytest.approx(171852.03)
    # RSX_2023-24 (header "Education services- Total Expenditure" without the space before the dash)
    assert rsx.loc[
        ("E10000003", 2023), ["all_employees", "all_total", "education_employees", "education_total"]
    ].tolist() == [
        334861.0,
        1202490.0,
        189941.0,
        431810.0,
    ]
