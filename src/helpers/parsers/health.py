"""Public-health indicators: OHID Fingertips life expectancy and risk factors, ONS life expectancy with CIs.

Tables (all in the project's indicator shape, :mod:`helpers.indicators`, plus a few extra columns):

* ``load("life_expectancy_fingertips_la_2015_2025", "life_expectancy")`` - Fingertips 90366, life expectancy
  at birth by sex, England and every lower-tier council, rolling 3-year periods 2015-17 ... 2023-25.
* ``load("life_expectancy_fingertips_la_2015_2025", "sii")`` - Fingertips 92901, slope index of inequality
  in life expectancy within each council (years), by sex.
* ``load("life_expectancy_ons_lad_2016_18_ci")`` - ONS life expectancy at birth 2016-18 with 95% CIs,
  every UK district (2019/2020 codes).
* ``load("fingertips_la_health_indicators_tdl", "<file stem>")`` - e.g. ``"mortality_rate"``,
  ``"adults_smoking"``: one Fingertips indicator file each.

Extra columns: ``sex`` (Male / Female / Persons), ``area_type`` (Country / District / UA / County / ...),
``compared_to_england`` (Fingertips' published significance flag versus England, e.g. Better / Similar /
Worse at 95%, or Higher 99.8 / Lower 99.8 for QOF prevalence; "Not compared" for England), ``category``
(deprivation-quintile breakdowns in the child obesity files; missing for whole-area values).

Caveats from the sources: the Trafford Data Lab extracts keep values (rounded to 1 dp) and the flag only,
no intervals; ``period`` is the Fingertips label (``"2019 - 21"``, ``"2019/20"``, ``"2020/21 - 24/25"``) and
``year`` its first calendar year. Fingertips area type 101 is the April 2023 lower-tier geography, and
periods up to 2019-21 hold abolished districts *and* their successor unitaries side by side: filter by
period before counting councils. The ONS file has no England, region or county rows.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..indicators import tidy
from ..readers import numeric_columns, read_csv
from ..registry import get
from ..schemas import GSS_PATTERN

FINGERTIPS_LE = "life_expectancy_fingertips_la_2015_2025"
ONS_LE = "life_expectancy_ons_lad_2016_18_ci"
FINGERTIPS_TDL = "fingertips_la_health_indicators_tdl"

TDL_COLUMNS = [
    "area_code",
    "area_name",
    "area_type",
    "period",
    "indicator",
    "measure",
    "unit",
    "value",
    "compared_to_England",
    "inequality",
]
SEXES = ("Male", "Female", "Persons")
FLAGS = (
    "Better",
    "Similar",
    "Worse",
    "Not compared",
    "Higher",
    "Lower",
    "Higher 99.8",
    "Lower 99.8",
    "Similar 99.8",
    "Higher 95",
    "Lower 95",
    "Similar 95",
)
UNITS = {
    "Percentage": "%",
    "Age-standardised rate": "per 100,000",
    "Life expectancy": "years",
    "Slope Index of Inequality": "years",
    "Crude rate": "per 100,000",
}


def period_first_year(label: str) -> int:
    """First calendar year of a Fingertips period label.

    >>> period_first_year("2019 - 21"), period_first_year("2019/20"), period_first_year("2020/21 - 24/25")
    (2019, 2019, 2020)
    """
    match = re.match(r"\s*(\d{4})", str(label))
    if not match:
        raise ValueError(f"period label {label!r} does not start with a year")
    return int(match.group(1))


def _schema(value_range: tuple[float, float], unique=("area_code", "period", "indicator", "sex", "category")):
    return pa.DataFrameSchema(
        {
            "area_code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN)),
            "period": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(2001, 2026)),
            "value": pa.Column(float, pa.Check.in_range(*value_range), nullable=True),
            "sex": pa.Column(str, pa.Check.isin(SEXES)),
            "compared_to_england": pa.Column(str, pa.Check.isin(FLAGS), nullable=True),
        },
        unique=list(unique),
        strict=False,
    )


def _parse_tdl(path, dataset: str) -> tuple[pd.DataFrame, int]:
    """One Trafford Data Lab tidy Fingertips file -> indicator shape (see module docstring)."""
    # blank values are Fingertips suppression/no estimate: keep them as "" so they are counted
    raw = read_csv(
        path,
        dataset,
        required=TDL_COLUMNS,
        dtype={"value": "string"},
        keep_default_na=False,
        na_values={"inequality": ["NA", ""], "compared_to_England": ["", "NA"]},
    )
    raw, suppressed = numeric_columns(raw, ["value"])
    unit_col = raw["unit"].astype(str)
    inequality = raw["inequality"].astype(object).where(raw["inequality"].notna(), None)
    # the sex is in 'unit' in mortality_rate.csv and in 'inequality' in the life expectancy files
    sex = unit_col.where(unit_col.isin(SEXES), "Persons")
    sex = inequality.where(inequality.isin(["Male", "Female"]), sex)
    category = inequality.where(~inequality.isin(["Male", "Female"]), None)
    frame = pd.DataFrame(
        {
            "area_code": raw["area_code"].astype(str),
            "area_name": raw["area_name"].astype(str),
            "period": raw["period"].astype(str),
            "year": raw["period"].map(period_first_year),
            "indicator": raw["indicator"].astype(str),
            "value": raw["value"],
            "unit": raw["measure"].map(UNITS).fillna(raw["measure"]).astype(str),
            "sex": sex.astype(str),
            "area_type": raw["area_type"].astype(str),
            "compared_to_england": raw["compared_to_England"]
            .astype(object)
            .where(raw["compared_to_England"].notna(), None),
            "category": category,
        }
    )
    # 'category' must be a string column for the uniqueness check (None == None there)
    frame["category"] = frame["category"].fillna("").astype(str)
    return tidy(frame, dataset), suppressed


@parser(FINGERTIPS_LE, "life_expectancy", files=["life_expectancy.csv"], schema=_schema((60, 95)))
def fingertips_life_expectancy(paths):
    """Fingertips 90366: life expectancy at birth by sex, England and lower-tier councils, 2015-17 to 2023-25."""
    return _parse_tdl(paths["life_expectancy.csv"], FINGERTIPS_LE)


@parser(FINGERTIPS_LE, "sii", files=["inequality_life_expectancy.csv"], schema=_schema((-5, 25)))
def fingertips_le_sii(paths):
    """Fingertips 92901: slope index of inequality in life expectancy at birth (years) by sex, 2015-17 to 2022-24."""
    return _parse_tdl(paths["inequality_life_expectancy.csv"], FINGERTIPS_LE)


ONS_COLUMNS = ["v4_2", "Lower CI", "Upper CI", "Time", "administrative-geography", "Geography", "Sex", "age-groups"]


@parser(
    ONS_LE,
    schema=pa.DataFrameSchema(
        {
            "area_code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN)),
            "value": pa.Column(float, pa.Check.in_range(70, 90)),
            "lower": pa.Column(float, pa.Check.in_range(70, 90)),
            "upper": pa.Column(float, pa.Check.in_range(70, 90)),
            "sex": pa.Column(str, pa.Check.isin(["Male", "Female"])),
            "period": pa.Column(str, pa.Check.eq("2016-18")),
        },
        unique=["area_code", "sex"],
        checks=pa.Check(lambda d: (d["lower"] < d["upper"]).all(), name="lower_below_upper"),
        strict=False,
    ),
)
def ons_life_expectancy_2016_18(paths):
    """ONS life expectancy at birth with 95% CIs by sex, every UK district (2019/2020 codes), 2016-18."""
    path = next(iter(paths.values()))
    raw = read_csv(
        path, ONS_LE, required=ONS_COLUMNS, dtype={"v4_2": "string", "Lower CI": "string", "Upper CI": "string"}
    )
    raw = raw[raw["age-groups"].astype(str) == "0-1"]
    raw, suppressed = numeric_columns(raw, ["v4_2", "Lower CI", "Upper CI"])
    frame = pd.DataFrame(
        {
            "area_code": raw["administrative-geography"].astype(str),
            "area_name": raw["Geography"].astype(str),
            "period": raw["Time"].astype(str),
            "year": raw["Time"].map(period_first_year),
            "indicator": "Life expectancy at birth",
            "value": raw["v4_2"],
            "unit": "years",
            "lower": raw["Lower CI"],
            "upper": raw["Upper CI"],
            "sex": raw["Sex"].astype(str).str.capitalize(),
        }
    )
    return tidy(frame, ONS_LE), suppressed


def _register_tdl(file_name: str) -> None:
    table = file_name.removesuffix(".csv")
    value_range = (0, 2000) if table == "mortality_rate" else (0, 100)

    @parser(FINGERTIPS_TDL, table, files=[file_name], schema=_schema(value_range))
    def parse(paths, _name=file_name):
        return _parse_tdl(paths[_name], FINGERTIPS_TDL)

    parse.__doc__ = f"OHID Fingertips indicator file {file_name} (Trafford Data Lab extract), indicator shape"


for _file in get(FINGERTIPS_TDL).files:
    if _file.name.endswith(".csv"):
        _register_tdl(_file.name)
