"""Council tax: DLUHC Council Tax Requirement (CTR) returns, Band D and the adult social care precept.

Dataset ``council_tax_requirement_band_d_asc_la_2014_15_to_2023_24`` (DLUHC "Council Tax levels set by local
authorities in England", CTR data tables; nine annual workbooks, 2014-15 to 2023-24).

Tables
------
``band_d``
    One row per authority and financial year, 2014-15 to 2023-24: ``band_d`` (the authority's own average
    Band D council tax including the adult social care precept and parish/local precepts, £; for a shire
    county this is the county precept only), ``band_d_excl_parish`` (the same excluding parish precepts, £),
    ``band_d_area_total`` (billing authorities only: the average Band D bill for the area including county,
    police, fire and combined-authority precepts, £), ``council_tax_requirement`` (£) and ``tax_base``
    (Band D equivalent dwellings).
``asc_precept``
    One row per authority with social care duties and financial year, 2016-17 to 2023-24:
    ``asc_precept_total`` (the adult social care precept raised IN THAT YEAR, £ = that year's element x tax
    base; not cumulative), ``asc_element`` (that year's ASC precept element of the Band D increase, £) and
    ``asc_percent`` (that element as a percentage of the previous year's Band D excluding parish precepts).

Both tables: ``area_code`` (GSS code; England = E92000001), ``authority``, ``la_class`` (DLUHC class: SC, UA,
MD, ILB, OLB, SD, PCC, CFA, MF, CA, GLA ...), ``year`` (first calendar year of the financial year, int) and
``financial_year`` ("2023-24").

Method
------
Each workbook holds a previous-year and a current-year column for most lines. The value used for a year is
the one from the workbook in which it was the CURRENT year (council tax as set), so later revisions of the
previous year are not used; 2014-15, which is never a current year here, comes from the 2015-16 workbook's
previous-year column. Columns are found by their line label, not by position (line numbers shift).

Area codes: workbooks from 2020-21 carry GSS codes beside DLUHC's own E-codes; the GSS code given for an
E-code in the latest workbook that lists it is used for every year, so a council whose code changed (e.g. after
a boundary change) has one current code throughout. Councils abolished before 2020-21 (the Dorset,
Suffolk and Somerset districts reorganised in 2019, Bournemouth, Poole and Christchurch) never appear with a
GSS code and are left out; councils abolished in 2021 or 2023 keep their last code (e.g. Allerdale E07000026).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import first_row_matching, read_sheet, to_numeric_counting_suppressed
from ..schemas import gss_code, non_negative

COUNCIL_TAX = "council_tax_requirement_band_d_asc_la_2014_15_to_2023_24"

#: Workbook -> the financial year that is "current" in it.
WORKBOOKS = {
    "ctr_1516.xlsx": "2015-16",
    "ctr_1617.xlsx": "2016-17",
    "ctr_1718.xlsx": "2017-18",
    "ctr_1819.xlsx": "2018-19",
    "ctr_1920.xlsx": "2019-20",
    "ctr_2021.xlsx": "2020-21",
    "ctr_2122.xlsx": "2021-22",
    "ctr_2223.xlsx": "2022-23",
    "ctr_table9_2023_24.ods": "2023-24",
}
ODS = "ctr_table9_2023_24.ods"
ODS_SHEETS = ("Data_Billing", "Data_Precepting")
ENGLAND = "E92000001"
#: DLUHC's E-codes for England in the xlsx and ods layouts.
ENGLAND_ECODES = {"Eng", "TE"}

#: DLUHC classes of the authorities with adult social care duties (and England).
SOCIAL_CARE_CLASSES = ("SC", "UA", "MD", "ILB", "OLB", "Eng")
BAND_D_MEASURES = ["band_d", "band_d_excl_parish", "band_d_area_total", "council_tax_requirement", "tax_base"]
ASC_MEASURES = ["asc_precept_total", "asc_element", "asc_percent"]

_NUMBERED = re.compile(r"^(\d+[a-z]?)\.\s*")


def _measure(label) -> str | None:
    """Our measure for a CTR line label, or None. Only numbered lines count (not the re-organisation block)."""
    text = " ".join(str(label).split()).lower().replace("band d (2 adult", "band d 2 adult")
    match = _NUMBERED.match(text)
    if not match:
        return None
    text = text[match.end() :]
    if text.startswith("council tax requirement"):
        return None if "excluding local precepts" in text else "council_tax_requirement"
    if text.startswith(("council tax base for council tax setting purposes", "council tax base for the major")):
        return "tax_base"
    if text.startswith("average (band d 2 adult equivalent) council tax for area of the billing authority"):
        return "band_d_area_total"
    if text.startswith("average (band d 2 adult equivalent) council tax of major precepting authority"):
        return "band_d"
    if text.startswith("average (band d 2 adult equivalent) council tax"):
        if "excluding local precepts" in text:
            return "band_d_excl_parish"
        if "local precepts" in text:
            return "band_d"
        return None
    if text.startswith("total adult social care precept"):
        return "asc_precept_total"
    if text.startswith(("adult social care precept element of", "adult social care precept as an element of")):
        return "asc_element"
    if text.startswith("adult social care precept as a percentage"):
        return "asc_percent"
    return None


def _previous(fy: str) -> str:
    first = int(fy[:4]) - 1
    return f"{first}-{str(first + 1)[2:]}"


def _xlsx_columns(raw: pd.DataFrame, current: str) -> dict[int, tuple[str, str]]:
    """Column position -> (measure, financial year) for an xlsx 'Data' sheet (labels row 3, years row 4)."""
    labels = raw.iloc[3].ffill()
    years = raw.iloc[4]
    out: dict[int, tuple[str, str]] = {}
    for pos in range(3, raw.shape[1]):
        measure = _measure(labels.iloc[pos])
        if measure is None:
            continue
        year = str(years.iloc[pos]).strip()
        if not re.fullmatch(r"\d{4}-\d\d", year):
            year = current  # single-column lines (ASC precept) are current-year only
        elif year not in (current, _previous(current)):
            raise SchemaError(f"{COUNCIL_TAX}: a column of the {current} workbook is for {year}; unexpected layout")
        out[pos] = (measure, year)
    return out


def _ods_columns(header: pd.Series, current: str) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    for pos, label in enumerate(header):
        measure = _measure(label)
        if measure is None:
            continue
        out[pos] = (measure, _previous(current) if "(previous year)" in str(label) else current)
    return out


def _long(body: pd.DataFrame, columns: dict[int, tuple[str, str]], current: str, name: str) -> tuple[list, int]:
    """Rows (ecode, gss, authority, class, measure, year, value, is_current) from one sheet body."""
    frames = []
    suppressed = 0
    for pos, (measure, fy) in columns.items():
        values, n = to_numeric_counting_suppressed(body["col"].iloc[:, pos].rename(f"{name} {measure} {fy}"))
        suppressed += n
        if measure == "asc_percent" and values.quantile(0.95) < 0.5:
            values = values * 100  # 2020-21 to 2022-23 store the percentage as a fraction (0.02 = 2%)
        frames.append(
            pd.DataFrame(
                {
                    "ecode": body["ecode"].to_numpy(),
                    "gss": body["gss"].to_numpy(),
                    "authority": body["authority"].to_numpy(),
                    "la_class": body["la_class"].to_numpy(),
                    "measure": measure,
                    "financial_year": fy,
                    "value": values.to_numpy(dtype=float),
                    "is_current": fy == current,
                    "workbook": current,
                }
            )
        )
    return frames, suppressed


def _body(raw: pd.DataFrame, first: int, ecode: int, name: int, cls: int, gss: int | None) -> dict:
    rows = raw.iloc[first:]
    codes = rows.iloc[:, ecode].astype(str).str.strip()
    keep = codes.str.fullmatch(r"E\d{4}") | codes.isin(ENGLAND_ECODES)
    rows = rows[keep]
    gss_values = (
        rows.iloc[:, gss].astype("string").str.strip() if gss is not None else pd.Series(pd.NA, index=rows.index)
    )
    return {
        "ecode": codes[keep],
        "gss": gss_values.where(gss_values.str.fullmatch(r"E\d{8}").fillna(False)),
        "authority": rows.iloc[:, name].astype(str).str.replace(r"\s*\(R\)\s*$", "", regex=True).str.strip(),
        "la_class": rows.iloc[:, cls].astype("string").str.strip().replace("[z]", "").fillna(""),
        "col": rows,
    }


def _read_all(paths) -> tuple[pd.DataFrame, int]:
    frames: list[pd.DataFrame] = []
    suppressed = 0
    for name, current in WORKBOOKS.items():
        if name not in paths:
            raise SchemaError(f"{COUNCIL_TAX}: workbook {name} is missing from the registered files")
        if name == ODS:
            for sheet in ODS_SHEETS:
                raw = read_sheet(paths[name], COUNCIL_TAX, sheet, header=None)
                head = first_row_matching(raw, "E-code")
                header = raw.iloc[head]
                if str(header.iloc[1]).strip() != "ONS Code":
                    raise SchemaError(f"{COUNCIL_TAX}/{name}/{sheet}: column B is not 'ONS Code'")
                body = _body(raw, head + 1, 0, 2, 4, 1)
                new, n = _long(body, _ods_columns(header, current), current, name)
                frames += new
                suppressed += n
        else:
            raw = read_sheet(paths[name], COUNCIL_TAX, "Data", header=None)
            if str(raw.iloc[3, 0]).strip() != "Ecode":
                raise SchemaError(f"{COUNCIL_TAX}/{name}: sheet 'Data' cell A4 is not 'Ecode'; unexpected layout")
            labels = [str(v).strip() for v in raw.iloc[3]]
            gss = labels.index("ONS Code") if "ONS Code" in labels else None
            body = _body(raw, 5, 0, 1, 2, gss)
            new, n = _long(body, _xlsx_columns(raw, current), current, name)
            frames += new
            suppressed += n
    long = pd.concat(frames, ignore_index=True)
    found = set(long["measure"])
    missing = [m for m in BAND_D_MEASURES + ASC_MEASURES if m not in found]
    if missing:
        raise SchemaError(f"{COUNCIL_TAX}: no column found for {missing[0]}; a line label has changed")
    return long, suppressed


def _tidy(long: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """Wide frame keyed by GSS code and year; current-year values win over previous-year ones."""
    # the GSS code of each E-code, from the latest workbook that gives one
    with_gss = long.dropna(subset=["gss"]).sort_values("workbook")
    gss_of = with_gss.groupby("ecode")["gss"].last().to_dict()
    gss_of.update({e: ENGLAND for e in ENGLAND_ECODES})
    long = long[long["measure"].isin(measures)].copy()
    long["area_code"] = long["ecode"].map(gss_of)
    long = long.dropna(subset=["area_code"])
    long = long.sort_values(["is_current", "workbook"], ascending=[False, False])
    long = long.drop_duplicates(["area_code", "financial_year", "measure"], keep="first")
    names = long.drop_duplicates(["area_code", "financial_year"])[["area_code", "financial_year", "authority"]]
    classes = (
        long[long["la_class"] != ""].sort_values("workbook").groupby("area_code")["la_class"].last().rename("la_class")
    )
    wide = long.pivot(index=["area_code", "financial_year"], columns="measure", values="value").reset_index()
    wide = wide.merge(names, on=["area_code", "financial_year"]).merge(classes, on="area_code", how="left")
    wide["la_class"] = wide["la_class"].fillna("")
    wide.loc[wide["area_code"] == ENGLAND, ["authority", "la_class"]] = ["England", "Eng"]
    wide["year"] = wide["financial_year"].str[:4].astype(int)
    for m in measures:
        if m not in wide:
            wide[m] = float("nan")
    wide = wide.dropna(subset=measures, how="all")
    cols = ["area_code", "authority", "la_class", "year", "financial_year", *measures]
    return wide[cols].sort_values(["area_code", "year"]).reset_index(drop=True)


_KEYS = {
    "area_code": gss_code(),
    "authority": pa.Column(str),
    "la_class": pa.Column(str),
    "year": pa.Column(int, pa.Check.in_range(2014, 2023)),
    "financial_year": pa.Column(str, pa.Check.str_matches(r"^20\d\d-\d\d$")),
}


@parser(
    COUNCIL_TAX,
    "band_d",
    files=list(WORKBOOKS),
    schema=pa.DataFrameSchema(
        {
            **_KEYS,
            "band_d": pa.Column(float, pa.Check.in_range(0, 5000), nullable=True),
            "band_d_excl_parish": pa.Column(float, pa.Check.in_range(0, 5000), nullable=True),
            "band_d_area_total": pa.Column(float, pa.Check.in_range(0, 6000), nullable=True),
            "council_tax_requirement": non_negative(),
            "tax_base": non_negative(),
        },
        unique=["area_code", "year"],
    ),
)
def band_d(paths):
    """Average Band D council tax (£, incl. the ASC precept; own precept, with and without parish precepts,
    and the billing area's total; missing in a reorganising council's shadow years), council tax requirement
    (£) and tax base (Band D equivalents), every English authority and England, financial years 2014-15 to
    2023-24, as set (DLUHC CTR returns)."""
    long, suppressed = _read_all(paths)
    return _band_d_table(long), suppressed


def _band_d_table(long: pd.DataFrame) -> pd.DataFrame:
    """The band_d table; a Band D of 0 (a council in its shadow or reorganisation year, whose figures sit in
    the workbook's separate re-organisation block) is not a tax level and becomes missing."""
    out = _tidy(long, BAND_D_MEASURES)
    unset = out["band_d"].le(0) | out["band_d"].isna()
    out.loc[unset, ["band_d", "band_d_excl_parish"]] = float("nan")
    return out


@parser(
    COUNCIL_TAX,
    "asc_precept",
    files=list(WORKBOOKS),
    schema=pa.DataFrameSchema(
        {
            **_KEYS,
            "year": pa.Column(int, pa.Check.in_range(2016, 2023)),
            "asc_precept_total": non_negative(),
            "asc_element": pa.Column(float, pa.Check.in_range(0, 200), nullable=True),
            "asc_percent": pa.Column(float, pa.Check.in_range(0, 10), nullable=True),
        },
        unique=["area_code", "year"],
    ),
)
def asc_precept(paths):
    """Adult social care precept of each social care authority and England, 2016-17 to 2023-24: the amount
    raised by that year's ASC precept element (£), the element on Band D (£) and as a percentage of the
    previous year's Band D (DLUHC CTR returns; in-year element, not cumulative)."""
    long, suppressed = _read_all(paths)
    out = _tidy(long, ASC_MEASURES)
    out = out[out["la_class"].isin(SOCIAL_CARE_CLASSES)]
    # drop years in which the council set no Band D of its own (shadow/reorganisation years): a 0 there is not
    # a decision to levy no ASC precept
    bands = _band_d_table(long).dropna(subset=["band_d"])[["area_code", "year"]]
    return out.merge(bands, on=["area_code", "year"]), suppressed
