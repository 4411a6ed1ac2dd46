"""The one rule set that turns evidence into a claim verdict or a pledge status.

Every briefing, for every council, decides its verdicts here and nowhere else, so the same evidence always
gets the same word. The rules are printed in each briefing's caveats (:func:`rules_markdown`) and in
``docs/verdict-rules.md``.

Claims (a factual statement of the manifesto, tested as written):

* **supported** — the estimate is on the claimed side of the threshold and, where the estimate has a
  confidence interval, the whole interval is (significant at the interval's level, normally 95%);
* **partly supported** — the estimate is on the claimed side but its interval crosses the threshold (the
  direction is right, the evidence is not conclusive), or, for a ranking, the area is near but not within the
  claimed group (see :func:`judge_rank`);
* **not supported** — the estimate is on the other side of the threshold, or the claimed side is excluded by
  the interval;
* **cannot be tested** — with one of three reasons (:data:`UNTESTABLE`): *no public data* (nobody publishes
  an indicator: say what would be needed), *public data not yet used* (it is published; the project has not
  loaded it: name the publisher and dataset), or *no data for this council* (the dataset has no usable values
  for this area, e.g. suppressed counts or a council created after the data's years).

A claim tested at more than one period gets one verdict (:func:`combine_periods`): the verdict at the latest
period available when the manifesto was written (what its authors could have known); later periods are
reported in the evidence as what has happened since. With no period up to the manifesto date, the earliest
period is used.

A claim made of several parts ("A and B are more deprived than C") judges each part and combines them
(:func:`judge_parts`): supported when every part is supported, not supported when no part is even partly
supported, partly supported otherwise.

A claim that a quantity is *about* a stated value ("42% of deaths") is judged with :func:`judge_similar`:
supported when the stated value lies inside the estimate's 95% interval (no significant difference), not
supported when it lies outside. It needs an interval; without one the claim cannot be judged this way.

Pledges (a promise, tracked by an indicator):

* a trend fitted with an interval (at least three points, :func:`pledge_from_trend`): the *direction* is
  improving or worsening only when the slope's interval excludes no change, otherwise "no clear change";
  with a target, the status follows :func:`helpers.stats.on_track` (on track / off track / uncertain: the
  interval straddles the required rate); without a target, **direction only** (improving or worsening) or
  no clear change: on and off track are said only against a target the pledge states;
* two values without an interval (:func:`pledge_from_change`): status **direction only**, never on or off
  track;
* a single value (:func:`pledge_baseline`): status **baseline only**;
* no indicator: **cannot be tested**, with the same three reasons as claims.

:func:`pledge_from_series` climbs this ladder for a series of values: a fitted trend, else two values, else one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """A claim's verdict (a ``str``, so it compares equal to its text)."""

    SUPPORTED = "supported"
    PARTLY = "partly supported"
    NOT_SUPPORTED = "not supported"
    UNTESTABLE = "cannot be tested"


class Status(StrEnum):
    """A pledge's status (a ``str``, so it compares equal to its text)."""

    ON_TRACK = "on track"
    OFF_TRACK = "off track"
    UNCERTAIN = "uncertain"
    NO_CLEAR_CHANGE = "no clear change"
    DIRECTION_ONLY = "direction only"
    BASELINE_ONLY = "baseline only"
    UNTESTABLE = "cannot be tested"


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CLEAR_CHANGE = "no clear change"
    NOT_KNOWN = "not known"


CLAIM_VERDICTS = tuple(v.value for v in Verdict)
PLEDGE_STATUSES = tuple(s.value for s in Status)
DIRECTIONS = tuple(d.value for d in Direction)

NO_PUBLIC_DATA = "no public data"
NOT_YET_USED = "public data not yet used"
NO_DATA_HERE = "no data for this council"
#: The indicator exists, but only for other kinds of area (e.g. districts, not counties).
OTHER_AREA_TYPES = "the indicator exists only for other area types"
#: The data do not cover the period the claim names (what they do show is given as context).
OTHER_PERIOD = "cannot be tested for the claimed period"
#: The data measure the area's conditions, not the council's own part (context only).
CONTEXT_ONLY = "context only"
#: The data measure something other than what the claim asserts (e.g. an overall grade for one service).
OTHER_MEASURE = "the data measure something else"
UNTESTABLE = (NO_PUBLIC_DATA, NOT_YET_USED, NO_DATA_HERE, OTHER_AREA_TYPES, OTHER_PERIOD, CONTEXT_ONLY, OTHER_MEASURE)

POLARITIES = ("higher_is_better", "lower_is_better")
CLAIMED = ("above", "below")


class NoData(Exception):
    """Raised by a claim or pledge test when this council has no usable data (the message says why, in one
    sentence for readers); the register turns it into "cannot be tested: no data for this council"."""


@dataclass
class Outcome:
    """What a claim test or pledge tracker returns: the verdict (claims) or status (pledges) and its reasons.

    Attributes:
        verdict: for a claim, one of :data:`CLAIM_VERDICTS`; for a pledge, one of :data:`PLEDGE_STATUSES`.
        evidence: one sentence with the numbers behind it (computed in the run).
        rule: the rule that decided, in words (from this module).
        untestable: one of :data:`UNTESTABLE` when the verdict is "cannot be tested", else "".
        period: the data period the verdict rests on, as shown to readers (e.g. "2019", "2023-24").
        period_end: the last calendar year that period covers (an int, for comparing with the manifesto date),
            or None when there is no data.
        latest: (pledges) the latest value with its unit and period, e.g. "61.2% (2023-24)".
        direction: (pledges) one of :data:`DIRECTIONS`.
        indicator: optional override of the register's indicator text (e.g. to name the exact measure used).
        value: optional headline number (unitless float) for overview tables and maps.
        kind: the claim kind that decided (``level``, ``compare``, ``rank`` ...; "" for a hand-written test).
        indicator_id: the catalogue id of the indicator behind the verdict.
        conclusion: the conclusion in one sentence, for the claim card.
        figure: the best figure in words ("about 1 in 9 households").
        compared: what was compared with what, over which period.
        match: whether the data's period and comparator match the claim's, in words.
        review: a flag for a reviewer where the automatic verdict and its own evidence disagree ("" if none).
        knife_edge: True when a rank or comparison would change within the value's interval or the next rank.
        national: True when the evidence is the same for every council (judged once, left out of tallies).
        reading: the words of the reading table that were applied ("one of the most" -> top 10%).
    """

    verdict: str
    evidence: str
    rule: str
    untestable: str = ""
    period: str = ""
    period_end: int | None = None
    latest: str = ""
    direction: str = ""
    indicator: str = ""
    value: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # --- the claim card (filled by the claim kinds in :mod:`helpers.claims`; optional for hand-written tests)
    kind: str = ""
    indicator_id: str = ""
    conclusion: str = ""
    figure: str = ""
    compared: str = ""
    match: str = ""
    review: str = ""
    knife_edge: bool = False
    national: bool = False
    reading: str = ""

    def __post_init__(self) -> None:
        # plain Python values only: an outcome travels as JSON (scraps, manifests, exports); numpy's bool and
        # float types are not JSON
        self.knife_edge = bool(self.knife_edge)
        self.national = bool(self.national)
        if self.value is not None:
            self.value = float(self.value)
        self.extra = {str(k): _plain(v) for k, v in self.extra.items()}

    def as_dict(self) -> dict:
        return asdict(self)


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a value: numpy scalars become Python's, NaN stays a float."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _finite(*values) -> bool:
    return all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values)


def _check(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")


# --- claims -----------------------------------------------------------------------------------------------


def judge(
    estimate: float,
    threshold: float,
    *,
    claimed: str = "above",
    lower: float | None = None,
    upper: float | None = None,
    level: float = 0.95,
) -> tuple[str, str]:
    """Verdict for "the quantity is above (or below) the threshold", as ``(verdict, rule)``.

    With an interval [lower, upper] at ``level``: supported if the whole interval is on the claimed side;
    partly supported if only the estimate is; not supported otherwise. Without an interval: supported if the
    estimate is on the claimed side (a census count or a rank has no sampling error), else not supported.
    A missing estimate cannot be judged: call :func:`untestable` instead (ValueError here).
    """
    _check("claimed", claimed, CLAIMED)
    if not _finite(estimate, threshold):
        raise ValueError("judge needs an estimate and a threshold; use verdicts.untestable() when data are missing")
    sign = 1 if claimed == "above" else -1
    on_side = sign * (estimate - threshold) > 0
    pct = f"{level * 100:g}%"
    if lower is not None and upper is not None and _finite(lower, upper):
        beyond = sign * ((lower if sign == 1 else upper) - threshold) > 0
        if on_side and beyond:
            return "supported", f"estimate and its whole {pct} interval are {claimed} the threshold"
        if on_side:
            return "partly supported", f"estimate is {claimed} the threshold but its {pct} interval crosses it"
        return "not supported", f"estimate is not {claimed} the threshold"
    if on_side:
        return "supported", f"value is {claimed} the threshold (no sampling interval applies)"
    return "not supported", f"value is not {claimed} the threshold (no sampling interval applies)"


def judge_rank(rank: int, n: int, *, within: int, near: int | None = None) -> tuple[str, str]:
    """Verdict for "among the top ``within`` of ``n``" (rank 1 = most), as ``(verdict, rule)``.

    Supported if ``rank <= within``; partly supported if ``rank <= near`` (default: the top half of ``n``,
    but never fewer than ``within``); not supported otherwise. "The worst in England" is ``within=1``.
    """
    if not (_finite(rank, n) and 1 <= rank <= n):
        raise ValueError(f"rank must be between 1 and n (got rank {rank} of {n})")
    near = max(within, math.ceil(n / 2)) if near is None else max(near, within)
    if rank <= within:
        return "supported", f"ranked {rank} of {n}, within the claimed top {within}"
    if rank <= near:
        return "partly supported", f"ranked {rank} of {n}: outside the claimed top {within} but within the top {near}"
    return "not supported", f"ranked {rank} of {n}: outside the top {near}"


def judge_similar(value: float, estimate: float, lower: float, upper: float, level: float = 0.95) -> tuple[str, str]:
    """Verdict for "the quantity is about ``value``" or "similar to ``value``" (e.g. "42% of deaths", "similar
    to England"), as ``(verdict, rule)``: supported if ``value`` lies inside the estimate's interval (no
    significant difference), not supported if outside. An interval is required: without one a point estimate
    never equals a claimed value exactly (ValueError; use :func:`untestable`)."""
    if not _finite(value, estimate, lower, upper):
        raise ValueError("judge_similar needs a value, an estimate and its interval")
    pct = f"{level * 100:g}%"
    if lower <= value <= upper:
        return "supported", f"the claimed value lies inside the estimate's {pct} interval (no significant difference)"
    side = "below" if value < lower else "above"
    return "not supported", f"the claimed value lies {side} the estimate's {pct} interval (a significant difference)"


def judge_trend(trend, *, claimed: str = "rising") -> tuple[str, str]:
    """Verdict for "the quantity is rising (or falling)" from a :class:`helpers.stats.TrendResult`."""
    _check("claimed", claimed, ("rising", "falling"))
    estimate, lower, upper = trend.change
    verdict, _ = judge(
        estimate,
        0.0,
        claimed="above" if claimed == "rising" else "below",
        lower=lower,
        upper=upper,
        level=trend.confidence,
    )
    rule = {
        "supported": f"the trend's {trend.confidence:.0%} interval excludes no change, {claimed}",
        "partly supported": f"the trend is {claimed} but its {trend.confidence:.0%} interval includes no change",
        "not supported": f"the trend is not {claimed}",
    }[verdict]
    return verdict, rule


def judge_parts(parts: list[tuple[str, str]], what: str = "parts") -> tuple[str, str]:
    """One verdict for a claim made of several parts (e.g. "A *and* B are more deprived than C"), each judged
    with :func:`judge`/:func:`judge_rank`/:func:`judge_trend`, as ``(verdict, rule)``.

    Rule: supported if every part is supported; not supported if no part is supported or partly supported;
    partly supported otherwise (some parts hold, or all hold only partly).
    """
    if not parts:
        raise ValueError("judge_parts needs at least one (verdict, rule) part")
    for verdict, _ in parts:
        _check("verdict", verdict, (Verdict.SUPPORTED, Verdict.PARTLY, Verdict.NOT_SUPPORTED))
    held = sum(v == Verdict.SUPPORTED for v, _ in parts)
    some = sum(v in (Verdict.SUPPORTED, Verdict.PARTLY) for v, _ in parts)
    n = len(parts)
    if held == n:
        return Verdict.SUPPORTED, f"all {n} {what} hold"
    if some == 0:
        return Verdict.NOT_SUPPORTED, f"none of the {n} {what} holds"
    return Verdict.PARTLY, f"{held} of {n} {what} hold fully, {some - held} in part"


def claim(
    verdict_and_rule: tuple[str, str], evidence: str, *, period: str = "", period_end: int | None = None, **extra
) -> Outcome:
    """Wrap a ``(verdict, rule)`` from :func:`judge`/:func:`judge_rank`/:func:`judge_trend` as an Outcome."""
    verdict, rule = verdict_and_rule
    _check("verdict", verdict, CLAIM_VERDICTS)
    return Outcome(verdict=verdict, evidence=evidence, rule=rule, period=period, period_end=period_end, **extra)


def untestable(why: str, reason: str, *, pledge: bool = False, **extra) -> Outcome:
    """A claim or pledge that cannot be tested, with one of the three kinds of :data:`UNTESTABLE`.

    ``reason`` says, for *no public data*, what would be needed; for *public data not yet used*, the publisher
    and dataset; for *no data for this council*, why this council has none.
    """
    _check("why", why, UNTESTABLE)
    if not reason or not reason.strip():
        raise ValueError("say why the claim or pledge cannot be tested")
    rule = {
        NO_PUBLIC_DATA: "no public indicator exists",
        NOT_YET_USED: "a public indicator exists but is not used in this collection yet",
        NO_DATA_HERE: "the dataset has no usable values for this council",
        OTHER_AREA_TYPES: "the indicator is published only for other kinds of area",
        OTHER_PERIOD: "the data do not cover the period the claim names",
        CONTEXT_ONLY: "the data describe the whole area, not the council's own part",
        OTHER_MEASURE: "the data measure something other than what the claim asserts",
    }[why]
    out = Outcome(verdict="cannot be tested", evidence=reason.strip(), rule=rule, untestable=why, **extra)
    if pledge:
        out.direction = out.direction or "not known"
    return out


def combine_periods(outcomes: list[tuple[int, Outcome]], manifesto_year: int) -> Outcome:
    """One verdict for a claim tested at several periods (``[(period_end, outcome), ...]``).

    Rule: the verdict is the one at the latest period ending on or before the manifesto year (what its
    authors could have known); if none, the earliest period. The evidence of every period is kept, in time
    order, so the reader sees what has happened since.
    """
    testable = [(y, o) for y, o in outcomes if o.verdict != "cannot be tested"]
    if not testable:
        if not outcomes:
            raise ValueError("combine_periods needs at least one outcome")
        return outcomes[0][1]
    testable.sort(key=lambda p: p[0])
    before = [p for p in testable if p[0] <= manifesto_year]
    year, chosen = before[-1] if before else testable[0]
    parts = [chosen.evidence]
    for y, o in testable:
        if o is not chosen:
            parts.append(f"{'Since then' if y > year else 'Earlier'}: {o.evidence}")
    evidence = " ".join(parts)
    rule = (
        f"{chosen.rule}; judged at the latest period available by {manifesto_year}"
        if before
        else f"{chosen.rule}; judged at the earliest period (none before {manifesto_year})"
    )
    return Outcome(**{**chosen.as_dict(), "evidence": evidence, "rule": rule})


# --- pledges ----------------------------------------------------------------------------------------------


def trend_direction(trend, polarity: str) -> str:
    """improving / worsening when the slope's interval excludes no change, else "no clear change"."""
    _check("polarity", polarity, POLARITIES)
    _, lower, upper = trend.change
    good = 1 if polarity == "higher_is_better" else -1
    if good * lower > 0 and good * upper > 0:
        return "improving"
    if good * lower < 0 and good * upper < 0:
        return "worsening"
    return "no clear change"


def change_direction(first: float, last: float, polarity: str) -> str:
    """improving / worsening / no clear change for a two-point change (no interval: direction only)."""
    _check("polarity", polarity, POLARITIES)
    if not _finite(first, last):
        return "not known"
    if last == first:
        return "no clear change"
    good = (last > first) == (polarity == "higher_is_better")
    return "improving" if good else "worsening"


def pledge_from_trend(
    trend,
    *,
    polarity: str,
    latest: str,
    evidence: str,
    period: str = "",
    period_end: int | None = None,
    target: float | None = None,
    target_year: float | None = None,
    start_value: float | None = None,
    start_year: float | None = None,
    **extra,
) -> Outcome:
    """Status of a pledge tracked by a fitted trend (see the module docstring for the rule)."""
    direction = trend_direction(trend, polarity)
    if target is not None:
        from .stats import on_track

        if target_year is None or start_value is None or start_year is None:
            raise ValueError("a target needs target_year, start_value and start_year")
        if not _finite(target_year, start_value, start_year):
            raise ValueError("a target needs target_year, start_value and start_year")
        result = on_track(
            trend, start_value, start_year, target, target_year, lower_is_better=polarity == "lower_is_better"
        )
        status = result.status
        rule = (
            f"observed trend ({trend.confidence:.0%} interval) against the rate needed to reach the target by "
            f"{int(target_year)}: {result.summary}"
        )
    else:
        # on track and off track are said only against a target the pledge states (the register's)
        status = Status.NO_CLEAR_CHANGE if direction == "no clear change" else Status.DIRECTION_ONLY
        rule = f"no target: direction of the trend at {trend.confidence:.0%} ({direction}), never on or off track"
    return Outcome(
        verdict=status,
        evidence=evidence,
        rule=rule,
        period=period,
        period_end=period_end,
        latest=latest,
        direction=direction,
        **extra,
    )


def pledge_from_change(
    first: float,
    last: float,
    *,
    polarity: str,
    latest: str,
    evidence: str,
    period: str = "",
    period_end: int | None = None,
    **extra,
) -> Outcome:
    """Status of a pledge tracked by a two-point change with no interval: "direction only"."""
    return Outcome(
        verdict="direction only",
        evidence=evidence,
        rule="two values without an interval: direction of travel only, never on or off track",
        period=period,
        period_end=period_end,
        latest=latest,
        direction=change_direction(first, last, polarity),
        **extra,
    )


def pledge_baseline(*, latest: str, evidence: str, period: str = "", period_end: int | None = None, **extra) -> Outcome:
    """Status of a pledge with a single value so far: "baseline only"."""
    return Outcome(
        verdict="baseline only",
        evidence=evidence,
        rule="a single value: a baseline to track against, no direction yet",
        period=period,
        period_end=period_end,
        latest=latest,
        direction="not known",
        **extra,
    )


def pledge_from_series(
    trend,
    values: list[float],
    *,
    polarity: str,
    latest: str,
    evidence: str,
    describe_trend,
    period: str = "",
    period_end: int | None = None,
    trend_period=None,
    **extra,
) -> Outcome:
    """The status ladder for a pledge tracked by a series (one place, so every briefing climbs it the same way).

    ``trend``: what :func:`helpers.stats.try_fit_trend` returned for the series (a fit, or a falsy gap with a
    ``reason``); ``values``: the series' values in time order (first and last are compared when no trend could be
    fitted). A fitted trend gives :func:`pledge_from_trend`, with ``describe_trend(trend)`` (a sentence) added to
    ``evidence``; else two or more values give :func:`pledge_from_change` (direction only) and one value
    :func:`pledge_baseline`, with the reason no trend was fitted added to the evidence. ``trend_period(trend)``,
    when given, words the period of a fitted trend (the years it used, e.g. without a Covid year)."""
    if trend:
        return pledge_from_trend(
            trend,
            polarity=polarity,
            latest=latest,
            evidence=f"{evidence} {describe_trend(trend)}".strip(),
            period=trend_period(trend) if trend_period else period,
            period_end=period_end,
            **extra,
        )
    reason = getattr(trend, "reason", "")
    text = f"{evidence} No trend: {reason}." if reason else evidence
    if len(values) >= 2:
        return pledge_from_change(
            float(values[0]),
            float(values[-1]),
            polarity=polarity,
            latest=latest,
            evidence=text,
            period=period,
            period_end=period_end,
            **extra,
        )
    if len(values) == 1:
        return pledge_baseline(latest=latest, evidence=text, period=period, period_end=period_end, **extra)
    raise NoData(f"no values to track ({reason})" if reason else "no values to track")


# --- wording ----------------------------------------------------------------------------------------------


def p_text(p: float) -> str:
    """A p-value as readers should see it: ``p < 0.001`` rather than ``p = 0.00``."""
    if not _finite(p):
        return "p not available"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def rules_markdown() -> str:
    """The rule set in a few lines, for each briefing's caveats."""
    return (
        "**How verdicts and statuses are decided** (the same rules in every briefing):\n"
        "- A claim is *supported* when the estimate and its whole 95% interval are on the claimed side; "
        "*partly supported* when only the estimate is (or, for a ranking, the area is near the claimed group); "
        "*not supported* otherwise. Values with no sampling error (counts, ranks) are judged on the value.\n"
        "- A claim tested at several periods is judged at the latest period available when the manifesto was "
        "written; later periods are reported as what has happened since.\n"
        "- A pledge tracked by a trend of three or more points is *improving* or *worsening* only when the "
        "trend's 95% interval excludes no change; with a target it is *on track*, *off track* or *uncertain* "
        "against the rate needed. Two values with no interval give *direction only*; one value, *baseline only*.\n"
        "- *Cannot be tested* always says why: *no public data*, *public data not yet used* (named), or *no data "
        "for this council*."
    )
