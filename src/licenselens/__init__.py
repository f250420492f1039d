"""licenselens: reads software and AI licenses clause by clause.

The public API: ``analyze(text_or_bytes, path=None)`` returns an
``Analysis`` (clauses, terms, freedom verdicts, findings, overall verdict).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.model import Analysis

__all__ = ["__version__", "analyze", "scan"]


def analyze(text_or_bytes: str | bytes, path: str | None = None) -> Analysis:
    """Analyse a license or acceptable-use policy.

    ``text_or_bytes`` is the text itself, or raw bytes to decode (UTF-8, UTF-16
    with BOM, Latin-1 fallback; binary data raises ``InputError``). ``path``
    only names the source in the result. Every finding cites the clause, span
    and line of the original text that caused it.
    """
    import hashlib

    from licenselens.model import Source
    from licenselens.pipeline import analyze_bytes, analyze_text

    if isinstance(text_or_bytes, (bytes, bytearray, memoryview)):
        return analyze_bytes(bytes(text_or_bytes), path=path)
    source = Source(path=path, sha256=hashlib.sha256(text_or_bytes.encode("utf-8")).hexdigest())
    return analyze_text(text_or_bytes, source=source)


def __getattr__(name: str):
    # `licenselens.scan` is imported on first use, so `import licenselens` stays cheap; the
    # subpackage is callable: `licenselens.scan(path)` scans, `licenselens.scan.engine` still imports.
    if name == "scan":
        import importlib

        return importlib.import_module("licenselens.scan")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
