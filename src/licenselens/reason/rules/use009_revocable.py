"""USE-009 use.revocable."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class Revocable(Rule):
    """The licensor may revoke or terminate the license at will.

    A license that the licensor may terminate "at any time, for any reason
    or no reason" lets the licensee act only while the licensor agrees: that
    is permission, not freedom. Termination *for breach* of the license is
    ordinary and neutral (``info.termination-on-breach``) and does not
    trigger this rule.

    **Anti-pattern**

        The Licensor may terminate this license at any time, for any reason or no reason, by notice to you.

    **Best practice**

        This license terminates automatically if you fail to comply with any of its terms.
    """

    code = "USE-009"
    name = "use.revocable"
    kinds = (TermKind.RESTRICT_REVOCABLE,)
    freedom = Freedom.USE
    principle = Principle.NO_PERMISSION
    severity = Severity.ERROR
    groups = ("no-permission",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use without permission is broken: the licensor may revoke the license at will, not only for breach."
