"""Parser for the DCLG/MHCLG Revenue Outturn Summary (RS): Revenue Support Grant and net revenue expenditure,
checked against cells read from the raw workbooks (sheets 'RS LA Data 2013-14 (1)' and 'RS LA Data 2017-18';
the grant is entered there as negative income, £ thousand)."""

from __future__ import annotations

import pytest

from helpers.datasets import load
from helpers.parsers.council_finance import RS


@pytest.fixture(scope="module")
def rs():
    return load(RS, "rsg").set_index(["area_code", "year"])


@pytest.mark.parametrize(
    ("code", "year", "column", "expected"),
    [
        ("E10000003", 2013, "rsg", 85870),  # Cambridgeshire CC, E0521: -85870 in the 2013-14 workbook
        ("E10000003", 2014, "rsg", 72017),
        ("E10000003", 2017, "rsg", 15312),
        ("E10000003", 2013, "net_revenue_expenditure", 369657),
        ("E10000003", 2017, "net_revenue_expenditure", 347480.098),
        ("E06000031", 2013, "rsg", 55166),  # Peterborough, E0501 (no GSS code in 2013-14: mapped by E-code)
        ("E06000031", 2017, "rsg", 19821),
        ("E06000053", 2017, "rsg", 1862),  # Isles of Scilly, E4001
    ],
)
def test_values_match_the_workbooks(rs, code, year, column, expected):
    assert rs.loc[(code, year), column] == pytest.approx(expected)


def test_three_years_since_business_rates_retention_and_no_negative_grant(rs):
    years = sorted(set(rs.index.get_level_values("year")))
    assert years == [2013, 2014, 2017]
    assert (rs["rsg"].dropna() >= 0).all()
