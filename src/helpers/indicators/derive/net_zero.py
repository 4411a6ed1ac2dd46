"""Net zero indicators (briefing 05): greenhouse gases against 2005, CO2 within council influence and from heating
oil, renewable electricity generation, and recycling by the waste disposal authority."""

from __future__ import annotations

import pandas as pd

from ..store import derivation
from .health import onto_current

ELS = "ons_explore_local_statistics"
GHG_TABLE = "greenhouse-gas-emissions"
CO2 = "la_co2_emissions_by_sector_mysociety_2005_2020"
RENEWABLES = "renewable_electricity_generation_la_2018_2022_2024"
LACW = "lacw_management_by_waste_authority_sdg_11_6_1_2000_01_to_2020_21"


def _on_gss(frame: pd.DataFrame) -> pd.DataFrame:
    from ... import areas

    out = frame.assign(area_code=areas.gss_for_la_codes(frame["la_code"]))
    return out.dropna(subset=["area_code"])


@derivation("ghg_index")
def ghg_index(base_year: int = 2005) -> pd.DataFrame:
    """Greenhouse gases per resident (DESNZ via ONS) as an index, ``base_year`` = 100: a target written as a
    share of the base year ("5% of 2005 by 2030") is then the same number for every council."""
    from ...datasets import load

    g = load(ELS, GHG_TABLE)[["area_code", "year", "value"]].dropna(subset=["value"])
    g = g.drop_duplicates(["area_code", "year"])
    base = g[g["year"] == base_year].set_index("area_code")["value"]
    g = g[g["area_code"].isin(base.index)]
    return g.assign(value=100 * g["value"] / g["area_code"].map(base)).reset_index(drop=True)


@derivation("co2_within_influence")
def co2_within_influence(per_person: bool = False) -> pd.DataFrame:
    """CO2 within the scope of local authority influence (DESNZ subset, via mySociety), kt, or t per resident."""
    from ...datasets import load

    t = _on_gss(load(CO2, "totals"))
    if per_person:
        return pd.DataFrame(
            {
                "area_code": t["area_code"],
                "year": t["year"],
                "value": t["per_person_t"],
                "numerator": t["total_kt_co2"] * 1000,
                "denominator": t["population"],
            }
        ).reset_index(drop=True)
    return t[["area_code", "year"]].assign(value=t["total_kt_co2"]).reset_index(drop=True)


@derivation("co2_sector")
def co2_sector(sector: str, component: str = "Total") -> pd.DataFrame:
    """CO2 (kt) of one sector and component of the DESNZ subset (e.g. Domestic / Other Fuels: heating oil, LPG
    and solid fuel in homes)."""
    from ...datasets import load

    s = _on_gss(load(CO2, "by_sector"))
    s = s[(s["sector"] == sector) & (s["component"] == component)]
    return s[["area_code", "year"]].assign(value=s["kt_co2"]).dropna(subset=["value"]).reset_index(drop=True)


@derivation("renewable_generation")
def renewable_generation(technology: str | None = None) -> pd.DataFrame:
    """Renewable electricity generated (GWh) by district and single-tier council, all technologies or one, in the
    three DESNZ editions (2018, 2022, 2024); counties and merged councils are sums (the catalogue's rollup)."""
    from ...datasets import load

    gen = load(RENEWABLES, "generation")
    if technology:
        gen = gen[gen["technology"] == technology]
    g = gen.groupby(["area_code", "year"], as_index=False)["mwh"].sum(min_count=1)
    g = g.assign(value=g["mwh"] / 1000)[["area_code", "year", "value"]].dropna(subset=["value"])
    return onto_current(g, how="sum")


@derivation("lacw_recycling")
def lacw_recycling() -> pd.DataFrame:
    """% of all local-authority-collected waste recycled or composted, by waste authority (a county as waste
    disposal authority), DEFRA ENV18 via UK SDG 11.6.1; names mapped to current codes, England from its row.
    ``year`` = the year the financial year ends."""
    from ... import la_names
    from ...datasets import load

    m = load(LACW, "management")
    m = m[m["method"] == "Recycled-composted"]
    auth = m[m["level"] == "authority"].copy()
    auth["area_code"] = la_names.current_codes(auth["authority"])
    eng = m[m["level"] == "england"].assign(area_code="E92000001")
    out = pd.concat([auth, eng], ignore_index=True).dropna(subset=["area_code", "pct"])
    out = out.drop_duplicates(["area_code", "year"])
    return out[["area_code", "year"]].assign(value=out["pct"]).reset_index(drop=True)
