"""The types that pass between stages, and the JSON contract.

Every span (``start``, ``end``) is a character offset into the *original*
text as read (after decoding), ``end`` exclusive; ``line`` is 1-based.
Fields marked ``exclude=True`` travel between stages but are not part of the
JSON contract.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from licenselens.taxonomy import Freedom, Principle, TermKind

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Model):
    path: str | None = Field(description="File path as given, or '-' for standard input.")
    sha256: str = Field(description="SHA-256 of the raw bytes read.")


class Identified(_Model):
    key: str = Field(description="ScanCode license key (or our own corpus key).")
    spdx: str | None = Field(description="SPDX id, or LicenseRef-scancode-<key> when SPDX has none.")
    name: str
    score: float = Field(ge=0.0, le=1.0)


class Clause(_Model):
    """One clause of the text. Clauses partition the text: in document order,
    without overlap, covering every character once. A parent clause's span is
    its own heading and lead-in, up to its first child."""

    id: str = Field(description="Stable readable id such as '1.b.iv' or 'attachment-a.3'.")
    heading: str | None = None
    start: int
    end: int
    line: int
    text: str = Field(description="The original text of the clause span.")
    parent: str | None = Field(default=None, exclude=True)
    level: int = Field(default=0, exclude=True)


class Term(_Model):
    kind: TermKind
    clause: str
    start: int
    end: int
    confidence: float = Field(ge=0.0, le=1.0)
    params: dict[str, Any] = Field(default_factory=dict)


class Status(StrEnum):
    GRANTED = "granted"
    CONDITIONAL = "conditional"
    RESTRICTED = "restricted"
    ABSENT = "absent"
    UNCLEAR = "unclear"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    OPEN = "open"
    RESTRICTED = "restricted"
    CLOSED = "closed"


class FreedomVerdict(_Model):
    status: Status
    findings: list[str] = Field(default_factory=list, description="Ids of the findings that decide it.")


class Finding(_Model):
    id: str = Field(description="Rule code, e.g. 'USE-001'.")
    rule: str = Field(description="Rule name, e.g. 'field-of-use'.")
    freedom: Freedom
    principle: Principle
    severity: Severity
    message: str
    clause: str
    start: int
    end: int
    line: int
    evidence: str = Field(description="The quoted text that triggered the finding.")


class Analysis(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    identified: Identified | None = None
    clauses: list[Clause]
    terms: list[Term]
    freedoms: dict[Freedom, FreedomVerdict]
    findings: list[Finding]
    verdict: Verdict
    openwashing: bool


# --- compat -----------------------------------------------------------------


class CompatVerdict(StrEnum):
    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"


class InboundVerdict(_Model):
    license: str
    verdict: CompatVerdict
    reasons: list[str] = Field(default_factory=list)


class CompatResult(_Model):
    outbound: str
    verdict: CompatVerdict
    inbound: list[InboundVerdict]


# --- identify -----------------------------------------------------------------
# Types of `licenselens identify`: which known licenses a text is, where each
# sits in the text, and how a near match differs from its reference.


class Difference(_Model):
    """A stretch where the text departs from the reference license it is nearest to."""

    kind: Literal["added", "removed", "changed"]
    clause: str | None = Field(description="Id of the clause of the text where the difference is, when segmented.")
    start: int = Field(description="Span in the text; for 'removed', start == end is where the reference text is missing.")
    end: int
    line: int
    text: str = Field(description="The text's words there (empty for 'removed').")
    reference: str = Field(description="The reference's words there (empty for 'added').")


class ReferencedFile(_Model):
    """A file a notice names, found beside the text and identified in turn (one level deep)."""

    name: str = Field(description="The file name as the notice writes it.")
    path: str = Field(description="Where it was found.")
    key: str | None = Field(description="ScanCode expression of the licenses found in it (AND of its regions); "
                                        "None when none is known.")
    spdx: str | None = Field(description="SPDX spelling of key.")


class LicenseMatch(_Model):
    """One known license found in one region of the text."""

    key: str = Field(description="ScanCode license key; a ScanCode expression when the reference names several "
                                 "licenses (a dual-licensing notice, an SPDX tag line).")
    spdx: str | None = Field(description="SPDX id or expression; LicenseRef-scancode-<key> when SPDX has none.")
    name: str
    reference: str = Field(description="Id of the reference matched: a license text, a ScanCode rule, one of our "
                                       "standard notices, or 'spdx-license-tag'.")
    is_notice: bool = Field(description="True when the reference is a short notice pointing at the license, not its text.")
    score: float = Field(ge=0.0, le=1.0, description="Token-level similarity of the region and the reference.")
    coverage: float = Field(ge=0.0, le=1.0, description="Share of the reference found in the region.")
    start: int
    end: int
    line: int
    end_line: int
    differences: list[Difference] = Field(default_factory=list)
    referenced: list[ReferencedFile] = Field(
        default_factory=list,
        description="Files this notice names (\"see LICENSE.APACHE\") found beside the text and identified; "
                    "filled only when references are followed.")
    resolved_key: str | None = Field(
        default=None,
        description="What the notice stands for once the files it names are read: their ScanCode expressions "
                    "joined by the notice's operator (OR for a choice, else AND); None when nothing was followed.")
    resolved_spdx: str | None = Field(default=None, description="SPDX spelling of resolved_key.")


class Candidate(_Model):
    """A known license near the text, with its score; the runners-up explain how close the call was."""

    key: str
    spdx: str | None
    name: str
    reference: str
    score: float = Field(ge=0.0, le=1.0)


class Identification(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source | None = None
    reference_set: str = Field(description="'curated' or 'scancode' (with its data version).")
    matches: list[LicenseMatch] = Field(description="Known licenses found, one per region, in document order.")
    candidates: list[Candidate] = Field(description="Nearest references for the main region, best first.")


class DeclaredLicense(_Model):
    """A license as declared in metadata (package, model card, classifier), read as SPDX."""

    original: str = Field(description="The declared string as found.")
    spdx: str | None = Field(description="SPDX expression, or None when unknown or ambiguous.")
    confidence: float = Field(ge=0.0, le=1.0)
    ambiguous: bool = Field(description="True when the string names a family with several members (e.g. 'BSD').")
    candidates: list[str] = Field(default_factory=list, description="The SPDX ids an ambiguous string may mean.")
    via: str = Field(description="How it was read: spdx-expression, scancode-key, hugging-face-id, classifier, name, license-text, unknown.")
    note: str | None = None


# --- scan -------------------------------------------------------------------
# Types of `licenselens scan` and `licenselens check`: packages found in a tree,
# the license texts they ship (each analysed once per distinct text), and the
# policy outcome.


class Agreement(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    UNKNOWN = "unknown"


class SkipNote(_Model):
    """Something in the tree that could not be read; the scan goes on without it."""

    path: str
    reason: str


class LicenseText(_Model):
    """One license file (or embedded text) of a package and what its clauses say."""

    path: str = Field(description="File path, relative to the scan root when inside it.")
    sha256: str = Field(description="SHA-256 of the decoded text: the analysis cache key.")
    kind: Literal["license", "notice", "use-policy", "embedded"] = "license"
    identified: Identified | None = None
    verdict: Verdict | None = Field(default=None, description="None when the text could not be analysed.")
    freedoms: dict[Freedom, FreedomVerdict] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None


class ScannedPackage(_Model):
    name: str
    version: str | None = None
    source: str = Field(description="Source kind: python-env, requirements, node, sbom, model-repo, directory.")
    location: str | None = Field(default=None, description="Where the package's metadata was read.")
    resolved: bool = Field(default=True, description="False when a requirement matched nothing installed.")
    declared: str | None = Field(default=None, description="The declared license as written.")
    declared_spdx: str | None = Field(default=None, description="The declared license as an SPDX expression.")
    detected: list[str] = Field(default_factory=list, description="Licenses identified from the texts.")
    agreement: Agreement = Agreement.UNKNOWN
    verdict: Verdict | None = Field(default=None, description="Least open verdict of the package's texts.")
    texts: list[LicenseText] = Field(default_factory=list)
    base_model: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Violation(_Model):
    """A policy rule that a package breaks."""

    package: str
    rule: Literal[
        "denied-license", "not-allowed", "freedom-finding", "license-mismatch", "broken-metadata", "unresolved"
    ]
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    finding: str | None = Field(default=None, description="Finding id when the rule is freedom-finding.")
    excepted: bool = Field(default=False, description="True when a policy exception covers it.")
    exception_reason: str | None = None


class ExpiredException(_Model):
    package: str
    reason: str
    expires: str


class ScanStats(_Model):
    packages: int
    texts: int = Field(description="License texts read.")
    unique_texts: int = Field(description="Distinct texts (by hash): the analyses needed.")
    analysed: int = Field(description="Analyses computed in this run (the rest came from the cache).")


class ScanResult(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    root: str
    packages: list[ScannedPackage]
    violations: list[Violation] = Field(default_factory=list)
    expired_exceptions: list[ExpiredException] = Field(default_factory=list)
    skipped: list[SkipNote] = Field(default_factory=list)
    stats: ScanStats
    passed: bool


# --- diff -------------------------------------------------------------------
# Types of `licenselens diff OLD NEW`: what changed between two versions of a
# text, clause by clause, in freedoms.


class DiffSide(_Model):
    """One of the two texts compared, and its overall reading."""

    source: Source
    verdict: Verdict
    openwashing: bool
    clauses: int = Field(description="Number of clauses the text was split into.")


class FreedomChange(_Model):
    """How one freedom fares from OLD to NEW."""

    before: Status
    after: Status
    change: Literal["unchanged", "improved", "worsened"] = Field(
        description="Order from best to worst: granted, conditional, unclear, restricted, absent.")
    added: list[str] = Field(default_factory=list, description="Rule codes of the findings NEW adds for this freedom.")
    removed: list[str] = Field(default_factory=list, description="Rule codes of the findings NEW no longer has.")


class ClauseChange(_Model):
    """A clause added, removed or reworded; clauses that only moved or were renumbered are not listed."""

    change: Literal["added", "removed", "changed"]
    old: str | None = Field(description="Clause id in OLD (None when added).")
    new: str | None = Field(description="Clause id in NEW (None when removed).")
    old_line: int | None = None
    new_line: int | None = None
    similarity: float = Field(ge=0.0, le=1.0, description="Word-level similarity of the two clause texts (0 when one is missing).")
    inserted: list[str] = Field(default_factory=list, description="Words NEW has that OLD does not, one entry per stretch.")
    deleted: list[str] = Field(default_factory=list, description="Words OLD has that NEW does not, one entry per stretch.")


class LicenseDiff(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    old: DiffSide
    new: DiffSide
    freedoms: dict[Freedom, FreedomChange]
    added_findings: list[Finding] = Field(description="Findings only NEW has; clause, span, line and evidence are NEW's.")
    removed_findings: list[Finding] = Field(description="Findings only OLD had; clause, span, line and evidence are OLD's.")
    clauses: list[ClauseChange]
    aligned_by: Literal["id", "text"] = Field(description="'id' when both layouts have the same clause ids, else 'text'.")
    unchanged_clauses: int
