"""Derivations for communities, Covid recovery and the council's own services (briefing 01).

Council measures come from the MHCLG revenue outturn (RSX/RO3, £ thousand, cash): they describe the council's
own spending, so a county's value is its own and is never filled from its districts.
"""

from __future__ import annotations

import pandas as pd

from ..store import derivation

RSX = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"


@derivation("staff_cost_share")
def staff_cost_share() -> pd.DataFrame:
    """Council employees' costs as % of gross service expenditure outside education (RSX: employees C1 over
    total expenditure C3, education left out because academies take school staff off the council's books)."""
    from ...datasets import load

    d = load(RSX, "rsx_employees")
    num = d["all_employees"] - d["education_employees"]
    den = d["all_total"] - d["education_total"]
    out = d[["area_code", "year"]].assign(numerator=num, denominator=den)
    out = out[out["denominator"] > 0]
    return out.assign(value=100 * out["numerator"] / out["denominator"])


@derivation("ro3_lines_total")
def ro3_lines_total(lines: list[str], measure: str = "net") -> pd.DataFrame:
    """The sum of named RO3 outturn lines (``net`` or ``running`` expenditure, £ thousand, cash) per council
    and year; a council missing any of the lines gets no value."""
    from ...datasets import load

    d = load(RSX, "ro3_lines")
    d = d[d["line"].isin(lines)]
    g = d.groupby(["area_code", "year"])[measure]
    out = g.sum(min_count=1).to_frame("value")
    out = out[g.count() == len(lines)]
    return out.reset_index()


@derivation("libraries_count")
def libraries_count() -> pd.DataFrame:
    """Statutory public libraries per library authority in April 2010 (year 2010) and July 2016 (year 2016)
    (DCMS Libraries Taskforce basic dataset)."""
    from ...datasets import load

    d = load("public_libraries_england_la_2010_2016", "authorities")
    long = d.melt(id_vars=["area_code"], value_vars=["statutory_2010", "statutory_2016"], value_name="value")
    long["year"] = long["variable"].str[-4:].astype(int)
    return long[["area_code", "year", "value"]]


@derivation("current_codes_only")
def current_codes_only(
    dataset: str,
    table: str | None = None,
    filter: dict | None = None,
    columns: dict | None = None,
    scale: float = 1.0,
) -> pd.DataFrame:
    """A published table's ``area_code, year, value`` rows (``filter``: column -> wanted value; ``columns``:
    store column -> table column) for areas whose code is still current: rows of former councils are dropped, so
    a council formed by merger gets no value rather than one former council's (the table has no counts to add
    them up with; see the report on the store's relabelling)."""
    from ... import areas
    from ...datasets import load

    d = load(dataset, table)
    for col, want in (filter or {}).items():
        d = d[d[col] == want]
    d = d.rename(columns={v: k for k, v in (columns or {}).items()})
    codes = d["area_code"].astype(str)
    d = d[areas.harmonise_codes(codes).to_numpy() == codes.to_numpy()]
    return d[["area_code", "year"]].assign(value=pd.to_numeric(d["value"], errors="coerce") * scale)
