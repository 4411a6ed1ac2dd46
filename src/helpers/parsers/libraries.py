"""Public libraries in England, 2010 and 2016 (DCMS Libraries Taskforce basic dataset, LibrariesHacked cleaning).

Tables
------
``public_libraries_england_la_2010_2016``
    ``default``      one row per library (3,238): library name and id, its library authority (GSS ``area_code``
                     of the authority in 2016, name), whether it was part of the statutory service on 1 April 2010
                     and on 1 July 2016 (bool), type in 2016 (LAL local-authority-led, CL community library
                     supported by the authority, CRL community-run, ICL independent; missing when closed), closure
                     code (XL closed, XLR closed and replaced, XLT temporarily closed) and year, year opened.
    ``authorities``  one row per library authority (151): ``area_code`` and name as in 2016, with the number of
                     statutory libraries on 1 April 2010 and 1 July 2016 and of libraries closed 2010-2016.

Library authorities are the upper-tier councils of 2016; councils created since (Buckinghamshire, Dorset, BCP,
Somerset, North Yorkshire, Cumberland ...) are mapped to today's councils by the section that uses the data
(:func:`helpers.sections.s01_communities.libraries_by_council`), not here. The Isles of Scilly is not a library
authority in this dataset.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import read_csv
from ..schemas import gss_code

LIB = "public_libraries_england_la_2010_2016"
LIB_FILE, AUTH_FILE = "libraries.csv", "authorities.csv"
#: Closure codes of the source (``closed`` column).
CLOSURE_CODES = {"XL": "closed", "XLR": "closed and replaced", "XLT": "temporarily closed"}
TYPES = ("LAL", "CL", "CRL", "ICL")

_year = pa.Column("Int64", pa.Check.in_range(1900, 2017), nullable=True)

_LIB_SCHEMA = pa.DataFrameSchema(
    {
        "library_id": pa.Column(int, unique=True),
        "library_name": pa.Column(str),
        "authority_id": pa.Column(int),
        "area_code": gss_code(),
        "authority_name": pa.Column(str),
        "statutory_2010": pa.Column(bool),
        "statutory_2016": pa.Column(bool),
        "type": pa.Column(str, pa.Check.isin(TYPES), nullable=True),
        "closed": pa.Column(str, pa.Check.isin(list(CLOSURE_CODES)), nullable=True),
        "closed_year": _year,
        "opened_year": _year,
    },
    strict=True,
)

_AUTH_SCHEMA = pa.DataFrameSchema(
    {
        "area_code": gss_code(unique=True),
        "authority_name": pa.Column(str),
        "statutory_2010": pa.Column(int, pa.Check.ge(0)),
        "statutory_2016": pa.Column(int, pa.Check.ge(0)),
        "closed_2010_2016": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
)


def _flag(values: pd.Series, column: str) -> pd.Series:
    """'t'/'f' -> True/False; anything else is a bad file."""
    v = values.astype(str).str.strip().str.lower()
    bad = sorted(set(v) - {"t", "f"})
    if bad:
        raise SchemaError(f"{LIB}/{LIB_FILE}: column {column} should hold t or f, found {bad[:3]}: check the file")
    return v.eq("t")


def _libraries(paths) -> pd.DataFrame:
    libs = read_csv(
        paths[LIB_FILE],
        LIB,
        required=["name", "id", "authority_id", "statutory2010", "statutory2016", "type", "closed", "closed_year"],
    )
    auth = read_csv(paths[AUTH_FILE], LIB, required=["authority_id", "name", "code"])
    auth = auth[["authority_id", "name", "code"]].rename(columns={"name": "authority_name", "code": "area_code"})
    out = libs.merge(auth, on="authority_id", how="left", validate="many_to_one")
    if out["area_code"].isna().any():
        ids = sorted(out.loc[out["area_code"].isna(), "authority_id"].unique())[:3]
        raise SchemaError(f"{LIB}: libraries with authority_id {ids} have no row in {AUTH_FILE}: check the files")
    frame = pd.DataFrame(
        {
            "library_id": out["id"].astype(int),
            "library_name": out["name"].astype(str).str.strip(),
            "authority_id": out["authority_id"].astype(int),
            "area_code": out["area_code"].astype(str).str.strip(),
            "authority_name": out["authority_name"].astype(str).str.strip(),
            "statutory_2010": _flag(out["statutory2010"], "statutory2010"),
            "statutory_2016": _flag(out["statutory2016"], "statutory2016"),
            "type": out["type"].where(out["type"].notna(), None),
            "closed": out["closed"].where(out["closed"].notna(), None),
            "closed_year": pd.to_numeric(out["closed_year"], errors="coerce").astype("Int64"),
            "opened_year": pd.to_numeric(out["opened_year"], errors="coerce").astype("Int64"),
        }
    )
    for col in ("type", "closed"):
        frame[col] = frame[col].astype(object)
    return frame


@parser(LIB, "default", files=[LIB_FILE, AUTH_FILE], schema=_LIB_SCHEMA)
def libraries(paths):
    """Public libraries in England, one row per library: statutory status on 1 April 2010 and 1 July 2016."""
    return _libraries(paths)


@parser(LIB, "authorities", files=[LIB_FILE, AUTH_FILE], schema=_AUTH_SCHEMA)
def library_authorities(paths):
    """Statutory public libraries per library authority on 1 April 2010 and 1 July 2016, and closures between."""
    libs = _libraries(paths)
    out = (
        libs.groupby(["area_code", "authority_name"], as_index=False)
        .agg(
            statutory_2010=("statutory_2010", "sum"),
            statutory_2016=("statutory_2016", "sum"),
            closed_2010_2016=("closed", lambda s: int(s.notna().sum())),
        )
        .astype({"statutory_2010": int, "statutory_2016": int, "closed_2010_2016": int})
    )
    return out.sort_values("area_code").reset_index(drop=True)
