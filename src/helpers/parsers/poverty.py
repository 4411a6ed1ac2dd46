"""Fuel poverty by English local authority: the LIHC series 2010-2018 (with the first LILEE year, 2019)
and the LILEE household counts for 2020 and 2021.

Both come out in the project's indicator shape (:mod:`helpers.indicators`) plus a ``definition``
column (``"LIHC"`` or ``"LILEE"``). The definition changed in the 2019 data year (Low Income High
Costs -> Low Income Low Energy Efficiency): values either side of the break are not comparable and
must never be joined into one trend. Area codes are as published (2019 LAD codes for the 2010-2019
file, 2021 LAD codes for the LILEE files); no county rows are published.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..indicators import tidy
from ..readers import numeric_columns, read_csv
from ..schemas import GSS_PATTERN

FP_2010_2019 = "fuel_poverty_la_2010_2019"
FP_LILEE = "fuel_poverty_la_2020_2021_lilee"

#: The first data year published on the LILEE definition (earlier years are LIHC).
LILEE_FIRST_YEAR = 2019
INDICATOR = {"LIHC": "Fuel poverty (LIHC)", "LILEE": "Fuel poverty (LILEE)"}

_SCHEMA = pa.DataFrameSchema(
    {
        "area_code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN)),
        "year": pa.Column(int, pa.Check.in_range(2010, 2021)),
        "value": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "definition": pa.Column(str, pa.Check.isin(["LIHC", "LILEE"])),
    },
    unique=["area_code", "year"],
)


def definition_for(year: int) -> str:
    """'LIHC' for data years before 2019, 'LILEE' from 2019."""
    return "LILEE" if int(year) >= LILEE_FIRST_YEAR else "LIHC"


@parser(FP_2010_2019, files=["fuelpoverty_data.csv"], schema=_SCHEMA)
def fuel_poverty_2010_2019(paths):
    """% of households fuel poor by English lower-tier/unitary council, 2010-2019 (LIHC to 2018, LILEE 2019)."""
    years = [str(y) for y in range(2010, 2020)]
    raw = read_csv(paths["fuelpoverty_data.csv"], FP_2010_2019, required=["LAName", "LACode", "English region", *years])
    raw, suppressed = numeric_columns(raw, years)
    long = raw.melt(
        id_vars=["LACode", "LAName", "English region"], value_vars=years, var_name="period", value_name="value"
    )
    long["year"] = long["period"].astype(int)
    long["definition"] = long["year"].map(definition_for)
    frame = pd.DataFrame(
        {
            "area_code": long["LACode"].astype(str).str.strip(),
            "area_name": long["LAName"].astype(str).str.strip(),
            "period": long["period"],
            "year": long["year"],
            "indicator": long["definition"].map(INDICATOR),
            "value": long["value"],
            "unit": "%",
            "definition": long["definition"],
            "region_name": long["English region"].astype(str),
        }
    )
    return tidy(frame, FP_2010_2019), suppressed


@parser(FP_LILEE, files=["fuel_poverty_la_2020.csv", "fuel_poverty_la_2021.csv"], schema=_SCHEMA)
def fuel_poverty_lilee(paths):
    """Households, fuel-poor households and % fuel poor (LILEE) by English council, data years 2020 and 2021."""
    frames, suppressed = [], 0
    for name, path in sorted(paths.items()):
        raw = read_csv(path, FP_LILEE, required=["Area Codes", "households", "fuel_poor", "proportion"])
        raw, n = numeric_columns(raw, ["households", "fuel_poor", "proportion"])
        suppressed += n
        year = int(name.removesuffix(".csv").rsplit("_", 1)[1])
        frames.append(
            pd.DataFrame(
                {
                    "area_code": raw["Area Codes"].astype(str).str.strip(),
                    "period": str(year),
                    "year": year,
                    "indicator": INDICATOR["LILEE"],
                    "value": raw["proportion"],
                    "unit": "%",
                    "numerator": raw["fuel_poor"],
                    "denominator": raw["households"],
                    "definition": "LILEE",
                }
            )
        )
    return tidy(pd.concat(frames, ignore_index=True), FP_LILEE), suppressed
