"""Shared shapes of rules: parameters in words, and a purpose or permission
restriction carried over to MODIFY or SHARE."""

from __future__ import annotations

from typing import ClassVar

from licenselens.model import Finding, Severity, Term
from licenselens.reason.rule import Context, Rule
from licenselens.reason.scope import scopes
from licenselens.taxonomy import RESTRICTIONS, Principle, TermKind


def fmt_params(term: Term) -> str:
    """Parameters of a term in words: '700,000,000 monthly active users', 'European Union'."""
    p = term.params or {}
    parts: list[str] = []
    if "threshold" in p:
        value = p["threshold"]
        number = f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        parts.append(f"{number} {p.get('unit', '')}".strip())
    for key in ("regions", "region", "persons"):
        if key in p:
            v = p[key]
            parts.append(", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))
    return "; ".join(parts)


class ScopedRule(Rule):
    """A purpose or permission restriction whose clause also scopes ``freedom``
    (see ``licenselens.reason.scope``)."""

    # Restrictions limiting every freedom (purpose and permission kinds), as the taxonomy says.
    kinds: ClassVar[tuple[TermKind, ...]] = tuple(
        k for k in RESTRICTIONS if k.info.principle in (Principle.ANY_PURPOSE, Principle.NO_PERMISSION)
    )
    verb: ClassVar[str] = ""

    def applies(self, term: Term, ctx: Context) -> bool:
        if term.kind not in self.kinds or self.freedom not in term.kind.info.freedoms:
            return False
        return scopes(self.freedom, ctx.unit_text(term), ctx.lead_ins(term))

    def describe(self, term: Term, ctx: Context) -> str:
        what = term.kind.info.description.rstrip(".").lower()
        test = "for any purpose" if term.kind.info.principle is Principle.ANY_PURPOSE else "without permission"
        extra = fmt_params(term)
        extra = f" ({extra})" if extra else ""
        return (
            f"{self.freedom.value.capitalize()} {test} is broken: this clause also governs {self.verb}, "
            f"and {what}{extra}."
        )

    def finding(self, term: Term, ctx: Context, severity: Severity, message: str) -> Finding:
        found = super().finding(term, ctx, severity, message)
        principle = term.kind.info.principle or self.principle
        return found.model_copy(update={"principle": principle})
