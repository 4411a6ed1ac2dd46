"""The RO3 revenue outturn parser (services for young people, Sure Start) against cells read from the raw ODS files."""

from __future__ import annotations

import pytest

from helpers.datasets import load

pytestmark = pytest.mark.needs_mirror


@pytest.fixture(scope="module")
def ro3():
    return load("la_revenue_outturn_rsx_ro3_2023_24_2024_25", "ro3_young_people").set_index(["area_code", "year"])


def test_cambridgeshire_and_peterborough_cells(ro3):
    # RO3_2023-24 sheet, row "Cambridgeshire CC": services for young people C3 3,502 and C7 3,292; Sure Start C7 7,120
    assert ro3.loc[("E10000003", 2023), ["young_people_gross", "young_people_net", "sure_start_net"]].tolist() == [
        3502.0,
        3292.0,
        7120.0,
    ]
    # RO3 2024-25 sheet: Cambridgeshire CC C7 3,499; Peterborough UA 255 (2023-24) and 3,229.97 (2024-25)
    assert ro3.loc[("E10000003", 2024), "young_people_net"] == 3499.0
    assert ro3.loc[("E06000031", 2023), "young_people_net"] == 255.0
    assert ro3.loc[("E06000031", 2024), "young_people_net"] == pytest.approx(3229.97)


def test_one_row_per_council_and_england_each_year(ro3):
    frame = ro3.reset_index()
    assert frame.groupby("year").size().tolist() == [154, 154]  # 21 counties + 132 single-tier councils + England
    assert (frame["la_class"] == "SC").sum() == 42
    assert ro3.loc[("E92000001", 2024), "young_people_net"] == pytest.approx(475604.43713, rel=1e-9)
