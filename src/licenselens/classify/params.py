"""Parameters of a term, read from its unit: thresholds, regions, name prefixes, URLs, marks.

- ``restrict.user-threshold``: ``{"threshold": 700000000, "unit": "monthly active users"}``
  (also revenue, with ``"currency": "USD"``, and employees);
- ``restrict.persons``: ``{"regions": ["European Union"]}`` (a gazetteer of
  regions and countries matched with a spaCy ``PhraseMatcher``);
- ``cond.naming``: ``{"prefix": "Llama"}`` from the quoted mark;
- ``cond.attribution``: ``{"text": "Built with Llama"}`` from the quoted notice;
- any term whose unit references a URL: ``{"url": "https://..."}``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from licenselens.taxonomy import TermKind

_SCALES = {
    "thousand": 10**3, "k": 10**3,
    "million": 10**6, "m": 10**6, "mm": 10**6, "mio": 10**6,
    "billion": 10**9, "b": 10**9, "bn": 10**9,
    "trillion": 10**12,
}
_NUMBER = re.compile(
    r"(?P<cur>\$|US\$|USD\s?|EUR\s?|€|£)?\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mio|bn|mm|[kmb])\b)?"
    r"(?:\s?(?P<cur2>dollars|USD|euros?|EUR))?",
    re.I,
)
# Units of a cap, most specific first; searched just after the number.
_UNITS = (
    "monthly active users", "daily active users", "monthly active user", "active users", "registered users",
    "end users", "users", "annual recurring revenue", "annual revenue", "annual gross revenue", "gross revenue",
    "revenue", "revenues", "turnover", "employees", "headcount", "head count", "persons", "individuals",
    "customers", "subscribers", "installations", "devices",
)
_UNIT_RE = re.compile(r"\b(" + "|".join(re.escape(u) for u in _UNITS) + r")\b", re.I)
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.I)
# Double quotes, or single quotes that are not apostrophes ("Licensee's").
_QUOTED = re.compile(
    r"[\"\u201c\u201d]([^\"\u201c\u201d]{1,200}?)[\"\u201c\u201d]|(?<!\w)['\u2018]([^'\u2018\u2019]{1,200}?)['\u2019](?!\w)"
)
_NAME_CUE = re.compile(r"\b(?:beginning|prefix|begin|start|name)", re.I)

# Canonical names of regions and countries that licenses exclude.
REGIONS: dict[str, str] = {
    "european union": "European Union", "eu": "European Union", "e.u.": "European Union",
    "european economic area": "European Economic Area", "eea": "European Economic Area",
    "united states": "United States", "united states of america": "United States", "usa": "United States",
    "u.s.": "United States", "us": "United States",
    "united kingdom": "United Kingdom", "uk": "United Kingdom", "china": "China",
    "people's republic of china": "China", "prc": "China", "mainland china": "China",
    "hong kong": "Hong Kong", "macau": "Macau", "macao": "Macau", "taiwan": "Taiwan", "russia": "Russia",
    "russian federation": "Russia", "belarus": "Belarus", "iran": "Iran", "north korea": "North Korea",
    "democratic people's republic of korea": "North Korea", "cuba": "Cuba", "syria": "Syria", "crimea": "Crimea",
    "venezuela": "Venezuela", "sudan": "Sudan", "myanmar": "Myanmar", "india": "India", "japan": "Japan",
    "south korea": "South Korea", "korea": "South Korea", "canada": "Canada", "australia": "Australia",
    "brazil": "Brazil", "germany": "Germany", "france": "France", "italy": "Italy", "spain": "Spain",
    "netherlands": "Netherlands", "switzerland": "Switzerland", "israel": "Israel", "singapore": "Singapore",
    "united arab emirates": "United Arab Emirates", "saudi arabia": "Saudi Arabia", "turkey": "Turkey",
    "ukraine": "Ukraine", "afghanistan": "Afghanistan", "iraq": "Iraq", "libya": "Libya", "somalia": "Somalia",
    "yemen": "Yemen", "zimbabwe": "Zimbabwe", "lebanon": "Lebanon", "mexico": "Mexico", "california": "California",
}
# Short upper-case abbreviations count only in upper case ("us" is also a pronoun).
_CASE_SENSITIVE = {"us": "US", "eu": "EU", "uk": "UK", "usa": "USA", "eea": "EEA", "prc": "PRC"}


def parse_number(text: str) -> tuple[int, str | None] | None:
    """The first amount in ``text`` as an integer and its currency: '700 million' -> 700000000."""
    m = _NUMBER.search(text)
    if not m:
        return None
    return _amount(m)


def _amount(m: re.Match) -> tuple[int, str | None]:
    value = float(m.group("num").replace(",", ""))
    scale = (m.group("scale") or "").lower()
    value *= _SCALES.get(scale, 1)
    cur = (m.group("cur") or m.group("cur2") or "").strip().lower()
    currency = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP"}.get(cur)
    return int(round(value)), currency


def user_threshold(text: str) -> dict[str, Any]:
    """The cap of a user/revenue threshold clause: the amount followed by its unit."""
    best: dict[str, Any] | None = None
    for m in _NUMBER.finditer(text):
        value, currency = _amount(m)
        if value < 10 and not m.group("scale") and not currency:
            continue  # section numbers, "1 year"
        tail = text[m.end() : m.end() + 60]
        unit = _UNIT_RE.search(tail)
        found: dict[str, Any] = {"threshold": value}
        if unit:
            found["unit"] = unit.group(1).lower()
        elif currency:
            around = text[max(0, m.start() - 60) : m.end() + 60]
            unit = _UNIT_RE.search(around)
            found["unit"] = unit.group(1).lower() if unit else "revenue"
        else:
            continue
        if currency:
            found["currency"] = currency
        # The first amount with a unit wins; an amount with a user unit beats a bare one.
        if best is None:
            best = found
    return best or {}


@cache
def _region_matcher():
    from licenselens.classify.cues import cue_finder

    finder = cue_finder()  # imports spaCy first
    from spacy.matcher import PhraseMatcher

    lower = PhraseMatcher(finder.vocab, attr="LOWER")
    exact = PhraseMatcher(finder.vocab, attr="ORTH")
    for name, canonical in REGIONS.items():
        if name in _CASE_SENSITIVE:
            exact.add(canonical, [finder.doc(_CASE_SENSITIVE[name])])
        else:
            lower.add(canonical, [finder.doc(name)])
    return lower, exact


def regions(text: str, doc=None) -> list[str]:
    """Regions and countries named in ``text``, canonical names, in order of first mention."""
    from licenselens.classify.cues import cue_finder

    if doc is None:
        doc = cue_finder().doc(text)
    lower, exact = _region_matcher()
    strings = doc.vocab.strings
    hits = sorted([(s, -e, strings[i]) for i, s, e in lower(doc)] + [(s, -e, strings[i]) for i, s, e in exact(doc)])
    out: list[str] = []
    for _, _, name in hits:
        if name not in out:
            out.append(name)
    return out


def quoted(text: str) -> list[str]:
    """Quoted strings of ``text`` in order."""
    return [q for q, _ in _quoted_spans(text)]


def _quoted_spans(text: str) -> list[tuple[str, int]]:
    out = []
    for m in _QUOTED.finditer(text):
        q = (m.group(1) or m.group(2) or "").strip()
        if q:
            out.append((q, m.end()))
    return out


def urls(text: str) -> list[str]:
    """URLs in ``text``, without trailing punctuation."""
    return [u.rstrip(".,;:") for u in _URL.findall(text)]


def extract(kind: TermKind, text: str, doc=None) -> dict[str, Any]:
    """The parameters of ``kind`` in the unit ``text`` (normalized); empty when it has none."""
    params: dict[str, Any] = {}
    if kind is TermKind.RESTRICT_USER_THRESHOLD:
        params.update(user_threshold(text))
    elif kind is TermKind.RESTRICT_PERSONS:
        found = regions(text, doc)
        if found:
            params["regions"] = found
    elif kind is TermKind.COND_NAMING:
        marks = _quoted_spans(text)
        cue = _NAME_CUE.search(text)
        if marks:
            # The mark nearest to "at the beginning of ... name" is the prefix.
            at = cue.start() if cue else 0
            params["prefix"] = min(marks, key=lambda m: abs(m[1] - at))[0]
    elif kind is TermKind.COND_ATTRIBUTION:
        marks = quoted(text)
        if marks:
            # A displayed notice is a phrase ("Built with Llama"), a defined term is one word.
            phrases = [q for q in marks if len(q.split()) >= 2] or marks
            params["text"] = phrases[0]
    found_urls = urls(text)
    if found_urls:
        params["url"] = found_urls[0]
    return params
