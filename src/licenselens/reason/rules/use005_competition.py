"""USE-005 use.competition."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class Competition(Rule):
    """The work may not be used to compete with the licensor or to improve other models.

    Clauses that forbid building a competing product or service, or using
    the work or its outputs to improve any other (large language) model,
    reserve a market for the licensor. Competition is a purpose, so the
    freedom to use the work for any purpose is broken.

    **Anti-pattern**

        You will not use the Model or any output of the Model to improve any other large language model.

    **Best practice**

        You may use the Model and its outputs to build and improve other models and products.
    """

    code = "USE-005"
    name = "use.competition"
    kinds = (TermKind.RESTRICT_COMPETITION,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        return (
            "Use for any purpose is broken: using the work to compete with the licensor "
            "or to improve other models is forbidden."
        )
