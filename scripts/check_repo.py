"""Repository hygiene checks: files too large to commit and unresolved merge-conflict markers.

Local equivalents of pre-commit-hooks' ``check-added-large-files`` and ``check-merge-conflict`` (remote hook
repositories cannot be cloned on an offline council network). Used by ``make lint`` (through
``scripts/lint.py``) and by ``.pre-commit-config.yaml``.

Usage::

    python scripts/check_repo.py [--max-kb 500] [--only large-files|merge-markers] FILE...

Exit status 1 with one line per problem (cause and remedy), 0 when every file passes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

#: Largest file that may be committed, in kilobytes (pre-commit-hooks' default). Data files belong in the
#: mirror or the cache (data/sources/<id>.yaml records where they come from), never in the repository.
MAX_KB = 500

#: A conflict marker is one of these at the start of a line, as git writes it.
_OPENING = "<<<<<<< "
_CLOSING = ">>>>>>> "
_MIDDLE = "======="


def large_files(paths: Iterable[Path], max_kb: int = MAX_KB) -> list[str]:
    """One message per file larger than ``max_kb`` kilobytes (1 kB = 1024 bytes)."""
    problems = []
    for path in paths:
        size_kb = path.stat().st_size / 1024
        if size_kb > max_kb:
            problems.append(
                f"{path}: {size_kb:.0f} kB is over the {max_kb} kB limit; keep data in the mirror or cache "
                "(register it in data/sources/), not in git"
            )
    return problems


def merge_markers(paths: Iterable[Path]) -> list[str]:
    """One message per line that is a merge-conflict marker, in text files only.

    ``<<<<<<< `` and ``>>>>>>> `` count anywhere; a bare ``=======`` line counts only in a file that also has
    an opening or closing marker (it is a heading underline in reStructuredText and Markdown).
    """
    problems = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary or unreadable: git would not have merged it line by line
        lines = text.splitlines()
        has_pair = any(line.startswith((_OPENING, _CLOSING)) for line in lines)
        for number, line in enumerate(lines, start=1):
            if line.startswith((_OPENING, _CLOSING)) or (has_pair and line.rstrip() == _MIDDLE):
                problems.append(f"{path}:{number}: merge-conflict marker {line[:7]!r}; resolve the conflict")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--max-kb", type=int, default=MAX_KB, help=f"largest allowed file (default {MAX_KB})")
    parser.add_argument("--only", choices=("large-files", "merge-markers"), help="run one check only")
    args = parser.parse_args(argv)
    files = [f for f in args.files if f.is_file()]
    problems = []
    if args.only in (None, "large-files"):
        problems += large_files(files, args.max_kb)
    if args.only in (None, "merge-markers"):
        problems += merge_markers(files)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
