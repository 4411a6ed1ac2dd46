"""Adult social care: Covid-19 deaths by place, care-sector deaths, care-home deaths, ASC outcomes and spend.

Parsers for the datasets used only by briefing 02 (adult social care). Table names are specific
(not ``default``) so that another section registering a parser for the same dataset cannot collide.
"""

from __future__ import annotations

import datetime

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import (
    first_row_matching,
    numeric_columns,
    read_csv,
    read_sheet,
    require_columns,
    to_numeric_counting_suppressed,
)
from ..schemas import gss_code, non_negative
from .outturn_ro3 import OUTTURN, RSX_CLASSES, RSX_FILES, outturn_keys, rsx_table

# --- ONS weekly Covid-19 / all-cause deaths by place of death (2020 weeks 1-36) ----------------------

PLACE_OF_DEATH = "covid_deaths_by_place_of_death_la_2020_2021"
#: Source column -> our column, for the five places of death and their total.
PLACES = {
    "Care home": "care_home",
    "Hospital": "hospital",
    "Home": "home",
    "Hospice": "hospice",
    "Elsewhere (including other communal establishments)": "elsewhere",
    "All places": "all_places",
}


@parser(
    PLACE_OF_DEATH,
    "weekly_by_place",
    files=["deaths_covid_by_place_SE.json", "deaths_all_cause_by_place_SE.json"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "week": pa.Column(int, pa.Check.in_range(1, 53)),
            "week_ending": pa.Column("datetime64[ns]"),
            "cause": pa.Column(str, pa.Check.isin(["covid", "all causes"])),
            **{c: non_negative() for c in PLACES.values()},
        },
        unique=["area_code", "week", "cause"],
    ),
)
def deaths_by_place(paths):
    """ONS weekly deaths by place of occurrence (care home, hospital, home, hospice, elsewhere), Covid-19
    (mentioned on the certificate) and all causes, every English district, unitary, county, region and
    England, 2020 weeks 1-36 (w/e 3 Jan - 4 Sep 2020), by area of usual residence."""
    frames = []
    suppressed = 0
    for name, path in paths.items():
        try:
            raw = pd.read_json(path)
        except ValueError:
            raise SchemaError(
                f"{PLACE_OF_DEATH}/{name} cannot be parsed as JSON: the file is corrupt or not the registered version"
            ) from None
        require_columns(raw, ["Code", "Name", "Week_number", "Week_ending", "Cause", *PLACES], PLACE_OF_DEATH, name)
        raw = raw[raw["Code"].astype(str).str.fullmatch(r"E\d{8}")]  # drops the custom "Sussex areas combined"
        raw, n = numeric_columns(raw, list(PLACES))
        suppressed += n
        out = raw.rename(columns={"Code": "area_code", "Name": "area_name", "Week_number": "week", **PLACES})
        out["week_ending"] = pd.to_datetime(out["Week_ending"]).astype("datetime64[ns]")
        out["cause"] = "covid" if "covid" in name else "all causes"
        out["week"] = out["week"].astype(int)
        frames.append(out[["area_code", "area_name", "week", "week_ending", "cause", *PLACES.values()]])
    return pd.concat(frames, ignore_index=True), suppressed


# --- ONS/CQC deaths involving Covid-19 in the care sector (first wave 2020) --------------------------

CARE_SECTOR = "covid_care_sector_deaths_la_2020"
CARE_SECTOR_JULY = "julydeathsinvolvingcovid19inthecaresectordataset02072020155122_CLEAN.xlsx"
#: Sheet -> cause, for the July 2020 edition's weekly tables of care-home RESIDENTS' deaths by LA.
RESIDENT_TABLES = {"Table 12": "all causes", "Table 13": "covid"}


def _week_columns(header: pd.Series) -> dict[int, pd.Timestamp]:
    """Positions of the header cells that hold dates (one column per week ending)."""
    return {
        i: pd.Timestamp(cell)
        for i, cell in enumerate(header)
        if isinstance(cell, (datetime.datetime, datetime.date, pd.Timestamp))
    }


@parser(
    CARE_SECTOR,
    "residents_weekly",
    files=[CARE_SECTOR_JULY],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "week_ending": pa.Column("datetime64[ns]"),
            "cause": pa.Column(str, pa.Check.isin(list(RESIDENT_TABLES.values()))),
            "deaths": non_negative(),
        },
        unique=["area_code", "week_ending", "cause"],
    ),
)
def care_home_resident_deaths(paths):
    """Weekly deaths of care-home RESIDENTS (wherever they died) by English/Welsh lower-tier LA of
    residence, all causes and involving Covid-19, by date of occurrence, w/e 6 Mar - 12 Jun 2020
    (ONS edition of 3 July 2020, registered by 20 June 2020)."""
    frames = []
    suppressed = 0
    for sheet, cause in RESIDENT_TABLES.items():
        raw = read_sheet(paths[CARE_SECTOR_JULY], CARE_SECTOR, sheet, header=None)
        head = first_row_matching(raw, "Area Code")
        weeks = _week_columns(raw.iloc[head])
        if len(weeks) < 10:
            raise SchemaError(f"{CARE_SECTOR}/{sheet}: expected one column per week ending, found {len(weeks)}")
        body = raw.iloc[head + 1 :]
        body = body[body.iloc[:, 0].astype(str).str.strip().str.fullmatch(r"[EW]\d{8}")]
        for pos, week_ending in weeks.items():
            values, n = to_numeric_counting_suppressed(body.iloc[:, pos].rename(f"{sheet} {week_ending:%d %b}"))
            suppressed += n
            frames.append(
                pd.DataFrame(
                    {
                        "area_code": body.iloc[:, 0].astype(str).str.strip().to_numpy(),
                        "area_name": body.iloc[:, 1].astype(str).str.strip().to_numpy(),
                        "week_ending": week_ending,
                        "cause": cause,
                        "deaths": values.to_numpy(dtype=float),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["week_ending"] = out["week_ending"].astype("datetime64[ns]")
    return out, suppressed


# --- ONS deaths in care homes by LA, annual 2010-2023 ------------------------------------------------

CARE_HOME_DEATHS = "care_home_deaths_la_2010_2023"


@parser(
    CARE_HOME_DEATHS,
    "annual",
    files=["lanonladeaths20141021.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(2010, 2023)),
            "la_care_homes": non_negative(),
            "non_la_care_homes": non_negative(),
            "all_care_homes": non_negative(),
        },
        unique=["area_code", "year"],
    ),
)
def care_home_deaths(paths):
    """Deaths (all causes) occurring in local-authority-run and other care homes, by English and Welsh
    district/unitary (2023 codes), calendar years 2010-2023 (ONS user-requested data, Table 1)."""
    raw = read_csv(
        paths["lanonladeaths20141021.csv"],
        CARE_HOME_DEATHS,
        skiprows=4,
        required=[
            "Year",
            "Local Authority Code",
            "Local Authority Name",
            "LA care homes",
            "non-LA care homes",
            "All care homes",
        ],
    )
    raw = raw[raw["Local Authority Code"].astype(str).str.fullmatch(r"[EW]\d{8}")]
    raw, suppressed = numeric_columns(raw, ["LA care homes", "non-LA care homes", "All care homes"])
    out = pd.DataFrame(
        {
            "area_code": raw["Local Authority Code"].astype(str),
            "area_name": raw["Local Authority Name"].astype(str),
            "year": raw["Year"].astype(int),
            "la_care_homes": raw["LA care homes"],
            "non_la_care_homes": raw["non-LA care homes"],
            "all_care_homes": raw["All care homes"],
        }
    )
    return out, suppressed


# --- Oflog adult social care outcome measures, 2015-16 to 2022-23 ------------------------------------

ASC_OUTCOMES = "asc_outcomes_oflog_la_2015_2023"


@parser(
    ASC_OUTCOMES,
    "measures",
    files=["ASC_data.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d\d$")),
            "year": pa.Column(int, pa.Check.in_range(2015, 2023)),
            "code": pa.Column(str, pa.Check.str_matches(r"^ASC\d$")),
            "measure": pa.Column(str),
            "value": pa.Column(float, nullable=True),
            "median": pa.Column(float, nullable=True),
        },
        unique=["area_code", "year", "code"],
    ),
)
def asc_outcomes(paths):
    """Oflog adult social care measures (ASC1-ASC7: carer and user quality of life, ease of finding
    information, short-term service outcomes, requests resulting in a service, workforce turnover) for
    the 152 councils with social services responsibilities, 2015-16 to 2022-23; ``year`` is the
    financial year's first calendar year."""
    raw = read_csv(
        paths["ASC_data.csv"],
        ASC_OUTCOMES,
        required=[
            "Financial year",
            "Local authority code",
            "Local authority name",
            "Entity_Name",
            "Region",
            "Measure",
            "Code",
            "Value",
            "MEDIAN",
            "MADs_from_median",
            "rank_order",
        ],
    )
    raw, suppressed = numeric_columns(raw, ["Value", "MEDIAN", "MADs_from_median"])
    out = pd.DataFrame(
        {
            "area_code": raw["Local authority code"].astype(str),
            "area_name": raw["Local authority name"].astype(str),
            "period": raw["Financial year"].astype(str),
            "year": raw["Financial year"].astype(str).str[:4].astype(int),
            "council_type": raw["Entity_Name"].astype(str),
            "region": raw["Region"].astype(str),
            "code": raw["Code"].astype(str),
            "measure": raw["Measure"].astype(str).str.replace("Outcome, ", "", regex=False),
            "value": raw["Value"],
            "median": raw["MEDIAN"],
            "mads_from_median": raw["MADs_from_median"],
            "higher_is_better": raw["rank_order"].astype("string").str.lower().eq("desc").fillna(False).astype(bool),
        }
    )
    return out, suppressed


# --- MHCLG revenue outturn RSX: adult social care spend, 2023-24 and 2024-25 -------------------------

#: Normalised RSX column label -> our column (values in £ thousand).
RSX_COLUMNS = {
    "Adult Social Care - Total Expenditure (C3 = C1 + C2)": "asc_total_expenditure",
    "Adult Social Care - Total Income (C6 = C4 + C5)": "asc_total_income",
    "Adult Social Care - Net Current Expenditure (C7 = C3 - C6)": "asc_net_current_expenditure",
    "Total Service Expenditure - Net Current Expenditure (C7 = C3 - C6)": "total_net_current_expenditure",
}


@parser(
    OUTTURN,
    "rsx_adult_social_care",
    files=list(RSX_FILES),
    schema=pa.DataFrameSchema(
        {
            **outturn_keys(RSX_CLASSES),
            "asc_total_expenditure": pa.Column(float, nullable=True),
            "asc_total_income": pa.Column(float, nullable=True),
            "asc_net_current_expenditure": pa.Column(float, nullable=True),
            "total_net_current_expenditure": pa.Column(float, nullable=True),
        },
        unique=["area_code", "year"],
    ),
)
def rsx_adult_social_care(paths):
    """Adult social care gross expenditure, income and net current expenditure (£ thousand, nominal) and
    total service net current expenditure, from the RSX revenue outturn, for every English council
    (SC/UA/MD/LB/SD classes) and England, 2023-24 and 2024-25. Non-submitting councils ('[x]') are missing."""
    return rsx_table(paths, RSX_COLUMNS)
