"""Tests of briefing 04's helpers (``helpers.sections.s04_public_health``) and parsers (``helpers.parsers.health``).

Unit tests use small made-up frames with known answers; the real-data checks compare parsed values with rows
read independently from the raw files (``csv`` module) and with the ``cambridgeshire_check`` rows of each
dataset's ``source.yaml``.
"""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import areas, load, register, verdicts
from helpers.sections import s04_public_health as s

from .conftest import MIRROR

needs_mirror = pytest.mark.needs_mirror


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, last",
    [
        ("2016 - 18", 2018),
        ("2016-18", 2018),
        ("2017/18", 2018),
        ("2019", 2019),
        ("2020/21 - 24/25", 2025),
        ("2020-01-01/P3Y", 2022),
        ("2019-04-01/P1Y", 2019),
    ],
)
def test_period_last_year(label, last):
    assert s.period_last_year(label) == last


def test_latest_period_respects_cut_off():
    f = pd.DataFrame({"period": ["2016 - 18", "2017 - 19", "2021 - 23"], "value": [1.0, 2.0, 3.0]})
    assert s.latest_period(f)["value"].tolist() == [3.0]
    assert s.latest_period(f, last_year=2019)["value"].tolist() == [2.0]
    assert s.latest_period(f, last_year=2010).empty


# --- the deprivation regression -------------------------------------------------------------------


def test_deprivation_gradient_recovers_known_slope():
    rng = np.random.default_rng(42)
    x = np.linspace(5, 45, 200)
    y = 84.0 - 0.2 * x + rng.normal(0, 0.5, x.size)
    frame = pd.DataFrame({"area_code": [f"E0700{i:04d}" for i in range(x.size)], "imd_score": x, "value": y})
    g = s.deprivation_gradient(frame)
    assert g.n == 200
    assert g.slope_lower < -0.2 < g.slope_upper
    assert g.slope == pytest.approx(-0.2, abs=0.01)
    assert g.intercept == pytest.approx(84.0, abs=0.3)
    assert g.r2 > 0.9
    assert 0 <= g.bp_p_value <= 1 and "OLS" in g.assumptions
    # prediction intervals contain about 95% of points and are wider than the line's CI
    inside = (g.points["outside_pi"] == "within").mean()
    assert 0.9 < inside <= 1.0
    assert (g.points["pi_upper"] - g.points["pi_lower"]).min() > (g.line["ci_upper"] - g.line["ci_lower"]).max()
    assert np.allclose(g.points["residual"], g.points["value"] - g.points["fitted"])


def test_deprivation_gradient_exact_line_and_outlier():
    x = np.arange(1.0, 21.0)
    frame = pd.DataFrame({"imd_score": x, "value": 80.0 - 0.5 * x})
    frame.loc[10, "value"] -= 5.0  # one council far below the line
    g = s.deprivation_gradient(frame)
    assert g.points.loc[10, "outside_pi"] == "below"
    assert (g.points.drop(index=10)["outside_pi"] == "within").all()
    with pytest.raises(ValueError, match="at least 3"):
        s.deprivation_gradient(frame.head(2))


def test_heteroscedastic_data_flagged_by_breusch_pagan():
    rng = np.random.default_rng(1)
    x = np.linspace(1, 50, 300)
    y = 80 - 0.1 * x + rng.normal(0, 0.05 * x)  # spread grows with x
    g = s.deprivation_gradient(pd.DataFrame({"imd_score": x, "value": y}))
    assert g.bp_p_value < 0.05 and "doubtful" in g.assumptions


# --- helpers of the claim tests --------------------------------------------------------------------


def test_versus():
    assert s.versus("similar") == "similar to England" and s.versus("worse") == "worse than England"


def test_flag_interval_stands_in_for_the_published_comparison():
    # "better": the interval lies above England, so the value bounds it and judge() sees it wholly above
    lo, hi = s.flag_interval(81.0, 79.6, "better")
    assert verdicts.judge(81.0, 79.6, claimed="above", lower=lo, upper=hi)[0] == "supported"
    # "similar": the interval contains England's value
    lo, hi = s.flag_interval(80.0, 79.6, "similar")
    assert lo <= 79.6 <= hi
    assert verdicts.judge(80.0, 79.6, claimed="above", lower=lo, upper=hi)[0] == "partly supported"
    assert verdicts.judge_similar(79.6, 80.0, lo, hi)[0] == "supported"
    lo, hi = s.flag_interval(78.0, 79.6, "worse")
    assert verdicts.judge(78.0, 79.6, claimed="above", lower=lo, upper=hi)[0] == "not supported"
    assert all(np.isnan(s.flag_interval(78.0, 79.6, "not compared")))


def test_outcome_profile_share_better():
    rows = pd.DataFrame(
        {"area_code": ["A"] * 4 + ["B"] * 2, "flag": ["better", "better", "similar", "higher", "worse", "similar"]}
    )
    le = pd.DataFrame({"area_code": ["A", "B", s.ENGLAND], "flag": ["better", "worse", "not compared"]})
    prof = s.outcome_profile(rows, le).set_index("area_code")
    # "higher" has no judgement and England is left out
    assert prof.loc["A", ["better", "similar", "worse", "judged"]].tolist() == [3, 1, 0, 4]
    assert prof.loc["A", "share_better"] == pytest.approx(0.75)
    assert prof.loc["B", "share_better"] == 0
    assert s.ENGLAND not in prof.index


def test_normalise_flag():
    assert [s.normalise_flag(f) for f in ["Better", "Similar", "Worse", "Higher 99.8", "Not compared", None, ""]] == [
        "better",
        "similar",
        "worse",
        "higher",
        "not compared",
        "not compared",
        "not compared",
    ]


# --- significance ---------------------------------------------------------------------------------


def test_rescale_interval():
    lo, hi = s.rescale_interval(80.0, 79.0, 81.0, to_confidence=0.95)
    assert lo == pytest.approx(79.0) and hi == pytest.approx(81.0)
    lo, hi = s.rescale_interval(80.0, 79.0, 81.0, to_confidence=0.998)
    # z(0.999) / z(0.975) = 3.0902 / 1.9600
    assert hi - 80.0 == pytest.approx(3.090232 / 1.959964, rel=1e-5)
    assert 80.0 - lo == pytest.approx(hi - 80.0)


def test_significance_table_labels_both_levels():
    f = pd.DataFrame(
        {"value": [78.0, 80.0, 79.6, 79.5], "lower": [77.5, 79.8, 79.1, 79.0], "upper": [78.5, 80.2, 80.1, 80.0]}
    )
    out = s.significance_table(f, 79.0)
    # a limit equal to the benchmark is "similar" (the interval touches it)
    assert out["vs_england_95"].tolist() == ["worse", "better", "better", "similar"]
    # 79.6 +/- 0.5 at 95% -> +/- 0.79 at 99.8%: overlaps 79.0
    assert out["vs_england_998"].tolist() == ["worse", "better", "similar", "similar"]


# --- selections -----------------------------------------------------------------------------------


def test_district_gap():
    le = pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "A", "B", "C", "A", "B"],
            "area_name": ["Ay", "Bee", "Cee"] * 2 + ["Ay", "Bee"],
            "period": ["2015 - 17"] * 3 + ["2016 - 18"] * 3 + ["2017 - 19"] * 2,
            "year": [2015] * 3 + [2016] * 3 + [2017] * 2,
            "sex": "Male",
            "value": [80.0, 78.0, 82.0, 80.5, 78.5, 81.0, 80.0, 79.0],
        }
    )
    g = s.district_gap(le, ["A", "B", "C"])
    assert g["period"].tolist() == ["2015 - 17", "2016 - 18"]  # 2017-19 lacks C
    assert g["gap"].tolist() == pytest.approx([4.0, 2.5])
    assert g["best"].tolist() == ["Cee", "Cee"] and g["worst"].tolist() == ["Bee", "Bee"]


def test_imd_scores_current_drops_merged_councils():
    imd = pd.DataFrame(
        {
            "area_code": ["E07000026", "E07000028", "E07000010"],
            "area_name": ["a", "b", "Fenland"],
            "edition": 2019,
            "domain": "imd",
            "average_score": [20.0, 25.0, 27.0],
        }
    )
    merge = {"E07000026": "E06000063", "E07000028": "E06000063"}
    out, merged = s.imd_scores_current(imd, lambda codes: codes.map(lambda c: merge.get(c, c)))
    assert merged == ["E06000063"]
    assert out["current_code"].tolist() == ["E07000010"] and out["imd_score"].tolist() == [27.0]


def test_population_by_code_sums_five_year_bands():
    pop = pd.DataFrame(
        {
            "area_code": "X",
            "year": 2020,
            "age_band": ["00_04", "05_09", "00_59", "60+", "90+", "0_4"],
            "population": [10, 20, 30, 40, 5, 10],
        }
    )
    assert s.population_by_code(pop)["X"] == 35


# --- parsers against the raw files ----------------------------------------------------------------


def _raw_rows(dataset: str, file: str) -> list[dict]:
    path = MIRROR / dataset / file
    opener = gzip.open if file.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@needs_mirror
def test_fingertips_life_expectancy_matches_raw_rows():
    from helpers.datasets import load

    le = load(s.LE_DATASET, "life_expectancy")
    raw = _raw_rows(s.LE_DATASET, "life_expectancy.csv")
    assert len(le) == len(raw)
    fenland = [r for r in raw if r["area_code"] == "E07000010"]
    assert fenland
    for r in fenland:
        row = le[(le["area_code"] == r["area_code"]) & (le["period"] == r["period"]) & (le["sex"] == r["inequality"])]
        assert len(row) == 1
        assert row["value"].iloc[0] == pytest.approx(float(r["value"]))
        assert row["compared_to_england"].iloc[0] == r["compared_to_England"]
        assert row["year"].iloc[0] == int(r["period"][:4])
    # the cambridgeshire_check rows written in the dataset's source.yaml
    check = yaml.safe_load((MIRROR / s.LE_DATASET / "source.yaml").read_text())["cambridgeshire_check"]
    for line in check.splitlines():
        parts = line.strip().split(",")
        if len(parts) == 10 and parts[0].startswith("E07"):
            code, period, value, flag, sex = parts[0], parts[3], float(parts[7]), parts[8], parts[9]
            row = le[(le["area_code"] == code) & (le["period"] == period) & (le["sex"] == sex)]
            assert row["value"].iloc[0] == pytest.approx(value) and row["compared_to_england"].iloc[0] == flag


@needs_mirror
def test_ons_life_expectancy_matches_raw_and_source_check():
    from helpers.datasets import load

    ons = load(s.ONS_LE_DATASET)
    raw = [
        r
        for r in _raw_rows(s.ONS_LE_DATASET, "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["age-groups"] == "0-1"
    ]
    assert len(ons) == len(raw)
    check = yaml.safe_load((MIRROR / s.ONS_LE_DATASET / "source.yaml").read_text())["cambridgeshire_check"]
    lines = [ln.split(",") for ln in check.splitlines() if ln.count(",") == 10]
    assert len(lines) >= 8
    for v, lo, hi, _t, _t2, code, _name, _sex, sex, _a, _b in lines:
        row = ons[(ons["area_code"] == code) & (ons["sex"] == sex)]
        assert (row["value"].iloc[0], row["lower"].iloc[0], row["upper"].iloc[0]) == pytest.approx(
            (float(v), float(lo), float(hi))
        )


@needs_mirror
def test_fingertips_risk_factor_files_match_source_check():
    from helpers.datasets import load

    check = yaml.safe_load((MIRROR / s.TDL / "source.yaml").read_text())["cambridgeshire_check"]
    tested = 0
    for line in check.splitlines()[1:]:
        file, _, rest = line.strip().partition(": ")
        row = next(csv.reader([rest]))
        code, period, value, flag = row[0], row[3], float(row[7]), row[8]
        frame = load(s.TDL, file.removesuffix(".csv"))
        indicator = row[4].removesuffix("...").rstrip(", ")  # source.yaml abbreviates long names with "..."
        hit = frame[
            (frame["area_code"] == code)
            & (frame["period"] == period)
            & frame["indicator"].str.startswith(indicator)
            & (frame["sex"] == "Persons")
            & (frame["category"] == "")
        ]
        assert len(hit) == 1, line
        assert hit["value"].iloc[0] == pytest.approx(value) and hit["compared_to_england"].iloc[0] == flag
        tested += 1
    assert tested >= 8
    mortality = load(s.TDL, "mortality_rate")
    assert set(mortality["sex"]) == {"Male", "Female", "Persons"}
    assert mortality.attrs["suppressed_cells"] == sum(
        r["value"] in ("", "NA") for r in _raw_rows(s.TDL, "mortality_rate.csv")
    )


@needs_mirror
def test_fenland_2016_18_significance_matches_published_intervals():
    """Fenland 2016-18: the published ONS 95% limits lie wholly below England's 2016-18 value, so both sexes are
    'worse' at 95% (as OHID's own flag says); at 99.8% the derived limits reach England's value ('similar')."""
    from helpers.datasets import load

    raw = {
        r["sex"]: r
        for r in _raw_rows(s.ONS_LE_DATASET, "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["administrative-geography"] == "E07000010" and r["age-groups"] == "0-1"
    }
    england = {
        r["inequality"]: float(r["value"])
        for r in _raw_rows(s.LE_DATASET, "life_expectancy.csv")
        if r["area_code"] == "E92000001" and r["period"] == "2016 - 18"
    }
    ft_flags = {
        r["inequality"]: r["compared_to_England"]
        for r in _raw_rows(s.LE_DATASET, "life_expectancy.csv")
        if r["area_code"] == "E07000010" and r["period"] == "2016 - 18"
    }
    ons = load(s.ONS_LE_DATASET)
    fen = ons[ons["area_code"] == "E07000010"].copy()
    out = s.significance_table(fen, fen["sex"].map(england)).set_index("sex")
    for sex in ("Male", "Female"):
        upper = float(raw[sex.lower()]["Upper CI"])
        implied = (
            "worse"
            if upper < england[sex]
            else ("better" if float(raw[sex.lower()]["Lower CI"]) > england[sex] else "similar")
        )
        assert out.loc[sex, "vs_england_95"] == implied == "worse"
        assert ft_flags[sex].lower() == implied
        assert out.loc[sex, "upper_998"] >= england[sex] and out.loc[sex, "vs_england_998"] == "similar"


# --- the register's claim tests and pledge trackers, on real data ---------------------------------------


def ctx(code: str) -> register.Context:
    return register.Context(area=areas.resolve(code), manifesto=register.load(), section="04_public_health")


@needs_mirror
def test_peterborough_fenland_claim_judged_at_the_jsna_period_on_raw_intervals():
    """ONS 2016-18: the published 95% upper limits of Peterborough and Fenland, both sexes, lie below England's
    2016-18 value (OHID), so each part holds; one entry, judged at 2016-18, the latest period reported since."""
    england = {
        r["inequality"]: float(r["value"])
        for r in _raw_rows(s.LE_DATASET, "life_expectancy.csv")
        if r["area_code"] == "E92000001" and r["period"] == "2016 - 18"
    }
    raw = [
        r
        for r in _raw_rows(s.ONS_LE_DATASET, "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["administrative-geography"] in ("E06000031", "E07000010") and r["age-groups"] == "0-1"
    ]
    assert len(raw) == 4
    assert all(float(r["Upper CI"]) < england[r["sex"].capitalize()] for r in raw)
    out = s.claim_le_named_lower(ctx("E10000003"), councils=["E06000031", "E07000010"])
    assert out.verdict == "supported" and out.period == "2016-18" and out.period_end == 2018
    assert "Since then" in out.evidence and "judged at the latest period available by 2021" in out.rule


@needs_mirror
def test_cambridge_claim_similar_female_higher_male_on_raw_intervals():
    raw = {
        r["sex"]: r
        for r in _raw_rows(s.ONS_LE_DATASET, "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["administrative-geography"] == "E07000008" and r["age-groups"] == "0-1"
    }
    england = {
        r["inequality"]: float(r["value"])
        for r in _raw_rows(s.LE_DATASET, "life_expectancy.csv")
        if r["area_code"] == "E92000001" and r["period"] == "2016 - 18"
    }
    female_similar = float(raw["female"]["Lower CI"]) <= england["Female"] <= float(raw["female"]["Upper CI"])
    male_higher = float(raw["male"]["Lower CI"]) > england["Male"]
    out = s.claim_le_cambridge_mixed(ctx("E10000003"), council="E07000008")
    assert out.verdict == ("supported" if female_similar and male_higher else "partly supported") == "supported"


def test_county_claim_weighted_mean_lies_within_its_districts():
    out = s.claim_le_county_higher(ctx("E10000003"), county="E10000003")
    assert out.period == "2016-18" and out.verdict in verdicts.CLAIM_VERDICTS
    le = s.jsna_life_expectancy("jsna")
    districts = [d.code for d in areas.districts_of("E10000003")]
    male = le[le["area_code"].isin(districts) & (le["sex"] == "Male")]["value"]
    import re

    mean = float(re.search(r"\bmales (\d+\.\d+) years", out.evidence).group(1))
    assert male.min() <= mean <= male.max()


def test_health_outcomes_claim_is_one_entry_with_both_periods():
    params = {
        "county": "E10000003",
        "better": ["E10000003", "E07000009", "E07000011", "E07000012"],
        "not_better": ["E06000031", "E07000010"],
        "mixed": ["E07000008"],
    }
    out = s.claim_health_outcomes_pattern(ctx("E10000003"), **params)
    assert out.period == "2016-18" and "Since then: 2023-25" in out.evidence
    assert out.verdict in verdicts.CLAIM_VERDICTS[:3]


def test_jsna_claims_apply_to_cambridgeshire_only():
    m = register.load()
    reg = m.sections["04_public_health"]
    jsna = [e for e in reg.claims if e.id.startswith("jsna-")]
    assert len(jsna) == 4
    for e in jsna:
        assert register.applies(e, "E10000003") == "as written"
        assert register.applies(e, "E06000053") is None


def test_inequality_pledge_latest_is_mean_of_published_gaps():
    gap = s.district_gap(load(s.LE_DATASET, "life_expectancy"), [d.code for d in areas.districts_of("E10000003")])
    last = gap[gap["year"] == gap["year"].max()]
    out = s.pledge_reduce_health_inequality(ctx("E10000003"))
    assert out.latest.startswith(f"{last['gap'].mean():.1f} years")
    assert out.verdict in verdicts.PLEDGE_STATUSES


def test_councils_without_life_expectancy_raise_nodata():
    for code in ("E06000053", "E09000001"):
        with pytest.raises(verdicts.NoData):
            s.pledge_reduce_health_inequality(ctx(code))
