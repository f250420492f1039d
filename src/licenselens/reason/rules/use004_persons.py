"""USE-004 use.persons."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.reason.rules._base import fmt_params
from licenselens.taxonomy import Freedom, Principle, TermKind


class Persons(Rule):
    """Some people, companies or regions are excluded from the license.

    Open licenses do not discriminate against persons or groups. A clause
    that withholds the grant from residents of a region (the European Union
    exclusion of the Llama 3.2 policy), from competitors, or from named kinds
    of organisation breaks the freedom to use the work for any purpose: who
    may act is decided by the licensor. The excluded region, when the clause
    names one, is a parameter of the term and is quoted in the message.

    **Anti-pattern**

        The rights granted under this Agreement are not granted to any individual domiciled in, or any company with a principal place of business in, the European Union.

    **Best practice**

        This license is granted worldwide, to any person or entity obtaining a copy of the Software.
    """

    code = "USE-004"
    name = "use.persons"
    kinds = (TermKind.RESTRICT_PERSONS,)
    freedom = Freedom.USE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("any-purpose",)

    def describe(self, term: Term, ctx: Context) -> str:
        who = fmt_params(term)
        who = f" ({who})" if who else ""
        return f"Use for any purpose is broken: some people, companies or regions{who} are excluded from the license."
