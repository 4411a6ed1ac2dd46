"""docs/verdict-rules.md carries every kind and the whole reading table, as the code computes them."""

from __future__ import annotations

from helpers.claims import KINDS, docs, table


def test_the_verdict_rules_document_is_up_to_date():
    text = docs.DOC.read_text(encoding="utf-8")
    assert docs.markdown() in text, "run `python -m helpers.claims.docs` and commit docs/verdict-rules.md"


def test_every_kind_and_phrase_is_documented():
    text = docs.DOC.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"### `{kind}`" in text
    for phrase in table():
        assert f"| {phrase} |" in text
