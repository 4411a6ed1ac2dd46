"""Helpers for the council manifesto briefings.

``from helpers import load`` gives the data layer's loader (imported on first use, so command-line
tools such as ``python -m helpers.runner`` start fast); the rest lives in small modules:
``areas`` (geography), ``stats`` (Fingertips methods), ``charts``, ``briefing``, ``sections``.
"""

__all__ = ["load"]


def __getattr__(name: str):
    if name == "load":
        from .datasets import load

        return load
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
