"""What changed between two versions of a license, clause by clause, in freedoms.

Both texts are analysed on their own; their clauses are then aligned (by id
when both layouts have the same ids, otherwise by word-level similarity of the
normalized clause texts, in document order), and the findings of aligned
clauses are paired by rule, severity and evidence. What is left unpaired is a
finding NEW adds (cited in NEW) or one it drops (cited in OLD).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from licenselens.model import (
    Analysis,
    Clause,
    ClauseChange,
    DiffSide,
    Finding,
    FreedomChange,
    LicenseDiff,
    Status,
)

#: Freedom statuses from the best to the worst, to tell an improvement from a loss.
STATUS_RANK = {Status.GRANTED: 0, Status.CONDITIONAL: 1, Status.UNCLEAR: 2, Status.RESTRICTED: 3, Status.ABSENT: 4}

#: Least word-level similarity for two clauses to count as one clause reworded.
CLAUSE_MATCH = 0.5
#: Least similarity for a clause to count as reworded when it replaces one at the same place.
GAP_MATCH = 0.3
#: Least similarity of evidence for a finding of an aligned clause to count as the same finding.
EVIDENCE_MATCH = 0.5
#: Least similarity of evidence for a finding that moved to an unaligned clause.
MOVED_EVIDENCE_MATCH = 0.8

# A leading list marker ("1.", "(a)", "iv.", "-", "Section 2.") says where a clause sits, not what it says.
_MARKER = re.compile(r"^\s*(?:(?:section|article)\s+)?(?:\(?[0-9a-z]{1,5}(?:\.[0-9a-z]{1,4})*[.)]|[-*\u2022])\s+", re.I)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """The words of a clause or an evidence quote, normalized and without its list marker."""
    from licenselens.text import normalize

    flat = normalize(text).text.lower()
    return _WORD.findall(_MARKER.sub("", flat, count=1))


def _similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _lcs(old: list[Clause], new: list[Clause], ow: list[list[str]], nw: list[list[str]],
         oi: list[int], ni: list[int], threshold: float) -> list[tuple[int, int]]:
    """Order-preserving pairs of the clauses ``oi`` x ``ni`` with the greatest total similarity
    (a weighted longest common subsequence), counting only pairs at ``threshold`` or above."""
    n, m = len(oi), len(ni)
    sim: dict[tuple[int, int], float] = {}
    for x, i in enumerate(oi):
        a = set(ow[i])
        for y, j in enumerate(ni):
            b = set(nw[j])
            # Word-set overlap first: a cheap bound that spares most full comparisons.
            if (a or b) and len(a & b) / len(a | b) < threshold / 2:
                continue
            s = _similarity(ow[i], nw[j])
            if s >= threshold:
                # A shared id breaks ties between equally similar candidates.
                sim[x, y] = s + (0.01 if old[i].id == new[j].id else 0.0)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        row, below = score[x], score[x + 1]
        for y in range(m - 1, -1, -1):
            best = max(below[y], row[y + 1])
            s = sim.get((x, y))
            if s is not None and below[y + 1] + s > best:
                best = below[y + 1] + s
            row[y] = best
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:
        s = sim.get((x, y))
        if s is not None and abs(score[x][y] - (score[x + 1][y + 1] + s)) < 1e-9:
            pairs.append((oi[x], ni[y]))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


def _align(old: list[Clause], new: list[Clause], ow: list[list[str]], nw: list[list[str]]) -> tuple[list[tuple[int, int]], str]:
    """Pairs of (old index, new index) in document order, and how they were found."""
    if [c.id for c in old] == [c.id for c in new]:
        return [(i, i) for i in range(len(old))], "id"
    pairs = _lcs(old, new, ow, nw, list(range(len(old))), list(range(len(new))), CLAUSE_MATCH)
    # Between two aligned clauses, a clause replaced by one loosely like it is a rewording, not a removal and an addition.
    more: list[tuple[int, int]] = []
    for (i0, j0), (i1, j1) in zip([(-1, -1), *pairs], [*pairs, (len(old), len(new))]):
        if i1 - i0 > 1 and j1 - j0 > 1:
            more += _lcs(old, new, ow, nw, list(range(i0 + 1, i1)), list(range(j0 + 1, j1)), GAP_MATCH)
    return sorted(pairs + more), "text"


def _stretches(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """Word stretches inserted into ``b`` and deleted from ``a``."""
    inserted, deleted = [], []
    for op, a0, a1, b0, b1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            deleted.append(" ".join(a[a0:a1]))
        if op in ("replace", "insert"):
            inserted.append(" ".join(b[b0:b1]))
    return inserted, deleted


def _pair_findings(
    old: list[Finding], new: list[Finding], threshold: float, words: dict[int, list[str]]
) -> list[tuple[Finding, Finding]]:
    """Greedy best-first pairing of findings with the same rule and severity and similar evidence."""
    candidates = []
    for a in old:
        for b in new:
            if a.id == b.id and a.severity is b.severity:
                s = _similarity(words[id(a)], words[id(b)])
                if s >= threshold:
                    candidates.append((-s, old.index(a), new.index(b), a, b))
    candidates.sort(key=lambda c: c[:3])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, _, a, b in candidates:
        if id(a) in used_a or id(b) in used_b:
            continue
        used_a.add(id(a))
        used_b.add(id(b))
        pairs.append((a, b))
    return pairs


def _change(before: Status, after: Status) -> str:
    delta = STATUS_RANK[after] - STATUS_RANK[before]
    return "unchanged" if delta == 0 else ("improved" if delta < 0 else "worsened")


def _rules(findings: list[Finding]) -> list[str]:
    return sorted({f.id for f in findings})


def compare(old: Analysis, new: Analysis) -> LicenseDiff:
    """Compare two analyses: per freedom the status before and after, the findings
    NEW adds (citing NEW) and drops (citing OLD), and the clauses added, removed or
    reworded, with their ids in each text."""
    oc = sorted(old.clauses, key=lambda c: c.start)
    nc = sorted(new.clauses, key=lambda c: c.start)
    ow, nw = [_words(c.text) for c in oc], [_words(c.text) for c in nc]
    pairs, aligned_by = _align(oc, nc, ow, nw)

    changes: list[ClauseChange] = []
    unchanged = 0
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    # Walk both texts in order so the report reads like the documents.
    events: list[tuple[int, int, ClauseChange | None]] = []
    for i, j in pairs:
        if ow[i] == nw[j]:
            unchanged += 1
            continue
        inserted, deleted = _stretches(ow[i], nw[j])
        events.append((j, 1, ClauseChange(
            change="changed", old=oc[i].id, new=nc[j].id, old_line=oc[i].line, new_line=nc[j].line,
            similarity=round(_similarity(ow[i], nw[j]), 3), inserted=inserted, deleted=deleted,
        )))
    for j, c in enumerate(nc):
        if j not in paired_new:
            events.append((j, 1, ClauseChange(change="added", old=None, new=c.id, new_line=c.line, similarity=0.0)))
    # A removed clause sits just before the first NEW clause aligned after it.
    after = {i: j for i, j in pairs}
    for i, c in enumerate(oc):
        if i not in paired_old:
            nxt = next((after[k] for k in range(i + 1, len(oc)) if k in after), len(nc))
            events.append((nxt, 0, ClauseChange(change="removed", old=c.id, new=None, old_line=c.line, similarity=0.0)))
    for _, _, change in sorted(events, key=lambda e: (e[0], e[1])):
        changes.append(change)

    # Findings: first within aligned clauses, then any that moved to an unaligned clause.
    words = {id(f): _words(f.evidence) for f in [*old.findings, *new.findings]}
    by_clause_old: dict[str, list[Finding]] = {}
    by_clause_new: dict[str, list[Finding]] = {}
    for f in old.findings:
        by_clause_old.setdefault(f.clause, []).append(f)
    for f in new.findings:
        by_clause_new.setdefault(f.clause, []).append(f)
    matched_old: set[int] = set()
    matched_new: set[int] = set()
    for i, j in pairs:
        for a, b in _pair_findings(by_clause_old.get(oc[i].id, []), by_clause_new.get(nc[j].id, []), EVIDENCE_MATCH, words):
            matched_old.add(id(a))
            matched_new.add(id(b))
    rest_old = [f for f in old.findings if id(f) not in matched_old]
    rest_new = [f for f in new.findings if id(f) not in matched_new]
    for a, b in _pair_findings(rest_old, rest_new, MOVED_EVIDENCE_MATCH, words):
        matched_old.add(id(a))
        matched_new.add(id(b))
    added = [f for f in new.findings if id(f) not in matched_new]
    removed = [f for f in old.findings if id(f) not in matched_old]

    freedoms = {}
    for freedom, before in old.freedoms.items():
        after_verdict = new.freedoms.get(freedom)
        after_status = after_verdict.status if after_verdict is not None else Status.ABSENT
        freedoms[freedom] = FreedomChange(
            before=before.status,
            after=after_status,
            change=_change(before.status, after_status),
            added=_rules([f for f in added if f.freedom is freedom]),
            removed=_rules([f for f in removed if f.freedom is freedom]),
        )
    return LicenseDiff(
        old=DiffSide(source=old.source, verdict=old.verdict, openwashing=old.openwashing, clauses=len(oc)),
        new=DiffSide(source=new.source, verdict=new.verdict, openwashing=new.openwashing, clauses=len(nc)),
        freedoms=freedoms,
        added_findings=added,
        removed_findings=removed,
        clauses=changes,
        aligned_by=aligned_by,
        unchanged_clauses=unchanged,
    )


def diff(old: str | bytes, new: str | bytes, *, old_path: str | None = None, new_path: str | None = None) -> LicenseDiff:
    """Analyse two versions of a license (text or raw bytes) and compare them (see ``compare``)."""
    from licenselens import analyze

    return compare(analyze(old, path=old_path), analyze(new, path=new_path))

