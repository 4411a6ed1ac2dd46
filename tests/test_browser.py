"""Open built pages from file:// in headless Chromium: no network requests, no console errors, and no
serious or critical axe-core accessibility violations. A screenshot goes to outputs/screenshots/.

Reviewer-grade checks (issue 19) on every page: no unrendered ``{placeholder}``, ``nan``, ``None`` or ``NaN%`` in
the visible text; every figure and table has a source note of at most 200 characters whose links reach an entry
of the sources section; every figure has a data link whose CSV loads with pandas and has the plotted rows.

Chromium is Debian's (``bash scripts/install-browser.sh``), driven by the ``playwright`` wheel; axe-core
comes from the npm registry at a pinned version into the git-ignored ``data/cache/npm/``. Without
Chromium the test is skipped, or fails when the ``CI`` environment variable is set.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import shared_build  # noqa: E402

from helpers import config, pagetext  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_VERSION = "4.11.0"
AXE_DIR = config.REPO_ROOT / "data" / "cache" / "npm"
BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = ("index.html", "00_ok.html")


def _unavailable(reason: str):
    """Fail in CI (the browser check is part of the build there), skip on a developer machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser check cannot be skipped)")
    pytest.skip(reason)


def axe_script() -> Path:
    """``axe.min.js`` of the pinned axe-core, installed from the npm registry into the cache on first use."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    manifest = script.with_name("package.json")
    if script.exists() and json.loads(manifest.read_text())["version"] == AXE_VERSION:
        return script
    npm = shutil.which("npm")
    if not npm:
        _unavailable("npm is not installed, so axe-core cannot be fetched")
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0 or not script.exists():
        _unavailable(f"npm could not install axe-core@{AXE_VERSION}: {proc.stderr.strip()[-300:]}")
    return script


@contextmanager
def chromium():
    """Headless Chromium with the offline flags, and the pinned axe-core script: ``with chromium() as (browser,
    axe)``. Without a browser the check fails in CI and is skipped on a developer machine."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install it with `bash scripts/install-browser.sh`")
    playwright = pytest.importorskip("playwright.sync_api")
    axe = axe_script()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser, axe
        finally:
            browser.close()


def visit(browser, path: Path, axe: Path, screenshot: Path | None) -> dict:
    """Load one page; return non-file requests, console errors and serious/critical axe violations."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    remote = [url for url in requests if not url.startswith(("file://", "data:"))]
    content = page.evaluate(READ_PAGE)
    if screenshot:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    page.add_script_tag(path=str(axe))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    page.close()
    return {"remote": remote, "errors": errors, "violations": violations, **content}


#: In the page: visible text, and for each figure and table its source note, whether the note's links reach an
#: element of the page, and the CSV behind its download link (fetched the way a reader's click would get it).
READ_PAGE = """async () => {
  const items = [];
  for (const el of document.querySelectorAll('figure.briefing-figure, div.briefing-table')) {
    const note = el.querySelector('.source');
    const links = note ? [...note.querySelectorAll('a')].map(a => a.getAttribute('href') || '') : [];
    const dl = el.querySelector('a.data-download');
    items.push({
      id: el.id, figure: el.tagName === 'FIGURE',
      note: note ? note.textContent.replace(/\\s+/g, ' ').trim() : null,
      links, reached: links.map(h => h.startsWith('#source-') && !!document.getElementById(h.slice(1))),
      csv: dl ? await (await fetch(dl.href)).text() : null,
      rows: dl ? Number(dl.dataset.rows) : null, download: dl ? dl.getAttribute('download') : null,
    });
  }
  return {text: document.body.innerText, items};
}"""


def reviewer_problems(found: dict) -> list[str]:
    """Template leaks in the visible text; figures and tables without a short linked note; figures without a
    loadable CSV of their plotted rows."""
    problems = [
        f"visible text: {leak}" for pattern, kind in pagetext.LEAKS for leak in _leaks(found["text"], pattern, kind)
    ]
    for item in found["items"]:
        name = item["id"]
        if not item["note"]:
            problems.append(f"{name}: no source note")
        elif len(item["note"]) > pagetext.NOTE_LIMIT:
            problems.append(f"{name}: source note of {len(item['note'])} characters")
        if not item["links"] or not all(item["reached"]):
            problems.append(f"{name}: source note links {item['links']} do not all reach the sources section")
        if item["figure"]:
            if item["csv"] is None:
                problems.append(f"{name}: no data link")
                continue
            frame = pd.read_csv(io.StringIO(item["csv"]))
            if len(frame) != item["rows"] or len(frame) == 0 or item["download"] != f"{name}.csv":
                problems.append(f"{name}: CSV has {len(frame)} rows, the link says {item['rows']}")
    return problems


#: A4 (210 mm) less the print stylesheet's 16 mm side margins, in CSS pixels (96 per inch).
A4_TEXT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)


def print_check(browser, path: Path, pdf: Path) -> dict:
    """Print media at the A4 text width: elements wider than the page, contents list or download links still
    shown; and the page printed to an A4 PDF."""
    page = browser.new_page(viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    page.goto(path.as_uri(), wait_until="load")
    page.emulate_media(media="print")
    found = page.evaluate(
        """(width) => ({
        overflow: [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > width + 1)
                     .slice(0, 5).map(e => e.tagName + '.' + e.className),
        hidden: [...document.querySelectorAll('nav.toc, .data-link')].filter(e => e.getClientRects().length > 0)
                     .map(e => e.tagName + '.' + e.className),
    })""",
        A4_TEXT_WIDTH,
    )
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    return {**found, "pdf": pdf.read_bytes()}


def _leaks(text: str, pattern, kind: str) -> list[str]:
    return [f"{kind}: …{text[max(0, m.start() - 30) : m.end() + 30]}…" for m in pattern.finditer(text)]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("shared-build")
def test_pages_are_offline_error_free_and_accessible(tmp_path_factory):
    area = shared_build(tmp_path_factory) / "cambridgeshire-e10000003"
    findings = {}
    with chromium() as (browser, axe):
        for name in PAGES:
            shot = config.OUTPUTS_DIR / "screenshots" / f"fixture-{Path(name).stem}.png"
            findings[name] = visit(browser, area / name, axe, shot)
        printed = print_check(browser, area / "00_ok.html", tmp_path_factory.mktemp("print") / "00_ok.pdf")
    for name, found in findings.items():
        assert found["remote"] == [], f"{name} made network requests: {found['remote']}"
        assert found["errors"] == [], f"{name} logged console errors: {found['errors']}"
        assert found["violations"] == [], f"{name} has accessibility violations: {found['violations']}"
        assert reviewer_problems(found) == [], f"{name} breaks reviewer-page rules"
    assert printed["overflow"] == [], f"content wider than an A4 page in print: {printed['overflow']}"
    assert printed["hidden"] == [], f"shown in print but should be hidden: {printed['hidden']}"
    assert printed["pdf"].startswith(b"%PDF") and b"/MediaBox [0 0 595" in printed["pdf"]  # A4 is 595 x 842 pt
    briefing = findings["00_ok.html"]
    assert any(item["figure"] for item in briefing["items"]), "the fixture briefing shows no figure"
    assert (config.OUTPUTS_DIR / "screenshots" / "fixture-00_ok.png").stat().st_size > 1000


def test_reviewer_problems_flags_leaks_long_notes_and_missing_data():
    """The page rules above, on what the browser would report (no browser needed)."""
    good = {"id": "figure-1", "figure": True, "note": "Source: ONS, Title (2021), OGL v3", "links": ["#source-x"],
            "reached": [True], "csv": "a,b\n1,2\n3,4\n", "rows": 2, "download": "figure-1.csv"}  # fmt: skip
    assert reviewer_problems({"text": "None of the councils; 12.5%", "items": [good]}) == []
    bad = [
        {**good, "note": "Source: " + "x" * 200},
        {**good, "id": "figure-2", "reached": [False], "download": "figure-2.csv"},
        {**good, "id": "figure-3", "csv": None},
        {**good, "id": "figure-4", "rows": 5, "download": "figure-4.csv"},
    ]
    problems = reviewer_problems({"text": "ranked among English {peer_word}; nan; NaN%", "items": bad})
    kinds = {p.split(": ")[1] for p in problems if p.startswith("visible text")}
    assert kinds == {"unrendered placeholder", "nan", "NaN%"}
    assert len([p for p in problems if not p.startswith("visible text")]) == 4


# --- phone width (issue 28 §4, §7) ----------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
#: Smallest computed font size of visible text, body overflow and what the cards show, measured in the page.
PHONE_CHECK = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let min = 999, where = '';
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    if (el.closest('thead') && getComputedStyle(el.closest('thead')).position === 'absolute') continue;
    const size = parseFloat(style.fontSize);
    if (size < min) { min = size; where = el.tagName + ': ' + node.textContent.trim().slice(0, 40); }
  }
  const cards = [...document.querySelectorAll('article.card')].map(c => ({
    id: c.id, verdict: (c.querySelector('.verdict') || {}).innerText || '',
    conclusion: [...c.querySelectorAll('dt')].some(dt => /Conclusion|Why it cannot be tested/.test(dt.innerText))}));
  return {min, where, scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
          bodyScroll: document.body.scrollWidth, text: document.body.innerText, cards};
}"""


def phone_check(browser, path: Path) -> dict:
    page = browser.new_page(viewport=PHONE)
    page.goto(path.as_uri(), wait_until="load")
    found = page.evaluate(PHONE_CHECK)
    page.close()
    return found


def _phone_problems(name: str, found: dict) -> list[str]:
    import re

    problems = []
    if found["min"] < 10:
        problems.append(f"{name}: text of {found['min']} px at 390 px ({found['where']})")
    if max(found["scroll"], found["bodyScroll"]) > found["width"]:
        problems.append(f"{name}: the page scrolls sideways at 390 px ({found['scroll']} px wide)")
    iso = re.findall(r"\bP\d+[YMD]\b", found["text"])
    if iso:
        problems.append(f"{name}: periods written as ISO durations: {iso[:3]}")
    return problems


def _constructed_page(tmp_path: Path) -> Path:
    from helpers import briefing, report, summary, tables

    claims = [
        briefing.Claim("06_t", "a", "A claim that holds", "manifesto §6", "ind", "supported", "", "Evidence a.", "r",
                       "2019-20", 2020, None, conclusion="The claim holds: 41.2 journeys per head.", knife_edge=True),
        briefing.Claim("06_t", "b", "A claim nobody can test", "manifesto §6", "ind", "cannot be tested",
                       "no public data", "Nobody publishes it; the council holds the records.", "r", "", None, None),
    ]  # fmt: skip
    pledges = [
        briefing.Pledge("06_t", "p", "A pledge", "manifesto §6", "ind", "", "improving", "direction only", "", "e",
                        "r", "P1Y", 2023, extra={"baseline_value": 10.0, "baseline_period": "2020-21",
                        "latest_value": 12.0, "latest_period": "2023-24", "change": 2.0, "unit": "%"}),
    ]  # fmt: skip
    wide = pd.DataFrame({f"a long column heading {i}": [1.5 * i, 2.25 * i] for i in range(9)})
    record = {"briefing": {"area_name": "Camden", "manifesto_date": "2022-05-05"},
              "claims": [asdict_(c) for c in claims], "pledges": [asdict_(p) for p in pledges]}  # fmt: skip
    body = (
        '<main id="content">'
        + summary.briefing_main_points(record)
        + briefing.cards_html(claims, pledges)
        + tables.table_html(wide, "A wide table", number=1)
        + "</main>"
    )
    path = tmp_path / "cards.html"
    path.write_text(report._page("Cards", body))
    return path


def asdict_(item) -> dict:
    from dataclasses import asdict

    return asdict(item)


@pytest.mark.browser
def test_cards_at_phone_width_are_readable_and_show_verdict_and_conclusion(tmp_path):
    if not CHROMIUM.exists():
        _unavailable("Chromium is not installed (bash scripts/install-browser.sh)")
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    path = _constructed_page(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            found = phone_check(browser, path)
        finally:
            browser.close()
    assert _phone_problems("cards.html", found) == []
    cards = {c["id"]: c for c in found["cards"]}
    assert set(cards) == {"claim-a", "claim-b", "pledge-p"}
    assert all(c["verdict"] and c["conclusion"] for c in cards.values()), cards
    assert "The claim holds: 41.2 journeys per head." in found["text"] and "knife edge" in found["text"]


BUILT_AREA = config.REPO_ROOT / "outputs" / "cambridgeshire-e10000003"


@pytest.mark.browser
@pytest.mark.skipif(not (BUILT_AREA / "06_transport.html").exists(), reason="Cambridgeshire is not built")
def test_built_index_and_briefing_at_phone_width():
    if not CHROMIUM.exists():
        _unavailable("Chromium is not installed (bash scripts/install-browser.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            found = {name: phone_check(browser, BUILT_AREA / name) for name in ("index.html", "06_transport.html")}
        finally:
            browser.close()
    problems = [p for name, f in found.items() for p in _phone_problems(name, f)]
    assert problems == []
    assert found["06_transport.html"]["cards"], "the briefing shows no claim cards"
    assert all(c["verdict"] and c["conclusion"] for c in found["06_transport.html"]["cards"])
