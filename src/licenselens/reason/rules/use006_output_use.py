"""USE-006 use.output-use."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class OutputUse(Rule):
    """What the outputs of the work may be used for is limited.

    For a model, its outputs are what using it yields. A clause that forbids
    some uses of the outputs (training another model on them, presenting
    them as human-made, a list of forbidden applications of generated
    content) limits the purposes the model may serve, and so breaks the
    freedom to use it for any purpose.

    **Anti-pattern**

        You may not use the outputs of the Model to train, develop or improve any other machine learning model.

    **Best practice**

        Licensor claims no rights in the outputs you generate using the Model.
    """

    code = "USE-006"
    name = "use.output-use"
    kinds = (TermKind.RESTRICT_OUTPUT_USE,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Use for any purpose is broken: what the outputs may be used for is limited."
