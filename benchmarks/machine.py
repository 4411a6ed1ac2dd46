"""The conditions of a benchmark run: a machine-speed reference, the load average, the output bytes.

The reference is a fixed pure-Python loop (:func:`reference_seconds`), timed before and after a benchmark:
on a shared host, a reference slower than usual says the machine was slow, not the change. It is CPU-bound
in one thread and touches no library, so it moves only with the CPU share this process gets (and the CPU):
read a table's times against the reference printed beside them.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

#: Iterations of the reference loop (fixed: changing it makes earlier references incomparable).
REFERENCE_ITERATIONS = 3_000_000


def reference_seconds(repeats: int = 3) -> float:
    """Best of ``repeats`` timings of the fixed loop (the best is the least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        total = 0
        for i in range(REFERENCE_ITERATIONS):
            total += (i * i) % 7
        best = min(best, time.perf_counter() - start)
        if total <= 0:  # keeps the loop from being optimised away by a future interpreter
            raise AssertionError(total)
    return best


def load() -> str:
    """The 1, 5 and 15-minute load averages."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def describe() -> str:
    return f"{platform.platform()}; {os.cpu_count()} cores; Python {platform.python_version()}"


def written_bytes(folder: Path, since: float) -> tuple[int, int]:
    """(bytes, files) of the files under ``folder`` modified at or after ``since`` (a ``time.time()``)."""
    total = files = 0
    for path in folder.rglob("*"):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file() and stat.st_mtime >= since:
            total += stat.st_size
            files += 1
    return total, files


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def human(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"
