"""Run every council's briefings once and write ``benchmarks/all-councils.md``: wall time, briefings per
minute, failures by section (from the manifests the runner writes) and pages whose text leaks ``nan``,
``None`` or a placeholder.

Usage::

    python benchmarks/all_councils.py                      # briefings --all-councils --jobs 2 --force
    python benchmarks/all_councils.py --limit 3            # a trial on the first 3 councils (not the table)
    python benchmarks/all_councils.py --jobs 2 --output-dir /tmp/all --sections 00,04
    python benchmarks/all_councils.py --output-dir /tmp/all --after-registry-change bus_passenger_journeys_la_2010_2024

The batch runs with ``--force`` into ``--output-dir`` (default ``outputs/``), so every briefing is built
and timed. The outputs stay out of git; only the table is meant to be committed.

``--after-registry-change DATASET`` is the incremental row: on a folder that already holds an all-councils
build, the dataset's registry entry is changed (a note appended, in a temporary copy of ``data/sources``
given to the runner as ``BRIEFINGS_SOURCES_DIR``) and the batch runs WITHOUT ``--force``: only the briefings
whose manifests list the dataset should be rebuilt. Its table (``all-councils-registry-change.md``) gives the
dry run's count, built and unchanged per section, the wall time and the bytes written.

Every table states the bytes the run wrote (files modified during it) and the machine-speed reference
(``benchmarks/machine.py``) before and after, so a slow shared host can be told from a slow change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, folder_bytes, human, load, reference_seconds, written_bytes  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TABLE = Path(__file__).with_name("all-councils.md")
CHANGE_TABLE = Path(__file__).with_name("all-councils-registry-change.md")


def councils(limit: int | None) -> list[dict]:
    sys.path.insert(0, str(REPO / "src"))
    from helpers.runner import all_council_areas

    return all_council_areas()[:limit] if limit else all_council_areas()


def failures_by_section(output_dir: Path, areas: list[dict]) -> tuple[Counter, Counter, dict]:
    """Built (or unchanged) and failed counts per section, and up to three example errors per section (area:
    message); the examples also hold each section's task seconds under ``("seconds", section)``, the unchanged
    count under ``("unchanged", section)`` and the commit under ``"commit"``."""
    built: Counter = Counter()
    failed: Counter = Counter()
    examples: defaultdict = defaultdict(list)
    for area in areas:
        try:
            manifest = json.loads((output_dir / area["slug"] / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            failed["(no manifest)"] += 1
            continue
        examples["commit"] = [manifest.get("git_commit", "")]
        for section, entry in manifest.get("briefings", {}).items():
            examples[("seconds", section)].append(float(entry.get("seconds") or 0.0))
            if entry.get("status") == "failed":
                failed[section] += 1
                if len(examples[section]) < 3:
                    examples[section].append(f"{area['name']}: {entry.get('error', '')}")
            else:
                built[section] += 1
                if entry.get("status") == "unchanged":
                    examples[("unchanged", section)].append(area["code"])
    return built, failed, examples


def page_leaks(output_dir: Path, areas: list[dict]) -> list[str]:
    """Built pages whose text shows a template leak (``nan``, ``None``, ``{placeholder}``; see
    :func:`helpers.pagetext.template_leaks`): "council section: first leak", one per page."""
    sys.path.insert(0, str(REPO / "src"))
    from helpers import pagetext

    found = []
    for area in areas:
        for page in sorted((output_dir / area["slug"]).glob("[0-9][0-9]_*.html")):
            if page.name.endswith(".error.html"):
                continue
            leaks = pagetext.template_leaks(page.read_text(encoding="utf-8"))
            if leaks:
                found.append(f"{area['name']} {page.stem}: {leaks[0]}")
    return found


def conditions(options) -> list[str]:
    """The lines every table carries: bytes written, the machine and its speed reference, before and after."""
    ref = options.reference
    return [
        f"- Bytes written: **{human(options.written[0])}** in {options.written[1]} files "
        f"(the output folder now holds {human(options.total_bytes)})",
        f"- Machine: {describe()}; load average before {options.load[0]}, after {options.load[1]}",
        f"- Machine-speed reference (`benchmarks/machine.py`, a fixed pure-Python loop, best of 3): "
        f"**{ref[0]:.2f} s before, {ref[1]:.2f} s after** "
        "(when it is higher than usual, the host was slow, not the code)",
    ]


def write_table(options, areas, proc, seconds, built, failed, examples, before, after) -> Path:
    total_built, total_failed = sum(built.values()), sum(failed.values())
    total = total_built + total_failed
    per_minute = total / (seconds / 60) if seconds else 0.0
    sections = sorted(set(built) | set(failed))

    def mean_seconds(section: str) -> str:
        values = examples.get(("seconds", section), [])
        return f"{sum(values) / len(values):.2f}" if values else ""

    rows = [
        f"| {s} | {built[s]} | {failed[s]} | {mean_seconds(s)} | "
        f"{'<br>'.join(e.replace('|', '/') for e in examples.get(s, []))} |"
        for s in sections
    ]
    commit = (examples.get("commit") or [""])[0]
    lines = [
        "# All councils",
        "",
        f"Run {datetime.now(UTC).isoformat(timespec='seconds')} by `python benchmarks/all_councils.py"
        f"{' --limit ' + str(options.limit) if options.limit else ''} --jobs {options.jobs}"
        f"{' --sections ' + options.sections if options.sections else ''}` (runner exit code {proc.returncode}), "
        f"code at commit `{commit[:12] or 'unknown'}`.",
        "",
        f"- Councils: **{len(areas)}**; briefings: **{total}** ({total_built} built, {total_failed} failed)",
        f"- Wall time: **{seconds / 60:.1f} min** ({seconds:.0f} s) with `--jobs {options.jobs}` (target ≤ 20 min)",
        f"- Throughput: **{per_minute:.1f} briefings per minute**",
        *conditions(options),
        "",
        "## Failures by section",
        "",
        "| section | built | failed | mean seconds per briefing (in its worker) | examples |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
        "## Text leaks on built pages",
        "",
        f"Pages whose text shows `nan`, `None` or a `{{placeholder}}`: **{len(options.leaks)}**.",
        *[f"- {leak.replace('|', '/')}" for leak in options.leaks[:10]],
        "",
        f"Command: `{' '.join(options.command)}`",
        "",
    ]
    path = options.table or TABLE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def change_registry_entry(dataset: str, folder: Path) -> Path:
    """A copy of the registry in ``folder`` with ``dataset``'s entry changed (a note appended); returns it."""
    sys.path.insert(0, str(REPO / "src"))
    from helpers import config

    copy = folder / "sources"
    shutil.copytree(config.SOURCES_DIR, copy)
    entry = copy / f"{dataset}.yaml"
    if not entry.exists():
        raise SystemExit(f"all_councils.py: no registry entry {entry.name} in {config.SOURCES_DIR}")
    entry.write_text(entry.read_text(encoding="utf-8") + "# benchmark: registry entry changed\n", encoding="utf-8")
    return copy


def write_change_table(options, areas, proc, seconds, built, examples, dry_run: str) -> Path:
    """The incremental row's table: what one dataset's new registry entry rebuilt, and what it cost."""
    sections = sorted(built)
    rows = []
    for section in sections:
        unchanged = len(examples.get(("unchanged", section), []))
        rows.append(f"| {section} | {built[section] - unchanged} | {unchanged} |")
    rebuilt = sum(built.values()) - sum(len(examples.get(("unchanged", s), [])) for s in sections)
    lines = [
        "# All councils after one dataset's registry entry changes",
        "",
        f"Run {datetime.now(UTC).isoformat(timespec='seconds')} by `python benchmarks/all_councils.py "
        f"{'--limit ' + str(options.limit) + ' ' if options.limit else ''}"
        f"--after-registry-change {options.after_registry_change} --jobs {options.jobs}` (runner exit code "
        f"{proc.returncode}), code at commit `{((examples.get('commit') or [''])[0])[:12] or 'unknown'}`.",
        "",
        f"- Councils: **{len(areas)}**; briefings rebuilt: **{rebuilt}** of {sum(built.values())}",
        f"- Planned by `--dry-run` first: {dry_run.removeprefix('Dry run: ')}",
        f"- Wall time: **{seconds / 60:.1f} min** ({seconds:.0f} s) with `--jobs {options.jobs}`",
        *conditions(options),
        "",
        "| section | rebuilt | unchanged |",
        "|---|---:|---:|",
        *rows,
        "",
        f"Command: `BRIEFINGS_SOURCES_DIR=<copy> {' '.join(options.command)}`",
        "",
    ]
    path = options.table or CHANGE_TABLE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sections", default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N councils (a trial run)")
    parser.add_argument("--output-dir", type=Path, default=REPO / "outputs")
    parser.add_argument("--scheduler", default=None, help="an existing dask cluster (default: a local one)")
    parser.add_argument("--table", type=Path, default=None, help="where to write the table (default: %(prog)s's)")
    parser.add_argument(
        "--after-registry-change",
        metavar="DATASET",
        help="the incremental row: change DATASET's registry entry and rebuild without --force (needs a built folder)",
    )
    options = parser.parse_args(argv)
    areas = councils(options.limit)
    incremental = bool(options.after_registry_change)
    args = ["--jobs", str(options.jobs), *([] if incremental else ["--force"]), "--output-dir", str(options.output_dir)]
    args += ["--sections", options.sections] if options.sections else []
    args += ["--scheduler", options.scheduler] if options.scheduler else []
    args += [x for a in areas for x in ("--area", a["code"])] if options.limit else ["--all-councils"]
    options.command = ["python -m helpers.runner", *args]
    if options.limit and options.table is None:
        options.table = Path("/tmp") / f"all-councils-trial-{options.limit}.md"
    env = dict(os.environ)
    dry_run = ""
    with tempfile.TemporaryDirectory(prefix="all-councils-") as tmp:
        if incremental:
            if not list(options.output_dir.glob("*/manifest.json")):
                raise SystemExit(f"all_councils.py: {options.output_dir} holds no build: run without the flag first")
            env["BRIEFINGS_SOURCES_DIR"] = str(change_registry_entry(options.after_registry_change, Path(tmp)))
            plan = subprocess.run(
                [sys.executable, "-m", "helpers.runner", *args, "--dry-run"], cwd=REPO, env=env, capture_output=True
            )
            dry_run = next((x for x in plan.stdout.decode().splitlines() if x.startswith("Dry run:")), "(none)")
        reference_before = reference_seconds()
        before = load()
        started_at = time.time() - 1  # file times have coarse resolution on some file systems
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "helpers.runner", *args], cwd=REPO, env=env, capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
    options.load = (before, load())
    options.reference = (reference_before, reference_seconds())
    options.written = written_bytes(options.output_dir, started_at)
    options.total_bytes = folder_bytes(options.output_dir)
    built, failed, examples = failures_by_section(options.output_dir, areas)
    if incremental:
        path = write_change_table(options, areas, proc, seconds, built, examples, dry_run)
        print(f"{dry_run}\n{proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ''} -> {path}")
        return 0 if proc.returncode in (0, 1) else proc.returncode
    options.leaks = page_leaks(options.output_dir, areas)
    path = write_table(options, areas, proc, seconds, built, failed, examples, before, load())
    print(proc.stderr.strip()[-2000:], file=sys.stderr) if proc.returncode not in (0, 1) else None
    print(f"{sum(built.values())} built, {sum(failed.values())} failed in {seconds:.0f} s -> {path}")
    return 0 if proc.returncode in (0, 1) else proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
