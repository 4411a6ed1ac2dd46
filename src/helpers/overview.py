"""The national overview: ``outputs/index.html`` when more than one council is built (issue 18 §4).

Read from the built councils' folders only (``<slug>/manifest.json``: each briefing's record with its
``claims`` and ``pledges`` rows, the same rows as ``claims.csv`` and ``pledges.csv``), so a partial batch gives
a partial page. The page has:

* **Verdicts**: a table of every built council × every claim of the register that any of them tested (one
  column per claim id, register order), cell = the verdict, or "cannot be tested" with its reason, "does not
  apply" (the register leaves the claim out for that council) or "not built" (that briefing has no record).
  Sortable and filterable by region and kind of council with a small inline script; with JavaScript off the
  full table is still in the HTML. Downloadable as ``overview-verdicts.csv``.
* **Key indicators**: one row per council: the claim and pledge tally and each claim's headline ``value``
  (the number the verdict rests on; the column list names each indicator). ``overview-indicators.csv``.
* **Hex maps** of England (:mod:`helpers.hexmap`) for the verdict of the main claims and for headline
  indicators, each a PNG with alt text, a legend in text and the data table beside it (``<details>``). The
  *main claims* are the claims with a tested verdict for the most built councils (register order breaks ties);
  the *headline indicators* are the claim values available for the most built councils (same tie rule).
* Links to each council's collection.

Deterministic: same folders in, same bytes out (sorted inputs, PNGs without metadata). Offline: no external
resource. Command line: ``python -m helpers.overview outputs/`` (writes ``outputs/index.html`` and the CSVs).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import verdicts
from .errors import BriefingError

SUPPORTED, PARTLY, NOT_SUPPORTED, UNTESTED = verdicts.CLAIM_VERDICTS
NOT_APPLICABLE = "does not apply"
NOT_BUILT = "not built"
#: Order of verdict cells when a column is sorted (and of the map legend).
VERDICT_ORDER = [SUPPORTED, PARTLY, NOT_SUPPORTED, UNTESTED, NOT_APPLICABLE, NOT_BUILT]
#: Map colours of verdicts (helpers.charts comparison palette: better / similar / worse / not compared).
VERDICT_COLOURS = {SUPPORTED: "#28A197", PARTLY: "#F4B400", NOT_SUPPORTED: "#801650", UNTESTED: "#8C8C8C"}
#: CSS class of a verdict cell (a pale tint; the verdict is always written in the cell).
CELL_CLASS = {SUPPORTED: "v-s", PARTLY: "v-p", NOT_SUPPORTED: "v-n", UNTESTED: "v-u"}
N_MAIN_CLAIMS = 3
N_INDICATORS = 3
HEXMAP_DATASET = "hexmap_uk_lad_2023_openinnovations"


@dataclass
class Council:
    """One built council: its area record, region, and the records of its briefings by section."""

    area: dict
    region: str
    records: dict[str, dict] = field(default_factory=dict)
    #: the claims register the council was built against (its path, from the manifest; "" = the default)
    manifesto: str = ""

    @property
    def code(self) -> str:
        return self.area["code"]

    def claim(self, claim_id: str) -> dict | None:
        for record in self.records.values():
            for row in record.get("claims", []):
                if row.get("claim_id") == claim_id:
                    return row
        return None


# --- reading the folders ------------------------------------------------------------------------------------


def built_councils(output_dir: Path) -> list[Council]:
    """Every council with a ``manifest.json`` in ``output_dir`` (name order) and the records it holds."""
    from . import areas

    councils = []
    for manifest_path in sorted(Path(output_dir).glob("*/manifest.json")):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise BriefingError(
                f"{manifest_path}: not readable as JSON ({error}); rebuild that council or delete its folder"
            ) from None
        area = manifest.get("area") or {}
        if not area.get("code") or area.get("slug") != manifest_path.parent.name:
            continue
        try:
            region = areas.resolve(area["code"]).region or ""
        except BriefingError:
            region = ""
        records = {
            section: entry["record"]
            for section, entry in sorted((manifest.get("briefings") or {}).items())
            if entry.get("record")
        }
        register_path = str((manifest.get("manifesto") or {}).get("path") or "")
        councils.append(Council(area=area, region=region, records=records, manifesto=register_path))
    return sorted(councils, key=lambda c: (c.area["name"], c.code))


def _register(councils: list[Council] | None = None):
    """The register most of the built councils were built against (their manifests record it)."""
    from collections import Counter

    from . import register

    paths = Counter(c.manifesto for c in councils or [])
    chosen = paths.most_common(1)[0][0] if paths else ""
    try:
        return register.load(chosen or None)
    except BriefingError:
        return None


def claim_columns(councils: list[Council]) -> list[dict]:
    """The claims any built council has a row for, in register order: id, section, text, indicator."""
    seen: dict[str, dict] = {}
    for council in councils:
        for section, record in council.records.items():
            for row in record.get("claims", []):
                cid = row.get("claim_id")
                if cid and cid not in seen:
                    seen[cid] = {
                        "id": cid,
                        "section": section,
                        "text": row.get("claim", ""),
                        "indicator": row.get("indicator", ""),
                    }
    manifesto = _register(councils)
    order = {}
    if manifesto is not None:
        for position, (section, entry) in enumerate(manifesto.entries("claims")):
            order[entry.id] = (section, position)
            if entry.id in seen:
                general = entry.elsewhere.text if entry.elsewhere else entry.text
                seen[entry.id]["text"] = general.format(area="the council")
                seen[entry.id]["entry"] = entry
    return sorted(seen.values(), key=lambda c: order.get(c["id"], (c["section"], 10**6)) + (c["id"],))


def cell(council: Council, column: dict) -> tuple[str, str]:
    """(verdict label, reason) of a claim for a council: the verdict; "cannot be tested" and its reason;
    "does not apply" (the register leaves it out for this council); or "not built"."""
    from . import register

    row = council.claim(column["id"])
    if row is not None:
        return row.get("verdict", ""), row.get("untestable", "") if row.get("verdict") == UNTESTED else ""
    if column["section"] not in council.records:
        return NOT_BUILT, ""
    entry = column.get("entry")
    if entry is not None and register.applies(entry, council.code) is None:
        return NOT_APPLICABLE, ""
    return NOT_BUILT, ""


def verdict_frame(councils: list[Council], columns: list[dict]) -> pd.DataFrame:
    """Council × claim verdicts ("cannot be tested: <reason>" spelled out), one row per council."""
    rows = []
    for c in councils:
        row = {"area_code": c.code, "area_name": c.area["name"], "region": c.region, "kind": c.area.get("kind", "")}
        for col in columns:
            verdict, reason = cell(c, col)
            row[col["id"]] = f"{verdict}: {reason}" if reason else verdict
        rows.append(row)
    return pd.DataFrame(rows, columns=["area_code", "area_name", "region", "kind"] + [c["id"] for c in columns])


def _value(row: dict | None) -> float | None:
    if row is None or row.get("value") in (None, ""):
        return None
    try:
        value = float(row["value"])
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


TALLY = [
    ("claims_tested", "Claims tested"),
    ("supported", "Supported"),
    ("partly_supported", "Partly supported"),
    ("not_supported", "Not supported"),
    ("cannot_be_tested", "Cannot be tested"),
    ("pledges_on_track", "Pledges on track"),
    ("pledges_off_track", "Pledges off track"),
]


def indicator_frame(councils: list[Council], columns: list[dict]) -> tuple[pd.DataFrame, list[dict]]:
    """One row per council: tallies, then the ``value`` of every claim that has one for some council."""
    valued = [col for col in columns if any(_value(c.claim(col["id"])) is not None for c in councils)]
    rows = []
    for c in councils:
        claims = [r for rec in c.records.values() for r in rec.get("claims", [])]
        pledges = [r for rec in c.records.values() for r in rec.get("pledges", [])]
        verdict_counts = Counter(r.get("verdict") for r in claims)
        status_counts = Counter(r.get("status") for r in pledges)
        row = {
            "area_code": c.code,
            "area_name": c.area["name"],
            "region": c.region,
            "kind": c.area.get("kind", ""),
            "claims_tested": len(claims) - verdict_counts[UNTESTED],
            "supported": verdict_counts[SUPPORTED],
            "partly_supported": verdict_counts[PARTLY],
            "not_supported": verdict_counts[NOT_SUPPORTED],
            "cannot_be_tested": verdict_counts[UNTESTED],
            "pledges_on_track": status_counts["on track"],
            "pledges_off_track": status_counts["off track"],
        }
        for col in valued:
            row[col["id"]] = _value(c.claim(col["id"]))
        rows.append(row)
    names = ["area_code", "area_name", "region", "kind"] + [k for k, _ in TALLY] + [c["id"] for c in valued]
    return pd.DataFrame(rows, columns=names), valued


def main_claims(councils: list[Council], columns: list[dict], n: int = N_MAIN_CLAIMS) -> list[dict]:
    """The ``n`` claims with a tested verdict (not "cannot be tested") for the most councils; register order. A
    national claim (the same evidence for every council) is never mapped: it is said once."""
    scored = []
    for position, col in enumerate(columns):
        if any((c.claim(col["id"]) or {}).get("national") for c in councils):
            continue
        tested = sum(cell(c, col)[0] in (SUPPORTED, PARTLY, NOT_SUPPORTED) for c in councils)
        if tested:
            scored.append((-tested, position, col))
    return [col for _, _, col in sorted(scored, key=lambda s: s[:2])[:n]]


def headline_indicators(councils: list[Council], valued: list[dict], n: int = N_INDICATORS) -> list[dict]:
    """The ``n`` claim values available for the most councils (register order breaks ties). A value that is the
    same for every council (a national figure, such as a slope across all districts) is left out: a map of it
    would show one colour."""
    scored = []
    for position, col in enumerate(valued):
        values = [v for v in (_value(c.claim(col["id"])) for c in councils) if v is not None]
        if len(values) < 2 or len({round(v, 9) for v in values}) > 1:
            scored.append((-len(values), position, col))
    return [col for _, _, col in sorted(scored, key=lambda s: s[:2])[:n]]


# --- page ----------------------------------------------------------------------------------------------------


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _council_link(c: Council) -> str:
    return f'<a href="{_e(c.area["slug"])}/index.html">{_e(c.area["name"])}</a>'


def _row_attrs(c: Council) -> str:
    return f'data-region="{_e(c.region)}" data-kind="{_e(c.area.get("kind", ""))}"'


def verdict_table(councils: list[Council], columns: list[dict]) -> str:
    head = "".join(
        f'<th scope="col" data-sort="text" title="{_e(col["text"])}"><span class="claim-id">{_e(col["id"])}</span></th>'
        for col in columns
    )
    body = []
    for c in councils:
        tds = []
        for col in columns:
            verdict, reason = cell(c, col)
            rank = VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER)
            label = _e(verdict) + (f'<br><span class="reason">{_e(reason)}</span>' if reason else "")
            klass = CELL_CLASS.get(verdict, "v-x")
            link = c.records.get(col["section"])
            if verdict not in (NOT_APPLICABLE, NOT_BUILT) and link is not None:
                href = f"{c.area['slug']}/{col['section']}.html#claim-{col['id']}"
                label = f'<a href="{_e(href)}">{label}</a>'
            tds.append(f'<td class="{klass}" data-value="{rank}">{label}</td>')
        body.append(
            f'<tr {_row_attrs(c)}><th scope="row" data-value="{_e(c.area["name"])}">{_council_link(c)}</th>'
            f'<td data-value="{_e(c.region)}">{_e(c.region)}</td>'
            f'<td data-value="{_e(c.area.get("kind", ""))}">{_e(c.area.get("kind", ""))}</td>{"".join(tds)}</tr>'
        )
    return (
        '<div class="table-scroll wide" tabindex="0" role="region" aria-labelledby="verdicts-caption">'
        '<table class="overview sortable" id="verdict-table"><caption id="verdicts-caption">Verdict of every claim '
        f"for every built council ({len(councils)} councils, {len(columns)} claims)</caption>"
        '<thead><tr><th scope="col" data-sort="text">Council</th><th scope="col" data-sort="text">Region</th>'
        f'<th scope="col" data-sort="text">Kind</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def indicator_table(frame: pd.DataFrame, councils: list[Council], valued: list[dict]) -> str:
    by_code = {c.code: c for c in councils}
    head = "".join(f'<th scope="col" class="num" data-sort="num">{_e(label)}</th>' for _, label in TALLY)
    head += "".join(
        f'<th scope="col" class="num" data-sort="num" title="{_e(col["indicator"])}">'
        f'<span class="claim-id">{_e(col["id"])}</span></th>'
        for col in valued
    )
    body = []
    for row in frame.to_dict(orient="records"):
        c = by_code[row["area_code"]]
        tds = "".join(f'<td class="num" data-value="{int(row[k])}">{int(row[k])}</td>' for k, _ in TALLY)
        for col in valued:
            v = row[col["id"]]
            v = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            tds += f'<td class="num" data-value="{"" if v is None else repr(v)}">{_number(v)}</td>'
        body.append(
            f'<tr {_row_attrs(c)}><th scope="row" data-value="{_e(c.area["name"])}">{_council_link(c)}</th>'
            f'<td data-value="{_e(c.region)}">{_e(c.region)}</td>'
            f'<td data-value="{_e(c.area.get("kind", ""))}">{_e(c.area.get("kind", ""))}</td>{tds}</tr>'
        )
    return (
        '<div class="table-scroll wide" tabindex="0" role="region" aria-labelledby="indicators-caption">'
        '<table class="overview sortable" id="indicator-table"><caption id="indicators-caption">Key indicators: '
        "claim and pledge tallies, and the headline value behind each claim's verdict</caption>"
        '<thead><tr><th scope="col" data-sort="text">Council</th><th scope="col" data-sort="text">Region</th>'
        f'<th scope="col" data-sort="text">Kind</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def _column_notes(columns: list[dict], summary: str) -> str:
    items = "".join(
        f'<li><span class="claim-id">{_e(col["id"])}</span> (briefing {_e(col["section"][:2])}): {_e(col["text"])}. '
        f'<span class="reason">Indicator: {_e(col["indicator"])}</span></li>'
        for col in columns
    )
    return f'<details><summary>{_e(summary)}</summary><ul class="columns">{items}</ul></details>'


def _figure(fig_png: bytes, alt: str, caption: str, table_html: str, number: int) -> str:
    from . import citations

    png = base64.b64encode(fig_png).decode()
    return (
        f'<figure class="hexmap" id="map-{number}"><img src="data:image/png;base64,{png}" alt="{_e(alt)}">'
        f'<figcaption><span class="figure-label">Map {number}.</span> {_e(caption)}'
        f"{citations.note_html([HEXMAP_DATASET])}</figcaption>{table_html}</figure>"
    )


def _map_table(rows: list[tuple[str, str]], header: str, number: int) -> str:
    body = "".join(f'<tr><th scope="row">{_e(name)}</th><td>{_e(value)}</td></tr>' for name, value in rows)
    return (
        f"<details><summary>The data behind map {number} ({len(rows)} councils)</summary>"
        f'<table><thead><tr><th scope="col">Council</th><th scope="col">{_e(header)}</th></tr></thead>'
        f"<tbody>{body}</tbody></table></details>"
    )


def _listing(names: list[str], limit: int = 6) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def verdict_map(councils: list[Council], col: dict, number: int) -> str:
    from . import hexmap

    verdict_of = {c.code: cell(c, col)[0] for c in councils}
    shown = {code: v for code, v in verdict_of.items() if v in VERDICT_COLOURS}
    order = [v for v in VERDICT_ORDER if v in VERDICT_COLOURS]
    fig = hexmap.category_map(shown, order, VERDICT_COLOURS, f"Verdict: {col['id']}")
    names = {c.code: c.area["name"] for c in councils}
    parts = []
    for v in order:
        who = sorted(names[code] for code, x in shown.items() if x == v)
        if who:
            parts.append(f"{v}: {len(who)} ({_listing(who)})")
    alt = (
        f"Hex map of England, one hexagon per district or unitary council, showing the verdict on the claim "
        f"'{col['text']}' for {len(shown)} built councils: {'; '.join(parts)}. Councils not built are pale grey."
    )
    caption = f"Verdict on the claim: {col['text']}. " + (fig.briefing_note or "")
    rows = [(names[code], verdict_of[code]) for code in sorted(verdict_of, key=lambda k: names[k])]
    return _figure(hexmap.png(fig), alt, caption, _map_table(rows, "Verdict", number), number)


def map_title(indicator: str, limit: int = 60) -> str:
    """A map's title from its indicator's description: the words before any bracket or semicolon, at most
    ``limit`` characters (cut at a word)."""
    text = re.split(r"\s*[(;]", indicator, maxsplit=1)[0].strip().rstrip(",.")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.") + "…"
    return text


def value_map(councils: list[Council], col: dict, number: int) -> str:
    from . import hexmap

    values = {c.code: _value(c.claim(col["id"])) for c in councils}
    have = {k: v for k, v in values.items() if v is not None}
    fig = hexmap.value_map(have, map_title(col["indicator"]), fmt=_number)
    names = {c.code: c.area["name"] for c in councils}
    ranked = sorted(have, key=lambda k: (-have[k], names[k]))
    extremes = (
        f"highest {names[ranked[0]]} ({_number(have[ranked[0]])}), lowest {names[ranked[-1]]} "
        f"({_number(have[ranked[-1]])})"
        if ranked
        else "no council has a value"
    )
    alt = (
        f"Hex map of England, one hexagon per district or unitary council, shading {len(have)} built councils by "
        f"the value behind the claim '{col['text']}' ({col['indicator'][:160]}): {extremes}; darker is higher. "
        "Councils not built or without a value are pale grey."
    )
    caption = f"{col['indicator']}. Value behind the claim: {col['text']}. " + (fig.briefing_note or "")
    rows = [(names[k], _number(values[k])) for k in sorted(values, key=lambda k: names[k])]
    return _figure(hexmap.png(fig), alt, caption, _map_table(rows, "Value", number), number)


CSS = """
main, .page-header, .page-footer { max-width: 90rem; }
.table-scroll.wide { max-height: 36rem; overflow: auto; border: 1px solid var(--rule); }
table.overview { font-size: .8rem; border-collapse: separate; border-spacing: 0; }
table.overview th, table.overview td { padding: .2rem .35rem; white-space: nowrap; background: #fff; }
table.overview thead th { position: sticky; top: 0; z-index: 2; vertical-align: bottom; }
table.overview tbody th { position: sticky; left: 0; z-index: 1; }
table.overview thead th:first-child { left: 0; z-index: 3; }
.claim-id { font-family: ui-monospace, monospace; font-size: .78rem; }
.reason { color: var(--muted); font-size: .75rem; }
table.overview td.v-s { background: #D4EFEC; }
table.overview td.v-p { background: #FDF0C2; }
table.overview td.v-n { background: #F2D4E0; }
table.overview td.v-u { background: #EDEDED; }
table.overview td.v-x { color: var(--muted); }
table.overview th button { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; cursor: pointer;
  color: var(--accent); text-align: left; }
.filters { display: flex; gap: 1.5rem; align-items: end; flex-wrap: wrap; margin: .5rem 0; }
.filters label { display: block; font-weight: 600; font-size: .9rem; }
.maps { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1.5rem; }
figure.hexmap { margin: 0; }
figure.hexmap img { max-width: 100%; height: auto; display: block; }
ul.columns { font-size: .85rem; }
@media print { .filters { display: none !important; } .table-scroll.wide { max-height: none; overflow: visible; } }
"""

SCRIPT = """(function () {
  var controls = document.getElementById('filters');
  var tables = Array.prototype.slice.call(document.querySelectorAll('table.sortable'));
  var region = document.getElementById('filter-region');
  var kind = document.getElementById('filter-kind');
  var count = document.getElementById('filter-count');
  controls.hidden = false;
  function apply() {
    var shown = 0;
    tables.forEach(function (table, i) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var hide = (region.value && tr.dataset.region !== region.value) ||
          (kind.value && tr.dataset.kind !== kind.value);
        tr.hidden = !!hide;
        if (i === 0 && !hide) { shown += 1; }
      });
    });
    count.textContent = shown + ' of ' + tables[0].tBodies[0].rows.length + ' councils shown';
  }
  region.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  tables.forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.dataset.sort === 'num';
        var rows = Array.prototype.slice.call(table.tBodies[0].rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.value, y = b.cells[col].dataset.value, r;
          if (numeric) {
            var fx = x === '' ? Infinity : parseFloat(x), fy = y === '' ? Infinity : parseFloat(y);
            r = fx === fy ? 0 : (fx < fy ? -1 : 1);
            if (x === '' || y === '') { return r; }
          } else {
            r = x.localeCompare(y, 'en', {numeric: true});
          }
          return ascending ? r : -r;
        });
        rows.forEach(function (tr) { table.tBodies[0].appendChild(tr); });
      });
    });
  });
  apply();
})();
"""


def _sources() -> str:
    """The hex map's source entry (the maps' source notes link to it); the verdicts and values come from each
    council's briefings, whose pages list their own sources."""
    from . import citations

    return (
        "<p>Verdicts and values come from each council's briefings, whose pages list every dataset they used.</p>"
        + citations.sources_section_html([HEXMAP_DATASET])
    )


def _options(values: list[str], label: str, ident: str) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return (
        f'<div><label for="{ident}">{_e(label)}</label><select id="{ident}">'
        f'<option value="">All</option>{options}</select></div>'
    )


def overview_html(councils: list[Council], *, commit: str = "") -> tuple[str, dict[str, str]]:
    """The overview page and the CSV files it links (name -> text)."""
    from . import report

    columns = claim_columns(councils)
    verdicts_csv = verdict_frame(councils, columns)
    indicators, valued = indicator_frame(councils, columns)
    files = {
        "overview-verdicts.csv": verdicts_csv.to_csv(index=False, lineterminator="\n"),
        "overview-indicators.csv": indicators.to_csv(index=False, lineterminator="\n"),
    }
    regions = sorted({c.region for c in councils if c.region})
    kinds = sorted({c.area.get("kind", "") for c in councils if c.area.get("kind")})
    filters = (
        '<div class="filters" id="filters" hidden>'
        + _options(regions, "Region", "filter-region")
        + _options(kinds, "Kind of council", "filter-kind")
        + '<p id="filter-count" aria-live="polite"></p></div>'
    )
    figures = []
    number = 0
    for col in main_claims(councils, columns):
        number += 1
        figures.append(verdict_map(councils, col, number))
    for col in headline_indicators(councils, valued):
        number += 1
        figures.append(value_map(councils, col, number))
    maps = (
        f'<div class="maps">{"".join(figures)}</div>'
        if figures
        else "<p>No claim has a tested verdict or a value yet, so there is nothing to map.</p>"
    )
    links = "".join(
        f"<li>{_council_link(c)} ({_e(c.code)}, {_e(c.area.get('kind', ''))}, {_e(c.region or 'no region')}): "
        f"{len(c.records)} briefings</li>"
        for c in councils
    )
    kinds_count = Counter(c.area.get("kind", "") for c in councils)
    built = ", ".join(f"{n} {k}" for k, n in sorted(kinds_count.items()))
    body = (
        '<header class="page-header"><p class="kicker">Council briefings · national overview</p>'
        f"<h1>Claims tested across {len(councils)} councils</h1></header>\n"
        '<main id="content">\n'
        f"<p>Councils built in this folder: {_e(built)}. Only built councils appear; each links to its collection, "
        "and each verdict to the claim's row in its briefing.</p>"
        '<h2 id="verdicts">Verdicts by council and claim</h2>'
        "<p>Column headings are claim ids; the list under the table says what each claim is. Cells: the verdict, or "
        "why the claim cannot be tested, or that the register does not apply it to that council, or that the "
        "briefing was not built.</p>"
        f'<p><a href="overview-verdicts.csv" download>Download the verdicts as CSV (overview-verdicts.csv)</a></p>'
        f"{filters}{verdict_table(councils, columns)}"
        f"{_column_notes(columns, f'What each claim column is ({len(columns)} claims)')}"
        '<h2 id="indicators">Key indicators by council</h2>'
        f'<p><a href="overview-indicators.csv" download>Download the key indicators as CSV '
        "(overview-indicators.csv)</a></p>"
        f"{indicator_table(indicators, councils, valued)}"
        f"{_column_notes(valued, f'What each indicator column is ({len(valued)} claims with a value)')}"
        '<h2 id="maps">Maps</h2>'
        "<p>The main claims (tested for the most built councils) by verdict, and the headline values behind the "
        "claims with a value for the most councils. A cartogram: every council has the same area whatever its size.</p>"
        f"{maps}"
        f'<h2 id="councils">Council collections</h2><ul>{links}</ul>\n'
        f'<h2 id="sources">Sources</h2><div class="sources">{_sources()}</div>\n</main>\n'
        '<footer class="page-footer"><p class="build">Built from the councils\' manifest.json files'
        + (f" at git commit <code>{_e(commit)}</code>" if commit else "")
        + ". Hex map: Open Innovations HexJSON of UK local authority districts (2023), MIT licence.</p></footer>"
    )
    page = report._page("Council briefings: national overview", body, extra_css=CSS, script=SCRIPT)
    report.check_page(page, "index.html")
    return page, files


def write(output_dir: Path, *, commit: str = "") -> Path:
    """Write ``output_dir/index.html``: the national overview when more than one council is built (with its
    CSVs), else the plain list of built areas. Returns the page's path."""
    from . import report

    output_dir = Path(output_dir)
    councils = built_councils(output_dir)
    target = output_dir / "index.html"
    if len(councils) < 2:
        report.atomic_write(target, report.outputs_index_html([c.area for c in councils]))
        return target
    page, files = overview_html(councils, commit=commit)
    for name, text in files.items():
        report.atomic_write(output_dir / name, text)
    report.atomic_write(target, page)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.overview OUTPUT_DIR``: (re)write the national overview of a built folder."""
    parser = argparse.ArgumentParser(prog="python -m helpers.overview", description=__doc__.split("\n")[0])
    parser.add_argument("output_dir", type=Path, help="a folder of built councils, e.g. outputs/")
    parser.add_argument("--commit", default="", help="git commit to name in the footer (default: none)")
    args = parser.parse_args(argv)
    if not args.output_dir.is_dir():
        print(
            f"overview: {args.output_dir} is not a folder: give the runner's output folder, e.g. outputs/",
            file=sys.stderr,
        )
        return 2
    try:
        path = write(args.output_dir, commit=args.commit)
    except BriefingError as error:
        print(f"overview: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
