"""National tables (helpers.national): built once per process, handed out as copies, primed by warm workers,
and still cited as sources by a briefing that takes them from the cache."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import datasets, national


@pytest.fixture
def counted():
    """A registered national table that counts its builds and loads a real (small) dataset."""
    calls = []

    @national.table(prime_with=[("a",), ("b",)])
    def table_of(letter: str) -> pd.DataFrame:
        calls.append(letter)
        frame = datasets.load("la_population_totals_2005_2020")
        return pd.DataFrame({"letter": [letter], "rows": [len(frame)]})

    yield table_of, calls
    national._REGISTERED[:] = [entry for entry in national._REGISTERED if entry[0] is not table_of.cached]


def test_built_once_per_argument_and_copied(counted):
    table_of, calls = counted
    first = table_of("a")
    first.loc[0, "letter"] = "changed by a notebook"
    again = table_of("a")
    assert calls == ["a"]
    assert again.loc[0, "letter"] == "a"  # the edit did not reach the cache
    table_of("b")
    assert calls == ["a", "b"]


def test_prime_builds_every_registered_call(counted):
    table_of, calls = counted
    took = national.prime()
    assert sorted(calls) == ["a", "b"]
    assert any("table_of('a',)" in name for name in took)
    table_of("a"), table_of("b")
    assert sorted(calls) == ["a", "b"]  # primed: no second build


def test_cached_table_still_records_its_datasets(counted):
    """A warm worker primes, then forgets what it loaded; the child's briefing must still cite the data."""
    table_of, _ = counted
    national.prime()
    datasets.forget_loaded()
    assert datasets.LOADED == []
    table_of("a")
    assert ("la_population_totals_2005_2020", "default") in datasets.LOADED
    assert "la_population_totals_2005_2020" in [s.id for s in datasets.used_sources()]


def test_recording_nests():
    with datasets.recording() as outer:
        datasets.note_loaded([("x", "t")])
        with datasets.recording() as inner:
            datasets.note_loaded([("y", "t")])
    assert outer == [("x", "t"), ("y", "t")]
    assert inner == [("y", "t")]


def test_a_failing_table_is_left_to_its_notebook():
    @national.table
    def broken() -> pd.DataFrame:
        raise ValueError("no data for this table")

    try:
        took = national.prime()
        assert not any("broken" in name for name in took)
        with pytest.raises(ValueError, match="no data"):
            broken()
    finally:
        national._REGISTERED[:] = [e for e in national._REGISTERED if e[0] is not broken.cached]


def test_section_tables_are_registered():
    import helpers.sections.s00_inequality  # noqa: F401
    import helpers.sections.s07_finance_growth_housing  # noqa: F401

    names = national.registered()
    assert "helpers.sections.s00_inequality.council_measures" in names
    assert "helpers.sections.s07_finance_growth_housing.els" in names


def test_memoised_load_returns_independent_copies():
    first = datasets.load("la_population_totals_2005_2020")
    first.iloc[0, 0] = None
    second = datasets.load("la_population_totals_2005_2020")
    assert second.iloc[0, 0] is not None
    assert second.attrs["source_id"] == "la_population_totals_2005_2020"


def test_cached_lookups_still_cite_their_data_after_a_warm_up():
    """The area lookups are cached too; a briefing that resolves an area after the worker's warm-up must still
    list the codes-and-names dataset among its sources (as a fresh kernel would)."""
    from helpers import areas

    areas.resolve("Peterborough")
    national.prime()
    datasets.forget_loaded()
    areas.resolve("Peterborough")
    assert "uk_la_names_codes_hierarchy" in [s.id for s in datasets.used_sources()]
