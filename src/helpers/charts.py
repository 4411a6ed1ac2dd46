"""The project's one chart style, after the UK Government Analysis Function guidance.

Accessible palette (afcharts), titles that state the finding, y-grid only, units on axes, and
comparison labels written in text as well as colour. Every helper returns a matplotlib Figure; show it
with ``Briefing.figure(fig, alt=..., sources=[...])`` so it carries alt text and a source line.

Every helper attaches to the figure it returns:

- ``fig.briefing_data``: the exact frame plotted (one row per bar, point or line vertex), offered to
  readers as "Download the data (CSV)";
- ``fig.briefing_note``: a caption sentence that adds information (what the whiskers or bands mean, what
  the dashed line marks), used when the notebook gives no caption of its own.

Year axes get integer ticks (``2005``, never ``2005.0`` or ``2007.5``); with ``financial_year=True`` the
ticks read ``2023-24``. Reference-line labels (benchmark, target) sit clear of the title and the bars:
above the plot area at the line (bars) or in the legend (lines).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

#: Caption sentences describing intervals (attached as ``fig.briefing_note``).
NOTE_CI_WHISKERS = "Whiskers show 95% confidence intervals."
NOTE_CI_BANDS = "Shaded bands show 95% confidence intervals."
NOTE_PI = (
    "The shaded band is the 95% prediction interval: where a single future year would fall 19 times in 20 "
    "if the past trend continued."
)
NOTE_FIT = "The line is a fitted trend; its shaded band is the 95% confidence interval of the fit."

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


#: Room (inches) drawn around a figure for what reaches past its edges (legends, long labels), then cropped away.
PNG_MARGIN_INCHES = 4.0


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes cropped to what is drawn plus ``savefig.pad_inches`` (the picture
    ``bbox_inches="tight"`` gives), with no timestamp or software metadata (deterministic).

    The figure is drawn once, onto a canvas with :data:`PNG_MARGIN_INCHES` of room on every side (matplotlib's
    own ``_tight_bbox.adjust_bbox``, which ``savefig`` uses for ``bbox_inches``), and the pixels are cropped to
    those that differ from the background. ``savefig(bbox_inches="tight")`` lays the figure out once more to
    measure it first, about a third of a briefing's charting time. A transparent background, a layout engine,
    or a drawing that reaches past the extra room falls back to ``savefig``."""
    import numpy as np
    from matplotlib import _tight_bbox
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from matplotlib.transforms import Bbox
    from PIL import Image

    buf = io.BytesIO()
    dpi = plt.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    background = np.round(np.array(to_rgba(fig.get_facecolor())) * 255).astype(np.uint8)
    crop = None
    if dpi == fig.dpi and background[3] == 255 and fig.get_layout_engine() is None:
        canvas = FigureCanvasAgg(fig)
        width, height = fig.get_size_inches()
        room = Bbox.from_extents(
            -PNG_MARGIN_INCHES, -PNG_MARGIN_INCHES, width + PNG_MARGIN_INCHES, height + PNG_MARGIN_INCHES
        )
        restore = _tight_bbox.adjust_bbox(fig, room, canvas.get_renderer())
        try:
            canvas.draw()
            pixels = np.asarray(canvas.buffer_rgba())
            packed = pixels.view(np.uint32)[..., 0]  # one 32-bit word per RGBA pixel: quick to compare
            drawn = (packed != background.view(np.uint32)[0]) & (packed != 0)  # 0: the extra room, left clear
            rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
            h, w = drawn.shape
            if len(rows) and rows[0] > 0 and cols[0] > 0 and rows[-1] < h - 1 and cols[-1] < w - 1:
                pad = int(round(plt.rcParams["savefig.pad_inches"] * dpi))
                top, bottom = max(rows[0] - pad, 0), min(rows[-1] + 1 + pad, h)
                left, right = max(cols[0] - pad, 0), min(cols[-1] + 1 + pad, w)
                crop = _on_background(pixels[top:bottom, left:right], background)
        finally:
            restore()
    if crop is not None:
        # zlib level 3: about twice as fast to encode as the default 6, for files a tenth larger
        Image.fromarray(np.ascontiguousarray(crop)).save(buf, format="png", compress_level=3)
    else:
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _on_background(rgba, background):
    """RGB pixels of an RGBA crop laid on the figure's colour: the extra room around a figure is clear (alpha 0)
    and the edges of what was drawn into it partly clear; inside the figure every pixel is opaque."""
    import numpy as np

    alpha = rgba[..., 3]
    rgb = np.array(rgba[..., :3])
    if (alpha == 255).all():
        return rgb
    rgb[alpha == 0] = background[:3]
    partial = (alpha != 0) & (alpha != 255)
    if partial.any():
        a = alpha[partial][:, None].astype(np.float32) / 255.0
        rgb[partial] = np.round(rgba[partial][:, :3] * a + background[:3] * (1 - a)).astype(np.uint8)
    return rgb


def fy_label(year) -> str:
    """``2023`` -> ``'2023-24'`` (the financial year starting in April ``year``)."""
    y = int(round(float(year)))
    return f"{y}-{(y + 1) % 100:02d}"


def year_axis(axis, values=None, *, financial_year: bool = False) -> None:
    """Integer ticks on a year axis (``axis`` = ``ax.xaxis``): never ``2005.0`` or ``2007.5``.

    With ``financial_year=True`` the labels read ``2023-24``. Non-numeric values (labels such as
    ``'2015-16'`` already) are left alone."""
    if values is not None:
        numeric = pd.to_numeric(pd.Series(list(values)), errors="coerce")
        if numeric.isna().all():
            return
    axis.set_major_locator(MaxNLocator(integer=True, nbins=8 if financial_year else "auto", min_n_ticks=2))
    if financial_year:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: fy_label(v) if abs(v - round(v)) < 1e-6 else ""))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}" if abs(v - round(v)) < 1e-6 else ""))


def thousands_axis(axis) -> None:
    """Tick labels with thousands separators (``12,000``) when the axis reaches 1,000 or more."""

    def label(v, _pos):
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,g}"

    lo, hi = axis.get_view_interval()
    if max(abs(lo), abs(hi)) >= 1000:
        axis.set_major_formatter(FuncFormatter(label))


def _note(*sentences) -> str:
    return " ".join(s for s in sentences if s)


def _reference_label_above(ax, x: float, text: str) -> None:
    """Write a vertical reference line's label just above the plot area at the line, with the title lifted
    clear of it (so it can touch neither the title nor the bars)."""
    lo, hi = ax.get_xlim()
    frac = (x - lo) / (hi - lo) if hi != lo else 0.5
    ha = "left" if frac < 0.15 else ("right" if frac > 0.85 else "center")
    ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 3),
        textcoords="offset points",
        ha=ha,
        va="bottom",
        fontsize=9,
        color="#3D3D3D",
        annotation_clip=False,
    )
    ax.set_title(ax.get_title(loc="left") or ax.get_title(), loc="left", pad=20)


def _spread_labels(ax, items: list[tuple[float, float, str, str]], fontsize: float = 9) -> None:
    """Label line ends at (x, y) without labels overlapping: labels closer than one line of text are
    pushed apart vertically (in data units), keeping their order."""
    if not items:
        return
    ax.autoscale_view()
    lo, hi = ax.get_ylim()
    fig = ax.figure
    height_pt = fig.get_figheight() * ax.get_position().height * 72
    gap = (hi - lo) * (fontsize * 1.35) / max(height_pt, 1)
    order = sorted(range(len(items)), key=lambda i: items[i][1])
    placed: list[float] = []
    for i in order:  # upward pass: each label at least one line above the one below
        y = items[i][1]
        placed.append(y if not placed or y >= placed[-1] + gap else placed[-1] + gap)
    top = hi - gap / 2
    for k in range(len(placed) - 1, -1, -1):  # downward pass: keep the stack inside the plot area
        placed[k] = min(placed[k], top if k == len(placed) - 1 else placed[k + 1] - gap)
    for i, y in zip(order, placed, strict=True):
        x, _, text, colour = items[i]
        ax.annotate(
            text,
            (x, y),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=fontsize,
            color=colour,
            va="center",
            annotation_clip=False,
        )
    ax.set_ylim(lo, hi)


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
    has_benchmark = benchmark is not None and np.isfinite(benchmark)
    if has_benchmark:
        ax.axvline(benchmark, color="#3D3D3D", linestyle="--", linewidth=1)
    if comparison:  # the label sits beyond the bar's end (left of negative bars) so it stays readable
        right = (data[upper] if upper else data[value]).fillna(data[value])
        left = (data[lower] if lower else data[value]).fillna(data[value])
        for yi, xr, xl, v, lab in zip(y, right, left, data[value], data[comparison], strict=True):
            if v < 0:
                ax.text(xl, yi, f"{lab}  ", va="center", ha="right", fontsize=8, color="#3D3D3D")
            else:
                ax.text(xr, yi, f"  {lab}", va="center", fontsize=8, color="#3D3D3D")
    ax.set_yticks(y, data[label])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    if comparison:  # room for the labels beyond the longest bars
        ax.margins(x=0.12)
    ax.set_title(title)
    thousands_axis(ax.xaxis)
    if has_benchmark:
        _reference_label_above(ax, benchmark, benchmark_label)
    columns = [label, value] + [c for c in (lower, upper, comparison) if c]
    fig.briefing_data = data[list(dict.fromkeys(columns))].iloc[::-1].reset_index(drop=True)
    fig.briefing_note = _note(
        NOTE_CI_WHISKERS if lower and upper else "",
        f"Dashed line: {benchmark_label}." if has_benchmark else "",
    )
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
    financial_year: bool = False,
):
    """One line per group over time; highlighted groups in the categorical palette, others grey,
    with 95% bands where ``lower``/``upper`` are given; lines are labelled at their right end (labels
    pushed apart so they never overlap). Year ticks are integers; ``financial_year=True`` labels them
    ``2023-24`` (``x`` holds the starting calendar year)."""
    fig, ax = plt.subplots()
    groups = list(dict.fromkeys(frame[group]))
    highlight = list(highlight) or groups[: len(CATEGORICAL)]
    palette = {g: CATEGORICAL[i % len(CATEGORICAL)] for i, g in enumerate(highlight)}
    ends = []
    plotted = []
    for g in groups:
        d = frame[frame[group] == g].sort_values(x)
        if d.empty:
            continue
        plotted.append(d)
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
        last = d.dropna(subset=[y])
        if g in palette and not last.empty:
            ends.append((last[x].iloc[-1], float(last[y].iloc[-1]), str(g), colour))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    year_axis(ax.xaxis, frame[x], financial_year=financial_year)
    _spread_labels(ax, ends)
    thousands_axis(ax.yaxis)
    columns = [group, x, y] + [c for c in (lower, upper) if c]
    data = pd.concat(plotted) if plotted else frame.iloc[0:0]
    fig.briefing_data = data[list(dict.fromkeys(columns))].reset_index(drop=True)
    if financial_year:
        fig.briefing_data.insert(2, "financial_year", [fy_label(v) for v in fig.briefing_data[x]])
    fig.briefing_note = NOTE_CI_BANDS if lower and upper else ""
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
    financial_year: bool = False,
    xlabel: str = "Year",
):
    """Observed series, fitted trend projected with its 95% prediction interval, an optional target
    (a solid line named in the legend, never over the title) and the straight path needed to reach it.
    Year ticks are integers; ``financial_year=True`` labels them ``2023-24``."""
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
        ax.axhline(target, color="#3D3D3D", linewidth=1, label=target_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    year_axis(ax.xaxis, history[x], financial_year=financial_year)
    thousands_axis(ax.yaxis)
    ax.legend(frameon=False, fontsize=9)
    parts = [history[[x, y]].rename(columns={x: "year", y: "value"}).assign(series="observed")]
    fc = forecast[["year", "mean", "pi_lower", "pi_upper"]].rename(columns={"mean": "value"})
    parts.append(fc.assign(series="trend projection"))
    if path is not None:
        parts.append(path[[x, y]].rename(columns={x: "year", y: "value"}).assign(series=path_label))
    data = pd.concat(parts, ignore_index=True)
    if target is not None:
        data["target"] = target
    fig.briefing_data = data[
        ["series", "year", "value"] + [c for c in data.columns if c in ("pi_lower", "pi_upper", "target")]
    ]
    fig.briefing_note = _note(NOTE_PI, f"Solid line: {target_label}." if target is not None else "")
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
    columns = ([label] if label else []) + [x, y]
    fig.briefing_data = frame[list(dict.fromkeys(columns))].reset_index(drop=True)
    fig.briefing_note = NOTE_FIT if fit is not None else ""
    return fig


def plotted_data(fig) -> pd.DataFrame | None:
    """The values drawn on a figure made without a chart helper (no ``fig.briefing_data``): one row per bar
    (``series``, ``category``, ``value``), line vertex (``series``, ``x``, ``y``) or scatter point. Reference
    lines (``axhline``/``axvline``) are left out. None when nothing is found."""
    from matplotlib.container import BarContainer

    rows: list[dict] = []
    for n, ax in enumerate(fig.axes):
        prefix = f"axes {n + 1}: " if len(fig.axes) > 1 else ""
        ticks = {round(t, 6): lab.get_text() for t, lab in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)}
        yticks = {round(t, 6): lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)}
        for i, container in enumerate(c for c in ax.containers if isinstance(c, BarContainer)):
            name = container.get_label()
            series = prefix + (name if name and not name.startswith("_") else f"bars {i + 1}")
            horizontal = getattr(container, "orientation", "vertical") == "horizontal"
            for patch in container.patches:
                if horizontal:
                    pos, value = patch.get_y() + patch.get_height() / 2, patch.get_width()
                    category = yticks.get(round(pos, 6), f"{pos:g}")
                else:
                    pos, value = patch.get_x() + patch.get_width() / 2, patch.get_height()
                    category = ticks.get(round(pos, 6), f"{pos:g}")
                rows.append({"series": series, "category": category, "value": value})
        for i, line in enumerate(ax.get_lines()):
            if line.get_transform() != ax.transData:  # axhline / axvline: reference, not data
                continue
            xs, ys = line.get_xdata(), line.get_ydata()
            name = line.get_label()
            series = prefix + (name if name and not name.startswith("_") else f"line {i + 1}")
            rows.extend({"series": series, "x": x, "y": y} for x, y in zip(xs, ys, strict=True))
        for i, coll in enumerate(ax.collections):
            offsets = getattr(coll, "get_offsets", lambda: [])()
            name = coll.get_label()
            series = prefix + (name if name and not name.startswith("_") else f"points {i + 1}")
            if type(coll).__name__ == "PathCollection":
                rows.extend({"series": series, "x": x, "y": y} for x, y in np.asarray(offsets))
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    return frame[[c for c in ("series", "category", "x", "y", "value") if c in frame.columns]]
