"""Reference license texts and their fingerprint index.

Two reference sets:

- ``curated``: the texts in ``corpora/licenses/`` and the standard notices in
  ``corpora/notices/`` (always available, indexed in memory in well under a second);
- ``scancode``: ScanCode's whole license database (about 2,600 texts) when
  ``scancode-toolkit`` or ``licensedcode-data`` is installed, or when
  ``LICENSELENS_SCANCODE_LICENSES`` names its ``licenses`` folder. It is indexed
  once and cached in the user cache folder, keyed by the data version.

Every reference file starts with YAML front matter (key, name, SPDX key) which
is read for its fields and never indexed as text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np

from licenselens.errors import InputError
from licenselens.expression import spdx_for_scancode_key
from licenselens.identify.fingerprint import shingles, tokenize
from licenselens.resources import corpus_path
from licenselens.text import normalize

# Bump when the fingerprint or the cache layout changes: old caches are then ignored.
INDEX_FORMAT = 9
SCANCODE_ENV = "LICENSELENS_SCANCODE_LICENSES"

_FIELD = re.compile(r"^([a-z_]+):[ \t]*(.*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Reference:
    """One reference text: a license (or a standard notice of one)."""

    id: str
    key: str
    spdx: str | None
    name: str
    is_notice: bool
    path: str

    def body(self) -> str:
        """The reference text without its front matter (and without ScanCode's rule marks)."""
        body = split_front_matter(Path(self.path).read_text(encoding="utf-8", errors="replace"))[1]
        return _RULE_MARKS.sub("", body) if self.path.endswith(".RULE") else body

    def normalized_body(self) -> str:
        """The body as ``licenselens.text.normalize`` renders it (Markdown links reduced, quotes unified)."""
        return normalize(self.body()).text


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-delimited YAML front matter from the text; return (scalar fields, body).

    Only top-level scalar fields are read (key, name, spdx_license_key, ...);
    a file without front matter, or with a malformed one, is all body.
    """
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    head = text[3:end]
    body_start = text.find("\n", end + 4)
    body = "" if body_start < 0 else text[body_start + 1 :]
    fields: dict[str, str] = {}
    for name, value in _FIELD.findall(head):
        if value and value not in ("|", ">", "|-", ">-"):
            fields.setdefault(name, value.strip("'\""))
    return fields, body


@dataclass
class ReferenceIndex:
    """Shingle fingerprints of a reference set, searchable with numpy.

    ``postings_hash`` / ``postings_ref`` hold every (shingle, reference) pair
    sorted by shingle; ``ref_hashes[offsets[i]:offsets[i+1]]`` are the sorted
    unique shingles of reference ``i``.
    """

    name: str
    references: list[Reference]
    sizes: np.ndarray
    token_counts: np.ndarray
    postings_hash: np.ndarray
    postings_ref: np.ndarray
    ref_hashes: np.ndarray
    offsets: np.ndarray
    token_hashes: np.ndarray
    token_offsets: np.ndarray

    def shingles_of(self, i: int) -> np.ndarray:
        return self.ref_hashes[self.offsets[i] : self.offsets[i + 1]]

    def tokens_of(self, i: int) -> np.ndarray:
        """Word hashes of reference ``i`` in order (for exact alignment without re-reading it)."""
        return self.token_hashes[self.token_offsets[i] : self.token_offsets[i + 1]]


def _build(name: str, references: list[Reference], bodies: list[str]) -> ReferenceIndex:
    per_ref: list[np.ndarray] = []
    token_counts: list[int] = []
    token_hashes: list[np.ndarray] = []
    for body in bodies:
        # Normalized like every input text, so Markdown and HTML decoration fingerprint alike.
        tokens = tokenize(normalize(body).text)
        token_counts.append(len(tokens))
        token_hashes.append(tokens.hashes)
        per_ref.append(np.unique(shingles(tokens.hashes)))
    sizes = np.array([len(s) for s in per_ref], dtype=np.int64)
    offsets = np.zeros(len(per_ref) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    ref_hashes = np.concatenate(per_ref) if per_ref else np.zeros(0, np.uint64)
    owners = np.repeat(np.arange(len(per_ref), dtype=np.int32), sizes)
    order = np.argsort(ref_hashes, kind="stable")
    return ReferenceIndex(
        name=name,
        references=references,
        sizes=sizes,
        token_counts=np.array(token_counts, dtype=np.int64),
        postings_hash=ref_hashes[order],
        postings_ref=owners[order],
        ref_hashes=ref_hashes,
        offsets=offsets,
        token_hashes=np.concatenate(token_hashes) if token_hashes else np.zeros(0, np.uint64),
        token_offsets=np.concatenate(([0], np.cumsum(token_counts))).astype(np.int64),
    )


def _reference(path: Path, fields: dict[str, str], is_notice: bool) -> Reference:
    key = fields.get("license_key") or fields.get("key") or path.stem
    spdx = fields.get("spdx_license_key") or spdx_for_scancode_key(key) or f"LicenseRef-scancode-{key}"
    name = fields.get("name") or fields.get("short_name") or key
    return Reference(path.stem, key, spdx, name, is_notice, str(path))


def _load_folder(folder: Path, pattern: str, is_notice: bool, skip_deprecated: bool) -> tuple[list[Reference], list[str]]:
    references: list[Reference] = []
    bodies: list[str] = []
    for path in sorted(folder.glob(pattern)):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields, body = split_front_matter(text)
        if skip_deprecated and fields.get("is_deprecated") in ("yes", "true"):
            continue
        if len(body.split()) < 3:
            continue  # nothing to match against (ScanCode's placeholder entries)
        references.append(_reference(path, fields, is_notice or fields.get("is_notice") in ("yes", "true")))
        bodies.append(body)
    return references, bodies


def _notices() -> tuple[list[Reference], list[str]]:
    folder = corpus_path("notices")
    if not folder.is_dir():
        return [], []
    return _load_folder(folder, "*.NOTICE", True, False)


@cache
def curated_index() -> ReferenceIndex:
    """Index of ``corpora/licenses/*.LICENSE`` and ``corpora/notices/*.NOTICE``, cached on disk
    under a digest of the files' names, sizes and times (a changed corpus is re-indexed)."""
    folder = corpus_path("licenses")
    cache_dir = _cache_file(_stat_digest([folder, corpus_path("notices")]), "curated")
    index = _read_cache(cache_dir, folder)
    if index is not None:
        return index
    references, bodies = _load_folder(folder, "*.LICENSE", False, False)
    notices, notice_bodies = _notices()
    index = _build("curated", references + notices, bodies + notice_bodies)
    _write_cache(cache_dir, index, folder)
    return index


def _stat_digest(folders: list[Path]) -> str:
    entries = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                info = path.stat()
                entries.append(f"{folder.name}/{path.name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()[:16]


def scancode_licenses_dir() -> tuple[Path, str] | None:
    """Locate ScanCode's ``licenses`` folder and its data version, or None when not installed."""
    explicit = os.environ.get(SCANCODE_ENV)
    if explicit:
        folder = Path(explicit)
        if not folder.is_dir():
            raise InputError(explicit, f"{SCANCODE_ENV} is not a folder")
        return folder, "dir-" + _folder_digest(folder)
    # scancode-toolkit and licensedcode-data both install the ``licensedcode`` package.
    try:
        spec = importlib.util.find_spec("licensedcode")
    except (ImportError, ValueError):
        spec = None
    for base in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(base) / "data" / "licenses"
        if candidate.is_dir():
            for dist in ("scancode-toolkit", "licensedcode-data"):
                try:
                    return candidate, f"{dist}-{metadata.version(dist)}"
                except metadata.PackageNotFoundError:
                    continue
            return candidate, "dir-" + _folder_digest(candidate)
    return None


# ScanCode rules shorter than this many words are references ("MIT license"), not texts or notices.
MIN_RULE_WORDS = 30
# A notice says which license applies in a sentence or two ("licensed under either Apache-2.0 or LGPL-3.0").
MIN_NOTICE_WORDS = 4
_RULE_MARKS = re.compile(r"\{\{|\}\}")


def _load_rules(folder: Path, licenses: dict[str, Reference]) -> tuple[list[Reference], list[str]]:
    """ScanCode's rules that are a whole license text (a variant) or a standard notice of one license."""
    references: list[Reference] = []
    bodies: list[str] = []
    if not folder.is_dir():
        return references, bodies
    for path in sorted(folder.glob("*.RULE")):
        try:
            fields, body = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        key = fields.get("license_expression", "")
        is_text = fields.get("is_license_text") == "yes"
        is_notice = fields.get("is_license_notice") == "yes"
        # Mere mentions ("is_license_reference") are left out: matched on their own they
        # outnumber and outvote the texts around them.
        if not key or fields.get("is_deprecated") == "yes" or not (is_text or is_notice):
            continue
        body = _RULE_MARKS.sub("", body)
        if len(body.split()) < (MIN_NOTICE_WORDS if is_notice else MIN_RULE_WORDS):
            continue
        if key in licenses:
            license = licenses[key]
            references.append(Reference(path.stem, key, license.spdx, license.name, is_notice, str(path)))
        else:
            # A rule naming several licenses ("apache-2.0 AND bsd-simplified"): its key is that expression.
            spdx = _spdx_expression(key, licenses)
            if spdx is None:
                continue
            references.append(Reference(path.stem, key, spdx, key, is_notice, str(path)))
        bodies.append(body)
    return references, bodies


def _spdx_expression(expression: str, licenses: dict[str, Reference]) -> str | None:
    """SPDX spelling of a ScanCode expression, or None when one of its keys is unknown."""
    out = []
    for word in re.findall(r"[()]|[^\s()]+", expression):
        if word.upper() in ("AND", "OR", "WITH") or word in "()":
            out.append(word.upper() if word not in "()" else word)
            continue
        spdx = licenses[word].spdx if word in licenses else spdx_for_scancode_key(word)
        if spdx is None:
            return None
        out.append(spdx)
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def _folder_digest(folder: Path) -> str:
    names = sorted(p.name for p in folder.glob("*.LICENSE"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:12] + f"-{len(names)}"


def _cache_file(version: str, reference_set: str = "scancode") -> Path:
    from platformdirs import user_cache_dir

    safe = re.sub(r"[^A-Za-z0-9.\-]+", "_", version)
    return Path(user_cache_dir("licenselens")) / f"identify-{reference_set}-{safe}-f{INDEX_FORMAT}"


@cache
def scancode_index() -> ReferenceIndex:
    """Index of ScanCode's license database, built once and cached on disk."""
    located = scancode_licenses_dir()
    if located is None:
        raise InputError(
            "--reference scancode",
            f"ScanCode license data not installed (install scancode-toolkit or licensedcode-data, or set {SCANCODE_ENV})",
        )
    folder, version = located
    notices, notice_bodies = _notices()
    # Our standard notices join ScanCode's texts; a change to them invalidates the cache.
    digest = hashlib.sha256("\n".join(notice_bodies).encode()).hexdigest()[:8]
    cache_file = _cache_file(f"{version}-n{digest}")
    index = _read_cache(cache_file, folder)
    if index is not None:
        return index
    references, bodies = _load_folder(folder, "*.LICENSE", False, True)
    rules, rule_bodies = _load_rules(folder.parent / "rules", {r.key: r for r in references})
    index = _build(f"scancode ({version})", references + rules + notices, bodies + rule_bodies + notice_bodies)
    _write_cache(cache_file, index, folder)
    return index


_ARRAYS = ("sizes", "token_counts", "postings_hash", "postings_ref", "ref_hashes", "offsets", "token_hashes", "token_offsets")


def _write_cache(cache_dir: Path, index: ReferenceIndex, folder: Path) -> None:
    """Write the index as a folder of .npy arrays (memory-mapped when read) and a meta.json."""
    import shutil
    import tempfile

    meta = {
        "name": index.name,
        "folder": str(folder),
        "references": [[r.id, r.key, r.spdx, r.name, r.is_notice, _relative(folder, r.path)] for r in index.references],
    }
    try:
        cache_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=cache_dir.name + ".", suffix=".tmp", dir=cache_dir.parent))
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(index, name))
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")  # written last: marks a complete index
        try:
            os.rename(tmp, cache_dir)  # atomic; fails when another process got there first
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
        reference_set = cache_dir.name.split("-")[1]
        for stale in cache_dir.parent.glob(f"identify-{reference_set}-*"):
            if stale != cache_dir and not stale.name.endswith(".tmp"):
                # An index of older data or an older format.
                shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache costs a rebuild next time, never a failure


def _relative(folder: Path, path: str) -> str:
    try:
        return str(Path(path).relative_to(folder.parent))
    except ValueError:
        return path  # our own notices live elsewhere and are re-read from the corpus


def _read_cache(cache_dir: Path, folder: Path) -> ReferenceIndex | None:
    try:
        meta = json.loads((cache_dir / "meta.json").read_text(encoding="utf-8"))
        if meta.get("folder") != str(folder):
            return None
        arrays = {name: np.load(cache_dir / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    notices = {r.id: r for r in _notices()[0]}
    base = str(folder.parent) + os.sep  # plain strings: pathlib costs a second for 17,000 paths
    references = [
        notices[rid] if notice and rid in notices else Reference(rid, key, spdx, name, bool(notice), base + rel)
        for rid, key, spdx, name, notice, rel in meta["references"]
    ]
    return ReferenceIndex(name=meta["name"], references=references, **arrays)


def reference_index(name: str = "curated") -> ReferenceIndex:
    """The index of reference set ``name``: 'curated' or 'scancode'."""
    if name == "curated":
        return curated_index()
    if name == "scancode":
        return scancode_index()
    raise InputError("--reference", f"unknown reference set '{name}' (expected 'curated' or 'scancode')")
