"""High-precision phrasings that raise a kind on top of the classifier.

A few constructions are rare in the training corpus, so a linear model trained
on a handful of families misses them in an unseen license, yet their wording
is unambiguous. Each pattern below is general legal phrasing (no license or
product names); when it matches a unit, the kind is predicted with at least
``PATTERN_CONFIDENCE``. They are applied identically in the held-out
evaluation (``benchmarks/classifier_eval.py``), so their effect is measured.
``VETOES`` work the other way for a kind the model over-predicts from a
single word: a unit that explicitly *permits* commercial use, and limits
nothing, is not a non-commercial restriction ("for any purpose, including
commercial purposes"); a steward's right to publish new versions of the
license is no unilateral change of the copy received; and a plain permission to the licensee with nothing
that limits, obliges, negates or excepts ("You may inspect, test and benchmark
the Software") is not a purpose, study, modify or share restriction.
"""

from __future__ import annotations

import re

from licenselens.taxonomy import TermKind

PATTERN_CONFIDENCE = 0.9

_Q = r"[\"\u201c\u201d']"

HIGH_PRECISION: dict[TermKind, tuple[re.Pattern[str], ...]] = {
    # "must include "X" at the beginning of any such model name", "must bear a name different from".
    TermKind.COND_NAMING: (
        re.compile(rf"\b(?:include|prefix|begin|start|contain)\w*\b[^.;]{{0,40}}{_Q}[^\"\u201c\u201d]{{1,40}}{_Q}[^.;]{{0,40}}\b(?:beginning|start|prefix)\b[^.;]{{0,60}}\bnames?\b", re.I),
        re.compile(r"\bmust (?:bear|carry|use|have) a (?:different )?name\b[^.;]{0,60}\bdifferent\b", re.I),
        re.compile(rf"\bmay not be called {_Q}", re.I),
    ),
    # AGPL-style: users interacting over a network must be offered the source.
    TermKind.COND_NETWORK_USE: (
        re.compile(r"\binteract\w*\b[^.;]{0,80}\b(?:remotely|(?:computer )?network)\b[^.]{0,200}\bsource\b", re.I),
        re.compile(r"\b(?:available|offer\w*|provid\w*) (?:to (?:third parties|others|the public) )?as a service\b[^.]{0,200}\bsource\b", re.I),
        re.compile(r"\bsource\b[^.]{0,200}\b(?:users|anyone) (?:who )?interact\w*\b[^.;]{0,60}\b(?:remotely|network)\b", re.I),
    ),
    # Exclusion by domicile or seat: "not granted to you if you are domiciled in ... the European Union".
    TermKind.RESTRICT_PERSONS: (
        # "located"/"resident" alone is the language of export law (info.export-control), not an exclusion.
        re.compile(r"\bnot\b[^.]{0,120}\b(?:domiciled|principal place of business|headquartered)\b[^.]{0,40}\bin\b", re.I),
        re.compile(r"\b(?:domiciled|principal place of business|headquartered) in\b[^.]{0,200}\b(?:not (?:being )?granted|not (?:permitted|allowed|licensed|authorized)|may not|excluded|does not apply to you)\b", re.I),
    ),
    # The licensor may change the terms or the policy ("Meta may update this Policy").
    TermKind.RESTRICT_UNILATERAL_CHANGE: (
        re.compile(
            r"(?<!\byou )(?<!\blicensee )\b(?:reserves? the right|may|can)(?: at any time)? (?:to )?(?:update|modify|change|amend|revise)\b"
            r"[^.]{0,40}\b(?:this|these|the|its) (?:policy|terms|agreement|license)",
            re.I,
        ),
        re.compile(r"\bmost recent (?:copy|version) of (?:this|the)\b", re.I),
    ),
    # A new license or approval must be asked for.
    TermKind.RESTRICT_PERMISSION_REQUIRED: (
        re.compile(
            r"\bmust (?:first )?(?:request|obtain|seek) (?:a |an |the )?(?:separate |commercial |written )?"
            r"(?:license|licence|permission|consent|approval)\b",
            re.I,
        ),
    ),
    TermKind.RESTRICT_REMOTE_CONTROL: (
        re.compile(r"\b(?:automatic|forced|mandatory) updates?\b", re.I),
        re.compile(r"\b(?:disable|deactivate|shut down)\b[^.]{0,60}\bremotely\b", re.I),
    ),
    TermKind.RESTRICT_REVOCABLE: (
        re.compile(r"\bfor any (?:reason )?or no reason\b[^.]{0,80}\b(?:terminat|revok|suspend)|\b(?:terminat|revok|suspend)\w*\b[^.]{0,80}\bfor any (?:reason )?or no reason\b", re.I),
    ),
}


VETOES: dict[TermKind, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # (explicit permission, limiting words that cancel the veto)
    TermKind.RESTRICT_NON_COMMERCIAL: (
        re.compile(
            r"\bincluding (?:for )?commercial\b|\bcommercial (?:use|purposes?|exploitation) (?:is|are) (?:hereby )?(?:permitted|allowed|granted)\b"
            r"|\bcommercial(?:ly)? (?:or|and) non-?commercial(?:ly)?\b|\bwhether (?:or not )?commercial\b",
            re.I,
        ),
        re.compile(r"\b(?:not|no|only|solely|exclusively|except|unless|without)\b|n't\b", re.I),
    ),
    # A steward that may publish new versions of the license changes no copy already received
    # ("The Free Software Foundation may publish revised and/or new versions of the GNU General
    # Public License from time to time"), unless the unit says the new version binds you.
    TermKind.RESTRICT_UNILATERAL_CHANGE: (
        re.compile(
            r"\b(?:publish|release|issue)\w* (?:revised|new|updated)(?: (?:and/or|and|or) (?:new|revised))? versions?(?: \([^)]{0,40}\))? of (?:this|the)\b"
            r"|\bnew versions? (?:will|shall) be similar in spirit\b",
            re.I,
        ),
        re.compile(r"\bbind\w*\b|\bappl(?:y|ies) to (?:you|your)\b|\bcontinued use\b|\bautomatically\b|\bsupersede\w*\b", re.I),
    ),
}


# A plain permission to the licensee ("You may inspect, test and benchmark the Software"),
# with nothing that limits, obliges, negates or excepts, restricts none of the licensee's freedoms.
_LICENSEE_MAY = re.compile(
    r"^(?:[^.;:]{0,40}\b)?(?:you|licensee|recipients?|users?|anyone)\s+(?:may|can|are (?:free|permitted|allowed|entitled) to)\b(?!\s+(?:not|be|only)\b)"
    r"|\bpermission is (?:hereby )?granted\b",
    re.I,
)
_ANY_LIMIT = re.compile(
    r"\b(?:not|no|never|nor|without|except|unless|only|solely|exclusively|must|shall|required?|provided|subject|if|"
    r"prohibit\w*|restrict\w*|limit\w*|consent|approval|terminat\w*|revo\w*|update[sd]? (?:this|the) (?:license|agreement|terms|policy)|non-?commercial\w*)\b|n't\b"
    r"|\bfor (?:\w+ )?(?:research|evaluation|personal|internal|academic|educational)(?: \w+)? (?:purposes?|use)\b",
    re.I,
)
PERMISSION_VETOES = frozenset(
    {
        TermKind.RESTRICT_FIELD_OF_USE, TermKind.RESTRICT_NON_COMMERCIAL, TermKind.RESTRICT_RESEARCH_ONLY,
        TermKind.RESTRICT_OUTPUT_USE, TermKind.RESTRICT_REMOTE_CONTROL, TermKind.RESTRICT_NO_DERIVATIVES,
        TermKind.RESTRICT_NO_DISTRIBUTION, TermKind.RESTRICT_NO_STUDY,
    }
)


def vetoed(text: str) -> set[TermKind]:
    """Kinds that the (normalized) unit text explicitly rules out."""
    out = {kind for kind, (allow, limit) in VETOES.items() if allow.search(text) and not limit.search(text)}
    if _LICENSEE_MAY.search(text) and not _ANY_LIMIT.search(text):
        out |= PERMISSION_VETOES
    return out


def raised(text: str) -> set[TermKind]:
    """Kinds whose high-precision phrasing occurs in the (normalized) unit text."""
    return {kind for kind, patterns in HIGH_PRECISION.items() if any(p.search(text) for p in patterns)}
