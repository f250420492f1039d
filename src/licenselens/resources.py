"""Where packaged data lives: grammars and corpora.

In a wheel they sit inside the package (``licenselens/grammars``,
``licenselens/corpora``); in a source checkout they sit at the repository root.
"""

from __future__ import annotations

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
