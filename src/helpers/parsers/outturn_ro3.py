"""MHCLG revenue outturn RO3 (children's services lines): spending on services for young people and on Sure Start
children's centres and early years, 2023-24 and 2024-25, by council (£ thousand, cash).

Tables
------
``la_revenue_outturn_rsx_ro3_2023_24_2024_25``
    ``ro3_young_people``  one row per council (county, unitary, metropolitan district, London borough) and England
                          per financial year: gross expenditure and net current expenditure on services for young
                          people, and net current expenditure on Sure Start children's centres and early years.

The 2024-25 sheet names each column "<service> - <measure>" in one header row; the 2023-24 sheet puts the service
in a spanning row above the measure row, so the parser fills the service label forward. Councils that did not
submit ('[x]') are missing; the count is returned as suppressed.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import first_row_matching, numeric_columns, read_sheet, require_columns
from ..schemas import gss_code

OUTTURN = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"
#: File -> (sheet, financial year label).
RO3_FILES = {
    "RO3_2023-24_data_by_LA.ods": ("RO3_LA_Data_2023-24", "2023-24"),
    "RO3_LA_Data_2024-25_data_by_LA.ods": ("RO3_LA_Data_202425", "2024-25"),
}
#: The RSX (revenue summary) workbooks of the same release: file -> (sheet, financial year label).
RSX_FILES = {
    "RSX_2023-24_data_by_LA.ods": ("RSX_LA_Data_2023-24", "2023-24"),
    "RSX_LA_Data_2024-25_data_by_LA.ods": ("RSX_LA_Data_202425", "2024-25"),
}
#: RSX bodies kept: county, unitary, metropolitan district, London borough, shire district councils and England.
RSX_CLASSES = ("SC", "UA", "MD", "LB", "SD", "Eng")
YOUNG = "Children's social care: Services for young people"
SURE_START = "Children's social care: Sure start children's centres and early years"
GROSS = "Total Expenditure (C3 = C1 + C2)"
NET = "Net Current Expenditure (C7 = C3 - C6)"
#: (service, measure) -> our column (values in £ thousand, cash).
RO3_COLUMNS = {
    (YOUNG, GROSS): "young_people_gross",
    (YOUNG, NET): "young_people_net",
    (SURE_START, NET): "sure_start_net",
}
CLASSES = ("SC", "UA", "MD", "LB", "Eng")
#: "<service> - <measure (Cn ...)>" (the measure itself may contain " - ", e.g. "(C7 = C3 - C6)").
_MEASURE = re.compile(
    r"^(.*) - ((?:Employees|Running Expenses|Total Expenditure|Sales, Fees and Charges|Other Income|Total Income|"
    r"Net Current Expenditure) \(C\d.*\))$"
)


def _label(text) -> str:
    """Whitespace collapsed, and the running number some 2023-24 measure labels carry dropped ("(C1)2" -> "(C1)")."""
    return re.sub(r"\)\d+$", ")", " ".join(str(text).split()))


def _columns(raw: pd.DataFrame, head: int) -> list[tuple[str, str]]:
    """(service, measure) for every column: from "<service> - <measure>" labels (2024-25) or a spanning service
    row above the measure row, filled forward (2023-24)."""
    labels = [_label(c) for c in raw.iloc[head]]
    if any(lab.startswith(YOUNG + " - ") for lab in labels):
        split = [_MEASURE.match(lab) for lab in labels]
        return [(m.group(1), m.group(2)) if m else (lab, lab) for m, lab in zip(split, labels, strict=True)]
    services = raw.iloc[head - 1].where(raw.iloc[head - 1].notna()).ffill()
    return [(_label(s) if isinstance(s, str) else "", lab) for s, lab in zip(services, labels, strict=True)]


def outturn_keys(classes: tuple[str, ...] | None = CLASSES) -> dict[str, pa.Column]:
    """Schema columns every outturn table starts with: council, class of authority (one of ``classes``; any when
    None) and financial year (2023-24 or 2024-25; ``year`` is the year it starts)."""
    return {
        "area_code": gss_code(),
        "area_name": pa.Column(str),
        "la_class": pa.Column(str, pa.Check.isin(list(classes))) if classes else pa.Column(str),
        "period": pa.Column(str, pa.Check.isin(["2023-24", "2024-25"])),
        "year": pa.Column(int, pa.Check.isin([2023, 2024])),
    }


def rsx_label(text) -> str:
    """An RSX column label as one spelling across both years: whitespace collapsed, "- (" closed up and 2023-24's
    "services- Total" spaced."""
    label = " ".join(str(text).split()).replace("- (", "(").replace(" -(", " (")
    return label.replace("services- Total", "services - Total")


def rsx_table(paths, columns: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """The RSX outturn columns ``columns`` (label -> our name, £ thousand, cash) for every council in
    :data:`RSX_CLASSES` and England, both financial years: ``area_code, area_name, la_class, period, year`` and one
    column per entry; non-submitting councils' cells ('[x]') are missing and counted (second value)."""
    frames, suppressed = [], 0
    for name, (sheet, period) in RSX_FILES.items():
        raw = read_sheet(paths[name], OUTTURN, sheet, header=None)
        head = first_row_matching(raw, "E-code")
        body = raw.iloc[head + 1 :].copy()
        body.columns = [rsx_label(c) for c in raw.iloc[head]]
        require_columns(body, ["ONS Code", "Local authority", "Class", *columns], OUTTURN, name)
        # councils and England; not class totals (E-code '[Y]'), repeated headers or other bodies
        body = body[body["ONS Code"].astype(str).str.fullmatch(r"E\d{8}") & body["Class"].isin(RSX_CLASSES)]
        body, n = numeric_columns(body, list(columns))
        suppressed += n
        out = pd.DataFrame(
            {
                "area_code": body["ONS Code"].astype(str),
                "area_name": body["Local authority"].astype(str),
                "la_class": body["Class"].astype(str),
                "period": period,
                "year": int(period[:4]),
            }
        )
        for label, col in columns.items():
            out[col] = body[label].astype(float)
        frames.append(out)
    return pd.concat(frames, ignore_index=True), suppressed


@parser(
    OUTTURN,
    "ro3_young_people",
    files=list(RO3_FILES),
    schema=pa.DataFrameSchema(
        {
            **outturn_keys(),
            "young_people_gross": pa.Column(float, nullable=True),
            "young_people_net": pa.Column(float, nullable=True),
            "sure_start_net": pa.Column(float, nullable=True),
        },
        unique=["area_code", "year"],
        strict=True,
    ),
)
def ro3_young_people(paths):
    """Spending on services for young people and Sure Start children's centres (RO3 outturn, £ thousand, cash),
    by county and single-tier council and England, 2023-24 and 2024-25."""
    frames, suppressed = [], 0
    for name, (sheet, period) in RO3_FILES.items():
        raw = read_sheet(paths[name], OUTTURN, sheet, header=None)
        head = first_row_matching(raw, "E-code")
        cols = _columns(raw, head)
        ids = [_label(c) for c in raw.iloc[head]]
        body = raw.iloc[head + 1 :].reset_index(drop=True)
        out = pd.DataFrame(
            {
                "area_code": body.iloc[:, ids.index("ONS Code")].astype(str).str.strip(),
                "area_name": body.iloc[:, ids.index("Local authority")].astype(str).str.strip(),
                "la_class": body.iloc[:, ids.index("Class")].astype(str).str.strip(),
            }
        )
        for key, col in RO3_COLUMNS.items():
            if key not in cols:
                raise SchemaError(
                    f"{OUTTURN}/{name}: no column for {key[0]!r} - {key[1]!r}: check the file against the registry"
                )
            out[col] = body.iloc[:, cols.index(key)].to_numpy()
        out = out[out["area_code"].str.fullmatch(r"E\d{8}") & out["la_class"].isin(CLASSES)]
        out, n = numeric_columns(out, list(RO3_COLUMNS.values()))
        suppressed += n
        out["period"], out["year"] = period, int(period[:4])
        frames.append(out)
    frame = pd.concat(frames, ignore_index=True)
    return frame[["area_code", "area_name", "la_class", "period", "year", *RO3_COLUMNS.values()]], suppressed
