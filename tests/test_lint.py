"""`make lint` (scripts/lint.py, run before the tests by `make test`) fails on what a reviewer should never see.

Each test builds a small project in a temporary folder with this repository's pyproject.toml (the ruff and mypy
configuration), runs the lint script on it exactly as `make lint` does on the repository (the whole tree, found
through git or by walking the folder), and checks that a clean tree passes and a broken one fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "scripts" / "lint.py"

CLEAN_MODULE = '"""A clean module."""\n\nimport os\n\nHOME = os.environ.get("HOME", "")\n'
UNUSED_IMPORT = '"""A module with an unused import."""\n\nimport os\nimport sys\n\nHOME = os.environ.get("HOME", "")\n'


def _lint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(LINT), "--root", str(root), *args], capture_output=True, text=True)


def _project(tmp_path: Path, use_git: bool) -> Path:
    """A folder with the repository's pyproject.toml, a clean module and a stripped notebook."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "module.py").write_text(CLEAN_MODULE)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"), nbformat.v4.new_code_cell('area = "E10000003"\narea')]
    nbformat.write(nb, tmp_path / "briefing.ipynb")
    if use_git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_a_clean_tree_passes(tmp_path, use_git):
    # the control: without it the failures below could come from anything in the temporary project;
    # `make lint` finds files through git (tracked and new), or by walking the folder outside a clone
    out = _lint(_project(tmp_path, use_git), "--skip", "mypy")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "lint: all checks passed" in out.stdout


def test_an_unused_import_fails(tmp_path):
    project = _project(tmp_path, use_git=True)
    (project / "module.py").write_text(UNUSED_IMPORT)
    out = _lint(project, "--skip", "mypy")
    assert out.returncode == 1
    assert "module.py:4:8: F401" in out.stdout  # `import sys`, line 4
    assert "ruff-check   FAILED" in out.stdout


@pytest.mark.parametrize("what", ["outputs", "execution count"])
def test_a_notebook_with_outputs_fails(tmp_path, what):
    project = _project(tmp_path, use_git=what == "outputs")
    path = project / "briefing.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = nb.cells[1]
    if what == "outputs":
        code.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "'E10000003'"})]
    else:
        code.execution_count = 1
    nbformat.write(nb, path)
    out = _lint(project, "--skip", "mypy")
    assert out.returncode == 1
    assert "notebooks    FAILED" in out.stdout
    assert "briefing.ipynb" in out.stdout


def test_mypy_checks_its_configured_modules(tmp_path):
    """A type error in one of the modules listed in [tool.mypy] files fails the lint step."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    assert {"src/helpers/stats", "src/helpers/datasets.py", "src/helpers/areas.py"} <= set(listed)
    (tmp_path / "src/helpers").mkdir(parents=True)
    (tmp_path / "src/helpers/__init__.py").write_text('"""Package."""\n')
    for entry in listed:
        target = tmp_path / entry
        target = target / "__init__.py" if not target.suffix else target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('"""Module."""\n\nCOUNT: int = 1\n')
    out = _lint(tmp_path, "--skip", "repo")
    assert out.returncode == 0, out.stdout + out.stderr
    (tmp_path / "src/helpers/datasets.py").write_text('"""Module."""\n\nCOUNT: int = "one"\n')
    out = _lint(tmp_path, "--skip", "repo")
    assert out.returncode == 1
    assert "src/helpers/datasets.py:3: error: Incompatible types in assignment" in out.stdout


def test_merge_markers_and_large_files_fail(tmp_path):
    project = _project(tmp_path, use_git=False)
    (project / "notes.md").write_text("text\n" + "<" * 7 + " HEAD\nours\n" + "=" * 7 + "\ntheirs\n" + ">" * 7 + " b\n")
    (project / "data.csv").write_bytes(b"x" * (501 * 1024))
    out = _lint(project, "--skip", "mypy")
    assert out.returncode == 1
    assert "notes.md:2: merge-conflict marker" in out.stdout
    assert "notes.md:4: merge-conflict marker" in out.stdout
    assert "data.csv: 501 kB is over the 500 kB limit" in out.stdout


def test_make_test_runs_lint_first():
    dry_run = subprocess.run(["make", "-n", "-C", str(ROOT), "test"], capture_output=True, text=True, check=True)
    lines = dry_run.stdout.splitlines()
    lint = next(i for i, line in enumerate(lines) if "scripts/lint.py" in line)
    pytest_run = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert lint < pytest_run
