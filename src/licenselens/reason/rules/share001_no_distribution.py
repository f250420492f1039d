"""SHARE-001 share.no-distribution."""

from __future__ import annotations

from licenselens.model import Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.taxonomy import Freedom, Principle, TermKind


class NoDistribution(Rule):
    """Redistribution is not allowed, or the work is for internal use only.

    The freedom to share covers giving copies to others, with or without
    modifications, for any purpose. "Internal use only", "you may not
    distribute, sublicense, rent or lease the Software", or "you may not
    make the Software available as a hosted service" break it.

    **Anti-pattern**

        You may not distribute, sublicense, rent or lease the Software to any third party.

    **Best practice**

        You may distribute copies of the Software to any third party.
    """

    code = "SHARE-001"
    name = "share.no-distribution"
    kinds = (TermKind.RESTRICT_NO_DISTRIBUTION,)
    freedom = Freedom.SHARE
    principle = Principle.SHARE
    severity = Severity.ERROR
    groups = ("share",)

    def describe(self, term: Term, ctx: Context) -> str:
        return "Share is broken: redistribution is not allowed, or only internal use is."
