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

from . import areas, charts, datasets, registry

#: The output type scrapbook uses for JSON scraps (scrapbook.scrapbooks / glue with encoder "json").
SCRAP_MIME = "application/scrapbook.scrap.json+json"

VERDICTS = ("supported", "partly supported", "not supported", "cannot be tested with public data")
PLEDGE_STATUSES = ("on track", "off track", "uncertain", "baseline only", "no public indicator")


@dataclass
class Claim:
    """A factual claim of the manifesto section (paraphrased), tested against an indicator."""

    claim: str
    section: str
    indicator: str
    verdict: str
    evidence: str


@dataclass
class Pledge:
    """A pledge of the manifesto section (paraphrased), tracked by an indicator."""

    pledge: str
    section: str
    indicator: str
    latest: str
    direction: str
    status: str


class Briefing:
    """The running record of one section briefing for one area."""

    def __init__(self, section: str, title: str, area: str):
        self.section = section
        self.title = title
        self.area = areas.resolve_briefing_area(area)
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

    def claim(self, claim: str, indicator: str, verdict: str, evidence: str, section: str | None = None) -> Claim:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
        c = Claim(claim, section or self.section, indicator, verdict, evidence)
        self.claims.append(c)
        return c

    def pledge(
        self, pledge: str, indicator: str, latest: str, direction: str, status: str, section: str | None = None
    ) -> Pledge:
        if status not in PLEDGE_STATUSES:
            raise ValueError(f"status must be one of {PLEDGE_STATUSES}, not {status!r}")
        p = Pledge(pledge, section or self.section, indicator, latest, direction, status)
        self.pledges.append(p)
        return p

    def gap(self, text: str) -> None:
        """Record an evidence gap (a question no public dataset here can answer) and show it."""
        self.gaps.append(text)
        self.say(f"**Evidence gap.** {text}")

    # --- display ------------------------------------------------------------------------------------
    @staticmethod
    def say(markdown: str) -> None:
        """Show generated prose (Markdown) in the notebook and the HTML."""
        from IPython.display import Markdown, display

        display(Markdown(markdown))

    def figure(self, fig, alt: str, sources: list[str], caption: str | None = None) -> None:
        """Show a chart as an HTML figure with alt text, caption and source line (with licences)."""
        from IPython.display import HTML, display

        if not alt or len(alt.strip()) < 20:
            raise ValueError("every figure needs alt text that describes what the chart shows (20+ characters)")
        self._figures += 1
        data = base64.b64encode(charts.png_bytes(fig)).decode()
        # the house style puts titles on the left; fall back to a centred title
        title = (fig.axes[0].get_title(loc="left") or fig.axes[0].get_title()) if fig.axes else ""
        body = (
            f'<figure class="briefing-figure" id="figure-{self._figures}">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" style="max-width:100%">'
            f"<figcaption><strong>Figure {self._figures}.</strong> {html.escape(caption or title)}"
            f'<br><span class="source">{html.escape(self.source_line(sources))}</span></figcaption></figure>'
        )
        display(HTML(body))

    def table(self, frame: pd.DataFrame, caption: str, sources: list[str], floatfmt: str = "{:,.1f}") -> None:
        """Show a table with a caption and a source line."""
        from IPython.display import HTML, display

        formatted = frame.copy()
        for col in formatted.select_dtypes("number").columns:
            formatted[col] = formatted[col].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
        body = (
            f'<div class="briefing-table"><p class="caption"><strong>{html.escape(caption)}</strong></p>'
            + formatted.to_html(index=False, border=0, escape=True, na_rep="")
            + f'<p class="source">{html.escape(self.source_line(sources))}</p></div>'
        )
        display(HTML(body))

    @staticmethod
    def source_line(source_ids: list[str]) -> str:
        """'Source: publisher, title (period); licence: …' for each dataset id."""
        return "Source: " + "; ".join(registry.get(s).citation() for s in source_ids)

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
        return pd.DataFrame(rows, columns=["dataset", "publisher", "licence", "period", "landing page"])

    def show_findings(self) -> None:
        self.say("\n".join(f"- {f}" for f in self.findings) or "_No findings were generated._")

    def show_claims_and_pledges(self) -> None:
        from IPython.display import HTML, display

        for caption, frame in (("Claim check", self.claims_table()), ("Pledge tracker", self.pledges_table())):
            display(HTML(f"<h3>{caption}</h3>" + frame.to_html(index=False, border=0, escape=True)))

    def show_sources(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.sources_table().to_html(index=False, border=0, escape=True, render_links=True)))

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
