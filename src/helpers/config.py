"""Project configuration in one place: paths, environment variables and defaults.

Every other module reads its settings from here, so a council analyst who needs to point the project
at another data folder or cache changes one environment variable, not the code.

Environment variables
---------------------
BRIEFINGS_DATA_MIRROR
    A folder holding the dataset files, laid out as ``<dataset id>/<file name>`` (the layout of
    ``../shared/data``). Used for offline work, e.g. inside a council network. Defaults to
    ``../shared/data`` beside the repository when that folder exists.
BRIEFINGS_CACHE_DIR
    Where verified raw files and parsed parquet frames are kept. Defaults to ``data/cache``.
BRIEFINGS_OFFLINE
    Set to ``1`` to forbid downloads (the data layer then uses only the cache and the mirror).
BRIEFINGS_SOURCES_DIR
    Another folder of registry entries (``<dataset id>.yaml``) instead of ``data/sources``, read when
    ``helpers.config`` is imported (worker processes inherit it). For trials of a new data release, and
    for the runner's tests, which register a changed file in a temporary copy of the registry.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository (``src/helpers/config.py`` -> three levels up).
REPO_ROOT = Path(__file__).resolve().parents[2]

#: Registry of the datasets the project uses: one small YAML file per dataset (BRIEFINGS_SOURCES_DIR: another).
SOURCES_ENV = "BRIEFINGS_SOURCES_DIR"
SOURCES_DIR = Path(os.environ.get(SOURCES_ENV) or REPO_ROOT / "data" / "sources")

#: Section notebooks, executed by the runner in file-name order.
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

#: Generated briefings (git-ignored).
OUTPUTS_DIR = REPO_ROOT / "outputs"

#: The claims register the briefings test by default (``--manifesto PATH`` or BRIEFINGS_MANIFESTO for another).
DEFAULT_MANIFESTO = REPO_ROOT / "manifestos" / "cambridgeshire-labour-2021"
MANIFESTO_ENV = "BRIEFINGS_MANIFESTO"

#: Default area: Cambridgeshire County Council.
DEFAULT_AREA = "E10000003"

MIRROR_ENV = "BRIEFINGS_DATA_MIRROR"
CACHE_ENV = "BRIEFINGS_CACHE_DIR"
OFFLINE_ENV = "BRIEFINGS_OFFLINE"


def cache_dir() -> Path:
    """Folder for verified raw files (``raw/``) and parsed frames (``parsed/``)."""
    return Path(os.environ.get(CACHE_ENV) or REPO_ROOT / "data" / "cache")


def mirror_dir() -> Path | None:
    """Folder laid out as ``<dataset id>/<file>``, or None when there is none."""
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        return Path(configured)
    default = REPO_ROOT.parent / "shared" / "data"
    return default if default.is_dir() else None


def offline() -> bool:
    """True when downloads are forbidden (``BRIEFINGS_OFFLINE=1``)."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes"}
