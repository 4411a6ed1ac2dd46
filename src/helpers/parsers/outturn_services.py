"""MHCLG revenue outturn 2023-24 and 2024-25: selected RO3 service lines (public health, adult social care by
primary support reason) and the RSX split of service spending into employees and running expenses, by council
(£ thousand, cash).

Tables
------
``la_revenue_outturn_rsx_ro3_2023_24_2024_25``
    ``ro3_lines``      long format, one row per council x financial year x RO3 line in :data:`RO3_LINES`:
                       ``running`` (running expenses, C2: contracts, supplies, third-party payments) and ``net``
                       (net current expenditure, C7).
    ``rsx_employees``  one row per council x financial year: employees (C1) and total expenditure (C3) for all
                       services and for education services (schools' staff leave the council's books when schools
                       become academies, so readers may want services other than education).

Councils that did not submit ('[x]') are missing; the count is returned as suppressed. Column labels are read as
in :mod:`helpers.parsers.outturn_ro3` (2024-25: "<service> - <measure>"; 2023-24: a spanning service row).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import first_row_matching, numeric_columns, read_sheet
from .outturn_ro3 import (
    CLASSES,
    NET,
    OUTTURN,
    RO3_FILES,
    RSX_CLASSES,
    RSX_FILES,
    _columns,
    _label,
    outturn_keys,
    rsx_table,
)

RUNNING = "Running Expenses (C2)"
#: RO3 service label -> our line name.
RO3_LINES = {
    "TOTAL PUBLIC HEALTH": "public_health_total",
    "Public mental health": "public_mental_health",
    "Physical support - adults (18–64)": "physical_support_18_64",
    "Learning disability support - adults (18–64)": "learning_disability_18_64",
    "Mental health support - adults (18–64)": "mental_health_support_18_64",
    "Mental health support - older people (65+)": "mental_health_support_65_plus",
}
#: Normalised RSX label -> our column (2023-24 writes "Education services- Total", normalised below).
RSX_COLUMNS = {
    "Total Service Expenditure - Employees (C1)": "all_employees",
    "Total Service Expenditure - Total Expenditure (C3 = C1 + C2)": "all_total",
    "Education services - Employees (C1)": "education_employees",
    "Education services - Total Expenditure (C3 = C1 + C2)": "education_total",
}


def _body(path, sheet: str, name: str) -> tuple[pd.DataFrame, list, list[str]]:
    raw = read_sheet(path, OUTTURN, sheet, header=None)
    head = first_row_matching(raw, "E-code")
    ids = [_label(c) for c in raw.iloc[head]]
    return raw, head, ids


def _keys(body: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": body.iloc[:, ids.index("ONS Code")].astype(str).str.strip(),
            "area_name": body.iloc[:, ids.index("Local authority")].astype(str).str.strip(),
            "la_class": body.iloc[:, ids.index("Class")].astype(str).str.strip(),
        }
    )


@parser(
    OUTTURN,
    "ro3_lines",
    files=list(RO3_FILES),
    schema=pa.DataFrameSchema(
        {
            **outturn_keys(),
            "line": pa.Column(str, pa.Check.isin(list(RO3_LINES.values()))),
            "running": pa.Column(float, nullable=True),
            "net": pa.Column(float, nullable=True),
        },
        unique=["area_code", "year", "line"],
        strict=True,
    ),
)
def ro3_lines(paths):
    """Public health (total, public mental health) and adult social care lines (support for adults 18-64 with
    physical, learning-disability or mental health needs; mental health support 65+) from the RO3 outturn:
    running expenses and net current expenditure, £ thousand, cash, 2023-24 and 2024-25."""
    frames, suppressed = [], 0
    for name, (sheet, period) in RO3_FILES.items():
        raw, head, ids = _body(paths[name], sheet, name)
        cols = _columns(raw, head)
        body = raw.iloc[head + 1 :].reset_index(drop=True)
        keys = _keys(body, ids)
        keep = keys["area_code"].str.fullmatch(r"E\d{8}") & keys["la_class"].isin(CLASSES)
        for service, line in RO3_LINES.items():
            out = keys.copy()
            for measure, col in ((RUNNING, "running"), (NET, "net")):
                if (service, measure) not in cols:
                    raise SchemaError(
                        f"{OUTTURN}/{name}: no column for {service!r} - {measure!r}: "
                        "check the file against the registry"
                    )
                out[col] = body.iloc[:, cols.index((service, measure))].to_numpy()
            out = out[keep]
            out, n = numeric_columns(out, ["running", "net"])
            suppressed += n
            out["period"], out["year"], out["line"] = period, int(period[:4]), line
            frames.append(out)
    frame = pd.concat(frames, ignore_index=True)
    return frame[["area_code", "area_name", "la_class", "period", "year", "line", "running", "net"]], suppressed


@parser(
    OUTTURN,
    "rsx_employees",
    files=list(RSX_FILES),
    schema=pa.DataFrameSchema(
        {
            **outturn_keys(RSX_CLASSES),
            **{c: pa.Column(float, pa.Check.ge(0), nullable=True) for c in RSX_COLUMNS.values()},
        },
        unique=["area_code", "year"],
        strict=True,
    ),
)
def rsx_employees(paths):
    """Employees (C1) and total expenditure (C3 = employees + running expenses) for all services and for education
    services, RSX outturn, £ thousand, cash, every English council (SC/UA/MD/LB/SD) and England, 2023-24 and
    2024-25."""
    return rsx_table(paths, RSX_COLUMNS)
