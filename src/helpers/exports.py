"""Open data written beside the briefings: the indicator store and every built council's verdicts, as parquet.

``python -m helpers.exports outputs/`` (the runner does this after every build) writes

* ``outputs/data/indicators.parquet`` — every catalogued indicator x every area x every period, in the store's
  tidy shape (:data:`helpers.indicators.STORE_COLUMNS`);
* ``outputs/data/verdicts.parquet`` — one row per claim or pledge of every built council: the council, the
  section, the entry id, claim or pledge, the verdict or status, why it cannot be tested, the indicator id and
  value behind it, its period, the claim kind, whether it is national, and the manifesto register it came from.

pandas, R ``arrow`` and DuckDB read them as they are, e.g.::

    duckdb -c "SELECT area_name, verdict FROM 'outputs/data/verdicts.parquet' WHERE entry_id = 'fuel-poverty-many'"

Each file is written atomically: a failed export leaves the last good file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

VERDICT_COLUMNS = [
    "area_code",
    "area_name",
    "manifesto",
    "section",
    "entry_id",
    "type",
    "text",
    "verdict",
    "untestable",
    "kind",
    "indicator_id",
    "indicator",
    "value",
    "period",
    "national",
    "evidence",
]


def _atomic_parquet(frame: pd.DataFrame, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".parquet.tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def verdict_rows(output_dir: Path) -> pd.DataFrame:
    """One row per claim and pledge of every council built in ``output_dir`` (from each ``manifest.json``)."""
    import json

    from .overview import built_councils

    rows = []
    for council in built_councils(output_dir):
        manifest = json.loads((Path(output_dir) / council.area["slug"] / "manifest.json").read_text(encoding="utf-8"))
        register_id = str(manifest.get("manifesto") or manifest.get("register") or "")
        for section, record in council.records.items():
            for what, id_key, text_key, verdict_key in (
                ("claim", "claim_id", "claim", "verdict"),
                ("pledge", "pledge_id", "pledge", "status"),
            ):
                for r in record.get(f"{what}s", []):
                    value = r.get("value")
                    rows.append(
                        {
                            "area_code": council.code,
                            "area_name": council.area.get("name", ""),
                            "manifesto": register_id,
                            "section": section,
                            "entry_id": r.get(id_key, ""),
                            "type": what,
                            "text": r.get(text_key, ""),
                            "verdict": r.get(verdict_key, ""),
                            "untestable": r.get("untestable", ""),
                            "kind": r.get("kind", ""),
                            "indicator_id": r.get("indicator_id", ""),
                            "indicator": r.get("indicator", ""),
                            "value": float(value) if isinstance(value, int | float) else float("nan"),
                            "period": str(r.get("period", "") or ""),
                            "national": bool(r.get("national", False)),
                            "evidence": r.get("evidence", ""),
                        }
                    )
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def write(output_dir: str | Path) -> dict[str, Path]:
    """Write both files under ``output_dir/data/``; returns their paths."""
    from . import indicators
    from .errors import BriefingError

    out = Path(output_dir)
    written = {"verdicts": _atomic_parquet(verdict_rows(out), out / "data" / "verdicts.parquet")}
    usable, SKIPPED[:] = [], []
    for indicator_id in indicators.ids():
        try:
            indicators.get(indicator_id)
            usable.append(indicator_id)
        except BriefingError as error:  # a dataset missing or changed: said, and left out of the export
            SKIPPED.append(f"{indicator_id} ({str(error)[:120]})")
    written["indicators"] = indicators.write_store(out / "data" / "indicators.parquet", usable)
    return written


#: indicators the last :func:`write` could not build (id and cause)
SKIPPED: list[str] = []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("outputs")
    for name, path in write(target).items():
        sys.stdout.write(f"{name}: {path} ({path.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
