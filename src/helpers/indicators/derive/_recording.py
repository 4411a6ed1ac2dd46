"""Workaround for a bug in :func:`helpers.datasets.recording` (to remove once it is fixed there).

``recording()`` removes its recorder with ``list.remove``, which matches by equality: when a national table is
built for the first time inside another recording (a derivation run inside the store's cached build), the inner
block removes the OUTER recorder (equal contents at that moment) and the outer block later fails with
"list.remove(x): x not in list". :func:`isolated` runs a derivation with the recorders restored afterwards and
the tables it loaded noted in every outer recorder, so citations stay complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _Recorder(list):
    """A recorder that is equal only to itself (never removed in another recorder's place)."""

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


@contextmanager
def isolated() -> Iterator[None]:
    from ... import datasets

    saved = list(datasets._RECORDERS)
    mine = _Recorder()
    datasets._RECORDERS.append(mine)
    try:
        yield
    finally:
        datasets._RECORDERS[:] = saved
        datasets.note_loaded(list(mine))


def isolated_call(func):
    """Decorator form of :func:`isolated` for a derivation function."""
    import functools

    @functools.wraps(func)
    def run(*args, **kwargs):
        with isolated():
            return func(*args, **kwargs)

    return run
