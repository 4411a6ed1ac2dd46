"""Councils created by merging others: add their predecessors up instead of relabelling them.

Between 2019 and 2023 England gained nine unitary councils made of former counties and districts
(Dorset E06000059, Bournemouth, Christchurch and Poole E06000058, Buckinghamshire E06000060, North and West
Northamptonshire E06000061/62, Cumberland E06000063, Westmorland and Furness E06000064, North Yorkshire
E06000065, Somerset E06000066). Datasets from before a merger report the former councils under their own codes.
:func:`aggregate` rebuilds the new council's figure from them:

* **counts and money are summed** over the former councils that cover the new council's area;
* **rates are recomputed** from their summed numerator and denominator (e.g. spending per head = summed
  spending / summed population), never averaged;
* **a rate with no numerator** (a ratio published only as a ratio, such as house price to earnings) cannot be
  added up: it is left missing (NaN) with a reason, unless a former council's area is exactly the new council's
  (a county taken over whole, such as Somerset) and the dataset reports that area as a whole.

Which councils are predecessors is derived from data, not typed: the mySociety "UK local authority names and
codes" dataset (``uk_la_names_codes_hierarchy``: each abolished council's ``replaced-by`` successor(s), each
district's county and the GSS codes each council has used). A county is *split* when its districts went to
different successors: Cumbria (Allerdale, Carlisle and Copeland to Cumberland; Barrow-in-Furness, Eden and South
Lakeland to Westmorland and Furness), Northamptonshire (North and West Northamptonshire) and Dorset (Christchurch
to Bournemouth, Christchurch and Poole; the other five districts to Dorset Council). A split county's own
figures (its council's budget, say) cannot be shared out from the data, so they are never added to a successor.

Two kinds of dataset (argument ``county_is``):

* ``"area"`` — a county row is the total of its area (population, dwellings, an ONS indicator for the county):
  it is never added to its districts; a county taken over whole can stand in for the new council.
* ``"body"`` — a county row is the county council's own figure (spending power, council tax requirement):
  the new council = the county council + its district councils; a split county makes the total unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import national
from .datasets import load
from .text import listing

HIERARCHY = "uk_la_names_codes_hierarchy"
COUNTY_IS = ("area", "body")


@dataclass(frozen=True)
class Predecessor:
    """A former council whose area lies in a current council (``whole``: all of it does)."""

    code: str  # GSS code when abolished
    name: str
    la_code: str  # mySociety 3-letter code
    kind: str  # "county", "district" or "unitary"
    successor: str  # GSS code of the current council
    whole: bool
    ended: str  # date the council was abolished (YYYY-MM-DD)


_KIND = {"CTY": "county", "NMD": "district", "UA": "unitary", "MD": "district", "LBO": "district"}


@national.table(copy=False)
def _councils() -> pd.DataFrame:
    c = load(HIERARCHY, "councils")
    c = c[(c["nation"] == "England") & c["type"].isin(list(_KIND))].copy()
    return c.set_index("la_code", drop=False)


@national.table(copy=False)
def _gss_to_la() -> dict[str, str]:
    """Every GSS code a council has used (current and former) -> its mySociety code."""
    lookup = load(HIERARCHY, "gss_lookup")
    out = dict(zip(lookup["gss_code"], lookup["la_code"], strict=True))
    c = _councils()
    out.update({g: la for g, la in zip(c["area_code"], c["la_code"], strict=True) if isinstance(g, str)})
    return out


def _successors(la: str) -> list[str]:
    rb = _councils().at[la, "replaced_by"] if la in _councils().index else None
    return [s.strip() for s in rb.split(",")] if isinstance(rb, str) and rb.strip() else []


def _current_of(la: str) -> list[str]:
    """The current council(s) an abolished council's area went to, following later reorganisations."""
    c = _councils()
    if la in c.index and bool(c.at[la, "current"]):
        return [la]
    out: list[str] = []
    for s in _successors(la):
        out += [x for x in _current_of(s) if x not in out]
    return out


@national.table(copy=False)
def predecessor_table() -> pd.DataFrame:
    """One row per (current council, former council): the whole predecessor tree, derived from the hierarchy.

    Columns: successor (GSS), successor_la, predecessor (GSS), predecessor_la, name, kind, parent_la (the former
    council it directly became part of), whole (bool), ended, split_between (current councils sharing a split
    council's area, separated by "; ", "" when whole). A county is whole only if all its districts went
    to the same current council (the ``replaced-by`` field alone says Dorset County went to Dorset Council, but
    Christchurch, one of its districts, went to Bournemouth, Christchurch and Poole).
    """
    c = _councils()
    rows = []
    for la, row in c[~c["current"].astype(bool)].iterrows():
        targets = _current_of(str(la))
        if not targets:
            continue
        if row["type"] == "CTY":
            districts = c[c["county_la_code"] == la]["la_code"]
            reached = {t for d in districts for t in _current_of(str(d))} | set(targets)
            whole = len(reached) == 1
        else:
            reached = set(targets)
            whole = len(targets) == 1
        split = "; ".join(sorted(str(c.at[x, "area_name"]) for x in reached)) if not whole else ""
        for t in targets:
            direct = _successors(str(la))
            rows.append(
                {
                    "successor": c.at[t, "area_code"],
                    "successor_la": t,
                    "predecessor": row["area_code"],
                    "predecessor_la": la,
                    "name": row["area_name"],
                    "kind": _KIND[row["type"]],
                    "parent_la": direct[0] if len(direct) == 1 else t,
                    "whole": whole,
                    "ended": str(row["end_date"]) if isinstance(row["end_date"], str) else "",
                    "split_between": split,
                }
            )
    return pd.DataFrame(rows).sort_values(["successor", "kind", "predecessor"]).reset_index(drop=True)


def predecessors(code: str) -> list[Predecessor]:
    """The former councils (at every level of reorganisation) whose area lies in current council ``code``."""
    t = predecessor_table()
    t = t[t["successor"] == code]
    return [
        Predecessor(r.predecessor, r.name, r.predecessor_la, r.kind, r.successor, bool(r.whole), r.ended)
        for r in t.itertuples()
    ]


def merged_councils() -> list[str]:
    """GSS codes of current councils that have predecessors in the hierarchy (the councils created by mergers)."""
    return sorted(predecessor_table()["successor"].unique())


def current_code(code: str) -> str:
    """The current GSS code of a council that only changed code (e.g. St Albans E07000100 -> E07000240); a code of
    an abolished council, or an unknown code, is returned unchanged (use :func:`aggregate` for those)."""
    la = _gss_to_la().get(code)
    c = _councils()
    if la is None or la not in c.index or not bool(c.at[la, "current"]):
        return code
    return str(c.at[la, "area_code"])


@dataclass
class _Cover:
    codes: list[str]  # the rows (GSS codes present in the data) that make up the new council
    whole_area: bool  # one row standing for the whole area (rates can be kept)
    reason: str  # why there is no cover ("" when there is)


def _cover(la: str, present: set[str], county_is: str, children: dict[str, list[str]]) -> _Cover:
    """How the data for ``la``'s area can be built from the rows ``present`` (GSS codes) in one year."""
    c = _councils()
    gss = c.at[la, "area_code"]
    if gss in present:
        return _Cover([gss], True, "")
    kids = children.get(la, [])
    if not kids:
        return _Cover([], False, f"no figure for {c.at[la, 'area_name']}")
    counties = [k for k in kids if c.at[k, "type"] == "CTY"]
    others = [k for k in kids if k not in counties]
    if county_is == "area":
        for k in counties:  # a county taken over whole, with no district from elsewhere, is the same area
            districts = set(c[c["county_la_code"] == k]["la_code"])
            whole = _whole(k)
            if whole and set(others) <= districts | _descendants_in(others, districts, children):
                kc = c.at[k, "area_code"]
                if kc in present:
                    return _Cover([kc], True, "")
        parts, reasons = [], []
        for k in others:
            sub = _cover(k, present, county_is, children)
            parts += sub.codes
            reasons += [sub.reason] if sub.reason else []
        if reasons:
            return _Cover([], False, "; ".join(reasons))
        return _Cover(parts, len(parts) == 1, "")
    # body: the county council's own figure plus its district councils'
    parts, reasons = [], []
    for k in kids:
        if c.at[k, "type"] == "CTY" and not _whole(k):
            t = predecessor_table()
            split = listing(str(t.loc[t["predecessor_la"] == k, "split_between"].iloc[0]).split("; "))
            county = str(c.at[k, "area_name"])
            county += " Council" if "county" in county.lower() else " County Council"
            reasons.append(f"the figures of {county} were split between {split}, and the data do not say how")
            continue
        sub = _cover(k, present, county_is, children)
        parts += sub.codes
        reasons += [sub.reason] if sub.reason else []
    if reasons:
        return _Cover([], False, "; ".join(reasons))
    return _Cover(parts, False, "")


def _descendants_in(others: list[str], districts: set[str], children: dict[str, list[str]]) -> set[str]:
    """Former councils in ``others`` all of whose own predecessors are among ``districts`` (e.g. Somerset West and
    Taunton, itself made of two Somerset districts)."""
    out = set()
    for o in others:
        kids = children.get(o, [])
        if kids and set(kids) <= districts | _descendants_in(kids, districts, children):
            out.add(o)
    return out


def _whole(county_la: str) -> bool:
    t = predecessor_table()
    w = t.loc[t["predecessor_la"] == county_la, "whole"]
    return bool(w.all()) if len(w) else False


@national.table(copy=False)
def _children() -> dict[str, list[str]]:
    """Former council -> the councils it directly became (part of), inverted: council -> its direct predecessors.
    Split councils (replaced by several) are listed under each successor."""
    out: dict[str, list[str]] = {}
    c = _councils()
    for la in c.index:
        for s in _successors(str(la)):
            out.setdefault(s, []).append(str(la))
    return out


def aggregate(
    frame: pd.DataFrame,
    *,
    county_is: str,
    sums: list[str] | tuple[str, ...] = ("value",),
    rates: dict[str, tuple[str, str, float]] | None = None,
    by: list[str] | tuple[str, ...] = (),
    area: str = "area_code",
    year: str = "year",
    codes: list[str] | None = None,
    keep_predecessors: bool = False,
) -> pd.DataFrame:
    """Put a dataset that uses former councils' codes on today's councils, adding predecessors up.

    For every merged council (or only ``codes``) and every ``year`` (and value of the ``by`` columns) in which the
    council has no row of its own, a row is built from its predecessors' rows: ``sums`` columns are summed;
    ``rates`` columns (``{rate: (numerator, denominator, scale)}``) are recomputed as scale × Σnumerator /
    Σdenominator; any other numeric column (a ratio, a confidence limit) is left missing. Former codes of a
    council that only changed code are relabelled. When the predecessors do not cover the area (a figure
    missing, or a split county's own figure under ``county_is="body"``) the row's numbers are missing and
    ``unavailable`` says why.

    Adds columns ``aggregated_from`` (comma-separated GSS codes summed, "" for a council's own row) and
    ``unavailable`` (reason, "" when the numbers are there). Rows of abolished councils are dropped unless
    ``keep_predecessors``. Units are those of the input.
    """
    if county_is not in COUNTY_IS:
        raise ValueError(
            f"county_is must be 'area' (county rows are area totals) or 'body' (county council's own "
            f"figures), got {county_is!r}"
        )
    rates = rates or {}
    by = list(by)
    for col in [area, year, *sums, *by, *[x for r in rates.values() for x in r[:2]]]:
        if col not in frame.columns:
            raise ValueError(f"aggregate: column {col!r} is not in the frame (columns: {', '.join(frame.columns)})")
    out = frame.copy()
    out[area] = out[area].map({code: current_code(code) for code in out[area].dropna().unique()})
    out["aggregated_from"] = ""
    out["unavailable"] = ""
    tree = predecessor_table()
    targets = merged_councils() if codes is None else [c for c in codes if c in set(tree["successor"])]
    c = _councils()
    children = _children()
    numeric = [col for col in out.columns if pd.api.types.is_numeric_dtype(out[col]) and col not in (year, *by)]
    family_codes = set(tree["predecessor"])
    inputs = [x for r in rates.values() for x in r[:2]]
    check = list(dict.fromkeys([*sums, *inputs])) or [col for col in numeric if frame[col].notna().any()]
    built = []
    for target in targets:
        la = tree.loc[tree["successor"] == target, "successor_la"].iloc[0]
        fam = set(tree.loc[tree["successor"] == target, "predecessor"]) | {target}
        sub = out[out[area].isin(fam)]
        if sub.empty:
            continue
        for _key, g in sub.groupby([year, *by], sort=True, dropna=False):
            present = set(g.dropna(subset=check, how="all")[area])
            if target in present:
                continue
            cover = _cover(la, present, county_is, children)
            first = g.iloc[0].copy()
            first[area] = target
            if "area_name" in first.index:
                first["area_name"] = c.at[la, "area_name"]
            for col in numeric:
                first[col] = np.nan
            if cover.reason:
                first["unavailable"] = f"before {c.at[la, 'area_name']} was formed, {cover.reason}"
            else:
                parts = g[g[area].isin(cover.codes)].drop_duplicates(area)
                first["aggregated_from"] = ",".join(sorted(parts[area]))
                if cover.whole_area and len(parts) == 1:
                    for col in numeric:
                        first[col] = parts[col].iloc[0]
                else:
                    for col in sums:
                        first[col] = parts[col].sum(min_count=len(parts))
                    for rate, (num, den, scale) in rates.items():
                        n, d = parts[num].sum(min_count=len(parts)), parts[den].sum(min_count=len(parts))
                        first[rate] = scale * n / d if d else np.nan
                    lost = [
                        col
                        for col in numeric
                        if col not in sums and col not in rates and col not in inputs and g[col].notna().any()
                    ]
                    if lost:
                        first["unavailable"] = (
                            f"{', '.join(lost)} cannot be added up from the former councils' figures "
                            f"(a rate or ratio published without its numerator)"
                        )
            built.append(first)
    if built:
        out = pd.concat([out, pd.DataFrame(built)], ignore_index=True)
    if not keep_predecessors:
        abolished = family_codes - set(tree["successor"])
        out = out[~out[area].isin(abolished)]
    return out.reset_index(drop=True)


def sum_of_parts_text(row: pd.Series, names: dict[str, str] | None = None) -> str:
    """One sentence saying how a row was built ("added up from Mendip, Sedgemoor, ..."), or "" for own rows."""
    codes = [x for x in str(row.get("aggregated_from", "") or "").split(",") if x]
    if not codes:
        return ""
    c = _councils()
    by_gss = dict(zip(c["area_code"], c["area_name"], strict=True))
    label = [(names or {}).get(x) or by_gss.get(x, x) for x in codes]
    return f"added up from the former councils ({', '.join(label)})"


def rate_gap_text(code: str, name: str, what: str) -> str:
    """Why a merged council has no figure from a survey rate published only for its former councils ("" for a
    council that was not formed by a merger): a percentage cannot be added up without its numerator."""
    everyone = predecessors(code)
    if not everyone:
        return ""
    ended = max(p.ended for p in everyone)
    former = [p for p in everyone if p.ended == ended]  # the councils merged last, not earlier rounds
    year = ended[:4]
    return (
        f"{name} was formed in {year} from {listing(p.name for p in former)}; {what} is published as percentages "
        "for those former councils, which cannot be added up without their numbers of respondents"
    )
