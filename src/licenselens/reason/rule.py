"""The base type of every freedom rule, and the context rules read.

A rule turns one classified term into zero or more findings. Rules are
documented units in the style of sqlfluff: a short code (``USE-001``), a
dotted name (``use.field-of-use``), the freedom and principle it protects, a
default severity, and a docstring whose rationale, **Anti-pattern** (a clause
that triggers the rule) and **Best practice** (a clause that does not) become
the user documentation (``licenselens explain USE-001``) and are run by the
test suite through the real pipeline.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import ClassVar

from licenselens.model import Clause, Finding, Severity, Term
from licenselens.taxonomy import Freedom, Principle, TermKind

#: Terms the classifier is less sure of than this are reported as ``unclear``
#: (a finding at ``info``) rather than as a restriction at error or warning.
UNCLEAR_BELOW = 0.5

#: Evidence quoted in a finding is trimmed to about this many characters.
EVIDENCE_CHARS = 300

_SECTION = re.compile(r"^\*\*(Anti-pattern|Best practice)\*\*\s*$")


def _example_after(doc: str, header: str) -> str:
    """Return the indented block that follows ``**header**`` in a rule docstring."""
    lines = doc.splitlines()
    block: list[str] = []
    inside = False
    for line in lines:
        m = _SECTION.match(line.strip())
        if m:
            if inside:
                break
            inside = m.group(1) == header
            continue
        if not inside:
            continue
        if line.startswith("    ") or not line.strip():
            block.append(line[4:] if line.startswith("    ") else "")
        elif block and any(b.strip() for b in block):
            break
    return "\n".join(block).strip()


@dataclass
class Context:
    """What a rule may read besides the term: the text and the clause tree."""

    text: str
    clauses: dict[str, Clause]
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        i = self.text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = self.text.find("\n", i + 1)
        self._line_starts = starts

    def line_of(self, offset: int) -> int:
        """1-based line of an offset into the original text."""
        lo, hi = 0, len(self._line_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def unit_text(self, term: Term) -> str:
        """The original text the term was read from."""
        return self.text[term.start : term.end]

    def evidence(self, start: int, end: int) -> str:
        """The quoted text of a span, whitespace collapsed, trimmed to ~300 characters."""
        quoted = " ".join(self.text[start:end].split())
        # A few words over the limit are kept rather than cut off.
        if len(quoted) > EVIDENCE_CHARS + 40:
            cut = quoted.rfind(" ", 0, EVIDENCE_CHARS)
            quoted = quoted[: cut if cut > EVIDENCE_CHARS // 2 else EVIDENCE_CHARS].rstrip(",;: ") + " …"
        return quoted

    def lead_ins(self, term: Term, limit: int = 400) -> list[str]:
        """Texts of the clauses above the term's clause (their headings and lead-ins),
        nearest first: a list item means what its lead-in says."""
        out: list[str] = []
        clause = self.clauses.get(term.clause)
        seen = set()
        while clause is not None and clause.parent and clause.parent not in seen:
            seen.add(clause.parent)
            clause = self.clauses.get(clause.parent)
            if clause is not None:
                out.append(clause.text[:limit])
        own = self.clauses.get(term.clause)
        # The unit's own clause may open with a lead-in ("... as follows:") that precedes the unit;
        # an ordinary preceding sentence is not one.
        if own is not None and own.start < term.start:
            before = self.text[own.start : term.start].rstrip()
            if before.endswith((":", "\u2014", ":-")):
                out.insert(0, before[-limit:])
        return out


@dataclass(frozen=True)
class Hit:
    """A finding plus what the verdict needs to know about it."""

    finding: Finding
    unclear: bool = False
    # Findings that describe the text as a whole (openwashing) never decide a freedom.
    decides: bool = True


class Rule:
    """Base of every freedom rule: subclasses set the class attributes and write
    the docstring (rationale, **Anti-pattern**, **Best practice**)."""

    code: ClassVar[str]
    name: ClassVar[str]
    kinds: ClassVar[tuple[TermKind, ...]] = ()
    freedom: ClassVar[Freedom]
    principle: ClassVar[Principle]
    severity: ClassVar[Severity] = Severity.ERROR
    groups: ClassVar[tuple[str, ...]] = ()
    #: One sentence, completed by the rule's ``describe``.
    summary: ClassVar[str] = ""

    # --- documentation -------------------------------------------------------

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def short_name(cls) -> str:
        """The name without its freedom group, as written in JSON (``field-of-use``)."""
        return cls.name.split(".", 1)[1]

    @classmethod
    def anti_pattern(cls) -> str:
        return _example_after(cls.doc(), "Anti-pattern")

    @classmethod
    def best_practice(cls) -> str:
        return _example_after(cls.doc(), "Best practice")

    @classmethod
    def title(cls) -> str:
        return cls.doc().split("\n\n", 1)[0].replace("\n", " ")

    @classmethod
    def rationale(cls) -> str:
        """The docstring up to the examples."""
        doc = cls.doc()
        cut = doc.find("**Anti-pattern**")
        return (doc if cut < 0 else doc[:cut]).strip()

    # --- checking ------------------------------------------------------------

    def applies(self, term: Term, ctx: Context) -> bool:
        """Whether the term is one this rule reads; subclasses narrow it."""
        return term.kind in self.kinds

    def describe(self, term: Term, ctx: Context) -> str:
        """One sentence: which freedom, and why."""
        return self.summary

    def severity_of(self, term: Term, ctx: Context) -> tuple[Severity, str]:
        """The severity for this term and, when lowered, the reason appended to the message."""
        return self.severity, ""

    def check(self, term: Term, ctx: Context) -> list[Hit]:
        """Findings for one term (none when the rule does not apply)."""
        if not self.applies(term, ctx):
            return []
        severity, why = self.severity_of(term, ctx)
        message = self.describe(term, ctx)
        unclear = term.confidence < UNCLEAR_BELOW
        if unclear:
            severity = Severity.INFO
            message = "Unclear: " + message[:1].lower() + message[1:]
            why = f"classifier confidence {term.confidence:.2f} is below {UNCLEAR_BELOW}; not counted"
        if why:
            message = f"{message.rstrip('.')} ({why})."
        return [Hit(self.finding(term, ctx, severity, message), unclear=unclear)]

    def finding(self, term: Term, ctx: Context, severity: Severity, message: str) -> Finding:
        return Finding(
            id=self.code,
            rule=self.short_name(),
            freedom=self.freedom,
            principle=self.principle,
            severity=severity,
            message=message,
            clause=term.clause,
            start=term.start,
            end=term.end,
            line=ctx.line_of(term.start),
            evidence=ctx.evidence(term.start, term.end),
        )
