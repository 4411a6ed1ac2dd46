"""Run every council's briefings once and write ``benchmarks/all-councils.md``: wall time, briefings per
minute, failures by section (from the manifests the runner writes) and pages whose text leaks ``nan``,
``None`` or a placeholder.

Usage::

    python benchmarks/all_councils.py                      # briefings --all-councils --jobs 2 --force
    python benchmarks/all_councils.py --limit 3            # a trial on the first 3 councils (not the table)
    python benchmarks/all_councils.py --jobs 2 --output-dir /tmp/all --sections 00,04

The batch runs with ``--force`` into ``--output-dir`` (default ``outputs/``), so every briefing is built
and timed. The outputs stay out of git; only the table is meant to be committed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLE = Path(__file__).with_name("all-councils.md")


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def councils(limit: int | None) -> list[dict]:
    sys.path.insert(0, str(REPO / "src"))
    from helpers.runner import all_council_areas

    return all_council_areas()[:limit] if limit else all_council_areas()


def failures_by_section(output_dir: Path, areas: list[dict]) -> tuple[Counter, Counter, dict]:
    """Built and failed counts per section, and up to three example errors per section (area: message); the
    examples also hold each section's task seconds under ``("seconds", section)`` and the commit under
    ``"commit"``."""
    built, failed, examples = Counter(), Counter(), defaultdict(list)
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
        f"- Machine: {platform.platform()}; {os.cpu_count()} cores; load average before {before}, after {after}",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sections", default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N councils (a trial run)")
    parser.add_argument("--output-dir", type=Path, default=REPO / "outputs")
    parser.add_argument("--scheduler", default=None, help="an existing dask cluster (default: a local one)")
    parser.add_argument("--table", type=Path, default=None, help="where to write the table (default: %(prog)s's)")
    options = parser.parse_args(argv)
    areas = councils(options.limit)
    args = ["--jobs", str(options.jobs), "--force", "--output-dir", str(options.output_dir)]
    args += ["--sections", options.sections] if options.sections else []
    args += ["--scheduler", options.scheduler] if options.scheduler else []
    args += [x for a in areas for x in ("--area", a["code"])] if options.limit else ["--all-councils"]
    options.command = ["python -m helpers.runner", *args]
    if options.limit and options.table is None:
        options.table = Path("/tmp") / f"all-councils-trial-{options.limit}.md"
    before = load()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "helpers.runner", *args], cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    built, failed, examples = failures_by_section(options.output_dir, areas)
    options.leaks = page_leaks(options.output_dir, areas)
    path = write_table(options, areas, proc, seconds, built, failed, examples, before, load())
    print(proc.stderr.strip()[-2000:], file=sys.stderr) if proc.returncode not in (0, 1) else None
    print(f"{sum(built.values())} built, {sum(failed.values())} failed in {seconds:.0f} s -> {path}")
    return 0 if proc.returncode in (0, 1) else proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
