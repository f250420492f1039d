"""The one small interface every output format of ``scan`` implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from licenselens.model import ScannedPackage, ScanResult


class ScanFormat(ABC):
    """Turns one ``ScanResult`` into text in one format."""

    #: The ``--format`` name.
    name: ClassVar[str]

    @abstractmethod
    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        """Render ``result``; ``color`` only matters to formats for a terminal."""


def license_of(package: ScannedPackage) -> str:
    """What a report shows as the package's license: declared SPDX, else as written, else detected."""
    if package.declared_spdx:
        return package.declared_spdx
    if package.declared:
        return package.declared
    return " AND ".join(package.detected) if package.detected else "unknown"


def summary_line(result: ScanResult) -> str:
    """One line: packages, distinct texts, violations, skips and the outcome."""
    failing = sum(not v.excepted for v in result.violations)
    waived = sum(v.excepted for v in result.violations)
    s = result.stats
    parts = [
        f"{s.packages} package{'s' if s.packages != 1 else ''}",
        f"{s.unique_texts} distinct license text{'s' if s.unique_texts != 1 else ''} ({s.analysed} analysed)",
        f"{failing} policy violation{'s' if failing != 1 else ''}" + (f" ({waived} excepted)" if waived else ""),
    ]
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped")
    if result.expired_exceptions:
        parts.append(f"{len(result.expired_exceptions)} expired exception{'s' if len(result.expired_exceptions) != 1 else ''}")
    return ("pass: " if result.passed else "FAIL: ") + ", ".join(parts)
