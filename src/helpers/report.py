"""Reviewer-ready output: clean executed notebooks, briefing HTML, error pages, the index and CSVs.

Everything here is a pure function of its inputs, so two builds with the same inputs write
byte-identical files (timings live only in ``manifest.json``, written by :mod:`helpers.runner`).

Pages are self-contained and offline: the nbconvert template in ``templates/briefing`` replaces the
``lab`` page skeleton (which links require.js, MathJax and Mermaid from a CDN) with one that has inline
CSS only; images are inline ``data:`` URIs. :func:`check_page` fails the build when a page would load
anything over the network or shows an image without alt text.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from . import citations, config, glossary
from .errors import BriefingError
from .pagetext import (
    data_links,
    humanise_periods,
    main_text,
    main_text_words,
    source_note_problems,
    template_leaks,
    visible_text,
)

__all__ = [
    "briefing_html",
    "check_page",
    "data_links",
    "main_text",
    "main_text_words",
    "source_note_problems",
    "template_leaks",
    "visible_text",
]

TEMPLATES_DIR = Path(__file__).with_name("templates")
#: The alt text nbconvert's lab template writes when an output image has none: counts as missing.
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"
#: Cell metadata that changes on every run (timings) or carries papermill's per-run state.
VOLATILE_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled")
CLAIM_COLUMNS = ["claim", "section", "indicator", "verdict", "evidence"]
PLEDGE_COLUMNS = ["pledge", "section", "indicator", "latest", "direction", "status"]
_ADDRESS = re.compile(r"\b(at|object at) 0x[0-9a-fA-F]{6,}")
FOOTER_START = '<footer class="page-footer">'
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class PageError(BriefingError):
    """A generated page breaks a reviewer-HTML rule (image without alt text, a network resource)."""


# --- files ---------------------------------------------------------------------------------------


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and ``os.replace`` it, so a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def css() -> str:
    """The one stylesheet of every reviewer page (inlined into each page)."""
    return (TEMPLATES_DIR / "briefing.css").read_text(encoding="utf-8")


def build_date() -> str:
    """The day the pages are built, as people write it ("4 December 2026"): ``SOURCE_DATE_EPOCH`` when set (so
    a rebuild of the same inputs can be byte-identical), else today (UTC)."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    day = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        if epoch.isdigit()
        else dt.datetime.now(tz=dt.UTC).date()
    )
    return f"{day.day} {day:%B %Y}"


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes, line breaks and ``<`` escaped)."""
    out = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + " ".join(out.split()) + '"'


def print_css(manifesto: str, built: str, area: str = "") -> str:
    """Per-page print rules: every printed page names the manifesto, the council and the build date (bottom left)
    and carries its page number (bottom right), in ``@page`` margin boxes (Chromium 131 and later)."""
    who = f"{area} · " if area else ""
    left = _css_string(f"{who}Tests: {manifesto} · Built {built}")
    return (
        "@page { @bottom-left { content: " + left + "; font-size: 7.5pt; color: #3d3d3d; "
        "font-family: system-ui, Arial, sans-serif; }\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt; '
        "color: #3d3d3d; font-family: system-ui, Arial, sans-serif; } }\n"
    )


def manifesto_title(record: dict) -> str:
    """The title of the manifesto a record tests (its id for records written before titles were recorded)."""
    info = record.get("briefing", {}) if record else {}
    return str(info.get("manifesto_title") or info.get("manifesto") or "the manifesto")


# --- executed notebooks --------------------------------------------------------------------------


def scrub(text: str, paths: tuple[str, ...] = ()) -> str:
    """``text`` without absolute paths of this machine (repo root, output folder) or memory addresses."""
    for prefix in sorted({str(config.REPO_ROOT), *paths}, key=len, reverse=True):
        if prefix and prefix != "/":
            text = text.replace(prefix.rstrip("/") + "/", "").replace(prefix, ".")
    return _ADDRESS.sub(lambda m: f"{m.group(1)} 0x…", text)


def _scrub_output(output, paths: tuple[str, ...]) -> None:
    """Scrub the text parts of one output in place (images and scrapbook JSON are left alone)."""
    if "text" in output:
        output["text"] = scrub(output["text"], paths)
    if output.get("output_type") == "error":
        output["evalue"] = scrub(output.get("evalue", ""), paths)
        output["traceback"] = [scrub(line, paths) for line in output.get("traceback", [])]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") and isinstance(value, str):
            output["data"][mime] = scrub(value, paths)


def clean_notebook(nb, parameters: dict, paths: tuple[str, ...] = ()):
    """Make an executed notebook deterministic: drop timings, papermill's run state and random ids.

    Keeps only ``parameters`` in ``metadata.papermill``; gives papermill's injected parameters cell
    (whose id nbformat makes at random) a fixed id; scrubs machine paths and memory addresses from
    text outputs. Returns the same notebook object.
    """
    nb.metadata["papermill"] = {"parameters": dict(parameters)}
    nb.metadata.pop("widgets", None)
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        if "id" in cell and cell["id"] in seen:
            cell["id"] = f"cell-{index}"
        if "id" in cell:
            seen.add(cell["id"])
        for output in cell.get("outputs", []):
            _scrub_output(output, paths)
    return nb


def notebook_bytes(nb) -> bytes:
    """The notebook serialised the way nbformat writes it (sorted keys, stable)."""
    import nbformat

    return (nbformat.writes(nb) + "\n").encode("utf-8")


def empty_record(section: str, area: dict) -> dict:
    """The record of a briefing that published nothing (no ``b.publish()`` cell)."""
    return {
        "briefing": {
            "section": section,
            "title": section,
            "area_code": area["code"],
            "area_name": area["name"],
            "area_kind": area["kind"],
        },
        "findings": [],
        "claims": [],
        "pledges": [],
        "gaps": [],
        "sources": [],
    }


def read_record(nb, section: str, area: dict) -> dict:
    """The scrapbook scraps a notebook published (``Briefing.publish``), with defaults for missing ones."""
    record = empty_record(section, area)
    scraps = _scraps(nb)
    for name in record:
        if name in scraps and scraps[name] is not None:
            record[name] = scraps[name]
    record["briefing"] = {**empty_record(section, area)["briefing"], **record["briefing"]}
    return json.loads(json.dumps(record, default=str))


def _scraps(nb) -> dict:
    """Name -> value of every scrapbook scrap in an in-memory notebook."""
    from scrapbook.models import Notebook

    return {name: scrap.data for name, scrap in Notebook(nb).scraps.items()}


# --- briefing pages ------------------------------------------------------------------------------


class _PageScan(HTMLParser):
    """Collects images (with alt text) and any resource the page would fetch over the network."""

    FETCHING = {
        "script": "src",
        "link": "href",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        ref = attrs.get(self.FETCHING.get(tag, ""), None)
        if ref and re.match(r"\s*(https?:)?//", ref):
            self.remote.append(f"<{tag}> {ref}")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            for ref in re.findall(r"(?:@import\s+|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", data):
                self.remote.append(f"<style> {ref}")


def scan_page(page: str) -> _PageScan:
    """Parse a page and return its images and network references."""
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    return scan


def check_page(page: str, name: str) -> None:
    """Raise :class:`PageError` if an image lacks alt text or the page would fetch anything remote."""
    scan = scan_page(page)
    for number, attrs in enumerate(scan.images, 1):
        alt = (attrs.get("alt") or "").strip()
        if not alt or alt == NBCONVERT_PLACEHOLDER_ALT:
            raise PageError(
                f"{name}: image {number} has no alt text; show charts with "
                "Briefing.figure(fig, alt=...) instead of displaying the figure"
            )
    if scan.remote:
        raise PageError(
            f"{name}: the page would load {scan.remote[0]} from the network; "
            "reviewer pages must be self-contained (inline the resource or drop it)"
        )


def _heading_text(inner: str) -> str:
    text = re.sub(r"<[^>]+>", "", inner)
    return html.unescape(text).replace("¶", "").strip()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "section"


def add_toc(page: str, marker: str = "<!--briefing-toc-->") -> str:
    """Replace ``marker`` with a table of contents of the h2/h3 headings after it (ids added if missing)."""
    if marker not in page:
        return page
    head, body = page.split(marker, 1)
    body, footer = (body.split(FOOTER_START, 1) + [""])[:2]
    footer = FOOTER_START + footer if footer else ""
    entries: list[tuple[int, str, str]] = []
    used = set(re.findall(r'\bid="([^"]+)"', page))

    def visit(match: re.Match) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        text = _heading_text(inner)
        found = re.search(r'\bid="([^"]+)"', attrs)
        if found:
            anchor = found.group(1)
        else:
            anchor, n = _slug(text), 1
            while anchor in used:
                n += 1
                anchor = f"{_slug(text)}-{n}"
            used.add(anchor)
            attrs = f'{attrs} id="{anchor}"'
        if level in (2, 3) and text:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = re.sub(r"<h([1-3])(\s[^>]*)?>(.*?)</h\1>", visit, body, flags=re.S)
    if footer and 'id="build-sources"' in footer:
        entries.append((2, "build-sources", "Sources and build"))
    if not entries:
        return head + body + footer
    items = "\n".join(
        f'<li class="level-{level}"><a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a></li>'
        for level, anchor, text in entries
    )
    nav = (
        f'<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2>\n<ul>\n{items}\n</ul></nav>'
    )
    return head + nav + body + footer


def _reviewer_copy(nb, include_code: bool):
    """A copy of the notebook as reviewers see it: no scrapbook records (data, not display), no warnings on
    stderr unless code is shown, and the key findings once (at the top of the page): the notebook's own
    ``Briefing.show_findings`` output is dropped, with a markdown cell that is only its heading."""
    nb = copy.deepcopy(nb)
    drop = set()
    for index, cell in enumerate(nb.cells):
        if not cell.get("outputs"):
            continue
        kept = [o for o in cell["outputs"] if not _hidden_output(o, include_code)]
        only_findings = any(_findings_output(o) for o in cell["outputs"]) and not [
            o for o in kept if o.get("output_type") != "stream" or include_code
        ]
        cell["outputs"] = kept
        previous = nb.cells[index - 1] if index else None
        if only_findings and previous is not None and previous.cell_type == "markdown":
            if re.fullmatch(r"\s*#{1,6}\s+[^\n]*\s*", previous.source or ""):
                drop.add(index - 1)  # "## Key findings" over an output the page no longer shows
    if drop and not include_code:
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
    return nb


def _findings_output(output) -> bool:
    return (output.get("metadata") or {}).get("briefing", {}).get("role") == "findings"


def _hidden_output(output, include_code: bool) -> bool:
    data = output.get("data", {})
    if data and all(mime.startswith("application/scrapbook") for mime in data):
        return True
    if _findings_output(output):
        return True  # Briefing.show_findings: the page shows the key findings once, at the top
    if not include_code and output.get("output_type") == "execute_result":
        return True  # a cell's last value (a panel's `p.frame`) is for the researcher in the notebook, not the page
    return not include_code and output.get("output_type") == "stream" and output.get("name") == "stderr"


def _source_rows(record: dict) -> list[dict]:
    """The record's datasets (``Briefing.publish`` ``sources``) as rows: dataset, publisher, licence, period, url."""
    rows = []
    for s in record.get("sources", []):
        rows.append(
            {
                "dataset": s.get("dataset", ""),
                "publisher": s.get("publisher", ""),
                "licence": s.get("licence", ""),
                "period": s.get("period", ""),
                "url": s.get("landing page") or s.get("landing_page") or "",
            }
        )
    return rows


SOURCES_MARKER = "<!--briefing-sources-->"
_SOURCE_LINK = re.compile(r'href="#source-([^"]+)"')
_SOURCE_ID = re.compile(r'\bid="source-([^"]+)"')


def add_sources(page: str, record: dict, marker: str = SOURCES_MARKER) -> str:
    """Replace ``marker`` (in the footer) with the numbered sources section: every dataset of the record and
    every dataset a source note links to, except those the notebook already listed (``Briefing.show_sources``),
    so each ``#source-<id>`` link has exactly one target."""
    if marker not in page:
        return page
    present = set(_SOURCE_ID.findall(page))
    rows = {r["dataset"]: {**r, "landing page": r["url"]} for r in _source_rows(record) if r["dataset"]}
    wanted = list(dict.fromkeys(list(rows) + _SOURCE_LINK.findall(page)))
    missing = [d for d in wanted if citations.anchor(d)[len("source-") :] not in present]
    if missing:
        start = len(present) + 1
        body = citations.sources_section_html(missing, rows, start=start)
        lead = (
            "<p>Datasets this briefing loaded or cited, with where to get them and how to check them.</p>"
            if not present
            else "<p>Further datasets cited on this page.</p>"
        )
        section = f'<div class="sources" id="sources-list">{lead}\n{body}</div>'
    elif present:
        section = '<p>The datasets are listed in the <a href="#sources">sources section</a> above.</p>'
    else:
        section = "<p>This briefing recorded no data sources.</p>"
    return page.replace(marker, section, 1)


def add_glossary(page: str) -> str:
    """Explain the first use of each technical term in ``<main>`` (``<abbr title=…>``) and append a glossary
    of the terms used at the end of ``<main>`` (:mod:`helpers.glossary`)."""
    start, end = page.find('<main id="content">'), page.rfind("</main>")
    if start < 0 or end < start:
        return page
    body, used = glossary.annotate(page[start:end])
    return page[:start] + body + glossary.section_html(used) + "\n" + page[end:]


def briefing_html(nb, record: dict, *, include_code: bool, commit: str, parameters: dict) -> str:
    """The reviewer page of one executed briefing (checked with :func:`check_page`)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from . import summary

    info = record["briefing"]
    built = build_date()
    title = manifesto_title(record)
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="briefing",
        exclude_input=not include_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"remove-cell"},
            remove_input_tags={"remove-input"},
            remove_all_outputs_tags={"remove-output"},
            enabled=True,
        ),
        enabled=True,
    )
    resources = {
        "briefing": {
            "page_title": f"{info['title']} — {info['area_name']}",
            "heading": f"{info['title']}: {info['area_name']}",
            "kicker": f"Briefing {info['section']} · {info['area_name']} ({info['area_code']}, {info['area_kind']})",
            "area_name": info["area_name"],
            "findings": record.get("findings", []),
            "sources": _source_rows(record),
            "commit": commit,
            "include_code": include_code,
            "parameters": json.dumps(parameters, sort_keys=True),
            "css": css() + print_css(title, built, info["area_name"]),
            "main_points": summary.briefing_main_points(record),
            "manifesto_title": title,
            "contact": str(info.get("manifesto_contact") or ""),
            "built": built,
        }
    }
    reviewer, payloads = stash_payloads(_reviewer_copy(nb, include_code))
    page, _ = exporter.from_notebook_node(reviewer, resources=resources)  # type: ignore[arg-type]
    page = add_glossary(page)
    page = add_sources(page, record)
    page = humanise_periods(add_toc(page))  # no "P1Y" from a notebook's prose or a table reaches a reader
    check_page(page, f"{info['section']}.html")  # before the payloads return: data: URIs fetch nothing
    return restore_payloads(page, payloads)


#: A base64 ``data:`` URI (a chart's PNG, a table's CSV) inside an output's HTML.
DATA_URI = re.compile(r"data:[\w.+/-]+;base64,[A-Za-z0-9+/=]+")
PAYLOAD_TOKEN = "briefing-payload-{}-"


def stash_payloads(nb) -> tuple[object, list[str]]:
    """Swap every embedded base64 payload in the notebook's outputs for a short token, in place.

    The page's HTML is parsed several times on its way out (nbconvert's alt-text and focus pass, the glossary,
    the table of contents); the charts' and tables' base64 payloads are most of its bytes and none of its
    markup, so they are parked here and put back by :func:`restore_payloads` once the markup is final."""
    payloads: list[str] = []

    def park(text: str) -> str:
        payloads.append(text)
        return PAYLOAD_TOKEN.format(len(payloads) - 1)

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            for mime, value in list(data.items()):
                if mime == "text/html":
                    text = "".join(value) if isinstance(value, list) else str(value)
                    data[mime] = DATA_URI.sub(lambda m: park(m.group(0)), text)
                elif mime.startswith("image/") and mime != "image/svg+xml":
                    data[mime] = park("".join(value) if isinstance(value, list) else str(value))
    return nb, payloads


def restore_payloads(page: str, payloads: list[str]) -> str:
    """Put back what :func:`stash_payloads` parked (each token once, at the place it was taken from)."""
    if not payloads:
        return page
    pattern = re.compile(re.escape(PAYLOAD_TOKEN).replace(r"\{\}", r"(\d+)"))

    def put_back(m: re.Match) -> str:
        n = int(m.group(1))
        return payloads[n] if n < len(payloads) else m.group(0)

    return pattern.sub(put_back, page)


# --- error pages ---------------------------------------------------------------------------------


@dataclass
class Failure:
    """Why one briefing did not build: the failing cell (if any) and a one-line message."""

    message: str
    cell_index: int | None = None
    execution_count: int | None = None
    cell_source: str = ""
    traceback: list[str] = field(default_factory=list)

    def one_line(self) -> str:
        if self.cell_index is None:
            return self.message
        where = f"In [{self.execution_count}]: " if self.execution_count else f"cell {self.cell_index}: "
        return where + self.message


def _page(title: str, body: str, extra_css: str = "", script: str = "") -> str:
    """A minimal self-contained page with the shared stylesheet (plus ``extra_css`` and an inline ``script``)."""
    tail = f"<script>\n{script}</script>\n" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css()}{extra_css}</style>\n</head>\n<body>\n{body}\n{tail}</body>\n</html>\n"
    )


def error_html(area: dict, section: str, failure: Failure, *, commit: str, previous: str | None) -> str:
    """The page written when a briefing fails: which cell, the one-line error, the previous good build."""
    cell = ""
    if failure.cell_index is not None:
        label = f"In [{failure.execution_count}]" if failure.execution_count else f"cell {failure.cell_index}"
        cell = (
            f"<h2>Failing cell</h2>\n<p>The notebook stopped at <strong>{html.escape(label)}</strong> "
            f"(cell {failure.cell_index} of the executed notebook):</p>\n"
            f"<pre><code>{html.escape(failure.cell_source)}</code></pre>\n"
        )
    kept = (
        f'<p>The previous successful build is kept: <a href="{html.escape(previous)}">{html.escape(previous)}</a>.</p>'
        if previous
        else "<p>There is no previous successful build of this briefing.</p>"
    )
    trace = ""
    if failure.traceback:
        text = _ANSI.sub("", "\n".join(failure.traceback))
        trace = f"<details><summary>Technical details</summary>\n<pre>{html.escape(text)}</pre></details>\n"
    body = (
        f'<header class="page-header"><p class="kicker">{html.escape(area["name"])} ({html.escape(area["code"])})</p>\n'
        f"<h1>Briefing {html.escape(section)} failed to build</h1>\n"
        f'<nav aria-label="Briefing links"><a href="index.html">All briefings for {html.escape(area["name"])}</a>'
        "</nav></header>\n"
        f'<main id="content">\n<h2>Error</h2>\n<p class="error-message">{html.escape(failure.message)}</p>\n'
        f"{cell}{kept}\n{trace}</main>\n"
        f'<footer class="page-footer"><p class="build">Git commit <code>{html.escape(commit)}</code>.</p></footer>'
    )
    return _page(f"Briefing {section} failed — {area['name']}", body)


# --- index, CSV ----------------------------------------------------------------------------------


def _columns(kind: str) -> list[str]:
    """The columns of a claim or pledge row (``briefing.CLAIM_COLUMNS`` / ``PLEDGE_COLUMNS``)."""
    from . import briefing

    return list(briefing.CLAIM_COLUMNS if kind == "claims" else briefing.PLEDGE_COLUMNS)


def _cell(value) -> str:
    return "" if value is None else str(value)


def table_rows(entries: list[dict], kind: str, area: dict) -> list[dict]:
    """Every claim (``kind='claims'``) or pledge of the collection, every column of the record, with the area
    prepended (missing values are empty strings)."""
    columns = _columns(kind)
    rows = []
    for entry in entries:
        for item in (entry.get("record") or {}).get(kind, []):
            cells = {c: _cell(item.get(c)) for c in columns}
            rows.append({"area_code": area["code"], "area_name": area["name"], **cells})
    return rows


def csv_text(rows: list[dict], kind: str) -> str:
    """Rows as CSV text (header always present, ``\\n`` line ends): ``area_code``, ``area_name`` and every column
    of ``briefing.CLAIM_COLUMNS`` or ``PLEDGE_COLUMNS``."""
    columns = ["area_code", "area_name"] + _columns(kind)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _html_table(rows: list[dict], kind: str, caption: str) -> str:
    """Claims or pledges as a compact table: each item links to its row in its briefing (the evidence is there,
    and in the CSV), with its verdict or status, why it cannot be tested, and its data period."""
    if not rows:
        return f"<p>No {caption.lower()} were recorded.</p>"
    one, result = ("claim", "verdict") if kind == "claims" else ("pledge", "status")
    head = "".join(
        f'<th scope="col">{html.escape(c)}</th>'
        for c in ("Briefing", one.capitalize(), result.capitalize(), "Why it cannot be tested", "Data period")
    )
    body = []
    for r in rows:
        href = f"{r['section']}.html#{one}-{r.get(f'{one}_id', '')}"
        body.append(
            f'<tr><td data-label="Briefing">{html.escape(r["section"][:2])}</td>'
            f'<td data-label="{one.capitalize()}">'
            f'<a href="{html.escape(href, quote=True)}">{html.escape(r[one])}</a></td>'
            f'<td data-label="{result.capitalize()}">{html.escape(r[result])}</td>'
            f'<td data-label="Why it cannot be tested">{html.escape(r.get("untestable", ""))}</td>'
            f'<td data-label="Data period">{html.escape(r.get("period", "") or "–")}</td></tr>'
        )
    return (
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
        f'<table class="index-{kind} stack">\n<caption>{html.escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table></div>"
    )


def _briefing_item(entry: dict) -> str:
    """One briefing on the index: a link and its status (its key findings stay on the briefing: issue 23 §2)."""
    record = entry.get("record") or {}
    info = record.get("briefing", {})
    title = html.escape(f"{entry['section']} — {info.get('title', entry['section'])}")
    link = f'<a href="{html.escape(entry["html"])}">{title}</a>' if entry.get("html") else title
    status = ""
    if entry.get("status") == "failed":
        previous = " The last successful build is linked above." if entry.get("html") else ""
        status = (
            f' <span class="status-failed">Failed in the latest run</span> '
            f'(<a href="{html.escape(entry["error_page"])}">error page for {html.escape(entry["section"])}</a>).'
            f"{previous}"
        )
    return f"<li>{link}{status}</li>"


def index_html(area: dict, entries: list[dict], other_areas: list[dict], *, commit: str) -> str:
    """The area's index: the council summary (:mod:`helpers.summary`) at the top, every briefing linked, every
    claim and pledge linked to its row (collapsed), other areas built."""
    from . import summary

    claims = table_rows(entries, "claims", area)
    pledges = table_rows(entries, "pledges", area)
    briefings = "\n".join(_briefing_item(e) for e in entries) or "<li>No briefings have been built yet.</li>"
    others = "\n".join(
        f'<li><a href="../{html.escape(o["slug"])}/index.html">{html.escape(o["name"])} '
        f"({html.escape(o['code'])})</a></li>"
        for o in other_areas
    )
    others = f"<ul>\n{others}\n</ul>" if others else "<p>No other areas have been built in this folder.</p>"
    title = next((manifesto_title(e["record"]) for e in entries if e.get("record")), "the manifesto")
    built = build_date()
    body = (
        f'<header class="page-header"><p class="kicker">Council briefings · {html.escape(area["kind"])}</p>\n'
        f"<h1>Briefings for {html.escape(area['name'])} ({html.escape(area['code'])})</h1>\n"
        f'<p class="page-meta">Tests the claims of: {html.escape(title)}. Built {html.escape(built)}.</p></header>\n'
        f'<main id="content">\n{summary.summary_html(area, entries)}\n{_spine(area)}\n'
        f'<h2 id="briefings">Briefings</h2>\n<ol class="briefing-list">\n{briefings}\n</ol>\n'
        f'<div class="index-detail">\n<h2 id="claims">Claim check</h2>\n'
        f'<p><a href="claims.csv" download>Download all claims with their evidence as CSV (claims.csv)</a></p>\n'
        f"<details><summary>Every claim ({len(claims)}), linked to its row in its briefing</summary>\n"
        f"{_html_table(claims, 'claims', 'Claims')}\n</details>\n"
        f'<h2 id="pledges">Pledge tracker</h2>\n'
        f'<p><a href="pledges.csv" download>Download all pledges with their evidence as CSV (pledges.csv)</a></p>\n'
        f"<details><summary>Every pledge ({len(pledges)}), linked to its row in its briefing</summary>\n"
        f"{_html_table(pledges, 'pledges', 'Pledges')}\n</details>\n"
        f'<h2 id="other-areas">Other areas built</h2>\n{others}\n</div>\n</main>\n'
        f'<footer class="page-footer"><p class="build">Built from git commit <code>{html.escape(commit)}</code>. '
        "Build details (parameters, data checksums, timings) are in "
        '<a href="manifest.json">manifest.json</a>.</p></footer>'
    )
    page = humanise_periods(
        _page(f"Briefings for {area['name']}", body, extra_css=summary.CSS + print_css(title, built, area["name"]))
    )
    check_page(page, "index.html")
    return page


def _spine(area: dict) -> str:
    """The spine chart of the headline indicators (:mod:`helpers.spine`); a data problem is said in one line
    instead of failing the index."""
    from . import spine
    from .errors import BriefingError

    try:
        return spine.spine_html(area["code"], area["name"])
    except BriefingError as error:
        return f'<p class="gap">The spine chart could not be drawn: {html.escape(str(error))}</p>'


def outputs_index_html(built_areas: list[dict]) -> str:
    """The top-level ``outputs/index.html``: a link to every area built in the folder."""
    items = "\n".join(
        f'<li><a href="{html.escape(a["slug"])}/index.html">{html.escape(a["name"])} '
        f"({html.escape(a['code'])})</a></li>"
        for a in built_areas
    )
    body = (
        f'<header class="page-header"><h1>Council briefings</h1></header>\n<main id="content">\n'
        f"<h2>Areas built</h2>\n<ul>\n{items}\n</ul>\n</main>"
    )
    return _page("Council briefings", body)
