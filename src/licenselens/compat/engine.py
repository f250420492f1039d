"""Compatibility of SPDX expressions and license files: OR, AND, WITH, then the pair rules and facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from licenselens import expression as ex
from licenselens.compat import rules
from licenselens.compat.facts import FACTS_ENABLED, exception_fact, pair_fact
from licenselens.compat.profile import Profile, Scope
from licenselens.compat.rules import RANK, Outcome
from licenselens.compat.sources import _CACHE, LicenseSource, parse_argument, profile_of, require_known, resolve_leaf
from licenselens.errors import InputError
from licenselens.model import CompatResult, CompatVerdict, InboundVerdict

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.cache import ResultCache

V = CompatVerdict
USES = ("software", "model")

Operand = ex.Expression | LicenseSource


def _best(outcomes: list[Outcome]) -> Outcome:
    return max(outcomes, key=lambda o: RANK[o.verdict])


def _worst(outcomes: list[Outcome]) -> Outcome:
    return min(outcomes, key=lambda o: RANK[o.verdict])


@dataclass
class _Side:
    """One license of a pair: its label for messages and facts, and its profile when it has a text."""

    label: str
    fact_key: str | None
    profile: Profile | None
    reason: str | None
    exception: str | None = None


def _side(operand: ex.Leaf | LicenseSource) -> _Side:
    if isinstance(operand, LicenseSource):
        return _Side(operand.label, None, profile_of(operand), operand.reason)
    exception = None
    base = operand
    if isinstance(operand, ex.With):
        exception, base = operand.exception, operand.license
    simple = ex.simplify(base)
    source = resolve_leaf(simple)  # type: ignore[arg-type]
    label = ex.to_string(ex.simplify(operand))
    return _Side(label, label, profile_of(source), source.reason, exception)


def _pair(inbound: _Side, outbound: _Side, use: str) -> Outcome:
    if inbound.profile is None or outbound.profile is None:
        missing = inbound if inbound.profile is None else outbound
        outcome = Outcome(V.UNKNOWN, [missing.reason or f"no text for {missing.label}"], cause="no-text")
    else:
        outcome = (rules.model if use == "model" else rules.software)(inbound.profile, outbound.profile)
    if inbound.exception:
        outcome = _apply_exception(inbound, outbound, outcome)
    return _apply_fact(inbound, outbound, use, outcome)


def _apply_exception(inbound: _Side, outbound: _Side, outcome: Outcome) -> Outcome:
    fact = exception_fact(inbound.exception or "")
    if fact is None:
        outcome.reasons.append(f"{inbound.exception}: no known effect on compatibility; read as the license alone")
        return outcome
    out_profile = outbound.profile
    why = f"{fact.statement} (source: {fact.source})"
    if fact.effect in ("linking", "runtime") and outcome.cause == "copyleft":
        what = (
            "independent modules linked with it may be under"
            if fact.effect == "linking"
            else "target code compiled with it through an eligible compilation process may be under"
        )
        return Outcome(
            V.CONDITIONAL,
            outcome.reasons + [f"{inbound.exception} lifts the copyleft over the combination: {why}"],
            [f"keep the {inbound.label} code itself under its license with source offered; {what} {outbound.label}"],
        )
    if fact.effect == "gplv2" and outcome.cause == "patent" and out_profile and out_profile.identity.family in ("GPL", "LGPL"):
        return Outcome(
            V.CONDITIONAL,
            outcome.reasons + [f"{inbound.exception} resolves the conflict with GPL-2.0: {why}"],
            [f"distribute the combined work under {outbound.label}; the conflicting sections of the inbound license may be deemed waived"],
        )
    outcome.reasons.append(f"{inbound.exception} does not change this: {why}")
    return outcome


def _apply_fact(inbound: _Side, outbound: _Side, use: str, outcome: Outcome) -> Outcome:
    if not inbound.fact_key or not outbound.fact_key:
        return outcome
    fact = pair_fact(inbound.fact_key, outbound.fact_key, use)
    if fact is None:
        return outcome
    if fact.verdict == outcome.verdict or {fact.verdict, outcome.verdict} <= {V.COMPATIBLE, V.CONDITIONAL}:
        outcome.reasons.append(f"confirmed by a published statement: {fact}")
        return outcome
    return Outcome(
        fact.verdict,
        [f"published statement decides: {fact}"]
        + [f"(the terms alone gave {outcome.verdict.value}: {r})" for r in outcome.reasons],
        outcome.conditions if fact.verdict is V.CONDITIONAL else [],
        cause="fact",
    )


def _governs_whole(side: _Side) -> bool:
    return side.profile is not None and side.profile.copyleft is Scope.WORK


def _against_outbound(inbound: _Side, outbound: Operand, use: str) -> tuple[Outcome, str | None]:
    """One inbound license against an outbound expression; returns the outcome and the outbound label used."""
    if isinstance(outbound, LicenseSource) or isinstance(outbound, (ex.License, ex.LicenseRef, ex.With)):
        out = _side(outbound)
        return _pair(inbound, out, use), out.label
    if isinstance(outbound, ex.Or):
        # Recipients may pick any alternative, so the inbound license must allow each.
        parts = [_against_outbound(inbound, arg, use) for arg in outbound.args]
        worst = _worst([p[0] for p in parts])
        return _merge(parts, worst.verdict, "every outbound alternative must accept it"), None
    parts = [_against_outbound(inbound, arg, use) for arg in outbound.args]  # AND
    sides = [_side(arg) if isinstance(arg, (ex.License, ex.LicenseRef, ex.With)) else None for arg in outbound.args]
    whole = [p for p, s in zip(parts, sides) if s is not None and _governs_whole(s)]
    if whole:
        verdict = _worst([p[0] for p in whole]).verdict
        return _merge(whole, verdict, "outbound parts with work-wide copyleft must all accept it"), None
    verdict = _best([p[0] for p in parts]).verdict
    return _merge(parts, verdict, "it may sit under any one of the outbound licenses"), None


def _merge(parts: list[tuple[Outcome, str | None]], verdict: CompatVerdict, why: str) -> Outcome:
    reasons, conditions = [why], []
    for outcome, label in parts:
        tag = f"[vs {label}] " if label else ""
        reasons += [tag + r for r in outcome.reasons]
        conditions += [tag + c for c in outcome.conditions]
    return Outcome(verdict, reasons, conditions if verdict is V.CONDITIONAL else [])


def _evaluate(inbound: Operand, outbound: Operand, use: str) -> Outcome:
    if isinstance(inbound, LicenseSource) or isinstance(inbound, (ex.License, ex.LicenseRef, ex.With)):
        return _against_outbound(_side(inbound), outbound, use)[0]
    parts = [(arg, _evaluate(arg, outbound, use)) for arg in inbound.args]
    if isinstance(inbound, ex.Or):
        arg, best = max(parts, key=lambda p: RANK[p[1].verdict])
        label = ex.to_string(arg)
        others = [f"{ex.to_string(a)}: {o.verdict.value}" for a, o in parts if a is not arg]
        lead = f"choose {label} of {ex.to_string(inbound)}" + (f" (others: {'; '.join(others)})" if others else "")
        return Outcome(best.verdict, [lead] + [f"[{label}] {r}" for r in best.reasons],
                       [f"[{label}] {c}" for c in best.conditions] if best.conditions else [f"take {label}"] if best.verdict is V.CONDITIONAL else [],
                       best.cause)
    worst = _worst([o for _, o in parts])  # AND: every part applies
    reasons, conditions = ["all of " + ex.to_string(inbound) + " apply"], []
    for arg, outcome in parts:
        label = ex.to_string(arg)
        reasons.append(f"[{label}] {outcome.verdict.value}")
        reasons += [f"[{label}] {r}" for r in outcome.reasons]
        conditions += [f"[{label}] {c}" for c in outcome.conditions]
    return Outcome(worst.verdict, reasons, conditions if worst.verdict is V.CONDITIONAL else [], worst.cause)


def _profile_of_id(spdx: str) -> Profile | None:
    """The profile of the reference text of an SPDX id, when there is one."""
    try:
        leaf = ex.parse(spdx)
    except InputError:
        return None
    if not isinstance(leaf, (ex.License, ex.LicenseRef)):
        return None
    return profile_of(resolve_leaf(leaf))


def _parse(arg: str) -> Operand:
    operand = parse_argument(arg)
    if not isinstance(operand, LicenseSource):
        require_known(operand, arg)
    return operand


def compat(
    inbound: list[str],
    outbound: str,
    *,
    use: str = "software",
    integration: str = "library",
    use_facts: bool = True,
    cache: ResultCache | None = None,
) -> CompatResult:
    """May the ``inbound`` licenses (SPDX expressions or license files) go into a work under ``outbound``?

    ``use='model'`` asks whether a model derived from a model under each
    inbound license may be released under ``outbound``. Raises ``InputError``
    (``ExpressionError`` with the position) for malformed expressions, unknown
    ids and missing files. ``use_facts=False`` answers from the terms alone,
    without the published pair facts of ``corpora/compat``. ``cache`` keeps
    the analyses of license texts across processes (``licenselens.cache``).
    ``integration`` says how software joins the work: ``library`` (its files
    or library kept apart, linked or combined) or ``snippet`` (copied into the
    work's own files, where file- and library-level copyleft then reach).
    """
    if use not in USES:
        raise InputError("--use", f"unknown use {use!r}: expected software or model")
    if not inbound:
        raise InputError(None, "no inbound license given")
    if integration not in rules.INTEGRATIONS:
        raise InputError("--integration", f"unknown integration {integration!r}: expected library or snippet")
    out = _parse(outbound)
    results = []
    token = FACTS_ENABLED.set(use_facts)
    cache_token = _CACHE.set(cache)
    integration_token = rules.INTEGRATION.set(integration)
    resolve_token = rules.RESOLVE.set(_profile_of_id)
    try:
        for arg in inbound:
            outcome = _evaluate(_parse(arg), out, use)
            results.append(InboundVerdict(license=arg, verdict=outcome.verdict, reasons=outcome.lines()))
    finally:
        FACTS_ENABLED.reset(token)
        _CACHE.reset(cache_token)
        rules.INTEGRATION.reset(integration_token)
        rules.RESOLVE.reset(resolve_token)
    overall = min((r.verdict for r in results), key=lambda v: RANK[v])
    return CompatResult(outbound=outbound, verdict=overall, inbound=results)
