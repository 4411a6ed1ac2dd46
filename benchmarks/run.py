"""Time the batch runner: naive sequential (--jobs 1) vs parallel (--jobs N), and a no-change rebuild.

Usage::

    python benchmarks/run.py                                   # real notebooks/, Cambridgeshire
    python benchmarks/run.py --notebooks-dir tests/fixtures/notebooks --sections 00,01
    python benchmarks/run.py --area E06000031 --jobs 2 --sections 00,01,02

Each batch runs ``python -m helpers.runner`` in a fresh temporary output folder (so nothing is skipped),
then the no-change rebuild re-runs the parallel batch's command on its folder. All timings come from
one invocation of this script on one machine, so the ratios compare like with like; the results go to
``benchmarks/results.md`` together with the machine's core count and load.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results.md")


def run_batch(label: str, args: list[str]) -> dict:
    """Run the runner once; return label, command, wall seconds, exit code and its summary line."""
    command = [sys.executable, "-m", "helpers.runner", *args]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = next((line for line in proc.stdout.splitlines() if " built, " in line), proc.stderr.strip()[-200:])
    print(f"{label:<22} {seconds:8.1f} s  exit {proc.returncode}  {summary}", flush=True)
    return {
        "label": label,
        "command": " ".join(["python -m helpers.runner", *args]),
        "seconds": seconds,
        "exit": proc.returncode,
        "summary": summary,
    }


def no_change_rebuild(args: list[str]) -> dict:
    """Re-run on a built folder. If ``src/helpers/`` changed meanwhile (other people editing the tree),
    the keys changed and the briefings rightly rebuilt; the next run then has nothing to do, so time that."""
    row = run_batch("no-change rebuild", args)
    for _ in range(2):
        if " 0 built," in row["summary"]:
            break
        row = run_batch("no-change rebuild", args)
    return row


def common_args(options: argparse.Namespace, output_dir: Path) -> list[str]:
    args = ["--area", options.area, "--notebooks-dir", str(options.notebooks_dir), "--output-dir", str(output_dir)]
    return args + (["--sections", options.sections] if options.sections else [])


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return f"{platform.platform()}; {os.cpu_count()} cores; Python {platform.python_version()}; load average {load}"


def write_results(options: argparse.Namespace, rows: list[dict], before: str, after: str) -> None:
    """Write ``benchmarks/results.md``: the three timings, their ratios, and the conditions."""
    sequential, parallel, rebuild = (r["seconds"] for r in rows)
    lines = [
        "# Runner benchmark",
        "",
        f"Run {datetime.now(UTC).isoformat(timespec='seconds')} by `python benchmarks/run.py` "
        f"(area `{options.area}`, notebooks `{options.notebooks_dir}`, sections `{options.sections or 'all'}`).",
        "",
        "| batch | wall time (s) | exit | runner summary |",
        "|---|---:|---:|---|",
        *[f"| {r['label']} | {r['seconds']:.1f} | {r['exit']} | {r['summary']} |" for r in rows],
        "",
        f"- Parallel speed-up (sequential / parallel, `--jobs {options.jobs}`): **{sequential / parallel:.2f}x**",
        f"- No-change rebuild as a share of a parallel build: **{rebuild / parallel:.1%}** ({rebuild:.1f} s)",
        "",
        f"Machine before: {before}  ",
        f"Machine after: {after}",
        "",
        "The machine may be shared: compare the ratios, which come from one run, rather than absolute times.",
        "",
        "Commands:",
        "",
        *[f"- {r['label']}: `{r['command']}`" for r in rows],
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--area", default="E10000003")
    parser.add_argument("--notebooks-dir", type=Path, default=REPO / "notebooks")
    parser.add_argument("--sections", default=None, help="e.g. 00,01 (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the parallel batch (default 2)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up of the data cache")
    options = parser.parse_args(argv)
    before = machine()
    with tempfile.TemporaryDirectory(prefix="briefings-bench-") as tmp:
        tmp = Path(tmp)
        if not options.no_warmup:  # parsed-data cache and imports warm, so the first timed batch is not penalised
            run_batch("warm-up (untimed)", common_args(options, tmp / "warmup") + ["--jobs", "1"])
        rows = [
            run_batch("sequential --jobs 1", common_args(options, tmp / "sequential") + ["--jobs", "1"]),
            run_batch(
                f"parallel --jobs {options.jobs}",
                common_args(options, tmp / "parallel") + ["--jobs", str(options.jobs)],
            ),
            no_change_rebuild(common_args(options, tmp / "parallel") + ["--jobs", str(options.jobs)]),
        ]
    write_results(options, rows, before, machine())
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
