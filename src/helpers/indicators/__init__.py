"""Indicators as the unit: a catalogue (metadata, ``data/indicators/*.yaml``) and a national store (values).

After OHID Fingertips: every indicator has metadata (definition, unit, value type, polarity, CI method, area
types, period kind, series breaks) kept apart from its values, and one long table holds every value that every
view reads (panels, claim kinds, the spine chart, the overview, exports).

Quick use, in a notebook or a script::

    from helpers import indicators
    indicators.catalogue()                          # one row per indicator
    indicators.search("bus")                        # ids and titles that match
    indicators.get("bus-journeys-per-head")         # tidy frame: every area, every period, with intervals
    indicators.get("fuel-poverty-lilee", areas=["E10000003", "E92000001"], periods="latest")

The tidy shape (:data:`STORE_COLUMNS`) has ``period`` as people write it ("2023", "2023-24", "2021 to 2023"),
``period_start``/``period_end`` (ISO dates) and ``period_kind``; ``obtained`` says how each value was got
(``published``, ``sum of predecessors``, ``transport authority``, ``sum of districts`` ...).
"""

from __future__ import annotations

from .catalogue import CatalogueError, Indicator, catalogue, entry, ids, search
from .shape import INDICATOR_COLUMNS, INDICATOR_SCHEMA, latest, select, tidy, validate
from .store import STORE_COLUMNS, get, store, write_store

__all__ = [
    "INDICATOR_COLUMNS",
    "INDICATOR_SCHEMA",
    "STORE_COLUMNS",
    "CatalogueError",
    "Indicator",
    "catalogue",
    "entry",
    "get",
    "ids",
    "latest",
    "search",
    "select",
    "store",
    "tidy",
    "validate",
    "write_store",
]
