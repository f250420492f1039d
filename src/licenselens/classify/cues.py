"""Tokens and deontic cues: a blank English spaCy tokenizer plus our own matchers.

No pretrained pipeline is used: the tokenizer is built directly from spaCy's
English punctuation rules and exceptions, and cues are token patterns over the
lower-cased text. A cue is a phrase that signals what a unit does ("may not",
"without prior written consent", "monthly active users", "reverse engineer");
the classifier sees cue ids as features, together with whether the cue stands
in the scope of a negation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from licenselens.classify.spacy_import import import_spacy

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Cue:
    """One cue found in a unit: its id, token span and negation scope."""

    id: str
    start: int  # token index
    end: int  # token index, exclusive
    negated: bool


# Cue id -> phrases. Kept general: no license names, only the language of licensing.
CUE_PHRASES: dict[str, list[str]] = {
    # Deontic modality
    "prohibit-modal": [
        "may|shall|must|will|can|should not",
        "may|shall|must|will|can|do|does n't",
        "cannot",
        "shall|will|must|may|can not be",
        "is|are not permitted|allowed|authorized|licensed",
    ],
    "agree-not": [
        "agree not to",
        "agree|agrees that you|licensee|it will|shall not",
        "agree you will not",
        "you will|shall|must|may not",
        "you are not allowed|permitted|authorized|licensed",
        "do not",
        "refrain from",
    ],
    "prohibited": ["prohibited", "forbidden", "prohibit", "prohibits", "restricted", "banned", "disallowed"],
    "obligation": ["must", "shall", "required to", "is required", "are required", "agree to", "undertake to", "responsible for"],
    "permission": ["may", "is permitted", "are permitted", "you can", "is allowed", "are allowed", "free to"],
    "provided-that": ["provided that", "provided , that", "subject to", "on condition that", "conditions :", "as long as", "so long as", "if you"],
    "grant": [
        "hereby grant|grants",
        "is|are hereby granted",
        "grants you|licensee",
        "grant you|licensee",
        "licensor grants",
        "permission is granted",
        "are granted",
        "is granted",
    ],
    "royalty-free": ["royalty-free", "royalty free", "free of charge", "no-charge", "without restriction"],
    "worldwide": ["worldwide", "world-wide", "perpetual", "irrevocable"],
    # Permission / approval
    "prior-consent": [
        "without * prior|express|explicit * written consent|approval|permission|authorization|license",
        "without the prior * consent|approval|permission",
        "prior written consent|approval|permission|authorization",
        "express written consent|permission|approval",
        "written permission",
        "must|shall request|obtain|seek * license|permission|approval|consent",
        "request a license",
        "apply for a license",
        "subject to * approval",
        "must register",
        "registration",
    ],
    "consent-word": ["consent", "approval", "authorization", "permission"],
    "sole-discretion": ["in|at its|our|their sole * discretion", "sole and absolute discretion", "in its discretion"],
    # Purpose and audience limits
    "only-for": ["only for", "solely for", "exclusively for", "purposes only", "use only", "only to", "only be used", "limited to"],
    # "non-commercial" limits the purpose; a bare "commercial use" may as well grant it.
    "non-commercial": [
        "non-commercial", "noncommercial", "non commercial", "not-for-profit", "nonprofit", "non-profit",
        "not for commercial", "not for profit", "no commercial", "not commercially",
        "not primarily intended for or directed towards commercial",
    ],
    "commercial": [
        "commercial use|purpose|purposes|advantage|product|products|service|services|activity|activities|application|applications",
        "commercially", "monetary compensation", "for profit", "for-profit", "sell", "sale", "revenue-generating",
    ],
    "commercial-permitted": [
        "including commercial", "including for commercial", "commercial or non-commercial",
        "commercial and non-commercial", "commercial use is permitted", "commercial use is allowed",
        "for any purpose",
    ],
    "research": [
        "research", "academic", "evaluation", "evaluate", "non-production", "personal use",
        "educational", "scientific", "experimental", "testing purposes", "internal evaluation",
    ],
    "except-as": ["except as", "except for", "except that", "except to the extent", "unless", "other than", "except"],
    # Revocation and change
    "may-terminate": [
        "may|can|reserves the right to terminate|revoke|suspend|cancel",
        "may immediately terminate",
        "right to terminate|revoke|suspend",
        "terminate|revoke * license|agreement|rights|access",
        "revocable",
    ],
    "irrevocable": ["irrevocable", "non-revocable", "nonrevocable"],
    "at-any-time": ["at any time", "for any reason", "for any or no reason", "with or without cause", "without cause", "without notice", "without reason"],
    "from-time-to-time": ["from time to time", "as updated", "as amended", "as may be updated", "as revised"],
    "may-update": [
        "may|can|reserves the right to update|modify|change|amend|revise|replace",
        "right to update|modify|change|amend|revise",
        "update|updates|modify|modifies|amend|amends|revise|revises this|the policy|agreement|license|terms",
        "updated|modified|amended|revised version",
        "new versions",
    ],
    "breach": [
        "breach", "breaches", "fail to comply", "fails to comply", "failure to comply", "in violation of",
        "violate any", "violates any", "non-compliance", "noncompliance", "automatically terminate", "terminate automatically",
    ],
    "remote": ["remotely", "restrict * usage|use|access", "install * updates", "latest version", "disable", "kill switch"],
    # Study, modify, share
    "reverse-engineer": [
        "reverse engineer", "reverse-engineer", "reverse engineering", "reverse-engineering",
        "decompile", "decompiling", "disassemble", "disassembling", "derive the source",
        "discover the source", "extract the weights", "benchmark", "benchmarks", "inspect", "inspection",
    ],
    "derivative": ["derivative works", "derivative work", "derivatives", "adaptations", "adapted material", "modifications", "modified versions", "fine-tune", "fine-tuning", "modify", "adapt", "alter", "translate"],
    "no-derivatives": ["no derivatives", "noderivatives", "no derivative", "not modify", "not alter", "not create derivative", "not adapt"],
    "distribute": ["distribute", "redistribute", "redistribution", "distribution", "sublicense", "publish", "make available", "convey", "share", "rent", "lease", "lend", "transfer"],
    "internal": ["internal use", "internal business", "internal purposes", "internally", "within your organization", "your own internal"],
    "reproduce": ["copy", "copies", "reproduce", "reproduction"],
    "use-verb": ["use", "run", "execute", "deploy", "deal in", "perform", "display"],
    # Competition and outputs
    "compete": ["compete", "competes", "competing", "competitive", "competitor", "competitors", "substitute for", "substantially similar"],
    "improve-other": [
        "improve any other",
        "improve other",
        "train * other|another|any|competing * model|models|llm|llms",
        "develop * other|another|competing * model|models",
        "large language model",
        "large language models",
        "foundation model",
        "to create|develop|train|improve",
    ],
    "output": ["output", "outputs", "generated", "generations", "results", "content generated", "synthetic data", "model output"],
    # Thresholds
    "user-count": [
        "monthly active users", "monthly active user", "daily active users", "active users", "end users",
        "annual revenue", "revenue", "revenues", "gross revenue", "employees", "headcount", "head count",
        "users", "turnover", "market capitalization",
    ],
    "big-number": ["million", "billion", "thousand", "hundred"],
    # Persons and regions
    "persons": [
        "individuals", "person", "persons", "entity", "entities", "company", "companies", "organization",
        "organizations", "government", "governments", "agency", "agencies", "domiciled", "resident",
        "residents", "citizens", "located in", "based in", "incorporated", "military", "law enforcement",
    ],
    "region": [
        "european union", "eu", "china", "people 's republic of china", "prc", "russia", "russian federation",
        "iran", "north korea", "cuba", "syria", "crimea", "united states", "usa", "u.s.", "united kingdom",
        "india", "japan", "korea", "belarus", "venezuela", "sudan", "hong kong", "macau", "taiwan",
        "country", "countries", "jurisdiction", "territory", "territories", "region", "regions",
    ],
    # Fields of use
    "harm": [
        "military", "weapon", "weapons", "warfare", "nuclear", "surveillance", "harm", "harming", "harmful",
        "discriminate", "discrimination", "discriminatory", "illegal", "unlawful", "violence", "violent",
        "exploit", "exploiting", "defamatory", "harass", "harassment", "disinformation", "misinformation",
        "evil", "torture", "human rights", "terrorism", "fraud", "fraudulent", "spam", "malware",
        "child", "minors", "abuse", "hateful", "impersonate", "medical advice", "biometric", "profiling",
        "criminal", "explosives", "drugs", "self-harm", "trafficking", "genocide", "fossil fuel", "predict",
    ],
    "law": ["applicable law", "applicable laws", "law", "laws", "regulation", "regulations", "legal"],
    "comply": ["comply with", "compliance with", "in accordance with", "abide by", "adhere to", "conform to"],
    "policy": ["policy", "acceptable use", "use restrictions", "use-based restrictions", "attachment a", "paragraph 5", "incorporated by reference", "incorporated herein"],
    # Conditions
    "notice": [
        "copyright notice", "copyright notices", "permission notice", "this notice", "notice file",
        "retain", "keep intact", "a copy of this license", "copy of this agreement", "copy of the license",
        "above copyright", "attribution notices", "license notice", "notices",
    ],
    "attribution": ["built with", "powered by", "attribution", "credit", "acknowledge", "acknowledgment", "acknowledgement", "prominently display", "cite"],
    "state-changes": ["prominent notices", "stating that you changed", "you changed the files", "date of any change", "indicate if changes", "modified files", "state changes"],
    "source": ["source code", "corresponding source", "source form", "complete source", "machine-readable", "installation information", "make the source"],
    "same-license": [
        "under the terms of this license", "under this license", "same license", "share alike", "sharealike",
        "share-alike", "under the same terms", "further restrictions", "this license or any later version",
        "license the entire work", "covered work", "same terms", "licensed under the terms",
        "compatible license", "gnu general public license",
    ],
    "network": ["network", "remote interaction", "interacting with it remotely", "over a computer network", "network server", "saas"],
    "naming": ["name", "names", "at the beginning", "prefix", "model name", "product name", "naming"],
    "trademark": ["trademark", "trademarks", "trade names", "service marks", "logos", "endorse", "promote products", "brand"],
    # Neutral boilerplate
    "warranty": ["as is", "\" as is \"", "without warranty", "without warranties", "merchantability", "fitness for a particular purpose", "non-infringement", "noninfringement", "warranties", "warranty"],
    "liability": ["liable", "liability", "damages", "consequential", "incidental", "lost profits", "in no event"],
    "indemnity": ["indemnify", "indemnification", "hold harmless", "defend", "indemnity"],
    "governing-law": ["governed by", "governing law", "laws of", "jurisdiction", "courts of", "venue", "construed in accordance", "arbitration", "exclusive jurisdiction", "choice of law"],
    "acceptance": ["by using", "by clicking", "by downloading", "by accessing", "by exercising", "you accept", "you agree to be bound", "acceptance", "accept and agree", "deemed to have accepted", "click"],
    "export": ["export", "exports", "re-export", "export control", "export controls", "sanctions", "sanctioned", "embargoed", "trade control", "denied party"],
    "definition": ["means", "shall mean", "refers to", "is defined as", "includes", "for purposes of this", "as used herein"],
    "non-transferable": ["non-transferable", "nontransferable", "non-exclusive", "nonexclusive", "non-sublicensable", "not transferable", "personal license", "limited license"],
    "patent": ["patent", "patents", "patent license", "patent claims", "patent infringement", "patent litigation"],
    "litigation": ["institute", "initiate", "litigation", "lawsuit", "cross-claim", "counterclaim", "files a lawsuit", "proceeding"],
    "terminate": ["terminate", "terminates", "terminated", "termination", "cease", "end"],
}

# Tokens that open a negation scope; the scope runs to the next clause punctuation.
NEGATORS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without", "cannot", "none", "nothing", "prohibited", "except"})
SCOPE_BREAKS = frozenset({",", ";", ":", ".", "(", ")", "!", "?"})


@dataclass
class Reading:
    """A tokenized unit: the spaCy doc, lower-cased tokens, negation scope and cues."""

    doc: Doc
    lowers: list[str]
    scope: list[bool]
    cues: list[Cue]


def _expand(phrase: str) -> list[str]:
    """Literal phrases of a phrase with alternatives: 'may|shall not' -> 'may not', 'shall not'."""
    out = [""]
    for word in phrase.split():
        out = [f"{head} {alt}".strip() for head in out for alt in word.split("|")]
    return out


def _english_tokenizer():
    """Build spaCy's English tokenizer directly, without the language registry's entry-point scan."""
    import_spacy()
    from spacy.attrs import LOWER
    from spacy.lang.en import English
    from spacy.lang.lex_attrs import LEX_ATTRS
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import Vocab

    defaults = English.Defaults
    # Units are tokenized lower-cased (see CueFinder.read), so the upper- and title-case
    # variants of the special cases ("Don't", "DON'T") are never needed: half the setup time.
    rules = {text: tokens for text, tokens in defaults.tokenizer_exceptions.items() if text == text.lower()}
    # Lexemes get only the attribute that is read: the matchers match on LOWER, features read the
    # token text. Every other getter (NORM, SHAPE, IS_*, LIKE_NUM, ...) would run once per new word
    # for nothing, and that is most of the tokenizer's time on a cold run.
    vocab = Vocab(lex_attr_getters={LOWER: LEX_ATTRS[LOWER]})
    return Tokenizer(
        vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(defaults.prefixes).search,
        suffix_search=compile_suffix_regex(defaults.suffixes).search,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


class CueFinder:
    """The spaCy tokenizer and the cue matcher, built once per process."""

    def __init__(self) -> None:
        self.tokenizer = _english_tokenizer()  # imports spaCy first
        from spacy.matcher import Matcher, PhraseMatcher

        self.vocab = self.tokenizer.vocab
        # Literal phrases go to the hash-based PhraseMatcher; only patterns with
        # alternatives or optional tokens need the (slower) token Matcher.
        self.matcher = Matcher(self.vocab)
        self.phrases = PhraseMatcher(self.vocab, attr="LOWER")
        # For each token pattern, the words each of its required tokens may be: a unit
        # lacking one of them cannot match it, and most units then skip the token Matcher.
        self.required: list[list[frozenset[str]]] = []
        for cue_id, phrases in CUE_PHRASES.items():
            literal = [x for p in phrases if " * " not in p and not p.startswith("* ") for x in _expand(p)]
            patterned = [p for p in phrases if " * " in p or p.startswith("* ")]
            if literal:
                self.phrases.add(cue_id, [self.tokenizer(p) for p in literal])
            if patterned:
                patterns = [self._pattern(p) for p in patterned]
                self.matcher.add(cue_id, patterns)
                self.required += [_required_words(pattern) for pattern in patterns]

    def _pattern(self, phrase: str) -> list[dict]:
        """Token pattern for a lower-case phrase: '*' is one optional token, 'a|b' alternatives."""
        pattern: list[dict] = []
        for word in phrase.split():
            if word == "*":
                pattern.append({"OP": "?"})
            elif "|" in word:
                pattern.append({"LOWER": {"IN": word.split("|")}})
            else:
                # The tokenizer's own split decides the token boundaries ("non-commercial" is three).
                pattern.extend({"LOWER": t.lower_} for t in self.tokenizer(word))
        return pattern

    def doc(self, text: str) -> Doc:
        """Tokenize ``text`` (no other pipeline components)."""
        return self.tokenizer(text)

    def read(self, text: str) -> Reading:
        """Tokenize ``text`` (lower-cased: cues and features ignore case) and find its cues and negation scope."""
        doc = self.tokenizer(text.lower())
        lowers = [t.text for t in doc]
        scope = negation_scope(lowers)
        return Reading(doc, lowers, scope, self.cues(doc, scope, lowers))

    def cues(self, doc: Doc, scope: list[bool] | None = None, lowers: list[str] | None = None) -> list[Cue]:
        """All cues of ``doc``, in token order, each marked when a negator governs it."""
        if lowers is None:
            lowers = [t.lower_ for t in doc]
        if scope is None:
            scope = negation_scope(lowers)
        found: list[Cue] = []
        strings = self.vocab.strings
        words = set(lowers)
        possible = any(all(words & alternatives for alternatives in need) for need in self.required)
        for match_id, start, end in [*(self.matcher(doc) if possible else ()), *self.phrases(doc)]:
            cue_id = strings[match_id]
            found.append(Cue(cue_id, start, end, any(scope[start:end])))
        found.sort(key=lambda c: (c.start, c.end, c.id))
        return found


def _required_words(pattern: list[dict]) -> list[frozenset[str]]:
    """The lower-case words each non-optional token of a Matcher pattern may be."""
    need = []
    for token in pattern:
        if "OP" in token:
            continue
        lower = token["LOWER"]
        need.append(frozenset(lower["IN"]) if isinstance(lower, dict) else frozenset([lower]))
    return need


def negation_scope(lowers: list[str]) -> list[bool]:
    """For each (lower-cased) token, whether it follows a negator within the same clause part."""
    flags = [False] * len(lowers)
    active = False
    for i, lower in enumerate(lowers):
        if lower in SCOPE_BREAKS:
            active = False
            continue
        flags[i] = active
        if lower in NEGATORS:
            active = True
    return flags


@cache
def cue_finder() -> CueFinder:
    """The process-wide tokenizer and matcher (spaCy is imported here, lazily)."""
    return CueFinder()
