"""No verdict, status or direction is typed in a notebook or a section module: helpers.verdicts decides them.

Scans string literals (AST, so comments and docstrings of the rule set itself are not counted) in every
notebook code cell and every module under helpers/sections for the rule set's words used as a value, and for
phrases that only a typed verdict would contain.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from helpers import config, verdicts

SECTIONS = config.REPO_ROOT / "src" / "helpers" / "sections"
#: a literal equal to one of these is a typed verdict/status/direction
WORDS = {w.lower() for w in verdicts.CLAIM_VERDICTS + verdicts.PLEDGE_STATUSES + ("improving", "worsening")}
#: a literal containing one of these phrases is a typed verdict inside prose
PHRASES = re.compile(
    r"\b(partly supported|not supported|on track|off track|baseline only|direction only|"
    r"no public indicator|cannot be tested)\b",
    re.IGNORECASE,
)


def literals(code: str):
    """(line, text) of every string constant in the code, docstrings excluded."""
    tree = ast.parse(code)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def offences(code: str) -> list[str]:
    found = []
    for line, text in literals(code):
        if text.strip().lower() in WORDS or PHRASES.search(text):
            found.append(f"line {line}: {text.strip()[:80]!r}")
    return found


def sources():
    for path in sorted(SECTIONS.glob("*.py")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and not c.source.lstrip().startswith("%"))
        yield path.name, code


@pytest.mark.parametrize("name", [name for name, _ in sources()])
def test_no_typed_verdict_or_status(name):
    code = dict(sources())[name]
    assert not offences(code), f"{name} types a verdict/status instead of calling helpers.verdicts: {offences(code)}"


def test_the_scan_catches_a_typed_verdict():
    assert offences('status = "on track"\n')
    assert offences('x = f"the claim is partly supported by {y}"\n')
    assert not offences('"""A docstring saying on track is fine."""\nx = verdicts.judge(1, 0)\n')
