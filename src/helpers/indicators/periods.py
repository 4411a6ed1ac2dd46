"""Periods as people write them, with ISO start and end dates, from a table's ``year`` and the catalogue entry.

``year`` in the store always means the first calendar year of the period (a financial year 2023-24 is 2023; a
three-year rolling period 2021 to 2023 is 2021), whatever the source table meant by it.
"""

from __future__ import annotations

import pandas as pd

from .catalogue import Period


def start_year(year: pd.Series, period: Period) -> pd.Series:
    """The period's first calendar year from the table's ``year`` (its first or last year)."""
    y = year.astype(int)
    if period.year_is == "start":
        return y
    span = {"financial_year": 1, "academic_year": 1, "rolling_years": period.years - 1}.get(period.kind, 0)
    return y - span


def label(start: int, period: Period) -> str:
    """``2023`` -> "2023" (calendar), "2023-24" (financial), "2023/24" (academic), "mid-2023", "2021 to 2023"
    (three-year rolling from 2021), "Census 2021"."""
    kind = period.kind
    if kind == "financial_year":
        return f"{start}-{(start + 1) % 100:02d}"
    if kind == "academic_year":
        return f"{start}/{(start + 1) % 100:02d}"
    if kind == "mid_year":
        return f"mid-{start}"
    if kind == "rolling_years" and period.years > 1:
        return f"{start} to {start + period.years - 1}"
    if kind == "census":
        return f"Census {start}"
    return str(start)


def bounds(start: int, period: Period) -> tuple[str, str]:
    """ISO start and end dates of the period beginning in calendar year ``start``."""
    kind = period.kind
    if kind == "financial_year":
        return f"{start}-04-01", f"{start + 1}-03-31"
    if kind == "academic_year":
        return f"{start}-09-01", f"{start + 1}-08-31"
    if kind == "mid_year":
        return f"{start}-06-30", f"{start}-06-30"
    if kind == "census":
        return f"{start}-03-21", f"{start}-03-21"
    if kind == "rolling_years":
        return f"{start}-01-01", f"{start + period.years - 1}-12-31"
    return f"{start}-01-01", f"{start}-12-31"


def end_year(start: int, period: Period) -> int:
    """The calendar year in which the period ends (for comparing with a manifesto's date)."""
    return int(bounds(start, period)[1][:4])
