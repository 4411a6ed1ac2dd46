"""School finance: the Dedicated Schools Grant (DSG) cumulative balance by education authority.

Table
-----
``dsg_deficit_la_2019_20_to_2021_22``
    ``default``   one row per area and financial year (2019-20 to 2021-22, balance carried forward at 31 March):
    ``deficit_pct`` = cumulative DSG deficit as a % of the authority's total DSG allocation (positive = deficit,
    negative = surplus), derived by DfE analysts (SEND and AP Inclusion Dashboard) from section 251 outturn
    line 1.9.3 "DSG carried forward to next year" and ESFA allocations. It is the WHOLE DSG carried forward
    (schools, central, early years and high needs blocks), not the high needs block alone, although deficits are
    mostly high needs overspends. ``year`` is the calendar year the financial year ends (2019-20 -> 2020).

The file names authorities, not codes. Names are mapped to current GSS codes with :func:`helpers.areas.resolve`;
an authority abolished since (Northamptonshire, Cumbria) gets its own former code from the council hierarchy.
Names that map to nothing keep a missing ``area_code``: :func:`unmapped_names` lists them (the parser test
asserts the list, so a new unmapped name is noticed).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_sheet
from ..schemas import GSS_PATTERN

DSG = "dsg_deficit_la_2019_20_to_2021_22"
DSG_FILE = "dsg_deficit_derived.xlsx"


@lru_cache(maxsize=1)
def _former_councils() -> dict[str, str]:
    """Normalised name -> GSS code of abolished county and unitary councils (e.g. Cumbria E10000006)."""
    from .. import areas
    from ..datasets import load

    c = load("uk_la_names_codes_hierarchy", "councils")
    c = c[(c["nation"] == "England") & ~c["current"].astype(bool) & c["area_code"].notna()]
    c = c[c["type"].isin(["CTY", "UA", "MD", "LBO"])]
    return {areas._normalise(n): code for n, code in zip(c["area_name"], c["area_code"], strict=True)}


def name_to_code(name: str, level: str) -> str | None:
    """GSS code of an authority, region or England named in the DSG file (None if it maps to nothing)."""
    from .. import areas, datasets
    from ..errors import UnknownAreaError

    datasets._discover()  # the area tables load through other parsers (this module may be imported first)
    if level == "National":
        return areas.ENGLAND_CODE
    if level == "Regional":  # by name: "London" alone would resolve to the City of London
        regions = {areas._normalise(k): v for k, v in areas.REGION_CODES.items()}
        return regions.get(areas._normalise(name))
    try:
        area = areas.resolve(name)
    except UnknownAreaError:
        return _former_councils().get(areas._normalise(name))
    return area.code if area.kind in areas.BRIEFING_KINDS else None


@parser(
    DSG,
    "default",
    files=[DSG_FILE],
    schema=pa.DataFrameSchema(
        {
            "area_code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN), nullable=True),
            "area_name": pa.Column(str),
            "geographic_level": pa.Column(str, pa.Check.isin(["National", "Regional", "Local authority"])),
            "region_name": pa.Column(str, nullable=True),
            "financial_year": pa.Column(str, pa.Check.str_matches(r"^20\d\d-\d\d$")),
            "year": pa.Column(int, pa.Check.in_range(2020, 2022)),
            "deficit_pct": pa.Column(float, pa.Check.in_range(-100, 100), nullable=True),
        },
        unique=["area_name", "geographic_level", "year"],
    ),
)
def dsg_deficit(paths):
    """Cumulative DSG deficit (+) or surplus (-) as % of total DSG allocation, by authority, 2019-20 to 2021-22."""
    raw = read_sheet(
        paths[DSG_FILE],
        DSG,
        0,
        required=["time_period", "geographic_level", "region_name", "la_name", "deficit", "financial_year"],
    )
    raw, suppressed = numeric_columns(raw, ["deficit"])
    level = raw["geographic_level"].astype(str).str.strip()
    name = raw["la_name"].where(level.eq("Local authority"), raw["region_name"]).astype(str).str.strip()
    name = name.where(~level.eq("National"), "England")
    out = pd.DataFrame(
        {
            "area_name": name,
            "geographic_level": level,
            "region_name": raw["region_name"].astype(object).where(raw["region_name"].notna(), None),
            "financial_year": raw["financial_year"].astype(str).str.strip(),
            "year": raw["time_period"].astype(int) % 100 + 2000,
            "deficit_pct": raw["deficit"].astype(float),
        }
    )
    codes = {(n, lv): name_to_code(n, lv) for n, lv in set(zip(out["area_name"], out["geographic_level"], strict=True))}
    out["area_code"] = [codes[(n, lv)] for n, lv in zip(out["area_name"], out["geographic_level"], strict=True)]
    out["area_code"] = out["area_code"].astype(object)
    return out[["area_code", *out.columns.drop("area_code")]].reset_index(drop=True), suppressed


def unmapped_names(frame: pd.DataFrame) -> list[str]:
    """Names in a loaded DSG frame that could not be mapped to a GSS code (sorted)."""
    return sorted(frame.loc[frame["area_code"].isna(), "area_name"].unique())
