"""Parsers of the children's services and school finance datasets, against values read from the raw files.

Each test reads the raw file independently (csv module, pandas on the workbook) or quotes the dataset's
``cambridgeshire_check`` in source.yaml, and compares with what ``helpers.load`` returns.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from helpers.parsers import children_services as cs
from helpers.parsers import schools_finance as sf

from .conftest import MIRROR

pytestmark = pytest.mark.needs_mirror


def _raw_rows(path, **match):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items())]


def test_dsg_parser_matches_source_check_and_maps_every_name():
    from helpers.datasets import load

    dsg = load(sf.DSG)
    assert len(dsg) == 478  # source.yaml: 3 years x (149/149/150 LAs + 9 regions + England)
    assert sf.unmapped_names(dsg) == []
    cam = dsg[dsg["area_code"] == "E10000003"].set_index("financial_year")["deficit_pct"]
    assert cam.to_dict() == pytest.approx({"2019-20": 3.59, "2020-21": 5.38, "2021-22": 7.33})
    y22 = dsg[dsg["year"] == 2022].set_index("area_code")["deficit_pct"]
    # source.yaml comparators_2021_22_pct: England 2.26, Norfolk 7.76, Suffolk 3.08, Peterborough -1.31
    assert y22["E92000001"] == pytest.approx(2.26)
    assert y22["E10000020"] == pytest.approx(7.76)
    assert y22["E10000029"] == pytest.approx(3.08)
    assert y22["E06000031"] == pytest.approx(-1.31)


def test_dsg_names_map_to_the_right_codes():
    from helpers.datasets import load

    dsg = load(sf.DSG)
    pairs = set(zip(dsg["area_name"], dsg["area_code"], strict=True))
    # a region name that would otherwise resolve to a council ("London" -> City of London)
    assert ("London", "E12000007") in pairs
    # abolished councils keep their own former codes; a county that became a unitary maps to its successor
    assert ("Cumbria", "E10000006") in pairs and ("Northamptonshire", "E10000021") in pairs
    assert ("Bristol, City of", "E06000023") in pairs and ("Kingston upon Hull, City of", "E06000010") in pairs
    raw = pd.read_excel(MIRROR / sf.DSG / sf.DSG_FILE, engine="openpyxl")
    assert dsg["area_code"].notna().sum() == len(raw)


def test_children_in_need_parser_matches_raw_rows():
    from helpers.datasets import load

    cin = load(cs.CIN).set_index(["area_code", "year"])
    path = MIRROR / cs.CIN / "b1_children_in_need_2013_to_2025.csv"
    for year in ("2021", "2025"):
        raw = _raw_rows(path, new_la_code="E10000003", time_period=year)[0]
        assert cin.loc[("E10000003", int(year)), "at_31_march"] == float(raw["At31_episodes"])
        assert cin.loc[("E10000003", int(year)), "any_point"] == float(raw["Anypoint_child"])
    assert cin.loc[("E10000003", 2025), "at_31_march"] == 2944  # read by hand from the file
    assert cin.loc[("E92000001", 2025), "at_31_march"] == 402400


def test_care_leavers_parser_matches_raw_rows():
    from helpers.datasets import load

    cl = load(cs.CARE_LEAVERS)
    cam = cl[(cl["area_code"] == "E10000003") & (cl["year"] == 2025) & (cl["age"] == "19 to 21 years")]
    cam = cam.set_index("activity")
    # by hand from la_care_leavers_activity.csv: Total 337, in EET 195 (58%), NEET 135 (40%)
    assert cam.loc["Total", "count"] == 337
    assert cam.loc["Total in education, employment or training", "count"] == 195
    assert cam.loc["Total in education, employment or training", "percent"] == 58
    assert cam.loc["Total not in education, employment or training", "count"] == 135
    assert not cl["percent"].gt(100).any()


def test_workforce_parser_matches_raw_rows():
    from helpers.datasets import load

    wf = load(cs.WORKFORCE).set_index(["area_code", "year"])
    raw = _raw_rows(
        MIRROR / cs.WORKFORCE / "csww_indicators_2017_to_2025.csv", new_la_code="E10000003", time_period="2025"
    )[0]
    for col in ("inpost_fte", "caseload_fte", "vacancy_rate_fte", "agency_rate_fte"):
        assert wf.loc[("E10000003", 2025), col] == float(raw[col])
    assert wf.loc[("E10000003", 2025), "caseload_fte"] == 15.2  # by hand


def test_ilacs_parsers_match_the_workbook():
    from helpers.datasets import load

    hist = load(cs.ILACS, "history")
    cam = hist[hist["area_code"] == "E10000003"].sort_values("inspection_date")
    # by hand: 14 January 2019 short inspection (overall RI, leaders Good); 4 March 2024 standard inspection (RI)
    assert cam["inspection_date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-01-14", "2024-03-04"]
    assert cam["inspection_type"].tolist() == ["ILACS Short Inspection", "ILACS Standard Inspection"]
    assert cam.iloc[0]["leaders"] == "Good" and cam.iloc[0]["overall"] == "Requires improvement to be good"
    assert pd.isna(cam.iloc[0]["care_leavers"])  # sub-judgement only from 2023
    assert set(hist.loc[hist["status"] == "No longer exists", "area_name"]) == {
        "Bournemouth",
        "Cumbria",
        "Northamptonshire",
    }
    latest = load(cs.ILACS, "latest").set_index("area_code")
    assert len(latest) == 153
    assert latest.loc["E09000001", "overall"] == "Outstanding"  # City of London, September 2024
    assert latest.loc["E06000053", "overall"] == "Inadequate"  # Isles of Scilly, July 2023
