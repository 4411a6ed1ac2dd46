"""The national overview page (issue 18 §4): built from the councils' folders, every built council once, every
claim column with the verdict the council's record holds, "does not apply" only where the register leaves the
claim out, maps with alt text, CSVs that match the page, byte-identical rebuilds in two processes, and (slow) the
browser check with JavaScript on (filters, sorting) and the full table with JavaScript off.

Councils and claim ids are real (the default register); the verdicts in the constructed manifests are set by
hand so the expected cells are known without running the rules.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import overview, register, report

REPO = Path(__file__).resolve().parents[1]

COUNCILS = {
    "E10000003": ("Cambridgeshire", "county", "cambridgeshire-e10000003"),
    "E06000031": ("Peterborough", "unitary", "peterborough-e06000031"),
    "E09000001": ("City of London", "london borough", "city-of-london-e09000001"),
}


def claim(section, cid, verdict, untestable="", value=None):
    return {
        "section": section,
        "claim_id": cid,
        "claim": f"Text of {cid}",
        "source": "manifesto §0",
        "indicator": f"Indicator of {cid}",
        "verdict": verdict,
        "untestable": untestable,
        "evidence": "e",
        "rule": "r",
        "period": "2020",
        "period_end": 2020,
        "value": value,
    }


def write_council(root: Path, code: str, claims_by_section: dict[str, list[dict]]) -> None:
    name, kind, slug = COUNCILS[code]
    area = {"code": code, "name": name, "kind": kind, "slug": slug}
    briefings = {}
    for section, claims in claims_by_section.items():
        record = {
            "briefing": {"section": section, "title": section, "area_code": code, "area_name": name,
                         "area_kind": kind, "manifesto_date": "2021-05-06"},
            "findings": [], "claims": claims, "pledges": [], "gaps": [], "sources": [],
        }  # fmt: skip
        briefings[section] = {"section": section, "status": "built", "html": f"{section}.html", "record": record}
    (root / slug).mkdir(parents=True, exist_ok=True)
    (root / slug / "manifest.json").write_text(json.dumps({"area": area, "briefings": briefings}, sort_keys=True))


def folder(root: Path) -> Path:
    s0, s6 = "00_inequality", "06_transport"
    write_council(
        root,
        "E10000003",
        {
            s0: [
                claim(s0, "most-unequal-county", "not supported", value=38.2),
                claim(s0, "fenland-cambridge-more-deprived", "supported", value=18.5),
            ],
            s6: [claim(s6, "fenland-transport-poverty-worst", "partly supported", value=3.0)],
        },
    )
    write_council(
        root,
        "E06000031",
        {
            s0: [claim(s0, "most-unequal-county", "partly supported", value=44.6)],  # the Fenland claim: left out
            s6: [claim(s6, "fenland-transport-poverty-worst", "supported", value=1.0)],  # general form
        },
    )
    write_council(
        root,
        "E09000001",
        {s0: [claim(s0, "most-unequal-county", "cannot be tested", "no data for this council")]},  # 06 not built
    )
    (root / "not-a-council").mkdir()  # a folder without a manifest is not a built council
    return root


class TableReader(HTMLParser):
    """A table (by id) as header texts and rows of (row header, [cell texts])."""

    def __init__(self, table_id: str):
        super().__init__(convert_charrefs=True)
        self.table_id, self.inside, self.headers, self.rows = table_id, False, [], []
        self._text = None
        self._part = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        if not self.inside:
            return
        if tag in ("thead", "tbody"):
            self._part = tag
        if tag == "tr" and self._part == "tbody":
            self.rows.append([])
        if tag in ("th", "td"):
            self._text = ""
        if tag == "br" and self._text is not None:
            self._text += ": "

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in ("th", "td") and self._text is not None:
            text = " ".join(self._text.split())
            (self.headers if self._part == "thead" else self.rows[-1]).append(text)
            self._text = None
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self._text is not None:
            self._text += data


def read_table(page: str, table_id: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(headers, {council name: {header: cell}}); fails if a council appears twice."""
    reader = TableReader(table_id)
    reader.feed(page)
    out: dict[str, dict[str, str]] = {}
    for row in reader.rows:
        assert row[0] not in out, f"{row[0]} appears twice in {table_id}"
        out[row[0]] = dict(zip(reader.headers, row, strict=True))
    return reader.headers, out


def test_every_built_council_once_with_its_verdicts(tmp_path):
    root = folder(tmp_path)
    overview.write(root)
    page = (root / "index.html").read_text()
    headers, rows = read_table(page, "verdict-table")
    assert sorted(rows) == ["Cambridgeshire", "City of London", "Peterborough"]
    assert headers[3:] == ["most-unequal-county", "fenland-cambridge-more-deprived", "fenland-transport-poverty-worst"]
    assert rows["Cambridgeshire"]["most-unequal-county"] == "not supported"
    assert rows["Peterborough"]["most-unequal-county"] == "partly supported"
    assert rows["City of London"]["most-unequal-county"] == "cannot be tested: no data for this council"
    # the register applies the Fenland deprivation claim to Cambridgeshire only: elsewhere it does not apply
    assert rows["Peterborough"]["fenland-cambridge-more-deprived"] == "does not apply"
    assert rows["Peterborough"]["fenland-transport-poverty-worst"] == "supported"
    # City of London has no 06 record: not built (not "does not apply": the general form applies everywhere)
    assert rows["City of London"]["fenland-transport-poverty-worst"] == "not built"
    assert rows["Cambridgeshire"]["Region"] == "East of England" and rows["City of London"]["Region"] == "London"
    assert rows["Peterborough"]["Kind"] == "unitary"
    assert 'href="cambridgeshire-e10000003/00_inequality.html#claim-most-unequal-county"' in page
    for slug in ("cambridgeshire-e10000003", "peterborough-e06000031", "city-of-london-e09000001"):
        assert f'href="{slug}/index.html"' in page
    assert "not-a-council" not in page


def test_csv_downloads_match_the_page(tmp_path):
    root = folder(tmp_path)
    overview.write(root)
    page = (root / "index.html").read_text()
    _, rows = read_table(page, "verdict-table")
    assert 'href="overview-verdicts.csv" download' in page and 'href="overview-indicators.csv" download' in page
    table = list(csv.DictReader(io.StringIO((root / "overview-verdicts.csv").read_text())))
    assert [r["area_name"] for r in table] == sorted(rows)
    for r in table:
        for cid in ("most-unequal-county", "fenland-cambridge-more-deprived", "fenland-transport-poverty-worst"):
            assert r[cid] == rows[r["area_name"]][cid]
    indicators = {
        r["area_name"]: r for r in csv.DictReader(io.StringIO((root / "overview-indicators.csv").read_text()))
    }
    assert float(indicators["Cambridgeshire"]["most-unequal-county"]) == 38.2
    assert indicators["City of London"]["most-unequal-county"] == ""
    assert indicators["Cambridgeshire"]["claims_tested"] == "3" and indicators["Cambridgeshire"]["supported"] == "1"
    _, shown = read_table(page, "indicator-table")
    assert shown["Peterborough"]["most-unequal-county"] == "44.6"


def test_maps_have_alt_text_naming_the_councils_and_a_data_table(tmp_path):
    root = folder(tmp_path)
    overview.write(root)
    page = (root / "index.html").read_text()
    images = report.scan_page(page).images
    assert len(images) >= 2
    for image in images:
        assert image["src"].startswith("data:image/png;base64,")
        assert len(image["alt"]) > 80 and "Hex map of England" in image["alt"]
    # main claim = tested for the most councils: most-unequal-county (Cambridgeshire and Peterborough)
    assert "not supported: 1 (Cambridgeshire)" in images[0]["alt"]
    assert "partly supported: 1 (Peterborough)" in images[0]["alt"]
    assert page.count("The data behind map") == len(images)
    assert 'id="source-hexmap_uk_lad_2023_openinnovations"' in page
    report.check_page(page, "index.html")


def test_main_claims_rule(tmp_path):
    councils = overview.built_councils(folder(tmp_path))
    columns = overview.claim_columns(councils)
    chosen = [c["id"] for c in overview.main_claims(councils, columns)]
    # tested for 2, 2 and 1 councils: ties in register order (00 before 06)
    assert chosen == ["most-unequal-county", "fenland-transport-poverty-worst", "fenland-cambridge-more-deprived"]
    assert register.load().find(chosen[1])[0] == "06_transport"
    values = [c["id"] for c in overview.headline_indicators(councils, overview.indicator_frame(councils, columns)[1])]
    assert values == ["most-unequal-county", "fenland-transport-poverty-worst", "fenland-cambridge-more-deprived"]


def test_a_national_figure_is_not_mapped(tmp_path):
    """A claim whose value is the same for every council (a national slope, say) would map as one colour."""
    councils = overview.built_councils(folder(tmp_path))
    columns = overview.claim_columns(councils)
    valued = overview.indicator_frame(councils, columns)[1]
    for c in councils:
        for record in c.records.values():
            for row in record.get("claims", []):
                if row.get("claim_id") == "most-unequal-county":
                    row["value"] = 0.111
    chosen = [c["id"] for c in overview.headline_indicators(councils, valued)]
    assert "most-unequal-county" not in chosen
    assert overview.map_title("Population growth 2005 to 2020 (ONS mid-year estimates), ranked") == (
        "Population growth 2005 to 2020"
    )


def test_one_council_gives_the_plain_list(tmp_path):
    write_council(
        tmp_path, "E06000031", {"00_inequality": [claim("00_inequality", "most-unequal-county", "supported")]}
    )
    overview.write(tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert "Areas built" in page and 'href="peterborough-e06000031/index.html"' in page
    assert not (tmp_path / "overview-verdicts.csv").exists()


def test_text_from_records_is_escaped(tmp_path):
    root = folder(tmp_path)
    path = root / "peterborough-e06000031" / "manifest.json"
    data = json.loads(path.read_text())
    data["briefings"]["00_inequality"]["record"]["claims"][0]["untestable"] = "<img src=x onerror=alert(1)>"
    data["briefings"]["00_inequality"]["record"]["claims"][0]["verdict"] = "cannot be tested"
    path.write_text(json.dumps(data))
    overview.write(root)
    page = (root / "index.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_cli_one_line_error_for_a_missing_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.overview", str(tmp_path / "missing")], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "is not a folder" in proc.stderr


@pytest.mark.slow
def test_rebuilds_byte_identically_in_two_processes(tmp_path):
    root = folder(tmp_path)
    built = []
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-m", "helpers.overview", str(root)], capture_output=True, text=True, cwd=REPO
        )
        assert proc.returncode == 0, proc.stderr
        built.append(
            {n: (root / n).read_bytes() for n in ("index.html", "overview-verdicts.csv", "overview-indicators.csv")}
        )
    assert built[0] == built[1]


@pytest.mark.slow
@pytest.mark.browser
def test_overview_passes_the_browser_check_with_and_without_javascript(tmp_path):
    import tests.test_browser as browser_check

    root = folder(tmp_path)
    page_path = overview.write(root)
    with browser_check.chromium() as (browser, axe):
        found = browser_check.visit(browser, page_path, axe, tmp_path / "overview.png")
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.goto(page_path.as_uri(), wait_until="load")
        tab.select_option("#filter-region", "London")
        visible = tab.evaluate(
            "() => [...document.querySelectorAll('#verdict-table tbody tr')].filter(r => !r.hidden).length"
        )
        tab.select_option("#filter-region", "")
        tab.select_option("#filter-kind", "unitary")
        unitary = tab.evaluate(
            "() => [...document.querySelectorAll('#indicator-table tbody tr')].filter(r => !r.hidden)"
            ".map(r => r.cells[0].textContent)"
        )
        tab.select_option("#filter-kind", "")
        tab.click("#verdict-table thead th:nth-child(1) button")
        tab.click("#verdict-table thead th:nth-child(1) button")  # second click: descending
        order = tab.evaluate("() => [...document.querySelectorAll('#verdict-table tbody th')].map(t => t.textContent)")
        tab.close()
        context = browser.new_context(java_script_enabled=False)
        off = context.new_page()
        off.goto(page_path.as_uri(), wait_until="load")
        rows_off = off.evaluate("() => document.querySelectorAll('#verdict-table tbody tr').length")
        filters_hidden = off.evaluate("() => document.getElementById('filters').hidden")
        context.close()
    assert found["remote"] == [], f"network requests: {found['remote']}"
    assert found["errors"] == [], f"console errors: {found['errors']}"
    assert found["violations"] == [], f"accessibility violations: {found['violations']}"
    assert visible == 1 and unitary == ["Peterborough"]
    assert order == ["Peterborough", "City of London", "Cambridgeshire"]
    assert rows_off == 3 and filters_hidden  # no dead controls without JavaScript, the full table is there


@pytest.mark.needs_mirror
def test_hexjson_parser_against_the_raw_file():
    """Values read by hand from uk-local-authority-districts-2023.hexjson and its source.yaml."""
    from helpers import load

    hexes = load("hexmap_uk_lad_2023_openinnovations", "hexes").set_index("area_code")
    assert len(hexes) == 361
    assert hexes.index.str.startswith("E").sum() == 164 + 63 + 36 + 33  # E07, E06, E08, E09
    assert hexes.loc["E06000001"].to_dict() == {"area_name": "Hartlepool", "q": 8, "r": 18, "region": "E12000001"}
    assert hexes.loc["E06000053", "q"] == -6 and hexes.loc["E06000053", "r"] == -3  # Isles of Scilly, off Cornwall


@pytest.mark.needs_mirror
def test_a_county_is_drawn_as_its_districts_outlined_together():
    from helpers import hexmap

    assert hexmap.council_hexes("E10000003") == ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]
    assert hexmap.council_hexes("E06000031") == ["E06000031"]
    # five hexagons in a chain share four edges: 5 x 6 - 2 x 4 = 22 outer edges
    assert len(hexmap._outline(hexmap.council_hexes("E10000003"))) == 22
    assert len(hexmap._outline(["E06000031"])) == 6
    assert hexmap.classes({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, n=2) == [1.0, 2.5, 4.0]
