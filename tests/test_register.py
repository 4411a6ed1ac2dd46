"""The claims register: schema, one-line errors, and the default register's consistency."""

from __future__ import annotations

import textwrap

import pytest

from helpers import config, register

HEAD = """
manifesto:
  id: test-register
  title: A made-up register
  date: 2021-05-06
  subject_area: E10000003
  documents:
    doc: {title: A document, date: 2021-04-01}
sections:
"""


def write(tmp_path, body: str):
    path = tmp_path / "reg.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(body), "  "))
    register._load.cache_clear()
    return path


def error_of(tmp_path, body: str) -> str:
    with pytest.raises(register.RegisterError) as err:
        register.load(write(tmp_path, body))
    message = str(err.value)
    assert "\n" not in message, message
    return message


def test_a_good_single_file_register_loads(tmp_path):
    m = register.load(
        write(
            tmp_path,
            """
        00_test:
          claims:
            - id: a-claim
              text: "{area} has a property"
              source: doc §1
              indicator: an indicator
              untestable: {kind: no public data, reason: nobody publishes this measure}
        """,
        )
    )
    assert [e.id for _, e in m.entries("claims")] == ["a-claim"] and m.year == 2021


def test_missing_test_and_reason_is_one_line_naming_the_entry(tmp_path):
    message = error_of(
        tmp_path,
        """
        00_test:
          claims:
            - id: bad-claim
              text: "{area} has a property"
              source: doc §1
              indicator: an indicator
        """,
    )
    assert "bad-claim" in message and "exactly one of" in message


def test_unknown_placeholder_is_rejected(tmp_path):
    message = error_of(
        tmp_path,
        """
        00_test:
          claims:
            - id: leak
              text: "ranked among English {peer_word}"
              source: doc §1
              indicator: an indicator
              untestable: {kind: no public data, reason: nobody publishes this measure}
        """,
    )
    assert "peer_word" in message


def test_duplicate_ids_are_rejected(tmp_path):
    entry = """
            - id: same
              text: "{area} has a property"
              source: doc §1
              indicator: an indicator
              untestable: {kind: no public data, reason: nobody publishes this measure}
    """
    message = error_of(tmp_path, "00_test:\n  claims:" + entry + "\n01_other:\n  pledges:" + entry)
    assert "used twice" in message


def test_a_function_outside_helpers_cannot_be_named(tmp_path):
    message = error_of(
        tmp_path,
        """
        00_test:
          claims:
            - id: rogue
              text: "{area} has a property"
              source: doc §1
              indicator: an indicator
              test: {function: os.system, params: {command: "true"}}
        """,
    )
    assert "helpers.sections.os" in message


def test_source_must_name_a_document(tmp_path):
    message = error_of(
        tmp_path,
        """
        00_test:
          pledges:
            - id: p1
              text: "do a thing"
              source: leaflet §1
              indicator: an indicator
              untestable: {kind: no public data, reason: nobody publishes this measure}
        """,
    )
    assert "leaflet" in message


def test_bad_yaml_gives_the_line(tmp_path):
    path = tmp_path / "reg.yaml"
    path.write_text("manifesto: [unclosed\n")
    register._load.cache_clear()
    with pytest.raises(register.RegisterError, match="line"):
        register.load(path)


def test_yaml_is_read_safely(tmp_path):
    path = tmp_path / "reg.yaml"
    path.write_text("manifesto: !!python/object/apply:os.system ['true']\nsections: {}\n")
    register._load.cache_clear()
    with pytest.raises(register.RegisterError):
        register.load(path)


def test_the_default_register_is_valid_and_ids_are_unique():
    register._load.cache_clear()
    m = register.load(config.DEFAULT_MANIFESTO)
    ids = [e.id for k in ("claims", "pledges") for _, e in m.entries(k)]
    assert len(ids) == len(set(ids))
    assert m.info.subject_area == config.DEFAULT_AREA
