"""Every section notebook runs for a unitary authority (Peterborough) and honours the contract."""

from __future__ import annotations

import pytest

from .notebook_checks import NOTEBOOKS, run_and_check

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_for_peterborough(notebook, tmp_path):
    run_and_check(notebook, "E06000031", tmp_path)
