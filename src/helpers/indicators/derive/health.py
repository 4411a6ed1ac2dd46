"""Public health indicators (briefing 04): OHID Fingertips series with county rows, and life expectancy with the
ONS's published 95% intervals.

The Fingertips extracts here (Trafford Data Lab) publish districts and unitaries only; a county's value is the
population-weighted mean of its districts (mid-2020 populations), marked in ``obtained``. A county figure is
made only when every district has a value for that period. Where an extract carries both abolished councils and
their successor for one period (Fingertips' April 2023 geography), the successor's own row is kept and the
abolished councils' rows are dropped, so that no predecessor's value stands in for a merged council.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..store import derivation

TDL = "fingertips_la_health_indicators_tdl"
LE = "life_expectancy_fingertips_la_2015_2025"
ONS_LE = "life_expectancy_ons_lad_2016_18_ci"
AGE_BANDS = "population_age_bands_la_mid2019_mid2020"
Z95 = 1.959963984540054


def population_weights(year: int = 2020) -> pd.Series:
    """Resident population by GSS code (sum of the five-year age bands, mid-``year``)."""
    from ...datasets import load

    pop = load(AGE_BANDS)
    p = pop[pop["year"] == year]
    bands = p["age_band"].astype(str)
    five = bands.str.fullmatch(r"\d\d_\d\d") & ~bands.eq("00_59") | bands.eq("90+")
    return p[five].groupby("area_code")["population"].sum().astype(float)


def onto_current(frame: pd.DataFrame, how: str = "drop") -> pd.DataFrame:
    """Put rows on today's councils before the store does, so that no former council's value stands in for a
    merged council (the store relabels former codes and keeps the first row: see the s345 report).

    :func:`helpers.predecessors.aggregate` on the published codes: a council's own row wins; a council that only
    changed code is relabelled; a merged council is built from its predecessors only when they cover its area
    (``how="sum"``: counts are added up; ``how="drop"``: a rate or mean is left without a value)."""
    from ... import predecessors

    f = frame.copy()
    f["area_code"] = f["area_code"].astype(str)
    sums = [c for c in ("value", "numerator", "denominator") if c in f.columns] if how == "sum" else []
    agg = predecessors.aggregate(f, county_is="area", sums=sums, keep_predecessors=False)
    made = agg["aggregated_from"].fillna("") != ""
    if made.any():
        n = agg.loc[made, "aggregated_from"].str.count(",") + 1
        agg.loc[made, "obtained"] = n.map(lambda k: f"sum of its {k} former councils")
    agg = agg.dropna(subset=["value"]).drop(columns=["aggregated_from", "unavailable"])
    return agg.drop_duplicates(["area_code", "year"]).reset_index(drop=True)


def drop_superseded(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates and means: :func:`onto_current` without adding predecessors up."""
    return onto_current(frame, how="drop")


def add_county_means(frame: pd.DataFrame, *, se: pd.Series | None = None) -> pd.DataFrame:
    """Add each county's population-weighted mean of its districts for every period in which all its districts
    have a value. ``se`` (standard errors by row index) gives the county an approximate 95% interval (districts
    independent); without it the county has no interval."""
    from ... import areas

    t = areas.areas_table()
    parents = t[t["kind"] == "non-metropolitan district"].set_index("code")["parent"].dropna()
    weights = population_weights()
    d = frame[frame["area_code"].isin(parents.index)].copy()
    d["county"] = d["area_code"].map(parents)
    d["w"] = d["area_code"].map(weights)
    n_districts = parents.value_counts()
    have = set(zip(frame["area_code"], frame["year"], strict=True))
    rows = []
    for (county, year), g in d.groupby(["county", "year"]):
        g = g.dropna(subset=["value"])
        if (county, year) in have or len(g) < n_districts.get(county, 0) or g["w"].isna().any():
            continue
        w = g["w"] / g["w"].sum()
        mean = float((w * g["value"]).sum())
        lower = upper = np.nan
        if se is not None:
            s = se.reindex(g.index)
            if s.notna().all():
                half = Z95 * float(np.sqrt((w**2 * s**2).sum()))
                lower, upper = mean - half, mean + half
        rows.append(
            {
                "area_code": county,
                "year": int(str(year)),
                "value": mean,
                "lower": lower,
                "upper": upper,
                "obtained": f"population-weighted mean of its {len(g)} districts (mid-2020)",
            }
        )
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True) if rows else frame


@derivation("fingertips_tdl")
def fingertips_tdl(table: str, sex: str = "Persons", indicator: str | None = None) -> pd.DataFrame:
    """One OHID Fingertips indicator from the Trafford Data Lab extract (``table``), one sex, the whole area
    (no deprivation-quintile rows), with county rows as population-weighted means of their districts."""
    from ...datasets import load

    f = load(TDL, table)
    f = f[(f["sex"] == sex) & (f["category"].fillna("") == "")]
    if indicator is not None:
        f = f[f["indicator"] == indicator]
    f = drop_superseded(f[["area_code", "year", "value"]].dropna(subset=["value"]))
    return add_county_means(f.reset_index(drop=True))


@derivation("life_expectancy")
def life_expectancy(sex: str) -> pd.DataFrame:
    """Life expectancy at birth (years) for one sex: OHID Fingertips 90366, three-year periods 2015-17 onwards,
    with the ONS's published 95% intervals for 2016-18 (the only period published with intervals in these data;
    ONS values replace Fingertips' rounded ones there). Counties: population-weighted mean of their districts,
    with an interval from the districts' standard errors where the districts have published intervals."""
    from ...datasets import load

    le = load(LE, "life_expectancy")
    le = le[le["sex"] == sex][["area_code", "year", "value"]].dropna(subset=["value"])
    le = drop_superseded(le)
    ons = load(ONS_LE)
    ons = ons[ons["sex"] == sex][["area_code", "year", "value", "lower", "upper"]]
    merged = le.merge(ons, on=["area_code", "year"], how="left", suffixes=("", "_ons"))
    has_ons = merged["value_ons"].notna()
    merged.loc[has_ons, "value"] = merged.loc[has_ons, "value_ons"]
    merged["obtained"] = np.where(has_ons, "published (ONS, with 95% interval)", "published")
    out = merged[["area_code", "year", "value", "lower", "upper", "obtained"]].reset_index(drop=True)
    se = (out["upper"] - out["lower"]) / (2 * Z95)
    return add_county_means(out, se=se)


@derivation("life_expectancy_sii")
def life_expectancy_sii(sex: str) -> pd.DataFrame:
    """Slope index of inequality in life expectancy at birth (years), one sex (OHID Fingertips 92901): the gap
    between the most and least deprived within the council. No county rows (an SII is not an average)."""
    from ...datasets import load

    s = load(LE, "sii")
    s = s[s["sex"] == sex][["area_code", "year", "value"]].dropna(subset=["value"])
    return drop_superseded(s).reset_index(drop=True)


@derivation("public_health_outturn")
def public_health_outturn(lines: list[str], column: str = "net") -> pd.DataFrame:
    """The sum of lines of the MHCLG revenue outturn (RO3 public health and adult social care lines), £ cash, by
    council and financial year (``year`` = the year the financial year starts). ``column``: ``net`` (net current
    expenditure) or ``running`` (running expenses). The table is in £ thousand; values here are in £ million. A council
    with any of the lines missing in a year has no value that year."""
    from ...datasets import load

    ro3 = load("la_revenue_outturn_rsx_ro3_2023_24_2024_25", "ro3_lines")
    r = ro3[ro3["line"].isin(lines)]
    g = r.groupby(["area_code", "year"])[column].agg(["sum", "count"]).reset_index()
    g = g[g["count"] == len(lines)]
    return pd.DataFrame({"area_code": g["area_code"], "year": g["year"], "value": g["sum"] / 1000.0})
