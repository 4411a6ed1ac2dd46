"""The briefing record: validation of verdicts and alt text, and the scraps the runner reads back."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import papermill as pm
import pytest
import scrapbook as sb

from helpers.briefing import Briefing

pytestmark = pytest.mark.needs_mirror


def test_display_api_signatures_notebooks_code_against():
    """The display API the notebooks use (issue 19): keyword names and defaults stay stable."""
    import inspect

    figure = inspect.signature(Briefing.figure).parameters
    assert list(figure)[1:] == ["fig", "alt", "sources", "caption", "data"]
    table = inspect.signature(Briefing.table).parameters
    assert list(table)[1:4] == ["frame", "caption", "sources"]
    assert all(table[k].kind is inspect.Parameter.KEYWORD_ONLY for k in ("formats", "labels", "collapsed", "floatfmt"))
    assert inspect.signature(Briefing.say).parameters["details"].kind is inspect.Parameter.KEYWORD_ONLY
    assert list(inspect.signature(Briefing.appendix).parameters) == ["title", "markdown"]


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
    assert "la_urban_rural_profile" in [s["dataset"] for s in scraps["sources"]]


def test_show_a_panel_displays_its_parts_in_order_and_records_findings_and_sources(monkeypatch):
    import pandas as pd

    from helpers import panels

    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: shown.append(getattr(obj, "data", str(obj))))
    b = Briefing("t", "Test", "E10000003")
    fig, ax = plt.subplots()
    ax.plot([2019, 2020], [1.0, 2.0])
    data = pd.DataFrame({"area_name": ["A", "A"], "period": ["2019", "2020"], "value": [1.0, 2.0]})
    p = panels.Panel("A question", frame=data).say("First **sentence**.").finding("A finding.").gap("A gap.")
    p.add(panels.Figure(fig, "A line rising from 1 in 2019 to 2 in 2020", data, ["la_urban_rural_profile"]))
    p.add(panels.Table(data, "The values", ["fuel_poverty_la_2020_2021_lilee"]))
    assert b.show(p) is p
    html = "\n".join(map(str, shown))
    assert html.index("First <strong>sentence</strong>") < html.index("<figure") < html.index("The values")
    assert "A gap." in html and b.findings == ["A finding."]
    assert {"la_urban_rural_profile", "fuel_poverty_la_2020_2021_lilee"} <= set(b.__dict__["_cited"])
