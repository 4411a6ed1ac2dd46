"""The briefing record: validation of verdicts and alt text, and the scraps the runner reads back."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import papermill as pm
import pytest
import scrapbook as sb

from helpers.briefing import Briefing

pytestmark = pytest.mark.needs_mirror


def test_verdicts_and_statuses_are_validated():
    b = Briefing("t", "T", "E06000031")
    with pytest.raises(ValueError, match="verdict must be one of"):
        b.claim("c", "i", "probably", "e")
    with pytest.raises(ValueError, match="status must be one of"):
        b.pledge("p", "i", "1", "up", "done")


def test_a_figure_needs_real_alt_text():
    b = Briefing("t", "T", "E06000031")
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        b.figure(fig, alt="chart", sources=["la_urban_rural_profile"])


def test_unknown_area_fails_at_setup_with_closest_matches():
    from helpers.errors import UnknownAreaError

    with pytest.raises(UnknownAreaError, match="Peterborough"):
        Briefing("t", "T", "Peterbrough")


@pytest.mark.slow
def test_published_scraps_are_read_back_by_scrapbook(tmp_path):
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    params = nbformat.v4.new_code_cell('area = "E10000003"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "from helpers.briefing import Briefing\n"
            "from helpers import load\n"
            "load('la_urban_rural_profile')\n"
            "b = Briefing('t', 'Test', area)\n"
            "b.finding('A finding.')\n"
            "b.claim('c', 'i', 'supported', 'e')\n"
            "b.pledge('p', 'i', '1', 'up', 'on track')\n"
            "b.publish()"
        ),
    ]
    nbformat.write(nb, tmp_path / "in.ipynb")
    pm.execute_notebook(
        str(tmp_path / "in.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"area": "E09000007"},
        kernel_name="python3",
        progress_bar=False,
    )
    scraps = {name: s.data for name, s in sb.read_notebook(str(tmp_path / "out.ipynb")).scraps.items()}
    assert scraps["briefing"]["area_code"] == "E09000007"
    assert scraps["findings"] == ["A finding."]
    assert scraps["claims"][0]["verdict"] == "supported"
    assert scraps["pledges"][0]["status"] == "on track"
    assert "la_urban_rural_profile" in [s["dataset"] for s in scraps["sources"]]
