"""docs/writing-a-briefing.md, followed literally: its indicator entry, register entry and panel function (the
code blocks of the page, read from the page) and a notebook laid out as the page says, built in a temp folder."""

from __future__ import annotations

import re
import shutil

import nbformat
import papermill as pm
import pytest
import yaml

from helpers import config

DOC = config.REPO_ROOT / "docs" / "writing-a-briefing.md"

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_onboarding_page_builds_a_briefing(tmp_path, monkeypatch):
    indicator_yaml, register_yaml = _blocks("yaml")
    (panel_code,) = _blocks("python")

    # 1. the indicator, in a copy of the catalogue
    catalogue = tmp_path / "indicators"
    shutil.copytree(config.REPO_ROOT / "data" / "indicators", catalogue)
    entry = yaml.safe_load(indicator_yaml)
    (catalogue / f"{entry['id']}.yaml").write_text(indicator_yaml, encoding="utf-8")
    monkeypatch.setenv("BRIEFINGS_INDICATORS_DIR", str(catalogue))

    # 2. the register (one file: the page's section under `sections:`)
    section = yaml.safe_load(register_yaml)
    register = {
        "manifesto": {
            "id": "onboarding-2021",
            "title": "Onboarding manifesto",
            "date": "2021-05-06",
            "subject_area": "E10000003",
            "documents": {"manifesto": {"title": "Onboarding manifesto", "date": "2021-04-01"}},
        },
        "sections": {section.pop("section"): section},
    }
    (tmp_path / "register.yaml").write_text(yaml.safe_dump(register, sort_keys=False), encoding="utf-8")

    # 3. the panel, as the section module
    (tmp_path / "s05_onboarding.py").write_text(panel_code, encoding="utf-8")

    # 4. the notebook, laid out as the page says
    kernel = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": kernel})
    params = nbformat.v4.new_code_cell('area = "E10000003"\nmanifesto = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 05 — Recycling\n\nThis briefing tests the register's recycling pledge."),
        params,
        nbformat.v4.new_code_cell(
            "from helpers.briefing import Briefing\nimport s05_onboarding as s05\n\n"
            'b = Briefing("05_net_zero", "Recycling", area, manifesto=manifesto)'
        ),
        nbformat.v4.new_code_cell("p = s05.recycling(b.area)\nb.show(p)\np.frame"),
        nbformat.v4.new_code_cell("b.check_claims_and_pledges()\nb.show_findings()\nb.show_sources()\nb.publish();"),
    ]
    nbformat.write(nb, tmp_path / "05_net_zero.ipynb")
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(tmp_path / "05_net_zero.ipynb"),
        str(out),
        parameters={"area": "E06000031", "manifesto": str(tmp_path / "register.yaml")},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    text = out.read_text(encoding="utf-8")
    assert "Peterborough" in text and "of household waste recycled in" in text
    assert "pledge-household-recycling" in text  # the claim card of the register's pledge
