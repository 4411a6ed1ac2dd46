"""Council NAMES as publishers print them ("Bexley LB", "Leeds City Council MBC", "City of Peterborough",
"St. Edmundsbury") -> current GSS codes, for datasets that carry no code (ORR station usage, DEFRA waste
authorities).

Names are cleaned of council-type suffixes, looked up in the mySociety council register
(``uk_la_names_codes_hierarchy``: current and former councils with their alternative names) and followed through
``replaced_by`` to today's council (Corby -> North Northamptonshire). A name that matches nothing, or a council split
between successors (Cumbria), is left unmapped (None): callers say what could not be mapped.
"""

from __future__ import annotations

import re

import pandas as pd

from . import areas, national
from .datasets import load

_SUFFIXES = re.compile(
    r"\b(county council|city council|borough council|district council|council|mbc|mdc|lb|city mdc|\(mbc\)|"
    r"\(london\)|metropolitan borough|london borough of)\b",
    re.IGNORECASE,
)


def clean(name: str) -> str:
    """A publisher's council name reduced to a lookup key ("Newcastle-upon-Tyne City Council MBC" ->
    "newcastleupontyne")."""
    text = str(name).replace("(MBC)", " ").replace("(London)", " ").replace("St.", "St")
    text = _SUFFIXES.sub(" ", text)
    text = text.lower().replace("&", "and")
    text = re.sub(r"\b(city of|the)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


@national.table(copy=False)
def _index() -> dict[str, str]:
    councils = load("uk_la_names_codes_hierarchy", "councils")
    keys: dict[str, set[str]] = {}
    for row in councils.itertuples():
        names = [row.area_name, row.official_name] + [n for n in str(row.alt_names or "").split(",") if n.strip()]
        for n in names:
            if isinstance(n, str) and n.strip():
                keys.setdefault(clean(n), set()).add(row.la_code)
    return {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}


@national.table(copy=False)
def _current_by_la_code() -> dict[str, str]:
    councils = load("uk_la_names_codes_hierarchy", "councils")
    pairs = zip(councils["la_code"], councils["replaced_by"], strict=True)
    successor = {la: rb for la, rb in pairs if isinstance(rb, str) and "," not in rb}
    t = areas.areas_table().dropna(subset=["la_code"])
    current = dict(zip(t["la_code"], t["code"], strict=False))
    out = {}
    for la in councils["la_code"]:
        code, step = la, 0
        while code is not None and code not in current and step < 5:
            code, step = successor.get(code), step + 1
        if code in current:
            out[la] = current[code]
    return out


def current_code(name: str) -> str | None:
    """Today's GSS code of the council a publisher calls ``name``, or None when it cannot be mapped."""
    key = clean(name)
    la = _index().get(key) or _index().get(key + "district")  # "district" alt names resolve shared city names
    if la is None:
        try:
            return areas.resolve(name).code
        except Exception:
            return None
    return _current_by_la_code().get(la)


def current_codes(names: pd.Series) -> pd.Series:
    """:func:`current_code` for each name (None where a name cannot be mapped)."""
    lookup = {n: current_code(n) for n in pd.unique(names.dropna())}
    return names.map(lookup)
