"""SHARE-002 share.restricted-distribution."""

from __future__ import annotations

from licenselens.model import Severity
from licenselens.reason.rules._base import ScopedRule
from licenselens.taxonomy import Freedom, Principle


class SharePurposeScoped(ScopedRule):
    """A purpose or permission restriction that also governs sharing.

    Sharing must be free for any purpose and without permission, like use.
    A restriction on purposes or on permission is always reported under USE;
    it is reported here as well when the clause itself governs distributing
    the work: its prohibition names distributing, publishing or making the
    work available, its grant to share is limited to a purpose ("Share ...
    for NonCommercial purposes only"), its list item stands under such a
    lead-in, or it withholds all rights of the license. The finding's
    principle is the restriction's (any-purpose or no-permission).

    **Anti-pattern**

        You may not distribute the Software for any commercial purpose.

    **Best practice**

        You may not use the Software for any military purpose.
    """

    code = "SHARE-002"
    name = "share.restricted-distribution"
    freedom = Freedom.SHARE
    principle = Principle.ANY_PURPOSE
    severity = Severity.ERROR
    groups = ("share", "any-purpose", "no-permission")
    verb = "distribution"
