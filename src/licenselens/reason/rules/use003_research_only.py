"""USE-003 use.research-only."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class ResearchOnly(Rule):
    """Only research, evaluation or personal use is allowed.

    A license that permits use "solely for research", "for evaluation
    purposes only" or "for personal use" names the few purposes allowed and
    forbids all the others, which breaks the freedom to use the work for any
    purpose.

    **Anti-pattern**

        The Model may be used solely for non-commercial research purposes.

    **Best practice**

        You may use the Model for research, commercial or any other purpose.
    """

    code = "USE-003"
    name = "use.research-only"
    kinds = (TermKind.RESTRICT_RESEARCH_ONLY,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use for any purpose is broken: only research, evaluation or personal use is allowed."
