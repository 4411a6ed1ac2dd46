"""Geography: council names, codes and hierarchy; code lookups; similarity features and ONS neighbours."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..readers import read_csv
from ..schemas import gss_code, non_negative, share

HIERARCHY = "uk_la_names_codes_hierarchy"


@parser(
    HIERARCHY,
    "councils",
    files=["uk_local_authorities_current.csv"],
    schema=pa.DataFrameSchema(
        {
            "la_code": pa.Column(str, unique=True),
            "area_code": gss_code(nullable=True),
            "area_name": pa.Column(str),
            "type": pa.Column(str),
            "region": pa.Column(str, nullable=True),
            "area_km2": non_negative(nullable=True),
            "pop_2020": non_negative(nullable=True),
        }
    ),
)
def councils(paths):
    """UK councils (current and abolished): GSS code, names, type, region, parent county, area and population."""
    raw = read_csv(
        paths["uk_local_authorities_current.csv"],
        HIERARCHY,
        required=[
            "local-authority-code",
            "official-name",
            "nice-name",
            "gss-code",
            "nation",
            "region",
            "local-authority-type",
            "local-authority-type-name",
            "county-la",
            "current-authority",
            "alt-names",
            "former-gss-codes",
            "area",
            "pop-2020",
            "end-date",
            "replaced-by",
        ],
    )
    out = pd.DataFrame(
        {
            "la_code": raw["local-authority-code"].astype(str),
            "area_code": raw["gss-code"].astype("string").astype(object).where(raw["gss-code"].notna(), None),
            "area_name": raw["nice-name"].astype(str),
            "official_name": raw["official-name"].astype(str),
            "nation": raw["nation"].astype(str),
            "region": raw["region"].astype(object).where(raw["region"].notna(), None),
            "type": raw["local-authority-type"].astype(str),
            "type_name": raw["local-authority-type-name"].astype(str),
            "county_la_code": raw["county-la"].astype(object).where(raw["county-la"].notna(), None),
            "current": raw["current-authority"].astype(str).str.lower().eq("true"),
            "replaced_by": raw["replaced-by"].astype(object).where(raw["replaced-by"].notna(), None),
            "end_date": raw["end-date"].astype(object).where(raw["end-date"].notna(), None),
            "alt_names": raw["alt-names"].fillna("").astype(str),
            "former_gss_codes": raw["former-gss-codes"].fillna("").astype(str),
            "area_km2": pd.to_numeric(raw["area"], errors="coerce").astype(float),
            "pop_2020": pd.to_numeric(raw["pop-2020"], errors="coerce").astype(float),
        }
    )
    return out


@parser(
    HIERARCHY,
    "gss_lookup",
    files=["lookup_gss_to_registry.csv"],
    schema=pa.DataFrameSchema({"gss_code": gss_code(), "la_code": pa.Column(str)}),
)
def gss_lookup(paths):
    """Every current and former GSS code mapped to the stable 3-letter council code."""
    raw = read_csv(paths["lookup_gss_to_registry.csv"], HIERARCHY, required=["gss-code", "local-authority-code"])
    out = raw.rename(columns={"gss-code": "gss_code", "local-authority-code": "la_code"})[["gss_code", "la_code"]]
    return out.dropna()  # councils with no GSS code (e.g. some abolished pre-2009 bodies) cannot be matched


@parser(
    HIERARCHY,
    "lsoa_lookup",
    files=["lookup_lsoa_to_registry.csv"],
    schema=pa.DataFrameSchema({"lsoa_code": pa.Column(str), "la_code": pa.Column(str)}),
)
def lsoa_lookup(paths):
    """2011 LSOA code -> current council (3-letter code), to re-aggregate LSOA data onto today's councils."""
    raw = read_csv(paths["lookup_lsoa_to_registry.csv"], HIERARCHY, required=["lsoa", "local-authority-code"])
    return raw.rename(columns={"lsoa": "lsoa_code", "local-authority-code": "la_code"})[["lsoa_code", "la_code"]]


@parser(
    "ons_similar_areas",
    "neighbours",
    files=["global-neighbours.csv", "economic-neighbours.csv", "demographic-neighbours.csv"],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "kind": pa.Column(str),
            "rank": pa.Column(int, pa.Check.in_range(1, 20)),
            "neighbour_code": gss_code(),
        }
    ),
)
def ons_neighbours(paths):
    """ONS Explore Local Statistics: each authority's 20 nearest neighbours (global/economic/demographic)."""
    frames = []
    for name, path in paths.items():
        raw = read_csv(path, "ons_similar_areas", required=["AREACD", "1", "20"])
        long = raw.melt(id_vars="AREACD", var_name="rank", value_name="neighbour_code")
        long["kind"] = name.split("-")[0]
        frames.append(long)
    out = pd.concat(frames).rename(columns={"AREACD": "area_code"})
    out = out.dropna(subset=["neighbour_code"])  # some authorities have fewer than 20 listed
    out["rank"] = out["rank"].astype(int)
    return out[["area_code", "kind", "rank", "neighbour_code"]].sort_values(["kind", "area_code", "rank"])


@parser(
    "population_age_bands_la_mid2019_mid2020",
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "year": pa.Column(int, pa.Check.isin([2019, 2020])),
            "age_band": pa.Column(str),
            "population": non_negative(int, nullable=False),
        }
    ),
)
def population_age_bands(paths):
    """ONS mid-2019 and mid-2020 population by 5-year age band (persons) for every UK council and county."""
    frames = []
    for name, path in paths.items():
        raw = read_csv(path, "population_age_bands_la_mid2019_mid2020", required=["areaCode", "age", "population"])
        raw["year"] = 2020 if "2020" in name else 2019
        frames.append(raw)
    out = pd.concat(frames).rename(columns={"areaCode": "area_code", "age": "age_band"})
    out["population"] = out["population"].astype(int)
    return out[["area_code", "year", "age_band", "population"]]


@parser(
    "imd2019_scores_and_la_composite_mysociety",
    "la_imd",
    files=["la_imd.csv"],
    schema=pa.DataFrameSchema(
        {
            "la_code": pa.Column(str, unique=True),
            "deprivation_score": non_negative(nullable=False),
            "share_high_deprivation": share(),
        }
    ),
)
def la_imd(paths):
    """Population-weighted IMD 2019 score for every current council incl. counties (mySociety composite)."""
    raw = read_csv(
        paths["la_imd.csv"],
        "imd2019_scores_and_la_composite_mysociety",
        required=["local-authority-code", "la-deprivation-score", "high-deprivation"],
    )
    return pd.DataFrame(
        {
            "la_code": raw["local-authority-code"],
            "deprivation_score": raw["la-deprivation-score"].astype(float),
            "share_high_deprivation": raw["high-deprivation"].astype(float),
        }
    )


@parser(
    "la_urban_rural_profile",
    schema=pa.DataFrameSchema(
        {"la_code": pa.Column(str, unique=True), "urban_share": share(), "highly_rural_share": share()}
    ),
)
def urban_rural(paths):
    """Share of each council's population in urban, rural and highly rural small areas (mySociety)."""
    raw = read_csv(
        paths["la_ruc.csv"],
        "la_urban_rural_profile",
        required=["local-authority-code", "highly-rural", "rural", "urban", "ruc-cluster-label"],
    )
    return pd.DataFrame(
        {
            "la_code": raw["local-authority-code"],
            "urban_share": raw["urban"].astype(float),
            "rural_share": raw["rural"].astype(float),
            "highly_rural_share": raw["highly-rural"].astype(float),
            "rurality_label": raw["ruc-cluster-label"].astype(str),
        }
    )
