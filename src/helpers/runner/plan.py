"""Planning a batch: section notebooks, the validated plan, tasks and their incremental cache keys.

A briefing whose inputs are unchanged is skipped: its key hashes the notebook, the parameters, the
execution engine, every file in ``src/helpers/``, the registry ``data/sources/*.yaml`` and
``requirements.lock``. ``--force`` re-runs everything.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
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
KEY_VERSION = "2"
HELPERS_DIR = Path(__file__).resolve().parents[1]


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


def _input_files() -> list[Path]:
    """The files every briefing depends on besides its notebook (see the module docstring)."""
    helpers = sorted(
        p
        for p in HELPERS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )
    lock = config.REPO_ROOT / "requirements.lock"
    registers = sorted(config.DEFAULT_MANIFESTO.rglob("*.yaml"))
    return helpers + sorted(config.SOURCES_DIR.glob("*.yaml")) + registers + ([lock] if lock.exists() else [])


def register_digest(path: str) -> str:
    """sha256 over a non-default claims register's files ("" for the default, already in the shared inputs)."""
    if not path:
        return ""
    root = Path(path)
    files = sorted(root.rglob("*.yaml")) if root.is_dir() else [root]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def inputs_digest() -> str:
    """sha256 over ``src/helpers/``, ``data/sources/*.yaml`` and ``requirements.lock`` (names and bytes)."""
    digest = hashlib.sha256(KEY_VERSION.encode())
    for path in _input_files():
        digest.update(path.relative_to(config.REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def task_key(notebook: Path, parameters: dict, shared_digest: str, engine: str = DEFAULT_ENGINE) -> str:
    """Cache key of one briefing: notebook bytes, parameters, kernel, engine and the shared inputs digest."""
    digest = hashlib.sha256(shared_digest.encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(
        json.dumps({"parameters": parameters, "kernel": KERNEL_NAME, "engine": engine}, sort_keys=True).encode()
    )
    return digest.hexdigest()


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
    #: absolute path of the claims register ("" = the default register, which is one of the shared inputs)
    manifesto: str = ""


@dataclass(frozen=True)
class Task:
    """One notebook for one area: everything a worker needs (plain data, sent over the network).

    ``out_dir`` is only used to scrub the client's output path from the notebook's text; workers never
    write there. ``previous_html`` says whether a good page exists, for the error page's link.
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

    @property
    def name(self) -> str:
        """A readable, unique task name (dask key): ``00_inequality/E10000003``."""
        return f"{self.section}/{self.area['code']}"


def load_manifest(out_dir: Path) -> dict:
    """The area's stored ``manifest.json`` (empty when missing or unreadable)."""
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


def plan_tasks(plan: Plan) -> tuple[list[Task], list[tuple[Task, dict]]]:
    """Tasks to run, and (task, stored entry) pairs that are unchanged and will be skipped.

    Each task carries its notebook's bytes, so workers on other machines need the same installed
    environment (``requirements.lock``) and data mirror, but not this checkout's notebooks folder.
    """
    shared = inputs_digest()
    manifesto_key = {"manifesto": plan.manifesto, "register": register_digest(plan.manifesto)} if plan.manifesto else {}
    sources = {notebook: notebook.read_bytes() for notebook in plan.sections}
    to_run, skipped = [], []
    for area in plan.areas:
        out = plan.output_dir / area["slug"]
        stored = load_manifest(out).get("briefings", {})
        for notebook in plan.sections:
            parameters = {"area": area["code"], **({"manifesto": plan.manifesto} if plan.manifesto else {})}
            key = task_key(
                notebook, {**parameters, **manifesto_key, "include_code": plan.include_code}, shared, plan.engine
            )
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
            )
            if not plan.force and is_current(stored.get(notebook.stem), key, out):
                skipped.append((task, stored[notebook.stem]))
            else:
                to_run.append(task)
    return to_run, skipped


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
