"""The spine chart's frame (Fingertips' England range for each headline indicator) and the researcher's explore
helpers, read from the indicator store."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import areas, explore, indicators, spine

pytestmark = pytest.mark.needs_mirror


def test_spine_ranges_follow_polarity_and_match_the_store():
    frame = spine.spine_frame(areas.resolve("E10000003")).set_index("indicator_id")
    row = frame.loc["housing-affordability-ratio"]  # lower is better: the worst is the highest ratio
    values = indicators.get("housing-affordability-ratio", periods=[row["period"]])
    councils = values[values["area_code"].isin({a.code for a in areas.briefing_areas()})]["value"]
    assert row["worst"] == councils.max() and row["best"] == councils.min()
    assert row["q25"] == pytest.approx(np.percentile(councils, 75)) and row["councils"] == len(councils)
    assert row["england"] == values.set_index("area_code").loc["E92000001", "value"]


def test_spine_alt_text_names_every_indicator():
    frame = spine.spine_frame(areas.resolve("E06000031"))
    text = spine.alt_text(frame, "Peterborough")
    assert all(title in text for title in frame["indicator"]) and "not compared compared" not in text


def test_ranked_councils_are_every_council_with_a_value():
    ranked = explore.councils_ranked("fuel-poverty-lilee")
    assert ranked["rank"].min() == 1 and ranked["period"].nunique() == 1
    assert len(ranked) == 153 and ranked["value"].is_monotonic_decreasing


def test_about_lists_the_catalogue_fields():
    about = explore.about("bus-journeys-per-head").set_index("field")["value"]
    assert about["period"] == "financial year" and "2020" in about["breaks"]
