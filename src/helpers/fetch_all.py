"""Fetch and verify every file of every registered dataset: ``python -m helpers.fetch_all``.

Run it once online (or with a mirror folder) before working offline. Prints one line per dataset and
exits non-zero if any file could not be obtained or failed its checksum.
"""

from __future__ import annotations

import sys

from . import fetch, registry
from .errors import BriefingError


def main() -> int:
    failures = 0
    for source in registry.all_sources().values():
        try:
            for f in source.files:
                fetch.fetch(source.id, f.name)
            print(f"ok      {source.id} ({len(source.files)} file(s))")
        except BriefingError as exc:
            failures += 1
            print(f"FAILED  {source.id}: {exc}")
    print(f"{len(registry.all_sources()) - failures} datasets ready, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
