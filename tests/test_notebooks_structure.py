"""Every section notebook is committed clean and has the parameters the runner passes."""

from __future__ import annotations

import json

import nbformat
import pytest

from .notebook_checks import NOTEBOOKS, parameters_cell


def test_there_are_section_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_tagged_and_defaults_to_cambridgeshire(notebook):
    nb = nbformat.read(notebook, as_version=4)
    cell = parameters_cell(nb)
    assert cell is not None, f"{notebook.name}: no cell tagged 'parameters' (papermill would only warn)"
    assert 'area = "E10000003"' in cell.source


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(notebook):
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, notebook.name


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_no_paths_and_types_no_seed_text(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "shared/data" not in code and "read_csv(" not in code and "read_excel(" not in code, (
        f"{notebook.name}: load data through helpers.load, not by path"
    )
