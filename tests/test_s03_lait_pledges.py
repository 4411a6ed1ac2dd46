"""Pledges tracked by a single DfE LAIT series (child refugees, two-year checks), against the raw file."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import areas, register

pytestmark = pytest.mark.needs_mirror


def evaluate(code: str, entry_id: str):
    m = register.load()
    ctx = register.Context(areas.resolve_briefing_area(code), m, "03_schools_children")
    _, _, entry = m.find(entry_id)
    return register.evaluate(entry, ctx, pledge=True)[1]


def test_child_refugees_trend_matches_a_closed_form_fit_without_the_covid_year():
    # Cambridgeshire, unaccompanied asylum-seeking children looked after at 31 March, read from bds_long_0.parquet
    raw = {2016: 61, 2017: 67, 2018: 62, 2019: 79, 2020: 80, 2021: 62, 2022: 49, 2023: 106, 2024: 101, 2025: 101}
    years = np.array([y for y in raw if y != 2021], dtype=float)
    slope = np.polyfit(years, [raw[int(y)] for y in years], 1)[0]
    out = evaluate("E10000003", "homes-for-child-refugees")
    assert out.latest == "101 (2024-25)"
    assert f"{slope:+.1f} a year" in out.evidence and "2021 left out" in out.evidence
    assert out.verdict in ("on track", "no clear change")


def test_two_year_checks_latest_value_and_councils_without_data():
    out = evaluate("E10000003", "young-mothers-two-year-checks")
    assert out.latest == "87.8% (2023-24)"  # 87.76% in the year to March 2024
    scilly = evaluate("E06000053", "young-mothers-two-year-checks")
    assert scilly.verdict == "cannot be tested" and scilly.untestable == "no data for this council"


def test_a_constant_series_is_not_fitted():
    out = evaluate("E06000053", "homes-for-child-refugees")  # none in every year published
    assert out.verdict == "direction only" and "every year" in out.evidence
