"""The council summary at the top of each council's index.html (issue 23 §1).

The page's numbers are read back from the HTML and compared with counts made independently from the
claims.csv / pledges.csv the same run writes; the rule that picks the three findings and the flag for
verdicts resting on data from before the manifesto are checked on constructed records; in Chromium the summary
fits one 1280 × 800 screen and the index prints on one A4 page.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import report, summary

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import shared_build  # noqa: E402

AREA = {"code": "E06000031", "name": "Peterborough", "kind": "unitary", "slug": "peterborough-e06000031"}
SECTIONS = [
    "00_inequality",
    "01_communities",
    "02_adult_social_care",
    "03_schools_children",
    "04_public_health",
    "05_net_zero",
    "06_transport",
    "07_finance_growth_housing",
]


def claim(section, cid, verdict, untestable="", period_end=None, evidence="Evidence. More."):
    return {
        "section": section,
        "claim_id": cid,
        "claim": f"Claim {cid}",
        "source": "manifesto §1",
        "indicator": "an indicator",
        "verdict": verdict,
        "untestable": untestable,
        "evidence": evidence,
        "rule": "a rule",
        "period": "" if period_end is None else str(period_end),
        "period_end": period_end,
        "value": None,
    }


def pledge(section, pid, status, untestable="", period_end=None):
    return {
        "section": section,
        "pledge_id": pid,
        "pledge": f"Pledge {pid}",
        "source": "manifesto §1",
        "indicator": "an indicator",
        "latest": "",
        "direction": "not known",
        "status": status,
        "untestable": untestable,
        "evidence": "e",
        "rule": "r",
        "period": "" if period_end is None else str(period_end),
        "period_end": period_end,
    }


def entry(section, claims, pledges, status="built"):
    record = {
        "briefing": {
            "section": section,
            "title": f"Title of {section}",
            "area_code": AREA["code"],
            "area_name": AREA["name"],
            "area_kind": AREA["kind"],
            "manifesto_date": "2021-05-06",
        },
        "findings": [f"A key finding of {section}."],
        "claims": claims,
        "pledges": pledges,
        "gaps": [],
        "sources": [],
    }
    return {
        "section": section,
        "status": status,
        "html": f"{section}.html",
        "error_page": f"{section}.error.html",
        "record": record,
    }


def collection() -> list[dict]:
    """Eight briefings with every verdict, every status and every reason a claim cannot be tested."""
    s = SECTIONS
    return [
        entry(
            s[0],
            [claim(s[0], "a", "partly supported", period_end=2019), claim(s[0], "b", "supported", period_end=2023)],
            [pledge(s[0], "p1", "on track", period_end=2024), pledge(s[0], "p2", "cannot be tested", "no public data")],
        ),
        entry(
            s[1],
            [claim(s[1], "c", "supported", period_end=2020), claim(s[1], "d", "cannot be tested", "no public data")],
            [pledge(s[1], "p3", "off track", period_end=2023), pledge(s[1], "p4", "baseline only", period_end=2020)],
        ),
        entry(
            s[2],
            [
                claim(s[2], "e", "cannot be tested", "public data not yet used"),
                claim(s[2], "f", "supported", period_end=2021),
            ],
            [pledge(s[2], "p5", "cannot be tested", "public data not yet used")],
        ),
        entry(
            s[3],
            [claim(s[3], "g", "cannot be tested", "no data for this council")],
            [pledge(s[3], "p6", "uncertain", period_end=2022)],
        ),
        entry(
            s[4],
            [claim(s[4], "h", "not supported", period_end=2018, evidence="In 2018 the rate was 4.2%. Earlier: 5%.")],
            [
                pledge(s[4], "p7", "no clear change", period_end=2024),
                pledge(s[4], "p8", "direction only", period_end=2023),
            ],
        ),
        entry(
            s[5],
            [claim(s[5], "i", "not supported", period_end=2023)],
            [pledge(s[5], "p9", "cannot be tested", "no data for this council")],
        ),
        entry(
            s[6],
            [claim(s[6], "j", "supported", period_end=2024), claim(s[6], "k", "not supported", period_end=2024)],
            [],
        ),
        entry(s[7], [], [pledge(s[7], "p10", "on track", period_end=2025)], status="failed"),
    ]


class TallyReader(HTMLParser):
    """The tally table as {section: {column key: cell text}} (column keys from the headers' data-key)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.keys: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._row = None
        self._cell = None
        self._in_table = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "tally":
            self._in_table = True
        if not self._in_table:
            return
        if tag == "th" and attrs.get("data-key"):
            self.keys.append(attrs["data-key"])
        if tag == "tr" and attrs.get("data-section"):
            self._row = attrs["data-section"]
            self.rows[self._row] = []
        if tag == "td" and self._row:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        if tag == "td" and self._cell is not None:
            self.rows[self._row].append(self._cell.strip())
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def read_tally(page: str) -> dict[str, dict[str, str]]:
    reader = TallyReader()
    reader.feed(page)
    claim_keys = [k for k in reader.keys if k.startswith("claims:")]
    pledge_keys = [k for k in reader.keys if k.startswith("pledges:")]
    columns = claim_keys + ["before"] + pledge_keys  # the period column sits between claims and pledges
    out = {}
    for section, cells in reader.rows.items():
        assert len(cells) == len(columns), f"row {section} has {len(cells)} cells for {len(columns)} columns"
        out[section] = dict(zip(columns, cells, strict=True))
    return out


def csv_counts(text: str, kind: str) -> dict[str, Counter]:
    """Per section (and 'all'): counts of verdict or status, 'cannot be tested' replaced by its reason."""
    result = "verdict" if kind == "claims" else "status"
    counts: dict[str, Counter] = {"all": Counter()}
    for row in csv.DictReader(io.StringIO(text)):
        key = row["untestable"] if row[result] == "cannot be tested" else row[result]
        counts.setdefault(row["section"], Counter())[key] += 1
        counts["all"][key] += 1
    return counts


def assert_page_matches_csv(page: str, claims_csv: str, pledges_csv: str) -> dict:
    tally = read_tally(page)
    for kind, text in (("claims", claims_csv), ("pledges", pledges_csv)):
        counts = csv_counts(text, kind)
        for section, cells in tally.items():
            for key, cell in cells.items():
                if key.startswith(f"{kind}:"):
                    expected = counts.get(section, Counter())[key.split(":", 1)[1]]
                    assert int(cell) == expected, f"{section} {key}: page {cell}, {kind}.csv {expected}"
        every = sum(counts["all"].values())
        shown = sum(int(v) for k, v in tally["all"].items() if k.startswith(f"{kind}:"))
        assert shown == every, f"the page counts {shown} {kind}, the CSV has {every}"
    return tally


def build(entries):
    page = report.index_html(AREA, entries, [], commit="test")
    claims_csv = report.csv_text(report.table_rows(entries, "claims", AREA), "claims")
    pledges_csv = report.csv_text(report.table_rows(entries, "pledges", AREA), "pledges")
    return page, claims_csv, pledges_csv


def test_tally_matches_claims_and_pledges_csv():
    page, claims_csv, pledges_csv = build(collection())
    tally = assert_page_matches_csv(page, claims_csv, pledges_csv)
    assert set(tally) == set(SECTIONS) | {"all"}
    # spot values read off the constructed collection by hand
    assert tally["all"]["claims:supported"] == "4"
    assert tally["all"]["claims:not supported"] == "3"
    assert tally["all"]["claims:no public data"] == "1"
    assert tally["all"]["claims:public data not yet used"] == "1"
    assert tally["all"]["claims:no data for this council"] == "1"
    assert tally["all"]["pledges:on track"] == "2"
    assert tally["all"]["pledges:no data for this council"] == "1"


def test_verdicts_on_data_from_before_the_manifesto_are_counted_and_flagged():
    page, *_ = build(collection())
    tally = read_tally(page)
    # manifesto 2021: claims a (2019), c (2020), h (2018) rest on earlier data; f (2021) does not
    assert tally["00_inequality"]["before"] == "1 of 2"
    assert tally["01_communities"]["before"] == "1 of 1"
    assert tally["02_adult_social_care"]["before"] == "0 of 1"
    assert tally["03_schools_children"]["before"] == "–"
    assert tally["all"]["before"] == "3 of 8"
    assert "3 of 8</strong> tested claims rest on data from before the manifesto (2021)" in page
    assert summary.before_manifesto({"period_end": 2020}, 2021)
    assert not summary.before_manifesto({"period_end": 2021}, 2021)
    assert not summary.before_manifesto({"period_end": None}, 2021)


def test_three_findings_follow_the_rule_one_per_briefing():
    entries = collection()
    chosen = summary.top_findings(entries, "Peterborough")
    # not supported first (h in 04, i in 05; k in 06 is the third not supported), one per briefing
    assert [f["claim_id"] for f in chosen] == ["h", "i", "k"]
    assert chosen[0]["before"] and not chosen[1]["before"]
    assert chosen[0]["evidence"] == "In 2018 the rate was 4.2%."
    page, *_ = build(entries)
    assert page.index('data-claim="h"') < page.index('data-claim="i"') < page.index('data-claim="k"')
    assert 'href="04_public_health.html#claim-h"' in page
    # with no contradicted claim, supported claims come next, then partly supported
    for e in entries:
        e["record"]["claims"] = [c for c in e["record"]["claims"] if c["verdict"] != "not supported"]
    assert [f["claim_id"] for f in summary.top_findings(entries, "Peterborough")] == ["b", "c", "f"]


def test_index_links_briefings_and_does_not_repeat_their_findings():
    page, *_ = build(collection())
    for section in SECTIONS:
        assert f'href="{section}.html"' in page
        assert f"A key finding of {section}." not in page
    assert 'href="06_transport.html#claim-k"' in page and 'href="00_inequality.html#pledge-p1"' in page


def test_text_from_records_is_escaped():
    entries = collection()
    entries[4]["record"]["claims"][0]["claim"] = "<script>alert(1)</script>"
    page, *_ = build(entries)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_no_record_no_findings():
    page, *_ = build([{"section": "00_x", "status": "failed", "html": None, "record": None, "error_page": "e.html"}])
    assert "nothing to summarise" in page


@pytest.mark.slow
@pytest.mark.xdist_group("shared-build")
def test_built_index_matches_its_csv(tmp_path_factory):
    """The index the runner wrote for the fixture briefing agrees with the claims.csv and pledges.csv beside it."""
    area = shared_build(tmp_path_factory) / "cambridgeshire-e10000003"
    page = (area / "index.html").read_text()
    tally = assert_page_matches_csv(page, (area / "claims.csv").read_text(), (area / "pledges.csv").read_text())
    assert sum(int(v) for k, v in tally["all"].items() if k.startswith("claims:")) >= 1


@pytest.mark.slow
@pytest.mark.browser
def test_main_points_fit_the_first_screen_and_the_index_prints_on_at_most_three_a4_pages(tmp_path):
    """Issue 28 puts the main points in words above the tally: their sentences fit the first 1280 x 800 screen,
    the tally is not wider than it, and the index prints on at most three A4 pages."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed (bash scripts/install-browser.sh)")
    playwright = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "index.html"
    page_file.write_text(build(collection())[0])
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            tab.goto(page_file.as_uri(), wait_until="load")
            box = tab.evaluate(
                "() => { const r = document.querySelector('.main-points-list').getBoundingClientRect();"
                " const t = document.querySelector('#tally').getBoundingClientRect();"
                " return {bottom: r.bottom, right: t.right, width: document.documentElement.clientWidth}; }"
            )
            tab.emulate_media(media="print")
            pdf = tab.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    assert box["bottom"] <= 800, f"the main points end at {box['bottom']:.0f} px, below a 1280 x 800 screen"
    assert box["right"] <= box["width"], "the tally is wider than the screen"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3, f"the index prints on {pages} A4 pages"
