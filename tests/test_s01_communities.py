"""Briefing 01 (communities and Covid recovery): the section helpers on made-up frames with known answers,
and the fuel poverty parsers checked against the raw CSVs and the published check rows in source.yaml."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import areas, fetch, register, verdicts
from helpers.datasets import load
from helpers.sections import s01_communities as s01
from helpers.stats import wilson_ci

from .conftest import MIRROR

FP_OLD, FP_NEW = "fuel_poverty_la_2010_2019", "fuel_poverty_la_2020_2021_lilee"


# --- targeting shares ---------------------------------------------------------------------------------


def _pool() -> pd.DataFrame:
    # 10 small areas in two districts; national ranks 1 (most deprived) ... ; deciles given directly
    return pd.DataFrame(
        {
            "district": ["A", "A", "A", "B", "B", "B", "B", "B", "B", "B"],
            "imd_rank": [5, 40, 900, 20, 3000, 5000, 8000, 9000, 12000, 30000],
            "imd_decile": [1, 1, 2, 1, 3, 4, 5, 5, 6, 10],
            "population": [1000, 1000, 1000, 1500, 1500, 1500, 1500, 1500, 1500, 1500],
        }
    )


def test_targeting_shares_known_answer():
    out = s01.targeting_shares(_pool(), "district").set_index("district")
    # the pool's own most deprived 20% = floor(0.2 * 10) = 2 areas: ranks 5 (A) and 20 (B)
    assert out.loc["A", "n_local_most_deprived"] == 1 and out.loc["B", "n_local_most_deprived"] == 1
    assert out.loc["A", "share_local_most_deprived"] == pytest.approx(0.5)
    # England's most deprived 20% = deciles 1-2: A has 3 (ranks 5, 40, 900), B has 1 (rank 20)
    assert out.loc["A", "n_england_most_deprived"] == 3
    assert out.loc["A", "share_england_most_deprived"] == pytest.approx(0.75)
    # population shares: A 3,000 of 13,500
    assert out.loc["A", "population_share"] == pytest.approx(3000 / 13500)
    assert out.loc["A", "need_ratio_england"] == pytest.approx(0.75 / (3000 / 13500))
    assert out.loc["B", "n_lsoa"] == 7


def test_targeting_shares_local_fraction_and_no_deprived_areas():
    pool = _pool().assign(imd_decile=lambda d: d["imd_decile"].clip(lower=5))
    out = s01.targeting_shares(pool, "district", local_fraction=0.3).set_index("district")
    assert out["n_local_most_deprived"].sum() == 3  # floor(0.3 * 10)
    assert out.loc["A", "n_local_most_deprived"] == 2  # ranks 5 and 40; B has rank 20
    assert out["share_england_most_deprived"].isna().all()  # no area in deciles 1-2: share undefined
    with pytest.raises(ValueError):
        s01.targeting_shares(pool, "district", local_fraction=0)


def test_targeting_shares_sum_to_one_constructed():
    out = s01.targeting_shares(_pool(), "district")
    for col in ("population_share", "share_local_most_deprived", "share_england_most_deprived"):
        assert out[col].sum() == pytest.approx(1.0)


@pytest.mark.needs_mirror
def test_targeting_shares_sum_to_one_cambridgeshire():
    imd = load("imd2019_lsoa_england")
    cambs = imd[imd["lad19_code"].isin(["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"])]
    out = s01.targeting_shares(cambs, "lad19_code")
    assert len(out) == 5
    for col in ("population_share", "share_local_most_deprived", "share_england_most_deprived"):
        assert out[col].sum() == pytest.approx(1.0)
    # the county's own most deprived 20%: floor(0.2 * number of LSOAs)
    assert out["n_local_most_deprived"].sum() == int(0.2 * len(cambs))
    # Fenland's LSOAs in England's most deprived 20%, counted straight from the deciles
    fen = cambs[cambs["lad19_code"] == "E07000010"]
    assert out.set_index("lad19_code").loc["E07000010", "n_england_most_deprived"] == (fen["imd_decile"] <= 2).sum()


# --- Covid recovery -----------------------------------------------------------------------------------


def _series(values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values())})


def test_recovery_summary_partly_recovered():
    r = s01.recovery_summary(_series({2018: 1.9, 2019: 2.0, 2020: 5.0, 2021: 6.0, 2022: 4.0, 2023: 3.0}))
    assert (r.baseline, r.peak_year, r.peak, r.latest_year, r.latest) == (2.0, 2021, 6.0, 2023, 3.0)
    assert r.share_recovered == pytest.approx(0.75)
    assert r.gap == pytest.approx(1.0)
    assert r.status == "partly recovered"


def test_recovery_summary_back_tie_and_no_rise():
    back = s01.recovery_summary(_series({2019: 2.0, 2020: 4.0, 2021: 4.0, 2022: 2.0}))
    assert back.status == "back to pre-pandemic level" and back.peak_year == 2021  # latest of tied peaks
    assert back.share_recovered == pytest.approx(1.0)
    none = s01.recovery_summary(_series({2019: 2.0, 2020: 1.5, 2021: 1.8}))
    assert none.status == "no Covid rise"
    stuck = s01.recovery_summary(_series({2019: 2.0, 2020: 3.0, 2021: 4.0}))
    assert stuck.status == "not recovered"
    with pytest.raises(ValueError):
        s01.recovery_summary(_series({2020: 3.0, 2021: 4.0}))


def test_recovery_trend_falling_series_and_return_year():
    # post-peak fall of about 1 point a year from a 2021 peak of 7 towards a 2019 level of 2
    s = _series({2019: 2.0, 2020: 6.0, 2021: 7.0, 2022: 6.05, 2023: 4.95, 2024: 4.0, 2025: 3.0})
    r = s01.recovery_summary(s)
    trend, fc, direction = s01.recovery_trend(s, r, horizon=3)
    assert trend.n == 4 and trend.year_origin == 2022  # fitted to the years after the peak
    # closed form: Sxy = -5.05, Sxx = 5 -> slope -1.01; intercept 4.5 + 1.01 * 1.5 = 6.015
    assert trend.slope == pytest.approx(-1.01, abs=1e-9)
    assert direction == verdicts.DIRECTIONS[0]  # a falling claimant rate with its interval below 0: improving
    assert fc["year"].max() == 2028
    assert (fc["pi_lower"] <= fc["mean"]).all() and (fc["pi_upper"] >= fc["mean"]).all()
    # fitted line 6.015 - 1.01 t (t = year - 2022) first reaches 2.0 in 2026 (t = 4: 1.975)
    assert s01.projected_return_year(fc, r.baseline, r.latest_year) == 2026


def test_recovery_trend_flat_and_too_few():
    flat = _series({2019: 1.0, 2020: 3.0, 2021: 2.0, 2022: 2.2, 2023: 1.9, 2024: 2.1})
    r = s01.recovery_summary(flat)
    assert s01.recovery_trend(flat, r)[2] == verdicts.DIRECTIONS[2]  # interval spans 0: no clear change
    short = _series({2019: 1.0, 2020: 3.0, 2021: 2.0})
    assert s01.recovery_trend(short, s01.recovery_summary(short))[2] == verdicts.DIRECTIONS[3]


# --- fuel poverty parsers against the raw files ---------------------------------------------------------


def _raw_rows(dataset: str, file: str) -> list[dict]:
    with open(fetch.fetch(dataset, file), newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _check_rows(dataset: str, file: str) -> list[list[str]]:
    spec = yaml.safe_load((MIRROR / dataset / "source.yaml").read_text())
    text = next(f for f in spec["files"] if f["file"] == file)["cambridgeshire_check"]
    return list(csv.reader(text.splitlines()))


@pytest.mark.needs_mirror
def test_lihc_parser_matches_raw_csv_and_check_rows():
    parsed = load(FP_OLD).set_index(["area_code", "year"])
    raw = _raw_rows(FP_OLD, "fuelpoverty_data.csv")
    assert len(parsed) == 10 * len(raw)
    for row in raw:
        for year in range(2010, 2020):
            assert parsed.loc[(row["LACode"], year), "value"] == pytest.approx(float(row[str(year)]))
    for _name, code, _region, *values in _check_rows(FP_OLD, "fuelpoverty_data.csv"):
        for year, v in zip(range(2010, 2020), values, strict=False):
            assert parsed.loc[(code, year), "value"] == pytest.approx(float(v))
            assert parsed.loc[(code, year), "definition"] == ("LIHC" if year < 2019 else "LILEE")


@pytest.mark.needs_mirror
def test_lilee_parser_matches_raw_csv_and_check_rows():
    parsed = load(FP_NEW).set_index(["area_code", "year"])
    for year in (2020, 2021):
        file = f"fuel_poverty_la_{year}.csv"
        raw = _raw_rows(FP_NEW, file)
        assert (parsed.xs(year, level="year").shape[0]) == len(raw)
        for row in raw:
            got = parsed.loc[(row["Area Codes"], year)]
            assert got["numerator"] == float(row["fuel_poor"])
            assert got["denominator"] == float(row["households"])
            assert got["value"] == pytest.approx(float(row["proportion"]))
        for code, households, fuel_poor, proportion in _check_rows(FP_NEW, file):
            got = parsed.loc[(code, year)]
            assert (got["denominator"], got["numerator"]) == (float(households), float(fuel_poor))
            assert got["value"] == pytest.approx(float(proportion))
            assert got["definition"] == "LILEE"


# --- fuel poverty aggregation ---------------------------------------------------------------------------


def _fp_frames():
    lihc = pd.DataFrame(
        {"area_code": ["X1", "X2", "X1", "X2"], "year": [2018, 2018, 2019, 2019], "value": [10.0, 20.0, 12.0, 18.0]}
    )
    lilee = pd.DataFrame(
        {
            "area_code": ["X1", "X2", "X1", "X2"],
            "year": [2020, 2020, 2021, 2021],
            "numerator": [100.0, 600.0, 90.0, 500.0],
            "denominator": [1000.0, 3000.0, 1000.0, 3100.0],
        }
    )
    return lihc, lilee


def test_fuel_poverty_aggregate_sums_counts_and_weights_lihc():
    lihc, lilee = _fp_frames()
    out = s01.fuel_poverty_aggregate(lihc, lilee, {"C": ["X1", "X2"], "X1": ["X1"]}).set_index(["area_code", "year"])
    c2020 = out.loc[("C", 2020)]
    assert c2020["value"] == pytest.approx(100 * 700 / 4000)
    lo, hi = wilson_ci(700, 4000, multiplier=100)
    assert (c2020["lower"], c2020["upper"]) == pytest.approx((lo, hi))
    # 2018 LIHC weighted by 2020 households 1000 : 3000
    assert out.loc[("C", 2018), "value"] == pytest.approx((10 * 1000 + 20 * 3000) / 4000)
    assert out.loc[("C", 2018), "definition"] == "LIHC" and out.loc[("C", 2019), "definition"] == "LILEE"
    assert out.loc[("X1", 2019), "value"] == 12.0 and np.isnan(out.loc[("X1", 2019), "lower"])


def test_fuel_poverty_aggregate_strict_skips_incomplete_groups():
    lihc, lilee = _fp_frames()
    lilee = lilee[~((lilee["area_code"] == "X2") & (lilee["year"] == 2021))]
    strict = s01.fuel_poverty_aggregate(lihc, lilee, {"C": ["X1", "X2"]})
    assert 2021 not in set(strict["year"])
    loose = s01.fuel_poverty_aggregate(lihc, lilee, {"C": ["X1", "X2"]}, strict=False).set_index("year")
    assert loose.loc[2021, "value"] == pytest.approx(9.0)
    assert loose.loc[2021, "coverage"] == pytest.approx(0.25)


def test_deprivation_profile_weighted_rates():
    lsoa = pd.DataFrame(
        {
            "g": ["A", "A", "B"],
            "population": [100.0, 300.0, 50.0],
            "population_working_age": [50.0, 150.0, 30.0],
            "income_score": [10.0, 20.0, 5.0],
            "employment_score": [8.0, 4.0, 3.0],
            "imd_rank": [10, 20000, 30000],
            "imd_decile": [1, 7, 10],
            "income_rank": [5, 20000, 30000],
            "income_decile": [1, 7, 10],
            "employment_rank": [5, 20000, 30000],
            "employment_decile": [1, 7, 10],
        }
    )
    out = s01.deprivation_profile(lsoa, "g").set_index("area_code")
    assert out.loc["A", "income_rate"] == pytest.approx((10 * 100 + 20 * 300) / 400)
    assert out.loc["A", "employment_rate"] == pytest.approx((8 * 50 + 4 * 150) / 200)
    assert out.loc["A", "imd_share_20"] == pytest.approx(25.0)  # 100 of 400 residents in decile 1
    assert out.loc["B", "imd_share_20"] == 0.0


# --- the register's tests on real data ------------------------------------------------------------------


def _ctx(code: str):
    return register.Context(area=areas.resolve_briefing_area(code), manifesto=register.load(), section="01_communities")


def test_libraries_by_council_adds_up_merged_authorities():
    auth = pd.DataFrame(
        {
            "area_code": ["E06000028", "E06000029", "E10000003"],  # Bournemouth and Poole merged into BCP in 2019
            "authority_name": ["Bournemouth", "Poole", "Cambridgeshire"],
            "statutory_2010": [8, 5, 31],
            "statutory_2016": [7, 4, 32],
            "closed_2010_2016": [1, 1, 2],
        }
    )
    out = s01.libraries_by_council(auth).set_index("area_code")
    assert out.loc["E06000058", ["statutory_2010", "statutory_2016", "predecessors"]].tolist() == [13, 11, 2]
    assert out.loc["E92000001", ["statutory_2010", "statutory_2016"]].tolist() == [44, 43]


def test_covid_rise_model_recovers_a_known_slope():
    codes = [f"E0600{i:04d}" for i in range(10)]
    income = pd.Series(np.arange(10, dtype=float), index=codes)
    rows = []
    for code, x in income.items():
        rows += [(code, 2019, 2.0), (code, 2020, 2.0 + 0.5 * x), (code, 2021, 1.0)]
    cc = pd.DataFrame(rows, columns=["area_code", "year", "value"])
    model, wide = s01.covid_rise_model(cc, income)
    assert model.params["income_rate"] == pytest.approx(0.5) and len(wide) == 10


# --- panels: the notebook's questions, values against the indicator store ---------------------------------


@pytest.fixture(scope="module")
def cambs():
    from helpers.briefing import Briefing

    return Briefing("01_communities", "test", "E10000003")


def _store(indicator: str, code: str, period: str) -> float:
    from helpers import indicators

    f = indicators.get(indicator, areas=[code])
    return float(f.loc[f["period"] == period, "value"].iloc[0])


@pytest.mark.needs_mirror
def test_poverty_panel_child_poverty_matches_the_store(cambs):
    p = s01.poverty(cambs)
    row = p.frame.set_index("area_code").loc["E10000003"]
    assert row["value"] == pytest.approx(_store("children-relative-poverty-bhc", "E10000003", row["period"]), abs=0.05)
    figure = next(x for x in p.parts if hasattr(x, "fig"))
    assert set(figure.data["area_code"]) <= set(p.frame["area_code"])  # the chart plots the panel's frame
    assert any("Child poverty is concentrated in Fenland" in f for f in p.findings)


@pytest.mark.needs_mirror
def test_claimant_recovery_panel_matches_the_store(cambs):
    p = s01.claimant_recovery(cambs, 2019, 3)
    row = p.frame.set_index("area_code").loc["E10000003"]
    assert row["pre-pandemic (2019) %"] == pytest.approx(_store("claimant-count-rate", "E10000003", "2019"))
    latest = str(int(row["latest year"]))
    assert row["latest %"] == pytest.approx(_store("claimant-count-rate", "E10000003", latest))
    assert any(d.startswith("Claimant trend. Model:") for d in p.details)


@pytest.mark.needs_mirror
def test_fuel_poverty_panel_matches_the_store(cambs):
    p = s01.fuel_poverty(cambs)
    for code in ("E10000003", "E07000010"):
        row = p.frame[(p.frame["area_code"] == code) & (p.frame["year"] == 2021)].iloc[0]
        assert row["value"] == pytest.approx(_store("fuel-poverty-lilee", code, "2021"), abs=0.01)


@pytest.mark.needs_mirror
def test_libraries_panel_and_derived_boundary_notes(cambs):
    p = s01.libraries(cambs)
    row = p.frame.set_index("area_code").loc["E10000003"]
    assert (row["statutory_2010"], row["statutory_2016"]) == (
        _store("statutory-public-libraries", "E10000003", "2010"),
        _store("statutory-public-libraries", "E10000003", "2016"),
    )
    notes = s01.libraries_by_council().set_index("area_code")["boundary_note"]
    assert "Dorset County" in notes["E06000058"] and "Dorset County" in notes["E06000059"]
    assert (notes.drop(["E06000058", "E06000059"]) == "").all()


@pytest.mark.needs_mirror
def test_single_tier_panels_use_the_national_view():
    from helpers.briefing import Briefing

    b = Briefing("01_communities", "test", "E06000053")
    p = s01.targeting(b)
    assert "does not apply" in p.parts[0] and p.findings
