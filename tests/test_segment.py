"""Segmentation: real license layouts in, clause ids out."""

from __future__ import annotations

from pathlib import Path

import pytest

from licenselens.segment import segment, units
from licenselens.text import normalize

LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"


def _llama(name: str) -> str:
    path = LLAMA / name
    if not path.is_file():
        pytest.skip(f"third-party reference text {path} is absent")
    return path.read_text(encoding="utf-8")


def _check_partition(text, clauses):
    assert clauses[0].start == 0 and clauses[-1].end == len(text)
    for a, b in zip(clauses, clauses[1:]):
        assert a.end == b.start
    for c in clauses:
        assert c.text == text[c.start : c.end]
    assert len({c.id for c in clauses}) == len(clauses)


def test_llama_3_1_license_nesting():
    text = _llama("llama3_1-LICENSE.txt")
    clauses = segment(normalize(text))
    _check_partition(text, clauses)
    by_id = {c.id: c for c in clauses}
    assert "Acceptable Use Policy" in by_id["1.b.iv"].text
    assert by_id["1.b.iv"].parent == "1.b"
    assert by_id["1"].heading == "License Rights and Redistribution"


def test_llama_3_2_aup_nested_markdown_lists():
    text = _llama("llama3_2-USE_POLICY.md")
    clauses = segment(normalize(text))
    _check_partition(text, clauses)
    by_id = {c.id: c for c in clauses}
    assert by_id["1.a.i"].text.startswith("1. Violence or terrorism")
    assert by_id["2.a"].text.startswith("8. Military, warfare")
    assert by_id["p1"].text.startswith("With respect to any multimodal models")


def test_units_stay_inside_clauses():
    text = _llama("llama3_1-LICENSE.txt")
    for c in segment(normalize(text)):
        for s, e in units(c):
            assert c.start <= s < e <= c.end
