"""Shared test fixtures.

The real data come from the mirror ``../shared/data`` (CI clones the repo with ``shared/`` beside it)
through the project's data layer; tests never read dataset files by path except to build corrupted
copies in a temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import config

SHARED = config.REPO_ROOT.parent / "shared"
MIRROR = SHARED / "data"
REFERENCE = SHARED / "reference"


@pytest.fixture
def temp_mirror(tmp_path, monkeypatch):
    """An empty mirror folder and an empty cache, with downloads switched off.

    Returns a function ``put(dataset_id, file_name, content=None)`` that copies the real file from
    ``../shared/data`` into the temporary mirror (or writes ``content`` bytes instead) and returns its path.
    """
    mirror, cache = tmp_path / "mirror", tmp_path / "cache"
    mirror.mkdir()
    monkeypatch.setenv(config.MIRROR_ENV, str(mirror))
    monkeypatch.setenv(config.CACHE_ENV, str(cache))
    monkeypatch.setenv(config.OFFLINE_ENV, "1")

    def put(dataset_id: str, file_name: str, content: bytes | None = None) -> Path:
        target = mirror / dataset_id / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            shutil.copyfile(MIRROR / dataset_id / file_name, target)
        else:
            target.write_bytes(content)
        return target

    put.mirror, put.cache = mirror, cache
    return put


def pytest_collection_modifyitems(config, items):
    """Skip tests that need the shared mirror when it is absent (never in CI, where it is required)."""
    import os

    if MIRROR.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs the data mirror at {MIRROR}")
    skip = pytest.mark.skip(reason=f"data mirror {MIRROR} not present")
    for item in items:
        if "needs_mirror" in item.keywords:
            item.add_marker(skip)


# Fixture notebooks (some fail on purpose) are inputs to the runner tests, not notebooks for nbval.
collect_ignore_glob = ["fixtures/*"]
