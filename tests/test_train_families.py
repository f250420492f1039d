"""Families for the held-out split: by key, and by copied text under unrelated keys."""

from licenselens.classify.train import Example, document_families, family


def _doc(key: str, sentences: list[str]) -> list[Example]:
    return [Example(key, s, frozenset()) for s in sentences]


SHARED = [f"Section {i}: the licensee shall keep every notice of this kind intact in copy number {i}." for i in range(8)]


def test_versions_of_one_key_are_one_family():
    assert family("foo-1.0") == family("foo-2.1") == "foo"


def test_documents_that_copy_each_other_are_one_family():
    own = [f"A sentence of the vendor's own wording, long enough to count, number {i}." for i in range(4)]
    fams = document_families(_doc("acme-eula", SHARED + own) + _doc("zeta-terms", SHARED))
    assert fams["acme-eula"] == fams["zeta-terms"]


def test_a_shared_disclaimer_alone_does_not_merge():
    own_a = [f"Alpha license wording that is not found in the other document, item {i}." for i in range(20)]
    own_b = [f"Beta license wording that is not found in the other document, item {i}." for i in range(20)]
    fams = document_families(_doc("alpha", SHARED[:2] + own_a) + _doc("beta", SHARED[:2] + own_b))
    assert fams["alpha"] != fams["beta"]


def test_a_small_overlap_in_large_documents_does_not_merge():
    own_a = [f"Alpha license wording that is not found in the other document, item {i}." for i in range(40)]
    own_b = [f"Beta license wording that is not found in the other document, item {i}." for i in range(40)]
    fams = document_families(_doc("alpha", SHARED[:6] + own_a) + _doc("beta", SHARED[:6] + own_b))
    assert fams["alpha"] != fams["beta"]
