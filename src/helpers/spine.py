"""The spine chart (after OHID Fingertips): every headline indicator of the collection for one council against
England's range of councils — worst, 25th percentile, 75th percentile, best — with England's value, and the
council's value coloured by its comparison with England (where intervals allow) and the indicator's polarity.

:func:`spine_frame` computes the table (one row per headline indicator, from the indicator store) and
:func:`spine_figure` draws it; the chart, its alt text and its data table read the same frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

ENGLAND = "E92000001"
#: Colours of the council's marker: better / similar / worse than England, not compared (Analysis Function palette)
COLOURS = {"better": "#28A197", "similar": "#F4B400", "worse": "#801650", "not compared": "#FFFFFF"}


def _comparison(row: pd.Series, england: float | None, polarity: str) -> str:
    from .stats import compare_with_benchmark

    lo, hi = row.get("lower"), row.get("upper")
    if england is None or not (pd.notna(lo) and pd.notna(hi)):
        return "not compared"
    if polarity == "no_judgement":
        return "not compared"
    label = str(compare_with_benchmark(lo, hi, england, polarity=polarity)).lower()
    return label if label in COLOURS else "not compared"


def spine_frame(area: Any) -> pd.DataFrame:
    """One row per headline indicator the council has a value for: its latest period, the council's value,
    England's, and the range of county and single-tier councils that period (worst, 25th, 75th, best by
    polarity), with the comparison with England."""
    from . import areas, indicators
    from .indicators.catalogue import entries

    code = getattr(area, "code", area)
    councils = {a.code for a in areas.briefing_areas()}
    rows = []
    for ind in entries().values():
        if not ind.headline:
            continue
        values = indicators.get(ind.id)
        mine = values[values["area_code"] == code].sort_values("year")
        if mine.empty:
            continue
        me = mine.iloc[-1]
        at = values[values["year"] == me["year"]]
        peers = at[at["area_code"].isin(councils)]["value"].dropna()
        if len(peers) < 10:
            continue
        eng_rows = at[at["area_code"] == ENGLAND]["value"]
        england = float(eng_rows.iloc[0]) if not eng_rows.empty else None
        low_good = ind.polarity == "lower_is_better"
        q25, q75 = np.percentile(peers, [25, 75])
        rows.append(
            {
                "indicator_id": ind.id,
                "area_code": code,
                "indicator": ind.title,
                "unit": ind.unit,
                "period": me["period"],
                "value": float(me["value"]),
                "lower": me["lower"],
                "upper": me["upper"],
                "england": england,
                "worst": float(peers.max() if low_good else peers.min()),
                "q25": float(q75 if low_good else q25),
                "q75": float(q25 if low_good else q75),
                "best": float(peers.min() if low_good else peers.max()),
                "councils": int(len(peers)),
                "polarity": ind.polarity,
                "compared_with_england": _comparison(me, england, ind.polarity),
            }
        )
    return pd.DataFrame(rows)


def _position(value: float, row: pd.Series) -> float:
    """Where a value sits on the row's scale: 0 = worst, 1 = best (or lowest/highest when not judged)."""
    lo, hi = row["worst"], row["best"]
    if row["polarity"] == "no_judgement":
        lo, hi = min(row["worst"], row["best"]), max(row["worst"], row["best"])
    span = hi - lo
    return 0.5 if span == 0 else float(np.clip((value - lo) / span, 0, 1))


def spine_figure(frame: pd.DataFrame, area_name: str):
    """The chart: one row per indicator; a light bar from worst to best, a dark bar for the middle half, a line
    for England and a circle for the council. Text at 10 pt or more so it stays readable on a phone."""
    import matplotlib.pyplot as plt

    n = len(frame)
    fig, ax = plt.subplots(figsize=(8, 0.55 * n + 1.2), dpi=100)
    for i, (_, row) in enumerate(frame.iterrows()):
        y = n - 1 - i
        ax.barh(y, 1, left=0, height=0.5, color="#D9D9D9")
        a, b = sorted((_position(row["q25"], row), _position(row["q75"], row)))
        ax.barh(y, b - a, left=a, height=0.5, color="#8C8C8C")
        if pd.notna(row["england"]):
            e = _position(row["england"], row)
            ax.plot([e, e], [y - 0.35, y + 0.35], color="#000000", linewidth=2)
        colour = COLOURS.get(row["compared_with_england"], "#FFFFFF")
        ax.scatter(
            [_position(row["value"], row)], [y], s=90, color=colour, edgecolor="#12436D", linewidth=1.5, zorder=3
        )
    ax.set_yticks(range(n))
    ax.set_yticklabels([f"{r['indicator']} ({r['period']})" for _, r in frame.iloc[::-1].iterrows()], fontsize=10)
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["worst (or lowest)", "best (or highest)"], fontsize=10)
    ax.set_xlim(-0.02, 1.02)
    ax.set_title(f"{area_name} against county and single-tier councils in England", fontsize=11, loc="left")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def alt_text(frame: pd.DataFrame, area_name: str) -> str:
    """Alt text that states what the chart shows, indicator by indicator."""
    parts = []
    for _, r in frame.iterrows():
        where = "between the 25th and 75th percentiles"
        pos = _position(r["value"], r)
        if pos < _position(r["q25"], r):
            where = "in the worst quarter" if r["polarity"] != "no_judgement" else "in the lowest quarter"
        elif pos > _position(r["q75"], r):
            where = "in the best quarter" if r["polarity"] != "no_judgement" else "in the highest quarter"
        cmp = r["compared_with_england"]
        said = "no interval to compare with England" if cmp == "not compared" else f"{cmp} than England"
        parts.append(f"{r['indicator']}: {where} ({said})")
    return f"Spine chart for {area_name}: " + "; ".join(parts) + "."


def spine_html(area: Any, area_name: str) -> str:
    """The index's spine section: the chart (alt text stating each indicator's place), how to read it, and its
    data as a table (collapsed) with a CSV download. Text from data is escaped."""
    import base64
    import html

    import matplotlib.pyplot as plt

    from . import charts, tables

    frame = spine_frame(area)
    if frame.empty:
        return ""
    fig = spine_figure(frame, area_name)
    png = base64.b64encode(charts.png_bytes(fig)).decode()
    plt.close(fig)
    shown = frame.rename(
        columns={
            "indicator": "Indicator",
            "period": "Period",
            "value": "Council",
            "england": "England",
            "worst": "Worst",
            "q25": "25th percentile",
            "q75": "75th percentile",
            "best": "Best",
            "compared_with_england": "Compared with England",
        }
    )[
        [
            "Indicator",
            "Period",
            "Council",
            "England",
            "Worst",
            "25th percentile",
            "75th percentile",
            "Best",
            "Compared with England",
        ]
    ]
    rows = "\n".join(
        "<tr>"
        + "".join(
            f'<td data-label="{html.escape(c)}">{html.escape(_cell(v))}</td>'
            for c, v in zip(shown.columns, r, strict=True)
        )
        + "</tr>"
        for r in shown.itertuples(index=False)
    )
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in shown.columns)
    csv = tables.csv_link(frame, "spine.csv")
    return (
        '<section class="spine" id="spine"><h2>How the council compares: the headline indicators</h2>\n'
        f'<figure class="spine-figure"><img src="data:image/png;base64,{png}" '
        f'alt="{html.escape(alt_text(frame, area_name), quote=True)}">'
        "<figcaption>Each row is one indicator, scaled from the worst (left) to the best (right) county or "
        "single-tier council in England that period (for indicators with no better or worse, from the lowest to "
        "the highest). The dark band holds the middle half of councils, the black line is England and the circle "
        "is this council, filled by its comparison with England where an interval allows one (green better, "
        "amber similar, purple worse, white not compared). "
        f'<span class="data-link">{csv}</span> {html.escape(_sources_line(frame))}</figcaption></figure>\n'
        f"<details><summary>The values behind the chart ({len(frame)} indicators)</summary>\n"
        f'<table class="data-table"><caption>Headline indicators against councils in England</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table></details></section>"
    )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "not available"
        return f"{value:,.1f}"
    return str(value)


def _sources_line(frame: pd.DataFrame) -> str:
    """The datasets behind the chart, by publisher (the index has no sources section to link to; each
    briefing's sources section has the full entries)."""
    from . import registry
    from .indicators.catalogue import entry

    publishers = []
    for indicator_id in frame["indicator_id"]:
        for dataset in entry(str(indicator_id)).datasets:
            name = registry.get(dataset).publisher.split("(")[0].strip().rstrip(",")
            if name not in publishers:
                publishers.append(name)
    return "Sources: " + "; ".join(publishers) + "." if publishers else ""
