"""MODIFY-001 modify.no-derivatives."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class NoDerivatives(Rule):
    """Modification or derivative works are not allowed.

    The freedom to modify covers changing the work for any purpose,
    including fine-tuning a model to change its output. "NoDerivatives",
    "you may not modify, adapt or create derivative works", or a grant of
    adapted material "for private use only" break it.

    **Anti-pattern**

        You may not modify, adapt, translate or create derivative works of the Software.

    **Best practice**

        You may modify the Software and create derivative works of it.
    """

    code = "MODIFY-001"
    name = "modify.no-derivatives"
    kinds = (TermKind.RESTRICT_NO_DERIVATIVES,)
    freedom = Freedom.MODIFY
    principle = Principle.MODIFY
    severity = Severity.ERROR
    groups = ("modify",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Modify is broken: modification or derivative works are not allowed."
