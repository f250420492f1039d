"""Finding known licenses in a text: candidates, regions, tie-breaks and differences.

1. Candidates: references sharing the most word-trigram shingles with the text,
   by containment (how much of the reference is in the text) and resemblance.
2. Regions: for each candidate, the densest run of the text's shingles found in
   that reference; its score is the Dice coefficient of the region's shingles
   and the reference's. The best region is kept, its words are consumed, and
   the search goes on in what is left, so a text holding two licenses reports
   both.
3. Tie-break: references within a hair of the best (Llama 3.1 vs 3.2, MIT vs
   MIT-0) are compared word by word with an exact alignment; the most similar wins.
4. Differences: the alignment with the winning reference lists the stretches
   added, removed or changed, each placed in the clause of the text where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from licenselens.identify.fingerprint import SHINGLE, Tokens, shingles, tokenize, word_hashes
from licenselens.identify.references import Reference, ReferenceIndex

# A region must resemble its reference at least this much to be reported.
MIN_REGION_SCORE = 0.5
# A notice is a sentence or two: only a close match of one means anything,
# and of a notice of a few words ("under the Zlib license") a nearly exact one.
MIN_NOTICE_SCORE = 0.75
MIN_SHORT_NOTICE_SCORE = 0.9
SHORT_NOTICE = 30  # shingles
# Rivals settled by exact alignment, at most.
MAX_RIVALS = 8
# Runners-up within this share of the best rank are settled by an exact word alignment.
RIVAL_MARGIN = 0.15
# Candidates examined per region: by containment and by resemblance.
TOP_CONTAINMENT = 16
TOP_RESEMBLANCE = 6
# Unmatched shingles tolerated inside one region before it is split.
MIN_GAP = 12
MAX_DIFFERENCES = 200
# A NOTICE file bundling more licenses than this reports the first ones found.
MAX_REGIONS = 64
# Shingles found in more references than this are skipped when counting candidates.
COMMON_SHINGLE = 400
# Unmatched text at the start or end shorter than this is a title, not an addition.
MIN_ABSORBED_WORDS = 6


@dataclass
class Region:
    """Where one reference was found: shingle positions ``first..last`` of the text."""

    ref: int
    first: int
    last: int
    hits: int
    score: float
    exact_score: float | None = None
    exact_matched: int = 0
    conflicts: int = 0
    # Words of unmatched text before or after the region that belong to it (an added paragraph).
    lead: int = 0
    trail: int = 0

    @property
    def final_score(self) -> float:
        return self.score if self.exact_score is None else self.exact_score

    @property
    def rank(self) -> float:
        """How much of the text this reference explains, and how well: matched units x score squared.

        A license wholly contained in a larger one (MIT in a modified MIT) loses
        to the larger one when the text holds the larger one's extra words too.
        """
        if self.exact_score is None:
            return self.hits * self.score**2
        return self.exact_matched * self.exact_score**2

    def token_span(self) -> tuple[int, int]:
        """Word positions covered, ``[start, end)``, with any absorbed leading or trailing text."""
        return self.first - self.lead, self.last + SHINGLE + self.trail


@dataclass
class TextMatch:
    """The outcome of matching one text: the regions found and the candidates of the main one."""

    tokens: Tokens
    regions: list[Region]
    candidates: list[Region] = field(default_factory=list)


def _hits_per_reference(index: ReferenceIndex, unique: np.ndarray) -> np.ndarray:
    left = np.searchsorted(index.postings_hash, unique, side="left")
    right = np.searchsorted(index.postings_hash, unique, side="right")
    counts = right - left
    # Shingles shared by a great many references ("the software is") only cost time here.
    present = (counts > 0) & (counts <= max(COMMON_SHINGLE, len(index.references) // 8))
    left, counts = left[present], counts[present]
    if not len(left):
        return np.zeros(len(index.references), dtype=np.int64)
    # Expand each [left, left+count) range into positions of the postings.
    starts = np.repeat(left - np.cumsum(np.concatenate(([0], counts[:-1]))), counts)
    positions = starts + np.arange(counts.sum())
    return np.bincount(index.postings_ref[positions], minlength=len(index.references))


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values, largest first (ties by index, for determinism)."""
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        threshold = values[part].min()
        part = np.flatnonzero(values >= threshold)
    else:
        part = np.arange(len(values))
    order = np.lexsort((part, -values[part]))
    return part[order][:k]


def _candidates(index: ReferenceIndex, hits: np.ndarray, n_unique: int) -> list[int]:
    sizes = np.maximum(index.sizes, 1)
    containment = hits / sizes
    resemblance = 2 * hits / (sizes + n_unique)
    viable = hits >= np.minimum(3, sizes)
    containment = np.where(viable, containment, -1.0)
    resemblance = np.where(viable, resemblance, -1.0)
    chosen: list[int] = []
    for order in (_top(containment, TOP_CONTAINMENT), _top(resemblance, TOP_RESEMBLANCE)):
        for i in order:
            if containment[i] > 0.1 and int(i) not in chosen:
                chosen.append(int(i))
    return chosen


def _member(sorted_unique: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` in ``sorted_unique`` (binary search; no sort of the query needed)."""
    if not len(sorted_unique):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_unique, values)
    at[at == len(sorted_unique)] = 0
    return sorted_unique[at] == values


class _Membership:
    """Which shingles of one text each reference holds, computed once per reference and text.

    The text's shingles are searched in sorted order (numpy's binary search narrows from the
    previous key), and a reference examined again for the next region costs nothing.
    """

    def __init__(self, index: ReferenceIndex, qsh: np.ndarray) -> None:
        self.index = index
        self.order = np.argsort(qsh, kind="stable")
        self.sorted = qsh[self.order]
        self.known: dict[int, np.ndarray] = {}

    def __call__(self, ref: int) -> np.ndarray:
        found = self.known.get(ref)
        if found is None:
            found = np.empty(len(self.sorted), dtype=bool)
            found[self.order] = _member(self.index.shingles_of(ref), self.sorted)
            self.known[ref] = found
        return found


def _region(index: ReferenceIndex, ref: int, qsh: np.ndarray, free: np.ndarray,
            membership: _Membership | None = None) -> Region | None:
    ref_shingles = index.shingles_of(ref)
    mask = (membership(ref) if membership is not None else _member(ref_shingles, qsh)) & free
    positions = np.flatnonzero(mask)
    if not len(positions):
        return None
    gap_limit = MIN_GAP
    breaks = np.flatnonzero(np.diff(positions) > gap_limit)
    bounds = np.concatenate(([0], breaks + 1, [len(positions)]))
    counts = np.diff(bounds)
    keep = counts >= min(3, len(positions))
    firsts, lasts, counts = positions[bounds[:-1]][keep], positions[bounds[1:] - 1][keep], counts[keep]
    if not len(counts):
        return None
    if len(counts) > 64:  # keep the densest runs: a reference is rarely cut in more pieces
        top = np.sort(np.argsort(-counts, kind="stable")[:64])
        firsts, lasts, counts = firsts[top], lasts[top], counts[top]
    # The span of consecutive runs i..j that resembles the reference best (an
    # inserted paragraph splits a license into runs that belong together).
    cum = np.concatenate(([0], np.cumsum(counts)))
    # Capped at the reference's length: two copies of a text are two regions, not one better one.
    hits = np.minimum(cum[None, 1:] - cum[:-1, None], max(1, int(index.token_counts[ref]) - SHINGLE + 1))
    span = lasts[None, :] - firsts[:, None] + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        dice = np.where(span > 0, 2 * hits / (np.maximum(span, 1) + len(ref_shingles)), -1.0)
    i, j = np.unravel_index(int(np.argmax(dice)), dice.shape)
    first, last = _dense_ends(mask, int(firsts[i]), int(lasts[j]))
    region_shingles = _unique(qsh[first : last + 1][free[first : last + 1]])
    hits = int(np.count_nonzero(_member(ref_shingles, region_shingles)))
    score = 2 * hits / (len(region_shingles) + len(ref_shingles))
    return Region(ref, first, last, hits, score)


def _dense_ends(mask: np.ndarray, first: int, last: int, run: int = 3) -> tuple[int, int]:
    """Move the ends of ``first..last`` inwards to where ``run`` matched shingles follow in a row,
    so a stray shared phrase next to another license does not stretch the region over it."""
    inside = mask[first : last + 1]
    if len(inside) < run:
        return first, last
    window = np.convolve(inside.astype(np.int8), np.ones(run, dtype=np.int8), mode="valid")
    dense = np.flatnonzero(window == run)
    if not len(dense):
        return first, last
    return first + int(dense[0]), first + int(dense[-1]) + run - 1


def _words(tokens: Tokens, region: Region) -> list[int]:
    """Word hashes of the region, for alignment with a reference's."""
    start, end = region.token_span()
    return tokens.hashes[start:end].tolist()


def _reference_hashes(index: ReferenceIndex, ref: int) -> list[int]:
    return index.tokens_of(ref).tolist()


@dataclass
class _ReferenceWords:
    words: list[str]
    tokens: Tokens
    body: str


_reference_cache: dict[str, _ReferenceWords] = {}


def reference_words(reference: Reference) -> _ReferenceWords:
    """The words of a reference text (read and tokenized once per process)."""
    cached = _reference_cache.get(reference.path)
    if cached is None:
        body = reference.normalized_body()
        tokens = tokenize(body)
        cached = _ReferenceWords(tokens.words, tokens, body)
        if len(_reference_cache) > 256:
            _reference_cache.clear()
        _reference_cache[reference.path] = cached
    return cached


def _similarity(a: list[int], b: list[int]) -> tuple[float, int, int]:
    """Exact similarity of two word-hash sequences (2M / total), the number M of aligned words,
    and the number of places where a number differs (a version, a date)."""
    if a == b:
        return 1.0, len(a), 0
    opcodes = align(a, b)
    matched = sum(i1 - i0 for tag, i0, i1, _, _ in opcodes if tag == "equal")
    conflicts = 0
    for tag, i0, i1, j0, j1 in opcodes:
        if tag == "replace":
            numbers_a = [w for w in a[i0:i1] if w & 1]
            numbers_b = [w for w in b[j0:j1] if w & 1]
            if numbers_a and numbers_b and numbers_a != numbers_b:
                conflicts += 1
    return 2 * matched / max(1, len(a) + len(b)), matched, conflicts


def _unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array, as ``np.unique`` (whose masked-array check
    imports ``numpy.ma``, a cost on every cold start)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def match_tokens(tokens: Tokens, index: ReferenceIndex, *, all_regions: bool = True, tie_break: bool = True) -> TextMatch:
    """Find the references present in a tokenized text, region by region."""
    qsh = shingles(tokens.hashes)
    if not len(qsh):
        return TextMatch(tokens, [])
    free = np.ones(len(qsh), dtype=bool)
    membership = _Membership(index, qsh)
    regions: list[Region] = []
    main_candidates: list[Region] = []
    while free.any() and len(regions) < MAX_REGIONS:
        unique = _unique(qsh[free])
        hits = _hits_per_reference(index, unique)
        found = [r for r in (_region(index, c, qsh, free, membership) for c in _candidates(index, hits, len(unique))) if r]
        found = [r for r in found if r.score >= _threshold(index, r) * 0.8]
        if not found:
            break
        found.sort(key=lambda r: (-r.rank, -r.score, r.ref))
        best = found[0]
        exact = _reference_hashes(index, best.ref) == _words(tokens, best) if tie_break else False
        if exact:
            best.exact_score, best.exact_matched = 1.0, len(_words(tokens, best))
        if tie_break and not exact:
            # Only rivals covering about the same words are in contention.
            rivals = [r for r in found if r.rank >= best.rank * (1 - RIVAL_MARGIN) and _overlap(r, best) > 0.5][:MAX_RIVALS]
            if len(rivals) > 1:
                for r in rivals:
                    r.exact_score, r.exact_matched, r.conflicts = _similarity(_words(tokens, r), _reference_hashes(index, r.ref))
                # A reference whose version numbers agree with the text beats one that differs
                # there (GPL "version 2" vs "version 3", Llama 3.1 vs 3.2), then the best rank wins.
                rivals.sort(key=lambda r: (r.conflicts > 0, -r.rank, -r.final_score, r.ref))
                best = rivals[0]
                found = rivals + [r for r in found if r not in rivals]
        if best.final_score < _threshold(index, best):
            break
        regions.append(best)
        if not main_candidates:
            main_candidates = found
        free[max(0, best.first - SHINGLE + 1) : best.last + 1] = False
        if not all_regions:
            break
    regions.sort(key=lambda r: r.first)
    _absorb_ends(regions, len(tokens), tokens, index)
    return TextMatch(tokens, regions, main_candidates)


def _absorb_ends(regions: list[Region], n_words: int, tokens: Tokens, index: ReferenceIndex) -> None:
    """Give text before the first region and after the last one to that region when it is
    more than a title: a license with a paragraph appended is that license, modified."""
    if not regions:
        return
    first, last = regions[0], regions[-1]
    changed = set()
    # Leading text is absorbed only when the text holds one license: before two, it is a preamble.
    lead = first.first
    # An addition longer than the license itself is another text, not a modification of it.
    if len(regions) == 1 and MIN_ABSORBED_WORDS <= lead <= first.last - first.first + SHINGLE:
        first.lead = lead
        changed.add(id(first))
    trail = n_words - (last.last + SHINGLE)
    if MIN_ABSORBED_WORDS <= trail <= last.last - last.first + SHINGLE:
        last.trail = trail
        changed.add(id(last))
    for region in regions:
        if id(region) in changed:
            region.exact_score, region.exact_matched, region.conflicts = _similarity(
                _words(tokens, region), _reference_hashes(index, region.ref)
            )


def _threshold(index: ReferenceIndex, region: Region) -> float:
    if not index.references[region.ref].is_notice:
        return MIN_REGION_SCORE
    return MIN_NOTICE_SCORE if index.sizes[region.ref] >= SHORT_NOTICE else MIN_SHORT_NOTICE_SCORE


def _overlap(a: Region, b: Region) -> float:
    inter = min(a.last, b.last) - max(a.first, b.first) + 1
    return max(0, inter) / max(1, min(a.last - a.first + 1, b.last - b.first + 1))


@dataclass(frozen=True)
class WordDifference:
    """A difference in word positions: text words ``[a0, a1)`` vs reference words ``[b0, b1)``."""

    kind: str
    a0: int
    a1: int
    b0: int
    b1: int


def word_differences(text_words: list[str], ref_words: list[str]) -> list[WordDifference]:
    """Align the words of a region with its reference; list what was added, removed or changed."""
    opcodes = align(text_words, ref_words)
    merged: list[list] = []
    for tag, a0, a1, b0, b1 in opcodes:
        if tag == "equal":
            continue
        # Stretches split by one or two equal words read as one change.
        if merged and a0 - merged[-1][2] <= 2 and b0 - merged[-1][4] <= 2:
            merged[-1][2], merged[-1][4] = a1, b1
            merged[-1][0] = "replace"
        else:
            merged.append([tag, a0, a1, b0, b1])
    kinds = {"delete": "added", "insert": "removed", "replace": "changed"}
    out = []
    for tag, a0, a1, b0, b1 in merged:
        kind = kinds[tag]
        if kind == "changed" and a0 == a1:
            kind = "removed"
        elif kind == "changed" and b0 == b1:
            kind = "added"
        out.append(WordDifference(kind, a0, a1, b0, b1))
    return out[:MAX_DIFFERENCES]


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first)."""
    from bisect import bisect_left

    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        previous[k] = tail_index[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(pairs[k])
        k = previous[k]
    return chain[::-1]


def align(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """Word (or word-hash) alignment of ``a`` and ``b`` as difflib-style opcodes, fast on long near-identical texts.

    Patience diff: word trigrams that occur once in each text anchor the
    alignment; only the short gaps between anchors go through difflib.
    """
    n, m = len(a), len(b)
    p = 0
    while p < n and p < m and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and s < m - p and a[n - 1 - s] == b[m - 1 - s]:
        s += 1
    ops: list[tuple[str, int, int, int, int]] = []
    if p:
        ops.append(("equal", 0, p, 0, p))
    if p < n - s or p < m - s:
        trigrams_a = shingles(_as_hashes(a)) if n >= SHINGLE else np.zeros(0, np.uint64)
        trigrams_b = shingles(_as_hashes(b)) if m >= SHINGLE else np.zeros(0, np.uint64)
        _align_middle(a, b, trigrams_a, trigrams_b, p, n - s, p, m - s, ops)
    if s:
        ops.append(("equal", n - s, n, m - s, m))
    return _merge_equal(ops)


def _as_hashes(words: list) -> np.ndarray:
    if words and isinstance(words[0], str):
        return word_hashes(words)
    return np.asarray(words, dtype=np.uint64)


def _difflib(a, b, a0, a1, b0, b1, ops) -> None:
    for tag, i0, i1, j0, j1 in SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False).get_opcodes():
        ops.append((tag, a0 + i0, a0 + i1, b0 + j0, b0 + j1))


def _unique_trigrams(trigrams: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Trigram hashes occurring once among positions lo..hi-3, and their positions."""
    window = trigrams[lo : max(lo, hi - SHINGLE + 1)]
    values, first, counts = np.unique(window, return_index=True, return_counts=True)
    once = counts == 1
    return values[once], first[once] + lo


def _align_middle(a, b, ta, tb, a0, a1, b0, b1, ops) -> None:
    if a0 >= a1 and b0 >= b1:
        return
    if a0 >= a1 or b0 >= b1 or (a1 - a0) * (b1 - b0) <= 40_000:
        _difflib(a, b, a0, a1, b0, b1, ops)
        return
    va, pa = _unique_trigrams(ta, a0, a1)
    vb, pb = _unique_trigrams(tb, b0, b1)
    _, ia, ib = np.intersect1d(va, vb, assume_unique=True, return_indices=True)
    order = np.argsort(pa[ia], kind="stable")
    pairs = list(zip(pa[ia][order].tolist(), pb[ib][order].tolist()))
    anchors = _lis(pairs)
    if not anchors:
        _difflib(a, b, a0, a1, b0, b1, ops)
        return
    ia_, ib_ = a0, b0
    for i, j in anchors:
        if i < ia_ or j < ib_:
            continue  # inside the run of the previous anchor
        if a[i] != b[j]:
            continue  # a hash collision, not a match
        _align_middle(a, b, ta, tb, ia_, i, ib_, j, ops)
        k = 0
        while i + k < a1 and j + k < b1 and a[i + k] == b[j + k]:
            k += 1
        ops.append(("equal", i, i + k, j, j + k))
        ia_, ib_ = i + k, j + k
    _align_middle(a, b, ta, tb, ia_, a1, ib_, b1, ops)


def _merge_equal(ops):
    out: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if out and out[-1][0] == op[0] == "equal":
            tag, i0, _, j0, _ = out[-1]
            out[-1] = (tag, i0, op[2], j0, op[4])
        else:
            out.append(op)
    return out
