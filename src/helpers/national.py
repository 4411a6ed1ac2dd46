"""Tables computed over every council in England: once per process, and once per batch worker.

Many briefings place a council among all the others (ranks of inequality, a spending-power panel, the
claimant rate of every district). Those tables are the same whichever council a briefing is for, so
computing them in every one of 1,224 briefings wastes most of a batch. A function that builds such a
table is decorated with :func:`table`:

* within one process it runs once per distinct argument (like :func:`functools.lru_cache`), and every
  caller gets its own copy of a DataFrame, so a notebook that edits the frame cannot change what the
  next caller sees;
* the datasets loaded to build it are remembered and recorded as used (:func:`helpers.datasets.note_loaded`)
  on every call, so a briefing's sources section lists them even when the table came from the cache (which
  is why every cached function that loads data, down to the area lookups, uses this decorator and not
  :func:`functools.lru_cache`: a plain cache would hide its datasets from every briefing after the first);
* :func:`prime` runs every registered table up front. The batch runner calls it once in each warm worker
  before it forks a child per notebook (:mod:`helpers.runner.execute`), so the children inherit the
  computed tables instead of rebuilding them.

A table that fails to build in :func:`prime` is skipped silently: the notebook that needs it calls it
again and fails there with its own one-line message.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from . import datasets

F = TypeVar("F", bound=Callable[..., Any])

#: (cached function, argument tuples to build in :func:`prime`) of every registered table, in import order.
_REGISTERED: list[tuple[Callable[..., Any], tuple[tuple[Any, ...], ...]]] = []


def _copy(value: Any) -> Any:
    """A copy of a DataFrame or Series (and of each one inside a tuple); anything else as it is."""
    import pandas as pd

    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


def table(func: F | None = None, *, prime_with: Iterable[tuple[Any, ...]] = ((),), copy: bool = True) -> Any:
    """Decorator: cache a national table per process and register it for :func:`prime`.

    ``prime_with``: the argument tuples :func:`prime` builds (default: the call with no arguments). The
    function's arguments must be hashable. DataFrames and Series are returned as copies unless ``copy=False``
    (for lookups used internally, many times a page, whose callers never modify them)."""

    def decorate(f: F) -> F:
        @functools.cache
        def cached(*args: Any, **kwargs: Any) -> tuple[Any, tuple[tuple[str, str], ...]]:
            with datasets.recording() as used:
                value = f(*args, **kwargs)
            return value, tuple(used)

        cached.__module__, cached.__qualname__ = f.__module__, f.__qualname__

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            value, used = cached(*args, **kwargs)
            datasets.note_loaded(list(used))  # the briefing cites the data behind the table, cached or not
            return _copy(value) if copy else value

        wrapper.cached = cached  # type: ignore[attr-defined]
        _REGISTERED.append((cached, tuple(tuple(a) for a in prime_with)))
        return wrapper  # type: ignore[return-value]

    return decorate(func) if func is not None else decorate


def registered() -> list[str]:
    """Names (module.function) of every registered national table, in registration order."""
    return [f"{f.__module__}.{f.__qualname__}" for f, _ in _REGISTERED]


def prime() -> dict[str, float]:
    """Build every registered table now; returns seconds per table (failures are left to the notebooks)."""
    took: dict[str, float] = {}
    for cached, calls in _REGISTERED:
        for args in calls:
            start = time.perf_counter()
            try:
                cached(*args)
            except Exception:  # noqa: BLE001 - the notebook that needs it reports the cause itself
                continue
            took[f"{cached.__module__}.{cached.__qualname__}{args if args else ''}"] = time.perf_counter() - start
    return took
