"""The analyze pipeline: normalize ─► segment ─► classify ─► reason.

``analyze_text`` wires the stages and keeps an in-process memo keyed by the
SHA-256 of the normalized text, so the same license read twice (300 copies of
MIT in one tree) is analysed once. Spans are offsets into the original text,
so a memo entry is reused only when the original text is the same too; texts
that normalize alike but differ in layout are analysed again.

Given a ``ResultCache`` (``licenselens.cache``), results also persist across
processes, under a key made of both text hashes and ``producer_version()``
(the version, the shipped model and the analysing code), so a retrained model
or a changed rule never reads a stale entry.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from licenselens.errors import InputError
from licenselens.model import Analysis, Clause, Identified, Source, Term

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.cache import ResultCache
    from licenselens.reason import Reasoning
    from licenselens.text import NormalizedText

#: Namespace of analyses in the persistent result cache.
CACHE_NAMESPACE = "analysis"

#: Analyses kept in the in-process memo.
MEMO_SIZE = 256

#: Longest text analysed, in characters. Long licenses and terms of use run to
#: tens of thousands (GPL-3.0: 35,000); beyond this a text is refused rather
#: than left to run for a minute.
MAX_TEXT_CHARS = 500_000


@dataclass(frozen=True)
class _Result:
    original: str
    clauses: list[Clause]
    terms: list[Term]
    reasoning: Reasoning


_memo: OrderedDict[str, _Result] = OrderedDict()
_lock = threading.Lock()


def clear_memo() -> None:
    """Forget every memoized analysis and unit reading (benchmarks use it to measure cold paths)."""
    from licenselens.classify import clear_memo as clear_unit_memo

    with _lock:
        _memo.clear()
        _identified_memo.clear()
    clear_unit_memo()


def normalized_sha256(text: str) -> str:
    """The memo key of a text: SHA-256 of its normalized form."""
    from licenselens.text import normalize

    return _digest(normalize(text))


def _digest(nt: NormalizedText) -> str:
    return hashlib.sha256(nt.text.encode("utf-8")).hexdigest()


def _run(text: str, nt: NormalizedText) -> _Result:
    from licenselens.classify import classify
    from licenselens.reason import reason
    from licenselens.segment import segment

    key = _digest(nt)
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


def producer_version() -> str:
    """A digest of what produces an analysis (``licenselens.resources.producer_digest``)."""
    from licenselens.resources import producer_digest

    return producer_digest()


def cache_key(text: str, *, identify: bool = False, nt: NormalizedText | None = None) -> str:
    """The persistent-cache key of a text (see the module documentation); ``nt``, when the
    caller has it, is the text already normalized."""
    normalized = _digest(nt) if nt is not None else normalized_sha256(text)
    original = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{producer_version()}:{normalized}:{original}" + (":identified" if identify else "")


_identified_memo: OrderedDict[str, Identified | None] = OrderedDict()


def nearest_license(text: str, nt: NormalizedText | None = None) -> Identified | None:
    """The known license the bulk of the text is (``licenselens.identify.best_match``), memoized.
    It explains the text; it never changes a verdict. ``nt``: the text already normalized."""
    from licenselens.identify import best_match
    from licenselens.text import normalize

    nt = nt if nt is not None else normalize(text)
    key = _digest(nt)
    with _lock:
        if key in _identified_memo:
            return _identified_memo[key]
    found = best_match(nt)
    with _lock:
        _identified_memo[key] = found
        while len(_identified_memo) > MEMO_SIZE:
            _identified_memo.popitem(last=False)
    return found


def analyze_text(
    text: str,
    *,
    source: Source,
    identified: Identified | None = None,
    identify: bool = False,
    cache: ResultCache | None = None,
) -> Analysis:
    """Analyse a decoded license text: clauses, terms, freedom verdicts, findings.

    ``source`` names the input (path and SHA-256 of its raw bytes);
    ``identified`` is the nearest known license when the caller has looked it
    up, or ``identify=True`` looks it up (it explains, it never changes the
    verdict); ``cache`` keeps results across processes.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(source.path, f"text too long to be a license ({len(text):,} characters; limit {MAX_TEXT_CHARS:,})")
    from licenselens.text import normalize

    nt = normalize(text)
    key = cache_key(text, identify=identify, nt=nt) if cache is not None else None
    if cache is not None:
        stored = cache.get(CACHE_NAMESPACE, key)
        if stored is not None:
            try:
                body = Analysis.model_validate_json(stored)
                update = {"source": source} if identified is None else {"source": source, "identified": identified}
                return body.model_copy(update=update)
            except ValueError:
                pass  # an unreadable entry costs a recomputation
    r = _run(text, nt)
    if identified is None and identify:
        identified = nearest_license(text, nt)
    analysis = Analysis(
        source=source,
        identified=identified,
        clauses=r.clauses,
        terms=r.terms,
        freedoms=r.reasoning.freedoms,
        findings=r.reasoning.findings,
        verdict=r.reasoning.verdict,
        openwashing=r.reasoning.openwashing,
    )
    if cache is not None:
        cache.put(CACHE_NAMESPACE, key, analysis.model_dump_json())
    return analysis


def analyze_bytes(
    data: bytes,
    *,
    path: str | None = None,
    identified: Identified | None = None,
    identify: bool = False,
    cache: ResultCache | None = None,
) -> Analysis:
    """Decode raw bytes (UTF-8, UTF-16 with BOM, Latin-1 fallback; binary refused with
    ``InputError``) and analyse them; ``source.sha256`` is the hash of ``data``."""
    from licenselens.text import decode

    text = decode(data, path)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest())
    return analyze_text(text, source=source, identified=identified, identify=identify, cache=cache)
