"""Segmentation: real license layouts in, clause ids out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licenselens.model import Clause
from licenselens.segment import segment, units
from licenselens.text import normalize

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "segment"
CORPUS = HERE.parent / "corpora" / "licenses"
LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"


def _llama(name: str) -> str:
    path = LLAMA / name
    if not path.is_file():
        pytest.skip(f"third-party reference text {path} is absent")
    return path.read_text(encoding="utf-8")


def _reference(key: str) -> str:
    """A reference text from corpora/licenses without its YAML front matter."""
    text = (CORPUS / f"{key}.LICENSE").read_text(encoding="utf-8")
    return text[text.index("\n---", 3) + 4 :].lstrip("\n")


def _segment(text: str) -> list[Clause]:
    clauses = segment(normalize(text))
    _check_partition(text, clauses)
    return clauses


def _check_partition(text: str, clauses: list[Clause]) -> None:
    if not text:
        assert clauses == []
        return
    assert clauses[0].start == 0 and clauses[-1].end == len(text)
    ids = set()
    for a, b in zip(clauses, clauses[1:]):
        assert a.end == b.start
    for c in clauses:
        assert c.start < c.end
        assert c.text == text[c.start : c.end]
        assert c.id not in ids
        assert c.parent is None or c.parent in ids  # parents come first
        ids.add(c.id)


def _ids(clauses: list[Clause]) -> list[str]:
    return [c.id for c in clauses]


def _by_id(clauses: list[Clause]) -> dict[str, Clause]:
    return {c.id: c for c in clauses}


# --- real layouts -----------------------------------------------------------


def test_mit_is_paragraphs():
    assert _ids(_segment(_reference("mit"))) == ["p1", "p2", "p3"]


def test_apache_sections_and_lettered_items():
    clauses = _by_id(_segment(_reference("apache-2.0")))
    assert clauses["title"].heading == "Apache License"
    assert clauses["1"].heading == "Definitions"
    assert '"License" shall mean' in clauses["1"].text
    assert [i for i in clauses if i.startswith("4.")] == ["4.a", "4.b", "4.c", "4.d", "4.p1"]
    assert clauses["4.b"].text.startswith("(b) You must cause any modified files")
    assert clauses["4.b"].parent == "4" and clauses["4.b"].level == clauses["4"].level + 1
    assert clauses["4.p1"].text.startswith("You may add Your own copyright statement")
    assert clauses["9"].heading == "Accepting Warranty or Additional Liability"
    assert clauses["appendix"].text.startswith("APPENDIX: How to apply the Apache License")


def test_gpl3_numbered_sections_with_headings():
    clauses = _by_id(_segment(_reference("gpl-3.0")))
    assert [str(n) for n in range(18)] == [i for i in clauses if i.isdigit()]
    assert clauses["0"].heading == "Definitions"
    assert clauses["preamble"].heading == "Preamble"
    assert "The GNU General Public License is a free, copyleft license" in " ".join(clauses["preamble"].text.split())
    assert clauses["5.a"].text.startswith("a) The work must carry prominent notices")
    assert clauses["13"].heading == "Use with the GNU Affero General Public License"


def test_creative_commons_section_markers_and_deep_nesting():
    clauses = _by_id(_segment(_reference("cc-by-nc-4.0")))
    assert clauses["1"].heading == "Definitions"
    assert clauses["1.i"].text.startswith("i. NonCommercial means")  # "i." after "h." is a letter
    assert clauses["3.a.1.a.iv"].text.startswith("iv. a notice that refers to the disclaimer")
    assert clauses["2.a.1.a"].text.startswith("a. reproduce and Share the Licensed Material")


def test_rail_sections_group_numbered_paragraphs_and_attachment():
    clauses = _by_id(_segment(_reference("bigscience-open-rail-m")))
    assert clauses["section-2"].heading == "INTELLECTUAL PROPERTY RIGHTS"
    assert clauses["2"].heading == "Grant of Copyright License" and clauses["2"].parent == "section-2"
    assert clauses["1.a"].text.startswith('(a) "License" means')
    assert clauses["attachment-a"].heading == "Use Restrictions"
    assert clauses["attachment-a.i"].text.startswith("(i) For any use intended to")  # after (h): a letter
    assert clauses["attachment-a.m"].parent == "attachment-a"


def test_hippocratic_multilevel_numbers_and_bullet_headings():
    by_id = _by_id(_segment(_reference("hippocratic-3.0")))
    assert by_id["ethical-standards"].heading == "ETHICAL STANDARDS"
    assert by_id["3.1"].text.startswith("3.1.  The Licensee SHALL NOT")
    assert by_id["3.1.12.2.1"].parent == "3.1.12.2"
    assert by_id["3.1.12.2.1"].text.startswith('3.1.12.2.1.  "Wanton" means')


def test_llama_3_1_license_ids():
    clauses = _segment(_llama("llama3_1-LICENSE.txt"))
    assert _ids(clauses) == [
        "title",
        *(f"definitions.{n}" for n in range(1, 7)),
        "p1",
        "1", "1.a", "1.b", "1.b.i", "1.b.ii", "1.b.iii", "1.b.iv",
        "2", "3", "4", "5", "5.a", "5.b", "5.c", "6", "7",
    ]  # fmt: skip
    by_id = _by_id(clauses)
    assert "Acceptable Use Policy" in by_id["1.b.iv"].text
    assert by_id["1.b.iv"].parent == "1.b" and by_id["1.b"].parent == "1"
    assert by_id["1"].heading == "License Rights and Redistribution"
    assert by_id["1.a"].heading == "Grant of Rights"
    assert "700 million monthly active users" in by_id["2"].text
    assert by_id["definitions.3"].text.startswith("\u201cLicensee\u201d or \u201cyou\u201d means")


def test_llama_2_license_has_1_b_v():
    by_id = _by_id(_segment(_llama("llama2-LICENSE.txt")))
    assert "improve any other large language model" in by_id["1.b.v"].text.replace("\n", " ")


def test_llama_3_2_aup_nested_markdown_lists():
    clauses = _segment(_llama("llama3_2-USE_POLICY.md"))
    by_id = _by_id(clauses)
    assert by_id["title"].heading == "Llama 3.2 Acceptable Use Policy"
    assert by_id["prohibited-uses"].heading == "Prohibited Uses"
    assert by_id["1"].parent == "prohibited-uses"
    assert by_id["1.a.i"].text.startswith("1. Violence or terrorism")
    assert by_id["1.a.vi"].text.startswith("6. Any other criminal activity")
    # Markdown numbers by position: the second "1." under item 1 is 1.b.
    assert by_id["1.b"].text.startswith("1. Engage in, promote, incite, or facilitate the harassment")
    assert by_id["2.a"].text.startswith("8. Military, warfare")
    assert [i for i in by_id if i.startswith("3.")] == ["3.a", "3.b", "3.c", "3.d", "3.e", "3.f"]
    eu = by_id["p1"]
    assert "European Union" in eu.text and eu.parent == "prohibited-uses"
    assert [i for i in by_id if i.startswith("p2.")] == ["p2.1", "p2.2", "p2.3", "p2.4"]


def test_llama_3_1_aup_bullets_number_by_position():
    by_id = _by_id(_segment(_llama("llama3_1-USE_POLICY.md")))
    assert by_id["2.1"].text.startswith("* Military, warfare")
    assert by_id["1.1.1"].text.startswith("* Violence or terrorism")


def test_llama_4_aup_markdown_typo_in_numbering():
    by_id = _by_id(_segment(_llama("llama4-USE_POLICY.md")))
    # The source numbers the second item "3."; Markdown renders it second, and so does the id.
    assert by_id["2"].text.startswith("3. Engage in, promote, incite, facilitate")
    assert by_id["2.a"].text.startswith("1. Military, warfare")


def test_license_and_policy_concatenated():
    text = _llama("llama3_2-LICENSE.txt") + "\n\n" + _llama("llama3_2-USE_POLICY.md")
    by_id = _by_id(_segment(text))
    # The license keeps its ids; the policy's restarted numbering is scoped by its heading.
    assert "Acceptable Use Policy" in by_id["1.b.iv"].text
    assert by_id["prohibited-uses.2.a"].text.startswith("8. Military, warfare")
    assert "European Union" in by_id["prohibited-uses.p1"].text


def test_llama_3_license_with_its_policy_inline():
    by_id = _by_id(_segment(_llama("llama3-LICENSE.txt")))
    assert by_id["7"].heading == "Governing Law and Jurisdiction"
    assert by_id["meta-llama-3-acceptable-use-policy"].heading == "Meta Llama 3 Acceptable Use Policy"
    assert by_id["prohibited-uses.2.a"].text.startswith("a. Military, warfare")
    assert by_id["prohibited-uses.1.a.i"].text.startswith("i. Violence or terrorism")


def test_attachment_layout():
    text = (FIXTURES / "attachment.txt").read_text(encoding="utf-8")
    clauses = _segment(text)
    assert _ids(clauses) == [
        "title", "1", "2", "3",
        "attachment-a", "attachment-a.1", "attachment-a.2", "attachment-a.2.a", "attachment-a.2.b",
        "attachment-a.3", "exhibit-b",
    ]  # fmt: skip
    by_id = _by_id(clauses)
    assert by_id["attachment-a"].heading == "Use Restrictions"
    assert "You agree not to use the Model:" in by_id["attachment-a"].text
    assert by_id["attachment-a.3"].text.startswith("3. in the European Union.")
    assert by_id["attachment-a.2.b"].parent == "attachment-a.2"
    assert by_id["1"].heading == "Definitions" and '"Model" means' in by_id["1"].text


def test_markdown_headings():
    text = (FIXTURES / "headings.md").read_text(encoding="utf-8")
    clauses = _segment(text)
    assert _ids(clauses) == ["title", "1", "2", "2.1", "2.2", "restrictions", "reporting"]
    by_id = _by_id(clauses)
    assert by_id["title"].text.startswith("# Example Community License")
    assert by_id["2"].heading == "Conditions"
    assert by_id["reporting"].parent == "restrictions"
    assert by_id["restrictions"].line == 16


def test_section_and_article_markers():
    text = "Article I - Definitions\n\nTerms.\n\nArticle II - Grant\n\n(a) You may use it.\n\nSection 3. Term\n\nForever.\n"
    clauses = _segment(text)
    assert _ids(clauses) == ["1", "2", "2.a", "3"]
    assert [c.heading for c in clauses] == ["Definitions", "Grant", None, "Term"]


def test_roman_and_letter_i_are_told_apart():
    text = "1. Items:\n(a) one\n(b) two\n(i) first roman\n(ii) second roman\n(c) three\n"
    assert _ids(_segment(text)) == ["1", "1.a", "1.b", "1.b.i", "1.b.ii", "1.c"]
    letters = "\n".join(f"({ch}) item {ch}" for ch in "abcdefghij")
    assert _ids(_segment("1. List:\n" + letters))[-3:] == ["1.h", "1.i", "1.j"]


def test_wrapped_reference_is_not_an_item():
    text = "5.2. If You sue, the rights granted under Section\n2.1 of this License shall terminate.\n\n5.3. Next.\n"
    assert _ids(_segment(text)) == ["5.2", "5.3"]


def test_crlf_input_gives_the_same_ids_and_original_spans():
    text = _llama("llama3_1-LICENSE.txt")
    crlf = text.replace("\n", "\r\n")
    plain, windows = segment(normalize(text)), _segment(crlf)
    assert _ids(plain) == _ids(windows)
    for a, b in zip(plain, windows):
        assert a.line == b.line
        assert b.text.replace("\r\n", "\n") == a.text


def test_unknown_layout_degrades_to_paragraphs():
    text = "some words here\nand more words\n\nanother block of words\n\n\n   indented thing"
    assert _ids(_segment(text)) == ["p1", "p2", "p3"]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\r\n", "\x0c", "1.", "#", "* ", "(a)", "Attachment", "\u2028"])
def test_degenerate_texts(text):
    _segment(text)


def test_segment_is_fast():
    text = _llama("llama3-LICENSE.txt")
    nt = normalize(text)
    segment(nt)  # grammar built and cached
    best = min(_timed(segment, nt) for _ in range(5))
    assert best < 0.020, f"segmenting {len(text)} characters took {best * 1000:.1f} ms"


def _timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0


# --- units ------------------------------------------------------------------


def _unit_texts(text: str, start: int = 100) -> list[str]:
    clause = Clause(id="x", start=start, end=start + len(text), line=1, text=text)
    return [text[s - start : e - start] for s, e in units(clause)]


def test_units_are_sentences_without_the_marker():
    text = "iv. Your use must comply with law. It must also adhere to the Policy (e.g. no spam, i.e. none).\n"
    assert _unit_texts(text) == [
        "Your use must comply with law.",
        "It must also adhere to the Policy (e.g. no spam, i.e. none).",
    ]


def test_units_do_not_split_abbreviations_references_and_numbers():
    text = (
        "Meta Platforms, Inc. and Example Co. grant the U.S. rights under Section 1.2 and No. 5 of 3.5 million "
        "users, etc. and more. Second sentence.\n"
    )
    assert _unit_texts(text) == [
        "Meta Platforms, Inc. and Example Co. grant the U.S. rights under Section 1.2 and No. 5 of 3.5 million "
        "users, etc. and more.",
        "Second sentence.",
    ]


def test_units_do_not_split_dotted_initials():
    text = "Export is governed by 15 C.F.R. Part 744 and the U.N. Charter. Second sentence.\n"
    assert _unit_texts(text) == [
        "Export is governed by 15 C.F.R. Part 744 and the U.N. Charter.",
        "Second sentence.",
    ]


def test_units_split_paragraphs_lead_ins_and_skip_punctuation():
    text = "You agree not to:\n\n--\n\nuse it for war;\nuse it for spam.\n"
    assert _unit_texts(text) == ["You agree not to:", "use it for war;", "use it for spam."]
    text = "You agree not to:  \n\nuse it for war;  \nuse it for spam.\n"  # blanks before the line ends
    assert _unit_texts(text) == ["You agree not to:", "use it for war;", "use it for spam."]


def test_units_split_a_list_written_inline_after_its_lead_in():
    text = (
        "You shall not: (a) reverse engineer the Software; (b) rent or lease it; or (c) remove any notices. "
        "You shall (A) keep a copy; and (B) show it. Copyright (c) 2020 Example; see (d) below.\n"
    )
    assert _unit_texts(text) == [
        "You shall not:",
        "reverse engineer the Software;",
        "rent or lease it; or",
        "remove any notices.",
        "You shall (A) keep a copy; and (B) show it.",
        "Copyright (c) 2020 Example; see (d) below.",
    ]


def test_units_keep_a_spaced_dot_between_placeholders():
    text = "A license for the [MAJOR] . [MINOR] version covers [MAJOR] . [MINOR + 1] as well. Next.\n"
    assert _unit_texts(text) == [
        "A license for the [MAJOR] . [MINOR] version covers [MAJOR] . [MINOR + 1] as well.",
        "Next.",
    ]


def test_units_on_llama_clauses():
    by_id = _by_id(_segment(_llama("llama3_1-LICENSE.txt")))
    clause = by_id["1.b.i"]
    texts = [clause.text[s - clause.start : e - clause.start] for s, e in units(clause)]
    assert texts[0].startswith("If you distribute or make available the Llama Materials")
    assert texts[-1].startswith("If you use the Llama Materials or any outputs or results")
    assert len(texts) == 2
    clause = by_id["5.a"]
    texts = [clause.text[s - clause.start : e - clause.start] for s, e in units(clause)]
    assert any(t.startswith("Meta hereby grants you a license to use") and t.endswith("Section 1.b.i.") for t in texts)


# --- properties -------------------------------------------------------------

_PIECES = [
    "1.", "1.1", "2.", "(a)", "(b)", "a.", "b)", "i.", "ii.", "(iv)", "Section 2", "Article II", "Attachment A:",
    "Exhibit B", "#", "## ", "- ", "* ", "\u2022 ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", " ", "word",
    "Word", "WORDS", '"Term" means', ".", ":", ";", "e.g.", "**", "`", "[x](y)", "<b>", "&amp;", "\u2019",
    "\u00a0", "\u2028", "\ufeff", "\x00", "\u65e5\u672c",
]  # fmt: skip
_LICENSEISH = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


def _check_units(clauses: list[Clause]) -> None:
    for c in clauses:
        for s, e in units(c):
            assert c.start <= s < e <= c.end


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LICENSEISH, st.text(max_size=300)))
def test_any_text_is_partitioned_and_units_stay_inside(text):
    clauses = _segment(text)
    _check_units(clauses)
    for c in clauses:
        assert c.line == normalize(text).line_of(c.start)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=400), st.sampled_from(["1.", "(a)", "- ", "i."]))
def test_huge_nesting_never_crashes(depth, marker):
    text = "".join(" " * (2 * k) + f"{marker} level {k}\n" for k in range(depth))
    clauses = _segment(text)
    _check_units(clauses)


@pytest.mark.slow
def test_every_reference_text_segments_cleanly():
    for path in sorted(CORPUS.glob("*.LICENSE")):
        text = _reference(path.stem)
        clauses = _segment(text)
        _check_units(clauses)


def test_units_end_at_curly_quotes_and_emphasis():
    text = "You must display \u201cBuilt with Llama.\u201d Then comply. **Bold sentence.** Next one."
    assert _unit_texts(text) == [
        "You must display \u201cBuilt with Llama.\u201d",
        "Then comply.",
        "**Bold sentence.**",
        "Next one.",
    ]


@pytest.mark.parametrize(
    "hostile",
    ["1. x\n" * 5_000, "".join(" " * (k % 40) + "(a) y\n" for k in range(5_000)), "a" * 500_000,
     "\n" * 200_000, "#\n" * 20_000, "Section 1\n" * 5_000],
)  # fmt: skip
def test_hostile_layouts_finish(hostile):
    t0 = time.perf_counter()
    clauses = _segment(hostile)
    assert time.perf_counter() - t0 < 10.0
    _check_units(clauses)
