"""Declared licenses, as found in metadata, read as SPDX expressions.

Sources: Python core metadata (``License-Expression``, ``License``, trove
classifiers), npm ``license`` / legacy ``licenses``, Hugging Face model-card
ids (``llama3.1``, ``openrail++``, ``other`` with ``license_name``) and free
text ("Apache 2", "GPLv3+", "BSD"). Every answer says how it was read and how
sure it is; a family name with several members ("BSD", "Apache Software
License") is reported as ambiguous with its candidates, and an unknown string
stays unknown: nothing is guessed silently.

Order of reading one string: a valid SPDX expression; a ScanCode license key;
a Hugging Face license id; a trove classifier; a license name (family, version,
"or later"); a pasted license text (identified against the curated references);
else unknown. A string joining several declarations with OR/AND, "/" or ","
is read part by part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from licenselens.errors import InputError
from licenselens.expression import ExpressionError, lookup, normalize_expression, spdx_for_scancode_key, spdx_lists
from licenselens.model import DeclaredLicense

# --- Hugging Face model-card license ids -------------------------------------------
# From the Hub's documented list of license identifiers. Ids that are SPDX ids
# (apache-2.0, mit, cc-by-nc-4.0, ...) are read through the SPDX list and are
# not repeated here; these are the Hub's own ids, mapped to ScanCode keys.
HF_SCANCODE_KEYS = {
    "llama2": "llama-2-license-2023",
    "llama3.1": "llama-3.1-license-2024",
    "llama3.2": "llama-3.2-license-2024",
    "llama3.3": "llama-3.3-license-2024",
    "llama4": "llama-4-cla-2025",
    "bigscience-openrail-m": "bigscience-open-rail-m",
    "creativeml-openrail-m": "stable-diffusion-2022-08-22",  # ScanCode's key for CreativeML Open RAIL-M
    "openrail++": "bigscience-open-rail-m2",  # ScanCode's key for CreativeML Open RAIL++-M
    "bigscience-bloom-rail-1.0": "bigscience-rail-1.0",
    "bigcode-openrail-m": "bigcode-open-rail-m-v1",
    "openmdw-1.0": "openmdw-1.0",
}
# Hub ids naming a family or a license without a published SPDX or ScanCode id.
HF_FAMILIES = {
    "openrail": ("Open RAIL (a family of responsible-AI licenses; the variant is not named)",
                 ["bigscience-open-rail-m", "stable-diffusion-2022-08-22", "bigscience-open-rail-m2", "bigcode-open-rail-m-v1"]),
    "gemma": ("Gemma Terms of Use (the version is not named)", ["gemma-tou-2024-04-01", "gemma-tou-2025-03-24"]),
    "llama3": ("Meta Llama 3 Community License (no SPDX or ScanCode id)", []),
    "deepfloyd-if-license": ("DeepFloyd IF License (no SPDX or ScanCode id)", []),
    "fair-noncommercial-research-license": ("FAIR Noncommercial Research License (no SPDX or ScanCode id)", []),
    "apple-ascl": ("Apple Sample Code License (no SPDX id)", []),
    "apple-amlr": ("Apple Machine Learning Research Model License (no SPDX id)", []),
    "h-research": ("H Research License (no SPDX id)", []),
    "intel-research": ("Intel Research Use License (no SPDX id)", []),
    "cc": ("Creative Commons (the license is not named)", []),
    "bsd": ("BSD (the variant is not named)", ["BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause"]),
    "gpl": ("GNU GPL (the version is not named)", ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later"]),
    "lgpl": ("GNU LGPL (the version is not named)", ["LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later"]),
    "gfdl": ("GNU FDL (the version is not named)", ["GFDL-1.3-only", "GFDL-1.3-or-later"]),
    "lgpl-lr": ("GNU LGPL for linguistic resources", ["LGPLLR"]),
    "odbl": ("Open Database License", ["ODbL-1.0"]),
    "odc-by": ("Open Data Commons Attribution License", ["ODC-By-1.0"]),
    "pddl": ("Open Data Commons Public Domain Dedication and License", ["PDDL-1.0"]),
    "c-uda": ("Computational Use of Data Agreement", ["C-UDA-1.0"]),
}
# A single-member "family" is not ambiguous: these resolve to their one candidate.
_SINGLE_MEMBER_FAMILIES = {"lgpl-lr", "odbl", "odc-by", "pddl", "c-uda"}
HF_NOT_A_LICENSE = {"other", "unknown"}

# --- license names -----------------------------------------------------------------
# Families recognised in names and classifiers: (name, pattern, SPDX prefix, GNU-style -only/-or-later).
_FAMILIES = [
    ("AGPL", r"\bagpl|\baffero\b", "AGPL-", True),
    ("LGPL", r"\blgpl|\blesser general public|\blibrary general public", "LGPL-", True),
    ("GFDL", r"\bgfdl|free documentation license", "GFDL-", True),
    ("GPL", r"\bgpl|\bgeneral public license", "GPL-", True),
    ("Apache", r"\bapache\b", "Apache-", False),
    ("MPL", r"\bmpl\b|mozilla public", "MPL-", False),
    ("EPL", r"\bepl\b|eclipse public", "EPL-", False),
    ("EUPL", r"\beupl\b|european union public", "EUPL-", False),
    ("CDDL", r"\bcddl\b|common development and distribution", "CDDL-", False),
    ("AFL", r"\bafl\b|academic free", "AFL-", False),
    ("OSL", r"\bosl\b|open software license", "OSL-", False),
    ("Artistic", r"\bartistic\b", "Artistic-", False),
    ("ZPL", r"\bzpl\b|zope public", "ZPL-", False),
    ("BSL", r"\bboost\b|\bbsl\b", "BSL-", False),
]
_SIMPLE_NAMES = [
    (r"\bmit[- ]?0\b|\bmit no attribution\b", "MIT-0"),
    (r"\b0bsd\b|\bzero[- ]clause bsd\b|\bbsd zero[- ]clause\b|\bbsd[- ]0[- ]clause\b", "0BSD"),
    (r"\bmit\b|\bexpat\b", "MIT"),
    (r"\bisc\b|\biscl\b", "ISC"),
    (r"\bpsf\b|\bpython software foundation\b", "PSF-2.0"),
    (r"\bunlicense\b", "Unlicense"),
    (r"\bzlib\b", "Zlib"),
    (r"\bcc0\b|\bcc zero\b", "CC0-1.0"),
    (r"\bwtfpl\b|\bdo what the fuck you want\b", "WTFPL"),
    (r"\bhpnd\b|\bhistorical permission notice\b", "HPND"),
    (r"\bupl\b|\buniversal permissive\b", "UPL-1.0"),
    (r"\bpostgresql\b", "PostgreSQL"),
    (r"\bncsa\b|\buniversity of illinois\b", "NCSA"),
]
_NOT_LICENSES = [
    (r"\bpublic domain\b", "public domain is a status, not a license: no SPDX id (CC0-1.0 or Unlicense when a text is given)"),
    (r"\bproprietary\b|\ball rights reserved\b|\bcommercial\b|^unlicensed$", "proprietary: no open license declared"),
    (r"^see license in\b|^see license\b|^see (the )?license file\b", "the license is in a file: read the file"),
    (r"^(other|unknown|none|n/?a|undefined|null|license|licence|dual license|free)$", "no license named"),
]

_CLASSIFIER_PREFIX = re.compile(r"^\s*license\s*::\s*", re.IGNORECASE)
_OR_LATER = re.compile(r"\+|\bor[- ](any )?later\b|\band later\b|\bor[- ]newer\b")
_ONLY = re.compile(r"\bonly\b")
_VERSION = re.compile(r"(?:\bv|\bversion\s*|\b|(?<=[a-z]))(\d+(?:\.\d+)*[a-z]?)\b")
_SPLIT = re.compile(r"\s+(?:or|and)\s+(?!(?:any\s+)?(?:later|newer)\b)|\s*/\s*|\s*;\s*|\s*,\s*(?:or\s+|and\s+)?|\s*\|\s*", re.IGNORECASE)


def _result(original: str, spdx: str | None, confidence: float, via: str, *, candidates: list[str] | None = None,
            note: str | None = None) -> DeclaredLicense:
    ambiguous = spdx is None and bool(candidates) and len(candidates) > 1
    return DeclaredLicense(original=original, spdx=spdx, confidence=round(confidence, 3), ambiguous=ambiguous,
                           candidates=candidates or [], via=via, note=note)


def _unknown(original: str, note: str) -> DeclaredLicense:
    return _result(original, None, 0.0, "unknown", note=note)


@cache
def _scancode_keys() -> frozenset[str]:
    return frozenset(spdx_lists().by_scancode_key)


def _spdx_ids_with_prefix(prefix: str) -> list[str]:
    ids = sorted({e.id for e in spdx_lists().by_lower.values()
                  if e.id.lower().startswith(prefix.lower()) and not e.is_exception and e.deprecated_alias_of is None})
    return ids


def _clean(text: str) -> str:
    text = text.lower().replace("licence", "license")
    text = re.sub(r"[\"'`\u2018\u2019\u201c\u201d]", "", text)
    return " ".join(text.split())


def _version_of(text: str, family_pattern: str) -> str | None:
    # The version is the first number after the family's name ("GPL v2", "Apache License, Version 2.0").
    match = re.search(family_pattern, text)
    tail = text[match.end():] if match else text
    found = _VERSION.search(tail)
    return found.group(1) if found else None


def _versioned_id(prefix: str, version: str, gnu: bool, or_later: bool, only: bool) -> str | None:
    variants = [version]
    if "." not in version:
        variants.append(version + ".0")
    for v in variants:
        base = f"{prefix}{v}"
        if gnu:
            candidate = f"{base}-or-later" if or_later else f"{base}-only"
            if lookup(candidate):
                return lookup(candidate).id  # type: ignore[union-attr]
        elif lookup(base):
            entry = lookup(base)
            return entry.id if not or_later else entry.id + "+"  # type: ignore[union-attr]
    return None


def _from_name(original: str, text: str) -> DeclaredLicense | None:
    """Read a license name: a family with its version and 'or later', or a single-member name."""
    # Names of no license come first only when anchored ("other", "see license in ...").
    for pattern, note in _NOT_LICENSES:
        if pattern.startswith("^") and re.search(pattern, text):
            return _unknown(original, note)
    found = _from_known_name(original, text)
    if found is not None:
        return found
    for pattern, note in _NOT_LICENSES:
        if re.search(pattern, text):
            return _unknown(original, note)
    return None


def _from_known_name(original: str, text: str) -> DeclaredLicense | None:
    if re.search(r"\bcc[- ]by\b|\bcreative commons\b", text) and not re.search(r"\bcc0\b|\bzero\b", text):
        return _creative_commons(original, text)
    if re.search(r"\bbsd\b", text) and not re.search(r"\b0bsd\b|zero[- ]clause|0[- ]clause", text):
        return _bsd(original, text)
    for pattern, spdx in _SIMPLE_NAMES:
        if re.search(pattern, text):
            return _result(original, spdx, 0.9, "name")
    or_later = bool(_OR_LATER.search(text))
    only = bool(_ONLY.search(text))
    for name, pattern, prefix, gnu in _FAMILIES:
        if not re.search(pattern, text):
            continue
        version = _version_of(text, pattern)
        if version:
            spdx = _versioned_id(prefix, version, gnu, or_later, only)
            if spdx:
                return _result(original, spdx, 0.85 if gnu and not (or_later or only) else 0.9, "name")
            return _unknown(original, f"{name} version {version} is not on the SPDX list")
        candidates = _spdx_ids_with_prefix(prefix)
        if gnu:
            candidates = [c for c in candidates if c.endswith("-or-later" if or_later else ("-only" if only else ""))]
        return _result(original, None, 0.2, "name", candidates=candidates[:8],
                       note=f"{name} without a version is ambiguous")
    return None


def _bsd(original: str, text: str) -> DeclaredLicense:
    clauses = re.search(r"\b([234])[- ]?clause\b|\bbsd[- ]?([234])\b", text)
    count = (clauses.group(1) or clauses.group(2)) if clauses else None
    if count is None:
        if re.search(r"\b(new|modified|revised)\b", text):
            count = "3"
        elif re.search(r"\b(simplified|freebsd)\b", text):
            count = "2"
        elif re.search(r"\b(original|old|advertising)\b", text):
            count = "4"
    if count is None:
        return _result(original, None, 0.2, "name", candidates=["BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause"],
                       note="BSD without the number of clauses is ambiguous")
    spdx = f"BSD-{count}-Clause" + ("-Clear" if re.search(r"\bclear\b", text) and count == "3" else "")
    return _result(original, spdx, 0.9, "name")


def _creative_commons(original: str, text: str) -> DeclaredLicense:
    parts = ["BY"]
    for short, long in (("NC", "noncommercial|non-commercial|\\bnc\\b"), ("ND", "noderivatives|no derivatives|noderivs|\\bnd\\b"),
                        ("SA", "sharealike|share alike|share-alike|\\bsa\\b")):
        if re.search(long, text):
            parts.append(short)
    version = re.search(r"\b(\d\.\d)\b", text)
    if not version:
        candidates = _spdx_ids_with_prefix("CC-" + "-".join(parts) + "-")
        candidates = [c for c in candidates if re.fullmatch("CC-" + "-".join(parts) + r"-\d\.\d", c)]
        return _result(original, None, 0.2, "name", candidates=candidates,
                       note="Creative Commons license without a version is ambiguous")
    spdx = "CC-" + "-".join(parts) + "-" + version.group(1)
    entry = lookup(spdx)
    if entry is None:
        return _unknown(original, f"{spdx} is not on the SPDX list")
    return _result(original, entry.id, 0.9, "name")


def _from_classifier(original: str, classifier: str) -> DeclaredLicense:
    parts = [p.strip() for p in _CLASSIFIER_PREFIX.sub("", classifier).split("::")]
    parts = [p for p in parts if p and p.lower() != "osi approved"]
    if not parts:
        return _result(original, None, 0.0, "classifier", note="'License :: OSI Approved' names no license")
    name = parts[-1]
    # The abbreviation in parentheses is the most precise part: "(GPLv2+)", "(MPL 2.0)".
    abbreviation = re.search(r"\(([^()]+)\)[^()]*$", name)
    attempts = [abbreviation.group(1)] if abbreviation else []
    attempts.append(re.sub(r"\([^()]*\)", " ", name))
    for attempt in attempts:
        found = _read_one(original, attempt, allow_text=False)
        if found.spdx or found.ambiguous:
            return found.model_copy(update={"via": "classifier", "confidence": min(found.confidence, 0.9)})
    return _read_one(original, name, allow_text=False).model_copy(update={"via": "classifier"})


def _read_one(original: str, raw: str, *, allow_text: bool = True) -> DeclaredLicense:
    """Read one declaration (no top-level OR/AND of free-text parts)."""
    text = raw.strip().strip("()").strip()
    if not text:
        return _unknown(original, "empty")
    if _CLASSIFIER_PREFIX.match(text):
        return _from_classifier(original, text)
    if allow_text and (len(text) > 200 or text.count("\n") >= 3):
        return _from_text(original, text)
    try:
        return _result(original, normalize_expression(text), 1.0, "spdx-expression")
    except ExpressionError:
        pass
    lowered = text.lower()
    if lowered in HF_SCANCODE_KEYS:
        key = HF_SCANCODE_KEYS[lowered]
        return _result(original, spdx_for_scancode_key(key) or f"LicenseRef-scancode-{key}", 0.95, "hugging-face-id")
    if lowered in HF_FAMILIES:
        description, members = HF_FAMILIES[lowered]
        if lowered in _SINGLE_MEMBER_FAMILIES and len(members) == 1:
            return _result(original, members[0], 0.9, "hugging-face-id")
        spdx_members = [m if lookup(m) else (spdx_for_scancode_key(m) or f"LicenseRef-scancode-{m}") for m in members]
        return _result(original, None, 0.2, "hugging-face-id", candidates=spdx_members, note=description)
    if lowered in HF_NOT_A_LICENSE:
        return _unknown(original, f"'{text}' names no license")
    if lowered in _scancode_keys():
        return _result(original, spdx_for_scancode_key(lowered), 0.95, "scancode-key")
    found = _from_name(original, _clean(text))
    if found is not None:
        return found
    return _unknown(original, "not a known license id or name")


def _from_text(original: str, text: str) -> DeclaredLicense:
    """A whole license text pasted into a metadata field: identify it."""
    from licenselens.identify import best_match

    found = best_match(text)
    if found is None or found.score < 0.8:
        return _unknown(original, "a license text that matches no known license closely")
    return _result(original, found.spdx, found.score * 0.95, "license-text", note=f"text identified as {found.key}")


def read_declared(raw: str) -> DeclaredLicense:
    """Read any declared license string (SPDX expression, id, classifier, name, or several joined).

    >>> read_declared("Apache 2").spdx
    'Apache-2.0'
    >>> read_declared("GPLv3+").spdx
    'GPL-3.0-or-later'
    >>> read_declared("BSD").ambiguous
    True
    """
    original = raw
    whole = _read_one(original, raw)
    if whole.via in ("spdx-expression", "license-text", "classifier"):
        return whole
    # Several declarations joined in prose: "MIT or Apache 2", "GPL-2.0/LGPL-2.1".
    parts = [p for p in _SPLIT.split(raw) if p and p.strip()]
    if len(parts) >= 2:
        conjunctive = re.search(r"\s+and\s+", raw, re.IGNORECASE) and not re.search(r"\s+or\s+|/", raw, re.IGNORECASE)
        operator = " AND " if conjunctive else " OR "
        read = [_read_one(original, part) for part in parts]
        if all(r.spdx for r in read):
            spdx = operator.join(f"({r.spdx})" if " " in r.spdx else r.spdx for r in read)  # type: ignore[operator]
            return _result(original, normalize_expression(spdx, validate=False), min(r.confidence for r in read) * 0.95, "name")
    return whole


def from_python_metadata(license_expression: str | None = None, license: str | None = None,
                         classifiers: Iterable[str] = ()) -> DeclaredLicense:
    """Read Python core metadata: ``License-Expression`` first, then ``License``, then trove classifiers.

    Several license classifiers are combined with AND (each applies as far as
    the metadata says); an unreadable ``License`` field falls back to the classifiers.
    """
    if license_expression and license_expression.strip():
        try:
            return _result(license_expression, normalize_expression(license_expression), 1.0, "spdx-expression")
        except ExpressionError as error:
            return _unknown(license_expression, f"License-Expression is not a valid SPDX expression: {error.reason}")
    from_field = read_declared(license) if license and license.strip() else None
    if from_field is not None and from_field.spdx:
        return from_field
    license_classifiers = [c for c in classifiers if _CLASSIFIER_PREFIX.match(c)]
    if license_classifiers:
        read = [_from_classifier(c, c) for c in license_classifiers]
        read = [r for r in read if r.spdx or r.ambiguous]
        original = "; ".join(license_classifiers)
        resolved = [r for r in read if r.spdx]
        if resolved and len(resolved) == len(read):
            unique = list(dict.fromkeys(r.spdx for r in resolved))
            spdx = " AND ".join(f"({s})" if " " in s else s for s in unique)  # type: ignore[misc]
            return _result(original, normalize_expression(spdx, validate=False), min(r.confidence for r in resolved), "classifier",
                           note="several license classifiers" if len(unique) > 1 else None)
        if read:
            candidates = [c for r in read for c in (r.candidates or ([r.spdx] if r.spdx else []))]
            return _result(original, None, 0.2, "classifier", candidates=list(dict.fromkeys(candidates)),
                           note="; ".join(r.note for r in read if r.note) or None)
    if from_field is not None:
        return from_field
    return _unknown("", "no license in the metadata")


def from_npm(manifest: Mapping) -> DeclaredLicense:
    """Read a package.json: ``license`` (an SPDX expression, or a legacy ``{type}`` object) or legacy ``licenses``."""
    value = manifest.get("license")
    if isinstance(value, Mapping):
        value = value.get("type")
    if isinstance(value, str) and value.strip():
        value = value.strip()
        if value.upper() == "UNLICENSED":
            return _unknown(value, "UNLICENSED: the package grants no license")
        return read_declared(value)
    legacy = manifest.get("licenses")
    if isinstance(legacy, (Mapping, str)):
        legacy = [legacy]
    if isinstance(legacy, list):
        names = [item.get("type") if isinstance(item, Mapping) else item for item in legacy]
        names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        if names:
            read = [read_declared(n) for n in names]
            original = " OR ".join(names)
            if all(r.spdx for r in read):
                # The legacy array listed alternatives.
                spdx = " OR ".join(f"({r.spdx})" if " " in r.spdx else r.spdx for r in read)  # type: ignore[operator]
                return _result(original, normalize_expression(spdx, validate=False), min(r.confidence for r in read), "name")
            return _unknown(original, "; ".join(r.note or r.original for r in read if not r.spdx))
    return _unknown("", "no license field")


def from_model_card(license: str | list | None, license_name: str | None = None) -> DeclaredLicense:
    """Read a Hugging Face model card's ``license`` (and ``license_name`` when it is ``other``)."""
    if isinstance(license, list):
        read = [from_model_card(item, license_name) for item in license if item]
        if read and all(r.spdx for r in read):
            spdx = " OR ".join(f"({r.spdx})" if " " in r.spdx else r.spdx for r in read)  # type: ignore[operator]
            return _result(" OR ".join(r.original for r in read), normalize_expression(spdx, validate=False),
                           min(r.confidence for r in read), "hugging-face-id")
        return read[0] if len(read) == 1 else _unknown(str(license), "several licenses, not all known")
    if not license or not str(license).strip():
        return _unknown("", "the model card declares no license")
    value = str(license).strip()
    if value.lower() == "other":
        if license_name and license_name.strip():
            named = read_declared(license_name)
            if named.spdx:
                return named.model_copy(update={"original": f"other ({license_name})"})
            ref = "LicenseRef-" + re.sub(r"[^A-Za-z0-9.\-]+", "-", license_name.strip()).strip("-")
            return _result(f"other ({license_name})", ref, 0.5, "hugging-face-id",
                           note=f"custom license '{license_name}': no SPDX or ScanCode id")
        return _unknown(value, "license: other without license_name")
    return read_declared(value)


def to_spdx(raw: str) -> str:
    """The SPDX expression of a declared license string; ``InputError`` when unknown or ambiguous."""
    result = read_declared(raw)
    if result.spdx is None:
        reason = result.note or "unknown license"
        if result.ambiguous:
            reason += f" (one of {', '.join(result.candidates)})"
        raise InputError(None, f"declared license {raw!r}: {reason}")
    return result.spdx
