"""A researcher's view of one indicator (``notebooks/explore.ipynb``): its catalogue entry, every council's
latest value ranked with intervals, a funnel plot where counts allow, and a trend for chosen councils.

Each function takes an indicator id (and councils) and returns a frame or a figure, reading only the indicator
store, so what the notebook shows is what the briefings and claim kinds read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from . import areas, indicators
from .indicators.catalogue import entry


def about(indicator_id: str) -> pd.DataFrame:
    """The catalogue entry as a two-column table (field, value)."""
    ind = entry(indicator_id)
    data = ind.model_dump(exclude_none=True)
    rows = [
        ("title", ind.title),
        ("definition", ind.definition),
        ("unit", ind.unit),
        ("value type", ind.value_type),
        ("polarity", ind.polarity.replace("_", " ")),
        ("datasets", ", ".join(ind.datasets)),
        ("area types", ", ".join(ind.area_types)),
        ("period", ind.period.kind.replace("_", " ")),
        ("intervals", ind.ci_method),
        ("breaks", "; ".join(f"{b.year}: {b.reason}" for b in ind.breaks) or "none declared"),
        ("caveats", ind.caveats or "none"),
    ]
    if "derive" in data:
        rows.append(("derived by", ind.derive.function if ind.derive else ""))
    return pd.DataFrame(rows, columns=["field", "value"])


def councils_ranked(indicator_id: str, period: str | int | None = None) -> pd.DataFrame:
    """Every county and single-tier council's value for one period (default: the latest period most councils
    have), ranked (1 = highest), with intervals and how each value was obtained."""
    values = indicators.get(indicator_id)
    codes = {a.code for a in areas.briefing_areas()}
    v = values[values["area_code"].isin(codes)]
    if v.empty:
        return v
    if period is None:  # the latest period that at least 80% as many councils have as the best-covered one
        counts = v.groupby("year")["area_code"].nunique()
        period = int(counts[counts >= 0.8 * counts.max()].index.max())
    chosen = v[(v["year"].astype(str) == str(period)) | (v["period"] == str(period))].copy()
    chosen["rank"] = chosen["value"].rank(ascending=False, method="min").astype(int)
    cols = ["rank", "area_name", "area_type", "period", "value", "lower", "upper", "obtained"]
    return chosen.sort_values("rank")[cols].reset_index(drop=True)


def trend_frame(indicator_id: str, councils: Iterable[Any]) -> pd.DataFrame:
    """Every period of the indicator for the chosen councils (codes or names) and England."""
    codes = [areas.resolve(c).code for c in councils] + [areas.ENGLAND_CODE]
    return indicators.get(indicator_id, areas=codes)[["area_name", "period", "year", "value", "lower", "upper"]]


def trend_figure(frame: pd.DataFrame, title: str):
    """Lines of value by period for each area, with interval bands where the store has them."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    for name, g in frame.sort_values("year").groupby("area_name", sort=False):
        ax.plot(g["year"], g["value"], marker="o", label=name)
        if g["lower"].notna().any():
            ax.fill_between(g["year"], g["lower"], g["upper"], alpha=0.2)
    ticks = sorted(frame["year"].unique())
    labels = frame.drop_duplicates("year").set_index("year").loc[ticks, "period"]
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=10)
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=10, frameon=False)
    fig.tight_layout()
    return fig


def funnel_figure(indicator_id: str, period: str | int | None = None):
    """A funnel plot of every council's proportion against its denominator, with 95% and 99.8% limits around
    England's value (:func:`helpers.stats.funnel_limits_proportion`); None when the indicator has no counts."""
    import matplotlib.pyplot as plt

    from .stats.funnel import funnel_limits_proportion

    ranked = councils_ranked(indicator_id, period)
    values = indicators.get(indicator_id)
    v = values[values["area_name"].isin(ranked["area_name"]) & values["period"].isin(ranked["period"])]
    v = v.dropna(subset=["numerator", "denominator"])
    if v.empty or entry(indicator_id).unit != "%":
        return None
    centre = 100 * v["numerator"].sum() / v["denominator"].sum()
    limits = funnel_limits_proportion(centre, v["denominator"], multiplier=100)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax.scatter(v["denominator"], v["value"], s=18, color="#12436D")
    for col in limits.columns:
        if col not in ("denominator", "baseline"):
            ax.plot(limits["denominator"], limits[col], color="#3D3D3D", linewidth=1, linestyle="--")
    ax.axhline(centre, color="#F46A25")
    ax.set_xlabel("denominator", fontsize=10)
    ax.set_ylabel("%", fontsize=10)
    ax.set_title(f"{entry(indicator_id).title}: councils against England's value", loc="left", fontsize=11)
    fig.tight_layout()
    return fig
