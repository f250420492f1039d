"""USE-011 use.remote-control."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class RemoteControl(Rule):
    """The licensor may restrict use remotely or force updates.

    A licensor that "reserves the right to restrict (remotely or otherwise)
    usage" of the work it believes violates its terms, or that requires the
    licensee to install every update, keeps control of a copy that is
    supposedly the licensee's: use depends on the licensor's continued
    consent.

    **Anti-pattern**

        The Licensor reserves the right to restrict (remotely or otherwise) usage of the Model in violation of this License.

    **Best practice**

        You may choose whether and when to install updates to the Model.
    """

    code = "USE-011"
    name = "use.remote-control"
    kinds = (TermKind.RESTRICT_REMOTE_CONTROL,)
    freedom = Freedom.USE
    principle = Principle.NO_PERMISSION
    severity = Severity.ERROR
    groups = ("no-permission",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use without permission is broken: the licensor may restrict use remotely or force updates."
