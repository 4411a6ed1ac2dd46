"""Briefings 05 and 06 build for the councils that used to crash them (issue 18): the Isles of Scilly (no home
energy values, no bus authority, no station) and North Northamptonshire (created in 2021: no pre-Covid bus years).
Each run executes the real notebook with papermill (about 15 s of CPU)."""

from __future__ import annotations

import papermill as pm
import pytest
import scrapbook as sb

from helpers import config, verdicts

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror]


def _run(notebook: str, area: str, tmp_path) -> dict:
    out = tmp_path / f"{notebook}-{area}.ipynb"
    pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / f"{notebook}.ipynb"),
        str(out),
        parameters={"area": area},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(config.NOTEBOOKS_DIR),
    )
    return {name: scrap.data for name, scrap in sb.read_notebook(str(out)).scraps.items()}


@pytest.mark.parametrize(
    "notebook, area",
    [("05_net_zero", "E06000053"), ("06_transport", "E06000061"), ("06_transport", "E06000053")],
)
def test_awkward_council_builds(notebook, area, tmp_path):
    out = _run(notebook, area, tmp_path)
    assert out["briefing"]["area_code"] == area
    assert out["findings"], "no key findings"
    claims = {c["claim_id"]: c for c in out["claims"]}
    assert all(c["verdict"] in verdicts.CLAIM_VERDICTS for c in claims.values())
    assert all(p["status"] in verdicts.PLEDGE_STATUSES for p in out["pledges"])
    # claims that name Cambridgeshire's places are left out elsewhere, or tested in their general form, said as such
    assert "fenland-forced-motoring" not in claims and "growth-focused-greater-cambridge" not in claims
    if "fenland-transport-poverty-worst" in claims:
        assert "general form" in claims["fenland-transport-poverty-worst"]["claim"]
    # a council without the data gets "cannot be tested" with the kind and the reason, never a crash
    for row in list(claims.values()) + out["pledges"]:
        if row.get("verdict", row.get("status")) == "cannot be tested":
            assert row["untestable"] in verdicts.UNTESTABLE and row["evidence"]
