"""Pledge trackers shared by briefings 02 and 04: a council's spending on named RO3 revenue outturn lines
(MHCLG, £ thousand, cash), 2023-24 against 2024-25 — two values without an interval, so the status is
"direction only" (:func:`helpers.verdicts.pledge_from_change`)."""

from __future__ import annotations

import pandas as pd

from .. import verdicts
from ..datasets import load

OUTTURN = "la_revenue_outturn_rsx_ro3_2023_24_2024_25"


def _millions(thousands: float) -> str:
    """£ thousand as readers see it: "£35.6 million", "£250,000" below a million, "£0" for nothing."""
    if abs(thousands) >= 1000:
        return f"£{thousands / 1000:,.1f} million"
    return f"£{thousands * 1000:,.0f}" if thousands else "£0"


def ro3_lines_by_year(code: str, lines: list[str], measure: str = "net") -> pd.DataFrame:
    """Rows ``period, year, <line>..., total`` for one council (£ thousand, cash); a year with any line missing
    (a council that did not submit) is dropped."""
    ro3 = load(OUTTURN, "ro3_lines")
    mine = ro3[(ro3["area_code"] == code) & ro3["line"].isin(lines)]
    wide = mine.pivot(index=["year", "period"], columns="line", values=measure)  # one row per council/year/line
    wide = wide.reindex(columns=lines).dropna()  # a non-submitting council's year ('[x]') is NaN: dropped
    wide["total"] = wide[lines].sum(axis=1)
    return wide.reset_index().sort_values("year")


def ro3_change(ctx, lines: list[str], what: str, *, measure: str = "net", note: str = "") -> verdicts.Outcome:
    """Status of a pledge to spend more on ``what`` (the sum of RO3 ``lines``): the first and last financial year
    held, cash, direction only. ``note`` is appended to the one-sentence evidence (what the lines leave out)."""
    code, name = ctx.area.code, ctx.area.name
    spend = ro3_lines_by_year(code, lines, measure)
    if len(spend) < 2:
        raise verdicts.NoData(f"the RO3 revenue outturn has fewer than two years of {what} for {name}")
    first, last = spend.iloc[0], spend.iloc[-1]
    evidence = (
        f"{what[0].upper()}{what[1:]} in {name}: {_millions(first['total'])} in {first['period']} and "
        f"{_millions(last['total'])} in {last['period']} (cash){'; ' + note if note else ''}."
    )
    return verdicts.pledge_from_change(
        float(first["total"]),
        float(last["total"]),
        polarity="higher_is_better",
        latest=f"{_millions(last['total'])} ({last['period']})",
        evidence=evidence,
        period=f"{first['period']} to {last['period']}",
        period_end=int(last["year"]) + 1,
        value=float(last["total"]),
    )
