"""Area lookup for the command line: GSS codes and council names -> briefing areas, answered fast.

Areas are resolved against a small JSON index of :mod:`helpers.areas` kept in the data cache (rebuilt
when ``areas.py`` or the hierarchy dataset ``uk_la_names_codes_hierarchy`` changes), so a typo is
reported in a fraction of a second, before pandas is imported.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from pathlib import Path

from .. import config
from ..errors import ParameterError, UnknownAreaError

AREA_INDEX_VERSION = "1"
MAX_AREA_TEXT = 80
HELPERS_DIR = Path(__file__).resolve().parents[1]


def normalise_name(text: str) -> str:
    """Council name -> lookup key; the same rule as ``helpers.areas._normalise`` (a test keeps them equal)."""
    text = text.lower().replace("&", "and")
    text = re.sub(r"\b(county|district|borough|city|metropolitan|council|of|the|royal)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def _area_index_path() -> Path:
    """Cache file of the area index, named by the inputs it was built from."""
    digest = hashlib.sha256(AREA_INDEX_VERSION.encode())
    for path in (HELPERS_DIR / "areas.py", config.SOURCES_DIR / "uk_la_names_codes_hierarchy.yaml"):
        digest.update(path.read_bytes() if path.exists() else b"")
    return config.cache_dir() / "runner" / f"areas-{digest.hexdigest()[:16]}.json"


def build_area_index() -> dict:
    """Codes, name keys and briefing areas from :mod:`helpers.areas` (slow: loads the area table)."""
    from .. import areas

    table = areas._table()
    names = {
        code: [name, kind, parent]
        for code, name, kind, parent in zip(table["code"], table["name"], table["kind"], table["parent"], strict=True)
    }
    codes = {code: code for code in table["code"]}
    former: dict[str, set[str]] = {}
    for code, listed in zip(table["code"], table["former_codes"].fillna(""), strict=True):
        for old in filter(None, str(listed).split(",")):
            former.setdefault(old, set()).add(code)
    for old, current in former.items():
        if len(current) == 1 and old not in codes:
            codes[old] = next(iter(current))
    briefing = {
        a.code: {"code": a.code, "name": a.name, "kind": a.kind, "slug": a.slug} for a in areas.briefing_areas()
    }
    return {"codes": codes, "keys": dict(areas._name_index()), "names": names, "briefing": briefing}


def area_index() -> dict:
    """The area index, built once per change of ``areas.py`` or the hierarchy dataset and cached as JSON."""
    path = _area_index_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from ..report import atomic_write

        index = build_area_index()
        atomic_write(path, json.dumps(index, sort_keys=True))
        return index


def resolve_area(text: str, index: dict | None = None) -> dict:
    """The briefing area (code, name, kind, slug) for a GSS code or council name; one-line error otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("--area needs a GSS code (e.g. E10000003) or a council name (e.g. 'Peterborough')")
    if len(text) > MAX_AREA_TEXT or not text.isprintable():
        raise ParameterError(
            f"--area {text[:30]!r}… is not a GSS code or council name: use a code like "
            "E10000003 or a name like 'Cambridgeshire' (printable, at most 80 characters)"
        )
    index = index or area_index()
    clean = text.strip()
    code = index["codes"].get(clean.upper()) or index["keys"].get(normalise_name(clean))
    if code is None:
        choices = {a["name"]: a["code"] for a in index["briefing"].values()}
        looks_like_code = re.fullmatch(r"[A-Za-z]\d{6,}\w*", clean)
        pool = list(index["briefing"]) if looks_like_code else list(choices)
        close = difflib.get_close_matches(clean.upper() if looks_like_code else clean.title(), pool, n=3, cutoff=0.0)
        named = (
            [f"{index['briefing'][c]['name']} ({c})" for c in close]
            if looks_like_code
            else [f"{n} ({choices[n]})" for n in close]
        )
        raise UnknownAreaError(f"unknown area {clean!r}: closest councils are {', '.join(named)}")
    if code not in index["briefing"]:
        name, kind, parent = index["names"][code]
        hint = f"; its county is {index['names'][parent][0]} ({parent})" if parent in index["names"] else ""
        raise UnknownAreaError(
            f"{name} ({code}) is a {kind}: briefings are for a county or a unitary, "
            f"metropolitan or London borough council{hint}"
        )
    return dict(index["briefing"][code])


def all_council_areas() -> list[dict]:
    """Every briefing area, from :func:`helpers.areas.briefing_areas`."""
    from .. import areas

    return [{"code": a.code, "name": a.name, "kind": a.kind, "slug": a.slug} for a in areas.briefing_areas()]
