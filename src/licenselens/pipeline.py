"""The analyze pipeline: normalize ─► segment ─► classify ─► reason.

``analyze_text`` wires the stages and keeps an in-process memo keyed by the
SHA-256 of the normalized text, so the same license read twice (300 copies of
MIT in one tree) is analysed once. Spans are offsets into the original text,
so a memo entry is reused only when the original text is the same too; texts
that normalize alike but differ in layout are analysed again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from licenselens.model import Analysis, Clause, Identified, Source, Term
from licenselens.reason import Reasoning, reason

#: Analyses kept in the in-process memo.
MEMO_SIZE = 256


@dataclass(frozen=True)
class _Result:
    original: str
    clauses: list[Clause]
    terms: list[Term]
    reasoning: Reasoning


_memo: OrderedDict[str, _Result] = OrderedDict()
_lock = threading.Lock()


def clear_memo() -> None:
    """Forget every memoized analysis (benchmarks use it to measure cold paths)."""
    with _lock:
        _memo.clear()


def normalized_sha256(text: str) -> str:
    """The memo key of a text: SHA-256 of its normalized form."""
    from licenselens.text import normalize

    return hashlib.sha256(normalize(text).text.encode("utf-8")).hexdigest()


def _run(text: str) -> _Result:
    from licenselens.classify import classify
    from licenselens.segment import segment
    from licenselens.text import normalize

    nt = normalize(text)
    key = hashlib.sha256(nt.text.encode("utf-8")).hexdigest()
    with _lock:
        hit = _memo.get(key)
        if hit is not None and hit.original == text:
            _memo.move_to_end(key)
            return hit
    clauses = sorted(segment(nt), key=lambda c: (c.start, c.end))
    terms = classify(clauses)
    reasoning = reason(clauses, terms, text)
    result = _Result(original=text, clauses=clauses, terms=reasoning.terms, reasoning=reasoning)
    with _lock:
        _memo[key] = result
        _memo.move_to_end(key)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return result


def analyze_text(text: str, *, source: Source, identified: Identified | None = None) -> Analysis:
    """Analyse a decoded license text: clauses, terms, freedom verdicts, findings.

    ``source`` names the input (path and SHA-256 of its raw bytes);
    ``identified`` is the nearest known license when the caller has looked it
    up (it explains, it never changes the verdict).
    """
    r = _run(text)
    return Analysis(
        source=source,
        identified=identified,
        clauses=r.clauses,
        terms=r.terms,
        freedoms=r.reasoning.freedoms,
        findings=r.reasoning.findings,
        verdict=r.reasoning.verdict,
        openwashing=r.reasoning.openwashing,
    )


def analyze_bytes(data: bytes, *, path: str | None = None, identified: Identified | None = None) -> Analysis:
    """Decode raw bytes (UTF-8, UTF-16 with BOM, Latin-1 fallback; binary refused with
    ``InputError``) and analyse them; ``source.sha256`` is the hash of ``data``."""
    from licenselens.text import decode

    text = decode(data, path)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest())
    return analyze_text(text, source=source, identified=identified)
