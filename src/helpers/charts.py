"""The project's one chart style, after the UK Government Analysis Function guidance.

Accessible palette (afcharts), titles that state the finding, y-grid only, units on axes, and
comparison labels written in text as well as colour. Every helper returns a matplotlib Figure; show it
with ``Briefing.figure(fig, alt=..., sources=[...])`` so it carries alt text and a source line.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

#: Analysis Function categorical palette (afcharts), in order.
CATEGORICAL = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
#: Focus palette: the area of interest vs everything else.
FOCUS, CONTEXT = "#12436D", "#BFBFBF"
#: Colours for comparison labels; the label is always written beside the mark too.
COMPARISON_COLOURS = {
    "better": "#28A197",
    "similar": "#F4B400",
    "worse": "#801650",
    "higher": "#12436D",
    "lower": "#A285D1",
    "not compared": "#BFBFBF",
}
COMPARISON_MARKERS = {"better": "^", "worse": "v", "similar": "o", "higher": "^", "lower": "v", "not compared": "s"}


def apply_style() -> None:
    """Use the afcharts matplotlib style (after seaborn, whose set_theme would reset it)."""
    import seaborn  # noqa: F401  imported first so its defaults do not override the style

    style = Path(__import__("afcharts").__file__).with_name("afcharts.mplstyle")
    plt.style.use(str(style))
    plt.rcParams.update(
        {
            "axes.prop_cycle": plt.cycler(color=CATEGORICAL),
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "svg.hashsalt": "briefings",
        }
    )


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes with no timestamp or software metadata (deterministic)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def ranked_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    *,
    title: str,
    xlabel: str,
    lower: str | None = None,
    upper: str | None = None,
    highlight=(),
    benchmark: float | None = None,
    benchmark_label: str = "England",
    comparison: str | None = None,
    max_bars: int = 40,
):
    """Horizontal bars sorted by value, optional 95% interval whiskers, highlighted bars in the focus
    colour, a dashed benchmark line, and (with ``comparison``) the label written at each bar's end."""
    data = frame.dropna(subset=[value]).sort_values(value).tail(max_bars)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.32 * len(data) + 1.2)))
    highlight = set(highlight)
    colours = [FOCUS if lab in highlight else (CONTEXT if highlight else CATEGORICAL[0]) for lab in data[label]]
    y = np.arange(len(data))
    ax.barh(y, data[value], color=colours)
    if lower and upper:
        err = np.vstack([data[value] - data[lower], data[upper] - data[value]])
        ax.errorbar(
            data[value], y, xerr=np.where(np.isnan(err), 0, err), fmt="none", ecolor="#3D3D3D", elinewidth=1, capsize=2
        )
    if benchmark is not None and np.isfinite(benchmark):
        ax.axvline(benchmark, color="#3D3D3D", linestyle="--", linewidth=1)
        ax.text(benchmark, len(data) - 0.4, f" {benchmark_label}", va="bottom", fontsize=9)
    if comparison:  # the label sits beyond the bar's end (left of negative bars) so it stays readable
        right = (data[upper] if upper else data[value]).fillna(data[value])
        left = (data[lower] if lower else data[value]).fillna(data[value])
        for yi, xr, xl, v, lab in zip(y, right, left, data[value], data[comparison]):
            if v < 0:
                ax.text(xl, yi, f"{lab}  ", va="center", ha="right", fontsize=8, color="#3D3D3D")
            else:
                ax.text(xr, yi, f"  {lab}", va="center", fontsize=8, color="#3D3D3D")
    ax.set_yticks(y, data[label])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_title(title)
    return fig


def trend_lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    title: str,
    ylabel: str,
    highlight=(),
    lower: str | None = None,
    upper: str | None = None,
    xlabel: str = "Year",
):
    """One line per group over time; highlighted groups in the categorical palette, others grey,
    with 95% bands where ``lower``/``upper`` are given; lines are labelled at their right end."""
    fig, ax = plt.subplots()
    groups = list(dict.fromkeys(frame[group]))
    highlight = list(highlight) or groups[: len(CATEGORICAL)]
    palette = {g: CATEGORICAL[i % len(CATEGORICAL)] for i, g in enumerate(highlight)}
    for g in groups:
        d = frame[frame[group] == g].sort_values(x)
        if d.empty:
            continue
        colour = palette.get(g, CONTEXT)
        ax.plot(
            d[x],
            d[y],
            color=colour,
            linewidth=2 if g in palette else 1,
            marker="o" if len(d) < 12 else None,
            markersize=3,
            zorder=3 if g in palette else 2,
        )
        if lower and upper and g in palette:
            ax.fill_between(d[x], d[lower], d[upper], color=colour, alpha=0.15, linewidth=0)
        if g in palette:
            ax.annotate(
                str(g),
                (d[x].iloc[-1], d[y].iloc[-1]),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=9,
                color=colour,
                va="center",
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


def forecast_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    ylabel: str,
    target: float | None = None,
    target_label: str = "target",
    path: pd.DataFrame | None = None,
    path_label: str = "required path",
):
    """Observed series, fitted trend projected with its 95% prediction interval, an optional target
    and the straight path needed to reach it."""
    fig, ax = plt.subplots()
    ax.plot(history[x], history[y], "o-", color=CATEGORICAL[0], label="observed", markersize=3)
    ax.plot(forecast["year"], forecast["mean"], color=CATEGORICAL[0], linestyle=":", label="trend projection")
    ax.fill_between(
        forecast["year"],
        forecast["pi_lower"],
        forecast["pi_upper"],
        color=CATEGORICAL[0],
        alpha=0.15,
        linewidth=0,
        label="95% prediction interval",
    )
    if path is not None:
        ax.plot(path[x], path[y], color=CATEGORICAL[3], linestyle="--", label=path_label)
    if target is not None:
        ax.axhline(target, color="#3D3D3D", linewidth=1)
        ax.text(ax.get_xlim()[0], target, f" {target_label}", va="bottom", fontsize=9)
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=9)
    return fig


def scatter_with_fit(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    label: str | None = None,
    highlight=(),
    fit: pd.DataFrame | None = None,
):
    """All points grey, highlighted points in the focus colour and labelled, optional fitted line
    with a 95% band (``fit`` with columns x, mean, ci_lower, ci_upper)."""
    fig, ax = plt.subplots()
    is_hi = frame[label].isin(list(highlight)) if label else pd.Series(False, index=frame.index)
    ax.scatter(frame.loc[~is_hi, x], frame.loc[~is_hi, y], color=CONTEXT, s=14, label="other councils")
    ax.scatter(frame.loc[is_hi, x], frame.loc[is_hi, y], color=FOCUS, s=30, label="this area")
    if label:
        for _, row in frame[is_hi].iterrows():
            ax.annotate(str(row[label]), (row[x], row[y]), xytext=(4, 3), textcoords="offset points", fontsize=9)
    if fit is not None:
        ax.plot(fit["x"], fit["mean"], color=CATEGORICAL[3])
        ax.fill_between(fit["x"], fit["ci_lower"], fit["ci_upper"], color=CATEGORICAL[3], alpha=0.2, linewidth=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=9)
    return fig
