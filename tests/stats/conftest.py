"""Shared fixtures for the helpers.stats tests.

The PHEindicatormethods reference tables live outside the repo, in ``shared/`` beside
the clone (``/work/shared/reference/phe_indicator_methods`` on a developer machine and
in CI). Tests that read them skip when the folder is absent; every method also has a
few cases transcribed as literals so it is checked without the folder.
"""

from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "phe_indicator_methods"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Folder of PHEindicatormethods test tables, or skip the test if it is missing."""
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"PHEindicatormethods reference tables not found at {REFERENCE_DIR}; literal cases still run")
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def read_sheet(reference_dir):
    """Read one sheet of a reference workbook (openpyxl engine, cached per session)."""
    import pandas as pd

    cache = {}

    def _read(workbook: str, sheet: str) -> "pd.DataFrame":
        key = (workbook, sheet)
        if key not in cache:
            cache[key] = pd.read_excel(reference_dir / workbook, sheet_name=sheet, engine="openpyxl")
        return cache[key].copy()

    return _read
