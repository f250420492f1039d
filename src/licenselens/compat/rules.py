"""Compatibility rules: one inbound license against one outbound license, from their profiles.

Software question: may code under the inbound license be part of a work
distributed under the outbound license? Model question: may a model derived
from a model under the inbound license (fine-tune, merge, distillation,
quantization, training on its outputs) be released under the outbound license?

Each rule reads the two profiles and says why, citing the clauses. The order
is the order a reviewer would check: same license, explicit permission to
switch licenses, restrictions against what the outbound license grants (and
against "no further restrictions"), copyleft scope, patent retaliation, then
the conditions that survive (notices, NOTICE files, naming, attribution).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from licenselens.compat.profile import Citation, Profile, Relicense, Scope
from licenselens.model import CompatVerdict
from licenselens.taxonomy import KINDS, TermKind

V = CompatVerdict

#: How inbound code joins the work: "library" (kept in its own files or library, linked or
#: combined) or "snippet" (copied into the work's own files).
INTEGRATION: ContextVar[str] = ContextVar("licenselens_compat_integration", default="library")
INTEGRATIONS = ("library", "snippet")

#: Looks up the profile of an SPDX id (set by the engine), for following a relicensing clause one step.
RESOLVE: ContextVar[Callable[[str], Profile | None] | None] = ContextVar("licenselens_compat_resolve", default=None)
# Published versions of the license families that relicensing clauses name ("or any later version").
_VERSIONS = {"GPL": (2.0, 3.0), "LGPL": (2.1, 3.0), "AGPL": (3.0,)}

# Ranking used to pick the best OR option and the worst AND part.
RANK = {V.INCOMPATIBLE: 0, V.UNKNOWN: 1, V.CONDITIONAL: 2, V.COMPATIBLE: 3}


@dataclass
class Outcome:
    """The verdict of one pair, why, and what must be done when conditional.

    ``cause`` names the rule that decided an incompatibility (``copyleft``,
    ``restriction``, ``patent``, ``no-derivatives`` ...) so that exceptions
    (``WITH``) can lift exactly the obstacle they address.
    """

    verdict: CompatVerdict
    reasons: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    cause: str | None = None

    def lines(self) -> list[str]:
        return self.reasons + [f"must: {c}" for c in self.conditions]


def _same(inbound: Profile, outbound: Profile) -> bool:
    a, b = inbound.identity, outbound.identity
    if a.spdx and b.spdx and a.spdx == b.spdx:
        return True
    if a.text_hash and a.text_hash == b.text_hash:
        return True
    # GPL-3.0-only and GPL-3.0-or-later are one license text; only the version choice differs.
    return a.family is not None and a.family == b.family and a.version is not None and a.version == b.version


def _matches(relicense: Relicense, outbound: Profile) -> tuple[str, float, bool] | None:
    ident = outbound.identity
    if ident.family is None or ident.version is None:
        return None
    for family, version, later in relicense.targets:
        if family != ident.family:
            continue
        if abs(ident.version - version) < 1e-6 or (later and ident.version >= version):
            return family, version, later
    return None


def _restriction_label(kind: TermKind) -> str:
    return kind.value.removeprefix("restrict.")


def _via_relicensing(inbound: Profile, outbound: Profile) -> Outcome | None:
    """Follow one relicensing step: code that may go under license B, whose text permits combining with the outbound."""
    resolve = RESOLVE.get()
    if resolve is None:
        return None
    for relicense in inbound.relicense:
        if relicense.mode != "relicense":
            continue
        for family, version, later in relicense.targets:
            for candidate in _VERSIONS.get(family, ()):
                if candidate < version or (candidate != version and not later):
                    continue
                spdx = f"{family}-{candidate:.1f}-only"
                if spdx == inbound.identity.spdx:
                    continue
                step = resolve(spdx)
                if step is None:
                    continue
                for combine in step.relicense:
                    if combine.mode == "combine" and _matches(combine, outbound):
                        return Outcome(
                            V.CONDITIONAL,
                            [f"{inbound.label} may go under {spdx}: {relicense.citation}",
                             f"{spdx} expressly permits combining with {outbound.label}: {combine.citation}"],
                            [f"take the {inbound.label} code under {spdx}; each part keeps its own license"],
                        )
    return None


def _conflicting_restrictions(inbound: Profile, outbound: Profile) -> list[tuple[TermKind, Citation]]:
    """Restrictions of the inbound license that the outbound license does not carry itself in an operative clause."""
    out = []
    for kind, cites in inbound.restrictions.items():
        if not any(_operative(c) for c in outbound.restrictions.get(kind, [])):
            out.append((kind, cites[0]))
    return out


def _operative(citation: Citation) -> bool:
    """A clause that binds: a title or preamble states purposes, it does not carry a restriction."""
    return not citation.clause.split(".", 1)[0] in ("title", "preamble")


def _notice_conditions(inbound: Profile, outbound: Profile) -> tuple[list[str], list[str]]:
    """Conditions of the inbound license that survive in the combined work: (reasons, conditions)."""
    reasons: list[str] = []
    conditions: list[str] = []
    notice = inbound.condition(TermKind.COND_NOTICE)
    if notice:
        reasons.append(f"{inbound.label}'s notices must be kept with its part: {notice[0]}")
    attribution = inbound.condition(TermKind.COND_ATTRIBUTION)
    if attribution and TermKind.COND_ATTRIBUTION not in outbound.conditions:
        text = _mark(inbound.param(TermKind.COND_ATTRIBUTION, "text"))
        what = f'display "{text}"' if text else "keep the attribution notices (e.g. a NOTICE file) it requires"
        conditions.append(f"{what}, as {inbound.label} requires: {attribution[0]}")
    changes = inbound.condition(TermKind.COND_STATE_CHANGES)
    if changes and TermKind.COND_STATE_CHANGES not in outbound.conditions:
        conditions.append(f"mark the files you changed, as {inbound.label} requires: {changes[0]}")
    return reasons, conditions


def software(inbound: Profile, outbound: Profile) -> Outcome:
    """May code under ``inbound`` be part of a work distributed under ``outbound``?"""
    i, o = inbound.label, outbound.label
    if _same(inbound, outbound):
        if inbound.identity.or_later is False and outbound.identity.or_later:
            return Outcome(
                V.CONDITIONAL,
                [f"{i} and {o} are the same license, but {i} gives no 'or later' option"],
                [f"distribute the combined work under version {inbound.identity.version:g} only"],
            )
        return Outcome(V.COMPATIBLE, [f"{i} is the outbound license itself"])

    if not inbound.grants:
        return Outcome(V.UNKNOWN, [f"no grant of rights found in the text of {i}: nothing to combine under"], cause="no-grant")

    forbids = [
        (kind, cause, what)
        for kind, cause, what in (
            (TermKind.RESTRICT_NO_DERIVATIVES, "no-derivatives", "derived or combined works"),
            (TermKind.RESTRICT_NO_DISTRIBUTION, "no-distribution", "redistribution"),
        )
        if kind in inbound.restrictions and kind not in outbound.restrictions
    ]
    if forbids:
        reasons = [f"{i} forbids {what}: {inbound.restrictions[kind][0]}" for kind, _, what in forbids]
        # The other restrictions a reader must also clear are listed with their clauses.
        reasons += [
            f"{i} also restricts {_restriction_label(kind)}: {cite}"
            for kind, cite in _conflicting_restrictions(inbound, outbound)
            if kind not in {k for k, _, _ in forbids}
        ]
        return Outcome(V.INCOMPATIBLE, reasons, cause=forbids[0][1])

    # An explicit permission to switch to (or combine with) the outbound license decides.
    for relicense in inbound.relicense:
        target = _matches(relicense, outbound)
        if target is None:
            continue
        if relicense.mode == "relicense":
            return Outcome(
                V.CONDITIONAL,
                [f"{i} lets its code be distributed under {o}: {relicense.citation}"],
                [f"distribute the combined work under {o}"],
            )
        if relicense.mode == "secondary":
            return Outcome(
                V.CONDITIONAL,
                [f"{i} allows {o} only as a secondary license designated by the initial contributor: {relicense.citation}"],
                [f"the {i} code must carry the notice designating {o} as a secondary license (otherwise incompatible)",
                 f"distribute the combined work under {o}"],
            )
        return Outcome(
            V.CONDITIONAL,
            [f"{i} expressly permits combining with {o}: {relicense.citation}"],
            [f"each part keeps its own license; {i}'s terms keep applying to its part"],
        )

    via = _via_relicensing(inbound, outbound)
    if via is not None:
        return via

    # Work-wide copyleft decides before anything else: the combined work would have to be under it.
    # An outbound library copyleft covers the whole library that inbound files would become part of;
    # an inbound library may stay a separate library that the outbound work uses.
    covers_whole = outbound.copyleft is Scope.WORK or (
        outbound.copyleft is Scope.LIBRARY and inbound.copyleft is Scope.FILE
    )
    if inbound.copyleft is not Scope.NONE and (covers_whole or inbound.copyleft is Scope.WORK):
        cite = inbound.copyleft_citation
        if inbound.compatible_list_elsewhere is not None and outbound.copyleft is not Scope.NONE:
            return Outcome(
                V.UNKNOWN,
                [f"{i} lets a combination go out under a license from a list that is not part of its text: "
                 f"{inbound.compatible_list_elsewhere}; whether {o} is on it cannot be read here"],
                cause="copyleft",
            )
        if covers_whole:
            return Outcome(
                V.INCOMPATIBLE,
                [f"{i} is copyleft ({inbound.copyleft.value} scope) and keeps its code under {i}: {cite}; "
                 f"{o} requires the whole {'library' if outbound.copyleft is Scope.LIBRARY else 'work'} under {o}: {outbound.copyleft_citation}"],
                cause="copyleft",
            )
        return Outcome(
            V.INCOMPATIBLE,
            [f"{i} requires the whole combined work to be under {i}: {cite}; {o} is a different license"],
            cause="copyleft",
        )
    conflicts = _conflicting_restrictions(inbound, outbound)
    if conflicts:
        reasons = []
        for kind, cite in conflicts:
            if outbound.no_further_restrictions is not None:
                reasons.append(
                    f"{i} restricts {_restriction_label(kind)} ({KINDS[kind].description.rstrip('.').lower()}): {cite}; "
                    f"{o} forbids further restrictions: {outbound.no_further_restrictions}"
                )
            else:
                reasons.append(
                    f"{i} restricts {_restriction_label(kind)}: {cite}; {o} does not carry that restriction, "
                    f"so the combined work cannot be offered on {o}'s terms"
                )
        return Outcome(V.INCOMPATIBLE, reasons, cause="restriction")

    if inbound.copyleft is not Scope.NONE:
        cite = inbound.copyleft_citation
        part = "files" if inbound.copyleft is Scope.FILE else "library"
        if INTEGRATION.get() == "snippet":
            return Outcome(
                V.INCOMPATIBLE,
                [f"{i}'s copyleft covers its {part}: {cite}; copied into the work's own files, "
                 f"the code would put those files under {i}, not {o}"],
                cause="copyleft",
            )
        reasons, conditions = _notice_conditions(inbound, outbound)
        return Outcome(
            V.CONDITIONAL,
            [f"{i}'s copyleft covers only its {part}: {cite}"] + reasons,
            [f"keep the {i} {part} under {i} with its source offered; the rest may be under {o}"] + conditions,
        )

    if outbound.no_further_restrictions is not None and inbound.patent_termination is not None:
        if outbound.patent_termination is None:
            return Outcome(
                V.INCOMPATIBLE,
                [f"{i}'s patent termination is a further restriction: {inbound.patent_termination}; "
                 f"{o} forbids further restrictions: {outbound.no_further_restrictions}, "
                 f"and has no patent-retaliation term of its own"],
                cause="patent",
            )

    reasons, conditions = _notice_conditions(inbound, outbound)
    grant = next(iter(inbound.grants.values()))
    if inbound.restrictions:
        shared = ", ".join(_restriction_label(k) for k in inbound.restrictions)
        lead = f"{i} grants without copyleft, and {o} carries its restrictions ({shared}) too: {grant}"
    else:
        lead = f"{i} is permissive (grants without copyleft or restrictions): {grant}"
    if outbound.copyleft is Scope.WORK:
        lead += f"; the combined work goes out under {o}"
    if inbound.patent_termination is not None and outbound.patent_termination is not None:
        reasons.append(
            f"{i}'s patent termination ({inbound.patent_termination.clause}) matches {o}'s own: {outbound.patent_termination}"
        )
    return Outcome(V.CONDITIONAL if conditions else V.COMPATIBLE, [lead] + reasons, conditions)


# --- models -----------------------------------------------------------------------------------


def model(inbound: Profile, outbound: Profile) -> Outcome:
    """May a model derived from a model under ``inbound`` be released under ``outbound``?"""
    i, o = inbound.label, outbound.label
    if not inbound.grants:
        return Outcome(V.UNKNOWN, [f"no grant of rights found in the text of {i}"], cause="no-grant")
    for kind, what in ((TermKind.RESTRICT_NO_DERIVATIVES, "derived models"), (TermKind.RESTRICT_NO_DISTRIBUTION, "redistribution")):
        if kind in inbound.restrictions:
            return Outcome(V.INCOMPATIBLE, [f"{i} forbids {what}: {inbound.restrictions[kind][0]}"], cause=kind.value)

    flow = inbound.condition(TermKind.COND_FLOW_DOWN)
    same = _same(inbound, outbound)
    conditions: list[str] = []
    reasons: list[str] = []

    # Output bans: what the inbound model's outputs may not be used for.
    bans = list(dict.fromkeys(
        inbound.restrictions.get(TermKind.RESTRICT_OUTPUT_USE, []) + inbound.restrictions.get(TermKind.RESTRICT_COMPETITION, [])
    ))
    if same:
        reasons.append(f"the derived model is released under {i} itself")
        conditions = _model_conditions(inbound, bans)
        return Outcome(V.CONDITIONAL if conditions else V.COMPATIBLE, reasons, conditions)

    if inbound.restrictions:
        missing = _conflicting_restrictions(inbound, outbound)
        if missing or flow is None:
            for kind, cite in missing or [(k, c[0]) for k, c in inbound.restrictions.items()]:
                if kind in (TermKind.RESTRICT_OUTPUT_USE, TermKind.RESTRICT_COMPETITION):
                    continue
                for more in inbound.restrictions[kind][:_CITES_PER_KIND]:
                    reasons.append(f"{i}'s {_restriction_label(kind)} restriction follows the derived model: {more}")
            for url, cite in inbound.policies:
                reasons.append(f"{i} incorporates the use policy at {url}, which follows the derived model: {cite}")
            if flow:
                reasons.append(f"{i} requires its terms to accompany derivatives: {flow[0]}")
            for cite in bans:
                reasons.append(f"{i} bans uses of its outputs (training other models on them breaks it): {cite}")
            reasons.append(f"{o} does not carry these terms, so the derived model cannot be released under it")
            return Outcome(V.INCOMPATIBLE, reasons, cause="restriction")
        # The outbound license carries every restriction and passes them down (a RAIL-style
        # derivative license, or another copy of the same terms): the inbound conditions still apply.
        conditions = [
            f"keep {i}'s {_restriction_label(kind)} restriction in {o} as enforceable terms: {cites[0]}"
            for kind, cites in inbound.restrictions.items()
        ]
        conditions += [c for c in _model_conditions(inbound, bans) if "restriction keeps binding" not in c]
        return Outcome(V.CONDITIONAL, [f"{o} carries every use restriction of {i}"], conditions)

    # Without use restrictions, a flow-down clause passes on nothing beyond the notices.
    result = software(inbound, outbound)
    naming = inbound.condition(TermKind.COND_NAMING)
    if naming and result.verdict in (V.COMPATIBLE, V.CONDITIONAL):
        prefix = inbound.param(TermKind.COND_NAMING, "prefix")
        what = f'begin the derived model\'s name with "{prefix}"' if prefix else "follow the naming terms"
        result.conditions.append(f"{what}: {naming[0]}")
        result.verdict = V.CONDITIONAL
    return result


# Citations listed per restriction kind in a reason (AUP lists can be long).
_CITES_PER_KIND = 3


def _model_conditions(inbound: Profile, bans: list[Citation]) -> list[str]:
    """What a derived model released on the inbound terms must do: each condition with its clause."""
    i = inbound.label
    conditions: list[str] = []
    flow = inbound.condition(TermKind.COND_FLOW_DOWN)
    if flow:
        conditions.append(f"ship a copy of {i} with the derived model and bind recipients to it: {flow[0]}")
    for cite, params in _distinct(inbound.conditions.get(TermKind.COND_NAMING, [])):
        prefix = params.get("prefix")
        what = f'begin the derived model\'s name with "{prefix}"' if prefix else "name the derived model as required"
        conditions.append(f"{what}: {cite}")
    for cite, params in _distinct(inbound.conditions.get(TermKind.COND_ATTRIBUTION, [])):
        text = _mark(params.get("text")) or _quoted_mark(params.get("_text") or cite.evidence)
        what = f'display "{text}"' if text else "give the attribution required"
        conditions.append(f"{what}: {cite}")
    for url, cite in inbound.policies:
        conditions.append(f"the use policy at {url} binds the derived model and its users: {cite}")
    for kind, cites in inbound.restrictions.items():
        if kind in (TermKind.RESTRICT_OUTPUT_USE, TermKind.RESTRICT_COMPETITION):
            continue
        conditions.append(f"the {_restriction_label(kind)} restriction keeps binding the derived model and its users: {cites[0]}")
    for cite in bans:
        conditions.append(f"outputs of the model may not be used as this clause forbids (no distillation into other models): {cite}")
    return conditions


def _distinct(found: list[tuple[Citation, dict]]) -> list[tuple[Citation, dict]]:
    """One entry per clause, in the order given (most confident first)."""
    seen: set[str] = set()
    out = []
    for cite, params in found:
        if cite.clause not in seen:
            seen.add(cite.clause)
            out.append((cite, params))
    return out


def _mark(text: str | None) -> str | None:
    """A quoted attribution worth repeating ("Built with Llama"), not a file name ("NOTICE")."""
    text = " ".join(text.split()) if text else None
    return text if text and " " in text else None


def _quoted_mark(evidence: str) -> str | None:
    import re

    m = re.search(r"[\"\u201c]([^\"\u201d]{3,40})[\"\u201d]", evidence)
    return m.group(1) if m else None
