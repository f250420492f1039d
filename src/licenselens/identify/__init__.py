"""Identify: which known licenses a text is, where each sits, and how it differs.

Identification explains; it never decides. ``analyze`` fills its ``identified``
field from ``best_match`` but its verdicts come from the clauses alone.

>>> from licenselens.text import normalize
>>> result = identify(normalize(reference_index().references[0].body()))
>>> result.matches[0].key == reference_index().references[0].key
True
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from pathlib import Path

from licenselens import expression

from licenselens.identify.fingerprint import tokenize
from licenselens.identify.matching import Region, TextMatch, match_tokens, reference_words, word_differences
from licenselens.identify.referenced import follow_references
from licenselens.identify.references import Reference, ReferenceIndex, reference_index, split_front_matter
from licenselens.model import Candidate, Difference, Identification, Identified, LicenseMatch, Source
from licenselens.text import NormalizedText, normalize

__all__ = [
    "best_match",
    "identify",
    "reference_index",
    "split_front_matter",
    "Reference",
    "ReferenceIndex",
]

MAX_CANDIDATES = 5


def _as_normalized(text: str | NormalizedText) -> NormalizedText:
    return text if isinstance(text, NormalizedText) else normalize(text)


def best_match(nt: NormalizedText | str, *, reference: str = "curated") -> Identified | None:
    """The known license that the bulk of the text is, or None when nothing is near enough.

    Fast path for ``analyze``: no differences, no clause mapping.
    """
    nt = _as_normalized(nt)
    index = reference_index(reference)
    found = match_tokens(tokenize(nt.text), index)
    if not found.regions:
        return None
    main = max(found.regions, key=lambda r: (r.last - r.first, r.final_score))
    ref = index.references[main.ref]
    return Identified(key=ref.key, spdx=ref.spdx, name=ref.name, score=_score(main.final_score))


def identify(
    text: str | NormalizedText,
    *,
    reference: str = "curated",
    source: Source | None = None,
    differences: bool = True,
    max_candidates: int = MAX_CANDIDATES,
    references_from: str | os.PathLike[str] | None = None,
) -> Identification:
    """Find the known licenses in ``text``: one match per region, with scores and differences.

    ``reference`` is 'curated' (the corpus shipped with licenselens) or
    'scancode' (ScanCode's license database, when installed). For a near match
    (score below 1) the words added, removed or changed relative to the
    reference are listed, each with the clause of the text it falls in.

    ``references_from`` is the file the text was read from (or its folder):
    when given, a notice naming other files ("see LICENSE.APACHE and
    LICENSE.BSD") has those files identified too, one level deep, and carries
    their expressions in ``referenced`` and ``resolved_key``/``resolved_spdx``.
    """
    nt = _as_normalized(text)
    index = reference_index(reference)
    found = match_tokens(tokenize(nt.text), index)
    clauses = _Clauses(nt) if differences else None
    matches = [_license_match(nt, found, region, index, clauses) for region in found.regions]
    matches = sorted(matches + _tag_matches(nt, matches), key=lambda m: (m.start, m.end))
    candidates = [_candidate(index.references[r.ref], r) for r in found.candidates[:max_candidates]]
    # The winner's score is the one its match reports (measured over the words, not the shingles).
    scored = {m.reference: m.score for m in matches}
    candidates = [c.model_copy(update={"score": scored[c.reference]}) if c.reference in scored else c for c in candidates]
    result = Identification(source=source, reference_set=index.name, matches=matches, candidates=candidates)
    if references_from is not None and any(m.is_notice for m in matches):
        result = follow_references(result, nt.original, references_from,
                                   lambda path: _identify_file(path, reference))
    return result


def _identify_file(path: Path, reference: str) -> Identification:
    """A file named by a notice, identified without following its own references."""
    from licenselens.text import decode, read_input

    source, data = read_input(str(path))
    return identify(decode(data, source), reference=reference, differences=False, max_candidates=0)


def _score(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def _candidate(ref: Reference, region: Region) -> Candidate:
    return Candidate(key=ref.key, spdx=ref.spdx, name=ref.name, reference=ref.id, score=_score(region.final_score))


def _original_span(nt: NormalizedText, found: TextMatch, w0: int, w1: int) -> tuple[int, int]:
    """Original span of words ``[w0, w1)`` of the tokenized normalized text."""
    tokens = found.tokens
    if w1 <= w0:
        at = int(tokens.starts[w0]) if w0 < len(tokens) else len(nt.text)
        start = nt.to_original(at)
        return start, start
    return nt.span_to_original(int(tokens.starts[w0]), int(tokens.ends[w1 - 1]))


def _license_match(
    nt: NormalizedText, found: TextMatch, region: Region, index: ReferenceIndex, clauses: _Clauses | None
) -> LicenseMatch:
    ref = index.references[region.ref]
    w0, w1 = region.token_span()
    w1 = min(w1, len(found.tokens))
    start, end = _original_span(nt, found, w0, w1)
    ref_words = reference_words(ref)
    text_words = found.tokens.words[w0:w1]
    coverage = region.hits / max(1, int(index.sizes[region.ref]))
    diffs: list[Difference] = []
    score = region.final_score
    if clauses is not None:
        if text_words == ref_words.words:
            score = 1.0
        else:
            word_diffs = word_differences(text_words, ref_words.words)
            if region.exact_score is None:
                matched = len(text_words) - sum(d.a1 - d.a0 for d in word_diffs)
                score = 2 * matched / max(1, len(text_words) + len(ref_words.words))
            for d in word_diffs:
                a, b = _original_span(nt, found, w0 + d.a0, w0 + d.a1)
                ref_tokens = ref_words.tokens
                reference_text = (
                    ref_words.body[int(ref_tokens.starts[d.b0]) : int(ref_tokens.ends[d.b1 - 1])] if d.b1 > d.b0 else ""
                )
                diffs.append(
                    Difference(
                        kind=d.kind,
                        clause=clauses.at(a),
                        start=a,
                        end=b,
                        line=nt.line_of(a),
                        text=nt.original[a:b],
                        reference=" ".join(reference_text.split()),
                    )
                )
    return LicenseMatch(
        key=ref.key,
        spdx=ref.spdx,
        name=ref.name,
        reference=ref.id,
        is_notice=ref.is_notice,
        score=_score(score),
        coverage=_score(coverage),
        start=start,
        end=end,
        line=nt.line_of(start),
        end_line=nt.line_of(max(start, end - 1)),
        differences=diffs,
    )


# "SPDX-License-Identifier: MIT" or a bundle's "License: LGPL-2.1-or-later" line.
_TAG = re.compile(r"^[^\w\n]*(?:SPDX-License-Identifier|License)[ \t]*:[ \t]*([^\n]*?)[ \t]*(?:\*/|-->)?[ \t]*$",
                  re.IGNORECASE | re.MULTILINE)


def _scancode_expression(expr: expression.Expression) -> str | None:
    """The ScanCode spelling of an SPDX expression, or None when a part has no ScanCode key."""
    if isinstance(expr, (expression.And, expression.Or)):
        parts = [_scancode_expression(a) for a in expr.args]
        if any(p is None for p in parts):
            return None
        joiner = " AND " if isinstance(expr, expression.And) else " OR "
        return joiner.join(f"({p})" if " " in p and " WITH " not in p else p for p in parts)  # type: ignore[operator]
    if isinstance(expr, expression.With):
        license_key = expression.scancode_key(expr.license)
        exception = expression.lookup(expr.exception)
        if license_key is None or exception is None:
            return None
        return f"{license_key} WITH {exception.scancode_key}"
    return expression.scancode_key(expr)


def _tag_matches(nt: NormalizedText, matches: list[LicenseMatch]) -> list[LicenseMatch]:
    """Valid SPDX expressions declared on a tag line outside the regions already matched."""
    tags: list[LicenseMatch] = []
    for found in _TAG.finditer(nt.original):
        start, end = found.span(1)
        if start == end or any(m.start <= start < m.end for m in matches):
            continue
        try:
            expr = expression.simplify(expression.parse(found.group(1)))
        except expression.ExpressionError:
            continue
        key = _scancode_expression(expr)
        if key is None:
            continue
        spdx = expression.to_string(expr)
        line = nt.line_of(start)
        tags.append(LicenseMatch(key=key, spdx=spdx, name=f"SPDX license tag: {spdx}", reference="spdx-license-tag",
                                 is_notice=True, score=1.0, coverage=1.0, start=start, end=end, line=line, end_line=line))
    return tags


class _Clauses:
    """Clause ids of the text by original offset (segmented only when first asked)."""

    def __init__(self, nt: NormalizedText) -> None:
        self._nt = nt
        self._starts: list[int] | None = None
        self._ids: list[str] = []

    def at(self, offset: int) -> str | None:
        if self._starts is None:
            try:
                from licenselens.segment import segment
            except ImportError:  # segmentation not installed: differences keep their spans only
                self._starts = []
                return None
            clauses = segment(self._nt)
            self._starts = [c.start for c in clauses]
            self._ids = [c.id for c in clauses]
        i = bisect_right(self._starts, offset) - 1
        return self._ids[i] if 0 <= i < len(self._ids) else None
