"""The public libraries parser against values read by hand from the raw LibrariesHacked CSVs."""

from __future__ import annotations

import pytest

from helpers.datasets import load

pytestmark = pytest.mark.needs_mirror
LIB = "public_libraries_england_la_2010_2016"


@pytest.fixture(scope="module")
def libraries():
    return load(LIB)


def test_one_row_per_library_with_flags(libraries):
    assert len(libraries) == 3238  # rows in libraries.csv
    assert int(libraries["statutory_2010"].sum()) == 2926 and int(libraries["statutory_2016"].sum()) == 2728
    # libraries.csv, id 1: "Barking", authority 1 (Barking and Dagenham, E09000002), t/t, LAL, 72 hours
    row = libraries.set_index("library_id").loc[1]
    assert row["library_name"] == "Barking" and row["area_code"] == "E09000002"
    assert bool(row["statutory_2010"]) and bool(row["statutory_2016"]) and row["type"] == "LAL"


def test_cambridgeshire_rows_read_from_the_raw_file(libraries):
    cambs = libraries[libraries["area_code"] == "E10000003"]
    assert len(cambs) == 45
    # "Ramsey Library": the old one closed and replaced (XLR) in 2011, the new one opened in 2011
    ramsey = cambs[cambs["library_name"] == "Ramsey Library"].sort_values("statutory_2010", ascending=False)
    assert ramsey["closed"].tolist()[0] == "XLR" and int(ramsey["closed_year"].iloc[0]) == 2011
    assert int(ramsey["opened_year"].iloc[1]) == 2011 and ramsey["closed"].isna().iloc[1]
    hub = cambs[cambs["library_name"] == "Chatteris Community Hub"].iloc[0]
    assert not hub["statutory_2010"] and hub["statutory_2016"] and int(hub["opened_year"]) == 2013


def test_authorities_table_matches_source_checks():
    auth = load(LIB, "authorities").set_index("area_code")
    assert len(auth) == 151
    # source.yaml cambridgeshire_check: Cambridgeshire 31 -> 32 (2 closed and replaced); Peterborough 10 -> 10, 2 closed
    assert auth.loc["E10000003", ["statutory_2010", "statutory_2016", "closed_2010_2016"]].tolist() == [31, 32, 2]
    assert auth.loc["E06000031", ["statutory_2010", "statutory_2016", "closed_2010_2016"]].tolist() == [10, 10, 2]
    assert "E06000053" not in auth.index  # the Isles of Scilly is not a library authority in this dataset
