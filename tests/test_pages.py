"""Reviewer-grade pages (issues 19 and 23): short linked source notes, full provenance once, plain-words
glossary, periods in prose, page text checks (template leaks, word budget), escaping of text from data; and,
when the default collection has been built (``make briefings``), the same checks on every built briefing."""

from __future__ import annotations

import base64
import io
import re
from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from helpers import charts, citations, glossary, registry, report, text  # noqa: E402
from helpers.briefing import markdown_html  # noqa: E402

# --- citations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset_id", sorted(registry.all_sources()))
def test_every_registered_dataset_has_a_short_note(dataset_id):
    note = citations.note_text([dataset_id])
    assert note.startswith("Source: ") and len(note) <= citations.NOTE_LIMIT
    parts = citations.short_parts(dataset_id)
    assert parts.publisher and parts.title and parts.licence  # publisher, short title, licence
    assert len(note) < len(registry.get(dataset_id).citation()) or len(note) < 120  # shorter than the old line


def test_many_sources_still_fit_one_line():
    ids = sorted(registry.all_sources())
    for n in (2, 4, 8, len(ids)):
        note = citations.note_text(ids[:n])
        assert len(note) <= citations.NOTE_LIMIT, note
    html_note = citations.note_html(ids[:4])
    targets = re.findall(r'href="#(source-[^"]+)"', html_note)
    assert targets == [citations.anchor(i) for i in ids[:4]]


def test_transport_note_is_short():
    """06 transport's old note ran to ~15 lines (four datasets with full provenance)."""
    ids = [
        "census2021_travel_to_work_method_ts061_la",
        "rail_station_usage_orr_2017_18_2018_19",
        "la_urban_rural_profile",
        "ons_explore_local_statistics",
    ]
    old = "Source: " + "; ".join(registry.get(s).citation() for s in ids)
    new = citations.note_text(ids)
    assert len(old) > 400 and len(new) <= 200


def test_sources_section_has_full_provenance_once():
    src = registry.get("la_urban_rural_profile")
    section = citations.sources_section_html(["la_urban_rural_profile", "la_urban_rural_profile"])
    assert section.count('id="source-la_urban_rural_profile"') == 1
    for f in src.files:
        assert f.sha256 in section
    assert f'href="{src.landing_page}"' in section or src.landing_page.replace("&", "&amp;") in section


def test_unregistered_source_name_is_escaped():
    note = citations.note_html(["<script>alert(1)</script>"])
    section = citations.sources_section_html(["<script>x</script>"], {"<script>x</script>": {"publisher": "<b>p</b>"}})
    assert "<script>" not in note and "<script>" not in section and "<b>" not in section
    assert "&lt;script&gt;" in note


# --- periods in prose ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,prose",
    [
        ("2023 - 25", "2023 to 2025"),
        ("2015-2019", "2015 to 2019"),
        ("2023/24", "2023-24"),
        ("2023 - 24", "2023-24"),
        ("2015-16 - 2020-21", "2015-16 to 2020-21"),
        ("1999/00", "1999-00"),
        ("2019", "2019"),
        ("Census 2021", "Census 2021"),
    ],
)
def test_period(raw, prose):
    assert text.period(raw) == prose


def test_fy_and_period_from_years():
    assert (
        text.fy(2023) == "2023-24" and text.period(2015, 2019) == "2015 to 2019" and text.period(2020, 2020) == "2020"
    )


# --- glossary ------------------------------------------------------------------------------------


def test_glossary_explains_first_use_only_and_skips_links_code_headings_alt():
    page = (
        '<main id="content"><h2>IQR and SII</h2><p><a href="#x">IQR</a> <code>IQR</code>'
        '<img alt="IQR chart" src="data:,"></p><p>The IQR is wide; the IQR again. The SII is 3 years '
        "(95% confidence interval 1 to 5) and 2.5pp.</p></main>"
    )
    out, used = glossary.annotate(page)
    assert [t.term for t in used] == ["IQR", "SII", "confidence interval", "pp"]
    assert out.count("<abbr") == 4
    assert "<h2>IQR and SII</h2>" in out and '<a href="#x">IQR</a>' in out and "<code>IQR</code>" in out
    assert 'alt="IQR chart"' in out
    assert re.search(
        r'<abbr tabindex="0" title="Inter-quartile range[^"]*" data-def="Inter-quartile range[^"]*" data-term="IQR">'
        r"IQR</abbr> is wide; the IQR again",
        out,
    )  # tabindex + data-def: a tap (focus) opens the definition in place, not hover only
    section = glossary.section_html(used)
    assert section.count("<dt>") == 4 and 'id="glossary"' in section


def test_glossary_does_not_match_inside_words():
    out, used = glossary.annotate("<p>SIIX, happy, CVX? LSOAs, apps 12 pp.</p>")
    assert [t.term for t in used] == ["LSOA", "pp"]


def test_glossary_sentence_with_script_stays_escaped():
    html_text = markdown_html("The IQR of <script>alert(1)</script> is **wide**.")
    out, used = glossary.annotate(html_text)
    assert "<script>" not in out and "&lt;script&gt;" in out and used and used[0].term == "IQR"


# --- page text ------------------------------------------------------------------------------------


def test_template_leaks_are_found_in_visible_text_only():
    page = (
        "<html><head><style>a{color:red}</style></head><body><main>"
        "<p>ranked among English {peer_word}; rate nan; change NaN%; value None.</p>"
        "<p>None of the councils; {first year}-{last year}</p>"
        '<img alt="{not visible}"><script>var x = {a: 1}</script></main></body></html>'
    )
    kinds = [leak.split(":")[0] for leak in report.template_leaks(page)]
    assert kinds.count("unrendered placeholder") == 3
    assert "nan" in kinds and "NaN%" in kinds and kinds.count("None") == 1
    assert report.template_leaks("<body><p>None of these; 12.5% in 2020.</p></body>") == []


def test_main_text_words_exclude_appendices_contents_code_and_source_notes():
    page = (
        '<body><main id="content"><nav class="toc"><a>one two three</a></nav>'
        "<p>Four five six seven.</p><details><summary>Model diagnostics</summary><p>many words " + "w " * 500 + "</p>"
        '</details><p class="source">Source: ONS, title</p><pre>code words</pre><p>Eight nine</p>'
        '<section class="glossary"><dl><dt>IQR</dt><dd>a definition</dd></dl></section></main>'
        "<footer>footer words</footer></body>"
    )
    assert report.main_text(page) == "Four five six seven. Eight nine"
    assert report.main_text_words(page) == 6


# --- a rendered briefing ---------------------------------------------------------------------------


def capture(call) -> list:
    """The outputs a Briefing display method produces, as nbformat outputs."""
    outputs = []

    def display(obj, *, raw=False, metadata=None, **_):
        data = obj if raw else {"text/html": obj.data, "text/plain": "<HTML>"}
        outputs.append(new_output("display_data", data=data, metadata=metadata or {}))

    with mock.patch("IPython.display.display", side_effect=display):
        call()
    return outputs


@pytest.fixture(scope="module")
def rendered():
    from helpers.briefing import Briefing

    b = Briefing("00_test", "Test briefing", "E10000003")
    frame = pd.DataFrame(
        {"name": ["A <script>x</script>", "England"], "value": [2.5, 3.0], "lo": [2.0, 2.8], "hi": [3.0, 3.2]}
    )
    fig = charts.ranked_bars(
        frame, "name", "value", title="A is lower", xlabel="x", lower="lo", upper="hi", benchmark=3.0
    )
    cells = [
        new_markdown_cell("# 00 — Test\n\n## The question"),
        new_code_cell("figure"),
        new_code_cell("table"),
        new_code_cell("prose"),
        new_markdown_cell("## Key findings"),
        new_code_cell("findings"),
        new_markdown_cell("## Sources"),
        new_code_cell("sources"),
    ]
    b.finding("A finding with an IQR.")
    cells[1].outputs = capture(
        lambda: b.figure(
            fig, alt="Bar chart of two values with whiskers.", caption="A is lower", sources=["la_urban_rural_profile"]
        )
    )
    long = pd.DataFrame(
        {"name": ["B <script>y</script>"] * 20, "pt_minutes": range(20), "rank": [float(i) for i in range(20)]}
    )
    cells[2].outputs = capture(lambda: b.table(long, "Caption <script>c</script>", ["imd2019_lsoa_england"]))

    def prose():
        b.say("The IQR of <script>alert(1)</script> is wide.")
        b.say("A Breusch-Pagan test; " + "word " * 50, details="Model diagnostics")

    cells[3].outputs = capture(prose)
    cells[5].outputs = capture(b.show_findings)
    cells[7].outputs = capture(b.show_sources)
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
        if cell.cell_type == "code":
            cell["execution_count"] = i
    record = {
        "briefing": {
            "section": "00_test",
            "title": "Test briefing",
            "area_code": "E10000003",
            "area_name": "Cambridgeshire",
            "area_kind": "county",
        },
        "findings": list(b.findings),
        "claims": [],
        "pledges": [],
        "gaps": [],
        "sources": b.sources_table().to_dict(orient="records"),
    }
    return report.briefing_html(nb, record, include_code=False, commit="abc", parameters={"area": "E10000003"})


@pytest.mark.needs_mirror
def test_rendered_page_notes_sources_and_data(rendered):
    page = rendered
    assert report.source_note_problems(page) == []
    assert report.template_leaks(page) == []
    links = report.data_links(page)
    assert [link["item"] for link in links] == ["figure-1", "table-1"]
    figure_csv = pd.read_csv(io.BytesIO(base64.b64decode(links[0]["href"].split(",", 1)[1])))
    assert len(figure_csv) == 2 == links[0]["rows"] and list(figure_csv["value"]) == [3.0, 2.5]
    assert links[0]["download"] == "figure-1.csv"
    # each dataset's full provenance once; every note's link has exactly one target
    for ds in ("la_urban_rural_profile", "imd2019_lsoa_england"):
        assert page.count(f'id="source-{ds}"') == 1
    # the caption adds information instead of repeating the chart title
    caption = re.sub(r"<[^>]+>", "", re.search(r"<figcaption>(.*?)<p", page, re.S).group(1))
    assert caption == "Figure 1. Whiskers show 95% confidence intervals. Dashed line: England."


@pytest.mark.needs_mirror
def test_rendered_page_findings_once_glossary_and_appendix(rendered):
    page = rendered
    assert page.count("A finding with an") == 1  # shown at the top only, not again by show_findings
    assert page.count('data-term="IQR"') == 1 and 'id="glossary"' in page
    assert re.search(r'<details class="appendix"><summary>Model diagnostics</summary>', page)
    assert "word word" not in report.main_text(page)  # the appendix is outside the word budget
    assert re.search(r"<details class=\"table-details\"><summary>Table 1\.", page)  # 20 rows: collapsed


@pytest.mark.needs_mirror
def test_rendered_page_escapes_text_from_data(rendered):
    body = rendered[rendered.index("<body>") :]
    assert "<script" not in body
    for escaped in (
        "B &lt;script&gt;y&lt;/script&gt;",
        "Caption &lt;script&gt;c&lt;/script&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ):
        assert escaped in body


def test_figure_without_helper_data_still_offers_the_values_drawn():
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [1.5, 2.5])
    data = charts.plotted_data(fig)
    assert list(data["value"]) == [1.5, 2.5] and list(data["category"]) == ["a", "b"]
    plt.close(fig)
