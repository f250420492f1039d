"""What a license's terms mean for combining it with others: its compatibility profile.

A profile is read from an ``Analysis`` (the terms the classifier found, each
with its clause and span) plus a few readings of the clause text that only
compatibility needs: the scope of copyleft (file, library, whole work), the
"no further restrictions" clause, and the clauses that let a recipient switch
to another license (secondary licenses, "any later version", LGPL to GPL,
explicit permission to combine with a named license). Every fact in a profile
keeps the clause that states it, so every reason can cite it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from licenselens.model import Analysis, Clause, Term
from licenselens.taxonomy import RESTRICTIONS, TermKind

# Longest quoted evidence in a reason; a reason is one readable line.
_EVIDENCE_CHARS = 160


@dataclass(frozen=True)
class Citation:
    """The clause, line and words of a license that state a fact."""

    license: str
    clause: str
    line: int
    evidence: str

    def __str__(self) -> str:
        return f'{self.license} clause {self.clause} (line {self.line}): "{self.evidence}"'


class Scope(StrEnum):
    """How far copyleft reaches."""

    NONE = "none"
    FILE = "file"  # MPL, EPL: the licensed files stay under the license, the larger work may not.
    LIBRARY = "library"  # LGPL: the library stays under the license, works using it may not.
    WORK = "work"  # GPL, AGPL: the whole combined work.


@dataclass(frozen=True)
class Identity:
    """Which license this is, as far as naming goes: family and version, when the text or id tells."""

    label: str
    spdx: str | None = None
    family: str | None = None  # "GPL", "LGPL", "AGPL", "MPL", "EPL", ... when known
    version: float | None = None
    or_later: bool = False
    text_hash: str | None = None


@dataclass(frozen=True)
class Relicense:
    """A clause that lets a recipient distribute under (or combine with) other licenses.

    ``targets`` are (family, minimum version, or-later) tuples; ``mode`` is
    ``relicense`` (the work may go out under the target), ``combine`` (may be
    combined with the target, each part keeping its license) or ``secondary``
    (needs the licensor's designation, as EPL-2.0 Exhibit A).
    """

    targets: tuple[tuple[str, float, bool], ...]
    mode: str
    citation: Citation


@dataclass
class Profile:
    """Compatibility-relevant facts of one license, each with its citation."""

    identity: Identity
    analysis: Analysis | None = None
    grants: dict[TermKind, Citation] = field(default_factory=dict)
    conditions: dict[TermKind, list[tuple[Citation, dict]]] = field(default_factory=dict)
    restrictions: dict[TermKind, list[Citation]] = field(default_factory=dict)
    copyleft: Scope = Scope.NONE
    copyleft_citation: Citation | None = None
    no_further_restrictions: Citation | None = None
    patent_termination: Citation | None = None
    relicense: list[Relicense] = field(default_factory=list)
    policies: list[tuple[str, Citation]] = field(default_factory=list)  # referenced use policies (URL, clause)
    # A compatibility clause whose list of licenses lives outside the text (EUPL's appendix).
    compatible_list_elsewhere: Citation | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.identity.label

    @property
    def permissive(self) -> bool:
        """Grants without copyleft or restrictions."""
        return self.copyleft is Scope.NONE and not self.restrictions

    def condition(self, kind: TermKind) -> tuple[Citation, dict] | None:
        """The most confident clause stating a condition of ``kind``."""
        found = self.conditions.get(kind)
        return found[0] if found else None

    def param(self, kind: TermKind, name: str) -> str | None:
        """The first value of parameter ``name`` among the terms of ``kind``."""
        for _, params in self.conditions.get(kind, []):
            if params.get(name):
                return str(params[name])
        return None


# --- reading the text -----------------------------------------------------------------

_WS = re.compile(r"\s+")
_NO_FURTHER = re.compile(
    r"(?:may|shall|must)\s+not\s+(?:impose|add|(?:offer\s+or\s+)?impose\s+any|attempt\s+to\s+(?:alter|limit)\s+or\s+(?:restrict|alter|limit))"
    r"[^.;]{0,60}?(?:further\s+restrictions?|additional\s+restrictions?|additional\s+or\s+different\s+terms|recipients'?\s+rights)",
    re.I,
)
_FILE_SCOPE = re.compile(
    r"\blarger\s+work\b|terms\s+of\s+your\s+choice|separate\s+(?:file|module)s?\b|\bon\s+a\s+file[- ]by[- ]file\b"
    r"|\bfile[- ]level\b|\bsame\s+file\b",
    re.I,
)
_LIBRARY_SCOPE = re.compile(
    r"[\"\u201c]Combined\s+Work[\"\u201d]|work\s+that\s+uses\s+the\s+Library|\blink(?:ed|ing)?\s+(?:with|to|against)\s+the\s+Library"
)
# A clause that requires derived or combined works to go out under this license.
_REQUIRES_SAME = re.compile(
    r"\b(?:must|shall|will)\b[^.;]{0,240}?\b(?:under|governed\s+by)\s+(?:the\s+(?:terms|conditions)\s+of\s+)?"
    r"this\s+(?:License|Licence|Agreement)\b"
    r"|\bare\s+governed\s+by\s+(?:the\s+terms\s+of\s+)?this\s+(?:License|Licence)\b"
    r"|license\s+the\s+entire\s+work|same\s+License\s+Elements|under\s+the\s+same\s+(?:license|terms)",
    re.I,
)
# A lead-in offering alternatives ("provided that you do at least one of the following").
_ALTERNATIVES = re.compile(r"\bone\s+of\s+the\s+following\b|\bany\s+of\s+the\s+following\s+options\b", re.I)
_WORK_SCOPE = re.compile(
    r"work\s+as\s+a\s+whole|entire\s+work|whole\s+of\s+the\s+work|work\s+based\s+on\s+the\s+program|"
    r"covered\s+work|derived\s+from\s+the\s+program|\bthe\s+whole\b",
    re.I,
)
_LATER_VERSION = re.compile(r"(?:or\s+\(at\s+your\s+option\)\s+|or\s+)any\s+later\s+version", re.I)
_SECONDARY_DEF = re.compile(r"[\"\u201c]?secondary\s+licen[cs]es?[\"\u201d]?\s+means\b(?P<body>[^\n]{0,400})", re.I)
_LGPL_TO_GPL = re.compile(
    r"opt\s+to\s+apply\s+the\s+terms\s+of\s+the\s+ordinary\s+GNU\s+General\s+Public\s+License"
    r"|incorporates\s+the\s+terms\s+and\s+conditions\s+of\s+version\s+(?P<v>\d)\s+of\s+the\s+GNU\s+General\s+Public\s+License",
    re.I,
)
_COMBINE_WITH = re.compile(
    r"permission\s+to\s+link\s+or\s+combine\s+any\s+covered\s+work\s+with\s+a\s+work\s+licensed\s+under\s+"
    r"version\s+(?P<v>\d)\s+of\s+the\s+GNU\s+(?P<name>Affero\s+General|General)\s+Public\s+License",
    re.I,
)
_RELICENSE_UNDER = re.compile(
    r"(?:may|can)\s+(?:also\s+)?(?:re-?license|redistribute|distribute|convey|sublicense)[^.;]{0,80}?\bunder\s+"
    r"(?:the\s+terms\s+of\s+)?(?P<name>(?:the\s+)?(?:GNU\s+(?:Affero\s+|Lesser\s+|Library\s+)?General\s+Public\s+License|"
    r"Apache\s+License|MIT\s+License|Mozilla\s+Public\s+License|Eclipse\s+Public\s+License)[^.;]{0,80})",
    re.I,
)
_COMPATIBLE_LIST = re.compile(
    r"Compatible\s+Licen[cs]e[^.]{0,40}?\brefers\s+to\s+the\s+licen[cs]es\s+listed\s+in\s+the\s+appendix", re.I
)
_TITLE = re.compile(
    r"(?P<name>GNU\s+(?:Affero\s+|Lesser\s+|Library\s+)?General\s+Public\s+License|Mozilla\s+Public\s+License|"
    r"Eclipse\s+Public\s+License|Apache\s+License|European\s+Union\s+Public\s+Licen[cs]e)"
    r"[\s,]*(?:Version|v\.?)?\s*(?P<v>\d+(?:\.\d+)?)?",
    re.I,
)

_FAMILIES = [
    ("AGPL", re.compile(r"GNU\s+Affero\s+General\s+Public", re.I)),
    ("LGPL", re.compile(r"GNU\s+(?:Lesser|Library)\s+General\s+Public", re.I)),
    ("GPL", re.compile(r"GNU\s+General\s+Public", re.I)),
    ("MPL", re.compile(r"Mozilla\s+Public", re.I)),
    ("EPL", re.compile(r"Eclipse\s+Public", re.I)),
    ("Apache", re.compile(r"Apache\s+License", re.I)),
    ("EUPL", re.compile(r"European\s+Union\s+Public", re.I)),
    ("MIT", re.compile(r"\bMIT\s+License", re.I)),
]
_SPDX_FAMILY = re.compile(r"^(?P<f>AGPL|LGPL|GPL|MPL|EPL|Apache|EUPL)-(?P<v>\d+(?:\.\d+)?)", re.I)


def family_of_name(name: str) -> str | None:
    """The license family a name such as 'GNU Lesser General Public License' belongs to."""
    for family, pattern in _FAMILIES:
        if pattern.search(name):
            return family
    return None


def identity_from_spdx(spdx: str, *, label: str | None = None, or_later: bool = False) -> Identity:
    """Family and version from an SPDX id (``GPL-2.0-or-later`` -> GPL 2.0, or later)."""
    m = _SPDX_FAMILY.match(spdx)
    later = or_later or spdx.endswith("-or-later") or spdx.endswith("+")
    if not m:
        return Identity(label or spdx, spdx, None, None, later)
    family = {"agpl": "AGPL", "lgpl": "LGPL", "gpl": "GPL", "mpl": "MPL", "epl": "EPL", "apache": "Apache", "eupl": "EUPL"}[
        m.group("f").lower()
    ]
    return Identity(label or spdx, spdx, family, float(m.group("v")), later)


def identity_from_text(label: str, text: str) -> tuple[str | None, float | None]:
    """Family and version from the title of a license text (its first lines)."""
    head = _WS.sub(" ", text[:400])
    m = _TITLE.search(head)
    if not m:
        return None, None
    family = family_of_name(m.group("name"))
    version = float(m.group("v")) if m.group("v") else None
    return family, version


def _targets_in(body: str) -> tuple[tuple[str, float, bool], ...]:
    """Licenses named in a phrase: 'the GNU General Public License, Version 2.0, ... or any later versions'."""
    later_all = bool(re.search(r"any\s+later\s+versions?", body, re.I))
    out: list[tuple[str, float, bool]] = []
    for m in _TITLE.finditer(body):
        family = family_of_name(m.group("name"))
        if family is None:
            continue
        version = float(m.group("v")) if m.group("v") else 0.0
        out.append((family, version, later_all))
    return tuple(dict.fromkeys(out))


class _Reader:
    def __init__(self, label: str, analysis: Analysis) -> None:
        self.label = label
        self.analysis = analysis
        self.clauses = analysis.clauses

    def clause_at(self, offset: int) -> Clause | None:
        for clause in self.clauses:
            if clause.start <= offset < clause.end:
                return clause
        return None

    def span_text(self, start: int, end: int) -> str:
        parts = []
        for clause in self.clauses:
            if clause.end <= start or clause.start >= end:
                continue
            lo, hi = max(start, clause.start), min(end, clause.end)
            parts.append(clause.text[lo - clause.start : hi - clause.start])
        return "".join(parts)

    def cite(self, start: int, end: int, clause_id: str | None = None) -> Citation:
        clause = self.clause_at(start)
        text = _WS.sub(" ", self.span_text(start, end)).strip()
        if len(text) > _EVIDENCE_CHARS:
            text = text[: _EVIDENCE_CHARS - 3].rstrip() + "..."
        line = clause.line if clause else 1
        if clause is not None:
            line = clause.line + clause.text.count("\n", 0, start - clause.start)
        return Citation(self.label, clause_id or (clause.id if clause else "?"), line, text)

    def cite_term(self, term: Term) -> Citation:
        return self.cite(term.start, term.end, term.clause)

    def search(self, pattern: re.Pattern) -> list[tuple[re.Match, Citation]]:
        """Matches of ``pattern`` in each clause's text (whitespace-collapsed), with the sentence cited."""
        found = []
        for clause in self.clauses:
            flat = clause.text
            for m in pattern.finditer(_WS.sub(" ", flat)):
                # Map back approximately: cite the sentence of the clause that holds the match.
                start, end = _sentence_around(flat, m.group(0))
                found.append((m, self.cite(clause.start + start, clause.start + end, clause.id)))
        return found


def _sentence_around(text: str, needle: str) -> tuple[int, int]:
    words = needle.split()
    pattern = r"\s+".join(re.escape(w) for w in words[:6])
    m = re.search(pattern, text)
    if not m:
        return 0, min(len(text), _EVIDENCE_CHARS)
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n\n", 0, m.start()))
    start = 0 if start < 0 else start + 2
    end = text.find(". ", m.end())
    end = len(text) if end < 0 else end + 1
    if end - start > _EVIDENCE_CHARS and m.start() - start > _EVIDENCE_CHARS // 3:
        # Keep the words that matched in the quoted evidence of a long sentence.
        space = text.find(" ", max(start, m.start() - _EVIDENCE_CHARS // 3))
        start = space + 1 if 0 <= space < m.start() else m.start()
    return start, end


def _optional(reader: _Reader, term: Term) -> bool:
    """Whether the clause of ``term`` is one alternative of a lead-in that offers several."""
    by_id = {c.id: c for c in reader.clauses}
    clause = by_id.get(term.clause)
    seen = 0
    while clause is not None and seen < 4:
        parent = by_id.get(clause.parent) if clause.parent else None
        if parent is not None and _ALTERNATIVES.search(_WS.sub(" ", parent.text)):
            return True
        clause, seen = parent, seen + 1
    return False


def _binding(term: Term, analysis: Analysis) -> bool:
    """A restriction binds when the analysis reports it as a finding at warning or error severity.

    The reasoner reports low-confidence and law-only restrictions at info
    severity; those do not decide a compatibility question. Analyses without
    findings fall back to the term's confidence.
    """
    if not analysis.findings:
        return term.confidence >= 0.5
    suffix = str(term.kind).removeprefix("restrict.")
    for finding in analysis.findings:
        same_rule = finding.rule.rsplit(".", 1)[-1] == suffix
        overlaps = finding.start < term.end and term.start < finding.end
        if same_rule and overlaps and finding.severity.value in ("error", "warning"):
            return True
    return False


def build_profile(identity: Identity, analysis: Analysis) -> Profile:
    """Read the compatibility profile of one analysed license text."""
    reader = _Reader(identity.label, analysis)
    profile = Profile(identity=identity, analysis=analysis)
    same_license: list[tuple[Term, str]] = []
    for term in analysis.terms:
        kind = TermKind(term.kind)
        category = kind.value.split(".", 1)[0]
        if category == "grant":
            profile.grants.setdefault(kind, reader.cite_term(term))
        elif category == "cond":
            # The full wording travels with the params, so a quoted mark can be read from it.
            params = dict(term.params, _text=_WS.sub(" ", reader.span_text(term.start, term.end)))
            profile.conditions.setdefault(kind, []).append((reader.cite_term(term), params))
            if kind is TermKind.COND_SAME_LICENSE:
                same_license.append((term, _WS.sub(" ", reader.span_text(term.start, term.end))))
        elif kind in RESTRICTIONS:
            if _binding(term, analysis):
                profile.restrictions.setdefault(kind, []).append(reader.cite_term(term))
                url = term.params.get("url")
                if url and all(u != url for u, _ in profile.policies):
                    profile.policies.append((str(url), reader.cite_term(term)))
            else:
                profile.notes.append(f"not counted (the analysis reports it only at low severity): {kind.value} {reader.cite_term(term)}")
        elif kind is TermKind.INFO_PATENT_TERMINATION and profile.patent_termination is None:
            profile.patent_termination = reader.cite_term(term)

    # Copyleft: a same-license clause that *requires* derived or combined works under this license,
    # not one alternative among several, and not a bare "no additional terms" on the work itself.
    required = [
        (term, text) for term, text in same_license
        if _REQUIRES_SAME.search(text) and not _optional(reader, term)
    ]
    # LGPL-3.0 states its copyleft by incorporating the GPL's terms.
    incorporated = [c for m, c in reader.search(_LGPL_TO_GPL) if m.group("v")]
    if required or incorporated or TermKind.COND_NETWORK_USE in profile.conditions:
        texts = [x for _, x in same_license]
        whole = [(m, c) for m, c in reader.search(_LIBRARY_SCOPE)]
        scope, cite = Scope.WORK, None
        if whole or any(_LIBRARY_SCOPE.search(x) for x in texts):
            # A library scope is a permission to combine the library with works that use it.
            hit = next(((t, x) for t, x in same_license if _LIBRARY_SCOPE.search(x)), None)
            scope, cite = Scope.LIBRARY, reader.cite_term(hit[0]) if hit else whole[0][1]
        else:
            larger = reader.search(_FILE_SCOPE)
            hit = next(((t, x) for t, x in same_license if _FILE_SCOPE.search(x)), None)
            if hit or larger:
                scope, cite = Scope.FILE, reader.cite_term(hit[0]) if hit else larger[0][1]
        if cite is None:
            best = next(((t, x) for t, x in required if _WORK_SCOPE.search(x)), None)
            best = best or (required[0] if required else None)
            if best:
                cite = reader.cite_term(best[0])
            else:
                cite = incorporated[0] if incorporated else profile.conditions[TermKind.COND_NETWORK_USE][0][0]
        profile.copyleft, profile.copyleft_citation = scope, cite
        for term, text in same_license:
            if _NO_FURTHER.search(text):
                profile.no_further_restrictions = reader.cite_term(term)
                break
        if profile.no_further_restrictions is None:
            # The clause may have been labelled only as a grant or not at all; read the text.
            hits = reader.search(_NO_FURTHER)
            if hits:
                profile.no_further_restrictions = hits[0][1]
    elif same_license:
        profile.notes.append(
            "same-license clauses found, but none requires derived works under this license: "
            + str(reader.cite_term(same_license[0][0]))
        )

    for kind, found in profile.conditions.items():
        # Most confident first, so the cited clause is the one that states the condition best.
        order = sorted(range(len(found)), key=lambda n: -_confidence_of(found[n][0], kind, analysis))
        profile.conditions[kind] = [found[n] for n in order]
    _read_relicensing(reader, profile)
    return profile


def _confidence_of(citation: Citation, kind: TermKind, analysis: Analysis) -> float:
    return max((t.confidence for t in analysis.terms if t.kind == kind and t.clause == citation.clause), default=0.0)


def _read_relicensing(reader: _Reader, profile: Profile) -> None:
    ident = profile.identity
    for m, cite in reader.search(_SECONDARY_DEF):
        targets = _targets_in(m.group("body"))
        if targets:
            designated = bool(re.search(r"identified\s+by\s+the\s+initial\s+contributor", m.group("body"), re.I))
            profile.relicense.append(Relicense(targets, "secondary" if designated else "relicense", cite))
    for m, cite in reader.search(_LGPL_TO_GPL):
        version = float(m.group("v")) if m.group("v") else (ident.version or 2.0)
        later = m.group("v") is None  # LGPL-2.1 s.3: "version 2 ... or any later version" of the GPL
        profile.relicense.append(Relicense((("GPL", 2.0 if later else version, later),), "relicense", cite))
    hits = reader.search(_COMPATIBLE_LIST)
    if hits and not any(re.search(r"^\s*appendix\b", c.text, re.I | re.M) for c in reader.clauses):
        profile.compatible_list_elsewhere = hits[0][1]
    for m, cite in reader.search(_COMBINE_WITH):
        family = "AGPL" if "affero" in m.group("name").lower() else "GPL"
        profile.relicense.append(Relicense(((family, float(m.group("v")), False),), "combine", cite))
    for m, cite in reader.search(_RELICENSE_UNDER):
        targets = _targets_in(m.group("name"))
        if targets and not any(r.citation.clause == cite.clause for r in profile.relicense):
            profile.relicense.append(Relicense(targets, "relicense", cite))
    if ident.family and ident.version is not None:
        # A notice such as "either version 2 of the License, or (at your option) any later version";
        # the full license texts also quote it in their how-to appendix, which grants nothing.
        later_hits = [h for h in reader.search(_LATER_VERSION) if _is_notice_only(reader) or h[1].line <= _NOTICE_LINES]
        if later_hits:
            profile.relicense.append(Relicense(((ident.family, ident.version, True),), "relicense", later_hits[0][1]))
        elif ident.or_later:
            cite = Citation(ident.label, "expression", 1, f"{ident.label}: this version or any later version")
            profile.relicense.append(Relicense(((ident.family, ident.version, True),), "relicense", cite))


# A notice that applies the license sits at the top, before the license's own title.
_NOTICE_LINES = 12


def _is_notice_only(reader: _Reader) -> bool:
    """A short text that applies a license ('This program is free software ...'), not the license itself."""
    return sum(len(c.text) for c in reader.clauses) < 3000
