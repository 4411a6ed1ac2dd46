"""Every section notebook runs for a metropolitan district or a London borough.

Even-numbered sections run for Manchester (E08000003) and odd-numbered ones for Camden (E09000007), so
both kinds are covered across the collection within CI's time budget; ``-m slow`` with
``BRIEFINGS_ALL_KINDS=1`` runs every notebook for both.
"""

from __future__ import annotations

import os

import pytest

from .notebook_checks import NOTEBOOKS, run_and_check

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror]

CASES = [
    (nb, area)
    for i, nb in enumerate(NOTEBOOKS)
    for area in ("E08000003", "E09000007")
    if os.environ.get("BRIEFINGS_ALL_KINDS") or (area == "E08000003") == (int(nb.name[:2]) % 2 == 0)
]


@pytest.mark.parametrize("notebook,area", CASES, ids=lambda v: getattr(v, "stem", v))
def test_runs_for_metropolitan_or_london_borough(notebook, area, tmp_path):
    run_and_check(notebook, area, tmp_path)
