"""USE-008 use.permission-required."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class PermissionRequired(Rule):
    """Prior approval, registration or written consent is required.

    The freedoms are exercised without asking anyone. A clause that makes an
    act the freedoms cover depend on the licensor's prior written consent,
    approval or registration breaks the freedom to use the work without
    permission. (Consent needed only to use the licensor's *trademarks* is a
    trademark term, not this.)

    **Anti-pattern**

        You may not deploy the Software in production without the prior written consent of the Licensor.

    **Best practice**

        You may deploy the Software in production without notice to the Licensor.
    """

    code = "USE-008"
    name = "use.permission-required"
    kinds = (TermKind.RESTRICT_PERMISSION_REQUIRED,)
    freedom = Freedom.USE
    principle = Principle.NO_PERMISSION
    severity = Severity.ERROR
    groups = ("no-permission",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use without permission is broken: prior approval, registration or written consent is required."
