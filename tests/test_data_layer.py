"""The data layer: cache -> mirror -> download order, checksums, schemas and clear errors."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from helpers import datasets, fetch, readers, registry
from helpers.errors import ChecksumError, DataUnavailableError, SchemaError, UnknownDatasetError

pytestmark = pytest.mark.needs_mirror

RUC = ("la_urban_rural_profile", "la_ruc.csv")


def test_file_enters_cache_from_mirror_with_verified_hash(temp_mirror):
    temp_mirror(*RUC)
    path = fetch.fetch(*RUC)
    assert path.is_relative_to(temp_mirror.cache)
    assert fetch.sha256_of(path) == registry.get(RUC[0]).file(RUC[1]).sha256


def test_missing_file_offline_says_how_to_get_it(temp_mirror):
    with pytest.raises(DataUnavailableError) as err:
        fetch.fetch(*RUC)
    message = str(err.value)
    assert "make data" in message and "BRIEFINGS_DATA_MIRROR" in message and RUC[1] in message
    assert "\n" not in message


def test_download_failure_is_reported_as_unavailable(temp_mirror, monkeypatch):
    monkeypatch.delenv("BRIEFINGS_OFFLINE")
    src = registry.get(RUC[0])
    broken = dataclasses.replace(src, files=(dataclasses.replace(src.files[0], url="http://127.0.0.1:9/none"),))
    monkeypatch.setitem(registry.all_sources(), RUC[0], broken)
    with pytest.raises(DataUnavailableError, match="download failed"):
        fetch.fetch(*RUC)
    assert not fetch.cached_path(*RUC).exists()


def test_corrupt_mirror_file_is_rejected_and_not_cached(temp_mirror):
    temp_mirror(*RUC, content=b"local-authority-code,official-name\nXXX,tampered\n")
    with pytest.raises(ChecksumError) as err:
        fetch.fetch(*RUC)
    message = str(err.value)
    assert "sha256" in message and registry.get(RUC[0]).file(RUC[1]).sha256[:16] in message
    assert not fetch.cached_path(*RUC).exists()


def test_corrupt_cache_entry_is_replaced_from_the_mirror(temp_mirror):
    temp_mirror(*RUC)
    path = fetch.fetch(*RUC)
    path.write_bytes(b"garbage")
    again = fetch.fetch(*RUC)
    assert fetch.sha256_of(again) == registry.get(RUC[0]).file(RUC[1]).sha256


def _register_modified_copy(temp_mirror, monkeypatch, text: str):
    """Put a modified la_ruc.csv in the mirror and pin its hash, as if it were the registered version."""
    path = temp_mirror(*RUC, content=text.encode())
    src = registry.get(RUC[0])
    pinned = dataclasses.replace(src, files=(dataclasses.replace(src.files[0], sha256=fetch.sha256_of(path)),))
    monkeypatch.setitem(registry.all_sources(), RUC[0], pinned)


def test_renamed_column_names_dataset_column_and_columns_found(temp_mirror, monkeypatch):
    from .conftest import MIRROR

    text = (MIRROR / RUC[0] / RUC[1]).read_text(encoding="utf-8").replace("highly-rural", "very-rural", 1)
    _register_modified_copy(temp_mirror, monkeypatch, text)
    with pytest.raises(SchemaError) as err:
        datasets.load(RUC[0], use_cache=False)
    message = str(err.value)
    assert "la_urban_rural_profile" in message and "'highly-rural'" in message and "very-rural" in message
    assert "\n" not in message


def test_value_out_of_range_fails_the_pandera_schema(temp_mirror, monkeypatch):
    from .conftest import MIRROR

    frame = pd.read_csv(MIRROR / RUC[0] / RUC[1])
    frame.loc[frame["local-authority-code"] == "CAM", "urban"] = 1.7  # a share above 1
    _register_modified_copy(temp_mirror, monkeypatch, frame.to_csv(index=False))
    with pytest.raises(SchemaError, match="urban_share"):
        datasets.load(RUC[0], use_cache=False)


def test_unknown_table_names_available_tables():
    with pytest.raises(UnknownDatasetError, match="claimant-count"):
        datasets.load("ons_explore_local_statistics", "claimant-counts")


def test_parsed_frame_is_cached_and_reused(temp_mirror, monkeypatch):
    temp_mirror(*RUC)
    calls = []
    p = datasets.parsers()[(RUC[0], "default")]
    monkeypatch.setitem(
        datasets._PARSERS,
        (RUC[0], "default"),
        dataclasses.replace(p, func=lambda paths: calls.append(1) or p.func(paths)),
    )
    first = datasets.load(RUC[0])
    second = datasets.load(RUC[0])
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    assert list(temp_mirror.cache.glob("parsed/la_urban_rural_profile--default--*.parquet"))


def test_suppression_markers_become_missing_and_are_counted():
    values = pd.Series(["12", "c", "..", "1,234", None, "x", "7.5"], name="count")
    numbers, suppressed = readers.to_numeric_counting_suppressed(values)
    assert suppressed == 3
    assert numbers.isna().tolist() == [False, True, True, False, True, True, False]
    assert numbers.dropna().tolist() == [12.0, 1234.0, 7.5]


def test_unknown_non_numeric_value_is_an_error_not_a_zero():
    with pytest.raises(SchemaError, match="'twelve'"):
        readers.to_numeric_counting_suppressed(pd.Series(["1", "twelve"], name="count"))


def test_loaded_datasets_are_recorded_for_the_sources_footer():
    datasets.load("la_urban_rural_profile")
    assert "la_urban_rural_profile" in [s.id for s in datasets.used_sources()]
