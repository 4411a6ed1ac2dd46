"""Run a section notebook with papermill for an area and check what it hands to the runner."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill as pm
import scrapbook as sb

from helpers import config, register, verdicts

NOTEBOOKS = sorted(p for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def parameters_cell(nb) -> nbformat.NotebookNode | None:
    return next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)


def run_and_check(notebook: Path, area: str, tmp_path: Path) -> dict:
    """Execute ``notebook`` for ``area`` and assert the briefing contract on its outputs."""
    out = tmp_path / f"{notebook.stem}-{area}.ipynb"
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters={"area": area},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(config.NOTEBOOKS_DIR),
    )
    scraps = sb.read_notebook(str(out)).scraps
    meta = scraps["briefing"].data
    assert meta["area_code"] == area
    findings = scraps["findings"].data
    assert 3 <= len(findings) <= 6, f"{notebook.name} for {area}: {len(findings)} findings (3-6 expected)"
    assert all(isinstance(f, str) and f.strip() for f in findings)
    for claim in scraps["claims"].data:
        assert claim["verdict"] in verdicts.CLAIM_VERDICTS
        assert (claim["verdict"] == "cannot be tested") == bool(claim["untestable"])
    for pledge in scraps["pledges"].data:
        assert pledge["status"] in verdicts.PLEDGE_STATUSES
    # every register entry that applies to this council is reported once, in register order, and nothing else
    reg = register.load().sections[notebook.stem]
    for kind, key in (("claims", "claim_id"), ("pledges", "pledge_id")):
        expected = [e.id for e in getattr(reg, kind) if register.applies(e, area) is not None]
        assert [row[key] for row in scraps[kind].data] == expected, f"{notebook.name} {kind} for {area}"
    assert scraps["pledges"].data, f"{notebook.name}: no pledge tracker"
    assert scraps["sources"].data, f"{notebook.name}: no sources recorded"
    executed = nbformat.read(out, as_version=4)
    html_outputs = [
        o.get("data", {}).get("text/html", "")
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ]
    images = [m for h in html_outputs for m in re.findall(r"<img [^>]*>", h)]
    assert images, f"{notebook.name} for {area}: no figures"
    for img in images:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) >= 20, f"{notebook.name}: figure without alt text"
    return {"findings": findings, "claims": scraps["claims"].data, "pledges": scraps["pledges"].data}
