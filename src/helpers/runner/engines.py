"""A papermill engine that executes a notebook in this Python process, in a fresh IPython shell.

Registered with papermill as ``briefings-inprocess``. It keeps papermill's semantics: the injected
parameters cell, per-cell metadata through papermill's execution manager, outputs in nbformat
(``stream``, ``display_data`` with metadata, ``execute_result``, ``error``) and, on the first failing
cell, an ``error`` output that papermill turns into its error markers and ``PapermillExecutionError``.
It is meant to run in a forked child of a warm worker (see :mod:`helpers.runner.execute`): the shell,
its namespace, matplotlib's rcParams, pandas options and warning filters all die with the child.
Design as ploomber-engine's ``embedded`` engine; written here to avoid a dependency.
"""

from __future__ import annotations

import base64
import sys

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines

ENGINE_NAME = "briefings-inprocess"


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json")


def _clean_data(data: dict) -> dict:
    """MIME bundle -> nbformat ``data``: bytes base64-encoded, JSON types kept, text as str."""
    out = {}
    for mime, value in data.items():
        if isinstance(value, bytes | bytearray):
            value = base64.b64encode(bytes(value)).decode("ascii")
        elif not _is_json_mime(mime) and not isinstance(value, str):
            value = str(value)
        out[mime] = value
    return out


class CellOutputs:
    """Collects the outputs of the running cell, in order, as nbformat output nodes."""

    def __init__(self):
        self.outputs: list = []
        self.execution_count: int | None = None
        self.clear_pending = False

    def _add(self, output) -> None:
        if self.clear_pending:
            self.outputs.clear()
            self.clear_pending = False
        self.outputs.append(output)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1]["name"] == name:
            self.outputs[-1]["text"] += text  # as nbclient's coalescing of consecutive stream messages
            return
        self._add(nbformat.v4.new_output("stream", name=name, text=text))

    def display(self, data: dict, metadata: dict | None) -> None:
        self._add(nbformat.v4.new_output("display_data", data=_clean_data(data), metadata=dict(metadata or {})))

    def result(self, data: dict, metadata: dict | None, count: int | None) -> None:
        self._add(
            nbformat.v4.new_output(
                "execute_result", data=_clean_data(data), metadata=dict(metadata or {}), execution_count=count
            )
        )

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self._add(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=list(traceback)))

    def clear(self, wait: bool = False) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.outputs.clear()


class _Stream:
    """A text file object that appends what is written to the cell's ``stdout`` or ``stderr`` output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, sink: CellOutputs, name: str):
        self.sink, self.name = sink, name

    def write(self, text: str) -> int:
        self.sink.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("captured stream has no file descriptor")

    @property
    def closed(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class _Publisher(DisplayPublisher):
    """``display(...)`` -> a ``display_data`` output (with its metadata) of the running cell."""

    sink: CellOutputs | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        self.sink.display(data, metadata)

    def clear_output(self, wait=False) -> None:
        self.sink.clear(wait)


class _DisplayHook(DisplayHook):
    """The value of a cell's last expression -> an ``execute_result`` output."""

    sink: CellOutputs | None = None

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self.sink.result(format_dict, md_dict, self.prompt_count)

    def finish_displayhook(self) -> None:
        pass


class EmbeddedShell(InteractiveShell):
    """An IPython shell whose tracebacks become ``error`` outputs, as ipykernel's shell does."""

    sink: CellOutputs | None = None

    def _showtraceback(self, etype, evalue, stb) -> None:
        self.sink.error(str(etype.__name__), str(evalue), stb)

    def init_history(self) -> None:  # no sqlite history file: notebooks are not interactive sessions
        from traitlets.config import Config

        self.config = Config(self.config)
        self.config.HistoryManager.enabled = False
        super().init_history()


def new_shell(sink: CellOutputs) -> EmbeddedShell:
    """A fresh shell writing into ``sink``, with matplotlib's inline backend as in a Jupyter kernel."""
    shell = EmbeddedShell.instance(display_pub_class=_Publisher, displayhook_class=_DisplayHook)
    shell.sink = shell.display_pub.sink = shell.displayhook.sink = sink
    try:
        shell.enable_matplotlib("inline")
    except Exception:  # noqa: BLE001 - matplotlib missing: notebooks without figures still run
        pass
    return shell


def language_info() -> dict:
    """The notebook's ``language_info``, as ipykernel reports it (so both engines write the same metadata)."""
    major = sys.version_info[0]
    return {
        "codemirror_mode": {"name": "ipython", "version": major},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": f"ipython{major}",
        "version": sys.version.split()[0],
    }


class InProcessEngine(Engine):
    """Execute the notebook's code cells one by one in a fresh :class:`EmbeddedShell`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs) -> None:
        sink = CellOutputs()
        shell = new_shell(sink)
        nb_man.nb.metadata["language_info"] = language_info()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(sink, "stdout"), _Stream(sink, "stderr")
        try:
            for index, cell in enumerate(nb_man.nb.cells):
                if cell.cell_type != "code":
                    continue
                if not cell.source.strip():  # nbclient skips empty cells without a count
                    continue
                nb_man.cell_start(cell, index)
                sink.outputs = cell.outputs = []
                sink.clear_pending = False
                cell.execution_count = shell.execution_count
                result = shell.run_cell(cell.source, store_history=True)
                cell.outputs = sink.outputs
                failed = result.error_before_exec is not None or result.error_in_exec is not None
                if failed and not any(o.get("output_type") == "error" for o in cell.outputs):
                    error = result.error_before_exec or result.error_in_exec
                    sink.error(type(error).__name__, str(error), [f"{type(error).__name__}: {error}"])
                if failed:
                    nb_man.cell_exception(cell, index)
                    nb_man.cell_complete(cell, index)
                    break
                nb_man.cell_complete(cell, index)
        finally:
            sys.stdout, sys.stderr = saved


def register() -> None:
    """Make ``engine_name="briefings-inprocess"`` available to ``papermill.execute_notebook``."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
