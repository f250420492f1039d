"""USE-001 use.field-of-use."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.reason.scope import restates_law
from licenselens.taxonomy import Freedom, Principle, TermKind


class FieldOfUse(Rule):
    """A clause forbids using the work for some purposes.

    The first freedom is to use the work *for any purpose*. A list of
    prohibited uses (an acceptable-use policy, "not for military use",
    "used for Good, not Evil", the human-rights conditions of ethical
    licenses) takes that freedom away, whatever the merit of the purposes
    excluded: each purpose is a judgement the licensor keeps for itself.

    A prohibition that only forbids breaking the law ("you may not use the
    Software to violate applicable law") restates what the law already
    demands; it is reported at ``info`` with the reason "restates the law",
    not as an error. "You must comply with applicable law" is no restriction
    at all. Restrictions whose clause also limits modification or
    distribution are reported again under MODIFY-002 and SHARE-002.

    **Anti-pattern**

        This software may not be used for military purposes.

    **Best practice**

        You must comply with all applicable laws and regulations when using the Software.
    """

    code = "USE-001"
    name = "use.field-of-use"
    kinds = (TermKind.RESTRICT_FIELD_OF_USE,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        if restates_law(ctx.unit_text(term)):
            return "Use for any purpose is kept: this clause forbids only uses that break the law."
        return "Use for any purpose is broken: this clause forbids using the work for some purposes."

    def severity_of(self, term: Term, ctx: Context) -> tuple[Severity, str]:
        if restates_law(ctx.unit_text(term)):
            return Severity.INFO, "restates the law"
        return self.severity, ""
