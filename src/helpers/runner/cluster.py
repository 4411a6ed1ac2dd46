"""The execution engine of a batch: dask.distributed, on a local cluster or an existing one.

* Default: a ``LocalCluster`` with ``--jobs`` worker processes of one thread each, started and closed
  by the runner (no dashboard; the scheduler listens on loopback only).
* ``--scheduler ADDRESS`` or ``DASK_SCHEDULER_ADDRESS``: the same batch on an existing cluster
  (``dask scheduler`` / ``dask worker`` on other machines, each with this project installed from the
  same ``requirements.lock`` and the data mirror or cache).

Each task returns its files as bytes (:class:`~helpers.runner.execute.Outcome`); this client writes
them with :func:`helpers.report.atomic_write` as results arrive, so workers need no shared folder and
nothing is half-written. A worker that dies mid-task costs only that task: the scheduler re-runs it on
another worker, up to ``ALLOWED_FAILURES`` times, before it is reported as a failed briefing.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BriefingError
from .execute import WORKER_ENV, Outcome, failed_outcome, run_task
from .manifest import Result
from .plan import Task


class ClusterError(BriefingError):
    """The dask scheduler given with --scheduler or DASK_SCHEDULER_ADDRESS cannot be reached."""


SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
#: Times a task may be running on a worker that dies before it counts as failed (dask's allowed-failures).
ALLOWED_FAILURES = 2


def _quiet() -> None:
    for name in ("distributed", "tornado", "asyncio", "bokeh"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextmanager
def connect(jobs: int, scheduler: str | None) -> Iterator:
    """A dask ``Client``: to ``scheduler`` when given, else to a fresh ``LocalCluster`` of ``jobs`` workers."""
    import dask
    from distributed import Client, LocalCluster

    _quiet()
    config = {
        "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
        "distributed.admin.tick.limit": "1h",  # a long notebook holds the GIL; no warnings about it
        "distributed.logging.distributed": "critical",
    }
    with dask.config.set(config):
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ClusterError(
                    f"cannot reach the dask scheduler at {scheduler} ({type(exc).__name__}): start it with "
                    "`dask scheduler` and workers with `dask worker ADDRESS`, or drop --scheduler"
                ) from None
            with client:
                yield client
            return
        for name, value in WORKER_ENV.items():  # inherited by the spawned workers before they import numpy
            os.environ.setdefault(name, value)
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},  # no fixed port 8787
            memory_limit=0,  # no nanny memory kills: a heavy notebook fails on its own, with its message
            silence_logs=logging.CRITICAL,
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()


def write_outcome(task: Task, outcome: Outcome) -> Result:
    """Write the outcome's files into the area's folder (each atomically) and return its summary."""
    from .. import report

    out = Path(task.out_dir)
    for name, data in outcome.files.items():
        report.atomic_write(out / name, data)
    for name in outcome.remove:
        (out / name).unlink(missing_ok=True)
    return Result(
        outcome.section,
        outcome.area_code,
        outcome.status,
        outcome.seconds,
        outcome.attempts,
        outcome.record,
        outcome.message,
        outcome.error_page,
        extra={"worker": outcome.worker},
    )


def _lost(task: Task, exc: BaseException) -> Outcome:
    """A task the cluster could not finish (its workers kept dying, or the cluster went away)."""
    from ..report import Failure

    name = type(exc).__name__
    if name == "KilledWorker":
        cause = (
            f"the worker running it died {ALLOWED_FAILURES + 1} times (out of memory, or killed): "
            "re-run, or run this section alone with --jobs 1"
        )
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        cause = f"the cluster could not run it ({name}: {first}): re-run; check the workers with --scheduler"
    return failed_outcome(task, Failure(cause))


def _progress(total: int):
    """A tqdm bar on stderr, silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit="briefing", desc="briefings", disable=not sys.stderr.isatty(), leave=False)


def execute_tasks(tasks: list[Task], jobs: int, scheduler: str | None = None) -> list[Result]:
    """Run tasks on the cluster; write each briefing's files as it completes; one result per task."""
    results: list[Result] = []
    if not tasks:
        return results
    from distributed import as_completed

    with connect(min(jobs, len(tasks)), scheduler) as client, _progress(len(tasks)) as bar:
        run_id = uuid.uuid4().hex[:8]  # keys unique per run: several clients may share one cluster
        futures = {}
        for task in tasks:
            future = client.submit(run_task, task, key=f"briefing-{task.name}-{run_id}", pure=False)
            futures[future] = task
        try:
            for future in as_completed(futures):
                task = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - the task never returned: report it, continue
                    outcome = _lost(task, exc)
                results.append(write_outcome(task, outcome))
                bar.update()
                future.release()
        except KeyboardInterrupt:  # stop queued briefings at once; finished ones are already written
            client.cancel(list(futures), force=True)
            raise
    return results


def scheduler_address(option: str | None) -> str | None:
    """``--scheduler``, else ``DASK_SCHEDULER_ADDRESS``, else None (a local cluster)."""
    return option or os.environ.get(SCHEDULER_ENV) or None
