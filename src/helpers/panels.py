"""Panels: one question a briefing answers, computed once, as a small typed result.

A section function returns a :class:`Panel`; a notebook cell shows it and leaves its frame for a researcher to
inspect::

    p = s07.affordability(b.area)
    b.show(p)
    p.frame

Everything on the page about that question — sentences, tables, the chart and its downloadable data, findings,
gaps — comes from the one panel, so the page cannot show two values for one quantity. A panel never decides a
verdict: claim kinds do (:mod:`helpers.claims`), through the register.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Figure:
    """A chart and what goes with it: alt text (what the chart shows), caption, the plotted data (with area and
    period columns, never drawing coordinates) and the datasets it cites."""

    fig: Any
    alt: str
    data: pd.DataFrame
    sources: list[str]
    caption: str | None = None


@dataclass
class Table:
    """A table for people, with its caption, cited datasets and per-column formats (:mod:`helpers.tables`)."""

    frame: pd.DataFrame
    caption: str
    sources: list[str]
    formats: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    collapsed: bool | None = None


@dataclass
class Panel:
    """One question's answer. ``frame`` is the data behind it (what ``p.frame`` shows in JupyterLab);
    ``parts`` are shown in order: Markdown strings (generated prose), :class:`Figure` and :class:`Table` objects.
    ``findings`` are key findings for the briefing's findings list; ``gaps`` evidence gaps; ``sources`` every
    dataset id the panel read; ``details`` prose for the technical appendix (model diagnostics)."""

    title: str
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    parts: list[Any] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def say(self, markdown: str) -> Panel:
        self.parts.append(markdown)
        return self

    def add(self, part: Figure | Table) -> Panel:
        self.parts.append(part)
        for source in part.sources:
            if source not in self.sources:
                self.sources.append(source)
        return self

    def finding(self, sentence: str) -> Panel:
        self.findings.append(sentence.strip())
        return self

    def gap(self, text: str) -> Panel:
        self.gaps.append(text)
        return self

    def _repr_markdown_(self) -> str:  # a panel left as a cell's last value shows its title and sentences
        text = [f"**{self.title}**"] + [p for p in self.parts if isinstance(p, str)]
        return "\n\n".join(text)
