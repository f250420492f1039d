"""STUDY-001 study.no-study."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class NoStudy(Rule):
    """Studying how the work functions is forbidden.

    The freedom to study means being able to inspect the work and find out
    how it works: reverse engineering, decompiling, disassembling, probing
    the weights, publishing benchmark results. A clause that forbids any of
    these breaks it.

    Study is otherwise granted together with use: a text that grants use and
    does not forbid study leaves the work open to inspection.

    **Anti-pattern**

        You may not reverse engineer, decompile or disassemble the Software.

    **Best practice**

        You may inspect, test and benchmark the Software and publish the results.
    """

    code = "STUDY-001"
    name = "study.no-study"
    kinds = (TermKind.RESTRICT_NO_STUDY,)
    freedom = Freedom.STUDY
    principle = Principle.STUDY
    severity = Severity.ERROR
    groups = ("study",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Study is broken: reverse engineering, inspecting the work or publishing results about it is forbidden."
