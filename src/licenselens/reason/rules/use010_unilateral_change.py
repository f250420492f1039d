"""USE-010 use.unilateral-change."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class UnilateralChange(Rule):
    """The licensor may change the terms or the policy, and the change binds the licensee.

    When a license incorporates a policy "as updated from time to time", or
    the licensor reserves the right to update the terms, what the licensee
    may do tomorrow depends on the licensor's will today. The freedoms are
    then held at the licensor's pleasure: the freedom to use without
    permission is broken. A fixed version with an *optional* upgrade path
    ("or any later version", at the licensee's choice) is not a unilateral
    change.

    **Anti-pattern**

        The Licensor may update this Acceptable Use Policy from time to time, and your continued use of the Model constitutes acceptance of the updated policy.

    **Best practice**

        You may distribute the Program under this version of the License or, at your option, any later version.
    """

    code = "USE-010"
    name = "use.unilateral-change"
    kinds = (TermKind.RESTRICT_UNILATERAL_CHANGE,)
    freedom = Freedom.USE
    principle = Principle.NO_PERMISSION
    severity = Severity.ERROR
    groups = ("no-permission",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use without permission is broken: the licensor may change the terms or the policy and the change binds you."
