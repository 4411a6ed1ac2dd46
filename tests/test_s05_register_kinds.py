"""Briefing 05 entries on the claim kinds: the net-zero target from the register, renewables within one series."""

from __future__ import annotations

import pytest

from helpers import areas, register

pytestmark = pytest.mark.needs_mirror


def _evaluate(entry_id: str, code: str):
    m = register.load()
    ctx = register.Context(areas.resolve_briefing_area(code), m, "05_net_zero")
    section, kind, entry = m.find(entry_id)
    return register.evaluate(entry, ctx, pledge=kind == "pledges")[1]


def test_net_zero_target_comes_from_the_register():
    from helpers.sections import s05_net_zero as s05

    m = register.load()
    assert s05.net_zero_target(m) == (2030, pytest.approx(0.05))
    assert s05.net_zero_target(m, 2040)[0] == 2040  # a notebook may try another year


def test_net_zero_pledge_is_judged_against_the_stated_target():
    from helpers import indicators as I

    out = _evaluate("net-zero-2030", "E10000003")
    idx = I.get("ghg-per-resident-index-2005", areas=["E10000003"]).set_index("year")["value"]
    # baseline 2019 (2020 and 2021 are declared Covid-19 exclusions), latest 2023
    assert out.extra["baseline_period"] == "2019" and out.extra["latest_period"] == "2023"
    assert out.extra["baseline_value"] == pytest.approx(idx[2019])
    pace, needed = (idx[2023] - idx[2019]) / 4, (5 - idx[2019]) / (2030 - 2019)
    assert out.verdict == ("on track" if pace / needed >= 1 else "off track")


def test_renewables_pledge_never_compares_across_the_offshore_break():
    # Norfolk: 4,716 GWh in the 2018 edition, 749 GWh in 2022 (offshore wind re-allocated): a fall of 84% that is
    # a definition change, not a change in generation. The pledge is tracked from 2022 to 2024 only.
    out = _evaluate("green-energy-generation", "E10000020")
    assert out.extra["baseline_period"] == "2022" and out.extra["latest_period"] == "2024"
    assert "series breaks at 2022" in out.evidence  # the kind says why the baseline is after the manifesto
    cam = _evaluate("green-energy-generation", "E10000003")
    assert cam.extra["baseline_value"] == pytest.approx(1480.7, abs=0.1)
    assert cam.verdict == "direction only" and cam.direction == "improving"


def test_net_zero_arithmetic_claim_is_national():
    out = _evaluate("net-zero-2030-needs-faster-cuts", "E10000003")
    assert out.national


def test_heating_oil_pledge_has_no_value_after_the_manifesto():
    # the CO2-by-sector edition ends in 2020, a declared Covid-19 exclusion: a baseline, not a status
    out = _evaluate("rural-green-energy-oil", "E10000003")
    assert out.verdict == "baseline only" and out.extra["baseline_period"] == "2019"
