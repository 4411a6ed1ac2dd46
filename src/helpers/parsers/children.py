"""Schools, children and young people: school funding (NEU), children looked after, 16-17 NEET and LAIT.

Tables
------
``school_funding_per_pupil_neu_2015_16_2020_21``
    ``la``        152 education authorities keyed by DfE 3-digit LA number (``la_number``).
    ``district``  ~309 districts (school location) keyed by GSS ``area_code``.
    Both: schools, pupils and real-terms (2022-23 prices) grant funding and funding per pupil in 2015-16
    and 2020-21. The workbook header spans three rows; the parser names the columns itself.
``children_looked_after_la_2019_2025``
    ``default``   indicator shape: children looked after on 31 March / starting / ceasing, count
    (``numerator``), child population (``denominator``) and rate per 10,000 (``value``), by LA, region and
    England. Years 2021-2025 come from the newer release (DfE revises back-years), 2019-2020 from the older.
    ``la_lookup`` DfE 3-digit LA number -> GSS code and name, from both releases.
``neet_participation_16_17_la_2021_2025``
    ``default``   one row per area and year: cohort, NEET, not known, NEET or not known, participation,
    apprenticeship (% of 16-17 year olds).
``dfe_lait_la_indicators_2016_2025``
    ``children``  the LAIT measures this section uses (:data:`LAIT_MEASURES`), long, numeric, with the data
    dictionary's label, polarity and unit, keyed by DfE LA number and name. Filtered so the cache stays small.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..indicators import tidy
from ..readers import first_row_matching, numeric_columns, read_csv, read_sheet, require_columns
from ..schemas import GSS_PATTERN, gss_code, non_negative, share

NEU = "school_funding_per_pupil_neu_2015_16_2020_21"
CLA = "children_looked_after_la_2019_2025"
NEET = "neet_participation_16_17_la_2021_2025"
LAIT = "dfe_lait_la_indicators_2016_2025"

# --- NEU school funding ---------------------------------------------------------------------------

_NEU_VALUES = [
    "schools",
    "pupils_2015_16",
    "pupils_2020_21",
    "funding_2015_16",
    "funding_2020_21",
    "share_schools_cut",
    "per_pupil_2015_16",
    "per_pupil_2020_21",
    "change_per_pupil",
    "change_spending_power",
]

_NEU_SCHEMA = {
    "area_name": pa.Column(str),
    "schools": non_negative(),
    "pupils_2015_16": non_negative(),
    "pupils_2020_21": non_negative(),
    "funding_2015_16": non_negative(),
    "funding_2020_21": non_negative(),
    "share_schools_cut": share(),
    "per_pupil_2015_16": pa.Column(float, pa.Check.in_range(2000, 20000), nullable=True),
    "per_pupil_2020_21": pa.Column(float, pa.Check.in_range(2000, 20000), nullable=True),
    "change_per_pupil": pa.Column(float, nullable=True),
    "change_spending_power": pa.Column(float, pa.Check.in_range(-1, 1), nullable=True),
}


def _neu_sheet(path, key_header: str) -> tuple[pd.DataFrame, int]:
    """Rows of the NEU 'Data' sheet below its three header rows, with project column names."""
    raw = read_sheet(path, NEU, "Data", header=None)
    header = first_row_matching(raw, key_header)
    if raw.shape[1] < 12:
        raise SchemaError(f"{NEU}/{path.name}: expected 12 columns in sheet 'Data', found {raw.shape[1]}")
    # check the spanning header labels the parser relies on (row 0 of the sheet)
    top = [str(v).strip() for v in raw.iloc[0].tolist()]
    for col, label in ((3, "Pupils"), (5, "Grant Funding"), (8, "Grant Funding Per Pupil")):
        if not top[col].startswith(label):
            raise SchemaError(f"{NEU}/{path.name}: column {col} header is {top[col]!r}, expected {label!r}…")
    body = raw.iloc[header + 1 :, :12].copy()
    body.columns = ["area_name", "key"] + _NEU_VALUES
    body = body[body["area_name"].notna()]
    body, suppressed = numeric_columns(body, _NEU_VALUES)
    body["area_name"] = body["area_name"].astype(str).str.strip()
    return body, suppressed


@parser(
    NEU,
    "la",
    files=["Local Authority.xlsx"],
    schema=pa.DataFrameSchema({"la_number": pa.Column(int, pa.Check.in_range(200, 999), unique=True), **_NEU_SCHEMA}),
)
def neu_la(paths):
    """NEU real-terms school grant funding per pupil, 2015-16 and 2020-21, by education authority (DfE LA number)."""
    body, suppressed = _neu_sheet(paths["Local Authority.xlsx"], "LA (name)")
    body["la_number"] = pd.to_numeric(body.pop("key"), errors="coerce")
    body = body.dropna(subset=["la_number"])
    body["la_number"] = body["la_number"].astype(int)
    return body[["la_number", "area_name"] + _NEU_VALUES], suppressed


@parser(
    NEU,
    "district",
    files=["District.xlsx"],
    schema=pa.DataFrameSchema({"area_code": gss_code(unique=True), **_NEU_SCHEMA}),
)
def neu_district(paths):
    """NEU real-terms school grant funding per pupil, 2015-16 and 2020-21, by district of school location (GSS)."""
    body, suppressed = _neu_sheet(paths["District.xlsx"], "DistrictAdministrative (name)")
    body["area_code"] = body.pop("key").astype(str).str.strip()
    body = body[body["area_code"].str.match(GSS_PATTERN)]
    return body[["area_code", "area_name"] + _NEU_VALUES], suppressed


# --- children looked after ------------------------------------------------------------------------

CLA_NEW = "cla_number_and_rate_per_10k_children_2021_2025.csv"
CLA_OLD = "cla_number_and_rate_per_10k_children_2019_2023.csv"
_CLA_COMMON = [
    "time_period",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
    "new_la_code",
    "population_estimate",
    "rate_per_10000",
]


def _cla_measure(label: pd.Series) -> pd.Series:
    """'Children looked after on/at 31 March each year' -> 'looked after on 31 March', etc."""
    text = label.astype(str).str.lower()
    return np.select(
        [text.str.contains("31 march"), text.str.contains("starting"), text.str.contains("ceasing")],
        [
            "Children looked after on 31 March",
            "Children starting to be looked after",
            "Children ceasing to be looked after",
        ],
        default="other",
    )


def _cla_frames(paths) -> tuple[pd.DataFrame, int]:
    new = read_csv(
        paths[CLA_NEW],
        CLA,
        required=_CLA_COMMON + ["population_type", "children_count"],
        dtype={"old_la_code": "string"},
    )
    old = read_csv(
        paths[CLA_OLD], CLA, required=_CLA_COMMON + ["population_count", "number"], dtype={"old_la_code": "string"}
    )
    new = new.rename(columns={"population_type": "label", "children_count": "count"})
    old = old.rename(columns={"population_count": "label", "number": "count"})
    old = old[~old["time_period"].isin(new["time_period"].unique())]  # latest vintage per year
    raw = pd.concat([new, old], ignore_index=True)
    raw, suppressed = numeric_columns(raw, ["population_estimate", "count", "rate_per_10000"])
    return raw, suppressed


@parser(CLA, "default", files=[CLA_NEW, CLA_OLD])
def cla_rates(paths):
    """Children looked after (on 31 March, starting, ceasing): count, child population and rate per 10,000."""
    raw, suppressed = _cla_frames(paths)
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
    frame = pd.DataFrame(
        {
            "area_code": code,
            "area_name": name,
            "period": raw["time_period"].astype(str),
            "year": raw["time_period"].astype(int),
            "indicator": _cla_measure(raw["label"]),
            "value": raw["rate_per_10000"],
            "numerator": raw["count"],
            "denominator": raw["population_estimate"],
            "geographic_level": level,
            "la_number": raw["old_la_code"].astype("string"),
        }
    )
    frame = frame[frame["area_code"].str.match(GSS_PATTERN) & frame["indicator"].ne("other")]
    frame = frame.drop_duplicates(["area_code", "year", "indicator"], keep="first")
    return tidy(frame, CLA, unit="per 10,000 children"), suppressed


@parser(
    CLA,
    "la_lookup",
    files=[CLA_NEW, CLA_OLD],
    schema=pa.DataFrameSchema(
        {
            "la_number": pa.Column(int, pa.Check.in_range(200, 999)),
            "area_code": gss_code(),
            "la_name": pa.Column(str),
            "last_year": pa.Column(int),
        }
    ),
)
def cla_lookup(paths):
    """DfE 3-digit LA number -> GSS code and name of each local authority in either release (latest first)."""
    raw, _ = _cla_frames(paths)
    la = raw[raw["geographic_level"].eq("Local authority")]
    out = pd.DataFrame(
        {
            "la_number": pd.to_numeric(la["old_la_code"], errors="coerce"),
            "area_code": la["new_la_code"].astype(str),
            "la_name": la["la_name"].astype(str),
            "last_year": la["time_period"].astype(int),
        }
    ).dropna(subset=["la_number"])
    out["la_number"] = out["la_number"].astype(int)
    out = out.sort_values("last_year", ascending=False).drop_duplicates(["la_number", "area_code"])
    return out.reset_index(drop=True)


# --- 16-17 NEET and participation ----------------------------------------------------------------

_NEET_COLUMNS = {
    "Cohort_DJFavg": "cohort",
    "NEET_not_known_percent": "neet_or_not_known_pct",
    "NEET_percent": "neet_pct",
    "Notknown_percent": "not_known_pct",
    "TOTAL_participating_in_education_and_training_percent": "participating_pct",
    "Apprenticeship_percent": "apprenticeship_pct",
}


@parser(
    NEET,
    "default",
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(2021, 2025)),
            "geographic_level": pa.Column(str),
            "cohort": non_negative(),
            **{c: pa.Column(float, pa.Check.in_range(0, 100), nullable=True) for c in list(_NEET_COLUMNS.values())[1:]},
        },
        unique=["area_code", "year"],
    ),
)
def neet(paths):
    """16-17 year olds NEET, not known, NEET or not known, participating and in apprenticeships (%), 2021-2025."""
    frames, suppressed = [], 0
    for name in sorted(paths):
        raw = read_csv(
            paths[name],
            NEET,
            required=[
                "time_period",
                "geographic_level",
                "country_code",
                "region_code",
                "region_name",
                "new_la_code",
                "la_name",
                "old_la_code",
                "Age",
                *_NEET_COLUMNS,
            ],
        )
        raw, n = numeric_columns(raw, list(_NEET_COLUMNS))
        suppressed += n
        level = raw["geographic_level"].astype(str)
        code = np.select(
            [level.eq("National"), level.eq("Regional")],
            [raw["country_code"].astype(str), raw["region_code"].astype(str)],
            default=raw["new_la_code"].astype(str),
        )
        name_ = np.select(
            [level.eq("National"), level.eq("Regional")],
            ["England", raw["region_name"].astype(str)],
            default=raw["la_name"].astype(str),
        )
        out = pd.DataFrame(
            {
                "area_code": code,
                "area_name": name_,
                "year": raw["time_period"].astype(int),
                "geographic_level": level,
                "la_number": pd.to_numeric(raw["old_la_code"], errors="coerce"),
            }
        )
        for src, dst in _NEET_COLUMNS.items():
            out[dst] = raw[src].astype(float)
        frames.append(out[out["area_code"].str.match(GSS_PATTERN)])
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["area_code", "year"])
    return out, suppressed


# --- LAIT -----------------------------------------------------------------------------------------

#: LAIT measures (``Short Desc``) used by the schools and children section.
LAIT_MEASURES = (
    "FSP_NEW_GOODDEV",
    "FSP_Gooddev_FSM",
    "FSP_Gooddev_FSM_Other",
    "KS2RWM_Expected_STD",
    "DAP_NEW_KS2_RWM",
    "NonDAP_NEW_KS2_RWM",
    "EngMaths9-4",
    "AVG_Attain8_Score",
    "DAP_KS4_ATT8",
    "NonDAP_KS4_ATT8",
    "TotPerAbNew",
    "LAC_Pers_Abs",
    "LAC",
    "CIN",
    "CPP_rate",
    "TotalLACFinance",
    "LACFinance",
    "16-17 NEET",
    "16-17_not known_NEET",
    "KS4_DES_Apprentice",
    "HCP_PHOF",
    "%_2yr_olds",
    "Unacc_Asylmn_Seek_Childn",
    "PriFSM",
    "SecFSM",
)


@parser(
    LAIT,
    "children",
    files=["bds_long_0.parquet", "lait_data_dictionary.csv"],
    schema=pa.DataFrameSchema(
        {
            "measure": pa.Column(str, pa.Check.isin(list(LAIT_MEASURES))),
            "label": pa.Column(str),
            "polarity": pa.Column(str, nullable=True),
            "unit": pa.Column(str, nullable=True),
            "years": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(2010, 2030)),
            "area_name": pa.Column(str),
            "la_number": pa.Column(float, nullable=True),
            "value": pa.Column(float, nullable=True),
        },
        unique=["measure", "year", "area_name"],
    ),
)
def lait_children(paths):
    """LAIT measures for schools, children's services, NEET and early years (see LAIT_MEASURES), numeric, labelled."""
    bds = pd.read_parquet(paths["bds_long_0.parquet"])
    require_columns(
        bds, ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"], LAIT, "bds_long_0.parquet"
    )
    bds = bds[bds["Short Desc"].isin(LAIT_MEASURES)]
    missing = sorted(set(LAIT_MEASURES) - set(bds["Short Desc"]))
    if missing:
        raise SchemaError(f"{LAIT}/bds_long_0.parquet: measure(s) {missing} not found; the file version differs")
    # one consistent year series: plain 4-digit Years, and finance outturn 'YYYY-YY (OT)' (year = its end);
    # revised/provisional/budget variants are separate strings and are left out
    years = bds["Years"].astype(str)
    plain = years.str.fullmatch(r"\d{4}")
    outturn = years.str.fullmatch(r"\d{4}-\d{2} \(OT\)")
    bds = bds[plain | outturn]
    year = bds["Years"].astype(str).str.slice(0, 4).astype(int) + outturn[plain | outturn].astype(int)
    bds, suppressed = numeric_columns(bds, ["Values"])
    dictionary = read_csv(
        paths["lait_data_dictionary.csv"], LAIT, required=["Measure_short", "Measure", "Polarity", "y_axis_name"]
    )
    dictionary = dictionary.drop_duplicates("Measure_short").set_index("Measure_short")
    out = pd.DataFrame(
        {
            "measure": bds["Short Desc"].astype(str),
            "label": bds["Short Desc"].map(dictionary["Measure"]).fillna(bds["Short Desc"]).astype(str).str.strip(),
            "polarity": bds["Short Desc"].map(dictionary["Polarity"]).astype(object),
            "unit": bds["Short Desc"].map(dictionary["y_axis_name"]).astype(object),
            "years": bds["Years"].astype(str),
            "year": year,
            "area_name": bds["LA and Regions"].astype(str).str.strip(),
            "la_number": bds["LA Number"].astype(float),
            "region": bds["Region"].astype(object),
            "value": bds["Values"].astype(float),
        }
    )
    out["polarity"] = out["polarity"].where(out["polarity"].isin(["High", "Low"]), None)
    out = out.drop_duplicates(["measure", "year", "area_name"])
    return out, suppressed
