"""Per-briefing dependency keys (issue 27): a briefing is rebuilt when something it depends on changed, and
``--dry-run`` says what. Toy notebooks in a temp folder publish which datasets they "read" (a ``sources``
scrap), so the manifests list them as a real briefing's would; the registry is a temp copy
(``BRIEFINGS_SOURCES_DIR``) and the claims register a temp copy (``--manifesto``). The execution tests are
marked ``slow``; the planning tests run in-process without any worker.

Also here: figures stored once per briefing (the executed notebook points to the page) and the lossless PNG
optimisation of the runner's post-processing."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from runner_fixtures import NOTEBOOKS, make_notebook, run_cli  # noqa: E402

from helpers import config, runner  # noqa: E402
from helpers.runner import figures  # noqa: E402
from helpers.runner import plan as runner_plan  # noqa: E402

CAMBS, PETERBOROUGH = "E10000003", "E06000031"
COMMON = "la_urban_rural_profile"
TARGET = "bus_passenger_journeys_la_2010_2024"  # read by 06 for both councils, by 04 for Peterborough only
OTHER = "rail_station_usage_orr_2017_18_2018_19"

#: The toy notebooks' code: publish the datasets "read" (per area) as the sources scrap Briefing.publish writes.
READS = """
import scrapbook as sb
reads = {reads!r}
chosen = reads.get(area, reads["*"])
sb.glue("sources", [{{"dataset": d}} for d in chosen], encoder="json")
print(area, chosen)
"""
TOYS = {
    "00_alpha": {"*": [COMMON]},
    "04_beta": {PETERBOROUGH: [TARGET, COMMON], "*": [OTHER]},
    "06_gamma": {"*": [TARGET]},
}


def _toy_notebooks(folder: Path) -> Path:
    for stem, reads in TOYS.items():
        path = make_notebook(folder / f"{stem}.ipynb", READS.format(reads=reads))
        nb = nbformat.read(path, as_version=4)
        nb.cells[0].source = 'area = "E10000003"\nmanifesto = ""'
        nbformat.write(nb, path)
    return folder


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Toy notebooks, a registry copy and a register copy, wired in for in-process and CLI runs."""
    sources = tmp_path / "sources"
    shutil.copytree(config.SOURCES_DIR, sources)
    register = tmp_path / "register"
    shutil.copytree(config.DEFAULT_MANIFESTO, register)
    monkeypatch.setattr(config, "SOURCES_DIR", sources)
    monkeypatch.setenv(config.SOURCES_ENV, str(sources))
    # the changed sha256 must not send a worker priming national tables to the network
    # and the toy notebooks use no national table: the workers skip building them (a minute on a busy host)
    env = {config.SOURCES_ENV: str(sources), config.OFFLINE_ENV: "1", "BRIEFINGS_PRIME_TABLES": "0"}
    common = [
        "--area",
        CAMBS,
        "--area",
        PETERBOROUGH,
        "--notebooks-dir",
        str(_toy_notebooks(tmp_path / "notebooks")),
        "--output-dir",
        str(tmp_path / "out"),
        "--manifesto",
        str(register),
    ]
    return {"tmp": tmp_path, "sources": sources, "register": register, "env": env, "args": common}


def _dry_run(toy, capsys, *extra: str) -> str:
    """``briefings --dry-run`` in this process (exit 0, nothing written); returns its output."""
    before = sorted(p.relative_to(toy["tmp"]) for p in (toy["tmp"] / "out").rglob("*"))
    assert runner.main([*toy["args"], "--dry-run", *extra]) == 0
    assert sorted(p.relative_to(toy["tmp"]) for p in (toy["tmp"] / "out").rglob("*")) == before
    return capsys.readouterr().out


def _to_build(text: str) -> set[tuple[str, str]]:
    """(area code, section) pairs a dry run lists, e.g. {("E06000031", "04_beta")}."""
    found, code = set(), None
    for line in text.splitlines():
        header = re.match(r"^.+ \((E\d{8})\): \d+ to build", line)
        if header:
            code = header.group(1)
        item = re.match(r"^  (\d\d_\w+): ", line)
        if item and code:
            found.add((code, item.group(1)))
    return found


def _statuses(out: Path) -> dict[tuple[str, str], str]:
    found = {}
    for manifest in out.glob("*/manifest.json"):
        data = json.loads(manifest.read_text())
        for section, entry in data["briefings"].items():
            found[(data["area"]["code"], section)] = entry["status"]
    return found


def _change_sha256(path: Path) -> None:
    text = path.read_text()
    old = re.search(r"sha256: ([0-9a-f]{64})", text).group(1)  # type: ignore[union-attr]
    path.write_text(text.replace(old, "ab" * 32, 1))  # hex letters: YAML keeps it a string


# --- planning, in-process (no workers) -----------------------------------------------------------


def test_code_files_belong_to_their_section_or_are_shared():
    helpers = runner_plan.HELPERS_DIR
    assert runner.code_section(helpers / "sections" / "s06_transport.py") == "06"
    assert runner.code_section(helpers / "sections" / "s04_x" / "tables.py") == "04"  # a section's subpackage
    for shared in ("sections/outturn_lines.py", "sections/__init__.py", "charts.py", "claims/reading.yaml"):
        assert runner.code_section(helpers / shared) is None, shared
    names = {p.relative_to(config.REPO_ROOT).as_posix() for p in runner._input_files()}
    assert "src/helpers/runner/cli.py" in names and "src/helpers/sections/outturn_lines.py" in names
    assert "src/helpers/templates/briefing.css" in names and "requirements.lock" in names
    assert not any(re.match(r"src/helpers/sections/s\d\d_", n) for n in names)


def test_register_files_split_by_section(tmp_path):
    inputs = runner.scan_inputs()
    assert set(inputs.register_shared) == {"manifesto.yaml"}
    assert set(inputs.register_sections["06"]) == {"06_transport.yaml"}
    one_file = runner.scan_inputs(str(NOTEBOOKS.parent / "manifestos" / "fixture.yaml"))
    assert set(one_file.register_shared) == {"fixture.yaml"} and one_file.register_sections == {}
    # each file is read once per run, however many briefings share it
    reads = []
    hashes = runner.FileHashes()
    original = Path.read_bytes
    try:
        Path.read_bytes = lambda self: reads.append(self) or original(self)  # type: ignore[method-assign]
        runner.scan_inputs(hashes=hashes)
        for _ in range(3):
            hashes(config.REPO_ROOT / "requirements.lock")
    finally:
        Path.read_bytes = original  # type: ignore[method-assign]
    assert len(reads) == len(set(reads))


def test_never_built_briefings_are_built_and_dry_run_says_so(toy, capsys):
    text = _dry_run(toy, capsys)
    assert len(_to_build(text)) == 6 and text.count("no previous build") == 6 + 1  # each briefing, the tally
    assert "Dry run: 6 of 6 briefings would be built" in text and "  6 x no previous build" in text


def test_shared_code_or_one_section_module_changes(toy, capsys, monkeypatch):
    """Planning against a copy of src/helpers: a shared module rebuilds all; a section module only its own."""
    out = toy["tmp"] / "out"
    helpers = toy["tmp"] / "helpers"
    shutil.copytree(runner_plan.HELPERS_DIR, helpers, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(runner_plan, "HELPERS_DIR", helpers)
    # a stored build of every toy briefing, keyed as the runner would have keyed it
    plan = runner.validate(runner.build_parser().parse_args(toy["args"]))
    _fake_build(plan, out)
    assert "0 of 6 briefings would be built" in _dry_run(toy, capsys)

    (helpers / "sections" / "s06_transport.py").write_text("# edited\n", encoding="utf-8")
    text = _dry_run(toy, capsys)
    assert _to_build(text) == {(CAMBS, "06_gamma"), (PETERBOROUGH, "06_gamma")}
    assert "section code sections/s06_* changed" in text

    (helpers / "sections" / "s04_new").mkdir()
    (helpers / "sections" / "s04_new" / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    assert {s for _, s in _to_build(_dry_run(toy, capsys))} == {"04_beta", "06_gamma"}

    (helpers / "sections" / "outturn_lines.py").write_text("# edited\n", encoding="utf-8")  # shared by sections
    text = _dry_run(toy, capsys)
    assert len(_to_build(text)) == 6 and "shared helper code changed" in text


def test_indicator_catalogue_is_a_shared_input(toy, capsys, monkeypatch):
    catalogue = toy["tmp"] / "data" / "indicators"
    monkeypatch.setattr(runner_plan, "SHARED_DATA_DIRS", (str(catalogue),))  # an absolute folder stays itself
    plan = runner.validate(runner.build_parser().parse_args(toy["args"]))
    _fake_build(plan, toy["tmp"] / "out")
    catalogue.mkdir(parents=True)
    (catalogue / "life_expectancy.yaml").write_text("id: x\n")
    text = _dry_run(toy, capsys)
    assert len(_to_build(text)) == 6 and "indicator catalogue data/indicators changed" in text


def _fake_build(plan, out: Path) -> None:
    """Manifests as a build of the toy notebooks would write them (keys from the datasets each reads)."""
    from helpers.runner.manifest import built_key

    for item in runner.plan_briefings(plan):
        task = item.task
        area_dir = out / task.area["slug"]
        area_dir.mkdir(parents=True, exist_ok=True)
        for suffix in (".html", ".ipynb"):
            (area_dir / f"{task.section}{suffix}").write_text("x")
        reads = TOYS[task.section]
        datasets = [{"id": d} for d in reads.get(task.area["code"], reads["*"])]
        key, inputs = built_key(task, datasets, plan.inputs)
        manifest = runner_plan.load_manifest(area_dir) or {"area": task.area, "briefings": {}}
        manifest["briefings"][task.section] = {
            "section": task.section,
            "status": "built",
            "key": key,
            "inputs": inputs,
            "datasets": datasets,
        }
        (area_dir / "manifest.json").write_text(json.dumps(manifest))


# --- the runner, end to end (slow) ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.needs_mirror
def test_new_dataset_release_rebuilds_exactly_its_readers(toy, capsys):
    """One dataset's registry entry gets a new sha256: across two councils, exactly the briefings whose
    manifests list it are rebuilt (06 for both, 04 for Peterborough only), and --dry-run names it."""
    out = toy["tmp"] / "out"
    proc, _ = run_cli(*toy["args"], "--jobs", "2", env=toy["env"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("3 built, 0 unchanged, 0 failed") == 2, proc.stdout
    manifests = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/manifest.json")}
    readers = {
        (m["area"]["code"], s)
        for m in manifests.values()
        for s, e in m["briefings"].items()
        if TARGET in {d["id"] for d in e["datasets"]}
    }
    assert readers == {(CAMBS, "06_gamma"), (PETERBOROUGH, "06_gamma"), (PETERBOROUGH, "04_beta")}
    assert "0 of 6 briefings would be built" in _dry_run(toy, capsys)  # a second run would build nothing

    _change_sha256(toy["sources"] / f"{TARGET}.yaml")
    text = _dry_run(toy, capsys)
    assert _to_build(text) == readers
    assert text.count(f"dataset {TARGET} registry entry changed") == 3 + 1  # three briefings and the tally
    assert "3 of 6 briefings would be built" in text

    proc, _ = run_cli(*toy["args"], "--jobs", "2", env=toy["env"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Cambridgeshire (E10000003): 1 built, 2 unchanged, 0 failed" in proc.stdout
    assert "Peterborough (E06000031): 2 built, 1 unchanged, 0 failed" in proc.stdout
    statuses = _statuses(out)
    assert {k for k, v in statuses.items() if v == "built"} == readers
    assert "0 of 6 briefings would be built" in _dry_run(toy, capsys)

    # one section's register file changes: only that section, for both councils
    register_file = toy["register"] / "04_public_health.yaml"
    register_file.write_text(register_file.read_text() + "\n# edited by the test\n")
    text = _dry_run(toy, capsys)
    assert _to_build(text) == {(CAMBS, "04_beta"), (PETERBOROUGH, "04_beta")}
    assert "section register 04_public_health.yaml changed" in text
    proc, _ = run_cli(*toy["args"], "--jobs", "2", env=toy["env"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("1 built, 2 unchanged, 0 failed") == 2, proc.stdout
    assert {k for k, v in _statuses(out).items() if v == "built"} == {(CAMBS, "04_beta"), (PETERBOROUGH, "04_beta")}

    # the register's shared file (manifesto.yaml) is read by every section
    shared = toy["register"] / "manifesto.yaml"
    shared.write_text(shared.read_text() + "\n# edited by the test\n")
    text = _dry_run(toy, capsys)
    assert len(_to_build(text)) == 6 and "register manifesto.yaml changed" in text


# --- figures once per briefing ---------------------------------------------------------------------


def _png(colour: str = "tab:blue") -> bytes:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b", "c"], [1, 3, 2], color=colour)
    ax.set_title("Three values")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def _pixels(data: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_png_optimisation_is_lossless_and_smaller():
    pytest.importorskip("oxipng")
    original = _png()
    smaller = figures.optimise_png(original)
    assert len(smaller) < len(original)
    assert (_pixels(smaller) == _pixels(original)).all()
    assert figures.optimise_png(b"not a png") == b"not a png"


def test_link_figures_keeps_text_and_points_to_the_page():
    encoded = base64.b64encode(_png()).decode()
    figure_html = (
        f'<figure class="briefing-figure" id="figure-3"><img src="data:image/png;base64,{encoded}" '
        'alt="Bar chart of three values &amp; more."><figcaption>Figure 3.</figcaption></figure>'
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
                    nbformat.v4.new_output("display_data", data={"text/html": figure_html, "text/plain": "<HTML>"}),
                    nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>"}),
                    nbformat.v4.new_output("display_data", data={"image/png": encoded, "text/plain": "<Figure>"}),
                    nbformat.v4.new_output(
                        "display_data",
                        data={"text/html": f'<table><tr><td><img src="data:image/png;base64,{encoded}" alt="spark">'},
                    ),
                ],
            )
        ]
    )
    saved = figures.optimise_pngs(nb)
    assert saved > 0
    assert figures.link_figures(nb, "04_public_health") == 3
    nbformat.validate(nb)
    text = json.dumps(nb)
    assert "data:image" not in text and encoded[:40] not in text
    outputs = nb.cells[0].outputs
    assert outputs[0]["text"] == "kept\n" and "<table>" in outputs[2]["data"]["text/html"]
    assert outputs[1]["data"]["text/plain"] == (
        "Figure 3: see 04_public_health.html#figure-3. Alt text: Bar chart of three values & more."
    )
    assert "[04_public_health.html#figure-3](04_public_health.html#figure-3)" in outputs[1]["data"]["text/markdown"]
    assert outputs[3]["data"]["text/plain"] == "Image 1: see 04_public_health.html"
    assert outputs[4]["data"]["text/html"].startswith("<table><tr><td><span")  # the table stays, its image goes
    assert "[Image 2: see 04_public_health.html. Alt text: spark]" in outputs[4]["data"]["text/html"]


@pytest.mark.slow
@pytest.mark.needs_mirror
def test_page_is_the_same_with_figures_linked_or_inline(tmp_path):
    """The fixture briefing (one chart) built with --notebook-figures inline and link: the pages are
    byte-identical (both carry the optimised PNG); only the linked notebook loses the image, it still
    validates and names where its figure is."""
    built = {}
    for mode in ("inline", "link"):
        out = tmp_path / mode
        proc, _ = run_cli(
            "--area", CAMBS, "--sections", "00", "--jobs", "1", "--notebooks-dir", str(NOTEBOOKS),
            "--output-dir", str(out), "--notebook-figures", mode, env={"BRIEFINGS_PRIME_TABLES": "0"},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        built[mode] = out / "cambridgeshire-e10000003"
    inline_page = (built["inline"] / "00_ok.html").read_bytes()
    assert inline_page == (built["link"] / "00_ok.html").read_bytes()
    assert b"data:image/png;base64," in inline_page
    inline_nb, linked_nb = (built[m] / "00_ok.ipynb" for m in ("inline", "link"))
    assert "data:image/png" in inline_nb.read_text() and "data:image" not in linked_nb.read_text()
    assert linked_nb.stat().st_size < inline_nb.stat().st_size
    nb = nbformat.read(linked_nb, as_version=4)
    nbformat.validate(nb)
    plain = [o["data"].get("text/plain", "") for c in nb.cells for o in c.get("outputs", []) if "data" in o]
    assert "Figure 1: see 00_ok.html#figure-1. Alt text: Bar chart of three made-up values rising" in "\n".join(plain)
    assert 'id="figure-1"' in inline_page.decode()


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--bogus"], ["--notebook-figures", "sometimes"], ["--jobs"], ["--dry-run", "--jobs", "0"], ["--plan", "x"]],
)
def test_bad_flags_give_one_line_errors(args, tmp_path):
    proc, _ = run_cli(*args, "--notebooks-dir", str(NOTEBOOKS), "--output-dir", str(tmp_path / "o"))
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("briefings: "), proc.stderr
    assert not (tmp_path / "o").exists()
