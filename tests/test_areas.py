"""Geography: resolving areas, hierarchy, regions and the similar-councils model."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import areas
from helpers.errors import UnknownAreaError

pytestmark = pytest.mark.needs_mirror


@pytest.mark.parametrize(
    "text",
    ["E10000003", "e10000003", "Cambridgeshire", "cambridgeshire county council", "Cambridgeshire County Council"],
)
def test_resolve_codes_and_names_in_any_case(text):
    assert areas.resolve(text).code == "E10000003"


def test_resolve_district_and_unitary():
    fen = areas.resolve("fenland")
    assert (fen.code, fen.kind, fen.parent, fen.tier) == (
        "E07000010",
        "non-metropolitan district",
        "E10000003",
        "lower",
    )
    pete = areas.resolve("Peterborough")
    assert (pete.code, pete.tier, pete.region_code) == ("E06000031", "single", "E12000006")


def test_districts_of_cambridgeshire():
    names = [a.name for a in areas.districts_of("E10000003")]
    assert names == ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire"]
    assert areas.districts_of("E06000031") == []
    assert [a.code for a in areas.local_areas("E06000031")] == ["E06000031"]


def test_region_of_and_england():
    assert areas.region_of("fenland").name == "East of England"
    assert areas.region_of("Camden").code == "E12000007"
    assert areas.england().code == "E92000001"


def test_unknown_area_names_three_closest_matches_on_one_line():
    with pytest.raises(UnknownAreaError) as err:
        areas.resolve("Cambrigeshire")
    message = str(err.value)
    assert "Cambridgeshire (E10000003)" in message and message.count("(E") == 3 and "\n" not in message


def test_briefing_area_must_be_county_or_single_tier():
    with pytest.raises(UnknownAreaError, match="its county is Cambridgeshire"):
        areas.resolve_briefing_area("Fenland")
    kinds = {a.kind for a in areas.briefing_areas()}
    assert kinds == {"county", "unitary", "metropolitan district", "london borough"}


def test_every_briefing_area_has_a_region():
    for a in areas.briefing_areas():
        assert areas.region_of(a).kind == "region", a


def test_former_codes_map_to_current_councils():
    # Aylesbury Vale (E07000004) became part of Buckinghamshire (E06000060) in 2020
    out = areas.harmonise_codes(__import__("pandas").Series(["E07000004", "E07000010"]))
    assert out.tolist() == ["E06000060", "E07000010"]


def test_similar_councils_are_same_kind_sorted_and_exclude_the_area():
    sim = areas.similar_councils("E10000003", k=5)
    assert len(sim) == 5 and "E10000003" not in sim["code"].tolist()
    assert {areas.resolve(c).kind for c in sim["code"]} == {"county"}
    assert np.all(np.diff(sim["distance"]) >= 0)
    single = areas.similar_councils("E06000031", k=5)
    assert {areas.resolve(c).kind for c in single["code"]} <= set(areas.SINGLE_TIER_KINDS)


def test_similarity_distance_is_euclidean_on_standardised_features():
    feats = areas.similarity_features()
    pool = feats[feats["kind"] == "county"]
    cols = list(areas.SIMILARITY_FEATURES)
    z = (pool[cols] - pool[cols].mean()) / pool[cols].std(ddof=0)
    sim = areas.similar_councils("E10000003", k=3)
    for code, distance in zip(sim["code"], sim["distance"], strict=True):
        assert distance == pytest.approx(float(np.sqrt(((z.loc[code] - z.loc["E10000003"]) ** 2).sum())))


def test_similarity_features_match_their_sources():
    feats = areas.similarity_features()
    cam = feats.loc["E10000003"]
    # ONS mid-2020 total for Cambridgeshire equals the hierarchy dataset's pop-2020 (both ONS MYE 2020)
    assert cam["population"] == pytest.approx(657204)
    assert 0 < cam["share_65_plus"] < 0.5 and 0 < cam["urban_share"] < 1


def test_comparators_bundle():
    c = areas.comparators("E10000003")
    assert c["england"].code == "E92000001" and c["region"].code == "E12000006" and len(c["similar"]) == 5


def test_only_councils_are_briefing_areas():
    codes = {a.code for a in areas.briefing_areas()}
    assert "E61000001" not in codes  # the Greater London Authority is not a council
    assert "E06000053" in codes  # the Isles of Scilly is
    assert "E61000001" not in areas.similar_councils("E09000007", k=20)["code"].tolist()
