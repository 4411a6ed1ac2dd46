"""Obtain a registered data file, verified against its pinned sha256.

Order: the local cache (``data/cache/raw/<id>/<file>``) -> the mirror folder (``$BRIEFINGS_DATA_MIRROR``,
default ``../shared/data``) -> a download from the pinned URL with pooch. A file enters the cache only
after its sha256 matches the registry; a file that does not match is never kept.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from . import config, registry
from .errors import ChecksumError, DataUnavailableError


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=512)
def _verified(path: str, size: int, mtime_ns: int, expected: str) -> bool:
    """Memoised hash check of a cached file (keyed by size and mtime, so an edited file is re-hashed)."""
    return sha256_of(Path(path)) == expected


def cached_path(dataset_id: str, file_name: str) -> Path:
    """Where the verified copy of a file lives in the cache."""
    return config.cache_dir() / "raw" / dataset_id / file_name


def fetch(dataset_id: str, file_name: str | None = None) -> Path:
    """Path to a verified local copy of one file of a registered dataset.

    Raises :class:`DataUnavailableError` when the file is in neither cache nor mirror and cannot
    be downloaded, and :class:`ChecksumError` when a copy does not match the pinned sha256.
    """
    source = registry.get(dataset_id)
    spec = source.file(file_name)
    target = cached_path(dataset_id, spec.name)

    if target.exists():
        stat = target.stat()
        if _verified(str(target), stat.st_size, stat.st_mtime_ns, spec.sha256):
            return target
        target.unlink()  # a corrupted cache entry is dropped and obtained again

    mirror = config.mirror_dir()
    mirrored = mirror / dataset_id / spec.name if mirror else None
    if mirrored is not None and mirrored.exists():
        _copy_verified(mirrored, target, spec.sha256)
        return target

    if config.offline():
        raise DataUnavailableError(
            _unavailable_message(dataset_id, spec.name, "downloads are off (BRIEFINGS_OFFLINE=1)")
        )
    return _download(dataset_id, spec, target)


def _copy_verified(src: Path, target: Path, expected: str) -> None:
    actual = sha256_of(src)
    if actual != expected:
        raise ChecksumError(
            f"{src} has sha256 {actual[:16]}…, registry expects {expected[:16]}…: "
            "the mirror copy is corrupt or a different version; replace it with the pinned file (not cached)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    os.close(fd)
    shutil.copyfile(src, tmp)
    os.replace(tmp, target)


def _download(dataset_id: str, spec: registry.SourceFile, target: Path) -> Path:
    import pooch  # imported lazily: only needed when a file is not available locally

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url=spec.url,
            known_hash=f"sha256:{spec.sha256}",
            fname=spec.name,
            path=target.parent,
            progressbar=False,
        )
    except ValueError as exc:  # pooch: hash mismatch (it deletes the download itself)
        raise ChecksumError(
            f"download of {spec.name} for '{dataset_id}' does not match the pinned sha256 {spec.sha256[:16]}… "
            f"({exc}); the publisher's file has changed: re-register the dataset after checking it"
        ) from None
    except Exception as exc:  # network errors of every kind
        raise DataUnavailableError(
            _unavailable_message(dataset_id, spec.name, f"download failed: {type(exc).__name__}")
        ) from None
    return target


def _unavailable_message(dataset_id: str, file_name: str, why: str) -> str:
    return (
        f"{file_name} for dataset '{dataset_id}' is not in the cache or a mirror and {why}: "
        f"run `make data` online, or set {config.MIRROR_ENV} to a folder holding {dataset_id}/{file_name}"
    )
