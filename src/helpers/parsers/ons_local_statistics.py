"""ONS Explore Local Statistics: 36 subnational indicators in one tidy schema (one table per file).

Table names are the file stems, e.g. ``load("ons_explore_local_statistics", "claimant-count")``.
Rows come in the project's indicator shape plus ``geography`` (Nation, Region, County or Unitary
Authority, Local Authority District, …), ``measure`` and ``status``. Periods are ISO 8601 intervals
(``2019-01-01/P3Y``); ``year`` is the interval's first year.
"""

from __future__ import annotations

import pandas as pd

from ..datasets import parser
from ..indicators import tidy
from ..readers import numeric_columns, read_csv
from ..registry import get
from ..schemas import GSS_PATTERN

DATASET = "ons_explore_local_statistics"
COLUMNS = [
    "areacd",
    "areanm",
    "geography",
    "indicator",
    "period",
    "observation",
    "measure",
    "unit",
    "lci_95",
    "uci_95",
    "status",
]


def _parse_file(path) -> tuple[pd.DataFrame, int]:
    raw = read_csv(path, DATASET, required=COLUMNS, dtype={"status": "string", "notes": "string"})
    raw = raw[raw["areacd"].astype(str).str.match(GSS_PATTERN)]  # drop ITL/NUTS-coded rows
    raw, suppressed = numeric_columns(raw, ["observation", "lci_95", "uci_95"])
    start = raw["period"].astype(str).str.slice(0, 10)
    frame = pd.DataFrame(
        {
            "area_code": raw["areacd"].astype(str),
            "area_name": raw["areanm"].astype(str),
            "period": raw["period"].astype(str),
            "year": pd.to_datetime(start, format="%Y-%m-%d").dt.year.astype(int),
            "period_start": start,
            "indicator": raw["indicator"].astype(str),
            "value": raw["observation"],
            "unit": raw["unit"].astype(object).where(raw["unit"].notna(), None),
            "lower": raw["lci_95"],
            "upper": raw["uci_95"],
            "geography": raw["geography"].astype(str),
            "measure": raw["measure"].astype(str),
            "status": raw["status"].astype(object).where(raw["status"].notna(), None),
        }
    )
    # published intervals occasionally exclude a rounded point value by a hair; keep them but order them
    lo = frame[["lower", "value"]].min(axis=1).where(frame["lower"].notna())
    hi = frame[["upper", "value"]].max(axis=1).where(frame["upper"].notna())
    frame["lower"], frame["upper"] = lo, hi
    return tidy(frame, DATASET), suppressed


def _register(file_name: str) -> None:
    table = file_name.removesuffix(".csv")

    @parser(DATASET, table, files=[file_name])
    def parse(paths, _name=file_name):
        return _parse_file(paths[_name])

    parse.__doc__ = f"ONS Explore Local Statistics indicator file {file_name}"


for _file in get(DATASET).files:
    if _file.name.endswith(".csv"):
        _register(_file.name)
