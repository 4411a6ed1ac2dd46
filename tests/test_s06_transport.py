"""Briefing 06 (transport): the transport-poverty index and verdict rule on made-up frames with known
answers, the bus-authority lookup, and the transport parsers checked against rows read independently
from the raw files (the cambridgeshire_check rows of each dataset's source.yaml)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import areas
from helpers.datasets import load
from helpers.sections import s06_transport as s06

from .conftest import MIRROR

# --- composite index: known answers -----------------------------------------------------------------


def test_zscores_population_sd():
    z = s06.zscores(pd.Series([1.0, 2.0, 3.0]))
    sd = np.sqrt(2 / 3)
    assert z.tolist() == pytest.approx([-1 / sd, 0.0, 1 / sd])


def test_index_weights_and_ranks():
    # a: values -1, 0, +1 (z = -1.2247, 0, 1.2247); b: 3, 2, 1 (reversed); weights 3:1
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [30.0, 20.0, 10.0]}, index=list("xyz"))
    out = s06.transport_poverty_index(frame, {"a": 3, "b": 1}, min_components=1)
    zz = 1 / np.sqrt(2 / 3)
    # index = (3*za + 1*zb) / 4
    assert out["index"].tolist() == pytest.approx([(-3 * zz + zz) / 4, 0.0, (3 * zz - zz) / 4])
    assert out["rank"].tolist() == [3, 2, 1]  # 1 = most transport-poor (highest index)
    assert out["quintile"].tolist() == [5, 4, 2]  # ceil(5 * rank / 3)
    assert out["z_a"].tolist() == pytest.approx([-zz, 0, zz])


def test_index_renormalises_weights_and_needs_enough_components():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan], "b": [1.0, 2.0, 3.0, 2.0], "c": [3.0, 2.0, 1.0, np.nan]})
    out = s06.transport_poverty_index(frame, {"a": ("A", 0.5), "b": ("B", 0.25), "c": ("C", 0.25)}, min_components=2)
    assert np.isnan(out["index"].iloc[3])  # only one component
    assert out["n_ranked"].iloc[0] == 3
    # row 0: za = -zz, zb = z of 1 among [1,2,3,2] , zc = +zz
    zz = 1 / np.sqrt(2 / 3)
    zb = (1 - 2) / np.std([1, 2, 3, 2])
    assert out["index"].iloc[0] == pytest.approx(0.5 * -zz + 0.25 * zb + 0.25 * zz)


def test_component_weights_sum_to_one():
    assert sum(w for _, w in s06.COMPONENTS.values()) == pytest.approx(1.0)


# --- the Fenland claim, tested as written ---------------------------------------------------------------


def _ctx(code: str):
    from helpers import areas, register

    return register.Context(area=areas.resolve(code), manifesto=register.load(), section="06_transport")


def _run(entry_id: str, code: str):
    """The register entry's outcome for a council, through the same path as the briefing."""
    from helpers import register

    ctx = _ctx(code)
    _, kind, entry = ctx.manifesto.find(entry_id)
    return register.evaluate(entry, ctx, pledge=kind == "pledges")[1]


@pytest.mark.needs_mirror
def test_fenland_claim_is_rank_one_as_written_through_the_rank_kind():
    index = s06.poverty_index().set_index("code")
    rank = int(index.loc["E07000010", "rank"])
    out = _run("fenland-transport-poverty-worst", "E10000003")
    # "the worst" in the reading table: rank 1 supported, ranks 2-3 partly, beyond not supported
    expected = "supported" if rank == 1 else "partly supported" if rank <= 3 else "not supported"
    assert out.kind == "rank" and out.verdict == expected
    assert out.extra["rank"] == rank and out.extra["n"] == int(index["index"].notna().sum())


def test_fenland_claim_is_not_carried_to_other_councils():
    from helpers import register

    entry = register.load().find("fenland-transport-poverty-worst")[2]
    assert register.applies(entry, "E10000003") == "as written"
    assert register.applies(entry, "E10000020") is None  # another county never takes its worst district


def test_judge_rank_worst_means_rank_one():
    from helpers import verdicts

    assert verdicts.judge_rank(1, 296, within=1, near=30)[0] == "supported"
    assert verdicts.judge_rank(30, 296, within=1, near=30)[0] == "partly supported"
    assert verdicts.judge_rank(49, 296, within=1, near=30)[0] == "not supported"


def test_england_outside_london_is_a_ratio_of_sums():
    # England 100m journeys by 2m people (50 a head); London 60m by 0.5m (120 a head): outside London 40m by 1.5m
    per_head = pd.DataFrame(
        {"area_code": ["E92000001", "E12000007"], "year": [2024, 2024], "value": [50.0, 120.0],
         "period": ["2023/24"] * 2}
    )  # fmt: skip
    journeys = pd.DataFrame({"area_code": ["E92000001", "E12000007"], "year": [2024, 2024], "value": [100.0, 60.0]})
    out = s06.england_outside_london(per_head, journeys)
    assert out["value"].iloc[0] == pytest.approx(40e6 / 1.5e6)


@pytest.mark.needs_mirror
def test_bus_pledge_is_judged_against_the_last_year_before_covid():
    out = _run("better-bus-services", "E10000003")
    assert out.kind == "since" and out.verdict == "direction only"
    assert out.extra["baseline_period"] == "2019-20"  # 2020-21 and 2021-22 are declared Covid-19 exclusions
    assert out.extra["latest_period"] == "2023-24"


@pytest.mark.needs_mirror
def test_new_council_without_pre_covid_bus_years_gets_a_gap_not_a_crash():
    per_head = load(s06.BUS, "per_head")
    nn = per_head[per_head["area_code"] == "E06000061"]
    trend = s06.pre_covid_trend(nn)
    assert not trend and "too few years" in trend.reason


def test_focus_district_is_the_most_transport_poor():
    idx = pd.DataFrame(
        {"code": ["d1", "d2", "d3"], "name": ["Alpha", "Beta", "Gamma"], "parent": ["C", "C", "C"],
         "index": [0.2, 0.9, np.nan]}
    )  # fmt: skip
    county = areas.Area(code="C", name="County", kind="county")
    assert s06.focus_district(county, idx) == "d2"
    unitary = areas.Area(code="U", name="Unitary", kind="unitary")
    assert s06.focus_district(unitary, idx) == "U"


def test_bus_authority_lookup():
    available = {"E10000003", "E11000001", "E12000007"}
    assert s06.bus_authority(areas.Area("E10000003", "Cambridgeshire", "county"), available) == "E10000003"
    assert s06.bus_authority(areas.Area("E08000003", "Manchester", "metropolitan district"), available) == "E11000001"
    assert s06.bus_authority(areas.Area("E09000007", "Camden", "london borough"), available) == "E12000007"
    assert s06.bus_authority(areas.Area("E06000031", "Peterborough", "unitary"), available) is None


def test_recovery_pct():
    s = pd.DataFrame({"year": [2019, 2020, 2021, 2024], "value": [10.0, 8.0, 3.0, 6.0]})
    assert s06.recovery_pct(s) == pytest.approx(75.0)


def test_wilson_limits_bracket_value():
    f = pd.DataFrame({"pct": [10.0, 50.0], "sample_size": [400.0, 400.0]})
    out = s06.active_travel_with_ci(f, "pct")
    assert (out["lower"] < out["pct"]).all() and (out["upper"] > out["pct"]).all()
    # 50% of 400: Wilson approx 45.1 to 54.9
    assert out["lower"].iloc[1] == pytest.approx(45.1, abs=0.1)


# --- parsers against the raw files ------------------------------------------------------------------


def test_bus_per_head_matches_raw_sheet():
    raw = pd.read_excel(MIRROR / s06.BUS / "bus01.ods", sheet_name="BUS01f", header=8, engine="calamine")
    raw_row = raw[raw["Local Authority (LA) Code"] == "E10000003"].iloc[0]
    bus = load(s06.BUS, "per_head").set_index(["area_code", "year"])["value"]
    assert bus.loc[("E10000003", 2010)] == pytest.approx(float(raw_row["2010"]))
    assert bus.loc[("E10000003", 2019)] == pytest.approx(29.8, abs=0.05)  # source.yaml cambridgeshire_check
    assert bus.loc[("E06000031", 2024)] == pytest.approx(33.6, abs=0.05)
    journeys = load(s06.BUS, "journeys").set_index(["area_code", "year"])["value"]
    assert journeys.loc[("E92000001", 2010)] == pytest.approx(4613.4, abs=0.05)


def test_travel_to_work_matches_raw_rows():
    raw = pd.read_csv(MIRROR / s06.TTW / "TS061-2021-1.csv")
    fen = raw[raw["Lower Tier Local Authorities Code"] == "E07000010"]
    drive = fen[fen["Method used to travel to workplace (12 categories) Code"] == 7]["Observation"].iloc[0]
    base = fen[fen["Method used to travel to workplace (12 categories) Code"] != 12]["Observation"].sum()
    ttw = load(s06.TTW).set_index("area_code")
    assert ttw.loc["E07000010", "drive"] == drive == 28166
    assert ttw.loc["E07000010", "in_employment"] == base == 47110
    assert ttw.loc["E07000008", "bicycle"] == 11836


def test_car_availability_check_rows():
    cars = load(s06.CARS)
    fen = cars[(cars["area_code"] == "E07000010") & (cars["tier"] == "ltla")].iloc[0]
    assert (fen["households"], fen["no_car"]) == (44083, 7029)
    cam = cars[(cars["area_code"] == "E10000003") & (cars["tier"] == "utla")].iloc[0]
    assert 100 * cam["no_car"] / cam["households"] == pytest.approx(16.9, abs=0.05)


def test_walk_cycle_check_rows():
    wc = load(s06.WALK_CYCLE, "weekly_1718").set_index("area_code")
    assert wc.loc["E07000010", "walk_pct"] == pytest.approx(60.4, abs=0.05)
    assert wc.loc["E07000008", "cycle_pct"] == pytest.approx(57.5, abs=0.05)
    assert wc.loc["E07000010", "sample_size"] == pytest.approx(326.6, abs=0.05)
    cy = load(s06.CYCLING, "weekly")
    any_ = cy[cy["purpose"] == "any"].set_index(["area_code", "year"])["value"]
    assert any_.loc[("E07000010", 2019)] == pytest.approx(14.5, abs=0.05)
    assert any_.loc[("E92000001", 2021)] == pytest.approx(9.1, abs=0.05)


# --- School Streets / Bikeability and fair fares: proxies for the pledges' aims ----------------------------

AWKWARD = ["E06000053", "E09000001", "E06000063", "E06000061"]


@pytest.mark.needs_mirror
def test_school_active_travel_trend_on_raw_values_from_2021_22():
    import csv

    from helpers import verdicts

    rows = {
        r["period"]: float(r["value"])
        for r in csv.DictReader(open(MIRROR / s06.FINGERTIPS / "active_children.csv", encoding="utf-8"))
        if r["area_code"] == "E10000003"
    }
    used = [rows[p] for p in ("2021/22", "2022/23", "2023/24", "2024/25")]  # 46.9, 41.9, 47.6, 49.7
    x = [0, 1, 2, 3]
    slope = sum((a - 1.5) * (b - sum(used) / 4) for a, b in zip(x, used, strict=True)) / sum((a - 1.5) ** 2 for a in x)
    out = s06.pledge_school_active_travel(_ctx("E10000003"))
    assert f"trend {slope:.2f} points a year" in out.evidence  # closed-form OLS slope, 1.41
    assert "2019-20" not in out.evidence and out.period == "2021-22 to 2024-25"
    assert out.latest == f"{used[-1]:.1f}% (2024-25)"
    assert out.verdict in verdicts.PLEDGE_STATUSES


@pytest.mark.needs_mirror
def test_fair_fares_baseline_is_the_county_drive_share_from_the_raw_census_file():
    import csv

    drive = total = 0.0
    districts = {"E07000008", "E07000009", "E07000010", "E07000011", "E07000012"}
    for r in csv.DictReader(open(MIRROR / s06.TTW / "TS061-2021-1.csv", encoding="utf-8-sig")):
        if r["Lower Tier Local Authorities Code"] in districts:
            code = int(r["Method used to travel to workplace (12 categories) Code"])
            if code != 12:  # 12 = not in employment or aged 15 and under
                total += float(r["Observation"])
                drive += float(r["Observation"]) * (code == 7)
    out = _run("fair-fares", "E10000003")
    assert out.kind == "since" and out.verdict == "baseline only"
    assert out.extra["baseline_value"] == pytest.approx(100 * drive / total)
    assert out.extra["baseline_period"] == "Census 2021"


@pytest.mark.needs_mirror
@pytest.mark.parametrize("code", AWKWARD)
def test_new_06_pledges_run_or_say_no_data_for_awkward_councils(code):
    from helpers import verdicts

    try:
        out = s06.pledge_school_active_travel(_ctx(code))
    except verdicts.NoData as exc:
        assert str(exc)
    else:
        assert out.verdict in verdicts.PLEDGE_STATUSES and "nan" not in out.evidence
    for entry_id in ("fair-fares", "better-bus-services", "strategic-cycle-routes", "rail-investment"):
        out = _run(entry_id, code)
        assert out.verdict in verdicts.PLEDGE_STATUSES and "nan" not in out.evidence


# --- panels: what the briefing shows, against the raw files ------------------------------------------------

FIGURE_COLUMNS = {"area_code", "area_name", "value"}


def _figures(panel):
    from helpers.panels import Figure

    return [p for p in panel.parts if isinstance(p, Figure)]


@pytest.fixture(scope="module")
def cambs():
    return areas.resolve_briefing_area("E10000003")


@pytest.mark.needs_mirror
def test_transport_poverty_panel_shows_the_districts_with_raw_census_drive_shares(cambs):
    p = s06.transport_poverty(cambs)
    frame = p.frame.set_index("code")
    assert {d.code for d in areas.districts_of(cambs)} <= set(frame.index)
    # TS061 raw rows (test_travel_to_work_matches_raw_rows): Fenland drove 28,166 of 47,110 in employment
    assert frame.loc["E07000010", "drive_pct"] == pytest.approx(100 * 28166 / 47110)
    focus = frame.loc[frame.loc[[d.code for d in areas.districts_of(cambs)], "index"].idxmax()]
    assert p.findings and p.findings[0].startswith(
        f"On a composite transport-poverty index {focus['name']} ranks {int(focus['rank'])} of"
    )
    (fig,) = _figures(p)
    assert FIGURE_COLUMNS <= set(fig.data.columns)
    assert fig.data.set_index("area_code")["value"].to_dict() == frame["index"].dropna().to_dict()


@pytest.mark.needs_mirror
def test_bus_panel_plots_the_raw_per_head_series_and_names_the_latest_year(cambs):
    p = s06.bus_use(cambs)
    own = p.frame[p.frame["area_code"] == "E10000003"].set_index("year")["value"]
    assert own.loc[2019] == pytest.approx(29.8, abs=0.05)  # source.yaml cambridgeshire_check (BUS01f)
    assert s06.ENGLAND_EX_LONDON in set(p.frame["area_name"])
    last = p.frame[p.frame["area_code"] == "E10000003"].iloc[-1]
    assert f"{last['value']:.1f} in {last['period']}" in p.findings[0]
    assert "/" not in "".join(p.frame["period"])  # "2023-24", never BUS01's "2023/24"
    assert p.details and p.details[0].startswith("Model:")  # diagnostics stay off the reader's path
    (fig,) = _figures(p)
    assert FIGURE_COLUMNS | {"period"} <= set(fig.data.columns)


@pytest.mark.needs_mirror
def test_walking_cycling_panel_matches_the_raw_rates_with_intervals(cambs):
    p = s06.walking_and_cycling(cambs)
    t = p.frame.set_index("area_code")
    assert t.loc["E07000008", "cycle_pct"] == pytest.approx(57.5, abs=0.05)  # Cambridge, CW0301 check row
    assert t.loc["E07000010", "walk_pct"] == pytest.approx(60.4, abs=0.05)  # Fenland
    assert (t["cycle_lower"] < t["cycle_pct"]).all() and (t["cycle_pct"] < t["cycle_upper"]).all()
    assert "57.5% (Cambridge)" in p.findings[0]
    (fig,) = _figures(p)
    assert {"lower", "upper", "period"} <= set(fig.data.columns) and (fig.data["period"] == "2017-18").all()


@pytest.mark.needs_mirror
def test_panels_give_gaps_not_crashes_for_the_isles_of_scilly():
    scilly = areas.resolve_briefing_area("E06000053")
    bus = s06.bus_use(scilly)
    assert bus.gaps and "BUS01 has no row" in bus.gaps[0] and not bus.findings
    rail = s06.rail_stations(scilly)
    assert rail.gaps and rail.frame.empty


@pytest.mark.needs_mirror
def test_road_emissions_panel_is_briefing_05s_transport_share(cambs):
    from helpers.sections import s05_net_zero as s05

    p = s06.road_emissions(cambs)
    year = int(p.frame["period"].iloc[0])
    share = s05.sector_shares(s05.sector_long(), "E10000003", year).set_index("sector").loc["Transport", "share_pct"]
    assert p.frame.set_index("area_code").loc["E10000003", "share_pct"] == pytest.approx(share)
    assert f"{share:.1f}%" in p.findings[0]
