"""The command line: ``python -m helpers.runner`` / ``briefings``: parse, validate, run, summarise."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from .. import config
from ..errors import BriefingError, ParameterError
from .areas import all_council_areas, area_index, resolve_area
from .manifest import Result, git_commit, package_versions, summarise, write_area_outputs
from .plan import (
    DEFAULT_ENGINE,
    DEFAULT_FIGURES,
    ENGINES,
    FIGURE_MODES,
    KERNEL_NAME,
    Plan,
    check_parameters_cell,
    list_sections,
    select_sections,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage block), like every other error of the runner."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="briefings", description="Build the council briefings for one or more areas.")
    parser.add_argument(
        "--area",
        action="append",
        metavar="CODE_OR_NAME",
        help=f"county or single-tier council, by GSS code or name (repeatable; default {config.DEFAULT_AREA})",
    )
    parser.add_argument("--all-councils", action="store_true", help="every county and single-tier council in England")
    parser.add_argument("--sections", metavar="LIST", help="comma-separated section numbers or slugs, e.g. 00,05")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes of the local cluster (default: cores)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing dask cluster, e.g. tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, "
        "else a local cluster of --jobs workers)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help="inprocess: warm workers, a forked child per notebook (default); kernel: a fresh ipykernel each",
    )
    parser.add_argument(
        "--manifesto",
        metavar="PATH",
        help="claims register to test: a folder like manifestos/cambridgeshire-labour-2021 or one YAML file "
        "(default: $BRIEFINGS_MANIFESTO, else the Cambridgeshire 2021 register)",
    )
    parser.add_argument("--force", action="store_true", help="re-run briefings whose inputs are unchanged")
    parser.add_argument(
        "--dry-run",
        "--plan",
        dest="dry_run",
        action="store_true",
        help="list the briefings that would be rebuilt and why (which input changed), build nothing",
    )
    parser.add_argument(
        "--notebook-figures",
        choices=FIGURE_MODES,
        default=DEFAULT_FIGURES,
        help="link: each chart's image only in the page, the executed .ipynb points to it (default); inline: in both",
    )
    parser.add_argument("--include-code", action="store_true", help="show code cells in the HTML")
    parser.add_argument(
        "--pdf", action="store_true", help="also print each council's committee pack to PDF (headless Chromium)"
    )
    parser.add_argument("--output-dir", type=Path, default=config.OUTPUTS_DIR, help="default: outputs/")
    parser.add_argument("--notebooks-dir", type=Path, default=config.NOTEBOOKS_DIR, help="default: notebooks/")
    return parser


def validate(args: argparse.Namespace) -> Plan:
    """Check every parameter (no worker, nothing written); raise a one-line BriefingError otherwise."""
    from .cluster import scheduler_address

    if args.jobs < 1:
        raise ParameterError(f"--jobs must be at least 1, not {args.jobs}")
    if args.all_councils and args.area:
        raise ParameterError("use either --area or --all-councils, not both")
    scheduler = scheduler_address(getattr(args, "scheduler", None))
    if scheduler is not None and ("://" not in scheduler and ":" not in scheduler or not scheduler.isprintable()):
        raise ParameterError(f"--scheduler {scheduler[:40]!r} is not a scheduler address: use e.g. tcp://10.0.0.5:8786")
    all_sections = list_sections(args.notebooks_dir)
    sections = select_sections(all_sections, args.sections)
    for notebook in sections:
        check_parameters_cell(notebook)
    if args.all_councils:
        areas = all_council_areas()
    else:
        index = area_index()
        areas = []
        for text in args.area or []:  # an unknown area fails here, before the register is read
            area = resolve_area(text, index)
            if area not in areas:
                areas.append(area)
    manifesto = _manifesto(getattr(args, "manifesto", None))
    if not args.all_councils and not areas:  # no --area: the register's own subject (the default's: Cambridgeshire)
        areas.append(resolve_area(_subject_area(manifesto), index))
    engine = getattr(args, "engine", DEFAULT_ENGINE)
    return Plan(
        areas,
        sections,
        all_sections,
        args.jobs,
        args.force,
        args.include_code,
        args.output_dir,
        "",
        engine,
        scheduler,
        manifesto,
        getattr(args, "notebook_figures", DEFAULT_FIGURES),
        pdf=bool(getattr(args, "pdf", False)),
    )


def _manifesto(text: str | None) -> str:
    """The register's absolute path ("" for the default one), validated now: a bad register is one line here,
    before any worker starts, not eight failed briefings."""
    from .. import register

    chosen = text or os.environ.get(config.MANIFESTO_ENV) or ""
    if chosen and not Path(chosen).exists():
        raise ParameterError(f"--manifesto {chosen}: no such file or folder (a register folder or YAML file)")
    register.load(chosen or None)  # RegisterError (a BriefingError) with file, entry and problem
    return str(Path(chosen).resolve()) if chosen else ""


def _subject_area(manifesto: str) -> str:
    """The council a register is about (its ``subject_area``)."""
    from .. import register

    return register.load(manifesto or None).info.subject_area


def run(plan: Plan) -> tuple[int, list[str]]:
    """Execute a validated plan; returns the exit code and the summary lines."""
    from .cluster import execute_tasks
    from .plan import longest_first, plan_tasks, remember_seconds

    started = time.perf_counter()
    os.environ.setdefault("PYTHONHASHSEED", "0")  # workers and kernels inherit it: set iteration order is stable
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    plan.commit = git_commit()
    to_run, skipped = plan_tasks(plan)
    results = execute_tasks(longest_first(to_run), plan.jobs, plan.scheduler)
    built: dict[str, list[float]] = {}
    for result in results:
        if result.status == "built":
            built.setdefault(result.section, []).append(result.seconds)
    remember_seconds(built)
    results += [Result(t.section, t.area["code"], "unchanged", record=e.get("record")) for t, e in skipped]
    meta = {
        "git_commit": plan.commit,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "kernel": KERNEL_NAME,
        "engine": plan.engine,
        "run": {
            "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "jobs": plan.jobs,
            "scheduler": plan.scheduler or "local",
            "force": plan.force,
            "seconds": round(time.perf_counter() - started, 2),
        },
    }
    manifests = write_area_outputs(plan, to_run + [t for t, _ in skipped], results, meta)
    lines = summarise(plan, manifests, results)
    lines += _exports(plan)
    failed_packs = False
    if getattr(plan, "pdf", False):
        pack_lines, failed_packs = _packs(plan)
        lines += pack_lines
    lines.append(f"Done in {time.perf_counter() - started:.1f} s.")
    failed = any(r.status == "failed" for r in results) or failed_packs
    return (EXIT_FAILED if failed else EXIT_OK), lines


def _exports(plan: Plan) -> list[str]:
    """Open data beside the pages: ``data/indicators.parquet`` (the store) and ``data/verdicts.parquet``."""
    from .. import exports

    written = exports.write(plan.output_dir)
    lines = [f"Data: {', '.join(str(p) for p in written.values())}"]
    if exports.SKIPPED:
        lines.append(f"Data: {len(exports.SKIPPED)} indicators left out: {'; '.join(exports.SKIPPED[:3])}")
    return lines


def _packs(plan: Plan) -> tuple[list[str], bool]:
    """A committee pack PDF per council (``--pdf``); a failed print keeps the last good pack."""
    from .. import pack

    lines, failed = [], False
    for area in plan.areas:
        try:
            path = pack.build(plan.output_dir / area["slug"])
            lines.append(f"Committee pack: {path}")
        except pack.PackError as error:
            failed = True
            lines.append(f"Committee pack for {area['name']} failed: {error}")
    return lines, failed


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m helpers.runner`` and ``briefings``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        plan = validate(args)
    except BriefingError as error:
        print(f"briefings: {error}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "dry_run", False):
        from .plan import explain

        try:
            print("\n".join(explain(plan)))
        except BriefingError as error:
            print(f"briefings: {error}", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
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
