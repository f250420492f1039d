"""USE-012 use.openwashing."""

from __future__ import annotations

import re

from licenselens.model import Clause, Severity, Status, Verdict
from licenselens.reason.rule import Context, Hit, Rule
from licenselens.taxonomy import Category, Freedom, Principle, TermKind

# Words by which a text calls itself open.
OPEN_CLAIM = re.compile(
    r"\bopen[\s-]*rail\w*|\bopen[\s-]+(?:source|weights?|model|ai|science|access|license|licen[cs]e)\b"
    r"|\bopen\b|\bcommunity\b",
    re.IGNORECASE,
)

#: Where a text presents itself: the title and preamble (clauses before the
#: first operative term, within the first FRONT_CHARS characters) and the
#: definitions that open the text (within the first DEFINITIONS_CHARS).
FRONT_CHARS = 3000
DEFINITIONS_CHARS = 8000


def claim_spans(ctx: Context, clauses: list[Clause], operative_start: int | None, definitions: set[str]):
    """Yield (clause, start, end) of each place the front of the text calls itself open."""
    limit = FRONT_CHARS if operative_start is None else min(FRONT_CHARS, max(operative_start, 1))
    for clause in clauses:
        in_front = clause.start < limit
        opening_definition = clause.id in definitions and clause.start < DEFINITIONS_CHARS
        if not in_front and not opening_definition:
            continue
        end = clause.end if opening_definition else min(clause.end, max(limit, clause.start))
        for m in OPEN_CLAIM.finditer(ctx.text, clause.start, end):
            yield clause, m.start(), m.end()


class Openwashing(Rule):
    """The text calls itself open while its verdict is not open.

    A license named "open", "open source", "community" or "OpenRAIL" that
    restricts a freedom misleads its readers: the name promises what the
    clauses take away. The claim is looked for where a text presents itself
    (its title, preamble and definitions); the finding cites the first such
    claim and is reported at ``info``, because the restrictions themselves
    are reported by the other rules. It never decides a freedom's status.
    The ``openwashing`` flag of the analysis is set by the same test.

    **Anti-pattern**

        Acme Open Model License

        You may use, copy, modify and distribute the Model. You may not use the Model for military purposes.

    **Best practice**

        Acme Open Model License

        You may use, copy, modify and distribute the Model for any purpose.
    """

    code = "USE-012"
    name = "use.openwashing"
    kinds = ()
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.INFO
    groups = ("document",)

    def check_document(self, ctx: Context, terms, verdict: Verdict, statuses: dict[Freedom, Status]) -> list[Hit]:
        """A finding at the first open claim when the overall verdict is not open."""
        if verdict is Verdict.OPEN:
            return []
        operative = [
            t.start for t in terms if t.kind.category is not Category.INFO or t.kind is TermKind.INFO_ACCEPTANCE
        ]
        definitions = {t.clause for t in terms if t.kind is TermKind.INFO_DEFINITION}
        clauses = sorted(ctx.clauses.values(), key=lambda c: c.start)
        for clause, start, end in claim_spans(ctx, clauses, min(operative) if operative else None, definitions):
            word = ctx.text[start:end]
            lost = ", ".join(f"{f.value} {s.value}" for f, s in statuses.items() if s not in (Status.GRANTED, Status.CONDITIONAL))
            sentence = _sentence(ctx.text, start, end, clause)
            message = (
                f"The text calls itself \"{word}\" but the freedoms are not all kept: "
                f"the verdict is {verdict.value} ({lost})."
            )
            finding = self.finding_at(ctx, clause.id, sentence[0], sentence[1], message)
            return [Hit(finding, decides=False)]
        return []

    def finding_at(self, ctx: Context, clause: str, start: int, end: int, message: str):
        from licenselens.model import Finding

        return Finding(
            id=self.code,
            rule=self.short_name(),
            freedom=self.freedom,
            principle=self.principle,
            severity=self.severity,
            message=message,
            clause=clause,
            start=start,
            end=end,
            line=ctx.line_of(start),
            evidence=ctx.evidence(start, end),
        )


def _sentence(text: str, start: int, end: int, clause: Clause) -> tuple[int, int]:
    """The line around a claim (or its sentence, when the line is long), inside its clause."""
    lo = text.rfind("\n", clause.start, start) + 1 or clause.start
    lo = max(lo, clause.start)
    hi = text.find("\n", end, clause.end)
    hi = clause.end if hi < 0 else hi
    if hi - lo > 300:
        stop = re.search(r"[.;:](?=\s|$)", text[end:hi])
        hi = end + stop.end() if stop else min(hi, end + 300)
        dot = max(text.rfind(". ", lo, start), text.rfind("; ", lo, start))
        lo = dot + 2 if dot >= 0 else lo
    seg = text[lo:hi]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg.rstrip())
    return lo + lead, lo + max(trail, lead + 1)
