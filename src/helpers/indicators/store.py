"""The national indicator store: every catalogued indicator x every area x every period, in one tidy shape.

``get(id)`` builds an indicator's values once per process (or batch worker, through
:func:`helpers.national.table`) from its catalogue entry: select or derive the values, put former councils'
codes on today's councils (adding predecessors up where the entry allows), fill counties from their districts
where the entry allows, and label periods as people write them. Money indicators gain ``value_real`` in the
latest complete financial year's prices (ONS GDP deflator, series YBGB; a financial year's deflator is the mean
of its four quarters). ``write_store(path)`` exports every indicator as one parquet file that pandas, R arrow
and DuckDB read as it is.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import national
from . import periods as _periods
from .catalogue import CatalogueError, Indicator, entries, entry

#: The store's columns, in order.
STORE_COLUMNS = [
    "indicator_id",
    "area_code",
    "area_name",
    "area_type",
    "period",
    "period_start",
    "period_end",
    "period_kind",
    "year",
    "value",
    "lower",
    "upper",
    "numerator",
    "denominator",
    "unit",
    "obtained",
    "series",
    "source_id",
    "value_real",
    "price_base",
]

#: Area kinds of :mod:`helpers.areas` -> the catalogue's area types.
AREA_TYPE = {
    "country": "england",
    "region": "region",
    "county": "county",
    "unitary": "unitary",
    "metropolitan district": "metropolitan district",
    "london borough": "london borough",
    "non-metropolitan district": "district",
}

_DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {}


def derivation(name: str) -> Callable[[Callable[..., pd.DataFrame]], Callable[..., pd.DataFrame]]:
    """Register ``func(**params) -> frame`` (columns ``area_code, year, value`` and optionally ``lower, upper,
    numerator, denominator, area_name, obtained``) as a derivation a catalogue entry can name."""

    def register(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        _DERIVATIONS[name] = func
        return func

    return register


def _derivations() -> dict[str, Callable[..., pd.DataFrame]]:
    from . import derive

    for info in pkgutil.iter_modules(derive.__path__):
        importlib.import_module(f"{derive.__name__}.{info.name}")
    return _DERIVATIONS


def _raw(ind: Indicator) -> pd.DataFrame:
    """The entry's values before areas and periods are put in the store's shape."""
    from ..datasets import load

    if ind.derive is not None:
        funcs = _derivations()
        if ind.derive.function not in funcs:
            import difflib

            close = ", ".join(difflib.get_close_matches(ind.derive.function, sorted(funcs), n=3)) or "none close"
            raise CatalogueError(
                f"indicator {ind.id!r}: derivation {ind.derive.function!r} is not registered: did you mean {close}?"
            )
        frame = funcs[ind.derive.function](**ind.derive.params)
        frame = frame.copy()
        frame["source_id"] = ind.derive.datasets[0]
        return frame
    src = ind.source
    assert src is not None
    frame = load(src.dataset, src.table)
    for col, want in src.filter.items():
        if col not in frame.columns:
            raise CatalogueError(
                f"indicator {ind.id!r}: filter column {col!r} is not in {src.dataset}/{src.table or 'default'} "
                f"(columns: {', '.join(map(str, frame.columns))})"
            )
        wanted = want if isinstance(want, list) else [want]
        frame = frame[frame[col].isin(wanted)]
    frame = frame.rename(columns={v: k for k, v in src.columns.items()})
    for col in ("area_code", "year", "value"):
        if col not in frame.columns:
            raise CatalogueError(
                f"indicator {ind.id!r}: {src.dataset}/{src.table or 'default'} has no {col!r} column: map one with "
                f"source.columns"
            )
    frame = frame.copy()
    for col in ("value", "lower", "upper"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce") * src.scale
    frame["source_id"] = src.dataset
    if frame.duplicated(["area_code", "year"]).any():
        dup = frame[frame.duplicated(["area_code", "year"], keep=False)].iloc[0]
        raise CatalogueError(
            f"indicator {ind.id!r}: more than one value for {dup['area_code']} in {dup['year']}: narrow "
            f"source.filter (columns: {', '.join(map(str, frame.columns))})"
        )
    return frame


def _on_current_councils(ind: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Put values on today's councils. A council that only changed its code is relabelled. A council created by
    merging others (2019-2023) is added up from its former councils when the entry allows
    (``rollup.predecessors``), and otherwise has no value: one former council never stands in for a merged one.
    Counties are filled from their districts when the entry allows (``rollup.districts``)."""
    from .. import areas, predecessors

    out = frame.copy()
    out["obtained"] = out.get("obtained", pd.Series("published", index=out.index)).fillna("published")
    out["area_code"] = out["area_code"].astype(str)
    rule = ind.rollup.predecessors
    if rule != "none":
        rates = {"value": ("numerator", "denominator", _scale(out))} if rule == "rate" else None
        sums = ["value", "numerator", "denominator"] if rule == "sum" else ["numerator", "denominator"]
        sums = [c for c in sums if c in out.columns]
        agg = predecessors.aggregate(out, county_is="area", sums=sums, rates=rates, keep_predecessors=False)
        made = agg["aggregated_from"].fillna("") != ""
        agg.loc[made, "obtained"] = "sum of former councils" if rule == "sum" else "pooled from former councils"
        out = agg.drop(columns=["aggregated_from", "unavailable"])
    current = areas.harmonise_codes(out["area_code"])
    own = out["area_code"] == current
    # rows of former councils: keep one only where it is the sole former code of a council that changed code
    former = out[~own].assign(area_code=current[~own])
    sole = former.groupby(["area_code", "year"])["value"].transform("size") == 1
    have = set(zip(out.loc[own, "area_code"], out.loc[own, "year"], strict=False))
    former = former[
        sole & ~pd.Series(list(zip(former["area_code"], former["year"], strict=False)), index=former.index).isin(have)
    ]
    out = pd.concat([out[own], former], ignore_index=True).drop_duplicates(["area_code", "year"], keep="first")
    if ind.rollup.districts != "none":
        out = _counties_from_districts(out, ind.rollup.districts)
    return out


def _scale(frame: pd.DataFrame) -> float:
    """The multiplier between value and numerator / denominator (1, 100 for a percentage, 1,000 for a rate per
    1,000 ...), read off the published rows as the nearest power of ten."""
    ok = frame.dropna(subset=["value", "numerator", "denominator"])
    ok = ok[(ok["denominator"] > 0) & (ok["numerator"] > 0)]
    if ok.empty:
        return 1.0
    ratio = float((ok["value"] / (ok["numerator"] / ok["denominator"])).median())
    return float(10 ** round(np.log10(ratio))) if ratio > 0 else 1.0


def _counties_from_districts(frame: pd.DataFrame, rule: str) -> pd.DataFrame:
    from .. import areas

    t = areas.areas_table().set_index("code", drop=False)
    parents = t[t["kind"] == "non-metropolitan district"].set_index("code")["parent"].dropna()
    d = frame[frame["area_code"].isin(parents.index)].assign(county=lambda x: x["area_code"].map(parents))
    have = set(zip(frame["area_code"], frame["year"], strict=False))
    n_districts = parents.value_counts()
    rows = []
    for (county, year), g in d.groupby(["county", "year"]):
        if (county, year) in have or len(g) < n_districts.get(county, 0) or g["value"].isna().any():
            continue
        row = g.iloc[0].copy()
        row["area_code"] = county
        row["area_name"] = t.at[county, "name"]
        for col in ("lower", "upper"):
            if col in row.index:
                row[col] = np.nan
        if rule == "sum":
            for col in ("value", "numerator", "denominator"):
                if col in g.columns:
                    row[col] = g[col].sum(min_count=len(g))
        else:
            if not {"numerator", "denominator"} <= set(g.columns) or g[["numerator", "denominator"]].isna().any().any():
                continue
            row["numerator"], row["denominator"] = g["numerator"].sum(), g["denominator"].sum()
            row["value"] = _scale(frame) * row["numerator"] / row["denominator"]
        row["obtained"] = f"sum of its {len(g)} districts" if rule == "sum" else f"pooled from its {len(g)} districts"
        rows.append(row)
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True) if rows else frame


def _shape(ind: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    from .. import areas

    t = areas.areas_table().set_index("code", drop=False)
    out = frame[frame["area_code"].isin(t.index)].copy()
    kind = out["area_code"].map(t["kind"])
    out["area_type"] = kind.map(AREA_TYPE)
    out = out[out["area_type"].isin(ind.area_types)]
    out["area_name"] = out["area_code"].map(t["name"])
    start = _periods.start_year(out["year"], ind.period)
    out["year"] = start.astype(int)
    out["period"] = start.map(lambda y: _periods.label(int(y), ind.period))
    b = start.map(lambda y: _periods.bounds(int(y), ind.period))
    out["period_start"] = b.map(lambda x: x[0])
    out["period_end"] = b.map(lambda x: x[1])
    out["period_kind"] = ind.period.kind
    out["indicator_id"] = ind.id
    out["unit"] = ind.unit
    out["series"] = series_of(out["year"], ind)
    for col in ("lower", "upper", "numerator", "denominator"):
        if col not in out.columns:
            out[col] = np.nan
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out = out.dropna(subset=["value"])
    out["value_real"], out["price_base"] = np.nan, ""
    if ind.value_type == "money" and ind.price_basis == "cash":
        out = _real_terms(out, ind)
    return out[STORE_COLUMNS].sort_values(["area_code", "year"], ignore_index=True)


def series_of(year: pd.Series, ind: Indicator) -> pd.Series:
    """Which comparable series each period belongs to: 1 before the first declared break, 2 after it, ..."""
    out = pd.Series(1, index=year.index, dtype=int)
    for brk in sorted(ind.breaks, key=lambda b: b.year):
        if brk.kind == "definition":
            out = out + (year >= brk.year).astype(int)
    return out


def deflators() -> tuple[pd.Series, str]:
    """Financial-year GDP deflators (index by first calendar year) rebased to the latest complete year = 100,
    and that year's label ("2024-25 prices")."""
    from ..datasets import load

    fy = load("gdp_deflator_ybgb_ons_1948_2025", "financial_years").set_index("year")["deflator"]
    base = int(fy.index.max())
    return 100 * fy / fy.loc[base], f"{base}-{(base + 1) % 100:02d} prices"


def calendar_deflators() -> tuple[pd.Series, str]:
    """Calendar-year GDP deflators rebased to the latest year = 100, and that year's label ("2024 prices")."""
    from ..datasets import load

    cy = load("gdp_deflator_ybgb_ons_1948_2025", "calendar_years").set_index("year")["deflator"]
    base = int(cy.index.max())
    return 100 * cy / cy.loc[base], f"{base} prices"


def _real_terms(frame: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    financial = ind.period.kind in ("financial_year", "academic_year")
    d, base = deflators() if financial else calendar_deflators()
    out = frame.copy()
    factor = 100 / out["year"].map(d)
    out["value_real"] = out["value"] * factor
    out["price_base"] = np.where(factor.notna(), base, "")
    return out


#: Bump to rebuild every cached indicator (e.g. when the store's shape changes).
STORE_VERSION = "1"
_CODE = ("store.py", "periods.py", "catalogue.py")


def _file_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _registry_hash(used: Iterable[Any]) -> str:
    """sha256 over the registry entries (file hashes, breaks) of the datasets a build read."""
    import hashlib

    from .. import config

    digest = hashlib.sha256()
    for dataset in sorted({str(u[0]) for u in used}):
        digest.update(dataset.encode() + b"\0" + _file_hash(config.SOURCES_DIR / f"{dataset}.yaml").encode())
    return digest.hexdigest()


def _base_key(ind: Indicator) -> str:
    """The indicator's catalogue entry, the store's code, the derivations and the area lookups it relies on."""
    import hashlib
    import json

    here = Path(__file__).parent
    helpers_dir = here.parent
    code = [here / name for name in _CODE] + sorted((here / "derive").glob("*.py"))
    code += [helpers_dir / "areas.py", helpers_dir / "predecessors.py"]
    digest = hashlib.sha256(STORE_VERSION.encode())
    digest.update(json.dumps(ind.model_dump(mode="json"), sort_keys=True).encode())
    for path in code:
        digest.update(path.name.encode() + _file_hash(path).encode())
    return digest.hexdigest()


def _cache_paths(indicator_id: str) -> tuple[Path, Path]:
    from .. import config

    folder = config.cache_dir() / "indicators"
    return folder / f"{indicator_id}.parquet", folder / f"{indicator_id}.json"


def _from_cache(ind: Indicator, base: str) -> pd.DataFrame | None:
    """The cached rows when the entry, the code and every dataset the last build read are unchanged."""
    import json

    from ..datasets import note_loaded

    frame_path, meta_path = _cache_paths(ind.id)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("base") != base or meta.get("used_hash") != _registry_hash(meta.get("used", [])):
            return None
        frame = pd.read_parquet(frame_path)
    except (OSError, ValueError):
        return None
    note_loaded([tuple(u) for u in meta.get("used", [])])  # the briefing still cites what the values came from
    return frame


def _to_cache(ind: Indicator, base: str, frame: pd.DataFrame, used: list[tuple[str, str]]) -> None:
    import json
    import os
    import tempfile

    frame_path, meta_path = _cache_paths(ind.id)
    frame_path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"base": base, "used": [list(u) for u in used], "used_hash": _registry_hash(used)}
    for target, write in (
        (frame_path, lambda tmp: frame.to_parquet(tmp, index=False)),
        (meta_path, lambda tmp: Path(tmp).write_text(json.dumps(meta), encoding="utf-8")),
    ):
        fd, tmp = tempfile.mkstemp(dir=frame_path.parent, suffix=".tmp")
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)


@national.table(copy=False, prime_with=())
def _cached(indicator_id: str) -> pd.DataFrame:
    """One indicator's store rows: once per process (or warm batch worker), and once per data version on disk
    (``data/cache/indicators/``, keyed by the catalogue entry, the store's code and the registry entries of every
    dataset the build read), so a new process reads a parquet file instead of re-deriving."""
    from ..datasets import recording

    ind = entry(indicator_id)
    base = _base_key(ind)
    cached = _from_cache(ind, base)
    if cached is not None:
        return cached
    with recording() as used:
        frame = _shape(ind, _on_current_councils(ind, _raw(ind)))
    _to_cache(ind, base, frame, list(dict.fromkeys(used)))
    return frame


@national.table(copy=False)
def _prime_every_indicator() -> int:
    """Build every catalogued indicator (the batch runner's warm workers call this before forking, through
    :func:`helpers.national.prime`); an indicator that fails is left for the briefing that needs it to report."""
    built = 0
    for indicator_id in sorted(entries()):
        try:
            _cached(indicator_id)
            built += 1
        except Exception:  # noqa: BLE001 - the notebook that needs it reports the cause itself
            continue
    return built


def get(
    indicator_id: str,
    areas: Iterable[Any] | None = None,
    periods: str | int | Iterable[Any] | None = None,
) -> pd.DataFrame:
    """The indicator's values in the store's tidy shape (:data:`STORE_COLUMNS`).

    ``areas``: GSS codes or :class:`helpers.areas.Area` objects (default: every area it exists for).
    ``periods``: ``"latest"`` (each area's latest period), a period start year, a period label ("2023-24"), or a
    list of them (default: every period). Unknown ids give a one-line error naming the closest ids.
    """
    frame = _cached(indicator_id)
    if areas is not None:
        codes = [getattr(a, "code", a) for a in areas]
        frame = frame[frame["area_code"].isin(codes)]
    if periods is not None:
        if isinstance(periods, str) and periods == "latest":
            frame = frame[frame["year"] == frame.groupby("area_code")["year"].transform("max")]
        else:
            wanted = [periods] if isinstance(periods, str | int) else list(periods)
            years = {int(p) for p in wanted if isinstance(p, int) or (isinstance(p, str) and p.isdigit())}
            labels = {str(p) for p in wanted}
            frame = frame[frame["year"].isin(years) | frame["period"].isin(labels)]
    return frame.copy()


def store(indicator_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Every (or the named) catalogued indicator in one long frame."""
    chosen = list(indicator_ids) if indicator_ids is not None else sorted(entries())
    frames = [get(i) for i in chosen]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=STORE_COLUMNS)


def write_store(path: str | Path, indicator_ids: Iterable[str] | None = None) -> Path:
    """Write the store as parquet (atomically: a failed build leaves the last good file)."""
    import os
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame = store(indicator_ids)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".parquet.tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target
