"""reason: hand-built clauses and terms in, verdicts and findings out.

These tests do not depend on the segmenter or the classifier: each builds the
clauses and terms a clause would yield and checks what the rules conclude.
"""

from __future__ import annotations

import random

import pytest

from licenselens.model import Clause, Severity, Status, Term, Verdict
from licenselens.reason import UNCLEAR_BELOW, reason
from licenselens.taxonomy import Freedom, TermKind


class Doc:
    """A text of numbered clauses, one per line, with helpers to label its units."""

    def __init__(self, title: str, *sentences: str) -> None:
        lines = [title, ""] + [f"{i}. {s}" for i, s in enumerate(sentences, 1)]
        self.text = "\n".join(lines) + "\n"
        self.clauses: list[Clause] = []
        starts = [0] + [self.text.index(f"\n{i}. ") + 1 for i in range(1, len(sentences) + 1)]
        ids = ["title"] + [str(i) for i in range(1, len(sentences) + 1)]
        for n, (cid, a) in enumerate(zip(ids, starts)):
            b = starts[n + 1] if n + 1 < len(starts) else len(self.text)
            self.clauses.append(Clause(id=cid, start=a, end=b, line=self.text.count("\n", 0, a) + 1, text=self.text[a:b]))
        self.terms: list[Term] = []

    def label(self, n: int, *kinds: str, confidence: float = 0.9, params: dict | None = None, part: str | None = None) -> Doc:
        clause = self.clauses[n]
        body = part or clause.text.split(". ", 1)[1].strip()
        start = self.text.index(body, clause.start)
        for kind in kinds:
            self.terms.append(
                Term(kind=TermKind(kind), clause=clause.id, start=start, end=start + len(body), confidence=confidence, params=params or {})
            )
        return self

    def reason(self):
        return reason(self.clauses, self.terms, self.text)


MIT_GRANT = "You may use, copy, modify, merge, publish, distribute, sublicense and sell copies of the Software."
GRANTS = ("grant.use", "grant.reproduce", "grant.modify", "grant.distribute", "grant.sublicense", "grant.commercial")


def permissive(*extra: str) -> Doc:
    doc = Doc("Example License", MIT_GRANT, "The above copyright notice shall be included in all copies.", *extra)
    doc.label(1, *GRANTS).label(2, "cond.notice")
    return doc


def ids(r, severity: Severity | None = None) -> list[str]:
    return [f.id for f in r.findings if severity is None or f.severity is severity]


def test_permissive_text_is_open_with_share_conditional_on_the_notice():
    r = permissive().reason()
    assert r.verdict is Verdict.OPEN
    assert {f: v.status for f, v in r.freedoms.items()} == {
        Freedom.USE: Status.GRANTED,
        Freedom.STUDY: Status.GRANTED,
        Freedom.MODIFY: Status.GRANTED,
        Freedom.SHARE: Status.CONDITIONAL,
    }
    assert r.findings == []
    assert r.openwashing is False


def test_copyleft_is_a_condition_on_modify_and_share_not_a_restriction():
    doc = permissive("You must license the entire work, as a whole, under this License to anyone who comes into possession of a copy.")
    r = doc.label(3, "cond.same-license").reason()
    assert r.verdict is Verdict.OPEN
    assert r.freedoms[Freedom.MODIFY].status is Status.CONDITIONAL
    assert r.freedoms[Freedom.SHARE].status is Status.CONDITIONAL
    assert r.findings == []


def test_military_sentence_is_an_error_citing_its_clause_line_and_text():
    sentence = "This software may not be used for military purposes."
    doc = permissive(sentence).label(3, "restrict.field-of-use")
    r = doc.reason()
    assert r.verdict is Verdict.RESTRICTED
    assert r.freedoms[Freedom.USE].status is Status.RESTRICTED
    assert r.freedoms[Freedom.USE].findings == ["USE-001"]
    (f,) = r.findings
    assert (f.id, f.rule, f.freedom, f.severity, f.clause) == ("USE-001", "field-of-use", Freedom.USE, Severity.ERROR, "3")
    assert doc.text[f.start : f.end] == sentence == f.evidence
    assert f.line == 5
    assert "use" in f.message.lower() and "purpose" in f.message.lower()
    # The ban names only use: modify and share keep their status.
    assert r.freedoms[Freedom.MODIFY].status is Status.GRANTED


@pytest.mark.parametrize(
    "sentence",
    [
        "You may not use the Software to violate applicable law.",
        "You agree not to use the Model in any way that violates any applicable national, federal, state, local or international law or regulation.",
        "The Software shall not be used for any unlawful purpose.",
    ],
)
def test_a_ban_that_only_restates_the_law_is_info_and_keeps_the_freedom(sentence):
    r = permissive(sentence).label(3, "restrict.field-of-use").reason()
    (f,) = r.findings
    assert f.severity is Severity.INFO
    assert "restates the law" in f.message
    assert r.freedoms[Freedom.USE].status is Status.GRANTED
    assert r.verdict is Verdict.OPEN


@pytest.mark.parametrize(
    "sentence",
    [
        "You may not use the Software for surveillance or to violate applicable law.",
        "You may not use the Software in violation of export laws or to develop weapons.",
    ],
)
def test_a_ban_that_adds_purposes_to_the_law_stays_an_error(sentence):
    r = permissive(sentence).label(3, "restrict.field-of-use").reason()
    assert [f.severity for f in r.findings] == [Severity.ERROR]


def test_low_confidence_restriction_is_an_unclear_info_finding_not_an_error():
    r = permissive("Use is subject to some terms.").label(3, "restrict.field-of-use", confidence=UNCLEAR_BELOW - 0.1).reason()
    (f,) = r.findings
    assert f.severity is Severity.INFO and f.message.startswith("Unclear:") and "not counted" in f.message
    # It does not outweigh the confident grant.
    assert r.freedoms[Freedom.USE].status is Status.GRANTED
    assert r.verdict is Verdict.OPEN


def test_low_confidence_restriction_against_a_weak_grant_is_unclear():
    doc = Doc("License", "You might be able to use it.", "Use is subject to some terms.")
    r = doc.label(1, "grant.use", confidence=0.4).label(2, "restrict.field-of-use", confidence=0.4).reason()
    assert r.freedoms[Freedom.USE].status is Status.UNCLEAR
    assert [f.severity for f in r.findings] == [Severity.INFO]
    assert r.verdict is Verdict.RESTRICTED


def test_low_confidence_grant_alone_leaves_the_freedom_unclear():
    doc = Doc("License", "You might be able to adapt it.")
    r = doc.label(1, "grant.modify", confidence=0.3).reason()
    assert r.freedoms[Freedom.MODIFY].status is Status.UNCLEAR


def test_restriction_that_scopes_modification_and_distribution_is_reported_under_each():
    sentence = "You may not use, modify or distribute the Software for any military purpose."
    r = permissive(sentence).label(3, "restrict.field-of-use").reason()
    assert ids(r) == ["USE-001", "MODIFY-002", "SHARE-002"]
    assert {f: v.status for f, v in r.freedoms.items() if v.status is Status.RESTRICTED} == {
        Freedom.USE: Status.RESTRICTED,
        Freedom.MODIFY: Status.RESTRICTED,
        Freedom.SHARE: Status.RESTRICTED,
    }
    scoped = [f for f in r.findings if f.id == "MODIFY-002"][0]
    assert scoped.principle.value == "any-purpose"


def test_list_item_takes_its_scope_from_the_lead_in():
    text = "Terms\n\n1. You may not use, modify or distribute the Software:\n(a) for military purposes;\n(b) for surveillance.\n"
    a = text.index("1."), text.index("(a)"), text.index("(b)")
    clauses = [
        Clause(id="title", start=0, end=a[0], line=1, text=text[: a[0]]),
        Clause(id="1", start=a[0], end=a[1], line=3, text=text[a[0] : a[1]]),
        Clause(id="1.a", start=a[1], end=a[2], line=4, text=text[a[1] : a[2]], parent="1", level=1),
        Clause(id="1.b", start=a[2], end=len(text), line=5, text=text[a[2] :], parent="1", level=1),
    ]
    unit = "for military purposes;"
    s = text.index(unit)
    term = Term(kind=TermKind.RESTRICT_FIELD_OF_USE, clause="1.a", start=s, end=s + len(unit), confidence=0.9)
    r = reason(clauses, [term], text)
    assert ids(r) == ["USE-001", "MODIFY-002", "SHARE-002"]
    assert {f.clause for f in r.findings} == {"1.a"}


def test_use_only_lead_in_does_not_spread_to_modify_or_share():
    r = permissive("Generating, promoting, or further distributing spam.").label(3, "restrict.field-of-use").reason()
    assert ids(r) == ["USE-001"]


def test_user_threshold_quotes_the_number():
    sentence = "If your products exceed 700 million monthly active users, you must request a license from us."
    params = {"threshold": 700000000, "unit": "monthly active users"}
    r = permissive(sentence).label(3, "restrict.user-threshold", params=params).reason()
    (f,) = r.findings
    assert f.id == "USE-007" and f.principle.value == "no-permission"
    assert "700,000,000 monthly active users" in f.message


def test_persons_quotes_the_region_and_withheld_rights_reach_every_freedom():
    sentence = "The rights granted under Section 1 are not granted to you if you are domiciled in the European Union."
    r = permissive(sentence).label(3, "restrict.persons", params={"regions": ["European Union"]}).reason()
    assert ids(r) == ["USE-004", "MODIFY-002", "SHARE-002"]
    assert "European Union" in r.findings[0].message


@pytest.mark.parametrize(
    "kind,code,freedom",
    [
        ("restrict.no-study", "STUDY-001", Freedom.STUDY),
        ("restrict.no-derivatives", "MODIFY-001", Freedom.MODIFY),
        ("restrict.no-distribution", "SHARE-001", Freedom.SHARE),
        ("restrict.non-commercial", "USE-002", Freedom.USE),
        ("restrict.research-only", "USE-003", Freedom.USE),
        ("restrict.competition", "USE-005", Freedom.USE),
        ("restrict.output-use", "USE-006", Freedom.USE),
        ("restrict.permission-required", "USE-008", Freedom.USE),
        ("restrict.revocable", "USE-009", Freedom.USE),
        ("restrict.unilateral-change", "USE-010", Freedom.USE),
        ("restrict.remote-control", "USE-011", Freedom.USE),
    ],
)
def test_each_restriction_kind_has_its_rule(kind, code, freedom):
    r = permissive("Some restriction of the work.").label(3, kind).reason()
    assert ids(r) == [code]
    assert r.freedoms[freedom].status is Status.RESTRICTED
    assert r.freedoms[freedom].findings == [code]
    assert r.verdict is Verdict.RESTRICTED


def test_study_follows_use_unless_forbidden():
    assert permissive().reason().freedoms[Freedom.STUDY].status is Status.GRANTED
    doc = Doc("License", "You may copy and distribute the Software.")
    r = doc.label(1, "grant.reproduce", "grant.distribute").reason()
    assert r.freedoms[Freedom.STUDY].status is Status.ABSENT
    assert r.freedoms[Freedom.USE].status is Status.ABSENT
    assert r.verdict is Verdict.CLOSED


def test_patent_or_output_grant_alone_opens_nothing():
    doc = Doc("License", "Each contributor grants you a patent license.", "You own the outputs.")
    r = doc.label(1, "grant.patent").label(2, "grant.outputs").reason()
    assert all(v.status is Status.ABSENT for v in r.freedoms.values())
    assert r.verdict is Verdict.CLOSED


def test_policy_read_alone_restricts_use_and_grants_nothing_so_it_is_closed():
    doc = Doc("Acceptable Use Policy", "You will not use the Model for military purposes.")
    r = doc.label(1, "restrict.field-of-use").reason()
    assert r.freedoms[Freedom.USE].status is Status.RESTRICTED
    assert [r.freedoms[f].status for f in (Freedom.STUDY, Freedom.MODIFY, Freedom.SHARE)] == [Status.ABSENT] * 3
    assert r.verdict is Verdict.CLOSED


def test_eula_with_use_only_is_restricted_not_open():
    doc = Doc("End User License", "You may use the Software.", "You may not reverse engineer the Software.", "You may not distribute the Software.")
    r = doc.label(1, "grant.use").label(2, "restrict.no-study").label(3, "restrict.no-distribution").reason()
    assert r.verdict is Verdict.RESTRICTED
    assert r.freedoms[Freedom.MODIFY].status is Status.ABSENT


def test_openwashing_cites_the_open_claim_of_the_title():
    doc = Doc("Acme Open Model License", MIT_GRANT, "You may not use the Model for military purposes.")
    r = doc.label(1, *GRANTS).label(2, "restrict.field-of-use").reason()
    assert r.openwashing is True
    wash = [f for f in r.findings if f.id == "USE-012"]
    assert len(wash) == 1 and wash[0].severity is Severity.INFO
    assert wash[0].clause == "title" and wash[0].line == 1 and "Open" in wash[0].evidence
    # It describes the text; it never decides a freedom.
    assert r.freedoms[Freedom.USE].findings == ["USE-001"]


def test_open_claim_of_an_open_text_is_no_openwashing():
    doc = Doc("Acme Open Model License", MIT_GRANT)
    r = doc.label(1, *GRANTS).reason()
    assert r.verdict is Verdict.OPEN and r.openwashing is False and r.findings == []


def test_community_in_the_title_of_a_restricted_license_is_openwashing():
    doc = Doc("ACME COMMUNITY LICENSE AGREEMENT", MIT_GRANT, "Commercial use is not permitted.")
    r = doc.label(1, *GRANTS).label(2, "restrict.non-commercial").reason()
    assert r.openwashing is True


def test_restricted_text_without_an_open_claim_is_not_openwashing():
    doc = Doc("Acme Model License", MIT_GRANT, "Commercial use is not permitted.")
    r = doc.label(1, *GRANTS).label(2, "restrict.non-commercial").reason()
    assert r.openwashing is False


def test_duplicate_terms_give_one_finding():
    doc = permissive("This software may not be used for military purposes.")
    doc.label(3, "restrict.field-of-use").label(3, "restrict.field-of-use", confidence=0.7)
    assert ids(doc.reason()) == ["USE-001"]


def test_order_of_terms_does_not_change_the_result():
    doc = permissive(
        "You may not use, modify or distribute the Software for any military purpose.",
        "You may not reverse engineer the Software.",
        "The Licensor may update these terms from time to time.",
    )
    doc.label(3, "restrict.field-of-use").label(4, "restrict.no-study").label(5, "restrict.unilateral-change")
    first = doc.reason()
    shuffled = list(doc.terms)
    random.Random(7).shuffle(shuffled)
    second = reason(doc.clauses, shuffled, doc.text)
    assert first == second
    assert [f.start for f in first.findings] == sorted(f.start for f in first.findings)


def test_evidence_is_trimmed_to_about_300_characters():
    long = "You may not use the Software for " + ", ".join(f"purpose number {i}" for i in range(60)) + "."
    r = permissive(long).label(3, "restrict.field-of-use").reason()
    assert 250 <= len(r.findings[0].evidence) <= 305
    assert r.findings[0].evidence.endswith("…")


# --- properties -----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = st.sampled_from(
    "you may not use modify distribute the software model for military commercial purposes only law "
    "violate applicable open community license rights granted any of the following : ; . \n".split(" ")
)


@st.composite
def documents(draw):
    text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=80)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))) | {0, len(text)})
    clauses = [
        Clause(id=f"c{i}", start=a, end=b, line=text.count("\n", 0, a) + 1, text=text[a:b])
        for i, (a, b) in enumerate(zip(cuts, cuts[1:]))
        if b > a
    ]
    terms = []
    for _ in range(draw(st.integers(0, 8))):
        c = draw(st.sampled_from(clauses))
        a = draw(st.integers(c.start, c.end - 1))
        b = draw(st.integers(a + 1, c.end))
        kind = draw(st.sampled_from(list(TermKind)))
        terms.append(Term(kind=kind, clause=c.id, start=a, end=b, confidence=draw(st.floats(0, 1)), params={}))
    return text, clauses, terms


@settings(max_examples=200, deadline=None)
@given(documents())
def test_reason_never_crashes_and_cites_inside_its_clause(doc):
    text, clauses, terms = doc
    r = reason(clauses, terms, text)
    by_id = {c.id: c for c in clauses}
    assert set(r.freedoms) == set(Freedom)
    for f in r.findings:
        c = by_id[f.clause]
        assert c.start <= f.start < f.end <= c.end
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.id.split("-")[0] == f.freedom.value.upper()
    open_ = all(v.status in (Status.GRANTED, Status.CONDITIONAL) for v in r.freedoms.values())
    assert (r.verdict is Verdict.OPEN) == open_
    if r.openwashing:
        assert r.verdict is not Verdict.OPEN
    assert reason(clauses, list(reversed(terms)), text) == r


USE_LEAD = ["You agree you will not use, or allow others to use, the Model to:"]
ALL_LEAD = ["You will not, and will not permit any third party to:"]


@pytest.mark.parametrize(
    "unit,lead_ins,modify,share",
    [
        ("The illegal distribution of information or materials to minors", USE_LEAD, False, False),
        ("Generating, promoting, or further distributing spam", USE_LEAD, False, False),
        ("use, modify, copy, create derivative works of, or distribute the Software for military purposes", ALL_LEAD, True, True),
        ("distribute the Model for any commercial purpose;", ["You may not:"], False, True),
        ("reproduce and Share the Licensed Material for NonCommercial purposes only", [], False, True),
        ("You may not publish benchmark results of the Software without our written consent.", [], False, False),
        ("You may not use the Software to distribute spam.", [], False, False),
        ("The Software may not be modified or distributed except for non-commercial purposes.", [], True, True),
        ("You may not make the Software available to third parties for commercial purposes.", [], False, True),
        ("you are not authorized to exercise any of the rights under this Agreement", [], True, True),
        ("for military purposes;", ["You may not use, modify or distribute the Software:"], True, True),
    ],
)
def test_scope_of_a_restriction(unit, lead_ins, modify, share):
    from licenselens.reason.scope import scopes

    assert (scopes(Freedom.MODIFY, unit, lead_ins), scopes(Freedom.SHARE, unit, lead_ins)) == (modify, share)


def test_a_preceding_sentence_is_not_a_lead_in():
    first = "The rights granted under Section 1 are not granted to you if you are domiciled in the European Union."
    second = "This restriction does not apply to end users."
    doc = permissive(f"{first} {second}")
    doc.label(3, "restrict.persons", part=first).label(3, "restrict.field-of-use", part=second)
    r = doc.reason()
    by_unit = {}
    for f in r.findings:
        by_unit.setdefault(doc.text[f.start : f.end], []).append(f.id)
    assert by_unit == {first: ["USE-004", "MODIFY-002", "SHARE-002"], second: ["USE-001"]}


def test_a_freedom_lists_only_the_findings_that_decide_it():
    doc = permissive("You may not use the Software to violate applicable law.", "This software may not be used for military purposes.")
    r = doc.label(3, "restrict.field-of-use").label(4, "restrict.persons", confidence=0.2).reason()
    assert r.freedoms[Freedom.USE].findings == []
    assert sorted((f.id, f.severity.value) for f in r.findings) == [("USE-001", "info"), ("USE-004", "info")]


def test_a_confident_term_wins_over_an_unclear_one_for_the_same_finding():
    sentence = "You may not use, modify or distribute the Software for any military purpose."
    doc = permissive(sentence).label(3, "restrict.competition", confidence=0.3).label(3, "restrict.persons", confidence=0.95)
    r = doc.reason()
    scoped = [f for f in r.findings if f.id == "MODIFY-002"]
    assert len(scoped) == 1 and scoped[0].severity is Severity.ERROR
    assert r.freedoms[Freedom.MODIFY].status is Status.RESTRICTED
