"""Children's social care: children in need, care leavers' activity, the social work workforce, Ofsted ILACS.

All four are DfE/Ofsted files as loaded by DfE's CSC Outcomes and Enablers dashboard repository (OGL v3).
Upper-tier geography only (counties and single-tier councils; no districts). Local authority rows follow the
boundaries of each year, so an abolished council (Northamptonshire, Cumbria, Bournemouth) keeps its own code
until it was replaced; the codes are GSS codes as published (``new_la_code``).

Tables
------
``children_in_need_la_2013_2025``
    ``default``   one row per area and year (31 March): children in need at 31 March (``at_31_march``, episodes),
    children in need at any point in the year, starting and ending (children), and referrals awaiting
    assessment. Counts; a rate needs a child population (the looked-after file's denominator).
``care_leavers_activity_la_2021_2025``
    ``default``   one row per area, year, age group (``17 to 18 years`` / ``19 to 21 years``) and activity
    (``Total``, ``Total in education, employment or training``, ``Total not in education, employment or
    training``, ``Total information not known`` and the detailed categories): count and percent (0-100).
``childrens_social_work_workforce_la_2017_2025``
    ``default``   one row per area and year (30 September): social workers in post (FTE), turnover, agency and
    vacancy rates (% of FTE), cases and caseload per case-holding FTE.
``ofsted_ilacs_la_judgements_2018_2025``
    ``history``   every ILACS short and standard inspection January 2018 - March 2025, one row each: dates,
    type, overall effectiveness and the sub-judgements (Outstanding / Good / Requires improvement to be good /
    Inadequate; care leavers' sub-judgement only from 1 January 2023).
    ``latest``    the latest judgements of every current authority as at 31 March 2025.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv, read_sheet
from ..schemas import GSS_PATTERN, gss_code, non_negative

CIN = "children_in_need_la_2013_2025"
CARE_LEAVERS = "care_leavers_activity_la_2021_2025"
WORKFORCE = "childrens_social_work_workforce_la_2017_2025"
ILACS = "ofsted_ilacs_la_judgements_2018_2025"

#: Ofsted's four grades, best first.
JUDGEMENTS = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")

_GEO = ["time_period", "geographic_level", "country_code", "country_name", "region_code", "region_name"]
_LA = ["old_la_code", "new_la_code", "la_name"]


def _area_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """``area_code``, ``area_name``, ``geographic_level``, ``la_number`` and ``year`` of a DfE EES file
    (England, regions and local authorities; other levels are dropped by the caller)."""
    level = raw["geographic_level"].astype(str)
    code = np.select(
        [level.eq("National"), level.eq("Regional")],
        [raw["country_code"].astype(str), raw["region_code"].astype(str)],
        default=raw["new_la_code"].astype(str),
    )
    name = np.select(
        [level.eq("National"), level.eq("Regional")],
        [raw["country_name"].astype(str), raw["region_name"].astype(str)],
        default=raw["la_name"].astype(str),
    )
    return pd.DataFrame(
        {
            "area_code": code,
            "area_name": name,
            "geographic_level": level,
            "la_number": pd.to_numeric(raw["old_la_code"], errors="coerce").astype(float),
            "year": pd.to_numeric(raw["time_period"], errors="coerce").astype(int),
        },
        index=raw.index,
    )


_AREA_SCHEMA = {
    "area_code": gss_code(),
    "area_name": pa.Column(str),
    "geographic_level": pa.Column(str, pa.Check.isin(["National", "Regional", "Local authority"])),
    "la_number": pa.Column(float, nullable=True),
}

# --- children in need ----------------------------------------------------------------------------

_CIN_COLUMNS = {
    "At31_episodes": "at_31_march",
    "Anypoint_child": "any_point",
    "Started_child": "started",
    "Ended_child": "ended",
    "awaiting_assessment": "awaiting_assessment",
}


@parser(
    CIN,
    "default",
    schema=pa.DataFrameSchema(
        {
            **_AREA_SCHEMA,
            "year": pa.Column(int, pa.Check.in_range(2013, 2025)),
            **{c: non_negative() for c in _CIN_COLUMNS.values()},
        },
        unique=["area_code", "year"],
    ),
)
def children_in_need(paths):
    """Children in need at 31 March and during the year (counts), England, regions and councils, 2013-2025."""
    raw = read_csv(
        paths["b1_children_in_need_2013_to_2025.csv"],
        CIN,
        required=_GEO + _LA + ["category", *_CIN_COLUMNS],
        dtype={"old_la_code": "string"},
    )
    raw = raw[raw["category"].astype(str).eq("Children in Need")]
    raw, suppressed = numeric_columns(raw, list(_CIN_COLUMNS))
    out = _area_columns(raw)
    for src, dst in _CIN_COLUMNS.items():
        out[dst] = raw[src].astype(float)
    out = out[out["area_code"].str.match(GSS_PATTERN)]
    return out.reset_index(drop=True), suppressed


# --- care leavers ---------------------------------------------------------------------------------


@parser(
    CARE_LEAVERS,
    "default",
    schema=pa.DataFrameSchema(
        {
            **_AREA_SCHEMA,
            "year": pa.Column(int, pa.Check.in_range(2021, 2025)),
            "age": pa.Column(str, pa.Check.isin(["17 to 18 years", "19 to 21 years"])),
            "activity": pa.Column(str),
            "count": non_negative(),
            "percent": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        },
        unique=["area_code", "year", "age", "activity"],
    ),
)
def care_leavers(paths):
    """Care leavers aged 17-18 and 19-21 by activity (education, employment or training; NEET; not known)."""
    raw = read_csv(
        paths["la_care_leavers_activity.csv"],
        CARE_LEAVERS,
        required=_GEO + _LA + ["care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"],
        dtype={"old_la_code": "string"},
    )
    # DfE's "k" means a percentage that rounds to 0 but is not 0: shown as 0 at the file's whole-number precision
    raw["care_leaver_percent"] = raw["care_leaver_percent"].mask(raw["care_leaver_percent"].astype(str).eq("k"), "0")
    raw, suppressed = numeric_columns(raw, ["care_leaver_count", "care_leaver_percent"])
    out = _area_columns(raw)
    out["age"] = raw["care_leaver_age"].astype(str).str.strip()
    out["activity"] = raw["breakdown"].astype(str).str.strip()
    out["count"] = raw["care_leaver_count"].astype(float)
    out["percent"] = raw["care_leaver_percent"].astype(float)
    out = out[out["area_code"].str.match(GSS_PATTERN)]
    return out.reset_index(drop=True), suppressed


# --- social work workforce ------------------------------------------------------------------------

_WORKFORCE_COLUMNS = [
    "inpost_fte",
    "starters_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
]


@parser(
    WORKFORCE,
    "default",
    schema=pa.DataFrameSchema(
        {
            **_AREA_SCHEMA,
            "year": pa.Column(int, pa.Check.in_range(2017, 2025)),
            **{c: non_negative() for c in _WORKFORCE_COLUMNS},
            "turnover_rate_fte": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "agency_rate_fte": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "vacancy_rate_fte": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        },
        unique=["area_code", "year"],
    ),
)
def workforce(paths):
    """Children's social workers at 30 September: FTE in post, turnover, agency, vacancy rates, caseloads."""
    raw = read_csv(
        paths["csww_indicators_2017_to_2025.csv"],
        WORKFORCE,
        required=_GEO + _LA + _WORKFORCE_COLUMNS,
        dtype={"old_la_code": "string"},
    )
    raw, suppressed = numeric_columns(raw, _WORKFORCE_COLUMNS)
    out = _area_columns(raw)
    for col in _WORKFORCE_COLUMNS:
        out[col] = raw[col].astype(float)
    out = out[out["area_code"].str.match(GSS_PATTERN)]
    return out.reset_index(drop=True), suppressed


# --- Ofsted ILACS ---------------------------------------------------------------------------------

ILACS_FILE = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
_JUDGEMENT_COLUMNS = {
    "Overall effectiveness": "overall",
    "The impact of leaders on social work practice with children and families": "leaders",
    "The experiences and progress of children who need help and protection": "help_and_protection",
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}
_JUDGEMENT = pa.Column(str, pa.Check.isin(list(JUDGEMENTS)), nullable=True)
_ILACS_SCHEMA = {
    "area_code": gss_code(),
    "area_name": pa.Column(str),
    "inspection_date": pa.Column("datetime64[ns]"),
    "publication_date": pa.Column("datetime64[ns]"),
    **{c: _JUDGEMENT for c in _JUDGEMENT_COLUMNS.values()},
}


def _ilacs_sheet(path, sheet: str, extra: dict[str, str]) -> pd.DataFrame:
    """One table of the ILACS workbook: the header is on the sheet's third row; column A (a web link) is dropped."""
    cols = {
        "Local authority area code": "area_code",
        "Local authority name": "area_name",
        "Inspection date": "inspection_date",
        "Publication date": "publication_date",
        **extra,
        **_JUDGEMENT_COLUMNS,
    }
    raw = read_sheet(path, ILACS, sheet, required=list(cols), header=2)
    out = raw[list(cols)].rename(columns=cols)
    out = out[out["area_code"].astype(str).str.match(GSS_PATTERN)].copy()
    for col in ("inspection_date", "publication_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ["area_code", "area_name", *extra.values()]:
        out[col] = out[col].astype(str).str.strip()
    for col in _JUDGEMENT_COLUMNS.values():
        out[col] = out[col].astype(object).where(out[col].notna(), None)
        out[col] = out[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return out.reset_index(drop=True)


@parser(
    ILACS,
    "history",
    files=[ILACS_FILE],
    schema=pa.DataFrameSchema(
        {
            **_ILACS_SCHEMA,
            "status": pa.Column(str, pa.Check.isin(["Current", "No longer exists"])),
            "inspection_type": pa.Column(str, pa.Check.str_startswith("ILACS")),
        },
        unique=["area_code", "inspection_date"],
    ),
)
def ilacs_history(paths):
    """Every ILACS short and standard inspection 2018-2025 with its judgements (Ofsted)."""
    return _ilacs_sheet(
        paths[ILACS_FILE],
        "ILACS_inspection_history",
        {"Local authority status": "status", "Inspection type": "inspection_type"},
    )


@parser(
    ILACS,
    "latest",
    files=[ILACS_FILE],
    schema=pa.DataFrameSchema(_ILACS_SCHEMA, unique=["area_code"]),
)
def ilacs_latest(paths):
    """Latest ILACS judgements of every current authority as at 31 March 2025 (Ofsted)."""
    return _ilacs_sheet(paths[ILACS_FILE], "Inspections_as_at_31_March", {})
