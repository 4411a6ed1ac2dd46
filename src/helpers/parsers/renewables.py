"""Renewable electricity generation by local authority district (BEIS/DESNZ "Renewable electricity by local
authority", via Trafford Data Lab), calendar years 2018, 2022 and 2024. Used by briefing 05 (green energy and
solar pledges, manifesto §5).

Table ``generation`` of ``renewable_electricity_generation_la_2018_2022_2024``: one row per district x year x
technology: ``area_code`` (GSS code of the edition's vintage: map with :func:`helpers.areas.harmonise_codes`),
``area_name``, ``year`` (int), ``technology`` (e.g. Photovoltaics, Onshore Wind) and ``mwh`` (generation in
megawatt-hours; missing where DESNZ left the cell blank or suppressed). English rows only (E06-E09); counties are
sums of their districts. Each year comes from a different DESNZ edition (back years are revised in later ones).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv
from ..schemas import gss_code, non_negative, year

DATASET = "renewable_electricity_generation_la_2018_2022_2024"
FILES = {2018: "renewable_electricity_generation_2018.csv", 2022: "renewable_electricity_generation_2022.csv",
         2024: "renewable_electricity_generation_2024.csv"}  # fmt: skip
COLUMNS = ["area_code", "area_name", "indicator", "period", "unit", "value", "group"]


@parser(
    DATASET,
    "generation",
    files=list(FILES.values()),
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "year": year(2018, 2024),
            "technology": pa.Column(str),
            "mwh": non_negative(),
        },
        unique=["area_code", "year", "technology"],
        strict=True,
    ),
)
def generation(paths):
    """Renewable electricity generation (MWh) by English district, year and technology."""
    frames, suppressed = [], 0
    for yr, name in FILES.items():
        raw = read_csv(paths[name], DATASET, required=COLUMNS)
        raw = raw[raw["area_code"].astype(str).str.match(r"^E0[6-9]\d{6}$")]
        raw, n = numeric_columns(raw, ["value"])
        suppressed += n
        frames.append(
            pd.DataFrame(
                {
                    "area_code": raw["area_code"].astype(str),
                    "area_name": raw["area_name"].astype(str),
                    "year": yr,
                    "technology": raw["group"].astype(str).str.strip(),
                    "mwh": raw["value"].astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True), suppressed
