"""Briefing 04's panels (``helpers.sections.s04_public_health``): each question's frame, figure data, sentences and
findings, checked against rows read independently from the raw files (``csv`` module)."""

from __future__ import annotations

import csv

import pytest

from helpers import areas
from helpers.panels import Figure, Table
from helpers.sections import s04_public_health as s

from .conftest import MIRROR

pytestmark = pytest.mark.needs_mirror

COUNTY, UNITARY = "E10000003", "E06000031"


def _raw(dataset: str, file: str) -> list[dict]:
    with open(MIRROR / dataset / file, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def county():
    return s.scope(areas.resolve_briefing_area(COUNTY), 5)


@pytest.fixture(scope="module")
def unitary():
    return s.scope(areas.resolve_briefing_area(UNITARY), 5)


@pytest.fixture(scope="module")
def le_raw():
    return _raw(s.LE_DATASET, "life_expectancy.csv")


def _figure(p) -> Figure:
    return next(x for x in p.parts if isinstance(x, Figure))


def test_scope_of_a_county_is_its_districts(county, unitary):
    assert county.local == [d.code for d in areas.districts_of(COUNTY)] and county.is_county
    assert unitary.local == [UNITARY] and not unitary.is_county
    assert COUNTY not in county.similar and len(county.similar) == 5


def test_life_expectancy_panel_values_are_the_raw_latest_rows(county, le_raw):
    p = s.life_expectancy(county)
    latest = p.frame["period"].iloc[0]
    raw = {
        (r["area_code"], r["inequality"]): float(r["value"])
        for r in le_raw
        if r["period"] == latest and r["value"] not in ("", "NA")
    }
    for r in p.frame.itertuples():
        assert r.value == pytest.approx(raw[(r.area_code, r.sex)])
    assert set(county.local) <= set(p.frame["area_code"])
    data = _figure(p).data
    assert {"area_code", "area_name", "period", "value"} <= set(data.columns)
    assert data["value"].tolist() == p.frame["value"].tolist()
    # the finding names the lowest district estimate, read from the raw file
    local = {k: v for k, v in raw.items() if k[0] in county.local}
    (code, sex), low = min(local.items(), key=lambda kv: kv[1])
    assert f"ranged from {low:.1f} years ({county.names[code]}, {sex.lower()}s" in p.findings[0]
    assert f"England {raw[('E92000001', 'Female')]:.1f} years" in p.parts[-1]


def test_jsna_period_panel_uses_the_published_ons_intervals(county):
    p = s.jsna_period(county)
    raw = {
        (r["administrative-geography"], r["sex"].capitalize()): r
        for r in _raw(s.ONS_LE_DATASET, "life_expectancy_lad_2016_18_at_birth_ci.csv")
        if r["age-groups"] == "0-1"
    }
    for r in p.frame.itertuples():
        src = raw[(r.area_code, r.sex)]
        expected = (float(src["v4_2"]), float(src["Lower CI"]), float(src["Upper CI"]))
        assert (r.value, r.lower, r.upper) == pytest.approx(expected)
    assert (p.frame["lower_998"] <= p.frame["lower"]).all() and (p.frame["upper_998"] >= p.frame["upper"]).all()
    assert "agree with OHID's published flags" in p.parts[-1]


def test_gap_panel_is_best_minus_worst_district_in_the_raw_file(county, le_raw):
    p = s.gap_trend(county)
    last = p.frame[p.frame["year"] == p.frame["year"].max()]
    for r in last.itertuples():
        values = [
            float(x["value"])
            for x in le_raw
            if x["period"] == r.period and x["inequality"] == r.sex and x["area_code"] in county.local and x["value"]
        ]
        assert r.gap == pytest.approx(max(values) - min(values))
    assert p.findings and "gap between the best and worst district for males" in p.findings[0]
    assert p.details and "overlap" in p.details[0]


def test_gap_panel_of_a_unitary_is_its_slope_index(unitary):
    p = s.gap_trend(unitary)
    sii = _raw(s.LE_DATASET, "inequality_life_expectancy.csv")
    raw = {
        (r["period"], r["inequality"]): float(r["value"])
        for r in sii
        if r["area_code"] == UNITARY and r["value"] not in ("", "NA")
    }
    assert set(p.frame["area_code"]) == {UNITARY} and len(p.frame) == len(raw) > 0
    for r in p.frame.itertuples():
        assert r.gap == pytest.approx(raw[(r.period, r.sex)])
    assert "slope index of inequality" in p.parts[0]


def test_deprivation_panel_residuals_are_value_minus_fitted(county):
    p = s.deprivation(county)
    assert set(p.frame["area_code"]) == set(county.local)
    assert p.frame["residual"].to_numpy() == pytest.approx((p.frame["value"] - p.frame["fitted"]).to_numpy())
    assert p.details and "Breusch-Pagan" in p.details[0]  # diagnostics off the reader's path
    assert len(_figure(p).data) > 250  # every English district and unitary with an IMD 2019 score


def test_healthy_life_expectancy_and_wellbeing_panels_show_the_county(county):
    h = s.healthy_life_expectancy(county)
    own = h.frame[h.frame["area_code"] == COUNTY]
    assert set(own["sex"]) == {"Female", "Male"}
    assert f"{own['value'].iloc[0]:.1f} years" in h.findings[0]
    w = s.wellbeing(county)
    assert any(isinstance(x, Table) for x in w.parts)
    assert (w.frame["lower"] <= w.frame["value"]).all() and (w.frame["value"] <= w.frame["upper"]).all()


@pytest.mark.parametrize("code", ["E06000053", "E09000001"])
def test_panels_of_awkward_councils_say_what_is_missing(code):
    v = s.scope(areas.resolve_briefing_area(code), 5)
    for fn in (s.life_expectancy, s.jsna_period, s.healthy_life_expectancy, s.gap_trend, s.risk_factors, s.wellbeing):
        p = fn(v)
        text = " ".join(x for x in p.parts if isinstance(x, str)) + " ".join(p.gaps) + " ".join(p.findings)
        assert "nan" not in text.split() and "{" not in text
    assert s.deprivation(v).frame.empty
