"""Time the batch engine against the compute-only floor, in one run, and report ratios.

Usage::

    python benchmarks/run.py                                   # real notebooks/, Cambridgeshire
    python benchmarks/run.py --notebooks-dir tests/fixtures/notebooks --sections 00,01
    python benchmarks/run.py --area E06000031 --sections 00,01,02 --skip-kernel

Rows, all from one invocation on one machine (so the ratios compare like with like):

1. **compute-only** — the floor: the code cells of every selected notebook, with the ``area`` parameter
   set, executed one after another in ONE fresh Python process (imports paid once; each notebook in a
   fresh namespace; no papermill, no outputs, no HTML);
2. **runner --jobs 1** — ``python -m helpers.runner`` (dask local cluster, warm worker, forked child per
   notebook), into a fresh output folder;
3. **runner --jobs 2** — the same with two workers;
4. **kernel --jobs 1** — ``--engine kernel``: papermill with a fresh ipykernel per notebook (the old path);
5. **batch scale** — ``--jobs 1`` and ``--jobs 2`` over several councils (``--batch-areas``, default eight
   councils of every kind, 64 briefings), where the cluster start and each worker's warm-up are shared by more
   work, as in a real batch;
6. **no-change rebuild** — the ``--jobs 2`` command again on its folder (every key unchanged).

Targets: runner ``--jobs 1`` ≤ 1.5× compute-only (issue 17); at batch scale ``--jobs 2`` ≥ 1.7× faster than
``--jobs 1`` (issue 27: one council's eight notebooks are too few to share two workers' start-up, so the
scaling target is measured on a batch). ``--batch-only`` runs just the two batch rows.

Results go to ``benchmarks/results.md`` with the machine's core count, the load average before, during and
after, and a machine-speed reference (a fixed pure-Python loop, ``benchmarks/machine.py``) timed before and
after: the machine may be shared, so read the times and ratios with the load and the reference beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, folder_bytes, human, load, reference_seconds  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results.md")
#: Eight councils of every kind (unitary, metropolitan, London, county; small to large): 64 briefings a row.
BATCH_AREAS = "E06000031,E08000003,E09000007,E06000052,E10000020,E06000001,E08000025,E09000033"
COMPUTE_ONLY = """
import json, sys, time
start = time.perf_counter()
area, paths = sys.argv[1], sys.argv[2:]
import matplotlib
matplotlib.use("agg")
for path in paths:
    cells = json.load(open(path, encoding="utf-8"))["cells"]
    namespace = {"__name__": "__main__"}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source += f"\\narea = {area!r}"
        exec(compile(source, path, "exec"), namespace)
    import matplotlib.pyplot as plt
    plt.close("all")
print(f"compute-only: {len(paths)} notebooks in {time.perf_counter() - start:.1f} s")
"""


def timed(label: str, command: list[str], shown: str, out: Path | None = None) -> dict:
    """Run a command once; return label, command, wall seconds, exit code, summary line and the load."""
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    seconds = time.perf_counter() - start
    lines = proc.stdout.splitlines()
    summary = next((x for x in lines if " built, " in x or x.startswith("compute-only")), proc.stderr.strip()[-300:])
    summary = summary.split(" -> ")[0]
    counts = [re.search(r": (\d+) built, (\d+) unchanged, (\d+) failed", x) for x in lines]
    counts = [m for m in counts if m]
    if len(counts) > 1:  # a batch: the totals over its councils
        built, unchanged, failed = (sum(int(m.group(i)) for m in counts) for i in (1, 2, 3))
        summary = f"{len(counts)} councils: {built} built, {unchanged} unchanged, {failed} failed"
    briefings = sum(int(m.group(i)) for m in counts for i in (1, 2, 3))
    size = human(folder_bytes(out)) if out is not None and out.exists() else ""
    print(f"{label:<22} {seconds:8.1f} s  exit {proc.returncode}  load {load()}  {size}  {summary}", flush=True)
    return {
        "label": label,
        "command": shown,
        "seconds": seconds,
        "exit": proc.returncode,
        "summary": summary,
        "load": load(),
        "bytes": size,
        "briefings": briefings,
    }


def runner(label: str, options: argparse.Namespace, out: Path, *extra: str, areas: list[str] | None = None) -> dict:
    chosen = areas or [options.area]
    args = [x for code in chosen for x in ("--area", code)]
    args += ["--notebooks-dir", str(options.notebooks_dir), "--output-dir", str(out), *extra]
    args += ["--sections", options.sections] if options.sections else []
    shown = " ".join(["python -m helpers.runner", *args])
    return timed(label, [sys.executable, "-m", "helpers.runner", *args], shown, out)


def compute_only(options: argparse.Namespace) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from helpers.runner import list_sections, select_sections

    notebooks = select_sections(list_sections(options.notebooks_dir), options.sections)
    command = [sys.executable, "-c", COMPUTE_ONLY, options.area, *map(str, notebooks)]
    return timed(
        "compute-only",
        command,
        f"python -c <exec every code cell> {options.area} " + " ".join(p.name for p in notebooks),
    )


def write_results(
    options: argparse.Namespace, rows: dict[str, dict], before: str, after: str, reference: tuple[float, float]
) -> None:
    """Write ``benchmarks/results.md``: the timings, the ratios against the targets, and the conditions."""
    s = {k: r["seconds"] for k, r in rows.items()}
    ratios = []
    if "batch1" in s:
        ratios.append(
            f"- **at batch scale** ({len(options.batch_areas)} councils, {rows['batch2']['briefings']} briefings): "
            f"runner `--jobs 1` / `--jobs 2`: **{s['batch1'] / s['batch2']:.2f}×** faster "
            "with 2 workers (target ≥ 1.7×)"
        )
    if "compute" in s:
        ratios += [
            f"- runner `--jobs 1` / compute-only: **{s['jobs1'] / s['compute']:.2f}×** (target ≤ 1.5×)",
            f"- one council: runner `--jobs 1` / runner `--jobs 2`: **{s['jobs1'] / s['jobs2']:.2f}×** faster "
            "with 2 workers (eight notebooks: the start-up is not shared; the target is at batch scale)",
            f"- runner `--jobs 2` / compute-only: **{s['jobs2'] / s['compute']:.2f}×**",
        ]
    if "kernel" in s:
        ratios += [
            f"- kernel path `--engine kernel --jobs 1` / compute-only: **{s['kernel'] / s['compute']:.2f}×**",
            f"- kernel path / runner `--jobs 1` (warm workers' gain): **{s['kernel'] / s['jobs1']:.2f}×**",
        ]
    if "rebuild" in s:
        ratios.append(
            f"- no-change rebuild: **{s['rebuild']:.1f} s** ({s['rebuild'] / s['jobs2']:.1%} of a `--jobs 2` build)"
        )
    slower = reference[1] / reference[0] if reference[0] else 0.0
    lines = [
        "# Batch engine benchmark",
        "",
        f"Run {datetime.now(UTC).isoformat(timespec='seconds')} by `python benchmarks/run.py` "
        f"(area `{options.area}`, notebooks `{os.path.relpath(options.notebooks_dir, REPO)}`, "
        f"sections `{options.sections or 'all'}`), one invocation, rows in this order.",
        "",
        f"Machine-speed reference (`benchmarks/machine.py`: a fixed pure-Python loop, best of 3; lower is a faster "
        f"or less loaded host): **{reference[0]:.2f} s before, {reference[1]:.2f} s after** "
        f"({slower:.2f}× as long at the end).",
        "",
        "| row | wall time (s) | exit | load average (1, 5, 15 min) after the row | output bytes | summary |",
        "|---|---:|---:|---|---:|---|",
        *[
            f"| {r['label']} | {r['seconds']:.1f} | {r['exit']} | {r['load']} | {r.get('bytes', '')} | {r['summary']} |"
            for r in rows.values()
        ],
        "",
        *ratios,
        "",
        f"Machine: {describe()}.  ",
        f"Load average before: {before}; after: {after}.",
        "",
        "The machine may be shared with other work: a load average above the core count means the rows",
        "competed for the CPU, and absolute times (and, less so, the ratios) move with it; a reference slower",
        "than usual says the host was slow during the run, not the code.",
        "",
        "Commands:",
        "",
        *[f"- {r['label']}: `{r['command']}`" for r in rows.values()],
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--area", default="E10000003")
    parser.add_argument("--notebooks-dir", type=Path, default=REPO / "notebooks")
    parser.add_argument("--sections", default=None, help="e.g. 00,01 (default: all)")
    parser.add_argument("--skip-kernel", action="store_true", help="leave out the slow kernel-per-notebook row")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up of the data cache")
    parser.add_argument(
        "--batch-areas",
        default=BATCH_AREAS,
        help="councils for the batch-scale rows (--jobs 1 and --jobs 2 over all of them); '' to skip",
    )
    parser.add_argument("--batch-only", action="store_true", help="only the two batch-scale rows")
    options = parser.parse_args(argv)
    options.batch_areas = [a for a in options.batch_areas.split(",") if a.strip()]
    options.notebooks_dir = options.notebooks_dir.resolve()
    if options.batch_only and not options.batch_areas:
        parser.error("--batch-only needs --batch-areas")
    before = load()
    reference_before = reference_seconds()
    print(f"machine reference: {reference_before:.2f} s (load {before})", flush=True)
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="briefings-bench-") as tmp:
        tmp = Path(tmp)
        if not options.no_warmup:  # parsed-data cache and OS file cache warm, so the first row is not penalised
            runner("warm-up (untimed)", options, tmp / "warmup", "--jobs", "1")
        if not options.batch_only:
            rows["compute"] = compute_only(options)
            rows["jobs1"] = runner("runner --jobs 1", options, tmp / "jobs1", "--jobs", "1")
            rows["jobs2"] = runner("runner --jobs 2", options, tmp / "jobs2", "--jobs", "2")
        if not options.skip_kernel and not options.batch_only:
            rows["kernel"] = runner("kernel --jobs 1", options, tmp / "kernel", "--jobs", "1", "--engine", "kernel")
        if options.batch_areas:
            n = len(options.batch_areas)
            rows["batch1"] = runner(
                f"{n} councils, --jobs 1", options, tmp / "b1", "--jobs", "1", areas=options.batch_areas
            )
            rows["batch2"] = runner(
                f"{n} councils, --jobs 2", options, tmp / "b2", "--jobs", "2", areas=options.batch_areas
            )
        if not options.batch_only:
            rows["rebuild"] = runner("no-change rebuild", options, tmp / "jobs2", "--jobs", "2")
            for _ in range(2):  # src/helpers/ edited meanwhile (a shared tree): keys changed, rightly rebuilt
                if " 0 built," in rows["rebuild"]["summary"]:
                    break
                rows["rebuild"] = runner("no-change rebuild", options, tmp / "jobs2", "--jobs", "2")
    reference_after = reference_seconds()
    print(f"machine reference: {reference_after:.2f} s (load {load()})", flush=True)
    write_results(options, rows, before, load(), (reference_before, reference_after))
    print(f"wrote {RESULTS.relative_to(REPO)}")
    print(json.dumps({k: round(r["seconds"], 1) for k, r in rows.items()}))
    return 0 if all(r["exit"] == 0 for r in rows.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
