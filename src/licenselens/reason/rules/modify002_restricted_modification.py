"""MODIFY-002 modify.restricted-modification."""

from __future__ import annotations

from licenselens.model import Severity
from licenselens.reason.rules._base import ScopedRule
from licenselens.taxonomy import Freedom, Principle


class ModifyPurposeScoped(ScopedRule):
    """A purpose or permission restriction that also governs modification.

    Modification must be free for any purpose and without permission, like
    use. A restriction on purposes or on permission (field of use,
    non-commercial, research only, persons, competition, user caps, prior
    approval, revocation, unilateral change) is always reported under USE;
    it is reported here as well when the clause itself governs modifying the
    work: its prohibition names modifying or creating derivative works, its
    grant of modification is limited to a purpose ("solely for"), its list
    item stands under such a lead-in, or it withholds all rights of the
    license. The finding's principle is the restriction's (any-purpose or
    no-permission).

    **Anti-pattern**

        You may not use, modify or create derivative works of the Software for any military purpose.

    **Best practice**

        You may not use the Software for any military purpose.
    """

    code = "MODIFY-002"
    name = "modify.restricted-modification"
    freedom = Freedom.MODIFY
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("modify", "any-purpose", "no-permission")
    verb = "modification"
