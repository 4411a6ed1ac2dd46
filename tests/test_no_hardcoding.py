"""Notebooks and section modules name no place, claim id or rank cut-off: those come from the register, the
catalogue and the reading table. Notebook code cells stay short (one panel a cell).

Scans string literals and numbers (AST) of every section module and every notebook code cell outside the
cell tagged ``parameters``:
* a GSS code of a council or district (England and region codes are comparators, not places a claim names);
* the id of any claim or pledge in any register under ``manifestos/``;
* a council or district name as a string literal in a notebook;
* a rank cut-off passed by keyword (``within=``, ``near=``, ``top=``, ``near_share=``) or a ``judge_rank`` call
  with a literal cut-off in a section module (the reading table holds every cut-off).
Each check is shown to bite on a broken input.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import config

SECTIONS = config.REPO_ROOT / "src" / "helpers" / "sections"
NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
MAX_CELL_LINES = 25
#: council and district GSS codes (E06 unitary, E07 district, E08 metropolitan, E09 London, E10 county)
PLACE_CODE = re.compile(r"\bE(0[6-9]|10)\d{6}\b")
CUT_OFF_KEYWORDS = {"within", "near", "top", "near_share", "partly"}


def _register_ids() -> set[str]:
    ids: set[str] = set()
    for path in (config.REPO_ROOT / "manifestos").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        sections = [data] + list((data.get("sections") or {}).values()) if isinstance(data, dict) else []
        for sec in sections:
            for kind in ("claims", "pledges"):
                for entry in (sec or {}).get(kind) or []:
                    ids.add(entry["id"])
    return ids


def _strings(code: str) -> list[tuple[int, str]]:
    tree = ast.parse(code)
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def _cut_offs(code: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            for kw in node.keywords:
                if kw.arg in CUT_OFF_KEYWORDS and isinstance(kw.value, ast.Constant) and name != "dict":
                    found.append((node.lineno, f"{name}({kw.arg}={kw.value.value!r})"))
            if name == "judge_rank" and any(isinstance(a, ast.Constant) for a in node.args[2:]):
                found.append((node.lineno, "judge_rank with a literal cut-off"))
    return found


def problems_in_code(code: str, ids: set[str], names: set[str] | None = None) -> list[str]:
    """What a module or a notebook cell hard-codes (empty when clean)."""
    out = []
    for line, text in _strings(code):
        if PLACE_CODE.search(text):
            out.append(f"line {line}: place code {PLACE_CODE.search(text).group(0)}")  # type: ignore[union-attr]
        if text in ids:
            out.append(f"line {line}: claim id {text!r}")
        if names is not None and text.strip() in names:
            out.append(f"line {line}: place name {text!r}")
    out += [f"line {line}: rank cut-off {what}" for line, what in _cut_offs(code)]
    return out


def _code_cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            yield i, cell.source


IDS = _register_ids()


@pytest.mark.parametrize("module", sorted(SECTIONS.glob("s[0-9][0-9]_*.py")), ids=lambda p: p.name)
def test_section_modules_hard_code_no_place_claim_id_or_cut_off(module):
    assert problems_in_code(module.read_text(encoding="utf-8"), IDS) == []


@pytest.mark.needs_mirror
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_name_no_place_or_claim_id_outside_parameters(notebook):
    from helpers import areas

    t = areas.areas_table()
    names = set(t.loc[t["kind"] != "country", "name"])
    found = [f"cell {i} {p}" for i, src in _code_cells(notebook) for p in problems_in_code(src, IDS, names)]
    assert found == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_cells_are_short(notebook):
    long = [(i, src.count("\n") + 1) for i, src in _code_cells(notebook) if src.count("\n") + 1 > MAX_CELL_LINES]
    assert long == [], f"cells over {MAX_CELL_LINES} lines (cell, lines): move the work into src/helpers/"


# --- the checks bite ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        ('focus = "E07000010"', "place code E07000010"),
        ('b.link_claim("fenland-transport-poverty-worst")', "claim id"),
        ("verdicts.judge_rank(rank, n, within=1)", "rank cut-off judge_rank(within=1)"),
        ("judge_rank(r, n, 5)", "literal cut-off"),
        ('title = "Fenland"', "place name 'Fenland'"),
    ],
)
def test_each_check_bites_on_a_broken_input(code, expected):
    found = problems_in_code(code, {"fenland-transport-poverty-worst"}, {"Fenland"})
    assert any(expected in p for p in found), found


def test_clean_code_passes():
    assert problems_in_code('x = "E92000001"\ny = "England"', {"an-id"}, {"Fenland"}) == []
