"""The claim kinds: a handful of generic, typed tests, each frame in and :class:`~helpers.verdicts.Outcome` out.

Every kind reads the claim's words through the reading table (:mod:`helpers.claims.reading`) and decides
through the one rule set (:mod:`helpers.verdicts`). Inputs are rows of the indicator store (columns
``area_code, area_name, period, year, value, lower, upper, series``, and ``value_real`` for money), so a kind
never loads data: :mod:`helpers.claims.run` picks the rows a register entry names and calls the kind. Each kind
is tested against a table of constructed cases (``tests/claims/cases_*.csv``), as PHEindicatormethods is.

``level``   a value against a stated threshold or value ("many", "about 42%", "more than 1 in 10")
``compare`` a value against a comparator (England, the region, similar councils, a named area)
``rank``    a position in a named group ("one of the highest", "the worst in England")
``parts``   named places against a comparator ("Fenland and Wisbech are more deprived than the county")
``share``   a part's share of a change against its share of the whole ("too much of the growth")
``change``  between two named periods, with a materiality threshold; money in real terms as well as cash
``trend``   a fitted trend over the periods, respecting declared breaks
``since``   (pledges) values after the manifesto date against the value at that date, against a target if any
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from .. import verdicts
from ..verdicts import Direction, Outcome, Status, Verdict
from .reading import Reading

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
#: Two values within this relative distance are "next to each other": a rank verdict that changes by swapping
#: with such a neighbour across the claimed group's edge is flagged as a knife edge.
NEXT_RANK_MARGIN = 0.02


@dataclass(frozen=True)
class Measure:
    """What the values are: title, unit and polarity (from the indicator catalogue)."""

    title: str
    unit: str
    polarity: str = "no_judgement"
    indicator_id: str = ""
    money: bool = False
    price_base: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: the catalogue's value type ("" when not known): only a proportion of people is put in words as "1 in N"
    value_type: str = ""
    #: decimal places to show (None: the default for the size of the value)
    decimals: int | None = None

    def fmt(self, value: float | None) -> str:
        return fmt_value(value, self.unit, self.decimals)

    def words(self, value: float | None) -> str:
        if self.value_type not in ("", "proportion"):
            return self.fmt(value)
        return in_words(value, self.unit) if self.decimals is None else in_words(value, self.unit, self.decimals)


# --- wording ------------------------------------------------------------------------------------------------


def fmt_value(value: float | None, unit: str, dp: int | None = None) -> str:
    """A value with its unit as people write it: 11.4%, £1,234, 7.6 (ratio), 58.2 journeys per head."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if dp is None:
        dp = 0 if abs(value) >= 1000 else 1
    if unit == "%":
        return f"{value:,.{dp}f}%"
    if unit.startswith("£"):
        rest = unit[1:].strip()
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(value):,.{dp}f}{(' ' + rest) if rest else ''}"
    if unit in ("ratio", "index", "score", ""):
        return f"{value:,.{dp}f}"
    return f"{value:,.{dp}f} {unit}"


def lower_first(title: str) -> str:
    """A title inside a sentence: "Households in fuel poverty" -> "households in fuel poverty"; a leading acronym
    or name ("GDHI per head", "England's ...") is kept as it is."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and (first[1:2].isupper() or not first[1:].islower()):
        return title
    return title[:1].lower() + title[1:]


def signed(change: float, unit: str) -> str:
    """A change with its sign and unit: +2.1 points (of a percentage), -£3.4 million, +1.2 journeys per head."""
    if unit == "%":
        return f"{change:+,.1f} points"
    text = fmt_value(abs(change), unit)
    return ("+" if change >= 0 else "-") + text


def in_words(value: float | None, unit: str, dp: int | None = None) -> str:
    """The best figure in words: 11.4% -> "about 1 in 9"; 62% -> "about 6 in 10"; else the value itself."""
    if value is None or not math.isfinite(value):
        return "not available"
    if unit == "%" and 0 < value < 100:
        if value < 50:
            n = round(100 / value)
            return f"about 1 in {n}" if n > 1 else "about half"
        return f"about {round(value / 10)} in 10"
    return fmt_value(value, unit, dp)


def _interval(lower: Any, upper: Any, unit: str) -> str:
    if _ok(lower) and _ok(upper):
        return f" (95% interval {fmt_value(lower, unit)} to {fmt_value(upper, unit)})"
    return ""


def _ok(x: Any) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and not pd.isna(x)


def _conclusion(verdict: str, claim: str, finding: str) -> str:
    leads: dict[str, str] = {
        Verdict.SUPPORTED: "The data support the claim",
        Verdict.PARTLY: "The data partly support the claim",
        Verdict.NOT_SUPPORTED: "The data do not support the claim",
    }
    lead = leads.get(verdict, "The claim cannot be tested")
    # the card's title is the claim: the conclusion does not repeat it
    return f"{lead}: {finding}."


def _row(frame: pd.DataFrame, what: str) -> pd.Series:
    if frame.empty:
        raise verdicts.NoData(f"no value for {what}")
    return frame.iloc[0]


# --- level --------------------------------------------------------------------------------------------------


def level(
    row: pd.Series, measure: Measure, reading: Reading, *, stated: float | None = None, claim: str = ""
) -> Outcome:
    """A value against a threshold: the reading's (``many`` = at least 10 for a proportion) or ``stated``.

    above/below: :func:`helpers.verdicts.judge` (the whole 95% interval on the claimed side = supported);
    about: the stated value inside the 95% interval, or within the reading's tolerance when there is none."""
    value, lower, upper = row["value"], row.get("lower"), row.get("upper")
    where = f"{row.get('area_name', '')} in {row.get('period', '')}".strip()
    shown = measure.fmt(value) + _interval(lower, upper, measure.unit)
    if reading.side == "about":
        if stated is None:
            raise ValueError("an 'about' claim states its value (params: value)")
        if _ok(lower) and _ok(upper):
            v, rule = verdicts.judge_similar(stated, value, float(lower or 0), float(upper or 0))
        else:
            tol = reading.tolerance or 0.0
            near = abs(value - stated) <= tol * abs(stated)
            v = Verdict.SUPPORTED if near else Verdict.NOT_SUPPORTED
            stated_text = measure.fmt(stated)
            rule = f"the value is {'within' if near else 'more than'} {tol:.0%} of the stated {stated_text}"
        compared = f"{where}: {shown} against the stated {measure.fmt(stated)}"
    else:
        threshold = stated if stated is not None else reading.threshold
        if threshold is None:
            raise ValueError("this reading needs a stated value (params: value)")
        claimed = "above" if reading.side == "above" else "below"
        v, rule = verdicts.judge(value, threshold, claimed=claimed, lower=lower, upper=upper)
        compared = f"{where}: {shown} against a threshold of {measure.fmt(threshold)}"
    figure = measure.words(value)
    finding = (
        f"{measure.title} was {shown}, {figure}" if figure != measure.fmt(value) else f"{measure.title} was {shown}"
    )
    return Outcome(
        verdict=v,
        evidence=f"{finding} ({where}).",
        rule=rule,
        kind="level",
        figure=figure,
        compared=compared,
        conclusion=_conclusion(v, claim, finding),
        value=float(value),
    )


# --- compare ------------------------------------------------------------------------------------------------


def _claimed_side(side: str | None, polarity: str) -> str:
    if side in ("above", "below"):
        return side
    if side in ("worse", "better"):
        if polarity == "no_judgement":
            raise ValueError("'better' or 'worse' needs an indicator with a polarity (higher or lower is better)")
        good_high = polarity == "higher_is_better"
        return "above" if (side == "better") == good_high else "below"
    raise ValueError(f"side {side!r} is not a direction")


def compare(row: pd.Series, comparator: pd.Series, measure: Measure, reading: Reading, *, claim: str = "") -> Outcome:
    """A value against a comparator's value (Fingertips: the area's 95% interval against the comparator's
    value). ``ratio`` in the reading asks for a margin ("much higher than" = at least 20% higher)."""
    value, lower, upper = row["value"], row.get("lower"), row.get("upper")
    base = comparator["value"]
    if not (_ok(value) and _ok(base)):
        raise verdicts.NoData("no value for the area or its comparator")
    shown = measure.fmt(value) + _interval(lower, upper, measure.unit)
    other = f"{comparator.get('area_name', 'the comparator')} {measure.fmt(base)}"
    compared = (
        f"{row.get('area_name', '')} against {comparator.get('area_name', 'the comparator')}, {row.get('period', '')}"
    )
    knife = False
    if reading.side == "similar":
        if _ok(lower) and _ok(upper):
            v, rule = verdicts.judge_similar(base, value, float(lower or 0), float(upper or 0))
        else:
            tol = reading.tolerance if reading.tolerance is not None else 0.05
            near = abs(value - base) <= tol * abs(base)
            v = Verdict.SUPPORTED if near else Verdict.NOT_SUPPORTED
            rule = f"without an interval, similar means within {tol:.0%} of the comparator"
    else:
        claimed = _claimed_side(reading.side, measure.polarity)
        threshold = base * reading.ratio if reading.ratio else base
        v, rule = verdicts.judge(value, threshold, claimed=claimed, lower=lower, upper=upper)
        if reading.ratio:
            rule += f" (the threshold is the comparator x {reading.ratio:g})"
        knife = not (_ok(lower) and _ok(upper)) and abs(value - threshold) <= 0.01 * abs(threshold)
    finding = f"{measure.title} was {shown} in {row.get('area_name', '')} against {other} ({row.get('period', '')})"
    return Outcome(
        verdict=v,
        evidence=finding + ".",
        rule=rule,
        kind="compare",
        figure=measure.words(value),
        compared=compared,
        conclusion=_conclusion(v, claim, finding),
        knife_edge=bool(knife),
        value=float(value),
    )


# --- rank ---------------------------------------------------------------------------------------------------


def _descending(end: str | None, polarity: str) -> bool:
    """True when rank 1 is the highest value."""
    if end == "highest":
        return True
    if end == "lowest":
        return False
    if polarity == "no_judgement":
        raise ValueError(f"'{end}' needs an indicator with a polarity (higher or lower is better)")
    worst_is_high = polarity == "lower_is_better"
    return worst_is_high if end == "worst" else not worst_is_high


def rank(
    group: pd.DataFrame, area_code: str, measure: Measure, reading: Reading, *, group_name: str, claim: str = ""
) -> Outcome:
    """The area's position in ``group`` (one row per member, the area among them) against the reading's claimed
    group and partly band. Reports the distance to the cut-off, and flags a knife edge when the verdict would
    change at the next rank either way or anywhere within the value's 95% interval."""
    g = group.dropna(subset=["value"]).drop_duplicates("area_code")
    if area_code not in set(g["area_code"]):
        raise verdicts.NoData(f"no value for this council among {group_name}")
    desc = _descending(reading.end, measure.polarity)
    vals = g.set_index("area_code")["value"]
    me = vals.loc[area_code]
    others = vals.drop(area_code)
    beats = (others > me) if desc else (others < me)
    r, n = int(beats.sum()) + 1, len(vals)
    top, near = reading.group_size(n)

    def verdict_at(k: int) -> str:
        return Verdict.SUPPORTED if k <= top else Verdict.PARTLY if k <= near else Verdict.NOT_SUPPORTED

    v = verdict_at(r)
    ordered = vals.sort_values(ascending=not desc)
    cutoff = float(ordered.iloc[top - 1])
    # next rank: the verdict would change by swapping places with a neighbour across a boundary whose value is
    # within NEXT_RANK_MARGIN of this council's
    knife = False
    for k in (r - 1, r + 1):
        if 1 <= k <= n and verdict_at(k) != v:
            neighbour = float(ordered.iloc[k - 1])
            knife = knife or abs(neighbour - me) <= NEXT_RANK_MARGIN * max(abs(me), 1e-12)
    row = g.set_index("area_code").loc[area_code]
    lo, hi = row.get("lower"), row.get("upper")
    if _ok(lo) and _ok(hi):
        if desc:
            r_best, r_worst = int((others > hi).sum()) + 1, int((others > lo).sum()) + 1
        else:
            r_best, r_worst = int((others < lo).sum()) + 1, int((others < hi).sum()) + 1
        knife = knife or verdict_at(r_best) != verdict_at(r_worst)
    dist = me - cutoff
    side = {True: "highest", False: "lowest"}[desc]
    claimed = f"{'the ' + side if top == 1 else f'the {side} {top}'} of {n}"
    rule = (
        f"ranked {r} of {n} {group_name} (1 = {side}); the claim's words read as {reading.describe()}, i.e. within "
        f"{claimed} ({near} for partly)"
    )
    finding = (
        f"{row.get('area_name', area_code)} ranked {r} of {n} {group_name} (1 = the {side}) on "
        f"{lower_first(measure.title)}: {measure.fmt(me)} in {row.get('period', '')}"
    )
    if r > top:
        finding += f"; the cut-off for the claimed group (rank {top}) is {measure.fmt(cutoff)}"
    return Outcome(
        verdict=v,
        evidence=finding
        + (
            "; the verdict is on a knife edge (it changes at the next rank or within the value's interval)"
            if knife
            else ""
        )
        + ".",
        rule=rule,
        kind="rank",
        figure=f"ranked {r} of {n}",
        compared=f"{row.get('area_name', area_code)} against {n} {group_name}, {row.get('period', '')}",
        conclusion=_conclusion(v, claim, finding),
        knife_edge=bool(knife),
        value=float(me),
        extra={
            "rank": r,
            "n": n,
            "cutoff_rank": top,
            "partly_rank": near,
            "cutoff_value": cutoff,
            "distance": float(dist),
        },
    )


# --- parts --------------------------------------------------------------------------------------------------


def parts(rows: pd.DataFrame, comparator: pd.Series, measure: Measure, reading: Reading, *, claim: str = "") -> Outcome:
    """Each named place (``rows``) against the comparator; one verdict by :func:`helpers.verdicts.judge_parts`."""
    if rows.empty:
        raise verdicts.NoData("no value for the named places")
    cmp_reading = reading.model_copy(update={"kind": "compare"})
    results = [compare(r, comparator, measure, cmp_reading) for _, r in rows.iterrows()]
    v, rule = verdicts.judge_parts([(o.verdict, o.rule) for o in results], what="places")
    listed = "; ".join(f"{r.get('area_name', '')} {measure.fmt(r['value'])}" for _, r in rows.iterrows())
    finding = (
        f"{measure.title} in {rows['period'].iloc[0] if 'period' in rows else ''}: {listed}, against "
        f"{comparator.get('area_name', 'the comparator')} {measure.fmt(comparator['value'])}"
    )
    return Outcome(
        verdict=v,
        evidence=finding + ". " + " ".join(o.evidence for o in results),
        rule=rule,
        kind="parts",
        figure=", ".join(f"{r.get('area_name', '')} {measure.fmt(r['value'])}" for _, r in rows.iterrows()),
        compared=f"{', '.join(str(x) for x in rows['area_name'])} against {comparator.get('area_name', '')}, "
        f"{comparator.get('period', '')}",
        conclusion=_conclusion(
            v, claim, f"{finding} ({sum(o.verdict == Verdict.SUPPORTED for o in results)} of {len(results)} hold)"
        ),
        knife_edge=any(o.knife_edge for o in results),
    )


# --- share --------------------------------------------------------------------------------------------------


def share(
    part_start: float,
    part_end: float,
    whole_start: float,
    whole_end: float,
    measure: Measure,
    reading: Reading,
    *,
    part_name: str,
    whole_name: str,
    periods: tuple[str, str],
    claim: str = "",
) -> Outcome:
    """A part's share of the whole's change against its share of the whole at the start ("too much of the
    growth is in X"): supported when the excess is at least the reading's margin (percentage points), partly
    when positive but smaller, not supported otherwise."""
    change = whole_end - whole_start
    if not all(_ok(x) for x in (part_start, part_end, whole_start, whole_end)):
        raise verdicts.NoData("values missing for the part or the whole")
    if change <= 0:
        raise verdicts.NoData(f"{whole_name} did not grow between {periods[0]} and {periods[1]}")
    of_change = 100 * (part_end - part_start) / change
    of_whole = 100 * part_start / whole_start
    excess = of_change - of_whole
    margin = reading.margin or 0.0
    v = Verdict.SUPPORTED if excess >= margin else Verdict.PARTLY if excess > 0 else Verdict.NOT_SUPPORTED
    finding = (
        f"{part_name} had {of_change:.1f}% of {whole_name}'s growth in {lower_first(measure.title)} from {periods[0]} "
        f"to {periods[1]}, against {of_whole:.1f}% of {whole_name} in {periods[0]}"
    )
    return Outcome(
        verdict=v,
        evidence=finding + ".",
        rule=f"share of the change minus share of the whole = {excess:+.1f} points (counts from {margin:g})",
        kind="share",
        figure=f"{of_change:.0f}% of the growth from {of_whole:.0f}% of the base",
        compared=f"{part_name} against the whole {whole_name}, {periods[0]} to {periods[1]}",
        conclusion=_conclusion(v, claim, finding),
        knife_edge=bool(abs(excess - margin) < 1.0),
        value=float(excess),
    )


# --- change -------------------------------------------------------------------------------------------------


def change(
    series: pd.DataFrame, start: Any, end: Any, measure: Measure, reading: Reading, *, claim: str = ""
) -> Outcome:
    """The change between two named periods (``start``/``end`` as period start years or labels).

    Relative change of at least the reading's materiality on the claimed side = supported; on the claimed side
    but smaller = partly supported (and a knife edge); otherwise not supported. Money is judged in real terms
    (``value_real``), with cash shown beside it. Periods in different series (a declared break between them)
    cannot be compared."""
    a, b = _at(series, start), _at(series, end)
    if a is None or b is None:
        missing = start if a is None else end
        raise verdicts.NoData(f"no value for {missing}")
    if "series" in series.columns and a.get("series") != b.get("series"):
        return verdicts.untestable(
            verdicts.OTHER_MEASURE,
            f"a declared series break lies between {a['period']} and {b['period']}: the values are not comparable",
            kind="change",
        )
    col = "value_real" if measure.money and _ok(a.get("value_real")) and _ok(b.get("value_real")) else "value"
    va, vb = float(a[col]), float(b[col])
    if va == 0:
        raise verdicts.NoData("the starting value is zero: a relative change is undefined")
    rel = (vb - va) / abs(va)
    up = reading.side == "up"
    on_side = rel > 0 if up else rel < 0
    mat = reading.materiality or 0.0
    if on_side and abs(rel) >= mat:
        v = Verdict.SUPPORTED
    elif on_side:
        v = Verdict.PARTLY
    else:
        v = Verdict.NOT_SUPPORTED
    basis = f" in real terms ({measure.price_base})" if col == "value_real" else ""
    cash = ""
    if col == "value_real":
        cash_rel = (float(b["value"]) - float(a["value"])) / abs(float(a["value"]))
        ca, cb = measure.fmt(float(a["value"])), measure.fmt(float(b["value"]))
        cash = f"; in cash, {ca} to {cb} ({cash_rel:+.1%})"
    finding = (
        f"{measure.title}{basis} went from {measure.fmt(va)} in {a['period']} to "
        f"{measure.fmt(vb)} in {b['period']} ({rel:+.1%}){cash}"
    )
    return Outcome(
        verdict=v,
        evidence=finding + ".",
        rule=(
            f"a change of at least {mat:.0%} {'up' if up else 'down'} counts; smaller changes on the claimed side "
            "are partly supported"
        ),
        kind="change",
        figure=f"{rel:+.0%}",
        compared=f"{a['period']} against {b['period']}{basis}",
        conclusion=_conclusion(v, claim, finding),
        knife_edge=bool(on_side and abs(rel) < mat),
        value=float(rel * 100),
        period=str(b["period"]),
    )


def _at(series: pd.DataFrame, when: Any) -> pd.Series | None:
    s = series.dropna(subset=["value"])
    hit = s[(s["period"].astype(str) == str(when)) | (s["year"].astype(str) == str(when))]
    return None if hit.empty else hit.iloc[0]


# --- trend --------------------------------------------------------------------------------------------------


def trend(
    series: pd.DataFrame, measure: Measure, reading: Reading, *, breaks: list[dict] | tuple = (), claim: str = ""
) -> Outcome:
    """A straight-line trend (statsmodels OLS, 95% interval) over the series' latest comparable run, with
    declared breaks respected; :func:`helpers.verdicts.judge_trend` decides. A fit whose interval has zero width
    (e.g. whole-number values on a perfect line) is not a result: it cannot be tested."""
    from ..stats import try_fit_trend
    from ..stats.trends import TrendResult

    s = series.dropna(subset=["value"]).sort_values("year")
    if "series" in s.columns and not s.empty:
        s = s[s["series"] == s["series"].max()]
    fit = try_fit_trend(s["year"], s["value"], kind="ols", breaks=breaks)
    if not isinstance(fit, TrendResult):
        raise verdicts.NoData(getattr(fit, "reason", "too few points for a trend"))
    est, lo, hi = fit.change
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 1e-12:
        return verdicts.untestable(
            verdicts.OTHER_MEASURE,
            f"the fitted trend's interval has zero width ({fit.n} points on an exact line): no uncertainty can be "
            "stated, so no trend is claimed",
            kind="trend",
            review="degenerate trend fit",
        )
    v, rule = verdicts.judge_trend(fit, claimed="rising" if reading.side == "up" else "falling")
    finding = (
        f"{measure.title} changed by {est:+.2f} {'percentage points' if measure.unit == '%' else measure.unit} a "
        f"year (95% interval {lo:+.2f} to {hi:+.2f}) over "
        f"{fit.years_text}"
    )
    return Outcome(
        verdict=v,
        evidence=finding + f". {fit.assumptions}",
        rule=rule,
        kind="trend",
        figure=f"{est:+.2f} a year",
        compared=f"the trend over {fit.years_text}",
        conclusion=_conclusion(v, claim, finding),
        knife_edge=v == Verdict.PARTLY,
        value=float(est),
    )


# --- since (pledges) ----------------------------------------------------------------------------------------


def _midpoint(row: pd.Series) -> date:
    a, b = date.fromisoformat(str(row["period_start"])), date.fromisoformat(str(row["period_end"]))
    return a + (b - a) / 2


def since(
    series: pd.DataFrame,
    manifesto_date: date,
    measure: Measure,
    reading: Reading,
    *,
    target: float | None = None,
    target_year: int | None = None,
    excluded_years: tuple[int, ...] = (),
    rolling_years: int = 1,
) -> Outcome:
    """A pledge's status from values after the manifesto date against the value at that date.

    The baseline is the latest value whose period's midpoint is before the manifesto date, leaving out periods
    declared abnormal (a Covid-19 year: a rebound is judged against the pre-Covid level). Later values are those
    whose midpoint is after it; overlapping rolling periods are thinned so that no two compared periods overlap.
    No later value: "baseline only". With a target (stated or implied by the pledge, in the register): on track
    when the change since the baseline is at least the pace needed to reach the target by its year, off track
    otherwise. Without one: "direction only", improving or worsening by at least the materiality."""
    s = series.dropna(subset=["value"]).sort_values("year")
    s = s[~s["year"].isin(excluded_years)]
    if s.empty:
        raise verdicts.NoData("no values")
    broken_at = ""
    if "series" in s.columns and s["series"].nunique() > 1:
        # never across a declared break: the latest comparable series only (its first value is the baseline when
        # it starts after the manifesto, and the evidence says so)
        latest = s[s["series"] == s["series"].max()]
        broken_at = str(latest["period"].iloc[0])
        s = latest
    col = "value"
    if measure.money and s["value_real"].notna().any():
        # money is judged in real terms: periods the deflator does not reach yet are left out (and said)
        beyond = s[s["value_real"].isna()]
        s, col = s[s["value_real"].notna()], "value_real"
        if not beyond.empty:
            note = f" ({', '.join(map(str, beyond['period']))} not yet covered by the GDP deflator: left out)"
            measure = Measure(**{**measure.__dict__, "price_base": f"{measure.price_base}{note}"})
    mids = s.apply(_midpoint, axis=1)
    before, after = s[mids < manifesto_date], s[mids >= manifesto_date]
    basis = f" in real terms ({measure.price_base})" if col == "value_real" else ""
    if before.empty:
        base = after.iloc[0]
        after = after.iloc[1:]
        base_words = "the first comparable value since the manifesto"
        if broken_at:
            base_words += f": the series breaks at {broken_at}"
    else:
        base = before.iloc[-1]
        base_words = "the manifesto's baseline"
    if rolling_years > 1 and not after.empty:
        keep = [y for y in after["year"] if (y - int(base["year"])) % rolling_years == 0 and y > base["year"]]
        after = after[after["year"].isin(keep)]
    tracker = {
        "baseline_value": float(base["value"]),
        "baseline_period": str(base["period"]),
        "unit": measure.unit,
    }
    if after.empty:
        return Outcome(
            verdict=Status.BASELINE_ONLY,
            evidence=f"{measure.title} was {measure.fmt(base['value'])} in {base['period']}; no value "
            f"since the manifesto ({manifesto_date:%B %Y}) is published yet.",
            rule="no value after the manifesto date: a baseline to track against",
            kind="since",
            direction=Direction.NOT_KNOWN,
            latest=f"{measure.fmt(base['value'])} ({base['period']})",
            period=str(base["period"]),
            figure=measure.fmt(base["value"]),
            compared=f"the value at the manifesto date ({base['period']})",
            conclusion=(
                f"There is no value since the manifesto yet; the baseline is "
                f"{measure.fmt(base['value'])} ({base['period']})."
            ),
            extra=tracker,
        )
    last = after.iloc[-1]
    b0, b1 = float(base[col]), float(last[col])
    diff = b1 - b0
    rel = diff / abs(b0) if b0 else math.nan
    tracker.update(
        latest_value=float(last["value"]),
        latest_period=str(last["period"]),
        change=float(last["value"]) - float(base["value"]),
    )
    if col == "value_real":
        tracker.update(change_real=diff, price_base=measure.price_base)
    good_high = measure.polarity != "lower_is_better"
    if reading.side == "up":
        good_high = True
    elif reading.side == "down":
        good_high = False
    mat = reading.materiality if reading.materiality is not None else 0.02
    if diff == 0 or (math.isfinite(rel) and abs(rel) < mat):
        direction = Direction.NO_CLEAR_CHANGE
    else:
        direction = Direction.IMPROVING if (diff > 0) == good_high else Direction.WORSENING
    if reading.side == "hold":
        direction = Direction.IMPROVING if direction != Direction.WORSENING else direction
    finding = (
        f"{measure.title}{basis}: {measure.fmt(b0)} in {base['period']} ({base_words}), "
        f"{measure.fmt(b1)} in {last['period']} ({signed(diff, measure.unit)})"
    )
    knife = False
    if target is not None and target_year is not None:
        years_used = max(int(last["year"]) - int(base["year"]), 1)
        years_needed = max(target_year - int(base["year"]), 1)
        needed = (target - b0) / years_needed
        pace = (b1 - b0) / years_used
        reached = (b1 >= target) if target >= b0 else (b1 <= target)
        on = reached or (needed != 0 and pace / needed >= 1)
        status = Status.ON_TRACK if on else Status.OFF_TRACK
        knife = not reached and needed != 0 and abs(pace / needed - 1) < 0.1
        rule = (
            f"pace since the baseline {pace:+.2f} a year against {needed:+.2f} a year needed to reach "
            f"{measure.fmt(target)} by {target_year}"
        )
        goal = f"{measure.fmt(target)} by {target_year}"
        conclusion = f"{'On track' if on else 'Off track'}: {finding}; the target is {goal}."
    else:
        status = Status.DIRECTION_ONLY
        rule = f"no target: direction since the manifesto, a change under {mat:.0%} counts as no clear change"
        conclusion = f"Since the manifesto, the direction is {direction}: {finding}."
    return Outcome(
        verdict=status,
        evidence=finding + ".",
        rule=rule,
        kind="since",
        direction=direction,
        latest=f"{measure.fmt(last['value'])} ({last['period']})",
        period=f"{base['period']} to {last['period']}",
        figure=measure.fmt(b1),
        compared=f"{last['period']} against the manifesto baseline {base['period']}{basis}",
        conclusion=conclusion,
        knife_edge=bool(knife),
        value=float(b1),
        extra=tracker,
    )
