"""Total resident population by council and year (ONS mid-year estimates, 2005-2020)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv
from ..schemas import non_negative, year

DATASET = "la_population_totals_2005_2020"


@parser(
    DATASET,
    schema=pa.DataFrameSchema({"la_code": pa.Column(str), "year": year(2005, 2020), "population": non_negative()}),
)
def population_totals(paths):
    """Mid-year resident population (persons, converted from thousands) for every UK council incl.
    counties, 2005-2020, keyed by the 3-letter council code (map to GSS with areas.gss_for_la_codes)."""
    raw = read_csv(
        next(iter(paths.values())),
        DATASET,
        required=["Year", "local-authority-code", "official-name", "Population:000s"],
    )
    raw, suppressed = numeric_columns(raw, ["Population:000s"])
    out = pd.DataFrame(
        {
            "la_code": raw["local-authority-code"].astype(str),
            "area_name": raw["official-name"],
            "year": raw["Year"].astype(int),
            "population": raw["Population:000s"] * 1000,
        }
    )
    return out.drop_duplicates(["la_code", "year"]), suppressed
