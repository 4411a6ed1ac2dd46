"""The registry in data/sources/ agrees with the mirror's source.yaml for every dataset it lists."""

from __future__ import annotations

import pytest
import yaml

from helpers import datasets, registry
from helpers.errors import UnknownDatasetError

from .conftest import MIRROR

pytestmark = pytest.mark.needs_mirror


@pytest.mark.parametrize("dataset_id", sorted(registry.all_sources()))
def test_registry_entry_matches_mirror_source_yaml(dataset_id):
    mirror_yaml = MIRROR / dataset_id / "source.yaml"
    assert mirror_yaml.exists(), f"{dataset_id} is registered but the mirror has no {mirror_yaml}"
    expected = registry.entry_from_source_yaml(mirror_yaml)
    src = registry.get(dataset_id)
    assert src.licence == expected["licence"]
    assert src.landing_page == expected["landing_page"]
    assert {f.name: (f.url, f.sha256) for f in src.files} == {
        f["file"]: (f["download_url"], f["sha256"]) for f in expected["files"]
    }
    for f in src.files:
        assert f.url.startswith("https://"), f"{dataset_id}/{f.name} has no pinned https URL"
        assert len(f.sha256) == 64


def test_every_registered_file_in_the_mirror_has_the_pinned_hash():
    from helpers.fetch import sha256_of

    for src in registry.all_sources().values():
        for f in src.files:
            path = MIRROR / src.id / f.name
            if path.exists():
                assert sha256_of(path) == f.sha256, f"{src.id}/{f.name}"


def test_every_parser_belongs_to_a_registered_dataset_and_file():
    for (dataset, table), p in datasets.parsers().items():
        src = registry.get(dataset)
        for name in p.files:
            assert src.file(name).name == name, (dataset, table, name)


def test_unknown_dataset_names_the_closest_ids():
    with pytest.raises(UnknownDatasetError) as err:
        registry.get("imd2019_lsoa")
    message = str(err.value)
    assert "imd2019_lsoa_england" in message and "\n" not in message


def test_registry_files_are_plain_metadata_not_data():
    for path in (registry.config.SOURCES_DIR).glob("*.yaml"):
        entry = yaml.safe_load(path.read_text())
        assert set(entry) >= {"id", "title", "publisher", "licence", "landing_page", "files"}
