"""Hex maps of England: one equal-area hexagon per district or unitary council (Open Innovations HexJSON).

A briefing council is drawn as its hexagons: a single-tier council as its own hexagon, a county as the
hexagons of its districts, coloured by the county's value and outlined together. Councils without a value
(not built, or no value for them) are drawn pale grey with a hatch, so "no value" never looks like a low value.

Two kinds of map, both static matplotlib images (PNG via :func:`helpers.charts.png_bytes`, deterministic):

* :func:`category_map`: a category per council (e.g. a claim's verdict), one colour per category from the
  accessible palette of :mod:`helpers.charts`, with a legend naming every category and how many councils fall
  in it (so colour is never the only cue; the data table sits beside the map on the page);
* :func:`value_map`: a number per council, in up to five equal-count classes of a single-hue sequential
  palette (dark = high), with the class limits in the legend.

Geometry (HexJSON "odd-r"): centre ``x = q + 0.5 * (r % 2)``, ``y = r * sqrt(3) / 2``; pointy-top hexagons of
circumradius ``1 / sqrt(3)``. Source: ``hexmap_uk_lad_2023_openinnovations`` (MIT), through the data layer.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import charts, national  # noqa: E402

DATASET = "hexmap_uk_lad_2023_openinnovations"
RADIUS = 1 / math.sqrt(3)
NO_VALUE = "#F2F2F2"
EDGE = "#FFFFFF"
OUTLINE = "#0B0C0C"
#: Sequential palette (light to dark) from the Analysis Function dark blue.
SEQUENTIAL = ["#DCE6F2", "#A9C1DE", "#6F97C6", "#3A6BA5", "#12436D"]


@national.table(copy=False)
def england_hexes() -> dict[str, tuple[float, float]]:
    """GSS code -> hexagon centre (x, y) for every English district and unitary council."""
    from .datasets import load

    hexes = load(DATASET, "hexes")
    hexes = hexes[hexes["area_code"].str.startswith("E")]
    hexes = hexes.sort_values("area_code")
    codes, qs, rs = list(hexes["area_code"]), [int(q) for q in hexes["q"]], [int(r) for r in hexes["r"]]
    return {str(c): (q + 0.5 * (r % 2), r * math.sqrt(3) / 2) for c, q, r in zip(codes, qs, rs, strict=True)}


def council_hexes(code: str) -> list[str]:
    """The hexagons that draw a briefing council: its districts for a county, else itself (if on the map)."""
    from . import areas

    local = [a.code for a in areas.local_areas(code)]
    return [c for c in local if c in england_hexes()]


def _corners(x: float, y: float) -> np.ndarray:
    angles = np.radians(30 + 60 * np.arange(6))
    return np.column_stack([x + RADIUS * np.cos(angles), y + RADIUS * np.sin(angles)])


def _outline(codes: list[str]) -> list[np.ndarray]:
    """The outer edges of a group of hexagons (edges shared by two of them are left out)."""
    edges: Counter = Counter()
    for code in codes:
        pts = _corners(*england_hexes()[code])
        for i in range(6):
            a, b = tuple(np.round(pts[i], 4)), tuple(np.round(pts[(i + 1) % 6], 4))
            edges[tuple(sorted((a, b)))] += 1
    return [np.array(edge) for edge, n in sorted(edges.items()) if n == 1]


def _draw(colours: dict[str, str], title: str, legend: list[tuple[str, str]]):
    """Draw every English hexagon, councils in ``colours`` (briefing code -> colour) coloured and outlined."""
    centres = england_hexes()
    fill = {code: NO_VALUE for code in centres}
    groups = []
    for council in sorted(colours):
        codes = council_hexes(council)
        for code in codes:
            fill[code] = colours[council]
        if len(codes) > 1:
            groups.append(codes)
    fig: Any
    fig, ax = plt.subplots(figsize=(6.4, 7.2))
    codes = sorted(centres)
    blank = [c for c in codes if fill[c] == NO_VALUE]
    coloured = [c for c in codes if fill[c] != NO_VALUE]
    ax.add_collection(
        PolyCollection(
            [_corners(*centres[c]) for c in blank], facecolors=NO_VALUE, edgecolors="#D0D0D0", linewidths=0.4
        )
    )
    ax.add_collection(
        PolyCollection(
            [_corners(*centres[c]) for c in coloured],
            facecolors=[fill[c] for c in coloured],
            edgecolors=EDGE,
            linewidths=0.6,
        )
    )
    for codes_ in groups:  # a county: its districts outlined together
        ax.add_collection(LineCollection(_outline(codes_), colors=OUTLINE, linewidths=1.4))
    singles = [c for c in colours if len(council_hexes(c)) == 1]
    for council in sorted(singles):
        ax.add_collection(LineCollection(_outline(council_hexes(council)), colors=OUTLINE, linewidths=1.0))
    xs = [x for x, _ in centres.values()]
    ys = [y for _, y in centres.values()]
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 1, max(ys) + 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold", wrap=True)
    handles = [Patch(facecolor=c, edgecolor=OUTLINE, linewidth=0.6, label=label) for label, c in legend]
    handles.append(Patch(facecolor=NO_VALUE, edgecolor="#B0B0B0", linewidth=0.6, label="not built or no value"))
    # below the map, in columns: inside it, a long label ran over the hexagons of the north
    ax.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=8.5,
        bbox_to_anchor=(0.0, 0.0),
        ncols=2,
        columnspacing=1.2,
    )
    fig.briefing_note = (
        "One hexagon per district or unitary council; a county is drawn as its districts, outlined together."
    )
    return fig


def category_map(categories: dict[str, str], order: list[str], colours: dict[str, str], title: str):
    """A map of one category per briefing council (code -> category); ``order`` lists the categories in the
    legend with their counts; ``colours`` gives each category's colour."""
    counts = Counter(categories.values())
    legend = [(f"{cat} ({counts[cat]})", colours[cat]) for cat in order if counts[cat]]
    return _draw({code: colours[cat] for code, cat in categories.items()}, title, legend)


def classes(values: dict[str, float], n: int = 5) -> list[float]:
    """Class limits (``k + 1`` ascending numbers) splitting the values into up to ``n`` equal-count classes."""
    data = sorted(v for v in values.values() if v is not None and math.isfinite(v))
    if not data:
        return []
    k = max(1, min(n, len(set(data))))
    limits = sorted(set(float(np.quantile(data, i / k)) for i in range(k + 1)))
    return limits if len(limits) > 1 else [limits[0], limits[0]]


def class_of(value: float, limits: list[float]) -> int:
    """Index of the class ``value`` falls in (the last class includes its upper limit)."""
    for i in range(len(limits) - 1):
        if value < limits[i + 1] or i == len(limits) - 2:
            return i
    return 0


def value_map(values: dict[str, float], title: str, fmt=lambda v: f"{v:,.3g}"):
    """A map of one number per briefing council (code -> value) in equal-count classes (dark = high)."""
    finite = {c: v for c, v in values.items() if v is not None and math.isfinite(v)}
    limits = classes(finite)
    k = len(limits) - 1
    palette = SEQUENTIAL[-k:] if k else []
    colours = {c: palette[class_of(v, limits)] for c, v in finite.items()}
    legend = []
    for i in range(k):
        n = sum(class_of(v, limits) == i for v in finite.values())
        legend.append((f"{fmt(limits[i])} to {fmt(limits[i + 1])} ({n})", palette[i]))
    return _draw(colours, title, legend)


def png(fig) -> bytes:
    """The map as deterministic PNG bytes."""
    return charts.png_bytes(fig)
