"""Regression net (issue 18 §3): every section for a fixed set of awkward councils, through the batch runner.

One session-scoped batch (``python -m helpers.runner --area ... --jobs 2`` into a temporary folder) builds all
eight briefings for councils that have broken builds before: the smallest (Isles of Scilly, City of London,
Rutland) with suppressed or missing data, and councils created in 2019-2023 (Cumberland, Somerset, North
Northamptonshire, Buckinghamshire, Dorset) whose predecessors' data must be added up. The test fails on any
crash, listing council, section and the one-line cause; then it builds the national overview for that set and
checks it: every built council once, a verdict in every claim column where the register applies the claim,
alt text on every hex map, and the browser check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import run_cli  # noqa: E402

from helpers import config, overview, register, report, verdicts  # noqa: E402

AWKWARD = {
    "E06000053": "Isles of Scilly",
    "E09000001": "City of London",
    "E06000017": "Rutland",
    "E06000063": "Cumberland",
    "E06000066": "Somerset",
    "E06000061": "North Northamptonshire",
    "E06000060": "Buckinghamshire",
    "E06000059": "Dorset",
}
SECTIONS = sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror, pytest.mark.xdist_group("awkward-councils")]


@pytest.fixture(scope="session")
def awkward_build(tmp_path_factory) -> dict:
    """Build every section for the awkward councils once; returns the output folder and each manifest."""
    out = tmp_path_factory.mktemp("awkward") / "outputs"
    args = [a for code in AWKWARD for a in ("--area", code)]
    proc, seconds = run_cli(*args, "--jobs", "2", "--output-dir", str(out), timeout=3600)
    manifests = {}
    for path in sorted(out.glob("*/manifest.json")):
        manifest = json.loads(path.read_text())
        manifests[manifest["area"]["code"]] = manifest
    return {"out": out, "proc": proc, "seconds": seconds, "manifests": manifests}


def crashes(build: dict) -> list[str]:
    """One line per briefing that did not build: council, section and the runner's one-line cause."""
    lines = []
    for code, name in AWKWARD.items():
        manifest = build["manifests"].get(code)
        if manifest is None:
            lines.append(f"{name} ({code}): no manifest; runner said: {build['proc'].stderr.strip()[-300:]}")
            continue
        briefings = manifest.get("briefings", {})
        for section in SECTIONS:
            entry = briefings.get(section)
            if entry is None:
                lines.append(f"{name} ({code}) {section}: not run")
            elif entry.get("status") == "failed":
                lines.append(f"{name} ({code}) {section}: {entry.get('error', 'failed')}")
    return lines


def test_every_section_builds_for_every_awkward_council(awkward_build):
    problems = crashes(awkward_build)
    assert not problems, f"{len(problems)} of {len(AWKWARD) * len(SECTIONS)} briefings failed:\n" + "\n".join(problems)
    assert awkward_build["proc"].returncode == 0, awkward_build["proc"].stdout[-2000:]


def test_overview_of_the_awkward_set(awkward_build):
    out = awkward_build["out"]
    page = overview.write(out).read_text()
    from tests.test_overview import read_table

    _, rows = read_table(page, "verdict-table")
    built = {m["area"]["name"] for m in awkward_build["manifests"].values()}
    assert sorted(rows) == sorted(built), "every built council appears once"
    manifesto = register.load()
    missing = []
    for manifest in awkward_build["manifests"].values():
        area = manifest["area"]
        records = {s: e["record"] for s, e in manifest["briefings"].items() if e.get("record")}
        for section, entry in manifesto.entries("claims"):
            if register.applies(entry, area["code"]) is None or section not in records:
                continue
            shown = rows[area["name"]].get(entry.id, "no column")
            if shown.split(":")[0] not in verdicts.CLAIM_VERDICTS:
                missing.append(f"{area['name']} {entry.id}: {shown}")
    assert not missing, "claims without a verdict where the register applies them:\n" + "\n".join(missing)
    images = report.scan_page(page).images
    assert images and all(len(i.get("alt", "").strip()) > 40 for i in images), "hex maps need alt text"


@pytest.mark.browser
def test_overview_of_the_awkward_set_passes_the_browser_check(awkward_build):
    import tests.test_browser as browser_check

    page_path = overview.write(awkward_build["out"])
    with browser_check.chromium() as (browser, axe):
        found = browser_check.visit(browser, page_path, axe, None)
    assert found["remote"] == [], f"network requests: {found['remote']}"
    assert found["errors"] == [], f"console errors: {found['errors']}"
    assert found["violations"] == [], f"accessibility violations: {found['violations']}"


def test_no_quantity_has_two_values_on_an_awkward_council(awkward_build):
    from helpers import consistency

    for folder in sorted(p.parent for p in awkward_build["out"].glob("*/manifest.json")):
        pages = sorted(p for p in folder.glob("[0-9][0-9]_*.html") if not p.name.endswith(".error.html"))
        assert consistency.conflicts(pages + [folder / "index.html"]) == [], folder.name
