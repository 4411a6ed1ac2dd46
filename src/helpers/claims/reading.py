"""The reading table (``reading.yaml``): the words manifestos use -> the claim kind and its thresholds.

Every claim kind reads a claim's words through :func:`read`; nothing else in the project hard-codes a rank
cut-off, a margin or a materiality threshold. :func:`table_markdown` prints the table for the verdict-rules
document and for any page that applies it.
"""

from __future__ import annotations

import difflib
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import BriefingError

READING_FILE = Path(__file__).with_name("reading.yaml")
KINDS = ("level", "compare", "rank", "parts", "share", "change", "trend", "since")


class ReadingError(BriefingError):
    """An unknown or malformed phrase (one line naming the closest phrases)."""


class Reading(BaseModel):
    """How one phrase is read (see the comments at the top of ``reading.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["level", "compare", "rank", "parts", "share", "change", "trend", "since"]
    end: Literal["highest", "lowest", "worst", "best"] | None = None
    top: float | None = Field(default=None, gt=0)
    partly: float | None = Field(default=None, gt=0)
    side: Literal["above", "below", "worse", "better", "similar", "about", "up", "down", "target", "hold"] | None = None
    ratio: float | None = Field(default=None, gt=0)
    threshold: float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    materiality: float | None = Field(default=None, ge=0)
    margin: float | None = Field(default=None, ge=0)

    def group_size(self, n: int) -> tuple[int, int]:
        """(claimed group, partly band) as counts of places among ``n``: a share becomes ceil(share x n),
        never fewer than one place; the partly band is never smaller than the claimed group."""
        if self.top is None:
            raise ValueError("this reading is not a rank")
        top = int(self.top) if self.top >= 1 else max(1, math.ceil(self.top * n))
        partly = self.partly or self.top
        near = int(partly) if partly >= 1 else max(1, math.ceil(partly * n))
        return min(top, n), min(max(near, top), n)

    def describe(self) -> str:
        """The reading in words, e.g. "ranked in the highest 10% of the group (partly: the highest 15%)"."""
        if self.kind == "rank":
            top = self.top or 1
            part = self.partly or top
            grp = (
                f"the single {self.end}"
                if top == 1
                else (f"the {self.end} {top:.0%}" if top < 1 else f"the {self.end} {int(top)}")
            )
            near = f"{self.end} {int(part)}" if part >= 1 else f"{self.end} {part:.0%}"
            return f"ranked {grp} of the group (partly supported: within the {near})"
        if self.kind == "compare":
            margin = f", by at least {abs(self.ratio - 1):.0%}" if self.ratio else ""
            return f"{self.side} the comparator{margin}, significant at 95% where intervals exist"
        if self.kind == "level":
            if self.side == "about":
                return f"the stated value lies in the 95% interval, or within {self.tolerance or 0:.0%} without one"
            thr = (
                f" {self.threshold:g} (in the indicator's unit)" if self.threshold is not None else " the stated value"
            )
            return f"{self.side}{thr}"
        if self.kind == "change":
            return (
                f"{self.side} by at least {self.materiality or 0:.0%} between the named periods (money in real terms)"
            )
        if self.kind == "trend":
            return f"a fitted trend {self.side}, its 95% interval excluding no change"
        if self.kind == "share":
            return (
                f"the part's share of the change exceeds its share of the whole by at least {self.margin or 0:g} points"
            )
        if self.kind == "parts":
            margin = f" by at least {abs(self.ratio - 1):.0%}" if self.ratio else ""
            return f"each named part {self.side} than the comparator{margin}, significant at 95% where intervals exist"
        return f"status from values after the manifesto date ({self.side})"


@lru_cache(maxsize=2)
def _table(path: Path = READING_FILE) -> dict[str, Reading]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReadingError(f"{path}: cannot be read ({exc}): restore it from git") from None
    out: dict[str, Reading] = {}
    for phrase, spec in (data or {}).get("words", {}).items():
        try:
            out[str(phrase)] = Reading.model_validate(spec)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ReadingError(f"{path} (phrase {phrase!r}): {loc}: {err['msg']}: fix the entry") from None
    return out


def table() -> dict[str, Reading]:
    """Every phrase and its reading."""
    return dict(_table())


def read(phrase: str, kind: str | None = None) -> Reading:
    """The reading of ``phrase`` (optionally checking it belongs to ``kind``); a one-line error names the
    closest phrases otherwise."""
    t = _table()
    key = " ".join(phrase.lower().split())
    if key not in t:
        pool = [p for p, r in t.items() if kind is None or r.kind == kind]
        close = ", ".join(repr(p) for p in difflib.get_close_matches(key, pool, n=3, cutoff=0.3)) or "none close"
        raise ReadingError(f"unknown reading {phrase!r}: closest are {close} (the reading table: claims/reading.yaml)")
    found = t[key]
    if kind is not None and found.kind != kind:
        pool = [p for p, r in t.items() if r.kind == kind]
        close = ", ".join(repr(p) for p in difflib.get_close_matches(key, pool, n=3, cutoff=0.0))
        raise ReadingError(f"reading {phrase!r} is for kind {found.kind!r}, not {kind!r}: for {kind} use {close}")
    return found


def table_markdown() -> str:
    """The reading table as a Markdown table (phrase, kind, how it is tested)."""
    lines = ["| words | kind | how they are tested |", "|---|---|---|"]
    for phrase, r in _table().items():
        lines.append(f"| {phrase} | {r.kind} | {r.describe()} |")
    return "\n".join(lines)


def as_dict(reading: Reading) -> dict[str, Any]:
    return reading.model_dump(exclude_none=True)
