"""One quantity, one value: a page check that no indicator, area and period is shown with two different values.

Every figure and table on a page carries its data as a CSV download (a ``data:text/csv`` link). Where that data
names its indicator (an ``indicator_id`` column, as the indicator store's rows do), :func:`conflicts` collects
(indicator, area, period) -> value across every page of a council and reports each quantity shown with two
values. Values are compared to 6 significant figures (a CSV rounds nothing the store keeps).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pandas as pd

CSV_LINK = re.compile(r'href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')
KEYS = ["indicator_id", "area_code", "period"]


def quantities(pages: list[Path]) -> pd.DataFrame:
    """Every (indicator, area, period, value) shown in the pages' figure and table data, with the page."""
    rows = []
    for page in pages:
        for match in CSV_LINK.finditer(page.read_text(encoding="utf-8")):
            try:
                frame = pd.read_csv(io.BytesIO(base64.b64decode(match.group(1))))
            except (ValueError, pd.errors.ParserError):
                continue
            if not set(KEYS + ["value"]) <= set(frame.columns):
                continue
            part = frame[KEYS + ["value"]].dropna(subset=["value"]).assign(page=page.name)
            rows.append(part)
    if not rows:
        return pd.DataFrame(columns=KEYS + ["value", "page"])
    return pd.concat(rows, ignore_index=True).astype({"period": str})


def conflicts(pages: list[Path]) -> list[str]:
    """One line per quantity shown with more than one value (empty when every quantity has one value)."""
    q = quantities(pages)
    if q.empty:
        return []
    q = q.assign(rounded=q["value"].map(lambda v: float(f"{float(v):.6g}")))
    out = []
    for key, g in q.groupby(KEYS):
        if g["rounded"].nunique() > 1:
            shown = ", ".join(f"{r.value:g} ({r.page})" for r in g.drop_duplicates("rounded").itertuples())
            out.append(f"{' / '.join(map(str, key))}: {shown}")
    return out
