"""English areas: resolve a code or name, parents and children, tiers, and comparator sets.

Source: mySociety's UK local authority names and codes package (current councils, their GSS codes,
types, regions and parent counties) — dataset ``uk_la_names_codes_hierarchy``.

Kinds of area
-------------
``county`` (upper tier of a two-tier area, GSS E10), ``non-metropolitan district`` (its lower tier, E07),
``unitary`` (E06, including the Isles of Scilly; the Greater London Authority is not a council here),
``metropolitan district`` (E08), ``london borough`` (E09, including the City of London), ``region`` (E12) and
``country`` (England, E92000001).
Briefings take a *briefing area*: a county or a single-tier council (unitary, metropolitan district or
London borough).

Similar councils
----------------
An open nearest-neighbour model (CIPFA's is paid): for every briefing area of the same kind (counties
are compared with counties; single-tier councils with single-tier councils) take the features in
:data:`SIMILARITY_FEATURES`, standardise each to mean 0 and s.d. 1 across that pool, and rank by Euclidean
distance. The features, their values and the distances are returned so briefings can show them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import national
from .datasets import load
from .errors import UnknownAreaError

ENGLAND_CODE = "E92000001"

#: ONS region codes (E12) by the region names the hierarchy dataset uses.
REGION_CODES = {
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
}

_KINDS = {
    "CTY": "county",
    "NMD": "non-metropolitan district",
    "UA": "unitary",
    "MD": "metropolitan district",
    "LBO": "london borough",
    "CC": "london borough",  # City of London Corporation
}
BRIEFING_KINDS = ("county", "unitary", "metropolitan district", "london borough")
SINGLE_TIER_KINDS = ("unitary", "metropolitan district", "london borough")

#: Features of the similar-councils model: name -> (description, unit).
SIMILARITY_FEATURES = {
    "log_population": ("Resident population, mid-2020 (natural log)", "log persons"),
    "log_density": ("Residents per km² (natural log)", "log persons per km²"),
    "share_65_plus": ("Share of residents aged 65 and over, mid-2020", "proportion"),
    "share_under_15": ("Share of residents aged 0-14, mid-2020", "proportion"),
    "deprivation_score": ("Population-weighted IMD 2019 score", "IMD score"),
    "urban_share": ("Share of residents in urban small areas (2011 RUC)", "proportion"),
}


@dataclass(frozen=True)
class Area:
    """An English area. ``parent`` is the county code of a non-metropolitan district."""

    code: str
    name: str
    kind: str
    region: str | None = None
    parent: str | None = None
    la_code: str | None = None

    @property
    def region_code(self) -> str | None:
        return REGION_CODES.get(self.region) if self.region else None

    @property
    def tier(self) -> str:
        """'upper' (county), 'lower' (district), 'single' (unitary, met, London) or the kind itself."""
        return {"county": "upper", "non-metropolitan district": "lower"}.get(
            self.kind, "single" if self.kind in SINGLE_TIER_KINDS else self.kind
        )

    @property
    def slug(self) -> str:
        """A file-system-safe name, e.g. ``cambridgeshire-e10000003``."""
        return f"{re.sub(r'[^a-z0-9]+', '-', self.name.lower()).strip('-')}-{self.code.lower()}"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@national.table(copy=False)
def _table() -> pd.DataFrame:
    """Current English councils plus regions and England, one row per area."""
    c = load("uk_la_names_codes_hierarchy", "councils")
    c = c[(c["nation"] == "England") & c["current"] & c["type"].isin(list(_KINDS)) & c["area_code"].notna()]
    county_codes = dict(zip(c["la_code"], c["area_code"], strict=True))
    areas = pd.DataFrame(
        {
            "code": c["area_code"],
            "name": c["area_name"],
            "kind": c["type"].map(_KINDS),
            "region": c["region"],
            "parent": c["county_la_code"].map(county_codes),
            "la_code": c["la_code"],
            "alt_names": c["alt_names"] + "," + c["official_name"],
            "former_codes": c["former_gss_codes"],
            "area_km2": c["area_km2"],
        }
    )
    regions = pd.DataFrame(
        {
            "code": list(REGION_CODES.values()),
            "name": list(REGION_CODES),
            "kind": "region",
            "region": list(REGION_CODES),
        }
    )
    england = pd.DataFrame({"code": [ENGLAND_CODE], "name": ["England"], "kind": ["country"]})
    out = pd.concat([areas, regions, england], ignore_index=True)
    out["parent"] = out["parent"].astype(object).where(out["parent"].notna(), None)
    out["region"] = out["region"].astype(object).where(out["region"].notna(), None)
    return out.set_index("code", drop=False)


def _area(row) -> Area:
    return Area(
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        region=row["region"],
        parent=row["parent"],
        la_code=row["la_code"] if isinstance(row["la_code"], str) else None,
    )


def _normalise(text: str) -> str:
    text = text.lower().replace("&", "and")
    text = re.sub(r"\b(county|district|borough|city|metropolitan|council|of|the|royal)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


@national.table(copy=False)
def _name_index() -> dict[str, str]:
    """Normalised name or alternative name -> code (ambiguous names are left out)."""
    index: dict[str, set[str]] = {}
    row: Any  # a row of _table() (pandas-stubs types its fields as any scalar; name and code are str)
    for row in _table().itertuples():
        names = [row.name] + [n for n in str(getattr(row, "alt_names", "") or "").split(",") if n.strip()]
        for n in names:
            index.setdefault(_normalise(n), set()).add(row.code)
    # a county and a district can share a name (e.g. Cambridgeshire vs East Cambridgeshire are distinct,
    # but "Northumberland" is only one); keep unambiguous keys, preferring the exact display name
    out = {}
    for key, codes in index.items():
        if len(codes) == 1:
            out[key] = next(iter(codes))
    for row in _table().itertuples():
        out.setdefault(_normalise(row.name), row.code)
    return out


def resolve(area: str | Area) -> Area:
    """The area with this GSS code or name (any case; 'Fenland', 'Cambridgeshire County Council').

    Former codes of a council (e.g. pre-2019 codes) resolve to the current council. An unknown
    value raises :class:`UnknownAreaError` naming the three closest matches.
    """
    if isinstance(area, Area):
        return area
    if not isinstance(area, str) or not area.strip():
        raise UnknownAreaError(f"area must be a GSS code or a council name, not {area!r}")
    text = area.strip()
    table = _table()
    code = text.upper()
    if code in table.index:
        return _area(table.loc[code])
    former = table[table["former_codes"].fillna("").str.split(",").apply(lambda codes: code in codes)]
    if len(former) == 1:
        return _area(former.iloc[0])
    key = _normalise(text)
    if key in _name_index():
        return _area(table.loc[_name_index()[key]])
    if re.fullmatch(r"[A-Za-z]\d{6,}\w*", text):  # looks like a code: suggest codes
        close = difflib.get_close_matches(code, list(table.index), n=3, cutoff=0.0)
        suggestions = ", ".join(f"{table.loc[c, 'name']} ({c})" for c in close)
    else:
        choices: dict[Any, Any] = {row.name: row.code for row in table.itertuples()}  # name -> code, both str
        close = difflib.get_close_matches(text.title(), list(choices), n=3, cutoff=0.0)
        suggestions = ", ".join(f"{n} ({choices[n]})" for n in close)
    raise UnknownAreaError(f"unknown area {text!r}: closest matches are {suggestions}")


def resolve_briefing_area(area: str | Area) -> Area:
    """Like :func:`resolve`, but only a county or single-tier council is accepted."""
    a = resolve(area)
    if a.kind not in BRIEFING_KINDS:
        hint = f"; its county is {resolve(a.parent)}" if a.parent else ""
        raise UnknownAreaError(
            f"{a} is a {a.kind}: briefings are for a county or a unitary, metropolitan or London borough council{hint}"
        )
    return a


def briefing_areas() -> list[Area]:
    """Every county and single-tier council in England: the valid ``area`` parameters."""
    t = _table()
    return [_area(r) for _, r in t[t["kind"].isin(BRIEFING_KINDS)].sort_values("name").iterrows()]


def districts_of(area: str | Area) -> list[Area]:
    """The non-metropolitan districts of a county (empty for a single-tier council)."""
    a = resolve(area)
    t = _table()
    return [_area(r) for _, r in t[t["parent"] == a.code].sort_values("name").iterrows()]


def local_areas(area: str | Area) -> list[Area]:
    """The areas a briefing breaks down by: a county's districts, or the single-tier council itself."""
    a = resolve(area)
    return districts_of(a) or [a]


def region_of(area: str | Area) -> Area:
    """The English region containing an area."""
    a = resolve(area)
    if a.kind == "region":
        return a
    if a.region not in REGION_CODES:
        raise UnknownAreaError(f"{a} has no English region")
    return resolve(REGION_CODES[a.region])


def england() -> Area:
    return resolve(ENGLAND_CODE)


def areas_table() -> pd.DataFrame:
    """Every area (councils, regions, England) with code, name, kind, region and parent."""
    return _table()[["code", "name", "kind", "region", "parent", "la_code"]].reset_index(drop=True)


def names() -> dict[str, str]:
    """GSS code -> display name for every area."""
    return dict(zip(_table()["code"], _table()["name"], strict=True))


def harmonise_codes(codes: pd.Series) -> pd.Series:
    """Map GSS codes of any vintage (e.g. 2019 district codes) to current council codes.

    Uses the hierarchy dataset: every current and former code -> council id, then each abolished
    council's ``replaced-by`` successor until a current council is reached. Councils split between
    several successors (e.g. Cumbria) and unknown codes are kept as they are.
    """
    lookup = load("uk_la_names_codes_hierarchy", "gss_lookup")
    councils = load("uk_la_names_codes_hierarchy", "councils")
    successor = {
        la: rb
        for la, rb in zip(councils["la_code"], councils["replaced_by"], strict=True)
        if isinstance(rb, str) and "," not in rb
    }
    t = _table().dropna(subset=["la_code"])
    current = dict(zip(t["la_code"], t["code"], strict=True))

    def to_current(la: str | None) -> str | None:
        for _ in range(5):  # follow at most a few reorganisations
            if la in current:
                return current[la]
            la = successor.get(la)
            if la is None:
                return None
        return None

    mapping = {g: to_current(la) for g, la in zip(lookup["gss_code"], lookup["la_code"], strict=True)}
    return codes.map(lambda c: mapping.get(c) or c)


# --- comparators -----------------------------------------------------------------------------------


@national.table(copy=False)
def similarity_features() -> pd.DataFrame:
    """Raw (unstandardised) features of every briefing area, indexed by code; see SIMILARITY_FEATURES."""
    t = _table()
    pool = t[t["kind"].isin(BRIEFING_KINDS)][["code", "name", "kind", "la_code", "area_km2"]].copy()
    ages = load("population_age_bands_la_mid2019_mid2020")
    ages = ages[ages["year"] == 2020].pivot_table(index="area_code", columns="age_band", values="population")
    # 5-year bands only: the file also has aggregates such as 00_59 and 60+
    five_year = [c for c in ages.columns if (re.fullmatch(r"\d\d_\d\d", c) and int(c[3:]) - int(c[:2]) == 4)]
    five_year.append("90+")
    total = ages[five_year].sum(axis=1)
    over_65 = ages[[c for c in five_year if int(c[:2]) >= 65]].sum(axis=1)
    under_15 = ages[["00_04", "05_09", "10_14"]].sum(axis=1)
    pool["population"] = pool["code"].map(total)
    pool["log_population"] = np.log(pool["population"])
    pool["log_density"] = np.log(pool["population"] / pool["area_km2"])
    pool["share_65_plus"] = pool["code"].map(over_65 / total)
    pool["share_under_15"] = pool["code"].map(under_15 / total)
    imd = load("imd2019_scores_and_la_composite_mysociety", "la_imd").set_index("la_code")
    pool["deprivation_score"] = pool["la_code"].map(imd["deprivation_score"])
    ruc = load("la_urban_rural_profile").set_index("la_code")
    pool["urban_share"] = pool["la_code"].map(ruc["urban_share"])
    return pool.set_index("code")


def similar_councils(area: str | Area, k: int = 5) -> pd.DataFrame:
    """The ``k`` councils of the same kind most similar to ``area`` (nearest first).

    Columns: code, name, distance (Euclidean on standardised features; features missing for either
    council are skipped and the distance rescaled to all features), and the raw feature values.
    """
    a = resolve_briefing_area(area)
    feats = similarity_features()
    same = ["county"] if a.kind == "county" else list(SINGLE_TIER_KINDS)
    pool = feats[feats["kind"].isin(same)]
    cols = list(SIMILARITY_FEATURES)
    z = (pool[cols] - pool[cols].mean()) / pool[cols].std(ddof=0)
    if a.code not in z.index:
        raise UnknownAreaError(f"{a} has no similarity features (a council created after the source data)")
    diff = (z - z.loc[a.code]) ** 2
    usable = diff.notna().sum(axis=1)
    distance = np.sqrt(diff.sum(axis=1) * len(cols) / usable.replace(0, np.nan))
    out = pool.assign(distance=distance).drop(index=a.code).dropna(subset=["distance"])
    out = out.sort_values(["distance", "name"]).head(k)
    return out.reset_index()[["code", "name", "distance", "population"] + cols]


def ons_neighbours(area: str | Area, kind: str = "global", k: int = 5) -> list[Area]:
    """ONS Explore Local Statistics' nearest neighbours of an area (any tier), for a cross-check."""
    a = resolve(area)
    n = load("ons_similar_areas", "neighbours")
    n = n[(n["area_code"] == a.code) & (n["kind"] == kind)].sort_values("rank")
    out = []
    for code in n["neighbour_code"]:
        if code.startswith("E") and code in _table().index:
            out.append(resolve(code))
    return out[:k]


def comparators(area: str | Area, k: int = 5) -> dict[str, object]:
    """The comparator set of a briefing: England, the region, and ``k`` similar councils."""
    a = resolve_briefing_area(area)
    similar = similar_councils(a, k)
    return {"england": england(), "region": region_of(a), "similar": [resolve(c) for c in similar["code"]]}


def gss_for_la_codes(la_codes: pd.Series) -> pd.Series:
    """Map mySociety 3-letter council codes (e.g. ``CAM``) to current GSS codes (missing if not English/current)."""
    t = _table().dropna(subset=["la_code"])
    return la_codes.map(dict(zip(t["la_code"], t["code"], strict=True)))
