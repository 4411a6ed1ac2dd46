"""Derivations for deprivation, inequality and population (briefing 00).

IoD2019 small areas (LSOA 2011) are placed in today's councils by :func:`helpers.sections.s00_inequality.
assign_lsoas`; resident shares are population-weighted (mid-2015 populations published with IoD2019), so a
county's value is computed from its own small areas, not pooled from district rates. Population totals are
ONS mid-year estimates 2005-2020 keyed by mySociety's three-letter council codes.
"""

from __future__ import annotations

import pandas as pd

from ..store import derivation

#: The edition year IoD2019 is labelled with in the store (its indicators mostly describe 2015-16).
IOD2019_YEAR = 2019


def _lsoas() -> pd.DataFrame:
    from ...sections.s00_inequality import lsoas_cached

    return lsoas_cached()


def _by_every_level(lsoas: pd.DataFrame, func) -> pd.DataFrame:
    """``func(frame, group) -> Series by code`` at district / single-tier, county and region level, plus
    England (one row per code)."""
    from ... import areas

    parts = [func(lsoas, "local_code"), func(lsoas[lsoas["area_kind"] == "county"], "area_code")]
    reg = lsoas.assign(region_code=lsoas["region"].map(areas.REGION_CODES))
    parts.append(func(reg, "region_code"))
    parts.append(func(lsoas.assign(england=areas.ENGLAND_CODE), "england"))
    out = pd.concat(parts)
    out = out[~out.index.duplicated()]
    return out.rename_axis("area_code").reset_index(name="value")


@derivation("iod2019_resident_share")
def resident_share(decile: str = "imd_decile", top: int = 2) -> pd.DataFrame:
    """% of residents (mid-2015) living in small areas in England's most deprived ``top`` deciles of
    ``decile`` (IoD2019), for every district, single-tier council, county, region and England."""
    from ...sections.s00_inequality import resident_share as share

    lsoas = _lsoas()
    frame = _by_every_level(lsoas, lambda d, g: share(d, g, decile=decile, top=top))
    pops = _by_every_level(lsoas, lambda d, g: d.groupby(g)["population"].sum())
    frame["denominator"] = frame["area_code"].map(pops.set_index("area_code")["value"])
    frame["numerator"] = frame["value"] * frame["denominator"] / 100
    return frame.assign(year=IOD2019_YEAR)


@derivation("iod2019_spread")
def deprivation_spread(weighted: bool = True) -> pd.DataFrame:
    """Inter-quartile range of the national IMD ranks of the residents' small areas (population-weighted, or
    each small area once), as % of England's 32,844 small areas, for councils and districts with enough small
    areas (:func:`helpers.sections.s00_inequality.weighted_spread`)."""
    from ...sections.s00_inequality import weighted_spread

    lsoas = _lsoas()
    col = "rank_iqr_pct" if weighted else "rank_iqr_unweighted"
    parts = [
        weighted_spread(lsoas, "local_code").rename(columns={"local_code": "area_code"}),
        weighted_spread(lsoas[lsoas["area_kind"] == "county"], "area_code"),
    ]
    out = pd.concat(parts, ignore_index=True).drop_duplicates("area_code")
    return out[["area_code", col]].rename(columns={col: "value"}).assign(year=IOD2019_YEAR)


@derivation("population_totals")
def population_totals(growth_from: int | None = None) -> pd.DataFrame:
    """ONS mid-year population of every English council (and region and England as sums of lower-tier and
    single-tier councils), 2005-2020; with ``growth_from`` the % growth since that mid-year instead."""
    from ...sections.s00_inequality import population_cached

    pop = population_cached().rename(columns={"code": "area_code", "population": "value"})
    pop = pop.groupby(["area_code", "year"], as_index=False)["value"].sum(min_count=1)
    if growth_from is None:
        return pop
    base = pop[pop["year"] == growth_from].set_index("area_code")["value"]
    pop["value"] = 100 * (pop["value"] / pop["area_code"].map(base) - 1)
    return pop[pop["year"] >= growth_from].dropna(subset=["value"])
