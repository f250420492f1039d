"""reason: from classified terms to freedom verdicts and findings.

``reason(clauses, terms, text)`` runs every rule of ``licenselens.reason.rules``
over the terms and derives the verdicts. How a verdict is reached:

Per freedom (use, study, modify, share), first match wins:

1. ``restricted``: at least one finding for the freedom at ``error`` or
   ``warning`` (findings at ``info``, such as a ban that only restates the law,
   do not restrict). A freedom's ``findings`` lists the ids of exactly these
   deciding findings; the others are in the analysis's ``findings``.
2. ``absent``: no grant opens the freedom. Grants open freedoms as the taxonomy
   says (``KindInfo.freedoms``): ``grant.use`` opens use *and study* (a work you
   may run is a work you may inspect, unless a ``restrict.no-study`` term says
   otherwise); ``grant.modify`` opens modify; ``grant.reproduce``,
   ``grant.distribute``, ``grant.sublicense`` open share; ``grant.commercial``
   opens use and share. ``grant.patent`` and ``grant.outputs`` open nothing on
   their own: a patent license or rights in outputs are no copyright license
   to the work.
3. ``unclear``: the only grants that open the freedom have a classifier
   confidence below ``UNCLEAR_BELOW``. A restriction found below that
   confidence is kept as an ``info`` finding marked unclear, for a reader to
   check; it does not outweigh a confident grant.
4. ``conditional``: a condition applies to the freedom (``KindInfo.freedoms``
   of the ``cond.*`` kinds: notices and attribution on share, copyleft on
   modify and share, ...).
5. ``granted`` otherwise.

Overall: ``open`` when all four freedoms are granted or conditional;
``closed`` when use is absent or at least three freedoms are absent (the text
grants almost nothing, e.g. an acceptable-use policy read alone); otherwise
``restricted`` (also when a freedom is only ``unclear``: nothing is called
open that has not been shown to be).

``openwashing`` is true when the verdict is not open and the title, preamble
or definitions call the text open (rule USE-012).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from licenselens.model import Clause, Finding, FreedomVerdict, Severity, Status, Term, Verdict
from licenselens.reason.rule import UNCLEAR_BELOW, Context, Hit, Rule
from licenselens.reason.rules import all_rules, get_rule
from licenselens.reason.rules.use012_openwashing import Openwashing
from licenselens.taxonomy import Category, Freedom, TermKind

__all__ = ["Reasoning", "Rule", "UNCLEAR_BELOW", "all_rules", "get_rule", "reason"]

#: Grants that do not open a freedom on their own (see the module documentation).
NON_OPENING_GRANTS = frozenset({TermKind.GRANT_PATENT, TermKind.GRANT_OUTPUTS})

_FREEDOM_ORDER = {f: i for i, f in enumerate(Freedom)}


@dataclass(frozen=True)
class Reasoning:
    """What ``reason`` concludes: per-freedom verdicts, findings, overall verdict, openwashing."""

    freedoms: dict[Freedom, FreedomVerdict]
    findings: list[Finding]
    verdict: Verdict
    openwashing: bool
    # Terms after reasoning, in document order (the same terms, sorted).
    terms: list[Term] = field(default_factory=list)


def _finding_key(f: Finding) -> tuple:
    return (f.start, f.end, _FREEDOM_ORDER[f.freedom], f.id, f.clause)


def _decides(hit: Hit) -> bool:
    """Whether a finding restricts its freedom: at error or warning, confident, and about a clause
    (not about the text as a whole)."""
    return hit.decides and not hit.unclear and hit.finding.severity in (Severity.ERROR, Severity.WARNING)


def freedom_status(freedom: Freedom, terms: list[Term], hits: list[Hit]) -> Status:
    """The status of one freedom from its findings, grants and conditions."""
    if any(_decides(h) and h.finding.freedom is freedom for h in hits):
        return Status.RESTRICTED
    grants = [
        t
        for t in terms
        if t.kind.category is Category.GRANT and t.kind not in NON_OPENING_GRANTS and freedom in t.kind.info.freedoms
    ]
    if not grants:
        return Status.ABSENT
    if all(t.confidence < UNCLEAR_BELOW for t in grants):
        # Weak evidence either way: say so rather than guess.
        return Status.UNCLEAR
    conditions = [
        t
        for t in terms
        if t.kind.category is Category.CONDITION and freedom in t.kind.info.freedoms and t.confidence >= UNCLEAR_BELOW
    ]
    return Status.CONDITIONAL if conditions else Status.GRANTED


def overall_verdict(statuses: dict[Freedom, Status]) -> Verdict:
    """Open, restricted or closed from the four statuses (see the module documentation)."""
    if all(s in (Status.GRANTED, Status.CONDITIONAL) for s in statuses.values()):
        return Verdict.OPEN
    absent = sum(s is Status.ABSENT for s in statuses.values())
    if statuses[Freedom.USE] is Status.ABSENT or absent >= 3:
        return Verdict.CLOSED
    return Verdict.RESTRICTED


def reason(clauses: list[Clause], terms: list[Term], text: str) -> Reasoning:
    """Run every rule over ``terms`` and derive the freedom verdicts.

    ``clauses`` and ``terms`` come from ``segment`` and ``classify``; ``text`` is
    the original text their spans point into. Deterministic: the same input
    gives the same findings in the same order.
    """
    ctx = Context(text=text, clauses={c.id: c for c in clauses})
    # The most confident of two like terms comes first, so it is the one a finding reports.
    ordered = sorted(terms, key=lambda t: (t.start, t.end, t.kind.value, t.clause, -t.confidence, repr(sorted(t.params.items()))))
    rules = [cls() for cls in all_rules()]
    # One finding per rule and span, even if two terms lead to it; a deciding one beats an unclear one.
    by_span: dict[tuple, Hit] = {}
    for term in ordered:
        for rule in rules:
            for hit in rule.check(term, ctx):
                f = hit.finding
                key = (f.id, f.start, f.end)
                kept = by_span.get(key)
                if kept is None or (_decides(hit) and not _decides(kept)):
                    by_span[key] = hit
    hits = list(by_span.values())

    statuses = {f: freedom_status(f, ordered, hits) for f in Freedom}
    verdict = overall_verdict(statuses)
    for rule in rules:
        check_document = getattr(rule, "check_document", None)
        if check_document is not None:
            hits.extend(check_document(ctx, ordered, verdict, statuses))
    openwashing = any(not h.decides and h.finding.id == Openwashing.code for h in hits)

    findings = sorted((h.finding for h in hits), key=_finding_key)
    freedoms = {
        f: FreedomVerdict(
            status=statuses[f],
            findings=sorted({h.finding.id for h in hits if h.finding.freedom is f and _decides(h)}),
        )
        for f in Freedom
    }
    return Reasoning(freedoms=freedoms, findings=findings, verdict=verdict, openwashing=openwashing, terms=ordered)
