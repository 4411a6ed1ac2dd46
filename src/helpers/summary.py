"""The council summary: the top of each council's ``index.html`` (issue 23 §1).

Everything on it is computed from the run's records (the ``claims`` and ``pledges`` scraps each briefing
publishes, the same rows as ``claims.csv`` and ``pledges.csv``); no verdict or finding is typed here.

* **Verdict tally by briefing**: claims by verdict (*supported*, *partly supported*, *not supported*) and
  "cannot be tested" split by its reason (*no public data*, *public data not yet used*, *no data for this
  council*, from :data:`helpers.verdicts.UNTESTABLE`); pledges by status, with the same split.
* **Data period against the manifesto's date**: for each briefing, how many tested claims rest on data whose
  period ends before the manifesto's year (``period_end`` < the year of ``briefing.manifesto_date``), flagged
  "rests on data from before the manifesto"; every tested claim and pledge with its period is listed in a
  collapsed list.
* **Three findings that matter most** (:func:`top_findings`), chosen by a fixed rule: claims the data
  contradict (*not supported*) first, then *supported*, then *partly supported*; at most one per briefing, so
  the three point to different briefings; within a verdict, the earlier briefing and the earlier claim in the
  register first. Each gets a one-line "so what" (:data:`SO_WHAT`, keyed by verdict) with the first sentence
  of the evidence computed in the run, and links to the claim's row in its briefing (the index links, it does
  not repeat the briefings' key findings: issue 23 §2).

The fragment fits one screen at 1280 × 800 and prints on one A4 page (:data:`CSS`).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from . import verdicts

SUPPORTED, PARTLY, NOT_SUPPORTED, UNTESTED = verdicts.CLAIM_VERDICTS
#: Tally columns of claims: (key, header). Untestable claims are split by reason.
CLAIM_TALLY = [
    (SUPPORTED, "Supported"),
    (PARTLY, "Partly"),
    (NOT_SUPPORTED, "Not supported"),
    (verdicts.NO_PUBLIC_DATA, "No public data"),
    (verdicts.NOT_YET_USED, "Not yet used"),
    (verdicts.NO_DATA_HERE, "No data here"),
]
#: Tally columns of pledges: every status but "cannot be tested", which is split by reason.
PLEDGE_TALLY = [(s, s.capitalize()) for s in verdicts.PLEDGE_STATUSES if s != UNTESTED] + [
    (verdicts.NO_PUBLIC_DATA, "No public data"),
    (verdicts.NOT_YET_USED, "Not yet used"),
    (verdicts.NO_DATA_HERE, "No data here"),
]
#: Order in which verdicts are picked for the three findings.
FINDING_ORDER = (NOT_SUPPORTED, SUPPORTED, PARTLY)
#: The "so what" of a finding, by verdict ({area}: the council's name).
SO_WHAT = {
    NOT_SUPPORTED: "A claim to challenge: the data for {area} point the other way.",
    SUPPORTED: "A claim that stands: the data for {area} bear it out.",
    PARTLY: "Use with care: the direction holds for {area}, the evidence is not conclusive.",
}
#: What the three reasons mean (under the tally).
LEGEND = (
    '<p class="summary-rule">Cannot be tested: <strong>no public data</strong> (nobody publishes it); <strong>not '
    "yet used</strong> (published, not loaded here: the briefing names it); <strong>no data here</strong> (none "
    "usable for this council).</p>"
)
PRE_MANIFESTO = "rests on data from before the manifesto"
N_FINDINGS = 3

CSS = """
main { max-width: 78rem; }
.page-header { max-width: 78rem; padding-top: .75rem; padding-bottom: .4rem; }
.page-header h1 { margin: .1rem 0; font-size: 1.45rem; }
.page-header .kicker { font-size: .85rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.council-summary h2 { margin: .5rem 0 .2rem; font-size: 1.2rem; }
.council-summary p { margin: .3rem 0; }
table.tally { font-size: .76rem; margin: .2rem 0; width: auto; line-height: 1.25; }
table.tally th, table.tally td { padding: .1rem .2rem; }
table.tally thead th { vertical-align: bottom; font-weight: 600; }
table.tally th.group { text-align: center; border-bottom: 1px solid var(--ink); }
table.tally td.num, table.tally th.num { text-align: right; }
table.tally td.zero { color: #6f6f6f; }
table.tally tbody th, table.tally tfoot th { font-weight: 400; min-width: 15rem; max-width: 19rem; }
table.tally thead th.num { min-width: 3.2rem; }
table.tally tfoot th, table.tally tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
table.tally .split { border-left: 2px solid var(--ink); }
ol.top-findings { margin: .2rem 0; padding-left: 1.4rem; font-size: .92rem; }
ol.top-findings li { margin: .15rem 0; }
.so-what { color: var(--muted); }
.flag { color: var(--bad); font-weight: 600; }
.summary-rule { color: var(--muted); font-size: .82rem; }
details.periods { font-size: .85rem; margin: .3rem 0; }
@media print {
  @page { size: A4; margin: 12mm 14mm; }
  .index-detail, .page-footer { display: none !important; }
  .council-summary details.periods { display: none !important; }
  table.tally { font-size: 7.5pt; }
  ol.top-findings { font-size: 8.5pt; }
}
"""


# --- the numbers ------------------------------------------------------------------------------------------


def _records(entries: list[dict]) -> list[tuple[dict, dict]]:
    """(entry, record) of every briefing with a record, in section order."""
    return [(e, e["record"]) for e in sorted(entries, key=lambda e: e["section"]) if e.get("record")]


def claim_key(row: dict) -> str:
    """The tally column of a claim row: its verdict, or the reason it cannot be tested."""
    verdict = str(row.get("verdict", ""))
    return str(row.get("untestable") or verdicts.NO_PUBLIC_DATA) if verdict == UNTESTED else verdict


def pledge_key(row: dict) -> str:
    """The tally column of a pledge row: its status, or the reason it cannot be tested."""
    status = str(row.get("status", ""))
    return str(row.get("untestable") or verdicts.NO_PUBLIC_DATA) if status == UNTESTED else status


def manifesto_year(entries: list[dict]) -> int | None:
    """The year of the manifesto the verdicts test (``briefing.manifesto_date`` of the records), or None."""
    for _entry, record in _records(entries):
        date = str(record.get("briefing", {}).get("manifesto_date") or "")
        if re.match(r"\d{4}", date):
            return int(date[:4])
    return None


def _period_end(row: dict) -> int | None:
    value = row.get("period_end")
    if value is None or value == "":
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def before_manifesto(row: dict, year: int | None) -> bool:
    """True when a verdict rests on data whose period ends before the manifesto's year."""
    end = _period_end(row)
    return year is not None and end is not None and end < year


def tally(entries: list[dict]) -> list[dict]:
    """One row per briefing: section, title, link, claim counts by :data:`CLAIM_TALLY` key, pledge counts by
    :data:`PLEDGE_TALLY` key, and how many tested claims rest on data from before the manifesto."""
    year = manifesto_year(entries)
    rows = []
    for entry, record in _records(entries):
        every, pledges = record.get("claims", []), record.get("pledges", [])
        claims = [c for c in every if not c.get("national")]  # national claims: shown once, never tallied
        tested = [c for c in claims if c.get("verdict") != UNTESTED]
        ends = [e for e in (_period_end(c) for c in tested) if e is not None]
        rows.append(
            {
                "section": entry["section"],
                "title": record.get("briefing", {}).get("title", entry["section"]),
                "html": entry.get("html"),
                "status": entry.get("status", ""),
                "claims": {key: sum(claim_key(c) == key for c in claims) for key, _ in CLAIM_TALLY},
                "pledges": {key: sum(pledge_key(p) == key for p in pledges) for key, _ in PLEDGE_TALLY},
                "tested": len(tested),
                "before": sum(before_manifesto(c, year) for c in tested),
                "ends": (min(ends), max(ends)) if ends else None,
                "national": len(every) - len(claims),
            }
        )
    return rows


def _first_sentence(text: str, limit: int = 220) -> str:
    text = " ".join(str(text or "").split())
    match = re.search(r"(?<=[.;])\s+(?=[A-Z0-9£])", text)
    first = text[: match.start()] if match else text
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return first


def top_findings(entries: list[dict], area_name: str, n: int = N_FINDINGS) -> list[dict]:
    """The ``n`` findings that matter most (:data:`IMPORTANCE_RULE`): the register's weight first, then contradicted
    claims, supported, partly supported; never national, never on a knife edge; one per briefing; earlier
    briefing and register order first."""
    year = manifesto_year(entries)
    claims = [{**claim, "_entry": entry} for entry, record in _records(entries) for claim in record.get("claims", [])]
    picked = important_claims(claims, n, one_per_section=True)
    chosen = []
    for claim in picked:
        entry = claim["_entry"]
        chosen.append(
            {
                "section": entry["section"],
                "html": entry.get("html"),
                "claim_id": claim.get("claim_id", ""),
                "claim": claim.get("claim", ""),
                "verdict": claim["verdict"],
                "so_what": SO_WHAT[claim["verdict"]].format(area=area_name),
                "evidence": _first_sentence(claim.get("conclusion") or claim.get("evidence", ""), 100),
                "period": str(claim.get("period") or ""),
                "before": before_manifesto(claim, year),
            }
        )
    return chosen


# --- the page fragment ------------------------------------------------------------------------------------


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _num(value: int, split: bool = False, label: str = "") -> str:
    classes = ["num"] + (["zero"] if value == 0 else []) + (["split"] if split else [])
    data = f' data-label="{_e(label)}"' if label else ""
    return f'<td class="{" ".join(classes)}"{data}>{value}</td>'


def _link(href: str | None, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def _period_cell(row: dict, split: bool = True) -> str:
    cls = ' class="num split"' if split else ' class="num"'
    if not row["tested"]:
        return f"<td{cls}>–</td>"
    years = _years(row["ends"])
    return (
        f'<td{cls} title="data years {years}" data-label="Tested claims on data from before the manifesto">'
        f"{row['before']} of {row['tested']}</td>"
    )


def _years(ends: tuple[int, int] | None) -> str:
    if ends is None:
        return "not stated"
    return str(ends[0]) if ends[0] == ends[1] else f"{ends[0]} to {ends[1]}"


def tally_table(rows: list[dict], year: int | None) -> str:
    """The tally as one table: a row per briefing, claim columns then pledge columns, and totals."""
    when = f"before {year}" if year else "before the manifesto"
    head1 = (
        '<tr><td></td><th scope="colgroup" colspan="6" class="group">Claims: verdict or why untested</th>'
        f'<th scope="col" rowspan="2" class="num split" title="tested claims resting on data from {_e(when)}">'
        f"On data {_e(when)}</th>"
        f'<th scope="colgroup" colspan="{len(PLEDGE_TALLY)}" class="group split">'
        "Pledges: status or why untested</th></tr>"
    )
    cells = "".join(
        f'<th scope="col" class="num{" split" if i == 3 else ""}" data-key="claims:{_e(k)}">{_e(label)}</th>'
        for i, (k, label) in enumerate(CLAIM_TALLY)
    )
    cells += "".join(
        f'<th scope="col" class="num{" split" if i in (0, 6) else ""}" data-key="pledges:{_e(k)}">{_e(label)}</th>'
        for i, (k, label) in enumerate(PLEDGE_TALLY)
    )
    head2 = f'<tr><th scope="col">Briefing</th>{cells}</tr>'
    body = []
    for row in rows:
        title = f"{row['section'][:2]} {row['title']}"
        failed = ' <span class="status-failed">(failed in this run)</span>' if row["status"] == "failed" else ""
        tds = "".join(
            _num(row["claims"][k], split=i == 3, label=f"Claims: {lab}") for i, (k, lab) in enumerate(CLAIM_TALLY)
        )
        tds += _period_cell(row)
        tds += "".join(
            _num(row["pledges"][k], split=i in (0, 6), label=f"Pledges: {lab}")
            for i, (k, lab) in enumerate(PLEDGE_TALLY)
        )
        body.append(
            f'<tr data-section="{_e(row["section"])}">'
            f'<th scope="row">{_link(row["html"], title)}{failed}</th>{tds}</tr>'
        )
    totals = {
        "claims": {k: sum(r["claims"][k] for r in rows) for k, _ in CLAIM_TALLY},
        "pledges": {k: sum(r["pledges"][k] for r in rows) for k, _ in PLEDGE_TALLY},
        "tested": sum(r["tested"] for r in rows),
        "before": sum(r["before"] for r in rows),
    }
    ends = [r["ends"] for r in rows if r["ends"]]
    totals["ends"] = (min(e[0] for e in ends), max(e[1] for e in ends)) if ends else None
    foot = (
        '<tr data-section="all"><th scope="row">All briefings</th>'
        + "".join(
            _num(totals["claims"][k], split=i == 3, label=f"Claims: {lab}") for i, (k, lab) in enumerate(CLAIM_TALLY)
        )
        + _period_cell(totals)
        + "".join(
            _num(totals["pledges"][k], split=i in (0, 6), label=f"Pledges: {lab}")
            for i, (k, lab) in enumerate(PLEDGE_TALLY)
        )
        + "</tr>"
    )
    return (
        '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="tally-caption">'
        '<table class="tally stack" id="tally"><caption id="tally-caption" class="visually-hidden">'
        "Claims by verdict and pledges by status, per briefing (cannot be tested: split by reason)</caption>"
        f"<thead>{head1}{head2}</thead><tbody>{''.join(body)}</tbody><tfoot>{foot}</tfoot></table></div>"
    )


def _findings_html(findings: list[dict]) -> str:
    if not findings:
        return "<p>No claim could be tested for this council with the data loaded, so there is no finding to pick.</p>"
    items = []
    for f in findings:
        href = f"{f['html']}#claim-{f['claim_id']}" if f["html"] else None
        period = f" Data: {_e(f['period'])}." if f["period"] else ""
        flag = f' <span class="flag">This verdict {PRE_MANIFESTO}.</span>' if f["before"] else ""
        items.append(
            f'<li data-claim="{_e(f["claim_id"])}"><strong>{_e(f["verdict"].capitalize())}:</strong> '
            f"{_link(href, f['claim'])} (briefing {_e(f['section'][:2])}). "
            f'<span class="so-what">{_e(f["so_what"])} {_e(f["evidence"])}{period}</span>{flag}</li>'
        )
    return f'<ol class="top-findings">{"".join(items)}</ol>'


def _periods_html(entries: list[dict], year: int | None) -> str:
    """Every tested claim and pledge with the period its verdict rests on (collapsed)."""
    items = []
    for entry, record in _records(entries):
        for kind, rows, key in (
            ("claim", record.get("claims", []), "verdict"),
            ("pledge", record.get("pledges", []), "status"),
        ):
            for row in rows:
                if row.get(key) == UNTESTED:
                    continue
                href = f"{entry['html']}#{kind}-{row.get(f'{kind}_id', '')}" if entry.get("html") else None
                flag = f' <span class="flag">{PRE_MANIFESTO}</span>' if before_manifesto(row, year) else ""
                items.append(
                    f"<li>{_e(entry['section'][:2])} {kind}: {_link(href, row.get(kind, ''))}: "
                    f"{_e(row.get(key, ''))}, data {_e(row.get('period') or 'period not stated')}{flag}</li>"
                )
    if not items:
        return ""
    return (
        f'<details class="periods"><summary>The data period of every tested claim and pledge ({len(items)})'
        f"</summary><ul>{''.join(items)}</ul></details>"
    )


def summary_html(area: dict, entries: list[dict]) -> str:
    """The summary section at the top of a council's index (a ``<section>`` fragment, escaped throughout)."""
    rows = tally(entries)
    year = manifesto_year(entries)
    if not rows:
        return (
            '<section class="council-summary" aria-labelledby="summary"><h2 id="summary">Summary</h2>'
            "<p>No briefing has published a record yet, so there is nothing to summarise.</p></section>"
        )
    findings = top_findings(entries, area["name"])
    tested = sum(r["tested"] for r in rows)
    before = sum(r["before"] for r in rows)
    when = f"the manifesto ({year})" if year else "the manifesto"
    ends = [r["ends"] for r in rows if r["ends"]]
    years = _years((min(e[0] for e in ends), max(e[1] for e in ends)) if ends else None)
    period_line = (
        f"<p><strong>{before} of {tested}</strong> tested claims rest on data from before {_e(when)}; "
        f"the rest on data from its year or later (the data run from {_e(years)}).</p>"
        if tested
        else ""
    )
    national = sum(r["national"] for r in rows)
    national_line = (
        f"<p>{national} national claim{'s' if national != 1 else ''} (the same evidence for every council) "
        "are shown once in their briefings and left out of these counts.</p>"
        if national
        else ""
    )
    return (
        f"{council_main_points(area, entries)}"
        '<section class="council-summary" aria-labelledby="summary"><h2 id="summary">Summary</h2>'
        f"{tally_table(rows, year)}{LEGEND}{national_line}{period_line}"
        '<h2 id="top-findings">Three findings that matter most</h2>'
        f"{_findings_html(findings)}"
        f'<p class="summary-rule">{_e(IMPORTANCE_RULE)} One per briefing; earlier briefing first. Each links to '
        "the claim's card in its briefing.</p>"
        f"{_periods_html(entries, year)}</section>"
    )


# --- main points in words (issue 28 §3) -------------------------------------------------------------------

#: Significance level of the claim tests: with this many tests, chance alone gives about ALPHA × tests flags.
ALPHA = 0.05
#: At most this many findings are named in the main points.
N_MAIN = 3
#: How the findings of the main points are chosen (stated on the page).
IMPORTANCE_RULE = (
    "Findings are chosen by importance: the register's weight first (1 = a framing claim of the manifesto), then "
    "claims the data contradict before claims they support before claims they partly support; verdicts on a "
    "knife edge (within the interval or the reading's materiality) and national claims are left out."
)
PLEDGE_NO_DATA = (verdicts.Status.BASELINE_ONLY, verdicts.Status.UNTESTABLE)


def _is_national(row: dict) -> bool:
    return bool(row.get("national"))


def _weight(row: dict) -> int:
    try:
        return int(row.get("weight") or 2)
    except (TypeError, ValueError):
        return 2


def important_claims(claims: list[dict], n: int = N_MAIN, one_per_section: bool = False) -> list[dict]:
    """The ``n`` tested claims that matter most (:data:`IMPORTANCE_RULE`), in that order; claims are rows with
    ``section`` (their order in the list is the register's)."""
    ranked = [
        (_weight(c), FINDING_ORDER.index(c["verdict"]), position, c)
        for position, c in enumerate(claims)
        if c.get("verdict") in FINDING_ORDER and not _is_national(c) and not c.get("knife_edge")
    ]
    chosen, sections = [], set()
    for *_key, c in sorted(ranked, key=lambda r: r[:3]):
        if one_per_section and c.get("section") in sections:
            continue
        sections.add(c.get("section"))
        chosen.append(c)
        if len(chosen) == n:
            break
    return chosen


def tests_run(claims: list[dict], pledges: list[dict]) -> int:
    """How many tests produced a verdict or a status (claims and pledges not "cannot be tested" or baseline only)."""
    tested = [c for c in claims if c.get("verdict") != UNTESTED]
    tracked = [p for p in pledges if p.get("status") not in PLEDGE_NO_DATA]
    return len(tested) + len(tracked)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _conclusion(row: dict) -> str:
    """The first sentence of a row's conclusion (else its evidence), ending in one full stop (or an ellipsis)."""
    text = row.get("conclusion") or row.get("evidence") or ""
    # a kind's conclusion restates the claim ("The data do not support the claim that X: finding"): the main
    # point already names the claim and its verdict, so it keeps only the finding
    lead = re.match(
        r"^(The data (?:do not |partly )?support the claim(?: that .*?)?|The claim cannot be tested[^:]*): ", text
    )
    if lead:
        text = text[lead.end() :]
        text = text[:1].upper() + text[1:]
    text = _first_sentence(text, 200).rstrip(" .;:,")
    return text if text.endswith("…") else text + "."


def _item(row: dict, kind: str, href) -> dict:
    return {"text": str(row.get(kind, "")), "href": href(row, kind)}


def _no_data_since(row: dict, year: int | None) -> bool:
    return row.get("status") in PLEDGE_NO_DATA or before_manifesto(row, year)


def main_points(
    claims: list[dict], pledges: list[dict], area_name: str, *, href, year: int | None = None, scope: str = "briefing"
) -> dict:
    """Main points in words, generated from the verdicts: 4-6 sentences (each a list of segments, plain text or
    a link to a card), the named lists (claims that hold, claims that do not, pledges off track, pledges with no
    data since the manifesto, national claims), the number of tests and the flags chance alone could give.

    ``href(row, kind)`` gives the link to a row's card (kind "claim" or "pledge"); ``scope`` names what the
    sentences are about ("briefing" or "council"). National claims are counted apart and never chosen."""
    local = [c for c in claims if not _is_national(c)]
    national = [c for c in claims if _is_national(c)]
    count = Counter(c.get("verdict") for c in local)
    where = "this briefing" if scope == "briefing" else "these briefings"
    sentences = []
    if local:
        parts = [
            f"{count[SUPPORTED]} {'holds' if count[SUPPORTED] == 1 else 'hold'}",
            f"{count[PARTLY]} partly {'holds' if count[PARTLY] == 1 else 'hold'}",
            f"{count[NOT_SUPPORTED]} {'does' if count[NOT_SUPPORTED] == 1 else 'do'} not hold",
            f"{count[UNTESTED]} cannot be tested with the data used",
        ]
        sentences.append(
            [
                {
                    "text": f"Of the {_plural(len(local), 'claim')} {where} "
                    f"{'checks' if scope == 'briefing' else 'check'} for {area_name}, "
                    f"{', '.join(parts[:-1])} and {parts[-1]}."
                }
            ]
        )
    else:
        sentences.append(
            [
                {
                    "text": f"{where.capitalize()} {'checks' if scope == 'briefing' else 'check'} no claim "
                    f"about {area_name} itself."
                }
            ]
        )
    for c in important_claims(local, one_per_section=scope != "briefing"):
        verdict = str(c["verdict"])
        sentences.append(
            [
                {"text": "The claim that "},
                _item(c, "claim", href),
                {"text": f" is {verdict}: {_conclusion(c)}"},
            ]
        )
    if pledges:
        pc = Counter(p.get("status") for p in pledges)
        off = [p for p in pledges if p.get("status") == verdicts.Status.OFF_TRACK]
        none_since = [p for p in pledges if _no_data_since(p, year)]
        segs = [
            {
                "text": f"Of the {_plural(len(pledges), 'pledge')}, {pc[verdicts.Status.ON_TRACK]} "
                f"{'is' if pc[verdicts.Status.ON_TRACK] == 1 else 'are'} on track, {len(off)} off track, "
                f"{pc[verdicts.Status.DIRECTION_ONLY]} with a direction only (no target to judge against) and "
                f"{len(none_since)} with no data since the manifesto"
            }
        ]
        if off:
            segs += [{"text": "; off track: "}, _item(off[0], "pledge", href)]
        elif none_since:
            segs += [{"text": ", such as "}, _item(none_since[0], "pledge", href)]
        segs.append({"text": "."})
        sentences.append(segs)
    if national:
        segs = [
            {
                "text": f"{_plural(len(national), 'claim')} rest{'s' if len(national) == 1 else ''} on national "
                "evidence, the same for every council, shown once and left out of these counts: "
            }
        ]
        segs.append(_item(national[0], "claim", href))
        if len(national) > 1:
            segs.append({"text": f" and {_plural(len(national) - 1, 'other')}"})
        segs.append({"text": "."})
        sentences.append(segs)
    tests = tests_run(local, pledges)
    lists = [
        ("Claims that hold", [_item(c, "claim", href) for c in local if c.get("verdict") == SUPPORTED]),
        ("Claims that do not hold", [_item(c, "claim", href) for c in local if c.get("verdict") == NOT_SUPPORTED]),
        ("Pledges off track", [_item(p, "pledge", href) for p in pledges if p.get("status") == "off track"]),
        (
            "Pledges with no data since the manifesto",
            [_item(p, "pledge", href) for p in pledges if _no_data_since(p, year)],
        ),
        ("National claims (the same for every council)", [_item(c, "claim", href) for c in national]),
    ]
    return {
        "sentences": sentences[:6],
        "lists": lists,
        "tests": tests,
        "chance": ALPHA * tests,
        "chance_text": f"{ALPHA * tests:.2f}".rstrip("0").rstrip(".") or "0",
        "scope": where,
        "rule": IMPORTANCE_RULE,
    }


def main_points_html(points: dict, heading_id: str = "main-points") -> str:
    """The main points as HTML (templates/cards/main_points.html.j2; every text escaped)."""
    from .briefing import _templates

    return _templates().get_template("main_points.html.j2").render(p=points, heading_id=heading_id)


def briefing_main_points(record: dict) -> str:
    """The main points of one briefing's page, from its record (links go to the cards on the same page)."""
    info = record.get("briefing", {})
    date = str(info.get("manifesto_date") or "")
    year = int(date[:4]) if re.match(r"\d{4}", date) else None
    points = main_points(
        list(record.get("claims", [])),
        list(record.get("pledges", [])),
        str(info.get("area_name", "")),
        href=lambda row, kind: f"#{kind}-{row.get(f'{kind}_id', '')}",
        year=year,
    )
    return main_points_html(points)


def council_main_points(area: dict, entries: list[dict]) -> str:
    """The main points of a council's index, across its briefings (links go to the cards in each briefing)."""
    claims: list[dict] = []
    pledges: list[dict] = []
    pages: dict = {}
    for entry, record in _records(entries):
        for kind, rows in (("claim", record.get("claims", [])), ("pledge", record.get("pledges", []))):
            for row in rows:
                row = {**row, "section": row.get("section") or entry["section"]}
                pages[(kind, row.get(f"{kind}_id"))] = entry.get("html")
                (claims if kind == "claim" else pledges).append(row)

    def href(row, kind):
        page = pages.get((kind, row.get(f"{kind}_id")))
        return f"{page}#{kind}-{row.get(f'{kind}_id', '')}" if page else None

    points = main_points(claims, pledges, area["name"], href=href, year=manifesto_year(entries), scope="council")
    return main_points_html(points)
