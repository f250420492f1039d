"""Where each license of a compatibility question comes from, and its analysed profile.

An SPDX id is read from its reference text in ``corpora/licenses`` (mapped by
the ``spdx_license_key`` of the front matter); ``LicenseRef-scancode-<key>``
names a reference text directly; a path is read as a license never seen
before. Profiles are cached in-process by text hash and, when a result cache
is open, the analyses in it.
"""

from __future__ import annotations

import hashlib
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from licenselens import expression as ex
from licenselens.compat.profile import Identity, Profile, build_profile, identity_from_spdx, identity_from_text
from licenselens.declared import to_spdx
from licenselens.errors import InputError
from licenselens.identify.references import split_front_matter
from licenselens.model import Analysis
from licenselens.resources import corpus_path

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.cache import ResultCache

# Bumped whenever profile reading changes, so a stored analysis is reused but profiles are rebuilt.
PROFILE_VERSION = "1"


@dataclass(frozen=True)
class Reference:
    """One reference text of ``corpora/licenses``."""

    key: str
    spdx: str | None
    name: str
    path: Path


@cache
def references() -> dict[str, Reference]:
    """Reference texts by lower-case ScanCode key, SPDX id and other SPDX ids."""
    out: dict[str, Reference] = {}
    for path in sorted(corpus_path("licenses").glob("*.LICENSE")):
        meta = _front_matter(path)
        if not meta or "key" not in meta:
            continue
        ref = Reference(str(meta["key"]), meta.get("spdx_license_key"), str(meta.get("name") or meta["key"]), path)
        out.setdefault(ref.key.lower(), ref)
        if ref.spdx:
            out.setdefault(ref.spdx.lower(), ref)
        for other in meta.get("other_spdx_license_keys") or []:
            out.setdefault(str(other).lower(), ref)
    return out


def _front_matter(path: Path) -> dict | None:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---"):
        return None
    end = raw.find("\n---", 3)
    try:
        return yaml.safe_load(raw[3:end]) if end > 0 else None
    except yaml.YAMLError:
        return None


def reference_text(ref: Reference) -> str:
    """The license text of a reference file, without its front matter."""
    return split_front_matter(ref.path.read_text(encoding="utf-8"))[1].lstrip("\n")


# --- analysis, cached -------------------------------------------------------------------

_ANALYSES: dict[str, Analysis] = {}
#: The persistent result cache in use, when the caller of ``compat`` passed one.
_CACHE: ContextVar[ResultCache | None] = ContextVar("licenselens_compat_cache", default=None)


def analyze_text(text: str, path: str | None) -> Analysis:
    """Analyse a license text once per process (keyed by the text's hash), and once per cache."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = _ANALYSES.get(digest)
    if found is None:
        from licenselens.model import Source
        from licenselens.pipeline import analyze_text as run

        found = run(text, source=Source(path=path, sha256=digest), cache=_CACHE.get())
        _ANALYSES[digest] = found
    return found


@dataclass(frozen=True)
class LicenseSource:
    """A license of the question: its label, where its text is, and the clauses it was read from."""

    label: str
    spdx: str | None
    text: str | None
    origin: str  # "reference", "path" or "none"
    or_later: bool = False
    reason: str | None = None  # why there is no text


_PROFILES: dict[tuple, Profile] = {}


def profile_of(source: LicenseSource) -> Profile | None:
    """The profile of a license, or None when there is no text to read it from."""
    if source.text is None:
        return None
    key = (source.label, source.or_later, hashlib.sha256(source.text.encode("utf-8")).hexdigest(), PROFILE_VERSION)
    found = _PROFILES.get(key)
    if found is not None:
        return found
    if source.spdx:
        identity = identity_from_spdx(source.spdx, label=source.label, or_later=source.or_later)
    else:
        identity = Identity(source.label)
    if identity.family is None:
        family, version = identity_from_text(source.label, source.text)
        identity = Identity(source.label, source.spdx, family, version, source.or_later)
    identity = replace(identity, text_hash=key[2])
    analysis = analyze_text(source.text, source.label if source.origin == "path" else None)
    found = build_profile(identity, analysis)
    _PROFILES[key] = found
    return found


# --- resolving arguments ------------------------------------------------------------------

_PATHLIKE = re.compile(r"[/\\]|\.(?:txt|md|rst|license|licence|html?)$|^\.")


def looks_like_path(arg: str) -> bool:
    """An argument that names a file rather than an SPDX expression."""
    return os.path.isfile(arg) or (bool(_PATHLIKE.search(arg)) and " " not in arg.strip())


def read_path(path: str) -> LicenseSource:
    """Read a license file given on the command line, '-' for standard input (errors name the file)."""
    from licenselens.text import decode, read_input

    source, data = read_input(path)
    return LicenseSource(path, None, decode(data, source), "path")


def parse_argument(arg: str) -> ex.Expression | LicenseSource:
    """An inbound or outbound argument: a parsed SPDX expression, or a license file."""
    if arg == "-" or looks_like_path(arg):
        return read_path(arg)
    declared = _declared_alias(arg)
    return ex.parse(declared or arg, source=None)


def _declared_alias(arg: str) -> str | None:
    """Short names such as ``llama3.1`` as ``licenselens.declared`` maps them, when it does."""
    # Only a single name: a malformed expression must be reported with its position, not guessed at.
    if ex.is_valid(arg) or re.search(r"[\s()]", arg.strip()):
        return None
    try:
        value = to_spdx(arg)
    except InputError:  # a name it cannot read is left to the expression parser to report
        return None
    return value if value != arg else None


def resolve_leaf(leaf: ex.License | ex.LicenseRef) -> LicenseSource:
    """The text a license of an expression is read from."""
    label = ex.to_string(leaf)
    refs = references()
    if isinstance(leaf, ex.LicenseRef):
        key = ex.scancode_key(leaf)
        ref = refs.get(key.lower()) if key else None
        if ref is None:
            return LicenseSource(label, None, None, "none", reason=f"no text for {label}: pass the license file instead")
        return LicenseSource(label, None, reference_text(ref), "reference")
    key = ex.scancode_key(leaf) or ""
    or_later = leaf.or_later or leaf.id.endswith("-or-later") or key.endswith("-plus")
    # An "or later" id reads the reference that carries the applying notice, when there is one.
    ref = refs.get(key.lower()) or refs.get(key.removesuffix("-plus").lower()) or refs.get(leaf.id.lower())
    if ref is None:
        return LicenseSource(
            label, leaf.id, None, "none", or_later=or_later,
            reason=f"no reference text for {label} in this installation: pass the license file instead",
        )
    return LicenseSource(label, leaf.id, reference_text(ref), "reference", or_later)


def require_known(expr: ex.Expression, argument: str) -> None:
    """Refuse LicenseRefs that name nothing we can read (bad input, exit 2)."""
    for leaf in ex.leaves(expr):
        base = leaf.license if isinstance(leaf, ex.With) else leaf
        if isinstance(base, ex.LicenseRef) and resolve_leaf(base).text is None:
            raise InputError(argument, f"unknown license {base.id}: no text for it; pass the license file instead")
