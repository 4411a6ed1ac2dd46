"""CO2 emissions within the scope of influence of local authorities, by sector (BEIS/DESNZ "subset",
mySociety transformation), 2005-2020.

Tables of ``la_co2_emissions_by_sector_mysociety_2005_2020``:

``by_sector``
    Long format, one row per council x year x sector x component: ``la_code`` (mySociety 3/4-letter
    code; map to GSS with :func:`helpers.areas.gss_for_la_codes`), ``area_name``, ``year``, ``sector``
    (Industry, Commercial, Public Sector, Domestic, Transport, Agriculture, Waste Management),
    ``component`` (``Total`` for the sector total, else e.g. ``Electricity``, ``Gas``, ``Other Fuels``,
    ``Large Industrial Installations``, ``Road Transport (A roads)``) and ``kt_co2`` (kilotonnes of CO2).
    The ``Total`` components of the seven sectors add up to the council's total (checked here).
``totals``
    One row per council x year: ``total_kt_co2``, ``population`` (persons), ``per_person_t`` (tonnes
    CO2 per resident), ``area_km2`` and ``per_km2_kt`` as published in the same file.
``labels``
    mySociety's emissions-profile cluster of each council (``label``, ``desc``).

Values are CO2 only (not CO2e). The subset excludes emissions BEIS judges outside a council's
influence (motorways, diesel railways, large EU ETS industrial sites, net LULUCF).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import numeric_columns, read_csv
from ..schemas import non_negative, year

DATASET = "la_co2_emissions_by_sector_mysociety_2005_2020"
FILE = "local_authority_emissions.csv"
LABELS_FILE = "la_labels.csv"

#: Sector name -> the file's column of its total.
SECTOR_TOTALS = {
    "Industry": "Industry Total:kt CO2",
    "Commercial": "Commercial Total:kt CO2",
    "Public Sector": "Public Sector Total:kt CO2",
    "Domestic": "Domestic Total:kt CO2",
    "Transport": "Transport Total:kt CO2",
    "Agriculture": "Agriculture Total:kt CO2",
    "Waste Management": "Waste Management Total:kt CO2",
}

#: Component columns of each sector: file column -> (sector, component).
COMPONENTS = {
    "Industry Electricity:kt CO2": ("Industry", "Electricity"),
    "Industry Gas:kt CO2": ("Industry", "Gas"),
    "Large Industrial Installations:kt CO2": ("Industry", "Large Industrial Installations"),
    "Industrial Other Fuels:kt CO2": ("Industry", "Other Fuels"),
    "Commercial Electricity:kt CO2": ("Commercial", "Electricity"),
    "Commercial Gas:kt CO2": ("Commercial", "Gas"),
    "Commercial Other Fuels:kt CO2": ("Commercial", "Other Fuels"),
    "Public Sector Electricity:kt CO2": ("Public Sector", "Electricity"),
    "Public Sector Gas:kt CO2": ("Public Sector", "Gas"),
    "Public Sector Other Fuels:kt CO2": ("Public Sector", "Other Fuels"),
    "Domestic Electricity:kt CO2": ("Domestic", "Electricity"),
    "Domestic Gas:kt CO2": ("Domestic", "Gas"),
    "Domestic Other Fuels:kt CO2": ("Domestic", "Other Fuels"),
    "Road Transport (A roads):kt CO2": ("Transport", "Road Transport (A roads)"),
    "Road Transport (Minor roads):kt CO2": ("Transport", "Road Transport (Minor roads)"),
    "Transport Other:kt CO2": ("Transport", "Other"),
    "Agriculture Electricity:kt CO2": ("Agriculture", "Electricity"),
    "Agriculture:kt CO2": ("Agriculture", "Agriculture"),
    "Agriculture 'Other':kt CO2": ("Agriculture", "Other"),
    "Waste Management Other:kt CO2": ("Waste Management", "Other"),
}
TOTAL = "Total Emissions:kt CO2"
KEYS = ["Year", "local-authority-code", "official-name"]
EXTRA = ["Population:000s", "Per Person Emissions:t", "Area:km2", "Emissions per km2:kt"]
SECTORS = list(SECTOR_TOTALS)

BY_SECTOR_SCHEMA = pa.DataFrameSchema(
    {
        "la_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3,4}$")),
        "area_name": pa.Column(str),
        "year": year(2005, 2020),
        "sector": pa.Column(str, pa.Check.isin(SECTORS)),
        "component": pa.Column(str),
        "kt_co2": non_negative(),
    },
    unique=["la_code", "year", "sector", "component"],
    strict=True,
)

TOTALS_SCHEMA = pa.DataFrameSchema(
    {
        "la_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3,4}$")),
        "area_name": pa.Column(str),
        "year": year(2005, 2020),
        "total_kt_co2": non_negative(),
        "population": non_negative(),
        "per_person_t": non_negative(),
        "area_km2": non_negative(),
        "per_km2_kt": non_negative(),
    },
    unique=["la_code", "year"],
    strict=True,
)

LABELS_SCHEMA = pa.DataFrameSchema(
    {"la_code": pa.Column(str, unique=True), "label": pa.Column(str), "desc": pa.Column(str, nullable=True)},
    strict=True,
)


def _read(path) -> tuple[pd.DataFrame, int]:
    value_cols = list(COMPONENTS) + list(SECTOR_TOTALS.values()) + [TOTAL] + EXTRA
    raw = read_csv(path, DATASET, required=KEYS + value_cols)
    raw, suppressed = numeric_columns(raw, value_cols)
    gap = (raw[list(SECTOR_TOTALS.values())].sum(axis=1) - raw[TOTAL]).abs()
    if (gap > 0.01).any():
        row = raw.loc[gap.idxmax()]
        raise SchemaError(
            f"{DATASET}/{FILE}: sector totals of {row['local-authority-code']} {row['Year']} differ "
            f"from 'Total Emissions:kt CO2' by {gap.max():.3f} kt: the file is not the registered version"
        )
    return raw, suppressed


@parser(DATASET, "by_sector", files=[FILE], schema=BY_SECTOR_SCHEMA)
def by_sector(paths):
    """Territorial CO2 (kt) within councils' scope of influence, long: council x year x sector x component."""
    raw, suppressed = _read(paths[FILE])
    keys = raw[KEYS].rename(columns={"Year": "year", "local-authority-code": "la_code", "official-name": "area_name"})
    parts = []
    for sector, col in SECTOR_TOTALS.items():
        parts.append(keys.assign(sector=sector, component="Total", kt_co2=raw[col].to_numpy()))
    for col, (sector, component) in COMPONENTS.items():
        parts.append(keys.assign(sector=sector, component=component, kt_co2=raw[col].to_numpy()))
    out = pd.concat(parts, ignore_index=True)
    out["la_code"] = out["la_code"].astype(str)
    out["area_name"] = out["area_name"].astype(str)
    out["year"] = out["year"].astype(int)
    return out[["la_code", "area_name", "year", "sector", "component", "kt_co2"]], suppressed


@parser(DATASET, "totals", files=[FILE], schema=TOTALS_SCHEMA)
def totals(paths):
    """Total CO2 (kt), population, tonnes per person, area and kt per km² by council and year, as published."""
    raw, suppressed = _read(paths[FILE])
    out = pd.DataFrame(
        {
            "la_code": raw["local-authority-code"].astype(str),
            "area_name": raw["official-name"].astype(str),
            "year": raw["Year"].astype(int),
            "total_kt_co2": raw[TOTAL],
            "population": raw["Population:000s"] * 1000,
            "per_person_t": raw["Per Person Emissions:t"],
            "area_km2": raw["Area:km2"],
            "per_km2_kt": raw["Emissions per km2:kt"],
        }
    )
    return out, suppressed


@parser(DATASET, "labels", files=[LABELS_FILE], schema=LABELS_SCHEMA)
def labels(paths):
    """mySociety's emissions-profile cluster label and description of every council."""
    raw = read_csv(paths[LABELS_FILE], DATASET, required=["local-authority-code", "label", "desc"])
    return pd.DataFrame(
        {
            "la_code": raw["local-authority-code"].astype(str),
            "label": raw["label"].astype(str),
            "desc": raw["desc"].astype(object).where(raw["desc"].notna(), None),
        }
    )
