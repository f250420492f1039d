"""Reading, decoding and normalizing license texts.

``normalize`` unifies quotes, dashes and whitespace and strips Markdown/HTML
decoration, keeping line structure, indentation and list markers (the
segmenter needs them). It keeps a map from every normalized offset back to the
original text, so spans found on the normalized text are reported as offsets
into the text the user gave.
"""

from __future__ import annotations

import codecs
import html
import os
import re
import stat
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import BinaryIO

from licenselens.errors import InputError

MAX_BYTES = 10 * 1024 * 1024

# ---------------------------------------------------------------------------
# reading


def read_input(path: str, *, stdin: BinaryIO | None = None) -> tuple[str, bytes]:
    """Read a license from ``path`` ('-' for standard input); return ``(source, data)``.

    Raises ``InputError`` naming the input for a missing file, a directory, an
    unreadable file, an empty input, an input over ``MAX_BYTES`` and binary data.
    """
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        # Read one byte past the limit so an oversized stream is detected without reading it all.
        data = stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError("-", f"input larger than {_size(MAX_BYTES)}")
        if not data:
            raise InputError("-", "empty input")
        _refuse_binary(data, "-")
        return "-", data
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        raise InputError(path, f"file too large ({_size(info.st_size)}; limit {_size(MAX_BYTES)})")
    try:
        with open(path, "rb") as handle:
            # Bounded read: special files (pipes, /dev/zero) report no useful size.
            data = handle.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from None
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file too large (over {_size(MAX_BYTES)})")
    if not data:
        raise InputError(path, "empty file")
    _refuse_binary(data, path)
    return path, data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 MiB", " MiB")
    return f"{n} bytes"


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or exc.__class__.__name__).lower()


# ---------------------------------------------------------------------------
# decoding

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Bytes that never occur in text: C0 controls except \t \n \v \f \r and ESC, plus DEL.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b") + b"\x7f"
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# More than this share of control characters means binary data.
_MAX_CONTROL_RATIO = 0.02
_BINARY = "binary data, not a license text"


def decode(data: bytes, source: str | None = None) -> str:
    """Decode license bytes to text, refusing binary data.

    The rule, in order:

    1. A byte-order mark decides: UTF-32, UTF-8 or UTF-16 (LE/BE). Invalid
       data after a BOM is an error.
    2. Without a BOM, text that is UTF-16 without BOM (ASCII-range text with
       every other byte NUL) is decoded as UTF-16.
    3. Any other NUL byte, or more than 2% control bytes, means binary data:
       ``InputError(source, "binary data, not a license text")``.
    4. Valid UTF-8 is UTF-8.
    5. Anything else is a legacy 8-bit text: Windows-1252, with Latin-1 for the
       five bytes cp1252 leaves undefined. Never an error.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(source, f"invalid {label} data after byte-order mark") from None
            return _check_decoded(text, source)
    codec16 = _bomless_utf16(data)
    if codec16 is not None:
        try:
            return _check_decoded(data.decode(codec16), source)
        except UnicodeDecodeError:
            pass
    _refuse_binary(data, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _refuse_binary(data: bytes, source: str | None) -> None:
    """Raise ``InputError`` when ``data`` is binary (NULs or many control bytes)."""
    if data.startswith(tuple(bom for bom, _, _ in _BOMS)) or _bomless_utf16(data):
        return  # NULs are normal in UTF-16/32; the decoded text is checked instead
    if b"\x00" in data:
        raise InputError(source, _BINARY)
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_RATIO * len(data):
        raise InputError(source, _BINARY)


def _bomless_utf16(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when ``data`` looks like BOM-less UTF-16 text."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    half = len(head) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _check_decoded(text: str, source: str | None) -> str:
    if not text:
        return text
    if "\x00" in text or len(_CONTROL_CHARS_RE.findall(text)) > _MAX_CONTROL_RATIO * len(text):
        raise InputError(source, _BINARY)
    return text


def _latin1_holes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("licenselens-latin1", _latin1_holes)


def _decode_legacy(data: bytes) -> str:
    return data.decode("cp1252", errors="licenselens-latin1")


# ---------------------------------------------------------------------------
# normalizing

# One character in, one character out: applied first, offsets unchanged.
_ONE_TO_ONE = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u202f\u205f\u3000", " "),
    "\u2028": "\n",
    "\u2029": "\n",
}
del _ONE_TO_ONE["`"]  # backticks are Markdown code delimiters, handled below
_ONE_TO_ONE_RE = re.compile("[" + re.escape("".join(_ONE_TO_ONE)) + "]")

# Each regex starts with a literal or a character class so the scanner skips
# quickly, and runs only when its trigger character occurs in the text.
# Markdown emphasis and code spans: runs of delimiters, paired per line in one pass (see _delimiter_edits).
_DELIMITER_RE = re.compile(r"\*+|_+|`+|\n")
# Links and images keep their label; reference links lose the reference.
_LINK_RE = re.compile(
    r"!?\[([^\[\]\n]{0,500})\](?:\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)|\[[^\[\]\n]{0,100}\])"
)
# Runs of two or more blanks or with a tab, and single trailing blanks; indentation is kept
# (checked in code). Literal first characters keep these scans fast.
_BLANKS_RE = re.compile(r" [ \t]+|\t[ \t]*")
_TRAILING_BLANK_RE = re.compile(r" (?=[\r\n]|\Z)")
_NEWLINE_RE = re.compile(r"\r\n?")
_NON_ASCII_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]+|\u2026")
_HTML_BLOCK = "p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|pre|hr|section|article|dl|dt|dd|center"
_HTML_INLINE = (
    "a|b|i|u|s|em|strong|code|span|sup|sub|small|big|font|tt|del|ins|mark|abbr|cite|q|img|td|th"
    "|thead|tbody|tfoot|html|head|body|title|meta|link|details|summary|nobr|wbr|kbd|var|samp|strike"
)
# Only known HTML tags: "<YEAR>" and "<COPYRIGHT HOLDER>" placeholders must stay.
_ANGLE_RE = re.compile(
    rf"<(?:(?P<block>/?(?:{_HTML_BLOCK})(?:\s[^<>]{{0,1000}})?/?)"
    rf"|(?P<inline>/?(?:{_HTML_INLINE})(?:\s[^<>]{{0,1000}})?/?)"
    r"|(?P<autolink>(?:https?|ftp|mailto):[^\s<>]{1,2000}))>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_ESCAPE_RE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!<>|~])")
_BREAKING_TAG_RE = re.compile(r"/?(?:br|p|div|li|h[1-6]|tr|hr|blockquote|pre|dt|dd|ul|ol|table)\b", re.I)


@dataclass(frozen=True)
class NormalizedText:
    """A text and its normalized form, with the map between their offsets.

    The map is a piece table: piece ``k`` covers normalized offsets
    ``out_starts[k]`` up to the next piece and came from original offsets
    ``orig_starts[k]..orig_ends[k]``; verbatim pieces map character by
    character, replaced pieces map every character to their original start.
    """

    original: str
    text: str
    out_starts: list[int] = field(repr=False, compare=False)
    orig_starts: list[int] = field(repr=False, compare=False)
    orig_ends: list[int] = field(repr=False, compare=False)
    verbatim: list[bool] = field(repr=False, compare=False)

    def to_original(self, i: int) -> int:
        """Map normalized offset ``i`` (0..len(text)) to an original offset (for span starts)."""
        if i >= len(self.text):
            return len(self.original)
        k = bisect_right(self.out_starts, max(0, i)) - 1
        if self.verbatim[k]:
            return self.orig_starts[k] + (max(0, i) - self.out_starts[k])
        return self.orig_starts[k]

    def to_original_end(self, i: int) -> int:
        """Map an exclusive normalized end offset to the exclusive original end offset."""
        if i <= 0:
            return self.to_original(0)
        if i > len(self.text):
            return len(self.original)
        j = i - 1
        k = bisect_right(self.out_starts, j) - 1
        if self.verbatim[k]:
            return self.orig_starts[k] + (j - self.out_starts[k]) + 1
        return self.orig_ends[k]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the original span it came from."""
        s = self.to_original(start)
        return s, max(s, self.to_original_end(end))

    @cached_property
    def offsets(self):
        """The full map as a numpy array: ``offsets[i] == to_original(i)`` for 0..len(text)."""
        import numpy as np

        n = len(self.text)
        out = np.empty(n + 1, dtype=np.int64)
        starts = self.out_starts + [n]
        for k in range(len(self.out_starts)):
            a, b = starts[k], starts[k + 1]
            if b <= a:
                continue
            if self.verbatim[k]:
                out[a:b] = np.arange(self.orig_starts[k], self.orig_starts[k] + (b - a))
            else:
                out[a:b] = self.orig_starts[k]
        out[n] = len(self.original)
        return out

    @cached_property
    def line_starts(self) -> list[int]:
        """Original offsets where each line starts (``\\n``, ``\\r\\n`` and ``\\r`` end lines)."""
        return [0] + [m.end() for m in _LINE_END_RE.finditer(self.original)]

    def line_of(self, original_offset: int) -> int:
        """The 1-based line of an original offset (clamped into the text)."""
        return bisect_right(self.line_starts, max(0, original_offset))


_LINE_END_RE = re.compile(r"\r\n?|\n")


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for reading, keeping a map back to the original offsets.

    Curly quotes become straight, dashes become '-', unicode spaces become ' ',
    runs of spaces and tabs inside a line collapse to one space, trailing
    spaces go, line ends become '\\n'; Markdown emphasis, code, link and image
    decoration, HTML tags, comments and entities are stripped (link text is
    kept, the URL dropped). Line structure, indentation, heading hashes and
    list markers are kept: segmentation reads them.
    """
    work = text if text.isascii() else _ONE_TO_ONE_RE.sub(lambda m: _ONE_TO_ONE[m.group()], text)
    edits = _edits(work)
    parts: list[str] = []
    out_starts: list[int] = []
    orig_starts: list[int] = []
    orig_ends: list[int] = []
    verbatim: list[bool] = []
    pos = 0  # original offset reached
    out = 0  # normalized offset reached
    for s, e, repl in edits:
        if s < pos:
            continue  # overlaps an edit already taken
        if s > pos:
            parts.append(work[pos:s])
            out_starts.append(out)
            orig_starts.append(pos)
            orig_ends.append(s)
            verbatim.append(True)
            out += s - pos
        parts.append(repl)
        out_starts.append(out)
        orig_starts.append(s)
        orig_ends.append(e)
        verbatim.append(False)
        out += len(repl)
        pos = e
    if pos < len(work) or not out_starts:
        parts.append(work[pos:])
        out_starts.append(out)
        orig_starts.append(pos)
        orig_ends.append(len(work))
        verbatim.append(True)
    return NormalizedText(text, "".join(parts), out_starts, orig_starts, orig_ends, verbatim)


_ENTITY_TABLE = str.maketrans(_ONE_TO_ONE)


def _delimiter_edits(work: str, add) -> None:
    """Delete paired Markdown emphasis (``*``, ``**``, ``_``, ``__``) and code-span backticks.

    A run opens when followed by a non-blank and not preceded by a letter or
    digit, and closes when preceded by a non-blank and not followed by one;
    it pairs with the nearest open run of the same characters on its line.
    One pass with a small stack: linear in the text, whatever it contains.
    """
    n = len(work)
    openers: list[tuple[str, int, int]] = []
    code: tuple[int, int] | None = None  # start and length of an open code span
    for m in _DELIMITER_RE.finditer(work):
        run = m.group()
        s, e = m.span()
        if run == "\n":
            openers.clear()
            code = None
            continue
        before = work[s - 1] if s else " "
        if run[0] == "`":
            if code is None:
                if before != "\\":
                    code = (s, len(run))
            elif len(run) == code[1]:
                add((code[0], code[0] + code[1], ""))
                add((s, e, ""))
                code = None
            continue
        if code is not None or len(run) > 3 or before == "\\":
            continue
        after = work[e] if e < n else " "
        can_close = not before.isspace() and not after.isalnum()
        can_open = not after.isspace() and not before.isalnum()
        if can_close:
            # Look a few openers down only: unbounded searches would make hostile input quadratic.
            for k in range(len(openers) - 1, max(-1, len(openers) - 9), -1):
                if openers[k][0] == run:
                    add((openers[k][1], openers[k][2], ""))
                    add((s, e, ""))
                    del openers[k:]
                    break
            else:
                if can_open:
                    openers.append((run, s, e))
        elif can_open:
            openers.append((run, s, e))


def _comment_edits(work: str, add) -> None:
    """Delete HTML comments, scanning once (a regex per opener would be quadratic on hostile input)."""
    pos = 0
    while True:
        start = work.find("<!--", pos)
        if start < 0:
            return
        end = work.find("-->", start + 4)
        if end < 0:
            return
        add((start, end + 3, ""))
        pos = end + 3


def _edits(work: str) -> list[tuple[int, int, str]]:
    """All edits ``(start, end, replacement)`` on ``work``, sorted; overlaps are resolved by the caller."""
    edits: list[tuple[int, int, str]] = []
    add = edits.append
    if "*" in work or "_" in work or "`" in work:
        _delimiter_edits(work, add)
    if "<!--" in work:
        _comment_edits(work, add)
    if "](" in work or "][" in work:
        for m in _LINK_RE.finditer(work):
            s, e = m.span()
            ls, le = m.span(1)
            add((s, ls, ""))
            add((le, e, ""))
    n = len(work)
    for m in _BLANKS_RE.finditer(work):
        s, e = m.span()
        if e == n or work[e] in "\r\n":
            add((s, e, ""))  # trailing blanks, and blank-only lines
        elif s and work[s - 1] not in "\r\n":
            add((s, e, " "))  # a run inside a line; indentation at line start is kept
    for m in _TRAILING_BLANK_RE.finditer(work):
        add((m.start(), m.end(), ""))
    if "\r" in work:
        for m in _NEWLINE_RE.finditer(work):
            add((m.start(), m.end(), "\n"))
    if not work.isascii():
        for m in _NON_ASCII_RE.finditer(work):
            add((m.start(), m.end(), "..." if m.group() == "\u2026" else ""))
    if "<" in work:
        for m in _ANGLE_RE.finditer(work):
            s, e = m.span()
            kind = m.lastgroup
            if kind == "autolink":
                add((s, s + 1, ""))
                add((e - 1, e, ""))
            elif kind == "block" and _BREAKING_TAG_RE.match(m.group("block")):
                add((s, e, "\n"))
            else:
                add((s, e, ""))
    if "&" in work:
        for m in _ENTITY_RE.finditer(work):
            value = html.unescape(m.group())
            if value != m.group():
                add((m.start(), m.end(), value.translate(_ENTITY_TABLE)))
    if "\\" in work:
        for m in _ESCAPE_RE.finditer(work):
            add((m.start(), m.end(), ""))
    edits.sort()
    return edits
