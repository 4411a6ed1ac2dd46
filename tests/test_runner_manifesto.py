"""--manifesto: a register builds its own subject council unless --area is given; a bad register exits 2 with one
line naming the file, the entry and the closest valid names, and writes nothing."""

from __future__ import annotations

import shutil

import pytest

from helpers import config
from helpers.runner import cli

KENT = config.REPO_ROOT / "manifestos" / "kent-labour-2021"


def _plan(*argv: str):
    return cli.validate(cli.build_parser().parse_args(list(argv)))


@pytest.mark.needs_mirror
def test_a_register_builds_its_own_subject_area_unless_told():
    assert [a["code"] for a in _plan("--manifesto", str(KENT)).areas] == ["E10000016"]
    assert [a["code"] for a in _plan("--manifesto", str(KENT), "--area", "E06000031").areas] == ["E06000031"]
    assert [a["code"] for a in _plan().areas] == ["E10000003"]  # the default register's subject


@pytest.mark.needs_mirror
@pytest.mark.parametrize(
    "old, new, names",
    [
        ("reading: increase}", "reading: increse}", ["increse", "'increase'"]),
        ("indicator: bus-journeys-per-head,", "indicator: bus-journey-per-head,", ["bus-journeys-per-head"]),
        ("{kind: since,", "{kind: snice,", ["snice", "since"]),
    ],
)
def test_a_bad_register_exits_2_in_one_line_and_writes_nothing(tmp_path, capsys, old, new, names):
    reg = tmp_path / "reg"
    shutil.copytree(KENT, reg)
    path = reg / "06_transport.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    code = cli.main(["--manifesto", str(reg), "--output-dir", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "06_transport.yaml" in err and "affordable-buses" in err
    assert all(n in err for n in names), err
    assert not out.exists()
