"""Word tokens and shingle fingerprints of license texts.

A text becomes the sequence of its lower-cased words (letters and digits);
punctuation, quotes, whitespace and layout do not count. Copyright statement
lines are left out: they name a holder and a year, never a license term.
Overlapping word trigrams ("shingles") hashed to 64-bit integers make the
fingerprint that candidate references are looked up by.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE = 3

_WORD = re.compile(r"[A-Za-z0-9]+")
_COPYRIGHT_START = re.compile(r"[\s#*/;!>|\-]*(?:copyright\b|\(c\)|\u00a9)", re.IGNORECASE)
# Lines that might be copyright statements; _is_copyright_line decides.
_CANDIDATE_LINE = re.compile(r"^[ \t#*/;!>|\-]*(?:copyright\b|\(c\)|\u00a9|all\s+rights\s+reserved).*$", re.IGNORECASE | re.MULTILINE)
_RESERVED = re.compile(r"[\W_]*all\s+rights\s+reserved[\W_]*$", re.IGNORECASE)
# Spelling variants that do not change a license: one token for each.
_SPELLING = {"licence": "license", "licences": "licenses", "licenced": "licensed", "https": "http", "www": ""}

_hash_cache: dict[str, int] = {}


@dataclass(frozen=True)
class Tokens:
    """The words of a text that count, with their spans in that text."""

    words: list[str]
    starts: np.ndarray  # int64 offsets into the tokenized text
    ends: np.ndarray
    hashes: np.ndarray  # uint64 hash of each word

    def __len__(self) -> int:
        return len(self.words)


def _is_copyright_line(line: str) -> bool:
    if _RESERVED.match(line):
        return True
    match = _COPYRIGHT_START.match(line)
    if not match:
        return False
    rest = line[match.end() :].lstrip(" :")
    for mark in ("(c)", "(C)", "\u00a9"):
        rest = rest.removeprefix(mark).lstrip(" :")
    lowered = line.lower()
    if "notice" in lowered or "permission" in lowered or "license" in lowered:
        return False
    # A holder, a year or a placeholder follows: "Copyright (c) 2024 Jane", "Copyright [yyyy] [name]".
    return not rest or rest[0].isdigit() or rest[0] in "<[{" or rest[0].isupper()


def _copyright_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _CANDIDATE_LINE.finditer(text):
        if _is_copyright_line(match.group()):
            spans.append(match.span())
    return spans


def tokenize(text: str) -> Tokens:
    """Split ``text`` into the words that fingerprint it (copyright lines left out)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets exact
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    skip = _copyright_spans(text)
    # One C-level pass for the words and one for their offsets; the per-word loop below
    # only runs when a copyright line or a respelled word needs it.
    found = _WORD.findall(lowered)
    spans = [m.span() for m in _WORD.finditer(lowered)]
    spelling = _SPELLING
    if not skip and spelling.keys().isdisjoint(found):
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        return Tokens(found, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), word_hashes(found))
    words: list[str] = []
    starts = []
    ends = []
    k = 0
    for word, (start, end) in zip(found, spans):
        if skip:
            while k < len(skip) and skip[k][1] <= start:
                k += 1
            if k < len(skip) and skip[k][0] <= start:
                continue
        if word in spelling:
            word = spelling[word]
            if not word:
                continue
        words.append(word)
        starts.append(start)
        ends.append(end)
    return Tokens(words, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), word_hashes(words))


def word_hashes(words: list[str]) -> np.ndarray:
    """A stable 64-bit hash of each word (the same in every process and release)."""
    cache = _hash_cache
    values = []
    for word in words:
        value = cache.get(word)
        if value is None:
            data = word.encode()
            # The lowest bit says "a number", so a version that differs is seen in hashes alone.
            value = (((zlib.crc32(data) << 32) | zlib.adler32(data)) & ~1) | (1 if word.isdigit() else 0)
            if len(cache) < 500_000:
                cache[word] = value
        values.append(value)
    # One conversion at the end: assigning element by element boxed every value through numpy.
    return np.array(values, dtype=np.uint64)


_P1 = np.uint64(0x9E3779B97F4A7C15)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)


def shingles(hashes: np.ndarray) -> np.ndarray:
    """Hash of each run of ``SHINGLE`` consecutive words (position i covers words i..i+2)."""
    n = len(hashes)
    if n < SHINGLE:
        # A text of one or two words still gets one fingerprint.
        return _mix(hashes, np.zeros(1, np.uint64), np.zeros(1, np.uint64))[:1] if n else np.zeros(0, np.uint64)
    with np.errstate(over="ignore"):
        return _mix(hashes[: n - 2], hashes[1 : n - 1], hashes[2:])


def _mix(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = a * _P1 + (b ^ (b >> np.uint64(29))) * _P2 + c
        x ^= x >> np.uint64(31)
        return x
