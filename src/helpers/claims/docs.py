"""The claim kinds and the reading table as Markdown, for ``docs/verdict-rules.md``.

``python -m helpers.claims.docs`` rewrites the part of ``docs/verdict-rules.md`` between the markers
``<!-- kinds:start -->`` and ``<!-- kinds:end -->``; a test checks the document is up to date. Every worked
example below is computed by the kind itself from a constructed input, so the document cannot drift from the
code.
"""

from __future__ import annotations

import inspect
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from .. import config
from . import kinds
from .reading import read, table_markdown
from .run import PARAMS

DOC = config.REPO_ROOT / "docs" / "verdict-rules.md"
START, END = "<!-- kinds:start -->", "<!-- kinds:end -->"


def _row(value: float, lower: float | None = None, upper: float | None = None, **kw: object) -> pd.Series:
    return pd.Series({"area_name": "Anyshire", "period": "2021", "value": value, "lower": lower, "upper": upper, **kw})


def _examples() -> list[tuple[str, str, str, object]]:
    """(kind, register entry YAML, input in words, outcome) for each kind."""
    pct = kinds.Measure("Households in fuel poverty", "%", "lower_is_better")
    out: list[tuple[str, str, str, object]] = []
    out.append(
        (
            "level",
            "check: {kind: level, indicator: fuel-poverty-lilee, reading: many, period: 2021}",
            "Anyshire 11.4% in 2021, no published interval",
            kinds.level(_row(11.4), pct, read("many"), claim="many households were in fuel poverty"),
        )
    )
    out.append(
        (
            "compare",
            "check: {kind: compare, indicator: adult-smoking, reading: higher than, comparator: england}",
            "Anyshire 16.6% (95% interval 13.1% to 20.1%) against England 12.9%",
            kinds.compare(
                _row(16.6, 13.1, 20.1),
                pd.Series({"area_name": "England", "value": 12.9, "period": "2021"}),
                kinds.Measure("Adults who smoke", "%", "lower_is_better"),
                read("higher than"),
                claim="more adults smoke than in England",
            ),
        )
    )
    group = pd.DataFrame(
        {"area_code": [f"E{i:08d}" for i in range(1, 21)], "area_name": [f"Council {i}" for i in range(1, 21)]}
    )
    group["value"] = [30.0 - i for i in range(20)]
    group.loc[2, "area_name"] = "Anyshire"
    out.append(
        (
            "rank",
            "check: {kind: rank, indicator: imd-2019-score, reading: one of the most, group: councils}",
            "Anyshire third highest of 20 councils",
            kinds.rank(
                group.assign(period="2019"),
                "E00000003",
                kinds.Measure("Deprivation score", "score", "lower_is_better"),
                read("one of the most"),
                group_name="councils",
                claim="Anyshire is one of the most deprived councils",
            ),
        )
    )
    out.append(
        (
            "parts",
            "check: {kind: parts, indicator: fuel-poverty-lilee, reading: higher in, parts: [E07000010], "
            "comparator: E10000003}",
            "Fenland-like district 15.3% against its county 12.3%",
            kinds.parts(
                pd.DataFrame([_row(15.3, area_name="Northfen")]),
                pd.Series({"area_name": "Anyshire", "value": 12.3, "period": "2021"}),
                pct,
                read("higher in"),
                claim="fuel poverty is higher in Northfen",
            ),
        )
    )
    out.append(
        (
            "share",
            "check: {kind: share, indicator: population, reading: too much of, parts: [E07000008, E07000012], "
            "periods: [2011, 2020]}",
            "two districts grew by 38,000 of the county's 52,000 from 40% of its population",
            kinds.share(
                260_000,
                298_000,
                650_000,
                702_000,
                kinds.Measure("Population", "people"),
                read("too much of"),
                part_name="the two districts",
                whole_name="county",
                periods=("2011", "2020"),
                claim="too much of the growth is in the two districts",
            ),
        )
    )
    s = pd.DataFrame(
        {
            "period": ["2015-16", "2020-21"],
            "year": [2015, 2020],
            "value": [100.0, 104.0],
            "value_real": [121.0, 115.0],
            "series": [1, 1],
        }
    )
    out.append(
        (
            "change",
            "check: {kind: change, indicator: spending-power-per-head, reading: cut, periods: [2015-16, 2020-21]}",
            "£100 a head in 2015-16 and £104 in 2020-21 in cash; £121 and £115 in 2024-25 prices",
            kinds.change(
                s,
                "2015-16",
                "2020-21",
                kinds.Measure(
                    "Spending power per head", "£", "higher_is_better", money=True, price_base="2024-25 prices"
                ),
                read("cut"),
                claim="government funding was cut",
            ),
        )
    )
    t = pd.DataFrame({"year": list(range(2012, 2020)), "value": [10, 11.2, 11.9, 13.1, 13.8, 15.2, 15.9, 17.1]})
    out.append(
        (
            "trend",
            "check: {kind: trend, indicator: older-people-share, reading: rising, periods: [2012, 2019]}",
            "eight yearly values from 10.0% to 17.1%",
            kinds.trend(t, kinds.Measure("Share aged 85 and over", "%"), read("rising"), claim="the share is rising"),
        )
    )
    per = [
        ("2019", "2019-01-01", "2019-12-31"),
        ("2020", "2020-01-01", "2020-12-31"),
        ("2023", "2023-01-01", "2023-12-31"),
    ]
    p = pd.DataFrame(per, columns=["period", "period_start", "period_end"])
    p["year"] = [2019, 2020, 2023]
    p["value"] = [40.0, 40.9, 39.6]
    p["value_real"] = float("nan")
    out.append(
        (
            "since",
            "check: {kind: since, indicator: household-recycling-rate, reading: increase, target: 65, "
            "target_year: 2035}",
            "40.9% in 2020 (before May 2021), 39.6% in 2023; target 65% by 2035",
            kinds.since(
                p,
                date(2021, 5, 6),
                kinds.Measure("Recycling rate", "%", "higher_is_better"),
                read("increase"),
                target=65,
                target_year=2035,
            ),
        )
    )
    return out


def markdown() -> str:
    lines = [
        START,
        "",
        "## Claim kinds",
        "",
        "A register entry tests a claim with one of these kinds (`check:` in the register; "
        "`src/helpers/claims/kinds.py`). Each reads the claim's words through the reading table below and "
        "decides through the rules above. Every example here is computed by the kind from the input shown.",
        "",
    ]
    for kind, entry, given, outcome in _examples():
        fn = getattr(kinds, kind)
        doc = inspect.getdoc(fn) or ""
        first = doc.split("\n\n")[0].replace("\n", " ")
        lines += [
            f"### `{kind}`",
            "",
            first,
            "",
            f"Parameters: {', '.join(f'`{p}`' for p in PARAMS[kind])}.",
            "",
            "```yaml",
            entry,
            "```",
            "",
            f"Worked example: {given}. Verdict: **{outcome.verdict}** ({outcome.rule}).  ",  # type: ignore[attr-defined]
            f"Conclusion: {outcome.conclusion or outcome.evidence}",  # type: ignore[attr-defined]
            "",
        ]
    lines += [
        "## The reading table",
        "",
        "The words manifestos use and how each is tested (`src/helpers/claims/reading.yaml`; no cut-off lives "
        "anywhere else). A share of a group is rounded up to whole places and is never fewer than one.",
        "",
        table_markdown(),
        "",
        END,
    ]
    return "\n".join(lines)


def update(path: Path = DOC) -> bool:
    """Rewrite the generated part of the document; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new_block = markdown()
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        new = head + new_block + tail
    else:
        new = text.rstrip("\n") + "\n\n" + new_block + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = update()
    sys.stdout.write(f"{DOC}: {'updated' if changed else 'up to date'}\n")
