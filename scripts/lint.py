"""The house checks, in one place: what ``make lint`` runs (and ``make test`` runs first).

The same checks as ``.pre-commit-config.yaml``, without pre-commit installed:

* ``ruff check``         lint (pyflakes, pycodestyle, isort, bugbear, pyupgrade) of Python files and notebooks
* ``ruff format --check`` formatting, line length 120 (config: ``[tool.ruff]`` in pyproject.toml)
* ``nbstripout --verify`` notebooks are committed without outputs or execution counts
* ``mypy``               type checks of the modules in ``[tool.mypy] files``
* ``check_repo.py``      no file over 500 kB, no merge-conflict markers

Usage::

    python scripts/lint.py                  # every check on the working tree (git's tracked and new files)
    python scripts/lint.py FILE...          # the file checks on these files only (mypy reads its own list)
    python scripts/lint.py --skip mypy ...  # leave a check out (names as above: ruff-check, ruff-format,
                                            # notebooks, mypy, repo)

Run it with the project's interpreter (``.venv/bin/python``): the tools are run as ``python -m <tool>``.
Exit status 1 if any check fails; each failure is printed with the command that found it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent

#: folders never checked when the tree is walked without git (git's ignore rules cover them otherwise)
_SKIP_DIRS = {".git", ".venv", "__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
_SKIP_DIRS |= {".hypothesis", "node_modules", "outputs", "data/cache"}


@dataclass(frozen=True)
class Check:
    """One tool run: ``argv`` plus the files whose names end with ``suffixes`` (``()``: every file), or ``argv``
    alone (``suffixes=None``: the tool reads its own file list)."""

    name: str
    argv: tuple[str, ...]
    suffixes: tuple[str, ...] | None
    whole_tree: tuple[str, ...] = ()  # arguments instead of a file list on a whole-tree run, if the tool walks


_PY = sys.executable
CHECKS = (
    Check(
        "ruff-check",
        (_PY, "-m", "ruff", "check", "--force-exclude", "--output-format=concise"),
        (".py", ".ipynb"),
        (".",),
    ),
    Check("ruff-format", (_PY, "-m", "ruff", "format", "--check", "--force-exclude"), (".py", ".ipynb"), (".",)),
    # --keep-id: cell ids are not outputs, and renumbering them would churn every diff
    Check("notebooks", (_PY, "-m", "nbstripout", "--verify", "--keep-id"), (".ipynb",)),
    Check("mypy", (_PY, "-m", "mypy"), None),
    Check("repo", (_PY, str(SCRIPTS / "check_repo.py")), ()),
)


def tree_files(root: Path) -> list[Path]:
    """Files a commit could include: git's tracked and untracked-but-not-ignored files (or a walk, without git)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
        names = [n for n in out.decode().split("\0") if n]
        return [p for p in (root / n for n in names) if p.is_file()]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for folder, dirs, names in os.walk(root):
            rel = Path(folder).relative_to(root)
            dirs[:] = [d for d in dirs if not ({d, (rel / d).as_posix()} & _SKIP_DIRS or d.endswith(".egg-info"))]
            files += [Path(folder) / n for n in names]
        return files


def _select(check: Check, files: list[Path]) -> list[str]:
    assert check.suffixes is not None
    return [str(f) for f in files if not check.suffixes or f.name.endswith(check.suffixes)]


def run(root: Path = ROOT, files: list[Path] | None = None, skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Run every check not in ``skip`` from ``root``; return each check's exit status (0 = passed).

    ``files=None`` checks the whole tree; otherwise only these files (mypy still checks its configured list).
    """
    whole_tree = files is None
    if files is None:
        files = tree_files(root)
    unknown = set(skip) - {c.name for c in CHECKS}
    if unknown:
        raise SystemExit(f"unknown check(s) {sorted(unknown)}; choose from {[c.name for c in CHECKS]}")
    commands = {}
    for check in CHECKS:
        if check.name in skip:
            continue
        if check.suffixes is None:
            commands[check.name] = list(check.argv)
        elif whole_tree and check.whole_tree:
            commands[check.name] = [*check.argv, *check.whole_tree]
        elif selected := _select(check, files):
            commands[check.name] = [*check.argv, *selected]
    # the tools run at the same time (mypy's first run takes longest); reports come in the order above
    with ThreadPoolExecutor(max_workers=len(commands) or 1) as pool:
        futures = {name: pool.submit(_timed, argv, root) for name, argv in commands.items()}
        results = {}
        for name, future in futures.items():
            proc, seconds = future.result()
            results[name] = proc.returncode
            status = "ok" if proc.returncode == 0 else "FAILED"
            print(f"{name:<12} {status:<6} {seconds:5.1f} s", flush=True)
            if proc.returncode != 0:
                argv = commands[name]
                shown = " ".join(argv[:6]) + (" ..." if len(argv) > 6 else "")
                print(f"  $ {shown}\n" + _indent(proc.stdout + proc.stderr), flush=True)
    return results


def _timed(argv: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return proc, time.perf_counter() - started


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.strip().splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ruff, ruff format, stripped notebooks, mypy, repo hygiene")
    parser.add_argument("files", nargs="*", type=Path, help="check these files only (default: the whole tree)")
    parser.add_argument("--root", type=Path, default=ROOT, help="run from this folder (default: the repository)")
    parser.add_argument("--skip", action="append", default=[], help="leave this check out (repeatable)")
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or None
    results = run(args.root.resolve(), files, tuple(args.skip))
    failed = [name for name, code in results.items() if code != 0]
    if failed:
        print(
            f"lint: {len(failed)} check(s) failed ({', '.join(failed)}): fix the lines above "
            "(`.venv/bin/ruff check --fix FILE`, `.venv/bin/ruff format FILE`, `.venv/bin/nbstripout NOTEBOOK`)"
        )
        return 1
    print("lint: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
