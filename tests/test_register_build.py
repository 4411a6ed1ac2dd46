"""A second manifesto is data, not code: a made-up register builds through the runner without touching a
notebook, and a malformed register is refused before anything runs (issue 20 §3)."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys

import pytest

from helpers import config, register

SECOND = config.REPO_ROOT / "tests" / "fixtures" / "manifestos" / "second-register.yaml"


def run(*args, cwd=config.REPO_ROOT):
    return subprocess.run([sys.executable, "-m", "helpers.runner", *args], capture_output=True, text=True, cwd=cwd)


def notebooks_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")))).hexdigest()


@pytest.mark.slow
@pytest.mark.needs_mirror
def test_a_second_register_builds_without_touching_a_notebook(tmp_path):
    before = notebooks_digest()
    done = run(
        "--manifesto",
        str(SECOND),
        "--area",
        "E06000031",
        "--sections",
        "00",
        "--jobs",
        "1",
        "--output-dir",
        str(tmp_path),
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert notebooks_digest() == before
    area = tmp_path / "peterborough-e06000031"
    claims = list(csv.DictReader((area / "claims.csv").open(encoding="utf-8")))
    pledges = list(csv.DictReader((area / "pledges.csv").open(encoding="utf-8")))
    register._load.cache_clear()
    expected = register.load(SECOND)
    assert [r["claim_id"] for r in claims] == [e.id for _, e in expected.entries("claims")]
    assert [r["pledge_id"] for r in pledges] == [e.id for _, e in expected.entries("pledges")]
    # verdicts were computed in the run (the functions ran), not copied from the register
    assert all(r["verdict"] in ("supported", "partly supported", "not supported") for r in claims)
    assert all(r["claim"].startswith("Peterborough ") for r in claims)
    assert pledges[0]["untestable"] == "no public data"


def test_a_malformed_register_is_one_line_and_nothing_runs(tmp_path):
    bad = tmp_path / "bad.yaml"
    lines = SECOND.read_text().splitlines(keepends=True)
    bad.write_text("".join(line for line in lines if "indicator: Parks opened by ward" not in line))
    done = run("--manifesto", str(bad), "--area", "E06000031", "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "leaflet-parks" in lines[0] and "indicator" in lines[0], done.stderr
    assert not (tmp_path / "out").exists()
