"""Briefing 05 (net zero): the section module's rules on made-up series with known answers, and the
emissions parser checked against the raw file and the published check values in source.yaml."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import fetch
from helpers.errors import ParameterError
from helpers.sections import s05_net_zero as s05

from .conftest import MIRROR

DATASET = s05.DATASET
YEARS = np.arange(2005, 2021)


# --- required rates and paths: closed-form answers ---------------------------------------------------


def test_required_path_ends_at_target_and_is_geometric():
    path = s05.required_path(100, 2020, 25, 2022)
    assert path["year"].tolist() == [2020, 2021, 2022]
    assert path["value"].tolist() == pytest.approx([100, 50, 25])
    linear = s05.required_path(90, 2020, 0, 2023)
    assert linear["value"].tolist() == pytest.approx([90, 60, 30, 0])


def test_trajectory_recovers_exact_exponential_decline():
    # an exact 10% fall a year: the trend's APC is -10, the projection continues it exactly
    values = 1000 * 0.9 ** (YEARS - 2005)
    t = s05.trajectory(YEARS, values, target_year=2030, residual_share=0.05)
    assert t.trend.annual_pct_change == pytest.approx(-10.0, abs=1e-6)
    assert t.at_target["mean"] == pytest.approx(1000 * 0.9**25, rel=1e-6)
    assert t.target_value == pytest.approx(50.0)
    assert t.required == pytest.approx(100 * ((50 / values[-1]) ** (1 / 10) - 1))
    # 1000 * 0.9**k = 50  ->  k = ln(0.05) / ln(0.9)
    assert t.reach_year == pytest.approx(2005 + math.log(0.05) / math.log(0.9), rel=1e-6)
    assert t.path["value"].iloc[0] == pytest.approx(values[-1])
    assert t.path["value"].iloc[-1] == pytest.approx(50.0)


def test_target_year_parameter_is_checked():
    values = 1000 * 0.9 ** (YEARS - 2005)
    for target in (2030, 2040, 2050):
        assert s05.trajectory(YEARS, values, target_year=target).projection["year"].iloc[-1] == target
    with pytest.raises(ParameterError, match="after the last year"):
        s05.trajectory(YEARS, values, target_year=2019)
    with pytest.raises(ParameterError, match="residual_share"):
        s05.trajectory(YEARS, values, target_year=2030, residual_share=1.5)


# --- on/off track on constructed series ---------------------------------------------------------------


def _noisy(rate: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1000 * (1 + rate) ** (YEARS - 2005) * np.exp(rng.normal(0, 0.01, len(YEARS)))


def test_slow_decline_is_off_track_for_2030():
    t = s05.trajectory(YEARS, _noisy(-0.02), target_year=2030, residual_share=0.05)
    assert t.status == "off track"


def test_fast_decline_is_on_track():
    # 15% a year: 87 in 2020, needing only about -5.4%/yr to reach 5% of 2005 (50) by 2030
    t = s05.trajectory(YEARS, _noisy(-0.15), target_year=2030, residual_share=0.05)
    assert t.required == pytest.approx(100 * ((t.target_value / t.last_value) ** 0.1 - 1))
    assert t.status == "on track"


def test_level_already_below_residual_is_on_track():
    t = s05.trajectory(YEARS, _noisy(-0.25), target_year=2030, residual_share=0.05)
    assert t.last_value < t.target_value
    assert t.status == "on track"


def test_rate_equal_to_required_is_uncertain():
    # a 5%/yr fall with alternating noise; the residual is set so that exactly -5%/yr is needed
    # from 2020 to 2040: 1030 * 0.95**15 * 0.95**20 = residual * 970 (the 2005 value)
    values = 1000 * 0.95 ** (YEARS - 2005) * np.where(YEARS % 2 == 0, 1.03, 0.97)
    t = s05.trajectory(YEARS, values, target_year=2040, residual_share=0.95**35 * 1.03 / 0.97)
    assert t.required == pytest.approx(-5.0)
    assert t.result.observed_lower < t.required < t.result.observed_upper
    assert t.status == "uncertain"


def test_zero_residual_uses_linear_rates():
    values = 1000 - 30.0 * (YEARS - 2005)  # falls 30 kt a year: 550 in 2020, needs -55/yr to reach 0 by 2030
    t = s05.trajectory(YEARS, values, target_year=2030, residual_share=0.0)
    assert t.test_trend.kind == "ols"
    assert t.required == pytest.approx(-55.0)
    assert t.status == "off track"
    assert t.reach_year == pytest.approx(2005 + 1000 / 30)


def test_break_year_is_left_out_and_the_path_starts_before_it():
    # an exact 10% fall a year, with a lockdown dip of a third in the last year (2020)
    values = 1000 * 0.9 ** (YEARS - 2005) * np.where(YEARS == 2020, 2 / 3, 1.0)
    brk = [{"year": 2020, "kind": "exclude", "reason": "Covid-19"}]
    t = s05.trajectory(YEARS, values, target_year=2030, residual_share=0.05, breaks=brk)
    assert t.excluded_years == (2020,)
    assert t.last_year == 2019 and t.data_last_year == 2020
    assert t.last_value == pytest.approx(1000 * 0.9**14)
    assert t.trend.annual_pct_change == pytest.approx(-10.0, abs=1e-6)  # the dip does not steepen the fall
    # closed form from 2019: 100 * ((50 / (1000 * 0.9**14)) ** (1/11) - 1)
    assert t.required == pytest.approx(100 * ((50 / (1000 * 0.9**14)) ** (1 / 11) - 1))
    assert "2020 left out" in t.years_text
    # without the break the dip pulls the slope down: the test would see a faster fall than the real one
    assert s05.trajectory(YEARS, values, 2030, 0.05).trend.annual_pct_change < -10.5


def test_registry_declares_the_covid_breaks():
    assert [b["year"] for b in s05.co2_breaks()] == [2020]
    assert [b["year"] for b in s05.ghg_breaks()] == [2020, 2021]
    assert s05.breaks_for(s05.ELS, "claimant-count") == ()  # a table-scoped break does not leak to other tables


def test_trend_comparison_labels_faster_fall_as_better():
    rows = []
    for code, rate in (("E92000001", -0.03), ("E10000003", -0.06), ("E10000002", -0.01), ("E10000006", -0.03)):
        rows += [
            {"area_code": code, "year": y, "v": 100 * (1 + rate) ** (y - 2005) * (1.001 if y % 2 else 0.999)}
            for y in YEARS
        ]
    out = s05.trend_comparison(pd.DataFrame(rows), ["E10000003", "E10000002", "E10000006", "E92000001"], "v", names={})
    labels = dict(zip(out["area_code"], out["vs_benchmark"], strict=True))
    assert labels == {"E10000003": "better", "E10000002": "worse", "E10000006": "similar", "E92000001": "benchmark"}


def test_sector_trajectories_mark_zero_sectors_not_assessed():
    rows = []
    for y in YEARS:
        rows.append(
            {
                "area_code": "X",
                "year": y,
                "sector": "Transport",
                "component": "Total",
                "kt_co2": 100 * 0.97 ** (y - 2005) * (1.01 if y % 2 else 0.99),
            }
        )
        rows.append({"area_code": "X", "year": y, "sector": "Waste Management", "component": "Total", "kt_co2": 0.0})
    out = s05.sector_trajectories(pd.DataFrame(rows), "X", 2030, 0.05).set_index("sector")
    assert out.loc["Waste Management", "status"] == "not assessed"
    assert out.loc["Transport", "status"] == "off track"
    assert out["latest_share_pct"].sum() == pytest.approx(100.0)


# --- real data: parser against the raw file and the published check values ----------------------------

needs_mirror = pytest.mark.needs_mirror


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(fetch.fetch(DATASET, "local_authority_emissions.csv"))


@pytest.fixture(scope="module")
def long():
    return s05.sector_long()


@needs_mirror
def test_sector_shares_sum_to_raw_total_for_cambridgeshire(raw, long):
    row = raw[(raw["local-authority-code"] == "CAM") & (raw["Year"] == 2019)].iloc[0]
    shares = s05.sector_shares(long, "E10000003", 2019)
    assert shares["share_pct"].sum() == pytest.approx(100.0, abs=0.01)
    assert shares["kt_co2"].sum() == pytest.approx(row["Total Emissions:kt CO2"], abs=0.1)
    transport = shares.set_index("sector").loc["Transport"]
    assert transport["kt_co2"] == pytest.approx(row["Transport Total:kt CO2"])
    assert transport["share_pct"] == pytest.approx(100 * row["Transport Total:kt CO2"] / row["Total Emissions:kt CO2"])


@needs_mirror
def test_components_add_up_to_sector_totals(long):
    cam = long[(long["area_code"] == "E10000003") & (long["year"] == 2020)]
    parts = cam[cam["component"] != "Total"].groupby("sector")["kt_co2"].sum()
    totals = cam[cam["component"] == "Total"].set_index("sector")["kt_co2"]
    pd.testing.assert_series_equal(parts.sort_index(), totals.sort_index(), check_names=False, atol=1e-6)


def _check_values():
    text = yaml.safe_load((MIRROR / DATASET / "source.yaml").read_text())["cambridgeshire_check"]
    found = re.findall(r"(\d{4}) ([A-Z]{3}) (E\d{8})[^,;\n]*? (\d+\.\d), (\d+\.\d\d)", text)
    # lines like "2019 3423.1, 5.24" carry the previous line's council
    found += [(y, "CAM", "E10000003", t, p) for y, t, p in re.findall(r"; (\d{4}) (\d+\.\d), (\d+\.\d\d)", text)]
    return found


@needs_mirror
def test_parser_matches_cambridgeshire_check_values():
    checks = _check_values()
    assert len(checks) >= 6
    totals = s05.council_totals().set_index(["la_code", "year"])
    for year, la, gss, total, per_person in checks:
        row = totals.loc[(la, int(year))]
        assert row["area_code"] == gss
        assert round(row["total_kt_co2"], 1) == pytest.approx(float(total), abs=0.051)
        assert round(row["per_person_t"], 2) == pytest.approx(float(per_person), abs=0.0051)


@needs_mirror
def test_population_in_emissions_file_matches_ons_mid_2020_estimate():
    # independent source: ONS mid-2020 estimates by age (population_age_bands_la_mid2019_mid2020), ages 0-59
    # plus 60+, against the population carried in the emissions file (a different publisher's copy)
    from helpers.datasets import load

    ages = load("population_age_bands_la_mid2019_mid2020")
    ons = (
        ages[(ages["year"] == 2020) & ages["age_band"].isin(["00_59", "60+"])].groupby("area_code")["population"].sum()
    )
    totals = s05.council_totals()
    pop = totals[totals["year"] == 2020].set_index("area_code")["population"]
    assert ons.loc["E10000003"] == 657204  # read from the ONS file: 492,809 aged 0-59 + 164,395 aged 60+
    assert pop.loc["E10000003"] == pytest.approx(657204, rel=0.001)
    joined = pd.concat([pop, ons], axis=1, keys=["emissions", "ons"]).dropna()
    # the age-band file counts Hackney with the City of London (291,879 = 280,941 + the City's 10,938)
    assert joined.loc["E09000012", "ons"] - joined.loc["E09000012", "emissions"] == pytest.approx(10938)
    joined = joined.drop(index="E09000012")
    assert len(joined) > 250
    assert np.allclose(joined["emissions"], joined["ons"], rtol=0.005)


# --- register tests on real data ------------------------------------------------------------------------


def _ctx(code: str):
    from helpers import areas, register

    return register.Context(area=areas.resolve(code), manifesto=register.load(), section="05_net_zero")


@needs_mirror
def test_faster_cuts_claim_for_cambridgeshire_uses_2019_start_and_closed_form_rate():
    out = s05.claim_faster_cuts_needed(_ctx("E10000003"))
    assert out.verdict == "supported"
    assert "2005 to 2019 (2020 left out" in out.evidence
    # needed from 2019 (3423.1 kt, source.yaml check) to 5% of 2005 (4984.2 kt) by 2030, constant % a year
    need = 100 * ((0.05 * 4984.2 / 3423.1) ** (1 / 11) - 1)
    assert f"{need:.1f}%" in out.evidence
    assert "Since then: Greenhouse gases per resident" in out.evidence and out.period_end == 2019


@needs_mirror
def test_waste_pledge_county_uses_disposal_authority_series():
    out = s05.pledge_waste(_ctx("E10000003"))
    assert "58.7% in 2014-15" in out.evidence and "53.9% (2020-21)" in out.evidence  # source.yaml check values
    unitary = s05.pledge_waste(_ctx("E06000031"))
    assert "44.0% in 2015-16" in unitary.evidence and "39.6% (2023-24)" in unitary.evidence


@needs_mirror
def test_england_total_is_sum_of_tiling_councils(raw):
    totals = s05.council_totals()
    england = s05.benchmark_totals(totals).set_index(["area_code", "year"]).loc[("E92000001", 2020)]
    codes = totals[(totals["year"] == 2020) & totals["area_code"].str[:3].isin(s05.TILING_PREFIXES)]["la_code"]
    expected = raw[(raw["Year"] == 2020) & raw["local-authority-code"].isin(codes)]["Total Emissions:kt CO2"].sum()
    assert england["total_kt_co2"] == pytest.approx(expected)
    # a county's total is the sum of its districts' in the raw file, which is why counties are left out
    from helpers import areas

    district_codes = [d.la_code for d in areas.districts_of("E10000003")]
    year_2020 = raw[raw["Year"] == 2020].set_index("local-authority-code")["Total Emissions:kt CO2"]
    assert year_2020.loc[district_codes].sum() == pytest.approx(year_2020.loc["CAM"], rel=1e-9)
