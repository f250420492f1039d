"""The one interface of scan sources: something that yields packages and their license texts.

A source knows one layout (an installed Python environment, a lock file, a
node_modules tree, an SBOM, a model repository, a plain directory). It reads
metadata and finds license files; it never analyses them: the engine reads
each text once, dedupes by hash and analyses it (cached).
"""

from __future__ import annotations

import os
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from licenselens.model import SkipNote

TextKind = Literal["license", "notice", "use-policy", "embedded"]


@dataclass(frozen=True)
class TextRef:
    """A license text of a package: a file to read, or a text embedded in metadata."""

    path: Path | str
    kind: TextKind = "license"
    text: str | None = None  # set for texts embedded in metadata (SBOM, package metadata)


@dataclass
class Package:
    """What a source knows about one package, before analysis."""

    name: str
    version: str | None
    source: str
    location: str | None = None
    declared: str | None = None
    texts: list[TextRef] = field(default_factory=list)
    resolved: bool = True
    base_model: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # True when the metadata itself is broken (e.g. malformed README front matter).
    broken_metadata: bool = False
    # Set by sources that read their metadata with ``licenselens.declared`` (None: read ``declared``).
    declared_spdx: str | None = None
    declared_read: bool = False

    def read_declared(self, reading) -> None:
        """Keep a ``licenselens.declared`` reading (a ``DeclaredLicense``) of this package's metadata."""
        self.declared_read = True
        self.declared_spdx = reading.spdx
        if reading.spdx is None and reading.original:
            why = reading.note or "unknown license"
            if reading.ambiguous and reading.candidates:
                why += f" (one of {', '.join(reading.candidates)})"
            self.notes.append(f"declared license {reading.original!r} not read as SPDX: {why}")


Found = Package | SkipNote


class LicenseSource(ABC):
    """One layout of packages and license files."""

    #: Short name shown in reports (``python-env``, ``node``, ...).
    name: str

    @abstractmethod
    def collect(self) -> Iterator[Found]:
        """Yield every package found, and a skip note for everything that could not be read."""


# --- helpers shared by the sources -----------------------------------------------

LICENSE_STEMS = ("license", "licence", "copying", "notice", "use_policy", "use-policy", "unlicense", "copyright")
# Folders that never hold the license of the thing being scanned.
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache", ".tox", ".nox"})


def is_license_name(name: str) -> bool:
    """True for names like LICENSE, LICENSE.txt, LICENCE-MIT, COPYING, NOTICE, USE_POLICY.md."""
    lower = name.lower()
    if lower.endswith((".py", ".pyc", ".js", ".ts", ".json", ".yaml", ".yml", ".toml", ".html", ".png", ".jpg")):
        return False
    return lower.startswith(LICENSE_STEMS)


def text_kind(name: str) -> TextKind:
    lower = name.lower()
    if lower.startswith("notice"):
        return "notice"
    if lower.startswith(("use_policy", "use-policy")):
        return "use-policy"
    return "license"


def walk(root: Path, skipped: list[SkipNote], *, prune: frozenset[str] = IGNORED_DIRS,
         max_depth: int = 64) -> Iterator[Path]:
    """Yield the regular files under ``root``, following symlinks but never around a loop.

    Unreadable folders and symlink loops become skip notes in ``skipped``.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            info = folder.stat()
        except OSError as exc:
            skipped.append(SkipNote(path=str(folder), reason=_reason(exc)))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            skipped.append(SkipNote(path=str(folder), reason="symlink loop (folder already visited)"))
            continue
        seen.add(key)
        if depth > max_depth:
            skipped.append(SkipNote(path=str(folder), reason=f"deeper than {max_depth} folders"))
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(SkipNote(path=str(folder), reason=_reason(exc)))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(entry.path).st_mode
            except OSError as exc:
                skipped.append(SkipNote(path=str(path), reason=_reason(exc)))
                continue
            if stat.S_ISDIR(mode):
                if entry.name not in prune:
                    subfolders.append(path)
            elif stat.S_ISREG(mode):
                yield path
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink or vanished file"
    return exc.strerror or type(exc).__name__


def reason_of(exc: OSError) -> str:
    """A short human reason for an OS error (symlink loop, permission denied, ...)."""
    return _reason(exc)


def read_small(path: Path, limit: int = 4 * 1024 * 1024) -> bytes:
    """Read a metadata file, refusing anything over ``limit`` bytes (raises OSError/ValueError)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"file too large (over {limit // (1024 * 1024)} MiB)")
    return data
