"""The project's one tidy shape for indicators, used by every notebook, chart and claim check.

Columns (after ONS Explore Local Statistics' schema and Trafford Data Lab's):

==============  =====================================================================================
area_code       9-character GSS code
area_name       display name
period          label of the period as published (e.g. ``2019``, ``2016-18``, ``2019-01-01/P3Y``)
year            int: the period's first calendar year, used for ordering and trend models
indicator       indicator name
value           float, in ``unit``
unit            e.g. ``%``, ``per 100,000``, ``£``, ``years``, ``ratio``
lower, upper    95% confidence limits where published or computed (else missing)
numerator       count behind the value where published (else missing)
denominator     population behind the value where published (else missing)
source_id       registry id of the dataset
==============  =====================================================================================
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..schemas import GSS_PATTERN

INDICATOR_COLUMNS = [
    "area_code",
    "area_name",
    "period",
    "year",
    "indicator",
    "value",
    "unit",
    "lower",
    "upper",
    "numerator",
    "denominator",
    "source_id",
]

INDICATOR_SCHEMA = pa.DataFrameSchema(
    {
        "area_code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN)),
        "area_name": pa.Column(str, nullable=True),
        "period": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(1970, 2030)),
        "indicator": pa.Column(str),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str, nullable=True),
        "lower": pa.Column(float, nullable=True),
        "upper": pa.Column(float, nullable=True),
        "numerator": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True),
        "source_id": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: d["lower"].isna() | d["value"].isna() | (d["lower"] <= d["value"] + 1e-9),
            name="lower_not_above_value",
        ),
        pa.Check(
            lambda d: d["upper"].isna() | d["value"].isna() | (d["upper"] >= d["value"] - 1e-9),
            name="upper_not_below_value",
        ),
    ],
    strict=False,
)


def tidy(frame: pd.DataFrame, source_id: str, **constants) -> pd.DataFrame:
    """Return ``frame`` in the indicator shape: missing optional columns are added as missing values,
    ``constants`` (e.g. ``unit="%"``) fill whole columns, and the result is validated."""
    out = frame.copy()
    for key, value in constants.items():
        out[key] = value
    out["source_id"] = source_id
    for col in ("lower", "upper", "numerator", "denominator"):
        if col not in out:
            out[col] = float("nan")
    for col in ("area_name", "unit"):
        if col not in out:
            out[col] = None
    out["period"] = out["period"].astype(str)
    out["year"] = out["year"].astype(int)
    for col in ("value", "lower", "upper", "numerator", "denominator"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    extra = [c for c in out.columns if c not in INDICATOR_COLUMNS]
    return validate(out[INDICATOR_COLUMNS + extra])


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a frame against :data:`INDICATOR_SCHEMA`, raising a one-line SchemaError."""
    import pandera.errors as pa_errors

    from ..errors import SchemaError

    try:
        return INDICATOR_SCHEMA.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        raise SchemaError(
            f"indicator frame: {len(exc.failure_cases)} failure(s), first: column "
            f"'{first.get('column')}' check '{first.get('check')}' on {first.get('failure_case')!r}"
        ) from None


def latest(frame: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Rows of the latest period for each area and indicator."""
    idx = frame.groupby(["area_code", "indicator"])[by].transform("max") == frame[by]
    return frame[idx]


def select(frame: pd.DataFrame, codes, indicator: str | None = None) -> pd.DataFrame:
    """Rows for the given area codes (order kept as given) and optionally one indicator."""
    codes = [c.code if hasattr(c, "code") else c for c in codes]
    out = frame[frame["area_code"].isin(codes)]
    if indicator is not None:
        out = out[out["indicator"] == indicator]
    order = {c: i for i, c in enumerate(codes)}
    return out.sort_values(by=["area_code", "year"], key=lambda s: s.map(order) if s.name == "area_code" else s)
