"""Housing indicators computed from Centre for Cities' compilation of MHCLG housebuilding statistics (2023
boundaries, calendar years): completions per 1,000 existing dwellings and the dwelling stock, for districts and
single-tier councils, counties (their districts added up) and England."""

from __future__ import annotations

import pandas as pd

from ...datasets import load
from ..store import derivation

HOUSE = "housebuilding_by_tenure_incl_affordable_la_cfc_1974_2023"
ENGLAND = "E92000001"


def _with_counties(d: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Rows per council and year, plus each county (only years in which every one of its districts has a value)
    and England (every English council)."""
    from ... import areas

    t = areas.areas_table()
    parents = t[t["kind"] == "non-metropolitan district"].set_index("code")["parent"].dropna()
    d = d[d["area_code"].str[:3].isin(("E06", "E07", "E08", "E09"))]
    out = [d]
    dist = d[d["area_code"].isin(parents.index)].assign(county=lambda x: x["area_code"].map(parents))
    need = parents.value_counts()
    for (county, year), g in dist.groupby(["county", "year"]):
        if len(g) == need.get(county, 0) and g[cols].notna().all().all():
            out.append(pd.DataFrame([{"area_code": county, "year": year, **g[cols].sum().to_dict()}]))
    eng = d.groupby("year")[cols].sum(min_count=1).reset_index().assign(area_code=ENGLAND)
    return pd.concat([*out, eng], ignore_index=True)


@derivation("completions_per_1000")
def completions_per_1000(column: str = "all_new") -> pd.DataFrame:
    """New-build completions (``all_new``) or affordable completions (``affordable``) in the calendar year per
    1,000 dwellings at the end of the year before, with the count as numerator and the stock as denominator."""
    d = load(HOUSE, "housebuilding")[["area_code", "year", column, "stock"]].sort_values(["area_code", "year"])
    d["stock_before"] = d.groupby("area_code")["stock"].shift(1).where(d.groupby("area_code")["year"].diff() == 1)
    d = d.rename(columns={column: "numerator", "stock_before": "denominator"})[
        ["area_code", "year", "numerator", "denominator"]
    ]
    d = _with_counties(d.dropna(), ["numerator", "denominator"])
    d["value"] = 1000 * d["numerator"] / d["denominator"]
    return d


@derivation("dwelling_stock")
def dwelling_stock() -> pd.DataFrame:
    """Dwellings at the end of each calendar year (a count), for councils, counties and England."""
    d = load(HOUSE, "housebuilding")[["area_code", "year", "stock"]].rename(columns={"stock": "value"})
    return _with_counties(d.dropna(), ["value"])
