"""The runner on dask.distributed: a real multi-process cluster on loopback, and a worker that dies.

* ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (started and stopped by the test)
  build two councils through ``--scheduler``; every notebook, page and CSV is byte-identical to a
  build on the runner's own local cluster.
* A notebook kills the worker process running it (once): the batch still completes, the task is
  re-run on another worker, and nothing half-written is left in the output folder.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import NOTEBOOKS, TINY, loopback_cluster, make_notebook, run_cli, stream_text  # noqa: E402

AREAS = ("--area", "E06000031", "--area", "E09000007")  # Peterborough, Camden


def _files(out: Path) -> dict[str, bytes]:
    """Every output file except the manifests (which hold timings), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


@pytest.mark.slow
def test_loopback_cluster_builds_the_same_bytes_as_a_local_run(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    shutil.copy(TINY / "00_tiny.ipynb", nbs / "00_tiny.ipynb")
    shutil.copy(NOTEBOOKS / "00_ok.ipynb", nbs / "01_ok.ipynb")
    common = (*AREAS, "--notebooks-dir", str(nbs))
    local, _ = run_cli(*common, "--jobs", "2", "--output-dir", str(tmp_path / "local"))
    assert local.returncode == 0, local.stdout + local.stderr
    with loopback_cluster(workers=2) as address:
        remote, _ = run_cli(*common, "--scheduler", address, "--output-dir", str(tmp_path / "remote"))
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert remote.stdout.count("2 built, 0 unchanged, 0 failed") == 2
    local_files, remote_files = _files(tmp_path / "local"), _files(tmp_path / "remote")
    # per area: 2 notebooks, 2 pages, index, 2 CSVs; + the national overview page and its two CSVs; + the open
    # data (data/indicators.parquet, data/verdicts.parquet)
    assert len(local_files) == 2 * 7 + 3 + 2
    assert local_files.keys() == remote_files.keys()
    for name, data in local_files.items():
        assert remote_files[name] == data, f"{name} differs between the local and the loopback cluster"
    manifest = json.loads((tmp_path / "remote" / "camden-e09000007" / "manifest.json").read_text())
    assert manifest["run"]["scheduler"] == address
    assert manifest["briefings"]["01_ok"]["record"]["briefing"]["area_name"] == "Camden"


@pytest.mark.slow
def test_unreachable_scheduler_is_one_line(tmp_path):
    from runner_fixtures import free_port

    address = f"tcp://127.0.0.1:{free_port()}"
    proc, _ = run_cli("--scheduler", address, "--notebooks-dir", str(TINY), "--output-dir", str(tmp_path / "o"))
    assert proc.returncode == 1
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and f"cannot reach the dask scheduler at {address}" in lines[0], proc.stderr


KILLER = """
import os, signal, time
from pathlib import Path
marker = Path({marker!r})
if not marker.exists():
    marker.write_text(str(os.getppid()))
    os.kill(os.getppid(), signal.SIGKILL)  # the worker process running this notebook
    time.sleep(60)
print("built on attempt 2, worker", os.getppid() != int(marker.read_text()))
"""


@pytest.mark.slow
def test_worker_killed_mid_batch_costs_only_its_task(tmp_path):
    nbs = tmp_path / "notebooks"
    marker = tmp_path / "killed-once"
    shutil.copy(TINY / "00_tiny.ipynb", nbs / "00_tiny.ipynb") if nbs.mkdir() is None else None
    make_notebook(nbs / "01_kills_its_worker.ipynb", KILLER.format(marker=str(marker)))
    shutil.copy(TINY / "00_tiny.ipynb", nbs / "02_tiny.ipynb")
    out = tmp_path / "outputs"
    proc, _ = run_cli("--jobs", "2", "--notebooks-dir", str(nbs), "--output-dir", str(out))
    assert marker.exists()  # the worker really was killed
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 built, 0 unchanged, 0 failed" in proc.stdout
    area = out / "cambridgeshire-e10000003"
    assert "built on attempt 2, worker True" in stream_text(area / "01_kills_its_worker.ipynb")
    assert not list(out.rglob(".*")) and not list(area.glob("*.error.html"))  # nothing half-written
    assert sorted(p.name for p in area.glob("*.ipynb")) == [
        "00_tiny.ipynb",
        "01_kills_its_worker.ipynb",
        "02_tiny.ipynb",
    ]
