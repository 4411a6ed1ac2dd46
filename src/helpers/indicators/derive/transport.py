"""Transport indicators computed from parsed tables: bus use by transport authority (metropolitan districts and
London boroughs take their authority's figure), Census 2021 shares, walking and cycling with Wilson intervals,
station use summed over a council's stations, and the transport-poverty index of briefing 06."""

from __future__ import annotations

import pandas as pd

from ...datasets import load
from ..store import derivation

BUS = "bus_passenger_journeys_la_2010_2024"
TTW = "census2021_travel_to_work_method_ts061_la"
CARS = "census2021_car_van_availability_ts045_la"
WALK_CYCLE = "walking_cycling_proportion_adults_la_cw0301_0303_2015_16_to_2017_18"
RAIL = "rail_station_usage_orr_2017_18_2018_19"
LONDON = "E12000007"
#: GSS prefixes of the councils that tile England (districts, unitaries, metropolitan districts, boroughs).
TILING_PREFIXES = ("E06", "E07", "E08", "E09")

#: Metropolitan districts -> the integrated transport authority (metropolitan county) that DfT's BUS01 reports.
MET_COUNTY_ITA = {
    **{f"E0800000{i}": "E11000001" for i in range(1, 10)},
    "E08000010": "E11000001",  # Greater Manchester
    **{f"E080000{i}": "E11000002" for i in range(11, 16)},  # Merseyside
    **{f"E080000{i}": "E11000003" for i in range(16, 20)},  # South Yorkshire
    **{f"E080000{i}": "E11000007" for i in range(21, 25)},
    "E08000037": "E11000007",  # Tyne and Wear
    **{f"E080000{i}": "E11000005" for i in range(25, 32)},  # West Midlands
    **{f"E080000{i}": "E11000006" for i in range(32, 37)},  # West Yorkshire
}


@derivation("bus_by_transport_authority")
def bus_by_transport_authority(table: str = "per_head") -> pd.DataFrame:
    """DfT BUS01 as published, plus a row for each metropolitan district (its metropolitan county's figure) and
    each London borough (London's), marked ``obtained = "transport authority"``: bus journeys are counted by
    local transport authority, so these councils share their authority's value."""
    from ... import areas

    bus = load(BUS, table)[["area_code", "year", "value"]].copy()
    bus["obtained"] = "published"
    t = areas.areas_table()
    boroughs = t.loc[t["kind"] == "london borough", "code"]
    links = {**MET_COUNTY_ITA, **dict.fromkeys(boroughs, LONDON)}
    by_code = {code: g for code, g in bus.groupby("area_code")}
    extra = [
        by_code[authority].assign(area_code=council, obtained="transport authority")
        for council, authority in links.items()
        if authority in by_code and council not in by_code
    ]
    return pd.concat([bus, *extra], ignore_index=True)


def on_current_councils(frame: pd.DataFrame, rule: str, scale: float = 100.0) -> pd.DataFrame:
    """Councils created 2019-2023 from their former councils, here rather than by the store's ``rollup``: the
    store relabels former codes to today's before it adds them up, so a merged council kept its first former
    district's value (reported as a store bug). ``rule``: ``rate`` pools numerator / denominator (x ``scale``),
    ``sum`` adds values up. Former councils' rows are dropped."""
    from ... import predecessors

    rates = {"value": ("numerator", "denominator", scale)} if rule == "rate" else None
    sums = ["value"] if rule == "sum" else []
    out = predecessors.aggregate(frame, county_is="area", sums=sums, rates=rates, keep_predecessors=False)
    made = out["aggregated_from"].fillna("") != ""
    out["obtained"] = out.get("obtained", pd.Series("published", index=out.index)).fillna("published")
    out.loc[made, "obtained"] = "sum of former councils" if rule == "sum" else "pooled from former councils"
    return out.drop(columns=["aggregated_from", "unavailable"]).dropna(subset=["value"])


@derivation("census_share")
def census_share(dataset: str, numerator: list[str], denominator: str, weights: list[float] | None = None,
                 percent: bool = True, tier: str | None = None) -> pd.DataFrame:  # fmt: skip
    """A Census 2021 share or ratio by council: the (weighted) sum of ``numerator`` columns over ``denominator``
    (x 100 when ``percent``), with numerator and denominator kept so counties and merged councils can be pooled.
    ``tier`` keeps the table's rows of one tier (``ltla``) where it has both."""
    d = load(dataset)
    if tier is not None and "tier" in d.columns:
        d = d[d["tier"] == tier]
    w = weights or [1.0] * len(numerator)
    num = sum(d[c].astype(float) * k for c, k in zip(numerator, w, strict=True))
    out = pd.DataFrame({"area_code": d["area_code"], "year": 2021, "numerator": num, "denominator": d[denominator]})
    english = out[out["area_code"].astype(str).str[:3].isin(TILING_PREFIXES)]
    england = {"area_code": "E92000001", "year": 2021, "numerator": english["numerator"].sum(),
               "denominator": english["denominator"].sum()}  # fmt: skip
    out = pd.concat([out, pd.DataFrame([england])], ignore_index=True)
    out["value"] = (100.0 if percent else 1.0) * out["numerator"] / out["denominator"]
    return on_current_councils(out, "rate", 100.0 if percent else 1.0)


@derivation("active_travel_wilson")
def active_travel_wilson(column: str) -> pd.DataFrame:
    """Adults walking or cycling at least once a week, 2017-18 (DfT CW0301-0303, Active Lives), with Wilson 95%
    limits from the weighted sample size (which understates survey design effects slightly)."""
    from ...stats import wilson_ci

    wc = load(WALK_CYCLE, "weekly_1718").dropna(subset=[column, "sample_size"])
    n = wc["sample_size"].to_numpy(float)
    x = wc[column].to_numpy(float) / 100 * n
    lo, hi = wilson_ci(x, n, multiplier=100)
    out = pd.DataFrame(
        {"area_code": wc["area_code"], "year": 2017, "value": wc[column], "lower": lo, "upper": hi,
         "numerator": x, "denominator": n}
    )  # fmt: skip
    return on_current_councils(out, "rate")


@derivation("rail_station_use")
def rail_station_use() -> pd.DataFrame:
    """Entries and exits at every National Rail station in a council's area (ORR), summed by district or
    single-tier council (ORR names councils by name: mapped by :func:`helpers.la_names.current_codes`);
    financial years 2017-18 and 2018-19."""
    from ... import la_names

    st = load(RAIL, "stations")
    st = st.assign(area_code=la_names.current_codes(st["local_authority"])).dropna(subset=["area_code"])
    rows = []
    for year, col in ((2017, "entries_exits_1718"), (2018, "entries_exits_1819")):
        g = st.groupby("area_code")[col].sum(min_count=1).rename("value").reset_index()
        rows.append(g.assign(year=year))
    out = on_current_councils(pd.concat(rows, ignore_index=True), "sum")
    england = out.groupby("year")["value"].sum().reset_index().assign(area_code="E92000001")
    return pd.concat([out, england], ignore_index=True)


@derivation("transport_poverty_index")
def transport_poverty_index() -> pd.DataFrame:
    """The composite transport-poverty index of briefing 06 (weighted mean z-score of public transport or walking
    time to work 2019, no station within a 30-minute walk 2024, driving to work 2021 and rurality; higher = more
    transport-poor) for every English district and single-tier council, as one period starting in 2019."""
    from ...sections import s06_transport

    idx = s06_transport.poverty_index().dropna(subset=["index"])
    return pd.DataFrame({"area_code": idx["code"], "year": 2019, "value": idx["index"].astype(float)})
