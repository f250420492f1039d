"""USE-007 use.user-threshold."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.reason.rules._base import fmt_params
from licenselens.taxonomy import Freedom, Principle, TermKind


class UserThreshold(Rule):
    """Above a size cap, a new license must be requested from the licensor.

    A cap on monthly active users, revenue or head count above which "you
    must request a license, which the licensor may grant in its sole
    discretion" means that growing users need permission: the freedom to use
    the work without having to ask is broken. The cap is a parameter of the
    term (``threshold``, ``unit``) and is quoted in the message.

    **Anti-pattern**

        If the monthly active users of your products or services exceed 700 million, you must request a license from the Licensor, which the Licensor may grant in its sole discretion.

    **Best practice**

        This license is available to organisations of every size, with no limit on the number of users.
    """

    code = "USE-007"
    name = "use.user-threshold"
    kinds = (TermKind.RESTRICT_USER_THRESHOLD,)
    freedom = Freedom.USE
    principle = Principle.NO_PERMISSION
    severity = Severity.ERROR
    groups = ("no-permission",)

    def describe(self, term: Term, ctx: Context) -> str:
        cap = fmt_params(term)
        above = f"above {cap}" if cap else "above a size cap"
        return f"Use without permission is broken: {above} a new license must be requested from the licensor."
