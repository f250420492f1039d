"""Where packaged data lives: grammars and corpora.

In a wheel they sit inside the package (``licenselens/grammars``,
``licenselens/corpora``); in a source checkout they sit at the repository root.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of packaged data ``name`` ('grammars' or 'corpora')."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"licenselens data folder '{name}' is missing from the installation")


def grammar_path(filename: str) -> Path:
    return data_dir("grammars") / filename


def corpus_path(*parts: str) -> Path:
    return data_dir("corpora").joinpath(*parts)


def private_cache_file(name: str) -> str | None:
    """A path in the user cache directory, or None unless that directory is private to this user."""
    import os

    if os.environ.get("LICENSELENS_NO_GRAMMAR_CACHE"):
        return None
    try:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("licenselens"))
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None  # someone else could plant a pickle there
        path = folder / name
        if path.exists() and (path.stat().st_uid != info.st_uid or path.stat().st_mode & 0o022):
            return None
        return str(path)
    except Exception:  # noqa: BLE001 - no cache directory: build every time
        return None


# Code that does not change what an analysis or an identification says.
_NOT_PRODUCER_CODE = frozenset({"__main__", "cli", "report", "scan", "web", "__pycache__"})


@cache
def producer_digest() -> str:
    """A digest of what produces analyses and identifications: the package version,
    the code of the stages, the shipped model and the grammars.

    Part of every result-cache key, so a new release, a retrained model or an edited
    rule never reads a stale entry. It hashes files rather than importing the stages,
    so a warm run never loads them.
    """
    import licenselens

    # Module names count as well as folders: ``web`` is ``web.py``.
    files = sorted(
        p for p in _PACKAGE.rglob("*.py") if not _NOT_PRODUCER_CODE & set(p.relative_to(_PACKAGE).with_suffix("").parts)
    )
    for name in ("corpora", "grammars"):
        try:
            folder = data_dir(name)
        except FileNotFoundError:
            continue
        pattern = "*" if name == "grammars" else "model/*"
        files += sorted(f for f in folder.glob(pattern) if f.is_file())
    digest = hashlib.sha256(licenselens.__version__.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
