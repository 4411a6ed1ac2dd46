"""Briefing 04 helpers for the register-agnostic notebook and the pledges without a stated target."""

from __future__ import annotations

import pytest

from helpers import register
from helpers.sections import s04_public_health as s


@pytest.mark.parametrize(
    ("iso", "label"),
    [
        ("2023-11-16/P1Y", "2023/24"),  # Active Lives survey year, mid-November to mid-November
        ("2022-01-01/P3Y", "2022 to 2024"),
        ("2019-01-01/P5Y", "2019 to 2023"),
        ("2021-01-01/P1Y", "2021"),
        ("not a period", "not a period"),
    ],
)
def test_period_label_writes_periods_as_people_do(iso, label):
    assert s.period_label(iso) == label
    assert "P1Y" not in s.period_label(iso) or iso == "not a period"


def test_place_claims_are_read_from_the_register():
    named = s.place_claims(register.load(), "04_public_health")
    assert "jsna-le-county-higher" in named and "population-health-strategy" not in named
    assert s.place_claims(register.load(), "99_nothing") == []
