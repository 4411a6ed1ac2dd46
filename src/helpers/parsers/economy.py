"""Economy and council finance (Briefing 07): council revenue spending power 2011-12 to 2020-21."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv
from ..schemas import gss_code, non_negative, year

SPENDING_POWER = "la_spending_power_2011_12_to_2020_21"
#: Column headers 2012..2021 are the authors' labels for financial years 2011-12..2020-21.
SP_YEARS = [str(y) for y in range(2012, 2022)]
#: First financial year of the 'core spending power' definition (the £m series breaks before it).
CORE_SPENDING_POWER_FROM = 2016


@parser(
    SPENDING_POWER,
    "spending_power",
    files=["SpendingMillions.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "council_class": pa.Column(str),
            "region": pa.Column(str, nullable=True),
            "period": pa.Column(str),
            "year": year(2011, 2020),
            "value": non_negative(),
            "series": pa.Column(str, pa.Check.isin(["spending power", "core spending power"])),
        }
    ),
)
def spending_power(paths):
    """Headline revenue spending power (£ million, cash) by council and financial year, long format.

    ``year`` is the first calendar year of the financial year (header '2012' -> 2011-12 -> 2011).
    ``series`` marks the definition: 'spending power' to 2015-16, 'core spending power' from 2016-17.
    '..' (abolished or new council) becomes missing and is dropped (counted as suppressed)."""
    raw = read_csv(
        paths["SpendingMillions.csv"],
        SPENDING_POWER,
        required=["ons_code", "ons_name", "class", "region", *SP_YEARS],
        dtype=str,
    )
    raw, suppressed = numeric_columns(raw, SP_YEARS)
    long = raw.melt(
        id_vars=["ons_code", "ons_name", "class", "region"], value_vars=SP_YEARS, var_name="header", value_name="value"
    )
    fy = long["header"].astype(int) - 1
    out = pd.DataFrame(
        {
            "area_code": long["ons_code"].astype(str).str.strip(),
            "area_name": long["ons_name"].astype(str),
            "council_class": long["class"].astype(str),
            "region": long["region"].astype(object).where(long["region"].notna(), None),
            "period": fy.astype(str) + "-" + (fy + 1).mod(100).astype(str).str.zfill(2),
            "year": fy.astype(int),
            "value": long["value"].astype(float),
            "unit": "£ million",
            "series": ["core spending power" if y >= CORE_SPENDING_POWER_FROM else "spending power" for y in fy],
        }
    )
    out = out.dropna(subset=["value"]).sort_values(["area_code", "year"]).reset_index(drop=True)
    return out, suppressed


DEFLATOR = "gdp_deflator_ybgb_ons_1948_2025"


@parser(
    DEFLATOR,
    "financial_years",
    files=["gdp_deflators_ybgb.csv"],
    schema=pa.DataFrameSchema(
        {
            "year": year(1955, 2030),
            "period": pa.Column(str),
            "deflator": pa.Column(float, pa.Check.gt(0)),
            "quarters": pa.Column(int, pa.Check.in_range(4, 4)),
        }
    ),
)
def deflator_financial_years(paths):
    """GDP deflator (ONS YBGB, 2022 = 100) by financial year: the mean of the year's four quarters (2020-21 =
    2020 Q2, Q3, Q4 and 2021 Q1), as HM Treasury builds it. ``year`` is the financial year's first calendar year.
    Only complete financial years are kept."""
    raw = read_csv(paths["gdp_deflators_ybgb.csv"], DEFLATOR, header=None, names=["label", "value"], dtype=str)
    q = raw[raw["label"].str.fullmatch(r"\d{4} Q[1-4]", na=False)].copy()
    q["cal"] = q["label"].str[:4].astype(int)
    q["q"] = q["label"].str[-1].astype(int)
    q["value"] = pd.to_numeric(q["value"], errors="coerce")
    q["fy"] = q["cal"].where(q["q"] > 1, q["cal"] - 1)  # Q1 belongs to the financial year that began the April before
    g = q.groupby("fy")["value"].agg(["mean", "count"]).reset_index()
    g = g[g["count"] == 4]
    return pd.DataFrame(
        {
            "year": g["fy"].astype(int),
            "period": g["fy"].astype(int).map(lambda y: f"{y}-{(y + 1) % 100:02d}"),
            "deflator": g["mean"].round(4).astype(float),
            "quarters": g["count"].astype(int),
        }
    ).reset_index(drop=True)


@parser(
    DEFLATOR,
    "calendar_years",
    files=["gdp_deflators_ybgb.csv"],
    schema=pa.DataFrameSchema({"year": year(1948, 2030), "deflator": pa.Column(float, pa.Check.gt(0))}),
)
def deflator_calendar_years(paths):
    """GDP deflator (ONS YBGB, 2022 = 100) by calendar year, as published."""
    raw = read_csv(paths["gdp_deflators_ybgb.csv"], DEFLATOR, header=None, names=["label", "value"], dtype=str)
    y = raw[raw["label"].str.fullmatch(r"\d{4}", na=False)]
    return pd.DataFrame(
        {"year": y["label"].astype(int), "deflator": pd.to_numeric(y["value"], errors="coerce").astype(float)}
    ).reset_index(drop=True)
