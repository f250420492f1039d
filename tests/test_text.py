"""Reading, decoding and normalizing license texts."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licenselens.errors import InputError
from licenselens.text import MAX_BYTES, decode, normalize, read_input

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "licenses"


# --- read_input -------------------------------------------------------------


def test_reads_a_file(tmp_path):
    f = tmp_path / "LICENSE"
    f.write_bytes(b"MIT License\n")
    assert read_input(str(f)) == (str(f), b"MIT License\n")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: _write(p / "empty", b""), "empty file"),
        (lambda p: _write(p / "bin", b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20), "binary data, not a license text"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(tmp_path, make, reason):
    path = str(make(tmp_path))
    with pytest.raises(InputError) as info:
        read_input(path)
    assert info.value.source == path
    assert info.value.reason == reason
    assert "\n" not in str(info.value)


def test_oversized_file_is_refused_before_reading(tmp_path):
    f = tmp_path / "big"
    with open(f, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: the size is checked, never read
    with pytest.raises(InputError, match="too large"):
        read_input(str(f))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path):
    f = _write(tmp_path / "secret", b"text")
    f.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_input(str(f))


def test_stdin_reads_bytes_and_refuses_empty_and_oversized():
    assert read_input("-", stdin=io.BytesIO(b"ISC License")) == ("-", b"ISC License")
    with pytest.raises(InputError, match="empty input"):
        read_input("-", stdin=io.BytesIO(b""))
    with pytest.raises(InputError, match="larger than"):
        read_input("-", stdin=io.BytesIO(b"a" * (MAX_BYTES + 1)))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- decode -----------------------------------------------------------------

SAMPLE = "Licensor grants “you” a license — café, naïve, 日本語."


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decodes_unicode_encodings(codec):
    data = SAMPLE.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + SAMPLE).encode(codec)  # BOM written in the stated byte order
    assert decode(data, "f") == SAMPLE


def test_bomless_utf16_ascii_text():
    assert decode("Permission is hereby granted".encode("utf-16-le"), "f") == "Permission is hereby granted"


def test_invalid_utf8_text_falls_back_to_cp1252():
    # A Windows-1252 file: curly quotes 0x93/0x94 and e-acute 0xe9 are not UTF-8.
    assert decode(b"\x93Licensed\x94 caf\xe9", "f") == "\u201cLicensed\u201d caf\u00e9"


def test_latin1_for_bytes_cp1252_leaves_undefined():
    assert decode(b"caf\xe9 \x81", "f") == "caf\u00e9 \x81"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # zip header: NUL bytes
        bytes(range(1, 32)) * 10,  # control characters
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",  # jpeg
        b"\xef\xbb\xbf" + b"\x01\x02\x03\x04" * 50,  # UTF-8 BOM, then control bytes
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(InputError) as info:
        decode(data, "blob")
    assert str(info.value) == "blob: binary data, not a license text"


def test_invalid_data_after_a_bom_is_an_error():
    with pytest.raises(InputError, match="invalid UTF-8"):
        decode(b"\xef\xbb\xbf\xff\xfe abc \xc3", "f")


def test_a_few_control_characters_are_still_text():
    text = "Section 1\x0cSection 2 " + "words " * 100
    assert decode(text.encode(), "f") == text


# --- normalize --------------------------------------------------------------


def test_unifies_quotes_dashes_spaces():
    nt = normalize("the \u201cSoftware\u201d \u2014 it\u2019s\u00a0free\t\tand   open")
    assert nt.text == "the \"Software\" - it's free and open"


def test_strips_markdown_inline_decoration_and_keeps_structure():
    src = "# Title\n\n1. **Use** of the *Model* under `terms`, see [the policy](https://x.y/p).\n    - a __bold__ item\n"
    nt = normalize(src)
    assert nt.text == "# Title\n\n1. Use of the Model under terms, see the policy.\n    - a bold item\n"


def test_strips_html_tags_and_entities_but_not_placeholders():
    nt = normalize("<p>Copyright &copy; <YEAR> <COPYRIGHT HOLDER><br>A&amp;B</p>")
    assert nt.text == "\nCopyright \u00a9 <YEAR> <COPYRIGHT HOLDER>\nA&B\n"


def test_crlf_becomes_lf_and_trailing_blanks_go():
    nt = normalize("a  \r\nb\rc \n")
    assert nt.text == "a\nb\nc\n"
    assert [nt.line_of(nt.to_original(nt.text.index(ch))) for ch in "abc"] == [1, 2, 3]


def test_map_points_back_to_the_original_words():
    src = "**Licensee** shall not use the \u201cModel\u201d\u2026 &amp; more"
    nt = normalize(src)
    for word in ("Licensee", "shall not", "Model", "more"):
        i = nt.text.index(word)
        s, e = nt.span_to_original(i, i + len(word))
        assert src[s:e] == word
    i = nt.text.index("...")
    assert nt.span_to_original(i, i + 3) == (src.index("\u2026"), src.index("\u2026") + 1)


def test_line_of_counts_all_line_ends():
    nt = normalize("one\ntwo\r\nthree\rfour")
    assert [nt.line_of(nt.original.index(w)) for w in ("one", "two", "three", "four")] == [1, 2, 3, 4]
    assert nt.line_of(len(nt.original)) == 4


def test_offsets_array_agrees_with_to_original():
    nt = normalize("A **b** \u201cc\u201d\r\n  d&amp;e\u2026")
    assert list(nt.offsets) == [nt.to_original(i) for i in range(len(nt.text) + 1)]


def test_normalize_is_fast():
    text = (CORPUS / "gpl-3.0.LICENSE").read_text(encoding="utf-8")
    text = (text + text)[:40_000]
    normalize(text)
    best = min(_timed(normalize, text) for _ in range(5))
    assert best < 0.010, f"normalize of 40 KB took {best * 1000:.1f} ms"


def _timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0


_PIECES = list("ab *_`[]()#<>&;\\-.\t\r\n\u2019\u2014\u00a0\u2026\u200b") + ["**", "&amp;", "<b>", "<br>", "](u)"]
_TEXTISH = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXTISH, st.text(max_size=200)))
def test_map_is_monotonic_and_in_range(text):
    nt = normalize(text)
    mapped = [nt.to_original(i) for i in range(len(nt.text) + 1)]
    assert all(0 <= o <= len(text) for o in mapped)
    assert mapped == sorted(mapped)
    assert mapped[-1] == len(text)
    for i in range(len(nt.text)):
        s, e = nt.span_to_original(i, i + 1)
        assert 0 <= s <= e <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_crashes_on_bytes(data):
    try:
        assert isinstance(decode(data, "x"), str)
    except InputError as exc:
        assert exc.source == "x"


def test_emphasis_needs_flanking_delimiters():
    assert normalize("2 * 3 * 4, snake_case_name, a*b*c, * bullet").text == "2 * 3 * 4, snake_case_name, a*b*c, * bullet"
    assert normalize("***both*** and `` code with ` tick ``").text == "both and  code with ` tick "


@pytest.mark.parametrize(
    "hostile",
    ["*" * 200_000, "`" * 200_000, "*a" * 100_000, "**a " * 50_000, "<!--" * 50_000, "<b " * 60_000,
     "[](" * 60_000, "*_`[<!&\\" * 25_000],
)  # fmt: skip
def test_hostile_decoration_is_linear(hostile):
    t0 = time.perf_counter()
    nt = normalize(hostile)
    assert time.perf_counter() - t0 < 2.0
    assert nt.to_original(len(nt.text)) == len(hostile)
