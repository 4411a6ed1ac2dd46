"""helpers.charts: integer (and financial-year) ticks, reference labels clear of the title and the bars,
line labels that do not collide, the frame plotted attached to every chart, captions that add information.
The tests inspect the matplotlib objects: tick label texts and text bounding boxes from the renderer."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import charts
from helpers.briefing import figure_caption


@pytest.fixture(autouse=True)
def _style():
    charts.apply_style()
    yield
    plt.close("all")


def visible_ticks(ax, axis="x") -> list[str]:
    """Tick label texts the reader sees (inside the view limits, non-empty)."""
    ax.figure.canvas.draw()
    lo, hi = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [lab.get_text() for t, lab in zip(ticks, labels, strict=True) if lo <= t <= hi and lab.get_text()]


def bbox(artist):
    fig = artist.figure
    return artist.get_window_extent(renderer=fig.canvas.get_renderer())


def years_frame(groups=("Cambridgeshire", "England", "East of England"), start=2005, end=2020, float_years=True):
    rows = []
    for i, g in enumerate(groups):
        for y in range(start, end + 1):
            rows.append({"area": g, "year": float(y) if float_years else y, "value": 10 + 0.01 * i + 0.1 * (y - start)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("start,end", [(2005, 2020), (2015, 2019), (2010, 2011), (1997, 2024)])
def test_year_ticks_are_whole_years(start, end):
    fig = charts.trend_lines(years_frame(start=start, end=end), "year", "value", "area", title="T", ylabel="y")
    labels = visible_ticks(fig.axes[0])
    assert labels, "no year ticks"
    assert all(re.fullmatch(r"\d{4}", lab) for lab in labels), labels  # never 2005.0 or 2007.5
    assert len(set(labels)) == len(labels)


def test_financial_year_ticks_read_2023_24():
    fig = charts.trend_lines(
        years_frame(start=2011, end=2020), "year", "value", "area", title="T", ylabel="£", financial_year=True
    )
    labels = visible_ticks(fig.axes[0])
    assert labels and all(re.fullmatch(r"\d{4}-\d{2}", lab) for lab in labels), labels
    for lab in labels:
        first, second = lab.split("-")
        assert (int(first) + 1) % 100 == int(second)
    assert list(fig.briefing_data["financial_year"][:2]) == ["2011-12", "2011-12"] or "2011-12" in set(
        fig.briefing_data["financial_year"]
    )


def forecast_inputs():
    hist = pd.DataFrame({"year": np.arange(2005, 2021, dtype=float), "kt": np.linspace(5000, 3200, 16)})
    fc = pd.DataFrame(
        {
            "year": np.arange(2020, 2031),
            "mean": np.linspace(3300, 2500, 11),
            "pi_lower": np.linspace(3100, 2200, 11),
            "pi_upper": np.linspace(3500, 2800, 11),
        }
    )
    return hist, fc


def test_forecast_ticks_target_in_legend_and_data():
    hist, fc = forecast_inputs()
    fig = charts.forecast_chart(hist, fc, x="year", y="kt", title="T", ylabel="kt", target=250, target_label="net zero")
    ax = fig.axes[0]
    assert all(re.fullmatch(r"\d{4}", lab) for lab in visible_ticks(ax))
    # thousands separators on the value axis
    assert any("," in lab for lab in visible_ticks(ax, "y"))
    # the target is named in the legend, not written over the plot (or the title)
    assert "net zero" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert not [t for t in ax.texts if "net zero" in t.get_text()]
    data = fig.briefing_data
    assert len(data) == len(hist) + len(fc)
    assert list(data.loc[data["series"] == "observed", "value"]) == list(hist["kt"])
    assert "prediction interval" in fig.briefing_note


def bars_frame(n=8):
    return pd.DataFrame(
        {
            "name": [f"Council {i}" for i in range(n)],
            "value": np.linspace(2.0, 5.0, n),
            "lo": np.linspace(1.8, 4.7, n),
            "hi": np.linspace(2.2, 5.3, n),
            "cmp": ["worse"] * n,
        }
    )


@pytest.mark.parametrize("benchmark", [1.0, 3.0, 4.9, 5.2])
@pytest.mark.parametrize(
    "title", ["Short", "A very long title that states the finding for Cambridgeshire in full words"]
)
def test_benchmark_label_clear_of_title_and_bars(benchmark, title):
    fig = charts.ranked_bars(
        bars_frame(),
        "name",
        "value",
        title=title,
        xlabel="t per resident",
        lower="lo",
        upper="hi",
        benchmark=benchmark,
        benchmark_label="England",
        comparison="cmp",
        highlight=["Council 3"],
    )
    ax = fig.axes[0]
    fig.canvas.draw()
    label = [t for t in ax.texts if t.get_text().strip() == "England"]
    assert len(label) == 1
    box = bbox(label[0])
    title_artist = ax.title if ax.title.get_text() else ax._left_title
    assert title_artist.get_text() == title
    assert not box.overlaps(bbox(title_artist)), "benchmark label overlaps the title"
    for patch in ax.patches:
        assert not box.overlaps(bbox(patch)), "benchmark label overlaps a bar"
    # comparison labels do not overlap each other
    others = [bbox(t) for t in ax.texts if t is not label[0]]
    for i, a in enumerate(others):
        for b in others[i + 1 :]:
            assert not a.overlaps(b)


def test_ranked_bars_data_is_what_was_drawn():
    frame = bars_frame(10)
    fig = charts.ranked_bars(frame, "name", "value", title="T", xlabel="x", lower="lo", upper="hi", max_bars=6)
    ax = fig.axes[0]
    drawn = sorted(round(p.get_width(), 9) for p in ax.patches)
    data = fig.briefing_data
    assert len(data) == 6 == len(drawn)
    assert sorted(round(v, 9) for v in data["value"]) == drawn
    assert list(data.columns) == ["name", "value", "lo", "hi"]
    assert "95% confidence intervals" in fig.briefing_note


def test_line_end_labels_do_not_overlap():
    # three lines ending within 0.02 of each other would print their labels on top of each other
    fig = charts.trend_lines(years_frame(), "year", "value", "area", title="T", ylabel="y")
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t for t in ax.texts if t.get_text() in ("Cambridgeshire", "England", "East of England")]
    assert len(labels) == 3
    boxes = [bbox(t) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    assert not any(b.overlaps(bbox(ax._left_title)) for b in boxes)
    assert len(fig.briefing_data) == 3 * 16 and list(fig.briefing_data.columns) == ["area", "year", "value"]


def test_scatter_data_and_note():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 7.0], "name": ["a", "b", "c"]})
    fit = pd.DataFrame({"x": [1.0, 3.0], "mean": [2.0, 7.0], "ci_lower": [1.5, 6.0], "ci_upper": [2.5, 8.0]})
    fig = charts.scatter_with_fit(frame, "x", "y", title="T", xlabel="x", ylabel="y", label="name", fit=fit)
    assert fig.briefing_data.to_dict("list") == {"name": ["a", "b", "c"], "x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 7.0]}
    assert "confidence interval" in fig.briefing_note


def test_plotted_data_reads_a_plain_matplotlib_chart():
    fig, ax = plt.subplots()
    ax.bar(["a", "b", "c"], [1, 2, 3])
    ax.axhline(2.5)  # a reference line is not data
    data = charts.plotted_data(fig)
    assert list(data["category"]) == ["a", "b", "c"] and list(data["value"]) == [1, 2, 3]


@pytest.mark.parametrize(
    "caption,title,note,expected",
    [
        ("Transport is the largest source", "Transport is the largest source", "", ""),
        (None, "T", "Whiskers show 95% confidence intervals.", "Whiskers show 95% confidence intervals."),
        (
            "transport is the LARGEST source.",
            "Transport is the largest source",
            "Dashed line: England.",
            "Dashed line: England.",
        ),
        ("Each dot is a council.", "T", "Dashed line: England.", "Each dot is a council. Dashed line: England."),
        ("Bands: 95% confidence intervals.", "T", "95% confidence intervals", "Bands: 95% confidence intervals."),
    ],
)
def test_caption_adds_information(caption, title, note, expected):
    assert figure_caption(caption, title, note) == expected


def test_fy_label():
    assert charts.fy_label(2023) == "2023-24" and charts.fy_label(1999.0) == "1999-00"


def _tight_reference(fig) -> np.ndarray:
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).astype(int)


def _decoded(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _best_alignment(a: np.ndarray, b: np.ndarray, slack: int = 8) -> float:
    """Mean absolute difference of two near-equal pictures where they overlap, at their best relative shift."""
    best = float("inf")
    for dy in range(-slack, slack + 1):
        for dx in range(-slack, slack + 1):
            ay, ax, by, bx = max(dy, 0), max(dx, 0), max(-dy, 0), max(-dx, 0)
            h, w = min(a.shape[0] - ay, b.shape[0] - by), min(a.shape[1] - ax, b.shape[1] - bx)
            best = min(best, np.abs(a[ay : ay + h, ax : ax + w] - b[by : by + h, bx : bx + w]).mean())
    return best


def test_png_is_the_tight_crop_drawn_once():
    """png_bytes crops one drawing to its drawn pixels instead of savefig's measure-then-draw: the same picture,
    a few pixels of margin apart."""
    frame = pd.DataFrame({"name": [f"Council {i}" for i in range(12)], "value": np.linspace(3, 90, 12)})

    def chart():
        return charts.ranked_bars(frame, "name", "value", highlight=["Council 3"], title="Twelve councils", xlabel="%")

    reference = _tight_reference(chart())
    png = charts.png_bytes(chart())
    assert png == charts.png_bytes(chart())  # deterministic
    ours = _decoded(png)
    assert abs(ours.shape[0] - reference.shape[0]) <= 8 and abs(ours.shape[1] - reference.shape[1]) <= 8
    assert _best_alignment(ours, reference) < 3  # the same chart, within anti-aliasing
    assert b"Software" not in png and b"tIME" not in png


def _legend_outside():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    ax.legend(["a line"], loc="upper left", bbox_to_anchor=(1.05, 1.0))  # outside the figure's right edge
    return fig


def test_png_keeps_what_reaches_past_the_figure():
    """A legend placed outside the axes (past the figure's edge) is in the picture, as savefig's tight box has it."""
    reference = _tight_reference(_legend_outside())
    ours = _decoded(charts.png_bytes(_legend_outside()))
    assert ours.shape[1] > 400  # wider than the 400 px figure: the legend is there
    assert abs(ours.shape[0] - reference.shape[0]) <= 8 and abs(ours.shape[1] - reference.shape[1]) <= 8
    assert _best_alignment(ours, reference) < 3


def test_png_of_a_transparent_figure_falls_back_to_savefig():
    fig = _legend_outside()
    fig.patch.set_alpha(0.0)
    reference = _tight_reference(fig)
    fig2 = _legend_outside()
    fig2.patch.set_alpha(0.0)
    assert _decoded(charts.png_bytes(fig2)).shape == reference.shape  # savefig's own tight box, to the pixel
