"""Tables formatted for people: one helper behind ``Briefing.table`` so every briefing's tables look alike.

Rules (issue 19):

- human column labels: ``labels=`` wins, else the project dictionary :data:`LABELS` of raw names
  (``pt_minutes``, ``no_station_pct`` ...), else ``snake_case`` -> ``Sentence case`` with a unit suffix
  (``_pct`` -> ``(%)``);
- units in headers, not in cells (``%``, ``£``, ``pp``);
- integers without decimals and with thousands separators; a float column whose values are all whole
  numbers is shown as integers; years without separators;
- 1 decimal place for percentages and rates, whole pounds unless the amounts are small (under £10); other
  decimals: 2 dp below 1, none when the typical value is 100 or more, else 1 dp;
- per-column override ``formats={"col": "int"|"dp0"|"dp1"|"dp2"|"pct"|"pp"|"gbp"|"gbp2"|"ratio"|"year"|"text"}``;
- numbers right-aligned (``class="num"``), headers never broken inside a word (CSS), long tables
  (more than :data:`COLLAPSE_ROWS` rows) collapsed in a ``<details>`` element;
- a CSV download of the table (raw values, human headers) embedded as a ``data:`` URI.

Everything that reaches HTML is escaped here.
"""

from __future__ import annotations

import base64
import html
import math
import re

import pandas as pd

FORMATS = ("int", "dp0", "dp1", "dp2", "pct", "pp", "gbp", "gbp2", "ratio", "year", "text")
#: Tables longer than this are collapsed into a <details> element by default.
COLLAPSE_ROWS = 15
NUM = ' class="num"'
#: Shown in a cell with no value.
MISSING = "–"

#: Human labels for raw column names used across the briefings (with units).
LABELS: dict[str, str] = {
    "area": "Area",
    "area_name": "Area",
    "area_code": "Area code",
    "name": "Area",
    "council": "Council code",
    "code": "Code",
    "la_name": "Council",
    "district": "District",
    "region": "Region",
    "year": "Year",
    "fy": "Financial year",
    "period": "Period",
    "period label": "Period",
    "indicator": "Indicator",
    "label": "Indicator",
    "sector": "Sector",
    "value": "Value",
    "lower": "Lower 95% limit",
    "lo": "Lower 95% limit",
    "hi": "Upper 95% limit",
    "upper": "Upper 95% limit",
    "lower_95": "Lower 95% limit",
    "upper_95": "Upper 95% limit",
    "ci_lower": "Lower 95% limit",
    "ci_upper": "Upper 95% limit",
    "pi_lower": "Lower 95% prediction limit",
    "pi_upper": "Upper 95% prediction limit",
    "england": "England",
    "count": "Count",
    "numerator": "Count",
    "denominator": "Population",
    "population": "Residents",
    "households": "Households",
    "rank": "Rank",
    "n": "Number",
    "apc": "Annual change (%)",
    "apc_lower": "Annual change, lower 95% limit (%)",
    "apc_upper": "Annual change, upper 95% limit (%)",
    "slope": "Change a year",
    "p_value": "p-value",
    "vs_benchmark": "Compared with benchmark",
    "vs_benchmark_95": "Compared with benchmark (95% level)",
    "vs_benchmark_998": "Compared with benchmark (99.8% level)",
    "vs_england": "Compared with England",
    "vs_england_95": "Compared with England (95% level)",
    "vs_england_998": "Compared with England (99.8% level)",
    "gap_to_england": "Gap to England",
    "pt_minutes": "Minutes to key services by public transport or walking",
    "no_station_pct": "Not near a rail station (%)",
    "drive_pct": "Drive to work (%)",
    "rural_pct": "Rural residents (%)",
    "cycle_pct": "Cycle at least weekly (%)",
    "walk_pct": "Walk at least weekly (%)",
    "index": "Index (z-score)",
    "share": "Share (%)",
    "share_pct": "Share (%)",
    "growth_pct": "Growth (%)",
    "kt_co2": "CO2 (kt)",
    "total_kt_co2": "CO2 (kt)",
    "per_person_t": "CO2 per resident (t)",
    "per_km2_kt": "CO2 per km² (kt)",
    "per_head": "Per resident (£)",
    "net_per_adult": "Net spend per adult (£)",
    "pop_start": "Residents at start",
    "pop_end": "Residents at end",
    "mean_score": "Average IMD score",
    "score": "Score",
    "claim": "Claim",
    "pledge": "Pledge",
    "verdict": "Verdict",
    "status": "Status",
    "evidence": "Evidence",
    "latest": "Latest",
    "direction": "Direction",
}

#: Suffixes of raw names that carry a unit, and the unit written in the label.
_SUFFIX_UNITS = {"pct": "%", "percent": "%", "gbp": "£", "pounds": "£", "pp": "pp", "kt": "kt", "t": "t"}
#: Format inferred from a unit written in a label.
_UNIT_FORMAT = {"%": "pct", "£": "gbp", "pp": "pp"}


def human_label(column, labels: dict | None = None) -> str:
    """The header of ``column``: ``labels`` first, then :data:`LABELS`, then ``snake_case`` -> ``Sentence case``
    with a unit suffix (``no_bus_pct`` -> ``No bus (%)``). Labels that already read as words are kept."""
    if labels and column in labels:
        return str(labels[column])
    key = str(column)
    if key in LABELS:
        return LABELS[key]
    if "_" not in key and not key.islower():
        return key  # already written for people ("% fuel poor", "kt CO2 2020")
    words = key.replace("_", " ").split()
    unit = _SUFFIX_UNITS.get(words[-1]) if len(words) > 1 else None
    if unit:
        words = words[:-1]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def _unit_of(label: str) -> str | None:
    label = re.sub(r"\b(?:90|95|99|99\.8)% ?(?=\w)", "", label)  # "95% CI lower" names a level, not a unit
    if "%" in label or re.search(r"\bper ?cent\b", label, re.I):
        return "%"
    if "£" in label:
        return "£"
    if re.search(r"\((pp|percentage points)\)|\bpp\b|percentage points", label):
        return "pp"
    return None


def _whole(values: pd.Series) -> bool:
    v = values.dropna()
    return len(v) > 0 and bool(((v - v.round()).abs() < 1e-9).all())


def infer_format(column, values: pd.Series, label: str | None = None) -> str:
    """The display format of a column from its values and (raw or human) name; see the module docstring."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "text"
    name = f"{column} {label or ''}".lower()
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    finite = numbers[numpy_isfinite(numbers)]
    whole = _whole(finite)
    if whole and re.search(r"\byear\b|_year\b|^(from|to)\b|\bfy\b", name) and finite.between(1800, 2200).all():
        return "year"
    if re.search(r"\brank\b|^n$|\bcount\b", name) and whole:
        return "int"
    unit = _unit_of(label or "") or _unit_of(str(column)) or _SUFFIX_UNITS.get(str(column).rsplit("_", 1)[-1])
    if unit == "£":
        return "gbp2" if len(finite) and finite.abs().max() < 10 and not whole else "gbp"
    if unit == "pp":
        return "pp"
    if unit == "%":
        return "pct"
    if "ratio" in name:
        return "ratio"
    if whole:
        return "int"
    if len(finite) and finite.abs().max() < 1:
        return "dp2"
    if len(finite) and finite.abs().median() >= 100:
        return "dp0"  # counts and totals in the hundreds or more: decimals add noise, not precision
    return "dp1"


def numpy_isfinite(values: pd.Series) -> pd.Series:
    return values.notna() & values.abs().ne(math.inf)


def format_value(value, fmt: str) -> str:
    """One cell as text: ``1234.0, 'int'`` -> ``'1,234'``; ``12.345, 'pct'`` -> ``'12.3'`` (the % is in the header);
    missing -> :data:`MISSING`."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return MISSING
    if fmt == "text" or isinstance(value, str):
        return str(value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return MISSING
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if fmt == "year":
        return str(int(round(v)))
    if fmt in ("int", "dp0", "gbp"):
        text = f"{round(v):,}"
    elif fmt == "gbp2" or fmt == "dp2" or fmt == "ratio":
        text = f"{v:,.2f}"
    else:  # dp1, pct, pp
        text = f"{v:,.1f}"
    return "0" + text[2:] if text.startswith("-0") and not re.search(r"[1-9]", text) else text


def _header_with_unit(label: str, fmt: str) -> str:
    unit = {"pct": "%", "pp": "pp", "gbp": "£", "gbp2": "£"}.get(fmt)
    if unit and not _unit_of(label) and unit not in label:
        return f"{label} ({unit})"
    return label


def _floatfmt_format(floatfmt: str | None) -> str | None:
    """The format a deprecated ``floatfmt='{:,.2f}'`` asks for (only for plain decimal columns)."""
    if not floatfmt:
        return None
    m = re.search(r"\.(\d)f", floatfmt)
    return {"0": "dp0", "1": "dp1", "2": "dp2"}.get(m.group(1), "dp2") if m else None


def format_frame(
    frame: pd.DataFrame, *, formats: dict | None = None, labels: dict | None = None, floatfmt: str | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as text for people: (frame of strings with human headers, header -> format).

    ``formats`` and ``labels`` are keyed by the frame's own column names. Unknown format names raise
    ``ValueError`` naming the allowed ones."""
    formats = dict(formats or {})
    bad = {c: f for c, f in formats.items() if f not in FORMATS}
    if bad:
        raise ValueError(f"unknown table format(s) {bad}: use one of {', '.join(FORMATS)}")
    legacy = _floatfmt_format(floatfmt)
    out, kinds = {}, {}
    for column in frame.columns:
        values = frame[column]
        label = human_label(column, labels)
        fmt = formats.get(column) or infer_format(column, values, label)
        if column not in formats and legacy and fmt in ("dp1", "dp2"):  # not dp0: large values stay whole
            fmt = legacy
        header = _header_with_unit(label, fmt)
        while header in out:  # two raw names with one label: keep both columns
            header += " "
        out[header] = [format_value(v, fmt) for v in values]
        kinds[header] = fmt
    return pd.DataFrame(out, columns=list(out)), kinds


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV (raw values, ``\\n`` line ends, no index): deterministic for byte-identical rebuilds."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_link(frame: pd.DataFrame, filename: str, text: str = "Download the data (CSV)") -> str:
    """A download link carrying ``frame`` as a ``data:text/csv`` URI (works offline, no file beside the page)."""
    data = base64.b64encode(csv_bytes(frame)).decode("ascii")
    return (
        f'<a class="data-download" href="data:text/csv;base64,{data}" download="{html.escape(filename, quote=True)}"'
        f' data-rows="{len(frame)}">{html.escape(text)}</a>'
    )


def table_html(
    frame: pd.DataFrame,
    caption: str,
    *,
    number: int | None = None,
    source_note: str = "",
    formats: dict | None = None,
    labels: dict | None = None,
    collapsed: bool | None = None,
    floatfmt: str | None = None,
) -> str:
    """A briefing table: caption, formatted cells, one-line source note (HTML from :mod:`helpers.citations`)
    and a CSV download; collapsed in ``<details>`` when longer than :data:`COLLAPSE_ROWS` rows or
    ``collapsed=True``."""
    shown, kinds = format_frame(frame, formats=formats, labels=labels, floatfmt=floatfmt)
    numeric = {h for h, k in kinds.items() if k != "text"}
    head = "".join(f'<th scope="col"{NUM if h in numeric else ""}>{html.escape(h.strip())}</th>' for h in shown)
    rows = "\n".join(
        "<tr>"
        + "".join(
            f'<td{NUM if h in numeric else ""} data-label="{html.escape(h.strip(), quote=True)}">'
            f"{html.escape(str(v))}</td>"
            for h, v in zip(shown, row, strict=True)
        )
        + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    label = f"Table {number}. " if number else ""
    table_id = f' id="table-{number}"' if number else ""
    caption_html = f'<span class="table-label">{html.escape(label)}</span>{html.escape(caption)}'
    table = (
        # a region that may scroll must be reachable by keyboard (axe: scrollable-region-focusable)
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{html.escape(label + caption)}">'
        f'<table class="briefing-data stack"><caption>{caption_html}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>"
    )
    if collapsed is None:
        collapsed = len(frame) > COLLAPSE_ROWS
    if collapsed:
        noun = "row" if len(frame) == 1 else "rows"
        table = (
            f'<details class="table-details"><summary>{html.escape(label)}{html.escape(caption)} '
            f"({len(frame):,} {noun}; select to show)</summary>\n{table}\n</details>"
        )
    export = frame.copy()
    export.columns = [human_label(c, labels) for c in frame.columns]
    filename = f"table-{number}.csv" if number else "table.csv"
    link = f'<p class="data-link">{csv_link(export, filename)}</p>'
    return f'<div class="briefing-table"{table_id}>\n{table}\n{source_note}\n{link}\n</div>'
