"""From a register entry's ``check`` to a verdict: pick the store rows the entry names, then call its kind.

A ``check`` names a ``kind``, an ``indicator`` (a catalogue id), the claim's words (``reading``, looked up in the
reading table) and the parameters of that kind (:data:`PARAMS`). Place codes come from the register, never from
defaults in code. Before a kind runs, this module decides whether the data can test the claim as meant:

* the council's kind of area is not one the indicator exists for -> "cannot be tested: the indicator exists only
  for other area types";
* the claim names a period the data do not cover -> "cannot be tested for the claimed period", with what the
  data do show;
* the claim is about the council's own part (``about: council``) but the indicator measures the whole area ->
  "context only";
* no value for this council -> "no data for this council".

With no period named, a claim is judged at the latest period that ended by the manifesto date (what its authors
could have known); ``match`` on the outcome says whether the data's period and comparator match the claim's.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from .. import verdicts
from ..verdicts import Outcome
from . import kinds
from .reading import KINDS, read

ENGLAND = "E92000001"

#: The parameters each kind takes (besides kind, indicator and reading).
PARAMS: dict[str, tuple[str, ...]] = {
    "level": ("period", "area", "value", "about", "national"),
    "compare": ("period", "area", "comparator", "about", "national"),
    "rank": ("period", "area", "group", "about", "national"),
    "parts": ("period", "parts", "comparator", "national"),
    "share": ("periods", "parts", "whole", "national"),
    "change": ("periods", "area", "about", "national"),
    "trend": ("periods", "area", "about", "national"),
    "since": ("area", "target", "target_year", "about"),
}
GROUPS = ("councils", "same kind", "lower tier", "region", "districts", "similar", "regions")
COMPARATORS = ("england", "region", "similar", "rest")


class Check(BaseModel):
    """A register entry's claim-kind test (validated when the register loads)."""

    model_config = ConfigDict(extra="forbid")
    kind: str
    indicator: str
    reading: str
    period: str | int | None = None
    periods: list[str | int] | None = Field(default=None, min_length=2, max_length=2)
    area: str | None = Field(default=None, pattern=r"^E\d{8}$")
    comparator: str = "england"
    group: str = "councils"
    parts: list[str] | Literal["districts"] | None = None
    whole: str | None = Field(default=None, pattern=r"^E\d{8}$")
    value: float | None = None
    target: float | None = None
    target_year: int | None = None
    about: Literal["area", "council"] = "area"
    national: bool = False


def validate(check: dict[str, Any]) -> Check:
    """Check a ``check`` mapping: known kind, reading of that kind, catalogued indicator, parameters the kind
    takes, known group and comparator. Raises ValueError with the closest valid names."""
    kind = str(check.get("kind", ""))
    if kind not in KINDS:
        close = ", ".join(difflib.get_close_matches(kind, KINDS, n=3, cutoff=0.0))
        raise ValueError(f"unknown kind {kind!r}: closest are {close}")
    allowed = {"kind", "indicator", "reading", *PARAMS[kind]}
    for key in check:
        if key not in allowed:
            close = ", ".join(difflib.get_close_matches(key, sorted(allowed), n=3, cutoff=0.0))
            raise ValueError(f"kind {kind!r} takes no parameter {key!r}: closest are {close}")
    parsed = Check.model_validate(check)
    from ..errors import BriefingError
    from ..indicators import entry

    try:
        read(parsed.reading, kind)
        entry(parsed.indicator)
    except BriefingError as exc:  # a register names them: report as a bad entry, with the closest names
        raise ValueError(str(exc)) from None
    if parsed.group not in GROUPS:
        close = ", ".join(difflib.get_close_matches(parsed.group, GROUPS, n=3, cutoff=0.0))
        raise ValueError(f"unknown group {parsed.group!r}: closest are {close}")
    if parsed.comparator not in COMPARATORS and not (parsed.comparator[:1] == "E" and len(parsed.comparator) == 9):
        close = ", ".join(difflib.get_close_matches(parsed.comparator, COMPARATORS, n=3, cutoff=0.0))
        raise ValueError(f"unknown comparator {parsed.comparator!r}: closest are {close}, or a GSS code")
    if kind in ("change", "share") and parsed.periods is None:
        raise ValueError(f"kind {kind!r} needs periods: [start, end]")
    if kind == "since" and (parsed.target is None) != (parsed.target_year is None):
        raise ValueError("a target needs both target and target_year")
    return parsed


@dataclass(frozen=True)
class Subject:
    """Who and when: the council (an :class:`helpers.areas.Area`) and the manifesto's date."""

    area: Any
    manifesto_date: date
    claim: str = ""


def _measure(ind: Any) -> kinds.Measure:
    base = ""
    if ind.value_type == "money" and ind.price_basis == "cash":
        from ..indicators.store import calendar_deflators, deflators

        base = (deflators() if ind.period.kind in ("financial_year", "academic_year") else calendar_deflators())[1]
    return kinds.Measure(
        title=ind.title,
        unit=ind.unit,
        polarity=ind.polarity,
        indicator_id=ind.id,
        money=ind.value_type == "money",
        price_base=base,
        value_type=ind.value_type,
        decimals=ind.decimals,
    )


def _types_text(types: Sequence[str]) -> str:
    return ", ".join(types)


def _pick_period(rows: pd.DataFrame, check: Check, when: date) -> tuple[pd.DataFrame, str]:
    """Rows of the claim's period and the ``match`` sentence."""
    if check.period is not None:
        hit = rows[(rows["period"].astype(str) == str(check.period)) | (rows["year"].astype(str) == str(check.period))]
        return hit, f"the claim's own period ({check.period})"
    ended = rows[pd.to_datetime(rows["period_end"]).dt.date <= when]
    if not ended.empty:
        y = ended["year"].max()
        return rows[rows["year"] == y], "the last period before the manifesto"
    y = rows["year"].min()
    return rows[rows["year"] == y], "data start after the manifesto: earliest period used"


def _unavailable(why: str, reason: str, **extra: Any) -> Outcome:
    return verdicts.untestable(why, reason, **extra)


def evaluate(check: Check, subject: Subject, *, pledge: bool = False) -> Outcome:
    """Run a validated check for a council: the outcome, with the card's fields filled in."""
    from .. import areas
    from ..indicators import entry, get

    ind = entry(check.indicator)
    reading = read(check.reading, check.kind)
    measure = _measure(ind)
    A = subject.area
    focus_code = check.area or A.code
    focus = areas.resolve(focus_code)
    from ..indicators.store import AREA_TYPE

    common = {"kind": check.kind, "indicator_id": ind.id, "national": check.national, "reading": check.reading}
    ftype = AREA_TYPE.get(focus.kind, focus.kind)
    if ftype not in ind.area_types and check.kind not in ("parts", "share"):
        return _unavailable(
            verdicts.OTHER_AREA_TYPES,
            f"{ind.title} is published for {_types_text(ind.area_types)}, not for a {ftype} such as {focus.name}",
            **common,
        )
    values = get(ind.id)
    mine = values[values["area_code"] == focus.code]
    if check.about == "council" and ind.measures == "area":
        latest = mine.sort_values("year").tail(1)
        what = kinds.lower_first(ind.title)
        shown = (
            f"; for context, {what} was {kinds.fmt_value(latest['value'].iloc[0], ind.unit)} in "
            f"{latest['period'].iloc[0]}"
            if not latest.empty
            else ""
        )
        return _unavailable(
            verdicts.CONTEXT_ONLY,
            f"the claim is about the council's own part, but {what} measures the whole area{shown}",
            **common,
        )
    if mine.empty and check.kind not in ("parts", "share"):
        return _unavailable(verdicts.NO_DATA_HERE, f"{ind.title} has no value for {focus.name}", **common)
    fn = {
        "level": _level,
        "compare": _compare,
        "rank": _rank,
        "parts": _parts,
        "share": _share,
        "change": _change,
        "trend": _trend,
        "since": _since,
    }[check.kind]
    try:
        out = fn(check, subject, ind, measure, reading, values, focus)
    except verdicts.NoData as exc:
        return _unavailable(verdicts.NO_DATA_HERE, str(exc), **common)
    for key, val in common.items():
        if key == "national":
            out.national = out.national or bool(val)
        elif not getattr(out, key):
            setattr(out, key, val)
    out.indicator = out.indicator or ind.title
    _flag_jumps(out, mine, ind)
    return out


def _flag_jumps(out: Outcome, rows: pd.DataFrame, ind: Any) -> None:
    """A value that moves by more than the catalogue's jump factor between adjacent periods is flagged."""
    s = rows.dropna(subset=["value"]).sort_values("year")
    if len(s) < 2:
        return
    v = s["value"].to_numpy(float)
    for i in range(1, len(v)):
        a, b = v[i - 1], v[i]
        if a > 0 and b > 0 and max(a, b) / min(a, b) > ind.jump_factor:
            p0, p1 = s["period"].iloc[i - 1], s["period"].iloc[i]
            note = f"the value moves by more than {ind.jump_factor:g}x between {p0} and {p1}: check for a series break"
            out.review = f"{out.review}; {note}" if out.review else note
            return


def _period_outcome(
    rows: pd.DataFrame, check: Check, subject: Subject, focus: Any, ind: Any
) -> tuple[pd.Series, str] | Outcome:
    mine = rows[rows["area_code"] == focus.code]
    hit, match = _pick_period(mine, check, subject.manifesto_date)
    if hit.empty:
        latest = mine.sort_values("year").tail(1)
        context = (
            f"; the data cover {mine['period'].iloc[0]} to {latest['period'].iloc[0]}, and in "
            f"{latest['period'].iloc[0]} the value was {kinds.fmt_value(latest['value'].iloc[0], ind.unit)}"
            if not latest.empty
            else ""
        )
        return verdicts.untestable(
            verdicts.OTHER_PERIOD, f"the claim is about {check.period}{context}", kind=check.kind, indicator_id=ind.id
        )
    return hit.iloc[0], match


def _level(check, subject, ind, measure, reading, values, focus) -> Outcome:
    got = _period_outcome(values, check, subject, focus, ind)
    if isinstance(got, Outcome):
        return got
    row, match = got
    out = kinds.level(row, measure, reading, stated=check.value, claim=subject.claim)
    out.match, out.period = match, str(row["period"])
    return out


def _comparator_row(values: pd.DataFrame, check: Check, subject: Subject, focus: Any, period_year: int) -> pd.Series:
    from .. import areas

    at = values[values["year"] == period_year]
    if check.comparator == "england":
        code = areas.ENGL if hasattr(areas, "ENGL") else ENGLAND
    elif check.comparator == "region":
        code = areas.region_of(focus).code
    elif check.comparator == "similar":
        peers = [a.code for a in areas.ons_neighbours(subject.area, k=10)]
        sub = at[at["area_code"].isin(peers)]
        if sub.empty:
            raise verdicts.NoData("no values for similar councils")
        return pd.Series(
            {
                "area_name": f"the median of {len(sub)} similar councils",
                "value": sub["value"].median(),
                "period": sub["period"].iloc[0],
            }
        )
    elif check.comparator == "rest":
        raise verdicts.NoData("'rest' is a comparator for parts only")
    else:
        code = check.comparator
    row = at[at["area_code"] == code]
    if row.empty:
        raise verdicts.NoData(f"no value for the comparator ({code}) in that period")
    return row.iloc[0]


def _compare(check, subject, ind, measure, reading, values, focus) -> Outcome:
    got = _period_outcome(values, check, subject, focus, ind)
    if isinstance(got, Outcome):
        return got
    row, match = got
    other = _comparator_row(values, check, subject, focus, int(row["year"]))
    out = kinds.compare(row, other, measure, reading, claim=subject.claim)
    out.match, out.period = match, str(row["period"])
    return out


def _group(values: pd.DataFrame, check: Check, subject: Subject, focus: Any) -> tuple[pd.DataFrame, str]:
    from .. import areas

    t = areas.areas_table()
    kind_of = dict(zip(t["code"], t["kind"], strict=False))
    councils = {a.code for a in areas.briefing_areas()}
    g = check.group
    if g == "councils":
        codes, name = councils, "county and single-tier councils in England"
    elif g == "same kind":
        codes = {c for c in councils if kind_of.get(c) == focus.kind}
        name = f"{focus.kind}s in England" if not focus.kind.endswith("y") else f"{focus.kind[:-1]}ies in England"
    elif g == "lower tier":
        codes = {
            c
            for c, k in kind_of.items()
            if k in ("non-metropolitan district", "unitary", "metropolitan district", "london borough")
        }
        name = "district and single-tier councils in England"
    elif g == "region":
        region = areas.region_of(focus).code
        codes = {c for c in councils if areas.resolve(c).region_code == region}
        name = f"councils in {areas.region_of(focus).name}"
    elif g == "districts":
        codes = {d.code for d in areas.districts_of(subject.area)} | {focus.code}
        name = f"districts of {subject.area.name}"
    elif g == "similar":
        codes = {a.code for a in areas.ons_neighbours(subject.area, k=10)} | {focus.code}
        name = f"{subject.area.name} and its similar councils"
    else:
        codes = {c for c, k in kind_of.items() if k == "region"}
        name = "regions of England"
    return values[values["area_code"].isin(codes)], name


def _rank(check, subject, ind, measure, reading, values, focus) -> Outcome:
    got = _period_outcome(values, check, subject, focus, ind)
    if isinstance(got, Outcome):
        return got
    row, match = got
    grp, name = _group(values, check, subject, focus)
    grp = grp[grp["year"] == row["year"]]
    out = kinds.rank(grp, focus.code, measure, reading, group_name=name, claim=subject.claim)
    out.match, out.period = match, str(row["period"])
    return out


def _part_codes(check: Check, subject: Subject) -> list[str]:
    from .. import areas

    if check.parts in (None, "districts"):
        return [d.code for d in areas.districts_of(subject.area)]
    return list(check.parts)


def _parts(check, subject, ind, measure, reading, values, focus) -> Outcome:
    codes = _part_codes(check, subject)
    whole = subject.area
    got = _period_outcome(values, check, subject, whole, ind)
    if isinstance(got, Outcome):
        return got
    row, match = got
    at = values[values["year"] == row["year"]]
    rows = at[at["area_code"].isin(codes)]
    if check.comparator == "rest":
        raise verdicts.NoData("comparing with the rest of the area needs counts, not yet supported")
    other = (
        _comparator_row(values, check, subject, whole, int(row["year"]))
        if check.comparator != "england" or True
        else None
    )
    out = kinds.parts(rows, other, measure, reading, claim=subject.claim)
    out.match, out.period = match, str(row["period"])
    return out


def _share(check, subject, ind, measure, reading, values, focus) -> Outcome:
    from .. import areas

    assert check.periods is not None
    codes = _part_codes(check, subject)
    whole = areas.resolve(check.whole) if check.whole else subject.area
    start, end = (str(p) for p in check.periods)

    def total(cs: list[str], when: str) -> float:
        r = values[values["area_code"].isin(cs) & ((values["period"] == when) | (values["year"].astype(str) == when))]
        if len(r) < len(cs):
            raise verdicts.NoData(f"values missing for {when}")
        return float(r["value"].sum())

    names = [areas.resolve(c).name for c in codes]
    out = kinds.share(
        total(codes, start),
        total(codes, end),
        total([whole.code], start),
        total([whole.code], end),
        measure,
        reading,
        part_name=" and ".join(names),
        whole_name=whole.name,
        periods=(start, end),
        claim=subject.claim,
    )
    out.match, out.period = f"the claim's own periods ({start} to {end})", f"{start} to {end}"
    return out


def _change(check, subject, ind, measure, reading, values, focus) -> Outcome:
    assert check.periods is not None
    mine = values[values["area_code"] == focus.code]
    out = kinds.change(mine, check.periods[0], check.periods[1], measure, reading, claim=subject.claim)
    out.match = out.match or f"the claim's own periods ({check.periods[0]} to {check.periods[1]})"
    return out


def _trend(check, subject, ind, measure, reading, values, focus) -> Outcome:
    mine = values[values["area_code"] == focus.code]
    if check.periods is not None:
        lo, hi = (int(str(p)[:4]) for p in check.periods)
        mine = mine[(mine["year"] >= lo) & (mine["year"] <= hi)]
    breaks = [{"year": b.year, "kind": b.kind, "reason": b.reason} for b in ind.breaks]
    out = kinds.trend(mine, measure, reading, breaks=breaks, claim=subject.claim)
    out.match = out.match or "the periods available"
    return out


def _since(check, subject, ind, measure, reading, values, focus) -> Outcome:
    mine = values[values["area_code"] == focus.code]
    excluded = tuple(b.year for b in ind.breaks if b.kind == "exclude")
    out = kinds.since(
        mine,
        subject.manifesto_date,
        measure,
        reading,
        target=check.target,
        target_year=check.target_year,
        excluded_years=excluded,
        rolling_years=ind.period.years if ind.period.kind == "rolling_years" else 1,
    )
    out.match = "since the manifesto, against its baseline"
    return out
