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


def test_period_coverage():
    assert s02.period_coverage("2019-12-28", "2020-09-04") == "partial"
    assert s02.period_coverage("2019-12-01", "2021-02-28") == "full"
    assert s02.period_coverage("2021-03-01", "2021-06-01") == "none"


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


@needs_mirror
def test_covid_care_home_claim_on_raw_counts():
    """Cambridgeshire, 2020 weeks 1-36: care-home and all Covid-19 deaths summed from the raw ONS JSON rows of its
    five districts; the claimed 42% lies above the Wilson 95% interval, so the claim as written is not supported."""
    raw = json.loads((mirror(s02.COVID_BY_PLACE) / "deaths_covid_by_place_SE.json").read_text(encoding="utf-8"))
    districts = set(_cambs_district_codes())
    ch = sum(r["Care home"] for r in raw if r["Code"] in districts)
    allp = sum(r["All places"] for r in raw if r["Code"] in districts)
    assert (ch, allp) == (133, 412)
    lo, hi = _wilson(ch, allp)
    out = s02.claim_covid_care_home_share(ctx(CAMBS), claimed=0.42)
    assert out.verdict == "not supported" and hi < 0.42
    assert f"{100 * lo:.1f} to {100 * hi:.1f}%" in out.evidence
    assert "133 of the 412" in out.evidence and out.period_end == 2020
    # a claimed share inside the interval is supported
    assert s02.claim_covid_care_home_share(ctx(CAMBS), claimed=ch / allp).verdict == "supported"


@needs_mirror
def test_care_home_deaths_claim_on_raw_csv():
    """Deaths in Cambridgeshire's care homes, 2020 against the 2015-19 mean, summed from the raw CSV; Byar's
    95% interval (closed form) of the 2020 count lies wholly above the mean."""
    with open(mirror(s02.CARE_HOME_DEATHS) / "lanonladeaths20141021.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[5:]
    districts = set(_cambs_district_codes())
    by_year: dict[int, float] = {}
    for r in rows:
        if len(r) >= 6 and r[1] in districts:
            by_year[int(r[0])] = by_year.get(int(r[0]), 0) + float(r[5])
    count, mean = by_year[2020], sum(by_year[y] for y in range(2015, 2020)) / 5
    lower = count * (1 - 1 / (9 * count) - 1.959964 / (3 * math.sqrt(count))) ** 3
    out = s02.claim_care_home_deaths_rose(ctx(CAMBS))
    assert (count, round(mean)) == (1388, 1244)
    assert out.verdict == "supported" and lower > mean
    assert out.value == pytest.approx(100 * (count / mean - 1))


@needs_mirror
def test_turnover_claim_judged_before_the_manifesto_on_raw_values():
    with open(mirror(s02.ASC_OUTCOMES) / "ASC_data.csv", encoding="utf-8-sig") as fh:
        raw = [r for r in csv.DictReader(fh) if r["Code"] == "ASC7" and r["Value"] != ""]
    year = [float(r["Value"]) for r in raw if r["Financial year"] == "2020-21"]
    mine = next(
        float(r["Value"]) for r in raw if r["Financial year"] == "2020-21" and r["Local authority code"] == CAMBS
    )
    median = (
        sorted(year)[len(year) // 2]
        if len(year) % 2
        else sum(sorted(year)[len(year) // 2 - 1 : len(year) // 2 + 1]) / 2
    )
    out = s02.claim_turnover_high(ctx(CAMBS))
    assert out.period == "2020-21"  # the latest year before the May 2021 manifesto; 2022-23 is reported since
    assert out.verdict == ("supported" if mine > median else "not supported") == "supported"
    assert f"{mine:.1f}%" in out.evidence and f"{median:.1f}%" in out.evidence and "Since then" in out.evidence


def test_asc_precept_pledge_cumulative_element_from_source_check():
    """The ASC elements of Cambridgeshire's Band D read from the CTR workbooks (source.yaml cambridgeshire_check):
    cumulative £134.81 by 2021-22 and £206.19 by 2023-24; two values without an interval: direction only."""
    elements = [22.86, 23.31, 23.81, 25.00, 26.24, 13.59, 41.99, 29.39]  # 2016-17 .. 2023-24
    out = s02.pledge_use_asc_precept(ctx(CAMBS))
    assert out.verdict == "direction only" and out.direction == "improving"
    assert f"£{sum(elements[:6]):,.2f}" in out.evidence and f"£{sum(elements):,.2f}" in out.evidence
    assert out.latest == "2.0% (2023-24)"


def test_precept_claim_uses_the_last_year_set_before_the_manifesto():
    out = s02.claim_precept_rate(ctx(CAMBS), claimed_pct=2.0, tolerance_pp=0.5)
    assert out.period == "2021-22"
    # in 2021-22 councils could levy up to 3% (most did), so "a 2% precept" is judged against a median of 3%
    assert out.value == pytest.approx(3.0, abs=0.01) and out.verdict == "not supported"
    assert s02.claim_precept_rate(ctx(CAMBS), claimed_pct=3.0, tolerance_pp=0.5).verdict == "supported"


def test_councils_without_data_raise_nodata_not_errors():
    # created in 2021: no ASC precept return for 2021-22, fewer than three Oflog years since 2019-20
    with pytest.raises(verdicts.NoData):
        s02.pledge_use_asc_precept(ctx("E06000061"))
    with pytest.raises(verdicts.NoData, match="too few years"):
        s02.pledge_stay_at_home(ctx("E06000061"))
    # not in the age-band file
    with pytest.raises(verdicts.NoData):
        s02.claim_very_old_growing(ctx("E06000053"))
    with pytest.raises(verdicts.NoData):
        s02.pledge_preventive_investment(ctx("E09000001"))
    # almost no deaths in council-run homes: no share to track
    with pytest.raises(verdicts.NoData, match="too few deaths"):
        s02.pledge_own_residential_care(ctx("E09000001"))


def test_oflog_pledge_leaves_out_the_covid_year():
    out = s02.pledge_stay_at_home(ctx(CAMBS))
    assert "2020 left out" in out.evidence
    assert out.verdict in verdicts.PLEDGE_STATUSES and out.direction in verdicts.DIRECTIONS


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


# --- disability support and care staff pledges ------------------------------------------------------------

AWKWARD = ["E06000053", "E09000001", "E06000063", "E06000061"]


@needs_mirror
def test_disability_support_sums_three_ro3_lines_read_from_the_raw_file():
    # RO3 net current expenditure, Cambridgeshire CC, adults 18-64: physical 13,353 + learning disability 77,153
    # + mental health 8,212 = 98,718 (2023-24); 13,049 + 80,733 + 9,838 = 103,620 (2024-25)
    out = s02.pledge_disability_support(ctx(CAMBS))
    assert out.value == 103620.0
    assert "£98.7 million in 2023-24 and £103.6 million in 2024-25" in out.evidence
    assert out.verdict == "direction only" and out.direction == "improving"


@needs_mirror
def test_care_staff_pledge_is_a_turnover_trend_lower_is_better():
    rows = [
        r
        for r in csv.DictReader(open(mirror(s02.ASC_OUTCOMES) / "ASC_data.csv", encoding="utf-8-sig"))
        if r["Local authority code"] == CAMBS and r["Code"] == "ASC7"
    ]
    latest = max(rows, key=lambda r: r["Financial year"])
    out = s02.pledge_care_staff_retention(ctx(CAMBS))
    assert latest["Financial year"] == "2022-23" and out.latest == f"{float(latest['Value']):.1f}% (2022-23)"
    # the 2020-21 break is left out: three points remain, and a slope whose interval spans zero is no clear change
    assert "2020 left out" in out.evidence and out.direction == "no clear change"
    assert out.verdict == "no clear change"


@needs_mirror
@pytest.mark.parametrize("code", AWKWARD)
def test_new_02_pledges_run_or_say_no_data_for_awkward_councils(code):
    for fn in (s02.pledge_disability_support, s02.pledge_care_staff_retention):
        try:
            out = fn(ctx(code))
        except verdicts.NoData as exc:
            assert str(exc)
        else:
            assert out.verdict in verdicts.PLEDGE_STATUSES and "nan" not in out.evidence
