"""USE-002 use.non-commercial."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class NonCommercial(Rule):
    """Commercial use is not allowed.

    Commerce is a purpose like any other: a license that keeps it for the
    licensor (NonCommercial, "for non-commercial purposes only") breaks the
    freedom to use the work for any purpose. When the clause also limits
    sharing or adapting to non-commercial purposes, SHARE-002 and MODIFY-002
    report it there too.

    **Anti-pattern**

        You may not use the Software for any commercial purpose.

    **Best practice**

        You may use the Software for any purpose, including commercial purposes.
    """

    code = "USE-002"
    name = "use.non-commercial"
    kinds = (TermKind.RESTRICT_NON_COMMERCIAL,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use for any purpose is broken: commercial use is not allowed."
