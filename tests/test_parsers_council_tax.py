"""Council tax (DLUHC CTR returns) parser against values read by hand from the raw workbooks.

Expected values were read from the 'Data' sheets of ctr_1516.xlsx, ctr_1617.xlsx, ctr_1920.xlsx, ctr_2021.xlsx
and from sheets Data_Billing / Data_Precepting of ctr_table9_2023_24.ods (the mirror's source.yaml records the
same Cambridgeshire figures).
"""

from __future__ import annotations

import pytest

from helpers import load
from helpers.parsers.council_tax import COUNCIL_TAX

pytestmark = pytest.mark.needs_mirror

CAMBS = "E10000003"


@pytest.fixture(scope="module")
def band_d():
    return load(COUNCIL_TAX, "band_d").set_index(["area_code", "year"])


@pytest.fixture(scope="module")
def asc():
    return load(COUNCIL_TAX, "asc_precept").set_index(["area_code", "year"])


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2014, 1121.94),  # ctr_1516 previous-year column
        (2015, 1144.26),
        (2016, 1167.12),
        (2017, 1190.43),
        (2018, 1249.83),
        (2019, 1312.11),
        (2020, 1359.18),
        (2021, 1399.77),
        (2022, 1469.61),
        (2023, 1542.87),  # ods Data_Precepting line 3, current year
    ],
)
def test_cambridgeshire_band_d_every_year(band_d, year, expected):
    assert band_d.loc[(CAMBS, year), "band_d"] == pytest.approx(expected, abs=0.005)


def test_cambridgeshire_requirement_and_tax_base(band_d):
    assert band_d.loc[(CAMBS, 2014), "council_tax_requirement"] == pytest.approx(234_668_336)
    assert band_d.loc[(CAMBS, 2016), "council_tax_requirement"] == pytest.approx(253_456_564.39)
    assert band_d.loc[(CAMBS, 2023), "council_tax_requirement"] == pytest.approx(371_811_613)
    assert band_d.loc[(CAMBS, 2014), "tax_base"] == pytest.approx(209_163)
    assert band_d.loc[(CAMBS, 2020), "tax_base"] == pytest.approx(230_927.6)
    assert band_d.loc[(CAMBS, 2023), "tax_base"] == pytest.approx(240_987)


def test_labels_and_financial_year(band_d):
    row = band_d.loc[(CAMBS, 2023)]
    assert row["financial_year"] == "2023-24"
    assert row["authority"] == "Cambridgeshire"
    assert row["la_class"] == "SC"


def test_billing_authority_in_the_ods_layout(band_d):
    """Peterborough and Cambridge, 2023-24, from Data_Billing (lines 8, 9 and 17, current year)."""
    peterborough = band_d.loc[("E06000031", 2023)]
    assert peterborough["band_d"] == pytest.approx(1598.97)
    assert peterborough["band_d_excl_parish"] == pytest.approx(1587.08)
    assert peterborough["band_d_area_total"] == pytest.approx(1963.41)
    assert band_d.loc[("E07000008", 2023), "band_d"] == pytest.approx(218.85)
    assert band_d.loc[("E07000008", 2023), "band_d_area_total"] == pytest.approx(2126.16)


def test_england_row(band_d):
    assert band_d.loc[("E92000001", 2023), "band_d"] == pytest.approx(2065.06)
    assert band_d.loc[("E92000001", 2023), "authority"] == "England"


def test_codes_before_2020_come_from_the_later_workbooks(band_d):
    """The 2014-15 workbook has DLUHC E-codes only; Cambridge (E0531) must still be found by GSS code."""
    assert band_d.loc[("E07000008", 2014), "authority"] == "Cambridge"
    assert band_d.index.get_level_values("year").min() == 2014


@pytest.mark.parametrize(
    ("year", "element", "percent", "total"),
    [
        (2016, 22.86, 2.0, 4_964_371.33),
        (2019, 25.00, 2.0, 5_676_978),
        (2020, 26.24, 2.0, 6_060_048),  # stored as a fraction (0.02) in ctr_2021.xlsx
        (2021, 13.59, 1.0, None),
        (2022, 41.99, 3.0, None),
        (2023, 29.39, 2.0, 7_082_608),
    ],
)
def test_cambridgeshire_asc_precept(asc, year, element, percent, total):
    row = asc.loc[(CAMBS, year)]
    assert row["asc_element"] == pytest.approx(element, abs=0.005)
    assert row["asc_percent"] == pytest.approx(percent, abs=0.01)
    if total is not None:
        assert row["asc_precept_total"] == pytest.approx(total)


def test_asc_total_is_element_times_tax_base(asc, band_d):
    """The published relation (source notes): total ASC precept = that year's element x tax base."""
    total = asc.loc[(CAMBS, 2020), "asc_precept_total"]
    assert total == pytest.approx(26.24 * band_d.loc[(CAMBS, 2020), "tax_base"], rel=1e-4)


def test_asc_table_only_social_care_authorities(asc):
    classes = set(asc["la_class"])
    assert classes <= {"SC", "UA", "MD", "ILB", "OLB", "Eng"}
    assert ("E07000008", 2023) not in asc.index  # Cambridge city has no social care duties


def test_shadow_year_zero_band_d_is_missing(band_d, asc):
    """BCP's 2019-20 figures sit in the re-organisation block; the 0 on line 8 is not a tax level."""
    import math

    assert math.isnan(band_d.loc[("E06000058", 2019), "band_d"])
    assert ("E06000058", 2019) not in asc.index
