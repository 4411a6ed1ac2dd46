"""Batch runner: execute the section notebooks for one or more areas and write reviewer-ready output.

Usage::

    python -m helpers.runner --area E10000003 --jobs 2          # or: briefings --area Peterborough
    python -m helpers.runner --area E06000031 --sections 00,05 --force
    python -m helpers.runner --all-councils --jobs 2
    python -m helpers.runner --all-councils --scheduler tcp://10.0.0.5:8786   # an existing dask cluster

For every area, ``outputs/<area slug>/`` gets the executed ``NN_slug.ipynb``, the reviewer page
``NN_slug.html``, ``index.html``, ``claims.csv``, ``pledges.csv`` and ``manifest.json`` (parameters,
datasets and their sha256, git commit, versions, per-notebook timings and cache keys).

How it behaves
--------------
* Parameters are checked before any worker starts (exit code 2, one line naming the closest valid
  choices); see :mod:`.areas` and :mod:`.plan`. Values reach a notebook only as papermill parameters,
  which papermill writes as Python literals (``repr``), never as code.
* Briefings run on dask.distributed (:mod:`.cluster`): a local cluster of ``--jobs`` processes, or an
  existing cluster (``--scheduler``). Each worker imports the heavy stack once and runs every notebook
  in a fresh forked child with an in-process papermill engine (:mod:`.execute`, :mod:`.engines`);
  ``--engine kernel`` uses a fresh ipykernel per notebook instead.
* A failing notebook does not stop the others: it gets ``NN_slug.error.html`` and the previous good
  ``NN_slug.html`` / ``.ipynb`` are kept (files come back to the client as bytes and are written
  atomically). A worker that dies costs only its task, which is retried elsewhere. The exit code is 1
  when any briefing failed.
* A briefing whose inputs are unchanged is skipped: its key covers only what it depends on (its notebook,
  parameters, shared helper code and its own section's module, its register file, the registry entries of
  the datasets its last build read; :mod:`.plan`). ``--force`` re-runs all; ``--dry-run`` says what would
  be rebuilt and why.
* Output is deterministic: timings and papermill's run state are stripped from the saved notebook and
  kept only in ``manifest.json`` (:mod:`.manifest`). Set ``BRIEFINGS_GIT_COMMIT`` to stamp a commit
  without git.
"""

from __future__ import annotations

from .areas import (
    AREA_INDEX_VERSION,
    MAX_AREA_TEXT,
    all_council_areas,
    area_index,
    build_area_index,
    normalise_name,
    resolve_area,
)
from .cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, build_parser, main, run, validate
from .manifest import (
    COMMIT_ENV,
    KEY_PACKAGES,
    Result,
    dataset_files,
    git_commit,
    merge_entries,
    other_built_areas,
    package_versions,
    summarise,
    write_index,
    write_manifest,
)
from .plan import (
    DEFAULT_ENGINE,
    DEFAULT_FIGURES,
    ENGINES,
    FIGURE_MODES,
    HELPERS_DIR,
    KERNEL_NAME,
    KEY_VERSION,
    SECTION_FILE,
    FileHashes,
    Inputs,
    Plan,
    Planned,
    Task,
    _input_files,
    briefing_inputs,
    check_parameters_cell,
    code_section,
    explain,
    inputs_digest,
    inputs_key,
    is_current,
    list_sections,
    plan_briefings,
    plan_tasks,
    rebuild_reasons,
    scan_inputs,
    select_sections,
    task_key,
    why_changed,
)

__all__ = [
    "AREA_INDEX_VERSION",
    "COMMIT_ENV",
    "DEFAULT_ENGINE",
    "DEFAULT_FIGURES",
    "ENGINES",
    "FIGURE_MODES",
    "FileHashes",
    "Inputs",
    "Planned",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "HELPERS_DIR",
    "KERNEL_NAME",
    "KEY_PACKAGES",
    "KEY_VERSION",
    "MAX_AREA_TEXT",
    "SECTION_FILE",
    "Plan",
    "Result",
    "Task",
    "_input_files",
    "all_council_areas",
    "area_index",
    "build_area_index",
    "briefing_inputs",
    "build_parser",
    "check_parameters_cell",
    "code_section",
    "explain",
    "dataset_files",
    "git_commit",
    "inputs_digest",
    "inputs_key",
    "is_current",
    "list_sections",
    "main",
    "merge_entries",
    "normalise_name",
    "other_built_areas",
    "package_versions",
    "plan_briefings",
    "plan_tasks",
    "rebuild_reasons",
    "resolve_area",
    "run",
    "scan_inputs",
    "select_sections",
    "summarise",
    "task_key",
    "validate",
    "why_changed",
    "write_index",
    "write_manifest",
]
