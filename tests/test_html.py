"""Reviewer HTML: self-contained pages, alt text enforced, key findings, contents, sources footer, code
hidden by default, index and error pages. Most tests render small in-memory notebooks (no kernel);
one checks a page the runner really built."""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import shared_build  # noqa: E402

from helpers import config, registry, report  # noqa: E402

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
#: A script, stylesheet or font fetched over the network (links to web pages are fine).
REMOTE = re.compile(r"<(script|link|style|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)
RECORD = {
    "briefing": {
        "section": "00_test",
        "title": "Test briefing",
        "area_code": "E10000003",
        "area_name": "Cambridgeshire",
        "area_kind": "county",
    },
    "findings": ["Finding one is first.", "Finding two is second."],
    "claims": [{"claim": "A claim", "section": "00_test", "indicator": "i", "verdict": "supported", "evidence": "e"}],
    "pledges": [
        {
            "pledge": "A pledge",
            "section": "00_test",
            "indicator": "i",
            "latest": "1",
            "direction": "up",
            "status": "on track",
        }
    ],
    "gaps": [],
    "sources": [
        {
            "dataset": "uk_la_names_codes_hierarchy",
            "publisher": "mySociety",
            "licence": "CC-BY-4.0",
            "period": "July 2025",
            "landing page": "https://github.com/mysociety/uk_local_authority_names_and_codes",
        }
    ],
}


def figure_output(alt: str | None) -> dict:
    alt_attr = f' alt="{alt}"' if alt is not None else ""
    html = (
        f'<figure class="briefing-figure"><img src="data:image/png;base64,{PNG}"{alt_attr}>'
        f'<figcaption>Figure 1. <span class="source">Source: test</span></figcaption></figure>'
    )
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def notebook(*extra_outputs) -> nbformat.NotebookNode:
    """A small executed briefing: title, parameters, two questions, a figure, prose, a warning."""
    params = new_code_cell('area = "E10000003"')
    params.metadata["tags"] = ["parameters"]
    figure = new_code_cell("b.figure(fig, alt=...)", execution_count=3)
    figure.outputs = [
        figure_output("Bar chart of three values rising from 1 to 3."),
        new_output("display_data", data={"text/markdown": "Generated **prose**.", "text/plain": "<Markdown>"}),
        new_output("stream", name="stderr", text="FutureWarning: something\n"),
        *extra_outputs,
    ]
    printing = new_code_cell("print('hidden code')", execution_count=4)
    printing.outputs = [new_output("stream", name="stdout", text="shown output\n")]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 — Test briefing\n\nWhat this tests."),
            params,
            new_markdown_cell("## First question"),
            figure,
            new_markdown_cell("## Second question\n\n### A detail"),
            printing,
        ]
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    return nb


def render(nb=None, include_code=False) -> str:
    return report.briefing_html(
        nb or notebook(), RECORD, include_code=include_code, commit="abc123", parameters={"area": "E10000003"}
    )


def test_page_is_self_contained():
    page = render()
    assert not REMOTE.search(page)
    assert "<script" not in page and "<link" not in page and "@import" not in page and "@font-face" not in page
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert report.scan_page(page).remote == []


def test_template_and_css_name_no_network_resource():
    for path in report.TEMPLATES_DIR.rglob("*"):
        if path.is_file():
            assert "http" not in path.read_text(), path


def test_title_findings_contents_and_footer():
    page = render()
    assert "<title>Test briefing — Cambridgeshire</title>" in page
    assert "<h1>Test briefing: Cambridgeshire</h1>" in page and "00_test" in page
    findings = page.index('id="key-findings"')
    assert (
        findings
        < page.index("Finding one is first.")
        < page.index("Finding two is second.")
        < page.index("First question")
    )
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in page
    assert [t for t in re.findall(r">([^<]+)</a></li>", toc)] == [
        "First question",
        "Second question",
        "A detail",
        "Sources and build",
    ]
    footer = page[page.index('<footer class="page-footer">') :]
    # full provenance once, from the registry: publisher, licence, period, landing page, pinned file and sha256
    source = registry.get("uk_la_names_codes_hierarchy")
    for text in ("mySociety", "CC-BY-4.0", "abc123", 'id="source-uk_la_names_codes_hierarchy"', source.files[0].sha256):
        assert text in footer
    assert html.escape(source.period) in footer and html.escape(source.landing_page, quote=True) in footer


def test_code_and_prompts_hidden_by_default():
    page = render()
    assert "hidden code" not in page and "shown output" in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "FutureWarning" not in page


def test_include_code_shows_code_without_prompts():
    page = render(include_code=True)
    assert "hidden" in page and "code" in page and "print" in page
    assert "In&nbsp;[" not in page and "FutureWarning" in page
    assert not REMOTE.search(page)


def test_every_image_has_alt_text():
    images = report.scan_page(render()).images
    assert images and all(img.get("alt", "").strip() for img in images)


@pytest.mark.parametrize("alt", [None, "", "   "])
def test_figure_without_alt_text_fails_the_build(alt):
    nb = notebook()
    nb.cells[3].outputs[0] = figure_output(alt)
    with pytest.raises(report.PageError, match="image 1 has no alt text"):
        render(nb)


def test_plain_matplotlib_output_fails_the_build():
    """nbconvert writes a placeholder alt for image/png outputs: that counts as missing."""
    nb = notebook(new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}))
    with pytest.raises(report.PageError, match="no alt text"):
        render(nb)


def test_remote_script_fails_the_build():
    nb = notebook(new_output("display_data", data={"text/html": '<script src="https://cdn.example/x.js"></script>'}))
    with pytest.raises(report.PageError, match="network"):
        render(nb)


def test_rendering_is_deterministic_across_processes():
    """The page from a second Python process (fresh hash seed, fresh template cache) is byte-identical."""
    import subprocess
    import sys

    code = "import sys; sys.path.insert(0, 'tests'); import test_html; sys.stdout.write(test_html.render())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=config.REPO_ROOT, env=env, check=True
    ).stdout
    assert other == render()


def test_scrapbook_records_are_not_shown():
    scrap = new_output(
        "display_data",
        data={"application/scrapbook.scrap.json+json": {"name": "x", "data": 1}},
        metadata={"scrapbook": {"name": "x"}},
    )
    assert "scrapbook" not in render(notebook(scrap)).replace("uk_la", "")


def test_index_links_briefings_tables_csv_and_other_areas():
    area = {"code": "E10000003", "name": "Cambridgeshire", "kind": "county", "slug": "cambridgeshire-e10000003"}
    entries = [
        {"section": "00_test", "status": "built", "html": "00_test.html", "record": RECORD},
        {"section": "01_bad", "status": "failed", "html": None, "error_page": "01_bad.error.html", "record": None},
    ]
    others = [{"code": "E06000031", "name": "Peterborough", "kind": "unitary", "slug": "peterborough-e06000031"}]
    page = report.index_html(area, entries, others, commit="abc123")
    for text in (
        'href="00_test.html"',
        'href="claims.csv"',
        'href="pledges.csv"',
        "A claim",
        "A pledge",
        'href="../peterborough-e06000031/index.html"',
        "01_bad.error.html",
        "Failed in the latest run",
    ):
        assert text in page
    assert not REMOTE.search(page)
    assert "Finding one is first." not in page  # key findings appear once, on their briefing (issue 23 §2)
    rows = report.table_rows(entries, "claims", area)
    text = report.csv_text(rows, "claims")
    assert text.splitlines()[0] == (
        "area_code,area_name,section,claim_id,claim,source,indicator,verdict,untestable,evidence,rule,period,"
        "period_end,value"
    )
    assert text.splitlines()[1] == "E10000003,Cambridgeshire,00_test,,A claim,,i,supported,,e,,,,"


def test_error_page_names_cell_and_escapes_message():
    area = {"code": "E10000003", "name": "Cambridgeshire", "kind": "county", "slug": "x"}
    failure = report.Failure(
        "ValueError: bad <script>alert(1)</script>",
        cell_index=5,
        execution_count=4,
        cell_source="x = 1/0",
        traceback=["\x1b[31mValueError\x1b[0m: bad"],
    )
    page = report.error_html(area, "03_x", failure, commit="abc", previous="03_x.html")
    assert "In [4]" in page and "x = 1/0" in page and 'href="03_x.html"' in page
    assert "<script>" not in page and "\x1b" not in page
    assert failure.one_line() == "In [4]: ValueError: bad <script>alert(1)</script>"


@pytest.mark.slow
@pytest.mark.xdist_group("shared-build")
def test_built_page_passes_reviewer_checks(tmp_path_factory):
    area = shared_build(tmp_path_factory) / "cambridgeshire-e10000003"
    for name in ("00_ok.html", "index.html"):
        page = (area / name).read_text()
        report.check_page(page, name)
        assert not REMOTE.search(page)
    page = (area / "00_ok.html").read_text()
    images = report.scan_page(page).images
    assert len(images) == 1 and images[0]["alt"].startswith("Bar chart of three made-up values")
    assert "Key findings" in page and "Cambridgeshire is a county." in page
    assert 'class="toc"' in page and "Sources and build" in page


def test_key_findings_shown_once_at_the_top():
    """Briefing.show_findings output (and a markdown cell that is only its heading) stays out of the page."""
    heading = new_markdown_cell("## Key findings")
    shown = new_code_cell("b.show_findings()", execution_count=9)
    shown.outputs = [
        new_output(
            "display_data",
            data={"text/html": "<ul><li>Finding one is first.</li></ul>", "text/plain": "- Finding one is first."},
            metadata={"briefing": {"role": "findings"}},
        )
    ]
    nb = notebook()
    nb.cells += [heading, shown]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    page = render(nb)
    assert page.count("Finding one is first.") == 1
    assert page.count(">Key findings<") == 1  # the template's section only
    assert "Key findings" not in re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)


def test_payloads_are_parked_during_export_and_put_back_exactly():
    """Base64 charts and CSVs skip the HTML passes (speed) and come back byte for byte, in place."""
    from helpers import report

    png = "iVBORw0KGgo" + "A" * 5000 + "+/=="
    csv = "YSxiCjEsMgo="
    cell = new_code_cell("x")
    cell.outputs = [
        new_output(
            "display_data",
            data={
                "text/html": f'<figure><img src="data:image/png;base64,{png}" alt="a chart">'
                f'<a href="data:text/csv;base64,{csv}" download="f.csv">CSV</a></figure>',
                "image/png": png,
            },
        )
    ]
    nb = new_notebook(cells=[cell])
    parked, payloads = report.stash_payloads(nb)
    text = parked.cells[0].outputs[0].data["text/html"]
    assert png not in text and csv not in text and len(payloads) == 3
    page = f"<p>{text}</p><img src='data:image/png;base64,{parked.cells[0].outputs[0].data['image/png']}'>"
    page += "<p>briefing-payload-99- is left alone</p>"
    restored = report.restore_payloads(page, payloads)
    assert f"data:image/png;base64,{png}" in restored and f"data:text/csv;base64,{csv}" in restored
    assert restored.count(png) == 2
    assert "briefing-payload-99-" in restored
