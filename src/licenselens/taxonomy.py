"""The closed vocabulary of term kinds, defined once.

Annotations in ``corpora/``, the classifier, the reasoning rules and the docs
all use these ids. A kind is a grant, a condition (compatible with the
freedoms as long as it limits neither purpose nor who may act), a restriction
(breaks a freedom) or neutral information.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Freedom(StrEnum):
    USE = "use"
    STUDY = "study"
    MODIFY = "modify"
    SHARE = "share"


class Principle(StrEnum):
    ANY_PURPOSE = "any-purpose"
    NO_PERMISSION = "no-permission"
    STUDY = "study"
    MODIFY = "modify"
    SHARE = "share"


class Category(StrEnum):
    GRANT = "grant"
    CONDITION = "cond"
    RESTRICTION = "restrict"
    INFO = "info"


class TermKind(StrEnum):
    # Grants
    GRANT_USE = "grant.use"
    GRANT_REPRODUCE = "grant.reproduce"
    GRANT_MODIFY = "grant.modify"
    GRANT_DISTRIBUTE = "grant.distribute"
    GRANT_SUBLICENSE = "grant.sublicense"
    GRANT_COMMERCIAL = "grant.commercial"
    GRANT_PATENT = "grant.patent"
    GRANT_OUTPUTS = "grant.outputs"
    # Conditions
    COND_NOTICE = "cond.notice"
    COND_ATTRIBUTION = "cond.attribution"
    COND_STATE_CHANGES = "cond.state-changes"
    COND_DISCLOSE_SOURCE = "cond.disclose-source"
    COND_SAME_LICENSE = "cond.same-license"
    COND_NETWORK_USE = "cond.network-use"
    COND_NAMING = "cond.naming"
    COND_FLOW_DOWN = "cond.flow-down"
    # Restrictions
    RESTRICT_FIELD_OF_USE = "restrict.field-of-use"
    RESTRICT_NON_COMMERCIAL = "restrict.non-commercial"
    RESTRICT_RESEARCH_ONLY = "restrict.research-only"
    RESTRICT_PERSONS = "restrict.persons"
    RESTRICT_COMPETITION = "restrict.competition"
    RESTRICT_OUTPUT_USE = "restrict.output-use"
    RESTRICT_USER_THRESHOLD = "restrict.user-threshold"
    RESTRICT_PERMISSION_REQUIRED = "restrict.permission-required"
    RESTRICT_REVOCABLE = "restrict.revocable"
    RESTRICT_UNILATERAL_CHANGE = "restrict.unilateral-change"
    RESTRICT_REMOTE_CONTROL = "restrict.remote-control"
    RESTRICT_NO_DERIVATIVES = "restrict.no-derivatives"
    RESTRICT_NO_DISTRIBUTION = "restrict.no-distribution"
    RESTRICT_NO_STUDY = "restrict.no-study"
    # Neutral information
    INFO_NON_TRANSFERABLE = "info.non-transferable"
    INFO_PATENT_TERMINATION = "info.patent-termination"
    INFO_TRADEMARK = "info.trademark"
    INFO_WARRANTY_DISCLAIMER = "info.warranty-disclaimer"
    INFO_LIABILITY_LIMIT = "info.liability-limit"
    INFO_INDEMNITY = "info.indemnity"
    INFO_GOVERNING_LAW = "info.governing-law"
    INFO_TERMINATION_ON_BREACH = "info.termination-on-breach"
    INFO_ACCEPTANCE = "info.acceptance"
    INFO_EXPORT_CONTROL = "info.export-control"
    INFO_DEFINITION = "info.definition"

    @property
    def category(self) -> Category:
        return Category(self.value.split(".", 1)[0])

    @property
    def info(self) -> KindInfo:
        return KINDS[self]


@dataclass(frozen=True)
class KindInfo:
    kind: TermKind
    description: str
    # Freedoms a grant opens, or a condition/restriction applies to.
    freedoms: tuple[Freedom, ...] = ()
    # For restrictions: the principle the restriction breaks.
    principle: Principle | None = None


_U, _S, _M, _D = Freedom.USE, Freedom.STUDY, Freedom.MODIFY, Freedom.SHARE
_ALL = (_U, _S, _M, _D)

KINDS: dict[TermKind, KindInfo] = {
    k.kind: k
    for k in [
        KindInfo(TermKind.GRANT_USE, "Permission to use, run or deploy the work.", (_U, _S)),
        KindInfo(TermKind.GRANT_REPRODUCE, "Permission to copy or reproduce the work.", (_D,)),
        KindInfo(TermKind.GRANT_MODIFY, "Permission to modify, adapt, fine-tune or create derivative works.", (_M,)),
        KindInfo(TermKind.GRANT_DISTRIBUTE, "Permission to distribute, publish or make available copies.", (_D,)),
        KindInfo(TermKind.GRANT_SUBLICENSE, "Permission to sublicense the rights granted.", (_D,)),
        KindInfo(TermKind.GRANT_COMMERCIAL, "Explicit permission to sell or use commercially.", (_U, _D)),
        KindInfo(TermKind.GRANT_PATENT, "A patent license from contributors or the licensor.", (_U, _M, _D)),
        KindInfo(TermKind.GRANT_OUTPUTS, "The licensee may use, or owns, what the model produces.", (_U,)),
        KindInfo(TermKind.COND_NOTICE, "Keep copyright and license notices; ship a copy of the license.", (_D,)),
        KindInfo(TermKind.COND_ATTRIBUTION, "Give credit or display a mark such as \"Built with Llama\".", (_D,)),
        KindInfo(TermKind.COND_STATE_CHANGES, "Mark modified files or state the changes made.", (_M, _D)),
        KindInfo(TermKind.COND_DISCLOSE_SOURCE, "Make the source code (or corresponding source) available.", (_D,)),
        KindInfo(TermKind.COND_SAME_LICENSE, "Copyleft or share-alike: derived works under the same license.", (_M, _D)),
        KindInfo(TermKind.COND_NETWORK_USE, "Users interacting over a network must be offered the source.", (_M, _D)),
        KindInfo(TermKind.COND_NAMING, "Derived works must, or must not, carry a name or mark.", (_M, _D)),
        KindInfo(TermKind.COND_FLOW_DOWN, "Downstream recipients must be bound by the same use terms.", (_D,)),
        KindInfo(TermKind.RESTRICT_FIELD_OF_USE, "Prohibited purposes or fields of use.", _ALL, Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_NON_COMMERCIAL, "Commercial use is not allowed.", _ALL, Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_RESEARCH_ONLY, "Only research, evaluation or personal use is allowed.", _ALL, Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_PERSONS, "Excluded people, companies or regions.", _ALL, Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_COMPETITION, "No competing products; no improving other models.", _ALL, Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_OUTPUT_USE, "Limits on what outputs may be used for.", (_U,), Principle.ANY_PURPOSE),
        KindInfo(TermKind.RESTRICT_USER_THRESHOLD, "Above a user, revenue or head-count cap a new license must be requested.", _ALL, Principle.NO_PERMISSION),
        KindInfo(TermKind.RESTRICT_PERMISSION_REQUIRED, "Prior approval, registration or written consent is required.", _ALL, Principle.NO_PERMISSION),
        KindInfo(TermKind.RESTRICT_REVOCABLE, "The licensor may revoke or terminate at will, not only for breach.", _ALL, Principle.NO_PERMISSION),
        KindInfo(TermKind.RESTRICT_UNILATERAL_CHANGE, "The licensor may change the terms or policy and the change binds.", _ALL, Principle.NO_PERMISSION),
        KindInfo(TermKind.RESTRICT_REMOTE_CONTROL, "The licensor may restrict use remotely or force updates.", (_U,), Principle.NO_PERMISSION),
        KindInfo(TermKind.RESTRICT_NO_DERIVATIVES, "Modification or derivative works are not allowed.", (_M,), Principle.MODIFY),
        KindInfo(TermKind.RESTRICT_NO_DISTRIBUTION, "Internal use only; no redistribution.", (_D,), Principle.SHARE),
        KindInfo(TermKind.RESTRICT_NO_STUDY, "No reverse engineering, inspection or publishing benchmarks.", (_S,), Principle.STUDY),
        KindInfo(TermKind.INFO_NON_TRANSFERABLE, "The license is non-transferable or non-exclusive."),
        KindInfo(TermKind.INFO_PATENT_TERMINATION, "Patent rights end if the licensee sues over patents."),
        KindInfo(TermKind.INFO_TRADEMARK, "No trademark rights are granted (beyond describing origin)."),
        KindInfo(TermKind.INFO_WARRANTY_DISCLAIMER, "The work comes as is, without warranty."),
        KindInfo(TermKind.INFO_LIABILITY_LIMIT, "The licensor's liability is excluded or limited."),
        KindInfo(TermKind.INFO_INDEMNITY, "The licensee must indemnify or defend the licensor."),
        KindInfo(TermKind.INFO_GOVERNING_LAW, "Governing law, jurisdiction or venue."),
        KindInfo(TermKind.INFO_TERMINATION_ON_BREACH, "The license ends when its terms are breached."),
        KindInfo(TermKind.INFO_ACCEPTANCE, "Using or clicking means accepting the terms (clickwrap)."),
        KindInfo(TermKind.INFO_EXPORT_CONTROL, "Restates export-control or sanctions law."),
        KindInfo(TermKind.INFO_DEFINITION, "Defines a term used by the license."),
    ]
}

assert set(KINDS) == set(TermKind), "every term kind needs its KindInfo"

RESTRICTIONS: tuple[TermKind, ...] = tuple(k for k in TermKind if k.category is Category.RESTRICTION)
GRANTS: tuple[TermKind, ...] = tuple(k for k in TermKind if k.category is Category.GRANT)
CONDITIONS: tuple[TermKind, ...] = tuple(k for k in TermKind if k.category is Category.CONDITION)
