"""The indicator catalogue: one small YAML file per indicator in ``data/indicators/``, validated on load.

An entry says what the indicator is (title, definition, unit, value type, polarity), where its values come from
(a declarative ``source`` selection from a parsed table, or a named ``derive`` function), which areas and
periods it exists for, how its intervals are made and where its series breaks. Example::

    id: fuel-poverty-lilee
    title: Households in fuel poverty (low income, low energy efficiency)
    definition: Share of households that are fuel poor under the LILEE definition ...
    unit: "%"
    value_type: proportion
    polarity: lower_is_better
    source:
      dataset: fuel_poverty_la_2020_2021_lilee
    period: {kind: calendar_year}
    area_types: [england, region, county, unitary, metropolitan district, london borough, district]
    ci_method: none

A bad entry gets one line naming the file, the id and the problem (:class:`CatalogueError`). The catalogue is
data, like the claims register (``manifestos/``) and the data registry (``data/sources/``).
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import config
from ..errors import BriefingError

#: Where the catalogue lives (one YAML file per indicator); ``BRIEFINGS_INDICATORS_DIR`` points elsewhere.
CATALOGUE_DIR = config.REPO_ROOT / "data" / "indicators"
CATALOGUE_ENV = "BRIEFINGS_INDICATORS_DIR"

VALUE_TYPES = ("proportion", "rate", "count", "money", "ratio", "index", "share", "years", "score", "rank")
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
AREA_TYPES = (
    "england",
    "region",
    "county",
    "unitary",
    "metropolitan district",
    "london borough",
    "district",
    "transport authority",
)
PERIOD_KINDS = ("calendar_year", "financial_year", "academic_year", "mid_year", "rolling_years", "census", "date")
CI_METHODS = ("wilson", "byars", "dobson", "published", "model", "none")


class CatalogueError(BriefingError):
    """A catalogue entry is missing, unreadable or invalid (one line: file, id, problem)."""


class Source(BaseModel):
    """A declarative selection from one parsed table (``helpers.load(dataset, table)``).

    ``filter`` keeps rows whose columns equal the given values (a list means any of them); ``columns`` renames
    the table's columns onto the store's (e.g. ``{value: rate_pct}``); ``scale`` multiplies value and limits."""

    model_config = ConfigDict(extra="forbid")
    dataset: str
    table: str | None = None
    filter: dict[str, Any] = Field(default_factory=dict)
    columns: dict[str, str] = Field(default_factory=dict)
    scale: float = 1.0


class Derive(BaseModel):
    """A documented derivation function (``helpers.indicators.derive``) and its keyword parameters."""

    model_config = ConfigDict(extra="forbid")
    function: str
    params: dict[str, Any] = Field(default_factory=dict)
    datasets: list[str] = Field(min_length=1)


class Period(BaseModel):
    """What the table's ``year`` means: the kind of period, and whether ``year`` is its first or last year."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["calendar_year", "financial_year", "academic_year", "mid_year", "rolling_years", "census", "date"] = (
        "calendar_year"
    )
    year_is: Literal["start", "end"] = "start"
    years: int = Field(default=1, ge=1, le=10)


class Break(BaseModel):
    """A declared break in the series at ``year`` (a period start year). ``definition``: values before it are
    not comparable with values from it on (a method, definition or boundary change), so kinds and trends never
    join across it; ``exclude``: that one period is abnormal (e.g. a Covid-19 lockdown year) and is left out of
    trends and changes. The data registry's own breaks for the dataset apply too."""

    model_config = ConfigDict(extra="forbid")
    year: int
    kind: Literal["definition", "exclude"] = "definition"
    reason: str = Field(min_length=10)


class Rollup(BaseModel):
    """How values for areas the source does not publish are obtained (each value says how in ``obtained``).

    ``predecessors``: a council created 2019-2023 as the sum (counts) or pooled rate (numerator / denominator)
    of its former councils; ``districts``: a county from its districts the same way."""

    model_config = ConfigDict(extra="forbid")
    predecessors: Literal["sum", "rate", "none"] = "none"
    districts: Literal["sum", "rate", "none"] = "none"


class Indicator(BaseModel):
    """One catalogue entry (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    title: str = Field(min_length=5)
    definition: str = Field(min_length=10)
    unit: str = Field(min_length=1)
    value_type: Literal["proportion", "rate", "count", "money", "ratio", "index", "share", "years", "score", "rank"]
    polarity: Literal["higher_is_better", "lower_is_better", "no_judgement"]
    source: Source | None = None
    derive: Derive | None = None
    numerator: str = ""
    denominator: str = ""
    period: Period = Field(default_factory=Period)
    area_types: list[
        Literal[
            "england",
            "region",
            "county",
            "unitary",
            "metropolitan district",
            "london borough",
            "district",
            "transport authority",
        ]
    ] = Field(min_length=1)
    ci_method: Literal["wilson", "byars", "dobson", "published", "model", "none"] = "none"
    breaks: list[Break] = Field(default_factory=list)
    rollup: Rollup = Field(default_factory=Rollup)
    #: a value that moves by more than this factor between adjacent periods is flagged on the page
    jump_factor: float = Field(default=2.0, gt=1.0)
    #: what the values describe: the whole ``area`` (residents, places) or the ``council``'s own activity (its
    #: spending, its services). A claim about the council's own part judged on an area measure is context only.
    measures: Literal["area", "council"] = "area"
    #: money: the price basis of published values ("cash"); real terms are added by the store
    price_basis: Literal["cash", "real"] | None = None
    #: decimal places to show values with (default: 1, or 0 from 1,000 up)
    decimals: int | None = Field(default=None, ge=0, le=4)
    headline: bool = False
    topic: str = ""
    keywords: list[str] = Field(default_factory=list)
    caveats: str = ""

    @model_validator(mode="after")
    def _one_way(self) -> Indicator:
        if (self.source is None) == (self.derive is None):
            raise ValueError("give exactly one of `source` (a table selection) or `derive` (a function)")
        if self.value_type == "money" and self.price_basis is None:
            raise ValueError("a money indicator says its price_basis (cash or real)")
        return self

    @field_validator("unit")
    @classmethod
    def _no_iso(cls, value: str) -> str:
        if value.strip() != value:
            raise ValueError("unit has surrounding spaces")
        return value

    @property
    def datasets(self) -> list[str]:
        """Registry ids of the datasets the values come from."""
        if self.source is not None:
            return [self.source.dataset]
        assert self.derive is not None
        return list(self.derive.datasets)


def catalogue_dir() -> Path:
    return Path(os.environ.get(CATALOGUE_ENV) or CATALOGUE_DIR)


def _read(path: Path) -> Indicator:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise CatalogueError(f"{path}{at}: not valid YAML ({getattr(exc, 'problem', exc)}): fix the file") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: an indicator entry is a mapping with id, title, unit ...: fix the file")
    try:
        ind = Indicator.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise CatalogueError(
            f"{path} (indicator {data.get('id')!r}): {loc}: {err['msg'].removeprefix('Value error, ')}: fix the entry"
        ) from None
    if path.stem != ind.id:
        raise CatalogueError(f"{path} (indicator {ind.id!r}): the file name must be the id ({ind.id}.yaml)")
    return ind


@lru_cache(maxsize=4)
def _load(folder: Path) -> dict[str, Indicator]:
    if not folder.is_dir():
        raise CatalogueError(f"indicator catalogue {folder} does not exist: set {CATALOGUE_ENV} or restore it")
    out: dict[str, Indicator] = {}
    for path in sorted(folder.glob("*.yaml")):
        ind = _read(path)
        out[ind.id] = ind
    _check_datasets(out)
    return out


def _check_datasets(entries: dict[str, Indicator]) -> None:
    from .. import registry

    known = set(registry.all_sources())
    for ind in entries.values():
        for ds in ind.datasets:
            if ds not in known:
                close = ", ".join(difflib.get_close_matches(ds, sorted(known), n=3)) or "none close"
                raise CatalogueError(
                    f"{catalogue_dir() / (ind.id + '.yaml')} (indicator {ind.id!r}): dataset {ds!r} is not in the "
                    f"registry data/sources/: did you mean {close}?"
                )


def entries() -> dict[str, Indicator]:
    """Every catalogue entry by id."""
    return _load(catalogue_dir().resolve())


def ids() -> list[str]:
    return sorted(entries())


def entry(indicator_id: str) -> Indicator:
    """One entry, or CatalogueError naming the closest ids."""
    found = entries().get(indicator_id)
    if found is None:
        close = ", ".join(difflib.get_close_matches(indicator_id, ids(), n=3, cutoff=0.4)) or "none close"
        raise CatalogueError(
            f"unknown indicator {indicator_id!r}: did you mean {close}? (helpers.indicators.search() lists them)"
        )
    return found


def catalogue() -> pd.DataFrame:
    """One row per indicator: id, title, unit, value type, polarity, datasets, area types, period kind, CI
    method, breaks, headline, topic."""
    rows = []
    for ind in entries().values():
        rows.append(
            {
                "id": ind.id,
                "title": ind.title,
                "unit": ind.unit,
                "value_type": ind.value_type,
                "polarity": ind.polarity,
                "datasets": ", ".join(ind.datasets),
                "area_types": ", ".join(ind.area_types),
                "period_kind": ind.period.kind,
                "ci_method": ind.ci_method,
                "breaks": ", ".join(str(b.year) for b in ind.breaks),
                "headline": ind.headline,
                "topic": ind.topic,
                "definition": ind.definition,
            }
        )
    return pd.DataFrame(rows).sort_values("id", ignore_index=True) if rows else pd.DataFrame()


def search(text: str) -> pd.DataFrame:
    """Catalogue rows whose id, title, definition, keywords or topic mention every word of ``text``."""
    words = text.lower().split()
    keep = []
    for ind in entries().values():
        hay = " ".join([ind.id, ind.title, ind.definition, ind.topic, *ind.keywords]).lower()
        if all(w in hay for w in words):
            keep.append(ind.id)
    cat = catalogue()
    return cat[cat["id"].isin(keep)][["id", "title", "unit", "area_types", "period_kind"]].reset_index(drop=True)
