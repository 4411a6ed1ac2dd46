"""Planning a batch: section notebooks, the validated plan, tasks and their incremental cache keys.

A briefing whose inputs are unchanged is skipped. Its key (:func:`briefing_inputs`, as Make, DVC or
Snakemake would) covers its notebook and parameters, the engine, ``requirements.lock``, the shared helper code
(``src/helpers/`` except the other sections' ``sections/sNN_*`` modules), its own section's modules, the
indicator catalogue ``data/indicators/*.yaml``, its section's claims-register file(s) with the register's
``manifesto.yaml``, and the registry entries ``data/sources/<id>.yaml`` of the datasets its last build read
(recorded in the area's ``manifest.json``). So a new release of one dataset rebuilds only the briefings that
read it, and an edited register file or section module only that section. ``--force`` re-runs everything;
``--dry-run`` lists what would be rebuilt and why (:func:`explain`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import ParameterError

KERNEL_NAME = "python3"
#: Execution engines: ``inprocess`` (warm worker, a forked child per notebook) or ``kernel`` (ipykernel).
ENGINES = ("inprocess", "kernel")
DEFAULT_ENGINE = "inprocess"
#: Section notebooks: two digits, an underscore, a slug.
SECTION_FILE = re.compile(r"^(\d\d)_([A-Za-z0-9][A-Za-z0-9_-]*)\.ipynb$")
#: Bump to invalidate every stored cache key (e.g. when the runner's output format changes).
KEY_VERSION = "3"
HELPERS_DIR = Path(__file__).resolve().parents[1]
#: A section's own modules: ``sections/sNN_slug.py`` or a package ``sections/sNN_slug/``.
SECTION_CODE = re.compile(r"^s(\d\d)_")
#: A section's register file: ``NN_slug.yaml``.
REGISTER_SECTION = re.compile(r"^(\d\d)_.*\.ya?ml$")
#: Folders of shared data tables every briefing may read (all their YAML is hashed into every key).
SHARED_DATA_DIRS = ("data/indicators",)
#: The hash of a file that does not exist (e.g. a dataset no longer registered).
MISSING = "missing"
#: Notebook output modes: ``link`` keeps each figure's image only in the page (the executed notebook points to
#: it); ``inline`` keeps it in both.
FIGURE_MODES = ("link", "inline")
DEFAULT_FIGURES = "link"


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
    names: dict[str, Path] = {}
    for path in available:
        # list_sections keeps only names SECTION_FILE matches
        number, slug = SECTION_FILE.match(path.name).groups()  # type: ignore[union-attr]
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


# --- cache keys ----------------------------------------------------------------------------------


class FileHashes:
    """sha256 of each file, read at most once per run: a batch plans hundreds of briefings over the same few
    hundred files, so each briefing's key costs a dictionary look-up per input, not a read."""

    def __init__(self) -> None:
        self._known: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._known:
            try:
                self._known[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._known[path] = MISSING
        return self._known[path]

    def digest(self, paths: list[Path], root: Path) -> str:
        """One sha256 over the names (relative to ``root``) and contents of ``paths``."""
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + self(path).encode() + b"\n")
        return digest.hexdigest()


def _code_files() -> list[Path]:
    """Every file under ``src/helpers/`` (modules, templates, YAML tables), without bytecode."""
    return sorted(
        p
        for p in HELPERS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )


def code_section(path: Path) -> str | None:
    """The section ``NN`` a helper file belongs to (``sections/sNN_*.py`` or ``sections/sNN_*/...``), else None
    (shared by every briefing)."""
    parts = path.relative_to(HELPERS_DIR).parts
    if len(parts) >= 2 and parts[0] == "sections":
        match = SECTION_CODE.match(parts[1])
        if match:
            return match.group(1)
    return None


def _shared_data_files() -> list[Path]:
    """Data files every briefing may read besides its datasets: the indicator catalogue ``data/indicators``."""
    return sorted(p for folder in SHARED_DATA_DIRS for p in (config.REPO_ROOT / folder).rglob("*.yaml"))


def _shared_data_digest(hashes: FileHashes) -> str:
    """sha256 over :data:`SHARED_DATA_DIRS` (each file named relative to its folder, under the folder's name)."""
    digest = hashlib.sha256()
    for folder in SHARED_DATA_DIRS:
        base = config.REPO_ROOT / folder
        digest.update(hashes.digest(sorted(base.rglob("*.yaml")), base).encode())
    return digest.hexdigest()


def _input_files() -> list[Path]:
    """The files every briefing depends on (shared helper code, shared data, the lock): see :class:`Inputs`."""
    lock = config.REPO_ROOT / "requirements.lock"
    shared = [p for p in _code_files() if code_section(p) is None]
    return shared + _shared_data_files() + ([lock] if lock.exists() else [])


def section_number(notebook: Path | str) -> str:
    """``06`` for ``06_transport.ipynb`` ("" for a name that is not a section notebook)."""
    match = SECTION_FILE.match(Path(notebook).name)
    return match.group(1) if match else ""


@dataclass
class Inputs:
    """What the briefings of one run depend on, each file hashed once (:class:`FileHashes`).

    A briefing's key (:func:`briefing_inputs`, :func:`inputs_key`) covers its notebook and parameters, the
    engine, the lock, the shared helper code (everything in ``src/helpers/`` except other sections' modules
    ``sections/sNN_*``), its own section's modules, the indicator catalogue (``data/indicators/*.yaml``), its
    section's register file(s) plus the register's shared files (``manifesto.yaml``; a one-file register is
    one file), and the registry entries ``<SOURCES_DIR>/<id>.yaml`` of the datasets its last build read.
    """

    hashes: FileHashes
    lock: str
    shared_code: str
    section_code: dict[str, str]
    indicators: str
    #: register file name -> sha256, for the files every section reads (manifesto.yaml, a one-file register)
    register_shared: dict[str, str]
    #: section NN -> {register file name -> sha256}
    register_sections: dict[str, dict[str, str]]

    def dataset(self, dataset_id: str) -> str:
        """sha256 of the dataset's registry entry (``missing`` when it is not registered)."""
        return self.hashes(config.SOURCES_DIR / f"{dataset_id}.yaml")

    def datasets(self, ids: list[str]) -> dict[str, str]:
        return {i: self.dataset(i) for i in sorted(set(ids)) if i}


def scan_inputs(manifesto: str = "", hashes: FileHashes | None = None) -> Inputs:
    """Hash every shared input once: helper code split by section, the lock, the indicator catalogue and the
    claims register ``manifesto`` ("" = the default register)."""
    hashes = hashes or FileHashes()
    code = _code_files()
    by_section: dict[str, list[Path]] = {}
    shared = []
    for path in code:
        section = code_section(path)
        if section is None:
            shared.append(path)
        else:
            by_section.setdefault(section, []).append(path)
    lock = config.REPO_ROOT / "requirements.lock"
    root = Path(manifesto) if manifesto else config.DEFAULT_MANIFESTO
    register_shared: dict[str, str] = {}
    register_sections: dict[str, dict[str, str]] = {}
    if root.is_dir():
        for path in sorted(root.rglob("*.yaml")):
            name = path.relative_to(root).as_posix()
            match = REGISTER_SECTION.match(path.name)
            if match:
                register_sections.setdefault(match.group(1), {})[name] = hashes(path)
            else:
                register_shared[name] = hashes(path)
    else:
        register_shared[root.name] = hashes(root)
    return Inputs(
        hashes,
        hashes(lock),
        hashes.digest(shared, HELPERS_DIR),
        {s: hashes.digest(paths, HELPERS_DIR) for s, paths in by_section.items()},
        _shared_data_digest(hashes),
        register_shared,
        register_sections,
    )


def inputs_digest() -> str:
    """sha256 over the inputs every briefing shares (see :func:`_input_files`)."""
    return FileHashes().digest(_input_files(), config.REPO_ROOT)


def briefing_inputs(
    inputs: Inputs,
    notebook: Path,
    parameters: dict,
    engine: str = DEFAULT_ENGINE,
    datasets: list[str] | None = None,
    notebook_sha: str | None = None,
) -> dict:
    """The inputs of one briefing, as plain data (kept in the manifest, so a rebuild can say what changed)."""
    section = section_number(notebook)
    return {
        "version": KEY_VERSION,
        "notebook": notebook_sha or inputs.hashes(notebook),
        "parameters": parameters,
        "kernel": KERNEL_NAME,
        "engine": engine,
        "lock": inputs.lock,
        "shared_code": inputs.shared_code,
        "section_code": inputs.section_code.get(section, ""),
        "indicators": inputs.indicators,
        "register": {**inputs.register_shared, **inputs.register_sections.get(section, {})},
        "datasets": inputs.datasets(datasets or []),
    }


def inputs_key(inputs: dict) -> str:
    """The cache key of a briefing: sha256 of its inputs (:func:`briefing_inputs`) as canonical JSON."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def task_key(notebook: Path, parameters: dict, shared_digest: str, engine: str = DEFAULT_ENGINE) -> str:
    """A key over notebook bytes, parameters, kernel, engine and a digest of shared inputs (kept for callers
    that key a notebook outside a plan; the runner's keys are :func:`inputs_key`)."""
    digest = hashlib.sha256(shared_digest.encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(
        json.dumps({"parameters": parameters, "kernel": KERNEL_NAME, "engine": engine}, sort_keys=True).encode()
    )
    return digest.hexdigest()


def _changed(old: dict, new: dict, name: str) -> bool:
    return old.get(name) != new.get(name)


def why_changed(old: dict | None, new: dict, section: str = "") -> list[str]:
    """Plain reasons a briefing's inputs differ from those of its last build (empty when none differ)."""
    if not old:
        return ["built by an older runner (no inputs recorded)"]
    reasons = []
    if _changed(old, new, "version"):
        reasons.append("the runner's output format changed")
    if _changed(old, new, "notebook"):
        reasons.append(f"notebook {section}.ipynb changed" if section else "notebook changed")
    if _changed(old, new, "parameters"):
        reasons.append("parameters changed")
    if _changed(old, new, "kernel") or _changed(old, new, "engine"):
        reasons.append("engine changed")
    if _changed(old, new, "lock"):
        reasons.append("requirements.lock changed")
    if _changed(old, new, "shared_code"):
        reasons.append("shared helper code changed")
    if _changed(old, new, "section_code"):
        number = section_number(section + ".ipynb")
        reasons.append(f"section code sections/s{number}_* changed" if number else "section code changed")
    if _changed(old, new, "indicators"):
        reasons.append("indicator catalogue data/indicators changed")
    before, after = old.get("register") or {}, new.get("register") or {}
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            kind = "section register" if REGISTER_SECTION.match(Path(name).name) else "register"
            state = "added" if name not in before else "removed" if name not in after else "changed"
            reasons.append(f"{kind} {name} {state}")
    before, after = old.get("datasets") or {}, new.get("datasets") or {}
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            if after.get(name) == MISSING:
                reasons.append(f"dataset {name} is no longer registered")
            else:
                reasons.append(f"dataset {name} registry entry changed")
    return reasons or ["inputs changed"]


# --- the plan and its tasks ----------------------------------------------------------------------


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
    engine: str = DEFAULT_ENGINE
    scheduler: str | None = None
    #: absolute path of the claims register ("" = the default register)
    manifesto: str = ""
    #: ``link``: figures' images only in the page, the executed notebook points to them; ``inline``: in both
    figures: str = DEFAULT_FIGURES
    #: the run's hashed inputs (set by :func:`plan_briefings`; the manifest keys built briefings with it)
    inputs: Inputs | None = None
    #: also print each council's committee pack to PDF (``--pdf``)
    pdf: bool = False


@dataclass(frozen=True)
class Task:
    """One notebook for one area: everything a worker needs (plain data, sent over the network).

    ``out_dir`` is only used to scrub the client's output path from the notebook's text; workers never
    write there. ``previous_html`` says whether a good page exists, for the error page's link. ``inputs`` are
    the briefing's inputs (:func:`briefing_inputs`) with the datasets of its last build; ``key`` their key.
    """

    notebook: str
    section: str
    area: dict
    out_dir: str
    parameters: dict
    include_code: bool
    key: str
    commit: str
    engine: str = DEFAULT_ENGINE
    previous_html: bool = False
    notebook_bytes: bytes = b""
    figures: str = DEFAULT_FIGURES
    inputs: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """A readable, unique task name (dask key): ``00_inequality/E10000003``."""
        return f"{self.section}/{self.area['code']}"


@dataclass(frozen=True)
class Planned:
    """A briefing of the plan: its task, its stored manifest entry, and why it is rebuilt (empty: unchanged)."""

    task: Task
    stored: dict | None
    reasons: tuple[str, ...]


def load_manifest(out_dir: Path) -> dict:
    """The area's stored ``manifest.json`` (empty when missing or unreadable)."""
    try:
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _files_exist(entry: dict, out_dir: Path) -> bool:
    return (out_dir / f"{entry['section']}.html").exists() and (out_dir / f"{entry['section']}.ipynb").exists()


def is_current(entry: dict | None, key: str, out_dir: Path) -> bool:
    """True when the stored build of a briefing has this key and its files are still there."""
    return bool(
        entry
        and entry.get("key") == key
        and entry.get("status") in {"built", "unchanged"}
        and _files_exist(entry, out_dir)
    )


def rebuild_reasons(entry: dict | None, inputs: dict, key: str, out_dir: Path, force: bool = False) -> list[str]:
    """Why a briefing is built in this run (empty when its stored build is current)."""
    if force:
        return ["--force"]
    if not entry:
        return ["no previous build"]
    if entry.get("status") not in {"built", "unchanged"} or not entry.get("key"):
        return ["failed in its last run"]
    if not _files_exist(entry, out_dir):
        return ["its page or notebook is missing"]
    if entry.get("key") == key:
        return []
    return why_changed(entry.get("inputs"), inputs, entry["section"])


def plan_briefings(plan: Plan) -> list[Planned]:
    """Every briefing of the plan with its key and the reasons it is rebuilt (none: unchanged).

    Each task carries its notebook's bytes, so workers on other machines need the same installed
    environment (``requirements.lock``) and data mirror, but not this checkout's notebooks folder. A
    briefing's datasets are those its last build read (its manifest entry): a new release of one dataset
    rebuilds exactly the briefings that read it; a briefing never built is built.
    """
    inputs = plan.inputs = scan_inputs(plan.manifesto)
    sources = {notebook: notebook.read_bytes() for notebook in plan.sections}
    shas = {notebook: hashlib.sha256(data).hexdigest() for notebook, data in sources.items()}
    planned = []
    for area in plan.areas:
        out = plan.output_dir / area["slug"]
        stored = load_manifest(out).get("briefings", {})
        for notebook in plan.sections:
            parameters = {"area": area["code"], **({"manifesto": plan.manifesto} if plan.manifesto else {})}
            entry = stored.get(notebook.stem)
            read = [d.get("id", "") for d in (entry or {}).get("datasets") or []]
            mine = briefing_inputs(
                inputs,
                notebook,
                {**parameters, "include_code": plan.include_code, "figures": plan.figures},
                plan.engine,
                read,
                shas[notebook],
            )
            key = inputs_key(mine)
            task = Task(
                str(notebook),
                notebook.stem,
                area,
                str(out),
                parameters,
                plan.include_code,
                key,
                plan.commit,
                plan.engine,
                (out / f"{notebook.stem}.html").exists(),
                sources[notebook],
                plan.figures,
                mine,
            )
            planned.append(Planned(task, entry, tuple(rebuild_reasons(entry, mine, key, out, plan.force))))
    return planned


def plan_tasks(plan: Plan) -> tuple[list[Task], list[tuple[Task, dict]]]:
    """Tasks to run, and (task, stored entry) pairs that are unchanged and will be skipped."""
    to_run, skipped = [], []
    for item in plan_briefings(plan):
        if item.reasons:
            to_run.append(item.task)
        else:
            skipped.append((item.task, item.stored or {}))
    return to_run, skipped


def explain(plan: Plan, limit: int = 40) -> list[str]:
    """The ``--dry-run`` report: per area what would be rebuilt and why, then the totals (nothing is built)."""
    planned = plan_briefings(plan)
    lines: list[str] = []
    counts: dict[str, int] = {}
    shown = 0
    for area in plan.areas:
        mine = [p for p in planned if p.task.area["code"] == area["code"]]
        build = [p for p in mine if p.reasons]
        for p in build:
            for reason in p.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        if not build and len(plan.areas) > 1:
            continue
        if shown >= limit:
            continue
        shown += 1
        lines.append(f"{area['name']} ({area['code']}): {len(build)} to build, {len(mine) - len(build)} unchanged")
        lines += [f"  {p.task.section}: {'; '.join(p.reasons)}" for p in build]
    hidden = sum(1 for a in plan.areas if any(p.reasons for p in planned if p.task.area["code"] == a["code"]))
    if hidden > shown:
        lines.append(f"... and {hidden - shown} more areas with briefings to build")
    total = sum(1 for p in planned if p.reasons)
    lines.append(
        f"Dry run: {total} of {len(planned)} briefings would be built, {len(planned) - total} unchanged "
        f"({len(plan.areas)} area{'s' if len(plan.areas) != 1 else ''}); nothing was built."
    )
    if total and len(plan.areas) > 1:
        lines += [f"  {n} x {reason}" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return lines


# --- order: longest first --------------------------------------------------------------------------

#: Seconds each section took in earlier runs on this machine (kept beside the data cache, not in the repo).
TIMINGS_FILE = "section-seconds.json"


def _timings_path() -> Path:
    return config.cache_dir() / TIMINGS_FILE


def known_seconds() -> dict[str, float]:
    """Section -> typical seconds per briefing from earlier runs (empty when none were recorded)."""
    try:
        data = json.loads(_timings_path().read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def longest_first(tasks: list[Task], seconds: dict[str, float] | None = None) -> list[Task]:
    """Tasks with the sections that took longest before first (ties and unknown sections keep plan order).

    Starting the long notebooks first keeps a worker from picking up the longest one last while the other
    sits idle (longest-processing-time-first scheduling)."""
    seconds = known_seconds() if seconds is None else seconds
    return sorted(tasks, key=lambda t: -seconds.get(t.section, 0.0))  # sorted() is stable


def remember_seconds(samples: dict[str, list[float]]) -> None:
    """Store the median seconds of each section's built briefings in this run, for :func:`longest_first`."""
    if not samples:
        return
    import statistics

    from ..report import atomic_write

    stored = known_seconds()
    stored.update({section: round(statistics.median(values), 2) for section, values in samples.items() if values})
    try:
        atomic_write(_timings_path(), json.dumps(stored, indent=1, sort_keys=True))
    except OSError:  # a read-only cache only loses the ordering hint
        pass
