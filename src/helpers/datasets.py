"""The data layer: ``load(dataset_id)`` returns a tidy, typed, validated DataFrame.

How it works
------------
1. Each dataset's parser lives in ``helpers/parsers/<topic>.py`` and is registered with
   :func:`parser`. It receives verified local paths (from :mod:`helpers.fetch`) and returns a frame.
2. The parsed frame is validated against the parser's pandera schema.
3. It is cached as parquet keyed by the sha256 of its input files and the parser module's source,
   so a second load (in any process) is fast, and a changed file or parser re-parses.

Usage::

    from helpers import load
    imd = load("imd2019_lsoa_england")                       # a dataset with one table
    pay = load("ons_explore_local_statistics", "gross-median-weekly-pay")   # one table of many

Each loaded frame carries ``frame.attrs["source_id"]`` and ``frame.attrs["suppressed_cells"]`` (how many
suppressed / not-available cells became missing). Every load is recorded in :data:`LOADED`, which the
briefing footer uses to list the sources a notebook actually used.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import pkgutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

import pandas as pd

from . import config, fetch, registry
from .errors import SchemaError, UnknownDatasetError

if TYPE_CHECKING:
    from pandera.api.pandas.container import DataFrameSchema

#: Bump to invalidate every parsed-frame cache entry (e.g. after a pandas major upgrade).
CACHE_VERSION = "1"


@dataclass(frozen=True)
class Parser:
    """How one table of a dataset is made from its files."""

    dataset: str
    table: str
    files: tuple[str, ...]
    func: Callable[..., pd.DataFrame]
    schema: DataFrameSchema | None  # None: no schema check
    description: str


_PARSERS: dict[tuple[str, str], Parser] = {}
#: (dataset id, table) of every load in this process, in order, without repeats.
LOADED: list[tuple[str, str]] = []
#: Open recorders (:func:`recording`): each also collects the loads made while it is open.
_RECORDERS: list[list[tuple[str, str]]] = []
#: Parsed tables already read from the parsed cache in this process, by cache file: (frame, suppressed cells).
_FRAMES: dict[Path, tuple[pd.DataFrame, int]] = {}


def parser(dataset: str, table: str = "default", files: tuple[str, ...] | list[str] | None = None, schema=None):
    """Register ``func(paths: dict[file name, Path]) -> DataFrame`` as the parser of a table.

    ``files`` lists the registered file names the parser reads (default: all of the dataset's).
    The function returns ``(frame, suppressed_count)`` or just ``frame``.
    """

    def register(func):
        _PARSERS[(dataset, table)] = Parser(
            dataset=dataset,
            table=table,
            files=tuple(files) if files else (),
            func=func,
            schema=schema,
            description=(inspect.getdoc(func) or "").split("\n")[0],
        )
        return func

    return register


def _discover() -> None:
    """Import every module in ``helpers.parsers`` so their parsers register."""
    from . import parsers as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


_DISCOVERED: list[bool] = []


def parsers() -> dict[tuple[str, str], Parser]:
    """Every registered parser, keyed by (dataset id, table).

    Discovery runs once, whatever was imported before: a parser module imported directly (e.g. by a section
    module) registers its own parsers but must not stop the others from being found."""
    if not _DISCOVERED:
        _discover()
        _DISCOVERED.append(True)
    return _PARSERS


def tables(dataset: str) -> list[str]:
    """The table names available for a dataset."""
    return sorted(t for (d, t) in parsers() if d == dataset)


def _find_parser(dataset: str, table: str | None) -> Parser:
    registry.get(dataset)  # an unknown dataset id raises with the closest matches
    available = tables(dataset)
    if not available:
        raise UnknownDatasetError(
            f"dataset '{dataset}' is registered but has no parser: "
            "add one in src/helpers/parsers/ (see datasets.parser)"
        )
    if table is None:
        if "default" in available:
            table = "default"
        elif len(available) == 1:
            table = available[0]
        else:
            raise UnknownDatasetError(f"dataset '{dataset}' has several tables: pass one of {', '.join(available)}")
    key = (dataset, table)
    if key not in parsers():
        import difflib

        close = difflib.get_close_matches(table, available, n=3, cutoff=0.0)
        raise UnknownDatasetError(f"dataset '{dataset}' has no table '{table}': closest {', '.join(close)}")
    return parsers()[key]


def _cache_key(p: Parser, paths: dict[str, Path]) -> str:
    # a registered parser is always a module-level function, so its module is known
    source = inspect.getsource(cast(ModuleType, inspect.getmodule(p.func)))
    parts = [CACHE_VERSION, pd.__version__.split(".")[0], p.dataset, p.table, source]
    parts += [registry.get(p.dataset).file(name).sha256 for name in sorted(paths)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def load(dataset: str, table: str | None = None, *, use_cache: bool = True) -> pd.DataFrame:
    """A tidy, typed, validated DataFrame of one table of a registered dataset.

    Raises (one-line messages): UnknownDatasetError, DataUnavailableError, ChecksumError, SchemaError.
    """
    p = _find_parser(dataset, table)
    names = p.files or tuple(f.name for f in registry.get(dataset).files)
    paths = {name: fetch.fetch(dataset, name) for name in names}

    key = _cache_key(p, paths)
    cached = config.cache_dir() / "parsed" / f"{dataset}--{p.table}--{key}.parquet"
    meta_path = cached.with_suffix(".json")
    if use_cache and cached in _FRAMES:  # read before in this process (a warm batch worker reads each once)
        frame, suppressed = _FRAMES[cached]
        frame = frame.copy()
    elif use_cache and cached.exists() and meta_path.exists():
        frame = pd.read_parquet(cached)
        suppressed = json.loads(meta_path.read_text())["suppressed_cells"]
        _FRAMES[cached] = (frame.copy(), suppressed)
    else:
        result = p.func(paths)
        frame, suppressed = result if isinstance(result, tuple) else (result, 0)
        frame = frame.reset_index(drop=True)
        frame = validate(frame, p)
        _write_atomic(frame, cached, {"suppressed_cells": suppressed, "rows": len(frame)})

    frame.attrs["source_id"] = dataset
    frame.attrs["table"] = p.table
    frame.attrs["suppressed_cells"] = suppressed
    note_loaded([(dataset, p.table)])
    return frame


def note_loaded(tables: list[tuple[str, str]]) -> None:
    """Record (dataset, table) pairs as used in this run: in :data:`LOADED` (the sources section) and in every
    open :func:`recording`. :mod:`helpers.national` calls it for the tables behind a cached national table."""
    for entry in tables:
        if entry not in LOADED:
            LOADED.append(entry)
        for recorder in _RECORDERS:
            if entry not in recorder:
                recorder.append(entry)


@contextmanager
def recording() -> Iterator[list[tuple[str, str]]]:
    """Collect the (dataset, table) pairs loaded inside the ``with`` block (nested blocks each get theirs)."""
    recorder: list[tuple[str, str]] = []
    _RECORDERS.append(recorder)
    try:
        yield recorder
    finally:
        # by identity: a nested recorder with the same contents is equal to this one but is not it
        for i in range(len(_RECORDERS) - 1, -1, -1):
            if _RECORDERS[i] is recorder:
                del _RECORDERS[i]
                break


def forget_loaded() -> None:
    """Start a fresh record of used datasets (a warm worker does this after priming, before it forks)."""
    LOADED.clear()


def validate(frame: pd.DataFrame, p: Parser) -> pd.DataFrame:
    """Check a parsed frame against its pandera schema; a failure becomes one SchemaError line."""
    if p.schema is None:
        return frame
    import pandera.errors as pa_errors

    try:
        return p.schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        raise SchemaError(
            f"{p.dataset}/{p.table}: {len(cases)} value(s) fail the schema, first: column "
            f"'{first.get('column')}' check '{first.get('check')}' on {first.get('failure_case')!r}; "
            "the file differs from the registered version or the parser needs updating"
        ) from None
    except pa_errors.SchemaError as exc:
        raise SchemaError(f"{p.dataset}/{p.table}: {str(exc).splitlines()[0]}") from None


def _write_atomic(frame: pd.DataFrame, target: Path, meta: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix, write in (
        (".parquet", lambda f: frame.to_parquet(f, index=False)),
        (".json", lambda f: Path(f).write_text(json.dumps(meta))),
    ):
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
        os.close(fd)
        write(tmp)
        os.replace(tmp, target.with_suffix(suffix))


def used_sources() -> list[registry.Source]:
    """The registered datasets loaded in this process, in first-use order."""
    seen = []
    for dataset, _ in LOADED:
        if dataset not in seen:
            seen.append(dataset)
    return [registry.get(d) for d in seen]
