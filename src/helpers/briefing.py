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
from dataclasses import asdict, dataclass

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
        return areas.comparators(self.area, k)["similar"]

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
        label = (entry.elsewhere.text if general else entry.text).format(area=self.area.name)
        anchor = f"{kind[:-1]}-{entry.id}"
        where = "this briefing" if section == self.section else f"briefing {section[:2]}"
        return f"[{label}]({'' if section == self.section else section + '.html'}#{anchor}) (tested in {where})"

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
        """The claim check and pledge tracker of this briefing, one anchored row per register entry."""
        from IPython.display import HTML, display

        parts = ['<h3 id="claim-check">Claim check</h3>']
        if self.claims:
            rows = "".join(
                f'<tr id="claim-{html.escape(c.claim_id)}"><td>{html.escape(c.claim)}'
                f'<br><span class="register-source">{html.escape(c.source)}</span></td>'
                f"<td>{html.escape(c.indicator)}</td><td><strong>{html.escape(c.verdict)}</strong>"
                f"{'<br>' + html.escape(c.untestable) if c.untestable else ''}</td>"
                f'<td>{html.escape(c.evidence)}<details class="rule"><summary>Rule applied</summary>'
                f"{html.escape(c.rule)}</details></td>"
                f"<td>{html.escape(c.period or '–')}</td></tr>"
                for c in self.claims
            )
            parts.append(
                '<div class="table-scroll" tabindex="0" role="region" aria-label="Claim check">'
                '<table class="claims"><thead><tr><th scope="col">Claim</th>'
                '<th scope="col">Indicator</th><th scope="col">Verdict</th><th scope="col">Evidence</th>'
                f'<th scope="col">Data period</th></tr></thead><tbody>{rows}</tbody></table></div>'
            )
        else:
            parts.append("<p>The register has no claims for this section and council.</p>")
        parts.append('<h3 id="pledge-tracker">Pledge tracker</h3>')
        if self.pledges:
            rows = "".join(
                f'<tr id="pledge-{html.escape(p.pledge_id)}"><td>{html.escape(p.pledge)}'
                f'<br><span class="register-source">{html.escape(p.source)}</span></td>'
                f"<td>{html.escape(p.indicator)}</td><td>{html.escape(p.latest or '–')}</td>"
                f"<td>{html.escape(p.direction)}</td><td><strong>{html.escape(p.status)}</strong>"
                f"{'<br>' + html.escape(p.untestable) if p.untestable else ''}</td>"
                f'<td>{html.escape(p.evidence)}<details class="rule"><summary>Rule applied</summary>'
                f"{html.escape(p.rule)}</details></td></tr>"
                for p in self.pledges
            )
            parts.append(
                '<div class="table-scroll" tabindex="0" role="region" aria-label="Pledge tracker">'
                '<table class="pledges"><thead><tr><th scope="col">Pledge</th>'
                '<th scope="col">Indicator</th><th scope="col">Latest</th><th scope="col">Direction</th>'
                '<th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>"
            )
        else:
            parts.append("<p>The register has no pledges for this section and council.</p>")
        display(HTML("\n".join(parts)))

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
