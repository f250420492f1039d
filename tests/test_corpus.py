"""The corpus's bookkeeping: every reference text has its provenance, every annotated document its text."""

from __future__ import annotations

import re
from collections import Counter

from licenselens.resources import corpus_path

_ROW = re.compile(r"^\|\s*([^|\s][^|]*?)\s*\|")


def _provenance_keys() -> list[str]:
    lines = (corpus_path() / "licenses" / "PROVENANCE.md").read_text(encoding="utf-8").splitlines()
    keys = [m.group(1) for line in lines if (m := _ROW.match(line))]
    return [k for k in keys if k != "key" and not set(k) <= set("- ")]


def test_every_reference_text_has_exactly_one_provenance_row():
    keys = _provenance_keys()
    files = {p.name.removesuffix(".LICENSE") for p in (corpus_path() / "licenses").glob("*.LICENSE")}
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert sorted(files - set(keys)) == []
    assert sorted(set(keys) - files) == []


def test_every_annotated_document_has_its_reference_text_or_is_synthetic():
    texts = {p.name.removesuffix(".LICENSE") for p in (corpus_path() / "licenses").glob("*.LICENSE")}
    annotated = {p.stem for p in (corpus_path() / "annotations").glob("*.jsonl")}
    assert sorted(d for d in annotated - texts if not d.startswith("synthetic-")) == []
