"""Pledges tracked by a single DfE LAIT series (child refugees, two-year checks), against the raw file."""

from __future__ import annotations

import pytest

from helpers import areas, register

pytestmark = pytest.mark.needs_mirror


def evaluate(code: str, entry_id: str):
    m = register.load()
    ctx = register.Context(areas.resolve_briefing_area(code), m, "03_schools_children")
    _, _, entry = m.find(entry_id)
    return register.evaluate(entry, ctx, pledge=True)[1]


def test_child_refugees_since_the_manifesto_from_raw_values():
    # Cambridgeshire, unaccompanied asylum-seeking children looked after at 31 March, read from bds_long_0.parquet:
    # 62 in 2021 (the last snapshot before the May 2021 manifesto), 101 in 2025
    raw = {2016: 61, 2017: 67, 2018: 62, 2019: 79, 2020: 80, 2021: 62, 2022: 49, 2023: 106, 2024: 101, 2025: 101}
    out = evaluate("E10000003", "homes-for-child-refugees")
    assert out.extra["baseline_value"] == raw[2021] and out.extra["latest_value"] == raw[2025]
    assert out.extra["latest_period"] == "2024-25"
    assert out.verdict == "direction only" and out.direction == "improving"  # no target: never on track


def test_two_year_checks_latest_value_and_councils_without_data():
    out = evaluate("E10000003", "young-mothers-two-year-checks")
    assert out.latest == "87.8% (2023-24)"  # 87.76% in the year to March 2024
    scilly = evaluate("E06000053", "young-mothers-two-year-checks")
    assert scilly.verdict == "cannot be tested" and scilly.untestable == "no data for this council"


def test_a_series_that_ends_before_the_manifesto_is_a_baseline():
    # Isles of Scilly: no unaccompanied children in 2015-16 to 2019-20, nothing published since
    out = evaluate("E06000053", "homes-for-child-refugees")
    assert out.verdict == "baseline only" and out.extra["baseline_period"] == "2019-20"
