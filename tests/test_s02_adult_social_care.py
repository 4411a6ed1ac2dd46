"""Tests for briefing 02 (adult social care): section helpers on made-up frames with known answers, the register's
claim tests and pledge trackers on real data against values read from the raw files (and closed forms), and parsed
values checked against the raw files and the curators' published checks."""

from __future__ import annotations

import csv
import json
import math
import re

import pandas as pd
import pytest
import yaml

from helpers import areas, register, verdicts
from helpers.datasets import load
from helpers.sections import s02_adult_social_care as s02

from .conftest import MIRROR

CAMBS, FENLAND, CAMBRIDGE, EAST_CAMBS = "E10000003", "E07000010", "E07000008", "E07000009"
ENGLAND = "E92000001"


needs_mirror = pytest.mark.needs_mirror


def mirror(dataset: str):
    """The dataset's folder in the shared mirror. No skip of its own: a test that reads raw files is marked
    ``needs_mirror``, so the conftest guard decides (skipped without the mirror locally, an error in CI), and a
    dataset missing from a present mirror fails."""
    folder = MIRROR / dataset
    assert folder.is_dir(), f"raw files of {dataset} are missing from the mirror {MIRROR}"
    return folder


def source_yaml(dataset: str) -> dict:
    return yaml.safe_load((mirror(dataset) / "source.yaml").read_text(encoding="utf-8"))


# --- demand helpers ---------------------------------------------------------------------------------------


def bands_frame() -> pd.DataFrame:
    """Cambridge: mid-2019 uses '0_4'-style labels, mid-2020 '00_04' plus the overlapping aggregates."""
    rows = []
    y2019 = {"0_4": 100, "60_64": 50, "65_69": 40, "75_79": 25, "85_89": 15, "90+": 10}
    y2020 = {"00_04": 100, "60_64": 50, "65_69": 40, "75_79": 30, "85_89": 20, "90+": 10, "00_59": 999, "60+": 999}
    for year, bands in ((2019, y2019), (2020, y2020)):
        for band, pop in bands.items():
            rows.append({"area_code": CAMBRIDGE, "year": year, "age_band": band, "population": pop})
    # East Cambridgeshire: 2020 only, to check the county sum
    for band, pop in {"00_04": 50, "85_89": 50}.items():
        rows.append({"area_code": EAST_CAMBS, "year": 2020, "age_band": band, "population": pop})
    return pd.DataFrame(rows)


def test_band_start_ignores_aggregates():
    assert s02.band_start("0_4") == 0
    assert s02.band_start("05_09") == 5
    assert s02.band_start("85_89") == 85
    assert s02.band_start("90+") == 90
    assert s02.band_start("00_59") is None
    assert s02.band_start("60+") is None


def test_age_profile_known_answer():
    p = s02.age_profile(bands_frame(), [CAMBRIDGE, CAMBS], 2020).set_index("area_code")
    # Cambridge 2020: total 100+50+40+30+20+10 = 250; 65+ = 100; 75+ = 60; 85+ = 30
    assert p.loc[CAMBRIDGE, "population"] == 250
    assert p.loc[CAMBRIDGE, "share_65+"] == pytest.approx(0.40)
    assert p.loc[CAMBRIDGE, "share_75+"] == pytest.approx(0.24)
    assert p.loc[CAMBRIDGE, "share_85+"] == pytest.approx(0.12)
    # the county (no published row here) is the sum of its districts present: 250 + 100, 85+ = 30 + 50
    assert p.loc[CAMBS, "population"] == 350
    assert p.loc[CAMBS, "share_85+"] == pytest.approx(80 / 350)


def test_age_growth_known_answer():
    g = s02.age_growth(bands_frame(), [CAMBRIDGE]).set_index("group")["growth_pct"]
    # 2019: total 240, 65+ 90, 75+ 50, 85+ 25 -> 2020: 250, 100, 60, 30
    assert g["all ages"] == pytest.approx(100 * (250 / 240 - 1))
    assert g["65+"] == pytest.approx(100 * (100 / 90 - 1))
    assert g["75+"] == pytest.approx(20.0)
    assert g["85+"] == pytest.approx(20.0)


# --- care-home share --------------------------------------------------------------------------------------


def test_care_home_share_numerator_denominator_and_wilson():
    counts = pd.DataFrame(
        {
            "area_code": [CAMBS, FENLAND, CAMBRIDGE, EAST_CAMBS, "E07000011", ENGLAND],
            "area_name": ["A", "B", "C", "D", "E", "England"],
            "care_home": [30, 60, 5, 0, 12, 300],
            "all_places": [100, 100, 100, 0, 10, 1000],
        }
    )
    out = s02.care_home_share(counts).set_index("area_code")
    assert out.loc[CAMBS, "share"] == pytest.approx(0.30)
    # Wilson 95% for 30/100 (textbook value, z = 1.96): 0.2189 to 0.3958
    assert out.loc[CAMBS, "lower_95"] == pytest.approx(0.2189, abs=5e-4)
    assert out.loc[CAMBS, "upper_95"] == pytest.approx(0.3958, abs=5e-4)
    assert out.loc[CAMBS, "lower_998"] < out.loc[CAMBS, "lower_95"]
    assert out.loc[CAMBS, "vs_benchmark_95"] == "similar"  # England = 0.30
    assert out.loc[FENLAND, "vs_benchmark_95"] == "higher"  # 60/100
    assert out.loc[CAMBRIDGE, "vs_benchmark_95"] == "lower"  # 5/100
    assert out.loc[EAST_CAMBS, "vs_benchmark_95"] == "not compared"  # no deaths
    assert math.isnan(out.loc["E07000011", "lower_95"])  # numerator above denominator
    assert out.loc["E07000011", "vs_benchmark_998"] == "not compared"


# --- parsers against the raw files ------------------------------------------------------------------------


@needs_mirror
def test_deaths_by_place_against_raw_json_and_published_check():
    folder = mirror("covid_deaths_by_place_of_death_la_2020_2021")
    raw = json.loads((folder / "deaths_covid_by_place_SE.json").read_text(encoding="utf-8"))
    expected = {}
    for rec in raw:
        if rec["Code"] in (CAMBRIDGE, FENLAND, CAMBS, ENGLAND):
            ch, allp = expected.get(rec["Code"], (0, 0))
            expected[rec["Code"]] = (ch + rec["Care home"], allp + rec["All places"])
    weekly = load("covid_deaths_by_place_of_death_la_2020_2021", "weekly_by_place")
    totals = s02.deaths_by_place_totals(weekly, list(expected)).set_index("area_code")
    for code, (ch, allp) in expected.items():
        assert totals.loc[code, "care_home"] == ch
        assert totals.loc[code, "all_places"] == allp
    check = source_yaml("covid_deaths_by_place_of_death_la_2020_2021")["cambridgeshire_check"][
        "covid_deaths_by_place_2020_wk1_36"
    ]
    county = check["Cambridgeshire_E10000003"]
    assert (totals.loc[CAMBS, "care_home"], totals.loc[CAMBS, "all_places"]) == (county["care_home"], county["all"])
    share = s02.care_home_share(totals.reset_index()).set_index("area_code")
    assert share.loc[CAMBS, "share"] == pytest.approx(county["care_home_share"], abs=5e-4)
    assert share.loc[ENGLAND, "share"] == pytest.approx(check["England_E92000001"]["care_home_share"], abs=5e-4)
    # the county row equals the sum of its districts, so aggregation from districts gives the same answer
    summed = s02.deaths_by_place_totals(weekly[weekly["area_code"] != CAMBS], [CAMBS]).set_index("area_code")
    assert summed.loc[CAMBS, "care_home"] == county["care_home"]


def _tuples(text: str, code: str) -> list[tuple]:
    return [tuple(int(v) for v in m.split(",")) for m in re.findall(rf"\('{code}', '[^']+', ([\d, ]+)\)", text)]


@needs_mirror
def test_care_sector_residents_against_published_rows():
    check = source_yaml("covid_care_sector_deaths_la_2020")["cambridgeshire_check"]
    table12, table13 = check.split("Table 13")[0], check.split("Table 13")[1].split("Table 15")[0]
    res = load("covid_care_sector_deaths_la_2020", "residents_weekly")
    fen = res[res["area_code"] == FENLAND].sort_values("week_ending")
    assert tuple(fen[fen["cause"] == "all causes"]["deaths"].astype(int)) == _tuples(table12, FENLAND)[0]
    assert tuple(fen[fen["cause"] == "covid"]["deaths"].astype(int)) == _tuples(table13, FENLAND)[0]
    assert fen["week_ending"].min() == pd.Timestamp("2020-03-06")
    assert fen["week_ending"].max() == pd.Timestamp("2020-06-12")


@needs_mirror
def test_care_home_deaths_against_raw_csv():
    folder = mirror("care_home_deaths_la_2010_2023")
    with open(folder / "lanonladeaths20141021.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[5:]
    raw = {
        (r[0], r[1]): tuple(float(v) for v in r[3:6]) for r in rows if len(r) >= 6 and r[1] in (FENLAND, "E06000031")
    }
    parsed = load("care_home_deaths_la_2010_2023", "annual").set_index(["year", "area_code"])
    for (year, code), values in raw.items():
        got = parsed.loc[(int(year), code), ["la_care_homes", "non_la_care_homes", "all_care_homes"]]
        assert tuple(got) == values
    assert tuple(parsed.loc[(2020, FENLAND)][["la_care_homes", "non_la_care_homes", "all_care_homes"]]) == (
        41,
        250,
        291,
    )


@needs_mirror
def test_asc_outcomes_against_raw_csv():
    folder = mirror("asc_outcomes_oflog_la_2015_2023")
    with open(folder / "ASC_data.csv", encoding="utf-8-sig") as fh:
        raw = [r for r in csv.DictReader(fh) if r["Local authority code"] == CAMBS]
    parsed = load("asc_outcomes_oflog_la_2015_2023", "measures").set_index(["area_code", "period", "code"])
    assert len(raw) == len(parsed.loc[CAMBS])
    for r in raw:
        got = parsed.loc[(CAMBS, r["Financial year"], r["Code"]), "value"]
        if r["Value"] == "":
            assert math.isnan(got)
        else:
            assert got == pytest.approx(float(r["Value"]))


@needs_mirror
def test_rsx_against_published_check():
    check = source_yaml("la_revenue_outturn_rsx_ro3_2023_24_2024_25")["cambridgeshire_check"]
    rsx = load("la_revenue_outturn_rsx_ro3_2023_24_2024_25", "rsx_adult_social_care").set_index(["area_code", "period"])
    m2425 = re.search(r"E10000003 Cambridgeshire CC \(SC\) (\d+);.*?E06000031 Peterborough UA (\d+(?:\.\d+)?)", check)
    m2324 = re.search(r"RSX 2023-24 same column: Cambridgeshire CC (\d+);.*?Peterborough UA (\d+)", check)
    assert rsx.loc[(CAMBS, "2024-25"), "total_net_current_expenditure"] == pytest.approx(float(m2425.group(1)))
    assert rsx.loc[("E06000031", "2024-25"), "total_net_current_expenditure"] == pytest.approx(float(m2425.group(2)))
    assert rsx.loc[(CAMBS, "2023-24"), "total_net_current_expenditure"] == pytest.approx(float(m2324.group(1)))
    assert rsx.loc[("E06000031", "2023-24"), "total_net_current_expenditure"] == pytest.approx(float(m2324.group(2)))
    # districts carry no adult social care; net = gross - income for every council with figures
    assert rsx.loc[(FENLAND, "2024-25"), "asc_net_current_expenditure"] == 0
    ok = rsx.dropna(subset=["asc_total_expenditure", "asc_total_income", "asc_net_current_expenditure"])
    assert (
        (ok["asc_total_expenditure"] - ok["asc_total_income"] - ok["asc_net_current_expenditure"]).abs() <= 1
    ).all()  # rounding to £1k


def test_spend_per_adult_known_answer():
    rsx = pd.DataFrame(
        {
            "area_code": [CAMBS],
            "asc_net_current_expenditure": [1000.0],
            "asc_total_expenditure": [1500.0],
            "total_net_current_expenditure": [4000.0],
        }
    )
    out = s02.spend_per_adult(rsx, pd.Series({CAMBS: 500.0})).iloc[0]
    assert out["net_per_adult"] == pytest.approx(2000.0)  # £1,000 thousand / 500 adults
    assert out["gross_per_adult"] == pytest.approx(3000.0)
    assert out["asc_share_of_service_spend"] == pytest.approx(0.25)


# --- the register's claim tests and pledge trackers, on real data -------------------------------------------


def ctx(code: str) -> register.Context:
    return register.Context(area=areas.resolve(code), manifesto=register.load(), section="02_adult_social_care")


def _wilson(x: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval, closed form (Newcombe 1998)."""
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def _cambs_district_codes() -> list[str]:
    return [d.code for d in areas.districts_of(CAMBS)]


def test_asc_precept_pledge_cumulative_element_from_source_check():
    """The ASC elements of Cambridgeshire's Band D read from the CTR workbooks (source.yaml cambridgeshire_check):
    cumulative £134.81 by 2021-22 and £206.19 by 2023-24; two values without an interval: direction only."""
    elements = [22.86, 23.31, 23.81, 25.00, 26.24, 13.59, 41.99, 29.39]  # 2016-17 .. 2023-24
    out = s02.pledge_use_asc_precept(ctx(CAMBS))
    assert out.verdict == "direction only" and out.direction == "improving"
    assert f"£{sum(elements[:6]):,.2f}" in out.evidence and f"£{sum(elements):,.2f}" in out.evidence
    assert out.latest == "2.0% (2023-24)"


def test_councils_without_data_raise_nodata_not_errors():
    # created in 2021: no ASC precept return for 2021-22
    with pytest.raises(verdicts.NoData):
        s02.pledge_use_asc_precept(ctx("E06000061"))


def test_register_entries_for_section_02_all_evaluate_for_cambridgeshire():
    m = register.load()
    reg = m.sections["02_adult_social_care"]
    assert len(reg.claims) >= 10 and len(reg.pledges) >= 9
    for kind in ("claims", "pledges"):
        for entry in getattr(reg, kind):
            _, out = register.evaluate(entry, ctx(CAMBS), pledge=kind == "pledges")
            assert out.evidence and "nan" not in out.evidence.lower().split()


def test_judge_similar_used_for_a_claimed_share():
    """verdicts.judge_similar (added for the 42% claim): the claimed value inside the interval is no significant
    difference; outside, a significant one; no interval, no verdict."""
    assert verdicts.judge_similar(0.42, 0.40, 0.35, 0.45)[0] == "supported"
    assert verdicts.judge_similar(0.42, 0.323, 0.279, 0.369)[0] == "not supported"
    assert "above" in verdicts.judge_similar(0.42, 0.323, 0.279, 0.369)[1]
    assert verdicts.judge_similar(0.45, 0.40, 0.35, 0.45)[0] == "supported"  # a limit equal to the value
    with pytest.raises(ValueError):
        verdicts.judge_similar(0.42, 0.40, float("nan"), 0.45)


# --- panels (what the briefing shows), values against the raw files ----------------------------------------

AWKWARD = ["E06000053", "E09000001", "E06000063", "E06000061"]


def briefing(code: str):
    from helpers.briefing import Briefing

    return Briefing("02_adult_social_care", "Adult social care", code)


def _figures(p):
    from helpers.panels import Figure

    return [part for part in p.parts if isinstance(part, Figure)]


@needs_mirror
def test_covid_care_homes_panel_on_raw_counts():
    """Cambridgeshire, 2020 weeks 1-36: care-home and all Covid-19 deaths summed from the raw ONS JSON rows of its
    five districts; the panel's frame, chart data, sentence and finding all carry that one share."""
    raw = json.loads((mirror(s02.COVID_BY_PLACE) / "deaths_covid_by_place_SE.json").read_text(encoding="utf-8"))
    districts = set(_cambs_district_codes())
    ch = sum(r["Care home"] for r in raw if r["Code"] in districts)
    allp = sum(r["All places"] for r in raw if r["Code"] in districts)
    assert (ch, allp) == (133, 412)
    p = s02.covid_care_homes(briefing(CAMBS))
    row = p.frame.set_index("area_code").loc[CAMBS]
    assert (row["care_home"], row["all_places"]) == (ch, allp) and row["share"] == pytest.approx(ch / allp)
    lo, hi = _wilson(ch, allp)
    assert (row["lower_95"], row["upper_95"]) == (pytest.approx(lo), pytest.approx(hi))
    data = _figures(p)[0].data.set_index("area_code")
    assert {"area_name", "period", "value", "lower", "upper"} <= set(data.columns)
    assert data.loc[CAMBS, "value"] == pytest.approx(100 * ch / allp)
    assert "133 of the 412" in p.parts[-2] or "133 of the 412" in " ".join(x for x in p.parts if isinstance(x, str))
    assert f"{100 * ch / allp:.1f}%" in p.findings[0]


@needs_mirror
def test_care_home_deaths_panel_on_raw_csv():
    """Deaths in Cambridgeshire's care homes, 2020 against the 2015-19 mean, summed from the raw CSV."""
    with open(mirror(s02.CARE_HOME_DEATHS) / "lanonladeaths20141021.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[5:]
    districts = set(_cambs_district_codes())
    by_year: dict[int, float] = {}
    for r in rows:
        if len(r) >= 6 and r[1] in districts:
            by_year[int(r[0])] = by_year.get(int(r[0]), 0) + float(r[5])
    count, mean = by_year[2020], sum(by_year[y] for y in range(2015, 2020)) / 5
    assert (count, round(mean)) == (1388, 1244)
    p = s02.care_home_deaths(briefing(CAMBS))
    mine = p.frame[(p.frame["area_code"] == CAMBS) & (p.frame["year"] == 2020)].iloc[0]
    assert mine["all_care_homes"] == count and mine["index"] == pytest.approx(100 * count / mean)
    assert "1,388 in 2020" in p.parts[-1] and f"+{round(100 * (count / mean - 1))}%" in p.parts[-1]


@needs_mirror
def test_outcomes_panel_turnover_finding_on_raw_values():
    with open(mirror(s02.ASC_OUTCOMES) / "ASC_data.csv", encoding="utf-8-sig") as fh:
        raw = [r for r in csv.DictReader(fh) if r["Code"] == "ASC7" and r["Value"] != ""]
    latest = max(r["Financial year"] for r in raw)
    mine = next(float(r["Value"]) for r in raw if r["Financial year"] == latest and r["Local authority code"] == CAMBS)
    p = s02.outcomes(briefing(CAMBS))
    assert p.frame.set_index("code").loc["ASC7", "value"] == pytest.approx(mine)
    assert f"{mine:.1f}% in {latest}" in p.findings[0]
    assert any("Linear trend over" in d for d in p.details)  # the model diagnostics stay off the reader's path


def test_precept_panel_cumulative_element_from_source_check():
    """The ASC elements of Cambridgeshire's Band D from the CTR workbooks (source.yaml cambridgeshire_check)."""
    elements = [22.86, 23.31, 23.81, 25.00, 26.24, 13.59, 41.99, 29.39]  # 2016-17 .. 2023-24
    p = s02.precept(briefing(CAMBS))
    assert p.frame["cumulative"].iloc[-1] == pytest.approx(sum(elements), abs=0.01)
    assert f"£{sum(elements):,.2f} of its Band D" in p.parts[-1]


@needs_mirror
def test_demand_panel_values_and_a_gap_where_the_age_bands_have_no_row():
    p = s02.demand(briefing(CAMBS))
    me = p.frame.set_index("area_code").loc[CAMBS]
    assert 0 < me["share_85+"] < 10 and f"{me['85+']:+.1f}%" in p.findings[0]
    data = _figures(p)[0].data.set_index("area_code")
    assert data.loc[CAMBS, "value"] == pytest.approx(me["share_85+"]) and set(data["period"]) == {"mid-2020"}
    scilly = s02.demand(briefing("E06000053"))  # not in the age-band file
    assert scilly.gaps and not scilly.parts


@needs_mirror
@pytest.mark.parametrize("code", AWKWARD)
def test_every_panel_runs_for_awkward_councils(code):
    import matplotlib.pyplot as plt

    b = briefing(code)
    for fn in (s02.demand, s02.population_trend, s02.covid_care_homes, s02.care_home_deaths, s02.outcomes):
        p = fn(b)
        assert p.parts or p.gaps
        text = " ".join(x for x in p.parts if isinstance(x, str)) + " ".join(p.findings)
        assert "nan" not in text.split() and "{" not in text
    for fn in (s02.spending, s02.precept):
        p = fn(b)
        assert p.parts or p.gaps
    plt.close("all")
