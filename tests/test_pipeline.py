"""The public API and the pipeline: bytes or text in, an Analysis out; the memo."""

from __future__ import annotations

import codecs
import hashlib

import pytest

import licenselens
from licenselens import analyze
from licenselens.errors import InputError
from licenselens.pipeline import analyze_text, cache_key, clear_memo, producer_version
from licenselens.model import Source

TEXT = (
    "Example License\n\n"
    "Permission is hereby granted to use, copy, modify and distribute this software for any purpose.\n\n"
    "This software may not be used for military purposes.\n"
)


def test_text_and_utf8_bytes_give_the_same_findings():
    a, b = analyze(TEXT), analyze(TEXT.encode("utf-8"), path="LICENSE")
    assert [f.model_dump() for f in a.findings] == [f.model_dump() for f in b.findings]
    assert b.source.path == "LICENSE"
    assert b.source.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def test_utf16_with_bom_is_decoded_and_spans_point_into_the_decoded_text():
    data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
    a = analyze(data)
    military = [f for f in a.findings if f.id == "USE-001"]
    assert military and all(TEXT[f.start : f.end] == "This software may not be used for military purposes." for f in military)


def test_binary_bytes_are_refused():
    with pytest.raises(InputError):
        analyze(b"\x00\x01\x02\x03" * 64, path="x.bin")


def test_memo_returns_the_same_result_and_keeps_each_source():
    clear_memo()
    first = analyze_text(TEXT, source=Source(path="a", sha256="1" * 64))
    second = analyze_text(TEXT, source=Source(path="b", sha256="2" * 64))
    assert first.findings == second.findings and first.clauses == second.clauses
    assert (first.source.path, second.source.path) == ("a", "b")


def test_memo_is_not_reused_when_only_the_normalized_text_agrees():
    # Same words, different layout: normalization may make them equal, spans must still be right.
    moved = TEXT.replace("\n\nThis software", "\n\n\n\n   This software")
    clear_memo()
    analyze(TEXT)
    a = analyze(moved)
    for f in a.findings:
        assert moved[f.start : f.end].strip() and f.evidence.split()[0] in moved[f.start : f.end]


def test_cache_key_changes_with_the_text_and_names_the_producer():
    assert cache_key(TEXT) != cache_key(TEXT + " ")
    assert cache_key(TEXT).startswith(producer_version() + ":")


def test_public_api():
    assert callable(licenselens.analyze)
    assert "analyze" in licenselens.__all__
