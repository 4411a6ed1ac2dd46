"""After a batch: per-area ``manifest.json``, ``claims.csv``, ``pledges.csv``, ``index.html`` and the summary.

The manifest carries parameters, datasets and their sha256, git commit, package versions, per-notebook
timings and cache keys; timings live only here, so the notebooks and pages stay byte-identical.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import BriefingError
from .plan import Inputs, Plan, Task, inputs_key, load_manifest

COMMIT_ENV = "BRIEFINGS_GIT_COMMIT"
KEY_PACKAGES = (
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "IPython",
    "scrapbook",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "pandera",
    "pyarrow",
    "distributed",
)


@dataclass
class Result:
    """What happened to one task; ``record`` holds the notebook's scraps when it built."""

    section: str
    area_code: str
    status: str  # built | unchanged | failed
    seconds: float = 0.0
    attempts: int = 0
    record: dict | None = None
    message: str = ""
    error_page: str | None = None
    extra: dict = field(default_factory=dict)


# --- provenance ----------------------------------------------------------------------------------


def git_commit() -> str:
    """The commit the build comes from (``BRIEFINGS_GIT_COMMIT`` overrides), with a note if helpers are edited."""
    if os.environ.get(COMMIT_ENV):
        return os.environ[COMMIT_ENV]

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--", "src/helpers", "data/sources", "requirements.lock")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes to helpers" if dirty else commit


def package_versions() -> dict[str, str]:
    """Installed versions (on the client) of the packages that shape the output."""
    from importlib import metadata

    out = {}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def dataset_files(record: dict | None) -> list[dict]:
    """Dataset ids a briefing loaded (from its ``sources`` scrap) with the sha256 of each registered file."""
    from .. import registry

    out = []
    for source in (record or {}).get("sources", []):
        dataset = source.get("dataset")
        try:
            files = [{"file": f.name, "sha256": f.sha256} for f in registry.get(dataset).files]
        except BriefingError:
            files = []
        out.append({"id": dataset, "files": files})
    return out


# --- manifest entries ----------------------------------------------------------------------------


def built_key(task: Task, datasets: list[dict], inputs: Inputs | None) -> tuple[str, dict]:
    """The key and inputs of a briefing just built: its task's inputs with the datasets this build read.

    The task was planned with the datasets of the build before; the next run compares against what this
    build read, so a notebook that starts reading another dataset is keyed by it from now on."""
    if inputs is None or not task.inputs:
        return task.key, task.inputs
    recorded = {**task.inputs, "datasets": inputs.datasets([d["id"] for d in datasets if d.get("id")])}
    return inputs_key(recorded), recorded


def _entry(result: Result, task: Task, previous: dict | None, out_dir: Path, inputs: Inputs | None = None) -> dict:
    """The manifest entry of a briefing after this run."""
    base = {"section": task.section, "notebook": Path(task.notebook).name, "parameters": task.parameters}
    if result.status == "failed":
        kept = previous if previous and previous.get("record") else {}
        return {
            **base,
            "status": "failed",
            "key": None,
            "error": result.message,
            "error_page": result.error_page,
            "seconds": round(result.seconds, 2),
            "attempts": result.attempts,
            "record": kept.get("record"),
            "datasets": kept.get("datasets", []),
            "html": f"{task.section}.html" if (out_dir / f"{task.section}.html").exists() else None,
            "ipynb": f"{task.section}.ipynb" if (out_dir / f"{task.section}.ipynb").exists() else None,
        }
    datasets = dataset_files(result.record)
    key, recorded = built_key(task, datasets, inputs)
    return {
        **base,
        "status": result.status,
        "key": key,
        "inputs": recorded,
        "seconds": round(result.seconds, 2),
        "attempts": result.attempts,
        "record": result.record,
        "datasets": datasets,
        "html": f"{task.section}.html",
        "ipynb": f"{task.section}.ipynb",
    }


def other_built_areas(output_dir: Path, exclude: str | None = None) -> list[dict]:
    """Areas with a manifest under ``output_dir`` (name order), except ``exclude`` (an area code)."""
    found = []
    for manifest in sorted(output_dir.glob("*/manifest.json")):
        area = load_manifest(manifest.parent).get("area")
        if area and area.get("code") != exclude and area.get("slug") == manifest.parent.name:
            found.append(area)
    return sorted(found, key=lambda a: (a["name"], a["code"]))


def merge_entries(area: dict, plan: Plan, tasks: list[Task], results: dict[str, Result]) -> list[dict]:
    """The area's briefings after this run: new results over the stored entries, in section order."""
    out = plan.output_dir / area["slug"]
    previous = load_manifest(out).get("briefings", {})
    known = {p.stem for p in plan.all_sections}
    entries = {s: e for s, e in previous.items() if s in known}
    for task in tasks:
        result = results[task.section]
        if result.status == "unchanged":
            stored = previous[task.section]
            entries[task.section] = {
                **stored,
                "status": "unchanged",
                "seconds": 0.0,
                "build_seconds": stored.get("build_seconds", stored.get("seconds")),
            }
        else:
            entries[task.section] = _entry(result, task, previous.get(task.section), out, plan.inputs)
            if result.status == "built":
                entries[task.section]["build_seconds"] = entries[task.section]["seconds"]
    return [entries[s] for s in sorted(entries)]


def write_manifest(area: dict, plan: Plan, entries: list[dict], meta: dict) -> dict:
    """Write the area's ``manifest.json``, ``claims.csv`` and ``pledges.csv``; returns the manifest."""
    from .. import report

    out = plan.output_dir / area["slug"]
    for kind in ("claims", "pledges"):
        report.atomic_write(out / f"{kind}.csv", report.csv_text(report.table_rows(entries, kind, area), kind))
    from .. import register

    reg = register.load(plan.manifesto or None)
    manifest = {
        "area": area,
        "parameters": {"area": area["code"], "include_code": plan.include_code, "manifesto": plan.manifesto},
        "manifesto": {"id": reg.info.id, "title": reg.info.title, "path": str(reg.path)},
        **meta,
        "briefings": {e["section"]: e for e in entries},
    }
    report.atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def write_index(area: dict, plan: Plan, entries: list[dict]) -> None:
    """Write the area's ``index.html`` (after every manifest, so it links all areas built so far)."""
    from .. import report

    others = other_built_areas(plan.output_dir, exclude=area["code"])
    report.atomic_write(
        plan.output_dir / area["slug"] / "index.html", report.index_html(area, entries, others, commit=plan.commit)
    )


def write_area_outputs(plan: Plan, tasks: list[Task], results: list[Result], meta: dict) -> list[dict]:
    """Manifests and CSVs of every area, then every area's index and the top ``index.html``."""

    manifests, all_entries = [], []
    for area in plan.areas:
        mine = [t for t in tasks if t.area["code"] == area["code"]]
        by_section = {r.section: r for r in results if r.area_code == area["code"]}
        entries = merge_entries(area, plan, mine, by_section)
        manifests.append(write_manifest(area, plan, entries, meta))
        all_entries.append(entries)
    for area, entries in zip(plan.areas, all_entries, strict=True):
        write_index(area, plan, entries)
    from .. import overview  # the national overview when two or more councils are built, else the plain list

    overview.write(plan.output_dir, commit=plan.commit)
    return manifests


# --- summary -------------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def summarise(plan: Plan, manifests: list[dict], results: list[Result]) -> list[str]:
    """Summary lines: per area the counts and index path, then one line per failure."""
    lines = []
    for manifest in manifests:
        area = manifest["area"]
        mine = [r for r in results if r.area_code == area["code"]]
        counts = {s: sum(r.status == s for r in mine) for s in ("built", "unchanged", "failed")}
        index = plan.output_dir / area["slug"] / "index.html"
        lines.append(
            f"{area['name']} ({area['code']}): {counts['built']} built, {counts['unchanged']} unchanged, "
            f"{counts['failed']} failed -> {_shown(index)}"
        )
        for r in sorted(mine, key=lambda r: r.section):
            if r.status == "failed":
                page = plan.output_dir / area["slug"] / (r.error_page or "")
                lines.append(f"  FAILED {r.section}: {r.message} (see {_shown(page)})")
    return lines
