"""Batch runner: execute the section notebooks for one or more areas and write reviewer-ready output.

Usage::

    python -m helpers.runner --area E10000003 --jobs 2          # or: briefings --area Peterborough
    python -m helpers.runner --area E06000031 --sections 00,05 --force
    python -m helpers.runner --all-councils --jobs 2

For every area, ``outputs/<area slug>/`` gets the executed ``NN_slug.ipynb``, the reviewer page
``NN_slug.html``, ``index.html``, ``claims.csv``, ``pledges.csv`` and ``manifest.json`` (parameters,
datasets and their sha256, git commit, versions, per-notebook timings and cache keys).

How it behaves
--------------
* Parameters are checked before any kernel starts (exit code 2, one line naming the closest valid
  choices). Areas are resolved against a small JSON index of :mod:`helpers.areas` kept in the data
  cache, so a typo is reported in a fraction of a second. Values reach a notebook only as papermill
  parameters, which papermill writes as Python literals (``repr``), never as code.
* Notebooks run with papermill in a process pool (``--jobs``); a kernel that fails to start is retried
  once. A failing notebook does not stop the others: it gets ``NN_slug.error.html`` and the previous
  good ``NN_slug.html`` / ``.ipynb`` are kept (new files are written beside them and ``os.replace``-d only
  on success). The exit code is 1 when any briefing failed.
* A briefing whose inputs are unchanged is skipped: its key hashes the notebook, the parameters, every
  file in ``src/helpers/``, the registry ``data/sources/*.yaml`` and ``requirements.lock``. ``--force``
  re-runs everything.
* Output is deterministic: timings and papermill's run state are stripped from the saved notebook
  and kept only in ``manifest.json``. Set ``BRIEFINGS_GIT_COMMIT`` to stamp a commit without git.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import config
from .errors import BriefingError, ParameterError, UnknownAreaError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
KERNEL_NAME = "python3"
#: Section notebooks: two digits, an underscore, a slug.
SECTION_FILE = re.compile(r"^(\d\d)_([A-Za-z0-9][A-Za-z0-9_-]*)\.ipynb$")
#: Bump to invalidate every stored cache key (e.g. when the runner's output format changes).
KEY_VERSION = "1"
AREA_INDEX_VERSION = "1"
COMMIT_ENV = "BRIEFINGS_GIT_COMMIT"
HELPERS_DIR = Path(__file__).resolve().parent
KEY_PACKAGES = (
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "scrapbook",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "pandera",
    "pyarrow",
)
MAX_AREA_TEXT = 80


# --- areas ---------------------------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """Council name -> lookup key; the same rule as ``helpers.areas._normalise`` (a test keeps them equal)."""
    text = text.lower().replace("&", "and")
    text = re.sub(r"\b(county|district|borough|city|metropolitan|council|of|the|royal)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def _area_index_path() -> Path:
    """Cache file of the area index, named by the inputs it was built from."""
    digest = hashlib.sha256(AREA_INDEX_VERSION.encode())
    for path in (HELPERS_DIR / "areas.py", config.SOURCES_DIR / "uk_la_names_codes_hierarchy.yaml"):
        digest.update(path.read_bytes() if path.exists() else b"")
    return config.cache_dir() / "runner" / f"areas-{digest.hexdigest()[:16]}.json"


def build_area_index() -> dict:
    """Codes, name keys and briefing areas from :mod:`helpers.areas` (slow: loads the area table)."""
    from . import areas

    table = areas._table()
    names = {
        code: [name, kind, parent]
        for code, name, kind, parent in zip(table["code"], table["name"], table["kind"], table["parent"])
    }
    codes = {code: code for code in table["code"]}
    former: dict[str, set[str]] = {}
    for code, listed in zip(table["code"], table["former_codes"].fillna("")):
        for old in filter(None, str(listed).split(",")):
            former.setdefault(old, set()).add(code)
    for old, current in former.items():
        if len(current) == 1 and old not in codes:
            codes[old] = next(iter(current))
    briefing = {
        a.code: {"code": a.code, "name": a.name, "kind": a.kind, "slug": a.slug} for a in areas.briefing_areas()
    }
    return {"codes": codes, "keys": dict(areas._name_index()), "names": names, "briefing": briefing}


def area_index() -> dict:
    """The area index, built once per change of ``areas.py`` or the hierarchy dataset and cached as JSON."""
    path = _area_index_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from .report import atomic_write

        index = build_area_index()
        atomic_write(path, json.dumps(index, sort_keys=True))
        return index


def resolve_area(text: str, index: dict | None = None) -> dict:
    """The briefing area (code, name, kind, slug) for a GSS code or council name; one-line error otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("--area needs a GSS code (e.g. E10000003) or a council name (e.g. 'Peterborough')")
    if len(text) > MAX_AREA_TEXT or not text.isprintable():
        raise ParameterError(
            f"--area {text[:30]!r}… is not a GSS code or council name: use a code like "
            "E10000003 or a name like 'Cambridgeshire' (printable, at most 80 characters)"
        )
    index = index or area_index()
    clean = text.strip()
    code = index["codes"].get(clean.upper()) or index["keys"].get(normalise_name(clean))
    if code is None:
        choices = {a["name"]: a["code"] for a in index["briefing"].values()}
        looks_like_code = re.fullmatch(r"[A-Za-z]\d{6,}\w*", clean)
        pool = list(index["briefing"]) if looks_like_code else list(choices)
        close = difflib.get_close_matches(clean.upper() if looks_like_code else clean.title(), pool, n=3, cutoff=0.0)
        named = (
            [f"{index['briefing'][c]['name']} ({c})" for c in close]
            if looks_like_code
            else [f"{n} ({choices[n]})" for n in close]
        )
        raise UnknownAreaError(f"unknown area {clean!r}: closest councils are {', '.join(named)}")
    if code not in index["briefing"]:
        name, kind, parent = index["names"][code]
        hint = f"; its county is {index['names'][parent][0]} ({parent})" if parent in index["names"] else ""
        raise UnknownAreaError(
            f"{name} ({code}) is a {kind}: briefings are for a county or a unitary, "
            f"metropolitan or London borough council{hint}"
        )
    return dict(index["briefing"][code])


def all_council_areas() -> list[dict]:
    """Every briefing area, from :func:`helpers.areas.briefing_areas`."""
    from . import areas

    return [{"code": a.code, "name": a.name, "kind": a.kind, "slug": a.slug} for a in areas.briefing_areas()]


# --- sections ------------------------------------------------------------------------------------


def list_sections(notebooks_dir: Path) -> list[Path]:
    """Section notebooks ``NN_slug.ipynb`` in file-name order."""
    if not notebooks_dir.is_dir():
        raise ParameterError(f"notebooks folder {notebooks_dir} does not exist: pass --notebooks-dir")
    found = sorted(p for p in notebooks_dir.iterdir() if SECTION_FILE.match(p.name))
    if not found:
        raise ParameterError(
            f"no section notebooks (NN_slug.ipynb) in {notebooks_dir}: add one or pass --notebooks-dir"
        )
    return found


def select_sections(available: list[Path], spec: str | None) -> list[Path]:
    """The notebooks named by ``--sections`` ('00,05', '05_transport' or 'transport'); all when empty."""
    if not spec:
        return available
    names = {}
    for path in available:
        number, slug = SECTION_FILE.match(path.name).groups()
        for alias in (number, path.stem, slug, path.name):
            names.setdefault(alias.lower(), path)
    chosen = []
    for token in (t.strip().lower() for t in spec.split(",")):
        if not token:
            continue
        key = token.zfill(2) if token.isdigit() else token
        if key not in names:
            close = difflib.get_close_matches(key, [p.stem for p in available], n=3, cutoff=0.0)
            raise ParameterError(
                f"unknown section {token!r}: closest are {', '.join(close)} "
                f"(sections: {', '.join(p.stem for p in available)})"
            )
        if names[key] not in chosen:
            chosen.append(names[key])
    return chosen


def check_parameters_cell(notebook: Path) -> None:
    """Fail unless the notebook has a cell tagged ``parameters`` that sets ``area``."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise ParameterError(
            f"{notebook.name} is not a readable notebook ({exc}): save it again from Jupyter"
        ) from None
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            if re.search(r"^\s*area\s*=", source, flags=re.M):
                return
            raise ParameterError(
                f"{notebook.name}: the cell tagged 'parameters' does not set area: add area = \"E10000003\""
            )
    raise ParameterError(
        f"{notebook.name} has no cell tagged 'parameters': tag the cell that sets area = \"E10000003\""
    )


# --- cache keys and provenance -------------------------------------------------------------------


def _input_files() -> list[Path]:
    """The files every briefing depends on besides its notebook (see the module docstring)."""
    helpers = sorted(
        p
        for p in HELPERS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )
    lock = config.REPO_ROOT / "requirements.lock"
    return helpers + sorted(config.SOURCES_DIR.glob("*.yaml")) + ([lock] if lock.exists() else [])


def inputs_digest() -> str:
    """sha256 over ``src/helpers/``, ``data/sources/*.yaml`` and ``requirements.lock`` (names and bytes)."""
    digest = hashlib.sha256(KEY_VERSION.encode())
    for path in _input_files():
        digest.update(path.relative_to(config.REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def task_key(notebook: Path, parameters: dict, shared_digest: str) -> str:
    """Cache key of one briefing: notebook bytes, parameters, kernel and the shared inputs digest."""
    digest = hashlib.sha256(shared_digest.encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(json.dumps({"parameters": parameters, "kernel": KERNEL_NAME}, sort_keys=True).encode())
    return digest.hexdigest()


def git_commit() -> str:
    """The commit the build comes from (``BRIEFINGS_GIT_COMMIT`` overrides), with a note if helpers are edited."""
    import subprocess

    if os.environ.get(COMMIT_ENV):
        return os.environ[COMMIT_ENV]
    try:
        run = lambda *args: subprocess.run(
            ["git", *args],
            cwd=config.REPO_ROOT,
            capture_output=True,  # noqa: E731
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        commit = run("rev-parse", "--short=12", "HEAD")
        dirty = run("status", "--porcelain", "--", "src/helpers", "data/sources", "requirements.lock")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes to helpers" if dirty else commit


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the output."""
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
    from . import registry

    out = []
    for source in (record or {}).get("sources", []):
        dataset = source.get("dataset")
        try:
            files = [{"file": f.name, "sha256": f.sha256} for f in registry.get(dataset).files]
        except BriefingError:
            files = []
        out.append({"id": dataset, "files": files})
    return out


# --- one briefing (runs in a worker process) -----------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One notebook for one area."""

    notebook: str
    section: str
    area: dict
    out_dir: str
    parameters: dict
    include_code: bool
    key: str
    commit: str


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


def _execute(task: Task, scratch: Path):
    """Run the notebook with papermill; one retry when the kernel fails to start or dies."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    for attempt in (1, 2):
        try:
            nb = pm.execute_notebook(
                task.notebook,
                str(scratch),
                parameters=dict(task.parameters),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=120,
                cwd=str(Path(task.notebook).parent),
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )  # quiet shutdown
            return nb, attempt
        except PapermillExecutionError:
            raise
        except Exception:  # kernel start failures (port collisions, slow start): retry once
            if attempt == 2:
                raise
            time.sleep(1.0)
    raise AssertionError("unreachable")


def _failure(exc: BaseException, scratch: Path, out_dir: Path):
    """Describe a failed run (failing cell, one-line message); also returns the failed notebook if saved."""
    from papermill.exceptions import PapermillExecutionError

    from .report import Failure, scrub

    paths = (str(out_dir),)
    if isinstance(exc, PapermillExecutionError):
        first = (exc.evalue or "").strip().splitlines()
        message = f"{exc.ename}: {first[0] if first else ''}".rstrip(": ")
        failure = Failure(scrub(message, paths), exc.cell_index, exc.exec_count, traceback=list(exc.traceback))
        nb = _read_failed(scratch)
        if nb is not None:
            for cell in nb.cells:
                if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                    failure.cell_source = scrub("".join(cell.source), paths)
                    break
        failure.traceback = [scrub(line, paths) for line in failure.traceback]
        return failure, nb
    first = str(exc).strip().splitlines()
    text = first[0] if first else ""
    message = text if isinstance(exc, BriefingError) else f"{type(exc).__name__}: {text}".rstrip(": ")
    if not isinstance(exc, BriefingError):
        message += " (the kernel may have failed to start: re-run, or run with --jobs 1)"
    return Failure(scrub(message, paths)), _read_failed(scratch)


def _read_failed(scratch: Path):
    import nbformat

    try:
        return nbformat.read(str(scratch), as_version=4)
    except Exception:  # noqa: BLE001 - no notebook was saved
        return None


def run_task(task: Task) -> Result:
    """Execute one briefing and write its notebook and page; on failure write only the error page."""
    import logging

    from . import report

    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    start = time.perf_counter()
    out = Path(task.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scratch = out / f".{task.section}.running-{os.getpid()}.ipynb"
    attempts = 0
    try:
        nb, attempts = _execute(task, scratch)
        report.clean_notebook(nb, task.parameters, paths=(str(out),))
        record = report.read_record(nb, task.section, task.area)
        page = report.briefing_html(
            nb, record, include_code=task.include_code, commit=task.commit, parameters=task.parameters
        )
        report.atomic_write(out / f"{task.section}.ipynb", report.notebook_bytes(nb))
        report.atomic_write(out / f"{task.section}.html", page)
        for stale in (f"{task.section}.error.html", f"{task.section}.failed.ipynb"):
            (out / stale).unlink(missing_ok=True)
        return Result(task.section, task.area["code"], "built", time.perf_counter() - start, attempts, record)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an error page, never a traceback
        failure, failed_nb = _failure(exc, scratch, out)
        if failed_nb is not None:
            report.clean_notebook(failed_nb, task.parameters, paths=(str(out),))
            report.atomic_write(out / f"{task.section}.failed.ipynb", report.notebook_bytes(failed_nb))
        previous = f"{task.section}.html" if (out / f"{task.section}.html").exists() else None
        page = report.error_html(task.area, task.section, failure, commit=task.commit, previous=previous)
        report.atomic_write(out / f"{task.section}.error.html", page)
        return Result(
            task.section,
            task.area["code"],
            "failed",
            time.perf_counter() - start,
            attempts,
            message=failure.one_line(),
            error_page=f"{task.section}.error.html",
        )
    finally:
        scratch.unlink(missing_ok=True)


# --- the batch -----------------------------------------------------------------------------------


def _progress(total: int):
    """A tqdm bar on stderr, silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit="briefing", desc="briefings", disable=not sys.stderr.isatty(), leave=False)


def execute_tasks(tasks: list[Task], jobs: int) -> list[Result]:
    """Run tasks in a process pool of ``jobs`` workers (in this process when ``jobs`` is 1)."""
    results: list[Result] = []
    if not tasks:
        return results
    with _progress(len(tasks)) as bar:
        if jobs == 1 or len(tasks) == 1:
            for task in tasks:
                results.append(run_task(task))
                bar.update()
            return results
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            futures = {pool.submit(run_task, task): task for task in tasks}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    results.append(future.result())
                except Exception as exc:  # noqa: BLE001 - a worker crashed (e.g. killed): report, continue
                    results.append(
                        Result(
                            task.section,
                            task.area["code"],
                            "failed",
                            message=f"worker process failed: {type(exc).__name__}: {exc}",
                        )
                    )
                bar.update()
    return results


def _load_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_current(entry: dict | None, key: str, out_dir: Path) -> bool:
    """True when the stored build of a briefing has this key and its files are still there."""
    return bool(
        entry
        and entry.get("key") == key
        and entry.get("status") in {"built", "unchanged"}
        and (out_dir / f"{entry['section']}.html").exists()
        and (out_dir / f"{entry['section']}.ipynb").exists()
    )


def _entry(result: Result, task: Task, previous: dict | None, out_dir: Path) -> dict:
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
    return {
        **base,
        "status": result.status,
        "key": task.key,
        "seconds": round(result.seconds, 2),
        "attempts": result.attempts,
        "record": result.record,
        "datasets": dataset_files(result.record),
        "html": f"{task.section}.html",
        "ipynb": f"{task.section}.ipynb",
    }


def other_built_areas(output_dir: Path, exclude: str | None = None) -> list[dict]:
    """Areas with a manifest under ``output_dir`` (name order), except ``exclude`` (an area code)."""
    found = []
    for manifest in sorted(output_dir.glob("*/manifest.json")):
        area = _load_manifest(manifest.parent).get("area")
        if area and area.get("code") != exclude and area.get("slug") == manifest.parent.name:
            found.append(area)
    return sorted(found, key=lambda a: (a["name"], a["code"]))


def merge_entries(area: dict, plan: Plan, tasks: list[Task], results: dict[str, Result]) -> list[dict]:
    """The area's briefings after this run: new results over the stored entries, in section order."""
    out = plan.output_dir / area["slug"]
    previous = _load_manifest(out).get("briefings", {})
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
            entries[task.section] = _entry(result, task, previous.get(task.section), out)
            if result.status == "built":
                entries[task.section]["build_seconds"] = entries[task.section]["seconds"]
    return [entries[s] for s in sorted(entries)]


def write_manifest(area: dict, plan: Plan, entries: list[dict], meta: dict) -> dict:
    """Write the area's ``manifest.json``, ``claims.csv`` and ``pledges.csv``; returns the manifest."""
    from . import report

    out = plan.output_dir / area["slug"]
    for kind in ("claims", "pledges"):
        report.atomic_write(out / f"{kind}.csv", report.csv_text(report.table_rows(entries, kind, area), kind))
    manifest = {
        "area": area,
        "parameters": {"area": area["code"], "include_code": plan.include_code},
        **meta,
        "briefings": {e["section"]: e for e in entries},
    }
    report.atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def write_index(area: dict, plan: Plan, entries: list[dict]) -> None:
    """Write the area's ``index.html`` (after every manifest, so it links all areas built so far)."""
    from . import report

    others = other_built_areas(plan.output_dir, exclude=area["code"])
    report.atomic_write(
        plan.output_dir / area["slug"] / "index.html", report.index_html(area, entries, others, commit=plan.commit)
    )


# --- command line --------------------------------------------------------------------------------


@dataclass
class Plan:
    """Validated parameters of one run."""

    areas: list[dict]
    sections: list[Path]
    all_sections: list[Path]
    jobs: int
    force: bool
    include_code: bool
    output_dir: Path
    commit: str = ""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefings", description="Build the council briefings for one or more areas.")
    parser.add_argument(
        "--area",
        action="append",
        metavar="CODE_OR_NAME",
        help=f"county or single-tier council, by GSS code or name (repeatable; default {config.DEFAULT_AREA})",
    )
    parser.add_argument("--all-councils", action="store_true", help="every county and single-tier council in England")
    parser.add_argument("--sections", metavar="LIST", help="comma-separated section numbers or slugs, e.g. 00,05")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once (default: cores)")
    parser.add_argument("--force", action="store_true", help="re-run briefings whose inputs are unchanged")
    parser.add_argument("--include-code", action="store_true", help="show code cells in the HTML")
    parser.add_argument("--output-dir", type=Path, default=config.OUTPUTS_DIR, help="default: outputs/")
    parser.add_argument("--notebooks-dir", type=Path, default=config.NOTEBOOKS_DIR, help="default: notebooks/")
    return parser


def validate(args: argparse.Namespace) -> Plan:
    """Check every parameter (no kernel, nothing written); raise a one-line BriefingError otherwise."""
    if args.jobs < 1:
        raise ParameterError(f"--jobs must be at least 1, not {args.jobs}")
    if args.all_councils and args.area:
        raise ParameterError("use either --area or --all-councils, not both")
    all_sections = list_sections(args.notebooks_dir)
    sections = select_sections(all_sections, args.sections)
    for notebook in sections:
        check_parameters_cell(notebook)
    if args.all_councils:
        areas = all_council_areas()
    else:
        index = area_index()
        areas = []
        for text in args.area or [config.DEFAULT_AREA]:
            area = resolve_area(text, index)
            if area not in areas:
                areas.append(area)
    return Plan(areas, sections, all_sections, args.jobs, args.force, args.include_code, args.output_dir)


def plan_tasks(plan: Plan) -> tuple[list[Task], list[tuple[Task, dict]]]:
    """Tasks to run, and (task, stored entry) pairs that are unchanged and will be skipped."""
    shared = inputs_digest()
    to_run, skipped = [], []
    for area in plan.areas:
        out = plan.output_dir / area["slug"]
        stored = _load_manifest(out).get("briefings", {})
        for notebook in plan.sections:
            parameters = {"area": area["code"]}
            key = task_key(notebook, {**parameters, "include_code": plan.include_code}, shared)
            task = Task(str(notebook), notebook.stem, area, str(out), parameters, plan.include_code, key, plan.commit)
            if not plan.force and is_current(stored.get(notebook.stem), key, out):
                skipped.append((task, stored[notebook.stem]))
            else:
                to_run.append(task)
    return to_run, skipped


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


def run(plan: Plan) -> tuple[int, list[str]]:
    """Execute a validated plan; returns the exit code and the summary lines."""
    started = time.perf_counter()
    os.environ.setdefault("PYTHONHASHSEED", "0")  # kernels inherit it: set iteration order is stable
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    plan.commit = git_commit()
    to_run, skipped = plan_tasks(plan)
    results = execute_tasks(to_run, plan.jobs)
    results += [Result(t.section, t.area["code"], "unchanged", record=e.get("record")) for t, e in skipped]
    meta = {
        "git_commit": plan.commit,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "kernel": KERNEL_NAME,
        "run": {
            "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "jobs": plan.jobs,
            "force": plan.force,
            "seconds": round(time.perf_counter() - started, 2),
        },
    }
    manifests, all_entries = [], []
    for area in plan.areas:
        tasks = [t for t in to_run + [t for t, _ in skipped] if t.area["code"] == area["code"]]
        by_section = {r.section: r for r in results if r.area_code == area["code"]}
        entries = merge_entries(area, plan, tasks, by_section)
        manifests.append(write_manifest(area, plan, entries, meta))
        all_entries.append(entries)
    for area, entries in zip(plan.areas, all_entries):
        write_index(area, plan, entries)
    from . import report

    report.atomic_write(plan.output_dir / "index.html", report.outputs_index_html(other_built_areas(plan.output_dir)))
    lines = summarise(plan, manifests, results)
    lines.append(f"Done in {time.perf_counter() - started:.1f} s.")
    failed = any(r.status == "failed" for r in results)
    return (EXIT_FAILED if failed else EXIT_OK), lines


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m helpers.runner`` and ``briefings``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        plan = validate(args)
    except BriefingError as error:
        print(f"briefings: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        code, lines = run(plan)
    except KeyboardInterrupt:
        print("briefings: interrupted; finished briefings are kept, re-run to build the rest", file=sys.stderr)
        return 130
    except BriefingError as error:
        print(f"briefings: {error}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # noqa: BLE001 - one line, not a traceback
        if os.environ.get("BRIEFINGS_DEBUG"):
            raise
        print(
            f"briefings: unexpected {type(error).__name__}: {error} (set BRIEFINGS_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
