"""Reusable pandera column definitions shared by the dataset parsers."""

from __future__ import annotations

import pandera.pandas as pa

#: A 9-character ONS GSS code for an English/Welsh/Scottish/NI/UK area, e.g. E10000003.
GSS_PATTERN = r"^[EWSNK]\d{8}$"
#: 2011 or 2021 LSOA code.
LSOA_PATTERN = r"^[EW]010\d{5}$"


def gss_code(nullable: bool = False, **kw) -> pa.Column:
    """A column of well-formed GSS area codes."""
    return pa.Column(str, pa.Check.str_matches(GSS_PATTERN), nullable=nullable, **kw)


def share(nullable: bool = True) -> pa.Column:
    """A proportion between 0 and 1."""
    return pa.Column(float, pa.Check.in_range(0, 1), nullable=nullable)


def non_negative(dtype=float, nullable: bool = True) -> pa.Column:
    """A count, rate or amount that cannot be negative."""
    return pa.Column(dtype, pa.Check.ge(0), nullable=nullable)


def year(lo: int = 1970, hi: int = 2030) -> pa.Column:
    """A calendar or financial year as an integer."""
    return pa.Column(int, pa.Check.in_range(lo, hi))
