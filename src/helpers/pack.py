"""The committee pack: one council's briefings as a short A4 PDF for a committee (issue 28 §6).

``python -m helpers.pack OUTPUT_DIR/<council-slug>`` reads the records the briefings of that folder published
(the scrapbook scraps of each executed ``NN_*.ipynb``), writes ``committee-pack.html`` (the council summary, the
main points in words, each briefing's key findings and its claim and pledge cards; no technical appendix) and
prints it with headless Chromium to ``committee-pack.pdf``: A4, page numbers, the manifesto, the council and the
build date on every page. Both files are written atomically: a failed print never replaces the last good pack.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import briefing, report, summary

PACK_HTML = "committee-pack.html"
PACK_PDF = "committee-pack.pdf"
#: Headless Chromium, offline and without a profile of its own (a fresh --user-data-dir each run).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
TIMEOUT = 180

#: Print rules of the pack only: smaller type, cards in two columns, the named lists in columns.
PACK_CSS = """
@page { size: A4; margin: 12mm 12mm 15mm; }
body { font-size: 9.5pt; line-height: 1.3; }
.page-header, main { max-width: none; padding: 0; }
.page-header { padding-bottom: .3rem; }
.page-header h1 { font-size: 16pt; margin: .1rem 0; }
h2 { font-size: 13pt; margin: .8rem 0 .3rem; }
h3 { font-size: 11pt; margin: .5rem 0 .2rem; }
.pack-briefing { break-before: page; }
.pack-briefing:first-of-type { break-before: auto; }
.pack-briefing .key-findings { margin: .3rem 0; padding: .2rem .7rem; font-size: 9pt; }
.pack-briefing .key-findings ul { margin: .1rem 0; padding-left: 1rem; }
.cards { display: block; columns: 2; column-gap: 5mm; margin: .3rem 0; }
.cards .card { break-inside: avoid; margin: 0 0 2.5mm; padding: 1.5mm 2.5mm; font-size: 8.5pt; display: inline-block;
  width: 100%; }
.card-claim { font-size: 9pt; margin: .1rem 0; }
.card-source { font-size: 7.5pt; margin: 0 0 .1rem; }
.card-verdict .verdict { font-size: 9pt; }
.card-facts { grid-template-columns: 5.2rem 1fr; font-size: 8pt; gap: 0 .4rem; margin: .1rem 0; }
.card-flag { font-size: 7.5pt; margin: .1rem 0; }
.card details.rule, .cards-intro { display: none !important; }
table.tracker { font-size: 7.5pt; }
.main-points { padding: .1rem .7rem; margin: .4rem 0; }
.main-points-list { margin: .2rem 0; padding-left: 1rem; }
.named-lists { columns: 2; column-gap: 6mm; font-size: 8.5pt; }
.named-lists h3 { break-after: avoid; font-size: 9pt; }
.council-summary details.periods, .index-detail, details.technical { display: none !important; }
a { color: var(--ink); text-decoration: none; }
"""


class PackError(RuntimeError):
    """The pack could not be made (no records, no Chromium, Chromium failed)."""


def records(folder: Path) -> tuple[dict, list[dict]]:
    """(area, entries) of a built council folder: one entry per executed briefing notebook, with its record, in
    section order (entries as :func:`helpers.summary.summary_html` takes them, linked to the pack's own cards)."""
    import nbformat

    entries, area = [], None
    for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        section = path.stem
        first = {"code": "", "name": "", "kind": ""}
        record = report.read_record(nb, section, area or first)
        info = record.get("briefing", {})
        if not (record.get("claims") or record.get("pledges") or record.get("findings")):
            continue
        area = area or {
            "code": info.get("area_code", ""),
            "name": info.get("area_name", ""),
            "kind": info.get("area_kind", ""),
            "slug": Path(folder).name,
        }
        entries.append({"section": section, "record": record, "html": f"{section}.html", "status": "built"})
    if not entries or area is None:
        raise PackError(f"{folder}: no briefing records found (build the briefings first)")
    return area, entries


def _manifesto(entries: list[dict]):
    """The register the records were built from, when it can be found (for document titles, dates and links)."""
    from . import register

    wanted = entries[0]["record"].get("briefing", {}).get("manifesto", "")
    try:
        manifesto = register.load(None)
    except Exception:  # noqa: BLE001 - the pack still prints without document details
        return None
    return manifesto if manifesto.info.id == wanted else None


def pack_html(area: dict, entries: list[dict]) -> str:
    """The pack's page: header naming the manifesto and the build date, the council's main points and tally, then
    each briefing's key findings and cards. Links point inside the pack (``#claim-<id>``)."""
    manifesto = _manifesto(entries)
    title = report.manifesto_title(entries[0]["record"])
    built = report.build_date()
    contact = str(entries[0]["record"].get("briefing", {}).get("manifesto_contact") or "")
    summary_part = summary.summary_html(area, entries)  # links to NN_x.html#card become #card below
    sections = []
    for entry in entries:
        record = entry["record"]
        info = record.get("briefing", {})
        section = entry["section"]
        claims = [{**c, "section": section} for c in record.get("claims", [])]
        pledges = [{**p, "section": section} for p in record.get("pledges", [])]
        head = f"{section[:2]} {info.get('title', section)}"
        # the briefings' own key findings stay in the briefings: the pack carries the main points, the spine
        # chart and every card (16 A4 pages at most for a county)
        sections.append(
            f'<section class="pack-briefing" aria-labelledby="pack-{html.escape(section)}">'
            f'<h2 id="pack-{html.escape(section)}">{html.escape(head)}</h2>'
            + briefing.cards_html(claims, pledges, manifesto, level=3, suffix=f"-{section[:2]}")
            + "</section>"
        )
    meta = f"Tests the claims of: {html.escape(title)}. Built {html.escape(built)}."
    if contact:
        meta += f" Contact: {html.escape(contact)}."
    body = (
        f'<header class="page-header"><p class="kicker">Committee pack · {html.escape(area["name"])} '
        f"({html.escape(area['code'])})</p>\n<h1>What the data say about the manifesto's claims and pledges: "
        f'{html.escape(area["name"])}</h1>\n<p class="page-meta">{meta}</p></header>\n'
        f'<main id="content">\n{summary_part}\n{report._spine(area)}\n{"".join(sections)}\n</main>'
    )
    body = _internal_links(body)
    return report._page(  # noqa: SLF001 - the one page skeleton of the project
        f"Committee pack — {area['name']}",
        body,
        extra_css=summary.CSS + report.print_css(title, built, area["name"]) + PACK_CSS,
    )


def _internal_links(body: str) -> str:
    """Links of the summary to a briefing (``NN_x.html``) or to a card in it (``NN_x.html#claim-id``) become
    links inside the pack."""
    import re

    body = re.sub(r'href="[0-9]{2}_[a-z0-9_]+\.html#', 'href="#', body)
    return re.sub(r'href="([0-9]{2}_[a-z0-9_]+)\.html"', r'href="#pack-\1"', body)


def chromium() -> str:
    """The Chromium executable (``$CHROMIUM``, else chromium on the PATH)."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PackError("Chromium is not installed: run `bash scripts/install-browser.sh`")
    return found


def print_pdf(page: Path, pdf: Path, timeout: int = TIMEOUT) -> None:
    """Print ``page`` to ``pdf`` with headless Chromium, atomically: Chromium writes a temporary file beside
    ``pdf``, which replaces it only when it is a complete PDF."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=pdf.parent, prefix=f".{pdf.name}.", suffix=".partial")
    os.close(fd)
    profile = tempfile.mkdtemp(prefix="pack-chromium-")
    try:
        cmd = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            page.resolve().as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        data = Path(tmp).read_bytes() if Path(tmp).exists() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF") or b"%%EOF" not in data[-1024:]:
            raise PackError(f"Chromium did not print {page.name} (exit {done.returncode}): {done.stderr[-300:]}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, pdf)
    finally:
        Path(tmp).unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF (``/Type /Page`` objects; pypdf when installed)."""
    try:
        import io

        import pypdf

        return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        import re

        return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def build(folder: Path) -> Path:
    """Write ``committee-pack.html`` and ``committee-pack.pdf`` in a built council folder; returns the PDF."""
    folder = Path(folder)
    area, entries = records(folder)
    page = folder / PACK_HTML
    report.atomic_write(page, pack_html(area, entries))
    pdf = folder / PACK_PDF
    print_pdf(page, pdf)
    return pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.pack", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a built council folder, e.g. outputs/cambridgeshire-e10000003")
    args = parser.parse_args(argv)
    try:
        pdf = build(args.folder)
    except PackError as exc:
        print(f"pack: {exc}", file=sys.stderr)
        return 1
    print(f"{pdf} ({page_count(pdf.read_bytes())} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
