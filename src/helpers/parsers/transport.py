"""Transport: bus journeys (DfT BUS01), Census 2021 travel to work and car availability, walking and cycling
(DfT CW03 tables from the Active Lives Survey). Used by briefing 06 (transport and connectivity).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..readers import first_row_matching, numeric_columns, read_csv, read_sheet
from ..schemas import gss_code, non_negative, year

BUS = "bus_passenger_journeys_la_2010_2024"
TTW = "census2021_travel_to_work_method_ts061_la"
CARS = "census2021_car_van_availability_ts045_la"
CYCLING = "cycling_proportion_adults_la_cw0302_2016_2021"
WALK_CYCLE = "walking_cycling_proportion_adults_la_cw0301_0303_2015_16_to_2017_18"

#: Census TS061 category codes -> short column names (12 = not in employment, excluded from the base).
TTW_MODES = {
    1: "home",
    2: "metro",
    3: "train",
    4: "bus",
    5: "taxi",
    6: "motorcycle",
    7: "drive",
    8: "passenger",
    9: "bicycle",
    10: "foot",
    11: "other",
}

_BUS_SHEETS = {
    "per_head": ("BUS01f", "journeys per head of resident population"),
    "journeys": ("BUS01e", "passenger journeys on local bus services, millions"),
}


def _bus_sheet(path, sheet: str, unit: str) -> tuple[pd.DataFrame, int]:
    raw = read_sheet(path, BUS, sheet, header=None)
    head = first_row_matching(raw, "Local Authority (LA) Code")
    header = [str(c).strip() for c in raw.iloc[head]]
    body = raw.iloc[head + 1 :].copy()
    body.columns = header
    name_col = next(c for c in header if c.startswith("LA or Region"))
    year_cols = {c: int(c[:4]) for c in header if re.match(r"^\d{4}", c)}
    if not year_cols:
        raise SchemaError(f"{BUS}/{sheet}: no year columns found in {header}")
    body = body[body[name_col].notna()]
    code = body["Local Authority (LA) Code"].astype(str).str.strip()
    name = body[name_col].astype(str).str.strip()
    code = code.where(code != "[z]", "E92000001").where(name != "England", "E92000001")
    body = body.assign(area_code=code, area_name=name)
    body = body[body["area_code"].str.match(r"^E\d{8}$")]
    long = body.melt(
        id_vars=["area_code", "area_name"], value_vars=list(year_cols), var_name="column", value_name="value"
    )
    long, suppressed = numeric_columns(long, ["value"])
    long["year"] = long["column"].map(year_cols).astype(int)
    long["period"] = (long["year"] - 1).astype(str) + "/" + long["year"].astype(str).str[2:]
    long["unit"] = unit
    return long.drop(columns="column").dropna(subset=["value"]).reset_index(drop=True), suppressed


def _register_bus(table: str, sheet: str, unit: str) -> None:
    @parser(
        BUS,
        table,
        files=["bus01.ods"],
        schema=pa.DataFrameSchema(
            {
                "area_code": gss_code(),
                "area_name": pa.Column(str),
                "year": year(2009, 2025),
                "value": non_negative(),
                "period": pa.Column(str),
            }
        ),
    )
    def parse(paths, _sheet=sheet, _unit=unit):
        return _bus_sheet(paths["bus01.ods"], _sheet, _unit)

    parse.__doc__ = f"DfT {sheet}: {unit}, by local transport authority, England and region, years ending March"


for _table, (_sheet, _unit) in _BUS_SHEETS.items():
    _register_bus(_table, _sheet, _unit)


@parser(
    TTW,
    files=["TS061-2021-1.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(unique=True),
            "area_name": pa.Column(str),
            "in_employment": non_negative(),
            "drive": non_negative(),
            "bus": non_negative(),
            "bicycle": non_negative(),
            "foot": non_negative(),
        }
    ),
)
def travel_to_work(paths):
    """Census 2021 TS061: residents in employment (codes 1-11) and counts by main method, one row per LTLA."""
    code_col = "Lower Tier Local Authorities Code"
    cat_col = "Method used to travel to workplace (12 categories) Code"
    raw = read_csv(
        paths["TS061-2021-1.csv"], TTW, required=[code_col, "Lower Tier Local Authorities", cat_col, "Observation"]
    )
    raw, suppressed = numeric_columns(raw, ["Observation"])
    wide = raw.pivot_table(
        index=[code_col, "Lower Tier Local Authorities"], columns=cat_col, values="Observation", aggfunc="sum"
    )
    missing = [c for c in TTW_MODES if c not in wide.columns]
    if missing:
        raise SchemaError(f"{TTW}: travel-to-work category code {missing[0]} is missing")
    wide = wide[list(TTW_MODES)].rename(columns=TTW_MODES)
    wide["in_employment"] = wide.sum(axis=1)
    wide = wide.reset_index().rename(columns={code_col: "area_code", "Lower Tier Local Authorities": "area_name"})
    wide.columns.name = None
    return wide, suppressed


@parser(
    CARS,
    files=["census2021-ts045-ltla.csv", "census2021-ts045-utla.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "households": non_negative(),
            "no_car": non_negative(),
            "tier": pa.Column(str, pa.Check.isin(["ltla", "utla"])),
        }
    ),
)
def car_availability(paths):
    """Census 2021 TS045: households and households without a car or van, LTLA and UTLA rows."""
    prefix = "Number of cars or vans: "
    cols = {
        f"{prefix}Total: All households": "households",
        f"{prefix}No cars or vans in household": "no_car",
        f"{prefix}1 car or van in household": "one_car",
        f"{prefix}2 cars or vans in household": "two_cars",
        f"{prefix}3 or more cars or vans in household": "three_plus_cars",
    }
    frames, suppressed = [], 0
    for tier in ("ltla", "utla"):
        raw = read_csv(paths[f"census2021-ts045-{tier}.csv"], CARS, required=["geography", "geography code", *cols])
        raw, n = numeric_columns(raw, list(cols))
        suppressed += n
        out = raw.rename(columns={"geography code": "area_code", "geography": "area_name", **cols})
        frames.append(out[["area_code", "area_name", *cols.values()]].assign(tier=tier))
    return pd.concat(frames, ignore_index=True), suppressed


@parser(
    CYCLING,
    "weekly",
    files=["cw0302.ods"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "year": year(2015, 2022),
            "value": pa.Column(float, pa.Check.in_range(0, 100)),
            "purpose": pa.Column(str),
        }
    ),
)
def cycling_weekly(paths):
    """DfT CW0302 (2016-2021): % of adults who cycle at least once a week, any purpose and for travel."""
    frames, suppressed = [], 0
    for purpose, sheet in (("any", "CW0302_Any_Purpose"), ("travel", "CW0302_Travel")):
        raw = read_sheet(paths["cw0302.ods"], CYCLING, sheet, header=None)
        head = first_row_matching(raw, "ONS Code")
        body = raw.iloc[head + 1 :].copy()
        body.columns = [str(c).strip() for c in raw.iloc[head]]
        body = body[
            body["ONS Code"].astype(str).str.match(r"^E\d{8}$")
            & (body["Frequency"].astype(str).str.strip() == "At least once per week")
        ]
        years = [c for c in body.columns if re.fullmatch(r"\d{4}(\.0+)?", c)]
        long = body.melt(id_vars=["ONS Code", "Area name"], value_vars=years, var_name="year", value_name="value")
        long["value"] = long["value"].where(~long["value"].astype(str).str.startswith("[note"), None)
        long, n = numeric_columns(long, ["value"])
        suppressed += n
        frames.append(
            pd.DataFrame(
                {
                    "area_code": long["ONS Code"].astype(str),
                    "area_name": long["Area name"].astype(str),
                    "year": long["year"].astype(float).astype(int),
                    "value": long["value"],
                    "purpose": purpose,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    return out.reset_index(drop=True), suppressed


def _cw_sheet(path, sheet: str, first_col: int) -> pd.DataFrame:
    """Area code, name and '% at least once per week' from one CW030x sheet (header-less layout)."""
    raw = read_sheet(path, WALK_CYCLE, sheet, header=None)
    head = first_row_matching(raw, "LA code")
    body = raw.iloc[head + 1 :]
    body = body[body.iloc[:, 0].astype(str).str.match(r"^E\d{8}$")]
    # the 'once per week' column is the second frequency column of the block starting at first_col
    return pd.DataFrame(
        {
            "area_code": body.iloc[:, 0].astype(str).values,
            "area_name": body.iloc[:, 1].astype(str).values,
            "value": body.iloc[:, first_col + 1].values,
        }
    )


@parser(
    WALK_CYCLE,
    "weekly_1718",
    files=["CW0302.ods", "CW0303.ods", "CW0306.ods"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(unique=True),
            "walk_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "cycle_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "sample_size": non_negative(),
        }
    ),
)
def walk_cycle_1718(paths):
    """DfT CW0302/CW0303/CW0306, 2017-18: % of adults walking / cycling at least once a week (any purpose) and
    the Active Lives weighted sample size, by area (2018 boundaries)."""
    walk = _cw_sheet(paths["CW0303.ods"], "CW0303_1718", 3).rename(columns={"value": "walk_pct"})
    cyc = _cw_sheet(paths["CW0302.ods"], "CW0302_1718", 3).rename(columns={"value": "cycle_pct"})
    raw = read_sheet(paths["CW0306.ods"], WALK_CYCLE, "CW0306_LA_1718", header=None)
    head = first_row_matching(raw, "LA code")
    body = raw.iloc[head + 1 :]
    body = body[body.iloc[:, 0].astype(str).str.match(r"^E\d{8}$")]
    n = pd.DataFrame({"area_code": body.iloc[:, 0].astype(str).values, "sample_size": body.iloc[:, 2].values})
    out = walk.merge(cyc[["area_code", "cycle_pct"]], on="area_code", how="outer").merge(n, on="area_code", how="left")
    out, suppressed = numeric_columns(out, ["walk_pct", "cycle_pct", "sample_size"])
    out["period"] = "2017-18"
    return out.drop_duplicates("area_code").reset_index(drop=True), suppressed


RAIL = "rail_station_usage_orr_2017_18_2018_19"
RAIL_FILE = "estimates-of-station-usage-2018-19.xlsx"


@parser(
    RAIL,
    "stations",
    files=[RAIL_FILE],
    schema=pa.DataFrameSchema(
        {
            "tlc": pa.Column(str),
            "station": pa.Column(str),
            "region": pa.Column(str),
            "local_authority": pa.Column(str),
            "entries_exits_1819": non_negative(),
            "entries_exits_1718": non_negative(),
        },
        unique=["tlc"],
        strict=True,
    ),
)
def rail_stations(paths):
    """ORR estimates of station usage: entries and exits at every station in England in 2017-18 and 2018-19
    (financial years; passengers entering plus leaving), with the ORR's local-authority NAME (pre-2019 districts;
    map with :func:`helpers.la_names.current_codes`). Scottish and Welsh stations are left out."""
    cols = ["TLC", "Station Name", "Region", "Local Authority", "1819 Entries & Exits", "1718 Entries & Exits"]
    raw = read_sheet(paths[RAIL_FILE], RAIL, "Estimates of Station Usage", required=cols)
    raw = raw[~raw["Region"].astype(str).str.strip().isin(["Scotland", "Wales - Cymru"])]
    raw, suppressed = numeric_columns(raw, ["1819 Entries & Exits", "1718 Entries & Exits"])
    out = pd.DataFrame(
        {
            "tlc": raw["TLC"].astype(str).str.strip(),
            "station": raw["Station Name"].astype(str).str.strip(),
            "region": raw["Region"].astype(str).str.strip(),
            "local_authority": raw["Local Authority"].astype(str).str.strip(),
            "entries_exits_1819": raw["1819 Entries & Exits"],
            "entries_exits_1718": raw["1718 Entries & Exits"],
        }
    )
    return out.reset_index(drop=True), suppressed
