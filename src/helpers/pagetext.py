"""Read a built page as a reader sees it: visible text, main-text word count, template leaks, source notes.

Used by the reviewer checks (:mod:`helpers.report`, ``tests/test_pages.py``, ``tests/test_browser.py``):

- :func:`main_text_words`: words of visible main text, excluding collapsed ``<details>`` appendices, the
  contents list, code, the glossary, source notes and download links (issue 23 budget: 3,000);
- :func:`template_leaks`: unrendered ``{placeholders}``, ``nan``, ``None``, ``NaN%`` ... in visible text;
- :func:`source_note_problems`: every figure and table has a one-line source note of at most 200
  characters whose links point at entries of the sources section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements with no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Never visible as text.
INVISIBLE = {"head", "style", "script", "template", "noscript", "title"}
#: Left out of the main-text word count (besides INVISIBLE).
NOT_MAIN_TAGS = {"details", "nav", "pre", "code"}
NOT_MAIN_CLASSES = {
    "glossary",
    "source",
    "data-link",
    "toc",
    "sources-list",
    "named-lists",
    "card-source",
    "summary-rule",
}
#: Word budget of a briefing's main text (issue 23 §2).
WORD_BUDGET = 3000
NOTE_LIMIT = 200


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str
    parent: Node | None = None

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self, skip=lambda n: False) -> str:
        """All text below this node, skipping invisible elements and those ``skip`` rejects."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in INVISIBLE and not skip(child):
                parts.append(child.text(skip))
                if child.tag in ("p", "li", "td", "th", "br", "div", "h1", "h2", "h3", "h4", "dt", "dd", "tr"):
                    parts.append(" ")
        return "".join(parts)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # close it (and anything left open inside it)
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str) -> Node:
    """The page as a small element tree (tolerant of unclosed ``<p>``/``<li>``)."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def _words(text: str) -> list[str]:
    return [w for w in text.split() if re.search(r"[A-Za-z0-9£%]", w)]


def visible_text(page: str | Node) -> str:
    """All text a reader can see in the body (collapsed ``<details>`` included: they open on a click)."""
    root = parse(page) if isinstance(page, str) else page
    body = root.find_all("body")
    return " ".join((body[0] if body else root).text().split())


def _not_main(node: Node) -> bool:
    return node.tag in NOT_MAIN_TAGS or bool(node.classes & NOT_MAIN_CLASSES)


def main_text(page: str | Node) -> str:
    """Visible text of ``<main>`` without appendices (``<details>``), contents, code, figures, the glossary,
    source notes and download links."""
    root = parse(page) if isinstance(page, str) else page
    mains = root.find_all("main") or root.find_all("body") or [root]
    return " ".join(" ".join(m.text(_not_main) for m in mains).split())


def main_text_words(page: str | Node) -> int:
    """Number of words in the page's main text (see :func:`main_text`); issue 23 budget :data:`WORD_BUDGET`."""
    return len(_words(main_text(page)))


#: Visible-text patterns that show a template or a missing value leaked into a page.
LEAKS = (
    (re.compile(r"\{[A-Za-z_][\w. ]{0,40}(?:\[[^\]]*\])?(?:![rsa])?(?::[^{}\s]*)?\}"), "unrendered placeholder"),
    (re.compile(r"(?<![\w-])(?:nan|NaN|NAN)(?![\w-])"), "nan"),
    (re.compile(r"\bNaN%|\bnan%"), "NaN%"),
    (re.compile(r"<NA>|\bNaT\b"), "missing value marker"),
    (re.compile(r"(?<![=\w])None\b(?!\s+(?:of|were|was|is|are|has|have|had|in|at)\b)"), "None"),  # not header=None
    (re.compile(r"(?<![\w.])-?inf(?![\w-])"), "inf"),
)


def template_leaks(page: str | Node) -> list[str]:
    """Each leak in the visible text as ``'<kind>: …context…'`` (empty when the page is clean)."""
    text = visible_text(page)
    found = []
    for pattern, kind in LEAKS:
        for m in pattern.finditer(text):
            found.append(f"{kind}: …{text[max(0, m.start() - 40) : m.end() + 40]}…")
    return found


def source_note_problems(page: str | Node) -> list[str]:
    """Every figure (``figure.briefing-figure``) and table (``.briefing-table``) needs a source note
    (``.source``) of at most :data:`NOTE_LIMIT` characters with links to existing ``#source-…`` entries."""
    root = parse(page) if isinstance(page, str) else page
    ids = {n.attrs.get("id") for n in root.iter() if n.attrs.get("id")}
    problems = []
    items = root.find_all("figure", "briefing-figure") + root.find_all("div", "briefing-table")
    for item in items:
        name = item.attrs.get("id") or item.tag
        notes = item.find_all(cls="source")
        if not notes:
            problems.append(f"{name}: no source note")
            continue
        text = " ".join(notes[0].text().split())
        if len(text) > NOTE_LIMIT:
            problems.append(f"{name}: source note has {len(text)} characters (limit {NOTE_LIMIT}): {text[:80]}…")
        links = [a.attrs.get("href", "") for a in notes[0].find_all("a")]
        if not links:
            problems.append(f"{name}: source note links to no entry of the sources section")
        for href in links:
            if not href.startswith("#source-") or href[1:] not in ids:
                problems.append(f"{name}: source link {href!r} has no entry in the sources section")
    return problems


def data_links(page: str | Node) -> list[dict]:
    """Each figure's and table's CSV download: ``{"item", "href", "download", "rows"}`` (rows as written on
    the link, ``None`` when an item has no link)."""
    root = parse(page) if isinstance(page, str) else page
    out = []
    for item in root.find_all("figure", "briefing-figure") + root.find_all("div", "briefing-table"):
        links = item.find_all("a", "data-download")
        a = links[0] if links else None
        out.append(
            {
                "item": item.attrs.get("id", item.tag),
                "href": a.attrs.get("href") if a else None,
                "download": a.attrs.get("download") if a else None,
                "rows": int(a.attrs["data-rows"]) if a and a.attrs.get("data-rows", "").isdigit() else None,
            }
        )
    return out


# --- periods as people write them ----------------------------------------------------------------------

#: An ISO 8601 interval or duration in prose: ``2020-01-01/P3Y`` or ``P1Y`` (never shown to readers).
ISO_PERIOD = re.compile(r"\b(?:(\d{4})-(\d{2})-(\d{2})/)?P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?\b")
_MONTHS = ("January February March April May June July August September October November December").split()


def _duration_words(years, months, days) -> str:
    parts = []
    for n, name in ((years, "year"), (months, "month"), (days, "day")):
        if n:
            k = int(n)
            parts.append(f"{'one' if k == 1 else k} {name}{'' if k == 1 else 's'}")
    return " and ".join(parts)


def _period_words(m: re.Match) -> str:
    y, mo, d, years, months, days = m.groups()
    words = _duration_words(years, months, days)
    if not words:
        return m.group(0)
    if y is None:
        return words
    if (mo, d) == ("01", "01") and years and not months and not days:
        n = int(years)
        return y if n == 1 else f"{y} to {int(y) + n - 1}"
    start = f"{int(d)} {_MONTHS[int(mo) - 1]} {y}" if 1 <= int(mo) <= 12 else f"{y}-{mo}-{d}"
    return f"{words} from {start}"


_RAW_TEXT = {"style", "script"}


def humanise_periods(page: str) -> str:
    """``page`` with every ISO interval or duration in its visible text written as people write periods:
    ``2020-01-01/P3Y`` -> "2020 to 2022", ``P1Y`` -> "one year" (tags, attributes, styles and scripts untouched)."""
    pieces = re.split(r"(<!--.*?-->|<[^>]+>)", page, flags=re.S)
    out, raw = [], None
    for piece in pieces:
        if piece.startswith("<"):
            name = re.match(r"</?\s*([A-Za-z][A-Za-z0-9]*)", piece)
            tag = name.group(1).lower() if name else ""
            if tag in _RAW_TEXT:
                raw = None if piece.startswith("</") else tag
            out.append(piece)
        elif raw or "P" not in piece:
            out.append(piece)
        else:
            out.append(ISO_PERIOD.sub(_period_words, piece))
    return "".join(out)
