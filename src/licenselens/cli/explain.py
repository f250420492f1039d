"""``licenselens explain RULE``: a rule's documentation (also ``analyze --explain RULE``)."""

from __future__ import annotations

from typing import Annotated

import typer

from licenselens.cli._common import emit, guarded
from licenselens.errors import InputError


def explanation(ref: str) -> str:
    """The documentation of the rule named by code, dotted name or short name."""
    from licenselens.reason import get_rule

    try:
        rule = get_rule(ref)
    except KeyError:
        raise InputError(ref, "unknown rule (see `licenselens explain` for the list)") from None
    head = f"{rule.code} {rule.name}"
    meta = (
        f"freedom: {rule.freedom.value}   principle: {rule.principle.value}   "
        f"default severity: {rule.severity.value}"
    )
    return f"{head}\n{'=' * len(head)}\n{meta}\n\n{rule.doc()}\n"


def rule_list() -> str:
    """One line per rule: code, name and title."""
    from licenselens.reason import all_rules

    return "".join(f"{r.code:<11} {r.name:<28} {r.title()}\n" for r in all_rules())


@guarded
def explain(
    rule: Annotated[str | None, typer.Argument(help="Rule code (USE-001) or name (use.field-of-use); omit to list all rules.")] = None,
) -> None:
    """Print a rule's rationale and its two examples, or list the rules."""
    emit(explanation(rule) if rule else rule_list())
