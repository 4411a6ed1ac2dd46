"""What every section notebook uses to say things: findings, claim checks, pledges, figures, sources.

A notebook creates one :class:`Briefing`, adds to it as it goes, and calls :meth:`Briefing.publish`
in its last cell. ``publish`` records everything with scrapbook (``sb.glue``) so the batch runner can
put the key findings at the top of the HTML and collect every claim verdict and pledge status on the
index page and as CSV, without parsing HTML.

Scraps written: ``briefing`` (section, title, area), ``findings`` (list of sentences), ``claims`` and
``pledges`` (lists of records), ``gaps`` (evidence gaps) and ``sources`` (datasets used, with licences).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from . import areas, charts, citations, datasets, register, registry, tables, verdicts

#: The output type scrapbook uses for JSON scraps (scrapbook.scrapbooks / glue with encoder "json").
SCRAP_MIME = "application/scrapbook.scrap.json+json"

#: Columns of each claim row (claims.csv adds area_code and area_name in front).
CLAIM_COLUMNS = [
    "section",
    "claim_id",
    "claim",
    "source",
    "indicator",
    "verdict",
    "untestable",
    "evidence",
    "rule",
    "period",
    "period_end",
    "value",
]
#: Columns of each pledge row (pledges.csv adds area_code and area_name in front).
PLEDGE_COLUMNS = [
    "section",
    "pledge_id",
    "pledge",
    "source",
    "indicator",
    "latest",
    "direction",
    "status",
    "untestable",
    "evidence",
    "rule",
    "period",
    "period_end",
]


@dataclass
class Claim:
    """A factual claim of the manifesto (paraphrased, from the register), with the verdict computed in the run."""

    section: str
    claim_id: str
    claim: str
    source: str
    indicator: str
    verdict: str
    untestable: str
    evidence: str
    rule: str
    period: str
    period_end: int | None
    value: float | None
    # --- the claim card (empty for hand-written tests that do not fill them: the card falls back to evidence)
    kind: str = ""
    conclusion: str = ""
    figure: str = ""
    compared: str = ""
    match: str = ""
    review: str = ""
    knife_edge: bool = False
    national: bool = False
    weight: int = 2
    extra: dict = field(default_factory=dict)


@dataclass
class Pledge:
    """A pledge of the manifesto (paraphrased, from the register), with the status computed in the run."""

    section: str
    pledge_id: str
    pledge: str
    source: str
    indicator: str
    latest: str
    direction: str
    status: str
    untestable: str
    evidence: str
    rule: str
    period: str
    period_end: int | None
    # --- the pledge card and the since-the-manifesto tracker (``extra``: baseline_value, latest_value, ...)
    kind: str = ""
    conclusion: str = ""
    figure: str = ""
    compared: str = ""
    match: str = ""
    review: str = ""
    knife_edge: bool = False
    national: bool = False
    weight: int = 2
    extra: dict = field(default_factory=dict)


#: The card fields copied from :class:`helpers.verdicts.Outcome` (and ``national``/``weight`` from the register).
CARD_FIELDS = ("kind", "conclusion", "figure", "compared", "match", "review", "knife_edge")


def _card_fields(entry, out: verdicts.Outcome) -> dict:
    fields = {name: getattr(out, name) for name in CARD_FIELDS}
    fields["national"] = bool(out.national or getattr(entry, "national", False))
    fields["weight"] = int(getattr(entry, "weight", 2))
    fields["extra"] = _jsonable(out.extra)
    return fields


def _jsonable(extra: dict | None) -> dict:
    """The tracker values of an outcome as plain JSON values (numbers, strings), for the scraps."""
    result: dict[str, Any] = {}
    for key, value in (extra or {}).items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            result[str(key)] = value
        elif isinstance(value, int | float):
            result[str(key)] = None if isinstance(value, float) and value != value else float(value)
        else:
            result[str(key)] = str(value)
    return result


class Briefing:
    """The running record of one section briefing for one area."""

    def __init__(self, section: str, title: str, area: str, manifesto: str | None = None):
        self.section = section
        self.title = title
        self.area = areas.resolve_briefing_area(area)
        #: the claims register (``manifesto`` is a path; empty/None: BRIEFINGS_MANIFESTO or the default register)
        self.manifesto = register.load(manifesto or None)
        self.findings: list[str] = []
        self.claims: list[Claim] = []
        self.pledges: list[Pledge] = []
        self.gaps: list[str] = []
        self._figures = 0
        charts.apply_style()

    # --- areas ------------------------------------------------------------------------------------
    @property
    def districts(self) -> list[areas.Area]:
        """The county's districts, or the single-tier council itself."""
        return areas.local_areas(self.area)

    @property
    def region(self) -> areas.Area:
        return areas.region_of(self.area)

    def similar(self, k: int = 5) -> list[areas.Area]:
        similar: list[areas.Area] = areas.comparators(self.area, k)["similar"]  # type: ignore[assignment]
        return similar

    def comparison_codes(self, k: int = 5) -> list[str]:
        """Area, its districts (if a county), region, England and similar councils, in that order."""
        codes = [self.area.code] + [d.code for d in areas.districts_of(self.area)]
        codes += [self.region.code, areas.ENGLAND_CODE] + [a.code for a in self.similar(k)]
        return list(dict.fromkeys(codes))

    # --- what the briefing says ---------------------------------------------------------------------
    def finding(self, sentence: str) -> str:
        """Record one key finding (a sentence built from numbers computed in this run)."""
        self.findings.append(sentence.strip())
        return sentence

    def context(self) -> register.Context:
        """What the register's test functions are given: this council, the manifesto and this section."""
        return register.Context(area=self.area, manifesto=self.manifesto, section=self.section)

    def check_claims_and_pledges(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Test every claim and track every pledge the register gives this section, for this council.

        Each entry's named test runs now (verdicts from :mod:`helpers.verdicts`); entries that name other places
        are left out or tested in their general form. Shows both tables (each row anchored as
        ``claim-<id>`` / ``pledge-<id>`` so other briefings can link to it) and returns them.
        """
        ctx = self.context()
        reg = self.manifesto.sections.get(self.section)
        for entry in reg.claims if reg else []:
            if register.applies(entry, self.area.code) is None:
                continue
            text, out = register.evaluate(entry, ctx)
            self._add_claim(entry, text, out)
        for entry in reg.pledges if reg else []:
            if register.applies(entry, self.area.code) is None:
                continue
            text, out = register.evaluate(entry, ctx, pledge=True)
            self._add_pledge(entry, text, out)
        self.show_claims_and_pledges()
        return self.claims_table(), self.pledges_table()

    def _add_claim(self, entry, text: str, out: verdicts.Outcome) -> Claim:
        if any(c.claim_id == entry.id for c in self.claims):
            raise ValueError(f"claim {entry.id} was already checked in this briefing")
        c = Claim(
            self.section,
            entry.id,
            text,
            entry.source,
            out.indicator or entry.indicator,
            out.verdict,
            out.untestable,
            out.evidence,
            out.rule,
            out.period,
            out.period_end,
            out.value,
            **_card_fields(entry, out),
        )
        self.claims.append(c)
        return c

    def _add_pledge(self, entry, text: str, out: verdicts.Outcome) -> Pledge:
        if any(p.pledge_id == entry.id for p in self.pledges):
            raise ValueError(f"pledge {entry.id} was already tracked in this briefing")
        p = Pledge(
            self.section,
            entry.id,
            text,
            entry.source,
            out.indicator or entry.indicator,
            out.latest,
            out.direction or "not known",
            out.verdict,
            out.untestable,
            out.evidence,
            out.rule,
            out.period,
            out.period_end,
            **_card_fields(entry, out),
        )
        self.pledges.append(p)
        return p

    def link_claim(self, entry_id: str) -> str:
        """Markdown link to a claim or pledge tested in another briefing of the collection (tested once, there).

        Under another register (``--manifesto``) the id may not exist, or the entry may not apply to this
        council: the link then points at this briefing's own claim check, so a notebook never needs editing."""
        try:
            section, kind, entry = self.manifesto.find(entry_id)
        except register.RegisterError:
            return "[the claim check of this briefing](#claim-check)"
        if register.applies(entry, self.area.code) is None:
            return "[the claim check of this briefing](#claim-check)"
        general = register.applies(entry, self.area.code) == "general form"  # never another place's wording
        label = (entry.elsewhere.text if general and entry.elsewhere else entry.text).format(area=self.area.name)
        anchor = f"{kind[:-1]}-{entry.id}"
        where = "this briefing" if section == self.section else f"briefing {section[:2]}"
        return f"[{label}]({'' if section == self.section else section + '.html'}#{anchor}) (tested in {where})"

    def show(self, panel: Any) -> Any:
        """Show a :class:`helpers.panels.Panel`: its prose, figures and tables in order, then its gaps; record its
        findings. Returns the panel, so a cell can end with ``p.frame`` to inspect the data behind it."""
        from .panels import Figure, Table

        for part in panel.parts:
            if isinstance(part, Figure):
                self.figure(part.fig, part.alt, part.sources, caption=part.caption, data=part.data)
            elif isinstance(part, Table):
                self.table(
                    part.frame,
                    part.caption,
                    part.sources,
                    formats=part.formats,
                    labels=part.labels,
                    collapsed=part.collapsed,
                )
            else:
                self.say(str(part))
        for text in panel.gaps:
            self.gap(text)
        for sentence in panel.findings:
            self.finding(sentence)
        for text in panel.details:
            self.say(text, details="Model diagnostics")
        if panel.sources:
            self._cite(panel.sources)
        return panel

    def gap(self, text: str) -> None:
        """Record an evidence gap (a question no public dataset here can answer) and show it."""
        self.gaps.append(text)
        self.say(f"**Evidence gap.** {text}")

    # --- display ------------------------------------------------------------------------------------
    @staticmethod
    def say(markdown: str, *, details: str | None = None) -> None:
        """Show generated prose (Markdown; any raw HTML in it is escaped) in the notebook and the HTML.

        With ``details="Model diagnostics"`` the prose goes in a collapsed
        ``<details><summary>Model diagnostics</summary>…</details>`` appendix: still in the page, not
        counted in the briefing's word budget (issue 23)."""
        from IPython.display import display

        body = markdown_html(markdown)
        if details:
            body = f'<details class="appendix"><summary>{html.escape(details)}</summary>\n{body}\n</details>'
        display({"text/html": body, "text/plain": markdown}, raw=True)

    @classmethod
    def appendix(cls, title: str, markdown: str) -> None:
        """A collapsed appendix (method detail, diagnostics): ``say(markdown, details=title)``."""
        cls.say(markdown, details=title)

    def _cite(self, sources) -> list[str]:
        """Remember the datasets a figure or table cites (they get an entry in the sources section)."""
        ids = [str(s) for s in (sources or [])]
        cited = self.__dict__.setdefault("_cited", [])
        cited.extend(i for i in ids if i not in cited)
        return ids

    def _next(self, counter: str) -> int:
        self.__dict__[counter] = self.__dict__.get(counter, 0) + 1
        return self.__dict__[counter]

    def figure(
        self, fig, alt: str, sources: list[str], caption: str | None = None, data: pd.DataFrame | None = None
    ) -> None:
        """Show a chart as an HTML figure: image with alt text, a caption that adds information, a one-line
        source note linked to the sources section, and a "Download the data (CSV)" link.

        ``caption``: shown unless it only repeats the chart title; otherwise the note the chart helper
        attached (``fig.briefing_note``, e.g. what the whiskers mean) is used, or no caption.
        ``sources``: dataset ids. ``data``: the frame plotted (default ``fig.briefing_data`` from
        :mod:`helpers.charts`, else the bars, lines and points read off the figure)."""
        from IPython.display import HTML, display

        if not alt or len(alt.strip()) < 20:
            raise ValueError("every figure needs alt text that describes what the chart shows (20+ characters)")
        ids = self._cite(sources)
        self._figures += 1
        number = self._figures
        note = str(getattr(fig, "briefing_note", "") or "")
        frame = data if data is not None else getattr(fig, "briefing_data", None)
        if frame is None:  # a chart drawn without helpers.charts: offer the values drawn on it
            frame = charts.plotted_data(fig)
        title = (fig.axes[0].get_title(loc="left") or fig.axes[0].get_title()) if fig.axes else ""
        png = base64.b64encode(charts.png_bytes(fig)).decode()
        text = figure_caption(caption, title, note)
        link = (
            f'<p class="data-link">{tables.csv_link(frame, f"figure-{number}.csv")}</p>'
            if isinstance(frame, pd.DataFrame)
            else ""
        )
        body = (
            f'<figure class="briefing-figure" id="figure-{number}">'
            f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}">'
            f'<figcaption><span class="figure-label">Figure {number}.</span> {html.escape(text)}'
            f"{citations.note_html(ids)}{link}</figcaption></figure>"
        )
        display(HTML(body))

    def table(
        self,
        frame: pd.DataFrame,
        caption: str,
        sources: list[str],
        *,
        formats: dict | None = None,
        labels: dict | None = None,
        collapsed: bool | None = None,
        floatfmt: str | None = None,
    ) -> None:
        """Show a table formatted for people (:mod:`helpers.tables`): human headers with units, integers
        without decimals, 1 dp for percentages, numbers right-aligned, long tables collapsed, a one-line
        source note and a CSV download.

        ``formats``: per-column override, e.g. ``{"rank": "int", "apc": "dp2"}`` (see ``tables.FORMATS``);
        ``labels``: header overrides; ``collapsed``: force (True) or prevent (False) the ``<details>``.
        ``floatfmt`` is deprecated (use ``formats``): it only sets the decimals of plain decimal columns."""
        from IPython.display import HTML, display

        ids = self._cite(sources)
        number = self._next("_tables")
        body = tables.table_html(
            frame,
            caption,
            number=number,
            source_note=citations.note_html(ids),
            formats=formats,
            labels=labels,
            collapsed=collapsed,
            floatfmt=floatfmt,
        )
        display(HTML(body))

    @staticmethod
    def source_line(source_ids: list[str]) -> str:
        """The one-line source note as plain text: ``Source: publisher, short title (period), licence``
        (at most 200 characters; full provenance is in the sources section)."""
        return citations.note_text(source_ids)

    def claims_table(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.claims], columns=list(Claim.__dataclass_fields__))

    def pledges_table(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(p) for p in self.pledges], columns=list(Pledge.__dataclass_fields__))

    def sources_table(self) -> pd.DataFrame:
        """Every dataset loaded in this run, with publisher, licence, period and landing page."""
        rows = [
            {
                "dataset": s.id,
                "publisher": s.publisher,
                "licence": s.licence,
                "period": s.period,
                "landing page": s.landing_page,
            }
            for s in datasets.used_sources()
        ]
        used = {r["dataset"] for r in rows}
        for dataset_id in self.__dict__.get("_cited", []):  # cited by a figure or table but not loaded here
            if dataset_id not in used:
                s = registry.get(dataset_id)
                rows.append(
                    {
                        "dataset": s.id,
                        "publisher": s.publisher,
                        "licence": s.licence,
                        "period": s.period,
                        "landing page": s.landing_page,
                    }
                )
        return pd.DataFrame(rows, columns=["dataset", "publisher", "licence", "period", "landing page"])

    def show_findings(self) -> None:
        """The key findings, for the notebook reader. The HTML page shows them once, at the top, so this
        output is marked (``metadata.briefing.role = "findings"``) and left out of the page."""
        from IPython.display import display

        text = "\n".join(f"- {f}" for f in self.findings) or "_No findings were generated._"
        display(
            {"text/html": markdown_html(text), "text/plain": text},
            metadata={"briefing": {"role": "findings"}},
            raw=True,
        )

    def show_claims_and_pledges(self) -> None:
        """The claim check and pledge tracker of this briefing: one card per register entry (anchored
        ``claim-<id>`` / ``pledge-<id>``), and the since-the-manifesto table of the pledges with tracker values."""
        from IPython.display import HTML, display

        display(HTML(cards_html(self.claims, self.pledges, self.manifesto)))

    @staticmethod
    def show_rules() -> None:
        """The verdict rule set, for the caveats."""
        from IPython.display import Markdown, display

        display(Markdown(verdicts.rules_markdown()))

    def show_sources(self) -> None:
        """The numbered sources section: one entry per dataset loaded or cited (``id="source-<dataset id>"``)
        with publisher, title, period, licence, landing page, pinned files with sha256, and caveats."""
        from IPython.display import HTML, display

        frame = self.sources_table()
        fallbacks = {r["dataset"]: r for r in frame.to_dict(orient="records")}
        listing = citations.sources_section_html(list(frame["dataset"]), fallbacks) or "<p>No data sources.</p>"
        display(HTML(f'<div class="sources" id="sources">{listing}</div>'))

    # --- hand over to the runner --------------------------------------------------------------------
    def publish(self) -> dict:
        """Record findings, claims, pledges, gaps and sources as scrapbook scraps for the runner."""
        from IPython.display import display

        record = {
            "briefing": {
                "section": self.section,
                "title": self.title,
                "area_code": self.area.code,
                "area_name": self.area.name,
                "manifesto": self.manifesto.info.id,
                "manifesto_date": self.manifesto.info.date.isoformat(),
                "manifesto_title": self.manifesto.info.title,
                "manifesto_contact": self.manifesto.info.contact,
                "area_kind": self.area.kind,
            },
            "findings": list(self.findings),
            "claims": [asdict(c) for c in self.claims],
            "pledges": [asdict(p) for p in self.pledges],
            "gaps": list(self.gaps),
            "sources": self.sources_table().to_dict(orient="records"),
        }
        for name, value in record.items():
            # scrapbook's JSON scrap output, written directly: `scrapbook.read_notebook(...).scraps` reads it,
            # and the kernel is spared importing scrapbook -> papermill -> nbformat (several seconds a run)
            display(
                {SCRAP_MIME: {"name": name, "data": value, "encoder": "json", "version": 1}},
                metadata={"scrapbook": {"name": name, "data": True, "display": False}},
                raw=True,
            )
        return record


# --- display helpers -------------------------------------------------------------------------------


def markdown_html(markdown: str) -> str:
    """Markdown prose as HTML, with any raw HTML in it escaped (text from data never becomes markup)."""
    import mistune

    renderer = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
    return str(renderer(str(markdown))).strip()


def _words(text: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in str(text)).split())


def figure_caption(caption: str | None, title: str, note: str) -> str:
    """The caption under a figure: ``caption`` unless it only repeats the chart ``title``; then the chart's
    ``note`` (what intervals or lines mean) if the caption does not already say it; '' when nothing adds
    information."""
    text = "" if caption is None or _words(caption) in ("", _words(title)) else str(caption).strip()
    if note and _words(note) not in _words(text):
        text = f"{text} {note}".strip()
    return text


# --- claim and pledge cards -------------------------------------------------------------------------

#: The review flag of a verdict on a knife edge (``Outcome.knife_edge``).
KNIFE_EDGE = "knife edge: the verdict changes at the next rank or within the interval"
_ISO_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


def period_words(period) -> str:
    """A period as people write it: ``"2023-24"`` stays; an ISO duration such as ``"P1Y"`` (never shown) becomes
    "one year" / "3 months"; None or NaN become ''."""
    if period is None or (isinstance(period, float) and period != period):
        return ""
    text = str(period).strip()
    m = _ISO_DURATION.match(text)
    if not m or text == "P":
        return text
    names = ("year", "month", "day")
    parts = [
        f"{'one' if int(n) == 1 else n} {name}{'' if int(n) == 1 else 's'}"
        for n, name in zip(m.groups(), names, strict=True)
        if n
    ]
    return " and ".join(parts)


def document_of(source: str, manifesto) -> dict:
    """The register document a ``source`` ("manifesto §6") names: title, where in it, date (Month YYYY), url,
    publisher and election ('' when not set or not found)."""
    key, _, where = str(source).partition(" ")
    doc = getattr(getattr(manifesto, "info", None), "documents", {}).get(key) if manifesto is not None else None
    if doc is None:
        return {"document": str(source), "where": "", "date": "", "url": "", "publisher": "", "election": ""}
    return {
        "document": doc.title,
        "where": where.strip(),
        "date": doc.date.strftime("%B %Y"),
        "url": doc.url,
        "publisher": doc.publisher,
        "election": doc.election,
    }


def _money(unit: str) -> bool:
    return str(unit or "").startswith("£")


def _fmt(value, unit: str) -> str:
    from .claims.kinds import fmt_value

    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return fmt_value(number, str(unit or ""))


def tracker_cells(extra: dict) -> dict | None:
    """The since-the-manifesto row of a pledge from its tracker values (``Outcome.extra``): baseline and latest
    with their periods, and the change (in real terms for money); None when there is no baseline."""
    extra = extra or {}
    if extra.get("baseline_value") is None:
        return None
    unit = str(extra.get("unit") or "")
    baseline = f"{_fmt(extra['baseline_value'], unit)} ({period_words(extra.get('baseline_period'))})"
    if extra.get("latest_value") is None:
        return {"baseline": baseline, "latest": "none published since", "change": "–"}
    latest = f"{_fmt(extra['latest_value'], unit)} ({period_words(extra.get('latest_period'))})"
    change_unit = "points" if unit == "%" else unit
    if extra.get("change_real") is not None:
        value = float(extra["change_real"])
        base = period_words(extra.get("price_base")) or "constant prices"
        change = f"{'+' if value >= 0 else '-'}{_fmt(abs(value), unit)} in real terms ({base} prices)"
    elif extra.get("change") is not None:
        value = float(extra["change"])
        shown = _fmt(abs(value), "" if unit == "%" else unit)
        change = f"{'+' if value >= 0 else '-'}{shown}{' ' + change_unit if unit == '%' else ''}"
        if _money(unit):
            change += " (cash)"
    else:
        change = "–"
    return {"baseline": baseline, "latest": latest, "change": change}


def _sentence_case(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:]


def card(item: Claim | Pledge | dict, manifesto=None) -> dict:
    """What one card shows (plain text; the template escapes it): the claim or pledge in the register's words,
    its document, section and date, the verdict, the best figure, the conclusion (falling back to the evidence),
    what was compared, whether that matches the claim, review flags, and why it cannot be tested."""
    row = asdict(item) if not isinstance(item, dict) else item
    is_claim = "claim_id" in row
    kind = "claim" if is_claim else "pledge"
    verdict = str(row.get("verdict" if is_claim else "status", ""))
    untestable = verdict == verdicts.Verdict.UNTESTABLE
    evidence = str(row.get("evidence") or "")
    conclusion = str(row.get("conclusion") or "")
    flags = [str(row["review"])] if row.get("review") else []
    if row.get("knife_edge"):
        flags.append(KNIFE_EDGE)
    tracker = None if is_claim else tracker_cells(row.get("extra") or {})
    return {
        "kind": kind,
        "id": str(row.get(f"{kind}_id", "")),
        "text": str(row.get(kind, "")),
        **document_of(row.get("source", ""), manifesto),
        "verdict": verdict,
        "verdict_label": verdict[:1].upper() + verdict[1:],
        "verdict_class": re.sub(r"[^a-z]+", "-", verdict.lower()).strip("-"),
        "national": bool(row.get("national")),
        "figure": str(row.get("figure") or ""),
        "conclusion": conclusion if (conclusion or untestable) else evidence,
        "why": _sentence_case(f"{row.get('untestable') or verdicts.NO_PUBLIC_DATA}. {evidence}") if untestable else "",
        "compared": period_words(row.get("compared")),
        "match": str(row.get("match") or ""),
        "indicator": str(row.get("indicator") or ""),
        "period": period_words(row.get("period")),
        "flags": flags,
        "rule": str(row.get("rule") or ""),
        "tracker": tracker,
    }


def _templates():
    import jinja2

    from .report import TEMPLATES_DIR

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "cards")),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    return env


def cards_html(claims: list, pledges: list, manifesto=None, *, level: int = 3, suffix: str = "", tail: str = "") -> str:
    """The claim check and pledge tracker as cards (templates/cards), every text escaped by the template.

    ``level``: the headings' level; ``suffix``: added to the headings' ids (several briefings on one page);
    ``tail``: added to the headings' text."""
    env = _templates()
    one = env.get_template("card.html.j2")

    def render_card(c: dict):
        import markupsafe

        return markupsafe.Markup(one.render(c=c))

    return env.get_template("cards.html.j2").render(
        claims=[card(c, manifesto) for c in claims],
        pledges=[card(p, manifesto) for p in pledges],
        card=render_card,
        level=level,
        suffix=suffix,
        heading_tail=tail,
    )
