"""Briefing 07 (finance, growth, housing and pay): section helpers and the register's test functions.

Expected values are read from the raw files in ../shared/data (spending power: SpendingMillions.csv, £ million;
population: local_authority_emissions_with_population.csv, thousands; housebuilding: the Centre for Cities
workbook), taken from the independent review in issue 21 (balanced-panel changes), or closed forms on constructed
frames. Verdicts are checked against the rule set's own words only through helpers.verdicts constants.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import areas, register, verdicts
from helpers.sections import s07_finance_growth_housing as s
from helpers.stats import fit_trend

SECTION = "07_finance_growth_housing"


def _ctx(code: str) -> register.Context:
    return register.Context(area=areas.resolve(code), manifesto=register.load(), section=SECTION)


def _evaluate(entry_id: str, code: str) -> verdicts.Outcome:
    section, kind, entry = register.load().find(entry_id)
    assert section == SECTION
    return register.evaluate(entry, _ctx(code), pledge=kind == "pledges")[1]


def _frame(rows):
    return pd.DataFrame(rows, columns=["area_code", "year", "value"])


# --- small helpers with closed-form answers -------------------------------------------------------------


def test_dispersion_by_year_known_answer():
    # year 1: values 10, 20, 30 -> mean 20, sd (ddof=0) sqrt(200/3), cv = 100*sd/20, max/min 3
    # year 2: one area missing -> dropped; year 3: 20, 20, 20 -> cv 0, ratio 1
    f = _frame(
        [
            ("A", 2001, 10),
            ("B", 2001, 20),
            ("C", 2001, 30),
            ("A", 2002, 10),
            ("B", 2002, 20),
            ("A", 2003, 20),
            ("B", 2003, 20),
            ("C", 2003, 20),
            ("D", 2003, 99),
        ]
    )
    d = s.dispersion_by_year(f, ["A", "B", "C"])
    assert d["year"].tolist() == [2001, 2003]
    first = d.iloc[0]
    assert first["cv"] == pytest.approx(100 * np.sqrt(200 / 3) / 20)
    assert first["max_min_ratio"] == pytest.approx(3)
    assert (first["max_code"], first["min_code"]) == ("C", "A")
    assert d.iloc[1]["cv"] == pytest.approx(0)


def test_balanced_panel_against_unbalanced_total_known_answer():
    # A grows 100 -> 110; B exists only at the start (merged away), C only at the end (new council).
    sp = pd.DataFrame(
        {
            "area_code": ["A", "A", "B", "C"],
            "year": [2016, 2020, 2016, 2020],
            "value": [100.0, 110.0, 50.0, 40.0],
        }
    )
    change, n = s.balanced_change(sp, ["A", "B", "C"], 2016, 2020)
    assert (change, n) == (pytest.approx(10.0), 1)  # only A is in both years
    assert s.unbalanced_change(sp, 2016, 2020) == pytest.approx(100 * (150 / 150 - 1))  # 0%: the old, wrong answer
    assert math.isnan(s.balanced_change(sp, ["B"], 2016, 2020)[0])


def test_trend_words_never_claim_a_direction_the_interval_does_not_support():
    years = np.arange(2010, 2020)
    rising = fit_trend(years, 5 + 0.3 * (years - 2010) + np.tile([0.05, -0.05], 5))
    assert s.trend_words(rising, "rising", "falling").startswith("rising 0.30 a year (95% CI +0.")
    noisy = fit_trend(years, 5 + np.array([1.0, -1.0, 0.5, -0.8, 1.2, -1.1, 0.9, -0.7, 1.0, -0.9]))
    assert noisy.slope_lower < 0 < noisy.slope_upper
    assert s.trend_words(noisy, "rising", "falling").startswith("no clear change (")


# --- real data: values read from the raw files ----------------------------------------------------------


def test_cambridgeshire_spending_power_per_head_matches_raw_files():
    sp = s.spending_power().set_index(["area_code", "year"])
    # SpendingMillions.csv E10000003: 2016-17 (column 2017) 356.01, 2020-21 (column 2021) 412.81 (£m)
    # population file, CAM: 2016 644.575 thousand, 2020 657.204 thousand
    assert sp.loc[("E10000003", 2016), "per_head"] == pytest.approx(356.01e6 / 644_575)
    assert sp.loc[("E10000003", 2020), "per_head"] == pytest.approx(412.81e6 / 657_204)


def test_funding_changes_use_balanced_panels_of_the_same_kind():
    ch = s.funding_changes(areas.resolve("E10000003")).set_index("series")
    new = ch.loc["core spending power"]
    # Cambridgeshire 356.01 -> 412.81 (raw file); counties alone +16.7% and England +12.4% on a balanced panel
    # (issue 21 review); the old unbalanced England total was +9.7%
    assert new["change"] == pytest.approx(100 * (412.81 / 356.01 - 1))
    assert new["peer_change"] == pytest.approx(16.7, abs=0.05)
    assert new["peer_n"] == 20  # the 21 current county councils other than Cambridgeshire
    assert new["england_change"] == pytest.approx(12.4, abs=0.05)
    assert new["change"] < new["peer_change"]  # Cambridgeshire lags its own kind, it does not lead England
    old = ch.loc["spending power"]
    # raw file E10000003: 2011-12 (column 2012) 389.59, 2015-16 (column 2016) 418.97
    assert old["change"] == pytest.approx(100 * (418.97 / 389.59 - 1))


def test_unbalanced_england_total_reproduces_the_old_figure():
    from helpers.datasets import load

    assert s.unbalanced_change(load(s.SPEND, "spending_power"), 2016, 2020) == pytest.approx(9.7, abs=0.05)


def test_somerset_spending_power_is_added_up_not_mendip_relabelled():
    sp = s.spending_power().set_index(["area_code", "year"])
    # raw file, 2011-12: Somerset CC 359.93 + Mendip 13.35 + Sedgemoor 14.09 + South Somerset 18.22
    # + Taunton Deane 12.55 + West Somerset 4.98
    assert sp.loc[("E06000066", 2011), "value"] == pytest.approx(423.12)


def test_housing_supply_adds_up_the_county_districts():
    hs = s.housing_supply(areas.resolve("E10000003")).set_index("year")
    # all_new_building 2023: Cambridge 422.0, East Cambs 648.25, Fenland 526.0, Huntingdonshire 1219.0,
    # South Cambs 1349.25
    assert hs.loc[2023, "all_new"] == pytest.approx(422.0 + 648.25 + 526.0 + 1219.0 + 1349.25)
    assert hs.loc[2023, "new_per_1000"] == pytest.approx(1000 * hs.loc[2023, "all_new"] / hs.loc[2022, "stock"])


# --- the register's tests -----------------------------------------------------------------------------


def test_rsg_claim_is_a_real_terms_cut_from_the_outturn_returns():
    from helpers.indicators.store import deflators

    out = _evaluate("rsg-loss-financial-challenge", "E10000003")
    # RS workbooks, Cambridgeshire CC (E0521): grant 85,870 (2013-14) -> 15,312 (2017-18) £ thousand, cash
    d, base = deflators()
    real = (15312 / d.loc[2017]) / (85870 / d.loc[2013]) - 1
    assert out.kind == "change" and out.verdict == verdicts.CLAIM_VERDICTS[0]
    assert out.value == pytest.approx(100 * real)
    assert f"real terms ({base})" in out.evidence and "£85.9 million" in out.evidence


def test_rates_retention_pilot_is_never_read_as_a_cut():
    # Manchester's 2017-18 grant was rolled into retained business rates (the 100% pilot): no value, no verdict
    out = _evaluate("rsg-loss-financial-challenge", "E08000003")
    assert out.untestable == verdicts.NO_DATA_HERE and "2017" in out.evidence


def test_split_county_gives_no_data_for_this_council():
    out = _evaluate("rsg-loss-financial-challenge", "E06000063")  # Cumberland: Cumbria CC's grant cannot be split
    assert out.untestable == verdicts.NO_DATA_HERE


def test_housing_crisis_claim_judged_on_the_years_known_in_2021_without_2020():
    out = _evaluate("housing-crisis-not-reduced", "E10000003")
    aff = s.els(s.AFFORD)
    own = s.one_per_year(aff, "E10000003")
    own = own[(own["year"] >= 2010) & (own["year"] <= 2020) & (own["year"] != 2020)]
    slope = np.polyfit(own["year"], own["value"], 1)[0]  # closed-form least squares on the published ratios
    assert out.kind == "trend" and out.value == pytest.approx(slope)
    assert "2020 left out" in out.evidence
    assert slope > 0 and out.verdict == verdicts.CLAIM_VERDICTS[0]


def test_pledges_get_a_status_for_every_awkward_council():
    for code in ("E10000003", "E06000053", "E09000001", "E06000063", "E06000066", "E06000061"):
        for entry_id in (
            "fair-funding-rsg",
            "affordable-housing-partners",
            "integrated-planning-major-sites",
            "county-apprenticeships",
            "grow-economy-fairly",
        ):
            out = _evaluate(entry_id, code)
            assert out.verdict in verdicts.PLEDGE_STATUSES, (code, entry_id)
            assert out.evidence and "nan" not in out.evidence.lower(), (code, entry_id, out.evidence)


def test_housing_pledge_baseline_skips_the_covid_year():
    out = _evaluate("affordable-housing-partners", "E10000003")
    # the manifesto (May 2021) baseline is 2019: 2020 is a declared Covid-19 exclusion
    assert out.kind == "since" and out.verdict == verdicts.PLEDGE_STATUSES[4]
    assert out.extra["baseline_period"] == "2019" and out.extra["latest_period"] == "2023"


def test_register_lists_section_7_once_with_an_outcome_for_each_entry():
    reg = register.load().sections[SECTION]
    ids = [e.id for e in reg.claims + reg.pledges]
    assert len(ids) == len(set(ids)) and len(reg.claims) >= 7 and len(reg.pledges) >= 10
    for entry in reg.claims + reg.pledges:
        assert entry.test is not None or entry.untestable is not None or entry.check is not None


@pytest.mark.slow
@pytest.mark.parametrize("code", ["E06000063", "E09000001"])
def test_notebook_builds_for_awkward_councils(code, tmp_path):
    import papermill as pm

    from helpers import config

    pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "07_finance_growth_housing.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"area": code},
        progress_bar=False,
    )


# --- panels: what the briefing shows -------------------------------------------------------------------------


def _figures(panel):
    from helpers.panels import Figure

    return [p for p in panel.parts if isinstance(p, Figure)]


@pytest.mark.needs_mirror
def test_affordability_panel_reads_the_ratio_once_for_table_chart_and_finding():
    cambs = areas.resolve_briefing_area("E10000003")
    p = s.affordability(cambs)
    aff = s.els(s.AFFORD)
    year = int(p.frame["year"].iloc[0])
    value = s.value_in(aff, "E10000003", year)
    assert p.frame.set_index("area_code").loc["E10000003", "value"] == value
    assert f"in {year} a median home in Cambridgeshire cost {value:.1f} times" in p.findings[0]
    bars, lines = _figures(p)
    assert bars.data.set_index("area_code").loc["E10000003", "value"] == value
    assert {"area_name", "period"} <= set(bars.data.columns) and {"area_name", "period"} <= set(lines.data.columns)
    assert not lines.data["period"].str.contains(r"\.0").any()  # "2019", never "2019.0"
    assert p.details and "autocorrelated" in p.details[0]


@pytest.mark.needs_mirror
def test_housing_supply_panel_is_the_added_up_districts():
    p = s.housing_supply_panel(areas.resolve_briefing_area("E10000003"))
    last = p.frame.dropna(subset=["new_per_1000"]).iloc[-1]
    assert int(last["year"]) == 2023
    assert last["all_new"] == pytest.approx(422.0 + 648.25 + 526.0 + 1219.0 + 1349.25)  # raw workbook, see above
    assert f"{last['new_per_1000']:.1f} new homes per 1,000 existing in 2023" in p.findings[0]


@pytest.mark.needs_mirror
def test_funding_panel_finding_is_the_raw_cash_change_against_other_counties():
    p = s.funding(areas.resolve_briefing_area("E10000003"))
    # SpendingMillions.csv: 356.01 -> 412.81 (£m); other counties +16.7% on a balanced panel (issue 21)
    assert f"changed {100 * (412.81 / 356.01 - 1):+.1f}% in cash from 2016-17 to 2020-21" in p.findings[0]
    assert "+16.7% for the other 20 county councils" in p.findings[0]
    assert any("balanced panel" in d for d in p.details)  # the method note is in the appendix
    (fig,) = _figures(p)
    assert {"area_code", "area_name", "period", "value"} <= set(fig.data.columns)


@pytest.mark.needs_mirror
def test_panels_for_the_city_of_london_give_gaps_not_crashes():
    city = areas.resolve_briefing_area("E09000001")
    p = s.funding(city)
    assert p.gaps and "City of London" in p.gaps[0]
    ct = s.council_tax(city)
    assert len(ct.frame) >= 2 and ct.parts


@pytest.mark.needs_mirror
def test_growth_spread_panel_for_a_county_uses_its_districts():
    cambs = areas.resolve_briefing_area("E10000003")
    p = s.growth_spread(cambs)
    assert (p.frame["n"] == len(areas.districts_of(cambs))).all()
    expected = s.dispersion_by_year(s.els(s.GDHI), [d.code for d in areas.districts_of(cambs)])
    pd.testing.assert_frame_equal(p.frame, expected)
    assert p.findings[0].startswith("Spread of growth: the spread of household income per head across the districts")
