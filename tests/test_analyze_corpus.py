"""End to end: real license texts through the whole pipeline, the expectations of
the analyze issue. Each expected restriction must be found by the rule named
and cite a unit containing the quoted words, with its clause id and line.

The Llama texts are third-party reference texts kept beside the checkout
(``../shared/corpus/llama``); these tests skip when they are absent.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from licenselens import analyze
from licenselens.model import Analysis, Severity, Status, Verdict
from licenselens.resources import corpus_path
from licenselens.taxonomy import TermKind

pytestmark = pytest.mark.slow

LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"
LLAMA_VERSIONS = ["llama2", "llama3", "llama3_1", "llama3_2", "llama3_3", "llama4"]
SERIOUS = (Severity.ERROR, Severity.WARNING)


def _squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


@cache
def scancode_text(key: str) -> str:
    """A reference text of ``corpora/licenses`` without its YAML front matter."""
    raw = corpus_path("licenses", f"{key}.LICENSE").read_text(encoding="utf-8")
    m = re.match(r"\A---\n.*?\n---\n", raw, re.DOTALL)
    return raw[m.end() :] if m else raw


@cache
def llama_text(name: str) -> str:
    path = LLAMA / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")


@cache
def analysed(text: str) -> Analysis:
    return analyze(text)


def cites(a: Analysis, text: str, code: str, words: str, *, severities=SERIOUS):
    """The findings of rule ``code`` (at one of ``severities``) whose cited unit contains ``words``."""
    found = [
        f
        for f in a.findings
        if f.id == code and f.severity in severities and _squash(words) in _squash(text[f.start : f.end])
    ]
    return found


def expect(a: Analysis, text: str, code: str, words: str, *, severities=SERIOUS):
    found = cites(a, text, code, words, severities=severities)
    got = sorted({(f.id, f.severity.value, f.clause, f.evidence[:60]) for f in a.findings if _squash(words) in _squash(text[f.start : f.end])})
    assert found, f"no {code} citing {words!r}; findings citing it: {got}"
    for f in found:
        assert f.clause and f.line == text.count("\n", 0, f.start) + 1
        clause = next(c for c in a.clauses if c.id == f.clause)
        assert clause.start <= f.start < f.end <= clause.end, "a finding lies inside its clause"
    return found


def assert_cited_consistently(a: Analysis, text: str) -> None:
    ids = [c.id for c in a.clauses]
    assert len(ids) == len(set(ids)), "clause ids are unique"
    by_id = {c.id: c for c in a.clauses}
    for f in a.findings:
        c = by_id[f.clause]
        assert c.start <= f.start < f.end <= c.end
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.evidence and _squash(f.evidence.rstrip(" …"))[:40] in _squash(text[f.start : f.end])


# --- Llama --------------------------------------------------------------------


@pytest.mark.parametrize("version", LLAMA_VERSIONS)
def test_llama_aup_prohibited_uses_are_field_of_use_findings(version):
    text = llama_text(f"{version}-USE_POLICY.md")
    a = analysed(text)
    assert_cited_consistently(a, text)
    errors = [f for f in a.findings if f.id == "USE-001" and f.severity is Severity.ERROR]
    assert len(errors) >= 10, [f.evidence[:50] for f in errors]
    assert len({f.clause for f in errors}) >= 10, "each prohibited use is cited at its own clause"
    expect(a, text, "USE-001", "Military, warfare, nuclear industries")
    expect(a, text, "USE-001", "Guns and illegal weapons")
    assert a.freedoms["use"].status is Status.RESTRICTED
    assert a.verdict is not Verdict.OPEN


@pytest.mark.parametrize("version", LLAMA_VERSIONS)
def test_llama_license_700_million_monthly_active_users(version):
    text = llama_text(f"{version}-LICENSE.txt")
    a = analysed(text)
    assert_cited_consistently(a, text)
    terms = [t for t in a.terms if t.kind is TermKind.RESTRICT_USER_THRESHOLD]
    assert any(t.params.get("threshold") == 700_000_000 for t in terms), [t.params for t in terms]
    (f, *_) = expect(a, text, "USE-007", "700 million monthly active users")
    assert "700,000,000" in f.message
    assert f.clause.split(".")[0] == "2", f.clause
    assert a.verdict is Verdict.RESTRICTED


def test_llama2_ban_on_improving_other_large_language_models():
    text = llama_text("llama2-LICENSE.txt")
    a = analysed(text)
    (f, *_) = expect(a, text, "USE-005", "to improve any other large language model")
    assert f.clause == "1.b.v"


def test_llama3_2_aup_excludes_the_european_union_with_the_region_as_parameter():
    text = llama_text("llama3_2-USE_POLICY.md")
    a = analysed(text)
    (f, *_) = expect(a, text, "USE-004", "domiciled in, or a company with a principal place of business in, the European Union")
    terms = [t for t in a.terms if t.kind is TermKind.RESTRICT_PERSONS and t.start == f.start]
    regions = [r for t in terms for r in (t.params.get("regions") or [t.params.get("region")]) if r]
    assert any("european union" in str(r).lower() or str(r) == "EU" for r in regions), terms
    assert "European Union" in f.message or "EU" in f.message


@pytest.mark.parametrize("version", ["llama2", "llama3_1", "llama3_2", "llama4"])
def test_llama_meta_may_update_the_policy(version):
    """The policy binds as Meta updates it: "the most recent copy of this policy" in the
    AUP, or the license's incorporation of the AUP hosted at Meta's address."""
    license_text = llama_text(f"{version}-LICENSE.txt")
    policy = llama_text(f"{version}-USE_POLICY.md")
    text = license_text + "\n\n" + policy
    a = analysed(text)
    changes = [f for f in a.findings if f.id == "USE-010" and f.severity in SERIOUS]
    assert changes, "no unilateral-change finding in license + AUP"
    for f in changes:
        assert f.clause


@pytest.mark.parametrize("version", ["llama3_1", "llama3_2", "llama3_3", "llama4"])
def test_built_with_llama_and_name_prefix_are_conditions_not_restrictions(version):
    text = llama_text(f"{version}-LICENSE.txt")
    a = analysed(text)
    built = text.index("Built with Llama")
    prefix = text.index("at the beginning of any such AI model name")
    for at, kind in ((built, TermKind.COND_ATTRIBUTION), (prefix, TermKind.COND_NAMING)):
        terms = [t for t in a.terms if t.start <= at < t.end]
        assert any(t.kind is kind for t in terms), (kind, [(t.kind.value, t.clause) for t in terms])
        assert all(t.clause == "1.b.i" for t in terms if t.kind is kind)
        assert not [t for t in terms if t.kind.category.value == "restrict"], [t.kind.value for t in terms]
        assert not [f for f in a.findings if f.start <= at < f.end and f.severity in SERIOUS]
    naming = [t for t in a.terms if t.kind is TermKind.COND_NAMING and t.start <= prefix < t.end]
    assert any(t.params.get("prefix") == "Llama" for t in naming), [t.params for t in naming]
    # Conditions leave share conditional; use is restricted by the threshold and the AUP.
    assert a.freedoms["share"].status in (Status.CONDITIONAL, Status.RESTRICTED)


@pytest.mark.parametrize("version", ["llama2", "llama3_1", "llama3_2"])
def test_llama_license_and_aup_concatenated(version):
    license_text = llama_text(f"{version}-LICENSE.txt")
    text = license_text + "\n\n" + llama_text(f"{version}-USE_POLICY.md")
    a = analysed(text)
    assert_cited_consistently(a, text)
    assert a.verdict is Verdict.RESTRICTED
    assert a.openwashing is True, "a 'Community License' that restricts use"
    aup = [f for f in a.findings if f.id == "USE-001" and f.severity is Severity.ERROR and f.start > len(license_text)]
    assert len(aup) >= 10
    expect(a, text, "USE-007", "700 million monthly active users")


# --- restrictive reference texts ------------------------------------------------

RESTRICTIVE = {
    "bigscience-open-rail-m": [
        ("USE-001", "exploiting, harming or attempting to exploit or harm minors"),
        ("USE-001", "To defame, disparage or otherwise harass others"),
        ("USE-001", "To provide medical advice and medical results interpretation"),
        ("USE-011", "reserves the right to restrict (remotely or otherwise) usage"),
    ],
    "bigscience-rail-1.0": [
        ("USE-001", "exploiting, harming or attempting to exploit or harm minors"),
        ("USE-001", "To provide medical advice and medical results interpretation"),
        ("USE-011", "reserves the right to restrict (remotely or otherwise) usage"),
    ],
    "gemma-tou-2024-04-01": [
        ("USE-001", "Gemma Prohibited Use Policy"),
        ("USE-011", "reserves the right to restrict (remotely or otherwise) usage"),
    ],
    "gemma-pup-2024-02-21": [
        ("USE-010", "reserves the right to update this Gemma Prohibited Use Policy"),
        ("USE-001", "child sexual abuse"),
        ("USE-001", "Tracking or monitoring people without their consent"),
    ],
    "cc-by-nc-4.0": [
        ("USE-002", "for NonCommercial purposes only"),
        ("SHARE-002", "reproduce and Share the Licensed Material, in whole or in part, for NonCommercial purposes only"),
    ],
    "cc-by-nd-4.0": [
        ("MODIFY-001", "but not Share, Adapted Material"),
    ],
    "polyform-noncommercial-1.0.0": [
        ("USE-002", "noncommercial purpose"),
    ],
    "json": [
        ("USE-001", "The Software shall be used for Good, not Evil."),
    ],
    "hippocratic-3.0": [
        ("USE-001", "Hold any person in slavery, servitude, or forced labor"),
        ("USE-001", "Torture or subject any person to cruel"),
        ("USE-004", "Taliban"),
    ],
    "elastic-license-v2": [
        ("SHARE-001", "provide the software to third parties as a hosted or managed service"),
        ("MODIFY-001", "circumvent the license key functionality"),
    ],
}


@pytest.mark.parametrize(
    "key,code,words",
    [(k, c, w) for k, items in RESTRICTIVE.items() for c, w in items],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_restriction_is_found_and_cited(key, code, words):
    text = scancode_text(key)
    expect(analysed(text), text, code, words)


@pytest.mark.parametrize("key", sorted(RESTRICTIVE))
def test_restrictive_text_is_not_open(key):
    text = scancode_text(key)
    a = analysed(text)
    assert_cited_consistently(a, text)
    assert a.verdict is not Verdict.OPEN


def test_law_only_use_restriction_of_openrail_is_info_with_its_reason():
    text = scancode_text("bigscience-open-rail-m")
    (f, *_) = expect(
        analysed(text), text, "USE-001", "In any way that violates any applicable national, federal, state, local or international law",
        severities=(Severity.INFO,),
    )
    assert "restates the law" in f.message


def test_openrail_calls_itself_open_while_restricted():
    a = analysed(scancode_text("bigscience-open-rail-m"))
    assert a.openwashing is True
    assert any(f.id == "USE-012" for f in a.findings)


# --- open reference texts -------------------------------------------------------

OPEN = ["mit", "bsd-simplified", "bsd-new", "apache-2.0", "isc", "mpl-2.0", "lgpl-2.1", "gpl-2.0", "gpl-3.0", "agpl-3.0", "epl-2.0", "cc0-1.0", "unlicense"]
COPYLEFT = ["mpl-2.0", "lgpl-2.1", "gpl-2.0", "gpl-3.0", "agpl-3.0", "epl-2.0"]


@pytest.mark.parametrize("key", OPEN)
def test_open_license_is_open_with_no_restriction_findings(key):
    text = scancode_text(key)
    a = analysed(text)
    serious = [(f.id, f.clause, f.evidence[:80]) for f in a.findings if f.severity in SERIOUS]
    assert serious == []
    statuses = {k.value: v.status for k, v in a.freedoms.items()}
    assert all(s in (Status.GRANTED, Status.CONDITIONAL) for s in statuses.values()), statuses
    assert a.verdict is Verdict.OPEN
    assert a.openwashing is False


@pytest.mark.parametrize("key", COPYLEFT)
def test_copyleft_is_reported_as_a_condition(key):
    a = analysed(scancode_text(key))
    assert any(t.kind is TermKind.COND_SAME_LICENSE for t in a.terms)
    assert a.freedoms["share"].status is Status.CONDITIONAL


def test_permissive_text_with_one_military_sentence_is_flagged_at_that_sentence():
    sentence = "This software may not be used for military purposes."
    base = scancode_text("mit")
    text = base.rstrip("\n") + "\n\n" + sentence + "\n"
    a = analysed(text)
    serious = [f for f in a.findings if f.severity in SERIOUS]
    assert [f.id for f in serious] == ["USE-001"]
    (f,) = serious
    assert text[f.start : f.end] == sentence
    assert f.line == text.count("\n", 0, text.index(sentence)) + 1
    assert a.verdict is Verdict.RESTRICTED
    assert a.freedoms["use"].status is Status.RESTRICTED
    assert analysed(base).verdict is Verdict.OPEN
