"""The in-process engine: warm workers, fresh notebooks.

One worker (``--jobs 1``) runs four generated notebooks in turn: the first changes a global, matplotlib's
rcParams, a pandas option, the warning filters and imports a module; the second, on the same worker
process, must see none of it. The third fails in its second code cell, ``In [4]`` after the two
parameters cells (papermill's error markers must point at that cell, as with a kernel); the fourth
kills its own process (a one-line failure, and the batch goes on). A last test runs a real section
notebook with both engines and compares the records.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import REPO, make_notebook, run_cli, stream_text  # noqa: E402

SETTER = """
import json, os, sys, warnings
import matplotlib
import pandas as pd
import tabnanny  # a module no worker imports on its own
LEAK = "set by the first notebook"
matplotlib.rcParams["lines.linewidth"] = 9.5
pd.set_option("display.max_rows", 3)
warnings.simplefilter("error")
print(json.dumps({"worker": os.getppid(), "linewidth": matplotlib.rcParams["lines.linewidth"],
                  "max_rows": pd.get_option("display.max_rows"), "module": "tabnanny" in sys.modules,
                  "error_filter": any(f[0] == "error" and f[1] is None and f[2] is Warning for f in warnings.filters)}))
"""
CHECKER = """
import json, os, sys, warnings
import matplotlib
import pandas as pd
catch_all = any(f[0] == "error" and f[1] is None and f[2] is Warning for f in warnings.filters)
print(json.dumps({"worker": os.getppid(), "leak": "LEAK" in globals(),
                  "linewidth": matplotlib.rcParams["lines.linewidth"], "max_rows": pd.get_option("display.max_rows"),
                  "error_filter": catch_all, "module": "tabnanny" in sys.modules}))
"""


def _state(notebook: Path) -> dict:
    return json.loads(stream_text(notebook).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def one_worker_batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("isolation")
    nbs = root / "notebooks"
    make_notebook(nbs / "00_setter.ipynb", SETTER)
    make_notebook(nbs / "01_checker.ipynb", CHECKER)
    make_notebook(nbs / "02_fails.ipynb", "x = 1", "raise ValueError('second cell fails on purpose')", "print('never')")
    make_notebook(nbs / "03_crashes.ipynb", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    out = root / "outputs"
    proc, _ = run_cli("--jobs", "1", "--notebooks-dir", str(nbs), "--output-dir", str(out))
    return {"proc": proc, "area": out / "cambridgeshire-e10000003", "nbs": nbs, "root": root}


@pytest.mark.slow
def test_next_notebook_on_the_same_worker_starts_clean(one_worker_batch):
    import matplotlib

    area = one_worker_batch["area"]
    assert "2 built, 0 unchanged, 2 failed" in one_worker_batch["proc"].stdout, one_worker_batch["proc"].stdout
    setter, checker = _state(area / "00_setter.ipynb"), _state(area / "01_checker.ipynb")
    assert setter["linewidth"] == 9.5 and setter["max_rows"] == 3 and setter["module"] is True  # it did change
    assert setter["error_filter"] is True
    assert checker["worker"] == setter["worker"]  # same worker process...
    assert checker["leak"] is False  # ...but a fresh namespace,
    assert checker["linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]  # default rcParams,
    assert checker["max_rows"] == 60  # pandas' default option,
    assert checker["error_filter"] is False  # the default warning filters,
    assert checker["module"] is False  # and no module the first notebook imported


@pytest.mark.slow
def test_failing_cell_is_marked_as_papermill_does(one_worker_batch):
    area, proc = one_worker_batch["area"], one_worker_batch["proc"]
    assert proc.returncode == 1
    assert "FAILED 02_fails: In [4]: ValueError: second cell fails on purpose" in proc.stdout
    cells = json.loads((area / "02_fails.failed.ipynb").read_text())["cells"]
    marked = [i for i, c in enumerate(cells) if "papermill-error-cell-tag" in c["metadata"].get("tags", [])]
    assert marked[0] == 0 and cells[0]["cell_type"] == "markdown"  # the banner at the top...
    failing = marked[1] + 1  # ...and the anchor just before the failing cell
    assert "".join(cells[failing]["source"]).startswith("raise ValueError")
    assert cells[failing]["execution_count"] == 4
    assert [o["output_type"] for o in cells[failing]["outputs"]] == ["error"]
    assert cells[failing + 1]["outputs"] == [] and cells[failing + 1]["execution_count"] is None
    page = (area / "02_fails.error.html").read_text()
    assert "In [4]" in page and "second cell fails on purpose" in page


@pytest.mark.slow
def test_crashed_notebook_process_is_one_failure_and_the_batch_goes_on(one_worker_batch):
    area, proc = one_worker_batch["area"], one_worker_batch["proc"]
    line = next(x for x in proc.stdout.splitlines() if "FAILED 03_crashes" in x)
    assert "was killed by SIGKILL" in line and "Traceback" not in proc.stdout + proc.stderr
    assert (area / "03_crashes.error.html").is_file() and not (area / "03_crashes.html").exists()
    assert not list(area.glob(".*"))  # no temp files left behind


@pytest.mark.slow
@pytest.mark.needs_mirror
def test_engines_agree_on_a_real_notebook(tmp_path):
    """A real section notebook, built by the in-process engine and by a kernel, records the same
    findings, claims and pledges (the page's words come from these records)."""
    section = "04"
    records = {}
    for engine in ("inprocess", "kernel"):
        out = tmp_path / engine
        args = ("--area", "E06000031", "--sections", section, "--jobs", "1", "--engine", engine)
        proc, _ = run_cli(*args, "--notebooks-dir", str(REPO / "notebooks"), "--output-dir", str(out))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        manifest = json.loads((out / "peterborough-e06000031" / "manifest.json").read_text())
        (entry,) = manifest["briefings"].values()
        records[engine] = entry["record"]
    for part in ("findings", "claims", "pledges", "gaps", "sources"):
        assert records["inprocess"][part] == records["kernel"][part], part
    assert records["inprocess"]["findings"]  # a real briefing says something
