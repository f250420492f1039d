"""Reading a restriction's unit text: what it scopes, and whether it only restates the law.

These are general readings of English license language, not lookups of known
licenses.

**Scope.** A restriction on purposes (field of use, non-commercial, research
only, persons, competition) or on permission (user caps, prior approval,
revocation, unilateral change) always limits *use*: it is reported under USE.
It is also reported under MODIFY and under SHARE when the clause itself scopes
modification or distribution: a prohibition whose verbs include modifying
("you may not use, modify or distribute the Software for military purposes"),
a grant limited to a purpose ("you may reproduce and Share ... for
NonCommercial purposes only"), a list item under such a lead-in, or a clause
that withholds all rights of the license ("you are not authorized to exercise
any of the rights under this Agreement"). A prohibited-use list whose lead-in
only says "use" stays a USE finding.

**Law only.** "You may not use the Software to violate applicable law"
forbids nothing the law does not already forbid: the unit is reported at
``info`` with the reason "restates the law". The test: the unit names a breach
of law (violate/breach/contravene ... law or regulation, illegal, unlawful,
criminal activity) and, once that phrase and the usual scaffolding of a
prohibition (you may not use the work to ...) are removed, nothing
substantive is left.
"""

from __future__ import annotations

import re
from functools import lru_cache

from licenselens.taxonomy import Freedom

_DEONTIC = (
    r"(?:may\s+not|shall\s+not|will\s+not|must\s+not|cannot|can\s*not|can't|won't|"
    r"not\s+(?:be\s+)?(?:permitted|allowed|authori[sz]ed)\s+to|prohibited\s+from|"
    r"agree\s+not\s+to|not\s+to|no\s+right\s+to|not\s+be|is\s+not\s+granted|are\s+not\s+granted|"
    r"do(?:es)?\s+not\s+grant)"
)

_VERBS = {
    Freedom.MODIFY: (
        r"(?:modif(?:y|ies|ied|ying)|make\s+modifications|adapt(?:s|ed|ing)?|alter(?:s|ed|ing)?|"
        r"fine[- ]?tun\w*|translat\w*|remix\w*|(?:create|make|prepare|produce)s?\s+(?:any\s+)?"
        r"derivative(?:\s+works?)?(?:\s+(?:of|based\s+(?:on|upon)))?|derivative\s+works?\s+of|merge\w*|transform\w*|build\s+upon)"
    ),
    Freedom.SHARE: (
        r"(?:distribut(?:e|es|ed|ing)|redistribut(?:e|es|ed|ing)|shar(?:e|es|ed|ing)|publish(?:es|ed|ing)?|"
        r"sublicens(?:e|es|ed|ing)|convey(?:s|ed|ing)?|"
        r"make\s+(?:\w+\s+){0,3}available|making\s+(?:\w+\s+){0,3}available|sell\w*|resell\w*|"
        r"rent\w*|leas(?:e|es|ed|ing)|lend\w*|transfer\w*|host\w*\s+(?:as\s+)?a\s+service|"
        r"provide\s+(?:\w+\s+){0,3}(?:to\s+third\s+parties|as\s+a\s+service))"
    ),
}

# "you are not authorized to exercise any of the rights under this Agreement"
_ALL_RIGHTS = re.compile(
    r"\b(?:any|all|none)\s+of\s+the\s+rights\b|\brights\s+(?:granted|under\s+this)\b|\bthis\s+license\s+(?:does\s+not|shall\s+not)\s+apply",
    re.IGNORECASE,
)

_WORK_START = r"(?:the|any|this|these|such|its|it|them|all|each|copies|software|model|work|materials?|covered)\b"

_WINDOW = 90


# An action, and a list of them: "use, copy, modify or distribute".
_ACTION = rf"\b(?:{_VERBS[Freedom.MODIFY]}|{_VERBS[Freedom.SHARE]}|use|copy|reproduce|run|deploy|access|install|exploit|execute|display|perform)\b"
_LIST = rf"{_ACTION}(?:(?:\s*,\s*|\s*,?\s+(?:or|and|and/or)\s+){_ACTION})*"
_LIST_RE = re.compile(_LIST, re.IGNORECASE)
# What may follow a list of actions that governs the work: the work itself ("distribute the
# Software"), or nothing more (passive "may not be distributed except ..."); "publish benchmark
# results" governs something else.
_OBJECT_AFTER = re.compile(
    rf"\s+(?:of\s+|to\s+)?{_WORK_START}|\s*(?:$|[,)]|\b(?:except|without|unless|for|by|in|to|under|outside|other\s+than|or\s+otherwise)\b)",
    re.IGNORECASE,
)
# The unit opens with a list of verbs before the work it governs: "use, modify, or distribute the Software ..."
_LEADING_LIST = re.compile(
    rf"^\W*(?:\(?[a-z0-9]{{1,4}}[.)]\s+)?({_LIST})\s+(?:of\s+)?{_WORK_START}",
    re.IGNORECASE,
)
_LEADING_VERBS = {f: re.compile(rf"\b{_VERBS[f]}", re.IGNORECASE) for f in _VERBS}
_ANY_DEONTIC = re.compile(rf"\b{_DEONTIC}\b", re.IGNORECASE)
_ONLY = re.compile(r"\b(?:only|solely|exclusively)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:](?=\s|$)")


@lru_cache(maxsize=4096)
def _prohibits(freedom: Freedom, text: str) -> bool:
    """A prohibition ("may not", "shall not", ...) followed, in the same sentence, by a list of
    actions that includes one of ``freedom`` and governs the work."""
    if not _LEADING_VERBS[freedom].search(text):  # cheap test first: most units name no such action
        return False
    for d in _ANY_DEONTIC.finditer(text):
        window = text[d.end() : d.end() + _WINDOW + 80]
        stop = _CLAUSE_END.search(window)
        window = window[: stop.start()] if stop else window
        if not _LEADING_VERBS[freedom].search(window):
            continue
        for m in _LIST_RE.finditer(window):
            if m.start() > _WINDOW:
                break
            if _LEADING_VERBS[freedom].search(m.group(0)) and _OBJECT_AFTER.match(window, m.end()):
                return True
    return False


def scopes(freedom: Freedom, unit: str, lead_ins: list[str]) -> bool:
    """Whether a purpose or permission restriction in ``unit`` also scopes ``freedom``
    (MODIFY or SHARE); see the module documentation."""
    if freedom not in _VERBS:
        return False
    if _prohibits(freedom, unit) or _ALL_RIGHTS.search(unit):
        return True
    # A grant limited to a purpose: "may Share ... for NonCommercial purposes only".
    if _ONLY.search(unit) and re.search(rf"\b{_VERBS[freedom]}", unit, re.IGNORECASE):
        return True
    leading = _LEADING_LIST.search(unit[:300])
    if leading and _LEADING_VERBS[freedom].search(leading.group(1)) and any(_ANY_DEONTIC.search(lead) for lead in lead_ins[:3]):
        return True
    # The nearest lead-ins ("You may not use, modify or distribute the Software:").
    return any(_prohibits(freedom, lead) or _ALL_RIGHTS.search(lead) for lead in lead_ins[:3])


_LAW = re.compile(
    r"(?:\b(?:violat\w*|breach\w*|contraven\w*|infring\w*|in\s+violation\s+of|contrary\s+to|not\s+in\s+compliance\s+with)"
    r"\s+(?:of\s+)?(?:any\s+|all\s+|the\s+)?(?:applicable\s+|relevant\s+)?"
    r"(?:[\w-]+,?\s+(?:or\s+|and\s+)?){0,8}?(?:laws?|regulations?|statutes?|rules?|legislation)\b"
    r"(?:\s+(?:or|and)\s+(?:regulations?|rules?|laws?))?"
    r"|\b(?:illegal|unlawful|criminal|illicit)\b(?:\s+(?:activit(?:y|ies)|purposes?|acts?|conduct|content|uses?|manner|ways?))?)",
    re.IGNORECASE,
)

_NAMED_LAW = re.compile(r"\b(?:[\w-]+\s+){0,3}(?:laws?|regulations?|statutes?|acts?)\b", re.IGNORECASE)

_SCAFFOLD = set(
    """
    a an the any all this that these those such its it them you your licensee user users
    may might shall will must not no never cannot can agree to be being been is are was
    used use using uses in on for of by with as or and nor any way ways manner purpose purposes
    other others otherwise applicable relevant which what whatsoever thereof herein hereunder
    software model models work works materials material program licensed covered product products
    services service derivative derivatives output outputs including without limitation e g i
    allow permit others anyone third party parties engage activity activities conduct do
    rights right person persons including
    """.split()
)


def restates_law(unit: str) -> bool:
    """True when ``unit`` forbids only what the law already forbids; see the module documentation."""
    if not _LAW.search(unit):
        return False
    rest = _LAW.sub(" ", unit)
    # Laws named after the breach ("including export control laws") are still the law.
    rest = _NAMED_LAW.sub(" ", rest)
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", rest)]
    substantive = [w for w in words if w not in _SCAFFOLD and len(w) > 2]
    return not substantive
