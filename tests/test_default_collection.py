"""The real default collection (Cambridgeshire, all eight briefings), built once through the runner and
checked as a reviewer would read it: the claims register reported exactly once, no template leaks, every
figure and table with a short linked source note and its data, the 3,000-word main-text budget (issue 23),
and, in headless Chromium, no network request, no console error and no serious axe violation (issue 19).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import config, pagetext, register

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import _locked  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.needs_mirror]
AREA = "cambridgeshire-e10000003"


@pytest.fixture(scope="session")
def collection(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = root / "default-collection" / "outputs"
    with _locked(root / "default-collection.lock"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "helpers.runner",
                "--area",
                config.DEFAULT_AREA,
                "--jobs",
                "2",
                "--output-dir",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=config.REPO_ROOT,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return out / AREA


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9][0-9]_*.html") if not p.name.endswith(".error.html"))


def test_every_briefing_built_and_claims_match_the_register_once(collection):
    assert len(pages(collection)) == len(list(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    m = register.load()
    for kind, key, file in (("claims", "claim_id", "claims.csv"), ("pledges", "pledge_id", "pledges.csv")):
        rows = list(csv.DictReader((collection / file).open(encoding="utf-8")))
        ids = [r[key] for r in rows]
        assert len(ids) == len(set(ids)), f"duplicate ids in {file}"
        expected = [e.id for _, e in m.entries(kind) if register.applies(e, config.DEFAULT_AREA) is not None]
        assert sorted(ids) == sorted(expected), f"{file} differs from the register"
        for r in rows:
            text = " ".join(r.values())
            assert not pagetext.template_leaks(f"<main>{text}</main>"), r
            assert r["untestable"] or r[("verdict" if kind == "claims" else "status")] != "cannot be tested"
    pledges = list(csv.DictReader((collection / "pledges.csv").open(encoding="utf-8")))
    # 31: the register gained a no-public-data pledge (the partnership's low-carbon transport schemes) and the
    # apprenticeship pledge is now context only (it is about the council's own apprentices)
    assert sum(r["status"] == "cannot be tested" for r in pledges) <= 31


@pytest.mark.parametrize("section", [p.stem for p in sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))])
def test_briefing_reads_like_a_bulletin(collection, section):
    page = (collection / f"{section}.html").read_text(encoding="utf-8")
    words = pagetext.main_text_words(page)
    assert words <= pagetext.WORD_BUDGET, f"{section}: {words} words of main text"
    assert pagetext.template_leaks(page) == []
    assert pagetext.source_note_problems(page) == []
    links = pagetext.data_links(page)
    assert links and all(link["href"].startswith("data:text/csv") for link in links)


def test_pages_pass_the_browser_check(collection, tmp_path):
    from tests import test_browser as tb  # the same checks as the fixture pages

    problems = {}
    with tb.chromium() as (browser, axe):
        for path in [collection / "index.html", *pages(collection)]:
            found = tb.visit(browser, path, axe, None)
            issues = found["remote"] + found["errors"] + [str(v) for v in found["violations"]]
            issues += tb.reviewer_problems(found) if path.name != "index.html" else []
            if issues:
                problems[path.name] = issues[:5]
    assert problems == {}


def test_no_quantity_is_shown_with_two_values(collection):
    from helpers import consistency

    assert consistency.conflicts(pages(collection) + [collection / "index.html"]) == []
