"""The batch runner: parameter validation, injection safety, fault isolation, incremental builds,
determinism and the all-councils path. Execution-heavy tests are marked ``slow`` and use the small
fixture notebooks in ``tests/fixtures/`` (never the real section notebooks or ``outputs/``)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import COMMIT, NOTEBOOKS, REPO, TINY, run_cli  # noqa: E402

from helpers import config, report, runner  # noqa: E402
from helpers.errors import ParameterError, UnknownAreaError  # noqa: E402

#: Validation must answer long before any kernel could start; generous for a loaded 2-core machine
#: (measured 0.4-0.6 s there). It needs ``import helpers`` to stay light: no pandas at package import.
FAST_SECONDS = 3.0
SLOW_HINT = "validation was slow: does src/helpers/__init__.py import pandas eagerly? make `load` lazy"
EVIL = "Camden\"'\n__import__('os').system('touch {marker}')\n#"


@pytest.fixture(scope="module", autouse=True)
def warm_area_index():
    """Build the cached area index once (the first build loads the area table; later runs read JSON)."""
    runner.area_index()


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- validation: fast, clear, writes nothing -----------------------------------------------------


def test_unknown_area_exits_fast_naming_closest(tmp_path):
    out = tmp_path / "out"
    proc, seconds = run_cli("--area", "Cambrigeshire", "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(out))
    assert proc.returncode == 2
    line = _one_line(proc.stderr)
    assert "unknown area 'Cambrigeshire'" in line and "Cambridgeshire (E10000003)" in line
    assert seconds < FAST_SECONDS, SLOW_HINT
    assert not out.exists()


def test_unknown_code_suggests_codes(tmp_path):
    proc, _ = run_cli("--area", "E10000004", "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "closest councils are" in _one_line(proc.stderr)


def test_district_is_refused_with_its_county(tmp_path):
    proc, _ = run_cli("--area", "Fenland", "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(tmp_path / "o"))
    assert proc.returncode == 2
    line = _one_line(proc.stderr)
    assert "non-metropolitan district" in line and "Cambridgeshire (E10000003)" in line


def test_unknown_section_exits_fast_naming_closest(tmp_path):
    out = tmp_path / "out"
    proc, seconds = run_cli("--sections", "00,okk", "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(out))
    assert proc.returncode == 2
    assert "unknown section 'okk': closest are 00_ok" in _one_line(proc.stderr)
    assert seconds < FAST_SECONDS, SLOW_HINT
    assert not out.exists()


@pytest.mark.parametrize("evil", [EVIL, "x'); __import__('os').system('touch {marker}'); ('", 'E10000003"\nimport os'])
def test_injection_attempt_is_rejected_by_validation(tmp_path, evil):
    marker = tmp_path / "pwned"
    out = tmp_path / "out"
    proc, seconds = run_cli(
        "--area", evil.format(marker=marker), "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(out)
    )
    assert proc.returncode == 2
    assert "area" in _one_line(proc.stderr)
    assert seconds < FAST_SECONDS, SLOW_HINT
    assert not marker.exists() and not out.exists()


def test_notebook_without_parameters_cell_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('area = "E10000003"')])
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "00_untagged.ipynb")
    proc, _ = run_cli("--notebooks-dir", str(tmp_path / "nb"), "--output-dir", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "no cell tagged 'parameters'" in _one_line(proc.stderr)
    assert not (tmp_path / "out").exists()


def test_empty_notebooks_folder_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="no section notebooks"):
        runner.list_sections(tmp_path)


def test_both_area_and_all_councils_is_refused():
    args = runner.build_parser().parse_args(
        ["--area", "E10000003", "--all-councils", "--notebooks-dir", str(NOTEBOOKS)]
    )
    with pytest.raises(ParameterError, match="either --area or --all-councils"):
        runner.validate(args)


def test_papermill_writes_parameters_as_literals():
    """Even without validation, papermill's Python translator emits ``area = <repr>``: data, not code."""
    from papermill.translators import translate_parameters

    evil = EVIL.format(marker="/tmp/never")
    source = translate_parameters("python3", "python", {"area": evil}, "Parameters")
    statements = [s for s in ast.parse(source).body]
    assert len(statements) == 1 and isinstance(statements[0], ast.Assign)
    assert isinstance(statements[0].value, ast.Constant) and statements[0].value.value == evil


# --- areas and sections ---------------------------------------------------------------------------


def test_fast_resolver_agrees_with_helpers_areas():
    from helpers import areas

    index = runner.area_index()
    table = areas._table()
    for text in list(table["name"]) + list(table["alt_names"].fillna("").str.split(",").explode()):
        assert runner.normalise_name(str(text)) == areas._normalise(str(text))
    for text in [
        "E10000003",
        "e06000031",
        "Peterborough",
        "Cambridgeshire County Council",
        "Manchester",
        "Camden",
        "City of London",
        "Isles of Scilly",
        "  Kent ",
    ]:
        assert runner.resolve_area(text, index)["code"] == areas.resolve_briefing_area(text).code
        assert runner.resolve_area(text, index)["slug"] == areas.resolve_briefing_area(text).slug
    with pytest.raises(UnknownAreaError):
        runner.resolve_area("Fenland", index)


def test_select_sections_by_number_stem_and_slug():
    available = runner.list_sections(NOTEBOOKS)
    assert [p.stem for p in runner.select_sections(available, "1,00")] == ["01_fails", "00_ok"]
    assert [p.stem for p in runner.select_sections(available, "ok, 01_fails")] == ["00_ok", "01_fails"]
    assert runner.select_sections(available, None) == available


def test_task_key_covers_notebook_and_parameters(tmp_path):
    shared = runner.inputs_digest()
    nb = NOTEBOOKS / "00_ok.ipynb"
    key = runner.task_key(nb, {"area": "E10000003"}, shared)
    assert key == runner.task_key(nb, {"area": "E10000003"}, shared)
    assert key != runner.task_key(nb, {"area": "E06000031"}, shared)
    assert key != runner.task_key(NOTEBOOKS / "01_fails.ipynb", {"area": "E10000003"}, shared)
    assert key != runner.task_key(nb, {"area": "E10000003"}, shared + "x")


def test_task_key_is_the_same_in_a_second_process():
    """Cache keys must not depend on the process (hash seed, dict order, absolute paths)."""
    import os
    import subprocess
    import sys

    code = (
        "from helpers import runner; from helpers.config import REPO_ROOT as R; "
        "print(runner.task_key(R / 'tests/fixtures/notebooks/00_ok.ipynb', {'area': 'E10000003', 'x': [1, 2]}, "
        "runner.inputs_digest()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "999"},
    ).stdout.strip()
    here = runner.task_key(NOTEBOOKS / "00_ok.ipynb", {"x": [1, 2], "area": "E10000003"}, runner.inputs_digest())
    assert other == here


def test_shared_inputs_are_helpers_and_lock_not_sections_registry_or_register():
    """Every briefing shares the helper code and the lock; a section's module, the registry entries and the
    register files are per-briefing inputs (tests/test_runner_deps.py)."""
    names = {p.relative_to(config.REPO_ROOT).as_posix() for p in runner._input_files()}
    assert "src/helpers/runner/cli.py" in names and "src/helpers/runner/engines.py" in names
    assert "src/helpers/templates/briefing.css" in names and "requirements.lock" in names
    assert "src/helpers/sections/__init__.py" in names and "src/helpers/sections/s06_transport.py" not in names
    assert not any(n.startswith(("data/sources/", "manifestos/")) for n in names)
    inputs = runner.briefing_inputs(
        runner.scan_inputs(), NOTEBOOKS / "00_ok.ipynb", {"area": "E10000003"}, datasets=["uk_la_names_codes_hierarchy"]
    )
    assert set(inputs["register"]) == {"manifesto.yaml", "00_inequality.yaml"}  # section 00 of the default register
    assert list(inputs["datasets"]) == ["uk_la_names_codes_hierarchy"] and len(inputs["section_code"]) == 64


def test_clean_notebook_strips_timings_ids_and_paths(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x"), nbformat.v4.new_code_cell("y")])
    nb.metadata["papermill"] = {
        "start_time": "t",
        "duration": 1.0,
        "input_path": str(REPO),
        "parameters": {"area": "a"},
    }
    nb.cells[0].metadata.update(
        {"execution": {"iopub.execute_input": "t"}, "papermill": {"duration": 1.0}, "tags": ["injected-parameters"]}
    )
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"{REPO}/src/x.py {tmp_path}/y\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<object at 0x7f00deadbeef>"}),
    ]
    report.clean_notebook(nb, {"area": "a"}, paths=(str(tmp_path),))
    text = json.dumps(nb)
    assert nb.metadata["papermill"] == {"parameters": {"area": "a"}}
    assert "execution" not in nb.cells[0].metadata and "papermill" not in nb.cells[0].metadata
    assert nb.cells[0]["id"] == "injected-parameters"
    assert str(REPO) not in text and str(tmp_path) not in text and "0x7f00deadbeef" not in text
    assert nb.cells[1].outputs[0]["text"] == "src/x.py y\n"


# --- execution (slow) -----------------------------------------------------------------------------


@pytest.mark.slow
def test_raw_papermill_path_cannot_execute_injected_code(tmp_path):
    """Bypass validation: papermill itself receives the hostile value and the kernel only sees a string."""
    import papermill as pm

    marker = tmp_path / "pwned"
    evil = EVIL.format(marker=marker)
    nb = pm.execute_notebook(
        str(TINY / "00_tiny.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"area": evil},
        kernel_name=runner.KERNEL_NAME,
        progress_bar=False,
    )
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert printed.strip() == repr(evil)
    assert not marker.exists()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A first build of both fixture notebooks (2 jobs) into a fresh output folder."""
    out = tmp_path_factory.mktemp("batch") / "outputs"
    args = ("--area", "E10000003", "--jobs", "2", "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(out))
    proc, seconds = run_cli(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    area = out / "cambridgeshire-e10000003"
    snapshot = {p.name: p.read_bytes() for p in area.iterdir() if p.suffix in {".ipynb", ".html"}}
    return {"out": out, "area": area, "args": args, "first": proc, "snapshot": snapshot, "seconds": seconds}


@pytest.mark.slow
@pytest.mark.xdist_group("runner")
def test_first_build_writes_everything(batch):
    area = batch["area"]
    for name in [
        "00_ok.ipynb",
        "00_ok.html",
        "01_fails.ipynb",
        "01_fails.html",
        "index.html",
        "manifest.json",
        "claims.csv",
        "pledges.csv",
    ]:
        assert (area / name).is_file(), name
    assert (batch["out"] / "index.html").is_file()
    assert "2 built, 0 unchanged, 0 failed" in batch["first"].stdout
    manifest = json.loads((area / "manifest.json").read_text())
    ok = manifest["briefings"]["00_ok"]
    assert manifest["parameters"] == {"area": "E10000003", "include_code": False, "manifesto": ""}
    assert manifest["git_commit"] == COMMIT and manifest["python"] and manifest["packages"]["papermill"]
    assert ok["status"] == "built" and len(ok["key"]) == 64 and ok["seconds"] > 0
    assert ok["datasets"][0]["id"] == "uk_la_names_codes_hierarchy"
    assert all(len(f["sha256"]) == 64 for f in ok["datasets"][0]["files"])
    assert ok["record"]["findings"] == ["Cambridgeshire is a county.", "The fixture records two findings."]
    assert "The fixture claim holds" in (area / "claims.csv").read_text()
    assert "The fixture pledge" in (area / "pledges.csv").read_text()


@pytest.mark.slow
@pytest.mark.xdist_group("runner")
def test_outputs_have_no_timings_paths_or_random_ids(batch):
    for name, data in batch["snapshot"].items():
        text = data.decode()
        assert str(REPO) not in text and str(batch["out"]) not in text and "/tmp/" not in text, name
        assert " at 0x" not in text.replace("at 0x…", ""), name
        if name.endswith(".ipynb"):
            nb = json.loads(text)
            assert nb["metadata"]["papermill"] == {"parameters": {"area": "E10000003"}}
            for cell in nb["cells"]:
                assert "execution" not in cell["metadata"] and "papermill" not in cell["metadata"]
            assert any(c["id"] == "injected-parameters" for c in nb["cells"])


def _snapshot(area: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in area.iterdir() if p.suffix in {".ipynb", ".html"}}


@pytest.mark.slow
@pytest.mark.xdist_group("runner")
def test_no_change_rebuild_skips_quickly(batch):
    # straight after the first build, with nothing changed: an unstable cache key would rebuild here
    proc, _ = run_cli(*batch["args"])
    assert "0 built, 2 unchanged" in proc.stdout, proc.stdout
    mtimes = {p.name: p.stat().st_mtime_ns for p in batch["area"].glob("*.ipynb")}
    proc, _ = run_cli(*batch["args"])
    assert proc.returncode == 0, proc.stderr
    assert "0 built, 2 unchanged, 0 failed" in proc.stdout
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in batch["area"].glob("*.ipynb")}
    manifest = json.loads((batch["area"] / "manifest.json").read_text())
    assert manifest["briefings"]["00_ok"]["status"] == "unchanged"
    assert manifest["briefings"]["00_ok"]["build_seconds"] > 0


@pytest.mark.slow
@pytest.mark.xdist_group("runner")
def test_force_rebuild_is_byte_identical_and_failure_is_isolated(batch):
    """--force re-runs both; 01 fails on request: 00 still builds (byte-identical to the build before),
    01 gets an error page, keeps its previous good output, and the exit code is non-zero."""
    area = batch["area"]
    before = _snapshot(area)
    proc, _ = run_cli(*batch["args"], "--force", env={"BRIEFINGS_FIXTURE_FAIL": "1"})
    assert proc.returncode == 1
    assert "1 built, 0 unchanged, 1 failed" in proc.stdout
    assert "FAILED 01_fails: In [4]: BriefingError: fixture failure requested" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (area / "00_ok.ipynb").read_bytes() == before["00_ok.ipynb"]
    assert (area / "00_ok.html").read_bytes() == before["00_ok.html"]
    assert (area / "01_fails.html").read_bytes() == before["01_fails.html"]
    assert (area / "01_fails.ipynb").read_bytes() == before["01_fails.ipynb"]
    error = (area / "01_fails.error.html").read_text()
    assert "In [4]" in error and "fixture failure requested by BRIEFINGS_FIXTURE_FAIL" in error
    assert 'href="01_fails.html"' in error
    index = (area / "index.html").read_text()
    assert "Failed in the latest run" in index and "01_fails.error.html" in index
    manifest = json.loads((area / "manifest.json").read_text())
    assert manifest["briefings"]["01_fails"]["status"] == "failed"
    assert manifest["briefings"]["01_fails"]["key"] is None  # so the next run retries it
    assert not list(area.glob(".*"))  # no temp files left behind


@pytest.mark.slow
@pytest.mark.xdist_group("runner")
def test_all_councils_runs_every_area(tmp_path, monkeypatch, capsys):
    from helpers import areas

    picked = [areas.resolve("E06000031"), areas.resolve("E09000007")]
    monkeypatch.setattr(areas, "briefing_areas", lambda: picked)
    monkeypatch.setenv("BRIEFINGS_GIT_COMMIT", COMMIT)
    out = tmp_path / "outputs"
    code = runner.main(["--all-councils", "--jobs", "2", "--notebooks-dir", str(TINY), "--output-dir", str(out)])
    assert code == 0, capsys.readouterr()
    for area in picked:
        assert (out / area.slug / "00_tiny.html").is_file()
        assert area.code in (out / area.slug / "00_tiny.ipynb").read_text()
    camden_index = (out / picked[1].slug / "index.html").read_text()
    assert f"../{picked[0].slug}/index.html" in camden_index
    top = (out / "index.html").read_text()
    assert all(f"{a.slug}/index.html" in top for a in picked)


def test_longest_sections_start_first_and_timings_are_remembered(tmp_path, monkeypatch):
    from helpers.runner import plan as runner_plan

    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "cache"))
    area = {"code": "E06000031", "name": "Peterborough", "kind": "unitary", "slug": "p"}
    tasks = [
        runner_plan.Task(f"{s}.ipynb", s, area, str(tmp_path), {"area": "E06000031"}, False, "k", "c")
        for s in ("00_a", "01_b", "02_c", "03_d")
    ]
    assert runner_plan.longest_first(tasks) == tasks  # nothing known yet: plan order
    runner_plan.remember_seconds({"01_b": [2.0, 9.0, 3.0], "03_d": [5.0]})
    assert runner_plan.known_seconds() == {"01_b": 3.0, "03_d": 5.0}  # the median of each section
    ordered = [t.section for t in runner_plan.longest_first(tasks)]
    assert ordered == ["03_d", "01_b", "00_a", "02_c"]  # unknown sections keep their order, after
    (tmp_path / "cache" / runner_plan.TIMINGS_FILE).write_text("not json")
    assert runner_plan.known_seconds() == {}  # a damaged file only loses the hint
