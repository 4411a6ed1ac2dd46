"""Helpers for the council manifesto briefings.

``from helpers import load`` gives the data layer's loader; the rest lives in small modules:
``areas`` (geography), ``stats`` (Fingertips methods), ``charts``, ``briefing``, ``sections``.
"""
from .datasets import load

__all__ = ["load"]
