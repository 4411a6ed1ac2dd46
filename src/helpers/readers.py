"""Readers for the file formats the datasets come in, with column checks and suppression handling.

Every reader checks that the columns a parser relies on are present, and raises a one-line
:class:`SchemaError` naming the dataset, the missing column and the columns found otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import SchemaError

#: Markers publishers use for suppressed, not available or not applicable cells.
SUPPRESSION_MARKERS = (
    "..",
    ".",
    "x",
    "X",
    "c",
    "z",
    ":",
    "-",
    "*",
    "u",
    "[c]",
    "[x]",
    "[z]",
    "[low]",
    "low",
    "n/a",
    "N/A",
    "NA",
    "",
)


def require_columns(frame: pd.DataFrame, required: Iterable[str], dataset: str, file: str = "") -> None:
    """Raise SchemaError if any of ``required`` is missing from ``frame``."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12])) + ("…" if len(frame.columns) > 12 else "")
        where = f"{dataset}/{file}" if file else dataset
        raise SchemaError(
            f"{where}: required column '{missing[0]}' is missing (renamed or a different file version?); "
            f"columns found: {found}"
        )


def read_csv(path: Path, dataset: str, required: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    """Read a CSV (gzip handled), with a BOM-safe encoding, then check ``required`` columns."""
    kwargs.setdefault("encoding", "utf-8-sig")
    kwargs.setdefault("low_memory", False)
    try:
        frame = pd.read_csv(path, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, EOFError, OSError) as exc:
        raise SchemaError(
            f"{dataset}/{Path(path).name} cannot be parsed as CSV ({type(exc).__name__}): "
            "the file is corrupt or not the registered version"
        ) from None
    require_columns(frame, required, dataset, Path(path).name)
    return frame


def read_sheet(path: Path, dataset: str, sheet: str | int, required: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    """Read one sheet of an xlsx/xls/ods workbook with the fast calamine engine."""
    try:
        frame = pd.read_excel(path, sheet_name=sheet, engine="calamine", **kwargs)
    except ValueError as exc:
        raise SchemaError(
            f"{dataset}/{Path(path).name}: sheet {sheet!r} cannot be read ({exc}); "
            "check the sheet name against the registered file version"
        ) from None
    except Exception as exc:
        raise SchemaError(
            f"{dataset}/{Path(path).name} cannot be opened as a workbook "
            f"({type(exc).__name__}): the file is corrupt or not the registered version"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, required, dataset, Path(path).name)
    return frame


def to_numeric_counting_suppressed(values: pd.Series) -> tuple[pd.Series, int]:
    """Convert to float; suppression markers become NaN. Returns (numbers, how many were suppressed).

    A cell counts as suppressed when it holds one of :data:`SUPPRESSION_MARKERS` (never silently zero).
    Thousands separators are removed. Anything else that is not a number raises SchemaError.
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float), 0
    text = values.astype("string").str.strip().str.replace(",", "", regex=False)
    is_marker = text.isin(SUPPRESSION_MARKERS) | values.isna()
    numbers = pd.to_numeric(text.where(~is_marker), errors="coerce")
    bad = numbers.isna() & ~is_marker
    if bad.any():
        example = values[bad].iloc[0]
        raise SchemaError(
            f"column '{values.name}' has a value {example!r} that is neither a number nor a "
            "known suppression marker: add the marker to readers.SUPPRESSION_MARKERS if it is one"
        )
    suppressed = int((is_marker & values.notna()).sum())
    return numbers.astype(float), suppressed


def numeric_columns(frame: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, int]:
    """Convert several columns with :func:`to_numeric_counting_suppressed`; returns (frame, total suppressed)."""
    frame = frame.copy()
    total = 0
    for col in columns:
        frame[col], n = to_numeric_counting_suppressed(frame[col])
        total += n
    return frame, total


def first_row_matching(raw: pd.DataFrame, text: str) -> int:
    """Index of the first row of a header-less sheet whose cells include ``text`` (to find a table's header)."""
    hits = np.where(raw.astype(str).apply(lambda row: row.str.strip().eq(text).any(), axis=1))[0]
    if len(hits) == 0:
        raise SchemaError(f"no header row containing {text!r} was found: the workbook layout has changed")
    return int(hits[0])
