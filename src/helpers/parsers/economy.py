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
