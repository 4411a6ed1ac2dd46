"""Waste: household recycling rates of waste collection authorities (DEFRA ENV18 via Trafford Data Lab,
2015-16 to 2023-24) and the management of all local-authority-collected waste by waste disposal authority (DEFRA
ENV18 tables 2/2a as UK SDG indicator 11.6.1, 2000-01 to 2020-21). Used by briefing 05 (the waste pledge,
manifesto §5).

In two-tier areas the districts collect household waste (collection authorities) and the county disposes of it
(waste disposal authority): the recycling rate is published for districts, the management split for the county.

Tables:

``household_recycling`` (``household_waste_recycling_rate_la_2015_16_to_2023_24``)
    English collection authorities: ``area_code`` (GSS), ``area_name``, ``period`` ("2019-20"), ``year`` (int, the
    financial year's end: 2020 for 2019-20) and ``value`` (% of household waste sent for reuse, recycling or
    composting, ex-NI192).
``management`` (``lacw_management_by_waste_authority_sdg_11_6_1_2000_01_to_2020_21``)
    England, regions and waste disposal authorities: ``authority`` (WasteDataFlow name, e.g. "Cambridgeshire County
    Council"; "England" or the region name for the aggregate rows), ``level`` (england / region / authority),
    ``region_code`` (E12/E92), ``period``, ``year`` (financial year's end), ``method`` (Landfill, Incineration with
    EfW, Incineration without EfW, Recycled-composted, Other) and ``pct`` (% of LA-collected waste; "Other" can be
    negative). Authorities carry names only: map them with :func:`helpers.la_names.current_codes`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv
from ..schemas import gss_code, year

RECYCLING = "household_waste_recycling_rate_la_2015_16_to_2023_24"
LACW = "lacw_management_by_waste_authority_sdg_11_6_1_2000_01_to_2020_21"
METHODS = ["Landfill", "Incineration with EfW", "Incineration without EfW", "Recycled-composted", "Other"]


def financial_year(label: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'2019/20' -> ('2019-20', 2020): the reader's label and the year the financial year ends in."""
    text = label.astype(str).str.strip()
    start = text.str.slice(0, 4).astype(int)
    return start.astype(str) + "-" + (start + 1).astype(str).str.slice(2, 4), start + 1


@parser(
    RECYCLING,
    "household_recycling",
    files=["recycling.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
            "year": year(2016, 2025),
            "value": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        },
        unique=["area_code", "year"],
        strict=True,
    ),
)
def household_recycling(paths):
    """% of household waste reused, recycled or composted, English collection authorities, 2015-16 on."""
    raw = read_csv(paths["recycling.csv"], RECYCLING, required=["area_code", "area_name", "period", "value"])
    raw = raw[raw["area_code"].astype(str).str.match(r"^E0[6-9]\d{6}$") & raw["period"].astype(str).str.contains("/")]
    raw, suppressed = numeric_columns(raw, ["value"])
    period, end = financial_year(raw["period"])
    out = pd.DataFrame(
        {
            "area_code": raw["area_code"].astype(str),
            "area_name": raw["area_name"].astype(str),
            "period": period,
            "year": end.astype(int),
            "value": raw["value"].astype(float).round(6),  # the producer's x100 leaves float noise (42.699999)
        }
    )
    return out.reset_index(drop=True), suppressed


@parser(
    LACW,
    "management",
    files=["indicator_11-6-1.csv"],
    schema=pa.DataFrameSchema(
        {
            "authority": pa.Column(str),
            "level": pa.Column(str, pa.Check.isin(["england", "region", "authority"])),
            "region_code": pa.Column(str, nullable=True),
            "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
            "year": year(2001, 2021),
            "method": pa.Column(str, pa.Check.isin(METHODS)),
            "pct": pa.Column(float, pa.Check.in_range(-100, 100)),
        },
        unique=["authority", "region_code", "year", "method"],
        strict=True,
    ),
)
def management(paths):
    """% of local-authority-collected waste by management method: England, regions, disposal authorities."""
    cols = ["Year", "Disposal method", "Region", "Waste collection authority", "GeoCode", "Value"]
    raw = read_csv(paths["indicator_11-6-1.csv"], LACW, required=cols)
    raw, suppressed = numeric_columns(raw, ["Value"])
    authority = raw["Waste collection authority"].astype("string").str.strip()
    region = raw["Region"].astype("string").str.strip()
    level = (
        pd.Series("authority", index=raw.index)
        .where(authority.notna(), "region")
        .where(authority.notna() | region.notna(), "england")
    )
    name = authority.fillna(region).fillna("England").astype(str)
    period, end = financial_year(raw["Year"])
    code = raw["GeoCode"].astype("string").str.strip()
    code = code.where(level != "england", "E92000001")
    out = pd.DataFrame(
        {
            "authority": name,
            "level": level,
            "region_code": code.astype(object).where(code.notna(), None),
            "period": period,
            "year": end.astype(int),
            "method": raw["Disposal method"].astype(str).str.strip(),
            "pct": raw["Value"].astype(float),
        }
    )
    return out.dropna(subset=["pct"]).reset_index(drop=True), suppressed
