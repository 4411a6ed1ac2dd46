"""Open built pages from file:// in headless Chromium: no network requests, no console errors, and no
serious or critical axe-core accessibility violations. A screenshot goes to outputs/screenshots/.

Chromium is Debian's (``bash scripts/install-browser.sh``), driven by the ``playwright`` wheel; axe-core
comes from the npm registry at a pinned version into the git-ignored ``data/cache/npm/``. Without
Chromium the test is skipped, or fails when the ``CI`` environment variable is set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import shared_build  # noqa: E402

from helpers import config  # noqa: E402

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
    return {"remote": remote, "errors": errors, "violations": violations}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("shared-build")
def test_pages_are_offline_error_free_and_accessible(tmp_path_factory):
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install it with `bash scripts/install-browser.sh`")
    playwright = pytest.importorskip("playwright.sync_api")
    axe = axe_script()
    area = shared_build(tmp_path_factory) / "cambridgeshire-e10000003"
    findings = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for name in PAGES:
                shot = config.OUTPUTS_DIR / "screenshots" / f"fixture-{Path(name).stem}.png"
                findings[name] = visit(browser, area / name, axe, shot)
        finally:
            browser.close()
    for name, found in findings.items():
        assert found["remote"] == [], f"{name} made network requests: {found['remote']}"
        assert found["errors"] == [], f"{name} logged console errors: {found['errors']}"
        assert found["violations"] == [], f"{name} has accessibility violations: {found['violations']}"
    assert (config.OUTPUTS_DIR / "screenshots" / "fixture-00_ok.png").stat().st_size > 1000
