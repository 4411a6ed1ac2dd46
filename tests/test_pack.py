"""The committee pack (issue 28 §6): built from the records of a council folder, printed by headless Chromium to
an A4 PDF with page numbers, never replacing the last good pack with a half-written one."""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest

from helpers import briefing, pack, summary
from helpers.briefing import SCRAP_MIME

CHROMIUM = Path("/usr/bin/chromium")
AREA = {"area_code": "E10000003", "area_name": "Cambridgeshire", "area_kind": "county"}


def _claim(section, cid, verdict, **kw):
    return asdict(
        briefing.Claim(
            section, cid, f"Claim {cid} <of {section}>", "manifesto §1", "an indicator", verdict, "",
            f"Evidence of {cid}.", "a rule", "2020", 2020, None, **kw,
        )
    )  # fmt: skip


def _pledge(section, pid, status, **kw):
    return asdict(
        briefing.Pledge(
            section, pid, f"Pledge {pid}", "manifesto §1", "an indicator", "", "improving", status, "",
            f"Evidence of {pid}.", "r", "2020 to 2023", 2023, **kw,
        )
    )  # fmt: skip


def write_briefing(folder: Path, section: str, claims: list, pledges: list) -> None:
    """An executed notebook as the runner leaves it: the scraps ``Briefing.publish`` writes."""
    record = {
        "briefing": {
            "section": section,
            "title": f"Title {section}",
            **AREA,
            "manifesto": "cambridgeshire-labour-2021",
            "manifesto_date": "2021-05-06",
            "manifesto_title": "The test manifesto",
        },
        "findings": [f"A key finding of {section}."],
        "claims": claims,
        "pledges": pledges,
        "gaps": [],
        "sources": [],
    }
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("b.publish()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={SCRAP_MIME: {"name": name, "data": value, "encoder": "json", "version": 1}},
            metadata={"scrapbook": {"name": name, "data": True, "display": False}},
        )
        for name, value in record.items()
    ]
    nb.cells = [cell]
    nbformat.write(nb, str(folder / f"{section}.ipynb"))


@pytest.fixture
def folder(tmp_path) -> Path:
    area = tmp_path / "cambridgeshire-e10000003"
    area.mkdir()
    write_briefing(
        area,
        "00_inequality",
        [
            _claim("00_inequality", "a", "not supported", conclusion="A does not hold.", weight=1),
            _claim("00_inequality", "b", "supported", national=True),
        ],
        [_pledge("00_inequality", "p", "off track")],
    )
    write_briefing(
        area,
        "06_transport",
        [_claim("06_transport", "c", "supported", knife_edge=True), _claim("06_transport", "d", "partly supported")],
        [_pledge("06_transport", "q", "baseline only", extra={"baseline_value": 3.0, "baseline_period": "2020"})],
    )
    return area


def test_pack_page_has_main_points_cards_and_no_technical_appendix(folder):
    area, entries = pack.records(folder)
    assert area["name"] == "Cambridgeshire" and [e["section"] for e in entries] == ["00_inequality", "06_transport"]
    page = pack.pack_html(area, entries)
    for cid in ("a", "b", "c", "d"):
        assert f'id="claim-{cid}"' in page  # every card, with its anchor
    assert 'id="pledge-p"' in page and 'id="pledge-q"' in page
    assert 'href="#claim-a"' in page  # the main points link to the pack's own cards
    assert ".html#" not in page
    assert "The test manifesto" in page and "counter(page)" in page  # named and numbered on every page
    assert "Claim a &lt;of 00_inequality&gt;" in page and "<of " not in page
    assert "sha256" not in page and "Technical provenance" not in page
    assert "A key finding of 06_transport." not in page  # briefings keep their own findings lists
    assert 'id="spine"' in page  # the spine chart of the headline indicators
    points = summary.main_points(
        [c for e in entries for c in e["record"]["claims"]],
        [p for e in entries for p in e["record"]["pledges"]],
        "Cambridgeshire",
        href=lambda r, k: "",
        scope="council",
    )
    text = " ".join(re.sub(r"<[^>]+>", "", page).split()).replace("&#39;", "'")
    for sentence in points["sentences"]:
        words = "".join(s["text"] for s in sentence)
        assert " ".join(words.split()).replace("<", "&lt;").replace(">", "&gt;") in text, words


def test_a_failed_print_keeps_the_last_good_pack(folder, tmp_path, monkeypatch):
    fake = tmp_path / "chromium"
    # a Chromium that starts writing the PDF and then fails
    fake.write_text(
        "#!/bin/sh\nfor a in \"$@\"; do case $a in --print-to-pdf=*) printf '%%PDF-1.4 half' > ${a#*=};; esac; done\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(fake))
    good = folder / pack.PACK_PDF
    good.write_bytes(b"%PDF-1.4 the last good pack\n%%EOF\n")
    with pytest.raises(pack.PackError):
        pack.build(folder)
    assert good.read_bytes() == b"%PDF-1.4 the last good pack\n%%EOF\n"
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
    assert pack.main([str(folder)]) == 1


def test_page_count_counts_page_objects_not_the_pages_tree():
    pdf = b"1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >> 3 0 obj <</Type/Page>>"
    assert pack.page_count(pdf) == 2


@pytest.mark.browser
def test_pack_prints_to_a4_with_page_numbers(folder):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (bash scripts/install-browser.sh)")
    os.environ.pop("CHROMIUM", None)
    pdf = pack.build(folder)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and re.search(rb"/MediaBox \[0 0 59[45][.0-9]* 84[12]", data)  # A4
    assert 1 <= pack.page_count(data) <= 4
    assert (folder / pack.PACK_HTML).exists()


BUILT = Path(__file__).resolve().parents[1] / "outputs" / "cambridgeshire-e10000003"


@pytest.mark.browser
@pytest.mark.skipif(not (BUILT / "index.html").exists(), reason="Cambridgeshire is not built (make briefings)")
def test_cambridgeshire_pack_is_at_most_16_pages(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (bash scripts/install-browser.sh)")
    area, entries = pack.records(BUILT)
    page = tmp_path / pack.PACK_HTML
    page.write_text(pack.pack_html(area, entries))
    pack.print_pdf(page, tmp_path / pack.PACK_PDF)
    assert pack.page_count((tmp_path / pack.PACK_PDF).read_bytes()) <= 16
