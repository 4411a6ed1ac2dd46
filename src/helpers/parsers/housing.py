"""Housing supply (Briefing 07): new-build completions by tenure, incl. affordable homes, by district, 1974-2023.

Source: Centre for Cities "local housebuilding 1946-2023" workbook (April 2025 release, CC BY 4.0), compiled from
MHCLG/DLUHC Affordable Housing Supply open data (new-build completions only), MHCLG new-build completions
tables and ONS/Census dwelling stock. Districts, unitaries, metropolitan districts and London boroughs on 2023
boundaries (so Cumberland, Somerset etc. already have back series); no county or England rows (add districts).
Calendar years, converted by Centre for Cities from financial years (0.75 x FY(t/t+1) + 0.25 x FY(t-1/t)),
hence fractional dwellings.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_sheet
from ..schemas import gss_code, non_negative, year

HOUSEBUILDING = "housebuilding_by_tenure_incl_affordable_la_cfc_1974_2023"
FILE = "LAs_2023_housebuilding_stocks_demos_rates_pop_1974_2023_CfC_release_2025_04_29.xlsx"
CODE = "LA.Code_2023"
#: output column -> workbook sheet (dwellings completed in the calendar year, new build only; stock: dwellings)
SHEETS = {
    "all_new": "all_new_building",
    "affordable_not_social": "affordable_not_social",
    "social_rent": "social_rented",
    "s106": "S106_delivered",
    "local_authority": "LA_building",
    "stock": "stocks",
}
#: First calendar year with the affordable tenure split (Affordable Housing Supply data start in 1991-92).
AFFORDABLE_FROM = 1991


def _long(path, sheet: str, column: str) -> tuple[pd.DataFrame, int]:
    raw = read_sheet(path, HOUSEBUILDING, sheet, required=[CODE])
    years = [c for c in raw.columns if re.fullmatch(r"\d{4}", str(c))]
    raw = raw.dropna(subset=[CODE])  # the affordable sheets have one row with no code (unallocated AHS rows)
    raw, suppressed = numeric_columns(raw, years)
    long = raw.melt(id_vars=[CODE], value_vars=years, var_name="year", value_name=column)
    long["year"] = long["year"].astype(int)
    return long.rename(columns={CODE: "area_code"}), suppressed


@parser(
    HOUSEBUILDING,
    "housebuilding",
    files=[FILE],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "year": year(1973, 2023),
            # three published cells are negative (Camden 1974, North Somerset 1998, E07000243 2003): kept as published
            "all_new": pa.Column(float, pa.Check.ge(-200), nullable=True),
            "affordable_not_social": non_negative(),
            "social_rent": non_negative(),
            "affordable": non_negative(),
            "s106": non_negative(),
            "local_authority": non_negative(),
            "stock": non_negative(),
        },
        unique=["area_code", "year"],
    ),
)
def housebuilding(paths):
    """New-build completions by tenure and dwelling stock, one row per district and calendar year (long format).

    Columns (dwellings; calendar years): ``all_new`` (all new-build completions), ``affordable_not_social``
    (Affordable Rent, intermediate and affordable home ownership, from 1991), ``social_rent`` (Social Rent incl.
    London Affordable Rent, from 1991), ``affordable`` = their sum (missing before 1991), ``s106`` (affordable homes
    delivered through planning obligations, from 2000), ``local_authority`` (homes built by councils),
    ``stock`` (dwelling stock estimate). Blank cells are missing; the code-less row of the affordable sheets is
    dropped (counted as suppressed)."""
    path = paths[FILE]
    out, suppressed = None, 0
    for column, sheet in SHEETS.items():
        part, n = _long(path, sheet, column)
        suppressed += n
        out = part if out is None else out.merge(part, on=["area_code", "year"], how="outer")
    out = out.astype({c: float for c in SHEETS})
    out["affordable"] = out["affordable_not_social"] + out["social_rent"]
    out = out.sort_values(["area_code", "year"]).reset_index(drop=True)
    return out, suppressed
