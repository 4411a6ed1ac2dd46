"""Claim kinds: a handful of generic, typed tests over the indicator store, read through one reading table.

* :mod:`helpers.claims.reading` — the reading table (``reading.yaml``): words -> kind and thresholds;
* :mod:`helpers.claims.kinds` — the kinds (level, compare, rank, parts, share, change, trend, since), each frame in
  and :class:`helpers.verdicts.Outcome` out, tested against tables of constructed cases;
* :mod:`helpers.claims.run` — a register entry's ``check`` -> the store rows it names -> its kind;
* :func:`claim_test` — marks a hand-written test function that a register may name where no kind fits.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .reading import KINDS, Reading, ReadingError, read, table, table_markdown

#: Hand-written claim and pledge tests a register may name (module.function -> function).
CLAIM_TESTS: dict[str, Callable[..., Any]] = {}


def claim_test(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``func(ctx, **params) -> Outcome`` as a claim or pledge test a register may name. Its parameters
    must be named (no ``**kwargs``), so the register can check an entry's parameters when it loads."""
    sig = inspect.signature(func)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()):
        raise TypeError(f"{func.__module__}.{func.__name__}: a claim test names its parameters (no **kwargs)")
    module = func.__module__.removeprefix("helpers.sections.")
    CLAIM_TESTS[f"{module}.{func.__name__}"] = func
    func.__claim_test__ = True  # type: ignore[attr-defined]
    return func


__all__ = ["CLAIM_TESTS", "KINDS", "Reading", "ReadingError", "claim_test", "read", "table", "table_markdown"]
