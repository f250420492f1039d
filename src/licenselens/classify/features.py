"""Features of a unit: words, bigrams, cues and negation scope, of the unit and of its lead-in.

A feature is a string; the prefix says where it comes from:

- ``w:`` a word stem of the unit, ``b:`` a bigram of stems, ``n:`` a stem in
  the scope of a negation;
- ``c:`` a cue id, ``cn:`` a cue in the scope of a negation, ``cc:`` a pair
  of cues in the unit (e.g. ``prohibit-modal+non-commercial``);
- ``f:`` a deontic frame: an action word (modify, distribute, credit, study,
  consent, compete, commercial; see ``ACTIONS``) read with the modality that
  governs it, ``neg`` / ``must`` / ``may`` / ``none`` (e.g. ``f:neg:modify``
  for "you may not alter or adapt"), so that other wordings of the same
  prohibition or obligation share a feature;
- ``s:`` the shape of the unit (all capitals, a quoted term followed by
  "means", a lead-in ending with a colon, very short);
- ``x:``, ``xc:``, ``xcn:`` words and cues of the lead-in context (the parent
  clause text for list items), kept in their own block so that a long lead-in
  does not drown the unit itself.

Features are weighted as tf-idf with sublinear term frequency; the unit block
and the context block are each L2-normalised, and the context block is scaled
by ``CONTEXT_WEIGHT``. The same code path serves training and run time.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.classify.cues import CueFinder

CONTEXT_WEIGHT = 0.5
CONTEXT_CHARS = 400  # only the end of a long lead-in: the part that introduces the list

# A list marker at the start of a unit: "(a)", "a.", "1.", "1.1", "iv)", "-", "*".
_MARKER = re.compile(r"^\s*(?:\(\s*[0-9a-zA-Z]{1,4}\s*\)|[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?|[a-zA-Z][.)]|[ivxlc]{1,5}[.)]|[-*\u2022])\s+")
_DEFINITION = re.compile(r"^\W{0,3}[\"\u201c'][^\"\u201d']{1,80}[\"\u201d']\s*(?:\([^)]*\)\s*)?(?:shall\s+)?(?:means?|refers?\s+to|includes?)\b", re.I)
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


def stem(word: str) -> str:
    """A crude suffix stripper: enough to join 'distribute', 'distributes', 'distributing'."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word.rstrip("e") if len(word) > 5 else word


def strip_marker(text: str) -> str:
    """The unit text without its leading list marker."""
    return _MARKER.sub("", text, count=1)


_NUMERIC = re.compile(r"^[$\u20ac\u00a3]?\d[\d,.]*%?$")
_ALPHA = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1 << 16)
def word_feature(lower: str) -> str | None:
    """The word feature of a lower-cased token: its stem, '<num>', '<url>', or None for punctuation."""
    if _NUMERIC.match(lower):
        return "<num>"
    if "://" in lower or lower.startswith("www.") or ("@" in lower and "." in lower):
        return "<url>"
    if not _ALPHA.search(lower):
        return None
    return stem(lower)


def unit_features(finder: CueFinder, text: str, context: str | None = None) -> list[str]:
    """The feature strings of one unit (normalized text) with its optional lead-in."""
    body = strip_marker(text)
    reading = finder.read(body)
    feats: list[str] = []
    ctx_feats, ctx_negative = _context_features(finder, context) if context else ((), False)
    # An item under a prohibiting lead-in ("You agree not to use the Model:") is in its negation scope.
    negated = [True] * len(reading.lowers) if ctx_negative else reading.scope
    prev = "<s>"
    for i, lower in enumerate(reading.lowers):
        w = word_feature(lower)
        if w is None:
            continue
        feats.append("w:" + w)
        feats.append(f"b:{prev}_{w}")
        if negated[i]:
            feats.append("n:" + w)
        prev = w
    seen: list[str] = []
    # Polarity of the unit: does it limit (prohibit, confine, condition on consent) or only permit?
    # Topic cues ("research", "benchmark", "updates") are then read with it: "lim:" or "perm:".
    limiting = ctx_negative or any(c.id in LIMITING for c in reading.cues)
    permissive = not limiting and any(c.id in PERMITTING for c in reading.cues)
    polarity = "lim" if limiting else "perm" if permissive else "neu"
    feats.append("p:" + polarity)
    for cue in reading.cues:
        if cue.id not in LIMITING and cue.id not in PERMITTING:
            feats.append(f"{polarity}:{cue.id}")
        feats.append("c:" + cue.id)
        if cue.negated or ctx_negative:
            feats.append("cn:" + cue.id)
        if cue.id not in seen:
            seen.append(cue.id)
    for i, a in enumerate(seen):
        for b in seen[i + 1 :]:
            feats.append("cc:" + "+".join(sorted((a, b))))
    feats.extend(_frames(reading.lowers, negated, reading.cues, ctx_negative))
    feats.extend(_shape(body))
    feats.extend(ctx_feats)
    return feats


# Action classes of the deontic frames: the thing a unit permits, requires or forbids, by word prefix.
ACTIONS: dict[str, tuple[str, ...]] = {
    "modify": ("modif", "alter", "adapt", "derivat", "translat", "transform", "fine-tun", "finetun", "remix", "chang"),
    "distribute": ("distribut", "redistribut", "sublicens", "rent", "lease", "sell", "resell", "lend", "transfer", "publish", "share", "convey"),
    "credit": ("credit", "acknowledg", "attribut", "cite", "citation", "display", "prominent", "notice"),
    "study": ("revers", "decompil", "disassembl", "inspect", "study", "benchmark"),
    "consent": ("consent", "approv", "permission", "authoriz", "authoris"),
    "compete": ("compet", "rival", "substitut"),
    "commercial": ("commercial", "revenue", "monetiz", "profit", "fee"),
}
_NOT_ACTIONS = ("alternat", "rental", "shareholder", "prominently")


@lru_cache(maxsize=1 << 16)
def _action(lower: str) -> str | None:
    """The action class of a lower-cased token, or None."""
    if lower.startswith(_NOT_ACTIONS):
        return None
    return next((a for a, prefixes in ACTIONS.items() if lower.startswith(prefixes)), None)


def _frames(lowers: list[str], negated: list[bool], cues, ctx_negative: bool) -> list[str]:
    """Deontic frames: each action word read with the modality governing it ("f:neg:modify", "f:must:credit")."""
    prohibits = ctx_negative or any(c.id in PROHIBITING for c in cues)
    obliges = any(c.id == "obligation" and not c.negated for c in cues)
    permits = any(c.id in PERMITTING and not c.negated for c in cues)
    out: list[str] = []
    for i, lower in enumerate(lowers):
        action = _action(lower)
        if action is None:
            continue
        mode = "neg" if (negated[i] or prohibits) else "must" if obliges else "may" if permits else "none"
        out.append(f"f:{mode}:{action}")
    return out


# Cues that make a lead-in prohibiting: its list items are things not to do.
PROHIBITING = frozenset({"prohibit-modal", "agree-not", "prohibited"})
# Cues that make a unit limiting, and cues of a plain permission.
LIMITING = PROHIBITING | {"only-for", "prior-consent", "non-commercial", "except-as", "may-terminate", "sole-discretion"}
PERMITTING = frozenset({"permission", "grant", "commercial-permitted", "royalty-free"})


@lru_cache(maxsize=256)
def _context_features(finder: CueFinder, context: str) -> tuple[tuple[str, ...], bool]:
    """Features of a lead-in (its words and cues, in the context block) and whether it prohibits;
    cached, since the items of one list share their lead-in."""
    full = strip_marker(context)
    tail = full[-CONTEXT_CHARS:]
    reading = finder.read(tail)
    feats = ["x:" + w for w in map(word_feature, reading.lowers) if w is not None]
    negative = False
    # Words come from the end of the lead-in; whether it prohibits, from all of it.
    cues = reading.cues if tail == full else finder.read(full).cues
    for cue in cues:
        feats.append("xc:" + cue.id)
        if cue.negated:
            feats.append("xcn:" + cue.id)
        negative = negative or cue.id in PROHIBITING
    if tail.rstrip().endswith(":"):
        feats.append("x:<colon>")
    if negative:
        feats.append("x:<prohibiting>")
    return tuple(feats), negative


def _shape(text: str) -> list[str]:
    feats: list[str] = []
    # filter/map run the per-character tests in C: the generator cost more than the rest of the features.
    letters = "".join(filter(str.isalpha, text))
    if len(letters) >= 20 and sum(map(str.isupper, letters)) > 0.8 * len(letters):
        feats.append("s:caps")
    if _DEFINITION.match(text):
        feats.append("s:defines")
    stripped = text.rstrip()
    if stripped.endswith(":"):
        feats.append("s:colon")
    n_words = len(text.split())
    if n_words <= 4:
        feats.append("s:short")
    elif n_words >= 60:
        feats.append("s:long")
    return feats


CONTEXT_PREFIX = "x"  # every feature of the context block starts with it (``x:``, ``xc:``, ``xcn:``)


def context_mask(vocabulary: list[str]) -> list[bool]:
    """Whether each feature belongs to the context block, in order (a model has tens of thousands: one C-level pass)."""
    return list(map(operator.methodcaller("startswith", CONTEXT_PREFIX), vocabulary))


def weigh(features: list[str], index: dict[str, int], idf, context_mask) -> tuple[list[int], list[float]]:
    """Sublinear tf-idf weights of the known features, each block L2-normalised.

    Returns column indices (ascending) and weights: one sparse row.
    """
    counts = Counter(index[f] for f in features if f in index)
    cols = sorted(counts)
    vals = [(1.0 + math.log(counts[c])) * float(idf[c]) for c in cols]
    unit_norm = math.sqrt(sum(v * v for c, v in zip(cols, vals) if not context_mask[c])) or 1.0
    ctx_norm = math.sqrt(sum(v * v for c, v in zip(cols, vals) if context_mask[c])) or 1.0
    out = [v * CONTEXT_WEIGHT / ctx_norm if context_mask[c] else v / unit_norm for c, v in zip(cols, vals)]
    return cols, out
