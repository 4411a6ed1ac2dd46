"""Council finance (Briefing 07): Revenue Support Grant and net revenue expenditure by council, from the DCLG/MHCLG
Revenue Outturn Summary (RS) returns, 2013-14, 2014-15 and 2017-18 (the years in the mirror since business rates
retention began in 2013-14; 2015-16 and 2016-17 are missing from the source folder).

Each workbook's data sheet has a header row whose first cell is "E-code" (DCLG's own authority code); from 2014-15
it also carries the ONS (GSS) code. Columns are found by their labels on that row, not by position. Financing
lines are entered as negative numbers (income), so the grant is sign-reversed here. Units: £ thousand, cash.
2010-11 to 2012-13 are not used: Revenue Support Grant was redefined in 2013-14 (business rates retention rolled
other grants into it), so earlier years are not comparable.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import first_row_matching, read_sheet, to_numeric_counting_suppressed
from ..schemas import gss_code, year

RS = "la_revenue_outturn_summary_rs_2010_11_to_2017_18"
#: workbook -> (data sheet, first calendar year of the financial year)
WORKBOOKS = {
    "Revenue_Outturn_Summary__RS__data_2013-14_by_LA_-_Revised_28-Jan-2015.xls": ("RS LA Data 2013-14 (1)", 2013),
    "Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls": ("RS LA Data 2014-15 (1)", 2014),
    "RS_2017-18_data_by_LA.xlsx": ("RS LA Data 2017-18", 2017),
}
COLUMNS = {"rsg": "revenue support grant", "net_revenue_expenditure": "net revenue expenditure"}


def _sheet(path, sheet: str) -> pd.DataFrame:
    raw = read_sheet(path, RS, sheet, header=None)
    head = first_row_matching(raw, "E-code")
    labels = raw.iloc[head].fillna("").astype(str).str.strip().str.lower()
    pos = {}
    for name, label in COLUMNS.items():
        hits = [i for i, v in enumerate(labels) if v.startswith(label)]
        if not hits:
            raise SchemaError(f"{RS}/{sheet}: no column labelled {label!r} on the E-code row: the layout has changed")
        pos[name] = hits[0]
    ons = [i for i, v in enumerate(labels) if v == "ons code"]
    body = raw.iloc[head + 1 :]
    body = body[body.iloc[:, 0].fillna("").astype(str).str.match(r"^E\d{4}$")]
    out = pd.DataFrame({"ecode": body.iloc[:, 0].astype(str).str.strip()})
    out["area_code"] = body.iloc[:, ons[0]].astype(str).str.strip() if ons else None
    name_col = [i for i, v in enumerate(labels) if v == "local authority"][0]
    out["authority"] = body.iloc[:, name_col].astype(str).str.strip()
    for name, i in pos.items():
        out[name] = body.iloc[:, i]
    return out.reset_index(drop=True)


@parser(
    RS,
    "rsg",
    files=list(WORKBOOKS),
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "ecode": pa.Column(str, pa.Check.str_matches(r"^E\d{4}$")),
            "authority": pa.Column(str),
            "year": year(2013, 2017),
            "financial_year": pa.Column(str),
            "rsg": pa.Column(float, pa.Check.ge(-1), nullable=True),
            "net_revenue_expenditure": pa.Column(float, nullable=True),
        },
        unique=["area_code", "year"],
    ),
)
def rsg(paths):
    """Revenue Support Grant received (£ thousand, cash; the RS line entered as negative income, sign-reversed) and
    net revenue expenditure (£ thousand) by authority and financial year (``year`` = first calendar year).
    2013-14 has no GSS codes: they come from the later workbooks by DCLG E-code; authorities with no GSS code
    anywhere are dropped (counted)."""
    frames, suppressed = [], 0
    for file, (sheet, first) in WORKBOOKS.items():
        part = _sheet(paths[file], sheet)
        for col in COLUMNS:
            values = part[col].astype(object)
            marker = values.astype(str).str.strip().isin(["…", "..."])  # DCLG's "not available" mark
            suppressed += int(marker.sum())
            part[col], n = to_numeric_counting_suppressed(values.where(~marker, None))
            suppressed += n
        part["year"] = first
        part["financial_year"] = f"{first}-{(first + 1) % 100:02d}"
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    gss = out.dropna(subset=["area_code"])
    gss = gss[gss["area_code"].str.match(r"^E\d{8}$")].sort_values("year")
    lookup = dict(zip(gss["ecode"], gss["area_code"], strict=True))
    out["area_code"] = out["ecode"].map(lookup)
    dropped = int(out["area_code"].isna().sum())
    out = out.dropna(subset=["area_code"])
    out["rsg"] = -out["rsg"]
    out = out[["area_code", "ecode", "authority", "year", "financial_year", "rsg", "net_revenue_expenditure"]]
    return out.sort_values(["area_code", "year"]).reset_index(drop=True), suppressed + dropped
