"""The per-process memo of unit readings in ``licenselens.classify`` changes no result."""

from __future__ import annotations

from pathlib import Path

import pytest

from licenselens.classify import classify
from licenselens.classify.predictor import shipped_predictor
from licenselens.identify.references import split_front_matter
from licenselens.resources import corpus_path
from licenselens.segment import segment
from licenselens.text import normalize

# Texts that share whole sentences (MIT/BSD/Apache copies, the CC family) and texts with parameters.
SHARING = ["mit", "mit-0", "isc", "bsd-new", "bsd-simplified", "apache-2.0", "cc-by-4.0", "cc-by-nc-4.0",
           "cc-by-nc-sa-4.0", "llama-3.1-license-2024", "llama-3.2-license-2024"]


def _clauses(path: Path):
    return segment(normalize(split_front_matter(path.read_text(encoding="utf-8"))[1]))


def _dumped(terms) -> list[dict]:
    return [t.model_dump(mode="json") for t in terms]


def _compare(names: list[str]) -> None:
    model = shipped_predictor()
    texts = {name: _clauses(corpus_path("licenses", f"{name}.LICENSE")) for name in names}
    alone = {}
    for name, clauses in texts.items():
        # Each text read with an empty memo: what classify returned before the memo existed.
        model.unit_memo.clear()
        alone[name] = _dumped(classify(clauses))
    # Then every text again, in reverse order, each after the others filled the memo.
    for name in reversed(names):
        terms = classify(texts[name])
        assert _dumped(terms) == alone[name], name
        # A caller editing a term's parameters must not change what later texts get.
        for term in terms:
            term.params["edited"] = True
    for name in names:
        assert _dumped(classify(texts[name])) == alone[name], name


def test_memo_keeps_terms_of_texts_that_share_sentences():
    names = [n for n in SHARING if corpus_path("licenses", f"{n}.LICENSE").is_file()]
    assert len(names) >= 8
    _compare(names)


@pytest.mark.slow
def test_memo_keeps_terms_of_every_corpus_text():
    _compare(sorted(p.name.removesuffix(".LICENSE") for p in corpus_path("licenses").glob("*.LICENSE")))
