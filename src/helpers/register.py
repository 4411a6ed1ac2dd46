"""The claims register: every claim and pledge of a manifesto, once, as data.

A register is a folder (``manifestos/<id>/``) holding ``manifesto.yaml`` (what the documents are) and one
YAML file per briefing section (``00_inequality.yaml`` ...) listing that section's claims and pledges; or a
single YAML file with the same content under ``manifesto:`` and ``sections:`` (handy for small registers).

Each entry has a stable ``id``, a paraphrase (``text``; ``{area}`` is replaced by the council's name), where it
comes from (``source``: document and section), the ``indicator`` that tests it, and either a ``test`` — a
named function in ``helpers`` with its parameters — or ``untestable`` with the kind and reason. The notebooks
take their claims and pledges from here; the verdict is computed in each run by the named function, which
returns a :class:`helpers.verdicts.Outcome` decided by the one rule set in :mod:`helpers.verdicts`.

A test function has the signature ``fn(ctx: Context, **params) -> Outcome``. It loads what it needs through
the data layer; when the council has no usable data it raises :class:`helpers.verdicts.NoData` and the entry
reads "cannot be tested: no data for this council".

A claim that names places (``applies_to: [E10000003]``) applies only to those councils; elsewhere it is left
out, or, with ``elsewhere:``, tested in a general form whose text says so.

The register is read with ``yaml.safe_load`` and validated with pydantic; a bad entry gives one line naming
the file, the entry and the problem (:class:`RegisterError`).
"""

from __future__ import annotations

import importlib
import re
import string
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import config, verdicts
from .errors import BriefingError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
#: The only placeholder a register text may use.
PLACEHOLDERS = {"area"}


class RegisterError(BriefingError):
    """A register file is missing, unreadable or has a bad entry (one line: file, entry, problem, remedy)."""


def _check_placeholders(text: str) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}} (only {{area}} is filled in)")
    return text


class Test(BaseModel):
    """A hand-written test, for a claim no claim kind fits: a function marked with
    :func:`helpers.claims.claim_test` (``module.function`` under ``helpers.sections``) and its keyword parameters,
    checked against the function's signature when the register loads."""

    model_config = ConfigDict(extra="forbid")
    function: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _resolvable(self) -> Test:
        import inspect

        fn = resolve(self.function)
        names = [n for n in inspect.signature(fn).parameters if n != "ctx"]
        for key in self.params:
            if key not in names:
                import difflib

                close = ", ".join(difflib.get_close_matches(key, names, n=3, cutoff=0.0)) or "none"
                raise ValueError(f"{self.function} takes no parameter {key!r}: it takes {close}")
        return self


class Check(BaseModel):
    """A claim-kind test (:mod:`helpers.claims`): ``kind``, ``indicator`` (a catalogue id), ``reading`` (words of
    the reading table) and the kind's parameters. Validated against the kinds, the reading table and the
    indicator catalogue when the register loads."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _valid(cls, data: Any) -> Any:
        from .claims import run

        if not isinstance(data, dict):
            raise ValueError("check must be a mapping: kind, indicator, reading and the kind's parameters")
        run.validate(data)
        return data

    def parsed(self):
        from .claims import run

        return run.validate(self.model_dump())


class Untestable(BaseModel):
    """Why an entry cannot be tested: the kind (no public data / public data not yet used) and the reason; for
    no public data, ``holder`` names who holds the data that would settle it."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["no public data", "public data not yet used"]
    reason: str = Field(min_length=10)
    holder: str = ""


class Elsewhere(BaseModel):
    """The general form of a place-specific claim, tested for councils it does not name."""

    model_config = ConfigDict(extra="forbid")
    text: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_placeholders(value)


class Entry(BaseModel):
    """One claim or pledge."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=10)
    source: str = Field(min_length=3)
    indicator: str = Field(min_length=3)
    test: Test | None = None
    check: Check | None = None
    untestable: Untestable | None = None
    #: the evidence is the same for every council (a national policy, national arithmetic): judged once, shown
    #: as national, left out of council tallies, maps and the findings that matter most
    national: bool = False
    #: how central the claim is to the manifesto (1 = its framing claim ... 3 = a detail), for choosing findings
    weight: int = Field(default=2, ge=1, le=3)
    applies_to: list[str] | Literal["all"] = "all"
    elsewhere: Elsewhere | None = None
    see_also: list[str] = Field(default_factory=list)

    @field_validator("text")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_placeholders(value)

    @model_validator(mode="after")
    def _one_of(self) -> Entry:
        given = [k for k in ("check", "test", "untestable") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of `check` (a claim kind), `test` (a marked helpers function) or `untestable` "
                f"(kind and reason); got {', '.join(given) or 'none'}"
            )
        if self.elsewhere is not None and self.applies_to == "all":
            raise ValueError("`elsewhere` only makes sense with `applies_to` naming councils")
        if self.elsewhere is not None and self.check is not None:
            from .claims import run

            run.validate({**self.check.model_dump(), **self.elsewhere.params})
        if self.applies_to != "all":
            bad = [c for c in self.applies_to if not re.fullmatch(r"E\d{8}", c)]
            if bad:
                raise ValueError(f"applies_to must list GSS codes such as E10000003 (got {bad[0]!r})")
        return self


class SectionRegister(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str = Field(pattern=r"^\d\d_[a-z0-9_]+$")
    claims: list[Entry] = Field(default_factory=list)
    pledges: list[Entry] = Field(default_factory=list)


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    date: date
    #: who published it (a party or group, a council), the election it was for, and a link where it can be read
    publisher: str = ""
    election: str = ""
    url: str = Field(default="", pattern=r"^(https?://\S+)?$")


class ManifestoInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    title: str
    date: date
    subject_area: str = Field(pattern=r"^E\d{8}$")
    documents: dict[str, Document]
    #: who to contact about the briefings built from this register (shown on every page)
    contact: str = ""


@dataclass(frozen=True)
class Manifesto:
    """A validated register: the manifesto's details and every section's claims and pledges."""

    info: ManifestoInfo
    sections: dict[str, SectionRegister]
    path: Path

    @property
    def year(self) -> int:
        return self.info.date.year

    def entries(self, kind: str) -> list[tuple[str, Entry]]:
        """``[(section, entry), ...]`` for ``kind`` "claims" or "pledges", in section order."""
        return [(s, e) for s, reg in sorted(self.sections.items()) for e in getattr(reg, kind)]

    def find(self, entry_id: str) -> tuple[str, str, Entry]:
        """``(section, kind, entry)`` for an id, or RegisterError with the closest ids."""
        for kind in ("claims", "pledges"):
            for section, entry in self.entries(kind):
                if entry.id == entry_id:
                    return section, kind, entry
        import difflib

        ids = [e.id for k in ("claims", "pledges") for _, e in self.entries(k)]
        close = ", ".join(difflib.get_close_matches(entry_id, ids, n=3)) or "none close"
        raise RegisterError(f"no claim or pledge with id {entry_id!r} in {self.path}: did you mean {close}?")


@dataclass(frozen=True)
class Context:
    """What a test function is told: the council, the manifesto (for its date) and the section."""

    area: Any
    manifesto: Manifesto
    section: str

    @property
    def manifesto_year(self) -> int:
        return self.manifesto.year


def resolve(name: str):
    """The function a register names: ``s07_finance_growth_housing.claim_x`` (a section module) or a dotted
    path inside ``helpers``. Only functions marked with :func:`helpers.claims.claim_test` can be named, so a
    register cannot run arbitrary code."""
    module_name, _, func = name.rpartition(".")
    if not module_name or not func:
        raise ValueError(f"function {name!r} must be module.function, e.g. s00_inequality.claim_unequal")
    full = module_name if module_name.startswith("helpers.") else f"helpers.sections.{module_name}"
    try:
        module = importlib.import_module(full)
    except ImportError as exc:
        raise ValueError(f"module {full!r} for function {name!r} cannot be imported ({exc})") from None
    fn = getattr(module, func, None)
    if not callable(fn) or not getattr(fn, "__claim_test__", False):
        import difflib

        from .claims import CLAIM_TESTS

        close = ", ".join(difflib.get_close_matches(name, sorted(CLAIM_TESTS), n=3, cutoff=0.5)) or "none close"
        what = "is not a claim test (mark it with @helpers.claims.claim_test)" if callable(fn) else "does not exist"
        raise ValueError(f"{full}.{func} {what}: closest claim tests are {close}")
    return fn


def _one_line(exc: ValidationError, where: str) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
    return f"{where}: {loc}: {err['msg'].removeprefix('Value error, ')}"


def _read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise RegisterError(f"register file {path} does not exist: check --manifesto") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise RegisterError(f"{path}{at}: not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _section(data: Any, where: str) -> SectionRegister:
    try:
        return SectionRegister.model_validate(data)
    except ValidationError as exc:
        entry = ""
        loc = exc.errors()[0]["loc"]
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
            item = (data.get(loc[0]) or [None] * (loc[1] + 1))[loc[1]]
            entry = f" (entry {item.get('id')!r})" if isinstance(item, dict) and item.get("id") else ""
        raise RegisterError(_one_line(exc, f"{where}{entry}") + ": fix the entry and rerun") from None


def load(path: str | Path | None = None) -> Manifesto:
    """Read and validate a register (a folder or a single file); default: the Cambridgeshire 2021 register."""
    import os

    path = Path(path or os.environ.get(config.MANIFESTO_ENV) or config.DEFAULT_MANIFESTO)
    return _load(path.resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Manifesto:
    if path.is_dir():
        info_data = _read_yaml(path / "manifesto.yaml")
        section_files = sorted(p for p in path.glob("*.yaml") if p.name != "manifesto.yaml")
        sections_data = [(str(p), _read_yaml(p)) for p in section_files]
    else:
        data = _read_yaml(path)
        if not isinstance(data, dict) or "manifesto" not in data or "sections" not in data:
            raise RegisterError(f"{path}: a single-file register needs `manifesto:` and `sections:` at the top level")
        info_data = data["manifesto"]
        sections_data = [
            (f"{path} sections.{k}", {"section": k, **(v or {})}) for k, v in (data["sections"] or {}).items()
        ]
    try:
        info = ManifestoInfo.model_validate(info_data)
    except ValidationError as exc:
        raise RegisterError(_one_line(exc, f"{path} manifesto") + ": fix it and rerun") from None
    sections: dict[str, SectionRegister] = {}
    seen: dict[str, str] = {}
    for where, data in sections_data:
        reg = _section(data, where)
        if reg.section in sections:
            raise RegisterError(f"{where}: section {reg.section} is registered twice")
        for entry in reg.claims + reg.pledges:
            if entry.id in seen:
                raise RegisterError(f"{where}: id {entry.id!r} is used twice (also in {seen[entry.id]})")
            seen[entry.id] = where
            for doc in [entry.source.split()[0]]:
                if doc not in info.documents:
                    raise RegisterError(
                        f"{where} (entry {entry.id!r}): source must start with a document "
                        f"named in manifesto.yaml ({', '.join(info.documents)}), got {entry.source!r}"
                    )
        sections[reg.section] = reg
    manifesto = Manifesto(info=info, sections=sections, path=path)
    for _, entry in manifesto.entries("claims") + manifesto.entries("pledges"):
        for other in entry.see_also:
            manifesto.find(other)
    return manifesto


def applies(entry: Entry, area_code: str) -> str | None:
    """How an entry applies to a council: "as written", "general form", or None (left out)."""
    if entry.applies_to == "all" or area_code in entry.applies_to:
        return "as written"
    return "general form" if entry.elsewhere is not None else None


def evaluate(entry: Entry, ctx: Context, *, pledge: bool = False) -> tuple[str, verdicts.Outcome]:
    """Run an entry's test for the council: ``(text shown, outcome)``.

    The text has ``{area}`` filled in; a general-form test says so. A test that raises
    :class:`helpers.verdicts.NoData` gives "cannot be tested: no data for this council"; any other error is a
    bug and propagates.
    """
    how = applies(entry, ctx.area.code)
    if how is None:
        raise RegisterError(f"{entry.id} does not apply to {ctx.area.name}: check register.applies first")
    general = entry.elsewhere if how == "general form" else None
    text = (general.text if general is not None else entry.text).format(area=ctx.area.name)
    if how == "general form":
        text += " (general form: the claim as written names places outside this council)"
    if entry.untestable is not None:
        reason = entry.untestable.reason
        if entry.untestable.holder:
            reason = f"{reason.rstrip('.')}. Held by: {entry.untestable.holder}."
        return text, verdicts.untestable(entry.untestable.kind, reason, pledge=pledge, national=entry.national)
    if entry.check is not None:
        from .claims import run

        subject = run.Subject(area=ctx.area, manifesto_date=ctx.manifesto.info.date, claim=_as_clause(text))
        spec = entry.check.model_dump()
        if general is not None:  # the general form's parameters; `area: null` means the council itself
            spec = {**spec, **general.params}
        outcome = run.evaluate(run.validate(spec), subject, pledge=pledge)
        outcome.national = outcome.national or entry.national
        _check_outcome(outcome, pledge, f"kind {entry.check.parsed().kind}")
        return text, outcome
    assert entry.test is not None
    params = {**entry.test.params, **(general.params if general is not None else {})}
    fn = resolve(entry.test.function)
    try:
        outcome = fn(ctx, **params)
    except verdicts.NoData as exc:
        return text, verdicts.untestable(verdicts.NO_DATA_HERE, str(exc), pledge=pledge)
    _check_outcome(outcome, pledge, entry.test.function)
    outcome.national = outcome.national or entry.national
    return text, outcome


def _check_outcome(outcome: Any, pledge: bool, who: str) -> None:
    allowed = verdicts.PLEDGE_STATUSES if pledge else verdicts.CLAIM_VERDICTS
    if not isinstance(outcome, verdicts.Outcome) or outcome.verdict not in allowed:
        raise TypeError(f"{who} must return a verdicts.Outcome with one of {allowed}")


def _as_clause(text: str) -> str:
    """A claim's paraphrase as a clause after "the claim that": the first letter is lower-cased unless the text
    starts with a place's name ("Fenland has ...", from the areas table), "England" or an acronym ("JSNA ...")."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0].strip(",;:")
    if not first or (first.isupper() and len(first) > 1) or text.startswith(_proper_names()):
        return text
    return text[:1].lower() + text[1:]


@lru_cache(maxsize=1)
def _proper_names() -> tuple[str, ...]:
    try:
        from . import areas

        names = set(areas.areas_table()["name"].dropna().astype(str))
    except Exception:  # noqa: BLE001 - without the area lookup, only England is known
        names = set()
    return tuple(sorted(names | {"England", "Britain", "UK", "Greater Cambridge", "Government", "Labour"}))
