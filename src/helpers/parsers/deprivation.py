"""English Indices of Deprivation: LSOA ranks, deciles, scores and populations; district summaries."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import numeric_columns, read_csv
from ..schemas import LSOA_PATTERN, gss_code, non_negative

IMD_LSOA = "imd2019_lsoa_england"
DOMAINS = {
    "Index of Multiple Deprivation (IMD)": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education, Skills and Training": "education",
    "Health Deprivation and Disability": "health",
    "Crime": "crime",
    "Barriers to Housing and Services": "barriers",
    "Living Environment": "living_environment",
}
N_LSOA_2019 = 32844  # number of LSOAs ranked in IoD2019 (File 2 row count, checked by the schema)


def _domain_columns() -> dict[str, str]:
    cols = {}
    for label, short in DOMAINS.items():
        cols[f"{label} Rank (where 1 is most deprived)"] = f"{short}_rank"
        cols[f"{label} Decile (where 1 is most deprived 10% of LSOAs)"] = f"{short}_decile"
    return cols


_LSOA_SCHEMA = {
    "lsoa_code": pa.Column(str, pa.Check.str_matches(LSOA_PATTERN), unique=True),
    "lad19_code": gss_code(),
    "imd_rank": pa.Column(int, pa.Check.in_range(1, N_LSOA_2019)),
    "imd_decile": pa.Column(int, pa.Check.in_range(1, 10)),
    "population": non_negative(nullable=False),
}


@parser(
    IMD_LSOA,
    files=["File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", "File_6_-_IoD2019_Population_Denominators.csv.gz"],
    schema=pa.DataFrameSchema(_LSOA_SCHEMA, checks=pa.Check(lambda d: len(d) == N_LSOA_2019, name="row_count")),
)
def imd_lsoa(paths):
    """IoD2019 for every English LSOA (2011): IMD and 7 domain ranks and deciles, 2019 district, mid-2015
    population (total, children 0-15, 60+, working age)."""
    domain_cols = _domain_columns()
    f2 = read_csv(
        paths["File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"],
        IMD_LSOA,
        required=[
            "LSOA code (2011)",
            "LSOA name (2011)",
            "Local Authority District code (2019)",
            "Local Authority District name (2019)",
            *domain_cols,
        ],
    )
    f2 = f2.rename(
        columns={
            "LSOA code (2011)": "lsoa_code",
            "LSOA name (2011)": "lsoa_name",
            "Local Authority District code (2019)": "lad19_code",
            "Local Authority District name (2019)": "lad19_name",
            **domain_cols,
        }
    )
    f6 = read_csv(
        paths["File_6_-_IoD2019_Population_Denominators.csv.gz"],
        IMD_LSOA,
        thousands=",",
        required=["LSOA code (2011)", "Total population: mid 2015 (excluding prisoners)"],
    )
    pop_cols = {
        c: name
        for c in f6.columns
        for key, name in (
            ("Total population", "population"),
            ("Dependent Children", "population_0_15"),
            ("Older population", "population_60_plus"),
            ("Working age", "population_working_age"),
        )
        if c.startswith(key)
    }
    f6 = f6.rename(columns={"LSOA code (2011)": "lsoa_code", **pop_cols})[["lsoa_code", *pop_cols.values()]]
    f6, suppressed = numeric_columns(f6, list(pop_cols.values()))
    out = f2[["lsoa_code", "lsoa_name", "lad19_code", "lad19_name", *domain_cols.values()]].merge(
        f6, on="lsoa_code", how="left", validate="one_to_one"
    )
    for col in domain_cols.values():
        out[col] = out[col].astype(int)
    return out, suppressed


@parser(
    "imd2019_scores_and_la_composite_mysociety",
    "lsoa_scores",
    files=["UK_IMD_E.csv"],
    schema=pa.DataFrameSchema(
        {
            "lsoa_code": pa.Column(str, pa.Check.str_matches(LSOA_PATTERN), unique=True),
            "imd_score": non_negative(nullable=False),
        }
    ),
)
def imd_lsoa_scores(paths):
    """Official English IMD 2019 score (and income/employment scores) for every English LSOA (2011)."""
    raw = read_csv(
        paths["UK_IMD_E.csv"],
        "imd2019_scores_and_la_composite_mysociety",
        required=["nation", "lsoa", "overall_local_score", "income_score", "employment_score"],
    )
    raw = raw[raw["nation"] == "E"]
    return pd.DataFrame(
        {
            "lsoa_code": raw["lsoa"],
            "imd_score": raw["overall_local_score"].astype(float),
            "income_score": raw["income_score"].astype(float),
            "employment_score": raw["employment_score"].astype(float),
        }
    )


def _domain_key(label: str) -> str:
    """'Income Deprivation' and 'Income' -> 'income'; 'Index of Multiple Deprivation' -> 'imd'."""
    label = re.sub(r"\s*\(.*\)$", "", label.strip())
    if label.startswith("Index of Multiple"):
        return "imd"
    if label.startswith("Health"):
        return "health"  # 'Health Deprivation and Disability' (2019) / 'Health and Disability' (2025)
    label = re.sub(r"\s+Deprivation( Domain)?$", "", label)
    return re.sub(r"[^a-z]+", "_", label.lower()).strip("_")


@parser(
    "iod_lad_summaries_2019_2025",
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "edition": pa.Column(int, pa.Check.isin([2019, 2025])),
            "domain": pa.Column(str),
            "proportion_most_deprived_10": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        }
    ),
)
def iod_district_summaries(paths):
    """IoD2019 and IoD2025 district summaries: average rank and score, share of LSOAs in England's most
    deprived 10%, and the rank of each (1 = most deprived), by domain. Ranks are within an edition."""
    frames = []
    for path in paths.values():
        raw = read_csv(path, "iod_lad_summaries_2019_2025")
        if "lad19cd" in raw:
            raw = raw.rename(columns={"lad19cd": "area_code", "lad19nm": "area_name", "year": "edition"})
        else:
            raw = raw.rename(columns={"deprivation_data_year": "edition"})
        frames.append(
            raw[
                [
                    "area_code",
                    "area_name",
                    "edition",
                    "index_domain",
                    "average_rank",
                    "rank_average_rank",
                    "average_score",
                    "rank_average_score",
                    "proportion_bottom_decile",
                    "rank_proportion_bottom_decile",
                ]
            ]
        )
    out = pd.concat(frames, ignore_index=True).rename(
        columns={
            "index_domain": "domain_label",
            "proportion_bottom_decile": "proportion_most_deprived_10",
            "rank_proportion_bottom_decile": "rank_proportion_most_deprived_10",
        }
    )
    out["domain"] = out["domain_label"].map(_domain_key)
    out["edition"] = out["edition"].astype(int)
    for col in ("average_rank", "average_score", "proportion_most_deprived_10"):
        out[col] = out[col].astype(float).round(6)  # strip the xlsx floating-point noise
    return out
