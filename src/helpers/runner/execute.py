"""One briefing on a worker: warm imports once per worker, then a fresh forked child per notebook.

:func:`run_task` is what the cluster executes. It returns an :class:`Outcome` holding the files to
write (executed notebook, reviewer page, or error page and failed notebook) as bytes; the client
writes them atomically into the output folder, so workers need no shared folder and a worker that
dies leaves nothing half-written.

Engines:

* ``inprocess`` (default): the worker imports the heavy stack and builds the national tables once
  (:func:`warm`, :mod:`helpers.national`); for each notebook
  it ``os.fork()``s a child that runs papermill with :class:`~helpers.runner.engines.InProcessEngine`
  (a fresh IPython shell), builds the page and sends the outcome back through a pipe, then
  ``os._exit``s. Nothing the notebook does (globals, modules, rcParams, pandas options, warning
  filters) reaches the worker or the next notebook. A child that crashes becomes a failed briefing
  with a one-line cause.
* ``kernel``: papermill with a fresh ipykernel per notebook (slower: the kernel re-imports everything),
  for notebooks that need a real kernel. It runs in a forked child too, where ``fork`` exists.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BriefingError
from .plan import KERNEL_NAME, Task

#: Imported once per worker (the forked children inherit them): what the notebooks and pages need.
WARM_MODULES = (
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib_inline.backend_inline",
    "seaborn",
    "pandera",
    "pyarrow",
    "pyarrow.parquet",
    "IPython",
    "IPython.core.interactiveshell",
    "IPython.core.application",
    "IPython.core.completer",
    "IPython.core.completerlib",
    "IPython.core.crashhandler",
    "IPython.core.logger",
    "IPython.core.magics",
    "IPython.core.oinspect",
    "IPython.utils.generics",
    "IPython.utils.wildcard",
    "bdb",
    "nbformat",
    "nbconvert",
    "papermill",
    "helpers.report",
    "helpers.runner.figures",
    "oxipng",
)
#: Set in workers before the numeric libraries load; one thread per worker process.
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_MAX_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "MPLBACKEND": "agg",
    "RAYON_NUM_THREADS": "1",  # oxipng (PNG optimisation, runner.figures): one thread per worker as well
}
CHILD_FAILED = 70
#: ``0`` skips building the national tables in each worker (they are then built by the notebooks that use
#: them, in every child): for runs of small notebooks that use none, such as the runner's own tests.
PRIME_ENV = "BRIEFINGS_PRIME_TABLES"
_warm = False


@dataclass
class Outcome:
    """The result of one task as data: status, timings, the notebook's record and the files to write."""

    section: str
    area_code: str
    status: str  # built | failed
    seconds: float = 0.0
    attempts: int = 1
    record: dict | None = None
    message: str = ""
    error_page: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    worker: str = ""


# --- worker set-up -------------------------------------------------------------------------------


def worker_environment() -> None:
    """Set the worker defaults of :data:`WORKER_ENV` that the user has not set."""
    for name, value in WORKER_ENV.items():
        os.environ.setdefault(name, value)


def warm() -> float:
    """Import the heavy stack once in this worker process; returns the seconds it took (0 when warm)."""
    global _warm
    if _warm:
        return 0.0
    start = time.perf_counter()
    worker_environment()
    import logging

    # jsonschema (via nbformat) imports rfc3987_syntax for "iri" string formats, which builds a grammar
    # at import (seconds); the notebook schema has no such format, so the worker goes without it.
    # A None entry in sys.modules makes `import rfc3987_syntax` raise ImportError at once (the import system's
    # documented way to block a module), which typeshed's Module-valued mapping does not describe.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import pkgutil

    import helpers

    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        if not info.name.startswith("helpers.runner"):
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: BLE001 - a broken module fails in its notebook, with its own message
                pass
    from . import engines

    engines.register()
    _share_template_cache()
    _prime_pages()
    _prime_tables()
    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    # Move everything built so far out of the garbage collector's sight: otherwise each child's first full
    # collection walks (and so writes to, copying page by page) the worker's whole inherited heap.
    gc.collect()
    gc.freeze()
    _warm = True
    return time.perf_counter() - start


def _share_template_cache() -> None:
    """Give every nbconvert exporter in this worker one in-memory jinja bytecode cache.

    ``helpers.report.briefing_html`` builds a new ``HTMLExporter`` per page, and each one parses and
    compiles the page templates again (most of an export's time). With a shared bytecode cache, primed
    in the worker before it forks (:func:`_prime_pages`), each child only renders. Jinja keys the cache
    by template name and source checksum, so an edited template is compiled afresh.
    """
    try:
        import jinja2
        from nbconvert.exporters.templateexporter import TemplateExporter
    except ImportError:
        return
    if getattr(TemplateExporter._create_environment, "shared_bytecode_cache", False):
        return

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self):
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    create = TemplateExporter._create_environment

    def create_environment(self):
        environment = create(self)
        environment.bytecode_cache = cache
        return environment

    create_environment.__dict__["shared_bytecode_cache"] = True
    TemplateExporter._create_environment = create_environment  # type: ignore[method-assign] # patched on purpose


def _prime_pages() -> None:
    """Render one throwaway page in the worker so the compiled templates are inherited by every child."""
    import nbformat

    from .. import report

    area = {"code": "E10000003", "name": "Warm-up", "kind": "county", "slug": "warm-up"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Warm-up")])
    try:
        from papermill.parameterize import parameterize_notebook

        nbformat.validate(nb)  # builds and caches the JSON-schema validator
        code = nbformat.v4.new_code_cell('area = "x"', metadata={"tags": ["parameters"]})
        parameterize_notebook(nbformat.v4.new_notebook(cells=[code]), {"area": "y"}, kernel_name=KERNEL_NAME)
    except Exception:  # noqa: BLE001 - only a speed-up
        pass
    try:
        record = report.empty_record("00_warm_up", area)
        report.briefing_html(nb, record, include_code=False, commit="warm-up", parameters={"area": area["code"]})
    except Exception:  # noqa: BLE001 - only a speed-up: the templates are compiled by the first real page
        pass


def _prime_tables() -> None:
    """Build the national tables (:mod:`helpers.national`) and read the default claims register once in the
    worker, so every forked child inherits them; then clear the record of used datasets, so each briefing's
    sources section lists only what its own notebook used."""
    from .. import datasets, national, register

    if os.environ.get(PRIME_ENV, "1").strip() != "0":
        national.prime()
    try:
        register.load(None)
    except Exception:  # noqa: BLE001 - a broken register fails in its notebooks, with its own message
        pass
    datasets.forget_loaded()


# --- one notebook --------------------------------------------------------------------------------


def _execute(task: Task, source: Path, scratch: Path):
    """Run the notebook with papermill; with the kernel engine, one retry when the kernel fails to start."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .engines import ENGINE_NAME

    home = Path(task.notebook).parent
    common = dict(
        parameters=dict(task.parameters),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        cwd=str(home if home.is_dir() else source.parent),
    )
    if task.engine == "inprocess":
        return pm.execute_notebook(str(source), str(scratch), engine_name=ENGINE_NAME, **common), 1
    for attempt in (1, 2):
        try:
            nb = pm.execute_notebook(
                str(source),
                str(scratch),
                start_timeout=120,
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # quiet shutdown
                **common,
            )
            return nb, attempt
        except PapermillExecutionError:
            raise
        except Exception:  # kernel start failures (port collisions, slow start): retry once
            if attempt == 2:
                raise
            time.sleep(1.0)
    raise AssertionError("unreachable")


def describe_failure(exc: BaseException, scratch: Path, paths: tuple[str, ...]):
    """Describe a failed run (failing cell, one-line message); also returns the failed notebook if saved."""
    from papermill.exceptions import PapermillExecutionError

    from ..report import Failure, scrub

    if isinstance(exc, PapermillExecutionError):
        first = (exc.evalue or "").strip().splitlines()
        message = f"{exc.ename}: {first[0] if first else ''}".rstrip(": ")
        failure = Failure(scrub(message, paths), exc.cell_index, exc.exec_count, traceback=list(exc.traceback))
        nb = _read_notebook(scratch)
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
    return Failure(scrub(message, paths)), _read_notebook(scratch)


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - no notebook was saved
        return None


def failed_outcome(task: Task, failure, failed_nb=None, seconds: float = 0.0, attempts: int = 1) -> Outcome:
    """The error page (and the failed notebook, when one was saved) of a briefing that did not build."""
    from .. import report

    paths = (task.out_dir,)
    files = {}
    remove: tuple[str, ...] = (f"{task.section}.failed.ipynb",)
    if failed_nb is not None:
        report.clean_notebook(failed_nb, task.parameters, paths=paths)
        files[f"{task.section}.failed.ipynb"] = report.notebook_bytes(failed_nb)
        remove = ()
    previous = f"{task.section}.html" if task.previous_html else None
    page = report.error_html(task.area, task.section, failure, commit=task.commit, previous=previous)
    files[f"{task.section}.error.html"] = page.encode("utf-8")
    return Outcome(
        task.section,
        task.area["code"],
        "failed",
        seconds,
        attempts,
        message=failure.one_line(),
        error_page=f"{task.section}.error.html",
        files=files,
        remove=remove,
    )


def build(task: Task) -> Outcome:
    """Execute one briefing and render its page; every failure becomes an error page, never a traceback."""
    from .. import report
    from . import figures

    start = time.perf_counter()
    paths = (task.out_dir,)
    attempts = 1
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmp:
        source, scratch = Path(tmp) / f"{task.section}.ipynb", Path(tmp) / f"{task.section}.out.ipynb"
        source.write_bytes(task.notebook_bytes or Path(task.notebook).read_bytes())
        try:
            nb, attempts = _execute(task, source, scratch)
            report.clean_notebook(nb, task.parameters, paths=paths)
            record = report.read_record(nb, task.section, task.area)
            figures.optimise_pngs(nb)  # lossless: the page shows the same pixels in fewer bytes
            page = report.briefing_html(
                nb, record, include_code=task.include_code, commit=task.commit, parameters=task.parameters
            )
            if task.figures == "link":  # each image once: in the page; the notebook says where
                figures.link_figures(nb, task.section)
            files = {f"{task.section}.ipynb": report.notebook_bytes(nb), f"{task.section}.html": page.encode("utf-8")}
            return Outcome(
                task.section,
                task.area["code"],
                "built",
                time.perf_counter() - start,
                attempts,
                record,
                files=files,
                remove=(f"{task.section}.error.html", f"{task.section}.failed.ipynb"),
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes an error page
            failure, failed_nb = describe_failure(exc, scratch, paths)
            return failed_outcome(task, failure, failed_nb, time.perf_counter() - start, attempts)


# --- the forked child ----------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL when its worker dies (no orphan keeps a core busy)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"was killed by {name}"
    return f"exited with code {os.waitstatus_to_exitcode(status)}"


def in_child(task: Task) -> Outcome:
    """Run :func:`build` in a forked child and return its outcome; a crashed child is a failed briefing."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, send the pickled outcome, and leave without running any parent code
        code = CHILD_FAILED
        try:
            os.close(read_end)
            _die_with_parent()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            data = pickle.dumps(build(task), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - reported by the parent from the exit code
            try:
                import traceback

                traceback.print_exc(file=sys.__stderr__)
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)
    os.close(write_end)
    start = time.perf_counter()
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        return pickle.loads(data)
    from ..report import Failure

    cause = (
        f"the notebook's process {_status_text(status)} (out of memory, or a crash in compiled code): "
        "re-run it, or try --engine kernel"
    )
    return failed_outcome(task, Failure(cause), seconds=time.perf_counter() - start)


def run_task(task: Task) -> Outcome:
    """The cluster's task: warm this worker once, then build the briefing in a fresh child process."""
    warm()
    if not hasattr(os, "fork"):  # no fork (Windows): only a kernel gives each notebook a fresh process
        outcome = build(replace(task, engine="kernel"))
    else:
        outcome = in_child(task)
    outcome.worker = f"{os.uname().nodename if hasattr(os, 'uname') else ''}:{os.getpid()}"
    return outcome
